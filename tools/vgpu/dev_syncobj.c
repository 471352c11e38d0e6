/*
 * DRM syncobjs (Linux 6.1 drm_syncobj.c).  Command submission may wait on
 * a syncobj (SYNCOBJ_IN) but never attaches a job's fence to one
 * (SYNCOBJ_OUT is not built), so every fence a syncobj can hold is already
 * signaled: a binary
 * syncobj either has a (signaled) fence or none, a timeline syncobj has
 * the highest point signaled so far.  Waiting on a syncobj without a fence
 * is -EINVAL, or, with WAIT_FOR_SUBMIT, a real wait (until another thread
 * signals it or the absolute timeout passes, then -ETIME).
 */
#include "dev_ctl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <drm.h>

void vgpu_syncobj_file_init(struct vgpu_ctl_file *c)
{
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&c->syncobj_changed, &attr);
	pthread_condattr_destroy(&attr);
}

static struct vgpu_syncobj *find(struct vgpu_ctl_file *c, uint32_t handle)
{
	for (size_t i = 0; i < c->num_syncobjs; i++)
		if (c->syncobjs[i].handle == handle)
			return &c->syncobjs[i];
	return NULL;
}

/* drm_syncobj_create_ioctl */
int vgpu_syncobj_create(struct vgpu_file *f, void *data)
{
	struct drm_syncobj_create *args = data;
	struct vgpu_ctl_file *c = f->ctl;
	if (args->flags & ~DRM_SYNCOBJ_CREATE_SIGNALED)
		return -EINVAL;
	if (c->num_syncobjs == c->cap_syncobjs) {
		size_t cap = c->cap_syncobjs ? 2 * c->cap_syncobjs : 8;
		struct vgpu_syncobj *n = realloc(c->syncobjs, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		c->syncobjs = n;
		c->cap_syncobjs = cap;
	}
	uint32_t h = vgpu_lowest_free_id(c->syncobjs, c->num_syncobjs,
					 sizeof(struct vgpu_syncobj), 1);
	if (!h || h > INT32_MAX)
		return -ENOSPC;
	struct vgpu_syncobj *s = &c->syncobjs[c->num_syncobjs++];
	memset(s, 0, sizeof(*s));
	s->handle = h;
	/* drm_syncobj_assign_null_handle: a signaled stub fence */
	s->has_fence = args->flags & DRM_SYNCOBJ_CREATE_SIGNALED;
	args->handle = h;
	return 0;
}

/* drm_syncobj_destroy_ioctl */
int vgpu_syncobj_destroy(struct vgpu_file *f, void *data)
{
	struct drm_syncobj_destroy *args = data;
	struct vgpu_ctl_file *c = f->ctl;
	if (args->pad)
		return -EINVAL;
	struct vgpu_syncobj *s = find(c, args->handle);
	if (!s)
		return -EINVAL;
	*s = c->syncobjs[--c->num_syncobjs];
	return 0;
}

/* drm_syncobj_array_find: copies the handle array, every handle must exist.
 * Returns indices into c->syncobjs in *out (malloc'ed). */
static int array_find(struct vgpu_ctl_file *c, uint64_t uhandles, uint32_t count,
		      uint32_t **out)
{
	uint32_t *handles = malloc((size_t)count * sizeof(*handles));
	if (!handles)
		return -ENOMEM;
	if (vgpu_copy_from_user(handles, uhandles, (size_t)count * sizeof(*handles))) {
		free(handles);
		return -EFAULT;
	}
	for (uint32_t i = 0; i < count; i++) {
		if (!find(c, handles[i])) {
			free(handles);
			return -ENOENT;
		}
	}
	*out = handles;
	return 0;
}

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* drm_syncobj_array_wait_timeout, for fences that are all signaled once
 * present.  Called and returns with f->lock held. */
static int array_wait(struct vgpu_file *f, const uint32_t *handles,
		      const uint64_t *points, uint32_t count, uint32_t flags,
		      int64_t timeout_nsec, uint32_t *first)
{
	for (;;) {
		uint32_t signaled = 0;
		bool have_first = false;
		for (uint32_t i = 0; i < count; i++) {
			struct vgpu_syncobj *s = find(f->ctl, handles[i]);
			if (!s)
				return -ENOENT; /* destroyed while we slept */
			uint64_t p = points ? points[i] : 0;
			/* dma_fence_chain_find_seqno: point 0 takes any fence;
			 * a point needs a timeline that reached it. */
			bool available = s->has_fence && (p == 0 || s->point >= p);
			if (!available) {
				if (flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT)
					continue;
				return -EINVAL;
			}
			if (!have_first) {
				*first = i;
				have_first = true;
			}
			signaled++;
		}
		if (signaled == count ||
		    (signaled > 0 && !(flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL)))
			return 0;
		/* drm_timeout_abs_to_jiffies: 0 or a past deadline polls */
		if (timeout_nsec == 0 || timeout_nsec <= now_ns())
			return -ETIME;
		struct timespec dl = {
			.tv_sec = timeout_nsec / 1000000000,
			.tv_nsec = timeout_nsec % 1000000000,
		};
		int r = pthread_cond_timedwait(&f->ctl->syncobj_changed, &f->lock, &dl);
		if (r == ETIMEDOUT && timeout_nsec <= now_ns())
			return -ETIME;
	}
}

/* drm_syncobj_wait_ioctl */
int vgpu_syncobj_wait(struct vgpu_file *f, void *data)
{
	struct drm_syncobj_wait *args = data;
	if (args->flags & ~(DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL |
			    DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT))
		return -EINVAL;
	if (args->count_handles == 0)
		return -EINVAL;
	pthread_mutex_lock(&f->lock);
	uint32_t *handles = NULL;
	int ret = array_find(f->ctl, args->handles, args->count_handles, &handles);
	uint32_t first = 0;
	if (ret == 0)
		ret = array_wait(f, handles, NULL, args->count_handles, args->flags,
				 args->timeout_nsec, &first);
	pthread_mutex_unlock(&f->lock);
	free(handles);
	if (ret == 0)
		args->first_signaled = first;
	return ret;
}

/* drm_syncobj_timeline_wait_ioctl */
int vgpu_syncobj_timeline_wait(struct vgpu_file *f, void *data)
{
	struct drm_syncobj_timeline_wait *args = data;
	if (args->flags & ~(DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL |
			    DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT |
			    DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE))
		return -EINVAL;
	if (args->count_handles == 0)
		return -EINVAL;
	pthread_mutex_lock(&f->lock);
	uint32_t *handles = NULL;
	uint64_t *points = NULL;
	int ret = array_find(f->ctl, args->handles, args->count_handles, &handles);
	if (ret == 0) {
		points = malloc((size_t)args->count_handles * sizeof(*points));
		if (!points)
			ret = -ENOMEM;
		else if (vgpu_copy_from_user(points, args->points,
					     (size_t)args->count_handles * sizeof(*points)))
			ret = -EFAULT;
	}
	uint32_t first = 0;
	/* WAIT_AVAILABLE waits for the point to exist, which for an
	 * all-signaled timeline is the same as waiting for it to signal. */
	if (ret == 0)
		ret = array_wait(f, handles, points, args->count_handles,
				 args->flags, args->timeout_nsec, &first);
	pthread_mutex_unlock(&f->lock);
	free(handles);
	free(points);
	if (ret == 0)
		args->first_signaled = first;
	return ret;
}

static void wake_waiters(struct vgpu_ctl_file *c)
{
	pthread_cond_broadcast(&c->syncobj_changed);
}

/* drm_syncobj_reset_ioctl / drm_syncobj_signal_ioctl */
static int reset_or_signal(struct vgpu_file *f, void *data, bool signal)
{
	struct drm_syncobj_array *args = data;
	if (args->pad)
		return -EINVAL;
	if (args->count_handles == 0)
		return -EINVAL;
	uint32_t *handles = NULL;
	int ret = array_find(f->ctl, args->handles, args->count_handles, &handles);
	if (ret)
		return ret;
	for (uint32_t i = 0; i < args->count_handles; i++) {
		struct vgpu_syncobj *s = find(f->ctl, handles[i]);
		s->has_fence = signal;
		s->point = 0; /* a stub (non-chain) fence, or none */
	}
	free(handles);
	wake_waiters(f->ctl);
	return 0;
}

int vgpu_syncobj_reset(struct vgpu_file *f, void *data)
{
	return reset_or_signal(f, data, false);
}

int vgpu_syncobj_signal(struct vgpu_file *f, void *data)
{
	return reset_or_signal(f, data, true);
}

/* drm_syncobj_timeline_signal_ioctl */
int vgpu_syncobj_timeline_signal(struct vgpu_file *f, void *data)
{
	struct drm_syncobj_timeline_array *args = data;
	if (args->flags != 0)
		return -EINVAL;
	if (args->count_handles == 0)
		return -EINVAL;
	uint32_t *handles = NULL;
	int ret = array_find(f->ctl, args->handles, args->count_handles, &handles);
	if (ret)
		return ret;
	uint64_t *points = calloc(args->count_handles, sizeof(*points));
	if (!points) {
		free(handles);
		return -ENOMEM;
	}
	/* A NULL points array means "all points 0" (binary signal). */
	if (args->points &&
	    vgpu_copy_from_user(points, args->points,
				(size_t)args->count_handles * sizeof(*points))) {
		free(handles);
		free(points);
		return -EFAULT;
	}
	for (uint32_t i = 0; i < args->count_handles; i++) {
		struct vgpu_syncobj *s = find(f->ctl, handles[i]);
		if (points[i] == 0) {
			s->has_fence = true; /* drm_syncobj_replace_fence */
			s->point = 0;
		} else {
			/* drm_syncobj_add_point + dma_fence_chain_init: a lower
			 * point never moves the timeline back. */
			s->has_fence = true;
			if (points[i] > s->point)
				s->point = points[i];
		}
	}
	free(handles);
	free(points);
	wake_waiters(f->ctl);
	return 0;
}

/* drm_syncobj_query_ioctl: every point is signaled, so "last signaled" and
 * "last submitted" agree; a binary fence or none reads 0. */
int vgpu_syncobj_query(struct vgpu_file *f, void *data)
{
	struct drm_syncobj_timeline_array *args = data;
	if (args->flags & ~DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED)
		return -EINVAL;
	if (args->count_handles == 0)
		return -EINVAL;
	uint32_t *handles = NULL;
	int ret = array_find(f->ctl, args->handles, args->count_handles, &handles);
	if (ret)
		return ret;
	for (uint32_t i = 0; i < args->count_handles && ret == 0; i++) {
		struct vgpu_syncobj *s = find(f->ctl, handles[i]);
		uint64_t point = s->has_fence ? s->point : 0;
		ret = vgpu_copy_to_user(args->points + i * sizeof(uint64_t), &point,
					sizeof(point));
	}
	free(handles);
	return ret;
}

/* Syncobj fd export/import and transfer need sync_file fds: not built. */
int vgpu_syncobj_not_built(struct vgpu_file *f, void *data)
{
	(void)f;
	(void)data;
	vgpu_log("syncobj fd export/import/transfer is not built in the vgpu -> EOPNOTSUPP");
	return -EOPNOTSUPP;
}

void vgpu_syncobj_file_fini(struct vgpu_ctl_file *c)
{
	free(c->syncobjs);
	c->syncobjs = NULL;
	c->num_syncobjs = c->cap_syncobjs = 0;
	pthread_cond_destroy(&c->syncobj_changed);
}
