/*
 * Allocate, free and describe sub-allocations; the placement policy.
 *
 * A request goes, in the order its policy allows (VRAM then GTT, or one
 * domain strictly), to:
 *   1. a dedicated GEM buffer if it is bigger than half an arena;
 *   2. else the first arena of its (domain, flags) pool with a fitting
 *      free block (each try is O(1); arenas per pool are few: held bytes /
 *      arena size);
 *   3. else a new arena: the configured size, shrunk to what the budget
 *      and the device-wide room still allow (but never below what the
 *      request needs, so that the refusal message tells the real story).
 * A domain is given up on when the budget, the device-wide line or the
 * kernel refuses (-ENOMEM, -E2BIG, -ENOSPC); the next domain of the policy
 * is tried ("spill"), and with none left the request fails with -ENOMEM
 * and every domain's reason in the message.
 */
#include "internal.h"
#include "util/api.h"
#include "util/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE (UINT64_C(4) << 10)
#define ALLOWED_FLAGS                                                                 \
	(AMDBARE_BO_CPU_ACCESS | AMDBARE_BO_NO_CPU_ACCESS | AMDBARE_BO_USWC |            \
	 AMDBARE_BO_CLEARED | AMDBARE_BO_VM_ALWAYS_VALID)

static uint64_t round_up(uint64_t v, uint64_t to)
{
	return (v + to - 1) & ~(to - 1);
}

static uint32_t record_dom(const struct ab_record *r)
{
	return r->ded ? r->ded->dom : r->arena->pool->dom;
}

static int validate(const amdbare_alloc_request *req, uint64_t *align)
{
	if (!req->size)
		return ab_set_error(EINVAL, "alloc: size 0");
	if (req->size > UINT64_MAX / 2)
		return ab_set_error(EINVAL, "alloc: size %llu is absurd", (unsigned long long)req->size);
	uint64_t al = req->alignment ? req->alignment : AMDBARE_ALLOC_GRANULARITY;
	if (al & (al - 1) || al > AMDBARE_ALLOC_MAX_ALIGNMENT)
		return ab_set_error(EINVAL, "alloc: alignment %llu is not a power of two up to %u",
				    (unsigned long long)req->alignment, AMDBARE_ALLOC_MAX_ALIGNMENT);
	if (al < AMDBARE_ALLOC_GRANULARITY)
		al = AMDBARE_ALLOC_GRANULARITY;
	if (req->policy > AMDBARE_ALLOC_GTT_ONLY)
		return ab_set_error(EINVAL, "alloc: unknown placement policy %u", req->policy);
	if (req->flags & ~(uint32_t)ALLOWED_FLAGS)
		return ab_set_error(EINVAL, "alloc: unknown or unsupported buffer flags 0x%x",
				    req->flags & ~(uint32_t)ALLOWED_FLAGS);
	if ((req->flags & AMDBARE_BO_CPU_ACCESS) && (req->flags & AMDBARE_BO_NO_CPU_ACCESS))
		return ab_set_error(EINVAL, "alloc: CPU_ACCESS and NO_CPU_ACCESS together");
	*align = al;
	return 0;
}

static struct ab_pool *pool_get(amdbare_allocator *a, uint32_t dom, uint32_t flags)
{
	for (struct ab_pool *p = a->pools; p; p = p->next)
		if (p->dom == dom && p->flags == flags)
			return p;
	struct ab_pool *p = calloc(1, sizeof(*p));
	if (!p) {
		ab_set_error(ENOMEM, "alloc: out of host memory");
		return NULL;
	}
	p->dom = dom;
	p->flags = flags;
	p->next = a->pools;
	a->pools = p;
	return p;
}

static int alloc_dedicated(amdbare_allocator *a, uint32_t dom, const amdbare_alloc_request *req,
			   uint64_t align, struct ab_record *rec)
{
	uint64_t bytes = round_up(req->size, PAGE);
	char what[128], s1[32], s2[32];
	snprintf(what, sizeof(what), "a dedicated %s buffer for a %s request",
		 amdbare_format_size(bytes, s1, sizeof(s1)),
		 amdbare_format_size(req->size, s2, sizeof(s2)));
	int r = ab_alloc_budget_check(a, dom, bytes, what);
	if (r < 0)
		return r;
	struct ab_dedicated *d;
	r = ab_alloc_dedicated_create(a, dom, req->flags, bytes, align, &d);
	if (r < 0)
		return r;
	a->budget[dom].dedicated_used += d->size;
	rec->ded = d;
	rec->offset = 0;
	return 0;
}

static int alloc_in_arenas(amdbare_allocator *a, uint32_t dom, const amdbare_alloc_request *req,
			   uint64_t align, struct ab_record *rec)
{
	struct ab_pool *pool = pool_get(a, dom, req->flags);
	if (!pool)
		return -ENOMEM;
	for (struct ab_arena *ar = pool->arenas; ar; ar = ar->next) {
		if (ab_tlsf_alloc(&ar->tlsf, req->size, align, &rec->tlsf_handle, &rec->offset) == 0) {
			rec->arena = ar;
			return 0;
		}
	}
	/* A new arena: enough for the worst-case alignment padding. */
	uint64_t need = round_up(round_up(req->size, AMDBARE_ALLOC_GRANULARITY) + align -
				 AMDBARE_ALLOC_GRANULARITY, AB_ARENA_ALIGNMENT);
	uint64_t bytes = a->arena_size;
	uint64_t left = ab_alloc_budget_room(a, dom) & ~(AB_ARENA_ALIGNMENT - 1);
	if (left < bytes)
		bytes = left > need ? left : need;
	char what[128], s1[32], s2[32];
	snprintf(what, sizeof(what), "a new %s arena for a %s request",
		 amdbare_format_size(bytes, s1, sizeof(s1)),
		 amdbare_format_size(req->size, s2, sizeof(s2)));
	int r = ab_alloc_budget_check(a, dom, bytes, what);
	if (r < 0)
		return r;
	struct ab_arena *ar;
	r = ab_alloc_arena_create(a, pool, bytes, &ar);
	if (r < 0)
		return r;
	r = ab_tlsf_alloc(&ar->tlsf, req->size, align, &rec->tlsf_handle, &rec->offset);
	if (r < 0) {
		/* Cannot happen (the arena was sized for the padded request),
		 * but never leave an empty arena behind a failure. */
		ab_alloc_arena_destroy(a, ar);
		return ab_set_error(EFAULT, "alloc: a fresh %s arena could not hold the request", s1);
	}
	rec->arena = ar;
	return 0;
}

static bool is_refusal(int r)
{
	return r == -ENOMEM || r == -E2BIG || r == -ENOSPC;
}

static int alloc_locked(amdbare_allocator *a, const amdbare_alloc_request *req, uint64_t align,
			amdbare_suballoc *out)
{
	uint32_t order[2], n = 0;
	if (req->policy != AMDBARE_ALLOC_GTT_ONLY)
		order[n++] = AB_DOM_VRAM;
	if (req->policy != AMDBARE_ALLOC_VRAM_ONLY)
		order[n++] = AB_DOM_GTT;
	struct ab_record *rec = ab_alloc_record_get(a);
	if (!rec)
		return -ENOMEM;
	char reasons[768] = "";
	int r = -ENOMEM;
	for (uint32_t k = 0; k < n; k++) {
		uint32_t dom = order[k];
		rec->arena = NULL;
		rec->ded = NULL;
		if (req->size > a->arena_size / 2)
			r = alloc_dedicated(a, dom, req, align, rec);
		else
			r = alloc_in_arenas(a, dom, req, align, rec);
		if (r == 0) {
			rec->spilled = k > 0;
			break;
		}
		if (!is_refusal(r)) {
			ab_alloc_record_put(a, rec);
			return r;
		}
		a->budget[dom].refusals++;
		size_t used = strlen(reasons);
		snprintf(reasons + used, sizeof(reasons) - used, "%s%s", used ? "; then " : "",
			 amdbare_last_error());
	}
	if (r < 0) {
		ab_alloc_record_put(a, rec);
		char s[32];
		return ab_set_error(ENOMEM, "alloc of %s (%s): %s",
				    amdbare_format_size(req->size, s, sizeof(s)),
				    req->policy == AMDBARE_ALLOC_VRAM_THEN_GTT ? "VRAM, then GTT"
				    : req->policy == AMDBARE_ALLOC_VRAM_ONLY   ? "VRAM only"
									       : "GTT only",
				    reasons);
	}
	rec->size = req->size;
	if (rec->arena)
		rec->arena->requested += req->size;
	struct ab_budget *b = &a->budget[record_dom(rec)];
	b->allocs++;
	b->live++;
	b->requested += req->size;
	if (rec->spilled)
		b->spills++;
	ab_alloc_describe(a, rec, out);
	return 0;
}

AB_API int amdbare_alloc(amdbare_allocator *a, const amdbare_alloc_request *req, amdbare_suballoc *out)
{
	if (out)
		memset(out, 0, sizeof(*out));
	if (!a || !req || !out)
		return ab_set_error(EINVAL, "alloc: NULL argument");
	uint64_t align = 0;
	int r = validate(req, &align);
	if (r < 0)
		return r;
	pthread_mutex_lock(&a->lock);
	r = alloc_locked(a, req, align, out);
	pthread_mutex_unlock(&a->lock);
	return r;
}

void ab_alloc_describe(const amdbare_allocator *a, const struct ab_record *r, amdbare_suballoc *out)
{
	memset(out, 0, sizeof(*out));
	out->id = ab_alloc_record_id(a, r);
	out->size = r->size;
	out->offset = r->offset;
	out->spilled = r->spilled;
	uint64_t base_va;
	void *base_cpu;
	if (r->ded) {
		out->domain = ab_alloc_domain_bit(r->ded->dom);
		out->flags = r->ded->flags;
		out->bo = r->ded->bo;
		out->dedicated = true;
		base_va = r->ded->gpu_va;
		base_cpu = r->ded->cpu;
	} else {
		out->domain = ab_alloc_domain_bit(r->arena->pool->dom);
		out->flags = r->arena->pool->flags;
		out->bo = r->arena->bo;
		base_va = r->arena->gpu_va;
		base_cpu = r->arena->cpu;
	}
	out->gpu_va = base_va + r->offset;
	out->cpu_ptr = base_cpu ? (char *)base_cpu + r->offset : NULL;
}

void ab_alloc_release(amdbare_allocator *a, struct ab_record *r, bool keep_last_arena)
{
	struct ab_budget *b = &a->budget[record_dom(r)];
	b->live--;
	b->frees++;
	b->requested -= r->size;
	if (r->ded) {
		b->dedicated_used -= r->ded->size;
		ab_alloc_dedicated_destroy(a, r->ded);
	} else {
		struct ab_arena *ar = r->arena;
		/* The record was resolved, so its block is live: cannot fail. */
		ab_tlsf_free(&ar->tlsf, r->tlsf_handle);
		ar->requested -= r->size;
		/* Release policy: an empty arena goes back to the kernel unless
		 * it is the last of its pool (which absorbs alloc/free cycles
		 * without a GEM create each time). */
		if (ab_tlsf_is_empty(&ar->tlsf) && !(keep_last_arena && ar->pool->count == 1))
			ab_alloc_arena_destroy(a, ar);
	}
	ab_alloc_record_put(a, r);
}

AB_API int amdbare_alloc_free(amdbare_allocator *a, uint64_t id)
{
	if (!a)
		return ab_set_error(EINVAL, "free: NULL allocator");
	pthread_mutex_lock(&a->lock);
	struct ab_record *r;
	int rc = ab_alloc_record_resolve(a, id, "free", &r);
	if (rc == 0)
		ab_alloc_release(a, r, true);
	pthread_mutex_unlock(&a->lock);
	return rc;
}

AB_API int amdbare_alloc_get(amdbare_allocator *a, uint64_t id, amdbare_suballoc *out)
{
	if (out)
		memset(out, 0, sizeof(*out));
	if (!a || !out)
		return ab_set_error(EINVAL, "get: NULL argument");
	pthread_mutex_lock(&a->lock);
	struct ab_record *r;
	int rc = ab_alloc_record_resolve(a, id, "get", &r);
	if (rc == 0)
		ab_alloc_describe(a, r, out);
	pthread_mutex_unlock(&a->lock);
	return rc;
}

AB_API int amdbare_alloc_collect_bos(amdbare_allocator *a, const uint64_t *ids, size_t n,
				     amdbare_bo **bos, size_t cap)
{
	if (!a || (n && !ids) || (cap && !bos))
		return ab_set_error(EINVAL, "collect buffers: NULL argument");
	pthread_mutex_lock(&a->lock);
	size_t count = 0;
	int rc = 0;
	/* Parents already seen are those in bos[0 .. min(count, cap)); past
	 * cap the count can only be an upper bound, which the caller uses to
	 * size its next try. */
	for (size_t i = 0; i < n; i++) {
		struct ab_record *r;
		rc = ab_alloc_record_resolve(a, ids[i], "collect buffers", &r);
		if (rc < 0)
			break;
		amdbare_bo *bo = r->ded ? r->ded->bo : r->arena->bo;
		size_t seen = count < cap ? count : cap;
		bool dup = false;
		for (size_t j = 0; j < seen && !dup; j++)
			dup = bos[j] == bo;
		if (dup)
			continue;
		if (count < cap)
			bos[count] = bo;
		count++;
	}
	pthread_mutex_unlock(&a->lock);
	if (rc < 0)
		return rc;
	return count > INT32_MAX ? INT32_MAX : (int)count;
}
