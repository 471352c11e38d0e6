#!/bin/sh
# Rebuilds the hand-written assembly kernels of tests/shader (*.s, with
# their .amdhsa_kernel descriptors) into code objects: llvm-mc-19 +
# ld.lld-19, gfx1103.  The .co files are checked in so the tests need no
# assembler.  (The OpenCL kernels are rebuilt by rebuild.sh.)
set -eu
cd "$(dirname "$0")"
for s in *.s; do
	base=${s%.s}
	llvm-mc-19 -triple=amdgcn-amd-amdhsa -mcpu=gfx1103 -filetype=obj "$s" -o "$base.o"
	ld.lld-19 -shared "$base.o" -o "$base.co"
	rm -f "$base.o"
done
