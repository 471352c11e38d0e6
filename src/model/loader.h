/*
 * The model loader's internals (src/model/internal.h is the parsers'):
 * the parsed index (model/format.h), the plan (tensor → domain → slab),
 * the slabs (one GEM buffer each, from the model's own allocator) and the
 * proof.
 *
 *   model/api.c     open (parse, merge, name table), lookups, free
 *   model/plan.c    placement plan: policy, overrides, budgets, slabs
 *   model/load.c    allocate the slabs, stream, prove; cleanup on error
 *   model/stream.c  file bytes → mapped memory or the staging ring
 *   model/proof.c   usage snapshots, GPU checksums
 */
#ifndef AB_MODEL_LOADER_H
#define AB_MODEL_LOADER_H

#include "amdbare.h"
#include "format.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

/* Largest GEM buffer the plan makes for many tensors: big enough that the
 * buffer count stays small, small enough for every heap's max_allocation.
 * A tensor bigger than this gets a slab of its own. */
#define MODEL_SLAB_TARGET (UINT64_C(256) << 20)
/* Slabs are rounded to this, so that every slab is larger than half of the
 * model allocator's arena (MODEL_ARENA_SIZE) and becomes a dedicated GEM
 * buffer of exactly the planned size: the plan's byte counts are then the
 * kernel's. */
#define MODEL_SLAB_ROUND (UINT64_C(64) << 10)
#define MODEL_ARENA_SIZE (UINT64_C(64) << 10)
#define MODEL_DEFAULT_CHUNK (UINT64_C(4) << 20)
#define MODEL_DEFAULT_STAGING (UINT64_C(16) << 20)
#define MODEL_STAGING_SLOTS 4u

enum { MODEL_DOM_VRAM = 0, MODEL_DOM_GTT = 1, MODEL_DOM_COUNT = 2 };

struct model_slab {
	uint32_t dom;                /* MODEL_DOM_* */
	uint64_t size;               /* bytes requested (rounded to MODEL_SLAB_ROUND) */
	bool staged;                 /* NO_CPU_ACCESS: filled through the ring */
	amdbare_suballoc sa;         /* valid when sa.id != 0 */
};

struct model_tensor_state {
	uint32_t dom;                /* MODEL_DOM_* planned */
	int override_index;          /* index into overrides, -1 = policy */
	uint32_t slab;               /* index into slabs */
	uint64_t slab_offset;        /* offset of the data inside the slab's request */
	uint64_t checksum;           /* CPU checksum of the file bytes */
	bool loaded, verified;
};

/* What a file was when the model was opened: a load compares it again. */
struct model_file_stamp {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
};

struct model_override {
	char *pattern;
	uint32_t dom;
};

struct amdbare_model {
	amdbare_device *dev;
	amdbare_allocator *alloc;
	amdbare_model_options opt;
	struct model_override *overrides;
	size_t n_overrides;

	struct model_index idx;
	struct model_file_stamp *stamps;   /* per idx.files, taken at open */
	struct model_tensor_state *ts;     /* per idx.tensors */

	amdbare_model_plan plan;
	struct model_slab *slabs;
	uint32_t n_slabs;

	bool loaded;
	amdbare_model_proof proof;
};

/* model/plan.c: computes m->plan, m->ts[].dom/slab/slab_offset and
 * m->slabs from the options and the allocator's budgets. */
int model_plan_make(amdbare_model *m);
/* Parses "PATTERN=DOMAIN" overrides in m->overrides. */
int model_plan_parse_overrides(amdbare_model *m);

/* model/stream.c: streams every tensor into its allocated slab.  Slabs
 * must be allocated (sa valid).  Fills ts[].checksum and the streaming
 * fields of m->proof.  Errors name the file and the tensor. */
int model_stream_all(amdbare_model *m);

/* model/proof.c */
struct model_usage_snapshot {
	bool have_proc;
	amdbare_process_usage proc;
	amdbare_memory_info mem;
};
int model_usage_snapshot(amdbare_model *m, struct model_usage_snapshot *s);
void model_proof_usage(amdbare_model *m, const struct model_usage_snapshot *before,
		       const struct model_usage_snapshot *after);
/* GPU checksum of every loaded tensor against ts[].checksum.  -EBADMSG
 * naming the first mismatching tensor. */
int model_proof_verify(amdbare_model *m);

/* model/load.c: frees every slab (and leaves the allocator empty). */
void model_release_slabs(amdbare_model *m);

static inline uint32_t model_dom_bit(uint32_t dom)
{
	return dom == MODEL_DOM_VRAM ? AMDBARE_DOMAIN_VRAM : AMDBARE_DOMAIN_GTT;
}

static inline const char *model_dom_name(uint32_t dom)
{
	return dom == MODEL_DOM_VRAM ? "VRAM" : "GTT";
}

#endif /* AB_MODEL_LOADER_H */
