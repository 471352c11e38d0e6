/*
 * PM4 and SDMA packet builders: exact dwords.  Every expected value is
 * derived by hand from the kernel headers, with the derivation next to it:
 *   K:nvd.h       drivers/gpu/drm/amd/amdgpu/nvd.h
 *   K:gfx11       drivers/gpu/drm/amd/amdgpu/gfx_v11_0.c
 *   K:gc11        drivers/gpu/drm/amd/include/asic_reg/gc/gc_11_0_0_offset.h
 *   K:sdma6       drivers/gpu/drm/amd/amdgpu/sdma_v6_0_0_pkt_open.h, sdma_v6_0.c
 * A type-3 header is 3<<30 | (total-2)<<16 | opcode<<8 | compute<<1.
 */
#include "gfx/regs_gen.h"
#include "gfx/ib_dwbuf.h"
#include "gfx/pm4_builder.h"
#include "gfx/sdma_builder.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

static uint32_t storage[64];
static struct ab_dwbuf buf;
static struct ab_pm4 pm4;

static void setup(void)
{
	memset(storage, 0xcc, sizeof(storage));
	ab_dwbuf_init_fixed(&buf, storage, 64);
	pm4 = (struct ab_pm4){ &buf, &ab_gfx_gen_gfx11, true };
}

static void expect(const uint32_t *want, uint32_t n)
{
	cr_assert_eq(buf.err, 0, "stream error %d", buf.err);
	cr_assert_eq(buf.len, n, "length %u, expected %u", buf.len, n);
	for (uint32_t i = 0; i < n; i++)
		cr_expect_eq(storage[i], want[i], "dword %u: 0x%08x, expected 0x%08x", i, storage[i],
			     want[i]);
}

TestSuite(pm4, .init = setup);
TestSuite(sdma, .init = setup);
TestSuite(gfx_regs);

/* ---- per-generation table ------------------------------------------------- */

Test(gfx_regs, gfx11_offsets_are_header_values_plus_gc_seg0)
{
	const struct ab_gfx_gen *g = ab_gfx_gen_lookup(11, 0);
	cr_assert_not_null(g);
	cr_assert_eq(ab_gfx_gen_lookup(11, 5), g, "GC 11.5 uses the same map");
	/* K:gc11 regCOMPUTE_DISPATCH_INITIATOR 0x1ba0 + GC_BASE__INST0_SEG0 0x1260 */
	cr_expect_eq(g->compute_dispatch_initiator, 0x2e00);
	cr_expect_eq(g->compute_start_x, 0x2e04);          /* 0x1ba4 + 0x1260 */
	cr_expect_eq(g->compute_num_thread_x, 0x2e07);     /* 0x1ba7 + 0x1260 */
	cr_expect_eq(g->compute_pgm_lo, 0x2e0c);           /* 0x1bac + 0x1260 */
	cr_expect_eq(g->compute_pgm_hi, 0x2e0d);           /* 0x1bad + 0x1260 */
	cr_expect_eq(g->compute_dispatch_scratch_base_lo, 0x2e10); /* 0x1bb0 + 0x1260 */
	cr_expect_eq(g->compute_pgm_rsrc1, 0x2e12);        /* 0x1bb2 + 0x1260 */
	cr_expect_eq(g->compute_pgm_rsrc2, 0x2e13);        /* 0x1bb3 + 0x1260 */
	cr_expect_eq(g->compute_resource_limits, 0x2e15);  /* 0x1bb5 + 0x1260 */
	cr_expect_eq(g->compute_static_thread_mgmt_se0, 0x2e16); /* 0x1bb6 + 0x1260 */
	cr_expect_eq(g->compute_tmpring_size, 0x2e18);     /* 0x1bb8 + 0x1260 */
	cr_expect_eq(g->compute_restart_x, 0x2e1b);        /* 0x1bbb + 0x1260 */
	cr_expect_eq(g->compute_pgm_rsrc3, 0x2e28);        /* 0x1bc8 + 0x1260 */
	cr_expect_eq(g->compute_user_data_0, 0x2e40);      /* 0x1be0 + 0x1260 */
	cr_expect_eq(g->compute_user_data_count, 16);      /* USER_DATA_0..15 = 0x1be0..0x1bef */
	/* gc_11_0_0_sh_mask.h: COMPUTE_SHADER_EN shift 0, FORCE_START_AT_000 2, CS_W32_EN 0xf */
	cr_expect_eq(g->initiator_compute_shader_en | g->initiator_force_start_at_000 |
		     g->initiator_cs_w32_en, 0x8005);
}

Test(gfx_regs, other_generations_are_not_built)
{
	cr_expect_null(ab_gfx_gen_lookup(10, 1)); /* RDNA1; gfx10.3: tests/test_gfx103.c */
	cr_expect_null(ab_gfx_gen_lookup_ip(9, 4, 3)); /* gfx942; gfx9: tests/test_gfx9.c */
	cr_expect_null(ab_gfx_gen_lookup(12, 0));
}

/* ---- PM4 ------------------------------------------------------------------ */

Test(pm4, header_fields)
{
	/* SET_SH_REG 0x76, 3 dwords, compute: 0xC0000000 | 1<<16 | 0x7600 | 2 */
	cr_expect_eq(ab_pm4_header(0x76, 3, true), 0xC0017602u);
	/* the same without the shader-type bit */
	cr_expect_eq(ab_pm4_header(0x76, 3, false), 0xC0017600u);
	/* NOP 0x10 with the largest count 0x3FFF (total 0x4001): 0xC0000000 | 0x3FFF0000 | 0x1000 */
	cr_expect_eq(ab_pm4_header(0x10, 0x4001, false), 0xFFFF1000u);
}

Test(pm4, set_sh_reg_single)
{
	cr_assert_eq(ab_pm4_set_sh_reg1(&pm4, ab_gfx_gen_gfx11.compute_pgm_lo, 0x12345678), 0);
	/* header PACKET3_COMPUTE(SET_SH_REG, 1); offset 0x2e0c - PACKET3_SET_SH_REG_START 0x2c00 */
	const uint32_t want[] = { 0xC0017602u, 0x20cu, 0x12345678u };
	expect(want, 3);
}

Test(pm4, set_sh_reg_user_data_run)
{
	const uint32_t v[4] = { 1, 2, 3, 4 };
	cr_assert_eq(ab_pm4_set_sh_reg(&pm4, ab_gfx_gen_gfx11.compute_user_data_0, v, 4), 0);
	/* total 6 -> count 4: 0xC0000000 | 4<<16 | 0x7600 | 2; offset 0x2e40 - 0x2c00 = 0x240 */
	const uint32_t want[] = { 0xC0047602u, 0x240u, 1, 2, 3, 4 };
	expect(want, 6);
}

Test(pm4, set_sh_reg_outside_window_is_rejected)
{
	uint32_t v[2] = { 0, 0 };
	cr_expect_eq(ab_pm4_set_sh_reg(&pm4, 0x2bff, v, 1), -EINVAL); /* below 0x2c00 */
	setup();
	cr_expect_eq(ab_pm4_set_sh_reg(&pm4, 0x3000, v, 1), -EINVAL); /* END is exclusive */
	setup();
	cr_expect_eq(ab_pm4_set_sh_reg(&pm4, 0x2fff, v, 2), -EINVAL); /* runs past the end */
	cr_expect_eq(buf.len, 0, "nothing written");
	setup();
	cr_expect_eq(ab_pm4_set_sh_reg(&pm4, 0x2fff, v, 1), 0);       /* last register is fine */
}

Test(pm4, acquire_mem_gfx11)
{
	cr_assert_eq(ab_pm4_acquire_mem(&pm4), 0);
	/* K:gfx11 gfx_v11_0_emit_mem_sync: PACKET3(ACQUIRE_MEM 0x58, 6) + compute bit
	 *   = 0xC0000000 | 6<<16 | 0x5800 | 2 = 0xC0065802
	 * COHER_CNTL 0, SIZE 0xffffffff, SIZE_HI 0xffffff, BASE 0, BASE_HI 0, POLL 0xa,
	 * GCR_CNTL = GL2_INV 1<<14 | GL2_WB 1<<15 | GLM_INV 1<<5 | GLM_WB 1<<4 |
	 *            GL1_INV 1<<9 | GLV_INV 1<<8 | GLK_INV 1<<7 | GLI_INV 1<<0 = 0xc3b1 */
	const uint32_t want[] = { 0xC0065802u, 0, 0xffffffffu, 0x00ffffffu, 0, 0, 0xa, 0xc3b1 };
	expect(want, 8);
}

Test(pm4, dispatch_direct)
{
	uint32_t init = ab_gfx_gen_gfx11.initiator_compute_shader_en |
			ab_gfx_gen_gfx11.initiator_force_start_at_000 |
			ab_gfx_gen_gfx11.initiator_cs_w32_en;
	cr_assert_eq(ab_pm4_dispatch_direct(&pm4, 4, 2, 1, init), 0);
	/* K:nvd.h DISPATCH_DIRECT 0x15, total 5: 0xC0000000 | 3<<16 | 0x1500 | 2 */
	const uint32_t want[] = { 0xC0031502u, 4, 2, 1, 0x8005 };
	expect(want, 5);
}

Test(pm4, event_write_cs_partial_flush)
{
	cr_assert_eq(ab_pm4_cs_partial_flush(&pm4), 0);
	/* EVENT_WRITE 0x46, total 2: 0xC0004602; soc21_enum.h CS_PARTIAL_FLUSH 7,
	 * K:nvd.h EVENT_INDEX(4) for *S_PARTIAL_FLUSH: 7 | 4<<8 = 0x407 */
	const uint32_t want[] = { 0xC0004602u, 0x407 };
	expect(want, 2);
}

Test(pm4, release_mem_32_and_64)
{
	cr_assert_eq(ab_pm4_release_mem(&pm4, 0x123456780ull, 0xdeadbeef, false), 0);
	cr_assert_eq(ab_pm4_release_mem(&pm4, 0x123456788ull, 0x1122334455667788ull, true), 0);
	/* K:gfx11 gfx_v11_0_ring_emit_fence: PACKET3(RELEASE_MEM 0x49, 6) + compute = 0xC0064902;
	 * EVENT_CNTL = GCR_SEQ 1<<22 | GL2_WB 1<<21 | GL2_INV 1<<20 | GL2_US 1<<16 |
	 *   GL1_INV 1<<15 | GLV_INV 1<<14 | GLM_INV 1<<13 | GLM_WB 1<<12 |
	 *   CACHE_POLICY(3)<<25 | CACHE_FLUSH_AND_INV_TS_EVENT 0x14 | EVENT_INDEX(5)<<8
	 *   = 0x0671f514; DATA_SEL(1)<<29 = 0x20000000 (32 bit), DATA_SEL(2)<<29 = 0x40000000 */
	const uint32_t want[] = {
		0xC0064902u, 0x0671f514u, 0x20000000u, 0x23456780u, 0x1u, 0xdeadbeefu, 0, 0,
		0xC0064902u, 0x0671f514u, 0x40000000u, 0x23456788u, 0x1u, 0x55667788u, 0x11223344u, 0,
	};
	expect(want, 16);
}

Test(pm4, release_mem_misaligned)
{
	cr_expect_eq(ab_pm4_release_mem(&pm4, 0x1002, 1, false), -EINVAL);
	setup();
	cr_expect_eq(ab_pm4_release_mem(&pm4, 0x1004, 1, true), -EINVAL);
	cr_expect_eq(buf.len, 0);
}

Test(pm4, write_data)
{
	const uint32_t v[2] = { 0xaaaa5555u, 0x01234567u };
	cr_assert_eq(ab_pm4_write_data(&pm4, 0xabcd00001000ull, v, 2), 0);
	/* WRITE_DATA 0x37, total 6: 0xC0000000 | 4<<16 | 0x3700 | 2 = 0xC0043702;
	 * WRITE_DATA_DST_SEL(5)<<8 | WR_CONFIRM 1<<20 = 0x100500 */
	const uint32_t want[] = { 0xC0043702u, 0x00100500u, 0x00001000u, 0x0000abcdu,
				  0xaaaa5555u, 0x01234567u };
	expect(want, 6);
}

Test(pm4, wait_reg_mem_memory_equal)
{
	cr_assert_eq(ab_pm4_wait_reg_mem(&pm4, 0x200000040ull, 7, 0xffffffffu, AB_PM4_WAIT_EQ,
					 0xa), 0);
	/* K:gfx11 gfx_v11_0_wait_reg_mem: PACKET3(WAIT_REG_MEM 0x3c, 5) + compute = 0xC0053C02;
	 * MEM_SPACE(1)<<4 | OPERATION(0)<<6 | FUNCTION(3) | ENGINE(0)<<8 = 0x13 */
	const uint32_t want[] = { 0xC0053C02u, 0x13, 0x40, 0x2, 7, 0xffffffffu, 0xa };
	expect(want, 7);
}

Test(pm4, indirect_buffer)
{
	cr_assert_eq(ab_pm4_indirect_buffer(&pm4, 0x800012345678ull, 100), 0);
	/* K:gfx11 gfx_v11_0_ring_emit_ib_compute: PACKET3(INDIRECT_BUFFER 0x3f, 2) + compute
	 * = 0xC0023F02; addr & ~3, upper & 0xffff, INDIRECT_BUFFER_VALID 1<<23 | 100 */
	const uint32_t want[] = { 0xC0023F02u, 0x12345678u, 0x8000u, 0x00800064u };
	expect(want, 4);
	cr_expect_eq(ab_pm4_indirect_buffer(&pm4, 0x1002, 4), -EINVAL);
	cr_expect_eq(ab_pm4_indirect_buffer(&pm4, 0x1000, 1u << 20), -EINVAL);
}

Test(pm4, nop_forms)
{
	cr_assert_eq(ab_pm4_nop(&pm4, 1), 0);
	cr_assert_eq(ab_pm4_nop(&pm4, 3), 0);
	/* one dword: the ring's filler PACKET3(NOP, 0x3FFF) = 0xFFFF1000 (K:gfx11 .nop);
	 * three: PACKET3_COMPUTE(NOP 0x10, 1) = 0xC0011002 and two body dwords */
	const uint32_t want[] = { 0xFFFF1000u, 0xC0011002u, 0, 0 };
	expect(want, 4);
}

Test(pm4, big_nop_splits_at_the_count_limit)
{
	uint32_t *big = calloc(0x5000, 4);
	struct ab_dwbuf b;
	ab_dwbuf_init_fixed(&b, big, 0x5000);
	struct ab_pm4 p = { &b, &ab_gfx_gen_gfx11, false };
	/* 0x4002 = one full packet of 0x4001 dwords would leave 1: split 0x4000 + 2 */
	cr_assert_eq(ab_pm4_nop(&p, 0x4002), 0);
	cr_expect_eq(b.len, 0x4002);
	cr_expect_eq(big[0], 0xC0000000u | (0x3ffeu << 16) | 0x1000u);
	cr_expect_eq(big[0x4000], 0xC0001000u); /* PACKET3(NOP, 0): total 2 */
	free(big);
}

Test(pm4, overflow_is_sticky)
{
	struct ab_dwbuf b;
	uint32_t small[4];
	ab_dwbuf_init_fixed(&b, small, 4);
	struct ab_pm4 p = { &b, &ab_gfx_gen_gfx11, true };
	cr_expect_eq(ab_pm4_dispatch_direct(&p, 1, 1, 1, 1), -ENOSPC);
	cr_expect_eq(b.len, 0);
	cr_expect_eq(ab_pm4_event_write(&p, 7, 4), -ENOSPC, "the first error stays");
	cr_expect_eq(b.len, 0);
}

/* ---- SDMA v6 -------------------------------------------------------------- */

Test(sdma, copy_linear)
{
	cr_assert_eq(ab_sdma_copy_linear(&buf, 0x111122223333ull, 0x444455556666ull, 4096), 0);
	/* K:sdma6 sdma_v6_0_emit_copy_buffer: OP(COPY 1) | SUB_OP(LINEAR 0)<<8 = 1;
	 * byte_count - 1; 0; src lo, hi; dst lo, hi */
	const uint32_t want[] = { 1, 4095, 0, 0x55556666u, 0x4444u, 0x22223333u, 0x1111u };
	expect(want, 7);
}

Test(sdma, big_copy_splits_at_copy_max_bytes)
{
	/* 9 MiB + 12 = 0x90000c bytes: sdma_v6_0_buffer_funcs copy_max_bytes 0x400000
	 * -> 0x400000, 0x400000, 0x10000c */
	uint64_t size = 0x90000cull;
	cr_assert_eq(ab_sdma_copy_packets(size), 3);
	cr_assert_eq(ab_sdma_copy(&buf, 0x10000000ull, 0x20000000ull, size), 0);
	cr_assert_eq(buf.len, 21);
	cr_expect_eq(storage[1], 0x3fffffu);
	cr_expect_eq(storage[3], 0x20000000u);
	cr_expect_eq(storage[5], 0x10000000u);
	cr_expect_eq(storage[8], 0x3fffffu);
	cr_expect_eq(storage[10], 0x20400000u);
	cr_expect_eq(storage[12], 0x10400000u);
	cr_expect_eq(storage[15], 0x10000bu);
	cr_expect_eq(storage[17], 0x20800000u);
	cr_expect_eq(storage[19], 0x10800000u);
	cr_expect_eq(ab_sdma_copy_linear(&buf, 0, 0, 0x400001), -EINVAL);
}

Test(sdma, const_fill)
{
	cr_assert_eq(ab_sdma_const_fill(&buf, 0x7000001000ull, 256, 0xcafef00du), 0);
	/* K:sdma6 sdma_v6_0_emit_fill_buffer: OP(CONST_FILL 11) | FILLSIZE(2: dword)<<30
	 * = 0x8000000b; dst lo, hi; data; byte_count - 1 */
	const uint32_t want[] = { 0x8000000bu, 0x00001000u, 0x70u, 0xcafef00du, 255 };
	expect(want, 5);
}

Test(sdma, fill_alignment_and_split)
{
	cr_expect_eq(ab_sdma_const_fill(&buf, 0x1002, 8, 0), -EINVAL);
	setup();
	cr_expect_eq(ab_sdma_fill(&buf, 0x1000, 6, 0), -EINVAL);
	setup();
	cr_assert_eq(ab_sdma_fill(&buf, 0x1000, 0x400000 + 8, 1), 0);
	cr_expect_eq(buf.len, 10);
	cr_expect_eq(storage[4], 0x3fffffu);
	cr_expect_eq(storage[6], 0x401000u);
	cr_expect_eq(storage[9], 7u);
}

Test(sdma, write_fence_pad)
{
	const uint32_t v[2] = { 5, 6 };
	cr_assert_eq(ab_sdma_write(&buf, 0x2000, v, 2), 0);
	cr_assert_eq(ab_sdma_fence(&buf, 0x3000, 42), 0);
	cr_assert_eq(ab_sdma_pad(&buf, 8), 0);
	/* WRITE: OP 2 | SUB_OP(WRITE_LINEAR 0), dst lo, hi, ndw - 1 (sdma_v6_0_vm_write_pte);
	 * FENCE: OP 5 | MTYPE(3)<<16 = 0x30005 (sdma_v6_0_ring_emit_fence);
	 * 10 dwords padded to 16 with NOP (OP 0) dwords (sdma_v6_0_ring_pad_ib) */
	const uint32_t want[] = { 2, 0x2000, 0, 1, 5, 6, 0x30005u, 0x3000, 0, 42,
				  0, 0, 0, 0, 0, 0 };
	expect(want, 16);
	cr_assert_eq(ab_sdma_pad(&buf, 8), 0);
	cr_expect_eq(buf.len, 16, "already aligned: nothing added");
}
