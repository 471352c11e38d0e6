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
 *
 * Each CPU mapping holds a reference on its BO, as the kernel's vma does
 * (drm_gem_mmap_obj takes it; amdgpu_gem_vm_ops' ttm_bo_vm_open takes one
 * more for each vma a split or a fork makes, ttm_bo_vm_close puts it): a BO whose last
 * handle is closed while it is mapped keeps its memory, its placement and
 * its place in the device's usage until the last piece of the last
 * mapping is unmapped, and only then is freed (its VRAM pool file then
 * goes to the next BO).  The boundary maps the backing file itself, so
 * the mappings are recorded here from the addresses it reports.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
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
		  int *backing_fd, off_t *backing_offset, uint32_t *bo_id)
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
	/* drm_gem_mmap_obj: drm_gem_object_get, the mapping's reference,
	 * taken before the mapping exists so the BO cannot go meanwhile */
	if (!r)
		r = mem_gbo_map_get(g);
	if (!r) {
		fault_reserve_notify(g);
		bo_offset = (pg - g->vma_start) << MEM_PAGE_SHIFT;
	}
	mem_shared_unlock();
	if (!r) {
		*backing_fd = bo->memfd;
		*backing_offset = (off_t)bo_offset;
		*bo_id = g->id;
	}
	mem_local_unlock();
	return r;
}

/* The CPU mappings of BOs in this process: [start, end) of the address
 * space and the BO; each record holds one reference.  A partial munmap
 * trims or splits a record the way the kernel splits the vma
 * (__split_vma -> vm_ops->open = ttm_bo_vm_open, another reference).
 * Local lock held. */
struct cpu_map_rec {
	uintptr_t start, end;
	uint32_t gid;
};
static struct cpu_map_rec *recs;
static size_t nrecs, caprecs;
/* nrecs without the lock: a munmap in a process with no BO mapping left
 * costs nothing */
static _Atomic size_t live_recs;

static bool recs_reserve(size_t n)
{
	if (nrecs + n <= caprecs)
		return true;
	size_t ncap = caprecs ? caprecs * 2 : 16;
	while (ncap < nrecs + n)
		ncap *= 2;
	struct cpu_map_rec *p = realloc(recs, ncap * sizeof(*p));
	if (!p)
		return false;
	recs = p;
	caprecs = ncap;
	return true;
}

/* ttm_bo_vm_close for `n` mappings of `gid` in this process: the BO is
 * freed with its last reference. */
static void put_refs(uint32_t gid, int n)
{
	mem_shared_lock();
	struct mem_gbo *g = mem_gbo_get(gid);
	for (int i = 0; g && i < n; i++)
		if (mem_gbo_map_put(g))
			break;
	mem_shared_unlock();
}

/* [a, b) of the address space is no longer mapped (munmap, or a MAP_FIXED
 * mapping or mremap over it): trims, splits and drops records; a record
 * that loses its last page puts its reference.  Local lock held. */
static void unmap_range(uintptr_t a, uintptr_t b)
{
	for (size_t i = 0; i < nrecs;) {
		struct cpu_map_rec *m = &recs[i];
		if (m->end <= a || m->start >= b) {
			i++;
			continue;
		}
		if (a <= m->start && b >= m->end) {
			/* the whole vma goes: remove_vma -> ttm_bo_vm_close */
			uint32_t gid = m->gid;
			recs[i] = recs[--nrecs];
			put_refs(gid, 1);
			continue;
		}
		if (a > m->start && b < m->end) {
			/* a hole in the middle: two vmas, each with a reference */
			uint32_t gid = m->gid;
			uintptr_t tail_end = m->end;
			mem_shared_lock();
			struct mem_gbo *g = mem_gbo_get(gid);
			int r = g ? mem_gbo_map_get(g) : -ENOENT;
			mem_shared_unlock();
			if (r || !recs_reserve(1)) {
				/* no room to split: keep one record over both
				 * pieces (the BO lives until both are gone) */
				if (!r)
					put_refs(gid, 1);
				vgpu_log("vgpu: mem: cannot record the split of a mapping of BO %u; "
					 "its reference lasts until the whole range is unmapped", gid);
				i++;
				continue;
			}
			m = &recs[i];
			m->end = a;
			recs[nrecs++] = (struct cpu_map_rec){ b, tail_end, gid };
			i++;
			continue;
		}
		if (a <= m->start)
			m->start = b;
		else
			m->end = a;
		i++;
	}
	atomic_store(&live_recs, nrecs);
}

static uintptr_t page_end(const void *addr, size_t len)
{
	uintptr_t a = (uintptr_t)addr;
	uintptr_t end = a + len;
	if (end < a)
		return UINTPTR_MAX & ~(uintptr_t)(MEM_PAGE_SIZE - 1);
	return (end + MEM_PAGE_SIZE - 1) & ~(uintptr_t)(MEM_PAGE_SIZE - 1);
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
static void prefault(void *addr, size_t len, int prot, int backing_fd, off_t backing_offset)
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

void vgpu_dev_mmap_done(void *addr, size_t len, int prot, int flags, int backing_fd,
			off_t backing_offset, uint32_t bo_id)
{
	if (addr == MAP_FAILED) {
		/* the mapping was not made: its reference goes back */
		mem_local_lock();
		put_refs(bo_id, 1);
		mem_local_unlock();
		return;
	}
	uintptr_t a = (uintptr_t)addr, b = page_end(addr, len);
	mem_local_lock();
	/* MAP_FIXED replaced whatever was mapped there */
	if (flags & MAP_FIXED)
		unmap_range(a, b);
	if (recs_reserve(1)) {
		recs[nrecs++] = (struct cpu_map_rec){ a, b, bo_id };
		atomic_store(&live_recs, nrecs);
	} else {
		/* no memory for the record: the reference stays with the
		 * process (dropped at its exit) rather than be put while
		 * the pages are still mapped */
		vgpu_log("vgpu: mem: cannot record a CPU mapping of BO %u; its reference "
			 "lasts until the process exits", bo_id);
	}
	mem_local_unlock();
	prefault(addr, len, prot, backing_fd, backing_offset);
}

/* The boundary reports every successful munmap (and a MAP_FIXED mapping
 * over older ones) after the fact. */
void vgpu_dev_munmap(void *addr, size_t len)
{
	if (atomic_load(&live_recs) == 0 || len == 0)
		return;
	mem_local_lock();
	unmap_range((uintptr_t)addr, page_end(addr, len));
	mem_local_unlock();
}

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4 /* Linux 5.7 */
#endif

/* The record holding address `a`, or NULL.  Local lock held. */
static struct cpu_map_rec *rec_at(uintptr_t a)
{
	for (size_t i = 0; i < nrecs; i++)
		if (a >= recs[i].start && a < recs[i].end)
			return &recs[i];
	return NULL;
}

/* mremap -> vma_to_resize (mm/mremap.c) for a BO vma, which TTM made
 * VM_DONTEXPAND (ttm_bo_mmap_obj): no MREMAP_DONTUNMAP, no range beyond
 * the vma, no growth (a duplicate, old_len 0, is growth too). */
int vgpu_dev_mremap_check(void *old, size_t old_len, size_t new_len, int flags)
{
	if (atomic_load(&live_recs) == 0)
		return 0;
	mem_local_lock();
	struct cpu_map_rec *m = rec_at((uintptr_t)old);
	int r = 0;
	if (m) {
		if (flags & MREMAP_DONTUNMAP)
			r = -EINVAL;
		else if (old_len > m->end - (uintptr_t)old)
			r = -EFAULT;
		else if (new_len > old_len)
			r = -EFAULT;
	}
	mem_local_unlock();
	return r;
}

/* move_vma: copy_vma opens the new vma (ttm_bo_vm_open, a reference),
 * then the old range is unmapped; a shrink unmaps the tail. */
void vgpu_dev_mremap_done(void *old, size_t old_len, void *new, size_t new_len, int flags)
{
	(void)flags;
	if (atomic_load(&live_recs) == 0)
		return;
	uintptr_t o = (uintptr_t)old, n = (uintptr_t)new;
	uintptr_t oend = page_end(old, old_len), nend = page_end(new, new_len);
	mem_local_lock();
	struct cpu_map_rec *m = rec_at(o);
	uint32_t gid = m ? m->gid : 0;
	/* MREMAP_FIXED unmapped the destination first */
	if (n != o)
		unmap_range(n, nend);
	if (gid && n != o) {
		mem_shared_lock();
		struct mem_gbo *g = mem_gbo_get(gid);
		int r = g ? mem_gbo_map_get(g) : -ENOENT;
		mem_shared_unlock();
		if (!r && recs_reserve(1)) {
			recs[nrecs++] = (struct cpu_map_rec){ n, nend, gid };
		} else {
			if (!r)
				put_refs(gid, 1);
			vgpu_log("vgpu: mem: cannot record the move of a mapping of BO %u", gid);
		}
		unmap_range(o, oend);
	} else {
		/* in place: the tail beyond the new length is gone */
		unmap_range(o + (nend - n), oend);
	}
	atomic_store(&live_recs, nrecs);
	mem_local_unlock();
}

void mem_cpu_maps_adopt(void)
{
	/* fork copied every vma (TTM sets no VM_DONTCOPY): ttm_bo_vm_open,
	 * one reference per mapping for the child */
	for (size_t i = 0; i < nrecs; i++) {
		struct mem_gbo *g = mem_gbo_get(recs[i].gid);
		if (g)
			mem_gbo_map_get(g);
	}
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
