/* model/format.h - what the model-file parsers hand to the loader.
 *
 * The parsers (safetensors, sharded safetensors index, GGUF) read untrusted
 * bytes and produce a model_index: a flat list of tensors, each naming the
 * file it lives in and the absolute byte range of its data there.  Every
 * range has been checked against the file size and against the other
 * tensors of the same file (no overlap, no overflow) before the index is
 * returned; the loader trusts nothing else. */
#ifndef AMDBARE_MODEL_FORMAT_H
#define AMDBARE_MODEL_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "amdbare_dtype.h"

#define MODEL_MAX_DIMS 8

/* Limits for untrusted headers: anything bigger is refused with -EFBIG. */
#define MODEL_SAFETENSORS_MAX_HEADER (100u << 20) /* as the reference implementation */
#define MODEL_GGUF_MAX_HEADER (256u << 20)
#define MODEL_MAX_TENSORS (1u << 20)
#define MODEL_MAX_NAME 4096

enum model_format {
	MODEL_FORMAT_SAFETENSORS = 1,
	MODEL_FORMAT_GGUF = 2,
};

struct model_file {
	char *path;          /* as given / as resolved from the shard index */
	uint64_t size;       /* st_size when parsed */
	uint64_t data_start; /* first byte of the tensor data region */
	enum model_format format;
};

struct model_tensor {
	char *name;          /* NUL-terminated copy; may contain any byte but NUL */
	amdbare_dtype dtype;
	uint32_t n_dims;
	uint64_t shape[MODEL_MAX_DIMS]; /* outermost first (row-major, as safetensors);
					  GGUF's ne[] is stored reversed into this order */
	uint32_t file_index; /* into model_index.files */
	uint64_t offset;     /* absolute byte offset of the data in the file */
	uint64_t nbytes;     /* = amdbare_dtype_bytes(dtype, product of shape) */
};

/* The index's name lookup (defined in model/index.c): model_index_find
 * and the loader share this one structure. */
struct model_name_table;

struct model_index {
	struct model_file *files;
	uint32_t n_files;
	struct model_tensor *tensors; /* in file order, then offset order */
	uint32_t n_tensors;
	uint32_t alignment;  /* GGUF general.alignment (32 default); 1 for safetensors */
	/* Name -> tensor lookup, kept up to date by whatever adds tensors (the
	 * parsers, model_index_open); users only zero-initialise the index,
	 * call model_index_find and free it with model_index_free. */
	struct model_name_table *names;
};

/* Parsers over bytes already read (fuzzable, no I/O).  `buf` holds the first
 * `len` bytes of a file whose total size is `file_size`.  On success the
 * tensors are appended to `idx` with file_index = the index of a new
 * model_file entry whose path is a copy of `path`.  -EINVAL (malformed, with
 * a message naming the file and, where known, the tensor), -EFBIG (header
 * over the limit), -EAGAIN with *need set when more of the file's head must
 * be read to finish (the caller reads *need bytes and calls again), -ENOMEM.
 * On any error idx is unchanged. */
int model_parse_safetensors(struct model_index *idx, const char *path,
			    const uint8_t *buf, size_t len, uint64_t file_size,
			    size_t *need);
int model_parse_gguf(struct model_index *idx, const char *path,
		     const uint8_t *buf, size_t len, uint64_t file_size,
		     size_t *need);

/* Parses a model.safetensors.index.json ("weight_map": name -> shard file)
 * and returns the distinct shard file names (relative to the index's
 * directory, checked: no '/', no "..", no NUL) in first-seen order.  The
 * caller then parses each shard and checks that the union of tensors equals
 * the weight_map exactly (model_index_check_weight_map). */
int model_parse_safetensors_index(const char *path, const uint8_t *buf, size_t len,
				  char ***shards, uint32_t *n_shards);

/* The check named above.  `buf` is the same
 * index text; every weight_map entry must be a tensor of idx whose file's
 * base name is the mapped shard, and every tensor of idx must be listed.
 * 0 or -EINVAL naming the tensor (missing, in the wrong shard, unlisted). */
int model_index_check_weight_map(const char *path, const uint8_t *buf, size_t len,
				 const struct model_index *idx);

/* File-level entry point: opens `path`, detects the format (GGUF magic,
 * a *.safetensors.index.json name, else safetensors), reads the head with
 * bounded reads and fills idx (all shards for an index).  0 or -errno with
 * a message. */
int model_index_open(struct model_index *idx, const char *path);

/* Looks a tensor up by exact name (hashed, not a scan); NULL if absent.
 * When several tensors share the name, the first of them. */
const struct model_tensor *model_index_find(const struct model_index *idx, const char *name);

void model_index_free(struct model_index *idx);

#endif /* AMDBARE_MODEL_FORMAT_H */
