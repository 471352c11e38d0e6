/*
 * Synchronous GPU copy and fill on the DMA engine: a one-operation batch,
 * submitted and waited for.  The batch checks every range before it
 * creates anything on the device, so a bad range submits nothing.
 *
 * What a call needs besides its packets (a command buffer with its GTT
 * IB, and a GPU context) is kept per device and reused: creating and
 * freeing them was most of a small copy's ioctls (INFO, GEM_CREATE, mmap,
 * GEM_VA map/unmap, GEM_CLOSE, CTX alloc/free around one CS + WAIT_CS).
 * A "slot" is one such pair, used by one call at a time; the device keeps
 * the idle ones.  A single thread always finds the same slot, so it uses
 * exactly one context; concurrent callers each take a slot (a new one when
 * none is idle) so they never wait for each other's jobs, and the slots
 * stay until amdbare_device_close.
 *
 * Resets: the kernel refuses CS with ECANCELED on a context that is
 * guilty of a hang or older than a VRAM loss (amdgpu_cs_parser_init,
 * amdgpu_cs_pass1), and a fresh context per call never met that.  So:
 *  - a call whose own job was cancelled (it hung or faulted, or a reset
 *    killed it) returns the wait's error, which names the reset; the slot's
 *    context is re-created before its next use;
 *  - a submission refused because the slot's context was reset meanwhile
 *    (another client's hang, a VRAM loss) ran nothing: the context is
 *    re-created and the job submitted once more, as a call with a fresh
 *    context would have been.
 */
#include "util/api.h"
#include "internal.h"
#include "util/error.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct ab_copy_slot {
	amdbare_batch *batch;       /* DMA batch, emptied after every call */
	amdbare_ctx *ctx;           /* created by the slot's first submission */
	bool recreate_ctx;          /* its last job was cancelled by a reset */
	struct ab_copy_slot *next;  /* dev->copy_slots while idle */
};

/* Guards every device's copy_slots list; held only to pop or push one. */
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;

/* One copy or fill, as the batch takes it. */
struct dma_op {
	bool fill;
	amdbare_bo *dst, *src;
	uint64_t dst_offset, src_offset, size;
	uint32_t value;
};

static int take_slot(amdbare_device *dev, struct ab_copy_slot **out)
{
	pthread_mutex_lock(&slots_lock);
	struct ab_copy_slot *s = dev->copy_slots;
	if (s)
		dev->copy_slots = s->next;
	pthread_mutex_unlock(&slots_lock);
	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s)
			return ab_set_error(ENOMEM, "%s: out of memory for a copy/fill slot",
					    ab_node(dev));
		int r = amdbare_batch_create(dev, AMDBARE_ENGINE_DMA, &s->batch);
		if (r < 0) {
			free(s);
			return r;
		}
	}
	s->next = NULL;
	*out = s;
	return 0;
}

static void copy_cache_release(amdbare_device *dev);

static void give_back(amdbare_device *dev, struct ab_copy_slot *s)
{
	ab_device_on_close(AB_TEARDOWN_COPY_CACHE, copy_cache_release);
	pthread_mutex_lock(&slots_lock);
	s->next = dev->copy_slots;
	dev->copy_slots = s;
	pthread_mutex_unlock(&slots_lock);
}

/* The AB_TEARDOWN_COPY_CACHE stage of device close. */
static void copy_cache_release(amdbare_device *dev)
{
	pthread_mutex_lock(&slots_lock);
	struct ab_copy_slot *s = dev->copy_slots;
	dev->copy_slots = NULL;
	pthread_mutex_unlock(&slots_lock);
	while (s) {
		struct ab_copy_slot *next = s->next;
		/* Errors here leave a kernel object until the file is closed,
		 * which close does next: nothing for the caller to act on. */
		(void)amdbare_batch_free(s->batch);
		(void)amdbare_ctx_free(s->ctx);
		free(s);
		s = next;
	}
}

/* The slot's context, created on first use, re-created after its job was
 * cancelled. */
static int ready_ctx(amdbare_device *dev, struct ab_copy_slot *s)
{
	if (!s->ctx)
		return amdbare_ctx_create(dev, AMDBARE_PRIORITY_NORMAL, &s->ctx);
	if (!s->recreate_ctx)
		return 0;
	int r = amdbare_ctx_recreate(s->ctx);
	if (r == 0)
		s->recreate_ctx = false;
	return r;
}

/* Whether the kernel reports a reset for ctx: then a CS it refused with
 * ECANCELED was refused for the context's state, not for the job. */
static bool ctx_was_reset(amdbare_ctx *ctx)
{
	amdbare_ctx_reset_info ri;
	return amdbare_ctx_query_reset(ctx, &ri) == 0 && ri.state != AMDBARE_RESET_NONE;
}

static int submit_and_wait(amdbare_device *dev, struct ab_copy_slot *s, bool *waited)
{
	amdbare_fence f;
	int r = amdbare_batch_submit(s->batch, s->ctx, &f);
	if (r == -ECANCELED) {
		/* Keep the kernel's word: it is the error if recovery fails. */
		char refused[512];
		snprintf(refused, sizeof(refused), "%s", amdbare_last_error());
		if (!ctx_was_reset(s->ctx)) {
			ab_set_error(ECANCELED, "%s", refused);
			return r;
		}
		r = amdbare_ctx_recreate(s->ctx);
		if (r < 0) {
			ab_append_error("; the copy/fill context had been refused: %s", refused);
			return r;
		}
		s->recreate_ctx = false;
		r = amdbare_batch_submit(s->batch, s->ctx, &f);
	}
	if (r < 0)
		return r;
	r = amdbare_fence_wait(&f, AMDBARE_TIMEOUT_INFINITE);
	if (r == 0) {
		*waited = true;
	} else if (r == -ECANCELED) {
		s->recreate_ctx = true;
		ab_append_error(" (%s: amdbare_copy/amdbare_fill re-create their own context on "
				"the next call)", ab_node(dev));
	}
	return r;
}

static int run_op(amdbare_device *dev, const struct dma_op *op)
{
	struct ab_copy_slot *s = NULL;
	int r = take_slot(dev, &s);
	if (r < 0)
		return r;
	if (op->fill)
		r = amdbare_batch_fill(s->batch, op->dst, op->dst_offset, op->size, op->value);
	else
		r = amdbare_batch_copy(s->batch, op->dst, op->dst_offset, op->src, op->src_offset,
				       op->size);
	bool waited = false;
	if (r == 0)
		r = ready_ctx(dev, s);
	if (r == 0)
		r = submit_and_wait(dev, s, &waited);
	/* Emptied on every path: no packets or buffer pointers of this call
	 * stay in the slot (the caller may free its buffers next). */
	char msg[1024];
	if (r < 0)
		snprintf(msg, sizeof(msg), "%s", amdbare_last_error());
	int r2 = ab_batch_discard(s->batch, waited);
	give_back(dev, s);
	if (r < 0) {
		ab_set_error(-r, "%s", msg); /* the operation's message, not the discard's */
		return r;
	}
	return r2;
}

AB_API int amdbare_copy(amdbare_device *dev, amdbare_bo *dst, uint64_t dst_offset,
			amdbare_bo *src, uint64_t src_offset, uint64_t size)
{
	if (!dev)
		return ab_set_error(EINVAL, "copy: NULL device");
	/* Ranges first: nothing is created or mapped for a call that fails. */
	int r = ab_cs_check_range(dst, dst_offset, size, "copy destination");
	if (r == 0)
		r = ab_cs_check_range(src, src_offset, size, "copy source");
	if (r < 0)
		return r;
	struct dma_op op = {.dst = dst, .dst_offset = dst_offset, .src = src,
			    .src_offset = src_offset, .size = size};
	return run_op(dev, &op);
}

AB_API int amdbare_fill(amdbare_device *dev, amdbare_bo *bo, uint64_t offset, uint64_t size,
			uint32_t value)
{
	if (!dev)
		return ab_set_error(EINVAL, "fill: NULL device");
	int r = ab_cs_check_range(bo, offset, size, "fill");
	if (r < 0)
		return r;
	if ((offset | size) & 3u)
		return ab_set_error(EINVAL, "%s: fill of %llu bytes at offset %llu: offset and size "
				    "must be multiples of 4", ab_node(dev), (unsigned long long)size,
				    (unsigned long long)offset);
	struct dma_op op = {.fill = true, .dst = bo, .dst_offset = offset, .size = size,
			    .value = value};
	return run_op(dev, &op);
}
