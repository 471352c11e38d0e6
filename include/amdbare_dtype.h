/* amdbare_dtype.h - element types of tensors, shared by the model loader
 * (safetensors, GGUF) and the GEMM/GEMV API.
 *
 * Values are amdbare's own (not GGUF's or safetensors' codes); the parsers
 * translate.  Quantized GGUF types are stored in blocks: a row of n
 * elements takes (n / block_elems) * block_bytes bytes and n must be a
 * multiple of block_elems. */
#ifndef AMDBARE_DTYPE_H
#define AMDBARE_DTYPE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum amdbare_dtype {
	AMDBARE_DTYPE_INVALID = 0,
	/* Plain element types (safetensors and GGUF). */
	AMDBARE_DTYPE_F32,
	AMDBARE_DTYPE_F16,
	AMDBARE_DTYPE_BF16,
	AMDBARE_DTYPE_F64,
	AMDBARE_DTYPE_F8_E4M3,
	AMDBARE_DTYPE_F8_E5M2,
	AMDBARE_DTYPE_BOOL,
	AMDBARE_DTYPE_U8,
	AMDBARE_DTYPE_I8,
	AMDBARE_DTYPE_U16,
	AMDBARE_DTYPE_I16,
	AMDBARE_DTYPE_U32,
	AMDBARE_DTYPE_I32,
	AMDBARE_DTYPE_U64,
	AMDBARE_DTYPE_I64,
	/* GGUF (ggml) block-quantized types, kept in their stored form. */
	AMDBARE_DTYPE_Q4_0,
	AMDBARE_DTYPE_Q4_1,
	AMDBARE_DTYPE_Q5_0,
	AMDBARE_DTYPE_Q5_1,
	AMDBARE_DTYPE_Q8_0,
	AMDBARE_DTYPE_Q8_1,
	AMDBARE_DTYPE_Q2_K,
	AMDBARE_DTYPE_Q3_K,
	AMDBARE_DTYPE_Q4_K,
	AMDBARE_DTYPE_Q5_K,
	AMDBARE_DTYPE_Q6_K,
	AMDBARE_DTYPE_Q8_K,
	AMDBARE_DTYPE_IQ2_XXS,
	AMDBARE_DTYPE_IQ2_XS,
	AMDBARE_DTYPE_IQ3_XXS,
	AMDBARE_DTYPE_IQ1_S,
	AMDBARE_DTYPE_IQ4_NL,
	AMDBARE_DTYPE_IQ3_S,
	AMDBARE_DTYPE_IQ2_S,
	AMDBARE_DTYPE_IQ4_XS,
	AMDBARE_DTYPE_IQ1_M,
	AMDBARE_DTYPE_TQ1_0,
	AMDBARE_DTYPE_TQ2_0,
	AMDBARE_DTYPE_COUNT_
} amdbare_dtype;

/* "f16", "bf16", "q4_k", ...; "invalid" for anything out of range. */
const char *amdbare_dtype_name(amdbare_dtype t);

/* Parses a name as printed by amdbare_dtype_name (case-insensitive).
 * 0 or -EINVAL. */
int amdbare_dtype_from_name(const char *name, amdbare_dtype *out);

/* Elements per block (1 for plain types) and bytes per block.
 * -EINVAL for an invalid type. */
int amdbare_dtype_block(amdbare_dtype t, uint32_t *block_elems, uint32_t *block_bytes);

/* Bytes taken by `elems` elements: -EINVAL if elems is not a multiple of
 * the block size, -EOVERFLOW if the result does not fit in 64 bits. */
int amdbare_dtype_bytes(amdbare_dtype t, uint64_t elems, uint64_t *out);

#ifdef __cplusplus
}
#endif

#endif /* AMDBARE_DTYPE_H */
