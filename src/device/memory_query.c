/*
 * Device-global memory: heap sizes and usage (AMDGPU_INFO_MEMORY) and the
 * TTM counters (evictions, bytes moved, CPU faults on invisible VRAM).
 */
#include "util/api.h"
#include "internal.h"
#include "util/error.h"
#include "info_query.h"

#include <amdgpu_drm.h>
#include <errno.h>
#include <string.h>

static void copy_heap(amdbare_heap_info *dst, const struct drm_amdgpu_heap_info *src)
{
	dst->total = src->total_heap_size;
	dst->usable = src->usable_heap_size;
	dst->used = src->heap_usage;
	dst->max_allocation = src->max_allocation;
}

AB_API int amdbare_device_query_memory(amdbare_device *dev, amdbare_memory_info *out)
{
	if (!dev || !out)
		return ab_set_error(EINVAL, "query memory: NULL argument");
	memset(out, 0, sizeof(*out));
	struct drm_amdgpu_memory_info mem;
	int r = ab_info_query(dev->fd, AMDGPU_INFO_MEMORY, &mem, sizeof(mem));
	if (r < 0)
		return ab_info_error(dev, "MEMORY", -r);
	copy_heap(&out->vram, &mem.vram);
	copy_heap(&out->visible_vram, &mem.cpu_accessible_vram);
	copy_heap(&out->gtt, &mem.gtt);
	r = ab_info_u64(dev, AMDGPU_INFO_NUM_EVICTIONS, "NUM_EVICTIONS", &out->num_evictions);
	if (r < 0)
		return r;
	r = ab_info_u64(dev, AMDGPU_INFO_NUM_BYTES_MOVED, "NUM_BYTES_MOVED", &out->num_bytes_moved);
	if (r < 0)
		return r;
	return ab_info_u64(dev, AMDGPU_INFO_NUM_VRAM_CPU_PAGE_FAULTS, "NUM_VRAM_CPU_PAGE_FAULTS",
			   &out->num_vram_cpu_page_faults);
}
