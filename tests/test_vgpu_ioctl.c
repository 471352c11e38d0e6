/*
 * The vgpu's control side through raw ioctls (drmIoctl) and libdrm_amdgpu,
 * never the amdbare library: DRM core ioctls, drm_ioctl()'s dispatch and
 * size rules, permissions, AMDGPU_INFO, contexts, BO lists, syncobjs and
 * the fdinfo text, each checked against what Linux 6.1 does.
 *
 * Most expectations are those of the vgpu's profiles (docs/vgpu.md), so
 * these tests need the vgpu (vgpu_test_require).
 */
#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <drm.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>
#include <amdgpu.h>
#include <amdgpu_drm.h>

#define RENDER "/dev/dri/renderD128"
#define CARD "/dev/dri/card0"

static void use_profile(const char *name)
{
	vgpu_test_use_profile(name, NULL);
	vgpu_test_require();
}

static void use_780m(void)
{
	use_profile("780m");
}

static void cleanup(void)
{
	vgpu_test_cleanup();
}

TestSuite(vgpu_ioctl, .init = use_780m, .fini = cleanup);

static int open_node(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	cr_assert_geq(fd, 0, "open %s: %s", path, strerror(errno));
	return fd;
}

/* ioctl(2) result as 0 or -errno */
static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) == 0 ? 0 : -errno;
}

static int info_query(int fd, uint32_t query, void *out, uint32_t size)
{
	struct drm_amdgpu_info req;
	memset(&req, 0, sizeof(req));
	req.return_pointer = (uintptr_t)out;
	req.return_size = size;
	req.query = query;
	return xioctl(fd, DRM_IOCTL_AMDGPU_INFO, &req);
}

/* ---- DRM core ------------------------------------------------------- */

Test(vgpu_ioctl, version_reports_amdgpu_3_49)
{
	int fd = open_node(RENDER);
	drmVersionPtr v = drmGetVersion(fd);
	cr_assert_not_null(v);
	cr_expect_str_eq(v->name, "amdgpu");
	cr_expect_eq(v->version_major, 3);
	cr_expect_eq(v->version_minor, 49);
	cr_expect_eq(v->version_patchlevel, 0);
	cr_expect_str_eq(v->date, "20150101");
	cr_expect_str_eq(v->desc, "AMD GPU");
	drmFreeVersion(v);
	close(fd);
}

/* drm_copy_field: copies at most the buffer length, without a NUL, and
 * reports the full length; a NULL buffer just learns the length. */
Test(vgpu_ioctl, version_truncates_like_drm_copy_field)
{
	int fd = open_node(RENDER);
	char name[8];
	memset(name, 'X', sizeof(name));
	struct drm_version v;
	memset(&v, 0, sizeof(v));
	v.name = name;
	v.name_len = 3;
	cr_assert_eq(xioctl(fd, DRM_IOCTL_VERSION, &v), 0);
	cr_expect_eq(v.name_len, 6, "full length of \"amdgpu\" reported");
	cr_expect_eq(memcmp(name, "amdXXXXX", 8), 0, "3 bytes copied, no NUL");
	cr_expect_eq(v.date_len, 8);
	cr_expect_eq(v.desc_len, 7);
	close(fd);
}

Test(vgpu_ioctl, get_cap_answers_like_amdgpu)
{
	int fd = open_node(RENDER);
	uint64_t val = 99;
	cr_expect_eq(drmGetCap(fd, DRM_CAP_SYNCOBJ, &val), 0);
	cr_expect_eq(val, 1);
	cr_expect_eq(drmGetCap(fd, DRM_CAP_SYNCOBJ_TIMELINE, &val), 0);
	cr_expect_eq(val, 1);
	cr_expect_eq(drmGetCap(fd, DRM_CAP_PRIME, &val), 0);
	cr_expect_eq(val, DRM_PRIME_CAP_IMPORT | DRM_PRIME_CAP_EXPORT);
	cr_expect_eq(drmGetCap(fd, DRM_CAP_TIMESTAMP_MONOTONIC, &val), 0);
	cr_expect_eq(val, 1);
	cr_expect_eq(drmGetCap(fd, DRM_CAP_DUMB_BUFFER, &val), 0);
	cr_expect_eq(val, 1);
	cr_expect_eq(drmGetCap(fd, DRM_CAP_CURSOR_WIDTH, &val), 0);
	cr_expect_eq(val, 256, "DCN 3.1.4 cursor on the 780M");
	struct drm_get_cap cap = { .capability = 0xffff };
	cr_expect_eq(xioctl(fd, DRM_IOCTL_GET_CAP, &cap), -EINVAL);
	close(fd);
}

/* drm_ioctl_permit: a render client may only use DRM_RENDER_ALLOW ioctls. */
Test(vgpu_ioctl, render_node_refuses_primary_only_ioctls)
{
	int fd = open_node(RENDER);
	struct drm_auth auth = { 0 };
	cr_expect_eq(xioctl(fd, DRM_IOCTL_GET_MAGIC, &auth), -EACCES);
	struct drm_set_client_cap cc = { .capability = DRM_CLIENT_CAP_ATOMIC, .value = 1 };
	cr_expect_eq(xioctl(fd, DRM_IOCTL_SET_CLIENT_CAP, &cc), -EACCES);
	struct drm_unique u = { 0 };
	cr_expect_eq(xioctl(fd, DRM_IOCTL_GET_UNIQUE, &u), -EACCES);
	cr_expect_eq(xioctl(fd, DRM_IOCTL_SET_MASTER, NULL), -EACCES);
	close(fd);
}

/* On card0 the first opener is master (authenticated); a second client
 * needs the master to AUTH its magic before DRM_AUTH ioctls work. */
Test(vgpu_ioctl, primary_node_auth_rules)
{
	int master = open_node(CARD);
	int other = open_node(CARD);
	uint32_t accel = 0;
	cr_expect_eq(info_query(master, AMDGPU_INFO_ACCEL_WORKING, &accel, 4), 0);
	cr_expect_eq(info_query(other, AMDGPU_INFO_ACCEL_WORKING, &accel, 4), -EACCES,
		     "DRM_AUTH ioctl from an unauthenticated primary client");
	struct drm_client client = { .idx = 0 };
	cr_expect_eq(xioctl(other, DRM_IOCTL_GET_CLIENT, &client), 0);
	cr_expect_eq(client.auth, 0);
	client.idx = 1;
	cr_expect_eq(xioctl(other, DRM_IOCTL_GET_CLIENT, &client), -EINVAL);

	struct drm_auth auth = { 0 };
	cr_assert_eq(xioctl(other, DRM_IOCTL_GET_MAGIC, &auth), 0);
	cr_expect_neq(auth.magic, 0);
	cr_expect_eq(xioctl(other, DRM_IOCTL_AUTH_MAGIC, &auth), -EACCES,
		     "AUTH_MAGIC is DRM_MASTER");
	cr_expect_eq(xioctl(master, DRM_IOCTL_AUTH_MAGIC, &auth), 0);
	cr_expect_eq(xioctl(master, DRM_IOCTL_AUTH_MAGIC, &auth), -EINVAL,
		     "a magic is consumed once used");
	cr_expect_eq(info_query(other, AMDGPU_INFO_ACCEL_WORKING, &accel, 4), 0);
	cr_expect_eq(accel, 1);

	/* GET_UNIQUE is empty until the master sets the interface version */
	char unique[64] = "";
	struct drm_unique u = { .unique_len = sizeof(unique), .unique = unique };
	cr_expect_eq(xioctl(master, DRM_IOCTL_GET_UNIQUE, &u), 0);
	cr_expect_eq(u.unique_len, 0);
	struct drm_set_version sv = { 1, 4, -1, -1 };
	cr_expect_eq(xioctl(master, DRM_IOCTL_SET_VERSION, &sv), 0);
	cr_expect_eq(sv.drm_dd_major, 3);
	cr_expect_eq(sv.drm_dd_minor, 49);
	u.unique_len = sizeof(unique);
	cr_expect_eq(xioctl(other, DRM_IOCTL_GET_UNIQUE, &u), 0);
	cr_expect_eq(u.unique_len, strlen("pci:0000:c4:00.0"));
	cr_expect_eq(memcmp(unique, "pci:0000:c4:00.0", u.unique_len), 0);
	close(other);
	close(master);
}

Test(vgpu_ioctl, unknown_ioctls_get_the_kernels_errno)
{
	int fd = open_node(RENDER);
	char buf[64] = { 0 };
	/* a driver number past amdgpu's table */
	cr_expect_eq(xioctl(fd, DRM_IOWR(DRM_COMMAND_BASE + 0x30, struct drm_version), buf), -EINVAL);
	/* a hole in amdgpu's table (0x0a..0x0f have no function) */
	cr_expect_eq(xioctl(fd, DRM_IOWR(DRM_COMMAND_BASE + 0x0a, struct drm_version), buf), -EINVAL);
	/* a core number past drm_ioctls[] */
	cr_expect_eq(xioctl(fd, DRM_IOWR(0xF0, struct drm_version), buf), -EINVAL);
	/* not a DRM ioctl at all */
	cr_expect_eq(xioctl(fd, _IOWR('x', 1, int), buf), -ENOTTY);
	/* a legacy ioctl (no CONFIG_DRM_LEGACY): permission first, then EINVAL */
	cr_expect_eq(xioctl(fd, DRM_IOCTL_GET_MAP, buf), -EACCES);
	close(fd);
}

/* drm_ioctl: a smaller user struct is zero-extended and only its size is
 * copied back; a larger one keeps its tail (copied in and out unchanged). */
Test(vgpu_ioctl, user_struct_size_handling)
{
	int fd = open_node(RENDER);
	/* only the three version ints (12 bytes) */
	unsigned char small[24];
	memset(small, 0xAB, sizeof(small));
	cr_assert_eq(xioctl(fd, _IOC(_IOC_READ | _IOC_WRITE, DRM_IOCTL_BASE, 0x00, 12), small), 0);
	int major, minor;
	memcpy(&major, small, 4);
	memcpy(&minor, small + 4, 4);
	cr_expect_eq(major, 3);
	cr_expect_eq(minor, 49);
	for (size_t i = 12; i < sizeof(small); i++)
		cr_expect_eq(small[i], 0xAB, "byte %zu past the user size untouched", i);

	/* larger than the kernel's struct: the tail survives */
	struct {
		struct drm_version v;
		uint64_t tail[2];
	} big;
	memset(&big, 0, sizeof(big));
	big.tail[0] = 0x1122334455667788ull;
	big.tail[1] = 0x99aabbccddeeff00ull;
	cr_assert_eq(xioctl(fd, _IOC(_IOC_READ | _IOC_WRITE, DRM_IOCTL_BASE, 0x00, sizeof(big)), &big), 0);
	cr_expect_eq(big.v.version_major, 3);
	cr_expect_eq(big.v.name_len, 6);
	cr_expect_eq(big.tail[0], 0x1122334455667788ull);
	cr_expect_eq(big.tail[1], 0x99aabbccddeeff00ull);

	/* a bad argument pointer */
	cr_expect_eq(xioctl(fd, DRM_IOCTL_VERSION, NULL), -EFAULT);
	cr_expect_eq(xioctl(fd, DRM_IOCTL_AMDGPU_INFO, NULL), -EFAULT);
	close(fd);
}

static int read_regs(int fd, uint32_t offset, uint32_t count, uint32_t instance, uint32_t *out)
{
	struct drm_amdgpu_info req;
	memset(&req, 0, sizeof(req));
	req.return_pointer = (uintptr_t)out;
	req.return_size = count * 4;
	req.query = AMDGPU_INFO_READ_MMR_REG;
	req.read_mmr_reg.dword_offset = offset;
	req.read_mmr_reg.count = count;
	req.read_mmr_reg.instance = instance;
	return xioctl(fd, DRM_IOCTL_AMDGPU_INFO, &req);
}

/* ---- libdrm_amdgpu initialisation per profile ----------------------- */

struct expect_prof {
	const char *name;
	uint32_t device_id, family, cu, num_se, gb_addr_config;
	uint64_t vram, vis_vram;
	bool apu;
};

static void check_profile(const struct expect_prof *e)
{
	use_profile(e->name);
	int fd = open_node(RENDER);
	uint32_t maj = 0, min = 0;
	amdgpu_device_handle dev = NULL;
	cr_assert_eq(amdgpu_device_initialize(fd, &maj, &min, &dev), 0, "%s", e->name);
	cr_expect_eq(maj, 3);
	cr_expect_eq(min, 49);
	struct amdgpu_gpu_info gi;
	cr_assert_eq(amdgpu_query_gpu_info(dev, &gi), 0);
	cr_expect_eq(gi.asic_id, e->device_id, "%s device id", e->name);
	cr_expect_eq(gi.family_id, e->family, "%s family", e->name);
	cr_expect_eq(gi.cu_active_number, e->cu, "%s CUs", e->name);
	cr_expect_eq(gi.num_shader_engines, e->num_se);
	cr_expect_eq(gi.gb_addr_cfg, e->gb_addr_config);
	cr_expect_eq((gi.ids_flags & AMDGPU_IDS_FLAGS_FUSION) != 0, e->apu);
	cr_expect_eq(gi.gpu_counter_freq, 100000);
	struct amdgpu_heap_info heap;
	cr_assert_eq(amdgpu_query_heap_info(dev, AMDGPU_GEM_DOMAIN_VRAM, 0, &heap), 0);
	cr_expect_eq(heap.heap_size, e->vram - (8u << 20), "usable = VRAM - AMDGPU_VM_RESERVED_VRAM");
	cr_assert_eq(amdgpu_query_heap_info(dev, AMDGPU_GEM_DOMAIN_VRAM,
					    AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED, &heap), 0);
	cr_expect_leq(heap.heap_size, e->vis_vram);
	cr_expect_gt(heap.heap_size, e->vis_vram - (16u << 20));
	amdgpu_device_deinitialize(dev);
	close(fd);
}

#define GiB (1ull << 30)

Test(vgpu_ioctl, profile_780m_initializes)
{
	struct expect_prof e = { "780m", 0x15bf, 148, 12, 1, 0x243, 16 * GiB, 16 * GiB, true };
	check_profile(&e);
}

Test(vgpu_ioctl, profile_890m_initializes)
{
	struct expect_prof e = { "890m", 0x150e, 150, 16, 1, 0x343, 4 * GiB, 4 * GiB, true };
	check_profile(&e);
}

Test(vgpu_ioctl, profile_8060s_initializes)
{
	struct expect_prof e = { "8060s", 0x1586, 150, 40, 2, 0x444, 64 * GiB, 64 * GiB, true };
	check_profile(&e);
}

Test(vgpu_ioctl, profile_860m_initializes)
{
	struct expect_prof e = { "860m", 0x1114, 150, 8, 1, 0x142, 512ull << 20, 512ull << 20, true };
	check_profile(&e);
}

Test(vgpu_ioctl, profile_6800xt_initializes)
{
	struct expect_prof e = { "6800xt", 0x73bf, 143, 72, 4, 0x444, 16 * GiB, 256ull << 20, false };
	check_profile(&e);
	/* gfx_v10_0_ip_block 10.0 with IP discovery GC 10.3.0 and 2 gfx rings;
	 * sdma_v5_2_ip_block 5.2 with SDMA 5.2.0 */
	int fd = open_node(RENDER);
	struct drm_amdgpu_info_hw_ip ip;
	struct drm_amdgpu_info req = {0};
	req.return_pointer = (uintptr_t)&ip;
	req.return_size = sizeof(ip);
	req.query = AMDGPU_INFO_HW_IP_INFO;
	req.query_hw_ip.type = AMDGPU_HW_IP_GFX;
	cr_assert_eq(xioctl(fd, DRM_IOCTL_AMDGPU_INFO, &req), 0);
	cr_expect_eq(ip.hw_ip_version_major, 10);
	cr_expect_eq(ip.hw_ip_version_minor, 0);
	cr_expect_eq(ip._pad, 0x0a0300u);
	cr_expect_eq(ip.available_rings, 0x3u);
	req.query_hw_ip.type = AMDGPU_HW_IP_DMA;
	cr_assert_eq(xioctl(fd, DRM_IOCTL_AMDGPU_INFO, &req), 0);
	cr_expect_eq(ip.hw_ip_version_major, 5);
	cr_expect_eq(ip.hw_ip_version_minor, 2);
	cr_expect_eq(ip._pad, 0x050200u);
	close(fd);
}

Test(vgpu_ioctl, profile_7900xtx_initializes)
{
	struct expect_prof e = { "7900xtx", 0x744c, 145, 96, 6, 0x545, 24 * GiB, 256ull << 20, false };
	check_profile(&e);
	/* SEs 4 and 5 go to columns 2-3 of cu_bitmap (gfx_v11_0_get_cu_info):
	 * the layout of a real Navi31's DEV_INFO in Mesa's drm-shim table */
	int fd = open_node(RENDER);
	struct drm_amdgpu_info_device d;
	cr_assert_eq(info_query(fd, AMDGPU_INFO_DEV_INFO, &d, sizeof(d)), 0);
	static const uint32_t expect[4][4] = {
		{ 0xff, 0xff, 0xff, 0xff },
		{ 0xff, 0xff, 0xff, 0xff },
		{ 0xff, 0xff, 0, 0 },
		{ 0xff, 0xff, 0, 0 },
	};
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++)
			cr_expect_eq(d.cu_bitmap[i][j], expect[i][j], "cu_bitmap[%d][%d]", i, j);
	cr_expect_eq(d.num_rb_pipes, 24);
	cr_expect_eq(d.enabled_rb_pipes_mask, 0xffffff);
	cr_expect_eq(d.num_shader_visible_vgprs, 1536);
	cr_expect_eq(d.ids_flags, 0, "a dGPU without TMZ");
	struct drm_amdgpu_info_hw_ip ip;
	struct drm_amdgpu_info req;
	memset(&req, 0, sizeof(req));
	req.return_pointer = (uintptr_t)&ip;
	req.return_size = sizeof(ip);
	req.query = AMDGPU_INFO_HW_IP_INFO;
	req.query_hw_ip.type = AMDGPU_HW_IP_DMA;
	cr_assert_eq(xioctl(fd, DRM_IOCTL_AMDGPU_INFO, &req), 0);
	cr_expect_eq(ip.available_rings, 0x3, "two SDMA instances");
	uint32_t v = 0;
	cr_expect_eq(read_regs(fd, 0x1885, 1, 0xffffffff, &v), 0, "SDMA1_STATUS_REG exists");
	uint64_t cursor = 0;
	cr_expect_eq(drmGetCap(fd, DRM_CAP_CURSOR_WIDTH, &cursor), 0);
	cr_expect_eq(cursor, 64, "DCN 3.2");
	struct drm_amdgpu_info sreq;
	memset(&sreq, 0, sizeof(sreq));
	sreq.return_pointer = (uintptr_t)&v;
	sreq.return_size = 4;
	sreq.query = AMDGPU_INFO_SENSOR;
	sreq.sensor_info.type = AMDGPU_INFO_SENSOR_VDDNB;
	cr_expect_eq(xioctl(fd, DRM_IOCTL_AMDGPU_INFO, &sreq), -EINVAL, "no VDDNB on a dGPU");
	close(fd);
}

Test(vgpu_ioctl, foreign_node_says_i915)
{
	use_profile("foreign");
	int fd = open_node(RENDER);
	drmVersionPtr v = drmGetVersion(fd);
	cr_assert_not_null(v);
	cr_expect_str_eq(v->name, "i915");
	drmFreeVersion(v);
	uint32_t accel = 0;
	cr_expect_eq(info_query(fd, AMDGPU_INFO_ACCEL_WORKING, &accel, 4), -EINVAL);
	uint32_t maj, min;
	amdgpu_device_handle dev = NULL;
	cr_expect_neq(amdgpu_device_initialize(fd, &maj, &min, &dev), 0);
	close(fd);
}

Test(vgpu_ioctl, size_overrides_apply_and_junk_is_refused)
{
	vgpu_test_use_profile("7900xtx", "AMDBARE_VGPU_VRAM_SIZE", "2G",
			      "AMDBARE_VGPU_GTT_SIZE", "512M", NULL);
	vgpu_test_require();
	int fd = open_node(RENDER);
	struct drm_amdgpu_memory_info mem;
	cr_assert_eq(info_query(fd, AMDGPU_INFO_MEMORY, &mem, sizeof(mem)), 0);
	cr_expect_eq(mem.vram.total_heap_size, 2 * GiB);
	cr_expect_eq(mem.cpu_accessible_vram.total_heap_size, 256ull << 20);
	cr_expect_eq(mem.gtt.total_heap_size, 512ull << 20);
	close(fd);
	vgpu_test_use_profile("780m", "AMDBARE_VGPU_VRAM_SIZE", "lots", NULL);
	cr_expect_lt(open(RENDER, O_RDWR), 0, "a junk size makes the device unusable");
}

/* ---- AMDGPU_INFO ---------------------------------------------------- */

Test(vgpu_ioctl, info_basic_queries)
{
	int fd = open_node(RENDER);
	uint32_t u32 = 0;
	cr_expect_eq(info_query(fd, AMDGPU_INFO_ACCEL_WORKING, &u32, 4), 0);
	cr_expect_eq(u32, 1);
	cr_expect_eq(info_query(fd, AMDGPU_INFO_VRAM_LOST_COUNTER, &u32, 4), 0);
	cr_expect_eq(u32, 0);
	cr_expect_eq(info_query(fd, 0x7f, &u32, 4), -EINVAL, "unknown query");
	cr_expect_eq(info_query(fd, AMDGPU_INFO_ACCEL_WORKING, &u32, 0), -EINVAL, "no size");
	cr_expect_eq(info_query(fd, AMDGPU_INFO_ACCEL_WORKING, NULL, 4), -EINVAL, "no pointer");
	cr_expect_eq(info_query(fd, AMDGPU_INFO_ACCEL_WORKING, (void *)8, 4), -EFAULT, "bad pointer");
	cr_expect_eq(info_query(fd, AMDGPU_INFO_RAS_ENABLED_FEATURES, &u32, 4), -EINVAL);
	uint64_t u64 = 1234;
	cr_expect_eq(info_query(fd, AMDGPU_INFO_NUM_EVICTIONS, &u64, 8), 0);
	cr_expect_eq(u64, 0);
	cr_expect_eq(info_query(fd, AMDGPU_INFO_NUM_BYTES_MOVED, &u64, 8), 0);
	cr_expect_eq(info_query(fd, AMDGPU_INFO_NUM_VRAM_CPU_PAGE_FAULTS, &u64, 8), 0);
	cr_expect_eq(info_query(fd, AMDGPU_INFO_VRAM_USAGE, &u64, 8), 0);
	cr_expect_eq(info_query(fd, AMDGPU_INFO_VIS_VRAM_USAGE, &u64, 8), 0);
	cr_expect_eq(info_query(fd, AMDGPU_INFO_GTT_USAGE, &u64, 8), 0);
	struct drm_amdgpu_info_gds gds;
	cr_expect_eq(info_query(fd, AMDGPU_INFO_GDS_CONFIG, &gds, sizeof(gds)), 0);
	cr_expect_eq(gds.gds_total_size, 0x1000);
	close(fd);
}

Test(vgpu_ioctl, info_memory_and_vram_gtt)
{
	int fd = open_node(RENDER);
	struct drm_amdgpu_memory_info mem;
	cr_assert_eq(info_query(fd, AMDGPU_INFO_MEMORY, &mem, sizeof(mem)), 0);
	cr_expect_eq(mem.vram.total_heap_size, 16 * GiB);
	cr_expect_eq(mem.vram.usable_heap_size, 16 * GiB - (8u << 20));
	cr_expect_eq(mem.vram.max_allocation, mem.vram.usable_heap_size * 3 / 4);
	cr_expect_eq(mem.cpu_accessible_vram.total_heap_size, 16 * GiB);
	cr_expect_eq(mem.gtt.total_heap_size, 38 * GiB);
	struct drm_amdgpu_info_vram_gtt vg;
	cr_assert_eq(info_query(fd, AMDGPU_INFO_VRAM_GTT, &vg, sizeof(vg)), 0);
	cr_expect_eq(vg.vram_size, mem.vram.usable_heap_size);
	cr_expect_eq(vg.gtt_size, mem.gtt.usable_heap_size);
	cr_expect_leq(vg.vram_cpu_accessible_size, vg.vram_size);
	close(fd);
}

Test(vgpu_ioctl, info_hw_ip)
{
	int fd = open_node(RENDER);
	struct drm_amdgpu_info_hw_ip ip;
	struct drm_amdgpu_info req;
	memset(&req, 0, sizeof(req));
	req.return_pointer = (uintptr_t)&ip;
	req.return_size = sizeof(ip);
	req.query = AMDGPU_INFO_HW_IP_INFO;

	req.query_hw_ip.type = AMDGPU_HW_IP_GFX;
	cr_assert_eq(xioctl(fd, DRM_IOCTL_AMDGPU_INFO, &req), 0);
	cr_expect_eq(ip.hw_ip_version_major, 11);
	cr_expect_eq(ip.available_rings, 0x1);
	cr_expect_eq(ip.ib_start_alignment, 32);
	cr_expect_eq(ip._pad, 0x0b0001, "6.1's ip_discovery_version: GC 11.0.1");

	req.query_hw_ip.type = AMDGPU_HW_IP_COMPUTE;
	cr_assert_eq(xioctl(fd, DRM_IOCTL_AMDGPU_INFO, &req), 0);
	cr_expect_eq(ip.available_rings, 0xf);

	req.query_hw_ip.type = AMDGPU_HW_IP_DMA;
	cr_assert_eq(xioctl(fd, DRM_IOCTL_AMDGPU_INFO, &req), 0);
	cr_expect_eq(ip.hw_ip_version_major, 6);
	cr_expect_eq(ip.ib_start_alignment, 256);
	cr_expect_eq(ip.ib_size_alignment, 4);
	cr_expect_eq(ip.available_rings, 0x1);

	req.query_hw_ip.type = AMDGPU_HW_IP_VCN_DEC;
	cr_assert_eq(xioctl(fd, DRM_IOCTL_AMDGPU_INFO, &req), 0);
	cr_expect_eq(ip.available_rings, 0);

	req.query_hw_ip.type = 77;
	cr_expect_eq(xioctl(fd, DRM_IOCTL_AMDGPU_INFO, &req), -EINVAL);
	req.query_hw_ip.type = AMDGPU_HW_IP_GFX;
	req.query_hw_ip.ip_instance = 1;
	cr_expect_eq(xioctl(fd, DRM_IOCTL_AMDGPU_INFO, &req), -EINVAL);

	uint32_t count = 9;
	req.query = AMDGPU_INFO_HW_IP_COUNT;
	req.return_pointer = (uintptr_t)&count;
	req.return_size = 4;
	req.query_hw_ip.ip_instance = 0;
	req.query_hw_ip.type = AMDGPU_HW_IP_COMPUTE;
	cr_expect_eq(xioctl(fd, DRM_IOCTL_AMDGPU_INFO, &req), 0);
	cr_expect_eq(count, 1);
	req.query_hw_ip.type = AMDGPU_HW_IP_UVD;
	cr_expect_eq(xioctl(fd, DRM_IOCTL_AMDGPU_INFO, &req), 0);
	cr_expect_eq(count, 0);
	close(fd);
}

Test(vgpu_ioctl, info_firmware_versions)
{
	use_profile("7900xtx");
	int fd = open_node(RENDER);
	uint32_t maj, min, ver = 0, feat = 0;
	amdgpu_device_handle dev;
	cr_assert_eq(amdgpu_device_initialize(fd, &maj, &min, &dev), 0);
	cr_expect_eq(amdgpu_query_firmware_version(dev, AMDGPU_INFO_FW_GFX_ME, 0, 0, &ver, &feat), 0);
	cr_expect_gt(ver, 0);
	cr_expect_eq(amdgpu_query_firmware_version(dev, AMDGPU_INFO_FW_GFX_MEC, 0, 0, &ver, &feat), 0);
	cr_expect_gt(ver, 0);
	cr_expect_eq(amdgpu_query_firmware_version(dev, AMDGPU_INFO_FW_GFX_MEC, 0, 2, &ver, &feat), -EINVAL);
	cr_expect_eq(amdgpu_query_firmware_version(dev, AMDGPU_INFO_FW_SDMA, 0, 1, &ver, &feat), 0,
		     "Navi31 has two SDMA instances");
	cr_expect_eq(amdgpu_query_firmware_version(dev, AMDGPU_INFO_FW_SDMA, 0, 2, &ver, &feat), -EINVAL);
	cr_expect_eq(amdgpu_query_firmware_version(dev, AMDGPU_INFO_FW_GFX_ME, 1, 0, &ver, &feat), -EINVAL,
		     "only ip_instance 0");
	cr_expect_eq(amdgpu_query_firmware_version(dev, 0x7f, 0, 0, &ver, &feat), -EINVAL);
	amdgpu_device_deinitialize(dev);
	close(fd);
}

Test(vgpu_ioctl, info_read_mmr_reg)
{
	int fd = open_node(RENDER);
	uint32_t v[4] = { 0 };
	cr_expect_eq(read_regs(fd, 0x263e, 1, 0xffffffff, v), 0, "GB_ADDR_CONFIG");
	cr_expect_eq(v[0], 0x243);
	cr_expect_eq(read_regs(fd, 0x2004, 1, 0xffffffff, v), 0, "GRBM_STATUS");
	cr_expect_eq(v[0] & 0x80000000u, 0, "GUI_ACTIVE clear: idle");
	cr_expect_eq(read_regs(fd, 0x2002, 1, 0xffffffff, v), 0, "GRBM_STATUS2");
	cr_expect_eq(read_regs(fd, 0x2005, 2, 0xffffffff, v), 0, "GRBM_STATUS_SE0, _SE1");
	cr_expect_eq(read_regs(fd, 0x2006, 2, 0xffffffff, v), -EFAULT,
		     "0x2007 is not allowed: the whole read fails");
	cr_expect_eq(read_regs(fd, 0x1000, 1, 0xffffffff, v), -EFAULT, "not in soc21's list");
	cr_expect_eq(read_regs(fd, 0x1285, 1, 0xffffffff, v), 0, "SDMA0_STATUS_REG");
	cr_expect_eq(v[0] & 1, 1, "SDMA idle");
	cr_expect_eq(read_regs(fd, 0x1885, 1, 0xffffffff, v), -EFAULT,
		     "SDMA1 does not exist on a single-SDMA APU");
	cr_expect_eq(read_regs(fd, 0x263e, 1, 0xffffff05, v), -EINVAL, "SE index >= 4");
	cr_expect_eq(read_regs(fd, 0x263e, 1, 0x0000ff00 | 0x00000000, v), 0, "SE 0, all SHs");
	cr_expect_eq(read_regs(fd, 0x263e, 1, 0x00000200, v), -EINVAL, "SH index >= 2");
	uint32_t many[130];
	cr_expect_eq(read_regs(fd, 0x263e, 129, 0xffffffff, many), -EINVAL, "count > 128");
	close(fd);
}

Test(vgpu_ioctl, info_sensors_and_timestamp)
{
	int fd = open_node(RENDER);
	struct drm_amdgpu_info req;
	uint32_t val = 0;
	memset(&req, 0, sizeof(req));
	req.return_pointer = (uintptr_t)&val;
	req.return_size = 4;
	req.query = AMDGPU_INFO_SENSOR;
	static const uint32_t types[] = {
		AMDGPU_INFO_SENSOR_GFX_SCLK, AMDGPU_INFO_SENSOR_GFX_MCLK,
		AMDGPU_INFO_SENSOR_GPU_TEMP, AMDGPU_INFO_SENSOR_GPU_AVG_POWER,
		AMDGPU_INFO_SENSOR_VDDNB, AMDGPU_INFO_SENSOR_VDDGFX,
		AMDGPU_INFO_SENSOR_STABLE_PSTATE_GFX_SCLK,
		AMDGPU_INFO_SENSOR_STABLE_PSTATE_GFX_MCLK,
	};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		req.sensor_info.type = types[i];
		val = 0;
		cr_expect_eq(xioctl(fd, DRM_IOCTL_AMDGPU_INFO, &req), 0, "sensor %u", types[i]);
		cr_expect_gt(val, 0, "sensor %u reads a plausible non-zero value", types[i]);
	}
	req.sensor_info.type = AMDGPU_INFO_SENSOR_GPU_LOAD;
	cr_expect_eq(xioctl(fd, DRM_IOCTL_AMDGPU_INFO, &req), 0);
	cr_expect_eq(val, 0, "nothing runs");
	req.sensor_info.type = 0x42;
	cr_expect_eq(xioctl(fd, DRM_IOCTL_AMDGPU_INFO, &req), -EINVAL);

	uint64_t t0 = 0, t1 = 0;
	cr_assert_eq(info_query(fd, AMDGPU_INFO_TIMESTAMP, &t0, 8), 0);
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	cr_assert_eq(info_query(fd, AMDGPU_INFO_TIMESTAMP, &t1, 8), 0);
	cr_expect_geq(t1 - t0, 2000000u, "a 100 MHz counter advances >= 2e6 in 20 ms");
	cr_expect_lt(t1 - t0, 200000000u);
	close(fd);
}

Test(vgpu_ioctl, info_vbios_and_video_caps)
{
	int fd = open_node(RENDER);
	struct drm_amdgpu_info req;
	uint32_t size = 0;
	memset(&req, 0, sizeof(req));
	req.return_pointer = (uintptr_t)&size;
	req.return_size = 4;
	req.query = AMDGPU_INFO_VBIOS;
	req.vbios_info.type = AMDGPU_INFO_VBIOS_SIZE;
	cr_assert_eq(xioctl(fd, DRM_IOCTL_AMDGPU_INFO, &req), 0);
	cr_assert_gt(size, 0);
	unsigned char *rom = calloc(1, size);
	req.return_pointer = (uintptr_t)rom;
	req.return_size = size;
	req.vbios_info.type = AMDGPU_INFO_VBIOS_IMAGE;
	cr_assert_eq(xioctl(fd, DRM_IOCTL_AMDGPU_INFO, &req), 0);
	cr_expect_eq(rom[0], 0x55);
	cr_expect_eq(rom[1], 0xaa);
	req.vbios_info.offset = size;
	cr_expect_eq(xioctl(fd, DRM_IOCTL_AMDGPU_INFO, &req), -EINVAL, "offset past the image");
	free(rom);

	struct drm_amdgpu_info_video_caps caps;
	memset(&req, 0, sizeof(req));
	req.return_pointer = (uintptr_t)&caps;
	req.return_size = sizeof(caps);
	req.query = AMDGPU_INFO_VIDEO_CAPS;
	req.video_cap.type = AMDGPU_INFO_VIDEO_CAPS_DECODE;
	cr_expect_eq(xioctl(fd, DRM_IOCTL_AMDGPU_INFO, &req), 0);
	req.video_cap.type = 5;
	cr_expect_eq(xioctl(fd, DRM_IOCTL_AMDGPU_INFO, &req), -EINVAL);
	close(fd);
}

/* amdgpu_info_ioctl copies min(return_size, sizeof(drm_amdgpu_info_device)). */
Test(vgpu_ioctl, dev_info_copy_size)
{
	int fd = open_node(RENDER);
	unsigned char buf[sizeof(struct drm_amdgpu_info_device) + 64];
	memset(buf, 0xEE, sizeof(buf));
	cr_assert_eq(info_query(fd, AMDGPU_INFO_DEV_INFO, buf, 8), 0);
	uint32_t id;
	memcpy(&id, buf, 4);
	cr_expect_eq(id, 0x15bf);
	for (size_t i = 8; i < 32; i++)
		cr_expect_eq(buf[i], 0xEE, "byte %zu beyond return_size untouched", i);

	memset(buf, 0xEE, sizeof(buf));
	cr_assert_eq(info_query(fd, AMDGPU_INFO_DEV_INFO, buf, sizeof(buf)), 0);
	struct drm_amdgpu_info_device d;
	memcpy(&d, buf, sizeof(d));
	for (size_t i = sizeof(d); i < sizeof(buf); i++)
		cr_expect_eq(buf[i], 0xEE, "byte %zu beyond the kernel's struct untouched", i);
	cr_expect_eq(d.family, 148);
	cr_expect_eq(d.cu_active_number, 12);
	cr_expect_eq(d.cu_bitmap[0][0], 0x3f);
	cr_expect_eq(d.cu_bitmap[0][1], 0x3f);
	cr_expect_eq(d.wave_front_size, 32);
	cr_expect_eq(d.virtual_address_offset, 2u << 20);
	cr_expect_eq(d.virtual_address_max, 0x800000000000ull);
	cr_expect_eq(d.high_va_offset, 0xffff800000000000ull);
	cr_expect_eq(d.high_va_max, 0xffffffffffe00000ull);
	cr_expect_eq(d.pte_fragment_size, 2u << 20);
	cr_expect_eq(d.ids_flags, AMDGPU_IDS_FLAGS_FUSION | AMDGPU_IDS_FLAGS_TMZ);
	cr_expect_eq(d.external_rev, 0x01);
	cr_expect_eq(d.pci_rev, 0xc1);
	close(fd);
}

/* ---- contexts --------------------------------------------------------- */

static int ctx_op(int fd, uint32_t op, uint32_t id, int32_t prio, uint32_t flags,
		  union drm_amdgpu_ctx *out)
{
	union drm_amdgpu_ctx args;
	memset(&args, 0, sizeof(args));
	args.in.op = op;
	args.in.ctx_id = id;
	args.in.priority = prio;
	args.in.flags = flags;
	int r = xioctl(fd, DRM_IOCTL_AMDGPU_CTX, &args);
	if (out)
		*out = args;
	return r;
}

static void drop_cap_sys_nice(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	memset(data, 0, sizeof(data));
	cr_assert_eq(syscall(SYS_capget, &hdr, data), 0);
	data[CAP_SYS_NICE / 32].effective &= ~(1u << (CAP_SYS_NICE % 32));
	data[CAP_SYS_NICE / 32].permitted &= ~(1u << (CAP_SYS_NICE % 32));
	cr_assert_eq(syscall(SYS_capset, &hdr, data), 0);
}

Test(vgpu_ioctl, ctx_alloc_query_free)
{
	int fd = open_node(RENDER);
	union drm_amdgpu_ctx out;
	cr_assert_eq(ctx_op(fd, AMDGPU_CTX_OP_ALLOC_CTX, 0, AMDGPU_CTX_PRIORITY_NORMAL, 0, &out), 0);
	uint32_t id = out.out.alloc.ctx_id;
	cr_expect_eq(id, 1, "idr ids start at 1");
	cr_assert_eq(ctx_op(fd, AMDGPU_CTX_OP_ALLOC_CTX, 0, AMDGPU_CTX_PRIORITY_LOW, 0, &out), 0);
	cr_expect_eq(out.out.alloc.ctx_id, 2);
	cr_expect_eq(ctx_op(fd, AMDGPU_CTX_OP_QUERY_STATE, id, 0, 0, &out), 0);
	cr_expect_eq(out.out.state.reset_status, AMDGPU_CTX_NO_RESET);
	cr_expect_eq(ctx_op(fd, AMDGPU_CTX_OP_QUERY_STATE2, id, 0, 0, &out), 0);
	cr_expect_eq(out.out.state.flags, 0);
	cr_expect_eq(ctx_op(fd, AMDGPU_CTX_OP_QUERY_STATE, 77, 0, 0, NULL), -EINVAL);
	cr_expect_eq(ctx_op(fd, AMDGPU_CTX_OP_QUERY_STATE, id, 0, 1, NULL), -EINVAL, "flags");
	cr_expect_eq(ctx_op(fd, AMDGPU_CTX_OP_ALLOC_CTX, 0, 0, 1, NULL), -EINVAL, "flags");
	cr_expect_eq(ctx_op(fd, 99, id, 0, 0, NULL), -EINVAL, "unknown op");

	/* stable pstate: set by one context, readable, released on free */
	cr_expect_eq(ctx_op(fd, AMDGPU_CTX_OP_SET_STABLE_PSTATE, id, 0,
			    AMDGPU_CTX_STABLE_PSTATE_PEAK, NULL), 0);
	cr_expect_eq(ctx_op(fd, AMDGPU_CTX_OP_GET_STABLE_PSTATE, 2, 0, 0, &out), 0);
	cr_expect_eq(out.out.pstate.flags, AMDGPU_CTX_STABLE_PSTATE_PEAK);
	cr_expect_eq(ctx_op(fd, AMDGPU_CTX_OP_SET_STABLE_PSTATE, 2, 0,
			    AMDGPU_CTX_STABLE_PSTATE_STANDARD, NULL), -EBUSY);
	cr_expect_eq(ctx_op(fd, AMDGPU_CTX_OP_SET_STABLE_PSTATE, id, 0, 0x10, NULL), -EINVAL);

	cr_expect_eq(ctx_op(fd, AMDGPU_CTX_OP_FREE_CTX, id, 0, 0, NULL), 0);
	cr_expect_eq(ctx_op(fd, AMDGPU_CTX_OP_FREE_CTX, id, 0, 0, NULL), -EINVAL, "double free");
	cr_expect_eq(ctx_op(fd, AMDGPU_CTX_OP_GET_STABLE_PSTATE, 2, 0, 0, &out), 0);
	cr_expect_eq(out.out.pstate.flags, AMDGPU_CTX_STABLE_PSTATE_NONE);
	cr_expect_eq(ctx_op(fd, AMDGPU_CTX_OP_FREE_CTX, 2, 0, 0, NULL), 0);
	close(fd);
}

/* amdgpu_ctx_priority_permit: above NORMAL needs CAP_SYS_NICE or master;
 * amdgpu_ctx_ioctl turns a garbage priority into NORMAL (it never reaches
 * the -EINVAL of priority_permit). */
Test(vgpu_ioctl, ctx_priority_rules)
{
	int fd = open_node(RENDER);
	union drm_amdgpu_ctx out;
	cr_expect_eq(ctx_op(fd, AMDGPU_CTX_OP_ALLOC_CTX, 0, 12345, 0, &out), 0,
		     "garbage priority accepted as NORMAL");
	drop_cap_sys_nice();
	cr_expect_eq(ctx_op(fd, AMDGPU_CTX_OP_ALLOC_CTX, 0, AMDGPU_CTX_PRIORITY_HIGH, 0, &out), -EACCES);
	cr_expect_eq(out.out.alloc.ctx_id, 0, "the id is given back");
	cr_expect_eq(ctx_op(fd, AMDGPU_CTX_OP_ALLOC_CTX, 0, AMDGPU_CTX_PRIORITY_VERY_HIGH, 0, NULL), -EACCES);
	cr_expect_eq(ctx_op(fd, AMDGPU_CTX_OP_ALLOC_CTX, 0, AMDGPU_CTX_PRIORITY_NORMAL, 0, NULL), 0);
	/* the primary node's master may raise priority without CAP_SYS_NICE */
	int card = open_node(CARD);
	cr_expect_eq(ctx_op(card, AMDGPU_CTX_OP_ALLOC_CTX, 0, AMDGPU_CTX_PRIORITY_HIGH, 0, NULL), 0);
	close(card);
	close(fd);
}

Test(vgpu_ioctl, vm_reserve_vmid)
{
	int a = open_node(RENDER), b = open_node(RENDER);
	union drm_amdgpu_vm vm;
	memset(&vm, 0, sizeof(vm));
	vm.in.op = AMDGPU_VM_OP_RESERVE_VMID;
	cr_expect_eq(xioctl(a, DRM_IOCTL_AMDGPU_VM, &vm), 0);
	cr_expect_eq(xioctl(a, DRM_IOCTL_AMDGPU_VM, &vm), 0, "already reserved: fine");
	cr_expect_eq(xioctl(b, DRM_IOCTL_AMDGPU_VM, &vm), -EINVAL, "one reserved VMID per device");
	vm.in.flags = 1;
	cr_expect_eq(xioctl(a, DRM_IOCTL_AMDGPU_VM, &vm), -EINVAL);
	vm.in.flags = 0;
	vm.in.op = AMDGPU_VM_OP_UNRESERVE_VMID;
	cr_expect_eq(xioctl(a, DRM_IOCTL_AMDGPU_VM, &vm), 0);
	vm.in.op = AMDGPU_VM_OP_RESERVE_VMID;
	cr_expect_eq(xioctl(b, DRM_IOCTL_AMDGPU_VM, &vm), 0);
	close(b);
	close(a);
}

/* ---- BO lists ------------------------------------------------------- */

static int bo_list_op(int fd, uint32_t op, uint32_t handle, const uint32_t *bos, uint32_t n,
		      uint32_t entry_size, uint32_t *out_handle)
{
	unsigned char entries[4 * 32];
	memset(entries, 0, sizeof(entries));
	for (uint32_t i = 0; i < n; i++)
		memcpy(entries + i * entry_size, &bos[i], 4);
	union drm_amdgpu_bo_list args;
	memset(&args, 0, sizeof(args));
	args.in.operation = op;
	args.in.list_handle = handle;
	args.in.bo_number = n;
	args.in.bo_info_size = entry_size;
	args.in.bo_info_ptr = (uintptr_t)entries;
	int r = xioctl(fd, DRM_IOCTL_AMDGPU_BO_LIST, &args);
	if (out_handle)
		*out_handle = args.out.list_handle;
	return r;
}

Test(vgpu_ioctl, bo_list_validates_handles)
{
	int fd = open_node(RENDER);
	uint32_t bad[1] = { 4242 }, list = 0;
	cr_expect_eq(bo_list_op(fd, AMDGPU_BO_LIST_OP_CREATE, 0, bad, 1, 8, &list), -ENOENT);

	union drm_amdgpu_gem_create gc;
	memset(&gc, 0, sizeof(gc));
	gc.in.bo_size = 4096;
	gc.in.alignment = 4096;
	gc.in.domains = AMDGPU_GEM_DOMAIN_GTT;
	cr_assert_eq(xioctl(fd, DRM_IOCTL_AMDGPU_GEM_CREATE, &gc), 0);
	uint32_t bo[1] = { gc.out.handle };
	cr_expect_eq(bo_list_op(fd, AMDGPU_BO_LIST_OP_CREATE, 0, bo, 1, 8, &list), 0);
	cr_expect_eq(list, 1);
	/* entries of another size: copied up to min(sizes), zero-extended */
	uint32_t list2 = 0;
	cr_expect_eq(bo_list_op(fd, AMDGPU_BO_LIST_OP_CREATE, 0, bo, 1, 4, &list2), 0);
	cr_expect_eq(list2, 2);
	cr_expect_eq(bo_list_op(fd, AMDGPU_BO_LIST_OP_CREATE, 0, bo, 1, 16, NULL), 0);
	cr_expect_eq(bo_list_op(fd, AMDGPU_BO_LIST_OP_UPDATE, list, bad, 1, 8, NULL), -ENOENT);
	cr_expect_eq(bo_list_op(fd, AMDGPU_BO_LIST_OP_UPDATE, 99, bo, 1, 8, NULL), -ENOENT,
		     "update of a list that does not exist");
	cr_expect_eq(bo_list_op(fd, 7, 0, bo, 1, 8, NULL), -EINVAL);
	char desc[1024];
	cr_expect_geq(vgpu_test_open_objects(desc, sizeof(desc)), 4, "file, BO, three lists");
	cr_expect_not_null(strstr(desc, "BO list"), "%s", desc);
	cr_expect_eq(bo_list_op(fd, AMDGPU_BO_LIST_OP_DESTROY, list, NULL, 0, 8, NULL), 0);
	cr_expect_eq(bo_list_op(fd, AMDGPU_BO_LIST_OP_DESTROY, list, NULL, 0, 8, NULL), 0,
		     "destroying an unknown list is silently accepted");
	close(fd);
	cr_expect_eq(vgpu_test_open_objects(NULL, 0), 0, "closing the file releases everything");
}

/* ---- syncobjs and command submission -------------------------------- */

Test(vgpu_ioctl, syncobj_create_wait_destroy)
{
	int fd = open_node(RENDER);
	uint32_t signaled = 0, empty = 0;
	cr_assert_eq(drmSyncobjCreate(fd, DRM_SYNCOBJ_CREATE_SIGNALED, &signaled), 0);
	cr_assert_eq(drmSyncobjCreate(fd, 0, &empty), 0);
	cr_expect_neq(signaled, empty);
	struct drm_syncobj_create bad = { .flags = 2 };
	cr_expect_eq(xioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &bad), -EINVAL);
	cr_expect_eq(drmSyncobjWait(fd, &signaled, 1, 0, 0, NULL), 0);
	cr_expect_eq(drmSyncobjWait(fd, &empty, 1, 0, 0, NULL), -EINVAL, "no fence, no WAIT_FOR_SUBMIT");
	cr_expect_eq(drmSyncobjWait(fd, &empty, 1, 0, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL),
		     -ETIME);
	cr_expect_eq(drmSyncobjSignal(fd, &empty, 1), 0);
	cr_expect_eq(drmSyncobjWait(fd, &empty, 1, 0, 0, NULL), 0);
	uint32_t missing = 999;
	cr_expect_eq(drmSyncobjWait(fd, &missing, 1, 0, 0, NULL), -ENOENT);
	uint64_t point = 5, got = 0;
	cr_expect_eq(drmSyncobjTimelineSignal(fd, &empty, &point, 1), 0);
	cr_expect_eq(drmSyncobjQuery(fd, &empty, &got, 1), 0);
	cr_expect_eq(got, 5);
	cr_expect_eq(drmSyncobjDestroy(fd, signaled), 0);
	struct drm_syncobj_destroy again = { .handle = signaled };
	cr_expect_eq(xioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &again), -EINVAL);
	cr_expect_eq(drmSyncobjDestroy(fd, empty), 0);
	close(fd);
}

/* Command submission is built now (tests/test_vgpu_cs.c covers it); an
 * all-zero CS has no chunks and a zero context id names no context:
 * amdgpu_cs_parser_init and amdgpu_cs_wait_ioctl both say -EINVAL. */
Test(vgpu_ioctl, command_submission_rejects_empty_arguments)
{
	int fd = open_node(RENDER);
	union drm_amdgpu_cs cs;
	memset(&cs, 0, sizeof(cs));
	cr_expect_eq(xioctl(fd, DRM_IOCTL_AMDGPU_CS, &cs), -EINVAL);
	union drm_amdgpu_wait_cs w;
	memset(&w, 0, sizeof(w));
	cr_expect_eq(xioctl(fd, DRM_IOCTL_AMDGPU_WAIT_CS, &w), -EINVAL);
	close(fd);
}

/* ---- fdinfo and bookkeeping ----------------------------------------- */

/* amdgpu_show_fdinfo's exact text (Linux 6.1), after the generic lines. */
Test(vgpu_ioctl, fdinfo_matches_linux_6_1_format)
{
	int fd = open_node(RENDER);
	union drm_amdgpu_gem_create gc;
	memset(&gc, 0, sizeof(gc));
	gc.in.bo_size = 1 << 20;
	gc.in.alignment = 4096;
	gc.in.domains = AMDGPU_GEM_DOMAIN_VRAM;
	cr_assert_eq(xioctl(fd, DRM_IOCTL_AMDGPU_GEM_CREATE, &gc), 0);

	char path[64], text[2048];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f);
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	const char *drv = strstr(text, "pasid:\t");
	cr_assert_not_null(drv, "%s", text);
	unsigned int pasid = 0;
	unsigned long long client = 0;
	cr_assert_eq(sscanf(drv, "pasid:\t%u", &pasid), 1);
	const char *cid = strstr(drv, "drm-client-id:\t");
	cr_assert_not_null(cid);
	cr_assert_eq(sscanf(cid, "drm-client-id:\t%llu", &client), 1);
	char expect[512];
	snprintf(expect, sizeof(expect),
		 "pasid:\t%u\n"
		 "drm-driver:\tamdgpu\n"
		 "drm-pdev:\t0000:c4:00.0\n"
		 "drm-client-id:\t%llu\n"
		 "drm-memory-vram:\t1024 KiB\n"
		 "drm-memory-gtt: \t0 KiB\n"
		 "drm-memory-cpu: \t0 KiB\n",
		 pasid, client);
	cr_expect_str_eq(drv, expect);
	cr_expect_gt(pasid, 0);
	close(fd);
}

Test(vgpu_ioctl, no_open_objects_after_close)
{
	cr_expect_eq(vgpu_test_open_objects(NULL, 0), 0);
	int fd = open_node(RENDER);
	union drm_amdgpu_ctx out;
	cr_assert_eq(ctx_op(fd, AMDGPU_CTX_OP_ALLOC_CTX, 0, 0, 0, &out), 0);
	uint32_t so = 0;
	cr_assert_eq(drmSyncobjCreate(fd, 0, &so), 0);
	char desc[1024];
	int n = vgpu_test_open_objects(desc, sizeof(desc));
	cr_expect_eq(n, 3, "file, context, syncobj: %s", desc);
	cr_expect_not_null(strstr(desc, "context 1"), "%s", desc);
	cr_expect_not_null(strstr(desc, "syncobj"), "%s", desc);
	close(fd);
	cr_expect_eq(vgpu_test_open_objects(desc, sizeof(desc)), 0, "%s", desc);
}

/* ---- threads ---------------------------------------------------------- */

struct hammer {
	int fd;
	int errors;
};

static void *hammer_ctx(void *arg)
{
	struct hammer *h = arg;
	for (int i = 0; i < 200; i++) {
		union drm_amdgpu_ctx out;
		if (ctx_op(h->fd, AMDGPU_CTX_OP_ALLOC_CTX, 0, 0, 0, &out) != 0) {
			h->errors++;
			continue;
		}
		uint32_t accel = 0;
		if (info_query(h->fd, AMDGPU_INFO_ACCEL_WORKING, &accel, 4) != 0 || accel != 1)
			h->errors++;
		if (ctx_op(h->fd, AMDGPU_CTX_OP_FREE_CTX, out.out.alloc.ctx_id, 0, 0, NULL) != 0)
			h->errors++;
		char desc[256];
		vgpu_test_open_objects(desc, sizeof(desc));
	}
	return NULL;
}

/* Ioctls on one file from several threads are serialised by the file's
 * lock; the report can run concurrently. */
Test(vgpu_ioctl, concurrent_ioctls_on_one_file)
{
	int fd = open_node(RENDER);
	pthread_t t[4];
	struct hammer h[4];
	for (int i = 0; i < 4; i++) {
		h[i].fd = fd;
		h[i].errors = 0;
		cr_assert_eq(pthread_create(&t[i], NULL, hammer_ctx, &h[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		cr_expect_eq(h[i].errors, 0, "thread %d", i);
	}
	cr_expect_eq(vgpu_test_open_objects(NULL, 0), 1, "only the file is left");
	close(fd);
}

struct signaller {
	int fd;
	uint32_t handle;
};

static void *signal_later(void *arg)
{
	struct signaller *s = arg;
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	drmSyncobjSignal(s->fd, &s->handle, 1);
	return NULL;
}

/* WAIT_FOR_SUBMIT really waits: another thread's SIGNAL wakes it. */
Test(vgpu_ioctl, syncobj_wait_for_submit_is_woken)
{
	int fd = open_node(RENDER);
	struct signaller s = { .fd = fd };
	cr_assert_eq(drmSyncobjCreate(fd, 0, &s.handle), 0);
	pthread_t t;
	cr_assert_eq(pthread_create(&t, NULL, signal_later, &s), 0);
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	int64_t deadline = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec + 5000000000ll;
	cr_expect_eq(drmSyncobjWait(fd, &s.handle, 1, deadline,
				    DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL), 0);
	struct timespec after;
	clock_gettime(CLOCK_MONOTONIC, &after);
	cr_expect_lt(after.tv_sec - now.tv_sec, 4, "woken by the signal, not the timeout");
	pthread_join(t, NULL);
	drmSyncobjDestroy(fd, s.handle);
	close(fd);
}

/* ---- sysfs values and the exit report --------------------------------- */

static long long read_sysfs_number(const char *attr)
{
	char path[128], text[64] = "";
	snprintf(path, sizeof(path), "/sys/class/drm/renderD128/device/%s", attr);
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	cr_assert_gt(n, 1);
	cr_expect_eq(text[n - 1], '\n', "sysfs_emit ends with a newline");
	return strtoll(text, NULL, 10);
}

Test(vgpu_ioctl, sysfs_memory_attributes)
{
	int fd = open_node(RENDER);
	cr_expect_eq(read_sysfs_number("mem_info_vram_total"), (long long)(16 * GiB));
	cr_expect_eq(read_sysfs_number("mem_info_vis_vram_total"), (long long)(16 * GiB));
	cr_expect_eq(read_sysfs_number("mem_info_gtt_total"), (long long)(38 * GiB));
	cr_expect_eq(read_sysfs_number("gpu_busy_percent"), 0);
	long long before = read_sysfs_number("mem_info_gtt_used");
	union drm_amdgpu_gem_create gc;
	memset(&gc, 0, sizeof(gc));
	gc.in.bo_size = 2 << 20;
	gc.in.alignment = 4096;
	gc.in.domains = AMDGPU_GEM_DOMAIN_GTT;
	cr_assert_eq(xioctl(fd, DRM_IOCTL_AMDGPU_GEM_CREATE, &gc), 0);
	cr_expect_eq(read_sysfs_number("mem_info_gtt_used") - before, 2 << 20);
	uint64_t gtt_usage = 0;
	cr_expect_eq(info_query(fd, AMDGPU_INFO_GTT_USAGE, &gtt_usage, 8), 0);
	cr_expect_eq((long long)gtt_usage, read_sysfs_number("mem_info_gtt_used"),
		     "INFO and sysfs agree");
	close(fd);
}

/* Runs `body` in a child with AMDBARE_VGPU_REPORT set; returns its status. */
static int child_status(const char *report, void (*body)(void))
{
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		setenv("AMDBARE_VGPU_REPORT", report, 1);
		body();
		exit(0);
	}
	int status = 0;
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void leak_a_file(void)
{
	(void)open(RENDER, O_RDWR);
}

static void close_everything(void)
{
	int fd = open(RENDER, O_RDWR);
	union drm_amdgpu_ctx args;
	memset(&args, 0, sizeof(args));
	args.in.op = AMDGPU_CTX_OP_ALLOC_CTX;
	ioctl(fd, DRM_IOCTL_AMDGPU_CTX, &args);
	close(fd);
}

static void do_nothing(void)
{
}

/* AMDBARE_VGPU_REPORT=fatal turns a leak into exit status 99, only in the
 * process that opened the device. */
Test(vgpu_ioctl, exit_report_fatal)
{
	cr_expect_eq(child_status("fatal", leak_a_file), 99);
	cr_expect_eq(child_status("fatal", close_everything), 0);
	cr_expect_eq(child_status("1", leak_a_file), 0, "=1 reports but keeps the status");
	int fd = open_node(RENDER);
	cr_expect_eq(child_status("fatal", do_nothing), 0,
		     "a child is not blamed for its parent's open file");
	close(fd);
}

/* drm_setclientcap: the value checks, and the modesetting-DDX quirk (a
 * thread named X... asking for ATOMIC=1 is refused). */
Test(vgpu_ioctl, set_client_cap_rules)
{
	int fd = open_node(CARD);
	struct drm_set_client_cap cc = { .capability = DRM_CLIENT_CAP_WRITEBACK_CONNECTORS, .value = 1 };
	cr_expect_eq(xioctl(fd, DRM_IOCTL_SET_CLIENT_CAP, &cc), -EINVAL, "writeback needs atomic");
	cc.capability = DRM_CLIENT_CAP_UNIVERSAL_PLANES;
	cc.value = 2;
	cr_expect_eq(xioctl(fd, DRM_IOCTL_SET_CLIENT_CAP, &cc), -EINVAL);
	cc.capability = 0x77;
	cc.value = 1;
	cr_expect_eq(xioctl(fd, DRM_IOCTL_SET_CLIENT_CAP, &cc), -EINVAL);
	char old[17] = "";
	prctl(PR_GET_NAME, old, 0, 0, 0);
	prctl(PR_SET_NAME, "Xorg", 0, 0, 0);
	cc.capability = DRM_CLIENT_CAP_ATOMIC;
	cc.value = 1;
	cr_expect_eq(xioctl(fd, DRM_IOCTL_SET_CLIENT_CAP, &cc), -EOPNOTSUPP);
	prctl(PR_SET_NAME, old, 0, 0, 0);
	cr_expect_eq(xioctl(fd, DRM_IOCTL_SET_CLIENT_CAP, &cc), 0);
	cc.capability = DRM_CLIENT_CAP_WRITEBACK_CONNECTORS;
	cr_expect_eq(xioctl(fd, DRM_IOCTL_SET_CLIENT_CAP, &cc), 0);
	close(fd);
}

static unsigned int fd_pasid(int fd)
{
	char path[64], text[1024];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f);
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	const char *p = strstr(text, "pasid:\t");
	cr_assert_not_null(p);
	return (unsigned int)strtoul(p + 7, NULL, 10);
}

/* amdgpu_pasid_alloc is cyclic: a closed file's PASID is not reused at once. */
Test(vgpu_ioctl, pasids_are_allocated_cyclically)
{
	int a = open_node(RENDER);
	unsigned int pa = fd_pasid(a);
	close(a);
	int b = open_node(RENDER);
	cr_expect_eq(fd_pasid(b), pa + 1);
	int c = open_node(CARD);
	cr_expect_eq(fd_pasid(c), pa + 2);
	close(c);
	close(b);
}

/* ---- GEM flink names (drm_gem_flink_ioctl, drm_gem_open_ioctl) -------- */

static uint32_t gem_create_gtt(int fd, uint64_t size)
{
	union drm_amdgpu_gem_create gc;
	memset(&gc, 0, sizeof(gc));
	gc.in.bo_size = size;
	gc.in.alignment = 4096;
	gc.in.domains = AMDGPU_GEM_DOMAIN_GTT;
	cr_assert_eq(xioctl(fd, DRM_IOCTL_AMDGPU_GEM_CREATE, &gc), 0);
	return gc.out.handle;
}

static uint32_t *gem_cpu_map(int fd, uint32_t handle, uint64_t size)
{
	union drm_amdgpu_gem_mmap mm;
	memset(&mm, 0, sizeof(mm));
	mm.in.handle = handle;
	cr_assert_eq(xioctl(fd, DRM_IOCTL_AMDGPU_GEM_MMAP, &mm), 0);
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)mm.out.addr_ptr);
	cr_assert_neq(p, MAP_FAILED, "mmap: %s", strerror(errno));
	return p;
}

/* FLINK/OPEN are DRM_AUTH without DRM_RENDER_ALLOW: -EACCES on a render
 * node; on the primary node the master names a BO (the same name twice),
 * opens it again as a new handle of the same memory, and a name never
 * given is -ENOENT.  Another (authenticated) file opens the name too and
 * sees the same memory. */
Test(vgpu_ioctl, gem_flink_and_open_on_the_primary_node)
{
	int r = open_node(RENDER);
	uint32_t rh = gem_create_gtt(r, 4096);
	struct drm_gem_flink fl = { .handle = rh };
	cr_expect_eq(xioctl(r, DRM_IOCTL_GEM_FLINK, &fl), -EACCES);
	struct drm_gem_open op = { .name = 1 };
	cr_expect_eq(xioctl(r, DRM_IOCTL_GEM_OPEN, &op), -EACCES);

	int card = open_node(CARD);
	uint32_t h = gem_create_gtt(card, 8192);
	uint32_t *cpu = gem_cpu_map(card, h, 8192);
	cpu[0] = 0xf11e;
	cpu[2047] = 0x0bed;
	fl = (struct drm_gem_flink){ .handle = h + 100 };
	cr_expect_eq(xioctl(card, DRM_IOCTL_GEM_FLINK, &fl), -ENOENT, "no such handle");
	fl.handle = h;
	cr_assert_eq(xioctl(card, DRM_IOCTL_GEM_FLINK, &fl), 0);
	uint32_t name = fl.name;
	cr_assert_neq(name, 0);
	cr_expect_eq(xioctl(card, DRM_IOCTL_GEM_FLINK, &fl), 0);
	cr_expect_eq(fl.name, name, "an object keeps its name");

	op = (struct drm_gem_open){ .name = name + 1000 };
	cr_expect_eq(xioctl(card, DRM_IOCTL_GEM_OPEN, &op), -ENOENT);
	op = (struct drm_gem_open){ .name = name };
	cr_assert_eq(xioctl(card, DRM_IOCTL_GEM_OPEN, &op), 0);
	cr_expect_eq(op.size, 8192);
	cr_expect_neq(op.handle, h, "GEM_OPEN makes a new handle");
	uint32_t *again = gem_cpu_map(card, op.handle, 8192);
	cr_expect_eq(again[2047], 0x0bed, "the same memory");

	/* A second primary-node file is not the master: -EACCES until the
	 * master authenticates its magic; then it opens the name too. */
	int other = open_node(CARD);
	struct drm_gem_open o = { .name = name };
	cr_expect_eq(xioctl(other, DRM_IOCTL_GEM_OPEN, &o), -EACCES);
	struct drm_auth auth = { 0 };
	cr_assert_eq(xioctl(other, DRM_IOCTL_GET_MAGIC, &auth), 0);
	cr_assert_eq(xioctl(card, DRM_IOCTL_AUTH_MAGIC, &auth), 0);
	cr_assert_eq(xioctl(other, DRM_IOCTL_GEM_OPEN, &o), 0);
	cr_expect_eq(o.size, 8192);
	uint32_t *third = gem_cpu_map(other, o.handle, 8192);
	cr_expect_eq(third[0], 0xf11e);
	third[1] = 0xc41d;
	cr_expect_eq(cpu[1], 0xc41d, "the other file wrote the same memory");
	munmap(third, 8192);
	close(other);
	munmap(again, 8192);
	munmap(cpu, 8192);
	close(card);
	close(r);
}
