/* Raw AMDGPU_INFO queries: see device/info_query.h. */
#include "info_query.h"

#include "internal.h"
#include "util/error.h"

#include <amdgpu_drm.h>
#include <errno.h>
#include <string.h>
#include <xf86drm.h>

int ab_info_query(int fd, uint32_t query, void *out, uint32_t size)
{
	struct drm_amdgpu_info req;
	memset(&req, 0, sizeof(req));
	memset(out, 0, size);
	req.return_pointer = (uint64_t)(uintptr_t)out;
	req.return_size = size;
	req.query = query;
	if (drmIoctl(fd, DRM_IOCTL_AMDGPU_INFO, &req) != 0)
		return -errno;
	return 0;
}

int ab_info_error(struct amdbare_device *dev, const char *what, int err)
{
	if (err == EINVAL)
		return ab_set_error(EOPNOTSUPP,
				    "%s: the kernel rejected the %s query (%s): amdgpu KMS %u.%u.%u is "
				    "too old for it",
				    ab_node(dev), what, strerror(err), dev->info.drm_major,
				    dev->info.drm_minor, dev->info.drm_patchlevel);
	return ab_set_error(err, "%s: AMDGPU_INFO %s failed: %s", ab_node(dev), what, strerror(err));
}

int ab_info_u64(struct amdbare_device *dev, uint32_t query, const char *what, uint64_t *value)
{
	int r = ab_info_query(dev->fd, query, value, sizeof(*value));
	if (r < 0)
		return ab_info_error(dev, what, -r);
	return 0;
}
