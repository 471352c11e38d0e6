/*
 * The 64-byte kernel descriptor (AMDGPUUsage "Kernel Descriptor", code
 * object v3+ layout) and its consistency with the kernel's metadata.
 */
#include "internal.h"
#include "util/error.h"

#include <errno.h>
#include <string.h>

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Processors with a wave32 mode (gfx10 and later, generic included). */
static bool has_wave32(const char *processor)
{
	return strncmp(processor, "gfx1", 4) == 0 && strlen(processor) >= 7;
}

int ab_codeobj_read_descriptor(amdbare_codeobj *co, ab_elf_view *v, amdbare_kernel_info *k)
{
	uint64_t va;
	int r = ab_codeobj_find_kd_symbol(co, v, k->symbol, &va);
	if (r == -ENOENT)
		return ab_set_error(EINVAL, "%s: kernel %s: its descriptor symbol %s is not in the "
				    "symbol table", co->source, k->name, k->symbol);
	if (r)
		return r;
	if (va % AB_KD_ALIGN)
		return ab_set_error(EINVAL, "%s: kernel %s: descriptor at vaddr 0x%llx is not "
				    "%d-byte aligned", co->source, k->name, (unsigned long long)va,
				    AB_KD_ALIGN);
	const uint8_t *kd = ab_codeobj_at_vaddr(co, va, AB_KD_SIZE, false);
	if (!kd)
		return ab_set_error(EINVAL, "%s: kernel %s: descriptor at vaddr 0x%llx is not "
				    "inside the file part of a LOAD segment", co->source, k->name,
				    (unsigned long long)va);
	size_t off = (size_t)(kd - co->image);
	uint32_t md_group = k->group_segment_fixed_size, md_private = k->private_segment_fixed_size;

	k->descriptor_vaddr = va;
	k->group_segment_fixed_size = le32(kd + 0);
	k->private_segment_fixed_size = le32(kd + 4);
	k->kernarg_size = le32(kd + 8);
	uint64_t eo = (uint64_t)le32(kd + 16) | (uint64_t)le32(kd + 20) << 32;
	memcpy(&k->kernel_code_entry_byte_offset, &eo, sizeof(eo));
	k->compute_pgm_rsrc3 = le32(kd + 44);
	k->compute_pgm_rsrc1 = le32(kd + 48);
	k->compute_pgm_rsrc2 = le32(kd + 52);
	k->kernel_code_properties = le16(kd + 56);
	k->kernarg_preload = le16(kd + 58);

	if (!all_zero(kd + 12, 4) || !all_zero(kd + 24, 20) || !all_zero(kd + 60, 4))
		return ab_set_error(EINVAL, "%s: kernel %s: reserved descriptor bytes are not zero "
				    "(descriptor at file offset %zu)", co->source, k->name, off);
	/* Bits 7-9 and 12-15 are reserved in every version we read. */
	if (k->kernel_code_properties & 0xf380)
		return ab_set_error(EINVAL, "%s: kernel %s: reserved kernel_code_properties bits "
				    "0x%x (file offset %zu)", co->source, k->name,
				    k->kernel_code_properties & 0xf380, off + 56);
	if (co->version < 5 && k->kernarg_preload)
		return ab_set_error(EINVAL, "%s: kernel %s: kernarg_preload 0x%x in a v%u object "
				    "(v5+ only; file offset %zu)", co->source, k->name,
				    k->kernarg_preload, co->version, off + 58);

	/* The entry: descriptor + signed offset, in executable file bytes,
	 * 256-byte aligned (COMPUTE_PGM_LO/HI drop the low 8 bits). */
	uint64_t entry = va + eo; /* wraps like the hardware's 64-bit add */
	if (entry % AB_ENTRY_ALIGN)
		return ab_set_error(EINVAL, "%s: kernel %s: entry at vaddr 0x%llx (descriptor + "
				    "%lld) is not %d-byte aligned", co->source, k->name,
				    (unsigned long long)entry, (long long)k->kernel_code_entry_byte_offset,
				    AB_ENTRY_ALIGN);
	if (!ab_codeobj_at_vaddr(co, entry, 4, true))
		return ab_set_error(EINVAL, "%s: kernel %s: entry at vaddr 0x%llx is not inside an "
				    "executable LOAD segment", co->source, k->name,
				    (unsigned long long)entry);
	k->entry_vaddr = entry;

	uint32_t rsrc2 = k->compute_pgm_rsrc2;
	k->user_sgpr_enables = k->kernel_code_properties & 0x7f;
	k->wave32 = (k->kernel_code_properties & AMDBARE_KCP_WAVEFRONT_SIZE32) != 0;
	k->private_segment = rsrc2 & 1;
	k->user_sgpr_count = (rsrc2 >> 1) & 0x1f;
	k->workgroup_id_x = (rsrc2 >> 7) & 1;
	k->workgroup_id_y = (rsrc2 >> 8) & 1;
	k->workgroup_id_z = (rsrc2 >> 9) & 1;
	k->workgroup_info = (rsrc2 >> 10) & 1;
	k->workitem_id_dims = ((rsrc2 >> 11) & 3) + 1;
	k->lds_size = k->group_segment_fixed_size;

	if (k->group_segment_fixed_size != md_group || k->private_segment_fixed_size != md_private)
		return ab_set_error(EINVAL, "%s: kernel %s: descriptor says %u LDS / %u scratch bytes, "
				    "metadata says %u / %u", co->source, k->name,
				    k->group_segment_fixed_size, k->private_segment_fixed_size,
				    md_group, md_private);
	return 0;
}

int ab_codeobj_check_kernel(const amdbare_codeobj *co, const amdbare_kernel_info *k)
{
	if (k->kernarg_size != k->kernarg_segment_size)
		return ab_set_error(EINVAL, "%s: kernel %s: descriptor kernarg_size %u, metadata "
				    ".kernarg_segment_size %u", co->source, k->name, k->kernarg_size,
				    k->kernarg_segment_size);
	if (has_wave32(co->processor) ? (k->wave32 != (k->wavefront_size == 32))
				      : (k->wave32 || k->wavefront_size != 64))
		return ab_set_error(EINVAL, "%s: kernel %s: descriptor is %s, metadata "
				    ".wavefront_size is %u (target %s)", co->source, k->name,
				    k->wave32 ? "wave32" : "wave64", k->wavefront_size, co->processor);
	if (!!(k->kernel_code_properties & AMDBARE_KCP_USES_DYNAMIC_STACK) != k->uses_dynamic_stack &&
	    co->version >= 5)
		return ab_set_error(EINVAL, "%s: kernel %s: descriptor and metadata disagree on "
				    "uses_dynamic_stack", co->source, k->name);
	/* User SGPRs the enables need, in AMDGPUUsage's order. */
	static const uint8_t sgprs[7] = { 4, 2, 2, 2, 2, 2, 1 };
	uint32_t need = k->kernarg_preload & 0x7f;
	for (unsigned b = 0; b < 7; b++)
		if (k->user_sgpr_enables & (1u << b))
			need += sgprs[b];
	if (k->user_sgpr_count < need)
		return ab_set_error(EINVAL, "%s: kernel %s: RSRC2.USER_SGPR_COUNT %u is below the "
				    "%u the enabled user SGPRs take", co->source, k->name,
				    k->user_sgpr_count, need);
	for (uint32_t i = 0; i < k->arg_count; i++) {
		const amdbare_kernel_arg *a = &k->args[i];
		if ((uint64_t)a->offset + a->size > k->kernarg_segment_size)
			return ab_set_error(EINVAL, "%s: kernel %s: argument %u (%s) at offset %u, "
					    "%u bytes, ends past the %u-byte kernarg segment",
					    co->source, k->name, i, a->value_kind_name, a->offset,
					    a->size, k->kernarg_segment_size);
		for (uint32_t j = 0; j < i; j++) {
			const amdbare_kernel_arg *b = &k->args[j];
			if (a->size && b->size && a->offset < b->offset + b->size &&
			    b->offset < a->offset + a->size)
				return ab_set_error(EINVAL, "%s: kernel %s: argument %u (offset %u, %u "
						    "bytes) overlaps argument %u (offset %u, %u bytes)",
						    co->source, k->name, i, a->offset, a->size, j,
						    b->offset, b->size);
		}
	}
	return 0;
}
