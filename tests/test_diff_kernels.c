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
/* gfx9 (GCN): ds_permute/bpermute address the whole wave64 (lane index
 * modulo 64), not each 32-lane half as RDNA does (set by the test) */
static bool gcn_permute;
static void r_l_lanes(void *out, const void *va, const void *vb, uint32_t n)
{
	uint32_t *o = out;
	const uint32_t *a = va, *b = vb;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t wb = i & ~31u, l = i % 64;
		if (gcn_permute && l % 4 < 2) {
			uint32_t w64 = i & ~63u;
			/* ds_bpermute: lane a % 64.  ds_permute: lanes l and l + 32
			 * both write to lane 31 - l % 32, the higher lane last (the
			 * ISA's lane loop), and nobody writes lanes 32..63: 0 */
			if (l % 4 == 0)
				o[i] = b[w64 + (a[i] & 63u)];
			else
				o[i] = l < 32 ? b[w64 + 63u - l] : 0;
			continue;
		}
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

/* tests/diff/math.cl.  Float references are C's correctly rounded
 * operations (glibc); fract follows LLVM's constant folder of
 * llvm.amdgcn.fract (NaN and infinities give NaN, the result at most the
 * largest value below 1); f16 fma is computed in binary128 and rounded
 * once; the cross-lane kernels run in wave32. */
RF(r_m_fdiv, a / b)
RF(r_m_exp2, exp2f(a))
RF(r_m_log2, log2f(a))
static uint32_t r_m_frexp(uint32_t ua, uint32_t ub)
{
	(void)ub;
	float a = u2f(ua);
	int e = 0;
	/* a NaN comes back quieted (as LLVM's APFloat frexp does) */
	float m = isinf(a) ? a : isnan(a) ? u2f(ua | 0x400000u) : frexpf(a, &e);
	return f2u(m) ^ ((uint32_t)e * 0x9e3779b9u);
}
static uint32_t r_m_ldexp(uint32_t ua, uint32_t ub)
{
	return f2u(ldexpf(u2f(ua), (int)(ub & 0xffu) - 128));
}
static uint32_t r_m_fract(uint32_t ua, uint32_t ub)
{
	(void)ub;
	float a = u2f(ua);
	if (isnan(a) || isinf(a))
		return 0x7fc00000u;
	float r = a - floorf(a);
	return f2u(r < 0x1.fffffep-1f ? r : 0x1.fffffep-1f);
}
/* fmed3 as LLVM models it (AMDGPUInstCombineIntrinsic): a NaN in the
 * first operand gives fmin of the other two, in the second fmin(a, c),
 * in the third fmax(a, b); otherwise the ISA's median, whose "==" is a
 * float comparison (-0 equals +0) */
static float med3f(float a, float b, float c)
{
	if (isnan(a))
		return fmin_cl(b, c);
	if (isnan(b))
		return fmin_cl(a, c);
	if (isnan(c))
		return fmax_cl(a, b);
	float mx = fmax_cl(fmax_cl(a, b), c);
	if (mx == a)
		return fmax_cl(b, c);
	if (mx == b)
		return fmax_cl(a, c);
	return fmax_cl(a, b);
}
static uint32_t r_m_fmed3(uint32_t ua, uint32_t ub)
{
	float a = u2f(ua), b = u2f(ub);
	return f2u(med3f(a, b, a * 0.5f));
}
R32(r_m_med3_i, (uint32_t)(int32_t)fmax(fmin(sa, 1000), -(int32_t)(b & 0xffff)))
R32(r_m_med3_u, fmax(fmin(a, b | 0x10000u), b & 0xffffu))
static double h2d(uint32_t h) { return f16_to_f32((uint16_t)h); }
static uint16_t fma_h(uint32_t x, uint32_t y, uint32_t z)
{
	__float128 q = (__float128)h2d(x) * (__float128)h2d(y) + (__float128)h2d(z);
	_Float16 h = (_Float16)q;
	uint16_t u;
	memcpy(&u, &h, 2);
	return u;
}
R32(r_m_h_fma, fma_h(a, b, a >> 16))
static uint32_t fminmax_h(uint32_t a, uint32_t b, bool max)
{
	float x = f16_to_f32((uint16_t)a), y = f16_to_f32((uint16_t)b);
	float r = max ? fmax_cl(x, y) : fmin_cl(x, y);
	return isnan(r) ? 0x7e00u : f32_to_f16(r);
}
static uint32_t r_m_h_minmax(uint32_t a, uint32_t b)
{
	return fminmax_h(a, b, false) | fminmax_h(a, b, true) << 16;
}
R32(r_m_h_pk, fma_h(a, b, b) | (uint32_t)fma_h(a >> 16, b >> 16, b >> 16) << 16)
static uint32_t med3h(uint32_t a, uint32_t b, uint32_t c)
{
	float x = f16_to_f32((uint16_t)a), y = f16_to_f32((uint16_t)b), z = f16_to_f32((uint16_t)c);
	float r = med3f(x, y, z);
	return isnan(r) ? 0x7e00u : f32_to_f16(r);
}
R32(r_m_hmed3, med3h(a, b, a >> 16))
R32(r_m_s16, (uint32_t)(uint16_t)((uint16_t)a >> (b & 15)) |
	((uint32_t)(uint16_t)((int16_t)a >> (b & 15)) << 16))
R32(r_m_s16_mul, (uint32_t)(uint16_t)((uint16_t)a * (uint16_t)b) ^
	((uint32_t)(uint16_t)((int16_t)a > (int16_t)b ? (int16_t)a : (int16_t)b) << 16))
/* V_PERM_B32 from the ISA's byte-select table */
static uint32_t perm_ref(uint32_t s0, uint32_t s1, uint32_t sel)
{
	uint8_t bytes[8];
	for (int i = 0; i < 4; i++) {
		bytes[i] = (uint8_t)(s1 >> (8 * i));
		bytes[4 + i] = (uint8_t)(s0 >> (8 * i));
	}
	uint32_t d = 0;
	for (int i = 0; i < 4; i++) {
		unsigned s = (sel >> (8 * i)) & 0xff;
		uint8_t v = s < 8 ? bytes[s] : s < 12 ? ((bytes[2 * (s - 8) + 1] & 0x80) ? 0xff : 0)
			  : s == 12 ? 0 : 0xff;
		d |= (uint32_t)v << (8 * i);
	}
	return d;
}
R32(r_m_perm, perm_ref(a, b, b ^ (a >> 3)))
R32(r_m_alignbyte, (uint32_t)((((uint64_t)a << 32) | b) >> (8 * ((b >> 7) & 3))))
static void r_m_dpp_shr(void *out, const void *va, const void *vb, uint32_t n)
{
	(void)vb;
	uint32_t *o = out;
	const uint32_t *a = va;
	for (uint32_t i = 0; i < n; i++)
		o[i] = i % 16 ? a[i - 1] : 0;   /* row_shr:1, bound_ctrl: 0 at a row's start */
}
static void r_m_dpp_qperm(void *out, const void *va, const void *vb, uint32_t n)
{
	uint32_t *o = out;
	const uint32_t *a = va, *b = vb;
	for (uint32_t i = 0; i < n; i++)
		o[i] = a[(i & ~3u) | (3 - (i & 3))] + b[(i & ~7u) | (7 - (i & 7))];
}
static void r_m_permlanex16(void *out, const void *va, const void *vb, uint32_t n)
{
	(void)vb;
	uint32_t *o = out;
	const uint32_t *a = va;
	for (uint32_t i = 0; i < n; i++)
		o[i] = a[i ^ 16];
}
/* Lanes of the waves the kernels run in: 32 (gfx1103 and the gfx1035
 * build), 64 for the gfx1035-w64 build (set by the test). */
static uint32_t wave_lanes = 32;

static void r_m_rfl(void *out, const void *va, const void *vb, uint32_t n)
{
	uint32_t *o = out;
	const uint32_t *a = va, *b = vb;
	for (uint32_t i = 0; i < n; i++)
		o[i] = a[i & ~(wave_lanes - 1)] + b[i];
}
RD(r_m_d_div, a / b)
static uint64_t r_m_d_floor(uint64_t a, uint64_t b) { (void)b; return d2u(floor(u2d(a))); }
static uint64_t r_m_d_ceil(uint64_t a, uint64_t b) { (void)b; return d2u(ceil(u2d(a))); }
static uint64_t r_m_d_trunc(uint64_t a, uint64_t b) { (void)b; return d2u(trunc(u2d(a))); }
static uint64_t r_m_d_rint(uint64_t a, uint64_t b) { (void)b; return d2u(rint(u2d(a))); }
static uint64_t r_m_d_ldexp(uint64_t ua, uint64_t ub)
{
	return d2u(ldexp(u2d(ua), (int)(ub & 0x7ffu) - 1024));
}
static uint64_t r_m_d_fract(uint64_t ua, uint64_t ub)
{
	(void)ub;
	double a = u2d(ua);
	if (isnan(a) || isinf(a))
		return 0x7ff8000000000000ull;
	double r = a - floor(a);
	return d2u(r < 0x1.fffffffffffffp-1 ? r : 0x1.fffffffffffffp-1);
}
RL(r_m_l_divu, a / (b | 1))
RL(r_m_l_rems, (sb | 1) == -1 ? 0 : sa % (sb | 1))

/* tests/diff/clc.cl: libclc's builtins against glibc (correctly rounded
 * or within 1 ULP), with the OpenCL 1.2 full-profile ULP bounds in the
 * table; integer and conversion builtins exactly as OpenCL defines them. */
RF(r_c_sin, sinf(a))
RF(r_c_cos, cosf(a))
RF(r_c_tan, tanf(a))
RF(r_c_exp, expf(a))
RF(r_c_exp2, exp2f(a))
RF(r_c_exp10, exp10f(a))
RF(r_c_log, logf(a))
RF(r_c_log2, log2f(a))
RF(r_c_log10, log10f(a))
RF(r_c_pow, powf(a, b))
RF(r_c_cbrt, cbrtf(a))
RF(r_c_tanh, tanhf(a))
RF(r_c_atan, atanf(a))
RF(r_c_atan2, atan2f(a, b))
RF(r_c_asin, asinf(a))
RF(r_c_acos, acosf(a))
RF(r_c_hypot, hypotf(a, b))
RF(r_c_fmod, fmodf(a, b))
RF(r_c_div, a / b)
RF(r_c_sqrt, sqrtf(a))
static uint32_t sat_rte_s16(float f)
{
	if (isnan(f))
		return 0;
	double r = rint(f);   /* nearest even: the host's default mode */
	return (uint16_t)(int16_t)(r < -32768.0 ? -32768.0 : r > 32767.0 ? 32767.0 : r);
}
static uint32_t r_c_cvt_sat(uint32_t ua, uint32_t ub)
{
	return sat_rte_s16(u2f(ua)) | sat_rte_s16(u2f(ub)) << 16;
}
static uint32_t r_c_cvt_uchar(uint32_t a, uint32_t b)
{
	uint32_t r = 0;
	for (int k = 0; k < 4; k++) {
		int8_t x = (int8_t)(a >> (8 * k));
		uint8_t y = (uint8_t)(b >> (8 * k));
		uint32_t u = x < 0 ? 0 : (uint32_t)x, s = y > 127 ? 127 : y;
		r |= (u ^ s) << (8 * k);
	}
	return r;
}
static int32_t sat_i32(double r)
{
	return isnan(r) ? 0 : r <= -2147483648.0 ? INT32_MIN : r >= 2147483647.0 ? INT32_MAX : (int32_t)r;
}
static uint32_t r_c_cvt_rtn(uint32_t ua, uint32_t ub)
{
	return (uint32_t)sat_i32(floor(u2f(ua))) ^ ((uint32_t)sat_i32(ceil(u2f(ub))) << 1);
}
static uint32_t r_c_u8_vec(uint32_t a, uint32_t b)
{
	uint32_t r = 0;
	for (int k = 0; k < 4; k++) {
		uint32_t x = (a >> (8 * k)) & 0xff, y = (b >> (8 * k)) & 0xff;
		int sx = (int8_t)x, sy = (int8_t)y;
		uint32_t add = x + y > 255 ? 255 : x + y;
		uint32_t diff = (uint32_t)(sx > sy ? sx - sy : sy - sx) & 0xff;
		uint32_t rh = (x + y + 1) >> 1;
		r |= ((add ^ diff ^ rh) & 0xff) << (8 * k);
	}
	return r;
}
static uint32_t r_c_s16_vec(uint32_t a, uint32_t b)
{
	uint32_t c = a ^ b, r = 0;
	for (int k = 0; k < 2; k++) {
		int32_t x = (int16_t)(a >> (16 * k)), y = (int16_t)(b >> (16 * k)), z = (int16_t)(c >> (16 * k));
		int32_t m = x * y + z;
		m = m < -32768 ? -32768 : m > 32767 ? 32767 : m;
		uint32_t ux = (a >> (16 * k)) & 0xffff, n = ((b >> (16 * k)) & 0xffff) % 16;
		uint32_t rot = ((ux << n) | (ux >> ((16 - n) % 16))) & 0xffff;
		r |= (((uint32_t)m & 0xffff) ^ rot) << (16 * k);
	}
	return r;
}
static uint32_t r_c_shuffle(uint32_t a, uint32_t b)
{
	uint32_t m = a ^ b, r = 0;
	for (int k = 0; k < 4; k++) {
		uint32_t sel = (m >> (8 * k)) & 7;
		uint32_t v = sel < 4 ? (a >> (8 * sel)) & 0xff : (b >> (8 * (sel - 4))) & 0xff;
		r |= v << (8 * k);
	}
	return r;
}
static uint32_t r_c_clz_pop(uint32_t a, uint32_t b)
{
	uint32_t r = 0;
	for (int k = 0; k < 4; k++) {
		uint32_t x = (a >> (8 * k)) & 0xff, y = (b >> (8 * k)) & 0xff;
		uint32_t clz8 = x ? (uint32_t)__builtin_clz(x) - 24 : 8;
		r |= ((clz8 + (uint32_t)__builtin_popcount(y)) & 0xff) << (8 * k);
	}
	return r;
}
R32(r_c_upsample, (((a >> 16) << 16) | (b & 0xffff)) ^ (uint32_t)(((int64_t)sa * sb) >> 32))
#define RD1(name, expr) \
	static uint64_t name(uint64_t ua, uint64_t ub) \
	{ double a = u2d(ua); (void)ub; return d2u((double)(expr)); }
RD1(r_c_d_sin, sin(a))
RD1(r_c_d_exp, exp(a))
RD1(r_c_d_log, log(a))
RD(r_c_d_pow, pow(a, b))
RD1(r_c_d_sqrt, sqrt(a))
RD(r_c_d_div, a / b)
RD1(r_c_d_tanh, tanh(a))
RD(r_c_d_atan2, atan2(a, b))
RD1(r_c_d_cbrt, cbrt(a))

/* tests/diff/ftz.cl (-cl-denorms-are-zero, FLOAT_MODE 0xc0): f32
 * denormal inputs and results are signed zeros; f64 keeps them. */
static float ftz(float f) { return fabsf(f) < 0x1p-126f ? copysignf(0.0f, f) : f; }
RF(r_z_add, ftz(ftz(a) + ftz(b)))
RF(r_z_mul, ftz(ftz(a) * ftz(b)))
RF(r_z_fma, ftz(fmaf(ftz(a), ftz(b), ftz(a))))
RF(r_z_div, ftz(ftz(a) / ftz(b)))
RF(r_z_sqrt, ftz(sqrtf(ftz(a))))
RF(r_z_min, fmin_cl(ftz(a), ftz(b)))
RD(r_z_d_mul, a * b)

/* tests/diff/wave64.cl: wave64, rows of 16 lanes, banks of 4 within a row */
static void r_w_dpp_rowmask(void *out, const void *va, const void *vb, uint32_t n)
{
	uint32_t *o = out;
	const uint32_t *a = va, *b = vb;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t row = (i % 64) / 16;
		bool written = ((0x5u >> row) & 1) && i % 16 != 0;   /* row_shr:1, no bound_ctrl */
		o[i] = written ? a[i - 1] : 0x5555u ^ b[i];
	}
}
static void r_w_dpp_bank(void *out, const void *va, const void *vb, uint32_t n)
{
	uint32_t *o = out;
	const uint32_t *a = va, *b = vb;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t bank = (i / 4) % 4, base = i & ~15u;
		o[i] = ((0x6u >> bank) & 1) ? a[base + (i % 16 + 15) % 16] : 0x7777u ^ b[i];
	}
}
static void r_w_permlane64(void *out, const void *va, const void *vb, uint32_t n)
{
	(void)vb;
	uint32_t *o = out;
	const uint32_t *a = va;
	for (uint32_t i = 0; i < n; i++)
		o[i] = a[i ^ 32];
}
static void r_w_rfl(void *out, const void *va, const void *vb, uint32_t n)
{
	uint32_t *o = out;
	const uint32_t *a = va, *b = vb;
	for (uint32_t i = 0; i < n; i++)
		o[i] = a[i & ~63u] ^ b[i];
}

/* tests/diff/math2.cl: references from the RDNA3 ISA's definitions */
static uint32_t r_m2_udot4(uint32_t a, uint32_t b)
{
	uint32_t s = a ^ b;
	for (int k = 0; k < 4; k++)
		s += ((a >> (8 * k)) & 0xff) * ((b >> (8 * k)) & 0xff);
	return s;
}
static uint32_t r_m2_sudot4(uint32_t a, uint32_t b)
{
	int64_t s = (int32_t)a;
	for (int k = 0; k < 4; k++)
		s += (int64_t)(int8_t)(a >> (8 * k)) * (int64_t)((b >> (8 * k)) & 0xff);
	return (uint32_t)s;
}
/* the two f16 products are exact; their sum with the f32 accumulator is
 * rounded once (1 ULP allowed in the table) */
static uint32_t r_m2_fdot2(uint32_t a, uint32_t b)
{
	double s = h2d(a) * h2d(b) + h2d(a >> 16) * h2d(b >> 16) + (double)u2f(a);
	return f2u((float)s);
}
static uint32_t norm_ref(float f, bool sgn)
{
	if (isnan(f))
		return 0;
	double c = sgn ? (f < -1 ? -1 : f > 1 ? 1 : f) : (f < 0 ? 0 : f > 1 ? 1 : f);
	return (uint16_t)(int32_t)rint(c * (sgn ? 32767.0 : 65535.0));
}
static uint32_t r_m2_pknorm(uint32_t a, uint32_t b)
{
	return (norm_ref(u2f(a), true) | norm_ref(u2f(b), true) << 16) ^
	       (norm_ref(u2f(b), false) | norm_ref(u2f(a), false) << 16);
}
static uint32_t r_m2_pk16(uint32_t a, uint32_t b)
{
	uint32_t u = (a > 0xffff ? 0xffff : a) | (b > 0xffff ? 0xffff : b) << 16;
	int32_t sb = (int32_t)b, sa = (int32_t)a;
	uint32_t lo = (uint16_t)(sb < -32768 ? -32768 : sb > 32767 ? 32767 : sb);
	uint32_t hi = (uint16_t)(sa < -32768 ? -32768 : sa > 32767 ? 32767 : sa);
	return u ^ (lo | hi << 16);
}
static uint32_t sad8(uint32_t a, uint32_t b, bool masked)
{
	uint32_t s = 0;
	for (int k = 0; k < 4; k++) {
		int x = (a >> (8 * k)) & 0xff, y = (b >> (8 * k)) & 0xff;
		if (!masked || y)
			s += (uint32_t)abs(x - y);
	}
	return s;
}
static uint32_t r_m2_sad(uint32_t a, uint32_t b)
{
	uint32_t lerp = 0;
	for (int k = 0; k < 4; k++)
		lerp |= ((((a >> (8 * k)) & 0xff) + ((b >> (8 * k)) & 0xff) + ((a >> (8 * k)) & 1)) >> 1)
			<< (8 * k);
	return (sad8(a, b, false) + 3) ^ (sad8(a, b, true) + 7) ^ lerp;
}
static uint32_t r_m2_sad2(uint32_t a, uint32_t b)
{
	uint32_t s16 = (uint32_t)abs((int)(a & 0xffff) - (int)(b & 0xffff)) +
		       (uint32_t)abs((int)(a >> 16) - (int)(b >> 16));
	return ((sad8(a, b, false) << 16) + 3) ^ (s16 + 5);
}
static void r_m2_permlane16(void *out, const void *va, const void *vb, uint32_t n)
{
	(void)vb;
	uint32_t *o = out;
	const uint32_t *a = va;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t l = i & 15;
		o[i] = a[(i & ~15u) + (l < 8 ? 7 - l : 23 - l)];
	}
}
static uint32_t nan16q(uint32_t h) { return (h & 0xffff) | 0x200; }
static bool isnan16(uint32_t h) { return (h & 0x7fff) > 0x7c00; }
static uint32_t r_m2_h_rcp_sqrt(uint32_t a, uint32_t b)
{
	uint32_t r = isnan16(a) ? nan16q(a) : f64_to_f16(1.0 / h2d(a));
	uint32_t q = isnan16(b) ? nan16q(b) : f64_to_f16(sqrt(h2d(b)));
	return r | q << 16;
}
static uint32_t r_m2_h_fract(uint32_t a, uint32_t b)
{
	double x = h2d(a), y = h2d(b);
	uint32_t f;
	if (isnan(x) || isinf(x))
		f = 0x7e00;
	else {
		uint32_t h = f64_to_f16(x - floor(x));
		f = h > 0x3bff && !(h & 0x8000) ? 0x3bff : h;
	}
	int e;
	uint32_t m = isnan16(b) ? nan16q(b) : isinf(y) ? (b & 0xffff) : f64_to_f16(frexp(y, &e));
	return f | m << 16;
}
static uint32_t r_m2_h_rsq(uint32_t a, uint32_t b)
{
	(void)b;
	return isnan16(a) ? nan16q(a) : f64_to_f16(1.0 / sqrt(h2d(a)));
}
static uint32_t r_m2_s16x2(uint32_t a, uint32_t b)
{
	uint32_t mx = 0, sh = 0;
	for (int k = 0; k < 2; k++) {
		int16_t x = (int16_t)(a >> (16 * k)), y = (int16_t)(b >> (16 * k));
		mx |= (uint32_t)(uint16_t)(x > y ? x : y) << (16 * k);
		uint32_t ux = (a >> (16 * k)) & 0xffff, n = (b >> (16 * k)) & 15;
		sh |= ((ux << n) & 0xffff) << (16 * k);
	}
	return mx + sh;
}

static void r_m2_v3dpp(void *out, const void *va, const void *vb, uint32_t n)
{
	uint32_t *o = out;
	const uint32_t *a = va, *b = vb;
	for (uint32_t i = 0; i < n; i++)   /* row_shr:1, bound_ctrl: 0 at a row's start */
		o[i] = (i % 16 ? a[i - 1] : 0) + (b[i] >> 3) + (a[i] ^ b[i]);
}
static void r_m2_dpp_mods(void *out, const void *va, const void *vb, uint32_t n)
{
	uint32_t *o = out;
	const uint32_t *a = va, *b = vb;
	for (uint32_t i = 0; i < n; i++)   /* row_half_mirror */
		o[i] = f2u(-fabsf(u2f(a[(i & ~7u) | (7 - (i & 7))])) * u2f(b[i]));
}

/* four byte-SADs of s1 against s0's bytes i..i+3, each plus s2's 16-bit
 * lane i, kept to 16 bits (no clamp) */
static uint64_t qsad_ref(uint64_t s0, uint32_t s1, uint64_t s2, bool masked)
{
	uint64_t d = 0;
	for (int i = 0; i < 4; i++) {
		uint32_t sum = (uint32_t)(s2 >> (16 * i)) & 0xffff;
		for (int j = 0; j < 4; j++) {
			int x = (int)((s0 >> (8 * (i + j))) & 0xff), y = (int)((s1 >> (8 * j)) & 0xff);
			if (!masked || y)
				sum += (uint32_t)abs(x - y);
		}
		d |= (uint64_t)(sum & 0xffff) << (16 * i);
	}
	return d;
}
static uint64_t r_m2_qsad(uint64_t a, uint64_t b)
{
	return qsad_ref(a, (uint32_t)b, a ^ b, false) ^ qsad_ref(b, (uint32_t)(a >> 32), a, true);
}

/* v_wmma_i32_16x16x16_iu8: D = A * B, A signed and B unsigned bytes,
 * 16x16 row-major */
static void r_w_iu8(void *out, const void *va, const void *vb, uint32_t n)
{
	(void)n;
	int32_t *o = out;
	const uint8_t *a = va, *b = vb;
	for (int r = 0; r < 16; r++)
		for (int c = 0; c < 16; c++) {
			int32_t s = 0;
			for (int k = 0; k < 16; k++)
				s += (int8_t)a[r * 16 + k] * (int32_t)b[k * 16 + c];
			o[r * 16 + c] = s;
		}
}

/* tests/diff/alu3.cl: x, y the packed operands the kernel builds from a
 * and b, r0 = x ^ y the destination's value before.  The references sum
 * in binary128 (__float128: every f16 product and sum of three is exact
 * there) and round once with the compiler's conversion to _Float16, or
 * by hand to bf16 (nearest even). */
static uint32_t a3_x(uint32_t a, uint32_t b) { return (a & 0xffffu) | b << 16; }
static uint32_t a3_y(uint32_t a, uint32_t b) { return (b & 0xffffu) | (a ^ 0x8000u) << 16; }
static __float128 q_h(uint32_t h) { return (__float128)f16_to_f32((uint16_t)h); }
static __float128 q_bf(uint32_t h) { return (__float128)bf16_to_f32((uint16_t)h); }
static uint32_t q_to_f16(__float128 q)
{
	_Float16 h = (_Float16)q;
	uint16_t u;
	memcpy(&u, &h, 2);
	return u;
}
static uint32_t q_to_bf16(__float128 q)
{
	if (q != q)
		return 0x7fc0u;
	if (q == 0)
		return q < 0 || (f2u((float)q) >> 31) ? 0x8000u : 0;
	__float128 m = q < 0 ? -q : q;
	if (m > (__float128)0x1p200)
		return q < 0 ? 0xff80u : 0x7f80u;
	int e = ilogb((double)m);
	while (m >= (__float128)ldexp(1.0, e + 1)) e++;
	while (m < (__float128)ldexp(1.0, e)) e--;
	int qe = (e < -126 ? -126 : e) - 7;
	__float128 big = (__float128)0x1p112;
	__float128 k = (m * (__float128)ldexp(1.0, -qe) + big) - big;   /* nearest even */
	double r = (double)(k * (__float128)ldexp(1.0, qe));
	uint32_t sign = q < 0 ? 0x8000u : 0;
	if (r > 0x1.fep127)
		return sign | 0x7f80u;
	return sign | f2u((float)r) >> 16;
}
static uint32_t dot2h(uint32_t x, uint32_t y, uint32_t c)
{
	return q_to_f16(q_h(x) * q_h(y) + q_h(x >> 16) * q_h(y >> 16) + q_h(c));
}
static uint32_t dot2bf(uint32_t x, uint32_t y, uint32_t c)
{
	return q_to_bf16(q_bf(x & 0xffff) * q_bf(y & 0xffff) + q_bf(x >> 16) * q_bf(y >> 16) +
			 q_bf(c & 0xffff));
}
static uint32_t r_a3_hdot2(uint32_t a, uint32_t b) { return dot2h(a3_x(a, b), a3_y(a, b), a); }
static uint32_t r_a3_hdot2_sel(uint32_t a, uint32_t b)
{
	uint32_t x = a3_x(a, b), y = a3_y(a, b);
	return ((x ^ y) & 0xffffu) | dot2h(x, y, y >> 16) << 16;
}
static uint32_t r_a3_hdot2_mods(uint32_t a, uint32_t b)
{
	uint32_t x = a3_x(a, b), y = a3_y(a, b);
	return ((x ^ y) & 0xffff0000u) | dot2h(x ^ 0x80008000u, y, a & 0x7fffu);
}
static uint32_t r_a3_bdot2(uint32_t a, uint32_t b) { return dot2bf(a3_x(a, b), a3_y(a, b), a); }
static uint32_t r_a3_bdot2_sel(uint32_t a, uint32_t b)
{
	uint32_t x = a3_x(a, b), y = a3_y(a, b);
	return ((x ^ y) & 0xffffu) | dot2bf(x, y ^ 0x80008000u, y >> 16) << 16;
}
static uint32_t r_a3_pkfmac(uint32_t a, uint32_t b)
{
	uint32_t x = a3_x(a, b), y = a3_y(a, b), d = x ^ y;
	return q_to_f16(q_h(x) * q_h(y) + q_h(d)) |
	       q_to_f16(q_h(x >> 16) * q_h(y >> 16) + q_h(d >> 16)) << 16;
}
/* RDNA3 ISA V_MULLIT_F32: -MAX_FLOAT for S1 -MAX_FLOAT, -inf or NaN, or
 * S2 <= 0 or NaN; else S0 * S1 with 0 * anything = +0 */
static uint32_t r_a3_mullit(uint32_t a, uint32_t b)
{
	float s0 = u2f(a), s1 = u2f(b), s2 = u2f(a ^ b);
	if (s1 == -0x1.fffffep127f || s1 == -INFINITY || isnan(s1) || s2 <= 0 || isnan(s2))
		return 0xff7fffffu;
	if (s0 == 0 || s1 == 0)
		return 0;
	return f2u(s0 * s1);
}
/* RDNA3 ISA V_MQSAD_U32_U8: D[i] = S2[i] + sum over the bytes j of S1 that
 * are not 0 of |S0.byte(i + j) - S1.byte(j)| */
static uint64_t a3_mqsad(uint64_t s0, uint32_t s1, const uint32_t *s2, bool clamp)
{
	uint32_t d[4];
	for (int i = 0; i < 4; i++) {
		uint64_t sum = s2[i];
		for (int j = 0; j < 4; j++) {
			int x = (int)((s0 >> (8 * (i + j))) & 0xff), y = (int)((s1 >> (8 * j)) & 0xff);
			if (y)
				sum += (uint64_t)abs(x - y);
		}
		d[i] = clamp && sum > 0xffffffffu ? 0xffffffffu : (uint32_t)sum;
	}
	return ((uint64_t)(d[0] ^ (d[1] << 8) ^ (d[1] >> 24)) << 32 |
		(d[2] ^ (d[3] << 16) ^ (d[3] >> 16))) + ((uint64_t)d[1] << 7);
}
static uint64_t r_a3_mqsad(uint64_t a, uint64_t b)
{
	uint32_t s2[4] = {(uint32_t)b, (uint32_t)(b >> 32), (uint32_t)a, 0xfffffff0u};
	return a3_mqsad(a, (uint32_t)(b >> 7), s2, false);
}
static uint64_t r_a3_mqsad_clamp(uint64_t a, uint64_t b)
{
	uint32_t s2[4] = {0xffffff00u | (uint32_t)b, (uint32_t)(b >> 32), 0xffffffffu, (uint32_t)a};
	return a3_mqsad(a, (uint32_t)(b >> 3), s2, true);
}
/* WMMA with 16-bit results: low half D = A * B, high half A * B + D (the
 * inputs are small integers: every value is exact in f16 and bf16) */
static void a3_wmma16(void *out, const uint16_t *a, const uint16_t *b, bool bf16)
{
	uint32_t *o = out;
	for (int r = 0; r < 16; r++)
		for (int c = 0; c < 16; c++) {
			float s = 0;
			for (int k = 0; k < 16; k++) {
				float x = bf16 ? bf16_to_f32(a[r * 16 + k]) : f16_to_f32(a[r * 16 + k]);
				float y = bf16 ? bf16_to_f32(b[k * 16 + c]) : f16_to_f32(b[k * 16 + c]);
				s += x * y;
			}
			uint32_t lo = bf16 ? f2u(s) >> 16 : f32_to_f16(s);
			uint32_t hi = bf16 ? f2u(2 * s) >> 16 : f32_to_f16(2 * s);
			o[r * 16 + c] = lo | hi << 16;
		}
}
static void r_a3_w_f16f16(void *out, const void *a, const void *b, uint32_t n)
{
	(void)n;
	a3_wmma16(out, a, b, false);
}
static void r_a3_w_bf16bf16(void *out, const void *a, const void *b, uint32_t n)
{
	(void)n;
	a3_wmma16(out, a, b, true);
}

/* VOP3P-DPP (alu3.cl): src0 comes from lane i ^ 1, i - 1 in its row of 16
 * (0 for the row's first lane: bound_ctrl), or i ^ 7. */
static void r_a3_mix_dpp(void *out, const void *va, const void *vb, uint32_t n)
{
	const uint32_t *a = va, *b = vb;
	uint32_t *o = out;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t j = i ^ 1u, xs = a3_x(a[j], b[j]), y = a3_y(a[i], b[i]);
		o[i] = f2u(fmaf(f16_to_f32((uint16_t)xs), f16_to_f32((uint16_t)y), u2f(y)));
	}
}
static void r_a3_dot2_dpp(void *out, const void *va, const void *vb, uint32_t n)
{
	const uint32_t *a = va, *b = vb;
	uint32_t *o = out;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t xs = i % 16 ? a3_x(a[i - 1], b[i - 1]) : 0, y = a3_y(a[i], b[i]);
		o[i] = f2u((float)(q_h(xs) * q_h(y) + q_h(xs >> 16) * q_h(y >> 16) + (__float128)u2f(y)));
	}
}
static void r_a3_mixlo_dpp8(void *out, const void *va, const void *vb, uint32_t n)
{
	const uint32_t *a = va, *b = vb;
	uint32_t *o = out;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t j = i ^ 7u, xs = a3_x(a[j], b[j]), x = a3_x(a[i], b[i]), y = a3_y(a[i], b[i]);
		o[i] = ((x ^ y) & 0xffff0000u) | q_to_f16(q_h(xs) * q_h(y) + q_h(a[i]));
	}
}

/* ---- the table -------------------------------------------------------------- */

/* F32_FTZ: as F32_NAN, and a zero of the right sign where the reference
 * is an f32 denormal, an infinity of the right sign where it is above
 * 2^126 (the reciprocal of a denormal): v_rcp_f32 flushes denormals, which
 * LLVM's constant folder does not model ("more precise than the
 * instruction", AMDGPUInstCombineIntrinsic.cpp) */
/* BF16X2_NAN: as F16X2_NAN for two bf16 results */
enum cmp { EXACT, F32_NAN, F16_NAN, F64_NAN, F16X2_NAN, F32_FTZ, BF16X2_NAN };

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
	const char *fold;    /* the reference is this kernel's output (tests/diff/fold.cl) */
};

#define M32(co, k, dom, cmp, ulp) {co, #k, dom, 512, 64, r_##k, NULL, NULL, cmp, ulp, NULL}
#define M64(co, k, dom, cmp) {co, #k, dom, 256, 64, NULL, r_##k, NULL, cmp, 0, NULL}
#define M64U(co, k, dom, cmp, ulp) {co, #k, dom, 256, 64, NULL, r_##k, NULL, cmp, ulp, NULL}
#define ALL(co, k, dom, n, block) {co, #k, dom, n, block, NULL, NULL, r_##k, EXACT, 0, NULL}
/* The wave64 build of a kernel (private64.cl): name + "64", same reference. */
#define M32_64(co, k) {co, #k "64", D_I32, 512, 64, r_##k, NULL, NULL, EXACT, 0, NULL}
#define ALL_64(co, k) {co, #k "64", D_I32, 512, 64, NULL, NULL, r_##k, EXACT, 0, NULL}
/* A constant-folder pair (fold.cl): <k>_rt run against <k>_k's output. */
#define FOLD32(k, cmp) {"fold", #k "_rt", D_I32, 64, 64, NULL, NULL, NULL, cmp, 0, #k "_k"}
#define FOLD64(k, cmp) {"fold", #k "_rt", D_I64, 64, 64, NULL, NULL, NULL, cmp, 0, #k "_k"}

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
	ALL("wmma", w_iu8, D_I32, 256, 32),
	ALL("private", p_index, D_I32, 512, 64),
	M32("private", p_sort, D_I32, EXACT, 0),
	M32("private", p_bytes, D_I32, EXACT, 0),
	M32("private", p_wide, D_I32, EXACT, 0),
	M32("private", p_histogram, D_I32, EXACT, 0),
	M32("private", p_generic, D_I32, EXACT, 0),
	ALL("private", p_generic_local, D_I32, 512, 64),
	M32("math", m_fdiv, D_F32, F32_NAN, 2),
	M32("math", m_exp2, D_F32, F32_NAN, 2),
	M32("math", m_log2, D_F32, F32_NAN, 2),
	M32("math", m_frexp, D_F32, EXACT, 0),
	M32("math", m_ldexp, D_F32, F32_NAN, 0),
	M32("math", m_fract, D_F32, F32_NAN, 0),
	M32("math", m_fmed3, D_F32, F32_NAN, 0),
	M32("math", m_med3_i, D_I32, EXACT, 0),
	M32("math", m_med3_u, D_I32, EXACT, 0),
	M32("math", m_h_fma, D_I32, F16_NAN, 0),
	M32("math", m_h_minmax, D_I32, F16X2_NAN, 0),
	M32("math", m_h_pk, D_I32, F16X2_NAN, 0),
	M32("math", m_hmed3, D_I32, F16_NAN, 0),
	M32("math", m_s16, D_I32, EXACT, 0),
	M32("math", m_s16_mul, D_I32, EXACT, 0),
	M32("math", m_perm, D_I32, EXACT, 0),
	M32("math", m_alignbyte, D_I32, EXACT, 0),
	ALL("math", m_dpp_shr, D_I32, 512, 64),
	ALL("math", m_dpp_qperm, D_I32, 512, 64),
	ALL("math", m_permlanex16, D_I32, 512, 64),
	ALL("math", m_rfl, D_I32, 512, 64),
	M64("math", m_d_div, D_F64, F64_NAN),
	M64("math", m_d_floor, D_F64, F64_NAN),
	M64("math", m_d_ceil, D_F64, F64_NAN),
	M64("math", m_d_trunc, D_F64, F64_NAN),
	M64("math", m_d_rint, D_F64, F64_NAN),
	M64("math", m_d_ldexp, D_F64, F64_NAN),
	M64("math", m_d_fract, D_F64, F64_NAN),
	M64("math", m_l_divu, D_I64, EXACT),
	M64("math", m_l_rems, D_I64, EXACT),
	M32("clc", c_sin, D_F32, F32_NAN, 4),
	M32("clc", c_cos, D_F32, F32_NAN, 4),
	M32("clc", c_tan, D_F32, F32_NAN, 5),
	/* libclc's exp/exp2/fmod return 0 where the result is an f32
	 * denormal (exp2 compares x with -126 and selects 0): F32_FTZ */
	M32("clc", c_exp, D_F32, F32_FTZ, 3),
	M32("clc", c_exp2, D_F32, F32_FTZ, 3),
	M32("clc", c_exp10, D_F32, F32_NAN, 3),
	M32("clc", c_log, D_F32, F32_NAN, 3),
	M32("clc", c_log2, D_F32, F32_NAN, 3),
	M32("clc", c_log10, D_F32, F32_NAN, 3),
	M32("clc", c_pow, D_F32, F32_NAN, 16),
	M32("clc", c_cbrt, D_F32, F32_NAN, 2),
	M32("clc", c_tanh, D_F32, F32_NAN, 5),
	M32("clc", c_atan, D_F32, F32_NAN, 5),
	M32("clc", c_atan2, D_F32, F32_NAN, 6),
	M32("clc", c_asin, D_F32, F32_NAN, 4),
	M32("clc", c_acos, D_F32, F32_NAN, 4),
	M32("clc", c_hypot, D_F32, F32_NAN, 4),
	M32("clc", c_fmod, D_F32, F32_FTZ, 0),
	M32("clc", c_div, D_F32, F32_NAN, 3),
	M32("clc", c_sqrt, D_F32, F32_NAN, 3),
	M32("clc", c_cvt_sat, D_F32, EXACT, 0),
	M32("clc", c_cvt_uchar, D_I32, EXACT, 0),
	M32("clc", c_cvt_rtn, D_F32, EXACT, 0),
	M32("clc", c_u8_vec, D_I32, EXACT, 0),
	M32("clc", c_s16_vec, D_I32, EXACT, 0),
	M32("clc", c_shuffle, D_I32, EXACT, 0),
	M32("clc", c_clz_pop, D_I32, EXACT, 0),
	M32("clc", c_upsample, D_I32, EXACT, 0),
	M64U("clc", c_d_sin, D_F64, F64_NAN, 4),
	M64U("clc", c_d_exp, D_F64, F64_NAN, 3),
	M64U("clc", c_d_log, D_F64, F64_NAN, 3),
	M64U("clc", c_d_pow, D_F64, F64_NAN, 16),
	M64U("clc", c_d_sqrt, D_F64, F64_NAN, 0),
	M64U("clc", c_d_div, D_F64, F64_NAN, 0),
	M64U("clc", c_d_tanh, D_F64, F64_NAN, 5),
	M64U("clc", c_d_atan2, D_F64, F64_NAN, 6),
	M64U("clc", c_d_cbrt, D_F64, F64_NAN, 2),
	M32("ftz", z_add, D_F32, F32_NAN, 0),
	M32("ftz", z_mul, D_F32, F32_NAN, 0),
	M32("ftz", z_fma, D_F32, F32_NAN, 0),
	M32("ftz", z_div, D_F32, F32_NAN, 2),
	M32("ftz", z_sqrt, D_F32, F32_NAN, 1),
	M32("ftz", z_min, D_F32, F32_NAN, 0),
	M64("ftz", z_d_mul, D_F64, F64_NAN),
	ALL("wave64", w_dpp_rowmask, D_I32, 512, 64),
	ALL("wave64", w_dpp_bank, D_I32, 512, 64),
	ALL("wave64", w_permlane64, D_I32, 512, 64),
	ALL("wave64", w_rfl, D_I32, 512, 64),
	M32("math2", m2_udot4, D_I32, EXACT, 0),
	M32("math2", m2_sudot4, D_I32, EXACT, 0),
	M32("math2", m2_fdot2, D_I32, F32_NAN, 1),
	M32("math2", m2_pknorm, D_F32, EXACT, 0),
	M32("math2", m2_pk16, D_I32, EXACT, 0),
	M32("math2", m2_sad, D_I32, EXACT, 0),
	M32("math2", m2_sad2, D_I32, EXACT, 0),
	ALL("math2", m2_permlane16, D_I32, 512, 64),
	M32("math2", m2_h_rcp_sqrt, D_I32, F16X2_NAN, 0),
	M32("math2", m2_h_fract, D_I32, F16X2_NAN, 0),
	M32("math2", m2_h_rsq, D_I32, F16_NAN, 0),
	M32("math2", m2_s16x2, D_I32, EXACT, 0),
	ALL("math2", m2_v3dpp, D_I32, 512, 64),
	M64("math2", m2_qsad, D_I64, EXACT),
	{"math2", "m2_dpp_mods", D_F32, 512, 64, NULL, NULL, r_m2_dpp_mods, F32_NAN, 0, NULL},
	M32("alu3", a3_hdot2, D_F16, F16X2_NAN, 0),
	M32("alu3", a3_hdot2_sel, D_F16, F16X2_NAN, 0),
	M32("alu3", a3_hdot2_mods, D_F16, F16X2_NAN, 0),
	M32("alu3", a3_bdot2, D_F16, BF16X2_NAN, 0),
	M32("alu3", a3_bdot2_sel, D_I32, BF16X2_NAN, 0),
	M32("alu3", a3_pkfmac, D_F16, F16X2_NAN, 0),
	M32("alu3", a3_mullit, D_F32, F32_NAN, 0),
	M64("alu3", a3_mqsad, D_I64, EXACT),
	M64("alu3", a3_mqsad_clamp, D_I64, EXACT),
	ALL("alu3", a3_w_f16f16, D_WMMA_F16, 256, 32),
	ALL("alu3", a3_w_bf16bf16, D_WMMA_BF16, 256, 32),
	{"alu3", "a3_mix_dpp", D_F16, 512, 64, NULL, NULL, r_a3_mix_dpp, F32_NAN, 0, NULL},
	/* v_dot2_f32_f16 sums in double, then rounds to f32 (1 ULP, as m2_fdot2) */
	{"alu3", "a3_dot2_dpp", D_F16, 512, 64, NULL, NULL, r_a3_dot2_dpp, F32_NAN, 1, NULL},
	{"alu3", "a3_mixlo_dpp8", D_F16, 512, 64, NULL, NULL, r_a3_mixlo_dpp8, F16X2_NAN, 0, NULL},
	FOLD32(fd_fract, F32_NAN),
	FOLD32(fd_frexp_mant, F32_NAN),
	FOLD32(fd_frexp_exp, EXACT),
	FOLD32(fd_ldexp, F32_NAN),
	FOLD32(fd_fmed3, F32_NAN),
	FOLD32(fd_pkrtz, EXACT),
	FOLD32(fd_class, EXACT),
	FOLD32(fd_sin, F32_FTZ),
	FOLD32(fd_cos, F32_FTZ),
	FOLD32(fd_rcp, F32_FTZ),
	FOLD32(fd_exp2, F32_FTZ),
	FOLD32(fd_log, F32_FTZ),
	FOLD32(fd_perm, EXACT),
	FOLD32(fd_ubfe, EXACT),
	FOLD32(fd_cubeid, F32_NAN),
	FOLD32(fd_cubesc, F32_NAN),
	FOLD32(fd_cubetc, F32_NAN),
	FOLD32(fd_cubema, F32_NAN),
	FOLD64(fd_d_fract, F64_NAN),
	FOLD64(fd_d_frexp_mant, F64_NAN),
	FOLD64(fd_d_frexp_exp, EXACT),
	FOLD64(fd_d_ldexp, F64_NAN),
	FOLD64(fd_d_trig_preop, EXACT),
	FOLD64(fd_d_class, EXACT),
	FOLD64(fd_d_rcp, F64_NAN),
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

static uint64_t ulp_distance64(uint64_t x, uint64_t y)
{
	/* sign-magnitude to a signed order; |difference| saturates */
	__int128 a = (x >> 63) ? -(__int128)(x & ~(1ull << 63)) : (__int128)x;
	__int128 b = (y >> 63) ? -(__int128)(y & ~(1ull << 63)) : (__int128)y;
	__int128 d = a > b ? a - b : b - a;
	return d > (__int128)UINT64_MAX ? UINT64_MAX : (uint64_t)d;
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
	if (k->cmp == BF16X2_NAN) {
		bool ok = true;
		for (int h = 0; h < 2; h++) {
			uint32_t g = (uint32_t)(got >> (16 * h)) & 0xffff, wv = (uint32_t)(want >> (16 * h)) & 0xffff;
			ok = ok && (g == wv || ((g & 0x7f80u) == 0x7f80u && (g & 0x7f) &&
						(wv & 0x7f80u) == 0x7f80u && (wv & 0x7f)));
		}
		return ok;
	}
	if (k->cmp == F32_FTZ) {
		uint32_t g = (uint32_t)got, wv = (uint32_t)want;
		if (is_nan_bits(F32_NAN, g) && is_nan_bits(F32_NAN, wv))
			return true;
		bool same_sign = (g >> 31) == (wv >> 31);
		if ((wv & 0x7f800000u) == 0 && (g & 0x7fffffffu) == 0 && same_sign)
			return true;   /* denormal reference, flushed result */
		if (k->ulp && !is_nan_bits(F32_NAN, g) && !is_nan_bits(F32_NAN, wv) &&
		    ulp_distance(g, wv) <= k->ulp)
			return true;
		return (g & 0x7fffffffu) == 0x7f800000u && (wv & 0x7fffffffu) > 0x7e800000u &&
		       same_sign;     /* reciprocal of a flushed denormal */
	}
	if (is_nan_bits(k->cmp, got) && is_nan_bits(k->cmp, want))
		return true;
	if (k->ulp && k->cmp == F32_NAN && !is_nan_bits(k->cmp, got) && !is_nan_bits(k->cmp, want))
		return ulp_distance((uint32_t)got, (uint32_t)want) <= k->ulp;
	if (k->ulp && k->cmp == F64_NAN && !is_nan_bits(k->cmp, got) && !is_nan_bits(k->cmp, want))
		return ulp_distance64(got, want) <= k->ulp;
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
	/* AMDBARE_DIFF_TARGET=gfx1035 or gfx1035-w64: the same kernels built
	 * for gfx10.3 (tests/diff/rebuild.sh) on the 680m profile, in wave32
	 * or wave64; gfx902, gfx906, gfx90c: the gfx9 builds (wave64) on
	 * raven, mi50 and cezanne; unset: the gfx1103 build on the 780m. */
	const char *target = getenv("AMDBARE_DIFF_TARGET");
	bool gfx103 = target && *target;
	char path[4096];
	const char *top = getenv("AMDBARE_TOP");
	if (gfx103) {
		snprintf(path, sizeof(path), "%s/tests/diff/%s/%s.co", top ? top : ".", target, k->co);
		FILE *fp = fopen(path, "rb");
		if (!fp)
			cr_skip_test("%s: tests/diff/%s.cl is not built for %s (no %s: a gfx11-only "
				     "builtin, or a wave64-only source)", k->name, k->co, target, path);
		fclose(fp);
	} else {
		snprintf(path, sizeof(path), "%s/tests/diff/%s.co", top ? top : ".", k->co);
	}
	const char *profile = "780m";
	if (gfx103) {
		profile = !strcmp(target, "gfx902") ? "raven" : !strcmp(target, "gfx906") ? "mi50"
			: !strcmp(target, "gfx90c") ? "cezanne" : "680m";
		if (strstr(target, "-w64") || strcmp(profile, "680m"))
			wave_lanes = 64;
		gcn_permute = strcmp(profile, "680m") != 0;
	}
	/* AMDBARE_DIFF_EVERY=n: only every n-th kernel (a subset for make
	 * check on the second generation) */
	const char *every = getenv("AMDBARE_DIFF_EVERY");
	if (every && atoi(every) > 1 && *index % (uint32_t)atoi(every) != 0)
		cr_skip_test("%s: not in the every-%s subset", k->name, every);
	/* clang-19's gfx9 code for abs_diff(char4) computes bytes 1 and 3 as
	 * a - b with no select (v_sub_u16_sdwa, while bytes 0 and 2 and every
	 * byte on gfx1035/gfx1103 compare and select): the vgpu runs that code
	 * as written and gets a - b, not |a - b| (a miscompile, not a vgpu
	 * mismatch; tests/diff/clc.cl c_u8_vec) */
	if (strcmp(profile, "780m") && strcmp(profile, "680m") && !strcmp(k->name, "c_u8_vec"))
		cr_skip_test("%s on %s: clang-19's gfx9 code leaves the absolute value out of "
			     "abs_diff(char4)'s bytes 1 and 3 (v_sub_u16_sdwa without a select)",
			     k->name, target);
	vgpu_test_use_profile(profile, NULL);
	amdbare_device *dev = NULL;
	cr_assert_eq(amdbare_device_open(0, &dev), 0, "open: %s", amdbare_last_error());

	amdbare_codeobj *co = NULL;
	cr_assert_eq(amdbare_codeobj_load_file(path, &co), 0, "load %s: %s", path,
		     amdbare_last_error());
	const amdbare_kernel_info *ki = NULL;
	if (gfx103 && amdbare_codeobj_find_kernel(co, k->name, &ki) != 0) {
		amdbare_codeobj_free(co);
		amdbare_device_close(dev);
		vgpu_test_cleanup();
		cr_skip_test("%s: a kernel the %s build of %s.cl leaves out (a builtin that target lacks)", k->name,
			     target, k->co);
	}
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
	if (k->fold) {
		/* the folded kernel's stores are the reference */
		const amdbare_kernel_info *kf = NULL;
		cr_assert_eq(amdbare_codeobj_find_kernel(co, k->fold, &kf), 0, "%s", amdbare_last_error());
		void *pf;
		amdbare_bo *bf = make_bo(dev, &pf);
		memcpy(pf, want, BUF_BYTES);
		amdbare_karg fargs[3] = {amdbare_karg_buffer(bf, 0), amdbare_karg_buffer(ba, 0),
					 amdbare_karg_buffer(bb, 0)};
		amdbare_dispatch_info fi = di;
		fi.kernel = kf;
		fi.args = fargs;
		cr_assert_eq(amdbare_dispatch(dev, &fi), 0, "%s: %s", k->fold, amdbare_last_error());
		memcpy(want, pf, BUF_BYTES);
		amdbare_bo_free(bf);
	} else if (k->r32) {
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
