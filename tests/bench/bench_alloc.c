/*
 * Benchmark (not a test): sub-allocations per second against one GEM
 * buffer per request, measured in the same run on the same device, so the
 * ratio holds whatever the machine.
 *
 * Both sides produce a usable buffer: a GPU address and a CPU pointer.
 * For the sub-allocator that is allocate + free; for one GEM buffer per
 * request it is amdbare_bo_create + CPU map + GPU map + amdbare_bo_free.
 * amdbare_bo_create also measures where the buffer landed (fdinfo and
 * usage queries), so two leaner baselines are printed too: the same
 * without maps, and the bare GEM_CREATE + GEM_CLOSE ioctls, the most
 * generous comparison.
 *
 *   make bench                  (on the vgpu)
 *   build/bench/bench_alloc [N] (on whatever device is there)
 */
#include "amdbare_alloc.h"
#include "vgpu_test.h"

#include <amdgpu_drm.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <xf86drm.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Log-uniform sizes from 256 B to 64 KiB: tensors and scratch buffers. */
static uint64_t random_size(unsigned *seed)
{
	unsigned shift = 8 + (unsigned)(rand_r(seed) % 9);
	return (UINT64_C(1) << shift) + (uint64_t)rand_r(seed) % (UINT64_C(1) << shift);
}

static int fail(const char *what, int r)
{
	fprintf(stderr, "bench_alloc: %s failed (%d): %s\n", what, r, amdbare_last_error());
	return 1;
}

/* Allocate n, free n (in a shuffled order), `rounds` times. */
static int bench_suballoc(amdbare_allocator *a, int n, int rounds, double *ops_per_s)
{
	uint64_t *ids = malloc(sizeof(*ids) * (size_t)n);
	if (!ids)
		return fail("malloc", -ENOMEM);
	unsigned seed = 1;
	double t0 = now();
	for (int round = 0; round < rounds; round++) {
		for (int i = 0; i < n; i++) {
			amdbare_alloc_request q = { .size = random_size(&seed), .alignment = 256 };
			amdbare_suballoc s;
			int r = amdbare_alloc(a, &q, &s);
			if (r < 0) {
				free(ids);
				return fail("amdbare_alloc", r);
			}
			ids[i] = s.id;
		}
		for (int i = n - 1; i > 0; i--) {
			int j = rand_r(&seed) % (i + 1);
			uint64_t t = ids[i];
			ids[i] = ids[j];
			ids[j] = t;
		}
		for (int i = 0; i < n; i++) {
			int r = amdbare_alloc_free(a, ids[i]);
			if (r < 0) {
				free(ids);
				return fail("amdbare_alloc_free", r);
			}
		}
	}
	double dt = now() - t0;
	*ops_per_s = (double)n * rounds / dt;
	free(ids);
	return 0;
}

static int bench_gem(amdbare_device *dev, int n, bool map, double *ops_per_s)
{
	amdbare_bo **bos = calloc((size_t)n, sizeof(*bos));
	if (!bos)
		return fail("calloc", -ENOMEM);
	unsigned seed = 1;
	int rc = 0;
	double t0 = now();
	for (int i = 0; i < n && !rc; i++) {
		amdbare_bo_create_info ci = { .size = random_size(&seed), .domains = AMDBARE_DOMAIN_VRAM };
		int r = amdbare_bo_create(dev, &ci, &bos[i]);
		if (r < 0) {
			rc = fail("amdbare_bo_create", r);
			break;
		}
		if (map) {
			void *p;
			uint64_t va;
			r = amdbare_bo_cpu_map(bos[i], &p);
			if (r == 0)
				r = amdbare_bo_gpu_map(bos[i], AMDBARE_VA_READ | AMDBARE_VA_WRITE, &va);
			if (r < 0)
				rc = fail("mapping", r);
		}
	}
	for (int i = 0; i < n; i++)
		amdbare_bo_free(bos[i]);
	double dt = now() - t0;
	*ops_per_s = (double)n / dt;
	free(bos);
	return rc;
}

/* The raw ioctls only: what one GEM object per buffer costs at the least. */
static int bench_raw_ioctl(amdbare_device *dev, int n, double *ops_per_s)
{
	uint32_t *handles = calloc((size_t)n, sizeof(*handles));
	if (!handles)
		return fail("calloc", -ENOMEM);
	int fd = amdbare_device_fd(dev);
	unsigned seed = 1;
	int rc = 0, made = 0;
	double t0 = now();
	for (; made < n; made++) {
		union drm_amdgpu_gem_create args;
		memset(&args, 0, sizeof(args));
		args.in.bo_size = (random_size(&seed) + 4095) & ~UINT64_C(4095);
		args.in.alignment = 4096;
		args.in.domains = AMDGPU_GEM_DOMAIN_VRAM;
		if (drmIoctl(fd, DRM_IOCTL_AMDGPU_GEM_CREATE, &args) < 0) {
			fprintf(stderr, "bench_alloc: GEM_CREATE failed: %s\n", strerror(errno));
			rc = 1;
			break;
		}
		handles[made] = args.out.handle;
	}
	for (int i = 0; i < made; i++) {
		struct drm_gem_close cl = { .handle = handles[i] };
		drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &cl);
	}
	double dt = now() - t0;
	*ops_per_s = (double)n / dt;
	free(handles);
	return rc;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2000;
	if (n <= 0) {
		fprintf(stderr, "usage: %s [buffers per round]\n", argv[0]);
		return 2;
	}
	vgpu_test_use_profile("780m", NULL);
	amdbare_device *dev;
	int r = amdbare_device_open(0, &dev);
	if (r < 0)
		return fail("amdbare_device_open", r);
	amdbare_allocator *a;
	r = amdbare_allocator_create(dev, NULL, &a);
	if (r < 0)
		return fail("amdbare_allocator_create", r);

	double sub = 0, gem_mapped = 0, gem_bare = 0, gem_raw = 0;
	/* The sub-allocator is timed over many rounds (it is fast); the first
	 * round creates the arena and is included. */
	if (bench_suballoc(a, n, 50, &sub) || bench_gem(dev, n, true, &gem_mapped) ||
	    bench_gem(dev, n, false, &gem_bare) || bench_raw_ioctl(dev, n, &gem_raw))
		return 1;
	amdbare_alloc_stats st;
	amdbare_allocator_get_stats(a, &st);
	amdbare_allocator_destroy(a);
	amdbare_device_info info;
	amdbare_device_get_info(dev, &info);
	amdbare_device_close(dev);
	vgpu_test_cleanup();

	printf("device: %s%s%s%s\n", info.marketing_name, info.is_virtual ? " (vgpu " : "",
	       info.is_virtual ? info.virtual_profile : "", info.is_virtual ? ")" : "");
	printf("buffers per round: %d, sizes 256 B .. 128 KiB (log-uniform)\n", n);
	printf("sub-allocator        alloc + free:                  %12.0f /s\n", sub);
	printf("GEM buffer each      bo_create + maps + bo_free:    %12.0f /s\n", gem_mapped);
	printf("GEM buffer each      bo_create + bo_free:           %12.0f /s\n", gem_bare);
	printf("GEM buffer each      raw GEM_CREATE + GEM_CLOSE:    %12.0f /s\n", gem_raw);
	printf("ratio: sub-allocator / mapped GEM buffer = %.0fx, / bo_create = %.0fx, "
	       "/ raw GEM_CREATE = %.0fx\n", sub / gem_mapped, sub / gem_bare, sub / gem_raw);
	printf("GEM buffers the sub-allocator needed for %d blocks per round: %u\n", n,
	       st.vram.gem_buffers + st.gtt.gem_buffers);
	return 0;
}
