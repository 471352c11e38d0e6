/*
 * Wrapping user memory as a GTT buffer (amdgpu_gem_userptr_ioctl): the GPU
 * then reads and writes the caller's pages directly.
 */
#include "util/api.h"
#include "placement.h"
#include "device/internal.h"
#include "util/error.h"

#include <amdgpu_drm.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>

AB_API int amdbare_bo_from_userptr(amdbare_device *dev, void *ptr, uint64_t size, bool read_only,
				   amdbare_bo **out)
{
	if (!out)
		return ab_set_error(EINVAL, "userptr: NULL output pointer");
	*out = NULL;
	if (!dev)
		return ab_set_error(EINVAL, "userptr: NULL device");
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uintptr_t addr = (uintptr_t)ptr;
	if (!ptr || size == 0)
		return ab_set_error(EINVAL, "%s: userptr needs a non-NULL pointer and a non-zero size",
				    ab_node(dev));
	if ((addr & (page - 1)) || (size & (page - 1)))
		return ab_set_error(EINVAL, "%s: userptr %p + %" PRIu64 " bytes is not page-aligned "
				    "(page size %" PRIu64 "; both address and size must be multiples)",
				    ab_node(dev), ptr, size, page);

	struct drm_amdgpu_gem_userptr req;
	memset(&req, 0, sizeof(req));
	req.addr = (uint64_t)addr;
	req.size = size;
	/* REGISTER: track the pages with an MMU notifier; VALIDATE: pin them
	 * into GTT now, so a bad range fails here and not at first use;
	 * ANONONLY: file-backed memory could be truncated under the GPU. */
	req.flags = AMDGPU_GEM_USERPTR_REGISTER | AMDGPU_GEM_USERPTR_VALIDATE |
		    AMDGPU_GEM_USERPTR_ANONONLY;
	if (read_only)
		req.flags |= AMDGPU_GEM_USERPTR_READONLY;

	struct ab_usage_snapshot before, after;
	pthread_mutex_lock(&dev->measure_lock);
	ab_snapshot_take(dev, &before);
	int err = drmIoctl(dev->fd, DRM_IOCTL_AMDGPU_GEM_USERPTR, &req) != 0 ? errno : 0;
	if (!err)
		ab_snapshot_take(dev, &after);
	pthread_mutex_unlock(&dev->measure_lock);
	if (err)
		return ab_set_error(err, "%s: GEM_USERPTR of %p + %" PRIu64 " bytes%s failed: %s",
				    ab_node(dev), ptr, size, read_only ? " (read-only)" : "",
				    strerror(err));

	struct amdbare_bo *bo = ab_bo_wrap_handle(dev, req.handle, size);
	if (!bo) {
		ab_gem_close(dev, req.handle);
		return ab_set_error(ENOMEM, "%s: out of memory for buffer bookkeeping", ab_node(dev));
	}
	bo->userptr = true;
	bo->user_ptr = ptr;
	bo->domains = AMDBARE_DOMAIN_GTT;
	ab_placement_from_creation(&before, &after, size, AMDBARE_DOMAIN_GTT, &bo->placement);
	*out = bo;
	return 0;
}
