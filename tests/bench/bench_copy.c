/*
 * Benchmark (not a test): small synchronous SDMA copies per second with
 * amdbare_copy, which reuses the device's cached command buffer and
 * context, against the same copy with a batch and a context made and
 * freed per call (what amdbare_copy did before the cache), measured in the
 * same run on the same device, so the ratio holds whatever the machine.
 * The ioctls per copy are counted too (on the vgpu).
 *
 *   make bench                  (on the vgpu)
 *   build/bench/bench_copy [N]  (on whatever device is there)
 */
#include "amdbare.h"
#include "vgpu_fault.h"
#include "vgpu_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WORDS 256u /* 1 KiB per copy */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int fail(const char *what, int r)
{
	fprintf(stderr, "bench_copy: %s failed (%d): %s\n", what, r, amdbare_last_error());
	return 1;
}

static uint64_t ioctls(void)
{
	return vgpu_fault_available() ? vgpu_fault_ioctl_calls("any") : 0;
}

/* The per-call way: batch (command buffer + IB) and context each time. */
static int copy_uncached(amdbare_device *dev, amdbare_bo *dst, amdbare_bo *src)
{
	amdbare_batch *b = NULL;
	amdbare_ctx *ctx = NULL;
	int r = amdbare_batch_create(dev, AMDBARE_ENGINE_DMA, &b);
	if (r == 0)
		r = amdbare_ctx_create(dev, AMDBARE_PRIORITY_NORMAL, &ctx);
	if (r == 0)
		r = amdbare_batch_copy(b, dst, 0, src, 0, WORDS * 4);
	if (r == 0)
		r = amdbare_batch_run(b, ctx);
	int r2 = amdbare_batch_free(b);
	int r3 = amdbare_ctx_free(ctx);
	return r < 0 ? r : r2 < 0 ? r2 : r3;
}

static int run(amdbare_device *dev, amdbare_bo *dst, amdbare_bo *src, uint32_t *ps,
	       const uint32_t *pd, int n, bool cached, double *per_s, double *ioctls_per)
{
	uint64_t i0 = ioctls();
	double t0 = now();
	for (int i = 0; i < n; i++) {
		ps[0] = (uint32_t)i;
		int r = cached ? amdbare_copy(dev, dst, 0, src, 0, WORDS * 4)
			       : copy_uncached(dev, dst, src);
		if (r < 0)
			return fail(cached ? "amdbare_copy" : "per-call copy", r);
		if (pd[0] != (uint32_t)i) {
			fprintf(stderr, "bench_copy: copy %d: read back %u\n", i, pd[0]);
			return 1;
		}
	}
	*per_s = n / (now() - t0);
	*ioctls_per = (double)(ioctls() - i0) / n;
	return 0;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2000;
	if (n <= 0) {
		fprintf(stderr, "usage: %s [copies]\n", argv[0]);
		return 2;
	}
	vgpu_test_use_profile("780m", NULL);
	amdbare_device *dev;
	int r = amdbare_device_open(0, &dev);
	if (r < 0)
		return fail("amdbare_device_open", r);
	amdbare_bo_create_info ci = {.size = WORDS * 4, .domains = AMDBARE_DOMAIN_GTT};
	amdbare_bo *src = NULL, *dst = NULL;
	void *ps = NULL, *pd = NULL;
	if ((r = amdbare_bo_create(dev, &ci, &src)) < 0 || (r = amdbare_bo_create(dev, &ci, &dst)) < 0 ||
	    (r = amdbare_bo_cpu_map(src, &ps)) < 0 || (r = amdbare_bo_cpu_map(dst, &pd)) < 0)
		return fail("buffer setup", r);
	memset(ps, 0, WORDS * 4);
	/* One warm-up copy each way maps the buffers on the GPU and creates
	 * the cached slot, so both loops measure the steady state. */
	double per_call = 0, cached = 0, io_per_call = 0, io_cached = 0;
	if (run(dev, dst, src, ps, pd, 1, false, &per_call, &io_per_call) ||
	    run(dev, dst, src, ps, pd, 1, true, &cached, &io_cached) ||
	    run(dev, dst, src, ps, pd, n, false, &per_call, &io_per_call) ||
	    run(dev, dst, src, ps, pd, n, true, &cached, &io_cached))
		return 1;
	amdbare_device_info info;
	amdbare_device_get_info(dev, &info);
	amdbare_bo_free(src);
	amdbare_bo_free(dst);
	amdbare_device_close(dev);
	vgpu_test_cleanup();

	printf("device: %s%s%s%s\n", info.marketing_name, info.is_virtual ? " (vgpu " : "",
	       info.is_virtual ? info.virtual_profile : "", info.is_virtual ? ")" : "");
	printf("%d copies of %u bytes, GTT -> GTT, each waited for\n", n, WORDS * 4);
	printf("per call: batch + context made and freed  %10.0f copies/s  %5.1f ioctls/copy\n",
	       per_call, io_per_call);
	printf("amdbare_copy (cached batch + context)    %10.0f copies/s  %5.1f ioctls/copy\n",
	       cached, io_cached);
	printf("ratio: cached / per call = %.2fx\n", cached / per_call);
	return 0;
}
