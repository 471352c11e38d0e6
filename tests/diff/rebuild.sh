#!/bin/sh
# Rebuilds the differential-test code objects (tests/test_diff_kernels.c)
# from the OpenCL C sources here with clang-19 + ld.lld-19 for gfx1103.
# A source n.cl with a file n.flags next to it gets those extra clang
# options (e.g. -mwavefrontsize64; clc.flags links libclc-19's builtins
# from /usr/lib/clc, Debian package libclc-19 and libclc-19-dev).
# Usage: rebuild.sh [output-dir]   (default: this directory)
set -eu
src=$(cd "$(dirname "$0")" && pwd)
out=${1:-$src}
for cl in "$src"/*.cl; do
	n=$(basename "$cl" .cl)
	flags=
	if [ -f "$src/$n.flags" ]; then
		flags=$(cat "$src/$n.flags")
	fi
	# $flags unquoted on purpose: one option per word
	clang-19 -x cl -cl-std=CL2.0 -target amdgcn-amd-amdhsa -mcpu=gfx1103 -O3 -nogpulib \
		$flags -c "$cl" -o "$out/$n.o"
	ld.lld-19 -shared "$out/$n.o" -o "$out/$n.co"
	rm -f "$out/$n.o"
done
