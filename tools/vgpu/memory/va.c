/*
 * GEM_VA: the per-file GPU VM (amdgpu_gem_va_ioctl, amdgpu_vm_bo_map,
 * amdgpu_vm_bo_unmap, amdgpu_vm_bo_replace_map, amdgpu_vm_bo_clear_mappings,
 * amdgpu_vm_bo_del).  Mappings are kept in an array sorted by start page,
 * standing in for the kernel's interval tree; each mapping belongs to the
 * bo_va of its BO (or to the file's PRT bo_va when it has no BO).
 */
#include "internal.h"
#include "vm.h"

#include <errno.h>
#include <libdrm/amdgpu_drm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Index of the first mapping whose last page >= `page`. */
static size_t first_ending_at_or_after(const struct vgpu_mem_file *mf, uint64_t page)
{
	size_t lo = 0, hi = mf->nmaps;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (mf->maps[mid].last < page)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* amdgpu_vm_it_iter_first(&vm->va, start, last): index or -1. */
static long find_overlap(const struct vgpu_mem_file *mf, uint64_t start, uint64_t last)
{
	size_t i = first_ending_at_or_after(mf, start);
	if (i < mf->nmaps && mf->maps[i].start <= last)
		return (long)i;
	return -1;
}

static int insert_map(struct vgpu_mem_file *mf, const struct mem_mapping *m)
{
	if (mf->nmaps == mf->capmaps) {
		size_t ncap = mf->capmaps ? mf->capmaps * 2 : 16;
		struct mem_mapping *n = realloc(mf->maps, ncap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		mf->maps = n;
		mf->capmaps = ncap;
	}
	size_t i = first_ending_at_or_after(mf, m->start);
	memmove(&mf->maps[i + 1], &mf->maps[i], (mf->nmaps - i) * sizeof(*m));
	mf->maps[i] = *m;
	mf->nmaps++;
	return 0;
}

static void remove_map(struct vgpu_mem_file *mf, size_t i)
{
	memmove(&mf->maps[i], &mf->maps[i + 1], (mf->nmaps - i - 1) * sizeof(mf->maps[0]));
	mf->nmaps--;
}

/* amdgpu_vm_verify_parameters */
static int verify_parameters(const struct mem_bo *bo, uint64_t saddr, uint64_t offset,
			     uint64_t size)
{
	uint64_t mask = MEM_PAGE_SIZE - 1, tmp;
	if ((saddr & mask) || (offset & mask) || (size & mask))
		return -EINVAL;
	if (__builtin_add_overflow(saddr, size, &tmp) ||
	    __builtin_add_overflow(offset, size, &tmp) || size == 0)
		return -EINVAL;
	/* make sure object fit at this offset */
	if (bo && offset + size > bo->size)
		return -EINVAL;
	/* Ensure last pfn not exceed max_pfn */
	if (((saddr + size - 1) >> MEM_PAGE_SHIFT) >= MEM_VM_MAX_PFN)
		return -EINVAL;
	return 0;
}

static int vm_bo_map(struct vgpu_mem_file *mf, struct mem_bo *bo, uint64_t saddr,
		     uint64_t offset, uint64_t size, uint32_t flags)
{
	int r = verify_parameters(bo, saddr, offset, size);
	if (r)
		return r;
	struct mem_mapping m = {
		.start = saddr / MEM_PAGE_SIZE,
		.last = saddr / MEM_PAGE_SIZE + (size - 1) / MEM_PAGE_SIZE,
		.offset = offset, .flags = flags, .bo = bo,
	};
	/* bo and tmp overlap, invalid addr */
	if (find_overlap(mf, m.start, m.last) >= 0)
		return -EINVAL;
	return insert_map(mf, &m);
}

static int vm_bo_unmap(struct vgpu_mem_file *mf, struct mem_bo *bo, uint64_t saddr)
{
	uint64_t page = saddr / MEM_PAGE_SIZE;
	size_t i = first_ending_at_or_after(mf, page);
	/* only a mapping of this bo_va starting exactly there */
	if (i < mf->nmaps && mf->maps[i].start == page && mf->maps[i].bo == bo) {
		remove_map(mf, i);
		return 0;
	}
	return -ENOENT;
}

static int vm_bo_clear_mappings(struct vgpu_mem_file *mf, uint64_t saddr, uint64_t size)
{
	int r = verify_parameters(NULL, saddr, 0, size);
	if (r)
		return r;
	uint64_t start = saddr / MEM_PAGE_SIZE;
	uint64_t last = start + (size - 1) / MEM_PAGE_SIZE;
	struct mem_mapping before = { 0 }, after = { 0 };
	bool have_before = false, have_after = false;
	long i;
	while ((i = find_overlap(mf, start, last)) >= 0) {
		struct mem_mapping tmp = mf->maps[i];
		/* Remember mapping split at the start */
		if (tmp.start < start) {
			before = tmp;
			before.last = start - 1;
			have_before = true;
		}
		/* Remember mapping split at the end */
		if (tmp.last > last) {
			after = tmp;
			after.start = last + 1;
			after.offset += (after.start - tmp.start) << MEM_PAGE_SHIFT;
			have_after = true;
		}
		remove_map(mf, (size_t)i);
	}
	if (have_before && (r = insert_map(mf, &before)))
		return r;
	if (have_after && (r = insert_map(mf, &after)))
		return r;
	return 0;
}

void mem_vm_bo_del(struct vgpu_mem_file *mf, struct mem_bo *bo)
{
	for (size_t i = 0; i < mf->nmaps;) {
		if (mf->maps[i].bo == bo)
			remove_map(mf, i);
		else
			i++;
	}
}

void mem_vm_fini(struct vgpu_mem_file *mf)
{
	mf->nmaps = 0; /* amdgpu_vm_fini: PRT mappings and any left over */
}

int vgpu_ioctl_gem_va(struct vgpu_file *f, void *data)
{
	const uint32_t valid_flags = AMDGPU_VM_DELAY_UPDATE | AMDGPU_VM_PAGE_READABLE |
		AMDGPU_VM_PAGE_WRITEABLE | AMDGPU_VM_PAGE_EXECUTABLE | AMDGPU_VM_MTYPE_MASK |
		AMDGPU_VM_PAGE_NOALLOC;
	const uint32_t prt_flags = AMDGPU_VM_DELAY_UPDATE | AMDGPU_VM_PAGE_PRT;
	struct drm_amdgpu_gem_va *args = data;

	/* amdgpu_gem_va_ioctl */
	if (args->va_address < MEM_VA_RESERVED_SIZE)
		return -EINVAL; /* in reserved area */
	if (args->va_address >= MEM_GMC_HOLE_START && args->va_address < MEM_GMC_HOLE_END)
		return -EINVAL; /* in VA hole */
	uint64_t va = args->va_address & MEM_GMC_HOLE_MASK;
	uint64_t vm_size = MEM_VM_MAX_PFN * MEM_PAGE_SIZE - MEM_VA_RESERVED_SIZE;
	if (va + args->map_size > vm_size)
		return -EINVAL; /* in top reserved area */
	if ((args->flags & ~valid_flags) && (args->flags & ~prt_flags))
		return -EINVAL; /* invalid flags combination */
	switch (args->operation) {
	case AMDGPU_VA_OP_MAP:
	case AMDGPU_VA_OP_UNMAP:
	case AMDGPU_VA_OP_CLEAR:
	case AMDGPU_VA_OP_REPLACE:
		break;
	default:
		return -EINVAL;
	}

	mem_local_lock();
	struct vgpu_mem_file *mf = f->mem;
	struct mem_bo *bo = NULL;
	int r = 0;
	if (args->operation != AMDGPU_VA_OP_CLEAR && !(args->flags & AMDGPU_VM_PAGE_PRT)) {
		bo = mem_handle_lookup(mf, args->handle);
		if (!bo) {
			mem_local_unlock();
			return -ENOENT;
		}
	}
	switch (args->operation) {
	case AMDGPU_VA_OP_MAP:
		r = vm_bo_map(mf, bo, va, args->offset_in_bo, args->map_size, args->flags);
		break;
	case AMDGPU_VA_OP_UNMAP:
		r = vm_bo_unmap(mf, bo, va);
		break;
	case AMDGPU_VA_OP_CLEAR:
		r = vm_bo_clear_mappings(mf, va, args->map_size);
		break;
	case AMDGPU_VA_OP_REPLACE:
		/* amdgpu_vm_bo_replace_map */
		r = verify_parameters(bo, va, args->offset_in_bo, args->map_size);
		if (!r)
			r = vm_bo_clear_mappings(mf, va, args->map_size);
		if (!r)
			r = vm_bo_map(mf, bo, va, args->offset_in_bo, args->map_size, args->flags);
		break;
	}
	mem_local_unlock();
	return r;
}

int vgpu_vm_translate(struct vgpu_file *f, uint64_t va, size_t len, int write, void **host)
{
	if (len == 0)
		len = 1;
	va &= MEM_GMC_HOLE_MASK;
	mem_local_lock();
	struct vgpu_mem_file *mf = f->mem;
	int r = 0;
	uint64_t page = va >> MEM_PAGE_SHIFT, last = (va + len - 1) >> MEM_PAGE_SHIFT;
	long i = mf ? find_overlap(mf, page, page) : -1;
	if (i < 0) {
		r = -EFAULT;
		goto out;
	}
	const struct mem_mapping *m = &mf->maps[i];
	if (last > m->last || !m->bo) {
		r = -EFAULT;
		goto out;
	}
	if (!(m->flags & AMDGPU_VM_PAGE_READABLE) ||
	    (write && !(m->flags & AMDGPU_VM_PAGE_WRITEABLE))) {
		r = -EACCES;
		goto out;
	}
	uint64_t off = m->offset + (va - (m->start << MEM_PAGE_SHIFT));
	struct mem_bo *bo = m->bo;
	if (bo->is_userptr) {
		*host = (void *)(uintptr_t)(bo->userptr + off);
		goto out;
	}
	if (!bo->kmap) {
		void *p = vgpu_real_mmap(NULL, bo->size, PROT_READ | PROT_WRITE, MAP_SHARED, bo->memfd, 0);
		if (p == MAP_FAILED) {
			r = -ENOMEM;
			goto out;
		}
		bo->kmap = p;
	}
	*host = (char *)bo->kmap + off;
out:
	mem_local_unlock();
	return r;
}
