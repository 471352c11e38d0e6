#!/bin/sh
# Rebuilds the checked-in ISA test inputs (needs clang-19, lld-19, llvm-19):
#   corpus.s -> corpus.bin   (llvm-mc-19, raw .text)
#   fuzz.s   -> fuzz.bin
#   k_*.cl   -> k_*.co       (clang-19 + ld.lld-19, gfx1103 code objects)
# Regenerate corpus.s / fuzz.s themselves with tests/isa/make_corpus.py and
# tests/isa/make_fuzz.py (they probe llvm-objdump-19; slow-ish).
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for s in corpus fuzz; do
	llvm-mc-19 -arch=amdgcn -mcpu=gfx1100 -filetype=obj $s.s -o "$tmp/$s.o"
	llvm-objcopy-19 -O binary --only-section=.text "$tmp/$s.o" $s.bin
done
for cl in k_*.cl; do
	base=${cl%.cl}
	clang-19 -x cl -cl-std=CL2.0 -target amdgcn-amd-amdhsa -mcpu=gfx1103 -O3 \
		-nogpulib -c "$cl" -o "$tmp/$base.o"
	ld.lld-19 -shared "$tmp/$base.o" -o "$base.co"
done
