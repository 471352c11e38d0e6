/*
 * gfx9 storage images on the vgpu (raven: GC 9.1.0, GB_ADDR_CONFIG
 * 0x24000042): image_store / image_load / their _mip forms and
 * image_get_resinfo on gfx9 T#s (shader/mimg_gfx9.c), tiled images
 * addressed as Mesa's addrlib addresses them (shader/swizzle_gfx9.c).
 * The expected byte offsets are test data made by running addrlib itself:
 * tools/gfx9-addrlib-harness.cpp --addr (built by
 * tools/gfx9-addrlib-check.sh against Mesa 22.3.6's source) on the
 * surface and coordinates each table names; nothing of addrlib is linked
 * here.  The programs are hand-assembled: each word is what `llvm-mc-19
 * -triple=amdgcn -mcpu=gfx900 -show-encoding` gives for the instruction
 * in the comment next to it.  One wave64, v0 = the lane, s[0:1] = the
 * output buffer, whose first 32 bytes hold the T#; results from byte 256.
 */
#include "vgpu_rig.h"
#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <amdgpu_drm.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void setup(void)
{
	setenv("AMDBARE_TEST_GFX11_PROFILE", "raven", 1);
	vgpu_rig_setup();
}

TestSuite(vgpu_gfx9_image, .init = setup, .fini = vgpu_rig_teardown);

/* A gfx9 T# (SQ_IMG_RSRC_WORD0..7 of gc_9_0_sh_mask.h): base (with an _X
 * mode's pipe/bank XOR in bits 15:8), DATA_FORMAT/NUM_FORMAT, level-0 size,
 * DST_SEL X Y Z W, LAST_LEVEL = levels - 1, SW_MODE, TYPE, DEPTH, PITCH
 * (the epitch), MAX_MIP = levels - 1. */
static void tsharp(uint32_t *d, uint64_t va, unsigned dfmt, unsigned nfmt, uint32_t w, uint32_t h,
		   unsigned levels, unsigned sw_mode, unsigned type, uint32_t depth, uint32_t epitch)
{
	memset(d, 0, 32);
	d[0] = (uint32_t)(va >> 8);
	d[1] = ((uint32_t)(va >> 40) & 0xffu) | dfmt << 20 | nfmt << 26;
	d[2] = (w - 1) | (h - 1) << 14;
	d[3] = (4u | 5u << 3 | 6u << 6 | 7u << 9) | (levels - 1) << 16 | sw_mode << 20 | type << 28;
	d[4] = depth | epitch << 13;
	d[5] = (levels - 1) << 28;
}

/* dispatch one wave64 of `code` with `out` (T# at its start) */
static void run(const uint32_t *code, size_t n, struct rig_buf *out)
{
	struct rig_buf *prog = vgpu_rig_program(code, n);
	cr_assert_eq(vgpu_rig_dispatch(vgpu_rig_ctx_new(), prog, 1, 64, 0, true, out), 0);
}

/* a 64 KiB-aligned address inside a 256 KiB buffer */
static uint64_t aligned64k(const struct rig_buf *b, uint8_t **cpu)
{
	uint64_t va = (b->va + 0xffffu) & ~(uint64_t)0xffffu;
	*cpu = (uint8_t *)b->cpu + (va - b->va);
	return va;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* SW_64KB_S_X (25), 64 x 32 texels of 32_UINT (DATA_FORMAT 4, NUM_FORMAT
 * 4), one level, pipe/bank XOR 3 in the base: lane l stores 1000 + l at
 * ((5 l) & 63, (7 l) & 31) and loads it back.  PITCH 127: addrlib pads the
 * pitch to the 128-texel block.  off[l]: addrlib's byte offset of the
 * texel from the 64 KiB-aligned base (pipeBankXor 3). */
static const uint32_t off_64kb_s_x[64] = {
	0x00300, 0x003f4, 0x00068, 0x007dc, 0x00dc0, 0x00834, 0x009a8, 0x0251c,
	0x02600, 0x026f4, 0x02a68, 0x02bdc, 0x02ec0, 0x00434, 0x003a8, 0x0001c,
	0x00c00, 0x00cf4, 0x00f68, 0x008dc, 0x022c0, 0x02734, 0x026a8, 0x02a1c,
	0x02900, 0x029f4, 0x00568, 0x004dc, 0x001c0, 0x00b34, 0x00ca8, 0x00f1c,
	0x02300, 0x023f4, 0x02068, 0x027dc, 0x02dc0, 0x02834, 0x029a8, 0x0051c,
	0x00600, 0x006f4, 0x00a68, 0x00bdc, 0x00ec0, 0x02434, 0x023a8, 0x0201c,
	0x02c00, 0x02cf4, 0x02f68, 0x028dc, 0x002c0, 0x00734, 0x006a8, 0x00a1c,
	0x00900, 0x009f4, 0x02568, 0x024dc, 0x021c0, 0x02b34, 0x02ca8, 0x02f1c,
};

Test(vgpu_gfx9_image, tiled_64kb_s_x_store_load)
{
	static const uint32_t code[] = {
		0xc00e0100, 0x00000000, /* s_load_dwordx8 s[4:11], s[0:1], 0x0 */
		0x10020085,             /* v_mul_u32_u24_e32 v1, 5, v0 */
		0x260202bf,             /* v_and_b32_e32 v1, 63, v1 */
		0x10040087,             /* v_mul_u32_u24_e32 v2, 7, v0 */
		0x2604049f,             /* v_and_b32_e32 v2, 31, v2 */
		0x680600ff, 0x000003e8, /* v_add_u32_e32 v3, 0x3e8, v0 */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		0xf0201100, 0x00010301, /* image_store v3, v[1:2], s[4:11] dmask:0x1 unorm */
		0xbf8c0f70,             /* s_waitcnt vmcnt(0) */
		0xf0003100, 0x00010401, /* image_load v4, v[1:2], s[4:11] dmask:0x1 unorm glc */
		0xbf8c0f70,             /* s_waitcnt vmcnt(0) */
		0x240a0082,             /* v_lshlrev_b32_e32 v5, 2, v0 */
		0xdc708100, 0x00000405, /* global_store_dword v5, v4, s[0:1] offset:256 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096), *img = vgpu_rig_buf_new(256 << 10);
	uint8_t *m;
	uint64_t va = aligned64k(img, &m);
	tsharp(out->cpu, va + 0x300, 4, 4, 64, 32, 1, 25, 9, 0, 127);
	run(code, sizeof(code) / 4, out);
	const uint32_t *o = (const uint32_t *)out->cpu + 64;
	for (unsigned l = 0; l < 64; l++) {
		cr_expect_eq(rd32(m + off_64kb_s_x[l]), 1000 + l, "lane %u at 0x%x", l, off_64kb_s_x[l]);
		cr_expect_eq(o[l], 1000 + l, "lane %u loads back", l);
	}
}

/* SW_4KB_D_X (22), 40 x 24 texels of 8_8_8_8 UINT (DATA_FORMAT 10,
 * NUM_FORMAT 4), four levels (40x24, 20x12, 10x6, 5x3): lane l < 32
 * stores l + 1 into the R byte of texel ((l >> 2) & 3, (l >> 4) & 3) of
 * level l & 3 with image_store_mip and loads it back with image_load_mip.
 * PITCH 63 is addrlib's epitch of the chain. */
static const uint32_t off_4kb_d_x_mips[32] = {
	0x00000, 0x02000, 0x03800, 0x03600, 0x00004, 0x02004, 0x03804, 0x03604,
	0x00008, 0x02008, 0x03808, 0x03608, 0x0000c, 0x0200c, 0x0380c, 0x0360c,
	0x00010, 0x02010, 0x03810, 0x03610, 0x00014, 0x02014, 0x03814, 0x03614,
	0x00018, 0x02018, 0x03818, 0x03618, 0x0001c, 0x0201c, 0x0381c, 0x0361c,
};

Test(vgpu_gfx9_image, tiled_4kb_d_x_mip_chain)
{
	static const uint32_t code[] = {
		0xbeff0080,             /* s_mov_b32 exec_hi, 0 */
		0xc00e0100, 0x00000000, /* s_load_dwordx8 s[4:11], s[0:1], 0x0 */
		0x20020082,             /* v_lshrrev_b32_e32 v1, 2, v0 */
		0x26020283,             /* v_and_b32_e32 v1, 3, v1 */
		0x20040084,             /* v_lshrrev_b32_e32 v2, 4, v0 */
		0x26040483,             /* v_and_b32_e32 v2, 3, v2 */
		0x26060083,             /* v_and_b32_e32 v3, 3, v0 */
		0x68080081,             /* v_add_u32_e32 v4, 1, v0 */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		0xf0241100, 0x00010401, /* image_store_mip v4, v[1:3], s[4:11] dmask:0x1 unorm */
		0xbf8c0f70,             /* s_waitcnt vmcnt(0) */
		0xf0043100, 0x00010501, /* image_load_mip v5, v[1:3], s[4:11] dmask:0x1 unorm glc */
		0xbf8c0f70,             /* s_waitcnt vmcnt(0) */
		0x240c0082,             /* v_lshlrev_b32_e32 v6, 2, v0 */
		0xdc708100, 0x00000506, /* global_store_dword v6, v5, s[0:1] offset:256 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096), *img = vgpu_rig_buf_new(256 << 10);
	uint8_t *m;
	uint64_t va = aligned64k(img, &m);
	tsharp(out->cpu, va, 10, 4, 40, 24, 4, 22, 9, 0, 63);
	run(code, sizeof(code) / 4, out);
	const uint32_t *o = (const uint32_t *)out->cpu + 64;
	for (unsigned l = 0; l < 32; l++) {
		cr_expect_eq(rd32(m + off_4kb_d_x_mips[l]), l + 1, "lane %u at 0x%x", l,
			     off_4kb_d_x_mips[l]);
		cr_expect_eq(o[l], l + 1, "lane %u loads back", l);
	}
}

/* A 3D image in SW_64KB_S (9: thick on gfx9, blocks of several slices),
 * 16 x 8 x 4 texels of 32_UINT, one level (TYPE 3D, DEPTH 3): lane l
 * stores 1000 + l at (l & 15, (l >> 4) * 2 + (l & 1), (l >> 2) & 3). */
static const uint32_t off_3d_64kb_s[64] = {
	0x00000, 0x00014, 0x00008, 0x0001c, 0x00240, 0x00254, 0x00248, 0x0025c,
	0x01080, 0x01094, 0x01088, 0x0109c, 0x012c0, 0x012d4, 0x012c8, 0x012dc,
	0x00020, 0x00034, 0x00028, 0x0003c, 0x00260, 0x00274, 0x00268, 0x0027c,
	0x010a0, 0x010b4, 0x010a8, 0x010bc, 0x012e0, 0x012f4, 0x012e8, 0x012fc,
	0x00100, 0x00114, 0x00108, 0x0011c, 0x00340, 0x00354, 0x00348, 0x0035c,
	0x01180, 0x01194, 0x01188, 0x0119c, 0x013c0, 0x013d4, 0x013c8, 0x013dc,
	0x00120, 0x00134, 0x00128, 0x0013c, 0x00360, 0x00374, 0x00368, 0x0037c,
	0x011a0, 0x011b4, 0x011a8, 0x011bc, 0x013e0, 0x013f4, 0x013e8, 0x013fc,
};

Test(vgpu_gfx9_image, thick_3d_64kb_s)
{
	static const uint32_t code[] = {
		0xc00e0100, 0x00000000, /* s_load_dwordx8 s[4:11], s[0:1], 0x0 */
		0x2602008f,             /* v_and_b32_e32 v1, 15, v0 */
		0x20040084,             /* v_lshrrev_b32_e32 v2, 4, v0 */
		0x24040481,             /* v_lshlrev_b32_e32 v2, 1, v2 */
		0x260e0081,             /* v_and_b32_e32 v7, 1, v0 */
		0x28040f02,             /* v_or_b32_e32 v2, v2, v7 */
		0x20060082,             /* v_lshrrev_b32_e32 v3, 2, v0 */
		0x26060683,             /* v_and_b32_e32 v3, 3, v3 */
		0x680800ff, 0x000003e8, /* v_add_u32_e32 v4, 0x3e8, v0 */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		0xf0201100, 0x00010401, /* image_store v4, v[1:3], s[4:11] dmask:0x1 unorm */
		0xbf8c0f70,             /* s_waitcnt vmcnt(0) */
		0xf0003100, 0x00010501, /* image_load v5, v[1:3], s[4:11] dmask:0x1 unorm glc */
		0xbf8c0f70,             /* s_waitcnt vmcnt(0) */
		0x240c0082,             /* v_lshlrev_b32_e32 v6, 2, v0 */
		0xdc708100, 0x00000506, /* global_store_dword v6, v5, s[0:1] offset:256 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096), *img = vgpu_rig_buf_new(256 << 10);
	uint8_t *m;
	uint64_t va = aligned64k(img, &m);
	tsharp(out->cpu, va, 4, 4, 16, 8, 1, 9, 10, 3, 31);
	run(code, sizeof(code) / 4, out);
	const uint32_t *o = (const uint32_t *)out->cpu + 64;
	for (unsigned l = 0; l < 64; l++) {
		cr_expect_eq(rd32(m + off_3d_64kb_s[l]), 1000 + l, "lane %u at 0x%x", l, off_3d_64kb_s[l]);
		cr_expect_eq(o[l], 1000 + l, "lane %u loads back", l);
	}
}

/* A linear 20 x 6 32_UINT image with two levels (Gfx9Lib::
 * ComputeSurfaceLinearPadding: both levels with level 0's 256-byte pitch
 * of 64 texels, level 1 (10 x 3) under level 0's 6 rows; PITCH = the
 * chain's 9 rows - 1): lane l < 32 stores 1000 + l at (l & 7, (l >> 3) &
 * 3) of level 1, at byte ((6 + y) * 64 + x) * 4; y = 3 is outside level 1
 * and dropped.  image_get_resinfo at lod 1: 10 x 3. */
Test(vgpu_gfx9_image, linear_mip_chain_and_resinfo)
{
	static const uint32_t code[] = {
		0xbeff0080,             /* s_mov_b32 exec_hi, 0 */
		0xc00e0100, 0x00000000, /* s_load_dwordx8 s[4:11], s[0:1], 0x0 */
		0x26020087,             /* v_and_b32_e32 v1, 7, v0 */
		0x20040083,             /* v_lshrrev_b32_e32 v2, 3, v0 */
		0x26040483,             /* v_and_b32_e32 v2, 3, v2 */
		0x7e060281,             /* v_mov_b32_e32 v3, 1 */
		0x680800ff, 0x000003e8, /* v_add_u32_e32 v4, 0x3e8, v0 */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		0xf0241100, 0x00010401, /* image_store_mip v4, v[1:3], s[4:11] dmask:0x1 unorm */
		0xf0381300, 0x00010503, /* image_get_resinfo v[5:6], v3, s[4:11] dmask:0x3 unorm */
		0xbf8c0f70,             /* s_waitcnt vmcnt(0) */
		0x240e0083,             /* v_lshlrev_b32_e32 v7, 3, v0 */
		0xdc748100, 0x00000507, /* global_store_dwordx2 v7, v[5:6], s[0:1] offset:256 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096), *img = vgpu_rig_buf_new(16384);
	memset(img->cpu, 0, 16384);
	tsharp(out->cpu, img->va, 4, 4, 20, 6, 2, 0, 9, 0, 8);
	run(code, sizeof(code) / 4, out);
	const uint32_t *m = img->cpu, *o = (const uint32_t *)out->cpu + 64;
	for (unsigned l = 0; l < 32; l++) {
		unsigned x = l & 7, y = (l >> 3) & 3;
		if (y < 3)
			cr_expect_eq(m[(6 + y) * 64 + x], 1000 + l, "lane %u", l);
		else
			cr_expect_eq(m[(6 + y) * 64 + x], 0, "lane %u outside level 1: dropped", l);
		cr_expect_eq(o[2 * l], 10, "resinfo width, lane %u", l);
		cr_expect_eq(o[2 * l + 1], 3, "resinfo height, lane %u", l);
	}
}

/* A 2D array as RADV makes one on raven (SW_4KB_D_X, the mode RADV picks
 * for its storage images there): 32 x 32 x 3 layers of 32_UINT, TYPE
 * 2D_ARRAY, DEPTH 2.  Lane l stores 1000 + l at ((5 l) & 31, (3 l) & 31,
 * layer l >> 5) with da, then image_atomic_add 1 (glc: the old value
 * back).  A second T# with BASE_ARRAY 2 is read without da: the texel of
 * layer 2 (prefilled with 5000 + (l & 31)).  The non-PRT _X modes XOR the
 * slice into the pipe bits (addrlib: layer 1 starts at 0x1200, not
 * 0x1000).  off_layer[l]: addrlib's offsets of the stored texels,
 * off_layer2[l & 31]: of layer 2's. */
static const uint32_t off_layer[64] = {
	0x00000, 0x00074, 0x002c8, 0x0033c, 0x008a0, 0x00ad4, 0x00d68, 0x0069c,
	0x00500, 0x00574, 0x00ec8, 0x0093c, 0x00ba0, 0x000d4, 0x00168, 0x0039c,
	0x00f00, 0x00f74, 0x00dc8, 0x00c3c, 0x007a0, 0x005d4, 0x00268, 0x0099c,
	0x00a00, 0x00a74, 0x001c8, 0x0063c, 0x004a0, 0x00fd4, 0x00e68, 0x00c9c,
	0x01200, 0x01274, 0x010c8, 0x0113c, 0x01aa0, 0x018d4, 0x01f68, 0x0149c,
	0x01700, 0x01774, 0x01cc8, 0x01b3c, 0x019a0, 0x012d4, 0x01368, 0x0119c,
	0x01d00, 0x01d74, 0x01fc8, 0x01e3c, 0x015a0, 0x017d4, 0x01068, 0x01b9c,
	0x01800, 0x01874, 0x013c8, 0x0143c, 0x016a0, 0x01dd4, 0x01c68, 0x01e9c,
};
static const uint32_t off_layer2[32] = {
	0x02100, 0x02174, 0x023c8, 0x0223c, 0x029a0, 0x02bd4, 0x02c68, 0x0279c,
	0x02400, 0x02474, 0x02fc8, 0x0283c, 0x02aa0, 0x021d4, 0x02068, 0x0229c,
	0x02e00, 0x02e74, 0x02cc8, 0x02d3c, 0x026a0, 0x024d4, 0x02368, 0x0289c,
	0x02b00, 0x02b74, 0x020c8, 0x0273c, 0x025a0, 0x02ed4, 0x02f68, 0x02d9c,
};

Test(vgpu_gfx9_image, array_da_atomic_and_base_array)
{
	static const uint32_t code[] = {
		0xc0120100, 0x00000000, /* s_load_dwordx16 s[4:19], s[0:1], 0x0 */
		0x10020085,             /* v_mul_u32_u24_e32 v1, 5, v0 */
		0x2602029f,             /* v_and_b32_e32 v1, 31, v1 */
		0x10040083,             /* v_mul_u32_u24_e32 v2, 3, v0 */
		0x2604049f,             /* v_and_b32_e32 v2, 31, v2 */
		0x20060085,             /* v_lshrrev_b32_e32 v3, 5, v0 */
		0x680800ff, 0x000003e8, /* v_add_u32_e32 v4, 0x3e8, v0 */
		0x7e0a0281,             /* v_mov_b32_e32 v5, 1 */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		0xf0205100, 0x00010401, /* image_store v4, v[1:3], s[4:11] dmask:0x1 unorm da */
		0xbf8c0f70,             /* s_waitcnt vmcnt(0) */
		0xf0487100, 0x00010501, /* image_atomic_add v5, v[1:3], s[4:11] dmask:0x1 unorm glc da */
		0xbf8c0f70,             /* s_waitcnt vmcnt(0) */
		0xf0003100, 0x00030601, /* image_load v6, v[1:2], s[12:19] dmask:0x1 unorm glc */
		0xbf8c0f70,             /* s_waitcnt vmcnt(0) */
		0x240e0083,             /* v_lshlrev_b32_e32 v7, 3, v0 */
		0xdc748100, 0x00000507, /* global_store_dwordx2 v7, v[5:6], s[0:1] offset:256 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096), *img = vgpu_rig_buf_new(256 << 10);
	uint8_t *m;
	uint64_t va = aligned64k(img, &m);
	uint32_t *t = out->cpu;
	tsharp(&t[0], va, 4, 4, 32, 32, 1, 22, 13, 2, 31);
	tsharp(&t[8], va, 4, 4, 32, 32, 1, 22, 13, 2, 31);
	t[13] |= 2;                             /* BASE_ARRAY 2 */
	for (unsigned l = 0; l < 32; l++) {
		uint32_t v = 5000 + l;
		memcpy(m + off_layer2[l], &v, 4);
	}
	run(code, sizeof(code) / 4, out);
	const uint32_t *o = (const uint32_t *)out->cpu + 64;
	for (unsigned l = 0; l < 64; l++) {
		cr_expect_eq(rd32(m + off_layer[l]), 1001 + l, "lane %u at 0x%x", l, off_layer[l]);
		cr_expect_eq(o[2 * l], 1000 + l, "lane %u: the atomic's old value", l);
		cr_expect_eq(o[2 * l + 1], 5000 + (l & 31), "lane %u: layer BASE_ARRAY without da", l);
	}
}

/* d16 on a linear 16 x 4 16_16 UINT image (DATA_FORMAT 5, NUM_FORMAT 4;
 * PITCH 63: 64 texels of 4 bytes in a 256-byte row): lane l stores R =
 * 0x7000 | l, G = l from one VGPR (dmask 0x3, d16: two 16-bit components
 * a VGPR) at (l & 15, l >> 4), and loads all four channels back packed
 * (B missing: 0, A missing: 1). */
Test(vgpu_gfx9_image, d16_linear)
{
	static const uint32_t code[] = {
		0xc00e0100, 0x00000000, /* s_load_dwordx8 s[4:11], s[0:1], 0x0 */
		0x2602008f,             /* v_and_b32_e32 v1, 15, v0 */
		0x20040084,             /* v_lshrrev_b32_e32 v2, 4, v0 */
		0x24060090,             /* v_lshlrev_b32_e32 v3, 16, v0 */
		0x280606ff, 0x00007000, /* v_or_b32_e32 v3, 0x7000, v3 */
		0x28060103,             /* v_or_b32_e32 v3, v3, v0 */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		0xf0201300, 0x80010301, /* image_store v3, v[1:2], s[4:11] dmask:0x3 unorm d16 */
		0xbf8c0f70,             /* s_waitcnt vmcnt(0) */
		0xf0003f00, 0x80010401, /* image_load v[4:5], v[1:2], s[4:11] dmask:0xf unorm glc d16 */
		0xbf8c0f70,             /* s_waitcnt vmcnt(0) */
		0x240c0083,             /* v_lshlrev_b32_e32 v6, 3, v0 */
		0xdc748100, 0x00000406, /* global_store_dwordx2 v6, v[4:5], s[0:1] offset:256 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096), *img = vgpu_rig_buf_new(4096);
	memset(img->cpu, 0, 4096);
	tsharp(out->cpu, img->va, 5, 4, 16, 4, 1, 0, 9, 0, 63);
	run(code, sizeof(code) / 4, out);
	const uint32_t *m = img->cpu, *o = (const uint32_t *)out->cpu + 64;
	for (unsigned l = 0; l < 64; l++) {
		uint32_t want = (0x7000u | l) | l << 16;
		cr_expect_eq(m[(l >> 4) * 64 + (l & 15)], want, "lane %u in memory", l);
		cr_expect_eq(o[2 * l], want, "lane %u: R, G", l);
		cr_expect_eq(o[2 * l + 1], 0x00010000u, "lane %u: B 0, A 1", l);
	}
}

static void expect_fault(const uint32_t *code, size_t n, const uint32_t tsh[8])
{
	struct rig_buf *prog = vgpu_rig_program(code, n);
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	memcpy(out->cpu, tsh, 32);
	uint32_t ctx = vgpu_rig_ctx_new();
	cr_assert_eq(vgpu_rig_dispatch(ctx, prog, 1, 64, 0, true, out), -ECANCELED);
	cr_assert(vgpu_rig_ctx_flags(ctx) & AMDGPU_CTX_QUERY2_FLAGS_GUILTY);
}

/* What is not modelled faults: COMPRESSION_EN (DCC metadata), an MSAA
 * TYPE (14), DATA_FORMAT 16 (5_6_5), a tiled mip chain whose PITCH is not
 * addrlib's epitch. */
Test(vgpu_gfx9_image, unmodelled_descriptors_fault)
{
	static const uint32_t code[] = {
		0xc00e0100, 0x00000000, /* s_load_dwordx8 s[4:11], s[0:1], 0x0 */
		0x7e020280,             /* v_mov_b32_e32 v1, 0 */
		0x7e040280,             /* v_mov_b32_e32 v2, 0 */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		0xf0003100, 0x00010401, /* image_load v4, v[1:2], s[4:11] dmask:0x1 unorm glc */
		0xbf8c0f70,             /* s_waitcnt vmcnt(0) */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *img = vgpu_rig_buf_new(256 << 10);
	uint8_t *m;
	uint64_t va = aligned64k(img, &m);
	uint32_t t[8];
	tsharp(t, va, 4, 4, 64, 32, 1, 25, 9, 0, 127);
	t[6] |= 1u << 21;
	expect_fault(code, sizeof(code) / 4, t);
	tsharp(t, va, 4, 4, 64, 32, 1, 25, 14, 0, 127);
	expect_fault(code, sizeof(code) / 4, t);
	tsharp(t, va, 16, 0, 64, 32, 1, 25, 9, 0, 127);
	expect_fault(code, sizeof(code) / 4, t);
	tsharp(t, va, 10, 4, 40, 24, 4, 22, 9, 0, 62);
	expect_fault(code, sizeof(code) / 4, t);
}

/* On a valid T#: tfe and sampling (image_sample) fault. */
Test(vgpu_gfx9_image, tfe_and_sampling_fault)
{
	static const uint32_t tfe[] = {
		0xc00e0100, 0x00000000, /* s_load_dwordx8 s[4:11], s[0:1], 0x0 */
		0x7e020280,             /* v_mov_b32_e32 v1, 0 */
		0x7e040280,             /* v_mov_b32_e32 v2, 0 */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		0xf0011100, 0x00010401, /* image_load v[4:5], v[1:2], s[4:11] dmask:0x1 unorm tfe */
		0xbf8c0f70,             /* s_waitcnt vmcnt(0) */
		0xbf810000,             /* s_endpgm */
	};
	static const uint32_t sample[] = {
		0xc00e0100, 0x00000000, /* s_load_dwordx8 s[4:11], s[0:1], 0x0 */
		0x7e020280,             /* v_mov_b32_e32 v1, 0 */
		0x7e040280,             /* v_mov_b32_e32 v2, 0 */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		0xf0800100, 0x00610401, /* image_sample v4, v[1:2], s[4:11], s[12:15] dmask:0x1 */
		0xbf8c0f70,             /* s_waitcnt vmcnt(0) */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *img = vgpu_rig_buf_new(256 << 10);
	uint8_t *m;
	uint64_t va = aligned64k(img, &m);
	uint32_t t[8];
	tsharp(t, va, 4, 4, 64, 32, 1, 25, 9, 0, 127);
	expect_fault(tfe, sizeof(tfe) / 4, t);
	expect_fault(sample, sizeof(sample) / 4, t);
}

/* mi50 (gfx906, GC 9.4.0, GB_ADDR_CONFIG 0x22014042: 16 banks, where
 * raven and cezanne have none, so the _X modes also fold bank bits): a
 * 200 x 150 x 8 layer 2D array of 32_UINT in SW_4KB_D_X (PITCH 223: the
 * pitch padded to the 32-texel block), lane l storing 1000 + l at
 * ((37 l) & 127, (53 l) & 127, layer l >> 3) with da and loading it back.
 * 48 of these 64 offsets differ from raven's. */
static void setup_mi50(void)
{
	setenv("AMDBARE_TEST_GFX11_PROFILE", "mi50", 1);
	vgpu_rig_setup();
}

TestSuite(vgpu_gfx9_image_mi50, .init = setup_mi50, .fini = vgpu_rig_teardown);

static const uint32_t off_mi50_array[64] = {
	0x000000, 0x008ab4, 0x017b48, 0x0031fc, 0x00efa0, 0x001e14, 0x0094e8, 0x015e5c,
	0x02bd00, 0x0337b4, 0x026948, 0x031bfc, 0x0392a0, 0x02d814, 0x038ae8, 0x02435c,
	0x056e00, 0x049cb4, 0x04d548, 0x05c7fc, 0x050da0, 0x054414, 0x0476e8, 0x05685c,
	0x081300, 0x0701b4, 0x080b48, 0x06c1fc, 0x0770a0, 0x06ae14, 0x0724e8, 0x08155c,
	0x094400, 0x09ceb4, 0x08ff48, 0x0935fc, 0x0a2ba0, 0x095a14, 0x09d0e8, 0x08da5c,
	0x0bf900, 0x0c73b4, 0x0b6d48, 0x0c5ffc, 0x0b16a0, 0x0bdc14, 0x0b0ee8, 0x0b875c,
	0x0eaa00, 0x0d98b4, 0x0e1148, 0x0d43fc, 0x0e09a0, 0x0e8014, 0x0db2e8, 0x0eac5c,
	0x0f5700, 0x1045b4, 0x0f8f48, 0x0fc5fc, 0x10b4a0, 0x0fea14, 0x1060e8, 0x0f515c,
};

Test(vgpu_gfx9_image_mi50, array_4kb_d_x_banks)
{
	static const uint32_t code[] = {
		0xc00e0100, 0x00000000, /* s_load_dwordx8 s[4:11], s[0:1], 0x0 */
		0x100200a5,             /* v_mul_u32_u24_e32 v1, 37, v0 */
		0x260202ff, 0x0000007f, /* v_and_b32_e32 v1, 0x7f, v1 */
		0x100400b5,             /* v_mul_u32_u24_e32 v2, 53, v0 */
		0x260404ff, 0x0000007f, /* v_and_b32_e32 v2, 0x7f, v2 */
		0x20060083,             /* v_lshrrev_b32_e32 v3, 3, v0 */
		0x680800ff, 0x000003e8, /* v_add_u32_e32 v4, 0x3e8, v0 */
		0xbf8cc07f,             /* s_waitcnt lgkmcnt(0) */
		0xf0205100, 0x00010401, /* image_store v4, v[1:3], s[4:11] dmask:0x1 unorm da */
		0xbf8c0f70,             /* s_waitcnt vmcnt(0) */
		0xf0007100, 0x00010501, /* image_load v5, v[1:3], s[4:11] dmask:0x1 unorm glc da */
		0xbf8c0f70,             /* s_waitcnt vmcnt(0) */
		0x240c0082,             /* v_lshlrev_b32_e32 v6, 2, v0 */
		0xdc708100, 0x00000506, /* global_store_dword v6, v5, s[0:1] offset:256 */
		0xbf810000,             /* s_endpgm */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096), *img = vgpu_rig_buf_new(2u << 20);
	uint8_t *m;
	uint64_t va = aligned64k(img, &m);
	tsharp(out->cpu, va, 4, 4, 200, 150, 1, 22, 13, 7, 223);
	run(code, sizeof(code) / 4, out);
	const uint32_t *o = (const uint32_t *)out->cpu + 64;
	for (unsigned l = 0; l < 64; l++) {
		cr_expect_eq(rd32(m + off_mi50_array[l]), 1000 + l, "lane %u at 0x%x", l,
			     off_mi50_array[l]);
		cr_expect_eq(o[l], 1000 + l, "lane %u loads back", l);
	}
}
