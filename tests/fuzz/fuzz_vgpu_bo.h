/*
 * What the three vgpu fuzz targets share (fuzz_vgpu_job.h for the fast
 * pm4/sdma harnesses, fuzz_vgpu_cmd.c end to end): the memory map every
 * input runs against and the ioctls that build it, through the vgpu's
 * device seam (base/vgpu_device.h).  A setup failure is not a finding: it
 * aborts with the target's name and what failed.
 *
 * Memory map: IB BO 16 KiB at 0x400000, data BO 256 KiB at 0x800000, both
 * GTT, CPU-mapped, GPU-mapped read/write/execute.
 *
 * Header-only (static functions): each target is one translation unit.
 */
#ifndef FUZZ_VGPU_BO_H
#define FUZZ_VGPU_BO_H

#include "base/vgpu_device.h"

#include <amdgpu_drm.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define FUZZ_IB_BYTES (16u << 10)
#define FUZZ_DATA_BYTES (256u << 10)
#define FUZZ_IB_VA 0x400000ull
#define FUZZ_DATA_VA 0x800000ull

/* The target's name, for setup failures (set before the first call). */
static const char *fuzz_name = "fuzz_vgpu";

static void fuzz_die(const char *what, int err)
{
	fprintf(stderr, "%s: %s: %s\n", fuzz_name, what, strerror(-err));
	abort();
}

static uint32_t fuzz_gem_create(struct vgpu_file *file, uint64_t size)
{
	union drm_amdgpu_gem_create c = {0};
	c.in.bo_size = size;
	c.in.alignment = 4096;
	c.in.domains = AMDGPU_GEM_DOMAIN_GTT;
	c.in.domain_flags = AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED;
	int r = vgpu_dev_ioctl(file, DRM_IOCTL_AMDGPU_GEM_CREATE, &c);
	if (r < 0)
		fuzz_die("GEM_CREATE", r);
	return c.out.handle;
}

static uint8_t *fuzz_cpu_map(struct vgpu_file *file, uint32_t handle, uint64_t size)
{
	union drm_amdgpu_gem_mmap m = {0};
	m.in.handle = handle;
	int r = vgpu_dev_ioctl(file, DRM_IOCTL_AMDGPU_GEM_MMAP, &m);
	if (r < 0)
		fuzz_die("GEM_MMAP", r);
	int fd = -1;
	off_t off = 0;
	uint32_t bo_id = 0;
	r = vgpu_dev_mmap(file, m.out.addr_ptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, &fd,
			  &off, &bo_id);
	if (r < 0)
		fuzz_die("mmap", r);
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
	/* as the boundary does: the mapping (kept for the process's life)
	 * holds its BO reference, or gives it back on failure */
	vgpu_dev_mmap_done(p, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off, bo_id);
	if (p == MAP_FAILED)
		fuzz_die("mmap of the backing", -errno);
	return p;
}

static void fuzz_gpu_map(struct vgpu_file *file, uint32_t handle, uint64_t va, uint64_t size)
{
	struct drm_amdgpu_gem_va v = {
		.handle = handle, .operation = AMDGPU_VA_OP_MAP,
		.flags = AMDGPU_VM_PAGE_READABLE | AMDGPU_VM_PAGE_WRITEABLE |
			 AMDGPU_VM_PAGE_EXECUTABLE,
		.va_address = va, .offset_in_bo = 0, .map_size = size,
	};
	int r = vgpu_dev_ioctl(file, DRM_IOCTL_AMDGPU_GEM_VA, &v);
	if (r < 0)
		fuzz_die("GEM_VA", r);
}

#endif /* FUZZ_VGPU_BO_H */
