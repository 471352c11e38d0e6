/*
 * The VRAM pool: backing files whose pages outlive the BOs they back.
 *
 * Real VRAM (an APU's carve-out included) is memory the device has from
 * boot; creating a BO in it allocates nothing and, unless the BO asks for
 * AMDGPU_GEM_CREATE_VRAM_CLEARED, writes nothing.  A fresh memfd per BO
 * instead makes the host allocate and zero a page at the first touch of
 * every 4 KiB, which made a model load several times slower than copying
 * the same file into /dev/shm.  So a VRAM BO of MEM_VRAM_POOL_MIN bytes or
 * more is backed by a file of the pool, /dev/shm/amdbare-vgpu-<instance>-
 * vram-<n>: when the BO is freed the file keeps its pages, and the next VRAM
 * BO (of any process of the instance) takes the free file that fits best
 * and writes into pages the host already has.
 *
 * Still sparse: a file only holds the pages a BO ever touched (a huge BO
 * that nobody writes costs nothing), its length is set to each new BO's
 * size (pages beyond are given back), and free files are kept only while
 * together they are no longer than the device's VRAM; a file freed beyond
 * that is removed.  Files live as long as the instance: they are removed
 * with it (a fresh device removes any left over).
 *
 * Contents, as the kernel leaves them: amdgpu_bo_create clears a new BO
 * in VRAM only with AMDGPU_GEM_CREATE_VRAM_CLEARED (amdgpu_fill_buffer in
 * 6.1 and 6.8, amdgpu_ttm_clear_buffer later); from 6.11 on
 * amdgpu_gem_create_ioctl sets that flag for every user BO ("always clear
 * VRAM").  Without it a new BO shows what the VRAM held before, the
 * previous BO's bytes included: the vgpu does the same.  GTT and system
 * memory BOs keep their own memfds, whose fresh pages are zero, as
 * ttm_tt_create asks TTM for zeroed pages (TTM_TT_FLAG_ZERO_ALLOC) for
 * every ttm_bo_type_device BO.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <libdrm/amdgpu_drm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define POOL_PREFIX "/dev/shm/amdbare-vgpu-"

void mem_vram_pool_path(uint32_t index, char *buf, size_t cap)
{
	snprintf(buf, cap, POOL_PREFIX "%s-vram-%u", mem_instance_name(), index);
}

bool mem_vram_clears(uint64_t flags)
{
	/* amdgpu_gem_create_ioctl of 6.11+: "always clear VRAM" */
	const struct vgpu_profile *p = vgpu_profile_get(NULL);
	if (p && p->kernel >= VGPU_KERNEL_6_12)
		return true;
	/* amdgpu_bo_create: VRAM_CLEARED && resource in VRAM */
	return (flags & AMDGPU_GEM_CREATE_VRAM_CLEARED) != 0;
}

/* Bytes that free files hold at most (their lengths).  Shared lock. */
static uint64_t free_bytes(void)
{
	struct mem_shared *s = mem_shared();
	uint64_t n = 0;
	for (uint32_t i = 0; i < MEM_VRAM_FILES; i++)
		if (s->vram_file[i].exists && !s->vram_file[i].gid)
			n += s->vram_file[i].size;
	return n;
}

uint32_t mem_vram_pool_take(struct mem_gbo *g)
{
	struct mem_shared *s = mem_shared();
	if (g->mem_type != MEM_PL_VRAM || g->size < MEM_VRAM_POOL_MIN)
		return 0;
	int best = -1, largest = -1, unused = -1;
	for (int i = 0; i < MEM_VRAM_FILES; i++) {
		struct mem_vram_file *f = &s->vram_file[i];
		if (!f->exists) {
			if (unused < 0)
				unused = i;
			continue;
		}
		/* a file whose BO is gone is free (a process that died while
		 * it held the lock may have left the mark behind) */
		if (f->gid && !mem_gbo_get(f->gid))
			f->gid = 0;
		if (f->gid)
			continue;
		if (f->size >= g->size && (best < 0 || f->size < s->vram_file[best].size))
			best = i;
		if (largest < 0 || f->size > s->vram_file[largest].size)
			largest = i;
	}
	int k = best >= 0 ? best : largest >= 0 ? largest : unused;
	if (k < 0)
		return 0; /* every file backs a BO: this one gets a memfd */
	s->vram_file[k].gid = g->id;
	g->vram_file = (uint32_t)k + 1;
	return g->vram_file;
}

void mem_vram_pool_drop(uint32_t vf)
{
	struct mem_shared *s = mem_shared();
	if (!vf || vf > MEM_VRAM_FILES)
		return;
	struct mem_vram_file *f = &s->vram_file[vf - 1];
	char path[256];
	mem_vram_pool_path(vf - 1, path, sizeof(path));
	unlink(path);
	memset(f, 0, sizeof(*f));
}

void mem_vram_pool_put(struct mem_gbo *g)
{
	struct mem_shared *s = mem_shared();
	uint32_t vf = g->vram_file;
	g->vram_file = 0;
	if (!vf || vf > MEM_VRAM_FILES || s->vram_file[vf - 1].gid != g->id)
		return;
	struct mem_vram_file *f = &s->vram_file[vf - 1];
	f->gid = 0;
	/* keep no more free pages than the device has VRAM */
	if (free_bytes() > s->vram_size)
		mem_vram_pool_drop(vf);
}

/* Zeroes the pages file `fd` holds in [0, size): holes read as zero
 * already and stay holes (lseek SEEK_DATA/SEEK_HOLE finds the rest). */
static int zero_present(int fd, uint64_t size)
{
	static const char zeros[1 << 20];
	off_t at = 0;
	while ((uint64_t)at < size) {
		off_t data = lseek(fd, at, SEEK_DATA);
		if (data < 0)
			return errno == ENXIO ? 0 : -errno;
		off_t hole = lseek(fd, data, SEEK_HOLE);
		if (hole < 0)
			return -errno;
		if ((uint64_t)hole > size)
			hole = (off_t)size;
		for (off_t o = data; o < hole;) {
			size_t n = (size_t)(hole - o) < sizeof(zeros) ? (size_t)(hole - o) : sizeof(zeros);
			ssize_t w = pwrite(fd, zeros, n, o);
			if (w <= 0)
				return w < 0 ? -errno : -EIO;
			o += w;
		}
		at = hole;
	}
	return 0;
}

int mem_vram_pool_open(uint32_t vf, uint64_t size, bool clear, uint64_t *ino, uint64_t *dev)
{
	char path[256];
	mem_vram_pool_path(vf - 1, path, sizeof(path));
	/* A file in /dev/shm counts against that tmpfs's size, which a
	 * memfd does not: a BO that might not fit there gets a memfd, so a
	 * write into it never meets SIGBUS for lack of room. */
	struct statvfs sv;
	if (statvfs("/dev/shm", &sv) == 0 && (uint64_t)sv.f_bavail * sv.f_frsize < size)
		return -ENOSPC;
	int fd = vgpu_real_open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	struct stat st;
	int r = 0;
	if (vgpu_real_fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || ftruncate(fd, (off_t)size) != 0)
		r = errno ? -errno : -EINVAL;
	if (!r && clear)
		r = zero_present(fd, size);
	if (r) {
		vgpu_real_close(fd);
		return r;
	}
	*ino = st.st_ino;
	*dev = st.st_dev;
	return fd;
}

void mem_vram_pool_reset(void)
{
	char path[256];
	for (uint32_t i = 0; i < MEM_VRAM_FILES; i++) {
		mem_vram_pool_path(i, path, sizeof(path));
		unlink(path);
	}
}

uint32_t mem_vram_pool_gid(const char *path)
{
	struct mem_shared *s = mem_shared();
	char want[256];
	mem_vram_pool_path(0, want, sizeof(want));
	size_t plen = strlen(want) - 1; /* up to the index */
	if (!s || strncmp(path, want, plen) != 0)
		return 0;
	char *end;
	unsigned long k = strtoul(path + plen, &end, 10);
	if (end == path + plen || (*end && *end != ' ' && *end != '\n') || k >= MEM_VRAM_FILES)
		return 0;
	return s->vram_file[k].exists ? s->vram_file[k].gid : 0;
}
