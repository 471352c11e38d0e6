/*
 * gfx10.3 (RDNA2) on the library side, without a device: the generation
 * table, the PM4 packets whose form differs from gfx11, the scratch set-up
 * (COMPUTE_TMPRING_SIZE, the private segment buffer V#, flat scratch
 * init) and a whole dispatch of a real gfx1035 kernel built by clang-19.
 * Nothing here runs a kernel; on the vgpu a fill runs through its gfx10.3
 * command processor and SDMA 5.2.  Every expected value is derived in the comment next to it from
 * the kernel headers, ROCr or Mesa, never from the library's own table:
 *   K:gc103     drivers/gpu/drm/amd/include/asic_reg/gc/gc_10_3_0_offset.h, _sh_mask.h
 *   K:nvd.h     drivers/gpu/drm/amd/amdgpu/nvd.h
 *   K:gfx10     drivers/gpu/drm/amd/amdgpu/gfx_v10_0.c (Linux 6.12)
 *   ROCr        AqlQueue::InitScratchSRD, SQ_BUF_RSRC_WORD3_GFX10
 */
#include "codeobj/internal.h"
#include "dispatch/internal.h"
#include "gfx/ib_dwbuf.h"
#include "gfx/pm4_builder.h"
#include "gfx/regs_gen.h"
#include "vgpu_test.h"

#include "sh_replay.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEG0 0x1260u /* sienna_cichlid_ip_offset.h GC_BASE__INST0_SEG0 */

static uint32_t store[1024];
static struct ab_dwbuf buf;
static struct ab_pm4 pm4;

static void setup(void)
{
	memset(store, 0xcc, sizeof(store));
	ab_dwbuf_init_fixed(&buf, store, 1024);
	pm4 = (struct ab_pm4){&buf, &ab_gfx_gen_gfx103, true};
}

TestSuite(gfx103, .init = setup);

Test(gfx103, table_offsets_are_header_values_plus_seg0)
{
	const struct ab_gfx_gen *g = ab_gfx_gen_lookup(10, 3);
	cr_assert_eq(g, &ab_gfx_gen_gfx103, "GC 10.3.x has its table");
	cr_assert_str_eq(g->name, "gfx10.3");
	cr_assert_null(ab_gfx_gen_lookup(10, 1), "RDNA1 (GC 10.1) has none");
	cr_assert_neq(ab_gfx_gen_lookup(11, 0), g);
	/* K:gc103 mmCOMPUTE_* (BASE_IDX 0) + SEG0 */
	cr_expect_eq(g->compute_dispatch_initiator, 0x1ba0 + SEG0);
	cr_expect_eq(g->compute_start_x, 0x1ba4 + SEG0);
	cr_expect_eq(g->compute_num_thread_x, 0x1ba7 + SEG0);
	cr_expect_eq(g->compute_pgm_lo, 0x1bac + SEG0);
	cr_expect_eq(g->compute_pgm_hi, 0x1bad + SEG0);
	cr_expect_eq(g->compute_pgm_rsrc1, 0x1bb2 + SEG0);
	cr_expect_eq(g->compute_pgm_rsrc2, 0x1bb3 + SEG0);
	cr_expect_eq(g->compute_pgm_rsrc3, 0x1bc8 + SEG0);
	cr_expect_eq(g->compute_resource_limits, 0x1bb5 + SEG0);
	cr_expect_eq(g->compute_static_thread_mgmt_se0, 0x1bb6 + SEG0);
	cr_expect_eq(g->compute_tmpring_size, 0x1bb8 + SEG0);
	cr_expect_eq(g->compute_restart_x, 0x1bbb + SEG0);
	cr_expect_eq(g->compute_user_data_0, 0x1be0 + SEG0);
	cr_expect_eq(g->compute_user_data_count, 0x1bef - 0x1be0 + 1);
	/* K:gc103 sh_mask COMPUTE_DISPATCH_INITIATOR__*__SHIFT 0, 2, 0xf */
	cr_expect_eq(g->initiator_compute_shader_en, 0x1u);
	cr_expect_eq(g->initiator_force_start_at_000, 0x4u);
	cr_expect_eq(g->initiator_cs_w32_en, 0x8000u);
	/* K:gc103 sh_mask COMPUTE_TMPRING_SIZE__WAVESIZE_MASK 0x01FFF000 */
	cr_expect_eq(g->tmpring_wavesize_max << 12, 0x01FFF000u);
	cr_expect_eq(g->tmpring_wavesize_unit, 1024u, "LLVM gfx10: alignto(size, 1024) / 1024");
	cr_expect_eq(g->scratch, AB_SCRATCH_BUFFER_SRD);
}

Test(gfx103, acquire_mem_is_gfx_v10_0_emit_mem_sync)
{
	cr_assert_eq(ab_pm4_acquire_mem(&pm4), 0);
	/* K:gfx10 gfx_v10_0_emit_mem_sync, K:nvd.h PACKET3_ACQUIRE_MEM_GCR_CNTL_*:
	 * GL2_INV(1)<<14 | GL2_WB(1)<<15 | GLM_INV<<5 | GLM_WB<<4 | GL1_INV<<9 |
	 * GLV_INV<<8 | GLK_INV<<7 | GLI_INV<<0 */
	uint32_t gcr = (1u << 14) | (1u << 15) | (1u << 5) | (1u << 4) | (1u << 9) | (1u << 8) |
		       (1u << 7) | (1u << 0);
	/* PACKET3(ACQUIRE_MEM 0x58, 6) with the compute bit */
	uint32_t want[8] = {(3u << 30) | (6u << 16) | (0x58u << 8) | 2u, 0, 0xffffffffu, 0xffffffu,
			    0, 0, 0xa, gcr};
	cr_assert_eq(buf.len, 8u);
	for (int i = 0; i < 8; i++)
		cr_expect_eq(store[i], want[i], "dword %d: 0x%08x, expected 0x%08x", i, store[i],
			     want[i]);
}

Test(gfx103, release_mem_is_gfx_v10_0_ring_emit_fence)
{
	cr_assert_eq(ab_pm4_release_mem(&pm4, 0x123456789a8ull, 0x1122334455667788ull, true), 0);
	cr_assert_eq(ab_pm4_release_mem(&pm4, 0x40, 7, false), 0);
	/* K:gfx10 gfx_v10_0_ring_emit_fence with K:nvd.h: GCR_SEQ 1<<22 |
	 * GCR_GL2_WB 1<<21 | GCR_GLM_INV 1<<13 | GCR_GLM_WB 1<<12 |
	 * CACHE_POLICY(3)<<25 | EVENT_TYPE(CACHE_FLUSH_AND_INV_TS_EVENT 0x14,
	 * navi10_enum.h) | EVENT_INDEX(5)<<8 */
	uint32_t cntl = (1u << 22) | (1u << 21) | (1u << 13) | (1u << 12) | (3u << 25) | 0x14u |
			(5u << 8);
	uint32_t hdr = (3u << 30) | (6u << 16) | (0x49u << 8) | 2u;
	uint32_t want[16] = {hdr, cntl, 2u << 29, 0x456789a8u, 0x123u, 0x55667788u, 0x11223344u, 0,
			     hdr, cntl, 1u << 29, 0x40, 0, 7, 0, 0};
	cr_assert_eq(buf.len, 16u);
	for (int i = 0; i < 16; i++)
		cr_expect_eq(store[i], want[i], "dword %d: 0x%08x, expected 0x%08x", i, store[i],
			     want[i]);
}

Test(gfx103, nop_and_partial_flush)
{
	cr_assert_eq(ab_pm4_nop(&pm4, 1), 0);
	cr_assert_eq(ab_pm4_cs_partial_flush(&pm4), 0);
	/* K:gfx10 .nop = PACKET3(PACKET3_NOP 0x10, 0x3FFF) */
	cr_expect_eq(store[0], (3u << 30) | (0x3fffu << 16) | (0x10u << 8));
	/* EVENT_WRITE: CS_PARTIAL_FLUSH 7 (navi10_enum.h), EVENT_INDEX 4 */
	cr_expect_eq(store[1], (3u << 30) | (0u << 16) | (0x46u << 8) | 2u);
	cr_expect_eq(store[2], 7u | (4u << 8));
}

/* ROCr's gfx10 scratch V# with INDEX_STRIDE set for the wave size. */
static void rocr_srd(uint64_t va, uint32_t bytes, uint32_t index_stride, uint32_t w[4])
{
	w[0] = (uint32_t)va;                                 /* BASE_ADDRESS */
	w[1] = (uint32_t)(va >> 32) | (0u << 16) /* STRIDE */ | (0u << 30) /* CACHE_SWIZZLE */ |
	       (1u << 31) /* SWIZZLE_ENABLE */;
	w[2] = bytes;                                        /* NUM_RECORDS */
	w[3] = 4u | (5u << 3) | (6u << 6) | (7u << 9)         /* DST_SEL = SQ_SEL_X, Y, Z, W */
	       | (20u << 12)                                 /* FORMAT BUF_FORMAT_32_UINT */
	       | (index_stride << 21) | (1u << 23)           /* ADD_TID_ENABLE */
	       | (1u << 24)                                  /* RESOURCE_LEVEL */
	       | (2u << 28)                                  /* OOB_SELECT 2 */
	       | (0u << 30);                                 /* TYPE SQ_RSRC_BUF */
}

Test(gfx103, scratch_srd_and_tmpring)
{
	uint32_t got[4], want[4];
	ab_gfx103_scratch_srd(0x7f1234560000ull, 0x480000, 1, got);
	rocr_srd(0x7f1234560000ull, 0x480000, 2 /* 32 lanes */, want);
	cr_assert_arr_eq(got, want, sizeof(want));
	cr_expect_eq(got[3], 0x21c14facu, "the whole word3 for wave32, added up by hand");
	ab_gfx103_scratch_srd(0x7f1234560000ull, 0x480000, 0, got);
	rocr_srd(0x7f1234560000ull, 0x480000, 3 /* 64 lanes */, want);
	cr_assert_arr_eq(got, want, sizeof(want));
	ab_gfx103_scratch_srd(0, 0, 1, got);
	cr_expect(got[0] == 0 && got[1] == 0 && got[2] == 0 && got[3] == 0, "null V#");

	/* COMPUTE_TMPRING_SIZE: WAVES 0..11 | WAVESIZE 12..24 in 1 KiB units on
	 * gfx10.3 (LLVM's gfx10 test: WAVESIZE = alignto(size, 1024) / 1024),
	 * 256-byte units on gfx11 (the same bytes give 4x the count). */
	cr_expect_eq(ab_scratch_tmpring_gen(&ab_gfx_gen_gfx103, 384, 9216), 384u | (9u << 12));
	cr_expect_eq(ab_scratch_tmpring_gen(&ab_gfx_gen_gfx11, 384, 9216), 384u | (36u << 12));
	cr_expect_eq(ab_scratch_tmpring(384, 4352), ab_scratch_tmpring_gen(&ab_gfx_gen_gfx11, 384, 4352));
}

static amdbare_codeobj *load(const char *name)
{
	char path[512];
	const char *top = getenv("AMDBARE_TOP");
	snprintf(path, sizeof(path), "%s/tests/codeobj/%s", top ? top : ".", name);
	amdbare_codeobj *co = NULL;
	cr_assert_eq(amdbare_codeobj_load_file(path, &co), 0, "%s: %s", path, amdbare_last_error());
	cr_assert_str_eq(amdbare_codeobj_processor(co), "gfx1035");
	return co;
}

/* The scratch plan in 1 KiB units: 264 bytes per lane (LLVM's
 * .amdhsa_private_segment_fixed_size for scratch.cl). */
Test(gfx103, scratch_plan_uses_1k_units)
{
	amdbare_codeobj *co = load("scratch_gfx1035.co");
	const amdbare_kernel_info *k = amdbare_codeobj_kernel_at(co, 0);
	cr_assert_eq(k->private_segment_fixed_size, 264);
	cr_assert(k->private_segment && k->wave32);
	struct ab_dispatch_plan plan = {0};
	cr_assert_eq(ab_dispatch_plan_scratch(k, &ab_gfx_gen_gfx103, &plan), 0);
	cr_expect_eq(plan.scratch_lane_bytes, 264);
	cr_expect_eq(plan.scratch_wave_bytes, 9216, "264 x 32 = 8448, rounded up to 9 KiB");
	memset(&plan, 0, sizeof(plan));
	cr_assert_eq(ab_dispatch_plan_scratch(k, &ab_gfx_gen_gfx11, &plan), 0);
	cr_expect_eq(plan.scratch_wave_bytes, 8448, "gfx11: 33 x 256");
	amdbare_codeobj_free(co);

	co = load("scratch_gfx1035_w64.co");
	k = amdbare_codeobj_kernel_at(co, 0);
	cr_assert(!k->wave32);
	memset(&plan, 0, sizeof(plan));
	cr_assert_eq(ab_dispatch_plan_scratch(k, &ab_gfx_gen_gfx103, &plan), 0);
	cr_expect_eq(plan.scratch_wave_bytes, 17408, "264 x 64 = 16896, rounded up to 17 KiB");
	amdbare_codeobj_free(co);
}


/* The kernel clang-19 built for gfx1035 takes s[0:3] = private segment
 * buffer, s[4:5] = kernarg pointer, s[6:7] = flat scratch init (its
 * .amdhsa_user_sgpr_* lines; user_sgpr_count 8), then the workgroup id
 * and the wave's scratch offset (which the SPI writes). */
static void dispatch_case(const char *file, uint32_t index_stride, uint32_t wave_bytes)
{
	amdbare_codeobj *co = load(file);
	const amdbare_kernel_info *k = amdbare_codeobj_kernel_at(co, 0);
	uint32_t want_en = AMDBARE_KCP_PRIVATE_SEGMENT_BUFFER | AMDBARE_KCP_KERNARG_SEGMENT_PTR |
			   AMDBARE_KCP_FLAT_SCRATCH_INIT;
	cr_assert_eq(k->user_sgpr_enables, want_en, "enables 0x%x", k->user_sgpr_enables);
	cr_assert_eq(k->user_sgpr_count, 8);
	amdbare_dispatch_info di = {0};
	di.kernel = k;
	di.code_va = 0x100000000ull;
	di.grid[0] = 4, di.grid[1] = 1, di.grid[2] = 1;
	di.block[0] = 64, di.block[1] = 1, di.block[2] = 1;
	struct ab_dispatch_plan plan = {0};
	plan.gen = &ab_gfx_gen_gfx103;
	cr_assert_eq(ab_dispatch_plan_scratch(k, plan.gen, &plan), 0);
	cr_assert_eq(plan.scratch_wave_bytes, wave_bytes);
	uint64_t sva = 0x7f0000400000ull, sbytes = 320ull * wave_bytes;
	struct ab_dispatch_scratch sc = {sva, ab_scratch_tmpring_gen(plan.gen, 320, wave_bytes),
					 sbytes};
	uint64_t region = 0x200001000ull;
	cr_assert_eq(ab_dispatch_emit(&pm4, &di, &plan, region, &sc), 0, "%s",
		     amdbare_last_error());
	struct sh_replay st;
	sh_replay(&st, store, buf.len);
	uint32_t srd[4];
	rocr_srd(sva, (uint32_t)sbytes, index_stride, srd);
	uint32_t ud0 = SH(0x1be0 + SEG0);
	for (int i = 0; i < 4; i++)
		cr_expect_eq(st.reg[ud0 + i], srd[i], "USER_DATA_%d: 0x%08x, expected 0x%08x", i,
			     st.reg[ud0 + i], srd[i]);
	cr_expect_eq(st.reg[ud0 + 4], (uint32_t)region, "kernarg pointer lo");
	cr_expect_eq(st.reg[ud0 + 5], (uint32_t)(region >> 32), "kernarg pointer hi");
	cr_expect_eq(st.reg[ud0 + 6], (uint32_t)sva, "flat scratch init lo");
	cr_expect_eq(st.reg[ud0 + 7], (uint32_t)(sva >> 32), "flat scratch init hi");
	cr_expect_not(st.set[ud0 + 8], "only the 8 user SGPRs the kernel asked for");
	cr_expect_eq(st.reg[SH(0x1bb8 + SEG0)], 320u | ((wave_bytes / 1024) << 12), "TMPRING_SIZE");
	cr_expect_not(st.set[SH(0x1bb0 + SEG0)], "no DISPATCH_SCRATCH_BASE on gfx10.3");
	cr_expect_eq(st.reg[SH(0x1bac + SEG0)], (uint32_t)((di.code_va + k->entry_vaddr) >> 8));
	cr_expect_eq(st.reg[SH(0x1bb3 + SEG0)] & 1u, 1u, "RSRC2.SCRATCH_EN from the descriptor");
	cr_expect_eq(st.reg[SH(0x1ba7 + SEG0)], 64u, "NUM_THREAD_X");
	cr_expect_eq(st.initiator, 1u | 4u | (k->wave32 ? 0x8000u : 0), "initiator");
	amdbare_codeobj_free(co);
}

Test(gfx103, dispatch_of_a_gfx1035_scratch_kernel_wave32)
{
	dispatch_case("scratch_gfx1035.co", 2, 9216);
}

Test(gfx103, dispatch_of_a_gfx1035_scratch_kernel_wave64)
{
	dispatch_case("scratch_gfx1035_w64.co", 3, 17408);
}

Test(gfx103, dispatch_without_scratch_gets_a_null_srd)
{
	amdbare_codeobj *co = load("scratch_gfx1035.co");
	amdbare_kernel_info k = *amdbare_codeobj_kernel_at(co, 0);
	k.private_segment = false; /* as LLVM builds a kernel without scratch */
	amdbare_dispatch_info di = {0};
	di.kernel = &k;
	di.code_va = 0x100000000ull;
	di.grid[0] = di.grid[1] = di.grid[2] = 1;
	di.block[0] = 64, di.block[1] = 1, di.block[2] = 1;
	struct ab_dispatch_plan plan = {0};
	plan.gen = &ab_gfx_gen_gfx103;
	cr_assert_eq(ab_dispatch_emit(&pm4, &di, &plan, 0x200001000ull, NULL), 0, "%s",
		     amdbare_last_error());
	struct sh_replay st;
	sh_replay(&st, store, buf.len);
	uint32_t ud0 = SH(0x1be0 + SEG0);
	for (int i = 0; i < 8; i++)
		if (i != 4 && i != 5)
			cr_expect_eq(st.reg[ud0 + i], 0u, "USER_DATA_%d", i);
	cr_expect_eq(st.reg[ud0 + 4], 0x00001000u);
	cr_expect_eq(st.reg[SH(0x1bb8 + SEG0)], 0u, "TMPRING_SIZE 0: no scratch waves");
	amdbare_codeobj_free(co);
}

/* Code objects for every gfx10.3 processor are accepted: the ELF machine
 * values clang-19 writes (readelf -h of `clang-19 -mcpu=<t>` objects:
 * 0x36, 0x37, 0x38, 0x39, 0x3e, 0x3d, 0x45) name them, gfx10-3-generic
 * (0x53) covers them, and a gfx1035 object runs on a gfx1035 device only. */
Test(gfx103, code_objects_accepted)
{
	static const struct { uint32_t mach; const char *name; } m[] = {
		{0x36, "gfx1030"}, {0x37, "gfx1031"}, {0x38, "gfx1032"}, {0x39, "gfx1033"},
		{0x3e, "gfx1034"}, {0x3d, "gfx1035"}, {0x45, "gfx1036"},
	};
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		const char *n = ab_codeobj_mach_name(m[i].mach);
		cr_assert_not_null(n, "mach 0x%x", m[i].mach);
		cr_expect_str_eq(n, m[i].name);
		cr_expect(ab_codeobj_generic_covers("gfx10-3-generic", m[i].name), "%s", m[i].name);
		cr_expect_not(ab_codeobj_generic_covers("gfx11-generic", m[i].name), "%s", m[i].name);
	}
	cr_expect_str_eq(ab_codeobj_mach_name(0x53), "gfx10-3-generic");
	amdbare_codeobj *co = load("scratch_gfx1035.co");
	amdbare_device_info di;
	memset(&di, 0, sizeof(di));
	snprintf(di.gfx_target, sizeof(di.gfx_target), "gfx1035");
	cr_expect_eq(amdbare_codeobj_check_device(co, &di), 0, "%s", amdbare_last_error());
	snprintf(di.gfx_target, sizeof(di.gfx_target), "gfx1036");
	cr_expect_eq(amdbare_codeobj_check_device(co, &di), -ENOTSUP);
	cr_expect(strstr(amdbare_last_error(), "gfx1035") && strstr(amdbare_last_error(), "gfx1036"),
		  "%s", amdbare_last_error());
	amdbare_codeobj_free(co);
}

/* On the vgpu's gfx10.3 profiles jobs run on the gfx10.3 command
 * processor and SDMA 5.2 (exec/pm4.c, exec/sdma.c): the library's fill
 * lands, whole and not beyond its range. */
Test(gfx103_vgpu, fill_on_680m_runs)
{
	vgpu_test_require();
	vgpu_test_use_profile("680m", NULL);
	amdbare_device *dev = NULL;
	cr_assert_eq(amdbare_device_open(0, &dev), 0, "%s", amdbare_last_error());
	amdbare_device_info info;
	amdbare_device_get_info(dev, &info);
	cr_assert_str_eq(info.gfx_target, "gfx1035");
	amdbare_bo_create_info ci = {.size = 65536, .domains = AMDBARE_DOMAIN_GTT};
	amdbare_bo *bo = NULL;
	cr_assert_eq(amdbare_bo_create(dev, &ci, &bo), 0, "%s", amdbare_last_error());
	int r = amdbare_fill(dev, bo, 0, 65536 - 4096, 0x12345678u);
	cr_expect_eq(r, 0, "fill returned %d: %s", r, amdbare_last_error());
	uint32_t *p = NULL;
	cr_assert_eq(amdbare_bo_cpu_map(bo, (void **)&p), 0, "%s", amdbare_last_error());
	cr_expect_eq(p[0], 0x12345678u);
	cr_expect_eq(p[(65536 - 4096) / 4 - 1], 0x12345678u);
	cr_expect_eq(p[(65536 - 4096) / 4], 0, "the fill stops at its size");
	amdbare_bo_cpu_unmap(bo);
	amdbare_bo_free(bo);
	amdbare_device_close(dev);
	vgpu_test_cleanup();
}
