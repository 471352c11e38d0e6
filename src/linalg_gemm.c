/* linalg_gemm.c - amdbare_gemm and amdbare_gemm_enqueue: validate, then
 * one dispatch of kernels/gemm.cl (see docs/kernels.md). */
#include "amdbare.h"
#include "api.h"
#include "linalg_internal.h"

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

AB_API int amdbare_gemm_enqueue(amdbare_device *dev, amdbare_dispatcher *d, const amdbare_gemm_desc *g)
{
	struct ab_gemm_plan p;
	int r = ab_gemm_plan(g, &p);
	if (r)
		return r;
	struct gemm_args a;
	gemm_args_build(g, &p, &a);
	return ab_linalg_enqueue(dev, d, "gemm", p.kernel, p.grid, p.block, a.k, 12);
}

AB_API int amdbare_gemm(amdbare_device *dev, const amdbare_gemm_desc *g)
{
	struct ab_gemm_plan p;
	int r = ab_gemm_plan(g, &p);
	if (r)
		return r;
	struct gemm_args a;
	gemm_args_build(g, &p, &a);
	return ab_linalg_run(dev, "gemm", p.kernel, p.grid, p.block, a.k, 12);
}
