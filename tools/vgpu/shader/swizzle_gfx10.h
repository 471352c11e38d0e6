/*
 * gfx10.3 tiled-surface addressing as Mesa's addrlib (gfx10addrlib.cpp)
 * computes it for one-level, one-sample thin 2D surfaces on an RB+ chip
 * (every gfx10.3 one): the layout in gfx11's struct (swizzle_gfx11.h),
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

/* The layout of a one-level width x height thin surface of
 * 2^elem_log2-byte texels in swizzle mode sw_mode on a gfx10.3 GPU with
 * gb_addr_config; false if the tables do not hold the mode or the GPU's
 * pipe/packer counts are outside them. */
bool gfx10_swz_layout(unsigned sw_mode, unsigned elem_log2, uint32_t gb_addr_config,
		      uint32_t width, uint32_t height, struct gfx11_swz *s);

#endif
