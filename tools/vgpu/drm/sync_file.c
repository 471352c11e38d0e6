/*
 * sync_file fds (Linux 6.1 drivers/dma-buf/sync_file.c as DRM uses it:
 * drm_syncobj_export_sync_file, drm_syncobj_import_sync_file_fence,
 * AMDGPU_FENCE_TO_HANDLE_GET_SYNC_FILE_FD).
 *
 * A sync_file here is the read end of a pipe the vgpu creates: poll()
 * reports POLLIN on it once the fence has signalled, as on a real
 * sync_file (sync_file_poll), because a watcher thread writes one byte to
 * the write end when every fence of the sync_file's target has signalled.
 * The vgpu recognises its sync_files on import by the pipe's inode
 * (fstat st_dev/st_ino), so dup'd and inherited copies of the fd import
 * too; any other fd is -EINVAL, as sync_file_get_fence returning NULL.
 *
 * Not modelled: a sync_file passed to another process (the table is per
 * process), and the sync_file ioctls (SYNC_IOC_MERGE, SYNC_IOC_FILE_INFO).
 * The table keeps each entry (and the pipe's write end) for the life of
 * the process.
 */
#include "ctl.h"
#include "exec/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct sync_file_ent {
	dev_t dev;
	ino_t ino;
	int wfd;                 /* the pipe's write end (the vgpu's) */
	bool written;            /* the signal byte is in the pipe */
	struct sync_target t;    /* references held (exec_lock) */
};

/* All guarded by exec_lock (the targets' refcounts and states are). */
static struct sync_file_ent *ents;
static size_t nents, cap_ents;
/* The process whose watcher thread runs: a forked child has none (fork
 * copies only the calling thread) and starts its own. */
static pid_t watcher_pid;

/* Writes the signal byte of every sync_file whose target has signalled;
 * sleeps on the execution side's condition variable, which every fence
 * signal broadcasts. */
static void *watcher(void *arg)
{
	(void)arg;
	exec_lock();
	for (;;) {
		for (size_t i = 0; i < nents; i++) {
			struct sync_file_ent *e = &ents[i];
			if (!e->written && sync_target_signaled(&e->t)) {
				static const char one = 1;
				/* a fresh pipe has room; the write cannot block */
				if (write(e->wfd, &one, 1) == 1)
					e->written = true;
			}
		}
		exec_cond_wait(UINT64_MAX);
	}
	return NULL;
}

/* sync_file_create + fd_install: a new sync_file fd (O_CLOEXEC, as
 * get_unused_fd_flags(O_CLOEXEC) in drm_syncobj_export_sync_file) for a
 * copy of target t.  exec_lock held. */
static int sync_file_create_locked(const struct sync_target *t, int *out_fd)
{
	if (watcher_pid != getpid()) {
		pthread_t th;
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		int e = pthread_create(&th, &attr, watcher, NULL);
		pthread_attr_destroy(&attr);
		if (e)
			return -e;
		watcher_pid = getpid();
	}
	if (nents == cap_ents) {
		size_t cap = cap_ents ? 2 * cap_ents : 8;
		struct sync_file_ent *n = realloc(ents, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		ents = n;
		cap_ents = cap;
	}
	int p[2];
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	struct stat st;
	if (fstat(p[0], &st) < 0) {
		int e = -errno;
		close(p[0]);
		close(p[1]);
		return e;
	}
	struct sync_file_ent *e = &ents[nents];
	memset(e, 0, sizeof(*e));
	int r = sync_target_dup(t, &e->t);
	if (r) {
		close(p[0]);
		close(p[1]);
		return r;
	}
	e->dev = st.st_dev;
	e->ino = st.st_ino;
	e->wfd = p[1];
	nents++;
	*out_fd = p[0];
	exec_broadcast(); /* the watcher writes at once if already signalled */
	return 0;
}

int vgpu_sync_file_export(const struct sync_target *t, int *out_fd)
{
	exec_lock();
	int r = sync_file_create_locked(t, out_fd);
	exec_unlock();
	return r;
}

int vgpu_sync_file_export_fence(struct exec_fence *fe, int *out_fd)
{
	struct sync_target t = { 0 };
	exec_lock();
	/* No fence: export an already-signalled one, as the kernel exports
	 * dma_fence_get_stub()'s.  A target without fences is signalled. */
	int r = fe ? sync_target_of(fe, &t) : 0;
	if (!r)
		r = sync_file_create_locked(&t, out_fd);
	sync_target_free(&t);
	exec_unlock();
	return r;
}

int vgpu_sync_file_import(int fd, struct sync_target *out)
{
	struct stat st;
	*out = (struct sync_target){ 0 };
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode))
		return -EINVAL;
	int r = -EINVAL;
	exec_lock();
	for (size_t i = 0; i < nents; i++)
		if (ents[i].dev == st.st_dev && ents[i].ino == st.st_ino) {
			r = sync_target_dup(&ents[i].t, out);
			break;
		}
	exec_unlock();
	return r;
}
