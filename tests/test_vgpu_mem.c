/*
 * The vgpu's memory side, through raw amdgpu ioctls on the render node, as
 * the Linux 6.1 kernel would answer them: GEM create (domains, flags,
 * sizes, placement, fallback, eviction), GEM_OP, METADATA, WAIT_IDLE,
 * CLOSE, CPU mmap (and the migration out of CPU-invisible VRAM), GPU VA,
 * PRIME in one process and across processes, userptr, the device-global
 * usage shared by processes of one instance, reclaim of a killed process,
 * and thread safety.  Every test selects its own instance and profile.
 */
#include "vgpu_test.h"

#include <amdgpu_drm.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xf86drm.h>

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define PAGE 4096ull

#ifndef AMDGPU_GEM_CREATE_DISCARDABLE
#define AMDGPU_GEM_CREATE_DISCARDABLE (1 << 12)
#endif
#ifndef AMDGPU_GEM_CREATE_PREEMPTIBLE
#define AMDGPU_GEM_CREATE_PREEMPTIBLE (1 << 11)
#endif

/* ---- helpers ------------------------------------------------------------ */

static int open_node(void)
{
	int fd = open("/dev/dri/renderD128", O_RDWR | O_CLOEXEC);
	cr_assert_geq(fd, 0, "open renderD128: %s", strerror(errno));
	return fd;
}

static int ioc(int fd, unsigned long req, void *arg)
{
	return drmIoctl(fd, req, arg) == 0 ? 0 : -errno;
}

static int gem_create(int fd, uint64_t size, uint64_t align, uint64_t domains, uint64_t flags,
		      uint32_t *handle)
{
	union drm_amdgpu_gem_create a;
	memset(&a, 0, sizeof(a));
	a.in.bo_size = size;
	a.in.alignment = align;
	a.in.domains = domains;
	a.in.domain_flags = flags;
	int r = ioc(fd, DRM_IOCTL_AMDGPU_GEM_CREATE, &a);
	if (!r && handle)
		*handle = a.out.handle;
	return r;
}

static uint32_t must_create(int fd, uint64_t size, uint64_t domains, uint64_t flags)
{
	uint32_t h = 0;
	int r = gem_create(fd, size, 0, domains, flags, &h);
	cr_assert_eq(r, 0, "create %llu bytes in 0x%llx flags 0x%llx: %s",
		     (unsigned long long)size, (unsigned long long)domains,
		     (unsigned long long)flags, strerror(-r));
	cr_assert_neq(h, 0);
	return h;
}

static int gem_close(int fd, uint32_t h)
{
	struct drm_gem_close c = { .handle = h };
	return ioc(fd, DRM_IOCTL_GEM_CLOSE, &c);
}

static int create_info(int fd, uint32_t h, struct drm_amdgpu_gem_create_in *info)
{
	struct drm_amdgpu_gem_op op = { .handle = h, .op = AMDGPU_GEM_OP_GET_GEM_CREATE_INFO,
					.value = (uintptr_t)info };
	memset(info, 0, sizeof(*info));
	return ioc(fd, DRM_IOCTL_AMDGPU_GEM_OP, &op);
}

static uint64_t info_u64(int fd, uint32_t query)
{
	uint64_t v = ~0ull;
	struct drm_amdgpu_info q;
	memset(&q, 0, sizeof(q));
	q.return_pointer = (uintptr_t)&v;
	q.return_size = sizeof(v);
	q.query = query;
	int r = ioc(fd, DRM_IOCTL_AMDGPU_INFO, &q);
	cr_assert_eq(r, 0, "INFO 0x%x: %s", query, strerror(-r));
	return v;
}

static struct drm_amdgpu_memory_info mem_info(int fd)
{
	struct drm_amdgpu_memory_info m;
	memset(&m, 0, sizeof(m));
	struct drm_amdgpu_info q;
	memset(&q, 0, sizeof(q));
	q.return_pointer = (uintptr_t)&m;
	q.return_size = sizeof(m);
	q.query = AMDGPU_INFO_MEMORY;
	cr_assert_eq(ioc(fd, DRM_IOCTL_AMDGPU_INFO, &q), 0);
	return m;
}

static int gem_mmap_offset(int fd, uint32_t h, uint64_t *off)
{
	union drm_amdgpu_gem_mmap a;
	memset(&a, 0, sizeof(a));
	a.in.handle = h;
	int r = ioc(fd, DRM_IOCTL_AMDGPU_GEM_MMAP, &a);
	*off = a.out.addr_ptr;
	return r;
}

static void *cpu_map(int fd, uint32_t h, size_t len)
{
	uint64_t off;
	cr_assert_eq(gem_mmap_offset(fd, h, &off), 0);
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)off);
	cr_assert_neq(p, MAP_FAILED, "mmap: %s", strerror(errno));
	return p;
}

static int gem_va(int fd, uint32_t h, uint32_t op, uint32_t flags, uint64_t va, uint64_t off,
		  uint64_t size)
{
	struct drm_amdgpu_gem_va a;
	memset(&a, 0, sizeof(a));
	a.handle = h;
	a.operation = op;
	a.flags = flags;
	a.va_address = va;
	a.offset_in_bo = off;
	a.map_size = size;
	return ioc(fd, DRM_IOCTL_AMDGPU_GEM_VA, &a);
}

/* drm-memory-<region> of this fd's fdinfo, in bytes (-1 if absent). */
static long long fdinfo_bytes(int fd, const char *region)
{
	char path[64], line[256], key[64];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	snprintf(key, sizeof(key), "drm-memory-%s:", region);
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "fdinfo: %s", strerror(errno));
	long long v = -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long kib;
		if (strncmp(line, key, strlen(key)) == 0 &&
		    sscanf(line + strlen(key), " %llu", &kib) == 1)
			v = (long long)(kib * KiB);
	}
	fclose(f);
	return v;
}

static void use(const char *profile, const char *vram, const char *vis, const char *gtt)
{
	vgpu_test_require();
	vgpu_test_use_profile(profile, NULL);
	if (vram)
		setenv("AMDBARE_VGPU_VRAM_SIZE", vram, 1);
	else
		unsetenv("AMDBARE_VGPU_VRAM_SIZE");
	if (vis)
		setenv("AMDBARE_VGPU_VIS_VRAM_SIZE", vis, 1);
	else
		unsetenv("AMDBARE_VGPU_VIS_VRAM_SIZE");
	if (gtt)
		setenv("AMDBARE_VGPU_GTT_SIZE", gtt, 1);
	else
		unsetenv("AMDBARE_VGPU_GTT_SIZE");
}

static void fini(void)
{
	vgpu_test_cleanup();
}

TestSuite(vgpu_mem, .fini = fini);

/* ---- GEM_CREATE --------------------------------------------------------- */

Test(vgpu_mem, every_domain_and_flag_combination)
{
	use("780m", NULL, NULL, NULL);
	int fd = open_node();
	static const uint64_t domains[] = {
		0, AMDGPU_GEM_DOMAIN_CPU, AMDGPU_GEM_DOMAIN_GTT, AMDGPU_GEM_DOMAIN_VRAM,
		AMDGPU_GEM_DOMAIN_CPU | AMDGPU_GEM_DOMAIN_GTT,
		AMDGPU_GEM_DOMAIN_GTT | AMDGPU_GEM_DOMAIN_VRAM,
		AMDGPU_GEM_DOMAIN_CPU | AMDGPU_GEM_DOMAIN_VRAM,
		AMDGPU_GEM_DOMAIN_CPU | AMDGPU_GEM_DOMAIN_GTT | AMDGPU_GEM_DOMAIN_VRAM,
	};
	static const uint64_t flag_bits[] = {
		AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED, AMDGPU_GEM_CREATE_NO_CPU_ACCESS,
		AMDGPU_GEM_CREATE_CPU_GTT_USWC, AMDGPU_GEM_CREATE_VRAM_CLEARED,
		AMDGPU_GEM_CREATE_VM_ALWAYS_VALID, AMDGPU_GEM_CREATE_EXPLICIT_SYNC,
		AMDGPU_GEM_CREATE_DISCARDABLE, AMDGPU_GEM_CREATE_ENCRYPTED, /* 780m: TMZ on */
	};
	size_t nbits = sizeof(flag_bits) / sizeof(flag_bits[0]);
	int made = 0;
	for (size_t d = 0; d < sizeof(domains) / sizeof(domains[0]); d++) {
		for (unsigned mask = 0; mask < (1u << nbits); mask++) {
			uint64_t flags = 0;
			for (size_t b = 0; b < nbits; b++)
				if (mask & (1u << b))
					flags |= flag_bits[b];
			uint32_t h = must_create(fd, 5000, domains[d], flags);
			struct drm_amdgpu_gem_create_in info;
			cr_assert_eq(create_info(fd, h, &info), 0);
			cr_assert_eq(info.bo_size, 8192, "size rounded to pages");
			cr_assert_eq(info.domains, domains[d]);
			/* CPU_ACCESS_REQUIRED is only a hint: dropped after creation */
			cr_assert_eq(info.domain_flags, flags & ~(uint64_t)AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED,
				     "flags 0x%llx -> 0x%llx", (unsigned long long)flags,
				     (unsigned long long)info.domain_flags);
			uint64_t off;
			int r = gem_mmap_offset(fd, h, &off);
			if (flags & AMDGPU_GEM_CREATE_NO_CPU_ACCESS)
				cr_assert_eq(r, -EPERM);
			else
				cr_assert(r == 0 && off >= (1ull << 32), "mmap offset 0x%llx",
					  (unsigned long long)off);
			cr_assert_eq(gem_close(fd, h), 0);
			made++;
		}
	}
	cr_assert_eq(made, 8 * 256);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), 0);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_GTT_USAGE), 0);
	close(fd);
}

Test(vgpu_mem, invalid_flags_and_domains_are_einval)
{
	use("7900xtx", NULL, NULL, NULL);
	int fd = open_node();
	uint32_t h = 0;
	cr_assert_eq(gem_create(fd, PAGE, 0, AMDGPU_GEM_DOMAIN_GTT, 1 << 4, &h), -EINVAL);
	cr_assert_eq(gem_create(fd, PAGE, 0, AMDGPU_GEM_DOMAIN_GTT, AMDGPU_GEM_CREATE_VRAM_CONTIGUOUS, &h), -EINVAL);
	cr_assert_eq(gem_create(fd, PAGE, 0, AMDGPU_GEM_DOMAIN_GTT, AMDGPU_GEM_CREATE_PREEMPTIBLE, &h), -EINVAL);
	cr_assert_eq(gem_create(fd, PAGE, 0, AMDGPU_GEM_DOMAIN_GTT, 1ull << 40, &h), -EINVAL);
	cr_assert_eq(gem_create(fd, PAGE, 0, 0x40, 0, &h), -EINVAL);
	cr_assert_eq(gem_create(fd, PAGE, 0, 1ull << 32, 0, &h), -EINVAL);
	cr_assert_eq(gem_create(fd, PAGE, 0, AMDGPU_GEM_DOMAIN_GDS | AMDGPU_GEM_DOMAIN_GTT, 0, &h), -EINVAL);
	cr_assert_eq(gem_create(fd, PAGE, 0, AMDGPU_GEM_DOMAIN_GDS | AMDGPU_GEM_DOMAIN_OA, 0, &h), -EINVAL);
	cr_assert_eq(gem_create(fd, 64, 0, AMDGPU_GEM_DOMAIN_GDS, AMDGPU_GEM_CREATE_VM_ALWAYS_VALID, &h), -EINVAL);
	/* gfx1100 has no TMZ in 6.1 */
	cr_assert_eq(gem_create(fd, PAGE, 0, AMDGPU_GEM_DOMAIN_VRAM, AMDGPU_GEM_CREATE_ENCRYPTED, &h), -EINVAL);
	cr_assert_eq(vgpu_test_open_objects(NULL, 0) > 0, true, "the file itself is open");
	close(fd);
}

Test(vgpu_mem, gds_gws_oa_objects)
{
	use("780m", NULL, NULL, NULL);
	int fd = open_node();
	struct { uint64_t domain, size, expect; } c[] = {
		{ AMDGPU_GEM_DOMAIN_GDS, 6, 8 * PAGE },   /* ALIGN(size, 4) pages */
		{ AMDGPU_GEM_DOMAIN_GWS, 3, 3 * PAGE },   /* one page per resource */
		{ AMDGPU_GEM_DOMAIN_OA, 2, 2 * PAGE },
	};
	for (int i = 0; i < 3; i++) {
		uint32_t h = must_create(fd, c[i].size, c[i].domain, 0);
		struct drm_amdgpu_gem_create_in info;
		cr_assert_eq(create_info(fd, h, &info), 0);
		cr_assert_eq(info.bo_size, c[i].expect);
		cr_assert_eq(info.domains, c[i].domain);
		cr_assert(info.domain_flags & AMDGPU_GEM_CREATE_NO_CPU_ACCESS, "forced NO_CPU_ACCESS");
		uint64_t off;
		cr_assert_eq(gem_mmap_offset(fd, h, &off), -EPERM);
		/* created in system memory (no on-chip placement at creation) */
		cr_assert_eq(fdinfo_bytes(fd, "cpu"), (long long)c[i].expect);
		cr_assert_eq(gem_close(fd, h), 0);
	}
	close(fd);
}

Test(vgpu_mem, sizes_and_alignment)
{
	use("780m", "1G", NULL, "2G");
	int fd = open_node();
	uint32_t h = 0;
	/* 0 pages: drm_vma_offset_add refuses (-ENOSPC after the retries) */
	cr_assert_eq(gem_create(fd, 0, 0, AMDGPU_GEM_DOMAIN_VRAM, 0, &h), -ENOSPC);
	/* rounds up to a wrapped 0 */
	cr_assert_eq(gem_create(fd, ~0ull, 0, AMDGPU_GEM_DOMAIN_GTT, 0, &h), -ENOSPC);
	/* bigger than the heap: amdgpu_bo_validate_size */
	cr_assert_eq(gem_create(fd, 1ull << 50, 0, AMDGPU_GEM_DOMAIN_VRAM, 0, &h), -ENOMEM);
	cr_assert_eq(gem_create(fd, 2 * GiB, 0, AMDGPU_GEM_DOMAIN_GTT, 0, &h), -ENOMEM, "size == GTT size");
	cr_assert_eq(gem_create(fd, 512 * GiB, 0, AMDGPU_GEM_DOMAIN_CPU, 0, &h), 0, "no heap limit on CPU");
	cr_assert_eq(gem_close(fd, h), 0);
	/* but the mmap offset space (DRM_FILE_PAGE_OFFSET_SIZE pages) is < 1 TiB */
	cr_assert_eq(gem_create(fd, 1ull << 40, 0, AMDGPU_GEM_DOMAIN_CPU, 0, &h), -ENOSPC);

	h = must_create(fd, 1, AMDGPU_GEM_DOMAIN_GTT, 0);
	struct drm_amdgpu_gem_create_in info;
	cr_assert_eq(create_info(fd, h, &info), 0);
	cr_assert_eq(info.bo_size, PAGE);
	cr_assert_eq(info.alignment, 0, "no alignment asked: page_alignment 0");
	cr_assert_eq(gem_close(fd, h), 0);
	cr_assert_eq(gem_create(fd, PAGE, 1, AMDGPU_GEM_DOMAIN_GTT, 0, &h), 0);
	cr_assert_eq(create_info(fd, h, &info), 0);
	cr_assert_eq(info.alignment, PAGE, "rounded up to a page");
	cr_assert_eq(gem_close(fd, h), 0);
	cr_assert_eq(gem_create(fd, PAGE, 65536, AMDGPU_GEM_DOMAIN_VRAM, 0, &h), 0);
	cr_assert_eq(create_info(fd, h, &info), 0);
	cr_assert_eq(info.alignment, 65536);
	cr_assert_eq(gem_close(fd, h), 0);
	close(fd);
}

Test(vgpu_mem, mmap_offset_space_is_reused)
{
	use("780m", NULL, NULL, NULL);
	int fd = open_node();
	uint32_t a = must_create(fd, 300 * GiB, AMDGPU_GEM_DOMAIN_CPU, 0);
	uint32_t b = must_create(fd, 300 * GiB, AMDGPU_GEM_DOMAIN_CPU, 0);
	uint32_t c = must_create(fd, 300 * GiB, AMDGPU_GEM_DOMAIN_CPU, 0);
	uint64_t off_b, off;
	cr_assert_eq(gem_mmap_offset(fd, b, &off_b), 0);
	cr_assert_eq(gem_close(fd, b), 0);
	/* no room after `c`: the hole `b` left is used */
	uint32_t d = must_create(fd, 300 * GiB, AMDGPU_GEM_DOMAIN_CPU, 0);
	cr_assert_eq(gem_mmap_offset(fd, d, &off), 0);
	cr_assert_eq(off, off_b);
	uint32_t e;
	cr_assert_eq(gem_create(fd, 300 * GiB, 0, AMDGPU_GEM_DOMAIN_CPU, 0, &e), -ENOSPC);
	gem_close(fd, a);
	gem_close(fd, c);
	gem_close(fd, d);
	close(fd);
}

/* ---- Placement, eviction, fallback -------------------------------------- */

Test(vgpu_mem, vram_exhaustion_evicts_lru_to_gtt)
{
	use("780m", "64M", NULL, "256M");
	int fd = open_node();
	uint64_t ev0 = info_u64(fd, AMDGPU_INFO_NUM_EVICTIONS);
	uint64_t mv0 = info_u64(fd, AMDGPU_INFO_NUM_BYTES_MOVED);
	uint32_t a = must_create(fd, 24 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	uint32_t b = must_create(fd, 24 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), 48 * MiB);
	/* 64M - 8M reserved = 56M usable: the third one evicts the oldest */
	uint32_t c = must_create(fd, 24 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), 48 * MiB);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_GTT_USAGE), 24 * MiB);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_NUM_EVICTIONS), ev0 + 1);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_NUM_BYTES_MOVED), mv0 + 24 * MiB);
	cr_assert_eq(fdinfo_bytes(fd, "vram"), (long long)(48 * MiB));
	cr_assert_eq(fdinfo_bytes(fd, "gtt"), (long long)(24 * MiB));
	/* the evicted BO still prefers VRAM */
	struct drm_amdgpu_gem_create_in info;
	cr_assert_eq(create_info(fd, a, &info), 0);
	cr_assert_eq(info.domains, AMDGPU_GEM_DOMAIN_VRAM);

	struct drm_amdgpu_memory_info m = mem_info(fd);
	cr_assert_eq(m.vram.total_heap_size, 64 * MiB);
	cr_assert_eq(m.vram.usable_heap_size, 56 * MiB);
	cr_assert_eq(m.vram.heap_usage, 48 * MiB);
	cr_assert_eq(m.vram.max_allocation, 42 * MiB);
	cr_assert_eq(m.cpu_accessible_vram.heap_usage, 48 * MiB, "APU: all VRAM visible");
	cr_assert_eq(m.gtt.total_heap_size, 256 * MiB);
	cr_assert_eq(m.gtt.max_allocation, 192 * MiB);
	gem_close(fd, a);
	gem_close(fd, b);
	gem_close(fd, c);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), 0);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_GTT_USAGE), 0);
	close(fd);
}

Test(vgpu_mem, vram_request_too_big_falls_back_to_gtt)
{
	use("780m", "64M", NULL, "256M");
	int fd = open_node();
	uint32_t small = must_create(fd, 8 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	/* 60M < 64M passes validate_size but never fits the 56M usable:
	 * TTM evicts everything, fails, and the ioctl retries VRAM|GTT */
	uint32_t big = must_create(fd, 60 * MiB, AMDGPU_GEM_DOMAIN_VRAM, AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), 0, "the small BO was evicted on the way");
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_GTT_USAGE), 68 * MiB);
	cr_assert_eq(fdinfo_bytes(fd, "gtt"), (long long)(68 * MiB));
	struct drm_amdgpu_gem_create_in info;
	cr_assert_eq(create_info(fd, big, &info), 0);
	cr_assert_eq(info.domains, AMDGPU_GEM_DOMAIN_VRAM | AMDGPU_GEM_DOMAIN_GTT);
	gem_close(fd, big);
	gem_close(fd, small);
	close(fd);
}

Test(vgpu_mem, gtt_exhaustion)
{
	use("780m", "64M", NULL, "64M");
	int fd = open_node();
	uint32_t h = 0;
	cr_assert_eq(gem_create(fd, 64 * MiB, 0, AMDGPU_GEM_DOMAIN_GTT, 0, &h), -ENOMEM);
	cr_assert_eq(gem_create(fd, 64 * MiB, 0, AMDGPU_GEM_DOMAIN_VRAM | AMDGPU_GEM_DOMAIN_GTT, 0, &h), -ENOMEM);
	uint64_t ev0 = info_u64(fd, AMDGPU_INFO_NUM_EVICTIONS);
	uint32_t a = must_create(fd, 40 * MiB, AMDGPU_GEM_DOMAIN_GTT, 0);
	uint32_t b = must_create(fd, 40 * MiB, AMDGPU_GEM_DOMAIN_GTT, 0);
	/* GTT full: TTM swaps the older BO out to system memory */
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_GTT_USAGE), 40 * MiB);
	cr_assert_eq(fdinfo_bytes(fd, "cpu"), (long long)(40 * MiB));
	cr_assert_eq(fdinfo_bytes(fd, "gtt"), (long long)(40 * MiB));
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_NUM_EVICTIONS), ev0, "GTT->system is not a blit");
	gem_close(fd, a);
	gem_close(fd, b);
	close(fd);
}

Test(vgpu_mem, cpu_mmap_of_invisible_vram_migrates)
{
	use("7900xtx", "1G", NULL, "2G");
	int fd = open_node();
	struct drm_amdgpu_memory_info m = mem_info(fd);
	cr_assert_eq(m.cpu_accessible_vram.total_heap_size, 256 * MiB);
	uint64_t faults0 = info_u64(fd, AMDGPU_INFO_NUM_VRAM_CPU_PAGE_FAULTS);

	/* top-down: lands in the invisible part */
	uint32_t h = must_create(fd, 16 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), 16 * MiB);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VIS_VRAM_USAGE), 0);
	uint8_t *p = cpu_map(fd, h, 16 * MiB);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_NUM_VRAM_CPU_PAGE_FAULTS), faults0 + 1);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VIS_VRAM_USAGE), 16 * MiB);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), 16 * MiB);
	struct drm_amdgpu_gem_create_in info;
	cr_assert_eq(create_info(fd, h, &info), 0);
	cr_assert(info.domain_flags & AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED, "remembered CPU access");
	p[0] = 0x5a;
	p[16 * MiB - 1] = 0xa5;
	cr_assert_eq(p[1], 0, "fresh pages are zero");
	cr_assert_eq(munmap(p, 16 * MiB), 0);
	/* mapping it again: already visible, no new fault */
	p = cpu_map(fd, h, 16 * MiB);
	cr_assert_eq(p[0], 0x5a);
	cr_assert_eq(p[16 * MiB - 1], 0xa5);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_NUM_VRAM_CPU_PAGE_FAULTS), faults0 + 1);
	munmap(p, 16 * MiB);

	/* CPU_ACCESS_REQUIRED places it in the visible part directly */
	uint32_t v = must_create(fd, 4 * MiB, AMDGPU_GEM_DOMAIN_VRAM, AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VIS_VRAM_USAGE), 20 * MiB);
	p = cpu_map(fd, v, 4 * MiB);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_NUM_VRAM_CPU_PAGE_FAULTS), faults0 + 1);
	munmap(p, 4 * MiB);

	/* one BO bigger than the invisible part straddles the boundary */
	uint32_t big = must_create(fd, 800 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	/* 1G - 256M visible = 768M invisible, all free (the first BO moved
	 * out of it): 768M there and 32M in the visible part */
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VIS_VRAM_USAGE), 20 * MiB + 32 * MiB);
	gem_close(fd, big);
	gem_close(fd, v);
	gem_close(fd, h);
	close(fd);
}

Test(vgpu_mem, visible_request_evicts_from_visible_vram)
{
	use("7900xtx", "1G", "64M", "2G");
	int fd = open_node();
	uint32_t a = must_create(fd, 40 * MiB, AMDGPU_GEM_DOMAIN_VRAM, AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VIS_VRAM_USAGE), 40 * MiB);
	uint64_t ev0 = info_u64(fd, AMDGPU_INFO_NUM_EVICTIONS);
	uint32_t b = must_create(fd, 40 * MiB, AMDGPU_GEM_DOMAIN_VRAM, AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED);
	/* `a` (its CPU_ACCESS flag was only a hint) moves to invisible VRAM */
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VIS_VRAM_USAGE), 40 * MiB);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), 80 * MiB);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_NUM_EVICTIONS), ev0 + 1);
	gem_close(fd, a);
	gem_close(fd, b);
	close(fd);
}

Test(vgpu_mem, discardable_bos_are_evicted_first_and_dropped)
{
	use("780m", "64M", NULL, "256M");
	int fd = open_node();
	uint32_t a = must_create(fd, 24 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	uint32_t d = must_create(fd, 24 * MiB, AMDGPU_GEM_DOMAIN_VRAM, AMDGPU_GEM_CREATE_DISCARDABLE);
	uint64_t ev0 = info_u64(fd, AMDGPU_INFO_NUM_EVICTIONS);
	uint64_t mv0 = info_u64(fd, AMDGPU_INFO_NUM_BYTES_MOVED);
	uint32_t c = must_create(fd, 24 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	/* TTM priority 0 goes first although `a` is older; it has no
	 * eviction placement, so its backing is dropped (system, no move) */
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), 48 * MiB);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_GTT_USAGE), 0);
	cr_assert_eq(fdinfo_bytes(fd, "cpu"), (long long)(24 * MiB));
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_NUM_EVICTIONS), ev0);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_NUM_BYTES_MOVED), mv0);
	gem_close(fd, a);
	gem_close(fd, d);
	gem_close(fd, c);
	close(fd);
}

/* ---- GEM_OP, METADATA, WAIT_IDLE, CLOSE --------------------------------- */

Test(vgpu_mem, gem_op_metadata_wait_close)
{
	use("780m", NULL, NULL, NULL);
	int fd = open_node();
	uint32_t h = must_create(fd, PAGE, AMDGPU_GEM_DOMAIN_VRAM, 0);

	struct drm_amdgpu_gem_op op = { .handle = h, .op = AMDGPU_GEM_OP_SET_PLACEMENT,
					.value = AMDGPU_GEM_DOMAIN_GTT | AMDGPU_GEM_DOMAIN_GDS };
	cr_assert_eq(ioc(fd, DRM_IOCTL_AMDGPU_GEM_OP, &op), 0);
	struct drm_amdgpu_gem_create_in info;
	cr_assert_eq(create_info(fd, h, &info), 0);
	cr_assert_eq(info.domains, AMDGPU_GEM_DOMAIN_GTT, "masked to VRAM|GTT|CPU");
	op.op = 7;
	cr_assert_eq(ioc(fd, DRM_IOCTL_AMDGPU_GEM_OP, &op), -EINVAL);
	op = (struct drm_amdgpu_gem_op){ .handle = h, .op = AMDGPU_GEM_OP_GET_GEM_CREATE_INFO, .value = 8 };
	cr_assert_eq(ioc(fd, DRM_IOCTL_AMDGPU_GEM_OP, &op), -EFAULT);
	op.handle = 999;
	cr_assert_eq(ioc(fd, DRM_IOCTL_AMDGPU_GEM_OP, &op), -ENOENT);

	struct drm_amdgpu_gem_metadata md;
	memset(&md, 0, sizeof(md));
	md.handle = h;
	md.op = AMDGPU_GEM_METADATA_OP_SET_METADATA;
	md.data.tiling_info = 0x1234;
	md.data.flags = 77;
	md.data.data_size_bytes = 12;
	memcpy(md.data.data, "hello world", 12);
	cr_assert_eq(ioc(fd, DRM_IOCTL_AMDGPU_GEM_METADATA, &md), 0);
	memset(&md, 0, sizeof(md));
	md.handle = h;
	md.op = AMDGPU_GEM_METADATA_OP_GET_METADATA;
	cr_assert_eq(ioc(fd, DRM_IOCTL_AMDGPU_GEM_METADATA, &md), 0);
	cr_assert_eq(md.data.tiling_info, 0x1234);
	cr_assert_eq(md.data.flags, 77);
	cr_assert_eq(md.data.data_size_bytes, 12);
	cr_assert_str_eq((char *)md.data.data, "hello world");
	md.op = AMDGPU_GEM_METADATA_OP_SET_METADATA;
	md.data.data_size_bytes = 257;
	cr_assert_eq(ioc(fd, DRM_IOCTL_AMDGPU_GEM_METADATA, &md), -EINVAL);
	md.handle = 999;
	cr_assert_eq(ioc(fd, DRM_IOCTL_AMDGPU_GEM_METADATA, &md), -ENOENT);

	union drm_amdgpu_gem_wait_idle w;
	memset(&w, 0, sizeof(w));
	w.in.handle = h;
	w.in.timeout = 0;
	cr_assert_eq(ioc(fd, DRM_IOCTL_AMDGPU_GEM_WAIT_IDLE, &w), 0);
	cr_assert_eq(w.out.status, 0, "idle");
	w.in.handle = 999;
	cr_assert_eq(ioc(fd, DRM_IOCTL_AMDGPU_GEM_WAIT_IDLE, &w), -ENOENT);

	cr_assert_eq(gem_close(fd, 999), -EINVAL);
	cr_assert_eq(gem_close(fd, h), 0);
	cr_assert_eq(gem_close(fd, h), -EINVAL, "double close");
	/* handles are reused lowest-first */
	uint32_t h2 = must_create(fd, PAGE, AMDGPU_GEM_DOMAIN_GTT, 0);
	cr_assert_eq(h2, h);
	gem_close(fd, h2);
	close(fd);
}

Test(vgpu_mem, mmap_checks)
{
	use("780m", NULL, NULL, NULL);
	int fd = open_node();
	int fd2 = open_node();
	uint32_t h = must_create(fd, 2 * PAGE, AMDGPU_GEM_DOMAIN_GTT, 0);
	uint64_t off;
	cr_assert_eq(gem_mmap_offset(fd, h, &off), 0);
	uint64_t none;
	cr_assert_eq(gem_mmap_offset(fd, 77, &none), -ENOENT);
	cr_assert_eq(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, (off_t)(off + 2 * PAGE)), MAP_FAILED);
	cr_assert_eq(errno, EINVAL, "no object there");
	cr_assert_eq(mmap(NULL, 3 * PAGE, PROT_READ, MAP_SHARED, fd, (off_t)off), MAP_FAILED);
	cr_assert_eq(errno, EINVAL, "longer than the BO");
	cr_assert_eq(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd2, (off_t)off), MAP_FAILED);
	cr_assert_eq(errno, EACCES, "no handle in that file");
	cr_assert_eq(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, (off_t)off), MAP_FAILED);
	cr_assert_eq(errno, EINVAL, "no COW mappings");
	/* the second page alone */
	uint8_t *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)(off + PAGE));
	cr_assert_neq(p, MAP_FAILED);
	uint8_t *q = cpu_map(fd, h, 2 * PAGE);
	p[5] = 42;
	cr_assert_eq(q[PAGE + 5], 42);
	munmap(p, PAGE);
	munmap(q, 2 * PAGE);
	gem_close(fd, h);
	close(fd2);
	close(fd);
}

/* ---- GEM_VA ------------------------------------------------------------- */

Test(vgpu_mem, gem_va_rules)
{
	use("780m", NULL, NULL, NULL);
	int fd = open_node();
	uint32_t h = must_create(fd, 64 * KiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	const uint32_t rw = AMDGPU_VM_PAGE_READABLE | AMDGPU_VM_PAGE_WRITEABLE;
	uint64_t base = 0x100000000ull;

	cr_assert_eq(gem_va(fd, h, AMDGPU_VA_OP_MAP, rw, base, 0, 64 * KiB), 0);
	cr_assert_eq(gem_va(fd, h, AMDGPU_VA_OP_MAP, rw, base + 32 * KiB, 0, 8 * KiB), -EINVAL, "overlap");
	cr_assert_eq(gem_va(fd, h, AMDGPU_VA_OP_MAP, rw, base + 64 * KiB + 1, 0, PAGE), -EINVAL, "unaligned va");
	cr_assert_eq(gem_va(fd, h, AMDGPU_VA_OP_MAP, rw, base + 128 * KiB, 100, PAGE), -EINVAL, "unaligned offset");
	cr_assert_eq(gem_va(fd, h, AMDGPU_VA_OP_MAP, rw, base + 128 * KiB, 0, 100), -EINVAL, "unaligned size");
	cr_assert_eq(gem_va(fd, h, AMDGPU_VA_OP_MAP, rw, base + 128 * KiB, 0, 0), -EINVAL, "size 0");
	cr_assert_eq(gem_va(fd, h, AMDGPU_VA_OP_MAP, rw, base + 128 * KiB, 60 * KiB, 8 * KiB), -EINVAL, "past the BO");
	cr_assert_eq(gem_va(fd, h, AMDGPU_VA_OP_MAP, rw, PAGE, 0, PAGE), -EINVAL, "reserved low range");
	cr_assert_eq(gem_va(fd, h, AMDGPU_VA_OP_MAP, rw, 0x0000800000000000ull, 0, PAGE), -EINVAL, "VA hole");
	cr_assert_eq(gem_va(fd, h, AMDGPU_VA_OP_MAP, rw, (1ull << 48) - PAGE, 0, PAGE), -EINVAL, "top reserved");
	cr_assert_eq(gem_va(fd, h, AMDGPU_VA_OP_MAP, rw, 0xffff800000000000ull, 0, PAGE), 0, "high half");
	cr_assert_eq(gem_va(fd, h, AMDGPU_VA_OP_MAP, rw | (1u << 12), base + 256 * KiB, 0, PAGE), -EINVAL, "flags");
	cr_assert_eq(gem_va(fd, h, AMDGPU_VA_OP_MAP, AMDGPU_VM_PAGE_PRT | AMDGPU_VM_PAGE_READABLE,
			    base + 256 * KiB, 0, PAGE), -EINVAL, "PRT with other flags");
	cr_assert_eq(gem_va(fd, 0, AMDGPU_VA_OP_MAP, AMDGPU_VM_PAGE_PRT, base + 256 * KiB, 0, 16 * PAGE), 0, "PRT");
	cr_assert_eq(gem_va(fd, h, 9, rw, base + 512 * KiB, 0, PAGE), -EINVAL, "op");
	cr_assert_eq(gem_va(fd, 4242, AMDGPU_VA_OP_MAP, rw, base + 512 * KiB, 0, PAGE), -ENOENT, "handle");

	cr_assert_eq(gem_va(fd, h, AMDGPU_VA_OP_UNMAP, 0, base + 4 * KiB, 0, PAGE), -ENOENT, "not a mapping start");
	cr_assert_eq(gem_va(fd, h, AMDGPU_VA_OP_UNMAP, 0, base + 1024 * KiB, 0, PAGE), -ENOENT, "nothing there");
	/* REPLACE in the middle splits the old mapping in two */
	cr_assert_eq(gem_va(fd, h, AMDGPU_VA_OP_REPLACE, AMDGPU_VM_PAGE_READABLE, base + 16 * KiB, 0, 16 * KiB), 0);
	char desc[4096] = "";
	int n = vgpu_test_open_objects(desc, sizeof(desc));
	cr_assert(strstr(desc, "va mapping: 0x100000000-0x100004000"), "%s", desc);
	cr_assert(strstr(desc, "va mapping: 0x100004000-0x100008000"), "%s", desc);
	cr_assert(strstr(desc, "va mapping: 0x100008000-0x100010000 -> bo"), "%s", desc);
	cr_assert_eq(gem_va(fd, h, AMDGPU_VA_OP_UNMAP, 0, base + 16 * KiB, 0, 0), 0);
	cr_assert_eq(gem_va(fd, h, AMDGPU_VA_OP_UNMAP, 0, base + 16 * KiB, 0, 0), -ENOENT, "already unmapped");
	/* CLEAR the rest of the range */
	cr_assert_eq(gem_va(fd, 0, AMDGPU_VA_OP_CLEAR, 0, base, 0, 64 * KiB), 0);
	cr_assert_eq(gem_va(fd, h, AMDGPU_VA_OP_MAP, rw, base, 0, 64 * KiB), 0, "range free again");
	int before = vgpu_test_open_objects(NULL, 0);
	cr_assert_gt(n, 0);
	/* closing the handle drops its mappings */
	cr_assert_eq(gem_close(fd, h), 0);
	cr_assert_lt(vgpu_test_open_objects(NULL, 0), before);
	uint32_t h2 = must_create(fd, 64 * KiB, AMDGPU_GEM_DOMAIN_GTT, 0);
	cr_assert_eq(gem_va(fd, h2, AMDGPU_VA_OP_MAP, rw, base, 0, 64 * KiB), 0);
	gem_close(fd, h2);
	close(fd);
}

/* ---- PRIME -------------------------------------------------------------- */

Test(vgpu_mem, dmabuf_in_one_process)
{
	use("780m", NULL, NULL, NULL);
	int fd = open_node();
	int fd2 = open_node();
	uint32_t h = must_create(fd, 1 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	uint8_t *p = cpu_map(fd, h, 1 * MiB);
	memcpy(p, "shared!", 8);

	struct drm_prime_handle ph = { .handle = h, .flags = 0x4 };
	cr_assert_eq(ioc(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph), -EINVAL, "flags");
	ph = (struct drm_prime_handle){ .handle = 999, .flags = DRM_CLOEXEC };
	cr_assert_eq(ioc(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph), -ENOENT);
	int dmabuf = -1;
	cr_assert_eq(drmPrimeHandleToFD(fd, h, DRM_CLOEXEC | DRM_RDWR, &dmabuf), 0);
	cr_assert_geq(dmabuf, 0);
	/* the dma-buf is mmappable as is */
	uint8_t *d = mmap(NULL, 1 * MiB, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, 0);
	cr_assert_neq(d, MAP_FAILED);
	cr_assert_str_eq((char *)d, "shared!");
	munmap(d, 1 * MiB);

	uint32_t same = 0, other = 0;
	cr_assert_eq(drmPrimeFDToHandle(fd, dmabuf, &same), 0);
	cr_assert_eq(same, h, "re-import in the exporting file gives the same handle");
	cr_assert_eq(drmPrimeFDToHandle(fd2, dmabuf, &other), 0);
	uint32_t again = 0;
	cr_assert_eq(drmPrimeFDToHandle(fd2, dmabuf, &again), 0);
	cr_assert_eq(again, other);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), 1 * MiB, "one BO, counted once");
	cr_assert_eq(fdinfo_bytes(fd2, "vram"), (long long)(1 * MiB), "the importer counts it too");
	uint8_t *q = cpu_map(fd2, other, 1 * MiB);
	cr_assert_str_eq((char *)q, "shared!");
	munmap(q, 1 * MiB);
	/* metadata belongs to the BO: the importer sees the exporter's */
	struct drm_amdgpu_gem_metadata md;
	memset(&md, 0, sizeof(md));
	md.handle = h;
	md.op = AMDGPU_GEM_METADATA_OP_SET_METADATA;
	md.data.tiling_info = 0xabc;
	md.data.data_size_bytes = 4;
	md.data.data[0] = 0x12345678;
	cr_assert_eq(ioc(fd, DRM_IOCTL_AMDGPU_GEM_METADATA, &md), 0);
	memset(&md, 0, sizeof(md));
	md.handle = other;
	md.op = AMDGPU_GEM_METADATA_OP_GET_METADATA;
	cr_assert_eq(ioc(fd2, DRM_IOCTL_AMDGPU_GEM_METADATA, &md), 0);
	cr_assert_eq(md.data.tiling_info, 0xabc);
	cr_assert_eq(md.data.data_size_bytes, 4);
	cr_assert_eq(md.data.data[0], 0x12345678);

	/* not a dma-buf, not an fd */
	int pfd[2];
	cr_assert_eq(pipe(pfd), 0);
	struct drm_prime_handle bad = { .fd = pfd[0] };
	cr_assert_eq(ioc(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &bad), -EINVAL);
	bad.fd = 9999;
	cr_assert_eq(ioc(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &bad), -EBADF);
	close(pfd[0]);
	close(pfd[1]);

	/* the dma-buf alone keeps the BO alive */
	munmap(p, 1 * MiB);
	gem_close(fd, h);
	gem_close(fd2, other);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), 1 * MiB);
	uint32_t back = 0;
	cr_assert_eq(drmPrimeFDToHandle(fd, dmabuf, &back), 0);
	q = cpu_map(fd, back, 1 * MiB);
	cr_assert_str_eq((char *)q, "shared!");
	munmap(q, 1 * MiB);
	gem_close(fd, back);
	close(dmabuf);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), 0, "last reference gone");
	/* userptr and per-VM BOs cannot be exported */
	uint32_t vmbo = must_create(fd, PAGE, AMDGPU_GEM_DOMAIN_VRAM, AMDGPU_GEM_CREATE_VM_ALWAYS_VALID);
	ph = (struct drm_prime_handle){ .handle = vmbo };
	cr_assert_eq(ioc(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph), -EPERM);
	gem_close(fd, vmbo);
	close(fd2);
	close(fd);
	cr_assert_eq(vgpu_test_open_objects(NULL, 0), 0);
}

Test(vgpu_mem, dmabuf_across_fork)
{
	use("780m", NULL, NULL, NULL);
	int fd = open_node();
	uint32_t h = must_create(fd, 2 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	uint8_t *p = cpu_map(fd, h, 2 * MiB);
	strcpy((char *)p, "from the parent");
	int dmabuf = -1;
	cr_assert_eq(drmPrimeHandleToFD(fd, h, DRM_RDWR, &dmabuf), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int cfd = open("/dev/dri/renderD128", O_RDWR);
		uint32_t ch = 0;
		if (cfd < 0 || drmPrimeFDToHandle(cfd, dmabuf, &ch) != 0)
			_exit(2);
		uint64_t off;
		if (gem_mmap_offset(cfd, ch, &off) != 0)
			_exit(3);
		char *c = mmap(NULL, 2 * MiB, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, (off_t)off);
		if (c == MAP_FAILED || strcmp(c, "from the parent") != 0)
			_exit(4);
		strcpy(c, "from the child");
		uint64_t used = 0;
		struct drm_amdgpu_info q = { .return_pointer = (uintptr_t)&used, .return_size = 8,
					     .query = AMDGPU_INFO_VRAM_USAGE };
		if (drmIoctl(cfd, DRM_IOCTL_AMDGPU_INFO, &q) != 0 || used != 2 * MiB)
			_exit(5);
		munmap(c, 2 * MiB);
		close(cfd);
		_exit(0);
	}
	int status = 0;
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
	cr_assert_str_eq((char *)p, "from the child");
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), 2 * MiB);
	munmap(p, 2 * MiB);
	close(dmabuf);
	gem_close(fd, h);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), 0);
	close(fd);
}

Test(vgpu_mem, forked_child_closing_inherited_file_leaves_parent_bo)
{
	use("780m", NULL, NULL, NULL);
	int fd = open_node();
	uint32_t h = must_create(fd, 8 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		/* the child's copy of the file still names the BO */
		struct drm_amdgpu_gem_create_in info;
		if (create_info(fd, h, &info) != 0 || info.bo_size != 8 * MiB)
			_exit(2);
		close(fd);
		int cfd = open("/dev/dri/renderD128", O_RDWR);
		uint64_t used = 0;
		struct drm_amdgpu_info q = { .return_pointer = (uintptr_t)&used, .return_size = 8,
					     .query = AMDGPU_INFO_VRAM_USAGE };
		if (cfd < 0 || drmIoctl(cfd, DRM_IOCTL_AMDGPU_INFO, &q) != 0 || used != 8 * MiB)
			_exit(3);
		close(cfd);
		_exit(0);
	}
	int status = 0;
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), 8 * MiB);
	cr_assert_eq(gem_close(fd, h), 0);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), 0);
	close(fd);
}

/* ---- USERPTR ------------------------------------------------------------ */

static int userptr(int fd, void *addr, uint64_t size, uint32_t flags, uint32_t *h)
{
	struct drm_amdgpu_gem_userptr u = { .addr = (uintptr_t)addr, .size = size, .flags = flags };
	int r = ioc(fd, DRM_IOCTL_AMDGPU_GEM_USERPTR, &u);
	if (!r && h)
		*h = u.handle;
	return r;
}

Test(vgpu_mem, userptr_rules)
{
	use("780m", NULL, NULL, NULL);
	int fd = open_node();
	size_t len = 16 * PAGE;
	uint8_t *mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	cr_assert_neq(mem, MAP_FAILED);
	uint32_t h = 0;
	const uint32_t reg = AMDGPU_GEM_USERPTR_REGISTER | AMDGPU_GEM_USERPTR_VALIDATE;
	cr_assert_eq(userptr(fd, mem + 1, len - PAGE, reg, &h), -EINVAL, "unaligned address");
	cr_assert_eq(userptr(fd, mem, len - 1, reg, &h), -EINVAL, "unaligned size");
	cr_assert_eq(userptr(fd, mem, len, 1u << 5, &h), -EINVAL, "unknown flag");
	cr_assert_eq(userptr(fd, mem, len, AMDGPU_GEM_USERPTR_VALIDATE, &h), -EACCES, "writable needs REGISTER");
	cr_assert_eq(userptr(fd, mem, 0, reg, &h), -ENOSPC, "empty");

	uint64_t gtt0 = info_u64(fd, AMDGPU_INFO_GTT_USAGE);
	cr_assert_eq(userptr(fd, mem, len, reg | AMDGPU_GEM_USERPTR_ANONONLY, &h), 0);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_GTT_USAGE), gtt0 + len, "VALIDATE binds it in GTT");
	uint64_t off;
	cr_assert_eq(gem_mmap_offset(fd, h, &off), -EPERM);
	int dmabuf;
	cr_assert_neq(drmPrimeHandleToFD(fd, h, 0, &dmabuf), 0);
	cr_assert_eq(errno, EPERM);
	struct drm_amdgpu_gem_op op = { .handle = h, .op = AMDGPU_GEM_OP_SET_PLACEMENT,
					.value = AMDGPU_GEM_DOMAIN_VRAM };
	cr_assert_eq(ioc(fd, DRM_IOCTL_AMDGPU_GEM_OP, &op), -EPERM);
	struct drm_amdgpu_gem_create_in info;
	cr_assert_eq(create_info(fd, h, &info), 0);
	cr_assert_eq(info.domains, AMDGPU_GEM_DOMAIN_GTT);
	cr_assert_eq(gem_close(fd, h), 0);

	/* without VALIDATE nothing is checked and it stays in system memory */
	cr_assert_eq(userptr(fd, mem, len, AMDGPU_GEM_USERPTR_REGISTER, &h), 0);
	cr_assert_eq(fdinfo_bytes(fd, "cpu"), (long long)len);
	gem_close(fd, h);

	/* VALIDATE of pages that are not there */
	munmap(mem + 8 * PAGE, 8 * PAGE);
	cr_assert_eq(userptr(fd, mem, len, reg, &h), -EFAULT, "hole in the range");
	/* read-only memory: fine for READONLY, not for a writable BO */
	cr_assert_eq(mprotect(mem, 8 * PAGE, PROT_READ), 0);
	cr_assert_eq(userptr(fd, mem, 8 * PAGE, reg, &h), -EPERM);
	cr_assert_eq(userptr(fd, mem, 8 * PAGE, AMDGPU_GEM_USERPTR_READONLY | AMDGPU_GEM_USERPTR_VALIDATE, &h), 0);
	gem_close(fd, h);
	munmap(mem, 8 * PAGE);

	/* ANONONLY refuses file-backed memory */
	char path[] = "/tmp/vgpu-userptr-XXXXXX";
	int tf = mkstemp(path);
	cr_assert_geq(tf, 0);
	unlink(path);
	cr_assert_eq(ftruncate(tf, (off_t)len), 0);
	void *fm = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, tf, 0);
	cr_assert_neq(fm, MAP_FAILED);
	cr_assert_eq(userptr(fd, fm, len, reg | AMDGPU_GEM_USERPTR_ANONONLY, &h), -EPERM);
	cr_assert_eq(userptr(fd, fm, len, reg, &h), 0);
	gem_close(fd, h);
	munmap(fm, len);
	close(tf);
	close(fd);
}

/* ---- Several processes, one instance ------------------------------------ */

/* A child that opens the device, makes a VRAM BO of `size`, reports on
 * `ready` and then waits to be told (or killed). */
static pid_t spawn_holder(uint64_t size, int *ready_rd, int *go_wr)
{
	int ready[2], go[2];
	cr_assert_eq(pipe(ready), 0);
	cr_assert_eq(pipe(go), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		close(ready[0]);
		close(go[1]);
		int fd = open("/dev/dri/renderD128", O_RDWR);
		uint32_t h;
		char ok = (fd >= 0 && gem_create(fd, size, 0, AMDGPU_GEM_DOMAIN_VRAM, 0, &h) == 0) ? 'y' : 'n';
		if (write(ready[1], &ok, 1) != 1)
			_exit(1);
		char c;
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		_exit(0); /* exits without closing anything */
	}
	close(ready[1]);
	close(go[0]);
	*ready_rd = ready[0];
	*go_wr = go[1];
	char ok = 0;
	cr_assert_eq(read(ready[0], &ok, 1), 1);
	cr_assert_eq(ok, 'y', "child could not create its BO");
	return pid;
}

Test(vgpu_mem, processes_share_global_usage)
{
	use("780m", NULL, NULL, NULL);
	int rd, wr;
	pid_t pid = spawn_holder(16 * MiB, &rd, &wr);
	int fd = open_node();
	uint32_t h = must_create(fd, 4 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), 20 * MiB, "the child's BO is visible here");
	cr_assert_eq(fdinfo_bytes(fd, "vram"), (long long)(4 * MiB), "per-file usage is this file's only");
	cr_assert_eq(write(wr, "x", 1), 1);
	int status;
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), 4 * MiB, "a dead process's usage is reclaimed");
	gem_close(fd, h);
	close(rd);
	close(wr);
	close(fd);
}

Test(vgpu_mem, killed_process_usage_is_reclaimed)
{
	use("780m", "256M", NULL, "1G");
	int rd, wr;
	pid_t pid = spawn_holder(200 * MiB, &rd, &wr);
	int fd = open_node();
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), 200 * MiB);
	cr_assert_eq(kill(pid, SIGKILL), 0);
	int status;
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFSIGNALED(status));
	/* space short: the dead process's BO goes instead of an eviction */
	uint64_t ev0 = info_u64(fd, AMDGPU_INFO_NUM_EVICTIONS);
	uint32_t h = must_create(fd, 200 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), 200 * MiB);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_NUM_EVICTIONS), ev0);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_GTT_USAGE), 0);
	gem_close(fd, h);
	close(rd);
	close(wr);
	close(fd);
}

Test(vgpu_mem, eviction_takes_another_processes_bo)
{
	use("780m", "64M", NULL, "256M");
	int rd, wr;
	pid_t pid = spawn_holder(40 * MiB, &rd, &wr);
	int fd = open_node();
	uint64_t ev0 = info_u64(fd, AMDGPU_INFO_NUM_EVICTIONS);
	uint32_t h = must_create(fd, 40 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	/* the child's idle BO is the least recently used: it goes to GTT */
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), 40 * MiB);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_GTT_USAGE), 40 * MiB);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_NUM_EVICTIONS), ev0 + 1);
	cr_assert_eq(fdinfo_bytes(fd, "vram"), (long long)(40 * MiB));
	cr_assert_eq(write(wr, "x", 1), 1);
	waitpid(pid, NULL, 0);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_GTT_USAGE), 0, "the child exited");
	gem_close(fd, h);
	close(rd);
	close(wr);
	close(fd);
}

Test(vgpu_mem, another_profile_on_the_same_instance_is_refused)
{
	use("780m", NULL, NULL, NULL);
	int rd, wr;
	pid_t pid = spawn_holder(PAGE, &rd, &wr); /* creates the instance as 780m */
	setenv("AMDBARE_VGPU_PROFILE", "890m", 1);
	errno = 0;
	int fd = open("/dev/dri/renderD128", O_RDWR);
	int e = errno;
	cr_assert_eq(fd, -1);
	cr_assert_eq(e, EINVAL);
	cr_assert_eq(write(wr, "x", 1), 1);
	waitpid(pid, NULL, 0);
	close(rd);
	close(wr);
}

/* ---- Threads, and nothing left behind ----------------------------------- */

struct worker {
	int fd;
	int failures;
};

static void *churn(void *arg)
{
	struct worker *w = arg;
	for (int i = 0; i < 300; i++) {
		uint32_t h;
		uint64_t dom = (i % 3 == 0) ? AMDGPU_GEM_DOMAIN_VRAM : AMDGPU_GEM_DOMAIN_GTT;
		if (gem_create(w->fd, (uint64_t)(i % 7 + 1) * PAGE, 0, dom, 0, &h) != 0) {
			w->failures++;
			continue;
		}
		uint64_t va = 0x200000000ull + (uint64_t)h * 0x100000ull;
		if (gem_va(w->fd, h, AMDGPU_VA_OP_MAP, AMDGPU_VM_PAGE_READABLE, va, 0, PAGE) != 0)
			w->failures++;
		if (gem_close(w->fd, h) != 0)
			w->failures++;
	}
	return NULL;
}

Test(vgpu_mem, threads_on_one_fd_and_many_fds)
{
	use("780m", NULL, NULL, NULL);
	int shared_fd = open_node();
	pthread_t t[4];
	struct worker w[4];
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){ .fd = i < 2 ? shared_fd : open_node() };
		cr_assert_eq(pthread_create(&t[i], NULL, churn, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		cr_assert_eq(w[i].failures, 0, "worker %d", i);
	}
	cr_assert_eq(info_u64(shared_fd, AMDGPU_INFO_VRAM_USAGE), 0);
	cr_assert_eq(info_u64(shared_fd, AMDGPU_INFO_GTT_USAGE), 0);
	close(w[2].fd);
	close(w[3].fd);
	close(shared_fd);
	cr_assert_eq(vgpu_test_open_objects(NULL, 0), 0);
}

Test(vgpu_mem, open_objects_back_to_zero)
{
	use("780m", NULL, NULL, NULL);
	cr_assert_eq(vgpu_test_open_objects(NULL, 0), 0);
	int fd = open_node();
	uint32_t a = must_create(fd, PAGE, AMDGPU_GEM_DOMAIN_VRAM, 0);
	uint32_t b = must_create(fd, PAGE, AMDGPU_GEM_DOMAIN_GTT, 0);
	cr_assert_eq(gem_va(fd, a, AMDGPU_VA_OP_MAP, AMDGPU_VM_PAGE_READABLE, 0x400000, 0, PAGE), 0);
	void *p = cpu_map(fd, b, PAGE);
	char desc[2048] = "";
	int n = vgpu_test_open_objects(desc, sizeof(desc));
	cr_assert_geq(n, 4, "%s", desc);
	cr_assert(strstr(desc, "gem handle"), "%s", desc);
	cr_assert(strstr(desc, "va mapping"), "%s", desc);
	cr_assert(strstr(desc, "cpu mapping"), "%s", desc);
	munmap(p, PAGE);
	/* the last close releases handles and mappings */
	close(fd);
	desc[0] = '\0';
	cr_assert_eq(vgpu_test_open_objects(desc, sizeof(desc)), 0, "%s", desc);
	(void)a;
	(void)b;
}
