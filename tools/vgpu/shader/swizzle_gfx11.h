/*
 * gfx11 tiled-surface addressing as Mesa's addrlib computes it (Gfx11Lib::
 * ComputeSurfaceAddrFromCoordMacroTiled / ComputeSurfaceAddrFromCoordMicroTiled),
 * for the thin one-sample 2D swizzle modes, mip chains included, the thick
 * 3D ones and the multi-sample 2D Z_X/R_X ones: the byte offset of texel
 * (x, y) (and sample) of slice z at a level from the surface base.
 * Tables: swizzle_gfx11_tables.c (generated from addrlib by
 * tools/gen-gfx11-swizzle.py).
 */
#ifndef VGPU_SHADER_SWIZZLE_GFX11_H
#define VGPU_SHADER_SWIZZLE_GFX11_H

#include <stdbool.h>
#include <stdint.h>

/* ADDR_SW_PATINFO without maxItemCount: indexes into the nibble tables */
struct gfx11_swz_patinfo {
	uint16_t n01, n2, n3, n4;
};

struct gfx11_swz_mode {
	unsigned sw_mode;                       /* AddrSwizzleMode value (= T# SW_MODE) */
	const char *name;
	const struct gfx11_swz_patinfo *info;   /* 75 rows: 15 pipe/packer groups x 5 sizes */
	unsigned samples;                       /* the MSAA tables: 2, 4 or 8; else 0 */
};

extern const uint64_t gfx11_swz_nibble01[][8];
extern const uint64_t gfx11_swz_nibble2[][4];
extern const uint64_t gfx11_swz_nibble3[][4];
extern const uint64_t gfx11_swz_nibble4[][4];
extern const struct gfx11_swz_mode gfx11_swz_modes[];
extern const unsigned gfx11_swz_nmodes;
extern const struct gfx11_swz_mode gfx11_swz_modes_3d[];   /* thick 3D (S, D) */
extern const unsigned gfx11_swz_nmodes_3d;
extern const struct gfx11_swz_mode gfx11_swz_modes_msaa[];  /* 2D Z_X/R_X, 2/4/8 samples */
extern const unsigned gfx11_swz_nmodes_msaa;

/* One surface's layout */
#define GFX11_SWZ_MAX_LEVELS 16
struct gfx11_swz {
	uint64_t pattern[20];      /* the address bits of one block (ADDR_BIT_SETTING) */
	unsigned blk_log2;         /* block bytes, log2 */
	uint32_t blk_w, blk_h, blk_d; /* block size in texels (blk_d > 1: thick 3D) */
	uint64_t slice_bytes;      /* one slice (array layer): the whole mip chain; thick:
				    * blk_d slices */
	bool xor_mode;             /* an _X mode: the base address's low bits are the pipe/bank XOR */
	unsigned samples;          /* 1, or an MSAA surface's 2, 4 or 8 */
	unsigned levels, first_in_tail;
	/* per level (ComputeSurfaceInfoMacroTiled's ADDR2_MIP_INFO) */
	uint64_t macro_off[GFX11_SWZ_MAX_LEVELS];
	uint32_t pitch_blk[GFX11_SWZ_MAX_LEVELS];
	uint32_t tail_x[GFX11_SWZ_MAX_LEVELS], tail_y[GFX11_SWZ_MAX_LEVELS];
	const char *name;
};

/* The layout of a width x height surface of 2^elem_log2-byte texels with
 * `levels` mip levels in swizzle mode sw_mode on a GPU with
 * gb_addr_config (thick3d: a 3D image in an S or D mode, one level);
 * false if the tables do not hold the mode (or a 256-byte mode with
 * several levels, or a thick mode with several), or the GPU's pipe/packer
 * counts are outside them. */
bool gfx11_swz_layout(unsigned sw_mode, unsigned elem_log2, uint32_t gb_addr_config, uint32_t width,
		      uint32_t height, unsigned levels, bool thick3d, struct gfx11_swz *s);

/* The layout of a one-level width x height 2D MSAA surface of
 * 2^elem_log2-byte texels with `samples` (2, 4, 8) samples in swizzle mode
 * sw_mode (addrlib has multi-sample patterns for the 64 KiB and 256 KiB
 * Z_X/R_X modes only; no linear MSAA, no MSAA mip chain); false otherwise. */
bool gfx11_swz_layout_msaa(unsigned sw_mode, unsigned elem_log2, uint32_t gb_addr_config,
			   uint32_t width, uint32_t height, unsigned samples, struct gfx11_swz *s);

/* Byte offset of sample `sample` of texel (x, y) of slice z of an MSAA
 * layout, before the pipe/bank XOR (as gfx11_swz_offset). */
uint64_t gfx11_swz_offset_msaa(const struct gfx11_swz *s, uint32_t x, uint32_t y, uint32_t z,
			       uint32_t sample);

/* Byte offset of texel (x, y) of slice z at `level` from the
 * (block-aligned) base, before the pipe/bank XOR of an _X mode, which
 * applies to the bits below the block size. */
uint64_t gfx11_swz_offset(const struct gfx11_swz *s, uint32_t x, uint32_t y, uint32_t z,
			  unsigned level);

/* addrlib's name of a gfx11 SW_MODE value */
const char *gfx11_swz_mode_name(unsigned sw_mode);

#endif
