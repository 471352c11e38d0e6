/*
 * The vgpu's instance file left by another vgpu build (memory/shared.c,
 * memory/shared_stale.c): a shared-state file of another layout that no
 * process maps is replaced by a fresh device at the next open, so an
 * upgrade does not leave `amdbare --vgpu` refusing until someone removes
 * /dev/shm/amdbare-vgpu-* by hand; one a process still maps is refused
 * with EINVAL and left as it is.  vgpu-only.
 */
#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The first two words of the shared state: magic "vmem" and the layout
 * version (tools/vgpu/memory/internal.h, MEM_SHM_MAGIC / MEM_SHM_VERSION;
 * the vgpu's own headers are not the tests' to include). */
#define SHM_MAGIC 0x6d656d76u
#define OLD_LAYOUT_VERSION 1u
#define OLD_LAYOUT_BYTES 8192

static char shm_path[128];

static void setup(void)
{
	vgpu_test_require();
	vgpu_test_use_profile("780m", NULL);
	snprintf(shm_path, sizeof(shm_path), "/dev/shm/amdbare-vgpu-%s",
		 getenv("AMDBARE_VGPU_INSTANCE"));
}

TestSuite(vgpu_instance, .init = setup, .fini = vgpu_test_cleanup);

/* Writes a shared-state file the way an older build left it: our magic,
 * version 1, another size. */
static void write_old_layout(void)
{
	int fd = open(shm_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	cr_assert_geq(fd, 0, "create %s: %s", shm_path, strerror(errno));
	uint32_t head[2] = { SHM_MAGIC, OLD_LAYOUT_VERSION };
	cr_assert_eq(pwrite(fd, head, sizeof(head), 0), (ssize_t)sizeof(head));
	cr_assert_eq(ftruncate(fd, OLD_LAYOUT_BYTES), 0);
	close(fd);
}

static off_t file_size(void)
{
	struct stat st;
	cr_assert_eq(stat(shm_path, &st), 0, "stat %s: %s", shm_path, strerror(errno));
	return st.st_size;
}

static int open_render_node(void)
{
	return open("/dev/dri/renderD128", O_RDWR | O_CLOEXEC);
}

Test(vgpu_instance, unused_file_of_another_build_is_replaced)
{
	write_old_layout();
	int fd = open_render_node();
	cr_assert_geq(fd, 0, "the open must replace the unused old file: %s", strerror(errno));
	close(fd);
	cr_expect_neq(file_size(), OLD_LAYOUT_BYTES, "the file must now be this build's layout");
}

Test(vgpu_instance, file_of_another_build_still_mapped_is_kept)
{
	write_old_layout();
	/* This process maps it, as a running process of the old build would. */
	int hold = open(shm_path, O_RDONLY | O_CLOEXEC);
	cr_assert_geq(hold, 0);
	void *m = mmap(NULL, OLD_LAYOUT_BYTES, PROT_READ, MAP_SHARED, hold, 0);
	cr_assert_neq(m, MAP_FAILED);
	close(hold);
	int fd = open_render_node();
	int err = errno;
	cr_expect_lt(fd, 0, "a file in use by another build must be refused");
	cr_expect_eq(err, EINVAL, "refused with %s, want EINVAL", strerror(err));
	cr_expect_eq(file_size(), OLD_LAYOUT_BYTES, "the file in use must be left as it is");
	munmap(m, OLD_LAYOUT_BYTES);
	if (fd >= 0)
		close(fd);
}

Test(vgpu_instance, file_not_ours_is_refused_and_kept)
{
	/* Same name, no vgpu magic: not ours to replace. */
	int fd = open(shm_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, OLD_LAYOUT_BYTES), 0);
	close(fd);
	int r = open_render_node();
	int err = errno;
	cr_expect_lt(r, 0);
	cr_expect_eq(err, EINVAL);
	cr_expect_eq(file_size(), OLD_LAYOUT_BYTES);
	if (r >= 0)
		close(r);
}
