#!/bin/sh
# Oracle test of the vgpu's gfx11 decoder/disassembler: build/vgpu-disasm
# must agree with llvm-objdump-19 on instruction boundaries, raw words,
# mnemonics and operands for
#   (a) every code object in the repository (tests/isa/*.co, kernels/*.co)
#   (b) the opcode corpus tests/isa/corpus.s (assembled with llvm-mc-19 and
#       checked in as corpus.bin), which holds every opcode of the tables.
# Only whitespace is normalised; objdump's "<symbol+off>" branch comments
# are dropped.  Skips (and says so) only when llvm-objdump-19 is missing.
set -u
top=${AMDBARE_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
build=${AMDBARE_BUILD:-$top/build}
disasm=$build/vgpu-disasm
# llvm and our tool are ordinary programs: never run them with the vgpu.
unset LD_PRELOAD

if ! command -v llvm-objdump-19 >/dev/null 2>&1; then
	echo "SKIP: llvm-objdump-19 not installed (apt-get install llvm-19)"
	echo "0 passed, 0 failed"
	exit 0
fi
passed=0 failed=0
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
pass() { passed=$((passed + 1)); }
[ -x "$disasm" ] || { fail "$disasm not built"; echo "$passed passed, $failed failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# "<hex offset>: <WORDS> <text>" from llvm-objdump, same shape as ours.
objdump_norm() {
	llvm-objdump-19 -d --mcpu=gfx1103 "$1" | awk '
	/^[ \t]+[^ \t].*\/\/ [0-9A-F]+: / {
		i = index($0, "//");
		text = substr($0, 1, i - 1);
		rest = substr($0, i + 3);
		sub(/ *<[^>]*> *$/, "", rest);
		n = split(rest, f, " ");
		addr = f[1]; sub(/:$/, "", addr); sub(/^0+/, "", addr);
		if (addr == "") addr = "0";
		words = "";
		for (k = 2; k <= n; k++) words = words " " f[k];
		gsub(/[ \t]+/, " ", text); sub(/^ /, "", text); sub(/ $/, "", text);
		if (text ~ /^\.long /) text = "<illegal>";
		print tolower(addr) ":" words " " text;
	}'
}
ours_norm() {
	"$disasm" "$@" | sed -e 's/<illegal encoding 0x[0-9a-f]*>/<illegal>/' \
		-e 's/[ \t][ \t]*/ /g' -e 's/ $//'
}

compare() { # name, llvm file, ours file
	if cmp -s "$2" "$3"; then
		echo "ok   $1 ($(wc -l <"$2") instructions)"
		pass
	else
		fail "$1 differs from llvm-objdump-19 (< llvm, > vgpu-disasm):"
		diff "$2" "$3" | head -n 40
	fi
}

# (a) code objects
for co in "$top"/tests/isa/*.co "$top"/kernels/*.co; do
	[ -f "$co" ] || continue
	name=${co#"$top"/}
	objdump_norm "$co" >"$tmp/llvm"
	ours_norm "$co" >"$tmp/ours"
	if [ ! -s "$tmp/llvm" ]; then
		fail "$name: llvm-objdump-19 printed nothing"
		continue
	fi
	compare "$name" "$tmp/llvm" "$tmp/ours"
done

# (b) the opcode corpus (every table opcode, with constant/modifier
# variants) and the fuzz corpus (random encodings, including ones LLVM
# rejects, which must be illegal for us too): each checked-in .bin must be
# what its .s assembles to, and both disassemblers must agree on it.
if command -v llvm-mc-19 >/dev/null 2>&1 && command -v llvm-objcopy-19 >/dev/null 2>&1; then
	for c in corpus fuzz; do
		llvm-mc-19 -arch=amdgcn -mcpu=gfx1100 -filetype=obj "$top/tests/isa/$c.s" -o "$tmp/$c.o" 2>"$tmp/mc.err" ||
			{ fail "$c.s does not assemble: $(head -n 3 "$tmp/mc.err")"; continue; }
		llvm-objcopy-19 -O binary --only-section=.text "$tmp/$c.o" "$tmp/$c.bin"
		if cmp -s "$tmp/$c.bin" "$top/tests/isa/$c.bin"; then
			pass
		else
			fail "tests/isa/$c.bin is stale: run tests/isa/rebuild.sh"
		fi
		objdump_norm "$tmp/$c.o" >"$tmp/llvm"
		ours_norm --raw "$top/tests/isa/$c.bin" >"$tmp/ours"
		compare "tests/isa/$c.bin" "$tmp/llvm" "$tmp/ours"
	done
	# forms the decoder once got wrong (scalar-only VOP3 sources, cache
	# invalidations) must stay in the corpus, each with several variants
	for form in v_cndmask_b32_e64 v_add_co_ci_u32_e64 v_sub_co_ci_u32_e64 \
		v_subrev_co_ci_u32_e64 v_readlane_b32 v_writelane_b32; do
		n=$(grep -c "^$form " "$top/tests/isa/corpus.s")
		if [ "$n" -ge 3 ]; then pass; else fail "corpus.s has $n $form lines (want >= 3)"; fi
	done
	for form in buffer_gl0_inv buffer_gl1_inv; do
		if grep -q "^$form\$" "$top/tests/isa/corpus.s"; then pass; else fail "corpus.s lacks $form"; fi
	done
	ours_norm --raw "$top/tests/isa/corpus.bin" >"$tmp/ours"
	if grep -q '<illegal>' "$tmp/ours"; then
		fail "corpus: vgpu-disasm calls $(grep -c '<illegal>' "$tmp/ours") corpus instructions illegal"
	else
		pass
	fi
else
	fail "llvm-mc-19/llvm-objcopy-19 missing while llvm-objdump-19 is present"
fi

# (c) exhaustive: every 16-bit immediate of the SOPP opcodes whose operand
# prints symbolically (s_waitcnt, s_delay_alu, s_sendmsg).
if command -v llvm-mc-19 >/dev/null 2>&1; then
	awk 'BEGIN { print ".text";
		split("9 7 54", ops, " ");
		for (k = 1; k <= 3; k++)
			for (v = 0; v < 65536; v++)
				printf ".long 0x%08x\n", 3212836864 + ops[k] * 65536 + v; }' >"$tmp/simm.s"
	llvm-mc-19 -arch=amdgcn -mcpu=gfx1100 -filetype=obj "$tmp/simm.s" -o "$tmp/simm.o"
	objdump_norm "$tmp/simm.o" >"$tmp/llvm"
	ours_norm "$tmp/simm.o" >"$tmp/ours"
	compare "s_waitcnt/s_delay_alu/s_sendmsg, all immediates" "$tmp/llvm" "$tmp/ours"
fi

# (e) the hand-written entries (tools/vgpu/isa/isa_optable_extra.c),
# whose operands print symbolically: every 7th 16-bit immediate of
# s_getreg_b32 (hwreg), s_version (UC_VERSION_*) and ds_swizzle_b32
# (swizzle), every message of s_sendmsg_rtn_b32/b64, s_setreg_b32 and
# s_setreg_imm32_b32 with literals, ds_nop, the GWS semaphores with and
# without gds, s_atc_probe(_buffer), the VOP3 entries that replace
# generated ones (class compares, permlane op_sel, v_dot2_bf16_bf16), the
# MIMG storage-image opcodes by dim (a16/d16/tfe/unorm/dmask varied, NSA
# forms), and every MTBUF opcode with every FORMAT value (cache bits,
# offset, offen/idxen varied).
if command -v llvm-mc-19 >/dev/null 2>&1; then
	awk 'BEGIN { print ".text";
		for (v = 0; v < 65536; v += 7) {
			printf ".long 0x%08x\n", 3095724032 + v;            # s_getreg_b32 s5
			printf ".long 0x%08x\n", 2961178624 + v;            # s_version
			printf ".long 0x%08x, 0x%08x\n", 3637772288 + v, 83886082; # ds_swizzle_b32 v5, v2
		}
		for (v = 0; v < 256; v++) {
			printf ".long 0x%08x\n", 3196079104 + v;            # s_sendmsg_rtn_b32 s0
			printf ".long 0x%08x\n", 3196210432 + v;  # s_sendmsg_rtn_b64 s[2:3]
		}
		printf ".long 0x%08x\n", 3103987713;                    # s_setreg_b32 hwreg(MODE,0,4), s3
		split("1 64 65 1065353216 4294967279 4294967280 305419896", lit, " ");
		for (k = 1; k <= 7; k++)
			printf ".long 0x%08x, 0x%08x\n", 3112179969, lit[k]; # s_setreg_imm32_b32
		printf ".long 0xd8500000, 0x00000000\n";                # ds_nop
		printf ".long 0xd86a0004, 0x00000000\n";                # ds_gws_sema_v offset:4 gds
		printf ".long 0xd8720000, 0x00000000\n";                # ds_gws_sema_p gds
		printf ".long 0xd8620000, 0x00000000\n";                # ds_gws_sema_release_all gds
		printf ".long 0xf48801c2, 0xf8000064\n";                # s_atc_probe 7, s[4:5], 0x64
		printf ".long 0xf48c01c2, 0x04000000\n";                # s_atc_probe_buffer 7, s[4:7], s2
		printf ".long 0xf4881c42, 0x04000010\n";                # s_atc_probe 0x71, s[4:5], s2 offset:0x10
		# v_cmp(x)_class with abs/neg on src0 (a literal too), v_permlane16/
		# x16 op_sel (FI, BOUND_CTRL), v_dot2_bf16_bf16 with modifiers
		printf ".long 0xd47e017c, 0x2000d6ff, 0xaf123456\n";
		printf ".long 0xd47d017c, 0x2000d6ff, 0x0000fe0b\n";
		printf ".long 0xd4fe0105, 0x20020501\n";
		printf ".long 0xd47f017a, 0x2001fafd\n";
		printf ".long 0xd65b0805, 0x000c0501\n";
		printf ".long 0xd65b1805, 0x000c0501\n";
		printf ".long 0xd65c7805, 0x000c0501\n";
		printf ".long 0xd6670005, 0x040a02f0\n";
		printf ".long 0xd6677805, 0xe40a0301\n";
		printf ".long 0xd6670705, 0x0409ff01, 0x12345678\n";
		# MIMG storage-image ops: every opcode x dim, with a16/d16/tfe/
		# dmask variations, and NSA address lists
		for (op = 0; op <= 24; op++)
			for (dim = 0; dim < 8; dim++) {
				nod16 = (op >= 10 && op <= 23) || op == 2 || op == 3 || op == 4 || op == 5 || op == 8 || op == 9;
				if (op == 24 && dim < 6) continue;
				dmask = 1 + (op * 3 + dim) % 15;
				if (op >= 10 && op <= 22) dmask = op == 11 ? (dim % 2 ? 15 : 3) : (dim % 2 ? 3 : 1);
				printf ".long 0x%08x, 0x%08x\n",
					4026531840 + op * 262144 + dim * 4 + ((op + dim) % 2) * 128 + dmask * 256 + (dim % 2) * 65536 + (nod16 ? 0 : (op % 2) * 131072),
					1 + 10 * 256 + 2 * 65536 + (dim == 3 && (op < 10 || op > 22) ? 2097152 : 0);
			}
		printf ".long 0xf0000f05, 0x00020a02, 0x00000403\n";   # image_load NSA 2D
		printf ".long 0xf02c0f15, 0x00020a02, 0x00050403\n";   # image_atomic_cmpswap NSA 2D_ARRAY (dmask 0xf)
		printf ".long 0xf0040f0d, 0x00020a02, 0x05040403\n";   # image_load_mip NSA 3D
		for (op = 0; op < 16; op++)                              # tbuffer_*
			for (f = 0; f < 128; f++)
				printf ".long 0x%08x, 0x%08x\n",
					3892314112 + f * 524288 + op * 32768 + ((op * f) % 8) * 4096 + (f * 37) % 4096,
					(f % 4) * 4194304 + 16777216 + 131072 + 1280 + 1;
	}' >"$tmp/extra.s"
	llvm-mc-19 -arch=amdgcn -mcpu=gfx1100 -filetype=obj "$tmp/extra.s" -o "$tmp/extra.o"
	objdump_norm "$tmp/extra.o" >"$tmp/llvm"
	ours_norm "$tmp/extra.o" >"$tmp/ours"
	compare "hwreg/s_version/swizzle/sendmsg_rtn/setreg/ds_nop/gws/atc_probe/VOP3/MIMG/MTBUF" "$tmp/llvm" "$tmp/ours"
	if grep -q '<illegal>' "$tmp/llvm"; then fail "extra corpus: llvm calls some of it illegal"; else pass; fi

	# (f) every DS opcode with the gds bit clear and set, registers all v0
	# and distinct: accepted or refused as llvm-objdump-19 does (the GWS,
	# ordered-count and GS-register ops decode only with gds)
	awk 'BEGIN { print ".text";
		for (op = 0; op < 256; op++)
			for (g = 0; g < 2; g++) {
				printf ".long 0x%08x, 0x00000000\n", 3623878656 + op * 262144 + g * 131072;
				printf ".long 0x%08x, 0x05040302\n", 3623878656 + op * 262144 + g * 131072;
			}
	}' >"$tmp/dsgds.s"
	llvm-mc-19 -arch=amdgcn -mcpu=gfx1100 -filetype=obj "$tmp/dsgds.s" -o "$tmp/dsgds.o"
	objdump_norm "$tmp/dsgds.o" >"$tmp/llvm"
	ours_norm "$tmp/dsgds.o" >"$tmp/ours"
	compare "every DS opcode with and without gds" "$tmp/llvm" "$tmp/ours"
fi

# (d) strictness: unknown encodings are illegal and make the tool fail.
printf '\000\000\237\277\377\377\377\377' >"$tmp/bad.bin"   # s_code_end, then 0xffffffff
if "$disasm" --raw "$tmp/bad.bin" >"$tmp/bad.out"; then
	fail "vgpu-disasm exited 0 on an illegal encoding"
else
	if grep -q '^4: FFFFFFFF <illegal encoding 0xffffffff>$' "$tmp/bad.out"; then pass; else
		fail "illegal encoding line wrong: $(cat "$tmp/bad.out")"; fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
