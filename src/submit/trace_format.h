/*
 * The trace file that AMDBARE_TRACE=FILE makes the library write (recorder:
 * submit/trace.c; decoder: trace/).  All fields little-endian, as the
 * machines amdgpu runs on are.
 *
 *   file    = "ABTRACE1" (8 bytes), u32 version (1), u32 0, then records
 *   record  = u32 type, u32 bytes (the whole record, head included, a
 *             multiple of 4, at most AB_TRACE_MAX_RECORD), then the body
 *
 * A CS record is one DRM_IOCTL_AMDGPU_CS the library made: struct
 * ab_trace_cs, then nbos x struct ab_trace_bo, nnotes x struct
 * ab_trace_note, nwait x u32 (the syncobjs waited for), ib_dw x u32 (the
 * IB as submitted, padding included).  A DONE record says when the
 * library saw that submission's fence signalled (WAIT_CS returned), or the
 * error the wait ended with.  A reader trusts none of it: the decoder
 * checks every count against the record's size.
 */
#ifndef AB_SUBMIT_TRACE_FORMAT_H
#define AB_SUBMIT_TRACE_FORMAT_H

#include <stdint.h>

#define AB_TRACE_MAGIC "ABTRACE1"
#define AB_TRACE_VERSION 1u
#define AB_TRACE_FILE_HEAD 16u
/* An IB is at most 2^20 - 1 dwords; the rest of a record is far smaller. */
#define AB_TRACE_MAX_RECORD (8u << 20)

enum { AB_TRACE_REC_CS = 1, AB_TRACE_REC_DONE = 2 };

struct ab_trace_rec_head {
	uint32_t type, bytes;
};

struct ab_trace_cs {
	uint32_t pid, ctx_id;
	uint32_t ip_type, ring;        /* AMDGPU_HW_IP_*, ring 0 */
	uint32_t gc_major, gc_minor;   /* which generation's tables decode it */
	int32_t result;                /* 0, or the CS ioctl's -errno */
	uint32_t flags;                /* AB_TRACE_CS_* */
	uint64_t seq;                  /* the kernel's fence sequence (0 on failure) */
	uint64_t submit_ns;            /* CLOCK_MONOTONIC just before the ioctl */
	uint64_t ib_va;
	uint32_t ib_dw, nbos, nnotes, nwait;
	uint32_t signal_syncobj, user_fence_handle;
	uint64_t user_fence_offset;
};
enum { AB_TRACE_CS_BO_LIST_OBJECT = 1 };

struct ab_trace_bo {
	uint32_t handle;
	uint32_t domains;              /* requested AMDGPU_GEM_DOMAIN_* */
	uint32_t actual_domain;        /* where the placement snapshots put it (0 unknown) */
	uint32_t flags;                /* AMDGPU_GEM_CREATE_* asked for */
	uint64_t gpu_va, size;
};

/* A name for the packet that starts at dword `dword` of the IB (a
 * dispatch's kernel).  name is NUL-terminated within its 64 bytes when
 * the library writes it; a reader must not rely on that. */
#define AB_TRACE_NOTE_NAME 64
struct ab_trace_note {
	uint32_t dword, kind;          /* kind 1: kernel dispatch */
	char name[AB_TRACE_NOTE_NAME];
};
enum { AB_TRACE_NOTE_DISPATCH = 1 };

struct ab_trace_done {
	uint32_t pid, ctx_id, ip_type, ring;
	uint64_t seq, complete_ns;
	int32_t result;                /* 0 signalled, or the wait's -errno */
	uint32_t pad;
};

#endif
