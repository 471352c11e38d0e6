/*
 * GPU contexts with the raw DRM_IOCTL_AMDGPU_CTX: allocation with a
 * priority, free, re-creation after a reset, and the reset query that
 * turns a hang into a message naming the guilty context.
 *
 * Every live context is registered (per process) so that an innocent
 * context's message can say which context of the process was guilty:
 * the kernel tells each context only about itself.
 */
#include "util/api.h"
#include "internal.h"
#include "util/error.h"

#include <amdgpu_drm.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <xf86drm.h>

_Static_assert(AMDBARE_PRIORITY_VERY_LOW == AMDGPU_CTX_PRIORITY_VERY_LOW, "priority");
_Static_assert(AMDBARE_PRIORITY_LOW == AMDGPU_CTX_PRIORITY_LOW, "priority");
_Static_assert(AMDBARE_PRIORITY_NORMAL == AMDGPU_CTX_PRIORITY_NORMAL, "priority");
_Static_assert(AMDBARE_PRIORITY_HIGH == AMDGPU_CTX_PRIORITY_HIGH, "priority");
_Static_assert(AMDBARE_PRIORITY_VERY_HIGH == AMDGPU_CTX_PRIORITY_VERY_HIGH, "priority");
_Static_assert(AMDBARE_ENGINE_COMPUTE == AMDGPU_HW_IP_COMPUTE, "engine");
_Static_assert(AMDBARE_ENGINE_DMA == AMDGPU_HW_IP_DMA, "engine");

/* The live contexts of this process, for the guilty-context lookup. */
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static amdbare_ctx **registry;
static size_t nregistry, capregistry;

static int registry_add(amdbare_ctx *ctx)
{
	pthread_mutex_lock(&registry_lock);
	if (nregistry == capregistry) {
		size_t cap = capregistry ? capregistry * 2 : 16;
		amdbare_ctx **n = realloc(registry, cap * sizeof(*n));
		if (!n) {
			pthread_mutex_unlock(&registry_lock);
			return -ENOMEM;
		}
		registry = n;
		capregistry = cap;
	}
	registry[nregistry++] = ctx;
	pthread_mutex_unlock(&registry_lock);
	return 0;
}

static void registry_remove(amdbare_ctx *ctx)
{
	pthread_mutex_lock(&registry_lock);
	for (size_t i = 0; i < nregistry; i++) {
		if (registry[i] == ctx) {
			registry[i] = registry[--nregistry];
			break;
		}
	}
	if (nregistry == 0) {
		free(registry);
		registry = NULL;
		capregistry = 0;
	}
	pthread_mutex_unlock(&registry_lock);
}

/* QUERY_STATE2 of one kernel context id: 0 or -errno. */
static int query2(amdbare_device *dev, uint32_t id, uint64_t *flags)
{
	union drm_amdgpu_ctx req;
	memset(&req, 0, sizeof(req));
	req.in.op = AMDGPU_CTX_OP_QUERY_STATE2;
	req.in.ctx_id = id;
	if (drmIoctl(dev->fd, DRM_IOCTL_AMDGPU_CTX, &req) != 0)
		return -errno;
	*flags = req.out.state.flags;
	return 0;
}

/* Another live context of the device that reports GUILTY, or 0. */
static uint32_t find_guilty(const amdbare_ctx *self)
{
	uint32_t id = 0;
	pthread_mutex_lock(&registry_lock);
	for (size_t i = 0; i < nregistry && !id; i++) {
		amdbare_ctx *o = registry[i];
		uint64_t f = 0;
		if (o == self || o->dev != self->dev)
			continue;
		if (query2(o->dev, o->id, &f) == 0 && (f & AMDGPU_CTX_QUERY2_FLAGS_GUILTY))
			id = o->id;
	}
	pthread_mutex_unlock(&registry_lock);
	return id;
}

/* ALLOC_CTX: the new kernel id or -errno (message set). */
static int alloc_kernel_ctx(amdbare_device *dev, int priority, uint32_t *id)
{
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
	*id = req.out.alloc.ctx_id;
	return 0;
}

static int free_kernel_ctx(amdbare_device *dev, uint32_t id)
{
	union drm_amdgpu_ctx req;
	memset(&req, 0, sizeof(req));
	req.in.op = AMDGPU_CTX_OP_FREE_CTX;
	req.in.ctx_id = id;
	if (drmIoctl(dev->fd, DRM_IOCTL_AMDGPU_CTX, &req) != 0)
		return -errno;
	return 0;
}

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
	uint32_t id = 0;
	int r = alloc_kernel_ctx(dev, priority, &id);
	if (r < 0)
		return r;
	amdbare_ctx *ctx = calloc(1, sizeof(*ctx));
	if (!ctx || registry_add(ctx) < 0) {
		free(ctx);
		free_kernel_ctx(dev, id);
		return ab_set_error(ENOMEM, "%s: out of memory for a context", ab_node(dev));
	}
	ctx->dev = dev;
	ctx->id = id;
	ctx->priority = priority;
	*out = ctx;
	return 0;
}

AB_API int amdbare_ctx_recreate(amdbare_ctx *ctx)
{
	if (!ctx)
		return ab_set_error(EINVAL, "context recreate: NULL context");
	/* The new one first: on failure the caller still has a context. */
	uint32_t id = 0;
	int r = alloc_kernel_ctx(ctx->dev, ctx->priority, &id);
	if (r < 0) {
		ab_append_error(" (re-creating context %u)", ctx->id);
		return r;
	}
	uint32_t old = ctx->id;
	pthread_mutex_lock(&registry_lock);
	ctx->id = id;
	ctx->generation++;
	pthread_mutex_unlock(&registry_lock);
	/* The re-creation itself succeeded: a failure to free the old id only
	 * leaves a kernel context behind until the device is closed (the
	 * kernel frees it then), so it is not the caller's error.  Reporting
	 * it would invite a second re-creation. */
	(void)free_kernel_ctx(ctx->dev, old);
	return 0;
}

AB_API int amdbare_ctx_free(amdbare_ctx *ctx)
{
	if (!ctx)
		return 0;
	registry_remove(ctx);
	int ret = free_kernel_ctx(ctx->dev, ctx->id);
	if (ret < 0)
		ret = ab_set_error(-ret, "%s: CTX FREE_CTX of context %u failed: %s",
				   ab_node(ctx->dev), ctx->id, strerror(-ret));
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
	uint64_t f = 0;
	int r = query2(ctx->dev, ctx->id, &f);
	if (r < 0)
		return ab_set_error(-r, "%s: CTX QUERY_STATE2 of context %u failed: %s",
				    ab_node(ctx->dev), ctx->id, strerror(-r));
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
	if (out->state == AMDBARE_RESET_INNOCENT)
		out->guilty_ctx_id = find_guilty(ctx);
	return 0;
}

int ab_ctx_reset_error(amdbare_ctx *ctx, const char *what)
{
	amdbare_ctx_reset_info ri;
	int r = amdbare_ctx_query_reset(ctx, &ri);
	if (r < 0)
		return ab_set_error(ECANCELED, "%s: %s: the job did not complete and context %u "
				    "could not be queried", ab_node(ctx->dev), what, ctx->id);
	const char *lost = ri.vram_lost ? "; VRAM contents were lost: upload VRAM buffers again"
					 : "";
	if (ri.state == AMDBARE_RESET_GUILTY)
		return ab_set_error(ECANCELED, "%s: %s: context %u was reset: guilty (the job "
				    "faulted or hung)%s; re-create the context "
				    "(amdbare_ctx_recreate) to submit again", ab_node(ctx->dev), what,
				    ctx->id, lost);
	if (ri.state == AMDBARE_RESET_INNOCENT) {
		char culprit[96];
		if (ri.guilty_ctx_id)
			snprintf(culprit, sizeof(culprit), "context %u of this process was guilty",
				 ri.guilty_ctx_id);
		else
			snprintf(culprit, sizeof(culprit), "no context of this process was guilty");
		return ab_set_error(ECANCELED, "%s: %s: context %u was reset: innocent (%s)%s; "
				    "re-create the context (amdbare_ctx_recreate) to submit again",
				    ab_node(ctx->dev), what, ctx->id, culprit, lost);
	}
	return ab_set_error(ECANCELED, "%s: %s: the job was cancelled but context %u reports "
			    "no reset", ab_node(ctx->dev), what, ctx->id);
}
