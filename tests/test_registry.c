/*
 * The buffer registry (src/bo/registry.c, include/amdbare_diag.h): a
 * buffer shows up in this process's segment with its name, domain, size
 * and GPU address, and leaves it when freed; a reader refuses segments
 * that are malformed or outlived their process.  The render-file listing
 * (amdbare_gpu_clients) finds this process's open device once, although
 * libdrm holds a dup() of its fd.
 */
#include "amdbare.h"
#include "amdbare_diag.h"
#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static amdbare_device *dev;

static void setup(void)
{
	vgpu_test_require();
	cr_assert_eq(amdbare_device_open(0, &dev), 0, "%s", amdbare_last_error());
}

static void teardown(void)
{
	amdbare_device_close(dev);
}

TestSuite(registry, .init = setup, .fini = teardown);

Test(registry, a_buffer_is_listed_named_and_removed)
{
	amdbare_bo_create_info ci = {.size = 1 << 20, .domains = AMDBARE_DOMAIN_VRAM};
	amdbare_bo *bo;
	cr_assert_eq(amdbare_bo_create(dev, &ci, &bo), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_bo_set_name(bo, "weights.0"), 0);
	uint64_t va;
	cr_assert_eq(amdbare_bo_gpu_map(bo, AMDBARE_VA_READ, &va), 0, "%s", amdbare_last_error());
	amdbare_registry_buffer b[8];
	uint32_t total;
	bool trunc;
	int n = amdbare_registry_read(getpid(), b, 8, &total, &trunc);
	cr_assert_eq(n, 1, "%d: %s", n, amdbare_last_error());
	cr_expect_eq(total, 1);
	cr_expect(!trunc);
	cr_expect_str_eq(b[0].name, "weights.0");
	cr_expect_eq(b[0].size, 1 << 20);
	cr_expect_eq(b[0].domains, AMDBARE_DOMAIN_VRAM);
	cr_expect_eq(b[0].placed_domain, AMDBARE_DOMAIN_VRAM);
	cr_expect_eq(b[0].gpu_va, va);
	cr_expect_eq(b[0].handle, amdbare_bo_handle(bo));
	/* a reader given room for none still learns how many there are */
	cr_expect_eq(amdbare_registry_read(getpid(), NULL, 0, &total, &trunc), 0);
	cr_expect_eq(total, 1);
	cr_expect(trunc);
	amdbare_bo_free(bo);
	n = amdbare_registry_read(getpid(), b, 8, &total, &trunc);
	cr_expect_eq(n, 0);
	cr_expect_eq(total, 0);
}

Test(registry, this_process_is_one_client_with_its_memory)
{
	amdbare_bo_create_info ci = {.size = 4 << 20, .domains = AMDBARE_DOMAIN_GTT};
	amdbare_bo *bo;
	cr_assert_eq(amdbare_bo_create(dev, &ci, &bo), 0, "%s", amdbare_last_error());
	amdbare_gpu_client c[64];
	int n = amdbare_gpu_clients(c, 64);
	cr_assert(n >= 1, "%d: %s", n, amdbare_last_error());
	int mine = 0;
	for (int i = 0; i < n && i < 64; i++)
		if (c[i].pid == getpid()) {
			mine++;
			cr_expect(c[i].has_usage);
			cr_expect_eq(c[i].usage.gtt, 4 << 20);
			cr_expect_str_eq(c[i].node, "/dev/dri/renderD128");
		}
	cr_expect_eq(mine, 1, "this process listed %d times", mine);
	amdbare_bo_free(bo);
}

/* A segment for pid, holding `bytes` copied from our own one with a few
 * bytes changed. */
static void forge(int pid, size_t at, const void *patch, size_t plen)
{
	char own[64], other[64];
	snprintf(own, sizeof(own), "/amdbare-registry-%d", getpid());
	snprintf(other, sizeof(other), "/amdbare-registry-%d", pid);
	int fd = shm_open(own, O_RDONLY, 0);
	cr_assert(fd >= 0, "no own registry segment");
	struct stat st;
	cr_assert_eq(fstat(fd, &st), 0);
	uint8_t *img = malloc((size_t)st.st_size);
	cr_assert(img);
	cr_assert_eq(read(fd, img, (size_t)st.st_size), st.st_size);
	close(fd);
	int32_t p = pid;
	memcpy(img + 16, &p, 4); /* header: magic[8], version, cap, pid */
	memcpy(img + at, patch, plen);
	fd = shm_open(other, O_CREAT | O_TRUNC | O_RDWR, 0600);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, img, (size_t)st.st_size), st.st_size);
	close(fd);
	free(img);
}

Test(registry, a_reader_trusts_nothing)
{
	amdbare_bo_create_info ci = {.size = 65536, .domains = AMDBARE_DOMAIN_GTT};
	amdbare_bo *bo;
	cr_assert_eq(amdbare_bo_create(dev, &ci, &bo), 0, "%s", amdbare_last_error());
	int pid = getppid(); /* alive, and no libamdbare process */
	char name[64];
	snprintf(name, sizeof(name), "/amdbare-registry-%d", pid);
	amdbare_registry_buffer b[4];
	uint32_t total;
	bool trunc;
	/* our own segment under the parent's pid: the start time differs */
	forge(pid, 0, "ABREG01", 8);
	cr_expect_eq(amdbare_registry_read(pid, b, 4, &total, &trunc), -ESTALE, "%s",
		     amdbare_last_error());
	/* a wrong magic */
	forge(pid, 0, "XXXXXXX", 8);
	cr_expect_eq(amdbare_registry_read(pid, b, 4, &total, &trunc), -EBADMSG);
	shm_unlink(name);
	cr_expect_eq(amdbare_registry_read(pid, b, 4, &total, &trunc), -ENOENT);
	amdbare_bo_free(bo);
}
