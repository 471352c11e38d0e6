/*
 * gfx10.3 tiled-surface addressing (see swizzle_gfx10.h), as Mesa's
 * addrlib (gfx10addrlib.cpp) computes it on an RB+ chip:
 *
 *   pattern  = GetSwizzlePatternFromPatternInfo(patinfo[index]) of the RB+
 *              table Gfx10Lib::GetSwizzlePatternInfo picks for the mode
 *              (the 3D S/D tables for a thick 3D surface), index =
 *              m_colorBaseIndex + log2(bytes per texel) for the _X modes,
 *              log2(bytes per texel) for the others; m_colorBaseIndex
 *              (Gfx10Lib::HwlInitGlobalParams, RB+) = (log2 pipes + (log2
 *              packers >= 2 ? 2 log2 packers - 2 : 0)) x 5, from
 *              GB_ADDR_CONFIG NUM_PIPES 2:0, PIPE_INTERLEAVE_SIZE 5:3 (256
 *              bytes only, as addrlib asserts) and NUM_PKRS 10:8;
 *   block    = 256 B / 4 KiB / 64 KiB, blk_w x blk_h texels as
 *              Lib::ComputeThinBlockDimension, or (thick 3D, S and D
 *              modes: Gfx10Lib::HwlIsThick) Lib::ComputeThickBlockDimension;
 *   levels   = Gfx10Lib::ComputeSurfaceInfoMacroTiled, thin: the mip tail
 *              holds the levels from the first one that fits in
 *              GetMipTailDim (half a block wide; with dsMipmapHtileFix,
 *              set on every gfx10.3 chip, a Z mode of 1-2 byte texels
 *              narrower still) with at most GetMaxNumMipsInTail levels to
 *              the end; the tail block comes first in a slice, then the
 *              other levels from the smallest up; a tail level's texels
 *              sit at its mip-tail offset's x/y inside the tail block;
 *   offset   = gfx11_swz_offset (the same formula: gfx10's
 *              ComputeSurfaceAddrFromCoordMacroTiled).
 * This is the algorithm of shader/swizzle_gfx11.c with gfx10's tables and
 * gfx10's Z-only mip-tail narrowing.
 * MSAA (gfx10_swz_layout_msaa: 2, 4 or 8 fragments, 2D, one level): the
 * numFrag pattern tables GetSwizzlePatternInfo picks for SW_64KB_Z_X and
 * SW_64KB_R_X (the only modes with multi-sample RB+ patterns besides the
 * VAR ones, whose variable block size gfx10.3 does not have), index
 * m_colorBaseIndex + log2(bytes per texel); the block holds 64 KiB /
 * (bytes per texel * fragments) texels (Lib::ComputeThinBlockDimension
 * with numFrags), a slice is pitch * height * bytes * fragments
 * (ComputeSurfaceInfoMacroTiled), and the pattern places the sample index
 * (ComputeSurfaceAddrFromCoordMacroTiled's numFrags > 1 branch).  Not held: a 256-byte mode with
 * several levels, thick 3D with several levels (its tail is deeper).
 */
#include "swizzle_gfx10.h"

#include <stddef.h>

static uint32_t shift_ceil(uint32_t a, unsigned b)
{
	return (a >> b) + ((a & ((1u << b) - 1)) ? 1 : 0);
}

/* m_colorBaseIndex / 5 (Gfx10Lib::HwlInitGlobalParams, RB+): the
 * pipe/packer group of GB_ADDR_CONFIG, or -1 outside addrlib's asserts
 * (256-byte pipe interleave; packers <= pipes <= packers + 2) or the
 * tables' 15 groups */
static int rbplus_group(uint32_t gb_addr_config)
{
	unsigned pipes = gb_addr_config & 7, pkrs = (gb_addr_config >> 8) & 7;
	if (((gb_addr_config >> 3) & 7) != 0 || pkrs > pipes || pipes - pkrs > 2 || pipes > 6)
		return -1;
	unsigned group = pipes + (pkrs >= 2 ? 2 * pkrs - 2 : 0);
	return group < 15 ? (int)group : -1;
}

static void set_pattern(struct gfx11_swz *s, const struct gfx11_swz_patinfo *pi)
{
	for (unsigned i = 0; i < 8; i++)
		s->pattern[i] = gfx10_swz_nibble01[pi->n01][i];
	for (unsigned i = 0; i < 4; i++) {
		s->pattern[8 + i] = gfx10_swz_nibble2[pi->n2][i];
		s->pattern[12 + i] = gfx10_swz_nibble3[pi->n3][i];
		s->pattern[16 + i] = gfx10_swz_nibble4[pi->n4][i];
	}
}

bool gfx10_swz_layout_msaa(unsigned sw_mode, unsigned elem_log2, uint32_t gb_addr_config,
			   uint32_t width, uint32_t height, unsigned samples, struct gfx11_swz *s)
{
	const struct gfx11_swz_mode *m = NULL;
	for (unsigned i = 0; i < gfx10_swz_nmodes_msaa; i++)
		if (gfx10_swz_modes_msaa[i].sw_mode == sw_mode && gfx10_swz_modes_msaa[i].samples == samples)
			m = &gfx10_swz_modes_msaa[i];
	int group = rbplus_group(gb_addr_config);
	/* ValidateSwModeParams: a Z-order MSAA surface has at most 32-bit
	 * texels (any MSAA surface at most 128-bit ones) */
	if (!m || group < 0 || elem_log2 > (sw_mode == 24 ? 2u : 4u))
		return false;
	set_pattern(s, &m->info[group * 5 + elem_log2]);
	s->samples = samples;
	s->blk_log2 = 16;
	/* Lib::ComputeThinBlockDimension: width takes the odd bit for 4x, and
	 * for 2x/8x not (the 64 KiB block's log2 is even) */
	unsigned log2s = (unsigned)__builtin_ctz(samples);
	unsigned n = s->blk_log2 - elem_log2 - log2s;
	unsigned wl = (n + ((log2s & 1) == 0 ? 1 : 0)) / 2;
	s->blk_w = 1u << wl;
	s->blk_h = 1u << (n - wl);
	s->blk_d = 1;
	s->xor_mode = true;
	s->name = m->name;
	s->levels = 1;
	s->first_in_tail = 1;
	uint64_t pitch = ((uint64_t)width + s->blk_w - 1) & ~(uint64_t)(s->blk_w - 1);
	uint64_t h = ((uint64_t)height + s->blk_h - 1) & ~(uint64_t)(s->blk_h - 1);
	s->pitch_blk[0] = (uint32_t)(pitch / s->blk_w);
	s->slice_bytes = (pitch * h << elem_log2) * samples;
	s->macro_off[0] = 0;
	s->tail_x[0] = s->tail_y[0] = 0;
	return true;
}

bool gfx10_swz_layout(unsigned sw_mode, unsigned elem_log2, uint32_t gb_addr_config,
		      uint32_t width, uint32_t height, unsigned levels, bool thick3d,
		      struct gfx11_swz *s)
{
	const struct gfx11_swz_mode *m = NULL, *tab = thick3d ? gfx10_swz_modes_3d : gfx10_swz_modes;
	unsigned ntab = thick3d ? gfx10_swz_nmodes_3d : gfx10_swz_nmodes;
	for (unsigned i = 0; i < ntab; i++)
		if (tab[i].sw_mode == sw_mode)
			m = &tab[i];
	if (!m || elem_log2 > 4 || levels < 1 || levels > GFX11_SWZ_MAX_LEVELS)
		return false;
	bool xor_mode = sw_mode >= 20;
	int group = rbplus_group(gb_addr_config);
	if (group < 0)
		return false;
	set_pattern(s, &m->info[(xor_mode ? group : 0) * 5 + elem_log2]);
	s->samples = 1;
	s->blk_log2 = sw_mode < 4 ? 8 : sw_mode < 8 || (sw_mode >= 20 && sw_mode < 24) ? 12 : 16;
	if (s->blk_log2 == 8 && levels > 1)
		return false;
	s->xor_mode = xor_mode;
	s->name = m->name;
	if (thick3d) {
		/* Lib::ComputeThickBlockDimension: Block1K_3d grown by the
		 * block size in KiB (log2) / 3, the rest to height and depth */
		static const uint8_t k3w[5] = { 16, 8, 8, 8, 4 }, k3h[5] = { 8, 8, 8, 4, 4 },
				     k3d[5] = { 8, 8, 4, 4, 4 };
		if (levels > 1 || s->blk_log2 < 12)
			return false;
		unsigned in1k = s->blk_log2 - 10, avg = in1k / 3, rest = in1k % 3;
		s->blk_w = (uint32_t)k3w[elem_log2] << avg;
		s->blk_h = (uint32_t)k3h[elem_log2] << (avg + rest / 2);
		s->blk_d = (uint32_t)k3d[elem_log2] << (avg + (rest ? 1 : 0));
		s->levels = 1;
		uint64_t pitch = ((uint64_t)width + s->blk_w - 1) & ~(uint64_t)(s->blk_w - 1);
		uint64_t h = ((uint64_t)height + s->blk_h - 1) & ~(uint64_t)(s->blk_h - 1);
		s->pitch_blk[0] = (uint32_t)(pitch / s->blk_w);
		s->slice_bytes = (pitch * h << elem_log2) * s->blk_d;
		s->macro_off[0] = 0;
		s->tail_x[0] = s->tail_y[0] = 0;
		s->first_in_tail = 1;
		return true;
	}
	s->blk_d = 1;
	unsigned n = s->blk_log2 - elem_log2, wl = (n + 1) / 2;
	s->blk_w = 1u << wl;
	s->blk_h = 1u << (n - wl);
	s->levels = levels;
	uint64_t blk = (uint64_t)1 << s->blk_log2;
	if (levels == 1) {
		uint64_t pitch = ((uint64_t)width + s->blk_w - 1) & ~(uint64_t)(s->blk_w - 1);
		uint64_t h = ((uint64_t)height + s->blk_h - 1) & ~(uint64_t)(s->blk_h - 1);
		s->pitch_blk[0] = (uint32_t)(pitch / s->blk_w);
		s->slice_bytes = pitch * h << elem_log2;
		s->macro_off[0] = 0;
		s->tail_x[0] = s->tail_y[0] = 0;
		s->first_in_tail = 1;
		return true;
	}
	static const uint8_t b256w[5] = { 16, 16, 8, 8, 4 }, b256h[5] = { 16, 8, 8, 4, 4 };
	uint32_t tail_w = s->blk_w >> 1, tail_h = s->blk_h;
	if ((sw_mode & 3) == 0 && elem_log2 <= 1) { /* dsMipmapHtileFix: Z modes, 1-2 bytes */
		tail_w /= b256w[elem_log2] / b256w[2];
		tail_h /= b256h[elem_log2] / b256h[2];
	}
	unsigned max_in_tail = s->blk_log2 <= 11 ? 1 + (1u << (s->blk_log2 - 9)) : s->blk_log2 - 4;
	unsigned first = levels;
	uint64_t chain = 0, lsize[GFX11_SWZ_MAX_LEVELS];
	for (unsigned i = 0; i < levels; i++) {
		uint32_t lw = shift_ceil(width ? width : 1, i), lh = shift_ceil(height ? height : 1, i);
		if (lw <= tail_w && lh <= tail_h && levels - i <= max_in_tail) {
			first = i;
			chain += blk;
			break;
		}
		uint64_t p = ((uint64_t)lw + s->blk_w - 1) & ~(uint64_t)(s->blk_w - 1);
		uint64_t h = ((uint64_t)lh + s->blk_h - 1) & ~(uint64_t)(s->blk_h - 1);
		lsize[i] = p * h << elem_log2;
		s->pitch_blk[i] = (uint32_t)(p / s->blk_w);
		chain += lsize[i];
	}
	s->slice_bytes = chain;
	s->first_in_tail = first;
	uint64_t off = first != levels ? blk : 0;
	for (int i = (int)first - 1; i >= 0; i--) {
		s->macro_off[i] = off;
		s->tail_x[i] = s->tail_y[i] = 0;
		off += lsize[i];
	}
	for (unsigned i = first; i < levels; i++) {
		unsigned mm = max_in_tail - 1 - (i - first);
		uint32_t mo = mm > 6 ? 16u << mm : mm << 8;
		uint32_t mx = ((mo >> 9) & 1) | ((mo >> 10) & 2) | ((mo >> 11) & 4) | ((mo >> 12) & 8) |
			      ((mo >> 13) & 16) | ((mo >> 14) & 32);
		uint32_t my = ((mo >> 8) & 1) | ((mo >> 9) & 2) | ((mo >> 10) & 4) | ((mo >> 11) & 8) |
			      ((mo >> 12) & 16) | ((mo >> 13) & 32);
		s->macro_off[i] = 0;
		s->pitch_blk[i] = tail_w / s->blk_w;
		s->tail_x[i] = mx * b256w[elem_log2];
		s->tail_y[i] = my * b256h[elem_log2];
	}
	return true;
}
