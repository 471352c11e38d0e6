/*
 * Buffer bookkeeping shared by every way a buffer comes to exist (create,
 * dma-buf import, userptr): the device's list of live buffers, and the
 * teardown used both by amdbare_bo_free and by device close.
 */
#include "util/api.h"
#include "gpu_map.h"
#include "registry.h"
#include "device/internal.h"
#include "util/error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <xf86drm.h>

/* Device close: frees the buffers the caller left open and says so (the
 * AB_TEARDOWN_BUFFERS stage). */
static void free_leftover_buffers(amdbare_device *dev)
{
	unsigned leaked = 0;
	uint64_t leaked_bytes = 0;
	for (;;) {
		pthread_mutex_lock(&dev->bo_list_lock);
		struct amdbare_bo *bo = dev->bos;
		pthread_mutex_unlock(&dev->bo_list_lock);
		if (!bo)
			break;
		leaked++;
		leaked_bytes += bo->size;
		ab_bo_destroy(bo);
	}
	if (leaked)
		ab_set_error(0, "%s: closed with %u buffer%s (%llu bytes) still open; freed them",
			     ab_node(dev), leaked, leaked == 1 ? "" : "s",
			     (unsigned long long)leaked_bytes);
}

void ab_bo_list_add(amdbare_device *dev, struct amdbare_bo *bo)
{
	ab_device_on_close(AB_TEARDOWN_BUFFERS, free_leftover_buffers);
	pthread_mutex_lock(&dev->bo_list_lock);
	bo->prev = NULL;
	bo->next = dev->bos;
	if (dev->bos)
		dev->bos->prev = bo;
	dev->bos = bo;
	pthread_mutex_unlock(&dev->bo_list_lock);
	ab_registry_add(bo);
}

void ab_bo_list_remove(amdbare_device *dev, struct amdbare_bo *bo)
{
	pthread_mutex_lock(&dev->bo_list_lock);
	if (bo->prev)
		bo->prev->next = bo->next;
	else
		dev->bos = bo->next;
	if (bo->next)
		bo->next->prev = bo->prev;
	bo->prev = bo->next = NULL;
	pthread_mutex_unlock(&dev->bo_list_lock);
	ab_registry_remove(bo);
}

struct amdbare_bo *ab_bo_wrap_handle(amdbare_device *dev, uint32_t handle, uint64_t size)
{
	struct amdbare_bo *bo = calloc(1, sizeof(*bo));
	if (!bo)
		return NULL;
	bo->dev = dev;
	bo->handle = handle;
	bo->size = size;
	ab_bo_list_add(dev, bo);
	return bo;
}

int ab_gem_close(amdbare_device *dev, uint32_t handle)
{
	struct drm_gem_close req;
	memset(&req, 0, sizeof(req));
	req.handle = handle;
	if (drmIoctl(dev->fd, DRM_IOCTL_GEM_CLOSE, &req) != 0) {
		int e = errno;
		return ab_set_error(e, "%s: GEM_CLOSE of handle %u failed: %s", ab_node(dev), handle,
				    strerror(e));
	}
	return 0;
}

/* True if another live buffer of the device holds the same GEM handle:
 * importing a dma-buf that this very file exported gives back the
 * exporter's handle (drm_gem_prime_fd_to_handle), and GEM handles are not
 * reference-counted, so only the last holder may close it. */
static bool handle_shared(amdbare_device *dev, const struct amdbare_bo *bo)
{
	bool shared = false;
	pthread_mutex_lock(&dev->bo_list_lock);
	for (const struct amdbare_bo *o = dev->bos; o; o = o->next)
		if (o != bo && o->handle == bo->handle)
			shared = true;
	pthread_mutex_unlock(&dev->bo_list_lock);
	return shared;
}

int ab_bo_destroy(struct amdbare_bo *bo)
{
	amdbare_device *dev = bo->dev;
	int first = 0;
	if (bo->gpu_va) {
		int r = ab_bo_gpu_unmap(bo);
		if (r < 0 && !first)
			first = r;
	}
	if (bo->cpu_ptr && !bo->userptr && munmap(bo->cpu_ptr, bo->size) != 0 && !first)
		first = ab_set_error(errno, "%s: munmap of buffer %u failed: %s", ab_node(dev),
				     bo->handle, strerror(errno));
	bo->cpu_ptr = NULL;
	/* Under the measurement lock: a GEM_CLOSE changes usage, which must
	 * not blur a creation being measured in another thread, and the
	 * "handle shared?" check must not race with an import that is about
	 * to receive the same handle. */
	pthread_mutex_lock(&dev->measure_lock);
	if (!handle_shared(dev, bo)) {
		int r = ab_gem_close(dev, bo->handle);
		if (r < 0 && !first)
			first = r;
	}
	ab_bo_list_remove(dev, bo);
	pthread_mutex_unlock(&dev->measure_lock);
	free(bo);
	return first;
}

AB_API int amdbare_bo_free(amdbare_bo *bo)
{
	if (!bo)
		return 0;
	return ab_bo_destroy(bo);
}

AB_API uint64_t amdbare_bo_size(const amdbare_bo *bo)
{
	return bo ? bo->size : 0;
}

AB_API uint32_t amdbare_bo_handle(const amdbare_bo *bo)
{
	return bo ? bo->handle : 0;
}

AB_API amdbare_device *amdbare_bo_device(const amdbare_bo *bo)
{
	return bo ? bo->dev : NULL;
}
