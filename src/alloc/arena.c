/*
 * The GEM side of the sub-allocator: arenas (one large buffer managed by a
 * TLSF instance) and dedicated buffers (one large request each).
 *
 * Each buffer is mapped once for the GPU (read, write and execute, so code
 * objects can live in arenas too) and once for the CPU unless created with
 * NO_CPU_ACCESS; sub-allocations only add offsets.  Budget accounting is
 * done here, where the GEM buffers are created and freed.
 */
#include "internal.h"
#include "util/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#define VA_PERMS (AMDBARE_VA_READ | AMDBARE_VA_WRITE | AMDBARE_VA_EXECUTE)

/* Creates and maps one GEM buffer.  The kernel turns a VRAM-only creation
 * it cannot satisfy into a GTT one without telling (amdgpu_gem_create_ioctl
 * retries with GTT added): the measured placement catches that, and the
 * buffer is given back with -ENOSPC so that the caller can spill or refuse
 * with its own accounting intact. */
static int gem_create_mapped(amdbare_allocator *a, uint32_t dom, uint32_t flags, uint64_t size,
			     uint64_t alignment, amdbare_bo **bo_out, uint64_t *gpu_va, void **cpu)
{
	amdbare_bo_create_info ci = {
		.size = size,
		.alignment = alignment,
		.domains = ab_alloc_domain_bit(dom),
		.flags = flags,
	};
	amdbare_bo *bo = NULL;
	int r = amdbare_bo_create(a->dev, &ci, &bo);
	if (r < 0)
		return r;
	amdbare_placement pl;
	if (dom == AB_DOM_VRAM && amdbare_bo_get_placement(bo, &pl) == 0 &&
	    pl.confidence != AMDBARE_PLACEMENT_UNKNOWN && pl.actual_domain == AMDBARE_DOMAIN_GTT) {
		char s[32];
		amdbare_bo_free(bo);
		return ab_set_error(ENOSPC,
				    "VRAM: the kernel placed a %s VRAM-only buffer in GTT (VRAM is full "
				    "device-wide; %s)",
				    amdbare_format_size(size, s, sizeof(s)), pl.evidence);
	}
	*cpu = NULL;
	if (!(flags & AMDBARE_BO_NO_CPU_ACCESS)) {
		r = amdbare_bo_cpu_map(bo, cpu);
		if (r < 0)
			goto fail;
	}
	r = amdbare_bo_gpu_map(bo, VA_PERMS, gpu_va);
	if (r < 0)
		goto fail;
	*bo_out = bo;
	return 0;
fail:
	ab_append_error(" (mapping a new %s buffer for the sub-allocator)", ab_alloc_domain_label(dom));
	amdbare_bo_free(bo);
	return r;
}

int ab_alloc_arena_create(amdbare_allocator *a, struct ab_pool *pool, uint64_t size,
			  struct ab_arena **out)
{
	struct ab_arena *ar = calloc(1, sizeof(*ar));
	if (!ar)
		return ab_set_error(ENOMEM, "sub-allocator: out of host memory for an arena");
	int r = gem_create_mapped(a, pool->dom, pool->flags, size, AB_ARENA_ALIGNMENT, &ar->bo,
				  &ar->gpu_va, &ar->cpu);
	if (r < 0) {
		free(ar);
		return r;
	}
	ar->size = amdbare_bo_size(ar->bo);
	/* Alignment is computed on the GPU address: that is what kernels and
	 * descriptors need; the CPU mapping is only page-aligned. */
	r = ab_tlsf_init(&ar->tlsf, ar->size, AMDBARE_ALLOC_GRANULARITY,
			 ar->gpu_va & ~(uint64_t)(AMDBARE_ALLOC_GRANULARITY - 1));
	if (r < 0 || ar->gpu_va % AMDBARE_ALLOC_GRANULARITY) {
		uint64_t va = ar->gpu_va;
		amdbare_bo_free(ar->bo);
		if (r == 0)
			ab_tlsf_fini(&ar->tlsf);
		free(ar);
		return ab_set_error(r < 0 ? -r : EFAULT,
				    "sub-allocator: cannot manage a %llu-byte arena at GPU address 0x%llx",
				    (unsigned long long)size, (unsigned long long)va);
	}
	ar->pool = pool;
	ar->next = pool->arenas;
	if (pool->arenas)
		pool->arenas->prev = ar;
	pool->arenas = ar;
	pool->count++;
	struct ab_budget *b = &a->budget[pool->dom];
	b->held += ar->size;
	b->arenas++;
	*out = ar;
	return 0;
}

void ab_alloc_arena_destroy(amdbare_allocator *a, struct ab_arena *ar)
{
	struct ab_pool *pool = ar->pool;
	if (ar->prev)
		ar->prev->next = ar->next;
	else
		pool->arenas = ar->next;
	if (ar->next)
		ar->next->prev = ar->prev;
	pool->count--;
	struct ab_budget *b = &a->budget[pool->dom];
	b->held -= ar->size;
	b->arenas--;
	ab_tlsf_fini(&ar->tlsf);
	amdbare_bo_free(ar->bo);
	free(ar);
}

int ab_alloc_dedicated_create(amdbare_allocator *a, uint32_t dom, uint32_t flags,
			      uint64_t size, uint64_t alignment, struct ab_dedicated **out)
{
	struct ab_dedicated *d = calloc(1, sizeof(*d));
	if (!d)
		return ab_set_error(ENOMEM, "sub-allocator: out of host memory");
	if (alignment < AB_ARENA_ALIGNMENT)
		alignment = AB_ARENA_ALIGNMENT;
	int r = gem_create_mapped(a, dom, flags, size, alignment, &d->bo, &d->gpu_va, &d->cpu);
	if (r < 0) {
		free(d);
		return r;
	}
	d->dom = dom;
	d->flags = flags;
	d->size = amdbare_bo_size(d->bo);
	struct ab_budget *b = &a->budget[dom];
	b->held += d->size;
	b->dedicated++;
	*out = d;
	return 0;
}

void ab_alloc_dedicated_destroy(amdbare_allocator *a, struct ab_dedicated *d)
{
	struct ab_budget *b = &a->budget[d->dom];
	b->held -= d->size;
	b->dedicated--;
	amdbare_bo_free(d->bo);
	free(d);
}
