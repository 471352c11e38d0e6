/*
 * Synchronous GPU copy and fill on the DMA engine: a one-operation batch,
 * submitted and waited for.  The batch checks every range before it
 * creates anything on the device, so a bad range submits nothing.
 */
#include "api.h"
#include "cs_internal.h"
#include "error.h"

AB_API int amdbare_copy(amdbare_device *dev, amdbare_bo *dst, uint64_t dst_offset,
			amdbare_bo *src, uint64_t src_offset, uint64_t size)
{
	if (!dev)
		return ab_set_error(EINVAL, "copy: NULL device");
	/* Ranges first: no context or IB is created for a call that fails. */
	int r = ab_cs_check_range(dst, dst_offset, size, "copy destination");
	if (r == 0)
		r = ab_cs_check_range(src, src_offset, size, "copy source");
	if (r < 0)
		return r;
	amdbare_batch *b = NULL;
	r = amdbare_batch_create(dev, AMDBARE_ENGINE_DMA, &b);
	if (r == 0)
		r = amdbare_batch_copy(b, dst, dst_offset, src, src_offset, size);
	if (r == 0)
		r = amdbare_batch_run(b, NULL);
	int r2 = amdbare_batch_free(b);
	return r < 0 ? r : r2;
}

AB_API int amdbare_fill(amdbare_device *dev, amdbare_bo *bo, uint64_t offset, uint64_t size,
			uint32_t value)
{
	if (!dev)
		return ab_set_error(EINVAL, "fill: NULL device");
	int r = ab_cs_check_range(bo, offset, size, "fill");
	if (r < 0)
		return r;
	if ((offset | size) & 3u)
		return ab_set_error(EINVAL, "%s: fill of %llu bytes at offset %llu: offset and size "
				    "must be multiples of 4", ab_node(dev), (unsigned long long)size,
				    (unsigned long long)offset);
	amdbare_batch *b = NULL;
	r = amdbare_batch_create(dev, AMDBARE_ENGINE_DMA, &b);
	if (r == 0)
		r = amdbare_batch_fill(b, bo, offset, size, value);
	if (r == 0)
		r = amdbare_batch_run(b, NULL);
	int r2 = amdbare_batch_free(b);
	return r < 0 ? r : r2;
}
