/*
 * Statistics snapshot of an allocator: per domain, what is held, asked,
 * used and free, the largest free block and how fragmented the free space
 * is.  Walks the arenas (few), so it is cheap but not meant for hot loops.
 */
#include "internal.h"
#include "util/api.h"
#include "util/error.h"

#include <errno.h>
#include <string.h>

static void domain_stats(const amdbare_allocator *a, uint32_t dom, amdbare_alloc_domain_stats *o)
{
	const struct ab_budget *b = &a->budget[dom];
	memset(o, 0, sizeof(*o));
	o->heap_usable = b->usable;
	o->headroom = b->headroom;
	o->budget = b->limit;
	o->held = b->held;
	o->requested = b->requested;
	o->used = b->dedicated_used;
	o->arenas = b->arenas;
	o->dedicated = b->dedicated;
	o->gem_buffers = b->arenas + b->dedicated;
	o->live = b->live;
	o->allocs = b->allocs;
	o->frees = b->frees;
	o->spills = b->spills;
	o->refusals = b->refusals;
	for (const struct ab_pool *p = a->pools; p; p = p->next) {
		if (p->dom != dom)
			continue;
		for (const struct ab_arena *ar = p->arenas; ar; ar = ar->next) {
			struct ab_tlsf_stats t;
			ab_tlsf_get_stats(&ar->tlsf, &t);
			o->used += t.used_bytes;
			o->free += t.free_bytes;
			if (t.largest_free > o->largest_free)
				o->largest_free = t.largest_free;
		}
	}
	/* Fragmentation as the share of free space that the largest single
	 * request could not use: 0 = all free space in one block. */
	o->fragmentation = o->free ? 1.0 - (double)o->largest_free / (double)o->free : 0.0;
}

AB_API int amdbare_allocator_get_stats(amdbare_allocator *a, amdbare_alloc_stats *out)
{
	if (!a || !out)
		return ab_set_error(EINVAL, "allocator stats: NULL argument");
	pthread_mutex_lock(&a->lock);
	memset(out, 0, sizeof(*out));
	out->arena_size = a->arena_size;
	domain_stats(a, AB_DOM_VRAM, &out->vram);
	domain_stats(a, AB_DOM_GTT, &out->gtt);
	pthread_mutex_unlock(&a->lock);
	return 0;
}
