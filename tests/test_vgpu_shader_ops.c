/*
 * The vgpu's shader core, the parts its speed work changed: mnemonics are
 * resolved once per decoded instruction (shader_*_resolve), and a thread
 * reuses its icache, waves, VGPRs and LDS from one dispatch to the next
 * (shader/arena.c).  Hand-assembled gfx11 programs (llvm-mc-19 -triple=
 * amdgcn -mcpu=gfx1100, the text next to each dword) compute scalar ops,
 * VALU compares and modifiers and DS atomics whose results are checked
 * against the values the RDNA3 ISA defines; and two dispatches in a row
 * prove that neither rewritten code nor a previous dispatch's registers
 * and LDS leak into the next.  Also which workgroups a dispatch
 * launches (COMPUTE_START, the packet's end values, PARTIAL_TG_EN).  Raw
 * ioctls through tests/support/vgpu_rig.
 */
#include "float_bits.h"
#include "vgpu_rig.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <amdgpu.h>
#include <amdgpu_drm.h>

TestSuite(vgpu_shader_ops, .init = vgpu_rig_setup, .fini = vgpu_rig_teardown);

static struct rig_buf *program(const uint32_t *words, size_t n)
{
	return vgpu_rig_program(words, n);
}

static int run_groups(uint32_t ctx, const struct rig_buf *code, uint32_t groups, uint32_t threads,
		      uint32_t lds_granules, const struct rig_buf *out)
{
	return vgpu_rig_dispatch(ctx, code, groups, threads, lds_granules, false, out);
}

static int run(uint32_t ctx, const struct rig_buf *code, uint32_t threads, uint32_t lds_granules,
	       const struct rig_buf *out)
{
	return run_groups(ctx, code, 1, threads, lds_granules, out);
}

static void expect_words(const struct rig_buf *out, const uint32_t *want, size_t n)
{
	vgpu_rig_expect_words(out, want, n);
}

/* ---- scalar ALU: every table the resolver builds ---------------------- */

static const uint32_t salu_prog[] = {
	0x7e060280, /* v_mov_b32 v3, 0 */
	0xbe8400ff, 0x80000005, /* s_mov_b32 s4, 0x80000005 */
	0xbe850087, /* s_mov_b32 s5, 7 */
	0xbe8600d0, /* s_mov_b32 s6, -16 */
	0xbe870080, /* s_mov_b32 s7, 0 */
	0x878a0504, /* s_lshl2_add_u32 s10, s4, s5 */
	0x7e02020a, /* v_mov_b32 v1, s10 */
	0xdc6a0000, 0x00000103, /* global_store_b32 v3, v1, s[0:1] */
	0xbf040504, /* s_cmp_lt_i32 s4, s5 */
	0x980a8281, /* s_cselect_b32 s10, 1, 2 */
	0x7e02020a, /* v_mov_b32 v1, s10 */
	0xdc6a0004, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:4 */
	0xbf0a0504, /* s_cmp_lt_u32 s4, s5 */
	0x980a8281, /* s_cselect_b32 s10, 1, 2 */
	0x7e02020a, /* v_mov_b32 v1, s10 */
	0xdc6a0008, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:8 */
	0xb4850007, /* s_cmpk_eq_u32 s5, 0x7 */
	0x980a8281, /* s_cselect_b32 s10, 1, 2 */
	0x7e02020a, /* v_mov_b32 v1, s10 */
	0xdc6a000c, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:12 */
	0xb3840000, /* s_cmpk_lt_i32 s4, 0x0 */
	0x980a8281, /* s_cselect_b32 s10, 1, 2 */
	0x7e02020a, /* v_mov_b32 v1, s10 */
	0xdc6a0010, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:16 */
	0xbf0d9f04, /* s_bitcmp1_b32 s4, 31 */
	0x980a8281, /* s_cselect_b32 s10, 1, 2 */
	0x7e02020a, /* v_mov_b32 v1, s10 */
	0xdc6a0014, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:20 */
	0xbf0c8004, /* s_bitcmp0_b32 s4, 0 */
	0x980a8281, /* s_cselect_b32 s10, 1, 2 */
	0x7e02020a, /* v_mov_b32 v1, s10 */
	0xdc6a0018, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:24 */
	0x938aff06, 0x00040002, /* s_bfe_i32 s10, s6, 0x40002 */
	0x7e02020a, /* v_mov_b32 v1, s10 */
	0xdc6a001c, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:28 */
	0x800aa006, /* s_add_u32 s10, s6, 32 */
	0x820b8080, /* s_addc_u32 s11, 0, 0 */
	0x7e02020a, /* v_mov_b32 v1, s10 */
	0xdc6a0020, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:32 */
	0x7e02020b, /* v_mov_b32 v1, s11 */
	0xdc6a0024, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:36 */
	0x808a0605, /* s_sub_u32 s10, s5, s6 */
	0x828b8085, /* s_subb_u32 s11, 5, 0 */
	0x7e02020a, /* v_mov_b32 v1, s10 */
	0xdc6a0028, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:40 */
	0x7e02020b, /* v_mov_b32 v1, s11 */
	0xdc6a002c, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:44 */
	0xbe8a3207, /* s_or_not1_saveexec_b32 s10, s7 */
	0xbe8c007e, /* s_mov_b32 s12, exec_lo */
	0xbefe000a, /* s_mov_b32 exec_lo, s10 */
	0x7e02020a, /* v_mov_b32 v1, s10 */
	0xdc6a0030, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:48 */
	0x7e02020c, /* v_mov_b32 v1, s12 */
	0xdc6a0034, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:52 */
	0x8a0a0504, /* s_max_i32 s10, s4, s5 */
	0x980b8281, /* s_cselect_b32 s11, 1, 2 */
	0x7e02020a, /* v_mov_b32 v1, s10 */
	0xdc6a0038, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:56 */
	0x7e02020b, /* v_mov_b32 v1, s11 */
	0xdc6a003c, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:60 */
	0x900a0404, /* s_xnor_b32 s10, s4, s4 */
	0x980b8281, /* s_cselect_b32 s11, 1, 2 */
	0x7e02020a, /* v_mov_b32 v1, s10 */
	0xdc6a0040, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:64 */
	0x7e02020b, /* v_mov_b32 v1, s11 */
	0xdc6a0044, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:68 */
	0x860a8404, /* s_ashr_i32 s10, s4, 4 */
	0x7e02020a, /* v_mov_b32 v1, s10 */
	0xdc6a0048, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:72 */
	0xbe8a0005, /* s_mov_b32 s10, s5 */
	0xb80afffd, /* s_mulk_i32 s10, 0xfffd */
	0x7e02020a, /* v_mov_b32 v1, s10 */
	0xdc6a004c, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:76 */
	0xbe8a0eff, 0x00000080, /* s_sext_i32_i8 s10, 0x80 */
	0x7e02020a, /* v_mov_b32 v1, s10 */
	0xdc6a0050, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:80 */
	0xbe880004, /* s_mov_b32 s8, s4 */
	0xbe890006, /* s_mov_b32 s9, s6 */
	0xbe8a1908, /* s_bcnt1_i32_b64 s10, s[8:9] */
	0x7e02020a, /* v_mov_b32 v1, s10 */
	0xdc6a0054, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:84 */
	0x998a0604, /* s_pack_lh_b32_b16 s10, s4, s6 */
	0x7e02020a, /* v_mov_b32 v1, s10 */
	0xdc6a0058, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:88 */
	0x858aa408, /* s_lshr_b64 s[10:11], s[8:9], 36 */
	0x7e02020a, /* v_mov_b32 v1, s10 */
	0xdc6a005c, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:92 */
	0x910a0506, /* s_and_not1_b32 s10, s6, s5 */
	0x980b8281, /* s_cselect_b32 s11, 1, 2 */
	0x7e02020a, /* v_mov_b32 v1, s10 */
	0xdc6a0060, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:96 */
	0x7e02020b, /* v_mov_b32 v1, s11 */
	0xdc6a0064, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:100 */
	0xbfb00000, /* s_endpgm */
};

Test(vgpu_shader_ops, scalar_compares_bitfields_carries_and_saveexec)
{
	const uint32_t A = 0x80000005u, B = 7, C = 0xfffffff0u;
	const uint64_t AC = (uint64_t)C << 32 | A; /* s[8:9] */
	const uint32_t want[] = {
		(uint32_t)(A << 2) + B,             /* s_lshl2_add_u32 */
		(int32_t)A < (int32_t)B ? 1 : 2,    /* s_cmp_lt_i32 */
		A < B ? 1 : 2,                      /* s_cmp_lt_u32 */
		B == 7 ? 1 : 2,                     /* s_cmpk_eq_u32 */
		(int32_t)A < 0 ? 1 : 2,             /* s_cmpk_lt_i32 */
		(A >> 31) & 1 ? 1 : 2,              /* s_bitcmp1_b32 */
		(A & 1) == 0 ? 1 : 2,               /* s_bitcmp0_b32 */
		0xfffffffcu,                        /* s_bfe_i32: bits 5:2 of C = 0xc, sign-extended */
		C + 0x20u, 1,                       /* s_add_u32 carries into s_addc_u32 */
		B - C, 5 - 0 - 1,                   /* s_sub_u32 borrows from s_subb_u32 */
		1, ~1u,                             /* s_or_not1_saveexec: old EXEC, 0 | ~EXEC */
		B, 2,                               /* s_max_i32 and SCC (A > B is false) */
		~(A ^ A), 1,                        /* s_xnor_b32, SCC = result != 0 */
		(uint32_t)((int32_t)A >> 4),        /* s_ashr_i32 */
		(uint32_t)(B * -3),                 /* s_mulk_i32 */
		0xffffff80u,                        /* s_sext_i32_i8 */
		(uint32_t)__builtin_popcountll(AC), /* s_bcnt1_i32_b64 */
		(A & 0xffff) | (C & 0xffff0000u),   /* s_pack_lh_b32_b16 */
		(uint32_t)(AC >> 36),               /* s_lshr_b64 */
		C & ~B, 1,                          /* s_and_not1_b32, SCC */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *code = program(salu_prog, sizeof(salu_prog) / 4);
	cr_assert_eq(run(vgpu_rig_ctx_new(), code, 1, 0, out), 0);
	expect_words(out, want, sizeof(want) / 4);
}

/* ---- vector ALU: compares (parsed once), modifiers, lane masks, VOPD -- */

static const uint32_t valu_prog[] = {
	0x7e060280, /* v_mov_b32 v3, 0 */
	0x7e0802ff, 0x3fc00000, /* v_mov_b32 v4, 0x3fc00000 */
	0x7e0a02ff, 0x7fc00000, /* v_mov_b32 v5, 0x7fc00000 */
	0x7e0c0280, /* v_mov_b32 v6, 0 */
	0x7e0e02f5, /* v_mov_b32 v7, -2.0 */
	0x7e100280, /* v_mov_b32 v8, 0 */
	0x7e1202ff, 0x40080000, /* v_mov_b32 v9, 0x40080000 */
	0xd47e006a, 0x0001ff04, 0x00000100, /* v_cmp_class_f32_e64 vcc_lo, v4, 0x100 */
	0x7e02026a, /* v_mov_b32 v1, vcc_lo */
	0xdc6a0000, 0x00000103, /* global_store_b32 v3, v1, s[0:1] */
	0x7c300b04, /* v_cmp_u_f32 vcc_lo, v4, v5 */
	0x7e02026a, /* v_mov_b32 v1, vcc_lo */
	0xdc6a0004, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:4 */
	0x7c2a0b04, /* v_cmp_lg_f32 vcc_lo, v4, v5 */
	0x7e02026a, /* v_mov_b32 v1, vcc_lo */
	0xdc6a0008, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:8 */
	0x7c3a0b04, /* v_cmp_neq_f32 vcc_lo, v4, v5 */
	0x7e02026a, /* v_mov_b32 v1, vcc_lo */
	0xdc6a000c, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:12 */
	0x7c561106, /* v_cmp_ngt_f64 vcc_lo, v[6:7], v[8:9] */
	0x7e02026a, /* v_mov_b32 v1, vcc_lo */
	0xdc6a0010, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:16 */
	0x7ca21106, /* v_cmp_lt_i64 vcc_lo, v[6:7], v[8:9] */
	0x7e02026a, /* v_mov_b32 v1, vcc_lo */
	0xdc6a0014, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:20 */
	0x7cb21106, /* v_cmp_lt_u64 vcc_lo, v[6:7], v[8:9] */
	0x7e02026a, /* v_mov_b32 v1, vcc_lo */
	0xdc6a0018, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:24 */
	0xd44a000a, 0x0001ff04, 0x3fc00000, /* v_cmp_eq_u32_e64 s10, v4, 0x3fc00000 */
	0x7e02020a, /* v_mov_b32 v1, s10 */
	0xdc6a001c, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:28 */
	0xd47e000a, 0x00010705, /* v_cmp_class_f32_e64 s10, v5, 3 */
	0x7e02020a, /* v_mov_b32 v1, s10 */
	0xdc6a0020, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:32 */
	0x7c8c0907, /* v_cmp_ge_i32 vcc_lo, v7, v4 */
	0x7e02026a, /* v_mov_b32 v1, vcc_lo */
	0xdc6a0024, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:36 */
	0x7d980905, /* v_cmpx_gt_u32 v5, v4 */
	0xbe8c007e, /* s_mov_b32 s12, exec_lo */
	0x7d920905, /* v_cmpx_lt_u32 v5, v4 */
	0xbe8d007e, /* s_mov_b32 s13, exec_lo */
	0xbefe0081, /* s_mov_b32 exec_lo, 1 */
	0x7e02020c, /* v_mov_b32 v1, s12 */
	0xdc6a0028, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:40 */
	0x7e02020d, /* v_mov_b32 v1, s13 */
	0xdc6a002c, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:44 */
	0xd5030101, 0x20020904, /* v_add_f32_e64 v1, -|v4|, v4 */
	0xdc6a0030, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:48 */
	0xd5080001, 0x08020904, /* v_mul_f32_e64 v1, v4, v4 mul:2 */
	0xdc6a0034, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:52 */
	0xd5038001, 0x00020904, /* v_add_f32_e64 v1, v4, v4 clamp */
	0xdc6a0038, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:56 */
	0x7e1602c1, /* v_mov_b32 v11, -1 */
	0xd5258001, 0x0002170b, /* v_add_nc_u32_e64 v1, v11, v11 clamp */
	0xdc6a003c, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:60 */
	0x7e1802f2, /* v_mov_b32 v12, 1.0 */
	0x56180904, /* v_fmac_f32 v12, v4, v4 */
	0xdc6a0040, 0x00000c03, /* global_store_b32 v3, v12, s[0:1] offset:64 */
	0xbe8e0081, /* s_mov_b32 s14, 1 */
	0xd5010001, 0x00391285, /* v_cndmask_b32_e64 v1, 5, 9, s14 */
	0xdc6a0044, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:68 */
	0xbeea0081, /* s_mov_b32 vcc_lo, 1 */
	0x4002170b, /* v_add_co_ci_u32 v1, vcc_lo, v11, v11, vcc_lo */
	0xdc6a0048, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:72 */
	0x7e02026a, /* v_mov_b32 v1, vcc_lo */
	0xdc6a004c, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:76 */
	0xd6fe0a0e, 0x0422170b, /* v_mad_u64_u32 v[14:15], s10, v11, v11, v[8:9] */
	0xdc6a0050, 0x00000e03, /* global_store_b32 v3, v14, s[0:1] offset:80 */
	0xdc6a0054, 0x00000f03, /* global_store_b32 v3, v15, s[0:1] offset:84 */
	0xbeea0080, /* s_mov_b32 vcc_lo, 0 */
	0xc8d20904, 0x0c0c1681, /* v_dual_mul_f32 v12, v4, v4 :: v_dual_cndmask_b32 v13, 1, v11 */
	0xdc6a0058, 0x00000c03, /* global_store_b32 v3, v12, s[0:1] offset:88 */
	0xdc6a005c, 0x00000d03, /* global_store_b32 v3, v13, s[0:1] offset:92 */
	0x7c3c0905, /* v_cmp_nlt_f32 vcc_lo, v5, v4 */
	0x7e02026a, /* v_mov_b32 v1, vcc_lo */
	0xdc6a0060, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:96 */
	0x7c2e0904, /* v_cmp_o_f32 vcc_lo, v4, v4 */
	0x7e02026a, /* v_mov_b32 v1, vcc_lo */
	0xdc6a0064, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:100 */
	0xbfb00000, /* s_endpgm */
};

Test(vgpu_shader_ops, vector_compares_modifiers_and_dual_issue)
{
	const uint32_t want[] = {
		1,          /* v_cmp_class_f32 1.5, +normal */
		1, 0, 1,    /* v_cmp_u / _lg / _neq_f32 1.5, NaN */
		1,          /* v_cmp_ngt_f64 -2.0, 3.0 */
		1, 0,       /* v_cmp_lt_i64 / _lt_u64 on the same bits */
		1,          /* v_cmp_eq_u32_e64 into an SGPR */
		1,          /* v_cmp_class_f32_e64 quiet NaN, {snan, qnan} */
		0,          /* v_cmp_ge_i32 negative, positive */
		1, 0,       /* EXEC after v_cmpx_gt_u32 / v_cmpx_lt_u32 */
		0x00000000, /* v_add_f32 -|1.5| + 1.5 */
		0x40900000, /* v_mul_f32 1.5 * 1.5 mul:2 = 4.5 */
		0x3f800000, /* v_add_f32 1.5 + 1.5 clamp = 1.0 */
		0xffffffff, /* v_add_nc_u32 0xffffffff * 2 clamp: saturates */
		0x40500000, /* v_fmac_f32 1.0 + 1.5 * 1.5 = 3.25 */
		9,          /* v_cndmask_b32_e64 5, 9, mask 1 */
		0xffffffff, 1, /* v_add_co_ci_u32 0xffffffff * 2 + carry 1: result, carry out */
		0x00000001, 0x4007fffe, /* v_mad_u64_u32 0xffffffff^2 + 0x4008000000000000 */
		0x40100000, /* v_dual_mul_f32 1.5 * 1.5 */
		1,          /* v_dual_cndmask_b32 1, v11 with VCC 0: the first source */
		1,          /* v_cmp_nlt_f32 NaN, 1.5 */
		1,          /* v_cmp_o_f32 1.5, 1.5 */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *code = program(valu_prog, sizeof(valu_prog) / 4);
	cr_assert_eq(run(vgpu_rig_ctx_new(), code, 1, 0, out), 0);
	expect_words(out, want, sizeof(want) / 4);
}

/* v_mul_hi_u32_u24 / v_mul_hi_i32_i24: the high half of the 48-bit product
 * of the sources' low 24 bits (RDNA3 ISA), unsigned and signed, VOP2 and
 * VOP3 encodings, beside v_mul_u32_u24's low half of the same product. */
static const uint32_t mul_hi24_prog[] = {
	0x7e060280, /* v_mov_b32 v3, 0 */
	0xbe8400ff, 0x12ffffff, /* s_mov_b32 s4, 0x12ffffff (bits above 24 ignored) */
	0xbe8500ff, 0x00fffffe, /* s_mov_b32 s5, 0xfffffe */
	0x7e080205, /* v_mov_b32 v4, s5 */
	0x18020804, /* v_mul_hi_u32_u24 v1, s4, v4 */
	0xdc6a0000, 0x00000103, /* global_store_b32 v3, v1, s[0:1] */
	0x16020804, /* v_mul_u32_u24 v1, s4, v4 */
	0xdc6a0004, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:4 */
	0xbe8600ff, 0x00800000, /* s_mov_b32 s6, 0x800000 (-2^23 as i24) */
	0x7e0a02ff, 0x007fffff, /* v_mov_b32 v5, 0x7fffff */
	0x14020a06, /* v_mul_hi_i32_i24 v1, s6, v5 */
	0xdc6a0008, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:8 */
	0xd50a0001, 0x00020b05, /* v_mul_hi_i32_i24_e64 v1, v5, v5 */
	0xdc6a000c, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:12 */
	0xbfb00000, /* s_endpgm */
};

Test(vgpu_shader_ops, mul_hi_of_24_bit_products)
{
	const uint32_t want[] = {
		0x0000ffff, /* 0xffffff * 0xfffffe = 0xfffffd000002: high half */
		0xfd000002, /* ... and v_mul_u32_u24's low half */
		0xffffc000, /* -2^23 * (2^23 - 1), sign-extended high half */
		0x00003fff, /* (2^23 - 1)^2 = 0x3fffff000001 */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *code = program(mul_hi24_prog, sizeof(mul_hi24_prog) / 4);
	cr_assert_eq(run(vgpu_rig_ctx_new(), code, 1, 0, out), 0);
	expect_words(out, want, sizeof(want) / 4);
}

/* v_cvt_f32_f16 of every f16 bit pattern (the core converts on the bits)
 * against the compiler's own conversion, NaNs included: 64 workgroups of
 * 1024, work-item i converts i. */
Test(vgpu_shader_ops, f16_to_f32_conversion_of_every_pattern)
{
	static const uint32_t prog[] = {
		0xd6460001, 0x04011402, /* v_lshl_add_u32 v1, s2, 10, v0 */
		0x7e041701,             /* v_cvt_f32_f16 v2, v1 */
		0x30060282,             /* v_lshlrev_b32 v3, 2, v1 */
		0xdc6a0000, 0x00000203, /* global_store_b32 v3, v2, s[0:1] */
		0xbfb00000,             /* s_endpgm */
	};
	struct rig_buf *out = vgpu_rig_buf_new(65536 * 4);
	struct rig_buf *code = program(prog, sizeof(prog) / 4);
	cr_assert_eq(run_groups(vgpu_rig_ctx_new(), code, 64, 1024, 0, out), 0);
	const uint32_t *o = out->cpu;
	unsigned bad = 0;
	for (uint32_t i = 0; i < 65536; i++) {
		uint16_t u = (uint16_t)i;
		_Float16 h;
		memcpy(&h, &u, 2);
		float f = (float)h;
		uint32_t want;
		memcpy(&want, &f, 4);
		if (o[i] != want && bad++ < 8)
			cr_expect_eq(o[i], want, "f16 0x%04x: 0x%08x, want 0x%08x", i, o[i], want);
	}
	cr_expect_eq(bad, 0u, "%u patterns differ", bad);
}

/* ---- LDS atomics ------------------------------------------------------- */

static const uint32_t ds_prog[] = {
	0x7e060280, /* v_mov_b32 v3, 0 */
	0x7e08028a, /* v_mov_b32 v4, 10 */
	0xd8340000, 0x00000403, /* ds_store_b32 v3, v4 */
	0x7e080285, /* v_mov_b32 v4, 5 */
	0xd8800000, 0x05000403, /* ds_add_rtn_u32 v5, v3, v4 */
	0x7e0c02c3, /* v_mov_b32 v6, -3 */
	0xd8180000, 0x00000603, /* ds_max_i32 v3, v6 */
	0xd8940000, 0x07000603, /* ds_min_rtn_i32 v7, v3, v6 */
	0xd8d80000, 0x08000003, /* ds_load_b32 v8, v3 */
	0x7e0802ff, 0x00000100, /* v_mov_b32 v4, 0x100 */
	0xd8ac0000, 0x09000403, /* ds_xor_rtn_b32 v9, v3, v4 */
	0xd8d80000, 0x0a000003, /* ds_load_b32 v10, v3 */
	0xdc6a0000, 0x00000503, /* global_store_b32 v3, v5, s[0:1] */
	0xdc6a0004, 0x00000703, /* global_store_b32 v3, v7, s[0:1] offset:4 */
	0xdc6a0008, 0x00000803, /* global_store_b32 v3, v8, s[0:1] offset:8 */
	0xdc6a000c, 0x00000903, /* global_store_b32 v3, v9, s[0:1] offset:12 */
	0xdc6a0010, 0x00000a03, /* global_store_b32 v3, v10, s[0:1] offset:16 */
	0x7e0802ff, 0x00001234, /* v_mov_b32 v4, 0x1234 */
	0xd8b40000, 0x0b000403, /* ds_storexchg_rtn_b32 v11, v3, v4 */
	0xd8d80000, 0x0c000003, /* ds_load_b32 v12, v3 */
	0xdc6a0014, 0x00000b03, /* global_store_b32 v3, v11, s[0:1] offset:20 */
	0xdc6a0018, 0x00000c03, /* global_store_b32 v3, v12, s[0:1] offset:24 */
	0xbfb00000, /* s_endpgm */
};

Test(vgpu_shader_ops, lds_atomics_return_the_old_value)
{
	const uint32_t want[] = {
		10,          /* ds_add_rtn_u32: 10 before, 15 after */
		15,          /* ds_min_rtn_i32 after ds_max_i32(15, -3) = 15 */
		0xfffffffdu, /* min(15, -3) */
		0xfffffffdu, /* ds_xor_rtn_b32 returns -3 ... */
		0xfffffefdu, /* ... and leaves -3 ^ 0x100 */
		0xfffffefdu, /* ds_storexchg_rtn_b32 (atomic_xchg) returns it ... */
		0x1234,      /* ... and stores its data */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *code = program(ds_prog, sizeof(ds_prog) / 4);
	cr_assert_eq(run(vgpu_rig_ctx_new(), code, 1, 1, out), 0);
	expect_words(out, want, sizeof(want) / 4);
}

/* An LDS op the core does not model faults (an unimplemented atomic once
 * stored an uninitialised value); ds_bvh_stack_rtn_b32 is one. */
Test(vgpu_shader_ops, unimplemented_lds_atomic_is_an_illegal_instruction)
{
	static const uint32_t prog[] = {
		0x7e000280,             /* v_mov_b32 v0, 0 */
		0xdab40000, 0x01040200, /* ds_bvh_stack_rtn_b32 v1, v0, v2, v[4:7] */
		0xbfb00000,             /* s_endpgm */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *code = program(prog, sizeof(prog) / 4);
	uint32_t ctx = vgpu_rig_ctx_new();
	cr_assert_eq(run(ctx, code, 1, 1, out), -ECANCELED);
	cr_assert(vgpu_rig_ctx_flags(ctx) & AMDGPU_CTX_QUERY2_FLAGS_GUILTY);
}

/* ---- what one dispatch leaves behind for the next ---------------------- */

/* v1 = 0x6f in every lane, stored at out[lane] */
static const uint32_t store_const_prog[] = {
	0x30040082,             /* v_lshlrev_b32 v2, 2, v0 */
	0x7e0202ff, 0x0000006f, /* v_mov_b32 v1, 0x6f */
	0xdc6a0000, 0x00000102, /* global_store_b32 v2, v1, s[0:1] */
	0xbfb00000,             /* s_endpgm */
};

/* The instruction cache lives as long as the thread, not the dispatch:
 * code rewritten at the same address between two dispatches must run as
 * rewritten. */
Test(vgpu_shader_ops, code_rewritten_between_dispatches_runs_as_rewritten)
{
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *code = program(store_const_prog, sizeof(store_const_prog) / 4);
	uint32_t ctx = vgpu_rig_ctx_new();
	cr_assert_eq(run(ctx, code, 32, 0, out), 0);
	uint32_t *o = out->cpu, *c = code->cpu;
	for (int l = 0; l < 32; l++)
		cr_assert_eq(o[l], 0x6fu, "lane %d", l);
	c[2] = 0xabcd; /* the literal of v_mov_b32 v1 */
	cr_assert_eq(run(ctx, code, 32, 0, out), 0);
	for (int l = 0; l < 32; l++)
		cr_assert_eq(o[l], 0xabcdu, "lane %d after the rewrite", l);
}

/* Two waves set VGPRs, an SGPR and their LDS to all ones... */
static const uint32_t dirty_prog[] = {
	0x30040082,             /* v_lshlrev_b32 v2, 2, v0 */
	0x7e0202c1,             /* v_mov_b32 v1, -1 */
	0x7e0602c1,             /* v_mov_b32 v3, -1 */
	0x7e0802c1,             /* v_mov_b32 v4, -1 */
	0x7e0a02c1,             /* v_mov_b32 v5, -1 */
	0x7e1e02c1,             /* v_mov_b32 v15, -1 */
	0xd8340000, 0x00000102, /* ds_store_b32 v2, v1 */
	0xd8340100, 0x00000102, /* ds_store_b32 v2, v1 offset:256 */
	0xbe9400c1,             /* s_mov_b32 s20, -1 */
	0xbfb00000,             /* s_endpgm */
};

/* ... and the next dispatch stores what it finds there, 4 dwords a lane
 * plus s20 */
static const uint32_t readback_prog[] = {
	0x30040082,             /* v_lshlrev_b32 v2, 2, v0 */
	0xd8d80000, 0x01000002, /* ds_load_b32 v1, v2 */
	0xd8d80100, 0x06000002, /* ds_load_b32 v6, v2 offset:256 */
	0x300e0084,             /* v_lshlrev_b32 v7, 4, v0 */
	0xdc6a0000, 0x00000107, /* global_store_b32 v7, v1, s[0:1] */
	0xdc6a0004, 0x00000607, /* global_store_b32 v7, v6, s[0:1] offset:4 */
	0xdc6a0008, 0x00000507, /* global_store_b32 v7, v5, s[0:1] offset:8 */
	0xdc6a000c, 0x00000f07, /* global_store_b32 v7, v15, s[0:1] offset:12 */
	0x7e020214,             /* v_mov_b32 v1, s20 */
	0xdc6a0010, 0x00000107, /* global_store_b32 v7, v1, s[0:1] offset:16 */
	0xbfb00000,             /* s_endpgm */
};

/* The vgpu starts every wave with zeroed registers and every workgroup
 * with zeroed LDS; reusing the memory between dispatches keeps that. */
Test(vgpu_shader_ops, registers_and_lds_start_zeroed_after_another_dispatch)
{
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *dirty = program(dirty_prog, sizeof(dirty_prog) / 4);
	struct rig_buf *readback = program(readback_prog, sizeof(readback_prog) / 4);
	uint32_t ctx = vgpu_rig_ctx_new();
	cr_assert_eq(run(ctx, dirty, 64, 2, out), 0);
	uint32_t *o = out->cpu;
	memset(o, 0x5a, 64 * 16 + 4);
	cr_assert_eq(run(ctx, readback, 64, 2, out), 0);
	for (int l = 0; l < 64; l++)
		for (int i = 0; i < 4; i++) {
			static const char *const what[] = { "LDS[lane]", "LDS[256 + lane]", "v5",
							    "v15" };
			cr_expect_eq(o[l * 4 + i], 0u, "lane %d: %s is 0x%08x", l, what[i], o[l * 4 + i]);
		}
	/* s20 of the last lane that stored it (offset 16 of lane 63 is lane 64's first dword) */
	cr_expect_eq(o[63 * 4 + 4], 0u, "s20 is 0x%08x", o[63 * 4 + 4]);
}

/* ---- the grid a dispatch launches ------------------------------------ */

/* Every work-item adds 1 at out[group * 64 + x]: which (group, item)
 * pairs ran, and how often. */
static const uint32_t grid_prog[] = {
	0xd6460001, 0x04010c02, /* v_lshl_add_u32 v1, s2, 6, v0 */
	0x30020282,             /* v_lshlrev_b32_e32 v1, 2, v1 */
	0x7e040281,             /* v_mov_b32_e32 v2, 1 */
	0xdcd60000, 0x00000201, /* global_atomic_add_u32 v1, v2, s[0:1] */
	0xbfb00000,             /* s_endpgm */
};

#define INIT_PARTIAL_TG_EN (1u << 1)
#define INIT_FORCE_START_AT_000 (1u << 2)

/* groups [first, end) ran with `last_items` work-items in the last one
 * and 64 in the others; nothing else ran */
static void expect_grid(const struct rig_buf *out, uint32_t first, uint32_t end,
			uint32_t last_items)
{
	const uint32_t *got = out->cpu;
	for (uint32_t g = 0; g < 8; g++)
		for (uint32_t x = 0; x < 64; x++) {
			uint32_t items = g == end - 1 ? last_items : 64;
			uint32_t want = g >= first && g < end && x < items;
			cr_expect_eq(got[g * 64 + x], want, "group %u item %u ran %u times, want %u", g,
				     x, got[g * 64 + x], want);
		}
}

/* DISPATCH_DIRECT's dimension is where the grid ends: with
 * COMPUTE_START_X = 2 and DIM_X = 5, groups 2, 3 and 4 (RADV's
 * vkCmdDispatchBase); FORCE_START_AT_000 ignores COMPUTE_START. */
Test(vgpu_shader_ops, dispatch_dim_is_the_end_of_the_grid)
{
	uint32_t ctx = vgpu_rig_ctx_new();
	struct rig_buf *code = program(grid_prog, sizeof(grid_prog) / 4);
	struct rig_buf *out = vgpu_rig_buf_new(8 * 64 * 4);
	cr_assert_eq(vgpu_rig_dispatch_grid(ctx, code, 2, 5, 64, 0, 0, false, out), 0);
	expect_grid(out, 2, 5, 64);
	memset(out->cpu, 0, 8 * 64 * 4);
	cr_assert_eq(vgpu_rig_dispatch_grid(ctx, code, 2, 5, 64, INIT_FORCE_START_AT_000, 0, true,
					    out), 0);
	expect_grid(out, 0, 5, 64);
	/* an end at or before the start launches nothing */
	memset(out->cpu, 0, 8 * 64 * 4);
	cr_assert_eq(vgpu_rig_dispatch_grid(ctx, code, 3, 3, 64, 0, 0, false, out), 0);
	expect_grid(out, 0, 0, 64);
}

/* PARTIAL_TG_EN: the grid's last group has NUM_THREAD_PARTIAL items (as
 * RADV and radeonsi launch a size that is not a multiple of the group),
 * the others NUM_THREAD_FULL; PARTIAL 0 is refused by name. */
Test(vgpu_shader_ops, partial_last_workgroup)
{
	uint32_t ctx = vgpu_rig_ctx_new();
	struct rig_buf *code = program(grid_prog, sizeof(grid_prog) / 4);
	struct rig_buf *out = vgpu_rig_buf_new(8 * 64 * 4);
	cr_assert_eq(vgpu_rig_dispatch_grid(ctx, code, 0, 3, 64 | (10u << 16), INIT_PARTIAL_TG_EN, 0,
					    false, out), 0);
	expect_grid(out, 0, 3, 10);
	memset(out->cpu, 0, 8 * 64 * 4);
	cr_assert_eq(vgpu_rig_dispatch_grid(ctx, code, 1, 4, 64 | (33u << 16),
					    INIT_PARTIAL_TG_EN, 0, true, out), 0);
	expect_grid(out, 1, 4, 33);
	/* without PARTIAL_TG_EN the PARTIAL field is not looked at */
	memset(out->cpu, 0, 8 * 64 * 4);
	cr_assert_eq(vgpu_rig_dispatch_grid(ctx, code, 0, 2, 64 | (5u << 16), 0, 0, false, out), 0);
	expect_grid(out, 0, 2, 64);
	uint32_t bad = vgpu_rig_ctx_new();
	cr_assert_eq(vgpu_rig_dispatch_grid(bad, code, 0, 2, 64, INIT_PARTIAL_TG_EN, 0, false, out),
		     -ECANCELED);
}

/* ---- WMMA modifiers and an inline-constant C -------------------------- */

/* Every lane's v[8:15] is 0x40003c00, so A and B hold f16 1.0 at even k
 * (bits 0-15) and 2.0 at odd k (bits 16-31), and every element of A * B
 * is 8 * 1 * 1 + 8 * 2 * 2 = 40.  RDNA3's WMMA fields (AMD's matrix
 * instruction calculator): neg_lo[0]/[1] negate A's/B's bits-0-15
 * elements, neg_hi[0]/[1] the bits-16-31 ones, neg_hi[2] takes |C| and
 * neg_lo[2] then negates C.  v0 of D depends only on v0 of C, so each
 * case sets v0 and stores D's v0 (all lanes alike). */
static const uint32_t wmma_mod_prog[] = {
	0x7e1002ff, 0x40003c00, /* v_mov_b32 v8, 0x40003c00 */
	0x7e120308, /* v_mov_b32 v9, v8 */
	0x7e140308, /* v_mov_b32 v10, v8 */
	0x7e160308, /* v_mov_b32 v11, v8 */
	0x7e180308, /* v_mov_b32 v12, v8 */
	0x7e1a0308, /* v_mov_b32 v13, v8 */
	0x7e1c0308, /* v_mov_b32 v14, v8 */
	0x7e1e0308, /* v_mov_b32 v15, v8 */
	0x7e0002ff, 0xc0400000, /* v_mov_b32 v0, 0xc0400000 */
	0xcc404000, 0x1c021108, /* v_wmma_f32_16x16x16_f16 v[0:7], v[8:15], v[8:15], v[0:7] */
	0x7e020280, /* v_mov_b32 v1, 0 */
	0xdc6a0000, 0x00000001, /* global_store_b32 v1, v0, s[0:1] */
	0x7e0002ff, 0xc0400000, /* v_mov_b32 v0, 0xc0400000 */
	0xcc404000, 0x3c021108, /* v_wmma_f32_16x16x16_f16 v[0:7], v[8:15], v[8:15], v[0:7] neg_lo:[1,0,0] */
	0x7e020280, /* v_mov_b32 v1, 0 */
	0xdc6a0004, 0x00000001, /* global_store_b32 v1, v0, s[0:1] offset:4 */
	0x7e0002ff, 0xc0400000, /* v_mov_b32 v0, 0xc0400000 */
	0xcc404100, 0x1c021108, /* v_wmma_f32_16x16x16_f16 v[0:7], v[8:15], v[8:15], v[0:7] neg_hi:[1,0,0] */
	0x7e020280, /* v_mov_b32 v1, 0 */
	0xdc6a0008, 0x00000001, /* global_store_b32 v1, v0, s[0:1] offset:8 */
	0x7e0002ff, 0xc0400000, /* v_mov_b32 v0, 0xc0400000 */
	0xcc404200, 0x5c021108, /* v_wmma_f32_16x16x16_f16 v[0:7], v[8:15], v[8:15], v[0:7] neg_lo:[0,1,0] neg_hi:[0,1,0] */
	0x7e020280, /* v_mov_b32 v1, 0 */
	0xdc6a000c, 0x00000001, /* global_store_b32 v1, v0, s[0:1] offset:12 */
	0x7e0002ff, 0xc0400000, /* v_mov_b32 v0, 0xc0400000 */
	0xcc404400, 0x1c021108, /* v_wmma_f32_16x16x16_f16 v[0:7], v[8:15], v[8:15], v[0:7] neg_hi:[0,0,1] */
	0x7e020280, /* v_mov_b32 v1, 0 */
	0xdc6a0010, 0x00000001, /* global_store_b32 v1, v0, s[0:1] offset:16 */
	0x7e0002ff, 0xc0400000, /* v_mov_b32 v0, 0xc0400000 */
	0xcc404000, 0x9c021108, /* v_wmma_f32_16x16x16_f16 v[0:7], v[8:15], v[8:15], v[0:7] neg_lo:[0,0,1] */
	0x7e020280, /* v_mov_b32 v1, 0 */
	0xdc6a0014, 0x00000001, /* global_store_b32 v1, v0, s[0:1] offset:20 */
	0x7e0002ff, 0x40400000, /* v_mov_b32 v0, 0x40400000 */
	0xcc404400, 0x9c021108, /* v_wmma_f32_16x16x16_f16 v[0:7], v[8:15], v[8:15], v[0:7] neg_lo:[0,0,1] neg_hi:[0,0,1] */
	0x7e020280, /* v_mov_b32 v1, 0 */
	0xdc6a0018, 0x00000001, /* global_store_b32 v1, v0, s[0:1] offset:24 */
	0xcc404000, 0x1bca1108, /* v_wmma_f32_16x16x16_f16 v[0:7], v[8:15], v[8:15], 1.0 */
	0x7e020280, /* v_mov_b32 v1, 0 */
	0xdc6a001c, 0x00000001, /* global_store_b32 v1, v0, s[0:1] offset:28 */
	0xcc404000, 0x9bd61108, /* v_wmma_f32_16x16x16_f16 v[0:7], v[8:15], v[8:15], -2.0 neg_lo:[0,0,1] */
	0x7e020280, /* v_mov_b32 v1, 0 */
	0xdc6a0020, 0x00000001, /* global_store_b32 v1, v0, s[0:1] offset:32 */
	0x7e0002ff, 0xdead0000, /* v_mov_b32 v0, 0xdead0000 */
	0xcc424000, 0x1bc21108, /* v_wmma_f16_16x16x16_f16 v[0:7], v[8:15], v[8:15], 0.5 */
	0x7e020280, /* v_mov_b32 v1, 0 */
	0xdc6a0024, 0x00000001, /* global_store_b32 v1, v0, s[0:1] offset:36 */
	0x7e0002ff, 0xc2003c00, /* v_mov_b32 v0, 0xc2003c00 */
	0xcc426000, 0x9c021108, /* v_wmma_f16_16x16x16_f16 v[0:7], v[8:15], v[8:15], v[0:7] op_sel:[0,0,1] neg_lo:[0,0,1] */
	0x7e020280, /* v_mov_b32 v1, 0 */
	0xdc6a0028, 0x00000001, /* global_store_b32 v1, v0, s[0:1] offset:40 */
	0xcc444000, 0x1a161108, /* v_wmma_i32_16x16x16_iu8 v[0:7], v[8:11], v[8:11], 5 */
	0x7e020280, /* v_mov_b32 v1, 0 */
	0xdc6a002c, 0x00000001, /* global_store_b32 v1, v0, s[0:1] offset:44 */
	0xcc414400, 0x9bda1108, /* v_wmma_f32_16x16x16_bf16 v[0:7], v[8:15], v[8:15], 4.0 neg_lo:[0,0,1] neg_hi:[0,0,1] */
	0x7e020280, /* v_mov_b32 v1, 0 */
	0xdc6a0030, 0x00000001, /* global_store_b32 v1, v0, s[0:1] offset:48 */
	0xbfb00000, /* s_endpgm */
};

Test(vgpu_shader_ops, wmma_neg_modifiers_and_inline_c)
{
	static const uint32_t want[] = {
		0x42140000, /* 40 + C(-3) = 37 */
		0x41a80000, /* neg_lo A: -8 + 32 - 3 = 21 */
		0xc1d80000, /* neg_hi A: 8 - 32 - 3 = -27 */
		0xc22c0000, /* all of B negated: -40 - 3 = -43 */
		0x422c0000, /* neg_hi C: 40 + |-3| = 43 */
		0x422c0000, /* neg_lo C: 40 - (-3) = 43 */
		0x42140000, /* both on C = 3: 40 - |3| = 37 */
		0x42240000, /* C = inline 1.0: 41 */
		0x42280000, /* C = -(inline -2.0): 42 */
		0xdead5110, /* f16 D = 40 + 0.5 = f16 40.5 in bits 0-15, bits 16-31 kept */
		0x51603c00, /* op_sel[2]: C = -(f16 -3.0 in bits 16-31), D there = f16 43 */
		30789,      /* iu8: bytes 0,60,0,64 per VGPR: 4 * (3600 + 4096) + inline 5 */
		0x41e00100, /* bf16 A/B: 2^-7 at even k, 2.0 at odd k: 8 * 2^-14 + 32 - |4.0| */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *code = program(wmma_mod_prog, sizeof(wmma_mod_prog) / 4);
	uint32_t ctx = vgpu_rig_ctx_new();
	cr_assert_eq(run(ctx, code, 32, 0, out), 0);
	expect_words(out, want, sizeof(want) / 4);
}

/* ---- v_fma_mix_f32: each source's form, EXEC and DPP ------------------ */

/* v1 holds f16 3.0 in bits 16-31 and f16 -1.0 in bits 0-15, s4 f16 1.0 /
 * 0.5, v2 f32 2.0, v6 the lane number as f32.  Each case stores v5 (v6
 * for DPP) of all 32 lanes: op_sel picks a half of an f16 source
 * (op_sel_hi), neg_hi/neg_lo are |x| and -x, an SGPR source is one value
 * for every lane, clamp clamps to [0, 1], lanes outside EXEC keep their
 * value, and with DPP src0 comes from lane l ^ 1 (quad_perm:[1,0,3,2])
 * even when the destination is src0 itself, so every lane reads its
 * source before any lane writes. */
static const uint32_t fma_mix_prog[] = {
	0x7e0202ff, 0x4200bc00, /* v_mov_b32 v1, 0x4200bc00 */
	0x7e0402f4, /* v_mov_b32 v2, 2.0 */
	0x30060082, /* v_lshlrev_b32 v3, 2, v0 */
	0xbe8400ff, 0x3c003800, /* s_mov_b32 s4, 0x3c003800 */
	0x7e0c0d00, /* v_cvt_f32_u32 v6, v0 */
	0xcc200005, 0x1c0a0301, /* v_fma_mix_f32 v5, v1, v1, v2 op_sel_hi:[1,1,0] */
	0xdc6a0000, 0x00000503, /* global_store_b32 v3, v5, s[0:1] */
	0xcc200805, 0x1c0a0301, /* v_fma_mix_f32 v5, v1, v1, v2 op_sel:[1,0,0] op_sel_hi:[1,1,0] */
	0xdc6a0080, 0x00000503, /* global_store_b32 v3, v5, s[0:1] offset:128 */
	0xcc200105, 0x9c0a0301, /* v_fma_mix_f32 v5, |v1|, v1, -v2 op_sel_hi:[1,1,0] */
	0xdc6a0100, 0x00000503, /* global_store_b32 v3, v5, s[0:1] offset:256 */
	0xcc201005, 0x1c080901, /* v_fma_mix_f32 v5, v1, s4, v2 op_sel:[0,1,0] op_sel_hi:[1,1,0] */
	0xdc6a0180, 0x00000503, /* global_store_b32 v3, v5, s[0:1] offset:384 */
	0xcc209805, 0x1c0a0301, /* v_fma_mix_f32 v5, v1, v1, v2 op_sel:[1,1,0] op_sel_hi:[1,1,0] clamp */
	0xdc6a0200, 0x00000503, /* global_store_b32 v3, v5, s[0:1] offset:512 */
	0x7e0a0287, /* v_mov_b32 v5, 7 */
	0xbefe00ff, 0x0000ffff, /* s_mov_b32 exec_lo, 0xffff */
	0xcc200005, 0x040a0d02, /* v_fma_mix_f32 v5, v2, v6, v2 */
	0xbefe00c1, /* s_mov_b32 exec_lo, -1 */
	0xdc6a0280, 0x00000503, /* global_store_b32 v3, v5, s[0:1] offset:640 */
	0xcc200006, 0x040a04fa, 0xff00b106, /* v_fma_mix_f32_e64_dpp v6, v6, v2, v2 quad_perm:[1,0,3,2] row_mask:0xf bank_mask:0xf */
	0xdc6a0300, 0x00000603, /* global_store_b32 v3, v6, s[0:1] offset:768 */
	0xbfb00000, /* s_endpgm */
};

Test(vgpu_shader_ops, fma_mix_sources_exec_and_dpp)
{
	uint32_t want[7 * 32];
	for (unsigned l = 0; l < 32; l++) {
		want[0 * 32 + l] = f32_bits(3.0f);  /* -1 * -1 + 2 */
		want[1 * 32 + l] = f32_bits(-1.0f); /* op_sel[0]: 3 * -1 + 2 */
		want[2 * 32 + l] = f32_bits(-3.0f); /* |-1| * -1 + -(2) */
		want[3 * 32 + l] = f32_bits(1.0f);  /* -1 * s4's high half 1.0 + 2 */
		want[4 * 32 + l] = f32_bits(1.0f);  /* 3 * 3 + 2 = 11, clamped */
		want[5 * 32 + l] = l < 16 ? f32_bits(2.0f * (float)l + 2.0f) : 7; /* EXEC 0xffff */
		want[6 * 32 + l] = f32_bits((float)(l ^ 1) * 2.0f + 2.0f); /* DPP, v6 in place */
	}
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *code = program(fma_mix_prog, sizeof(fma_mix_prog) / 4);
	cr_assert_eq(run(vgpu_rig_ctx_new(), code, 32, 0, out), 0);
	expect_words(out, want, sizeof(want) / 4);
}

/* bf16 inline constants, as the RDNA3 guide (7.5.1: "BF16 uses 32-bit
 * float constants and then the BF16 operand selects the upper 16 bits of
 * the FP32 constant") and LLVM 19 (AMDGPUBaseInfo isInlinableLiteralBF16;
 * llvm-mc-19 encodes the bf16 literal 0x3f80 in v_dot2_bf16_bf16's S2, and
 * in gfx12's WMMA bf16 C, as the inline constant 1.0) both define them: a
 * float constant is the high 16 bits of its f32 encoding (1/(2*pi) is
 * 0x3E22, not the rounded 0x3E23).  v[8:15] hold bf16 1.0 at even k and 2.0 at odd k,
 * so every element of A * B is 8 * 1 + 8 * 4 = 40; then they are set to
 * 0.  Encodings from llvm-mc-19 (gfx1100), except WMMA with C =
 * 1/(2*pi), which llvm-mc-19 disassembles but does not assemble for
 * gfx11. */
static const uint32_t bf16_const_prog[] = {
	0x7e1002ff, 0x40003f80, /* v_mov_b32 v8, 0x40003f80 */
	0x7e120308, /* v_mov_b32 v9, v8 */
	0x7e140308, /* v_mov_b32 v10, v8 */
	0x7e160308, /* v_mov_b32 v11, v8 */
	0x7e180308, /* v_mov_b32 v12, v8 */
	0x7e1a0308, /* v_mov_b32 v13, v8 */
	0x7e1c0308, /* v_mov_b32 v14, v8 */
	0x7e1e0308, /* v_mov_b32 v15, v8 */
	0x7e0002ff, 0xdead0000, /* v_mov_b32 v0, 0xdead0000 */
	0xcc434000, 0x1bca1108, /* v_wmma_bf16_16x16x16_bf16 v[0:7], v[8:15], v[8:15], 1.0 */
	0x7e020280, /* v_mov_b32 v1, 0 */
	0xdc6a0000, 0x00000001, /* global_store_b32 v1, v0, s[0:1] */
	0x7e0002ff, 0xdead0000, /* v_mov_b32 v0, 0xdead0000 */
	0xcc434400, 0x1bde1108, /* v_wmma_bf16_16x16x16_bf16 v[0:7], v[8:15], v[8:15], -4.0 neg_hi:[0,0,1] */
	0x7e020280, /* v_mov_b32 v1, 0 */
	0xdc6a0004, 0x00000001, /* global_store_b32 v1, v0, s[0:1] offset:4 */
	0x7e0002ff, 0xdead0000, /* v_mov_b32 v0, 0xdead0000 */
	0xcc436000, 0x1bc21108, /* v_wmma_bf16_16x16x16_bf16 v[0:7], v[8:15], v[8:15], 0.5 op_sel:[0,0,1] */
	0x7e020280, /* v_mov_b32 v1, 0 */
	0xdc6a0008, 0x00000001, /* global_store_b32 v1, v0, s[0:1] offset:8 */
	0x7e100280, /* v_mov_b32 v8, 0 */
	0x7e120280, /* v_mov_b32 v9, 0 */
	0x7e140280, /* v_mov_b32 v10, 0 */
	0x7e160280, /* v_mov_b32 v11, 0 */
	0x7e180280, /* v_mov_b32 v12, 0 */
	0x7e1a0280, /* v_mov_b32 v13, 0 */
	0x7e1c0280, /* v_mov_b32 v14, 0 */
	0x7e1e0280, /* v_mov_b32 v15, 0 */
	0x7e0002ff, 0xdead0000, /* v_mov_b32 v0, 0xdead0000 */
	0xcc434000, 0x1be21108, /* v_wmma_bf16_16x16x16_bf16 v[0:7], v[8:15], v[8:15], 0.15915494 */
	0x7e020280, /* v_mov_b32 v1, 0 */
	0xdc6a000c, 0x00000001, /* global_store_b32 v1, v0, s[0:1] offset:12 */
	0x7e0402ff, 0x40003f80, /* v_mov_b32 v2, 0x40003f80 */
	0x7e0602ff, 0x3f804000, /* v_mov_b32 v3, 0x3f804000 */
	0xd6670004, 0x03ca0702, /* v_dot2_bf16_bf16 v4, v2, v3, 1.0 */
	0x7e020280, /* v_mov_b32 v1, 0 */
	0xdc6a0014, 0x00000401, /* global_store_b32 v1, v4, s[0:1] offset:20 */
	0xd6670004, 0x03e21108, /* v_dot2_bf16_bf16 v4, v8, v8, 0.15915494 */
	0xdc6a0018, 0x00000401, /* global_store_b32 v1, v4, s[0:1] offset:24 */
	0xd6670004, 0x03d60702, /* v_dot2_bf16_bf16 v4, v2, v3, -2.0 */
	0xdc6a001c, 0x00000401, /* global_store_b32 v1, v4, s[0:1] offset:28 */
	0xbfb00000, /* s_endpgm */
};

Test(vgpu_shader_ops, bf16_inline_constants)
{
	static const uint32_t want[] = {
		0xdead4224, /* WMMA bf16: 40 + 1.0 = bf16 41, bits 16-31 kept */
		0xdead4230, /* 40 + |-4.0| = 44 */
		0x42220000, /* op_sel[2]: 40 + 0.5 = 40.5 in bits 16-31 */
		0xdead3e22, /* 0 + 1/(2*pi) = bf16 0x3E22 (not the rounded 0x3E23) */
	};
	/* v_dot2_bf16_bf16 (bits 0-15): 1*2 + 2*1 + C */
	static const uint16_t want_dot[] = {
		0x40a0, /* + 1.0 = 5.0 */
		0x3e22, /* 0 + 0 + 1/(2*pi) = 0x3E22 */
		0x4000, /* + -2.0 = 2.0 */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *code = program(bf16_const_prog, sizeof(bf16_const_prog) / 4);
	uint32_t ctx = vgpu_rig_ctx_new();
	cr_assert_eq(run(ctx, code, 32, 0, out), 0);
	expect_words(out, want, sizeof(want) / 4);
	const uint32_t *o = out->cpu;
	for (unsigned i = 0; i < 3; i++)
		cr_expect_eq(o[5 + i] & 0xffff, want_dot[i], "dot2 %u: %#x, want %#x", i,
			     o[5 + i] & 0xffff, want_dot[i]);
}

/* Inline constants on packed 16-bit sources, where the RDNA3 guide (7.5.1)
 * and LLVM 19 agree: a float constant is its f16 value in bits 0-15 and 0
 * in bits 16-31 (llvm-mc-19 encodes the literal 0x3c00 there as 1.0); to
 * use it in both halves op_sel_hi selects the low half.  v0 holds f16 1.0
 * in bits 0-15 and 2.0 in bits 16-31.  Encodings from llvm-mc-19. */
Test(vgpu_shader_ops, packed_f16_inline_constants)
{
	static const uint32_t prog[] = {
		0x7e0002ff, 0x40003c00, /* v_mov_b32 v0, 0x40003c00 */
		0xcc104001, 0x0801e900, /* v_pk_mul_f16 v1, v0, 2.0 op_sel_hi:[1,0] */
		0xcc0f4002, 0x1801e500, /* v_pk_add_f16 v2, v0, 1.0 */
		0x7e0602ff, 0x3c003c00, /* v_mov_b32 v3, 0x3c003c00 */
		0x780600f2, /* v_pk_fmac_f16 v3, 1.0, v0 */
		0x7e080280, /* v_mov_b32 v4, 0 */
		0xd6660004, 0x020200f2, /* v_dot2_f16_f16 v4, 1.0, v0, 0 */
		0xcc0a4005, 0x18011100, /* v_pk_add_u16 v5, v0, 8 */
		0x7e160280, /* v_mov_b32 v11, 0 */
		0xdc6a0000, 0x0000010b, /* global_store_b32 v11, v1, s[0:1] */
		0xdc6a0004, 0x0000020b, /* global_store_b32 v11, v2, s[0:1] offset:4 */
		0xdc6a0008, 0x0000030b, /* global_store_b32 v11, v3, s[0:1] offset:8 */
		0xdc6a000c, 0x0000040b, /* global_store_b32 v11, v4, s[0:1] offset:12 */
		0xdc6a0010, 0x0000050b, /* global_store_b32 v11, v5, s[0:1] offset:16 */
		0xbfb00000, /* s_endpgm */
	};
	static const uint32_t want[] = {
		0x44004000, /* (1.0 * 2.0, 2.0 * 2.0): op_sel_hi reads 2.0 for the high half too */
		0x40004000, /* (1.0 + 1.0, 2.0 + 0) */
		0x3c004000, /* v_pk_fmac: (1.0 * 1.0 + 1.0, 0 * 2.0 + 1.0) */
		0x00003c00, /* 1.0 * 1.0 + 0 * 2.0 + 0 = 1.0 in bits 0-15, bits 16-31 kept */
		0x40003c08, /* integer 8: (0x3c00 + 8, 0x4000 + 0) */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	uint32_t ctx = vgpu_rig_ctx_new();
	cr_assert_eq(run(ctx, program(prog, sizeof(prog) / 4), 32, 0, out), 0);
	expect_words(out, want, sizeof(want) / 4);
}

/* Where the guide and LLVM 19 disagree on a constant's bits the core
 * faults: bf16 (the guide: the FP32 constant's upper 16 bits, replicated
 * in the DOT2 forms; LLVM: bits 0-15 only), v_dot2_f32_f16 (the guide: the
 * FP32 constant), v_dot2acc_f32_f16 (the guide: low half duplicated), a
 * negative integer on a packed 16-bit source (the guide: bits 0-15 only;
 * LLVM: both halves) and an integer on a bf16 operand (the guide: the
 * upper 16 bits of the 32-bit constant; LLVM: its 16-bit pattern). */
Test(vgpu_shader_ops, packed_inline_constants_in_dispute_fault)
{
	static const uint32_t bodies[][3] = {
		{ 0xcc1a4002, 0x1a0206f2, 0xbfb00000 }, /* v_dot2_f32_bf16 v2, 1.0, v3, 0 */
		{ 0xcc134002, 0x1a01e103, 0xbfb00000 }, /* v_dot2_f32_f16 v2, v3, 0.5, 0 */
		{ 0x040e00f2, 0xbfb00000, 0xbfb00000 }, /* v_dot2acc_f32_f16 v7, 1.0, v0 */
		{ 0xd6670004, 0x020200f2, 0xbfb00000 }, /* v_dot2_bf16_bf16 v4, 1.0, v0, 0 */
		{ 0xd6670004, 0x03020100, 0xbfb00000 }, /* v_dot2_bf16_bf16 v4, v0, v0, 64 */
		{ 0xcc0a4005, 0x18018300, 0xbfb00000 }, /* v_pk_add_u16 v5, v0, -1 */
		{ 0xcc434000, 0x1b021108, 0xbfb00000 }, /* v_wmma_bf16_16x16x16_bf16 v[0:7], v[8:15], v[8:15], 64 */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	for (unsigned i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		uint32_t ctx = vgpu_rig_ctx_new();
		cr_expect_eq(run(ctx, program(bodies[i], 3), 32, 0, out), -ECANCELED, "body %u", i);
		cr_expect(vgpu_rig_ctx_flags(ctx) & AMDGPU_CTX_QUERY2_FLAGS_GUILTY, "body %u", i);
	}
}
