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
};

/* RELEASE_MEM layouts. */
enum ab_release_mem_layout {
	/* gfx10+ (K: gfx_v11_0_ring_emit_fence): EVENT_CNTL (with GCR bits),
	 * DATA/INT/DST_SEL, ADDR_LO, ADDR_HI, DATA_LO, DATA_HI, INT_CTXID =
	 * 7 body dwords. */
	AB_RELEASE_MEM_GCR = 1,
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
	uint32_t compute_pgm_rsrc1, compute_pgm_rsrc2, compute_pgm_rsrc3;
	uint32_t compute_resource_limits;
	uint32_t compute_static_thread_mgmt_se0;
	uint32_t compute_tmpring_size;
	uint32_t compute_restart_x;     /* _Y, _Z follow */
	uint32_t compute_user_data_0;
	uint32_t compute_user_data_count;

	/* DISPATCH_INITIATOR bits. */
	uint32_t initiator_compute_shader_en, initiator_force_start_at_000,
		 initiator_cs_w32_en;

	enum ab_acquire_mem_layout acquire_mem;
	uint32_t acquire_mem_gcr_all;   /* GCR_CNTL: invalidate + write back all */
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
	uint32_t tmpring_wavesize_unit;
	uint32_t tmpring_wavesize_max;
	int tmpring_waves_per_se;
};

/* The table for a GC IP version, or NULL when the library has none. */
const struct ab_gfx_gen *ab_gfx_gen_lookup(uint32_t gc_major, uint32_t gc_minor);

/* The device's table; -EOPNOTSUPP with a message naming the generation
 * when there is none. */
int ab_gfx_gen_for_device(struct amdbare_device *dev, const struct ab_gfx_gen **out);

/* The tables (one file each). */
extern const struct ab_gfx_gen ab_gfx_gen_gfx11;
extern const struct ab_gfx_gen ab_gfx_gen_gfx103;

/* The private segment buffer V# (4 dwords) a gfx10.3 kernel gets in its
 * first user SGPRs, for a scratch buffer at va of `bytes` (swizzled per
 * lane, wave32 or wave64 index stride); va = 0 gives the null descriptor
 * a kernel without scratch never reads through. */
void ab_gfx103_scratch_srd(uint64_t va, uint32_t bytes, int wave32, uint32_t out[4]);

#endif
