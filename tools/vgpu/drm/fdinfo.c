/*
 * Text the kernel shows about the device outside ioctls: the driver's part
 * of /proc/<pid>/fdinfo/<fd> in the format of the modelled kernel
 * (amdgpu_fdinfo.c: amdgpu_show_fdinfo, drm_file.c: drm_show_fdinfo and
 * drm_print_memory_stats), the live sysfs attributes of the PCI device
 * (amdgpu_vram_mgr.c, amdgpu_gtt_mgr.c, pm/amdgpu_pm.c), the module
 * parameters under /sys/module and the /proc files of the machine the
 * profile describes (/proc/cmdline, /proc/meminfo).
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

/* drm_fdinfo_print_size: bytes, KiB or MiB, whichever divides exactly
 * (0 prints as "0"). */
static int print_size(char *out, size_t cap, const char *stat, const char *region, uint64_t sz)
{
	static const char *const units[] = { "", " KiB", " MiB" };
	unsigned int u;
	for (u = 0; u < 2; u++) {
		if (sz == 0 || (sz & 1023))
			break;
		sz /= 1024;
	}
	return snprintf(out, cap, "drm-%s-%s:\t%" PRIu64 "%s\n", stat, region, sz, units[u]);
}

/* amdgpu's part of fdinfo in the format of the modelled kernel. */
static int amdgpu_fdinfo_text(struct vgpu_file *f, const char *pdev, char *text, size_t cap)
{
	const struct vgpu_profile *p = f->ctl->prof;
	struct vgpu_mem_file_stats st;
	pthread_mutex_lock(&f->lock); /* amdgpu_bo_reserve(vm->root.bo) */
	vgpu_mem_file_stats(f, &st);
	pthread_mutex_unlock(&f->lock);
	size_t off = 0;
#define OUT(...)                                                                     \
	do {                                                                         \
		int n_ = snprintf(text + off, off < cap ? cap - off : 0, __VA_ARGS__); \
		if (n_ < 0 || (size_t)n_ >= cap - off)                               \
			return -EOVERFLOW;                                           \
		off += (size_t)n_;                                                   \
	} while (0)
	if (p->kernel == VGPU_KERNEL_6_1) {
		/* Linux 6.1 amdgpu_show_fdinfo, byte for byte (the odd space
		 * before the tab of gtt/cpu included).  No drm-engine-* lines:
		 * the kernel prints only engines with non-zero usage and the
		 * vgpu does not account engine time. */
		OUT("pasid:\t%u\n"
		    "drm-driver:\t%s\n"
		    "drm-pdev:\t%s\n"
		    "drm-client-id:\t%" PRIu64 "\n"
		    "drm-memory-vram:\t%" PRIu64 " KiB\n"
		    "drm-memory-gtt: \t%" PRIu64 " KiB\n"
		    "drm-memory-cpu: \t%" PRIu64 " KiB\n",
		    f->pasid, p->driver_name, pdev, f->client_id,
		    st.placed[2] / 1024, st.placed[1] / 1024, st.placed[0] / 1024);
		return (int)off;
	}
	/* drm_show_fdinfo (6.5+): the DRM core's keys, then the driver's */
	OUT("drm-driver:\t%s\n"
	    "drm-client-id:\t%" PRIu64 "\n"
	    "drm-pdev:\t%s\n"
	    "pasid:\t%u\n",
	    p->driver_name, f->client_id, pdev, f->pasid);
	if (p->kernel <= VGPU_KERNEL_6_12) {
		/* amdgpu_show_fdinfo of 6.3-6.12: struct amdgpu_mem_stats by
		 * current placement plus the amd-* keys */
		OUT("drm-memory-vram:\t%" PRIu64 " KiB\n"
		    "drm-memory-gtt: \t%" PRIu64 " KiB\n"
		    "drm-memory-cpu: \t%" PRIu64 " KiB\n"
		    "amd-memory-visible-vram:\t%" PRIu64 " KiB\n"
		    "amd-evicted-vram:\t%" PRIu64 " KiB\n"
		    "amd-evicted-visible-vram:\t%" PRIu64 " KiB\n"
		    "amd-requested-vram:\t%" PRIu64 " KiB\n"
		    "amd-requested-visible-vram:\t%" PRIu64 " KiB\n"
		    "amd-requested-gtt:\t%" PRIu64 " KiB\n",
		    st.placed[2] / 1024, st.placed[1] / 1024, st.placed[0] / 1024,
		    st.visible_vram / 1024, st.evicted_vram / 1024,
		    st.evicted_visible_vram / 1024, st.requested_vram / 1024,
		    st.requested_visible_vram / 1024, st.requested_gtt / 1024);
		return (int)off;
	}
	/* 6.13+ (the 6.18 amdgpu_show_fdinfo): drm_print_memory_stats per
	 * placement with DRM_GEM_OBJECT_RESIDENT | PURGEABLE (no drm-active-*),
	 * the legacy drm-memory-* as aliases of resident, and of the amd-*
	 * keys only evicted-vram and requested-vram/gtt. */
	static const char *const regions[] = { "cpu", "gtt", "vram", "gds", "gws", "oa",
					       "doorbell", "mmioremap" };
	for (size_t i = 0; i < sizeof(regions) / sizeof(regions[0]); i++) {
		uint64_t total = i < 3 ? st.total[i] : 0, shared = i < 3 ? st.shared[i] : 0;
		uint64_t resident = i < 3 ? st.placed[i] : 0, purgeable = i < 3 ? st.purgeable[i] : 0;
		int n;
		n = print_size(text + off, cap - off, "total", regions[i], total);
		if (n < 0 || (size_t)n >= cap - off)
			return -EOVERFLOW;
		off += (size_t)n;
		n = print_size(text + off, cap - off, "shared", regions[i], shared);
		if (n < 0 || (size_t)n >= cap - off)
			return -EOVERFLOW;
		off += (size_t)n;
		n = print_size(text + off, cap - off, "resident", regions[i], resident);
		if (n < 0 || (size_t)n >= cap - off)
			return -EOVERFLOW;
		off += (size_t)n;
		n = print_size(text + off, cap - off, "purgeable", regions[i], purgeable);
		if (n < 0 || (size_t)n >= cap - off)
			return -EOVERFLOW;
		off += (size_t)n;
	}
	OUT("drm-memory-vram:\t%" PRIu64 " KiB\n"
	    "drm-memory-gtt: \t%" PRIu64 " KiB\n"
	    "drm-memory-cpu: \t%" PRIu64 " KiB\n"
	    "amd-evicted-vram:\t%" PRIu64 " KiB\n"
	    "amd-requested-vram:\t%" PRIu64 " KiB\n"
	    "amd-requested-gtt:\t%" PRIu64 " KiB\n",
	    st.placed[2] / 1024, st.placed[1] / 1024, st.placed[0] / 1024,
	    st.evicted_vram / 1024, st.total[2] / 1024, st.total[1] / 1024);
#undef OUT
	return (int)off;
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
	char text[2048];
	int n;
	if (strcmp(p->driver_name, "amdgpu") == 0) {
		n = amdgpu_fdinfo_text(f, pdev, text, sizeof(text));
		if (n < 0)
			return n;
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

/* /sys/module/<mod>/parameters/<name> (param_get_ulong / param_get_int:
 * "%lu\n", "%d\n"), /proc/cmdline and /proc/meminfo of the profile's
 * machine.  MemAvailable counts what GTT buffers hold: their pages are
 * the machine's RAM (the carve-out is outside MemTotal already). */
static int machine_text(const struct vgpu_profile *p, const char *attr, char *text, size_t cap)
{
	if (strcmp(attr, "proc/cmdline") == 0)
		return snprintf(text, cap, "%s", p->cmdline);
	if (strcmp(attr, "proc/meminfo") == 0) {
		struct vgpu_mem_state st;
		int r = vgpu_mem_query(&st);
		uint64_t gtt_used = r == 0 ? st.gtt_used : 0;
		uint64_t used = p->ram_used + gtt_used;
		uint64_t avail = used < p->system_ram ? p->system_ram - used : 0;
		/* fs/proc/meminfo.c: "%8lu kB" per line; the lines a memory
		 * report needs (the kernel prints many more) */
		return snprintf(text, cap,
				"MemTotal:       %8" PRIu64 " kB\n"
				"MemFree:        %8" PRIu64 " kB\n"
				"MemAvailable:   %8" PRIu64 " kB\n"
				"Buffers:        %8d kB\n"
				"Cached:         %8d kB\n"
				"SwapCached:     %8d kB\n"
				"SwapTotal:      %8" PRIu64 " kB\n"
				"SwapFree:       %8" PRIu64 " kB\n"
				"Shmem:          %8" PRIu64 " kB\n",
				p->system_ram >> 10, avail >> 10, avail >> 10, 0, 0, 0,
				p->swap_total >> 10, (p->swap_total - p->swap_used) >> 10,
				gtt_used >> 10);
	}
	const char *mod = attr + 7, *slash = strchr(mod, '/');
	if (!slash)
		return -ENOENT;
	const char *name = slash + 1;
	bool amdttm = strncmp(mod, "amdttm/", 7) == 0;
	if (strncmp(mod, "ttm/", 4) == 0 || amdttm) {
		uint64_t pages = (p->system_ram >> 12) / 2;
		if (strcmp(name, "pages_limit") == 0)
			return snprintf(text, cap, "%" PRIu64 "\n",
					amdttm ? p->amdttm_pages_limit : p->ttm_pages_limit);
		if (strcmp(name, "dma32_pages_limit") == 0)
			return snprintf(text, cap, "%" PRIu64 "\n", p->ttm_dma32_pages_limit);
		if (strcmp(name, "page_pool_size") == 0) /* ttm_pool_mgr_init default */
			return snprintf(text, cap, "%" PRIu64 "\n", pages);
		return -ENOENT;
	}
	if (strcmp(mod, "amdgpu/gttsize") == 0)
		return snprintf(text, cap, "%lld\n", p->amdgpu_gttsize);
	return -ENOENT;
}

int vgpu_dev_fdinfo_other(int pid, int files, char *buf, size_t cap)
{
	int err = 0;
	const struct vgpu_profile *p = vgpu_profile_get(&err);
	if (!p)
		return err ? err : -EINVAL;
	char pdev[32];
	int r = pdev_text(p, pdev, sizeof(pdev));
	if (r)
		return r;
	char text[512];
	int n = snprintf(text, sizeof(text), "drm-driver:\t%s\ndrm-pdev:\t%s\n", p->driver_name,
			 pdev);
	uint64_t vram, gtt, cpu;
	if (strcmp(p->driver_name, "amdgpu") == 0 && files == 1 &&
	    (r = vgpu_mem_pid_usage(pid, &vram, &gtt, &cpu)) < 0) {
		vgpu_log("fdinfo of pid %d: the instance's shared state could not be attached (%s): "
			 "no memory keys shown", pid, strerror(-r));
	} else if (strcmp(p->driver_name, "amdgpu") == 0 && files == 1) {
		n += snprintf(text + n, sizeof(text) - (size_t)n,
			      "drm-memory-vram:\t%" PRIu64 " KiB\n"
			      "drm-memory-gtt: \t%" PRIu64 " KiB\n"
			      "drm-memory-cpu: \t%" PRIu64 " KiB\n",
			      vram / 1024, gtt / 1024, cpu / 1024);
	} else if (files != 1) {
		vgpu_log("fdinfo of pid %d: it has %d render files; the vgpu keeps its memory per "
			 "process, not per file: no memory keys shown", pid, files);
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

	char text[1024];
	int n;
	if (strncmp(attr, "module/", 7) == 0 || strncmp(attr, "proc/", 5) == 0) {
		n = machine_text(p, attr, text, sizeof(text));
		if (n < 0)
			return n;
	} else if (strcmp(attr, "amdgpu_gpu_recover") == 0) {
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
