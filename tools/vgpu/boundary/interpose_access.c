/*
 * access(2), faccessat(2), euidaccess(3): existence and permission of the
 * fake nodes.  AMDBARE_VGPU_DENY_OPEN=1 answers for the device nodes as the
 * kernel would for a user outside the node's group (mode 0660).
 */
#include "vfs.h"

#include "base/real.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

/* 1: answered (result in *ret), 0: not ours (path to pass in n). */
static int answer(const char *path, int mode, int follow, struct vfs_node *n, int *ret)
{
	if (vfs_lookup(path, follow, n) == VFS_PASS)
		return 0;
	int r = vfs_access(n, mode);
	if (r < 0) {
		errno = -r;
		*ret = -1;
	} else {
		*ret = 0;
	}
	return 1;
}

VGPU_INTERPOSE int access(const char *path, int mode)
{
	struct vfs_node n;
	int ret;
	if (!vfs_candidate(path))
		return real_access(path, mode);
	if (answer(path, mode, VFS_FOLLOW, &n, &ret))
		return ret;
	return real_access(n.path, mode);
}

VGPU_INTERPOSE int faccessat(int dirfd, const char *path, int mode, int flags)
{
	struct vfs_node n;
	int ret;
	if (!vfs_candidate(path))
		return real_faccessat(dirfd, path, mode, flags);
	if (answer(path, mode, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : VFS_FOLLOW, &n, &ret))
		return ret;
	return real_faccessat(dirfd, n.path, mode, flags);
}

VGPU_INTERPOSE int euidaccess(const char *path, int mode)
{
	struct vfs_node n;
	int ret;
	if (!vfs_candidate(path))
		return real_euidaccess(path, mode);
	if (answer(path, mode, VFS_FOLLOW, &n, &ret))
		return ret;
	return real_euidaccess(n.path, mode);
}

VGPU_INTERPOSE int eaccess(const char *path, int mode)
{
	return euidaccess(path, mode);
}
