/* Placement inference from usage deltas: see bo/placement.h. */
#include "placement.h"

#include "util/api.h"
#include "util/error.h"
#include "device/fdinfo.h"
#include "device/info_query.h"

#include <amdgpu_drm.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void ab_snapshot_take(amdbare_device *dev, struct ab_usage_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	/* A source that fails is only flagged: placement then says how sure
	 * it is, and the caller's operation does not fail for it. */
	amdbare_process_usage u;
	if (ab_fdinfo_read(dev->fd, ab_node(dev), &u) == 0 && (u.has_vram || u.has_gtt)) {
		s->proc_ok = true;
		s->proc = u;
	}
	s->global_ok = ab_info_query(dev->fd, AMDGPU_INFO_VRAM_USAGE, &s->vram, sizeof(s->vram)) == 0 &&
		       ab_info_query(dev->fd, AMDGPU_INFO_VIS_VRAM_USAGE, &s->vis_vram,
				     sizeof(s->vis_vram)) == 0 &&
		       ab_info_query(dev->fd, AMDGPU_INFO_GTT_USAGE, &s->gtt, sizeof(s->gtt)) == 0;
	(void)ab_info_query(dev->fd, AMDGPU_INFO_NUM_EVICTIONS, &s->evictions, sizeof(s->evictions));
	(void)ab_info_query(dev->fd, AMDGPU_INFO_NUM_VRAM_CPU_PAGE_FAULTS, &s->cpu_page_faults,
			    sizeof(s->cpu_page_faults));
}

static int64_t delta(uint64_t after, uint64_t before)
{
	return (int64_t)(after - before);
}

/* Fills the delta fields of p from two snapshots. */
static void fill_deltas(const struct ab_usage_snapshot *b, const struct ab_usage_snapshot *a,
			amdbare_placement *p)
{
	p->proc_vram_delta = p->proc_gtt_delta = p->proc_cpu_delta = 0;
	p->global_vram_delta = p->global_visible_vram_delta = p->global_gtt_delta = 0;
	if (b->proc_ok && a->proc_ok) {
		p->proc_vram_delta = delta(a->proc.vram, b->proc.vram);
		p->proc_gtt_delta = delta(a->proc.gtt, b->proc.gtt);
		p->proc_cpu_delta = delta(a->proc.cpu, b->proc.cpu);
	}
	if (b->global_ok && a->global_ok) {
		p->global_vram_delta = delta(a->vram, b->vram);
		p->global_visible_vram_delta = delta(a->vis_vram, b->vis_vram);
		p->global_gtt_delta = delta(a->gtt, b->gtt);
	}
	p->evictions_delta = a->evictions - b->evictions;
	p->cpu_page_faults_delta = a->cpu_page_faults - b->cpu_page_faults;
}

static void write_evidence(const struct ab_usage_snapshot *b, const struct ab_usage_snapshot *a,
			   const char *prefix, amdbare_placement *p)
{
	char proc[128] = "fdinfo: n/a";
	char global[128] = "global: n/a";
	char cpu[48] = "";
	if (p->proc_cpu_delta)
		snprintf(cpu, sizeof(cpu), ", cpu %+" PRId64 " KiB", p->proc_cpu_delta / 1024);
	if (b->proc_ok && a->proc_ok)
		snprintf(proc, sizeof(proc), "fdinfo: vram %+" PRId64 " KiB, gtt %+" PRId64 " KiB%s",
			 p->proc_vram_delta / 1024, p->proc_gtt_delta / 1024, cpu);
	if (b->global_ok && a->global_ok)
		snprintf(global, sizeof(global),
			 "global: vram %+" PRId64 " KiB (visible %+" PRId64 "), gtt %+" PRId64 " KiB",
			 p->global_vram_delta / 1024, p->global_visible_vram_delta / 1024,
			 p->global_gtt_delta / 1024);
	char line[400];
	snprintf(line, sizeof(line), "%s%s; %s; evictions +%" PRIu64 ", cpu faults +%" PRIu64,
		 prefix, proc, global, p->evictions_delta, p->cpu_page_faults_delta);
	/* The public field is fixed-size: a long line is cut, not overrun. */
	snprintf(p->evidence, sizeof(p->evidence), "%.*s", (int)sizeof(p->evidence) - 1, line);
}

/*
 * The model behind the inference.  Creating a buffer adds its size to one
 * domain D of the requested ones (never to system memory).  To make room
 * the kernel may evict this process's older buffers downwards: VRAM → GTT
 * (a blit, counted in NUM_EVICTIONS) and GTT → system memory (a null move
 * in amdgpu_bo_move, counted nowhere).  With a bytes of ours moved out of
 * VRAM and b bytes moved on to system memory:
 *   vram delta = [D = VRAM]·size − a,  gtt delta = [D = GTT]·size + a − b,
 *   cpu delta = b,  so the three deltas always sum to size.
 * Hence: VRAM grew → D = VRAM.  No counted eviction → a = 0, and VRAM
 * unchanged → D = GTT.  Otherwise both are possible and only the request
 * (a single domain) decides.
 */
void ab_placement_from_creation(const struct ab_usage_snapshot *before,
				const struct ab_usage_snapshot *after, uint64_t size,
				uint32_t requested_domains, amdbare_placement *p)
{
	memset(p, 0, sizeof(*p));
	p->requested_domains = requested_domains;
	fill_deltas(before, after, p);
	const int64_t sz = (int64_t)size;
	const int64_t pv = p->proc_vram_delta, pg = p->proc_gtt_delta, pc = p->proc_cpu_delta;
	bool proc = before->proc_ok && after->proc_ok;
	bool global = before->global_ok && after->global_ok;
	bool single = requested_domains == AMDBARE_DOMAIN_VRAM ||
		      requested_domains == AMDBARE_DOMAIN_GTT;

	p->confidence = AMDBARE_PLACEMENT_UNKNOWN;
	if (proc && pv == sz && pg == 0 && pc == 0) {
		/* Only the new buffer changed this process's usage. */
		p->actual_domain = AMDBARE_DOMAIN_VRAM;
		p->confidence = AMDBARE_PLACEMENT_EXACT;
	} else if (proc && pg == sz && pv == 0 && pc == 0 && p->evictions_delta == 0) {
		p->actual_domain = AMDBARE_DOMAIN_GTT;
		p->confidence = AMDBARE_PLACEMENT_EXACT;
	} else if (proc && pv + pg + pc == sz) {
		/* Some of this process's own buffers moved (see the model
		 * above). */
		if (pv > 0)
			p->actual_domain = AMDBARE_DOMAIN_VRAM;
		else if (pv == 0 && p->evictions_delta == 0)
			p->actual_domain = AMDBARE_DOMAIN_GTT;
		else if (single)
			p->actual_domain = requested_domains;
		if (p->actual_domain)
			p->confidence = AMDBARE_PLACEMENT_LIKELY;
	} else if (global && p->evictions_delta == 0) {
		/* fdinfo missing or blurred by another thread of this
		 * process: the device-global counters may still agree (other
		 * processes can blur them too, hence LIKELY at best). */
		if (p->global_vram_delta == sz && p->global_gtt_delta == 0)
			p->actual_domain = AMDBARE_DOMAIN_VRAM;
		else if (p->global_gtt_delta == sz && p->global_vram_delta == 0)
			p->actual_domain = AMDBARE_DOMAIN_GTT;
		if (p->actual_domain)
			p->confidence = AMDBARE_PLACEMENT_LIKELY;
	}
	p->fell_back_to_gtt = requested_domains == AMDBARE_DOMAIN_VRAM &&
			      p->actual_domain == AMDBARE_DOMAIN_GTT;
	/* On a small-BAR dGPU, evictions can shift visible usage too; only a
	 * clean visible delta is taken as proof. */
	p->cpu_visible = p->actual_domain == AMDBARE_DOMAIN_VRAM && global &&
			 p->global_visible_vram_delta == sz;
	write_evidence(before, after, "", p);
}

void ab_placement_after_touch(const struct ab_usage_snapshot *before,
			      const struct ab_usage_snapshot *after, uint64_t size,
			      amdbare_placement *p)
{
	fill_deltas(before, after, p);
	const int64_t sz = (int64_t)size;
	bool proc = before->proc_ok && after->proc_ok;
	bool global = before->global_ok && after->global_ok;

	if (proc && p->proc_vram_delta == -sz && p->proc_gtt_delta == sz) {
		/* amdgpu_bo_fault_reserve_notify found no room in visible
		 * VRAM and moved the buffer to GTT. */
		p->actual_domain = AMDBARE_DOMAIN_GTT;
		p->cpu_visible = false;
		p->migrated = true;
		p->confidence = AMDBARE_PLACEMENT_EXACT;
	} else if (global && p->global_vram_delta == -sz && p->global_gtt_delta == sz) {
		p->actual_domain = AMDBARE_DOMAIN_GTT;
		p->cpu_visible = false;
		p->migrated = true;
		p->confidence = AMDBARE_PLACEMENT_LIKELY;
	} else if (global && p->global_vram_delta == 0 && p->global_visible_vram_delta > 0 &&
		   p->global_visible_vram_delta <= sz) {
		/* Moved inside VRAM, from the invisible to the visible part
		 * (less than the whole size if part of it was visible
		 * already: VRAM blocks may straddle the BAR boundary). */
		p->actual_domain = AMDBARE_DOMAIN_VRAM;
		p->cpu_visible = true;
		p->migrated = true;
		p->confidence = (proc && p->proc_vram_delta == 0 && p->proc_gtt_delta == 0 &&
				 p->global_visible_vram_delta == sz)
			? AMDBARE_PLACEMENT_EXACT : AMDBARE_PLACEMENT_LIKELY;
	} else if (p->cpu_page_faults_delta) {
		/* The kernel counted a fault on invisible VRAM but the usage
		 * counters did not say where the buffer went. */
		p->migrated = true;
		p->confidence = AMDBARE_PLACEMENT_UNKNOWN;
	}
	write_evidence(before, after, "touch: ", p);
}

AB_API int amdbare_bo_get_placement(const amdbare_bo *bo, amdbare_placement *out)
{
	if (!bo || !out)
		return ab_set_error(EINVAL, "get placement: NULL argument");
	*out = bo->placement;
	return 0;
}
