/*
 * Benchmark (not a test): how fast the vgpu runs the library's GEMM and
 * GEMV kernels, against the CPU reference GEMM measured in the same run,
 * so the ratios hold whatever the machine.
 *
 * Printed:
 *   - the total time of one 256x256x256 f16 GEMM (amdbare_gemm: validate,
 *     dispatch, wait; the kernel module already loaded);
 *   - emulation speed in lane operations per second, where a lane
 *     operation is one lane's multiply-add as the kernel issues it: in the
 *     f16 GEMV each v_fma_mix_f32 lane is one (N*K of them, the kernel's
 *     dominant instruction), in the GEMM a WMMA counts its 4096
 *     multiply-adds (M*N*K in all; the vgpu runs each WMMA as one host
 *     loop, so this rate is far higher than the GEMV's);
 *   - the baseline: the naive CPU reference (float inputs, double
 *     accumulation, as the tests use) in multiply-adds per second, and the
 *     ratio to each.
 *
 *   make bench                   (on the vgpu, 780M profile)
 *   build/bench/bench_gemm       (needs the vgpu preloaded)
 */
#include "amdbare.h"
#include "half_float.h"
#include "vgpu_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static amdbare_bo *buffer(amdbare_device *dev, uint64_t bytes, void **cpu)
{
	amdbare_bo_create_info ci = {.size = bytes, .domains = AMDBARE_DOMAIN_GTT,
				     .flags = AMDBARE_BO_CPU_ACCESS};
	amdbare_bo *bo = NULL;
	if (amdbare_bo_create(dev, &ci, &bo) || amdbare_bo_cpu_map(bo, cpu)) {
		fprintf(stderr, "bench_gemm: buffer: %s\n", amdbare_last_error());
		exit(1);
	}
	return bo;
}

/* The tests' reference: C[i][j] = sum_k A[i][k] B[k][j] in double. */
static void cpu_gemm(uint32_t m, uint32_t n, uint32_t k, const float *a, const float *b,
		     double *c)
{
	for (uint32_t i = 0; i < m; i++)
		for (uint32_t j = 0; j < n; j++) {
			double s = 0;
			for (uint32_t p = 0; p < k; p++)
				s += (double)a[(size_t)i * k + p] * b[(size_t)p * n + j];
			c[(size_t)i * n + j] = s;
		}
}

static void check(int r, const char *what)
{
	if (r) {
		fprintf(stderr, "bench_gemm: %s: %s\n", what, amdbare_last_error());
		exit(1);
	}
}

int main(void)
{
	if (!vgpu_active()) {
		printf("bench_gemm: measures the vgpu's emulation speed; run it with the vgpu "
		       "preloaded (make bench)\n");
		return 0;
	}
	vgpu_test_use_profile("780m", NULL);
	amdbare_device *dev;
	check(amdbare_device_open(0, &dev), "open");

	const uint32_t S = 256;
	void *pa, *pb, *pc;
	amdbare_bo *a = buffer(dev, (uint64_t)S * S * 2, &pa);
	amdbare_bo *b = buffer(dev, (uint64_t)S * S * 2, &pb);
	amdbare_bo *c = buffer(dev, (uint64_t)S * S * 4, &pc);
	float *fa = malloc(sizeof(float) * S * S), *fb = malloc(sizeof(float) * S * S);
	double *ref = malloc(sizeof(double) * S * S);
	if (!fa || !fb || !ref)
		return 1;
	unsigned seed = 1;
	for (uint32_t i = 0; i < S * S; i++) {
		((uint16_t *)pa)[i] = f32_to_f16((float)rand_r(&seed) / RAND_MAX - 0.5f);
		((uint16_t *)pb)[i] = f32_to_f16((float)rand_r(&seed) / RAND_MAX - 0.5f);
		fa[i] = f16_to_f32(((uint16_t *)pa)[i]);
		fb[i] = f16_to_f32(((uint16_t *)pb)[i]);
	}
	amdbare_gemm_desc g = {.m = S, .n = S, .k = S, .alpha = 1,
			       .a = amdbare_tensor(a, 0, AMDBARE_DTYPE_F16),
			       .b = amdbare_tensor(b, 0, AMDBARE_DTYPE_F16),
			       .c = amdbare_tensor(c, 0, AMDBARE_DTYPE_F32)};
	/* first run loads and uploads the module: not timed */
	check(amdbare_gemm(dev, &g), "gemm (warm-up)");
	const int reps = 2;
	double t0 = now();
	for (int i = 0; i < reps; i++)
		check(amdbare_gemm(dev, &g), "gemm");
	double t_gemm = (now() - t0) / reps;

	t0 = now();
	cpu_gemm(S, S, S, fa, fb, ref);
	double t_cpu = now() - t0;
	double worst = 0;
	for (uint32_t i = 0; i < S * S; i++) {
		double d = ((float *)pc)[i] - ref[i];
		if (d < 0)
			d = -d;
		if (d > worst)
			worst = d;
	}

	/* GEMV: W = B viewed as N x K = 256 x 256 would be tiny; use a
	 * 512 x 1024 f16 matrix so the timed part dwarfs the fixed costs */
	const uint32_t N = 512, K = 1024;
	void *pw, *px, *py;
	amdbare_bo *w = buffer(dev, (uint64_t)N * K * 2, &pw);
	amdbare_bo *x = buffer(dev, (uint64_t)K * 4, &px);
	amdbare_bo *y = buffer(dev, (uint64_t)N * 4, &py);
	for (uint32_t i = 0; i < N * K; i++)
		((uint16_t *)pw)[i] = f32_to_f16((float)rand_r(&seed) / RAND_MAX - 0.5f);
	for (uint32_t i = 0; i < K; i++)
		((float *)px)[i] = (float)rand_r(&seed) / RAND_MAX - 0.5f;
	amdbare_gemv_desc v = {.n = N, .k = K, .alpha = 1,
			       .w = amdbare_tensor(w, 0, AMDBARE_DTYPE_F16),
			       .x = amdbare_tensor(x, 0, AMDBARE_DTYPE_F32),
			       .y = amdbare_tensor(y, 0, AMDBARE_DTYPE_F32)};
	check(amdbare_gemv(dev, &v), "gemv (warm-up)");
	t0 = now();
	check(amdbare_gemv(dev, &v), "gemv");
	double t_gemv = now() - t0;

	double macs = (double)S * S * S, gemv_macs = (double)N * K;
	double cpu_rate = macs / t_cpu;
	printf("vgpu 780M profile, this machine\n");
	printf("  256x256x256 f16 GEMM (amdbare_gemm, total)   %9.1f ms   max |error| %.2g\n",
	       t_gemm * 1e3, worst);
	printf("  CPU reference GEMM, same shape (baseline)     %9.1f ms\n", t_cpu * 1e3);
	printf("  GEMM: %.3g lane-MACs/s emulated (WMMA)  = %.3fx the CPU reference's %.3g MACs/s\n",
	       macs / t_gemm, macs / t_gemm / cpu_rate, cpu_rate);
	printf("  GEMV 512x1024 f16: %.1f ms, %.3g lane-ops/s emulated (v_fma_mix lanes) = %.4fx "
	       "the CPU reference\n", t_gemv * 1e3, gemv_macs / t_gemv, gemv_macs / t_gemv / cpu_rate);
	printf("  (times on the vgpu measure the CPU interpreter, never a GPU)\n");

	amdbare_bo_free(a);
	amdbare_bo_free(b);
	amdbare_bo_free(c);
	amdbare_bo_free(w);
	amdbare_bo_free(x);
	amdbare_bo_free(y);
	free(fa);
	free(fb);
	free(ref);
	amdbare_device_close(dev);
	vgpu_test_cleanup();
	return worst < 1e-3 ? 0 : 1;
}
