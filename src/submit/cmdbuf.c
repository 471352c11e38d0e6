/*
 * Command buffers: dwords go straight into a CPU-mapped GTT buffer that
 * the GPU maps read-only (the CP and SDMA only fetch from an IB).  When it
 * is full a buffer twice the size replaces it; the last submission is
 * waited for first, so a buffer the GPU may still read is never freed.
 */
#include "util/api.h"
#include "internal.h"
#include "util/error.h"

#include <amdgpu_drm.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define AB_IB_MIN_BYTES (16u * 1024u)

static int wait_last(amdbare_cmdbuf *cb)
{
	if (!cb->has_last)
		return 0;
	int r = amdbare_fence_wait(&cb->last, AMDBARE_TIMEOUT_INFINITE);
	cb->has_last = false; /* waited (or failed for good): never again */
	/* A job a reset cancelled is over, so its buffer may be reused; the
	 * reset is reported to whoever waits for the job's fence, and
	 * reporting it again here would make the first operation after a
	 * recovery (amdbare_ctx_recreate) fail. */
	if (r == -ECANCELED)
		return 0;
	return r;
}

static int grow(struct ab_dwbuf *b, uint32_t need)
{
	amdbare_cmdbuf *cb = (amdbare_cmdbuf *)b; /* buf is the first member */
	/* Padding at submit counts against the same limit. */
	if (need > AB_IB_MAX_DW)
		return ab_set_error(E2BIG, "%s: command buffer of %u dwords exceeds the IB limit of "
				    "%u dwords (2^20 - 1, the INDIRECT_BUFFER size field)",
				    ab_node(cb->dev), need, AB_IB_MAX_DW);
	uint64_t bytes = (uint64_t)b->cap * 8;
	if (bytes < AB_IB_MIN_BYTES)
		bytes = AB_IB_MIN_BYTES;
	while (bytes < (uint64_t)need * 4)
		bytes *= 2;
	if (bytes > (uint64_t)(AB_IB_MAX_DW + 1) * 4)
		bytes = (uint64_t)(AB_IB_MAX_DW + 1) * 4;
	int r = wait_last(cb);
	if (r < 0)
		return r;

	amdbare_bo_create_info ci = { .size = bytes, .domains = AMDBARE_DOMAIN_GTT };
	amdbare_bo *bo = NULL;
	void *ptr = NULL;
	r = amdbare_bo_create(cb->dev, &ci, &bo);
	if (r == 0)
		r = amdbare_bo_cpu_map(bo, &ptr);
	if (r == 0)
		r = amdbare_bo_gpu_map(bo, AMDBARE_VA_READ, NULL);
	if (r < 0) {
		ab_append_error(" (while growing a command buffer to %u dwords)", need);
		amdbare_bo_free(bo);
		return r;
	}
	if (b->len)
		memcpy(ptr, b->dw, (size_t)b->len * 4);
	amdbare_bo_free(cb->ib_bo);
	cb->ib_bo = bo;
	b->dw = ptr;
	/* The last dword of a 4 MiB buffer stays unused: the limit is the
	 * IB size field, not the buffer. */
	b->cap = bytes / 4 > AB_IB_MAX_DW ? AB_IB_MAX_DW : (uint32_t)(bytes / 4);
	return 0;
}

AB_API int amdbare_cmdbuf_create(amdbare_device *dev, enum amdbare_engine engine,
				 amdbare_cmdbuf **out)
{
	if (!out)
		return ab_set_error(EINVAL, "command buffer create: NULL output pointer");
	*out = NULL;
	if (!dev)
		return ab_set_error(EINVAL, "command buffer create: NULL device");
	if (engine != AMDBARE_ENGINE_COMPUTE && engine != AMDBARE_ENGINE_DMA)
		return ab_set_error(EINVAL, "%s: command buffer for engine %d: use "
				    "AMDBARE_ENGINE_COMPUTE (1) or AMDBARE_ENGINE_DMA (2)",
				    ab_node(dev), (int)engine);
	/* The SDMA packets go with the GC generation as the PM4 tables do
	 * (SDMA 6 with GC 11, SDMA 5.2 with GC 10.3): one gate for both. */
	const struct ab_gfx_gen *gen = NULL;
	int r = ab_gfx_gen_for_device(dev, &gen);
	if (r < 0)
		return r;
	uint32_t pad = 0;
	r = ab_cs_ib_pad_dw(dev, engine, &pad);
	if (r < 0)
		return r;
	amdbare_cmdbuf *cb = calloc(1, sizeof(*cb));
	if (!cb)
		return ab_set_error(ENOMEM, "%s: out of memory for a command buffer", ab_node(dev));
	cb->dev = dev;
	cb->ip_type = engine;
	cb->gen = gen;
	cb->pad_dw = pad;
	cb->buf.grow = grow;
	*out = cb;
	return 0;
}

AB_API int amdbare_cmdbuf_free(amdbare_cmdbuf *cb)
{
	if (!cb)
		return 0;
	int r = wait_last(cb);
	int r2 = amdbare_bo_free(cb->ib_bo);
	free(cb->bos);
	free(cb->notes);
	free(cb);
	return r < 0 ? r : r2;
}

AB_API int amdbare_cmdbuf_emit(amdbare_cmdbuf *cb, uint32_t dw)
{
	return amdbare_cmdbuf_emit_array(cb, &dw, 1);
}

AB_API int amdbare_cmdbuf_emit_array(amdbare_cmdbuf *cb, const uint32_t *dw, size_t count)
{
	if (!cb || (count && !dw))
		return ab_set_error(EINVAL, "command buffer emit: NULL command buffer or data");
	if (count > AB_IB_MAX_DW)
		return cb->buf.err = ab_set_error(E2BIG, "%s: %zu dwords exceed the IB limit",
						  ab_node(cb->dev), count);
	if (count == 0)
		return cb->buf.err;
	uint32_t *d = ab_dw_reserve(&cb->buf, (uint32_t)count);
	if (!d)
		return cb->buf.err;
	memcpy(d, dw, count * 4);
	return 0;
}

AB_API size_t amdbare_cmdbuf_length(const amdbare_cmdbuf *cb)
{
	return cb ? cb->buf.len : 0;
}

AB_API int amdbare_cmdbuf_use_bo(amdbare_cmdbuf *cb, amdbare_bo *bo)
{
	if (!cb || !bo)
		return ab_set_error(EINVAL, "command buffer use_bo: NULL command buffer or buffer");
	if (bo->dev != cb->dev)
		return ab_set_error(EINVAL, "%s: buffer %u belongs to another device", ab_node(cb->dev),
				    bo->handle);
	for (uint32_t i = 0; i < cb->nbos; i++)
		if (cb->bos[i] == bo)
			return 0;
	if (cb->nbos == cb->bos_cap) {
		uint32_t cap = cb->bos_cap ? cb->bos_cap * 2 : 16;
		amdbare_bo **n = realloc(cb->bos, cap * sizeof(*n));
		if (!n)
			return ab_set_error(ENOMEM, "%s: out of memory for the BO list", ab_node(cb->dev));
		cb->bos = n;
		cb->bos_cap = cap;
	}
	cb->bos[cb->nbos++] = bo;
	return 0;
}

AB_API int amdbare_cmdbuf_reset(amdbare_cmdbuf *cb)
{
	if (!cb)
		return ab_set_error(EINVAL, "command buffer reset: NULL command buffer");
	int r = wait_last(cb);
	cb->buf.len = 0;
	cb->buf.err = 0;
	cb->nbos = 0;
	cb->nnotes = 0;
	return r;
}
