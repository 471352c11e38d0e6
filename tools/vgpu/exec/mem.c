/*
 * GPU memory access for the execution side: every address a command
 * processor reads or writes goes through the submitting file's VM (the
 * GEM_VA mappings), page-table permissions included.  An access outside
 * any mapping, to a PRT mapping without backing, a write to a mapping
 * without AMDGPU_VM_PAGE_WRITEABLE, or (strict mode) to a BO that is not
 * in the submission's BO list and not VM_ALWAYS_VALID is a VM fault
 * (gmc_v11_0_process_interrupt reports it; the job stops).
 */
#include "internal.h"
#include "window.h"
#include "memory/internal.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

/* Chunk copied per hold of the memory side's lock. */
#define COPY_CHUNK (1u << 20)

/* The mapping containing GPU page `page`, or NULL (local lock held). */
static const struct mem_mapping *find_mapping(const struct vgpu_mem_file *mf, uint64_t page)
{
	size_t lo = 0, hi = mf->nmaps;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (mf->maps[mid].last < page)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < mf->nmaps && mf->maps[lo].start <= page)
		return &mf->maps[lo];
	return NULL;
}

static bool bo_allowed(const struct exec_job *job, uint32_t gid)
{
	if (!job->strict)
		return true;
	for (uint32_t i = 0; i < job->num_bos; i++)
		if (job->bo_gids[i] == gid)
			return true;
	/* VM_ALWAYS_VALID BOs live in the VM's own reservation: always usable */
	bool always = false;
	mem_shared_lock();
	struct mem_gbo *g = mem_gbo_get(gid);
	if (g && (g->flags & AMDGPU_GEM_CREATE_VM_ALWAYS_VALID))
		always = true;
	mem_shared_unlock();
	return always;
}

/* Where an accessible VA lands, as translate() found it: valid while the
 * local lock that was held for translate() is still held. */
struct vm_target {
	void *host;           /* va in the vgpu's own mapping of the backing */
	uint64_t avail;       /* bytes from va to the end of its mapping */
	struct mem_bo *bo;    /* the backing BO (never NULL) ... */
	uint64_t bo_offset;   /* ... and va's offset inside it */
	uint64_t first;       /* hole-masked VA where the mapping starts */
	bool writeable;       /* the mapping has AMDGPU_VM_PAGE_WRITEABLE */
};

/* Resolves va through the submitting file's VM for a read or a write; a
 * fault message in *why and a negative errno when the access faults.
 * Local lock held. */
static int translate(struct exec_job *job, uint64_t va, bool write, struct vm_target *t,
		     const char **why)
{
	struct vgpu_mem_file *mf = job->file->mem;
	uint64_t a = va & MEM_GMC_HOLE_MASK;
	const struct mem_mapping *m = mf ? find_mapping(mf, a >> MEM_PAGE_SHIFT) : NULL;
	if (!m) {
		*why = "no mapping";
		return -EFAULT;
	}
	if (!m->bo) {
		*why = "PRT mapping without backing";
		return -EFAULT;
	}
	if (!(m->flags & AMDGPU_VM_PAGE_READABLE) ||
	    (write && !(m->flags & AMDGPU_VM_PAGE_WRITEABLE))) {
		*why = write ? "write to a mapping without WRITEABLE" : "read of a mapping without READABLE";
		return -EACCES;
	}
	struct mem_bo *bo = m->bo;
	if (!bo_allowed(job, bo->gid)) {
		*why = "BO not in the submission's BO list (AMDBARE_VGPU_STRICT_BO_LIST)";
		return -EPERM;
	}
	uint64_t off = m->offset + (a - (m->start << MEM_PAGE_SHIFT));
	t->avail = ((m->last + 1) << MEM_PAGE_SHIFT) - a;
	t->bo = bo;
	t->bo_offset = off;
	t->first = m->start << MEM_PAGE_SHIFT;
	t->writeable = (m->flags & AMDGPU_VM_PAGE_WRITEABLE) != 0;
	if (bo->is_userptr) {
		t->host = (void *)(uintptr_t)(bo->userptr + off);
		return 0;
	}
	if (!bo->kmap) {
		void *p = vgpu_real_mmap(NULL, bo->size, PROT_READ | PROT_WRITE, MAP_SHARED,
					 bo->memfd, 0);
		if (p == MAP_FAILED) {
			*why = "cannot map the BO's backing";
			return -ENOMEM;
		}
		bo->kmap = p;
	}
	t->host = (char *)bo->kmap + off;
	return 0;
}

/* Bulk copies (SDMA, CP DMA_DATA) of at least this many bytes go through
 * the BO's memfd with pread/pwrite instead of the internal mapping.  A GPU
 * writes its memory without CPU page faults; a memcpy through a mapping the
 * vgpu has never touched pays one per page, which on some hosts (nested
 * virtualisation) costs ~10 us and made the emulated copy engine 10-20x
 * slower than the kernel copying the same bytes (`cp FILE /dev/shm/`).
 * The bytes and every check are the same: translate() has already
 * validated the range (t is its result, under the same hold of the lock),
 * and the memfd and the mappings share their pages. */
#define KERNEL_COPY_MIN (64u << 10)

static bool copy_through_memfd(const struct vm_target *t, void *buf, size_t n, bool write)
{
	const struct mem_bo *bo = t->bo;
	if (bo->is_userptr || bo->memfd < 0)
		return false;
	off_t off = (off_t)t->bo_offset;
	size_t done = 0;
	while (done < n) {
		ssize_t r = write ? pwrite(bo->memfd, (char *)buf + done, n - done, off + (off_t)done)
				  : pread(bo->memfd, (char *)buf + done, n - done, off + (off_t)done);
		if (r <= 0)
			break;
		done += (size_t)r;
	}
	/* A short transfer (cannot happen inside the BO's size) falls back to
	 * the mapping, which redoes the whole range. */
	return done == n;
}

static int access_vm(struct exec_job *job, uint64_t va, void *buf, size_t len, bool write)
{
	while (len) {
		const char *why = NULL;
		struct vm_target t;
		mem_local_lock();
		int r = translate(job, va, write, &t, &why);
		if (r) {
			mem_local_unlock();
			return exec_vm_fault(job, va, write, why);
		}
		size_t n = len < t.avail ? len : (size_t)t.avail;
		if (n > COPY_CHUNK)
			n = COPY_CHUNK;
		bool done = false;
		if (n >= KERNEL_COPY_MIN)
			done = copy_through_memfd(&t, buf, n, write);
		if (!done && write)
			memcpy(t.host, buf, n);
		else if (!done)
			memcpy(buf, t.host, n);
		mem_local_unlock();
		va += n;
		buf = (char *)buf + n;
		len -= n;
	}
	return 0;
}

int exec_read(struct exec_job *job, uint64_t va, void *dst, size_t len)
{
	return access_vm(job, va, dst, len, false);
}

int exec_write(struct exec_job *job, uint64_t va, const void *src, size_t len)
{
	return access_vm(job, va, (void *)(uintptr_t)src, len, true);
}

void exec_vm_window_open(struct exec_vm_window *win, struct exec_job *job)
{
	win->job = job;
	win->held = false;
	win->cached = false;
}

void exec_vm_window_close(struct exec_vm_window *win)
{
	if (win->held)
		mem_local_unlock();
	win->held = false;
	win->cached = false;
}

/* The sizes vector memory uses, as constant-size copies the compiler
 * inlines (a libc memcpy call per lane was a visible cost). */
static void copy_small(void *dst, const void *src, size_t n)
{
	switch (n) {
	case 1: memcpy(dst, src, 1); break;
	case 2: memcpy(dst, src, 2); break;
	case 4: memcpy(dst, src, 4); break;
	case 8: memcpy(dst, src, 8); break;
	case 16: memcpy(dst, src, 16); break;
	default: memcpy(dst, src, n); break;
	}
}

/* access_vm with the lock kept: the same translation, checks and fault
 * report, plus the cache of the last mapping translated. */
int exec_vm_window_copy(struct exec_vm_window *win, uint64_t va, void *buf, size_t len,
			bool write)
{
	if (!win->held) {
		mem_local_lock();
		win->held = true;
		win->cached = false;
	}
	while (len) {
		uint64_t a = va & MEM_GMC_HOLE_MASK;
		if (win->cached && a >= win->lo && a < win->hi && (!write || win->writeable)) {
			uint64_t avail = win->hi - a;
			size_t n = len < avail ? len : (size_t)avail;
			void *host = (void *)(win->host + (uintptr_t)(a - win->lo));
			if (write)
				copy_small(host, buf, n);
			else
				copy_small(buf, host, n);
			va += n;
			buf = (char *)buf + n;
			len -= n;
			continue;
		}
		const char *why = NULL;
		struct vm_target t;
		int r = translate(win->job, va, write, &t, &why);
		if (r) {
			exec_vm_window_close(win);
			return exec_vm_fault(win->job, va, write, why);
		}
		win->cached = true;
		win->lo = t.first;
		win->hi = a + t.avail;
		win->host = (uintptr_t)t.host - (uintptr_t)(a - t.first);
		win->writeable = t.writeable;
	}
	return 0;
}

int exec_handle_gid(struct vgpu_file *f, uint32_t handle, uint32_t *gid, uint64_t *size,
		    bool *is_userptr)
{
	mem_local_lock();
	struct mem_bo *bo = f->mem ? mem_handle_lookup(f->mem, handle) : NULL;
	if (bo) {
		*gid = bo->gid;
		if (size)
			*size = bo->size;
		if (is_userptr)
			*is_userptr = bo->is_userptr;
	}
	mem_local_unlock();
	return bo ? 0 : -ENOENT;
}

/* The user fence is written by the ring through the kernel's GART
 * mapping of the BO, not the user's VM (amdgpu_cs_p1_user_fence). */
int exec_user_fence_write(uint32_t gid, uint64_t offset, uint64_t value)
{
	int r = -ENOENT;
	mem_local_lock();
	struct mem_bo *bo = mem_bo_find(gid);
	if (bo && !bo->is_userptr && offset + 8 <= bo->size) {
		if (!bo->kmap) {
			void *p = vgpu_real_mmap(NULL, bo->size, PROT_READ | PROT_WRITE, MAP_SHARED,
						 bo->memfd, 0);
			if (p != MAP_FAILED)
				bo->kmap = p;
		}
		if (bo->kmap) {
			memcpy((char *)bo->kmap + offset, &value, sizeof(value));
			r = 0;
		}
	}
	mem_local_unlock();
	return r;
}
