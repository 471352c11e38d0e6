/*
 * PRIME (drm_prime.c, amdgpu_dma_buf.c): a dma-buf is a real fd on the BO's
 * memfd, opened anew through /proc/self/fd so that it has its own open file
 * description (closing it leaves the BO's own fd alone) and is mmappable as
 * is.  Import recognises such an fd by the memfd's name,
 * "amdbare-vgpu-bo-<instance>-<global id>", or by the path of the VRAM
 * pool file that backs the BO (memory/vram_pool.c), so an fd passed to another
 * process (fork, SCM_RIGHTS) imports the same global BO there, as the
 * kernel's amdgpu_gem_prime_import does for a dma-buf of the same device.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <libdrm/amdgpu_drm.h>
#include <libdrm/drm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MEMFD_PREFIX "/memfd:amdbare-vgpu-bo-"

/* readlink(2) without going through the interposed libc entry point. */
static ssize_t fd_link(int fd, char *buf, size_t cap)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ssize_t n = syscall(SYS_readlinkat, AT_FDCWD, path, buf, cap - 1);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

int vgpu_dev_is_dmabuf_fd(int fd)
{
	char link[256];
	if (fd < 0 || fd_link(fd, link, sizeof(link)) < 0)
		return 0;
	if (strncmp(link, MEMFD_PREFIX, strlen(MEMFD_PREFIX)) == 0)
		return 1;
	/* a file of the VRAM pool that backs a BO now */
	if (!mem_shared())
		return 0;
	mem_shared_lock();
	uint32_t gid = mem_vram_pool_gid(link);
	mem_shared_unlock();
	return gid != 0;
}

/* Global id of the BO behind a dma-buf fd of this instance, or 0. */
static uint32_t dmabuf_gid(int fd)
{
	char link[256];
	if (fd_link(fd, link, sizeof(link)) < 0)
		return 0;
	size_t plen = strlen(MEMFD_PREFIX), ilen = strlen(mem_instance_name());
	if (strncmp(link, MEMFD_PREFIX, plen) != 0 && mem_shared()) {
		/* a VRAM pool file: the BO it backs now (the caller checks
		 * the inode) */
		mem_shared_lock();
		uint32_t gid = mem_vram_pool_gid(link);
		mem_shared_unlock();
		return gid;
	}
	if (strncmp(link, MEMFD_PREFIX, plen) != 0 ||
	    strncmp(link + plen, mem_instance_name(), ilen) != 0 || link[plen + ilen] != '-')
		return 0;
	char *end;
	unsigned long gid = strtoul(link + plen + ilen + 1, &end, 10);
	if (end == link + plen + ilen + 1 || (*end && *end != ' '))
		return 0;
	return (uint32_t)gid;
}

static int reopen_fd(int fd, int flags)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int r = vgpu_real_open(path, flags, 0);
	return r < 0 ? -errno : r;
}

int vgpu_ioctl_prime_handle_to_fd(struct vgpu_file *f, void *data)
{
	struct drm_prime_handle *args = data;
	/* drm_prime_handle_to_fd_ioctl: check flags are valid */
	if (args->flags & ~(uint32_t)(DRM_CLOEXEC | DRM_RDWR))
		return -EINVAL;
	mem_local_lock();
	struct mem_bo *bo = mem_handle_lookup(f->mem, args->handle);
	int r = 0;
	if (!bo) {
		r = -ENOENT;
		goto out;
	}
	mem_shared_lock();
	struct mem_gbo *g = mem_gbo_get(bo->gid);
	/* amdgpu_gem_prime_export: no userptr, no per-VM BO */
	if (!g)
		r = -ENOENT;
	else if (g->is_userptr || (g->flags & AMDGPU_GEM_CREATE_VM_ALWAYS_VALID))
		r = -EPERM;
	mem_shared_unlock();
	if (r)
		goto out;
	int fd = reopen_fd(bo->memfd, ((args->flags & DRM_RDWR) ? O_RDWR : O_RDONLY) |
				      ((args->flags & DRM_CLOEXEC) ? O_CLOEXEC : 0));
	if (fd < 0) {
		r = fd;
		goto out;
	}
	mem_shared_lock();
	g = mem_gbo_get(bo->gid);
	r = g ? mem_gbo_hold(g, 0, fd) : -ENOENT;
	mem_shared_unlock();
	if (r) {
		vgpu_real_close(fd);
		goto out;
	}
	args->fd = fd;
out:
	mem_local_unlock();
	return r;
}

int vgpu_ioctl_prime_fd_to_handle(struct vgpu_file *f, void *data)
{
	struct drm_prime_handle *args = data;
	/* dma_buf_get: -EBADF for no fd, -EINVAL for an fd that is not a
	 * dma-buf (of this device) */
	struct stat st;
	if (args->fd < 0 || vgpu_real_fstat(args->fd, &st) != 0)
		return -EBADF;
	uint32_t gid = dmabuf_gid(args->fd);
	if (!gid)
		return -EINVAL;
	mem_local_lock();
	int r = 0;
	struct mem_bo *bo = mem_bo_find(gid);
	uint32_t handle = bo ? mem_handle_of(f->mem, bo) : 0;
	if (handle) {
		/* drm_prime_lookup_buf_handle: already known to this file */
		args->handle = handle;
		goto out;
	}
	mem_shared_lock();
	struct mem_gbo *g = mem_gbo_get(gid);
	if (!g || g->ino != (uint64_t)st.st_ino || g->dev != (uint64_t)st.st_dev)
		r = -EINVAL; /* a stale fd of a BO that no longer exists */
	else
		r = mem_gbo_hold(g, 1, -1);
	uint64_t size = g ? g->size : 0;
	mem_shared_unlock();
	if (r)
		goto out;
	bool fresh = false;
	if (!bo) {
		int fd = reopen_fd(args->fd, O_RDWR | O_CLOEXEC);
		bo = fd >= 0 ? mem_bo_new(gid, fd, size) : NULL;
		if (!bo) {
			if (fd >= 0)
				vgpu_real_close(fd);
			r = fd < 0 ? fd : -ENOMEM;
		}
		fresh = true;
	}
	if (!r)
		r = mem_handle_create(f->mem, bo, true, &handle);
	if (r) {
		mem_shared_lock();
		g = mem_gbo_get(gid);
		if (g)
			mem_gbo_release(g, 1);
		mem_shared_unlock();
		if (bo && fresh)
			mem_bo_drop_unreferenced(bo);
		goto out;
	}
	args->handle = handle;
out:
	mem_local_unlock();
	return r;
}
