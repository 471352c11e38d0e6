/*
 * CPU mmap of a GEM object through the device node (drm_gem_mmap,
 * amdgpu_gem_object_mmap, ttm_bo_mmap_obj, amdgpu_bo_fault_reserve_notify).
 *
 * The kernel moves a BO out of CPU-invisible VRAM at the first CPU page
 * fault on it.  The vgpu does not see page faults (the mapping is a plain
 * memfd mapping), so it applies the same migration when the mapping is
 * made: counted in NUM_VRAM_CPU_PAGE_FAULTS, BO flagged
 * CPU_ACCESS_REQUIRED, moved to visible VRAM or else GTT.  A program that
 * maps a BO and never touches it is therefore migrated where the kernel
 * would not have moved it.
 */
#include "mem_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <libdrm/amdgpu_drm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

struct cpu_map {
	uint32_t gid;
	uint64_t bo_offset;
	size_t len;
	struct cpu_map *next;
};

static struct cpu_map *cpu_maps;

/* amdgpu_bo_fault_reserve_notify, shared lock held. */
static void fault_reserve_notify(struct mem_gbo *g)
{
	struct mem_shared *s = mem_shared();
	/* Remember that this BO was accessed by the CPU */
	g->flags |= AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED;
	if (g->mem_type != MEM_PL_VRAM || g->invis_bytes == 0)
		return;
	/* hurrah the memory is not visible ! */
	s->num_cpu_faults++;
	struct mem_place pl[2];
	int n = mem_places_from_domain(AMDGPU_GEM_DOMAIN_VRAM | AMDGPU_GEM_DOMAIN_GTT, g->flags, pl);
	/* Avoid costly evictions; only set GTT as a busy placement */
	int r = mem_validate(g, pl, n, &pl[1], 1);
	if (r)
		vgpu_log("vgpu: mem: BO %u could not leave invisible VRAM (%d); the kernel "
			 "would raise SIGBUS at the access", g->id, r);
	else
		g->lru = ++s->lru_clock;
}

int vgpu_dev_mmap(struct vgpu_file *f, uint64_t offset, size_t len, int prot, int flags,
		  int *backing_fd, off_t *backing_offset)
{
	if (len == 0 || (offset & (MEM_PAGE_SIZE - 1)))
		return -EINVAL;
	uint64_t pg = offset >> MEM_PAGE_SHIFT;
	uint64_t npages = (len + MEM_PAGE_SIZE - 1) >> MEM_PAGE_SHIFT;
	/* do_mmap: a shared writable mapping needs a file open for writing */
	if ((flags & MAP_TYPE) == MAP_SHARED && (prot & PROT_WRITE) &&
	    (f->open_flags & O_ACCMODE) == O_RDONLY)
		return -EACCES;
	mem_local_lock();
	struct mem_shared *s = mem_shared();
	int r = 0;
	mem_shared_lock();
	/* drm_vma_offset_lookup_locked: the object whose node contains the
	 * whole range */
	struct mem_gbo *g = NULL;
	for (uint32_t i = 0; i < s->nslots; i++) {
		struct mem_gbo *c = &s->bo[i];
		if (c->id && pg >= c->vma_start && pg + npages <= c->vma_start + (c->size >> MEM_PAGE_SHIFT)) {
			g = c;
			break;
		}
	}
	struct mem_bo *bo = g ? mem_bo_find(g->id) : NULL;
	if (!g)
		r = -EINVAL;
	else if (!bo || !mem_handle_of(f->mem, bo))
		r = -EACCES; /* drm_vma_node_is_allowed: no handle in this file */
	else if (g->is_userptr || (g->flags & AMDGPU_GEM_CREATE_NO_CPU_ACCESS))
		r = -EPERM; /* amdgpu_gem_object_mmap */
	else if ((flags & MAP_TYPE) == MAP_PRIVATE && (prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		r = -EINVAL; /* ttm_bo_mmap_obj: no COW (PROT_NONE is let through) */
	uint64_t bo_offset = 0;
	if (!r) {
		fault_reserve_notify(g);
		bo_offset = (pg - g->vma_start) << MEM_PAGE_SHIFT;
	}
	mem_shared_unlock();
	if (!r) {
		struct cpu_map *m = malloc(sizeof(*m));
		if (m) {
			*m = (struct cpu_map){ .gid = bo->gid, .bo_offset = bo_offset, .len = len,
					       .next = cpu_maps };
			cpu_maps = m;
		}
		*backing_fd = bo->memfd;
		*backing_offset = (off_t)bo_offset;
	}
	mem_local_unlock();
	return r;
}

/* The BO id of the mapping at addr, from its memfd name, or 0. */
static uint32_t mapping_gid(void *addr, size_t len)
{
	char path[96], link[256];
	snprintf(path, sizeof(path), "/proc/self/map_files/%lx-%lx", (unsigned long)addr,
		 (unsigned long)addr + (unsigned long)len);
	ssize_t n = syscall(SYS_readlinkat, AT_FDCWD, path, link, sizeof(link) - 1);
	if (n <= 0)
		return 0;
	link[n] = '\0';
	char *dash = strrchr(link, '-');
	return dash ? (uint32_t)strtoul(dash + 1, NULL, 10) : 0;
}

void vgpu_dev_munmap(void *addr, size_t len)
{
	uint32_t gid = mapping_gid(addr, len);
	mem_local_lock();
	struct cpu_map **best = NULL;
	for (struct cpu_map **p = &cpu_maps; *p; p = &(*p)->next) {
		struct cpu_map *m = *p;
		bool same_len = m->len == len, same_bo = gid && m->gid == gid;
		if (same_len && (same_bo || !gid)) {
			best = p;
			break;
		}
		if (!best && (same_bo || (!gid && same_len)))
			best = p;
	}
	if (best) {
		struct cpu_map *m = *best;
		if (m->len > len) {
			m->len -= len; /* a partial unmap */
		} else {
			*best = m->next;
			free(m);
		}
	}
	mem_local_unlock();
}

int mem_cpu_map_count(char *buf, size_t cap, size_t *off)
{
	int n = 0;
	for (struct cpu_map *m = cpu_maps; m; m = m->next) {
		mem_appendf(buf, cap, off, "cpu mapping: bo %u offset %llu length %zu\n", m->gid,
			    (unsigned long long)m->bo_offset, m->len);
		n++;
	}
	return n;
}
