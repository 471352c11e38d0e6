/*
 * The vgpu's execution side as the rest of the device model sees it:
 * the command-submission ioctls, context hooks (creation, free, reset
 * status), the wait that GEM_WAIT_IDLE needs, and file teardown.
 * Implemented in exec_*.c; docs/vgpu-exec.md describes the model.
 */
#ifndef VGPU_EXEC_H
#define VGPU_EXEC_H

#include "dev_ctl.h"

#include <stdint.h>

/* ioctl handlers.  CS and FENCE_TO_HANDLE run under the file lock like
 * every DRV entry; WAIT_CS and WAIT_FENCES do not (V_NOLOCK): they touch
 * only the execution side's state, under its own lock, so a thread may
 * submit on the file while another waits. */
int vgpu_amdgpu_cs(struct vgpu_file *f, void *data);
int vgpu_amdgpu_wait_cs(struct vgpu_file *f, void *data);
int vgpu_amdgpu_wait_fences(struct vgpu_file *f, void *data);
int vgpu_amdgpu_fence_to_handle(struct vgpu_file *f, void *data);

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

#endif /* VGPU_EXEC_H */
