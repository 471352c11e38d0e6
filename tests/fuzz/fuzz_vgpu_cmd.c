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
 * Input: byte 0 selects the ring (even: compute, odd: SDMA); the rest, up
 * to FUZZ_IB_BYTES, is the IB.  A second buffer (FUZZ_DATA_VA; the map is
 * in fuzz_vgpu_bo.h) is mapped read-write for the stream to point at; its first bytes are reset before each run so runs
 * stay independent.  A job that faults makes its context guilty; the
 * context is then replaced, as a client would after a reset.
 */
#include "fuzz_vgpu_bo.h"

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


int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vgpu_file *file;
static uint32_t ib_handle, data_handle, ctx_id;
static uint8_t *ib_cpu, *data_cpu;

static void ctx_new(void)
{
	union drm_amdgpu_ctx c = {0};
	if (ctx_id) {
		c.in.op = AMDGPU_CTX_OP_FREE_CTX;
		c.in.ctx_id = ctx_id;
		int r = vgpu_dev_ioctl(file, DRM_IOCTL_AMDGPU_CTX, &c);
		if (r < 0)
			fuzz_die("CTX free", r);
		memset(&c, 0, sizeof(c));
	}
	c.in.op = AMDGPU_CTX_OP_ALLOC_CTX;
	int r = vgpu_dev_ioctl(file, DRM_IOCTL_AMDGPU_CTX, &c);
	if (r < 0)
		fuzz_die("CTX alloc", r);
	ctx_id = c.out.alloc.ctx_id;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_name = "fuzz_vgpu_cmd";
	char inst[64];
	snprintf(inst, sizeof(inst), "fuzz-cmd-%d", (int)getpid());
	setenv("AMDBARE_VGPU_INSTANCE", inst, 1);
	setenv("AMDBARE_VGPU_PROFILE", "780m", 0);
	/* A stream that waits forever is a hang after 20 ms, not a stall. */
	setenv("AMDBARE_VGPU_TIMEOUT_MS", "20", 0);
	int r = vgpu_dev_open(VGPU_MINOR_RENDER, O_RDWR | O_CLOEXEC, &file);
	if (r < 0)
		fuzz_die("open of the render node", r);
	ib_handle = fuzz_gem_create(file, FUZZ_IB_BYTES);
	data_handle = fuzz_gem_create(file, FUZZ_DATA_BYTES);
	ib_cpu = fuzz_cpu_map(file, ib_handle, FUZZ_IB_BYTES);
	data_cpu = fuzz_cpu_map(file, data_handle, FUZZ_DATA_BYTES);
	fuzz_gpu_map(file, ib_handle, FUZZ_IB_VA, FUZZ_IB_BYTES);
	fuzz_gpu_map(file, data_handle, FUZZ_DATA_VA, FUZZ_DATA_BYTES);
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
	if (ib_len > FUZZ_IB_BYTES)
		ib_len = FUZZ_IB_BYTES;
	memcpy(ib_cpu, data + 1, ib_len);
	memset(data_cpu, 0, 4096);

	struct drm_amdgpu_cs_chunk_ib ib = {
		.ip_type = ip, .va_start = FUZZ_IB_VA, .ib_bytes = (uint32_t)ib_len,
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
