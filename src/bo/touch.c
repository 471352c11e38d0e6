/*
 * Touching every page of a buffer from the CPU.  On a dGPU a buffer in
 * CPU-invisible VRAM faults on first access and the kernel moves it
 * (amdgpu_bo_fault_reserve_notify): to visible VRAM if there is room, else
 * to GTT.  Measuring around the touch is how the library sees that.
 */
#include "util/api.h"
#include "placement.h"
#include "registry.h"
#include "device/internal.h"
#include "util/error.h"

#include <errno.h>

AB_API int amdbare_bo_touch(amdbare_bo *bo, uint8_t pattern)
{
	if (!bo)
		return ab_set_error(EINVAL, "touch: NULL buffer");
	amdbare_device *dev = bo->dev;
	struct ab_usage_snapshot before, after;
	pthread_mutex_lock(&dev->measure_lock);
	/* The snapshot comes before the mapping: the fault that migrates the
	 * buffer may be taken when the mapping is first populated. */
	ab_snapshot_take(dev, &before);
	void *ptr;
	int r = amdbare_bo_cpu_map(bo, &ptr);
	if (r < 0) {
		pthread_mutex_unlock(&dev->measure_lock);
		return r;
	}
	volatile uint8_t *bytes = ptr;
	for (uint64_t off = 0; off < bo->size; off += 4096)
		bytes[off] = pattern;
	ab_snapshot_take(dev, &after);
	pthread_mutex_unlock(&dev->measure_lock);
	ab_placement_after_touch(&before, &after, bo->size, &bo->placement);
	ab_registry_update(bo);
	return 0;
}
