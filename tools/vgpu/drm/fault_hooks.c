/*
 * What fault injection (fault/, a layer below) sets off up here: GPU
 * resets and VRAM loss (exec/reset.c) and the ioctl names of its grammar
 * (drm/ioctl.c).  Installed once, before the first fault spec is parsed.
 */
#include "ctl.h"
#include "exec/exec.h"
#include "fault/fault.h"

#include <pthread.h>

static pthread_once_t installed = PTHREAD_ONCE_INIT;

static void install(void)
{
	const struct vgpu_fault_hooks h = {
		.gpu_reset = vgpu_exec_gpu_reset,
		.vram_lost_apply = vgpu_exec_vram_lost_apply,
		.ioctl_nr_by_name = vgpu_ioctl_nr_by_name,
		.ioctl_name_of = vgpu_ioctl_name_of,
	};
	vgpu_fault_set_hooks(&h);
}

void vgpu_fault_hooks_install(void)
{
	pthread_once(&installed, install);
}
