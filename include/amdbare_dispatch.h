/*
 * amdbare kernel dispatch: runs a kernel of a loaded code object on the
 * compute engine with raw PM4 packets (no HSA runtime, no KFD).
 *
 * The dispatcher lays out the kernarg segment from the code object's
 * metadata: the caller's explicit arguments (checked against the metadata
 * for count, kind and size before anything is queued), the hidden
 * arguments it supports (block counts, group sizes, remainders, grid
 * dimensions, global offsets = 0, dynamic LDS size), and, when the
 * descriptor asks for it, an HSA-style 64-byte dispatch packet.  It sets
 * the user SGPRs exactly as the descriptor's enable bits say and refuses
 * the ones it does not build (queue pointer, private segment buffer and
 * flat scratch init: gfx11 never uses them; a dynamic stack is refused
 * too).  Fixed-size scratch (private segment) is supported.  See
 * docs/dispatch.md.
 *
 * Many dispatches go into one submission (one CS ioctl); dispatches in
 * one submission may overlap: put amdbare_dispatcher_barrier() between a
 * dispatch and one that reads what it wrote.
 *
 * Included by amdbare.h; 0 or a negative errno, message in
 * amdbare_last_error().
 */
#ifndef AMDBARE_DISPATCH_H
#define AMDBARE_DISPATCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct amdbare_device amdbare_device;
typedef struct amdbare_bo amdbare_bo;
typedef struct amdbare_ctx amdbare_ctx;
typedef struct amdbare_fence amdbare_fence;
typedef struct amdbare_kernel_info amdbare_kernel_info;

/* One explicit kernel argument, in the metadata's order (hidden
 * arguments are never given: the dispatcher fills them). */
enum amdbare_karg_type {
	/* global_buffer: the GPU address of bo + offset (the buffer is
	 * GPU-mapped READ|WRITE if it is not yet, and goes in the BO list). */
	AMDBARE_KARG_BUFFER = 1,
	/* by_value: `size` bytes at `value`; size must equal the metadata's. */
	AMDBARE_KARG_VALUE = 2,
	/* dynamic_shared_pointer (an OpenCL __local pointer argument): `size`
	 * bytes of LDS per workgroup, placed after the static LDS. */
	AMDBARE_KARG_LDS = 3,
};

typedef struct amdbare_karg {
	enum amdbare_karg_type type;
	amdbare_bo *bo;        /* BUFFER */
	uint64_t offset;       /* BUFFER: byte offset into bo */
	const void *value;     /* VALUE */
	uint32_t size;         /* VALUE: bytes; LDS: bytes of LDS */
} amdbare_karg;

/* Helpers to build arguments in place. */
static inline amdbare_karg amdbare_karg_buffer(amdbare_bo *bo, uint64_t offset)
{
	amdbare_karg a = {AMDBARE_KARG_BUFFER, bo, offset, 0, 0};
	return a;
}
static inline amdbare_karg amdbare_karg_value(const void *value, uint32_t size)
{
	amdbare_karg a = {AMDBARE_KARG_VALUE, 0, 0, value, size};
	return a;
}
static inline amdbare_karg amdbare_karg_lds(uint32_t bytes)
{
	amdbare_karg a = {AMDBARE_KARG_LDS, 0, 0, 0, bytes};
	return a;
}

typedef struct amdbare_dispatch_info {
	const amdbare_kernel_info *kernel; /* from amdbare_codeobj_find_kernel */
	amdbare_bo *code_bo;   /* from amdbare_codeobj_upload */
	uint64_t code_va;      /* likewise */
	uint32_t grid[3];      /* workgroups in X, Y, Z (each >= 1) */
	uint32_t block[3];     /* work-items per workgroup (each >= 1) */
	const amdbare_karg *args;
	uint32_t arg_count;    /* explicit arguments only */
} amdbare_dispatch_info;

/* Checks a dispatch without touching the device: the kernel's needs
 * (hidden kinds, user SGPRs, scratch, wave size), the grid and workgroup
 * size (reqd_workgroup_size, max_flat_workgroup_size, 1024, 32-bit global
 * sizes, LDS <= 64 KiB) and every argument against the metadata.
 * -EINVAL (a wrong argument is named by index and metadata name) or
 * -ENOTSUP (the kernel needs something not built), with a message. */
int amdbare_dispatch_check(const amdbare_dispatch_info *info);

/* A dispatcher owns a compute batch and the kernarg memory of the
 * dispatches queued in it. */
typedef struct amdbare_dispatcher amdbare_dispatcher;

int amdbare_dispatcher_create(amdbare_device *dev, amdbare_dispatcher **out);
/* Waits for the last submission, then frees.  NULL is accepted. */
int amdbare_dispatcher_free(amdbare_dispatcher *d);

/* Checks (amdbare_dispatch_check) and queues one dispatch: a few PM4
 * packets and a kernarg block; nothing is submitted.  After a submit, the
 * next add waits for that job and starts a new one. */
int amdbare_dispatcher_add(amdbare_dispatcher *d, const amdbare_dispatch_info *info);
/* Orders dispatches: what follows starts after what precedes has finished
 * and its writes are visible (CS_PARTIAL_FLUSH + cache write-back). */
int amdbare_dispatcher_barrier(amdbare_dispatcher *d);
/* Dispatches queued since the last submit. */
size_t amdbare_dispatcher_count(const amdbare_dispatcher *d);
/* Submits everything queued with one CS ioctl (ctx NULL: the dispatcher's
 * own context).  -EINVAL when nothing is queued. */
int amdbare_dispatcher_submit(amdbare_dispatcher *d, amdbare_ctx *ctx, amdbare_fence *fence);
/* Submit and wait (no timeout).  A faulting kernel gives -ECANCELED
 * ("context N was reset: guilty ..."); create a new dispatcher to go on. */
int amdbare_dispatcher_run(amdbare_dispatcher *d, amdbare_ctx *ctx);

/* One dispatch, synchronously: create, add, run, free. */
int amdbare_dispatch(amdbare_device *dev, const amdbare_dispatch_info *info);

#ifdef __cplusplus
}
#endif

#endif /* AMDBARE_DISPATCH_H */
