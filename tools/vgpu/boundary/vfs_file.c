/*
 * What opening a node of the fake tree gives: a device-node fd tracked by
 * boundary/fdtable.c, or a sealed-in-time memfd holding the file's text, so read,
 * fread, lseek, fstat and close all behave as on any regular fd.  Content is
 * produced at open time, like a sysfs attribute's show() on first read.
 */
#include "vfs.h"

#include "base/file.h"
#include "fdtable.h"
#include "base/real.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONTENT_MAX 16384

/* The first 256 bytes of a type-0 header (pci_read_config via sysfs). */
static ssize_t pci_config(char *buf, size_t cap)
{
	int err = 0;
	const struct vgpu_profile *p = vgpu_profile_get(&err);
	if (!p)
		return err ? err : -ENODEV;
	if (cap < 256)
		return -ENOSPC;
	unsigned char *c = (unsigned char *)buf;
	memset(c, 0, 256);
	c[0x00] = p->pci_vendor & 0xff;
	c[0x01] = p->pci_vendor >> 8;
	c[0x02] = p->pci_device & 0xff;
	c[0x03] = p->pci_device >> 8;
	c[0x04] = 0x07;  /* command: I/O, memory, bus master */
	c[0x06] = 0x10;  /* status: capability list */
	c[0x08] = p->pci_revision;
	c[0x09] = p->pci_class & 0xff;
	c[0x0a] = (p->pci_class >> 8) & 0xff;
	c[0x0b] = (p->pci_class >> 16) & 0xff;
	c[0x2c] = p->subsys_vendor & 0xff;
	c[0x2d] = p->subsys_vendor >> 8;
	c[0x2e] = p->subsys_device & 0xff;
	c[0x2f] = p->subsys_device >> 8;
	return 256;
}

static int mount_id_of_dev(void)
{
	struct statx stx;
	if (real_statx(AT_FDCWD, "/dev/null", 0, STATX_MNT_ID, &stx) == 0 &&
	    (stx.stx_mask & STATX_MNT_ID))
		return (int)stx.stx_mnt_id;
	return 0;
}

/* seq_show() in fs/proc/fd.c, then the driver's show_fdinfo. */
static ssize_t fdinfo(int fd, char *buf, size_t cap)
{
	struct fd_desc *d = fdtable_get(fd);
	if (!d)
		return -ENOENT;
	int fl = vgpu_real_fcntl(fd, F_GETFL, 0);
	int fdfl = vgpu_real_fcntl(fd, F_GETFD, 0);
	unsigned int flags = (unsigned int)(fl < 0 ? 0 : fl);
	flags = (flags & ~(unsigned int)O_ACCMODE) | ((unsigned int)d->open_flags & O_ACCMODE);
	if (fdfl > 0 && (fdfl & FD_CLOEXEC))
		flags |= O_CLOEXEC;
	struct vfs_node n;
	vfs_lookup(d->minor == VGPU_MINOR_RENDER ? "/dev/dri/renderD128" : "/dev/dri/card0",
		   VFS_FOLLOW, &n);
	int len = snprintf(buf, cap, "pos:\t0\nflags:\t0%o\nmnt_id:\t%d\nino:\t%lu\n",
			   flags, mount_id_of_dev(), (unsigned long)n.ino);
	if (len < 0 || (size_t)len >= cap) {
		fdtable_put(d);
		return -ENOSPC;
	}
	int more = vgpu_dev_fdinfo(d->file, buf + len, cap - (size_t)len);
	fdtable_put(d);
	if (more < 0)
		return more;
	return len + more;
}

/* How many render files of this instance process pid has open. */
static int render_files_of(int pid)
{
	char dir[64], name[VFS_NODE_MEMFD_MAX], want[VFS_NODE_MEMFD_MAX + 32];
	snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
	vfs_node_memfd_name(VGPU_MINOR_RENDER, name, sizeof(name));
	snprintf(want, sizeof(want), "/memfd:%s (deleted)", name);
	DIR *d = real_opendir(dir);
	if (!d)
		return 0;
	/* dup()ed fds share one file (libdrm's amdgpu_device_initialize dups
	 * the caller's): count distinct memfds, by the inode their real
	 * fdinfo names */
	unsigned long inos[64];
	int count = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		char link[320], target[256];
		snprintf(link, sizeof(link), "%s/%s", dir, e->d_name);
		ssize_t n = real_readlinkat(AT_FDCWD, link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = 0;
		if (strcmp(target, want) != 0)
			continue;
		char info[320], text[512];
		snprintf(info, sizeof(info), "/proc/%d/fdinfo/%s", pid, e->d_name);
		int fd = vgpu_real_open(info, O_RDONLY | O_CLOEXEC, 0);
		if (fd < 0)
			continue;
		ssize_t tn = read(fd, text, sizeof(text) - 1);
		vgpu_real_close(fd);
		if (tn <= 0)
			continue;
		text[tn] = 0;
		const char *ino = strstr(text, "ino:");
		unsigned long v = ino ? strtoul(ino + 4, NULL, 10) : 0;
		bool seen = false;
		for (int i = 0; i < count && i < 64; i++)
			if (inos[i] == v)
				seen = true;
		if (!seen) {
			if (count < 64)
				inos[count] = v;
			count++;
		}
	}
	real_closedir(d);
	return count;
}

/* /proc/<pid>/fdinfo/<fd> of another process's render file of this
 * instance: the real memfd's first lines (pos, flags, mnt_id, ino, as
 * seq_show prints them for any file), then the driver's part for that
 * process (vgpu_dev_fdinfo_other). */
static ssize_t fdinfo_other(int pid, int fd, char *buf, size_t cap)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", pid, fd);
	int rfd = vgpu_real_open(path, O_RDONLY | O_CLOEXEC, 0);
	if (rfd < 0)
		return -errno;
	char head[512];
	ssize_t n = read(rfd, head, sizeof(head) - 1);
	vgpu_real_close(rfd);
	if (n < 0)
		return -errno;
	head[n] = 0;
	size_t len = 0;
	/* the four generic lines; a memfd adds none the kernel's render node
	 * would not show */
	for (char *line = head; *line && len < cap;) {
		char *nl = strchr(line, '\n');
		size_t l = nl ? (size_t)(nl - line) + 1 : strlen(line);
		if (strncmp(line, "pos:", 4) == 0 || strncmp(line, "flags:", 6) == 0 ||
		    strncmp(line, "mnt_id:", 7) == 0 || strncmp(line, "ino:", 4) == 0) {
			if (len + l > cap)
				return -ENOSPC;
			memcpy(buf + len, line, l);
			len += l;
		}
		line += l;
	}
	int more = vgpu_dev_fdinfo_other(pid, render_files_of(pid), buf + len, cap - len);
	if (more < 0)
		return more;
	return (ssize_t)len + more;
}

ssize_t vfs_content(const struct vfs_node *node, char *buf, size_t cap)
{
	if (node->kind == VFS_FDINFO && node->other_pid)
		return fdinfo_other(node->other_pid, node->fd, buf, cap);
	if (node->kind == VFS_FDINFO)
		return fdinfo(node->fd, buf, cap);
	if (node->kind != VFS_FILE)
		return -EINVAL;
	switch (node->gen) {
	case GEN_TEXT: {
		size_t n = strlen(node->text);
		if (n > cap)
			return -ENOSPC;
		memcpy(buf, node->text, n);
		return (ssize_t)n;
	}
	case GEN_ATTR:
		return vgpu_dev_sysfs_read(node->text, buf, cap);
	case GEN_CONFIG:
		return pci_config(buf, cap);
	}
	return -EINVAL;
}

/* A memfd holding `len` bytes of `buf`, positioned at 0. */
static int memfd_with(const char *name, const char *buf, size_t len, int flags)
{
	int fd = memfd_create(name, (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
	if (fd < 0)
		return -errno;
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, buf + off, len - off);
		if (w < 0) {
			int e = errno;
			vgpu_real_close(fd);
			return -e;
		}
		off += (size_t)w;
	}
	lseek(fd, 0, SEEK_SET);
	if (flags & O_NONBLOCK)
		vgpu_real_fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

static int open_device(const struct vfs_node *node, int flags)
{
	/* may_open -> inode_permission: the node's mode (0666, or 0660
	 * root:render when denied) decides. */
	if (vfs_deny_open())
		return -EACCES;
	/* The memfd's name carries the instance: another process of the same
	 * instance recognises it in /proc/<pid>/fd (vfs_tree.c lookup_proc). */
	char name[VFS_NODE_MEMFD_MAX];
	vfs_node_memfd_name(node->minor, name, sizeof(name));
	int fd = memfd_with(name, "", 0, flags);
	if (fd < 0)
		return fd;
	struct vgpu_file *f = NULL;
	int r = vgpu_dev_open(node->minor, flags, &f);
	if (r < 0) {
		vgpu_real_close(fd);
		return r;
	}
	r = fdtable_track(fd, f, node->minor, flags);
	if (r < 0) {
		vgpu_dev_release(f);
		vgpu_real_close(fd);
		return r;
	}
	vgpu_log("open %s -> fd %d", node->path, fd);
	return fd;
}

int vfs_open_node(const struct vfs_node *node, int flags)
{
	bool writing = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
	if (node->kind == VFS_ERR)
		return -node->err;
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;  /* lookup_open: the name exists */
	switch (node->kind) {
	case VFS_DIR:
		if (writing)
			return -EISDIR;  /* may_open */
		/* Directory fds would need getdents on a fake directory. */
		vgpu_log("open(2) of the virtual directory %s is not supported; use opendir",
			 node->path);
		return -EOPNOTSUPP;
	case VFS_LINK:
		return -ELOOP;  /* may_open: O_NOFOLLOW stopped on a symlink */
	case VFS_CHR:
		if (flags & O_DIRECTORY)
			return -ENOTDIR;  /* do_open */
		return open_device(node, flags);
	case VFS_FILE:
	case VFS_FDINFO: {
		if (flags & O_DIRECTORY)
			return -ENOTDIR;  /* do_open */
		/* kernfs_fop_open: no write method -> EACCES for writers */
		if (writing)
			return -EACCES;
		char buf[CONTENT_MAX];
		ssize_t n = vfs_content(node, buf, sizeof(buf));
		if (n < 0)
			return (int)n;
		return memfd_with("vgpu-sysfs", buf, (size_t)n, flags);
	}
	default:
		return -EINVAL;
	}
}

int vfs_access(const struct vfs_node *node, int mode)
{
	if (node->kind == VFS_ERR)
		return -node->err;
	if (mode == F_OK)
		return 0;
	if (mode & X_OK) {
		if (node->kind != VFS_DIR)
			return -EACCES;
	}
	switch (node->kind) {
	case VFS_CHR:
		return vfs_deny_open() && (mode & (R_OK | W_OK)) ? -EACCES : 0;
	case VFS_DIR:
	case VFS_FILE:
	case VFS_FDINFO:
		/* Answered as for an ordinary user: attributes are read-only. */
		return (mode & W_OK) && !(node->mode & 0200) ? -EACCES : 0;
	default:
		return 0;
	}
}
