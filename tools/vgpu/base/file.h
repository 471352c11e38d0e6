/*
 * Inside the vgpu's device model: the seam between the control side
 * (drm/file.c ioctl dispatch as drm_ioctl() does it, DRM core ioctls, INFO,
 * contexts, BO lists, syncobjs, VM, fdinfo text, sysfs attributes, profiles)
 * and the memory side (memory/: GEM objects, memory domains and their
 * limits, the kernel's placement/fallback/eviction policy, GPU VA, CPU
 * mmap, PRIME/dma-buf, userptr, and the device-global state shared by all
 * processes using the same vgpu instance).
 */
#ifndef VGPU_BASE_FILE_H
#define VGPU_BASE_FILE_H

#include "base/vgpu_device.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct vgpu_mem_file;   /* memory side, per file: handles, VM mappings */
struct vgpu_ctl_file;   /* control side, per file: contexts, BO lists, syncobjs */

/* The kernel's struct drm_file + struct amdgpu_fpriv, as far as we need. */
struct vgpu_file {
	int minor;                  /* VGPU_MINOR_PRIMARY or VGPU_MINOR_RENDER */
	int open_flags;
	uint64_t client_id;         /* drm-client-id in fdinfo */
	uint32_t pasid;
	bool cap_atomic, cap_universal_planes; /* SET_CLIENT_CAP state */
	pthread_mutex_t lock;       /* serialises ioctls on this file */
	struct vgpu_mem_file *mem;
	struct vgpu_ctl_file *ctl;
};

/* ---- Memory side (memory/) ------------------------------------------- */

/* Called from vgpu_dev_open / vgpu_dev_release (amdgpu_driver_open_kms /
 * postclose_kms: the VM is created and torn down with the file). */
int vgpu_mem_file_init(struct vgpu_file *f);
void vgpu_mem_file_fini(struct vgpu_file *f);

/* ioctl handlers: `data` is the kernel-side copy of the argument, already
 * sized by the dispatcher; they return 0 or -errno. */
int vgpu_ioctl_gem_close(struct vgpu_file *f, void *data);
int vgpu_ioctl_prime_handle_to_fd(struct vgpu_file *f, void *data);
int vgpu_ioctl_prime_fd_to_handle(struct vgpu_file *f, void *data);
int vgpu_ioctl_gem_flink(struct vgpu_file *f, void *data);
int vgpu_ioctl_gem_open(struct vgpu_file *f, void *data);
int vgpu_ioctl_gem_create(struct vgpu_file *f, void *data);
int vgpu_ioctl_gem_mmap(struct vgpu_file *f, void *data);
int vgpu_ioctl_gem_va(struct vgpu_file *f, void *data);
int vgpu_ioctl_gem_metadata(struct vgpu_file *f, void *data);
int vgpu_ioctl_gem_op(struct vgpu_file *f, void *data);
int vgpu_ioctl_gem_userptr(struct vgpu_file *f, void *data);

/* The device-global id of the GEM object `handle` names in this file
 * (the execution side tracks busy objects by it): 0 or -ENOENT. */
int vgpu_mem_handle_gid(struct vgpu_file *f, uint32_t handle, uint32_t *gid);

/* True if `handle` names a GEM object of this file (BO_LIST, CS checks). */
bool vgpu_mem_handle_valid(struct vgpu_file *f, uint32_t handle);

/* Device-global memory state (AMDGPU_INFO_* and sysfs mem_info_*). */
struct vgpu_mem_state {
	uint64_t vram_size, vis_vram_size, gtt_size;   /* heap totals */
	uint64_t vram_usable, vis_vram_usable, gtt_usable;
	uint64_t vram_max_alloc, vis_vram_max_alloc, gtt_max_alloc;
	uint64_t vram_used, vis_vram_used, gtt_used;   /* all processes */
	uint64_t num_evictions, num_bytes_moved, num_vram_cpu_page_faults;
};
int vgpu_mem_query(struct vgpu_mem_state *out);

/* This file's usage as amdgpu_vm_get_memory() counts it (every BO the file
 * holds a handle to, by its current placement). */
void vgpu_mem_file_usage(struct vgpu_file *f, uint64_t *vram, uint64_t *gtt,
			 uint64_t *cpu);
/* The same sums for every GEM object process `pid` of this instance holds
 * a handle to (its files together: the shared state keeps holders per
 * process, not per file).  0 or -errno (the shared state could not be
 * attached). */
int vgpu_mem_pid_usage(int pid, uint64_t *vram, uint64_t *gtt, uint64_t *cpu);

/* Everything the fdinfo of the modelled kernels counts for one file, by
 * region (index 0 cpu, 1 gtt, 2 vram: TTM_PL_SYSTEM, TT, VRAM).
 *  - placed[]: by current  placement (6.1-6.12 drm-memory-; later
 *    drm-resident-, amdgpu_bo_get_memory);
 *  - total[]/shared[]: by preferred placement, the highest domain bit
 *    (amdgpu_bo_mem_stats_placement, 6.13+ drm-total- and drm-shared-);
 *    shared = another handle or a dma-buf exists
 *    (drm_gem_object_is_shared_for_memory_stats);
 *  - purgeable[]: placed and DISCARDABLE;
 *  - the amd-* counters of 6.3+ (visible, evicted, requested). */
struct vgpu_mem_file_stats {
	uint64_t placed[3], total[3], shared[3], purgeable[3];
	uint64_t visible_vram, evicted_vram, evicted_visible_vram;
	uint64_t requested_vram, requested_visible_vram, requested_gtt;
};
void vgpu_mem_file_stats(struct vgpu_file *f, struct vgpu_mem_file_stats *out);

/* Description of what the memory side still holds in this process
 * (appended to buf); returns the object count. */
int vgpu_mem_open_objects(char *buf, size_t cap);

/* ---- Control side (drm/) ------------------------------------------- */

int vgpu_ctl_file_init(struct vgpu_file *f);
void vgpu_ctl_file_fini(struct vgpu_file *f);
int vgpu_ctl_open_objects(char *buf, size_t cap);

/* sysfs attributes of the device directory that depend on live state
 * ("mem_info_vram_used", "mem_info_gtt_total", "gpu_busy_percent", ...).
 * Writes the file's text (with its trailing newline) and returns the
 * length, or -ENOENT for an attribute the device does not have. */
int vgpu_dev_sysfs_read(const char *attr, char *buf, size_t cap);

#endif /* VGPU_BASE_FILE_H */
