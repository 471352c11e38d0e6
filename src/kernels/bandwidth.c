/*
 * amdbare_gpu_bandwidth: the embedded "bandwidth" module's bw_read,
 * bw_write and bw_copy (kernels/bandwidth.cl) over a buffer range, timed
 * on the CPU around one submission.
 */
#include "util/api.h"
#include "util/error.h"
#include "registry.h"
#include "amdbare_diag.h"

#include <errno.h>
#include <inttypes.h>
#include <time.h>

#define BW_WG 256            /* kernels/bandwidth.cl WG */
#define BW_GROUPS_PER_CU 4
#define BW_MAX_GROUPS 1024

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int check_range(amdbare_device *dev, amdbare_bo *bo, uint64_t bytes, const char *what)
{
	if (!bo)
		return ab_set_error(EINVAL, "gpu bandwidth: NULL %s buffer", what);
	if (amdbare_bo_device(bo) != dev)
		return ab_set_error(EINVAL, "gpu bandwidth: the %s buffer belongs to another device",
				    what);
	if (bytes > amdbare_bo_size(bo))
		return ab_set_error(EINVAL, "gpu bandwidth: %" PRIu64 " bytes do not fit the %s "
				    "buffer (%" PRIu64 " bytes)", bytes, what, amdbare_bo_size(bo));
	return 0;
}

AB_API int amdbare_gpu_bandwidth(amdbare_device *dev, enum amdbare_bw_op op, amdbare_bo *dst,
				 amdbare_bo *src, uint64_t bytes, double *seconds)
{
	if (!dev || !seconds)
		return ab_set_error(EINVAL, "gpu bandwidth: NULL device or output");
	*seconds = 0;
	if (bytes == 0 || bytes % 16)
		return ab_set_error(EINVAL, "gpu bandwidth: %" PRIu64 " bytes: a non-zero multiple "
				    "of 16 is needed", bytes);
	const char *kernel = op == AMDBARE_BW_READ ? "bw_read" : op == AMDBARE_BW_WRITE ?
			     "bw_write" : op == AMDBARE_BW_COPY ? "bw_copy" : NULL;
	if (!kernel)
		return ab_set_error(EINVAL, "gpu bandwidth: unknown operation %d", (int)op);
	int r = 0;
	if (op != AMDBARE_BW_WRITE)
		r = check_range(dev, src, bytes, "source");
	if (r == 0 && op != AMDBARE_BW_READ)
		r = check_range(dev, dst, bytes, "destination");
	if (r < 0)
		return r;

	amdbare_dispatch_info di = {0};
	const struct kernel_module *m;
	r = kernel_registry_module(dev, "bandwidth", &m);
	if (r == 0)
		r = kernel_registry_kernel(m, kernel, &di);
	if (r < 0) {
		ab_append_error(" (gpu bandwidth)");
		return r;
	}
	amdbare_device_info info;
	amdbare_device_get_info(dev, &info);
	uint64_t quads = bytes / 16;
	uint64_t groups = (quads + BW_WG - 1) / BW_WG;
	uint64_t cap = (uint64_t)(info.cu_count ? info.cu_count : 1) * BW_GROUPS_PER_CU;
	if (cap > BW_MAX_GROUPS)
		cap = BW_MAX_GROUPS;
	if (groups > cap)
		groups = cap;

	amdbare_bo *sink = NULL;
	if (op == AMDBARE_BW_READ) {
		amdbare_bo_create_info ci = {.size = groups * BW_WG * 4,
					     .domains = AMDBARE_DOMAIN_GTT};
		r = amdbare_bo_create(dev, &ci, &sink);
		if (r < 0)
			return r;
	}
	uint32_t value = 0x5a5a5a5au;
	amdbare_karg args[3];
	uint32_t nargs = 0;
	if (op == AMDBARE_BW_READ) {
		args[nargs++] = amdbare_karg_buffer(src, 0);
		args[nargs++] = amdbare_karg_value(&quads, sizeof(quads));
		args[nargs++] = amdbare_karg_buffer(sink, 0);
	} else if (op == AMDBARE_BW_WRITE) {
		args[nargs++] = amdbare_karg_buffer(dst, 0);
		args[nargs++] = amdbare_karg_value(&quads, sizeof(quads));
		args[nargs++] = amdbare_karg_value(&value, sizeof(value));
	} else {
		args[nargs++] = amdbare_karg_buffer(dst, 0);
		args[nargs++] = amdbare_karg_buffer(src, 0);
		args[nargs++] = amdbare_karg_value(&quads, sizeof(quads));
	}
	di.grid[0] = (uint32_t)groups;
	di.grid[1] = di.grid[2] = 1;
	di.block[0] = BW_WG;
	di.block[1] = di.block[2] = 1;
	di.args = args;
	di.arg_count = nargs;

	amdbare_dispatcher *d;
	r = amdbare_dispatcher_create(dev, &d);
	if (r < 0) {
		amdbare_bo_free(sink);
		return r;
	}
	double t = 0;
	for (int run = 0; run < 2 && r == 0; run++) {
		r = amdbare_dispatcher_add(d, &di);
		t = now_s();
		if (r == 0)
			r = amdbare_dispatcher_run(d, NULL);
		t = now_s() - t;
	}
	if (r < 0)
		ab_append_error(" (gpu bandwidth: %s of %" PRIu64 " bytes)", kernel, bytes);
	int rf = amdbare_dispatcher_free(d);
	if (r == 0 && rf < 0)
		r = rf;
	amdbare_bo_free(sink);
	if (r == 0)
		*seconds = t;
	return r;
}

AB_API int amdbare_gpu_chase(amdbare_device *dev, amdbare_bo *chain, uint64_t steps,
			     double *seconds, uint64_t *end)
{
	if (!dev || !seconds || !end)
		return ab_set_error(EINVAL, "gpu chase: NULL device or output");
	*seconds = 0;
	*end = 0;
	int r = check_range(dev, chain, 8, "chain");
	if (r < 0)
		return r;
	if (steps == 0)
		return ab_set_error(EINVAL, "gpu chase: 0 steps");
	amdbare_dispatch_info di = {0};
	const struct kernel_module *m;
	r = kernel_registry_module(dev, "bandwidth", &m);
	if (r == 0)
		r = kernel_registry_kernel(m, "bw_chase", &di);
	if (r < 0) {
		ab_append_error(" (gpu chase)");
		return r;
	}
	amdbare_bo_create_info ci = {.size = 4096, .domains = AMDBARE_DOMAIN_GTT,
				     .flags = AMDBARE_BO_CPU_ACCESS};
	amdbare_bo *out;
	r = amdbare_bo_create(dev, &ci, &out);
	if (r < 0)
		return r;
	void *map;
	r = amdbare_bo_cpu_map(out, &map);
	amdbare_karg args[] = {
		amdbare_karg_buffer(chain, 0),
		amdbare_karg_value(&steps, sizeof(steps)),
		amdbare_karg_buffer(out, 0),
	};
	di.grid[0] = 1;
	di.grid[1] = di.grid[2] = 1;
	di.block[0] = BW_WG;
	di.block[1] = di.block[2] = 1;
	di.args = args;
	di.arg_count = 3;
	amdbare_dispatcher *d = NULL;
	if (r == 0)
		r = amdbare_dispatcher_create(dev, &d);
	double t = 0;
	for (int run = 0; run < 2 && r == 0; run++) {
		r = amdbare_dispatcher_add(d, &di);
		t = now_s();
		if (r == 0)
			r = amdbare_dispatcher_run(d, NULL);
		t = now_s() - t;
	}
	if (r < 0)
		ab_append_error(" (gpu chase of %" PRIu64 " steps)", steps);
	int rf = amdbare_dispatcher_free(d);
	if (r == 0 && rf < 0)
		r = rf;
	if (r == 0) {
		*seconds = t;
		*end = *(volatile const uint64_t *)map;
	}
	amdbare_bo_free(out);
	return r;
}
