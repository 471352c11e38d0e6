/*
 * The dispatcher: a compute batch plus the kernarg memory of the
 * dispatches queued in it.  Kernarg regions are bump-allocated from GTT
 * chunks (CPU-mapped, GPU-mapped read-only) that live until the job that
 * reads them has finished: after a submit, the next add waits for the job
 * (through the batch, which resets its command buffer after the wait) and
 * then reuses the chunks from the start.  Kernels with scratch share the
 * dispatcher's scratch ring (dispatch/scratch.c), grown when a kernel
 * needs bigger waves; outgrown buffers are freed at the same point as the
 * kernarg chunks are reused.
 */
#include "util/api.h"
#include "submit/internal.h"
#include "submit/trace_format.h"
#include "internal.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KARG_CHUNK_BYTES (64u * 1024u)
/* Regions start 64-byte aligned: the dispatch packet needs 64, and no
 * kernarg segment asks for more (.kernarg_segment_align <= 64 in LLVM). */
#define KARG_ALIGN 64u

struct karg_chunk {
	amdbare_bo *bo;
	uint8_t *cpu;
	uint64_t va, size;
};

struct amdbare_dispatcher {
	amdbare_device *dev;
	amdbare_batch *batch;
	struct karg_chunk *chunks;
	uint32_t nchunks, cap;
	uint32_t cur;          /* chunk being filled */
	uint64_t used;         /* bytes used in chunks[cur] */
	size_t count;          /* dispatches in the job being built */
	bool submitted;        /* the batch holds a submitted job */
	struct ab_scratch_ring scratch;
};

const struct ab_scratch_ring *ab_dispatcher_scratch(const amdbare_dispatcher *d)
{
	return &d->scratch;
}

amdbare_cmdbuf *ab_dispatcher_cmdbuf(amdbare_dispatcher *d)
{
	return amdbare_batch_cmdbuf(d->batch);
}

AB_API int amdbare_dispatcher_create(amdbare_device *dev, amdbare_dispatcher **out)
{
	if (!dev || !out)
		return ab_set_error(EINVAL, "dispatcher create: NULL device or output pointer");
	*out = NULL;
	amdbare_dispatcher *d = calloc(1, sizeof(*d));
	if (!d)
		return ab_set_error(ENOMEM, "dispatcher create: out of memory");
	d->dev = dev;
	int r = amdbare_batch_create(dev, AMDBARE_ENGINE_COMPUTE, &d->batch);
	if (r < 0) {
		free(d);
		return r;
	}
	*out = d;
	return 0;
}

AB_API int amdbare_dispatcher_free(amdbare_dispatcher *d)
{
	if (!d)
		return 0;
	/* The batch waits for its last job before the kernargs go away. */
	int r = amdbare_batch_free(d->batch);
	for (uint32_t i = 0; i < d->nchunks; i++) {
		int r2 = amdbare_bo_free(d->chunks[i].bo);
		if (r == 0)
			r = r2;
	}
	int r3 = ab_scratch_ring_free(&d->scratch);
	if (r == 0)
		r = r3;
	free(d->chunks);
	free(d);
	return r;
}

static int new_chunk(amdbare_dispatcher *d, uint64_t need)
{
	if (d->nchunks == d->cap) {
		uint32_t cap = d->cap ? d->cap * 2 : 4;
		struct karg_chunk *n = realloc(d->chunks, cap * sizeof(*n));
		if (!n)
			return ab_set_error(ENOMEM, "dispatch: out of memory for kernarg chunks");
		d->chunks = n;
		d->cap = cap;
	}
	struct karg_chunk c = {0};
	amdbare_bo_create_info ci = {
		.size = need > KARG_CHUNK_BYTES ? need : KARG_CHUNK_BYTES,
		.domains = AMDBARE_DOMAIN_GTT,
		.flags = AMDBARE_BO_CPU_ACCESS,
	};
	void *cpu = NULL;
	int r = amdbare_bo_create(d->dev, &ci, &c.bo);
	if (r == 0)
		r = amdbare_bo_cpu_map(c.bo, &cpu);
	if (r == 0)
		r = amdbare_bo_gpu_map(c.bo, AMDBARE_VA_READ, &c.va);
	if (r < 0) {
		amdbare_bo_free(c.bo);
		return r;
	}
	c.cpu = cpu;
	c.size = amdbare_bo_size(c.bo);
	d->chunks[d->nchunks++] = c;
	return 0;
}

/* A region of `bytes` for one dispatch: the CPU pointer and GPU address. */
static int alloc_region(amdbare_dispatcher *d, uint32_t bytes, uint8_t **cpu, uint64_t *va,
			amdbare_bo **bo)
{
	uint64_t at = (d->used + KARG_ALIGN - 1) / KARG_ALIGN * KARG_ALIGN;
	if (d->cur >= d->nchunks || at + bytes > d->chunks[d->cur].size) {
		if (d->cur < d->nchunks)
			d->cur++;
		/* Reuse a chunk of an earlier job if it is big enough. */
		while (d->cur < d->nchunks && d->chunks[d->cur].size < bytes)
			d->cur++;
		if (d->cur >= d->nchunks) {
			int r = new_chunk(d, bytes);
			if (r < 0)
				return r;
			d->cur = d->nchunks - 1;
		}
		at = 0;
	}
	struct karg_chunk *c = &d->chunks[d->cur];
	d->used = at + bytes;
	*cpu = c->cpu + at;
	*va = c->va + at;
	*bo = c->bo;
	return 0;
}

/* After a submit, the next operation starts a new job; the batch's
 * cmdbuf accessor waits for the old one, after which the kernarg chunks
 * are free again. */
static int begin_job(amdbare_dispatcher *d, amdbare_cmdbuf **cb)
{
	*cb = amdbare_batch_cmdbuf(d->batch);
	if (d->submitted) {
		if (amdbare_cmdbuf_length(*cb) != 0)
			return ab_set_error(EIO, "dispatch: the previous job could not be retired "
					    "(see the earlier error)");
		d->submitted = false;
		d->count = 0;
		d->cur = 0;
		d->used = 0;
		/* The job that may have used outgrown scratch buffers is done. */
		return ab_scratch_ring_retire(&d->scratch);
	}
	return 0;
}

static int ensure_mapped(amdbare_bo *bo)
{
	if (amdbare_bo_gpu_va(bo))
		return 0;
	return amdbare_bo_gpu_map(bo, AMDBARE_VA_READ | AMDBARE_VA_WRITE, NULL);
}

AB_API int amdbare_dispatcher_add(amdbare_dispatcher *d, const amdbare_dispatch_info *info)
{
	if (!d)
		return ab_set_error(EINVAL, "dispatch: NULL dispatcher");
	struct ab_dispatch_plan plan;
	int r = ab_dispatch_plan(info, &plan);
	if (r < 0)
		return r;
	if (amdbare_bo_device(info->code_bo) != d->dev)
		return ab_set_error(EINVAL, "dispatch of kernel '%s': the code buffer belongs to "
				    "another device", info->kernel->name);
	amdbare_cmdbuf *cb;
	r = begin_job(d, &cb);
	for (uint32_t i = 0; r == 0 && i < info->arg_count; i++)
		if (info->args[i].type == AMDBARE_KARG_BUFFER) {
			r = ensure_mapped(info->args[i].bo);
			if (r == 0)
				r = amdbare_cmdbuf_use_bo(cb, info->args[i].bo);
		}
	uint8_t *cpu = NULL;
	uint64_t va = 0;
	amdbare_bo *karg_bo = NULL;
	if (r == 0)
		r = alloc_region(d, plan.region_bytes, &cpu, &va, &karg_bo);
	if (r == 0)
		r = amdbare_cmdbuf_use_bo(cb, karg_bo);
	if (r == 0)
		r = amdbare_cmdbuf_use_bo(cb, info->code_bo);
	struct ab_dispatch_scratch scratch = {0};
	if (r == 0 && plan.scratch_wave_bytes) {
		amdbare_bo *sbo = NULL;
		r = ab_scratch_ring_get(&d->scratch, d->dev, plan.scratch_wave_bytes, &scratch, &sbo);
		if (r == 0)
			r = amdbare_cmdbuf_use_bo(cb, sbo);
	}
	if (r < 0)
		return r;
	ab_dispatch_fill_region(info, &plan, cpu, va);
	struct ab_pm4 p = {&cb->buf, cb->gen, true};
	/* The first dispatch of a job invalidates the GPU caches, so the
	 * kernargs and inputs the CPU just wrote are what the kernel reads. */
	if (d->count == 0)
		r = ab_pm4_acquire_mem(&p);
	if (r == 0)
		r = ab_cmdbuf_trace_note(cb, AB_TRACE_NOTE_DISPATCH, info->kernel->name);
	if (r == 0)
		r = ab_dispatch_emit(&p, info, &plan, va, &scratch);
	if (r < 0)
		return r;
	d->count++;
	return 0;
}

AB_API int amdbare_dispatcher_barrier(amdbare_dispatcher *d)
{
	if (!d)
		return ab_set_error(EINVAL, "dispatch barrier: NULL dispatcher");
	amdbare_cmdbuf *cb;
	int r = begin_job(d, &cb);
	return r < 0 ? r : amdbare_batch_barrier(d->batch);
}

AB_API size_t amdbare_dispatcher_count(const amdbare_dispatcher *d)
{
	return d && !d->submitted ? d->count : 0;
}

AB_API int amdbare_dispatcher_submit(amdbare_dispatcher *d, amdbare_ctx *ctx,
				     amdbare_fence *fence)
{
	if (!d)
		return ab_set_error(EINVAL, "dispatch submit: NULL dispatcher");
	if (d->submitted || d->count == 0)
		return ab_set_error(EINVAL, "%s: dispatch submit: no dispatch queued since the last "
				    "submit", ab_node(d->dev));
	/* Wait for the last dispatch and write its results back before the
	 * job's fence signals (the kernel's fence also writes back; this
	 * makes the order explicit and independent of the ring's fence). */
	int r = amdbare_batch_barrier(d->batch);
	if (r == 0)
		r = amdbare_batch_submit(d->batch, ctx, fence);
	if (r < 0)
		return r;
	d->submitted = true;
	return 0;
}

AB_API int amdbare_dispatcher_run(amdbare_dispatcher *d, amdbare_ctx *ctx)
{
	amdbare_fence f;
	int r = amdbare_dispatcher_submit(d, ctx, &f);
	if (r < 0)
		return r;
	return amdbare_fence_wait(&f, AMDBARE_TIMEOUT_INFINITE);
}

AB_API int amdbare_dispatch(amdbare_device *dev, const amdbare_dispatch_info *info)
{
	int r = amdbare_dispatch_check(info);
	if (r < 0)
		return r;
	amdbare_dispatcher *d;
	r = amdbare_dispatcher_create(dev, &d);
	if (r < 0)
		return r;
	r = amdbare_dispatcher_add(d, info);
	if (r == 0)
		r = amdbare_dispatcher_run(d, NULL);
	if (r < 0) {
		/* Keep the job's message: freeing after a fault may set another. */
		char msg[512];
		snprintf(msg, sizeof(msg), "%s", amdbare_last_error());
		amdbare_dispatcher_free(d);
		ab_set_error(-r, "%s", msg);
		return r;
	}
	return amdbare_dispatcher_free(d);
}
