/*
 * What the memory side tells the rest of the vgpu: heap sizes and usage
 * for the INFO ioctl (amdgpu_info_ioctl: VRAM_GTT, MEMORY, *_USAGE, the
 * move/eviction/fault counters), a file's usage for fdinfo
 * (amdgpu_vm_get_memory), and the objects still open in this process.
 */
#include "internal.h"

#include <errno.h>
#include <libdrm/amdgpu_drm.h>
#include <stdbool.h>
#include <string.h>

int vgpu_mem_query(struct vgpu_mem_state *out)
{
	/* A real kernel answers sysfs mem_info_* without any open file, so
	 * attach to the instance's state here too, not only at open(2). */
	int r = mem_shared_attach();
	if (r)
		return r;
	struct mem_shared *s = mem_shared();
	memset(out, 0, sizeof(*out));
	mem_shared_lock();
	/* usage of processes that died without closing is not real usage */
	mem_shared_sweep();
	/* AMDGPU_INFO_MEMORY: nothing is pinned by user space on the vgpu, so
	 * the pin sizes are 0 */
	out->vram_size = s->vram_size;
	out->vram_usable = s->vram_size > MEM_VM_RESERVED_VRAM ? s->vram_size - MEM_VM_RESERVED_VRAM : 0;
	out->vram_max_alloc = out->vram_usable * 3 / 4;
	out->vis_vram_size = s->vis_vram_size;
	out->vis_vram_usable = s->vis_vram_size < out->vram_usable ? s->vis_vram_size : out->vram_usable;
	out->vis_vram_max_alloc = out->vis_vram_usable * 3 / 4;
	out->gtt_size = s->gtt_size;
	out->gtt_usable = s->gtt_size;
	out->gtt_max_alloc = out->gtt_usable * 3 / 4;
	out->vram_used = s->vram_used;
	out->vis_vram_used = s->vis_used;
	out->gtt_used = s->gtt_used;
	out->num_evictions = s->num_evictions;
	out->num_bytes_moved = s->num_bytes_moved;
	out->num_vram_cpu_page_faults = s->num_cpu_faults;
	mem_shared_unlock();
	return 0;
}

void vgpu_mem_file_usage(struct vgpu_file *f, uint64_t *vram, uint64_t *gtt, uint64_t *cpu)
{
	*vram = *gtt = *cpu = 0;
	struct vgpu_mem_file *mf = f->mem;
	if (!mf || !mem_shared())
		return;
	mem_local_lock();
	mem_shared_lock();
	/* amdgpu_vm_get_memory -> amdgpu_bo_get_memory: each BO with a bo_va in
	 * this VM, its whole size, by its current memory type */
	for (uint32_t h = 1; h < mf->nhandles; h++) {
		struct mem_bo *bo = mf->handles[h];
		struct mem_gbo *g = bo ? mem_gbo_get(bo->gid) : NULL;
		if (!g)
			continue;
		if (g->mem_type == MEM_PL_VRAM)
			*vram += g->size;
		else if (g->mem_type == MEM_PL_TT)
			*gtt += g->size;
		else
			*cpu += g->size;
	}
	mem_shared_unlock();
	mem_local_unlock();
}

void vgpu_mem_file_stats(struct vgpu_file *f, struct vgpu_mem_file_stats *out)
{
	memset(out, 0, sizeof(*out));
	struct vgpu_mem_file *mf = f->mem;
	if (!mf || !mem_shared())
		return;
	mem_local_lock();
	mem_shared_lock();
	for (uint32_t h = 1; h < mf->nhandles; h++) {
		struct mem_bo *bo = mf->handles[h];
		struct mem_gbo *g = bo ? mem_gbo_get(bo->gid) : NULL;
		if (!g)
			continue;
		uint64_t size = g->size;
		int cur = g->mem_type == MEM_PL_VRAM ? 2 : g->mem_type == MEM_PL_TT ? 1 :
			  g->mem_type == MEM_PL_SYSTEM ? 0 : -1;
		/* rounddown_pow_of_two(preferred & DOMAIN_MASK); no domain is
		 * SYSTEM; GDS/GWS/OA have no line here */
		uint32_t dom = g->preferred_domains & AMDGPU_GEM_DOMAIN_MASK;
		int pref = !dom ? 0 : dom >= AMDGPU_GEM_DOMAIN_GDS ? -1 :
			   dom >= AMDGPU_GEM_DOMAIN_VRAM ? 2 : dom >= AMDGPU_GEM_DOMAIN_GTT ? 1 : 0;
		uint32_t handles = 0, dmabufs = 0;
		for (int i = 0; i < MEM_MAX_HOLDERS; i++) {
			if (!g->holders[i].pid)
				continue;
			handles += g->holders[i].handles;
			dmabufs += g->holders[i].ndmabuf;
		}
		bool shared = handles > 1 || dmabufs > 0;
		if (cur >= 0) {
			out->placed[cur] += size;
			if (g->flags & AMDGPU_GEM_CREATE_DISCARDABLE)
				out->purgeable[cur] += size;
		}
		if (pref >= 0) {
			out->total[pref] += size;
			if (shared)
				out->shared[pref] += size;
		}
		if (cur == 2)
			out->visible_vram += g->vis_bytes;
		/* amdgpu_bo_get_memory of 6.3-6.12 */
		if (g->preferred_domains & AMDGPU_GEM_DOMAIN_VRAM) {
			out->requested_vram += size;
			if (g->flags & AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED)
				out->requested_visible_vram += size;
			if (cur != 2) {
				out->evicted_vram += size;
				if (g->flags & AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED)
					out->evicted_visible_vram += size;
			}
		} else if (g->preferred_domains & AMDGPU_GEM_DOMAIN_GTT) {
			out->requested_gtt += size;
		}
	}
	mem_shared_unlock();
	mem_local_unlock();
}

int vgpu_mem_pid_usage(int pid, uint64_t *vram, uint64_t *gtt, uint64_t *cpu)
{
	*vram = *gtt = *cpu = 0;
	/* a reader that never opened the device attaches here */
	if (!mem_shared()) {
		int r = mem_shared_attach();
		if (r < 0)
			return r;
	}
	struct mem_shared *sh = mem_shared();
	if (!sh || pid <= 0)
		return -EINVAL;
	mem_shared_lock();
	for (uint32_t i = 0; i < sh->nslots && i < MEM_MAX_BOS; i++) {
		const struct mem_gbo *g = &sh->bo[i];
		if (!g->id)
			continue;
		bool held = false;
		for (int k = 0; k < MEM_MAX_HOLDERS; k++)
			if (g->holders[k].pid == pid && g->holders[k].handles)
				held = true;
		if (!held)
			continue;
		if (g->mem_type == MEM_PL_VRAM)
			*vram += g->size;
		else if (g->mem_type == MEM_PL_TT)
			*gtt += g->size;
		else
			*cpu += g->size;
	}
	mem_shared_unlock();
	return 0;
}

static const char *mem_type_name(uint32_t t)
{
	switch (t) {
	case MEM_PL_VRAM: return "vram";
	case MEM_PL_TT: return "gtt";
	case MEM_PL_SYSTEM: return "cpu";
	default: return "special";
	}
}

int vgpu_mem_open_objects(char *buf, size_t cap)
{
	size_t off = buf && cap ? strlen(buf) : 0;
	int count = 0;
	if (!mem_shared())
		return 0;
	mem_local_lock();
	mem_shared_lock();
	for (struct vgpu_mem_file *mf = mem_files_head(); mf; mf = mf->next_file) {
		for (uint32_t h = 1; h < mf->nhandles; h++) {
			struct mem_bo *bo = mf->handles[h];
			if (!bo)
				continue;
			struct mem_gbo *g = mem_gbo_get(bo->gid);
			mem_appendf(buf, cap, &off, "gem handle %u: bo %u, %llu bytes in %s%s\n", h,
				    bo->gid, (unsigned long long)bo->size,
				    g ? mem_type_name(g->mem_type) : "?", bo->is_userptr ? " (userptr)" : "");
			count++;
		}
		for (size_t i = 0; i < mf->nmaps; i++) {
			const struct mem_mapping *m = &mf->maps[i];
			mem_appendf(buf, cap, &off, "va mapping: 0x%llx-0x%llx -> bo %u offset %llu\n",
				    (unsigned long long)(m->start << MEM_PAGE_SHIFT),
				    (unsigned long long)((m->last + 1) << MEM_PAGE_SHIFT),
				    m->bo ? m->bo->gid : 0, (unsigned long long)m->offset);
			count++;
		}
	}
	mem_shared_unlock();
	count += mem_cpu_map_count(buf, cap, &off);
	mem_local_unlock();
	return count;
}
