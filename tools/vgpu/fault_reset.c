/*
 * Injected GPU resets and VRAM loss (Linux 6.1 amdgpu_device.c:
 * amdgpu_device_gpu_recover, amdgpu_inc_vram_lost; amdgpu_ctx.c:
 * amdgpu_ctx_init's vram_lost_counter, amdgpu_ctx_query2; amdgpu_cs.c:
 * amdgpu_cs_pass1's VRAM-lost check; amdgpu_job.c: amdgpu_job_run).
 *
 * The reset counter and guilt belong to the execution side
 * (exec_fence.c: exec_gpu_reset); this file adds what a reset without a
 * guilty job and a VRAM loss need: the device's vram_lost_counter, each
 * context's snapshot of it, the CS refusal, the cancellation of unfinished
 * jobs and the loss of the contents themselves.
 */
#include "fault.h"
#include "exec_internal.h"
#include "mem_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* adev->vram_lost_counter */
static atomic_uint vram_lost_counter;

/* amdgpu_ctx.vram_lost_counter of every live context of this process */
struct ctx_snap {
	struct vgpu_ctl_file *c;
	uint32_t id;
	uint32_t vram_lost_counter;
};
static pthread_mutex_t snap_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ctx_snap *snaps;
static size_t nsnaps, capsnaps;

/* Held across fork() like the rules' lock (fault_state.c). */
static void snap_atfork_prepare(void)
{
	pthread_mutex_lock(&snap_lock);
}

static void snap_atfork_release(void)
{
	pthread_mutex_unlock(&snap_lock);
}

static void snap_atfork_register(void)
{
	pthread_atfork(snap_atfork_prepare, snap_atfork_release, snap_atfork_release);
}

static pthread_once_t snap_once = PTHREAD_ONCE_INIT;

uint32_t vgpu_fault_vram_lost_counter(void)
{
	return atomic_load(&vram_lost_counter);
}

/* amdgpu_ctx_init: ctx->vram_lost_counter = adev->vram_lost_counter.  A
 * context whose snapshot cannot be stored counts as created now, which is
 * what it is. */
void vgpu_fault_ctx_alloc(struct vgpu_ctl_file *c, uint32_t id)
{
	pthread_once(&snap_once, snap_atfork_register);
	pthread_mutex_lock(&snap_lock);
	if (nsnaps == capsnaps) {
		size_t cap = capsnaps ? 2 * capsnaps : 16;
		struct ctx_snap *n = realloc(snaps, cap * sizeof(*n));
		if (!n) {
			pthread_mutex_unlock(&snap_lock);
			return;
		}
		snaps = n;
		capsnaps = cap;
	}
	snaps[nsnaps++] = (struct ctx_snap){ c, id, atomic_load(&vram_lost_counter) };
	pthread_mutex_unlock(&snap_lock);
}

void vgpu_fault_ctx_free(struct vgpu_ctl_file *c, uint32_t id)
{
	pthread_mutex_lock(&snap_lock);
	for (size_t i = 0; i < nsnaps; i++) {
		if (snaps[i].c == c && snaps[i].id == id) {
			snaps[i] = snaps[--nsnaps];
			break;
		}
	}
	pthread_mutex_unlock(&snap_lock);
}

void vgpu_fault_file_fini(struct vgpu_ctl_file *c)
{
	pthread_mutex_lock(&snap_lock);
	for (size_t i = 0; i < nsnaps;) {
		if (snaps[i].c == c)
			snaps[i] = snaps[--nsnaps];
		else
			i++;
	}
	if (nsnaps == 0) {
		free(snaps);
		snaps = NULL;
		capsnaps = 0;
	}
	pthread_mutex_unlock(&snap_lock);
}

/* True if the context was created before the last VRAM loss. */
static bool ctx_vram_lost(struct vgpu_ctl_file *c, uint32_t id)
{
	bool lost = false;
	uint32_t now = atomic_load(&vram_lost_counter);
	pthread_mutex_lock(&snap_lock);
	for (size_t i = 0; i < nsnaps; i++)
		if (snaps[i].c == c && snaps[i].id == id)
			lost = snaps[i].vram_lost_counter != now;
	pthread_mutex_unlock(&snap_lock);
	return lost;
}

/* amdgpu_ctx_query2: "if (ctx->vram_lost_counter != adev->vram_lost_counter)
 * out->state.flags |= AMDGPU_CTX_QUERY2_FLAGS_VRAMLOST" */
uint32_t vgpu_fault_ctx_query2_flags(struct vgpu_ctl_file *c, uint32_t id)
{
	return ctx_vram_lost(c, id) ? AMDGPU_CTX_QUERY2_FLAGS_VRAMLOST : 0;
}

/* amdgpu_cs_pass1: a job takes adev->vram_lost_counter (amdgpu_job_alloc);
 * a context from before the loss differs and the CS is -ECANCELED.  The
 * checks that come first in the kernel (no chunks, unknown context,
 * guilty context) are left to the CS handler; see the deviation in
 * docs/fault-injection.md for the chunk checks. */
int vgpu_fault_ioctl_check(struct vgpu_file *f, unsigned int nr, const void *kdata)
{
	if (nr != DRM_COMMAND_BASE + DRM_AMDGPU_CS || !f->ctl)
		return 0;
	const union drm_amdgpu_cs *cs = kdata;
	if (cs->in.num_chunks == 0 || atomic_load(&vram_lost_counter) == 0)
		return 0;
	if (!ctx_vram_lost(f->ctl, cs->in.ctx_id))
		return 0;
	vgpu_log("CS on context %u created before the VRAM loss -> ECANCELED", cs->in.ctx_id);
	return -ECANCELED;
}

/* The contents of this process's VRAM BOs are gone.  The vgpu keeps BO
 * contents in memfds; a lost BO reads as a recognisable pattern
 * (0xdeadbeef dwords) over its first 64 MiB, zeros beyond (punched
 * holes, so a huge sparse BO costs no memory). */
#define LOST_PATTERN_BYTES (64ull << 20)

static void scramble_memfd(int fd, uint64_t size)
{
	static const uint32_t pat = 0xdeadbeefu;
	uint32_t chunk[1024];
	for (size_t i = 0; i < sizeof(chunk) / sizeof(chunk[0]); i++)
		chunk[i] = pat;
	uint64_t patterned = size < LOST_PATTERN_BYTES ? size : LOST_PATTERN_BYTES;
	for (uint64_t off = 0; off < patterned; off += sizeof(chunk)) {
		size_t n = patterned - off < sizeof(chunk) ? (size_t)(patterned - off) : sizeof(chunk);
		if (pwrite(fd, chunk, n, (off_t)off) != (ssize_t)n)
			break;
	}
	if (size > patterned)
		fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)patterned,
			  (off_t)(size - patterned));
}

static void lose_vram_contents(void)
{
	mem_local_lock();
	for (struct vgpu_mem_file *mf = mem_files_head(); mf; mf = mf->next_file) {
		for (uint32_t h = 1; h < mf->nhandles; h++) {
			struct mem_bo *bo = mf->handles[h];
			if (!bo || bo->memfd < 0)
				continue;
			mem_shared_lock();
			struct mem_gbo *g = mem_gbo_get(bo->gid);
			bool in_vram = g && g->mem_type == MEM_PL_VRAM;
			mem_shared_unlock();
			if (in_vram)
				scramble_memfd(bo->memfd, bo->size);
		}
	}
	mem_local_unlock();
}

void vgpu_fault_gpu_reset(bool vram_lost)
{
	/* The memory side's locks are never taken under exec_lock. */
	if (vram_lost)
		lose_vram_contents();
	exec_lock();
	if (vram_lost) {
		/* amdgpu_inc_vram_lost, then amdgpu_job_run skips every job
		 * allocated before: their fences end with -ECANCELED */
		atomic_fetch_add(&vram_lost_counter, 1);
		exec_ring_cancel_all();
	}
	/* no job is blamed: drm_sched_increase_karma is not called */
	exec_gpu_reset(NULL);
	exec_unlock();
	vgpu_log("GPU reset (injected)%s", vram_lost ? ": VRAM lost" : "");
}
