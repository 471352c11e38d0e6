/*
 * image_msaa_load on the vgpu (shader/mimg.c image_msaa_load): what
 * llc-19 emits for the same LLVM IR on a part whose loads LLVM merges into
 * image_msaa_load (gfx1150: AMDGPUImageIntrinsicOptimizer) and on one
 * where it does not (gfx1103: MSAALoadDstSelBug, separate image_load per
 * sample) must read the same samples (tests/shader/msaa_load.ll); the
 * d16 form likewise.  On the 780m (GC 11.0, the DstSel bug) the merged
 * code runs only with an identity DST_SEL; the undefined forms fault.
 * Only the vgpu has run this.
 */
#include "vgpu_rig.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <amdgpu.h>
#include <amdgpu_drm.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* tests/shader/msaa_load.ll, llc-19 (see its header) */
static const uint32_t store8[] = {
	0xf40c0000, 0xf8000000, 0x300c0083, 0xca100080, 0x12040082, 0x36200087,
	0x32220083, 0xbf870004, 0x4a140cff, 0x000003e8, 0xca100081, 0x04060084,
	0xca200085, 0x080a0cff, 0x000003e9, 0xca200087, 0x010c0cff, 0x000003ea,
	0xca200083, 0x020c0cff, 0x000003eb, 0x4a1c0cff, 0x000003ec, 0x4a1e0cff,
	0x000003ed, 0x4a060cff, 0x000003ee, 0xbf89fc07, 0xbf850002, 0xf0180198,
	0x00000a10, 0xf0180199, 0x00000b10, 0x00000411, 0xf0180199, 0x00000c10,
	0x00000511, 0xca200086, 0x12040cff, 0x000003ef, 0xbf850004, 0xf0180199,
	0x00000d10, 0x00000211, 0xf0180199, 0x00000e10, 0x00000711, 0xf0180199,
	0x00000f10, 0x00000811, 0xf0180198, 0x00000310, 0xf0180199, 0x00000510,
	0x00000111, 0xbf800000, 0xbfb60003, 0xbfb00000,
};
static const uint32_t store2[] = {
	0xf40c0000, 0xf8000000, 0xca220080, 0x08000083, 0xca240081, 0x03060087,
	0x320e0083, 0xbf870003, 0x4a0a02ff, 0x000003e8, 0x4a0202ff, 0x000003e9,
	0xbf89fc07, 0xbf850001, 0xf0180198, 0x00000506, 0xf0180199, 0x00000106,
	0x00000307, 0xbf800000, 0xbfb60003, 0xbfb00000,
};
static const uint32_t store4f[] = {
	0xf40c0000, 0xf8000000, 0xca220083, 0x01020083, 0xca100080, 0x0c040082,
	0x36140087, 0x32160083, 0xbf870004, 0x380e0481, 0x38100482, 0x38120483,
	0x7e040d02, 0x7e080281, 0x7e0e0d07, 0x7e100d08, 0x7e120d09, 0xbf89fc07,
	0xbf850003, 0xf0180198, 0x0000020a, 0xf0180199, 0x0000070a, 0x0000040b,
	0xf0180199, 0x0000080a, 0x0000050b, 0xf0180199, 0x0000090a, 0x0000010b,
	0xbf800000, 0xbfb60003, 0xbfb00000,
};
static const uint32_t load8_gfx1150[] = {
	0xf40c0100, 0xf8000000, 0x7e020280, 0x360a0087, 0x320c0083, 0xca220084,
	0x07000083, 0xbf89fc07, 0xbf850001, 0xf0600199, 0x00010105, 0x00000106,
	0xf0600198, 0x00010505, 0x4a1200c0, 0x4a1600ff, 0x00000044, 0xbf870112,
	0x3414129f, 0x3418169f, 0xbf870112, 0xd73c0009, 0x00021282, 0xd73c000b,
	0x00021682, 0xbf870192, 0xd7006a09, 0x00021200, 0x40141401, 0xbf870213,
	0xd7006a0b, 0x00021600, 0x40181801, 0xbf8907f7, 0xdc760000, 0x007c0109,
	0xbf8903f7, 0xdc760000, 0x007c050b, 0xbf800000, 0xbfb60003, 0xbfb00000,
};
static const uint32_t load8_gfx1103[] = {
	0xf40c0100, 0xf8000000, 0xca100083, 0x040a0081, 0xca240085, 0x06080087,
	0x32140083, 0xca220082, 0x03000083, 0xca100084, 0x05080087, 0x7e020280,
	0x7e0e0286, 0xbf89fc07, 0xbf850007, 0xf0000198, 0x00010209, 0xf0000199,
	0x00010309, 0x0000030a, 0xf0000199, 0x00010509, 0x0000050a, 0xf0000199,
	0x00010609, 0x0000060a, 0xf0000199, 0x00010709, 0x0000070a, 0xf0000199,
	0x00010109, 0x0000010a, 0xf0000199, 0x00010409, 0x0000040a, 0xf0000199,
	0x00010809, 0x0000080a, 0x4a1200c0, 0x4a1600ff, 0x00000044, 0xbf870112,
	0x3414129f, 0x3418169f, 0xbf870112, 0xd73c0009, 0x00021282, 0xd73c000b,
	0x00021682, 0xbf870192, 0xd7006a09, 0x00021200, 0x40141401, 0xbf870213,
	0xd7006a0b, 0x00021600, 0x40181801, 0xbf8907f7, 0xdc760000, 0x007c0109,
	0xbf8903f7, 0xdc760000, 0x007c050b, 0xbf800000, 0xbfb60003, 0xbfb00000,
};
static const uint32_t load2_gfx1150[] = {
	0xf40c0100, 0xf8000000, 0x36020087, 0x32040083, 0x7e060280, 0xbf89fc07,
	0xf0600198, 0x00010101, 0xbf8903f7, 0xd6460003, 0x03010700, 0xbf870091,
	0x3408069f, 0xd73c0003, 0x00020682, 0xbf870111, 0xd7006a03, 0x00020600,
	0x40080801, 0xdc6e0000, 0x007c0103, 0xbf800000, 0xbfb60003, 0xbfb00000,
};
static const uint32_t load2_gfx1103[] = {
	0xf40c0100, 0xf8000000, 0xca240080, 0x01020087, 0x32060083, 0x7e080281,
	0xbf89fc07, 0xbf850001, 0xf0000199, 0x00010102, 0x00000103, 0xf0000198,
	0x00010202, 0xd6460003, 0x03010700, 0xbf870091, 0x3408069f, 0xd73c0003,
	0x00020682, 0xbf870111, 0xd7006a03, 0x00020600, 0x40080801, 0xbf8903f7,
	0xdc6e0000, 0x007c0103, 0xbf800000, 0xbfb60003, 0xbfb00000,
};
static const uint32_t load4h_gfx1150[] = {
	0xf40c0100, 0xf8000000, 0x7e060280, 0x36020087, 0x32040083, 0xbf89fc07,
	0xf0620198, 0x00010101, 0xd6460003, 0x03010700, 0xbf870091, 0x3408069f,
	0xd73c0004, 0x00020682, 0xbf870111, 0xd7006a04, 0x00020800, 0x400a0a01,
	0xbf8903f7, 0x320c0290, 0x320e0490, 0x7e001701, 0x7e041702, 0xbf870214,
	0x7e021706, 0x7e061707, 0xdc760000, 0x007c0004, 0xbf800000, 0xbfb60003,
	0xbfb00000,
};
static const uint32_t load4h_gfx1103[] = {
	0xf40c0100, 0xf8000000, 0xca240080, 0x01020087, 0x32060083, 0xca100081,
	0x04040082, 0x7e0c0283, 0xd6460000, 0x03010700, 0xbf89fc07, 0xbf850003,
	0xf0020199, 0x00010702, 0x00000103, 0xf0020198, 0x00010802, 0xf0020199,
	0x00010902, 0x00000503, 0xf0020199, 0x00010302, 0x00000603, 0x3402009f,
	0xbf870091, 0xd73c0004, 0x00020082, 0xd7006a04, 0x00020800, 0xbf870002,
	0x400a0a01, 0xbf890ff7, 0x7e001707, 0xbf890bf7, 0x7e021708, 0xbf8907f7,
	0x7e041709, 0xbf8903f7, 0x7e061703, 0xdc760000, 0x007c0004, 0xbf800000,
	0xbfb60003, 0xbfb00000,
};

/* T# of an 8x8 2D MSAA image (TYPE 14, SW_MODE 24 SW_64KB_Z_X,
 * LAST_LEVEL = log2 samples, identity DST_SEL 0xfac) of FORMAT `fmt`
 * (gfx11 codes: 20 32_UINT, 22 32_FLOAT) at `va` (64 KiB aligned). */
static void tsharp(uint32_t *t, uint64_t va, unsigned fmt, unsigned log2s, unsigned dst_sel)
{
	memset(t, 0, 32);
	t[0] = (uint32_t)(va >> 8);
	t[1] = (uint32_t)(va >> 40) | fmt << 20 | 3u << 30;   /* WIDTH-1 = 7: bits 1:0 */
	t[2] = 1u | 7u << 14;                                  /* WIDTH-1 bits 13:2, HEIGHT-1 */
	t[3] = dst_sel | log2s << 16 | 24u << 20 | 14u << 28;
}

/* The buffer: the T# at 0, results from byte 256, the image at the first
 * 64 KiB boundary past 4 KiB. */
static struct rig_buf *image_buf(unsigned fmt, unsigned log2s, unsigned dst_sel)
{
	struct rig_buf *b = vgpu_rig_buf_new(0x30000);
	uint64_t img = (b->va + 0x1000 + 0xffff) & ~(uint64_t)0xffff;
	tsharp(b->cpu, img, fmt, log2s, dst_sel);
	return b;
}

static int run(uint32_t ctx, const uint32_t *words, size_t n, const struct rig_buf *b)
{
	vgpu_rig_set_vgpr_blocks(3); /* 32 VGPRs: llc's store8 uses v[0:18] */
	return vgpu_rig_dispatch(ctx, vgpu_rig_program(words, n), 1, 64, 0, false, b);
}

/* out[64 + 8 * tid + s] == 1000 + 8 * tid + s for s < n, 0 beyond */
static void expect_samples(const struct rig_buf *b, unsigned n, const char *what)
{
	const uint32_t *o = (const uint32_t *)b->cpu + 64;
	for (unsigned t = 0; t < 64; t++)
		for (unsigned s = 0; s < 8; s++) {
			uint32_t want = s < n ? 1000 + 8 * t + s : 0;
			cr_expect_eq(o[8 * t + s], want, "%s: texel %u sample %u: %u, want %u", what, t,
				     s, o[8 * t + s], want);
		}
}

static void clear_results(const struct rig_buf *b)
{
	memset((uint8_t *)b->cpu + 256, 0, 64 * 8 * 4);
}

TestSuite(vgpu_msaa_load_gc115, .init = vgpu_rig_setup_890m, .fini = vgpu_rig_teardown);
TestSuite(vgpu_msaa_load_gc110, .init = vgpu_rig_setup, .fini = vgpu_rig_teardown);

/* Stores every sample of a 2^log2s-sample image with `store`, then reads
 * them back with llc's gfx1150 code (image_msaa_load) and its gfx1103
 * code (one image_load per sample): both must give the stored values. */
static void merged_and_separate_agree(unsigned log2s, const uint32_t *store, size_t n_store,
				      const uint32_t *merged, size_t n_merged,
				      const uint32_t *separate, size_t n_separate)
{
	struct rig_buf *b = image_buf(20, log2s, 0xfac);
	uint32_t ctx = vgpu_rig_ctx_new();
	cr_assert_eq(run(ctx, store, n_store, b), 0);
	cr_assert_eq(run(ctx, merged, n_merged, b), 0);
	expect_samples(b, 1u << log2s, "image_msaa_load (gfx1150)");
	clear_results(b);
	cr_assert_eq(run(ctx, separate, n_separate, b), 0);
	expect_samples(b, 1u << log2s, "image_load per sample (gfx1103)");
}

Test(vgpu_msaa_load_gc115, merged_and_separate_loads_agree_on_8_samples)
{
	merged_and_separate_agree(3, store8, N(store8), load8_gfx1150, N(load8_gfx1150),
				  load8_gfx1103, N(load8_gfx1103));
}

/* A 2-sample image: LLVM merges the loads of samples 0 and 1 into one
 * image_msaa_load of fragment 0 and uses two of its four results. */
Test(vgpu_msaa_load_gc115, two_sample_image_uses_the_first_two)
{
	merged_and_separate_agree(1, store2, N(store2), load2_gfx1150, N(load2_gfx1150),
				  load2_gfx1103, N(load2_gfx1103));
}

/* d16: four halves in two VGPRs (image_msaa_load ... d16) against four
 * d16 image_load; the stored floats 8 * tid + s are exact in f16. */
Test(vgpu_msaa_load_gc115, d16_merged_and_separate_loads_agree)
{
	struct rig_buf *b = image_buf(22, 2, 0xfac);
	uint32_t ctx = vgpu_rig_ctx_new();
	cr_assert_eq(run(ctx, store4f, N(store4f), b), 0);
	const uint32_t *progs[] = { load4h_gfx1150, load4h_gfx1103 };
	const size_t lens[] = { N(load4h_gfx1150), N(load4h_gfx1103) };
	for (unsigned k = 0; k < 2; k++) {
		clear_results(b);
		cr_assert_eq(run(ctx, progs[k], lens[k], b), 0);
		const float *o = (const float *)b->cpu + 64;
		for (unsigned t = 0; t < 64; t++)
			for (unsigned s = 0; s < 4; s++)
				cr_expect_eq(o[8 * t + s], (float)(8 * t + s), "%s: texel %u sample %u: %g",
					     k ? "gfx1103" : "gfx1150", t, s, (double)o[8 * t + s]);
	}
}

/* GC 11.0 (780m): the merged code runs where DST_SEL is the identity,
 * and faults where the DstSel bug would make the result differ. */
Test(vgpu_msaa_load_gc110, identity_dst_sel_runs_swizzled_faults)
{
	struct rig_buf *b = image_buf(20, 3, 0xfac);
	uint32_t ctx = vgpu_rig_ctx_new();
	cr_assert_eq(run(ctx, store8, N(store8), b), 0);
	cr_assert_eq(run(ctx, load8_gfx1150, N(load8_gfx1150), b), 0);
	expect_samples(b, 8, "image_msaa_load on GC 11.0, identity DST_SEL");
	/* X from Y (DST_SEL_X = 5): honoring it or not would differ */
	struct rig_buf *sw = image_buf(20, 3, 0xfad);
	uint32_t c2 = vgpu_rig_ctx_new();
	cr_expect_eq(run(c2, load8_gfx1150, N(load8_gfx1150), sw), -ECANCELED);
	cr_expect(vgpu_rig_ctx_flags(c2) & AMDGPU_CTX_QUERY2_FLAGS_GUILTY);
}

/* The forms no source defines, each a variant of one hand-assembled
 * program (llvm-mc-19 -mcpu=gfx1150; s[4:11] the T# from the buffer,
 * v[1:3] = x, y, fragment): a fragment id that is not a multiple of 4, a
 * dmask of two channels, a non-MSAA dim (llvm-objdump-19 decodes the
 * last two; llvm-mc refuses to assemble them). */
Test(vgpu_msaa_load_gc115, undefined_forms_fault)
{
	static const uint32_t prog[] = {
		0xf40c0100, 0xf8000000, /* s_load_b256 s[4:11], s[0:1], 0x0 */
		0x7e020280, /* v_mov_b32_e32 v1, 0 */
		0x7e040280, /* v_mov_b32_e32 v2, 0 */
		0x7e060280, /* v_mov_b32_e32 v3, 0 */
		0xbf89fc07, /* s_waitcnt lgkmcnt(0) */
		0xf0600198, 0x00010401, /* image_msaa_load v[4:7], v[1:3], s[4:11] dmask:0x1 dim:SQ_RSRC_IMG_2D_MSAA unorm */
		0xbfb00000, /* s_endpgm */
	};
	enum { FRAG = 4, MSAA_LOAD = 6 };
	static const struct { unsigned word; uint32_t value; const char *what; } variants[] = {
		{ FRAG, 0x7e060282, "v_mov_b32_e32 v3, 2: fragment id 2" },
		{ MSAA_LOAD, 0xf0600398, "dmask:0x3" },
		{ MSAA_LOAD, 0xf0600184, "dim:SQ_RSRC_IMG_2D" },
	};
	for (unsigned k = 0; k < N(variants); k++) {
		uint32_t words[N(prog)];
		memcpy(words, prog, sizeof(prog));
		words[variants[k].word] = variants[k].value;
		struct rig_buf *b = image_buf(20, 2, 0xfac);
		cr_expect_eq(run(vgpu_rig_ctx_new(), words, N(words), b), -ECANCELED, "%s",
			     variants[k].what);
	}
}
