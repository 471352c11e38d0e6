/*
 * Several threads submitting on one device at once: each thread creates its
 * own buffers, fills and copies them on the DMA engine, dispatches a kernel
 * on the compute ring and checks every result, while the others do the same.
 * Shared state under test: the device's buffer list, the libdrm handle, the
 * uploaded code object, the vgpu's rings and fences.
 *
 * A plain program (Criterion cannot start under ThreadSanitizer, see
 * test_alloc_thread.c); run normally by `make check` and under
 * ThreadSanitizer by `make check-tsan`.  Prints the summary line
 * tests/run-tests.sh reads.
 */
#include "amdbare.h"
#include "vgpu_test.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 4
#define ROUNDS 12
#define WORDS 4096 /* 16 KiB per buffer */
#define GEOMETRY_GROUPS 4
#define GEOMETRY_BLOCK 64

static amdbare_device *dev;
static amdbare_codeobj *co;
static amdbare_bo *code_bo;
static uint64_t code_va;
static const amdbare_kernel_info *geometry;

struct worker {
	int index;
	int errors;
	char first_error[256];
};

static void note(struct worker *w, const char *what)
{
	if (w->errors++ == 0)
		snprintf(w->first_error, sizeof(w->first_error), "%s: %s", what,
			 amdbare_last_error());
}

static amdbare_bo *make_bo(struct worker *w, uint32_t domain, uint32_t flags)
{
	amdbare_bo_create_info ci = {.size = WORDS * 4, .domains = domain, .flags = flags};
	amdbare_bo *bo = NULL;
	if (amdbare_bo_create(dev, &ci, &bo) < 0) {
		note(w, "bo create");
		return NULL;
	}
	return bo;
}

/* Fill a GTT buffer on the DMA engine, copy it to VRAM and back into a
 * second GTT buffer: the words must carry this thread's and round's value. */
static void dma_round(struct worker *w, int round)
{
	uint32_t value = 0x10000000u * (uint32_t)(w->index + 1) + (uint32_t)round;
	amdbare_bo *src = make_bo(w, AMDBARE_DOMAIN_GTT, AMDBARE_BO_CPU_ACCESS);
	amdbare_bo *mid = make_bo(w, AMDBARE_DOMAIN_VRAM, 0);
	amdbare_bo *dst = make_bo(w, AMDBARE_DOMAIN_GTT, AMDBARE_BO_CPU_ACCESS);
	uint32_t *out = NULL;
	if (!src || !mid || !dst)
		goto done;
	if (amdbare_fill(dev, src, 0, WORDS * 4, value) < 0) {
		note(w, "fill");
		goto done;
	}
	if (amdbare_copy(dev, mid, 0, src, 0, WORDS * 4) < 0 ||
	    amdbare_copy(dev, dst, 0, mid, 0, WORDS * 4) < 0) {
		note(w, "copy");
		goto done;
	}
	if (amdbare_bo_cpu_map(dst, (void **)&out) < 0) {
		note(w, "map");
		goto done;
	}
	for (int i = 0; i < WORDS; i++)
		if (out[i] != value) {
			note(w, "copied data differs from the filled value");
			break;
		}
done:
	amdbare_bo_free(src);
	amdbare_bo_free(mid);
	amdbare_bo_free(dst);
}

/* One dispatch of the geometry kernel: every work-item writes its global id. */
static void dispatch_round(struct worker *w)
{
	amdbare_bo *bo = make_bo(w, AMDBARE_DOMAIN_GTT, AMDBARE_BO_CPU_ACCESS);
	uint32_t *out = NULL;
	if (!bo)
		return;
	if (amdbare_bo_cpu_map(bo, (void **)&out) < 0) {
		note(w, "map");
		goto done;
	}
	memset(out, 0xff, WORDS * 4);
	amdbare_karg arg = amdbare_karg_buffer(bo, 0);
	amdbare_dispatch_info di = {
		.kernel = geometry, .code_bo = code_bo, .code_va = code_va,
		.grid = {GEOMETRY_GROUPS, 1, 1}, .block = {GEOMETRY_BLOCK, 1, 1},
		.args = &arg, .arg_count = 1,
	};
	if (amdbare_dispatch(dev, &di) < 0) {
		note(w, "dispatch");
		goto done;
	}
	if (out[0] != GEOMETRY_BLOCK || out[1] != GEOMETRY_GROUPS * GEOMETRY_BLOCK)
		note(w, "geometry header words");
	for (uint32_t i = 0; i < GEOMETRY_GROUPS * GEOMETRY_BLOCK; i++)
		if (out[4 + i] != i) {
			note(w, "a work-item's id is missing or wrong");
			break;
		}
done:
	amdbare_bo_free(bo);
}

static void *run(void *arg)
{
	struct worker *w = arg;
	for (int round = 0; round < ROUNDS; round++) {
		dma_round(w, round);
		dispatch_round(w);
	}
	return NULL;
}

static int failures;

#define CHECK(cond, ...)                                                     \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                         \
			fputc('\n', stderr);                                  \
			failures++;                                           \
		}                                                             \
	} while (0)

static void concurrent_submissions(void)
{
	vgpu_test_use_profile("780m", NULL);
	int r = amdbare_device_open(0, &dev);
	CHECK(r == 0, "device open: %s", amdbare_last_error());
	if (r < 0)
		return;
	char path[4096];
	const char *top = getenv("AMDBARE_TOP");
	snprintf(path, sizeof(path), "%s/tests/dispatch/geometry.co", top ? top : ".");
	r = amdbare_codeobj_load_file(path, &co);
	CHECK(r == 0, "load %s: %s", path, amdbare_last_error());
	if (r == 0) {
		r = amdbare_codeobj_find_kernel(co, "geometry", &geometry);
		CHECK(r == 0, "find geometry: %s", amdbare_last_error());
	}
	if (r == 0) {
		r = amdbare_codeobj_upload(co, dev, &code_bo, &code_va);
		CHECK(r == 0, "upload: %s", amdbare_last_error());
	}
	if (r == 0) {
		pthread_t th[THREADS];
		struct worker w[THREADS];
		for (int i = 0; i < THREADS; i++) {
			memset(&w[i], 0, sizeof(w[i]));
			w[i].index = i;
			if (pthread_create(&th[i], NULL, run, &w[i]) != 0) {
				fprintf(stderr, "FAIL: pthread_create\n");
				exit(1);
			}
		}
		for (int i = 0; i < THREADS; i++)
			pthread_join(th[i], NULL);
		for (int i = 0; i < THREADS; i++)
			CHECK(w[i].errors == 0, "thread %d: %d errors, first: %s", i,
			      w[i].errors, w[i].first_error);
	}
	amdbare_bo_free(code_bo);
	amdbare_codeobj_free(co);
	amdbare_device_close(dev);
	char desc[512];
	CHECK(vgpu_test_open_objects(desc, sizeof(desc)) == 0, "left in the vgpu: %s", desc);
	vgpu_test_cleanup();
}

int main(void)
{
	concurrent_submissions();
	printf("%d passed, %d failed\n", failures ? 0 : 1, failures ? 1 : 0);
	return failures ? 1 : 0;
}
