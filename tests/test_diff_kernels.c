/*
 * Differential kernels: small OpenCL C kernels (tests/diff/ (.cl sources), built
 * by tests/diff/rebuild.sh / `make diff-kernels`, checked in as .co) run
 * through the public dispatch API on the vgpu; each output must equal the
 * same computation done here in C, bit for bit, except where the table
 * states a ULP bound (the ISA's approximate instructions) or that any NaN
 * matches any NaN (NaN payloads are not part of the OpenCL contract).
 * The first mismatch is reported with its index, inputs and both outputs.
 */
#include "amdbare.h"
#include "half_float.h"
#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- input domains ---------------------------------------------------------- */

enum domain { D_I32, D_F32, D_F16, D_I64, D_F64, D_WMMA_F16, D_WMMA_BF16 };

static const uint32_t edges_i32[] = {0, 1, 0xffffffffu, 0x80000000u, 0x7fffffffu, 2, 3, 31,
				     32, 33, 0xffffffu, 0x1000000u, 0x80000001u, 7, 0xfffffff9u,
				     0x55555555u};
static const uint32_t edges_f32[] = {
	0x00000000u, 0x80000000u, 0x3f800000u, 0xbf800000u, 0x3f000000u, 0x3fc00000u,
	0x40200000u, 0xc0200000u, 0x00000001u, 0x807fffffu, 0x7f7fffffu, 0x7f800000u,
	0xff800000u, 0x7fc00000u, 0xffc00001u, 0x4f000000u};
static const uint32_t edges_f16[] = {0x0000, 0x8000, 0x3c00, 0xbc00, 0x3800, 0x3e00, 0x4100,
				     0xc100, 0x0001, 0x83ff, 0x0400, 0x7bff, 0x7c00, 0xfc00,
				     0x7e00, 0xfe01};
static const uint64_t edges_i64[] = {0, 1, ~0ull, 1ull << 63, ~0ull >> 1, 0xffffffffull,
				     0x100000000ull, 63, 64, 32, 0x8000000000000001ull,
				     0x123456789abcdefull};
static const uint64_t edges_f64[] = {
	0, 1ull << 63, 0x3ff0000000000000ull, 0xbff0000000000000ull, 0x3fe0000000000000ull,
	1, 0x800fffffffffffffull, 0x7fefffffffffffffull, 0x7ff0000000000000ull,
	0xfff0000000000000ull, 0x7ff8000000000000ull, 0x4000000000000000ull};

static uint64_t rng_state;
static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint32_t f2u(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static float u2f(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static uint64_t d2u(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static double u2d(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }

/* Element i of a and b: every pair of edge values first, then random bit
 * patterns mixed with random "ordinary" values (halves of integers,
 * which exercise the rounding of floor/ceil/rint and conversions). */
static void gen(enum domain d, uint32_t n, void *a, void *b)
{
	rng_state = 0x9e3779b97f4a7c15ull;
	uint32_t *a32 = a, *b32 = b;
	uint64_t *a64 = a, *b64 = b;
	for (uint32_t i = 0; i < n; i++) {
		switch (d) {
		case D_I32:
		case D_F32:
		case D_F16: {
			const uint32_t *e = d == D_I32 ? edges_i32 : d == D_F32 ? edges_f32 : edges_f16;
			if (i < 256) {
				a32[i] = e[i / 16];
				b32[i] = e[i % 16];
			} else if (d == D_F16) {
				a32[i] = (uint32_t)rng() & 0xffffu;
				b32[i] = (uint32_t)rng() & 0xffffu;
			} else if (d == D_F32 && (i & 1)) {
				a32[i] = f2u((float)((int32_t)(rng() % 4001) - 2000) / 2.0f);
				b32[i] = f2u((float)((int32_t)(rng() % 4001) - 2000) / 4.0f);
			} else {
				a32[i] = (uint32_t)rng();
				b32[i] = (uint32_t)rng();
			}
			break;
		}
		case D_I64:
		case D_F64: {
			const uint64_t *e = d == D_I64 ? edges_i64 : edges_f64;
			if (i < 144) {
				a64[i] = e[i / 12];
				b64[i] = e[i % 12];
			} else if (d == D_F64 && (i & 1)) {
				a64[i] = d2u((double)((int64_t)(rng() % 4001) - 2000) / 2.0);
				b64[i] = d2u((double)((int64_t)(rng() % 4001) - 2000) / 8.0);
			} else {
				a64[i] = rng();
				b64[i] = rng();
			}
			break;
		}
		case D_WMMA_F16:
		case D_WMMA_BF16: {
			/* Small integers: every product and sum is exact in f32,
			 * so the order of the hardware's sums cannot matter. */
			uint16_t *ah = a, *bh = b;
			for (int k = 0; k < 2; k++) {
				float v = (float)((int)(rng() % 9) - 4);
				uint16_t h;
				if (d == D_WMMA_BF16) {
					h = (uint16_t)(f2u(v) >> 16);
				} else {
					h = f32_to_f16(v);
				}
				if (k == 0)
					ah[i] = h;
				else
					bh[i] = h;
			}
			break;
		}
		}
	}
}

/* ---- C references ---------------------------------------------------------- */

typedef uint32_t (*ref32)(uint32_t a, uint32_t b);
typedef uint64_t (*ref64)(uint64_t a, uint64_t b);
/* Whole-buffer references (LDS, atomics, WMMA): out starts as the fill. */
typedef void (*refall)(void *out, const void *a, const void *b, uint32_t n);

#define R32(name, expr) \
	static uint32_t name(uint32_t a, uint32_t b) \
	{ int32_t sa = (int32_t)a, sb = (int32_t)b; (void)sa; (void)sb; return (uint32_t)(expr); }
#define RF(name, expr) \
	static uint32_t name(uint32_t ua, uint32_t ub) \
	{ float a = u2f(ua), b = u2f(ub); (void)b; return f2u((float)(expr)); }
#define RFU(name, expr) \
	static uint32_t name(uint32_t ua, uint32_t ub) \
	{ float a = u2f(ua), b = u2f(ub); (void)b; return (uint32_t)(expr); }
#define RD(name, expr) \
	static uint64_t name(uint64_t ua, uint64_t ub) \
	{ double a = u2d(ua), b = u2d(ub); return d2u((double)(expr)); }
#define RL(name, expr) \
	static uint64_t name(uint64_t a, uint64_t b) \
	{ int64_t sa = (int64_t)a, sb = (int64_t)b; (void)sa; (void)sb; return (uint64_t)(expr); }

static uint32_t clz32(uint32_t x) { return x ? (uint32_t)__builtin_clz(x) : 32; }
static uint32_t ctz32(uint32_t x) { return x ? (uint32_t)__builtin_ctz(x) : 32; }
static int32_t sext24(int32_t x) { return (int32_t)((uint32_t)x << 8) >> 8; }
static int32_t add_sat_i32(int32_t a, int32_t b)
{
	int64_t s = (int64_t)a + b;
	return s > INT32_MAX ? INT32_MAX : s < INT32_MIN ? INT32_MIN : (int32_t)s;
}

R32(r_i_add, a + b)
R32(r_i_sub, a - b)
R32(r_i_mul, a * b)
R32(r_i_mulhi_u, ((uint64_t)a * b) >> 32)
R32(r_i_mulhi_s, (uint64_t)((int64_t)sa * sb) >> 32)
R32(r_i_div_u, b ? a / b : 0xffffffffu)
R32(r_i_rem_u, b ? a % b : a)
R32(r_i_div_s, (b == 0 || (sa == INT32_MIN && sb == -1)) ? -1 : sa / sb)
R32(r_i_rem_s, (b == 0 || (sa == INT32_MIN && sb == -1)) ? 0 : sa % sb)
R32(r_i_shl, a << (b & 31))
R32(r_i_shr_u, a >> (b & 31))
R32(r_i_shr_s, sa >> (b & 31))
R32(r_i_bitops, (a & b) ^ (~a | (b >> 3)))
R32(r_i_popcount, (uint32_t)__builtin_popcount(a) + ((uint32_t)__builtin_popcount(b) << 8))
R32(r_i_clz, clz32(a) | (clz32(b) << 8))
R32(r_i_ctz, ctz32(a) | (ctz32(b) << 8))
R32(r_i_minmax_s, (uint32_t)(sa < sb ? sa : sb) ^ ((uint32_t)(sa > sb ? sa : sb) << 1))
R32(r_i_minmax_u, (a < b ? a : b) + 3u * (a > b ? a : b))
R32(r_i_abs, (sa < 0 ? 0u - a : a) ^ (sa > sb ? a - b : b - a))
R32(r_i_mad24, (uint32_t)((int64_t)sext24(sa) * sext24(sb)) + a)
R32(r_i_mul24_u, (a & 0xffffffu) * (b & 0xffu))
R32(r_i_rotate, (a << (b & 31)) | (a >> ((32 - (b & 31)) & 31)))
R32(r_i_addsat, (uint32_t)add_sat_i32(sa, sb) ^ (a > b ? a - b : 0u))

/* OpenCL fmin/fmax: a NaN argument (quiet or signaling) yields the other
 * one; and -0 orders below +0 as v_min_f32/v_max_f32 order them (OpenCL
 * allows either zero; the ISA's choice is the one checked). */
static float fmin_cl(float a, float b)
{
	if (isnan(a))
		return b;
	if (isnan(b))
		return a;
	if (a == 0 && b == 0)
		return signbit(a) ? a : b;
	return fminf(a, b);
}
static float fmax_cl(float a, float b)
{
	if (isnan(a))
		return b;
	if (isnan(b))
		return a;
	if (a == 0 && b == 0)
		return signbit(a) ? b : a;
	return fmaxf(a, b);
}

RF(r_f_add, a + b)
RF(r_f_sub, a - b)
RF(r_f_mul, a * b)
RF(r_f_fma, fmaf(a, b, a))
RF(r_f_min, fmin_cl(a, b))
RF(r_f_max, fmax_cl(a, b))
RF(r_f_fabs_copysign, copysignf(fabsf(a), b))
RF(r_f_floor, floorf(a))
RF(r_f_ceil, ceilf(a))
RF(r_f_trunc, truncf(a))
RF(r_f_rint, rintf(a))
RF(r_f_sqrt, sqrtf(a))
RF(r_f_select, a < b ? a : b + 1.0f)
RFU(r_f_compare, (a < b) | ((a <= b) << 1) | ((a == b) << 2) | ((a != b) << 3) |
	((a > b) << 4) | ((a >= b) << 5) | (isunordered(a, b) << 6))
RFU(r_f_classify, (isnan(a) ? 1 : 0) | ((isinf(a) ? 1 : 0) << 1) | ((isfinite(a) ? 1 : 0) << 2) |
	((signbit(a) ? 1 : 0) << 3) | ((isnormal(a) ? 1 : 0) << 4))

RD(r_d_add, a + b)
RD(r_d_mul, a * b)
RD(r_d_fma, fma(a, b, a))
static uint64_t r_d_compare(uint64_t ua, uint64_t ub)
{
	double a = u2d(ua), b = u2d(ub);
	return (uint64_t)((a < b) | ((a == b) << 1) | ((a > b) << 2) | (isunordered(a, b) << 3));
}
RL(r_l_add, a + b - (a >> 7))
RL(r_l_mul, a * b)
RL(r_l_shift, (a << (b & 63)) ^ (a >> (b & 63)) ^ (uint64_t)(sa >> (b & 63)))
RL(r_l_compare, (uint64_t)(sa < sb) | ((uint64_t)(a < b) << 1) | ((uint64_t)(a == b) << 2) |
	((uint64_t)(sa > sb ? sa : sb) & ~7ull))

static int32_t f2i_sat(float a)
{
	return a != a ? 0 : a >= 2147483648.0f ? INT32_MAX : a < -2147483648.0f ? INT32_MIN
									      : (int32_t)a;
}
static uint32_t f2u_sat(float a)
{
	return a != a || a <= 0.0f ? 0u : a >= 4294967296.0f ? 0xffffffffu : (uint32_t)a;
}
RFU(r_c_f2i, (uint32_t)f2i_sat(a))
RFU(r_c_f2u, f2u_sat(a))
R32(r_c_i2f, f2u((float)sa))
R32(r_c_u2f, f2u((float)a))
RF(r_c_f2d2f, (float)((double)a * 3.0))
RFU(r_c_f2h, f32_to_f16(a))
R32(r_c_h2f, f2u(f16_to_f32((uint16_t)a)))
R32(r_c_bf16, ((a + 0x7fffu + ((a >> 16) & 1u)) >> 16) | (b << 16))

/* f16 arithmetic: the exact double result rounded once to f16. */
static uint32_t r_h_addmul(uint32_t a, uint32_t b)
{
	double x = f16_to_f32((uint16_t)a), y = f16_to_f32((uint16_t)b);
	return f64_to_f16(x + y) | ((uint32_t)f64_to_f16(x * y) << 16);
}
static uint32_t r_h_sub(uint32_t a, uint32_t b)
{
	return f64_to_f16((double)f16_to_f32((uint16_t)a) - f16_to_f32((uint16_t)b));
}

static uint32_t r_x_nested_if(uint32_t a, uint32_t b)
{
	if (a & 1)
		return (b & 2) ? a + b : a ^ 0x5555u;
	return a > b ? a - b : b * 3u;
}
static uint32_t r_x_loop(uint32_t a, uint32_t b)
{
	(void)b;
	uint32_t n = (a & 0xfffu) + 1u, steps = 0;
	while (n != 1u && steps < 500u) {
		n = (n & 1u) ? 3u * n + 1u : n >> 1;
		steps++;
	}
	return steps;
}
static uint32_t r_x_early_return(uint32_t a, uint32_t b)
{
	(void)b;
	if (a % 3u == 0u)
		return 7u;
	uint32_t acc = 0;
	for (uint32_t k = 0; k < (a & 15u); k++) {
		if (((a >> k) & 3u) == 3u)
			return 7u;
		acc += k * a;
	}
	return acc;
}
static uint32_t r_x_switch(uint32_t a, uint32_t b)
{
	switch (a % 7u) {
	case 0: return b;
	case 1: return a + b;
	case 2: return a << 3;
	case 3: return ~b ^ 0xdeadu;
	case 4: return a ^ 0xdeadu;
	case 5: return a < b ? a : b;
	default: return 42u;
	}
}

/* LDS kernels: workgroups of 64. */
static void r_s_reduce(void *out, const void *va, const void *vb, uint32_t n)
{
	uint32_t *o = out;
	const uint32_t *a = va, *b = vb;
	for (uint32_t g = 0; g < n / 64; g++) {
		uint32_t s = 0;
		for (uint32_t l = 0; l < 64; l++)
			s += a[g * 64 + l] ^ b[g * 64 + l];
		for (uint32_t l = 0; l < 64; l++)
			o[g * 64 + l] = s + g;
	}
}
static void r_s_transpose(void *out, const void *va, const void *vb, uint32_t n)
{
	(void)vb;
	uint32_t *o = out;
	const uint32_t *a = va;
	for (uint32_t i = 0; i < n; i++)
		o[i] = a[(i / 64) * 64 + (i % 8) * 8 + (i % 64) / 8];
}
static void r_s_scan(void *out, const void *va, const void *vb, uint32_t n)
{
	(void)vb;
	uint32_t *o = out;
	const uint32_t *a = va;
	uint32_t s = 0;
	for (uint32_t i = 0; i < n; i++) {
		s = (i % 64 ? s : 0) + (a[i] & 0xffffu);
		o[i] = s;
	}
}
static void r_s_histogram(void *out, const void *va, const void *vb, uint32_t n)
{
	(void)vb;
	uint32_t *o = out;
	const uint32_t *a = va;
	for (uint32_t g = 0; g < n / 64; g++) {
		uint32_t h[8] = {0};
		for (uint32_t l = 0; l < 64; l++)
			h[a[g * 64 + l] & 7]++;
		for (uint32_t l = 0; l < 64; l++)
			o[g * 64 + l] = h[l & 7];
	}
}

/* Atomics: the final memory is independent of the order. */
static void r_a_add(void *out, const void *va, const void *vb, uint32_t n)
{
	(void)vb;
	uint32_t *o = out;
	const uint32_t *a = va;
	for (uint32_t i = 0; i < n; i++)
		o[i % 8] += a[i];
}
static void r_a_minmax(void *out, const void *va, const void *vb, uint32_t n)
{
	(void)vb;
	uint32_t *o = out;
	const uint32_t *a = va;
	for (uint32_t i = 0; i < n; i++) {
		if ((int32_t)a[i] < (int32_t)o[i % 8])
			o[i % 8] = a[i];
		if (a[i] > o[8 + i % 8])
			o[8 + i % 8] = a[i];
	}
}
static void r_a_inc_or(void *out, const void *va, const void *vb, uint32_t n)
{
	(void)vb;
	uint32_t *o = out;
	const uint32_t *a = va;
	for (uint32_t i = 0; i < n; i++) {
		o[i % 8]++;
		o[8 + i % 8] |= a[i];
		o[16 + i % 8] &= a[i] | 0x10101u;
		o[24 + i % 8] ^= a[i];
	}
}
static void r_a_xchg(void *out, const void *va, const void *vb, uint32_t n)
{
	(void)vb;
	uint32_t *o = out;
	const uint32_t *a = va;
	for (uint32_t i = 0; i < n; i++) {
		o[256 + i] = o[i];
		o[i] = a[i];
	}
}
static void r_a_cmpxchg(void *out, const void *va, const void *vb, uint32_t n)
{
	(void)vb;
	uint32_t *o = out;
	const uint32_t *a = va;
	for (uint32_t i = 0; i < n; i++)
		o[i % 8] += a[i] & 0xffu;
}
static void r_a_add64(void *out, const void *va, const void *vb, uint32_t n)
{
	(void)vb;
	uint64_t *o = out;
	const uint64_t *a = va;
	for (uint32_t i = 0; i < n; i++) {
		o[i % 8] += a[i];
		if (a[i] > o[8 + i % 8])
			o[8 + i % 8] = a[i];
	}
}

/* LDS CAS, atomics and DS lane exchange (lds_atomic.cl), per group of 64
 * (two wave32 waves). */
static void r_l_cas_loop(void *out, const void *va, const void *vb, uint32_t n)
{
	(void)vb;
	uint32_t *o = out;
	const uint32_t *a = va;
	for (uint32_t g = 0; g < n / 64; g++) {
		uint32_t c[8];
		for (uint32_t k = 0; k < 8; k++)
			c[k] = k * 1000u;
		for (uint32_t l = 0; l < 64; l++)
			c[l % 8] += a[g * 64 + l] & 0xffu;
		for (uint32_t l = 0; l < 64; l++)
			o[g * 64 + l] = c[l % 8];
	}
}
static void r_l_cas_once(void *out, const void *va, const void *vb, uint32_t n)
{
	uint32_t *o = out;
	const uint32_t *a = va, *b = vb;
	for (uint32_t g = 0; g < n / 64; g++) {
		for (uint32_t l = 0; l < 64; l++) {
			uint32_t i = g * 64 + l, s = (l + 1) % 64, init_s = s * 3u + 7u;
			uint32_t expected = (a[i] & 1) ? init_s : a[i];
			bool ok = expected == init_s;
			/* slot l is lane (l + 63) % 64's target */
			uint32_t m = g * 64 + (l + 63) % 64;
			uint32_t em = (a[m] & 1) ? l * 3u + 7u : a[m];
			uint32_t t = em == l * 3u + 7u ? b[m] : l * 3u + 7u;
			o[i] = t ^ (init_s << 8) ^ (ok ? 0x80000000u : 0u);
		}
	}
}
static void r_l_atomics(void *out, const void *va, const void *vb, uint32_t n)
{
	uint32_t *o = out;
	const uint32_t *a = va, *b = vb;
	for (uint32_t g = 0; g < n / 64; g++) {
		for (uint32_t k = 0; k < 4; k++) {
			int32_t smin = 0x7fffffff, smax = INT32_MIN;
			uint32_t umin = ~0u, umax = 0, band = ~0u, bor = 0, bxor = 0;
			uint64_t add64 = 0xfffffff0ull, max64 = 0;
			float fadd = 0.5f;
			for (uint32_t l = k; l < 64; l += 4) {
				uint32_t x = a[g * 64 + l], y = b[g * 64 + l];
				smin = (int32_t)x < smin ? (int32_t)x : smin;
				smax = (int32_t)x > smax ? (int32_t)x : smax;
				umin = y < umin ? y : umin;
				umax = y > umax ? y : umax;
				band &= x | y;
				bor |= x & y;
				bxor ^= x;
				add64 += (uint64_t)x << 8;
				uint64_t m = (uint64_t)x << 32 | y;
				max64 = m > max64 ? m : max64;
				fadd += u2f(0x3f800000u | (y & 0xffu) << 15);
			}
			for (uint32_t l = k; l < 64; l += 4) {
				uint32_t r;
				switch ((l >> 2) & 15) {
				case 0: r = (uint32_t)smin; break;
				case 1: r = (uint32_t)smax; break;
				case 2: r = umin; break;
				case 3: r = umax; break;
				case 4: r = band; break;
				case 5: r = bor; break;
				case 6: r = bxor; break;
				case 7: r = (uint32_t)add64 ^ (uint32_t)(add64 >> 32); break;
				case 8: r = (uint32_t)(max64 >> 32); break;
				case 9: r = (uint32_t)max64; break;
				default: r = f2u(fadd); break;
				}
				o[g * 64 + l] = r;
			}
		}
	}
}
static void r_l_lanes(void *out, const void *va, const void *vb, uint32_t n)
{
	uint32_t *o = out;
	const uint32_t *a = va, *b = vb;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t wb = i & ~31u, l = i % 64;
		switch (l % 4) {
		case 0: o[i] = b[wb + (a[i] & 31u)]; break;            /* ds_bpermute */
		case 1: o[i] = b[wb + 31u - (l % 32)]; break;         /* ds_permute */
		case 2: o[i] = b[i ^ 1u]; break;                      /* swizzle(SWAP,1) */
		default: o[i] = b[(i & ~3u) | (3u - (i & 3u))]; break; /* quad_perm 3,2,1,0 */
		}
	}
}

/* WMMA: D = A * B, 16x16 row-major, f32 sums of exact products. */
static void wmma_ref(void *out, const uint16_t *a, const uint16_t *b, bool bf16)
{
	float *o = out;
	for (int r = 0; r < 16; r++)
		for (int c = 0; c < 16; c++) {
			float s = 0;
			for (int k = 0; k < 16; k++) {
				float x = bf16 ? bf16_to_f32(a[r * 16 + k]) : f16_to_f32(a[r * 16 + k]);
				float y = bf16 ? bf16_to_f32(b[k * 16 + c]) : f16_to_f32(b[k * 16 + c]);
				s += x * y;
			}
			o[r * 16 + c] = s;
		}
}
static void r_w_f16(void *out, const void *a, const void *b, uint32_t n)
{
	(void)n;
	wmma_ref(out, a, b, false);
}
static void r_w_bf16(void *out, const void *a, const void *b, uint32_t n)
{
	(void)n;
	wmma_ref(out, a, b, true);
}

/* Private arrays (tests/diff/private.h; scratch on the GPU). */
static void r_p_index(void *out, const void *va, const void *vb, uint32_t n)
{
	const uint32_t *ua = va, *ub = vb;
	uint32_t *o = out;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t a = ua[i], b = ub[i], g = i / 64, t[32];
		for (uint32_t k = 0; k < 32; k++)
			t[k] = (a ^ (k * 0x9e3779b9u)) + b * k;
		o[i] = t[a & 31u] + 3u * t[b & 31u] + (t[(a >> 5) & 31u] ^ t[(b >> 27) & 31u]) +
		       t[(g * 5u) & 31u];
	}
}
static uint32_t r_p_sort(uint32_t a, uint32_t b)
{
	uint32_t t[40];
	for (uint32_t k = 0; k < 40; k++)
		t[k] = (a * (2u * k + 1u)) ^ (b >> (k & 7u)) ^ (k << 27);
	for (int k = 1; k < 40; k++) {
		uint32_t v = t[k];
		int j = k - 1;
		while (j >= 0 && t[j] > v) {
			t[j + 1] = t[j];
			j--;
		}
		t[j + 1] = v;
	}
	return t[a % 40u] ^ (t[39] - t[0]) ^ (t[b % 40u] << 1);
}
static uint32_t r_p_bytes(uint32_t a, uint32_t b)
{
	uint8_t u8[16];
	int8_t s8[16];
	uint16_t u16[8];
	int16_t s16[8];
	for (uint32_t k = 0; k < 16; k++) {
		u8[k] = (uint8_t)((k < 8 ? a : b) >> (4u * (k & 7u)));
		s8[k] = (int8_t)(uint8_t)((k & 1u ? a : b) >> (k * 2u));
	}
	for (uint32_t k = 0; k < 8; k++) {
		u16[k] = (uint16_t)((a >> k) ^ (b << k));
		s16[k] = (int16_t)(uint16_t)((b >> (2u * k)) + a);
	}
	uint32_t x = (uint32_t)u8[a & 15u] | ((uint32_t)u8[b & 15u] << 8);
	int32_t y = (int32_t)s8[(a >> 4) & 15u] * 1000 + (int32_t)s16[b & 7u];
	return x ^ (uint32_t)y ^ ((uint32_t)u16[(a >> 8) & 7u] << 16);
}
static uint32_t r_p_wide(uint32_t a, uint32_t b)
{
	uint64_t w[24];
	uint32_t v[6][4];
	for (uint32_t k = 0; k < 24; k++)
		w[k] = ((uint64_t)a << (k + 1)) ^ ((uint64_t)b * (k + 3));
	for (uint32_t k = 0; k < 6; k++) {
		v[k][0] = a + k;
		v[k][1] = b ^ k;
		v[k][2] = a * k;
		v[k][3] = b - k;
	}
	uint64_t x = w[a % 24u] + w[b % 24u];
	const uint32_t *y = v[(a >> 3) % 6u];
	return (uint32_t)x ^ (uint32_t)(x >> 32) ^ y[0] ^ (y[1] << 1) ^ (y[2] << 2) ^ (y[3] << 3);
}
static uint32_t r_p_histogram(uint32_t a, uint32_t b)
{
	uint32_t h[48] = {0}, s = 0;
	for (uint32_t k = 0; k < 32; k++)
		h[((a >> k) ^ (b >> (k / 2u)) ^ k) % 48u]++;
	for (uint32_t k = 0; k < 48; k++)
		s = s * 31u + h[k];
	return s;
}
static uint32_t r_p_generic(uint32_t a, uint32_t b)
{
	uint32_t t[100];
	for (uint32_t k = 0; k < 100; k++)
		t[k] = (a * k) ^ b;
	t[(a + b) % 100u] = a ^ 0x5a5a5a5au; /* the callee's store */
	uint32_t r = t[a % 100u] + 7u * t[b % 100u];
	return r ^ t[(a + b) % 100u] ^ t[(a >> 7) % 100u];
}
static uint32_t flat_sum(const uint32_t *p, uint32_t n, uint32_t k)
{
	uint32_t s = 0;
	for (uint32_t j = 0; j < n; j++)
		s += p[(j * k) % n] * (j + 1u);
	return s;
}
static void r_p_generic_local(void *out, const void *va, const void *vb, uint32_t n)
{
	const uint32_t *ua = va, *ub = vb;
	uint32_t *o = out, t[64];
	for (uint32_t g = 0; g < n / 64; g++) {
		for (uint32_t l = 0; l < 64; l++)
			t[l] = ua[g * 64 + l] ^ ub[g * 64 + l];
		for (uint32_t l = 0; l < 64; l++) {
			uint32_t i = g * 64 + l;
			o[i] = flat_sum(t, 64u, (ub[i] | 1u) + l) ^ flat_sum(ua + g * 64, 64u, l);
		}
	}
}

/* ---- the table -------------------------------------------------------------- */

enum cmp { EXACT, F32_NAN, F16_NAN, F64_NAN, F16X2_NAN };

struct diff_kernel {
	const char *co;      /* tests/diff/<co>.co */
	const char *name;
	enum domain dom;
	uint32_t n;          /* work-items (and input elements) */
	uint32_t block;
	ref32 r32;           /* one of r32, r64, rall */
	ref64 r64;
	refall rall;
	enum cmp cmp;
	uint32_t ulp;        /* allowed distance in units in the last place */
};

#define M32(co, k, dom, cmp, ulp) {co, #k, dom, 512, 64, r_##k, NULL, NULL, cmp, ulp}
#define M64(co, k, dom, cmp) {co, #k, dom, 256, 64, NULL, r_##k, NULL, cmp, 0}
#define ALL(co, k, dom, n, block) {co, #k, dom, n, block, NULL, NULL, r_##k, EXACT, 0}
/* The wave64 build of a kernel (private64.cl): name + "64", same reference. */
#define M32_64(co, k) {co, #k "64", D_I32, 512, 64, r_##k, NULL, NULL, EXACT, 0}
#define ALL_64(co, k) {co, #k "64", D_I32, 512, 64, NULL, NULL, r_##k, EXACT, 0}

static const struct diff_kernel kernels[] = {
	M32("int", i_add, D_I32, EXACT, 0),
	M32("int", i_sub, D_I32, EXACT, 0),
	M32("int", i_mul, D_I32, EXACT, 0),
	M32("int", i_mulhi_u, D_I32, EXACT, 0),
	M32("int", i_mulhi_s, D_I32, EXACT, 0),
	M32("int", i_div_u, D_I32, EXACT, 0),
	M32("int", i_rem_u, D_I32, EXACT, 0),
	M32("int", i_div_s, D_I32, EXACT, 0),
	M32("int", i_rem_s, D_I32, EXACT, 0),
	M32("int", i_shl, D_I32, EXACT, 0),
	M32("int", i_shr_u, D_I32, EXACT, 0),
	M32("int", i_shr_s, D_I32, EXACT, 0),
	M32("int", i_bitops, D_I32, EXACT, 0),
	M32("int", i_popcount, D_I32, EXACT, 0),
	M32("int", i_clz, D_I32, EXACT, 0),
	M32("int", i_ctz, D_I32, EXACT, 0),
	M32("int", i_minmax_s, D_I32, EXACT, 0),
	M32("int", i_minmax_u, D_I32, EXACT, 0),
	M32("int", i_abs, D_I32, EXACT, 0),
	M32("int", i_mad24, D_I32, EXACT, 0),
	M32("int", i_mul24_u, D_I32, EXACT, 0),
	M32("int", i_rotate, D_I32, EXACT, 0),
	M32("int", i_addsat, D_I32, EXACT, 0),
	M32("float", f_add, D_F32, F32_NAN, 0),
	M32("float", f_sub, D_F32, F32_NAN, 0),
	M32("float", f_mul, D_F32, F32_NAN, 0),
	M32("float", f_fma, D_F32, F32_NAN, 0),
	M32("float", f_min, D_F32, F32_NAN, 0),
	M32("float", f_max, D_F32, F32_NAN, 0),
	M32("float", f_fabs_copysign, D_F32, F32_NAN, 0),
	M32("float", f_floor, D_F32, F32_NAN, 0),
	M32("float", f_ceil, D_F32, F32_NAN, 0),
	M32("float", f_trunc, D_F32, F32_NAN, 0),
	M32("float", f_rint, D_F32, F32_NAN, 0),
	/* v_sqrt_f32: the ISA documents 1 ULP. */
	M32("float", f_sqrt, D_F32, F32_NAN, 1),
	M32("float", f_select, D_F32, F32_NAN, 0),
	M32("float", f_compare, D_F32, EXACT, 0),
	M32("float", f_classify, D_F32, EXACT, 0),
	M64("wide", d_add, D_F64, F64_NAN),
	M64("wide", d_mul, D_F64, F64_NAN),
	M64("wide", d_fma, D_F64, F64_NAN),
	M64("wide", d_compare, D_F64, EXACT),
	M64("wide", l_add, D_I64, EXACT),
	M64("wide", l_mul, D_I64, EXACT),
	M64("wide", l_shift, D_I64, EXACT),
	M64("wide", l_compare, D_I64, EXACT),
	M32("conv", c_f2i, D_F32, EXACT, 0),
	M32("conv", c_f2u, D_F32, EXACT, 0),
	M32("conv", c_i2f, D_I32, EXACT, 0),
	M32("conv", c_u2f, D_I32, EXACT, 0),
	M32("conv", c_f2d2f, D_F32, F32_NAN, 0),
	M32("conv", c_f2h, D_F32, F16_NAN, 0),
	M32("conv", c_h2f, D_I32, F32_NAN, 0),
	M32("conv", c_bf16, D_F32, EXACT, 0),
	M32("half", h_addmul, D_F16, F16X2_NAN, 0),
	M32("half", h_sub, D_F16, F16_NAN, 0),
	M32("control", x_nested_if, D_I32, EXACT, 0),
	M32("control", x_loop, D_I32, EXACT, 0),
	M32("control", x_early_return, D_I32, EXACT, 0),
	M32("control", x_switch, D_I32, EXACT, 0),
	ALL("lds", s_reduce, D_I32, 512, 64),
	ALL("lds", s_transpose, D_I32, 512, 64),
	ALL("lds", s_scan, D_I32, 512, 64),
	ALL("lds", s_histogram, D_I32, 512, 64),
	ALL("atomic", a_add, D_I32, 256, 64),
	ALL("atomic", a_minmax, D_I32, 256, 64),
	ALL("atomic", a_inc_or, D_I32, 256, 64),
	ALL("atomic", a_xchg, D_I32, 256, 64),
	ALL("atomic", a_cmpxchg, D_I32, 256, 64),
	ALL("atomic", a_add64, D_I64, 256, 64),
	ALL("lds_atomic", l_cas_loop, D_I32, 512, 64),
	ALL("lds_atomic", l_cas_once, D_I32, 512, 64),
	ALL("lds_atomic", l_atomics, D_I32, 512, 64),
	ALL("lds_atomic", l_lanes, D_I32, 512, 64),
	ALL("wmma", w_f16, D_WMMA_F16, 256, 32),
	ALL("wmma", w_bf16, D_WMMA_BF16, 256, 32),
	ALL("private", p_index, D_I32, 512, 64),
	M32("private", p_sort, D_I32, EXACT, 0),
	M32("private", p_bytes, D_I32, EXACT, 0),
	M32("private", p_wide, D_I32, EXACT, 0),
	M32("private", p_histogram, D_I32, EXACT, 0),
	M32("private", p_generic, D_I32, EXACT, 0),
	ALL("private", p_generic_local, D_I32, 512, 64),
	ALL_64("private64", p_index),
	M32_64("private64", p_sort),
	M32_64("private64", p_bytes),
	M32_64("private64", p_wide),
	M32_64("private64", p_histogram),
	M32_64("private64", p_generic),
	ALL_64("private64", p_generic_local),
};

/* ---- running one ------------------------------------------------------------- */

#define BUF_BYTES 8192u /* 1024 32-bit or 512 64-bit elements */

static uint32_t elem_size(const struct diff_kernel *k)
{
	return k->r64 || k->dom == D_I64 || k->dom == D_F64 ? 8 : 4;
}

static bool is_nan_bits(enum cmp c, uint64_t v)
{
	switch (c) {
	case F32_NAN: return ((v >> 23) & 0xff) == 0xff && (v & 0x7fffff);
	case F16_NAN: return ((v >> 10) & 0x1f) == 0x1f && (v & 0x3ff);
	case F64_NAN: return ((v >> 52) & 0x7ff) == 0x7ff && (v & 0xfffffffffffffull);
	default: return false;
	}
}

/* Same sign-magnitude ordering distance as the float's bits. */
static uint64_t ulp_distance(uint32_t x, uint32_t y)
{
	int64_t a = (x >> 31) ? -(int64_t)(x & 0x7fffffffu) : (int64_t)x;
	int64_t b = (y >> 31) ? -(int64_t)(y & 0x7fffffffu) : (int64_t)y;
	return (uint64_t)(a > b ? a - b : b - a);
}

static bool same(const struct diff_kernel *k, uint64_t got, uint64_t want)
{
	if (got == want)
		return true;
	if (k->cmp == F16X2_NAN) /* two f16 results, each NaN-tolerant */
		return (got >> 16 == want >> 16 ||
			(is_nan_bits(F16_NAN, got >> 16) && is_nan_bits(F16_NAN, want >> 16))) &&
		       ((got & 0xffff) == (want & 0xffff) ||
			(is_nan_bits(F16_NAN, got & 0xffff) && is_nan_bits(F16_NAN, want & 0xffff)));
	if (is_nan_bits(k->cmp, got) && is_nan_bits(k->cmp, want))
		return true;
	if (k->ulp && k->cmp == F32_NAN && !is_nan_bits(k->cmp, got) && !is_nan_bits(k->cmp, want))
		return ulp_distance((uint32_t)got, (uint32_t)want) <= k->ulp;
	return false;
}

static uint64_t elem(const void *p, uint32_t size, uint32_t i)
{
	if (size == 8)
		return ((const uint64_t *)p)[i];
	return ((const uint32_t *)p)[i];
}

static uint32_t fill_value(uint32_t i)
{
	return i * 0x9e3779b9u + 0x12345u;
}

#define KERNEL_COUNT (sizeof(kernels) / sizeof(kernels[0]))

/* The parameters are table indices: Criterion's workers may be fresh
 * processes where pointers into the parent's data would not hold. */
ParameterizedTestParameters(diff, kernel)
{
	static uint32_t index[KERNEL_COUNT];
	for (uint32_t i = 0; i < KERNEL_COUNT; i++)
		index[i] = i;
	return cr_make_param_array(uint32_t, index, KERNEL_COUNT);
}

static amdbare_bo *make_bo(amdbare_device *dev, void **cpu)
{
	amdbare_bo_create_info ci = {.size = BUF_BYTES, .domains = AMDBARE_DOMAIN_GTT,
				     .flags = AMDBARE_BO_CPU_ACCESS};
	amdbare_bo *bo = NULL;
	cr_assert_eq(amdbare_bo_create(dev, &ci, &bo), 0, "create: %s", amdbare_last_error());
	cr_assert_eq(amdbare_bo_cpu_map(bo, cpu), 0, "map: %s", amdbare_last_error());
	return bo;
}

ParameterizedTest(uint32_t *index, diff, kernel)
{
	cr_assert_lt(*index, KERNEL_COUNT);
	const struct diff_kernel *k = &kernels[*index];
	vgpu_test_use_profile("780m", NULL);
	amdbare_device *dev = NULL;
	cr_assert_eq(amdbare_device_open(0, &dev), 0, "open: %s", amdbare_last_error());

	char path[4096];
	const char *top = getenv("AMDBARE_TOP");
	snprintf(path, sizeof(path), "%s/tests/diff/%s.co", top ? top : ".", k->co);
	amdbare_codeobj *co = NULL;
	cr_assert_eq(amdbare_codeobj_load_file(path, &co), 0, "load %s: %s", path,
		     amdbare_last_error());
	const amdbare_kernel_info *ki = NULL;
	cr_assert_eq(amdbare_codeobj_find_kernel(co, k->name, &ki), 0, "%s", amdbare_last_error());
	amdbare_bo *code = NULL;
	uint64_t va = 0;
	cr_assert_eq(amdbare_codeobj_upload(co, dev, &code, &va), 0, "upload: %s",
		     amdbare_last_error());

	void *pa, *pb, *po;
	amdbare_bo *ba = make_bo(dev, &pa), *bb = make_bo(dev, &pb), *bo = make_bo(dev, &po);
	memset(pa, 0, BUF_BYTES);
	memset(pb, 0, BUF_BYTES);
	gen(k->dom, k->n, pa, pb);
	for (uint32_t i = 0; i < BUF_BYTES / 4; i++)
		((uint32_t *)po)[i] = fill_value(i);
	static uint8_t a[BUF_BYTES], b[BUF_BYTES], want[BUF_BYTES];
	memcpy(a, pa, BUF_BYTES);
	memcpy(b, pb, BUF_BYTES);
	memcpy(want, po, BUF_BYTES);

	amdbare_karg args[3] = {amdbare_karg_buffer(bo, 0), amdbare_karg_buffer(ba, 0),
				amdbare_karg_buffer(bb, 0)};
	amdbare_dispatch_info di = {.kernel = ki, .code_bo = code, .code_va = va,
				    .grid = {k->n / k->block, 1, 1}, .block = {k->block, 1, 1},
				    .args = args, .arg_count = 3};
	cr_assert_eq(amdbare_dispatch(dev, &di), 0, "%s: %s", k->name, amdbare_last_error());

	uint32_t size = elem_size(k);
	if (k->r32) {
		for (uint32_t i = 0; i < k->n; i++)
			((uint32_t *)want)[i] = k->r32(((uint32_t *)a)[i], ((uint32_t *)b)[i]);
	} else if (k->r64) {
		for (uint32_t i = 0; i < k->n; i++)
			((uint64_t *)want)[i] = k->r64(((uint64_t *)a)[i], ((uint64_t *)b)[i]);
	} else {
		k->rall(want, a, b, k->n);
	}
	/* The whole output buffer: what the kernel must not touch stays the fill. */
	for (uint32_t i = 0; i < BUF_BYTES / size; i++) {
		uint64_t got = elem(po, size, i), w = elem(want, size, i);
		if (!same(k, got, w))
			cr_assert_fail("%s: first mismatch at %u: a=0x%llx b=0x%llx got 0x%llx want 0x%llx",
				       k->name, i, (unsigned long long)elem(a, size, i),
				       (unsigned long long)elem(b, size, i),
				       (unsigned long long)got, (unsigned long long)w);
	}

	amdbare_bo_free(ba);
	amdbare_bo_free(bb);
	amdbare_bo_free(bo);
	amdbare_bo_free(code);
	amdbare_codeobj_free(co);
	amdbare_device_close(dev);
	char desc[512];
	int left = vgpu_test_open_objects(desc, sizeof(desc));
	vgpu_test_cleanup();
	cr_expect_eq(left, 0, "objects left in the device: %s", desc);
}
