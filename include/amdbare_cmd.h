/*
 * amdbare command submission: contexts, command buffers (indirect
 * buffers), the raw CS ioctl, fences, batches and GPU copy/fill.
 *
 * Included by amdbare.h; the conventions stated there hold here too
 * (0 or a negative errno, a message in amdbare_last_error()).
 *
 * Engines: copies and fills run on the DMA engine (SDMA).  The compute
 * engine takes PM4 packets written with amdbare_cmdbuf_emit*; kernel
 * dispatch from a code object is built on top of this layer.
 *
 * Lifetime: free batches, command buffers and contexts before closing
 * their device (amdbare_device_close frees a command buffer's own IB
 * buffer like any other leftover buffer, after which the command buffer
 * must not be used or freed).  Buffers named in a job must stay alive
 * until its fence is waited for.
 *
 * On a kernel or device without command submission (e.g. a virtual
 * device whose execution side is not built) every submitting call returns
 * -EOPNOTSUPP with "command submission not supported by this
 * kernel/device" in the message.
 */
#ifndef AMDBARE_CMD_H
#define AMDBARE_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct amdbare_device amdbare_device;
typedef struct amdbare_bo amdbare_bo;

/* ------------------------------------------------------------------------ */
/* Contexts                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct amdbare_ctx amdbare_ctx;

/* Scheduling priorities: the kernel's AMDGPU_CTX_PRIORITY_* values. */
enum amdbare_ctx_priority {
	AMDBARE_PRIORITY_VERY_LOW = -1023,
	AMDBARE_PRIORITY_LOW = -512,
	AMDBARE_PRIORITY_NORMAL = 0,
	AMDBARE_PRIORITY_HIGH = 512,       /* needs CAP_SYS_NICE or DRM master */
	AMDBARE_PRIORITY_VERY_HIGH = 1023, /* likewise */
};

/* Creates a GPU context (DRM_IOCTL_AMDGPU_CTX, ALLOC_CTX).  -EINVAL for a
 * priority that is not one of the values above; -EACCES for HIGH or
 * VERY_HIGH without CAP_SYS_NICE (the message says so). */
int amdbare_ctx_create(amdbare_device *dev, int priority, amdbare_ctx **out);

/* Frees the context (FREE_CTX).  NULL is accepted. */
int amdbare_ctx_free(amdbare_ctx *ctx);

/* The kernel's context id. */
uint32_t amdbare_ctx_id(const amdbare_ctx *ctx);

enum amdbare_reset_state {
	AMDBARE_RESET_NONE = 0,     /* no GPU reset touched this context */
	AMDBARE_RESET_INNOCENT = 1, /* a reset happened; another job caused it */
	AMDBARE_RESET_GUILTY = 2,   /* this context's job faulted or hung */
};

typedef struct amdbare_ctx_reset_info {
	enum amdbare_reset_state state;
	bool reset;       /* AMDGPU_CTX_QUERY2_FLAGS_RESET */
	bool guilty;      /* AMDGPU_CTX_QUERY2_FLAGS_GUILTY */
	bool vram_lost;   /* AMDGPU_CTX_QUERY2_FLAGS_VRAMLOST: VRAM contents gone */
	bool ras_ce, ras_ue;
	uint64_t raw_flags;
	uint32_t guilty_ctx_id; /* see amdbare_ctx_query_reset */
} amdbare_ctx_reset_info;

/* Asks the kernel (QUERY_STATE2) whether a reset touched the context.
 * guilty_ctx_id names another live context of this process on the same
 * device that reports GUILTY (0 when none does: the culprit is in another
 * process, or the reset blamed no job). */
int amdbare_ctx_query_reset(amdbare_ctx *ctx, amdbare_ctx_reset_info *out);

/* Recovering from a GPU reset.  After a hang or fault the kernel refuses
 * new submissions on the guilty context (-ECANCELED), and, when VRAM was
 * lost, on every context created before the loss; innocent contexts
 * without VRAM loss keep working.  amdbare reports such a refusal, and a
 * wait on a cancelled job, as -ECANCELED with "context N was reset:
 * guilty ..." or "innocent (context M was guilty) ...", plus "VRAM
 * contents were lost" when they were.
 *
 * amdbare_ctx_recreate gives `ctx` a new kernel context (same priority)
 * and frees the old one; the handle stays valid, so batches and
 * dispatchers given this context go on with it.  Fences issued before
 * are void afterwards: waiting for one gives -ECANCELED.  Buffers are not
 * touched: they survive a reset, but after "VRAM contents were lost" the
 * contents of VRAM buffers are garbage and the caller must upload them
 * again.  The library's own buffers (command buffers, kernargs, uploaded
 * code objects) live in GTT, which a VRAM loss does not touch, so they
 * need nothing.  On failure (the new context could not be allocated) the
 * old context is kept; a failure to free the old kernel context after
 * the new one exists is not reported (the kernel frees it at close). */
int amdbare_ctx_recreate(amdbare_ctx *ctx);

/* ------------------------------------------------------------------------ */
/* Fences                                                                    */
/* ------------------------------------------------------------------------ */

/* Engines: the kernel's AMDGPU_HW_IP_* values. */
enum amdbare_engine {
	AMDBARE_ENGINE_COMPUTE = 1,
	AMDBARE_ENGINE_DMA = 2,
};

/* What a submission returns: the kernel's sequence number on one ring of
 * one context.  A plain value; valid while the context lives. */
typedef struct amdbare_fence {
	amdbare_ctx *ctx;
	uint32_t ip_type;     /* enum amdbare_engine */
	uint32_t ip_instance;
	uint32_t ring;
	uint64_t seq;
	uint32_t ctx_generation; /* internal: which incarnation of ctx (amdbare_ctx_recreate) */
} amdbare_fence;

#define AMDBARE_TIMEOUT_INFINITE UINT64_MAX

/* Waits for the fence (DRM_IOCTL_AMDGPU_WAIT_CS; timeout relative, in ns).
 * 0 when the job finished, -ETIME when it is still running at the
 * timeout, -ECANCELED when the job did not complete because its context
 * was reset (the message says "context N was reset: guilty (the job
 * faulted or hung)" or "innocent ..."), or the kernel's errno. */
int amdbare_fence_wait(const amdbare_fence *fence, uint64_t timeout_ns);

/* ------------------------------------------------------------------------ */
/* Command buffers (indirect buffers)                                        */
/* ------------------------------------------------------------------------ */

typedef struct amdbare_cmdbuf amdbare_cmdbuf;

/* A command buffer for one engine: dwords written straight into a
 * CPU-mapped GTT buffer that is GPU-mapped read-only; it grows (to a new,
 * larger buffer) as dwords are appended, up to 2^20 - 1 dwords (the IB
 * size field of the kernel's INDIRECT_BUFFER packet).  -EOPNOTSUPP when the
 * device's generation has no packet tables in the library yet. */
int amdbare_cmdbuf_create(amdbare_device *dev, enum amdbare_engine engine,
			  amdbare_cmdbuf **out);

/* Waits for the last submission, then frees.  NULL is accepted. */
int amdbare_cmdbuf_free(amdbare_cmdbuf *cb);

/* Append dwords.  An error (-ENOMEM, -E2BIG) is also kept and returned by
 * the next submit, so a sequence of appends may be checked once. */
int amdbare_cmdbuf_emit(amdbare_cmdbuf *cb, uint32_t dw);
int amdbare_cmdbuf_emit_array(amdbare_cmdbuf *cb, const uint32_t *dw, size_t count);

/* Dwords appended so far (before submit-time padding). */
size_t amdbare_cmdbuf_length(const amdbare_cmdbuf *cb);

/* Declares a buffer the job reads or writes; it goes into the
 * submission's BO list (the command buffer's own buffer always does).
 * Duplicates are ignored. */
int amdbare_cmdbuf_use_bo(amdbare_cmdbuf *cb, amdbare_bo *bo);

/* Empties the command buffer (and its BO list) for reuse, after waiting
 * for its last submission. */
int amdbare_cmdbuf_reset(amdbare_cmdbuf *cb);

typedef struct amdbare_submit_options {
	/* Pass the buffers as a BO list object (BO_LIST ioctl) instead of a
	 * BO_HANDLES chunk. */
	bool use_bo_list_object;
	/* SYNCOBJ_IN: wait for these DRM syncobjs before the job runs. */
	const uint32_t *wait_syncobjs;
	uint32_t num_wait_syncobjs;
	/* SYNCOBJ_OUT: signal this syncobj when the job ends (0 = none). */
	uint32_t signal_syncobj;
	/* FENCE chunk: the kernel writes the fence value into this buffer at
	 * user_fence_offset (8-byte aligned) when the job ends (NULL = none). */
	amdbare_bo *user_fence_bo;
	uint64_t user_fence_offset;
} amdbare_submit_options;

/* Pads to the engine's IB size alignment (HW_IP_INFO) with NOPs and
 * submits with one raw DRM_IOCTL_AMDGPU_CS (ring 0 of the engine).
 * opts may be NULL.  An empty command buffer is -EINVAL.  The command
 * buffer keeps its contents: reset it before building the next job. */
int amdbare_cmdbuf_submit(amdbare_cmdbuf *cb, amdbare_ctx *ctx,
			  const amdbare_submit_options *opts, amdbare_fence *fence);

/* ------------------------------------------------------------------------ */
/* Batches and copy/fill                                                     */
/* ------------------------------------------------------------------------ */

typedef struct amdbare_batch amdbare_batch;

/* A batch collects many operations and submits them with one CS ioctl.
 * DMA batches take copies and fills (the SDMA engine runs packets of one
 * IB in order, so a later operation sees an earlier one's result).
 * COMPUTE batches take PM4 packets through amdbare_batch_cmdbuf(), with
 * amdbare_batch_barrier() between dependent dispatches. */
int amdbare_batch_create(amdbare_device *dev, enum amdbare_engine engine,
			 amdbare_batch **out);
int amdbare_batch_free(amdbare_batch *batch);

/* Queue a copy / fill (DMA batches).  Ranges are checked against the
 * buffers now (-ERANGE outside the buffer, -EINVAL for size 0 or a fill
 * offset/size not a multiple of 4); buffers without a GPU mapping are
 * mapped READ|WRITE and stay mapped. */
int amdbare_batch_copy(amdbare_batch *batch, amdbare_bo *dst, uint64_t dst_offset,
		       amdbare_bo *src, uint64_t src_offset, uint64_t size);
int amdbare_batch_fill(amdbare_batch *batch, amdbare_bo *bo, uint64_t offset,
		       uint64_t size, uint32_t value);

/* Orders what follows after what precedes.  COMPUTE: EVENT_WRITE
 * CS_PARTIAL_FLUSH then ACQUIRE_MEM (cache invalidate).  DMA: nothing to
 * emit (in-order engine); returns 0. */
int amdbare_batch_barrier(amdbare_batch *batch);

/* The underlying command buffer, to append raw packets. */
amdbare_cmdbuf *amdbare_batch_cmdbuf(amdbare_batch *batch);

/* Operations queued since the last submit. */
size_t amdbare_batch_count(const amdbare_batch *batch);

/* Submits everything queued with one CS ioctl on ctx (NULL: a context the
 * batch creates and keeps).  The batch is emptied for reuse once the
 * fence is waited for (the next copy/fill waits for it if needed). */
int amdbare_batch_submit(amdbare_batch *batch, amdbare_ctx *ctx, amdbare_fence *fence);

/* Submit and wait (no timeout). */
int amdbare_batch_run(amdbare_batch *batch, amdbare_ctx *ctx);

/* Synchronous GPU copy / fill on the DMA engine: validate, map if needed,
 * build, submit, wait.  Nothing is submitted when validation fails.
 * Thread-safe.  The device keeps a cached context and command buffer per
 * concurrent caller (made on first use, freed by amdbare_device_close).
 * A call whose own job hung or faulted returns -ECANCELED with the reset
 * message; the next call re-creates the context.  A submission refused
 * because the cached context was reset meanwhile (another client's hang, a
 * VRAM loss) is re-created and submitted once more. */
int amdbare_copy(amdbare_device *dev, amdbare_bo *dst, uint64_t dst_offset,
		 amdbare_bo *src, uint64_t src_offset, uint64_t size);
int amdbare_fill(amdbare_device *dev, amdbare_bo *bo, uint64_t offset, uint64_t size,
		 uint32_t value);

#ifdef __cplusplus
}
#endif

#endif /* AMDBARE_CMD_H */
