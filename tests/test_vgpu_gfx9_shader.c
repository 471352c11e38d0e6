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
#include "vgpu_rig.h"
#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>

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
