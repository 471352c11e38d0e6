/*
 * DRM_IOCTL_AMDGPU_GEM_VA as the dispatcher sees it: the mapping change
 * itself is the memory side's (memory/va.c, amdgpu_gem_va_ioctl); what
 * this adds is the ordering the kernel gives an unmap.
 *
 * amdgpu_vm_update_range: "Implicitly sync to command submissions in the
 * same VM before unmapping" - the page-table update of an UNMAP, CLEAR or
 * REPLACE runs behind every job of the VM already submitted, so such a
 * job still sees the old mapping.  The kernel returns from the ioctl at
 * once and applies the update later; the vgpu, which changes its mapping
 * table in the ioctl, waits in the ioctl for the VM's (the file's)
 * submitted jobs to finish first.  Jobs see the same order; the call
 * takes longer.  The watchdog bounds the wait.
 */
#include "ctl.h"
#include "exec/internal.h"

#include <drm.h>
#include <amdgpu_drm.h>

int vgpu_amdgpu_gem_va(struct vgpu_file *f, void *data)
{
	const struct drm_amdgpu_gem_va *args = data;
	if (args->operation == AMDGPU_VA_OP_UNMAP || args->operation == AMDGPU_VA_OP_CLEAR ||
	    args->operation == AMDGPU_VA_OP_REPLACE) {
		exec_lock();
		exec_ring_flush_owner(f->ctl);
		exec_unlock();
	}
	return vgpu_ioctl_gem_va(f, data);
}
