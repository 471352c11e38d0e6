/* gfx10.3 opcodes gen_optable_gfx103.py leaves out, for the reasons of
 * isa_optable_extra.c: operands that print symbolically (hwreg(...),
 * swizzle(...), s_atc_probe's probe bits) or a probe with distinct
 * registers in every field that LLVM rejects (ds_nop, the GWS
 * semaphores); and MTBUF, whose opcode is split over both dwords (bits
 * 18:16 of word 0, bit 21 of word 1 as bit 3; LLVM 19 rejects tfe on
 * all of them).  Written by hand from
 * llvm-mc-19 -mcpu=gfx1030 -show-encoding and checked by the gfx10
 * corpus (tools/isa-corpus-check.sh --gfx103).  isa_lookup_gfx103
 * consults these after the generated tables.  Sorted by opcode. */
#include "isa_table_gfx103.h"

const struct isa_opdesc isa_tab103_xsopk[] = {
	{1, "s_version", 1, 0, 0, 0, 0, {{ISA_FLD_SIMM16, 16, ISA_SIMM_VERSION, 0}}, NULL, NULL},
	{18, "s_getreg_b32", 2, 0, 0, 0, 0, {{ISA_FLD_SDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SIMM16, 16, ISA_SIMM_HWREG, 0}}, NULL, NULL},
	{19, "s_setreg_b32", 2, 0, 0, 0, 0, {{ISA_FLD_SIMM16, 16, ISA_SIMM_HWREG, 0}, {ISA_FLD_SDST, 32, ISA_LIT_NONE, 0}}, NULL, NULL},
	{21, "s_setreg_imm32_b32", 2, 0, 0, 0, 0, {{ISA_FLD_SIMM16, 16, ISA_SIMM_HWREG, 0}, {ISA_FLD_LITK, 32, ISA_LIT_32F, 0}}, NULL, NULL},
};
const unsigned isa_tab103_xsopk_n = 4;

const struct isa_opdesc isa_tab103_xsmem[] = {
	{38, "s_atc_probe", 3, 0, 0, 0, 0, {{ISA_FLD_SDATA, 7, ISA_SIMM_HEX_SMALLDEC, 0}, {ISA_FLD_SBASE, 64, ISA_LIT_NONE, 0}, {ISA_FLD_SOFFSET, 32, ISA_LIT_NONE, 0}}, NULL, NULL},
	{39, "s_atc_probe_buffer", 3, 0, 0, 0, 0, {{ISA_FLD_SDATA, 7, ISA_SIMM_HEX_SMALLDEC, 0}, {ISA_FLD_SBASE, 128, ISA_LIT_NONE, 0}, {ISA_FLD_SOFFSET, 32, ISA_LIT_NONE, 0}}, NULL, NULL},
};
const unsigned isa_tab103_xsmem_n = 2;

#define DS_ALL_ZERO (ISA_MBZ(ISA_FLD_SIMM16) | ISA_MBZ(ISA_FLD_VDST) | ISA_MBZ(ISA_FLD_ADDR) | \
		     ISA_MBZ(ISA_FLD_DATA0) | ISA_MBZ(ISA_FLD_DATA1))
#define DS_NO_REGS (ISA_MBZ(ISA_FLD_VDST) | ISA_MBZ(ISA_FLD_ADDR) | ISA_MBZ(ISA_FLD_DATA0) | \
		    ISA_MBZ(ISA_FLD_DATA1))
const struct isa_opdesc isa_tab103_xds[] = {
	{20, "ds_nop", 0, 0, DS_ALL_ZERO | ISA_MBZ(ISA_FLD_DS_GDS), 0, 0, {}, NULL, NULL},
	{24, "ds_gws_sema_release_all", 0, ISA_OPF_DS_GDS_REQ, DS_NO_REGS, 0, 0, {}, NULL, NULL},
	{26, "ds_gws_sema_v", 0, ISA_OPF_DS_GDS_REQ, DS_NO_REGS, 0, 0, {}, NULL, NULL},
	{28, "ds_gws_sema_p", 0, ISA_OPF_DS_GDS_REQ, DS_NO_REGS, 0, 0, {}, NULL, NULL},
	{53, "ds_swizzle_b32", 2, ISA_OPF_DS_SWIZZLE, ISA_MBZ(ISA_FLD_DATA0) | ISA_MBZ(ISA_FLD_DATA1), 0, 0, {{ISA_FLD_VDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}}, NULL, NULL},
};
const unsigned isa_tab103_xds_n = 5;

#define MT(op, name, bits) \
	{op, name, 4, 0, ISA_MBZ(ISA_FLD_MUBUF_TFE), 0, 0, {{ISA_FLD_DATA0, bits, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, \
	 {ISA_FLD_SRSRC, 128, ISA_LIT_NONE, 0}, {ISA_FLD_MSOFF, 32, ISA_LIT_32F, 0}}, NULL, NULL}
const struct isa_opdesc isa_tab103_xmtbuf[] = {
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
const unsigned isa_tab103_xmtbuf_n = 16;

/* VOP3 entries that replace generated ones (isa_lookup_gfx103 looks here
 * first): v_cmp(x)_class_*_e64 take abs/neg on src0 only, which the
 * generator's all-sources modifier probe cannot say; v_permlane16/x16_b32
 * take op_sel bits 0 and 1 (FI, BOUND_CTRL), printed op_sel:[a,b] (as in
 * gfx11's isa_optable_extra.c) */
const struct isa_opdesc isa_tab103_xvop3[] = {
	{136, "v_cmp_class_f32_e64", 3, ISA_OPF_OPSEL_IGNORE|ISA_OPF_ABS_PRINT|ISA_OPF_NEG_PRINT|ISA_OPF_MODS_SRC0, ISA_MBZ(ISA_FLD_SRC2), 0, ISA_MBZ(ISA_FLD_SRC0)|ISA_MBZ(ISA_FLD_SRC1), {{ISA_FLD_VDST_SGPR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC0, 32, ISA_LIT_32F, 0}, {ISA_FLD_SRC1, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{143, "v_cmp_class_f16_e64", 3, ISA_OPF_OPSEL_IGNORE|ISA_OPF_ABS_PRINT|ISA_OPF_NEG_PRINT|ISA_OPF_MODS_SRC0, ISA_MBZ(ISA_FLD_SRC2), 0, ISA_MBZ(ISA_FLD_SRC0)|ISA_MBZ(ISA_FLD_SRC1), {{ISA_FLD_VDST_SGPR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC0, 32, ISA_LIT_16F, 0}, {ISA_FLD_SRC1, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{152, "v_cmpx_class_f32_e64", 2, ISA_OPF_OPSEL_IGNORE|ISA_OPF_ABS_PRINT|ISA_OPF_NEG_PRINT|ISA_OPF_MODS_SRC0, ISA_MBZ(ISA_FLD_SRC2), 0, ISA_MBZ(ISA_FLD_SRC0)|ISA_MBZ(ISA_FLD_SRC1), {{ISA_FLD_SRC0, 32, ISA_LIT_32F, 0}, {ISA_FLD_SRC1, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{159, "v_cmpx_class_f16_e64", 2, ISA_OPF_OPSEL_IGNORE|ISA_OPF_ABS_PRINT|ISA_OPF_NEG_PRINT|ISA_OPF_MODS_SRC0, ISA_MBZ(ISA_FLD_SRC2), 0, ISA_MBZ(ISA_FLD_SRC0)|ISA_MBZ(ISA_FLD_SRC1), {{ISA_FLD_SRC0, 32, ISA_LIT_16F, 0}, {ISA_FLD_SRC1, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{168, "v_cmp_class_f64_e64", 3, ISA_OPF_OPSEL_IGNORE|ISA_OPF_ABS_PRINT|ISA_OPF_NEG_PRINT|ISA_OPF_MODS_SRC0, ISA_MBZ(ISA_FLD_SRC2), 0, ISA_MBZ(ISA_FLD_SRC1), {{ISA_FLD_VDST_SGPR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC0, 64, ISA_LIT_64F, ISA_SRC_DENY_LDS|ISA_SRC_DENY_M0}, {ISA_FLD_SRC1, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{184, "v_cmpx_class_f64_e64", 2, ISA_OPF_OPSEL_IGNORE|ISA_OPF_ABS_PRINT|ISA_OPF_NEG_PRINT|ISA_OPF_MODS_SRC0, ISA_MBZ(ISA_FLD_SRC2), 0, ISA_MBZ(ISA_FLD_SRC1), {{ISA_FLD_SRC0, 64, ISA_LIT_64F, ISA_SRC_DENY_LDS|ISA_SRC_DENY_M0}, {ISA_FLD_SRC1, 32, ISA_LIT_32F, 0}}, NULL, NULL},
	{887, "v_permlane16_b32", 4, ISA_OPF_ABS_IGNORE|ISA_OPF_NEG_IGNORE|ISA_OPF_OPSEL_PRINT|ISA_OPF_OPSEL_FI_BC, 0, 0, 0, {{ISA_FLD_VDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC0, 32, ISA_LIT_NOLIT, ISA_SRC_DENY_EXEC|ISA_SRC_DENY_FCONST|ISA_SRC_DENY_ICONST|ISA_SRC_DENY_LDS|ISA_SRC_DENY_LIT|ISA_SRC_DENY_M0|ISA_SRC_DENY_SGPR|ISA_SRC_DENY_TTMP|ISA_SRC_DENY_VCC}, {ISA_FLD_SRC1, 32, ISA_LIT_32F, ISA_SRC_DENY_LDS|ISA_SRC_DENY_VGPR}, {ISA_FLD_SRC2, 32, ISA_LIT_32F, ISA_SRC_DENY_LDS|ISA_SRC_DENY_VGPR}}, NULL, NULL},
	{888, "v_permlanex16_b32", 4, ISA_OPF_ABS_IGNORE|ISA_OPF_NEG_IGNORE|ISA_OPF_OPSEL_PRINT|ISA_OPF_OPSEL_FI_BC, 0, 0, 0, {{ISA_FLD_VDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC0, 32, ISA_LIT_NOLIT, ISA_SRC_DENY_EXEC|ISA_SRC_DENY_FCONST|ISA_SRC_DENY_ICONST|ISA_SRC_DENY_LDS|ISA_SRC_DENY_LIT|ISA_SRC_DENY_M0|ISA_SRC_DENY_SGPR|ISA_SRC_DENY_TTMP|ISA_SRC_DENY_VCC}, {ISA_FLD_SRC1, 32, ISA_LIT_32F, ISA_SRC_DENY_LDS|ISA_SRC_DENY_VGPR}, {ISA_FLD_SRC2, 32, ISA_LIT_32F, ISA_SRC_DENY_LDS|ISA_SRC_DENY_VGPR}}, NULL, NULL},
};
const unsigned isa_tab103_xvop3_n = 8;

/* MIMG, the image instructions a compute shader uses on storage images
 * (as gfx11's isa_xtab_mimg): loads, stores, get_resinfo, atomics (gfx10
 * also has fcmpswap/fmin/fmax) and msaa_load, with gfx10's opcodes (read
 * off llvm-mc-19 -mcpu=gfx1030 -show-encoding: opcode bit 7 is word 0 bit
 * 0, bits 6:0 are 24:18; image_msaa_load is 128).  No sampling, gather,
 * get_lod or BVH.  Operand widths are placeholders that isa_decode works
 * out (gfx10's msaa_load returns popcount(dmask) dwords, not gfx11's 4). */
const struct isa_opdesc isa_tab103_xmimg[] = {
	{0, "image_load", 3, 0, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{1, "image_load_mip", 3, ISA_OPF_MIMG_MIP, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{2, "image_load_pck", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{3, "image_load_pck_sgn", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{4, "image_load_mip_pck", 3, ISA_OPF_MIMG_MIP|ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{5, "image_load_mip_pck_sgn", 3, ISA_OPF_MIMG_MIP|ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{8, "image_store", 3, 0, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{9, "image_store_mip", 3, ISA_OPF_MIMG_MIP, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{10, "image_store_pck", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{11, "image_store_mip_pck", 3, ISA_OPF_MIMG_MIP|ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{14, "image_get_resinfo", 3, ISA_OPF_MIMG_RESINFO|ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{15, "image_atomic_swap", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{16, "image_atomic_cmpswap", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{17, "image_atomic_add", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{18, "image_atomic_sub", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{20, "image_atomic_smin", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{21, "image_atomic_umin", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{22, "image_atomic_smax", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{23, "image_atomic_umax", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{24, "image_atomic_and", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{25, "image_atomic_or", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{26, "image_atomic_xor", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{27, "image_atomic_inc", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{28, "image_atomic_dec", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{29, "image_atomic_fcmpswap", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{30, "image_atomic_fmin", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{31, "image_atomic_fmax", 3, ISA_OPF_MIMG_NO_D16, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
	{128, "image_msaa_load", 3, 0, 0, 0, 0, {{ISA_FLD_DATA0, 32, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}}, NULL, NULL},
};
const unsigned isa_tab103_xmimg_n = 28;
