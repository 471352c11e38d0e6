/*
 * The kernel versions the vgpu models (AMDBARE_VGPU_KERNEL=6.1|6.8|6.12|
 * 6.18) and the library on each: the DRM version, the fdinfo format, the
 * GEM flags accepted, the module parameters and the GTT size they give,
 * /proc/cmdline; and the library's fdinfo parser on every format
 * (amdbare_fdinfo_parse), its per-process usage and placement proof on
 * every version's vgpu.
 */
#include "vgpu_test.h"

#include <amdbare.h>

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <xf86drm.h>
#include <amdgpu_drm.h>

#define RENDER "/dev/dri/renderD128"

static const char *const versions[] = { "6.1", "6.8", "6.12", "6.18" };

static void use_kernel(const char *k, const char *params)
{
	vgpu_test_use_profile("780m", "AMDBARE_VGPU_KERNEL", k, "AMDBARE_VGPU_PARAMS",
			      params ? params : "", NULL);
	vgpu_test_require();
}

static void cleanup(void)
{
	vgpu_test_cleanup();
}

TestSuite(kernels, .fini = cleanup);

static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) == 0 ? 0 : -errno;
}

static void read_file(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	size_t n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = '\0';
}

static int gem_create(int fd, uint64_t size, uint32_t domain, uint64_t flags, uint32_t *handle)
{
	union drm_amdgpu_gem_create gc;
	memset(&gc, 0, sizeof(gc));
	gc.in.bo_size = size;
	gc.in.alignment = 4096;
	gc.in.domains = domain;
	gc.in.domain_flags = flags;
	int r = xioctl(fd, DRM_IOCTL_AMDGPU_GEM_CREATE, &gc);
	if (handle)
		*handle = gc.out.handle;
	return r;
}

static void check_version(int idx)
{
	use_kernel(versions[idx], NULL);
	static const int minors[] = { 49, 57, 59, 64 };
	int fd = open(RENDER, O_RDWR | O_CLOEXEC);
	cr_assert_geq(fd, 0);
	drmVersionPtr v = drmGetVersion(fd);
	cr_assert_not_null(v);
	cr_expect_eq(v->version_major, 3);
	cr_expect_eq(v->version_minor, minors[idx], "kernel %s: KMS 3.%d, expected 3.%d",
		     versions[idx], v->version_minor, minors[idx]);
	drmFreeVersion(v);

	int r;
	/* A 1 MiB VRAM buffer, then the fdinfo text of this kernel. */
	cr_assert_eq(gem_create(fd, 1 << 20, AMDGPU_GEM_DOMAIN_VRAM, 0, NULL), 0);
	char path[64], text[4096];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	read_file(path, text, sizeof(text));
	switch (idx) {
	case 0:
		cr_expect_not_null(strstr(text, "\npasid:\t"), "%s", text);
		cr_expect_not_null(strstr(text, "drm-memory-vram:\t1024 KiB\n"), "%s", text);
		cr_expect_null(strstr(text, "amd-"), "%s", text);
		cr_expect_null(strstr(text, "drm-total-"), "%s", text);
		break;
	case 1:
	case 2:
		/* drm_show_fdinfo's keys come first, then amdgpu's */
		cr_expect(strstr(text, "drm-driver:\tamdgpu\ndrm-client-id:\t") != NULL, "%s", text);
		cr_expect_not_null(strstr(text, "drm-memory-vram:\t1024 KiB\n"), "%s", text);
		cr_expect_not_null(strstr(text, "amd-memory-visible-vram:\t1024 KiB\n"), "%s", text);
		cr_expect_not_null(strstr(text, "amd-requested-vram:\t1024 KiB\n"), "%s", text);
		cr_expect_not_null(strstr(text, "amd-evicted-vram:\t0 KiB\n"), "%s", text);
		cr_expect_null(strstr(text, "drm-total-"), "%s", text);
		break;
	case 3:
		cr_expect_not_null(strstr(text, "drm-total-vram:\t1 MiB\n"), "%s", text);
		cr_expect_not_null(strstr(text, "drm-resident-vram:\t1 MiB\n"), "%s", text);
		cr_expect_not_null(strstr(text, "drm-shared-vram:\t0\n"), "%s", text);
		cr_expect_not_null(strstr(text, "drm-purgeable-vram:\t0\n"), "%s", text);
		cr_expect_not_null(strstr(text, "drm-total-gtt:\t0\n"), "%s", text);
		cr_expect_not_null(strstr(text, "drm-memory-vram:\t1024 KiB\n"), "%s", text);
		cr_expect_not_null(strstr(text, "amd-requested-vram:\t1024 KiB\n"), "%s", text);
		cr_expect_null(strstr(text, "amd-memory-visible-vram"), "%s", text);
		cr_expect_null(strstr(text, "drm-active-"), "%s", text);
		break;
	}
	amdbare_fdinfo fi;
	cr_assert_eq(amdbare_fdinfo_read(path, &fi), 0, "%s", amdbare_last_error());
	static const amdbare_fdinfo_format formats[] = {
		AMDBARE_FDINFO_MEMORY, AMDBARE_FDINFO_AMD_STATS, AMDBARE_FDINFO_AMD_STATS,
		AMDBARE_FDINFO_MEMORY_STATS,
	};
	cr_expect_eq(fi.format, formats[idx]);
	cr_expect_str_eq(fi.driver, "amdgpu");
	cr_expect(fi.has_client_id && fi.has_pasid);

	/* AMDGPU_INFO_MAX_IBS (0x22): from 6.6 on, amdgpu_ring_max_ibs() */
	uint32_t max_ibs[10];
	memset(max_ibs, 0, sizeof(max_ibs));
	struct drm_amdgpu_info req;
	memset(&req, 0, sizeof(req));
	req.return_pointer = (uintptr_t)max_ibs;
	req.return_size = sizeof(max_ibs);
	req.query = 0x22;
	r = xioctl(fd, DRM_IOCTL_AMDGPU_INFO, &req);
	if (idx == 0) {
		cr_expect_eq(r, -EINVAL, "6.1 has no AMDGPU_INFO_MAX_IBS");
	} else {
		cr_expect_eq(r, 0);
		cr_expect_eq(max_ibs[AMDGPU_HW_IP_GFX], 192);
		cr_expect_eq(max_ibs[AMDGPU_HW_IP_COMPUTE], 125);
		cr_expect_eq(max_ibs[AMDGPU_HW_IP_DMA], 49);
	}

	/* AMDGPU_GEM_CREATE_GFX12_DCC (bit 16): from 6.11 on */
	r = gem_create(fd, 4096, AMDGPU_GEM_DOMAIN_GTT, 1ull << 16, NULL);
	cr_expect_eq(r, idx >= 2 ? 0 : -EINVAL, "kernel %s: GFX12_DCC -> %d", versions[idx], r);
	close(fd);

	/* The library on this kernel: usage and the placement proof. */
	amdbare_device *dev = NULL;
	cr_assert_eq(amdbare_device_open(0, &dev), 0, "%s", amdbare_last_error());
	amdbare_process_usage u0, u1;
	cr_assert_eq(amdbare_device_query_process_usage(dev, &u0), 0, "%s", amdbare_last_error());
	amdbare_bo_create_info ci;
	memset(&ci, 0, sizeof(ci));
	ci.size = 8 << 20;
	ci.domains = AMDBARE_DOMAIN_VRAM;
	amdbare_bo *bo = NULL;
	cr_assert_eq(amdbare_bo_create(dev, &ci, &bo), 0, "%s", amdbare_last_error());
	amdbare_placement pl;
	cr_assert_eq(amdbare_bo_get_placement(bo, &pl), 0);
	cr_assert_eq(amdbare_device_query_process_usage(dev, &u1), 0);
	cr_expect(u1.has_vram);
	cr_expect_eq(u1.vram - u0.vram, 8u << 20, "kernel %s", versions[idx]);
	cr_expect_eq(pl.actual_domain, AMDBARE_DOMAIN_VRAM);
	cr_expect_eq(pl.confidence, AMDBARE_PLACEMENT_EXACT, "kernel %s: %s", versions[idx],
		     pl.evidence);
	cr_expect_eq(pl.proc_vram_delta, 8 << 20);
	amdbare_bo_free(bo);
	amdbare_device_close(dev);
}

Test(kernels, linux_6_1) { check_version(0); }
Test(kernels, linux_6_8) { check_version(1); }
Test(kernels, linux_6_12) { check_version(2); }
Test(kernels, linux_6_18) { check_version(3); }

/* ttm.pages_limit sizes GTT from 6.5 on (6.8, 6.12, 6.18), not on 6.1; the parameters are
 * shown under /sys/module and on /proc/cmdline. */
static uint64_t gtt_total(void)
{
	amdbare_device *dev = NULL;
	cr_assert_eq(amdbare_device_open(0, &dev), 0, "%s", amdbare_last_error());
	amdbare_memory_info m;
	cr_assert_eq(amdbare_device_query_memory(dev, &m), 0);
	amdbare_gtt_ceiling c;
	cr_assert_eq(amdbare_device_query_gtt_ceiling(dev, &c), 0);
	cr_expect_eq(c.limit_bytes, m.gtt.total);
	amdbare_device_close(dev);
	return m.gtt.total;
}

Test(kernels, pages_limit_sets_gtt_on_6_12)
{
	use_kernel("6.12", "quiet ttm.pages_limit=4194304");
	char text[512];
	read_file("/sys/module/ttm/parameters/pages_limit", text, sizeof(text));
	cr_expect_str_eq(text, "4194304\n");
	read_file("/sys/module/amdgpu/parameters/gttsize", text, sizeof(text));
	cr_expect_str_eq(text, "-1\n");
	read_file("/proc/cmdline", text, sizeof(text));
	cr_expect_not_null(strstr(text, " quiet ttm.pages_limit=4194304\n"), "%s", text);
	cr_expect_eq(gtt_total(), 16ull << 30);
}

Test(kernels, pages_limit_sets_gtt_on_6_8)
{
	/* "drm/amdgpu: Set GTT size equal to TTM mem limit" is in 6.5 */
	use_kernel("6.8", "ttm.pages_limit=4194304");
	cr_expect_eq(gtt_total(), 16ull << 30);
}

Test(kernels, pages_limit_does_not_set_gtt_on_6_1)
{
	use_kernel("6.1", "ttm.pages_limit=4194304");
	char text[64];
	read_file("/sys/module/ttm/parameters/pages_limit", text, sizeof(text));
	cr_expect_str_eq(text, "4194304\n");
	cr_expect_eq(gtt_total(), 38ull << 30); /* max(3 GiB, 76 GiB / 2) */
}

Test(kernels, gttsize_wins_everywhere)
{
	use_kernel("6.18", "ttm.pages_limit=4194304 amdgpu.gttsize=2048");
	cr_expect_eq(gtt_total(), 2ull << 30);
}

Test(kernels, gtt_beyond_the_limit_is_refused)
{
	/* GTT of 64 MiB: a 128 MiB GTT buffer cannot be created
	 * (amdgpu_bo_validate_size), a 16 MiB one can. */
	use_kernel("6.12", "ttm.pages_limit=16384");
	int fd = open(RENDER, O_RDWR | O_CLOEXEC);
	cr_assert_geq(fd, 0);
	cr_expect_eq(gem_create(fd, 128 << 20, AMDGPU_GEM_DOMAIN_GTT, 0, NULL), -ENOMEM);
	cr_expect_eq(gem_create(fd, 16 << 20, AMDGPU_GEM_DOMAIN_GTT, 0, NULL), 0);
	close(fd);
}

Test(kernels, dkms_amdttm_module)
{
	vgpu_test_use_profile("780m", "AMDBARE_VGPU_KERNEL", "6.12", "AMDBARE_VGPU_PARAMS",
			      "ttm.pages_limit=4194304", "AMDBARE_VGPU_DKMS", "1", NULL);
	vgpu_test_require();
	char text[64];
	read_file("/sys/module/amdttm/parameters/pages_limit", text, sizeof(text));
	cr_expect_str_eq(text, "9961472\n"); /* its own default: 76 GiB / 2 */
	cr_expect_eq(gtt_total(), 38ull << 30);
}

Test(kernels, unknown_kernel_refused)
{
	use_kernel("5.15", NULL);
	cr_expect_lt(open(RENDER, O_RDWR | O_CLOEXEC), 0);
}

Test(kernels, system_ram_and_meminfo)
{
	vgpu_test_use_profile("8060s", "AMDBARE_VGPU_SYSTEM_RAM", "96G", "AMDBARE_VGPU_SWAP", "8G",
			      "AMDBARE_VGPU_SWAP_USED", "1G", NULL);
	vgpu_test_require();
	char text[1024];
	read_file("/proc/meminfo", text, sizeof(text));
	cr_expect_not_null(strstr(text, "MemTotal:       100663296 kB\n"), "%s", text);
	cr_expect_not_null(strstr(text, "SwapTotal:       8388608 kB\n"), "%s", text);
	cr_expect_not_null(strstr(text, "SwapFree:        7340032 kB\n"), "%s", text);
	cr_expect_eq(gtt_total(), 48ull << 30);
}

/* The parser on each format's text as the kernel prints it. */
Test(kernels, parse_6_18_text)
{
	static const char text[] =
		"drm-driver:\tamdgpu\n"
		"drm-client-id:\t9\n"
		"drm-pdev:\t0000:c5:00.0\n"
		"drm-client-name:\tollama\n"
		"pasid:\t32771\n"
		"drm-total-cpu:\t0\n"
		"drm-shared-cpu:\t0\n"
		"drm-resident-cpu:\t0\n"
		"drm-purgeable-cpu:\t0\n"
		"drm-total-gtt:\t3 MiB\n"
		"drm-shared-gtt:\t1 MiB\n"
		"drm-resident-gtt:\t5 MiB\n"
		"drm-purgeable-gtt:\t4096\n"
		"drm-total-vram:\t12 MiB\n"
		"drm-shared-vram:\t0\n"
		"drm-resident-vram:\t10 MiB\n"
		"drm-purgeable-vram:\t0\n"
		"drm-total-doorbell:\t0\n"
		"drm-memory-vram:\t10240 KiB\n"
		"drm-memory-gtt: \t5120 KiB\n"
		"drm-memory-cpu: \t0 KiB\n"
		"amd-evicted-vram:\t2048 KiB\n"
		"amd-requested-vram:\t12288 KiB\n"
		"amd-requested-gtt:\t3072 KiB\n"
		"drm-engine-gfx:\t1500 ns\n"
		"drm-engine-compute:\t2500 ns\n";
	amdbare_fdinfo f;
	cr_assert_eq(amdbare_fdinfo_parse(text, &f), 0);
	cr_expect_eq(f.format, AMDBARE_FDINFO_MEMORY_STATS);
	cr_expect_str_eq(f.client_name, "ollama");
	cr_expect_str_eq(f.pdev, "0000:c5:00.0");
	cr_expect_eq(f.pasid, 32771);
	cr_expect_eq(f.vram.total, 12u << 20);
	cr_expect_eq(f.vram.resident, 10u << 20);
	cr_expect_eq(f.gtt.shared, 1u << 20);
	cr_expect_eq(f.gtt.purgeable, 4096);
	cr_expect(!f.vram.has_active);
	cr_expect_eq(f.evicted_vram, 2u << 20);
	cr_expect(!f.has_visible_vram);
	cr_expect_eq(f.n_engines, 2);
	cr_expect_str_eq(f.engines[1].name, "compute");
	cr_expect_eq(f.engines[1].busy_ns, 2500);
}

Test(kernels, parse_6_8_text)
{
	static const char text[] =
		"drm-driver:\tamdgpu\n"
		"drm-client-id:\t4\n"
		"drm-pdev:\t0000:c4:00.0\n"
		"pasid:\t32770\n"
		"drm-memory-vram:\t4096 KiB\n"
		"drm-memory-gtt: \t0 KiB\n"
		"drm-memory-cpu: \t0 KiB\n"
		"amd-memory-visible-vram:\t4096 KiB\n"
		"amd-evicted-vram:\t0 KiB\n"
		"amd-evicted-visible-vram:\t0 KiB\n"
		"amd-requested-vram:\t4096 KiB\n"
		"amd-requested-visible-vram:\t0 KiB\n"
		"amd-requested-gtt:\t0 KiB\n"
		"drm-engine-capacity-gfx:\t2\n";
	amdbare_fdinfo f;
	cr_assert_eq(amdbare_fdinfo_parse(text, &f), 0);
	cr_expect_eq(f.format, AMDBARE_FDINFO_AMD_STATS);
	cr_expect(f.vram.has_memory && !f.vram.has_total && !f.vram.has_resident);
	cr_expect_eq(f.vram.memory, 4u << 20);
	cr_expect(f.has_visible_vram && f.has_evicted_visible_vram && f.has_requested_visible_vram);
	cr_expect_eq(f.engines[0].capacity, 2);
	cr_expect_eq(amdbare_fdinfo_parse("pos:\t0\nflags:\t02\n", &f), -ENODATA);
}
