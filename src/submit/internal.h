/*
 * What contexts, command buffers and batches are inside the library,
 * shared by the files of submit/.
 */
#ifndef AB_CS_INTERNAL_H
#define AB_CS_INTERNAL_H

#include "device/internal.h"
#include "gfx/regs_gen.h"
#include "gfx/ib_dwbuf.h"

#include <stdbool.h>
#include <stdint.h>

struct amdbare_ctx {
	amdbare_device *dev;
	uint32_t id;          /* the kernel's context id */
	int priority;
	/* bumped by amdbare_ctx_recreate; fences carry the value they were
	 * issued under */
	uint32_t generation;
};

struct amdbare_cmdbuf {
	struct ab_dwbuf buf;  /* first: the grow callback finds the cmdbuf from it */
	amdbare_device *dev;
	uint32_t ip_type;     /* AMDGPU_HW_IP_COMPUTE or _DMA */
	const struct ab_gfx_gen *gen;
	uint32_t pad_dw;      /* submit pads the IB to a multiple of this */
	amdbare_bo *ib_bo;    /* CPU- and GPU-mapped GTT buffer behind buf.dw */
	amdbare_bo **bos;     /* BOs the job uses (ib_bo is added at submit) */
	uint32_t nbos, bos_cap;
	amdbare_fence last;   /* last submission, when has_last */
	bool has_last;
	/* Names of packets for the trace (dispatched kernels), only while
	 * AMDBARE_TRACE records; emptied with the command buffer. */
	struct ab_trace_note *notes;
	uint32_t nnotes, notes_cap;
};

/* A command buffer refuses more dwords than the IB size field holds. */
#define AB_IB_MAX_DW ((1u << 20) - 1)

/* Turns the kernel's ENODEV / EOPNOTSUPP for CS ioctls into the message
 * "command submission not supported by this kernel/device"; other errors
 * get `what` and strerror.  Returns -err. */
int ab_cs_error(amdbare_device *dev, const char *what, int err);

/* IB padding for an engine: HW_IP_INFO's ib_size_alignment, read as a
 * count of dwords (the stricter of the two readings), and at least the
 * kernel's own pad (8 dwords).  0 or -errno with message. */
int ab_cs_ib_pad_dw(amdbare_device *dev, uint32_t ip_type, uint32_t *pad_dw);

/* The message for a context that the kernel says was reset, and the
 * ECANCELED that goes with it. */
int ab_ctx_reset_error(amdbare_ctx *ctx, const char *what);

/* Count of DRM_IOCTL_AMDGPU_CS calls this process made (all devices);
 * tests use it to check that a batch is one submission. */
uint64_t ab_cs_ioctl_count(void);

/* Validates a byte range of a buffer for a GPU operation; maps it on the
 * GPU (READ|WRITE) if it has no mapping.  `what` names it in messages. */
int ab_cs_check_range(amdbare_bo *bo, uint64_t offset, uint64_t size, const char *what);

/* Empties a batch for reuse whatever state a call left it in: queued
 * packets, buffers, a refused or failed submission (submit/batch.c).  The
 * cached batch of amdbare_copy/amdbare_fill must not carry one call's
 * packets or buffer pointers into the next.  `waited`: the last
 * submission's fence was waited for successfully, so the command buffer
 * need not wait for it again (one WAIT_CS ioctl saved per call). */
int ab_batch_discard(amdbare_batch *batch, bool waited);

/* ---- trace.c: the AMDBARE_TRACE recorder (submit/trace_format.h) ---- */
struct ab_trace_note;
/* True when AMDBARE_TRACE names a file this process records into (read
 * once, at the first call). */
bool ab_trace_enabled(void);
/* CLOCK_MONOTONIC in ns, the clock of the trace's times. */
uint64_t ab_trace_now_ns(void);
/* Names the packet that the next dword of cb starts (kind
 * AB_TRACE_NOTE_DISPATCH: a kernel); nothing when not recording.  Never
 * fails a submission: a note that cannot be kept is dropped; returns 0. */
int ab_cmdbuf_trace_note(amdbare_cmdbuf *cb, uint32_t kind, const char *name);
/* One CS record: the IB of cb, the BO list as submitted (bos, in order),
 * the options' fences, the kernel's sequence number and the result. */
void ab_trace_cs(const amdbare_cmdbuf *cb, const amdbare_ctx *ctx,
		 const amdbare_submit_options *opts, amdbare_bo *const *bos, uint32_t nbos,
		 uint64_t seq, int result, uint64_t submit_ns);
/* One DONE record: the fence's wait returned `result` (0: signalled). */
void ab_trace_done(const amdbare_fence *f, int result);

#endif
