/*
 * gfx10.3 (GC 10.3.x: RDNA2 — Navi 21-24, Van Gogh, Rembrandt, Raphael,
 * Mendocino) as data.
 *
 * Register offsets: K: drivers/gpu/drm/amd/include/asic_reg/gc/gc_10_3_0_offset.h
 * (all BASE_IDX 0) plus GC segment 0 at 0x1260 (GC_BASE__INST0_SEG0 in
 * sienna_cichlid_ip_offset.h, vangogh_ip_offset.h, dimgrey_cavefish_ip_offset.h
 * and beige_goby_ip_offset.h alike).  The compute registers the library
 * writes sit at the same offsets as on gfx11.  Bits: gc_10_3_0_sh_mask.h.
 * Packet fields: amdgpu/nvd.h and amdgpu/gfx_v10_0.c (Linux 6.12).
 */
#include "regs_gen.h"

#define GC103_SEG0 0x1260u

const struct ab_gfx_gen ab_gfx_gen_gfx103 = {
	.name = "gfx10.3",
	.gc_major = 10,
	.gc_minor = 3,
	/* nvd.h: PACKET3_SET_SH_REG_START 0x2c00, PACKET3_SET_SH_REG_END 0x3000 */
	.sh_reg_start = 0x2c00,
	.sh_reg_end = 0x3000,

	.compute_dispatch_initiator = GC103_SEG0 + 0x1ba0,       /* = 0x2e00 */
	.compute_start_x = GC103_SEG0 + 0x1ba4,                  /* = 0x2e04 */
	.compute_num_thread_x = GC103_SEG0 + 0x1ba7,             /* = 0x2e07 */
	.compute_pgm_lo = GC103_SEG0 + 0x1bac,                   /* = 0x2e0c */
	.compute_pgm_hi = GC103_SEG0 + 0x1bad,                   /* = 0x2e0d */
	/* Present in the header but not written on gfx10.3: its waves get
	 * scratch through the private segment buffer (AB_SCRATCH_BUFFER_SRD). */
	.compute_dispatch_scratch_base_lo = GC103_SEG0 + 0x1bb0, /* = 0x2e10 */
	.compute_pgm_rsrc1 = GC103_SEG0 + 0x1bb2,                /* = 0x2e12 */
	.compute_pgm_rsrc2 = GC103_SEG0 + 0x1bb3,                /* = 0x2e13 */
	.compute_pgm_rsrc3 = GC103_SEG0 + 0x1bc8,                /* = 0x2e28 */
	.compute_resource_limits = GC103_SEG0 + 0x1bb5,          /* = 0x2e15 */
	.compute_static_thread_mgmt_se0 = GC103_SEG0 + 0x1bb6,   /* = 0x2e16 */
	.compute_tmpring_size = GC103_SEG0 + 0x1bb8,             /* = 0x2e18 */
	.compute_restart_x = GC103_SEG0 + 0x1bbb,                /* = 0x2e1b */
	.compute_user_data_0 = GC103_SEG0 + 0x1be0,              /* = 0x2e40 */
	.compute_user_data_count = 16,                           /* USER_DATA_0..15 (0x1be0..0x1bef) */

	/* COMPUTE_DISPATCH_INITIATOR__*__SHIFT: 0, 2, 0xf */
	.initiator_compute_shader_en = 1u << 0,
	.initiator_force_start_at_000 = 1u << 2,
	.initiator_cs_w32_en = 1u << 15,

	/* gfx_v10_0_emit_mem_sync: the same GCR_CNTL as gfx11's: GL2_INV<<14 |
	 * GL2_WB<<15 | GLM_INV<<5 | GLM_WB<<4 | GL1_INV<<9 | GLV_INV<<8 |
	 * GLK_INV<<7 | GLI_INV<<0 = 0xc3b1, in the same 7-dword body. */
	.acquire_mem = AB_ACQUIRE_MEM_GCR_CNTL,
	.acquire_mem_gcr_all = 0xc3b1,
	/* gfx_v10_0_ring_emit_fence: GCR_SEQ 1<<22 | GL2_WB 1<<21 | GLM_INV
	 * 1<<13 | GLM_WB 1<<12 | CACHE_POLICY(3)<<25 |
	 * EVENT_TYPE(CACHE_FLUSH_AND_INV_TS_EVENT 0x14) | EVENT_INDEX(5)<<8 =
	 * 0x06603514 (no GL2_INV/GL2_US/GL1_INV/GLV_INV, unlike the gfx11
	 * table's value). */
	.release_mem = AB_RELEASE_MEM_GCR,
	.release_mem_event_cntl_eop = 0x06603514,

	/* navi10_enum.h: CS_PARTIAL_FLUSH 0x7, CACHE_FLUSH_AND_INV_TS_EVENT 0x14 */
	.event_cs_partial_flush = 0x07,
	.event_cache_flush_and_inv_ts = 0x14,

	/* gfx_v10_0.c .nop = PACKET3(PACKET3_NOP, 0x3FFF) */
	.pm4_nop_dword = 0xffff1000,

	/* gc_10_3_0_sh_mask.h COMPUTE_TMPRING_SIZE__WAVESIZE_MASK 0x01FFF000
	 * (13 bits) in 1 KiB units (LLVM's gfx10 tests: alignto(size, 1024) /
	 * 1024); WAVES counts for the whole device, not per shader engine
	 * (Mesa ac_get_scratch_tmpring_size divides by the SE count on gfx11
	 * only). */
	.scratch = AB_SCRATCH_BUFFER_SRD,
	.scratch_srd = AB_SRD_GFX10,
	.tmpring_wavesize_unit = 1024,
	.tmpring_wavesize_max = 0x1fff,
	.tmpring_waves_per_se = 0,
};

/* The scratch V# as ROCr builds it for gfx10 (AqlQueue::InitScratchSRD,
 * SQ_BUF_RSRC_WORD3_GFX10), field positions as in Mesa's sid.h:
 *   word0 BASE_ADDRESS (bits 0..31 of va)
 *   word1 BASE_ADDRESS_HI bits 0..15, STRIDE 16..29 = 0, CACHE_SWIZZLE 30
 *         = 0, SWIZZLE_ENABLE 31 = 1
 *   word2 NUM_RECORDS = bytes
 *   word3 DST_SEL_X/Y/Z/W 0..11 = SQ_SEL_X..W (4, 5, 6, 7; navi10_enum.h),
 *         FORMAT 12..18 = BUF_FORMAT_32_UINT (20), INDEX_STRIDE 21..22,
 *         ADD_TID_ENABLE 23 = 1, RESOURCE_LEVEL 24 = 1, OOB_SELECT 28..29
 *         = 2 (no bounds check in swizzle mode), TYPE 30..31 = SQ_RSRC_BUF (0).
 * ROCr leaves INDEX_STRIDE 0 for the AQL packet processor to fill from the
 * wave size; a PM4 dispatch has no such step, so it is set here: 3 (64
 * lanes) or 2 (32 lanes), the interleave the kernel's scratch accesses
 * and the SPI's per-wave slots assume. */
void ab_gfx103_scratch_srd(uint64_t va, uint32_t bytes, int wave32, uint32_t out[4])
{
	if (!va) {
		out[0] = out[1] = out[2] = out[3] = 0;
		return;
	}
	out[0] = (uint32_t)va;
	out[1] = ((uint32_t)(va >> 32) & 0xffffu) | (1u << 31);
	out[2] = bytes;
	out[3] = 4u | (5u << 3) | (6u << 6) | (7u << 9) | (20u << 12) |
		 ((wave32 ? 2u : 3u) << 21) | (1u << 23) | (1u << 24) | (2u << 28);
}
