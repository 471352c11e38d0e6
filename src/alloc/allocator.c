/*
 * Lifetime of an allocator: configuration, creation, teardown, trimming
 * and the list of GEM buffers it holds.
 */
#include "internal.h"
#include "util/api.h"
#include "util/error.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ROUND (UINT64_C(64) << 10)

AB_API void amdbare_allocator_config_init(amdbare_allocator_config *cfg)
{
	if (!cfg)
		return;
	memset(cfg, 0, sizeof(*cfg));
	cfg->arena_size = AMDBARE_ALLOC_DEFAULT_ARENA_SIZE;
	cfg->vram_headroom = AMDBARE_ALLOC_HEADROOM_AUTO;
	cfg->gtt_headroom = AMDBARE_ALLOC_HEADROOM_AUTO;
}

/* Distinct 16-bit tags for the allocators of a process (spread out so that
 * small made-up numbers are unlikely to carry a valid tag). */
static uint32_t next_tag(void)
{
	static atomic_uint counter;
	for (;;) {
		uint32_t n = atomic_fetch_add(&counter, 1);
		uint32_t tag = (n * 0x9e37u + 0x5a17u) & 0xffffu;
		if (tag)
			return tag;
	}
}

AB_API int amdbare_allocator_create(amdbare_device *dev, const amdbare_allocator_config *cfg,
				    amdbare_allocator **out)
{
	if (!out)
		return ab_set_error(EINVAL, "allocator create: NULL output pointer");
	*out = NULL;
	if (!dev)
		return ab_set_error(EINVAL, "allocator create: NULL device");
	amdbare_allocator_config defaults;
	amdbare_allocator_config_init(&defaults);
	if (!cfg)
		cfg = &defaults;
	uint64_t arena = cfg->arena_size ? cfg->arena_size : AMDBARE_ALLOC_DEFAULT_ARENA_SIZE;
	if (arena > UINT64_MAX - ARENA_ROUND)
		return ab_set_error(EINVAL, "allocator create: arena size %llu is too large",
				    (unsigned long long)arena);
	arena = (arena + ARENA_ROUND - 1) & ~(ARENA_ROUND - 1);

	amdbare_allocator *a = calloc(1, sizeof(*a));
	if (!a)
		return ab_set_error(ENOMEM, "allocator create: out of host memory");
	a->dev = dev;
	a->arena_size = arena;
	a->tag = next_tag();
	a->free_head = a->free_tail = UINT32_MAX;
	int r = ab_alloc_budget_init(a, cfg);
	if (r < 0) {
		free(a);
		return r;
	}
	r = pthread_mutex_init(&a->lock, NULL);
	if (r) {
		free(a);
		return ab_set_error(r, "allocator create: pthread_mutex_init failed");
	}
	*out = a;
	return 0;
}

/* Releases every empty arena; with keep_last, one stays per pool. */
static int release_empty(amdbare_allocator *a, bool keep_last)
{
	int released = 0;
	for (struct ab_pool *p = a->pools; p; p = p->next) {
		struct ab_arena *ar = p->arenas;
		while (ar) {
			struct ab_arena *next = ar->next;
			if (ab_tlsf_is_empty(&ar->tlsf) && !(keep_last && p->count == 1)) {
				ab_alloc_arena_destroy(a, ar);
				released++;
			}
			ar = next;
		}
	}
	return released;
}

AB_API int amdbare_allocator_destroy(amdbare_allocator *a)
{
	if (!a)
		return 0;
	pthread_mutex_lock(&a->lock);
	int live = 0;
	for (uint32_t i = 0; i < a->rec_top; i++) {
		if (a->recs[i].state != AB_REC_LIVE)
			continue;
		live++;
		ab_alloc_release(a, &a->recs[i], false);
	}
	release_empty(a, false);
	struct ab_pool *p = a->pools;
	while (p) {
		struct ab_pool *next = p->next;
		free(p);
		p = next;
	}
	ab_alloc_records_fini(a);
	pthread_mutex_unlock(&a->lock);
	pthread_mutex_destroy(&a->lock);
	free(a);
	if (live)
		ab_set_error(EBUSY, "allocator destroy: %d sub-allocation%s still live (freed now)",
			     live, live == 1 ? " was" : "s were");
	return live;
}

AB_API int amdbare_allocator_trim(amdbare_allocator *a)
{
	if (!a)
		return ab_set_error(EINVAL, "allocator trim: NULL allocator");
	pthread_mutex_lock(&a->lock);
	int n = release_empty(a, false);
	pthread_mutex_unlock(&a->lock);
	return n;
}

AB_API int amdbare_allocator_list_bos(amdbare_allocator *a, amdbare_bo **bos, size_t cap)
{
	if (!a || (cap && !bos))
		return ab_set_error(EINVAL, "allocator list buffers: NULL argument");
	pthread_mutex_lock(&a->lock);
	size_t n = 0;
	for (struct ab_pool *p = a->pools; p; p = p->next)
		for (struct ab_arena *ar = p->arenas; ar; ar = ar->next, n++)
			if (n < cap)
				bos[n] = ar->bo;
	for (uint32_t i = 0; i < a->rec_top; i++) {
		const struct ab_record *r = &a->recs[i];
		if (r->state == AB_REC_LIVE && r->ded) {
			if (n < cap)
				bos[n] = r->ded->bo;
			n++;
		}
	}
	pthread_mutex_unlock(&a->lock);
	return n > INT32_MAX ? INT32_MAX : (int)n;
}
