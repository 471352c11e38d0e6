/* linalg/gemm.c - amdbare_gemm and amdbare_gemm_enqueue: validate, then
 * one dispatch of kernels/gemm.cl, or of kernels/gemv.cl for a single
 * row times weights stored N x K (see docs/kernels.md). */
#include "amdbare.h"
#include "util/api.h"
#include "internal.h"

#include <string.h>

/* M = 1 with B stored N x K (trans_b) and A's row contiguous is
 * y = B_stored * a: the GEMV kernel streams B once at full width, where the
 * GEMM kernel would compute 64-row tiles of which one row is used.  The
 * GEMM descriptor has been validated: the GEMV one covers the same bytes
 * (W = B with ldw = ldb, x = A's K elements, y = C's N elements) and the
 * same types (x = A is B's type, y = C is f32 or that type). */
static bool as_gemv(const amdbare_gemm_desc *g, const struct ab_gemm_plan *p,
		    amdbare_gemv_desc *v)
{
	if (g->m != 1 || !g->trans_b || (g->trans_a && p->lda != 1))
		return false;
	*v = (amdbare_gemv_desc){
		.n = g->n, .k = g->k, .ldw = p->ldb, .alpha = g->alpha, .beta = g->beta,
		.w = g->b, .x = g->a, .y = g->c,
	};
	return true;
}

/* The kernel's arguments, in gemm.cl's order; the values live in `v`. */
struct gemm_args {
	uint32_t u[7]; /* M, N, K, lda, ldb, ldc, flags */
	float alpha, beta;
	amdbare_karg k[12];
};

static void gemm_args_build(const amdbare_gemm_desc *g, const struct ab_gemm_plan *p,
			    struct gemm_args *a)
{
	a->u[0] = g->m; a->u[1] = g->n; a->u[2] = g->k;
	a->u[3] = p->lda; a->u[4] = p->ldb; a->u[5] = p->ldc;
	a->u[6] = p->flags;
	a->alpha = g->alpha;
	a->beta = g->beta;
	a->k[0] = amdbare_karg_buffer(g->a.bo, g->a.offset);
	a->k[1] = amdbare_karg_buffer(g->b.bo, g->b.offset);
	a->k[2] = amdbare_karg_buffer(g->c.bo, g->c.offset);
	for (int i = 0; i < 7; i++)
		a->k[3 + i] = amdbare_karg_value(&a->u[i], 4);
	a->k[10] = amdbare_karg_value(&a->alpha, 4);
	a->k[11] = amdbare_karg_value(&a->beta, 4);
}

/* The kernel for the plan on dev: f16 runs on the matrix cores where the
 * target's module has an MFMA variant (gemm-gfx90a's gemm_f16_mfma: the
 * same arguments, grid and workgroup as gemm_f16). */
static const char *gemm_kernel(amdbare_device *dev, const struct ab_gemm_plan *p)
{
	if (!strcmp(p->kernel, "gemm_f16"))
		return ab_linalg_variant(dev, "gemm", p->kernel, "gemm_f16_mfma");
	return p->kernel;
}

AB_API int amdbare_gemm_enqueue(amdbare_device *dev, amdbare_dispatcher *d, const amdbare_gemm_desc *g)
{
	struct ab_gemm_plan p;
	int r = ab_gemm_plan(g, &p);
	if (r)
		return r;
	amdbare_gemv_desc v;
	if (as_gemv(g, &p, &v))
		return amdbare_gemv_enqueue(dev, d, &v);
	struct gemm_args a;
	gemm_args_build(g, &p, &a);
	return ab_linalg_enqueue(dev, d, "gemm", gemm_kernel(dev, &p), p.grid, p.block, a.k, 12);
}

AB_API int amdbare_gemm(amdbare_device *dev, const amdbare_gemm_desc *g)
{
	struct ab_gemm_plan p;
	int r = ab_gemm_plan(g, &p);
	if (r)
		return r;
	amdbare_gemv_desc v;
	if (as_gemv(g, &p, &v))
		return amdbare_gemv(dev, &v);
	struct gemm_args a;
	gemm_args_build(g, &p, &a);
	return ab_linalg_run(dev, "gemm", gemm_kernel(dev, &p), p.grid, p.block, a.k, 12);
}
