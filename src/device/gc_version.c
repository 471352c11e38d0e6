/*
 * Which GC IP version the device is, from the most to the least direct
 * source:
 *   1. HW_IP_INFO's ip_discovery_version (Linux >= 6.0 fills the field that
 *      libdrm 2.4.114's header still calls _pad);
 *   2. sysfs ip_discovery/die/0/GC/0/{major,minor,revision} (Linux >= 5.17);
 *   3. family + external revision tables (device/gfx_target.c).
 */
#include "internal.h"
#include "gc_version.h"
#include "gfx_target.h"
#include "info_query.h"

#include <amdgpu_drm.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xf86drm.h>

/* drm_amdgpu_info_hw_ip as Linux >= 6.0 defines it.  Same size as the
 * libdrm 2.4.114 struct (the field replaced _pad); newer kernels that grow
 * the struct copy at most return_size bytes, so asking for this size is
 * safe on every kernel. */
struct ab_info_hw_ip {
	uint32_t hw_ip_version_major;
	uint32_t hw_ip_version_minor;
	uint64_t capabilities_flags;
	uint32_t ib_start_alignment;
	uint32_t ib_size_alignment;
	uint32_t available_rings;
	uint32_t ip_discovery_version; /* bits 23:16 major, 15:8 minor, 7:0 rev */
};
_Static_assert(sizeof(struct ab_info_hw_ip) == sizeof(struct drm_amdgpu_info_hw_ip),
	       "HW_IP_INFO reply layout");

static int gc_from_hw_ip_info(int fd, uint32_t *major, uint32_t *minor, uint32_t *rev)
{
	static const uint32_t types[] = { AMDGPU_HW_IP_GFX, AMDGPU_HW_IP_COMPUTE };
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct drm_amdgpu_info req;
		struct ab_info_hw_ip ip;
		memset(&req, 0, sizeof(req));
		memset(&ip, 0, sizeof(ip));
		req.return_pointer = (uint64_t)(uintptr_t)&ip;
		req.return_size = sizeof(ip);
		req.query = AMDGPU_INFO_HW_IP_INFO;
		req.query_hw_ip.type = types[i];
		req.query_hw_ip.ip_instance = 0;
		if (drmIoctl(fd, DRM_IOCTL_AMDGPU_INFO, &req) != 0 || ip.ip_discovery_version == 0)
			continue;
		*major = (ip.ip_discovery_version >> 16) & 0xff;
		*minor = (ip.ip_discovery_version >> 8) & 0xff;
		*rev = ip.ip_discovery_version & 0xff;
		return 0;
	}
	return -ENOENT;
}

static int read_sysfs_uint(const char *dir, const char *name, uint32_t *value)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "re");
	if (!f)
		return -errno;
	unsigned long v;
	int ok = fscanf(f, "%lu", &v) == 1;
	fclose(f);
	if (!ok)
		return -EINVAL;
	*value = (uint32_t)v;
	return 0;
}

static int gc_from_sysfs(const char *node_path, uint32_t *major, uint32_t *minor, uint32_t *rev)
{
	const char *base = strrchr(node_path, '/');
	base = base ? base + 1 : node_path;
	char dir[192];
	snprintf(dir, sizeof(dir), "/sys/class/drm/%s/device/ip_discovery/die/0/GC/0", base);
	uint32_t ma, mi, rv;
	if (read_sysfs_uint(dir, "major", &ma) < 0 || read_sysfs_uint(dir, "minor", &mi) < 0 ||
	    read_sysfs_uint(dir, "revision", &rv) < 0)
		return -ENOENT;
	*major = ma;
	*minor = mi;
	*rev = rv;
	return 0;
}

const char *ab_detect_gc_version(int fd, const char *node_path, uint32_t family,
				 uint32_t external_rev, uint32_t *major, uint32_t *minor,
				 uint32_t *rev)
{
	*major = *minor = *rev = 0;
	if (gc_from_hw_ip_info(fd, major, minor, rev) == 0)
		return "HW_IP_INFO ip_discovery_version";
	if (gc_from_sysfs(node_path, major, minor, rev) == 0)
		return "sysfs ip_discovery";
	if (ab_gc_from_family(family, external_rev, major, minor, rev) == 0)
		return "family/revision table";
	return NULL;
}
