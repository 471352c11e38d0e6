/*
 * opendir/readdir/closedir/rewinddir and scandir over the fake tree.
 * glibc's scandir uses its internal opendir, so it is reimplemented here for
 * our directories (libpciaccess and radeontop's fallback scan use it).
 * struct dirent and dirent64 are the same layout on x86-64.
 */
#include "vfs.h"

#include "base/real.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(struct dirent) == sizeof(struct dirent64),
	       "struct dirent and dirent64 differ on this ABI");

VGPU_INTERPOSE DIR *opendir(const char *path)
{
	if (!vfs_candidate(path))
		return real_opendir(path);
	struct vfs_node n;
	switch (vfs_lookup(path, VFS_FOLLOW, &n)) {
	case VFS_PASS:
		if (n.canon[0] && vfs_is_merge_dir(n.canon))
			return vfs_opendir(&n, n.canon);
		return real_opendir(n.path);
	case VFS_ERR:
		errno = n.err;
		return NULL;
	case VFS_DIR:
		return vfs_opendir(&n, n.path);
	default:
		errno = ENOTDIR;
		return NULL;
	}
}

VGPU_INTERPOSE struct dirent *readdir(DIR *dir)
{
	bool handled;
	struct dirent *e = vfs_readdir(dir, &handled);
	return handled ? e : real_readdir(dir);
}

VGPU_INTERPOSE struct dirent64 *readdir64(DIR *dir)
{
	return (struct dirent64 *)readdir(dir);
}

VGPU_INTERPOSE int closedir(DIR *dir)
{
	vfs_closedir(dir);
	return real_closedir(dir);
}

VGPU_INTERPOSE void rewinddir(DIR *dir)
{
	vfs_rewinddir(dir);
	real_rewinddir(dir);
}

typedef int (*dirent_cmp)(const struct dirent **, const struct dirent **);

static int cmp_trampoline(const void *a, const void *b, void *arg)
{
	dirent_cmp cmp = *(dirent_cmp *)arg;
	return cmp((const struct dirent **)a, (const struct dirent **)b);
}

/* scandir(3) semantics over our readdir. */
static int scan_ours(DIR *dir, struct dirent ***list,
		     int (*filter)(const struct dirent *), dirent_cmp compar)
{
	struct dirent **v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	int saved = errno;
	errno = 0;
	while ((e = readdir(dir))) {
		if (filter && !filter(e))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			struct dirent **nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				goto fail;
			v = nv;
		}
		struct dirent *copy = malloc(sizeof(*copy));
		if (!copy)
			goto fail;
		memcpy(copy, e, sizeof(*copy));
		v[n++] = copy;
	}
	if (errno)
		goto fail;
	closedir(dir);
	if (compar && n > 1)
		qsort_r(v, n, sizeof(*v), cmp_trampoline, &compar);
	*list = v;
	errno = saved;
	return (int)n;
fail:;
	int err = errno ? errno : ENOMEM;
	while (n)
		free(v[--n]);
	free(v);
	closedir(dir);
	errno = err;
	return -1;
}

static int do_scandir(const char *path, struct dirent ***list,
		      int (*filter)(const struct dirent *), dirent_cmp compar)
{
	if (vfs_candidate(path)) {
		struct vfs_node n;
		enum vfs_kind k = vfs_lookup(path, VFS_FOLLOW, &n);
		if (k != VFS_PASS || (n.canon[0] && vfs_is_merge_dir(n.canon))) {
			DIR *dir = opendir(path);
			if (!dir)
				return -1;
			return scan_ours(dir, list, filter, compar);
		}
		return real_scandir(n.path, list, filter, compar);
	}
	return real_scandir(path, list, filter, compar);
}

VGPU_INTERPOSE int scandir(const char *path, struct dirent ***list,
			   int (*filter)(const struct dirent *), dirent_cmp compar)
{
	return do_scandir(path, list, filter, compar);
}

VGPU_INTERPOSE int scandir64(const char *path, struct dirent64 ***list,
			     int (*filter)(const struct dirent64 *),
			     int (*compar)(const struct dirent64 **, const struct dirent64 **))
{
	/* Same layout: the casts only rename the type. */
	return do_scandir(path, (struct dirent ***)list,
			  (int (*)(const struct dirent *))(void (*)(void))filter,
			  (dirent_cmp)(void (*)(void))compar);
}
