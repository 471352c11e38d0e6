/*
 * gfx10.3 tiled-surface addressing as Mesa's addrlib (gfx10addrlib.cpp)
 * computes it for one-sample thin 2D surfaces (mip chains included) and
 * one-level thick 3D ones on an RB+ chip (every gfx10.3 one): the layout
 * in gfx11's struct (swizzle_gfx11.h),
 * whose gfx11_swz_offset addresses it.  Tables: swizzle_gfx10_tables.c
 * (generated from addrlib by tools/gen-gfx10-swizzle.py).
 */
#ifndef VGPU_SHADER_SWIZZLE_GFX10_H
#define VGPU_SHADER_SWIZZLE_GFX10_H

#include "swizzle_gfx11.h"

extern const uint64_t gfx10_swz_nibble01[][8];
extern const uint64_t gfx10_swz_nibble2[][4];
extern const uint64_t gfx10_swz_nibble3[][4];
extern const uint64_t gfx10_swz_nibble4[][4];
extern const struct gfx11_swz_mode gfx10_swz_modes[];
extern const unsigned gfx10_swz_nmodes;
extern const struct gfx11_swz_mode gfx10_swz_modes_3d[];   /* thick 3D (S, D_X) */
extern const unsigned gfx10_swz_nmodes_3d;
extern const struct gfx11_swz_mode gfx10_swz_modes_msaa[]; /* 64 KiB Z_X/R_X, 2/4/8 fragments */
extern const unsigned gfx10_swz_nmodes_msaa;

/* The layout of a width x height surface of 2^elem_log2-byte texels with
 * `levels` mip levels in swizzle mode sw_mode on a gfx10.3 GPU with
 * gb_addr_config (thick3d: a 3D image in an S or D mode, one level);
 * false if the tables do not hold the mode (or a 256-byte mode with
 * several levels, or a thick mode with several), or the GPU's pipe/packer
 * counts are outside them. */
bool gfx10_swz_layout(unsigned sw_mode, unsigned elem_log2, uint32_t gb_addr_config,
		      uint32_t width, uint32_t height, unsigned levels, bool thick3d,
		      struct gfx11_swz *s);

/* The layout of a one-level width x height 2D MSAA surface of
 * 2^elem_log2-byte texels with `samples` (2, 4, 8) fragments in swizzle
 * mode sw_mode on a gfx10.3 GPU with gb_addr_config, addressed by
 * gfx11_swz_offset_msaa (the same formula: gfx10's
 * ComputeSurfaceAddrFromCoordMacroTiled with numFrags > 1).  addrlib has
 * multi-sample RB+ patterns for SW_64KB_Z_X and SW_64KB_R_X only, and
 * Gfx10Lib::ValidateSwModeParams refuses a Z_X MSAA surface of more than
 * 32-bit texels; false otherwise. */
bool gfx10_swz_layout_msaa(unsigned sw_mode, unsigned elem_log2, uint32_t gb_addr_config,
			   uint32_t width, uint32_t height, unsigned samples, struct gfx11_swz *s);

#endif
