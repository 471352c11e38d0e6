/*
 * Several processes on one device: the device-global usage the kernel
 * reports (AMDGPU_INFO_MEMORY) is the exact sum of what every process
 * holds, each process's fdinfo shows only its own buffers, and whatever a
 * process held comes back when it ends — whether it freed its buffers,
 * exited without freeing them, or was killed.
 *
 * On the vgpu all processes of one test share one instance (the children
 * inherit AMDBARE_VGPU_INSTANCE); on real hardware other clients may
 * allocate at the same time, so the exact-sum checks are vgpu-only.
 */
#include "amdbare.h"
#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILDREN 3
#define MIB (1024ull * 1024ull)

/* How a child ends once the parent has checked the usage. */
enum child_end { END_FREE, END_EXIT_HOLDING, END_KILLED };

static uint64_t child_vram(int i) { return (uint64_t)(i + 1) * 4 * MIB; }
static uint64_t child_gtt(int i) { return (uint64_t)(i + 1) * 2 * MIB; }

/* The child: open, allocate its share, report, then wait for the parent's
 * word and end as told.  Any failure is reported as a byte other than 'R'. */
static void child_main(int i, int ready_fd, int go_fd, enum child_end end)
{
	amdbare_device *dev = NULL;
	amdbare_bo *vram = NULL, *gtt = NULL;
	char status = 'R';
	if (amdbare_device_open(0, &dev) < 0) {
		status = 'O';
	} else {
		amdbare_bo_create_info v = {.size = child_vram(i), .domains = AMDBARE_DOMAIN_VRAM};
		amdbare_bo_create_info g = {.size = child_gtt(i), .domains = AMDBARE_DOMAIN_GTT};
		if (amdbare_bo_create(dev, &v, &vram) < 0 || amdbare_bo_create(dev, &g, &gtt) < 0)
			status = 'A';
		else {
			amdbare_placement p;
			if (amdbare_bo_get_placement(vram, &p) < 0 || p.fell_back_to_gtt)
				status = 'P';
		}
	}
	if (write(ready_fd, &status, 1) != 1)
		_exit(2);
	char go;
	if (read(go_fd, &go, 1) != 1)
		_exit(3);
	if (end == END_FREE) {
		amdbare_bo_free(vram);
		amdbare_bo_free(gtt);
		amdbare_device_close(dev);
	}
	/* END_EXIT_HOLDING: the process ends with its buffers and device open;
	 * END_KILLED never gets here (the parent kills it while it waits). */
	_exit(0);
}

static int query(amdbare_device *dev, amdbare_memory_info *m)
{
	int r = amdbare_device_query_memory(dev, m);
	cr_assert_eq(r, 0, "query memory: %s", amdbare_last_error());
	return r;
}

Test(multiprocess, global_usage_is_the_exact_sum_and_comes_back)
{
	vgpu_test_require();
	vgpu_test_use_profile("780m", NULL);
	amdbare_device *dev = NULL;
	cr_assert_eq(amdbare_device_open(0, &dev), 0, "%s", amdbare_last_error());
	amdbare_memory_info before, during, after;
	query(dev, &before);

	const enum child_end ends[CHILDREN] = {END_FREE, END_EXIT_HOLDING, END_KILLED};
	pid_t pids[CHILDREN];
	int ready[2], go[CHILDREN][2];
	cr_assert_eq(pipe(ready), 0);
	for (int i = 0; i < CHILDREN; i++) {
		cr_assert_eq(pipe(go[i]), 0);
		pids[i] = fork();
		cr_assert_geq(pids[i], 0, "fork: %s", strerror(errno));
		if (pids[i] == 0) {
			close(ready[0]);
			close(go[i][1]);
			child_main(i, ready[1], go[i][0], ends[i]);
		}
		close(go[i][0]);
	}
	close(ready[1]);
	for (int i = 0; i < CHILDREN; i++) {
		char status = 0;
		cr_assert_eq(read(ready[0], &status, 1), 1, "a child died before reporting");
		cr_assert_eq(status, 'R', "a child failed to allocate (status %c)", status);
	}

	uint64_t vram_sum = 0, gtt_sum = 0;
	for (int i = 0; i < CHILDREN; i++) {
		vram_sum += child_vram(i);
		gtt_sum += child_gtt(i);
	}
	query(dev, &during);
	cr_expect_eq(during.vram.used - before.vram.used, vram_sum,
		     "VRAM used grew by %llu, the children hold %llu",
		     (unsigned long long)(during.vram.used - before.vram.used),
		     (unsigned long long)vram_sum);
	cr_expect_eq(during.gtt.used - before.gtt.used, gtt_sum,
		     "GTT used grew by %llu, the children hold %llu",
		     (unsigned long long)(during.gtt.used - before.gtt.used),
		     (unsigned long long)gtt_sum);

	/* This process holds nothing: its own fdinfo must not show the others'. */
	amdbare_process_usage mine;
	cr_assert_eq(amdbare_device_query_process_usage(dev, &mine), 0, "%s", amdbare_last_error());
	cr_expect(!mine.has_vram || mine.vram == 0, "own fdinfo shows %llu bytes of VRAM",
		  (unsigned long long)mine.vram);
	cr_expect(!mine.has_gtt || mine.gtt == 0, "own fdinfo shows %llu bytes of GTT",
		  (unsigned long long)mine.gtt);

	for (int i = 0; i < CHILDREN; i++) {
		if (ends[i] == END_KILLED)
			kill(pids[i], SIGKILL);
		else if (write(go[i][1], "g", 1) != 1)
			cr_assert_fail("cannot wake child %d", i);
		close(go[i][1]);
	}
	for (int i = 0; i < CHILDREN; i++) {
		int st = 0;
		cr_assert_eq(waitpid(pids[i], &st, 0), pids[i]);
		if (ends[i] == END_KILLED)
			cr_expect(WIFSIGNALED(st), "child %d was not killed", i);
		else
			cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child %d ended badly", i);
	}
	close(ready[0]);

	/* A dead process's buffers are released like the kernel does when the
	 * last reference to its file goes (drm_release). */
	query(dev, &after);
	cr_expect_eq(after.vram.used, before.vram.used, "VRAM used %llu, was %llu before the children",
		     (unsigned long long)after.vram.used, (unsigned long long)before.vram.used);
	cr_expect_eq(after.gtt.used, before.gtt.used, "GTT used %llu, was %llu before the children",
		     (unsigned long long)after.gtt.used, (unsigned long long)before.gtt.used);

	amdbare_device_close(dev);
	char desc[512];
	cr_expect_eq(vgpu_test_open_objects(desc, sizeof(desc)), 0, "left open: %s", desc);
	vgpu_test_cleanup();
}

/* Processes racing for a small VRAM: every allocation either lands or fails
 * cleanly, and the global counters never exceed the heap nor disagree with
 * what the survivors hold. */
Test(multiprocess, racing_for_a_small_vram_stays_consistent)
{
	vgpu_test_require();
	vgpu_test_use_profile("780m", "AMDBARE_VGPU_VRAM_SIZE", "64M", NULL);
	amdbare_device *dev = NULL;
	cr_assert_eq(amdbare_device_open(0, &dev), 0, "%s", amdbare_last_error());
	amdbare_memory_info m0;
	query(dev, &m0);

	int ready[2], go[2];
	cr_assert_eq(pipe(ready), 0);
	cr_assert_eq(pipe(go), 0);
	pid_t pids[CHILDREN];
	for (int i = 0; i < CHILDREN; i++) {
		pids[i] = fork();
		cr_assert_geq(pids[i], 0);
		if (pids[i] == 0) {
			close(ready[0]);
			close(go[1]);
			amdbare_device *d = NULL;
			if (amdbare_device_open(0, &d) < 0)
				_exit(10);
			/* 8 MiB buffers until 6 are held: 3 children × 48 MiB > 64 MiB,
			 * so some land in GTT through the kernel's fallback. */
			amdbare_bo *bos[6] = {0};
			uint64_t in_vram = 0;
			for (int k = 0; k < 6; k++) {
				amdbare_bo_create_info ci = {.size = 8 * MIB,
							     .domains = AMDBARE_DOMAIN_VRAM};
				if (amdbare_bo_create(d, &ci, &bos[k]) < 0)
					_exit(11);
				amdbare_placement p;
				if (amdbare_bo_get_placement(bos[k], &p) < 0)
					_exit(12);
				if (!p.fell_back_to_gtt)
					in_vram += 8 * MIB;
			}
			uint32_t mib = (uint32_t)(in_vram / MIB);
			if (write(ready[1], &mib, sizeof(mib)) != sizeof(mib))
				_exit(13);
			char c;
			if (read(go[0], &c, 1) != 1)
				_exit(14);
			for (int k = 0; k < 6; k++)
				amdbare_bo_free(bos[k]);
			amdbare_device_close(d);
			_exit(0);
		}
	}
	close(ready[1]);
	close(go[0]);
	uint64_t total_in_vram = 0;
	for (int i = 0; i < CHILDREN; i++) {
		uint32_t mib = 0;
		cr_assert_eq(read(ready[0], &mib, sizeof(mib)), (ssize_t)sizeof(mib),
			     "a child failed before reporting");
		total_in_vram += (uint64_t)mib * MIB;
	}
	amdbare_memory_info m1;
	query(dev, &m1);
	cr_expect_leq(m1.vram.used, m1.vram.total, "VRAM used exceeds the heap");
	/* Placement is measured at creation; a later buffer may evict an earlier
	 * one to GTT, so what sits in VRAM now is at most what the children saw. */
	cr_expect_leq(m1.vram.used - m0.vram.used, total_in_vram,
		      "VRAM usage %llu exceeds what the children placed there (%llu)",
		      (unsigned long long)(m1.vram.used - m0.vram.used),
		      (unsigned long long)total_in_vram);
	cr_expect_eq((m1.vram.used - m0.vram.used) + (m1.gtt.used - m0.gtt.used),
		     (uint64_t)CHILDREN * 6 * 8 * MIB,
		     "VRAM + GTT growth does not equal the bytes the children hold");
	cr_assert_eq(write(go[1], "ggg", CHILDREN), CHILDREN);
	close(go[1]);
	for (int i = 0; i < CHILDREN; i++) {
		int st = 0;
		cr_assert_eq(waitpid(pids[i], &st, 0), pids[i]);
		cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child %d: status %d", i,
			  WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	}
	close(ready[0]);
	amdbare_memory_info m2;
	query(dev, &m2);
	cr_expect_eq(m2.vram.used, m0.vram.used);
	cr_expect_eq(m2.gtt.used, m0.gtt.used);
	amdbare_device_close(dev);
	vgpu_test_cleanup();
}
