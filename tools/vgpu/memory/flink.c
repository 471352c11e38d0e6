/*
 * GEM flink names (drm_gem.c: drm_gem_flink_ioctl, drm_gem_open_ioctl):
 * a global name for a GEM object that any authenticated file of the
 * primary node can open as a new handle.  The dispatcher gives both
 * ioctls DRM_AUTH without DRM_RENDER_ALLOW, as the kernel's table does, so
 * a render node gets -EACCES before these run.
 *
 * The name of an object is its instance-wide id (unique while the object
 * lives, never 0), recorded in the shared table when FLINK first names
 * it; GEM_OPEN of a name never flinked, or of a freed object, is -ENOENT.
 * A process that has no local copy of the object finds the memfd in a
 * holder process's fd table (/proc/<pid>/fd, by the memfd's name) and
 * reopens it, as PRIME import reopens a dma-buf fd.
 */
#include "internal.h"
#include <libdrm/drm.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* /proc/<pid>/fd/<name>: d_name may be up to 255 bytes */
#define FD_PATH_MAX 336

int vgpu_ioctl_gem_flink(struct vgpu_file *f, void *data)
{
	struct drm_gem_flink *args = data;
	mem_local_lock();
	struct mem_bo *bo = mem_handle_lookup(f->mem, args->handle);
	int r = -ENOENT;
	if (bo) {
		mem_shared_lock();
		struct mem_gbo *g = mem_gbo_get(bo->gid);
		if (g) {
			if (!g->flink_name)
				g->flink_name = g->id;
			args->name = g->flink_name;
			r = 0;
		}
		mem_shared_unlock();
	}
	mem_local_unlock();
	return r;
}

/* An fd of this process on the memfd of object `gid`, reopened from the
 * fd table of process `pid`, checked against the object's inode; -1 if
 * there is none. */
static int memfd_from_process(int32_t pid, uint32_t gid, uint64_t ino, uint64_t dev)
{
	char name[128], want[160], dir[64];
	mem_bo_memfd_name(gid, name, sizeof(name));
	snprintf(want, sizeof(want), "/memfd:%s", name);
	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	int dfd = (int)syscall(SYS_openat, AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	char buf[4096];
	int found = -1;
	for (;;) {
		long n = syscall(SYS_getdents64, dfd, buf, sizeof(buf));
		if (n <= 0)
			break;
		for (long off = 0; off < n && found < 0;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			off += d->d_reclen;
			if (d->d_name[0] == '.')
				continue;
			char path[FD_PATH_MAX], link[256];
			snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
			long l = syscall(SYS_readlinkat, AT_FDCWD, path, link, sizeof(link) - 1);
			if (l < 0)
				continue;
			link[l] = '\0';
			size_t wl = strlen(want);
			if (strncmp(link, want, wl) != 0 || (link[wl] && link[wl] != ' '))
				continue;
			int fd = vgpu_real_open(path, O_RDWR | O_CLOEXEC, 0);
			struct stat st;
			if (fd >= 0 && vgpu_real_fstat(fd, &st) == 0 && (uint64_t)st.st_ino == ino &&
			    (uint64_t)st.st_dev == dev)
				found = fd;
			else if (fd >= 0)
				vgpu_real_close(fd);
		}
		if (found >= 0)
			break;
	}
	vgpu_real_close(dfd);
	return found;
}

int vgpu_ioctl_gem_open(struct vgpu_file *f, void *data)
{
	struct drm_gem_open *args = data;
	uint32_t gid = args->name;
	if (gid == 0)
		return -ENOENT;
	mem_local_lock();
	mem_shared_lock();
	struct mem_gbo *g = mem_gbo_get(gid);
	int r = (g && g->flink_name == gid) ? 0 : -ENOENT;
	uint64_t size = 0, ino = 0, dev = 0;
	uint32_t vf = 0;
	int32_t pids[MEM_MAX_HOLDERS];
	int npids = 0;
	if (!r) {
		r = mem_gbo_hold(g, 1, -1);
		size = g->size;
		ino = g->ino;
		dev = g->dev;
		vf = g->vram_file;
		for (int i = 0; i < MEM_MAX_HOLDERS; i++)
			if (g->holders[i].pid && g->holders[i].pid != (int32_t)getpid())
				pids[npids++] = g->holders[i].pid;
	}
	mem_shared_unlock();
	if (r) {
		mem_local_unlock();
		return r;
	}
	struct mem_bo *bo = mem_bo_find(gid);
	bool fresh = false;
	if (!bo) {
		int fd = -1;
		if (vf) {
			/* a VRAM pool file: open it by its path */
			char path[256];
			struct stat st;
			mem_vram_pool_path(vf - 1, path, sizeof(path));
			fd = vgpu_real_open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0);
			if (fd >= 0 && (vgpu_real_fstat(fd, &st) != 0 || (uint64_t)st.st_ino != ino ||
					(uint64_t)st.st_dev != dev)) {
				vgpu_real_close(fd);
				fd = -1;
			}
		}
		for (int i = 0; i < npids && fd < 0; i++)
			fd = memfd_from_process(pids[i], gid, ino, dev);
		bo = fd >= 0 ? mem_bo_new(gid, fd, size) : NULL;
		if (!bo) {
			if (fd >= 0)
				vgpu_real_close(fd);
			r = fd < 0 ? -ENOENT : -ENOMEM;
		}
		fresh = true;
	}
	uint32_t handle = 0;
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
	} else {
		args->handle = handle;
		args->size = size;
	}
	mem_local_unlock();
	return r;
}
