/*
 * amdbare linear algebra: GEMM and GEMV on gfx11 with the library's
 * embedded kernels (kernels/gemm.cl, kernels/gemv.cl; see docs/kernels.md).
 *
 *   GEMM  C = alpha * op(A) * op(B) + beta * C      (row-major)
 *         op(A) is M x K, op(B) is K x N, C is M x N.
 *         A is stored M x K (lda >= K), or K x M when trans_a (lda >= M);
 *         B is stored K x N (ldb >= N), or N x K when trans_b (ldb >= K).
 *   GEMV  y = alpha * W * x + beta * y
 *         W is N x K row-major (ldw >= K), as model files store a weight
 *         matrix; x has K elements, y has N.
 *
 * M = 1 with B stored N x K (trans_b) and A's row contiguous runs the GEMV
 * kernel (one row times a weight matrix, streamed once).
 *
 * Element types: A and B (W) are f16, bf16 or f32, both the same; C (y) is
 * f32 or the input type; GEMV's x is f32 or W's type.  Accumulation is in
 * f32.
 *
 * GEMV also takes W in GGUF Q8_0 (w.dtype = AMDBARE_DTYPE_Q8_0), used as
 * loaded, without conversion: W's n rows each hold k / 32 blocks of 34
 * bytes, {f16 scale d, int8 q[32]}, element = d * q, exactly as ggml lays
 * out a Q8_0 tensor of shape [K, N] (ne[0] = K innermost: the shape GGUF
 * gives a weight mapping K inputs to N outputs).  k and ldw must be
 * multiples of 32 (ldw in elements: rows are ldw / 32 blocks apart), the
 * offset a multiple of 2; x and y must be f32.  k % 32 != 0 is -EINVAL
 * ("not a multiple of 32").  GEMM does not take Q8_0.  With beta == 0 the output is written without being read (NaNs
 * already there do not propagate), as in BLAS.
 *
 * Everything is validated before anything is queued: dtypes, zero sizes,
 * leading dimensions, and that every element the kernel touches (offset
 * plus the last element, with the leading dimensions) lies inside its
 * buffer, with 64-bit overflow checks; the output may not overlap an
 * input (same buffer, intersecting byte ranges).  A violation is -EINVAL
 * (-EOVERFLOW for arithmetic overflow) with a message naming the operand;
 * nothing is submitted.  A device whose gfx target has no embedded kernels
 * gives -ENOTSUP ('kernel module "gemm" is not supported on gfxNNNN').
 *
 * Conventions of amdbare.h: 0 or a negative errno, message in
 * amdbare_last_error().
 */
#ifndef AMDBARE_LINALG_H
#define AMDBARE_LINALG_H

#include <stdbool.h>
#include <stdint.h>

#include "amdbare_dtype.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct amdbare_device amdbare_device;
typedef struct amdbare_bo amdbare_bo;
typedef struct amdbare_dispatcher amdbare_dispatcher;

/* A tensor in GPU memory: the bytes from `offset` in `bo`, elements of
 * `dtype`.  A sub-allocation (amdbare_suballoc) is {s.bo, s.offset, t}. */
typedef struct amdbare_tensor_ref {
	amdbare_bo *bo;
	uint64_t offset;      /* bytes; a multiple of the element size */
	amdbare_dtype dtype;
} amdbare_tensor_ref;

static inline amdbare_tensor_ref amdbare_tensor(amdbare_bo *bo, uint64_t offset,
						amdbare_dtype dtype)
{
	amdbare_tensor_ref t = {bo, offset, dtype};
	return t;
}

typedef struct amdbare_gemm_desc {
	uint32_t m, n, k;         /* each >= 1 */
	bool trans_a, trans_b;    /* operand stored transposed (see above) */
	/* Leading dimensions in elements (the distance between rows as
	 * stored); 0 = tightly packed (the stored row length). */
	uint32_t lda, ldb, ldc;
	float alpha, beta;
	amdbare_tensor_ref a, b, c;
} amdbare_gemm_desc;

typedef struct amdbare_gemv_desc {
	uint32_t n, k;            /* W is n x k; each >= 1 */
	uint32_t ldw;             /* elements between rows of W; 0 = k
				   * (Q8_0: a multiple of 32) */
	float alpha, beta;
	amdbare_tensor_ref w, x, y;
} amdbare_gemv_desc;

/* Validates a descriptor against the buffers (no device access, nothing
 * queued).  0, -EINVAL or -EOVERFLOW with a message. */
int amdbare_gemm_check(const amdbare_gemm_desc *g);
int amdbare_gemv_check(const amdbare_gemv_desc *v);

/* Runs one GEMM/GEMV and waits for it. */
int amdbare_gemm(amdbare_device *dev, const amdbare_gemm_desc *g);
int amdbare_gemv(amdbare_device *dev, const amdbare_gemv_desc *v);

/* Validates and appends the dispatch to `d` (created on `dev`), followed
 * by a barrier, so that a later GEMM/GEMV in the same batch may read this
 * one's output.  Nothing is submitted: amdbare_dispatcher_run(d) does, and
 * many GEMMs/GEMVs then share one submission. */
int amdbare_gemm_enqueue(amdbare_device *dev, amdbare_dispatcher *d,
			 const amdbare_gemm_desc *g);
int amdbare_gemv_enqueue(amdbare_device *dev, amdbare_dispatcher *d,
			 const amdbare_gemv_desc *v);

#ifdef __cplusplus
}
#endif

#endif /* AMDBARE_LINALG_H */
