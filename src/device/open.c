/*
 * Opening and closing a device: the render node, its driver check,
 * libdrm_amdgpu initialisation, and freeing leftover buffers at close.
 */
#include "util/api.h"
#include "enum.h"
#include "info.h"
#include "internal.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>

AB_API int amdbare_device_open_path(const char *node_path, amdbare_device **out)
{
	if (!out)
		return ab_set_error(EINVAL, "device open: NULL output pointer");
	*out = NULL;
	if (!node_path || !*node_path)
		return ab_set_error(EINVAL, "device open: empty node path");
	if (strlen(node_path) >= sizeof(((amdbare_device_info *)0)->node_path))
		return ab_set_error(ENAMETOOLONG, "device open: node path \"%s\" is too long", node_path);

	int fd = open(node_path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return ab_open_error(node_path, errno);

	drmVersionPtr ver = drmGetVersion(fd);
	if (!ver) {
		int e = errno ? errno : ENOTTY;
		close(fd);
		return ab_set_error(e == ENOTTY ? ENODEV : e,
				    "%s: not a DRM device (the VERSION ioctl failed: %s)", node_path,
				    strerror(e));
	}
	char driver[64];
	snprintf(driver, sizeof(driver), "%.*s", ver->name_len, ver->name ? ver->name : "");
	int drm_major = ver->version_major, drm_minor = ver->version_minor,
	    drm_patch = ver->version_patchlevel;
	drmFreeVersion(ver);
	if (strcmp(driver, "amdgpu") != 0) {
		close(fd);
		return ab_set_error(ENODEV, "%s is driven by \"%s\", not amdgpu", node_path, driver);
	}

	amdbare_device *dev = calloc(1, sizeof(*dev));
	if (!dev) {
		close(fd);
		return ab_set_error(ENOMEM, "%s: out of memory", node_path);
	}
	dev->fd = fd;
	snprintf(dev->info.node_path, sizeof(dev->info.node_path), "%s", node_path);
	dev->info.drm_major = (uint32_t)drm_major;
	dev->info.drm_minor = (uint32_t)drm_minor;
	dev->info.drm_patchlevel = (uint32_t)drm_patch;

	uint32_t lib_major, lib_minor;
	int r = amdgpu_device_initialize(fd, &lib_major, &lib_minor, &dev->amd);
	if (r < 0) {
		close(fd);
		free(dev);
		return ab_set_error(-r,
				    "%s: libdrm_amdgpu could not initialise the device "
				    "(amdgpu_device_initialize: %s; amdgpu KMS %d.%d.%d)",
				    node_path, strerror(-r), drm_major, drm_minor, drm_patch);
	}
	r = ab_device_fill_info(dev);
	if (r < 0) {
		amdgpu_device_deinitialize(dev->amd);
		close(fd);
		free(dev);
		return r;
	}
	pthread_mutex_init(&dev->bo_list_lock, NULL);
	pthread_mutex_init(&dev->measure_lock, NULL);
	*out = dev;
	return 0;
}

AB_API int amdbare_device_open(int index, amdbare_device **out)
{
	if (!out)
		return ab_set_error(EINVAL, "device open: NULL output pointer");
	*out = NULL;
	char nodes[AB_MAX_DEVICES][AB_NODE_PATH_MAX];
	int n = ab_enum_amdgpu_nodes(nodes, AB_MAX_DEVICES);
	if (n < 0)
		return n;
	if (index < 0 || index >= n)
		return ab_set_error(EINVAL, "device index %d is out of range: %d amdgpu device%s (0..%d)",
				    index, n, n == 1 ? "" : "s", n - 1);
	return amdbare_device_open_path(nodes[index], out);
}

/* ab_device_on_close's registry: one release function per stage, the
 * same for every device. */
static void (*teardown[AB_TEARDOWN_COUNT])(amdbare_device *dev);

void ab_device_on_close(enum ab_device_teardown stage, void (*fn)(amdbare_device *dev))
{
	if ((unsigned)stage < AB_TEARDOWN_COUNT)
		__atomic_store_n(&teardown[stage], fn, __ATOMIC_RELEASE);
}

AB_API void amdbare_device_close(amdbare_device *dev)
{
	if (!dev)
		return;
	for (int stage = 0; stage < AB_TEARDOWN_COUNT; stage++) {
		void (*fn)(amdbare_device *) = __atomic_load_n(&teardown[stage], __ATOMIC_ACQUIRE);
		if (fn)
			fn(dev);
	}
	amdgpu_device_deinitialize(dev->amd);
	close(dev->fd);
	pthread_mutex_destroy(&dev->bo_list_lock);
	pthread_mutex_destroy(&dev->measure_lock);
	free(dev);
}

AB_API int amdbare_device_fd(const amdbare_device *dev)
{
	return dev ? dev->fd : -1;
}

AB_API void *amdbare_device_libdrm_handle(const amdbare_device *dev)
{
	return dev ? (void *)dev->amd : NULL;
}
