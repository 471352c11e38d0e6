/*
 * The fd -> description table (see boundary/fdtable.h).
 *
 * Small fixed arrays under one mutex: a process holds a handful of node
 * fds, and no allocation happens on the close()/ioctl() paths.  The device
 * model is never called with the lock held, because its release path may
 * close() memfds, which comes back through our close().
 */
#include "fdtable.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_FDS 1024
#define MAX_DESCS 512

struct fd_slot {
	int fd;              /* -1 when free */
	struct fd_desc *desc;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct fd_slot slots[MAX_FDS];
static struct fd_desc descs[MAX_DESCS];
static bool initialised;
static atomic_int ntracked;   /* lock-free fast path: zero means "none" */

/* Held across fork() so the child never inherits it locked. */
static void table_prepare(void)
{
	pthread_mutex_lock(&lock);
}

static void table_release(void)
{
	pthread_mutex_unlock(&lock);
}

__attribute__((constructor)) static void table_atfork(void)
{
	pthread_atfork(table_prepare, table_release, table_release);
}

static void init_locked(void)
{
	if (initialised)
		return;
	for (int i = 0; i < MAX_FDS; i++)
		slots[i].fd = -1;
	initialised = true;
}

/* The slot with this fd value; -1 is the free-slot marker, so a negative
 * fd (close(-1), dup2(-1, n): EBADF from libc) matches nothing. */
static struct fd_slot *find_locked(int fd)
{
	init_locked();
	if (fd < 0)
		return NULL;
	for (int i = 0; i < MAX_FDS; i++)
		if (slots[i].fd == fd)
			return &slots[i];
	return NULL;
}

static struct fd_slot *free_slot_locked(void)
{
	init_locked();
	for (int i = 0; i < MAX_FDS; i++)
		if (slots[i].fd == -1)
			return &slots[i];
	return NULL;
}

/* Drops one reference; returns the file to release (outside the lock) when
 * it was the last. */
static struct vgpu_file *unref_locked(struct fd_desc *d)
{
	if (--d->refs > 0)
		return NULL;
	struct vgpu_file *f = d->file;
	memset(d, 0, sizeof(*d));
	return f;
}

static struct vgpu_file *remove_slot_locked(struct fd_slot *s)
{
	struct fd_desc *d = s->desc;
	s->fd = -1;
	s->desc = NULL;
	atomic_fetch_sub(&ntracked, 1);
	return unref_locked(d);
}

static void release(struct vgpu_file *f)
{
	if (f) {
		vgpu_log("release of the last fd of a node file");
		vgpu_dev_release(f);
	}
}

int fdtable_track(int fd, struct vgpu_file *file, int minor, int open_flags)
{
	struct stat st;
	if (vgpu_real_fstat(fd, &st) != 0)
		return -errno;
	struct vgpu_file *stale = NULL;
	pthread_mutex_lock(&lock);
	struct fd_slot *s = find_locked(fd);
	if (s)  /* the number was reused behind our back */
		stale = remove_slot_locked(s);
	s = free_slot_locked();
	struct fd_desc *d = NULL;
	for (int i = 0; s && i < MAX_DESCS; i++)
		if (!descs[i].file) {
			d = &descs[i];
			break;
		}
	if (!s || !d) {
		pthread_mutex_unlock(&lock);
		release(stale);
		return -EMFILE;
	}
	d->file = file;
	d->minor = minor;
	d->open_flags = open_flags;
	d->carrier_dev = st.st_dev;
	d->carrier_ino = st.st_ino;
	d->refs = 1;
	s->fd = fd;
	s->desc = d;
	atomic_fetch_add(&ntracked, 1);
	pthread_mutex_unlock(&lock);
	release(stale);
	return 0;
}

void fdtable_dup(int oldfd, int newfd)
{
	if (atomic_load(&ntracked) == 0 || oldfd == newfd)
		return;
	/* newfd now shares oldfd's description: its inode says whether oldfd
	 * was still the node (and not a reused number). */
	struct stat st;
	bool have_st = vgpu_real_fstat(newfd, &st) == 0;
	struct vgpu_file *gone = NULL;
	pthread_mutex_lock(&lock);
	struct fd_slot *dst = find_locked(newfd);
	if (dst)  /* dup2/dup3 over a tracked fd closed it first */
		gone = remove_slot_locked(dst);
	struct fd_slot *src = find_locked(oldfd);
	if (src && !(have_st && st.st_dev == src->desc->carrier_dev &&
		     st.st_ino == src->desc->carrier_ino))
		src = NULL;  /* stale entry: the old number is something else now */
	if (src) {
		struct fd_slot *s = free_slot_locked();
		if (s) {
			s->fd = newfd;
			s->desc = src->desc;
			src->desc->refs++;
			atomic_fetch_add(&ntracked, 1);
		} else {
			vgpu_log("fd table full: fd %d (dup of %d) is not tracked", newfd, oldfd);
		}
	}
	pthread_mutex_unlock(&lock);
	release(gone);
}

void fdtable_forget(int fd)
{
	if (atomic_load(&ntracked) == 0)
		return;
	struct vgpu_file *gone = NULL;
	pthread_mutex_lock(&lock);
	struct fd_slot *s = find_locked(fd);
	if (s)
		gone = remove_slot_locked(s);
	pthread_mutex_unlock(&lock);
	release(gone);
}

void fdtable_forget_range(unsigned int first, unsigned int last)
{
	for (;;) {
		if (atomic_load(&ntracked) == 0)
			return;
		struct vgpu_file *gone = NULL;
		bool found = false;
		pthread_mutex_lock(&lock);
		init_locked();
		for (int i = 0; i < MAX_FDS; i++) {
			if (slots[i].fd >= 0 && (unsigned int)slots[i].fd >= first &&
			    (unsigned int)slots[i].fd <= last) {
				gone = remove_slot_locked(&slots[i]);
				found = true;
				break;
			}
		}
		pthread_mutex_unlock(&lock);
		release(gone);
		if (!found)
			return;
	}
}

bool fdtable_maybe_tracked(int fd)
{
	if (fd < 0 || atomic_load(&ntracked) == 0)
		return false;
	pthread_mutex_lock(&lock);
	bool found = find_locked(fd) != NULL;
	pthread_mutex_unlock(&lock);
	return found;
}

struct fd_desc *fdtable_get(int fd)
{
	if (fd < 0 || atomic_load(&ntracked) == 0)
		return NULL;
	pthread_mutex_lock(&lock);
	struct fd_slot *s = find_locked(fd);
	struct fd_desc *d = s ? s->desc : NULL;
	if (d)
		d->refs++;
	pthread_mutex_unlock(&lock);
	if (!d)
		return NULL;
	/* Still the carrier we handed out?  If the fd was closed by a path we
	 * do not see (fclose of an fdopen()ed stream, a raw syscall) and the
	 * number reused, the inode differs. */
	struct stat st;
	if (vgpu_real_fstat(fd, &st) == 0 && st.st_dev == d->carrier_dev &&
	    st.st_ino == d->carrier_ino)
		return d;
	vgpu_log("fd %d no longer refers to the node (closed behind our back)", fd);
	struct vgpu_file *gone = NULL;
	pthread_mutex_lock(&lock);
	s = find_locked(fd);
	if (s && s->desc == d)
		gone = remove_slot_locked(s);
	pthread_mutex_unlock(&lock);
	release(gone);
	fdtable_put(d);
	return NULL;
}

void fdtable_put(struct fd_desc *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&lock);
	struct vgpu_file *gone = unref_locked(d);
	pthread_mutex_unlock(&lock);
	release(gone);
}
