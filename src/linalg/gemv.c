/* linalg/gemv.c - amdbare_gemv and amdbare_gemv_enqueue: validate, then
 * one dispatch of kernels/gemv.cl (see docs/kernels.md). */
#include "amdbare.h"
#include "util/api.h"
#include "internal.h"

/* The kernel's arguments, in gemv.cl's order; the values live here. */
struct gemv_args {
	uint32_t u[4]; /* N, K, ldw, flags */
	float alpha, beta;
	amdbare_karg k[9];
};

static void gemv_args_build(const amdbare_gemv_desc *v, const struct ab_gemv_plan *p,
			    struct gemv_args *a)
{
	a->u[0] = v->n; a->u[1] = v->k; a->u[2] = p->ldw; a->u[3] = p->flags;
	a->alpha = v->alpha;
	a->beta = v->beta;
	a->k[0] = amdbare_karg_buffer(v->w.bo, v->w.offset);
	a->k[1] = amdbare_karg_buffer(v->x.bo, v->x.offset);
	a->k[2] = amdbare_karg_buffer(v->y.bo, v->y.offset);
	for (int i = 0; i < 4; i++)
		a->k[3 + i] = amdbare_karg_value(&a->u[i], 4);
	a->k[7] = amdbare_karg_value(&a->alpha, 4);
	a->k[8] = amdbare_karg_value(&a->beta, 4);
}

AB_API int amdbare_gemv_enqueue(amdbare_device *dev, amdbare_dispatcher *d, const amdbare_gemv_desc *v)
{
	struct ab_gemv_plan p;
	int r = ab_gemv_plan(v, &p);
	if (r)
		return r;
	struct gemv_args a;
	gemv_args_build(v, &p, &a);
	uint32_t grid[2] = {p.grid, 1};
	return ab_linalg_enqueue(dev, d, "gemv", p.kernel, grid, AB_GEMV_BLOCK, a.k, 9);
}

AB_API int amdbare_gemv(amdbare_device *dev, const amdbare_gemv_desc *v)
{
	struct ab_gemv_plan p;
	int r = ab_gemv_plan(v, &p);
	if (r)
		return r;
	struct gemv_args a;
	gemv_args_build(v, &p, &a);
	uint32_t grid[2] = {p.grid, 1};
	return ab_linalg_run(dev, "gemv", p.kernel, grid, AB_GEMV_BLOCK, a.k, 9);
}
