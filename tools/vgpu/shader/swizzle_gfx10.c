/*
 * gfx10.3 tiled-surface addressing (see swizzle_gfx10.h), one level:
 *
 *   pattern  = GetSwizzlePatternFromPatternInfo(patinfo[index]) of the RB+
 *              table Gfx10Lib::GetSwizzlePatternInfo picks for the mode,
 *              index = m_colorBaseIndex + log2(bytes per texel) for the _X
 *              modes, log2(bytes per texel) for the others;
 *              m_colorBaseIndex (Gfx10Lib::HwlInitGlobalParams, RB+) =
 *              (log2 pipes + (log2 packers >= 2 ? 2 log2 packers - 2 : 0)) x 5,
 *              GB_ADDR_CONFIG NUM_PIPES 2:0, PIPE_INTERLEAVE_SIZE 5:3 (256
 *              bytes only, as addrlib asserts), NUM_PKRS 10:8;
 *   block    = 256 B / 4 KiB / 64 KiB, blk_w x blk_h texels as
 *              Lib::ComputeThinBlockDimension (shared with gfx11);
 *   pitch    = width and height padded to the block;
 *   offset   = slice * slice_bytes + (y / blk_h * pitch_blk + x / blk_w) <<
 *              blk_log2 + pattern(x, y, slice) (gfx11_swz_offset).
 * Mip chains (gfx10's mip tail) and thick 3D layouts are not held.
 */
#include "swizzle_gfx10.h"

#include <stddef.h>

bool gfx10_swz_layout(unsigned sw_mode, unsigned elem_log2, uint32_t gb_addr_config,
		      uint32_t width, uint32_t height, struct gfx11_swz *s)
{
	const struct gfx11_swz_mode *m = NULL;
	for (unsigned i = 0; i < gfx10_swz_nmodes; i++)
		if (gfx10_swz_modes[i].sw_mode == sw_mode)
			m = &gfx10_swz_modes[i];
	if (!m || elem_log2 > 4)
		return false;
	unsigned pipes = gb_addr_config & 7, pkrs = (gb_addr_config >> 8) & 7;
	bool xor_mode = sw_mode >= 20;
	if (((gb_addr_config >> 3) & 7) != 0 || pkrs > pipes || pipes - pkrs > 2 || pipes > 6)
		return false;
	unsigned group = xor_mode ? pipes + (pkrs >= 2 ? 2 * pkrs - 2 : 0) : 0;
	if (group >= 15)
		return false;
	const struct gfx11_swz_patinfo *pi = &m->info[group * 5 + elem_log2];
	for (unsigned i = 0; i < 8; i++)
		s->pattern[i] = gfx10_swz_nibble01[pi->n01][i];
	for (unsigned i = 0; i < 4; i++) {
		s->pattern[8 + i] = gfx10_swz_nibble2[pi->n2][i];
		s->pattern[12 + i] = gfx10_swz_nibble3[pi->n3][i];
		s->pattern[16 + i] = gfx10_swz_nibble4[pi->n4][i];
	}
	s->blk_log2 = sw_mode < 4 ? 8 : sw_mode < 8 || (sw_mode >= 20 && sw_mode < 24) ? 12 : 16;
	s->blk_d = 1;
	unsigned n = s->blk_log2 - elem_log2, wl = (n + 1) / 2;
	s->blk_w = 1u << wl;
	s->blk_h = 1u << (n - wl);
	s->xor_mode = xor_mode;
	s->name = m->name;
	s->levels = 1;
	uint64_t pitch = ((uint64_t)width + s->blk_w - 1) & ~(uint64_t)(s->blk_w - 1);
	uint64_t h = ((uint64_t)height + s->blk_h - 1) & ~(uint64_t)(s->blk_h - 1);
	s->pitch_blk[0] = (uint32_t)(pitch / s->blk_w);
	s->slice_bytes = pitch * h << elem_log2;
	s->macro_off[0] = 0;
	s->tail_x[0] = s->tail_y[0] = 0;
	s->first_in_tail = 1;
	return true;
}
