/*
 * gfx11 tiled-surface addressing, as Mesa's addrlib (gfx11addrlib.cpp)
 * computes it for one-sample thin 2D surfaces (one level shown; mip
 * chains below, in gfx11_swz_layout):
 *
 *   pattern  = GetSwizzlePatternFromPatternInfo(patinfo[group * 5 +
 *              log2(bytes per texel)]), group = the pipe/packer group of
 *              GB_ADDR_CONFIG (HwlInitGlobalParams: m_colorBaseIndex) for
 *              the _X modes, 0 for the others;
 *   block    = 2^blk_log2 bytes, blk_w x blk_h texels
 *              (Lib::ComputeThinBlockDimension);
 *   pitch    = width and height padded to the block
 *              (ComputeSurfaceInfoMacroTiled);
 *   offset   = slice * slice_bytes + (y / blk_h * pitch_blk + x / blk_w) <<
 *              blk_log2 + pattern(x, y, slice)
 *              (ComputeSurfaceAddrFromCoordMacroTiled; ComputeOffsetFrom-
 *              SwizzlePattern: bit i of the offset is the parity of the
 *              coordinate bits pattern[i] names; the 256-byte mode takes
 *              slice 0 in the pattern, as ...MicroTiled does).
 * 3D images in the S and D modes are "thick" (blocks of several slices,
 * Lib::ComputeThickBlockDimension; the 3D pattern tables): one level.
 * MSAA (2, 4 or 8 samples; 2D, one level, the 64 KiB and 256 KiB Z_X/R_X
 * modes, the only ones addrlib has multi-sample patterns for): the block
 * holds blk_bytes / (bytes per texel * samples) texels
 * (ComputeThinBlockDimension), a slice pitch * height * bytes * samples,
 * and the pattern places the sample index too.
 * An _X mode's pipe/bank XOR is applied by the caller (shader/mimg.c).
 */
#include "swizzle_gfx11.h"

#include <stddef.h>

static unsigned block_log2(unsigned sw_mode)
{
	if (sw_mode < 4)
		return 8;                      /* 256B */
	if (sw_mode < 8 || (sw_mode >= 20 && sw_mode < 24))
		return 12;                     /* 4KB */
	if (sw_mode < 28)
		return 16;                     /* 64KB (and the _T modes 16..19) */
	return 18;                             /* 256KB */
}

const char *gfx11_swz_mode_name(unsigned m)
{
	static const char *const names[32] = {
		"SW_LINEAR", "SW_256B_S", "SW_256B_D", "SW_256B_R", "SW_4KB_Z", "SW_4KB_S",
		"SW_4KB_D", "SW_4KB_R", "SW_64KB_Z", "SW_64KB_S", "SW_64KB_D", "SW_64KB_R",
		"reserved", "reserved", "reserved", "reserved", "SW_64KB_Z_T", "SW_64KB_S_T",
		"SW_64KB_D_T", "SW_64KB_R_T", "SW_4KB_Z_X", "SW_4KB_S_X", "SW_4KB_D_X", "SW_4KB_R_X",
		"SW_64KB_Z_X", "SW_64KB_S_X", "SW_64KB_D_X", "SW_64KB_R_X", "SW_256KB_Z_X",
		"SW_256KB_S_X", "SW_256KB_D_X", "SW_256KB_R_X",
	};
	return names[m & 31];
}

/* ShiftCeil: addrlib's level sizes round up */
static uint32_t shift_ceil(uint32_t a, unsigned b)
{
	return (a >> b) + ((a & ((1u << b) - 1)) ? 1 : 0);
}

/* GetSwizzlePatternFromPatternInfo: the 20 address bits of a block */
static void set_pattern(struct gfx11_swz *s, const struct gfx11_swz_patinfo *pi)
{
	for (unsigned i = 0; i < 8; i++)
		s->pattern[i] = gfx11_swz_nibble01[pi->n01][i];
	for (unsigned i = 0; i < 4; i++) {
		s->pattern[8 + i] = gfx11_swz_nibble2[pi->n2][i];
		s->pattern[12 + i] = gfx11_swz_nibble3[pi->n3][i];
		s->pattern[16 + i] = gfx11_swz_nibble4[pi->n4][i];
	}
}

/* The pipe/packer group of GB_ADDR_CONFIG (HwlInitGlobalParams:
 * m_colorBaseIndex) an _X mode's pattern row is picked by, or -1 if
 * addrlib does not support the configuration. */
static int xor_group(uint32_t gb_addr_config)
{
	/* GB_ADDR_CONFIG_GFX11: NUM_PIPES 2:0, PIPE_INTERLEAVE_SIZE 5:3,
	 * NUM_PKRS 10:8; addrlib supports only the 256-byte interleave and
	 * asserts NUM_PKRS <= NUM_PIPES <= NUM_PKRS + 2 */
	unsigned pipes = gb_addr_config & 7, pkrs = (gb_addr_config >> 8) & 7;
	if (((gb_addr_config >> 3) & 7) != 0 || pkrs > pipes || pipes - pkrs > 2 || pipes > 6)
		return -1;
	unsigned group = pipes + (pkrs >= 2 ? 2 * pkrs - 2 : 0);
	return group < 15 ? (int)group : -1;
}

bool gfx11_swz_layout_msaa(unsigned sw_mode, unsigned elem_log2, uint32_t gb_addr_config,
			   uint32_t width, uint32_t height, unsigned samples, struct gfx11_swz *s)
{
	const struct gfx11_swz_mode *m = NULL;
	for (unsigned i = 0; i < gfx11_swz_nmodes_msaa; i++)
		if (gfx11_swz_modes_msaa[i].sw_mode == sw_mode &&
		    gfx11_swz_modes_msaa[i].samples == samples)
			m = &gfx11_swz_modes_msaa[i];
	int group = xor_group(gb_addr_config);
	if (!m || elem_log2 > 4 || group < 0)
		return false;
	set_pattern(s, &m->info[group * 5 + elem_log2]);
	s->samples = samples;
	s->blk_log2 = block_log2(sw_mode);
	/* Lib::ComputeThinBlockDimension: the block's texels are the block
	 * size over bytes per texel times samples; width takes the odd bit
	 * for 1x/4x, or for 2x/8x with an odd log2 block size */
	unsigned log2s = (unsigned)__builtin_ctz(samples);
	unsigned n = s->blk_log2 - elem_log2 - log2s;
	unsigned wl = (n + (((log2s & 1) == 0 || (s->blk_log2 & 1)) ? 1 : 0)) / 2;
	s->blk_w = 1u << wl;
	s->blk_h = 1u << (n - wl);
	s->blk_d = 1;
	s->xor_mode = true;
	s->name = m->name;
	s->levels = 1;
	s->first_in_tail = 1;
	/* ComputeSurfaceInfoMacroTiled, one level: pitch and height padded
	 * to the block, sliceSize = pitch * height * bytes * samples */
	uint64_t pitch = ((uint64_t)width + s->blk_w - 1) & ~(uint64_t)(s->blk_w - 1);
	uint64_t h = ((uint64_t)height + s->blk_h - 1) & ~(uint64_t)(s->blk_h - 1);
	s->pitch_blk[0] = (uint32_t)(pitch / s->blk_w);
	s->slice_bytes = (pitch * h << elem_log2) * samples;
	s->macro_off[0] = 0;
	s->tail_x[0] = s->tail_y[0] = 0;
	return true;
}

bool gfx11_swz_layout(unsigned sw_mode, unsigned elem_log2, uint32_t gb_addr_config, uint32_t width,
		      uint32_t height, unsigned levels, bool thick3d, struct gfx11_swz *s)
{
	const struct gfx11_swz_mode *m = NULL, *tab = thick3d ? gfx11_swz_modes_3d : gfx11_swz_modes;
	unsigned ntab = thick3d ? gfx11_swz_nmodes_3d : gfx11_swz_nmodes;
	for (unsigned i = 0; i < ntab; i++)
		if (tab[i].sw_mode == sw_mode)
			m = &tab[i];
	if (!m || elem_log2 > 4 || levels < 1 || levels > GFX11_SWZ_MAX_LEVELS)
		return false;
	bool xor_mode = sw_mode >= 16;
	int group = xor_mode ? xor_group(gb_addr_config) : 0;
	if (group < 0)
		return false;
	set_pattern(s, &m->info[group * 5 + elem_log2]);
	s->samples = 1;
	s->blk_log2 = block_log2(sw_mode);
	if (s->blk_log2 == 8 && levels > 1)
		return false;                  /* the micro-tiled mip chain is not modelled */
	if (thick3d) {
		/* Lib::ComputeThickBlockDimension: Block1K_3d grown by the
		 * block size in KiB (log2) / 3, the rest to height and depth;
		 * one level only (the thick mip tail is not modelled) */
		static const uint8_t k3w[5] = { 16, 8, 8, 8, 4 }, k3h[5] = { 8, 8, 8, 4, 4 },
				     k3d[5] = { 8, 8, 4, 4, 4 };
		if (levels > 1 || s->blk_log2 < 12)
			return false;
		unsigned in1k = s->blk_log2 - 10, avg = in1k / 3, rest = in1k % 3;
		s->blk_w = (uint32_t)k3w[elem_log2] << avg;
		s->blk_h = (uint32_t)k3h[elem_log2] << (avg + rest / 2);
		s->blk_d = (uint32_t)k3d[elem_log2] << (avg + (rest ? 1 : 0));
		s->xor_mode = xor_mode;
		s->name = m->name;
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
	s->xor_mode = xor_mode;
	s->name = m->name;
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
	/* ComputeSurfaceInfoMacroTiled, thin: the mip tail holds the levels
	 * from the first one that fits in half a block (GetMipTailDim) with at
	 * most GetMaxNumMipsInTail levels to the end; the tail block comes
	 * first in a slice, then the other levels from the smallest up. */
	static const uint8_t b256w[5] = { 16, 16, 8, 8, 4 }, b256h[5] = { 16, 8, 8, 4, 4 };
	uint32_t tail_w = s->blk_w >> 1, tail_h = s->blk_h;
	unsigned mode4 = sw_mode & 3;
	if ((mode4 == 0 || mode4 == 3) && elem_log2 <= 1) { /* Z and R modes, 1-2 bytes */
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
		if (s->blk_log2 & 1) {
			uint32_t t = mx;
			mx = my;
			my = t;
			if (elem_log2 & 1) {
				my = (my << 1) | (mx & 1);
				mx >>= 1;
			}
		}
		s->macro_off[i] = 0;
		s->pitch_blk[i] = tail_w / s->blk_w;
		s->tail_x[i] = mx * b256w[elem_log2];
		s->tail_y[i] = my * b256h[elem_log2];
	}
	return true;
}

static unsigned parity32(uint32_t v)
{
	return (unsigned)__builtin_parity(v);
}

/* ComputeOffsetFromSwizzlePattern: bit i of the in-block offset is the
 * parity of the x, y, z and sample bits pattern[i] names */
static uint64_t pattern_offset(const struct gfx11_swz *s, uint32_t px, uint32_t py, uint32_t pz,
			       uint32_t ps)
{
	uint64_t in_block = 0;
	for (unsigned i = 0; i < s->blk_log2; i++) {
		uint64_t p = s->pattern[i];
		unsigned v = parity32(px & (uint32_t)(p & 0xffffu)) ^
			     parity32(py & (uint32_t)((p >> 16) & 0xffffu)) ^
			     parity32(pz & (uint32_t)((p >> 32) & 0xffffu)) ^
			     parity32(ps & (uint32_t)((p >> 48) & 0xffffu));
		in_block |= (uint64_t)v << i;
	}
	return in_block;
}

/* Gfx11Lib::ComputeSurfaceAddrFromCoordMacroTiled with numSamples > 1:
 * sliceSize * slice + blkIdx << blkSizeLog2 + the pattern's offset of
 * (x, y, slice, sample) */
uint64_t gfx11_swz_offset_msaa(const struct gfx11_swz *s, uint32_t x, uint32_t y, uint32_t z,
			       uint32_t sample)
{
	uint64_t blk = (uint64_t)(y / s->blk_h) * s->pitch_blk[0] + x / s->blk_w;
	return s->slice_bytes * z + (blk << s->blk_log2) + pattern_offset(s, x, y, z, sample);
}

uint64_t gfx11_swz_offset(const struct gfx11_swz *s, uint32_t x, uint32_t y, uint32_t z,
			  unsigned level)
{
	/* ComputeSurfaceAddrFromCoordMacroTiled: a level in the tail shifts
	 * the pattern's coordinates, not the block index */
	uint32_t px = x + s->tail_x[level], py = y + s->tail_y[level];
	uint32_t zp = s->blk_log2 == 8 ? 0 : z;
	uint64_t in_block = pattern_offset(s, px, py, zp, 0);
	uint64_t blk = (uint64_t)(y / s->blk_h) * s->pitch_blk[level] + x / s->blk_w;
	/* thick: a slice_bytes slab holds blk_d slices, the pattern places z
	 * inside the block */
	return s->slice_bytes * (z / s->blk_d) + s->macro_off[level] + (blk << s->blk_log2) + in_block;
}
