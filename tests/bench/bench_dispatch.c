/*
 * Benchmark (not a test): what a kernel dispatch costs the library, in a
 * batch of N dispatches submitted with one CS ioctl, against one dispatch
 * per submission, measured in the same run on the same device.
 *
 * Both modes run the same chain of N dependent dispatches of tests/isa's
 * `add` kernel (a[i] += 2*b[i]) and check the result, so neither side can
 * skip work:
 *   batch:  N x (add + barrier), then one submit-and-wait;
 *   single: N x (add + submit-and-wait) on one reused dispatcher.
 * Each mode prints CS ioctls, wall time and dispatches per second.  With
 * no --mode both run and the ratios are printed.
 *
 * Instructions per dispatch need callgrind: tests/bench/bench_dispatch.sh
 * runs each mode under `valgrind --tool=callgrind`, collecting only inside
 * the library's dispatcher entry points (bench_measured_* below) and not
 * inside ioctl(), so what the kernel (or the vgpu) does is not counted.
 *
 *   make bench                                  (on the vgpu)
 *   build/bench/bench_dispatch [--mode batch|single] [--n N]
 */
#include "amdbare.h"
#include "submit/internal.h" /* ab_cs_ioctl_count(): the library's CS-call counter */
#include "vgpu_test.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { ELEMS = 256, BLOCK = 64 };

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int fail(const char *what, int r)
{
	fprintf(stderr, "bench_dispatch: %s failed (%d): %s\n", what, r, amdbare_last_error());
	return 1;
}

/* The measured region for callgrind's --toggle-collect: noinline so the
 * names exist in the binary whatever the optimisation level. */
__attribute__((noinline)) int bench_measured_batch(amdbare_dispatcher *d,
						     const amdbare_dispatch_info *di, int n);
__attribute__((noinline)) int bench_measured_single(amdbare_dispatcher *d,
						      const amdbare_dispatch_info *di, int n);

int bench_measured_batch(amdbare_dispatcher *d, const amdbare_dispatch_info *di, int n)
{
	for (int i = 0; i < n; i++) {
		int r = amdbare_dispatcher_add(d, di);
		if (r)
			return fail("dispatcher_add", r);
		/* each dispatch reads what the previous one wrote */
		if ((r = amdbare_dispatcher_barrier(d)))
			return fail("dispatcher_barrier", r);
	}
	int r = amdbare_dispatcher_run(d, NULL);
	return r ? fail("dispatcher_run", r) : 0;
}

int bench_measured_single(amdbare_dispatcher *d, const amdbare_dispatch_info *di, int n)
{
	for (int i = 0; i < n; i++) {
		int r = amdbare_dispatcher_add(d, di);
		if (r)
			return fail("dispatcher_add", r);
		/* waiting for each job orders it before the next one */
		if ((r = amdbare_dispatcher_run(d, NULL)))
			return fail("dispatcher_run", r);
	}
	return 0;
}

struct result {
	uint64_t ioctls;
	double seconds;
};

struct setup {
	amdbare_device *dev;
	amdbare_codeobj *co;
	const amdbare_kernel_info *k;
	amdbare_bo *code, *a, *b;
	uint64_t code_va;
	float *pa, *pb;
};

static int make_bo(amdbare_device *dev, amdbare_bo **bo, float **p)
{
	amdbare_bo_create_info ci = {.size = ELEMS * 4, .domains = AMDBARE_DOMAIN_GTT,
				     .flags = AMDBARE_BO_CPU_ACCESS};
	int r = amdbare_bo_create(dev, &ci, bo);
	if (r)
		return fail("bo_create", r);
	if ((r = amdbare_bo_cpu_map(*bo, (void **)p)))
		return fail("bo_cpu_map", r);
	return 0;
}

static int run_mode(struct setup *s, bool batch, int n, struct result *res)
{
	for (int i = 0; i < ELEMS; i++) {
		s->pa[i] = (float)i;
		s->pb[i] = 0.25f * (float)(i % 7);
	}
	uint32_t count = ELEMS;
	amdbare_karg args[3] = {amdbare_karg_buffer(s->a, 0), amdbare_karg_buffer(s->b, 0),
				amdbare_karg_value(&count, 4)};
	amdbare_dispatch_info di = {.kernel = s->k, .code_bo = s->code, .code_va = s->code_va,
				    .grid = {ELEMS / BLOCK, 1, 1}, .block = {BLOCK, 1, 1},
				    .args = args, .arg_count = 3};
	amdbare_dispatcher *d = NULL;
	int r = amdbare_dispatcher_create(s->dev, &d);
	if (r)
		return fail("dispatcher_create", r);
	uint64_t before = ab_cs_ioctl_count();
	double t0 = now();
	r = batch ? bench_measured_batch(d, &di, n) : bench_measured_single(d, &di, n);
	res->seconds = now() - t0;
	res->ioctls = ab_cs_ioctl_count() - before;
	amdbare_dispatcher_free(d);
	if (r)
		return r;
	/* Exact in float: i + n * 0.5 * (i % 7) has few significant bits. */
	for (int i = 0; i < ELEMS; i++) {
		float want = (float)i + (float)n * 0.5f * (float)(i % 7);
		if (s->pa[i] != want) {
			fprintf(stderr, "bench_dispatch: %s: a[%d] = %g, expected %g\n",
				batch ? "batch" : "single", i, (double)s->pa[i], (double)want);
			return 1;
		}
	}
	return 0;
}

static void print(const char *mode, int n, const struct result *r)
{
	printf("%-6s N=%d: %llu CS ioctls, %.3f s, %.0f dispatches/s\n", mode, n,
	       (unsigned long long)r->ioctls, r->seconds,
	       r->seconds > 0 ? n / r->seconds : 0.0);
}

static const char *path_of(const char *rel)
{
	static char path[4096];
	const char *top = getenv("AMDBARE_TOP");
	snprintf(path, sizeof(path), "%s/tests/%s", top ? top : ".", rel);
	return path;
}

static int usage(void)
{
	fprintf(stderr, "usage: bench_dispatch [--mode batch|single] [--n N (1..4096)]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *mode = NULL;
	int n = 256;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--mode") && i + 1 < argc)
			mode = argv[++i];
		else if (!strcmp(argv[i], "--n") && i + 1 < argc)
			n = atoi(argv[++i]);
		else
			return usage();
	}
	if (n < 1 || n > 4096 || (mode && strcmp(mode, "batch") && strcmp(mode, "single")))
		return usage();

	/* Own vgpu instance when preloaded; harmless on a real device. */
	vgpu_test_use_profile("780m", NULL);
	struct setup s = {0};
	int r = amdbare_device_open(0, &s.dev);
	if (r)
		return fail("device_open", r);
	if ((r = amdbare_codeobj_load_file(path_of("isa/k_add.co"), &s.co)))
		return fail("codeobj_load_file (run from the top directory or set AMDBARE_TOP)", r);
	if ((r = amdbare_codeobj_find_kernel(s.co, "add", &s.k)))
		return fail("codeobj_find_kernel", r);
	if ((r = amdbare_codeobj_upload(s.co, s.dev, &s.code, &s.code_va)))
		return fail("codeobj_upload", r);
	if (make_bo(s.dev, &s.a, &s.pa) || make_bo(s.dev, &s.b, &s.pb))
		return 1;

	int status = 0;
	struct result batch = {0}, single = {0};
	if (!mode || !strcmp(mode, "batch")) {
		status = run_mode(&s, true, n, &batch);
		if (!status)
			print("batch", n, &batch);
	}
	if (!status && (!mode || !strcmp(mode, "single"))) {
		status = run_mode(&s, false, n, &single);
		if (!status)
			print("single", n, &single);
	}
	if (!status && !mode && batch.ioctls && batch.seconds > 0)
		printf("ratio single/batch: %.1fx the CS ioctls, %.2fx the wall time\n",
		       (double)single.ioctls / (double)batch.ioctls, single.seconds / batch.seconds);

	amdbare_bo_free(s.a);
	amdbare_bo_free(s.b);
	amdbare_bo_free(s.code);
	amdbare_codeobj_free(s.co);
	amdbare_device_close(s.dev);
	vgpu_test_cleanup();
	return status;
}
