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
#include "vgpu_rig.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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

TestSuite(vgpu_scratch, .init = vgpu_rig_setup, .fini = vgpu_rig_teardown);

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
	struct rig_buf *code, *out, *scratch;
	uint32_t good_s2;   /* an s2 with which the program runs correctly */
};

static struct setup make_buffers_with(const uint32_t *words, size_t bytes, uint32_t good_s2)
{
	struct setup s = { vgpu_rig_buf_new(4096), vgpu_rig_buf_new(GROUPS * THREADS * 4),
			   vgpu_rig_buf_new(4096), good_s2 };
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
	struct rig_buf *ib = vgpu_rig_buf_new(4096);
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
	return vgpu_rig_submit_compute(ctx, ib, n);
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
	uint32_t f = vgpu_rig_ctx_flags(ctx);
	cr_assert(f & AMDGPU_CTX_QUERY2_FLAGS_GUILTY, "context guilty");
	/* A new context runs the correct dispatch. */
	uint32_t fresh = vgpu_rig_ctx_new();
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
	uint32_t ctx = vgpu_rig_ctx_new();
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
	expect_fault(vgpu_rig_ctx_new(), &s, RSRC2_BASE | RSRC2_SCRATCH_EN, TMPRING(4, 1), 0, 4,
		     W_TMPRING | W_BASE, "scratch access outside the wave's slot: lane 0, "
		     "private offset 0x8 + 4 bytes, a lane owns 0x8 bytes");
}

Test(vgpu_scratch, scratch_en_without_a_ring_faults)
{
	struct setup s = make_buffers();
	expect_fault(vgpu_rig_ctx_new(), &s, RSRC2_BASE | RSRC2_SCRATCH_EN, 0, 0, 0, W_BASE,
		     "RSRC2.SCRATCH_EN but no scratch ring");
	expect_fault(vgpu_rig_ctx_new(), &s, RSRC2_BASE | RSRC2_SCRATCH_EN, TMPRING(4, 0), 0, 0,
		     W_TMPRING | W_BASE, "RSRC2.SCRATCH_EN but no scratch ring");
	expect_fault(vgpu_rig_ctx_new(), &s, RSRC2_BASE | RSRC2_SCRATCH_EN, TMPRING(4, 1), 0, 0, W_TMPRING,
		     "before COMPUTE_DISPATCH_SCRATCH_BASE_LO/HI were set");
}

Test(vgpu_scratch, group_with_more_waves_than_slots_faults)
{
	struct setup s = make_buffers();
	expect_fault(vgpu_rig_ctx_new(), &s, RSRC2_BASE | RSRC2_SCRATCH_EN, TMPRING(1, 1), 0, 0,
		     W_TMPRING | W_BASE, "more waves than COMPUTE_TMPRING_SIZE.WAVES");
}

Test(vgpu_scratch, reserved_register_bits_fault)
{
	struct setup s = make_buffers();
	expect_fault(vgpu_rig_ctx_new(), &s, RSRC2_BASE | RSRC2_SCRATCH_EN, TMPRING(4, 1), 0x100, 0,
		     W_TMPRING | W_BASE, "COMPUTE_DISPATCH_SCRATCH_BASE_HI above bit 7");
	expect_fault(vgpu_rig_ctx_new(), &s, RSRC2_BASE | RSRC2_SCRATCH_EN, TMPRING(4, 1) | (1u << 27), 0,
		     0, W_TMPRING | W_BASE, "COMPUTE_TMPRING_SIZE with reserved bits");
}

Test(vgpu_scratch, scratch_instruction_without_scratch_en_faults)
{
	struct setup s = make_buffers();
	/* The ring is programmed but the program did not ask for scratch. */
	expect_fault(vgpu_rig_ctx_new(), &s, RSRC2_BASE, TMPRING(4, 1), 0, 0, W_TMPRING | W_BASE,
		     "scratch access by a wave without scratch");
}

Test(vgpu_scratch, flat_through_the_private_aperture_is_the_lanes_scratch)
{
	struct setup s = make_buffers_with(flat_prog, sizeof(flat_prog), 4);
	cr_assert_eq(dispatch(vgpu_rig_ctx_new(), &s, RSRC2_BASE | RSRC2_SCRATCH_EN, TMPRING(4, 1), 0, 4,
			      W_TMPRING | W_BASE), 0);
	const uint32_t *out = s.out->cpu;
	for (uint32_t g = 0; g < GROUPS; g++)
		for (uint32_t t = 0; t < THREADS; t++)
			cr_assert_eq(out[g * THREADS + t], VALUE_BASE + t, "group %u item %u", g, t);
	/* and the same checks as scratch_* on the way in: offset 8 is past
	 * the 8 bytes a lane owns */
	expect_fault(vgpu_rig_ctx_new(), &s, RSRC2_BASE | RSRC2_SCRATCH_EN, TMPRING(4, 1), 0, 8,
		     W_TMPRING | W_BASE, "scratch access outside the wave's slot: lane 0, "
		     "private offset 0x8 + 4 bytes");
}
