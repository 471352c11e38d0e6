/* gfx10.3 opcodes gen_optable_gfx103.py leaves out, for the reasons of
 * isa_optable_extra.c: operands that print symbolically (hwreg(...),
 * swizzle(...), s_atc_probe's probe bits) or a probe with distinct
 * registers in every field that LLVM rejects (ds_nop, the GWS
 * semaphores); and MTBUF, whose opcode is split over both dwords (bits
 * 18:16 of word 0, bit 21 of word 1 as bit 3).  Written by hand from
 * llvm-mc-19 -mcpu=gfx1030 -show-encoding and checked by the gfx10
 * corpus (tools/isa-corpus-check.sh --gfx103).  isa_lookup_gfx103
 * consults these after the generated tables.  Sorted by opcode. */
#include "isa_table_gfx103.h"

const struct isa_opdesc isa_tab103_xsopk[] = {
	{18, "s_getreg_b32", 2, 0, 0, 0, 0, {{ISA_FLD_SDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SIMM16, 16, ISA_SIMM_HWREG, 0}}, NULL, NULL},
	{19, "s_setreg_b32", 2, 0, 0, 0, 0, {{ISA_FLD_SIMM16, 16, ISA_SIMM_HWREG, 0}, {ISA_FLD_SDST, 32, ISA_LIT_NONE, 0}}, NULL, NULL},
	{21, "s_setreg_imm32_b32", 2, 0, 0, 0, 0, {{ISA_FLD_SIMM16, 16, ISA_SIMM_HWREG, 0}, {ISA_FLD_LITK, 32, ISA_LIT_32F, 0}}, NULL, NULL},
};
const unsigned isa_tab103_xsopk_n = 3;

const struct isa_opdesc isa_tab103_xsmem[] = {
	{38, "s_atc_probe", 3, 0, ISA_MBZ(ISA_FLD_SMEM_CACHE), 0, 0, {{ISA_FLD_SDATA, 7, ISA_SIMM_HEX_SMALLDEC, 0}, {ISA_FLD_SBASE, 64, ISA_LIT_NONE, 0}, {ISA_FLD_SOFFSET, 32, ISA_LIT_NONE, 0}}, NULL, NULL},
	{39, "s_atc_probe_buffer", 3, 0, ISA_MBZ(ISA_FLD_SMEM_CACHE), 0, 0, {{ISA_FLD_SDATA, 7, ISA_SIMM_HEX_SMALLDEC, 0}, {ISA_FLD_SBASE, 128, ISA_LIT_NONE, 0}, {ISA_FLD_SOFFSET, 32, ISA_LIT_NONE, 0}}, NULL, NULL},
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
	{op, name, 4, 0, 0, 0, 0, {{ISA_FLD_DATA0, bits, ISA_LIT_NONE, 0}, {ISA_FLD_ADDR, 32, ISA_LIT_NONE, 0}, \
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
