#include "vgpu_rig.h"
#include "vgpu_test.h"
#include "stderr_capture.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>
#include <amdgpu_drm.h>

static amdgpu_device_handle dev;
static int fd = -1;
static struct rig_buf bufs[VGPU_RIG_MAX_BUFS];
static int nbufs;
/* GDS/GWS/OA BOs (vgpu_rig_on_chip_bo): listed after the buffers */
#define RIG_MAX_ON_CHIP 4
static amdgpu_bo_handle on_chip[RIG_MAX_ON_CHIP];
static uint32_t on_chip_handle[RIG_MAX_ON_CHIP];
static int n_on_chip;

void vgpu_rig_setup(void)
{
	vgpu_test_use_profile("780m", "AMDBARE_VGPU_TIMEOUT_MS", "2000", NULL);
	vgpu_test_require();
	int f = open("/dev/dri/renderD128", O_RDWR | O_CLOEXEC);
	cr_assert_geq(f, 0);
	uint32_t maj, min;
	cr_assert_eq(amdgpu_device_initialize(f, &maj, &min, &dev), 0);
	/* libdrm keeps its own dup of the file; ioctls go to that one */
	fd = amdgpu_device_get_fd(dev);
	close(f);
}

static void setup_profile(const char *name)
{
	setenv("AMDBARE_TEST_GFX11_PROFILE", name, 1);
	vgpu_rig_setup();
}

void vgpu_rig_setup_680m(void)
{
	setup_profile("680m");
}

void vgpu_rig_setup_raven(void)
{
	setup_profile("raven");
}

void vgpu_rig_setup_mi210(void)
{
	setup_profile("mi210");
}

void vgpu_rig_setup_890m(void)
{
	setup_profile("890m");
}

void vgpu_rig_teardown(void)
{
	for (int i = 0; i < nbufs; i++) {
		struct rig_buf *b = &bufs[i];
		amdgpu_bo_cpu_unmap(b->bo);
		amdgpu_bo_va_op(b->bo, 0, b->size, b->va, 0, AMDGPU_VA_OP_UNMAP);
		amdgpu_va_range_free(b->vah);
		amdgpu_bo_free(b->bo);
	}
	nbufs = 0;
	for (int i = 0; i < n_on_chip; i++)
		amdgpu_bo_free(on_chip[i]);
	n_on_chip = 0;
	if (dev)
		amdgpu_device_deinitialize(dev);
	dev = NULL;
	fd = -1;
	vgpu_test_cleanup();
}

amdgpu_device_handle vgpu_rig_device(void)
{
	return dev;
}

struct rig_buf *vgpu_rig_buf_new(uint64_t size)
{
	cr_assert_lt(nbufs, VGPU_RIG_MAX_BUFS);
	struct rig_buf *b = &bufs[nbufs];
	b->size = (size + 4095) & ~4095ull;
	struct amdgpu_bo_alloc_request req = { .alloc_size = b->size, .phys_alignment = 4096,
					       .preferred_heap = AMDGPU_GEM_DOMAIN_GTT };
	cr_assert_eq(amdgpu_bo_alloc(dev, &req, &b->bo), 0);
	cr_assert_eq(amdgpu_bo_export(b->bo, amdgpu_bo_handle_type_kms, &b->handle), 0);
	cr_assert_eq(amdgpu_va_range_alloc(dev, amdgpu_gpu_va_range_general, b->size, 4096, 0,
					   &b->va, &b->vah, 0), 0);
	cr_assert_eq(amdgpu_bo_va_op_raw(dev, b->bo, 0, b->size, b->va,
					 AMDGPU_VM_PAGE_READABLE | AMDGPU_VM_PAGE_WRITEABLE |
						 AMDGPU_VM_PAGE_EXECUTABLE,
					 AMDGPU_VA_OP_MAP), 0);
	cr_assert_eq(amdgpu_bo_cpu_map(b->bo, &b->cpu), 0);
	memset(b->cpu, 0, b->size);
	nbufs++;
	return b;
}

uint32_t vgpu_rig_ctx_new(void)
{
	union drm_amdgpu_ctx a;
	memset(&a, 0, sizeof(a));
	a.in.op = AMDGPU_CTX_OP_ALLOC_CTX;
	cr_assert_eq(drmIoctl(fd, DRM_IOCTL_AMDGPU_CTX, &a), 0);
	return a.out.alloc.ctx_id;
}

uint32_t vgpu_rig_ctx_flags(uint32_t ctx)
{
	union drm_amdgpu_ctx a;
	memset(&a, 0, sizeof(a));
	a.in.op = AMDGPU_CTX_OP_QUERY_STATE2;
	a.in.ctx_id = ctx;
	cr_assert_eq(drmIoctl(fd, DRM_IOCTL_AMDGPU_CTX, &a), 0);
	return a.out.state.flags;
}

/* WAIT_CS takes an absolute CLOCK_MONOTONIC deadline
 * (amdgpu_gem_timeout). */
static uint64_t deadline_after(uint64_t ns)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec + ns;
}

int vgpu_rig_submit_compute(uint32_t ctx, const struct rig_buf *ib, uint32_t ndw)
{
	struct drm_amdgpu_cs_chunk_ib ibc = { .ip_type = AMDGPU_HW_IP_COMPUTE, .va_start = ib->va,
					      .ib_bytes = ndw * 4 };
	struct drm_amdgpu_bo_list_entry ent[VGPU_RIG_MAX_BUFS + RIG_MAX_ON_CHIP];
	for (int i = 0; i < nbufs; i++)
		ent[i] = (struct drm_amdgpu_bo_list_entry){ .bo_handle = bufs[i].handle };
	for (int i = 0; i < n_on_chip; i++)
		ent[nbufs + i] = (struct drm_amdgpu_bo_list_entry){ .bo_handle = on_chip_handle[i] };
	struct drm_amdgpu_bo_list_in list = { .bo_number = (uint32_t)(nbufs + n_on_chip),
					      .bo_info_size = sizeof(ent[0]),
					      .bo_info_ptr = (uintptr_t)ent };
	struct drm_amdgpu_cs_chunk chunks[2] = {
		{ .chunk_id = AMDGPU_CHUNK_ID_IB, .length_dw = sizeof(ibc) / 4,
		  .chunk_data = (uintptr_t)&ibc },
		{ .chunk_id = AMDGPU_CHUNK_ID_BO_HANDLES, .length_dw = sizeof(list) / 4,
		  .chunk_data = (uintptr_t)&list },
	};
	uint64_t ptrs[2] = { (uintptr_t)&chunks[0], (uintptr_t)&chunks[1] };
	union drm_amdgpu_cs cs;
	memset(&cs, 0, sizeof(cs));
	cs.in.ctx_id = ctx;
	cs.in.num_chunks = 2;
	cs.in.chunks = (uintptr_t)ptrs;
	if (drmIoctl(fd, DRM_IOCTL_AMDGPU_CS, &cs))
		return -errno;
	union drm_amdgpu_wait_cs w;
	memset(&w, 0, sizeof(w));
	w.in.handle = cs.out.handle;
	w.in.timeout = deadline_after(30ull * 1000000000ull);
	w.in.ip_type = AMDGPU_HW_IP_COMPUTE;
	w.in.ctx_id = ctx;
	if (drmIoctl(fd, DRM_IOCTL_AMDGPU_WAIT_CS, &w))
		return -errno;
	cr_assert_eq(w.out.status, 0, "job not done after the wait");
	return 0;
}

/* ---- dispatching hand-assembled programs ---------------------------- */

/* nvd.h */
#define PACKET3(op, n) ((3u << 30) | (((n) & 0x3FFFu) << 16) | (((op) & 0xFFu) << 8))
#define PKT3_DISPATCH_DIRECT 0x15
#define PKT3_SET_SH_REG 0x76
/* SH register offsets (from PACKET3_SET_SH_REG_START) of COMPUTE_* */
#define SH_COMPUTE_START_X 0x204
#define SH_COMPUTE_PGM_LO 0x20c
#define SH_COMPUTE_PGM_RSRC1 0x212
#define SH_COMPUTE_USER_DATA_0 0x240
#define INIT_COMPUTE_SHADER_EN 1u
#define INIT_CS_W32_EN (1u << 15)
/* RSRC1: FLOAT_MODE 0xf0 (nearest even, denormals kept), VGPRS = 1 (16
 * VGPRs in wave32); RSRC2: two user SGPRs (the output address in s[0:1]),
 * the workgroup id X in s2 and LDS_SIZE in 512-byte granules */
#define RSRC1_FLOAT_MODE (0xf0u << 12)
/* RSRC1.VGPRS of the next dispatches (vgpu_rig_set_vgpr_blocks) */
static uint32_t vgpr_blocks = 1;
#define RSRC2_OUT_SGPRS ((2u << 1) | (1u << 7))
#define RSRC2_LDS(granules) ((uint32_t)(granules) << 15)

struct rig_buf *vgpu_rig_program(const uint32_t *words, size_t n)
{
	struct rig_buf *code = vgpu_rig_buf_new(4096);
	memcpy(code->cpu, words, n * 4);
	return code;
}

uint32_t vgpu_rig_on_chip_bo(uint32_t domain, uint64_t size)
{
	cr_assert_lt(n_on_chip, RIG_MAX_ON_CHIP);
	struct amdgpu_bo_alloc_request req = { .alloc_size = size, .phys_alignment = 0,
					       .preferred_heap = domain };
	cr_assert_eq(amdgpu_bo_alloc(dev, &req, &on_chip[n_on_chip]), 0);
	cr_assert_eq(amdgpu_bo_export(on_chip[n_on_chip], amdgpu_bo_handle_type_kms,
				      &on_chip_handle[n_on_chip]), 0);
	return on_chip_handle[n_on_chip++];
}

int vgpu_rig_dispatch(uint32_t ctx, const struct rig_buf *code, uint32_t groups, uint32_t threads,
		      uint32_t lds_granules, bool wave64, const struct rig_buf *out)
{
	return vgpu_rig_dispatch_grid(ctx, code, 0, groups, threads, 0, lds_granules, wave64, out);
}

int vgpu_rig_dispatch_grid(uint32_t ctx, const struct rig_buf *code, uint32_t start_x,
			   uint32_t dim_x, uint32_t num_thread_x, uint32_t initiator_bits,
			   uint32_t lds_granules, bool wave64, const struct rig_buf *out)
{
	struct rig_buf *ib = vgpu_rig_buf_new(4096);
	uint32_t *p = ib->cpu, n = 0;
	p[n++] = PACKET3(PKT3_SET_SH_REG, 6);
	p[n++] = SH_COMPUTE_START_X;
	p[n++] = start_x; p[n++] = 0; p[n++] = 0;
	/* Y and Z: one work-item, FULL and PARTIAL alike */
	p[n++] = num_thread_x; p[n++] = 0x10001; p[n++] = 0x10001;
	p[n++] = PACKET3(PKT3_SET_SH_REG, 2);
	p[n++] = SH_COMPUTE_PGM_LO;
	p[n++] = (uint32_t)(code->va >> 8);
	p[n++] = (uint32_t)(code->va >> 40);
	p[n++] = PACKET3(PKT3_SET_SH_REG, 2);
	p[n++] = SH_COMPUTE_PGM_RSRC1;
	p[n++] = RSRC1_FLOAT_MODE | vgpr_blocks;
	p[n++] = RSRC2_OUT_SGPRS | RSRC2_LDS(lds_granules);
	p[n++] = PACKET3(PKT3_SET_SH_REG, 2);
	p[n++] = SH_COMPUTE_USER_DATA_0;
	p[n++] = (uint32_t)out->va;
	p[n++] = (uint32_t)(out->va >> 32);
	p[n++] = PACKET3(PKT3_DISPATCH_DIRECT, 3);
	p[n++] = dim_x; p[n++] = 1; p[n++] = 1;
	p[n++] = INIT_COMPUTE_SHADER_EN | (wave64 ? 0 : INIT_CS_W32_EN) | initiator_bits;
	return vgpu_rig_submit_compute(ctx, ib, n);
}

int vgpu_rig_run_logged(const uint32_t *code, size_t n, uint32_t groups, uint32_t threads,
			bool wave64, struct rig_buf **out, char *log, size_t cap)
{
	struct rig_buf *prog = vgpu_rig_program(code, n);
	*out = vgpu_rig_buf_new(4096);
	uint32_t ctx = vgpu_rig_ctx_new();
	struct stderr_capture cap_state;
	stderr_capture_begin(&cap_state);
	int r = vgpu_rig_dispatch(ctx, prog, groups, threads, 0, wave64, *out);
	stderr_capture_end(&cap_state, log, cap);
	return r;
}

void vgpu_rig_set_vgpr_blocks(uint32_t blocks)
{
	cr_assert(blocks <= 63);
	vgpr_blocks = blocks;
}

void vgpu_rig_expect_words(const struct rig_buf *out, const uint32_t *want, size_t n)
{
	const uint32_t *got = out->cpu;
	for (size_t i = 0; i < n; i++)
		cr_expect_eq(got[i], want[i], "result %zu (byte offset %zu): 0x%08x, want 0x%08x", i,
			     i * 4, got[i], want[i]);
}
