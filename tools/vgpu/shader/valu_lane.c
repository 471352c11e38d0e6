/*
 * Cross-lane VALU operations: the DPP16/DPP8 source-lane patterns that
 * shader/valu.c's compute() applies to src0, v_permlane16/x16/64, the
 * M0-relative moves (v_movrel*), v_swap(rel), the instructions with no
 * effect on the wave (v_nop, v_pipeflush, v_clrexcp) and v_mqsad_u32_u8, whose
 * 128-bit operands do not fit the per-lane path of shader/valu.c.  RDNA3 ISA reference; the DPP
 * modifiers as LLVM's AMDGPUModifierSyntax documents them: bound_ctrl
 * writes 0 for a source lane outside the row (else the lane is not
 * written), fi:0 reads 0 from a source lane EXEC disables.
 */
#include "internal.h"

#include <errno.h>
#include <string.h>

void shader_dpp_lanes(const struct isa_inst *in, unsigned lanes, uint64_t exec, uint8_t *src,
		      uint64_t *wmask, uint64_t *zero)
{
	uint64_t wm = 0, z = 0;
	for (unsigned l = 0; l < lanes; l++) {
		unsigned s = l;
		bool valid = true, enabled = true;
		if (in->dpp == 8) {
			s = (l & ~7u) | ((in->dpp8_sel >> (3 * (l & 7))) & 7);
		} else {
			unsigned ctrl = in->dpp_ctrl, row = l & ~15u, i = l & 15;
			enabled = ((in->row_mask >> (l >> 4)) & 1) && ((in->bank_mask >> ((l >> 2) & 3)) & 1);
			if (ctrl <= 0xff) {
				s = (l & ~3u) | ((ctrl >> (2 * (l & 3))) & 3);     /* quad_perm */
			} else if (ctrl >= 0x101 && ctrl <= 0x10f) {          /* row_shl */
				unsigned n = ctrl & 15;
				valid = i + n < 16;
				s = row + i + n;
			} else if (ctrl >= 0x111 && ctrl <= 0x11f) {          /* row_shr */
				unsigned n = ctrl & 15;
				valid = i >= n;
				s = row + i - n;
			} else if (ctrl >= 0x121 && ctrl <= 0x12f) {          /* row_ror */
				s = row + ((i - (ctrl & 15)) & 15);
			} else if (ctrl == 0x140) {                           /* row_mirror */
				s = row + 15 - i;
			} else if (ctrl == 0x141) {                           /* row_half_mirror */
				s = row + (i & 8) + 7 - (i & 7);
			} else if (in->gen == ISA_GEN_GFX9 && ctrl >= 0x130 && ctrl <= 0x13c &&
				   (ctrl & 3) == 0) {
				/* gfx9 wave_shl/rol/shr/ror:1 (0x130/0x134/0x138/0x13c):
				 * by one lane across the whole wave */
				bool left = ctrl == 0x130 || ctrl == 0x134;
				bool rot = ctrl == 0x134 || ctrl == 0x13c;
				unsigned t = left ? l + 1 : l + lanes - 1;
				valid = rot || (left ? l + 1 < lanes : l >= 1);
				s = t % lanes;
			} else if (in->gen == ISA_GEN_GFX9 && ctrl == 0x142) {
				/* gfx9 row_bcast:15: lane 15 of each row to the next
				 * row (row 0 has none) */
				valid = row > 0;
				s = row > 0 ? row - 1 : l;
			} else if (in->gen == ISA_GEN_GFX9 && ctrl == 0x143) {
				/* gfx9 row_bcast:31: lane 31 to rows 2 and 3 */
				valid = row >= 32;
				s = row >= 32 ? 31 : l;
			} else if (ctrl >= 0x150 && ctrl <= 0x15f) {
				/* row_share (gfx10+), gfx90a's row_newbcast: lane N
				 * of each row to the whole row */
				s = row + (ctrl & 15);
			} else {                                              /* row_xmask */
				s = row + (i ^ (ctrl & 15));
			}
		}
		if (!valid || s >= lanes) {
			src[l] = (uint8_t)l;
			if (in->dpp == 16 && in->bound_ctrl)
				z |= 1ull << l;
			else
				enabled = false;
		} else if (in->gen == ISA_GEN_GFX9 && !((exec >> s) & 1)) {
			/* gfx9 has no fi: a source lane EXEC disables is invalid
			 * like one outside the row (bound_ctrl: 0, else the lane
			 * is not written) */
			src[l] = (uint8_t)l;
			if (in->bound_ctrl)
				z |= 1ull << l;
			else
				enabled = false;
		} else {
			src[l] = (uint8_t)s;
			if (!((exec >> s) & 1) && !in->fi)
				z |= 1ull << l;
		}
		if (enabled)
			wm |= 1ull << l;
	}
	*wmask = wm;
	*zero = z;
}

static int vgpr_ok(struct shader_core *c, const struct shader_wave *w, uint32_t reg)
{
	if (reg >= w->nvgpr)
		return shader_fault(c, "VGPR index (M0-relative or operand) beyond the RSRC1.VGPRS allocation");
	return 0;
}

/* v_permlane16_b32 / v_permlanex16_b32 vdst, vsrc, sel_lo, sel_hi: lane i
 * of each row of 16 reads lane sel[i] of its own row (x16: of the other
 * row of the pair); op_sel[0] is fetch-inactive, op_sel[1] bound_ctrl
 * (a lane whose source lane is inactive gets 0 with it, else keeps its
 * value). */
static int permlane16(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
		      bool x16)
{
	const struct isa_operand *d = &in->ops[0], *s = &in->ops[1];
	uint64_t lo, hi;
	if (in->nops < 4 || d->kind != ISA_OPK_VGPR || s->kind != ISA_OPK_VGPR)
		return shader_illegal(c);
	int r = sop_read(c, w, &in->ops[2], &lo);
	if (!r)
		r = sop_read(c, w, &in->ops[3], &hi);
	if (!r)
		r = vgpr_ok(c, w, d->reg);
	if (!r)
		r = vgpr_ok(c, w, s->reg);
	if (r)
		return r;
	bool fi = in->opsel & 1, bc = (in->opsel >> 1) & 1;
	uint64_t exec = wave_exec(c, w);
	const uint32_t *sv = &w->v[(size_t)s->reg * 64];
	uint32_t out[64];
	uint64_t wr = 0;
	for (uint64_t m = exec; m; m &= m - 1) {
		unsigned l = (unsigned)__builtin_ctzll(m), i = l & 15;
		unsigned sel = (unsigned)((i < 8 ? lo >> (4 * i) : hi >> (4 * (i - 8))) & 15);
		unsigned row = l & ~15u;
		if (x16)
			row ^= 16;
		unsigned sl = (row + sel) % c->lanes;
		if (((exec >> sl) & 1) || fi) {
			out[l] = sv[sl];
			wr |= 1ull << l;
		} else if (bc) {
			out[l] = 0;
			wr |= 1ull << l;
		}
	}
	uint32_t *dv = &w->v[(size_t)d->reg * 64];
	for (uint64_t m = wr; m; m &= m - 1) {
		unsigned l = (unsigned)__builtin_ctzll(m);
		dv[l] = out[l];
	}
	return 0;
}

/* v_permlane64_b32: each lane reads the lane 32 away (the other half of
 * a wave64), whether EXEC enables that lane or not; in wave32 it does
 * nothing (RDNA3 ISA). */
static int permlane64(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in)
{
	const struct isa_operand *d = &in->ops[0], *s = &in->ops[1];
	if (d->kind != ISA_OPK_VGPR || s->kind != ISA_OPK_VGPR)
		return shader_illegal(c);
	int r = vgpr_ok(c, w, d->reg);
	if (!r)
		r = vgpr_ok(c, w, s->reg);
	if (r || c->lanes == 32)
		return r;
	uint32_t tmp[64];
	memcpy(tmp, &w->v[(size_t)s->reg * 64], sizeof(tmp));
	uint64_t exec = wave_exec(c, w);
	for (uint64_t m = exec; m; m &= m - 1) {
		unsigned l = (unsigned)__builtin_ctzll(m);
		w->v[(size_t)d->reg * 64 + l] = tmp[l ^ 32];
	}
	return 0;
}

/* v_movrels/movreld/movrelsd(_2)/swaprel and v_swap_b32: the source
 * and destination VGPR indexes, M0-relative where the name says so
 * (movrelsd_2 and swaprel: the destination offset is M0[25:16], the
 * source offset M0[9:0]) */
static int movrel(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
		  const char *n)
{
	const struct isa_operand *d = &in->ops[0], *s = &in->ops[1];
	uint32_t m0 = w->s[SREG_M0];
	bool two = !strcmp(n, "v_movrelsd_2_b32") || !strcmp(n, "v_swaprel_b32");
	bool rel_s = !strcmp(n, "v_movrels_b32") || !strcmp(n, "v_movrelsd_b32") || two;
	bool rel_d = !strcmp(n, "v_movreld_b32") || !strcmp(n, "v_movrelsd_b32") || two;
	bool swap = !strcmp(n, "v_swap_b32") || !strcmp(n, "v_swaprel_b32");
	if (d->kind != ISA_OPK_VGPR)
		return shader_illegal(c);
	uint32_t dreg = d->reg + (rel_d ? (two ? (m0 >> 16) & 0x3ff : m0) : 0);
	int r = vgpr_ok(c, w, dreg);
	if (r)
		return r;
	uint64_t exec = wave_exec(c, w);
	uint32_t *dv = &w->v[(size_t)dreg * 64];
	if (s->kind != ISA_OPK_VGPR) {
		uint64_t v;
		if (swap || rel_s)
			return shader_illegal(c);
		r = sop_read(c, w, s, &v);
		if (r)
			return r;
		for (uint64_t m = exec; m; m &= m - 1)
			dv[__builtin_ctzll(m)] = (uint32_t)v;
		return 0;
	}
	uint32_t sreg = s->reg + (rel_s ? (two ? m0 & 0x3ff : m0) : 0);
	r = vgpr_ok(c, w, sreg);
	if (r)
		return r;
	uint32_t *sv = &w->v[(size_t)sreg * 64];
	for (uint64_t m = exec; m; m &= m - 1) {
		unsigned l = (unsigned)__builtin_ctzll(m);
		uint32_t t = dv[l];
		dv[l] = sv[l];
		if (swap)
			sv[l] = t;
	}
	return 0;
}

/*
 * V_CLREXCP (gfx9 and gfx10.3; RDNA2 ISA: "Clear wave's exception state
 * in the SIMD"): the state a VALU exception leaves in the SIMD, which the
 * kernel's gfx10 trap handler clears this way before it runs VALU code of
 * its own (cwsr_trap_handler_gfx10.asm: "If there was a VALU exception,
 * the exception state must be cleared").  The vgpu's VALU raises no
 * exception (the vgpu installs and runs no trap handler), so that
 * state is always empty and clearing it changes nothing.  TRAPSTS is the
 * SQ's register, not the SIMD's; whether v_clrexcp also clears exception
 * bits s_setreg wrote into TRAPSTS.EXCP (8:0) / EXCP_HI (14:12) is not
 * defined by a source the vgpu has, so with any of them set it faults
 * rather than guess.
 */
static int clrexcp(struct shader_core *c, const struct shader_wave *w)
{
	if (w->trapsts & 0x71ffu)
		return shader_fault(c, "v_clrexcp with TRAPSTS.EXCP/EXCP_HI bits set (by s_setreg) "
				       "is not modelled: whether it clears them is not defined by a "
				       "source the vgpu has");
	return 0;
}

bool shader_valu_lane_known(const char *n, bool dpp)
{
	if (!strcmp(n, "v_nop") || !strcmp(n, "v_pipeflush") || !strcmp(n, "v_illegal") ||
	    !strcmp(n, "v_clrexcp"))
		return true;
	return !dpp && (!strcmp(n, "v_permlane16_b32") || !strcmp(n, "v_permlanex16_b32") ||
			!strcmp(n, "v_permlane64_b32") || !strncmp(n, "v_movrel", 8) ||
			!strncmp(n, "v_swap", 6) || !strcmp(n, "v_mqsad_u32_u8"));
}

/* V_MQSAD_U32_U8 (RDNA3 ISA): four masked sums of absolute differences,
 * D[i] = v_msad_u8(S0[8i + 31 : 8i], S1, S2[i]) for the 32-bit parts i of
 * the 128-bit D and S2; S0 is 64 bits.  A reference byte (of S1) that is 0
 * does not count; clamp saturates each sum to 32 bits. */
static int mqsad_u32(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in)
{
	const struct isa_operand *d = &in->ops[0], *s0 = &in->ops[1], *s1 = &in->ops[2],
				 *s2 = &in->ops[3];
	if (in->nops != 4 || d->kind != ISA_OPK_VGPR)
		return shader_illegal(c);
	if ((uint32_t)d->reg + 4 > w->nvgpr ||
	    (s0->kind == ISA_OPK_VGPR && (uint32_t)s0->reg + 2 > w->nvgpr) ||
	    (s1->kind == ISA_OPK_VGPR && s1->reg >= w->nvgpr) ||
	    (s2->kind == ISA_OPK_VGPR && (uint32_t)s2->reg + 4 > w->nvgpr))
		return shader_fault(c, "VGPR operand beyond the RSRC1.VGPRS allocation");
	if (s2->kind != ISA_OPK_VGPR && s2->kind != ISA_OPK_SREG)
		return shader_fault(c, "v_mqsad_u32_u8 with a constant 128-bit src2 is not modelled");
	if (s2->kind == ISA_OPK_SREG && (s2->reg > 102 || (s2->reg & 3)))
		return shader_illegal(c);
	uint64_t c0 = 0, c1 = 0;
	int r;
	if (s0->kind != ISA_OPK_VGPR && (r = sop_read(c, w, s0, &c0)))
		return r;
	if (s1->kind != ISA_OPK_VGPR && (r = sop_read(c, w, s1, &c1)))
		return r;
	uint64_t exec = wave_exec(c, w);
	uint32_t out[4][64];
	for (uint64_t m = exec; m; m &= m - 1) {
		unsigned l = (unsigned)__builtin_ctzll(m);
		uint64_t a = s0->kind == ISA_OPK_VGPR
			? w->v[(size_t)s0->reg * 64 + l] | (uint64_t)w->v[(size_t)(s0->reg + 1) * 64 + l] << 32
			: c0;
		uint32_t b = s1->kind == ISA_OPK_VGPR ? w->v[(size_t)s1->reg * 64 + l] : (uint32_t)c1;
		for (unsigned i = 0; i < 4; i++) {
			uint64_t sum = s2->kind == ISA_OPK_VGPR ? w->v[(size_t)(s2->reg + i) * 64 + l]
							       : w->s[s2->reg + i];
			for (unsigned j = 0; j < 4; j++) {
				int x = (int)((a >> (8 * (i + j))) & 0xff), y = (int)((b >> (8 * j)) & 0xff);
				if (y)
					sum += (uint64_t)(x > y ? x - y : y - x);
			}
			out[i][l] = in->clamp && sum > 0xffffffffull ? 0xffffffffu : (uint32_t)sum;
		}
	}
	for (uint64_t m = exec; m; m &= m - 1) {
		unsigned l = (unsigned)__builtin_ctzll(m);
		for (unsigned i = 0; i < 4; i++)
			w->v[(size_t)(d->reg + i) * 64 + l] = out[i][l];
	}
	return 0;
}

int shader_exec_valu_lane(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
			  const char *n)
{
	if (!strcmp(n, "v_nop") || !strcmp(n, "v_pipeflush"))
		return 0;
	if (!strcmp(n, "v_clrexcp"))
		return clrexcp(c, w);
	/* RDNA3 ISA: V_ILLEGAL (the all-zero word) raises an
	 * illegal-instruction exception; there is no trap handler here */
	if (!strcmp(n, "v_illegal"))
		return shader_fault(c, "v_illegal (an illegal-instruction exception by definition)");
	if (in->dpp)
		return shader_illegal(c);
	if (!strcmp(n, "v_permlane16_b32") || !strcmp(n, "v_permlanex16_b32"))
		return permlane16(c, w, in, n[10] == 'x');
	if (!strcmp(n, "v_permlane64_b32"))
		return permlane64(c, w, in);
	if (!strncmp(n, "v_movrel", 8) || !strncmp(n, "v_swap", 6))
		return movrel(c, w, in, n);
	if (!strcmp(n, "v_mqsad_u32_u8"))
		return mqsad_u32(c, w, in);
	return -ENOENT;
}
