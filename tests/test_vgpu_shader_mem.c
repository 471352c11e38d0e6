/*
 * The vgpu shader core's memory instructions, and the scalar ones that
 * came with them (hardware registers, s_movrel, the remaining SOP1/SOP2
 * bit operations), against the values the RDNA3 ISA defines: every DS atomic form with its gfx11 operand order
 * (ds_cmpstore: DATA0 = new value, DATA1 = compare value, the reverse of
 * gfx10's ds_cmpst), 64-bit and float LDS atomics, ds_permute/bpermute/
 * swizzle, ds_append/consume and the addtid forms, and the GLOBAL f32,
 * csub and cmpswap atomics.  Hand-assembled gfx11 programs (llvm-mc-19
 * -triple=amdgcn -mcpu=gfx1100, the text next to each dword); raw ioctls
 * through tests/support/vgpu_rig.
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

TestSuite(vgpu_shader_mem, .init = vgpu_rig_setup, .fini = vgpu_rig_teardown);

static struct rig_buf *program(const uint32_t *words, size_t n)
{
	return vgpu_rig_program(words, n);
}

/* wave64 instead of wave32 for the next run_groups (then back) */
static bool next_wave64;

static int run_groups(uint32_t ctx, const struct rig_buf *code, uint32_t groups, uint32_t threads,
		      uint32_t lds_granules, const struct rig_buf *out)
{
	bool w64 = next_wave64;
	next_wave64 = false;
	return vgpu_rig_dispatch(ctx, code, groups, threads, lds_granules, w64, out);
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

/* ---- DS compare-and-store: gfx11 operand order ---------------------- */

static const uint32_t cmp_prog[] = {
	0x7e060280, /* v_mov_b32_e32 v3, 0 */
	0x7e08028a, /* v_mov_b32_e32 v4, 10 */
	0xd8340000, 0x00000403, /* ds_store_b32 v3, v4 */
	0x7e0a0294, /* v_mov_b32_e32 v5, 20 */
	0x7e0c028a, /* v_mov_b32_e32 v6, 10 */
	0xd8c00000, 0x07060503, /* ds_cmpstore_rtn_b32 v7, v3, v5, v6 */
	0x7e1202ff, 0x00000063, /* v_mov_b32_e32 v9, 0x63 */
	0xd8c00000, 0x08060903, /* ds_cmpstore_rtn_b32 v8, v3, v9, v6 */
	0xd8d80000, 0x0a000003, /* ds_load_b32 v10, v3 */
	0xd8400000, 0x00050903, /* ds_cmpstore_b32 v3, v9, v5 */
	0xd8d80000, 0x0b000003, /* ds_load_b32 v11, v3 */
	0xdc6a0000, 0x00000703, /* global_store_b32 v3, v7, s[0:1] */
	0xdc6a0004, 0x00000803, /* global_store_b32 v3, v8, s[0:1] offset:4 */
	0xdc6a0008, 0x00000a03, /* global_store_b32 v3, v10, s[0:1] offset:8 */
	0xdc6a000c, 0x00000b03, /* global_store_b32 v3, v11, s[0:1] offset:12 */
	0x7e0802f2, /* v_mov_b32_e32 v4, 1.0 */
	0xd8340010, 0x00000403, /* ds_store_b32 v3, v4 offset:16 */
	0x7e0a02f4, /* v_mov_b32_e32 v5, 2.0 */
	0x7e0c02f2, /* v_mov_b32_e32 v6, 1.0 */
	0xd8c40010, 0x07060503, /* ds_cmpstore_rtn_f32 v7, v3, v5, v6 offset:16 */
	0x7e080280, /* v_mov_b32_e32 v4, 0 */
	0xd8340014, 0x00000403, /* ds_store_b32 v3, v4 offset:20 */
	0x7e0c02ff, 0x80000000, /* v_mov_b32_e32 v6, 0x80000000 */
	0xd8c40014, 0x08060503, /* ds_cmpstore_rtn_f32 v8, v3, v5, v6 offset:20 */
	0xd8d80010, 0x0a000003, /* ds_load_b32 v10, v3 offset:16 */
	0xd8d80014, 0x0b000003, /* ds_load_b32 v11, v3 offset:20 */
	0xdc6a0010, 0x00000703, /* global_store_b32 v3, v7, s[0:1] offset:16 */
	0xdc6a0014, 0x00000803, /* global_store_b32 v3, v8, s[0:1] offset:20 */
	0xdc6a0018, 0x00000a03, /* global_store_b32 v3, v10, s[0:1] offset:24 */
	0xdc6a001c, 0x00000b03, /* global_store_b32 v3, v11, s[0:1] offset:28 */
	0x7e080285, /* v_mov_b32_e32 v4, 5 */
	0x7e0a0286, /* v_mov_b32_e32 v5, 6 */
	0xd9340020, 0x00000403, /* ds_store_b64 v3, v[4:5] offset:32 */
	0x7e0c0287, /* v_mov_b32_e32 v6, 7 */
	0x7e0e0288, /* v_mov_b32_e32 v7, 8 */
	0xd9c00020, 0x08040603, /* ds_cmpstore_rtn_b64 v[8:9], v3, v[6:7], v[4:5] offset:32 */
	0xd9d80020, 0x0a000003, /* ds_load_b64 v[10:11], v3 offset:32 */
	0xdc6e0020, 0x00000803, /* global_store_b64 v3, v[8:9], s[0:1] offset:32 */
	0xdc6e0028, 0x00000a03, /* global_store_b64 v3, v[10:11], s[0:1] offset:40 */
	0xbfb00000, /* s_endpgm */
};

Test(vgpu_shader_mem, ds_cmpstore_takes_the_new_value_first)
{
	const uint32_t want[] = {
		10,          /* ds_cmpstore_rtn_b32 (new 20, compare 10) on 10: old */
		20,          /* second one (new 99, compare 10) on 20: no store */
		20,          /* memory after both */
		99,          /* ds_cmpstore_b32 (new 99, compare 20) stored */
		0x3f800000u, /* ds_cmpstore_rtn_f32 (new 2.0, compare 1.0) on 1.0: old */
		0,           /* compare -0.0 against +0.0: equal as floats */
		0x40000000u, /* 2.0 stored by the first ... */
		0x40000000u, /* ... and by the second */
		5, 6,        /* ds_cmpstore_rtn_b64 (new {7,8}, compare {5,6}): old */
		7, 8,        /* memory after it */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *code = program(cmp_prog, sizeof(cmp_prog) / 4);
	cr_assert_eq(run(vgpu_rig_ctx_new(), code, 1, 1, out), 0);
	expect_words(out, want, sizeof(want) / 4);
}

/* ---- the other DS atomics -------------------------------------------- */

static const uint32_t atomic_prog[] = {
	0x7e060280, /* v_mov_b32_e32 v3, 0 */
	0x7e08028a, /* v_mov_b32_e32 v4, 10 */
	0xd8340000, 0x00000403, /* ds_store_b32 v3, v4 */
	0x7e0a0299, /* v_mov_b32_e32 v5, 25 */
	0xd8880000, 0x06000503, /* ds_rsub_rtn_u32 v6, v3, v5 */
	0xd8d80000, 0x07000003, /* ds_load_b32 v7, v3 */
	0xdc6a0000, 0x00000603, /* global_store_b32 v3, v6, s[0:1] */
	0xdc6a0004, 0x00000703, /* global_store_b32 v3, v7, s[0:1] offset:4 */
	0x7e0802ff, 0xff00ff00, /* v_mov_b32_e32 v4, 0xff00ff00 */
	0xd8340008, 0x00000403, /* ds_store_b32 v3, v4 offset:8 */
	0x7e0a02ff, 0x0000ffff, /* v_mov_b32_e32 v5, 0xffff */
	0x7e0c02ff, 0x00001234, /* v_mov_b32_e32 v6, 0x1234 */
	0xd8b00008, 0x07060503, /* ds_mskor_rtn_b32 v7, v3, v5, v6 offset:8 */
	0xd8d80008, 0x08000003, /* ds_load_b32 v8, v3 offset:8 */
	0xdc6a0008, 0x00000703, /* global_store_b32 v3, v7, s[0:1] offset:8 */
	0xdc6a000c, 0x00000803, /* global_store_b32 v3, v8, s[0:1] offset:12 */
	0x7e080287, /* v_mov_b32_e32 v4, 7 */
	0xd8340010, 0x00000403, /* ds_store_b32 v3, v4 offset:16 */
	0x7e0a0285, /* v_mov_b32_e32 v5, 5 */
	0x7e0c02ff, 0x00000064, /* v_mov_b32_e32 v6, 0x64 */
	0xd8d00010, 0x07060503, /* ds_wrap_rtn_b32 v7, v3, v5, v6 offset:16 */
	0xd8d00010, 0x08060503, /* ds_wrap_rtn_b32 v8, v3, v5, v6 offset:16 */
	0xd8d80010, 0x09000003, /* ds_load_b32 v9, v3 offset:16 */
	0xdc6a0010, 0x00000703, /* global_store_b32 v3, v7, s[0:1] offset:16 */
	0xdc6a0014, 0x00000803, /* global_store_b32 v3, v8, s[0:1] offset:20 */
	0xdc6a0018, 0x00000903, /* global_store_b32 v3, v9, s[0:1] offset:24 */
	0x7e0802c1, /* v_mov_b32_e32 v4, -1 */
	0x7e0a0280, /* v_mov_b32_e32 v5, 0 */
	0xd9340020, 0x00000403, /* ds_store_b64 v3, v[4:5] offset:32 */
	0x7e0c0281, /* v_mov_b32_e32 v6, 1 */
	0x7e0e0280, /* v_mov_b32_e32 v7, 0 */
	0xd9800020, 0x08000603, /* ds_add_rtn_u64 v[8:9], v3, v[6:7] offset:32 */
	0xd9d80020, 0x0a000003, /* ds_load_b64 v[10:11], v3 offset:32 */
	0xdc6e0020, 0x00000803, /* global_store_b64 v3, v[8:9], s[0:1] offset:32 */
	0xdc6e0028, 0x00000a03, /* global_store_b64 v3, v[10:11], s[0:1] offset:40 */
	0x7e0a02c1, /* v_mov_b32_e32 v5, -1 */
	0xd9340030, 0x00000403, /* ds_store_b64 v3, v[4:5] offset:48 */
	0x7e0c0285, /* v_mov_b32_e32 v6, 5 */
	0xd9980030, 0x08000603, /* ds_max_rtn_i64 v[8:9], v3, v[6:7] offset:48 */
	0xd9d80030, 0x0a000003, /* ds_load_b64 v[10:11], v3 offset:48 */
	0xdc6e0030, 0x00000803, /* global_store_b64 v3, v[8:9], s[0:1] offset:48 */
	0xdc6e0038, 0x00000a03, /* global_store_b64 v3, v[10:11], s[0:1] offset:56 */
	0x7e0802ff, 0x3fc00000, /* v_mov_b32_e32 v4, 0x3fc00000 */
	0xd8340040, 0x00000403, /* ds_store_b32 v3, v4 offset:64 */
	0x7e0a02ff, 0x40100000, /* v_mov_b32_e32 v5, 0x40100000 */
	0xd9e40040, 0x06000503, /* ds_add_rtn_f32 v6, v3, v5 offset:64 */
	0x7e0a02f3, /* v_mov_b32_e32 v5, -1.0 */
	0xd8480040, 0x00000503, /* ds_min_f32 v3, v5 offset:64 */
	0xd8d80040, 0x07000003, /* ds_load_b32 v7, v3 offset:64 */
	0xdc6a0040, 0x00000603, /* global_store_b32 v3, v6, s[0:1] offset:64 */
	0xdc6a0044, 0x00000703, /* global_store_b32 v3, v7, s[0:1] offset:68 */
	0x7e080280, /* v_mov_b32_e32 v4, 0 */
	0x7e0a02f2, /* v_mov_b32_e32 v5, 1.0 */
	0x7e0a02ff, 0x3ff00000, /* v_mov_b32_e32 v5, 0x3ff00000 */
	0xd9340048, 0x00000403, /* ds_store_b64 v3, v[4:5] offset:72 */
	0x7e0e02f4, /* v_mov_b32_e32 v7, 2.0 */
	0x7e0c0280, /* v_mov_b32_e32 v6, 0 */
	0xd9cc0048, 0x08000603, /* ds_max_rtn_f64 v[8:9], v3, v[6:7] offset:72 */
	0xd9d80048, 0x0a000003, /* ds_load_b64 v[10:11], v3 offset:72 */
	0xdc6e0048, 0x00000803, /* global_store_b64 v3, v[8:9], s[0:1] offset:72 */
	0xdc6e0050, 0x00000a03, /* global_store_b64 v3, v[10:11], s[0:1] offset:80 */
	0x7e0802ff, 0x00000111, /* v_mov_b32_e32 v4, 0x111 */
	0x7e0a02ff, 0x00000222, /* v_mov_b32_e32 v5, 0x222 */
	0xd8381a18, 0x00050403, /* ds_store_2addr_b32 v3, v4, v5 offset0:24 offset1:26 */
	0x7e0c02ff, 0x00000333, /* v_mov_b32_e32 v6, 0x333 */
	0x7e0e02ff, 0x00000444, /* v_mov_b32_e32 v7, 0x444 */
	0xd8b81a18, 0x08070603, /* ds_storexchg_2addr_rtn_b32 v[8:9], v3, v6, v7 offset0:24 offset1:26 */
	0xd8dc1a18, 0x0a000003, /* ds_load_2addr_b32 v[10:11], v3 offset0:24 offset1:26 */
	0xdc6e0058, 0x00000803, /* global_store_b64 v3, v[8:9], s[0:1] offset:88 */
	0xdc6e0060, 0x00000a03, /* global_store_b64 v3, v[10:11], s[0:1] offset:96 */
	0x7e080284, /* v_mov_b32_e32 v4, 4 */
	0xd8340080, 0x00000403, /* ds_store_b32 v3, v4 offset:128 */
	0xd88c0080, 0x05000403, /* ds_inc_rtn_u32 v5, v3, v4 offset:128 */
	0xd8d80080, 0x06000003, /* ds_load_b32 v6, v3 offset:128 */
	0xd8900080, 0x07000403, /* ds_dec_rtn_u32 v7, v3, v4 offset:128 */
	0xd8d80080, 0x08000003, /* ds_load_b32 v8, v3 offset:128 */
	0xdc6a0068, 0x00000503, /* global_store_b32 v3, v5, s[0:1] offset:104 */
	0xdc6a006c, 0x00000603, /* global_store_b32 v3, v6, s[0:1] offset:108 */
	0xdc6a0070, 0x00000703, /* global_store_b32 v3, v7, s[0:1] offset:112 */
	0xdc6a0074, 0x00000803, /* global_store_b32 v3, v8, s[0:1] offset:116 */
	0xbfb00000, /* s_endpgm */
};

Test(vgpu_shader_mem, ds_atomics_compute_what_the_isa_defines)
{
	const uint32_t want[] = {
		10, 15,                  /* ds_rsub_rtn_u32 25 on 10: old, 25 - 10 */
		0xff00ff00u, 0xff001234u, /* ds_mskor_rtn_b32 mask 0xffff, or 0x1234 */
		7, 2, 102,               /* ds_wrap_rtn_b32 5/100: 7 -> 2 -> 102 */
		0,
		0xffffffffu, 0, 0, 1,    /* ds_add_rtn_u64 1: carries into the high dword */
		0xffffffffu, 0xffffffffu, 5, 0, /* ds_max_rtn_i64 5 on -1 */
		0x3fc00000u,             /* ds_add_rtn_f32 2.25 on 1.5: old ... */
		0xbf800000u,             /* ... then ds_min_f32 -1.0 on 3.75 */
		0, 0x3ff00000u, 0, 0x40000000u, /* ds_max_rtn_f64 2.0 on 1.0 */
		0x111, 0x222, 0x333, 0x444, /* ds_storexchg_2addr_rtn_b32: old, new */
		4, 0, 0, 4,              /* ds_inc_rtn_u32 4 on 4 wraps to 0; ds_dec_rtn 4 on 0 -> 4 */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *code = program(atomic_prog, sizeof(atomic_prog) / 4);
	cr_assert_eq(run(vgpu_rig_ctx_new(), code, 1, 1, out), 0);
	expect_words(out, want, sizeof(want) / 4);
}

/* ---- lane exchange and M0-based DS ----------------------------------- */

static const uint32_t lanes_prog[] = {
	0x30040082, /* v_lshlrev_b32_e32 v2, 2, v0 */
	0x4a0200ff, 0x00000100, /* v_add_nc_u32_e32 v1, 0x100, v0 */
	0x4a080484, /* v_add_nc_u32_e32 v4, 4, v2 */
	0xdacc0000, 0x05000104, /* ds_bpermute_b32 v5, v4, v1 */
	0xdc6a0000, 0x00000502, /* global_store_b32 v2, v5, s[0:1] */
	0x4c0804ff, 0x0000007c, /* v_sub_nc_u32_e32 v4, 0x7c, v2 */
	0xdac80000, 0x05000104, /* ds_permute_b32 v5, v4, v1 */
	0xdc6a0080, 0x00000502, /* global_store_b32 v2, v5, s[0:1] offset:128 */
	0xd8340400, 0x00000002, /* ds_store_b32 v2, v0 offset:1024 */
	0xbefd00ff, 0x00000400, /* s_mov_b32 m0, 0x400 */
	0xd8f80004, 0x05000000, /* ds_append v5 offset:4 */
	0xd8f40008, 0x06000000, /* ds_consume v6 offset:8 */
	0xdc6a0200, 0x00000502, /* global_store_b32 v2, v5, s[0:1] offset:512 */
	0xdc6a0280, 0x00000602, /* global_store_b32 v2, v6, s[0:1] offset:640 */
	0x160e0083, /* v_mul_u32_u24_e32 v7, 3, v0 */
	0xbefd00ff, 0x00000800, /* s_mov_b32 m0, 0x800 */
	0xdac00040, 0x00000700, /* ds_store_addtid_b32 v7 offset:64 */
	0xd8d80840, 0x08000002, /* ds_load_b32 v8, v2 offset:2112 */
	0xdac40040, 0x09000000, /* ds_load_addtid_b32 v9 offset:64 */
	0xdc6a0300, 0x00000802, /* global_store_b32 v2, v8, s[0:1] offset:768 */
	0xdc6a0380, 0x00000902, /* global_store_b32 v2, v9, s[0:1] offset:896 */
	0xbfb00000, /* s_endpgm */
};

Test(vgpu_shader_mem, ds_permute_bpermute_append_consume_addtid)
{
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *code = program(lanes_prog, sizeof(lanes_prog) / 4);
	cr_assert_eq(run(vgpu_rig_ctx_new(), code, 32, 5, out), 0);
	const uint32_t *got = out->cpu;
	for (unsigned i = 0; i < 32; i++) {
		cr_expect_eq(got[i], 0x100 + ((i + 1) & 31), "bpermute lane %u: 0x%x", i, got[i]);
		cr_expect_eq(got[32 + i], 0x100 + 31 - i, "permute lane %u: 0x%x", i, got[32 + i]);
		/* the counter at M0 + 4 held lane 1's value, 1; 32 lanes add 32 */
		cr_expect_eq(got[128 + i], 1, "ds_append lane %u: %u", i, got[128 + i]);
		cr_expect_eq(got[160 + i], 2, "ds_consume lane %u: %u", i, got[160 + i]);
		cr_expect_eq(got[192 + i], 3 * i, "ds_store_addtid lane %u: %u", i, got[192 + i]);
		cr_expect_eq(got[224 + i], 3 * i, "ds_load_addtid lane %u: %u", i, got[224 + i]);
	}
}

static const uint32_t swizzle_prog[] = {
	0x30040082, /* v_lshlrev_b32_e32 v2, 2, v0 */
	0x4a0200ff, 0x00000100, /* v_add_nc_u32_e32 v1, 0x100, v0 */
	0xd8d4801b, 0x05000001, /* ds_swizzle_b32 v5, v1 offset:swizzle(QUAD_PERM,3,2,1,0) */
	0xdc6a0000, 0x00000502, /* global_store_b32 v2, v5, s[0:1] */
	0xd8d4041f, 0x05000001, /* ds_swizzle_b32 v5, v1 offset:swizzle(SWAP,1) */
	0xdc6a0080, 0x00000502, /* global_store_b32 v2, v5, s[0:1] offset:128 */
	0xd8d40078, 0x05000001, /* ds_swizzle_b32 v5, v1 offset:swizzle(BROADCAST,8,3) */
	0xdc6a0100, 0x00000502, /* global_store_b32 v2, v5, s[0:1] offset:256 */
	0xd8d47c1f, 0x05000001, /* ds_swizzle_b32 v5, v1 offset:swizzle(REVERSE,32) */
	0xdc6a0180, 0x00000502, /* global_store_b32 v2, v5, s[0:1] offset:384 */
	0xd8500000, 0x00000000, /* ds_nop */
	0xbfb00000, /* s_endpgm */
};

Test(vgpu_shader_mem, ds_swizzle_modes_and_ds_nop)
{
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *code = program(swizzle_prog, sizeof(swizzle_prog) / 4);
	cr_assert_eq(run(vgpu_rig_ctx_new(), code, 32, 1, out), 0);
	const uint32_t *got = out->cpu;
	for (unsigned i = 0; i < 32; i++) {
		cr_expect_eq(got[i], 0x100 + ((i & ~3u) | (3 - (i & 3))), "quad_perm lane %u", i);
		cr_expect_eq(got[32 + i], 0x100 + (i ^ 1), "swap,1 lane %u", i);
		cr_expect_eq(got[64 + i], 0x100 + ((i & ~7u) | 3), "broadcast,8,3 lane %u", i);
		cr_expect_eq(got[96 + i], 0x100 + (31 - i), "reverse,32 lane %u", i);
	}
}

/* ---- GLOBAL float, csub and cmpswap atomics -------------------------- */

static const uint32_t global_prog[] = {
	0x7e060280, /* v_mov_b32_e32 v3, 0 */
	0x7e080284, /* v_mov_b32_e32 v4, 4 */
	0x7e0c02f4, /* v_mov_b32_e32 v6, 2.0 */
	0x7e0e02f1, /* v_mov_b32_e32 v7, -0.5 */
	0xdcde4000, 0x05000403, /* global_atomic_csub_u32 v5, v3, v4, s[0:1] glc */
	0xdd5a0004, 0x00000603, /* global_atomic_add_f32 v3, v6, s[0:1] offset:4 */
	0xdd460008, 0x00000703, /* global_atomic_min_f32 v3, v7, s[0:1] offset:8 */
	0xdd4a000c, 0x00000703, /* global_atomic_max_f32 v3, v7, s[0:1] offset:12 */
	0x7e0e02f2, /* v_mov_b32_e32 v7, 1.0 */
	0xdd424010, 0x08000603, /* global_atomic_cmpswap_f32 v8, v3, v[6:7], s[0:1] offset:16 glc */
	0x7e1402aa, /* v_mov_b32_e32 v10, 42 */
	0x7e160287, /* v_mov_b32_e32 v11, 7 */
	0xdcd24014, 0x09000a03, /* global_atomic_cmpswap_b32 v9, v3, v[10:11], s[0:1] offset:20 glc */
	0xdcde4018, 0x0c000403, /* global_atomic_csub_u32 v12, v3, v4, s[0:1] offset:24 glc */
	0xdc6a0020, 0x00000503, /* global_store_b32 v3, v5, s[0:1] offset:32 */
	0xdc6a0024, 0x00000803, /* global_store_b32 v3, v8, s[0:1] offset:36 */
	0xdc6a0028, 0x00000903, /* global_store_b32 v3, v9, s[0:1] offset:40 */
	0xdc6a002c, 0x00000c03, /* global_store_b32 v3, v12, s[0:1] offset:44 */
	0xbfb00000, /* s_endpgm */
};

Test(vgpu_shader_mem, global_float_csub_and_cmpswap_atomics)
{
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	uint32_t *m = out->cpu;
	m[0] = 10;
	m[1] = f32_bits(1.5f);
	m[2] = f32_bits(3.0f);
	m[3] = f32_bits(3.0f);
	m[4] = f32_bits(1.0f);
	m[5] = 7;
	m[6] = 3;
	struct rig_buf *code = program(global_prog, sizeof(global_prog) / 4);
	cr_assert_eq(run(vgpu_rig_ctx_new(), code, 1, 1, out), 0);
	const uint32_t want[] = {
		6,                  /* csub 4 from 10 */
		f32_bits(3.5f),     /* add_f32 2.0 */
		f32_bits(-0.5f),    /* min_f32 -0.5 */
		f32_bits(3.0f),     /* max_f32 -0.5 */
		f32_bits(2.0f),     /* cmpswap_f32 {new 2.0, compare 1.0} */
		42,                 /* cmpswap_b32 {new 42, compare 7} */
		3,                  /* csub 4 from 3: clamped, unchanged */
		0,
		10, f32_bits(1.0f), 7, 3, /* the returned old values */
	};
	expect_words(out, want, sizeof(want) / 4);
}

/* ---- scalar: bit ops, s_movrel, hardware registers, s_call ----------- */

static const uint32_t scalar_prog[] = {
	0x7e060280, /* v_mov_b32_e32 v3, 0 */
	0xbe840085, /* s_mov_b32 s4, 5 */
	0xbe85008c, /* s_mov_b32 s5, 12 */
	0x830a0504, /* s_absdiff_i32 s10, s4, s5 */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a0000, 0x00000103, /* global_store_b32 v3, v1, s[0:1] */
	0xbe8400ff, 0x12345678, /* s_mov_b32 s4, 0x12345678 */
	0xbe8500ff, 0x9abcdef0, /* s_mov_b32 s5, 0x9abcdef0 */
	0x9a8a0504, /* s_pack_hl_b32_b16 s10, s4, s5 */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a0004, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:4 */
	0xbe840080, /* s_mov_b32 s4, 0 */
	0xbe8500ff, 0x80000000, /* s_mov_b32 s5, 0x80000000 */
	0xbe8600ff, 0x0004003c, /* s_mov_b32 s6, 0x4003c */
	0x948a0604, /* s_bfe_i64 s[10:11], s[4:5], s6 */
	0x7e02020b, /* v_mov_b32_e32 v1, s11 */
	0xdc6a0008, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:8 */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a000c, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:12 */
	0x958a84a4, /* s_bfm_b64 s[10:11], 36, 4 */
	0x7e02020b, /* v_mov_b32_e32 v1, s11 */
	0xdc6a0010, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:16 */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a0014, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:20 */
	0xbe840081, /* s_mov_b32 s4, 1 */
	0xbe850080, /* s_mov_b32 s5, 0 */
	0xbe8a0504, /* s_brev_b64 s[10:11], s[4:5] */
	0x7e02020b, /* v_mov_b32_e32 v1, s11 */
	0xdc6a0018, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:24 */
	0xbe8a0aff, 0x00010000, /* s_clz_i32_u32 s10, 0x10000 */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a001c, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:28 */
	0xbe8a0a80, /* s_clz_i32_u32 s10, 0 */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a0020, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:32 */
	0xbe840080, /* s_mov_b32 s4, 0 */
	0xbe850081, /* s_mov_b32 s5, 1 */
	0xbe8a0b04, /* s_clz_i32_u64 s10, s[4:5] */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a0024, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:36 */
	0xbe8a0cff, 0xfff00000, /* s_cls_i32 s10, 0xfff00000 */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a0028, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:40 */
	0xbe8a0cc1, /* s_cls_i32 s10, -1 */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a002c, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:44 */
	0xbe8a0080, /* s_mov_b32 s10, 0 */
	0xbe8a1287, /* s_bitset1_b32 s10, 7 */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a0030, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:48 */
	0xbe8a00c1, /* s_mov_b32 s10, -1 */
	0xbe8a109f, /* s_bitset0_b32 s10, 31 */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a0034, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:52 */
	0xbe8a14ff, 0x80000005, /* s_bitreplicate_b64_b32 s[10:11], 0x80000005 */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a0038, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:56 */
	0x7e02020b, /* v_mov_b32_e32 v1, s11 */
	0xdc6a003c, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:60 */
	0xbe8a15c7, /* s_abs_i32 s10, -7 */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a0040, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:64 */
	0xbe8a16ff, 0x000000ff, /* s_bcnt0_i32_b32 s10, 0xff */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a0044, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:68 */
	0xbe8a1aff, 0x0000f010, /* s_quadmask_b32 s10, 0xf010 */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a0048, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:72 */
	0xbe8a1cff, 0x00001020, /* s_wqm_b32 s10, 0x1020 */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a004c, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:76 */
	0xbe9400ff, 0x00001111, /* s_mov_b32 s20, 0x1111 */
	0xbe9500ff, 0x00002222, /* s_mov_b32 s21, 0x2222 */
	0xbefd0081, /* s_mov_b32 m0, 1 */
	0xbe8a4014, /* s_movrels_b32 s10, s20 */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a0050, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:80 */
	0xbefd0082, /* s_mov_b32 m0, 2 */
	0xbe8842ff, 0x00003333, /* s_movreld_b32 s8, 0x3333 */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a0054, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:84 */
	0xbefd00ff, 0x00020001, /* s_mov_b32 m0, 0x20001 */
	0xbe884414, /* s_movrelsd_2_b32 s8, s20 */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a0058, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:88 */
	0xb88af801, /* s_getreg_b32 s10, hwreg(HW_REG_MODE) */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a005c, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:92 */
	0xb9800201, 0x00000000, /* s_setreg_imm32_b32 hwreg(HW_REG_MODE, 8, 1), 0 */
	0xb88af801, /* s_getreg_b32 s10, hwreg(HW_REG_MODE) */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a0060, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:96 */
	0xbe840083, /* s_mov_b32 s4, 3 */
	0xb9040a01, /* s_setreg_b32 hwreg(HW_REG_MODE, 8, 2), s4 */
	0xb88a0a01, /* s_getreg_b32 s10, hwreg(HW_REG_MODE, 8, 2) */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a0064, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:100 */
	0xbf92000f, /* s_denorm_mode 15 */
	0xbf910000, /* s_round_mode 0x0 */
	0xb88a3801, /* s_getreg_b32 s10, hwreg(HW_REG_MODE, 0, 8) */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a0068, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:104 */
	0xbf068080, /* s_cmp_eq_u32 0, 0 */
	0xb88a0002, /* s_getreg_b32 s10, hwreg(HW_REG_STATUS, 0, 1) */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a006c, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:108 */
	0xb88a0402, /* s_getreg_b32 s10, hwreg(HW_REG_STATUS, 16, 1) */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a0070, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:112 */
	0xb9801803, 0x00000005, /* s_setreg_imm32_b32 hwreg(HW_REG_TRAPSTS, 0, 4), 5 */
	0xb88af803, /* s_getreg_b32 s10, hwreg(HW_REG_TRAPSTS) */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a0074, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:116 */
	0xb88a2017, /* s_getreg_b32 s10, hwreg(HW_REG_HW_ID1, 0, 5) */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a0078, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:120 */
	0xbe8a4c85, /* s_sendmsg_rtn_b32 s10, sendmsg(MSG_RTN_GET_TBA) */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a007c, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:124 */
	0xbe8a0081, /* s_mov_b32 s10, 1 */
	0xb0800006, /* s_version 0x6 */
	0xf4840000, 0x00000000, /* s_dcache_inv */
	0xf4800000, 0x00000000, /* s_gl1_inv */
	0xf48801c0, 0xf8000000, /* s_atc_probe 7, s[0:1], 0x0 */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a0080, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:128 */
	0xbefe0083, /* s_mov_b32 exec_lo, 3 */
	0xbe840081, /* s_mov_b32 s4, 1 */
	0xbe8a3404, /* s_and_not0_wrexec_b32 s10, s4 */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a0084, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:132 */
	0xbe8a007e, /* s_mov_b32 s10, exec_lo */
	0xbefe0081, /* s_mov_b32 exec_lo, 1 */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a0088, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:136 */
	0xbe8c0080, /* s_mov_b32 s12, 0 */
	0xbea84700, /* s_getpc_b64 s[40:41] */
	0xba1e0002, /* s_call_b64 s[30:31], 2 */
	0xbe8c00ff, 0x00000bad, /* s_mov_b32 s12, 0xbad */
	0x808a281e, /* s_sub_u32 s10, s30, s40 */
	0x7e02020a, /* v_mov_b32_e32 v1, s10 */
	0xdc6a008c, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:140 */
	0x7e02020c, /* v_mov_b32_e32 v1, s12 */
	0xdc6a0090, 0x00000103, /* global_store_b32 v3, v1, s[0:1] offset:144 */
	0xbfb00000, /* s_endpgm */
};

Test(vgpu_shader_mem, scalar_ops_and_hardware_registers)
{
	const uint32_t want[] = {
		7, /* s_absdiff_i32 |5 - 12| */
		0xdef01234u, /* s_pack_hl: S0 high half low, S1 low half high */
		0xffffffffu, /* s_bfe_i64 offset 60 width 4: 0b1000 sign-extended */
		0xfffffff8u, /* ... low dword */
		0xffu, /* s_bfm_b64: 36 ones from bit 4, high dword */
		0xfffffff0u, /* ... low dword */
		0x80000000u, /* s_brev_b64 1 */
		15, /* s_clz_i32_u32 */
		0xffffffffu, /* s_clz_i32_u32 of 0: -1 */
		31, /* s_clz_i32_u64 */
		12, /* s_cls_i32: first bit unlike the sign bit, from the MSB */
		0xffffffffu, /* s_cls_i32 of -1: -1 */
		0x80u, /* s_bitset1_b32 */
		0x7fffffffu, /* s_bitset0_b32 */
		0x33u, /* s_bitreplicate_b64_b32, low dword */
		0xc0000000u, /* ... high dword */
		7, /* s_abs_i32 */
		24, /* s_bcnt0_i32_b32 */
		0xau, /* s_quadmask_b32 */
		0x0000f0f0u, /* s_wqm_b32 */
		0x2222u, /* s_movrels_b32: s[20 + M0] */
		0x3333u, /* s_movreld_b32: s[8 + M0] */
		0x2222u, /* s_movrelsd_2_b32: s[8 + 2] = s[20 + 1] */
		0xf0u, /* MODE from RSRC1: FLOAT_MODE 0xf0 */
		0xf0u, /* s_setreg_imm32_b32 DX10_CLAMP = 0 */
		3, /* s_setreg_b32 / s_getreg_b32 of DX10_CLAMP and IEEE */
		0xf0u, /* s_denorm_mode 15 / s_round_mode 0 */
		1, /* STATUS.SCC */
		1, /* STATUS.VALID */
		5, /* TRAPSTS written and read back */
		0, /* HW_ID1.WAVE_ID of the only wave */
		0, /* MSG_RTN_GET_TBA: no trap handler */
		1, /* no-ops */
		2, /* s_and_not0_wrexec_b32: ~1 & 3 */
		2, /* ... is EXEC */
		4, /* s_call_b64: return address after it */
		0, /* ... and the branch skipped one instruction */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *code = program(scalar_prog, sizeof(scalar_prog) / 4);
	cr_assert_eq(run(vgpu_rig_ctx_new(), code, 1, 1, out), 0);
	expect_words(out, want, sizeof(want) / 4);
}

/* A MODE the VALU does not compute in (round toward zero) and a hardware
 * register the core does not model fault instead of going on silently. */
Test(vgpu_shader_mem, mode_changes_run_and_unmodelled_hwreg_faults)
{
	/* Every FP_ROUND value is modelled: s_round_mode runs; a hardware
	 * register the core does not model (GPR_ALLOC) is a fault. */
	static const uint32_t round_prog[] = {
		0xbf910003, /* s_round_mode 0x3 */
		0xbfb00000, /* s_endpgm */
	};
	static const uint32_t gpr_alloc_prog[] = {
		0xb880f805, /* s_getreg_b32 s0, hwreg(HW_REG_GPR_ALLOC) */
		0xbfb00000, /* s_endpgm */
	};
	const uint32_t *progs[] = { round_prog, gpr_alloc_prog };
	for (unsigned i = 0; i < 2; i++) {
		struct rig_buf *out = vgpu_rig_buf_new(4096);
		struct rig_buf *code = program(progs[i], 2);
		uint32_t ctx = vgpu_rig_ctx_new();
		if (i == 0) {
			cr_assert_eq(run(ctx, code, 1, 1, out), 0, "s_round_mode");
			cr_assert_eq(vgpu_rig_ctx_flags(ctx) & AMDGPU_CTX_QUERY2_FLAGS_GUILTY, 0);
		} else {
			cr_assert_eq(run(ctx, code, 1, 1, out), -ECANCELED, "GPR_ALLOC");
			cr_assert(vgpu_rig_ctx_flags(ctx) & AMDGPU_CTX_QUERY2_FLAGS_GUILTY);
		}
	}
}

/* ---- MUBUF / MTBUF: formats, d16, atomics, idxen --------------------- */

/* A V# in s[4:7] over out + 0x400 (raw, 256 bytes; the FORMAT in s7
 * changes between accesses) */
static const uint32_t buffer_prog[] = {
	0x7e140280, /* v_mov_b32_e32 v10, 0 */
	0x8004ff00, 0x00000400, /* s_add_u32 s4, s0, 0x400 */
	0x82058001, /* s_addc_u32 s5, s1, 0 */
	0xbe8600ff, 0x00000100, /* s_mov_b32 s6, 0x100 */
	0xbe8700ff, 0x3002afac, /* s_mov_b32 s7, 0x3002afac */
	0xe00c0000, 0x80010100, /* buffer_load_format_xyzw v[1:4], off, s[4:7], 0 */
	0xdc760000, 0x0000010a, /* global_store_b128 v10, v[1:4], s[0:1] */
	0xbe8700ff, 0x30018fac, /* s_mov_b32 s7, 0x30018fac */
	0x7e0202f0, /* v_mov_b32_e32 v1, 0.5 */
	0x7e0402f3, /* v_mov_b32_e32 v2, -1.0 */
	0xe0140010, 0x80010100, /* buffer_store_format_xy v[1:2], off, s[4:7], 0 offset:16 */
	0xdc520410, 0x0500000a, /* global_load_b32 v5, v10, s[0:1] offset:1040 */
	0xdc6a0010, 0x0000050a, /* global_store_b32 v10, v5, s[0:1] offset:16 */
	0xe8680014, 0x80010600, /* tbuffer_load_format_x v6, off, s[4:7], 0 format:[BUF_FMT_16_FLOAT] offset:20 */
	0xdc6a0014, 0x0000060a, /* global_store_b32 v10, v6, s[0:1] offset:20 */
	0x7e0e02ff, 0x00001234, /* v_mov_b32_e32 v7, 0x1234 */
	0xe82a0018, 0x80010700, /* tbuffer_store_format_x v7, off, s[4:7], 0 format:[BUF_FMT_8_UINT] offset:24 */
	0xdc520418, 0x0800000a, /* global_load_b32 v8, v10, s[0:1] offset:1048 */
	0xdc6a0018, 0x0000080a, /* global_store_b32 v10, v8, s[0:1] offset:24 */
	0xbe8700ff, 0x3001dfac, /* s_mov_b32 s7, 0x3001dfac */
	0x7e120280, /* v_mov_b32_e32 v9, 0 */
	0xe024001c, 0x80010900, /* buffer_load_d16_format_xy v9, off, s[4:7], 0 offset:28 */
	0xdc6a001c, 0x0000090a, /* global_store_b32 v10, v9, s[0:1] offset:28 */
	0xe08c0020, 0x80010900, /* buffer_load_d16_hi_b16 v9, off, s[4:7], 0 offset:32 */
	0xdc6a0020, 0x0000090a, /* global_store_b32 v10, v9, s[0:1] offset:32 */
	0x7e180285, /* v_mov_b32_e32 v12, 5 */
	0xe0d44024, 0x80010c00, /* buffer_atomic_add_u32 v12, off, s[4:7], 0 offset:36 glc */
	0xdc6a0024, 0x00000c0a, /* global_store_b32 v10, v12, s[0:1] offset:36 */
	0x7e1a02ff, 0x00000063, /* v_mov_b32_e32 v13, 0x63 */
	0x7e1c028f, /* v_mov_b32_e32 v14, 15 */
	0xe0d04024, 0x80010d00, /* buffer_atomic_cmpswap_b32 v[13:14], off, s[4:7], 0 offset:36 glc */
	0xdc6a0028, 0x00000d0a, /* global_store_b32 v10, v13, s[0:1] offset:40 */
	0xdc520424, 0x0f00000a, /* global_load_b32 v15, v10, s[0:1] offset:1060 */
	0xdc6a002c, 0x00000f0a, /* global_store_b32 v10, v15, s[0:1] offset:44 */
	0xbe8700ff, 0x30016fac, /* s_mov_b32 s7, 0x30016fac */
	0x7e160287, /* v_mov_b32_e32 v11, 7 */
	0xe0000100, 0x80010b00, /* buffer_load_format_x v11, off, s[4:7], 0 offset:256 */
	0xdc6a0030, 0x00000b0a, /* global_store_b32 v10, v11, s[0:1] offset:48 */
	0xbe8700ff, 0x3002a2b5, /* s_mov_b32 s7, 0x3002a2b5 */
	0xe00c0000, 0x80010100, /* buffer_load_format_xyzw v[1:4], off, s[4:7], 0 */
	0xdc760040, 0x0000010a, /* global_store_b128 v10, v[1:4], s[0:1] offset:64 */
	0xbfb00000, /* s_endpgm */
};

Test(vgpu_shader_mem, buffer_formats_d16_and_atomics)
{
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	uint32_t *m = out->cpu, *b = m + 256;
	b[0] = 0x408000ffu;          /* 8_8_8_8: x 0xff, y 0, z 0x80, w 0x40 */
	b[5] = 0x3e00;               /* f16 1.5 */
	b[6] = 0xaaaaaaaau;
	b[7] = 0xc0003c00u;          /* f16 {1.0, -2.0} */
	b[8] = 0x1111;
	b[9] = 10;
	struct rig_buf *code = program(buffer_prog, sizeof(buffer_prog) / 4);
	cr_assert_eq(run(vgpu_rig_ctx_new(), code, 1, 1, out), 0);
	const uint32_t want[] = {
		f32_bits(1.0f), 0, f32_bits(128.0f / 255.0f), f32_bits(64.0f / 255.0f),
		0x80014000u,        /* 16_16_SNORM store of {0.5, -1.0}: 16384, -32767 */
		f32_bits(1.5f),     /* tbuffer 16_FLOAT load */
		0xaaaaaa34u,        /* tbuffer 8_UINT store writes one byte */
		0xc0003c00u,        /* d16_format_xy of 16_16_FLOAT */
		0x11113c00u,        /* buffer_load_d16_hi_b16 keeps the low half */
		10, 15, 99,         /* atomic add returns 10; cmpswap {99, 15} returns 15, stores 99 */
		0,                  /* out of range (raw, NUM_RECORDS 256): 0 */
		0, 0, 0,
		0, f32_bits(128.0f / 255.0f), 0, f32_bits(1.0f), /* DST_SEL y, z, reserved, one */
	};
	expect_words(out, want, sizeof(want) / 4);
}

/* buffer_load_format with idxen on a structured buffer (stride 8, 4
 * records, 32_32_FLOAT): lane i reads record i; lane 4 is out of range */
static const uint32_t buffer_idxen_prog[] = {
	0x30140083, /* v_lshlrev_b32_e32 v10, 3, v0 */
	0x8004ff00, 0x00000400, /* s_add_u32 s4, s0, 0x400 */
	0x82058001, /* s_addc_u32 s5, s1, 0 */
	0x8c05ff05, 0x00080000, /* s_or_b32 s5, s5, 0x80000 */
	0xbe860084, /* s_mov_b32 s6, 4 */
	0xbe8700ff, 0x00032fac, /* s_mov_b32 s7, 0x32fac */
	0xe0040000, 0x80810200, /* buffer_load_format_xy v[2:3], v0, s[4:7], 0 idxen */
	0xdc6e0000, 0x0000020a, /* global_store_b64 v10, v[2:3], s[0:1] */
	0xbfb00000, /* s_endpgm */
};

Test(vgpu_shader_mem, buffer_load_format_with_idxen)
{
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	uint32_t *b = (uint32_t *)out->cpu + 256;
	for (unsigned i = 0; i < 8; i++)
		b[i] = f32_bits((float)(i + 1));
	struct rig_buf *code = program(buffer_idxen_prog, sizeof(buffer_idxen_prog) / 4);
	cr_assert_eq(run(vgpu_rig_ctx_new(), code, 5, 1, out), 0);
	const uint32_t *got = out->cpu;
	for (unsigned i = 0; i < 5; i++) {
		cr_expect_eq(got[2 * i], i < 4 ? f32_bits((float)(2 * i + 1)) : 0, "lane %u x", i);
		cr_expect_eq(got[2 * i + 1], i < 4 ? f32_bits((float)(2 * i + 2)) : 0, "lane %u y", i);
	}
}

/* global_store/load_addtid_b32: lane i at SADDR + offset + 4 * i */
Test(vgpu_shader_mem, global_addtid)
{
	static const uint32_t prog[] = {
		0x30040082, /* v_lshlrev_b32_e32 v2, 2, v0 */
		0x16020085, /* v_mul_u32_u24_e32 v1, 5, v0 */
		0xdca60080, 0x00000100, /* global_store_addtid_b32 v1, s[0:1] offset:128 */
		0xdca20080, 0x03000000, /* global_load_addtid_b32 v3, s[0:1] offset:128 */
		0x4a060681, /* v_add_nc_u32_e32 v3, 1, v3 */
		0xdc6a0000, 0x00000302, /* global_store_b32 v2, v3, s[0:1] */
		0xbfb00000, /* s_endpgm */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *code = program(prog, sizeof(prog) / 4);
	cr_assert_eq(run(vgpu_rig_ctx_new(), code, 32, 1, out), 0);
	const uint32_t *got = out->cpu;
	for (unsigned i = 0; i < 32; i++) {
		cr_expect_eq(got[32 + i], 5 * i, "store lane %u", i);
		cr_expect_eq(got[i], 5 * i + 1, "load lane %u", i);
	}
}

/* wave64: ds_bpermute reads within the lane's half (lane index modulo 32):
 * lane 31 asking for lane 32 gets lane 0, lane 63 asking for 64 gets 32 */
Test(vgpu_shader_mem, ds_bpermute_wave64_stays_in_its_half)
{
	static const uint32_t prog[] = {
		0x30040082, /* v_lshlrev_b32_e32 v2, 2, v0 */
		0x4a0200ff, 0x00000100, /* v_add_nc_u32_e32 v1, 0x100, v0 */
		0x4a080484, /* v_add_nc_u32_e32 v4, 4, v2 */
		0xdacc0000, 0x05000104, /* ds_bpermute_b32 v5, v4, v1 */
		0xdc6a0000, 0x00000502, /* global_store_b32 v2, v5, s[0:1] */
		0xbfb00000, /* s_endpgm */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *code = program(prog, sizeof(prog) / 4);
	next_wave64 = true;
	cr_assert_eq(run(vgpu_rig_ctx_new(), code, 64, 1, out), 0);
	const uint32_t *got = out->cpu;
	for (unsigned i = 0; i < 64; i++)
		cr_expect_eq(got[i], 0x100 + ((i & 32) | ((i + 1) & 31)), "lane %u: 0x%x", i, got[i]);
}

/* ---- MIMG on a linear 2D storage image ------------------------------ */

/* A T# in s[8:15]: out + 0x400, 8x4 texels of 32_UINT, linear; DEPTH 7
 * (a custom pitch of 8 texels) is below the width padded to 256 bytes, so
 * rows are 64 texels apart.  Lane i works on texel (i % 8, i / 8); then
 * x = 8 is outside. */
static const uint32_t image_prog[] = {
	0x30040082, /* v_lshlrev_b32_e32 v2, 2, v0 */
	0x36060087, /* v_and_b32_e32 v3, 7, v0 */
	0x32080083, /* v_lshrrev_b32_e32 v4, 3, v0 */
	0x8008ff00, 0x00000400, /* s_add_u32 s8, s0, 0x400 */
	0x82098001, /* s_addc_u32 s9, s1, 0 */
	0x85888808, /* s_lshr_b64 s[8:9], s[8:9], 8 */
	0x8c09ff09, 0xc1400000, /* s_or_b32 s9, s9, 0xc1400000 */
	0xbe8a00ff, 0x0000c001, /* s_mov_b32 s10, 0xc001 */
	0xbe8b00ff, 0x90000fac, /* s_mov_b32 s11, 0x90000fac */
	0xbe8c0087, /* s_mov_b32 s12, 7 */
	0xbe8d0080, /* s_mov_b32 s13, 0 */
	0xbe8e0080, /* s_mov_b32 s14, 0 */
	0xbe8f0080, /* s_mov_b32 s15, 0 */
	0xf0000184, 0x00020503, /* image_load v5, v[3:4], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm */
	0xdc6a0000, 0x00000502, /* global_store_b32 v2, v5, s[0:1] */
	0x4a0c0a81, /* v_add_nc_u32_e32 v6, 1, v5 */
	0xf0180184, 0x00020603, /* image_store v6, v[3:4], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm */
	0x7e0e028a, /* v_mov_b32_e32 v7, 10 */
	0xf0304184, 0x00020703, /* image_atomic_add v7, v[3:4], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm glc */
	0xdc6a0080, 0x00000702, /* global_store_b32 v2, v7, s[0:1] offset:128 */
	0x7e060288, /* v_mov_b32_e32 v3, 8 */
	0x7e100285, /* v_mov_b32_e32 v8, 5 */
	0xf0000184, 0x00020803, /* image_load v8, v[3:4], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm */
	0xdc6a0100, 0x00000802, /* global_store_b32 v2, v8, s[0:1] offset:256 */
	0xbfb00000, /* s_endpgm */
};

Test(vgpu_shader_mem, image_load_store_atomic_on_a_linear_image)
{
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	uint32_t *m = out->cpu;
	for (unsigned i = 0; i < 32; i++)
		m[256 + i / 8 * 64 + i % 8] = 1000 + i;
	struct rig_buf *code = program(image_prog, sizeof(image_prog) / 4);
	cr_assert_eq(run(vgpu_rig_ctx_new(), code, 32, 1, out), 0);
	for (unsigned i = 0; i < 32; i++) {
		cr_expect_eq(m[i], 1000 + i, "image_load lane %u: %u", i, m[i]);
		cr_expect_eq(m[32 + i], 1001 + i, "image_atomic_add returns the stored value, lane %u", i);
		cr_expect_eq(m[64 + i], 0, "outside the image: 0, lane %u", i);
		cr_expect_eq(m[256 + i / 8 * 64 + i % 8], 1011 + i, "texel %u after store and atomic add", i);
	}
}

/* A linear 5x3 image of 96-bit texels (FORMAT 58, 32_32_32_UINT, TYPE 2D)
 * at out + 0x400: addrlib lays it out as 32-bit elements three times as
 * wide (ADDR_FMT_32_32_32 is ADDR_EXPANDED), so a row is 60 bytes of
 * texels padded to 256, and texel (x, y) is at y * 256 + x * 12.  The
 * program loads (4, 2) (all three components), stores (1, 1) and loads
 * (5, 0), outside the image (0). */
static const uint32_t image96_prog[] = {
	0x7e1c0280, /* v_mov_b32_e32 v14, 0 */
	0x8008ff00, 0x00000400, /* s_add_u32 s8, s0, 0x400 */
	0x82098001, /* s_addc_u32 s9, s1, 0 */
	0x85888808, /* s_lshr_b64 s[8:9], s[8:9], 8 */
	0x8c09ff09, 0x03a00000, /* s_or_b32 s9, s9, 0x3a00000 (FORMAT 58, 32_32_32_UINT) */
	0xbe8a00ff, 0x00008001, /* s_mov_b32 s10, 0x8001 (WIDTH-1 4, HEIGHT-1 2) */
	0xbe8b00ff, 0x90000fac, /* s_mov_b32 s11, 0x90000fac */
	0xbe8c0080, /* s_mov_b32 s12, 0 (DEPTH 0) */
	0xbe8d0080, /* s_mov_b32 s13, 0 */
	0xbe8e0080, /* s_mov_b32 s14, 0 */
	0xbe8f0080, /* s_mov_b32 s15, 0 */
	0x7e0e0284, /* v_mov_b32_e32 v7, 4 */
	0x7e100282, /* v_mov_b32_e32 v8, 2 */
	0xf0000784, 0x00020107, /* image_load v[1:3], v[7:8], s[8:15] dmask:0x7 dim:SQ_RSRC_IMG_2D unorm */
	0xdc720000, 0x0000010e, /* global_store_b96 v14, v[1:3], s[0:1] */
	0x7e0e0281, /* v_mov_b32_e32 v7, 1 */
	0x7e100281, /* v_mov_b32_e32 v8, 1 */
	0x7e0802ff, 0x00000111, /* v_mov_b32_e32 v4, 0x111 */
	0x7e0a02ff, 0x00000222, /* v_mov_b32_e32 v5, 0x222 */
	0x7e0c02ff, 0x00000333, /* v_mov_b32_e32 v6, 0x333 */
	0xf0180784, 0x00020407, /* image_store v[4:6], v[7:8], s[8:15] dmask:0x7 dim:SQ_RSRC_IMG_2D unorm */
	0x7e0e0285, /* v_mov_b32_e32 v7, 5 */
	0x7e100280, /* v_mov_b32_e32 v8, 0 */
	0x7e020289, /* v_mov_b32_e32 v1, 9 */
	0xf0000784, 0x00020107, /* image_load v[1:3], v[7:8], s[8:15] dmask:0x7 dim:SQ_RSRC_IMG_2D unorm */
	0xdc720010, 0x0000010e, /* global_store_b96 v14, v[1:3], s[0:1] offset:16 */
	0xbfb00000, /* s_endpgm */
};

Test(vgpu_shader_mem, image_linear_96_bit_rows_of_256_bytes)
{
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	uint8_t *img = (uint8_t *)out->cpu + 0x400;
	const uint32_t t42[3] = { 0xa1, 0xb2, 0xc3 };
	memcpy(img + 2 * 256 + 4 * 12, t42, 12);
	/* the bytes around the stored texel and the next row's start: kept */
	memset(img + 256, 0x5a, 256 + 12);
	struct rig_buf *code = program(image96_prog, sizeof(image96_prog) / 4);
	cr_assert_eq(run(vgpu_rig_ctx_new(), code, 1, 1, out), 0);
	const uint32_t want[] = { 0xa1, 0xb2, 0xc3, 0, 0, 0, 0 };
	expect_words(out, want, sizeof(want) / 4);
	uint32_t t11[3];
	memcpy(t11, img + 256 + 12, 12);
	cr_expect_eq(t11[0], 0x111);
	cr_expect_eq(t11[1], 0x222);
	cr_expect_eq(t11[2], 0x333);
	for (unsigned i = 0; i < 256 + 12; i++)
		if (i < 12 || i >= 24)
			cr_expect_eq(img[256 + i], 0x5a, "byte %u of row 1", i);
}

/* A 96-bit linear image with two levels (MAX_MIP 1: addrlib's expanded
 * mip chain is not modelled) or a custom pitch in DEPTH faults. */
Test(vgpu_shader_mem, image_linear_96_bit_mips_and_custom_pitch_fault)
{
	const size_t n = sizeof(image96_prog) / 4;
	for (unsigned v = 0; v < 2; v++) {
		uint32_t prog[sizeof(image96_prog) / 4];
		memcpy(prog, image96_prog, sizeof(prog));
		for (size_t i = 0; i < n; i++) {
			if (v == 0 && prog[i] == 0x03a00000u)
				prog[i] = 0x03a10000u;  /* MAX_MIP 1 */
			if (v == 1 && prog[i] == 0xbe8c0080u)
				prog[i] = 0xbe8c0087u;  /* s_mov_b32 s12, 7: DEPTH 7 */
		}
		struct rig_buf *out = vgpu_rig_buf_new(4096);
		uint32_t ctx = vgpu_rig_ctx_new();
		cr_expect_eq(run(ctx, program(prog, n), 1, 1, out), -ECANCELED, "variant %u", v);
		cr_expect(vgpu_rig_ctx_flags(ctx) & AMDGPU_CTX_QUERY2_FLAGS_GUILTY, "variant %u", v);
	}
}

/* ---- VOP3-DPP operands ------------------------------------------------- */

/* src2 may be a constant (llvm-mc-19 -mcpu=gfx1100 assembles it); src1 must
 * be a VGPR on gfx11.0, so an SGPR there is an illegal instruction. */
Test(vgpu_shader_mem, vop3_dpp_src2_constant_runs_src1_sgpr_faults)
{
	static const uint32_t const_src2[] = {
		0x7e020285, /* v_mov_b32_e32 v1, 5 */
		0x7e04028a, /* v_mov_b32_e32 v2, 10 */
		0x7e000280, /* v_mov_b32_e32 v0, 0 */
		0xd6550003, 0x021e04fa, 0xff00e401, /* v_add3_u32_e64_dpp v3, v1, v2, 7 quad_perm:[0,1,2,3] */
		0xdc6a0000, 0x00000300, /* global_store_b32 v0, v3, s[0:1] */
		0xbfb00000, /* s_endpgm */
	};
	static const uint32_t sgpr_src1[] = {
		0xd6550003, 0x040804fa, 0xff00e401, /* v_add3_u32_e64_dpp v3, v1, s2, v2 quad_perm:[0,1,2,3] */
		0xbfb00000, /* s_endpgm */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *code = program(const_src2, sizeof(const_src2) / 4);
	uint32_t ctx = vgpu_rig_ctx_new();
	cr_assert_eq(run(ctx, code, 32, 0, out), 0);
	cr_assert_eq(((const uint32_t *)out->cpu)[0], 5u + 10u + 7u);

	struct rig_buf *bad = program(sgpr_src1, sizeof(sgpr_src1) / 4);
	uint32_t ctx2 = vgpu_rig_ctx_new();
	cr_assert_eq(run(ctx2, bad, 1, 0, out), -ECANCELED);
	cr_assert(vgpu_rig_ctx_flags(ctx2) & AMDGPU_CTX_QUERY2_FLAGS_GUILTY);
}

/* ---- DS: ds_condxchg32_rtn_b64, and the DS ops that fault ------------ */

/* Two conditional exchanges on the 8-byte aligned pair at (ADDR + offset)
 * & ~7: each DATA dword with bit 31 set replaces its LDS dword with bit 31
 * cleared; both old dwords return. */
Test(vgpu_shader_mem, ds_condxchg32_writes_the_dwords_with_bit31)
{
	static const uint32_t prog[] = {
		0x7e060280, /* v_mov_b32_e32 v3, 0 */
		0x7e080291, /* v_mov_b32_e32 v4, 17 */
		0x7e0a02a2, /* v_mov_b32_e32 v5, 34 */
		0xd9340008, 0x00000403, /* ds_store_b64 v3, v[4:5] offset:8 */
		0x7e0c02ff, 0x80000005, /* v_mov_b32_e32 v6, 0x80000005 */
		0x7e0e02d0, /* v_mov_b32_e32 v7, -16 */
		0xd9f8000c, 0x08000603, /* ds_condxchg32_rtn_b64 v[8:9], v3, v[6:7] offset:12 */
		0x7e0c0281, /* v_mov_b32_e32 v6, 1 */
		0x7e0e02ff, 0x80000009, /* v_mov_b32_e32 v7, 0x80000009 */
		0xd9f80008, 0x0a000603, /* ds_condxchg32_rtn_b64 v[10:11], v3, v[6:7] offset:8 */
		0xd9d80008, 0x0c000003, /* ds_load_b64 v[12:13], v3 offset:8 */
		0xdc6e0000, 0x00000803, /* global_store_b64 v3, v[8:9], s[0:1] */
		0xdc6e0008, 0x00000a03, /* global_store_b64 v3, v[10:11], s[0:1] offset:8 */
		0xdc6e0010, 0x00000c03, /* global_store_b64 v3, v[12:13], s[0:1] offset:16 */
		0xbfb00000, /* s_endpgm */
	};
	const uint32_t want[] = {
		0x11, 0x22,       /* offset 12 & ~7 = 8: the pair stored there */
		5, 0x7ffffff0u,   /* both DATA dwords had bit 31: written without it */
		5, 9,             /* DATA {1, 0x80000009}: only the high dword written */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *code = program(prog, sizeof(prog) / 4);
	cr_assert_eq(run(vgpu_rig_ctx_new(), code, 1, 1, out), 0);
	expect_words(out, want, sizeof(want) / 4);
}

/* ds_gws_* needs a GWS partition, which a job without a GWS BO in its
 * list does not have (test_vgpu_gws runs them with one); ds_ordered_count
 * and ds_bvh_stack are not modelled, and buffer_load_lds_* is no gfx11
 * instruction (shader/mubuf.c): each stops the job with a fault (the
 * context is guilty). */
Test(vgpu_shader_mem, gws_ordered_count_bvh_stack_and_load_lds_fault)
{
	static const uint32_t gws[] = {
		0x7e000280, /* v_mov_b32_e32 v0, 0 */
		0xd8660000, 0x00000000, /* ds_gws_init v0 gds */
		0xbfb00000, /* s_endpgm */
	};
	static const uint32_t bvh[] = {
		0x7e000280, /* v_mov_b32_e32 v0, 0 */
		0xdab40000, 0x01040200, /* ds_bvh_stack_rtn_b32 v1, v0, v2, v[4:7] */
		0xbfb00000, /* s_endpgm */
	};
	static const uint32_t ordered[] = {
		0x7e000280, /* v_mov_b32_e32 v0, 0 */
		0xd8fe0000, 0x01000000, /* ds_ordered_count v1, v0 gds */
		0xbfb00000, /* s_endpgm */
	};
	static const uint32_t load_lds[] = {
		0x7e000280, /* v_mov_b32_e32 v0, 0 */
		0xe0c40000, 0x80000000, /* buffer_load_lds_b32 off, s[0:3], 0 */
		0xbfb00000, /* s_endpgm */
	};
	const uint32_t *progs[] = { gws, bvh, ordered, load_lds };
	for (unsigned i = 0; i < 4; i++) {
		struct rig_buf *out = vgpu_rig_buf_new(4096);
		struct rig_buf *code = program(progs[i], 4);
		uint32_t ctx = vgpu_rig_ctx_new();
		cr_expect_eq(run(ctx, code, 1, 1, out), -ECANCELED, "program %u", i);
		cr_expect(vgpu_rig_ctx_flags(ctx) & AMDGPU_CTX_QUERY2_FLAGS_GUILTY, "program %u", i);
	}
	/* the load-to-LDS fault is the illegal-instruction one, saying why */
	struct rig_buf *out = NULL;
	char log[2048];
	cr_expect_eq(vgpu_rig_run_logged(load_lds, 4, 1, 1, false, &out, log, sizeof log),
		     -ECANCELED);
	cr_expect(strstr(log, "illegal instruction buffer_load_lds_b32") &&
		  strstr(log, "not a gfx11 instruction"), "%s", log);
}

/* ---- MUBUF: the packed float and 10_10_10_2 formats, tfe ------------- */

/* A raw V# in s[4:7] over out + 0x400 (NUM_RECORDS 256); the tbuffer
 * forms name their format. */
static const uint32_t packed_fmt_prog[] = {
	0x7e140280, /* v_mov_b32_e32 v10, 0 */
	0x8004ff00, 0x00000400, /* s_add_u32 s4, s0, 0x400 */
	0x82058001, /* s_addc_u32 s5, s1, 0 */
	0xbe8600ff, 0x00000100, /* s_mov_b32 s6, 0x100 */
	0xbe8700ff, 0x30000fac, /* s_mov_b32 s7, 0x30000fac */
	0xe8f18000, 0x80010000, /* tbuffer_load_format_xyzw v[0:3], off, s[4:7], 0 format:[BUF_FMT_10_11_11_FLOAT] */
	0xdc760000, 0x0000000a, /* global_store_b128 v10, v[0:3], s[0:1] */
	0xe8f10004, 0x80010000, /* tbuffer_load_format_xyz v[0:2], off, s[4:7], 0 format:[BUF_FMT_10_11_11_FLOAT] offset:4 */
	0xdc720010, 0x0000000a, /* global_store_b96 v10, v[0:2], s[0:1] offset:16 */
	0xe9018008, 0x80010000, /* tbuffer_load_format_xyzw v[0:3], off, s[4:7], 0 format:[BUF_FMT_10_10_10_2_UNORM] offset:8 */
	0xdc760020, 0x0000000a, /* global_store_b128 v10, v[0:3], s[0:1] offset:32 */
	0x7e0002ff, 0x3fc00000, /* v_mov_b32_e32 v0, 0x3fc00000 */
	0x7e0202ff, 0x40400000, /* v_mov_b32_e32 v1, 0x40400000 */
	0x7e0402f3, /* v_mov_b32_e32 v2, -1.0 */
	0xe8fb000c, 0x80010000, /* tbuffer_store_format_xyz v[0:2], off, s[4:7], 0 format:[BUF_FMT_11_11_10_FLOAT] offset:12 */
	0x7e0002ff, 0x3f820000, /* v_mov_b32_e32 v0, 0x3f820000 */
	0x7e0202ff, 0x3f818000, /* v_mov_b32_e32 v1, 0x3f818000 */
	0x7e0402ff, 0x4788b800, /* v_mov_b32_e32 v2, 0x4788b800 */
	0xe8fb0010, 0x80010000, /* tbuffer_store_format_xyz v[0:2], off, s[4:7], 0 format:[BUF_FMT_11_11_10_FLOAT] offset:16 */
	0x7e0002c1, /* v_mov_b32_e32 v0, -1 */
	0x7e0202ff, 0xfffffe00, /* v_mov_b32_e32 v1, 0xfffffe00 */
	0x7e0402ff, 0x000001ff, /* v_mov_b32_e32 v2, 0x1ff */
	0x7e060281, /* v_mov_b32_e32 v3, 1 */
	0xe91b8014, 0x80010000, /* tbuffer_store_format_xyzw v[0:3], off, s[4:7], 0 format:[BUF_FMT_10_10_10_2_SINT] offset:20 */
	0xe9198014, 0x80010400, /* tbuffer_load_format_xyzw v[4:7], off, s[4:7], 0 format:[BUF_FMT_10_10_10_2_SINT] offset:20 */
	0xdc760030, 0x0000040a, /* global_store_b128 v10, v[4:7], s[0:1] offset:48 */
	0xe8fd000c, 0x80010400, /* tbuffer_load_d16_format_xyz v[4:5], off, s[4:7], 0 format:[BUF_FMT_11_11_10_FLOAT] offset:12 */
	0xdc6e0040, 0x0000040a, /* global_store_b64 v10, v[4:5], s[0:1] offset:64 */
	0x7e1202ff, 0x0000dead, /* v_mov_b32_e32 v9, 0xdead */
	0xe0500018, 0x80210800, /* buffer_load_b32 v[8:9], off, s[4:7], 0 offset:24 tfe */
	0xdc6e0048, 0x0000080a, /* global_store_b64 v10, v[8:9], s[0:1] offset:72 */
	0x7e1202ff, 0x0000dead, /* v_mov_b32_e32 v9, 0xdead */
	0xe0500200, 0x80210800, /* buffer_load_b32 v[8:9], off, s[4:7], 0 offset:512 tfe */
	0xdc6e0050, 0x0000080a, /* global_store_b64 v10, v[8:9], s[0:1] offset:80 */
	0xbfb00000, /* s_endpgm */
};

Test(vgpu_shader_mem, buffer_packed_float_and_10_10_10_2_formats_and_tfe)
{
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	uint32_t *m = out->cpu, *b = m + 256;
	/* 10_11_11_FLOAT (x 10:0 and y 21:11 unsigned 11-bit, z 31:22
	 * 10-bit floats): {1.0, 0.5, 2.0}, then {2^-20 (a denormal), +inf,
	 * NaN with mantissa 1} */
	b[0] = 0x3c0u | 0x380u << 11 | 0x200u << 22;
	b[1] = 0x001u | 0x7c0u << 11 | 0x3e1u << 22;
	/* 10_10_10_2_UNORM (x 1:0, y 11:2, z 21:12, w 31:22) */
	b[2] = 3u | 0x3ffu << 2 | 0u << 12 | 0x200u << 22;
	b[6] = 0x12345678u;
	struct rig_buf *code = program(packed_fmt_prog, sizeof(packed_fmt_prog) / 4);
	cr_assert_eq(run(vgpu_rig_ctx_new(), code, 1, 1, out), 0);
	const uint32_t want[] = {
		f32_bits(1.0f), f32_bits(0.5f), f32_bits(2.0f), f32_bits(1.0f), /* w: 1.0 */
		0x35800000u, 0x7f800000u, 0x7f840000u, 0,
		f32_bits(1.0f), f32_bits(1.0f), 0, f32_bits(512.0f / 1023.0f),
		0xffffffffu, 0xfffffe00u, 0x1ffu, 1, /* 10_10_10_2_SINT round trip */
		0x42003e00u,                       /* d16 of 11_11_10 {1.5, 3.0}: halves */
	};
	expect_words(out, want, sizeof(want) / 4);
	cr_expect_eq(m[17] & 0xffffu, 0, "d16 z (0 stored from -1.0): 0x%x", m[17]);
	/* 11_11_10_FLOAT (x 9:0 10-bit, y 20:10 and z 31:21 11-bit):
	 * {1.5, 3.0, -1.0 -> 0}; {1 + 2^-6 (a tie: to even, 1.0), 1 + 3*2^-8
	 * (up to 1 + 2^-6), 70000 (above 65024: +inf)} */
	cr_expect_eq(b[3], 0x1f0u | 0x420u << 10, "0x%x", b[3]);
	cr_expect_eq(b[4], 0x1e0u | 0x3c1u << 10 | 0x7c0u << 21, "0x%x", b[4]);
	cr_expect_eq(b[5], 3u | 0x200u << 2 | 0x1ffu << 12 | 1u << 22, "0x%x", b[5]);
	/* tfe: the data, then the status dword 0 (also out of range) */
	cr_expect_eq(m[18], 0x12345678u);
	cr_expect_eq(m[19], 0, "tfe status 0x%x", m[19]);
	cr_expect_eq(m[20], 0, "out of range: 0");
	cr_expect_eq(m[21], 0, "tfe status out of range 0x%x", m[21]);
}

/* Swizzled V#s.  SWIZZLE_ENABLE 1 (4-byte elements), INDEX_STRIDE 8,
 * STRIDE 8, ADD_TID_ENABLE: lane i's dword k is at (i / 8 * 8 + 4 * k) * 8
 * + i % 8 * 4.  Then SWIZZLE_ENABLE 3 (16-byte elements), STRIDE 24,
 * INDEX_STRIDE 16, soffset 0x200 outside the swizzle, offset 4 + 8: lane
 * i at 0x200 + i / 16 * 24 * 16 + i % 16 * 16 + 12. */
Test(vgpu_shader_mem, buffer_swizzled_resources)
{
	static const uint32_t prog[] = {
		0x8004ff00, 0x00000400, /* s_add_u32 s4, s0, 0x400 */
		0x82058001, /* s_addc_u32 s5, s1, 0 */
		0x8c05ff05, 0x40080000, /* s_or_b32 s5, s5, 0x40080000 */
		0xbe8600ff, 0x00010000, /* s_mov_b32 s6, 0x10000 */
		0xbe8700ff, 0x30800fac, /* s_mov_b32 s7, 0x30800fac */
		0xbe8800ff, 0x00000200, /* s_mov_b32 s8, 0x200 */
		0x4a0200ff, 0x00000064, /* v_add_nc_u32_e32 v1, 0x64, v0 */
		0x4a0400ff, 0x000000c8, /* v_add_nc_u32_e32 v2, 0xc8, v0 */
		0xe06c0000, 0x80010100, /* buffer_store_b64 v[1:2], off, s[4:7], 0 */
		0xe0540000, 0x80010300, /* buffer_load_b64 v[3:4], off, s[4:7], 0 */
		0x30160083, /* v_lshlrev_b32_e32 v11, 3, v0 */
		0xdc6e0000, 0x0000030b, /* global_store_b64 v11, v[3:4], s[0:1] */
		0x8c05ff05, 0xc0100000, /* s_or_b32 s5, s5, 0xc0100000 (SWIZZLE_ENABLE 3, STRIDE 24) */
		0x8c07ff07, 0x00200000, /* s_or_b32 s7, s7, 0x200000 */
		0x7e0a0284, /* v_mov_b32_e32 v5, 4 */
		0xe0680008, 0x08410105, /* buffer_store_b32 v1, v5, s[4:7], s8 offen offset:8 */
		0xbfb00000, /* s_endpgm */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	uint32_t *m = out->cpu, *b = m + 256;
	struct rig_buf *code = program(prog, sizeof(prog) / 4);
	cr_assert_eq(run(vgpu_rig_ctx_new(), code, 32, 1, out), 0);
	for (unsigned i = 0; i < 32; i++) {
		unsigned d0 = ((i / 8 * 8 + 0) * 8 + i % 8 * 4) / 4;
		unsigned d1 = ((i / 8 * 8 + 4) * 8 + i % 8 * 4) / 4;
		cr_expect_eq(b[d0], 100 + i, "lane %u dword 0 at %u: %u", i, d0 * 4, b[d0]);
		cr_expect_eq(b[d1], 200 + i, "lane %u dword 1 at %u: %u", i, d1 * 4, b[d1]);
		cr_expect_eq(m[2 * i], 100 + i, "load back lane %u", i);
		cr_expect_eq(m[2 * i + 1], 200 + i, "load back lane %u", i);
		unsigned s = (0x200 + i / 16 * 24 * 16 + i % 16 * 16 + 12) / 4;
		cr_expect_eq(b[s], 100 + i, "16-byte elements: lane %u at 0x%x: %u", i, s * 4, b[s]);
	}
}

/* ---- MIMG: get_resinfo, _mip, _pck, and what faults ----------------- */

/* The T# of image_prog with LAST_LEVEL 2 (levels 0-2), in s[8:15]; rows
 * 64 texels apart */
static const uint32_t image_tsharp[] = {
	0x7e1c0280, /* v_mov_b32_e32 v14, 0 */
	0x8008ff00, 0x00000400, /* s_add_u32 s8, s0, 0x400 */
	0x82098001, /* s_addc_u32 s9, s1, 0 */
	0x85888808, /* s_lshr_b64 s[8:9], s[8:9], 8 */
	0x8c09ff09, 0xc1400000, /* s_or_b32 s9, s9, 0xc1400000 */
	0xbe8a00ff, 0x0000c001, /* s_mov_b32 s10, 0xc001 */
	0xbe8b00ff, 0x90020fac, /* s_mov_b32 s11, 0x90020fac */
	0xbe8c0087, /* s_mov_b32 s12, 7 */
	0xbe8d0080, /* s_mov_b32 s13, 0 */
	0xbe8e0080, /* s_mov_b32 s14, 0 */
	0xbe8f0080, /* s_mov_b32 s15, 0 */
	0x7e0e0281, /* v_mov_b32_e32 v7, 1 */
	0x7e100281, /* v_mov_b32_e32 v8, 1 */
};

static int run_image(uint32_t ctx, const uint32_t *body, size_t n, const struct rig_buf *out)
{
	uint32_t words[128];
	size_t h = sizeof(image_tsharp) / 4;
	cr_assert(h + n <= 128);
	memcpy(words, image_tsharp, sizeof(image_tsharp));
	memcpy(words + h, body, n * 4);
	struct rig_buf *code = program(words, h + n);
	return run(ctx, code, 1, 1, out);
}

Test(vgpu_shader_mem, image_resinfo_mip_and_pck)
{
	static const uint32_t body[] = {
		0x7e020281, /* v_mov_b32_e32 v1, 1 */
		0xf05c0384, 0x00020201, /* image_get_resinfo v[2:3], v1, s[8:15] dmask:0x3 dim:SQ_RSRC_IMG_2D unorm */
		0xf05c0884, 0x00020401, /* image_get_resinfo v4, v1, s[8:15] dmask:0x8 dim:SQ_RSRC_IMG_2D unorm */
		0x7e020283, /* v_mov_b32_e32 v1, 3 */
		0xf05c0384, 0x00020501, /* image_get_resinfo v[5:6], v1, s[8:15] dmask:0x3 dim:SQ_RSRC_IMG_2D unorm */
		0xdc760000, 0x0000020e, /* global_store_b128 v14, v[2:5], s[0:1] */
		0xdc6a0010, 0x0000060e, /* global_store_b32 v14, v6, s[0:1] offset:16 */
		0x7e120280, /* v_mov_b32_e32 v9, 0 */
		0xf0040184, 0x00020a07, /* image_load_mip v10, v[7:9], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm */
		0xf0080184, 0x00020b07, /* image_load_pck v11, v[7:8], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm */
		0x7e1802ff, 0x00001234, /* v_mov_b32_e32 v12, 0x1234 */
		0x7e0e0282, /* v_mov_b32_e32 v7, 2 */
		0xf0240184, 0x00020c07, /* image_store_mip_pck v12, v[7:9], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm */
		0x7e120283, /* v_mov_b32_e32 v9, 3 */
		0x7e1a02ff, 0x0000004d, /* v_mov_b32_e32 v13, 0x4d */
		0xf0040184, 0x00020d07, /* image_load_mip v13, v[7:9], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm */
		0x7e1802ff, 0x00005678, /* v_mov_b32_e32 v12, 0x5678 */
		0xf01c0184, 0x00020c07, /* image_store_mip v12, v[7:9], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm */
		0xdc720020, 0x00000a0e, /* global_store_b96 v14, v[10:12], s[0:1] offset:32 */
		0xdc6a002c, 0x00000d0e, /* global_store_b32 v14, v13, s[0:1] offset:44 */
		0xbfb00000, /* s_endpgm */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	uint32_t *m = out->cpu;
	for (unsigned i = 0; i < 32; i++)
		m[256 + i / 8 * 64 + i % 8] = 1000 + i;
	cr_assert_eq(run_image(vgpu_rig_ctx_new(), body, sizeof(body) / 4, out), 0);
	const uint32_t want[] = {
		4, 2, 3,      /* lod 1 of 8x4: 4x2; LAST_LEVEL 2 - BASE_LEVEL 0 + 1 levels */
		1, 1, 0, 0, 0,/* lod 3: max(1, 8 >> 3), max(1, 4 >> 3) */
		1009, 1009,   /* image_load_mip level 0 and image_load_pck of (1, 1) */
		0x5678,       /* (the VGPR stored) */
		0,            /* level 3 > LAST_LEVEL: outside, 0 */
	};
	expect_words(out, want, sizeof(want) / 4);
	cr_expect_eq(m[256 + 64 + 2], 0x1234, "store_mip_pck at (2, 1) level 0; the level 3 store dropped");
}

/* A linear mip chain (MAX_MIP 2): gfx11 stores the smallest level first
 * (Gfx11Lib::HwlComputeSurfaceInfoLinear), each level's rows padded to 256
 * bytes: level 2 (2x1) at 0, level 1 (4x2) at 256, level 0 (8x4) at 768. */
Test(vgpu_shader_mem, image_linear_mip_chain)
{
	static const uint32_t body[] = {
		0x8c09ff09, 0x00020000, /* s_or_b32 s9, s9, 0x20000 (MAX_MIP 2) */
		0x7e120281, /* v_mov_b32_e32 v9, 1 */
		0xf0040184, 0x00020a07, /* image_load_mip v10, v[7:9], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm */
		0x7e100280, /* v_mov_b32_e32 v8, 0 */
		0x7e120282, /* v_mov_b32_e32 v9, 2 */
		0xf0040184, 0x00020b07, /* image_load_mip v11, v[7:9], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm */
		0x7e0e0283, /* v_mov_b32_e32 v7, 3 */
		0x7e100281, /* v_mov_b32_e32 v8, 1 */
		0x7e120280, /* v_mov_b32_e32 v9, 0 */
		0x7e1802ff, 0x00000777, /* v_mov_b32_e32 v12, 0x777 */
		0xf01c0184, 0x00020c07, /* image_store_mip v12, v[7:9], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm */
		0x7e0e0284, /* v_mov_b32_e32 v7, 4 */
		0x7e100280, /* v_mov_b32_e32 v8, 0 */
		0x7e120281, /* v_mov_b32_e32 v9, 1 */
		0x7e1a02b7, /* v_mov_b32_e32 v13, 55 */
		0xf0040184, 0x00020d07, /* image_load_mip v13, v[7:9], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm */
		0xdc760000, 0x00000a0e, /* global_store_b128 v14, v[10:13], s[0:1] */
		0xbfb00000, /* s_endpgm */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	uint32_t *m = out->cpu, *img = m + 256;
	img[(256 + (1 * 64 + 1) * 4) / 4] = 0xaaa; /* level 1 (1, 1) */
	img[(0 + (0 * 64 + 1) * 4) / 4] = 0xbbb;   /* level 2 (1, 0) */
	cr_assert_eq(run_image(vgpu_rig_ctx_new(), body, sizeof(body) / 4, out), 0);
	const uint32_t want[] = { 0xaaa, 0xbbb, 0x777, 0 /* (4, 0) is outside level 1 */ };
	expect_words(out, want, sizeof(want) / 4);
	cr_expect_eq(img[(768 + (1 * 64 + 3) * 4) / 4], 0x777, "level 0 (3, 1)");
}

/* A tiled image: 64x32 texels of 32_UINT in SW_MODE 22 (SW_4KB_D_X, what
 * RADV picks for a small optimally tiled storage image on the 780m), with
 * pipe/bank XOR 5 in the base address's bits 10:8.  On the 780m profile
 * (GB_ADDR_CONFIG 0x243: 8 pipes, 4 packers) addrlib's pattern
 * (GFX11_SW_4K_D_X_PATINFO row "8 pipes (4 PKRs) 4 bpe": nibble01 2,
 * nibble2 28) gives the address bits of a 32x32 block
 *   2 X0, 3 Y0, 4 X1, 5 Y1, 6 X2, 7 Y2, 8 Y3^X5, 9 Z1^X3^Y5, 10 Z0^X4^Y4, 11 X4
 * so (9, 10) is at 0x324, (31, 31) at 0xbfc and (40, 3) in the second
 * block at 0x1000 + 0x328, before the XOR of 0x500 into bits 11:0. */
Test(vgpu_shader_mem, image_tiled_4kb_d_x)
{
	static const uint32_t prog[] = {
		0x30140083, /* v_lshlrev_b32_e32 v10, 3, v0 */
		0xdc560000, 0x0100000a, /* global_load_b64 v[1:2], v10, s[0:1] */
		0x8008ff00, 0x00001000, /* s_add_u32 s8, s0, 0x1000 */
		0x82098001, /* s_addc_u32 s9, s1, 0 */
		0x85888808, /* s_lshr_b64 s[8:9], s[8:9], 8 */
		0x8c088508, /* s_or_b32 s8, s8, 5 */
		0x8c09ff09, 0xc1400000, /* s_or_b32 s9, s9, 0xc1400000 */
		0xbe8a00ff, 0x007c000f, /* s_mov_b32 s10, 0x7c000f */
		0xbe8b00ff, 0x91600fac, /* s_mov_b32 s11, 0x91600fac */
		0xbe8c0080, /* s_mov_b32 s12, 0 */
		0xbe8d0080, /* s_mov_b32 s13, 0 */
		0xbe8e0080, /* s_mov_b32 s14, 0 */
		0xbe8f0080, /* s_mov_b32 s15, 0 */
		0x4a0600ff, 0x00000064, /* v_add_nc_u32_e32 v3, 0x64, v0 */
		0xf0180184, 0x00020301, /* image_store v3, v[1:2], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm */
		0xf0000184, 0x00020401, /* image_load v4, v[1:2], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm */
		0xdc6a0100, 0x0000040a, /* global_store_b32 v10, v4, s[0:1] offset:256 */
		0xbfb00000, /* s_endpgm */
	};
	struct rig_buf *out = vgpu_rig_buf_new(16384);
	cr_assert_eq(out->va & 0xfff, 0, "the image base 4 KiB aligned");
	uint32_t *m = out->cpu, *img = m + 0x1000 / 4;
	const uint32_t xy[3][2] = { { 9, 10 }, { 31, 31 }, { 40, 3 } };
	const uint32_t at[3] = { 0x324 ^ 0x500, 0xbfc ^ 0x500, 0x1000 + (0x328 ^ 0x500) };
	for (unsigned i = 0; i < 3; i++) {
		m[2 * i] = xy[i][0];
		m[2 * i + 1] = xy[i][1];
	}
	struct rig_buf *code = program(prog, sizeof(prog) / 4);
	cr_assert_eq(run(vgpu_rig_ctx_new(), code, 3, 1, out), 0);
	unsigned found = 0;
	for (unsigned k = 0; k < 64 * 32; k++)
		found += img[k] != 0;
	cr_expect_eq(found, 3, "three texels written, %u found", found);
	for (unsigned i = 0; i < 3; i++) {
		cr_expect_eq(img[at[i] / 4], 100 + i, "(%u, %u) at 0x%x: %u", xy[i][0], xy[i][1], at[i],
			     img[at[i] / 4]);
		cr_expect_eq(m[64 + 2 * i], 100 + i, "image_load back, lane %u", i);
	}
}

/* A micro-tiled (SW_256B_D) image with a mip chain, and a cube image
 * (TYPE 11) addressed with dim 2D rather than dim cube: faults. */
Test(vgpu_shader_mem, image_micro_tiled_mips_and_cube_fault)
{
	static const uint32_t tiled_mips[] = {
		0x8c0bff0b, 0x00200000, /* s_or_b32 s11, s11, 0x200000 (SW_MODE 2) */
		0x8c09ff09, 0x00010000, /* s_or_b32 s9, s9, 0x10000 (MAX_MIP 1) */
		0xf0000184, 0x00020d07, /* image_load v13, v[7:8], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm */
		0xbfb00000, /* s_endpgm */
	};
	static const uint32_t cube[] = {
		0x8c0bff0b, 0x20000000, /* s_or_b32 s11, s11, 0x20000000 (TYPE 9 | 2 = 11: cube) */
		0xf0000184, 0x00020d07, /* image_load v13, v[7:8], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D unorm */
		0xbfb00000, /* s_endpgm */
	};
	const uint32_t *bodies[] = { tiled_mips, cube };
	const size_t lens[] = { 7, 5 };
	for (unsigned i = 0; i < 2; i++) {
		struct rig_buf *out = vgpu_rig_buf_new(4096);
		uint32_t ctx = vgpu_rig_ctx_new();
		cr_expect_eq(run_image(ctx, bodies[i], lens[i], out), -ECANCELED, "body %u", i);
		cr_expect(vgpu_rig_ctx_flags(ctx) & AMDGPU_CTX_QUERY2_FLAGS_GUILTY, "body %u", i);
	}
}

/* A linear cube-array image (TYPE 11, 8x4 texels of 32_UINT, BASE_ARRAY 1,
 * DEPTH 11: faces 1-11 of two cubes) addressed with dim cube: the face
 * coordinate is the slice, BASE_ARRAY + face, as in a 2D array of faces;
 * slices are 64 x 4 texels apart (rows padded to 256 bytes). */
Test(vgpu_shader_mem, image_cube_faces_are_array_slices)
{
	static const uint32_t prog[] = {
		0x8008ff00, 0x00000400, /* s_add_u32 s8, s0, 0x400 */
		0x82098001, /* s_addc_u32 s9, s1, 0 */
		0x85888808, /* s_lshr_b64 s[8:9], s[8:9], 8 */
		0x8c09ff09, 0xc1400000, /* s_or_b32 s9, s9, 0xc1400000 */
		0xbe8a00ff, 0x0000c001, /* s_mov_b32 s10, 0xc001 */
		0xbe8b00ff, 0xb0000fac, /* s_mov_b32 s11, 0xb0000fac */
		0xbe8c00ff, 0x0001000b, /* s_mov_b32 s12, 0x1000b */
		0xbe8d0080, /* s_mov_b32 s13, 0 */
		0xbe8e0080, /* s_mov_b32 s14, 0 */
		0xbe8f0080, /* s_mov_b32 s15, 0 */
		0x7e1c0280, /* v_mov_b32 v14, 0 */
		0x7e020281, /* v_mov_b32 v1, 1 */
		0x7e040282, /* v_mov_b32 v2, 2 */
		0x7e060280, /* v_mov_b32 v3, 0 */
		0x7e0802ff, 0x00000111, /* v_mov_b32 v4, 0x111 */
		0xf018018c, 0x00020401, /* image_store v4, v[1:3], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_CUBE unorm */
		0x7e020283, /* v_mov_b32 v1, 3 */
		0x7e040281, /* v_mov_b32 v2, 1 */
		0x7e060287, /* v_mov_b32 v3, 7 */
		0x7e0802ff, 0x00000222, /* v_mov_b32 v4, 0x222 */
		0xf018018c, 0x00020401, /* image_store v4, v[1:3], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_CUBE unorm */
		0x7e06028b, /* v_mov_b32 v3, 11 */
		0x7e0802ff, 0x00000333, /* v_mov_b32 v4, 0x333 */
		0xf018018c, 0x00020401, /* image_store v4, v[1:3], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_CUBE unorm */
		0x7e060287, /* v_mov_b32 v3, 7 */
		0xf000018c, 0x00020501, /* image_load v5, v[1:3], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_CUBE unorm */
		0xbf8903f7, /* s_waitcnt vmcnt(0) */
		0xdc6a0000, 0x0000050e, /* global_store_b32 v14, v5, s[0:1] */
		0x7e020280, /* v_mov_b32 v1, 0 */
		0x7e040280, /* v_mov_b32 v2, 0 */
		0x7e06028a, /* v_mov_b32 v3, 10 */
		0xf000018c, 0x00020501, /* image_load v5, v[1:3], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_CUBE unorm */
		0xbf8903f7, /* s_waitcnt vmcnt(0) */
		0xdc6a0004, 0x0000050e, /* global_store_b32 v14, v5, s[0:1] offset:4 */
		0x7e06028b, /* v_mov_b32 v3, 11 */
		0x7e0a0285, /* v_mov_b32 v5, 5 */
		0xf000018c, 0x00020501, /* image_load v5, v[1:3], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_CUBE unorm */
		0xbf8903f7, /* s_waitcnt vmcnt(0) */
		0xdc6a0008, 0x0000050e, /* global_store_b32 v14, v5, s[0:1] offset:8 */
		0xbfb00000, /* s_endpgm */
	};
	struct rig_buf *out = vgpu_rig_buf_new(16384);
	uint32_t *m = out->cpu;
	/* texel (x, y) of slice z: word 0x100 + z * 256 + y * 64 + x */
	m[0x100 + 11 * 256] = 0xabc;
	struct rig_buf *code = program(prog, sizeof(prog) / 4);
	cr_assert_eq(run(vgpu_rig_ctx_new(), code, 1, 1, out), 0);
	cr_expect_eq(m[0x100 + 1 * 256 + 2 * 64 + 1], 0x111, "face 0 is slice BASE_ARRAY 1");
	cr_expect_eq(m[0x100 + 0 * 256 + 2 * 64 + 1], 0, "slice 0 is before BASE_ARRAY");
	cr_expect_eq(m[0x100 + 8 * 256 + 1 * 64 + 3], 0x222, "face 7 is slice 8");
	cr_expect_eq(m[0x100 + 12 * 256 + 1 * 64 + 3], 0, "face 11 (slice 12 > DEPTH) is dropped");
	cr_expect_eq(m[0], 0x222, "image_load of face 7");
	cr_expect_eq(m[1], 0xabc, "image_load of face 10 = slice 11");
	cr_expect_eq(m[2], 0, "image_load past DEPTH reads 0");
}

/* ---- MSAA images ------------------------------------------------------ */

/* The set-up of a 4-sample 16x16 32_UINT image (TYPE 14 2D_MSAA, SW_MODE
 * 24 SW_64KB_Z_X, LAST_LEVEL 2 = log2 samples, as RADV writes an MSAA T#)
 * at the first 64 KiB boundary past s[0:1] + 4 KiB (word 4, the offset,
 * is patched per run), pipe/bank XOR 5 in BASE_ADDRESS bits 2:0; each
 * lane's x, y, sample, layer from s[0:1] + 16 * lane. */
static const uint32_t msaa_setup[] = {
	0x30140084, /* v_lshlrev_b32 v10, 4, v0 */
	0xdc5e0000, 0x0100000a, /* global_load_b128 v[1:4], v10, s[0:1] */
	0x8008ff00, 0x00010000, /* s_add_u32 s8, s0, <offset> */
	0x82098001, /* s_addc_u32 s9, s1, 0 */
	0x85888808, /* s_lshr_b64 s[8:9], s[8:9], 8 */
	0x8c088508, /* s_or_b32 s8, s8, 5 */
	0x8c09ff09, 0xc1400000, /* s_or_b32 s9, s9, 0xc1400000 (32_UINT, WIDTH-1 bits 1:0) */
	0xbe8a00ff, 0x0003c003, /* s_mov_b32 s10, 0x3c003 (16 x 16) */
	0xbe8b00ff, 0xe1820fac, /* s_mov_b32 s11, 0xe1820fac (TYPE 14, SW_MODE 24, LAST_LEVEL 2) */
	0xbe8c0080, /* s_mov_b32 s12, 0 */
	0xbe8d0080, /* s_mov_b32 s13, 0 */
	0xbe8e0080, /* s_mov_b32 s14, 0 */
	0xbe8f0080, /* s_mov_b32 s15, 0 */
	0x4a0a00ff, 0x00000064, /* v_add_nc_u32 v5, 0x64, v0 */
};

/* msaa_setup, then body; the image offset from out->va set in word 4 */
static int run_msaa(uint32_t ctx, const uint32_t *body, size_t n, unsigned lanes,
		    const struct rig_buf *out, uint64_t *img_off)
{
	size_t ns = sizeof(msaa_setup) / 4;
	uint32_t words[64];
	cr_assert(ns + n <= 64);
	memcpy(words, msaa_setup, sizeof(msaa_setup));
	memcpy(words + ns, body, n * 4);
	uint64_t base = (out->va + 0x1000 + 0xffff) & ~(uint64_t)0xffff;
	*img_off = base - out->va;
	words[4] = (uint32_t)*img_off;
	return run(ctx, program(words, ns + n), lanes, 0, out);
}

/* Six samples stored with image_store and read back with image_load, at
 * the addresses addrlib gives: GFX11_SW_64K_ZR_X_4xaa_PATINFO row 27 (8
 * pipes, 4 packers on the 780m profile: m_colorBaseIndex 25, 4 bytes per
 * texel: nibble01 3, nibble2 12, nibble3 143, nibble4 160) puts the
 * address bits of a 64x64-texel block
 *   2 S0, 3 S1, 4 X0, 5 Y0, 6 X1, 7 Y1, 8 Y4^X6^Y6, 9 Z1^X4^Y4,
 *   10 Z0^X5^Y5, 11 X3, 12 Y3, 13 X5^Y8, 14 X2^X6^Y7, 15 Y2^Y6^X7
 * (ComputeThinBlockDimension: 2^(16 - 2 - 2) texels, width first for 4x),
 * so (0, 0) sample 1 is at 0x4, sample 3 at 0xc, (5, 9) sample 2 at
 * 0x5038, (15, 15) sample 3 at 0xd8fc, (1, 0) sample 0 at 0x10 and
 * (0, 1) sample 0 at 0x20, each XORed with the pipe/bank XOR 0x500
 * (ComputeSurfaceAddrFromCoordMacroTiled, numSamples > 1). */
Test(vgpu_shader_mem, image_msaa_4x_z_x_store_load)
{
	static const uint32_t body[] = {
		0xf0180198, 0x00020501, /* image_store v5, v[1:3], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D_MSAA unorm */
		0xf0000198, 0x00020601, /* image_load v6, v[1:3], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D_MSAA unorm */
		0xdc6a0400, 0x0000060a, /* global_store_b32 v10, v6, s[0:1] offset:1024 */
		0xbfb00000, /* s_endpgm */
	};
	static const uint32_t pts[6][3] = { { 0, 0, 1 }, { 0, 0, 3 }, { 5, 9, 2 },
					    { 15, 15, 3 }, { 1, 0, 0 }, { 0, 1, 0 } };
	static const uint32_t at[6] = { 0x4, 0xc, 0x5038, 0xd8fc, 0x10, 0x20 };
	struct rig_buf *out = vgpu_rig_buf_new(0x30000);
	uint32_t *m = out->cpu;
	for (unsigned i = 0; i < 6; i++)
		for (unsigned k = 0; k < 3; k++)
			m[4 * i + k] = pts[i][k];
	uint64_t off = 0;
	cr_assert_eq(run_msaa(vgpu_rig_ctx_new(), body, sizeof(body) / 4, 6, out, &off), 0);
	const uint32_t *img = (const uint32_t *)((const uint8_t *)out->cpu + off);
	unsigned found = 0;
	for (unsigned k = 0; k < 0x10000 / 4; k++)
		found += img[k] != 0;
	cr_expect_eq(found, 6, "six samples written, %u found", found);
	for (unsigned i = 0; i < 6; i++) {
		uint32_t a = at[i] ^ 0x500;
		cr_expect_eq(img[a / 4], 100 + i, "(%u, %u) sample %u at 0x%x: %u", pts[i][0],
			     pts[i][1], pts[i][2], a, img[a / 4]);
		cr_expect_eq(m[256 + 4 * i], 100 + i, "image_load back, lane %u", i);
	}
}

/* A 2-sample 2D MSAA array (TYPE 15, SW_MODE 27 SW_64KB_R_X, LAST_LEVEL 1,
 * 16x130 texels, DEPTH 1: two layers) of 32_UINT.  With 2 samples (odd
 * log2) and a 64 KiB block (even log2) ComputeThinBlockDimension makes the
 * block taller than wide: 2^(16 - 2 - 1) texels, 64 x 128, so 130 rows
 * pad to 256 and a slice is 64 * 256 * 4 * 2 = 0x20000 bytes; the second
 * block row starts at 0x10000.  GFX11_SW_64K_ZR_X_2xaa_PATINFO row 27
 * (nibble01 3, nibble2 7, nibble3 143, nibble4 109) puts the address bits
 *   2 S0, 3 X0, 4 Y0, 5 X1, 6 Y1, 7 X2, 8 Y4^X6^Y6, 9 Z1^X4^Y4,
 *   10 Z0^X5^Y5, 11 X3, 12 Y3, 13 X5^Y8, 14 Y6^X7, 15 Y2^X6^Y7
 * (the layer is Z), so with the pipe/bank XOR 0x500: (0, 0) layer 0
 * sample 1 at 0x504, (3, 129) layer 0 sample 0 at 0x10000 + (0x8038 ^
 * 0x500), (5, 7) layer 1 sample 1 at 0x20000 + (0x84dc ^ 0x500), (15, 15)
 * layer 1 sample 0 at 0x20000 + (0x9cf8 ^ 0x500). */
Test(vgpu_shader_mem, image_msaa_2x_array_r_x_store_load)
{
	static const uint32_t body[] = {
		0xbe8a00ff, 0x00204003, /* s_mov_b32 s10, 0x204003 (16 x 130) */
		0xbe8b00ff, 0xf1b10fac, /* s_mov_b32 s11, 0xf1b10fac (TYPE 15, SW_MODE 27, LAST_LEVEL 1) */
		0xbe8c0081, /* s_mov_b32 s12, 1 (DEPTH 1) */
		0xf018019c, 0x00020501, /* image_store v5, v[1:4], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D_MSAA_ARRAY unorm */
		0xf000019c, 0x00020601, /* image_load v6, v[1:4], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D_MSAA_ARRAY unorm */
		0xdc6a0400, 0x0000060a, /* global_store_b32 v10, v6, s[0:1] offset:1024 */
		0xbfb00000, /* s_endpgm */
	};
	static const uint32_t pts[4][4] = { { 0, 0, 0, 1 }, { 3, 129, 0, 0 }, { 5, 7, 1, 1 },
					    { 15, 15, 1, 0 } };
	static const uint32_t at[4] = { 0x504, 0x10000 + (0x8038 ^ 0x500), 0x20000 + (0x84dc ^ 0x500),
					0x20000 + (0x9cf8 ^ 0x500) };
	struct rig_buf *out = vgpu_rig_buf_new(0x60000);
	uint32_t *m = out->cpu;
	for (unsigned i = 0; i < 4; i++)
		for (unsigned k = 0; k < 4; k++)
			m[4 * i + k] = pts[i][k];
	uint64_t off = 0;
	cr_assert_eq(run_msaa(vgpu_rig_ctx_new(), body, sizeof(body) / 4, 4, out, &off), 0);
	const uint32_t *img = (const uint32_t *)((const uint8_t *)out->cpu + off);
	unsigned found = 0;
	for (unsigned k = 0; k < 0x40000 / 4; k++)
		found += img[k] != 0;
	cr_expect_eq(found, 4, "four samples written, %u found", found);
	for (unsigned i = 0; i < 4; i++) {
		cr_expect_eq(img[at[i] / 4], 100 + i, "(%u, %u) layer %u sample %u at 0x%x: %u",
			     pts[i][0], pts[i][1], pts[i][2], pts[i][3], at[i], img[at[i] / 4]);
		cr_expect_eq(m[256 + 4 * i], 100 + i, "image_load back, lane %u", i);
	}
}

/* What the MSAA path does not define faults: a sample index past the
 * image's 4 samples, image_msaa_load of a fragment id that is not a
 * multiple of 4 (tests/test_vgpu_msaa_load.c runs the defined ones), the
 * _mip form, a linear (SW_MODE 0) MSAA T# (addrlib refuses linear MSAA). */
Test(vgpu_shader_mem, image_msaa_undefined_corners_fault)
{
	static const uint32_t sample4[] = {
		0x7e060284, /* v_mov_b32 v3, 4 */
		0xf0000198, 0x00020601, /* image_load v6, v[1:3], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D_MSAA unorm */
		0xbfb00000, /* s_endpgm */
	};
	static const uint32_t msaa_load[] = {
		0x7e060282, /* v_mov_b32 v3, 2 */
		0xf0600198, 0x00020601, /* image_msaa_load v[6:9], v[1:3], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D_MSAA unorm */
		0xbfb00000, /* s_endpgm */
	};
	static const uint32_t mip[] = {
		0xf0040198, 0x00020601, /* image_load_mip v6, v[1:4], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D_MSAA unorm */
		0xbfb00000, /* s_endpgm */
	};
	static const uint32_t linear[] = {
		0x8b0bff0b, 0xfe0fffff, /* s_and_b32 s11, s11, 0xfe0fffff (SW_MODE 0) */
		0xf0000198, 0x00020601, /* image_load v6, v[1:3], s[8:15] dmask:0x1 dim:SQ_RSRC_IMG_2D_MSAA unorm */
		0xbfb00000, /* s_endpgm */
	};
	const uint32_t *bodies[] = { sample4, msaa_load, mip, linear };
	const size_t lens[] = { 4, 4, 3, 5 };
	for (unsigned i = 0; i < 4; i++) {
		struct rig_buf *out = vgpu_rig_buf_new(0x30000);
		uint32_t ctx = vgpu_rig_ctx_new();
		uint64_t off;
		cr_expect_eq(run_msaa(ctx, bodies[i], lens[i], 1, out, &off), -ECANCELED, "body %u", i);
		cr_expect(vgpu_rig_ctx_flags(ctx) & AMDGPU_CTX_QUERY2_FLAGS_GUILTY, "body %u", i);
	}
}
