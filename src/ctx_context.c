/*
 * GPU contexts with the raw DRM_IOCTL_AMDGPU_CTX: allocation with a
 * priority, free, and the reset query that turns a hang into a message.
 */
#include "api.h"
#include "cs_internal.h"
#include "error.h"

#include <amdgpu_drm.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xf86drm.h>

_Static_assert(AMDBARE_PRIORITY_VERY_LOW == AMDGPU_CTX_PRIORITY_VERY_LOW, "priority");
_Static_assert(AMDBARE_PRIORITY_LOW == AMDGPU_CTX_PRIORITY_LOW, "priority");
_Static_assert(AMDBARE_PRIORITY_NORMAL == AMDGPU_CTX_PRIORITY_NORMAL, "priority");
_Static_assert(AMDBARE_PRIORITY_HIGH == AMDGPU_CTX_PRIORITY_HIGH, "priority");
_Static_assert(AMDBARE_PRIORITY_VERY_HIGH == AMDGPU_CTX_PRIORITY_VERY_HIGH, "priority");
_Static_assert(AMDBARE_ENGINE_COMPUTE == AMDGPU_HW_IP_COMPUTE, "engine");
_Static_assert(AMDBARE_ENGINE_DMA == AMDGPU_HW_IP_DMA, "engine");

static bool priority_known(int p)
{
	return p == AMDBARE_PRIORITY_VERY_LOW || p == AMDBARE_PRIORITY_LOW ||
	       p == AMDBARE_PRIORITY_NORMAL || p == AMDBARE_PRIORITY_HIGH ||
	       p == AMDBARE_PRIORITY_VERY_HIGH;
}

AB_API int amdbare_ctx_create(amdbare_device *dev, int priority, amdbare_ctx **out)
{
	if (!out)
		return ab_set_error(EINVAL, "context create: NULL output pointer");
	*out = NULL;
	if (!dev)
		return ab_set_error(EINVAL, "context create: NULL device");
	if (!priority_known(priority))
		return ab_set_error(EINVAL, "%s: context priority %d: use one of -1023 (very low), "
				    "-512 (low), 0 (normal), 512 (high), 1023 (very high)",
				    ab_node(dev), priority);
	union drm_amdgpu_ctx req;
	memset(&req, 0, sizeof(req));
	req.in.op = AMDGPU_CTX_OP_ALLOC_CTX;
	req.in.priority = priority;
	if (drmIoctl(dev->fd, DRM_IOCTL_AMDGPU_CTX, &req) != 0) {
		int err = errno;
		/* amdgpu_ctx_priority_permit: above NORMAL needs CAP_SYS_NICE
		 * (or DRM master, which a render node never is). */
		if (err == EACCES && priority > AMDBARE_PRIORITY_NORMAL)
			return ab_set_error(EACCES, "%s: a context of priority %d (above normal) needs "
					    "CAP_SYS_NICE (run as root or grant the capability, "
					    "e.g. setcap cap_sys_nice+ep); normal priority needs "
					    "nothing", ab_node(dev), priority);
		return ab_set_error(err, "%s: CTX ALLOC_CTX (priority %d) failed: %s", ab_node(dev),
				    priority, strerror(err));
	}
	amdbare_ctx *ctx = calloc(1, sizeof(*ctx));
	if (!ctx) {
		memset(&req, 0, sizeof(req));
		req.in.op = AMDGPU_CTX_OP_FREE_CTX;
		req.in.ctx_id = req.out.alloc.ctx_id;
		drmIoctl(dev->fd, DRM_IOCTL_AMDGPU_CTX, &req);
		return ab_set_error(ENOMEM, "%s: out of memory for a context", ab_node(dev));
	}
	ctx->dev = dev;
	ctx->id = req.out.alloc.ctx_id;
	ctx->priority = priority;
	*out = ctx;
	return 0;
}

AB_API int amdbare_ctx_free(amdbare_ctx *ctx)
{
	if (!ctx)
		return 0;
	union drm_amdgpu_ctx req;
	memset(&req, 0, sizeof(req));
	req.in.op = AMDGPU_CTX_OP_FREE_CTX;
	req.in.ctx_id = ctx->id;
	int ret = 0;
	if (drmIoctl(ctx->dev->fd, DRM_IOCTL_AMDGPU_CTX, &req) != 0)
		ret = ab_set_error(errno, "%s: CTX FREE_CTX of context %u failed: %s",
				   ab_node(ctx->dev), ctx->id, strerror(errno));
	free(ctx);
	return ret;
}

AB_API uint32_t amdbare_ctx_id(const amdbare_ctx *ctx)
{
	return ctx ? ctx->id : 0;
}

AB_API int amdbare_ctx_query_reset(amdbare_ctx *ctx, amdbare_ctx_reset_info *out)
{
	if (!ctx || !out)
		return ab_set_error(EINVAL, "context reset query: NULL context or output");
	memset(out, 0, sizeof(*out));
	union drm_amdgpu_ctx req;
	memset(&req, 0, sizeof(req));
	req.in.op = AMDGPU_CTX_OP_QUERY_STATE2;
	req.in.ctx_id = ctx->id;
	if (drmIoctl(ctx->dev->fd, DRM_IOCTL_AMDGPU_CTX, &req) != 0)
		return ab_set_error(errno, "%s: CTX QUERY_STATE2 of context %u failed: %s",
				    ab_node(ctx->dev), ctx->id, strerror(errno));
	uint64_t f = req.out.state.flags;
	out->raw_flags = f;
	out->reset = f & AMDGPU_CTX_QUERY2_FLAGS_RESET;
	out->vram_lost = f & AMDGPU_CTX_QUERY2_FLAGS_VRAMLOST;
	out->guilty = f & AMDGPU_CTX_QUERY2_FLAGS_GUILTY;
	out->ras_ce = f & AMDGPU_CTX_QUERY2_FLAGS_RAS_CE;
	out->ras_ue = f & AMDGPU_CTX_QUERY2_FLAGS_RAS_UE;
	if (out->guilty)
		out->state = AMDBARE_RESET_GUILTY;
	else if (out->reset || out->vram_lost)
		out->state = AMDBARE_RESET_INNOCENT;
	else
		out->state = AMDBARE_RESET_NONE;
	return 0;
}

int ab_ctx_reset_error(amdbare_ctx *ctx, const char *what)
{
	amdbare_ctx_reset_info ri;
	int r = amdbare_ctx_query_reset(ctx, &ri);
	if (r < 0)
		return ab_set_error(ECANCELED, "%s: %s: the job did not complete and context %u "
				    "could not be queried", ab_node(ctx->dev), what, ctx->id);
	if (ri.state == AMDBARE_RESET_GUILTY)
		return ab_set_error(ECANCELED, "%s: %s: context %u was reset: guilty (the job "
				    "faulted or hung)%s; create a new context to submit again",
				    ab_node(ctx->dev), what, ctx->id,
				    ri.vram_lost ? ", VRAM contents were lost" : "");
	if (ri.state == AMDBARE_RESET_INNOCENT)
		return ab_set_error(ECANCELED, "%s: %s: context %u was reset: innocent (another "
				    "job caused a GPU reset)%s", ab_node(ctx->dev), what, ctx->id,
				    ri.vram_lost ? ", VRAM contents were lost" : "");
	return ab_set_error(ECANCELED, "%s: %s: the job was cancelled but context %u reports "
			    "no reset", ab_node(ctx->dev), what, ctx->id);
}
