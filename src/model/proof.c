/*
 * The proof that a model is where the plan said: the kernel's own usage
 * counters before and after (this process's fdinfo, the device-wide INFO
 * heaps), and every tensor's checksum computed by the GPU over its own view
 * of the memory against the checksum of the file bytes taken while
 * streaming.  The GPU never sees the CPU's copy: a wrong offset, a copy
 * that did not happen or a corrupted staging path all show.
 */
#include "util/error.h"
#include "loader.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int model_usage_snapshot(amdbare_model *m, struct model_usage_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	int r = amdbare_device_query_memory(m->dev, &s->mem);
	if (r < 0)
		return r;
	/* fdinfo is missing on old kernels (< 5.19) or when /proc is not
	 * readable: the device-wide numbers still stand. */
	s->have_proc = amdbare_device_query_process_usage(m->dev, &s->proc) == 0 &&
		       s->proc.has_vram && s->proc.has_gtt;
	return 0;
}

void model_proof_usage(amdbare_model *m, const struct model_usage_snapshot *before,
		       const struct model_usage_snapshot *after)
{
	amdbare_model_proof *p = &m->proof;
	p->have_process_usage = before->have_proc && after->have_proc;
	if (p->have_process_usage) {
		p->proc_vram_delta = (int64_t)(after->proc.vram - before->proc.vram);
		p->proc_gtt_delta = (int64_t)(after->proc.gtt - before->proc.gtt);
	}
	p->global_vram_delta = (int64_t)(after->mem.vram.used - before->mem.vram.used);
	p->global_gtt_delta = (int64_t)(after->mem.gtt.used - before->mem.gtt.used);
	p->usage_matches = p->have_process_usage &&
			   p->proc_vram_delta == (int64_t)p->held_vram &&
			   p->proc_gtt_delta == (int64_t)p->held_gtt;
}

int model_proof_verify(amdbare_model *m)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	amdbare_model_proof *p = &m->proof;
	int r = 0;
	for (uint32_t i = 0; i < m->idx.n_tensors; i++) {
		const struct model_tensor *t = &m->idx.tensors[i];
		struct model_tensor_state *ts = &m->ts[i];
		if (!t->nbytes) {
			ts->verified = true;
			p->verified++;
			continue;
		}
		const amdbare_suballoc *sa = &m->slabs[ts->slab].sa;
		uint64_t gpu;
		r = amdbare_checksum_gpu(m->dev, sa->bo, sa->offset + ts->slab_offset, t->nbytes, &gpu);
		if ((r == -ENOTSUP || r == -EOPNOTSUPP) && p->verified == 0) {
			/* No checksum kernel for this device (its gfx target has no
			 * embedded code object, or no compute submission): the
			 * usage proof stands alone, and the caller is told. */
			p->verify_skipped = true;
			snprintf(p->verify_note, sizeof(p->verify_note), "%s", amdbare_last_error());
			r = 0;
			break;
		}
		if (r < 0) {
			ab_append_error(" (model: GPU checksum of tensor '%s')", t->name);
			break;
		}
		if (gpu != ts->checksum) {
			p->mismatched++;
			char dom[16];
			snprintf(dom, sizeof(dom), "%s", amdbare_domain_name(sa->domain));
			r = ab_set_error(EBADMSG, "model: tensor '%s' (from byte %" PRIu64 " of %s) "
					 "differs in %s: the GPU's checksum %016" PRIx64 " != %016"
					 PRIx64 " of the bytes read", t->name, t->offset,
					 m->idx.files[t->file_index].path, dom, gpu, ts->checksum);
			break;
		}
		ts->verified = true;
		p->verified++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	p->verify_seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
	return r;
}
