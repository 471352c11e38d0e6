/*
 * The vgpu's execution side as the layers above it see it: context hooks
 * (creation, free, reset status), the wait that GEM_WAIT_IDLE needs, and
 * file teardown.  The command-submission ioctls built on it are in
 * drm/cs.c; docs/vgpu-exec.md describes the model.
 */
#ifndef VGPU_EXEC_H
#define VGPU_EXEC_H

#include "base/file.h"

#include <stdbool.h>
#include <stdint.h>

/* amdgpu_ctx_init: execution state of a new context (reset counter
 * snapshot, entities).  0 or -ENOMEM. */
int vgpu_exec_ctx_create(struct vgpu_file *f, uint32_t id);
/* amdgpu_ctx_free: forgets the context; its queued jobs still finish. */
void vgpu_exec_ctx_free(struct vgpu_ctl_file *c, uint32_t id);
/* amdgpu_ctx_query2 flags (RESET, VRAMLOST, GUILTY) and amdgpu_ctx_query's
 * reset_status (which also advances the context's query counter). */
uint32_t vgpu_exec_ctx_query2_flags(struct vgpu_ctl_file *c, uint32_t id);
uint32_t vgpu_exec_ctx_query_reset_status(struct vgpu_ctl_file *c, uint32_t id);
/* amdgpu_ctx_mgr_entity_flush + fini at file close: waits for the file's
 * jobs, then forgets its contexts. */
void vgpu_exec_file_fini(struct vgpu_ctl_file *c);

/* dma_resv_wait_timeout on a BO (by global id) for GEM_WAIT_IDLE:
 * `timeout_ns` as the ioctl gives it (absolute, amdgpu_gem_timeout).
 * Returns 1 if idle, 0 if still busy at the deadline. */
int vgpu_exec_bo_wait(uint32_t gid, uint64_t timeout_ns);

/* ---- GPU reset and VRAM loss (exec/reset.c) ------------------------------ */

/* amdgpu_device_gpu_recover without a guilty job (as a reset asked for
 * through debugfs amdgpu_gpu_recover): the instance's gpu_reset_counter
 * moves, so every context of every process sees RESET; with `vram_lost`,
 * amdgpu_inc_vram_lost: the instance's vram_lost_counter moves, every BO
 * then in VRAM is marked lost, and this process applies the loss at once
 * (vgpu_exec_vram_lost_apply).  0, or -errno if the instance's shared
 * state cannot be attached. */
int vgpu_exec_gpu_reset(bool vram_lost);

/* adev->vram_lost_counter of the instance (AMDGPU_INFO_VRAM_LOST_COUNTER). */
uint32_t vgpu_exec_vram_lost_counter(void);

/* Makes this process catch up with the instance's VRAM losses: the
 * contents of its BOs marked lost are scrambled.  Cheap when nothing is
 * new (one atomic load).  Called at every ioctl entry
 * (vgpu_fault_ioctl_enter) and when a ring thread starts a job
 * (vgpu_fault_job_start); no lock may be held. */
void vgpu_exec_vram_lost_apply(void);

/* For drm/ioctl.c, after the argument was copied in and the permission check
 * passed: the CS refusal of a context created before a VRAM loss
 * (amdgpu_cs_pass1: ctx->vram_lost_counter != job->vram_lost_counter).
 * 0 or -ECANCELED. */
int vgpu_exec_reset_ioctl_check(struct vgpu_file *f, unsigned int nr, const void *kdata);

#endif /* VGPU_EXEC_H */
