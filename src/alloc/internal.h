/*
 * What an amdbare_allocator is inside the library, shared by the files of
 * alloc/:
 *
 *   alloc/tlsf.c       the O(1) offset allocator (no GEM knowledge)
 *   alloc/budget.c     per-domain budgets from the kernel's heap info
 *   alloc/arena.c      arenas and dedicated buffers: GEM create + maps
 *   alloc/records.c    the id -> sub-allocation table (double-free safe)
 *   alloc/allocator.c  create/destroy/trim/list of the allocator
 *   alloc/suballoc.c   allocate, free, describe, placement policy
 *   alloc/stats.c      statistics snapshot
 *
 * Locking: every field below is protected by `lock`, taken by each public
 * entry point; internal helpers (ab_alloc_*) expect it held.
 */
#ifndef AB_ALLOC_INTERNAL_H
#define AB_ALLOC_INTERNAL_H

#include "amdbare.h"
#include "amdbare_alloc.h"
#include "tlsf.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

/* Index of a domain in per-domain arrays. */
enum { AB_DOM_VRAM = 0, AB_DOM_GTT = 1, AB_DOM_COUNT = 2 };

/* Arenas and dedicated buffers are created with this alignment, so their
 * placement in the heap suits any sub-allocation alignment. */
#define AB_ARENA_ALIGNMENT (UINT64_C(64) << 10)

struct ab_pool;

struct ab_arena {
	struct ab_pool *pool;
	amdbare_bo *bo;
	uint64_t size;
	uint64_t gpu_va;
	void *cpu;                 /* NULL with NO_CPU_ACCESS */
	struct ab_tlsf tlsf;
	uint64_t requested;        /* sum of the live requests' sizes */
	struct ab_arena *prev, *next;
};

/* The arenas of one (domain, flags) pair. */
struct ab_pool {
	uint32_t dom;              /* AB_DOM_* */
	uint32_t flags;
	struct ab_arena *arenas;   /* newest first */
	uint32_t count;
	struct ab_pool *next;
};

/* A dedicated GEM buffer for one large request. */
struct ab_dedicated {
	amdbare_bo *bo;
	uint32_t dom, flags;
	uint64_t size;             /* of the buffer (page-rounded) */
	uint64_t gpu_va;
	void *cpu;
};

struct ab_budget {
	uint64_t usable, headroom, limit;  /* limit: the budget proper */
	bool capped;                       /* limit comes from the configured cap */
	uint64_t held;                     /* GEM bytes held in the domain */
	uint64_t max_allocation;           /* the heap's largest single buffer */
	uint64_t allocs, frees, spills, refusals;
	uint64_t live, requested, dedicated_used;
	uint32_t arenas, dedicated;
};

enum { AB_REC_FREE = 0, AB_REC_LIVE = 1 };

/* One sub-allocation (or a free slot of the table). */
struct ab_record {
	uint32_t gen;              /* 24 bits used: part of the id */
	uint8_t state;
	bool spilled;
	uint32_t next_free;        /* FIFO of free slots */
	struct ab_arena *arena;    /* NULL: dedicated */
	struct ab_dedicated *ded;  /* non-NULL: dedicated */
	uint64_t tlsf_handle;
	uint64_t size, offset;
};

struct amdbare_allocator {
	amdbare_device *dev;
	pthread_mutex_t lock;
	uint32_t tag;              /* 16 bits: part of every id */
	uint64_t arena_size;
	struct ab_budget budget[AB_DOM_COUNT];
	struct ab_pool *pools;
	struct ab_record *recs;
	uint32_t rec_cap, rec_top;
	uint32_t free_head, free_tail;  /* FIFO spreads generations over slots */
};

/* Domain index <-> AMDBARE_DOMAIN_* and names for messages. */
uint32_t ab_alloc_domain_bit(uint32_t dom);
const char *ab_alloc_domain_label(uint32_t dom);

/* ---- alloc/budget.c --------------------------------------------------- */

/* Fills a->budget from the heaps and the configuration. */
int ab_alloc_budget_init(amdbare_allocator *a, const amdbare_allocator_config *cfg);
/* 0 if `bytes` more GEM memory may be held in dom (this allocator's budget
 * and the device's current usage both allow it), else -ENOMEM with a
 * message naming the domain, the request and the budget.  `what` says what
 * the bytes are for ("a 256.00 MiB arena"). */
int ab_alloc_budget_check(amdbare_allocator *a, uint32_t dom, uint64_t bytes, const char *what);
/* Bytes this allocator may still hold in dom. */
uint64_t ab_alloc_budget_remaining(const amdbare_allocator *a, uint32_t dom);
/* The same, also limited by the device-wide room (usable - headroom -
 * what all processes use now): the size a new arena may have. */
uint64_t ab_alloc_budget_room(amdbare_allocator *a, uint32_t dom);

/* ---- alloc/arena.c ---------------------------------------------------- */

/* Creates an arena of `size` bytes in pool and links it first.  The GEM
 * buffer is checked to have landed in the pool's domain (the kernel moves
 * a failed VRAM-only creation to GTT silently: -ENOSPC then). */
int ab_alloc_arena_create(amdbare_allocator *a, struct ab_pool *pool, uint64_t size,
			  struct ab_arena **out);
void ab_alloc_arena_destroy(amdbare_allocator *a, struct ab_arena *ar);
int ab_alloc_dedicated_create(amdbare_allocator *a, uint32_t dom, uint32_t flags,
			      uint64_t size, uint64_t alignment, struct ab_dedicated **out);
void ab_alloc_dedicated_destroy(amdbare_allocator *a, struct ab_dedicated *d);

/* ---- alloc/records.c -------------------------------------------------- */

/* A free slot (growing the table if needed), marked live; NULL on ENOMEM. */
struct ab_record *ab_alloc_record_get(amdbare_allocator *a);
void ab_alloc_record_put(amdbare_allocator *a, struct ab_record *r);
uint64_t ab_alloc_record_id(const amdbare_allocator *a, const struct ab_record *r);
/* The live record of id, or -EINVAL (never issued here) / -EALREADY
 * (freed) with a message; `op` names the caller for it. */
int ab_alloc_record_resolve(amdbare_allocator *a, uint64_t id, const char *op,
			    struct ab_record **out);
void ab_alloc_records_fini(amdbare_allocator *a);

/* ---- alloc/suballoc.c ------------------------------------------------- */

/* Fills the public description of a live record. */
void ab_alloc_describe(const amdbare_allocator *a, const struct ab_record *r, amdbare_suballoc *out);
/* Releases the storage of a live record (block, dedicated buffer, empty
 * arena per the release policy) and the record itself. */
void ab_alloc_release(amdbare_allocator *a, struct ab_record *r, bool keep_last_arena);

#endif
