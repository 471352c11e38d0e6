/*
 * Device identification: libdrm_amdgpu's DEV_INFO snapshot, the PCI
 * address from drmGetDevice2, the GC version, the gfx target, and whether
 * the device is amdbare's own virtual one.
 */
#include "info.h"

#include "util/api.h"
#include "util/error.h"
#include "gc_version.h"
#include "gfx_target.h"

#include <amdgpu_drm.h>
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <xf86drm.h>

static void fill_pci(amdbare_device *dev)
{
	drmDevicePtr d = NULL;
	if (drmGetDevice2(dev->fd, 0, &d) != 0 || !d)
		return;
	if (d->bustype == DRM_BUS_PCI && d->businfo.pci) {
		snprintf(dev->info.pci_bus, sizeof(dev->info.pci_bus), "%04x:%02x:%02x.%u",
			 d->businfo.pci->domain, d->businfo.pci->bus, d->businfo.pci->dev,
			 d->businfo.pci->func);
		if (d->deviceinfo.pci)
			dev->info.pci_vendor = d->deviceinfo.pci->vendor_id;
	}
	drmFreeDevice(&d);
}

/* The vgpu exports this symbol; a real kernel has no such thing.  Looking
 * it up (rather than linking to it) keeps the library free of any vgpu
 * dependency. */
static void fill_virtual(amdbare_device_info *info)
{
	void *sym = dlsym(RTLD_DEFAULT, "amdbare_vgpu_profile_name");
	info->is_virtual = sym != NULL;
	if (!sym)
		return;
	const char *(*profile_name)(void);
	memcpy(&profile_name, &sym, sizeof(profile_name));
	const char *name = profile_name();
	snprintf(info->virtual_profile, sizeof(info->virtual_profile), "%s", name ? name : "");
}

int ab_device_fill_info(amdbare_device *dev)
{
	amdbare_device_info *info = &dev->info;
	struct amdgpu_gpu_info gpu;
	memset(&gpu, 0, sizeof(gpu));
	int r = amdgpu_query_gpu_info(dev->amd, &gpu);
	if (r < 0)
		return ab_set_error(-r, "%s: amdgpu_query_gpu_info failed: %s", ab_node(dev),
				    strerror(-r));

	info->pci_vendor = 0x1002;
	fill_pci(dev);
	info->pci_device = (uint16_t)gpu.asic_id;
	info->pci_revision = (uint8_t)gpu.pci_rev_id;
	const char *market = amdgpu_get_marketing_name(dev->amd);
	snprintf(info->marketing_name, sizeof(info->marketing_name), "%s",
		 market ? market : "AMD Radeon Graphics");
	info->family_id = gpu.family_id;
	info->chip_external_rev = gpu.chip_external_rev;
	ab_detect_gc_version(dev->fd, info->node_path, gpu.family_id, gpu.chip_external_rev,
			     &info->gc_major, &info->gc_minor, &info->gc_revision);
	const char *target = ab_gfx_target_for_gc(info->gc_major, info->gc_minor, info->gc_revision);
	snprintf(info->gfx_target, sizeof(info->gfx_target), "%s", target ? target : "");
	info->is_apu = (gpu.ids_flags & AMDGPU_IDS_FLAGS_FUSION) != 0;
	info->cu_count = gpu.cu_active_number;
	info->num_shader_engines = gpu.num_shader_engines;
	/* RDNA (GC 10+) runs wave32 natively and wave64 on request; GCN/CDNA
	 * (GC 9) only has wave64. */
	bool rdna = info->gc_major ? info->gc_major >= 10 : gpu.family_id >= AMDGPU_FAMILY_NV;
	info->wave_size = rdna ? 32 : 64;
	info->wave64_supported = true;
	info->max_engine_clock_mhz = (uint32_t)(gpu.max_engine_clk / 1000); /* kHz */
	info->max_memory_clock_mhz = (uint32_t)(gpu.max_memory_clk / 1000);
	info->vram_bit_width = gpu.vram_bit_width;
	fill_virtual(info);
	return 0;
}

AB_API void amdbare_device_get_info(const amdbare_device *dev, amdbare_device_info *info)
{
	if (!dev || !info)
		return;
	*info = dev->info;
}
