/*
 * Fault injection in the vgpu (fault/): what the rest of the device
 * model calls.  Faults come from AMDBARE_VGPU_FAULTS (parsed at the first
 * open of the process) or from the exported test API (drm/fault_export.c).
 * docs/fault-injection.md describes the grammar and what each fault
 * mirrors in Linux 6.1.
 *
 * The armed faults, their counts and the heap-full flags are per
 * process (counts stay deterministic); the resets they cause are not:
 * the device's gpu_reset_counter and vram_lost_counter are the instance's
 * (memory/shared.c), seen by every process.  See the document for why.
 */
#ifndef VGPU_FAULT_H
#define VGPU_FAULT_H

#include "base/file.h"

#include <stdbool.h>
#include <stdint.h>

/* ---- set-up (fault/state.c) --------------------------------------------- */

/* Parses AMDBARE_VGPU_FAULTS once per process.  0, or -EINVAL (sticky)
 * after a message on stderr when the spec is malformed: every open of
 * the device then fails. */
int vgpu_fault_init(void);

/* Adds the items of `spec` (same grammar as the variable).  `origin`
 * names the source in error messages.  0 or -EINVAL (nothing added). */
int vgpu_fault_add_spec(const char *spec, const char *origin);

/* Removes every armed fault and makes both heaps normal again. */
void vgpu_fault_clear(void);

/* Injections that fired so far in this process. */
uint64_t vgpu_fault_hits(void);

/* Calls of ioctl `nr` seen by the dispatcher (nr > 0xff: all ioctls). */
uint64_t vgpu_fault_ioctl_calls(unsigned int nr);

/* ---- hooks ---------------------------------------------------------------- */

/* drm/ioctl.c, once the ioctl is decoded and before its argument is read:
 * applies a VRAM loss of another process, counts the call, fires a due
 * reset, and returns the injected -errno (the call then has no effect)
 * or 0. */
int vgpu_fault_ioctl_enter(unsigned int nr, const char *name);


/* memory/placement.c: true while the heap is declared full. */
bool vgpu_fault_vram_full(void);
bool vgpu_fault_gtt_full(void);

/* exec/ring.c, when a job starts on ring `ring_name`. */
enum vgpu_fault_job {
	VGPU_FAULT_JOB_RUN = 0,   /* run it normally */
	VGPU_FAULT_JOB_HANG,      /* never finishes: the watchdog fires */
	VGPU_FAULT_JOB_VM_FAULT,  /* a VM fault at its first IB */
};
enum vgpu_fault_job vgpu_fault_job_start(const char *ring_name);

/* True if `ring_name` names a ring (or ring group) the grammar accepts. */
bool vgpu_fault_ring_known(const char *ring_name);

/* ---- what injection sets off in the layers above ------------------------- */

/* Fault injection sits below the layers it injects into, so what it sets
 * off there (a GPU reset, a VRAM loss, and the ioctl names its grammar
 * uses) is installed by them: the device installs these (drm/fault_hooks.c)
 * before it first parses a fault spec.  Until then a due reset is not
 * fired and an ioctl name does not parse. */
struct vgpu_fault_hooks {
	int (*gpu_reset)(bool vram_lost);      /* exec/reset.c */
	void (*vram_lost_apply)(void);         /* exec/reset.c */
	/* drm/ioctl.c: the table nr of an ioctl named as in the tables,
	 * with or without the "DRM_IOCTL_" / "DRM_IOCTL_AMDGPU_" prefix: 0,
	 * -ENOENT (no such name) or -EINVAL (the short name matches two
	 * entries); and the table name of nr, or NULL for a hole. */
	int (*ioctl_nr_by_name)(const char *name, unsigned int *nr);
	const char *(*ioctl_name_of)(unsigned int nr);
};
void vgpu_fault_set_hooks(const struct vgpu_fault_hooks *hooks);
/* The installed hooks (never NULL; members are NULL until installed). */
const struct vgpu_fault_hooks *vgpu_fault_hooks(void);

#endif /* VGPU_FAULT_H */
