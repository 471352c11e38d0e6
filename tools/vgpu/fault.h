/*
 * Fault injection in the vgpu (fault_*.c): what the rest of the device
 * model calls.  Faults come from AMDBARE_VGPU_FAULTS (parsed at the first
 * open of the process) or from the exported test API (fault_export.c).
 * docs/fault-injection.md describes the grammar and what each fault
 * mirrors in Linux 6.1.
 *
 * The armed faults, their counts and the heap-full flags are per
 * process (counts stay deterministic); the resets they cause are not:
 * the device's gpu_reset_counter and vram_lost_counter are the instance's
 * (mem_shared.c), seen by every process.  See the document for why.
 */
#ifndef VGPU_FAULT_H
#define VGPU_FAULT_H

#include "dev_ctl.h"

#include <stdbool.h>
#include <stdint.h>

/* ---- set-up (fault_state.c) --------------------------------------------- */

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

/* dev_ioctl.c, once the ioctl is decoded and before its argument is read:
 * applies a VRAM loss of another process, counts the call, fires a due
 * reset, and returns the injected -errno (the call then has no effect)
 * or 0. */
int vgpu_fault_ioctl_enter(unsigned int nr, const char *name);

/* dev_ioctl.c, after the argument was copied in and the permission check
 * passed: the CS refusal of a context created before a VRAM loss
 * (amdgpu_cs_pass1: ctx->vram_lost_counter != job->vram_lost_counter).
 * 0 or -ECANCELED. */
int vgpu_fault_ioctl_check(struct vgpu_file *f, unsigned int nr, const void *kdata);

/* mem_placement.c: true while the heap is declared full. */
bool vgpu_fault_vram_full(void);
bool vgpu_fault_gtt_full(void);

/* exec_ring.c, when a job starts on ring `ring_name`. */
enum vgpu_fault_job {
	VGPU_FAULT_JOB_RUN = 0,   /* run it normally */
	VGPU_FAULT_JOB_HANG,      /* never finishes: the watchdog fires */
	VGPU_FAULT_JOB_VM_FAULT,  /* a VM fault at its first IB */
};
enum vgpu_fault_job vgpu_fault_job_start(const char *ring_name);

/* True if `ring_name` names a ring (or ring group) the grammar accepts. */
bool vgpu_fault_ring_known(const char *ring_name);

/* ---- GPU reset and VRAM loss (fault_reset.c) ------------------------------ */

/* amdgpu_device_gpu_recover without a guilty job (as a reset asked for
 * through debugfs amdgpu_gpu_recover): the instance's gpu_reset_counter
 * moves, so every context of every process sees RESET; with `vram_lost`,
 * amdgpu_inc_vram_lost: the instance's vram_lost_counter moves, every BO
 * then in VRAM is marked lost, and this process applies the loss at once
 * (vgpu_fault_vram_lost_apply).  0, or -errno if the instance's shared
 * state cannot be attached. */
int vgpu_fault_gpu_reset(bool vram_lost);

/* adev->vram_lost_counter of the instance (AMDGPU_INFO_VRAM_LOST_COUNTER). */
uint32_t vgpu_fault_vram_lost_counter(void);

/* Makes this process catch up with the instance's VRAM losses: the
 * contents of its BOs marked lost are scrambled.  Cheap when nothing is
 * new (one atomic load).  Called at every ioctl entry
 * (vgpu_fault_ioctl_enter) and when a ring thread starts a job
 * (vgpu_fault_job_start); no lock may be held. */
void vgpu_fault_vram_lost_apply(void);

/* ---- provided by the files the hooks live in ------------------------------ */

/* dev_ioctl.c: the table nr of an ioctl named as in the tables, with or
 * without the "DRM_IOCTL_" / "DRM_IOCTL_AMDGPU_" prefix.  0, -ENOENT
 * (no such name) or -EINVAL (the short name matches two entries). */
int vgpu_ioctl_nr_by_name(const char *name, unsigned int *nr);
/* dev_ioctl.c: the table name of nr, or NULL for a hole / no entry. */
const char *vgpu_ioctl_name_of(unsigned int nr);

#endif /* VGPU_FAULT_H */
