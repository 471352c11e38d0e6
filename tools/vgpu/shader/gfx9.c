/*
 * gfx9 (GCN 5, Vega) mnemonics onto the shader core's semantics.
 *
 * The decoder (tools/vgpu/isa, isa_decode_gen(ISA_GEN_GFX9, ...)) gives
 * the gfx9 mnemonic as llvm-objdump-19 --mcpu=gfx900 prints it.  gfx9
 * shares most names with gfx10.3 (s_load_dword, ds_write_b32,
 * global_load_dword, s_andn2_b64, ...): those go through gfx10.3's
 * renames (shader/gfx103.c) onto the gfx11 names.  This file adds the
 * names only gfx9 has for an operation gfx11 also has (LLVM's
 * VOP2Instructions.td / VOP3Instructions.td gfx9 aliases: the VOP2 carry
 * forms of GFX9 were renamed "_co_" and the no-carry adds got the plain
 * name; GFX10 renamed those again to _nc_ and _co_ci_).  No encoding
 * table is shared; the semantic code is.
 *
 * What differs in behaviour, not only in name, is kept by the executors
 * under c->gen == ISA_GEN_GFX9 (see docs/vgpu-shader.md, "gfx9"):
 * v_cmpx writes its SGPR destination as well as EXEC, 16-bit VALU results
 * without op_sel zero the high half of the VGPR, FLAT_SCRATCH is the SGPR
 * pair 102/103, the hardware register ids are gfx9's.  A name with no
 * gfx11 counterpart stays as it is and reaches the family's resolver,
 * which gives the illegal-instruction fault naming it.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

struct rename {
	const char *from, *to;
};

/* Whole-name renames, looked up after the gfx10.3 ones (so the keys are
 * names gfx10.3 does not have, or has with another meaning). */
static const struct rename names[] = {
	/* VOP2/VOP3 integer adds: gfx9 v_add_u32 has no carry (gfx10's
	 * v_add_nc_u32); v_add_co_u32 carries out to VCC or an SGPR pair
	 * (same name on gfx10/11, VOP3b only there); v_addc_co_u32 also
	 * takes a carry in (gfx10's v_add_co_ci_u32). */
	{ "v_add_u32", "v_add_nc_u32" }, { "v_sub_u32", "v_sub_nc_u32" },
	{ "v_subrev_u32", "v_subrev_nc_u32" },
	{ "v_addc_co_u32", "v_add_co_ci_u32" }, { "v_subb_co_u32", "v_sub_co_ci_u32" },
	{ "v_subbrev_co_u32", "v_subrev_co_ci_u32" },
	/* VOP3 signed adds with clamp (gfx9 v_add_i32 is gfx10's v_add_nc_i32) */
	{ "v_add_i32", "v_add_nc_i32" }, { "v_sub_i32", "v_sub_nc_i32" },
	/* 16-bit adds: wrap, or saturate with clamp */
	{ "v_add_u16", "v_add_nc_u16" }, { "v_sub_u16", "v_sub_nc_u16" },
	{ "v_add_i16", "v_add_nc_i16" }, { "v_sub_i16", "v_sub_nc_i16" },
	/* the gfx8-encoded 16-bit multiply-adds (no op_sel): the same
	 * operation as the op_sel forms */
	{ "v_mad_legacy_u16", "v_mad_u16" }, { "v_mad_legacy_i16", "v_mad_i16" },
	{ "v_mad_legacy_f16", "v_mad_f16" }, { "v_fma_legacy_f16", "v_fma_f16" },
	{ "v_div_fixup_legacy_f16", "v_div_fixup_f16" },
	/* the L1 write-back-invalidate: the vgpu has no caches (every access
	 * goes to memory), so it is the no-op invalidate gfx10+ call
	 * buffer_gl1_inv */
	{ "buffer_wbinvl1", "buffer_gl1_inv" }, { "buffer_wbinvl1_vol", "buffer_gl1_inv" },
	/* the scalar cache: invalidating it is s_dcache_inv's no-op (memory
	 * is coherent); writing it back has nothing to write, since the scalar
	 * stores and atomics (shader/smem_gfx9.c) write memory directly */
	{ "s_dcache_inv_vol", "s_dcache_inv" }, { "s_dcache_wb", "s_dcache_inv" },
	{ "s_dcache_wb_vol", "s_dcache_inv" },
};

static const char *lookup(const struct rename *t, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].from, s))
			return t[i].to;
	return NULL;
}

void shader_gfx9_base_name(struct shader_icache_entry *e)
{
	/* suffixes off, gfx10.3 names to gfx11 ones, ds_cmpst operand order
	 * (gfx9's is gfx10's) */
	shader_gfx103_base_name(e);
	const char *to = lookup(names, sizeof(names) / sizeof(names[0]), e->base);
	if (to)
		snprintf(e->base, sizeof(e->base), "%s", to);
	/* v_subrev_u16 (S1 - S0): gfx11 has no reversed 16-bit subtract, so
	 * the cached copy gets its two sources in the other order and runs as
	 * v_sub_nc_u16.  The SDWA and DPP forms select or move by source
	 * position, so they keep the name (and fault naming it). */
	if (!strcmp(e->base, "v_subrev_u16") && !e->inst.sdwa && !e->inst.dpp) {
		struct isa_operand *src[2] = { NULL, NULL };
		unsigned n = 0;
		for (unsigned i = 0; i < e->inst.nops && n < 2; i++) {
			uint8_t f = e->inst.ops[i].field;
			if (f == ISA_FLD_SRC0 || f == ISA_FLD_SRC1 || f == ISA_FLD_VSRC1)
				src[n++] = &e->inst.ops[i];
		}
		if (n == 2) {
			struct isa_operand t = *src[0];
			*src[0] = *src[1];
			*src[1] = t;
		}
		snprintf(e->base, sizeof(e->base), "v_sub_nc_u16");
	}
}

/* FLAT_SCRATCH on gfx9 is the SGPR pair 102/103 (flat_scratch_lo/hi),
 * which the kernel's prolog sets from its flat-scratch-init user SGPRs
 * plus the private segment wave offset (AMDGPUUsage, "Flat Scratch",
 * GFX9): the address of the wave's scratch slot. */
uint64_t shader_gfx9_flat_scratch(const struct shader_wave *w)
{
	return (uint64_t)w->s[SREG_FLAT_SCRATCH_LO] |
	       (uint64_t)w->s[SREG_FLAT_SCRATCH_LO + 1] << 32;
}

/* 16-bit VALU results on gfx9 (LLVM's GCNSubtarget::zeroesHigh16BitsOfDest):
 * "In gfx9, the preferred handling of the unused high 16-bits changed.
 * Most instructions maintain the legacy behavior of 0ing. Some
 * instructions changed to preserving the high bits": the multiply-adds
 * with op_sel (v_mad_f16/u16/i16, v_fma_f16, v_div_fixup_f16; their
 * v_*_legacy_* gfx8 forms zero) and v_mac/madak/madmk/fmac_f16 keep the
 * high half; every other 16-bit result zeroes it.  SDWA places its result
 * itself and op_sel[3] writes the high half and keeps the low one. */
bool shader_gfx9_zeroes_hi16(const char *name)
{
	static const char *const keep[] = {
		"v_mad_f16", "v_mad_u16", "v_mad_i16", "v_fma_f16", "v_div_fixup_f16",
		"v_mac_f16", "v_madak_f16", "v_madmk_f16", "v_fmac_f16",
	};
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		size_t n = strlen(keep[i]);
		if (!strncmp(name, keep[i], n) && (name[n] == 0 || name[n] == '_'))
			return false;
	}
	return true;
}

/* VGPR index mode (Vega ISA, S_SET_GPR_IDX_ON: "MODE.gpr_idx_en = 1;
 * M0[7:0] = S0.u[7:0]; M0[15:12] = SIMM4 (direct contents of S1 field);
 * Remaining bits of M0 are unmodified ... S1[0] = VSRC0_REL, S1[1] =
 * VSRC1_REL, S1[2] = VSRC2_REL and S1[3] = VDST_REL"; S_SET_GPR_IDX_OFF:
 * "MODE.gpr_idx_en = 0 ... does not modify M0"; S_SET_GPR_IDX_MODE:
 * "M0[15:12] = SIMM4"; S_SET_GPR_IDX_IDX: "M0[7:0] = S0.u[7:0]"). */
int shader_gfx9_set_gpr_idx(struct shader_core *c, struct shader_wave *w,
			    const struct isa_inst *in, const char *name)
{
	uint32_t *m0 = &w->s[SREG_M0];
	uint64_t v = 0;
	int r;
	if (!strcmp(name, "s_set_gpr_idx_off")) {
		w->mode &= ~SHADER_GFX9_MODE_GPR_IDX_EN;
		return 0;
	}
	if (!strcmp(name, "s_set_gpr_idx_mode") && in->nops == 1) {
		*m0 = (*m0 & ~0xf000u) | (uint32_t)(in->ops[0].value & 0xf) << 12;
		return 0;
	}
	if ((!strcmp(name, "s_set_gpr_idx_idx") && in->nops == 1) ||
	    (!strcmp(name, "s_set_gpr_idx_on") && in->nops == 2)) {
		r = sop_read(c, w, &in->ops[0], &v);
		if (r)
			return r;
		*m0 = (*m0 & ~0xffu) | ((uint32_t)v & 0xff);
		if (in->nops == 2) {
			*m0 = (*m0 & ~0xf000u) | (uint32_t)(in->ops[1].value & 0xf) << 12;
			w->mode |= SHADER_GFX9_MODE_GPR_IDX_EN;
		}
		return 0;
	}
	return shader_illegal(c);
}

/* A VALU instruction while MODE.gpr_idx_en is set ("Vector operations
 * after this will perform relative GPR addressing based on the contents
 * of M0"): each VGPR operand whose VSRC0/VSRC1/VSRC2/VDST_REL bit
 * (M0[12..15]) is set is offset by the index M0[7:0]; then the
 * instruction runs as usual on a copy of its decoded form.  What the
 * guide leaves undefined faults naming it: an enabled operand that is not
 * a VGPR (an SGPR, a constant), an indexed register range past the wave's
 * VGPR allocation, the DPP and SDWA forms, the lane-crossing instructions
 * (v_readlane/v_readfirstlane/v_writelane, v_movrel*) and gfx90a's
 * AccVGPR and MFMA instructions. */
int shader_gfx9_exec_indexed(struct shader_core *c, struct shader_wave *w,
			     const struct shader_icache_entry *e)
{
	char why[200];
	uint32_t m0 = w->s[SREG_M0], idx = m0 & 0xff, rel = (m0 >> 12) & 0xf;
	const char *n = e->base;
	if (e->inst.dpp || e->inst.sdwa || !strncmp(n, "v_readlane", 10) ||
	    !strncmp(n, "v_readfirstlane", 15) || !strncmp(n, "v_writelane", 11) ||
	    !strncmp(n, "v_movrel", 8) || (c->decode_gen == ISA_GEN_GFX90A && shader_gfx90a_acc(&e->inst))) {
		snprintf(why, sizeof(why), "%s%s in VGPR index mode (s_set_gpr_idx_on) is not modelled",
			 n, e->inst.dpp ? " (DPP)" : e->inst.sdwa ? " (SDWA)" : "");
		return shader_fault(c, why);
	}
	struct shader_icache_entry x = *e;
	for (unsigned i = 0; i < x.inst.nops; i++) {
		struct isa_operand *o = &x.inst.ops[i];
		unsigned bit;
		switch (o->field) {
		case ISA_FLD_SRC0: bit = 0; break;
		case ISA_FLD_SRC1: case ISA_FLD_VSRC1: bit = 1; break;
		case ISA_FLD_SRC2: bit = 2; break;
		case ISA_FLD_VDST: bit = 3; break;
		default: continue;
		}
		if (!(rel & (1u << bit)))
			continue;
		if (o->kind != ISA_OPK_VGPR) {
			snprintf(why, sizeof(why), "%s in VGPR index mode: the indexed operand %u is "
				 "not a VGPR (not modelled)", n, bit);
			return shader_fault(c, why);
		}
		unsigned nregs = o->bits > 32 ? o->bits / 32 : 1;
		if (o->reg + idx + nregs > w->nvgpr) {
			snprintf(why, sizeof(why), "%s in VGPR index mode: v%u + index %u is beyond "
				 "the wave's %u VGPRs (not modelled)", n, o->reg, idx, w->nvgpr);
			return shader_fault(c, why);
		}
		o->reg = (uint16_t)(o->reg + idx);
	}
	struct shader_icache_entry *cur = c->cur;
	c->cur = &x;
	int r = shader_exec_valu(c, w, &x);
	c->cur = cur;
	return r;
}
