/*
 * amdbare model loader: tensors of safetensors / GGUF files put into VRAM
 * and GTT with a plan made before any byte moves, streamed straight from
 * the file into GPU memory, and a proof of where they are afterwards.
 *
 *   amdbare_model *m;
 *   const char *paths[] = { "model.safetensors" };
 *   amdbare_model_open(dev, paths, 1, NULL, &m);   // parse + plan, no GPU memory yet
 *   amdbare_model_plan plan;
 *   amdbare_model_get_plan(m, &plan);              // tensors and bytes per domain
 *   amdbare_model_load(m);                         // allocate, stream, prove
 *   amdbare_tensor_info t;
 *   amdbare_model_find(m, "lm_head.weight", &t);   // t.bo + t.bo_offset for GEMV
 *   amdbare_model_free(m);
 *
 * Conventions are those of amdbare.h (0 or a negative errno, a message in
 * amdbare_last_error(), NULL accepted by free).  A model belongs to one
 * thread at a time.  See docs/loader.md.
 */
#ifndef AMDBARE_MODEL_H
#define AMDBARE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "amdbare_dtype.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct amdbare_device amdbare_device;
typedef struct amdbare_bo amdbare_bo;
typedef struct amdbare_allocator amdbare_allocator;
typedef struct amdbare_model amdbare_model;

/* Where tensors may go (the values of enum amdbare_alloc_policy). */
enum amdbare_model_policy {
	AMDBARE_MODEL_VRAM_THEN_GTT = 0, /* VRAM while its budget lasts, then GTT (default) */
	AMDBARE_MODEL_VRAM_ONLY = 1,     /* everything in VRAM, or the plan refuses */
	AMDBARE_MODEL_GTT_ONLY = 2,      /* everything in GTT */
};

enum amdbare_model_flag {
	/* Skip the GPU-side checksum of every tensor (the CPU checksum is
	 * still computed while streaming).  For big loads on the vgpu, whose
	 * shader core runs on the CPU. */
	AMDBARE_MODEL_NO_VERIFY = 1u << 0,
	/* Fill VRAM through the GTT staging ring and SDMA copies even when the
	 * CPU could map it (VRAM buffers are then created NO_CPU_ACCESS).  The
	 * loader does this by itself when part of VRAM is CPU-invisible (a
	 * dGPU without resizable BAR). */
	AMDBARE_MODEL_STAGE_VRAM = 1u << 1,
	/* Read the files with O_DIRECT (page cache bypassed).  See
	 * docs/loader.md for when that helps; falls back to buffered reads
	 * when the file system refuses O_DIRECT. */
	AMDBARE_MODEL_O_DIRECT = 1u << 2,
};

/* Progress of a load, given to the callback after every chunk. */
typedef struct amdbare_model_progress {
	uint64_t bytes_done, bytes_total;   /* tensor bytes streamed / to stream */
	uint64_t vram_done, vram_total;     /* of which VRAM */
	uint64_t gtt_done, gtt_total;       /* of which GTT */
	uint32_t tensors_done, tensors_total;
	double elapsed_s;                   /* since streaming began */
	const char *file;                   /* being read */
	const char *tensor;                 /* being filled */
} amdbare_model_progress;

/* Return non-zero to abort the load (it then fails with -ECANCELED and
 * frees everything). */
typedef int (*amdbare_model_progress_fn)(const amdbare_model_progress *p, void *user);

typedef struct amdbare_model_options {
	uint32_t policy;                 /* enum amdbare_model_policy */
	/* Per-tensor overrides "PATTERN=DOMAIN": an fnmatch(3) glob on the
	 * tensor name and "vram" or "gtt"; the first matching one wins over
	 * the policy ("*embed*=gtt"). */
	const char *const *placements;
	size_t n_placements;
	/* Budgets, as in amdbare_allocator_config: headroom left alone in each
	 * heap (AMDBARE_ALLOC_HEADROOM_AUTO = the allocator's default) and
	 * optional caps (0 = none). */
	uint64_t vram_headroom, gtt_headroom;
	uint64_t vram_limit, gtt_limit;
	/* GPU-address alignment of every tensor: a power of two, at least 256
	 * (0 = 256), at most 64 KiB. */
	uint32_t alignment;
	uint32_t flags;                  /* enum amdbare_model_flag */
	uint64_t chunk_size;             /* bytes per read; 0 = 4 MiB */
	uint64_t staging_size;           /* GTT staging ring for VRAM the CPU cannot
					    map; 0 = 16 MiB (4 slots) */
	amdbare_model_progress_fn progress;
	void *progress_user;
} amdbare_model_options;

/* Fills *o with the defaults (VRAM then GTT, automatic headroom, 256-byte
 * alignment, 4 MiB reads, 16 MiB staging, verify). */
void amdbare_model_options_init(amdbare_model_options *o);

/* Parses one or more model files (safetensors, GGUF, or a sharded
 * *.safetensors.index.json; several paths are merged into one model) and
 * makes the placement plan.  No GPU memory is allocated and no tensor byte
 * is read.  -EINVAL for malformed files or options (the message names the
 * file and, where known, the tensor), -EEXIST for a tensor name present in
 * two files, or the parser's / the memory query's error.  A plan that does
 * not fit is NOT an error here: amdbare_model_get_plan says so and
 * amdbare_model_load refuses it. */
int amdbare_model_open(amdbare_device *dev, const char *const *paths, size_t n_paths,
		       const amdbare_model_options *opt, amdbare_model **out);

typedef struct amdbare_model_domain_plan {
	uint32_t tensors;                /* planned here */
	uint64_t bytes;                  /* their data bytes */
	uint64_t reserved;               /* GEM bytes the plan will create (alignment,
					    page rounding; the staging ring for GTT) */
	uint32_t buffers;                /* GEM buffers ("slabs") for them */
	uint64_t budget;                 /* the allocator's budget (usable - headroom, capped) */
	uint64_t headroom;
	uint64_t room;                   /* what was free of the budget device-wide at plan time */
} amdbare_model_domain_plan;

typedef struct amdbare_model_plan {
	uint32_t files;
	uint32_t tensors;
	uint64_t bytes;                  /* all tensor data */
	uint32_t policy;
	uint32_t overridden;             /* tensors placed by a --place pattern */
	bool vram_staged;                /* VRAM filled through the GTT ring + SDMA */
	uint64_t staging_bytes;          /* the ring (counted in gtt.reserved) */
	amdbare_model_domain_plan vram, gtt;
	bool fits;                       /* false: load will refuse with -ENOSPC */
	char refusal[384];               /* why not, with the numbers ("" if it fits) */
} amdbare_model_plan;

int amdbare_model_get_plan(const amdbare_model *m, amdbare_model_plan *out);

/* Allocates the planned buffers, streams every tensor from its file into
 * them and proves the result (usage deltas, GPU checksums).  Refused with
 * -ENOSPC before anything is allocated when the plan does not fit.  Other
 * errors: -EIO when a file shrank or changed during the load (short read,
 * size or mtime changed; the message names the file and the tensor), -EBADMSG
 * when a tensor's GPU checksum differs from the bytes read (names it),
 * -ECANCELED from the progress callback, or the allocator's / the copy's
 * error.  On any error every buffer of the model is freed and the model may
 * be loaded again or freed.  -EALREADY if already loaded. */
int amdbare_model_load(amdbare_model *m);

typedef struct amdbare_model_proof {
	bool loaded;
	/* The kernel's own accounting, before allocation and after the load
	 * (the staging ring already freed). */
	bool have_process_usage;         /* fdinfo readable on this kernel */
	int64_t proc_vram_delta, proc_gtt_delta;     /* this process (fdinfo) */
	int64_t global_vram_delta, global_gtt_delta; /* device-wide (INFO) */
	uint64_t held_vram, held_gtt;    /* GEM bytes the model's buffers hold */
	uint64_t loaded_vram, loaded_gtt;/* tensor bytes placed in each */
	/* true when the process deltas equal the bytes held (exactly: nothing
	 * else in this process allocated meanwhile). */
	bool usage_matches;
	/* Integrity: each tensor's checksum computed by the GPU over its own
	 * view of the memory against the checksum of the file bytes streamed. */
	bool verify_skipped;             /* NO_VERIFY, or the device cannot run the
					    checksum kernel (verify_note says why) */
	char verify_note[160];
	uint32_t verified, mismatched;
	double verify_seconds;
	/* Streaming. */
	uint64_t bytes_read;
	uint64_t bytes_staged;           /* went through the GTT ring + SDMA */
	double stream_seconds;
	bool used_o_direct;
} amdbare_model_proof;

int amdbare_model_get_proof(const amdbare_model *m, amdbare_model_proof *out);

typedef struct amdbare_tensor_info {
	const char *name;                /* valid while the model lives */
	amdbare_dtype dtype;
	uint32_t n_dims;
	uint64_t shape[8];               /* outermost first */
	uint64_t nbytes;
	const char *file;
	uint64_t file_offset;
	uint32_t domain;                 /* AMDBARE_DOMAIN_VRAM / _GTT: planned, then actual */
	const char *placed_by;           /* the override pattern that chose it, or NULL */
	/* Set once loaded (NULL / 0 before, and for a tensor of 0 bytes): */
	amdbare_bo *bo;                  /* parent buffer, owned by the model */
	uint64_t bo_offset;              /* byte offset of the data in bo */
	uint64_t gpu_va;                 /* GPU address of the data */
	void *cpu_ptr;                   /* CPU address, NULL when not CPU-mapped */
	uint64_t checksum;               /* of the file bytes (amdbare_checksum_cpu) */
	bool verified;                   /* the GPU's checksum agreed */
} amdbare_tensor_info;

size_t amdbare_model_tensor_count(const amdbare_model *m);
/* -ERANGE for an index out of range. */
int amdbare_model_tensor(const amdbare_model *m, size_t index, amdbare_tensor_info *out);
/* -ENOENT (with the name in the message) when absent. */
int amdbare_model_find(const amdbare_model *m, const char *name, amdbare_tensor_info *out);

/* The model's allocator (its budgets and statistics); owned by the model. */
amdbare_allocator *amdbare_model_allocator(const amdbare_model *m);

/* Frees every buffer and the model.  NULL is accepted. */
void amdbare_model_free(amdbare_model *m);

#ifdef __cplusplus
}
#endif
#endif /* AMDBARE_MODEL_H */
