/*
 * Injected GPU resets and VRAM loss, device-wide (Linux 6.1 amdgpu_device.c:
 * amdgpu_device_gpu_recover, amdgpu_inc_vram_lost; amdgpu_ctx.c:
 * amdgpu_ctx_init's vram_lost_counter, amdgpu_ctx_query2; amdgpu_cs.c:
 * amdgpu_cs_pass1's VRAM-lost check; amdgpu_job.c: amdgpu_job_run).
 *
 * The counters are the instance's (memory/shared.c), so a reset in one
 * process reaches every process of the instance: each context compares its
 * snapshots (exec/fence.c) with them when asked, and each ring thread
 * skips the jobs of contexts older than the last VRAM loss (exec/ring.c).
 * What cannot be done from the resetting process is scrambling another
 * process's BO contents (it has no handle on them), so a loss marks every
 * BO then in VRAM (mem_dev_vram_lost_inc) and each process scrambles its
 * marked BOs when it next enters an ioctl or starts a job
 * (vgpu_exec_vram_lost_apply).
 */
#include "fault/fault.h"
#include "internal.h"
#include "memory/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

/* The instance's vram_lost_counter this process has applied to its BOs.
 * A forked child inherits it with the BOs it applies to. */
static atomic_uint applied_vram_lost;

uint32_t vgpu_exec_vram_lost_counter(void)
{
	return mem_dev_vram_lost_counter();
}

/* amdgpu_cs_pass1: a job takes adev->vram_lost_counter (amdgpu_job_alloc);
 * a context from before the loss differs and the CS is -ECANCELED.  The
 * checks that come first in the kernel (no chunks, unknown context,
 * guilty context) are left to the CS handler; see the deviation in
 * docs/fault-injection.md for the chunk checks. */
int vgpu_exec_reset_ioctl_check(struct vgpu_file *f, unsigned int nr, const void *kdata)
{
	if (nr != DRM_COMMAND_BASE + DRM_AMDGPU_CS || !f->ctl)
		return 0;
	const union drm_amdgpu_cs *cs = kdata;
	if (cs->in.num_chunks == 0 || mem_dev_vram_lost_counter() == 0)
		return 0;
	if (!vgpu_exec_ctx_vram_lost(f->ctl, cs->in.ctx_id))
		return 0;
	vgpu_log("CS on context %u created before the VRAM loss -> ECANCELED", cs->in.ctx_id);
	return -ECANCELED;
}

/* The vgpu keeps BO contents in memfds; a lost BO reads as a recognisable
 * pattern (0xdeadbeef dwords) over its first 64 MiB, zeros beyond
 * (punched holes, so a huge sparse BO costs no memory). */
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

void vgpu_exec_vram_lost_apply(void)
{
	uint32_t now = mem_dev_vram_lost_counter();
	if (atomic_load(&applied_vram_lost) == now)
		return;
	/* mem_local_lock serialises the threads of this process: the first
	 * one scrambles, the others find the counter applied. */
	mem_local_lock();
	if (atomic_load(&applied_vram_lost) != now) {
		for (struct vgpu_mem_file *mf = mem_files_head(); mf; mf = mf->next_file) {
			for (uint32_t h = 1; h < mf->nhandles; h++) {
				struct mem_bo *bo = mf->handles[h];
				if (!bo || bo->memfd < 0)
					continue;
				/* A BO held by several processes (PRIME, fork) is
				 * scrambled once, by whoever comes first, under the
				 * shared lock so no holder reads it half-lost; a
				 * later applier must not destroy what was uploaded
				 * again since. */
				mem_shared_lock();
				if (mem_dev_take_lost(bo->gid))
					scramble_memfd(bo->memfd, bo->size);
				mem_shared_unlock();
			}
		}
		atomic_store(&applied_vram_lost, now);
		vgpu_log("VRAM loss %u applied to this process's BOs", now);
	}
	mem_local_unlock();
}

int vgpu_exec_gpu_reset(bool vram_lost)
{
	/* The reset API may come before the first open of the device. */
	int r = mem_shared_attach();
	if (r)
		return r;
	exec_lock();
	/* no job is blamed: drm_sched_increase_karma is not called; the
	 * counter moves for the whole instance */
	exec_gpu_reset(NULL);
	exec_unlock();
	if (vram_lost) {
		/* amdgpu_inc_vram_lost; then amdgpu_job_run skips every job
		 * of a context from before (exec/ring.c), in every process.
		 * The memory side's locks are never taken under exec_lock. */
		mem_dev_vram_lost_inc();
		vgpu_exec_vram_lost_apply();
	}
	vgpu_log("GPU reset (injected)%s", vram_lost ? ": VRAM lost" : "");
	return 0;
}
