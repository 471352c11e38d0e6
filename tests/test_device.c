/*
 * Devices: enumeration, open, identification and memory totals on every
 * vgpu profile, and the error paths (no device, a foreign driver, a node
 * the user may not open, a bad index).
 */
#include "amdbare.h"
#include "device/gfx_target.h"
#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#define GiB (1ull << 30)
#define MiB (1ull << 20)

struct expected {
	const char *profile, *gfx_target, *marketing;
	uint32_t gc_major, gc_minor, gc_rev;
	bool apu;
	uint32_t cus;
	uint64_t vram, vis, gtt;
	uint32_t wave;   /* default wave size */
};

/* What each vgpu profile models (tools/vgpu/base/profiles.c). */
static const struct expected profiles[] = {
	{ "780m", "gfx1103", "AMD Radeon 780M Graphics", 11, 0, 1, true, 12, 16 * GiB, 16 * GiB, 38 * GiB, 32 },
	{ "890m", "gfx1150", "AMD Radeon 890M Graphics", 11, 5, 0, true, 16, 4 * GiB, 4 * GiB, 14 * GiB, 32 },
	{ "8060s", "gfx1151", "AMD Radeon 8060S Graphics", 11, 5, 1, true, 40, 64 * GiB, 64 * GiB, 32 * GiB, 32 },
	{ "7900xtx", "gfx1100", "AMD Radeon RX 7900 XTX", 11, 0, 0, false, 96, 24 * GiB, 256 * MiB, 33254252544ull, 32 },
	{ "860m", "gfx1152", "AMD Radeon 860M Graphics", 11, 5, 2, true, 8, 512 * MiB, 512 * MiB,
	  15 * GiB + 768 * MiB, 32 },
	/* gfx10.3 */
	{ "680m", "gfx1035", "AMD Radeon 680M", 10, 3, 3, true, 12, 512 * MiB, 512 * MiB,
	  7 * GiB + 768 * MiB, 32 },
	{ "deck", "gfx1033", "AMD Custom GPU 0405", 10, 3, 1, true, 8, 1 * GiB, 1 * GiB,
	  7 * GiB + 512 * MiB, 32 },
	{ "6800xt", "gfx1030", "AMD Radeon RX 6800 XT", 10, 3, 0, false, 72, 16 * GiB, 256 * MiB,
	  33254252544ull, 32 },
	/* gfx9: wave64 only; the vgpu executes no job there */
	{ "raven", "gfx902", "AMD Radeon Vega 11 Graphics", 9, 1, 0, true, 11, 2 * GiB, 2 * GiB,
	  7 * GiB, 64 },
	{ "cezanne", "gfx90c", "AMD Radeon Graphics", 9, 3, 0, true, 8, 512 * MiB, 512 * MiB,
	  34091302912ull, 64 },
	{ "mi50", "gfx906", "AMD Instinct MI60 / MI50", 9, 4, 0, false, 60, 32 * GiB, 32 * GiB,
	  33254252544ull, 64 },
	{ "mi210", "gfx90a", "AMD Instinct MI210", 9, 4, 2, false, 104, 64 * GiB, 64 * GiB,
	  33254252544ull, 64 },
};

static void check_profile(const struct expected *e)
{
	vgpu_test_require();
	vgpu_test_use_profile(e->profile, NULL);
	int n = amdbare_device_count();
	cr_assert_eq(n, 1, "%s: count %d (%s)", e->profile, n, amdbare_last_error());
	amdbare_device *dev = NULL;
	int r = amdbare_device_open(0, &dev);
	cr_assert_eq(r, 0, "%s: open: %s", e->profile, amdbare_last_error());
	cr_assert_not_null(dev);
	cr_assert_geq(amdbare_device_fd(dev), 0);
	cr_assert_not_null(amdbare_device_libdrm_handle(dev));

	amdbare_device_info info;
	amdbare_device_get_info(dev, &info);
	cr_assert_str_eq(info.node_path, "/dev/dri/renderD128");
	cr_assert_str_eq(info.gfx_target, e->gfx_target, "%s: target %s", e->profile, info.gfx_target);
	cr_assert_eq(info.gc_major, e->gc_major);
	cr_assert_eq(info.gc_minor, e->gc_minor);
	cr_assert_eq(info.gc_revision, e->gc_rev);
	/* The family/external-revision fallback (kernels without IP
	 * discovery) names the same GC as the profile's HW IP answer: the
	 * profile's external_rev follows the kernel's *_common_early_init. */
	uint32_t fma, fmi, frv;
	cr_assert_eq(ab_gc_from_family(info.family_id, info.chip_external_rev, &fma, &fmi, &frv), 0,
		     "%s: family %u rev 0x%x not in the table", e->profile, info.family_id,
		     info.chip_external_rev);
	cr_assert(fma == e->gc_major && fmi == e->gc_minor && frv == e->gc_rev,
		  "%s: family %u rev 0x%x gives GC %u.%u.%u", e->profile, info.family_id,
		  info.chip_external_rev, fma, fmi, frv);
	cr_assert_eq(info.is_apu, e->apu, "%s: is_apu", e->profile);
	cr_assert_eq(info.cu_count, e->cus, "%s: %u CUs", e->profile, info.cu_count);
	cr_assert_eq(info.wave_size, e->wave, "%s: wave%u", e->profile, info.wave_size);
	cr_assert(info.wave64_supported);
	cr_assert_eq(info.pci_vendor, 0x1002);
	cr_assert_neq(info.pci_bus[0], '\0', "PCI bus address missing");
	/* Debian 12's amdgpu.ids (libdrm 2.4.114) predates these chips, and
	 * then libdrm has no name and the library says the generic one. */
	cr_assert(strcmp(info.marketing_name, e->marketing) == 0 ||
		  strcmp(info.marketing_name, "AMD Radeon Graphics") == 0, "marketing name \"%s\"",
		  info.marketing_name);
	cr_assert_eq(info.drm_major, 3, "amdgpu KMS major %u", info.drm_major);
	cr_assert(info.is_virtual);
	cr_assert_str_eq(info.virtual_profile, e->profile);

	amdbare_memory_info mem;
	r = amdbare_device_query_memory(dev, &mem);
	cr_assert_eq(r, 0, "%s", amdbare_last_error());
	cr_assert_eq(mem.vram.total, e->vram, "%s: vram %llu", e->profile, (unsigned long long)mem.vram.total);
	cr_assert_eq(mem.visible_vram.total, e->vis, "%s: visible %llu", e->profile,
		     (unsigned long long)mem.visible_vram.total);
	cr_assert_eq(mem.gtt.total, e->gtt, "%s: gtt %llu", e->profile, (unsigned long long)mem.gtt.total);
	cr_assert_leq(mem.vram.usable, mem.vram.total);
	cr_assert_gt(mem.vram.max_allocation, 0);
	cr_assert_leq(mem.vram.max_allocation, mem.vram.usable);
	cr_assert_leq(mem.gtt.max_allocation, mem.gtt.total);

	amdbare_process_usage u;
	r = amdbare_device_query_process_usage(dev, &u);
	cr_assert_eq(r, 0, "%s", amdbare_last_error());
	cr_assert(u.has_vram && u.has_gtt);

	amdbare_device_close(dev);
	cr_assert_eq(vgpu_test_open_objects(NULL, 0), 0);
	vgpu_test_cleanup();
}

Test(device, profile_780m) { check_profile(&profiles[0]); }
Test(device, profile_890m) { check_profile(&profiles[1]); }
Test(device, profile_8060s) { check_profile(&profiles[2]); }
Test(device, profile_7900xtx) { check_profile(&profiles[3]); }
Test(device, profile_860m) { check_profile(&profiles[4]); }
Test(device, profile_680m) { check_profile(&profiles[5]); }
Test(device, profile_deck) { check_profile(&profiles[6]); }
Test(device, profile_6800xt) { check_profile(&profiles[7]); }
Test(device, profile_raven) { check_profile(&profiles[8]); }
Test(device, profile_cezanne) { check_profile(&profiles[9]); }
Test(device, profile_mi50) { check_profile(&profiles[10]); }
Test(device, profile_mi210) { check_profile(&profiles[11]); }

/* Works on real hardware too: whatever the device, the basics hold. */
Test(device, open_any_and_info_is_consistent)
{
	vgpu_test_use_profile("780m", NULL);
	amdbare_device *dev = NULL;
	int r = amdbare_device_open(0, &dev);
	cr_assert_eq(r, 0, "%s", amdbare_last_error());
	amdbare_device_info info;
	amdbare_device_get_info(dev, &info);
	cr_assert_neq(info.family_id, 0);
	cr_assert_gt(info.cu_count, 0);
	cr_assert(info.wave_size == 32 || info.wave_size == 64);
	cr_assert_neq(info.marketing_name[0], '\0');
	amdbare_memory_info mem;
	cr_assert_eq(amdbare_device_query_memory(dev, &mem), 0, "%s", amdbare_last_error());
	cr_assert_gt(mem.vram.total + mem.gtt.total, 0);
	cr_assert_geq(mem.vram.total, mem.visible_vram.total);
	amdbare_device_close(dev);
	vgpu_test_cleanup();
}

Test(device, open_by_path)
{
	vgpu_test_require();
	vgpu_test_use_profile("890m", NULL);
	amdbare_device *dev = NULL;
	cr_assert_eq(amdbare_device_open_path("/dev/dri/renderD128", &dev), 0, "%s", amdbare_last_error());
	amdbare_device_info info;
	amdbare_device_get_info(dev, &info);
	cr_assert_str_eq(info.gfx_target, "gfx1150");
	amdbare_device_close(dev);

	cr_assert_eq(amdbare_device_open_path("/dev/dri/renderD200", &dev), -ENOENT);
	cr_assert_null(dev);
	cr_assert(strstr(amdbare_last_error(), "renderD200"), "%s", amdbare_last_error());
	cr_assert_eq(vgpu_test_open_objects(NULL, 0), 0);
	vgpu_test_cleanup();
}

Test(device, two_devices_on_one_node)
{
	vgpu_test_require();
	vgpu_test_use_profile("780m", NULL);
	amdbare_device *a = NULL, *b = NULL;
	cr_assert_eq(amdbare_device_open(0, &a), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_device_open(0, &b), 0, "%s", amdbare_last_error());
	cr_assert_neq(amdbare_device_fd(a), amdbare_device_fd(b));
	amdbare_device_close(a);
	amdbare_memory_info mem;
	cr_assert_eq(amdbare_device_query_memory(b, &mem), 0, "%s", amdbare_last_error());
	amdbare_device_close(b);
	cr_assert_eq(vgpu_test_open_objects(NULL, 0), 0);
	vgpu_test_cleanup();
}

Test(device_errors, no_device_is_enoent)
{
	vgpu_test_require();
	vgpu_test_use_profile("none", NULL);
	cr_assert_eq(amdbare_device_count(), -ENOENT);
	cr_assert(strstr(amdbare_last_error(), "no /dev/dri"), "%s", amdbare_last_error());
	amdbare_device *dev = (amdbare_device *)1;
	cr_assert_eq(amdbare_device_open(0, &dev), -ENOENT);
	cr_assert_null(dev);
	vgpu_test_cleanup();
}

Test(device_errors, foreign_driver_is_enodev)
{
	vgpu_test_require();
	vgpu_test_use_profile("foreign", NULL);
	cr_assert_eq(amdbare_device_count(), -ENODEV, "%s", amdbare_last_error());
	cr_assert(strstr(amdbare_last_error(), "i915"), "%s", amdbare_last_error());
	amdbare_device *dev = NULL;
	cr_assert_eq(amdbare_device_open(0, &dev), -ENODEV);
	cr_assert_null(dev);
	cr_assert_eq(amdbare_device_open_path("/dev/dri/renderD128", &dev), -ENODEV);
	cr_assert(strstr(amdbare_last_error(), "i915"), "%s", amdbare_last_error());
	cr_assert_null(dev);
	cr_assert_eq(vgpu_test_open_objects(NULL, 0), 0);
	vgpu_test_cleanup();
}

Test(device_errors, permission_denied_names_render_group)
{
	vgpu_test_require();
	vgpu_test_use_profile("780m", "AMDBARE_VGPU_DENY_OPEN", "1", NULL);
	/* The device exists (sysfs names its driver without opening it). */
	cr_assert_eq(amdbare_device_count(), 1, "%s", amdbare_last_error());
	amdbare_device *dev = NULL;
	int r = amdbare_device_open(0, &dev);
	cr_assert(r == -EACCES || r == -EPERM, "got %d: %s", r, amdbare_last_error());
	cr_assert_null(dev);
	const char *msg = amdbare_last_error();
	cr_assert(strstr(msg, "render"), "%s", msg);
	cr_assert(strstr(msg, "/dev/dri/renderD128"), "%s", msg);
	/* The fix must name the render group, never "root" (the vgpu
	 * reports gid 0 when the host has no render group). */
	cr_assert(strstr(msg, "\"render\""), "%s", msg);
	cr_assert(strstr(msg, "usermod -aG render"), "%s", msg);
	r = amdbare_device_open_path("/dev/dri/renderD128", &dev);
	cr_assert(r == -EACCES || r == -EPERM, "got %d", r);
	cr_assert(strstr(amdbare_last_error(), "render"), "%s", amdbare_last_error());
	vgpu_test_cleanup();
}

Test(device_errors, foreign_driver_without_permission_is_still_enodev)
{
	vgpu_test_require();
	vgpu_test_use_profile("foreign", "AMDBARE_VGPU_DENY_OPEN", "1", NULL);
	amdbare_device *dev = NULL;
	cr_assert_eq(amdbare_device_open(0, &dev), -ENODEV, "%s", amdbare_last_error());
	cr_assert(strstr(amdbare_last_error(), "i915"), "%s", amdbare_last_error());
	vgpu_test_cleanup();
}

Test(device_errors, bad_index_is_einval)
{
	vgpu_test_use_profile("780m", NULL);
	int n = amdbare_device_count();
	cr_assert_gt(n, 0, "%s", amdbare_last_error());
	amdbare_device *dev = NULL;
	cr_assert_eq(amdbare_device_open(n, &dev), -EINVAL);
	cr_assert_null(dev);
	cr_assert(strstr(amdbare_last_error(), "out of range"), "%s", amdbare_last_error());
	cr_assert_eq(amdbare_device_open(-1, &dev), -EINVAL);
	cr_assert_eq(amdbare_device_open(0, NULL), -EINVAL);
	vgpu_test_cleanup();
}

Test(device_errors, null_arguments)
{
	amdbare_device_close(NULL);
	cr_assert_eq(amdbare_device_fd(NULL), -1);
	cr_assert_null(amdbare_device_libdrm_handle(NULL));
	cr_assert_eq(amdbare_device_query_memory(NULL, NULL), -EINVAL);
	cr_assert_eq(amdbare_device_query_process_usage(NULL, NULL), -EINVAL);
	amdbare_device *dev = NULL;
	cr_assert_eq(amdbare_device_open_path(NULL, &dev), -EINVAL);
}

Test(device_errors, not_a_drm_node_is_enodev)
{
	amdbare_device *dev = NULL;
	cr_assert_eq(amdbare_device_open_path("/dev/null", &dev), -ENODEV, "%s", amdbare_last_error());
	cr_assert_null(dev);
	cr_assert(strstr(amdbare_last_error(), "/dev/null"), "%s", amdbare_last_error());
}
