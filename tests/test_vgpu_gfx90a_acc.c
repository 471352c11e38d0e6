/*
 * The vgpu's gfx90a AccVGPRs on the mi210 profile (GC 9.4.2), through raw
 * ioctls.  The rig allocates 16 registers (RSRC1.VGPRS = 1, granules of 8
 * on gfx90a) and leaves COMPUTE_PGM_RSRC3 at 0, so ACCUM_OFFSET puts the
 * AccVGPRs at unified register 4: v0-v3 and a0-a11.  The programs are
 * hand-assembled: each word is what `llvm-mc-19 -triple=amdgcn
 * -mcpu=gfx90a -show-encoding` gives for the instruction in the comment
 * next to it.  v0 = the lane, s[0:1] = the output buffer.
 */
#include "vgpu_rig.h"
#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <amdgpu_drm.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

TestSuite(vgpu_gfx90a_acc, .init = vgpu_rig_setup_mi210, .fini = vgpu_rig_teardown);

/* a11 (the last AccVGPR of the allocation) and a10 round trip; an MFMA
 * into a[8:11] stored straight from AccVGPRs (acc-bit global_store).
 * v_mfma_f32_4x4x1f32 (16 blocks of 4x4x1): A[i][0] of block b is lane
 * 4b + i, B[0][j] lane 4b + j, D[i][j] register i of lane 4b + j; with
 * A = B = the lane as f32 and C = 1.0: a8 = 4b * (4b + j) + 1, a9 =
 * (4b + 1) * (4b + j) + 1. */
Test(vgpu_gfx90a_acc, unified_file_and_mfma_to_memory)
{
	static const uint32_t code[] = {
		0xd3d9400b, 0x18000100, /* v_accvgpr_write_b32 a11, v0 */
		0x7e14a50b,             /* v_accvgpr_mov_b32 a10, a11 */
		0xd3d84001, 0x1800010a, /* v_accvgpr_read_b32 v1, a10 */
		0x24040082,             /* v_lshlrev_b32_e32 v2, 2, v0 */
		0xdc708000, 0x00000102, /* global_store_dword v2, v1, s[0:1] */
		0x7e060d00,             /* v_cvt_f32_u32_e32 v3, v0 */
		0xd3c28008, 0x03ca0703, /* v_mfma_f32_4x4x1f32 a[8:11], v3, v3, 1.0 */
		0xbf800007,             /* s_nop 7 */
		0xbf800007,             /* s_nop 7 */
		0xdc708100, 0x00800802, /* global_store_dword v2, a8, s[0:1] offset:256 */
		0xdc708200, 0x00800902, /* global_store_dword v2, a9, s[0:1] offset:512 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *prog = vgpu_rig_program(code, sizeof(code) / 4);
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	cr_assert_eq(vgpu_rig_dispatch(vgpu_rig_ctx_new(), prog, 1, 64, 0, true, out), 0);
	uint32_t want[192];
	for (unsigned l = 0; l < 64; l++) {
		float b4 = (float)(4 * (l / 4)), a8 = b4 * (float)l + 1.0f,
		      a9 = (b4 + 1.0f) * (float)l + 1.0f;
		want[l] = l;
		memcpy(&want[64 + l], &a8, 4);
		memcpy(&want[128 + l], &a9, 4);
	}
	vgpu_rig_expect_words(out, want, 192);
}

/* DPP row_newbcast:N (gfx90a; gfx10's row_share code): lane N of each
 * row of 16 to the whole row, for a 32-bit move and for the 64-bit (DP
 * ALU) form, which moves both dwords: v_sqrt_f64_dpp of the lane as f64
 * gives sqrt(16 * row + 5), a value with a non-zero low dword. */
Test(vgpu_gfx90a_acc, row_newbcast_32_and_64_bit)
{
	static const uint32_t code[] = {
		0x7e042d00,             /* v_cvt_f64_u32_e32 v[2:3], v0 */
		0x7e0450fa, 0xff015502, /* v_sqrt_f64_dpp v[2:3], v[2:3] row_newbcast:5 row_mask:0xf bank_mask:0xf */
		0x24020083,             /* v_lshlrev_b32_e32 v1, 3, v0 */
		0xdc748000, 0x00000201, /* global_store_dwordx2 v1, v[2:3], s[0:1] */
		0x7e0402fa, 0xff015900, /* v_mov_b32_dpp v2, v0 row_newbcast:9 row_mask:0xf bank_mask:0xf */
		0x24020082,             /* v_lshlrev_b32_e32 v1, 2, v0 */
		0xdc708200, 0x00000201, /* global_store_dword v1, v2, s[0:1] offset:512 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *prog = vgpu_rig_program(code, sizeof(code) / 4);
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	cr_assert_eq(vgpu_rig_dispatch(vgpu_rig_ctx_new(), prog, 1, 64, 0, true, out), 0);
	uint32_t want[192];
	for (unsigned l = 0; l < 64; l++) {
		double d = sqrt((double)(16 * (l / 16) + 5));
		memcpy(&want[2 * l], &d, 8);
		want[128 + l] = 16 * (l / 16) + 9;
	}
	cr_assert_neq(want[2 * 0], 0u);   /* the low dword matters */
	vgpu_rig_expect_words(out, want, 192);
}

/* gfx90a MIMG with AccVGPR data (word 0 bit 16): image_store from a0
 * and image_load (with scc) into a5 of a linear 16x4 R32_UINT image
 * (gfx9 T#: DATA_FORMAT 4, NUM_FORMAT 4, TYPE 2D, PITCH 64 texels), the
 * result stored from a5.  The T# sits at the start of the output buffer,
 * results from byte 256. */
Test(vgpu_gfx90a_acc, image_store_load_accvgpr_data)
{
	static const uint32_t code[] = {
		0xc00e0100, 0x00000000, /* s_load_dwordx8 s[4:11], s[0:1], 0x0 */
		0x2604008f,             /* v_and_b32_e32 v2, 15, v0 */
		0x20060084,             /* v_lshrrev_b32_e32 v3, 4, v0 */
		0x280200ff, 0x00005000, /* v_or_b32_e32 v1, 0x5000, v0 */
		0xd3d94000, 0x18000101, /* v_accvgpr_write_b32 a0, v1 */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		0xf0211100, 0x00010002, /* image_store a0, v[2:3], s[4:11] dmask:0x1 unorm */
		0xbf8c0f70,             /* s_waitcnt vmcnt(0) */
		0xf0013180, 0x00010502, /* image_load a5, v[2:3], s[4:11] dmask:0x1 unorm glc scc */
		0xbf8c0f70,             /* s_waitcnt vmcnt(0) */
		0x24020082,             /* v_lshlrev_b32_e32 v1, 2, v0 */
		0xdc708100, 0x00800501, /* global_store_dword v1, a5, s[0:1] offset:256 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *prog = vgpu_rig_program(code, sizeof(code) / 4);
	struct rig_buf *out = vgpu_rig_buf_new(4096), *img = vgpu_rig_buf_new(4096);
	memset(img->cpu, 0, 4096);
	uint32_t *t = out->cpu;
	memset(t, 0, 32);
	t[0] = (uint32_t)(img->va >> 8);
	t[1] = ((uint32_t)(img->va >> 40) & 0xffu) | 4u << 20 | 4u << 26;
	t[2] = 15u | 3u << 14;
	t[3] = (4u | 5u << 3 | 6u << 6 | 7u << 9) | 9u << 28;
	t[4] = 63u << 13;
	cr_assert_eq(vgpu_rig_dispatch(vgpu_rig_ctx_new(), prog, 1, 64, 0, true, out), 0);
	const uint32_t *m = img->cpu, *o = (const uint32_t *)out->cpu + 64;
	for (unsigned l = 0; l < 64; l++) {
		cr_expect_eq(m[(l >> 4) * 64 + (l & 15)], 0x5000u | l, "lane %u in memory", l);
		cr_expect_eq(o[l], 0x5000u | l, "lane %u loaded into a5", l);
	}
}

/* What the vgpu refuses faults and marks the context guilty: a12 beyond
 * the 12 AccVGPRs, an MFMA with half of EXEC off, ABID 2 with CBSZ 1 (the
 * broadcast group has blocks 0 and 1). */
static void expect_fault(const uint32_t *code, size_t n)
{
	struct rig_buf *prog = vgpu_rig_program(code, n);
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	uint32_t ctx = vgpu_rig_ctx_new();
	cr_assert_eq(vgpu_rig_dispatch(ctx, prog, 1, 64, 0, true, out), -ECANCELED);
	cr_assert(vgpu_rig_ctx_flags(ctx) & AMDGPU_CTX_QUERY2_FLAGS_GUILTY);
}

Test(vgpu_gfx90a_acc, strict_faults)
{
	static const uint32_t beyond[] = {
		0xd3d9400c, 0x18000100, /* v_accvgpr_write_b32 a12, v0 */
		0xbf810000,             /* s_endpgm */
	};
	static const uint32_t half_exec[] = {
		0xbeff0080,             /* s_mov_b32 exec_hi, 0 */
		0xd3c28000, 0x02020100, /* v_mfma_f32_4x4x1f32 a[0:3], v0, v0, 0 */
		0xbf810000,             /* s_endpgm */
	};
	static const uint32_t abid[] = {
		0xd3c29100, 0x02020100, /* v_mfma_f32_4x4x1f32 a[0:3], v0, v0, 0 cbsz:1 abid:2 */
		0xbf810000,             /* s_endpgm */
	};
	expect_fault(beyond, sizeof(beyond) / 4);
	expect_fault(half_exec, sizeof(half_exec) / 4);
	expect_fault(abid, sizeof(abid) / 4);
}
