/*
 * Diagnostics across processes (docs/diagnostics.md):
 *
 *  - the buffer registry: every process using libamdbare publishes its live
 *    buffers (name, domain, size, GPU address) in a small shared-memory
 *    segment, /dev/shm/amdbare-registry-<pid>, readable by the same user.
 *    On by default; AMDBARE_REGISTRY=0 in the environment turns it off.  A
 *    reader never trusts it: every field is checked, and a segment whose
 *    process is gone (or is another process with the same pid) is refused.
 *  - the processes using an amdgpu render node, with their memory from
 *    fdinfo (what `amdbare top` shows).
 */
#ifndef AMDBARE_DIAG_H
#define AMDBARE_DIAG_H

#include "amdbare.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Names a buffer in this process's registry (at most 47 bytes are kept;
 * NULL or "" clears the name). */
int amdbare_bo_set_name(amdbare_bo *bo, const char *name);

#define AMDBARE_REGISTRY_NAME 48
typedef struct amdbare_registry_buffer {
	uint32_t handle;
	uint32_t domains;          /* requested AMDBARE_DOMAIN_* */
	uint32_t placed_domain;    /* where the placement measurement put it, 0 unknown */
	uint64_t size;
	uint64_t gpu_va;           /* 0 when not GPU-mapped */
	char name[AMDBARE_REGISTRY_NAME]; /* NUL-terminated, printable ASCII only */
} amdbare_registry_buffer;

/* Reads the registry process pid publishes: up to cap buffers into out,
 * the number it lists into *total (which may exceed cap, and the
 * segment's own capacity: then *truncated).  Returns the number copied,
 * or -ENOENT (no registry: not a libamdbare process, or registry off),
 * -ESTALE (the segment outlived its process), -EBADMSG (malformed),
 * -EAGAIN (the writer kept changing it while read), with a message. */
int amdbare_registry_read(int pid, amdbare_registry_buffer *out, uint32_t cap,
			  uint32_t *total, bool *truncated);

/* One open render-node file of one process. */
typedef struct amdbare_gpu_client {
	int pid;
	int fd;                    /* the file descriptor in that process */
	char comm[32];             /* /proc/<pid>/comm, printable ASCII only */
	char node[64];             /* "/dev/dri/renderD128" */
	bool has_usage;            /* fdinfo was readable and held memory keys */
	amdbare_process_usage usage;
	uint64_t cpu_time_ns;      /* utime + stime of the process (/proc/<pid>/stat) */
	/* what tells this file from a dup() of it: fdinfo's drm-client-id,
	 * else its ino line (0: neither was there) */
	uint64_t client_key, ino_key;
} amdbare_gpu_client;

/* Every open amdgpu render node file (a dup()ed fd counted once) of every process this user may look
 * at (/proc/<pid>/fd links to /dev/dri/renderD*, fdinfo naming drm-driver
 * amdgpu or, when fdinfo is unreadable, any render node).  Fills up to cap
 * entries; returns how many there are in all (may exceed cap), or -errno. */
int amdbare_gpu_clients(amdbare_gpu_client *out, uint32_t cap);

/* The embedded "bandwidth" kernels (kernels/bandwidth.cl), for measuring
 * the shader's memory path (`amdbare probe`). */
enum amdbare_bw_op {
	AMDBARE_BW_READ = 1,       /* reads src */
	AMDBARE_BW_WRITE = 2,      /* writes dst */
	AMDBARE_BW_COPY = 3,       /* copies src to dst */
};

/* Runs one bandwidth kernel over the first `bytes` (a non-zero multiple of
 * 16) of src and/or dst, once to warm up (module upload, page tables) and
 * once timed: *seconds is the CPU's clock from just before the submission
 * to the fence seen signalled (so it includes the submission's overhead).
 * Buffers are GPU-mapped if they are not.  0 or -errno with a message. */
int amdbare_gpu_bandwidth(amdbare_device *dev, enum amdbare_bw_op op, amdbare_bo *dst,
			  amdbare_bo *src, uint64_t bytes, double *seconds);

/* The embedded bw_chase kernel: one work-item follows `steps` dependent
 * loads through `chain` (each 8-byte word at byte offset p holds the next
 * offset, starting at 0; every offset must stay inside the buffer, which
 * the caller guarantees by how it built the chain), once to warm up and
 * once timed like amdbare_gpu_bandwidth.  *end receives the last offset
 * reached (compare it with a CPU walk of the same chain).  0 or -errno. */
int amdbare_gpu_chase(amdbare_device *dev, amdbare_bo *chain, uint64_t steps, double *seconds,
		      uint64_t *end);

#ifdef __cplusplus
}
#endif

#endif
