#!/bin/sh
# Oracle test of the vgpu's gfx9 (GCN 5, Vega) decoder/disassembler:
# build/vgpu-disasm --mcpu=gfx900 (and gfx906, gfx90a) must agree with
# llvm-objdump-19 of the same --mcpu (wave64, gfx9's only wave size) on
# instruction boundaries, raw words, mnemonics and operands for
#   (a) tests/isa/corpus_gfx9.s: one instruction per opcode of the
#       generated gfx9 tables (gen_optable_gfx9.py --corpus);
#   (b) forms assembled here from text: SDWA, DPP (wave_*, row_bcast), m0,
#       flat_scratch/xnack_mask, SMEM imm/soe forms, FLAT/GLOBAL/SCRATCH
#       addressing, MUBUF/MTBUF with lds and formats, DS, VOP3b and lane
#       masks, packed math, hwreg/sendmsg; gfx906's dot products, fmac and
#       fma_mix under --mcpu=gfx906; packed fp32, MFMA, v_accvgpr_* and
#       AccVGPR/scc memory and image forms, row_newbcast and the 64-bit
#       DPP forms under --mcpu=gfx90a; refusals (gfx90a: DP ALU DPP
#       without row_newbcast, image_sample_l, EXP; gfx900: row_newbcast,
#       f64 DPP); kernels/bin/*-gfx90a.co whole;
#   (c) every 16-bit immediate of s_waitcnt and s_sendmsg, and every 7th
#       of s_getreg_b32 (the gfx9 layouts of those fields);
#   (d) 3000 random encodings (tests/isa/fuzz_gfx103.py with gfx900, fixed
#       seed; 1000 with gfx906; 800 with gfx90a, MFMA/v_accvgpr_* and
#       VOP1/VOP2 DPP (half row_newbcast) weighted up): what LLVM rejects
#       at the first dword we reject, the rest
#       prints the same;
#   (e) --wave32 refused for gfx9;
#   (f) the graphics encodings, decoded and printed though not executed:
#       tests/isa/corpus_gfx9_graphics.s (gen_optable_gfx9.py
#       --graphics-corpus: every MIMG opcode in three forms, every EXP
#       target, every VINTRP and VOP3 v_interp_* opcode) and 1000 random
#       MIMG/EXP/VINTRP/v_interp encodings (fuzz_gfx103.py ... graphics,
#       gfx900; 300 with gfx906; 600 with gfx90a, its MIMG opcodes
#       weighted up).
# The full LLVM gfx9 corpus is `make isa-corpus-check-gfx9` (not part of
# make check: it fetches the LLVM sources).  Skips (and says so) only
# when the LLVM 19 tools are missing.
set -u
top=${AMDBARE_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
build=${AMDBARE_BUILD:-$top/build}
disasm=$build/vgpu-disasm
# shellcheck source=tests/isa/llvm_oracle.sh
. "$top/tests/isa/llvm_oracle.sh"

# assemble $2 for $3 (default gfx900) and compare
check() { # name, source, [mcpu]
	cpu=${3:-gfx900}
	if ! llvm-mc-19 -arch=amdgcn -mcpu="$cpu" -filetype=obj "$2" -o "$tmp/o.o" 2>"$tmp/mc.err"; then
		fail "$1 does not assemble: $(head -n 3 "$tmp/mc.err")"
		return
	fi
	objdump_norm "$tmp/o.o" "$cpu" >"$tmp/llvm"
	ours_norm --mcpu="$cpu" "$tmp/o.o" >"$tmp/ours"
	compare "$1" "$tmp/llvm" "$tmp/ours"
}

# (a) every table opcode
check "tests/isa/corpus_gfx9.s" "$top/tests/isa/corpus_gfx9.s"
n=$(grep -c '^\.long' "$top/tests/isa/corpus_gfx9.s")
if [ "$n" -ge 1200 ]; then pass; else fail "corpus_gfx9.s has $n instructions (want >= 1200)"; fi

# (b) forms by hand
cat >"$tmp/forms.s" <<'EOF'
v_add_f32_sdwa v20, v40, v60 dst_sel:WORD_1 dst_unused:UNUSED_PRESERVE src0_sel:BYTE_0 src1_sel:WORD_0
v_mov_b32_sdwa v20, sext(v40) dst_sel:BYTE_1 src0_sel:WORD_1
v_add_f32_sdwa v20, -|v40|, s5 clamp dst_sel:DWORD src0_sel:WORD_1 src1_sel:DWORD
v_mul_f32_sdwa v1, v2, v3 mul:2 dst_sel:BYTE_3 dst_unused:UNUSED_SEXT src0_sel:BYTE_2 src1_sel:BYTE_1
v_and_b32_sdwa v1, s2, sext(v3) dst_sel:WORD_0 src0_sel:BYTE_0 src1_sel:WORD_1
v_cmp_eq_f32_sdwa vcc, v40, v60 src0_sel:WORD_1 src1_sel:DWORD
v_cmp_eq_f32_sdwa s[20:21], v40, v60 src0_sel:WORD_1 src1_sel:DWORD
v_cmpx_class_f32_sdwa s[0:1], v0, v1 src0_sel:WORD_1 src1_sel:DWORD
v_add_co_u32_sdwa v1, vcc, v2, v3 dst_sel:DWORD dst_unused:UNUSED_PAD src0_sel:BYTE_0 src1_sel:DWORD
v_mov_b32_dpp v20, v40 quad_perm:[1,0,3,2] row_mask:0xf bank_mask:0xf
v_add_f32_dpp v20, -v40, |v60| row_shr:3 row_mask:0xa bank_mask:0x5 bound_ctrl:0
v_mov_b32_dpp v20, v40 wave_shl:1 row_mask:0xf bank_mask:0xf
v_mov_b32_dpp v20, v40 wave_rol:1 row_mask:0xf bank_mask:0xf
v_mov_b32_dpp v20, v40 wave_shr:1 row_mask:0xf bank_mask:0xf
v_mov_b32_dpp v20, v40 wave_ror:1 row_mask:0xf bank_mask:0xf
v_mov_b32_dpp v20, v40 row_bcast:15 row_mask:0xf bank_mask:0xf
v_mov_b32_dpp v20, v40 row_bcast:31 row_mask:0xf bank_mask:0xf
v_mov_b32_dpp v20, v40 row_mirror row_mask:0xf bank_mask:0xf
v_add_u32_dpp v1, v2, v3 row_half_mirror row_mask:0x1 bank_mask:0x2
v_mov_b32 v0, m0
s_mov_b32 m0, s1
s_add_u32 s0, m0, 0x12345678
s_mov_b64 flat_scratch, s[2:3]
s_mov_b32 flat_scratch_hi, s2
s_mov_b64 s[4:5], xnack_mask
s_mov_b32 xnack_mask_lo, 0
v_readfirstlane_b32 m0, v1
v_readlane_b32 s1, v2, m0
v_writelane_b32 v1, s4, 3
s_load_dwordx2 s[20:21], s[40:41], 0x10 glc
s_load_dwordx2 s[20:21], s[40:41], 0x0
s_load_dwordx4 s[20:23], s[40:41], s10
s_load_dword s1, s[2:3], s10 offset:0x100
s_load_dword s1, s[2:3], -0x100
s_buffer_load_dword s20, s[40:43], m0
s_buffer_load_dwordx2 s[20:21], s[40:43], 0xfffff
s_store_dword s1, s[2:3], 0x4 glc
s_memtime s[2:3]
s_memrealtime s[2:3]
s_atc_probe 7, s[4:5], 0x10
s_dcache_inv
s_dcache_wb
global_load_dword v20, v[40:41], off offset:-16 glc slc
global_load_dword v20, v40, s[10:11] offset:2047
global_atomic_add v20, v[40:41], v60, off glc
global_atomic_cmpswap_x2 v[1:2], v3, v[4:7], s[10:11] offset:-2048 glc
scratch_load_dword v20, v40, off offset:16
scratch_load_dword v20, off, s10 offset:-16
scratch_store_dword off, v2, s3
flat_load_dword v20, v[40:41] offset:2047
flat_atomic_swap v1, v[2:3], v4 glc slc
global_load_dword v[40:41], off offset:16 lds
buffer_load_dword v20, v40, s[40:43], s10 offen offset:16 glc slc
buffer_load_dword v40, s[40:43], s10 offen offset:16 lds
buffer_load_format_x v1, s[4:7], 0 idxen lds
buffer_atomic_add v20, v40, s[40:43], s10 idxen glc
buffer_store_dwordx4 v[20:23], v[40:41], s[40:43], 0 idxen offen offset:4095
buffer_load_dword v[1:2], v3, s[4:7], 0 offen tfe
buffer_wbinvl1
buffer_store_lds_dword s[4:7], s1 offset:16 lds glc
buffer_wbinvl1_vol
tbuffer_load_format_x v20, v40, s[40:43], s10 format:[BUF_DATA_FORMAT_32,BUF_NUM_FORMAT_FLOAT] offen offset:16 glc slc
tbuffer_store_format_d16_xyzw v[1:2], off, s[4:7], s1 format:[BUF_DATA_FORMAT_16_16_16_16,BUF_NUM_FORMAT_FLOAT]
tbuffer_load_format_xyzw v[1:4], v2, s[4:7], m0 format:[BUF_DATA_FORMAT_8,BUF_NUM_FORMAT_UNORM] idxen
ds_write_b32 v20, v40 offset:16 gds
ds_write2_b32 v1, v2, v3 offset0:4 offset1:8
ds_read_b64 v[1:2], v3 offset:65535
ds_swizzle_b32 v5, v1 offset:swizzle(BITMASK_PERM,"00p00")
ds_gws_sema_v gds
ds_gws_init v1 gds
ds_nop
v_add_co_u32_e64 v20, s[20:21], v40, v60
v_addc_co_u32_e64 v1, s[4:5], v2, v3, s[6:7]
v_addc_co_u32_e32 v1, vcc, v2, v3, vcc
v_cndmask_b32_e64 v1, v2, v3, s[4:5]
v_cndmask_b32_e64 v1, 0, 1, flat_scratch
v_cndmask_b32_e32 v1, v2, v3, vcc
v_cmp_class_f32_e64 s[10:11], -v1, v2
v_cmp_lt_f64_e64 s[10:11], v[1:2], 0.5
v_cmp_eq_u32_e64 vcc, v1, 4
v_add_f32_e64 v1, -v2, |v3| clamp mul:2
v_add_f16_e64 v1, 1.0, v2
v_mad_f32 v1, v2, v3, v4
v_mac_f32_e32 v1, 0x41200000, v3
v_madmk_f32 v1, v2, 0x41200000, v3
v_madak_f32 v1, v2, v3, 0x41200000
v_mad_u64_u32 v[1:2], s[2:3], v4, v5, v[6:7]
v_div_scale_f32 v1, vcc, v2, v3, v2
v_add_u32_e32 v1, v2, v3
v_add_u32_e64 v1, v2, v3 clamp
v_pk_fma_f16 v1, v2, v3, v4 op_sel:[1,0,0] neg_lo:[1,0,0]
v_pk_add_u16 v1, v2, 4
v_mad_mix_f32 v1, v2, v3, v4 op_sel_hi:[1,1,0]
v_lshlrev_b64 v[1:2], 3, v[4:5]
v_add_u16_e64 v1, v2, 1.0
v_mov_b32_e32 v1, src_shared_base
v_mov_b32_e32 v1, src_lds_direct
s_waitcnt vmcnt(1) expcnt(2) lgkmcnt(3)
s_getreg_b32 s20, hwreg(HW_REG_HW_ID)
s_setreg_b32 hwreg(HW_REG_MODE, 4, 3), s1
s_setreg_imm32_b32 hwreg(HW_REG_MODE, 0, 4), 0x1234
s_sendmsg sendmsg(MSG_GS_DONE, GS_OP_NOP)
s_sendmsg sendmsg(MSG_GS, GS_OP_EMIT, 1)
s_sendmsg sendmsg(MSG_INTERRUPT)
s_set_gpr_idx_on s2, gpr_idx(SRC0,DST)
s_set_gpr_idx_mode gpr_idx(SRC1)
s_set_gpr_idx_off
s_endpgm
EOF
check "gfx9 forms" "$tmp/forms.s"
cat >"$tmp/forms906.s" <<'EOF'
v_fmac_f32_e32 v1, v2, v3
v_fmac_f32_e64 v1, -v2, v3 clamp
v_xnor_b32_e32 v1, v2, v3
v_fma_mix_f32 v1, v2, v3, v4 op_sel_hi:[1,1,0]
v_fma_mixlo_f16 v1, v2, v3, v4
v_dot2_f32_f16 v1, v2, v3, v4
v_dot4_i32_i8 v1, v2, v3, v4
v_dot8_u32_u4 v1, v2, v3, v4 clamp
v_add_f32_e32 v1, v2, v3
global_load_dword v1, v[2:3], off
EOF
check "gfx906 forms" "$tmp/forms906.s" gfx906
cat >"$tmp/forms90a.s" <<'EOF'
v_pk_fma_f32 v[0:1], v[2:3], v[4:5], v[6:7]
v_pk_fma_f32 v[0:1], v[2:3], v[4:5], v[6:7] op_sel:[1,0,0] op_sel_hi:[0,1,1]
v_pk_mul_f32 v[0:1], v[2:3], v[4:5] op_sel_hi:[0,0] neg_lo:[1,0]
v_pk_add_f32 v[4:5], s[2:3], v[4:5] neg_hi:[0,1]
v_pk_mov_b32 v[0:1], v[2:3], v[4:5] op_sel:[1,0]
v_fmac_f32_e32 v1, v2, v3
v_dot2_f32_f16 v1, v2, v3, v4
global_load_dword v1, v[2:3], off
v_mfma_f32_32x32x8f16 a[0:15], v[0:1], v[2:3], a[0:15]
v_mfma_f32_16x16x16f16 v[0:3], a[4:5], v[2:3], 0 cbsz:1 abid:1 blgp:3
v_mfma_f32_4x4x1f32 a[0:3], v0, v1, 1.0
v_mfma_f32_32x32x2f32 a[0:15], v0, a1, a[16:31]
v_mfma_i32_16x16x16i8 v[4:7], v0, v1, v[4:7]
v_mfma_f32_16x16x16bf16_1k a[0:3], v[0:1], v[2:3], a[0:3]
v_mfma_f64_16x16x4f64 v[0:7], v[8:9], v[10:11], v[0:7]
v_mfma_f64_4x4x4f64 a[0:1], v[0:1], a[2:3], 0.5 blgp:1
v_accvgpr_read_b32 v1, a255
v_accvgpr_write_b32 a2, -2.0
v_accvgpr_write_b32 a3, s7
v_accvgpr_mov_b32 a1, a2
ds_read_b64 a[2:3], v2 offset:8
ds_write2_b32 v1, a2, a3 offset1:4
global_load_dwordx4 a[4:7], v[2:3], off glc slc scc
global_store_dword v[2:3], a1, off scc
flat_load_dword a1, v[2:3] offset:16
scratch_store_dwordx2 off, a[2:3], s4 offset:8
buffer_load_dword a1, v0, s[4:7], 0 offen offset:4 scc
buffer_store_dwordx2 a[2:3], off, s[4:7], s1 glc
tbuffer_load_format_x a1, off, s[4:7], 0 format:[BUF_DATA_FORMAT_32,BUF_NUM_FORMAT_FLOAT] scc
image_load a[4:7], v2, s[8:15] dmask:0xf unorm glc slc scc
image_load v4, v2, s[8:15] dmask:0x3 da d16
image_load_mip_pck a[4:5], v[2:3], s[8:15] dmask:0x3 lwe
image_store a[2:4], v2, s[12:19] dmask:0x7 unorm a16
image_store_mip v1, v[2:3], s[12:19] dmask:0x1 scc
image_atomic_cmpswap a[2:3], v2, s[8:15] dmask:0x3 glc
image_atomic_add v1, v2, s[8:15] dmask:0x1 slc
image_get_resinfo a[0:3], v2, s[8:15] dmask:0xf
image_sample a[0:3], v2, s[8:15], s[16:19] dmask:0xf
image_sample v0, v2, s[8:15], s[16:19] dmask:0x1 d16
v_xor_b32_dpp v6, v29, v27 row_newbcast:0 row_mask:0xf bank_mask:0xf
v_mov_b32_dpp v1, v2 row_newbcast:15 row_mask:0x3 bank_mask:0xc bound_ctrl:1
v_ceil_f64_dpp v[0:1], -v[2:3] row_newbcast:1 row_mask:0xf bank_mask:0xf
v_fmac_f64_dpp v[0:1], |v[2:3]|, -v[4:5] row_newbcast:2 row_mask:0xf bank_mask:0xf
v_cvt_f64_i32_dpp v[2:3], v5 row_newbcast:7 row_mask:0xf bank_mask:0xf
v_cvt_i32_f64_dpp v5, v[0:1] row_newbcast:1 row_mask:0xf bank_mask:0xf bound_ctrl:1
v_rsq_f64_dpp v[4:5], v[0:1] row_newbcast:9 row_mask:0xf bank_mask:0x1
EOF
check "gfx90a forms" "$tmp/forms90a.s" gfx90a
# refusals, as llvm-objdump-19 refuses (or marks invalid) them: gfx90a's
# DP ALU DPP with a control other than row_newbcast (row_shl:1), an MIMG
# opcode gfx90a lacks (image_sample_l), EXP; row_newbcast and f64 DPP on
# gfx900
for t in "gfx90a 0xfa,0x30,0x00,0x7e,0x02,0x01,0x01,0xff" \
	 "gfx90a 0x00,0x01,0x90,0xf0,0x04,0x00,0x22,0x00" \
	 "gfx90a 0x0f,0x00,0x00,0xc4,0x00,0x00,0x00,0x00" \
	 "gfx900 0xfa,0x36,0x0c,0x2a,0x1d,0x50,0x01,0xff" \
	 "gfx900 0xfa,0x30,0x00,0x7e,0x02,0x51,0x01,0xff"; do
	: >"$tmp/refuse.bin"
	for b in $(echo "${t#* }" | tr ',' ' '); do
		# shellcheck disable=SC2059  # one byte as an octal escape
		printf "\\$(printf '%03o' "$b")" >>"$tmp/refuse.bin"
	done
	out=$("$disasm" --mcpu="${t%% *}" --raw "$tmp/refuse.bin" | head -n 1)
	case "$out" in
	*"<illegal encoding"*) pass ;;
	*) fail "vgpu-disasm --mcpu=${t%% *} accepted ${t#* }: $out" ;;
	esac
done
# the project's gfx90a code objects as llvm-objdump-19 --mcpu=gfx90a prints them
for co in "$top"/kernels/bin/*-gfx90a.co; do
	objdump_norm "$co" gfx90a >"$tmp/l90a"
	ours_norm --mcpu=gfx90a "$co" >"$tmp/o90a"
	compare "$(basename "$co") (gfx90a)" "$tmp/l90a" "$tmp/o90a"
done

# (c) every immediate of s_waitcnt (op 12) and s_sendmsg (op 16), every
# 7th of s_getreg_b32 s1 (hwreg id/offset/size; gfx9 opcode 17)
awk 'BEGIN { print ".text";
	for (v = 0; v < 65536; v++) printf ".long 0x%08x\n", 3213623296 + v;   # 0xbf8c0000
	for (v = 0; v < 65536; v++) printf ".long 0x%08x\n", 3213885440 + v;   # 0xbf900000
	for (v = 0; v < 65536; v += 7) printf ".long 0x%08x\n", 3095461888 + v; # 0xb8810000
}' >"$tmp/simm.s"
check "s_waitcnt/s_sendmsg all immediates, s_getreg every 7th" "$tmp/simm.s"

# (d) random encodings (fixed seed): LLVM's rejections are ours too
if command -v python3 >/dev/null 2>&1; then
	if python3 "$top/tests/isa/fuzz_gfx103.py" "$disasm" 3000 9 gfx900 >"$tmp/fuzz" 2>&1; then
		echo "ok   $(tail -n 1 "$tmp/fuzz")"
		pass
	else
		fail "random encodings differ from llvm-objdump-19:"
		head -n 40 "$tmp/fuzz"
	fi
	if python3 "$top/tests/isa/fuzz_gfx103.py" "$disasm" 1000 906 gfx906 >"$tmp/fuzz" 2>&1; then
		echo "ok   gfx906 $(tail -n 1 "$tmp/fuzz")"
		pass
	else
		fail "gfx906 random encodings differ from llvm-objdump-19:"
		head -n 40 "$tmp/fuzz"
	fi
	if python3 "$top/tests/isa/fuzz_gfx103.py" "$disasm" 800 90 gfx90a >"$tmp/fuzz" 2>&1; then
		echo "ok   gfx90a $(tail -n 1 "$tmp/fuzz")"
		pass
	else
		fail "gfx90a random encodings differ from llvm-objdump-19:"
		head -n 40 "$tmp/fuzz"
	fi
else
	fail "python3 missing"
fi

# (e) wave64 only
if "$disasm" --mcpu=gfx900 --wave32 "$top/tests/isa/k_add.co" >/dev/null 2>"$tmp/w32"; then
	fail "vgpu-disasm --mcpu=gfx900 --wave32 accepted"
elif grep -q "wave64 only" "$tmp/w32"; then
	echo "ok   --wave32 refused for gfx9"
	pass
else
	fail "vgpu-disasm --wave32 refusal does not say why: $(cat "$tmp/w32")"
fi

# (f) graphics: every table opcode, then random encodings
check "tests/isa/corpus_gfx9_graphics.s" "$top/tests/isa/corpus_gfx9_graphics.s"
n=$(grep -c '^\.long' "$top/tests/isa/corpus_gfx9_graphics.s")
if [ "$n" -ge 390 ]; then pass; else fail "corpus_gfx9_graphics.s has $n instructions (want >= 390)"; fi
for run in "1000 91 gfx900" "300 96 gfx906" "600 190 gfx90a"; do
	# shellcheck disable=SC2086  # $run: count, seed, mcpu
	if python3 "$top/tests/isa/fuzz_gfx103.py" "$disasm" $run graphics >"$tmp/fuzz" 2>&1; then
		echo "ok   graphics ${run##* } $(tail -n 1 "$tmp/fuzz")"
		pass
	else
		fail "graphics random encodings (${run##* }) differ from llvm-objdump-19:"
		head -n 40 "$tmp/fuzz"
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
