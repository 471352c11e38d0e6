#!/bin/sh
# Rebuilds the dispatch test kernels (Debian clang-19 / ld.lld-19, no ROCm).
set -eu
cd "$(dirname "$0")"
for k in geometry; do
	clang-19 -x cl -cl-std=CL2.0 -target amdgcn-amd-amdhsa -mcpu=gfx1103 -O3 -nogpulib -cl-kernel-arg-info \
		-c "$k.cl" -o "$k.o"
	ld.lld-19 -shared "$k.o" -o "$k.co"
	rm -f "$k.o"
done
