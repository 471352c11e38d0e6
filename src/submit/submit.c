/*
 * The raw DRM_IOCTL_AMDGPU_CS: one IB chunk, the job's buffers (a
 * BO_HANDLES chunk or a BO list object), optional FENCE / SYNCOBJ_IN /
 * SYNCOBJ_OUT chunks.  Chunk layouts: U: include/uapi/drm/amdgpu_drm.h;
 * the kernel side that parses them: K: amdgpu/amdgpu_cs.c
 * (amdgpu_cs_pass1, amdgpu_cs_p1_ib, amdgpu_cs_p1_bo_handles).
 */
#include "util/api.h"
#include "internal.h"
#include "util/error.h"
#include "gfx/pm4_builder.h"
#include "gfx/sdma_builder.h"

#include <amdgpu_drm.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xf86drm.h>

static atomic_uint_fast64_t cs_ioctls;

uint64_t ab_cs_ioctl_count(void)
{
	return atomic_load(&cs_ioctls);
}

static const char *engine_name(uint32_t ip_type)
{
	return ip_type == AMDGPU_HW_IP_DMA ? "DMA (SDMA)" :
	       ip_type == AMDGPU_HW_IP_COMPUTE ? "compute" : "unknown engine";
}

int ab_cs_error(amdbare_device *dev, const char *what, int err)
{
	/* A kernel (or virtual device) without the CS ioctls answers
	 * ENOTTY/EOPNOTSUPP; a device without the engine ENODEV. */
	if (err == EOPNOTSUPP || err == ENOTTY || err == ENOSYS)
		return ab_set_error(EOPNOTSUPP, "%s: %s: command submission not supported by this "
				    "kernel/device (%s)", ab_node(dev), what, strerror(err));
	return ab_set_error(err, "%s: %s failed: %s", ab_node(dev), what, strerror(err));
}

int ab_cs_ib_pad_dw(amdbare_device *dev, uint32_t ip_type, uint32_t *pad_dw)
{
	struct drm_amdgpu_info_hw_ip ip;
	struct drm_amdgpu_info req;
	memset(&ip, 0, sizeof(ip));
	memset(&req, 0, sizeof(req));
	req.return_pointer = (uintptr_t)&ip;
	req.return_size = sizeof(ip);
	req.query = AMDGPU_INFO_HW_IP_INFO;
	req.query_hw_ip.type = ip_type;
	req.query_hw_ip.ip_instance = 0;
	if (drmIoctl(dev->fd, DRM_IOCTL_AMDGPU_INFO, &req) != 0)
		return ab_set_error(errno, "%s: INFO HW_IP_INFO for the %s engine failed: %s",
				    ab_node(dev), engine_name(ip_type), strerror(errno));
	if (!(ip.available_rings & 1))
		return ab_set_error(EOPNOTSUPP, "%s: the %s engine has no ring 0 available "
				    "(available_rings 0x%x): command submission not supported by "
				    "this kernel/device on that engine", ab_node(dev),
				    engine_name(ip_type), ip.available_rings);
	/* amdgpu_hw_ip_info reports GFX/compute 32 and SDMA 4; libdrm does not
	 * say the unit, so take it as dwords (the stricter reading), and never
	 * less than the 8 dwords the kernel's own pad_ib uses. */
	uint32_t pad = ip.ib_size_alignment;
	if (pad < 8)
		pad = 8;
	if (pad & (pad - 1) || pad > 4096)
		return ab_set_error(EINVAL, "%s: HW_IP_INFO ib_size_alignment %u for the %s engine "
				    "is not a power of two up to 4096", ab_node(dev),
				    ip.ib_size_alignment, engine_name(ip_type));
	*pad_dw = pad;
	return 0;
}

/* Pads the IB to the engine's alignment with the engine's NOP. */
static int pad_ib(amdbare_cmdbuf *cb)
{
	if (cb->ip_type == AMDGPU_HW_IP_DMA)
		return ab_sdma_pad(&cb->buf, cb->pad_dw);
	uint32_t n = (0u - cb->buf.len) & (cb->pad_dw - 1);
	if (n == 0)
		return 0;
	uint32_t *d = ab_dw_reserve(&cb->buf, n);
	if (!d)
		return cb->buf.err;
	for (uint32_t i = 0; i < n; i++)
		d[i] = cb->gen->pm4_nop_dword; /* amdgpu_ring_generic_pad_ib */
	return 0;
}

static int bo_list_op(amdbare_device *dev, uint32_t op, uint32_t handle,
		      struct drm_amdgpu_bo_list_entry *entries, uint32_t n, uint32_t *out)
{
	union drm_amdgpu_bo_list req;
	memset(&req, 0, sizeof(req));
	req.in.operation = op;
	req.in.list_handle = handle;
	req.in.bo_number = n;
	req.in.bo_info_size = sizeof(*entries);
	req.in.bo_info_ptr = (uintptr_t)entries;
	if (drmIoctl(dev->fd, DRM_IOCTL_AMDGPU_BO_LIST, &req) != 0)
		return -errno;
	if (out)
		*out = req.out.list_handle;
	return 0;
}

AB_API int amdbare_cmdbuf_submit(amdbare_cmdbuf *cb, amdbare_ctx *ctx,
				 const amdbare_submit_options *opts, amdbare_fence *fence)
{
	if (!cb || !ctx)
		return ab_set_error(EINVAL, "submit: NULL command buffer or context");
	amdbare_device *dev = cb->dev;
	if (ctx->dev != dev)
		return ab_set_error(EINVAL, "%s: submit: the context belongs to another device",
				    ab_node(dev));
	if (cb->buf.err)
		return ab_set_error(-cb->buf.err, "%s: submit: building the command buffer failed "
				    "earlier (%s); reset it and build again", ab_node(dev),
				    strerror(-cb->buf.err));
	if (cb->buf.len == 0)
		return ab_set_error(EINVAL, "%s: submit: the command buffer is empty", ab_node(dev));
	amdbare_submit_options none;
	memset(&none, 0, sizeof(none));
	if (!opts)
		opts = &none;
	if (opts->num_wait_syncobjs && !opts->wait_syncobjs)
		return ab_set_error(EINVAL, "%s: submit: %u wait syncobjs but a NULL array",
				    ab_node(dev), opts->num_wait_syncobjs);
	if (opts->user_fence_bo && (opts->user_fence_offset & 7 ||
				    opts->user_fence_offset + 8 > amdbare_bo_size(opts->user_fence_bo)))
		return ab_set_error(EINVAL, "%s: submit: user fence offset %" PRIu64 " must be "
				    "8-aligned and leave 8 bytes in the buffer", ab_node(dev),
				    opts->user_fence_offset);
	int r = pad_ib(cb);
	if (r < 0)
		return ab_set_error(-r, "%s: submit: padding the IB failed: %s", ab_node(dev),
				    strerror(-r));

	/* The job's buffers, the IB's own first. */
	uint32_t nbos = cb->nbos + 1 + (opts->user_fence_bo ? 1 : 0);
	struct drm_amdgpu_bo_list_entry *entries = calloc(nbos, sizeof(*entries));
	/* the same list as buffers, for the trace */
	amdbare_bo **listed = calloc(nbos, sizeof(*listed));
	struct drm_amdgpu_cs_chunk_sem *in_sems =
		calloc(opts->num_wait_syncobjs ? opts->num_wait_syncobjs : 1, sizeof(*in_sems));
	if (!entries || !listed || !in_sems) {
		free(entries);
		free(listed);
		free(in_sems);
		return ab_set_error(ENOMEM, "%s: submit: out of memory", ab_node(dev));
	}
	uint32_t ne = 0;
	listed[ne] = cb->ib_bo;
	entries[ne++].bo_handle = cb->ib_bo->handle;
	for (uint32_t i = 0; i < cb->nbos; i++)
		if (cb->bos[i] != cb->ib_bo) {
			listed[ne] = cb->bos[i];
			entries[ne++].bo_handle = cb->bos[i]->handle;
		}
	if (opts->user_fence_bo) {
		listed[ne] = opts->user_fence_bo;
		entries[ne++].bo_handle = opts->user_fence_bo->handle;
	}

	struct drm_amdgpu_cs_chunk chunks[5];
	uint64_t chunk_ptrs[5];
	uint32_t nc = 0;

	struct drm_amdgpu_cs_chunk_ib ib;
	memset(&ib, 0, sizeof(ib));
	ib.va_start = cb->ib_bo->gpu_va;
	ib.ib_bytes = cb->buf.len * 4;
	ib.ip_type = cb->ip_type;
	ib.ip_instance = 0;
	ib.ring = 0;
	chunks[nc++] = (struct drm_amdgpu_cs_chunk){ AMDGPU_CHUNK_ID_IB, sizeof(ib) / 4,
						     (uintptr_t)&ib };

	struct drm_amdgpu_bo_list_in handles;
	uint32_t list_handle = 0;
	if (opts->use_bo_list_object) {
		r = bo_list_op(dev, AMDGPU_BO_LIST_OP_CREATE, 0, entries, ne, &list_handle);
		if (r < 0) {
			free(entries);
			free(listed);
			free(in_sems);
			return ab_cs_error(dev, "BO_LIST CREATE for a submission", -r);
		}
	} else {
		memset(&handles, 0, sizeof(handles));
		/* libdrm's amdgpu_cs_submit_raw2 fills these two with ~0: the
		 * kernel ignores them for the chunk form. */
		handles.operation = ~0u;
		handles.list_handle = ~0u;
		handles.bo_number = ne;
		handles.bo_info_size = sizeof(*entries);
		handles.bo_info_ptr = (uintptr_t)entries;
		chunks[nc++] = (struct drm_amdgpu_cs_chunk){ AMDGPU_CHUNK_ID_BO_HANDLES,
							     sizeof(handles) / 4,
							     (uintptr_t)&handles };
	}

	struct drm_amdgpu_cs_chunk_fence user_fence;
	if (opts->user_fence_bo) {
		memset(&user_fence, 0, sizeof(user_fence));
		user_fence.handle = opts->user_fence_bo->handle;
		user_fence.offset = (uint32_t)opts->user_fence_offset;
		chunks[nc++] = (struct drm_amdgpu_cs_chunk){ AMDGPU_CHUNK_ID_FENCE,
							     sizeof(user_fence) / 4,
							     (uintptr_t)&user_fence };
	}
	if (opts->num_wait_syncobjs) {
		for (uint32_t i = 0; i < opts->num_wait_syncobjs; i++)
			in_sems[i].handle = opts->wait_syncobjs[i];
		chunks[nc++] = (struct drm_amdgpu_cs_chunk){
			AMDGPU_CHUNK_ID_SYNCOBJ_IN,
			opts->num_wait_syncobjs * (uint32_t)(sizeof(*in_sems) / 4),
			(uintptr_t)in_sems };
	}
	struct drm_amdgpu_cs_chunk_sem out_sem = { opts->signal_syncobj };
	if (opts->signal_syncobj)
		chunks[nc++] = (struct drm_amdgpu_cs_chunk){ AMDGPU_CHUNK_ID_SYNCOBJ_OUT,
							     sizeof(out_sem) / 4,
							     (uintptr_t)&out_sem };
	for (uint32_t i = 0; i < nc; i++)
		chunk_ptrs[i] = (uintptr_t)&chunks[i];

	union drm_amdgpu_cs cs;
	memset(&cs, 0, sizeof(cs));
	cs.in.ctx_id = ctx->id;
	cs.in.bo_list_handle = list_handle;
	cs.in.num_chunks = nc;
	cs.in.chunks = (uintptr_t)chunk_ptrs;
	atomic_fetch_add(&cs_ioctls, 1);
	uint64_t submit_ns = ab_trace_now_ns();
	/* drmIoctl repeats the call on EINTR and EAGAIN, as libdrm's own
	 * amdgpu_cs_submit_raw2 relies on. */
	int err = drmIoctl(dev->fd, DRM_IOCTL_AMDGPU_CS, &cs) != 0 ? errno : 0;
	ab_trace_cs(cb, ctx, opts, listed, ne, err ? 0 : cs.out.handle, -err, submit_ns);
	if (list_handle)
		bo_list_op(dev, AMDGPU_BO_LIST_OP_DESTROY, list_handle, NULL, 0, NULL);
	free(entries);
	free(listed);
	free(in_sems);
	/* amdgpu_cs_parser_init: the context is guilty of an earlier hang;
	 * amdgpu_cs_pass1: the context is older than a VRAM loss.  Nothing was
	 * queued; the message names the culprit. */
	if (err == ECANCELED)
		return ab_ctx_reset_error(ctx, "command submission refused");
	if (err) {
		/* Name the optional chunks: a kernel may support CS but not one
		 * of them, and the message must not blame CS as a whole then. */
		char what[192];
		snprintf(what, sizeof(what), "CS of a %u-dword IB on the %s engine%s%s%s%s%s",
			 cb->buf.len, engine_name(cb->ip_type),
			 nc > (opts->use_bo_list_object ? 1u : 2u) ? " with optional chunks:" : "",
			 opts->user_fence_bo ? " FENCE" : "",
			 opts->num_wait_syncobjs ? " SYNCOBJ_IN" : "",
			 opts->signal_syncobj ? " SYNCOBJ_OUT" : "",
			 opts->use_bo_list_object ? " (BO list object)" : "");
		return ab_cs_error(dev, what, err);
	}
	cb->last = (amdbare_fence){ ctx, cb->ip_type, 0, 0, cs.out.handle, ctx->generation };
	cb->has_last = true;
	if (fence)
		*fence = cb->last;
	return 0;
}
