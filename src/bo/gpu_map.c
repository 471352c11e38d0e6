/*
 * GPU virtual addresses: the range comes from libdrm_amdgpu's VA manager
 * (so it never collides with ranges other libdrm users of the device
 * take), the mapping itself is the raw GEM_VA ioctl on our fd.
 */
#include "gpu_map.h"
#include "registry.h"

#include "util/api.h"
#include "util/error.h"

#include <amdgpu_drm.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <xf86drm.h>

#define AB_VA_BIG_ALIGN (2ull << 20)

static int gem_va(struct amdbare_bo *bo, uint32_t op, uint32_t flags, uint64_t va)
{
	struct drm_amdgpu_gem_va req;
	memset(&req, 0, sizeof(req));
	req.handle = bo->handle;
	req.operation = op;
	req.flags = flags;
	req.va_address = va;
	req.offset_in_bo = 0;
	req.map_size = bo->size;
	if (drmIoctl(bo->dev->fd, DRM_IOCTL_AMDGPU_GEM_VA, &req) != 0)
		return -errno;
	return 0;
}

AB_API int amdbare_bo_gpu_map(amdbare_bo *bo, uint32_t perms, uint64_t *gpu_va)
{
	if (!bo)
		return ab_set_error(EINVAL, "gpu map: NULL buffer");
	amdbare_device *dev = bo->dev;
	if (bo->gpu_va)
		return ab_set_error(EBUSY, "%s: buffer %u is already mapped at GPU address 0x%" PRIx64,
				    ab_node(dev), bo->handle, bo->gpu_va);
	const uint32_t known = AMDBARE_VA_READ | AMDBARE_VA_WRITE | AMDBARE_VA_EXECUTE;
	if (perms == 0 || (perms & ~known))
		return ab_set_error(EINVAL, "%s: GPU map permissions 0x%x: expected a non-empty "
				    "combination of READ, WRITE, EXECUTE", ab_node(dev), perms);
	/* 2 MiB alignment lets the kernel use huge GPU pages for big buffers. */
	uint64_t align = bo->size >= AB_VA_BIG_ALIGN ? AB_VA_BIG_ALIGN : 4096;
	uint64_t va = 0;
	amdgpu_va_handle range = NULL;
	int r = amdgpu_va_range_alloc(dev->amd, amdgpu_gpu_va_range_general, bo->size, align, 0,
				      &va, &range, 0);
	if (r < 0)
		return ab_set_error(-r, "%s: no free GPU virtual address range of %" PRIu64
				    " bytes: %s", ab_node(dev), bo->size, strerror(-r));
	uint32_t flags = 0;
	if (perms & AMDBARE_VA_READ)
		flags |= AMDGPU_VM_PAGE_READABLE;
	if (perms & AMDBARE_VA_WRITE)
		flags |= AMDGPU_VM_PAGE_WRITEABLE;
	if (perms & AMDBARE_VA_EXECUTE)
		flags |= AMDGPU_VM_PAGE_EXECUTABLE;
	/* Mapping allocates page tables (VRAM the kernel charges to this
	 * process's fdinfo): keep it out of a measurement in progress. */
	pthread_mutex_lock(&dev->measure_lock);
	r = gem_va(bo, AMDGPU_VA_OP_MAP, flags, va);
	pthread_mutex_unlock(&dev->measure_lock);
	if (r < 0) {
		amdgpu_va_range_free(range);
		return ab_set_error(-r, "%s: GEM_VA MAP of buffer %u (%" PRIu64 " bytes) at 0x%" PRIx64
				    " failed: %s", ab_node(dev), bo->handle, bo->size, va,
				    strerror(-r));
	}
	bo->gpu_va = va;
	bo->va_range = range;
	ab_registry_update(bo);
	if (gpu_va)
		*gpu_va = va;
	return 0;
}

int ab_bo_gpu_unmap(struct amdbare_bo *bo)
{
	pthread_mutex_lock(&bo->dev->measure_lock);
	int r = gem_va(bo, AMDGPU_VA_OP_UNMAP, 0, bo->gpu_va);
	pthread_mutex_unlock(&bo->dev->measure_lock);
	int ret = 0;
	if (r < 0)
		ret = ab_set_error(-r, "%s: GEM_VA UNMAP of buffer %u at 0x%" PRIx64 " failed: %s",
				   ab_node(bo->dev), bo->handle, bo->gpu_va, strerror(-r));
	/* The range goes back to the VA manager even if the kernel refused:
	 * the kernel drops the mapping with the handle anyway. */
	amdgpu_va_range_free(bo->va_range);
	bo->va_range = NULL;
	bo->gpu_va = 0;
	ab_registry_update(bo);
	return ret;
}

AB_API int amdbare_bo_gpu_unmap(amdbare_bo *bo)
{
	if (!bo)
		return ab_set_error(EINVAL, "gpu unmap: NULL buffer");
	if (!bo->gpu_va)
		return 0;
	return ab_bo_gpu_unmap(bo);
}

AB_API uint64_t amdbare_bo_gpu_va(const amdbare_bo *bo)
{
	return bo ? bo->gpu_va : 0;
}
