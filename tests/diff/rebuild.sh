#!/bin/sh
# Rebuilds the differential-test code objects (tests/test_diff_kernels.c)
# from the OpenCL C sources here with clang-19 + ld.lld-19 for gfx1103.
# Usage: rebuild.sh [output-dir]   (default: this directory)
set -eu
src=$(cd "$(dirname "$0")" && pwd)
out=${1:-$src}
for cl in "$src"/*.cl; do
	n=$(basename "$cl" .cl)
	clang-19 -x cl -cl-std=CL2.0 -target amdgcn-amd-amdhsa -mcpu=gfx1103 -O3 -nogpulib \
		-c "$cl" -o "$out/$n.o"
	ld.lld-19 -shared "$out/$n.o" -o "$out/$n.co"
	rm -f "$out/$n.o"
done
