/*
 * readlink/readlinkat (and their _chk forms) and realpath: the symlinks of
 * the fake sysfs, and /proc/self/fd/<n> of a node fd, which names the node
 * as the kernel's d_path would.
 */
#include "vfs.h"

#include "base/real.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static ssize_t do_readlinkat(int dirfd, const char *path, char *buf, size_t len)
{
	if (!vfs_candidate(path))
		return real_readlinkat(dirfd, path, buf, len);
	struct vfs_node n;
	switch (vfs_lookup(path, 0, &n)) {
	case VFS_PASS:
		return real_readlinkat(dirfd, n.path, buf, len);
	case VFS_ERR:
		errno = n.err;
		return -1;
	case VFS_LINK: {
		size_t l = strlen(n.text);
		if (l > len)
			l = len;  /* readlink truncates silently */
		memcpy(buf, n.text, l);
		return (ssize_t)l;
	}
	default:
		errno = EINVAL;  /* do_readlinkat: not a symlink */
		return -1;
	}
}

VGPU_INTERPOSE ssize_t readlink(const char *path, char *buf, size_t len)
{
	return do_readlinkat(AT_FDCWD, path, buf, len);
}

VGPU_INTERPOSE ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t len)
{
	return do_readlinkat(dirfd, path, buf, len);
}

VGPU_INTERPOSE ssize_t __readlink_chk(const char *path, char *buf, size_t len,
				      size_t buflen)
{
	if (len > buflen)
		__chk_fail();
	return do_readlinkat(AT_FDCWD, path, buf, len);
}

VGPU_INTERPOSE ssize_t __readlinkat_chk(int dirfd, const char *path, char *buf,
					size_t len, size_t buflen)
{
	if (len > buflen)
		__chk_fail();
	return do_readlinkat(dirfd, path, buf, len);
}

static char *do_realpath(const char *path, char *resolved)
{
	if (!vfs_candidate(path))
		return real_realpath(path, resolved);
	struct vfs_node n;
	switch (vfs_lookup(path, VFS_FOLLOW, &n)) {
	case VFS_PASS:
		return real_realpath(n.path, resolved);
	case VFS_ERR:
		errno = n.err;
		return NULL;
	default:
		if (!resolved)
			return strdup(n.path);
		/* The caller's buffer holds PATH_MAX bytes, n.path far fewer. */
		strcpy(resolved, n.path);
		return resolved;
	}
}

VGPU_INTERPOSE char *realpath(const char *path, char *resolved)
{
	return do_realpath(path, resolved);
}

VGPU_INTERPOSE char *__realpath_chk(const char *path, char *resolved, size_t resolvedlen)
{
	if (resolvedlen < PATH_MAX)
		__chk_fail();
	return do_realpath(path, resolved);
}

VGPU_INTERPOSE char *canonicalize_file_name(const char *path)
{
	return do_realpath(path, NULL);
}
