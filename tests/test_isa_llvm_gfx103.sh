#!/bin/sh
# Oracle test of the vgpu's gfx10.3 (RDNA2) decoder/disassembler:
# build/vgpu-disasm --mcpu=gfx1030 must agree with llvm-objdump-19
# --mcpu=gfx1030 on instruction boundaries, raw words, mnemonics and
# operands for
#   (a) tests/isa/corpus_gfx103.s: one instruction per opcode of the
#       generated gfx10.3 tables (gen_optable_gfx103.py --corpus), in
#       wave32 and wave64 (vgpu-disasm --wave64);
#   (b) forms assembled here from text: SDWA, DPP16/DPP8, m0/null, SMEM
#       cache bits, FLAT/GLOBAL/SCRATCH addressing, MUBUF/MTBUF with lds
#       and formats, MIMG storage-image forms (NSA, modifiers), DS,
#       VOP3b, literals, packed math, hwreg/sendmsg;
#   (c) every 16-bit immediate of s_waitcnt and s_sendmsg, and every 7th
#       of s_getreg_b32 (the gfx10 layouts of those fields);
#   (d) 3000 random encodings (tests/isa/fuzz_gfx103.py, fixed seed): what
#       LLVM rejects at the first dword we reject, the rest prints the same.
# The full LLVM gfx10 corpus is `make isa-corpus-check-gfx103` (not part
# of make check: it fetches the LLVM sources).  Skips (and says so) only
# when the LLVM 19 tools are missing.
set -u
top=${AMDBARE_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
build=${AMDBARE_BUILD:-$top/build}
disasm=$build/vgpu-disasm
# shellcheck source=tests/isa/llvm_oracle.sh
. "$top/tests/isa/llvm_oracle.sh"

# assemble $1.s for gfx1030, compare in wave32 (and wave64 with $2 = 64)
check() { # name, source, [64]
	if ! llvm-mc-19 -arch=amdgcn -mcpu=gfx1030 -filetype=obj "$2" -o "$tmp/o.o" 2>"$tmp/mc.err"; then
		fail "$1 does not assemble: $(head -n 3 "$tmp/mc.err")"
		return
	fi
	objdump_norm "$tmp/o.o" gfx1030 32 >"$tmp/llvm"
	ours_norm --mcpu=gfx1030 "$tmp/o.o" >"$tmp/ours"
	compare "$1" "$tmp/llvm" "$tmp/ours"
	if [ "${3:-}" = 64 ]; then
		objdump_norm "$tmp/o.o" gfx1030 64 >"$tmp/llvm"
		ours_norm --mcpu=gfx1030 --wave64 "$tmp/o.o" >"$tmp/ours"
		compare "$1 (wave64)" "$tmp/llvm" "$tmp/ours"
	fi
}

# (a) every table opcode
check "tests/isa/corpus_gfx103.s" "$top/tests/isa/corpus_gfx103.s" 64
n=$(grep -c '^\.long' "$top/tests/isa/corpus_gfx103.s")
if [ "$n" -ge 1200 ]; then pass; else fail "corpus_gfx103.s has $n instructions (want >= 1200)"; fi

# (b) forms by hand
cat >"$tmp/forms.s" <<'EOF'
v_add_f32_sdwa v20, v40, v60 dst_sel:WORD_1 dst_unused:UNUSED_PRESERVE src0_sel:BYTE_0 src1_sel:WORD_0
v_mov_b32_sdwa v20, sext(v40) dst_sel:BYTE_1 src0_sel:WORD_1
v_add_f32_sdwa v20, -|v40|, s5 clamp dst_sel:DWORD src0_sel:WORD_1 src1_sel:DWORD
v_mul_f32_sdwa v1, v2, v3 mul:2 dst_sel:BYTE_3 dst_unused:UNUSED_SEXT src0_sel:BYTE_2 src1_sel:BYTE_1
v_and_b32_sdwa v1, s2, sext(v3) dst_sel:WORD_0 src0_sel:BYTE_0 src1_sel:WORD_1
v_cmp_eq_f32_sdwa vcc_lo, v40, v60 src0_sel:WORD_1 src1_sel:DWORD
v_cmp_eq_f32_sdwa s20, v40, v60 src0_sel:WORD_1 src1_sel:DWORD
v_cmpx_class_f32_sdwa v0, 1 src0_sel:WORD_1 src1_sel:DWORD
v_mov_b32_dpp v20, v40 quad_perm:[1,0,3,2] row_mask:0xf bank_mask:0xf
v_add_f32_dpp v20, -v40, |v60| row_shr:3 row_mask:0xa bank_mask:0x5 bound_ctrl:1 fi:1
v_mov_b32_dpp v20, v40 row_share:5 row_mask:0xf bank_mask:0xf
v_mov_b32_dpp v20, v40 dpp8:[1,0,3,2,4,5,6,7]
v_add_nc_u32_dpp v1, v2, v3 dpp8:[7,6,5,4,3,2,1,0] fi:1
v_mov_b32 v0, m0
s_mov_b32 m0, s1
s_mov_b32 null, s1
s_add_u32 s0, m0, 0x12345678
v_readfirstlane_b32 m0, v1
v_readlane_b32 s1, v2, m0
v_writelane_b32 v1, null, s3
s_load_dwordx2 s[20:21], s[40:41], 0x10 glc dlc
s_load_dwordx4 s[20:23], s[40:41], s10
s_buffer_load_dword s20, s[40:43], m0
s_buffer_load_dwordx2 s[20:21], s[40:43], 0xfffff
s_memtime s[2:3]
s_atc_probe 7, s[4:5], 0x10
s_dcache_inv
global_load_dword v20, v[40:41], off offset:-16 glc slc dlc
global_load_dword v20, v40, s[10:11] offset:2047
global_atomic_add v20, v[40:41], v60, off glc
global_atomic_cmpswap_x2 v[1:2], v3, v[4:7], s[10:11] offset:-2048 glc
scratch_load_dword v20, v40, off offset:16
scratch_load_dword v20, off, s10 offset:-16
scratch_store_dword off, v2, s3
flat_load_dword v20, v[40:41] offset:2047
flat_atomic_swap v1, v[2:3], v4 glc slc
global_load_dword v40, s[10:11] offset:16 lds
scratch_load_ubyte off, s10 offset:16 lds
buffer_load_dword v20, v40, s[40:43], s10 offen offset:16 glc slc dlc
buffer_load_dword v40, s[40:43], s10 offen offset:16 lds
buffer_load_format_x v1, s[4:7], 0 idxen lds
buffer_atomic_add v20, v40, s[40:43], s10 idxen glc
buffer_store_dwordx4 v[20:23], v[40:41], s[40:43], 0 idxen offen offset:4095
buffer_gl0_inv
buffer_gl1_inv
tbuffer_load_format_x v20, v40, s[40:43], s10 format:[BUF_FMT_32_FLOAT] offen offset:16 glc slc dlc
tbuffer_store_format_d16_xyzw v[1:2], off, s[4:7], s1 format:[BUF_FMT_16_16_16_16_FLOAT]
tbuffer_load_format_xyzw v[1:4], v2, s[4:7], m0 format:[BUF_FMT_10_11_11_UNORM] idxen
image_load v[0:3], v[4:5], s[8:15] dmask:0xf dim:SQ_RSRC_IMG_2D unorm
image_load v[0:1], [v4, v7, v9], s[8:15] dmask:0xf dim:SQ_RSRC_IMG_3D unorm glc slc dlc d16
image_load_mip v0, v[4:5], s[8:15] dmask:0x4 dim:SQ_RSRC_IMG_2D unorm a16
image_store_mip v[0:3], [v4, v7, v9, v2], s[8:15] dmask:0xf dim:SQ_RSRC_IMG_2D_ARRAY unorm
image_store_pck v0, v4, s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_1D unorm r128
image_get_resinfo v[0:4], v4, s[8:15] dmask:0xf dim:SQ_RSRC_IMG_2D_ARRAY unorm tfe
image_atomic_cmpswap v[0:1], v[4:5], s[8:15] dmask:0x3 dim:SQ_RSRC_IMG_2D unorm glc
image_atomic_fmax v0, v[4:6], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_CUBE unorm glc lwe
image_msaa_load v[0:3], v[4:7], s[8:15] dmask:0xf dim:SQ_RSRC_IMG_2D_MSAA_ARRAY unorm
ds_write_b32 v20, v40 offset:16 gds
ds_write2_b32 v1, v2, v3 offset0:4 offset1:8
ds_read_b64 v[1:2], v3 offset:65535
ds_swizzle_b32 v5, v1 offset:swizzle(BITMASK_PERM,"00p00")
ds_gws_sema_v gds
ds_gws_init v1 gds
ds_nop
v_add_co_u32 v20, s20, v40, v60
v_add_co_ci_u32_e64 v1, s5, v2, v3, s6
v_cndmask_b32_e64 v1, v2, v3, s4
v_cndmask_b32_e32 v1, v2, v3, vcc_lo
v_cmp_class_f32_e64 s10, -v1, v2
v_cmp_lt_f64_e64 s10, v[1:2], 0.5
v_add_f32_e64 v1, -v2, |v3| clamp mul:2
v_fma_f32 v1, v2, 0x41200000, v3
v_fmamk_f32 v1, v2, 0x41200000, v3
v_fmaak_f32 v1, v2, v3, 0x41200000
v_mad_u64_u32 v[1:2], s3, v4, v5, v[6:7]
v_div_scale_f32 v1, vcc_lo, v2, v3, v2
v_dot2_f32_f16 v1, v2, v3, v4
v_dot4_i32_i8 v1, v2, v3, v4
v_pk_fma_f16 v1, v2, v3, v4 op_sel:[1,0,0] neg_lo:[1,0,0]
v_pk_add_u16 v1, v2, 4
v_fma_mix_f32 v1, v2, v3, v4 op_sel_hi:[1,1,0]
v_permlane16_b32 v5, v1, s2, s3 op_sel:[1,0]
v_lshlrev_b64 v[1:2], 3, v[4:5]
v_add_nc_u16 v1, v2, v3 op_sel:[1,0,1]
v_cvt_f32_f16_e32 v1, src_lds_direct
v_mov_b32_e32 v1, src_shared_base
s_waitcnt vmcnt(1) expcnt(2) lgkmcnt(3)
s_waitcnt_vscnt null, 0x3
s_waitcnt_depctr 0xfffe
s_getreg_b32 s20, hwreg(HW_REG_HW_ID1)
s_setreg_b32 hwreg(HW_REG_MODE, 4, 3), s1
s_setreg_imm32_b32 hwreg(HW_REG_MODE, 0, 4), 0x1234
s_sendmsg sendmsg(MSG_GS_DONE, GS_OP_NOP)
s_sendmsg sendmsg(MSG_GS, GS_OP_EMIT, 1)
s_sendmsg sendmsg(MSG_INTERRUPT)
s_version 0x1234
s_inst_prefetch 0x3
s_round_mode 0x5
s_code_end
s_endpgm
EOF
check "gfx10.3 forms" "$tmp/forms.s" 64

# (c) every immediate of s_waitcnt (op 12) and s_sendmsg (op 16), every
# 7th of s_getreg_b32 s1 (hwreg id/offset/size)
awk 'BEGIN { print ".text";
	for (v = 0; v < 65536; v++) printf ".long 0x%08x\n", 3213623296 + v;   # 0xbf8c0000
	for (v = 0; v < 65536; v++) printf ".long 0x%08x\n", 3213885440 + v;   # 0xbf900000
	for (v = 0; v < 65536; v += 7) printf ".long 0x%08x\n", 3104899072 + v; # 0xb9010000
}' >"$tmp/simm.s"
check "s_waitcnt/s_sendmsg all immediates, s_getreg every 7th" "$tmp/simm.s"

# (d) random encodings (fixed seed): LLVM's rejections are ours too
if command -v python3 >/dev/null 2>&1; then
	if python3 "$top/tests/isa/fuzz_gfx103.py" "$disasm" 3000 103 >"$tmp/fuzz" 2>&1; then
		echo "ok   $(tail -n 1 "$tmp/fuzz")"
		pass
	else
		fail "random encodings differ from llvm-objdump-19:"
		head -n 40 "$tmp/fuzz"
	fi
else
	fail "python3 missing"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
