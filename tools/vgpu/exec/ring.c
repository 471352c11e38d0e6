/*
 * Rings and their scheduler threads (Linux 6.1 amdgpu_ring.c,
 * gpu_scheduler: drm_sched_main, amdgpu_job.c: amdgpu_job_run and
 * amdgpu_job_timedout).  One thread per hardware ring runs its jobs in
 * submission order; a job's fence signals only after its last packet.
 * A fault or a job running past the watchdog is handled like the
 * kernel's recovery: the context is marked guilty, the GPU "resets"
 * (every context sees the reset counter move) and the job's fence
 * completes with -ECANCELED.
 */
#include "internal.h"
#include "fault/fault.h" /* fault injection: hung and faulting jobs (fault_state.c) */
#include "base/vgpu_device.h" /* the profile: which GC generation executes the job */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* amdgpu_ring names of a gfx11, gfx10.3 or gfx9 part (gfx_v11_0.c,
 * gfx_v10_0.c and gfx_v9_0.c name them alike): gfx_0.0.0, comp_1.<pipe>.<queue>,
 * sdma0/sdma1.  Compute entity ring n runs on comp_1.n.0; DMA entity ring
 * n on sdma(n % num_sdma), as drm_sched spreads DMA entities over every
 * SDMA ring. */
static struct exec_ring rings[] = {
	{ .name = "gfx_0.0.0", .ip = AMDGPU_HW_IP_GFX, .ring_id = 0 },
	{ .name = "comp_1.0.0", .ip = AMDGPU_HW_IP_COMPUTE, .ring_id = 0 },
	{ .name = "comp_1.1.0", .ip = AMDGPU_HW_IP_COMPUTE, .ring_id = 1 },
	{ .name = "comp_1.2.0", .ip = AMDGPU_HW_IP_COMPUTE, .ring_id = 2 },
	{ .name = "comp_1.3.0", .ip = AMDGPU_HW_IP_COMPUTE, .ring_id = 3 },
	{ .name = "sdma0", .ip = AMDGPU_HW_IP_DMA, .ring_id = 0 },
	{ .name = "sdma1", .ip = AMDGPU_HW_IP_DMA, .ring_id = 1 },
};
#define NUM_RINGS (sizeof(rings) / sizeof(rings[0]))

static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

/* fork() while a ring thread holds exec_lock would leave the child's copy
 * locked forever: hold it across the fork. */
static void atfork_prepare(void)
{
	exec_lock();
}

static void atfork_parent(void)
{
	exec_unlock();
}

/* A forked child has none of the parent's ring threads: it starts its own
 * on its first submission.  The parent's queued jobs are not the child's
 * (their fences never signal there; the kernel's child would share the
 * parent's file instead). */
static void atfork_child(void)
{
	for (size_t i = 0; i < NUM_RINGS; i++) {
		rings[i].started = false;
		rings[i].head = rings[i].tail = NULL;
		rings[i].queued = 0;
	}
	exec_unlock();
}

static void atfork_register(void)
{
	pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
}

struct exec_ring *exec_ring_pick(const struct vgpu_profile *p, uint32_t ip, uint32_t ring)
{
	switch (ip) {
	case AMDGPU_HW_IP_GFX:
		return &rings[0];
	case AMDGPU_HW_IP_COMPUTE:
		return &rings[1 + ring];
	case AMDGPU_HW_IP_DMA:
		if (!p || p->num_sdma == 0)
			return NULL;
		return &rings[5 + ring % (p->num_sdma < 2 ? p->num_sdma : 2)];
	default:
		return NULL; /* no VCN/UVD/VCE/JPEG rings on the vgpu */
	}
}

void exec_job_free(struct exec_job *job)
{
	for (uint32_t i = 0; i < job->num_deps; i++)
		exec_fence_put(job->deps[i]);
	free(job->deps);
	exec_fence_put(job->fence);
	if (job->ctx)
		exec_ctx_put(job->ctx);
	free(job->ibs);
	free(job->bo_gids);
	free(job->cp_state);
	free(job);
}

static struct exec_ring *ring_of(const struct exec_job *job)
{
	for (size_t i = 0; i < NUM_RINGS; i++)
		for (struct exec_job *j = rings[i].head; j; j = j->next)
			if (j == job)
				return &rings[i];
	return NULL;
}

/* dev_err lines go to stderr unconditionally (the kernel's dmesg). */
static void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void log_line(const char *fmt, ...)
{
	char line[768];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	ssize_t w = write(STDERR_FILENO, line, (size_t)n);
	(void)w;
}

int exec_fault(struct exec_job *job, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	exec_lock();
	struct exec_ring *r = ring_of(job);
	exec_unlock();
	log_line("amdgpu-vgpu: ring %s: %s (ctx %u, seq %llu)", r ? r->name : "?", msg,
		 job->ctx ? job->ctx->id : 0, (unsigned long long)job->fence->seq);
	return -ECANCELED;
}

/* gmc_v11_0_process_interrupt's message for a GPU VM fault */
int exec_vm_fault(struct exec_job *job, uint64_t va, bool write, const char *why)
{
	exec_lock();
	struct exec_ring *r = ring_of(job);
	exec_unlock();
	char comm[32] = "?";
	FILE *fp = fopen("/proc/self/comm", "r");
	if (fp) {
		if (fgets(comm, sizeof(comm), fp))
			comm[strcspn(comm, "\n")] = 0;
		fclose(fp);
	}
	log_line("amdgpu-vgpu: [gfxhub] page fault (src_id:0 ring:%u vmid:%u pasid:%u)",
		 r ? r->ring_id : 0, 1u, job->file->pasid);
	/* the kernel's amdgpu_vm_print_task_info line: process, then the
	 * thread (here the one reporting the fault) */
	log_line("amdgpu-vgpu:  in process %s pid %d thread %s pid %d", comm, (int)getpid(),
		 comm, (int)gettid());
	log_line("amdgpu-vgpu:   in page starting at address 0x%016llx from client %d",
		 (unsigned long long)(va & ~0xfffull), 0);
	log_line("amdgpu-vgpu:   %s access to 0x%llx: %s (ring %s, ctx %u, seq %llu)",
		 write ? "write" : "read", (unsigned long long)va, why, r ? r->name : "?",
		 job->ctx ? job->ctx->id : 0, (unsigned long long)job->fence->seq);
	return -ECANCELED;
}

static uint64_t timeout_ns(void)
{
	const char *s = getenv("AMDBARE_VGPU_TIMEOUT_MS");
	if (s && *s) {
		char *end;
		unsigned long long ms = strtoull(s, &end, 10);
		if (*end == 0 && ms > 0)
			return ms * 1000000ull;
	}
	return 10000ull * 1000000ull; /* amdgpu.lockup_timeout default: 10 s */
}

int exec_check_watchdog(struct exec_job *job)
{
	if (exec_now_ns() < job->deadline_ns)
		return 0;
	exec_lock();
	struct exec_ring *r = ring_of(job);
	exec_unlock();
	/* amdgpu_job_timedout */
	log_line("amdgpu-vgpu: ring %s timeout, signaled seq=%llu, emitted seq=%llu",
		 r ? r->name : "?", (unsigned long long)(job->fence->seq - 1),
		 (unsigned long long)job->fence->seq);
	return -ECANCELED;
}

/* amdgpu_job_run + amdgpu_ib_schedule: the IBs, then the user fence.
 * The profile's GC IP version picks the engines: GC 11.x runs PM4 as
 * gfx_v11_0 takes it, SDMA v6 and the gfx11 ISA; GC 10.3.x runs PM4 as
 * gfx_v10_0 takes it, SDMA 5.2 and the gfx10.3 ISA; GC 9.x (raven,
 * cezanne, mi50) runs PM4 as gfx_v9_0 takes it, SDMA 4.x and hands its
 * dispatches to the shader layer as gfx9 ones.  Any other generation
 * (gfx10.1) gets no execution at all: its jobs fault, naming what is
 * missing, instead of running its code on another generation's model. */
static int run_job(struct exec_job *job)
{
	const struct vgpu_profile *p = vgpu_profile_get(NULL);
	if (!p || p->gc_major == 11)
		job->gc = EXEC_GC_11;
	else if (p->gc_major == 10 && p->gc_minor == 3)
		job->gc = EXEC_GC_10_3;
	else if (p->gc_major == 9)
		job->gc = EXEC_GC_9;
	else
		return exec_fault(job, "gfx%u.%u command processor not modelled: profile %s (GC "
				  "%u.%u.%u) has no %s executor in the vgpu, which runs gfx11 (PM4, "
				  "SDMA v6), gfx10.3 (PM4, SDMA 5.2) and gfx9 (PM4, SDMA 4.x) only",
				  p->gc_major, p->gc_minor, p->name, p->gc_major, p->gc_minor, p->gc_rev,
				  job->ip == AMDGPU_HW_IP_DMA ? "SDMA" : "PM4/shader");
	for (uint32_t i = 0; i < job->num_ibs; i++) {
		int r = job->ip == AMDGPU_HW_IP_DMA ? exec_sdma_run(job, &job->ibs[i])
						    : exec_pm4_run(job, &job->ibs[i]);
		if (r)
			return r;
	}
	/* The ring's emit_fence writes the fence seq to the user fence
	 * (job->uf_addr, AMDGPU_FENCE_FLAG_64BIT) */
	if (job->has_user_fence &&
	    exec_user_fence_write(job->uf_gid, job->uf_offset, job->fence->seq) != 0)
		return exec_fault(job, "user fence BO vanished");
	return 0;
}

/* ---- fault injection (fault/fault.h) ---------------------------------------- */

/* An injected hang: the job never finishes; the watchdog turns it into
 * a timeout as for a real hang.  A VRAM-lost reset meanwhile, in any
 * process of the instance, cancels it (the resubmission skips it). */
static int hang_job(struct exec_job *job)
{
	for (;;) {
		int r = exec_check_watchdog(job);
		if (r)
			return r;
		if (exec_ctx_vram_lost(job->ctx))
			return -ECANCELED;
		usleep(1000);
	}
}

static int run_or_inject(struct exec_ring *r, struct exec_job *job)
{
	switch (vgpu_fault_job_start(r->name)) {
	case VGPU_FAULT_JOB_HANG:
		return hang_job(job);
	case VGPU_FAULT_JOB_VM_FAULT:
		return exec_vm_fault(job, job->num_ibs ? job->ibs[0].va : 0, false,
				     "injected VM fault (fault injection)");
	default:
		return run_job(job);
	}
}

static bool deps_signaled(const struct exec_job *job)
{
	for (uint32_t i = 0; i < job->num_deps; i++)
		if (!job->deps[i]->signaled)
			return false;
	return true;
}

static bool same_entity(const struct exec_job *a, const struct exec_job *b)
{
	return a->ctx == b->ctx && a->ip == b->ip && a->ring_idx == b->ring_idx;
}

/* drm_sched_select_entity: the first job whose dependencies have all
 * signaled and that is the oldest queued job of its entity (an entity's
 * jobs run in order; a blocked entity does not hold up the others). */
static struct exec_job *select_job(struct exec_ring *r)
{
	for (struct exec_job *j = r->head; j; j = j->next) {
		bool older = false;
		for (struct exec_job *k = r->head; k != j; k = k->next)
			if (same_entity(k, j))
				older = true;
		if (!older && deps_signaled(j))
			return j;
	}
	return NULL;
}

static void unlink_job(struct exec_ring *r, struct exec_job *job)
{
	struct exec_job *prev = NULL;
	for (struct exec_job *j = r->head; j; prev = j, j = j->next) {
		if (j != job)
			continue;
		if (prev)
			prev->next = j->next;
		else
			r->head = j->next;
		if (r->tail == j)
			r->tail = prev;
		return;
	}
}

/* drm_sched_main */
static void *ring_main(void *arg)
{
	struct exec_ring *r = arg;
	exec_lock();
	for (;;) {
		struct exec_job *job;
		while (!(job = select_job(r)))
			exec_cond_wait(UINT64_MAX);
		int err;
		if (job->ctx->guilty) {
			/* drm_sched_entity_pop_job: a guilty entity's jobs are
			 * cancelled; amdgpu_job_run skips their IBs */
			err = -ECANCELED;
		} else if (exec_ctx_vram_lost(job->ctx)) {
			/* amdgpu_job_run: "Skip job if VRAM is lost": allocated
			 * before a VRAM loss in any process of the instance */
			err = -ECANCELED;
		} else {
			job->deadline_ns = exec_now_ns() + timeout_ns();
			exec_unlock();
			err = run_or_inject(r, job); /* fault injection hook */
			exec_lock();
			/* a VRAM loss while it ran: the reset's resubmission skips
			 * it (amdgpu_job_run), and it is not blamed for a reset */
			if (exec_ctx_vram_lost(job->ctx))
				err = -ECANCELED;
			else if (err)
				exec_gpu_reset(job->ctx);
		}
		exec_fence_signal(job->fence, err);
		vgpu_log("ring %s: ctx %u seq %llu done (%u IBs) -> %d", r->name, job->ctx->id,
			 (unsigned long long)job->fence->seq, job->num_ibs, err);
		unlink_job(r, job);
		r->queued--;
		exec_job_free(job);
		exec_broadcast();
	}
	return NULL;
}

int exec_ring_push(struct exec_ring *r, struct exec_job *job)
{
	pthread_once(&atfork_once, atfork_register);
	if (!r->started) {
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		int e = pthread_create(&r->thread, &attr, ring_main, r);
		pthread_attr_destroy(&attr);
		if (e)
			return -e;
		r->started = true;
	}
	job->next = NULL;
	if (r->tail)
		r->tail->next = job;
	else
		r->head = job;
	r->tail = job;
	r->queued++;
	exec_broadcast();
	return 0;
}

static bool owner_busy(struct vgpu_ctl_file *owner)
{
	for (size_t i = 0; i < NUM_RINGS; i++)
		for (struct exec_job *j = rings[i].head; j; j = j->next)
			if (j->ctx->owner == owner)
				return true;
	return false;
}

/* amdgpu_ctx_mgr_entity_flush: the kernel waits (bounded) for the
 * entities of a closing file; the vgpu waits until its jobs are done,
 * which the watchdog bounds. */
void exec_ring_flush_owner(struct vgpu_ctl_file *owner)
{
	while (owner_busy(owner))
		exec_cond_wait(UINT64_MAX);
}
