/*
 * The vgpu's scratch (private segment, gfx11 architected flat scratch):
 * a hand-assembled wave32 program (llvm-mc-19 encodings) dispatched with
 * hand-written PM4, raw ioctls and libdrm_amdgpu, no library code.
 * Checks that each lane of each wave gets its own private memory where
 * the documented slot layout puts it (slot (group x waves + wave) mod
 * WAVES, dword elements swizzled over the lanes), the ST/SVE/SADDR
 * address forms, and the faults: an access past the lane's share of the
 * slot, SCRATCH_EN without a scratch ring, a workgroup with more waves
 * than slots, reserved register bits, and a scratch instruction without
 * SCRATCH_EN.  After every fault the context is guilty and a new one
 * works.
 */
#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>
#include <amdgpu.h>
#include <amdgpu_drm.h>

/* nvd.h */
#define PACKET3(op, n) ((3u << 30) | (((n) & 0x3FFFu) << 16) | (((op) & 0xFFu) << 8))
#define PKT3_DISPATCH_DIRECT 0x15
#define PKT3_SET_SH_REG 0x76
/* SH register offsets (from PACKET3_SET_SH_REG_START), gc_11_0_0_offset.h */
#define SH_COMPUTE_START_X 0x204
#define SH_COMPUTE_PGM_LO 0x20c
#define SH_COMPUTE_DISPATCH_SCRATCH_BASE_LO 0x210
#define SH_COMPUTE_PGM_RSRC1 0x212
#define SH_COMPUTE_TMPRING_SIZE 0x218
#define SH_COMPUTE_PGM_RSRC3 0x228
#define SH_COMPUTE_USER_DATA_0 0x240
#define INIT_COMPUTE_SHADER_EN 1u
#define INIT_CS_W32_EN (1u << 15)
/* COMPUTE_PGM_RSRC1.FLOAT_MODE 0xf0 (clang's default), VGPRS 1: 16 VGPRs */
#define RSRC1 ((0xf0u << 12) | 1u)
/* RSRC2: SCRATCH_EN, USER_SGPR = 4, TGID_X_EN */
#define RSRC2_SCRATCH_EN 1u
#define RSRC2_BASE ((4u << 1) | (1u << 7))
/* COMPUTE_TMPRING_SIZE: WAVES 0..11, WAVESIZE (256-byte units) 12..26 */
#define TMPRING(waves, units) ((waves) | ((units) << 12))

#define GROUPS 3u
#define THREADS 64u  /* two wave32 waves per group */
#define VALUE_BASE 1000u

static amdgpu_device_handle dev;
static int fd;

struct buf {
	amdgpu_bo_handle bo;
	amdgpu_va_handle vah;
	uint32_t handle;
	uint64_t va, size;
	void *cpu;
};

static struct buf bufs[16];
static int nbufs;

static void setup(void)
{
	vgpu_test_use_profile("780m", "AMDBARE_VGPU_TIMEOUT_MS", "2000", NULL);
	vgpu_test_require();
	int f = open("/dev/dri/renderD128", O_RDWR | O_CLOEXEC);
	cr_assert_geq(f, 0);
	uint32_t maj, min;
	cr_assert_eq(amdgpu_device_initialize(f, &maj, &min, &dev), 0);
	fd = amdgpu_device_get_fd(dev);
	close(f);
}

static void teardown(void)
{
	for (int i = 0; i < nbufs; i++) {
		struct buf *b = &bufs[i];
		amdgpu_bo_cpu_unmap(b->bo);
		amdgpu_bo_va_op(b->bo, 0, b->size, b->va, 0, AMDGPU_VA_OP_UNMAP);
		amdgpu_va_range_free(b->vah);
		amdgpu_bo_free(b->bo);
	}
	nbufs = 0;
	amdgpu_device_deinitialize(dev);
	vgpu_test_cleanup();
}

TestSuite(vgpu_scratch, .init = setup, .fini = teardown);

static struct buf *buf_new(uint64_t size)
{
	cr_assert_lt(nbufs, 16);
	struct buf *b = &bufs[nbufs];
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

static uint32_t ctx_new(void)
{
	union drm_amdgpu_ctx a;
	memset(&a, 0, sizeof(a));
	a.in.op = AMDGPU_CTX_OP_ALLOC_CTX;
	cr_assert_eq(drmIoctl(fd, DRM_IOCTL_AMDGPU_CTX, &a), 0);
	return a.out.alloc.ctx_id;
}

static uint32_t ctx_flags(uint32_t ctx)
{
	union drm_amdgpu_ctx a;
	memset(&a, 0, sizeof(a));
	a.in.op = AMDGPU_CTX_OP_QUERY_STATE2;
	a.in.ctx_id = ctx;
	cr_assert_eq(drmIoctl(fd, DRM_IOCTL_AMDGPU_CTX, &a), 0);
	return a.out.state.flags;
}

/* Submits one compute IB listing every buffer made so far and waits: 0,
 * or the fence error (-ECANCELED after a fault). */
static int run_ib(uint32_t ctx, const struct buf *ib, uint32_t ndw)
{
	struct drm_amdgpu_cs_chunk_ib ibc = { .ip_type = AMDGPU_HW_IP_COMPUTE, .va_start = ib->va,
					      .ib_bytes = ndw * 4 };
	struct drm_amdgpu_bo_list_entry ent[16];
	for (int i = 0; i < nbufs; i++)
		ent[i] = (struct drm_amdgpu_bo_list_entry){ .bo_handle = bufs[i].handle };
	struct drm_amdgpu_bo_list_in list = { .bo_number = (uint32_t)nbufs,
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
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	w.in.timeout = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec +
		       30ull * 1000000000ull;
	w.in.ip_type = AMDGPU_HW_IP_COMPUTE;
	w.in.ctx_id = ctx;
	if (drmIoctl(fd, DRM_IOCTL_AMDGPU_WAIT_CS, &w))
		return -errno;
	cr_assert_eq(w.out.status, 0, "job not done after the wait");
	return 0;
}

/* Each lane: value = VALUE_BASE + (group << 16) + work-item id; private
 * dword 0 = value (ST form: no address), dword 1 = value + 1 (SVE form:
 * VGPR address 4), read back as dword 0 (ST) and s2 + 4 (SADDR form);
 * out[group * 64 + id] = 2 * value + 1.  llvm-mc-19 -mcpu=gfx1103. */
static const uint32_t prog[] = {
	0x84069004u,              /* s_lshl_b32 s6, s4, 16 */
	0x80060306u,              /* s_add_u32 s6, s6, s3 */
	0x7e0c0284u,              /* v_mov_b32_e32 v6, 4 */
	0x4a040006u,              /* v_add_nc_u32_e32 v2, s6, v0 */
	0xdc690000u, 0x007c0200u, /* scratch_store_b32 off, v2, off */
	0x4a0e0481u,              /* v_add_nc_u32_e32 v7, 1, v2 */
	0xdc690000u, 0x00fc0706u, /* scratch_store_b32 v6, v7, off */
	0xdc510000u, 0x037c0000u, /* scratch_load_b32 v3, off, off */
	0xdc510004u, 0x05020000u, /* scratch_load_b32 v5, off, s2 offset:4 */
	0x4a060b03u,              /* v_add_nc_u32_e32 v3, v3, v5 */
	0x30020082u,              /* v_lshlrev_b32_e32 v1, 2, v0 */
	0x84058804u,              /* s_lshl_b32 s5, s4, 8 */
	0x4a020205u,              /* v_add_nc_u32_e32 v1, s5, v1 */
	0xdc6a0000u, 0x00000301u, /* global_store_b32 v1, v3, s[0:1] */
	0xbfb00000u,              /* s_endpgm */
};

/* A generic pointer to private memory: {s2, hi of src_private_base} is
 * the flat address of private offset s2; flat_store there, then read the
 * lane's private dword 1 with scratch_load: out[group * 64 + id] =
 * VALUE_BASE + id when s2 = 4.  llvm-mc-19 -mcpu=gfx1103. */
static const uint32_t flat_prog[] = {
	0xbe8601edu,              /* s_mov_b64 s[6:7], src_private_base */
	0x7e100202u,              /* v_mov_b32_e32 v8, s2 */
	0x7e120207u,              /* v_mov_b32_e32 v9, s7 */
	0x4a040003u,              /* v_add_nc_u32_e32 v2, s3, v0 */
	0xdc680000u, 0x007c0208u, /* flat_store_b32 v[8:9], v2 */
	0xdc510004u, 0x037c0000u, /* scratch_load_b32 v3, off, off offset:4 */
	0x30020082u,              /* v_lshlrev_b32_e32 v1, 2, v0 */
	0x84058804u,              /* s_lshl_b32 s5, s4, 8 */
	0x4a020205u,              /* v_add_nc_u32_e32 v1, s5, v1 */
	0xdc6a0000u, 0x00000301u, /* global_store_b32 v1, v3, s[0:1] */
	0xbfb00000u,              /* s_endpgm */
};

struct setup {
	struct buf *code, *out, *scratch;
	uint32_t good_s2;   /* an s2 with which the program runs correctly */
};

static struct setup make_buffers_with(const uint32_t *words, size_t bytes, uint32_t good_s2)
{
	struct setup s = { buf_new(4096), buf_new(GROUPS * THREADS * 4), buf_new(4096), good_s2 };
	memcpy(s.code->cpu, words, bytes);
	return s;
}

static struct setup make_buffers(void)
{
	return make_buffers_with(prog, sizeof(prog), 0);
}

/* The dispatch; `fields` says which scratch registers are written. */
enum { W_TMPRING = 1, W_BASE = 2 };

static int dispatch(uint32_t ctx, const struct setup *s, uint32_t rsrc2, uint32_t tmpring,
		    uint32_t base_hi_extra, uint32_t saddr, int fields)
{
	struct buf *ib = buf_new(4096);
	uint32_t *p = ib->cpu, n = 0;
	p[n++] = PACKET3(PKT3_SET_SH_REG, 6);
	p[n++] = SH_COMPUTE_START_X;
	p[n++] = 0; p[n++] = 0; p[n++] = 0;
	p[n++] = THREADS; p[n++] = 1; p[n++] = 1;
	p[n++] = PACKET3(PKT3_SET_SH_REG, 2);
	p[n++] = SH_COMPUTE_PGM_LO;
	p[n++] = (uint32_t)(s->code->va >> 8);
	p[n++] = (uint32_t)(s->code->va >> 40);
	p[n++] = PACKET3(PKT3_SET_SH_REG, 2);
	p[n++] = SH_COMPUTE_PGM_RSRC1; p[n++] = RSRC1; p[n++] = rsrc2;
	p[n++] = PACKET3(PKT3_SET_SH_REG, 1);
	p[n++] = SH_COMPUTE_PGM_RSRC3; p[n++] = 0;
	if (fields & W_BASE) {
		p[n++] = PACKET3(PKT3_SET_SH_REG, 2);
		p[n++] = SH_COMPUTE_DISPATCH_SCRATCH_BASE_LO;
		p[n++] = (uint32_t)(s->scratch->va >> 8);
		p[n++] = (uint32_t)(s->scratch->va >> 40) | base_hi_extra;
	}
	if (fields & W_TMPRING) {
		p[n++] = PACKET3(PKT3_SET_SH_REG, 1);
		p[n++] = SH_COMPUTE_TMPRING_SIZE; p[n++] = tmpring;
	}
	p[n++] = PACKET3(PKT3_SET_SH_REG, 4);
	p[n++] = SH_COMPUTE_USER_DATA_0;
	p[n++] = (uint32_t)s->out->va; p[n++] = (uint32_t)(s->out->va >> 32);
	p[n++] = saddr; p[n++] = VALUE_BASE;
	p[n++] = PACKET3(PKT3_DISPATCH_DIRECT, 3);
	p[n++] = GROUPS; p[n++] = 1; p[n++] = 1;
	p[n++] = INIT_COMPUTE_SHADER_EN | INIT_CS_W32_EN;
	return run_ib(ctx, ib, n);
}

/* The vgpu reports faults on stderr, like the kernel's log. */
static FILE *captured;
static int saved_stderr = -1;

static void capture_begin(void)
{
	fflush(stderr);
	captured = tmpfile();
	cr_assert_not_null(captured);
	saved_stderr = dup(2);
	dup2(fileno(captured), 2);
}

static char *capture_end(void)
{
	static char text[4096];
	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	rewind(captured);
	size_t n = fread(text, 1, sizeof(text) - 1, captured);
	text[n] = 0;
	fclose(captured);
	fputs(text, stderr);
	return text;
}

static void expect_fault(uint32_t ctx, const struct setup *s, uint32_t rsrc2, uint32_t tmpring,
			 uint32_t base_hi_extra, uint32_t saddr, int fields, const char *msg)
{
	capture_begin();
	int r = dispatch(ctx, s, rsrc2, tmpring, base_hi_extra, saddr, fields);
	char *log = capture_end();
	cr_assert_eq(r, -ECANCELED, "the job must fault");
	cr_assert(strstr(log, msg) != NULL, "no \"%s\" in: %s", msg, log);
	uint32_t f = ctx_flags(ctx);
	cr_assert(f & AMDGPU_CTX_QUERY2_FLAGS_GUILTY, "context guilty");
	/* A new context runs the correct dispatch. */
	uint32_t fresh = ctx_new();
	cr_assert_eq(dispatch(fresh, s, RSRC2_BASE | RSRC2_SCRATCH_EN, TMPRING(4, 1), 0, s->good_s2,
			      W_TMPRING | W_BASE), 0);
}

static uint32_t expected(uint32_t g, uint32_t t)
{
	return VALUE_BASE + (g << 16) + t;
}

Test(vgpu_scratch, lanes_and_waves_get_their_own_slots)
{
	struct setup s = make_buffers();
	uint32_t ctx = ctx_new();
	/* 4 slots of 256 bytes: a wave32 lane owns 8 bytes (2 dwords) */
	cr_assert_eq(dispatch(ctx, &s, RSRC2_BASE | RSRC2_SCRATCH_EN, TMPRING(4, 1), 0, 0,
			      W_TMPRING | W_BASE), 0);
	const uint32_t *out = s.out->cpu;
	for (uint32_t g = 0; g < GROUPS; g++)
		for (uint32_t t = 0; t < THREADS; t++)
			cr_assert_eq(out[g * THREADS + t], 2 * expected(g, t) + 1, "group %u item %u",
				     g, t);
	/* The buffer as the slots left it: wave w of group g used slot
	 * (g * 2 + w) mod 4, so slots 0/1 hold group 2 and slots 2/3 group 1;
	 * private dword d of lane l is at slot + d * 128 + l * 4. */
	const uint32_t *mem = s.scratch->cpu;
	static const uint32_t group_in_slot[4] = { 2, 2, 1, 1 };
	for (uint32_t slot = 0; slot < 4; slot++)
		for (uint32_t l = 0; l < 32; l++) {
			uint32_t t = (slot & 1) * 32 + l, v = expected(group_in_slot[slot], t);
			cr_assert_eq(mem[slot * 64 + l], v, "slot %u lane %u dword 0", slot, l);
			cr_assert_eq(mem[slot * 64 + 32 + l], v + 1, "slot %u lane %u dword 1", slot, l);
		}
	cr_assert_eq(mem[4 * 64], 0, "nothing past WAVES slots");
}

Test(vgpu_scratch, access_past_the_lanes_share_faults)
{
	struct setup s = make_buffers();
	/* s2 = 4: the SADDR load reads private bytes 8..11, one dword past
	 * the 8 bytes a lane owns */
	expect_fault(ctx_new(), &s, RSRC2_BASE | RSRC2_SCRATCH_EN, TMPRING(4, 1), 0, 4,
		     W_TMPRING | W_BASE, "scratch access outside the wave's slot: lane 0, "
		     "private offset 0x8 + 4 bytes, a lane owns 0x8 bytes");
}

Test(vgpu_scratch, scratch_en_without_a_ring_faults)
{
	struct setup s = make_buffers();
	expect_fault(ctx_new(), &s, RSRC2_BASE | RSRC2_SCRATCH_EN, 0, 0, 0, W_BASE,
		     "RSRC2.SCRATCH_EN but no scratch ring");
	expect_fault(ctx_new(), &s, RSRC2_BASE | RSRC2_SCRATCH_EN, TMPRING(4, 0), 0, 0,
		     W_TMPRING | W_BASE, "RSRC2.SCRATCH_EN but no scratch ring");
	expect_fault(ctx_new(), &s, RSRC2_BASE | RSRC2_SCRATCH_EN, TMPRING(4, 1), 0, 0, W_TMPRING,
		     "before COMPUTE_DISPATCH_SCRATCH_BASE_LO/HI were set");
}

Test(vgpu_scratch, group_with_more_waves_than_slots_faults)
{
	struct setup s = make_buffers();
	expect_fault(ctx_new(), &s, RSRC2_BASE | RSRC2_SCRATCH_EN, TMPRING(1, 1), 0, 0,
		     W_TMPRING | W_BASE, "more waves than COMPUTE_TMPRING_SIZE.WAVES");
}

Test(vgpu_scratch, reserved_register_bits_fault)
{
	struct setup s = make_buffers();
	expect_fault(ctx_new(), &s, RSRC2_BASE | RSRC2_SCRATCH_EN, TMPRING(4, 1), 0x100, 0,
		     W_TMPRING | W_BASE, "COMPUTE_DISPATCH_SCRATCH_BASE_HI above bit 7");
	expect_fault(ctx_new(), &s, RSRC2_BASE | RSRC2_SCRATCH_EN, TMPRING(4, 1) | (1u << 27), 0,
		     0, W_TMPRING | W_BASE, "COMPUTE_TMPRING_SIZE with reserved bits");
}

Test(vgpu_scratch, scratch_instruction_without_scratch_en_faults)
{
	struct setup s = make_buffers();
	/* The ring is programmed but the program did not ask for scratch. */
	expect_fault(ctx_new(), &s, RSRC2_BASE, TMPRING(4, 1), 0, 0, W_TMPRING | W_BASE,
		     "scratch access by a wave without scratch");
}

Test(vgpu_scratch, flat_through_the_private_aperture_is_the_lanes_scratch)
{
	struct setup s = make_buffers_with(flat_prog, sizeof(flat_prog), 4);
	cr_assert_eq(dispatch(ctx_new(), &s, RSRC2_BASE | RSRC2_SCRATCH_EN, TMPRING(4, 1), 0, 4,
			      W_TMPRING | W_BASE), 0);
	const uint32_t *out = s.out->cpu;
	for (uint32_t g = 0; g < GROUPS; g++)
		for (uint32_t t = 0; t < THREADS; t++)
			cr_assert_eq(out[g * THREADS + t], VALUE_BASE + t, "group %u item %u", g, t);
	/* and the same checks as scratch_* on the way in: offset 8 is past
	 * the 8 bytes a lane owns */
	expect_fault(ctx_new(), &s, RSRC2_BASE | RSRC2_SCRATCH_EN, TMPRING(4, 1), 0, 8,
		     W_TMPRING | W_BASE, "scratch access outside the wave's slot: lane 0, "
		     "private offset 0x8 + 4 bytes");
}
