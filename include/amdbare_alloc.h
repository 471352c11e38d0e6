/*
 * amdbare sub-allocator: many small GPU buffers carved out of a few large
 * GEM buffers ("arenas"), within per-domain budgets.
 *
 * Why: a model has hundreds of tensors and an inference program thousands
 * of short-lived buffers.  One GEM object each costs an ioctl (and a VA
 * map, and a CPU map) per buffer, wastes address space to 4 KiB/64 KiB
 * rounding, and makes every submission's buffer list long.  An arena is
 * created, CPU-mapped and GPU-mapped once; sub-allocations inside it cost
 * a few bitmap operations (TLSF: O(1) allocate and free).
 *
 * Conventions are those of amdbare.h: 0 or a negative errno, a message in
 * amdbare_last_error(), NULL accepted by destroy.  An allocator may be used
 * from several threads at once (one internal lock).  The parent buffers it
 * hands out (amdbare_suballoc.bo) remain owned by the allocator: use them
 * for submission lists, never free or unmap them.
 *
 * See docs/allocator.md for the design, the budget rules and the numbers.
 */
#ifndef AMDBARE_ALLOC_H
#define AMDBARE_ALLOC_H

#include "amdbare.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Repeated here (C11 allows identical typedefs) so that this header works
 * wherever amdbare.h includes it. */
typedef struct amdbare_device amdbare_device;
typedef struct amdbare_bo amdbare_bo;

typedef struct amdbare_allocator amdbare_allocator;

/* Arena size when the configuration says 0. */
#define AMDBARE_ALLOC_DEFAULT_ARENA_SIZE (UINT64_C(256) << 20)
/* Every sub-allocation's size is rounded up to, and its GPU address aligned
 * to at least, this many bytes. */
#define AMDBARE_ALLOC_GRANULARITY 256u
/* The largest alignment a sub-allocation may ask for. */
#define AMDBARE_ALLOC_MAX_ALIGNMENT (64u << 10)
/* A headroom value meaning "the default": 5 % of the heap's usable size,
 * at least 64 MiB, at most 1 GiB (see docs/allocator.md for why). */
#define AMDBARE_ALLOC_HEADROOM_AUTO UINT64_MAX

typedef struct amdbare_allocator_config {
	/* Bytes per arena; 0 = AMDBARE_ALLOC_DEFAULT_ARENA_SIZE.  Rounded up
	 * to 64 KiB.  A request bigger than half an arena gets a dedicated
	 * GEM buffer instead (an arena never exists for one block). */
	uint64_t arena_size;
	/* Bytes of each heap's usable size this allocator leaves alone, for
	 * the kernel, the display and other processes: the budget is usable
	 * minus headroom.  AMDBARE_ALLOC_HEADROOM_AUTO for the default, 0 for
	 * none. */
	uint64_t vram_headroom;
	uint64_t gtt_headroom;
	/* Optional extra caps on what this allocator holds per domain (bytes
	 * of GEM buffers); 0 = no cap beyond the heap-derived budget. */
	uint64_t vram_limit;
	uint64_t gtt_limit;
} amdbare_allocator_config;

/* Fills *cfg with the defaults (arena 256 MiB, automatic headroom, no
 * caps).  Start from this and change what you need. */
void amdbare_allocator_config_init(amdbare_allocator_config *cfg);

/* Creates an allocator on dev.  Queries the heaps (amdbare_device_query_memory)
 * to compute the budgets; creates no GEM buffer yet.  cfg NULL = defaults.
 * -EINVAL for a bad configuration, or the memory query's error. */
int amdbare_allocator_create(amdbare_device *dev, const amdbare_allocator_config *cfg,
			     amdbare_allocator **out);

/* Frees every arena and dedicated buffer.  Returns the number of
 * sub-allocations that were still live (they are freed too, and counted
 * in amdbare_last_error()); 0 when the caller freed everything.  NULL is
 * accepted.  The device must still be open. */
int amdbare_allocator_destroy(amdbare_allocator *a);

/* Where a request may go. */
enum amdbare_alloc_policy {
	AMDBARE_ALLOC_VRAM_THEN_GTT = 0, /* VRAM while its budget and the kernel allow, else GTT */
	AMDBARE_ALLOC_VRAM_ONLY = 1,     /* VRAM or -ENOMEM */
	AMDBARE_ALLOC_GTT_ONLY = 2,      /* GTT or -ENOMEM */
};

typedef struct amdbare_alloc_request {
	uint64_t size;       /* bytes, > 0 */
	uint64_t alignment;  /* of the GPU address; 0 = AMDBARE_ALLOC_GRANULARITY;
				a power of two <= AMDBARE_ALLOC_MAX_ALIGNMENT */
	uint32_t policy;     /* enum amdbare_alloc_policy */
	/* amdbare_bo_flag bits of the parent buffer.  Requests with different
	 * flags never share an arena.  With AMDBARE_BO_NO_CPU_ACCESS the
	 * result has no CPU pointer. */
	uint32_t flags;
} amdbare_alloc_request;

/* One sub-allocation, as the caller sees it (a copy: the allocator keeps
 * its own record, found again through `id`). */
typedef struct amdbare_suballoc {
	/* Identifies the sub-allocation for amdbare_alloc_free/_get.  Never 0.
	 * It encodes the allocator, a slot and a generation, so a stale id
	 * (double free) or one from another allocator is an error, never a
	 * crash. */
	uint64_t id;
	uint32_t domain;     /* AMDBARE_DOMAIN_VRAM or _GTT: the domain of the parent */
	uint32_t flags;      /* the parent buffer's flags (those requested) */
	uint64_t size;       /* as requested */
	uint64_t offset;     /* byte offset inside the parent buffer */
	uint64_t gpu_va;     /* GPU address: the parent's address + offset */
	void *cpu_ptr;       /* CPU address, NULL for NO_CPU_ACCESS parents */
	amdbare_bo *bo;      /* parent GEM buffer, owned by the allocator */
	bool dedicated;      /* the parent holds this sub-allocation alone */
	bool spilled;        /* VRAM_THEN_GTT that ended up in GTT */
} amdbare_suballoc;

/* Allocates.  On success *out describes the block.  Errors:
 *   -EINVAL  size 0, bad alignment, unknown policy or flag bits, or
 *            CPU_ACCESS together with NO_CPU_ACCESS;
 *   -ENOMEM  the budget (or the kernel) refuses in every domain the
 *            policy allows; the message names the domain(s), the request
 *            and the budget;
 *   or the error of the GEM call that failed (creation, mapping). */
int amdbare_alloc(amdbare_allocator *a, const amdbare_alloc_request *req, amdbare_suballoc *out);

/* Frees a sub-allocation.  -EALREADY for an id that was valid but has been
 * freed (double free), -EINVAL for an id this allocator never issued (0,
 * garbage, or another allocator's).  An arena left empty is released
 * unless it is the last one of its kind (the policy in docs/allocator.md);
 * a dedicated buffer is released at once. */
int amdbare_alloc_free(amdbare_allocator *a, uint64_t id);

/* Describes a live sub-allocation again.  Errors as amdbare_alloc_free. */
int amdbare_alloc_get(amdbare_allocator *a, uint64_t id, amdbare_suballoc *out);

/* The distinct parent buffers of n sub-allocations, for a submission's
 * buffer list.  Writes at most cap of them and returns their count when it
 * is <= cap; a return above cap means the array was too small (the value
 * is then an upper bound: call again with that many).  Errors as
 * amdbare_alloc_free for the first bad id. */
int amdbare_alloc_collect_bos(amdbare_allocator *a, const uint64_t *ids, size_t n,
			      amdbare_bo **bos, size_t cap);

/* Every GEM buffer the allocator holds (arenas and dedicated); same
 * return convention as amdbare_alloc_collect_bos. */
int amdbare_allocator_list_bos(amdbare_allocator *a, amdbare_bo **bos, size_t cap);

/* Releases every empty arena, including the last of each kind.  Returns
 * the number of GEM buffers released. */
int amdbare_allocator_trim(amdbare_allocator *a);

typedef struct amdbare_alloc_domain_stats {
	uint64_t heap_usable;     /* the kernel's usable size of the heap */
	uint64_t headroom;        /* bytes left alone below it */
	uint64_t budget;          /* what this allocator may hold: min(usable - headroom, limit) */
	uint64_t held;            /* bytes of GEM buffers held (arenas + dedicated) */
	uint64_t requested;       /* sum of the live requests' sizes */
	uint64_t used;            /* bytes those occupy (rounded to the granularity / pages) */
	uint64_t free;            /* free bytes inside the arenas */
	uint64_t largest_free;    /* largest free block of any arena */
	double fragmentation;     /* 1 - largest_free / free; 0 when nothing is free */
	uint32_t arenas;          /* arena GEM buffers */
	uint32_t dedicated;       /* dedicated GEM buffers */
	uint32_t gem_buffers;     /* arenas + dedicated */
	uint64_t live;            /* live sub-allocations */
	uint64_t allocs, frees;   /* counted since creation */
	uint64_t spills;          /* VRAM_THEN_GTT requests that landed here instead of VRAM */
	uint64_t refusals;        /* requests refused for this domain (budget or kernel) */
} amdbare_alloc_domain_stats;

typedef struct amdbare_alloc_stats {
	uint64_t arena_size;
	amdbare_alloc_domain_stats vram, gtt;
} amdbare_alloc_stats;

/* A consistent snapshot (taken under the allocator's lock). */
int amdbare_allocator_get_stats(amdbare_allocator *a, amdbare_alloc_stats *out);

#ifdef __cplusplus
}
#endif
#endif /* AMDBARE_ALLOC_H */
