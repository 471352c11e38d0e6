/*
 * GEMM and GEMV (amdbare_linalg.h) on the vgpu: every result compared with
 * a CPU reference accumulated in double from the same (rounded) inputs.
 *
 * Tolerance (docs/kernels.md, "Tolerances"): the kernels accumulate in
 * f32, so for each output
 *   |got - ref| <= (K + 4) * 2^-24 * (|alpha| * sum_k |a_k * b_k| + |beta * c|)
 *                  + u_out * |ref| + tiny
 * with u_out = 0 for an f32 output, 2^-11 for f16 and 2^-8 for bf16 (one
 * rounding of the result to the output type).  f16/bf16 inputs are exact
 * in the reference, so their own rounding does not count.
 *
 * The vgpu interprets every instruction of every lane: shapes are chosen
 * to cover edges (1, 7, 16, 17, 64, 127, 128, 255, 256, 300) without
 * multiplying them all together.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amdbare.h"
#include "submit/internal.h"
#include "half_float.h"
#include "stderr_capture.h"
#include "vgpu_test.h"

static amdbare_device *dev;

static void open_on(const char *profile)
{
	vgpu_test_use_profile(profile, NULL);
	cr_assert_eq(amdbare_device_open(0, &dev), 0, "open: %s", amdbare_last_error());
}

static void setup(void)
{
	open_on("780m");
}

static void teardown(void)
{
	amdbare_device_close(dev);
	dev = NULL;
	vgpu_test_cleanup();
}

/* ---- host-side element types --------------------------------------------- */

static size_t esize(amdbare_dtype t)
{
	return t == AMDBARE_DTYPE_F32 ? 4 : 2;
}

static float get(const void *p, size_t i, amdbare_dtype t)
{
	if (t == AMDBARE_DTYPE_F32)
		return ((const float *)p)[i];
	uint16_t u = ((const uint16_t *)p)[i];
	return t == AMDBARE_DTYPE_F16 ? f16_to_f32(u) : bf16_to_f32(u);
}

static void put(void *p, size_t i, amdbare_dtype t, float v)
{
	if (t == AMDBARE_DTYPE_F32)
		((float *)p)[i] = v;
	else
		((uint16_t *)p)[i] = t == AMDBARE_DTYPE_F16 ? f32_to_f16(v) : f32_to_bf16(v);
}

static double out_rounding(amdbare_dtype t)
{
	return t == AMDBARE_DTYPE_F32 ? 0.0 : t == AMDBARE_DTYPE_F16 ? ldexp(1, -11) : ldexp(1, -8);
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

/* Uniform in [-1, 1). */
static float rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (float)((double)(rng >> 11) / (double)(1ull << 53) * 2.0 - 1.0);
}

/* ---- buffers --------------------------------------------------------------- */

struct buf {
	amdbare_bo *bo;
	void *cpu;
	uint64_t size;
};

static struct buf buf_new(uint64_t size)
{
	struct buf b = {0};
	amdbare_bo_create_info ci = {.size = size, .domains = AMDBARE_DOMAIN_GTT,
				     .flags = AMDBARE_BO_CPU_ACCESS};
	cr_assert_eq(amdbare_bo_create(dev, &ci, &b.bo), 0, "bo_create: %s", amdbare_last_error());
	cr_assert_eq(amdbare_bo_cpu_map(b.bo, &b.cpu), 0, "cpu_map: %s", amdbare_last_error());
	b.size = amdbare_bo_size(b.bo);
	memset(b.cpu, 0x5a, b.size);
	return b;
}

static void buf_free(struct buf *b)
{
	amdbare_bo_free(b->bo);
	b->bo = NULL;
}

/* ---- GEMM case ------------------------------------------------------------- */

struct gemm_case {
	uint32_t m, n, k;
	amdbare_dtype in, out;
	bool ta, tb;
	uint32_t pad_a, pad_b, pad_c;   /* leading dimension = row length + pad */
	uint64_t off_a, off_b, off_c;   /* byte offsets inside the buffers */
	float alpha, beta;
};

/* Fills A, B, C at their offsets with random values; runs (or only
 * enqueues, when d is given); checks against the reference after a run. */
struct gemm_run {
	struct gemm_case c;
	amdbare_gemm_desc g;
	struct buf a, b, cbuf;
	float *c0;      /* C before the GEMM, as floats (beta's input) */
};

static void gemm_prepare(struct gemm_run *r, const struct gemm_case *c)
{
	memset(r, 0, sizeof(*r));
	r->c = *c;
	uint32_t arows = c->ta ? c->k : c->m, acols = c->ta ? c->m : c->k;
	uint32_t brows = c->tb ? c->n : c->k, bcols = c->tb ? c->k : c->n;
	uint32_t lda = acols + c->pad_a, ldb = bcols + c->pad_b, ldc = c->n + c->pad_c;
	size_t ei = esize(c->in), eo = esize(c->out);
	r->a = buf_new(c->off_a + (uint64_t)arows * lda * ei);
	r->b = buf_new(c->off_b + (uint64_t)brows * ldb * ei);
	r->cbuf = buf_new(c->off_c + (uint64_t)c->m * ldc * eo);
	char *pa = (char *)r->a.cpu + c->off_a, *pb = (char *)r->b.cpu + c->off_b;
	char *pc = (char *)r->cbuf.cpu + c->off_c;
	for (size_t i = 0; i < (size_t)arows * lda; i++)
		put(pa, i, c->in, rnd());
	for (size_t i = 0; i < (size_t)brows * ldb; i++)
		put(pb, i, c->in, rnd());
	r->c0 = calloc((size_t)c->m * ldc, sizeof(float));
	cr_assert(r->c0);
	for (size_t i = 0; i < (size_t)c->m * ldc; i++) {
		put(pc, i, c->out, rnd());
		r->c0[i] = get(pc, i, c->out);
	}
	r->g = (amdbare_gemm_desc){
		.m = c->m, .n = c->n, .k = c->k, .trans_a = c->ta, .trans_b = c->tb,
		.lda = lda, .ldb = ldb, .ldc = ldc, .alpha = c->alpha, .beta = c->beta,
		.a = amdbare_tensor(r->a.bo, c->off_a, c->in),
		.b = amdbare_tensor(r->b.bo, c->off_b, c->in),
		.c = amdbare_tensor(r->cbuf.bo, c->off_c, c->out),
	};
}

static void gemm_verify(struct gemm_run *r)
{
	const struct gemm_case *c = &r->c;
	const amdbare_gemm_desc *g = &r->g;
	const char *pa = (const char *)r->a.cpu + c->off_a, *pb = (const char *)r->b.cpu + c->off_b;
	const char *pc = (const char *)r->cbuf.cpu + c->off_c;
	double u = out_rounding(c->out);
	for (uint32_t i = 0; i < c->m; i++)
		for (uint32_t j = 0; j < c->n + c->pad_c; j++) {
			size_t o = (size_t)i * g->ldc + j;
			float got = get(pc, o, c->out);
			if (j >= c->n) {
				/* padding between rows of C: untouched */
				cr_assert(memcmp(&got, &r->c0[o], 4) == 0 ||
					  (isnan(got) && isnan(r->c0[o])),
					  "%ux%ux%u: C[%u][%u] (padding) changed", c->m, c->n, c->k, i, j);
				continue;
			}
			double s = 0, mag = 0;
			for (uint32_t k = 0; k < c->k; k++) {
				double av = get(pa, c->ta ? (size_t)k * g->lda + i : (size_t)i * g->lda + k, c->in);
				double bv = get(pb, c->tb ? (size_t)j * g->ldb + k : (size_t)k * g->ldb + j, c->in);
				s += av * bv;
				mag += fabs(av * bv);
			}
			double bc = c->beta != 0.0f ? (double)c->beta * r->c0[o] : 0.0;
			double ref = (double)c->alpha * s + bc;
			double tol = (c->k + 4) * ldexp(1, -24) * (fabs(c->alpha) * mag + fabs(bc)) +
				     u * fabs(ref) + 1e-30;
			cr_assert(fabs(got - ref) <= tol,
				  "gemm %s->%s %ux%ux%u ta=%d tb=%d: C[%u][%u] = %.9g, reference %.9g "
				  "(|diff| %.3g > tolerance %.3g)", amdbare_dtype_name(c->in),
				  amdbare_dtype_name(c->out), c->m, c->n, c->k, c->ta, c->tb, i, j,
				  got, ref, fabs(got - ref), tol);
		}
	/* bytes before the offset are untouched */
	for (uint64_t i = 0; i < c->off_c; i++)
		cr_assert_eq(((uint8_t *)r->cbuf.cpu)[i], 0x5a, "C byte %llu before the offset changed",
			     (unsigned long long)i);
}

static void gemm_release(struct gemm_run *r)
{
	buf_free(&r->a);
	buf_free(&r->b);
	buf_free(&r->cbuf);
	free(r->c0);
}

static void gemm_case_run(const struct gemm_case *c)
{
	struct gemm_run r;
	gemm_prepare(&r, c);
	int rc = amdbare_gemm(dev, &r.g);
	cr_assert_eq(rc, 0, "gemm %ux%ux%u: %d %s", c->m, c->n, c->k, rc, amdbare_last_error());
	gemm_verify(&r);
	gemm_release(&r);
}

static struct gemm_case plain(uint32_t m, uint32_t n, uint32_t k, amdbare_dtype t)
{
	return (struct gemm_case){.m = m, .n = n, .k = k, .in = t, .out = AMDBARE_DTYPE_F32,
				  .alpha = 1.0f, .beta = 0.0f};
}

/* Edge sizes along each axis with the others small, then a few mixed
 * shapes that cross several tile edges at once. */
static void shapes(amdbare_dtype t)
{
	static const uint32_t sizes[] = {1, 7, 16, 17, 64, 127, 128, 255, 256, 300};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint32_t s = sizes[i];
		struct gemm_case c = plain(s, 17, 16, t);
		gemm_case_run(&c);
		c = plain(7, s, 33, t);
		gemm_case_run(&c);
		c = plain(16, 9, s, t);
		gemm_case_run(&c);
		/* M = 1 times weights stored N x K: through the GEMV kernel */
		c = plain(1, s, s + 5, t);
		c.tb = true;
		gemm_case_run(&c);
	}
	static const uint32_t mixed[][3] = {
		{1, 1, 1}, {64, 64, 64}, {65, 63, 31}, {127, 129, 47}, {128, 128, 128},
		{300, 255, 256}, {256, 256, 256}, {17, 300, 127},
	};
	for (size_t i = 0; i < sizeof(mixed) / sizeof(mixed[0]); i++) {
		struct gemm_case c = plain(mixed[i][0], mixed[i][1], mixed[i][2], t);
		gemm_case_run(&c);
	}
}

TestSuite(linalg, .init = setup, .fini = teardown, .timeout = 600);

Test(linalg, gemm_f16_shapes) { shapes(AMDBARE_DTYPE_F16); }
Test(linalg, gemm_bf16_shapes) { shapes(AMDBARE_DTYPE_BF16); }
Test(linalg, gemm_f32_shapes) { shapes(AMDBARE_DTYPE_F32); }

/* Transposes x output type x alpha/beta x leading dimensions x offsets,
 * per input type. */
static void variants(amdbare_dtype t)
{
	for (int ta = 0; ta < 2; ta++)
		for (int tb = 0; tb < 2; tb++) {
			struct gemm_case c = plain(70, 45, 40, t);
			c.ta = ta;
			c.tb = tb;
			gemm_case_run(&c);
			/* aligned, padded to multiples of 8: the 16-byte load path
			 * on full tiles, transposed or not */
			c = plain(128, 64, 64, t);
			c.ta = ta;
			c.tb = tb;
			c.pad_a = c.pad_b = 8;
			c.off_a = 256;
			c.off_b = 4096;
			gemm_case_run(&c);
			/* full aligned rows, K = 100: three prefetched K steps,
			 * then a partial one */
			c = plain(128, 64, 100, t);
			c.ta = ta;
			c.tb = tb;
			c.pad_a = ta ? 8 : 4;   /* lda a multiple of 8 elements */
			c.pad_b = tb ? 4 : 8;
			gemm_case_run(&c);
		}
	/* output in the input type, alpha and beta, padded rows, odd offsets
	 * (scalar loads) */
	struct gemm_case c = plain(33, 50, 70, t);
	c.out = t;
	c.alpha = -1.5f;
	c.beta = 0.75f;
	c.pad_a = 3;
	c.pad_b = 5;
	c.pad_c = 7;
	c.off_a = 2 * esize(t);
	c.off_b = 6 * esize(t);
	c.off_c = 10 * esize(t);
	c.tb = true;
	gemm_case_run(&c);
	/* f32 output with beta on a 16-byte aligned, padded layout */
	c = plain(64, 64, 32, t);
	c.alpha = 0.5f;
	c.beta = -2.0f;
	c.pad_a = c.pad_b = c.pad_c = 8;
	gemm_case_run(&c);
}

Test(linalg, gemm_f16_variants) { variants(AMDBARE_DTYPE_F16); }
Test(linalg, gemm_bf16_variants) { variants(AMDBARE_DTYPE_BF16); }
Test(linalg, gemm_f32_variants) { variants(AMDBARE_DTYPE_F32); }

/* beta == 0: C is written without being read, so NaNs there vanish. */
Test(linalg, beta_zero_ignores_nan_in_c)
{
	struct gemm_case c = plain(20, 20, 20, AMDBARE_DTYPE_F16);
	struct gemm_run r;
	gemm_prepare(&r, &c);
	for (size_t i = 0; i < 400; i++) {
		((float *)r.cbuf.cpu)[i] = NAN;
		r.c0[i] = NAN;
	}
	cr_assert_eq(amdbare_gemm(dev, &r.g), 0, "%s", amdbare_last_error());
	gemm_verify(&r);
	gemm_release(&r);
}

/* Operands inside sub-allocations of one arena, at non-zero offsets. */
Test(linalg, gemm_in_suballocations)
{
	amdbare_allocator *al;
	cr_assert_eq(amdbare_allocator_create(dev, NULL, &al), 0, "%s", amdbare_last_error());
	amdbare_alloc_request req = {.size = 4096, .policy = AMDBARE_ALLOC_GTT_ONLY,
				     .flags = AMDBARE_BO_CPU_ACCESS};
	amdbare_suballoc pad, sa, sb, sc;
	cr_assert_eq(amdbare_alloc(al, &req, &pad), 0, "%s", amdbare_last_error());
	req.size = 40 * 24 * 2;
	cr_assert_eq(amdbare_alloc(al, &req, &sa), 0, "%s", amdbare_last_error());
	req.size = 24 * 30 * 2;
	cr_assert_eq(amdbare_alloc(al, &req, &sb), 0, "%s", amdbare_last_error());
	req.size = 40 * 30 * 4;
	cr_assert_eq(amdbare_alloc(al, &req, &sc), 0, "%s", amdbare_last_error());
	cr_assert(sa.offset > 0 && sb.offset > 0 && sc.offset > 0);
	cr_assert_eq(sa.bo, sc.bo, "one arena holds them all");
	uint16_t *a = sa.cpu_ptr, *b = sb.cpu_ptr;
	float *cc = sc.cpu_ptr;
	for (int i = 0; i < 40 * 24; i++)
		a[i] = f32_to_f16(rnd());
	for (int i = 0; i < 24 * 30; i++)
		b[i] = f32_to_f16(rnd());
	amdbare_gemm_desc g = {
		.m = 40, .n = 30, .k = 24, .alpha = 1, .beta = 0,
		.a = amdbare_tensor(sa.bo, sa.offset, AMDBARE_DTYPE_F16),
		.b = amdbare_tensor(sb.bo, sb.offset, AMDBARE_DTYPE_F16),
		.c = amdbare_tensor(sc.bo, sc.offset, AMDBARE_DTYPE_F32),
	};
	cr_assert_eq(amdbare_gemm(dev, &g), 0, "%s", amdbare_last_error());
	for (int i = 0; i < 40; i++)
		for (int j = 0; j < 30; j++) {
			double s = 0, mag = 0;
			for (int k = 0; k < 24; k++) {
				double p = (double)f16_to_f32(a[i * 24 + k]) * f16_to_f32(b[k * 30 + j]);
				s += p;
				mag += fabs(p);
			}
			cr_assert(fabs(cc[i * 30 + j] - s) <= 28 * ldexp(1, -24) * mag + 1e-30,
				  "C[%d][%d] = %g, reference %g", i, j, cc[i * 30 + j], s);
		}
	cr_assert_eq(amdbare_alloc_free(al, sa.id), 0);
	cr_assert_eq(amdbare_alloc_free(al, sb.id), 0);
	cr_assert_eq(amdbare_alloc_free(al, sc.id), 0);
	cr_assert_eq(amdbare_alloc_free(al, pad.id), 0);
	cr_assert_eq(amdbare_allocator_destroy(al), 0, "nothing left live");
}

/* ---- GEMV ------------------------------------------------------------------ */

struct gemv_case {
	uint32_t n, k, pad;
	amdbare_dtype wt, xt, yt;
	uint64_t off_w, off_x, off_y;
	float alpha, beta;
};

static void gemv_case_run(const struct gemv_case *c, amdbare_dispatcher *d)
{
	uint32_t ldw = c->k + c->pad;
	struct buf w = buf_new(c->off_w + (uint64_t)c->n * ldw * esize(c->wt));
	struct buf x = buf_new(c->off_x + (uint64_t)c->k * esize(c->xt));
	struct buf y = buf_new(c->off_y + (uint64_t)c->n * esize(c->yt));
	char *pw = (char *)w.cpu + c->off_w, *px = (char *)x.cpu + c->off_x;
	char *py = (char *)y.cpu + c->off_y;
	for (size_t i = 0; i < (size_t)c->n * ldw; i++)
		put(pw, i, c->wt, rnd());
	for (size_t i = 0; i < c->k; i++)
		put(px, i, c->xt, rnd());
	float *y0 = calloc(c->n, sizeof(float));
	cr_assert(y0);
	for (size_t i = 0; i < c->n; i++) {
		put(py, i, c->yt, rnd());
		y0[i] = get(py, i, c->yt);
	}
	amdbare_gemv_desc v = {
		.n = c->n, .k = c->k, .ldw = ldw, .alpha = c->alpha, .beta = c->beta,
		.w = amdbare_tensor(w.bo, c->off_w, c->wt),
		.x = amdbare_tensor(x.bo, c->off_x, c->xt),
		.y = amdbare_tensor(y.bo, c->off_y, c->yt),
	};
	int rc = d ? amdbare_gemv_enqueue(dev, d, &v) : amdbare_gemv(dev, &v);
	cr_assert_eq(rc, 0, "gemv %ux%u: %s", c->n, c->k, amdbare_last_error());
	if (d)
		cr_assert_eq(amdbare_dispatcher_run(d, NULL), 0, "%s", amdbare_last_error());
	double u = out_rounding(c->yt);
	for (uint32_t i = 0; i < c->n; i++) {
		double s = 0, mag = 0;
		for (uint32_t k = 0; k < c->k; k++) {
			double p = (double)get(pw, (size_t)i * ldw + k, c->wt) * get(px, k, c->xt);
			s += p;
			mag += fabs(p);
		}
		double bc = c->beta != 0.0f ? (double)c->beta * y0[i] : 0.0;
		double ref = c->alpha * s + bc;
		double tol = (c->k + 4) * ldexp(1, -24) * (fabs(c->alpha) * mag + fabs(bc)) +
			     u * fabs(ref) + 1e-30;
		float got = get(py, i, c->yt);
		cr_assert(fabs(got - ref) <= tol,
			  "gemv %s x %s -> %s %ux%u: y[%u] = %.9g, reference %.9g (tolerance %.3g)",
			  amdbare_dtype_name(c->wt), amdbare_dtype_name(c->xt),
			  amdbare_dtype_name(c->yt), c->n, c->k, i, got, ref, tol);
	}
	free(y0);
	buf_free(&w);
	buf_free(&x);
	buf_free(&y);
}

static void gemv_all(amdbare_dtype t)
{
	static const uint32_t ks[] = {1, 7, 16, 17, 64, 127, 128, 255, 256, 300, 1000};
	for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		struct gemv_case c = {.n = 37, .k = ks[i], .wt = t, .xt = AMDBARE_DTYPE_F32,
				      .yt = AMDBARE_DTYPE_F32, .alpha = 1};
		gemv_case_run(&c, NULL);
	}
	static const uint32_t ns[] = {1, 16, 17, 255};
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		struct gemv_case c = {.n = ns[i], .k = 64, .wt = t, .xt = AMDBARE_DTYPE_F32,
				      .yt = AMDBARE_DTYPE_F32, .alpha = 1};
		gemv_case_run(&c, NULL);
	}
	/* x and y in W's type, alpha/beta, padded aligned rows */
	struct gemv_case c = {.n = 40, .k = 520, .pad = 8, .wt = t, .xt = t, .yt = t,
			      .off_w = 512, .off_x = 64, .off_y = 32, .alpha = 2, .beta = -0.5f};
	gemv_case_run(&c, NULL);
	/* misaligned offsets and row pitch: the scalar path */
	c = (struct gemv_case){.n = 19, .k = 77, .pad = 3, .wt = t, .xt = AMDBARE_DTYPE_F32,
			       .yt = AMDBARE_DTYPE_F32, .off_w = 2 * esize(t), .off_x = 4,
			       .off_y = 8, .alpha = 1, .beta = 1};
	gemv_case_run(&c, NULL);
}

Test(linalg, gemv_f16) { gemv_all(AMDBARE_DTYPE_F16); }
Test(linalg, gemv_bf16) { gemv_all(AMDBARE_DTYPE_BF16); }
Test(linalg, gemv_f32) { gemv_all(AMDBARE_DTYPE_F32); }

/* M = 1 with B stored N x K goes through the GEMV kernel (x^T W^T =
 * (W x)^T, the decode step of a model), with alpha, beta, padded rows and
 * the output in the input type; transposed A with lda = 1 too. */
Test(linalg, m1_gemm_through_gemv)
{
	amdbare_dtype ts[] = {AMDBARE_DTYPE_F16, AMDBARE_DTYPE_BF16, AMDBARE_DTYPE_F32};
	for (int i = 0; i < 3; i++) {
		struct gemm_case c = plain(1, 70, 300, ts[i]);
		c.tb = true;
		c.out = ts[i];
		c.alpha = 0.5f;
		c.beta = -1.0f;
		c.pad_b = 8;
		gemm_case_run(&c);
		c = plain(1, 33, 64, ts[i]);
		c.ta = c.tb = true; /* A stored K x 1: lda = 1, contiguous */
		gemm_case_run(&c);
	}
}

Test(linalg, m1_gemm_equals_gemv)
{
	const uint32_t n = 48, k = 80;
	struct buf w = buf_new(n * k * 2), x = buf_new(k * 2), y1 = buf_new(n * 4), y2 = buf_new(n * 4);
	for (uint32_t i = 0; i < n * k; i++)
		((uint16_t *)w.cpu)[i] = f32_to_f16(rnd());
	for (uint32_t i = 0; i < k; i++)
		((uint16_t *)x.cpu)[i] = f32_to_f16(rnd());
	amdbare_gemm_desc g = {.m = 1, .n = n, .k = k, .trans_b = true, .alpha = 1,
			       .a = amdbare_tensor(x.bo, 0, AMDBARE_DTYPE_F16),
			       .b = amdbare_tensor(w.bo, 0, AMDBARE_DTYPE_F16),
			       .c = amdbare_tensor(y1.bo, 0, AMDBARE_DTYPE_F32)};
	amdbare_gemv_desc v = {.n = n, .k = k, .alpha = 1,
			       .w = amdbare_tensor(w.bo, 0, AMDBARE_DTYPE_F16),
			       .x = amdbare_tensor(x.bo, 0, AMDBARE_DTYPE_F16),
			       .y = amdbare_tensor(y2.bo, 0, AMDBARE_DTYPE_F32)};
	cr_assert_eq(amdbare_gemm(dev, &g), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_gemv(dev, &v), 0, "%s", amdbare_last_error());
	for (uint32_t i = 0; i < n; i++) {
		float a = ((float *)y1.cpu)[i], b = ((float *)y2.cpu)[i];
		cr_assert(fabsf(a - b) <= 1e-5f * (1 + fabsf(a)), "y[%u]: gemm %g, gemv %g", i, a, b);
	}
	buf_free(&w);
	buf_free(&x);
	buf_free(&y1);
	buf_free(&y2);
}

/* The kernel modules are cached on the device and released with it:
 * nothing (GEM buffers, mappings, contexts) stays open in the device. */
Test(linalg, nothing_left_open_after_close)
{
	struct gemm_case c = plain(20, 30, 40, AMDBARE_DTYPE_BF16);
	gemm_case_run(&c);
	struct gemv_case v = {.n = 20, .k = 40, .wt = AMDBARE_DTYPE_F32, .xt = AMDBARE_DTYPE_F32,
			      .yt = AMDBARE_DTYPE_F32, .alpha = 1};
	gemv_case_run(&v, NULL);
	amdbare_device_close(dev);
	dev = NULL;
	char desc[512];
	cr_assert_eq(vgpu_test_open_objects(desc, sizeof(desc)), 0, "still open: %s", desc);
}

/* Many GEMMs/GEMVs in one dispatcher = one CS ioctl; each reads the
 * previous one's output (the barrier the enqueue adds). */
Test(linalg, batch_is_one_submission_and_ordered)
{
	const uint32_t n = 32;
	struct buf m = buf_new(n * n * 4), v0 = buf_new(n * 4), v1 = buf_new(n * 4),
		   v2 = buf_new(n * 4), c = buf_new(n * n * 4);
	float *pm = m.cpu, *p0 = v0.cpu;
	for (uint32_t i = 0; i < n * n; i++)
		pm[i] = rnd();
	for (uint32_t i = 0; i < n; i++)
		p0[i] = rnd();
	amdbare_dispatcher *d;
	cr_assert_eq(amdbare_dispatcher_create(dev, &d), 0, "%s", amdbare_last_error());
	amdbare_gemv_desc g1 = {.n = n, .k = n, .alpha = 1,
				.w = amdbare_tensor(m.bo, 0, AMDBARE_DTYPE_F32),
				.x = amdbare_tensor(v0.bo, 0, AMDBARE_DTYPE_F32),
				.y = amdbare_tensor(v1.bo, 0, AMDBARE_DTYPE_F32)};
	amdbare_gemv_desc g2 = g1;
	g2.x = g1.y;
	g2.y = amdbare_tensor(v2.bo, 0, AMDBARE_DTYPE_F32);
	amdbare_gemm_desc gm = {.m = n, .n = n, .k = n, .alpha = 1,
				.a = amdbare_tensor(m.bo, 0, AMDBARE_DTYPE_F32),
				.b = amdbare_tensor(m.bo, 0, AMDBARE_DTYPE_F32),
				.c = amdbare_tensor(c.bo, 0, AMDBARE_DTYPE_F32)};
	cr_assert_eq(amdbare_gemv_enqueue(dev, d, &g1), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_gemv_enqueue(dev, d, &g2), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_gemm_enqueue(dev, d, &gm), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_dispatcher_count(d), 3);
	uint64_t before = ab_cs_ioctl_count();
	cr_assert_eq(amdbare_dispatcher_run(d, NULL), 0, "%s", amdbare_last_error());
	cr_assert_eq(ab_cs_ioctl_count() - before, 1, "one submission for three operations");
	amdbare_dispatcher_free(d);
	double r1[32], r2[32];
	for (uint32_t i = 0; i < n; i++) {
		r1[i] = 0;
		for (uint32_t k = 0; k < n; k++)
			r1[i] += (double)pm[i * n + k] * p0[k];
	}
	for (uint32_t i = 0; i < n; i++) {
		r2[i] = 0;
		for (uint32_t k = 0; k < n; k++)
			r2[i] += (double)pm[i * n + k] * ((float *)v1.cpu)[k];
		cr_assert(fabs(((float *)v1.cpu)[i] - r1[i]) <= 1e-5 * (1 + fabs(r1[i])));
		cr_assert(fabs(((float *)v2.cpu)[i] - r2[i]) <= 1e-5 * (1 + fabs(r2[i])),
			  "y2[%u] = %g, reference %g (read y1 before it was written?)", i,
			  ((float *)v2.cpu)[i], r2[i]);
	}
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t j = 0; j < n; j++) {
			double s = 0;
			for (uint32_t k = 0; k < n; k++)
				s += (double)pm[i * n + k] * pm[k * n + j];
			cr_assert(fabs(((float *)c.cpu)[i * n + j] - s) <= 1e-5 * (1 + fabs(s)));
		}
	buf_free(&m);
	buf_free(&v0);
	buf_free(&v1);
	buf_free(&v2);
	buf_free(&c);
}

/* ---- validation -------------------------------------------------------------- */

/* A descriptor whose buffers are exactly big enough. */
static amdbare_gemm_desc exact_gemm(struct buf *a, struct buf *b, struct buf *c)
{
	return (amdbare_gemm_desc){
		.m = 10, .n = 12, .k = 8, .lda = 9, .ldb = 12, .ldc = 13, .alpha = 1,
		.a = amdbare_tensor(a->bo, a->size - ((10 - 1) * 9 + 8) * 2, AMDBARE_DTYPE_F16),
		.b = amdbare_tensor(b->bo, b->size - ((8 - 1) * 12 + 12) * 2, AMDBARE_DTYPE_F16),
		.c = amdbare_tensor(c->bo, c->size - ((10 - 1) * 13 + 12) * 4, AMDBARE_DTYPE_F32),
	};
}

static void expect_invalid(amdbare_dispatcher *d, const amdbare_gemm_desc *g, int err,
			   const char *what, const char *msg_part)
{
	uint64_t before = ab_cs_ioctl_count();
	int rc = amdbare_gemm(dev, g);
	cr_assert_eq(rc, err, "%s: expected %d, got %d (%s)", what, err, rc, amdbare_last_error());
	cr_assert(strstr(amdbare_last_error(), msg_part), "%s: message '%s' lacks '%s'", what,
		  amdbare_last_error(), msg_part);
	rc = amdbare_gemm_enqueue(dev, d, g);
	cr_assert_eq(rc, err, "%s (enqueue): expected %d, got %d", what, err, rc);
	cr_assert_eq(amdbare_dispatcher_count(d), 0, "%s: nothing may be queued", what);
	cr_assert_eq(ab_cs_ioctl_count(), before, "%s: nothing may be submitted", what);
}

Test(linalg, gemm_validation)
{
	struct buf a = buf_new(4096), b = buf_new(4096), c = buf_new(4096);
	amdbare_dispatcher *d;
	cr_assert_eq(amdbare_dispatcher_create(dev, &d), 0);
	amdbare_gemm_desc g = exact_gemm(&a, &b, &c);
	/* exactly fitting: accepted and correct bounds */
	cr_assert_eq(amdbare_gemm_check(&g), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_gemm(dev, &g), 0, "%s", amdbare_last_error());
	amdbare_gemm_desc e = g;
	e.a.offset += 2;
	expect_invalid(d, &e, -EINVAL, "A one element too small", "A needs bytes");
	e = g;
	e.b.offset += 2;
	expect_invalid(d, &e, -EINVAL, "B one element too small", "B needs bytes");
	e = g;
	e.c.offset += 4;
	expect_invalid(d, &e, -EINVAL, "C one element too small", "C needs bytes");
	e = g;
	e.trans_a = true; /* now A is 8 x 10 with lda 9 < 10 */
	expect_invalid(d, &e, -EINVAL, "lda below the transposed row", "leading dimension of A");
	e = g;
	e.ldc = 11;
	expect_invalid(d, &e, -EINVAL, "ldc < N", "leading dimension of C");
	e = g;
	e.m = 0;
	expect_invalid(d, &e, -EINVAL, "M = 0", "M is 0");
	e = g;
	e.k = 0;
	expect_invalid(d, &e, -EINVAL, "K = 0", "K is 0");
	e = g;
	e.n = (1u << 27) + 1; /* above AB_LINALG_MAX_DIM */
	expect_invalid(d, &e, -EINVAL, "N huge", "largest supported");
	e = g;
	e.b.dtype = AMDBARE_DTYPE_BF16;
	expect_invalid(d, &e, -EINVAL, "A f16, B bf16", "same type");
	e = g;
	e.c.dtype = AMDBARE_DTYPE_BF16;
	expect_invalid(d, &e, -EINVAL, "f16 in, bf16 out", "must be f32 or f16");
	e = g;
	e.a.dtype = e.b.dtype = AMDBARE_DTYPE_Q4_0;
	expect_invalid(d, &e, -EINVAL, "quantized input", "supported: f16, bf16, f32");
	e = g;
	e.a.offset = 1;
	expect_invalid(d, &e, -EINVAL, "odd offset", "not a multiple of its element size");
	e = g;
	e.c.bo = NULL;
	expect_invalid(d, &e, -EINVAL, "no buffer", "C has no buffer");
	e = g;
	e.a.offset = UINT64_MAX - 1;
	expect_invalid(d, &e, -EOVERFLOW, "offset overflow", "overflows");
	e = g;
	e.c = amdbare_tensor(a.bo, g.a.offset, AMDBARE_DTYPE_F16); /* one element, A's first */
	e.m = e.n = 1;
	e.ldc = 0;
	expect_invalid(d, &e, -EINVAL, "C overlaps A", "overlaps A");
	e = g;
	e.c = amdbare_tensor(b.bo, g.b.offset, AMDBARE_DTYPE_F16); /* one element, B's first */
	e.m = e.n = 1;
	e.ldc = 0;
	expect_invalid(d, &e, -EINVAL, "C overlaps the first element of B", "overlaps B");
	cr_assert_eq(amdbare_gemm_check(NULL), -EINVAL);
	amdbare_dispatcher_free(d);
	buf_free(&a);
	buf_free(&b);
	buf_free(&c);
}

Test(linalg, gemv_validation)
{
	struct buf w = buf_new(4096), x = buf_new(4096), y = buf_new(4096);
	amdbare_gemv_desc v = {
		.n = 20, .k = 30, .ldw = 32, .alpha = 1,
		.w = amdbare_tensor(w.bo, w.size - (19 * 32 + 30) * 2, AMDBARE_DTYPE_BF16),
		.x = amdbare_tensor(x.bo, x.size - 30 * 4, AMDBARE_DTYPE_F32),
		.y = amdbare_tensor(y.bo, y.size - 20 * 2, AMDBARE_DTYPE_BF16),
	};
	cr_assert_eq(amdbare_gemv(dev, &v), 0, "%s", amdbare_last_error());
	uint64_t before = ab_cs_ioctl_count();
	amdbare_gemv_desc e = v;
	e.w.offset += 2;
	cr_assert_eq(amdbare_gemv(dev, &e), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "W needs bytes"), "%s", amdbare_last_error());
	e = v;
	e.x.offset += 4;
	cr_assert_eq(amdbare_gemv(dev, &e), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "x needs bytes"), "%s", amdbare_last_error());
	e = v;
	e.y.offset += 2;
	cr_assert_eq(amdbare_gemv(dev, &e), -EINVAL);
	e = v;
	e.ldw = 29;
	cr_assert_eq(amdbare_gemv(dev, &e), -EINVAL);
	e = v;
	e.x.dtype = AMDBARE_DTYPE_F16;
	cr_assert_eq(amdbare_gemv(dev, &e), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "must be f32 or bf16"), "%s", amdbare_last_error());
	e = v;
	e.y = amdbare_tensor(x.bo, x.size - 20 * 2, AMDBARE_DTYPE_BF16); /* y over x */
	cr_assert_eq(amdbare_gemv(dev, &e), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "y (bytes"), "%s", amdbare_last_error());
	cr_assert(strstr(amdbare_last_error(), "overlaps x"), "%s", amdbare_last_error());
	e = v;
	e.n = 0;
	cr_assert_eq(amdbare_gemv_check(&e), -EINVAL);
	cr_assert_eq(ab_cs_ioctl_count(), before, "nothing may be submitted");
	buf_free(&w);
	buf_free(&x);
	buf_free(&y);
}

/* ---- GEMV on GGUF Q8_0 weights ------------------------------------------------ */

/* W as ggml lays out a Q8_0 tensor of shape [K, N]: N rows, each K / 32
 * blocks of {f16 scale d, int8 q[32]} (34 bytes, no padding), rows ldw / 32
 * blocks apart.  The reference dequantises the same bytes (d * q, exact
 * in double) and sums in double.
 *
 * Tolerance: the kernel sums a block's 32 products q * x with FMAs (32
 * roundings), scales and adds the block to its lane's partial sum with
 * one FMA (1), a lane holds ceil(B / 32) of the B = K / 32 blocks (that
 * many additions), the 32 lane sums are added in sequence (at most
 * min(B, 32) of them are non-zero: adding an exact 0 does not round), and
 * alpha * s + beta * y rounds at most 3 times more.  Each rounding is a
 * relative error of at most 2^-24 of a partial sum, and every partial sum
 * is bounded by sum |d * q * x| (plus |beta * y|), so
 *   |got - ref| <= n_r * 2^-24 * (|alpha| * sum |d q x| + |beta y|)
 * with n_r = 32 + 1 + ceil(B / 32) + min(B, 32) + 3 (times 1.01 for the
 * second-order terms of gamma_n = n u / (1 - n u), n u < 2^-16). */
struct q8_case {
	uint32_t n, k, pad_blocks;      /* ldw = k + 32 * pad_blocks */
	uint64_t off_w, off_x, off_y;   /* off_w even; others multiples of 4 */
	float alpha, beta;
	bool nan_y;                     /* y starts as NaN (beta must be 0) */
};

#define Q8_BYTES 34u

/* One block: a scale of either sign in [2^-10, 2^-4) (f16 normals, a
 * typical magnitude for model weights) and quants over all of [-128, 127]. */
static void q8_block_fill(uint8_t *b)
{
	float d = ldexpf(1.0f + 0.5f * rnd(), -4 - (int)(rng % 7));
	uint16_t h = f32_to_f16(rnd() < 0 ? -d : d);
	memcpy(b, &h, 2);   /* little-endian, as the file stores it */
	for (int i = 0; i < 32; i++) {
		rnd(); /* advances rng */
		b[2 + i] = (uint8_t)(rng >> 8);
	}
}

static double q8_elem(const uint8_t *row, uint32_t k)
{
	const uint8_t *b = row + (size_t)(k / 32) * Q8_BYTES;
	uint16_t h;
	memcpy(&h, b, 2);
	return (double)f16_to_f32(h) * (int8_t)b[2 + k % 32];
}

static void q8_case_run(const struct q8_case *c, amdbare_dispatcher *d)
{
	uint32_t ldw = c->k + 32 * c->pad_blocks;
	uint64_t row_bytes = (uint64_t)ldw / 32 * Q8_BYTES;
	uint64_t w_bytes = (uint64_t)(c->n - 1) * row_bytes + (uint64_t)c->k / 32 * Q8_BYTES;
	struct buf w = buf_new(c->off_w + w_bytes);
	struct buf x = buf_new(c->off_x + (uint64_t)c->k * 4);
	struct buf y = buf_new(c->off_y + (uint64_t)c->n * 4 + 64);
	uint8_t *pw = (uint8_t *)w.cpu + c->off_w;
	float *px = (float *)((char *)x.cpu + c->off_x), *py = (float *)((char *)y.cpu + c->off_y);
	for (uint32_t i = 0; i < c->n; i++)
		for (uint32_t b = 0; b < ldw / 32; b++)
			if (i + 1 < c->n || b < c->k / 32)
				q8_block_fill(pw + i * row_bytes + (size_t)b * Q8_BYTES);
	for (uint32_t i = 0; i < c->k; i++)
		px[i] = rnd();
	float *y0 = calloc(c->n, sizeof(float));
	cr_assert(y0);
	for (uint32_t i = 0; i < c->n; i++)
		y0[i] = py[i] = c->nan_y ? NAN : rnd();
	amdbare_gemv_desc v = {
		.n = c->n, .k = c->k, .ldw = ldw, .alpha = c->alpha, .beta = c->beta,
		.w = amdbare_tensor(w.bo, c->off_w, AMDBARE_DTYPE_Q8_0),
		.x = amdbare_tensor(x.bo, c->off_x, AMDBARE_DTYPE_F32),
		.y = amdbare_tensor(y.bo, c->off_y, AMDBARE_DTYPE_F32),
	};
	int rc = d ? amdbare_gemv_enqueue(dev, d, &v) : amdbare_gemv(dev, &v);
	cr_assert_eq(rc, 0, "gemv q8_0 %ux%u: %s", c->n, c->k, amdbare_last_error());
	if (d)
		cr_assert_eq(amdbare_dispatcher_run(d, NULL), 0, "%s", amdbare_last_error());
	uint32_t blocks = c->k / 32;
	double nr = 32 + 1 + (blocks + 31) / 32 + (blocks < 32 ? blocks : 32) + 3;
	for (uint32_t i = 0; i < c->n; i++) {
		double s = 0, mag = 0;
		for (uint32_t k = 0; k < c->k; k++) {
			double p = q8_elem(pw + i * row_bytes, k) * px[k];
			s += p;
			mag += fabs(p);
		}
		double by = c->beta != 0.0f ? (double)c->beta * y0[i] : 0.0;
		double ref = (double)c->alpha * s + by;
		double tol = 1.01 * nr * ldexp(1, -24) * (fabs(c->alpha) * mag + fabs(by)) + 1e-30;
		cr_assert(fabs(py[i] - ref) <= tol,
			  "gemv q8_0 %ux%u (ldw %u, offsets %llu/%llu/%llu): y[%u] = %.9g, reference "
			  "%.9g (|diff| %.3g > tolerance %.3g)", c->n, c->k, ldw,
			  (unsigned long long)c->off_w, (unsigned long long)c->off_x,
			  (unsigned long long)c->off_y, i, py[i], ref, fabs(py[i] - ref), tol);
	}
	/* nothing outside y[0, n) written */
	for (uint64_t i = 0; i < c->off_y; i++)
		cr_assert_eq(((uint8_t *)y.cpu)[i], 0x5a, "y byte %llu before the offset changed",
			     (unsigned long long)i);
	for (uint64_t i = c->off_y + (uint64_t)c->n * 4; i < y.size; i++)
		cr_assert_eq(((uint8_t *)y.cpu)[i], 0x5a, "y byte %llu after y[n - 1] changed",
			     (unsigned long long)i);
	free(y0);
	buf_free(&w);
	buf_free(&x);
	buf_free(&y);
}

static struct q8_case q8_plain(uint32_t n, uint32_t k)
{
	return (struct q8_case){.n = n, .k = k, .alpha = 1.0f};
}

/* K from one block to 128 (four per lane); N around the 16 rows of a
 * workgroup and the 2 rows of a wave. */
Test(linalg, gemv_q8_0_shapes)
{
	static const uint32_t ks[] = {32, 64, 96, 1024, 1056, 4096};
	for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		struct q8_case c = q8_plain(17, ks[i]);
		q8_case_run(&c, NULL);
	}
	static const uint32_t ns[] = {1, 2, 15, 16, 33, 255};
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		struct q8_case c = q8_plain(ns[i], 64);
		q8_case_run(&c, NULL);
	}
}

/* alpha/beta, padded rows, offsets: an even W offset that is not 4-byte
 * aligned (every block only 2-byte aligned), an odd number of blocks per
 * row (rows alternate alignment), x unaligned to 16 bytes (scalar x loads)
 * and aligned (float4 loads); the batched route; beta = 0 ignores NaN. */
Test(linalg, gemv_q8_0_variants)
{
	struct q8_case c = q8_plain(37, 160);
	c.pad_blocks = 2;
	c.off_w = 6;
	c.off_x = 4;
	c.off_y = 8;
	c.alpha = -1.5f;
	c.beta = 0.75f;
	q8_case_run(&c, NULL);
	c = q8_plain(20, 96);
	c.pad_blocks = 1;
	c.off_w = 34 * 3;
	c.off_x = 64;
	c.off_y = 16;
	c.alpha = 0.5f;
	c.beta = -2.0f;
	q8_case_run(&c, NULL);
	amdbare_dispatcher *d;
	cr_assert_eq(amdbare_dispatcher_create(dev, &d), 0, "%s", amdbare_last_error());
	c = q8_plain(19, 320);
	c.off_w = 2;
	q8_case_run(&c, d);
	amdbare_dispatcher_free(d);
	c = q8_plain(18, 64);
	c.nan_y = true;
	q8_case_run(&c, NULL);
}

/* A Q8_0 GEMV equals an f32 GEMV of the dequantised matrix (same shapes,
 * same x), within the tolerance of both. */
Test(linalg, gemv_q8_0_equals_dequantised_f32)
{
	const uint32_t n = 24, k = 128, nb = k / 32;
	struct buf wq = buf_new(n * nb * Q8_BYTES), wf = buf_new(n * k * 4), x = buf_new(k * 4),
		   y1 = buf_new(n * 4), y2 = buf_new(n * 4);
	uint8_t *pq = wq.cpu;
	for (uint32_t i = 0; i < n * nb; i++)
		q8_block_fill(pq + i * Q8_BYTES);
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t j = 0; j < k; j++)
			((float *)wf.cpu)[i * k + j] = (float)q8_elem(pq + i * nb * Q8_BYTES, j);
	for (uint32_t i = 0; i < k; i++)
		((float *)x.cpu)[i] = rnd();
	amdbare_gemv_desc v = {.n = n, .k = k, .alpha = 1,
			       .w = amdbare_tensor(wq.bo, 0, AMDBARE_DTYPE_Q8_0),
			       .x = amdbare_tensor(x.bo, 0, AMDBARE_DTYPE_F32),
			       .y = amdbare_tensor(y1.bo, 0, AMDBARE_DTYPE_F32)};
	cr_assert_eq(amdbare_gemv(dev, &v), 0, "%s", amdbare_last_error());
	v.w = amdbare_tensor(wf.bo, 0, AMDBARE_DTYPE_F32);
	v.y = amdbare_tensor(y2.bo, 0, AMDBARE_DTYPE_F32);
	cr_assert_eq(amdbare_gemv(dev, &v), 0, "%s", amdbare_last_error());
	for (uint32_t i = 0; i < n; i++) {
		double mag = 0;
		for (uint32_t j = 0; j < k; j++)
			mag += fabs(((float *)wf.cpu)[i * k + j] * ((float *)x.cpu)[j]);
		float a = ((float *)y1.cpu)[i], b = ((float *)y2.cpu)[i];
		cr_assert(fabs(a - b) <= 2 * 1.01 * (k + 40) * ldexp(1, -24) * mag + 1e-30,
			  "y[%u]: q8_0 %.9g, dequantised f32 %.9g", i, a, b);
	}
	buf_free(&wq);
	buf_free(&wf);
	buf_free(&x);
	buf_free(&y1);
	buf_free(&y2);
}

static void expect_gemv_invalid(amdbare_dispatcher *d, const amdbare_gemv_desc *v, int err,
				const char *what, const char *msg_part)
{
	uint64_t before = ab_cs_ioctl_count();
	int rc = amdbare_gemv(dev, v);
	cr_assert_eq(rc, err, "%s: expected %d, got %d (%s)", what, err, rc, amdbare_last_error());
	cr_assert(strstr(amdbare_last_error(), msg_part), "%s: message '%s' lacks '%s'", what,
		  amdbare_last_error(), msg_part);
	cr_assert_eq(amdbare_gemv_check(v), err, "%s (check)", what);
	rc = amdbare_gemv_enqueue(dev, d, v);
	cr_assert_eq(rc, err, "%s (enqueue): expected %d, got %d", what, err, rc);
	cr_assert_eq(amdbare_dispatcher_count(d), 0, "%s: nothing may be queued", what);
	cr_assert_eq(ab_cs_ioctl_count(), before, "%s: nothing may be submitted", what);
}

Test(linalg, gemv_q8_0_validation)
{
	struct buf w = buf_new(4096), x = buf_new(4096), y = buf_new(4096);
	amdbare_dispatcher *d;
	cr_assert_eq(amdbare_dispatcher_create(dev, &d), 0);
	/* 10 rows of 2 blocks, rows 3 blocks apart, each operand ending
	 * exactly at the end of its buffer */
	const uint64_t w_bytes = (9 * 3 + 2) * Q8_BYTES;
	amdbare_gemv_desc v = {
		.n = 10, .k = 64, .ldw = 96, .alpha = 1,
		.w = amdbare_tensor(w.bo, w.size - w_bytes, AMDBARE_DTYPE_Q8_0),
		.x = amdbare_tensor(x.bo, x.size - 64 * 4, AMDBARE_DTYPE_F32),
		.y = amdbare_tensor(y.bo, y.size - 10 * 4, AMDBARE_DTYPE_F32),
	};
	cr_assert_eq(v.w.offset % 2, 0);
	cr_assert_eq(amdbare_gemv_check(&v), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_gemv(dev, &v), 0, "%s", amdbare_last_error());
	amdbare_gemv_desc e = v;
	e.w.offset += 2;
	expect_gemv_invalid(d, &e, -EINVAL, "W two bytes too small", "W needs bytes");
	e = v;
	e.ldw = 0; /* packed: 10 x 2 blocks fit; then one more row does not */
	cr_assert_eq(amdbare_gemv_check(&e), 0, "%s", amdbare_last_error());
	e.n = (uint32_t)(w.size / (2 * Q8_BYTES)) + 1;
	e.w.offset = 0;
	e.y = amdbare_tensor(y.bo, 0, AMDBARE_DTYPE_F32);
	expect_gemv_invalid(d, &e, -EINVAL, "W one row too many", "W needs bytes");
	e = v;
	e.x.offset += 4;
	expect_gemv_invalid(d, &e, -EINVAL, "x one element too small", "x needs bytes");
	e = v;
	e.y.offset += 4;
	expect_gemv_invalid(d, &e, -EINVAL, "y one element too small", "y needs bytes");
	e = v;
	e.k = 48;
	expect_gemv_invalid(d, &e, -EINVAL, "K = 48", "not a multiple of 32");
	e = v;
	e.k = 1;
	e.ldw = 0;
	expect_gemv_invalid(d, &e, -EINVAL, "K = 1", "not a multiple of 32");
	e = v;
	e.k = 0;
	expect_gemv_invalid(d, &e, -EINVAL, "K = 0", "K is 0");
	e = v;
	e.ldw = 80;
	expect_gemv_invalid(d, &e, -EINVAL, "ldw not whole blocks", "not a multiple of the q8_0 block");
	e = v;
	e.ldw = 32;
	expect_gemv_invalid(d, &e, -EINVAL, "ldw < K", "leading dimension of W");
	e = v;
	e.w.offset -= 1;
	expect_gemv_invalid(d, &e, -EINVAL, "odd W offset", "not a multiple of 2");
	e = v;
	e.x.dtype = AMDBARE_DTYPE_F16;
	expect_gemv_invalid(d, &e, -EINVAL, "x f16", "must be f32");
	e = v;
	e.y.dtype = AMDBARE_DTYPE_BF16;
	expect_gemv_invalid(d, &e, -EINVAL, "y bf16", "must be f32");
	e = v;
	e.w.dtype = AMDBARE_DTYPE_Q4_0;
	expect_gemv_invalid(d, &e, -EINVAL, "q4_0 W", "supported: f16, bf16, f32, q8_0");
	e = v;
	e.w.bo = NULL;
	expect_gemv_invalid(d, &e, -EINVAL, "no W buffer", "W has no buffer");
	e = v;
	e.w.offset = UINT64_MAX - 1;
	expect_gemv_invalid(d, &e, -EOVERFLOW, "W offset overflow", "overflows");
	e = v;
	e.y = amdbare_tensor(w.bo, w.size - 40, AMDBARE_DTYPE_F32); /* over W's last block */
	expect_gemv_invalid(d, &e, -EINVAL, "y over W", "overlaps W");
	amdbare_dispatcher_free(d);
	buf_free(&w);
	buf_free(&x);
	buf_free(&y);
}

/* ---- every embedded target ----------------------------------------------------- */

static void one_per_profile(const char *profile, const char *target)
{
	open_on(profile);
	amdbare_device_info info;
	amdbare_device_get_info(dev, &info);
	cr_assert_str_eq(info.gfx_target, target);
	struct gemm_case c = plain(40, 33, 50, AMDBARE_DTYPE_BF16);
	c.tb = true;
	gemm_case_run(&c);
	struct gemv_case v = {.n = 20, .k = 100, .wt = AMDBARE_DTYPE_F16, .xt = AMDBARE_DTYPE_F32,
			      .yt = AMDBARE_DTYPE_F32, .alpha = 1};
	gemv_case_run(&v, NULL);
	struct q8_case q = q8_plain(20, 1056);
	q.beta = 0.5f;
	q8_case_run(&q, NULL);
}

/* No .init: each test opens its own profile. */
TestSuite(linalg_targets, .fini = teardown, .timeout = 600);

Test(linalg_targets, gfx1103_780m) { one_per_profile("780m", "gfx1103"); }
Test(linalg_targets, gfx1150_890m) { one_per_profile("890m", "gfx1150"); }
Test(linalg_targets, gfx1151_8060s) { one_per_profile("8060s", "gfx1151"); }
Test(linalg_targets, gfx1152_860m) { one_per_profile("860m", "gfx1152"); }
Test(linalg_targets, gfx1100_7900xtx) { one_per_profile("7900xtx", "gfx1100"); }

/* ---- gfx10.3 (RDNA2) profiles ------------------------------------------------ */

/* gfx10.3 has no WMMA: gemm_f16/gemm_bf16 there are gemm.cl's dot-product
 * kernels (v_dot2_f32_f16, widened bf16 FMAs), new code per target, so one
 * profile (680M) runs the transposes, the prefetched aligned path, a
 * partial K step and alpha/beta in the output type for both 16-bit types;
 * the others run one case of each kernel.
 *
 * A vgpu that does not model gfx10.3 execution faults the first job and
 * says so on stderr ("gfx10.3 command processor not modelled"); the
 * library reports the reset as -ECANCELED.  Only then is the test skipped,
 * saying why; any other fault of a gfx10.3 job is a failure that quotes
 * the vgpu's message. */
static void gfx103_first_gemm_or_skip(const char *profile, const char *target)
{
	open_on(profile);
	amdbare_device_info info;
	amdbare_device_get_info(dev, &info);
	cr_assert_str_eq(info.gfx_target, target);
	struct gemm_case c = plain(40, 33, 50, AMDBARE_DTYPE_F16);
	c.tb = true;
	struct gemm_run r;
	gemm_prepare(&r, &c);
	struct stderr_capture cap;
	char log[2048];
	stderr_capture_begin(&cap);
	int rc = amdbare_gemm(dev, &r.g);
	stderr_capture_end(&cap, log, sizeof(log));
	if (rc == -ECANCELED && strstr(log, "command processor not modelled")) {
		char why[512];
		snprintf(why, sizeof(why), "%s (%s): the vgpu does not model this generation's "
			 "execution: the GEMM failed cleanly with -ECANCELED (%s); GEMM/GEMV results "
			 "not checked", profile, target, amdbare_last_error());
		gemm_release(&r);
		fprintf(stderr, "SKIP: %s\n", why);
		cr_skip_test("%s", why);
	}
	cr_assert_eq(rc, 0, "gemm on %s: %d %s; vgpu: %s", profile, rc, amdbare_last_error(), log);
	gemm_verify(&r);
	gemm_release(&r);
}

static void gfx103_profile(const char *profile, const char *target, bool full)
{
	gfx103_first_gemm_or_skip(profile, target);
	struct gemm_case c = plain(40, 33, 50, AMDBARE_DTYPE_BF16);
	c.tb = true;
	gemm_case_run(&c);
	c = plain(65, 63, 31, AMDBARE_DTYPE_F32);
	gemm_case_run(&c);
	amdbare_dtype wts[] = {AMDBARE_DTYPE_F16, AMDBARE_DTYPE_BF16, AMDBARE_DTYPE_F32};
	for (int i = 0; i < 3; i++) {
		struct gemv_case v = {.n = 20, .k = 100, .wt = wts[i], .xt = AMDBARE_DTYPE_F32,
				      .yt = AMDBARE_DTYPE_F32, .alpha = 1};
		gemv_case_run(&v, NULL);
	}
	struct q8_case q = q8_plain(20, 1056);
	q.beta = 0.5f;
	q8_case_run(&q, NULL);
	if (!full)
		return;
	variants(AMDBARE_DTYPE_F16);
	variants(AMDBARE_DTYPE_BF16);
	static const uint32_t mixed[][3] = {{1, 1, 1}, {127, 129, 47}, {128, 128, 128}};
	for (size_t i = 0; i < sizeof(mixed) / sizeof(mixed[0]); i++)
		for (int t = 0; t < 2; t++) {
			c = plain(mixed[i][0], mixed[i][1], mixed[i][2], wts[t]);
			gemm_case_run(&c);
		}
}

Test(linalg_targets, gfx1035_680m) { gfx103_profile("680m", "gfx1035", true); }
Test(linalg_targets, gfx1033_deck) { gfx103_profile("deck", "gfx1033", false); }
Test(linalg_targets, gfx1030_6800xt) { gfx103_profile("6800xt", "gfx1030", false); }

/* ---- gfx9 (GCN 5, Vega) profiles --------------------------------------------- */

/* The gfx9 kernels are gemm.cl's dot-product ones too (wave64; packed f16
 * and v_dot2_f32_f16 where the target has it: gfx906, not gfx902/gfx90c),
 * so the same cases: raven (gfx902) all of them, the others one of each
 * kernel. */
Test(linalg_targets, gfx902_raven) { gfx103_profile("raven", "gfx902", true); }
Test(linalg_targets, gfx90c_cezanne) { gfx103_profile("cezanne", "gfx90c", false); }
Test(linalg_targets, gfx906_mi50) { gfx103_profile("mi50", "gfx906", false); }
/* gfx90a (mi210): gfx906's kernels plus packed fp32 (v_pk_fma_f32) */
Test(linalg_targets, gfx90a_mi210) { gfx103_profile("mi210", "gfx90a", false); }
