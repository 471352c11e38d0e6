/*
 * libFuzzer target for the vgpu's command processors: the PM4 decoder of
 * the compute ring (and the shader core behind DISPATCH_DIRECT) and the
 * SDMA decoder.  Command streams are untrusted input to the virtual device
 * exactly as they are to the kernel and the firmware: any IB must end as a
 * completed job or a GPU fault/hang, never a crash, a hang of the process,
 * or an access outside the memory the submission's VM maps.
 *
 * The vgpu is linked into this program (everything but its libc
 * interposers) and driven through its device seam (vgpu_dev_open /
 * vgpu_dev_ioctl / vgpu_dev_mmap) with the real uapi structures, so the
 * path an input takes is the one a CS ioctl takes: chunk parsing, BO list,
 * the ring thread, the command processor, the VM.
 *
 * Input: byte 0 selects the ring (even: compute, odd: SDMA); the rest, up to
 * IB_BYTES, is the IB.  A second buffer (DATA_VA) is mapped read-write for
 * the stream to point at; its first bytes are reset before each run so runs
 * stay independent.  A job that faults makes its context guilty; the
 * context is then replaced, as a client would after a reset.
 */
#include "vgpu_device.h"

#include <amdgpu_drm.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define IB_BYTES (16u << 10)
#define DATA_BYTES (256u << 10)
#define IB_VA 0x400000ull
#define DATA_VA 0x800000ull

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vgpu_file *file;
static uint32_t ib_handle, data_handle, ctx_id;
static uint8_t *ib_cpu, *data_cpu;

static void die(const char *what, int err)
{
	fprintf(stderr, "fuzz_vgpu_cmd: %s: %s\n", what, strerror(-err));
	abort();
}

static uint32_t gem_create(uint64_t size)
{
	union drm_amdgpu_gem_create c = {0};
	c.in.bo_size = size;
	c.in.alignment = 4096;
	c.in.domains = AMDGPU_GEM_DOMAIN_GTT;
	c.in.domain_flags = AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED;
	int r = vgpu_dev_ioctl(file, DRM_IOCTL_AMDGPU_GEM_CREATE, &c);
	if (r < 0)
		die("GEM_CREATE", r);
	return c.out.handle;
}

static uint8_t *cpu_map(uint32_t handle, uint64_t size)
{
	union drm_amdgpu_gem_mmap m = {0};
	m.in.handle = handle;
	int r = vgpu_dev_ioctl(file, DRM_IOCTL_AMDGPU_GEM_MMAP, &m);
	if (r < 0)
		die("GEM_MMAP", r);
	int fd = -1;
	off_t off = 0;
	r = vgpu_dev_mmap(file, m.out.addr_ptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, &fd, &off);
	if (r < 0)
		die("mmap", r);
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
	if (p == MAP_FAILED)
		die("mmap of the backing", -errno);
	return p;
}

static void gpu_map(uint32_t handle, uint64_t va, uint64_t size)
{
	struct drm_amdgpu_gem_va v = {
		.handle = handle, .operation = AMDGPU_VA_OP_MAP,
		.flags = AMDGPU_VM_PAGE_READABLE | AMDGPU_VM_PAGE_WRITEABLE |
			 AMDGPU_VM_PAGE_EXECUTABLE,
		.va_address = va, .offset_in_bo = 0, .map_size = size,
	};
	int r = vgpu_dev_ioctl(file, DRM_IOCTL_AMDGPU_GEM_VA, &v);
	if (r < 0)
		die("GEM_VA", r);
}

static void ctx_new(void)
{
	union drm_amdgpu_ctx c = {0};
	if (ctx_id) {
		c.in.op = AMDGPU_CTX_OP_FREE_CTX;
		c.in.ctx_id = ctx_id;
		int r = vgpu_dev_ioctl(file, DRM_IOCTL_AMDGPU_CTX, &c);
		if (r < 0)
			die("CTX free", r);
		memset(&c, 0, sizeof(c));
	}
	c.in.op = AMDGPU_CTX_OP_ALLOC_CTX;
	int r = vgpu_dev_ioctl(file, DRM_IOCTL_AMDGPU_CTX, &c);
	if (r < 0)
		die("CTX alloc", r);
	ctx_id = c.out.alloc.ctx_id;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char inst[64];
	snprintf(inst, sizeof(inst), "fuzz-cmd-%d", (int)getpid());
	setenv("AMDBARE_VGPU_INSTANCE", inst, 1);
	setenv("AMDBARE_VGPU_PROFILE", "780m", 0);
	/* A stream that waits forever is a hang after 20 ms, not a stall. */
	setenv("AMDBARE_VGPU_TIMEOUT_MS", "20", 0);
	int r = vgpu_dev_open(VGPU_MINOR_RENDER, O_RDWR | O_CLOEXEC, &file);
	if (r < 0)
		die("open of the render node", r);
	ib_handle = gem_create(IB_BYTES);
	data_handle = gem_create(DATA_BYTES);
	ib_cpu = cpu_map(ib_handle, IB_BYTES);
	data_cpu = cpu_map(data_handle, DATA_BYTES);
	gpu_map(ib_handle, IB_VA, IB_BYTES);
	gpu_map(data_handle, DATA_VA, DATA_BYTES);
	ctx_new();
	return 0;
}

static bool context_guilty(void)
{
	union drm_amdgpu_ctx c = {0};
	c.in.op = AMDGPU_CTX_OP_QUERY_STATE2;
	c.in.ctx_id = ctx_id;
	if (vgpu_dev_ioctl(file, DRM_IOCTL_AMDGPU_CTX, &c) < 0)
		return true;
	return c.out.state.flags != 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 5)
		return 0;
	uint32_t ip = (data[0] & 1) ? AMDGPU_HW_IP_DMA : AMDGPU_HW_IP_COMPUTE;
	size_t ib_len = (size - 1) & ~(size_t)3;
	if (ib_len > IB_BYTES)
		ib_len = IB_BYTES;
	memcpy(ib_cpu, data + 1, ib_len);
	memset(data_cpu, 0, 4096);

	struct drm_amdgpu_cs_chunk_ib ib = {
		.ip_type = ip, .va_start = IB_VA, .ib_bytes = (uint32_t)ib_len,
	};
	struct drm_amdgpu_bo_list_entry bos[2] = {
		{.bo_handle = ib_handle}, {.bo_handle = data_handle},
	};
	struct drm_amdgpu_bo_list_in list = {
		.operation = ~0u, .list_handle = ~0u, .bo_number = 2,
		.bo_info_size = sizeof(bos[0]), .bo_info_ptr = (uintptr_t)bos,
	};
	struct drm_amdgpu_cs_chunk chunks[2] = {
		{.chunk_id = AMDGPU_CHUNK_ID_IB, .length_dw = sizeof(ib) / 4,
		 .chunk_data = (uintptr_t)&ib},
		{.chunk_id = AMDGPU_CHUNK_ID_BO_HANDLES, .length_dw = sizeof(list) / 4,
		 .chunk_data = (uintptr_t)&list},
	};
	uint64_t chunk_ptrs[2] = {(uintptr_t)&chunks[0], (uintptr_t)&chunks[1]};
	union drm_amdgpu_cs cs = {0};
	cs.in.ctx_id = ctx_id;
	cs.in.num_chunks = 2;
	cs.in.chunks = (uintptr_t)chunk_ptrs;
	int r = vgpu_dev_ioctl(file, DRM_IOCTL_AMDGPU_CS, &cs);
	if (r == 0) {
		union drm_amdgpu_wait_cs w = {0};
		w.in.handle = cs.out.handle;
		w.in.ip_type = ip;
		w.in.ctx_id = ctx_id;
		/* An absolute deadline; negative as int64 means forever
		 * (amdgpu_gem_timeout).  The vgpu's watchdog ends a hang first. */
		w.in.timeout = ~0ull;
		r = vgpu_dev_ioctl(file, DRM_IOCTL_AMDGPU_WAIT_CS, &w);
		if (r == 0 && w.out.status != 0) {
			fprintf(stderr, "fuzz_vgpu_cmd: a job outlived its watchdog\n");
			abort();
		}
	}
	bool guilty = r < 0 || context_guilty();
	/* FUZZ_VGPU_CMD_VERBOSE=1: say how each input ended (to check seeds). */
	if (getenv("FUZZ_VGPU_CMD_VERBOSE"))
		fprintf(stderr, "fuzz_vgpu_cmd: %s ring, %zu bytes: %s (%d)\n",
			ip == AMDGPU_HW_IP_DMA ? "SDMA" : "compute", ib_len,
			r < 0 ? "rejected" : guilty ? "GPU fault/hang" : "completed", r);
	if (guilty)
		ctx_new();
	return 0;
}
