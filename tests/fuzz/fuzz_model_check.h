/*
 * Shared by the model-file fuzz targets: what every successfully parsed
 * index must satisfy, whatever the input was.  Any violation aborts.
 */
#ifndef FUZZ_MODEL_CHECK_H
#define FUZZ_MODEL_CHECK_H

#include "model/format.h"
#include "amdbare.h"

#include <stdlib.h>
#include <string.h>

static void fuzz_check_index(const struct model_index *idx, uint64_t file_size)
{
	if (idx->n_files != 1)
		abort();
	const struct model_file *f = &idx->files[0];
	if (f->size != file_size || f->data_start > file_size)
		abort();
	uint64_t prev_end = f->data_start;
	for (uint32_t i = 0; i < idx->n_tensors; i++) {
		const struct model_tensor *t = &idx->tensors[i];
		size_t nl = strlen(t->name);
		if (nl == 0 || nl > MODEL_MAX_NAME || t->file_index != 0 || t->n_dims > MODEL_MAX_DIMS)
			abort();
		/* Sorted by offset, inside the data region, no overlap. */
		if (t->offset < prev_end || t->offset > file_size || t->nbytes > file_size - t->offset)
			abort();
		if (idx->alignment > 1 && t->offset % idx->alignment)
			abort();
		prev_end = t->offset + t->nbytes;
		uint64_t elems = 1, strided = 1, bytes;
		for (uint32_t d = 0; d < t->n_dims; d++) {
			/* Even with a zero dimension, strides must not overflow. */
			if (__builtin_mul_overflow(strided, t->shape[d] ? t->shape[d] : 1, &strided))
				abort();
			elems *= t->shape[d];
		}
		if (amdbare_dtype_bytes(t->dtype, elems, &bytes) != 0 || bytes != t->nbytes)
			abort();
		if (model_index_find(idx, t->name) == NULL)
			abort();
	}
}

#endif
