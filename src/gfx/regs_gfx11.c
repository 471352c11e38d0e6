/*
 * gfx11 (GC 11.x: RDNA3, RDNA3.5) as data.
 *
 * Register offsets: K: drivers/gpu/drm/amd/include/asic_reg/gc/gc_11_0_0_offset.h
 * (all of them BASE_IDX 0) plus GC segment 0 at 0x1260 (the GC_BASE__INST0_SEG0
 * the IP discovery table gives every GC 10/11 part; the same constant is in
 * include/navi10_ip_offset.h).  Bits: gc_11_0_0_sh_mask.h.  Packet fields:
 * amdgpu/nvd.h and amdgpu/gfx_v11_0.c.
 */
#include "regs_gen.h"

#define GC11_SEG0 0x1260u

const struct ab_gfx_gen ab_gfx_gen_gfx11 = {
	.name = "gfx11",
	.gc_major = 11,
	.gc_minor = 0, /* every GC 11.x shares the compute register map */
	/* nvd.h: PACKET3_SET_SH_REG_START 0x2c00, PACKET3_SET_SH_REG_END 0x3000 */
	.sh_reg_start = 0x2c00,
	.sh_reg_end = 0x3000,

	.compute_dispatch_initiator = GC11_SEG0 + 0x1ba0,       /* = 0x2e00 */
	.compute_start_x = GC11_SEG0 + 0x1ba4,                  /* = 0x2e04 */
	.compute_num_thread_x = GC11_SEG0 + 0x1ba7,             /* = 0x2e07 */
	.compute_pgm_lo = GC11_SEG0 + 0x1bac,                   /* = 0x2e0c */
	.compute_pgm_hi = GC11_SEG0 + 0x1bad,                   /* = 0x2e0d */
	.compute_dispatch_scratch_base_lo = GC11_SEG0 + 0x1bb0, /* = 0x2e10 */
	.compute_pgm_rsrc1 = GC11_SEG0 + 0x1bb2,                /* = 0x2e12 */
	.compute_pgm_rsrc2 = GC11_SEG0 + 0x1bb3,                /* = 0x2e13 */
	.compute_pgm_rsrc3 = GC11_SEG0 + 0x1bc8,                /* = 0x2e28 */
	.compute_resource_limits = GC11_SEG0 + 0x1bb5,          /* = 0x2e15 */
	.compute_static_thread_mgmt_se0 = GC11_SEG0 + 0x1bb6,   /* = 0x2e16 */
	.compute_tmpring_size = GC11_SEG0 + 0x1bb8,             /* = 0x2e18 */
	.compute_restart_x = GC11_SEG0 + 0x1bbb,                /* = 0x2e1b */
	.compute_user_data_0 = GC11_SEG0 + 0x1be0,              /* = 0x2e40 */
	.compute_user_data_count = 16,                          /* USER_DATA_0..15 (0x1be0..0x1bef) */

	/* COMPUTE_DISPATCH_INITIATOR__*__SHIFT: 0, 2, 0xf */
	.initiator_compute_shader_en = 1u << 0,
	.initiator_force_start_at_000 = 1u << 2,
	.initiator_cs_w32_en = 1u << 15,

	/* gfx_v11_0_emit_mem_sync: GL2_INV(1)<<14 | GL2_WB(1)<<15 | GLM_INV<<5 |
	 * GLM_WB<<4 | GL1_INV<<9 | GLV_INV<<8 | GLK_INV<<7 | GLI_INV<<0 = 0xc3b1 */
	.acquire_mem = AB_ACQUIRE_MEM_GCR_CNTL,
	.acquire_mem_gcr_all = 0xc3b1,
	/* Linux 6.1's gfx_v11_0_ring_emit_fence: GCR_SEQ 1<<22 | GL2_WB 1<<21 |
	 * GL2_INV 1<<20 | GL2_US 1<<16 | GL1_INV 1<<15 | GLV_INV 1<<14 |
	 * GLM_INV 1<<13 | GLM_WB 1<<12 | CACHE_POLICY(3)<<25 | EVENT_TYPE(0x14)
	 * | EVENT_INDEX(5)<<8 = 0x0671f514.  Linux 6.12 emits only GCR_SEQ |
	 * GL2_WB | GLM_INV | GLM_WB (0x06603514, gfx10's value); the 6.1 form
	 * is kept because its extra invalidations make our fence also a full
	 * acquire for the next job on every kernel version. */
	.release_mem = AB_RELEASE_MEM_GCR,
	.release_mem_event_cntl_eop = 0x0671f514,

	/* soc21_enum.h: CS_PARTIAL_FLUSH 0x7, CACHE_FLUSH_AND_INV_TS_EVENT 0x14 */
	.event_cs_partial_flush = 0x07,
	.event_cache_flush_and_inv_ts = 0x14,

	/* PACKET3(PACKET3_NOP, 0x3FFF) = 3<<30 | 0x3fff<<16 | 0x10<<8 */
	.pm4_nop_dword = 0xffff1000,

	/* gc_11_0_0_sh_mask.h COMPUTE_TMPRING_SIZE__WAVESIZE_MASK 0x07FFF000
	 * (15 bits); 256-byte units (LLVM's gfx11 tests: alignto(size, 256) /
	 * 256); WAVES per shader engine. */
	.scratch = AB_SCRATCH_ARCHITECTED,
	.scratch_srd = AB_SRD_NONE,
	.tmpring_wavesize_unit = 256,
	.tmpring_wavesize_max = 0x7fff,
	.tmpring_waves_per_se = 1,
};
