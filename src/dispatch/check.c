/*
 * The checks of a dispatch, all before anything is allocated or queued:
 * what the kernel needs from the dispatcher (hidden argument kinds, user
 * SGPRs, scratch), the launch shape, and the caller's arguments against
 * the metadata.  A kernel that needs something not built is -ENOTSUP; a
 * wrong call is -EINVAL.  Messages name the kernel and the argument.
 */
#include "util/api.h"
#include "internal.h"
#include "util/error.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>

/* Work-items per workgroup a gfx10+ CU runs at most (and the HSA limit). */
#define AB_MAX_WORKGROUP_ITEMS 1024u

uint32_t ab_dispatch_dyn_lds_align(const amdbare_kernel_arg *a)
{
	uint32_t al = a->pointee_align ? a->pointee_align : 16u;
	return al < 4u ? 4u : al;
}

static const char *arg_label(const amdbare_kernel_arg *a)
{
	return a->name ? a->name : "(unnamed)";
}

/* The size the dispatcher writes for each hidden kind it fills
 * (AMDGPUUsage "Code Object V5 Metadata", hidden arguments); 0 = a kind
 * it does not fill. */
static uint32_t hidden_size(enum amdbare_arg_kind k)
{
	switch (k) {
	case AMDBARE_ARG_HIDDEN_BLOCK_COUNT_X:
	case AMDBARE_ARG_HIDDEN_BLOCK_COUNT_Y:
	case AMDBARE_ARG_HIDDEN_BLOCK_COUNT_Z:
	case AMDBARE_ARG_HIDDEN_DYNAMIC_LDS_SIZE:
		return 4;
	case AMDBARE_ARG_HIDDEN_GROUP_SIZE_X:
	case AMDBARE_ARG_HIDDEN_GROUP_SIZE_Y:
	case AMDBARE_ARG_HIDDEN_GROUP_SIZE_Z:
	case AMDBARE_ARG_HIDDEN_REMAINDER_X:
	case AMDBARE_ARG_HIDDEN_REMAINDER_Y:
	case AMDBARE_ARG_HIDDEN_REMAINDER_Z:
	case AMDBARE_ARG_HIDDEN_GRID_DIMS:
		return 2;
	case AMDBARE_ARG_HIDDEN_GLOBAL_OFFSET_X:
	case AMDBARE_ARG_HIDDEN_GLOBAL_OFFSET_Y:
	case AMDBARE_ARG_HIDDEN_GLOBAL_OFFSET_Z:
		return 8;
	default:
		return 0;
	}
}

static int check_kernel_needs(const amdbare_kernel_info *k, const struct ab_gfx_gen *gen)
{
	{
		for (uint32_t i = 0; i < k->arg_count; i++) {
			const amdbare_kernel_arg *a = &k->args[i];
			if (a->kind == AMDBARE_ARG_UNKNOWN)
				return ab_set_error(ENOTSUP, "dispatch of kernel '%s': argument %u (%s) has "
						    "value kind '%s', which this library does not know",
						    k->name, i, arg_label(a), a->value_kind_name);
			if (!a->hidden || a->kind == AMDBARE_ARG_HIDDEN_NONE)
				continue;
			uint32_t want = hidden_size(a->kind);
			if (want == 0)
				return ab_set_error(ENOTSUP, "dispatch of kernel '%s': hidden argument '%s' "
						    "(at kernarg offset %u) is not supported by the amdbare "
						    "dispatcher", k->name, a->value_kind_name, a->offset);
			if (a->size != want)
				return ab_set_error(EINVAL, "dispatch of kernel '%s': hidden argument '%s' "
						    "has size %u in the metadata, expected %u", k->name,
						    a->value_kind_name, a->size, want);
		}
	}
	uint32_t e = k->user_sgpr_enables;
	if (e & AMDBARE_KCP_QUEUE_PTR)
		return ab_set_error(ENOTSUP, "dispatch of kernel '%s': it asks for the queue pointer "
				    "user SGPR; amdbare submits PM4 without an HSA queue", k->name);
	/* gfx11 targets use architected flat scratch: LLVM never asks for
	 * these two there (AMDGPUUsage: "not supported and must be 0"), so a
	 * kernel that does was built for another target.  gfx9 and gfx10.3
	 * kernels get both from the dispatcher (dispatch/pm4.c). */
	if ((e & (AMDBARE_KCP_PRIVATE_SEGMENT_BUFFER | AMDBARE_KCP_FLAT_SCRATCH_INIT)) &&
	    gen->scratch != AB_SCRATCH_BUFFER_SRD)
		return ab_set_error(ENOTSUP, "dispatch of kernel '%s': it asks for the %s user "
				    "SGPRs, which only targets without architected flat scratch use "
				    "(gfx9/gfx10); the device is %s, whose kernels never do", k->name,
				    (e & AMDBARE_KCP_FLAT_SCRATCH_INIT) ? "flat scratch init"
				    : "private segment buffer", gen->name);
	/* gfx9 runs wave64 only (its DISPATCH_INITIATOR has no CS_W32_EN). */
	if (k->wave32 && !gen->initiator_cs_w32_en)
		return ab_set_error(ENOTSUP, "dispatch of kernel '%s': it is built for wave32; the "
				    "device is %s, which runs wave64 only", k->name, gen->name);
	/* COMPUTE_PGM_RSRC3 exists on gfx90a and gfx10+ only; a kernel that
	 * needs a value there was built for another target. */
	if (k->compute_pgm_rsrc3 && gen->compute_pgm_rsrc3 == AB_GFX_NO_REG)
		return ab_set_error(ENOTSUP, "dispatch of kernel '%s': its descriptor sets "
				    "COMPUTE_PGM_RSRC3 0x%x; the device is %s, which has no such "
				    "register (built for gfx90a or gfx10+?)", k->name,
				    k->compute_pgm_rsrc3, gen->name);
	/* A dynamic stack (recursion, variable-sized alloca) has no size
	 * known at dispatch; HSA runtimes guess one, amdbare refuses rather
	 * than let a deep call chain run off its wave's slot. */
	if (k->uses_dynamic_stack)
		return ab_set_error(ENOTSUP, "dispatch of kernel '%s': it uses a dynamic stack "
				    "(recursion or variable-sized private arrays; %u bytes fixed), "
				    "whose size is unknown at dispatch; not supported", k->name,
				    k->private_segment_fixed_size);
	if (k->kernarg_preload & 0x7fu)
		return ab_set_error(ENOTSUP, "dispatch of kernel '%s': kernarg preloading into SGPRs "
				    "(descriptor kernarg_preload 0x%x) is not supported", k->name,
				    k->kernarg_preload);
	if (k->user_sgpr_count > 16)
		return ab_set_error(EINVAL, "dispatch of kernel '%s': %u user SGPRs, the hardware has "
				    "16 COMPUTE_USER_DATA registers", k->name, k->user_sgpr_count);
	return 0;
}

/* Scratch per wave: RSRC2.ENABLE_PRIVATE_SEGMENT (SCRATCH_EN) is what
 * makes the SPI give waves a slot; the size is the descriptor's private
 * segment, dword-rounded per lane (as the CP rounds it), times the lanes,
 * in whole WAVESIZE units.  A kernel with a private size but without
 * SCRATCH_EN never touches scratch (LLVM sets both or neither). */
int ab_dispatch_plan_scratch(const amdbare_kernel_info *k, const struct ab_gfx_gen *gen,
			     struct ab_dispatch_plan *plan)
{
	if (!k->private_segment)
		return 0;
	uint64_t lane = ((uint64_t)k->private_segment_fixed_size + 3) / 4 * 4;
	if (lane == 0)
		lane = 4; /* SCRATCH_EN with no size: the smallest slot */
	uint64_t wave = lane * (k->wave32 ? 32u : 64u);
	uint32_t unit = gen->tmpring_wavesize_unit;
	wave = (wave + unit - 1) / unit * unit;
	if (wave / unit > gen->tmpring_wavesize_max)
		return ab_set_error(EINVAL, "dispatch of kernel '%s': %u bytes of private memory per "
				    "work-item need %" PRIu64 " bytes per wave%s, more than %s's "
				    "COMPUTE_TMPRING_SIZE.WAVESIZE can hold (%u x %u)", k->name,
				    k->private_segment_fixed_size, wave, k->wave32 ? "32" : "64",
				    gen->name, gen->tmpring_wavesize_max, unit);
	plan->scratch_lane_bytes = (uint32_t)lane;
	plan->scratch_wave_bytes = (uint32_t)wave;
	return 0;
}

static int check_shape(const amdbare_dispatch_info *info, struct ab_dispatch_plan *plan)
{
	const amdbare_kernel_info *k = info->kernel;
	static const char axis[3] = {'X', 'Y', 'Z'};
	uint64_t items = 1;
	for (int i = 0; i < 3; i++) {
		if (info->grid[i] == 0 || info->block[i] == 0)
			return ab_set_error(EINVAL, "dispatch of kernel '%s': grid %ux%ux%u workgroups of "
					    "%ux%ux%u: every size must be at least 1", k->name,
					    info->grid[0], info->grid[1], info->grid[2], info->block[0],
					    info->block[1], info->block[2]);
		/* The HSA grid size (work-items per axis) is 32 bits. */
		if ((uint64_t)info->grid[i] * info->block[i] > UINT32_MAX)
			return ab_set_error(EINVAL, "dispatch of kernel '%s': %u workgroups of %u in %c "
					    "is more than 2^32-1 work-items", k->name, info->grid[i],
					    info->block[i], axis[i]);
		items *= info->block[i];
	}
	if (items > AB_MAX_WORKGROUP_ITEMS)
		return ab_set_error(EINVAL, "dispatch of kernel '%s': workgroup %ux%ux%u has %" PRIu64
				    " work-items, more than %u", k->name, info->block[0], info->block[1],
				    info->block[2], items, AB_MAX_WORKGROUP_ITEMS);
	if (k->max_flat_workgroup_size && items > k->max_flat_workgroup_size)
		return ab_set_error(EINVAL, "dispatch of kernel '%s': workgroup %ux%ux%u has %" PRIu64
				    " work-items, the kernel was built for at most %u "
				    "(.max_flat_workgroup_size)", k->name, info->block[0], info->block[1],
				    info->block[2], items, k->max_flat_workgroup_size);
	const uint32_t *r = k->reqd_workgroup_size;
	if ((r[0] | r[1] | r[2]) &&
	    (r[0] != info->block[0] || r[1] != info->block[1] || r[2] != info->block[2]))
		return ab_set_error(EINVAL, "dispatch of kernel '%s': workgroup %ux%ux%u, but the "
				    "kernel requires %ux%ux%u (.reqd_workgroup_size)", k->name,
				    info->block[0], info->block[1], info->block[2], r[0], r[1], r[2]);
	plan->grid_dims = (info->grid[2] > 1 || info->block[2] > 1) ? 3
			  : (info->grid[1] > 1 || info->block[1] > 1) ? 2 : 1;
	return 0;
}

static int check_explicit(const amdbare_dispatch_info *info, uint32_t ai,
			  const amdbare_kernel_arg *a, struct ab_dispatch_plan *plan)
{
	const amdbare_kernel_info *k = info->kernel;
	const amdbare_karg *c = &info->args[ai];
	switch (a->kind) {
	case AMDBARE_ARG_GLOBAL_BUFFER:
		if (c->type != AMDBARE_KARG_BUFFER)
			return ab_set_error(EINVAL, "dispatch of kernel '%s': argument %u (%s) is a "
					    "global buffer; pass a buffer", k->name, ai, arg_label(a));
		if (a->size != 8)
			return ab_set_error(ENOTSUP, "dispatch of kernel '%s': argument %u (%s) is a "
					    "%u-byte pointer; only 64-bit pointers are supported",
					    k->name, ai, arg_label(a), a->size);
		if (!c->bo)
			return ab_set_error(EINVAL, "dispatch of kernel '%s': argument %u (%s): NULL "
					    "buffer", k->name, ai, arg_label(a));
		if (c->offset >= amdbare_bo_size(c->bo))
			return ab_set_error(ERANGE, "dispatch of kernel '%s': argument %u (%s): offset "
					    "%" PRIu64 " is outside the buffer of %" PRIu64 " bytes",
					    k->name, ai, arg_label(a), c->offset, amdbare_bo_size(c->bo));
		if (amdbare_bo_device(c->bo) != amdbare_bo_device(info->code_bo))
			return ab_set_error(EINVAL, "dispatch of kernel '%s': argument %u (%s): the "
					    "buffer belongs to another device than the code", k->name,
					    ai, arg_label(a));
		return 0;
	case AMDBARE_ARG_BY_VALUE:
		if (c->type != AMDBARE_KARG_VALUE)
			return ab_set_error(EINVAL, "dispatch of kernel '%s': argument %u (%s) is a "
					    "%u-byte value; pass a value", k->name, ai, arg_label(a),
					    a->size);
		if (c->size != a->size || !c->value)
			return ab_set_error(EINVAL, "dispatch of kernel '%s': argument %u (%s%s%s) "
					    "takes %u bytes, got %u", k->name, ai, arg_label(a),
					    a->type_name ? ": " : "", a->type_name ? a->type_name : "",
					    a->size, c->value ? c->size : 0);
		return 0;
	case AMDBARE_ARG_DYNAMIC_SHARED_POINTER: {
		if (c->type != AMDBARE_KARG_LDS)
			return ab_set_error(EINVAL, "dispatch of kernel '%s': argument %u (%s) is a "
					    "__local pointer; pass an LDS size", k->name, ai, arg_label(a));
		if (a->size != 4)
			return ab_set_error(ENOTSUP, "dispatch of kernel '%s': argument %u (%s) is a "
					    "%u-byte LDS pointer, expected 4", k->name, ai,
					    arg_label(a), a->size);
		uint32_t al = ab_dispatch_dyn_lds_align(a);
		uint64_t at = ((uint64_t)plan->lds_bytes + al - 1) / al * al + c->size;
		if (at > AB_LDS_MAX_BYTES)
			return ab_set_error(EINVAL, "dispatch of kernel '%s': argument %u (%s): %u "
					    "bytes of LDS bring the workgroup to %" PRIu64 " bytes, "
					    "more than 64 KiB", k->name, ai, arg_label(a), c->size, at);
		plan->dynamic_lds += (uint32_t)at - plan->lds_bytes;
		plan->lds_bytes = (uint32_t)at;
		return 0;
	}
	default:
		return ab_set_error(ENOTSUP, "dispatch of kernel '%s': argument %u (%s) has kind "
				    "'%s', which the amdbare dispatcher does not pass", k->name, ai,
				    arg_label(a), a->value_kind_name);
	}
}

static int check_args(const amdbare_dispatch_info *info, struct ab_dispatch_plan *plan)
{
	const amdbare_kernel_info *k = info->kernel;
	uint32_t explicit_count = 0;
	for (uint32_t i = 0; i < k->arg_count; i++)
		explicit_count += !k->args[i].hidden;
	if (info->arg_count != explicit_count || (info->arg_count && !info->args)) {
		char names[256] = "";
		size_t len = 0;
		for (uint32_t i = 0; i < k->arg_count && len < sizeof(names) - 1; i++) {
			if (k->args[i].hidden)
				continue;
			int n = snprintf(names + len, sizeof(names) - len, "%s%s", len ? ", " : "",
					 arg_label(&k->args[i]));
			if (n > 0)
				len += (size_t)n;
		}
		return ab_set_error(EINVAL, "dispatch of kernel '%s': it takes %u argument%s (%s), "
				    "got %u", k->name, explicit_count, explicit_count == 1 ? "" : "s",
				    names, info->arg_count);
	}
	uint32_t ai = 0;
	for (uint32_t i = 0; i < k->arg_count; i++) {
		if (k->args[i].hidden)
			continue;
		int r = check_explicit(info, ai++, &k->args[i], plan);
		if (r < 0)
			return r;
	}
	return 0;
}

int ab_dispatch_plan(const amdbare_dispatch_info *info, struct ab_dispatch_plan *plan)
{
	if (!info || !info->kernel || !info->code_bo || !plan)
		return ab_set_error(EINVAL, "dispatch: NULL dispatch info, kernel or code buffer");
	memset(plan, 0, sizeof(*plan));
	const amdbare_kernel_info *k = info->kernel;
	if (!info->code_va)
		return ab_set_error(EINVAL, "dispatch of kernel '%s': code_va is 0 (upload the code "
				    "object with amdbare_codeobj_upload)", k->name);
	/* The generation decides how scratch reaches the waves; a device
	 * without a table cannot run anything (-EOPNOTSUPP, named). */
	int r = ab_gfx_gen_for_device(amdbare_bo_device(info->code_bo), &plan->gen);
	if (r < 0)
		return r;
	r = check_kernel_needs(k, plan->gen);
	if (r == 0)
		r = check_shape(info, plan);
	plan->lds_bytes = k->group_segment_fixed_size;
	if (r == 0 && plan->lds_bytes > AB_LDS_MAX_BYTES)
		r = ab_set_error(EINVAL, "dispatch of kernel '%s': %u bytes of static LDS, more than "
				 "64 KiB", k->name, plan->lds_bytes);
	if (r == 0)
		r = check_args(info, plan);
	if (r < 0)
		return r;
	r = ab_dispatch_plan_scratch(k, plan->gen, plan);
	if (r < 0)
		return r;
	plan->kernarg_offset = (k->user_sgpr_enables & AMDBARE_KCP_DISPATCH_PTR)
				       ? AB_DISPATCH_PACKET_BYTES : 0;
	uint32_t seg = k->kernarg_segment_size > k->kernarg_size ? k->kernarg_segment_size
								 : k->kernarg_size;
	plan->region_bytes = plan->kernarg_offset + (seg ? seg : 1);
	return 0;
}

AB_API int amdbare_dispatch_check(const amdbare_dispatch_info *info)
{
	struct ab_dispatch_plan plan;
	return ab_dispatch_plan(info, &plan);
}
