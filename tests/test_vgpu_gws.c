/*
 * Global Wave Sync on the vgpu: a submission whose BO list holds a GWS BO
 * gets a GWS partition (drm/gds.c), and the shader core executes
 * ds_gws_init/barrier/sema_* across the whole dispatch (shader/ds.c,
 * shader/dispatch.c).  The kernels are what llc-19 makes of
 * llvm.amdgcn.ds.gws.* for gfx1100 (tests/shader/gws.ll).  Only the vgpu
 * has run them.
 */
#include "vgpu_rig.h"
#include "stderr_capture.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
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

/* Runs the code as `groups` wave32 workgroups of `threads`; the stderr the
 * vgpu printed lands in `log`. */
static int run(const uint32_t *code, size_t n, uint32_t groups, uint32_t threads,
	       struct rig_buf **out, char *log, size_t cap)
{
	struct rig_buf *prog = vgpu_rig_program(code, n);
	*out = vgpu_rig_buf_new(4096);
	uint32_t ctx = vgpu_rig_ctx_new();
	struct stderr_capture cap_state;
	stderr_capture_begin(&cap_state);
	int r = vgpu_rig_dispatch(ctx, prog, groups, threads, 0, false, *out);
	stderr_capture_end(&cap_state, log, cap);
	return r;
}

/* 4 workgroups of 2 waves: every wave reads the count every lane added
 * before the barrier, so each of the 8 sees all 256 additions (without
 * the barrier the first wave to run would see its own 32). */
Test(vgpu_gws, grid_barrier_across_workgroups)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GWS, 64);
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(run(gws_barrier, N(gws_barrier), 4, 64, &out, log, sizeof(log)), 0, "%s", log);
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
	cr_assert_eq(run(gws_sema, N(gws_sema), 3, 32, &out, log, sizeof(log)), 0, "%s", log);
	const uint32_t *o = out->cpu;
	cr_expect_eq(o[2], 0x55);
	cr_expect_eq(o[3], 0x55);
}

Test(vgpu_gws, semaphore_release_all)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GWS, 64);
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(run(gws_release, N(gws_release), 3, 32, &out, log, sizeof(log)), 0, "%s", log);
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
	cr_assert_eq(run(gws_stuck, N(gws_stuck), 2, 32, &out, log, sizeof(log)), -ECANCELED);
	cr_expect(strstr(log, "GWS deadlock") && strstr(log, "2 in ds_gws_sema_p"), "%s", log);
}

/* Without a GWS BO the job's VMID has no GWS partition. */
Test(vgpu_gws, no_partition_without_gws_bo)
{
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(run(gws_barrier, N(gws_barrier), 1, 32, &out, log, sizeof(log)), -ECANCELED);
	cr_expect(strstr(log, "no GWS partition"), "%s", log);
}

/* Resource 1 is outside a one-resource partition and inside a two. */
Test(vgpu_gws, resource_outside_partition)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GWS, 1);
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(run(gws_outside, N(gws_outside), 1, 32, &out, log, sizeof(log)), -ECANCELED);
	cr_expect(strstr(log, "GWS resource 1") && strstr(log, "partition of 1"), "%s", log);
}

Test(vgpu_gws, resource_inside_partition)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GWS, 2);
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(run(gws_outside, N(gws_outside), 1, 32, &out, log, sizeof(log)), 0, "%s", log);
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
