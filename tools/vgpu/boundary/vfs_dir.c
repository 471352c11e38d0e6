/*
 * Directory streams over the fake tree.
 *
 * A fake directory has no real counterpart, so its DIR* is a real stream on
 * "/" used only as a unique handle (never read); a real directory the tree
 * adds to ("/dev", "/sys/class", ...) is read for real first, minus the
 * entries the vgpu owns, then the fake children follow.  Streams are found
 * again by their DIR* in a small table.
 */
#include "vfs.h"

#include "base/real.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define MAX_DIRS 64

struct vdir {
	DIR *dir;            /* NULL when the slot is free */
	bool fake_only;
	int phase;           /* 0: ".", 1: "..", 2: real entries, 3: fake children */
	int child;           /* next fake child index */
	char path[VFS_PATH_MAX];
	struct dirent ent;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct vdir dirs[MAX_DIRS];
static atomic_int ndirs;

/* Held across fork() so the child never inherits it locked. */
static void dirs_prepare(void)
{
	pthread_mutex_lock(&lock);
}

static void dirs_release(void)
{
	pthread_mutex_unlock(&lock);
}

__attribute__((constructor)) static void dirs_atfork(void)
{
	pthread_atfork(dirs_prepare, dirs_release, dirs_release);
}

static struct vdir *find_locked(DIR *dir)
{
	for (int i = 0; i < MAX_DIRS; i++)
		if (dirs[i].dir == dir)
			return &dirs[i];
	return NULL;
}

DIR *vfs_opendir(const struct vfs_node *node, const char *path)
{
	bool fake_only = node->kind == VFS_DIR;
	DIR *dir = real_opendir(fake_only ? "/" : path);
	if (!dir)
		return NULL;
	pthread_mutex_lock(&lock);
	struct vdir *v = find_locked(NULL);
	if (!v) {
		pthread_mutex_unlock(&lock);
		real_closedir(dir);
		vgpu_log("too many virtual directory streams open");
		errno = EMFILE;
		return NULL;
	}
	memset(v, 0, sizeof(*v));
	v->dir = dir;
	v->fake_only = fake_only;
	v->phase = fake_only ? 0 : 2;
	snprintf(v->path, sizeof(v->path), "%s", fake_only ? node->path : path);
	/* "/dev/" and "/dev" list the same */
	size_t l = strlen(v->path);
	while (l > 1 && v->path[l - 1] == '/')
		v->path[--l] = '\0';
	atomic_fetch_add(&ndirs, 1);
	pthread_mutex_unlock(&lock);
	return dir;
}

static void fill(struct dirent *ent, const char *name, unsigned char type, ino_t ino)
{
	memset(ent, 0, offsetof(struct dirent, d_name));
	ent->d_ino = ino;
	ent->d_type = type;
	snprintf(ent->d_name, sizeof(ent->d_name), "%s", name);
	ent->d_reclen = (unsigned short)(offsetof(struct dirent, d_name) +
					 strlen(ent->d_name) + 1);
}

struct dirent *vfs_readdir(DIR *dir, bool *handled)
{
	*handled = false;
	if (atomic_load(&ndirs) == 0)
		return NULL;
	pthread_mutex_lock(&lock);
	struct vdir *v = find_locked(dir);
	pthread_mutex_unlock(&lock);
	if (!v)
		return NULL;
	/* A DIR is used by one thread at a time (POSIX), so v is ours now.
	 * readdir leaves errno alone except on error: callers tell the end of
	 * the stream from an error that way. */
	*handled = true;
	int saved = errno;
	for (;;) {
		errno = saved;
		switch (v->phase) {
		case 0:
		case 1:
			fill(&v->ent, v->phase == 0 ? "." : "..", DT_DIR, 1 + (ino_t)v->phase);
			v->ent.d_off = ++v->phase;
			return &v->ent;
		case 2: {
			struct dirent *e = real_readdir(dir);
			if (!e) {
				if (errno != saved)
					return NULL;  /* a real error */
				v->phase = 3;
				continue;
			}
			char full[2 * VFS_PATH_MAX];
			snprintf(full, sizeof(full), "%s/%s", strcmp(v->path, "/") ? v->path : "",
				 e->d_name);
			bool hidden = vfs_owned(full);
			errno = saved;
			if (hidden)
				continue;  /* the vgpu's version replaces it */
			return e;
		}
		default: {
			char name[256];
			unsigned char type;
			ino_t ino;
			bool more = vfs_child(v->path, v->child, name, sizeof(name), &type, &ino);
			errno = saved;
			if (!more)
				return NULL;  /* end of stream, errno untouched */
			v->child++;
			fill(&v->ent, name, type, ino);
			v->ent.d_off = 1000 + v->child;
			return &v->ent;
		}
		}
	}
}

bool vfs_closedir(DIR *dir)
{
	if (atomic_load(&ndirs) == 0)
		return false;
	pthread_mutex_lock(&lock);
	struct vdir *v = find_locked(dir);
	if (v) {
		v->dir = NULL;
		atomic_fetch_sub(&ndirs, 1);
	}
	pthread_mutex_unlock(&lock);
	return v != NULL;
}

bool vfs_rewinddir(DIR *dir)
{
	if (atomic_load(&ndirs) == 0)
		return false;
	pthread_mutex_lock(&lock);
	struct vdir *v = find_locked(dir);
	if (v) {
		v->phase = v->fake_only ? 0 : 2;
		v->child = 0;
	}
	pthread_mutex_unlock(&lock);
	return v != NULL;
}
