/* linalg/internal.h - what the files of src/linalg/ share: the kernels' flag bits
 * (the same values as kernels/gemm.cl and kernels/gemv.cl), the validated
 * form of a descriptor, and the launch helpers. */
#ifndef AB_LINALG_INTERNAL_H
#define AB_LINALG_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "amdbare.h"

/* kernels/gemm.cl flags */
#define AB_GF_TRANS_A 1u
#define AB_GF_TRANS_B 2u
#define AB_GF_VEC_A 4u
#define AB_GF_VEC_B 8u
#define AB_GF_BETA 16u
#define AB_GF_OUT_SHIFT 5u

/* kernels/gemv.cl flags */
#define AB_VF_VEC 1u
#define AB_VF_BETA 2u
#define AB_VF_X_SHIFT 2u
#define AB_VF_Y_SHIFT 4u

/* Kernel-side type codes (flags fields): 0 f32, 1 f16, 2 bf16. */
#define AB_KT_F32 0u
#define AB_KT_F16 1u
#define AB_KT_BF16 2u

/* Tile geometry of the kernels (gemm: 64 x 64 per workgroup; gemv: 16
 * rows per workgroup of 256). */
#define AB_GEMM_TILE 64u
#define AB_GEMM_WMMA_BLOCK 128u
#define AB_GEMM_F32_BLOCK 256u
#define AB_GEMV_ROWS_PER_GROUP 16u
#define AB_GEMV_BLOCK 256u

/* The largest M, N or K accepted: keeps every grid below the dispatcher's
 * 2^32 work-items per axis and the kernels' 32-bit tile arithmetic
 * (row0 + 64) from wrapping. */
#define AB_LINALG_MAX_DIM (1u << 27)

/* A descriptor after validation: what the launch needs. */
struct ab_gemm_plan {
	const char *kernel;        /* "gemm_f16", "gemm_bf16", "gemm_f32" */
	uint32_t lda, ldb, ldc;    /* resolved (0 replaced by the row length) */
	uint32_t flags;
	uint32_t grid[2];          /* workgroups in X (N tiles), Y (M tiles) */
	uint32_t block;
};

struct ab_gemv_plan {
	const char *kernel;        /* "gemv_f16", "gemv_bf16", "gemv_f32", "gemv_q8_0" */
	uint32_t ldw;
	uint32_t flags;
	uint32_t grid;
};

/* Validate and plan (linalg/check.c).  0, -EINVAL or -EOVERFLOW with a
 * message; nothing touches the device. */
int ab_gemm_plan(const amdbare_gemm_desc *g, struct ab_gemm_plan *p);
int ab_gemv_plan(const amdbare_gemv_desc *v, struct ab_gemv_plan *p);

/* 0, 1, 2 for f32, f16, bf16 (the kernels' codes). */
uint32_t ab_kernel_type_code(amdbare_dtype t);

/* Finds `kernel` of `module` for dev and appends the dispatch followed by
 * a barrier (linalg/launch.c). */
int ab_linalg_enqueue(amdbare_device *dev, amdbare_dispatcher *d, const char *module,
		      const char *kernel, const uint32_t grid[2], uint32_t block,
		      const amdbare_karg *args, uint32_t nargs);
/* `variant` when dev's embedded `module` holds it (gemm-gfx90a's
 * gemm_f16_mfma next to gemm_f16), else `kernel` (linalg/launch.c). */
const char *ab_linalg_variant(amdbare_device *dev, const char *module, const char *kernel,
			      const char *variant);
/* The same, synchronously on a dispatcher of its own. */
int ab_linalg_run(amdbare_device *dev, const char *module, const char *kernel,
		  const uint32_t grid[2], uint32_t block, const amdbare_karg *args,
		  uint32_t nargs);

#endif /* AB_LINALG_INTERNAL_H */
