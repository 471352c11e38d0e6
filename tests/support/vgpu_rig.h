/*
 * A raw-libdrm test rig for the suites that drive the vgpu's command
 * processor and shader core directly (test_vgpu_shader, _shader_ops, _scratch, _smem, test_vgpu_cs):
 * no library code, only libdrm_amdgpu and the amdgpu ioctls, as a
 * userspace driver would use them.  One rig per test process (Criterion
 * forks each test), so its state is global:
 *
 *   TestSuite(name, .init = vgpu_rig_setup, .fini = vgpu_rig_teardown);
 *   test:   vgpu_rig_buf_new(), vgpu_rig_ctx_new(), vgpu_rig_submit_compute()
 *
 * Every helper fails the current test (cr_assert) on an unexpected error,
 * except vgpu_rig_submit_compute(), whose error is the thing under test.
 */
#ifndef VGPU_RIG_H
#define VGPU_RIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <amdgpu.h>

/* Buffers one test may make; each is listed in every submission. */
#define VGPU_RIG_MAX_BUFS 16

/* A GTT buffer, mapped read/write/execute on the GPU and on the CPU. */
struct rig_buf {
	amdgpu_bo_handle bo;
	amdgpu_va_handle vah;
	uint32_t handle; /* KMS handle, for the CS ioctl's BO list */
	uint64_t va, size;
	void *cpu;
};

/* A suite's .init: a fresh vgpu instance of the 780M profile with a 2 s
 * job watchdog (so a test's endless shader is cancelled quickly), skipping
 * the test unless on the vgpu; then opens /dev/dri/renderD128 through
 * libdrm_amdgpu. */
void vgpu_rig_setup(void);

/* The same on another profile (AMDBARE_TEST_GFX11_PROFILE, which replaces
 * the suites' default gfx11 one): the gfx10.3 680m, the gfx9 raven and
 * mi210 (gfx90a), the GC 11.5 890m. */
void vgpu_rig_setup_680m(void);
void vgpu_rig_setup_raven(void);
void vgpu_rig_setup_mi210(void);
void vgpu_rig_setup_890m(void);

/* A suite's .fini: unmaps and frees every buffer, closes the device (safe
 * when the device never opened, e.g. after a skip), and removes the vgpu
 * instance. */
void vgpu_rig_teardown(void);

amdgpu_device_handle vgpu_rig_device(void);

/* A zeroed buffer of `size` rounded up to pages, at a fresh VA. */
struct rig_buf *vgpu_rig_buf_new(uint64_t size);

/* A BO in AMDGPU_GEM_DOMAIN_GDS/GWS/OA of `size` (bytes for GDS,
 * resources for GWS and OA, as amdgpu_gem_create_ioctl takes them), listed
 * in every later submission; its KMS handle. */
uint32_t vgpu_rig_on_chip_bo(uint32_t domain, uint64_t size);

/* A new context (AMDGPU_CTX_OP_ALLOC_CTX); its id. */
uint32_t vgpu_rig_ctx_new(void);

/* AMDGPU_CTX_OP_QUERY_STATE2 flags of `ctx` (e.g. ..._FLAGS_GUILTY). */
uint32_t vgpu_rig_ctx_flags(uint32_t ctx);

/* Submits `ndw` dwords of `ib` to the compute ring of `ctx` with every
 * buffer made so far in the BO list, and waits up to 30 s: 0, or -errno of
 * the CS or WAIT_CS ioctl (-ECANCELED after a fault or a hang). */
int vgpu_rig_submit_compute(uint32_t ctx, const struct rig_buf *ib, uint32_t ndw);

/* A program of `n` dwords (hand-assembled gfx11 code) in a fresh buffer. */
struct rig_buf *vgpu_rig_program(const uint32_t *words, size_t n);

/* `groups` workgroups of `threads` work-items (wave32, or wave64) running
 * `code` with 16 VGPRs (wave32; see vgpu_rig_set_vgpr_blocks), FLOAT_MODE 0xf0, s[0:1] = out->va, the workgroup
 * id X in s2 and `lds_granules` x 512 bytes of LDS: the submission's
 * result (0, or -ECANCELED after a fault). */
int vgpu_rig_dispatch(uint32_t ctx, const struct rig_buf *code, uint32_t groups, uint32_t threads,
		      uint32_t lds_granules, bool wave64, const struct rig_buf *out);

/* vgpu_rig_dispatch of `n` dwords of `code` (a fresh program) on a fresh
 * context into a fresh 4 KiB *out, with what the vgpu printed on stderr
 * meanwhile in `log` (`cap` bytes): the submission's result. */
int vgpu_rig_run_logged(const uint32_t *code, size_t n, uint32_t groups, uint32_t threads,
			bool wave64, struct rig_buf **out, char *log, size_t cap);

/* The same on a grid along X as the packets give it: COMPUTE_START_X =
 * start_x, DISPATCH_DIRECT's dim_x (where the grid ends),
 * COMPUTE_NUM_THREAD_X = num_thread_x (FULL | PARTIAL << 16), and extra
 * COMPUTE_DISPATCH_INITIATOR bits (PARTIAL_TG_EN, FORCE_START_AT_000). */
int vgpu_rig_dispatch_grid(uint32_t ctx, const struct rig_buf *code, uint32_t start_x,
			   uint32_t dim_x, uint32_t num_thread_x, uint32_t initiator_bits,
			   uint32_t lds_granules, bool wave64, const struct rig_buf *out);

/* COMPUTE_PGM_RSRC1.VGPRS for the dispatches that follow in this test
 * (default 1: 16 VGPRs in wave32; gfx11 allocates blocks of 8 there). */
void vgpu_rig_set_vgpr_blocks(uint32_t blocks);

/* cr_expect that the first `n` words of `out` are `want`. */
void vgpu_rig_expect_words(const struct rig_buf *out, const uint32_t *want, size_t n);

#endif
