/*
 * The vgpu's gfx9 shader core on the raven profile (GC 9.1.0, gfx902),
 * through raw ioctls: where gfx9 behaves unlike gfx10+ with the same
 * mnemonic.  v_cmpx writes its SGPR destination as well as EXEC;
 * v_mad_f32/v_mac_f32 round the product before the add; a 16-bit result
 * zeroes the high half except on the op_sel multiply-adds; DPP's gfx9
 * controls (row_bcast:15, wave_shr:1) and ds_bpermute across the whole
 * wave64.  The programs are hand-assembled: each word below is what
 * `llvm-mc-19 -triple=amdgcn -mcpu=gfx900 -show-encoding` gives for the
 * instruction in the comment next to it.  Each wave is one wave64 with
 * v0 = the lane, s[0:1] = the output buffer (vgpu_rig_dispatch).
 */
#include "stderr_capture.h"
#include "vgpu_rig.h"
#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <amdgpu_drm.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void setup(void)
{
	setenv("AMDBARE_TEST_GFX11_PROFILE", "raven", 1);
	vgpu_rig_setup();
}

TestSuite(vgpu_gfx9_shader, .init = setup, .fini = vgpu_rig_teardown);

static struct rig_buf *run(const uint32_t *code, size_t n)
{
	struct rig_buf *prog = vgpu_rig_program(code, n);
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	cr_assert_eq(vgpu_rig_dispatch(vgpu_rig_ctx_new(), prog, 1, 64, 0, true, out), 0);
	return out;
}

/* cr_expect that each of the 64 lanes stored the same `n` words `want` at
 * out + 4 * stride * lane. */
static void expect_every_lane(const struct rig_buf *out, unsigned stride, const uint32_t *want,
			      unsigned n)
{
	const uint32_t *got = out->cpu;
	for (unsigned l = 0; l < 64; l++)
		for (unsigned i = 0; i < n; i++)
			cr_expect_eq(got[stride * l + i], want[i], "lane %u word %u: 0x%08x, want 0x%08x",
				     l, i, got[stride * l + i], want[i]);
}

/* Vega ISA, VOPC: "V_CMPX_*: ... write the result to VCC (or the SGPR
 * pair of the VOP3 form) and EXEC"; gfx10+ v_cmpx write EXEC only.
 * Lanes 0..4 pass 5 > lane: VCC and EXEC both 0x1f, seen by every lane
 * once EXEC is all ones again. */
Test(vgpu_gfx9_shader, cmpx_writes_vcc_and_exec)
{
	static const uint32_t code[] = {
		0x7db80085,             /* v_cmpx_gt_u32_e32 vcc, 5, v0 */
		0xbe84016a,             /* s_mov_b64 s[4:5], vcc */
		0xbe86017e,             /* s_mov_b64 s[6:7], exec */
		0xbefe01c1,             /* s_mov_b64 exec, -1 */
		0x7e020204,             /* v_mov_b32 v1, s4 */
		0x7e040206,             /* v_mov_b32 v2, s6 */
		0x24060083,             /* v_lshlrev_b32 v3, 3, v0 */
		0xdc748000, 0x00000103, /* global_store_dwordx2 v3, v[1:2], s[0:1] */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *out = run(code, sizeof(code) / 4);
	uint32_t want[128];
	for (unsigned l = 0; l < 64; l++)
		want[2 * l] = want[2 * l + 1] = 0x1f;
	vgpu_rig_expect_words(out, want, 128);
}

/* a = 1 + 2^-12: a * a = 1 + 2^-11 + 2^-24 exactly.  v_mad_f32 and
 * v_mac_f32 round it (a tie, to even) to 1 + 2^-11 before adding -1
 * (Vega ISA: "same result as ADD after MUL_IEEE"): 2^-11 = 0x3a000000;
 * v_fma_f32 keeps the 2^-24: 2^-11 (1 + 2^-13) = 0x3a000400.  v_add_f16 (1.0 + 1.0 = 0x4000) zeroes the high
 * half of its VGPR on gfx9; v_fma_f16 (an op_sel form) keeps it (LLVM's
 * zeroesHigh16BitsOfDest). */
Test(vgpu_gfx9_shader, mad_unfused_and_f16_high_halves)
{
	static const uint32_t code[] = {
		0x7e0202ff, 0x3f800800, /* v_mov_b32 v1, 0x3f800800 */
		0x7e0402f3,             /* v_mov_b32 v2, -1.0 */
		0xd1c10003, 0x040a0301, /* v_mad_f32 v3, v1, v1, v2 */
		0x2c040301,             /* v_mac_f32 v2, v1, v1 */
		0xd1cb0004, 0x03ce0301, /* v_fma_f32 v4, v1, v1, -1.0 */
		0x7e0a02c1,             /* v_mov_b32 v5, -1 */
		0x7e0c02ff, 0x00003c00, /* v_mov_b32 v6, 0x3c00 */
		0x3e0a0cf2,             /* v_add_f16 v5, 1.0, v6 */
		0x7e0e02c1,             /* v_mov_b32 v7, -1 */
		0xd2060007, 0x041a0d06, /* v_fma_f16 v7, v6, v6, v6 */
		0x24000085,             /* v_lshlrev_b32 v0, 5, v0 */
		0xdc7c8000, 0x00000200, /* global_store_dwordx4 v0, v[2:5], s[0:1] */
		0xdc708010, 0x00000700, /* global_store_dword v0, v7, s[0:1] offset:16 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *out = run(code, sizeof(code) / 4);
	static const uint32_t want[5] = { 0x3a000000, 0x3a000000, 0x3a000400, 0x00004000,
					  0xffff4000 };
	vgpu_rig_expect_words(out, want, 5);
}

/* gfx9 DPP (Vega ISA, "DPP_CTRL"): row_bcast:15 gives lane 15 of each row
 * to the next row, written in the rows row_mask 0xa enables (1 and 3:
 * 15 and 47; rows 0 and 2 keep 0xdead); wave_shr:1 gives lane l - 1's
 * value, lane 0 none (bound_ctrl: 0).  ds_bpermute_b32 reads lane
 * address / 4 of the whole wave64: 63 - l (RDNA permutes within each
 * 32-lane half). */
Test(vgpu_gfx9_shader, dpp_wave_controls_and_whole_wave_bpermute)
{
	static const uint32_t code[] = {
		0x7e0202ff, 0x0000dead, /* v_mov_b32 v1, 0xdead */
		0x7e0202fa, 0xaf014200, /* v_mov_b32_dpp v1, v0 row_bcast:15 row_mask:0xa bank_mask:0xf */
		0x7e0402fa, 0xff093800, /* v_mov_b32_dpp v2, v0 wave_shr:1 row_mask:0xf bank_mask:0xf bound_ctrl:0 */
		0x6a0800bf,             /* v_sub_u32 v4, 63, v0 */
		0x24080882,             /* v_lshlrev_b32 v4, 2, v4 */
		0xd87e0000, 0x05000004, /* ds_bpermute_b32 v5, v4, v0 */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		0x24060082,             /* v_lshlrev_b32 v3, 2, v0 */
		0xdc708000, 0x00000103, /* global_store_dword v3, v1, s[0:1] */
		0xdc708100, 0x00000203, /* global_store_dword v3, v2, s[0:1] offset:256 */
		0xdc708200, 0x00000503, /* global_store_dword v3, v5, s[0:1] offset:512 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *out = run(code, sizeof(code) / 4);
	uint32_t want[192];
	for (unsigned l = 0; l < 64; l++) {
		unsigned row = l / 16;
		want[l] = row == 1 ? 15 : row == 3 ? 47 : 0xdead;
		want[64 + l] = l ? l - 1 : 0;
		want[128 + l] = 63 - l;
	}
	vgpu_rig_expect_words(out, want, 192);
}

/* gfx9 SMEM s_memtime (the shader clock: nanoseconds on the vgpu, which
 * models no core clock) and s_memrealtime (REFCLK at DEV_INFO's
 * gpu_counter_freq: 25 MHz on raven), each read twice: non-zero, never
 * going back, and the real-time counter at 1/40 of the nanosecond count
 * (read within the same dispatch: a millisecond apart at most). */
Test(vgpu_gfx9_shader, memtime_and_memrealtime)
{
	static const uint32_t code[] = {
		0xc0900100, 0x00000000, /* s_memtime s[4:5] */
		0xc0940180, 0x00000000, /* s_memrealtime s[6:7] */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		0xc0900200, 0x00000000, /* s_memtime s[8:9] */
		0xc0940280, 0x00000000, /* s_memrealtime s[10:11] */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		0x7e000280,             /* v_mov_b32 v0, 0 */
		0x7e020204,             /* v_mov_b32 v1, s4 */
		0x7e040205,             /* v_mov_b32 v2, s5 */
		0x7e060206,             /* v_mov_b32 v3, s6 */
		0x7e080207,             /* v_mov_b32 v4, s7 */
		0xdc7c8000, 0x00000100, /* global_store_dwordx4 v0, v[1:4], s[0:1] */
		0x7e020208,             /* v_mov_b32 v1, s8 */
		0x7e040209,             /* v_mov_b32 v2, s9 */
		0x7e06020a,             /* v_mov_b32 v3, s10 */
		0x7e08020b,             /* v_mov_b32 v4, s11 */
		0xdc7c8010, 0x00000100, /* global_store_dwordx4 v0, v[1:4], s[0:1] offset:16 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *out = run(code, sizeof(code) / 4);
	const uint32_t *o = out->cpu;
	uint64_t t0 = o[0] | (uint64_t)o[1] << 32, r0 = o[2] | (uint64_t)o[3] << 32;
	uint64_t t1 = o[4] | (uint64_t)o[5] << 32, r1 = o[6] | (uint64_t)o[7] << 32;
	cr_expect(t0 != 0 && r0 != 0, "s_memtime %llu, s_memrealtime %llu",
		  (unsigned long long)t0, (unsigned long long)r0);
	cr_expect(t1 >= t0 && r1 >= r0, "the counters went back");
	uint64_t want = t0 / 40u, d = want > r0 ? want - r0 : r0 - want;
	cr_expect(d < 25000u, "s_memrealtime %llu, 25 MHz from s_memtime's ns: %llu",
		  (unsigned long long)r0, (unsigned long long)want);
}

/* Vega ISA, scalar memory writes.  s_store_dword/x2/x4 write SDATA at
 * s[0:1] + offset (+ SOFFSET s8 = 16 for the x4); s_buffer_store_dwordx4
 * through a V# of NUM_RECORDS 40 bytes at offset 0x20 writes the two
 * dwords inside the buffer and drops the two past it.  The atomics on
 * the dword at 0x40 (5): add 3 with glc returns 5 (memory 8), add 2
 * without glc leaves s18 (memory 10), cmpswap {100, cmp 10} returns 10
 * and swaps (100), cmpswap {7, cmp 99} returns 100 and does not.
 * umin_x2 of 0xffffffff against 0x1_00000000 returns the old pair and
 * stores 0xffffffff; s_buffer_atomic_smax of -1 against 0 keeps 0 (a
 * signed compare; unsigned would store -1); s_buffer_atomic_swap past
 * NUM_RECORDS writes nothing and returns 0.  The SGPRs are then stored
 * at 0x80. */
Test(vgpu_gfx9_shader, scalar_stores_and_atomics)
{
	static const uint32_t code[] = {
		0xbe8400ff, 0x11111111, /* s_mov_b32 s4, 0x11111111 */
		0xbe8500ff, 0x22222222, /* s_mov_b32 s5, 0x22222222 */
		0xbe8600ff, 0x33333333, /* s_mov_b32 s6, 0x33333333 */
		0xbe8700ff, 0x44444444, /* s_mov_b32 s7, 0x44444444 */
		0xc0420100, 0x00000000, /* s_store_dword s4, s[0:1], 0x0 */
		0xc0460100, 0x00000008, /* s_store_dwordx2 s[4:5], s[0:1], 0x8 */
		0xbe880090,             /* s_mov_b32 s8, 16 */
		0xc0480100, 0x00000008, /* s_store_dwordx4 s[4:7], s[0:1], s8 */
		0xbe8c0000,             /* s_mov_b32 s12, s0 */
		0x860dff01, 0x0000ffff, /* s_and_b32 s13, s1, 0xffff */
		0xbe8e00a8,             /* s_mov_b32 s14, 40 */
		0xbe8f0080,             /* s_mov_b32 s15, 0 */
		0xc06a0106, 0x00000020, /* s_buffer_store_dwordx4 s[4:7], s[12:15], 0x20 */
		0xbe900085,             /* s_mov_b32 s16, 5 */
		0xc0420400, 0x00000040, /* s_store_dword s16, s[0:1], 0x40 */
		0xbe890081,             /* s_mov_b32 s9, 1 */
		0xbe880080,             /* s_mov_b32 s8, 0 */
		0xc0460200, 0x00000048, /* s_store_dwordx2 s[8:9], s[0:1], 0x48 */
		0xc0840000, 0x00000000, /* s_dcache_wb */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		0xbe910083,             /* s_mov_b32 s17, 3 */
		0xc20b0440, 0x00000040, /* s_atomic_add s17, s[0:1], 0x40 glc */
		0xbe920082,             /* s_mov_b32 s18, 2 */
		0xc20a0480, 0x00000040, /* s_atomic_add s18, s[0:1], 0x40 */
		0xbe9400ff, 0x00000064, /* s_mov_b32 s20, 0x64 */
		0xbe95008a,             /* s_mov_b32 s21, 10 */
		0xc2070500, 0x00000040, /* s_atomic_cmpswap s[20:21], s[0:1], 0x40 glc */
		0xbe960087,             /* s_mov_b32 s22, 7 */
		0xbe9700ff, 0x00000063, /* s_mov_b32 s23, 0x63 */
		0xc2070580, 0x00000040, /* s_atomic_cmpswap s[22:23], s[0:1], 0x40 glc */
		0xbe9800c1,             /* s_mov_b32 s24, -1 */
		0xbe990080,             /* s_mov_b32 s25, 0 */
		0xc2970600, 0x00000048, /* s_atomic_umin_x2 s[24:25], s[0:1], 0x48 glc */
		0xbe9a00c1,             /* s_mov_b32 s26, -1 */
		0xc11b0686, 0x00000004, /* s_buffer_atomic_smax s26, s[12:15], 0x4 glc */
		0xbe9c00ff, 0x00000055, /* s_mov_b32 s28, 0x55 */
		0xc1030706, 0x00000030, /* s_buffer_atomic_swap s28, s[12:15], 0x30 glc */
		0xbe9d00ff, 0x00000066, /* s_mov_b32 s29, 0x66 */
		0xbe9300ff, 0x00000077, /* s_mov_b32 s19, 0x77 */
		0xbe9b00ff, 0x00000088, /* s_mov_b32 s27, 0x88 */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		0xc04a0400, 0x00000080, /* s_store_dwordx4 s[16:19], s[0:1], 0x80 */
		0xc04a0500, 0x00000090, /* s_store_dwordx4 s[20:23], s[0:1], 0x90 */
		0xc04a0600, 0x000000a0, /* s_store_dwordx4 s[24:27], s[0:1], 0xa0 */
		0xc0460700, 0x000000b0, /* s_store_dwordx2 s[28:29], s[0:1], 0xb0 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *out = run(code, sizeof(code) / 4);
	uint32_t want[46] = {
		[0] = 0x11111111, [1] = 0,
		[2] = 0x11111111, 0x22222222,
		[4] = 0x11111111, 0x22222222, 0x33333333, 0x44444444,
		[8] = 0x11111111, 0x22222222, 0, 0,
		[12] = 0,
		[16] = 100, [18] = 0xffffffff, 0,
		[32] = 5, 5, 2, 0x77,
		[36] = 10, 10, 100, 99,
		[40] = 0, 1, 0, 0x88,
		[44] = 0, 0x66,
	};
	vgpu_rig_expect_words(out, want, 46);
}

/* gfx9 v_mad_f16 and its forms are not fused (Vega ISA: "same result as
 * ADD after MUL_IEEE") and take no denormals (LLVM's isFMADLegal selects
 * them only with f16 denormals flushed).  a = 0x3c03 (1 + 3 x 2^-10):
 * a * a = 1 + 6 x 2^-10 + 9 x 2^-20 rounds to 0x3c06, minus 1.0 gives
 * 6 x 2^-10 = 0x1e00 (numpy.float16: (a*a) + -1.0); v_fma_f16 keeps the
 * 9 x 2^-20: 0x1e02.  v_mad_f16, v_mac_f16, v_madak_f16 and v_madmk_f16
 * keep the high half of their VGPR, v_mad_legacy_f16 zeroes it; op_sel[3]
 * writes the high half.  The denormal source 0x0001 and the denormal
 * product 2^-14 x 0.5 give +0 from v_mad_f16 (-2^-15 gives -0, plus +0:
 * +0), where v_fma_f16 keeps them (0x0001, 0x0200). */
Test(vgpu_gfx9_shader, mad_f16_unfused_flushes_denormals)
{
	static const uint32_t code[] = {
		0x24000086,             /* v_lshlrev_b32_e32 v0, 6, v0 */
		0x7e0202ff, 0x00003c03, /* v_mov_b32_e32 v1, 0x3c03 */
		0x7e0402ff, 0x0000bc00, /* v_mov_b32_e32 v2, 0xbc00 */
		0x7e0602c1,             /* v_mov_b32_e32 v3, -1 */
		0xd2030003, 0x040a0301, /* v_mad_f16 v3, v1, v1, v2 */
		0x7e0802c1,             /* v_mov_b32_e32 v4, -1 */
		0xd1ea0004, 0x040a0301, /* v_mad_legacy_f16 v4, v1, v1, v2 */
		0x7e0a02ff, 0x1234bc00, /* v_mov_b32_e32 v5, 0x1234bc00 */
		0x460a0301,             /* v_mac_f16_e32 v5, v1, v1 */
		0x7e0c02c1,             /* v_mov_b32_e32 v6, -1 */
		0x4a0c0301, 0x0000bc00, /* v_madak_f16 v6, v1, v1, 0xbc00 */
		0xdc7c8000, 0x00000300, /* global_store_dwordx4 v0, v[3:6], s[0:1] */
		0x7e0602c1,             /* v_mov_b32_e32 v3, -1 */
		0x48060501, 0x00003c03, /* v_madmk_f16 v3, v1, 0x3c03, v2 */
		0x7e080280,             /* v_mov_b32_e32 v4, 0 */
		0xd2060004, 0x040a0301, /* v_fma_f16 v4, v1, v1, v2 */
		0x7e0a0280,             /* v_mov_b32_e32 v5, 0 */
		0xd2034005, 0x040a0301, /* v_mad_f16 v5, v1, v1, v2 op_sel:[0,0,0,1] */
		0x7e020281,             /* v_mov_b32_e32 v1, 1 */
		0x7e0402ff, 0x00003c00, /* v_mov_b32_e32 v2, 0x3c00 */
		0x7e0c0280,             /* v_mov_b32_e32 v6, 0 */
		0xd2030006, 0x02020501, /* v_mad_f16 v6, v1, v2, 0 */
		0xdc7c8010, 0x00000300, /* global_store_dwordx4 v0, v[3:6], s[0:1] offset:16 */
		0x7e060280,             /* v_mov_b32_e32 v3, 0 */
		0xd2060003, 0x02020501, /* v_fma_f16 v3, v1, v2, 0 */
		0x7e0202ff, 0x00000400, /* v_mov_b32_e32 v1, 0x400 */
		0x7e080280,             /* v_mov_b32_e32 v4, 0 */
		0xd2030004, 0x0201e101, /* v_mad_f16 v4, v1, 0.5, 0 */
		0x7e0a0280,             /* v_mov_b32_e32 v5, 0 */
		0xd2060005, 0x0201e101, /* v_fma_f16 v5, v1, 0.5, 0 */
		0x7e0c0280,             /* v_mov_b32_e32 v6, 0 */
		0xd2030006, 0x2201e101, /* v_mad_f16 v6, -v1, 0.5, 0 */
		0xdc7c8020, 0x00000300, /* global_store_dwordx4 v0, v[3:6], s[0:1] offset:32 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *out = run(code, sizeof(code) / 4);
	uint32_t want[16 * 64];
	static const uint32_t lane[12] = {
		0xffff1e00, 0x00001e00, 0x12341e00, 0xffff1e00,
		0xffff1e00, 0x00001e02, 0x1e000000, 0x00000000,
		0x00000001, 0x00000000, 0x00000200, 0x00000000,
	};
	for (unsigned l = 0; l < 64; l++)
		for (unsigned i = 0; i < 16; i++)
			want[16 * l + i] = i < 12 ? lane[i] : 0;
	vgpu_rig_expect_words(out, want, 16 * 64);
}

/* gfx900 v_mad_mix_f32 / v_mad_mixlo_f16 / v_mad_mixhi_f16: as v_mad_f32,
 * not fused (LLVM selects them for fmad of f16-extended operands, and the
 * f16 rounding of one).  a = 1 + 2^-12 (f32): a * a rounds to 1 + 2^-11,
 * plus the f16 -1.0 (op_sel_hi[2]) gives 2^-11 = 0x3a000000 (fused:
 * 0x3a000400); mixlo/mixhi put it as f16 0x1000 into one half and keep
 * the other; -a * a + |-1.0| = -2^-11.  The f32 denormal 1 x 1.0 flushes
 * to 0; f16 sources from the high halves (op_sel) 0x3c03 x 0x3c03 - 1.0
 * = 0x1e02; clamp takes 1.0 x 1.0 + 1.0 = 2.0 to 1.0. */
Test(vgpu_gfx9_shader, mad_mix_unfused)
{
	static const uint32_t code[] = {
		0x24000085,             /* v_lshlrev_b32_e32 v0, 5, v0 */
		0x7e0202ff, 0x3f800800, /* v_mov_b32_e32 v1, 0x3f800800 */
		0x7e0402ff, 0x0000bc00, /* v_mov_b32_e32 v2, 0xbc00 */
		0xd3a04003, 0x040a0301, /* v_mad_mix_f32 v3, v1, v1, v2 op_sel_hi:[0,0,1] */
		0x7e0802ff, 0xabcd0000, /* v_mov_b32_e32 v4, 0xabcd0000 */
		0xd3a14004, 0x040a0301, /* v_mad_mixlo_f16 v4, v1, v1, v2 op_sel_hi:[0,0,1] */
		0x7e0a02ff, 0x0000abcd, /* v_mov_b32_e32 v5, 0xabcd */
		0xd3a24005, 0x040a0301, /* v_mad_mixhi_f16 v5, v1, v1, v2 op_sel_hi:[0,0,1] */
		0xd3a04406, 0x240a0301, /* v_mad_mix_f32 v6, -v1, v1, |v2| op_sel_hi:[0,0,1] */
		0xdc7c8000, 0x00000300, /* global_store_dwordx4 v0, v[3:6], s[0:1] */
		0x7e020281,             /* v_mov_b32_e32 v1, 1 */
		0x7e0402f2,             /* v_mov_b32_e32 v2, 1.0 */
		0xd3a00003, 0x02020501, /* v_mad_mix_f32 v3, v1, v2, 0 */
		0x7e0a02ff, 0x3c030000, /* v_mov_b32_e32 v5, 0x3c030000 */
		0x7e0e02ff, 0x0000bc00, /* v_mov_b32_e32 v7, 0xbc00 */
		0x7e080280,             /* v_mov_b32_e32 v4, 0 */
		0xd3a15804, 0x1c1e0b05, /* v_mad_mixlo_f16 v4, v5, v5, v7 op_sel:[1,1,0] op_sel_hi:[1,1,1] */
		0xd3a08006, 0x040a0502, /* v_mad_mix_f32 v6, v2, v2, v2 clamp */
		0xdc7c8010, 0x00000300, /* global_store_dwordx4 v0, v[3:6], s[0:1] offset:16 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *out = run(code, sizeof(code) / 4);
	static const uint32_t lane[8] = {
		0x3a000000, 0xabcd1000, 0x1000abcd, 0xba000000,
		0x00000000, 0x00001e02, 0x3c030000, 0x3f800000,
	};
	uint32_t want[8 * 64];
	for (unsigned l = 0; l < 64; l++)
		for (unsigned i = 0; i < 8; i++)
			want[8 * l + i] = lane[i];
	vgpu_rig_expect_words(out, want, 8 * 64);
}

/* gfx9 typed buffers: DATA_FORMAT/NUM_FORMAT from the V#'s dword3 (bits
 * 18:15, 14:12; DST_SEL xyzw = 0xfac) or the tbuffer instruction.  A
 * buffer_store_format_xyzw through 8_8_8_8 UNORM (dword3 0x50fac) packs
 * 1.0, 0.0, 0.2, 0.6 as 0xff, 0x00, 0x33 (51.0000008), 0x99
 * (153.000005); tbuffer_store_format_xy [16_16, FLOAT] packs 1.0, -2.0 as
 * 0x3c00, 0xc000.  tbuffer_load_format_xyzw [8_8_8_8, UINT] reads the
 * first dword's bytes back; buffer_load_format_xy through 16_16 SINT
 * (dword3 0x2dfac) reads 15360 and -16384. */
Test(vgpu_gfx9_shader, typed_buffer_formats)
{
	static const uint32_t code[] = {
		0xbe840000,             /* s_mov_b32 s4, s0 */
		0x8605ff01, 0x0000ffff, /* s_and_b32 s5, s1, 0xffff */
		0xbe8600ff, 0x00010000, /* s_mov_b32 s6, 0x10000 */
		0xbe8700ff, 0x00050fac, /* s_mov_b32 s7, 0x50fac */
		0x24000084,             /* v_lshlrev_b32_e32 v0, 4, v0 */
		0x7e0202f2,             /* v_mov_b32_e32 v1, 1.0 */
		0x7e040280,             /* v_mov_b32_e32 v2, 0 */
		0x7e0602ff, 0x3e4ccccd, /* v_mov_b32_e32 v3, 0x3e4ccccd */
		0x7e0802ff, 0x3f19999a, /* v_mov_b32_e32 v4, 0x3f19999a */
		0xe01c1000, 0x80010100, /* buffer_store_format_xyzw v[1:4], v0, s[4:7], 0 offen */
		0x7e0402f5,             /* v_mov_b32_e32 v2, -2.0 */
		0xebaa9004, 0x80010100, /* tbuffer_store_format_xy v[1:2], v0, s[4:7], 0 format:[BUF_DATA_FORMAT_16_16,BUF_NUM_FORMAT_FLOAT] offen offset:4 */
		0xbf8c0f70,             /* s_waitcnt vmcnt(0) */
		0xea519000, 0x80010100, /* tbuffer_load_format_xyzw v[1:4], v0, s[4:7], 0 format:[BUF_DATA_FORMAT_8_8_8_8,BUF_NUM_FORMAT_UINT] offen */
		0xbf8c0f70,             /* s_waitcnt vmcnt(0) */
		0xe07c1400, 0x80010100, /* buffer_store_dwordx4 v[1:4], v0, s[4:7], 0 offen offset:1024 */
		0xbe8700ff, 0x0002dfac, /* s_mov_b32 s7, 0x2dfac */
		0xe0041004, 0x80010100, /* buffer_load_format_xy v[1:2], v0, s[4:7], 0 offen offset:4 */
		0xbf8c0f70,             /* s_waitcnt vmcnt(0) */
		0xe0741800, 0x80010100, /* buffer_store_dwordx2 v[1:2], v0, s[4:7], 0 offen offset:2048 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *out = run(code, sizeof(code) / 4);
	uint32_t want[768] = { 0 };
	for (unsigned l = 0; l < 64; l++) {
		want[4 * l] = 0x993300ff;
		want[4 * l + 1] = 0xc0003c00;
		want[256 + 4 * l] = 0xff;
		want[256 + 4 * l + 2] = 0x33;
		want[256 + 4 * l + 3] = 0x99;
		want[512 + 4 * l] = 0x3c00;
		want[512 + 4 * l + 1] = 0xffffc000;
	}
	vgpu_rig_expect_words(out, want, 768);
}

/* What gfx9 does not run faults and marks the context guilty: a
 * DATA_FORMAT / NUM_FORMAT pair with no gfx10 unified code (8-bit FLOAT;
 * llvm-objdump leaves out the default BUF_DATA_FORMAT_8) and
 * s_scratch_load_dword (scalar scratch addressing is not modelled). */
/* v_mad_legacy_f32 (Vega ISA: "D.f = S0.f * S1.f + S2.f (DX9 rules, 0.0 *
 * x = 0.0)"), unfused and flushing as v_mad_f32: 0 * inf + 1.0 = 1.0;
 * 0 * NaN + -0 = +0 + -0 = +0; -0 * 5 + -0 = +0 (the DX9 product is
 * +0; an IEEE product would give -0); (1 + 2^-12)^2 - 1 rounds the product
 * first (2^-11); a denormal factor is flushed, so denormal * inf + 2.0 =
 * 2.0; 2 * -4 + 0.5 = -7.5.  v_cvt_pkaccum_u8_f32 (Vega ISA: "Pack
 * converted value of S0.f into byte S1 of the destination ... uses src_c
 * to pass destination in"): v_cvt_pk_u8_f32 into the old destination:
 * 255.7 saturates to 255 in byte 2, 4.0 into byte 0, -4.0 to 0 in byte 3,
 * 2.5 and 0.5 round half to even (2, 0); the other bytes are kept. */
Test(vgpu_gfx9_shader, mad_legacy_and_cvt_pkaccum)
{
	static const uint32_t code[] = {
		0x24000086,             /* v_lshlrev_b32_e32 v0, 6, v0 */
		0x7e020280,             /* v_mov_b32_e32 v1, 0 */
		0x7e0402ff, 0x7f800000, /* v_mov_b32_e32 v2, 0x7f800000 */
		0xd1c00003, 0x03ca0501, /* v_mad_legacy_f32 v3, v1, v2, 1.0 */
		0x7e0802ff, 0x7fc00000, /* v_mov_b32_e32 v4, 0x7fc00000 */
		0xd1c00004, 0x84060901, /* v_mad_legacy_f32 v4, v1, v4, -v1 */
		0x7e0a02ff, 0x80000000, /* v_mov_b32_e32 v5, 0x80000000 */
		0x7e0c02ff, 0x40a00000, /* v_mov_b32_e32 v6, 0x40a00000 */
		0xd1c00005, 0x04160d05, /* v_mad_legacy_f32 v5, v5, v6, v5 */
		0x7e0c02ff, 0x3f800800, /* v_mov_b32_e32 v6, 0x3f800800 */
		0xd1c00006, 0x03ce0d06, /* v_mad_legacy_f32 v6, v6, v6, -1.0 */
		0xdc7c8000, 0x00000300, /* global_store_dwordx4 v0, v[3:6], s[0:1] */
		0x7e060281,             /* v_mov_b32_e32 v3, 1 */
		0xd1c00003, 0x03d20503, /* v_mad_legacy_f32 v3, v3, v2, 2.0 */
		0x7e0802f4,             /* v_mov_b32_e32 v4, 2.0 */
		0xd1c00004, 0x03c1ef04, /* v_mad_legacy_f32 v4, v4, -4.0, 0.5 */
		0x7e0a02ff, 0x11223344, /* v_mov_b32_e32 v5, 0x11223344 */
		0x7e0c02ff, 0x437fb333, /* v_mov_b32_e32 v6, 0x437fb333 */
		0xd1f00005, 0x00010506, /* v_cvt_pkaccum_u8_f32 v5, v6, 2 */
		0xdc7c8010, 0x00000300, /* global_store_dwordx4 v0, v[3:6], s[0:1] offset:16 */
		0x7e060305,             /* v_mov_b32_e32 v3, v5 */
		0xd1f00003, 0x000100f6, /* v_cvt_pkaccum_u8_f32 v3, 4.0, 0 */
		0x7e080303,             /* v_mov_b32_e32 v4, v3 */
		0xd1f00004, 0x000106f7, /* v_cvt_pkaccum_u8_f32 v4, -4.0, 3 */
		0x7e0a02ff, 0x40200000, /* v_mov_b32_e32 v5, 0x40200000 */
		0xd1f00005, 0x00000505, /* v_cvt_pkaccum_u8_f32 v5, v5, s2 */
		0x7e0c02c1,             /* v_mov_b32_e32 v6, -1 */
		0xd1f00006, 0x000102f0, /* v_cvt_pkaccum_u8_f32 v6, 0.5, 1 */
		0xdc7c8020, 0x00000300, /* global_store_dwordx4 v0, v[3:6], s[0:1] offset:32 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *out = run(code, sizeof(code) / 4);
	static const uint32_t lane[12] = {
		0x3f800000, 0x00000000, 0x00000000, 0x3a000000,
		0x40000000, 0xc0f00000, 0x11ff3344, 0x437fb333,
		0x11ff3304, 0x00ff3304, 0x40200002, 0xffff00ff,
	};
	expect_every_lane(out, 16, lane, 12);
}

/* tests/shader/mad_legacy_gfx9.ll, llc-19 -mcpu=gfx902: LLVM's own
 * v_mad_legacy_f32 for llvm.amdgcn.fmul.legacy + fadd.  Lane l computes
 * (l - 3) * b + 0.5, b = +inf on odd lanes, 2.5 on even ones: lane 3 is
 * 0 * inf + 0.5 = 0.5, lane 1 -inf, the other odd lanes +inf, even lanes
 * (l - 3) * 2.5 + 0.5 (exact). */
static const uint32_t llc_mad_legacy[] = {
	0x680200c3, 0x7e020b01, 0x26040081, 0x7e0602ff, 0x40200000, 0x7e0802ff,
	0x7f800000, 0x7d940481, 0x00040903, 0xd1c00002, 0x03c20501, 0x2202009f,
	0xd28f0000, 0x00020082, 0x7e060201, 0x32000000, 0x38020303, 0xdc708000,
	0x007f0200, 0xbf810000,
};

Test(vgpu_gfx9_shader, llc_mad_legacy)
{
	struct rig_buf *out = run(llc_mad_legacy, sizeof(llc_mad_legacy) / 4);
	uint32_t want[64];
	for (unsigned l = 0; l < 64; l++) {
		float f = l == 3 ? 0.5f : (l & 1) ? (l < 3 ? -INFINITY : INFINITY)
				      : ((float)l - 3.0f) * 2.5f + 0.5f;
		memcpy(&want[l], &f, 4);
	}
	vgpu_rig_expect_words(out, want, 64);
}

/* tests/shader/buffer_lds_gfx9.ll, llc-19 -mcpu=gfx902: LLVM's lowering of
 * llvm.amdgcn.raw.buffer.load.lds (M0 = the LDS byte offset, then
 * buffer_load_dword/ubyte ... lds).  The Vega ISA's load to LDS:
 * "LDS_ADDR = LDSbase + LDS_offset + inst_offset + (TIDinWave * 4)", one
 * dword per lane, the memory address as for a VGPR load.  The dword load
 * (M0 16, voffset 4 * lane, soffset 0x400, offset 8) puts memory dword
 * 0x408 + 4 * l at LDS byte 24 + 4 * l (LDS dword 6 + l); the ubyte load
 * (M0 0x180, voffset l, soffset 0x800) puts byte 0x800 + l, zero
 * extended, at LDS dword 96 + l.  The kernel zeroes and then dumps the 192
 * LDS dwords to out[0..191]. */
static const uint32_t llc_buffer_load_lds[] = {
	0xbe840001, 0x24020082, 0x7e040280, 0x8601ff01, 0x0000ffff, 0xbe8300ff,
	0x00027fac, 0xb0021000, 0xb0050400, 0xbefc0090, 0xd81e0100, 0x00020201,
	0xd81a0200, 0x00000201, 0xbf8cc07f, 0xbf8a0000, 0xe0511008, 0x05000001,
	0xb0050800, 0xb07c0180, 0x680400c0, 0xe0411000, 0x05000000, 0xbf8c0000,
	0xbf8a0000, 0xd86c0000, 0x03000001, 0xd86c0100, 0x05000001, 0xd86c0200,
	0x06000001, 0x2202009f, 0x680800ff, 0x00000080, 0xd28f0000, 0x00020082,
	0x7e0e0204, 0x32000000, 0x38020307, 0xbf8cc27f, 0xdc708000, 0x007f0300,
	0x2206049f, 0xd28f0000, 0x00020482, 0x7e040204, 0x32000000, 0x38020302,
	0xbf8cc17f, 0xdc708000, 0x007f0500, 0x220a089f, 0xd28f0000, 0x00020882,
	0x32000000, 0x38020302, 0xbf8cc07f, 0xdc708000, 0x007f0600, 0xbf810000,
};

Test(vgpu_gfx9_shader, llc_buffer_load_lds)
{
	struct rig_buf *prog = vgpu_rig_program(llc_buffer_load_lds,
						sizeof(llc_buffer_load_lds) / 4);
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	uint32_t *mem = out->cpu;
	for (unsigned i = 0; i < 192; i++)
		mem[i] = 0xdeadbeef; /* overwritten by the dump */
	for (unsigned i = 0; i < 70; i++)
		mem[0x100 + i] = 0x5a000000u + i;
	uint8_t *bytes = (uint8_t *)out->cpu + 0x800;
	for (unsigned i = 0; i < 64; i++)
		bytes[i] = (uint8_t)(0x80u + 3u * i);
	cr_assert_eq(vgpu_rig_dispatch(vgpu_rig_ctx_new(), prog, 1, 64, 2, true, out), 0);
	uint32_t want[192] = { 0 };
	for (unsigned l = 0; l < 64; l++) {
		want[6 + l] = 0x5a000000u + 2 + l;
		want[96 + l] = (uint8_t)(0x80u + 3u * l);
	}
	vgpu_rig_expect_words(out, want, 192);
}

/* VGPR index mode (Vega ISA, S_SET_GPR_IDX_ON: "MODE.gpr_idx_en = 1;
 * M0[7:0] = S0.u[7:0]; M0[15:12] = SIMM4 ... Remaining bits of M0 are
 * unmodified"; _MODE sets M0[15:12], _IDX M0[7:0], _OFF clears the enable
 * and keeps M0).  Index 2 with SRC1 and DST: v_add_u32 v1, v1, v1 reads
 * v1 + v3 and writes v3 (10 + 30 = 40; v1 keeps 10).  Then SRC2 only,
 * index 1 (the low byte of 0x101): v_mad_u32_u24 v6, v1, 2, v2 reads v3 as
 * src2 (10 * 2 + 40 = 60) and writes v6 itself.  Off: v_mov_b32 v7, v2
 * reads v2 (20).  M0 = 0xabcd5a33 becomes 0xabcd4a01 (bits 11:8 and
 * 31:16 kept). */
Test(vgpu_gfx9_shader, vgpr_index_mode)
{
	static const uint32_t code[] = {
		0x24000085,             /* v_lshlrev_b32_e32 v0, 5, v0 */
		0xbefc00ff, 0xabcd5a33, /* s_mov_b32 m0, 0xabcd5a33 */
		0x7e02028a,             /* v_mov_b32_e32 v1, 10 */
		0x7e040294,             /* v_mov_b32_e32 v2, 20 */
		0x7e06029e,             /* v_mov_b32_e32 v3, 30 */
		0x7e0802a8,             /* v_mov_b32_e32 v4, 40 */
		0xb0040302,             /* s_movk_i32 s4, 0x302 */
		0xbe8500ff, 0x00000101, /* s_mov_b32 s5, 0x101 */
		0xbf110a04,             /* s_set_gpr_idx_on s4, gpr_idx(SRC1,DST) */
		0x68020301,             /* v_add_u32_e32 v1, v1, v1 */
		0xbf9d0004,             /* s_set_gpr_idx_mode gpr_idx(SRC2) */
		0xbe803205,             /* s_set_gpr_idx_idx s5 */
		0xd1c30006, 0x04090501, /* v_mad_u32_u24 v6, v1, 2, v2 */
		0xbf9c0000,             /* s_set_gpr_idx_off */
		0x7e0e0302,             /* v_mov_b32_e32 v7, v2 */
		0x7e0a027c,             /* v_mov_b32_e32 v5, m0 */
		0xdc7c8000, 0x00000100, /* global_store_dwordx4 v0, v[1:4], s[0:1] */
		0xdc788010, 0x00000500, /* global_store_dwordx3 v0, v[5:7], s[0:1] offset:16 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *out = run(code, sizeof(code) / 4);
	static const uint32_t lane[7] = { 10, 20, 40, 40, 0xabcd4a01, 60, 20 };
	expect_every_lane(out, 8, lane, 7);
}

/* tests/shader/gpr_idx_gfx9.ll, llc-19 -mcpu=gfx902 -amdgpu-vgpr-index-mode
 * -amdgpu-use-divergent-register-indexing: LLVM's own index-mode code
 * (gpr_idx(SRC0) to read, gpr_idx(DST) to write a <4 x i32> element, in
 * readfirstlane loops).  Lane l: v = {l, l + 100, l + 200, l + 300},
 * v[(l >> 4) & 3] = v[l & 3]. */
static const uint32_t llc_gpr_idx[] = {
	0x680600ff, 0x0000012c, 0x680400ff, 0x000000c8, 0x680200ff, 0x00000064,
	0x26080083, 0xbe82017e, 0x7e080504, 0x7d940804, 0xbeea206a, 0xbf110104,
	0x7e0c0300, 0xbf9c0000, 0x88fe6a7e, 0xbf89fff8, 0xbefe0102, 0x7e0a0303,
	0xd1c80007, 0x02090900, 0xbe82017e, 0x7e080302, 0x7e060301, 0x7e040300,
	0x7e080507, 0x7d940e04, 0xbeea206a, 0xbf110804, 0x7e040306, 0xbf9c0000,
	0x88fe6a7e, 0xbf89fff8, 0xbefe0102, 0x2202009f, 0xd28f0000, 0x00020084,
	0x7e0c0201, 0x32000000, 0x38020306, 0xdc7c8000, 0x007f0200, 0xbf810000,
};

Test(vgpu_gfx9_shader, llc_vgpr_index_mode)
{
	struct rig_buf *out = run(llc_gpr_idx, sizeof(llc_gpr_idx) / 4);
	uint32_t want[256];
	for (unsigned l = 0; l < 64; l++) {
		for (unsigned k = 0; k < 4; k++)
			want[4 * l + k] = l + 100 * k;
		want[4 * l + ((l >> 4) & 3)] = l + 100 * (l & 3);
	}
	vgpu_rig_expect_words(out, want, 256);
}

/* The DS _src2 forms (Vega ISA: "A = ADDR_BASE; B = A + 4*(offset1[7] ?
 * {A[31],A[31:17]} : {offset1[6],offset1[6:0],offset0}); MEM[A] = MEM[A]
 * + MEM[B]" and the like).  Lane l, X[l] at 4l = l + 1000, Y[l] at
 * 512 + 4l = 3l, Z[l] at 768 + 4l = l + 7, W[l] at 1536 + 8l = {l,
 * 0xabc00000 | l}: ds_add_src2_u32 offset:128 adds Y (B = A + 512):
 * 4l + 1000; ds_rsub_src2_u32 at Z with offset 0x7fc0 (the 16-bit field
 * 0xffc0 = -64 dwords: B = A - 256 = Y) gives 3l - (l + 7) = 2l - 7;
 * ds_add_src2_u32 offset:0x8040 (offset1[7]: B = A + 4 * A[31:17] = A,
 * offset0 ignored) doubles X: 8l + 2000; ds_write_src2_b64 at V (1024 +
 * 8l) offset:128 copies W (4 * 128 bytes on, as the guide's text for the
 * 64-bit forms says). */
Test(vgpu_gfx9_shader, ds_src2_forms)
{
	static const uint32_t code[] = {
		0x24020082,             /* v_lshlrev_b32_e32 v1, 2, v0 */
		0x680400ff, 0x000003e8, /* v_add_u32_e32 v2, 0x3e8, v0 */
		0xd81a0000, 0x00000201, /* ds_write_b32 v1, v2 */
		0x10060083,             /* v_mul_u32_u24_e32 v3, 3, v0 */
		0xd81a0200, 0x00000301, /* ds_write_b32 v1, v3 offset:512 */
		0x68080087,             /* v_add_u32_e32 v4, 7, v0 */
		0xd81a0300, 0x00000401, /* ds_write_b32 v1, v4 offset:768 */
		0x240a0083,             /* v_lshlrev_b32_e32 v5, 3, v0 */
		0x7e0c0300,             /* v_mov_b32_e32 v6, v0 */
		0x280e00ff, 0xabc00000, /* v_or_b32_e32 v7, 0xabc00000, v0 */
		0xd89a0600, 0x00000605, /* ds_write_b64 v5, v[6:7] offset:1536 */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		0xd9000080, 0x00000001, /* ds_add_src2_u32 v1 offset:128 */
		0x680402ff, 0x00000300, /* v_add_u32_e32 v2, 0x300, v1 */
		0xd9047fc0, 0x00000002, /* ds_rsub_src2_u32 v2 offset:32704 */
		0xd9008040, 0x00000001, /* ds_add_src2_u32 v1 offset:32832 */
		0x680a0aff, 0x00000400, /* v_add_u32_e32 v5, 0x400, v5 */
		0xd99a0080, 0x00000005, /* ds_write_src2_b64 v5 offset:128 */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		0xd86c0000, 0x02000001, /* ds_read_b32 v2, v1 */
		0xd86c0300, 0x03000001, /* ds_read_b32 v3, v1 offset:768 */
		0xd8ec0000, 0x04000005, /* ds_read_b64 v[4:5], v5 */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		0x24000084,             /* v_lshlrev_b32_e32 v0, 4, v0 */
		0xdc7c8000, 0x00000200, /* global_store_dwordx4 v0, v[2:5], s[0:1] */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *prog = vgpu_rig_program(code, sizeof(code) / 4);
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	cr_assert_eq(vgpu_rig_dispatch(vgpu_rig_ctx_new(), prog, 1, 64, 4, true, out), 0);
	uint32_t want[256];
	for (unsigned l = 0; l < 64; l++) {
		want[4 * l] = 8 * l + 2000;
		want[4 * l + 1] = 2 * l - 7;
		want[4 * l + 2] = l;
		want[4 * l + 3] = 0xabc00000u | l;
	}
	vgpu_rig_expect_words(out, want, 256);
}

static void expect_fault(const uint32_t *code, size_t n)
{
	struct rig_buf *prog = vgpu_rig_program(code, n);
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	uint32_t ctx = vgpu_rig_ctx_new();
	cr_assert_eq(vgpu_rig_dispatch(ctx, prog, 1, 64, 0, true, out), -ECANCELED);
	cr_assert(vgpu_rig_ctx_flags(ctx) & AMDGPU_CTX_QUERY2_FLAGS_GUILTY);
}

Test(vgpu_gfx9_shader, unmodelled_typed_format_and_scalar_scratch_fault)
{
	static const uint32_t bad_format[] = {
		0xbe840000,             /* s_mov_b32 s4, s0 */
		0x8605ff01, 0x0000ffff, /* s_and_b32 s5, s1, 0xffff */
		0xbe8600ff, 0x00010000, /* s_mov_b32 s6, 0x10000 */
		0xbe8700ff, 0x00000fac, /* s_mov_b32 s7, 0xfac */
		0x7e0202f2,             /* v_mov_b32_e32 v1, 1.0 */
		0xeb8a0000, 0x80010100, /* tbuffer_store_format_x v1, off, s[4:7], 0 format:[BUF_NUM_FORMAT_FLOAT] */
		0xbf810000,             /* s_endpgm */
	};
	static const uint32_t scalar_scratch[] = {
		0xc0160100, 0x00000000, /* s_scratch_load_dword s4, s[0:1], 0x0 */
		0xbf810000,             /* s_endpgm */
	};
	expect_fault(bad_format, sizeof(bad_format) / 4);
	expect_fault(scalar_scratch, sizeof(scalar_scratch) / 4);
}

/* Graphics instructions decode (the disassembler prints them) but the
 * compute shader core has no semantics for them: each faults, marks the
 * context guilty, and the message names the instruction (name; NULL:
 * the gfx9 MIMG fault of shader/mimg.c, which names the encoding class
 * only). */
static void expect_fault_naming(const uint32_t *code, size_t n, const char *name)
{
	struct stderr_capture cap;
	char log[4096];
	struct rig_buf *prog = vgpu_rig_program(code, n);
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	uint32_t ctx = vgpu_rig_ctx_new();
	stderr_capture_begin(&cap);
	int r = vgpu_rig_dispatch(ctx, prog, 1, 64, 0, true, out);
	stderr_capture_end(&cap, log, sizeof(log));
	cr_assert_eq(r, -ECANCELED, "%s ran", name);
	cr_assert(vgpu_rig_ctx_flags(ctx) & AMDGPU_CTX_QUERY2_FLAGS_GUILTY);
	cr_assert(!name || strstr(log, name) != NULL, "the fault does not name %s: %s", name, log);
}

Test(vgpu_gfx9_shader, graphics_instructions_fault_naming_them)
{
	static const uint32_t exp[] = {
		0xc400000f, 0x03020100, /* exp mrt0 v0, v1, v2, v3 */
		0xbf810000,             /* s_endpgm */
	};
	static const uint32_t vintrp[] = {
		0xd4140001,             /* v_interp_p1_f32_e32 v5, v1, attr0.x */
		0xbf810000,             /* s_endpgm */
	};
	static const uint32_t interp_f16[] = {
		0xd2740005, 0x00020400, /* v_interp_p1ll_f16 v5, v2, attr0.x */
		0xbf810000,             /* s_endpgm */
	};
	static const uint32_t sample[] = {
		0xf0800f00, 0x00020004, /* image_sample v[0:3], v4, s[8:15], s[0:3] dmask:0xf */
		0xbf810000,             /* s_endpgm */
	};
	expect_fault_naming(exp, sizeof(exp) / 4, "exp mrt0");
	expect_fault_naming(vintrp, sizeof(vintrp) / 4, "v_interp_p1_f32");
	expect_fault_naming(interp_f16, sizeof(interp_f16) / 4, "v_interp_p1ll_f16");
	expect_fault_naming(sample, sizeof(sample) / 4, NULL);
}

/* v_clrexcp (Vega ISA: clear the wave's exception state in the SIMD):
 * the vgpu's VALU raises no exception, so the wave goes on (VOP1 and
 * VOP3) with TRAPSTS as it was (SAVECTX, bit 10, read back); with an
 * exception bit (EXCP_HI, 14:12) set by s_setreg it faults naming
 * v_clrexcp (whether it clears TRAPSTS is not defined by a source the
 * vgpu has). */
Test(vgpu_gfx9_shader, v_clrexcp)
{
	static const uint32_t code[] = {
		0xba00f803, 0x00000400, /* s_setreg_imm32_b32 hwreg(HW_REG_TRAPSTS), 0x400 */
		0x7e006a00,             /* v_clrexcp */
		0xd1750000, 0x00000000, /* v_clrexcp_e64 */
		0xb884f803,             /* s_getreg_b32 s4, hwreg(HW_REG_TRAPSTS) */
		0x7e020204,             /* v_mov_b32 v1, s4 */
		0x7e000280,             /* v_mov_b32 v0, 0 */
		0xdc708000, 0x00000100, /* global_store_dword v0, v1, s[0:1] */
		0xbf810000,             /* s_endpgm */
	};
	static const uint32_t faults[] = {
		0xba001303, 0x00000001, /* s_setreg_imm32_b32 hwreg(HW_REG_TRAPSTS, 12, 3), 1 */
		0x7e006a00,             /* v_clrexcp */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *out = run(code, sizeof(code) / 4);
	uint32_t want[1] = { 0x400 };
	vgpu_rig_expect_words(out, want, 1);
	expect_fault_naming(faults, sizeof(faults) / 4, "v_clrexcp with TRAPSTS.EXCP");
}

/* What the Vega ISA leaves undefined in VGPR index mode faults naming the
 * instruction: an indexed register past the wave's VGPRs (v2 + 7 with 8
 * VGPRs) and an enabled operand that is an SGPR. */
Test(vgpu_gfx9_shader, vgpr_index_mode_undefined_cases_fault)
{
	static const uint32_t past_end[] = {
		0xbe840087,             /* s_mov_b32 s4, 7 */
		0xbf110804,             /* s_set_gpr_idx_on s4, gpr_idx(DST) */
		0x7e040280,             /* v_mov_b32_e32 v2, 0 */
		0xbf810000,             /* s_endpgm */
	};
	static const uint32_t sgpr_operand[] = {
		0xbe840081,             /* s_mov_b32 s4, 1 */
		0xbf110104,             /* s_set_gpr_idx_on s4, gpr_idx(SRC0) */
		0x68040204,             /* v_add_u32_e32 v2, s4, v1 */
		0xbf810000,             /* s_endpgm */
	};
	expect_fault_naming(past_end, sizeof(past_end) / 4, "beyond the wave's");
	expect_fault_naming(sgpr_operand, sizeof(sgpr_operand) / 4, "not a VGPR");
}

/* The Vega ISA gives no order between lanes of a _src2 operation: B one
 * dword past A makes lane l's B lane l + 1's A, and the vgpu faults. */
Test(vgpu_gfx9_shader, ds_src2_overlapping_lanes_fault)
{
	static const uint32_t code[] = {
		0x24020082,             /* v_lshlrev_b32_e32 v1, 2, v0 */
		0xd9000001, 0x00000001, /* ds_add_src2_u32 v1 offset:1 */
		0xbf810000,             /* s_endpgm */
	};
	expect_fault_naming(code, sizeof(code) / 4, "overlap");
}

/* The gfx9 compute instructions the Vega ISA does not define exactly
 * enough stay faults naming themselves (docs/vgpu-shader.md, "Not
 * modelled on gfx9"): v_exp/log_legacy_f32 ("with legacy semantics"),
 * s_dcache_discard (a dropped dirty line), v_screen_partition_4se_b32. */
Test(vgpu_gfx9_shader, undefined_legacy_ops_fault_naming_them)
{
	static const uint32_t exp_legacy[] = {
		0x7e029700,             /* v_exp_legacy_f32_e32 v1, v0 */
		0xbf810000,             /* s_endpgm */
	};
	static const uint32_t log_legacy[] = {
		0x7e029900,             /* v_log_legacy_f32_e32 v1, v0 */
		0xbf810000,             /* s_endpgm */
	};
	static const uint32_t discard[] = {
		0xc0a20000, 0x00000000, /* s_dcache_discard s[0:1], 0x0 */
		0xbf810000,             /* s_endpgm */
	};
	static const uint32_t screen[] = {
		0x7e026f00,             /* v_screen_partition_4se_b32_e32 v1, v0 */
		0xbf810000,             /* s_endpgm */
	};
	expect_fault_naming(exp_legacy, sizeof(exp_legacy) / 4, "v_exp_legacy_f32");
	expect_fault_naming(log_legacy, sizeof(log_legacy) / 4, "v_log_legacy_f32");
	expect_fault_naming(discard, sizeof(discard) / 4, "s_dcache_discard");
	expect_fault_naming(screen, sizeof(screen) / 4, "v_screen_partition_4se_b32");
}
