/*
 * GEM object ioctls of amdgpu (Linux 6.1 amdgpu_gem.c, amdgpu_object.c,
 * drm_gem.c): CREATE, CLOSE, MMAP (offset), WAIT_IDLE, METADATA, OP.
 * Every BO is backed by one file, sized with ftruncate (sparse: only the
 * pages touched cost memory), whatever its placement: placement is
 * bookkeeping in the shared table, contents never move.  A BO created in
 * VRAM takes a file of the VRAM pool (memory/vram_pool.c), whose pages
 * outlive it; any other BO gets its own memfd.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <libdrm/amdgpu_drm.h>
#include <libdrm/drm.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

/* amdgpu_drm.h of 6.11+, absent from libdrm 2.4.114's header */
#define MEM_GEM_CREATE_GFX12_DCC (1ull << 16)

int mem_copy_to_user(uint64_t uptr, const void *src, size_t len)
{
	/* copy_to_user: a bad pointer is -EFAULT, not a crash */
	struct iovec local = { .iov_base = (void *)src, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)uptr, .iov_len = len };
	if (len == 0)
		return 0;
	if (!uptr)
		return -EFAULT;
	ssize_t n = process_vm_writev(getpid(), &local, 1, &remote, 1, 0);
	if (n < 0 && (errno == ENOSYS || errno == EPERM)) {
		/* a sandbox without process_vm_writev: /proc/self/mem also
		 * fails cleanly (EIO) on an unmapped address */
		int fd = vgpu_real_open("/proc/self/mem", O_RDWR | O_CLOEXEC, 0);
		if (fd < 0)
			return -EFAULT;
		n = pwrite(fd, src, len, (off_t)uptr);
		vgpu_real_close(fd);
	}
	return n == (ssize_t)len ? 0 : -EFAULT;
}

/* amdgpu_gem_are_domains_valid: special domains only alone, one at a time */
static bool domains_valid(uint32_t domains)
{
	uint32_t normal = AMDGPU_GEM_DOMAIN_CPU | AMDGPU_GEM_DOMAIN_GTT | AMDGPU_GEM_DOMAIN_VRAM;
	uint32_t special = AMDGPU_GEM_DOMAIN_MASK & ~normal;
	uint32_t normal_mask = domains & normal, special_mask = domains & special;
	if (!special_mask)
		return true;
	if (normal_mask)
		return false;
	return !(special_mask & (special_mask - 1));
}

/* amdgpu_bo_validate_size: a BO must be smaller than the whole heap it may
 * land in (GTT when GTT is allowed, so the fallback stays possible). */
static bool validate_size(uint64_t size, uint32_t domain)
{
	struct mem_shared *s = mem_shared();
	if (domain & AMDGPU_GEM_DOMAIN_GTT)
		return size < s->gtt_size;
	if (domain & AMDGPU_GEM_DOMAIN_VRAM)
		return size < s->vram_size;
	return true;
}

/* amdgpu_bo_create for a user BO (ttm_bo_type_device), shared lock held.
 * On success the BO exists with one handle reference held by this process. */
int mem_bo_create_locked(uint64_t size, int alignment, uint32_t domain, uint64_t flags,
			    struct mem_gbo **out)
{
	uint64_t byte_align = (uint64_t)(int64_t)alignment; /* int -> unsigned long */
	uint64_t page_align;
	/* Note that GDS/GWS/OA allocates 1 page per byte/resource. */
	if (domain & (AMDGPU_GEM_DOMAIN_GWS | AMDGPU_GEM_DOMAIN_OA)) {
		page_align = byte_align;
		size <<= MEM_PAGE_SHIFT;
	} else if (domain & AMDGPU_GEM_DOMAIN_GDS) {
		page_align = (byte_align + 3) & ~3ULL;
		size = ((size + 3) & ~3ULL) << MEM_PAGE_SHIFT;
	} else {
		page_align = ((byte_align + MEM_PAGE_SIZE - 1) & ~(MEM_PAGE_SIZE - 1)) >> MEM_PAGE_SHIFT;
		size = (size + MEM_PAGE_SIZE - 1) & ~(MEM_PAGE_SIZE - 1);
	}
	if (!validate_size(size, domain))
		return -ENOMEM;
	/* ttm_bo_init_reserved -> drm_vma_offset_add: drm_mm refuses 0 pages
	 * and ranges larger than the free offset space */
	uint64_t vma_start;
	int r = mem_vma_alloc(size >> MEM_PAGE_SHIFT, &vma_start);
	if (r)
		return r;

	struct mem_gbo *g = mem_gbo_alloc();
	if (!g) {
		vgpu_log("vgpu: mem: BO table full (%d BOs)", MEM_MAX_BOS);
		return -ENOMEM;
	}
	g->size = size;
	g->page_alignment = (uint32_t)page_align;
	g->preferred_domains = domain;
	g->allowed_domains = domain;
	if (!(flags & AMDGPU_GEM_CREATE_DISCARDABLE) && g->allowed_domains == AMDGPU_GEM_DOMAIN_VRAM)
		g->allowed_domains |= AMDGPU_GEM_DOMAIN_GTT;
	/* amdgpu_bo_support_uswc: x86-64 with PAT keeps USWC */
	g->flags = flags;
	mem_res_init_system(g);
	g->vma_start = vma_start;

	struct mem_place pl[6];
	int n;
	if (domain & (AMDGPU_GEM_DOMAIN_GWS | AMDGPU_GEM_DOMAIN_OA | AMDGPU_GEM_DOMAIN_GDS))
		n = mem_places_from_domain(AMDGPU_GEM_DOMAIN_CPU, g->flags, pl);
	else
		n = mem_places_from_domain(domain, g->flags, pl);
	/* the reference the handle will own, taken first so that a sweep
	 * during placement never sees an unreferenced BO */
	r = mem_gbo_hold(g, 1, -1);
	if (!r)
		r = mem_validate(g, pl, n, pl, n);
	if (r) {
		mem_gbo_free(g);
		return r;
	}
	/* Treat CPU_ACCESS_REQUIRED only as a hint if given by UMD */
	g->flags &= ~(uint64_t)AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED;
	*out = g;
	return 0;
}

/* The memfd of a new BO (outside the shared lock: it is a syscall). */
static int make_memfd(uint32_t gid, uint64_t size, uint64_t *ino, uint64_t *dev)
{
	char name[200];
	mem_bo_memfd_name(gid, name, sizeof(name));
	int fd = memfd_create(name, MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (ftruncate(fd, (off_t)size) != 0 || vgpu_real_fstat(fd, &st) != 0) {
		int e = errno;
		vgpu_real_close(fd);
		return -e;
	}
	*ino = st.st_ino;
	*dev = st.st_dev;
	return fd;
}

/* Gives a just-created BO (one reference held) its memfd, a local object
 * and a handle in `mf`; undoes everything on failure. */
int mem_bo_install(struct vgpu_mem_file *mf, uint32_t gid, uint64_t size, int memfd,
			  uint32_t *handle, struct mem_bo **out)
{
	uint64_t ino = 0, dev = 0;
	int fd = memfd;
	uint32_t vf = 0;
	if (fd == -2) {
		/* a VRAM BO: a file of the VRAM pool (memory/vram_pool.c) */
		mem_shared_lock();
		struct mem_gbo *g = mem_gbo_get(gid);
		vf = g ? mem_vram_pool_take(g) : 0;
		bool clear = g && mem_vram_clears(g->flags);
		mem_shared_unlock();
		if (vf) {
			fd = mem_vram_pool_open(vf, size, clear, &ino, &dev);
			if (fd < 0) {
				vgpu_log("vgpu: mem: VRAM pool file %u for BO %u (%llu bytes): %s; "
					 "a memfd backs it", vf - 1, gid, (unsigned long long)size,
					 strerror(-fd));
				mem_shared_lock();
				g = mem_gbo_get(gid);
				if (g && g->vram_file == vf)
					g->vram_file = 0;
				mem_vram_pool_drop(vf);
				mem_shared_unlock();
				vf = 0;
				fd = -2;
			}
		}
	}
	if (fd == -2) {
		fd = make_memfd(gid, size, &ino, &dev);
		if (fd < 0) {
			vgpu_log("vgpu: mem: memfd for BO %u (%llu bytes) failed: %s", gid,
				 (unsigned long long)size, strerror(-fd));
			fd = -ENOMEM;
		}
	}
	struct mem_bo *bo = fd >= -1 ? mem_bo_new(gid, fd, size) : NULL;
	int r = bo ? mem_handle_create(mf, bo, true, handle) : (fd < -1 ? fd : -ENOMEM);
	mem_shared_lock();
	struct mem_gbo *g = mem_gbo_get(gid);
	if (r == 0 && g) {
		g->ino = ino;
		g->dev = dev;
		if (vf && g->vram_file == vf) {
			struct mem_vram_file *pf = &mem_shared()->vram_file[vf - 1];
			pf->exists = 1;
			pf->size = size;
			pf->ino = ino;
			pf->dev = dev;
		}
	} else if (g) {
		mem_gbo_release(g, 1);
	}
	mem_shared_unlock();
	if (r) {
		if (bo)
			mem_bo_drop_unreferenced(bo);
		else if (fd >= 0)
			vgpu_real_close(fd);
		return r;
	}
	if (out)
		*out = bo;
	return 0;
}

int mem_gem_create_handle(struct vgpu_mem_file *mf, uint64_t size, int alignment,
			  uint32_t domain, uint64_t flags, int memfd, uint32_t *handle,
			  struct mem_bo **out)
{
	struct mem_gbo *g;
	mem_shared_lock();
	int r = mem_bo_create_locked(size, alignment, domain, flags, &g);
	uint32_t gid = r ? 0 : g->id;
	uint64_t bo_size = r ? 0 : g->size;
	mem_shared_unlock();
	if (r)
		return r;
	return mem_bo_install(mf, gid, bo_size, memfd, handle, out);
}

int vgpu_ioctl_gem_create(struct vgpu_file *f, void *data)
{
	union drm_amdgpu_gem_create *args = data;
	uint64_t flags = args->in.domain_flags;
	uint64_t size = args->in.bo_size;

	/* amdgpu_gem_create_ioctl: reject invalid gem flags.  The kernels
	 * from 6.11 on also accept AMDGPU_GEM_CREATE_GFX12_DCC (bit 16, "drm/
	 * amdgpu: add AMDGPU_GEM_CREATE_GFX12_DCC"); 6.1 and 6.8 refuse it. */
	uint64_t valid = AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED |
			 AMDGPU_GEM_CREATE_NO_CPU_ACCESS |
			 AMDGPU_GEM_CREATE_CPU_GTT_USWC |
			 AMDGPU_GEM_CREATE_VRAM_CLEARED |
			 AMDGPU_GEM_CREATE_VM_ALWAYS_VALID |
			 AMDGPU_GEM_CREATE_EXPLICIT_SYNC |
			 AMDGPU_GEM_CREATE_ENCRYPTED |
			 AMDGPU_GEM_CREATE_DISCARDABLE;
	const struct vgpu_profile *prof = vgpu_profile_get(NULL);
	if (prof && prof->kernel >= VGPU_KERNEL_6_12)
		valid |= MEM_GEM_CREATE_GFX12_DCC;
	if (flags & ~valid)
		return -EINVAL;
	/* reject invalid gem domains */
	if (args->in.domains & ~(uint64_t)AMDGPU_GEM_DOMAIN_MASK)
		return -EINVAL;
	if (!domains_valid((uint32_t)args->in.domains))
		return -EINVAL;
	/* TMZ off on this chip: "Cannot allocate secure buffer" */
	if (!mem_shared()->tmz && (flags & AMDGPU_GEM_CREATE_ENCRYPTED))
		return -EINVAL;
	if (args->in.domains & (AMDGPU_GEM_DOMAIN_GDS | AMDGPU_GEM_DOMAIN_GWS | AMDGPU_GEM_DOMAIN_OA)) {
		/* "GDS bo cannot be per-vm-bo" */
		if (flags & AMDGPU_GEM_CREATE_VM_ALWAYS_VALID)
			return -EINVAL;
		flags |= AMDGPU_GEM_CREATE_NO_CPU_ACCESS;
	}

	uint32_t initial_domain = (uint32_t)args->in.domains;
	int alignment = (int)args->in.alignment; /* amdgpu_gem_object_create takes an int */
	uint32_t handle = 0;
	int r;
	mem_local_lock();
	for (;;) {
		r = mem_gem_create_handle(f->mem, size, alignment, initial_domain, flags, -2,
					  &handle, NULL);
		if (!r)
			break;
		/* the kernel's retry policy */
		if (flags & AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED) {
			flags &= ~(uint64_t)AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED;
			continue;
		}
		if (initial_domain == AMDGPU_GEM_DOMAIN_VRAM) {
			initial_domain |= AMDGPU_GEM_DOMAIN_GTT;
			continue;
		}
		break;
	}
	mem_local_unlock();
	if (r)
		return r;
	memset(args, 0, sizeof(*args));
	args->out.handle = handle;
	return 0;
}

int vgpu_ioctl_gem_close(struct vgpu_file *f, void *data)
{
	struct drm_gem_close *args = data;
	mem_local_lock();
	int r = mem_handle_delete(f->mem, args->handle); /* drm_gem_close_ioctl */
	mem_local_unlock();
	return r;
}

int vgpu_ioctl_gem_mmap(struct vgpu_file *f, void *data)
{
	union drm_amdgpu_gem_mmap *args = data;
	uint32_t handle = args->in.handle;
	memset(args, 0, sizeof(*args));
	/* amdgpu_mode_dumb_mmap */
	mem_local_lock();
	struct mem_bo *bo = mem_handle_lookup(f->mem, handle);
	int r = 0;
	if (!bo) {
		r = -ENOENT;
	} else {
		mem_shared_lock();
		struct mem_gbo *g = mem_gbo_get(bo->gid);
		if (!g)
			r = -ENOENT;
		else if (g->is_userptr || (g->flags & AMDGPU_GEM_CREATE_NO_CPU_ACCESS))
			r = -EPERM;
		else
			args->out.addr_ptr = g->vma_start << MEM_PAGE_SHIFT;
		mem_shared_unlock();
	}
	mem_local_unlock();
	return r;
}

int vgpu_mem_handle_gid(struct vgpu_file *f, uint32_t handle, uint32_t *gid)
{
	mem_local_lock();
	struct mem_bo *bo = mem_handle_lookup(f->mem, handle);
	*gid = bo ? bo->gid : 0;
	mem_local_unlock();
	return bo ? 0 : -ENOENT;
}

int vgpu_ioctl_gem_metadata(struct vgpu_file *f, void *data)
{
	struct drm_amdgpu_gem_metadata *args = data;
	mem_local_lock();
	struct mem_bo *bo = mem_handle_lookup(f->mem, args->handle);
	if (!bo) {
		mem_local_unlock();
		return -ENOENT;
	}
	int r = 0;
	mem_shared_lock();
	struct mem_gbo *g = mem_gbo_get(bo->gid);
	if (!g) {
		r = -ENOENT;
	} else if (args->op == AMDGPU_GEM_METADATA_OP_GET_METADATA) {
		/* amdgpu_bo_get_tiling_flags + amdgpu_bo_get_metadata */
		args->data.tiling_info = g->tiling_flags;
		if (g->metadata_size)
			memcpy(args->data.data, g->metadata, g->metadata_size);
		args->data.data_size_bytes = g->metadata_size;
		args->data.flags = g->metadata_flags;
	} else if (args->op == AMDGPU_GEM_METADATA_OP_SET_METADATA) {
		if (args->data.data_size_bytes > sizeof(args->data.data)) {
			r = -EINVAL;
		} else {
			/* amdgpu_bo_set_tiling_flags: the TILE_SPLIT check only
			 * applies to families <= CZ, older than every profile */
			g->tiling_flags = args->data.tiling_info;
			/* amdgpu_bo_set_metadata: size 0 clears the blob and
			 * leaves the flags as they were */
			if (args->data.data_size_bytes == 0) {
				g->metadata_size = 0;
			} else {
				memcpy(g->metadata, args->data.data, args->data.data_size_bytes);
				g->metadata_size = args->data.data_size_bytes;
				g->metadata_flags = args->data.flags;
			}
		}
	}
	/* any other op: amdgpu_gem_metadata_ioctl returns the reserve's 0 */
	mem_shared_unlock();
	mem_local_unlock();
	return r;
}

int vgpu_ioctl_gem_op(struct vgpu_file *f, void *data)
{
	struct drm_amdgpu_gem_op *args = data;
	mem_local_lock();
	struct mem_bo *bo = mem_handle_lookup(f->mem, args->handle);
	if (!bo) {
		mem_local_unlock();
		return -ENOENT;
	}
	int r = 0;
	mem_shared_lock();
	struct mem_gbo *g = mem_gbo_get(bo->gid);
	if (!g) {
		mem_shared_unlock();
		mem_local_unlock();
		return -ENOENT;
	}
	switch (args->op) {
	case AMDGPU_GEM_OP_GET_GEM_CREATE_INFO: {
		struct drm_amdgpu_gem_create_in info;
		memset(&info, 0, sizeof(info));
		info.bo_size = g->size;
		/* tbo.page_alignment << PAGE_SHIFT, computed in 32 bits */
		info.alignment = (uint32_t)(g->page_alignment << MEM_PAGE_SHIFT);
		info.domains = g->preferred_domains;
		info.domain_flags = g->flags;
		mem_shared_unlock();
		mem_local_unlock();
		return mem_copy_to_user(args->value, &info, sizeof(info));
	}
	case AMDGPU_GEM_OP_SET_PLACEMENT:
		/* import_attach is only set for foreign dma-bufs, which the
		 * vgpu never imports; a userptr BO cannot change placement */
		if (g->is_userptr) {
			r = -EPERM;
			break;
		}
		g->preferred_domains = (uint32_t)(args->value & (AMDGPU_GEM_DOMAIN_VRAM |
								  AMDGPU_GEM_DOMAIN_GTT |
								  AMDGPU_GEM_DOMAIN_CPU));
		g->allowed_domains = g->preferred_domains;
		if (g->allowed_domains == AMDGPU_GEM_DOMAIN_VRAM)
			g->allowed_domains |= AMDGPU_GEM_DOMAIN_GTT;
		break;
	default:
		r = -EINVAL;
	}
	mem_shared_unlock();
	mem_local_unlock();
	return r;
}

int mem_handle_domain(struct vgpu_mem_file *mf, uint32_t handle, uint32_t *preferred,
		      uint64_t *size)
{
	int r = -ENOENT;
	mem_local_lock();
	struct mem_bo *bo = mf ? mem_handle_lookup(mf, handle) : NULL;
	if (bo) {
		mem_shared_lock();
		struct mem_gbo *g = mem_gbo_get(bo->gid);
		if (g) {
			*preferred = g->preferred_domains;
			*size = g->size;
			r = 0;
		}
		mem_shared_unlock();
	}
	mem_local_unlock();
	return r;
}
