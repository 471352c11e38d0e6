/*
 * Element types: names and storage sizes.
 *
 * The block sizes of the quantized types are ggml's (ggml-common.h block_*
 * structs: elements per block, bytes per block); a GGUF tensor of one of
 * these types is stored as whole blocks along its innermost dimension.
 */
#include "amdbare_dtype.h"
#include "api.h"
#include "error.h"

#include <errno.h>
#include <strings.h>

static const struct dtype_desc {
	const char *name;
	uint32_t block_elems;
	uint32_t block_bytes;
} dtypes[AMDBARE_DTYPE_COUNT_] = {
	[AMDBARE_DTYPE_INVALID] = { "invalid", 0, 0 },
	[AMDBARE_DTYPE_F32] = { "f32", 1, 4 },
	[AMDBARE_DTYPE_F16] = { "f16", 1, 2 },
	[AMDBARE_DTYPE_BF16] = { "bf16", 1, 2 },
	[AMDBARE_DTYPE_F64] = { "f64", 1, 8 },
	[AMDBARE_DTYPE_F8_E4M3] = { "f8_e4m3", 1, 1 },
	[AMDBARE_DTYPE_F8_E5M2] = { "f8_e5m2", 1, 1 },
	[AMDBARE_DTYPE_BOOL] = { "bool", 1, 1 },
	[AMDBARE_DTYPE_U8] = { "u8", 1, 1 },
	[AMDBARE_DTYPE_I8] = { "i8", 1, 1 },
	[AMDBARE_DTYPE_U16] = { "u16", 1, 2 },
	[AMDBARE_DTYPE_I16] = { "i16", 1, 2 },
	[AMDBARE_DTYPE_U32] = { "u32", 1, 4 },
	[AMDBARE_DTYPE_I32] = { "i32", 1, 4 },
	[AMDBARE_DTYPE_U64] = { "u64", 1, 8 },
	[AMDBARE_DTYPE_I64] = { "i64", 1, 8 },
	/* 32-element blocks: an f16 scale (+ f16 min/sum) and the quants. */
	[AMDBARE_DTYPE_Q4_0] = { "q4_0", 32, 18 },
	[AMDBARE_DTYPE_Q4_1] = { "q4_1", 32, 20 },
	[AMDBARE_DTYPE_Q5_0] = { "q5_0", 32, 22 },
	[AMDBARE_DTYPE_Q5_1] = { "q5_1", 32, 24 },
	[AMDBARE_DTYPE_Q8_0] = { "q8_0", 32, 34 },
	[AMDBARE_DTYPE_Q8_1] = { "q8_1", 32, 36 },
	/* 256-element super-blocks (QK_K). */
	[AMDBARE_DTYPE_Q2_K] = { "q2_k", 256, 84 },
	[AMDBARE_DTYPE_Q3_K] = { "q3_k", 256, 110 },
	[AMDBARE_DTYPE_Q4_K] = { "q4_k", 256, 144 },
	[AMDBARE_DTYPE_Q5_K] = { "q5_k", 256, 176 },
	[AMDBARE_DTYPE_Q6_K] = { "q6_k", 256, 210 },
	[AMDBARE_DTYPE_Q8_K] = { "q8_k", 256, 292 },
	[AMDBARE_DTYPE_IQ2_XXS] = { "iq2_xxs", 256, 66 },
	[AMDBARE_DTYPE_IQ2_XS] = { "iq2_xs", 256, 74 },
	[AMDBARE_DTYPE_IQ3_XXS] = { "iq3_xxs", 256, 98 },
	[AMDBARE_DTYPE_IQ1_S] = { "iq1_s", 256, 50 },
	[AMDBARE_DTYPE_IQ4_NL] = { "iq4_nl", 32, 18 },
	[AMDBARE_DTYPE_IQ3_S] = { "iq3_s", 256, 110 },
	[AMDBARE_DTYPE_IQ2_S] = { "iq2_s", 256, 82 },
	[AMDBARE_DTYPE_IQ4_XS] = { "iq4_xs", 256, 136 },
	[AMDBARE_DTYPE_IQ1_M] = { "iq1_m", 256, 56 },
	[AMDBARE_DTYPE_TQ1_0] = { "tq1_0", 256, 54 },
	[AMDBARE_DTYPE_TQ2_0] = { "tq2_0", 256, 66 },
};

static int valid(amdbare_dtype t)
{
	return (int)t > (int)AMDBARE_DTYPE_INVALID && (int)t < (int)AMDBARE_DTYPE_COUNT_;
}

AB_API const char *amdbare_dtype_name(amdbare_dtype t)
{
	return valid(t) ? dtypes[t].name : "invalid";
}

AB_API int amdbare_dtype_from_name(const char *name, amdbare_dtype *out)
{
	if (!name || !out)
		return ab_set_error(EINVAL, "dtype from name: NULL argument");
	for (int t = AMDBARE_DTYPE_INVALID + 1; t < AMDBARE_DTYPE_COUNT_; t++)
		if (strcasecmp(name, dtypes[t].name) == 0) {
			*out = (amdbare_dtype)t;
			return 0;
		}
	return ab_set_error(EINVAL, "unknown element type \"%s\" (expected f32, f16, bf16, q4_0, q4_k, ...)", name);
}

AB_API int amdbare_dtype_block(amdbare_dtype t, uint32_t *block_elems, uint32_t *block_bytes)
{
	if (!valid(t))
		return ab_set_error(EINVAL, "element type %d is not a valid amdbare_dtype", (int)t);
	if (block_elems)
		*block_elems = dtypes[t].block_elems;
	if (block_bytes)
		*block_bytes = dtypes[t].block_bytes;
	return 0;
}

AB_API int amdbare_dtype_bytes(amdbare_dtype t, uint64_t elems, uint64_t *out)
{
	if (!valid(t) || !out)
		return ab_set_error(EINVAL, "dtype bytes: invalid type %d or NULL output", (int)t);
	uint64_t be = dtypes[t].block_elems, bb = dtypes[t].block_bytes;
	if (elems % be != 0)
		return ab_set_error(EINVAL, "%llu elements of %s: not a multiple of its block of %llu",
				    (unsigned long long)elems, dtypes[t].name, (unsigned long long)be);
	uint64_t bytes;
	if (__builtin_mul_overflow(elems / be, bb, &bytes))
		return ab_set_error(EOVERFLOW, "%llu elements of %s: byte size overflows 64 bits",
				    (unsigned long long)elems, dtypes[t].name);
	*out = bytes;
	return 0;
}
