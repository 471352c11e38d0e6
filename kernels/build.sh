#!/bin/sh
# Builds the library's own kernels: every kernels/<module>.cl for every
# gfx11, gfx10.3 and gfx9 target amdbare embeds, into <outdir>/<module>-<target>.co
# (default outdir: kernels/bin, the checked-in copies).  Run by
# `make kernels`; tests/test_kernels_fresh.sh runs it into a temporary
# directory and compares.
#
# Reproducible: no -g (no paths, no producer directory), the source is
# compiled by its bare name from inside kernels/, and neither clang-19 nor
# ld.lld-19 stamps dates or build ids into the object.  Code object v5,
# the version clang-19 defaults to, spelled out so a newer clang with
# another default builds the same thing.
#
# Usage: build.sh [outdir]
set -eu
TARGETS="gfx1100 gfx1101 gfx1102 gfx1103 gfx1150 gfx1151 gfx1152"
# gfx10.3 (RDNA2): no WMMA, gemm.cl selects its dot-product path by __GFX10__
TARGETS="$TARGETS gfx1030 gfx1031 gfx1032 gfx1033 gfx1034 gfx1035 gfx1036"
# gfx9 (GCN 5, wave64 only): gemm.cl takes the same no-WMMA path by __GFX9__
# (v_dot2_f32_f16 on gfx906/908/90a).  No target-id features are set: the
# objects keep xnack/sramecc "any" and so run in either mode of the device.
TARGETS="$TARGETS gfx900 gfx902 gfx904 gfx906 gfx908 gfx909 gfx90a gfx90c"
CLANG=${KERNEL_CLANG:-clang-19}
LLD=${KERNEL_LLD:-ld.lld-19}
src=$(cd "$(dirname "$0")" && pwd)
out=${1:-$src/bin}
mkdir -p "$out"
out=$(cd "$out" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src"
for cl in *.cl; do
	[ -f "$cl" ] || continue
	m=${cl%.cl}
	for t in $TARGETS; do
		"$CLANG" -x cl -cl-std=CL2.0 -target amdgcn-amd-amdhsa -mcpu="$t" \
			-mcode-object-version=5 -O3 -nogpulib -c "$cl" -o "$tmp/$m-$t.o"
		"$LLD" -shared "$tmp/$m-$t.o" -o "$out/$m-$t.co"
	done
done
