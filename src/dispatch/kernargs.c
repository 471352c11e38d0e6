/*
 * The kernarg region of one dispatch: an HSA kernel dispatch packet when
 * the descriptor enables the DISPATCH_PTR user SGPR, then the kernarg
 * segment with the caller's explicit arguments and the hidden arguments
 * (layouts: AMDGPUUsage "Kernel Dispatch Packet" and "Code Object V5
 * Metadata").  Everything was checked by dispatch/check.c.
 */
#include "internal.h"

#include <string.h>

/* hsa_packet_type_t HSA_PACKET_TYPE_KERNEL_DISPATCH. */
#define HSA_PACKET_TYPE_KERNEL_DISPATCH 2u

static void put(uint8_t *at, uint64_t v, uint32_t size)
{
	for (uint32_t i = 0; i < size; i++)
		at[i] = (uint8_t)(v >> (8 * i)); /* the kernarg segment is little-endian */
}

static void fill_dispatch_packet(const amdbare_dispatch_info *info,
				 const struct ab_dispatch_plan *plan, uint8_t *pkt,
				 uint64_t region_va)
{
	const amdbare_kernel_info *k = info->kernel;
	put(pkt + 0, HSA_PACKET_TYPE_KERNEL_DISPATCH, 2); /* header */
	put(pkt + 2, plan->grid_dims, 2);                 /* setup: dimensions */
	for (int i = 0; i < 3; i++) {
		put(pkt + 4 + 2 * i, info->block[i], 2);  /* workgroup_size_x/y/z */
		/* grid_size_x/y/z counts work-items, not workgroups. */
		put(pkt + 12 + 4 * i, (uint64_t)info->grid[i] * info->block[i], 4);
	}
	put(pkt + 24, k->private_segment_fixed_size, 4);  /* private_segment_size */
	put(pkt + 28, plan->lds_bytes, 4);                /* group_segment_size */
	put(pkt + 32, info->code_va + k->descriptor_vaddr, 8); /* kernel_object */
	put(pkt + 40, region_va + plan->kernarg_offset, 8);    /* kernarg_address */
	/* reserved2 (48) and completion_signal (56) stay 0: no HSA signal. */
}

static uint64_t hidden_value(const amdbare_dispatch_info *info,
			     const struct ab_dispatch_plan *plan, enum amdbare_arg_kind kind)
{
	switch (kind) {
	case AMDBARE_ARG_HIDDEN_BLOCK_COUNT_X: return info->grid[0];
	case AMDBARE_ARG_HIDDEN_BLOCK_COUNT_Y: return info->grid[1];
	case AMDBARE_ARG_HIDDEN_BLOCK_COUNT_Z: return info->grid[2];
	case AMDBARE_ARG_HIDDEN_GROUP_SIZE_X: return info->block[0];
	case AMDBARE_ARG_HIDDEN_GROUP_SIZE_Y: return info->block[1];
	case AMDBARE_ARG_HIDDEN_GROUP_SIZE_Z: return info->block[2];
	case AMDBARE_ARG_HIDDEN_GRID_DIMS: return plan->grid_dims;
	case AMDBARE_ARG_HIDDEN_DYNAMIC_LDS_SIZE: return plan->dynamic_lds;
	/* The grid is whole workgroups, so there is never a partial last
	 * workgroup (remainders 0), and amdbare has no global offset. */
	default: return 0;
	}
}

void ab_dispatch_fill_region(const amdbare_dispatch_info *info,
			     const struct ab_dispatch_plan *plan, uint8_t *region,
			     uint64_t region_va)
{
	const amdbare_kernel_info *k = info->kernel;
	memset(region, 0, plan->region_bytes);
	if (plan->kernarg_offset)
		fill_dispatch_packet(info, plan, region, region_va);
	uint8_t *seg = region + plan->kernarg_offset;
	uint32_t lds_at = k->group_segment_fixed_size; /* dynamic LDS follows the static */
	uint32_t ai = 0;
	for (uint32_t i = 0; i < k->arg_count; i++) {
		const amdbare_kernel_arg *a = &k->args[i];
		uint8_t *at = seg + a->offset;
		if (a->hidden) {
			if (a->kind != AMDBARE_ARG_HIDDEN_NONE)
				put(at, hidden_value(info, plan, a->kind), a->size);
			continue;
		}
		const amdbare_karg *c = &info->args[ai++];
		switch (c->type) {
		case AMDBARE_KARG_BUFFER:
			put(at, amdbare_bo_gpu_va(c->bo) + c->offset, 8);
			break;
		case AMDBARE_KARG_VALUE:
			memcpy(at, c->value, c->size);
			break;
		case AMDBARE_KARG_LDS: {
			uint32_t al = ab_dispatch_dyn_lds_align(a);
			lds_at = (lds_at + al - 1) / al * al;
			put(at, lds_at, 4); /* a __local pointer is the LDS byte offset */
			lds_at += c->size;
			break;
		}
		}
	}
}
