/*
 * gfx11 tiled-surface addressing, as Mesa's addrlib (gfx11addrlib.cpp)
 * computes it for one-sample thin 2D surfaces of one mip level:
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

bool gfx11_swz_layout(unsigned sw_mode, unsigned elem_log2, uint32_t gb_addr_config, uint32_t width,
		      uint32_t height, struct gfx11_swz *s)
{
	const struct gfx11_swz_mode *m = NULL;
	for (unsigned i = 0; i < gfx11_swz_nmodes; i++)
		if (gfx11_swz_modes[i].sw_mode == sw_mode)
			m = &gfx11_swz_modes[i];
	if (!m || elem_log2 > 4)
		return false;
	/* GB_ADDR_CONFIG_GFX11: NUM_PIPES 2:0, PIPE_INTERLEAVE_SIZE 5:3,
	 * NUM_PKRS 10:8; addrlib supports only the 256-byte interleave and
	 * asserts NUM_PKRS <= NUM_PIPES <= NUM_PKRS + 2 */
	unsigned pipes = gb_addr_config & 7, pkrs = (gb_addr_config >> 8) & 7;
	bool xor_mode = sw_mode >= 16;
	if (xor_mode && (((gb_addr_config >> 3) & 7) != 0 || pkrs > pipes || pipes - pkrs > 2 ||
			 pipes > 6))
		return false;
	unsigned group = xor_mode ? pipes + (pkrs >= 2 ? 2 * pkrs - 2 : 0) : 0;
	if (group >= 15)
		return false;
	const struct gfx11_swz_patinfo *pi = &m->info[group * 5 + elem_log2];
	for (unsigned i = 0; i < 8; i++)
		s->pattern[i] = gfx11_swz_nibble01[pi->n01][i];
	for (unsigned i = 0; i < 4; i++) {
		s->pattern[8 + i] = gfx11_swz_nibble2[pi->n2][i];
		s->pattern[12 + i] = gfx11_swz_nibble3[pi->n3][i];
		s->pattern[16 + i] = gfx11_swz_nibble4[pi->n4][i];
	}
	s->blk_log2 = block_log2(sw_mode);
	unsigned n = s->blk_log2 - elem_log2, wl = (n + 1) / 2;
	s->blk_w = 1u << wl;
	s->blk_h = 1u << (n - wl);
	uint64_t pitch = ((uint64_t)width + s->blk_w - 1) & ~(uint64_t)(s->blk_w - 1);
	uint64_t h = ((uint64_t)height + s->blk_h - 1) & ~(uint64_t)(s->blk_h - 1);
	s->pitch_blk = (uint32_t)(pitch / s->blk_w);
	s->slice_bytes = pitch * h << elem_log2;
	s->xor_mode = xor_mode;
	s->name = m->name;
	return true;
}

static unsigned parity32(uint32_t v)
{
	return (unsigned)__builtin_parity(v);
}

uint64_t gfx11_swz_offset(const struct gfx11_swz *s, uint32_t x, uint32_t y, uint32_t z)
{
	uint32_t zp = s->blk_log2 == 8 ? 0 : z;
	uint64_t in_block = 0;
	for (unsigned i = 0; i < s->blk_log2; i++) {
		uint64_t p = s->pattern[i];
		unsigned v = parity32(x & (uint32_t)(p & 0xffffu)) ^
			     parity32(y & (uint32_t)((p >> 16) & 0xffffu)) ^
			     parity32(zp & (uint32_t)((p >> 32) & 0xffffu));
		in_block |= (uint64_t)v << i;
	}
	uint64_t blk = (uint64_t)(y / s->blk_h) * s->pitch_blk + x / s->blk_w;
	return s->slice_bytes * z + (blk << s->blk_log2) + in_block;
}
