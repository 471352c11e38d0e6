/*
 * Global Wave Sync on the vgpu: a submission whose BO list holds a GWS BO
 * gets a GWS partition (drm/gds.c), and the shader core executes
 * ds_gws_init/barrier/sema_* across the whole dispatch (shader/ds.c,
 * shader/dispatch.c).  The kernels are what llc-19 makes of
 * llvm.amdgcn.ds.gws.* for gfx1100, gfx1030 (680m) and gfx902 (raven)
 * (tests/shader/gws.ll).  Only the vgpu has run them.
 */
#include "vgpu_rig.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <amdgpu.h>
#include <amdgpu_drm.h>

TestSuite(vgpu_gws, .init = vgpu_rig_setup, .fini = vgpu_rig_teardown);

static const uint32_t gws_barrier[] = {
	0xbe83007e, 0xbe84007e, 0xd71f0001, 0x00010003, 0xbf870001, 0x7d940280,
	0xbfa50006, 0xbe831803, 0xbf870009, 0xca100080, 0x01020003, 0xdcd60000,
	0x00000201, 0x8c7e047e, 0x7c9800a0, 0xbf068002, 0xbefd0080, 0x980380c1,
	0xbf870499, 0x8b046a03, 0xbe832004, 0xbfa50004, 0x7e020287, 0xd8660000,
	0x00000001, 0xbf890000, 0x8c7e037e, 0xca100087, 0x01020080, 0xbc7c0000,
	0x32000085, 0x84028102, 0xd8760000, 0x00000001, 0xbf890000, 0xe0b00000,
	0x00000000, 0xe0ac0000, 0x00000000, 0xdc524000, 0x02000002, 0xd6550000,
	0x02060002, 0xbf870091, 0x3402009f, 0xd73c0000, 0x00020082, 0xbf870111,
	0xd7006a00, 0x00020000, 0x40020201, 0xbf8903f7, 0xdc6a0000, 0x007c0200,
	0xbf800000, 0xbfb60003, 0xbfb00000,
};

static const uint32_t gws_sema[] = {
	0x7e000280, 0xbf078202, 0xbefd0080, 0xbfa2000a, 0xca1000ff, 0x01020082,
	0x00000055, 0xdc6a0004, 0x00000100, 0xbc7c0000, 0xd86e0002, 0x00000002,
	0xbf890000, 0xbfb00000, 0xd8720002, 0x00000000, 0xbf890000, 0xe0b00000,
	0x00000000, 0xe0ac0000, 0x00000000, 0xdc524004, 0x01000000, 0x81028202,
	0xbf870499, 0x86039f02, 0x84828202, 0xbf870009, 0x80000200, 0x82010301,
	0xbf8903f7, 0xdc6a0000, 0x00000100, 0xbf800000, 0xbfb60003, 0xbfb00000,
};

static const uint32_t gws_release[] = {
	0x7e000280, 0xbf078202, 0xbefd0080, 0xbfa20009, 0x7e0202ff, 0x00000056,
	0xdc6a0004, 0x00000100, 0xbc7c0000, 0xd8620002, 0x00000000, 0xbf890000,
	0xbfb00000, 0xd8720002, 0x00000000, 0xbf890000, 0xe0b00000, 0x00000000,
	0xe0ac0000, 0x00000000, 0xdc524004, 0x01000000, 0x81028202, 0xbf870499,
	0x86039f02, 0x84828202, 0xbf870009, 0x80000200, 0x82010301, 0xbf8903f7,
	0xdc6a0000, 0x00000100, 0xbf800000, 0xbfb60003, 0xbfb00000,
};

static const uint32_t gws_stuck[] = {
	0xbefd0080, 0xd8720000, 0x00000000, 0xbf890000, 0xbfb00000,
};

static const uint32_t gws_outside[] = {
	0xbefd0080, 0xd86a0001, 0x00000000, 0xbf890000, 0xbfb00000, 0xbf9f0000,
	0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000,
	0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000,
	0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000,
	0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000,
	0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000,
	0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000,
	0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000,
	0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000,
	0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000,
	0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000,
	0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000,
	0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000,
	0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000,
	0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000,
	0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000,
	0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000,
	0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000,
	0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000,
	0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000,
	0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000, 0xbf9f0000,
	0xbf9f0000, 0xbf9f0000,
};

#define N(a) (sizeof(a) / sizeof((a)[0]))


/* 4 workgroups of 2 waves: every wave reads the count every lane added
 * before the barrier, so each of the 8 sees all 256 additions (without
 * the barrier the first wave to run would see its own 32). */
Test(vgpu_gws, grid_barrier_across_workgroups)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GWS, 64);
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(vgpu_rig_run_logged(gws_barrier, N(gws_barrier), 4, 64, false,
						&out, log, sizeof(log)), 0, "%s", log);
	const uint32_t *o = out->cpu;
	cr_expect_eq(o[0], 256);
	for (int i = 1; i <= 8; i++)
		cr_expect_eq(o[i], 256, "wave %d read %u before the others arrived", i - 1, o[i]);
}

/* Workgroups 0 and 1 wait in ds_gws_sema_p (they run first) until
 * workgroup 2 stores 0x55 and ds_gws_sema_br releases two. */
Test(vgpu_gws, semaphore_bulk_release)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GWS, 64);
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(vgpu_rig_run_logged(gws_sema, N(gws_sema), 3, 32, false,
						&out, log, sizeof(log)), 0, "%s", log);
	const uint32_t *o = out->cpu;
	cr_expect_eq(o[2], 0x55);
	cr_expect_eq(o[3], 0x55);
}

Test(vgpu_gws, semaphore_release_all)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GWS, 64);
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(vgpu_rig_run_logged(gws_release, N(gws_release), 3, 32, false,
						&out, log, sizeof(log)), 0, "%s", log);
	const uint32_t *o = out->cpu;
	cr_expect_eq(o[2], 0x56);
	cr_expect_eq(o[3], 0x56);
}

/* A P nothing will release: a fault naming the deadlock, not a hang. */
Test(vgpu_gws, deadlock_is_a_fault)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GWS, 64);
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(vgpu_rig_run_logged(gws_stuck, N(gws_stuck), 2, 32, false,
						&out, log, sizeof(log)), -ECANCELED);
	cr_expect(strstr(log, "GWS deadlock") && strstr(log, "2 in ds_gws_sema_p"), "%s", log);
}

/* Without a GWS BO the job's VMID has no GWS partition. */
Test(vgpu_gws, no_partition_without_gws_bo)
{
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(vgpu_rig_run_logged(gws_barrier, N(gws_barrier), 1, 32, false,
						&out, log, sizeof(log)), -ECANCELED);
	cr_expect(strstr(log, "no GWS partition"), "%s", log);
}

/* Resource 1 is outside a one-resource partition and inside a two. */
Test(vgpu_gws, resource_outside_partition)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GWS, 1);
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(vgpu_rig_run_logged(gws_outside, N(gws_outside), 1, 32, false,
						&out, log, sizeof(log)), -ECANCELED);
	cr_expect(strstr(log, "GWS resource 1") && strstr(log, "partition of 1"), "%s", log);
}

Test(vgpu_gws, resource_inside_partition)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GWS, 2);
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(vgpu_rig_run_logged(gws_outside, N(gws_outside), 1, 32, false,
						&out, log, sizeof(log)), 0, "%s", log);
}

/* The 780M (gfx11) has 64 GWS resources, 16 OA and 4 KiB of GDS
 * (gfx_v11_0_set_gds_init): a list whose BOs fit is accepted; one whose
 * BOs of a domain do not fit is refused by the CS with -ENOMEM
 * (ttm_bo_validate). */
static const uint32_t endpgm[] = { 0xbfb00000 };

static int submit_endpgm(void)
{
	struct rig_buf *prog = vgpu_rig_program(endpgm, 1);
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	return vgpu_rig_dispatch(vgpu_rig_ctx_new(), prog, 1, 32, 0, false, out);
}

/* s_endpgm as gfx10.3 and gfx9 encode it, in a wave64 dispatch */
static int submit_endpgm_wave(bool pre_gfx11)
{
	static const uint32_t endpgm_old[] = { 0xbf810000 };
	struct rig_buf *prog = vgpu_rig_program(pre_gfx11 ? endpgm_old : endpgm, 1);
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	return vgpu_rig_dispatch(vgpu_rig_ctx_new(), prog, 1, 64, 0, true, out);
}

Test(vgpu_gws, cs_accepts_full_ranges)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GWS, 64);
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_OA, 16);
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GDS, 4096);
	cr_expect_eq(submit_endpgm(), 0);
}

Test(vgpu_gws, cs_refuses_gws_past_range)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GWS, 40);
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GWS, 25);
	cr_expect_eq(submit_endpgm(), -ENOMEM);
}

Test(vgpu_gws, cs_refuses_oa_past_range)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_OA, 17);
	cr_expect_eq(submit_endpgm(), -ENOMEM);
}

Test(vgpu_gws, cs_refuses_gds_past_range)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GDS, 4100);
	cr_expect_eq(submit_endpgm(), -ENOMEM);
}

/* ---- gfx10.3 (680m, GC 10.3.3) and gfx9 (raven, GC 9.1.0) -------------- */

/* the same kernels as llc-19 compiles them for gfx1030 (wave32) and
 * gfx902 (wave64) */
static const uint32_t gfx103_barrier[] = {
	0xbe83037e, 0xbe84037e, 0xd7650001, 0x00010003, 0x7da40280, 0xbf880005,
	0xbe830f03, 0x7e020280, 0x7e040203, 0xdcc88000, 0x00000201, 0x887e047e,
	0x7d8800a0, 0xbf068002, 0xbefc0380, 0x850380c1, 0x87046a03, 0xbe833c04,
	0xbf880004, 0x7e020287, 0xd8660000, 0x00000001, 0xbf8c0000, 0x887e037e,
	0x7e020287, 0x7e040280, 0xbbfd0000, 0x2c000085, 0x8f028102, 0xd8760000,
	0x00000001, 0xbf8c0000, 0xe1c80000, 0x00000000, 0xe1c40000, 0x00000000,
	0xdc319000, 0x02000002, 0xd76d0000, 0x02060002, 0x3002009f, 0xd6ff0000,
	0x00020082, 0xd70f6a00, 0x00020000, 0x50020201, 0xbf8c3f70, 0xdc708000,
	0x007d0200, 0xbf810000,
};

static const uint32_t gfx103_sema[] = {
	0x7e000280, 0xbf078202, 0xbefc0380, 0xbf85000a, 0x7e0202ff, 0x00000055,
	0x7e040282, 0xdc708004, 0x00000100, 0xbbfd0000, 0xd86e0002, 0x00000002,
	0xbf8c0000, 0xbf810000, 0xd8720002, 0x00000000, 0xbf8c0000, 0xe1c80000,
	0x00000000, 0xe1c40000, 0x00000000, 0xdc319004, 0x01000000, 0x81028202,
	0x91039f02, 0x8f828202, 0x80000200, 0x82010301, 0xbf8c3f70, 0xdc708000,
	0x00000100, 0xbf810000,
};

static const uint32_t gfx103_release[] = {
	0x7e000280, 0xbf078202, 0xbefc0380, 0xbf850009, 0x7e0202ff, 0x00000056,
	0xdc708004, 0x00000100, 0xbbfd0000, 0xd8620002, 0x00000000, 0xbf8c0000,
	0xbf810000, 0xd8720002, 0x00000000, 0xbf8c0000, 0xe1c80000, 0x00000000,
	0xe1c40000, 0x00000000, 0xdc319004, 0x01000000, 0x81028202, 0x91039f02,
	0x8f828202, 0x80000200, 0x82010301, 0xbf8c3f70, 0xdc708000, 0x00000100,
	0xbf810000,
};

static const uint32_t gfx9_barrier[] = {
	0xbe86017e, 0xd28c0001, 0x00010006, 0xd28d0001, 0x00020207, 0x7d940280,
	0xbe84206a, 0xbf880005, 0xbe830d06, 0x7e020280, 0x7e040203, 0xdd088000,
	0x00000201, 0x87fe047e, 0xbf068002, 0x858480c1, 0x7d9800a0, 0x86866a04,
	0xbefc0080, 0xbe842006, 0xbf880004, 0x7e020287, 0xd9330000, 0x00000001,
	0xbf8c0000, 0x87fe047e, 0x7e020280, 0x7e040287, 0xbf8c0f70, 0xd93b0000,
	0x00000002, 0xbf8c0000, 0xe0f80000, 0x00000000, 0xdc518000, 0x02000001,
	0x20000085, 0x8e028102, 0xd1ff0000, 0x02060002, 0x2202009f, 0xd28f0000,
	0x00020082, 0x7e060201, 0x32000000, 0x38020303, 0xbf8c0f70, 0xdc708000,
	0x007f0200, 0xbf810000,
};

static const uint32_t gfx9_sema[] = {
	0xbf078202, 0x7e000280, 0xbefc0080, 0xbf85000a, 0x7e0202ff, 0x00000055,
	0xdc708004, 0x00000100, 0x7e000282, 0xbf8c0f70, 0xd9370002, 0x00000000,
	0xbf8c0000, 0xbf810000, 0xd9390002, 0x00000000, 0xbf8c0000, 0xe0f80000,
	0x00000000, 0xdc518004, 0x01000000, 0x81028202, 0x90039f02, 0x8e828202,
	0x80000200, 0x82010301, 0xbf8c0f70, 0xdc708000, 0x00000100, 0xbf810000,
};

static const uint32_t gfx9_release[] = {
	0xbf078202, 0x7e000280, 0xbefc0080, 0xbf850009, 0x7e0202ff, 0x00000056,
	0xdc708004, 0x00000100, 0xbf8c0f70, 0xd9310002, 0x00000000, 0xbf8c0000,
	0xbf810000, 0xd9390002, 0x00000000, 0xbf8c0000, 0xe0f80000, 0x00000000,
	0xdc518004, 0x01000000, 0x81028202, 0x90039f02, 0x8e828202, 0x80000200,
	0x82010301, 0xbf8c0f70, 0xdc708000, 0x00000100, 0xbf810000,
};


/* INFO_GDS_CONFIG as amdgpu_info_ioctl reports adev->gds */
static void expect_gds_info(uint32_t gds)
{
	struct amdgpu_gds_resource_info info;
	cr_assert_eq(amdgpu_query_gds_info(vgpu_rig_device(), &info), 0);
	cr_expect_eq(info.gds_total_size, gds);
	cr_expect_eq(info.compute_partition_size, gds);
	cr_expect_eq(info.gws_per_compute_partition, 64);
	cr_expect_eq(info.oa_per_compute_partition, 16);
}

TestSuite(vgpu_gws_gfx103, .init = vgpu_rig_setup_680m, .fini = vgpu_rig_teardown);
TestSuite(vgpu_gws_gfx9, .init = vgpu_rig_setup_raven, .fini = vgpu_rig_teardown);

Test(vgpu_gws_gfx103, grid_barrier_across_workgroups)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GWS, 64);
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(vgpu_rig_run_logged(gfx103_barrier, N(gfx103_barrier), 4, 64, false, &out, log,
			      sizeof(log)), 0, "%s", log);
	const uint32_t *o = out->cpu;
	cr_expect_eq(o[0], 256);
	for (int i = 1; i <= 8; i++)
		cr_expect_eq(o[i], 256, "wave %d read %u", i - 1, o[i]);
}

Test(vgpu_gws_gfx103, semaphore_bulk_release)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GWS, 64);
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(vgpu_rig_run_logged(gfx103_sema, N(gfx103_sema), 3, 32, false,
						&out, log, sizeof(log)),
		     0, "%s", log);
	const uint32_t *o = out->cpu;
	cr_expect_eq(o[2], 0x55);
	cr_expect_eq(o[3], 0x55);
}

/* gfx_v10_0_set_gds_init: 64 KiB of GDS */
Test(vgpu_gws_gfx103, gds_range_is_64k)
{
	expect_gds_info(0x10000);
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GDS, 0x10000);
	cr_expect_eq(submit_endpgm_wave(true), 0);
}

Test(vgpu_gws_gfx103, gds_past_64k_refused)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GDS, 0x10004);
	cr_expect_eq(submit_endpgm_wave(true), -ENOMEM);
}

/* 8 wave64 workgroups: 512 additions, each half-wave's store sees them
 * all */
Test(vgpu_gws_gfx9, grid_barrier_across_workgroups)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GWS, 64);
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(vgpu_rig_run_logged(gfx9_barrier, N(gfx9_barrier), 8, 64, true,
						&out, log, sizeof(log)),
		     0, "%s", log);
	const uint32_t *o = out->cpu;
	cr_expect_eq(o[0], 512);
	for (int i = 1; i <= 16; i++)
		cr_expect_eq(o[i], 512, "half-wave %d read %u", i - 1, o[i]);
}

Test(vgpu_gws_gfx9, semaphore_release_all)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GWS, 64);
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(vgpu_rig_run_logged(gfx9_release, N(gfx9_release), 3, 32, true,
						&out, log, sizeof(log)),
		     0, "%s", log);
	const uint32_t *o = out->cpu;
	cr_expect_eq(o[2], 0x56);
	cr_expect_eq(o[3], 0x56);
}

/* gfx_v9_0_set_gds_init: GC 9.1.0 (raven) has 4 KiB of GDS */
Test(vgpu_gws_gfx9, gds_range_is_4k)
{
	expect_gds_info(0x1000);
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GDS, 0x1004);
	cr_expect_eq(submit_endpgm_wave(true), -ENOMEM);
}

Test(vgpu_gws_gfx103, semaphore_release_all)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GWS, 64);
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(vgpu_rig_run_logged(gfx103_release, N(gfx103_release), 3, 32, false, &out, log,
			      sizeof(log)), 0, "%s", log);
	const uint32_t *o = out->cpu;
	cr_expect_eq(o[2], 0x56);
	cr_expect_eq(o[3], 0x56);
}

Test(vgpu_gws_gfx9, semaphore_bulk_release)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GWS, 64);
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(vgpu_rig_run_logged(gfx9_sema, N(gfx9_sema), 3, 32, true,
						&out, log, sizeof(log)),
		     0, "%s", log);
	const uint32_t *o = out->cpu;
	cr_expect_eq(o[2], 0x55);
	cr_expect_eq(o[3], 0x55);
}
