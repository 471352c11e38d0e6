/*
 * Shared pieces of the model-file parsers (model/): appending a parsed
 * file to an index all-or-nothing, and the checks every format applies to
 * tensor names.
 */
#ifndef AB_MODEL_INTERNAL_H
#define AB_MODEL_INTERNAL_H

#include "format.h"

#include <stdbool.h>

/* Appends one file and its n tensors (whose file_index is set here).  On
 * success idx owns the tensors' names; on failure (-ENOMEM) idx is
 * unchanged and the caller still owns them. */
int model_index_append(struct model_index *idx, const char *path, uint64_t file_size,
		       uint64_t data_start, enum model_format format, uint32_t alignment,
		       struct model_tensor *tensors, uint32_t n);

/* Frees the names of n tensors and the array. */
void model_tensors_free(struct model_tensor *t, uint32_t n);

/* A tensor name from the file: non-empty, at most MODEL_MAX_NAME bytes, no
 * NUL.  -EINVAL with a message naming the file otherwise. */
int model_check_name(const char *path, const char *name, size_t len);

/* Moves every file and tensor of src to the end of dst (file indices
 * shifted); src is left empty.  -ENOMEM leaves both unchanged. */
int model_index_merge(struct model_index *dst, struct model_index *src);

/* The first tensor (in index order) whose name an earlier tensor of idx
 * already has, or NULL: from the index's name table, for the callers that
 * refuse a name twice (model_index_find(idx, t->name) is the earlier one). */
const struct model_tensor *model_index_first_duplicate(const struct model_index *idx);

/* Sharded safetensors: distinct shard files per index, and the longest
 * shard file name (NAME_MAX). */
#define MODEL_MAX_SHARDS 65536u
#define MODEL_MAX_SHARD_NAME 255u

/* Little-endian loads from an unaligned buffer. */
static inline uint64_t model_le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static inline uint32_t model_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#endif
