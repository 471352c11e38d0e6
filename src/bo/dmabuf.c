/*
 * Sharing buffers as dma-bufs (PRIME): export a GEM handle as an fd, import
 * an fd as a GEM handle on this device.
 */
#include "util/api.h"
#include "placement.h"
#include "device/internal.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>

AB_API int amdbare_bo_export_dmabuf(amdbare_bo *bo, int *dmabuf_fd)
{
	if (!bo || !dmabuf_fd)
		return ab_set_error(EINVAL, "export dma-buf: NULL argument");
	*dmabuf_fd = -1;
	struct drm_prime_handle req;
	memset(&req, 0, sizeof(req));
	req.handle = bo->handle;
	req.flags = DRM_CLOEXEC | DRM_RDWR;
	req.fd = -1;
	if (drmIoctl(bo->dev->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &req) != 0) {
		int e = errno;
		ab_set_error(e, "%s: PRIME_HANDLE_TO_FD of buffer %u failed: %s", ab_node(bo->dev),
			     bo->handle, strerror(e));
		if (e == EPERM)
			ab_append_error(" (the kernel refuses to export VM_ALWAYS_VALID and "
					"userptr buffers)");
		return -e;
	}
	*dmabuf_fd = req.fd;
	return 0;
}

AB_API int amdbare_bo_import_dmabuf(amdbare_device *dev, int dmabuf_fd, amdbare_bo **out)
{
	if (!out)
		return ab_set_error(EINVAL, "import dma-buf: NULL output pointer");
	*out = NULL;
	if (!dev)
		return ab_set_error(EINVAL, "import dma-buf: NULL device");
	if (dmabuf_fd < 0)
		return ab_set_error(EBADF, "%s: import dma-buf: invalid fd %d", ab_node(dev), dmabuf_fd);
	/* A dma-buf's size is its file size (dma_buf_llseek). */
	off_t end = lseek(dmabuf_fd, 0, SEEK_END);
	if (end < 0) {
		int e = errno;
		return ab_set_error(e, "%s: fd %d does not look like a dma-buf (lseek: %s)",
				    ab_node(dev), dmabuf_fd, strerror(e));
	}
	(void)lseek(dmabuf_fd, 0, SEEK_SET);
	if (end == 0)
		return ab_set_error(EINVAL, "%s: dma-buf fd %d has size 0", ab_node(dev), dmabuf_fd);

	struct drm_prime_handle req;
	memset(&req, 0, sizeof(req));
	req.fd = dmabuf_fd;
	struct ab_usage_snapshot before, after;
	/* The lock is held until the buffer is in the device's list: a
	 * concurrent free of a buffer with the same handle (our own export
	 * coming back) must see this import, or it would close the handle
	 * under it. */
	pthread_mutex_lock(&dev->measure_lock);
	ab_snapshot_take(dev, &before);
	if (drmIoctl(dev->fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &req) != 0) {
		int e = errno;
		pthread_mutex_unlock(&dev->measure_lock);
		return ab_set_error(e, "%s: PRIME_FD_TO_HANDLE of fd %d (%" PRIu64 " bytes) failed: %s",
				    ab_node(dev), dmabuf_fd, (uint64_t)end, strerror(e));
	}
	ab_snapshot_take(dev, &after);
	/* Our own export coming back gives the exporter's handle: the same
	 * buffer, so it inherits the exporter's placement (the import itself
	 * moved nothing to measure). */
	bool shared = false;
	amdbare_placement exporter_placement;
	pthread_mutex_lock(&dev->bo_list_lock);
	for (const struct amdbare_bo *o = dev->bos; o && !shared; o = o->next)
		if (o->handle == req.handle) {
			shared = true;
			exporter_placement = o->placement;
		}
	pthread_mutex_unlock(&dev->bo_list_lock);
	struct amdbare_bo *bo = ab_bo_wrap_handle(dev, req.handle, (uint64_t)end);
	if (!bo && !shared)
		ab_gem_close(dev, req.handle);
	pthread_mutex_unlock(&dev->measure_lock);
	if (!bo)
		return ab_set_error(ENOMEM, "%s: out of memory for buffer bookkeeping", ab_node(dev));
	bo->imported = true;
	/* The flags of the exporter are unknown; an import may be CPU-mapped
	 * if the exporter allows it (the kernel says so at GEM_MMAP). */
	if (shared)
		bo->placement = exporter_placement;
	else
		ab_placement_from_creation(&before, &after, bo->size, 0, &bo->placement);
	*out = bo;
	return 0;
}
