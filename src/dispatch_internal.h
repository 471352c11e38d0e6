/*
 * Kernel dispatch inside the library: the kernarg layout and the PM4
 * register state, shared by dispatch_*.c.
 */
#ifndef AB_DISPATCH_INTERNAL_H
#define AB_DISPATCH_INTERNAL_H

#include "amdbare.h"
#include "pm4_builder.h"

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

/* What the checks computed for one dispatch. */
struct ab_dispatch_plan {
	uint32_t lds_bytes;        /* static + dynamic, before rounding */
	uint32_t dynamic_lds;      /* bytes of dynamic_shared_pointer args */
	uint32_t grid_dims;        /* 1..3 */
	uint32_t region_bytes;     /* dispatch packet (if any) + kernarg segment */
	uint32_t kernarg_offset;   /* of the kernarg segment in the region */
};

/* dispatch_check.c: every check of amdbare_dispatch_check; fills plan. */
int ab_dispatch_plan(const amdbare_dispatch_info *info, struct ab_dispatch_plan *plan);

/* dispatch_kernargs.c: writes the region (zeroed first) for a dispatch
 * whose region sits at GPU address region_va.  Buffer arguments must
 * already be GPU-mapped. */
void ab_dispatch_fill_region(const amdbare_dispatch_info *info,
			     const struct ab_dispatch_plan *plan, uint8_t *region,
			     uint64_t region_va);

/* dispatch_pm4.c: the register state and DISPATCH_DIRECT. */
int ab_dispatch_emit(struct ab_pm4 *p, const amdbare_dispatch_info *info,
		     const struct ab_dispatch_plan *plan, uint64_t region_va);

/* Alignment of a dynamic_shared_pointer argument's LDS block: its
 * .pointee_align, at least 4 (16 when the metadata gives none). */
uint32_t ab_dispatch_dyn_lds_align(const amdbare_kernel_arg *a);

/* The RSRC2 LDS_SIZE value for `bytes` of LDS. */
uint32_t ab_dispatch_lds_field(uint32_t bytes);

#endif
