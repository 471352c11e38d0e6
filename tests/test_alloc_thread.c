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
 */
#include "amdbare_alloc.h"
#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
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

Test(alloc_thread, concurrent_allocate_and_free)
{
	vgpu_test_use_profile("780m", NULL);
	amdbare_device *dev;
	cr_assert_eq(amdbare_device_open(0, &dev), 0, "%s", amdbare_last_error());
	amdbare_allocator_config cfg;
	amdbare_allocator_config_init(&cfg);
	cfg.arena_size = 8u << 20; /* small: arenas come and go under contention */
	cr_assert_eq(amdbare_allocator_create(dev, &cfg, &alloc), 0, "%s", amdbare_last_error());

	pthread_t th[THREADS];
	struct worker w[THREADS];
	for (int i = 0; i < THREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].seed = 1000u + (unsigned)i;
		cr_assert_eq(pthread_create(&th[i], NULL, run, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < THREADS; i++)
		cr_expect_eq(w[i].errors, 0, "thread %d: %d errors, first: %s", i, w[i].errors,
			     w[i].first_error);
	while (queue.count > 0) {
		queue.count--;
		cr_assert(pattern_intact(&queue.items[queue.count], queue.patterns[queue.count]));
		cr_assert_eq(amdbare_alloc_free(alloc, queue.items[queue.count].id), 0);
	}
	amdbare_alloc_stats st;
	cr_assert_eq(amdbare_allocator_get_stats(alloc, &st), 0);
	cr_assert_eq(st.vram.live + st.gtt.live, 0);
	cr_assert_eq(st.vram.allocs + st.gtt.allocs, st.vram.frees + st.gtt.frees);
	cr_assert_gt(st.vram.allocs + st.gtt.allocs, THREADS * STEPS / 4, "the threads did work");
	cr_assert_eq(amdbare_allocator_destroy(alloc), 0);
	amdbare_device_close(dev);
	char desc[512];
	cr_assert_eq(vgpu_test_open_objects(desc, sizeof(desc)), 0, "left: %s", desc);
	vgpu_test_cleanup();
}
