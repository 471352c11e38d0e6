/*
 * Which fds of this process are open files of the virtual device node.
 *
 * An open(2) of /dev/dri/renderD128 makes one *description* (the kernel's
 * struct file, here owning a struct vgpu_file from vgpu_dev_open) and one fd
 * pointing at it.  dup/dup2/dup3/fcntl(F_DUPFD*) add fds sharing the
 * description; the device file is released when the last of them closes,
 * exactly when the kernel would call drm_release().
 *
 * Each fd is a real fd on a private memfd ("carrier"), so the fd number is
 * really allocated, poll/read/fcntl work, and a stale entry (the fd closed
 * behind our back, e.g. by fclose of an fdopen()ed stream, then reused) is
 * recognised by comparing the carrier's inode.
 */
#ifndef VGPU_FDTABLE_H
#define VGPU_FDTABLE_H

#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "base/vgpu_device.h"  /* after <sys/stat.h>: it uses struct stat */

struct fd_desc {
	struct vgpu_file *file;
	int minor;
	int open_flags;     /* as passed to open(2) */
	dev_t carrier_dev;  /* identity of the carrier memfd */
	ino_t carrier_ino;
	int refs;           /* fds + in-flight users */
};

/* Registers a freshly opened node fd.  0 or -EMFILE (table full). */
int fdtable_track(int fd, struct vgpu_file *file, int minor, int open_flags);
/* After a successful dup of `oldfd` to `newfd`: if oldfd is tracked, newfd
 * shares its description; if newfd was tracked before (dup2 over it), its
 * old description loses a reference. */
void fdtable_dup(int oldfd, int newfd);
/* The fd was closed (or is about to be reused): drops its reference. */
void fdtable_forget(int fd);
/* close_range(2) */
void fdtable_forget_range(unsigned int first, unsigned int last);
/* Cheap test without verification (no system call). */
bool fdtable_maybe_tracked(int fd);
/* The description behind `fd`, verified against the carrier inode, with a
 * reference the caller returns with fdtable_put().  NULL if not ours. */
struct fd_desc *fdtable_get(int fd);
void fdtable_put(struct fd_desc *d);

#endif /* VGPU_FDTABLE_H */
