/*
 * A VM access window: one instruction's worth of GPU memory accesses by
 * the shader core under a single hold of the memory side's lock.
 *
 * exec_read/exec_write take mem_local_lock, find the mapping and check it
 * for every call; a vector memory instruction makes one call per lane, so
 * that was most of the shader core's memory cost.  A window takes the lock
 * at its first access and keeps it until exec_vm_window_close, and
 * remembers the last mapping it translated (its VA range, host address and
 * whether it is writeable), so the lanes that land in the same mapping
 * skip the lookup.  Nothing about a mapping can change while the lock is
 * held (GEM_VA, BO free and eviction all take it), and the remembered
 * translation is dropped whenever the lock is released, so every access
 * sees exactly what exec_read/exec_write would see: the same faults, for
 * the same address, in the same order.
 *
 * Rules for the user: no exec_read/exec_write (or anything else that takes
 * mem_local_lock) between the first access and the close; close before
 * reporting any fault other than the window's own.  On a VM fault the
 * window has already released the lock and reported the fault (the
 * gmc_v11_0_process_interrupt message, via exec_vm_fault).
 */
#ifndef VGPU_EXEC_WINDOW_H
#define VGPU_EXEC_WINDOW_H

#include "internal.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct exec_vm_window {
	struct exec_job *job;
	bool held;                 /* mem_local_lock taken by this window */
	bool cached;               /* lo/hi/host/writeable valid (only while held) */
	uint64_t lo, hi;           /* GPU VA range [lo, hi) of one mapping (hole-masked) */
	uintptr_t host;            /* host address of lo */
	bool writeable;            /* AMDGPU_VM_PAGE_WRITEABLE on that mapping */
};

/* Starts a window for `job`; takes no lock yet. */
void exec_vm_window_open(struct exec_vm_window *win, struct exec_job *job);
/* Copies `len` bytes between buf and GPU VA `va` (write: buf -> memory):
 * 0, or -ECANCELED after a VM fault (reported; the lock is released). */
int exec_vm_window_copy(struct exec_vm_window *win, uint64_t va, void *buf, size_t len,
			bool write);
/* Releases the lock if the window holds it; the window may be reused. */
void exec_vm_window_close(struct exec_vm_window *win);

#endif /* VGPU_EXEC_WINDOW_H */
