/*
 * The PM4 state of one dispatch, in the order the kernel's own tests and
 * libdrm's shader tests use (fact sheet §5): program address, RSRC1/2/3,
 * the scratch ring (TMPRING_SIZE, and the buffer address when the kernel
 * has scratch), RESTART_* cleared, the user SGPRs, resource limits,
 * start and workgroup size, then DISPATCH_DIRECT.  Register offsets come
 * from the generation table; nothing here spells an offset.
 */
#include "internal.h"
#include "util/error.h"

#include <stdbool.h>

/* COMPUTE_PGM_RSRC2.LDS_SIZE, bits 15..23
 * (K: gc_11_0_0_sh_mask.h COMPUTE_PGM_RSRC2__LDS_SIZE__SHIFT/_MASK). */
#define RSRC2_LDS_SIZE_SHIFT 15
#define RSRC2_LDS_SIZE_MASK 0x00ff8000u

uint32_t ab_dispatch_lds_field(uint32_t bytes)
{
	uint32_t alloc = (bytes + AB_LDS_ALLOC_BYTES - 1) / AB_LDS_ALLOC_BYTES * AB_LDS_ALLOC_BYTES;
	return alloc / AB_LDS_ENCODE_BYTES;
}

/* The user SGPRs in the order of the descriptor's enable bits
 * (AMDGPUUsage "Initial Kernel Execution State"); the ones refused by
 * dispatch/check.c never reach here.  Registers up to the RSRC2 count
 * that no enabled SGPR uses (LLVM's gfx11 init16 padding) are zero.
 * gfx9 and gfx10.3 kernels also take the private segment buffer V# (first,
 * in the generation's word-3 layout) and
 * flat scratch init (the scratch buffer's address: the kernel's prolog
 * adds its wave offset and writes FLAT_SCRATCH with s_setreg); both stay
 * zero for a dispatch without scratch, which never reads them. */
static void user_sgprs(const struct ab_gfx_gen *g, const amdbare_dispatch_info *info,
		       const struct ab_dispatch_plan *plan, uint64_t region_va,
		       const struct ab_dispatch_scratch *scratch, uint32_t *sg)
{
	const amdbare_kernel_info *k = info->kernel;
	uint32_t e = k->user_sgpr_enables, n = 0;
	bool has_scratch = plan->scratch_wave_bytes != 0 && scratch;
	for (uint32_t i = 0; i < k->user_sgpr_count; i++)
		sg[i] = 0;
	if (e & AMDBARE_KCP_PRIVATE_SEGMENT_BUFFER) {
		uint64_t bytes = has_scratch ? scratch->bytes : 0;
		ab_gfx_scratch_srd(g, has_scratch ? scratch->va : 0,
				   bytes > UINT32_MAX ? UINT32_MAX : (uint32_t)bytes, k->wave32,
				   &sg[n]);
		n += 4;
	}
	if (e & AMDBARE_KCP_DISPATCH_PTR) {
		sg[n++] = (uint32_t)region_va;
		sg[n++] = (uint32_t)(region_va >> 32);
	}
	if (e & AMDBARE_KCP_KERNARG_SEGMENT_PTR) {
		uint64_t ka = region_va + plan->kernarg_offset;
		sg[n++] = (uint32_t)ka;
		sg[n++] = (uint32_t)(ka >> 32);
	}
	if (e & AMDBARE_KCP_DISPATCH_ID)
		n += 2; /* dispatch id 0: there is no HSA queue numbering dispatches */
	if (e & AMDBARE_KCP_FLAT_SCRATCH_INIT) {
		uint64_t base = has_scratch ? scratch->va : 0;
		sg[n++] = (uint32_t)base;
		sg[n++] = (uint32_t)(base >> 32);
	}
	/* The CP hands the kernel the dword-rounded size (AMDGPUUsage,
	 * "Private Segment Size"). */
	if (e & AMDBARE_KCP_PRIVATE_SEGMENT_SIZE)
		sg[n++] = (k->private_segment_fixed_size + 3u) & ~3u;
}

int ab_dispatch_emit(struct ab_pm4 *p, const amdbare_dispatch_info *info,
		     const struct ab_dispatch_plan *plan, uint64_t region_va,
		     const struct ab_dispatch_scratch *scratch)
{
	const struct ab_gfx_gen *g = p->gen;
	const amdbare_kernel_info *k = info->kernel;
	uint64_t entry = info->code_va + k->entry_vaddr;
	/* COMPUTE_PGM_LO/HI hold the 256-byte-aligned entry address >> 8. */
	uint32_t pgm[2] = {(uint32_t)(entry >> 8), (uint32_t)(entry >> 40)};
	/* The descriptor leaves LDS_SIZE 0: the dispatcher sets it from the
	 * static plus dynamic group segment. */
	uint32_t rsrc2 = (k->compute_pgm_rsrc2 & ~RSRC2_LDS_SIZE_MASK) |
			 (ab_dispatch_lds_field(plan->lds_bytes) << RSRC2_LDS_SIZE_SHIFT);
	uint32_t rsrc[2] = {k->compute_pgm_rsrc1, rsrc2};
	uint32_t zero3[3] = {0, 0, 0};
	uint32_t sg[16];
	bool has_scratch = plan->scratch_wave_bytes != 0;
	if (has_scratch && (!scratch || !scratch->tmpring_size || !scratch->va))
		return ab_set_error(EINVAL, "dispatch of kernel '%s': it needs scratch and no "
				    "scratch buffer was given", k->name);
	user_sgprs(g, info, plan, region_va, scratch, sg);
	/* NUM_THREAD_*: NUM_THREAD_FULL in bits 0..15, no partial groups. */
	uint32_t threads[3] = {info->block[0], info->block[1], info->block[2]};
	uint32_t initiator = g->initiator_compute_shader_en | g->initiator_force_start_at_000 |
			     (k->wave32 ? g->initiator_cs_w32_en : 0);

	ab_pm4_set_sh_reg(p, g->compute_pgm_lo, pgm, 2);
	ab_pm4_set_sh_reg(p, g->compute_pgm_rsrc1, rsrc, 2);
	/* RSRC3 exists on gfx10+ and gfx90a only (dispatch/check.c refuses a
	 * nonzero descriptor value where it does not). */
	if (g->compute_pgm_rsrc3 != AB_GFX_NO_REG)
		ab_pm4_set_sh_reg1(p, g->compute_pgm_rsrc3, k->compute_pgm_rsrc3);
	/* TMPRING_SIZE on every dispatch (0 = no scratch waves); the base
	 * only for a scratch kernel with architected flat scratch (gfx11):
	 * COMPUTE_DISPATCH_SCRATCH_BASE_LO/HI hold the 256-byte-aligned
	 * address >> 8 (HI: 8 bits, K: gc_11_0_0_sh_mask.h; radv writes
	 * va >> 8, va >> 40 on gfx11).  gfx9 and gfx10.3 waves find the buffer through
	 * their user SGPRs instead. */
	if (has_scratch && g->scratch == AB_SCRATCH_ARCHITECTED) {
		uint32_t base[2] = {(uint32_t)(scratch->va >> 8), (uint32_t)(scratch->va >> 40) & 0xffu};
		ab_pm4_set_sh_reg(p, g->compute_dispatch_scratch_base_lo, base, 2);
	}
	ab_pm4_set_sh_reg1(p, g->compute_tmpring_size, has_scratch ? scratch->tmpring_size : 0);
	ab_pm4_set_sh_reg(p, g->compute_restart_x, zero3, 3);
	if (k->user_sgpr_count)
		ab_pm4_set_sh_reg(p, g->compute_user_data_0, sg, k->user_sgpr_count);
	ab_pm4_set_sh_reg1(p, g->compute_resource_limits, 0);
	ab_pm4_set_sh_reg(p, g->compute_start_x, zero3, 3);
	ab_pm4_set_sh_reg(p, g->compute_num_thread_x, threads, 3);
	/* Errors are sticky in the stream: the last call reports the first. */
	return ab_pm4_dispatch_direct(p, info->grid[0], info->grid[1], info->grid[2], initiator);
}
