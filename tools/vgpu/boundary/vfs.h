/*
 * The virtual file tree: which paths the vgpu answers for, and what they
 * are.  Interposers ask vfs_lookup() about every absolute path under /dev,
 * /sys and /proc; everything else never reaches the tree.
 *
 * Served (profile not "none"; DEV = /sys/devices/pci<dom>:<bus>/<slot>):
 *   /dev/dri/{card0,renderD128}          char devices 226:0 / 226:128
 *   /sys/dev/char/226:{0,128}            -> DEV/drm/{card0,renderD128}
 *   /sys/class/drm/{card0,renderD128}    -> same; /sys/class/drm/version
 *   DEV/{uevent,vendor,device,subsystem_vendor,subsystem_device,revision,
 *        class,config,boot_vga}, DEV/subsystem -> /sys/bus/pci,
 *        DEV/driver -> /sys/bus/pci/drivers/<drv>, DEV/drm/<minor>/...
 *   amdgpu only: DEV/ip_discovery/die/0/GC/0/{major,minor,revision} and the
 *        live attributes (mem_info_*, gpu_busy_percent, anything else
 *        vgpu_dev_sysfs_read() knows) read at open time
 *   /sys/bus/pci/devices/<slot>, /sys/bus/pci/drivers/<drv>/<slot>
 *   amdgpu only: /sys/kernel/debug/dri/{0,128} (debugfs), with
 *        dri/0/amdgpu_gpu_recover: reading it resets the GPU
 *   /proc/{self,thread-self,<pid>}/fdinfo/<fd> and .../fd/<fd> of node fds
 * "Owned" subtrees (/dev/dri, /sys/class/drm, /sys/kernel/debug/dri, /sys/dev/char/226:*, DEV's
 * parent, our slot and driver under /sys/bus/pci) hide whatever the real
 * machine has there; with profile "none" they are all absent (ENOENT).
 */
#ifndef VGPU_VFS_H
#define VGPU_VFS_H

#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

#define VFS_PATH_MAX 256
#define VFS_TEXT_MAX 320

enum vfs_kind {
	VFS_PASS = 0, /* not ours: call libc with vfs_node.path */
	VFS_ERR,      /* ours, and the answer is an error (node.err) */
	VFS_DIR,
	VFS_CHR,      /* a device node: minor in node.minor */
	VFS_FILE,     /* content from node.gen */
	VFS_LINK,     /* only when the last component is not followed */
	VFS_FDINFO,   /* /proc/.../fdinfo/<node.fd> of a node fd */
};

enum vfs_gen {
	GEN_TEXT,     /* node.text as is */
	GEN_ATTR,     /* vgpu_dev_sysfs_read(node.text) */
	GEN_CONFIG,   /* 256-byte PCI configuration space */
};

struct vfs_node {
	enum vfs_kind kind;
	int err;                    /* VFS_ERR: positive errno */
	char path[VFS_PATH_MAX];    /* canonical path (or the path to pass on) */
	char canon[VFS_PATH_MAX];   /* resolved path ("" if not resolved) */
	mode_t mode;                /* type and permission bits */
	ino_t ino;
	dev_t dev;
	int minor;                  /* VFS_CHR */
	int fd;                     /* VFS_FDINFO, and VFS_CHR via /proc/.../fd */
	int other_pid;              /* VFS_FDINFO of another process's node fd, else 0 */
	enum vfs_gen gen;
	char text[VFS_TEXT_MAX];    /* GEN_TEXT content, GEN_ATTR name, LINK target */
};

#define VFS_FOLLOW 1        /* follow a symlink in the last component */

/* The name of the memfd behind a node fd: "vgpu-renderD128@<instance>"
 * (or card0), the instance as memory/shared.c names it
 * (AMDBARE_VGPU_INSTANCE, else "default-<uid>").  /proc/<pid>/fd of such
 * an fd shows "/memfd:<name> (deleted)". */
#define VFS_NODE_MEMFD_MAX 200
void vfs_node_memfd_name(int minor, char *out, size_t cap);

/* Classifies `path`.  Paths that are not absolute or lie outside /dev,
 * /sys and /proc return VFS_PASS with node->path a copy of `path`. */
enum vfs_kind vfs_lookup(const char *path, int flags, struct vfs_node *node);

/* True when `path` may concern the vgpu at all (cheap prefix test). */
bool vfs_candidate(const char *path);

/* Fills *st as the kernel would for the node (not for VFS_PASS/ERR). */
void vfs_fill_stat(const struct vfs_node *node, struct stat *st);
/* Same for struct statx. */
void vfs_fill_statx(const struct vfs_node *node, struct statx *stx);
/* The stat of a node fd (fstat on it). */
void vfs_fill_node_fd_stat(int minor, struct stat *st);

/* Opens a node as open(2) would: returns an fd or -errno. */
int vfs_open_node(const struct vfs_node *node, int flags);

/* Writes the content of a VFS_FILE / VFS_FDINFO node into buf (up to cap);
 * returns the length or -errno. */
ssize_t vfs_content(const struct vfs_node *node, char *buf, size_t cap);

/* Access check for access(2)/faccessat(2) on a node: 0 or -errno. */
int vfs_access(const struct vfs_node *node, int mode);

/* The idx-th fake child of directory `dir` (a fake dir, or a real dir the
 * tree adds entries to).  Returns false past the end. */
bool vfs_child(const char *dir, int idx, char *name, size_t cap,
	       unsigned char *d_type, ino_t *ino);
/* True when `dir` is a real directory to which the tree adds entries. */
bool vfs_is_merge_dir(const char *dir);
/* True when `path` lies in an owned subtree (hidden from the real fs). */
bool vfs_owned(const char *path);

/* The device-node permission override: AMDBARE_VGPU_DENY_OPEN=1. */
bool vfs_deny_open(void);

/* ---- Directory streams (boundary/vfs_dir.c) ------------------------------------ */

/* opendir() on a fake or merged directory; NULL+errno on failure. */
DIR *vfs_opendir(const struct vfs_node *node, const char *path);
/* readdir() if `dir` is one of ours; *handled false otherwise. */
struct dirent *vfs_readdir(DIR *dir, bool *handled);
/* closedir()/rewinddir() bookkeeping; false if `dir` is not ours. */
bool vfs_closedir(DIR *dir);
bool vfs_rewinddir(DIR *dir);

#endif /* VGPU_VFS_H */
