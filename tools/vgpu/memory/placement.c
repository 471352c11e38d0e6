/*
 * TTM placement and eviction as Linux 6.1 does it for amdgpu, on the
 * device-global BO table (shared lock held by the caller).
 *
 *  - amdgpu_bo_placement_from_domain: the ordered list of places.
 *  - ttm_bo_mem_space: first every place without evicting, then every busy
 *    place evicting least-recently-used BOs of that memory type (any
 *    process) until the allocation fits or nothing is left to evict.
 *  - amdgpu_evict_flags: where an evicted BO goes (VRAM -> invisible VRAM
 *    for a visible BO on a small-BAR board, else GTT, else system memory;
 *    GTT -> system memory).
 *  - amdgpu_bo_move: which moves are blits (count NUM_BYTES_MOVED and, for
 *    evictions, NUM_EVICTIONS) and which are null moves (count nothing).
 *
 * Simplifications (documented in docs/vgpu-memory.md): VRAM is modelled as
 * two pools, CPU-visible [0, vis) and invisible [vis, size), with byte
 * counts instead of drm_buddy blocks, so there is no fragmentation and
 * VRAM_CONTIGUOUS never fails for lack of a contiguous range; every BO is
 * idle (nothing executes), so no eviction ever waits for a fence.
 */
#include "internal.h"
#include "fault/fault.h" /* fault injection: heaps declared full (fault_state.c) */

#include <errno.h>
#include <libdrm/amdgpu_drm.h>

int mem_places_from_domain(uint32_t domain, uint64_t flags, struct mem_place *out)
{
	int c = 0;
	/* amdgpu_bo_placement_from_domain */
	if (domain & AMDGPU_GEM_DOMAIN_VRAM) {
		out[c] = (struct mem_place){ .mem_type = MEM_PL_VRAM };
		if (flags & AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED)
			out[c].vis_only = true;
		else
			out[c].topdown = true;
		c++;
	}
	if (domain & AMDGPU_GEM_DOMAIN_GTT)
		out[c++] = (struct mem_place){ .mem_type = MEM_PL_TT };
	if (domain & AMDGPU_GEM_DOMAIN_CPU)
		out[c++] = (struct mem_place){ .mem_type = MEM_PL_SYSTEM };
	if (domain & AMDGPU_GEM_DOMAIN_GDS)
		out[c++] = (struct mem_place){ .mem_type = MEM_PL_GDS };
	if (domain & AMDGPU_GEM_DOMAIN_GWS)
		out[c++] = (struct mem_place){ .mem_type = MEM_PL_GWS };
	if (domain & AMDGPU_GEM_DOMAIN_OA)
		out[c++] = (struct mem_place){ .mem_type = MEM_PL_OA };
	if (!c)
		out[c++] = (struct mem_place){ .mem_type = MEM_PL_SYSTEM };
	return c;
}

/* fault injection: a heap declared full has no room and nothing in it can
 * be evicted, as if pinned BOs filled it. */
static bool heap_declared_full(int mem_type)
{
	return (mem_type == MEM_PL_VRAM && vgpu_fault_vram_full()) ||
	       (mem_type == MEM_PL_TT && vgpu_fault_gtt_full());
}

/* The resource managers' alloc: amdgpu_vram_mgr_new, amdgpu_gtt_mgr_new,
 * ttm_sys_man.  -ENOSPC when it does not fit. */
static int res_alloc(uint64_t size, const struct mem_place *pl, struct mem_res *res)
{
	struct mem_shared *s = mem_shared();
	*res = (struct mem_res){ .mem_type = pl->mem_type };
	if (heap_declared_full(pl->mem_type))
		return -ENOSPC;
	switch (pl->mem_type) {
	case MEM_PL_SYSTEM:
		return 0;
	case MEM_PL_TT:
		/* amdgpu_gtt_mgr_new: usage after adding must not exceed size */
		if (s->gtt_used + size > s->gtt_size)
			return -ENOSPC;
		s->gtt_used += size;
		return 0;
	case MEM_PL_VRAM: {
		/* amdgpu_vram_mgr_new: bail out when usage would exceed
		 * mc_vram_size - AMDGPU_VM_RESERVED_VRAM for non-kernel BOs */
		uint64_t max_bytes = s->vram_size > MEM_VM_RESERVED_VRAM ?
			s->vram_size - MEM_VM_RESERVED_VRAM : 0;
		if (s->vram_used + size > max_bytes)
			return -ENOSPC;
		uint64_t vis_free = s->vis_vram_size - s->vis_used;
		uint64_t invis_total = s->vram_size - s->vis_vram_size;
		uint64_t invis_used = s->vram_used - s->vis_used;
		uint64_t invis_free = invis_total - invis_used;
		uint64_t vis = 0, invis = 0;
		if (pl->vis_only) {
			if (size > vis_free)
				return -ENOSPC;
			vis = size;
		} else if (pl->invis_only) {
			if (size > invis_free)
				return -ENOSPC;
			invis = size;
		} else {
			if (size > vis_free + invis_free)
				return -ENOSPC;
			/* drm_buddy top-down fills from the end of VRAM: the
			 * invisible part first; non-contiguous blocks let one BO
			 * straddle the boundary. */
			if (pl->topdown) {
				invis = size < invis_free ? size : invis_free;
				vis = size - invis;
			} else {
				vis = size < vis_free ? size : vis_free;
				invis = size - vis;
			}
		}
		res->vis = vis;
		res->invis = invis;
		s->vram_used += size;
		s->vis_used += vis;
		return 0;
	}
	default:
		/* GDS/GWS/OA: the vgpu models no on-chip partition, so such a
		 * place never holds a BO (user BOs are created in SYSTEM and
		 * only a CS would validate them there). */
		return -ENOSPC;
	}
}

static void res_free(const struct mem_res *res, uint64_t size)
{
	struct mem_shared *s = mem_shared();
	if (res->mem_type == MEM_PL_TT) {
		s->gtt_used -= size;
	} else if (res->mem_type == MEM_PL_VRAM) {
		s->vram_used -= res->vis + res->invis;
		s->vis_used -= res->vis;
	}
}

static struct mem_res res_of(const struct mem_gbo *g)
{
	return (struct mem_res){ .mem_type = (int)g->mem_type, .vis = g->vis_bytes,
				 .invis = g->invis_bytes };
}

void mem_res_release(struct mem_gbo *g)
{
	struct mem_res r = res_of(g);
	res_free(&r, g->size);
	g->mem_type = MEM_PL_SYSTEM;
	g->vis_bytes = g->invis_bytes = 0;
}

void mem_res_init_system(struct mem_gbo *g)
{
	g->mem_type = MEM_PL_SYSTEM;
	g->vis_bytes = g->invis_bytes = 0;
}

/* ttm_bo_handle_move_mem + amdgpu_bo_move: switches the BO to `res` and
 * updates the statistics as the kernel does. */
static void move_to(struct mem_gbo *g, const struct mem_res *res, bool evict)
{
	struct mem_shared *s = mem_shared();
	struct mem_res old = res_of(g);
	bool fresh = g->lru == 0; /* never placed: old resource has no pages */
	res_free(&old, g->size);
	g->mem_type = (uint32_t)res->mem_type;
	g->vis_bytes = res->vis;
	g->invis_bytes = res->invis;
	g->lru = ++s->lru_clock; /* ttm_bo_move_to_lru_tail */
	if (fresh)
		return;
	bool blit = old.mem_type == MEM_PL_VRAM || res->mem_type == MEM_PL_VRAM;
	if (!blit)
		return; /* SYSTEM<->TT, TT->TT: null moves, not counted */
	if (res->mem_type == MEM_PL_VRAM && old.mem_type != MEM_PL_VRAM)
		g->flags &= ~(uint64_t)AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED;
	/* SYSTEM<->VRAM goes through a temporary GTT hop (-EMULTIHOP): the
	 * blit half is a non-evicting move, the other half a null move. */
	bool hop = old.mem_type == MEM_PL_SYSTEM || res->mem_type == MEM_PL_SYSTEM;
	if (evict && !hop)
		s->num_evictions++;
	s->num_bytes_moved += g->size;
}

static bool compatible(const struct mem_gbo *g, const struct mem_place *pl)
{
	/* ttm_place compatibility of the current resource (ttm_bo_mem_compat) */
	if ((int)g->mem_type != pl->mem_type)
		return false;
	if (pl->vis_only && g->invis_bytes)
		return false;
	if (pl->invis_only && g->vis_bytes)
		return false;
	return true;
}

static int mem_space(struct mem_gbo *g, const struct mem_place *places, int n,
		     const struct mem_place *busy, int nbusy, struct mem_res *res);

/* amdgpu_ttm_bo_eviction_valuable: a VRAM BO only helps a range-restricted
 * request if it has blocks inside that range. */
static bool eviction_valuable(const struct mem_gbo *g, const struct mem_place *pl)
{
	if (pl->mem_type != MEM_PL_VRAM)
		return true;
	if (pl->vis_only)
		return g->vis_bytes != 0;
	if (pl->invis_only)
		return g->invis_bytes != 0;
	return true;
}

/* amdgpu_evict_flags + ttm_bo_evict for one victim. */
static int evict(struct mem_gbo *v)
{
	struct mem_shared *s = mem_shared();
	struct mem_place pl[3];
	int n, nbusy;
	const struct mem_place *busy;
	if (v->flags & AMDGPU_GEM_CREATE_DISCARDABLE) {
		/* no placement: ttm_bo_pipeline_gutting drops the backing
		 * without a move, so no statistics change (the vgpu keeps the
		 * contents, see docs/vgpu-memory.md) */
		mem_res_release(v);
		v->lru = ++s->lru_clock;
		return 0;
	}
	if (v->mem_type == MEM_PL_VRAM) {
		bool full_visible = s->vis_vram_size >= s->vram_size;
		if (!full_visible && !(v->flags & AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED) &&
		    v->vis_bytes) {
			/* try the CPU-invisible part first; GTT as busy place */
			n = mem_places_from_domain(AMDGPU_GEM_DOMAIN_VRAM | AMDGPU_GEM_DOMAIN_GTT |
						   AMDGPU_GEM_DOMAIN_CPU, v->flags, pl);
			pl[0].invis_only = true;
			pl[0].topdown = true;
			busy = &pl[1];
			nbusy = 1;
		} else {
			n = mem_places_from_domain(AMDGPU_GEM_DOMAIN_GTT | AMDGPU_GEM_DOMAIN_CPU,
						   v->flags, pl);
			busy = pl;
			nbusy = n;
		}
	} else {
		n = mem_places_from_domain(AMDGPU_GEM_DOMAIN_CPU, v->flags, pl);
		busy = pl;
		nbusy = n;
	}
	struct mem_res res;
	int r = mem_space(v, pl, n, busy, nbusy, &res);
	if (r)
		return r;
	move_to(v, &res, true);
	return 0;
}

/* ttm_mem_evict_first: the least recently used evictable BO of the place's
 * memory type; DISCARDABLE BOs (TTM priority 0) go before the others
 * (priority 1).  -EBUSY when there is none. */
static int evict_first(const struct mem_gbo *self, const struct mem_place *pl)
{
	struct mem_shared *s = mem_shared();
	struct mem_gbo *best = NULL;
	int best_prio = 2;
	if (heap_declared_full(pl->mem_type))
		return -EBUSY; /* fault injection: nothing evictable */
	for (uint32_t i = 0; i < s->nslots; i++) {
		struct mem_gbo *g = &s->bo[i];
		if (!g->id || g == self || (int)g->mem_type != pl->mem_type)
			continue;
		if (!eviction_valuable(g, pl))
			continue;
		int prio = (g->flags & AMDGPU_GEM_CREATE_DISCARDABLE) ? 0 : 1;
		if (!best || prio < best_prio || (prio == best_prio && g->lru < best->lru)) {
			best = g;
			best_prio = prio;
		}
	}
	if (!best)
		return -EBUSY;
	vgpu_log("vgpu: mem: evicting BO %u (%llu bytes) from %s", best->id,
		 (unsigned long long)best->size, best->mem_type == MEM_PL_VRAM ? "VRAM" : "GTT");
	return evict(best);
}

/* ttm_bo_mem_space.  Before evicting anything, the vgpu drops the
 * references of processes that died without closing (the kernel would have
 * released their files): their BOs are not real usage. */
static int mem_space(struct mem_gbo *g, const struct mem_place *places, int n,
		     const struct mem_place *busy, int nbusy, struct mem_res *res)
{
	static int depth; /* shared lock held: one caller at a time */
	for (int i = 0; i < n; i++)
		if (res_alloc(g->size, &places[i], res) == 0)
			return 0;
	if (depth == 0 && mem_shared_sweep() > 0)
		for (int i = 0; i < n; i++)
			if (res_alloc(g->size, &places[i], res) == 0)
				return 0;
	depth++;
	int r = -ENOMEM;
	for (int i = 0; i < nbusy && r == -ENOMEM; i++) {
		/* ttm_bo_mem_force_space */
		for (;;) {
			if (res_alloc(g->size, &busy[i], res) == 0) {
				r = 0;
				break;
			}
			int e = evict_first(g, &busy[i]);
			if (e == -EBUSY)
				break;
			if (e) {
				r = e;
				break;
			}
		}
	}
	depth--;
	return r;
}

int mem_validate(struct mem_gbo *g, const struct mem_place *places, int n,
		 const struct mem_place *busy, int nbusy)
{
	/* ttm_bo_validate: nothing to do if the current resource fits */
	if (g->lru != 0) {
		for (int i = 0; i < n; i++)
			if (compatible(g, &places[i]))
				return 0;
	}
	struct mem_res res;
	int r = mem_space(g, places, n, busy, nbusy, &res);
	if (r)
		return r;
	move_to(g, &res, false);
	return 0;
}
