/*
 * The placement plan, made before any byte moves: every tensor gets a
 * domain (policy, or the first matching --place override), an aligned
 * offset inside a "slab" of its domain, and every slab becomes one
 * dedicated GEM buffer of exactly the planned size.  Because the model's
 * allocator charges exactly those buffers against its budgets, checking
 * the plan's per-domain totals against the room left in each budget (and
 * device-wide) decides before allocation whether the load can succeed.
 */
#include "util/error.h"
#include "loader.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

int model_plan_parse_overrides(amdbare_model *m)
{
	for (size_t i = 0; i < m->n_overrides; i++) {
		struct model_override *o = &m->overrides[i];
		char *eq = strrchr(o->pattern, '=');
		if (!eq || eq == o->pattern)
			return ab_set_error(EINVAL, "model: placement '%s' is not PATTERN=DOMAIN "
					    "(e.g. '*embed*=gtt')", o->pattern);
		if (strcasecmp(eq + 1, "vram") == 0)
			o->dom = MODEL_DOM_VRAM;
		else if (strcasecmp(eq + 1, "gtt") == 0)
			o->dom = MODEL_DOM_GTT;
		else
			return ab_set_error(EINVAL, "model: placement '%s': domain '%s' is not vram "
					    "or gtt", o->pattern, eq + 1);
		*eq = '\0'; /* the pattern alone from now on */
	}
	return 0;
}

/* Domains a tensor may go to, in order of preference. */
static uint32_t candidates(const amdbare_model *m, const char *name, int *override,
			   uint32_t order[2])
{
	*override = -1;
	for (size_t i = 0; i < m->n_overrides; i++) {
		if (fnmatch(m->overrides[i].pattern, name, 0) == 0) {
			*override = (int)i;
			order[0] = m->overrides[i].dom;
			return 1;
		}
	}
	switch (m->opt.policy) {
	case AMDBARE_MODEL_VRAM_ONLY:
		order[0] = MODEL_DOM_VRAM;
		return 1;
	case AMDBARE_MODEL_GTT_ONLY:
		order[0] = MODEL_DOM_GTT;
		return 1;
	default:
		order[0] = MODEL_DOM_VRAM;
		order[1] = MODEL_DOM_GTT;
		return 2;
	}
}

/* Per-domain state while packing. */
struct packer {
	uint64_t room;        /* bytes of GEM buffers this domain may still take */
	uint64_t slab_max;    /* largest slab (kernel max_allocation, MODEL_SLAB_TARGET) */
	uint64_t max_alloc;   /* the kernel's max_allocation for one buffer */
	uint64_t closed;      /* rounded bytes of finished slabs */
	uint64_t cur_used;    /* bytes used in the open slab; 0 = none open */
	uint32_t cur_slab;
	bool too_big;         /* some tensor was larger than max_alloc here */
};

/* Total GEM bytes of domain p if a tensor of n bytes were added; *fresh
 * says whether it would open a new slab. */
static uint64_t total_with(const struct packer *p, uint64_t n, uint32_t align, bool *fresh)
{
	uint64_t off = round_up(p->cur_used, align);
	if (p->cur_used && off + n <= p->slab_max) {
		*fresh = false;
		return p->closed + round_up(off + n, MODEL_SLAB_ROUND);
	}
	*fresh = true;
	return p->closed + round_up(p->cur_used, MODEL_SLAB_ROUND) + round_up(n, MODEL_SLAB_ROUND);
}

static int push_slab(amdbare_model *m, uint32_t dom, uint32_t *index)
{
	if ((m->n_slabs & (m->n_slabs + 1)) == 0 || m->n_slabs == 0) {
		/* grow at 0, 1, 3, 7, ...: capacity n_slabs + 1 rounded to 2^k */
		uint32_t cap = 1;
		while (cap <= m->n_slabs + 1u)
			cap <<= 1;
		struct model_slab *s = realloc(m->slabs, cap * sizeof(*s));
		if (!s)
			return ab_set_error(ENOMEM, "model plan: out of memory");
		m->slabs = s;
	}
	memset(&m->slabs[m->n_slabs], 0, sizeof(m->slabs[0]));
	m->slabs[m->n_slabs].dom = dom;
	*index = m->n_slabs++;
	return 0;
}

static void close_slab(amdbare_model *m, struct packer *p)
{
	if (!p->cur_used)
		return;
	uint64_t size = round_up(p->cur_used, MODEL_SLAB_ROUND);
	m->slabs[p->cur_slab].size = size;
	p->closed += size;
	p->cur_used = 0;
}

static uint64_t sub_sat(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

/* Room per domain: what the model's allocator may still hold, and what is
 * left device-wide below usable minus headroom (other processes count). */
static int measure_room(amdbare_model *m, struct packer pk[MODEL_DOM_COUNT],
			const amdbare_memory_info *mem)
{
	amdbare_alloc_stats st;
	int r = amdbare_allocator_get_stats(m->alloc, &st);
	if (r < 0)
		return r;
	const amdbare_alloc_domain_stats *ds[2] = {&st.vram, &st.gtt};
	const amdbare_heap_info *heap[2] = {&mem->vram, &mem->gtt};
	amdbare_model_domain_plan *dp[2] = {&m->plan.vram, &m->plan.gtt};
	for (int d = 0; d < MODEL_DOM_COUNT; d++) {
		uint64_t own = sub_sat(ds[d]->budget, ds[d]->held);
		uint64_t device = sub_sat(sub_sat(heap[d]->usable, ds[d]->headroom), heap[d]->used);
		pk[d].room = own < device ? own : device;
		pk[d].max_alloc = heap[d]->max_allocation ? heap[d]->max_allocation : UINT64_MAX;
		pk[d].slab_max = MODEL_SLAB_TARGET < pk[d].max_alloc ? MODEL_SLAB_TARGET
				 : pk[d].max_alloc & ~(MODEL_SLAB_ROUND - 1);
		dp[d]->budget = ds[d]->budget;
		dp[d]->headroom = ds[d]->headroom;
		dp[d]->room = pk[d].room;
	}
	return 0;
}

static void explain_refusal(amdbare_model *m, const struct packer pk[MODEL_DOM_COUNT],
			    const char *too_big_name, uint64_t too_big_bytes, uint32_t too_big_dom)
{
	amdbare_model_plan *p = &m->plan;
	char *buf = p->refusal;
	size_t cap = sizeof(p->refusal), len;
	char a[32], b[32], c[32];
	snprintf(buf, cap, "the model does not fit (%s, %u tensors, %s):",
		 p->policy == AMDBARE_MODEL_VRAM_ONLY ? "VRAM only"
		 : p->policy == AMDBARE_MODEL_GTT_ONLY ? "GTT only" : "VRAM then GTT",
		 p->tensors, amdbare_format_size(p->bytes, a, sizeof(a)));
	const amdbare_model_domain_plan *dp[2] = {&p->vram, &p->gtt};
	for (int d = 0; d < MODEL_DOM_COUNT; d++) {
		len = strlen(buf);
		snprintf(buf + len, cap - len, "%s %s %s %s, room %s (budget %s)", d ? ";" : "",
			 model_dom_name((uint32_t)d),
			 dp[d]->reserved > pk[d].room ? "needs" : "takes",
			 amdbare_format_size(dp[d]->reserved, a, sizeof(a)),
			 amdbare_format_size(pk[d].room, b, sizeof(b)),
			 amdbare_format_size(dp[d]->budget, c, sizeof(c)));
	}
	if (too_big_name) {
		len = strlen(buf);
		snprintf(buf + len, cap - len, "; tensor '%s' (%s) is larger than the largest "
			 "buffer the kernel allows in %s (%s)", too_big_name,
			 amdbare_format_size(too_big_bytes, a, sizeof(a)),
			 model_dom_name(too_big_dom),
			 amdbare_format_size(pk[too_big_dom].max_alloc, b, sizeof(b)));
	}
}

int model_plan_make(amdbare_model *m)
{
	amdbare_memory_info mem;
	int r = amdbare_device_query_memory(m->dev, &mem);
	if (r < 0)
		return r;
	free(m->slabs);
	m->slabs = NULL;
	m->n_slabs = 0;
	memset(&m->plan, 0, sizeof(m->plan));
	amdbare_model_plan *p = &m->plan;
	p->files = m->idx.n_files;
	p->tensors = m->idx.n_tensors;
	p->policy = m->opt.policy;

	struct packer pk[MODEL_DOM_COUNT];
	memset(pk, 0, sizeof(pk));
	r = measure_room(m, pk, &mem);
	if (r < 0)
		return r;
	/* VRAM the CPU cannot map (or asked to be staged) is filled by SDMA
	 * from a GTT ring, which takes GTT room while the load runs. */
	bool vram_possible = m->opt.policy != AMDBARE_MODEL_GTT_ONLY;
	for (size_t i = 0; i < m->n_overrides; i++)
		vram_possible |= m->overrides[i].dom == MODEL_DOM_VRAM;
	bool stage = vram_possible && ((m->opt.flags & AMDBARE_MODEL_STAGE_VRAM) ||
				       mem.visible_vram.total < mem.vram.total);
	uint64_t staging = round_up(m->opt.staging_size, MODEL_SLAB_ROUND);
	if (stage)
		pk[MODEL_DOM_GTT].room = sub_sat(pk[MODEL_DOM_GTT].room, staging);

	const uint32_t align = m->opt.alignment;
	const char *too_big_name = NULL;
	uint64_t too_big_bytes = 0;
	uint32_t too_big_dom = 0;
	bool fits = true;
	amdbare_model_domain_plan *dp[2] = {&p->vram, &p->gtt};
	for (uint32_t i = 0; i < m->idx.n_tensors; i++) {
		const struct model_tensor *t = &m->idx.tensors[i];
		struct model_tensor_state *s = &m->ts[i];
		uint32_t order[2];
		uint32_t n = candidates(m, t->name, &s->override_index, order);
		p->bytes += t->nbytes;
		if (s->override_index >= 0)
			p->overridden++;
		uint32_t chosen = order[n - 1];
		bool chosen_ok = false;
		if (t->nbytes == 0) {
			/* Nothing to place: no buffer, no bytes. */
			s->dom = order[0];
			dp[s->dom]->tensors++;
			continue;
		}
		for (uint32_t k = 0; k < n; k++) {
			bool fresh;
			if (t->nbytes > pk[order[k]].max_alloc)
				continue;
			if (total_with(&pk[order[k]], t->nbytes, align, &fresh) <= pk[order[k]].room) {
				chosen = order[k];
				chosen_ok = true;
				break;
			}
		}
		if (!chosen_ok) {
			fits = false;
			if (t->nbytes > pk[chosen].max_alloc && !too_big_name) {
				too_big_name = t->name;
				too_big_bytes = t->nbytes;
				too_big_dom = chosen;
			}
		}
		struct packer *pc = &pk[chosen];
		bool fresh;
		total_with(pc, t->nbytes, align, &fresh);
		if (fresh) {
			close_slab(m, pc);
			r = push_slab(m, chosen, &pc->cur_slab);
			if (r < 0)
				return r;
			s->slab_offset = 0;
		} else {
			s->slab_offset = round_up(pc->cur_used, align);
		}
		pc->cur_used = s->slab_offset + t->nbytes;
		s->dom = chosen;
		s->slab = pc->cur_slab;
		dp[chosen]->tensors++;
		dp[chosen]->bytes += t->nbytes;
	}
	for (int d = 0; d < MODEL_DOM_COUNT; d++) {
		close_slab(m, &pk[d]);
		dp[d]->reserved = pk[d].closed;
	}
	for (uint32_t k = 0; k < m->n_slabs; k++) {
		dp[m->slabs[k].dom]->buffers++;
		m->slabs[k].staged = stage && m->slabs[k].dom == MODEL_DOM_VRAM;
	}
	p->vram_staged = stage && p->vram.buffers > 0;
	if (p->vram_staged) {
		p->staging_bytes = staging;
		p->gtt.reserved += staging;
		/* the ring is a buffer of its own */
		p->gtt.buffers++;
		pk[MODEL_DOM_GTT].room += staging; /* report the room before the ring */
	}
	for (int d = 0; d < MODEL_DOM_COUNT; d++)
		if (dp[d]->reserved > pk[d].room)
			fits = false;
	p->fits = fits;
	if (!fits)
		explain_refusal(m, pk, too_big_name, too_big_bytes, too_big_dom);
	return 0;
}
