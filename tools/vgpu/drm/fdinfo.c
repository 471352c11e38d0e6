/*
 * Text the kernel shows about the device outside ioctls: the driver's part
 * of /proc/<pid>/fdinfo/<fd> (Linux 6.1 amdgpu_fdinfo.c:
 * amdgpu_show_fdinfo) and the live sysfs attributes of the PCI device
 * (amdgpu_vram_mgr.c, amdgpu_gtt_mgr.c, pm/amdgpu_pm.c).
 */
#include "ctl.h"
#include "exec/exec.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int pdev_text(const struct vgpu_profile *p, char *out, size_t cap)
{
	unsigned int domain = 0, bus = 0, dev = 0, fn = 0;
	if (sscanf(p->pci_slot, "%x:%x:%x.%u", &domain, &bus, &dev, &fn) != 4)
		return -EINVAL;
	/* "%04x:%02x:%02x.%d" of domain, bus, PCI_SLOT, PCI_FUNC */
	snprintf(out, cap, "%04x:%02x:%02x.%u", domain, bus, dev, fn);
	return 0;
}

int vgpu_dev_fdinfo(struct vgpu_file *f, char *buf, size_t cap)
{
	if (!f || !f->ctl)
		return -EINVAL;
	const struct vgpu_profile *p = f->ctl->prof;
	char pdev[32];
	int r = pdev_text(p, pdev, sizeof(pdev));
	if (r)
		return r;
	char text[512];
	int n;
	if (strcmp(p->driver_name, "amdgpu") == 0) {
		uint64_t vram = 0, gtt = 0, cpu = 0;
		pthread_mutex_lock(&f->lock); /* amdgpu_bo_reserve(vm->root.bo) */
		vgpu_mem_file_usage(f, &vram, &gtt, &cpu);
		pthread_mutex_unlock(&f->lock);
		/* Byte for byte amdgpu_show_fdinfo's seq_printf formats, the
		 * odd space before the tab of gtt/cpu included.  No
		 * drm-engine-* lines: no engine has run anything yet (the
		 * kernel prints only engines with non-zero usage). */
		n = snprintf(text, sizeof(text),
			     "pasid:\t%u\n"
			     "drm-driver:\t%s\n"
			     "drm-pdev:\t%s\n"
			     "drm-client-id:\t%" PRIu64 "\n"
			     "drm-memory-vram:\t%" PRIu64 " KiB\n"
			     "drm-memory-gtt: \t%" PRIu64 " KiB\n"
			     "drm-memory-cpu: \t%" PRIu64 " KiB\n",
			     f->pasid, p->driver_name, pdev, f->client_id,
			     vram / 1024, gtt / 1024, cpu / 1024);
	} else {
		/* i915_drm_client_fdinfo: driver, pdev and client id */
		n = snprintf(text, sizeof(text),
			     "drm-driver:\t%s\n"
			     "drm-pdev:\t%s\n"
			     "drm-client-id:\t%" PRIu64 "\n",
			     p->driver_name, pdev, f->client_id);
	}
	if (n < 0 || (size_t)n >= sizeof(text))
		return -EOVERFLOW;
	if ((size_t)n > cap)
		return -ERANGE;
	memcpy(buf, text, (size_t)n);
	return n;
}

int vgpu_dev_sysfs_read(const char *attr, char *buf, size_t cap)
{
	int err = 0;
	const struct vgpu_profile *p = vgpu_profile_get(&err);
	if (!p)
		return err ? err : -EINVAL;
	if (!p->driver_name || strcmp(p->driver_name, "amdgpu") != 0)
		return -ENOENT;

	char text[64];
	int n;
	if (strcmp(attr, "amdgpu_gpu_recover") == 0) {
		/* debugfs gpu_recover_get (Linux 6.1): schedule the reset work
		 * (amdgpu_device_gpu_recover with no job: no context is
		 * guilty, every context sees the reset), wait for it, print
		 * reset_res ("%lld\n").  The vgpu's reset keeps VRAM. */
		int r = vgpu_exec_gpu_reset(false);
		n = snprintf(text, sizeof(text), "%d\n", r);
	} else if (strcmp(attr, "gpu_busy_percent") == 0) {
		n = snprintf(text, sizeof(text), "%d\n", 0); /* nothing runs */
	} else if (strcmp(attr, "mem_busy_percent") == 0) {
		/* hidden on APUs (amdgpu_pm.c: ATTR_STATE_UNSUPPORTED) */
		if (p->is_apu)
			return -ENOENT;
		n = snprintf(text, sizeof(text), "%d\n", 0);
	} else {
		/* mem_info_*: "%llu\n" of bytes (amdgpu_vram_mgr.c,
		 * amdgpu_gtt_mgr.c) */
		static const char *const names[] = {
			"mem_info_vram_total",     /* adev->gmc.real_vram_size */
			"mem_info_vram_used",      /* ttm_resource_manager_usage */
			"mem_info_vis_vram_total", /* adev->gmc.visible_vram_size */
			"mem_info_vis_vram_used",  /* amdgpu_vram_mgr_vis_usage */
			"mem_info_gtt_total",      /* man->size */
			"mem_info_gtt_used",       /* ttm_resource_manager_usage */
		};
		size_t which = sizeof(names) / sizeof(names[0]);
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strcmp(attr, names[i]) == 0)
				which = i;
		if (which == sizeof(names) / sizeof(names[0]))
			return -ENOENT;
		struct vgpu_mem_state st;
		int r = vgpu_mem_query(&st);
		if (r)
			return r;
		const uint64_t values[] = {
			st.vram_size, st.vram_used, st.vis_vram_size,
			st.vis_vram_used, st.gtt_size, st.gtt_used,
		};
		n = snprintf(text, sizeof(text), "%" PRIu64 "\n", values[which]);
	}
	if (n < 0 || (size_t)n > cap)
		return -ERANGE;
	memcpy(buf, text, (size_t)n);
	return n;
}
