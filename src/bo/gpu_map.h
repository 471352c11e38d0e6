/* GPU virtual address mapping of buffers (bo/gpu_map.c). */
#ifndef AB_BO_GPU_MAP_H
#define AB_BO_GPU_MAP_H

#include "device/internal.h"

/* Unmaps and frees the VA range; 0 or -errno with message. */
int ab_bo_gpu_unmap(struct amdbare_bo *bo);

#endif
