/*
 * The control side of the vgpu's device model, internally: the per-file
 * state the kernel keeps in struct drm_file / struct amdgpu_fpriv beyond
 * memory (master/auth, contexts, BO lists, syncobjs), the ioctl handlers
 * the dispatcher (drm/ioctl.c) calls, and small helpers they share.
 */
#ifndef VGPU_DEV_CTL_H
#define VGPU_DEV_CTL_H

#include "base/file.h"
#include "syncobj_chain.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* struct drm_master: one per "master session" of the primary node.  Files
 * opened on card0 while it exists share it (drm_master_open). */
struct vgpu_master {
	int refcount;
	bool unique_set;            /* after SET_VERSION >= 1.1 (drm_set_busid) */
	uint32_t next_magic;        /* magic_map idr, starts at 1 */
};

struct vgpu_ctx {
	uint32_t id;
	int32_t priority;
	uint32_t stable_pstate;     /* AMDGPU_CTX_STABLE_PSTATE_* it set */
};

struct vgpu_bo_list {
	uint32_t handle;
	uint32_t num_entries;
	uint32_t *bo_handles;
};

/* The payload holds the syncobj's fence: pending job fences and timeline
 * points (drm/syncobj_chain.h). */
struct vgpu_syncobj {
	uint32_t handle;
	struct sync_payload payload; /* syncobj->fence; exec_lock guards it */
};

struct vgpu_ctl_file {
	const struct vgpu_profile *prof;

	/* drm_file master/auth state (drm_auth.c) */
	struct vgpu_master *master;
	bool is_master, was_master, authenticated;
	uint32_t magic;

	/* amdgpu_ctx_mgr: handles 1..AMDGPU_VM_MAX_NUM_CTX-1 */
	struct vgpu_ctx *ctxs;
	size_t num_ctxs, cap_ctxs;

	/* fpriv->bo_list_handles */
	struct vgpu_bo_list *bo_lists;
	size_t num_bo_lists, cap_bo_lists;

	/* file_priv->syncobj_idr */
	struct vgpu_syncobj *syncobjs;
	size_t num_syncobjs, cap_syncobjs;
	/* Broadcast (under the file lock) whenever a syncobj of this file
	 * changes; SYNCOBJ_WAIT sleeps on it with the file lock. */
	pthread_cond_t syncobj_changed;

	bool vmid_reserved;         /* AMDGPU_VM_OP_RESERVE_VMID */
};

/* ---- files (drm/file.c) --------------------------------------------- */

/* Calls fn for every open file of this process (under the files lock). */
void vgpu_files_foreach(void (*fn)(struct vgpu_file *f, void *arg), void *arg);
int vgpu_files_count(void);
/* Locks, in the only order they are ever nested:
 *   files lock (the list of open files; held by open, release, reports)
 *   -> a file's lock (f->lock: its ioctls, its contexts/lists/syncobjs)
 *   -> the state lock (device-global control state: master, magics,
 *      stable pstate, reserved VMID; a leaf: nothing is taken under it). */
void vgpu_files_lock(void);
void vgpu_files_unlock(void);
void vgpu_state_lock(void);
void vgpu_state_unlock(void);
/* True if f is the current master of the primary node (drm_is_current_master). */
bool vgpu_file_is_current_master(struct vgpu_file *f);

/* Effective capability check of the calling thread (capable()). */
bool vgpu_capable(int cap);

/* ---- handlers: DRM core (drm/core.c) --------------------------------- */
int vgpu_core_version(struct vgpu_file *f, void *data);
int vgpu_core_get_unique(struct vgpu_file *f, void *data);
int vgpu_core_get_magic(struct vgpu_file *f, void *data);
int vgpu_core_auth_magic(struct vgpu_file *f, void *data);
int vgpu_core_get_client(struct vgpu_file *f, void *data);
int vgpu_core_get_stats(struct vgpu_file *f, void *data);
int vgpu_core_get_cap(struct vgpu_file *f, void *data);
int vgpu_core_set_client_cap(struct vgpu_file *f, void *data);
int vgpu_core_set_version(struct vgpu_file *f, void *data);
int vgpu_core_set_master(struct vgpu_file *f, void *data);
int vgpu_core_drop_master(struct vgpu_file *f, void *data);
int vgpu_core_noop(struct vgpu_file *f, void *data);
int vgpu_core_invalid_op(struct vgpu_file *f, void *data);
int vgpu_core_no_modeset(struct vgpu_file *f, void *data);
/* drm_master bookkeeping at open/release (drm_master_open/release). */
int vgpu_master_open(struct vgpu_file *f);
void vgpu_master_release(struct vgpu_file *f);

/* ---- handlers: syncobj (drm/syncobj.c) -------------------------------- */
int vgpu_syncobj_create(struct vgpu_file *f, void *data);
int vgpu_syncobj_destroy(struct vgpu_file *f, void *data);
int vgpu_syncobj_wait(struct vgpu_file *f, void *data);
int vgpu_syncobj_timeline_wait(struct vgpu_file *f, void *data);
int vgpu_syncobj_reset(struct vgpu_file *f, void *data);
int vgpu_syncobj_signal(struct vgpu_file *f, void *data);
int vgpu_syncobj_timeline_signal(struct vgpu_file *f, void *data);
int vgpu_syncobj_query(struct vgpu_file *f, void *data);
int vgpu_syncobj_transfer(struct vgpu_file *f, void *data);
int vgpu_syncobj_handle_to_fd(struct vgpu_file *f, void *data);
int vgpu_syncobj_fd_to_handle(struct vgpu_file *f, void *data);
/* For command submission (file lock held once, exec_lock not):
 * drm_syncobj_find_fence (-ENOENT, -EINVAL; WAIT_FOR_SUBMIT waits up to
 * 5 s for the fence with the file lock released, then -ETIME); the
 * result's references are the caller's (sync_target_free under exec_lock) */
int vgpu_syncobj_find_fence(struct vgpu_file *f, uint32_t handle, uint64_t point,
			    uint64_t flags, struct sync_target *out);
/* drm_syncobj_replace_fence (point 0) or drm_syncobj_add_point with a
 * job's fence; the handle must exist (-EINVAL otherwise). */
int vgpu_syncobj_attach(struct vgpu_file *f, uint32_t handle, uint64_t point,
			struct exec_fence *fence);
/* drm_syncobj_create + drm_syncobj_get_handle with a fence (NULL: an
 * already-signalled fence), for FENCE_TO_HANDLE. */
int vgpu_syncobj_create_with(struct vgpu_file *f, struct exec_fence *fence, uint32_t *handle);

/* ---- drm/sync_file.c: sync_file fds ---- */
/* A new sync_file fd for (a copy of) target t / job fence fe (NULL: an
 * already-signalled fence); poll() on it reports POLLIN once signalled. */
int vgpu_sync_file_export(const struct sync_target *t, int *out_fd);
int vgpu_sync_file_export_fence(struct exec_fence *fence, int *out_fd);
/* sync_file_get_fence: the target of one of the vgpu's sync_file fds
 * (references are the caller's: sync_target_free under exec_lock);
 * -EINVAL for any other fd. */
int vgpu_sync_file_import(int fd, struct sync_target *out);

/* ---- handlers: amdgpu (drm/ctx.c, drm/bo_list.c, drm/info.c, drm/gem_wait.c,
 * drm/cs.c) */
int vgpu_ioctl_gem_wait_idle(struct vgpu_file *f, void *data);
/* ioctl handlers.  CS and FENCE_TO_HANDLE run under the file lock like
 * every DRV entry; WAIT_CS and WAIT_FENCES do not (V_NOLOCK): they touch
 * only the execution side's state, under its own lock, so a thread may
 * submit on the file while another waits. */
int vgpu_amdgpu_cs(struct vgpu_file *f, void *data);
/* drm/gds.c: the profile's on-chip GDS (bytes), GWS and OA (resources)
 * range sizes, as gfx_v*_set_gds_init gives them */
void vgpu_gds_sizes(uint32_t *gds, uint32_t *gws, uint32_t *oa);
struct exec_job;
/* drm/gds.c: validates a CS's GDS/GWS/OA BOs into their ranges and
 * records the job's partition (0, or -ENOMEM as ttm_bo_validate) */
int vgpu_cs_on_chip_bos(struct vgpu_file *f, const uint32_t *handles, uint32_t n,
			struct exec_job *job);
int vgpu_amdgpu_wait_cs(struct vgpu_file *f, void *data);
int vgpu_amdgpu_wait_fences(struct vgpu_file *f, void *data);
int vgpu_amdgpu_fence_to_handle(struct vgpu_file *f, void *data);
/* GEM_VA with an unmap ordered behind the VM's submitted jobs (drm/gem_va.c) */
int vgpu_amdgpu_gem_va(struct vgpu_file *f, void *data);

int vgpu_amdgpu_ctx(struct vgpu_file *f, void *data);
int vgpu_amdgpu_vm(struct vgpu_file *f, void *data);
int vgpu_amdgpu_bo_list(struct vgpu_file *f, void *data);
int vgpu_amdgpu_info(struct vgpu_file *f, void *data);
int vgpu_amdgpu_sched(struct vgpu_file *f, void *data);
/* Releases what contexts/BO lists/syncobjs a file still holds. */
void vgpu_ctx_file_fini(struct vgpu_ctl_file *c);
void vgpu_bo_list_file_fini(struct vgpu_ctl_file *c);
void vgpu_syncobj_file_init(struct vgpu_ctl_file *c);
void vgpu_syncobj_file_fini(struct vgpu_ctl_file *c);

/* ---- the ioctl table (drm/ioctl.c) ----------------------------------- */

/* The table nr of an ioctl named as in the tables, with or without the
 * "DRM_IOCTL_" / "DRM_IOCTL_AMDGPU_" prefix: 0, -ENOENT (no such name) or
 * -EINVAL (the short name matches two entries). */
int vgpu_ioctl_nr_by_name(const char *name, unsigned int *nr);
/* The table name of nr, or NULL for a hole / no entry. */
const char *vgpu_ioctl_name_of(unsigned int nr);

/* Installs fault injection's hooks into this layer and the execution side
 * (drm/fault_hooks.c); idempotent, before any fault spec is parsed. */
void vgpu_fault_hooks_install(void);

/* ---- user memory ------------------------------------------------------ */

/* copy_to_user/copy_from_user for pointers inside ioctl arguments: the
 * vgpu cannot probe arbitrary addresses, but a NULL (or low-page) pointer
 * is certainly bad and gets the kernel's -EFAULT. */
int vgpu_copy_to_user(uint64_t uptr, const void *src, size_t len);
int vgpu_copy_from_user(void *dst, uint64_t uptr, size_t len);

/* Lowest free id >= first among n records of `stride` bytes whose first
 * member is the uint32_t id (the idr_alloc policy); 0 if none is free. */
uint32_t vgpu_lowest_free_id(const void *base, size_t n, size_t stride,
			     uint32_t first);

#endif /* VGPU_DEV_CTL_H */
