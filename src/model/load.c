/*
 * amdbare_model_load: re-plan with the heaps as they are now, refuse
 * before allocating when the plan does not fit, allocate one dedicated GEM
 * buffer per slab, stream, measure the kernel's usage deltas, verify on the
 * GPU.  Any failure frees every buffer of the model.
 */
#include "util/api.h"
#include "util/error.h"
#include "loader.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void model_release_slabs(amdbare_model *m)
{
	for (uint32_t k = 0; k < m->n_slabs; k++) {
		if (m->slabs[k].sa.id)
			amdbare_alloc_free(m->alloc, m->slabs[k].sa.id);
		memset(&m->slabs[k].sa, 0, sizeof(m->slabs[k].sa));
	}
	for (uint32_t i = 0; m->ts && i < m->idx.n_tensors; i++) {
		m->ts[i].loaded = false;
		m->ts[i].verified = false;
	}
	if (m->alloc)
		amdbare_allocator_trim(m->alloc);
	m->loaded = false;
}

/* The first tensor of slab k, to name it in messages. */
static const char *slab_first_tensor(const amdbare_model *m, uint32_t k)
{
	for (uint32_t i = 0; i < m->idx.n_tensors; i++)
		if (m->ts[i].slab == k && m->idx.tensors[i].nbytes)
			return m->idx.tensors[i].name;
	return "?";
}

static int allocate_slabs(amdbare_model *m)
{
	for (uint32_t k = 0; k < m->n_slabs; k++) {
		struct model_slab *s = &m->slabs[k];
		amdbare_alloc_request req = {
			.size = s->size,
			.alignment = m->opt.alignment,
			.policy = s->dom == MODEL_DOM_VRAM ? AMDBARE_ALLOC_VRAM_ONLY
							   : AMDBARE_ALLOC_GTT_ONLY,
			.flags = s->staged ? AMDBARE_BO_NO_CPU_ACCESS : 0,
		};
		int r = amdbare_alloc(m->alloc, &req, &s->sa);
		if (r < 0) {
			memset(&s->sa, 0, sizeof(s->sa));
			char sz[32];
			ab_append_error(" (model: buffer %u of %u, %s in %s, from tensor '%s')", k + 1,
					m->n_slabs, amdbare_format_size(s->size, sz, sizeof(sz)),
					model_dom_name(s->dom), slab_first_tensor(m, k));
			return r;
		}
	}
	return 0;
}

static void count_held(amdbare_model *m)
{
	amdbare_model_proof *p = &m->proof;
	p->held_vram = p->held_gtt = p->loaded_vram = p->loaded_gtt = 0;
	for (uint32_t k = 0; k < m->n_slabs; k++) {
		uint64_t held = amdbare_bo_size(m->slabs[k].sa.bo);
		if (m->slabs[k].sa.domain == AMDBARE_DOMAIN_VRAM)
			p->held_vram += held;
		else
			p->held_gtt += held;
	}
	for (uint32_t i = 0; i < m->idx.n_tensors; i++) {
		if (!m->idx.tensors[i].nbytes)
			continue;
		if (m->slabs[m->ts[i].slab].sa.domain == AMDBARE_DOMAIN_VRAM)
			p->loaded_vram += m->idx.tensors[i].nbytes;
		else
			p->loaded_gtt += m->idx.tensors[i].nbytes;
	}
}

static int load(amdbare_model *m)
{
	int r = model_plan_make(m);
	if (r < 0)
		return r;
	if (!m->plan.fits)
		return ab_set_error(ENOSPC, "%s", m->plan.refusal);
	struct model_usage_snapshot before, after;
	r = model_usage_snapshot(m, &before);
	if (r < 0)
		return r;
	r = allocate_slabs(m);
	if (r < 0)
		return r;
	r = model_stream_all(m);
	if (r < 0)
		return r;
	/* After the staging ring is gone: the deltas are the model alone. */
	r = model_usage_snapshot(m, &after);
	if (r < 0)
		return r;
	count_held(m);
	model_proof_usage(m, &before, &after);
	if (m->opt.flags & AMDBARE_MODEL_NO_VERIFY) {
		m->proof.verify_skipped = true;
		snprintf(m->proof.verify_note, sizeof(m->proof.verify_note), "not asked for");
	} else {
		r = model_proof_verify(m);
		if (r < 0)
			return r;
	}
	for (uint32_t i = 0; i < m->idx.n_tensors; i++)
		m->ts[i].loaded = true;
	m->proof.loaded = true;
	m->loaded = true;
	return 0;
}

AB_API int amdbare_model_load(amdbare_model *m)
{
	if (!m)
		return ab_set_error(EINVAL, "model load: NULL model");
	if (m->loaded)
		return ab_set_error(EALREADY, "model load: already loaded");
	memset(&m->proof, 0, sizeof(m->proof));
	int r = load(m);
	if (r < 0) {
		model_release_slabs(m);
		memset(&m->proof, 0, sizeof(m->proof));
	}
	return r;
}
