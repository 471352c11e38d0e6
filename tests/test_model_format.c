/*
 * Model-file parsers: element types, the strict JSON reader, safetensors
 * (single file and sharded), GGUF.  Fixtures are written from C into a
 * temporary directory; every malformed variant must fail with the right
 * errno, a message, and leave the index untouched.  No device is used.
 */
#include "amdbare.h"
#include "model/json.h"
#include "model/format.h"

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

/* ---- helpers ------------------------------------------------------------ */

static bool idx_empty(const struct model_index *idx)
{
	return idx->n_files == 0 && idx->n_tensors == 0 && idx->files == NULL && idx->tensors == NULL;
}

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A safetensors image: header length, the JSON, then data_len bytes. */
static uint8_t *st_image(const char *json, uint64_t data_len, size_t *len)
{
	size_t n = strlen(json);
	*len = 8 + n + (size_t)data_len;
	uint8_t *b = malloc(*len);
	cr_assert_not_null(b);
	put_le64(b, n);
	memcpy(b + 8, json, n);
	for (uint64_t i = 0; i < data_len; i++)
		b[8 + n + i] = (uint8_t)i;
	return b;
}

static int st_parse(struct model_index *idx, const char *json, uint64_t data_len)
{
	size_t len, need = 0;
	uint8_t *b = st_image(json, data_len, &len);
	int r = model_parse_safetensors(idx, "t.safetensors", b, len, len, &need);
	free(b);
	return r;
}

#define ST_FAILS(json, data_len, err)                                                         \
	do {                                                                                  \
		struct model_index ix_ = { 0 };                                               \
		int r_ = st_parse(&ix_, json, data_len);                                      \
		cr_assert_eq(r_, -(err), "%s: got %d (%s)", json, r_, amdbare_last_error());  \
		cr_assert(idx_empty(&ix_), "%s: index touched", json);                         \
		cr_assert_neq(amdbare_last_error()[0], '\0');                                 \
	} while (0)

static const char *tmpdir(void)
{
	static char dir[64];
	if (!dir[0]) {
		strcpy(dir, "/tmp/amdbare-mf-XXXXXX");
		cr_assert_not_null(mkdtemp(dir));
	}
	return dir;
}

static char *write_file(const char *name, const void *data, size_t len)
{
	char *path;
	cr_assert(asprintf(&path, "%s/%s", tmpdir(), name) > 0);
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f, "%s", path);
	cr_assert_eq(fwrite(data, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
	return path;
}

static void rm_tmpdir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir());
	cr_assert_eq(system(cmd), 0);
}

/* ---- JSON --------------------------------------------------------------- */

static int jparse(const char *text)
{
	struct json_doc d;
	int r = json_parse("j", (const uint8_t *)text, strlen(text), &d);
	if (r == 0)
		json_free(&d);
	else
		cr_assert(d.nodes == NULL && d.n_nodes == 0);
	return r;
}

Test(json, accepts_rfc8259)
{
	const char *good[] = {
		"{}", "[]", " {\"a\":1} ", "[0,-0,1.5,-2e10,3E+2,4e-1,true,false,null]",
		"{\"a\":{\"b\":[[],{}]}}", "\"\\u00e9\\ud83d\\ude00\\n\\/\"", "\"\xc3\xa9\xf0\x9f\x98\x80\"",
		"18446744073709551615", "123456789012345678901234567890", "{\"a\":1,\"b\":1}",
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		cr_assert_eq(jparse(good[i]), 0, "%s: %s", good[i], amdbare_last_error());
}

Test(json, rejects_malformed)
{
	const char *bad[] = {
		"", " ", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[01]", "[1.]", "[.5]", "[+1]",
		"[1e]", "[-]", "[0x10]", "[NaN]", "[Infinity]", "[tru]", "{} {}", "[1] x", "\"abc",
		"\"a\tb\"", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"",
		"\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"", "\"\xe2\x82\"", "\"\xff\"",
		"{\"a\":1,\"a\":2}", "{\"k\":{\"x\":1,\"y\":2,\"x\":3}}", "// c\n{}", "['a']",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(jparse(bad[i]), -EINVAL, "accepted: %s", bad[i]);
		cr_assert_neq(amdbare_last_error()[0], '\0');
	}
}

Test(json, depth_limit)
{
	char deep[200];
	memset(deep, '[', 64);
	memset(deep + 64, ']', 64);
	deep[128] = '\0';
	cr_assert_eq(jparse(deep), 0);
	memset(deep, '[', 65);
	memset(deep + 65, ']', 65);
	deep[130] = '\0';
	cr_assert_eq(jparse(deep), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "deeper"), "%s", amdbare_last_error());
}

Test(json, tree_and_numbers)
{
	const char *t = "{\"s\":\"a\\u0000b\",\"n\":[18446744073709551615,18446744073709551616,-1,1.0,7],\"o\":{}}";
	struct json_doc d;
	cr_assert_eq(json_parse("j", (const uint8_t *)t, strlen(t), &d), 0);
	uint32_t s = json_object_get(&d, 0, "s"), n = json_object_get(&d, 0, "n"), o = json_object_get(&d, 0, "o");
	cr_assert_neq(s, JSON_NONE);
	cr_assert_eq(d.nodes[s].str_len, 3);
	cr_assert_eq(memcmp(d.nodes[s].str, "a\0b", 3), 0);
	cr_assert_eq(d.nodes[n].count, 5);
	cr_assert(d.nodes[n + 1].is_u64);
	cr_assert_eq(d.nodes[n + 1].u64, UINT64_MAX);
	cr_assert(!d.nodes[n + 2].is_u64);
	cr_assert(!d.nodes[n + 3].is_u64);
	cr_assert(!d.nodes[n + 4].is_u64);
	cr_assert(d.nodes[n + 5].is_u64);
	cr_assert_eq(d.nodes[n + 5].u64, 7);
	cr_assert_eq(d.nodes[o].type, JSON_OBJECT);
	cr_assert_eq(d.nodes[0].end, d.n_nodes);
	cr_assert_eq(json_object_get(&d, 0, "zz"), JSON_NONE);
	json_free(&d);
}

/* ---- safetensors -------------------------------------------------------- */

#define ST_GOOD "{\"__metadata__\":{\"format\":\"pt\"}," \
	"\"b\":{\"dtype\":\"BF16\",\"shape\":[2,3],\"data_offsets\":[16,28]}," \
	"\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}," \
	"\"z\":{\"dtype\":\"I8\",\"shape\":[0,5],\"data_offsets\":[28,28]}," \
	"\"s\":{\"dtype\":\"U64\",\"shape\":[],\"data_offsets\":[28,36]}}    "

Test(safetensors, valid_file)
{
	struct model_index idx = { 0 };
	size_t len, need = 0;
	uint8_t *b = st_image(ST_GOOD, 36, &len);
	cr_assert_eq(model_parse_safetensors(&idx, "m.safetensors", b, len, len, &need), 0, "%s",
		     amdbare_last_error());
	uint64_t ds = 8 + strlen(ST_GOOD);
	cr_assert_eq(idx.n_files, 1);
	cr_assert_str_eq(idx.files[0].path, "m.safetensors");
	cr_assert_eq(idx.files[0].size, len);
	cr_assert_eq(idx.files[0].data_start, ds);
	cr_assert_eq(idx.files[0].format, MODEL_FORMAT_SAFETENSORS);
	cr_assert_eq(idx.alignment, 1);
	cr_assert_eq(idx.n_tensors, 4);
	/* Offset order; the empty tensor sorts before the scalar at 28. */
	cr_assert_str_eq(idx.tensors[0].name, "a");
	cr_assert_str_eq(idx.tensors[1].name, "b");
	cr_assert_str_eq(idx.tensors[2].name, "z");
	cr_assert_str_eq(idx.tensors[3].name, "s");
	const struct model_tensor *t = model_index_find(&idx, "b");
	cr_assert_not_null(t);
	cr_assert_eq(t->dtype, AMDBARE_DTYPE_BF16);
	cr_assert_eq(t->n_dims, 2);
	cr_assert_eq(t->shape[0], 2);
	cr_assert_eq(t->shape[1], 3);
	cr_assert_eq(t->offset, ds + 16);
	cr_assert_eq(t->nbytes, 12);
	cr_assert_eq(t->file_index, 0);
	t = model_index_find(&idx, "s");
	cr_assert_eq(t->n_dims, 0);
	cr_assert_eq(t->nbytes, 8);
	cr_assert_eq(model_index_find(&idx, "z")->nbytes, 0);
	cr_assert_null(model_index_find(&idx, "nope"));
	/* A second file appends with its own file index. */
	cr_assert_eq(model_parse_safetensors(&idx, "n.safetensors", b, len, len, &need), 0);
	cr_assert_eq(idx.n_files, 2);
	cr_assert_eq(idx.n_tensors, 8);
	cr_assert_eq(idx.tensors[5].file_index, 1);
	model_index_free(&idx);
	cr_assert(idx_empty(&idx));
	free(b);
}

Test(safetensors, empty_and_unicode_names)
{
	struct model_index idx = { 0 };
	cr_assert_eq(st_parse(&idx, "{}", 0), 0);
	cr_assert_eq(idx.n_files, 1);
	cr_assert_eq(idx.n_tensors, 0);
	model_index_free(&idx);
	cr_assert_eq(st_parse(&idx, "{\"\\u00e9\\t\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1), 0,
		     "%s", amdbare_last_error());
	cr_assert_not_null(model_index_find(&idx, "\xc3\xa9\t"));
	model_index_free(&idx);
}

/* Every prefix of the header: the parser asks for more, never fails or
 * reads past what it was given; with the file itself that short, it fails. */
Test(safetensors, truncated_at_every_byte)
{
	size_t len;
	uint8_t *b = st_image(ST_GOOD, 36, &len);
	size_t hdr = 8 + strlen(ST_GOOD);
	for (size_t l = 0; l < hdr; l++) {
		struct model_index idx = { 0 };
		size_t need = 0;
		uint8_t *part = malloc(l ? l : 1); /* exact size: ASan catches over-reads */
		memcpy(part, b, l);
		int r = model_parse_safetensors(&idx, "t", part, l, len, &need);
		cr_assert_eq(r, -EAGAIN, "len %zu: %d", l, r);
		cr_assert_eq(need, l < 8 ? 8 : hdr, "len %zu: need %zu", l, need);
		cr_assert(idx_empty(&idx));
		r = model_parse_safetensors(&idx, "t", part, l, l, &need);
		cr_assert_eq(r, -EINVAL, "file of %zu bytes: %d", l, r);
		cr_assert(idx_empty(&idx));
		free(part);
	}
	/* Header complete, data cut short. */
	for (size_t l = hdr; l < len; l++) {
		struct model_index idx = { 0 };
		size_t need = 0;
		cr_assert_eq(model_parse_safetensors(&idx, "t", b, l, l, &need), -EINVAL, "len %zu", l);
		cr_assert(idx_empty(&idx));
	}
	free(b);
}

Test(safetensors, header_length)
{
	uint8_t b[16] = { 0 };
	struct model_index idx = { 0 };
	size_t need;
	put_le64(b, 9);
	memcpy(b + 8, "{}      ", 8);
	cr_assert_eq(model_parse_safetensors(&idx, "t", b, 16, 16, &need), -EINVAL); /* 9 > 8 left */
	put_le64(b, (uint64_t)MODEL_SAFETENSORS_MAX_HEADER + 1);
	cr_assert_eq(model_parse_safetensors(&idx, "t", b, 16, 1ull << 40, &need), -EFBIG);
	put_le64(b, UINT64_MAX);
	cr_assert_eq(model_parse_safetensors(&idx, "t", b, 16, 16, &need), -EFBIG);
	put_le64(b, 0);
	cr_assert_eq(model_parse_safetensors(&idx, "t", b, 16, 16, &need), -EINVAL);
	put_le64(b, 8);
	memcpy(b + 8, "  {}    ", 8); /* the reference writer starts with '{' */
	cr_assert_eq(model_parse_safetensors(&idx, "t", b, 16, 16, &need), -EINVAL);
	memcpy(b + 8, "{}      ", 8);
	cr_assert_eq(model_parse_safetensors(&idx, "t", b, 16, 16, &need), 0);
	cr_assert_eq(idx.files[0].data_start, 16);
	model_index_free(&idx);
	cr_assert_eq(model_parse_safetensors(&idx, "t", b, 4, 4, &need), -EINVAL);
	cr_assert_eq(model_parse_safetensors(&idx, "t", b, 16, 8, &need), -EINVAL); /* len > size */
	cr_assert(idx_empty(&idx));
}

Test(safetensors, malformed_entries)
{
#define T(body) "{\"t\":" body "}"
	ST_FAILS("[]", 0, EINVAL);
	ST_FAILS("{\"t\":1}", 0, EINVAL);
	ST_FAILS(T("{\"dtype\":\"F32\",\"shape\":[1]}"), 4, EINVAL);
	ST_FAILS(T("{\"dtype\":\"F32\",\"data_offsets\":[0,4]}"), 4, EINVAL);
	ST_FAILS(T("{\"shape\":[1],\"data_offsets\":[0,4]}"), 4, EINVAL);
	ST_FAILS(T("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}"), 4, EINVAL);
	ST_FAILS(T("{\"dtype\":\"F4\",\"shape\":[2],\"data_offsets\":[0,1]}"), 1, EINVAL);
	ST_FAILS(T("{\"dtype\":\"f32\",\"shape\":[1],\"data_offsets\":[0,4]}"), 4, EINVAL);
	ST_FAILS(T("{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}"), 4, EINVAL);
	ST_FAILS(T("{\"dtype\":\"F32\",\"shape\":1,\"data_offsets\":[0,4]}"), 4, EINVAL);
	ST_FAILS(T("{\"dtype\":\"F32\",\"shape\":[1.0],\"data_offsets\":[0,4]}"), 4, EINVAL);
	ST_FAILS(T("{\"dtype\":\"F32\",\"shape\":[1e0],\"data_offsets\":[0,4]}"), 4, EINVAL);
	ST_FAILS(T("{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}"), 4, EINVAL);
	ST_FAILS(T("{\"dtype\":\"F32\",\"shape\":[01],\"data_offsets\":[0,4]}"), 4, EINVAL);
	ST_FAILS(T("{\"dtype\":\"F32\",\"shape\":[\"1\"],\"data_offsets\":[0,4]}"), 4, EINVAL);
	ST_FAILS(T("{\"dtype\":\"F32\",\"shape\":[[1]],\"data_offsets\":[0,4]}"), 4, EINVAL);
	ST_FAILS(T("{\"dtype\":\"F32\",\"shape\":[18446744073709551616],\"data_offsets\":[0,4]}"), 4, EINVAL);
	ST_FAILS(T("{\"dtype\":\"F32\",\"shape\":[1,1,1,1,1,1,1,1,1],\"data_offsets\":[0,4]}"), 4, EINVAL);
	/* Overflow: of the element count, then of the byte size. */
	ST_FAILS(T("{\"dtype\":\"U8\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}"), 0, EINVAL);
	ST_FAILS(T("{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,0]}"), 0, EINVAL);
	/* Empty, but the other dimensions' strides overflow (found by fuzzing). */
	ST_FAILS(T("{\"dtype\":\"U8\",\"shape\":[4294967296,4294967296,0],\"data_offsets\":[0,0]}"), 0, EINVAL);
	ST_FAILS(T("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}"), 4, EINVAL);
	ST_FAILS(T("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}"), 4, EINVAL);
	ST_FAILS(T("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}"), 4, EINVAL);
	ST_FAILS(T("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,8]}"), 8, EINVAL);
	ST_FAILS(T("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-0,4]}"), 4, EINVAL);
	ST_FAILS(T("{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}"), 4, EINVAL); /* past the end */
	ST_FAILS("{\"\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1, EINVAL);
	ST_FAILS("{\"a\\u0000b\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1, EINVAL);
	ST_FAILS("{\"__metadata__\":{\"a\":1}}", 0, EINVAL);
	ST_FAILS("{\"__metadata__\":[]}", 0, EINVAL);
	ST_FAILS("{\"t\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
		 "\"t\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}", 2, EINVAL);
	ST_FAILS("{\"t\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}} x", 1, EINVAL);
	ST_FAILS("{\"t\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}", 1, EINVAL);
#undef T
}

Test(safetensors, layout_rules)
{
	/* Overlap, a gap, a hole at the start, data after the last tensor,
	 * two tensors at the same range. */
	ST_FAILS("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},"
		 "\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[2,6]}}", 6, EINVAL);
	ST_FAILS("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},"
		 "\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[5,9]}}", 9, EINVAL);
	ST_FAILS("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[1,5]}}", 5, EINVAL);
	ST_FAILS("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]}}", 5, EINVAL);
	ST_FAILS("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},"
		 "\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]}}", 4, EINVAL);
	/* Declared out of order is fine (the reference sorts by offset). */
	struct model_index idx = { 0 };
	cr_assert_eq(st_parse(&idx, "{\"b\":{\"dtype\":\"U16\",\"shape\":[2],\"data_offsets\":[4,8]},"
				     "\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]}}", 8), 0);
	cr_assert_str_eq(idx.tensors[0].name, "a");
	cr_assert_eq(idx.tensors[1].offset, idx.files[0].data_start + 4);
	model_index_free(&idx);
}

Test(safetensors, failure_leaves_existing_index_unchanged)
{
	struct model_index idx = { 0 };
	cr_assert_eq(st_parse(&idx, "{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]}}", 4), 0);
	struct model_index before = idx;
	cr_assert_eq(st_parse(&idx, "{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,5]}}", 4), -EINVAL);
	cr_assert_eq(idx.n_files, before.n_files);
	cr_assert_eq(idx.n_tensors, before.n_tensors);
	cr_assert_str_eq(idx.tensors[0].name, "a");
	model_index_free(&idx);
}

/* ---- model_index_open: files ---------------------------------------------- */

Test(model_open, safetensors_file, .fini = rm_tmpdir)
{
	size_t len;
	uint8_t *b = st_image(ST_GOOD, 36, &len);
	char *path = write_file("m.safetensors", b, len);
	struct model_index idx = { 0 };
	cr_assert_eq(model_index_open(&idx, path), 0, "%s", amdbare_last_error());
	cr_assert_eq(idx.n_tensors, 4);
	cr_assert_str_eq(idx.files[0].path, path);
	cr_assert_eq(idx.files[0].size, len);
	model_index_free(&idx);
	free(path);
	/* A header bigger than the first read (1 MiB): read again, bounded. */
	size_t big = (3u << 20) / 2;
	char *json = malloc(big + 128);
	strcpy(json, "{\"x\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}");
	size_t jl = strlen(json);
	memset(json + jl, ' ', big - jl);
	json[big] = '\0';
	free(b);
	b = st_image(json, 2, &len);
	path = write_file("big.safetensors", b, len);
	cr_assert_eq(model_index_open(&idx, path), 0, "%s", amdbare_last_error());
	cr_assert_eq(idx.tensors[0].offset, 8 + big);
	model_index_free(&idx);
	free(path);
	free(json);
	free(b);
}

Test(model_open, not_a_file_or_missing, .fini = rm_tmpdir)
{
	struct model_index idx = { 0 };
	cr_assert_eq(model_index_open(&idx, tmpdir()), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "regular"), "%s", amdbare_last_error());
	char *p;
	cr_assert(asprintf(&p, "%s/none.safetensors", tmpdir()) > 0);
	cr_assert_eq(model_index_open(&idx, p), -ENOENT);
	cr_assert(strstr(amdbare_last_error(), "none.safetensors"));
	cr_assert(idx_empty(&idx));
	free(p);
	p = write_file("short.safetensors", "abc", 3);
	cr_assert_eq(model_index_open(&idx, p), -EINVAL);
	cr_assert(idx_empty(&idx));
	free(p);
}

/* ---- GGUF ----------------------------------------------------------------- */

struct wbuf {
	uint8_t *p;
	size_t len, cap;
};

static void w_bytes(struct wbuf *w, const void *d, size_t n)
{
	if (w->len + n > w->cap) {
		w->cap = (w->len + n) * 2 + 64;
		w->p = realloc(w->p, w->cap);
		cr_assert_not_null(w->p);
	}
	memcpy(w->p + w->len, d, n);
	w->len += n;
}

static void w_u32(struct wbuf *w, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
	w_bytes(w, b, 4);
}

static void w_u64(struct wbuf *w, uint64_t v)
{
	uint8_t b[8];
	put_le64(b, v);
	w_bytes(w, b, 8);
}

static void w_str(struct wbuf *w, const char *s)
{
	w_u64(w, strlen(s));
	w_bytes(w, s, strlen(s));
}

/* Knobs for the malformed variants; zero = the valid file. */
struct gg_opts {
	uint32_t version;       /* 3 */
	uint32_t alignment;     /* 0: no general.alignment key (default 32) */
	uint32_t align_type;    /* value type of general.alignment (4 = u32) */
	bool dup_key, dup_tensor, bad_bool, big_endian;
	uint32_t q_dims;        /* n_dims of the Q4_0 tensor (2) */
	uint64_t q_ne0;         /* 64 */
	uint32_t q_type;        /* ggml type of the second tensor (2 = Q4_0) */
	uint64_t q_offset;      /* UINT64_MAX: the right one */
	uint64_t n_tensors_override, n_kv_override;
	uint64_t str_len_override; /* length of the architecture string */
	uint64_t data_cut;      /* bytes removed from the end */
	uint32_t nest;          /* depth of the nested array (1) */
};

/* "tok": f32 ne [4,2]; "q": q4_0 ne [64,2]; keys: general.architecture,
 * [general.alignment], tokens (array of 3 strings), a nested array, a bool. */
static uint8_t *gguf_image(const struct gg_opts *o, size_t *len, uint64_t *data_start)
{
	struct wbuf w = { 0 };
	uint32_t align = o->alignment ? o->alignment : 32;
	uint32_t n_kv = 4 + (o->alignment != 0) + o->dup_key;
	w_bytes(&w, "GGUF", 4);
	uint32_t ver = o->version ? o->version : 3;
	if (o->big_endian)
		ver = __builtin_bswap32(ver);
	w_u32(&w, ver);
	w_u64(&w, o->n_tensors_override ? o->n_tensors_override : 2);
	w_u64(&w, o->n_kv_override ? o->n_kv_override : n_kv);
	w_str(&w, "general.architecture");
	w_u32(&w, 8);
	if (o->str_len_override) {
		w_u64(&w, o->str_len_override);
		w_bytes(&w, "llama", 5);
	} else {
		w_str(&w, "llama");
	}
	if (o->alignment) {
		w_str(&w, "general.alignment");
		w_u32(&w, o->align_type ? o->align_type : 4);
		w_u32(&w, o->alignment);
	}
	w_str(&w, "tokenizer.ggml.tokens");
	w_u32(&w, 9);
	w_u32(&w, 8);
	w_u64(&w, 3);
	w_str(&w, "a");
	w_str(&w, "bb");
	w_str(&w, "");
	w_str(&w, "nested");
	uint32_t nest = o->nest ? o->nest : 1;
	w_u32(&w, 9);
	for (uint32_t i = 0; i < nest; i++) {
		w_u32(&w, 9); /* an array of one array ... */
		w_u64(&w, 1);
	}
	w_u32(&w, 4); /* innermost: array of u32 */
	w_u64(&w, 2);
	w_u32(&w, 7);
	w_u32(&w, 8);
	w_str(&w, "flag");
	w_u32(&w, 7);
	w_bytes(&w, o->bad_bool ? "\x02" : "\x01", 1);
	if (o->dup_key) {
		w_str(&w, "flag");
		w_u32(&w, 4);
		w_u32(&w, 1);
	}
	/* tensor infos */
	w_str(&w, "tok");
	w_u32(&w, 2);
	w_u64(&w, 4);
	w_u64(&w, 2);
	w_u32(&w, 0);
	w_u64(&w, 0);
	w_str(&w, o->dup_tensor ? "tok" : "q");
	uint32_t qd = o->q_dims ? o->q_dims : 2;
	w_u32(&w, qd);
	w_u64(&w, o->q_ne0 ? o->q_ne0 : 64);
	for (uint32_t d = 1; d < qd && d < 8; d++)
		w_u64(&w, 2);
	w_u32(&w, o->q_type ? o->q_type : 2);
	uint64_t off = ((32 + align - 1) / align) * align;
	w_u64(&w, o->q_offset ? o->q_offset : off);
	size_t ds = (w.len + align - 1) / align * align;
	while (w.len < ds)
		w_bytes(&w, "\0", 1);
	*data_start = ds;
	uint64_t total = off + 2 * 2 * 18;
	for (uint64_t i = 0; i < total; i++) {
		uint8_t c = (uint8_t)i;
		w_bytes(&w, &c, 1);
	}
	w.len -= o->data_cut;
	*len = w.len;
	return w.p;
}

static int gg_parse(struct model_index *idx, const struct gg_opts *o)
{
	size_t len, need = 0;
	uint64_t ds;
	uint8_t *b = gguf_image(o, &len, &ds);
	int r = model_parse_gguf(idx, "m.gguf", b, len, len, &need);
	free(b);
	return r;
}

#define GG_FAILS(err, ...)                                                              \
	do {                                                                            \
		struct gg_opts o_ = { __VA_ARGS__ };                                    \
		struct model_index ix_ = { 0 };                                         \
		int r_ = gg_parse(&ix_, &o_);                                           \
		cr_assert_eq(r_, -(err), "%s: got %d (%s)", #__VA_ARGS__, r_, amdbare_last_error()); \
		cr_assert(idx_empty(&ix_));                                             \
		cr_assert_neq(amdbare_last_error()[0], '\0');                           \
	} while (0)

Test(gguf, valid_file)
{
	for (uint32_t align = 0; align <= 64; align += 32) {
		struct gg_opts o = { .alignment = align };
		struct model_index idx = { 0 };
		size_t len, need = 0;
		uint64_t ds;
		uint8_t *b = gguf_image(&o, &len, &ds);
		cr_assert_eq(model_parse_gguf(&idx, "m.gguf", b, len, len, &need), 0, "%s", amdbare_last_error());
		uint32_t a = align ? align : 32;
		cr_assert_eq(idx.alignment, a);
		cr_assert_eq(idx.n_files, 1);
		cr_assert_eq(idx.files[0].format, MODEL_FORMAT_GGUF);
		cr_assert_eq(idx.files[0].data_start, ds);
		cr_assert_eq(ds % a, 0);
		cr_assert_eq(idx.n_tensors, 2);
		const struct model_tensor *t = model_index_find(&idx, "tok");
		cr_assert_eq(t->dtype, AMDBARE_DTYPE_F32);
		cr_assert_eq(t->n_dims, 2);
		cr_assert_eq(t->shape[0], 2); /* ne reversed */
		cr_assert_eq(t->shape[1], 4);
		cr_assert_eq(t->nbytes, 32);
		cr_assert_eq(t->offset, ds);
		t = model_index_find(&idx, "q");
		cr_assert_eq(t->dtype, AMDBARE_DTYPE_Q4_0);
		cr_assert_eq(t->shape[0], 2);
		cr_assert_eq(t->shape[1], 64);
		cr_assert_eq(t->nbytes, 72);
		cr_assert_eq(t->offset, ds + ((32 + a - 1) / a) * a);
		cr_assert_eq(t->offset % a, 0);
		model_index_free(&idx);
		free(b);
	}
	struct gg_opts v2 = { .version = 2 };
	struct model_index idx = { 0 };
	cr_assert_eq(gg_parse(&idx, &v2), 0);
	model_index_free(&idx);
	struct gg_opts deep = { .nest = 7 };
	cr_assert_eq(gg_parse(&idx, &deep), 0, "%s", amdbare_last_error());
	model_index_free(&idx);
}

Test(gguf, truncated_at_every_byte)
{
	struct gg_opts o = { 0 };
	size_t len;
	uint64_t ds;
	uint8_t *b = gguf_image(&o, &len, &ds);
	for (size_t l = 0; l < len; l++) {
		struct model_index idx = { 0 };
		size_t need = 0;
		uint8_t *part = malloc(l ? l : 1);
		memcpy(part, b, l);
		/* Head only: more is asked for (never less than we have), or,
		 * once the header is all there, the parse succeeds. */
		int r = model_parse_gguf(&idx, "t", part, l, len, &need);
		if (r == -EAGAIN) {
			cr_assert(need > l && need <= len, "len %zu: need %zu", l, need);
			cr_assert(idx_empty(&idx));
		} else {
			cr_assert_eq(r, 0, "len %zu: %d %s", l, r, amdbare_last_error());
			cr_assert(l + 32 > ds, "len %zu: parsed without the whole header", l);
			model_index_free(&idx);
		}
		/* The file itself cut there: always an error. */
		r = model_parse_gguf(&idx, "t", part, l, l, &need);
		cr_assert_eq(r, -EINVAL, "file of %zu bytes: %d", l, r);
		cr_assert(idx_empty(&idx));
		free(part);
	}
	free(b);
}

Test(gguf, refused_versions)
{
	GG_FAILS(EINVAL, .version = 1);
	cr_assert(strstr(amdbare_last_error(), "v1"), "%s", amdbare_last_error());
	GG_FAILS(EINVAL, .version = 4);
	GG_FAILS(EINVAL, .big_endian = true);
	cr_assert(strstr(amdbare_last_error(), "big-endian"), "%s", amdbare_last_error());
	GG_FAILS(EINVAL, .version = 0x10000);
	struct model_index idx = { 0 };
	size_t need;
	cr_assert_eq(model_parse_gguf(&idx, "t", (const uint8_t *)"GGUX\3\0\0\0", 8, 8, &need), -EINVAL);
	cr_assert_eq(model_parse_gguf(&idx, "t", (const uint8_t *)"GGUF\0\0\0\0", 8, 8, &need), -EINVAL);
	cr_assert(idx_empty(&idx));
}

Test(gguf, malformed_header)
{
	GG_FAILS(EINVAL, .alignment = 48);
	GG_FAILS(EINVAL, .alignment = 1u << 31, .align_type = 5); /* i32 */
	GG_FAILS(EINVAL, .dup_key = true);
	cr_assert(strstr(amdbare_last_error(), "flag"), "%s", amdbare_last_error());
	GG_FAILS(EINVAL, .dup_tensor = true);
	cr_assert(strstr(amdbare_last_error(), "tok"), "%s", amdbare_last_error());
	GG_FAILS(EINVAL, .bad_bool = true);
	GG_FAILS(EINVAL, .q_dims = 5);
	GG_FAILS(EINVAL, .q_ne0 = 48);                 /* not a multiple of 32 */
	GG_FAILS(EINVAL, .q_ne0 = 1ull << 63);         /* negative as int64 */
	GG_FAILS(EINVAL, .q_ne0 = 1ull << 62, .q_dims = 3); /* element count overflow */
	GG_FAILS(EINVAL, .q_type = 4);                 /* removed Q4_2 */
	GG_FAILS(EINVAL, .q_type = 39);                /* MXFP4: not an amdbare type */
	GG_FAILS(EINVAL, .q_type = 1000);
	GG_FAILS(EINVAL, .q_offset = 64);              /* a gap */
	GG_FAILS(EINVAL, .q_offset = 16);              /* overlap, unaligned */
	GG_FAILS(EINVAL, .data_cut = 1);               /* last tensor past the end */
	GG_FAILS(EINVAL, .nest = 8);                   /* arrays nested too deep */
	GG_FAILS(EINVAL, .str_len_override = 1ull << 40);
	GG_FAILS(EINVAL, .str_len_override = UINT64_MAX);
	GG_FAILS(EFBIG, .n_kv_override = 1ull << 40);    /* more than a 256 MiB header holds */
	GG_FAILS(EINVAL, .n_kv_override = 1000);        /* more than this file holds */
	GG_FAILS(EFBIG, .n_tensors_override = (uint64_t)MODEL_MAX_TENSORS + 1);
	GG_FAILS(EINVAL, .n_tensors_override = 100000); /* cannot fit */
	GG_FAILS(EINVAL, .n_tensors_override = 3);      /* runs into the data */
	GG_FAILS(EINVAL, .n_kv_override = 7);
}

Test(gguf, huge_counts_need_no_memory)
{
	/* An array claiming 2^34 strings in a small file is refused from
	 * the count alone. */
	struct wbuf w = { 0 };
	w_bytes(&w, "GGUF", 4);
	w_u32(&w, 3);
	w_u64(&w, 0);
	w_u64(&w, 1);
	w_str(&w, "k");
	w_u32(&w, 9);
	w_u32(&w, 8);
	w_u64(&w, 1ull << 34);
	for (int i = 0; i < 8; i++)
		w_str(&w, "x");
	struct model_index idx = { 0 };
	size_t need = 0;
	cr_assert_eq(model_parse_gguf(&idx, "t", w.p, w.len, w.len, &need), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "cannot fit"), "%s", amdbare_last_error());
	/* In a huge file whose head we have: asked to read more, bounded. */
	int r = model_parse_gguf(&idx, "t", w.p, w.len, 1ull << 40, &need);
	cr_assert(r == -EFBIG || r == -EAGAIN, "%d", r);
	if (r == -EAGAIN)
		cr_assert(need <= MODEL_GGUF_MAX_HEADER);
	cr_assert(idx_empty(&idx));
	free(w.p);
}

Test(model_open, gguf_file, .fini = rm_tmpdir)
{
	struct gg_opts o = { .alignment = 64 };
	size_t len;
	uint64_t ds;
	uint8_t *b = gguf_image(&o, &len, &ds);
	char *path = write_file("m.gguf", b, len);
	struct model_index idx = { 0 };
	cr_assert_eq(model_index_open(&idx, path), 0, "%s", amdbare_last_error());
	cr_assert_eq(idx.files[0].format, MODEL_FORMAT_GGUF);
	cr_assert_eq(idx.alignment, 64);
	cr_assert_eq(idx.n_tensors, 2);
	model_index_free(&idx);
	free(path);
	free(b);
}

/* ---- sharded safetensors ------------------------------------------------ */

static void write_st(const char *name, const char *json, uint64_t data_len)
{
	size_t len;
	uint8_t *b = st_image(json, data_len, &len);
	free(write_file(name, b, len));
	free(b);
}

#define SHARD1 "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}," \
	"\"b\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[8,11]}}"
#define SHARD2 "{\"c\":{\"dtype\":\"I64\",\"shape\":[1,1],\"data_offsets\":[0,8]}}"

static void write_shards(void)
{
	write_st("model-00001-of-00002.safetensors", SHARD1, 11);
	write_st("model-00002-of-00002.safetensors", SHARD2, 8);
}

static int open_index(struct model_index *idx, const char *json)
{
	char *p = write_file("model.safetensors.index.json", json, strlen(json));
	int r = model_index_open(idx, p);
	free(p);
	return r;
}

#define MAP_OK "{\"metadata\":{\"total_size\":27},\"weight_map\":{" \
	"\"a\":\"model-00001-of-00002.safetensors\",\"c\":\"model-00002-of-00002.safetensors\"," \
	"\"b\":\"model-00001-of-00002.safetensors\"}}"

Test(shards, index_lists_distinct_shards_in_order)
{
	char **sh = NULL;
	uint32_t n = 0;
	cr_assert_eq(model_parse_safetensors_index("i.json", (const uint8_t *)MAP_OK, strlen(MAP_OK), &sh, &n), 0,
		     "%s", amdbare_last_error());
	cr_assert_eq(n, 2);
	cr_assert_str_eq(sh[0], "model-00001-of-00002.safetensors");
	cr_assert_str_eq(sh[1], "model-00002-of-00002.safetensors");
	for (uint32_t i = 0; i < n; i++)
		free(sh[i]);
	free(sh);
}

Test(shards, bad_index_or_shard_names)
{
	const char *bad[] = {
		"[]", "{}", "{\"weight_map\":[]}", "{\"weight_map\":{\"a\":1}}",
		"{\"weight_map\":{\"a\":\"../x.safetensors\"}}", "{\"weight_map\":{\"a\":\"d/x.safetensors\"}}",
		"{\"weight_map\":{\"a\":\"/etc/passwd\"}}", "{\"weight_map\":{\"a\":\"..\"}}",
		"{\"weight_map\":{\"a\":\"\"}}", "{\"weight_map\":{\"a\":\"x\\u0000y\"}}",
		"{\"weight_map\":{\"\":\"x\"}}", "{\"weight_map\":{},\"extra\":1}", "{\"metadata\":1,\"weight_map\":{}}",
		"{\"weight_map\":{\"a\":\"x\",\"a\":\"y\"}}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char **sh = (char **)0x1;
		uint32_t n = 77;
		cr_assert_eq(model_parse_safetensors_index("i.json", (const uint8_t *)bad[i], strlen(bad[i]), &sh, &n),
			     -EINVAL, "accepted: %s", bad[i]);
		cr_assert_eq(n, 77);
		cr_assert_eq(sh, (char **)0x1);
	}
}

Test(shards, open_sharded_model, .fini = rm_tmpdir)
{
	write_shards();
	struct model_index idx = { 0 };
	cr_assert_eq(open_index(&idx, MAP_OK), 0, "%s", amdbare_last_error());
	cr_assert_eq(idx.n_files, 2);
	cr_assert_eq(idx.n_tensors, 3);
	const struct model_tensor *c = model_index_find(&idx, "c");
	cr_assert_not_null(c);
	cr_assert_eq(c->file_index, 1);
	cr_assert(strstr(idx.files[1].path, "/model-00002-of-00002.safetensors"));
	cr_assert_eq(strncmp(idx.files[1].path, tmpdir(), strlen(tmpdir())), 0);
	cr_assert_eq(model_index_find(&idx, "b")->file_index, 0);
	model_index_free(&idx);
}

Test(shards, weight_map_mismatch, .fini = rm_tmpdir)
{
	write_shards();
	static const struct { const char *json, *needle; } cases[] = {
		/* a tensor the shards do not have */
		{ "{\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\",\"b\":\"model-00001-of-00002.safetensors\","
		  "\"c\":\"model-00002-of-00002.safetensors\",\"d\":\"model-00002-of-00002.safetensors\"}}", "\"d\"" },
		/* a tensor the map does not list */
		{ "{\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\",\"c\":\"model-00002-of-00002.safetensors\"}}",
		  "\"b\"" },
		/* in the wrong shard */
		{ "{\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\",\"b\":\"model-00001-of-00002.safetensors\","
		  "\"c\":\"model-00001-of-00002.safetensors\"}}", "\"c\"" },
		/* a shard that does not exist */
		{ "{\"weight_map\":{\"a\":\"model-00003-of-00002.safetensors\"}}", "00003" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct model_index idx = { 0 };
		int r = open_index(&idx, cases[i].json);
		cr_assert(r == -EINVAL || (i == 3 && r == -ENOENT), "case %zu: %d", i, r);
		cr_assert(strstr(amdbare_last_error(), cases[i].needle), "case %zu: %s", i, amdbare_last_error());
		cr_assert(idx_empty(&idx));
	}
	/* The same tensor in two shards. */
	write_st("model-00002-of-00002.safetensors",
		 "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8);
	struct model_index idx = { 0 };
	cr_assert_eq(open_index(&idx, MAP_OK), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "\"a\""), "%s", amdbare_last_error());
	cr_assert(idx_empty(&idx));
	/* A malformed shard: the message names it. */
	write_st("model-00002-of-00002.safetensors",
		 "{\"c\":{\"dtype\":\"I64\",\"shape\":[1,1],\"data_offsets\":[0,9]}}", 8);
	cr_assert_eq(open_index(&idx, MAP_OK), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "model-00002-of-00002"), "%s", amdbare_last_error());
	cr_assert(idx_empty(&idx));
}

Test(model_open, gguf_header_beyond_first_read, .fini = rm_tmpdir)
{
	/* A 3 MiB string value: the head is read in several bounded steps. */
	struct wbuf w = { 0 };
	size_t big = 3u << 20;
	char *s = malloc(big + 1);
	memset(s, 'x', big);
	s[big] = '\0';
	w_bytes(&w, "GGUF", 4);
	w_u32(&w, 3);
	w_u64(&w, 1);
	w_u64(&w, 1);
	w_str(&w, "general.name");
	w_u32(&w, 8);
	w_str(&w, s);
	w_str(&w, "t");
	w_u32(&w, 1);
	w_u64(&w, 8);
	w_u32(&w, 0);
	w_u64(&w, 0);
	size_t ds = (w.len + 31) / 32 * 32;
	while (w.len < ds + 32)
		w_bytes(&w, "\0", 1);
	char *path = write_file("big.gguf", w.p, w.len);
	struct model_index idx = { 0 };
	cr_assert_eq(model_index_open(&idx, path), 0, "%s", amdbare_last_error());
	cr_assert_eq(idx.tensors[0].offset, ds);
	cr_assert_eq(idx.tensors[0].nbytes, 32);
	model_index_free(&idx);
	/* Cut inside the string: truncated, nothing appended. */
	free(path);
	path = write_file("cut.gguf", w.p, (2u << 20));
	cr_assert_eq(model_index_open(&idx, path), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "truncated"), "%s", amdbare_last_error());
	cr_assert(idx_empty(&idx));
	free(path);
	free(s);
	free(w.p);
}

Test(gguf, empty_tensor_with_overflowing_strides)
{
	/* ne = [0, 2^40, 2^40]: zero elements, but strides past INT64_MAX
	 * (found by fuzzing); ggml's own check divides by the zero. */
	struct wbuf w = { 0 };
	w_bytes(&w, "GGUF", 4);
	w_u32(&w, 3);
	w_u64(&w, 1);
	w_u64(&w, 0);
	w_str(&w, "e");
	w_u32(&w, 3);
	w_u64(&w, 0);
	w_u64(&w, 1ull << 40);
	w_u64(&w, 1ull << 40);
	w_u32(&w, 0);
	w_u64(&w, 0);
	struct model_index idx = { 0 };
	size_t need;
	cr_assert_eq(model_parse_gguf(&idx, "t", w.p, w.len, w.len, &need), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "\"e\""), "%s", amdbare_last_error());
	cr_assert(idx_empty(&idx));
	/* With small dimensions the empty tensor is fine. */
	w.len -= 8 + 4 + 8 + 8;
	w_u64(&w, 3);
	w_u64(&w, 5);
	w_u32(&w, 0);
	w_u64(&w, 0);
	while (w.len % 32)
		w_bytes(&w, "\0", 1); /* the data section starts at the padded header end */
	cr_assert_eq(model_parse_gguf(&idx, "t", w.p, w.len, w.len, &need), 0, "%s", amdbare_last_error());
	cr_assert_eq(idx.tensors[0].nbytes, 0);
	cr_assert_eq(idx.tensors[0].shape[0], 5);
	model_index_free(&idx);
	free(w.p);
}
