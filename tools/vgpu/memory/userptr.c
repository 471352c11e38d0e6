/*
 * GEM_USERPTR (amdgpu_gem_userptr_ioctl, amdgpu_ttm_tt_get_user_pages):
 * a BO whose pages are the caller's own memory.
 *
 * A memfd cannot alias existing anonymous memory, so a userptr BO has no
 * memfd: the vgpu keeps the user address, and GPU access (vgpu_vm_translate)
 * goes straight to the user's pages, which is what the GPU would see.  CPU
 * access is the user's own pointer; GEM_MMAP and PRIME export refuse it as
 * the kernel does (-EPERM).
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libdrm/amdgpu_drm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* amdgpu_ttm_tt_get_user_pages + hmm_range_fault on [addr, addr+size):
 * -EFAULT if the start (or any page) is not mapped, -EPERM for a
 * file-backed start with ANONONLY, or a read-only page of a writable BO. */
static int check_user_pages(uint64_t addr, uint64_t size, uint32_t flags)
{
	char *maps = mem_read_maps("/proc/self/maps");
	if (!maps)
		return -ENOMEM;
	uint64_t want = addr, end = addr + size;
	bool first = true;
	int r = -EFAULT;
	for (char *line = maps; line && *line; ) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		uint64_t lo, hi, ino = 0;
		char perms[8] = "";
		unsigned long long off;
		char devs[16];
		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %llx %15s %" SCNu64, &lo, &hi, perms,
			   &off, devs, &ino) >= 3 && lo <= want && want < hi) {
			if (first && (flags & AMDGPU_GEM_USERPTR_ANONONLY) && ino != 0) {
				r = -EPERM;
				break;
			}
			first = false;
			if (!(flags & AMDGPU_GEM_USERPTR_READONLY) && perms[1] != 'w') {
				r = -EPERM;
				break;
			}
			want = hi;
			if (want >= end) {
				r = 0;
				break;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	free(maps);
	return r;
}

int vgpu_ioctl_gem_userptr(struct vgpu_file *f, void *data)
{
	struct drm_amdgpu_gem_userptr *args = data;
	/* amdgpu_gem_userptr_ioctl (untagged_addr is the identity on x86-64) */
	if ((args->addr | args->size) & (MEM_PAGE_SIZE - 1))
		return -EINVAL;
	/* reject unknown flag values */
	if (args->flags & ~(uint32_t)(AMDGPU_GEM_USERPTR_READONLY | AMDGPU_GEM_USERPTR_ANONONLY |
				      AMDGPU_GEM_USERPTR_VALIDATE | AMDGPU_GEM_USERPTR_REGISTER))
		return -EINVAL;
	/* if we want to write to it we must install a MMU notifier */
	if (!(args->flags & AMDGPU_GEM_USERPTR_READONLY) &&
	    !(args->flags & AMDGPU_GEM_USERPTR_REGISTER))
		return -EACCES;

	mem_local_lock();
	struct mem_gbo *g;
	mem_shared_lock();
	int r = mem_bo_create_locked(args->size, 0, AMDGPU_GEM_DOMAIN_CPU, 0, &g);
	uint32_t gid = 0;
	uint64_t size = 0;
	if (!r) {
		g->preferred_domains = AMDGPU_GEM_DOMAIN_GTT;
		g->allowed_domains = AMDGPU_GEM_DOMAIN_GTT;
		g->is_userptr = 1;
		gid = g->id;
		size = g->size;
	}
	mem_shared_unlock();
	if (r) {
		mem_local_unlock();
		return r;
	}
	if (args->flags & AMDGPU_GEM_USERPTR_VALIDATE) {
		r = check_user_pages(args->addr, size, args->flags);
		if (!r) {
			struct mem_place pl[1];
			int n = mem_places_from_domain(AMDGPU_GEM_DOMAIN_GTT, 0, pl);
			mem_shared_lock();
			g = mem_gbo_get(gid);
			r = g ? mem_validate(g, pl, n, pl, n) : -ENOENT;
			mem_shared_unlock();
		}
	}
	uint32_t handle = 0;
	struct mem_bo *bo = NULL;
	if (r) {
		mem_shared_lock();
		g = mem_gbo_get(gid);
		if (g)
			mem_gbo_release(g, 1);
		mem_shared_unlock();
	} else {
		r = mem_bo_install(f->mem, gid, size, -1, &handle, &bo);
	}
	if (!r) {
		bo->is_userptr = true;
		bo->userptr = args->addr;
		bo->userptr_flags = args->flags;
		args->handle = handle;
	}
	mem_local_unlock();
	return r;
}
