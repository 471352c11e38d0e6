#!/bin/sh
# Rebuilds the differential-test code objects (tests/test_diff_kernels.c)
# from the OpenCL C sources here with clang-19 + ld.lld-19.
# A source n.cl with a file n.flags next to it gets those extra clang
# options (e.g. -mwavefrontsize64; clc.flags links libclc-19's builtins
# from /usr/lib/clc, Debian package libclc-19 and libclc-19-dev).
# Usage: rebuild.sh [output-dir]   (default: this directory)
#   gfx1103: tests/diff/<n>.co, as the sources say;
#   gfx1035 (gfx10.3), with AMDBARE_GFX103 defined (the sources leave out
#   the kernels whose builtins gfx1035 lacks: permlane64, sudot4):
#   tests/diff/gfx1035-w64/<n>.co in wave64 and, unless n.flags asks for
#   -mwavefrontsize64 (kernels written for wave64), tests/diff/gfx1035/
#   <n>.co in wave32.  A source that still fails to compile for gfx1035
#   (wmma.cl) gets no .co there; the test skips its kernels on gfx10.3,
#   saying so.
#   gfx902, gfx906, gfx90c (gfx9, wave64 only), with AMDBARE_GFX103 and
#   AMDBARE_GFX9 defined (and AMDBARE_GFX9_NO_DOT on gfx902/gfx90c, which
#   lack the dot instructions): tests/diff/<target>/<n>.co, the targets of
#   the raven, mi50 and cezanne profiles (gfx902 is gfx900's ISA).
set -eu
src=$(cd "$(dirname "$0")" && pwd)
out=${1:-$src}
mkdir -p "$out/gfx1035" "$out/gfx1035-w64" "$out/gfx902" "$out/gfx906" "$out/gfx90c"
build() { # mcpu, source, output, flags...
	mcpu=$1 cl=$2 co=$3
	shift 3
	# "$@": the flags, one option per word
	clang-19 -x cl -cl-std=CL2.0 -target amdgcn-amd-amdhsa -mcpu="$mcpu" -O3 -nogpulib \
		"$@" -c "$cl" -o "$co.o" 2>/dev/null || { rm -f "$co.o"; return 1; }
	ld.lld-19 -shared "$co.o" -o "$co"
	rm -f "$co.o"
}
for cl in "$src"/*.cl; do
	n=$(basename "$cl" .cl)
	flags=
	if [ -f "$src/$n.flags" ]; then
		flags=$(cat "$src/$n.flags")
	fi
	# $flags unquoted on purpose: one option per word
	build gfx1103 "$cl" "$out/$n.co" $flags
	f32=$(echo "$flags" | sed 's/-mwavefrontsize64//')
	if [ "$f32" = "$flags" ]; then
		build gfx1035 "$cl" "$out/gfx1035/$n.co" -DAMDBARE_GFX103 $f32 ||
			echo "$n: not built for gfx1035" >&2
	fi
	build gfx1035 "$cl" "$out/gfx1035-w64/$n.co" -DAMDBARE_GFX103 $f32 -mwavefrontsize64 ||
		echo "$n: not built for gfx1035 wave64" >&2
	for t in gfx902 gfx906 gfx90c; do
		nodot=-DAMDBARE_GFX9_NO_DOT
		[ "$t" = gfx906 ] && nodot=
		build "$t" "$cl" "$out/$t/$n.co" -DAMDBARE_GFX103 -DAMDBARE_GFX9 $nodot $f32 ||
			echo "$n: not built for $t" >&2
	done
done
