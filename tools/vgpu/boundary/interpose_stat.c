/*
 * stat(2) in all its glibc spellings.  glibc >= 2.33 exports stat, lstat,
 * fstat, fstatat (and *64 aliases) as real functions that call each other
 * internally, so every name is interposed; the __xstat family serves
 * binaries built against older glibc.  On x86-64 struct stat and stat64
 * are the same layout.
 */
#include "vfs.h"

#include "fdtable.h"
#include "base/real.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

_Static_assert(sizeof(struct stat) == sizeof(struct stat64),
	       "struct stat and stat64 differ on this ABI");

/* Stat of a node fd: the char device the kernel would report. */
static bool node_fd_stat(int fd, struct stat *st)
{
	struct fd_desc *d = fdtable_get(fd);
	if (!d)
		return false;
	vfs_fill_node_fd_stat(d->minor, st);
	fdtable_put(d);
	return true;
}

static int do_fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	if (path && !path[0] && (flags & AT_EMPTY_PATH) && node_fd_stat(dirfd, st))
		return 0;
	if (!vfs_candidate(path))
		return real_fstatat(dirfd, path, st, flags);
	struct vfs_node n;
	enum vfs_kind k = vfs_lookup(path, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : VFS_FOLLOW, &n);
	if (k == VFS_PASS)
		return real_fstatat(dirfd, n.path, st, flags);
	if (k == VFS_ERR) {
		errno = n.err;
		return -1;
	}
	vfs_fill_stat(&n, st);
	return 0;
}

static int do_fstat(int fd, struct stat *st)
{
	if (node_fd_stat(fd, st))
		return 0;
	return vgpu_real_fstat(fd, st);
}

VGPU_INTERPOSE int stat(const char *path, struct stat *st)
{
	return do_fstatat(AT_FDCWD, path, st, 0);
}

VGPU_INTERPOSE int stat64(const char *path, struct stat64 *st)
{
	return do_fstatat(AT_FDCWD, path, (struct stat *)st, 0);
}

VGPU_INTERPOSE int lstat(const char *path, struct stat *st)
{
	return do_fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

VGPU_INTERPOSE int lstat64(const char *path, struct stat64 *st)
{
	return do_fstatat(AT_FDCWD, path, (struct stat *)st, AT_SYMLINK_NOFOLLOW);
}

VGPU_INTERPOSE int fstat(int fd, struct stat *st)
{
	return do_fstat(fd, st);
}

VGPU_INTERPOSE int fstat64(int fd, struct stat64 *st)
{
	return do_fstat(fd, (struct stat *)st);
}

VGPU_INTERPOSE int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	return do_fstatat(dirfd, path, st, flags);
}

VGPU_INTERPOSE int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	return do_fstatat(dirfd, path, (struct stat *)st, flags);
}

/* Pre-2.33 glibc: `ver` is _STAT_VER, 1 on x86-64 for the kernel layout. */
VGPU_INTERPOSE int __xstat(int ver, const char *path, struct stat *st)
{
	(void)ver;
	return do_fstatat(AT_FDCWD, path, st, 0);
}

VGPU_INTERPOSE int __xstat64(int ver, const char *path, struct stat64 *st)
{
	(void)ver;
	return do_fstatat(AT_FDCWD, path, (struct stat *)st, 0);
}

VGPU_INTERPOSE int __lxstat(int ver, const char *path, struct stat *st)
{
	(void)ver;
	return do_fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

VGPU_INTERPOSE int __lxstat64(int ver, const char *path, struct stat64 *st)
{
	(void)ver;
	return do_fstatat(AT_FDCWD, path, (struct stat *)st, AT_SYMLINK_NOFOLLOW);
}

VGPU_INTERPOSE int __fxstat(int ver, int fd, struct stat *st)
{
	(void)ver;
	return do_fstat(fd, st);
}

VGPU_INTERPOSE int __fxstat64(int ver, int fd, struct stat64 *st)
{
	(void)ver;
	return do_fstat(fd, (struct stat *)st);
}

VGPU_INTERPOSE int __fxstatat(int ver, int dirfd, const char *path, struct stat *st,
			      int flags)
{
	(void)ver;
	return do_fstatat(dirfd, path, st, flags);
}

VGPU_INTERPOSE int __fxstatat64(int ver, int dirfd, const char *path,
				struct stat64 *st, int flags)
{
	(void)ver;
	return do_fstatat(dirfd, path, (struct stat *)st, flags);
}

VGPU_INTERPOSE int statx(int dirfd, const char *path, int flags, unsigned int mask,
			 struct statx *stx)
{
	struct vfs_node n;
	if (!path[0] && (flags & AT_EMPTY_PATH)) {
		struct fd_desc *d = fdtable_get(dirfd);
		if (d) {
			int minor = d->minor;
			fdtable_put(d);
			vfs_lookup(minor == VGPU_MINOR_RENDER ? "/dev/dri/renderD128" :
				   "/dev/dri/card0", VFS_FOLLOW, &n);
			if (n.kind != VFS_CHR) {
				n.kind = VFS_CHR;
				n.minor = minor;
				n.mode = S_IFCHR | 0666;
			}
			vfs_fill_statx(&n, stx);
			return 0;
		}
	}
	if (!vfs_candidate(path))
		return real_statx(dirfd, path, flags, mask, stx);
	enum vfs_kind k = vfs_lookup(path, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : VFS_FOLLOW, &n);
	if (k == VFS_PASS)
		return real_statx(dirfd, n.path, flags, mask, stx);
	if (k == VFS_ERR) {
		errno = n.err;
		return -1;
	}
	vfs_fill_statx(&n, stx);
	return 0;
}
