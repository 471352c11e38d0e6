/*
 * A small safetensors writer (safetensors_writer.c): `amdbare demo` makes
 * its model with it when none is given, and the CLI tests use it too.
 */
#ifndef AMDBARE_SAFETENSORS_WRITER_H
#define AMDBARE_SAFETENSORS_WRITER_H

#include <stddef.h>
#include <stdint.h>

struct st_tensor {
	const char *name;
	const char *dtype;       /* "F16", "F32", "BF16", "U8" */
	uint32_t n_dims;
	uint64_t shape[4];
	/* Fills `count` elements starting at element `first` into dst (the
	 * file's little-endian layout). */
	void (*fill)(const struct st_tensor *t, uint64_t first, uint64_t count, void *dst);
};

/* Writes a safetensors file (8-byte header size, JSON header, data) in
 * bounded memory.  0 or -errno with a message on stderr naming the file. */
int st_write(const char *path, const struct st_tensor *t, size_t n);
/* Bytes per element of the dtypes above (0 for unknown). */
uint32_t st_dtype_size(const char *dtype);
/* IEEE half <-> float, round to nearest even. */
uint16_t st_f32_to_f16(float f);
float st_f16_to_f32(uint16_t h);

#endif
