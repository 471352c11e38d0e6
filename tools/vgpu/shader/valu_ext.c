/*
 * The VALU operations beyond shader/valu.c's inlined table: transcendental
 * and division steps, f64 rounding, the f16/i16/u16 forms, three-operand
 * min/max/median, byte permutes, packing conversions and sums of absolute
 * differences.  One lane at a time through one switch (these are not the
 * hot path of the GEMM kernels); shader/valu.c gathers the sources (with
 * op_sel, abs/neg and the denormal flush of MODE applied) and writes the
 * results.  Semantics follow the RDNA3 ISA reference's pseudo-code; where
 * the vgpu's result is an approximation the ISA allows, docs/vgpu-shader.md
 * says what it computes.
 */
#include "internal.h"
#include "valu_fp.h"

#include <math.h>
#include <string.h>

static const struct shader_valu_ext_info ext_info[] = {
	[VEXT_NONE] = { "", 0, "", 0 },
#define X(id, name, kind, srcs, flags) [VEXT_##id] = { name, kind, srcs, flags },
	VALU_EXT_OPS(X)
#undef X
};

int shader_valu_ext_resolve(const char *n)
{
	for (int i = VEXT_NONE + 1; i < VEXT_COUNT; i++)
		if (ext_info[i].name[0] && strcmp(n, ext_info[i].name) == 0)
			return i;
	return VEXT_NONE;
}

const struct shader_valu_ext_info *shader_valu_ext_info(int ext)
{
	return &ext_info[ext > VEXT_NONE && ext < VEXT_COUNT ? ext : VEXT_NONE];
}

/* ---- building blocks ------------------------------------------------------------- */

static int exp32(uint32_t v) { return (int)((v >> 23) & 0xff); }
static int exp64(uint64_t v) { return (int)((v >> 52) & 0x7ff); }
static int exp16(uint32_t v) { return (int)((v >> 10) & 0x1f); }

static uint32_t quiet32(uint32_t v) { return v | 0x400000u; }
static uint64_t quiet64(uint64_t v) { return v | (1ull << 51); }
static uint32_t quiet16(uint32_t v) { return (v | 0x200u) & 0xffff; }

/* Round half to even, independent of the host's rounding mode: the
 * fraction x - trunc(x) is exact. */
static double rne_d(double x)
{
	if (!(fabs(x) < 0x1p52))
		return x;
	double t = trunc(x), f = x - t;
	if (fabs(f) > 0.5 || (fabs(f) == 0.5 && fmod(t, 2.0) != 0))
		t += f < 0 ? -1.0 : 1.0;
	return copysign(t, x);
}

static float rne_f(float x)
{
	return (float)rne_d(x);
}

/* A denormal f32 result of the f32 transcendental ops (V_RCP, V_RSQ,
 * V_LOG, V_EXP, V_SIN, V_COS) is flushed to a signed zero whatever MODE
 * says ("the instruction always flushes denormal results", LLVM's
 * AMDGPUInstCombineIntrinsic on v_rcp); denormal inputs follow MODE,
 * except for V_LOG/V_EXP (below). */
static float ftz(float f)
{
	return fabsf(f) < 0x1p-126f ? copysignf(0.0f, f) : f;
}

/* sin/cos of 2*pi*x: the argument is in revolutions; x minus its
 * nearest integer is exact, then the double computation rounds once. */
static double revolutions(double x)
{
	return x - rne_d(x);
}

/* V_SIN/V_COS_F32 as LLVM's constant folder computes them for
 * |x| <= 256 revolutions (the hardware's range): a quarter-integer
 * argument gives an exact 0, 1 or -1, anything else sin/cos of 2*pi*x in
 * double; outside that range the argument is first reduced by its
 * nearest integer (exact). */
static double sincos_rev(double x, bool cosine)
{
	if (isinf(x) || isnan(x))
		return NAN;
	if (!(fabs(x) <= 256.0))
		x = revolutions(x);
	double x4 = x * 4.0;
	if (x4 == floor(x4)) {
		static const double quarter[4] = { 0.0, 1.0, 0.0, -1.0 };
		return quarter[((int)fmod(x4, 4.0) + 4 + (cosine ? 1 : 0)) & 3];
	}
	return cosine ? cos(x * 2.0 * M_PI) : sin(x * 2.0 * M_PI);
}

static double trans(int op, double x)
{
	switch (op) {
	case 0: return 1.0 / x;
	case 1: return 1.0 / sqrt(x);
	case 2: return sqrt(x);
	case 3: return log2(x);
	case 4: return exp2(x);
	case 5: return sincos_rev(x, false);
	default: return sincos_rev(x, true);
	}
}

static uint32_t trans_f32(int op, uint32_t a)
{
	if (vnan32(a))
		return quiet32(a);
	/* V_LOG_F32 and V_EXP_F32 read a denormal input as zero (LLVM's
	 * constant folder of llvm.amdgcn.log/exp2 does the same) */
	float x = op == 3 || op == 4 ? ftz(vf32(a)) : vf32(a);
	return vu32f(ftz((float)trans(op, x)));
}

static uint32_t trans_f16(int op, uint32_t a)
{
	if (vnan16(a))
		return quiet16(a);
	float x = vf16_to_f32((uint16_t)a);
	return vf64_to_f16(trans(op, x));
}

/* V_FRACT: x - floor(x), at most the largest value below 1; NaN stays
 * NaN and an infinity gives NaN (as LLVM's constant folder of
 * llvm.amdgcn.fract computes). */
static uint32_t fract_f32(uint32_t a)
{
	if (vnan32(a))
		return quiet32(a);
	float x = vf32(a);
	if (isinf(x))
		return 0x7fc00000u;
	float r = x - floorf(x);
	return vu32f(r < 0x1.fffffep-1f ? r : 0x1.fffffep-1f);
}

static uint64_t fract_f64(uint64_t a)
{
	if (vnan64(a))
		return quiet64(a);
	double x = vf64(a);
	if (isinf(x))
		return 0x7ff8000000000000ull;
	double r = x - floor(x);
	return vu64d(r < 0x1.fffffffffffffp-1 ? r : 0x1.fffffffffffffp-1);
}

static uint32_t fract_f16(uint32_t a)
{
	if (vnan16(a))
		return quiet16(a);
	float x = vf16_to_f32((uint16_t)a);
	if (isinf(x))
		return 0x7e00;
	float r = x - floorf(x);
	uint16_t h = vf32_to_f16(r);
	return h > 0x3bff && !(h & 0x8000) ? 0x3bff : h;
}

/* V_FREXP_MANT / V_FREXP_EXP: an infinity or NaN gives itself (NaN
 * quieted) and exponent 0 */
static uint32_t frexp_mant_f32(uint32_t a)
{
	if (vnan32(a))
		return quiet32(a);
	float x = vf32(a);
	if (isinf(x))
		return a;
	int e;
	return vu32f(frexpf(x, &e));
}

static uint32_t frexp_exp_f32(uint32_t a)
{
	float x = vf32(a);
	if (isnan(x) || isinf(x))
		return 0;
	int e;
	frexpf(x, &e);
	return (uint32_t)e;
}

static uint64_t frexp_mant_f64(uint64_t a)
{
	if (vnan64(a))
		return quiet64(a);
	double x = vf64(a);
	if (isinf(x))
		return a;
	int e;
	return vu64d(frexp(x, &e));
}

static uint32_t frexp_exp_f64(uint64_t a)
{
	double x = vf64(a);
	if (isnan(x) || isinf(x))
		return 0;
	int e;
	frexp(x, &e);
	return (uint32_t)e;
}

static uint32_t frexp_mant_f16(uint32_t a)
{
	if (vnan16(a))
		return quiet16(a);
	float x = vf16_to_f32((uint16_t)a);
	if (isinf(x))
		return a & 0xffff;
	int e;
	return vf32_to_f16(frexpf(x, &e));
}

static uint32_t frexp_exp_f16(uint32_t a)
{
	float x = vf16_to_f32((uint16_t)a);
	if (isnan(x) || isinf(x))
		return 0;
	int e;
	frexpf(x, &e);
	return (uint16_t)(int16_t)e;
}

/* f32 is denormal (a nonzero value below the smallest normal) */
static bool denorm32(double v) { return v != 0 && fabs(v) < 0x1p-126; }
static bool denorm64(double v) { return v != 0 && fabs(v) < 0x1p-1022; }

/*
 * V_DIV_SCALE_F32 (S0: the value to scale, S1: denominator, S2:
 * numerator) after the ISA pseudo-code.  One case is taken from the
 * arithmetic rather than the printed pseudo-code: when 1/S1 and S2/S1
 * are both denormal, the denominator is scaled down by 2^-64 (the printed
 * 2^+64 would overflow a denominator above 2^126), which keeps the
 * quotient V_DIV_FMAS rescales the one the sequence needs.
 */
static uint32_t div_scale_f32(uint32_t s0, uint32_t s1, uint32_t s2, bool *vcc)
{
	float a = vf32(s0), d = vf32(s1), n = vf32(s2);
	*vcc = false;
	if (n == 0.0f || d == 0.0f)
		return 0x7fc00000u;
	if (exp32(s2) - exp32(s1) >= 96) {
		*vcc = true;
		return a == d ? vu32f(ldexpf(a, 64)) : s0;
	}
	if (denorm32(d))
		return vu32f(ldexpf(a, 64));
	double rcp = 1.0 / (double)d, q = (double)n / (double)d;
	if (denorm32(rcp) && denorm32(q)) {
		*vcc = true;
		return a == d ? vu32f(ldexpf(a, -64)) : s0;
	}
	if (denorm32(rcp))
		return vu32f(ldexpf(a, -64));
	if (denorm32(q)) {
		*vcc = true;
		return a == n ? vu32f(ldexpf(a, 64)) : s0;
	}
	if (exp32(s2) <= 23)
		return vu32f(ldexpf(a, 64));
	return s0;
}

static uint64_t div_scale_f64(uint64_t s0, uint64_t s1, uint64_t s2, bool *vcc)
{
	double a = vf64(s0), d = vf64(s1), n = vf64(s2);
	*vcc = false;
	if (n == 0.0 || d == 0.0)
		return 0x7ff8000000000000ull;
	if (exp64(s2) - exp64(s1) >= 768) {
		*vcc = true;
		return a == d ? vu64d(ldexp(a, 128)) : s0;
	}
	if (denorm64(d))
		return vu64d(ldexp(a, 128));
	/* 1/d and n/d: long double keeps the tiny quotients' exponent range */
	long double rcp = 1.0L / d, q = (long double)n / d;
	bool rcp_dn = rcp != 0 && fabsl(rcp) < 0x1p-1022L, q_dn = q != 0 && fabsl(q) < 0x1p-1022L;
	if (rcp_dn && q_dn) {
		*vcc = true;
		return a == d ? vu64d(ldexp(a, -128)) : s0;
	}
	if (rcp_dn)
		return vu64d(ldexp(a, -128));
	if (q_dn) {
		*vcc = true;
		return a == n ? vu64d(ldexp(a, 128)) : s0;
	}
	if (exp64(s2) <= 53)
		return vu64d(ldexp(a, 128));
	return s0;
}

/* fma(a, b, c) * 2^k in f32 with one rounding: the product is exact in
 * double, the sum is rounded to odd (so the final rounding to f32 is
 * the correct one), and the scale is exact in double. */
static float fma_scaled_f32(float a, float b, float c, int k)
{
	double p = (double)a * (double)b, cc = c;
	double s = p + cc;
	if (isfinite(s)) {
		/* TwoSum: the exact sum is s + e */
		double bb = s - p, e = (p - (s - bb)) + (cc - bb);
		uint64_t u = vu64d(s);
		if (e != 0 && !(u & 1))
			s = nextafter(s, e > 0 ? INFINITY : -INFINITY);
	}
	return (float)ldexp(s, k);
}

/* V_DIV_FMAS: fma, and with the lane's VCC bit the 2^+-64 (f32) or
 * 2^+-128 (f64) that undoes V_DIV_SCALE's scaling: up when S2's exponent
 * says the scaled quotient is large, down otherwise.  The f64 form
 * rounds the fma, then scales (exact unless the quotient is an f64
 * denormal, where the hardware's single rounding may differ by one unit
 * in the last place; docs/vgpu-shader.md). */
static uint32_t div_fmas_f32(uint32_t s0, uint32_t s1, uint32_t s2, bool vcc)
{
	float a = vf32(s0), b = vf32(s1), c = vf32(s2);
	if (!vcc)
		return vu32f(fmaf(a, b, c));
	return vu32f(fma_scaled_f32(a, b, c, exp32(s2) > 127 ? 64 : -64));
}

static uint64_t div_fmas_f64(uint64_t s0, uint64_t s1, uint64_t s2, bool vcc)
{
	double r = fma(vf64(s0), vf64(s1), vf64(s2));
	if (!vcc)
		return vu64d(r);
	return vu64d(ldexp(r, exp64(s2) > 1023 ? 128 : -128));
}

/* V_DIV_FIXUP: S0 the quotient, S1 the denominator, S2 the numerator;
 * the special cases of IEEE division decided from S1 and S2 (a NaN S0
 * from finite operands is the overflowed quotient: an infinity), else
 * S0 with the quotient's sign. */
static uint32_t div_fixup_f32(uint32_t s0, uint32_t s1, uint32_t s2)
{
	uint32_t sign = (s1 ^ s2) & 0x80000000u;
	float d = vf32(s1), n = vf32(s2);
	if (vnan32(s2)) return quiet32(s2);
	if (vnan32(s1)) return quiet32(s1);
	if (d == 0 && n == 0) return 0xffc00000u;
	if (isinf(d) && isinf(n)) return 0xffc00000u;
	if (d == 0 || isinf(n)) return sign | 0x7f800000u;
	if (isinf(d) || n == 0) return sign;
	/* a NaN quotient from finite operands: the scaled iteration
	 * overflowed, so the quotient is an infinity */
	if (vnan32(s0)) return sign | 0x7f800000u;
	if (exp32(s2) - exp32(s1) < -150) return sign;
	return sign | (s0 & 0x7fffffffu);
}

static uint64_t div_fixup_f64(uint64_t s0, uint64_t s1, uint64_t s2)
{
	uint64_t sign = (s1 ^ s2) & (1ull << 63);
	double d = vf64(s1), n = vf64(s2);
	if (vnan64(s2)) return quiet64(s2);
	if (vnan64(s1)) return quiet64(s1);
	if (d == 0 && n == 0) return 0xfff8000000000000ull;
	if (isinf(d) && isinf(n)) return 0xfff8000000000000ull;
	if (d == 0 || isinf(n)) return sign | 0x7ff0000000000000ull;
	if (isinf(d) || n == 0) return sign;
	/* a NaN quotient from finite operands: the scaled iteration
	 * overflowed, so the quotient is an infinity */
	if (vnan64(s0)) return sign | 0x7ff0000000000000ull;
	if (exp64(s2) - exp64(s1) < -1075) return sign;
	return sign | (s0 & ~(1ull << 63));
}

static uint32_t div_fixup_f16(uint32_t s0, uint32_t s1, uint32_t s2)
{
	s0 &= 0xffff; s1 &= 0xffff; s2 &= 0xffff;
	uint32_t sign = (s1 ^ s2) & 0x8000u;
	float d = vf16_to_f32((uint16_t)s1), n = vf16_to_f32((uint16_t)s2);
	if (vnan16(s2)) return quiet16(s2);
	if (vnan16(s1)) return quiet16(s1);
	if (d == 0 && n == 0) return 0xfe00u;
	if (isinf(d) && isinf(n)) return 0xfe00u;
	if (d == 0 || isinf(n)) return sign | 0x7c00u;
	if (isinf(d) || n == 0) return sign;
	/* a NaN quotient from finite operands: the scaled iteration
	 * overflowed, so the quotient is an infinity */
	if (vnan16(s0)) return sign | 0x7c00u;
	if (exp16(s2) - exp16(s1) < -25) return sign;
	return sign | (s0 & 0x7fffu);
}

/* V_MED3_F32/F16: the middle value.  A NaN operand is handled as LLVM
 * models the instruction (AMDGPUInstCombineIntrinsic, llvm.amdgcn.fmed3;
 * its constant folder agrees): NaN in S0 gives min(S1, S2), in S1
 * min(S0, S2), in S2 max(S0, S1), min/max returning the other operand of
 * a NaN.  (The ISA's pseudo-code says min3 of the three; the oracle
 * test disagrees with it, see docs/vgpu-shader.md.) */
static uint32_t med3_f32(uint32_t a, uint32_t b, uint32_t c, bool ieee)
{
	if (vnan32(a))
		return vminmax_f32(b, c, false, false);
	if (vnan32(b))
		return vminmax_f32(a, c, false, false);
	if (vnan32(c))
		return vminmax_f32(a, b, true, false);
	uint32_t mx = vminmax_f32(vminmax_f32(a, b, true, ieee), c, true, ieee);
	/* the pseudo-code's "==" is a float comparison: -0 equals +0 */
	if (vf32(mx) == vf32(a)) return vminmax_f32(b, c, true, ieee);
	if (vf32(mx) == vf32(b)) return vminmax_f32(a, c, true, ieee);
	return vminmax_f32(a, b, true, ieee);
}

static uint32_t med3_f16(uint32_t a, uint32_t b, uint32_t c, bool ieee)
{
	a &= 0xffff; b &= 0xffff; c &= 0xffff;
	if (vnan16(a))
		return vminmax_f16(b, c, false, false);
	if (vnan16(b))
		return vminmax_f16(a, c, false, false);
	if (vnan16(c))
		return vminmax_f16(a, b, true, false);
	uint32_t mx = vminmax_f16(vminmax_f16(a, b, true, ieee), c, true, ieee);
	float fm = vf16_to_f32((uint16_t)mx);
	if (fm == vf16_to_f32((uint16_t)a)) return vminmax_f16(b, c, true, ieee);
	if (fm == vf16_to_f32((uint16_t)b)) return vminmax_f16(a, c, true, ieee);
	return vminmax_f16(a, b, true, ieee);
}

static int64_t med3_i(int64_t a, int64_t b, int64_t c)
{
	int64_t mx = a > b ? (a > c ? a : c) : (b > c ? b : c);
	if (mx == a) return b > c ? b : c;
	if (mx == b) return a > c ? a : c;
	return a > b ? a : b;
}

static int64_t min_i(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t max_i(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t sat(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }
static double sat_d(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

/* V_PERM_B32: byte i of D picked by byte i of S2 from the eight bytes
 * {S0, S1} (S1 the low four), or a sign fill, 0x00 or 0xff */
static uint32_t perm_b32(uint32_t s0, uint32_t s1, uint32_t sel)
{
	uint64_t in = ((uint64_t)s0 << 32) | s1;
	uint32_t d = 0;
	for (int i = 0; i < 4; i++) {
		uint32_t s = (sel >> (8 * i)) & 0xff, b;
		if (s < 8) b = (uint32_t)(in >> (8 * s)) & 0xff;
		else if (s < 12) b = ((in >> (16 * (s - 8) + 15)) & 1) ? 0xff : 0;
		else if (s == 12) b = 0;
		else b = 0xff;
		d |= b << (8 * i);
	}
	return d;
}

/* float -> integer with truncation and saturation, NaN -> 0 */
static int64_t f2i_sat(double f, int64_t lo, int64_t hi)
{
	if (isnan(f)) return 0;
	if (f <= (double)lo) return lo;
	if (f >= (double)hi) return hi;
	return (int64_t)f;
}

/* V_CVT_PK_NORM: clamp to [-1, 1] (or [0, 1]) and scale to the 16-bit
 * range, rounded to nearest even */
static uint32_t norm16(double f, bool sgn)
{
	if (isnan(f)) return 0;
	if (sgn) return (uint16_t)(int16_t)rne_d(sat_d(f, -1.0, 1.0) * 32767.0);
	return (uint16_t)rne_d(sat_d(f, 0.0, 1.0) * 65535.0);
}

static uint32_t sad_u8(uint32_t a, uint32_t b)
{
	uint32_t s = 0;
	for (int i = 0; i < 4; i++) {
		int x = (a >> (8 * i)) & 0xff, y = (b >> (8 * i)) & 0xff;
		s += (uint32_t)(x > y ? x - y : y - x);
	}
	return s;
}

/* An f16 denormal as the zero of its sign. */
static uint16_t flush_denorm_f16(uint16_t h)
{
	return (h & 0x7c00u) == 0 ? h & 0x8000u : h;
}

/* gfx9 v_mad_f16 / v_mac_f16 / v_madak_f16 / v_madmk_f16: as v_mad_f32
 * (shader/valu.c), not fused: the product is rounded to f16, then the sum
 * ("same result as ADD after MUL_IEEE", Vega ISA), and they do not
 * support denormals (LLVM SIISelLowering::isFMADLegal selects them for
 * f16 only with f16 denormals flushed): denormal sources, product and
 * result are zeros of their sign.  The product of two f16 values is exact
 * in double, and so is the sum of two f16 values, so each step rounds
 * once. */
static uint16_t mad_f16(uint16_t a, uint16_t b, uint16_t c)
{
	double pa = vf16_to_f32(flush_denorm_f16(a)), pb = vf16_to_f32(flush_denorm_f16(b));
	uint16_t p = flush_denorm_f16(vf64_to_f16(pa * pb));
	double s = (double)vf16_to_f32(p) + vf16_to_f32(flush_denorm_f16(c));
	return flush_denorm_f16(vf64_to_f16(s));
}

/* V_DOT2ACC_F32_F16 / V_DOT2_F32_F16: the two f16 products are exact; the
 * sum of them and the accumulator is computed in double and rounded once
 * to f32 (docs/vgpu-shader.md) */
static uint32_t dot2_f16(uint32_t a, uint32_t b, uint32_t c)
{
	double s = (double)vf16_to_f32((uint16_t)a) * vf16_to_f32((uint16_t)b) +
		   (double)vf16_to_f32((uint16_t)(a >> 16)) * vf16_to_f32((uint16_t)(b >> 16)) +
		   (double)vf32(c);
	return vu32f((float)s);
}

/* a + b + c for doubles that are exact products or values of f16/bf16
 * (so no overflow or underflow in double), rounded to odd: two TwoSums
 * leave the rounding error of the double sum, whose sign makes the
 * result's last bit sticky; one more rounding to a format with fewer than
 * 52 bits is then the correct rounding of the exact sum (as vfma_f16) */
static double ro_sum3(double a, double b, double c)
{
	double s = a + b;
	if (!(s == s && s - s == 0))
		return s + c;
	double bb = s - a, e1 = (a - (s - bb)) + (b - bb);
	double t = s + c;
	if (!(t == t && t - t == 0))
		return t;
	double cc = t - s, e2 = (s - (t - cc)) + (c - cc);
	double e = e1 + e2;
	uint64_t u;
	memcpy(&u, &t, 8);
	if (e != 0 && !(u & 1))
		t = nextafter(t, e > 0 ? INFINITY : -INFINITY);
	return t;
}

static double bf16_d(uint32_t h) { return vf32((h & 0xffffu) << 16); }

/* double -> bf16, round to nearest even (RDNA3 has no MODE field for
 * bf16); overflow gives inf, a NaN its top bits quieted */
static uint32_t d_to_bf16(double d)
{
	if (d != d) {
		uint32_t f = vu32f((float)d);
		return ((f >> 16) | 0x40u) & 0xffffu;
	}
	if (d == 0 || d - d != 0)
		return vu32f((float)d) >> 16;
	int e = ilogb(d);
	int q = (e < -126 ? -126 : e) - 7;
	double r = ldexp(rne_d(ldexp(d, -q)), q);
	if (fabs(r) > 0x1.fep127)
		return d < 0 ? 0xff80u : 0x7f80u;
	return vu32f((float)r) >> 16;
}

/* V_DOT2_F16_F16 / V_DOT2_BF16_BF16: S0.lo * S1.lo + S0.hi * S1.hi + S2
 * (S2 the half op_sel[2] picked, gathered by shader/valu.c), the products
 * exact and the sum rounded once: the ISA pseudo-code does not say where
 * a rounding happens in between, so the vgpu takes the exact result. */
static uint32_t dot2_16(uint32_t a, uint32_t b, uint32_t c, bool bf16)
{
	double x0, x1, y0, y1, z;
	if (bf16) {
		x0 = bf16_d(a); x1 = bf16_d(a >> 16); y0 = bf16_d(b); y1 = bf16_d(b >> 16);
		z = bf16_d(c);
	} else {
		x0 = vf16_to_f32((uint16_t)a); x1 = vf16_to_f32((uint16_t)(a >> 16));
		y0 = vf16_to_f32((uint16_t)b); y1 = vf16_to_f32((uint16_t)(b >> 16));
		z = vf16_to_f32((uint16_t)c);
	}
	double s = ro_sum3(x0 * y0, x1 * y1, z);
	return bf16 ? d_to_bf16(s) : vf64_to_f16(s);
}

/* V_MULLIT_F32 (RDNA3 ISA): -MAX_FLOAT when S1 is -MAX_FLOAT, -inf or
 * NaN, or S2 <= 0 or NaN; else S0 * S1 with the lighting rule the guide
 * states, 0.0 * x = 0.0 (as the DX9 multiply: +0 even for inf or NaN) */
static uint32_t mullit(float a, float b, float c)
{
	if (b == -0x1.fffffep127f || b == -INFINITY || b != b || c <= 0 || c != c)
		return 0xff7fffffu;
	return a == 0 || b == 0 ? 0 : vu32f(a * b);
}

/* V_TRIG_PREOP_F64: 53 bits of 2/pi, starting (S1 & 31) * 53 bits after
 * the binary point plus (exponent(S0) - 1077) more when S0 is large,
 * scaled to their place, 2^128 higher when exponent(S0) >= 1968 (ISA
 * pseudo-code).  The table holds 37 words of 2/pi; a segment whose start
 * word is within two of its end gives 0 and a NaN gives itself quieted,
 * which is how LLVM's constant folder describes the hardware
 * (AMDGPUInstCombineIntrinsic, "Return 0 for outbound segment"). */
static const uint32_t two_over_pi[37] = {
	0xa2f9836e, 0x4e441529, 0xfc2757d1, 0xf534ddc0, 0xdb629599, 0x3c439041, 0xfe5163ab,
	0xdebbc561, 0xb7246e3a, 0x424dd2e0, 0x06492eea, 0x09d1921c, 0xfe1deb1c, 0xb129a73e,
	0xe88235f5, 0x2ebb4484, 0xe99c7026, 0xb45f7e41, 0x3991d639, 0x835339f4, 0x9c845f8b,
	0xbdf9283b, 0x1ff897ff, 0xde05980f, 0xef2f118b, 0x5a0a6d1f, 0x6d367ecf, 0x27cb09b7,
	0x4f463f66, 0x9e5fea2d, 0x7527bac7, 0xebe5f17b, 0x3d0739f7, 0x8a5292ea, 0x6bfb5fb1,
	0x1f8d5d08, 0x56033046,
};

static uint64_t trig_preop(uint64_t s0, uint32_t s1)
{
	if (vnan64(s0))
		return quiet64(s0);
	int shift = (int)(s1 & 31) * 53;
	int e = exp64(s0);
	if (e > 1077)
		shift += e - 1077;
	if ((shift >> 5) + 2 >= 37)
		return 0;
	int scale = -(shift + 53) + (e >= 1968 ? 128 : 0);
	/* bits [shift, shift + 53) after the point: within words idx..idx+2 */
	uint64_t m = 0;
	for (int i = 0; i < 53; i++) {
		int bit = shift + i;
		m = (m << 1) | ((two_over_pi[bit / 32] >> (31 - bit % 32)) & 1);
	}
	return vu64d(ldexp((double)m, scale));
}

/* V_CUBEID/SC/TC/MA_F32: the cube face of the direction (S0, S1, S2) =
 * (x, y, z), its face coordinates and twice the major axis (ISA
 * pseudo-code; z wins ties, then y). */
static float cube(int op, float x, float y, float z)
{
	float ax = fabsf(x), ay = fabsf(y), az = fabsf(z);
	int face = az >= ax && az >= ay ? 2 : ay >= ax ? 1 : 0;
	switch (op) {
	case VEXT_CUBEID_F32:
		return face == 2 ? (z < 0 ? 5.0f : 4.0f) : face == 1 ? (y < 0 ? 3.0f : 2.0f)
								   : (x < 0 ? 1.0f : 0.0f);
	case VEXT_CUBESC_F32:
		return face == 2 ? (z < 0 ? -x : x) : face == 1 ? x : (x < 0 ? z : -z);
	case VEXT_CUBETC_F32:
		return face == 2 ? -y : face == 1 ? (y < 0 ? -z : z) : -y;
	default:
		return 2.0f * (face == 2 ? z : face == 1 ? y : x);
	}
}

/* V_QSAD_PK_U16_U8 / V_MQSAD_PK_U16_U8: four sums of absolute
 * differences of S1's bytes against S0's bytes i..i+3 (i = 0..3), each
 * added to the 16-bit lane i of S2; the masked form skips reference
 * bytes that are 0; clamp saturates each sum to 16 bits */
static uint64_t qsad(uint64_t s0, uint32_t s1, uint64_t s2, bool masked, bool clamp)
{
	uint64_t d = 0;
	for (int i = 0; i < 4; i++) {
		uint32_t sum = (uint32_t)(s2 >> (16 * i)) & 0xffff;
		for (int j = 0; j < 4; j++) {
			int x = (int)((s0 >> (8 * (i + j))) & 0xff), y = (int)((s1 >> (8 * j)) & 0xff);
			if (!masked || y)
				sum += (uint32_t)(x > y ? x - y : y - x);
		}
		if (clamp && sum > 0xffff)
			sum = 0xffff;
		d |= (uint64_t)(sum & 0xffff) << (16 * i);
	}
	return d;
}

/* ---- the lane loop ---------------------------------------------------------- */

static uint64_t u16op(int op, uint32_t a, uint32_t b, uint32_t c, bool clamp)
{
	int64_t r;
	uint16_t x = (uint16_t)a, y = (uint16_t)b, z = (uint16_t)c;
	int16_t sx = (int16_t)x, sy = (int16_t)y, sz = (int16_t)z;
	switch (op) {
	case VEXT_ADD_NC_U16: r = (int64_t)x + y; return clamp ? (uint64_t)sat(r, 0, 0xffff) : (uint16_t)r;
	case VEXT_SUB_NC_U16: r = (int64_t)x - y; return clamp ? (uint64_t)sat(r, 0, 0xffff) : (uint16_t)r;
	case VEXT_ADD_NC_I16: r = (int64_t)sx + sy; return (uint16_t)(clamp ? sat(r, -32768, 32767) : r);
	case VEXT_SUB_NC_I16: r = (int64_t)sx - sy; return (uint16_t)(clamp ? sat(r, -32768, 32767) : r);
	case VEXT_MAD_U16: r = (int64_t)x * y + z; return clamp ? (uint64_t)sat(r, 0, 0xffff) : (uint16_t)r;
	case VEXT_MAD_I16: r = (int64_t)sx * sy + sz; return (uint16_t)(clamp ? sat(r, -32768, 32767) : r);
	case VEXT_MUL_LO_U16: return (uint16_t)(x * y);
	case VEXT_LSHLREV_B16: return (uint16_t)(y << (x & 15));
	case VEXT_LSHRREV_B16: return (uint16_t)(y >> (x & 15));
	case VEXT_ASHRREV_I16: return (uint16_t)(sy >> (x & 15));
	case VEXT_MIN_I16: return (uint16_t)min_i(sx, sy);
	case VEXT_MAX_I16: return (uint16_t)max_i(sx, sy);
	case VEXT_MIN_U16: return (uint16_t)min_i(x, y);
	case VEXT_MAX_U16: return (uint16_t)max_i(x, y);
	case VEXT_MIN3_I16: return (uint16_t)min_i(min_i(sx, sy), sz);
	case VEXT_MAX3_I16: return (uint16_t)max_i(max_i(sx, sy), sz);
	case VEXT_MED3_I16: return (uint16_t)med3_i(sx, sy, sz);
	case VEXT_MIN3_U16: return (uint16_t)min_i(min_i(x, y), z);
	case VEXT_MAX3_U16: return (uint16_t)max_i(max_i(x, y), z);
	case VEXT_MED3_U16: return (uint16_t)med3_i(x, y, z);
	case VEXT_AND_B16: return x & y;
	case VEXT_OR_B16: return x | y;
	case VEXT_XOR_B16: return x ^ y;
	case VEXT_NOT_B16: return (uint16_t)~x;
	case VEXT_CNDMASK_B16: return (c & 1) ? y : x;
	case VEXT_MAD_U32_U16: r = (int64_t)x * y + c; return clamp ? (uint64_t)sat(r, 0, 0xffffffff) : (uint32_t)r;
	case VEXT_MAD_I32_I16: r = (int64_t)sx * sy + (int32_t)c; return (uint32_t)(clamp ? sat(r, INT32_MIN, INT32_MAX) : r);
	case VEXT_CVT_I32_I16: return (uint32_t)(int32_t)sx;
	case VEXT_CVT_U32_U16: return x;
	case VEXT_SAT_PK_U8_I16: return (uint32_t)sat((int16_t)a, 0, 255) | (uint32_t)sat((int16_t)(a >> 16), 0, 255) << 8;
	default: return 0;
	}
}

static uint64_t lane(int op, const uint64_t *s, uint64_t old, bool vccbit, bool clamp, bool ieee,
		     bool *bit)
{
	uint32_t a = (uint32_t)s[0], b = (uint32_t)s[1], c = (uint32_t)s[2];
	float fa = vf32(a), fb = vf32(b), fc = vf32(c);
	float ha = vf16_to_f32((uint16_t)a), hb = vf16_to_f32((uint16_t)b), hc = vf16_to_f32((uint16_t)c);
	switch (op) {
	/* f32 transcendental */
	case VEXT_RCP_F32: return trans_f32(0, a);
	case VEXT_RSQ_F32: return trans_f32(1, a);
	case VEXT_LOG_F32: return trans_f32(3, a);
	case VEXT_EXP_F32: return trans_f32(4, a);
	case VEXT_SIN_F32: return trans_f32(5, a);
	case VEXT_COS_F32: return trans_f32(6, a);
	case VEXT_FRACT_F32: return fract_f32(a);
	case VEXT_FREXP_MANT_F32: return frexp_mant_f32(a);
	case VEXT_FREXP_EXP_I32_F32: return frexp_exp_f32(a);
	case VEXT_CVT_FLOOR_I32_F32: return (uint32_t)f2i_sat(floorf(fa), INT32_MIN, INT32_MAX);
	case VEXT_CVT_NEAREST_I32_F32: return (uint32_t)f2i_sat(floor((double)fa + 0.5), INT32_MIN, INT32_MAX);
	case VEXT_CVT_F32_UBYTE0: return vu32f((float)(a & 0xff));
	case VEXT_CVT_F32_UBYTE1: return vu32f((float)((a >> 8) & 0xff));
	case VEXT_CVT_F32_UBYTE2: return vu32f((float)((a >> 16) & 0xff));
	case VEXT_CVT_F32_UBYTE3: return vu32f((float)(a >> 24));
	case VEXT_CVT_OFF_F32_I4: return vu32f((float)((int32_t)(a << 28) >> 28) * 0.0625f);
	case VEXT_MIN3_F32: return vminmax_f32(vminmax_f32(a, b, false, ieee), c, false, ieee);
	case VEXT_MAX3_F32: return vminmax_f32(vminmax_f32(a, b, true, ieee), c, true, ieee);
	case VEXT_MED3_F32: return med3_f32(a, b, c, ieee);
	case VEXT_MAXMIN_F32: return vminmax_f32(vminmax_f32(a, b, true, ieee), c, false, ieee);
	case VEXT_MINMAX_F32: return vminmax_f32(vminmax_f32(a, b, false, ieee), c, true, ieee);
	case VEXT_MIN_F32_NI: return vminmax_f32(a, b, false, false);
	case VEXT_MAX_F32_NI: return vminmax_f32(a, b, true, false);
	case VEXT_DIV_SCALE_F32: return div_scale_f32(a, b, c, bit);
	case VEXT_DIV_FMAS_F32: return div_fmas_f32(a, b, c, vccbit);
	case VEXT_DIV_FIXUP_F32: return div_fixup_f32(a, b, c);
	/* "DX9" multiplies: 0 times anything (even inf or NaN) is +0 */
	case VEXT_MUL_DX9_ZERO_F32: return fa == 0 || fb == 0 ? 0 : vu32f(fa * fb);
	case VEXT_FMA_DX9_ZERO_F32: return fa == 0 || fb == 0 ? vu32f(0.0f + fc) : vu32f(fmaf(fa, fb, fc));
	case VEXT_FMAC_DX9_ZERO_F32: {
		float d = vf32(old);
		return fa == 0 || fb == 0 ? vu32f(0.0f + d) : vu32f(fmaf(fa, fb, d));
	}
	case VEXT_MAD_LEGACY_F32: return shader_mad_f32(a, b, c, true);
	case VEXT_DOT2ACC_F32_F16: return dot2_f16(a, b, (uint32_t)old);
	case VEXT_DOT4C_I32_I8: {
		/* gfx10.3 V_DOT4C_I32_I8: D += the four signed byte products
		 * (the low 32 bits; the VOP2 form has no clamp) */
		uint32_t sum = (uint32_t)old;
		for (int i = 0; i < 4; i++)
			sum += (uint32_t)((int32_t)(int8_t)(a >> (8 * i)) * (int8_t)(b >> (8 * i)));
		return sum;
	}
	/* f64 */
	case VEXT_FLOOR_F64: return vu64d(floor(vf64(s[0])));
	case VEXT_CEIL_F64: return vu64d(ceil(vf64(s[0])));
	case VEXT_TRUNC_F64: return vu64d(trunc(vf64(s[0])));
	case VEXT_RNDNE_F64: return vnan64(s[0]) ? quiet64(s[0]) : vu64d(rne_d(vf64(s[0])));
	case VEXT_FRACT_F64: return fract_f64(s[0]);
	case VEXT_LDEXP_F64: return vu64d(ldexp(vf64(s[0]), (int32_t)b));
	case VEXT_FREXP_MANT_F64: return frexp_mant_f64(s[0]);
	case VEXT_FREXP_EXP_I32_F64: return frexp_exp_f64(s[0]);
	/* the ISA documents an approximation; the vgpu gives the double
	 * computation's result */
	case VEXT_RCP_F64: return vu64d(1.0 / vf64(s[0]));
	case VEXT_RSQ_F64: return vu64d(1.0 / sqrt(vf64(s[0])));
	case VEXT_SQRT_F64: return vu64d(sqrt(vf64(s[0])));
	case VEXT_DIV_SCALE_F64: return div_scale_f64(s[0], s[1], s[2], bit);
	case VEXT_DIV_FMAS_F64: return div_fmas_f64(s[0], s[1], s[2], vccbit);
	case VEXT_DIV_FIXUP_F64: return div_fixup_f64(s[0], s[1], s[2]);
	case VEXT_TRIG_PREOP_F64: return trig_preop(s[0], b);
	case VEXT_MIN_F64_NI: return vminmax_f64(s[0], s[1], false, false);
	case VEXT_MAX_F64_NI: return vminmax_f64(s[0], s[1], true, false);
	/* f16: the exact result rounded once */
	case VEXT_SUBREV_F16: return vf64_to_f16((double)hb - ha);
	case VEXT_FMA_F16: case VEXT_FMAAK_F16: case VEXT_FMAMK_F16:
		return vfma_f16(ha, hb, hc);
	case VEXT_FMAC_F16: return vfma_f16(ha, hb, vf16_to_f32((uint16_t)old));
	case VEXT_MAD_F16: case VEXT_MADAK_F16: case VEXT_MADMK_F16:
		return mad_f16((uint16_t)a, (uint16_t)b, (uint16_t)c);
	case VEXT_MAC_F16: return mad_f16((uint16_t)a, (uint16_t)b, (uint16_t)old);
	case VEXT_MIN_F16: return vminmax_f16(a, b, false, ieee);
	case VEXT_MAX_F16: return vminmax_f16(a, b, true, ieee);
	case VEXT_MIN3_F16: return vminmax_f16(vminmax_f16(a, b, false, ieee), c, false, ieee);
	case VEXT_MAX3_F16: return vminmax_f16(vminmax_f16(a, b, true, ieee), c, true, ieee);
	case VEXT_MED3_F16: return med3_f16(a, b, c, ieee);
	case VEXT_MAXMIN_F16: return vminmax_f16(vminmax_f16(a, b, true, ieee), c, false, ieee);
	case VEXT_MINMAX_F16: return vminmax_f16(vminmax_f16(a, b, false, ieee), c, true, ieee);
	case VEXT_LDEXP_F16: return vnan16(a) ? quiet16(a) : vf64_to_f16(ldexp((double)ha, (int16_t)b));
	case VEXT_RCP_F16: return trans_f16(0, a);
	case VEXT_RSQ_F16: return trans_f16(1, a);
	case VEXT_SQRT_F16: return trans_f16(2, a);
	case VEXT_LOG_F16: return trans_f16(3, a);
	case VEXT_EXP_F16: return trans_f16(4, a);
	case VEXT_SIN_F16: return trans_f16(5, a);
	case VEXT_COS_F16: return trans_f16(6, a);
	case VEXT_FLOOR_F16: return vnan16(a) ? quiet16(a) : vf32_to_f16(floorf(ha));
	case VEXT_CEIL_F16: return vnan16(a) ? quiet16(a) : vf32_to_f16(ceilf(ha));
	case VEXT_TRUNC_F16: return vnan16(a) ? quiet16(a) : vf32_to_f16(truncf(ha));
	case VEXT_RNDNE_F16: return vnan16(a) ? quiet16(a) : vf32_to_f16(rne_f(ha));
	case VEXT_FRACT_F16: return fract_f16(a);
	case VEXT_FREXP_MANT_F16: return frexp_mant_f16(a);
	case VEXT_FREXP_EXP_I16_F16: return frexp_exp_f16(a);
	case VEXT_CVT_F16_I16: return vf32_to_f16((float)(int16_t)a);
	case VEXT_CVT_F16_U16: return vf32_to_f16((float)(uint16_t)a);
	case VEXT_CVT_I16_F16: return (uint16_t)f2i_sat(ha, -32768, 32767);
	case VEXT_CVT_U16_F16: return (uint16_t)f2i_sat(ha, 0, 65535);
	case VEXT_CVT_NORM_I16_F16: return norm16(ha, true);
	case VEXT_CVT_NORM_U16_F16: return norm16(ha, false);
	case VEXT_DIV_FIXUP_F16: return div_fixup_f16(a, b, c);
	case VEXT_MIN_F16_NI: return vminmax_f16(a, b, false, false);
	case VEXT_MAX_F16_NI: return vminmax_f16(a, b, true, false);
	/* packing */
	case VEXT_PACK_B32_F16: return (a & 0xffff) | (b & 0xffff) << 16;
	case VEXT_CVT_PK_RTZ_F16_F32: {
		/* round toward zero whatever MODE says: truncate the f32 to
		 * f16 precision by hand */
		uint32_t r[2];
		for (int k = 0; k < 2; k++) {
			float f = k ? fb : fa;
			uint16_t h = vf32_to_f16(f);
			float back = vf16_to_f32(h);
			if (!isnan(f) && fabsf(back) > fabsf(f))
				h = (uint16_t)(h - 1);   /* one step toward zero (same sign) */
			r[k] = h;
		}
		return r[0] | r[1] << 16;
	}
	case VEXT_CVT_PK_NORM_I16_F32: return norm16(fa, true) | norm16(fb, true) << 16;
	case VEXT_CVT_PK_NORM_U16_F32: return norm16(fa, false) | norm16(fb, false) << 16;
	case VEXT_CVT_PK_NORM_I16_F16: return norm16(ha, true) | norm16(hb, true) << 16;
	case VEXT_CVT_PK_NORM_U16_F16: return norm16(ha, false) | norm16(hb, false) << 16;
	case VEXT_CVT_PK_I16_F32:
		return (uint16_t)f2i_sat(fa, -32768, 32767) | (uint32_t)(uint16_t)f2i_sat(fb, -32768, 32767) << 16;
	case VEXT_CVT_PK_U16_F32:
		return (uint16_t)f2i_sat(fa, 0, 65535) | (uint32_t)(uint16_t)f2i_sat(fb, 0, 65535) << 16;
	case VEXT_CVT_PK_I16_I32:
		return (uint16_t)sat((int32_t)a, -32768, 32767) | (uint32_t)(uint16_t)sat((int32_t)b, -32768, 32767) << 16;
	case VEXT_CVT_PK_U16_U32:
		return (uint32_t)sat(a, 0, 65535) | (uint32_t)sat(b, 0, 65535) << 16;
	case VEXT_CVT_PK_U8_F32:
	case VEXT_CVT_PKACCUM_U8_F32: {
		/* gfx9 V_CVT_PKACCUM_U8_F32 is V_CVT_PK_U8_F32 with the
		 * destination as the third source (Vega ISA: "SQ translates
		 * to V_CVT_PK_U8_F32 ... uses src_c to pass destination in") */
		if (op == VEXT_CVT_PKACCUM_U8_F32)
			c = (uint32_t)old;
		unsigned sh = 8 * (b & 3);
		uint32_t v = (uint32_t)f2i_sat(rne_d(fa), 0, 255);
		return (c & ~(0xffu << sh)) | v << sh;
	}
	/* 32-bit integer */
	case VEXT_MIN3_I32: return (uint32_t)min_i(min_i((int32_t)a, (int32_t)b), (int32_t)c);
	case VEXT_MAX3_I32: return (uint32_t)max_i(max_i((int32_t)a, (int32_t)b), (int32_t)c);
	case VEXT_MED3_I32: return (uint32_t)med3_i((int32_t)a, (int32_t)b, (int32_t)c);
	case VEXT_MIN3_U32: return (uint32_t)min_i(min_i(a, b), c);
	case VEXT_MAX3_U32: return (uint32_t)max_i(max_i(a, b), c);
	case VEXT_MED3_U32: return (uint32_t)med3_i(a, b, c);
	case VEXT_MAXMIN_I32: return (uint32_t)min_i(max_i((int32_t)a, (int32_t)b), (int32_t)c);
	case VEXT_MINMAX_I32: return (uint32_t)max_i(min_i((int32_t)a, (int32_t)b), (int32_t)c);
	case VEXT_MAXMIN_U32: return (uint32_t)min_i(max_i(a, b), c);
	case VEXT_MINMAX_U32: return (uint32_t)max_i(min_i(a, b), c);
	case VEXT_PERM_B32: return perm_b32(a, b, c);
	case VEXT_ALIGNBYTE_B32: return (uint32_t)((((uint64_t)a << 32) | b) >> (8 * (c & 3)));
	case VEXT_BFM_B32: return (uint32_t)(((1ull << (a & 31)) - 1) << (b & 31));
	case VEXT_CLS_I32: {
		for (int i = 1; i < 32; i++)
			if (((a >> (31 - i)) & 1) != (a >> 31))
				return (uint32_t)i;
		return 0xffffffffu;
	}
	case VEXT_SAD_U8: return sad_u8(a, b) + c;
	case VEXT_SAD_HI_U8: return (sad_u8(a, b) << 16) + c;
	case VEXT_SAD_U16: {
		uint32_t sum = 0;
		for (int i = 0; i < 2; i++) {
			int x = (a >> (16 * i)) & 0xffff, y = (b >> (16 * i)) & 0xffff;
			sum += (uint32_t)(x > y ? x - y : y - x);
		}
		return sum + c;
	}
	case VEXT_SAD_U32: return (a > b ? a - b : b - a) + c;
	case VEXT_MSAD_U8: {
		/* bytes of the reference that are zero do not count */
		uint32_t sum = 0;
		for (int i = 0; i < 4; i++) {
			int x = (a >> (8 * i)) & 0xff, y = (b >> (8 * i)) & 0xff;
			if (y)
				sum += (uint32_t)(x > y ? x - y : y - x);
		}
		return sum + c;
	}
	case VEXT_LERP_U8: {
		/* per byte: (S0 + S1 + S2[0]) >> 1, S2's low bit of each byte
		 * the rounding */
		uint32_t d = 0;
		for (int i = 0; i < 4; i++) {
			uint32_t x = (a >> (8 * i)) & 0xff, y = (b >> (8 * i)) & 0xff;
			uint32_t r = (c >> (8 * i)) & 1;
			d |= ((x + y + r) >> 1) << (8 * i);
		}
		return d;
	}
	case VEXT_CUBEID_F32: case VEXT_CUBESC_F32: case VEXT_CUBETC_F32: case VEXT_CUBEMA_F32:
		return vu32f(cube(op, fa, fb, fc));
	case VEXT_QSAD_PK_U16_U8: return qsad(s[0], b, s[2], false, clamp);
	case VEXT_MQSAD_PK_U16_U8: return qsad(s[0], b, s[2], true, clamp);
	case VEXT_DOT2_F16_F16: return dot2_16(a, b, c, false);
	case VEXT_DOT2_BF16_BF16: return dot2_16(a, b, c, true);
	case VEXT_MULLIT_F32: return mullit(fa, fb, fc);
	case VEXT_PK_FMAC_F16:
		/* V_PK_FMAC_F16: D.f16[i] = fma(S0.f16[i], S1.f16[i], D.f16[i]) */
		return vfma_f16(vf16_to_f32((uint16_t)a), vf16_to_f32((uint16_t)b),
				vf16_to_f32((uint16_t)old)) |
		       (uint32_t)vfma_f16(vf16_to_f32((uint16_t)(a >> 16)), vf16_to_f32((uint16_t)(b >> 16)),
					  vf16_to_f32((uint16_t)(old >> 16))) << 16;
	default:
		return u16op(op, a, b, c, clamp);
	}
}

int shader_valu_ext_lanes(int op, const struct shader_valu_inputs *in, uint64_t exec,
			  uint64_t vcc, bool clamp, uint32_t mode, struct shader_valu_half *r)
{
	bool ieee = (mode & MODE_IEEE) != 0;
	if (op <= VEXT_NONE || op >= VEXT_COUNT)
		return exec ? -1 : 0;
	for (uint64_t m = exec; m; m &= m - 1) {
		unsigned l = (unsigned)__builtin_ctzll(m);
		uint64_t s[3] = { in->src[0][l], in->src[1][l], in->src[2][l] };
		bool bit = false;
		r->val[l] = lane(op, s, in->old[l], (vcc >> l) & 1, clamp, ieee, &bit);
		r->mask |= (uint64_t)bit << l;
	}
	return 0;
}
