/*
 * The armed faults of this process and the hooks that count and fire
 * them: ioctl failures before the ioctl does anything, heaps declared
 * full, jobs that hang or fault, resets at a chosen CS call.
 *
 * Per process, on purpose: counting "the n-th call" across processes
 * would make every injection depend on what other processes of the
 * instance happen to do, and a heap declared full by one test process
 * must not fail another's allocations.  What an injection causes is not
 * per process: a reset or VRAM loss moves the instance's counters
 * (exec/reset.c), and every process sees it.
 */
#include "internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <drm.h>
#include <amdgpu_drm.h>

/* vgpu_fault_set_hooks: what injection sets off in the layers above. */
static struct vgpu_fault_hooks hooks;
static pthread_mutex_t hooks_lock = PTHREAD_MUTEX_INITIALIZER;

void vgpu_fault_set_hooks(const struct vgpu_fault_hooks *h)
{
	pthread_mutex_lock(&hooks_lock);
	hooks = *h;
	pthread_mutex_unlock(&hooks_lock);
}

const struct vgpu_fault_hooks *vgpu_fault_hooks(void)
{
	return &hooks;
}

static void vram_lost_apply(void)
{
	if (hooks.vram_lost_apply)
		hooks.vram_lost_apply();
}

static int gpu_reset(bool vram_lost)
{
	return hooks.gpu_reset ? hooks.gpu_reset(vram_lost) : -ENODEV;
}

#define MAX_RULES 64

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct fault_rule rules[MAX_RULES];
static int nrules;
static atomic_bool heap_full[2];
static atomic_uint_fast64_t hits;
static atomic_uint_fast64_t calls[FAULT_IOCTL_ANY + 1];

static pthread_once_t env_once = PTHREAD_ONCE_INIT;
static int env_result;

/* fork() while a ring thread counts a job start would leave the child's
 * copy of the lock held: hold it across the fork (nothing is taken
 * under it, so this cannot invert any lock order). */
static void atfork_prepare(void)
{
	pthread_mutex_lock(&lock);
}

static void atfork_release(void)
{
	pthread_mutex_unlock(&lock);
}

static void env_parse(void)
{
	pthread_atfork(atfork_prepare, atfork_release, atfork_release);
	const char *spec = getenv("AMDBARE_VGPU_FAULTS");
	if (!spec || !*spec)
		return;
	env_result = vgpu_fault_add_spec(spec, "AMDBARE_VGPU_FAULTS");
	if (env_result)
		vgpu_log("AMDBARE_VGPU_FAULTS is malformed: the device cannot be opened");
}

int vgpu_fault_init(void)
{
	pthread_once(&env_once, env_parse);
	return env_result;
}

int vgpu_fault_add_spec(const char *spec, const char *origin)
{
	if (!spec)
		return -EINVAL;
	struct fault_rule parsed[MAX_RULES];
	int n = fault_parse(spec, origin, parsed, MAX_RULES);
	if (n < 0)
		return n;
	pthread_mutex_lock(&lock);
	if (nrules + n > MAX_RULES) {
		int armed = nrules;
		pthread_mutex_unlock(&lock);
		char line[160];
		int len = snprintf(line, sizeof(line), "vgpu: %s: %d more faults would exceed the "
				   "limit of %d armed at once (%d armed)\n", origin, n, MAX_RULES, armed);
		if (len > 0) {
			ssize_t w = write(STDERR_FILENO, line, (size_t)len);
			(void)w;
		}
		return -EINVAL;
	}
	memcpy(&rules[nrules], parsed, (size_t)n * sizeof(parsed[0]));
	nrules += n;
	for (int i = 0; i < n; i++) {
		/* "-after=0": full at once, not only from the next GEM_CREATE */
		if (parsed[i].kind == FAULT_HEAP_FULL && parsed[i].n == 0)
			atomic_store(&heap_full[parsed[i].heap], true);
	}
	pthread_mutex_unlock(&lock);
	return 0;
}

void vgpu_fault_clear(void)
{
	pthread_mutex_lock(&lock);
	nrules = 0;
	atomic_store(&heap_full[FAULT_HEAP_VRAM], false);
	atomic_store(&heap_full[FAULT_HEAP_GTT], false);
	pthread_mutex_unlock(&lock);
}

uint64_t vgpu_fault_hits(void)
{
	return atomic_load(&hits);
}

uint64_t vgpu_fault_ioctl_calls(unsigned int nr)
{
	return atomic_load(&calls[nr > 0xff ? FAULT_IOCTL_ANY : nr]);
}

/* Counts one matching event for `r`; true if the rule fires on it. */
static bool due(struct fault_rule *r)
{
	if (r->spent)
		return false;
	r->seen++;
	if (r->seen == r->n || (r->every && r->seen > r->n)) {
		if (!r->every)
			r->spent = true;
		return true;
	}
	return false;
}

int vgpu_fault_ioctl_enter(unsigned int nr, const char *name)
{
	/* a VRAM loss in another process: this process's BOs are lost before
	 * any ioctl can read them */
	vram_lost_apply();
	atomic_fetch_add(&calls[nr & 0xff], 1);
	uint64_t nth_any = atomic_fetch_add(&calls[FAULT_IOCTL_ANY], 1) + 1;
	int err = 0;
	bool reset = false, vram_lost = false;
	pthread_mutex_lock(&lock);
	for (int i = 0; i < nrules; i++) {
		struct fault_rule *r = &rules[i];
		switch (r->kind) {
		case FAULT_IOCTL:
			if ((r->nr == nr || r->nr == FAULT_IOCTL_ANY) && due(r) && !err)
				err = r->err;
			break;
		case FAULT_HEAP_FULL:
			/* the first n GEM_CREATE calls see the heap as it is */
			if (nr == DRM_COMMAND_BASE + DRM_AMDGPU_GEM_CREATE && !r->spent &&
			    ++r->seen > r->n) {
				r->spent = true;
				atomic_store(&heap_full[r->heap], true);
				atomic_fetch_add(&hits, 1);
			}
			break;
		case FAULT_RESET:
			if (nr == DRM_COMMAND_BASE + DRM_AMDGPU_CS && due(r)) {
				reset = true;
				vram_lost |= r->vram_lost;
			}
			break;
		default:
			break;
		}
	}
	pthread_mutex_unlock(&lock);
	if (reset) {
		atomic_fetch_add(&hits, 1);
		vgpu_log("fault injection: GPU reset%s before %s", vram_lost ? " (VRAM lost)" : "",
			 name);
		/* the device is open, so the shared state is attached */
		(void)gpu_reset(vram_lost);
	}
	if (err) {
		atomic_fetch_add(&hits, 1);
		vgpu_log("fault injection: %s (ioctl call %llu of the process) -> %s", name,
			 (unsigned long long)nth_any, fault_errno_name(err));
	}
	return -err;
}

bool vgpu_fault_vram_full(void)
{
	return atomic_load(&heap_full[FAULT_HEAP_VRAM]);
}

bool vgpu_fault_gtt_full(void)
{
	return atomic_load(&heap_full[FAULT_HEAP_GTT]);
}

/* Ring names of exec/ring.c, and the groups the grammar adds. */
static const char *const ring_names[] = {
	"gfx_0.0.0", "comp_1.0.0", "comp_1.1.0", "comp_1.2.0", "comp_1.3.0", "sdma0", "sdma1",
};

bool vgpu_fault_ring_known(const char *name)
{
	if (strcmp(name, "any") == 0 || strcmp(name, "compute") == 0 || strcmp(name, "sdma") == 0)
		return true;
	for (size_t i = 0; i < sizeof(ring_names) / sizeof(ring_names[0]); i++)
		if (strcmp(name, ring_names[i]) == 0)
			return true;
	return false;
}

static bool ring_matches(const char *rule, const char *ring)
{
	if (strcmp(rule, "any") == 0)
		return true;
	if (strcmp(rule, "compute") == 0)
		return strncmp(ring, "comp_", 5) == 0;
	if (strcmp(rule, "sdma") == 0)
		return strncmp(ring, "sdma", 4) == 0;
	return strcmp(rule, ring) == 0;
}

enum vgpu_fault_job vgpu_fault_job_start(const char *ring_name)
{
	/* the ring thread reads BO contents: a VRAM loss of another process
	 * is applied first (no lock is held here) */
	vram_lost_apply();
	enum vgpu_fault_job what = VGPU_FAULT_JOB_RUN;
	pthread_mutex_lock(&lock);
	for (int i = 0; i < nrules; i++) {
		struct fault_rule *r = &rules[i];
		if ((r->kind != FAULT_HANG && r->kind != FAULT_VM_FAULT) ||
		    !ring_matches(r->ring, ring_name))
			continue;
		if (due(r) && what == VGPU_FAULT_JOB_RUN)
			what = r->kind == FAULT_HANG ? VGPU_FAULT_JOB_HANG : VGPU_FAULT_JOB_VM_FAULT;
	}
	pthread_mutex_unlock(&lock);
	if (what != VGPU_FAULT_JOB_RUN) {
		atomic_fetch_add(&hits, 1);
		vgpu_log("fault injection: the next job on %s %s", ring_name,
			 what == VGPU_FAULT_JOB_HANG ? "hangs" : "raises a VM fault");
	}
	return what;
}
