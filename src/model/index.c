/*
 * The model index: appending parsed files all-or-nothing, the name lookup
 * (one hash table per index, kept up to date as tensors are added),
 * freeing, and the name checks shared by the formats.
 */
#include "internal.h"
#include "util/error.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int model_check_name(const char *path, const char *name, size_t len)
{
	if (len == 0)
		return ab_set_error(EINVAL, "%s: a tensor has an empty name", path);
	if (len > MODEL_MAX_NAME)
		return ab_set_error(EINVAL, "%s: tensor name \"%.64s...\" is %zu bytes (limit %u)", path,
				    name, len, MODEL_MAX_NAME);
	if (memchr(name, '\0', len))
		return ab_set_error(EINVAL, "%s: tensor name \"%s\" contains a NUL byte", path, name);
	return 0;
}

/* Open addressing over tensor index + 1 (0 = empty), at most half full so
 * every probe ends at an empty slot.  Only the first tensor of a name is
 * entered, the one a scan in index order would find; a later tensor of
 * the same name is remembered (first_dup) for the callers that refuse
 * duplicates, which each report them in their own words. */
struct model_name_table {
	uint32_t *slots;
	size_t mask;        /* number of slots - 1, a power of two - 1 */
	uint32_t first_dup; /* index + 1 of the first tensor whose name was in already */
};

/* FNV-1a: names are short; the table only needs a decent spread. */
static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static void names_free(struct model_name_table *nt)
{
	if (nt)
		free(nt->slots);
	free(nt);
}

static void names_insert(struct model_name_table *nt, const struct model_tensor *tensors,
			 uint32_t i)
{
	size_t h = name_hash(tensors[i].name) & nt->mask;
	for (; nt->slots[h]; h = (h + 1) & nt->mask) {
		if (strcmp(tensors[nt->slots[h] - 1].name, tensors[i].name) == 0) {
			if (!nt->first_dup)
				nt->first_dup = i + 1;
			return;
		}
	}
	nt->slots[h] = i + 1;
}

/* First half of adding tensors, before the index changes (so that a
 * failure leaves it intact): when the table cannot hold `total` names at
 * most half full, a new empty one that can, in *grown; else NULL. */
static int names_prepare(const struct model_index *idx, uint64_t total,
			 struct model_name_table **grown)
{
	*grown = NULL;
	if (total == 0 || (idx->names && 2 * total <= (uint64_t)idx->names->mask + 1))
		return 0;
	uint64_t size = 16;
	while (size < 2 * total)
		size <<= 1;
	struct model_name_table *nt = malloc(sizeof(*nt));
	uint32_t *slots = size <= SIZE_MAX / sizeof(*slots) ? calloc(size, sizeof(*slots)) : NULL;
	if (!nt || !slots) {
		free(nt);
		free(slots);
		return -ENOMEM;
	}
	*nt = (struct model_name_table){ .slots = slots, .mask = (size_t)(size - 1) };
	*grown = nt;
	return 0;
}

/* Second half, once idx->tensors[from .. n_tensors) are in: enters them;
 * a grown table replaces the old one and takes every tensor again. */
static void names_commit(struct model_index *idx, struct model_name_table *grown, uint32_t from)
{
	if (grown) {
		names_free(idx->names);
		idx->names = grown;
		from = 0;
	}
	for (uint32_t i = from; i < idx->n_tensors; i++)
		names_insert(idx->names, idx->tensors, i);
}

void model_tensors_free(struct model_tensor *t, uint32_t n)
{
	if (!t)
		return;
	for (uint32_t i = 0; i < n; i++)
		free(t[i].name);
	free(t);
}

int model_index_append(struct model_index *idx, const char *path, uint64_t file_size,
		       uint64_t data_start, enum model_format format, uint32_t alignment,
		       struct model_tensor *tensors, uint32_t n)
{
	if (idx->n_files == UINT32_MAX || (uint64_t)idx->n_tensors + n > UINT32_MAX)
		return ab_set_error(EFBIG, "%s: the model index is full", path);
	char *p = strdup(path);
	if (!p)
		return ab_set_error(ENOMEM, "%s: out of memory", path);
	struct model_file *files = realloc(idx->files, (idx->n_files + 1) * sizeof(*files));
	if (!files) {
		free(p);
		return ab_set_error(ENOMEM, "%s: out of memory", path);
	}
	idx->files = files; /* same contents, count unchanged: idx still intact */
	if (n) {
		struct model_tensor *t =
			realloc(idx->tensors, ((size_t)idx->n_tensors + n) * sizeof(*t));
		if (!t) {
			free(p);
			return ab_set_error(ENOMEM, "%s: out of memory for %u tensors", path, n);
		}
		idx->tensors = t;
	}
	struct model_name_table *grown;
	if (names_prepare(idx, (uint64_t)idx->n_tensors + n, &grown)) {
		free(p);
		return ab_set_error(ENOMEM, "%s: out of memory for %u tensor names", path, n);
	}
	files[idx->n_files] = (struct model_file){
		.path = p, .size = file_size, .data_start = data_start, .format = format,
	};
	for (uint32_t i = 0; i < n; i++) {
		tensors[i].file_index = idx->n_files;
		idx->tensors[idx->n_tensors + i] = tensors[i];
	}
	uint32_t from = idx->n_tensors;
	idx->n_files++;
	idx->n_tensors += n;
	names_commit(idx, grown, from);
	if (alignment > idx->alignment)
		idx->alignment = alignment;
	return 0;
}

int model_index_merge(struct model_index *dst, struct model_index *src)
{
	if ((uint64_t)dst->n_files + src->n_files > UINT32_MAX ||
	    (uint64_t)dst->n_tensors + src->n_tensors > UINT32_MAX)
		return ab_set_error(EFBIG, "model index: too many files or tensors");
	if (src->n_files) {
		struct model_file *f =
			realloc(dst->files, ((size_t)dst->n_files + src->n_files) * sizeof(*f));
		if (!f)
			return ab_set_error(ENOMEM, "model index: out of memory");
		dst->files = f;
	}
	if (src->n_tensors) {
		struct model_tensor *t =
			realloc(dst->tensors, ((size_t)dst->n_tensors + src->n_tensors) * sizeof(*t));
		if (!t)
			return ab_set_error(ENOMEM, "model index: out of memory");
		dst->tensors = t;
	}
	struct model_name_table *grown;
	if (names_prepare(dst, (uint64_t)dst->n_tensors + src->n_tensors, &grown))
		return ab_set_error(ENOMEM, "model index: out of memory");
	memcpy(dst->files + dst->n_files, src->files, src->n_files * sizeof(*src->files));
	for (uint32_t i = 0; i < src->n_tensors; i++) {
		dst->tensors[dst->n_tensors + i] = src->tensors[i];
		dst->tensors[dst->n_tensors + i].file_index += dst->n_files;
	}
	uint32_t from = dst->n_tensors;
	dst->n_files += src->n_files;
	dst->n_tensors += src->n_tensors;
	names_commit(dst, grown, from);
	if (src->alignment > dst->alignment)
		dst->alignment = src->alignment;
	free(src->files);
	free(src->tensors);
	names_free(src->names);
	memset(src, 0, sizeof(*src));
	return 0;
}

const struct model_tensor *model_index_find(const struct model_index *idx, const char *name)
{
	if (!idx || !name || !idx->names)
		return NULL;
	const struct model_name_table *nt = idx->names;
	for (size_t h = name_hash(name) & nt->mask; nt->slots[h]; h = (h + 1) & nt->mask) {
		const struct model_tensor *t = &idx->tensors[nt->slots[h] - 1];
		if (strcmp(t->name, name) == 0)
			return t;
	}
	return NULL;
}

const struct model_tensor *model_index_first_duplicate(const struct model_index *idx)
{
	if (!idx || !idx->names || !idx->names->first_dup)
		return NULL;
	return &idx->tensors[idx->names->first_dup - 1];
}

void model_index_free(struct model_index *idx)
{
	if (!idx)
		return;
	for (uint32_t i = 0; i < idx->n_files; i++)
		free(idx->files[i].path);
	for (uint32_t i = 0; i < idx->n_tensors; i++)
		free(idx->tensors[i].name);
	free(idx->files);
	free(idx->tensors);
	names_free(idx->names);
	memset(idx, 0, sizeof(*idx));
}
