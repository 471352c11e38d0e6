/*
 * amdbare_checksum_gpu: the checksum of a buffer range computed on the
 * device by the embedded "util" module's checksum_partial kernel (one
 * 64-bit partial sum per workgroup), finished here with the CPU
 * reference's own code (src/kernels/checksum_cpu.c), so the two cannot drift apart.
 */
#include "util/api.h"
#include "checksum_internal.h"
#include "util/error.h"
#include "registry.h"

#include <errno.h>
#include <inttypes.h>

#define CK_WG 256         /* kernels/util.cl WG (reqd_work_group_size) */
#define CK_CHUNK 16       /* bytes per work-item and loop step */
#define CK_GROUPS_PER_CU 8
#define CK_MAX_GROUPS 1024
/* Bytes per job (one dispatch, one submission).  A job must finish within
 * the kernel's lockup timeout (amdgpu.lockup_timeout, 10 s by default):
 * hardware reads 256 MiB in milliseconds, but the virtual device
 * interprets every instruction at a few MB/s, so there the range is cut
 * into 2 MiB jobs.  Both are multiples of 16 (a chunk), so every piece
 * but the last is whole chunks and keeps the range's byte shift. */
#define CK_PIECE (256ull << 20)
#define CK_PIECE_VIRTUAL (2ull << 20)

/* Workgroups for a range: one per 256 chunks up to a few per CU, after
 * which each work-item loops (the grid-stride loop) — enough to fill the
 * device, few enough that the partial sums stay a small read. */
static uint32_t group_count(const amdbare_device_info *info, uint64_t size)
{
	uint64_t chunks = size / CK_CHUNK;
	uint64_t want = (chunks + CK_WG - 1) / CK_WG;
	uint64_t cap = (uint64_t)(info->cu_count ? info->cu_count : 1) * CK_GROUPS_PER_CU;
	if (cap > CK_MAX_GROUPS)
		cap = CK_MAX_GROUPS;
	if (want > cap)
		want = cap;
	return want ? (uint32_t)want : 1u;
}

AB_API int amdbare_checksum_gpu(amdbare_device *dev, amdbare_bo *bo, uint64_t offset,
				uint64_t size, uint64_t *out)
{
	if (!dev || !bo || !out)
		return ab_set_error(EINVAL, "checksum_gpu: NULL %s",
				    !dev ? "device" : !bo ? "buffer" : "output pointer");
	*out = 0;
	if (amdbare_bo_device(bo) != dev)
		return ab_set_error(EINVAL, "checksum_gpu: the buffer belongs to another device");
	uint64_t bo_size = amdbare_bo_size(bo);
	if (offset > bo_size || size > bo_size - offset)
		return ab_set_error(EINVAL,
				    "checksum_gpu: range offset %" PRIu64 " size %" PRIu64
				    " is not inside the buffer (%" PRIu64 " bytes)",
				    offset, size, bo_size);
	if (size == 0) {
		*out = ab_checksum_finish(0, 0);
		return 0;
	}

	amdbare_dispatch_info di = {0};
	const struct kernel_module *m;
	int r = kernel_registry_module(dev, "util", &m);
	if (r == 0)
		r = kernel_registry_kernel(m, "checksum_partial", &di);
	if (r < 0) {
		ab_append_error(" (checksum_gpu)");
		return r;
	}

	amdbare_device_info info;
	amdbare_device_get_info(dev, &info);
	amdbare_bo_create_info ci = {
		.size = (uint64_t)CK_MAX_GROUPS * sizeof(uint64_t),
		.domains = AMDBARE_DOMAIN_GTT,
		.flags = AMDBARE_BO_CPU_ACCESS,
	};
	amdbare_bo *partials;
	r = amdbare_bo_create(dev, &ci, &partials);
	if (r < 0)
		return r;
	void *map;
	r = amdbare_bo_cpu_map(partials, &map);
	if (r < 0)
		goto out;

	amdbare_dispatcher *d;
	r = amdbare_dispatcher_create(dev, &d);
	if (r < 0)
		goto out;
	/* The kernel reads dword-aligned: the range's first dword and the
	 * byte shift into it.  Pieces keep that shift (their size is a
	 * multiple of 16 bytes) and tell the kernel their first word index. */
	uint32_t shift = (uint32_t)(offset & 3u);
	uint64_t piece_max = info.is_virtual ? CK_PIECE_VIRTUAL : CK_PIECE;
	uint64_t sum = 0;
	for (uint64_t done = 0; done < size && r == 0; done += piece_max) {
		uint64_t len = size - done < piece_max ? size - done : piece_max;
		uint64_t word0 = done / 4;
		uint32_t groups = group_count(&info, len);
		amdbare_karg args[] = {
			amdbare_karg_buffer(bo, offset - shift + done),
			amdbare_karg_value(&shift, sizeof(shift)),
			amdbare_karg_value(&len, sizeof(len)),
			amdbare_karg_value(&word0, sizeof(word0)),
			amdbare_karg_buffer(partials, 0),
		};
		di.grid[0] = groups;
		di.grid[1] = di.grid[2] = 1;
		di.block[0] = CK_WG;
		di.block[1] = di.block[2] = 1;
		di.args = args;
		di.arg_count = sizeof(args) / sizeof(args[0]);
		r = amdbare_dispatcher_add(d, &di);
		if (r == 0)
			r = amdbare_dispatcher_run(d, NULL);
		if (r < 0) {
			ab_append_error(" (checksum_gpu of %" PRIu64 " bytes at offset %" PRIu64
					", piece at +%" PRIu64 ")", size, offset, done);
			break;
		}
		const volatile uint64_t *part = map;
		for (uint32_t g = 0; g < groups; g++)
			sum += part[g];
	}
	int rf = amdbare_dispatcher_free(d);
	if (r == 0 && rf < 0)
		r = rf;
	if (r == 0)
		*out = ab_checksum_finish(sum, size);
out:
	amdbare_bo_free(partials);
	return r;
}
