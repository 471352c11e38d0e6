/*
 * gfx900's mixed-precision multiply-adds: v_mad_mix_f32, v_mad_mixlo_f16,
 * v_mad_mixhi_f16 (VOP3P; gfx906 replaced them by the fused v_fma_mix*,
 * which run as gfx11's).
 *
 * Sources as v_fma_mix_f32 (shader/valu.c): source k is an f32
 * (op_sel_hi[k] = 0) or the f16 in its low (op_sel[k] = 0) or high half
 * (op_sel[k] = 1), converted exactly to f32; neg_hi[k] takes the absolute
 * value and neg_lo[k] negates it (the decoder put them in the operands'
 * abs/neg).  The operation is v_mad_f32's (shader/valu.c): not fused, the
 * product rounded to f32 before the add, f32 denormal sources, product
 * and sum flushed to zeros of their sign.  That is LLVM's reading, which
 * selects v_mad_mix_f32 for fmad (legal only with f32 denormals flushed)
 * of f16-extended operands, and v_mad_mixlo/hi_f16 for the f16 rounding
 * of such an fmad (VOP3PInstructions.td, MadFmaMixPats): the f32 result
 * is then rounded to f16 (nearest even) into the low or the high half,
 * the other half kept.  clamp clamps the f32 result to [0, 1] (NaN to 0)
 * before that rounding.
 */
#include "internal.h"
#include "valu_fp.h"

#include <math.h>
#include <string.h>

static uint32_t flush32(uint32_t v)
{
	return (v & 0x7f800000u) == 0 ? v & 0x80000000u : v;
}

int shader_gfx9_mad_mix(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
			int form)
{
	const struct isa_operand *d = &in->ops[0];
	if (in->nops != 4 || d->kind != ISA_OPK_VGPR)
		return shader_illegal(c);
	if (d->reg >= w->nvgpr)
		return shader_fault(c, "VGPR destination beyond the RSRC1.VGPRS allocation");
	uint64_t scal[3] = { 0 };
	for (unsigned k = 0; k < 3; k++) {
		const struct isa_operand *o = &in->ops[1 + k];
		if (o->kind == ISA_OPK_VGPR) {
			if (o->reg >= w->nvgpr)
				return shader_fault(c, "VGPR source beyond the RSRC1.VGPRS allocation");
			continue;
		}
		if (o->kind != ISA_OPK_SREG && ((in->opsel_hi >> k) & 1))
			return shader_fault(c, "constant as an f16 source of v_mad_mix*: its f16 "
					       "encoding is not modelled");
		int e = sop_read(c, w, o, &scal[k]);
		if (e)
			return e;
	}
	uint64_t exec = wave_exec(c, w);
	uint32_t out[64];
	for (unsigned lane = 0; lane < c->lanes; lane++) {
		if (!((exec >> lane) & 1))
			continue;
		float s[3];
		for (unsigned k = 0; k < 3; k++) {
			const struct isa_operand *o = &in->ops[1 + k];
			uint32_t v = (uint32_t)(o->kind == ISA_OPK_VGPR ?
					w->v[(size_t)o->reg * 64 + lane] : scal[k]);
			if ((in->opsel_hi >> k) & 1)
				s[k] = vf16_to_f32((uint16_t)(v >> (((in->opsel >> k) & 1) * 16)));
			else
				s[k] = vf32(v);
			if (o->abs)
				s[k] = fabsf(s[k]);
			if (o->neg)
				s[k] = -s[k];
			s[k] = vf32(flush32(vu32f(s[k])));
		}
		float p = vf32(flush32(vu32f(s[0] * s[1])));
		float r = vf32(flush32(vu32f(p + s[2])));
		if (in->clamp)
			r = r < 0.0f ? 0.0f : r > 1.0f ? 1.0f : r != r ? 0.0f : r;
		uint32_t old = w->v[(size_t)d->reg * 64 + lane];
		if (form == SHADER_MADMIX9_F32)
			out[lane] = vu32f(r);
		else if (form == SHADER_MADMIX9_LO)
			out[lane] = (old & 0xffff0000u) | vf32_to_f16(r);
		else
			out[lane] = (old & 0xffffu) | (uint32_t)vf32_to_f16(r) << 16;
	}
	for (unsigned lane = 0; lane < c->lanes; lane++)
		if ((exec >> lane) & 1)
			w->v[(size_t)d->reg * 64 + lane] = out[lane];
	return 0;
}
