/*
 * Waiting for a submission: DRM_IOCTL_AMDGPU_WAIT_CS (K: amdgpu_cs.c
 * amdgpu_cs_wait_ioctl).  The kernel takes an absolute CLOCK_MONOTONIC
 * deadline in ns (amdgpu_gem_timeout; a value with the top bit set means
 * forever), answers status 1 when the fence is still busy at the deadline,
 * and fails with the fence's error (e.g. -ECANCELED, -ETIME) when the job
 * was killed by a reset.
 */
#include "util/api.h"
#include "internal.h"
#include "util/error.h"

#include <amdgpu_drm.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <xf86drm.h>

static uint64_t deadline(uint64_t timeout_ns)
{
	if (timeout_ns == AMDBARE_TIMEOUT_INFINITE)
		return UINT64_MAX;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t now = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	if (timeout_ns > (uint64_t)INT64_MAX - now)
		return UINT64_MAX;
	return now + timeout_ns;
}

AB_API int amdbare_fence_wait(const amdbare_fence *fence, uint64_t timeout_ns)
{
	if (!fence || !fence->ctx)
		return ab_set_error(EINVAL, "fence wait: NULL fence or fence without a context");
	amdbare_ctx *ctx = fence->ctx;
	/* The context was re-created after a reset: the fence names a job of
	 * the kernel context that was freed, whose outcome is gone with it. */
	if (fence->ctx_generation != ctx->generation)
		return ab_set_error(ECANCELED, "%s: fence %" PRIu64 " was issued before context %u "
				    "was re-created after a reset: its job's outcome is unknown; "
				    "submit it again", ab_node(ctx->dev), fence->seq, ctx->id);
	union drm_amdgpu_wait_cs req;
	memset(&req, 0, sizeof(req));
	req.in.handle = fence->seq;
	req.in.timeout = deadline(timeout_ns);
	req.in.ip_type = fence->ip_type;
	req.in.ip_instance = fence->ip_instance;
	req.in.ring = fence->ring;
	req.in.ctx_id = ctx->id;
	/* drmIoctl repeats the call on EINTR/EAGAIN with the same absolute
	 * deadline, which is the restart amdgpu_cs_wait_ioctl expects. */
	if (drmIoctl(ctx->dev->fd, DRM_IOCTL_AMDGPU_WAIT_CS, &req) != 0) {
		int err = errno;
		ab_trace_done(fence, -err);
		char what[96];
		snprintf(what, sizeof(what), "WAIT_CS for fence %" PRIu64 " of context %u", fence->seq,
			 ctx->id);
		if (err == EOPNOTSUPP || err == ENOTTY || err == ENOSYS || err == EINVAL)
			return ab_cs_error(ctx->dev, what, err);
		/* The fence carries an error: the job did not complete.  The
		 * context says whether a reset (and whose) is the cause. */
		amdbare_ctx_reset_info ri;
		int q = amdbare_ctx_query_reset(ctx, &ri);
		if (q == 0 && ri.state != AMDBARE_RESET_NONE)
			return ab_ctx_reset_error(ctx, what);
		if (q < 0 && err == ECANCELED)
			return ab_set_error(ECANCELED, "%s: %s: the job was cancelled, and whether "
					    "context %u was reset could not be queried (%s)",
					    ab_node(ctx->dev), what, ctx->id, strerror(-q));
		return ab_set_error(err, "%s: %s: the job ended with an error: %s", ab_node(ctx->dev),
				    what, strerror(err));
	}
	if (!req.out.status)
		ab_trace_done(fence, 0);
	if (req.out.status)
		return ab_set_error(ETIME, "%s: fence %" PRIu64 " of context %u still busy after %"
				    PRIu64 " ns", ab_node(ctx->dev), fence->seq, ctx->id, timeout_ns);
	return 0;
}
