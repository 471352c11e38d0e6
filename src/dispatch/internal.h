/*
 * Kernel dispatch inside the library: the kernarg layout and the PM4
 * register state, shared by the files of dispatch/.
 */
#ifndef AB_DISPATCH_INTERNAL_H
#define AB_DISPATCH_INTERNAL_H

#include "amdbare.h"
#include "gfx/pm4_builder.h"

#include <stdint.h>

/* The HSA kernel dispatch packet the DISPATCH_PTR user SGPR points at
 * (AMDGPUUsage "Kernel Dispatch Packet"; hsa_kernel_dispatch_packet_t):
 * 64 bytes, 64-byte aligned. */
#define AB_DISPATCH_PACKET_BYTES 64u

/* LDS: RSRC2.LDS_SIZE counts 128-dword (512-byte) units on gfx7..gfx11
 * (Mesa ac_gpu_info lds_encode_granularity), and gfx10.3+ allocate in
 * 1 KiB steps (lds_alloc_granularity), so the size is rounded to 1 KiB
 * before encoding.  A workgroup has at most 64 KiB. */
#define AB_LDS_ENCODE_BYTES 512u
#define AB_LDS_ALLOC_BYTES 1024u
#define AB_LDS_MAX_BYTES 65536u

/* Scratch (private segment).  COMPUTE_TMPRING_SIZE (K: gc_11_0_0_sh_mask.h,
 * gc_10_3_0_sh_mask.h): WAVES bits 0..11 (scratch waves in flight per
 * shader engine on gfx11, for the device on gfx10.3: Mesa
 * ac_get_scratch_tmpring_size), WAVESIZE from bit 12 in 256-byte units on
 * gfx11, 1 KiB on gfx10.3 (the generation table's tmpring_wavesize_unit
 * and _max).  The CP rounds the per-lane size up to a dword (AMDGPUUsage,
 * Private Segment Size). */
#define AB_SCRATCH_WAVES_MAX 0xfffu
#define AB_TMPRING_WAVESIZE_SHIFT 12
/* Scratch waves one compute unit can hold: 2 SIMDs x 16 wave slots on
 * gfx11, which is also Mesa's per-CU figure (32 x CUs); 32 waves are one
 * 1024-item wave32 workgroup, the most one workgroup can need. */
#define AB_SCRATCH_WAVES_PER_CU 32u
#define AB_SCRATCH_MIN_WAVES 32u
/* Above this the dispatcher lowers WAVES (fewer scratch waves in flight,
 * never below AB_SCRATCH_MIN_WAVES) instead of growing the buffer. */
#define AB_SCRATCH_TARGET_BYTES (64ull << 20)

/* What the checks computed for one dispatch. */
struct ab_dispatch_plan {
	uint32_t lds_bytes;        /* static + dynamic, before rounding */
	uint32_t dynamic_lds;      /* bytes of dynamic_shared_pointer args */
	uint32_t grid_dims;        /* 1..3 */
	uint32_t region_bytes;     /* dispatch packet (if any) + kernarg segment */
	uint32_t kernarg_offset;   /* of the kernarg segment in the region */
	uint32_t scratch_lane_bytes; /* private segment per work-item, dword-rounded */
	uint32_t scratch_wave_bytes; /* per wave, in WAVESIZE units; 0 = no scratch */
	const struct ab_gfx_gen *gen; /* the code buffer's device's generation */
};

/* The scratch ring a dispatch runs with: GPU address of the buffer and
 * the COMPUTE_TMPRING_SIZE value (both 0 for a kernel without scratch). */
struct ab_dispatch_scratch {
	uint64_t va;
	uint32_t tmpring_size;
	uint64_t bytes;            /* the buffer's size (gfx10.3: the V#'s NUM_RECORDS) */
};

/* dispatch/scratch.c: the WAVES value (per shader engine) for a device
 * with `cus` compute units in `ses` shader engines and waves of
 * `wave_bytes`, and the buffer bytes that holds (WAVES x SEs x wave). */
uint32_t ab_scratch_waves(uint32_t cus, uint32_t ses, uint32_t wave_bytes);
uint64_t ab_scratch_buffer_bytes(uint32_t waves, uint32_t ses, uint32_t wave_bytes);
uint32_t ab_scratch_tmpring(uint32_t waves, uint32_t wave_bytes);
/* The same for any generation's table: WAVESIZE in its unit.  On a
 * generation whose WAVES counts for the whole device (gfx10.3) callers
 * pass ses = 1 and every CU to the two functions above. */
uint32_t ab_scratch_tmpring_gen(const struct ab_gfx_gen *gen, uint32_t waves, uint32_t wave_bytes);

/* A dispatcher's scratch buffers.  WAVESIZE must not change under a
 * buffer the GPU may be using (Mesa ac_get_scratch_tmpring_size), so a
 * kernel needing bigger waves gets a new, bigger buffer; the old ones stay
 * alive (and in their jobs' BO lists) until the job that used them has
 * finished.  Never shrinks. */
struct ab_scratch_buf {
	amdbare_bo *bo;
	uint64_t va, bytes;
	uint32_t wave_bytes, waves;
};

struct ab_scratch_ring {
	struct ab_scratch_buf cur;   /* bo NULL until a scratch kernel came */
	struct ab_scratch_buf *old;  /* outgrown, possibly still in use */
	uint32_t nold, cap_old;
};

/* The buffer for a dispatch needing `wave_bytes` per wave (grown when
 * smaller); *scratch and *bo describe it. */
int ab_scratch_ring_get(struct ab_scratch_ring *r, amdbare_device *dev, uint32_t wave_bytes,
			struct ab_dispatch_scratch *scratch, amdbare_bo **bo);
/* Frees the outgrown buffers: call only when no job may use them. */
int ab_scratch_ring_retire(struct ab_scratch_ring *r);
/* Frees everything (same condition). */
int ab_scratch_ring_free(struct ab_scratch_ring *r);

/* dispatch/queue.c, for tests: the dispatcher's scratch ring and the
 * command buffer being built. */
const struct ab_scratch_ring *ab_dispatcher_scratch(const amdbare_dispatcher *d);
amdbare_cmdbuf *ab_dispatcher_cmdbuf(amdbare_dispatcher *d);

/* dispatch/check.c: the scratch part of the plan for generation `gen`
 * (scratch_lane_bytes, scratch_wave_bytes in gen's WAVESIZE unit). */
int ab_dispatch_plan_scratch(const amdbare_kernel_info *k, const struct ab_gfx_gen *gen,
			     struct ab_dispatch_plan *plan);
/* dispatch/check.c: every check of amdbare_dispatch_check; fills plan. */
int ab_dispatch_plan(const amdbare_dispatch_info *info, struct ab_dispatch_plan *plan);

/* dispatch/kernargs.c: writes the region (zeroed first) for a dispatch
 * whose region sits at GPU address region_va.  Buffer arguments must
 * already be GPU-mapped. */
void ab_dispatch_fill_region(const amdbare_dispatch_info *info,
			     const struct ab_dispatch_plan *plan, uint8_t *region,
			     uint64_t region_va);

/* dispatch/pm4.c: the register state and DISPATCH_DIRECT. */
int ab_dispatch_emit(struct ab_pm4 *p, const amdbare_dispatch_info *info,
		     const struct ab_dispatch_plan *plan, uint64_t region_va,
		     const struct ab_dispatch_scratch *scratch);

/* Alignment of a dynamic_shared_pointer argument's LDS block: its
 * .pointee_align, at least 4 (16 when the metadata gives none). */
uint32_t ab_dispatch_dyn_lds_align(const amdbare_kernel_arg *a);

/* The RSRC2 LDS_SIZE value for `bytes` of LDS. */
uint32_t ab_dispatch_lds_field(uint32_t bytes);

#endif
