/*
 * Creating buffers with the raw GEM_CREATE ioctl.  Arguments are checked
 * here first, more strictly than the kernel does, so that a mistake gets a
 * message that says what is wrong instead of a bare EINVAL (or, worse, a
 * buffer the kernel quietly placed somewhere else).
 */
#include "util/api.h"
#include "placement.h"
#include "registry.h"
#include "device/internal.h"
#include "util/error.h"
#include "device/info_query.h"

#include <amdgpu_drm.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <xf86drm.h>

#define AB_PAGE 4096ull
#define AB_MAX_ALIGNMENT (1ull << 30)

static const uint32_t known_domains = AMDBARE_DOMAIN_VRAM | AMDBARE_DOMAIN_GTT;
static const uint32_t known_flags = AMDBARE_BO_CPU_ACCESS | AMDBARE_BO_NO_CPU_ACCESS |
				    AMDBARE_BO_USWC | AMDBARE_BO_CLEARED |
				    AMDBARE_BO_VM_ALWAYS_VALID;

/* The library's flag and domain bits are the kernel's: keep them so. */
_Static_assert(AMDBARE_DOMAIN_GTT == AMDGPU_GEM_DOMAIN_GTT, "domain bits");
_Static_assert(AMDBARE_DOMAIN_VRAM == AMDGPU_GEM_DOMAIN_VRAM, "domain bits");
_Static_assert(AMDBARE_BO_CPU_ACCESS == AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED, "flag bits");
_Static_assert(AMDBARE_BO_NO_CPU_ACCESS == AMDGPU_GEM_CREATE_NO_CPU_ACCESS, "flag bits");
_Static_assert(AMDBARE_BO_USWC == AMDGPU_GEM_CREATE_CPU_GTT_USWC, "flag bits");
_Static_assert(AMDBARE_BO_CLEARED == AMDGPU_GEM_CREATE_VRAM_CLEARED, "flag bits");
_Static_assert(AMDBARE_BO_VM_ALWAYS_VALID == AMDGPU_GEM_CREATE_VM_ALWAYS_VALID, "flag bits");

static int validate_args(amdbare_device *dev, const amdbare_bo_create_info *ci,
			 uint64_t *rounded, uint64_t *alignment)
{
	const char *node = ab_node(dev);
	if (ci->size == 0)
		return ab_set_error(EINVAL, "%s: buffer size 0: a buffer needs at least one byte", node);
	if (ci->size > UINT64_MAX - (AB_PAGE - 1))
		return ab_set_error(E2BIG, "%s: buffer size %" PRIu64 " overflows when rounded up to "
				    "4 KiB pages", node, ci->size);
	*rounded = (ci->size + AB_PAGE - 1) & ~(AB_PAGE - 1);

	*alignment = ci->alignment ? ci->alignment : AB_PAGE;
	if (*alignment & (*alignment - 1))
		return ab_set_error(EINVAL, "%s: alignment %" PRIu64 " is not a power of two", node,
				    ci->alignment);
	if (*alignment > AB_MAX_ALIGNMENT)
		return ab_set_error(EINVAL, "%s: alignment %" PRIu64 " exceeds 1 GiB", node,
				    ci->alignment);
	if (*alignment < AB_PAGE)
		*alignment = AB_PAGE;

	if (ci->domains == 0)
		return ab_set_error(EINVAL, "%s: no memory domain requested (use VRAM, GTT or both)",
				    node);
	if (ci->domains & ~known_domains)
		return ab_set_error(EINVAL, "%s: unknown domain bits 0x%x (known: VRAM 0x%x, GTT 0x%x)",
				    node, ci->domains & ~known_domains, AMDBARE_DOMAIN_VRAM,
				    AMDBARE_DOMAIN_GTT);
	if (ci->flags & ~known_flags)
		return ab_set_error(EINVAL, "%s: unknown buffer flag bits 0x%x", node,
				    ci->flags & ~known_flags);
	if ((ci->flags & AMDBARE_BO_CPU_ACCESS) && (ci->flags & AMDBARE_BO_NO_CPU_ACCESS))
		return ab_set_error(EINVAL, "%s: CPU_ACCESS and NO_CPU_ACCESS contradict each other",
				    node);
	if ((ci->flags & AMDBARE_BO_USWC) && !(ci->domains & AMDBARE_DOMAIN_GTT))
		return ab_set_error(EINVAL, "%s: USWC (write-combined GTT mapping) needs the GTT domain",
				    node);
	return 0;
}

/* The largest allocation the kernel would accept for these domains.  A
 * VRAM-only request may still end up in GTT (amdgpu_gem_create_ioctl
 * retries with VRAM|GTT), so GTT's limit counts for it too. */
static int check_max_allocation(amdbare_device *dev, uint32_t domains, uint64_t rounded)
{
	amdbare_memory_info mem;
	int r = amdbare_device_query_memory(dev, &mem);
	if (r == -EOPNOTSUPP)
		return 0; /* no heap limits to check against: let the kernel judge */
	if (r < 0)
		return r;
	uint64_t limit = mem.gtt.max_allocation;
	if (domains & AMDBARE_DOMAIN_VRAM && mem.vram.max_allocation > limit)
		limit = mem.vram.max_allocation;
	if (rounded > limit) {
		char want[64], vram[32], gtt[32];
		amdbare_format_size(rounded, want, sizeof(want));
		amdbare_format_size(mem.vram.max_allocation, vram, sizeof(vram));
		amdbare_format_size(mem.gtt.max_allocation, gtt, sizeof(gtt));
		/* A size just over the limit rounds to the same text: then the
		 * bytes say by how much. */
		if (strcmp(want, (domains & AMDBARE_DOMAIN_VRAM) && mem.vram.max_allocation > mem.gtt.max_allocation
				 ? vram : gtt) == 0)
			snprintf(want, sizeof(want), "%" PRIu64 " bytes", rounded);
		/* Each limit named with its own heap: a VRAM request is held
		 * to the larger of the two only because it may fall back. */
		if (!(domains & AMDBARE_DOMAIN_VRAM))
			return ab_set_error(E2BIG, "%s: buffer of %s is larger than the largest "
					    "GTT allocation the kernel allows (%s)",
					    ab_node(dev), want, gtt);
		return ab_set_error(E2BIG, "%s: buffer of %s is larger than the largest allocation "
				    "the kernel allows in VRAM (%s) and in GTT (%s), where a VRAM "
				    "request may fall back", ab_node(dev), want, vram, gtt);
	}
	return 0;
}

/* The message for a failed GEM_CREATE, with the heap state that explains
 * it. */
static int create_error(amdbare_device *dev, const amdbare_bo_create_info *ci, uint64_t rounded,
			int err)
{
	char want[32], vu[32], vt[32], gu[32], gt[32];
	amdbare_memory_info mem;
	memset(&mem, 0, sizeof(mem));
	int have_mem = amdbare_device_query_memory(dev, &mem) == 0;
	ab_set_error(err, "%s: GEM_CREATE of %s in %s (flags 0x%x) failed: %s", ab_node(dev),
		     amdbare_format_size(rounded, want, sizeof(want)),
		     amdbare_domain_name(ci->domains), ci->flags, strerror(err));
	if (have_mem)
		ab_append_error("; VRAM used %s of %s, GTT used %s of %s",
				amdbare_format_size(mem.vram.used, vu, sizeof(vu)),
				amdbare_format_size(mem.vram.total, vt, sizeof(vt)),
				amdbare_format_size(mem.gtt.used, gu, sizeof(gu)),
				amdbare_format_size(mem.gtt.total, gt, sizeof(gt)));
	return -err;
}

AB_API int amdbare_bo_create(amdbare_device *dev, const amdbare_bo_create_info *ci,
			     amdbare_bo **out)
{
	if (!out)
		return ab_set_error(EINVAL, "buffer create: NULL output pointer");
	*out = NULL;
	if (!dev || !ci)
		return ab_set_error(EINVAL, "buffer create: NULL device or create info");
	uint64_t rounded = 0, alignment = 0;
	int r = validate_args(dev, ci, &rounded, &alignment);
	if (r < 0)
		return r;
	r = check_max_allocation(dev, ci->domains, rounded);
	if (r < 0)
		return r;

	union drm_amdgpu_gem_create req;
	memset(&req, 0, sizeof(req));
	req.in.bo_size = rounded;
	req.in.alignment = alignment;
	req.in.domains = ci->domains;
	req.in.domain_flags = ci->flags;

	struct ab_usage_snapshot before, after;
	pthread_mutex_lock(&dev->measure_lock);
	ab_snapshot_take(dev, &before);
	int err = drmIoctl(dev->fd, DRM_IOCTL_AMDGPU_GEM_CREATE, &req) != 0 ? errno : 0;
	if (!err)
		ab_snapshot_take(dev, &after);
	pthread_mutex_unlock(&dev->measure_lock);
	if (err)
		return create_error(dev, ci, rounded, err);

	struct amdbare_bo *bo = ab_bo_wrap_handle(dev, req.out.handle, rounded);
	if (!bo) {
		ab_gem_close(dev, req.out.handle);
		return ab_set_error(ENOMEM, "%s: out of memory for buffer bookkeeping", ab_node(dev));
	}
	bo->domains = ci->domains;
	bo->flags = ci->flags;
	ab_placement_from_creation(&before, &after, rounded, ci->domains, &bo->placement);
	ab_registry_update(bo);
	*out = bo;
	return 0;
}
