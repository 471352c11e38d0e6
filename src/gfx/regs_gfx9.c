/*
 * gfx9 (GC 9.x: GCN 5 "Vega" — Vega 10/12/20, Raven/Picasso, Renoir and
 * Cezanne APUs, Arcturus MI100, Aldebaran MI200) as data.
 *
 * Register offsets: K: drivers/gpu/drm/amd/include/asic_reg/gc/gc_9_0_offset.h
 * (all BASE_IDX 0; gc_9_1, gc_9_2_1, gc_9_4_1 and gc_9_4_2 have the same
 * compute offsets) plus GC segment 0 at 0x2000 (GC_BASE__INST0_SEG0 in
 * vega10_ip_offset.h, which Raven also uses, and vega20_, renoir_, arct_
 * and aldebaran_ip_offset.h alike).  The absolute offsets equal gfx10/11's
 * (0x2000 + 0xe00 = 0x1260 + 0x1ba0).  Bits: gc_9_0_sh_mask.h.  Packet
 * fields: amdgpu/soc15d.h and amdgpu/gfx_v9_0.c (Linux 6.12).
 *
 * What differs from gfx10.3: ACQUIRE_MEM has CP_COHER_CNTL and no
 * GCR_CNTL; RELEASE_MEM's EVENT_CNTL carries the EOP_* cache actions; no
 * wave32 (DISPATCH_INITIATOR has no CS_W32_EN); COMPUTE_PGM_RSRC3 exists
 * only on gfx90a (GC 9.4.2, gc_9_4_2_offset.h regCOMPUTE_PGM_RSRC3 0x0e2d);
 * the scratch V# word 3 has the older NUM_FORMAT/DATA_FORMAT layout.
 */
#include "regs_gen.h"

#define GC9_SEG0 0x2000u

/* gfx_v9_0_emit_mem_sync: SH_ICACHE_ACTION_ENA(1) << 29 |
 * SH_KCACHE_ACTION_ENA(1) << 27 | TC_ACTION_ENA(1) << 23 |
 * TCL1_ACTION_ENA(1) << 22 | TC_WB_ACTION_ENA(1) << 18 = 0x28c40000
 * (soc15d.h PACKET3_ACQUIRE_MEM_CP_COHER_CNTL_*). */
#define GC9_COHER_CNTL 0x28c40000u
/* gfx_v9_0_ring_emit_fence without TC_WB_ONLY: EOP_TCL1_ACTION_EN 1<<16 |
 * EOP_TC_ACTION_EN 1<<17 | EOP_TC_MD_ACTION_EN 1<<21 | EOP_TC_WB_ACTION_EN
 * 1<<15 | EVENT_TYPE(CACHE_FLUSH_AND_INV_TS_EVENT 0x14) | EVENT_INDEX(5)<<8
 * = 0x00238514. */
#define GC9_EOP_EVENT_CNTL 0x00238514u

#define GC9_COMMON                                                                  \
	.gc_major = 9,                                                              \
	/* soc15d.h: PACKET3_SET_SH_REG_START 0x2c00, PACKET3_SET_SH_REG_END 0x3000 */ \
	.sh_reg_start = 0x2c00,                                                     \
	.sh_reg_end = 0x3000,                                                       \
	.compute_dispatch_initiator = GC9_SEG0 + 0x0e00,       /* = 0x2e00 */      \
	.compute_start_x = GC9_SEG0 + 0x0e04,                  /* = 0x2e04 */      \
	.compute_num_thread_x = GC9_SEG0 + 0x0e07,             /* = 0x2e07 */      \
	.compute_pgm_lo = GC9_SEG0 + 0x0e0c,                   /* = 0x2e0c */      \
	.compute_pgm_hi = GC9_SEG0 + 0x0e0d,                   /* = 0x2e0d */      \
	/* In the header, not written: waves reach scratch through the V#. */      \
	.compute_dispatch_scratch_base_lo = GC9_SEG0 + 0x0e10, /* = 0x2e10 */      \
	.compute_pgm_rsrc1 = GC9_SEG0 + 0x0e12,                /* = 0x2e12 */      \
	.compute_pgm_rsrc2 = GC9_SEG0 + 0x0e13,                /* = 0x2e13 */      \
	.compute_resource_limits = GC9_SEG0 + 0x0e15,          /* = 0x2e15 */      \
	.compute_static_thread_mgmt_se0 = GC9_SEG0 + 0x0e16,   /* = 0x2e16 */      \
	.compute_tmpring_size = GC9_SEG0 + 0x0e18,             /* = 0x2e18 */      \
	.compute_restart_x = GC9_SEG0 + 0x0e1b,                /* = 0x2e1b */      \
	.compute_user_data_0 = GC9_SEG0 + 0x0e40,              /* = 0x2e40 */      \
	.compute_user_data_count = 16,            /* USER_DATA_0..15 (0xe40..0xe4f) */ \
	/* COMPUTE_DISPATCH_INITIATOR__*__SHIFT: 0, 2; no CS_W32_EN on gfx9 */     \
	.initiator_compute_shader_en = 1u << 0,                                     \
	.initiator_force_start_at_000 = 1u << 2,                                    \
	.initiator_cs_w32_en = 0,                                                   \
	.acquire_mem = AB_ACQUIRE_MEM_COHER_CNTL,                                   \
	.acquire_mem_coher_cntl = GC9_COHER_CNTL,                                   \
	.release_mem = AB_RELEASE_MEM_GFX9,                                         \
	.release_mem_event_cntl_eop = GC9_EOP_EVENT_CNTL,                           \
	/* vega10_enum.h: CS_PARTIAL_FLUSH 0x7, CACHE_FLUSH_AND_INV_TS_EVENT 0x14 */ \
	.event_cs_partial_flush = 0x07,                                             \
	.event_cache_flush_and_inv_ts = 0x14,                                       \
	/* gfx_v9_0.c .nop = PACKET3(PACKET3_NOP, 0x3FFF) */                        \
	.pm4_nop_dword = 0xffff1000,                                                \
	/* gc_9_0_sh_mask.h COMPUTE_TMPRING_SIZE__WAVESIZE_MASK 0x01FFF000 (13     \
	 * bits) in 1 KiB units (Mesa: WAVESIZE = bytes per wave >> 10 before     \
	 * gfx11); WAVES counts the whole device. */                               \
	.scratch = AB_SCRATCH_BUFFER_SRD,                                           \
	.scratch_srd = AB_SRD_GFX9,                                                 \
	.tmpring_wavesize_unit = 1024,                                              \
	.tmpring_wavesize_max = 0x1fff,                                             \
	.tmpring_waves_per_se = 0

/* GC 9.0.1, 9.1.0, 9.2.1, 9.2.2, 9.3.0, 9.4.0, 9.4.1: gfx900, 902, 904,
 * 909, 90c, 906, 908.  No COMPUTE_PGM_RSRC3. */
const struct ab_gfx_gen ab_gfx_gen_gfx9 = {
	.name = "gfx9",
	.gc_minor = 0, /* every minor shares the compute register map */
	.compute_pgm_rsrc3 = AB_GFX_NO_REG,
	GC9_COMMON,
};

/* GC 9.4.2 (gfx90a, Aldebaran): the gfx9 map plus COMPUTE_PGM_RSRC3
 * (ACCUM_OFFSET, TG_SPLIT; gc_9_4_2_sh_mask.h). */
const struct ab_gfx_gen ab_gfx_gen_gfx90a = {
	.name = "gfx90a",
	.gc_minor = 4,
	.compute_pgm_rsrc3 = GC9_SEG0 + 0x0e2d, /* = 0x2e2d */
	GC9_COMMON,
};

/* The scratch V# as ROCr builds it for gfx9 (AqlQueue::InitScratchSRD,
 * SQ_BUF_RSRC_WORD3), field positions as in gc_9_0_sh_mask.h
 * SQ_BUF_RSRC_WORD1/3__*__SHIFT:
 *   word0 BASE_ADDRESS (bits 0..31 of va)
 *   word1 BASE_ADDRESS_HI 0..15, STRIDE 16..29 = 0, CACHE_SWIZZLE 30 = 0,
 *         SWIZZLE_ENABLE 31 = 1
 *   word2 NUM_RECORDS = bytes
 *   word3 DST_SEL_X/Y/Z/W 0..11 = SQ_SEL_X..W (4, 5, 6, 7; vega10_enum.h),
 *         NUM_FORMAT 12..14 = BUF_NUM_FORMAT_UINT (4), DATA_FORMAT 15..18 =
 *         BUF_DATA_FORMAT_32 (4), bits 19..20 = 1 (ROCr's ELEMENT_SIZE 1,
 *         "4 bytes"; gc_9_0_sh_mask.h names bit 19 USER_VM_ENABLE — the
 *         value is ROCr's, which every gfx9 HSA kernel has run with),
 *         INDEX_STRIDE 21..22 = 3 (64 lanes), ADD_TID_ENABLE 23 = 1,
 *         ATC/HASH/HEAP/MTYPE 0, TYPE 30..31 = SQ_RSRC_BUF (0).
 * = word3 0x00ea4fac.  Unlike gfx10 the stride comes with the V#: ROCr
 * writes INDEX_STRIDE itself. */
void ab_gfx9_scratch_srd(uint64_t va, uint32_t bytes, uint32_t out[4])
{
	if (!va) {
		out[0] = out[1] = out[2] = out[3] = 0;
		return;
	}
	out[0] = (uint32_t)va;
	out[1] = ((uint32_t)(va >> 32) & 0xffffu) | (1u << 31);
	out[2] = bytes;
	out[3] = 4u | (5u << 3) | (6u << 6) | (7u << 9) | (4u << 12) | (4u << 15) | (1u << 19) |
		 (3u << 21) | (1u << 23);
}

void ab_gfx_scratch_srd(const struct ab_gfx_gen *g, uint64_t va, uint32_t bytes, int wave32,
			uint32_t out[4])
{
	switch (g->scratch_srd) {
	case AB_SRD_GFX9:
		ab_gfx9_scratch_srd(va, bytes, out);
		return;
	case AB_SRD_GFX10:
		ab_gfx103_scratch_srd(va, bytes, wave32, out);
		return;
	case AB_SRD_NONE:
		break;
	}
	out[0] = out[1] = out[2] = out[3] = 0;
}
