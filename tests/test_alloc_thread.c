/*
 * Concurrent use of one allocator from several threads (run under
 * ThreadSanitizer by `make check-tsan`, and normally by `make check`).
 *
 * Each thread allocates blocks of random sizes, alignments and policies,
 * fills each with its own pattern, and frees them either itself or by
 * handing them to another thread through a shared queue (so that frees
 * race with allocations in the same arenas).  A pattern found changed
 * means two live blocks overlapped; ThreadSanitizer reports any unlocked
 * access to the allocator's state.
 *
 * A plain program, not a Criterion suite: Criterion's runner cannot start
 * under ThreadSanitizer (its inheritable arena fails with EAGAIN, Criterion
 * issue #274), and this file exists to run under ThreadSanitizer.  It
 * prints the "N passed, N failed" line tests/run-tests.sh understands.
 */
#include "amdbare_alloc.h"
#include "vgpu_test.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 4
#define STEPS 1500
#define QUEUE 256

static amdbare_allocator *alloc;

struct handoff {
	pthread_mutex_t lock;
	amdbare_suballoc items[QUEUE];
	uint8_t patterns[QUEUE];
	int count;
};

static struct handoff queue = { .lock = PTHREAD_MUTEX_INITIALIZER };

static bool pattern_intact(const amdbare_suballoc *s, uint8_t p)
{
	const uint8_t *c = s->cpu_ptr;
	uint64_t n = s->size < 512 ? s->size : 512;
	for (uint64_t i = 0; i < n; i++)
		if (c[i] != p || c[s->size - 1 - i] != p)
			return false;
	return true;
}

static void fill_pattern(const amdbare_suballoc *s, uint8_t p)
{
	uint64_t n = s->size < 512 ? s->size : 512;
	memset(s->cpu_ptr, p, n);
	memset((uint8_t *)s->cpu_ptr + s->size - n, p, n);
}

struct worker {
	unsigned seed;
	int errors;          /* failed checks, reported by the main thread */
	char first_error[256];
};

static void note(struct worker *w, const char *what)
{
	if (!w->errors++)
		snprintf(w->first_error, sizeof(w->first_error), "%s: %s", what, amdbare_last_error());
}

static void *run(void *arg)
{
	struct worker *w = arg;
	amdbare_suballoc mine[64];
	uint8_t pat[64];
	int n = 0;
	for (int step = 0; step < STEPS; step++) {
		int action = rand_r(&w->seed) % 10;
		if (action < 5 && n < 64) {
			amdbare_alloc_request q = {
				.size = 1 + rand_r(&w->seed) % (rand_r(&w->seed) % 8 ? 32768 : 3 << 20),
				.alignment = 1u << (rand_r(&w->seed) % 17),
				.policy = (uint32_t)(rand_r(&w->seed) % 3),
			};
			if (amdbare_alloc(alloc, &q, &mine[n]) < 0) {
				note(w, "alloc");
				continue;
			}
			if (mine[n].gpu_va % q.alignment)
				note(w, "alignment");
			pat[n] = (uint8_t)(1 + rand_r(&w->seed) % 255);
			fill_pattern(&mine[n], pat[n]);
			n++;
		} else if (action < 7 && n > 0) {
			int k = rand_r(&w->seed) % n;
			if (!pattern_intact(&mine[k], pat[k]))
				note(w, "overlap detected before free");
			if (amdbare_alloc_free(alloc, mine[k].id) < 0)
				note(w, "free");
			mine[k] = mine[n - 1];
			pat[k] = pat[n - 1];
			n--;
		} else if (action < 8 && n > 0) {
			/* Hand a block to whichever thread frees next. */
			pthread_mutex_lock(&queue.lock);
			if (queue.count < QUEUE) {
				queue.items[queue.count] = mine[n - 1];
				queue.patterns[queue.count] = pat[n - 1];
				queue.count++;
				n--;
			}
			pthread_mutex_unlock(&queue.lock);
		} else if (action < 9) {
			amdbare_suballoc s;
			uint8_t p = 0;
			bool got = false;
			pthread_mutex_lock(&queue.lock);
			if (queue.count > 0) {
				queue.count--;
				s = queue.items[queue.count];
				p = queue.patterns[queue.count];
				got = true;
			}
			pthread_mutex_unlock(&queue.lock);
			if (got) {
				if (!pattern_intact(&s, p))
					note(w, "overlap detected on a handed-off block");
				if (amdbare_alloc_free(alloc, s.id) < 0)
					note(w, "free of a handed-off block");
				/* A second free from this thread must fail cleanly. */
				if (amdbare_alloc_free(alloc, s.id) != -EALREADY)
					note(w, "double free not detected");
			}
		} else {
			amdbare_alloc_stats st;
			if (amdbare_allocator_get_stats(alloc, &st) < 0)
				note(w, "stats");
			else if (st.vram.used + st.vram.free != st.vram.held ||
				 st.gtt.used + st.gtt.free != st.gtt.held)
				note(w, "inconsistent stats snapshot");
		}
	}
	for (int k = 0; k < n; k++) {
		if (!pattern_intact(&mine[k], pat[k]))
			note(w, "overlap detected at the end");
		if (amdbare_alloc_free(alloc, mine[k].id) < 0)
			note(w, "final free");
	}
	return NULL;
}

/* A failed check: reported, counted, and the program ends with a failure
 * (this file is a plain program, see the comment at the top). */
static int failures;

#define CHECK(cond, ...)                                      \
	do {                                                   \
		if (!(cond)) {                                 \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);          \
			fputc('\n', stderr);                   \
			failures++;                            \
		}                                              \
	} while (0)

static void concurrent_allocate_and_free(void)
{
	vgpu_test_use_profile("780m", NULL);
	amdbare_device *dev;
	int r = amdbare_device_open(0, &dev);
	CHECK(r == 0, "device open: %s", amdbare_last_error());
	if (r < 0)
		return;
	amdbare_allocator_config cfg;
	amdbare_allocator_config_init(&cfg);
	cfg.arena_size = 8u << 20; /* small: arenas come and go under contention */
	r = amdbare_allocator_create(dev, &cfg, &alloc);
	CHECK(r == 0, "allocator create: %s", amdbare_last_error());
	if (r < 0)
		return;

	pthread_t th[THREADS];
	struct worker w[THREADS];
	for (int i = 0; i < THREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].seed = 1000u + (unsigned)i;
		if (pthread_create(&th[i], NULL, run, &w[i]) != 0) {
			fprintf(stderr, "FAIL: pthread_create\n");
			exit(1);
		}
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < THREADS; i++)
		CHECK(w[i].errors == 0, "thread %d: %d errors, first: %s", i, w[i].errors,
		      w[i].first_error);
	while (queue.count > 0) {
		queue.count--;
		CHECK(pattern_intact(&queue.items[queue.count], queue.patterns[queue.count]),
		      "handed-off block overwritten");
		CHECK(amdbare_alloc_free(alloc, queue.items[queue.count].id) == 0, "free: %s",
		      amdbare_last_error());
	}
	amdbare_alloc_stats st;
	CHECK(amdbare_allocator_get_stats(alloc, &st) == 0, "stats");
	CHECK(st.vram.live + st.gtt.live == 0, "%llu blocks still live",
	      (unsigned long long)(st.vram.live + st.gtt.live));
	CHECK(st.vram.allocs + st.gtt.allocs == st.vram.frees + st.gtt.frees, "allocs != frees");
	CHECK(st.vram.allocs + st.gtt.allocs > THREADS * STEPS / 4, "the threads did little work");
	r = amdbare_allocator_destroy(alloc);
	CHECK(r == 0, "destroy found %d live blocks", r);
	amdbare_device_close(dev);
	char desc[512];
	CHECK(vgpu_test_open_objects(desc, sizeof(desc)) == 0, "left in the vgpu: %s", desc);
	vgpu_test_cleanup();
}

int main(void)
{
	concurrent_allocate_and_free();
	/* The summary line tests/run-tests.sh reads for programs without
	 * Criterion's. */
	printf("%d passed, %d failed\n", failures ? 0 : 1, failures ? 1 : 0);
	return failures ? 1 : 0;
}
