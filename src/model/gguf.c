/*
 * GGUF (v2 and v3, little-endian): magic "GGUF", u32 version, u64
 * tensor_count, u64 kv_count, the key/value pairs, the tensor infos, then
 * the data section at the header end rounded up to general.alignment.
 *
 * The checks mirror ggml's gguf reader (gguf_init_from_file_impl): version
 * 0, 1 and byte-swapped versions are refused; keys are unique;
 * general.alignment is a u32 power of two; tensor names are unique; at most
 * 4 dimensions, each non-negative, their product below INT64_MAX; a known
 * ggml type whose block size divides ne[0]; and each tensor's offset must
 * be exactly where the previous one ends, padded to the alignment (so
 * tensors are aligned, in order, and never overlap).  In addition every
 * count and length is bounded by the bytes the file still has and by
 * MODEL_GGUF_MAX_HEADER, and each tensor's bytes must lie inside the file.
 * v2 and v3 have the same little-endian layout (v3 only added big-endian
 * files), so both are read the same way.
 */
#include "internal.h"
#include "util/error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum gguf_type {
	GGUF_UINT8, GGUF_INT8, GGUF_UINT16, GGUF_INT16, GGUF_UINT32, GGUF_INT32, GGUF_FLOAT32,
	GGUF_BOOL, GGUF_STRING, GGUF_ARRAY, GGUF_UINT64, GGUF_INT64, GGUF_FLOAT64, GGUF_TYPE_COUNT
};
static const uint8_t gguf_scalar_size[GGUF_TYPE_COUNT] = { 1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8 };

#define GGUF_DEFAULT_ALIGNMENT 32
#define GGUF_MAX_DIMS 4          /* GGML_MAX_DIMS */
#define GGUF_MAX_ARRAY_DEPTH 8   /* nested arrays */
#define GGUF_MAX_KEY 65535u

/* ggml_type codes (ggml.h) -> amdbare types; 0 = not supported (removed
 * codes 4, 5, 31-33, 36-38, and types amdbare does not know). */
static const amdbare_dtype ggml_types[] = {
	[0] = AMDBARE_DTYPE_F32, [1] = AMDBARE_DTYPE_F16, [2] = AMDBARE_DTYPE_Q4_0,
	[3] = AMDBARE_DTYPE_Q4_1, [6] = AMDBARE_DTYPE_Q5_0, [7] = AMDBARE_DTYPE_Q5_1,
	[8] = AMDBARE_DTYPE_Q8_0, [9] = AMDBARE_DTYPE_Q8_1, [10] = AMDBARE_DTYPE_Q2_K,
	[11] = AMDBARE_DTYPE_Q3_K, [12] = AMDBARE_DTYPE_Q4_K, [13] = AMDBARE_DTYPE_Q5_K,
	[14] = AMDBARE_DTYPE_Q6_K, [15] = AMDBARE_DTYPE_Q8_K, [16] = AMDBARE_DTYPE_IQ2_XXS,
	[17] = AMDBARE_DTYPE_IQ2_XS, [18] = AMDBARE_DTYPE_IQ3_XXS, [19] = AMDBARE_DTYPE_IQ1_S,
	[20] = AMDBARE_DTYPE_IQ4_NL, [21] = AMDBARE_DTYPE_IQ3_S, [22] = AMDBARE_DTYPE_IQ2_S,
	[23] = AMDBARE_DTYPE_IQ4_XS, [24] = AMDBARE_DTYPE_I8, [25] = AMDBARE_DTYPE_I16,
	[26] = AMDBARE_DTYPE_I32, [27] = AMDBARE_DTYPE_I64, [28] = AMDBARE_DTYPE_F64,
	[29] = AMDBARE_DTYPE_IQ1_M, [30] = AMDBARE_DTYPE_BF16, [34] = AMDBARE_DTYPE_TQ1_0,
	[35] = AMDBARE_DTYPE_TQ2_0,
};

struct gguf_reader {
	const char *path;
	const uint8_t *buf;
	size_t len, pos;
	uint64_t file_size;
	size_t need;
};

struct key_span {
	size_t off, len;
};

/* Consumes n bytes.  Past the buffer but inside the file: -EAGAIN with
 * g->need (at least doubling, so the caller's reads stay few); past the
 * file: -EINVAL; past the header limit: -EFBIG. */
static int take(struct gguf_reader *g, uint64_t n, const char *what, const uint8_t **out)
{
	if (n <= g->len - g->pos) {
		*out = g->buf + g->pos;
		g->pos += n;
		return 0;
	}
	if (n > g->file_size - g->pos)
		return ab_set_error(EINVAL, "%s: truncated GGUF header: %s at offset %zu needs %llu bytes, the file has %llu",
				    g->path, what, g->pos, (unsigned long long)n,
				    (unsigned long long)(g->file_size - g->pos));
	uint64_t end = g->pos + n;
	if (end > MODEL_GGUF_MAX_HEADER)
		return ab_set_error(EFBIG, "%s: GGUF header reaches past %u bytes (%s at offset %zu)", g->path,
				    MODEL_GGUF_MAX_HEADER, what, g->pos);
	uint64_t want = (uint64_t)g->len * 2;
	if (want > g->file_size)
		want = g->file_size;
	if (want > MODEL_GGUF_MAX_HEADER)
		want = MODEL_GGUF_MAX_HEADER;
	g->need = (size_t)(want > end ? want : end);
	return ab_set_error(EAGAIN, "%s: need the first %zu bytes", g->path, g->need);
}

static int rd_u32(struct gguf_reader *g, const char *what, uint32_t *v)
{
	const uint8_t *p;
	int r = take(g, 4, what, &p);
	if (!r)
		*v = model_le32(p);
	return r;
}

static int rd_u64(struct gguf_reader *g, const char *what, uint64_t *v)
{
	const uint8_t *p;
	int r = take(g, 8, what, &p);
	if (!r)
		*v = model_le64(p);
	return r;
}

/* A string: u64 length then the bytes (not NUL-terminated in the file). */
static int rd_str(struct gguf_reader *g, const char *what, uint64_t max, const uint8_t **s, uint64_t *len)
{
	int r = rd_u64(g, what, len);
	if (r)
		return r;
	if (*len > max)
		return ab_set_error(EINVAL, "%s: %s at offset %zu is %llu bytes long (limit %llu)", g->path, what,
				    g->pos - 8, (unsigned long long)*len, (unsigned long long)max);
	return take(g, *len, what, s);
}

static int skip_value(struct gguf_reader *g, const char *key, uint32_t type, unsigned depth);

static int skip_array(struct gguf_reader *g, const char *key, unsigned depth)
{
	uint32_t et;
	uint64_t count;
	int r;
	if (depth >= GGUF_MAX_ARRAY_DEPTH)
		return ab_set_error(EINVAL, "%s: key \"%s\": arrays nested deeper than %u", g->path, key,
				    GGUF_MAX_ARRAY_DEPTH);
	if ((r = rd_u32(g, "array type", &et)) || (r = rd_u64(g, "array length", &count)))
		return r;
	if (et >= GGUF_TYPE_COUNT)
		return ab_set_error(EINVAL, "%s: key \"%s\": array of invalid type %u", g->path, key, et);
	uint64_t min_elem = et == GGUF_STRING ? 8 : et == GGUF_ARRAY ? 12 : gguf_scalar_size[et];
	uint64_t left = g->file_size - g->pos;
	if (count > left / min_elem)
		return ab_set_error(EINVAL, "%s: key \"%s\": array of %llu elements cannot fit in the %llu bytes left",
				    g->path, key, (unsigned long long)count, (unsigned long long)left);
	if (et != GGUF_STRING && et != GGUF_ARRAY) {
		const uint8_t *p;
		if ((r = take(g, count * min_elem, "array data", &p)))
			return r;
		if (et == GGUF_BOOL)
			for (uint64_t i = 0; i < count; i++)
				if (p[i] > 1)
					return ab_set_error(EINVAL, "%s: key \"%s\": bool element %llu is %u, not 0 or 1",
							    g->path, key, (unsigned long long)i, p[i]);
		return 0;
	}
	for (uint64_t i = 0; i < count; i++)
		if ((r = skip_value(g, key, et, depth + 1)))
			return r;
	return 0;
}

static int skip_value(struct gguf_reader *g, const char *key, uint32_t type, unsigned depth)
{
	const uint8_t *p;
	uint64_t len;
	if (type == GGUF_STRING)
		return rd_str(g, "string value", UINT64_MAX, &p, &len);
	if (type == GGUF_ARRAY)
		return skip_array(g, key, depth);
	if (type >= GGUF_TYPE_COUNT)
		return ab_set_error(EINVAL, "%s: key \"%s\" has invalid GGUF value type %u", g->path, key, type);
	int r = take(g, gguf_scalar_size[type], "value", &p);
	if (!r && type == GGUF_BOOL && p[0] > 1)
		return ab_set_error(EINVAL, "%s: key \"%s\": bool value %u is not 0 or 1", g->path, key, p[0]);
	return r;
}

static int span_cmp(const void *a, const void *b, void *ctx)
{
	const uint8_t *buf = ctx;
	const struct key_span *x = a, *y = b;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	int c = memcmp(buf + x->off, buf + y->off, x->len);
	return c ? c : (x->off < y->off ? -1 : x->off > y->off);
}

static int read_kvs(struct gguf_reader *g, uint64_t n_kv, uint32_t *alignment)
{
	/* Grown as keys are read, so memory follows the bytes actually
	 * present, not the count the file claims. */
	struct key_span *keys = NULL;
	uint64_t cap = 0;
	char key[128];
	int r = 0;
	for (uint64_t i = 0; i < n_kv && !r; i++) {
		const uint8_t *s;
		uint64_t len;
		uint32_t type;
		if ((r = rd_str(g, "key", GGUF_MAX_KEY, &s, &len)))
			break;
		if (i == cap) {
			cap = cap ? cap * 2 : 64;
			struct key_span *k = realloc(keys, cap * sizeof(*keys));
			if (!k) {
				r = ab_set_error(ENOMEM, "%s: out of memory for %llu keys", g->path,
						 (unsigned long long)cap);
				break;
			}
			keys = k;
		}
		if (len == 0 || memchr(s, '\0', len)) {
			r = ab_set_error(EINVAL, "%s: key %llu at offset %zu is empty or contains NUL", g->path,
					 (unsigned long long)i, g->pos - len);
			break;
		}
		keys[i] = (struct key_span){ .off = (size_t)(s - g->buf), .len = (size_t)len };
		/* Printable copy for messages (truncated). */
		size_t kl = len < sizeof(key) - 1 ? (size_t)len : sizeof(key) - 1;
		memcpy(key, s, kl);
		key[kl] = '\0';
		if ((r = rd_u32(g, "value type", &type)))
			break;
		if (len == 17 && memcmp(s, "general.alignment", 17) == 0) {
			const uint8_t *p;
			if (type != GGUF_UINT32) {
				r = ab_set_error(EINVAL, "%s: general.alignment has value type %u, expected u32", g->path, type);
				break;
			}
			if ((r = take(g, 4, "general.alignment", &p)))
				break;
			uint32_t a = model_le32(p);
			if (a == 0 || (a & (a - 1)) != 0) {
				r = ab_set_error(EINVAL, "%s: general.alignment %u is not a power of two", g->path, a);
				break;
			}
			*alignment = a;
			continue;
		}
		r = skip_value(g, key, type, 0);
	}
	if (!r && n_kv > 1) {
		qsort_r(keys, n_kv, sizeof(*keys), span_cmp, (void *)g->buf);
		for (uint64_t i = 1; i < n_kv && !r; i++)
			if (keys[i].len == keys[i - 1].len &&
			    memcmp(g->buf + keys[i].off, g->buf + keys[i - 1].off, keys[i].len) == 0)
				r = ab_set_error(EINVAL, "%s: duplicate key \"%.*s\"", g->path,
						 (int)(keys[i].len < 200 ? keys[i].len : 200),
						 (const char *)g->buf + keys[i].off);
	}
	free(keys);
	return r;
}

static int read_tensor_info(struct gguf_reader *g, uint64_t i, struct model_tensor *t)
{
	const uint8_t *s;
	uint64_t len, ne[GGUF_MAX_DIMS];
	uint32_t n_dims, type;
	int r;
	if ((r = rd_str(g, "tensor name", MODEL_MAX_NAME, &s, &len)))
		return r;
	char *name = malloc((size_t)len + 1);
	if (!name)
		return ab_set_error(ENOMEM, "%s: out of memory", g->path);
	memcpy(name, s, (size_t)len);
	name[len] = '\0';
	t->name = name;
	if ((r = model_check_name(g->path, name, (size_t)len)))
		return r;
	if ((r = rd_u32(g, "n_dims", &n_dims)))
		return r;
	if (n_dims > GGUF_MAX_DIMS)
		return ab_set_error(EINVAL, "%s: tensor \"%s\" has %u dimensions (GGUF allows %u)", g->path, name,
				    n_dims, GGUF_MAX_DIMS);
	/* The product must stay below INT64_MAX (ggml's check), and so must
	 * the product of the non-zero dimensions: an empty tensor may not
	 * carry dimensions whose strides would overflow. */
	uint64_t elems = 1, strided = 1;
	for (uint32_t d = 0; d < n_dims; d++) {
		if ((r = rd_u64(g, "ne", &ne[d])))
			return r;
		if (ne[d] > INT64_MAX)
			return ab_set_error(EINVAL, "%s: tensor \"%s\": ne[%u] is negative", g->path, name, d);
		elems *= ne[d]; /* <= strided, which is checked */
		if (__builtin_mul_overflow(strided, ne[d] ? ne[d] : 1, &strided) || strided >= INT64_MAX)
			return ab_set_error(EINVAL, "%s: tensor \"%s\": element count does not fit below INT64_MAX",
					    g->path, name);
	}
	if ((r = rd_u32(g, "tensor type", &type)))
		return r;
	if (type >= sizeof(ggml_types) / sizeof(ggml_types[0]) || ggml_types[type] == AMDBARE_DTYPE_INVALID)
		return ab_set_error(EINVAL, "%s: tensor \"%s\" has unsupported ggml type %u", g->path, name, type);
	t->dtype = ggml_types[type];
	uint32_t be, bb;
	amdbare_dtype_block(t->dtype, &be, &bb);
	uint64_t ne0 = n_dims ? ne[0] : 1;
	if (ne0 % be != 0)
		return ab_set_error(EINVAL, "%s: tensor \"%s\" of type %s has %llu elements per row, not a multiple of its block (%u)",
				    g->path, name, amdbare_dtype_name(t->dtype), (unsigned long long)ne0, be);
	if (amdbare_dtype_bytes(t->dtype, elems, &t->nbytes) != 0)
		return ab_set_error(EINVAL, "%s: tensor \"%s\": byte size overflows 64 bits", g->path, name);
	/* model_tensor.shape is outermost first: ggml's ne[] reversed. */
	t->n_dims = n_dims;
	for (uint32_t d = 0; d < n_dims; d++)
		t->shape[d] = ne[n_dims - 1 - d];
	(void)i;
	return rd_u64(g, "tensor offset", &t->offset);
}

static int by_name_ptr(const void *a, const void *b)
{
	return strcmp((*(const struct model_tensor *const *)a)->name, (*(const struct model_tensor *const *)b)->name);
}

static int check_names_unique(const char *path, struct model_tensor *t, uint32_t n)
{
	if (n < 2)
		return 0;
	struct model_tensor **v = malloc(n * sizeof(*v));
	if (!v)
		return ab_set_error(ENOMEM, "%s: out of memory", path);
	for (uint32_t i = 0; i < n; i++)
		v[i] = &t[i];
	qsort(v, n, sizeof(*v), by_name_ptr);
	int r = 0;
	for (uint32_t i = 1; i < n && !r; i++)
		if (strcmp(v[i - 1]->name, v[i]->name) == 0)
			r = ab_set_error(EINVAL, "%s: duplicate tensor name \"%s\"", path, v[i]->name);
	free(v);
	return r;
}

/* Tensor offsets: ggml's rule, offsets relative to the data section, each
 * where the previous one's padded size ends. */
static int place_tensors(struct gguf_reader *g, struct model_tensor *t, uint32_t n, uint64_t data_start,
			 uint32_t alignment)
{
	uint64_t expect = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (t[i].offset != expect)
			return ab_set_error(EINVAL, "%s: tensor \"%s\" has offset %llu, expected %llu (tensors must follow each other, each padded to %u bytes)",
					    g->path, t[i].name, (unsigned long long)t[i].offset,
					    (unsigned long long)expect, alignment);
		uint64_t abs_off, end;
		if (__builtin_add_overflow(data_start, t[i].offset, &abs_off) ||
		    __builtin_add_overflow(abs_off, t[i].nbytes, &end) || end > g->file_size)
			return ab_set_error(EINVAL, "%s: tensor \"%s\": %llu bytes at offset %llu go past the end of the file (%llu bytes)",
					    g->path, t[i].name, (unsigned long long)t[i].nbytes,
					    (unsigned long long)abs_off, (unsigned long long)g->file_size);
		t[i].offset = abs_off;
		/* end <= file_size, so padding it cannot overflow. */
		uint64_t padded = (t[i].nbytes + alignment - 1) & ~(uint64_t)(alignment - 1);
		expect += padded;
	}
	return 0;
}

static int parse(struct gguf_reader *g, struct model_index *idx)
{
	const uint8_t *p;
	uint32_t version, alignment = GGUF_DEFAULT_ALIGNMENT;
	uint64_t n_tensors, n_kv;
	int r;
	if ((r = take(g, 4, "magic", &p)))
		return r;
	if (memcmp(p, "GGUF", 4) != 0)
		return ab_set_error(EINVAL, "%s: not a GGUF file (no \"GGUF\" magic)", g->path);
	if ((r = rd_u32(g, "version", &version)))
		return r;
	if (version == 0)
		return ab_set_error(EINVAL, "%s: GGUF version 0 is invalid", g->path);
	if ((version & 0xffff) == 0)
		return ab_set_error(EINVAL, "%s: GGUF version field 0x%08x looks byte-swapped: big-endian GGUF files are not supported",
				    g->path, version);
	if (version == 1)
		return ab_set_error(EINVAL, "%s: GGUF v1 (32-bit counts) is not supported; convert it to v3", g->path);
	if (version > 3)
		return ab_set_error(EINVAL, "%s: GGUF version %u is newer than 3, the last one known", g->path, version);
	if ((r = rd_u64(g, "tensor count", &n_tensors)) || (r = rd_u64(g, "key/value count", &n_kv)))
		return r;
	if (n_tensors > MODEL_MAX_TENSORS)
		return ab_set_error(EFBIG, "%s: %llu tensors (limit %u)", g->path, (unsigned long long)n_tensors,
				    MODEL_MAX_TENSORS);
	/* A key/value pair takes at least 14 bytes (length, 1-byte key, type,
	 * 1-byte value), a tensor info at least 25 (length, 1-byte name,
	 * n_dims, type, offset): counts the file cannot
	 * hold are refused before anything is allocated for them. */
	uint64_t left = g->file_size - g->pos;
	if (n_kv > MODEL_GGUF_MAX_HEADER / 14 || n_tensors > MODEL_GGUF_MAX_HEADER / 25)
		return ab_set_error(EFBIG, "%s: %llu key/value pairs and %llu tensors cannot fit in a %u-byte header",
				    g->path, (unsigned long long)n_kv, (unsigned long long)n_tensors,
				    MODEL_GGUF_MAX_HEADER);
	if (n_kv > left / 14 || n_tensors > left / 25)
		return ab_set_error(EINVAL, "%s: %llu key/value pairs and %llu tensors cannot fit in %llu bytes",
				    g->path, (unsigned long long)n_kv, (unsigned long long)n_tensors,
				    (unsigned long long)g->file_size);
	if ((r = read_kvs(g, n_kv, &alignment)))
		return r;
	/* Grown as infos are read (like the keys). */
	struct model_tensor *t = NULL;
	uint32_t n = 0, cap = 0;
	for (uint64_t i = 0; i < n_tensors && !r; i++) {
		if (n == cap) {
			uint32_t ncap = cap ? cap * 2 : 64;
			struct model_tensor *nt = realloc(t, (size_t)ncap * sizeof(*t));
			if (!nt) {
				r = ab_set_error(ENOMEM, "%s: out of memory for %u tensors", g->path, ncap);
				break;
			}
			memset(nt + cap, 0, (size_t)(ncap - cap) * sizeof(*t));
			t = nt;
			cap = ncap;
		}
		n++;
		r = read_tensor_info(g, i, &t[n - 1]);
	}
	uint64_t data_start = ((uint64_t)g->pos + alignment - 1) & ~(uint64_t)(alignment - 1);
	/* ggml only seeks to the data section when there are tensors; an
	 * empty file may end before its padding. */
	if (n == 0 && data_start > g->file_size)
		data_start = g->file_size;
	if (!r)
		r = check_names_unique(g->path, t, n);
	if (!r)
		r = place_tensors(g, t, n, data_start, alignment);
	if (!r)
		r = model_index_append(idx, g->path, g->file_size, data_start, MODEL_FORMAT_GGUF, alignment, t, n);
	if (r) {
		model_tensors_free(t, n);
		return r;
	}
	free(t);
	return 0;
}

int model_parse_gguf(struct model_index *idx, const char *path, const uint8_t *buf, size_t len,
		     uint64_t file_size, size_t *need)
{
	if (!idx || !path || (!buf && len) || !need)
		return ab_set_error(EINVAL, "model_parse_gguf: NULL argument");
	if (len > file_size)
		return ab_set_error(EINVAL, "%s: %zu bytes given for a file of %llu", path, len,
				    (unsigned long long)file_size);
	struct gguf_reader g = { .path = path, .buf = buf, .len = len, .file_size = file_size };
	int r = parse(&g, idx);
	if (r == -EAGAIN)
		*need = g.need;
	return r;
}
