/*
 * The on-chip GDS/GWS/OA ranges and a submission's partition of them.
 *
 * Sizes: what gfx_v9_0/gfx_v10_0/gfx_v11_0_set_gds_init give the
 * profile's GC version (Linux 6.1 and 6.12 agree): GDS 4 KiB on gfx11,
 * 64 KiB on gfx10.x, on gfx9 64 KiB (9.0.1, 9.2.1, 9.4.0 and the
 * default), 4 KiB (9.1.0, 9.2.2, 9.4.1) or none (9.4.2, aldebaran);
 * 64 GWS resources and 16 OA bits on every one.  amdgpu_ttm_init makes a
 * TTM range manager of that many pages for each (amdgpu_ttm_init_on_chip;
 * none for a size of 0).
 *
 * A CS validates every BO of its list into its preferred domain
 * (amdgpu_cs_parser_bos -> amdgpu_cs_bo_validate -> ttm_bo_validate); a
 * GDS/GWS/OA BO lands in its range, evicting idle BOs there (their
 * placement is "nowhere", amdgpu_evict_flags), so what must fit is the
 * list's own BOs of that domain.  The vgpu places them from offset 0 in
 * list order; where the kernel puts them inside the range is not visible
 * to a shader, which addresses resources relative to its partition.  A
 * list whose BOs of a domain do not fit gets -ENOMEM (ttm_bo_validate:
 * "-ENOSPC" turned into -ENOMEM "for backward compatibility", 6.12; 6.1's
 * ttm_bo_mem_space gives -ENOMEM too), and so does one with a BO of a
 * domain whose range does not exist (6.12: no manager, -ENOSPC ->
 * -ENOMEM; 6.1 gives -EINVAL there).
 *
 * amdgpu_bo_list_create picks the list's gds_obj/gws_obj/oa_obj by
 * preferred domain (the last one wins); amdgpu_job_set_resources gives
 * the job that BO's offset and size in pages (= bytes or resources), and
 * amdgpu_vm_flush -> gfx_v*_ring_emit_gds_switch programs them for the
 * job's VMID (GDS_VMID0_BASE/SIZE, GDS_GWS_VMID0, GDS_OA_VMID0).  The
 * vgpu hands them to the shader core in the job (exec_job.gws_*).
 */
#include "ctl.h"
#include "base/vgpu_device.h"
#include "exec/internal.h"
#include "memory/internal.h"

#include <errno.h>
#include <stdint.h>

#include <drm.h>
#include <amdgpu_drm.h>

void vgpu_gds_sizes(uint32_t *gds, uint32_t *gws, uint32_t *oa)
{
	const struct vgpu_profile *p = vgpu_profile_get(NULL);
	*gws = 64;
	*oa = 16;
	if (!p || p->gc_major >= 11) {
		*gds = 0x1000;                       /* gfx_v11_0_set_gds_init */
	} else if (p->gc_major == 10) {
		*gds = 0x10000;                      /* gfx_v10_0_set_gds_init */
	} else {                                     /* gfx_v9_0_set_gds_init */
		uint32_t v = p->gc_major << 16 | p->gc_minor << 8 | p->gc_rev;
		if (v == 0x090202 || v == 0x090100 || v == 0x090401)
			*gds = 0x1000;
		else if (v == 0x090402)
			*gds = 0;
		else
			*gds = 0x10000;
	}
}

int vgpu_cs_on_chip_bos(struct vgpu_file *f, const uint32_t *handles, uint32_t n,
			struct exec_job *job)
{
	static const uint32_t domain[3] = { AMDGPU_GEM_DOMAIN_GDS, AMDGPU_GEM_DOMAIN_GWS,
					    AMDGPU_GEM_DOMAIN_OA };
	uint32_t range[3];
	vgpu_gds_sizes(&range[0], &range[1], &range[2]);
	uint64_t next[3] = { 0, 0, 0 };
	uint32_t base[3] = { 0, 0, 0 }, size[3] = { 0, 0, 0 };
	for (uint32_t i = 0; i < n; i++) {
		uint32_t pref = 0;
		uint64_t bytes = 0;
		if (mem_handle_domain(f->mem, handles[i], &pref, &bytes))
			continue; /* amdgpu_bo_list_create refused it before */
		for (int d = 0; d < 3; d++) {
			if (pref != domain[d])
				continue;
			uint64_t units = bytes >> 12; /* PAGE_SHIFT */
			/* ttm_range_man_alloc: drm_mm_insert_node_in_range */
			if (next[d] + units > range[d])
				return -ENOMEM;
			/* amdgpu_job_set_resources: the last BO of the domain */
			base[d] = (uint32_t)next[d];
			size[d] = (uint32_t)units;
			next[d] += units;
		}
	}
	job->gds_base = base[0];
	job->gds_size = size[0];
	job->gws_base = base[1];
	job->gws_size = size[1];
	job->oa_base = base[2];
	job->oa_size = size[2];
	return 0;
}
