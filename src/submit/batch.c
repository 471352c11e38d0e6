/*
 * Batches: many copies/fills (DMA) or PM4 packets (compute) in one IB,
 * one CS ioctl.  The SDMA engine executes the packets of an IB in order,
 * each finishing its writes before the next starts, so dependent copies
 * need no barrier; the compute engine overlaps dispatches, so a barrier
 * is a CS_PARTIAL_FLUSH (wait for running waves) followed by ACQUIRE_MEM
 * (write back / invalidate caches), the order the kernel and libdrm's
 * tests use between dependent work.
 */
#include "util/api.h"
#include "internal.h"
#include "util/error.h"
#include "gfx/pm4_builder.h"
#include "gfx/sdma_builder.h"

#include <amdgpu_drm.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct amdbare_batch {
	amdbare_cmdbuf *cb;
	amdbare_ctx *own_ctx;   /* created on the first submit without a context */
	size_t count;           /* operations since the last submit */
	bool submitted;         /* cb holds a submitted job: reset before adding */
};

int ab_cs_check_range(amdbare_bo *bo, uint64_t offset, uint64_t size, const char *what)
{
	if (!bo)
		return ab_set_error(EINVAL, "%s: NULL buffer", what);
	if (size == 0)
		return ab_set_error(EINVAL, "%s: size 0", what);
	if (offset > bo->size || size > bo->size - offset)
		return ab_set_error(ERANGE, "%s: range [%" PRIu64 ", %" PRIu64 ") is outside buffer %u "
				    "of %" PRIu64 " bytes", what, offset, offset + size, bo->handle,
				    bo->size);
	return 0;
}

static int ensure_gpu_mapped(amdbare_bo *bo)
{
	if (bo->gpu_va)
		return 0;
	return amdbare_bo_gpu_map(bo, AMDBARE_VA_READ | AMDBARE_VA_WRITE, NULL);
}

AB_API int amdbare_batch_create(amdbare_device *dev, enum amdbare_engine engine,
				amdbare_batch **out)
{
	if (!out)
		return ab_set_error(EINVAL, "batch create: NULL output pointer");
	*out = NULL;
	amdbare_batch *b = calloc(1, sizeof(*b));
	if (!b)
		return ab_set_error(ENOMEM, "batch create: out of memory");
	int r = amdbare_cmdbuf_create(dev, engine, &b->cb);
	if (r < 0) {
		free(b);
		return r;
	}
	*out = b;
	return 0;
}

AB_API int amdbare_batch_free(amdbare_batch *b)
{
	if (!b)
		return 0;
	int r = amdbare_cmdbuf_free(b->cb);
	int r2 = amdbare_ctx_free(b->own_ctx);
	free(b);
	return r < 0 ? r : r2;
}

/* After a submit, the next operation starts a new job. */
static int begin_op(amdbare_batch *b)
{
	if (!b->submitted)
		return 0;
	b->submitted = false;
	b->count = 0;
	return amdbare_cmdbuf_reset(b->cb);
}

static int need_dma(amdbare_batch *b, const char *what)
{
	if (b->cb->ip_type != AMDGPU_HW_IP_DMA)
		return ab_set_error(EINVAL, "%s: %s: copies and fills go to a DMA batch "
				    "(AMDBARE_ENGINE_DMA); this batch is for the compute engine",
				    ab_node(b->cb->dev), what);
	return 0;
}

static int same_device(amdbare_batch *b, amdbare_bo *bo, const char *what)
{
	if (bo->dev != b->cb->dev)
		return ab_set_error(EINVAL, "%s: %s: buffer %u belongs to another device",
				    ab_node(b->cb->dev), what, bo->handle);
	return 0;
}

AB_API int amdbare_batch_copy(amdbare_batch *b, amdbare_bo *dst, uint64_t dst_offset,
			      amdbare_bo *src, uint64_t src_offset, uint64_t size)
{
	if (!b)
		return ab_set_error(EINVAL, "batch copy: NULL batch");
	int r = need_dma(b, "copy");
	if (r == 0)
		r = ab_cs_check_range(dst, dst_offset, size, "copy destination");
	if (r == 0)
		r = ab_cs_check_range(src, src_offset, size, "copy source");
	if (r == 0)
		r = same_device(b, dst, "copy");
	if (r == 0)
		r = same_device(b, src, "copy");
	if (r < 0)
		return r;
	if (dst == src && dst_offset < src_offset + size && src_offset < dst_offset + size)
		return ab_set_error(EINVAL, "%s: copy within buffer %u: ranges at %" PRIu64 " and %"
				    PRIu64 " of %" PRIu64 " bytes overlap", ab_node(b->cb->dev),
				    dst->handle, dst_offset, src_offset, size);
	r = begin_op(b);
	if (r == 0)
		r = ensure_gpu_mapped(dst);
	if (r == 0)
		r = ensure_gpu_mapped(src);
	if (r == 0)
		r = amdbare_cmdbuf_use_bo(b->cb, dst);
	if (r == 0)
		r = amdbare_cmdbuf_use_bo(b->cb, src);
	if (r == 0)
		r = ab_sdma_copy(&b->cb->buf, dst->gpu_va + dst_offset, src->gpu_va + src_offset, size);
	if (r < 0)
		return r;
	b->count++;
	return 0;
}

AB_API int amdbare_batch_fill(amdbare_batch *b, amdbare_bo *bo, uint64_t offset, uint64_t size,
			      uint32_t value)
{
	if (!b)
		return ab_set_error(EINVAL, "batch fill: NULL batch");
	int r = need_dma(b, "fill");
	if (r == 0)
		r = ab_cs_check_range(bo, offset, size, "fill");
	if (r == 0)
		r = same_device(b, bo, "fill");
	if (r < 0)
		return r;
	if ((offset | size) & 3u)
		return ab_set_error(EINVAL, "%s: fill of %" PRIu64 " bytes at offset %" PRIu64
				    ": SDMA CONST_FILL writes whole dwords, so offset and size "
				    "must be multiples of 4", ab_node(b->cb->dev), size, offset);
	r = begin_op(b);
	if (r == 0)
		r = ensure_gpu_mapped(bo);
	if (r == 0)
		r = amdbare_cmdbuf_use_bo(b->cb, bo);
	if (r == 0)
		r = ab_sdma_fill(&b->cb->buf, bo->gpu_va + offset, size, value);
	if (r < 0)
		return r;
	b->count++;
	return 0;
}

int ab_batch_discard(amdbare_batch *b, bool waited)
{
	/* A fence already waited for needs no second WAIT_CS; one that was
	 * not (the wait failed, or was never reached) is waited for by the
	 * reset, so the IB is never rewritten while the GPU may read it. */
	if (waited)
		b->cb->has_last = false;
	b->submitted = false;
	b->count = 0;
	return amdbare_cmdbuf_reset(b->cb);
}

AB_API int amdbare_batch_barrier(amdbare_batch *b)
{
	if (!b)
		return ab_set_error(EINVAL, "batch barrier: NULL batch");
	if (b->cb->ip_type == AMDGPU_HW_IP_DMA)
		return 0; /* in-order engine: see the top of this file */
	int r = begin_op(b);
	if (r < 0)
		return r;
	struct ab_pm4 p = { &b->cb->buf, b->cb->gen, true };
	r = ab_pm4_cs_partial_flush(&p);
	if (r == 0)
		r = ab_pm4_acquire_mem(&p);
	return r;
}

AB_API amdbare_cmdbuf *amdbare_batch_cmdbuf(amdbare_batch *b)
{
	if (!b)
		return NULL;
	if (begin_op(b) < 0)
		return b->cb; /* the error stays in amdbare_last_error(); the buffer is reset */
	return b->cb;
}

AB_API size_t amdbare_batch_count(const amdbare_batch *b)
{
	return b && !b->submitted ? b->count : 0;
}

AB_API int amdbare_batch_submit(amdbare_batch *b, amdbare_ctx *ctx, amdbare_fence *fence)
{
	if (!b)
		return ab_set_error(EINVAL, "batch submit: NULL batch");
	if (b->submitted || amdbare_cmdbuf_length(b->cb) == 0)
		return ab_set_error(EINVAL, "%s: batch submit: nothing queued since the last submit",
				    ab_node(b->cb->dev));
	if (!ctx) {
		if (!b->own_ctx) {
			int r = amdbare_ctx_create(b->cb->dev, AMDBARE_PRIORITY_NORMAL, &b->own_ctx);
			if (r < 0)
				return r;
		}
		ctx = b->own_ctx;
	}
	int r = amdbare_cmdbuf_submit(b->cb, ctx, NULL, fence);
	if (r < 0)
		return r;
	b->submitted = true;
	return 0;
}

AB_API int amdbare_batch_run(amdbare_batch *b, amdbare_ctx *ctx)
{
	amdbare_fence f;
	int r = amdbare_batch_submit(b, ctx, &f);
	if (r < 0)
		return r;
	return amdbare_fence_wait(&f, AMDBARE_TIMEOUT_INFINITE);
}
