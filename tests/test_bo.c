/*
 * Buffers: every domain × flag combination, argument validation, placement
 * reports checked against what the (virtual) kernel did, exhaustion,
 * invisible-VRAM migration, dma-buf, userptr, GPU mapping, and cleanup.
 */
#include "amdbare.h"
#include "bo/placement.h"
#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)

static amdbare_device *open_profile(const char *profile, const char *var, const char *value)
{
	if (var)
		vgpu_test_use_profile(profile, var, value, NULL);
	else
		vgpu_test_use_profile(profile, NULL);
	amdbare_device *dev = NULL;
	int r = amdbare_device_open(0, &dev);
	cr_assert_eq(r, 0, "open %s: %s", profile, amdbare_last_error());
	return dev;
}

static void close_and_check(amdbare_device *dev)
{
	amdbare_device_close(dev);
	char desc[512];
	int left = vgpu_test_open_objects(desc, sizeof(desc));
	cr_assert_eq(left, 0, "objects left in the device: %s", desc);
	vgpu_test_cleanup();
}

static amdbare_bo *create(amdbare_device *dev, uint64_t size, uint32_t domains, uint32_t flags)
{
	amdbare_bo_create_info ci = { .size = size, .domains = domains, .flags = flags };
	amdbare_bo *bo = NULL;
	int r = amdbare_bo_create(dev, &ci, &bo);
	cr_assert_eq(r, 0, "create %llu %s 0x%x: %s", (unsigned long long)size,
		     amdbare_domain_name(domains), flags, amdbare_last_error());
	return bo;
}

Test(bo, every_domain_and_flag_combination)
{
	amdbare_device *dev = open_profile("780m", NULL, NULL);
	const uint32_t domains[] = { AMDBARE_DOMAIN_VRAM, AMDBARE_DOMAIN_GTT,
				     AMDBARE_DOMAIN_VRAM | AMDBARE_DOMAIN_GTT };
	const uint32_t flag_sets[] = {
		0, AMDBARE_BO_CPU_ACCESS, AMDBARE_BO_NO_CPU_ACCESS, AMDBARE_BO_USWC,
		AMDBARE_BO_CLEARED, AMDBARE_BO_VM_ALWAYS_VALID,
		AMDBARE_BO_CPU_ACCESS | AMDBARE_BO_CLEARED | AMDBARE_BO_VM_ALWAYS_VALID,
		AMDBARE_BO_USWC | AMDBARE_BO_CPU_ACCESS,
	};
	int combos = 0;
	for (size_t d = 0; d < sizeof(domains) / sizeof(domains[0]); d++) {
		for (size_t f = 0; f < sizeof(flag_sets) / sizeof(flag_sets[0]); f++) {
			uint32_t flags = flag_sets[f];
			if ((flags & AMDBARE_BO_USWC) && !(domains[d] & AMDBARE_DOMAIN_GTT))
				continue; /* rejected by design: see bad_arguments */
			amdbare_bo *bo = create(dev, 1 * MiB + 1, domains[d], flags);
			cr_assert_eq(amdbare_bo_size(bo), 1 * MiB + 4 * KiB, "size not page-rounded");
			cr_assert_neq(amdbare_bo_handle(bo), 0);
			cr_assert_eq(amdbare_bo_device(bo), dev);
			amdbare_placement p;
			cr_assert_eq(amdbare_bo_get_placement(bo, &p), 0);
			cr_assert_eq(p.requested_domains, domains[d]);
			cr_assert(p.actual_domain & domains[d], "landed in %s, asked %s",
				  amdbare_domain_name(p.actual_domain), amdbare_domain_name(domains[d]));

			void *ptr = NULL;
			int r = amdbare_bo_cpu_map(bo, &ptr);
			if (flags & AMDBARE_BO_NO_CPU_ACCESS) {
				cr_assert_eq(r, -EPERM, "NO_CPU_ACCESS mapped: %d", r);
				cr_assert_null(ptr);
				cr_assert_eq(amdbare_bo_touch(bo, 0x5a), -EPERM);
			} else {
				cr_assert_eq(r, 0, "%s", amdbare_last_error());
				void *again = NULL;
				cr_assert_eq(amdbare_bo_cpu_map(bo, &again), 0);
				cr_assert_eq(again, ptr, "cpu_map is not idempotent");
				cr_assert_eq(amdbare_bo_touch(bo, 0x5a), 0, "%s", amdbare_last_error());
				const uint8_t *b = ptr;
				cr_assert_eq(b[0], 0x5a);
				cr_assert_eq(b[amdbare_bo_size(bo) - 4096], 0x5a);
				cr_assert_eq(amdbare_bo_cpu_unmap(bo), 0);
			}
			uint64_t va = 0;
			cr_assert_eq(amdbare_bo_gpu_map(bo, AMDBARE_VA_READ | AMDBARE_VA_WRITE, &va), 0,
				     "%s", amdbare_last_error());
			cr_assert_neq(va, 0);
			cr_assert_eq(amdbare_bo_free(bo), 0, "%s", amdbare_last_error());
			combos++;
		}
	}
	cr_assert_eq(combos, 3 * 8 - 2);
	close_and_check(dev);
}

Test(bo, bad_arguments_rejected_before_any_ioctl)
{
	amdbare_device *dev = open_profile("780m", NULL, NULL);
	int objects_before = vgpu_test_open_objects(NULL, 0);
	amdbare_memory_info mem;
	cr_assert_eq(amdbare_device_query_memory(dev, &mem), 0);
	struct {
		amdbare_bo_create_info ci;
		int err;
		const char *says;
	} cases[] = {
		{ { 0, 0, AMDBARE_DOMAIN_VRAM, 0 }, -EINVAL, "size 0" },
		{ { UINT64_MAX, 0, AMDBARE_DOMAIN_VRAM, 0 }, -E2BIG, "overflows" },
		{ { UINT64_MAX - 4094, 0, AMDBARE_DOMAIN_GTT, 0 }, -E2BIG, "overflows" },
		{ { 512 * GiB, 0, AMDBARE_DOMAIN_GTT, 0 }, -E2BIG, "512.00 GiB" },
		{ { mem.gtt.max_allocation + 4096, 0, AMDBARE_DOMAIN_GTT, 0 }, -E2BIG,
		  "largest GTT allocation the kernel allows" },
		{ { 4096, 3, AMDBARE_DOMAIN_VRAM, 0 }, -EINVAL, "power of two" },
		{ { 4096, 2 * GiB, AMDBARE_DOMAIN_VRAM, 0 }, -EINVAL, "1 GiB" },
		{ { 4096, 0, 0, 0 }, -EINVAL, "no memory domain" },
		{ { 4096, 0, 0x1, 0 }, -EINVAL, "unknown domain" },
		{ { 4096, 0, AMDBARE_DOMAIN_VRAM | 0x8, 0 }, -EINVAL, "unknown domain" },
		{ { 4096, 0, AMDBARE_DOMAIN_VRAM, 1u << 4 }, -EINVAL, "unknown buffer flag" },
		{ { 4096, 0, AMDBARE_DOMAIN_VRAM, 1u << 31 }, -EINVAL, "unknown buffer flag" },
		{ { 4096, 0, AMDBARE_DOMAIN_GTT, AMDBARE_BO_CPU_ACCESS | AMDBARE_BO_NO_CPU_ACCESS },
		  -EINVAL, "contradict" },
		{ { 4096, 0, AMDBARE_DOMAIN_VRAM, AMDBARE_BO_USWC }, -EINVAL, "USWC" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		amdbare_bo *bo = (amdbare_bo *)&cases[i];
		int r = amdbare_bo_create(dev, &cases[i].ci, &bo);
		cr_assert_eq(r, cases[i].err, "case %zu: got %d (%s)", i, r, amdbare_last_error());
		cr_assert_null(bo, "case %zu: output not cleared", i);
		cr_assert(strstr(amdbare_last_error(), cases[i].says), "case %zu: \"%s\"", i,
			  amdbare_last_error());
		cr_assert(strstr(amdbare_last_error(), "/dev/dri/renderD"), "no node in \"%s\"",
			  amdbare_last_error());
	}
	cr_assert_eq(vgpu_test_open_objects(NULL, 0), objects_before);
	amdbare_bo *bo = NULL;
	cr_assert_eq(amdbare_bo_create(dev, NULL, &bo), -EINVAL);
	cr_assert_eq(amdbare_bo_create(NULL, &cases[0].ci, &bo), -EINVAL);
	cr_assert_eq(amdbare_bo_free(NULL), 0);
	close_and_check(dev);
}

static void assert_exact(const amdbare_placement *p, uint32_t domain, uint64_t size)
{
	cr_assert_eq(p->actual_domain, domain, "landed in %s: %s", amdbare_domain_name(p->actual_domain),
		     p->evidence);
	cr_assert_eq(p->confidence, AMDBARE_PLACEMENT_EXACT, "confidence %d: %s", p->confidence,
		     p->evidence);
	cr_assert_eq(domain == AMDBARE_DOMAIN_VRAM ? p->proc_vram_delta : p->proc_gtt_delta,
		     (int64_t)size);
	cr_assert_eq(domain == AMDBARE_DOMAIN_VRAM ? p->global_vram_delta : p->global_gtt_delta,
		     (int64_t)size);
	cr_assert_not(p->fell_back_to_gtt);
	cr_assert(strstr(p->evidence, "fdinfo:"), "%s", p->evidence);
}

Test(placement, exact_in_vram_and_gtt_on_780m)
{
	vgpu_test_require();
	amdbare_device *dev = open_profile("780m", NULL, NULL);
	amdbare_bo *v = create(dev, 4 * MiB, AMDBARE_DOMAIN_VRAM, 0);
	amdbare_placement p;
	cr_assert_eq(amdbare_bo_get_placement(v, &p), 0);
	assert_exact(&p, AMDBARE_DOMAIN_VRAM, 4 * MiB);
	cr_assert(p.cpu_visible, "APU VRAM is all CPU-visible: %s", p.evidence);
	cr_assert(strstr(p.evidence, "vram +4096 KiB"), "%s", p.evidence);

	amdbare_bo *g = create(dev, 6 * MiB, AMDBARE_DOMAIN_GTT, 0);
	cr_assert_eq(amdbare_bo_get_placement(g, &p), 0);
	assert_exact(&p, AMDBARE_DOMAIN_GTT, 6 * MiB);
	cr_assert_not(p.cpu_visible);

	amdbare_process_usage u;
	cr_assert_eq(amdbare_device_query_process_usage(dev, &u), 0);
	cr_assert_eq(u.vram, 4 * MiB);
	cr_assert_eq(u.gtt, 6 * MiB);
	amdbare_memory_info mem;
	cr_assert_eq(amdbare_device_query_memory(dev, &mem), 0);
	cr_assert_geq(mem.vram.used, 4 * MiB);
	cr_assert_geq(mem.gtt.used, 6 * MiB);
	amdbare_bo_free(v);
	amdbare_bo_free(g);
	cr_assert_eq(amdbare_device_query_process_usage(dev, &u), 0);
	cr_assert_eq(u.vram + u.gtt, 0);
	close_and_check(dev);
}

/* 64 MiB of VRAM, 16 MiB VRAM-only buffers until well past it: whatever
 * the kernel model does (fall back to GTT, evict older buffers), the
 * reports must agree with the final per-process counters. */
Test(placement, vram_exhaustion_reports_what_happened)
{
	vgpu_test_require();
	amdbare_device *dev = open_profile("780m", "AMDBARE_VGPU_VRAM_SIZE", "64M");
	amdbare_memory_info mem;
	cr_assert_eq(amdbare_device_query_memory(dev, &mem), 0);
	cr_assert_eq(mem.vram.total, 64 * MiB);
	enum { N = 8 };
	amdbare_bo *bos[N];
	uint64_t in_vram = 0, in_gtt = 0;
	int fallbacks = 0;
	uint64_t evictions = 0;
	for (int i = 0; i < N; i++) {
		bos[i] = create(dev, 16 * MiB, AMDBARE_DOMAIN_VRAM, 0);
		amdbare_placement p;
		amdbare_bo_get_placement(bos[i], &p);
		cr_assert_neq(p.actual_domain, 0, "buffer %d: placement unknown: %s", i, p.evidence);
		cr_assert_neq(p.confidence, AMDBARE_PLACEMENT_UNKNOWN, "%s", p.evidence);
		if (p.actual_domain == AMDBARE_DOMAIN_VRAM) {
			in_vram += 16 * MiB;
			cr_assert_not(p.fell_back_to_gtt);
		} else {
			in_gtt += 16 * MiB;
			cr_assert(p.fell_back_to_gtt, "VRAM-only in GTT must say fell back: %s", p.evidence);
			fallbacks++;
		}
		evictions += p.evictions_delta;
	}
	cr_assert(fallbacks > 0 || evictions > 0, "128 MiB in 64 MiB of VRAM, yet no fallback "
		  "and no eviction reported");
	amdbare_process_usage u;
	cr_assert_eq(amdbare_device_query_process_usage(dev, &u), 0);
	cr_assert_eq(u.vram + u.gtt, N * 16 * MiB);
	cr_assert_leq(u.vram, 64 * MiB);
	if (evictions == 0) {
		/* Nothing moved after creation: the per-buffer reports add up
		 * to the process totals exactly. */
		cr_assert_eq(u.vram, in_vram, "fdinfo vram %llu vs reported %llu",
			     (unsigned long long)u.vram, (unsigned long long)in_vram);
		cr_assert_eq(u.gtt, in_gtt);
	}
	/* The last buffer has not moved since it was measured: with every
	 * other buffer gone, the process counters say where it really is. */
	amdbare_placement last;
	amdbare_bo_get_placement(bos[N - 1], &last);
	for (int i = 0; i < N - 1; i++)
		cr_assert_eq(amdbare_bo_free(bos[i]), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_device_query_process_usage(dev, &u), 0);
	cr_assert_eq(last.actual_domain == AMDBARE_DOMAIN_VRAM ? u.vram : u.gtt, 16 * MiB,
		     "last buffer reported %s but fdinfo says vram %llu gtt %llu: %s",
		     amdbare_domain_name(last.actual_domain), (unsigned long long)u.vram,
		     (unsigned long long)u.gtt, last.evidence);
	cr_assert_eq(amdbare_bo_free(bos[N - 1]), 0);
	close_and_check(dev);
}

/* GTT over-commit: when GTT is full, TTM evicts the least recently used
 * GTT buffers to system memory (a null move in amdgpu_bo_move, counted
 * nowhere) and the new buffer still lands in GTT.  The report must say GTT
 * and show where the displaced bytes went. */
Test(placement, gtt_overcommit_evicts_to_system_memory)
{
	vgpu_test_require();
	amdbare_device *dev = open_profile("780m", "AMDBARE_VGPU_GTT_SIZE", "64M");
	amdbare_memory_info mem;
	cr_assert_eq(amdbare_device_query_memory(dev, &mem), 0);
	cr_assert_eq(mem.gtt.total, 64 * MiB);
	enum { N = 12 };
	amdbare_bo *bos[N];
	int displaced = 0;
	for (int i = 0; i < N; i++) {
		bos[i] = create(dev, 8 * MiB, AMDBARE_DOMAIN_GTT, 0);
		amdbare_placement p;
		amdbare_bo_get_placement(bos[i], &p);
		cr_assert_eq(p.actual_domain, AMDBARE_DOMAIN_GTT, "buffer %d: %s", i, p.evidence);
		cr_assert_neq(p.confidence, AMDBARE_PLACEMENT_UNKNOWN, "%s", p.evidence);
		if (p.proc_cpu_delta) {
			cr_assert_eq(p.proc_cpu_delta, (int64_t)(8 * MiB), "%s", p.evidence);
			cr_assert(strstr(p.evidence, "cpu +8192 KiB"), "%s", p.evidence);
			displaced++;
		}
	}
	cr_assert_eq(displaced, N - 8, "64 MiB of GTT hold 8 buffers of 8 MiB");
	amdbare_process_usage u;
	cr_assert_eq(amdbare_device_query_process_usage(dev, &u), 0);
	cr_assert_eq(u.gtt, 64 * MiB);
	cr_assert_eq(u.cpu, (N - 8) * 8 * MiB);
	for (int i = 0; i < N; i++)
		cr_assert_eq(amdbare_bo_free(bos[i]), 0);
	cr_assert_eq(amdbare_device_query_process_usage(dev, &u), 0);
	cr_assert_eq(u.gtt + u.cpu, 0);
	close_and_check(dev);
}

/* What fails cleanly is a buffer no heap can take: -E2BIG before any
 * ioctl, nothing left behind. */
Test(placement, oversized_buffer_fails_cleanly)
{
	vgpu_test_require();
	amdbare_device *dev = open_profile("780m", "AMDBARE_VGPU_GTT_SIZE", "64M");
	amdbare_bo *keep = create(dev, 8 * MiB, AMDBARE_DOMAIN_GTT, 0);
	int before = vgpu_test_open_objects(NULL, 0);
	amdbare_bo_create_info ci = { .size = 64 * MiB, .domains = AMDBARE_DOMAIN_GTT };
	amdbare_bo *bo = NULL;
	cr_assert_eq(amdbare_bo_create(dev, &ci, &bo), -E2BIG, "%s", amdbare_last_error());
	cr_assert_null(bo);
	cr_assert(strstr(amdbare_last_error(), "64.00 MiB"), "%s", amdbare_last_error());
	cr_assert_eq(vgpu_test_open_objects(NULL, 0), before);
	amdbare_bo_free(keep);
	close_and_check(dev);
}

Test(placement, invisible_vram_migrates_on_touch_7900xtx)
{
	vgpu_test_require();
	amdbare_device *dev = open_profile("7900xtx", NULL, NULL);
	amdbare_bo *bo = create(dev, 64 * MiB, AMDBARE_DOMAIN_VRAM, 0);
	amdbare_placement p;
	amdbare_bo_get_placement(bo, &p);
	cr_assert_eq(p.actual_domain, AMDBARE_DOMAIN_VRAM, "%s", p.evidence);
	cr_assert_eq(p.confidence, AMDBARE_PLACEMENT_EXACT, "%s", p.evidence);
	cr_assert_not(p.cpu_visible, "without CPU_ACCESS it should be in invisible VRAM: %s",
		      p.evidence);
	cr_assert_not(p.migrated);

	cr_assert_eq(amdbare_bo_touch(bo, 0x11), 0, "%s", amdbare_last_error());
	amdbare_bo_get_placement(bo, &p);
	cr_assert(p.migrated, "touch did not report the migration: %s", p.evidence);
	cr_assert(strstr(p.evidence, "touch:"), "%s", p.evidence);
	cr_assert(p.cpu_visible || p.actual_domain == AMDBARE_DOMAIN_GTT, "%s", p.evidence);
	amdbare_memory_info mem;
	cr_assert_eq(amdbare_device_query_memory(dev, &mem), 0);
	cr_assert_gt(mem.num_vram_cpu_page_faults, 0);

	amdbare_bo *vis = create(dev, 16 * MiB, AMDBARE_DOMAIN_VRAM, AMDBARE_BO_CPU_ACCESS);
	amdbare_bo_get_placement(vis, &p);
	cr_assert_eq(p.actual_domain, AMDBARE_DOMAIN_VRAM, "%s", p.evidence);
	cr_assert(p.cpu_visible, "CPU_ACCESS buffer not in visible VRAM: %s", p.evidence);
	cr_assert_eq(amdbare_bo_touch(vis, 0x22), 0);
	amdbare_bo_get_placement(vis, &p);
	cr_assert_not(p.migrated, "%s", p.evidence);
	amdbare_bo_free(vis);
	amdbare_bo_free(bo);
	close_and_check(dev);
}

Test(dmabuf, export_import_round_trip)
{
	amdbare_device *dev = open_profile("780m", NULL, NULL);
	amdbare_device *dev2 = NULL;
	cr_assert_eq(amdbare_device_open(0, &dev2), 0, "%s", amdbare_last_error());
	amdbare_bo *bo = create(dev, 256 * KiB, AMDBARE_DOMAIN_GTT, 0);
	uint8_t *a = NULL;
	cr_assert_eq(amdbare_bo_cpu_map(bo, (void **)&a), 0, "%s", amdbare_last_error());
	for (size_t i = 0; i < 256 * KiB; i++)
		a[i] = (uint8_t)(i * 7 + 3);

	int fd = -1;
	cr_assert_eq(amdbare_bo_export_dmabuf(bo, &fd), 0, "%s", amdbare_last_error());
	cr_assert_geq(fd, 0);

	/* Same device (the kernel hands back the exporter's handle) and a
	 * second file on the same node. */
	amdbare_bo *same = NULL, *other = NULL;
	cr_assert_eq(amdbare_bo_import_dmabuf(dev, fd, &same), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_bo_import_dmabuf(dev2, fd, &other), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_bo_size(same), 256 * KiB);
	amdbare_placement pe, pi;
	amdbare_bo_get_placement(bo, &pe);
	amdbare_bo_get_placement(same, &pi);
	cr_assert_eq(pi.actual_domain, pe.actual_domain, "the import is the exporter's buffer");
	cr_assert_eq(amdbare_bo_size(other), 256 * KiB);
	uint8_t *b = NULL, *c = NULL;
	cr_assert_eq(amdbare_bo_cpu_map(same, (void **)&b), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_bo_cpu_map(other, (void **)&c), 0, "%s", amdbare_last_error());
	cr_assert_eq(memcmp(a, b, 256 * KiB), 0);
	cr_assert_eq(memcmp(a, c, 256 * KiB), 0);
	c[1000] = 0xee;
	cr_assert_eq(a[1000], 0xee, "a write through the importer is not seen by the exporter");
	close(fd);

	/* The exporter can go first: the imports keep the memory alive. */
	cr_assert_eq(amdbare_bo_free(bo), 0, "%s", amdbare_last_error());
	cr_assert_eq(c[1000], 0xee);
	cr_assert_eq(amdbare_bo_free(same), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_bo_free(other), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_bo_import_dmabuf(dev, -1, &other), -EBADF);
	cr_assert_null(other);
	amdbare_device_close(dev2);
	close_and_check(dev);
}

Test(userptr, wraps_aligned_memory_and_rejects_unaligned)
{
	amdbare_device *dev = open_profile("780m", NULL, NULL);
	long page = sysconf(_SC_PAGESIZE);
	size_t size = 64 * KiB;
	uint8_t *mem = NULL;
	cr_assert_eq(posix_memalign((void **)&mem, (size_t)page, size), 0);
	memset(mem, 0x3c, size);

	amdbare_bo *bo = NULL;
	cr_assert_eq(amdbare_bo_from_userptr(dev, mem + 1, size - (size_t)page, false, &bo), -EINVAL);
	cr_assert_null(bo);
	cr_assert(strstr(amdbare_last_error(), "page-aligned"), "%s", amdbare_last_error());
	cr_assert_eq(amdbare_bo_from_userptr(dev, mem, size - 100, false, &bo), -EINVAL);
	cr_assert_eq(amdbare_bo_from_userptr(dev, mem, 0, false, &bo), -EINVAL);

	cr_assert_eq(amdbare_bo_from_userptr(dev, mem, size, false, &bo), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_bo_size(bo), size);
	amdbare_placement p;
	amdbare_bo_get_placement(bo, &p);
	cr_assert_eq(p.requested_domains, AMDBARE_DOMAIN_GTT);
	if (vgpu_active())
		cr_assert_eq(p.actual_domain, AMDBARE_DOMAIN_GTT, "%s", p.evidence);
	void *ptr = NULL;
	cr_assert_eq(amdbare_bo_cpu_map(bo, &ptr), 0);
	cr_assert_eq(ptr, mem, "a userptr buffer's CPU mapping is the user memory itself");
	uint64_t va;
	cr_assert_eq(amdbare_bo_gpu_map(bo, AMDBARE_VA_READ, &va), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_bo_free(bo), 0, "%s", amdbare_last_error());
	cr_assert_eq(mem[0], 0x3c, "user memory damaged");

	amdbare_bo *ro = NULL;
	cr_assert_eq(amdbare_bo_from_userptr(dev, mem, size, true, &ro), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_bo_free(ro), 0);
	close_and_check(dev);
	free(mem);
}

Test(gpu_map, map_unmap_remap)
{
	amdbare_device *dev = open_profile("780m", NULL, NULL);
	amdbare_bo *bo = create(dev, 3 * MiB, AMDBARE_DOMAIN_VRAM, 0);
	cr_assert_eq(amdbare_bo_gpu_va(bo), 0);
	uint64_t va = 0;
	cr_assert_eq(amdbare_bo_gpu_map(bo, 0, &va), -EINVAL);
	cr_assert_eq(amdbare_bo_gpu_map(bo, 1u << 5, &va), -EINVAL);
	cr_assert_eq(amdbare_bo_gpu_map(bo, AMDBARE_VA_READ | AMDBARE_VA_WRITE | AMDBARE_VA_EXECUTE,
					&va), 0, "%s", amdbare_last_error());
	cr_assert_neq(va, 0);
	cr_assert_eq(va % (2 * MiB), 0, "big buffers get 2 MiB-aligned addresses");
	cr_assert_eq(amdbare_bo_gpu_va(bo), va);
	uint64_t va2 = 0;
	cr_assert_eq(amdbare_bo_gpu_map(bo, AMDBARE_VA_READ, &va2), -EBUSY);
	cr_assert_eq(amdbare_bo_gpu_unmap(bo), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_bo_gpu_va(bo), 0);
	cr_assert_eq(amdbare_bo_gpu_unmap(bo), 0);
	cr_assert_eq(amdbare_bo_gpu_map(bo, AMDBARE_VA_READ, &va2), 0, "%s", amdbare_last_error());
	amdbare_bo *small = create(dev, 4096, AMDBARE_DOMAIN_GTT, 0);
	uint64_t va3 = 0;
	cr_assert_eq(amdbare_bo_gpu_map(small, AMDBARE_VA_READ, &va3), 0, "%s", amdbare_last_error());
	cr_assert(va3 + 4096 <= va2 || va2 + 3 * MiB <= va3, "GPU ranges overlap");
	/* Freed while still mapped: free unmaps. */
	cr_assert_eq(amdbare_bo_free(bo), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_bo_free(small), 0, "%s", amdbare_last_error());
	close_and_check(dev);
}

Test(bo, two_processes_see_each_others_global_usage)
{
	vgpu_test_require();
	amdbare_device *dev = open_profile("780m", NULL, NULL);
	amdbare_memory_info before;
	cr_assert_eq(amdbare_device_query_memory(dev, &before), 0);
	int to_parent[2], to_child[2];
	cr_assert_eq(pipe(to_parent), 0);
	cr_assert_eq(pipe(to_child), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		amdbare_device *cd = NULL;
		int status = 1;
		if (amdbare_device_open(0, &cd) == 0) {
			amdbare_bo_create_info ci = { .size = 32 * MiB, .domains = AMDBARE_DOMAIN_VRAM };
			amdbare_bo *bo = NULL;
			if (amdbare_bo_create(cd, &ci, &bo) == 0)
				status = 0;
			char c = (char)status;
			(void)!write(to_parent[1], &c, 1);
			(void)!read(to_child[0], &c, 1); /* wait until the parent looked */
			amdbare_bo_free(bo);
			amdbare_device_close(cd);
		}
		_exit(status);
	}
	char c = 1;
	cr_assert_eq(read(to_parent[0], &c, 1), 1);
	cr_assert_eq(c, 0, "child could not create its buffer");
	amdbare_memory_info during;
	cr_assert_eq(amdbare_device_query_memory(dev, &during), 0);
	cr_assert_geq(during.vram.used, before.vram.used + 32 * MiB,
		      "the other process's 32 MiB are not in the global usage");
	amdbare_process_usage u;
	cr_assert_eq(amdbare_device_query_process_usage(dev, &u), 0);
	cr_assert_eq(u.vram, 0, "the other process's buffer counted in our fdinfo");
	(void)!write(to_child[1], &c, 1);
	int status;
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	amdbare_memory_info after;
	cr_assert_eq(amdbare_device_query_memory(dev, &after), 0);
	cr_assert_eq(after.vram.used, before.vram.used, "the child's buffer was not released");
	close_and_check(dev);
}

Test(bo, device_close_frees_leftovers)
{
	amdbare_device *dev = open_profile("780m", NULL, NULL);
	amdbare_bo *a = create(dev, 4096, AMDBARE_DOMAIN_GTT, 0);
	amdbare_bo *b = create(dev, 8192, AMDBARE_DOMAIN_VRAM, 0);
	create(dev, 12288, AMDBARE_DOMAIN_VRAM | AMDBARE_DOMAIN_GTT, 0);
	void *ptr;
	cr_assert_eq(amdbare_bo_cpu_map(a, &ptr), 0);
	uint64_t va;
	cr_assert_eq(amdbare_bo_gpu_map(b, AMDBARE_VA_READ, &va), 0);
	amdbare_device_close(dev);
	cr_assert(strstr(amdbare_last_error(), "3 buffers"), "%s", amdbare_last_error());
	char desc[512];
	cr_assert_eq(vgpu_test_open_objects(desc, sizeof(desc)), 0, "%s", desc);
	vgpu_test_cleanup();
}

struct thread_job {
	amdbare_device *dev;
	int index;
	int exact, failures;
};

static void *create_free_loop(void *arg)
{
	struct thread_job *job = arg;
	for (int i = 0; i < 8; i++) {
		/* Distinct sizes per thread so a blurred delta cannot pass. */
		amdbare_bo_create_info ci = {
			.size = (uint64_t)(job->index + 1) * 64 * KiB + (uint64_t)i * 4 * KiB,
			.domains = (i & 1) ? AMDBARE_DOMAIN_GTT : AMDBARE_DOMAIN_VRAM,
		};
		amdbare_bo *bo = NULL;
		if (amdbare_bo_create(job->dev, &ci, &bo) != 0) {
			job->failures++;
			continue;
		}
		amdbare_placement p;
		amdbare_bo_get_placement(bo, &p);
		if (p.confidence == AMDBARE_PLACEMENT_EXACT && p.actual_domain == ci.domains)
			job->exact++;
		uint64_t va;
		if (amdbare_bo_gpu_map(bo, AMDBARE_VA_READ, &va) != 0)
			job->failures++;
		if (amdbare_bo_free(bo) != 0)
			job->failures++;
	}
	return NULL;
}

/* One device, four threads creating, mapping and freeing at once: every
 * creation is measured alone (EXACT), nothing fails, nothing leaks. */
Test(bo, concurrent_threads_on_one_device)
{
	amdbare_device *dev = open_profile("780m", NULL, NULL);
	enum { T = 4 };
	pthread_t th[T];
	struct thread_job jobs[T];
	for (int t = 0; t < T; t++) {
		jobs[t] = (struct thread_job){ .dev = dev, .index = t };
		cr_assert_eq(pthread_create(&th[t], NULL, create_free_loop, &jobs[t]), 0);
	}
	for (int t = 0; t < T; t++) {
		pthread_join(th[t], NULL);
		cr_assert_eq(jobs[t].failures, 0, "thread %d: %d failures", t, jobs[t].failures);
		if (vgpu_active())
			cr_assert_eq(jobs[t].exact, 8, "thread %d: only %d of 8 placements exact", t,
				     jobs[t].exact);
	}
	amdbare_process_usage u;
	cr_assert_eq(amdbare_device_query_process_usage(dev, &u), 0);
	cr_assert_eq(u.gtt, 0);
	close_and_check(dev);
}

/* ---- Placement inference on synthetic counters (no device) ------------ */

static struct ab_usage_snapshot snap(int64_t vram, int64_t gtt, int64_t cpu, int64_t gvram,
				     int64_t gvis, int64_t ggtt, uint64_t evictions, uint64_t faults)
{
	struct ab_usage_snapshot s;
	memset(&s, 0, sizeof(s));
	s.proc_ok = s.global_ok = true;
	s.proc.has_vram = s.proc.has_gtt = s.proc.has_cpu = true;
	/* A base far from zero so negative deltas stay representable. */
	s.proc.vram = (uint64_t)(1ll << 40) + (uint64_t)vram;
	s.proc.gtt = (uint64_t)(1ll << 40) + (uint64_t)gtt;
	s.proc.cpu = (uint64_t)(1ll << 40) + (uint64_t)cpu;
	s.vram = (uint64_t)(1ll << 40) + (uint64_t)gvram;
	s.vis_vram = (uint64_t)(1ll << 40) + (uint64_t)gvis;
	s.gtt = (uint64_t)(1ll << 40) + (uint64_t)ggtt;
	s.evictions = evictions;
	s.cpu_page_faults = faults;
	return s;
}

static amdbare_placement infer(const struct ab_usage_snapshot *after, uint32_t requested)
{
	struct ab_usage_snapshot before = snap(0, 0, 0, 0, 0, 0, 0, 0);
	amdbare_placement p;
	ab_placement_from_creation(&before, after, 16 * MiB, requested, &p);
	return p;
}

Test(placement_inference, clean_deltas_are_exact)
{
	const int64_t S = 16 * MiB;
	struct ab_usage_snapshot a = snap(S, 0, 0, S, S, 0, 0, 0);
	amdbare_placement p = infer(&a, AMDBARE_DOMAIN_VRAM);
	cr_assert(p.actual_domain == AMDBARE_DOMAIN_VRAM && p.confidence == AMDBARE_PLACEMENT_EXACT);
	cr_assert(p.cpu_visible);
	a = snap(S, 0, 0, S, 0, 0, 0, 0);
	p = infer(&a, AMDBARE_DOMAIN_VRAM);
	cr_assert_not(p.cpu_visible, "invisible VRAM reported visible");
	a = snap(0, S, 0, 0, 0, S, 0, 0);
	p = infer(&a, AMDBARE_DOMAIN_VRAM);
	cr_assert(p.actual_domain == AMDBARE_DOMAIN_GTT && p.confidence == AMDBARE_PLACEMENT_EXACT);
	cr_assert(p.fell_back_to_gtt);
	p = infer(&a, AMDBARE_DOMAIN_VRAM | AMDBARE_DOMAIN_GTT);
	cr_assert_not(p.fell_back_to_gtt, "VRAM|GTT in GTT is no fallback");
}

Test(placement_inference, own_evictions)
{
	const int64_t S = 16 * MiB;
	/* VRAM full: one of our 16 MiB buffers went to GTT, the new one took
	 * its place.  Looks like "GTT +16 MiB" but the eviction says why. */
	struct ab_usage_snapshot a = snap(0, S, 0, 0, 0, S, 1, 0);
	amdbare_placement p = infer(&a, AMDBARE_DOMAIN_VRAM);
	cr_assert_eq(p.actual_domain, AMDBARE_DOMAIN_VRAM, "%s", p.evidence);
	cr_assert_eq(p.confidence, AMDBARE_PLACEMENT_LIKELY);
	cr_assert_not(p.fell_back_to_gtt);
	/* Same counters for a VRAM|GTT request: both readings fit. */
	p = infer(&a, AMDBARE_DOMAIN_VRAM | AMDBARE_DOMAIN_GTT);
	cr_assert_eq(p.confidence, AMDBARE_PLACEMENT_UNKNOWN, "%s", p.evidence);
	cr_assert_eq(p.actual_domain, 0);
	/* Half of an older buffer's worth evicted: VRAM still grew. */
	a = snap(S / 2, S / 2, 0, S / 2, S / 2, S / 2, 1, 0);
	p = infer(&a, AMDBARE_DOMAIN_VRAM | AMDBARE_DOMAIN_GTT);
	cr_assert_eq(p.actual_domain, AMDBARE_DOMAIN_VRAM);
	/* GTT full: an older GTT buffer went to system memory uncounted. */
	a = snap(0, 0, S, 0, 0, 0, 0, 0);
	p = infer(&a, AMDBARE_DOMAIN_GTT);
	cr_assert_eq(p.actual_domain, AMDBARE_DOMAIN_GTT, "%s", p.evidence);
	cr_assert_eq(p.confidence, AMDBARE_PLACEMENT_LIKELY);
	cr_assert(strstr(p.evidence, "cpu +16384 KiB"), "%s", p.evidence);
	p = infer(&a, AMDBARE_DOMAIN_VRAM | AMDBARE_DOMAIN_GTT);
	cr_assert_eq(p.actual_domain, AMDBARE_DOMAIN_GTT, "no counted eviction: VRAM unchanged means GTT");
}

Test(placement_inference, blurred_or_missing_fdinfo)
{
	const int64_t S = 16 * MiB;
	/* Another thread of the process allocated meanwhile: fdinfo does not
	 * add up, the global counters still agree. */
	struct ab_usage_snapshot a = snap(S, 3 * MiB, 0, S, S, 0, 0, 0);
	amdbare_placement p = infer(&a, AMDBARE_DOMAIN_VRAM);
	cr_assert_eq(p.actual_domain, AMDBARE_DOMAIN_VRAM);
	cr_assert_eq(p.confidence, AMDBARE_PLACEMENT_LIKELY);
	/* No fdinfo at all (kernel < 5.19). */
	a = snap(0, 0, 0, 0, 0, S, 0, 0);
	a.proc_ok = false;
	p = infer(&a, AMDBARE_DOMAIN_GTT);
	cr_assert_eq(p.actual_domain, AMDBARE_DOMAIN_GTT);
	cr_assert_eq(p.confidence, AMDBARE_PLACEMENT_LIKELY);
	cr_assert(strstr(p.evidence, "fdinfo: n/a"), "%s", p.evidence);
	/* Nothing agrees: say so. */
	a = snap(5 * MiB, 0, 0, 7 * MiB, 0, 0, 2, 0);
	p = infer(&a, AMDBARE_DOMAIN_VRAM);
	cr_assert_eq(p.confidence, AMDBARE_PLACEMENT_UNKNOWN);
	cr_assert_eq(p.actual_domain, 0);
}

Test(placement_inference, touch_migrations)
{
	const int64_t S = 16 * MiB;
	struct ab_usage_snapshot before = snap(0, 0, 0, 0, 0, 0, 0, 0);
	amdbare_placement p;
	/* Invisible VRAM → visible VRAM. */
	struct ab_usage_snapshot a = snap(0, 0, 0, 0, S, 0, 0, 1);
	p = infer(&before, AMDBARE_DOMAIN_VRAM);
	p.actual_domain = AMDBARE_DOMAIN_VRAM;
	ab_placement_after_touch(&before, &a, (uint64_t)S, &p);
	cr_assert(p.migrated && p.cpu_visible && p.actual_domain == AMDBARE_DOMAIN_VRAM);
	cr_assert_eq(p.confidence, AMDBARE_PLACEMENT_EXACT);
	/* No room in visible VRAM: → GTT. */
	a = snap(-S, S, 0, -S, 0, S, 0, 1);
	ab_placement_after_touch(&before, &a, (uint64_t)S, &p);
	cr_assert(p.migrated && !p.cpu_visible && p.actual_domain == AMDBARE_DOMAIN_GTT);
	/* Nothing moved. */
	amdbare_placement q = infer(&before, AMDBARE_DOMAIN_GTT);
	q.actual_domain = AMDBARE_DOMAIN_GTT;
	ab_placement_after_touch(&before, &before, (uint64_t)S, &q);
	cr_assert_not(q.migrated);
	cr_assert_eq(q.actual_domain, AMDBARE_DOMAIN_GTT);
	cr_assert(strstr(q.evidence, "touch: "), "%s", q.evidence);
}
