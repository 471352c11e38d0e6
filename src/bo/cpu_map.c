/*
 * CPU mappings: GEM_MMAP gives a fake offset on the render node, and mmap of
 * the node at that offset maps the buffer (amdgpu_gem_mmap_ioctl,
 * drm_gem_mmap).
 */
#include "util/api.h"
#include "device/internal.h"
#include "util/error.h"

#include <amdgpu_drm.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>
#include <xf86drm.h>

AB_API int amdbare_bo_cpu_map(amdbare_bo *bo, void **ptr)
{
	if (!bo || !ptr)
		return ab_set_error(EINVAL, "cpu map: NULL argument");
	*ptr = NULL;
	if (bo->cpu_ptr) {
		*ptr = bo->cpu_ptr;
		return 0;
	}
	amdbare_device *dev = bo->dev;
	if (bo->userptr) {
		/* The kernel refuses GEM_MMAP on userptr buffers (EPERM); the
		 * memory is the caller's own anyway. */
		bo->cpu_ptr = bo->user_ptr;
		*ptr = bo->cpu_ptr;
		return 0;
	}
	if (bo->flags & AMDBARE_BO_NO_CPU_ACCESS)
		return ab_set_error(EPERM, "%s: buffer %u was created with NO_CPU_ACCESS and cannot "
				    "be mapped for the CPU", ab_node(dev), bo->handle);
	union drm_amdgpu_gem_mmap req;
	memset(&req, 0, sizeof(req));
	req.in.handle = bo->handle;
	if (drmIoctl(dev->fd, DRM_IOCTL_AMDGPU_GEM_MMAP, &req) != 0) {
		int e = errno;
		return ab_set_error(e, "%s: GEM_MMAP of buffer %u failed: %s", ab_node(dev),
				    bo->handle, strerror(e));
	}
	void *p = mmap(NULL, bo->size, PROT_READ | PROT_WRITE, MAP_SHARED, dev->fd,
		       (off_t)req.out.addr_ptr);
	if (p == MAP_FAILED) {
		int e = errno;
		return ab_set_error(e, "%s: mmap of buffer %u (%" PRIu64 " bytes at offset 0x%" PRIx64
				    ") failed: %s", ab_node(dev), bo->handle, bo->size,
				    (uint64_t)req.out.addr_ptr, strerror(e));
	}
	bo->cpu_ptr = p;
	*ptr = p;
	return 0;
}

AB_API int amdbare_bo_cpu_unmap(amdbare_bo *bo)
{
	if (!bo)
		return ab_set_error(EINVAL, "cpu unmap: NULL buffer");
	if (!bo->cpu_ptr)
		return 0;
	if (!bo->userptr && munmap(bo->cpu_ptr, bo->size) != 0) {
		int e = errno;
		return ab_set_error(e, "%s: munmap of buffer %u failed: %s", ab_node(bo->dev),
				    bo->handle, strerror(e));
	}
	bo->cpu_ptr = NULL;
	return 0;
}
