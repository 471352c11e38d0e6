/* Opcodes gen_optable.py leaves out because their operands print
 * symbolically (hwreg(...), swizzle(...), sendmsg(...), UC_VERSION_*) or
 * because a probe with distinct registers in every field is invalid for
 * them (ds_nop, the GWS semaphores: LLVM accepts them only with every
 * field zero, or only with gds set).  Written by hand from
 * llvm-objdump-19's output for gfx1100 (the cases are listed in
 * docs/vgpu-isa.md); isa_lookup consults these after the generated
 * tables.  Same layout as isa_optable.c, sorted by opcode. */
#include "isa_table.h"

const struct isa_opdesc isa_xtab_sop1[] = {
	{76, "s_sendmsg_rtn_b32", 2, 0, 0, 0, 0, {{ISA_FLD_SDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SSRC0, 8, ISA_SIMM_SENDMSG, 0}}, NULL, NULL},
	{77, "s_sendmsg_rtn_b64", 2, 0, 0, 0, 0, {{ISA_FLD_SDST, 64, ISA_LIT_NONE, 0}, {ISA_FLD_SSRC0, 8, ISA_SIMM_SENDMSG, 0}}, NULL, NULL},
};
const unsigned isa_xtab_sop1_n = 2;

const struct isa_opdesc isa_xtab_sopk[] = {
	{1, "s_version", 1, 0, 0, 0, 0, {{ISA_FLD_SIMM16, 16, ISA_SIMM_VERSION, 0}}, NULL, NULL},
	{17, "s_getreg_b32", 2, 0, 0, 0, 0, {{ISA_FLD_SDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SIMM16, 16, ISA_SIMM_HWREG, 0}}, NULL, NULL},
	{18, "s_setreg_b32", 2, 0, 0, 0, 0, {{ISA_FLD_SIMM16, 16, ISA_SIMM_HWREG, 0}, {ISA_FLD_SDST, 32, ISA_LIT_NONE, 0}}, NULL, NULL},
	{19, "s_setreg_imm32_b32", 2, 0, 0, 0, 0, {{ISA_FLD_SIMM16, 16, ISA_SIMM_HWREG, 0}, {ISA_FLD_LITK, 32, ISA_LIT_32F, 0}}, NULL, NULL},
};
const unsigned isa_xtab_sopk_n = 4;

const struct isa_opdesc isa_xtab_smem[] = {
	{34, "s_atc_probe", 3, 0, ISA_MBZ(ISA_FLD_SMEM_CACHE), 0, 0, {{ISA_FLD_SDATA, 7, ISA_SIMM_HEX_SMALLDEC, 0}, {ISA_FLD_SBASE, 64, ISA_LIT_NONE, 0}, {ISA_FLD_SOFFSET, 32, ISA_LIT_NONE, 0}}, NULL, NULL},
	{35, "s_atc_probe_buffer", 3, 0, ISA_MBZ(ISA_FLD_SMEM_CACHE), 0, 0, {{ISA_FLD_SDATA, 7, ISA_SIMM_HEX_SMALLDEC, 0}, {ISA_FLD_SBASE, 128, ISA_LIT_NONE, 0}, {ISA_FLD_SOFFSET, 32, ISA_LIT_NONE, 0}}, NULL, NULL},
};
const unsigned isa_xtab_smem_n = 2;

#define DS_ALL_ZERO (ISA_MBZ(ISA_FLD_SIMM16) | ISA_MBZ(ISA_FLD_VDST) | ISA_MBZ(ISA_FLD_ADDR) | \
		     ISA_MBZ(ISA_FLD_DATA0) | ISA_MBZ(ISA_FLD_DATA1))
#define DS_NO_REGS (ISA_MBZ(ISA_FLD_VDST) | ISA_MBZ(ISA_FLD_ADDR) | ISA_MBZ(ISA_FLD_DATA0) | \
		    ISA_MBZ(ISA_FLD_DATA1))
const struct isa_opdesc isa_xtab_ds[] = {
	{20, "ds_nop", 0, 0, DS_ALL_ZERO | ISA_MBZ(ISA_FLD_DS_GDS), 0, 0, {}, NULL, NULL},
	{24, "ds_gws_sema_release_all", 0, ISA_OPF_DS_GDS_REQ, DS_NO_REGS, 0, 0, {}, NULL, NULL},
	{26, "ds_gws_sema_v", 0, ISA_OPF_DS_GDS_REQ, DS_NO_REGS, 0, 0, {}, NULL, NULL},
	{28, "ds_gws_sema_p", 0, ISA_OPF_DS_GDS_REQ, DS_NO_REGS, 0, 0, {}, NULL, NULL},
	{53, "ds_swizzle_b32", 2, ISA_OPF_DS_SWIZZLE, ISA_MBZ(ISA_FLD_DATA0) | ISA_MBZ(ISA_FLD_DATA1), 0, 0, {{ISA_FLD_VDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}}, NULL, NULL},
};
const unsigned isa_xtab_ds_n = 5;

/* MTBUF: the typed buffer ops of MUBUF's opcodes 0-15 with the format in
 * the instruction (printed format:[BUF_FMT_*] unless it is 1, the
 * default); LLVM 19 rejects tfe on every one of them */
const struct isa_opdesc isa_xtab_mtbuf[] = {
	{0, "tbuffer_load_format_x", 4, 0, ISA_MBZ(ISA_FLD_MUBUF_TFE), 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 128, ISA_LIT_NONE, 0}, {ISA_FLD_MSOFF, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{1, "tbuffer_load_format_xy", 4, 0, ISA_MBZ(ISA_FLD_MUBUF_TFE), 0, 0, {{ISA_FLD_DATA0, 64, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 128, ISA_LIT_NONE, 0}, {ISA_FLD_MSOFF, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{2, "tbuffer_load_format_xyz", 4, 0, ISA_MBZ(ISA_FLD_MUBUF_TFE), 0, 0, {{ISA_FLD_DATA0, 96, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 128, ISA_LIT_NONE, 0}, {ISA_FLD_MSOFF, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{3, "tbuffer_load_format_xyzw", 4, 0, ISA_MBZ(ISA_FLD_MUBUF_TFE), 0, 0, {{ISA_FLD_DATA0, 128, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 128, ISA_LIT_NONE, 0}, {ISA_FLD_MSOFF, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{4, "tbuffer_store_format_x", 4, 0, ISA_MBZ(ISA_FLD_MUBUF_TFE), 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 128, ISA_LIT_NONE, 0}, {ISA_FLD_MSOFF, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{5, "tbuffer_store_format_xy", 4, 0, ISA_MBZ(ISA_FLD_MUBUF_TFE), 0, 0, {{ISA_FLD_DATA0, 64, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 128, ISA_LIT_NONE, 0}, {ISA_FLD_MSOFF, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{6, "tbuffer_store_format_xyz", 4, 0, ISA_MBZ(ISA_FLD_MUBUF_TFE), 0, 0, {{ISA_FLD_DATA0, 96, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 128, ISA_LIT_NONE, 0}, {ISA_FLD_MSOFF, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{7, "tbuffer_store_format_xyzw", 4, 0, ISA_MBZ(ISA_FLD_MUBUF_TFE), 0, 0, {{ISA_FLD_DATA0, 128, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 128, ISA_LIT_NONE, 0}, {ISA_FLD_MSOFF, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{8, "tbuffer_load_d16_format_x", 4, 0, ISA_MBZ(ISA_FLD_MUBUF_TFE), 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 128, ISA_LIT_NONE, 0}, {ISA_FLD_MSOFF, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{9, "tbuffer_load_d16_format_xy", 4, 0, ISA_MBZ(ISA_FLD_MUBUF_TFE), 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 128, ISA_LIT_NONE, 0}, {ISA_FLD_MSOFF, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{10, "tbuffer_load_d16_format_xyz", 4, 0, ISA_MBZ(ISA_FLD_MUBUF_TFE), 0, 0, {{ISA_FLD_DATA0, 64, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 128, ISA_LIT_NONE, 0}, {ISA_FLD_MSOFF, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{11, "tbuffer_load_d16_format_xyzw", 4, 0, ISA_MBZ(ISA_FLD_MUBUF_TFE), 0, 0, {{ISA_FLD_DATA0, 64, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 128, ISA_LIT_NONE, 0}, {ISA_FLD_MSOFF, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{12, "tbuffer_store_d16_format_x", 4, 0, ISA_MBZ(ISA_FLD_MUBUF_TFE), 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 128, ISA_LIT_NONE, 0}, {ISA_FLD_MSOFF, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{13, "tbuffer_store_d16_format_xy", 4, 0, ISA_MBZ(ISA_FLD_MUBUF_TFE), 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 128, ISA_LIT_NONE, 0}, {ISA_FLD_MSOFF, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{14, "tbuffer_store_d16_format_xyz", 4, 0, ISA_MBZ(ISA_FLD_MUBUF_TFE), 0, 0, {{ISA_FLD_DATA0, 64, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 128, ISA_LIT_NONE, 0}, {ISA_FLD_MSOFF, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{15, "tbuffer_store_d16_format_xyzw", 4, 0, ISA_MBZ(ISA_FLD_MUBUF_TFE), 0, 0, {{ISA_FLD_DATA0, 64, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 128, ISA_LIT_NONE, 0}, {ISA_FLD_MSOFF, 32, ISA_LIT_32F, 0}}, NULL, NULL},
};
const unsigned isa_xtab_mtbuf_n = 16;

/* VOP3 entries that replace generated ones (isa_lookup looks here first),
 * where the generator's per-opcode modifier flags cannot say it:
 * v_cmp(x)_class_*_e64 take abs/neg on src0 only; v_permlane16/x16_b32
 * take op_sel bits 0 and 1 (FI, BOUND_CTRL), printed op_sel:[a,b]; and
 * v_dot2_bf16_bf16, which the generator leaves out: abs/neg on every
 * source, op_sel of src0/src1 ignored, of src2 and the destination
 * printed; constants print as integers (-16..64) or inline floats,
 * literals in hex; v_dot2_f16_f16, whose op_sel bits 0 and 1 LLVM ignores
 * as well (the RDNA3 guide: "OPSEL[1:0] are ignored") */
const struct isa_opdesc isa_xtab_vop3[] = {
	{614, "v_dot2_f16_f16", 4, ISA_OPF_ABS_PRINT|ISA_OPF_NEG_PRINT|ISA_OPF_OPSEL_PRINT|ISA_OPF_OPSEL_SRC2_DST, 0, 0, ISA_MBZ(ISA_FLD_SRC0)|ISA_MBZ(ISA_FLD_SRC1)|ISA_MBZ(ISA_FLD_SRC2), {{ISA_FLD_VDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC0, 32, ISA_LIT_32H, 0}, {ISA_FLD_SRC1, 32, ISA_LIT_32H, 0}, {ISA_FLD_SRC2, 32, ISA_LIT_16F, 0}}, NULL, NULL},
	{615, "v_dot2_bf16_bf16", 4, ISA_OPF_ABS_PRINT|ISA_OPF_NEG_PRINT|ISA_OPF_OPSEL_PRINT|ISA_OPF_OPSEL_SRC2_DST, 0, 0, 0, {{ISA_FLD_VDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC0, 32, ISA_LIT_32I, 0}, {ISA_FLD_SRC1, 32, ISA_LIT_32I, 0}, {ISA_FLD_SRC2, 32, ISA_LIT_32I, 0}}, NULL, NULL},
	{125, "v_cmp_class_f16_e64", 3, ISA_OPF_OPSEL_IGNORE|ISA_OPF_ABS_PRINT|ISA_OPF_NEG_PRINT|ISA_OPF_MODS_SRC0, ISA_MBZ(ISA_FLD_SRC2), 0, ISA_MBZ(ISA_FLD_SRC0)|ISA_MBZ(ISA_FLD_SRC1), {{ISA_FLD_VDST_SGPR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC0, 32, ISA_LIT_16F, 0}, {ISA_FLD_SRC1, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{126, "v_cmp_class_f32_e64", 3, ISA_OPF_OPSEL_IGNORE|ISA_OPF_ABS_PRINT|ISA_OPF_NEG_PRINT|ISA_OPF_MODS_SRC0, ISA_MBZ(ISA_FLD_SRC2), 0, ISA_MBZ(ISA_FLD_SRC0)|ISA_MBZ(ISA_FLD_SRC1), {{ISA_FLD_VDST_SGPR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC0, 32, ISA_LIT_32F, 0}, {ISA_FLD_SRC1, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{127, "v_cmp_class_f64_e64", 3, ISA_OPF_OPSEL_IGNORE|ISA_OPF_ABS_PRINT|ISA_OPF_NEG_PRINT|ISA_OPF_MODS_SRC0, ISA_MBZ(ISA_FLD_SRC2), 0, ISA_MBZ(ISA_FLD_SRC1), {{ISA_FLD_VDST_SGPR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC0, 64, ISA_LIT_64F, 0}, {ISA_FLD_SRC1, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{253, "v_cmpx_class_f16_e64", 2, ISA_OPF_OPSEL_IGNORE|ISA_OPF_ABS_PRINT|ISA_OPF_NEG_PRINT|ISA_OPF_MODS_SRC0, ISA_MBZ(ISA_FLD_SRC2), 0, ISA_MBZ(ISA_FLD_SRC0)|ISA_MBZ(ISA_FLD_SRC1), {{ISA_FLD_SRC0, 32, ISA_LIT_16F, 0}, {ISA_FLD_SRC1, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{254, "v_cmpx_class_f32_e64", 2, ISA_OPF_OPSEL_IGNORE|ISA_OPF_ABS_PRINT|ISA_OPF_NEG_PRINT|ISA_OPF_MODS_SRC0, ISA_MBZ(ISA_FLD_SRC2), 0, ISA_MBZ(ISA_FLD_SRC0)|ISA_MBZ(ISA_FLD_SRC1), {{ISA_FLD_SRC0, 32, ISA_LIT_32F, 0}, {ISA_FLD_SRC1, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{255, "v_cmpx_class_f64_e64", 2, ISA_OPF_OPSEL_IGNORE|ISA_OPF_ABS_PRINT|ISA_OPF_NEG_PRINT|ISA_OPF_MODS_SRC0, ISA_MBZ(ISA_FLD_SRC2), 0, ISA_MBZ(ISA_FLD_SRC1), {{ISA_FLD_SRC0, 64, ISA_LIT_64F, 0}, {ISA_FLD_SRC1, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{603, "v_permlane16_b32", 4, ISA_OPF_ABS_IGNORE|ISA_OPF_NEG_IGNORE|ISA_OPF_OPSEL_PRINT|ISA_OPF_OPSEL_FI_BC, 0, 0, 0, {{ISA_FLD_VDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC0, 32, ISA_LIT_NOLIT, ISA_SRC_DENY_EXEC|ISA_SRC_DENY_FCONST|ISA_SRC_DENY_ICONST|ISA_SRC_DENY_LDS|ISA_SRC_DENY_LIT|ISA_SRC_DENY_M0|ISA_SRC_DENY_SGPR|ISA_SRC_DENY_TTMP|ISA_SRC_DENY_VCC}, {ISA_FLD_SRC1, 32, ISA_LIT_32F, ISA_SRC_DENY_LDS|ISA_SRC_DENY_VGPR}, {ISA_FLD_SRC2, 32, ISA_LIT_32F, ISA_SRC_DENY_LDS|ISA_SRC_DENY_VGPR}}, NULL, NULL},
	{604, "v_permlanex16_b32", 4, ISA_OPF_ABS_IGNORE|ISA_OPF_NEG_IGNORE|ISA_OPF_OPSEL_PRINT|ISA_OPF_OPSEL_FI_BC, 0, 0, 0, {{ISA_FLD_VDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC0, 32, ISA_LIT_NOLIT, ISA_SRC_DENY_EXEC|ISA_SRC_DENY_FCONST|ISA_SRC_DENY_ICONST|ISA_SRC_DENY_LDS|ISA_SRC_DENY_LIT|ISA_SRC_DENY_M0|ISA_SRC_DENY_SGPR|ISA_SRC_DENY_TTMP|ISA_SRC_DENY_VCC}, {ISA_FLD_SRC1, 32, ISA_LIT_32F, ISA_SRC_DENY_LDS|ISA_SRC_DENY_VGPR}, {ISA_FLD_SRC2, 32, ISA_LIT_32F, ISA_SRC_DENY_LDS|ISA_SRC_DENY_VGPR}}, NULL, NULL},
};
const unsigned isa_xtab_vop3_n = 10;

/* MIMG, the image instructions a compute shader uses on storage images:
 * loads, stores, atomics, get_resinfo, msaa_load (no sampling, gather,
 * get_lod or BVH).  The operand widths here are placeholders: vdata is
 * popcount(dmask) dwords (msaa_load: 4; d16: half, rounded up; +1 with
 * tfe), the
 * address count follows dim (and the mip level, or a16 packing), srsrc
 * is always printed as 8 SGPRs; isa_decode works them out. */
const struct isa_opdesc isa_xtab_mimg[] = {
	{0, "image_load", 3, 0, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{1, "image_load_mip", 3, ISA_OPF_MIMG_MIP, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{2, "image_load_pck", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{3, "image_load_pck_sgn", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{4, "image_load_mip_pck", 3, ISA_OPF_MIMG_MIP|ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{5, "image_load_mip_pck_sgn", 3, ISA_OPF_MIMG_MIP|ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{6, "image_store", 3, 0, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{7, "image_store_mip", 3, ISA_OPF_MIMG_MIP, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{8, "image_store_pck", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{9, "image_store_mip_pck", 3, ISA_OPF_MIMG_MIP|ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{10, "image_atomic_swap", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{11, "image_atomic_cmpswap", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{12, "image_atomic_add", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{13, "image_atomic_sub", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{14, "image_atomic_smin", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{15, "image_atomic_umin", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{16, "image_atomic_smax", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{17, "image_atomic_umax", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{18, "image_atomic_and", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{19, "image_atomic_or", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{20, "image_atomic_xor", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{21, "image_atomic_inc", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{22, "image_atomic_dec", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{23, "image_get_resinfo", 3, ISA_OPF_MIMG_RESINFO|ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{24, "image_msaa_load", 3, ISA_OPF_MIMG_4COMP, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
};
const unsigned isa_xtab_mimg_n = 25;
