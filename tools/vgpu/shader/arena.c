/*
 * Per-thread memory of the shader core: the instruction cache, the
 * waves, their VGPRs and the workgroup's LDS, kept from one dispatch to
 * the next on the thread that runs them (a ring thread), instead of
 * calloc'ing them for every dispatch.  Fresh pages cost a page fault each
 * and small dispatches spent about a quarter of their time there.
 *
 * Nothing reads as stale: the icache is invalidated as a whole by a
 * generation number (an entry counts only when it carries the current
 * dispatch's), and the dispatcher clears every wave's SGPRs and VGPRs and
 * the LDS before a workgroup runs, as it did with calloc'd memory.
 *
 * An arena belongs to one thread and is freed when that thread exits (a
 * pthread key destructor), so leak checkers see nothing.  A forked child
 * gets its own copy of the forking thread's arena, as of any other
 * thread-local memory; nothing is shared across the fork.
 */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_key_t arena_key;
static pthread_once_t arena_once = PTHREAD_ONCE_INIT;
static bool arena_key_ok;
static __thread struct shader_arena *thread_arena;

static void arena_free(struct shader_arena *a)
{
	if (!a)
		return;
	free(a->icache);
	free(a->lds);
	free(a->waves);
	free(a->vgprs);
	free(a);
}

static void arena_destructor(void *p)
{
	struct shader_arena *a = p;
	if (a == thread_arena)
		thread_arena = NULL;
	arena_free(a);
}

static void arena_key_create(void)
{
	arena_key_ok = pthread_key_create(&arena_key, arena_destructor) == 0;
}

/* Grows *buf to at least `need` bytes (contents not kept: the dispatcher
 * initialises what it uses). */
static int grow(void **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	void *p = malloc(need);
	if (!p)
		return -1;
	free(*buf);
	*buf = p;
	*cap = need;
	return 0;
}

static struct shader_arena *arena_new(void)
{
	struct shader_arena *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	/* zeroed: generation 0 is never a dispatch's, so every entry misses */
	a->icache = calloc(SHADER_ICACHE_SLOTS, sizeof(*a->icache));
	if (!a->icache) {
		free(a);
		return NULL;
	}
	return a;
}

struct shader_arena *shader_arena_get(unsigned nwaves, uint32_t nvgpr, uint32_t lds_size)
{
	struct shader_arena *a = thread_arena;
	bool own = false;
	if (a && a->busy) {
		/* not expected (a dispatch does not start another on its
		 * thread), but a private arena keeps it correct if it did */
		a = NULL;
		own = true;
	}
	if (!a) {
		a = arena_new();
		if (!a)
			return NULL;
		if (!own) {
			pthread_once(&arena_once, arena_key_create);
			if (arena_key_ok && pthread_setspecific(arena_key, a) == 0)
				thread_arena = a;
			else
				own = true;  /* freed by shader_arena_put */
		}
		a->temporary = own;
	}
	size_t vgpr_words = (size_t)nwaves * nvgpr * 64;
	if (grow((void **)&a->waves, &a->waves_cap, (size_t)nwaves * sizeof(*a->waves)) ||
	    grow((void **)&a->vgprs, &a->vgprs_cap, vgpr_words * sizeof(uint32_t)) ||
	    grow((void **)&a->lds, &a->lds_cap, lds_size ? lds_size : 1)) {
		if (a->temporary)
			arena_free(a);
		return NULL;
	}
	/* waves as calloc gave them; their registers are set by init_wave */
	memset(a->waves, 0, (size_t)nwaves * sizeof(*a->waves));
	for (unsigned i = 0; i < nwaves; i++) {
		a->waves[i].nvgpr = nvgpr;
		a->waves[i].v = a->vgprs + (size_t)i * nvgpr * 64;
	}
	a->gen++;
	a->busy = true;
	return a;
}

void shader_arena_put(struct shader_arena *a)
{
	if (!a)
		return;
	a->busy = false;
	if (a->temporary)
		arena_free(a);
}
