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
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <libdrm/amdgpu_drm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

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
		*backing_fd = bo->memfd;
		*backing_offset = (off_t)bo_offset;
	}
	mem_local_unlock();
	return r;
}

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22 /* Linux 5.14 */
#endif

/* TTM's CPU fault handler (ttm_bo_vm_fault_reserved) maps up to
 * TTM_BO_VM_NUM_PREFAULT (16) pages of a BO per fault, so a CPU writing a
 * BO it mapped takes one fault per 64 KiB.  The vgpu sees no faults, and a
 * write fault on the host maps one 4 KiB page.  So once the boundary has
 * mapped the backing file, the pages the file already holds (a VRAM pool
 * file's pages, memory/vram_pool.c) are mapped at once with read faults,
 * which the host serves 16 pages at a time (fault-around, 64 KiB); holes
 * are skipped, so nothing is allocated and a sparse BO stays sparse.  Only
 * the cost changes: contents and every report stay as they were.  A kernel
 * without MADV_POPULATE_READ (before 5.14) refuses it, and the pages are
 * then mapped at first touch as before. */
void vgpu_dev_mmap_done(void *addr, size_t len, int prot, int backing_fd, off_t backing_offset)
{
	if (!(prot & PROT_READ) || backing_fd < 0 || backing_offset < 0)
		return;
	off_t end = backing_offset + (off_t)len;
	for (off_t at = backing_offset; at < end;) {
		off_t data = lseek(backing_fd, at, SEEK_DATA);
		if (data < 0 || data >= end)
			return;
		off_t hole = lseek(backing_fd, data, SEEK_HOLE);
		if (hole < 0 || hole > end)
			hole = end;
		if (madvise((char *)addr + (data - backing_offset), (size_t)(hole - data),
			    MADV_POPULATE_READ) != 0)
			return;
		at = hole;
	}
}

/* The boundary maps the backing memfd itself and reports every munmap
 * after the fact, so the vgpu never learns a mapping's address.  The CPU
 * mappings are therefore read back from /proc/self/maps when reported
 * (mem_cpu_map_count): there is nothing to record here. */
void vgpu_dev_munmap(void *addr, size_t len)
{
	(void)addr;
	(void)len;
}

/* A /proc/<pid>/maps file as one NUL-terminated string (caller frees), or
 * NULL when it cannot be opened. */
char *mem_read_maps(const char *path)
{
	int fd = vgpu_real_open(path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (cap - len < 4096) {
			char *n = realloc(buf, cap * 2);
			if (!n) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = n;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + len, cap - len - 1);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	vgpu_real_close(fd);
	if (buf)
		buf[len] = '\0';
	return buf;
}

/* Mappings of this instance's BO memfds and VRAM pool files in this
 * process, less the vgpu's own internal ones (mem_bo.kmap).  Local lock
 * held. */
int mem_cpu_map_count(char *buf, size_t cap, size_t *off)
{
	char *maps = mem_read_maps("/proc/self/maps");
	if (!maps)
		return 0;
	char needle[200];
	snprintf(needle, sizeof(needle), "/memfd:amdbare-vgpu-bo-%s-", mem_instance_name());
	int n = 0;
	for (char *line = maps; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		char *name = strstr(line, needle);
		/* or a VRAM pool file (memory/vram_pool.c): the BO it backs */
		char *pool = name ? NULL : strstr(line, "/dev/shm/");
		uint32_t pool_gid = 0;
		if (pool) {
			mem_shared_lock();
			pool_gid = mem_vram_pool_gid(pool);
			mem_shared_unlock();
		}
		unsigned long lo, hi;
		unsigned long long pgoff;
		if ((name || pool_gid) && sscanf(line, "%lx-%lx %*s %llx", &lo, &hi, &pgoff) == 3) {
			uint32_t gid = name ? (uint32_t)strtoul(name + strlen(needle), NULL, 10) : pool_gid;
			struct mem_bo *bo = mem_bo_find(gid);
			if (!(bo && bo->kmap && (unsigned long)bo->kmap == lo)) {
				mem_appendf(buf, cap, off, "cpu mapping: 0x%lx-0x%lx -> bo %u offset %llu\n",
					    lo, hi, gid, pgoff);
				n++;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	free(maps);
	return n;
}
