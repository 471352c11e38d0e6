/*
 * Extended attributes of the fake nodes: none.  ls -l and friends ask for
 * ACLs and security labels; sysfs and devtmpfs nodes without them answer
 * ENODATA (getxattr) and an empty list (listxattr).
 */
#include "vfs.h"

#include "base/real.h"

#include <errno.h>
#include <sys/xattr.h>

/* -1: not ours; otherwise the errno to answer with (0: success). */
static int ours(const char *path, int follow, struct vfs_node *n)
{
	if (!vfs_candidate(path))
		return -1;
	switch (vfs_lookup(path, follow, n)) {
	case VFS_PASS:
		return -1;
	case VFS_ERR:
		return n->err;
	default:
		return 0;
	}
}

/* The real calls take the path we resolved (a symlink of ours may lead
 * back into the real sysfs). */
static ssize_t get_answer(int err)
{
	errno = err ? err : ENODATA;
	return -1;
}

static ssize_t list_answer(int err)
{
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

VGPU_INTERPOSE ssize_t getxattr(const char *path, const char *name, void *value,
				size_t size)
{
	struct vfs_node n;
	int r = ours(path, VFS_FOLLOW, &n);
	if (r < 0)
		return real_getxattr(vfs_candidate(path) ? n.path : path, name, value, size);
	return get_answer(r);
}

VGPU_INTERPOSE ssize_t lgetxattr(const char *path, const char *name, void *value,
				 size_t size)
{
	struct vfs_node n;
	int r = ours(path, 0, &n);
	if (r < 0)
		return real_lgetxattr(vfs_candidate(path) ? n.path : path, name, value, size);
	return get_answer(r);
}

VGPU_INTERPOSE ssize_t listxattr(const char *path, char *list, size_t size)
{
	struct vfs_node n;
	int r = ours(path, VFS_FOLLOW, &n);
	if (r < 0)
		return real_listxattr(vfs_candidate(path) ? n.path : path, list, size);
	return list_answer(r);
}

VGPU_INTERPOSE ssize_t llistxattr(const char *path, char *list, size_t size)
{
	struct vfs_node n;
	int r = ours(path, 0, &n);
	if (r < 0)
		return real_llistxattr(vfs_candidate(path) ? n.path : path, list, size);
	return list_answer(r);
}
