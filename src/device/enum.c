/*
 * Enumerating amdgpu render nodes: libdrm's drmGetDevices2 walks /dev/dri
 * and sysfs; the driver of each device is asked with drmGetVersion on one of
 * its nodes, because a PCI vendor id of 0x1002 alone does not tell amdgpu
 * from radeon.
 */
#include "enum.h"

#include "amdbare.h"
#include "util/api.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <xf86drm.h>

int ab_driver_name(int fd, char *name, size_t cap)
{
	drmVersionPtr v = drmGetVersion(fd);
	if (!v)
		return -(errno ? errno : EIO);
	snprintf(name, cap, "%.*s", v->name_len, v->name ? v->name : "");
	drmFreeVersion(v);
	return 0;
}

/* The driver of a node we may not open, from sysfs (the uevent file of
 * the device behind /sys/dev/char/<major>:<minor>), which needs no
 * permission on the node.  0 or -errno. */
static int sysfs_driver_name(const char *node, char *name, size_t cap)
{
	struct stat st;
	if (stat(node, &st) != 0)
		return -errno;
	char path[96];
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/device/uevent", major(st.st_rdev),
		 minor(st.st_rdev));
	FILE *f = fopen(path, "re");
	if (!f)
		return -errno;
	char line[256];
	int r = -ENOENT;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "DRIVER=", 7) != 0)
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(name, cap, "%.*s", (int)cap - 1, line + 7);
		r = 0;
		break;
	}
	fclose(f);
	return r;
}

/* Appends "name (node)" to a comma-separated list. */
static void list_append(char *list, size_t cap, const char *name, const char *node)
{
	size_t used = strlen(list);
	if (used >= cap - 1)
		return;
	snprintf(list + used, cap - used, "%s%s on %s", used ? ", " : "", name, node);
}

int ab_enum_amdgpu_nodes(char nodes[][AB_NODE_PATH_MAX], int max)
{
	drmDevicePtr devs[AB_MAX_DEVICES];
	int n = drmGetDevices2(0, devs, AB_MAX_DEVICES);
	if (n <= 0) {
		struct stat st;
		if (stat("/dev/dri", &st) != 0)
			return ab_set_error(ENOENT,
					    "no /dev/dri: no DRM driver is loaded (or the container has "
					    "no GPU passed through)");
		return ab_set_error(ENODEV,
				    "/dev/dri exists but libdrm found no DRM device in it (%s)",
				    n < 0 ? strerror(-n) : "no device nodes");
	}

	int count = 0;
	char others[512] = "";
	int access_err = 0;
	char access_node[AB_NODE_PATH_MAX] = "";
	for (int i = 0; i < n; i++) {
		drmDevicePtr d = devs[i];
		bool has_render = d->available_nodes & (1 << DRM_NODE_RENDER);
		const char *node = has_render ? d->nodes[DRM_NODE_RENDER]
			: (d->available_nodes & (1 << DRM_NODE_PRIMARY)) ? d->nodes[DRM_NODE_PRIMARY]
			: NULL;
		if (!node)
			continue;
		char name[64] = "";
		int fd = open(node, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			int e = errno;
			/* A device the user may not open still exists: sysfs
			 * names its driver, and opening it later reports the
			 * permission problem. */
			if (sysfs_driver_name(node, name, sizeof(name)) < 0) {
				if ((e == EACCES || e == EPERM) && !access_err) {
					access_err = e;
					snprintf(access_node, sizeof(access_node), "%s", node);
				}
				list_append(others, sizeof(others), "(driver unknown: cannot open)", node);
				continue;
			}
		} else {
			int r = ab_driver_name(fd, name, sizeof(name));
			close(fd);
			if (r < 0) {
				list_append(others, sizeof(others), "(driver unknown: VERSION failed)", node);
				continue;
			}
		}
		if (strcmp(name, "amdgpu") == 0 && has_render) {
			if (count < max)
				snprintf(nodes[count], AB_NODE_PATH_MAX, "%s", node);
			count++;
		} else {
			list_append(others, sizeof(others), strcmp(name, "amdgpu") == 0
				    ? "amdgpu without a render node" : name, node);
		}
	}
	drmFreeDevices(devs, n);

	if (count > 0)
		return count < max ? count : max;
	if (access_err) {
		int r = ab_open_error(access_node, access_err);
		ab_append_error(" (no amdgpu device could be identified; found: %s)", others);
		return r;
	}
	return ab_set_error(ENODEV,
			    "no amdgpu device: the DRM devices present are driven by %s "
			    "(amdbare needs the amdgpu kernel driver)", others);
}

AB_API int amdbare_device_count(void)
{
	char nodes[AB_MAX_DEVICES][AB_NODE_PATH_MAX];
	return ab_enum_amdgpu_nodes(nodes, AB_MAX_DEVICES);
}
