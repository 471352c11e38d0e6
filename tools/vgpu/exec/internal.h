/*
 * Execution side of the vgpu, internally: fences, per-context entities,
 * jobs, the ring threads that run them, GPU memory access through the
 * submitting file's VM, and the two command processors (PM4 for GFX and
 * COMPUTE rings, SDMA for DMA rings).
 *
 * One process-wide lock (exec_lock) protects every structure here; one
 * condition variable (exec_cond) is broadcast whenever a fence signals, a
 * job is queued or a context changes.  Lock order: a file's lock (f->lock,
 * held by the CS ioctl) -> exec_lock.  The memory side's locks are never
 * taken while exec_lock is held; ring threads take neither while they run
 * a packet, only around one memory access at a time.
 */
#ifndef VGPU_EXEC_INTERNAL_H
#define VGPU_EXEC_INTERNAL_H

#include "exec.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <drm.h>
#include <amdgpu_drm.h>

/* amdgpu_sched_jobs default (amdgpu_drv.c): fences a context entity keeps */
#define EXEC_SCHED_JOBS 32
/* amdgpu_ctx_num_entities: GFX 1, COMPUTE 4, DMA 2 (others have no ring) */
#define EXEC_MAX_ENTITY_RINGS 4
/* Chained INDIRECT_BUFFER nesting the CP follows (IB1 -> IB2 on gfx11). */
#define EXEC_MAX_IB_DEPTH 2

/* struct dma_fence, as far as the vgpu needs it. */
struct exec_fence {
	int refs;
	bool signaled;
	int error;                 /* dma_fence_set_error: 0 or -errno */
	uint64_t seq;
};

/* struct amdgpu_ctx_entity */
struct exec_entity {
	uint64_t sequence;         /* next seq (starts at 1) */
	struct exec_fence *fences[EXEC_SCHED_JOBS];
	struct exec_ring *ring;    /* bound at the first job (drm_sched load balance) */
};

/* struct amdgpu_ctx, execution part */
struct exec_ctx {
	int refs;                  /* table + jobs */
	bool alive;                /* not freed by FREE_CTX / file close */
	struct vgpu_ctl_file *owner;
	struct vgpu_file *file;
	uint32_t id;
	bool guilty;               /* atomic ctx->guilty */
	uint64_t reset_counter;    /* gpu_reset_counter at creation */
	uint32_t reset_counter_query;
	/* vram_lost_counter at creation, which each job is checked against */
	uint32_t vram_lost_counter;
	struct exec_entity ent[3][EXEC_MAX_ENTITY_RINGS]; /* GFX, COMPUTE, DMA */
	struct exec_ctx *next;
};

struct exec_ib {
	uint64_t va;
	uint32_t length_dw;
	uint32_t flags;
};

/* The GC generation whose command processor, SDMA engine and shader core
 * run a job (the profile's GC IP version; exec/ring.c picks it). */
enum exec_gc {
	EXEC_GC_11,     /* GC 11.x: gfx_v11_0, SDMA v6, the gfx11 ISA */
	EXEC_GC_10_3,   /* GC 10.3.x: gfx_v10_0, SDMA 5.2, the gfx10.3 ISA */
	EXEC_GC_9,      /* GC 9.x: gfx_v9_0, SDMA 4.x, the gfx9 (GCN 5) ISA */
};

/* struct amdgpu_job */
struct exec_job {
	struct exec_ctx *ctx;
	struct vgpu_file *file;
	uint32_t ip, ring_idx;
	struct exec_ib *ibs;
	uint32_t num_ibs;
	struct exec_fence *fence;
	struct exec_fence **deps;  /* waited for before the job runs */
	uint32_t num_deps;
	uint32_t *bo_gids;         /* the submission's BO list (global ids) */
	uint32_t num_bos;
	bool strict;               /* AMDBARE_VGPU_STRICT_BO_LIST */
	bool has_user_fence;
	uint32_t uf_gid;
	uint64_t uf_offset;
	uint64_t deadline_ns;      /* watchdog (CLOCK_MONOTONIC) */
	void *cp_state;            /* PM4 register state (exec/pm4.c) */
	enum exec_gc gc;           /* set by exec/ring.c before the IBs run */
	/* The job's GDS/GWS/OA partition (amdgpu_job_set_resources: the
	 * offset and size, in bytes for GDS and in resources for GWS and OA,
	 * of the BO list's GDS/GWS/OA BO in its on-chip range; 0 size: none).
	 * drm/gds.c fills them at CS time; the shader core checks GWS
	 * resource ids against gws_size. */
	uint32_t gds_base, gds_size, gws_base, gws_size, oa_base, oa_size;
	struct exec_job *next;
};

/* struct amdgpu_ring + its drm_gpu_scheduler thread */
struct exec_ring {
	const char *name;          /* as the kernel names it: comp_1.0.0 ... */
	uint32_t ip;
	uint32_t ring_id;          /* ring number in fault messages */
	bool started;
	pthread_t thread;
	struct exec_job *head, *tail;
	uint32_t queued;           /* jobs queued or running (for load balance) */
};

/* ---- exec/fence.c ------------------------------------------------------ */
void exec_lock(void);
void exec_unlock(void);
/* Waits on exec_cond until abs_ns (CLOCK_MONOTONIC; UINT64_MAX: forever);
 * returns false once the deadline passed.  exec_lock held. */
bool exec_cond_wait(uint64_t abs_ns);
void exec_broadcast(void);
uint64_t exec_now_ns(void);
struct exec_fence *exec_fence_new(uint64_t seq);
void exec_fence_get(struct exec_fence *fe);
void exec_fence_put(struct exec_fence *fe);
/* dma_fence_signal with an error (0 = success); exec_lock held. */
void exec_fence_signal(struct exec_fence *fe, int error);
/* The context of (file, id), or NULL; exec_lock held. */
struct exec_ctx *exec_ctx_lookup(struct vgpu_ctl_file *c, uint32_t id);
void exec_ctx_put(struct exec_ctx *ctx);
/* amdgpu_ctx_get_entity: -EINVAL for a bad ip/instance/ring. */
int exec_ctx_entity(struct exec_ctx *ctx, uint32_t ip, uint32_t instance,
		    uint32_t ring, struct exec_entity **out);
/* amdgpu_ctx_get_fence: a new reference, NULL (already signaled and
 * forgotten), or ERR as -errno in *err.  exec_lock held. */
struct exec_fence *exec_entity_fence(struct exec_entity *e, uint64_t seq, int *err);
/* A GPU reset after a hang/fault: the bad context becomes guilty and the
 * device's reset counter moves.  exec_lock held. */
void exec_gpu_reset(struct exec_ctx *guilty);
/* True if `ctx` was created before the instance's last VRAM loss (in any
 * process): amdgpu_job_run skips its jobs, amdgpu_cs_pass1 refuses its
 * CS.  Needs no lock (the snapshot never changes, the counter is atomic). */
bool exec_ctx_vram_lost(const struct exec_ctx *ctx);
/* The same for context `id` of a file (false if there is none): the CS
 * refusal of exec/reset.c.  Takes exec_lock. */
bool vgpu_exec_ctx_vram_lost(struct vgpu_ctl_file *c, uint32_t id);
/* Records `fe` as the last use of every BO in the list (dma_resv_add_fence). */
void exec_bo_mark_busy(const uint32_t *gids, uint32_t n, struct exec_fence *fe);
/* amdgpu_gem_timeout: absolute ns (CLOCK_MONOTONIC here) -> deadline. */
uint64_t exec_timeout_abs(uint64_t timeout_ns);
/* dma_fence_wait_timeout until abs: 1 signaled, 0 timed out. exec_lock held. */
int exec_fence_wait(struct exec_fence *fe, uint64_t abs_ns);

/* ---- exec/ring.c ------------------------------------------------------- */
/* The hardware ring an entity of (ip, ring) binds to; NULL if the device
 * has no such ring (entity->rq == NULL).  exec_lock held. */
struct exec_ring *exec_ring_pick(const struct vgpu_profile *p, uint32_t ip, uint32_t ring);
/* Queues a job on its ring, starting the ring thread if needed (exec_lock held). */
int exec_ring_push(struct exec_ring *r, struct exec_job *job);
/* Waits until no job of `owner` is queued or running (exec_lock held). */
void exec_ring_flush_owner(struct vgpu_ctl_file *owner);
void exec_job_free(struct exec_job *job);

/* Fault reporting from a command processor: logs like the kernel and
 * returns -ECANCELED (the value the processors propagate to stop the job). */
int exec_fault(struct exec_job *job, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A VM fault at `va` (the gmc_v11_0_process_interrupt message). */
int exec_vm_fault(struct exec_job *job, uint64_t va, bool write, const char *why);
/* Watchdog: -ECANCELED (logged as a ring timeout) once the job ran too long. */
int exec_check_watchdog(struct exec_job *job);

/* ---- exec/mem.c -------------------------------------------------------- */
/* Copy between host memory and GPU VA through the job's VM (faults logged). */
int exec_read(struct exec_job *job, uint64_t va, void *dst, size_t len);
int exec_write(struct exec_job *job, uint64_t va, const void *src, size_t len);
/* Writes the 64-bit user fence value into BO `gid` at `offset`. */
int exec_user_fence_write(uint32_t gid, uint64_t offset, uint64_t value);
/* Global id of a handle of `f` (-ENOENT if none). */
int exec_handle_gid(struct vgpu_file *f, uint32_t handle, uint32_t *gid, uint64_t *size,
		    bool *is_userptr);

/* ---- command processors ------------------------------------------------ */
/* Run one IB: 0, or -ECANCELED after a fault (already reported). */
int exec_pm4_run(struct exec_job *job, const struct exec_ib *ib);
int exec_sdma_run(struct exec_job *job, const struct exec_ib *ib);

#endif /* VGPU_EXEC_INTERNAL_H */
