/* linalg/check.c - validation of GEMM/GEMV descriptors, before anything
 * is queued: a wrong descriptor must be an error here, never an
 * out-of-bounds access on the GPU.  Also turns a valid descriptor into
 * the kernel's flags and grid (the "plan"). */
#include "amdbare.h"
#include "util/api.h"
#include "util/error.h"
#include "internal.h"

#include <errno.h>
#include <stddef.h>

static uint32_t elem_size(amdbare_dtype t)
{
	return t == AMDBARE_DTYPE_F32 ? 4 : 2;
}

/* Storage of a row of `elems` elements: blocks of `be` elements taking
 * `bb` bytes (be = 1, bb = the element size for plain types; Q8_0 is 32
 * elements in 34 bytes).  `align` is what the offset must be a multiple
 * of: the element size, or for Q8_0 2 (the f16 scale at the start of
 * each block; a 34-byte block can promise no more). */
struct storage {
	uint32_t be, bb, align;
};

static struct storage storage_of(amdbare_dtype t)
{
	if (t == AMDBARE_DTYPE_Q8_0)
		return (struct storage){32, 34, 2};
	return (struct storage){1, elem_size(t), elem_size(t)};
}

static bool is_input_type(amdbare_dtype t)
{
	return t == AMDBARE_DTYPE_F16 || t == AMDBARE_DTYPE_BF16 || t == AMDBARE_DTYPE_F32;
}

uint32_t ab_kernel_type_code(amdbare_dtype t)
{
	return t == AMDBARE_DTYPE_F16 ? AB_KT_F16 : t == AMDBARE_DTYPE_BF16 ? AB_KT_BF16 : AB_KT_F32;
}

static int check_dim(const char *op, const char *name, uint32_t v)
{
	if (v == 0)
		return ab_set_error(EINVAL, "%s: %s is 0 (every dimension must be at least 1)", op, name);
	if (v > AB_LINALG_MAX_DIM)
		return ab_set_error(EINVAL, "%s: %s = %u exceeds the largest supported dimension %u",
				    op, name, v, AB_LINALG_MAX_DIM);
	return 0;
}

/* A matrix of `rows` stored rows of `cols` elements, `ld` elements apart,
 * starting at t->offset: every byte the kernel touches must lie inside
 * the buffer.  *ld == 0 is replaced by cols. */
static int check_matrix(const char *op, const char *name, const amdbare_tensor_ref *t,
			uint64_t rows, uint64_t cols, uint32_t *ld, uint64_t *end_out)
{
	if (!t->bo)
		return ab_set_error(EINVAL, "%s: %s has no buffer", op, name);
	if (*ld == 0)
		*ld = (uint32_t)cols;
	if (*ld < cols)
		return ab_set_error(EINVAL, "%s: leading dimension of %s is %u, less than its row "
				    "length %llu", op, name, *ld, (unsigned long long)cols);
	struct storage st = storage_of(t->dtype);
	if (*ld % st.be)
		return ab_set_error(EINVAL, "%s: leading dimension of %s is %u, not a multiple of "
				    "the %s block of %u elements", op, name, *ld,
				    amdbare_dtype_name(t->dtype), st.be);
	if (t->offset % st.align && st.be > 1)
		return ab_set_error(EINVAL, "%s: %s offset %llu is not a multiple of %u (the f16 "
				    "scale that starts each %s block)", op, name,
				    (unsigned long long)t->offset, st.align,
				    amdbare_dtype_name(t->dtype));
	if (t->offset % st.align)
		return ab_set_error(EINVAL, "%s: %s offset %llu is not a multiple of its element "
				    "size (%llu bytes, %s)", op, name,
				    (unsigned long long)t->offset, (unsigned long long)st.align,
				    amdbare_dtype_name(t->dtype));
	/* elements up to and including the last one touched; rows, cols and
	 * ld are below 2^32, so (rows - 1) * ld + cols < 2^64; with blocks,
	 * ld and cols are whole blocks (cols is checked by the caller) */
	uint64_t elems = (rows - 1) * (uint64_t)*ld + cols;
	uint64_t bytes, end;
	if (__builtin_mul_overflow(elems / st.be, st.bb, &bytes) ||
	    __builtin_add_overflow(bytes, t->offset, &end))
		return ab_set_error(EOVERFLOW, "%s: %s extent (%llu rows, ld %u, offset %llu) "
				    "overflows 64 bits", op, name, (unsigned long long)rows, *ld,
				    (unsigned long long)t->offset);
	uint64_t size = amdbare_bo_size(t->bo);
	if (end > size)
		return ab_set_error(EINVAL, "%s: %s needs bytes [%llu, %llu) (%llu x %llu %s, "
				    "ld %u) but its buffer has %llu bytes", op, name,
				    (unsigned long long)t->offset, (unsigned long long)end,
				    (unsigned long long)rows, (unsigned long long)cols,
				    amdbare_dtype_name(t->dtype), *ld, (unsigned long long)size);
	*end_out = end;
	return 0;
}

/* The output is written while the inputs are read by other workgroups:
 * overlapping byte ranges in the same buffer would make the result depend
 * on scheduling. */
static int check_disjoint(const char *op, const char *out_name, const amdbare_tensor_ref *o,
			  uint64_t o_end, const char *in_name, const amdbare_tensor_ref *in,
			  uint64_t in_end)
{
	if (o->bo == in->bo && o->offset < in_end && in->offset < o_end)
		return ab_set_error(EINVAL, "%s: %s (bytes [%llu, %llu)) overlaps %s (bytes "
				    "[%llu, %llu)) in the same buffer", op, out_name,
				    (unsigned long long)o->offset, (unsigned long long)o_end, in_name,
				    (unsigned long long)in->offset, (unsigned long long)in_end);
	return 0;
}

/* 16-byte vector loads need a 16-byte aligned start (GEM buffers are
 * page-aligned in the GPU address space, so the offset decides) and rows
 * a multiple of 16 bytes apart. */
static bool vec_ok(const amdbare_tensor_ref *t, uint32_t ld)
{
	return t->offset % 16 == 0 && ((uint64_t)ld * elem_size(t->dtype)) % 16 == 0;
}

int ab_gemm_plan(const amdbare_gemm_desc *g, struct ab_gemm_plan *p)
{
	const char *op = "gemm";
	if (!g || !p)
		return ab_set_error(EINVAL, "gemm: no descriptor");
	int r;
	if ((r = check_dim(op, "M", g->m)) || (r = check_dim(op, "N", g->n)) ||
	    (r = check_dim(op, "K", g->k)))
		return r;
	amdbare_dtype at = g->a.dtype;
	if (!is_input_type(at))
		return ab_set_error(EINVAL, "gemm: A has type %s; supported: f16, bf16, f32",
				    amdbare_dtype_name(at));
	if (g->b.dtype != at)
		return ab_set_error(EINVAL, "gemm: A is %s but B is %s (both must have the same type)",
				    amdbare_dtype_name(at), amdbare_dtype_name(g->b.dtype));
	if (g->c.dtype != AMDBARE_DTYPE_F32 && g->c.dtype != at)
		return ab_set_error(EINVAL, "gemm: C has type %s; with %s inputs it must be f32 or %s",
				    amdbare_dtype_name(g->c.dtype), amdbare_dtype_name(at),
				    amdbare_dtype_name(at));
	p->lda = g->lda;
	p->ldb = g->ldb;
	p->ldc = g->ldc;
	/* stored shapes: A is M x K (K x M transposed), B is K x N (N x K) */
	uint64_t ea, eb, ec;
	if ((r = check_matrix(op, "A", &g->a, g->trans_a ? g->k : g->m,
			      g->trans_a ? g->m : g->k, &p->lda, &ea)) ||
	    (r = check_matrix(op, "B", &g->b, g->trans_b ? g->n : g->k,
			      g->trans_b ? g->k : g->n, &p->ldb, &eb)) ||
	    (r = check_matrix(op, "C", &g->c, g->m, g->n, &p->ldc, &ec)) ||
	    (r = check_disjoint(op, "C", &g->c, ec, "A", &g->a, ea)) ||
	    (r = check_disjoint(op, "C", &g->c, ec, "B", &g->b, eb)))
		return r;
	p->flags = (g->trans_a ? AB_GF_TRANS_A : 0) | (g->trans_b ? AB_GF_TRANS_B : 0) |
		   (vec_ok(&g->a, p->lda) ? AB_GF_VEC_A : 0) |
		   (vec_ok(&g->b, p->ldb) ? AB_GF_VEC_B : 0) |
		   (g->beta != 0.0f ? AB_GF_BETA : 0) |
		   ab_kernel_type_code(g->c.dtype) << AB_GF_OUT_SHIFT;
	p->kernel = at == AMDBARE_DTYPE_F16 ? "gemm_f16" :
		    at == AMDBARE_DTYPE_BF16 ? "gemm_bf16" : "gemm_f32";
	p->block = at == AMDBARE_DTYPE_F32 ? AB_GEMM_F32_BLOCK : AB_GEMM_WMMA_BLOCK;
	p->grid[0] = (g->n + AB_GEMM_TILE - 1) / AB_GEMM_TILE;
	p->grid[1] = (g->m + AB_GEMM_TILE - 1) / AB_GEMM_TILE;
	return 0;
}

AB_API int amdbare_gemm_check(const amdbare_gemm_desc *g)
{
	struct ab_gemm_plan p;
	return ab_gemm_plan(g, &p);
}

/* W, x and y within their buffers (W's extent in whole blocks for block
 * types, check_matrix), y overlapping neither; sets p->ldw. */
static int check_gemv_operands(const char *op, const amdbare_gemv_desc *v,
			       struct ab_gemv_plan *p)
{
	uint32_t ldx = 0, ldy = 0; /* vectors: one row */
	p->ldw = v->ldw;
	uint64_t ew, ex, ey;
	int r;
	if ((r = check_matrix(op, "W", &v->w, v->n, v->k, &p->ldw, &ew)) ||
	    (r = check_matrix(op, "x", &v->x, 1, v->k, &ldx, &ex)) ||
	    (r = check_matrix(op, "y", &v->y, 1, v->n, &ldy, &ey)) ||
	    (r = check_disjoint(op, "y", &v->y, ey, "W", &v->w, ew)))
		return r;
	return check_disjoint(op, "y", &v->y, ey, "x", &v->x, ex);
}

/* W in GGUF Q8_0 blocks (N rows of K / 32 blocks, rows ldw / 32 blocks
 * apart), x and y f32: the same checks as the other types, with K and ldw
 * whole blocks.  Dimensions are already checked. */
static int gemv_plan_q8_0(const amdbare_gemv_desc *v, struct ab_gemv_plan *p)
{
	const char *op = "gemv";
	int r;
	if (v->k % 32)
		return ab_set_error(EINVAL, "gemv: K = %u is not a multiple of 32 (q8_0 weights are "
				    "stored in blocks of 32 elements)", v->k);
	if (v->x.dtype != AMDBARE_DTYPE_F32)
		return ab_set_error(EINVAL, "gemv: x has type %s; with q8_0 weights it must be f32",
				    amdbare_dtype_name(v->x.dtype));
	if (v->y.dtype != AMDBARE_DTYPE_F32)
		return ab_set_error(EINVAL, "gemv: y has type %s; with q8_0 weights it must be f32",
				    amdbare_dtype_name(v->y.dtype));
	if ((r = check_gemv_operands(op, v, p)))
		return r;
	/* the kernel reads x 32 elements (one block) at a time: float4 loads
	 * when x starts 16-byte aligned (then every block's 128 bytes are) */
	p->flags = (v->x.offset % 16 == 0 ? AB_VF_VEC : 0) |
		   (v->beta != 0.0f ? AB_VF_BETA : 0) |
		   AB_KT_F32 << AB_VF_X_SHIFT | AB_KT_F32 << AB_VF_Y_SHIFT;
	p->kernel = "gemv_q8_0";
	p->grid = (v->n + AB_GEMV_ROWS_PER_GROUP - 1) / AB_GEMV_ROWS_PER_GROUP;
	return 0;
}

int ab_gemv_plan(const amdbare_gemv_desc *v, struct ab_gemv_plan *p)
{
	const char *op = "gemv";
	if (!v || !p)
		return ab_set_error(EINVAL, "gemv: no descriptor");
	int r;
	if ((r = check_dim(op, "N", v->n)) || (r = check_dim(op, "K", v->k)))
		return r;
	amdbare_dtype wt = v->w.dtype;
	if (wt == AMDBARE_DTYPE_Q8_0)
		return gemv_plan_q8_0(v, p);
	if (!is_input_type(wt))
		return ab_set_error(EINVAL, "gemv: W has type %s; supported: f16, bf16, f32, q8_0",
				    amdbare_dtype_name(wt));
	if (v->x.dtype != AMDBARE_DTYPE_F32 && v->x.dtype != wt)
		return ab_set_error(EINVAL, "gemv: x has type %s; with %s weights it must be f32 or %s",
				    amdbare_dtype_name(v->x.dtype), amdbare_dtype_name(wt),
				    amdbare_dtype_name(wt));
	if (v->y.dtype != AMDBARE_DTYPE_F32 && v->y.dtype != wt)
		return ab_set_error(EINVAL, "gemv: y has type %s; with %s weights it must be f32 or %s",
				    amdbare_dtype_name(v->y.dtype), amdbare_dtype_name(wt),
				    amdbare_dtype_name(wt));
	if ((r = check_gemv_operands(op, v, p)))
		return r;
	/* the vector path reads x in chunks of 8 (16-bit W) or 4 (f32 W)
	 * elements: 16 bytes of f32/16-bit x, or 8 bytes of 16-bit x for f32
	 * W; a 16-byte aligned start covers all of them */
	p->flags = (vec_ok(&v->w, p->ldw) && v->x.offset % 16 == 0 ? AB_VF_VEC : 0) |
		   (v->beta != 0.0f ? AB_VF_BETA : 0) |
		   ab_kernel_type_code(v->x.dtype) << AB_VF_X_SHIFT |
		   ab_kernel_type_code(v->y.dtype) << AB_VF_Y_SHIFT;
	p->kernel = wt == AMDBARE_DTYPE_F16 ? "gemv_f16" :
		    wt == AMDBARE_DTYPE_BF16 ? "gemv_bf16" : "gemv_f32";
	p->grid = (v->n + AB_GEMV_ROWS_PER_GROUP - 1) / AB_GEMV_ROWS_PER_GROUP;
	return 0;
}

AB_API int amdbare_gemv_check(const amdbare_gemv_desc *v)
{
	struct ab_gemv_plan p;
	return ab_gemv_plan(v, &p);
}
