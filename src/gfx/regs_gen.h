/*
 * Per-generation GFX facts as data: compute register offsets and the
 * layouts of the packets that differ between generations.  Callers (the
 * PM4 builder, kernel dispatch) look registers up here and never spell an
 * offset themselves, so gfx10.3 and gfx9 slot in as new tables.
 *
 * Register offsets are absolute dword offsets, i.e. the value in the
 * kernel's asic_reg/gc/gc_*_offset.h plus the GC segment-0 base of the
 * generation (the kernel adds it at run time from the IP discovery table;
 * K: amdgpu/soc15_common.h SOC15_REG_OFFSET).
 */
#ifndef AB_GFX_REGS_GEN_H
#define AB_GFX_REGS_GEN_H

#include <stdint.h>

struct amdbare_device;

/* ACQUIRE_MEM body layouts. */
enum ab_acquire_mem_layout {
	/* gfx10+ (K: nvd.h PACKET3_ACQUIRE_MEM): COHER_CNTL, COHER_SIZE,
	 * COHER_SIZE_HI, COHER_BASE_LO, COHER_BASE_HI, POLL_INTERVAL, GCR_CNTL
	 * = 7 body dwords. */
	AB_ACQUIRE_MEM_GCR_CNTL = 1,
	/* gfx9 (K: soc15d.h PACKET3_ACQUIRE_MEM, gfx_v9_0_emit_mem_sync):
	 * CP_COHER_CNTL (the cache actions), CP_COHER_SIZE, CP_COHER_SIZE_HI,
	 * CP_COHER_BASE, CP_COHER_BASE_HI, POLL_INTERVAL = 6 body dwords; no
	 * GCR_CNTL. */
	AB_ACQUIRE_MEM_COHER_CNTL = 2,
};

/* RELEASE_MEM layouts. */
enum ab_release_mem_layout {
	/* gfx10+ (K: gfx_v11_0_ring_emit_fence): EVENT_CNTL (with GCR bits),
	 * DATA/INT/DST_SEL, ADDR_LO, ADDR_HI, DATA_LO, DATA_HI, INT_CTXID =
	 * 7 body dwords. */
	AB_RELEASE_MEM_GCR = 1,
	/* gfx9 (K: soc15d.h PACKET3_RELEASE_MEM, gfx_v9_0_ring_emit_fence): the
	 * same 7 body dwords, but EVENT_CNTL carries the gfx9 cache actions
	 * (EOP_TC_WB_ACTION_EN, EOP_TCL1_ACTION_EN, EOP_TC_ACTION_EN,
	 * EOP_TC_MD_ACTION_EN) where gfx10+ has GCR bits. */
	AB_RELEASE_MEM_GFX9 = 2,
};

/* Private segment buffer V# word 3 layouts (the word that differs). */
enum ab_scratch_srd_layout {
	AB_SRD_NONE = 0,   /* gfx11: no V# (architected flat scratch) */
	AB_SRD_GFX10 = 1,  /* ROCr SQ_BUF_RSRC_WORD3_GFX10: FORMAT, RESOURCE_LEVEL, OOB_SELECT */
	AB_SRD_GFX9 = 2,   /* ROCr SQ_BUF_RSRC_WORD3: NUM_FORMAT, DATA_FORMAT, ELEMENT_SIZE */
};

/* How waves find their scratch (private segment) memory
 * (AMDGPUUsage "Private Segment Buffer", "Flat Scratch"). */
enum ab_scratch_model {
	/* gfx11: architected flat scratch.  The SPI gives each wave a slot of
	 * the buffer at COMPUTE_DISPATCH_SCRATCH_BASE and sets FLAT_SCRATCH;
	 * kernels have no scratch user SGPRs. */
	AB_SCRATCH_ARCHITECTED = 1,
	/* gfx10.3: the dispatcher hands every kernel the private segment
	 * buffer V# in its first four user SGPRs (LLVM enables them on every
	 * gfx10.3 kernel) and, when asked, the buffer's address as flat
	 * scratch init; the SPI only supplies each wave's byte offset
	 * (RSRC2.SCRATCH_EN) and the kernel adds it to both. */
	AB_SCRATCH_BUFFER_SRD = 2,
};

/* COMPUTE_PGM_RSRC3 value meaning "this generation has no such register"
 * (gfx9 before gfx90a: gc_9_0_offset.h .. gc_9_4_1_offset.h list none):
 * the dispatcher writes RSRC3 only when the table gives an offset. */
#define AB_GFX_NO_REG 0u

struct ab_gfx_gen {
	const char *name;               /* "gfx11" */
	uint32_t gc_major;              /* GC IP major this table serves */
	uint32_t gc_minor;              /* 0 = every minor of gc_major */

	/* SET_SH_REG window (K: nvd.h PACKET3_SET_SH_REG_START/_END). */
	uint32_t sh_reg_start, sh_reg_end;

	/* Compute registers, absolute dword offsets. */
	uint32_t compute_dispatch_initiator;
	uint32_t compute_start_x;       /* _Y, _Z follow */
	uint32_t compute_num_thread_x;  /* _Y, _Z follow */
	uint32_t compute_pgm_lo, compute_pgm_hi;
	uint32_t compute_dispatch_scratch_base_lo;
	uint32_t compute_pgm_rsrc1, compute_pgm_rsrc2;
	uint32_t compute_pgm_rsrc3;     /* AB_GFX_NO_REG where absent */
	uint32_t compute_resource_limits;
	uint32_t compute_static_thread_mgmt_se0;
	uint32_t compute_tmpring_size;
	uint32_t compute_restart_x;     /* _Y, _Z follow */
	uint32_t compute_user_data_0;
	uint32_t compute_user_data_count;

	/* DISPATCH_INITIATOR bits; initiator_cs_w32_en 0 = no wave32 (gfx9). */
	uint32_t initiator_compute_shader_en, initiator_force_start_at_000,
		 initiator_cs_w32_en;

	enum ab_acquire_mem_layout acquire_mem;
	uint32_t acquire_mem_gcr_all;   /* GCR_CNTL: invalidate + write back all */
	uint32_t acquire_mem_coher_cntl; /* CP_COHER_CNTL (AB_ACQUIRE_MEM_COHER_CNTL) */
	enum ab_release_mem_layout release_mem;
	uint32_t release_mem_event_cntl_eop; /* EVENT_CNTL for an end-of-pipe write-back */

	/* Event types (K: soc21_enum.h / navi10_enum.h VGT_EVENT_TYPE). */
	uint32_t event_cs_partial_flush;
	uint32_t event_cache_flush_and_inv_ts;

	/* One-dword PM4 filler (K: gfx_v11_0.c .nop = PACKET3(NOP, 0x3FFF)). */
	uint32_t pm4_nop_dword;

	/* Scratch: how waves reach it, and COMPUTE_TMPRING_SIZE's WAVESIZE
	 * unit (bytes) and field maximum; whether WAVES counts per shader
	 * engine (gfx11) or for the whole device (gfx10.3) (Mesa
	 * ac_get_scratch_tmpring_size). */
	enum ab_scratch_model scratch;
	enum ab_scratch_srd_layout scratch_srd;
	uint32_t tmpring_wavesize_unit;
	uint32_t tmpring_wavesize_max;
	int tmpring_waves_per_se;
};

/* The table for a GC IP version, or NULL when the library has none.
 * By major.minor (what a trace records): GC 9.x gives the gfx9 table.  By
 * the full version: GC 9.4.2 (gfx90a) gets its own table (it adds
 * COMPUTE_PGM_RSRC3), GC 9.4.3 and later (gfx942: several XCCs per
 * device) get none. */
const struct ab_gfx_gen *ab_gfx_gen_lookup(uint32_t gc_major, uint32_t gc_minor);
const struct ab_gfx_gen *ab_gfx_gen_lookup_ip(uint32_t gc_major, uint32_t gc_minor,
					      uint32_t gc_rev);

/* The device's table; -EOPNOTSUPP with a message naming the generation
 * when there is none. */
int ab_gfx_gen_for_device(struct amdbare_device *dev, const struct ab_gfx_gen **out);

/* The tables (one file each). */
extern const struct ab_gfx_gen ab_gfx_gen_gfx11;
extern const struct ab_gfx_gen ab_gfx_gen_gfx103;
extern const struct ab_gfx_gen ab_gfx_gen_gfx9;
extern const struct ab_gfx_gen ab_gfx_gen_gfx90a;

/* The private segment buffer V# (4 dwords) a gfx10.3 kernel gets in its
 * first user SGPRs, for a scratch buffer at va of `bytes` (swizzled per
 * lane, wave32 or wave64 index stride); va = 0 gives the null descriptor
 * a kernel without scratch never reads through. */
void ab_gfx103_scratch_srd(uint64_t va, uint32_t bytes, int wave32, uint32_t out[4]);

/* The same for gfx9 (wave64 only): ROCr's SQ_BUF_RSRC_WORD3 layout. */
void ab_gfx9_scratch_srd(uint64_t va, uint32_t bytes, uint32_t out[4]);

/* The V# of the table's layout (zeros for AB_SRD_NONE). */
void ab_gfx_scratch_srd(const struct ab_gfx_gen *g, uint64_t va, uint32_t bytes, int wave32,
			uint32_t out[4]);

#endif
