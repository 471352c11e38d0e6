/*
 * Shared setup of the fast vgpu decoder fuzzers (fuzz_vgpu_pm4.c,
 * fuzz_vgpu_sdma.c).  Where fuzz_vgpu_cmd submits every input as a CS
 * ioctl (chunk parsing, ring thread hand-off, WAIT_CS: ~150-800 inputs a
 * second), these run the command processor itself, exec_pm4_run or
 * exec_sdma_run, in the fuzzer's own thread on a job built once the way
 * the CS path builds one (vgpu_amdgpu_cs in drm/cs.c): a real file of the
 * render node, a VM with two mapped BOs, a real context and fence, the BO
 * list.  No ring thread, no scheduler, no GPU reset bookkeeping: a fault
 * or a watchdog timeout simply ends the run with -ECANCELED, as it ends a
 * job.
 *
 * The input is the IB itself (no ring byte): it is copied to IB_VA, the
 * job gets a fresh watchdog deadline and a clean CP register state, and
 * the data buffer's first bytes are reset, so runs are independent.
 *
 * Memory map (same as fuzz_vgpu_cmd, so its seeds carry over without the
 * ring byte): IB BO 16 KiB at 0x400000, data BO 256 KiB at 0x800000, both
 * read/write/execute.
 *
 * Header-only (static functions): each target is one translation unit.
 */
#ifndef FUZZ_VGPU_JOB_H
#define FUZZ_VGPU_JOB_H

#include "base/file.h"
#include "base/vgpu_device.h"
#include "exec/internal.h"
#include "fuzz_vgpu_bo.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Bytes of the data buffer reset before each run (what the seeds and most
 * mutations touch; resetting all 256 KiB would cost more than a run). */
#define FUZZ_DATA_RESET 16384u
/* A run may overshoot its watchdog only by the time between two watchdog
 * checks; more than this is a loop that does not look at it (a finding). */
#define FUZZ_OVERSHOOT_NS (3000ull * 1000000ull)

struct fuzz_vgpu {
	const char *name;
	struct vgpu_file *file;
	uint32_t ib_handle, data_handle;
	uint8_t *ib_cpu, *data_cpu;
	struct exec_job job;
	uint32_t bo_gids[2];
	uint64_t timeout_ns;
};

static struct fuzz_vgpu fz;

/* The context a CS would run under, with the reference a job holds. */
static struct exec_ctx *fuzz_ctx(void)
{
	union drm_amdgpu_ctx c = {0};
	c.in.op = AMDGPU_CTX_OP_ALLOC_CTX;
	int r = vgpu_dev_ioctl(fz.file, DRM_IOCTL_AMDGPU_CTX, &c);
	if (r < 0)
		fuzz_die("CTX alloc", r);
	exec_lock();
	struct exec_ctx *ctx = exec_ctx_lookup(fz.file->ctl, c.out.alloc.ctx_id);
	if (ctx)
		ctx->refs++;
	exec_unlock();
	if (!ctx)
		fuzz_die("context lookup", -ENOENT);
	return ctx;
}

static uint64_t fuzz_timeout_ns(void)
{
	/* FUZZ_VGPU_TIMEOUT_US, default 500 us: a hanging input costs this
	 * much and the fuzzer finds many (WAIT_REG_MEM on memory nobody
	 * writes, shader loops).  A longer legitimate job is cut short as a
	 * timeout, itself a path worth running.  (fuzz_vgpu_cmd uses the
	 * vgpu's own AMDBARE_VGPU_TIMEOUT_MS instead: its ring thread runs
	 * the watchdog.) */
	const char *us = getenv("FUZZ_VGPU_TIMEOUT_US");
	unsigned long long v = us && *us ? strtoull(us, NULL, 10) : 0;
	return (v ? v : 500) * 1000ull;
}

static void fuzz_vgpu_setup(const char *name, uint32_t ip)
{
	fz.name = name;
	fuzz_name = name;
	char inst[64];
	snprintf(inst, sizeof(inst), "%s-%d", name, (int)getpid());
	setenv("AMDBARE_VGPU_INSTANCE", inst, 1);
	setenv("AMDBARE_VGPU_PROFILE", "780m", 0);
	fz.timeout_ns = fuzz_timeout_ns();
	int r = vgpu_dev_open(VGPU_MINOR_RENDER, O_RDWR | O_CLOEXEC, &fz.file);
	if (r < 0)
		fuzz_die("open of the render node", r);
	fz.ib_handle = fuzz_gem_create(fz.file, FUZZ_IB_BYTES);
	fz.data_handle = fuzz_gem_create(fz.file, FUZZ_DATA_BYTES);
	fz.ib_cpu = fuzz_cpu_map(fz.file, fz.ib_handle, FUZZ_IB_BYTES);
	fz.data_cpu = fuzz_cpu_map(fz.file, fz.data_handle, FUZZ_DATA_BYTES);
	fuzz_gpu_map(fz.file, fz.ib_handle, FUZZ_IB_VA, FUZZ_IB_BYTES);
	fuzz_gpu_map(fz.file, fz.data_handle, FUZZ_DATA_VA, FUZZ_DATA_BYTES);

	/* The job as vgpu_amdgpu_cs fills it for a one-IB submission whose BO
	 * list names both buffers.  Strict BO-list checking is on: both BOs
	 * are listed, so it changes no outcome and its check runs too. */
	struct exec_job *job = &fz.job;
	job->file = fz.file;
	job->ip = ip;
	job->ring_idx = 0;
	job->ctx = fuzz_ctx();
	job->fence = exec_fence_new(1);
	if (!job->fence)
		fuzz_die("fence", -ENOMEM);
	if (exec_handle_gid(fz.file, fz.ib_handle, &fz.bo_gids[0], NULL, NULL) ||
	    exec_handle_gid(fz.file, fz.data_handle, &fz.bo_gids[1], NULL, NULL))
		fuzz_die("BO global ids", -ENOENT);
	job->bo_gids = fz.bo_gids;
	job->num_bos = 2;
	job->strict = true;
	/* The generation exec/ring.c's run_job picks from the profile
	 * (AMDBARE_VGPU_PROFILE, 780m unless set: e.g. 680m fuzzes gfx10.3's
	 * command processor and SDMA 5.2, cezanne gfx9's and SDMA 4.x). */
	const struct vgpu_profile *p = vgpu_profile_get(NULL);
	if (!p || p->gc_major == 11)
		job->gc = EXEC_GC_11;
	else if (p->gc_major == 10 && p->gc_minor == 3)
		job->gc = EXEC_GC_10_3;
	else if (p->gc_major == 9)
		job->gc = EXEC_GC_9;
	else
		fuzz_die("a profile whose generation the vgpu does not execute", -EINVAL);
}

/* Runs one IB made of the input; aborts on anything but a completed job
 * or a reported fault/timeout. */
static void fuzz_vgpu_run(const uint8_t *data, size_t size)
{
	size_t len = size & ~(size_t)3;
	if (len > FUZZ_IB_BYTES)
		len = FUZZ_IB_BYTES;
	/* Bytes past the IB are zero, as in a freshly created BO: an IB
	 * chained past the end reads NOPs-or-faults deterministically. */
	memcpy(fz.ib_cpu, data, len);
	memset(fz.ib_cpu + len, 0, FUZZ_IB_BYTES - len);
	memset(fz.data_cpu, 0, FUZZ_DATA_RESET);

	struct exec_job *job = &fz.job;
	free(job->cp_state); /* a clean CP for every job (exec_pm4_run) */
	job->cp_state = NULL;
	job->fence->seq++;
	struct exec_ib ib = { .va = FUZZ_IB_VA, .length_dw = (uint32_t)(len / 4), .flags = 0 };
	uint64_t start = exec_now_ns();
	job->deadline_ns = start + fz.timeout_ns;
	int r = job->ip == AMDGPU_HW_IP_DMA ? exec_sdma_run(job, &ib) : exec_pm4_run(job, &ib);
	uint64_t end = exec_now_ns();
	if (r != 0 && r != -ECANCELED) {
		fprintf(stderr, "%s: the command processor returned %d (only 0 or -ECANCELED)\n",
			fz.name, r);
		abort();
	}
	if (end > job->deadline_ns + FUZZ_OVERSHOOT_NS) {
		fprintf(stderr, "%s: a job ran %llu ms past its watchdog (a loop that does not "
			"check it)\n", fz.name,
			(unsigned long long)((end - job->deadline_ns) / 1000000ull));
		abort();
	}
	/* FUZZ_VGPU_VERBOSE=1: say how each input ended (to check seeds). */
	if (getenv("FUZZ_VGPU_VERBOSE"))
		fprintf(stderr, "%s: %zu bytes: %s in %llu us\n", fz.name, len,
			r ? "GPU fault/hang" : "completed",
			(unsigned long long)((end - start) / 1000));
}

#endif /* FUZZ_VGPU_JOB_H */
