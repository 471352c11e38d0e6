/*
 * The model index: appending parsed files all-or-nothing, lookup, freeing,
 * and the name checks shared by the formats.
 */
#include "model_internal.h"
#include "error.h"

#include <errno.h>
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
	files[idx->n_files] = (struct model_file){
		.path = p, .size = file_size, .data_start = data_start, .format = format,
	};
	for (uint32_t i = 0; i < n; i++) {
		tensors[i].file_index = idx->n_files;
		idx->tensors[idx->n_tensors + i] = tensors[i];
	}
	idx->n_files++;
	idx->n_tensors += n;
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
	memcpy(dst->files + dst->n_files, src->files, src->n_files * sizeof(*src->files));
	for (uint32_t i = 0; i < src->n_tensors; i++) {
		dst->tensors[dst->n_tensors + i] = src->tensors[i];
		dst->tensors[dst->n_tensors + i].file_index += dst->n_files;
	}
	dst->n_files += src->n_files;
	dst->n_tensors += src->n_tensors;
	if (src->alignment > dst->alignment)
		dst->alignment = src->alignment;
	free(src->files);
	free(src->tensors);
	memset(src, 0, sizeof(*src));
	return 0;
}

static int by_name(const void *a, const void *b)
{
	const struct model_tensor *x = *(const struct model_tensor *const *)a;
	const struct model_tensor *y = *(const struct model_tensor *const *)b;
	return strcmp(x->name, y->name);
}

int model_check_unique_names(const struct model_index *idx)
{
	if (idx->n_tensors < 2)
		return 0;
	const struct model_tensor **v = malloc(idx->n_tensors * sizeof(*v));
	if (!v)
		return ab_set_error(ENOMEM, "model index: out of memory checking names");
	for (uint32_t i = 0; i < idx->n_tensors; i++)
		v[i] = &idx->tensors[i];
	qsort(v, idx->n_tensors, sizeof(*v), by_name);
	int r = 0;
	for (uint32_t i = 1; i < idx->n_tensors && !r; i++)
		if (strcmp(v[i - 1]->name, v[i]->name) == 0)
			r = ab_set_error(EINVAL, "tensor \"%s\" appears twice: in %s and in %s", v[i]->name,
					 idx->files[v[i - 1]->file_index].path,
					 idx->files[v[i]->file_index].path);
	free(v);
	return r;
}

const struct model_tensor *model_index_find(const struct model_index *idx, const char *name)
{
	if (!idx || !name)
		return NULL;
	for (uint32_t i = 0; i < idx->n_tensors; i++)
		if (strcmp(idx->tensors[i].name, name) == 0)
			return &idx->tensors[i];
	return NULL;
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
	memset(idx, 0, sizeof(*idx));
}
