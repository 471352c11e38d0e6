/*
 * DRM syncobjs (Linux 6.1 drm_syncobj.c).  A syncobj holds a fence: none,
 * an already-signalled one (the kernel's dma_fence_get_stub), a command
 * submission's job fence (SYNCOBJ_OUT, FENCE_TO_HANDLE) that signals when
 * the ring finishes the job, or a timeline of points
 * (SYNCOBJ_TIMELINE_SIGNAL, TIMELINE_SIGNAL ioctl, TRANSFER); the payload
 * logic is drm/syncobj_chain.c.
 *
 * Syncobjs belong to the file (its lock guards the table); their fences
 * belong to the execution side (exec_lock guards refcounts, states and
 * payloads).  Waits sleep on the execution side's condition variable,
 * which every fence signal and every payload change here broadcasts, with
 * the file lock released (lock order: file lock -> exec_lock).
 *
 * HANDLE_TO_FD / FD_TO_HANDLE with the sync_file flags export and import
 * sync_file fds (drm/sync_file.c).  Not built: the opaque syncobj fd
 * (flags 0) after its argument checks: -EOPNOTSUPP.
 */
#include "ctl.h"
#include "exec/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <drm.h>

/* drm_syncobj.c DRM_SYNCOBJ_WAIT_FOR_SUBMIT_TIMEOUT */
#define SYNCOBJ_WAIT_FOR_SUBMIT_TIMEOUT_NS 5000000000ull

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

/* Wakes SYNCOBJ waiters after a payload change (exec_lock held). */
static void payload_changed(struct vgpu_ctl_file *c)
{
	exec_broadcast();
	pthread_cond_broadcast(&c->syncobj_changed);
}

/* drm_syncobj_create + drm_syncobj_get_handle: a new handle holding t
 * (NULL: no fence).  File lock held. */
static int create_handle(struct vgpu_ctl_file *c, const struct sync_target *t, uint32_t *out)
{
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
	struct vgpu_syncobj s = { .handle = h };
	if (t) {
		exec_lock();
		int r = sync_payload_replace(&s.payload, t);
		exec_unlock();
		if (r)
			return r;
	}
	c->syncobjs[c->num_syncobjs++] = s;
	*out = h;
	return 0;
}

/* drm_syncobj_create_ioctl */
int vgpu_syncobj_create(struct vgpu_file *f, void *data)
{
	struct drm_syncobj_create *args = data;
	if (args->flags & ~DRM_SYNCOBJ_CREATE_SIGNALED)
		return -EINVAL;
	/* drm_syncobj_assign_null_handle: an already-signalled fence (what
	 * dma_fence_get_stub returns): an empty set, nothing to wait for */
	const struct sync_target already_signalled = { 0 };
	return create_handle(f->ctl,
			     (args->flags & DRM_SYNCOBJ_CREATE_SIGNALED) ? &already_signalled : NULL,
			     &args->handle);
}

int vgpu_syncobj_create_with(struct vgpu_file *f, struct exec_fence *fence, uint32_t *handle)
{
	struct sync_target t = { 0 };
	exec_lock();
	int r = fence ? sync_target_of(fence, &t) : 0;
	exec_unlock();
	if (!r)
		r = create_handle(f->ctl, &t, handle);
	exec_lock();
	sync_target_free(&t);
	exec_unlock();
	return r;
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
	exec_lock();
	sync_payload_clear(&s->payload);
	exec_unlock();
	*s = c->syncobjs[--c->num_syncobjs];
	return 0;
}

/* drm_syncobj_array_find: copies the handle array, every handle must exist. */
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

/* drm_syncobj_array_wait_timeout.  Called and returns with the file lock
 * held; sleeps without it.  Each syncobj's fence is looked up once (the
 * wait keeps that fence even if the syncobj changes later); one without
 * a fence (or without the point yet) is -EINVAL, unless WAIT_FOR_SUBMIT or
 * WAIT_AVAILABLE, where it is looked up again whenever something changes
 * (syncobj_wait_syncobj_func).  WAIT_AVAILABLE counts a present fence as
 * signaled. */
static int array_wait(struct vgpu_file *f, const uint32_t *handles, const uint64_t *points,
		      uint32_t count, uint32_t flags, int64_t timeout_nsec, uint32_t *first)
{
	const uint32_t later = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT |
			       DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE;
	const bool avail = flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE;
	struct sync_target *ent = calloc(count, sizeof(*ent));
	bool *have = calloc(count, sizeof(*have));
	int ret = 0;
	if (!ent || !have) {
		free(ent);
		free(have);
		return -ENOMEM;
	}
	/* drm_timeout_abs_to_jiffies: 0, a negative or a past time polls */
	uint64_t deadline = timeout_nsec > 0 ? (uint64_t)timeout_nsec : 0;
	uint32_t signaled = 0;
	exec_lock();
	for (uint32_t i = 0; i < count; i++) {
		struct vgpu_syncobj *s = find(f->ctl, handles[i]);
		int r = s ? sync_payload_find(&s->payload, points ? points[i] : 0, &ent[i]) : -EINVAL;
		if (r == -ENOMEM) {
			ret = r;
			goto out;
		}
		if (r) {
			if (flags & later)
				continue;
			ret = -EINVAL;
			goto out;
		}
		have[i] = true;
		if (avail || sync_target_signaled(&ent[i])) {
			if (signaled == 0)
				*first = i;
			signaled++;
		}
	}
	if (signaled == count ||
	    (signaled > 0 && !(flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL)))
		goto out;
	for (;;) {
		signaled = 0;
		for (uint32_t i = 0; i < count; i++) {
			if (!have[i]) {
				/* syncobj_wait_syncobj_func: a fence arrived? */
				struct vgpu_syncobj *s = find(f->ctl, handles[i]);
				if (!s || sync_payload_find(&s->payload, points ? points[i] : 0,
							    &ent[i]))
					continue;
				have[i] = true;
			}
			if (avail || sync_target_signaled(&ent[i])) {
				if (flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL) {
					signaled++;
				} else {
					*first = i;
					goto out;
				}
			}
		}
		if (signaled == count)
			goto out;
		if (deadline == 0 || exec_now_ns() >= deadline) {
			ret = -ETIME;
			goto out;
		}
		/* sleep with only exec_lock (released by the wait), so other
		 * threads may use the file meanwhile; re-take in lock order */
		pthread_mutex_unlock(&f->lock);
		exec_cond_wait(deadline);
		exec_unlock();
		pthread_mutex_lock(&f->lock);
		exec_lock();
	}
out:
	for (uint32_t i = 0; i < count; i++)
		sync_target_free(&ent[i]);
	exec_unlock();
	free(ent);
	free(have);
	return ret;
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
	uint32_t first = ~0u;
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
		/* a NULL points array means all points 0 */
		points = calloc(args->count_handles, sizeof(*points));
		if (!points)
			ret = -ENOMEM;
		else if (args->points &&
			 vgpu_copy_from_user(points, args->points,
					     (size_t)args->count_handles * sizeof(*points)))
			ret = -EFAULT;
	}
	uint32_t first = ~0u;
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

/* drm_syncobj_reset_ioctl (replace with no fence) / drm_syncobj_signal_ioctl
 * (drm_syncobj_assign_null_handle: an already-signalled fence (dma_fence_get_stub)) */
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
	const struct sync_target already_signalled = { 0 }; /* no fences to wait for */
	exec_lock();
	for (uint32_t i = 0; i < args->count_handles && !ret; i++)
		ret = sync_payload_replace(&find(f->ctl, handles[i])->payload,
					   signal ? &already_signalled : NULL);
	payload_changed(f->ctl);
	exec_unlock();
	free(handles);
	return ret;
}

int vgpu_syncobj_reset(struct vgpu_file *f, void *data)
{
	return reset_or_signal(f, data, false);
}

int vgpu_syncobj_signal(struct vgpu_file *f, void *data)
{
	return reset_or_signal(f, data, true);
}

/* drm_syncobj_timeline_signal_ioctl: a new point holding an already-signalled fence on each
 * syncobj (drm_syncobj_add_point; point 0 too) */
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
	if (args->points &&
	    vgpu_copy_from_user(points, args->points,
				(size_t)args->count_handles * sizeof(*points))) {
		free(handles);
		free(points);
		return -EFAULT;
	}
	const struct sync_target already_signalled = { 0 }; /* no fences to wait for */
	exec_lock();
	for (uint32_t i = 0; i < args->count_handles && !ret; i++)
		ret = sync_payload_add_point(&find(f->ctl, handles[i])->payload, &already_signalled, points[i]);
	payload_changed(f->ctl);
	exec_unlock();
	free(handles);
	free(points);
	return ret;
}

/* drm_syncobj_query_ioctl */
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
		exec_lock();
		uint64_t point = sync_payload_query(&find(f->ctl, handles[i])->payload,
						    args->flags & DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED);
		exec_unlock();
		ret = vgpu_copy_to_user(args->points + i * sizeof(uint64_t), &point,
					sizeof(point));
	}
	free(handles);
	return ret;
}

int vgpu_syncobj_find_fence(struct vgpu_file *f, uint32_t handle, uint64_t point,
			    uint64_t flags, struct sync_target *out)
{
	*out = (struct sync_target){ 0 };
	struct vgpu_syncobj *s = find(f->ctl, handle);
	if (!s)
		return -ENOENT;
	exec_lock();
	int r = sync_payload_find(&s->payload, point, out);
	exec_unlock();
	if (r != -EINVAL || !(flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT))
		return r;
	/* WAIT_FOR_SUBMIT: wait up to DRM_SYNCOBJ_WAIT_FOR_SUBMIT_TIMEOUT
	 * for a fence (for the point) to be attached.  The caller (CS,
	 * TRANSFER) holds the file lock once, from the dispatcher; sleep
	 * without it so another thread can attach the fence.  The syncobj
	 * may be destroyed meanwhile: the kernel holds a reference and just
	 * times out, so does this. */
	uint64_t deadline = exec_now_ns() + SYNCOBJ_WAIT_FOR_SUBMIT_TIMEOUT_NS;
	exec_lock();
	for (;;) {
		s = find(f->ctl, handle);
		r = s ? sync_payload_find(&s->payload, point, out) : -EINVAL;
		if (r != -EINVAL)
			break;
		if (exec_now_ns() >= deadline) {
			r = -ETIME;
			break;
		}
		pthread_mutex_unlock(&f->lock);
		exec_cond_wait(deadline);
		exec_unlock();
		pthread_mutex_lock(&f->lock);
		exec_lock();
	}
	exec_unlock();
	return r;
}

int vgpu_syncobj_attach(struct vgpu_file *f, uint32_t handle, uint64_t point,
			struct exec_fence *fence)
{
	struct vgpu_syncobj *s = find(f->ctl, handle);
	if (!s)
		return -EINVAL;
	struct sync_target t;
	exec_lock();
	int r = sync_target_of(fence, &t);
	if (!r)
		r = point ? sync_payload_add_point(&s->payload, &t, point)
			  : sync_payload_replace(&s->payload, &t);
	sync_target_free(&t);
	payload_changed(f->ctl);
	exec_unlock();
	return r;
}

/* drm_syncobj_transfer_ioctl: to_timeline (dst_point) adds the source's
 * fence as a point, to_binary replaces the destination's fence. */
int vgpu_syncobj_transfer(struct vgpu_file *f, void *data)
{
	struct drm_syncobj_transfer *args = data;
	if (args->pad)
		return -EINVAL;
	struct vgpu_syncobj *dst = find(f->ctl, args->dst_handle);
	if (!dst)
		return -ENOENT;
	struct sync_target t;
	int r = vgpu_syncobj_find_fence(f, args->src_handle, args->src_point, args->flags, &t);
	if (r)
		return r;
	exec_lock();
	dst = find(f->ctl, args->dst_handle);
	r = args->dst_point ? sync_payload_add_point(&dst->payload, &t, args->dst_point)
			    : sync_payload_replace(&dst->payload, &t);
	sync_target_free(&t);
	payload_changed(f->ctl);
	exec_unlock();
	return r;
}

/* drm_syncobj_handle_to_fd_ioctl: EXPORT_SYNC_FILE is
 * drm_syncobj_export_sync_file (the syncobj's fence at point 0 as a new
 * sync_file: -ENOENT without the syncobj, -EINVAL without a fence); the
 * opaque syncobj fd (flags 0) is not built. */
int vgpu_syncobj_handle_to_fd(struct vgpu_file *f, void *data)
{
	struct drm_syncobj_handle *args = data;
	if (args->pad)
		return -EINVAL;
	if (args->flags != 0 && args->flags != DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE)
		return -EINVAL;
	if (args->flags == 0) {
		vgpu_log("opaque syncobj fds are not built in the vgpu -> EOPNOTSUPP");
		return -EOPNOTSUPP;
	}
	struct sync_target t;
	int r = vgpu_syncobj_find_fence(f, args->handle, 0, 0, &t);
	if (r)
		return r;
	int fd = -1;
	r = vgpu_sync_file_export(&t, &fd);
	exec_lock();
	sync_target_free(&t);
	exec_unlock();
	if (!r)
		args->fd = fd;
	return r;
}

/* drm_syncobj_fd_to_handle_ioctl: IMPORT_SYNC_FILE is
 * drm_syncobj_import_sync_file_fence (the sync_file's fence replaces the
 * fence of the existing syncobj args->handle: -EINVAL for an fd that is
 * no sync_file, -ENOENT without the syncobj); the opaque syncobj fd
 * (flags 0) is not built. */
int vgpu_syncobj_fd_to_handle(struct vgpu_file *f, void *data)
{
	struct drm_syncobj_handle *args = data;
	if (args->pad)
		return -EINVAL;
	if (args->flags != 0 && args->flags != DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE)
		return -EINVAL;
	if (args->flags == 0) {
		vgpu_log("opaque syncobj fds are not built in the vgpu -> EOPNOTSUPP");
		return -EOPNOTSUPP;
	}
	struct sync_target t;
	int r = vgpu_sync_file_import(args->fd, &t);
	if (r)
		return r;
	exec_lock();
	struct vgpu_syncobj *s = find(f->ctl, args->handle);
	if (!s)
		r = -ENOENT;
	else
		r = sync_payload_replace(&s->payload, &t);
	sync_target_free(&t);
	if (!r)
		payload_changed(f->ctl);
	exec_unlock();
	return r;
}

void vgpu_syncobj_file_fini(struct vgpu_ctl_file *c)
{
	exec_lock();
	for (size_t i = 0; i < c->num_syncobjs; i++)
		sync_payload_clear(&c->syncobjs[i].payload);
	exec_unlock();
	free(c->syncobjs);
	c->syncobjs = NULL;
	c->num_syncobjs = c->cap_syncobjs = 0;
	pthread_cond_destroy(&c->syncobj_changed);
}
