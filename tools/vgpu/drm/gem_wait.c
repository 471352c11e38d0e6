/*
 * DRM_AMDGPU_GEM_WAIT_IDLE: the one GEM ioctl that needs both sides of
 * the device model, the memory side to resolve the handle and the
 * execution side for the object's last submission fence, so it lives
 * here, above both.
 */
#include "ctl.h"
#include "exec/exec.h"

#include <errno.h>
#include <string.h>

#include <drm.h>
#include <amdgpu_drm.h>

int vgpu_ioctl_gem_wait_idle(struct vgpu_file *f, void *data)
{
	union drm_amdgpu_gem_wait_idle *args = data;
	uint32_t gid;
	int r = vgpu_mem_handle_gid(f, args->in.handle, &gid);
	if (r < 0)
		return r;
	/* amdgpu_gem_wait_idle_ioctl: dma_resv_wait_timeout on the BO's
	 * fences (exec/fence.c keeps the last submission's); status 1 =
	 * still busy at the deadline. */
	int idle = vgpu_exec_bo_wait(gid, args->in.timeout);
	memset(args, 0, sizeof(*args));
	args->out.status = idle ? 0 : 1;
	return 0;
}
