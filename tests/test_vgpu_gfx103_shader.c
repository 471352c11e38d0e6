/*
 * The vgpu's gfx10.3 shader core on the 680m profile (GC 10.3.3,
 * gfx1035), through raw ioctls: what differs from gfx11 in a wave's
 * initial state (work-item ids in v0/v1/v2 per RSRC2.TIDIG_COMP_CNT, the
 * scratch wave offset SGPR), SDWA operand selects and destination
 * placement, and scratch through the swizzled private segment buffer.
 * The programs are hand-assembled: each word below is what
 * `llvm-mc-19 -triple=amdgcn -mcpu=gfx1035 -show-encoding` gives for the
 * instruction in the comment next to it.  The expected values are
 * derived in the comments from the RDNA2 ISA's definitions.
 */
#include "vgpu_rig.h"
#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* nvd.h */
#define PACKET3(op, n) ((3u << 30) | (((n) & 0x3FFFu) << 16) | (((op) & 0xFFu) << 8))
#define PKT3_DISPATCH_DIRECT 0x15
#define PKT3_SET_SH_REG 0x76
/* gc_10_3_0_offset.h, from PACKET3_SET_SH_REG_START 0x2c00 */
#define SH_COMPUTE_START_X 0x204
#define SH_COMPUTE_PGM_LO 0x20c
#define SH_COMPUTE_PGM_RSRC1 0x212
#define SH_COMPUTE_TMPRING_SIZE 0x218
#define SH_COMPUTE_USER_DATA_0 0x240
#define INIT_COMPUTE_SHADER_EN 1u
#define INIT_CS_W32_EN (1u << 15)
/* RSRC1: FLOAT_MODE 0xf0, VGPRS 1 (16 VGPRs in wave32);
 * gc_10_3_0_sh_mask.h RSRC2: SCRATCH_EN 0, USER_SGPR 5:1, TGID_X_EN 7,
 * TIDIG_COMP_CNT 12:11 */
#define RSRC1_16_VGPRS ((0xf0u << 12) | 1u)
#define RSRC2_SCRATCH_EN 1u
#define RSRC2_USER_SGPR(n) ((uint32_t)(n) << 1)
#define RSRC2_TGID_X_EN (1u << 7)
#define RSRC2_TIDIG(n) ((uint32_t)(n) << 11)

static void setup(void)
{
	setenv("AMDBARE_TEST_GFX11_PROFILE", "680m", 1);
	vgpu_rig_setup();
}

TestSuite(vgpu_gfx103_shader, .init = setup, .fini = vgpu_rig_teardown);

/* One workgroup of size[0] x size[1] x size[2] wave32 work-items running
 * `code`; user SGPRs `user` (n of them); with `tmpring` non-zero, a
 * SCRATCH_EN dispatch with that COMPUTE_TMPRING_SIZE. */
static int dispatch(const struct rig_buf *code, const uint32_t size[3], uint32_t rsrc2,
		    const uint32_t *user, unsigned n, uint32_t tmpring)
{
	struct rig_buf *ib = vgpu_rig_buf_new(4096);
	uint32_t *p = ib->cpu, k = 0;
	p[k++] = PACKET3(PKT3_SET_SH_REG, 6);
	p[k++] = SH_COMPUTE_START_X;
	p[k++] = 0; p[k++] = 0; p[k++] = 0;
	p[k++] = size[0]; p[k++] = size[1]; p[k++] = size[2];
	p[k++] = PACKET3(PKT3_SET_SH_REG, 2);
	p[k++] = SH_COMPUTE_PGM_LO;
	p[k++] = (uint32_t)(code->va >> 8);
	p[k++] = (uint32_t)(code->va >> 40);
	p[k++] = PACKET3(PKT3_SET_SH_REG, 2);
	p[k++] = SH_COMPUTE_PGM_RSRC1;
	p[k++] = RSRC1_16_VGPRS;
	p[k++] = rsrc2 | RSRC2_USER_SGPR(n) | (tmpring ? RSRC2_SCRATCH_EN : 0);
	p[k++] = PACKET3(PKT3_SET_SH_REG, 1);
	p[k++] = SH_COMPUTE_TMPRING_SIZE;
	p[k++] = tmpring;
	p[k++] = PACKET3(PKT3_SET_SH_REG, n);
	p[k++] = SH_COMPUTE_USER_DATA_0;
	for (unsigned i = 0; i < n; i++)
		p[k++] = user[i];
	p[k++] = PACKET3(PKT3_DISPATCH_DIRECT, 3);
	p[k++] = 1; p[k++] = 1; p[k++] = 1;
	p[k++] = INIT_COMPUTE_SHADER_EN | INIT_CS_W32_EN;
	return vgpu_rig_submit_compute(vgpu_rig_ctx_new(), ib, k);
}

/* AMDGPUUsage "Initial Kernel Execution State" on gfx10.3: work-item id
 * X in v0, Y in v1, Z in v2 (TIDIG_COMP_CNT 2), not packed into v0 as on
 * gfx11.  Each item stores x | y << 8 | z << 16 at its flat index
 * x + 4y + 8z of a 4 x 2 x 2 group. */
Test(vgpu_gfx103_shader, work_item_ids_in_v0_v1_v2)
{
	static const uint32_t code[] = {
		0x34060288,             /* v_lshlrev_b32 v3, 8, v1 */
		0x34080490,             /* v_lshlrev_b32 v4, 16, v2 */
		0xd7720005, 0x04120700, /* v_or3_b32 v5, v0, v3, v4 */
		0xd7460006, 0x04010501, /* v_lshl_add_u32 v6, v1, 2, v0 */
		0xd7460006, 0x04190702, /* v_lshl_add_u32 v6, v2, 3, v6 */
		0x340c0c82,             /* v_lshlrev_b32 v6, 2, v6 */
		0xdc708000, 0x00000506, /* global_store_dword v6, v5, s[0:1] */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *prog = vgpu_rig_program(code, sizeof(code) / 4);
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	uint32_t user[2] = { (uint32_t)out->va, (uint32_t)(out->va >> 32) };
	uint32_t size[3] = { 4, 2, 2 };
	cr_assert_eq(dispatch(prog, size, RSRC2_TIDIG(2), user, 2, 0), 0);
	uint32_t want[16];
	for (uint32_t z = 0; z < 2; z++)
		for (uint32_t y = 0; y < 2; y++)
			for (uint32_t x = 0; x < 4; x++)
				want[x + 4 * y + 8 * z] = x | y << 8 | z << 16;
	vgpu_rig_expect_words(out, want, 16);
}

/* SDWA (RDNA2 ISA, "SDWA"): sources are a byte or word of the register,
 * zero- or sign-extended; the result lands at dst_sel, the rest padded
 * with zeros, sign-extended, or preserved. */
Test(vgpu_gfx103_shader, sdwa_selects_and_destination)
{
	static const uint32_t code[] = {
		0x7e0202ff, 0x8180ff7f, /* v_mov_b32 v1, 0x8180ff7f */
		0x7e0402ff, 0x11223344, /* v_mov_b32 v2, 0x11223344 */
		/* v_add_nc_u32_sdwa v2, v1, v1 dst_sel:BYTE_1
		 * dst_unused:UNUSED_PRESERVE src0_sel:BYTE_0 src1_sel:BYTE_3:
		 * 0x7f + 0x81 = 0x100, low byte 0x00 into byte 1, the rest of
		 * v2 kept: 0x11220044 */
		0x4a0402f9, 0x03001101,
		0x7e060280,             /* v_mov_b32 v3, 0 */
		/* v_add_nc_u32_sdwa v3, sext(v1), v1 dst_sel:WORD_1
		 * dst_unused:UNUSED_PAD src0_sel:BYTE_1 src1_sel:WORD_0:
		 * sext(0xff) = -1, + 0xff7f = 0xff7e into the high word, the
		 * low word 0: 0xff7e0000 */
		0x4a0602f9, 0x04090501,
		0x7e0e0280,             /* v_mov_b32 v7, 0 */
		/* v_or_b32_sdwa v5, v1, v7 dst_sel:BYTE_0 dst_unused:UNUSED_SEXT
		 * src0_sel:BYTE_2 src1_sel:DWORD: 0x80 | 0 with its sign above:
		 * 0xffffff80 */
		0x380a0ef9, 0x06020801,
		0xdc708000, 0x00000207, /* global_store_dword v7, v2, s[0:1] */
		0xdc708004, 0x00000307, /* global_store_dword v7, v3, s[0:1] offset:4 */
		0xdc708008, 0x00000507, /* global_store_dword v7, v5, s[0:1] offset:8 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *prog = vgpu_rig_program(code, sizeof(code) / 4);
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	uint32_t user[2] = { (uint32_t)out->va, (uint32_t)(out->va >> 32) };
	uint32_t size[3] = { 1, 1, 1 };
	cr_assert_eq(dispatch(prog, size, 0, user, 2, 0), 0);
	static const uint32_t want[3] = { 0x11220044u, 0xff7e0000u, 0xffffff80u };
	vgpu_rig_expect_words(out, want, 3);
}

/* Scratch as gfx10.3 kernels use it (MUBUF, not architected flat
 * scratch): the private segment buffer V# in s[4:7] (SWIZZLE_ENABLE,
 * INDEX_STRIDE 32 lanes, ADD_TID_ENABLE, as ROCr builds it), the
 * workgroup id in s8 and the SPI's wave byte offset after it (s9).  Two waves of
 * 32; COMPUTE_TMPRING_SIZE WAVESIZE 4 (x 1 KiB on gfx10.3).  Each lane
 * stores 0x100 + id at private offset 64 and loads it back; in the buffer
 * that dword sits at slot + (64 / 4) * 4 * 32 + lane * 4. */
Test(vgpu_gfx103_shader, scratch_through_the_swizzled_private_segment_buffer)
{
	static const uint32_t code[] = {
		0x34020082,             /* v_lshlrev_b32 v1, 2, v0 */
		0x4a0400ff, 0x00000100, /* v_add_nc_u32_e32 v2, 0x100, v0 */
		0xe0700040, 0x09010200, /* buffer_store_dword v2, off, s[4:7], s9 offset:64 */
		0xe0300040, 0x09010400, /* buffer_load_dword v4, off, s[4:7], s9 offset:64 */
		0xbf8c3f70,             /* s_waitcnt vmcnt(0) */
		0xdc708000, 0x00000401, /* global_store_dword v1, v4, s[0:1] */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *prog = vgpu_rig_program(code, sizeof(code) / 4);
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *scratch = vgpu_rig_buf_new(2 * 4096);
	uint64_t sva = scratch->va;
	uint32_t user[8] = { (uint32_t)out->va, (uint32_t)(out->va >> 32), 0, 0,
			     (uint32_t)sva, ((uint32_t)(sva >> 32) & 0xffffu) | (1u << 31),
			     2 * 4096,
			     4u | (5u << 3) | (6u << 6) | (7u << 9) | (20u << 12) | (2u << 21) |
			     (1u << 23) | (1u << 24) | (2u << 28) };
	uint32_t size[3] = { 64, 1, 1 };
	/* WAVES 2, WAVESIZE 4 (4 KiB per wave) */
	cr_assert_eq(dispatch(prog, size, RSRC2_TGID_X_EN, user, 8, 2u | (4u << 12)), 0);
	uint32_t want[64];
	for (uint32_t i = 0; i < 64; i++)
		want[i] = 0x100 + i;
	vgpu_rig_expect_words(out, want, 64);
	const uint32_t *s = scratch->cpu;
	for (uint32_t wave = 0; wave < 2; wave++)
		for (uint32_t lane = 0; lane < 32; lane++)
			cr_expect_eq(s[(wave * 4096 + 16 * 4 * 32 + lane * 4) / 4], 0x100 + wave * 32 + lane,
				     "wave %u lane %u", wave, lane);
}
