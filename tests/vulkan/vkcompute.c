/*
 * vkcompute: compute shaders through Mesa's RADV on whatever amdgpu device
 * the process sees (the vgpu under LD_PRELOAD), each checked bit-exactly
 * against a CPU reference.
 *
 *   vkcompute --family gfx|compute [--only NAME] [--bench]
 *
 * --family picks the queue family every test submits to (the graphics
 * family goes to the GFX ring, the compute-only family to a compute ring);
 * the timeline test uses both.  --bench runs only the 2^20-float vector
 * add and prints its time.  Output: one "ok"/"FAIL" line per test, then
 * "N passed, N failed".
 */
#include "vk.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct vkc V;

/* A test's result when the device lacks the feature it needs */
#define SKIP 1

/* Deterministic inputs (xorshift32) */
static uint32_t rng_state = 0x12345678u;
static uint32_t rnd(void)
{
	uint32_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rng_state = x;
}

/* A finite float in about [-1000, 1000] with a full mantissa */
static float rnd_float(void)
{
	return ((float)(int32_t)rnd() / 2147483648.0f) * 1000.0f;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Reports the first mismatching word of two arrays of 32-bit words. */
static int cmp_u32(const char *what, const uint32_t *got, const uint32_t *want, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (got[i] != want[i]) {
			fprintf(stderr, "%s: element %zu is 0x%08x, expected 0x%08x\n", what, i, got[i], want[i]);
			return -1;
		}
	return 0;
}

/* ---- vector add ------------------------------------------------------------ */
static int vadd_run(const char *shader, uint32_t n, double *secs)
{
	struct vkc_buf b[3];
	struct vkc_pipe p;
	int r = -1;
	memset(b, 0, sizeof(b));
	memset(&p, 0, sizeof(p));
	for (int i = 0; i < 3; i++)
		if (vkc_buf_new(&V, (VkDeviceSize)n * 4, 0, &b[i]))
			goto out;
	float *a = b[0].map, *bb = b[1].map, *c = b[2].map;
	for (uint32_t i = 0; i < n; i++) {
		a[i] = rnd_float();
		bb[i] = rnd_float();
		c[i] = -1.0f;
	}
	if (vkc_pipe_new(&V, shader, b, 3, 4, NULL, 0, &p))
		goto out;
	double t0 = now_s();
	if (vkc_run(&V, &p, &n, (n + 63) / 64, 1, 1))
		goto out;
	if (secs)
		*secs = now_s() - t0;
	r = 0;
	for (uint32_t i = 0; i < n && !r; i++) {
		float want = a[i] + bb[i];
		if (memcmp(&c[i], &want, 4)) {
			fprintf(stderr, "vadd: c[%u] = %a, expected %a\n", i, c[i], want);
			r = -1;
		}
	}
out:
	vkc_pipe_free(&V, &p);
	for (int i = 0; i < 3; i++)
		vkc_buf_free(&V, &b[i]);
	return r;
}

static int t_vadd_n(uint32_t n, double *secs)
{
	return vadd_run("vadd", n, secs);
}

static int t_vadd(void)
{
	return t_vadd_n(1u << 16, NULL);
}

/* RADV's default float mode (FLOAT_MODE 0xc0) */
static int t_vadd_default_float_mode(void)
{
	return vadd_run("vadd_default", 1u << 12, NULL);
}


/* Runs `shader` once over an input and an output buffer (bindings 0, 1)
 * with push constant n; out_bytes of output, zero-filled first. */
static int run_io(const char *shader, const void *in, size_t in_bytes, void *out, size_t out_bytes,
		  uint32_t n, uint32_t groups)
{
	struct vkc_buf b[2];
	struct vkc_pipe p;
	int r = -1;
	memset(b, 0, sizeof(b));
	memset(&p, 0, sizeof(p));
	if (vkc_buf_new(&V, in_bytes, 0, &b[0]) || vkc_buf_new(&V, out_bytes, 0, &b[1]))
		goto out;
	memcpy(b[0].map, in, in_bytes);
	if (vkc_pipe_new(&V, shader, b, 2, 4, NULL, 0, &p))
		goto out;
	if (vkc_run(&V, &p, &n, groups, 1, 1))
		goto out;
	memcpy(out, b[1].map, out_bytes);
	r = 0;
out:
	vkc_pipe_free(&V, &p);
	vkc_buf_free(&V, &b[0]);
	vkc_buf_free(&V, &b[1]);
	return r;
}

#define N_ARITH 4096u

/* A gfx9 (GCN 5) device, by RADV's chip name (Mesa's amd_family names for
 * GC 9.x: the vgpu's raven, cezanne and mi50 are RAVEN, RENOIR, VEGA20). */
static bool gfx9_device(void)
{
	static const char *const chips[] = { "VEGA10", "VEGA12", "VEGA20", "RAVEN", "RENOIR",
					     "ARCTURUS", "ALDEBARAN" };
	for (size_t i = 0; i < sizeof(chips) / sizeof(chips[0]); i++)
		if (strstr(V.name, chips[i]))
			return true;
	return false;
}

static int t_arith_f32(void)
{
	float *x = malloc(N_ARITH * 3 * 4), *o = malloc(N_ARITH * 8 * 4), *w = malloc(N_ARITH * 8 * 4);
	int r = -1;
	if (!x || !o || !w)
		goto out;
	for (uint32_t i = 0; i < N_ARITH * 3; i++)
		x[i] = rnd_float();
	/* a few denormal and tiny inputs: with f32 denormals preserved the
	 * products and differences keep them */
	x[0] = 0x1p-130f;
	x[1] = 0x1p+3f;
	x[3] = 0x1.8p-120f;
	x[4] = 0x1p-10f;
	/* RADV (Mesa 22.3) compiles fma() for gfx9 as v_mul_f32 then v_add_f32
	 * (RADV_DEBUG=shaders on RAVEN; NIR's lower_ffma32 there), one rounding
	 * each; fused (v_fma_f32) on gfx10.3 and gfx11 */
	bool unfused = gfx9_device();
	for (uint32_t i = 0; i < N_ARITH; i++) {
		float a = x[3 * i], b = x[3 * i + 1], c = x[3 * i + 2];
		float m = a * b;
		w[8 * i + 0] = m;
		w[8 * i + 1] = a - b;
		w[8 * i + 2] = unfused ? m + c : fmaf(a, b, c);
		w[8 * i + 3] = m + c;
		w[8 * i + 4] = fminf(a, c);
		w[8 * i + 5] = fmaxf(b, c);
		w[8 * i + 6] = fabsf(a) * -2.0f;
		w[8 * i + 7] = (float)((int)b + 1);
	}
	if (run_io("arith_f32", x, N_ARITH * 12, o, N_ARITH * 32, N_ARITH, N_ARITH / 64))
		goto out;
	r = cmp_u32("arith_f32", (uint32_t *)o, (uint32_t *)w, N_ARITH * 8);
out:
	free(x);
	free(o);
	free(w);
	return r;
}

static int t_arith_f16(void)
{
	if (!V.f16) {
		fprintf(stderr, "arith_f16: the device lacks shaderFloat16 + storageBuffer16BitAccess\n");
		return -1;
	}
	_Float16 *x = malloc(N_ARITH * 3 * 2), *o = malloc(N_ARITH * 4 * 2), *w = malloc(N_ARITH * 4 * 2);
	int r = -1;
	if (!x || !o || !w)
		goto out;
	for (uint32_t i = 0; i < N_ARITH * 3; i++)
		x[i] = (_Float16)(rnd_float() / 10.0f);
	x[0] = (_Float16)0x1p-20f; /* an f16 denormal (f16 denormals are kept) */
	for (uint32_t i = 0; i < N_ARITH; i++) {
		_Float16 a = x[3 * i], b = x[3 * i + 1], c = x[3 * i + 2];
		w[4 * i + 0] = (_Float16)((float)a + (float)b);
		w[4 * i + 1] = (_Float16)((float)a * (float)b);
		w[4 * i + 2] = (_Float16)((float)b - (float)c);
		w[4 * i + 3] = (_Float16)((float)a * (float)c);
	}
	if (run_io("arith_f16", x, N_ARITH * 6, o, N_ARITH * 8, N_ARITH, N_ARITH / 64))
		goto out;
	r = 0;
	for (uint32_t i = 0; i < N_ARITH * 4 && !r; i++)
		if (memcmp(&o[i], &w[i], 2)) {
			uint16_t g, e;
			memcpy(&g, &o[i], 2);
			memcpy(&e, &w[i], 2);
			fprintf(stderr, "arith_f16: element %u is 0x%04x, expected 0x%04x\n", i, g, e);
			r = -1;
		}
out:
	free(x);
	free(o);
	free(w);
	return r;
}

static int find_msb(int32_t v)
{
	uint32_t u = v < 0 ? ~(uint32_t)v : (uint32_t)v;
	return u ? 31 - __builtin_clz(u) : -1;
}

static int t_arith_i32(void)
{
	int32_t *x = malloc(N_ARITH * 2 * 4), *o = malloc(N_ARITH * 8 * 4), *w = malloc(N_ARITH * 8 * 4);
	int r = -1;
	if (!x || !o || !w)
		goto out;
	for (uint32_t i = 0; i < N_ARITH; i++) {
		x[2 * i] = (int32_t)rnd();
		int32_t b = (int32_t)rnd() >> (rnd() & 31);
		x[2 * i + 1] = b == 0 || b == -1 ? 7 : b; /* no /0, no INT_MIN / -1 */
	}
	for (uint32_t i = 0; i < N_ARITH; i++) {
		int32_t a = x[2 * i], b = x[2 * i + 1];
		uint32_t ua = (uint32_t)a, ub = (uint32_t)b;
		int32_t m = a % b;
		if (m != 0 && ((m < 0) != (b < 0)))
			m += b; /* OpSMod: the sign of the divisor */
		w[8 * i + 0] = (int32_t)(ua + ub);
		w[8 * i + 1] = (int32_t)(ua * ub);
		w[8 * i + 2] = a / b;
		w[8 * i + 3] = m;
		w[8 * i + 4] = (int32_t)(ua / ub);
		w[8 * i + 5] = (a >> (b & 31)) ^ (int32_t)(ua << 3);
		w[8 * i + 6] = (int32_t)(((uint64_t)ua * ub) >> 32);
		w[8 * i + 7] = (int32_t)((uint32_t)(a < b ? a : b) - (uint32_t)(a > b ? a : b) +
					 (uint32_t)__builtin_popcount(ua) + (uint32_t)find_msb(b));
	}
	if (run_io("arith_i32", x, N_ARITH * 8, o, N_ARITH * 32, N_ARITH, N_ARITH / 64))
		goto out;
	r = cmp_u32("arith_i32", (uint32_t *)o, (uint32_t *)w, N_ARITH * 8);
out:
	free(x);
	free(o);
	free(w);
	return r;
}

static int t_arith_u64(void)
{
	if (!V.i64) {
		fprintf(stderr, "arith_u64: the device lacks shaderInt64\n");
		return -1;
	}
	uint64_t *x = malloc(N_ARITH * 2 * 8), *o = malloc(N_ARITH * 4 * 8), *w = malloc(N_ARITH * 4 * 8);
	int r = -1;
	if (!x || !o || !w)
		goto out;
	for (uint32_t i = 0; i < N_ARITH * 2; i++)
		x[i] = ((uint64_t)rnd() << 32) | rnd();
	for (uint32_t i = 0; i < N_ARITH; i++) {
		uint64_t a = x[2 * i], b = x[2 * i + 1];
		w[4 * i + 0] = a + b;
		w[4 * i + 1] = a * b;
		w[4 * i + 2] = (a >> (b & 63)) ^ (b << 7);
		w[4 * i + 3] = a - (b | 1);
	}
	if (run_io("arith_u64", x, N_ARITH * 16, o, N_ARITH * 32, N_ARITH, N_ARITH / 64))
		goto out;
	r = cmp_u32("arith_u64", (uint32_t *)o, (uint32_t *)w, N_ARITH * 8);
out:
	free(x);
	free(o);
	free(w);
	return r;
}

static int t_reduce(void)
{
	enum { WGS = 64 };
	uint32_t x[WGS * 256], o[WGS], w[WGS];
	for (uint32_t i = 0; i < WGS * 256; i++)
		x[i] = rnd();
	for (uint32_t g = 0; g < WGS; g++) {
		w[g] = 0;
		for (uint32_t l = 0; l < 256; l++)
			w[g] += x[g * 256 + l];
	}
	if (run_io("reduce", x, sizeof(x), o, sizeof(o), 0, WGS))
		return -1;
	return cmp_u32("reduce", o, w, WGS);
}

static int t_subgroup(void)
{
	enum { N = 128 * 8 };
	uint32_t x[N], *o = malloc(N * 8 * 4), *w = malloc(N * 8 * 4);
	int r = -1;
	if (!o || !w)
		goto out;
	for (uint32_t i = 0; i < N; i++)
		x[i] = rnd() & 0xffff;
	if (run_io("subgroup", x, sizeof(x), o, N * 32, 0, N / 128))
		goto out;
	uint32_t S = o[7];
	if (S != 32 && S != 64) {
		fprintf(stderr, "subgroup: gl_SubgroupSize %u\n", S);
		goto out;
	}
	for (uint32_t i = 0; i < N; i++) {
		uint32_t lane = i % S, base = i - lane;
		uint64_t ballot = 0;
		uint32_t sum = 0, mx = 0, pre = 0;
		for (uint32_t k = 0; k < S; k++) {
			uint32_t v = x[base + k];
			ballot |= (uint64_t)(v & 1) << k;
			sum += v;
			mx = v > mx ? v : mx;
			if (k <= lane)
				pre += v;
		}
		w[8 * i + 0] = (uint32_t)ballot;
		w[8 * i + 1] = (uint32_t)(ballot >> 32);
		w[8 * i + 2] = x[base + (lane * 5 + 3) % S];
		w[8 * i + 3] = sum;
		w[8 * i + 4] = mx;
		w[8 * i + 5] = pre;
		w[8 * i + 6] = (uint32_t)__builtin_popcountll(ballot);
		w[8 * i + 7] = S;
	}
	r = cmp_u32("subgroup", o, w, N * 8);
out:
	free(o);
	free(w);
	return r;
}

static int t_atomics(void)
{
	enum { WGS = 32, N = WGS * 64 };
	struct vkc_buf b[3];
	struct vkc_pipe p;
	int r = -1;
	memset(b, 0, sizeof(b));
	memset(&p, 0, sizeof(p));
	if (vkc_buf_new(&V, N * 4, 0, &b[0]) || vkc_buf_new(&V, 20 * 4, 0, &b[1]) ||
	    vkc_buf_new(&V, WGS * 4 * 4, 0, &b[2]))
		goto out;
	uint32_t *x = b[0].map, *c = b[1].map, *wg = b[2].map;
	uint32_t want[20] = { 0, 0, 0, UINT32_MAX }, wwg[WGS * 4];
	memset(wwg, 0, sizeof(wwg));
	for (uint32_t i = 0; i < N; i++) {
		uint32_t v = rnd() >> 6;
		x[i] = v;
		want[0] += v;
		want[1] = v > want[1] ? v : want[1];
		want[2] ^= v;
		want[3] = v < want[3] ? v : want[3];
		want[4 + (v & 15)]++;
		wwg[4 * (i / 64) + (v & 3)] += v >> 4;
	}
	c[3] = UINT32_MAX;
	if (vkc_pipe_new(&V, "atomics", b, 3, 0, NULL, 0, &p) || vkc_run(&V, &p, NULL, WGS, 1, 1))
		goto out;
	r = cmp_u32("atomics (buffer)", c, want, 20);
	if (!r)
		r = cmp_u32("atomics (shared)", wg, wwg, WGS * 4);
out:
	vkc_pipe_free(&V, &p);
	for (int i = 0; i < 3; i++)
		vkc_buf_free(&V, &b[i]);
	return r;
}

/* Float atomic add: the inputs are multiples of 1/4 with sums far below
 * 2^22, so every partial sum is exact and the result does not depend on
 * the order the lanes' adds land in. */
static int t_atomic_float(void)
{
	if (!V.float_atomic_add) {
		printf("skip atomic_float: the device reports no shaderBufferFloat32AtomicAdd "
		       "(VK_EXT_shader_atomic_float)\n");
		return SKIP;
	}
	enum { N = 4096 };
	float x[N], acc[8], want[8] = { 0 };
	for (uint32_t i = 0; i < N; i++) {
		x[i] = (float)((int32_t)(rnd() % 2001) - 1000) / 4.0f;
		want[i & 7] += x[i];
	}
	if (run_io("atomic_float", x, sizeof(x), acc, sizeof(acc), 0, N / 64))
		return -1;
	return cmp_u32("atomic_float", (uint32_t *)acc, (uint32_t *)want, 8);
}

static int t_pushspec(void)
{
	enum { N = 1000, CAP = 1024 };
	struct vkc_buf b;
	struct vkc_pipe p;
	int r = -1;
	memset(&p, 0, sizeof(p));
	if (vkc_buf_new(&V, CAP * 4, 0, &b))
		return -1;
	struct vkc_spec sp[2] = { { 0, 7 }, { 1, 32 } };
	uint32_t push[3] = { N, 12345, 0xab };
	if (vkc_pipe_new(&V, "pushspec", &b, 1, sizeof(push), sp, 2, &p) ||
	    vkc_run(&V, &p, push, CAP / 32, 1, 1))
		goto out;
	uint32_t want[CAP];
	for (uint32_t i = 0; i < CAP; i++)
		want[i] = i < N ? i * 7 + 12345 + (0xab << 8) + 32 * 1000000u : 0;
	r = cmp_u32("pushspec", b.map, want, CAP);
out:
	vkc_pipe_free(&V, &p);
	vkc_buf_free(&V, &b);
	return r;
}

static int t_grid(void)
{
	const uint32_t gx = 256, gy = 257, n = gx * gy; /* 65792 >= 2^16 workgroups */
	struct vkc_buf b;
	struct vkc_pipe p;
	int r = -1;
	memset(&p, 0, sizeof(p));
	if (vkc_buf_new(&V, (VkDeviceSize)n * 4, 0, &b))
		return -1;
	if (vkc_pipe_new(&V, "grid", &b, 1, 0, NULL, 0, &p) || vkc_run(&V, &p, NULL, gx, gy, 1))
		goto out;
	uint32_t *o = b.map;
	r = 0;
	for (uint32_t i = 0; i < n && !r; i++)
		if (o[i] != i * 2654435761u + gy) {
			fprintf(stderr, "grid: workgroup %u wrote 0x%08x, expected 0x%08x\n", i, o[i],
				i * 2654435761u + gy);
			r = -1;
		}
out:
	vkc_pipe_free(&V, &p);
	vkc_buf_free(&V, &b);
	return r;
}

/* The step shader (x -> y with args) as a pipeline over three buffers. */
static int step_pipe(struct vkc_buf *x, struct vkc_buf *y, struct vkc_buf *args, struct vkc_pipe *p)
{
	struct vkc_buf set[3] = { *x, *y, *args };
	return vkc_pipe_new(&V, "step", set, 3, 12, NULL, 0, p);
}

enum { CHAIN_N = 5000 };

static int check_chain(const char *what, const uint32_t *x, const uint32_t *got, const uint32_t (*mul_add)[2],
		       int steps)
{
	for (uint32_t i = 0; i < CHAIN_N; i++) {
		uint32_t v = x[i];
		for (int s = 0; s < steps; s++)
			v = v * mul_add[s][0] + mul_add[s][1];
		if (got[i] != v) {
			fprintf(stderr, "%s: element %u is 0x%08x, expected 0x%08x\n", what, i, got[i], v);
			return -1;
		}
	}
	return 0;
}

/* vkCmdDispatchIndirect with host-written arguments */
static int t_indirect(void)
{
	struct vkc_buf x, y, args, junk;
	struct vkc_pipe p;
	int r = -1;
	memset(&p, 0, sizeof(p));
	memset(&x, 0, sizeof(x));
	memset(&y, 0, sizeof(y));
	memset(&args, 0, sizeof(args));
	memset(&junk, 0, sizeof(junk));
	if (vkc_buf_new(&V, CHAIN_N * 4, 0, &x) || vkc_buf_new(&V, CHAIN_N * 4, 0, &y) ||
	    vkc_buf_new(&V, 64, VK_BUFFER_USAGE_INDIRECT_BUFFER_BIT, &args) || vkc_buf_new(&V, 16, 0, &junk))
		goto out;
	for (uint32_t i = 0; i < CHAIN_N; i++)
		((uint32_t *)x.map)[i] = rnd();
	/* arguments at offset 16, to exercise the offset */
	uint32_t *a = args.map;
	a[4] = (CHAIN_N + 63) / 64;
	a[5] = 1;
	a[6] = 1;
	if (step_pipe(&x, &y, &junk, &p))
		goto out;
	VkCommandBuffer cb;
	if (vkc_begin(&V, V.pool, &cb))
		goto out;
	uint32_t push[3] = { CHAIN_N, 3, 11 };
	vkc_bind(cb, &p, push);
	vkCmdDispatchIndirect(cb, args.buf, 16);
	if (vkc_submit_wait(&V, V.q, V.pool, cb))
		goto out;
	const uint32_t ma[1][2] = { { 3, 11 } };
	r = check_chain("indirect", x.map, y.map, ma, 1);
out:
	vkc_pipe_free(&V, &p);
	vkc_buf_free(&V, &x);
	vkc_buf_free(&V, &y);
	vkc_buf_free(&V, &args);
	vkc_buf_free(&V, &junk);
	return r;
}

/* Three dependent dispatches in one command buffer, pipeline barriers in
 * between; the second is indirect with arguments the first wrote. */
static int t_dependent(void)
{
	struct vkc_buf buf[4], args;
	struct vkc_pipe p[3];
	int r = -1;
	memset(buf, 0, sizeof(buf));
	memset(p, 0, sizeof(p));
	memset(&args, 0, sizeof(args));
	for (int i = 0; i < 4; i++)
		if (vkc_buf_new(&V, CHAIN_N * 4, 0, &buf[i]))
			goto out;
	if (vkc_buf_new(&V, 16, VK_BUFFER_USAGE_INDIRECT_BUFFER_BIT, &args))
		goto out;
	for (uint32_t i = 0; i < CHAIN_N; i++)
		((uint32_t *)buf[0].map)[i] = rnd();
	for (int i = 0; i < 3; i++)
		if (step_pipe(&buf[i], &buf[i + 1], &args, &p[i]))
			goto out;
	const uint32_t ma[3][2] = { { 3, 1 }, { 5, 2 }, { 1, 7 } };
	VkCommandBuffer cb;
	if (vkc_begin(&V, V.pool, &cb))
		goto out;
	for (int i = 0; i < 3; i++) {
		uint32_t push[3] = { CHAIN_N, ma[i][0], ma[i][1] };
		vkc_bind(cb, &p[i], push);
		if (i == 1)
			vkCmdDispatchIndirect(cb, args.buf, 0);
		else
			vkCmdDispatch(cb, (CHAIN_N + 63) / 64, 1, 1);
		vkc_barrier(cb);
	}
	if (vkc_submit_wait(&V, V.q, V.pool, cb))
		goto out;
	r = check_chain("dependent", buf[0].map, buf[3].map, ma, 3);
out:
	for (int i = 0; i < 3; i++)
		vkc_pipe_free(&V, &p[i]);
	for (int i = 0; i < 4; i++)
		vkc_buf_free(&V, &buf[i]);
	vkc_buf_free(&V, &args);
	return r;
}

/* Work on two queues (one per family) ordered by a timeline semaphore:
 * the second queue's submission is made first and waits for value 1,
 * which the first queue's submission signals. */
static int t_timeline(void)
{
	struct vkc_buf buf[3], args;
	struct vkc_pipe p[2];
	VkSemaphore sem = VK_NULL_HANDLE;
	VkCommandBuffer cb[2] = { 0 };
	int r = -1;
	memset(buf, 0, sizeof(buf));
	memset(p, 0, sizeof(p));
	memset(&args, 0, sizeof(args));
	for (int i = 0; i < 3; i++)
		if (vkc_buf_new(&V, CHAIN_N * 4, 0, &buf[i]))
			goto out;
	if (vkc_buf_new(&V, 16, 0, &args))
		goto out;
	for (uint32_t i = 0; i < CHAIN_N; i++)
		((uint32_t *)buf[0].map)[i] = rnd();
	for (int i = 0; i < 2; i++)
		if (step_pipe(&buf[i], &buf[i + 1], &args, &p[i]))
			goto out;
	VkSemaphoreTypeCreateInfo tci = { .sType = VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO,
					  .semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE };
	VkSemaphoreCreateInfo sci = { .sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO, .pNext = &tci };
	if (vkCreateSemaphore(V.dev, &sci, NULL, &sem) != VK_SUCCESS)
		goto out;
	const uint32_t ma[2][2] = { { 9, 4 }, { 3, 5 } };
	/* cb[0]: first step, on this run's family; cb[1]: second step, on the other */
	VkCommandPool pools[2] = { V.pool, V.pool_other };
	VkQueue qs[2] = { V.q, V.q == V.q_gfx ? V.q_comp : V.q_gfx };
	for (int i = 0; i < 2; i++) {
		if (vkc_begin(&V, pools[i], &cb[i]))
			goto out;
		uint32_t push[3] = { CHAIN_N, ma[i][0], ma[i][1] };
		vkc_bind(cb[i], &p[i], push);
		vkCmdDispatch(cb[i], (CHAIN_N + 63) / 64, 1, 1);
		if (vkEndCommandBuffer(cb[i]) != VK_SUCCESS)
			goto out;
	}
	uint64_t one = 1, two = 2;
	VkPipelineStageFlags stage = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT;
	VkTimelineSemaphoreSubmitInfo ts1 = { .sType = VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO,
					      .waitSemaphoreValueCount = 1, .pWaitSemaphoreValues = &one,
					      .signalSemaphoreValueCount = 1, .pSignalSemaphoreValues = &two };
	VkSubmitInfo s1 = { .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .pNext = &ts1, .waitSemaphoreCount = 1,
			    .pWaitSemaphores = &sem, .pWaitDstStageMask = &stage, .commandBufferCount = 1,
			    .pCommandBuffers = &cb[1], .signalSemaphoreCount = 1, .pSignalSemaphores = &sem };
	if (vkQueueSubmit(qs[1], 1, &s1, VK_NULL_HANDLE) != VK_SUCCESS) {
		fprintf(stderr, "timeline: vkQueueSubmit of the waiting queue failed\n");
		goto out;
	}
	VkTimelineSemaphoreSubmitInfo ts0 = { .sType = VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO,
					      .signalSemaphoreValueCount = 1, .pSignalSemaphoreValues = &one };
	VkSubmitInfo s0 = { .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .pNext = &ts0, .commandBufferCount = 1,
			    .pCommandBuffers = &cb[0], .signalSemaphoreCount = 1, .pSignalSemaphores = &sem };
	if (vkQueueSubmit(qs[0], 1, &s0, VK_NULL_HANDLE) != VK_SUCCESS) {
		fprintf(stderr, "timeline: vkQueueSubmit of the signalling queue failed\n");
		goto out;
	}
	VkSemaphoreWaitInfo wi = { .sType = VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO, .semaphoreCount = 1,
				   .pSemaphores = &sem, .pValues = &two };
	VkResult vr = vkWaitSemaphores(V.dev, &wi, 60ull * 1000 * 1000 * 1000);
	if (vr != VK_SUCCESS) {
		fprintf(stderr, "timeline: vkWaitSemaphores for value 2: VkResult %d\n", (int)vr);
		goto out;
	}
	r = check_chain("timeline", buf[0].map, buf[2].map, ma, 2);
out:
	if (V.dev)
		vkDeviceWaitIdle(V.dev);
	for (int i = 0; i < 2; i++)
		if (cb[i])
			vkFreeCommandBuffers(V.dev, i ? V.pool_other : V.pool, 1, &cb[i]);
	if (sem)
		vkDestroySemaphore(V.dev, sem, NULL);
	for (int i = 0; i < 2; i++)
		vkc_pipe_free(&V, &p[i]);
	for (int i = 0; i < 3; i++)
		vkc_buf_free(&V, &buf[i]);
	vkc_buf_free(&V, &args);
	return r;
}

/* Storage images (tests/vulkan/vkimage.c) */
static int t_image_r32ui(void)
{
	return vkc_image_tests_r32ui(&V);
}

static int t_image_rgb10a2(void)
{
	return vkc_image_tests_rgb10a2(&V);
}

static int t_image_r11g11b10(void)
{
	return vkc_image_tests_r11g11b10(&V);
}

static int t_image_r32f_minmax(void)
{
	return vkc_image_tests_r32f_minmax(&V);
}

static int t_image_r32f_minmax_tiled(void)
{
	return vkc_image_tests_r32f_minmax_tiled(&V);
}

static int t_image_array_optimal(void)
{
	return vkc_image_tests_array_optimal(&V);
}

static int t_image_mips_optimal(void)
{
	return vkc_image_tests_mips_optimal(&V);
}

static int t_image_3d_optimal(void)
{
	return vkc_image_tests_3d_optimal(&V);
}

/* Transfer commands through RADV's meta shaders (tests/vulkan/vkmeta.c) */
static int t_meta_fill(void)
{
	return vkc_meta_fill(&V);
}

static int t_meta_update(void)
{
	return vkc_meta_update(&V);
}

static int t_meta_copy(void)
{
	return vkc_meta_copy(&V);
}

static int t_image_copy_odd(void)
{
	return vkc_image_copy_odd(&V);
}

static int t_image_copy_r32g32b32(void)
{
	return vkc_image_copy_r32g32b32(&V);
}

static int t_image_clear_copy_r32g32b32(void)
{
	return vkc_image_clear_copy_r32g32b32(&V);
}

static int t_image_msaa_optimal(void)
{
	return vkc_image_tests_msaa_optimal(&V);
}

struct test {
	const char *name;
	int (*fn)(void);
};

static const struct test tests[] = {
	{ "vadd", t_vadd },
	{ "vadd_default_float_mode", t_vadd_default_float_mode },
	{ "arith_f32", t_arith_f32 },
	{ "arith_f16", t_arith_f16 },
	{ "arith_i32", t_arith_i32 },
	{ "arith_u64", t_arith_u64 },
	{ "reduce", t_reduce },
	{ "subgroup", t_subgroup },
	{ "atomics", t_atomics },
	{ "atomic_float", t_atomic_float },
	{ "pushspec", t_pushspec },
	{ "grid", t_grid },
	{ "indirect", t_indirect },
	{ "dependent", t_dependent },
	{ "timeline", t_timeline },
	{ "image_r32ui", t_image_r32ui },
	{ "image_rgb10a2", t_image_rgb10a2 },
	{ "image_r11g11b10", t_image_r11g11b10 },
	{ "image_r32f_minmax", t_image_r32f_minmax },
	{ "image_r32f_minmax_tiled", t_image_r32f_minmax_tiled },
	{ "image_array_optimal", t_image_array_optimal },
	{ "image_mips_optimal", t_image_mips_optimal },
	{ "image_3d_optimal", t_image_3d_optimal },
	{ "meta_fill", t_meta_fill },
	{ "meta_update", t_meta_update },
	{ "meta_copy", t_meta_copy },
	{ "image_copy_odd", t_image_copy_odd },
	{ "image_copy_r32g32b32", t_image_copy_r32g32b32 },
	{ "image_clear_copy_r32g32b32", t_image_clear_copy_r32g32b32 },
	{ "image_msaa_optimal", t_image_msaa_optimal },
};

int main(int argc, char **argv)
{
	/* line-buffered, so the lines interleave with the vgpu's fault
	 * messages on stderr in the order they happened */
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *family = "compute", *only = NULL;
	bool bench = false, no_images = false;
	const char *skip[8];
	unsigned nskip = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--family") && i + 1 < argc)
			family = argv[++i];
		else if (!strcmp(argv[i], "--only") && i + 1 < argc)
			only = argv[++i];
		else if (!strcmp(argv[i], "--bench"))
			bench = true;
		else if (!strcmp(argv[i], "--no-images"))
			no_images = true;
		else if (!strcmp(argv[i], "--skip") && i + 1 < argc &&
			 nskip < sizeof(skip) / sizeof(skip[0]))
			skip[nskip++] = argv[++i];
		else {
			fprintf(stderr, "usage: %s --family gfx|compute [--only NAME] [--skip NAME]... "
				"[--no-images] [--bench]\n", argv[0]);
			return 2;
		}
	}
	if (strcmp(family, "gfx") && strcmp(family, "compute")) {
		fprintf(stderr, "vkcompute: --family must be gfx or compute\n");
		return 2;
	}
	if (bench) {
		if (vkc_init(&V, family)) {
			vkc_fini(&V);
			printf("vadd 2^20 floats: FAILED (no device)\n");
			return 1;
		}
		printf("device: %s, %s family (index %u)\n", V.name, family, V.fam);
		double s = 0;
		int r = t_vadd_n(1u << 20, &s);
		if (r)
			printf("vadd 2^20 floats: FAILED\n");
		else
			printf("vadd 2^20 floats (%s family): %.3f s from vkQueueSubmit to the fence, "
			       "result checked bit-exactly\n", family, s);
		vkc_fini(&V);
		return r ? 1 : 0;
	}
	/* Each test gets its own VkDevice (and so its own amdgpu context): a
	 * test whose submission faults leaves a lost context behind, which
	 * must not fail the tests after it. */
	int pass = 0, fail = 0;
	bool shown = false;
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (only && strcmp(only, tests[i].name))
			continue;
		/* --no-images: for a device whose vgpu model runs no image
		 * instructions; said, not hidden */
		if (no_images && !strncmp(tests[i].name, "image_", 6)) {
			printf("skip %s: image instructions are not modelled on this vgpu profile\n",
			       tests[i].name);
			continue;
		}
		/* --skip NAME: one test whose instructions or layout the vgpu
		 * profile does not model; said, not hidden */
		bool skipped = false;
		for (unsigned k = 0; k < nskip; k++)
			skipped |= !strcmp(skip[k], tests[i].name);
		if (skipped) {
			printf("skip %s: not modelled on this vgpu profile (--skip)\n", tests[i].name);
			continue;
		}
		double t0 = now_s();
		int r = vkc_init(&V, family);
		if (!r && !shown) {
			printf("device: %s, %s family (index %u), subgroup size %u\n", V.name, family, V.fam,
			       V.subgroup_size);
			shown = true;
		}
		if (!r)
			r = tests[i].fn();
		vkc_fini(&V);
		if (r == SKIP)
			continue;
		printf("%s %s (%s, %.2f s)\n", r ? "FAIL" : "ok  ", tests[i].name, family, now_s() - t0);
		fflush(stdout);
		if (r)
			fail++;
		else
			pass++;
	}
	printf("%d passed, %d failed\n", pass, fail);
	return fail ? 1 : 0;
}
