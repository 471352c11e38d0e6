/*
 * Putting a loaded code object where the GPU can execute it: one GTT
 * buffer holding the whole image (vaddr 0 at its start), so descriptor
 * and entry offsets from the object stay valid relative to the buffer's
 * GPU address.  GTT because the CPU writes it once and the shader
 * instruction cache reads it; a 780M-class APU has no faster place.
 */
#include "util/api.h"
#include "internal.h"
#include "util/error.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Patches the image once its GPU address is known. */
static int apply_relocs(const amdbare_codeobj *co, uint8_t *dst, uint64_t base)
{
	for (uint32_t i = 0; i < co->n_relocs; i++) {
		const ab_reloc *r = &co->relocs[i];
		uint64_t value;
		switch (r->type) {
		case AB_R_AMDGPU_NONE:
			continue;
		case AB_R_AMDGPU_RELATIVE64: /* B + A */
			value = base + (uint64_t)r->addend;
			break;
		case AB_R_AMDGPU_ABS64:      /* S + A; S is loaded with the image */
			value = (r->sym_value ? base + r->sym_value : 0) + (uint64_t)r->addend;
			break;
		default:
			/* read_rela_section() refused every other type. */
			return ab_set_error(ENOTSUP, "%s: relocation type %u", co->source, r->type);
		}
		/* Bounds were checked against the LOAD segments at load time,
		 * and the buffer covers image_span. */
		memcpy(dst + r->offset, &value, sizeof(value));
	}
	return 0;
}

AB_API int amdbare_codeobj_upload(const amdbare_codeobj *co, amdbare_device *dev,
				  amdbare_bo **code_bo, uint64_t *code_va)
{
	if (!co || !dev || !code_bo || !code_va)
		return ab_set_error(EINVAL, "codeobj_upload: NULL argument");
	*code_bo = NULL;
	*code_va = 0;
	amdbare_device_info info;
	amdbare_device_get_info(dev, &info);
	int r = amdbare_codeobj_check_device(co, &info);
	if (r)
		return r;

	amdbare_bo_create_info ci = {
		.size = (co->image_span + 4095) & ~4095ull,
		.domains = AMDBARE_DOMAIN_GTT,
		.flags = AMDBARE_BO_CPU_ACCESS,
	};
	amdbare_bo *bo = NULL;
	void *cpu = NULL;
	uint64_t va = 0;
	if ((r = amdbare_bo_create(dev, &ci, &bo)) || (r = amdbare_bo_cpu_map(bo, &cpu)))
		goto fail;
	/* Fresh GTT pages are zeroed by the kernel; clear anyway so that the
	 * bss-like tails of segments (memsz > filesz) and gaps are defined
	 * whatever the allocator did. */
	memset(cpu, 0, ci.size);
	for (uint32_t i = 0; i < co->n_segments; i++) {
		const ab_segment *s = &co->segments[i];
		memcpy((uint8_t *)cpu + s->vaddr, co->image + s->offset, s->filesz);
	}
	if ((r = amdbare_bo_gpu_map(bo, AMDBARE_VA_READ | AMDBARE_VA_EXECUTE, &va)))
		goto fail;
	if (va % AB_ENTRY_ALIGN) {
		r = ab_set_error(EINVAL, "%s: GPU address 0x%llx is not %d-byte aligned",
				 co->source, (unsigned long long)va, AB_ENTRY_ALIGN);
		goto fail;
	}
	if ((r = apply_relocs(co, cpu, va)))
		goto fail;
	*code_bo = bo;
	*code_va = va;
	return 0;
fail:
	{
		/* Keep the failing call's message: freeing may overwrite it. */
		char why[512];
		snprintf(why, sizeof(why), "%s", amdbare_last_error());
		amdbare_bo_free(bo);
		return ab_set_error(-r, "%s: upload: %s", co->source, why);
	}
}
