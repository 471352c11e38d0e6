/*
 * gfx9 (GCN 5, Vega) on the library side, without a device: the
 * generation tables (gfx9 and gfx90a), the PM4 packets whose form differs
 * from gfx10+, the scratch set-up (the gfx9 private segment buffer V#,
 * flat scratch init, COMPUTE_TMPRING_SIZE), whole dispatches of real
 * gfx900/gfx90a kernels built by clang-19, SDMA 4 forms, the GC 9.x ->
 * target mapping, code objects with target-id features, and the vgpu's
 * gfx9 profiles (raven, cezanne, mi50: device facts; an SDMA 4 fill; the
 * gfx9 objects without a profile run on one of the same ISA).  Every
 * expected value is derived in the comment next to it from the kernel
 * headers, ROCr or LLVM, never from the library's own table:
 *   K:gc9       drivers/gpu/drm/amd/include/asic_reg/gc/gc_9_0_offset.h, _sh_mask.h
 *   K:gc942     gc_9_4_2_offset.h (gfx90a)
 *   K:soc15d.h  drivers/gpu/drm/amd/amdgpu/soc15d.h
 *   K:gfx9      drivers/gpu/drm/amd/amdgpu/gfx_v9_0.c (Linux 6.12)
 *   K:sdma4     amdgpu/sdma_v4_0.c, vega10_sdma_pkt_open.h
 *   K:kfd       amdkfd/kfd_device.c (gfx_target_version)
 *   ROCr        AqlQueue::InitScratchSRD, SQ_BUF_RSRC_WORD3 (gfx9)
 */
#include "codeobj/internal.h"
#include "device/gfx_target.h"
#include "dispatch/internal.h"
#include "gfx/ib_dwbuf.h"
#include "gfx/pm4_builder.h"
#include "gfx/regs_gen.h"
#include "gfx/sdma_builder.h"
#include "kernels/registry.h"
#include "vgpu_test.h"

#include <amdgpu_drm.h>
#include "sh_replay.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xf86drm.h>

#define SEG0 0x2000u /* vega10_ip_offset.h GC_BASE__INST0_SEG0 */

static uint32_t store[1024];
static struct ab_dwbuf buf;
static struct ab_pm4 pm4;

static void setup(void)
{
	memset(store, 0xcc, sizeof(store));
	ab_dwbuf_init_fixed(&buf, store, 1024);
	pm4 = (struct ab_pm4){&buf, &ab_gfx_gen_gfx9, true};
}

TestSuite(gfx9, .init = setup);

Test(gfx9, table_offsets_are_header_values_plus_seg0)
{
	const struct ab_gfx_gen *g = ab_gfx_gen_lookup(9, 0);
	cr_assert_eq(g, &ab_gfx_gen_gfx9, "GC 9.x has its table");
	cr_assert_str_eq(g->name, "gfx9");
	/* K:gc9 mmCOMPUTE_* (BASE_IDX 0) + SEG0 */
	cr_expect_eq(g->compute_dispatch_initiator, 0x0e00 + SEG0);
	cr_expect_eq(g->compute_start_x, 0x0e04 + SEG0);
	cr_expect_eq(g->compute_num_thread_x, 0x0e07 + SEG0);
	cr_expect_eq(g->compute_pgm_lo, 0x0e0c + SEG0);
	cr_expect_eq(g->compute_pgm_hi, 0x0e0d + SEG0);
	cr_expect_eq(g->compute_dispatch_scratch_base_lo, 0x0e10 + SEG0);
	cr_expect_eq(g->compute_pgm_rsrc1, 0x0e12 + SEG0);
	cr_expect_eq(g->compute_pgm_rsrc2, 0x0e13 + SEG0);
	cr_expect_eq(g->compute_resource_limits, 0x0e15 + SEG0);
	cr_expect_eq(g->compute_static_thread_mgmt_se0, 0x0e16 + SEG0);
	cr_expect_eq(g->compute_tmpring_size, 0x0e18 + SEG0);
	cr_expect_eq(g->compute_restart_x, 0x0e1b + SEG0);
	cr_expect_eq(g->compute_user_data_0, 0x0e40 + SEG0);
	cr_expect_eq(g->compute_user_data_count, 0x0e4f - 0x0e40 + 1);
	/* K:gc9 has no mmCOMPUTE_PGM_RSRC3 (nor gc_9_1, 9_2_1, 9_4_1) */
	cr_expect_eq(g->compute_pgm_rsrc3, AB_GFX_NO_REG);
	/* K:gc9 sh_mask COMPUTE_DISPATCH_INITIATOR__COMPUTE_SHADER_EN 0,
	 * FORCE_START_AT_000 2; bit 15 is not CS_W32_EN on gfx9 (no wave32) */
	cr_expect_eq(g->initiator_compute_shader_en, 0x1u);
	cr_expect_eq(g->initiator_force_start_at_000, 0x4u);
	cr_expect_eq(g->initiator_cs_w32_en, 0u);
	/* K:soc15d.h PACKET3_SET_SH_REG_START 0x2c00, _END 0x3000 */
	cr_expect_eq(g->sh_reg_start, 0x2c00u);
	cr_expect_eq(g->sh_reg_end, 0x3000u);
	/* K:gc9 sh_mask COMPUTE_TMPRING_SIZE__WAVESIZE_MASK 0x01FFF000 */
	cr_expect_eq(g->tmpring_wavesize_max << 12, 0x01FFF000u);
	cr_expect_eq(g->tmpring_wavesize_unit, 1024u, "Mesa: bytes per wave >> 10 before gfx11");
	cr_expect_eq(g->scratch, AB_SCRATCH_BUFFER_SRD);
	cr_expect_not(g->tmpring_waves_per_se);
}

Test(gfx9, gfx90a_adds_rsrc3_and_942_has_no_table)
{
	/* Every GC 9.x part but 9.4.2 (and 9.4.3+) shares the gfx9 table. */
	static const uint32_t ip[][3] = {{9, 0, 1}, {9, 1, 0}, {9, 2, 1}, {9, 2, 2},
					 {9, 3, 0}, {9, 4, 0}, {9, 4, 1}};
	for (size_t i = 0; i < sizeof(ip) / sizeof(ip[0]); i++)
		cr_expect_eq(ab_gfx_gen_lookup_ip(ip[i][0], ip[i][1], ip[i][2]), &ab_gfx_gen_gfx9,
			     "GC %u.%u.%u", ip[i][0], ip[i][1], ip[i][2]);
	const struct ab_gfx_gen *a = ab_gfx_gen_lookup_ip(9, 4, 2);
	cr_assert_eq(a, &ab_gfx_gen_gfx90a);
	/* K:gc942 regCOMPUTE_PGM_RSRC3 0x0e2d + SEG0 (aldebaran_ip_offset.h 0x2000) */
	cr_expect_eq(a->compute_pgm_rsrc3, 0x0e2d + SEG0);
	cr_expect_eq(a->compute_pgm_rsrc1, 0x0e12 + SEG0, "otherwise the gfx9 map");
	cr_expect_eq(a->compute_user_data_0, 0x0e40 + SEG0);
	cr_expect_eq(a->initiator_cs_w32_en, 0u);
	cr_expect_null(ab_gfx_gen_lookup_ip(9, 4, 3), "gfx942: several XCCs, not built");
	cr_expect_null(ab_gfx_gen_lookup_ip(9, 4, 4));
	cr_expect_eq(ab_gfx_gen_lookup_ip(10, 3, 5), &ab_gfx_gen_gfx103);
	cr_expect_eq(ab_gfx_gen_lookup_ip(11, 0, 1), &ab_gfx_gen_gfx11);
}

Test(gfx9, acquire_mem_is_gfx_v9_0_emit_mem_sync)
{
	cr_assert_eq(ab_pm4_acquire_mem(&pm4), 0);
	/* K:gfx9 gfx_v9_0_emit_mem_sync, K:soc15d.h
	 * PACKET3_ACQUIRE_MEM_CP_COHER_CNTL_*: SH_ICACHE_ACTION_ENA 1<<29 |
	 * SH_KCACHE_ACTION_ENA 1<<27 | TC_ACTION_ENA 1<<23 | TCL1_ACTION_ENA
	 * 1<<22 | TC_WB_ACTION_ENA 1<<18 */
	uint32_t coher = (1u << 29) | (1u << 27) | (1u << 23) | (1u << 22) | (1u << 18);
	/* PACKET3(ACQUIRE_MEM 0x58, 5) with the compute bit: 6 body dwords,
	 * no GCR_CNTL */
	uint32_t want[7] = {(3u << 30) | (5u << 16) | (0x58u << 8) | 2u, coher, 0xffffffffu,
			    0xffffffu, 0, 0, 0xa};
	cr_assert_eq(buf.len, 7u);
	for (int i = 0; i < 7; i++)
		cr_expect_eq(store[i], want[i], "dword %d: 0x%08x, expected 0x%08x", i, store[i],
			     want[i]);
	cr_expect_eq(store[7], 0xccccccccu, "nothing written past the packet");
}

Test(gfx9, release_mem_is_gfx_v9_0_ring_emit_fence)
{
	cr_assert_eq(ab_pm4_release_mem(&pm4, 0x123456789a8ull, 0x1122334455667788ull, true), 0);
	cr_assert_eq(ab_pm4_release_mem(&pm4, 0x40, 7, false), 0);
	/* K:gfx9 gfx_v9_0_ring_emit_fence (no TC_WB_ONLY) with K:soc15d.h:
	 * EOP_TCL1_ACTION_EN 1<<16 | EOP_TC_ACTION_EN 1<<17 |
	 * EOP_TC_MD_ACTION_EN 1<<21 | EOP_TC_WB_ACTION_EN 1<<15 |
	 * EVENT_TYPE(CACHE_FLUSH_AND_INV_TS_EVENT 0x14, vega10_enum.h) |
	 * EVENT_INDEX(5)<<8 */
	uint32_t cntl = (1u << 16) | (1u << 17) | (1u << 21) | (1u << 15) | 0x14u | (5u << 8);
	uint32_t hdr = (3u << 30) | (6u << 16) | (0x49u << 8) | 2u;
	/* DATA_SEL(2|1)<<29 | INT_SEL(0)<<24, addr lo/hi, seq lo/hi, 0 */
	uint32_t want[16] = {hdr, cntl, 2u << 29, 0x456789a8u, 0x123u, 0x55667788u, 0x11223344u, 0,
			     hdr, cntl, 1u << 29, 0x40, 0, 7, 0, 0};
	cr_assert_eq(buf.len, 16u);
	for (int i = 0; i < 16; i++)
		cr_expect_eq(store[i], want[i], "dword %d: 0x%08x, expected 0x%08x", i, store[i],
			     want[i]);
}

Test(gfx9, nop_partial_flush_and_sh_window)
{
	cr_assert_eq(ab_pm4_nop(&pm4, 1), 0);
	cr_assert_eq(ab_pm4_cs_partial_flush(&pm4), 0);
	/* K:gfx9 .nop = PACKET3(PACKET3_NOP 0x10, 0x3FFF) */
	cr_expect_eq(store[0], (3u << 30) | (0x3fffu << 16) | (0x10u << 8));
	/* EVENT_WRITE: CS_PARTIAL_FLUSH 7 (vega10_enum.h), EVENT_INDEX 4 */
	cr_expect_eq(store[1], (3u << 30) | (0u << 16) | (0x46u << 8) | 2u);
	cr_expect_eq(store[2], 7u | (4u << 8));
	/* SET_SH_REG of COMPUTE_PGM_RSRC1: (0x2000 + 0xe12) - 0x2c00 = 0x212 */
	cr_assert_eq(ab_pm4_set_sh_reg1(&pm4, 0x0e12 + SEG0, 0xabcd), 0);
	cr_expect_eq(store[3], (3u << 30) | (1u << 16) | (0x76u << 8) | 2u);
	cr_expect_eq(store[4], 0x212u);
	cr_expect_eq(store[5], 0xabcdu);
	/* An offset outside [0x2c00, 0x3000) is refused. */
	cr_expect_eq(ab_pm4_set_sh_reg1(&pm4, 0x0e12, 1), -EINVAL);
}

/* ROCr's gfx9 scratch V# (SQ_BUF_RSRC_WORD3, CI/VI-style struct). */
static void rocr_srd9(uint64_t va, uint32_t bytes, uint32_t w[4])
{
	w[0] = (uint32_t)va;                                   /* BASE_ADDRESS */
	w[1] = (uint32_t)(va >> 32) | (0u << 16) /* STRIDE */ | (0u << 30) /* CACHE_SWIZZLE */ |
	       (1u << 31) /* SWIZZLE_ENABLE */;
	w[2] = bytes;                                          /* NUM_RECORDS */
	w[3] = 4u | (5u << 3) | (6u << 6) | (7u << 9)           /* DST_SEL = SQ_SEL_X, Y, Z, W */
	       | (4u << 12)                                    /* NUM_FORMAT BUF_NUM_FORMAT_UINT */
	       | (4u << 15)                                    /* DATA_FORMAT BUF_DATA_FORMAT_32 */
	       | (1u << 19)                                    /* ELEMENT_SIZE 1 (4 bytes) */
	       | (3u << 21)                                    /* INDEX_STRIDE 3 (64) */
	       | (1u << 23)                                    /* ADD_TID_ENABLE */
	       | (0u << 24) | (0u << 25) | (0u << 26) | (0u << 27) /* ATC, HASH, HEAP, MTYPE */
	       | (0u << 30);                                   /* TYPE SQ_RSRC_BUF */
}

Test(gfx9, scratch_srd_and_tmpring)
{
	uint32_t got[4], want[4];
	ab_gfx9_scratch_srd(0x7f1234560000ull, 0x480000, got);
	rocr_srd9(0x7f1234560000ull, 0x480000, want);
	cr_assert_arr_eq(got, want, sizeof(want));
	cr_expect_eq(got[3], 0x00ea4facu, "the whole word3, added up by hand");
	/* The generation picks the layout; gfx10.3's differs in word 3. */
	ab_gfx_scratch_srd(&ab_gfx_gen_gfx9, 0x7f1234560000ull, 0x480000, 0, got);
	cr_assert_arr_eq(got, want, sizeof(want));
	ab_gfx_scratch_srd(&ab_gfx_gen_gfx90a, 0x7f1234560000ull, 0x480000, 0, got);
	cr_assert_arr_eq(got, want, sizeof(want));
	ab_gfx_scratch_srd(&ab_gfx_gen_gfx103, 0x7f1234560000ull, 0x480000, 0, got);
	cr_expect_neq(got[3], want[3]);
	ab_gfx9_scratch_srd(0, 0, got);
	cr_expect(got[0] == 0 && got[1] == 0 && got[2] == 0 && got[3] == 0, "null V#");
	/* COMPUTE_TMPRING_SIZE: WAVES 0..11 | WAVESIZE 12..24 in 1 KiB units. */
	cr_expect_eq(ab_scratch_tmpring_gen(&ab_gfx_gen_gfx9, 640, 17408), 640u | (17u << 12));
}

static amdbare_codeobj *load(const char *name, const char *processor)
{
	char path[512];
	const char *top = getenv("AMDBARE_TOP");
	snprintf(path, sizeof(path), "%s/tests/codeobj/%s", top ? top : ".", name);
	amdbare_codeobj *co = NULL;
	cr_assert_eq(amdbare_codeobj_load_file(path, &co), 0, "%s: %s", path, amdbare_last_error());
	cr_assert_str_eq(amdbare_codeobj_processor(co), processor);
	return co;
}

/* 264 bytes per lane (.amdhsa_private_segment_fixed_size of scratch.cl),
 * wave64: 16896 bytes, rounded up to 17 KiB. */
Test(gfx9, scratch_plan_is_wave64_in_1k_units)
{
	amdbare_codeobj *co = load("scratch_gfx900.co", "gfx900");
	const amdbare_kernel_info *k = amdbare_codeobj_kernel_at(co, 0);
	cr_assert_eq(k->private_segment_fixed_size, 264);
	cr_assert(k->private_segment);
	cr_assert_not(k->wave32, "gfx9 code is wave64");
	cr_expect_eq(k->compute_pgm_rsrc3, 0u, "no RSRC3 before gfx90a");
	struct ab_dispatch_plan plan = {0};
	cr_assert_eq(ab_dispatch_plan_scratch(k, &ab_gfx_gen_gfx9, &plan), 0);
	cr_expect_eq(plan.scratch_lane_bytes, 264);
	cr_expect_eq(plan.scratch_wave_bytes, 17408);
	amdbare_codeobj_free(co);
}


/* clang-19's gfx900/gfx90a build of scratch.cl takes s[0:3] = private
 * segment buffer, s[4:5] = kernarg pointer, s[6:7] = flat scratch init
 * (its .amdhsa_user_sgpr_* lines; user_sgpr_count 8). */
static void dispatch_case(const char *file, const char *processor,
			  const struct ab_gfx_gen *gen, struct sh_replay *st,
			  const amdbare_kernel_info **kout, amdbare_codeobj **coout)
{
	amdbare_codeobj *co = load(file, processor);
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
	plan.gen = gen;
	pm4.gen = gen;
	cr_assert_eq(ab_dispatch_plan_scratch(k, plan.gen, &plan), 0);
	cr_assert_eq(plan.scratch_wave_bytes, 17408);
	uint64_t sva = 0x7f0000400000ull, sbytes = 640ull * 17408;
	struct ab_dispatch_scratch sc = {sva, ab_scratch_tmpring_gen(plan.gen, 640, 17408), sbytes};
	uint64_t region = 0x200001000ull;
	cr_assert_eq(ab_dispatch_emit(&pm4, &di, &plan, region, &sc), 0, "%s",
		     amdbare_last_error());
	sh_replay(st, store, buf.len);
	uint32_t srd[4];
	rocr_srd9(sva, (uint32_t)sbytes, srd);
	uint32_t ud0 = SH(0x0e40 + SEG0);
	for (int i = 0; i < 4; i++)
		cr_expect_eq(st->reg[ud0 + i], srd[i], "USER_DATA_%d: 0x%08x, expected 0x%08x", i,
			     st->reg[ud0 + i], srd[i]);
	cr_expect_eq(st->reg[ud0 + 4], (uint32_t)region, "kernarg pointer lo");
	cr_expect_eq(st->reg[ud0 + 5], (uint32_t)(region >> 32), "kernarg pointer hi");
	cr_expect_eq(st->reg[ud0 + 6], (uint32_t)sva, "flat scratch init lo");
	cr_expect_eq(st->reg[ud0 + 7], (uint32_t)(sva >> 32), "flat scratch init hi");
	cr_expect_not(st->set[ud0 + 8], "only the 8 user SGPRs the kernel asked for");
	cr_expect_eq(st->reg[SH(0x0e18 + SEG0)], 640u | (17u << 12), "TMPRING_SIZE");
	cr_expect_not(st->set[SH(0x0e10 + SEG0)], "no DISPATCH_SCRATCH_BASE on gfx9");
	cr_expect_eq(st->reg[SH(0x0e0c + SEG0)], (uint32_t)((di.code_va + k->entry_vaddr) >> 8));
	cr_expect_eq(st->reg[SH(0x0e12 + SEG0)], k->compute_pgm_rsrc1, "RSRC1");
	cr_expect_eq(st->reg[SH(0x0e13 + SEG0)] & 1u, 1u, "RSRC2.SCRATCH_EN from the descriptor");
	cr_expect_eq(st->reg[SH(0x0e07 + SEG0)], 64u, "NUM_THREAD_X");
	cr_expect_eq(st->initiator, 1u | 4u, "initiator: COMPUTE_SHADER_EN | FORCE_START_AT_000");
	*kout = k;
	*coout = co;
}

Test(gfx9, dispatch_of_a_gfx900_scratch_kernel)
{
	struct sh_replay st;
	const amdbare_kernel_info *k;
	amdbare_codeobj *co;
	dispatch_case("scratch_gfx900.co", "gfx900", &ab_gfx_gen_gfx9, &st, &k, &co);
	/* Nothing in the gfx10+ RSRC3 slot (0x1bc8 + 0x1260 = 0x2e28) nor at
	 * gfx90a's 0x2e2d: gfx900 has no RSRC3. */
	cr_expect_not(st.set[SH(0x2e28)]);
	cr_expect_not(st.set[SH(0x2e2d)]);
	amdbare_codeobj_free(co);
}

Test(gfx9, dispatch_of_a_gfx90a_kernel_writes_rsrc3)
{
	struct sh_replay st;
	const amdbare_kernel_info *k;
	amdbare_codeobj *co;
	dispatch_case("scratch_gfx90a.co", "gfx90a", &ab_gfx_gen_gfx90a, &st, &k, &co);
	/* gfx90a descriptors carry ACCUM_OFFSET (bits 0..5, AccVGPR offset /
	 * 4 - 1) and TG_SPLIT (bit 16) in RSRC3 (AMDGPUUsage).  clang-19 gives
	 * this kernel .amdhsa_accum_offset 4 and .amdhsa_tg_split 0: 0. */
	cr_expect_eq(k->compute_pgm_rsrc3, 0u);
	cr_expect(st.set[SH(0x0e2d + SEG0)], "RSRC3 written at 0x2e2d");
	cr_expect_eq(st.reg[SH(0x0e2d + SEG0)], k->compute_pgm_rsrc3);
	cr_expect_not(st.set[SH(0x2e28)], "not at the gfx10+ offset");
	amdbare_codeobj_free(co);
}

/* K:sdma4: the forms the library emits are sdma_v4_0's. */
Test(gfx9, sdma4_copy_fill_pad)
{
	cr_assert_eq(ab_sdma_copy_linear(&buf, 0x111122223333ull, 0x444455556666ull, 0x400000), 0);
	/* sdma_v4_0_emit_copy_buffer: OP_COPY(1) | SUBOP_COPY_LINEAR(0) << 8,
	 * byte_count - 1 (COUNT 22 bits: 0x3fffff fits), 0, src lo/hi, dst lo/hi */
	uint32_t copy[7] = {1u, 0x3fffffu, 0, 0x55556666u, 0x4444u, 0x22223333u, 0x1111u};
	for (int i = 0; i < 7; i++)
		cr_expect_eq(store[i], copy[i], "copy dword %d: 0x%08x", i, store[i]);
	cr_expect_eq(ab_sdma_copy_linear(&buf, 0, 0, 0x400001), -EINVAL,
		     "copy_max_bytes 0x400000 (sdma_v4_0_buffer_funcs)");
	buf.err = 0;
	cr_assert_eq(ab_sdma_const_fill(&buf, 0x1000, 64, 0xdeadbeef), 0);
	/* sdma_v4_0_emit_fill_buffer: OP_CONST_FILL(11) (FILLSIZE 2 << 30: a dword
	 * pattern, vega10_sdma_pkt_open.h fillsize_shift 30), dst lo/hi, data,
	 * byte_count - 1 */
	uint32_t fill[5] = {11u | (2u << 30), 0x1000, 0, 0xdeadbeefu, 63};
	for (int i = 0; i < 5; i++)
		cr_expect_eq(store[7 + i], fill[i], "fill dword %d: 0x%08x", i, store[7 + i]);
	/* sdma_v4_0_ring_pad_ib: NOP (0) dwords to a multiple of 8 */
	cr_assert_eq(ab_sdma_pad(&buf, 8), 0);
	cr_expect_eq(buf.len, 16u);
	for (int i = 12; i < 16; i++)
		cr_expect_eq(store[i], 0u);
}

/* K:kfd gfx_target_version per GC version, and the family / external
 * revision fallback of Mesa's amdgpu_asic_addr.h for the same parts. */
Test(gfx9, gc_to_target)
{
	static const struct { uint32_t ma, mi, rv; const char *t; } m[] = {
		{9, 0, 1, "gfx900"}, /* 90000 Vega 10 */
		{9, 1, 0, "gfx902"}, /* 90002 Raven */
		{9, 2, 1, "gfx904"}, /* 90004 Vega 12 */
		{9, 2, 2, "gfx902"}, /* 90002 Raven2 */
		{9, 3, 0, "gfx90c"}, /* 90012 Renoir */
		{9, 4, 0, "gfx906"}, /* 90006 Vega 20 */
		{9, 4, 1, "gfx908"}, /* 90008 Arcturus */
		{9, 4, 2, "gfx90a"}, /* 90010 Aldebaran */
	};
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		const char *t = ab_gfx_target_for_gc(m[i].ma, m[i].mi, m[i].rv);
		cr_assert_not_null(t, "GC %u.%u.%u", m[i].ma, m[i].mi, m[i].rv);
		cr_expect_str_eq(t, m[i].t, "GC %u.%u.%u", m[i].ma, m[i].mi, m[i].rv);
	}
	/* amdgpu_drm.h AMDGPU_FAMILY_RV 142, AMDGPU_FAMILY_AI 141; Mesa
	 * amdgpu_asic_addr.h: RAVEN 0x01, RAVEN2 0x81, RENOIR 0x91, VEGA20 0x28 */
	uint32_t ma, mi, rv;
	cr_assert_eq(ab_gc_from_family(142, 0x01, &ma, &mi, &rv), 0);
	cr_expect(ma == 9 && mi == 1 && rv == 0, "Raven: %u.%u.%u", ma, mi, rv);
	cr_assert_eq(ab_gc_from_family(142, 0x91, &ma, &mi, &rv), 0);
	cr_expect(ma == 9 && mi == 3 && rv == 0, "Renoir/Cezanne: %u.%u.%u", ma, mi, rv);
	cr_assert_eq(ab_gc_from_family(141, 0x28, &ma, &mi, &rv), 0);
	cr_expect(ma == 9 && mi == 4 && rv == 0, "Vega 20: %u.%u.%u", ma, mi, rv);
}

/* Code objects for every gfx9 processor are accepted: the ELF machine
 * values are LLVM's EF_AMDGPU_MACH_AMDGCN_GFX9xx (llvm/BinaryFormat/ELF.h:
 * 0x2c gfx900, 0x2d gfx902, 0x2e gfx904, 0x2f gfx906, 0x30 gfx908, 0x31
 * gfx909, 0x32 gfx90c, 0x3f gfx90a; readelf -h of clang-19 objects agrees
 * for the ones built here), and gfx9-generic (0x51) covers the six
 * non-MI targets (AMDGPUUsage "Generic processors"). */
Test(gfx9, code_objects_accepted)
{
	static const struct { uint32_t mach; const char *name; int generic; } m[] = {
		{0x2c, "gfx900", 1}, {0x2d, "gfx902", 1}, {0x2e, "gfx904", 1}, {0x2f, "gfx906", 1},
		{0x30, "gfx908", 0}, {0x31, "gfx909", 1}, {0x32, "gfx90c", 1}, {0x3f, "gfx90a", 0},
	};
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		const char *n = ab_codeobj_mach_name(m[i].mach);
		cr_assert_not_null(n, "mach 0x%x", m[i].mach);
		cr_expect_str_eq(n, m[i].name);
		cr_expect_eq(ab_codeobj_generic_covers("gfx9-generic", m[i].name), m[i].generic,
			     "%s", m[i].name);
	}
	cr_expect_str_eq(ab_codeobj_mach_name(0x51), "gfx9-generic");
}

/* Target-id features: e_flags 0x200 = xnack off, 0x300 on, 0xc00 sramecc
 * on, 0x100/0x400 "any" (AMDGPUUsage EF_AMDGPU_FEATURE_*_V4).  The
 * loader's target string must match amdhsa.target as clang-19 writes it
 * ("gfx90c:xnack-", "gfx906:sramecc+:xnack-"), or loading fails. */
Test(gfx9, target_id_features)
{
	amdbare_device_info di;
	memset(&di, 0, sizeof(di));

	amdbare_codeobj *co = load("scratch_gfx90c_xnackoff.co", "gfx90c");
	cr_expect_eq(co->e_flags & 0xf00u, 0x200u, "xnack off, sramecc unsupported");
	cr_expect_str_eq(co->target, "amdgcn-amd-amdhsa--gfx90c:xnack-");
	snprintf(di.gfx_target, sizeof(di.gfx_target), "gfx90c");
	cr_expect_eq(amdbare_codeobj_check_device(co, &di), 0, "%s", amdbare_last_error());
	snprintf(di.gfx_target, sizeof(di.gfx_target), "gfx902");
	cr_expect_eq(amdbare_codeobj_check_device(co, &di), -ENOTSUP);
	amdbare_codeobj_free(co);

	co = load("scratch_gfx900.co", "gfx900");
	cr_expect_eq(co->e_flags & 0xf00u, 0x100u, "xnack any");
	cr_expect_str_eq(co->target, "amdgcn-amd-amdhsa--gfx900");
	snprintf(di.gfx_target, sizeof(di.gfx_target), "gfx900");
	cr_expect_eq(amdbare_codeobj_check_device(co, &di), 0, "%s", amdbare_last_error());
	amdbare_codeobj_free(co);

	/* sramecc+ needs the device's mode, which amdbare cannot read: refused
	 * with the reason named. */
	co = load("scratch_gfx906_sramecc.co", "gfx906");
	cr_expect_eq(co->e_flags & 0xf00u, 0xe00u, "sramecc on, xnack off");
	cr_expect_str_eq(co->target, "amdgcn-amd-amdhsa--gfx906:sramecc+:xnack-");
	snprintf(di.gfx_target, sizeof(di.gfx_target), "gfx906");
	cr_expect_eq(amdbare_codeobj_check_device(co, &di), -ENOTSUP);
	cr_expect(strstr(amdbare_last_error(), "sramecc") != NULL, "%s", amdbare_last_error());
	amdbare_codeobj_free(co);

	co = load("scratch_gfx90a.co", "gfx90a");
	cr_expect_eq(co->e_flags & 0xf00u, 0x500u, "xnack any, sramecc any");
	cr_expect_str_eq(co->target, "amdgcn-amd-amdhsa--gfx90a");
	amdbare_codeobj_free(co);
}

/* The embedded kernels for every gfx9 target (kernels/build.sh): each
 * module loads, names its processor, and every kernel is wave64 (gfx9 has
 * no wave32) and needs no scratch; gemm has its three kernels. */
Test(gfx9, embedded_kernels_are_wave64)
{
	static const char *const targets[] = {"gfx900", "gfx902", "gfx904", "gfx906",
					      "gfx908", "gfx909", "gfx90a", "gfx90c"};
	static const char *const mods[] = {"util", "gemm", "gemv", "bandwidth"};
	for (size_t t = 0; t < sizeof(targets) / sizeof(targets[0]); t++)
		for (size_t m = 0; m < sizeof(mods) / sizeof(mods[0]); m++) {
			const void *data;
			size_t size;
			cr_assert_eq(kernel_registry_blob(mods[m], targets[t], &data, &size), 0,
				     "%s-%s: %s", mods[m], targets[t], amdbare_last_error());
			amdbare_codeobj *co;
			cr_assert_eq(amdbare_codeobj_load_memory(data, size, &co), 0, "%s-%s: %s",
				     mods[m], targets[t], amdbare_last_error());
			cr_expect_str_eq(amdbare_codeobj_processor(co), targets[t]);
			uint32_t n = amdbare_codeobj_kernel_count(co);
			for (uint32_t i = 0; i < n; i++) {
				const amdbare_kernel_info *k = amdbare_codeobj_kernel_at(co, i);
				cr_expect_not(k->wave32, "%s-%s %s", mods[m], targets[t], k->name);
				cr_expect_eq(k->wavefront_size, 64u, "%s-%s %s", mods[m], targets[t],
					     k->name);
				cr_expect_not(k->private_segment, "%s-%s %s uses scratch", mods[m],
					      targets[t], k->name);
			}
			if (strcmp(mods[m], "gemm") == 0) {
				const char *names[] = {"gemm_f16", "gemm_bf16", "gemm_f32"};
				for (size_t i = 0; i < 3; i++) {
					const amdbare_kernel_info *k;
					cr_expect_eq(amdbare_codeobj_find_kernel(co, names[i], &k), 0,
						     "%s on %s", names[i], targets[t]);
				}
			}
			amdbare_codeobj_free(co);
		}
}

/* ---- the gfx9 vgpu profiles ------------------------------------------------ */

struct gfx9_prof {
	const char *name, *target;
	uint32_t family, ext_rev, gc_minor, cus, ses, bus, vram_type;
	bool apu;
	uint64_t vram, vis;
	uint32_t sdma_discovery; /* IP_VERSION of SDMA0 */
};

/* amdgpu_drm.h: AMDGPU_FAMILY_AI 141, _RV 142; VRAM_TYPE_DDR4 8, _HBM 6.
 * external_rev: soc15_common_early_init (Raven rev_id + 1, Green Sardine
 * rev_id + 0xa1, Vega 20 rev_id + 0x28).  SDMA0: amdgpu_discovery.c
 * (Raven 4.1.0, Vega 20 4.2.0) and Renoir's table (4.1.2). */
static const struct gfx9_prof gfx9_profs[] = {
	{"raven", "gfx902", 142, 0x01, 1, 11, 1, 128, 8, true, 2ull << 30, 2ull << 30, 0x040100},
	{"cezanne", "gfx90c", 142, 0xa1, 3, 8, 1, 128, 8, true, 512ull << 20, 512ull << 20,
	 0x040102},
	{"mi50", "gfx906", 141, 0x28, 4, 60, 4, 4096, 6, false, 32ull << 30, 32ull << 30, 0x040200},
};

static void check_gfx9_profile(const struct gfx9_prof *e)
{
	vgpu_test_require();
	vgpu_test_use_profile(e->name, NULL);
	amdbare_device *dev = NULL;
	cr_assert_eq(amdbare_device_open(0, &dev), 0, "%s: %s", e->name, amdbare_last_error());
	amdbare_device_info info;
	amdbare_device_get_info(dev, &info);
	cr_expect_str_eq(info.gfx_target, e->target);
	cr_expect(info.gc_major == 9 && info.gc_minor == e->gc_minor, "%s: GC %u.%u", e->name,
		  info.gc_major, info.gc_minor);
	cr_expect_eq(info.family_id, e->family);
	cr_expect_eq(info.chip_external_rev, e->ext_rev);
	cr_expect_eq(info.wave_size, 64u, "gfx9 is wave64");
	cr_expect_eq(info.cu_count, e->cus);
	cr_expect_eq(info.num_shader_engines, e->ses);
	cr_expect_eq(info.vram_bit_width, e->bus);
	cr_expect_eq(info.is_apu, e->apu);
	/* The family/external-revision fallback names the same GC. */
	uint32_t ma, mi, rv;
	cr_assert_eq(ab_gc_from_family(info.family_id, info.chip_external_rev, &ma, &mi, &rv), 0);
	cr_expect(ma == info.gc_major && mi == info.gc_minor && rv == info.gc_revision,
		  "%s: fallback GC %u.%u.%u", e->name, ma, mi, rv);
	amdbare_memory_info mem;
	cr_assert_eq(amdbare_device_query_memory(dev, &mem), 0, "%s", amdbare_last_error());
	cr_expect_eq(mem.vram.total, e->vram);
	cr_expect_eq(mem.visible_vram.total, e->vis);

	/* DEV_INFO and HW_IP_INFO as amdgpu answers them for a gfx9 part. */
	int fd = amdbare_device_fd(dev);
	struct drm_amdgpu_info_device di;
	struct drm_amdgpu_info req;
	memset(&req, 0, sizeof(req));
	memset(&di, 0, sizeof(di));
	req.return_pointer = (uintptr_t)&di;
	req.return_size = sizeof(di);
	req.query = AMDGPU_INFO_DEV_INFO;
	cr_assert_eq(drmCommandWrite(fd, DRM_AMDGPU_INFO, &req, sizeof(req)), 0);
	cr_expect_eq(di.wave_front_size, 64u);
	cr_expect_eq(di.num_shader_visible_vgprs, 256u);
	cr_expect_eq(di.vram_type, e->vram_type);
	cr_expect_eq(di.ce_ram_size, 0x8000u, "gfx_v9_0: 32 KiB CE RAM");
	cr_expect_eq(di.gart_page_size, 4096u);
	struct drm_amdgpu_info_hw_ip ip;
	memset(&ip, 0, sizeof(ip));
	req.return_pointer = (uintptr_t)&ip;
	req.return_size = sizeof(ip);
	req.query = AMDGPU_INFO_HW_IP_INFO;
	req.query_hw_ip.type = AMDGPU_HW_IP_COMPUTE;
	cr_assert_eq(drmCommandWrite(fd, DRM_AMDGPU_INFO, &req, sizeof(req)), 0);
	cr_expect_eq(ip.hw_ip_version_major, 9u, "gfx_v9_0_ip_block");
	cr_expect_eq(ip._pad, (9u << 16) | (e->gc_minor << 8), "ip_discovery_version");
	memset(&ip, 0, sizeof(ip));
	req.query_hw_ip.type = AMDGPU_HW_IP_DMA;
	cr_assert_eq(drmCommandWrite(fd, DRM_AMDGPU_INFO, &req, sizeof(req)), 0);
	cr_expect_eq(ip.hw_ip_version_major, 4u, "sdma_v4_0_ip_block");
	cr_expect_eq(ip._pad, e->sdma_discovery);
	amdbare_device_close(dev);
	vgpu_test_cleanup();
}

Test(gfx9_vgpu, raven) { check_gfx9_profile(&gfx9_profs[0]); }
Test(gfx9_vgpu, cezanne) { check_gfx9_profile(&gfx9_profs[1]); }
Test(gfx9_vgpu, mi50) { check_gfx9_profile(&gfx9_profs[2]); }

/* The library plans dispatches on gfx9 (it has the table), refusing a
 * wave32 kernel; a GPU job runs on the vgpu's gfx9 engines: amdbare_fill
 * (an SDMA 4 constant fill) writes every dword of its range and no other
 * (the shader jobs: test_vgpu_gfx9.sh, test_linalg, test_kernels). */
Test(gfx9_vgpu, dispatch_plan_and_sdma_fill_on_mi50)
{
	vgpu_test_require();
	vgpu_test_use_profile("mi50", NULL);
	amdbare_device *dev = NULL;
	cr_assert_eq(amdbare_device_open(0, &dev), 0, "%s", amdbare_last_error());
	const void *data;
	size_t size;
	cr_assert_eq(kernel_registry_blob("util", "gfx906", &data, &size), 0);
	amdbare_codeobj *co;
	cr_assert_eq(amdbare_codeobj_load_memory(data, size, &co), 0, "%s", amdbare_last_error());
	amdbare_bo *code = NULL;
	uint64_t va = 0;
	cr_assert_eq(amdbare_codeobj_upload(co, dev, &code, &va), 0, "%s", amdbare_last_error());
	const amdbare_kernel_info *fk;
	cr_assert_eq(amdbare_codeobj_find_kernel(co, "fill_u32", &fk), 0);
	amdbare_dispatch_info di = {0};
	di.kernel = fk;
	di.code_bo = code;
	di.code_va = va;
	di.grid[0] = di.grid[1] = di.grid[2] = 1;
	di.block[0] = 256, di.block[1] = 1, di.block[2] = 1; /* its reqd_work_group_size */
	/* No arguments given: the plan gets past the generation table and the
	 * kernel's needs and stops at the arguments. */
	cr_expect_eq(amdbare_dispatch_check(&di), -EINVAL, "%s", amdbare_last_error());
	cr_expect(strstr(amdbare_last_error(), "argument"), "%s", amdbare_last_error());
	amdbare_kernel_info w32 = *fk;
	w32.wave32 = true;
	di.kernel = &w32;
	cr_expect_eq(amdbare_dispatch_check(&di), -ENOTSUP);
	cr_expect(strstr(amdbare_last_error(), "wave64 only"), "%s", amdbare_last_error());
	amdbare_kernel_info r3 = *fk;
	r3.compute_pgm_rsrc3 = 1;
	di.kernel = &r3;
	cr_expect_eq(amdbare_dispatch_check(&di), -ENOTSUP);
	cr_expect(strstr(amdbare_last_error(), "COMPUTE_PGM_RSRC3"), "%s", amdbare_last_error());
	amdbare_bo_free(code);
	amdbare_codeobj_free(co);

	amdbare_bo_create_info ci = {.size = 65536, .domains = AMDBARE_DOMAIN_GTT,
				     .flags = AMDBARE_BO_CPU_ACCESS};
	amdbare_bo *bo = NULL;
	cr_assert_eq(amdbare_bo_create(dev, &ci, &bo), 0, "%s", amdbare_last_error());
	void *map = NULL;
	cr_assert_eq(amdbare_bo_cpu_map(bo, &map), 0, "%s", amdbare_last_error());
	memset(map, 0, 65536);
	int r = amdbare_fill(dev, bo, 4, 65536 - 8, 0x12345678u);
	cr_assert_eq(r, 0, "fill returned %d: %s", r, amdbare_last_error());
	const uint32_t *u = map;
	cr_expect_eq(u[0], 0u, "the dword before the range is kept");
	cr_expect_eq(u[65536 / 4 - 1], 0u, "the dword after the range is kept");
	for (unsigned i = 1; i < 65536 / 4 - 1; i++)
		if (u[i] != 0x12345678u)
			cr_assert_fail("dword %u is 0x%08x after the fill", i, u[i]);
	amdbare_bo_free(bo);
	amdbare_device_close(dev);
	vgpu_test_cleanup();
}

/* The gfx9 targets without a profile run on a profile of the same ISA:
 * gfx900, gfx904 and gfx909 (gfx900's instruction set, as gfx902) on
 * raven, gfx908 (gfx906's plus MFMA, which these kernels do not use) on
 * mi50, each object's fill_u32 and gemv_f32 against the CPU; gfx90a's
 * own objects on its own profile, mi210 (packed work-item ids in v0,
 * VGPRs in granules of 8, COMPUTE_PGM_RSRC3, packed fp32). */
static void other_target(const char *target, const char *profile)
{
	vgpu_test_use_profile(profile, NULL);
	amdbare_device *dev = NULL;
	cr_assert_eq(amdbare_device_open(0, &dev), 0, "%s", amdbare_last_error());
	enum { N = 32, K = 64, FILL = 4096 };
	amdbare_bo_create_info ci = {.size = 65536, .domains = AMDBARE_DOMAIN_GTT,
				     .flags = AMDBARE_BO_CPU_ACCESS};
	amdbare_bo *bo = NULL;
	cr_assert_eq(amdbare_bo_create(dev, &ci, &bo), 0, "%s", amdbare_last_error());
	uint8_t *map = NULL;
	cr_assert_eq(amdbare_bo_cpu_map(bo, (void **)&map), 0, "%s", amdbare_last_error());
	memset(map, 0, 65536);
	float *w = (float *)map, *x = (float *)(map + 16384), *y = (float *)(map + 20480);
	for (unsigned i = 0; i < N * K; i++)
		w[i] = (float)((int)(i * 7 % 17) - 8) / 8.0f;
	for (unsigned i = 0; i < K; i++)
		x[i] = (float)((int)(i * 5 % 11) - 5) / 4.0f;
	const char *mods[2] = { "util", "gemv" };
	for (int m = 0; m < 2; m++) {
		const void *data;
		size_t size;
		cr_assert_eq(kernel_registry_blob(mods[m], target, &data, &size), 0, "%s %s",
			     mods[m], target);
		amdbare_codeobj *co;
		cr_assert_eq(amdbare_codeobj_load_memory(data, size, &co), 0, "%s",
			     amdbare_last_error());
		/* the library refuses code for another processor (the target
		 * check of amdbare_codeobj_upload): this rig names the device's
		 * own, the ISA being the same */
		cr_assert_str_eq(co->processor, target);
		amdbare_device_info info;
		amdbare_device_get_info(dev, &info);
		snprintf(co->processor, sizeof(co->processor), "%s", info.gfx_target);
		amdbare_bo *code = NULL;
		uint64_t va = 0;
		cr_assert_eq(amdbare_codeobj_upload(co, dev, &code, &va), 0, "%s",
			     amdbare_last_error());
		const amdbare_kernel_info *ki;
		amdbare_dispatch_info di = {0};
		di.code_bo = code;
		di.code_va = va;
		di.grid[1] = di.grid[2] = 1;
		di.block[0] = 256, di.block[1] = 1, di.block[2] = 1;
		if (m == 0) {
			cr_assert_eq(amdbare_codeobj_find_kernel(co, "fill_u32", &ki), 0);
			uint64_t count = FILL;
			uint32_t value = 0x5a5a0000u;
			amdbare_karg a[3] = { amdbare_karg_buffer(bo, 32768),
					      amdbare_karg_value(&count, 8),
					      amdbare_karg_value(&value, 4) };
			di.kernel = ki;
			di.grid[0] = 4;
			di.args = a;
			di.arg_count = 3;
			cr_assert_eq(amdbare_dispatch(dev, &di), 0, "%s fill_u32 on %s: %s", target,
				     profile, amdbare_last_error());
			const uint32_t *u = (const uint32_t *)(map + 32768);
			for (unsigned i = 0; i < FILL; i++)
				if (u[i] != value)
					cr_assert_fail("%s fill_u32: dword %u is 0x%08x", target, i, u[i]);
			cr_expect_eq(u[FILL], 0u, "%s fill_u32 wrote past its count", target);
		} else {
			cr_assert_eq(amdbare_codeobj_find_kernel(co, "gemv_f32", &ki), 0);
			uint32_t n = N, k = K, ldw = K, flags = 1; /* VF_VEC: 16-byte aligned */
			float alpha = 1.0f, beta = 0.0f;
			amdbare_karg a[9] = { amdbare_karg_buffer(bo, 0), amdbare_karg_buffer(bo, 16384),
					      amdbare_karg_buffer(bo, 20480), amdbare_karg_value(&n, 4),
					      amdbare_karg_value(&k, 4), amdbare_karg_value(&ldw, 4),
					      amdbare_karg_value(&flags, 4), amdbare_karg_value(&alpha, 4),
					      amdbare_karg_value(&beta, 4) };
			di.kernel = ki;
			di.grid[0] = N / 16; /* ROWS_PER_GROUP rows per workgroup */
			di.args = a;
			di.arg_count = 9;
			cr_assert_eq(amdbare_dispatch(dev, &di), 0, "%s gemv_f32 on %s: %s", target,
				     profile, amdbare_last_error());
			for (unsigned r = 0; r < N; r++) {
				double want = 0;
				for (unsigned c = 0; c < K; c++)
					want += (double)w[r * K + c] * x[c];
				/* inputs are multiples of 1/32 with small sums: exact in f32 */
				cr_expect_eq(y[r], (float)want, "%s gemv_f32 row %u: %g, want %g", target,
					     r, y[r], want);
			}
		}
		amdbare_bo_free(code);
		amdbare_codeobj_free(co);
	}
	amdbare_bo_free(bo);
	amdbare_device_close(dev);
	vgpu_test_cleanup();
}

Test(gfx9_vgpu, gfx900_on_raven) { vgpu_test_require(); other_target("gfx900", "raven"); }
Test(gfx9_vgpu, gfx904_on_raven) { vgpu_test_require(); other_target("gfx904", "raven"); }
Test(gfx9_vgpu, gfx909_on_raven) { vgpu_test_require(); other_target("gfx909", "raven"); }
Test(gfx9_vgpu, gfx908_on_mi50) { vgpu_test_require(); other_target("gfx908", "mi50"); }
Test(gfx9_vgpu, gfx90a_on_mi210) { vgpu_test_require(); other_target("gfx90a", "mi210"); }
