/*
 * vkcompute: compute shaders through Mesa's RADV on whatever amdgpu device
 * the process sees (the vgpu under LD_PRELOAD), each checked bit-exactly
 * against a CPU reference.
 *
 *   vkcompute --family gfx|compute [--only NAME] [--bench]
 *
 * --family picks the queue family every test submits to (the graphics
 * family goes to the GFX ring, the compute-only family to a compute ring);
 * the timeline test uses both.  --bench runs only the 2^20-float vector
 * add and prints its time.  Output: one "ok"/"FAIL" line per test, then
 * "N passed, N failed".
 */
#include "vk.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct vkc V;

/* Deterministic inputs (xorshift32) */
static uint32_t rng_state = 0x12345678u;
static uint32_t rnd(void)
{
	uint32_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rng_state = x;
}

/* A finite float in about [-1000, 1000] with a full mantissa */
static float rnd_float(void)
{
	return ((float)(int32_t)rnd() / 2147483648.0f) * 1000.0f;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Reports the first mismatching word of two arrays of 32-bit words. */
__attribute__((unused)) static int cmp_u32(const char *what, const uint32_t *got, const uint32_t *want, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (got[i] != want[i]) {
			fprintf(stderr, "%s: element %zu is 0x%08x, expected 0x%08x\n", what, i, got[i], want[i]);
			return -1;
		}
	return 0;
}

/* ---- vector add ------------------------------------------------------------ */
static int t_vadd_n(uint32_t n, double *secs)
{
	struct vkc_buf b[3];
	struct vkc_pipe p;
	int r = -1;
	memset(b, 0, sizeof(b));
	memset(&p, 0, sizeof(p));
	for (int i = 0; i < 3; i++)
		if (vkc_buf_new(&V, (VkDeviceSize)n * 4, 0, &b[i]))
			goto out;
	float *a = b[0].map, *bb = b[1].map, *c = b[2].map;
	for (uint32_t i = 0; i < n; i++) {
		a[i] = rnd_float();
		bb[i] = rnd_float();
		c[i] = -1.0f;
	}
	if (vkc_pipe_new(&V, "vadd", b, 3, 4, NULL, 0, &p))
		goto out;
	double t0 = now_s();
	if (vkc_run(&V, &p, &n, (n + 63) / 64, 1, 1))
		goto out;
	if (secs)
		*secs = now_s() - t0;
	r = 0;
	for (uint32_t i = 0; i < n && !r; i++) {
		float want = a[i] + bb[i];
		if (memcmp(&c[i], &want, 4)) {
			fprintf(stderr, "vadd: c[%u] = %a, expected %a\n", i, c[i], want);
			r = -1;
		}
	}
out:
	vkc_pipe_free(&V, &p);
	for (int i = 0; i < 3; i++)
		vkc_buf_free(&V, &b[i]);
	return r;
}

static int t_vadd(void)
{
	return t_vadd_n(1u << 16, NULL);
}

struct test {
	const char *name;
	int (*fn)(void);
};

static const struct test tests[] = {
	{ "vadd", t_vadd },
};

int main(int argc, char **argv)
{
	const char *family = "compute", *only = NULL;
	bool bench = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--family") && i + 1 < argc)
			family = argv[++i];
		else if (!strcmp(argv[i], "--only") && i + 1 < argc)
			only = argv[++i];
		else if (!strcmp(argv[i], "--bench"))
			bench = true;
		else {
			fprintf(stderr, "usage: %s --family gfx|compute [--only NAME] [--bench]\n", argv[0]);
			return 2;
		}
	}
	if (strcmp(family, "gfx") && strcmp(family, "compute")) {
		fprintf(stderr, "vkcompute: --family must be gfx or compute\n");
		return 2;
	}
	if (vkc_init(&V, family)) {
		vkc_fini(&V);
		printf("0 passed, 1 failed\n");
		return 1;
	}
	printf("device: %s, %s family (index %u), subgroup size %u\n", V.name, family, V.fam, V.subgroup_size);
	if (bench) {
		double s = 0;
		int r = t_vadd_n(1u << 20, &s);
		if (r)
			printf("vadd 2^20 floats: FAILED\n");
		else
			printf("vadd 2^20 floats (%s family): %.3f s from vkQueueSubmit to the fence, "
			       "result checked bit-exactly\n", family, s);
		vkc_fini(&V);
		return r ? 1 : 0;
	}
	int pass = 0, fail = 0;
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (only && strcmp(only, tests[i].name))
			continue;
		double t0 = now_s();
		int r = tests[i].fn();
		printf("%s %s (%s, %.2f s)\n", r ? "FAIL" : "ok  ", tests[i].name, family, now_s() - t0);
		fflush(stdout);
		if (r)
			fail++;
		else
			pass++;
	}
	vkc_fini(&V);
	printf("%d passed, %d failed\n", pass, fail);
	return fail ? 1 : 0;
}
