/*
 * The table behind sub-allocation ids.
 *
 * An id is   tag (16 bits) | generation (24 bits) | slot + 1 (24 bits).
 * The tag differs between allocators of a process, so another allocator's
 * id is recognised; the generation changes at every free, so a stale id
 * (double free, use after free) is recognised; the slot is bounds-checked.
 * Nothing is dereferenced before all three agree, which is what makes a
 * bad id an error and never undefined behaviour.
 *
 * Free slots are reused first-in first-out: a hot slot would otherwise run
 * through its 2^24 generations quickly and a very old stale id could come
 * back to life.
 */
#include "internal.h"
#include "util/error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define GEN_BITS 24
#define SLOT_BITS 24
#define GEN_MASK ((UINT32_C(1) << GEN_BITS) - 1)
#define SLOT_LIMIT ((UINT32_C(1) << SLOT_BITS) - 1)
#define NONE UINT32_MAX

uint64_t ab_alloc_record_id(const amdbare_allocator *a, const struct ab_record *r)
{
	uint64_t slot = (uint64_t)(r - a->recs) + 1;
	return ((uint64_t)a->tag << 48) | ((uint64_t)(r->gen & GEN_MASK) << SLOT_BITS) | slot;
}

static int grow(amdbare_allocator *a)
{
	if (a->rec_cap >= SLOT_LIMIT)
		return ab_set_error(ENOMEM, "sub-allocator: %u live sub-allocations is the limit",
				    SLOT_LIMIT);
	uint32_t cap = a->rec_cap ? a->rec_cap * 2 : 256;
	if (cap > SLOT_LIMIT)
		cap = SLOT_LIMIT;
	struct ab_record *recs = realloc(a->recs, (size_t)cap * sizeof(*recs));
	if (!recs)
		return ab_set_error(ENOMEM, "sub-allocator: out of host memory for %u records", cap);
	memset(recs + a->rec_cap, 0, (size_t)(cap - a->rec_cap) * sizeof(*recs));
	a->recs = recs;
	a->rec_cap = cap;
	return 0;
}

struct ab_record *ab_alloc_record_get(amdbare_allocator *a)
{
	uint32_t i;
	if (a->free_head != NONE) {
		i = a->free_head;
		a->free_head = a->recs[i].next_free;
		if (a->free_head == NONE)
			a->free_tail = NONE;
	} else {
		if (a->rec_top == a->rec_cap && grow(a) < 0)
			return NULL;
		i = a->rec_top++;
		a->recs[i].gen = 1;
	}
	struct ab_record *r = &a->recs[i];
	uint32_t gen = r->gen;
	memset(r, 0, sizeof(*r));
	r->gen = gen;
	r->state = AB_REC_LIVE;
	r->next_free = NONE;
	return r;
}

void ab_alloc_record_put(amdbare_allocator *a, struct ab_record *r)
{
	uint32_t i = (uint32_t)(r - a->recs);
	r->state = AB_REC_FREE;
	r->gen = (r->gen + 1) & GEN_MASK;
	if (r->gen == 0)
		r->gen = 1;   /* an id with generation 0 is never issued */
	r->arena = NULL;
	r->ded = NULL;
	r->next_free = NONE;
	if (a->free_tail != NONE)
		a->recs[a->free_tail].next_free = i;
	else
		a->free_head = i;
	a->free_tail = i;
}

int ab_alloc_record_resolve(amdbare_allocator *a, uint64_t id, const char *op,
			    struct ab_record **out)
{
	uint32_t tag = (uint32_t)(id >> 48);
	uint32_t gen = (uint32_t)(id >> SLOT_BITS) & GEN_MASK;
	uint64_t slot = id & SLOT_LIMIT;
	if (tag != a->tag)
		return ab_set_error(EINVAL,
				    "%s: id 0x%016llx was not issued by this allocator (tag %04x, expected "
				    "%04x): another allocator's id, or not an id at all",
				    op, (unsigned long long)id, tag, a->tag);
	if (!slot || slot > a->rec_top || !gen)
		return ab_set_error(EINVAL, "%s: id 0x%016llx was never issued by this allocator",
				    op, (unsigned long long)id);
	struct ab_record *r = &a->recs[slot - 1];
	if (r->state != AB_REC_LIVE || r->gen != gen)
		return ab_set_error(EALREADY,
				    "%s: id 0x%016llx was already freed (double free or use after free)",
				    op, (unsigned long long)id);
	*out = r;
	return 0;
}

void ab_alloc_records_fini(amdbare_allocator *a)
{
	free(a->recs);
	a->recs = NULL;
	a->rec_cap = a->rec_top = 0;
	a->free_head = a->free_tail = NONE;
}
