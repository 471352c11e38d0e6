/*
 * The library's embedded kernels (src/kernels/registry.c, kernels/<module>.cl) and
 * the checksum built on them (amdbare_util.h):
 *  - every module in kernels/<module>.cl is embedded for each of the 6 gfx11
 *    targets and parses as a code object of that target;
 *  - registry errors: unknown module, unsupported target (also on a device
 *    whose target is not embedded), unknown kernel; the per-device cache
 *    loads once, also under concurrent first use, and leaves nothing open;
 *  - the CPU checksum against known answers from an independent
 *    implementation of the definition, streaming = one shot for random
 *    chunkings, the key across the 2^32-word boundary;
 *  - the GPU checksum = the CPU checksum on random data for many sizes at
 *    odd offsets in VRAM and GTT, ranges ending at the buffer's end, a
 *    flipped bit, swapped blocks and a zeroed page detected, ranges
 *    outside the buffer refused; one GPU checksum on each vgpu profile;
 *  - the module's fill and copy kernels through the dispatch API.
 */
#include "amdbare.h"
#include "kernels/checksum_internal.h"
#include "device/internal.h"
#include "kernels/registry.h"
#include "stderr_capture.h"
#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const targets[] = {"gfx1100", "gfx1101", "gfx1102", "gfx1103",
				      "gfx1150", "gfx1151", "gfx1152",
				      /* gfx10.3 (RDNA2) */
				      "gfx1030", "gfx1031", "gfx1032", "gfx1033",
				      "gfx1034", "gfx1035", "gfx1036",
				      /* gfx9 (GCN 5, wave64) */
				      "gfx900", "gfx902", "gfx904", "gfx906", "gfx908",
				      "gfx909", "gfx90a", "gfx90c"};
#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

static uint64_t rng_state;
static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void fill_random(void *p, size_t n, uint64_t seed)
{
	rng_state = seed | 1;
	unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)(rng() >> 29);
}

static amdbare_device *open_dev(const char *profile)
{
	vgpu_test_use_profile(profile, NULL);
	amdbare_device *dev = NULL;
	cr_assert_eq(amdbare_device_open(0, &dev), 0, "open: %s", amdbare_last_error());
	return dev;
}

static void close_dev(amdbare_device *dev)
{
	amdbare_device_close(dev);
	char desc[512];
	int left = vgpu_test_open_objects(desc, sizeof(desc));
	cr_expect_eq(left, 0, "left open in the device: %s", desc);
	vgpu_test_cleanup();
}

/* A buffer of `size` bytes in `domain`, CPU-mapped, filled from seed. */
static amdbare_bo *make_buf(amdbare_device *dev, uint32_t domain, uint64_t size, uint64_t seed,
			    unsigned char **map)
{
	amdbare_bo_create_info ci = {.size = size, .domains = domain,
				     .flags = AMDBARE_BO_CPU_ACCESS};
	amdbare_bo *bo;
	cr_assert_eq(amdbare_bo_create(dev, &ci, &bo), 0, "create: %s", amdbare_last_error());
	void *p;
	cr_assert_eq(amdbare_bo_cpu_map(bo, &p), 0, "map: %s", amdbare_last_error());
	fill_random(p, amdbare_bo_size(bo), seed);
	*map = p;
	return bo;
}

static uint64_t gpu_ck(amdbare_device *dev, amdbare_bo *bo, uint64_t off, uint64_t size)
{
	uint64_t v = 0;
	cr_assert_eq(amdbare_checksum_gpu(dev, bo, off, size, &v), 0,
		     "checksum_gpu(off %llu, size %llu): %s", (unsigned long long)off,
		     (unsigned long long)size, amdbare_last_error());
	return v;
}

/* ---- embedded blobs --------------------------------------------------------- */

/* The modules are the sources: a kernels/<m>.cl whose objects were not
 * built and committed fails here. */
static int list_modules(char mods[][32], int cap)
{
	const char *top = getenv("AMDBARE_TOP");
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/kernels", top && *top ? top : ".");
	DIR *d = opendir(dir);
	cr_assert(d, "cannot list %s (set AMDBARE_TOP to the source tree)", dir);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < cap) {
		size_t l = strlen(e->d_name);
		if (l > 3 && l - 3 < 32 && strcmp(e->d_name + l - 3, ".cl") == 0) {
			memcpy(mods[n], e->d_name, l - 3);
			mods[n][l - 3] = '\0';
			n++;
		}
	}
	closedir(d);
	return n;
}

Test(blobs, every_module_for_every_target)
{
	char mods[16][32];
	int n = list_modules(mods, 16);
	bool have_util = false;
	for (int i = 0; i < n; i++) {
		have_util |= strcmp(mods[i], "util") == 0;
		for (size_t t = 0; t < NTARGETS; t++) {
			const void *data;
			size_t size;
			cr_assert_eq(kernel_registry_blob(mods[i], targets[t], &data, &size), 0,
				     "%s for %s: %s", mods[i], targets[t], amdbare_last_error());
			cr_assert(size > 64 && data);
			amdbare_codeobj *co;
			cr_assert_eq(amdbare_codeobj_load_memory(data, size, &co), 0, "%s-%s: %s",
				     mods[i], targets[t], amdbare_last_error());
			cr_expect_str_eq(amdbare_codeobj_processor(co), targets[t]);
			cr_expect_eq(amdbare_codeobj_version(co), 5u);
			cr_expect_gt(amdbare_codeobj_kernel_count(co), 0u);
			amdbare_codeobj_free(co);
		}
	}
	cr_assert(have_util, "kernels/util.cl not found among %d modules", n);
}

Test(blobs, util_kernels_present)
{
	const void *data;
	size_t size;
	cr_assert_eq(kernel_registry_blob("util", "gfx1103", &data, &size), 0);
	amdbare_codeobj *co;
	cr_assert_eq(amdbare_codeobj_load_memory(data, size, &co), 0, "%s", amdbare_last_error());
	const char *names[] = {"checksum_partial", "fill_u32", "copy_u32"};
	for (size_t i = 0; i < 3; i++) {
		const amdbare_kernel_info *k;
		cr_expect_eq(amdbare_codeobj_find_kernel(co, names[i], &k), 0, "%s: %s", names[i],
			     amdbare_last_error());
	}
	amdbare_codeobj_free(co);
}

Test(blobs, unknown_module_and_target)
{
	const void *data = (void *)1;
	size_t size = 1;
	cr_expect_eq(kernel_registry_blob("nosuch", "gfx1103", &data, &size), -ENOENT);
	cr_expect(strstr(amdbare_last_error(), "nosuch") && strstr(amdbare_last_error(), "util"),
		  "%s", amdbare_last_error());
	cr_expect_null(data);
	cr_expect_eq(size, 0u);
	cr_expect_eq(kernel_registry_blob("util", "gfx1010", &data, &size), -ENOTSUP);
	cr_expect(strstr(amdbare_last_error(), "not supported on gfx1010"), "%s",
		  amdbare_last_error());
	cr_expect_eq(kernel_registry_blob("util", "", &data, &size), -ENOTSUP);
	cr_expect_eq(kernel_registry_blob(NULL, "gfx1103", &data, &size), -EINVAL);
}

/* ---- per-device modules ----------------------------------------------------- */

Test(registry, module_cached_once)
{
	amdbare_device *dev = open_dev("780m");
	const struct kernel_module *a, *b;
	cr_assert_eq(kernel_registry_module(dev, "util", &a), 0, "%s", amdbare_last_error());
	cr_assert_eq(kernel_registry_module(dev, "util", &b), 0);
	cr_expect_eq(a, b, "the second lookup must return the cached module");
	cr_expect_str_eq(amdbare_codeobj_processor(a->codeobj), "gfx1103");
	cr_expect_neq(a->code_va, 0u);
	cr_expect_eq(amdbare_bo_gpu_va(a->code_bo), a->code_va);

	amdbare_dispatch_info di = {0};
	cr_assert_eq(kernel_registry_kernel(a, "checksum_partial", &di), 0);
	cr_expect_eq(di.code_bo, a->code_bo);
	cr_expect_eq(di.code_va, a->code_va);
	cr_expect_str_eq(di.kernel->name, "checksum_partial");
	cr_expect_eq(kernel_registry_kernel(a, "nosuch", &di), -ENOENT);
	cr_expect_eq(kernel_registry_module(dev, "nosuch", &b), -ENOENT);
	/* The device's close frees the module without calling it a leak. */
	amdbare_device_close(dev);
	cr_expect_null(strstr(amdbare_last_error(), "still open"), "%s", amdbare_last_error());
	char desc[512];
	cr_expect_eq(vgpu_test_open_objects(desc, sizeof(desc)), 0, "left open: %s", desc);
	vgpu_test_cleanup();
}

struct race {
	amdbare_device *dev;
	const struct kernel_module *m;
	int r;
};

static void *race_thread(void *p)
{
	struct race *x = p;
	x->r = kernel_registry_module(x->dev, "util", &x->m);
	return NULL;
}

Test(registry, concurrent_first_use_loads_once)
{
	amdbare_device *dev = open_dev("780m");
	struct race x[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		x[i] = (struct race){dev, NULL, -1};
		cr_assert_eq(pthread_create(&th[i], NULL, race_thread, &x[i]), 0);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 4; i++) {
		cr_expect_eq(x[i].r, 0);
		cr_expect_eq(x[i].m, x[0].m, "thread %d got another copy of the module", i);
	}
	close_dev(dev);
}

/* A device whose target has no embedded kernels (no vgpu profile is such a
 * part: gfx1010, RDNA1, is rewritten into the device here, white-box). */
Test(registry, unsupported_device_target)
{
	amdbare_device *dev = open_dev("780m");
	snprintf(dev->info.gfx_target, sizeof(dev->info.gfx_target), "gfx1010");
	const struct kernel_module *m;
	cr_expect_eq(kernel_registry_module(dev, "util", &m), -ENOTSUP);
	cr_expect(strstr(amdbare_last_error(), "not supported on gfx1010"), "%s",
		  amdbare_last_error());
	unsigned char *map;
	amdbare_bo *bo = make_buf(dev, AMDBARE_DOMAIN_GTT, 4096, 1, &map);
	uint64_t v;
	cr_expect_eq(amdbare_checksum_gpu(dev, bo, 0, 64, &v), -ENOTSUP);
	cr_expect(strstr(amdbare_last_error(), "gfx1010"), "%s", amdbare_last_error());
	amdbare_bo_free(bo);
	close_dev(dev);
}

/* The foreign profile is not an amdgpu device at all: no device, so no
 * kernels (the registry is never reached). */
Test(registry, foreign_device_has_no_kernels)
{
	vgpu_test_require();
	vgpu_test_use_profile("foreign", NULL);
	amdbare_device *dev = NULL;
	cr_expect_lt(amdbare_device_open(0, &dev), 0);
	cr_expect_null(dev);
	vgpu_test_cleanup();
}

/* ---- CPU checksum ------------------------------------------------------------ */

/* Known answers from an independent (Python) implementation of the
 * definition in amdbare_util.h. */
Test(checksum_cpu, known_answers)
{
	cr_expect_eq(amdbare_checksum(NULL, 0), 0x9ca066f1a4ab2eeaull);
	cr_expect_eq(amdbare_checksum("a", 1), 0xf4dde223770fc5a4ull);
	cr_expect_eq(amdbare_checksum("abc", 3), 0xb570dbd12c5ac055ull);
	cr_expect_eq(amdbare_checksum("abcd", 4), 0xb14ec9a2b5b77c3dull);
	cr_expect_eq(amdbare_checksum("abcde", 5), 0xe9968b9299ddadc8ull);
	static unsigned char zeros[4096];
	cr_expect_eq(amdbare_checksum(zeros, sizeof(zeros)), 0x784d1a4ad17687ull);
	static unsigned char b[4099];
	for (int i = 0; i < 4096; i++)
		b[i] = (unsigned char)i;
	memcpy(b + 4096, "xyz", 3);
	cr_expect_eq(amdbare_checksum(b, sizeof(b)), 0x8bad0962af66ca58ull);
}

Test(checksum_cpu, streaming_equals_one_shot)
{
	enum { N = 20011 };
	static unsigned char buf[N];
	fill_random(buf, N, 42);
	for (int round = 0; round < 200; round++) {
		size_t len = round < 20 ? (size_t)round : (size_t)(rng() % N);
		uint64_t want = amdbare_checksum(buf, len);
		amdbare_checksum_state st;
		amdbare_checksum_init(&st);
		size_t pos = 0;
		while (pos < len) {
			/* Mostly tiny chunks (every alignment), sometimes big ones,
			 * sometimes empty. */
			size_t c = rng() % 4 == 0 ? (size_t)(rng() % 3000) : (size_t)(rng() % 9);
			if (c > len - pos)
				c = len - pos;
			amdbare_checksum_update(&st, buf + pos, c);
			pos += c;
			if (rng() % 16 == 0) {
				/* final() mid-stream is the checksum of the prefix and
				 * does not disturb the stream. */
				cr_assert_eq(amdbare_checksum_final(&st), amdbare_checksum(buf, pos));
			}
		}
		cr_assert_eq(amdbare_checksum_final(&st), want, "len %zu round %d", len, round);
	}
}

/* Word indices past 2^32 (a 16 GiB stream): the CPU's stepped key must
 * equal the definition's key where the low word wraps. */
Test(checksum_cpu, key_across_2_32_words)
{
	unsigned char data[40];
	fill_random(data, sizeof(data), 7);
	amdbare_checksum_state st;
	amdbare_checksum_init(&st);
	uint64_t first = (1ull << 32) - 5; /* words first .. first+9 */
	st.length = first * 4;
	amdbare_checksum_update(&st, data, sizeof(data));
	uint64_t sum = 0;
	for (uint64_t i = 0; i < 10; i++) {
		uint32_t w;
		memcpy(&w, data + 4 * i, 4);
		sum += ab_checksum_term(w, ab_checksum_key(first + i));
	}
	cr_expect_eq(st.sum, sum);
	cr_expect_eq(ab_checksum_key(1ull << 32), AMDBARE_CHECKSUM_POS_HI);
	cr_expect_neq(ab_checksum_key(1ull << 32), ab_checksum_key(0));
}

Test(checksum_cpu, detects_changes)
{
	enum { N = 65536 };
	static unsigned char a[N], b[N];
	fill_random(a, N, 3);
	uint64_t ref = amdbare_checksum(a, N);
	/* Every single-bit flip in a stretch of the buffer. */
	for (size_t bit = 0; bit < 8 * 300; bit++) {
		memcpy(b, a, N);
		b[1000 + bit / 8] ^= (unsigned char)(1u << (bit % 8));
		cr_assert_neq(amdbare_checksum(b, N), ref, "bit %zu", bit);
	}
	memcpy(b, a, N);
	memcpy(b, a + 4096, 4096);
	memcpy(b + 4096, a, 4096);
	cr_expect_neq(amdbare_checksum(b, N), ref, "swapped 4 KiB blocks");
	memcpy(b, a, N);
	memset(b + 8192, 0, 4096);
	cr_expect_neq(amdbare_checksum(b, N), ref, "zeroed page");
	/* Shifted by one word, and trailing zero bytes. */
	cr_expect_neq(amdbare_checksum(a + 4, N - 4), amdbare_checksum(a, N - 4));
	static unsigned char z[8];
	cr_expect_neq(amdbare_checksum(z, 7), amdbare_checksum(z, 8));
	/* Two equal words swapped does nothing; two different ones does. */
	uint32_t w[2] = {0x11111111u, 0x22222222u}, s[2] = {0x22222222u, 0x11111111u};
	cr_expect_neq(amdbare_checksum(w, 8), amdbare_checksum(s, 8));
}

/* ---- GPU checksum ------------------------------------------------------------ */

static void gpu_matches_cpu(uint32_t domain)
{
	amdbare_device *dev = open_dev("780m");
	const uint64_t bytes = (1u << 20) + 7 + 64;
	unsigned char *map;
	amdbare_bo *bo = make_buf(dev, domain, bytes, 0x1234 + domain, &map);
	const uint64_t sizes[] = {0, 1, 3, 4, 5, 4095, 4096, 65537, (1u << 20) + 7};
	const uint64_t offsets[] = {1, 3, 6, 13};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (size_t j = 0; j < sizeof(offsets) / sizeof(offsets[0]); j++) {
			/* The 1 MiB case once per domain (the vgpu interprets
			 * every instruction). */
			if (sizes[i] > 65537 && j > 0)
				break;
			uint64_t off = offsets[j], n = sizes[i];
			cr_assert_eq(gpu_ck(dev, bo, off, n), amdbare_checksum(map + off, n),
				     "%s size %llu offset %llu", amdbare_domain_name(domain),
				     (unsigned long long)n, (unsigned long long)off);
		}
	}
	amdbare_bo_free(bo);
	close_dev(dev);
}

Test(checksum_gpu, matches_cpu_gtt, .timeout = 300)
{
	gpu_matches_cpu(AMDBARE_DOMAIN_GTT);
}

Test(checksum_gpu, matches_cpu_vram, .timeout = 300)
{
	gpu_matches_cpu(AMDBARE_DOMAIN_VRAM);
}

/* On the vgpu a range is cut into 2 MiB jobs (src/kernels/checksum_gpu.c, the lockup
 * timeout): a range over three pieces at an odd offset, so the middle
 * piece's word index and the shifted reads across piece edges count. */
Test(checksum_gpu, range_over_several_jobs, .timeout = 300)
{
	amdbare_device *dev = open_dev("780m");
	const uint64_t n = (4u << 20) + 21;
	unsigned char *map;
	amdbare_bo *bo = make_buf(dev, AMDBARE_DOMAIN_GTT, n + 8, 31, &map);
	cr_expect_eq(gpu_ck(dev, bo, 3, n), amdbare_checksum(map + 3, n));
	amdbare_bo_free(bo);
	close_dev(dev);
}

/* Ranges that end at the buffer's last byte, for every shift and every
 * tail length: the kernel must not read past the buffer (that would be a
 * VM fault on the vgpu). */
Test(checksum_gpu, range_ending_at_buffer_end)
{
	amdbare_device *dev = open_dev("780m");
	unsigned char *map;
	amdbare_bo *bo = make_buf(dev, AMDBARE_DOMAIN_GTT, 4096, 99, &map);
	for (uint64_t n = 1; n <= 37; n += 3) {
		uint64_t off = 4096 - n;
		cr_assert_eq(gpu_ck(dev, bo, off, n), amdbare_checksum(map + off, n), "size %llu",
			     (unsigned long long)n);
	}
	cr_expect_eq(gpu_ck(dev, bo, 0, 4096), amdbare_checksum(map, 4096));
	amdbare_bo_free(bo);
	close_dev(dev);
}

Test(checksum_gpu, detects_flip_swap_zero)
{
	amdbare_device *dev = open_dev("780m");
	enum { N = 65536 };
	unsigned char *map;
	amdbare_bo *bo = make_buf(dev, AMDBARE_DOMAIN_VRAM, N, 5, &map);
	uint64_t ref = gpu_ck(dev, bo, 0, N);
	cr_assert_eq(ref, amdbare_checksum(map, N));

	map[12345] ^= 0x10;
	uint64_t flipped = gpu_ck(dev, bo, 0, N);
	cr_expect_neq(flipped, ref, "a flipped bit went unnoticed");
	cr_expect_eq(flipped, amdbare_checksum(map, N));
	map[12345] ^= 0x10;

	static unsigned char tmp[4096];
	memcpy(tmp, map + 8192, 4096);
	memcpy(map + 8192, map + 16384, 4096);
	memcpy(map + 16384, tmp, 4096);
	uint64_t swapped = gpu_ck(dev, bo, 0, N);
	cr_expect_neq(swapped, ref, "swapped blocks went unnoticed");
	cr_expect_eq(swapped, amdbare_checksum(map, N));

	/* Zero a page with the DMA engine: the GPU sees it without the CPU. */
	cr_assert_eq(amdbare_fill(dev, bo, 4096, 4096, 0), 0, "%s", amdbare_last_error());
	uint64_t zeroed = gpu_ck(dev, bo, 0, N);
	cr_expect_neq(zeroed, swapped, "a zeroed page went unnoticed");
	cr_expect_eq(zeroed, amdbare_checksum(map, N));
	amdbare_bo_free(bo);
	close_dev(dev);
}

Test(checksum_gpu, bad_ranges_refused)
{
	amdbare_device *dev = open_dev("780m");
	unsigned char *map;
	amdbare_bo *bo = make_buf(dev, AMDBARE_DOMAIN_GTT, 8192, 1, &map);
	uint64_t v = 1;
	cr_expect_eq(amdbare_checksum_gpu(dev, bo, 8190, 3, &v), -EINVAL);
	cr_expect(strstr(amdbare_last_error(), "not inside the buffer"), "%s",
		  amdbare_last_error());
	cr_expect_eq(amdbare_checksum_gpu(dev, bo, 8193, 0, &v), -EINVAL);
	cr_expect_eq(amdbare_checksum_gpu(dev, bo, 1, UINT64_MAX, &v), -EINVAL);
	cr_expect_eq(amdbare_checksum_gpu(dev, bo, UINT64_MAX, 2, &v), -EINVAL);
	cr_expect_eq(amdbare_checksum_gpu(NULL, bo, 0, 1, &v), -EINVAL);
	cr_expect_eq(amdbare_checksum_gpu(dev, NULL, 0, 1, &v), -EINVAL);
	cr_expect_eq(amdbare_checksum_gpu(dev, bo, 0, 1, NULL), -EINVAL);
	/* Refusals happen before the kernels are even loaded. */
	cr_expect_null(dev->kernel_modules);
	/* The edge itself is fine; an empty range at the end too. */
	cr_expect_eq(gpu_ck(dev, bo, 8191, 1), amdbare_checksum(map + 8191, 1));
	cr_expect_eq(gpu_ck(dev, bo, 8192, 0), amdbare_checksum(NULL, 0));
	amdbare_bo_free(bo);
	close_dev(dev);
}

/* One GPU checksum per vgpu profile: each embedded target with a profile
 * (gfx1103, gfx1150, gfx1151, gfx1152, gfx1100; gfx10.3 below) runs its
 * own object. */
static void one_profile(const char *profile, const char *target)
{
	vgpu_test_require(); /* a real GPU is one target, not four */
	amdbare_device *dev = open_dev(profile);
	amdbare_device_info info;
	amdbare_device_get_info(dev, &info);
	cr_assert_str_eq(info.gfx_target, target);
	unsigned char *map;
	amdbare_bo *bo = make_buf(dev, AMDBARE_DOMAIN_VRAM, 100000, 77, &map);
	cr_expect_eq(gpu_ck(dev, bo, 5, 99990), amdbare_checksum(map + 5, 99990), "%s", profile);
	const struct kernel_module *m;
	cr_assert_eq(kernel_registry_module(dev, "util", &m), 0);
	cr_expect_str_eq(amdbare_codeobj_processor(m->codeobj), target);
	amdbare_bo_free(bo);
	close_dev(dev);
}

Test(profiles, p780m) { one_profile("780m", "gfx1103"); }
Test(profiles, p890m) { one_profile("890m", "gfx1150"); }
Test(profiles, p8060s) { one_profile("8060s", "gfx1151"); }
Test(profiles, p860m) { one_profile("860m", "gfx1152"); }
Test(profiles, p7900xtx) { one_profile("7900xtx", "gfx1100"); }

/* The gfx10.3 profiles run their own util objects (gfx1035, gfx1033,
 * gfx1030), each checked against the CPU.  A vgpu that does not model
 * gfx10.3 execution faults the first job and says so on stderr ("gfx10.3
 * command processor not modelled"), the library reporting the reset
 * (-ECANCELED): only then is the test skipped, saying why; any other
 * fault is a failure quoting the vgpu's message. */
static void one_profile_gfx103(const char *profile, const char *target)
{
	vgpu_test_require();
	amdbare_device *dev = open_dev(profile);
	amdbare_device_info info;
	amdbare_device_get_info(dev, &info);
	cr_assert_str_eq(info.gfx_target, target);
	unsigned char *map;
	amdbare_bo *bo = make_buf(dev, AMDBARE_DOMAIN_VRAM, 100000, 77, &map);
	uint64_t v = 0;
	struct stderr_capture cap;
	char log[2048];
	stderr_capture_begin(&cap);
	int r = amdbare_checksum_gpu(dev, bo, 5, 99990, &v);
	stderr_capture_end(&cap, log, sizeof(log));
	if (r == -ECANCELED && strstr(log, "command processor not modelled")) {
		char why[512];
		snprintf(why, sizeof(why), "%s (%s): the vgpu does not model this generation's "
			 "execution: the GPU checksum failed cleanly with -ECANCELED (%s)", profile,
			 target, amdbare_last_error());
		amdbare_bo_free(bo);
		close_dev(dev);
		fprintf(stderr, "SKIP: %s\n", why);
		cr_skip_test("%s", why);
	}
	cr_assert_eq(r, 0, "checksum_gpu on %s: %s; vgpu: %s", profile, amdbare_last_error(), log);
	cr_expect_eq(v, amdbare_checksum(map + 5, 99990), "%s", profile);
	const struct kernel_module *m;
	cr_assert_eq(kernel_registry_module(dev, "util", &m), 0);
	cr_expect_str_eq(amdbare_codeobj_processor(m->codeobj), target);
	amdbare_bo_free(bo);
	close_dev(dev);
}

Test(profiles, p680m) { one_profile_gfx103("680m", "gfx1035"); }
Test(profiles, pdeck) { one_profile_gfx103("deck", "gfx1033"); }
Test(profiles, p6800xt) { one_profile_gfx103("6800xt", "gfx1030"); }
/* The gfx9 profiles the same way with their own gfx902/gfx90c/gfx906/gfx90a util
 * objects (wave64). */
Test(profiles, praven) { one_profile_gfx103("raven", "gfx902"); }
Test(profiles, pcezanne) { one_profile_gfx103("cezanne", "gfx90c"); }
Test(profiles, pmi50) { one_profile_gfx103("mi50", "gfx906"); }
Test(profiles, pmi210) { one_profile_gfx103("mi210", "gfx90a"); }

/* The case the checksum exists for: data copied by the DMA engine into VRAM
 * the CPU cannot see (a dGPU's VRAM past its 256 MiB BAR), proven equal to
 * the source without reading it back. */
Test(profiles, invisible_vram_7900xtx)
{
	amdbare_device *dev = open_dev("7900xtx");
	enum { N = 300000 };
	unsigned char *src_map;
	amdbare_bo *src = make_buf(dev, AMDBARE_DOMAIN_GTT, N, 123, &src_map);
	amdbare_bo_create_info ci = {.size = N, .domains = AMDBARE_DOMAIN_VRAM,
				     .flags = AMDBARE_BO_NO_CPU_ACCESS};
	amdbare_bo *dst;
	cr_assert_eq(amdbare_bo_create(dev, &ci, &dst), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_copy(dev, dst, 0, src, 0, N), 0, "%s", amdbare_last_error());
	cr_expect_eq(gpu_ck(dev, dst, 9, N - 9), amdbare_checksum(src_map + 9, N - 9));
	amdbare_bo_free(dst);
	amdbare_bo_free(src);
	close_dev(dev);
}

/* ---- fill and copy kernels ---------------------------------------------------- */

Test(util_kernels, fill_and_copy)
{
	amdbare_device *dev = open_dev("780m");
	enum { N = 12345 }; /* dwords: not a multiple of 4 */
	unsigned char *a, *b;
	amdbare_bo *src = make_buf(dev, AMDBARE_DOMAIN_GTT, 4 * N + 4096, 11, &a);
	amdbare_bo *dst = make_buf(dev, AMDBARE_DOMAIN_VRAM, 4 * N + 4096, 12, &b);
	const struct kernel_module *m;
	cr_assert_eq(kernel_registry_module(dev, "util", &m), 0, "%s", amdbare_last_error());

	uint64_t count = N;
	uint32_t value = 0xdeadbeefu;
	amdbare_karg fargs[] = {amdbare_karg_buffer(dst, 4), amdbare_karg_value(&count, 8),
				amdbare_karg_value(&value, 4)};
	amdbare_dispatch_info di = {.grid = {7, 1, 1}, .block = {256, 1, 1}, .args = fargs,
				    .arg_count = 3};
	cr_assert_eq(kernel_registry_kernel(m, "fill_u32", &di), 0);
	cr_assert_eq(amdbare_dispatch(dev, &di), 0, "fill: %s", amdbare_last_error());
	for (size_t i = 0; i < N; i++) {
		uint32_t w;
		memcpy(&w, b + 4 + 4 * i, 4);
		cr_assert_eq(w, value, "fill: dword %zu", i);
	}
	uint32_t after;
	memcpy(&after, b + 4 + 4 * N, 4);
	cr_expect_neq(after, value, "fill wrote past its range");

	amdbare_karg cargs[] = {amdbare_karg_buffer(dst, 8), amdbare_karg_buffer(src, 4),
				amdbare_karg_value(&count, 8)};
	di.args = cargs;
	cr_assert_eq(kernel_registry_kernel(m, "copy_u32", &di), 0);
	cr_assert_eq(amdbare_dispatch(dev, &di), 0, "copy: %s", amdbare_last_error());
	cr_expect_eq(memcmp(b + 8, a + 4, 4 * N), 0, "copy differs");
	uint32_t first;
	memcpy(&first, b + 4, 4);
	cr_expect_eq(first, value, "copy wrote before its range");
	amdbare_bo_free(src);
	amdbare_bo_free(dst);
	close_dev(dev);
}
