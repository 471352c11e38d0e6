/*
 * The vgpu's libc boundary, seen the way ordinary programs see a render
 * node: raw libc calls and libdrm, never the amdbare library.
 *
 * Expected values are those of the "780m" profile (Radeon 780M, Phoenix:
 * PCI 1002:15bf at 0000:c4:00.0, GC 11.0.1).
 */
#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <drm.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xf86drm.h>
#include <amdgpu_drm.h>

#define RENDER "/dev/dri/renderD128"
#define CARD "/dev/dri/card0"
#define SYSDEV "/sys/class/drm/renderD128/device"
#define SLOT "0000:c4:00.0"

static void use_780m(void)
{
	vgpu_test_use_profile("780m", NULL);
}

static void cleanup(void)
{
	vgpu_test_cleanup();
}

TestSuite(vgpu_boundary, .init = use_780m, .fini = cleanup);

/* Reads a whole small file through open/read. */
static ssize_t slurp(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, cap - 1);
	int e = errno;
	close(fd);
	if (n < 0)
		return -e;
	buf[n] = '\0';
	return n;
}

static bool drm_version_works(int fd)
{
	char name[32] = "";
	struct drm_version v = { .name = name, .name_len = sizeof(name) - 1 };
	return ioctl(fd, DRM_IOCTL_VERSION, &v) == 0 && strcmp(name, "amdgpu") == 0;
}

Test(vgpu_boundary, nodes_are_drm_char_devices)
{
	vgpu_test_require();
	struct stat st;
	cr_assert_eq(stat(RENDER, &st), 0, "stat %s: %s", RENDER, strerror(errno));
	cr_assert(S_ISCHR(st.st_mode));
	cr_assert_eq(major(st.st_rdev), 226);
	cr_assert_eq(minor(st.st_rdev), 128);
	cr_assert_eq(st.st_mode & 0777, 0666);
	cr_assert_eq(stat(CARD, &st), 0);
	cr_assert(S_ISCHR(st.st_mode));
	cr_assert_eq(minor(st.st_rdev), 0);
	cr_assert_eq(stat("/dev/dri", &st), 0);
	cr_assert(S_ISDIR(st.st_mode));
	cr_assert_eq(lstat("/sys/dev/char/226:128", &st), 0);
	cr_assert(S_ISLNK(st.st_mode));
	cr_assert_eq(stat("/sys/dev/char/226:128/device/drm", &st), 0);
	cr_assert(S_ISDIR(st.st_mode));
	cr_assert_eq(access(RENDER, R_OK | W_OK), 0);
	/* a trailing slash asks for a directory */
	cr_assert_eq(stat(RENDER "/", &st), -1);
	cr_assert_eq(errno, ENOTDIR);
	cr_assert_eq(stat("/dev/dri/", &st), 0);
	cr_assert(S_ISDIR(st.st_mode));
	/* "link/" follows the link even for lstat */
	cr_assert_eq(lstat("/sys/dev/char/226:128/", &st), 0);
	cr_assert(S_ISDIR(st.st_mode));
}

Test(vgpu_boundary, dev_dri_lists_both_nodes)
{
	vgpu_test_require();
	DIR *d = opendir("/dev/dri");
	cr_assert_not_null(d, "opendir: %s", strerror(errno));
	int card = 0, render = 0, other = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (!strcmp(e->d_name, "card0")) {
			card++;
			cr_assert_eq(e->d_type, DT_CHR);
		} else if (!strcmp(e->d_name, "renderD128")) {
			render++;
		} else {
			other++;
		}
	}
	cr_assert_eq(closedir(d), 0);
	cr_assert_eq(card, 1);
	cr_assert_eq(render, 1);
	cr_assert_eq(other, 0);

	struct dirent **list;
	int n = scandir("/dev/dri", &list, NULL, alphasort);
	cr_assert_eq(n, 4, "scandir gave %d", n);  /* . .. card0 renderD128 */
	cr_assert_str_eq(list[2]->d_name, "card0");
	cr_assert_str_eq(list[3]->d_name, "renderD128");
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

Test(vgpu_boundary, sysfs_links_resolve_like_the_kernel)
{
	vgpu_test_require();
	char buf[PATH_MAX];
	ssize_t n = readlink("/sys/dev/char/226:128", buf, sizeof(buf) - 1);
	cr_assert_gt(n, 0);
	buf[n] = '\0';
	cr_assert(strstr(buf, "/" SLOT "/drm/renderD128") != NULL, "link %s", buf);
	n = readlink(SYSDEV "/subsystem", buf, sizeof(buf) - 1);
	cr_assert_gt(n, 0);
	buf[n] = '\0';
	cr_assert_str_eq(strrchr(buf, '/'), "/pci");
	n = readlink(SYSDEV "/driver", buf, sizeof(buf) - 1);
	cr_assert_gt(n, 0);
	buf[n] = '\0';
	cr_assert_str_eq(strrchr(buf, '/'), "/amdgpu");
	/* readlink of something that is not a link */
	cr_assert_eq(readlink(RENDER, buf, sizeof(buf)), -1);
	cr_assert_eq(errno, EINVAL);

	char *real = realpath("/sys/dev/char/226:128/device", NULL);
	cr_assert_not_null(real, "realpath: %s", strerror(errno));
	cr_assert_str_eq(real, "/sys/devices/pci0000:c4/" SLOT);
	free(real);
	cr_assert_not_null(realpath("/sys/class/drm/card0/device/../" SLOT "/drm/card0", buf));
	cr_assert_str_eq(buf, "/sys/devices/pci0000:c4/" SLOT "/drm/card0");
	cr_assert_not_null(realpath(SYSDEV "/driver", buf));
	cr_assert_str_eq(buf, "/sys/bus/pci/drivers/amdgpu");
	cr_assert_null(realpath("/dev/dri/renderD129", buf));
	cr_assert_eq(errno, ENOENT);
}

Test(vgpu_boundary, sysfs_attributes_carry_the_profile)
{
	vgpu_test_require();
	char buf[512];
	cr_assert_gt(slurp(SYSDEV "/vendor", buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "0x1002\n");
	cr_assert_gt(slurp(SYSDEV "/device", buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "0x15bf\n");
	cr_assert_gt(slurp(SYSDEV "/uevent", buf, sizeof(buf)), 0);
	cr_assert(strstr(buf, "DRIVER=amdgpu\n"), "%s", buf);
	cr_assert(strstr(buf, "PCI_ID=1002:15BF\n"), "%s", buf);
	cr_assert(strstr(buf, "PCI_SLOT_NAME=" SLOT "\n"), "%s", buf);
	cr_assert_gt(slurp(SYSDEV "/ip_discovery/die/0/GC/0/major", buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "11\n");
	cr_assert_gt(slurp(SYSDEV "/ip_discovery/die/0/GC/0/minor", buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "0\n");
	cr_assert_gt(slurp(SYSDEV "/ip_discovery/die/0/GC/0/revision", buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "1\n");

	/* The device model attaches the instance's shared memory state when
	 * the node is first opened; a real kernel needs no open fd for these
	 * attributes (a known gap of the device model, not of the boundary). */
	int fd = open(RENDER, O_RDWR | O_CLOEXEC);
	cr_assert_geq(fd, 0, "open: %s", strerror(errno));
	static const char *const attrs[] = {
		"mem_info_vram_total", "mem_info_vram_used", "mem_info_vis_vram_total",
		"mem_info_vis_vram_used", "mem_info_gtt_total", "mem_info_gtt_used",
		"gpu_busy_percent",
	};
	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		char path[256];
		snprintf(path, sizeof(path), SYSDEV "/%s", attrs[i]);
		FILE *f = fopen(path, "r");
		cr_assert_not_null(f, "fopen %s: %s", path, strerror(errno));
		unsigned long long v = 0;
		cr_assert_eq(fscanf(f, "%llu", &v), 1, "%s is not a number", path);
		fclose(f);
		if (strstr(attrs[i], "_total"))
			cr_assert_gt(v, 0, "%s", path);
	}
	/* kernfs_fop_open: no write method -> EACCES for writers */
	cr_assert_eq(open(SYSDEV "/mem_info_vram_total", O_WRONLY), -1);
	cr_assert_eq(errno, EACCES);
	struct stat st;
	cr_assert_eq(stat(SYSDEV "/no_such_attribute", &st), -1);
	cr_assert_eq(errno, ENOENT);
	close(fd);
}

Test(vgpu_boundary, drm_get_devices_finds_exactly_the_profile)
{
	vgpu_test_require();
	drmDevicePtr devs[8];
	int n = drmGetDevices2(0, devs, 8);
	cr_assert_eq(n, 1, "drmGetDevices2 returned %d", n);
	drmDevicePtr d = devs[0];
	cr_assert_eq(d->bustype, DRM_BUS_PCI);
	cr_assert_eq(d->deviceinfo.pci->vendor_id, 0x1002);
	cr_assert_eq(d->deviceinfo.pci->device_id, 0x15bf);
	cr_assert_eq(d->businfo.pci->bus, 0xc4);
	cr_assert_eq(d->available_nodes, (1 << DRM_NODE_PRIMARY) | (1 << DRM_NODE_RENDER));
	cr_assert_str_eq(d->nodes[DRM_NODE_RENDER], RENDER);
	cr_assert_str_eq(d->nodes[DRM_NODE_PRIMARY], CARD);
	drmFreeDevices(devs, n);

	/* drmGetDevice2 on an open fd: fstat + the same sysfs walk */
	int fd = open(RENDER, O_RDWR | O_CLOEXEC);
	cr_assert_geq(fd, 0, "open: %s", strerror(errno));
	drmDevicePtr one = NULL;
	cr_assert_eq(drmGetDevice2(fd, DRM_DEVICE_GET_PCI_REVISION, &one), 0);
	cr_assert_eq(one->deviceinfo.pci->device_id, 0x15bf);
	drmFreeDevice(&one);
	char *name = drmGetRenderDeviceNameFromFd(fd);
	cr_assert_not_null(name);
	cr_assert_str_eq(name, RENDER);
	free(name);
	close(fd);
}

Test(vgpu_boundary, node_fd_looks_like_the_node)
{
	vgpu_test_require();
	int fd = open(RENDER, O_RDWR | O_CLOEXEC);
	cr_assert_geq(fd, 0, "open: %s", strerror(errno));
	struct stat st;
	cr_assert_eq(fstat(fd, &st), 0);
	cr_assert(S_ISCHR(st.st_mode));
	cr_assert_eq(st.st_rdev, makedev(226, 128));
	struct stat byname;
	cr_assert_eq(stat(RENDER, &byname), 0);
	cr_assert_eq(st.st_ino, byname.st_ino);
	cr_assert_eq(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
	cr_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	char path[64], link[256];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(path, link, sizeof(link) - 1);
	cr_assert_gt(n, 0);
	link[n] = '\0';
	cr_assert_str_eq(link, RENDER);
	cr_assert(drm_version_works(fd));
	cr_assert_eq(close(fd), 0);
	/* The number is free again: ioctl on it is the kernel's EBADF. */
	cr_assert_eq(ioctl(fd, DRM_IOCTL_VERSION, NULL), -1);
	cr_assert_eq(errno, EBADF);
}

Test(vgpu_boundary, dup_shares_the_file_until_the_last_close)
{
	vgpu_test_require();
	int base = vgpu_test_open_objects(NULL, 0);
	int fd = open(RENDER, O_RDWR);
	cr_assert_geq(fd, 0, "open: %s", strerror(errno));
	int with_file = vgpu_test_open_objects(NULL, 0);
	cr_assert_gt(with_file, base, "opening the node adds an open object");

	int d1 = dup(fd);
	int d2 = fcntl(fd, F_DUPFD_CLOEXEC, 100);
	int d3 = dup2(fd, 200);
	int d4 = dup3(fd, 201, O_CLOEXEC);
	cr_assert_geq(d1, 0);
	cr_assert_geq(d2, 100);
	cr_assert_eq(d3, 200);
	cr_assert_eq(d4, 201);
	/* One description: no new device file was opened. */
	cr_assert_eq(vgpu_test_open_objects(NULL, 0), with_file);

	cr_assert_eq(close(fd), 0);
	cr_assert_eq(close(d1), 0);
	cr_assert_eq(close(d2), 0);
	/* dup2 over a node fd closes it: one of the references goes. */
	int devnull = open("/dev/null", O_RDONLY);
	cr_assert_geq(devnull, 0);
	cr_assert_eq(dup2(devnull, d3), d3);
	cr_assert_eq(close(d3), 0);
	close(devnull);

	/* Only d4 remains, and the file is still alive behind it. */
	cr_assert(drm_version_works(d4));
	cr_assert_eq(vgpu_test_open_objects(NULL, 0), with_file);
	cr_assert_eq(close(d4), 0);
	cr_assert_eq(vgpu_test_open_objects(NULL, 0), base, "released at the last close");
}

static void check_fdinfo_text(const char *text, int fd)
{
	cr_assert(strncmp(text, "pos:\t0\nflags:\t0", 15) == 0, "fdinfo:\n%s", text);
	cr_assert(strstr(text, "\nmnt_id:\t"), "fdinfo:\n%s", text);
	struct stat st;
	cr_assert_eq(fstat(fd, &st), 0);
	char ino[64];
	snprintf(ino, sizeof(ino), "\nino:\t%lu\n", (unsigned long)st.st_ino);
	cr_assert(strstr(text, ino), "fdinfo lacks %s:\n%s", ino + 1, text);
	cr_assert(strstr(text, "drm-driver:\tamdgpu\n"), "fdinfo:\n%s", text);
}

Test(vgpu_boundary, fdinfo_readable_by_open_and_fopen)
{
	vgpu_test_require();
	int fd = open(RENDER, O_RDWR | O_CLOEXEC);
	cr_assert_geq(fd, 0);
	char path[64], text[4096];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	cr_assert_gt(slurp(path, text, sizeof(text)), 0, "%s: %s", path, strerror(errno));
	check_fdinfo_text(text, fd);
	/* O_CLOEXEC shows in the flags, as in the kernel's fdinfo */
	unsigned int flags = 0;
	cr_assert_eq(sscanf(strstr(text, "flags:"), "flags:\t%o", &flags), 1);
	cr_assert(flags & O_CLOEXEC);
	cr_assert_eq(flags & O_ACCMODE, O_RDWR);

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)getpid(), fd);
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "fopen %s: %s", path, strerror(errno));
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	cr_assert_eq(fclose(f), 0);
	check_fdinfo_text(text, fd);
	close(fd);
	/* No longer a node fd: fdinfo is the real one (or gone) again. */
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	ssize_t r = slurp(path, text, sizeof(text));
	cr_assert(r < 0 || !strstr(text, "drm-driver"));
}

Test(vgpu_boundary, profile_none_has_no_dev_dri)
{
	vgpu_test_require();
	vgpu_test_use_profile("none", NULL);
	struct stat st;
	cr_assert_eq(stat("/dev/dri", &st), -1);
	cr_assert_eq(errno, ENOENT);
	cr_assert_null(opendir("/dev/dri"));
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(open(RENDER, O_RDWR), -1);
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(access("/sys/class/drm", F_OK), -1);
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(lstat("/sys/dev/char/226:128", &st), -1);
	cr_assert_eq(errno, ENOENT);
	cr_assert_leq(drmGetDevices2(0, NULL, 0), 0);
}

Test(vgpu_boundary, deny_open_gives_eacces)
{
	vgpu_test_require();
	vgpu_test_use_profile("780m", "AMDBARE_VGPU_DENY_OPEN", "1", NULL);
	struct stat st;
	cr_assert_eq(stat(RENDER, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0660);
	cr_assert_eq(open(RENDER, O_RDWR | O_CLOEXEC), -1);
	cr_assert_eq(errno, EACCES);
	cr_assert_null(fopen(RENDER, "r+"));
	cr_assert_eq(errno, EACCES);
	cr_assert_eq(access(RENDER, R_OK | W_OK), -1);
	cr_assert_eq(errno, EACCES);
	/* Discovery still works: only opening is refused. */
	cr_assert_eq(drmGetDevices2(0, NULL, 0), 1);
}

Test(vgpu_boundary, foreign_profile_is_not_amdgpu)
{
	vgpu_test_require();
	vgpu_test_use_profile("foreign", NULL);
	char buf[512];
	cr_assert_gt(slurp(SYSDEV "/uevent", buf, sizeof(buf)), 0);
	cr_assert(strstr(buf, "DRIVER=i915\n"), "%s", buf);
	cr_assert_gt(slurp(SYSDEV "/vendor", buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "0x8086\n");
	char real[PATH_MAX];
	cr_assert_not_null(realpath(SYSDEV "/driver", real));
	cr_assert_str_eq(strrchr(real, '/'), "/i915");
	struct stat st;
	cr_assert_eq(stat(SYSDEV "/mem_info_vram_total", &st), -1);
	cr_assert_eq(errno, ENOENT);
}

Test(vgpu_boundary, unrelated_paths_pass_through)
{
	vgpu_test_require();
	char tmpl[] = "/tmp/vgpu-boundary-XXXXXX";
	int fd = mkstemp(tmpl);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "hello", 5), 5);
	struct stat st;
	cr_assert_eq(fstat(fd, &st), 0);
	cr_assert(S_ISREG(st.st_mode));
	cr_assert_eq(st.st_size, 5);
	cr_assert_eq(close(fd), 0);
	cr_assert_eq(stat(tmpl, &st), 0);
	cr_assert_eq(st.st_size, 5);
	char buf[16];
	cr_assert_eq(slurp(tmpl, buf, sizeof(buf)), 5);
	cr_assert_str_eq(buf, "hello");
	FILE *f = fopen(tmpl, "r");
	cr_assert_not_null(f);
	fclose(f);
	char *rp = realpath(tmpl, NULL);
	cr_assert_not_null(rp);
	free(rp);
	cr_assert_eq(unlink(tmpl), 0);

	/* errno comes from the kernel untouched */
	cr_assert_eq(open("/nonexistent-dir/x", O_RDONLY), -1);
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(stat("/dev/null", &st), 0);
	cr_assert(S_ISCHR(st.st_mode));
	cr_assert_eq(st.st_rdev, makedev(1, 3));
	int nul = open("/dev/null", O_RDWR);
	cr_assert_geq(nul, 0);
	cr_assert_eq(ioctl(nul, DRM_IOCTL_VERSION, NULL), -1);
	cr_assert_eq(errno, ENOTTY);
	close(nul);
	cr_assert_eq(access("/sys/class", F_OK), 0);
	cr_assert_eq(readlink("/proc/self/exe", buf, sizeof(buf)) > 0, true);
	/* Anonymous mappings are untouched */
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	cr_assert_neq(p, MAP_FAILED);
	cr_assert_eq(munmap(p, 4096), 0);
}

static void *open_dup_close_loop(void *arg)
{
	(void)arg;
	for (int i = 0; i < 200; i++) {
		int fd = open(RENDER, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			return (void *)"open failed";
		int d = dup(fd);
		if (d < 0 || !drm_version_works(d))
			return (void *)"dup/ioctl failed";
		struct stat st;
		if (fstat(fd, &st) || st.st_rdev != makedev(226, 128))
			return (void *)"fstat is not the node";
		close(fd);
		if (!drm_version_works(d))
			return (void *)"file released while a dup was open";
		close(d);
	}
	return NULL;
}

Test(vgpu_boundary, fd_table_is_thread_safe)
{
	vgpu_test_require();
	int base = vgpu_test_open_objects(NULL, 0);
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, open_dup_close_loop, NULL), 0);
	for (int i = 0; i < 4; i++) {
		void *err;
		pthread_join(t[i], &err);
		cr_assert_null(err, "thread %d: %s", i, err ? (const char *)err : "");
	}
	cr_assert_eq(vgpu_test_open_objects(NULL, 0), base);
}

Test(vgpu_boundary, fork_child_can_use_the_layer)
{
	vgpu_test_require();
	int fd = open(RENDER, O_RDWR);
	cr_assert_geq(fd, 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct stat st;
		int ok = stat(CARD, &st) == 0 && S_ISCHR(st.st_mode) &&
			 fstat(fd, &st) == 0 && st.st_rdev == makedev(226, 128) &&
			 drm_version_works(fd);
		_exit(ok ? 0 : 1);
	}
	int status = 0;
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
	cr_assert(drm_version_works(fd));
	close(fd);
}

Test(vgpu_boundary, mmap_of_the_node_maps_the_buffer)
{
	vgpu_test_require();
	int fd = open(RENDER, O_RDWR | O_CLOEXEC);
	cr_assert_geq(fd, 0);
	union drm_amdgpu_gem_create create = { .in = {
		.bo_size = 1 << 20, .alignment = 4096,
		.domains = AMDGPU_GEM_DOMAIN_GTT,
	} };
	cr_assert_eq(ioctl(fd, DRM_IOCTL_AMDGPU_GEM_CREATE, &create), 0,
		     "GEM_CREATE: %s", strerror(errno));
	union drm_amdgpu_gem_mmap map = { .in = { .handle = create.out.handle } };
	cr_assert_eq(ioctl(fd, DRM_IOCTL_AMDGPU_GEM_MMAP, &map), 0,
		     "GEM_MMAP: %s", strerror(errno));
	uint64_t off = map.out.addr_ptr;
	unsigned char *a = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)off);
	cr_assert_neq(a, MAP_FAILED, "mmap: %s", strerror(errno));
	unsigned char *b = mmap64(NULL, 1 << 20, PROT_READ, MAP_SHARED, fd, (off64_t)off);
	cr_assert_neq(b, MAP_FAILED, "mmap64: %s", strerror(errno));
	a[12345] = 0x5a;
	cr_assert_eq(b[12345], 0x5a, "both mappings see the same buffer");
	cr_assert_eq(munmap(b, 1 << 20), 0);
	cr_assert_eq(munmap(a, 1 << 20), 0);
	/* An offset no object owns is refused (drm_gem_mmap) */
	cr_assert_eq(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, (off_t)off + (64 << 20)),
		     MAP_FAILED);
	struct drm_gem_close gc = { .handle = create.out.handle };
	cr_assert_eq(ioctl(fd, DRM_IOCTL_GEM_CLOSE, &gc), 0);
	close(fd);
}

Test(vgpu_boundary, fd_closed_behind_our_back_is_forgotten)
{
	vgpu_test_require();
	int base = vgpu_test_open_objects(NULL, 0);
	int fd = open(RENDER, O_RDWR);
	cr_assert_geq(fd, 0);
	/* fclose() closes the fd inside libc, where no interposer sees it. */
	FILE *f = fdopen(fd, "r+");
	cr_assert_not_null(f);
	cr_assert_eq(fclose(f), 0);
	/* The number is reused by an unrelated file... */
	int other = open("/dev/null", O_RDWR);
	cr_assert_eq(other, fd, "expected the lowest free fd to be reused");
	/* ...which must not be taken for the node. */
	cr_assert_eq(ioctl(other, DRM_IOCTL_VERSION, NULL), -1);
	cr_assert_eq(errno, ENOTTY);
	struct stat st;
	cr_assert_eq(fstat(other, &st), 0);
	cr_assert_eq(st.st_rdev, makedev(1, 3));
	close(other);
	cr_assert_eq(vgpu_test_open_objects(NULL, 0), base, "the node file was released");
}

/* close(-1) with a node open (so the fd table has free slots, whose
 * marker is -1): EBADF as from libc, the node fd untouched. */
Test(vgpu_boundary, close_minus_one_is_ebadf)
{
	vgpu_test_require();
	int fd = open(RENDER, O_RDWR);
	cr_assert_geq(fd, 0, "open: %s", strerror(errno));
	errno = 0;
	cr_assert_eq(close(-1), -1);
	cr_assert_eq(errno, EBADF);
	errno = 0;
	cr_assert_eq(close(-5), -1);
	cr_assert_eq(errno, EBADF);
	errno = 0;
	cr_assert_eq(dup2(-1, 300), -1);
	cr_assert_eq(errno, EBADF);
	cr_assert(drm_version_works(fd), "the node fd still works");
	cr_assert_eq(close(fd), 0);
}

/* The PCI `remove` attribute is left out (docs/vgpu.md): the vgpu models
 * no hot unplug, so the file is absent rather than a write that would
 * pretend to remove the device. */
Test(vgpu_boundary, pci_remove_attribute_is_absent)
{
	vgpu_test_require();
	char path[320];
	struct stat st;
	/* the device directory exists, its remove attribute does not */
	DIR *d = opendir("/sys/bus/pci/devices");
	cr_assert_not_null(d);
	struct dirent *e;
	bool found = false;
	while ((e = readdir(d))) {
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/drm/card0", e->d_name);
		if (stat(path, &st) != 0)
			continue;
		found = true;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/remove", e->d_name);
		errno = 0;
		cr_assert_eq(stat(path, &st), -1, "%s exists", path);
		cr_assert_eq(errno, ENOENT);
	}
	closedir(d);
	cr_assert(found, "the vgpu's PCI device is listed");
}
