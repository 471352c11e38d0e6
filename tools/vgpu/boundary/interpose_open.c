/*
 * open(2) and friends, fopen(3): paths of the fake tree become device-node
 * fds or memfds with the file's text (vfs_open_node); everything else goes
 * to libc unchanged.  glibc's fortified and 64-bit names are separate
 * symbols that programs import directly, so each is interposed.
 */
#include "vfs.h"

#include "fdtable.h"
#include "base/real.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* open(2) reads the mode argument only for these (fcntl.h __OPEN_NEEDS_MODE) */
static bool needs_mode(int flags)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
}

static int do_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	if (vfs_candidate(path)) {
		struct vfs_node n;
		if (vfs_lookup(path, (flags & O_NOFOLLOW) ? 0 : VFS_FOLLOW, &n) != VFS_PASS) {
			int r = vfs_open_node(&n, flags);
			if (r < 0) {
				errno = -r;
				return -1;
			}
			return r;
		}
		int fd = real_openat(dirfd, n.path, flags, mode);
		if (fd >= 0)
			fdtable_forget(fd);  /* a stale entry for this number */
		return fd;
	}
	int fd = real_openat(dirfd, path, flags, mode);
	if (fd >= 0)
		fdtable_forget(fd);
	return fd;
}

#define MODE_ARG(flags, mode) \
	mode_t mode = 0; \
	if (needs_mode(flags)) { \
		va_list ap; \
		va_start(ap, flags); \
		mode = (mode_t)va_arg(ap, int); \
		va_end(ap); \
	}

VGPU_INTERPOSE int open(const char *path, int flags, ...)
{
	MODE_ARG(flags, mode);
	return do_openat(AT_FDCWD, path, flags, mode);
}

VGPU_INTERPOSE int open64(const char *path, int flags, ...)
{
	MODE_ARG(flags, mode);
	return do_openat(AT_FDCWD, path, flags, mode);
}

VGPU_INTERPOSE int openat(int dirfd, const char *path, int flags, ...)
{
	MODE_ARG(flags, mode);
	return do_openat(dirfd, path, flags, mode);
}

VGPU_INTERPOSE int openat64(int dirfd, const char *path, int flags, ...)
{
	MODE_ARG(flags, mode);
	return do_openat(dirfd, path, flags, mode);
}

/* _FORTIFY_SOURCE variants: called when the mode is known to be absent. */
VGPU_INTERPOSE int __open_2(const char *path, int flags)
{
	return do_openat(AT_FDCWD, path, flags, 0);
}

VGPU_INTERPOSE int __open64_2(const char *path, int flags)
{
	return do_openat(AT_FDCWD, path, flags, 0);
}

VGPU_INTERPOSE int __openat_2(int dirfd, const char *path, int flags)
{
	return do_openat(dirfd, path, flags, 0);
}

VGPU_INTERPOSE int __openat64_2(int dirfd, const char *path, int flags)
{
	return do_openat(dirfd, path, flags, 0);
}

VGPU_INTERPOSE int creat(const char *path, mode_t mode)
{
	return do_openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

VGPU_INTERPOSE int creat64(const char *path, mode_t mode)
{
	return do_openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

/* fopen's mode string as open flags, and the plain mode fdopen accepts. */
static int fopen_flags(const char *mode, char plain[4])
{
	int flags;
	switch (mode[0]) {
	case 'r': flags = O_RDONLY; break;
	case 'w': flags = O_WRONLY | O_CREAT | O_TRUNC; break;
	case 'a': flags = O_WRONLY | O_CREAT | O_APPEND; break;
	default: return -1;
	}
	size_t n = 0;
	plain[n++] = mode[0];
	for (const char *c = mode + 1; *c && *c != ','; c++) {
		if (*c == '+') {
			flags = (flags & ~O_ACCMODE) | O_RDWR;
			if (n < 2)
				plain[n++] = '+';
		} else if (*c == 'e') {
			flags |= O_CLOEXEC;
		} else if (*c == 'x') {
			flags |= O_EXCL;
		}
	}
	plain[n] = '\0';
	return flags;
}

static FILE *do_fopen(const char *path, const char *mode)
{
	if (!vfs_candidate(path) || !mode)
		return real_fopen(path, mode);
	struct vfs_node n;
	if (vfs_lookup(path, VFS_FOLLOW, &n) == VFS_PASS)
		return real_fopen(n.path, mode);
	char plain[4];
	int flags = fopen_flags(mode, plain);
	if (flags < 0) {
		errno = EINVAL;
		return NULL;
	}
	int fd = vfs_open_node(&n, flags);
	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	FILE *f = fdopen(fd, plain);
	if (!f) {
		int e = errno;
		close(fd);  /* ours: a node fd must leave the fd table too */
		errno = e;
	}
	return f;
}

VGPU_INTERPOSE FILE *fopen(const char *path, const char *mode)
{
	return do_fopen(path, mode);
}

VGPU_INTERPOSE FILE *fopen64(const char *path, const char *mode)
{
	return do_fopen(path, mode);
}
