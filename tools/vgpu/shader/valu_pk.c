/*
 * VOP3P: packed 16-bit math (v_pk_*), the dot products (v_dot2/4/8) and
 * v_fma_mixlo/mixhi_f16.  RDNA3 ISA: for source k the low result lane
 * takes the half op_sel[k] picks and the high lane the half op_sel_hi[k]
 * picks; neg_lo[k]/neg_hi[k] negate those f16 halves (for the iu8/iu4 dot
 * products they mark A and B signed instead).  f16 results are the exact
 * result rounded once (computed in double, where every f16 sum and
 * product is exact); clamp saturates the integer forms and clamps the
 * float ones to [0, 1].
 */
#include "internal.h"
#include "valu_fp.h"

#include <errno.h>
#include <string.h>

enum pk_op {
	PK_NONE, PK_FMA_F16, PK_ADD_F16, PK_MUL_F16, PK_MIN_F16, PK_MAX_F16, PK_FMAC_F16,
	PK_ADD_U16, PK_SUB_U16, PK_ADD_I16, PK_SUB_I16, PK_MUL_LO_U16, PK_LSHLREV_B16,
	PK_LSHRREV_B16, PK_ASHRREV_I16, PK_MAX_I16, PK_MIN_I16, PK_MAX_U16, PK_MIN_U16,
	PK_MAD_I16, PK_MAD_U16,
	DOT2_F32_F16, DOT2_F32_BF16, DOT4_I32_IU8, DOT4_U32_U8, DOT8_I32_IU4, DOT8_U32_U4,
	/* gfx10.3: the 16-bit dot products, and the 8/4-bit ones with both
	 * sources signed (gfx11's iu8/iu4 forms choose per source) */
	DOT4_I32_I8, DOT8_I32_I4, DOT2_I32_I16, DOT2_U32_U16,
	MIXLO_F16, MIXHI_F16
};

static const char *const pk_names[] = {
	[PK_FMA_F16] = "v_pk_fma_f16", [PK_ADD_F16] = "v_pk_add_f16", [PK_MUL_F16] = "v_pk_mul_f16",
	[PK_MIN_F16] = "v_pk_min_f16", [PK_MAX_F16] = "v_pk_max_f16", [PK_FMAC_F16] = "v_pk_fmac_f16",
	[PK_ADD_U16] = "v_pk_add_u16", [PK_SUB_U16] = "v_pk_sub_u16", [PK_ADD_I16] = "v_pk_add_i16",
	[PK_SUB_I16] = "v_pk_sub_i16", [PK_MUL_LO_U16] = "v_pk_mul_lo_u16",
	[PK_LSHLREV_B16] = "v_pk_lshlrev_b16", [PK_LSHRREV_B16] = "v_pk_lshrrev_b16",
	[PK_ASHRREV_I16] = "v_pk_ashrrev_i16", [PK_MAX_I16] = "v_pk_max_i16",
	[PK_MIN_I16] = "v_pk_min_i16", [PK_MAX_U16] = "v_pk_max_u16", [PK_MIN_U16] = "v_pk_min_u16",
	[PK_MAD_I16] = "v_pk_mad_i16", [PK_MAD_U16] = "v_pk_mad_u16",
	[DOT2_F32_F16] = "v_dot2_f32_f16", [DOT2_F32_BF16] = "v_dot2_f32_bf16",
	[DOT4_I32_IU8] = "v_dot4_i32_iu8", [DOT4_U32_U8] = "v_dot4_u32_u8",
	[DOT8_I32_IU4] = "v_dot8_i32_iu4", [DOT8_U32_U4] = "v_dot8_u32_u4",
	[DOT4_I32_I8] = "v_dot4_i32_i8", [DOT8_I32_I4] = "v_dot8_i32_i4",
	[DOT2_I32_I16] = "v_dot2_i32_i16", [DOT2_U32_U16] = "v_dot2_u32_u16",
	[MIXLO_F16] = "v_fma_mixlo_f16", [MIXHI_F16] = "v_fma_mixhi_f16",
};

static int64_t sat(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

static double clamp01(double f, bool clamp)
{
	if (!clamp || f != f)
		return f;
	return f < 0 ? 0 : f > 1 ? 1 : f;
}

/* one 16-bit lane of a packed operation; x, y, z the halves */
static uint32_t pk_half(int op, uint32_t x, uint32_t y, uint32_t z, bool clamp, bool ieee)
{
	double a = vf16_to_f32((uint16_t)x), b = vf16_to_f32((uint16_t)y), c = vf16_to_f32((uint16_t)z);
	int16_t sx = (int16_t)x, sy = (int16_t)y, sz = (int16_t)z;
	uint16_t ux = (uint16_t)x, uy = (uint16_t)y, uz = (uint16_t)z;
	uint32_t r;
	switch (op) {
	case PK_FMA_F16: case PK_FMAC_F16:
		r = clamp ? vf64_to_f16(clamp01(vf16_to_f32(vfma_f16(a, b, c)), true)) : vfma_f16(a, b, c);
		break;
	case PK_ADD_F16: r = vf64_to_f16(clamp01(a + b, clamp)); break;
	case PK_MUL_F16: r = vf64_to_f16(clamp01(a * b, clamp)); break;
	case PK_MIN_F16: r = vminmax_f16(x, y, false, ieee); break;
	case PK_MAX_F16: r = vminmax_f16(x, y, true, ieee); break;
	case PK_ADD_U16: r = (uint32_t)(clamp ? sat((int64_t)ux + uy, 0, 65535) : ux + uy); break;
	case PK_SUB_U16: r = (uint32_t)(clamp ? sat((int64_t)ux - uy, 0, 65535) : ux - uy); break;
	case PK_ADD_I16: r = (uint32_t)(clamp ? sat((int64_t)sx + sy, -32768, 32767) : sx + sy); break;
	case PK_SUB_I16: r = (uint32_t)(clamp ? sat((int64_t)sx - sy, -32768, 32767) : sx - sy); break;
	case PK_MUL_LO_U16: r = (uint32_t)ux * uy; break;
	case PK_LSHLREV_B16: r = (uint32_t)uy << (ux & 15); break;
	case PK_LSHRREV_B16: r = (uint32_t)uy >> (ux & 15); break;
	case PK_ASHRREV_I16: r = (uint32_t)(sy >> (ux & 15)); break;
	case PK_MAX_I16: r = (uint32_t)(sx > sy ? sx : sy); break;
	case PK_MIN_I16: r = (uint32_t)(sx < sy ? sx : sy); break;
	case PK_MAX_U16: r = ux > uy ? ux : uy; break;
	case PK_MIN_U16: r = ux < uy ? ux : uy; break;
	case PK_MAD_I16: r = (uint32_t)(clamp ? sat((int64_t)sx * sy + sz, -32768, 32767) : sx * sy + sz); break;
	case PK_MAD_U16: r = (uint32_t)(clamp ? sat((int64_t)ux * uy + uz, 0, 65535) : ux * uy + uz); break;
	default: r = 0; break;
	}
	return r & 0xffff;
}

static int64_t dot_int(int op, uint32_t a, uint32_t b, uint32_t c, uint8_t neg_lo, bool clamp)
{
	bool both = op == DOT4_I32_I8 || op == DOT8_I32_I4;
	bool sa = op == DOT4_I32_IU8 || op == DOT8_I32_IU4 ? neg_lo & 1 : both;
	bool sb = op == DOT4_I32_IU8 || op == DOT8_I32_IU4 ? (neg_lo >> 1) & 1 : both;
	bool sgn = op == DOT4_I32_IU8 || op == DOT8_I32_IU4 || both;
	unsigned bits = op == DOT4_I32_IU8 || op == DOT4_U32_U8 || op == DOT4_I32_I8 ? 8 : 4;
	int64_t s = sgn ? (int64_t)(int32_t)c : (int64_t)c;
	for (unsigned i = 0; i < 32 / bits; i++) {
		int64_t x = (a >> (bits * i)) & ((1u << bits) - 1), y = (b >> (bits * i)) & ((1u << bits) - 1);
		if (sa && (x >> (bits - 1))) x -= 1 << bits;
		if (sb && (y >> (bits - 1))) y -= 1 << bits;
		s += x * y;
	}
	if (clamp)
		s = sgn ? sat(s, INT32_MIN, INT32_MAX) : sat(s, 0, UINT32_MAX);
	return s;
}

/* v_wmma_i32_16x16x16_iu8 / _iu4, wave32 with EXEC all ones (as the f16
 * forms in shader/valu.c): D = A * B + C in 32-bit integers.  Lane l
 * (0..15) holds row l of A and column l of B, element k in VGPR k/4, byte
 * k%4 (iu8) or VGPR k/8, nibble k%8 (iu4); C and D as the f32 forms (lane
 * l, VGPR v = element [2v + l/16][l % 16]).  neg_lo[0]/[1] make A/B
 * signed; clamp saturates the sums to 32 bits. */
static int wmma_int(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
		    bool iu4)
{
	if (c->lanes != 32)
		return shader_fault(c, "WMMA in wave64 is not supported (wave32 only)");
	if (wave_exec(c, w) != 0xffffffffull)
		return shader_fault(c, "WMMA with EXEC not all ones (undefined on hardware)");
	const struct isa_operand *d = &in->ops[0], *a = &in->ops[1], *b = &in->ops[2],
				 *cc = &in->ops[3];
	if (in->nops != 4 || d->kind != ISA_OPK_VGPR || a->kind != ISA_OPK_VGPR ||
	    b->kind != ISA_OPK_VGPR || in->opsel || (in->neg_lo & 4) || in->neg_hi ||
	    (cc->kind != ISA_OPK_VGPR && cc->kind != ISA_OPK_INLINE))
		return shader_illegal(c);
	/* an inline-constant C: every element is the constant's 32-bit
	 * pattern (an integer sign-extended, a float constant its f32 bits, as
	 * for other 32-bit integer sources) */
	static const uint32_t fc[9] = { 0x3f000000u, 0xbf000000u, 0x3f800000u, 0xbf800000u,
					0x40000000u, 0xc0000000u, 0x40800000u, 0xc0800000u,
					0x3e22f983u };
	int32_t cconst = cc->kind != ISA_OPK_INLINE ? 0
		: cc->code >= 240 ? (int32_t)fc[cc->code - 240]
		: cc->code <= 192 ? (int32_t)cc->code - 128 : 192 - (int32_t)cc->code;
	unsigned nab = iu4 ? 2 : 4, bits = iu4 ? 4 : 8;
	if ((uint32_t)d->reg + 8 > w->nvgpr || (uint32_t)a->reg + nab > w->nvgpr ||
	    (uint32_t)b->reg + nab > w->nvgpr ||
	    (cc->kind == ISA_OPK_VGPR && (uint32_t)cc->reg + 8 > w->nvgpr))
		return shader_fault(c, "VGPR operand beyond the RSRC1.VGPRS allocation");
	bool sa = in->neg_lo & 1, sb = (in->neg_lo >> 1) & 1;
	int64_t A[16][16], B[16][16], D[16][16];
	for (unsigned l = 0; l < 16; l++)
		for (unsigned k = 0; k < 16; k++) {
			unsigned per = 32 / bits, sh = bits * (k % per);
			uint32_t va = (w->v[(size_t)(a->reg + k / per) * 64 + l] >> sh) & ((1u << bits) - 1);
			uint32_t vb = (w->v[(size_t)(b->reg + k / per) * 64 + l] >> sh) & ((1u << bits) - 1);
			A[l][k] = sa && (va >> (bits - 1)) ? (int64_t)va - (1 << bits) : (int64_t)va;
			B[k][l] = sb && (vb >> (bits - 1)) ? (int64_t)vb - (1 << bits) : (int64_t)vb;
		}
	for (unsigned l = 0; l < 32; l++)
		for (unsigned v = 0; v < 8; v++)
			D[2 * v + l / 16][l % 16] = cc->kind == ISA_OPK_VGPR
				? (int32_t)w->v[(size_t)(cc->reg + v) * 64 + l] : cconst;
	for (unsigned i = 0; i < 16; i++)
		for (unsigned j = 0; j < 16; j++) {
			int64_t sum = D[i][j];
			for (unsigned k = 0; k < 16; k++)
				sum += A[i][k] * B[k][j];
			D[i][j] = in->clamp ? sat(sum, INT32_MIN, INT32_MAX) : (int64_t)(int32_t)(uint32_t)sum;
		}
	for (unsigned l = 0; l < 32; l++)
		for (unsigned v = 0; v < 8; v++)
			w->v[(size_t)(d->reg + v) * 64 + l] = (uint32_t)D[2 * v + l / 16][l % 16];
	return 0;
}

/* gfx90a's packed fp32 (v_pk_fma/mul/add_f32, v_pk_mov_b32): every
 * operand is a 64-bit register pair holding two f32 (or b32) halves.
 * Source k feeds the low result with its half op_sel[k] picks and the
 * high result with the half op_sel_hi[k] picks (0 the low dword, 1 the
 * high one); neg_lo[k]/neg_hi[k] negate those halves; each half is one
 * f32 operation rounded once (fma exact, then rounded).  v_pk_mov_b32:
 * D.lo = S0[op_sel[0]], D.hi = S1[op_sel[1]] (LLVM's printing: op_sel:[0,1]
 * takes S0's low and S1's high dword).  Inline constants: 0 only (LLVM
 * and the MI200 guide are not read here for what another constant
 * places in the high half: a fault names it). */
static const char *const pk32_names[] = { "v_pk_fma_f32", "v_pk_mul_f32", "v_pk_add_f32",
					  "v_pk_mov_b32" };

static int pk_f32(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in, int op)
{
	const struct isa_operand *d = &in->ops[0];
	unsigned nsrc = in->nops - 1;
	unsigned want = op == 0 ? 3 : 2;
	if (d->kind != ISA_OPK_VGPR || nsrc != want || in->dpp)
		return shader_illegal(c);
	if ((uint32_t)d->reg + 2 > w->nvgpr)
		return shader_fault(c, "VGPR destination beyond the RSRC1.VGPRS allocation");
	uint64_t scal[3] = { 0 };
	for (unsigned k = 0; k < nsrc; k++) {
		const struct isa_operand *o = &in->ops[1 + k];
		if (o->kind == ISA_OPK_VGPR) {
			if ((uint32_t)o->reg + 2 > w->nvgpr)
				return shader_fault(c, "VGPR source beyond the RSRC1.VGPRS allocation");
			continue;
		}
		if (o->kind == ISA_OPK_INLINE && o->code != 128)
			return shader_fault(c, "inline constant other than 0 in a packed fp32 source "
					    "(gfx90a): its high-half value is not modelled");
		if (o->kind != ISA_OPK_INLINE && o->kind != ISA_OPK_SREG)
			return shader_fault(c, "packed fp32 source that is not a VGPR pair, an SGPR "
					    "pair or the constant 0 (not modelled)");
		int e = sop_read(c, w, o, &scal[k]);
		if (e)
			return e;
		if (o->kind == ISA_OPK_SREG && o->bits <= 32)
			return shader_fault(c, "packed fp32 SGPR source narrower than a pair");
	}
	uint64_t exec = wave_exec(c, w);
	for (uint64_t m = exec; m; m &= m - 1) {
		unsigned l = (unsigned)__builtin_ctzll(m);
		uint32_t h[3][2] = { { 0, 0 }, { 0, 0 }, { 0, 0 } };
		for (unsigned k = 0; k < nsrc; k++) {
			const struct isa_operand *o = &in->ops[1 + k];
			if (o->kind == ISA_OPK_VGPR) {
				h[k][0] = w->v[(size_t)o->reg * 64 + l];
				h[k][1] = w->v[(size_t)(o->reg + 1) * 64 + l];
			} else {
				h[k][0] = (uint32_t)scal[k];
				h[k][1] = (uint32_t)(scal[k] >> 32);
			}
		}
		uint32_t r[2];
		for (int hh = 0; hh < 2; hh++) {
			uint32_t x[3];
			for (unsigned k = 0; k < nsrc; k++) {
				unsigned sel = hh ? (in->opsel_hi >> k) & 1 : (in->opsel >> k) & 1;
				x[k] = h[k][sel];
				if (op != 3 && ((hh ? in->neg_hi : in->neg_lo) >> k) & 1)
					x[k] ^= 0x80000000u;
			}
			if (op == 3) {
				/* v_pk_mov_b32: S0 gives the low dword, S1 the high */
				unsigned k = (unsigned)hh;
				r[hh] = h[k][(in->opsel >> k) & 1];
				continue;
			}
			float a = vf32(x[0]), b = vf32(x[1]);
			float f = op == 0 ? fmaf(a, b, vf32(x[2])) : op == 1 ? a * b : a + b;
			if (in->clamp)
				f = f != f ? f : f < 0 ? 0.0f : f > 1 ? 1.0f : f;
			r[hh] = vu32f(f);
		}
		w->v[(size_t)d->reg * 64 + l] = r[0];
		w->v[(size_t)(d->reg + 1) * 64 + l] = r[1];
	}
	return 0;
}

bool shader_vop3p_known(const char *name)
{
	for (size_t i = 0; i < sizeof pk32_names / sizeof pk32_names[0]; i++)
		if (!strcmp(name, pk32_names[i]))
			return true;
	if (!strcmp(name, "v_wmma_i32_16x16x16_iu8") || !strcmp(name, "v_wmma_i32_16x16x16_iu4"))
		return true;
	for (int i = PK_NONE + 1; i <= MIXHI_F16; i++)
		if (pk_names[i] && !strcmp(name, pk_names[i]))
			return true;
	return false;
}

int shader_exec_vop3p(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
		      const char *name)
{
	if (!strcmp(name, "v_wmma_i32_16x16x16_iu8"))
		return wmma_int(c, w, in, false);
	if (!strcmp(name, "v_wmma_i32_16x16x16_iu4"))
		return wmma_int(c, w, in, true);
	for (size_t i = 0; i < sizeof pk32_names / sizeof pk32_names[0]; i++)
		if (!strcmp(name, pk32_names[i]))
			return pk_f32(c, w, in, (int)i);
	int op = PK_NONE;
	for (int i = PK_NONE + 1; i <= MIXHI_F16; i++)
		if (pk_names[i] && !strcmp(name, pk_names[i]))
			op = i;
	if (op == PK_NONE)
		return -ENOENT;
	const struct isa_operand *d = &in->ops[0];
	unsigned nsrc = in->nops - 1;
	if (d->kind != ISA_OPK_VGPR || nsrc < 2 || nsrc > 3)
		return shader_illegal(c);
	if (d->reg >= w->nvgpr)
		return shader_fault(c, "VGPR destination beyond the RSRC1.VGPRS allocation");
	uint64_t scal[3] = { 0 };
	for (unsigned k = 0; k < nsrc; k++) {
		const struct isa_operand *o = &in->ops[1 + k];
		if (o->kind == ISA_OPK_VGPR) {
			if (o->reg >= w->nvgpr)
				return shader_fault(c, "VGPR source beyond the RSRC1.VGPRS allocation");
			continue;
		}
		int e = sop_read(c, w, o, &scal[k]);
		if (e)
			return e;
		/* a float inline constant on a packed f16 source is its f16
		 * value in bits 0-15, 0 in bits 16-31 (RDNA3 guide 7.5.1:
		 * inline constants "produce a value in only the low 16-bits",
		 * an F16 value for float 16-bit sources; to use it in both
		 * halves, op_sel_hi selects the low half; llvm-mc-19 encodes the
		 * literal 0x3c00 on v_pk_add_f16 as the inline constant 1.0).
		 * A negative integer constant faults: read as the guide says,
		 * -1 is 0x0000ffff, while LLVM 19 takes the 32-bit sign-extended
		 * value (it encodes 0xffffffff, not 0xffff, as -1); 0..64 are the
		 * same either way. */
		if (op <= PK_FMAC_F16 && o->kind == ISA_OPK_INLINE && o->code >= 240 &&
		    o->code <= 248) {
			static const uint16_t f16c[9] = { 0x3800, 0xb800, 0x3c00, 0xbc00, 0x4000,
							  0xc000, 0x4400, 0xc400, 0x3118 };
			scal[k] = f16c[o->code - 240];
		}
		if (op < DOT2_F32_F16 && o->kind == ISA_OPK_INLINE && o->code > 192 &&
		    o->code <= 208)
			return shader_fault(c, "negative integer inline constant in a packed 16-bit "
					    "source: the RDNA3 guide (bits 0-15 only) and LLVM 19 (both "
					    "halves) disagree on its value");
		/* v_dot2_f32_f16/_bf16 S0/S1: the guide takes the FP32 constant
		 * (its upper 16 bits replicated for bf16), LLVM 19 the 16-bit
		 * value in bits 0-15 only: a constant other than 0 faults */
		if ((op == DOT2_F32_F16 || op == DOT2_F32_BF16) && k < 2 &&
		    o->kind == ISA_OPK_INLINE && o->code != 128)
			return shader_fault(c, "inline constant in a packed f16/bf16 source of "
					    "v_dot2_f32_f16/bf16: the RDNA3 guide and LLVM 19 disagree "
					    "on its value");
	}
	bool ieee = (w->mode & MODE_IEEE) != 0;
	bool f16 = op <= PK_FMAC_F16;
	bool mix = op == MIXLO_F16 || op == MIXHI_F16;
	uint64_t exec = wave_exec(c, w);
	/* VOP3P-DPP (v_dot2_f32_f16 and v_fma_mixlo/hi_f16; the decoder takes
	 * no other): src0 from the lane the DPP control names, lanes it
	 * disables not written; src1 must be a VGPR on gfx1100 */
	uint8_t dpp_src[64];
	uint64_t dpp_zero = 0;
	if (in->dpp) {
		uint64_t wm;
		if (in->ops[1].kind != ISA_OPK_VGPR || in->ops[2].kind != ISA_OPK_VGPR ||
		    (op != DOT2_F32_F16 && !mix))
			return shader_illegal(c);
		shader_dpp_lanes(in, c->lanes, exec, dpp_src, &wm, &dpp_zero);
		exec &= wm;
	}
	uint32_t out[64];
	for (uint64_t m = exec; m; m &= m - 1) {
		unsigned l = (unsigned)__builtin_ctzll(m);
		uint32_t v[3] = { 0, 0, 0 };
		for (unsigned k = 0; k < nsrc; k++) {
			const struct isa_operand *o = &in->ops[1 + k];
			v[k] = (uint32_t)(o->kind == ISA_OPK_VGPR ? w->v[(size_t)o->reg * 64 + l] : scal[k]);
		}
		if (in->dpp)
			v[0] = ((dpp_zero >> l) & 1) ? 0 : w->v[(size_t)in->ops[1].reg * 64 + dpp_src[l]];
		uint32_t old = w->v[(size_t)d->reg * 64 + l];
		if (op == PK_FMAC_F16)
			v[2] = old;
		if (mix) {
			/* as v_fma_mix_f32 (shader/valu.c), the result rounded
			 * once to f16 into the low or the high half */
			double s[3];
			for (unsigned k = 0; k < 3; k++) {
				const struct isa_operand *o = &in->ops[1 + k];
				s[k] = ((in->opsel_hi >> k) & 1)
					? vf16_to_f32((uint16_t)(v[k] >> (((in->opsel >> k) & 1) * 16)))
					: vf32(v[k]);
				if (o->abs) s[k] = s[k] < 0 ? -s[k] : s[k];
				if (o->neg) s[k] = -s[k];
			}
			uint32_t h = vf64_to_f16(clamp01(fma(s[0], s[1], s[2]), in->clamp));
			out[l] = op == MIXLO_F16 ? (old & 0xffff0000u) | h : (old & 0xffffu) | h << 16;
			continue;
		}
		if (op >= DOT4_I32_IU8 && op <= DOT8_I32_I4) {
			out[l] = (uint32_t)dot_int(op, v[0], v[1], v[2], in->neg_lo, in->clamp);
			continue;
		}
		uint32_t lo[3], hi[3];
		for (unsigned k = 0; k < 3; k++) {
			lo[k] = (v[k] >> (((in->opsel >> k) & 1) * 16)) & 0xffff;
			hi[k] = (v[k] >> (((in->opsel_hi >> k) & 1) * 16)) & 0xffff;
			if (f16 || op == DOT2_F32_F16 || op == DOT2_F32_BF16) {
				if ((in->neg_lo >> k) & 1) lo[k] ^= 0x8000;
				if ((in->neg_hi >> k) & 1) hi[k] ^= 0x8000;
			}
		}
		if (op == DOT2_I32_I16 || op == DOT2_U32_U16) {
			/* the two 16-bit products (halves as op_sel/op_sel_hi
			 * pick them) plus S2, exact; clamp saturates to 32
			 * bits, else the low 32 bits */
			bool sg = op == DOT2_I32_I16;
			int64_t acc = sg ? (int64_t)(int32_t)v[2] : (int64_t)v[2];
			for (int h = 0; h < 2; h++) {
				uint32_t x = h ? hi[0] : lo[0], y = h ? hi[1] : lo[1];
				acc += sg ? (int64_t)(int16_t)x * (int16_t)y : (int64_t)x * y;
			}
			if (in->clamp)
				acc = sg ? sat(acc, INT32_MIN, INT32_MAX) : sat(acc, 0, UINT32_MAX);
			out[l] = (uint32_t)acc;
			continue;
		}
		if (op == DOT2_F32_F16 || op == DOT2_F32_BF16) {
			/* products exact; the sum with S2 (an f32, its modifiers
			 * the neg_lo/neg_hi bit 2 as neg/abs) rounded once */
			double p = 0;
			for (int h = 0; h < 2; h++) {
				uint32_t x = h ? hi[0] : lo[0], y = h ? hi[1] : lo[1];
				double fx = op == DOT2_F32_F16 ? vf16_to_f32((uint16_t)x) : vf32(x << 16);
				double fy = op == DOT2_F32_F16 ? vf16_to_f32((uint16_t)y) : vf32(y << 16);
				p += fx * fy;
			}
			double acc = vf32(v[2]);
			if ((in->neg_hi >> 2) & 1) acc = acc < 0 ? -acc : acc;
			if ((in->neg_lo >> 2) & 1) acc = -acc;
			out[l] = vu32f((float)clamp01(p + acc, in->clamp));
			continue;
		}
		out[l] = pk_half(op, lo[0], lo[1], lo[2], in->clamp, ieee) |
			 pk_half(op, hi[0], hi[1], hi[2], in->clamp, ieee) << 16;
	}
	for (uint64_t m = exec; m; m &= m - 1) {
		unsigned l = (unsigned)__builtin_ctzll(m);
		w->v[(size_t)d->reg * 64 + l] = out[l];
	}
	return 0;
}
