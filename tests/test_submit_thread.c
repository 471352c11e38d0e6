/*
 * Several threads allocating, loading and submitting on one device at once:
 * each thread creates its own buffers, fills and copies them on the DMA
 * engine, dispatches a kernel on the compute ring, and loads a small model
 * file of its own (streamed, GPU-verified), checking every result while the
 * others do the same.  Shared state under test: the device's buffer list,
 * the libdrm handle, the uploaded code object, the library's kernel cache,
 * the vgpu's rings and fences.
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
#include <unistd.h>

#define THREADS 4
#define ROUNDS 12
#define WORDS 4096 /* 16 KiB per buffer */
#define GEOMETRY_GROUPS 4
#define GEOMETRY_BLOCK 64
#define MODEL_ROUNDS 3
#define MODEL_FLOATS 4096 /* tensor "a": f32 [64, 64] */
#define MODEL_HALVES 128  /* tensor "b": f16 [128] */

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

static float model_value(const struct worker *w, int round, int i)
{
	return (float)(w->index * 100000 + round * 10000 + i);
}

/* A safetensors file of two tensors whose values say which thread and
 * round wrote them.  0 or -1 (with the reason noted). */
static int write_model(struct worker *w, int round, const char *path)
{
	char header[256];
	int n = snprintf(header, sizeof(header),
			 "{\"a\":{\"dtype\":\"F32\",\"shape\":[64,64],\"data_offsets\":[0,%d]},"
			 "\"b\":{\"dtype\":\"F16\",\"shape\":[%d],\"data_offsets\":[%d,%d]}}",
			 MODEL_FLOATS * 4, MODEL_HALVES, MODEL_FLOATS * 4,
			 MODEL_FLOATS * 4 + MODEL_HALVES * 2);
	while (n % 8)
		header[n++] = ' '; /* the format allows padding the header with spaces */
	FILE *f = fopen(path, "wb");
	if (!f) {
		note(w, "cannot create the model file");
		return -1;
	}
	uint64_t len = (uint64_t)n;
	int ok = fwrite(&len, 8, 1, f) == 1 && fwrite(header, 1, (size_t)n, f) == (size_t)n;
	for (int i = 0; ok && i < MODEL_FLOATS; i++) {
		float v = model_value(w, round, i);
		ok = fwrite(&v, 4, 1, f) == 1;
	}
	for (int i = 0; ok && i < MODEL_HALVES; i++) {
		uint16_t h = (uint16_t)(0x3c00 + w->index * 16 + i); /* any bits will do */
		ok = fwrite(&h, 2, 1, f) == 1;
	}
	if (fclose(f) != 0 || !ok) {
		note(w, "cannot write the model file");
		return -1;
	}
	return 0;
}

/* Loads this thread's model: both tensors verified by the GPU checksum and
 * the CPU view equal to what was written. */
static void model_round(struct worker *w, int round)
{
	char path[128];
	snprintf(path, sizeof(path), "/tmp/amdbare-submit-thread-%d-%d.safetensors",
		 (int)getpid(), w->index);
	if (write_model(w, round, path) < 0)
		return;
	const char *paths[] = {path};
	amdbare_model *m = NULL;
	if (amdbare_model_open(dev, paths, 1, NULL, &m) < 0) {
		note(w, "model open");
		goto done;
	}
	if (amdbare_model_load(m) < 0) {
		note(w, "model load");
		goto done;
	}
	amdbare_model_proof proof;
	if (amdbare_model_get_proof(m, &proof) < 0 || proof.verified != 2 || proof.mismatched)
		note(w, "model proof: not both tensors verified by the GPU");
	amdbare_tensor_info t;
	if (amdbare_model_find(m, "a", &t) < 0) {
		note(w, "tensor a missing");
		goto done;
	}
	if (!t.cpu_ptr)
		goto done; /* placed where the CPU cannot read it: the proof covered it */
	const float *a = t.cpu_ptr;
	for (int i = 0; i < MODEL_FLOATS; i++)
		if (a[i] != model_value(w, round, i)) {
			note(w, "a loaded tensor differs from the file");
			break;
		}
done:
	amdbare_model_free(m);
	unlink(path);
}

static void *run(void *arg)
{
	struct worker *w = arg;
	for (int round = 0; round < ROUNDS; round++) {
		dma_round(w, round);
		dispatch_round(w);
		if (round < MODEL_ROUNDS)
			model_round(w, round);
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
