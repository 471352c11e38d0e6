/*
 * safetensors (one file): an 8-byte little-endian header length N, N bytes
 * of JSON, then the tensor data.
 *
 * The layout rules are the reference implementation's (huggingface
 * safetensors, Metadata::validate and read_metadata): the tensors, sorted
 * by data_offsets, must tile the data region exactly -- the first starts at
 * 0, each starts where the previous one ended, the last ends at the end of
 * the file -- so there are no gaps and no overlaps.  Beyond the reference,
 * duplicate JSON keys, unknown keys in a tensor entry, names with NUL and
 * non-string metadata values are refused instead of being ignored or
 * overwritten.
 */
#include "internal.h"
#include "json.h"
#include "util/error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	amdbare_dtype dtype;
} st_dtypes[] = {
	{ "BOOL", AMDBARE_DTYPE_BOOL }, { "U8", AMDBARE_DTYPE_U8 },
	{ "I8", AMDBARE_DTYPE_I8 }, { "F8_E5M2", AMDBARE_DTYPE_F8_E5M2 },
	{ "F8_E4M3", AMDBARE_DTYPE_F8_E4M3 }, { "I16", AMDBARE_DTYPE_I16 },
	{ "U16", AMDBARE_DTYPE_U16 }, { "F16", AMDBARE_DTYPE_F16 },
	{ "BF16", AMDBARE_DTYPE_BF16 }, { "I32", AMDBARE_DTYPE_I32 },
	{ "U32", AMDBARE_DTYPE_U32 }, { "F32", AMDBARE_DTYPE_F32 },
	{ "F64", AMDBARE_DTYPE_F64 }, { "I64", AMDBARE_DTYPE_I64 },
	{ "U64", AMDBARE_DTYPE_U64 },
};

struct st_entry {
	struct model_tensor t;
	uint64_t begin, end; /* relative to the data region */
};

static int check_metadata(const char *path, const struct json_doc *doc, uint32_t v)
{
	const struct json_node *n = doc->nodes;
	if (n[v].type != JSON_OBJECT)
		return ab_set_error(EINVAL, "%s: \"__metadata__\" is %s, expected an object of strings",
				    path, json_type_name(n[v].type));
	uint32_t k = v + 1;
	for (uint32_t i = 0; i < n[v].count; i++) {
		if (n[k + 1].type != JSON_STRING)
			return ab_set_error(EINVAL, "%s: \"__metadata__\" key \"%.200s\" is %s, expected a string",
					    path, n[k].str, json_type_name(n[k + 1].type));
		k = n[k + 1].end;
	}
	return 0;
}

/* One "name": {"dtype": ..., "shape": [...], "data_offsets": [b, e]}. */
static int parse_entry(const char *path, const struct json_doc *doc, uint32_t key,
		       uint64_t data_len, struct st_entry *e)
{
	const struct json_node *n = doc->nodes;
	const char *name = n[key].str;
	uint32_t v = key + 1;
	int r;

	if ((r = model_check_name(path, name, n[key].str_len)))
		return r;
	if (n[v].type != JSON_OBJECT)
		return ab_set_error(EINVAL, "%s: tensor \"%s\": entry is %s, expected an object", path, name,
				    json_type_name(n[v].type));
	uint32_t jd = json_object_get(doc, v, "dtype"), js = json_object_get(doc, v, "shape"),
		 jo = json_object_get(doc, v, "data_offsets");
	if (jd == JSON_NONE || js == JSON_NONE || jo == JSON_NONE)
		return ab_set_error(EINVAL, "%s: tensor \"%s\": missing \"%s\"", path, name,
				    jd == JSON_NONE ? "dtype" : js == JSON_NONE ? "shape" : "data_offsets");
	if (n[v].count != 3) /* keys are unique, so 3 means exactly these */
		return ab_set_error(EINVAL, "%s: tensor \"%s\": unknown keys besides dtype, shape, data_offsets",
				    path, name);

	if (n[jd].type != JSON_STRING)
		return ab_set_error(EINVAL, "%s: tensor \"%s\": dtype is %s, expected a string", path, name,
				    json_type_name(n[jd].type));
	e->t.dtype = AMDBARE_DTYPE_INVALID;
	for (size_t i = 0; i < sizeof(st_dtypes) / sizeof(st_dtypes[0]); i++)
		if (json_str_eq(doc, jd, st_dtypes[i].name))
			e->t.dtype = st_dtypes[i].dtype;
	if (e->t.dtype == AMDBARE_DTYPE_INVALID)
		return ab_set_error(EINVAL, "%s: tensor \"%s\": unsupported dtype \"%.32s\"", path, name,
				    n[jd].str);

	if (n[js].type != JSON_ARRAY)
		return ab_set_error(EINVAL, "%s: tensor \"%s\": shape is %s, expected an array", path, name,
				    json_type_name(n[js].type));
	if (n[js].count > MODEL_MAX_DIMS)
		return ab_set_error(EINVAL, "%s: tensor \"%s\": %u dimensions (limit %u)", path, name,
				    n[js].count, MODEL_MAX_DIMS);
	/* Also the product of the non-zero dimensions must fit: an empty
	 * tensor may not carry dimensions whose strides would overflow. */
	uint64_t elems = 1, strided = 1;
	e->t.n_dims = n[js].count;
	for (uint32_t d = 0; d < n[js].count; d++) {
		const struct json_node *dim = &n[js + 1 + d]; /* scalars: one node each */
		if (dim->type != JSON_NUMBER || !dim->is_u64)
			return ab_set_error(EINVAL, "%s: tensor \"%s\": shape[%u] is not a non-negative 64-bit integer",
					    path, name, d);
		e->t.shape[d] = dim->u64;
		elems *= dim->u64; /* <= strided, which is checked */
		if (__builtin_mul_overflow(strided, dim->u64 ? dim->u64 : 1, &strided))
			return ab_set_error(EINVAL, "%s: tensor \"%s\": element count overflows 64 bits", path, name);
	}
	if (amdbare_dtype_bytes(e->t.dtype, elems, &e->t.nbytes) != 0)
		return ab_set_error(EINVAL, "%s: tensor \"%s\": byte size overflows 64 bits", path, name);

	if (n[jo].type != JSON_ARRAY || n[jo].count != 2)
		return ab_set_error(EINVAL, "%s: tensor \"%s\": data_offsets must be an array [begin, end]", path,
				    name);
	const struct json_node *b = &n[jo + 1], *en = &n[jo + 2];
	if (b->type != JSON_NUMBER || !b->is_u64 || en->type != JSON_NUMBER || !en->is_u64)
		return ab_set_error(EINVAL, "%s: tensor \"%s\": data_offsets are not non-negative 64-bit integers",
				    path, name);
	e->begin = b->u64;
	e->end = en->u64;
	if (e->end < e->begin)
		return ab_set_error(EINVAL, "%s: tensor \"%s\": data_offsets [%llu, %llu] end before they begin",
				    path, name, (unsigned long long)e->begin, (unsigned long long)e->end);
	if (e->end - e->begin != e->t.nbytes)
		return ab_set_error(EINVAL,
				    "%s: tensor \"%s\": data_offsets [%llu, %llu] hold %llu bytes, but %s of %llu elements take %llu",
				    path, name, (unsigned long long)e->begin, (unsigned long long)e->end,
				    (unsigned long long)(e->end - e->begin), amdbare_dtype_name(e->t.dtype),
				    (unsigned long long)elems, (unsigned long long)e->t.nbytes);
	if (e->end > data_len)
		return ab_set_error(EINVAL, "%s: tensor \"%s\": data_offsets end %llu is past the data region (%llu bytes)",
				    path, name, (unsigned long long)e->end, (unsigned long long)data_len);
	return 0;
}

static int by_range(const void *a, const void *b)
{
	const struct st_entry *x = a, *y = b;
	if (x->begin != y->begin)
		return x->begin < y->begin ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return strcmp(x->t.name, y->t.name);
}

static int parse_header(struct model_index *idx, const char *path, const struct json_doc *doc,
			uint64_t data_start, uint64_t file_size)
{
	const struct json_node *n = doc->nodes;
	uint64_t data_len = file_size - data_start;
	uint32_t members = n[0].count, meta = json_object_get(doc, 0, "__metadata__");
	uint32_t count = members - (meta != JSON_NONE);
	int r;

	if (meta != JSON_NONE && (r = check_metadata(path, doc, meta)))
		return r;
	if (count > MODEL_MAX_TENSORS)
		return ab_set_error(EFBIG, "%s: %u tensors (limit %u)", path, count, MODEL_MAX_TENSORS);
	struct st_entry *ent = calloc(count ? count : 1, sizeof(*ent));
	if (!ent)
		return ab_set_error(ENOMEM, "%s: out of memory for %u tensors", path, count);
	uint32_t got = 0, k = 1;
	r = 0;
	for (uint32_t i = 0; i < members && !r; i++, k = n[k + 1].end) {
		if (k + 1 == meta)
			continue;
		r = parse_entry(path, doc, k, data_len, &ent[got]);
		if (!r) {
			ent[got].t.name = strdup(n[k].str);
			if (!ent[got].t.name)
				r = ab_set_error(ENOMEM, "%s: out of memory", path);
			else
				got++;
		}
	}
	if (!r) {
		qsort(ent, got, sizeof(*ent), by_range);
		uint64_t expect = 0;
		for (uint32_t i = 0; i < got && !r; i++) {
			if (ent[i].begin != expect)
				r = ab_set_error(EINVAL,
						 "%s: tensor \"%s\": data starts at %llu, but the previous tensor ends at %llu "
						 "(tensors must cover the data region without gaps or overlaps)",
						 path, ent[i].t.name, (unsigned long long)ent[i].begin,
						 (unsigned long long)expect);
			expect = ent[i].end;
			ent[i].t.offset = data_start + ent[i].begin;
		}
		if (!r && expect != data_len)
			r = ab_set_error(EINVAL, "%s: the tensors cover %llu bytes of data but the file holds %llu after the header",
					 path, (unsigned long long)expect, (unsigned long long)data_len);
	}
	struct model_tensor *t = NULL;
	if (!r && !(t = calloc(got ? got : 1, sizeof(*t))))
		r = ab_set_error(ENOMEM, "%s: out of memory", path);
	if (!r) {
		for (uint32_t i = 0; i < got; i++)
			t[i] = ent[i].t;
		r = model_index_append(idx, path, file_size, data_start, MODEL_FORMAT_SAFETENSORS, 1, t, got);
		if (r == 0) {
			free(t);
			free(ent);
			return 0;
		}
	}
	free(t);
	for (uint32_t i = 0; i < got; i++)
		free(ent[i].t.name);
	free(ent);
	return r;
}

int model_parse_safetensors(struct model_index *idx, const char *path, const uint8_t *buf, size_t len,
			    uint64_t file_size, size_t *need)
{
	if (!idx || !path || (!buf && len) || !need)
		return ab_set_error(EINVAL, "model_parse_safetensors: NULL argument");
	if (file_size < 8)
		return ab_set_error(EINVAL, "%s: %llu bytes is too small for a safetensors file", path,
				    (unsigned long long)file_size);
	if (len > file_size)
		return ab_set_error(EINVAL, "%s: %zu bytes given for a file of %llu", path, len,
				    (unsigned long long)file_size);
	if (len < 8) {
		*need = 8;
		return ab_set_error(EAGAIN, "%s: need the first 8 bytes", path);
	}
	uint64_t hlen = model_le64(buf);
	if (hlen > MODEL_SAFETENSORS_MAX_HEADER)
		return ab_set_error(EFBIG, "%s: safetensors header of %llu bytes (limit %u)", path,
				    (unsigned long long)hlen, MODEL_SAFETENSORS_MAX_HEADER);
	if (hlen > file_size - 8)
		return ab_set_error(EINVAL, "%s: header length %llu goes past the end of the file (%llu bytes)",
				    path, (unsigned long long)hlen, (unsigned long long)file_size);
	if (len < 8 + hlen) {
		*need = (size_t)(8 + hlen);
		return ab_set_error(EAGAIN, "%s: need the first %zu bytes", path, *need);
	}
	/* The reference writer starts the JSON with '{' and pads with spaces. */
	if (hlen == 0 || buf[8] != '{')
		return ab_set_error(EINVAL, "%s: safetensors header does not start with '{'", path);
	struct json_doc doc;
	int r = json_parse(path, buf + 8, (size_t)hlen, &doc);
	if (r)
		return r;
	r = parse_header(idx, path, &doc, 8 + hlen, file_size);
	json_free(&doc);
	return r;
}
