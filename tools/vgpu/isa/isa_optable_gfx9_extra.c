/* gfx9 opcodes gen_optable_gfx9.py leaves out, for the reasons of
 * isa_optable_gfx103_extra.c: operands that print symbolically
 * (hwreg(...), swizzle(...), s_atc_probe's probe bits) or a probe that
 * LLVM rejects with distinct registers in every field (the GWS
 * semaphores, buffer_store_lds_dword: lds bit only); and MTBUF (opcode 18:15, dfmt 22:19, nfmt 25:23 of word
 * 0; LLVM 19 rejects tfe on all of them).  Written by hand from llvm-mc-19 -mcpu=gfx900 -show-encoding and
 * checked by the gfx9 corpus (tools/isa-corpus-check.sh --gfx9).
 * isa_lookup_gfx9 consults these after the generated tables.  Sorted by
 * opcode. */
#include "isa_table_gfx9.h"

/* s_set_gpr_idx_on: the index (a scalar source) and the 4-bit mode
 * (the SSRC1 field, printed gpr_idx(...)) */
const struct isa_opdesc isa_tab9_xsopc[] = {
	{17, "s_set_gpr_idx_on", 2, 0, 0, 0, 0, {{ISA_FLD_SSRC0, 32, ISA_LIT_32I, 0}, {ISA_FLD_SSRC1, 8, ISA_SIMM_GPR_IDX, 0}}, NULL, NULL},
};
const unsigned isa_tab9_xsopc_n = 1;

const struct isa_opdesc isa_tab9_xsopk[] = {
	{17, "s_getreg_b32", 2, 0, 0, 0, 0, {{ISA_FLD_SDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SIMM16, 16, ISA_SIMM_HWREG, 0}}, NULL, NULL},
	{18, "s_setreg_b32", 2, 0, 0, 0, 0, {{ISA_FLD_SIMM16, 16, ISA_SIMM_HWREG, 0}, {ISA_FLD_SDST, 32, ISA_LIT_NONE, 0}}, NULL, NULL},
	{20, "s_setreg_imm32_b32", 2, 0, 0, 0, 0, {{ISA_FLD_SIMM16, 16, ISA_SIMM_HWREG, 0}, {ISA_FLD_LITK, 32, ISA_LIT_32F, 0}}, NULL, NULL},
};
const unsigned isa_tab9_xsopk_n = 3;

const struct isa_opdesc isa_tab9_xsmem[] = {
	{38, "s_atc_probe", 3, 0, 0, 0, 0, {{ISA_FLD_SDATA, 7, ISA_SIMM_HEX_SMALLDEC, 0}, {ISA_FLD_SBASE, 64, ISA_LIT_NONE, 0}, {ISA_FLD_SOFFSET, 32, ISA_LIT_NONE, 0}}, NULL, NULL},
	{39, "s_atc_probe_buffer", 3, 0, 0, 0, 0, {{ISA_FLD_SDATA, 7, ISA_SIMM_HEX_SMALLDEC, 0}, {ISA_FLD_SBASE, 128, ISA_LIT_NONE, 0}, {ISA_FLD_SOFFSET, 32, ISA_LIT_NONE, 0}}, NULL, NULL},
};
const unsigned isa_tab9_xsmem_n = 2;

#define DS_ALL_ZERO (ISA_MBZ(ISA_FLD_SIMM16) | ISA_MBZ(ISA_FLD_VDST) | ISA_MBZ(ISA_FLD_ADDR) | \
		     ISA_MBZ(ISA_FLD_DATA0) | ISA_MBZ(ISA_FLD_DATA1))
#define DS_NO_REGS (ISA_MBZ(ISA_FLD_VDST) | ISA_MBZ(ISA_FLD_ADDR) | ISA_MBZ(ISA_FLD_DATA0) | \
		    ISA_MBZ(ISA_FLD_DATA1))
const struct isa_opdesc isa_tab9_xds[] = {
	{20, "ds_nop", 0, 0, DS_ALL_ZERO | ISA_MBZ(ISA_FLD_DS_GDS), 0, 0, {}, NULL, NULL},
	{61, "ds_swizzle_b32", 2, ISA_OPF_DS_SWIZZLE, ISA_MBZ(ISA_FLD_DATA0) | ISA_MBZ(ISA_FLD_DATA1), 0, 0, {{ISA_FLD_VDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}}, NULL, NULL},
	{152, "ds_gws_sema_release_all", 0, ISA_OPF_DS_GDS_REQ, DS_NO_REGS, 0, 0, {}, NULL, NULL},
	{154, "ds_gws_sema_v", 0, ISA_OPF_DS_GDS_REQ, DS_NO_REGS, 0, 0, {}, NULL, NULL},
	{156, "ds_gws_sema_p", 0, ISA_OPF_DS_GDS_REQ, DS_NO_REGS, 0, 0, {}, NULL, NULL},
};
const unsigned isa_tab9_xds_n = 5;

/* buffer_store_lds_dword: LDS to memory, valid only with the lds bit;
 * no address VGPR (offen/idxen invalid) nor data register */
const struct isa_opdesc isa_tab9_xmubuf[] = {
	{61, "buffer_store_lds_dword", 2, 0, ISA_MBZ(ISA_FLD_MUBUF_IDX) | ISA_MBZ(ISA_FLD_MUBUF_TFE), 0, 0, {{ISA_FLD_SRSRC, 128, ISA_LIT_NONE, 0}, {ISA_FLD_MSOFF, 32, ISA_LIT_NOLIT, 0}}, NULL, NULL},
};
const unsigned isa_tab9_xmubuf_n = 1;

#define MT(op, name, bits) \
	{op, name, 4, 0, ISA_MBZ(ISA_FLD_MUBUF_TFE), 0, 0, {{ISA_FLD_DATA0, bits, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, \
	 {ISA_FLD_SRSRC, 128, ISA_LIT_NONE, 0}, {ISA_FLD_MSOFF, 32, ISA_LIT_NOLIT, 0}}, NULL, NULL}
const struct isa_opdesc isa_tab9_xmtbuf[] = {
	MT(0, "tbuffer_load_format_x", 32),
	MT(1, "tbuffer_load_format_xy", 64),
	MT(2, "tbuffer_load_format_xyz", 96),
	MT(3, "tbuffer_load_format_xyzw", 128),
	MT(4, "tbuffer_store_format_x", 32),
	MT(5, "tbuffer_store_format_xy", 64),
	MT(6, "tbuffer_store_format_xyz", 96),
	MT(7, "tbuffer_store_format_xyzw", 128),
	MT(8, "tbuffer_load_format_d16_x", 32),
	MT(9, "tbuffer_load_format_d16_xy", 32),
	MT(10, "tbuffer_load_format_d16_xyz", 64),
	MT(11, "tbuffer_load_format_d16_xyzw", 64),
	MT(12, "tbuffer_store_format_d16_x", 32),
	MT(13, "tbuffer_store_format_d16_xy", 32),
	MT(14, "tbuffer_store_format_d16_xyz", 64),
	MT(15, "tbuffer_store_format_d16_xyzw", 64),
};
const unsigned isa_tab9_xmtbuf_n = 16;

/* Graphics (decode only; docs/vgpu-isa.md), read off llvm-mc-19
 * -mcpu=gfx900 -show-encoding and probed with llvm-objdump-19; the
 * operands are set by isa_decode_graphics_gfx9 (slots: printed order).
 * EXP: 0xc4000000 prefix, one opcode. */
const struct isa_opdesc isa_tab9_xexp[] = {
	{0, "exp", 4, 0, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}}, NULL, NULL},
};
const unsigned isa_tab9_xexp_n = 1;

/* VINTRP: 0xd4000000 prefix, opcode 17:16 (3 is none) */
const struct isa_opdesc isa_tab9_xvintrp[] = {
	{0, "v_interp_p1_f32_e32", 3, 0, 0, 0, 0, {{ISA_FLD_VDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC1, 8, ISA_LIT_NONE, 0}}, NULL, NULL},
	{1, "v_interp_p2_f32_e32", 3, 0, 0, 0, 0, {{ISA_FLD_VDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC1, 8, ISA_LIT_NONE, 0}}, NULL, NULL},
	{2, "v_interp_mov_f32_e32", 3, 0, 0, 0, 0, {{ISA_FLD_VDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC0, 8, ISA_LIT_NONE, 0}, {ISA_FLD_SRC1, 8, ISA_LIT_NONE, 0}}, NULL, NULL},
};
const unsigned isa_tab9_xvintrp_n = 3;

/* VOP3 v_interp_* (opcodes 0x270-0x277; 0x273 is none): printed vdst,
 * the VGPR source (SRC1) or mov's parameter, the attribute (SRC0: attr
 * 5:0, chan 7:6, high 8) and the f16 forms' second source (SRC2).  The
 * flags say which modifiers print (neg/abs of the sources, clamp, omod;
 * the _f16 forms take high); everything else must be clear. */
#define INTERP_F32 (ISA_OPF_ABS_PRINT | ISA_OPF_NEG_PRINT | ISA_OPF_CLAMP_PRINT | ISA_OPF_OMOD_PRINT)
const struct isa_opdesc isa_tab9_xinterp[] = {
	{0x270, "v_interp_p1_f32_e64", 3, INTERP_F32, 0, 0, 0, {{ISA_FLD_VDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC1, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC0, 8, ISA_LIT_NONE, 0}}, NULL, NULL},
	{0x271, "v_interp_p2_f32_e64", 3, INTERP_F32, 0, 0, 0, {{ISA_FLD_VDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC1, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC0, 8, ISA_LIT_NONE, 0}}, NULL, NULL},
	{0x272, "v_interp_mov_f32_e64", 3, ISA_OPF_CLAMP_PRINT | ISA_OPF_OMOD_PRINT, 0, 0, 0, {{ISA_FLD_VDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC1, 9, ISA_LIT_NONE, 0}, {ISA_FLD_SRC0, 8, ISA_LIT_NONE, 0}}, NULL, NULL},
	{0x274, "v_interp_p1ll_f16", 3, INTERP_F32, 0, 0, 0, {{ISA_FLD_VDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC1, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC0, 8, ISA_LIT_NONE, 0}}, NULL, NULL},
	{0x275, "v_interp_p1lv_f16", 4, INTERP_F32, 0, 0, 0, {{ISA_FLD_VDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC1, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC0, 8, ISA_LIT_NONE, 0}, {ISA_FLD_SRC2, 32, ISA_LIT_NONE, 0}}, NULL, NULL},
	{0x276, "v_interp_p2_legacy_f16", 4, ISA_OPF_ABS_PRINT | ISA_OPF_NEG_PRINT | ISA_OPF_CLAMP_PRINT, 0, 0, 0, {{ISA_FLD_VDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC1, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC0, 8, ISA_LIT_NONE, 0}, {ISA_FLD_SRC2, 32, ISA_LIT_NONE, 0}}, NULL, NULL},
	{0x277, "v_interp_p2_f16", 4, ISA_OPF_ABS_PRINT | ISA_OPF_NEG_PRINT | ISA_OPF_CLAMP_PRINT, 0, 0, 0, {{ISA_FLD_VDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC1, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC0, 8, ISA_LIT_NONE, 0}, {ISA_FLD_SRC2, 32, ISA_LIT_NONE, 0}}, NULL, NULL},
};
const unsigned isa_tab9_xinterp_n = 7;
