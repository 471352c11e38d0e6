/*
 * Floating-point functions the VALU files share (shader/valu*.c): bit casts,
 * f16 conversions, the IEEE-mode min/max and the MODE register fields.
 * Header-only (static inline) so the per-lane loops keep them inlined.
 */
#ifndef VGPU_SHADER_VALU_FP_H
#define VGPU_SHADER_VALU_FP_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* MODE hardware register (RDNA3 ISA, "MODE"), the wave's copy in
 * shader_wave.mode: FP_ROUND [3:0] (f32 in [1:0], f64/f16 in [3:2]; 0
 * nearest even, 1 +inf, 2 -inf, 3 toward zero), FP_DENORM [7:4] (f32 in
 * [5:4], f64/f16 in [7:6]; per pair bit 0 keeps denormal inputs, bit 1
 * denormal results), DX10_CLAMP [8], IEEE [9].  COMPUTE_PGM_RSRC1
 * FLOAT_MODE is MODE[7:0] at wave launch; DX10_CLAMP and IEEE_MODE come
 * from their own RSRC1 bits. */
#define MODE_ROUND32(m) ((m) & 3u)
#define MODE_ROUND64(m) (((m) >> 2) & 3u)
#define MODE_DENORM32(m) (((m) >> 4) & 3u)
#define MODE_DENORM64(m) (((m) >> 6) & 3u)
#define MODE_DX10_CLAMP 0x100u
#define MODE_IEEE 0x200u
/* MODE[7:0] of round to nearest even with every denormal kept: the
 * host's own arithmetic, no emulation needed */
#define MODE_FP_NATIVE 0xf0u

static inline float vf32(uint64_t v)
{
	float f;
	uint32_t u = (uint32_t)v;
	memcpy(&f, &u, 4);
	return f;
}

static inline uint32_t vu32f(float f)
{
	uint32_t u;
	memcpy(&u, &f, 4);
	return u;
}

static inline double vf64(uint64_t v)
{
	double d;
	memcpy(&d, &v, 8);
	return d;
}

static inline uint64_t vu64d(double d)
{
	uint64_t u;
	memcpy(&u, &d, 8);
	return u;
}

/* f32/f64 -> f16 through the compiler's _Float16: one rounding, in the
 * host's current rounding mode, f16 denormals kept */
static inline uint16_t vf32_to_f16(float f)
{
	_Float16 h = (_Float16)f;
	uint16_t u;
	memcpy(&u, &h, 2);
	return u;
}

static inline uint16_t vf64_to_f16(double d)
{
	_Float16 h = (_Float16)d;
	uint16_t u;
	memcpy(&u, &h, 2);
	return u;
}

/* f16 -> f32 is exact; done on the bits because the compiler's
 * _Float16 conversion is a libgcc call without -mf16c (22% of a GEMM
 * dispatch).  Same results as that conversion for all 65536 inputs
 * (test_vgpu_shader_ops checks them), a signaling NaN quieted as it does. */
static inline __attribute__((always_inline)) float vf16_to_f32(uint16_t h)
{
	uint32_t sign = (uint32_t)(h & 0x8000u) << 16, exp = (h >> 10) & 0x1fu, man = h & 0x3ffu;
	uint32_t bits;
	float f;
	if (exp == 0x1f) {
		bits = sign | 0x7f800000u | (man ? 0x400000u : 0) | (man << 13);
	} else if (exp) {
		bits = sign | ((exp + 112) << 23) | (man << 13);
	} else {
		f = (float)man * 0x1p-24f;   /* denormal or zero: exact */
		memcpy(&bits, &f, 4);
		bits |= sign;
	}
	memcpy(&f, &bits, 4);
	return f;
}

/* fma of three f16 values (as doubles) rounded once to f16: the product
 * is exact in double, the sum is rounded to odd (TwoSum gives its
 * error), which makes the final rounding to f16 the correct one. */
static inline uint16_t vfma_f16(double a, double b, double c)
{
	double p = a * b, s = p + c;
	if (s == s && s - s == 0) {
		double bb = s - p, e = (p - (s - bb)) + (c - bb);
		uint64_t u;
		memcpy(&u, &s, 8);
		if (e != 0 && !(u & 1))
			s = nextafter(s, e > 0 ? INFINITY : -INFINITY);
	}
	return vf64_to_f16(s);
}

static inline bool vnan32(uint32_t v) { return (v & 0x7fffffffu) > 0x7f800000u; }
static inline bool vsnan32(uint32_t v) { return vnan32(v) && !(v & 0x400000u); }
static inline bool vnan16(uint32_t v) { return (v & 0x7fffu) > 0x7c00u; }
static inline bool vsnan16(uint32_t v) { return vnan16(v) && !(v & 0x200u); }
static inline bool vnan64(uint64_t v) { return (v & ~(1ull << 63)) > 0x7ff0000000000000ull; }
static inline bool vsnan64(uint64_t v) { return vnan64(v) && !(v & (1ull << 51)); }

/* V_MIN/V_MAX (f32, f16, f64 on the bits): with MODE.IEEE a signaling
 * NaN operand gives it quieted and a quiet NaN yields the other
 * operand; without IEEE every NaN yields the other operand.  -0 orders
 * below +0 (the ISA pseudo-code's comparison). */
static inline uint32_t vminmax_f32(uint32_t a, uint32_t b, bool max, bool ieee)
{
	if (ieee && vsnan32(a))
		return a | 0x400000u;
	if (ieee && vsnan32(b))
		return b | 0x400000u;
	if (vnan32(a))
		return vnan32(b) ? b | 0x400000u : b;
	if (vnan32(b))
		return a;
	float x = vf32(a), y = vf32(b);
	bool a_lt_b = x < y || (x == 0 && y == 0 && (a >> 31) && !(b >> 31));
	bool b_lt_a = y < x || (x == 0 && y == 0 && (b >> 31) && !(a >> 31));
	if (max)
		return b_lt_a ? a : b;
	return a_lt_b ? a : b;
}

static inline uint32_t vminmax_f16(uint32_t a, uint32_t b, bool max, bool ieee)
{
	a &= 0xffff;
	b &= 0xffff;
	if (ieee && vsnan16(a))
		return a | 0x200u;
	if (ieee && vsnan16(b))
		return b | 0x200u;
	if (vnan16(a))
		return vnan16(b) ? b | 0x200u : b;
	if (vnan16(b))
		return a;
	float x = vf16_to_f32((uint16_t)a), y = vf16_to_f32((uint16_t)b);
	bool a_lt_b = x < y || (x == 0 && y == 0 && (a >> 15) && !(b >> 15));
	bool b_lt_a = y < x || (x == 0 && y == 0 && (b >> 15) && !(a >> 15));
	if (max)
		return b_lt_a ? a : b;
	return a_lt_b ? a : b;
}

static inline uint64_t vminmax_f64(uint64_t a, uint64_t b, bool max, bool ieee)
{
	const uint64_t q = 1ull << 51;
	if (ieee && vsnan64(a))
		return a | q;
	if (ieee && vsnan64(b))
		return b | q;
	if (vnan64(a))
		return vnan64(b) ? b | q : b;
	if (vnan64(b))
		return a;
	double x = vf64(a), y = vf64(b);
	bool a_lt_b = x < y || (x == 0 && y == 0 && (a >> 63) && !(b >> 63));
	bool b_lt_a = y < x || (x == 0 && y == 0 && (b >> 63) && !(a >> 63));
	if (max)
		return b_lt_a ? a : b;
	return a_lt_b ? a : b;
}

#endif /* VGPU_SHADER_VALU_FP_H */
