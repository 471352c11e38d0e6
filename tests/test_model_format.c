/*
 * Model-file parsers: element types, the strict JSON reader, safetensors
 * (single file and sharded), GGUF.  Fixtures are written from C into a
 * temporary directory; every malformed variant must fail with the right
 * errno, a message, and leave the index untouched.  No device is used.
 */
#include "amdbare.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- element types ------------------------------------------------------ */

Test(dtype, names_round_trip)
{
	for (int t = AMDBARE_DTYPE_INVALID + 1; t < AMDBARE_DTYPE_COUNT_; t++) {
		const char *n = amdbare_dtype_name((amdbare_dtype)t);
		cr_assert_str_neq(n, "invalid", "type %d has no name", t);
		amdbare_dtype back = AMDBARE_DTYPE_INVALID;
		cr_assert_eq(amdbare_dtype_from_name(n, &back), 0, "%s", n);
		cr_assert_eq((int)back, t);
		uint32_t be = 0, bb = 0;
		cr_assert_eq(amdbare_dtype_block((amdbare_dtype)t, &be, &bb), 0);
		cr_assert(be >= 1 && bb >= 1, "%s: block %u/%u", n, be, bb);
	}
	amdbare_dtype x = AMDBARE_DTYPE_F32;
	cr_assert_eq(amdbare_dtype_from_name("Q4_K", &x), 0);
	cr_assert_eq(x, AMDBARE_DTYPE_Q4_K);
	cr_assert_eq(amdbare_dtype_from_name("q4_2", &x), -EINVAL);
	cr_assert_eq(amdbare_dtype_from_name("", &x), -EINVAL);
	cr_assert_eq(x, AMDBARE_DTYPE_Q4_K);
	cr_assert_str_eq(amdbare_dtype_name(AMDBARE_DTYPE_INVALID), "invalid");
	cr_assert_str_eq(amdbare_dtype_name(AMDBARE_DTYPE_COUNT_), "invalid");
	cr_assert_str_eq(amdbare_dtype_name((amdbare_dtype)-3), "invalid");
	cr_assert_eq(amdbare_dtype_block(AMDBARE_DTYPE_INVALID, NULL, NULL), -EINVAL);
	cr_assert_eq(amdbare_dtype_block(AMDBARE_DTYPE_COUNT_, NULL, NULL), -EINVAL);
}

/* ggml's block sizes (ggml-common.h). */
Test(dtype, ggml_block_sizes)
{
	static const struct { amdbare_dtype t; uint32_t e, b; } want[] = {
		{ AMDBARE_DTYPE_Q4_0, 32, 18 }, { AMDBARE_DTYPE_Q4_1, 32, 20 },
		{ AMDBARE_DTYPE_Q5_0, 32, 22 }, { AMDBARE_DTYPE_Q5_1, 32, 24 },
		{ AMDBARE_DTYPE_Q8_0, 32, 34 }, { AMDBARE_DTYPE_Q8_1, 32, 36 },
		{ AMDBARE_DTYPE_Q2_K, 256, 84 }, { AMDBARE_DTYPE_Q3_K, 256, 110 },
		{ AMDBARE_DTYPE_Q4_K, 256, 144 }, { AMDBARE_DTYPE_Q5_K, 256, 176 },
		{ AMDBARE_DTYPE_Q6_K, 256, 210 }, { AMDBARE_DTYPE_Q8_K, 256, 292 },
		{ AMDBARE_DTYPE_IQ2_XXS, 256, 66 }, { AMDBARE_DTYPE_IQ2_XS, 256, 74 },
		{ AMDBARE_DTYPE_IQ3_XXS, 256, 98 }, { AMDBARE_DTYPE_IQ1_S, 256, 50 },
		{ AMDBARE_DTYPE_IQ4_NL, 32, 18 }, { AMDBARE_DTYPE_IQ3_S, 256, 110 },
		{ AMDBARE_DTYPE_IQ2_S, 256, 82 }, { AMDBARE_DTYPE_IQ4_XS, 256, 136 },
		{ AMDBARE_DTYPE_IQ1_M, 256, 56 }, { AMDBARE_DTYPE_TQ1_0, 256, 54 },
		{ AMDBARE_DTYPE_TQ2_0, 256, 66 }, { AMDBARE_DTYPE_F32, 1, 4 },
		{ AMDBARE_DTYPE_BF16, 1, 2 }, { AMDBARE_DTYPE_F64, 1, 8 },
		{ AMDBARE_DTYPE_F8_E4M3, 1, 1 }, { AMDBARE_DTYPE_U64, 1, 8 },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		uint32_t e, b;
		cr_assert_eq(amdbare_dtype_block(want[i].t, &e, &b), 0);
		cr_assert_eq(e, want[i].e, "%s", amdbare_dtype_name(want[i].t));
		cr_assert_eq(b, want[i].b, "%s", amdbare_dtype_name(want[i].t));
	}
}

Test(dtype, bytes_blocks_and_overflow)
{
	uint64_t n = 0;
	cr_assert_eq(amdbare_dtype_bytes(AMDBARE_DTYPE_Q4_K, 512, &n), 0);
	cr_assert_eq(n, 288);
	cr_assert_eq(amdbare_dtype_bytes(AMDBARE_DTYPE_Q4_K, 0, &n), 0);
	cr_assert_eq(n, 0);
	n = 7;
	cr_assert_eq(amdbare_dtype_bytes(AMDBARE_DTYPE_Q4_K, 300, &n), -EINVAL);
	cr_assert_eq(n, 7);
	cr_assert_eq(amdbare_dtype_bytes(AMDBARE_DTYPE_F32, UINT64_MAX / 4, &n), 0);
	cr_assert_eq(n, UINT64_MAX / 4 * 4);
	cr_assert_eq(amdbare_dtype_bytes(AMDBARE_DTYPE_F32, UINT64_MAX / 4 + 1, &n), -EOVERFLOW);
	cr_assert_eq(amdbare_dtype_bytes(AMDBARE_DTYPE_Q8_0, (UINT64_MAX / 34 + 1) * 32, &n), -EOVERFLOW);
	cr_assert_eq(amdbare_dtype_bytes(AMDBARE_DTYPE_INVALID, 1, &n), -EINVAL);
}
