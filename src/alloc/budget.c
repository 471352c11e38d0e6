/*
 * Per-domain budgets of the sub-allocator.
 *
 * The kernel does not refuse a GEM buffer because VRAM is full: it evicts
 * other buffers to GTT (or, for a VRAM-only request, silently places the
 * new one in GTT; amdgpu_gem_create_ioctl retries with GTT added).  Either
 * way the program slows down without an error.  So the allocator keeps
 * its own account: the GEM bytes it holds in a domain may not exceed the
 * heap's usable size minus a headroom (and an optional caller cap), and a
 * new buffer is also refused when the device as a whole (all processes)
 * would cross that line.
 */
#include "internal.h"
#include "util/error.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define MiB (UINT64_C(1) << 20)
#define GiB (UINT64_C(1) << 30)

uint32_t ab_alloc_domain_bit(uint32_t dom)
{
	return dom == AB_DOM_VRAM ? AMDBARE_DOMAIN_VRAM : AMDBARE_DOMAIN_GTT;
}

const char *ab_alloc_domain_label(uint32_t dom)
{
	return dom == AB_DOM_VRAM ? "VRAM" : "GTT";
}

/* 5 % of the heap, at least 64 MiB (room for the kernel's own buffers,
 * page tables and a display's scanout on an APU), at most 1 GiB (5 % of a
 * 96 GiB GTT is more than anything else will want), and never more than a
 * quarter of a small heap so that a 256 MiB test heap stays usable. */
static uint64_t auto_headroom(uint64_t usable)
{
	uint64_t h = usable / 20;
	if (h < 64 * MiB)
		h = 64 * MiB;
	if (h > GiB)
		h = GiB;
	if (h > usable / 4)
		h = usable / 4;
	return h;
}

static void budget_from_heap(struct ab_budget *b, const amdbare_heap_info *heap,
			     uint64_t headroom, uint64_t cap)
{
	b->usable = heap->usable;
	b->headroom = headroom == AMDBARE_ALLOC_HEADROOM_AUTO ? auto_headroom(heap->usable) : headroom;
	b->limit = heap->usable > b->headroom ? heap->usable - b->headroom : 0;
	b->capped = cap && cap < b->limit;
	if (b->capped)
		b->limit = cap;
	b->max_allocation = heap->max_allocation;
}

int ab_alloc_budget_init(amdbare_allocator *a, const amdbare_allocator_config *cfg)
{
	amdbare_memory_info mem;
	int r = amdbare_device_query_memory(a->dev, &mem);
	if (r < 0) {
		ab_append_error(" (the allocator needs the heap sizes for its budgets)");
		return r;
	}
	budget_from_heap(&a->budget[AB_DOM_VRAM], &mem.vram, cfg->vram_headroom, cfg->vram_limit);
	budget_from_heap(&a->budget[AB_DOM_GTT], &mem.gtt, cfg->gtt_headroom, cfg->gtt_limit);
	return 0;
}

uint64_t ab_alloc_budget_remaining(const amdbare_allocator *a, uint32_t dom)
{
	const struct ab_budget *b = &a->budget[dom];
	return b->held < b->limit ? b->limit - b->held : 0;
}

uint64_t ab_alloc_budget_room(amdbare_allocator *a, uint32_t dom)
{
	uint64_t room = ab_alloc_budget_remaining(a, dom);
	amdbare_memory_info mem;
	if (amdbare_device_query_memory(a->dev, &mem) < 0)
		return room; /* the check that follows reports the query's error */
	const amdbare_heap_info *heap = dom == AB_DOM_VRAM ? &mem.vram : &mem.gtt;
	uint64_t headroom = a->budget[dom].headroom;
	uint64_t line = heap->usable > headroom ? heap->usable - headroom : 0;
	uint64_t device_room = heap->used < line ? line - heap->used : 0;
	return device_room < room ? device_room : room;
}

int ab_alloc_budget_check(amdbare_allocator *a, uint32_t dom, uint64_t bytes, const char *what)
{
	struct ab_budget *b = &a->budget[dom];
	char s_held[32], s_lim[32], s_use[32], s_head[32];
	amdbare_format_size(b->held, s_held, sizeof(s_held));
	amdbare_format_size(b->limit, s_lim, sizeof(s_lim));
	amdbare_format_size(b->usable, s_use, sizeof(s_use));
	amdbare_format_size(b->headroom, s_head, sizeof(s_head));
	if (bytes > b->limit || b->held > b->limit - bytes) {
		char why[160];
		if (b->capped)
			snprintf(why, sizeof(why), "the configured limit");
		else
			snprintf(why, sizeof(why), "heap usable %s minus headroom %s", s_use, s_head);
		return ab_set_error(ENOMEM,
				    "%s budget exceeded: %s, on top of %s held, would pass the budget "
				    "of %s (%s)",
				    ab_alloc_domain_label(dom), what, s_held, s_lim, why);
	}
	if (b->max_allocation && bytes > b->max_allocation) {
		char s_max[32];
		amdbare_format_size(b->max_allocation, s_max, sizeof(s_max));
		return ab_set_error(ENOMEM, "%s: %s is larger than the kernel's max_allocation %s",
				    ab_alloc_domain_label(dom), what, s_max);
	}
	/* The device-wide line: other processes (and other allocators) use
	 * the same heap, and crossing usable - headroom there is what makes
	 * the kernel evict. */
	amdbare_memory_info mem;
	int r = amdbare_device_query_memory(a->dev, &mem);
	if (r < 0)
		return r;
	const amdbare_heap_info *heap = dom == AB_DOM_VRAM ? &mem.vram : &mem.gtt;
	uint64_t line = heap->usable > b->headroom ? heap->usable - b->headroom : 0;
	if (bytes > line || heap->used > line - bytes) {
		char s_dev[32], s_line[32];
		amdbare_format_size(heap->used, s_dev, sizeof(s_dev));
		amdbare_format_size(line, s_line, sizeof(s_line));
		return ab_set_error(ENOMEM,
				    "%s is nearly full device-wide: %s, on top of %s used by all "
				    "processes, would pass %s (usable %s minus headroom %s); refusing "
				    "rather than making the kernel evict",
				    ab_alloc_domain_label(dom), what, s_dev, s_line, s_use, s_head);
	}
	return 0;
}
