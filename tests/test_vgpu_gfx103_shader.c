/*
 * The vgpu's gfx10.3 shader core on the 680m profile (GC 10.3.3,
 * gfx1035), through raw ioctls: what differs from gfx11 in a wave's
 * initial state (work-item ids in v0/v1/v2 per RSRC2.TIDIG_COMP_CNT, the
 * scratch wave offset SGPR), SDWA operand selects and destination
 * placement, and scratch through the swizzled private segment buffer;
 * images, MSAA ones included (addresses derived in the comments from
 * addrlib's gfx10 RB+ pattern rows).
 * The programs are hand-assembled: each word below is what
 * `llvm-mc-19 -triple=amdgcn -mcpu=gfx1035 -show-encoding` gives for the
 * instruction in the comment next to it.  The expected values are
 * derived in the comments from the RDNA2 ISA's definitions.
 */
#include "float_bits.h"
#include "stderr_capture.h"
#include "vgpu_rig.h"
#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <errno.h>
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

TestSuite(vgpu_gfx103_shader, .init = vgpu_rig_setup_680m, .fini = vgpu_rig_teardown);

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

/* dispatch() with no LDS or scratch, expecting a fault whose log line on
 * stderr contains `want`. */
static void dispatch_faulting(const struct rig_buf *code, const uint32_t size[3],
			      const uint32_t *user, unsigned n, const char *want)
{
	struct stderr_capture cap;
	char log[4096];
	stderr_capture_begin(&cap);
	int r = dispatch(code, size, 0, user, n, 0);
	stderr_capture_end(&cap, log, sizeof(log));
	cr_assert_eq(r, -ECANCELED);
	cr_expect(strstr(log, want) != NULL, "%s", log);
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

/* The gfx10.3 integer dot products, computed here from their RDNA2 ISA
 * definitions: signed or unsigned lanes of 8, 4 or 16 bits, multiplied
 * and summed exactly with S2; clamp saturates, else the low 32 bits. */
static uint32_t ref_dot(uint32_t a, uint32_t b, uint32_t c, unsigned bits, int sgn, int clamp)
{
	int64_t s = sgn ? (int64_t)(int32_t)c : (int64_t)c;
	uint32_t m = bits == 16 ? 0xffffu : (1u << bits) - 1;
	for (unsigned i = 0; i < 32 / bits; i++) {
		int64_t x = (a >> (bits * i)) & m, y = (b >> (bits * i)) & m;
		if (sgn && (x >> (bits - 1))) x -= (int64_t)m + 1;
		if (sgn && (y >> (bits - 1))) y -= (int64_t)m + 1;
		s += x * y;
	}
	if (clamp) {
		int64_t lo = sgn ? INT32_MIN : 0, hi = sgn ? INT32_MAX : (int64_t)UINT32_MAX;
		s = s < lo ? lo : s > hi ? hi : s;
	}
	return (uint32_t)s;
}

/* The gfx10.3-only mnemonics: v_dot4_i32_i8, v_dot8_i32_i4,
 * v_dot2_i32_i16, v_dot2_u32_u16 (VOP3P, op_sel picking the halves),
 * v_dot4c_i32_i8 (VOP2, accumulating into its destination), s_ff0_i32_b32
 * / _b64 (the first zero bit, -1 if none) and s_memtime / s_memrealtime
 * (64-bit counters that do not run backwards). */
Test(vgpu_gfx103_shader, dot_products_ff0_and_memtime)
{
	static const uint32_t code[] = {
		0x7e0202ff, 0x807f02fe, /* v_mov_b32_e32 v1, 0x807f02fe */
		0x7e0402ff, 0xff818003, /* v_mov_b32_e32 v2, 0xff818003 */
		0x7e0602ff, 0x00000064, /* v_mov_b32_e32 v3, 0x64 */
		0x7e000280,             /* v_mov_b32_e32 v0, 0 */
		0xcc164004, 0x1c0e0501, /* v_dot4_i32_i8 v4, v1, v2, v3 */
		0xcc184005, 0x1c0e0501, /* v_dot8_i32_i4 v5, v1, v2, v3 */
		0xcc144006, 0x1c0e0501, /* v_dot2_i32_i16 v6, v1, v2, v3 */
		0xcc154007, 0x1c0e0501, /* v_dot2_u32_u16 v7, v1, v2, v3 */
		0xcc15c008, 0x1b060501, /* v_dot2_u32_u16 v8, v1, v2, -1 clamp */
		0x7e120303,             /* v_mov_b32_e32 v9, v3 */
		0x1a120501,             /* v_dot4c_i32_i8 v9, v1, v2 */
		/* v_dot2_i32_i16 v10, v1, v2, v3 op_sel:[1,0,0] op_sel_hi:[0,1,1] */
		0xcc14480a, 0x140e0501,
		/* v_dot4_i32_i8 v11, v1, v1, 0x7fffffff clamp */
		0xcc16c00b, 0x1bfe0301, 0x7fffffff,
		0xdc788000, 0x00000400, /* global_store_dwordx4 v0, v[4:7], s[0:1] */
		0xdc788010, 0x00000800, /* global_store_dwordx4 v0, v[8:11], s[0:1] offset:16 */
		0xbe8211ff, 0x0000ffff, /* s_ff0_i32_b32 s2, 0xffff */
		0xbe8603c1,             /* s_mov_b32 s6, -1 */
		0xbe8703ff, 0xfffffeff, /* s_mov_b32 s7, 0xfffffeff */
		0xbe831206,             /* s_ff0_i32_b64 s3, s[6:7] */
		0xbe8412c1,             /* s_ff0_i32_b64 s4, -1 */
		0xf4940200, 0x00000000, /* s_memrealtime s[8:9] */
		0xf4900280, 0x00000000, /* s_memtime s[10:11] */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		0xf4940300, 0x00000000, /* s_memrealtime s[12:13] */
		0xf4900380, 0x00000000, /* s_memtime s[14:15] */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		0x7e080202,             /* v_mov_b32_e32 v4, s2 */
		0x7e0a0203,             /* v_mov_b32_e32 v5, s3 */
		0x7e0c0204,             /* v_mov_b32_e32 v6, s4 */
		0x7e0e0208,             /* v_mov_b32_e32 v7, s8 */
		0x7e100209,             /* v_mov_b32_e32 v8, s9 */
		0x7e12020c,             /* v_mov_b32_e32 v9, s12 */
		0x7e14020d,             /* v_mov_b32_e32 v10, s13 */
		0x7e16020a,             /* v_mov_b32_e32 v11, s10 */
		0x7e18020b,             /* v_mov_b32_e32 v12, s11 */
		0x7e1a020e,             /* v_mov_b32_e32 v13, s14 */
		0x7e1c020f,             /* v_mov_b32_e32 v14, s15 */
		0xdc788020, 0x00000400, /* global_store_dwordx4 v0, v[4:7], s[0:1] offset:32 */
		0xdc788030, 0x00000800, /* global_store_dwordx4 v0, v[8:11], s[0:1] offset:48 */
		0xdc7c8040, 0x00000c00, /* global_store_dwordx3 v0, v[12:14], s[0:1] offset:64 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *prog = vgpu_rig_program(code, sizeof(code) / 4);
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	uint32_t user[2] = { (uint32_t)out->va, (uint32_t)(out->va >> 32) };
	uint32_t size[3] = { 1, 1, 1 };
	cr_assert_eq(dispatch(prog, size, 0, user, 2, 0), 0);
	const uint32_t a = 0x807f02feu, b = 0xff818003u;
	/* op_sel:[1,0,0] op_sel_hi:[0,1,1]: S0's high half with S1's low,
	 * S0's low half with S1's high */
	uint32_t a_swapped = (a >> 16) | (a << 16);
	const uint32_t want[8] = {
		ref_dot(a, b, 100, 8, 1, 0), ref_dot(a, b, 100, 4, 1, 0),
		ref_dot(a, b, 100, 16, 1, 0), ref_dot(a, b, 100, 16, 0, 0),
		0xffffffffu, /* 0xffffffff + products > 0, clamped */
		ref_dot(a, b, 100, 8, 1, 0),
		ref_dot(a_swapped, b, 100, 16, 1, 0),
		0x7fffffffu, /* 0x7fffffff + squares, clamped */
	};
	/* the reference against the products worked by hand: bytes
	 * (-2, 2, 127, -128) . (3, -128, -127, -1) + 100; halves
	 * (0x02fe, 0x807f) . (0x8003, 0xff81) signed and unsigned + 100 */
	cr_assert_eq(want[0], (uint32_t)(-6 - 256 - 16129 + 128 + 100));
	cr_assert_eq(want[2], (uint32_t)(766 * -32765 + -32641 * -127 + 100));
	cr_assert_eq(want[3], (uint32_t)(766u * 32771u + 32895u * 65409u + 100u));
	vgpu_rig_expect_words(out, want, 8);
	const uint32_t *o = (const uint32_t *)out->cpu;
	cr_expect_eq(o[8], 16u, "s_ff0_i32_b32 of 0xffff");
	cr_expect_eq(o[9], 40u, "s_ff0_i32_b64 of all ones but bit 40");
	cr_expect_eq(o[10], 0xffffffffu, "s_ff0_i32_b64 of -1");
	uint64_t rt0 = o[11] | (uint64_t)o[12] << 32, rt1 = o[13] | (uint64_t)o[14] << 32;
	uint64_t t0 = o[15] | (uint64_t)o[16] << 32, t1 = o[17] | (uint64_t)o[18] << 32;
	cr_expect(rt0 != 0 && rt1 >= rt0, "s_memrealtime %llu then %llu",
		  (unsigned long long)rt0, (unsigned long long)rt1);
	cr_expect(t0 != 0 && t1 >= t0, "s_memtime %llu then %llu", (unsigned long long)t0,
		  (unsigned long long)t1);
}

/* A gfx10.3 buffer resource (SQ_BUF_RSRC_WORD0..3 as Mesa's gfx10
 * descriptors build it): base, stride 0, NUM_RECORDS bytes, DST_SEL
 * X Y Z W, FORMAT (7 bits at 12, gfx10's codes), RESOURCE_LEVEL 1,
 * OOB_SELECT 3 (raw). */
static void vsharp_gfx103(uint32_t *d, uint64_t va, uint32_t bytes, uint32_t format)
{
	d[0] = (uint32_t)va;
	d[1] = (uint32_t)(va >> 32) & 0xffffu;
	d[2] = bytes;
	d[3] = (4u | 5u << 3 | 6u << 6 | 7u << 9) | format << 12 | 1u << 24 | 3u << 28;
}

/* Typed buffer access with gfx10's FORMAT codes (LLVM's UfmtGFX10): 56
 * is 8_8_8_8_UNORM (gfx11's 42), 32 10_11_11_USCALED (gfx11 has no such
 * format; its 32 is 10_10_10_2_UNORM), 71 16_16_16_16_FLOAT (gfx11's 57);
 * the d16 form (gfx10's buffer_load_format_d16_xyzw); tbuffer_* with the
 * instruction's format; and MUBUF lds:
 * each lane's dword (and sign-extended byte) lands in LDS at M0 +
 * instruction offset + lane * 4, read back with ds_read_b32. */
Test(vgpu_gfx103_shader, typed_buffers_and_mubuf_lds)
{
	static const uint32_t code[] = {
		0x34020082,             /* v_lshlrev_b32_e32 v1, 2, v0 */
		0x34040083,             /* v_lshlrev_b32_e32 v2, 3, v0 */
		0xbefc03c0,             /* s_mov_b32 m0, 64 */
		0xe00c0000, 0x80010400, /* buffer_load_format_xyzw v[4:7], off, s[4:7], 0 */
		0xe0080004, 0x80020800, /* buffer_load_format_xyz v[8:10], off, s[8:11], 0 offset:4 */
		0xe20c0000, 0x80010e00, /* buffer_load_format_d16_xyzw v[14:15], off, s[4:7], 0 */
		0xe0311008, 0x80010001, /* buffer_load_dword v1, s[4:7], 0 offen offset:8 lds */
		0xbefc03ff, 0x00000080, /* s_mov_b32 m0, 0x80 */
		0xe0251018, 0x80010001, /* buffer_load_sbyte v1, s[4:7], 0 offen offset:24 lds */
		0xbf8c3f70,             /* s_waitcnt vmcnt(0) */
		0x7e060280,             /* v_mov_b32_e32 v3, 0 */
		0xdc788000, 0x00000403, /* global_store_dwordx4 v3, v[4:7], s[0:1] */
		0xdc7c8010, 0x00000803, /* global_store_dwordx3 v3, v[8:10], s[0:1] offset:16 */
		0xdc748020, 0x00000e03, /* global_store_dwordx2 v3, v[14:15], s[0:1] offset:32 */
		/* tbuffer_load_format_xyzw v[8:11], off, s[8:11], 0
		 * format:[BUF_FMT_8_8_8_8_UNORM] (the instruction's format, 56,
		 * not the V#'s) */
		0xe9c30000, 0x80020800,
		0xbf8c3f70,             /* s_waitcnt vmcnt(0) */
		0xdc788030, 0x00000803, /* global_store_dwordx4 v3, v[8:11], s[0:1] offset:48 */
		0xe01c0040, 0x80030400, /* buffer_store_format_xyzw v[4:7], off, s[12:15], 0 offset:64 */
		0xd8d80048, 0x0c000001, /* ds_read_b32 v12, v1 offset:72 */
		0xd8d80098, 0x0d000001, /* ds_read_b32 v13, v1 offset:152 */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		0xdc748080, 0x00000c02, /* global_store_dwordx2 v2, v[12:13], s[0:1] offset:128 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *prog = vgpu_rig_program(code, sizeof(code) / 4);
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *in = vgpu_rig_buf_new(4096);
	uint32_t *src = in->cpu;
	src[0] = 0x80ff4000u;                          /* 8_8_8_8: x 0, y 0x40, z 0xff, w 0x80 */
	src[1] = 5u | 300u << 11 | 1000u << 22;        /* 10_11_11: x 10:0, y 21:11, z 31:22 */
	for (uint32_t l = 0; l < 4; l++)
		src[2 + l] = 0x1000u + l;              /* the lds dwords */
	static const uint32_t bytes[4] = { 0xffu, 0x7fu, 0x80u, 0x01u };
	for (uint32_t l = 0; l < 4; l++)
		src[6 + l] = 0xabcd00u | bytes[l];     /* the lds sbytes (the low byte) */
	uint32_t user[16] = { (uint32_t)out->va, (uint32_t)(out->va >> 32) };
	vsharp_gfx103(&user[4], in->va, 64, 56);
	vsharp_gfx103(&user[8], in->va, 64, 32);
	vsharp_gfx103(&user[12], out->va, 256, 71);
	uint32_t size[3] = { 4, 1, 1 };
	/* RSRC2.LDS_SIZE 1: 128 dwords */
	cr_assert_eq(dispatch(prog, size, 1u << 15, user, 16, 0), 0);
	const uint32_t *o = out->cpu;
	/* UNORM: raw / 255 */
	cr_expect_eq(o[0], f32_bits(0.0f));
	cr_expect_eq(o[1], f32_bits(64.0f / 255.0f));
	cr_expect_eq(o[2], f32_bits(1.0f));
	cr_expect_eq(o[3], f32_bits(128.0f / 255.0f));
	/* USCALED: the field as a float */
	cr_expect_eq(o[4], f32_bits(5.0f));
	cr_expect_eq(o[5], f32_bits(300.0f));
	cr_expect_eq(o[6], f32_bits(1000.0f));
	for (unsigned i = 0; i < 4; i++)
		cr_expect_eq(o[12 + i], o[i], "tbuffer component %u", i);
	/* d16: f16 of 0, 64/255 (1.00392 x 2^-2: 0x3404), 1, 128/255 (0x3804) */
	cr_expect_eq(o[8], 0x34040000u);
	cr_expect_eq(o[9], 0x38043c00u);
	/* the 16_16_16_16_FLOAT store of the same four values */
	cr_expect_eq(o[16], 0x34040000u);
	cr_expect_eq(o[17], 0x38043c00u);
	static const int32_t sb[4] = { -1, 0x7f, -128, 1 };
	for (uint32_t l = 0; l < 4; l++) {
		cr_expect_eq(o[32 + 2 * l], 0x1000u + l, "lane %u lds dword", l);
		cr_expect_eq(o[33 + 2 * l], (uint32_t)sb[l], "lane %u lds sbyte", l);
	}
}

/* A gfx10.3 image descriptor (SQ_IMG_RSRC_WORD0..7 of gfx10): a linear
 * (SW_MODE 0) one-level 2D image (TYPE 9) of w x h texels, FORMAT (word
 * 1 bits 28:20, gfx10's codes), DST_SEL X Y Z W, MAX_MIP 0 (word 5). */
static void tsharp_gfx103(uint32_t *d, uint64_t va, uint32_t w, uint32_t h, uint32_t format)
{
	memset(d, 0, 32);
	d[0] = (uint32_t)(va >> 8);
	d[1] = ((uint32_t)(va >> 40) & 0xffu) | format << 20 | ((w - 1) & 3u) << 30;
	d[2] = ((w - 1) >> 2) | (h - 1) << 14;
	d[3] = (4u | 5u << 3 | 6u << 6 | 7u << 9) | 9u << 28;
}

/* Images on gfx10.3, linear and one level: an 8 x 4 32_UINT image
 * (gfx10 code 20) written with image_store, incremented with
 * image_atomic_add (glc: the old value back) and sized with
 * image_get_resinfo; an 8 x 4 8_8_8_8_UNORM image (gfx10 code 56, which
 * is 16_16_16_16_FLOAT on gfx11) read with image_load.  The linear rows
 * are 256 bytes apart (addrlib pads a linear pitch to 256 bytes): texel
 * (x, y) of the 32-bit image is at y * 256 + x * 4. */
Test(vgpu_gfx103_shader, linear_2d_images)
{
	static const uint32_t code[] = {
		0xf40c0101, 0xfa000000, /* s_load_dwordx8 s[4:11], s[2:3], 0x0 */
		0xf40c0301, 0xfa000020, /* s_load_dwordx8 s[12:19], s[2:3], 0x20 */
		0x34040284,             /* v_lshlrev_b32_e32 v2, 4, v1 */
		0x4a040102,             /* v_add_nc_u32_e32 v2, v2, v0 */
		0x34060283,             /* v_lshlrev_b32_e32 v3, 3, v1 */
		0x4a060103,             /* v_add_nc_u32_e32 v3, v3, v0 */
		0x34060685,             /* v_lshlrev_b32_e32 v3, 5, v3 */
		0x7e1402ff, 0x000003e8, /* v_mov_b32_e32 v10, 0x3e8 */
		0x7e160280,             /* v_mov_b32_e32 v11, 0 */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		/* image_store v2, v[0:1], s[4:11] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm */
		0xf0201108, 0x00010200,
		0xbbfd0000,             /* s_waitcnt_vscnt null, 0x0 */
		/* image_atomic_add v10, v[0:1], s[4:11] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm glc */
		0xf0443108, 0x00010a00,
		/* image_load v[4:7], v[0:1], s[12:19] dmask:0xf dim:SQ_RSRC_IMG_2D unorm */
		0xf0001f08, 0x00030400,
		/* image_get_resinfo v[8:9], v11, s[4:11] dmask:0x3 dim:SQ_RSRC_IMG_2D unorm */
		0xf0381308, 0x0001080b,
		0xbf8c3f70,             /* s_waitcnt vmcnt(0) */
		0xdc788000, 0x00000403, /* global_store_dwordx4 v3, v[4:7], s[0:1] */
		0xdc748010, 0x00000803, /* global_store_dwordx2 v3, v[8:9], s[0:1] offset:16 */
		0xdc708018, 0x00000a03, /* global_store_dword v3, v10, s[0:1] offset:24 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *prog = vgpu_rig_program(code, sizeof(code) / 4);
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *desc = vgpu_rig_buf_new(4096);
	struct rig_buf *img_u32 = vgpu_rig_buf_new(4096);
	struct rig_buf *img_unorm = vgpu_rig_buf_new(4096);
	uint32_t *t = desc->cpu;
	tsharp_gfx103(&t[0], img_u32->va, 8, 4, 20);
	tsharp_gfx103(&t[8], img_unorm->va, 8, 4, 56);
	/* texel (x, y) of the UNORM image: bytes x, 16 y, 255, 128 + x */
	uint32_t *u = img_unorm->cpu;
	for (uint32_t y = 0; y < 4; y++)
		for (uint32_t x = 0; x < 8; x++)
			u[y * 64 + x] = x | (16u * y) << 8 | 255u << 16 | (128u + x) << 24;
	uint32_t user[4] = { (uint32_t)out->va, (uint32_t)(out->va >> 32), (uint32_t)desc->va,
			     (uint32_t)(desc->va >> 32) };
	uint32_t size[3] = { 8, 4, 1 };
	cr_assert_eq(dispatch(prog, size, RSRC2_TIDIG(1), user, 4, 0), 0);
	const uint32_t *o = out->cpu, *m = img_u32->cpu;
	for (uint32_t y = 0; y < 4; y++)
		for (uint32_t x = 0; x < 8; x++) {
			const uint32_t *r = &o[(y * 8 + x) * 8];
			cr_expect_eq(r[0], f32_bits((float)x / 255.0f), "(%u,%u) x", x, y);
			cr_expect_eq(r[1], f32_bits((float)(16 * y) / 255.0f), "(%u,%u) y", x, y);
			cr_expect_eq(r[2], f32_bits(1.0f), "(%u,%u) z", x, y);
			cr_expect_eq(r[3], f32_bits((float)(128 + x) / 255.0f), "(%u,%u) w", x, y);
			cr_expect_eq(r[4], 8u, "resinfo width");
			cr_expect_eq(r[5], 4u, "resinfo height");
			cr_expect_eq(r[6], x + 16 * y, "(%u,%u) atomic old value", x, y);
			cr_expect_eq(m[y * 64 + x], x + 16 * y + 1000, "(%u,%u) in memory", x, y);
		}
}

/* A tiled gfx10.3 image: 256 x 128 texels of 32_UINT in SW_MODE 27
 * (SW_64KB_R_X), with pipe/bank XOR 3 in the base address's bits 9:8.  On
 * the 680m (GB_ADDR_CONFIG 0x243: 8 pipes, 4 packers) addrlib's gfx10 RB+
 * pattern (GFX10_SW_64K_R_X_1xaa_RBPLUS_PATINFO row "8 pipes (4 PKRs) 4
 * bpe": nibbles 3, 39, 297, 376) gives the address bits of a 128 x 128
 * block
 *   2 X0, 3 X1, 4 Y0, 5 Y1, 6 X2, 7 Y2, 8 Y4^X6^Y6, 9 Z1^X4^Y4,
 *   10 Z0^X5^Y5, 11 X3, 12 Y3, 13 X5^Y8, 14 X6^Y7, 15 Y6^X7
 * so (9, 10) is at 0x1824, (100, 77) at 0xf4d0 and (130, 5) in the second
 * block at 0x10000 + 0x8098, before the XOR of 0x300 into bits 15:0. */
Test(vgpu_gfx103_shader, tiled_64kb_r_x_image)
{
	static const uint32_t code[] = {
		0x34140083,             /* v_lshlrev_b32_e32 v10, 3, v0 */
		0xdc348000, 0x0100000a, /* global_load_dwordx2 v[1:2], v10, s[0:1] */
		0xf40c0101, 0xfa000000, /* s_load_dwordx8 s[4:11], s[2:3], 0x0 */
		0x4a0600ff, 0x00000064, /* v_add_nc_u32_e32 v3, 0x64, v0 */
		0x34160082,             /* v_lshlrev_b32_e32 v11, 2, v0 */
		0xbf8c0070,             /* s_waitcnt vmcnt(0) lgkmcnt(0) */
		/* image_store v3, v[1:2], s[4:11] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm */
		0xf0201108, 0x00010301,
		0xbbfd0000,             /* s_waitcnt_vscnt null, 0x0 */
		/* image_load v4, v[1:2], s[4:11] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm */
		0xf0001108, 0x00010401,
		0xbf8c3f70,             /* s_waitcnt vmcnt(0) */
		0xdc708100, 0x0000040b, /* global_store_dword v11, v4, s[0:1] offset:256 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *prog = vgpu_rig_program(code, sizeof(code) / 4);
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *desc = vgpu_rig_buf_new(4096);
	struct rig_buf *img = vgpu_rig_buf_new(4 * 65536);
	/* the image at the first 64 KiB boundary inside the buffer */
	uint64_t base = (img->va + 0xffff) & ~0xffffull;
	uint8_t *at0 = (uint8_t *)img->cpu + (base - img->va);
	uint32_t *t = desc->cpu;
	tsharp_gfx103(t, base | 0x300, 256, 128, 20);
	t[3] |= 27u << 20; /* SW_MODE 27: SW_64KB_R_X */
	uint32_t *m = out->cpu;
	const uint32_t xy[3][2] = { { 9, 10 }, { 100, 77 }, { 130, 5 } };
	const uint32_t at[3] = { 0x1824 ^ 0x300, 0xf4d0 ^ 0x300, 0x10000 + (0x8098 ^ 0x300) };
	for (unsigned i = 0; i < 3; i++) {
		m[2 * i] = xy[i][0];
		m[2 * i + 1] = xy[i][1];
	}
	uint32_t user[4] = { (uint32_t)out->va, (uint32_t)(out->va >> 32), (uint32_t)desc->va,
			     (uint32_t)(desc->va >> 32) };
	uint32_t size[3] = { 3, 1, 1 };
	cr_assert_eq(dispatch(prog, size, 0, user, 4, 0), 0);
	unsigned found = 0;
	for (unsigned k = 0; k < 2 * 65536 / 4; k++)
		found += ((const uint32_t *)at0)[k] != 0;
	cr_expect_eq(found, 3, "three texels written, %u found", found);
	for (unsigned i = 0; i < 3; i++) {
		uint32_t v;
		memcpy(&v, at0 + at[i], 4);
		cr_expect_eq(v, 100 + i, "(%u, %u) at 0x%x: %u", xy[i][0], xy[i][1], at[i], v);
		cr_expect_eq(m[64 + i], 100 + i, "image_load back, lane %u", i);
	}
}

/* GLOBAL lds on gfx10.3 (global_load_dword/ushort ... lds): as MUBUF lds,
 * each lane's loaded value (a ushort zero-extended) lands in LDS at M0 +
 * instruction offset + lane * 4. */
Test(vgpu_gfx103_shader, global_lds)
{
	static const uint32_t code[] = {
		0x34020082,             /* v_lshlrev_b32_e32 v1, 2, v0 */
		0xbefc03a0,             /* s_mov_b32 m0, 32 */
		0xdc30a008, 0x00020001, /* global_load_dword v1, s[2:3] offset:8 lds */
		0xdc28a018, 0x00020001, /* global_load_ushort v1, s[2:3] offset:24 lds */
		0xbf8c3f70,             /* s_waitcnt vmcnt(0) */
		0xd8d80028, 0x02000001, /* ds_read_b32 v2, v1 offset:40 */
		0xd8d80038, 0x03000001, /* ds_read_b32 v3, v1 offset:56 */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		0xdc708000, 0x00000201, /* global_store_dword v1, v2, s[0:1] */
		0xdc708010, 0x00000301, /* global_store_dword v1, v3, s[0:1] offset:16 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *prog = vgpu_rig_program(code, sizeof(code) / 4);
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *in = vgpu_rig_buf_new(4096);
	uint32_t *src = in->cpu;
	for (uint32_t l = 0; l < 4; l++) {
		src[2 + l] = 0x2000u + l;
		src[6 + l] = 0xabcd8000u + l; /* the ushort: 0x8000 + l */
	}
	uint32_t user[4] = { (uint32_t)out->va, (uint32_t)(out->va >> 32), (uint32_t)in->va,
			     (uint32_t)(in->va >> 32) };
	uint32_t size[3] = { 4, 1, 1 };
	cr_assert_eq(dispatch(prog, size, 1u << 15, user, 4, 0), 0);
	const uint32_t *o = out->cpu;
	for (uint32_t l = 0; l < 4; l++) {
		cr_expect_eq(o[l], 0x2000u + l, "lane %u dword", l);
		cr_expect_eq(o[4 + l], 0x8000u + l, "lane %u ushort", l);
	}
}

/* A linear gfx10.3 image with two levels (MAX_MIP 1 in word 5, LAST_LEVEL
 * 1): Gfx10Lib::HwlComputeSurfaceInfoLinear puts the smallest level first,
 * each with its own 256-byte pitch: for 8 x 4 texels of 32_UINT, level 1
 * (4 x 2) at 0 with a 64-texel pitch, level 0 at 512; so level 1 (1, 1)
 * is at 256 + 4 and level 0 (3, 2) at 512 + 512 + 12. */
Test(vgpu_gfx103_shader, linear_mip_chain)
{
	static const uint32_t code[] = {
		0xf40c0101, 0xfa000000, /* s_load_dwordx8 s[4:11], s[2:3], 0x0 */
		0x7e000281,             /* v_mov_b32_e32 v0, 1 */
		0x7e020281,             /* v_mov_b32_e32 v1, 1 */
		0x7e040281,             /* v_mov_b32_e32 v2, 1 */
		0x7e0602ff, 0x00000111, /* v_mov_b32_e32 v3, 0x111 */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		/* image_store_mip v3, v[0:2], s[4:11] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm */
		0xf0241108, 0x00010300,
		0x7e000283,             /* v_mov_b32_e32 v0, 3 */
		0x7e020282,             /* v_mov_b32_e32 v1, 2 */
		0x7e040280,             /* v_mov_b32_e32 v2, 0 */
		0x7e0602ff, 0x00000222, /* v_mov_b32_e32 v3, 0x222 */
		/* image_store_mip v3, v[0:2], s[4:11] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm */
		0xf0241108, 0x00010300,
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *prog = vgpu_rig_program(code, sizeof(code) / 4);
	struct rig_buf *desc = vgpu_rig_buf_new(4096);
	struct rig_buf *img = vgpu_rig_buf_new(4096);
	uint32_t *t = desc->cpu;
	tsharp_gfx103(t, img->va, 8, 4, 20);
	t[3] |= 1u << 16; /* LAST_LEVEL 1 */
	t[5] |= 1u << 4;  /* MAX_MIP 1 */
	uint32_t user[4] = { 0, 0, (uint32_t)desc->va, (uint32_t)(desc->va >> 32) };
	uint32_t size[3] = { 1, 1, 1 };
	cr_assert_eq(dispatch(prog, size, 0, user, 4, 0), 0);
	const uint32_t *m = img->cpu;
	unsigned found = 0;
	for (unsigned k = 0; k < 1024; k++)
		found += m[k] != 0;
	cr_expect_eq(found, 2, "two texels written, %u found", found);
	cr_expect_eq(m[(256 + 4) / 4], 0x111u, "level 1 (1, 1)");
	cr_expect_eq(m[(512 + 512 + 12) / 4], 0x222u, "level 0 (3, 2)");
}

/* ---- MSAA images --------------------------------------------------------- */

/* Lane l reads (x, y, sample) (2D_MSAA) or (x, y, layer, sample)
 * (2D_MSAA_ARRAY) from s[0:1] + 16 l, stores 100 + l there with
 * image_store, loads it back with image_load and writes that to s[0:1] +
 * 1024 + 4 l; the T# at s[2:3]. */
static const uint32_t msaa_2d[] = {
	0x34140084,             /* v_lshlrev_b32_e32 v10, 4, v0 */
	0xdc388000, 0x0100000a, /* global_load_dwordx4 v[1:4], v10, s[0:1] */
	0xf40c0101, 0xfa000000, /* s_load_dwordx8 s[4:11], s[2:3], 0x0 */
	0x4a0a00ff, 0x00000064, /* v_add_nc_u32_e32 v5, 0x64, v0 */
	0x34160082,             /* v_lshlrev_b32_e32 v11, 2, v0 */
	0xbf8c0070,             /* s_waitcnt vmcnt(0) lgkmcnt(0) */
	/* image_store v5, v[1:3], s[4:11] dmask:0x1 dim:SQ_RSRC_IMG_2D_MSAA unorm */
	0xf0201130, 0x00010501,
	0xbbfd0000,             /* s_waitcnt_vscnt null, 0x0 */
	/* image_load v6, v[1:3], s[4:11] dmask:0x1 dim:SQ_RSRC_IMG_2D_MSAA unorm */
	0xf0001130, 0x00010601,
	0xbf8c3f70,             /* s_waitcnt vmcnt(0) */
	0xdc708400, 0x0000060b, /* global_store_dword v11, v6, s[0:1] offset:1024 */
	0xbf810000,             /* s_endpgm */
};

static const uint32_t msaa_array[] = {
	0x34140084,             /* v_lshlrev_b32_e32 v10, 4, v0 */
	0xdc388000, 0x0100000a, /* global_load_dwordx4 v[1:4], v10, s[0:1] */
	0xf40c0101, 0xfa000000, /* s_load_dwordx8 s[4:11], s[2:3], 0x0 */
	0x4a0a00ff, 0x00000064, /* v_add_nc_u32_e32 v5, 0x64, v0 */
	0x34160082,             /* v_lshlrev_b32_e32 v11, 2, v0 */
	0xbf8c0070,             /* s_waitcnt vmcnt(0) lgkmcnt(0) */
	/* image_store v5, v[1:4], s[4:11] dmask:0x1 dim:SQ_RSRC_IMG_2D_MSAA_ARRAY unorm */
	0xf0201138, 0x00010501,
	0xbbfd0000,             /* s_waitcnt_vscnt null, 0x0 */
	/* image_load v6, v[1:4], s[4:11] dmask:0x1 dim:SQ_RSRC_IMG_2D_MSAA_ARRAY unorm */
	0xf0001138, 0x00010601,
	0xbf8c3f70,             /* s_waitcnt vmcnt(0) */
	0xdc708400, 0x0000060b, /* global_store_dword v11, v6, s[0:1] offset:1024 */
	0xbf810000,             /* s_endpgm */
};

/* A gfx10.3 MSAA T# as RADV's gfx10_make_texture_descriptor writes it:
 * TYPE 14 (2D_MSAA) or 15 (2D_MSAA_ARRAY, DEPTH the last layer),
 * LAST_LEVEL and MAX_MIP log2(samples), SW_MODE in word 3 bits 24:20. */
static void tsharp_msaa(uint32_t *d, uint64_t va, uint32_t w, uint32_t h, uint32_t format,
			unsigned type, unsigned sw_mode, unsigned log2s, uint32_t depth)
{
	tsharp_gfx103(d, va, w, h, format);
	d[3] = (d[3] & 0x0000ffffu) | log2s << 16 | sw_mode << 20 | type << 28;
	d[4] = depth;
	d[5] = log2s << 4;
}

/* Runs `prog` on `lanes` lanes with the points pts[lane] (4 words each) in
 * `out` and the T# d copied to `desc`. */
static int run_msaa(const struct rig_buf *prog, struct rig_buf *desc, unsigned lanes,
		    const uint32_t (*pts)[4], struct rig_buf *out, const uint32_t *d)
{
	memcpy(desc->cpu, d, 32);
	uint32_t *m = out->cpu;
	for (unsigned i = 0; i < lanes; i++)
		memcpy(&m[4 * i], pts[i], 16);
	uint32_t user[4] = { (uint32_t)out->va, (uint32_t)(out->va >> 32), (uint32_t)desc->va,
			     (uint32_t)(desc->va >> 32) };
	uint32_t size[3] = { lanes, 1, 1 };
	return dispatch(prog, size, 0, user, 4, 0);
}

/* The image at the first 64 KiB boundary past out->va + 4 KiB */
static uint64_t msaa_base(const struct rig_buf *out)
{
	return (out->va + 0x1000 + 0xffff) & ~(uint64_t)0xffff;
}

/* A 4-sample 130 x 40 32_UINT image (gfx10 code 20) in SW_MODE 27
 * (SW_64KB_R_X, the mode RADV picks for a 4-sample r32ui storage image on
 * the 680m), pipe/bank XOR 3 in BASE_ADDRESS bits 1:0 (0x300 in bytes).
 * On the 680m (GB_ADDR_CONFIG 0x243: 8 pipes, 4 packers,
 * m_colorBaseIndex 25) addrlib's GFX10_SW_64K_R_X_4xaa_RBPLUS_PATINFO row
 * 27 (4 bytes: nibbles 39, 297, 743, 0) gives the address bits
 *   2 X0, 3 X1, 4 Y0, 5 Y1, 6 X2, 7 Y2, 8 Y4^X6^Y6, 9 Z1^X4^Y4,
 *   10 Z0^X5^Y5, 11 X3, 12 Y3, 13 X5^Y8, 14 S0^X6^Y7, 15 S1^Y6^X7
 * (the samples in the top bits, unlike gfx11's 4xaa pattern, which puts
 * S0/S1 in bits 2/3) of a 64 x 64 block (ComputeThinBlockDimension:
 * 2^(16 - 2 - 2) texels, width first for 4x), three blocks per row (130
 * pads to 192), so (0, 0) sample 1 is at 0x4000, sample 3 at 0xc000, (5, 9)
 * sample 2 at 0x9054, (1, 0) sample 0 at 0x4, (0, 1) sample 0 at 0x10,
 * (70, 3) sample 1 in the second block at 0x10000 + 0x178 and (129, 39)
 * sample 3 in the third at 0x20000 + 0x44b4, each XORed with 0x300
 * inside the block (Gfx10Lib::ComputeSurfaceAddrFromCoordMacroTiled,
 * numFrags > 1). */
Test(vgpu_gfx103_shader, msaa_4x_r_x_image)
{
	static const uint32_t pts[7][4] = { { 0, 0, 1 }, { 0, 0, 3 }, { 5, 9, 2 }, { 1, 0, 0 },
					    { 0, 1, 0 }, { 70, 3, 1 }, { 129, 39, 3 } };
	static const uint32_t at[7] = { 0x4000, 0xc000, 0x9054, 0x4, 0x10, 0x10000 + 0x178,
					0x20000 + 0x44b4 };
	struct rig_buf *out = vgpu_rig_buf_new(0x50000);
	uint64_t base = msaa_base(out);
	uint32_t d[8];
	tsharp_msaa(d, base | 0x300, 130, 40, 20, 14, 27, 2, 0);
	cr_assert_eq(run_msaa(vgpu_rig_program(msaa_2d, sizeof(msaa_2d) / 4), vgpu_rig_buf_new(4096),
			      7, pts, out, d), 0);
	const uint32_t *img = (const uint32_t *)((const uint8_t *)out->cpu + (base - out->va));
	const uint32_t *m = out->cpu;
	unsigned found = 0;
	for (unsigned k = 0; k < 0x30000 / 4; k++)
		found += img[k] != 0;
	cr_expect_eq(found, 7, "seven samples written, %u found", found);
	for (unsigned i = 0; i < 7; i++) {
		uint32_t a = at[i] ^ 0x300;
		cr_expect_eq(img[a / 4], 100 + i, "(%u, %u) sample %u at 0x%x: %u", pts[i][0],
			     pts[i][1], pts[i][2], a, img[a / 4]);
		cr_expect_eq(m[256 + i], 100 + i, "image_load back, lane %u", i);
	}
}

/* A 2-sample 2D MSAA array (TYPE 15, DEPTH 1: two layers) of 16 x 130
 * 32_UINT texels in SW_MODE 24 (SW_64KB_Z_X).  With 2 samples (odd log2)
 * and a 64 KiB block ComputeThinBlockDimension makes the block 64 x 128
 * (2^13 texels, height first), so 130 rows pad to 256 and a slice is
 * 64 * 256 * 4 * 2 = 0x20000 bytes, the second block row at 0x10000.
 * GFX10_SW_64K_Z_X_2xaa_RBPLUS_PATINFO row 27 (nibbles 15, 297, 421, 0)
 * gives the address bits
 *   2 S0, 3 X0, 4 Y0, 5 X1, 6 Y1, 7 X2, 8 Y4^X6^Y6, 9 Z1^X4^Y4,
 *   10 Z0^X5^Y5, 11 X3, 12 Y3, 13 X5^Y8, 14 Y6^X7, 15 Y2^X6^Y7
 * (Z the layer), so with no pipe/bank XOR: (0, 0) layer 0 sample 1 at
 * 0x4, (3, 129) layer 0 sample 0 at 0x10000 + 0x8038, (5, 7) layer 1
 * sample 1 at 0x20000 + 0x84dc, (15, 15) layer 1 sample 0 at 0x20000 +
 * 0x9cf8. */
Test(vgpu_gfx103_shader, msaa_2x_z_x_array_image)
{
	static const uint32_t pts[4][4] = { { 0, 0, 0, 1 }, { 3, 129, 0, 0 }, { 5, 7, 1, 1 },
					    { 15, 15, 1, 0 } };
	static const uint32_t at[4] = { 0x4, 0x10000 + 0x8038, 0x20000 + 0x84dc,
					0x20000 + 0x9cf8 };
	struct rig_buf *out = vgpu_rig_buf_new(0x60000);
	uint64_t base = msaa_base(out);
	uint32_t d[8];
	tsharp_msaa(d, base, 16, 130, 20, 15, 24, 1, 1);
	cr_assert_eq(run_msaa(vgpu_rig_program(msaa_array, sizeof(msaa_array) / 4),
			      vgpu_rig_buf_new(4096), 4, pts, out, d), 0);
	const uint32_t *img = (const uint32_t *)((const uint8_t *)out->cpu + (base - out->va));
	const uint32_t *m = out->cpu;
	unsigned found = 0;
	for (unsigned k = 0; k < 0x40000 / 4; k++)
		found += img[k] != 0;
	cr_expect_eq(found, 4, "four samples written, %u found", found);
	for (unsigned i = 0; i < 4; i++) {
		cr_expect_eq(img[at[i] / 4], 100 + i, "(%u, %u) layer %u sample %u at 0x%x: %u",
			     pts[i][0], pts[i][1], pts[i][2], pts[i][3], at[i], img[at[i] / 4]);
		cr_expect_eq(m[256 + i], 100 + i, "image_load back, lane %u", i);
	}
}

/* What addrlib refuses for a gfx10 MSAA surface, or the T# does not
 * define, faults (-ECANCELED): SW_64KB_Z_X with 64-bit texels (32_32_UINT,
 * gfx10 code 62: Gfx10Lib::ValidateSwModeParams refuses a Z-order MSAA
 * surface of more than 32 bits per texel; the same T# in SW_64KB_R_X
 * runs), SW_4KB_D_X (no multi-sample pattern: GetSwizzlePatternInfo),
 * linear (ValidateSwModeParams), one sample (LAST_LEVEL 0: no numFrag 1
 * MSAA surface), and sample 4 of 4. */
Test(vgpu_gfx103_shader, msaa_refusals_fault)
{
	static const uint32_t p0[1][4] = { { 0, 0, 0 } }, p4[1][4] = { { 0, 0, 4 } };
	static const struct { unsigned format, sw_mode, log2s; const uint32_t (*pt)[4]; int rc; } c[] = {
		{ 62, 27, 2, p0, 0 },           /* R_X, 8-byte texels: runs */
		{ 62, 24, 2, p0, -ECANCELED },  /* Z_X, 8-byte texels */
		{ 20, 22, 2, p0, -ECANCELED },  /* SW_4KB_D_X */
		{ 20, 0, 2, p0, -ECANCELED },   /* linear */
		{ 20, 27, 0, p0, -ECANCELED },  /* one sample */
		{ 20, 27, 2, p4, -ECANCELED },  /* sample 4 of 4 */
	};
	struct rig_buf *out = vgpu_rig_buf_new(0x30000), *desc = vgpu_rig_buf_new(4096);
	struct rig_buf *prog = vgpu_rig_program(msaa_2d, sizeof(msaa_2d) / 4);
	for (unsigned i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		uint32_t d[8];
		tsharp_msaa(d, msaa_base(out), 16, 16, c[i].format, 14, c[i].sw_mode, c[i].log2s, 0);
		cr_expect_eq(run_msaa(prog, desc, 1, c[i].pt, out, d), c[i].rc, "case %u", i);
	}
}

/* The float image atomics of gfx10.3 (gfx9 and gfx11 have none), with the
 * f32 semantics of buffer_atomic_fmin/fmax/fcmpswap: min/max are IEEE
 * minNum/maxNum (a NaN operand loses; two NaNs give the data's), of -0.0
 * and +0.0, which compare equal, the value in memory stays, denormals are
 * neither flushed nor changed (the result is one operand's bits);
 * fcmpswap takes DATA = {new value, compare value} and compares as floats
 * (-0.0 == +0.0, a NaN equals nothing, not even its own bits), and glc
 * returns the value before the operation in the first data VGPR only.
 * Each row: the texel's value before, the data (and for fcmpswap the
 * compare value), the value after. */
#define QNAN 0x7fc00000u
#define NZERO 0x80000000u
#define DEN 0x00000001u     /* the smallest positive denormal */
#define NDEN 0x80000001u
#define INF 0x7f800000u
#define NINF 0xff800000u
#define F1 0x3f800000u
#define F2 0x40000000u
#define FM3 0xc0400000u
#define F5 0x40a00000u
#define F7 0x40e00000u
static const uint32_t fmin_rows[10][3] = {
	{ F1, F2, F1 }, { F2, FM3, FM3 }, { 0, NZERO, 0 }, { NZERO, 0, NZERO },
	{ QNAN, F5, F5 }, { F5, QNAN, F5 }, { DEN, 0, 0 }, { DEN, NDEN, NDEN },
	{ NINF, F1, NINF }, { QNAN | 1, QNAN | 2, QNAN | 2 },
};
static const uint32_t fmax_rows[10][3] = {
	{ F1, F2, F2 }, { F2, FM3, F2 }, { 0, NZERO, 0 }, { NZERO, 0, NZERO },
	{ QNAN, F5, F5 }, { F5, QNAN, F5 }, { DEN, 0, DEN }, { NDEN, DEN, DEN },
	{ INF, F1, INF }, { QNAN | 1, QNAN | 2, QNAN | 2 },
};
static const uint32_t fcmpswap_rows[10][4] = {
	{ F1, F7, F1, F7 },    { F1, F7, F2, F1 },      { NZERO, F7, 0, F7 },
	{ 0, F7, NZERO, F7 },  { QNAN, F7, QNAN, QNAN }, { DEN, F7, DEN, F7 },
	{ DEN, F7, 0, DEN },   { F2, F7, F2 | 1, F2 },   { INF, NINF, INF, NINF },
	{ F5, QNAN, F5, QNAN },
};

/* Lane i: x, y, fmin data, fmax data, fcmpswap {new, compare} from the
 * table at 32 i; image_atomic_fmin/fmax/fcmpswap with glc on three 32_FLOAT
 * images (gfx10 code 22); the three old values and the compare VGPR
 * stored back over the lane's row. */
static const uint32_t float_atomics_code[] = {
	0x34140085,             /* v_lshlrev_b32_e32 v10, 5, v0 */
	0xdc388000, 0x0100000a, /* global_load_dwordx4 v[1:4], v10, s[0:1] */
	0xdc348010, 0x0500000a, /* global_load_dwordx2 v[5:6], v10, s[0:1] offset:16 */
	0xf40c0101, 0xfa000000, /* s_load_dwordx8 s[4:11], s[2:3], 0x0 */
	0xf40c0301, 0xfa000020, /* s_load_dwordx8 s[12:19], s[2:3], 0x20 */
	0xf40c0501, 0xfa000040, /* s_load_dwordx8 s[20:27], s[2:3], 0x40 */
	0xbf8c0070,             /* s_waitcnt vmcnt(0) lgkmcnt(0) */
	/* image_atomic_fmin v3, v[1:2], s[4:11] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm glc */
	0xf0783108, 0x00010301,
	/* image_atomic_fmax v4, v[1:2], s[12:19] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm glc */
	0xf07c3108, 0x00030401,
	/* image_atomic_fcmpswap v[5:6], v[1:2], s[20:27] dmask:0x3 dim:SQ_RSRC_IMG_2D unorm glc */
	0xf0743308, 0x00050501,
	0xbf8c3f70,             /* s_waitcnt vmcnt(0) */
	0xdc788000, 0x0000030a, /* global_store_dwordx4 v10, v[3:6], s[0:1] */
	0xbf810000,             /* s_endpgm */
};

/* Runs the program on `n` lanes, lane i on texel xy[i] at byte `at[i]`
 * of each image, with table row rows[i]; `at0[k]` is image k's first
 * byte, `t` the three T#s already written. */
static void run_float_atomics(unsigned n, const uint32_t (*xy)[2], const uint32_t *at,
			      const unsigned *rows, uint8_t *const at0[3], struct rig_buf *desc)
{
	struct rig_buf *prog = vgpu_rig_program(float_atomics_code,
						sizeof(float_atomics_code) / 4);
	struct rig_buf *io = vgpu_rig_buf_new(4096);
	uint32_t *q = io->cpu;
	for (unsigned i = 0; i < n; i++) {
		unsigned k = rows[i];
		memcpy(at0[0] + at[i], &fmin_rows[k][0], 4);
		memcpy(at0[1] + at[i], &fmax_rows[k][0], 4);
		memcpy(at0[2] + at[i], &fcmpswap_rows[k][0], 4);
		uint32_t row[6] = { xy[i][0], xy[i][1], fmin_rows[k][1], fmax_rows[k][1],
				    fcmpswap_rows[k][1], fcmpswap_rows[k][2] };
		memcpy(&q[8 * i], row, sizeof(row));
	}
	uint32_t user[4] = { (uint32_t)io->va, (uint32_t)(io->va >> 32), (uint32_t)desc->va,
			     (uint32_t)(desc->va >> 32) };
	uint32_t size[3] = { n, 1, 1 };
	cr_assert_eq(dispatch(prog, size, 0, user, 4, 0), 0);
	for (unsigned i = 0; i < n; i++) {
		unsigned k = rows[i];
		uint32_t v[3];
		for (unsigned j = 0; j < 3; j++)
			memcpy(&v[j], at0[j] + at[i], 4);
		cr_expect_eq(v[0], fmin_rows[k][2], "fmin row %u: 0x%08x", k, v[0]);
		cr_expect_eq(v[1], fmax_rows[k][2], "fmax row %u: 0x%08x", k, v[1]);
		cr_expect_eq(v[2], fcmpswap_rows[k][3], "fcmpswap row %u: 0x%08x", k, v[2]);
		cr_expect_eq(q[8 * i], fmin_rows[k][0], "fmin row %u: glc old value", k);
		cr_expect_eq(q[8 * i + 1], fmax_rows[k][0], "fmax row %u: glc old value", k);
		cr_expect_eq(q[8 * i + 2], fcmpswap_rows[k][0], "fcmpswap row %u: glc old value", k);
		cr_expect_eq(q[8 * i + 3], fcmpswap_rows[k][2],
			     "fcmpswap row %u: the compare VGPR is not written", k);
	}
}

/* Linear 16 x 2 images: lane i on texel (i, 1), at 256 + 4 i (the
 * 256-byte row pitch). */
Test(vgpu_gfx103_shader, float_image_atomics_linear)
{
	struct rig_buf *desc = vgpu_rig_buf_new(4096);
	uint8_t *at0[3];
	uint32_t *t = desc->cpu;
	for (unsigned j = 0; j < 3; j++) {
		struct rig_buf *img = vgpu_rig_buf_new(4096);
		at0[j] = img->cpu;
		tsharp_gfx103(&t[8 * j], img->va, 16, 2, 22);
	}
	uint32_t xy[10][2], at[10];
	unsigned rows[10];
	for (unsigned i = 0; i < 10; i++) {
		xy[i][0] = i;
		xy[i][1] = 1;
		at[i] = 256 + 4 * i;
		rows[i] = i;
	}
	run_float_atomics(10, xy, at, rows, at0, desc);
}

/* Tiled 256 x 128 images in SW_64KB_R_X with pipe/bank XOR 3, the texels
 * and addresses of tiled_64kb_r_x_image: (9, 10) at 0x1824 ^ 0x300,
 * (100, 77) at 0xf4d0 ^ 0x300, (130, 5) at 0x10000 + (0x8098 ^ 0x300). */
Test(vgpu_gfx103_shader, float_image_atomics_tiled)
{
	struct rig_buf *desc = vgpu_rig_buf_new(4096);
	uint8_t *at0[3];
	uint32_t *t = desc->cpu;
	for (unsigned j = 0; j < 3; j++) {
		struct rig_buf *img = vgpu_rig_buf_new(3 * 65536);
		uint64_t base = (img->va + 0xffff) & ~0xffffull;
		at0[j] = (uint8_t *)img->cpu + (base - img->va);
		tsharp_gfx103(&t[8 * j], base | 0x300, 256, 128, 22);
		t[8 * j + 3] |= 27u << 20; /* SW_MODE 27: SW_64KB_R_X */
	}
	const uint32_t xy[3][2] = { { 9, 10 }, { 100, 77 }, { 130, 5 } };
	const uint32_t at[3] = { 0x1824 ^ 0x300, 0xf4d0 ^ 0x300, 0x10000 + (0x8098 ^ 0x300) };
	const unsigned rows[3] = { 0, 3, 6 };
	run_float_atomics(3, xy, at, rows, at0, desc);
}

/* Float atomics need one 32-bit channel: on a 16_16_FLOAT image (gfx10
 * code 29) image_atomic_fmin faults naming what is not modelled. */
Test(vgpu_gfx103_shader, float_image_atomic_on_two_channels_faults)
{
	static const uint32_t code[] = {
		0xf40c0101, 0xfa000000, /* s_load_dwordx8 s[4:11], s[2:3], 0x0 */
		0x7e000280,             /* v_mov_b32_e32 v0, 0 */
		0x7e020280,             /* v_mov_b32_e32 v1, 0 */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		/* image_atomic_fmin v3, v[0:1], s[4:11] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm glc */
		0xf0783108, 0x00010300,
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *prog = vgpu_rig_program(code, sizeof(code) / 4);
	struct rig_buf *desc = vgpu_rig_buf_new(4096);
	struct rig_buf *img = vgpu_rig_buf_new(4096);
	tsharp_gfx103(desc->cpu, img->va, 8, 4, 29);
	uint32_t user[4] = { 0, 0, (uint32_t)desc->va, (uint32_t)(desc->va >> 32) };
	uint32_t size[3] = { 1, 1, 1 };
	dispatch_faulting(prog, size, user, 4, "one-channel 32-bit");
}

/* v_clrexcp (RDNA2 ISA: "Clear wave's exception state in the SIMD"): the
 * vgpu's VALU raises no exception, so there is nothing to clear and the
 * wave goes on (both encodings); TRAPSTS is left as it was (SAVECTX, bit
 * 10, set by s_setreg and read back).  With TRAPSTS.EXCP bits set by
 * s_setreg, whether v_clrexcp clears them is not defined by a source the
 * vgpu has: a fault naming it. */
Test(vgpu_gfx103_shader, v_clrexcp)
{
	static const uint32_t runs[] = {
		0xba80f803, 0x00000400, /* s_setreg_imm32_b32 hwreg(HW_REG_TRAPSTS), 0x400 */
		0x7e008200,             /* v_clrexcp */
		0xd5c10000, 0x00000000, /* v_clrexcp_e64 */
		0xb904f803,             /* s_getreg_b32 s4, hwreg(HW_REG_TRAPSTS) */
		0x7e020204,             /* v_mov_b32_e32 v1, s4 */
		0x7e000280,             /* v_mov_b32_e32 v0, 0 */
		0xdc708000, 0x00000100, /* global_store_dword v0, v1, s[0:1] */
		0xbf810000,             /* s_endpgm */
	};
	static const uint32_t faults[] = {
		0xba804003, 0x00000004, /* s_setreg_imm32_b32 hwreg(HW_REG_TRAPSTS, 0, 9), 4 */
		0x7e008200,             /* v_clrexcp */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *prog = vgpu_rig_program(runs, sizeof(runs) / 4);
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	uint32_t user[2] = { (uint32_t)out->va, (uint32_t)(out->va >> 32) };
	uint32_t size[3] = { 1, 1, 1 };
	cr_assert_eq(dispatch(prog, size, 0, user, 2, 0), 0);
	cr_expect_eq(((const uint32_t *)out->cpu)[0], 0x400u, "TRAPSTS after v_clrexcp");
	prog = vgpu_rig_program(faults, sizeof(faults) / 4);
	dispatch_faulting(prog, size, user, 2, "v_clrexcp with TRAPSTS.EXCP");
}
