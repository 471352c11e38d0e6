/*
 * The fd-based calls: close, dup*, fcntl, ioctl, mmap, munmap.  A node fd
 * (boundary/fdtable.c) routes to the device model; every other fd goes straight to
 * libc, with errno left as libc set it.
 */
#include "vfs.h"

#include "fdtable.h"
#include "base/real.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* Set once a node mapping exists, so munmap bothers the device model only
 * in processes that use the device. */
static atomic_bool mapped_any;

VGPU_INTERPOSE int close(int fd)
{
	/* Forget first: once the number is free another thread may reuse it. */
	fdtable_forget(fd);
	return vgpu_real_close(fd);
}

VGPU_INTERPOSE int close_range(unsigned int first, unsigned int last, int flags)
{
	int r = real_close_range(first, last, flags);
	if (r == 0 && !(flags & CLOSE_RANGE_CLOEXEC))
		fdtable_forget_range(first, last);
	return r;
}

VGPU_INTERPOSE int dup(int fd)
{
	int r = real_dup(fd);
	if (r >= 0)
		fdtable_dup(fd, r);
	return r;
}

VGPU_INTERPOSE int dup2(int oldfd, int newfd)
{
	int r = real_dup2(oldfd, newfd);
	if (r >= 0)
		fdtable_dup(oldfd, newfd);
	return r;
}

VGPU_INTERPOSE int dup3(int oldfd, int newfd, int flags)
{
	int r = real_dup3(oldfd, newfd, flags);
	if (r >= 0)
		fdtable_dup(oldfd, newfd);
	return r;
}

static int do_fcntl(int fd, int cmd, void *arg)
{
	int r = real_fcntl_ptr(fd, cmd, arg);
	if (r < 0)
		return r;
	if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) {
		fdtable_dup(fd, r);
	} else if (cmd == F_GETFL) {
		/* The carrier is O_RDWR; report the access mode the node was
		 * opened with. */
		struct fd_desc *d = fdtable_get(fd);
		if (d) {
			r = (r & ~O_ACCMODE) | (d->open_flags & O_ACCMODE);
			fdtable_put(d);
		}
	}
	return r;
}

VGPU_INTERPOSE int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	va_start(ap, cmd);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	return do_fcntl(fd, cmd, arg);
}

VGPU_INTERPOSE int fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	va_start(ap, cmd);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	return do_fcntl(fd, cmd, arg);
}

VGPU_INTERPOSE int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	va_start(ap, request);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	struct fd_desc *d = fdtable_get(fd);
	if (!d)
		return vgpu_real_ioctl(fd, request, arg);
	int r = vgpu_dev_ioctl(d->file, request, arg);
	fdtable_put(d);
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return r;
}

static void *do_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	struct fd_desc *d = (flags & MAP_ANONYMOUS) ? NULL : fdtable_get(fd);
	if (!d)
		return vgpu_real_mmap(addr, len, prot, flags, fd, off);
	int backing_fd = -1;
	off_t backing_off = 0;
	int r = vgpu_dev_mmap(d->file, (uint64_t)off, len, prot, flags, &backing_fd,
			      &backing_off);
	fdtable_put(d);
	if (r < 0) {
		errno = -r;
		return MAP_FAILED;
	}
	atomic_store(&mapped_any, true);
	void *p = vgpu_real_mmap(addr, len, prot, flags, backing_fd, backing_off);
	if (p != MAP_FAILED)
		vgpu_dev_mmap_done(p, len, prot, backing_fd, backing_off);
	return p;
}

VGPU_INTERPOSE void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return do_mmap(addr, len, prot, flags, fd, off);
}

VGPU_INTERPOSE void *mmap64(void *addr, size_t len, int prot, int flags, int fd,
			    off64_t off)
{
	return do_mmap(addr, len, prot, flags, fd, (off_t)off);
}

VGPU_INTERPOSE int munmap(void *addr, size_t len)
{
	int r = vgpu_real_munmap(addr, len);
	if (r == 0 && atomic_load(&mapped_any)) {
		int saved = errno;
		vgpu_dev_munmap(addr, len);
		errno = saved;
	}
	return r;
}
