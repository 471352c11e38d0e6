/*
 * The vgpu's VRAM pool (tools/vgpu/memory/vram_pool.c): a VRAM BO of 2 MiB
 * or more is backed by a file /dev/shm/amdbare-vgpu-<instance>-vram-<n>
 * whose pages outlive the BO, so the next VRAM BO writes into pages the
 * host already has.  These tests check that the pages are reused, that a
 * huge BO stays sparse, that usage and fdinfo stay exact over free and
 * reallocation, that the contents are cleared exactly when the kernel
 * clears them (VRAM_CLEARED on 6.1; always from 6.12 on; GTT always), and
 * that PRIME, a second process and CPU-mapping reports see pool BOs.
 */
#include "vgpu_fault.h"
#include "vgpu_test.h"

#include <amdgpu_drm.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xf86drm.h>

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)

static void use(const char *kernel)
{
	vgpu_test_require();
	vgpu_test_use_profile("780m", "AMDBARE_VGPU_KERNEL", kernel, NULL);
}

static void cleanup(void)
{
	vgpu_test_cleanup();
}

TestSuite(vram_pool, .fini = cleanup);

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

static uint32_t create(int fd, uint64_t size, uint64_t domains, uint64_t flags)
{
	union drm_amdgpu_gem_create a;
	memset(&a, 0, sizeof(a));
	a.in.bo_size = size;
	a.in.domains = domains;
	a.in.domain_flags = flags;
	int r = ioc(fd, DRM_IOCTL_AMDGPU_GEM_CREATE, &a);
	cr_assert_eq(r, 0, "create %llu bytes: %s", (unsigned long long)size, strerror(-r));
	return a.out.handle;
}

static void close_bo(int fd, uint32_t h)
{
	struct drm_gem_close c = { .handle = h };
	cr_assert_eq(ioc(fd, DRM_IOCTL_GEM_CLOSE, &c), 0);
}

static unsigned char *map(int fd, uint32_t h, size_t len)
{
	union drm_amdgpu_gem_mmap a;
	memset(&a, 0, sizeof(a));
	a.in.handle = h;
	cr_assert_eq(ioc(fd, DRM_IOCTL_AMDGPU_GEM_MMAP, &a), 0);
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)a.out.addr_ptr);
	cr_assert_neq(p, MAP_FAILED, "mmap: %s", strerror(errno));
	return p;
}

static uint64_t info_u64(int fd, uint32_t query)
{
	uint64_t v = ~0ull;
	struct drm_amdgpu_info q;
	memset(&q, 0, sizeof(q));
	q.return_pointer = (uintptr_t)&v;
	q.return_size = sizeof(v);
	q.query = query;
	cr_assert_eq(ioc(fd, DRM_IOCTL_AMDGPU_INFO, &q), 0);
	return v;
}

/* drm-memory-<region> (6.1's fdinfo) of this fd, in bytes (-1 if absent). */
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

/* stat of pool file n of this test's instance; false if it does not exist */
static bool pool_file(unsigned n, struct stat *st)
{
	char path[256];
	snprintf(path, sizeof(path), "/dev/shm/amdbare-vgpu-%s-vram-%u",
		 getenv("AMDBARE_VGPU_INSTANCE"), n);
	return stat(path, st) == 0;
}

static bool all_bytes(const unsigned char *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

Test(vram_pool, freed_pages_back_the_next_bo_and_keep_their_bytes_on_6_1)
{
	use("6.1");
	int fd = open_node();
	uint32_t a = create(fd, 4 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	struct stat st;
	cr_assert(pool_file(0, &st), "a 4 MiB VRAM BO is backed by pool file 0");
	cr_assert_eq(st.st_size, (off_t)(4 * MiB));
	cr_assert_eq(st.st_blocks, 0, "no page before the first write (sparse)");
	unsigned char *p = map(fd, a, 4 * MiB);
	memset(p, 0xA5, 4 * MiB);
	munmap(p, 4 * MiB);
	close_bo(fd, a);
	cr_assert(pool_file(0, &st), "the file outlives the BO");
	ino_t ino = st.st_ino;
	cr_assert_geq((uint64_t)st.st_blocks * 512, 4 * MiB, "and keeps its pages");

	/* amdgpu_bo_create of 6.1 clears only with VRAM_CLEARED: the new BO
	 * shows what the VRAM held, the old BO's bytes */
	uint32_t b = create(fd, 4 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	cr_assert(pool_file(0, &st));
	cr_assert_eq(st.st_ino, ino, "the same file backs the new BO");
	cr_assert(!pool_file(1, &st), "no second file was made");
	p = map(fd, b, 4 * MiB);
	cr_assert(all_bytes(p, 4 * MiB, 0xA5), "uncleared VRAM keeps the previous contents");
	munmap(p, 4 * MiB);
	close_bo(fd, b);
	close(fd);
}

Test(vram_pool, vram_cleared_zeroes_a_reused_file)
{
	use("6.1");
	int fd = open_node();
	uint32_t a = create(fd, 4 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	unsigned char *p = map(fd, a, 4 * MiB);
	memset(p, 0x5A, 4 * MiB);
	munmap(p, 4 * MiB);
	close_bo(fd, a);
	uint32_t b = create(fd, 4 * MiB, AMDGPU_GEM_DOMAIN_VRAM, AMDGPU_GEM_CREATE_VRAM_CLEARED);
	struct stat st;
	cr_assert(pool_file(0, &st));
	cr_assert_geq((uint64_t)st.st_blocks * 512, 4 * MiB, "cleared in place: pages kept");
	p = map(fd, b, 4 * MiB);
	cr_assert(all_bytes(p, 4 * MiB, 0), "VRAM_CLEARED: amdgpu_fill_buffer(0)");
	munmap(p, 4 * MiB);
	close_bo(fd, b);
	close(fd);
}

Test(vram_pool, kernel_6_12_always_clears_vram)
{
	use("6.12");
	int fd = open_node();
	uint32_t a = create(fd, 4 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	unsigned char *p = map(fd, a, 4 * MiB);
	memset(p, 0x33, 4 * MiB);
	munmap(p, 4 * MiB);
	close_bo(fd, a);
	uint32_t b = create(fd, 4 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	struct stat st;
	cr_assert(pool_file(0, &st));
	p = map(fd, b, 4 * MiB);
	cr_assert(all_bytes(p, 4 * MiB, 0), "6.11+: \"always clear VRAM\" in amdgpu_gem_create_ioctl");
	munmap(p, 4 * MiB);
	close_bo(fd, b);
	close(fd);
}

Test(vram_pool, gtt_and_small_bos_get_zeroed_memfds)
{
	use("6.1");
	int fd = open_node();
	uint32_t a = create(fd, 4 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	unsigned char *p = map(fd, a, 4 * MiB);
	memset(p, 0x77, 4 * MiB);
	munmap(p, 4 * MiB);
	close_bo(fd, a);
	/* TTM_TT_FLAG_ZERO_ALLOC: a GTT BO's pages are zero */
	uint32_t g = create(fd, 4 * MiB, AMDGPU_GEM_DOMAIN_GTT, 0);
	p = map(fd, g, 4 * MiB);
	cr_assert(all_bytes(p, 4 * MiB, 0), "a GTT BO never sees old VRAM bytes");
	munmap(p, 4 * MiB);
	/* below 2 MiB a VRAM BO keeps a memfd of its own */
	uint32_t s = create(fd, 1 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	struct stat st;
	cr_assert(pool_file(0, &st));
	p = map(fd, s, 1 * MiB);
	cr_assert(all_bytes(p, 1 * MiB, 0));
	munmap(p, 1 * MiB);
	cr_assert(!pool_file(1, &st), "neither took a pool file");
	close_bo(fd, g);
	close_bo(fd, s);
	close(fd);
}

Test(vram_pool, a_huge_bo_stays_sparse_and_usage_is_exact)
{
	use("6.1");
	int fd = open_node();
	uint64_t used0 = info_u64(fd, AMDGPU_INFO_VRAM_USAGE);
	uint32_t big = create(fd, 12 * GiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	struct stat st;
	cr_assert(pool_file(0, &st));
	cr_assert_eq(st.st_size, (off_t)(12 * GiB));
	cr_assert_eq(st.st_blocks, 0, "12 GiB of VRAM nobody wrote cost no host page");
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), used0 + 12 * GiB);
	cr_assert_eq(fdinfo_bytes(fd, "vram"), (long long)(12 * GiB));
	close_bo(fd, big);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), used0, "usage back after the free");
	cr_assert_eq(fdinfo_bytes(fd, "vram"), 0);

	/* reallocation: a smaller BO takes the file, which is cut to its size */
	uint32_t a = create(fd, 3 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	cr_assert(pool_file(0, &st));
	cr_assert_eq(st.st_size, (off_t)(3 * MiB), "the file is as long as its new BO");
	uint32_t b = create(fd, 5 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	cr_assert(pool_file(1, &st), "a second BO while the first lives: a second file");
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), used0 + 8 * MiB);
	cr_assert_eq(fdinfo_bytes(fd, "vram"), (long long)(8 * MiB));
	close_bo(fd, a);
	close_bo(fd, b);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), used0);
	close(fd);
}

Test(vram_pool, prime_and_a_second_process_reach_a_pool_bo)
{
	use("6.1");
	int fd = open_node();
	uint32_t h = create(fd, 4 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	unsigned char *p = map(fd, h, 4 * MiB);
	memset(p, 0x42, 4 * MiB);
	struct drm_prime_handle ph = { .handle = h, .flags = DRM_CLOEXEC | DRM_RDWR };
	cr_assert_eq(ioc(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph), 0);
	int dmabuf = ph.fd;
	/* the same file again gives the same handle */
	struct drm_prime_handle imp = { .fd = dmabuf };
	cr_assert_eq(ioc(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp), 0);
	cr_assert_eq(imp.handle, h);
	/* the dma-buf maps the BO's bytes */
	unsigned char *q = mmap(NULL, 4 * MiB, PROT_READ, MAP_SHARED, dmabuf, 0);
	cr_assert_neq(q, MAP_FAILED);
	cr_assert_eq(q[4 * MiB - 1], 0x42);
	munmap(q, 4 * MiB);
	/* the CPU-mapping report names the pool BO's mapping */
	char desc[8192];
	vgpu_test_open_objects(desc, sizeof(desc));
	cr_assert_not_null(strstr(desc, "cpu mapping:"), "report: %s", desc);

	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int cfd = open("/dev/dri/renderD128", O_RDWR | O_CLOEXEC);
		struct drm_prime_handle c = { .fd = dmabuf };
		if (cfd < 0 || drmIoctl(cfd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &c) != 0)
			_exit(2);
		union drm_amdgpu_gem_mmap a;
		memset(&a, 0, sizeof(a));
		a.in.handle = c.handle;
		if (drmIoctl(cfd, DRM_IOCTL_AMDGPU_GEM_MMAP, &a) != 0)
			_exit(3);
		unsigned char *m = mmap(NULL, 4 * MiB, PROT_READ | PROT_WRITE, MAP_SHARED, cfd,
					(off_t)a.out.addr_ptr);
		if (m == MAP_FAILED || m[12345] != 0x42)
			_exit(4);
		m[0] = 0x43;
		_exit(0);
	}
	int status;
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
	cr_assert_eq(p[0], 0x43, "the child wrote through the same pages");
	munmap(p, 4 * MiB);
	close(dmabuf);
	close_bo(fd, h);
	close(fd);
}

Test(vram_pool, free_files_hold_no_more_than_the_vram)
{
	vgpu_test_require();
	vgpu_test_use_profile("780m", "AMDBARE_VGPU_VRAM_SIZE", "64M", NULL);
	int fd = open_node();
	/* 56 MiB usable: the third 24 MiB BO evicts the first to GTT, which
	 * keeps its file (contents never move); three files, which freed
	 * would hold 72 MiB > 64 */
	uint32_t a = create(fd, 24 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	uint32_t b = create(fd, 24 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	uint32_t c = create(fd, 24 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_VRAM_USAGE), 48 * MiB, "one BO was evicted");
	cr_assert_eq(info_u64(fd, AMDGPU_INFO_GTT_USAGE), 24 * MiB);
	struct stat st;
	cr_assert(pool_file(0, &st) && pool_file(1, &st) && pool_file(2, &st));
	close_bo(fd, a);
	close_bo(fd, b);
	close_bo(fd, c);
	int kept = 0;
	uint64_t bytes = 0;
	for (unsigned n = 0; n < 3; n++)
		if (pool_file(n, &st)) {
			kept++;
			bytes += (uint64_t)st.st_size;
		}
	cr_assert_eq(kept, 2, "the free file beyond the VRAM's size was removed");
	cr_assert_leq(bytes, 64 * MiB);
	close(fd);
}

/* Rss (KiB) of the mapping that starts at `addr`, from /proc/self/smaps. */
static long mapping_rss_kib(const void *addr)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	cr_assert_not_null(f);
	char line[512];
	bool in = false;
	long rss = -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			in = lo == (unsigned long)addr;
			continue;
		}
		if (in && strncmp(line, "Rss:", 4) == 0) {
			rss = strtol(line + 4, NULL, 10);
			break;
		}
	}
	fclose(f);
	return rss;
}

Test(vram_pool, a_mapping_gets_the_pages_the_file_holds_and_no_others)
{
	use("6.1");
	int fd = open_node();
	uint32_t a = create(fd, 4 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	unsigned char *p = map(fd, a, 4 * MiB);
	cr_assert_eq(mapping_rss_kib(p), 0, "a fresh BO: nothing to map yet");
	memset(p, 1, 3 * MiB); /* the last MiB stays a hole */
	munmap(p, 4 * MiB);
	close_bo(fd, a);
	/* the next BO reuses the file: its mapping has the 3 MiB the file
	 * holds before any access (TTM prefaults 16 pages per CPU fault; the
	 * vgpu maps what is there at once), and not the hole */
	uint32_t b = create(fd, 4 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	p = map(fd, b, 4 * MiB);
	cr_assert_eq(mapping_rss_kib(p), (long)(3 * MiB / KiB));
	struct stat st;
	cr_assert(pool_file(0, &st));
	cr_assert_eq((uint64_t)st.st_blocks * 512, 3 * MiB, "mapping allocated nothing");
	munmap(p, 4 * MiB);
	close_bo(fd, b);
	close(fd);
}

Test(vram_pool, a_vram_loss_scrambles_a_pool_bo_and_spares_gtt)
{
	use("6.1");
	vgpu_fault_require();
	int fd = open_node();
	uint32_t v = create(fd, 4 * MiB, AMDGPU_GEM_DOMAIN_VRAM, 0);
	uint32_t g = create(fd, 4 * MiB, AMDGPU_GEM_DOMAIN_GTT, 0);
	struct stat st;
	cr_assert(pool_file(0, &st), "the VRAM BO is a pool BO");
	unsigned char *pv = map(fd, v, 4 * MiB), *pg = map(fd, g, 4 * MiB);
	memset(pv, 0x11, 4 * MiB);
	memset(pg, 0x22, 4 * MiB);
	vgpu_exec_gpu_reset(true);
	/* the scramble reaches the mapping through the same file */
	cr_assert(!all_bytes(pv, 4 * MiB, 0x11), "VRAM contents must be gone");
	cr_assert(all_bytes(pg, 4 * MiB, 0x22), "GTT contents survive a VRAM loss");
	munmap(pv, 4 * MiB);
	munmap(pg, 4 * MiB);
	close_bo(fd, v);
	close_bo(fd, g);
	close(fd);
}
