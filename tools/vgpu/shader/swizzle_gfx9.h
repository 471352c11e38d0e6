/*
 * gfx9 (Vega) tiled-surface addressing, a C port of Mesa 22.3.6's addrlib
 * (gfx9addrlib.cpp, addrlib2.cpp; MIT): on gfx9 the address of a texel is
 * computed in closed form from the swizzle mode and GB_ADDR_CONFIG
 * (Gfx9Lib::HwlComputeSurfaceAddrFromCoordTiled), not read from pattern
 * tables as on gfx10/gfx11.  One-sample 2D (thin) and 3D (thin or thick)
 * surfaces, mip chains included, every gfx9 swizzle mode but the
 * variable-size ones.
 */
#ifndef VGPU_SHADER_SWIZZLE_GFX9_H
#define VGPU_SHADER_SWIZZLE_GFX9_H

#include <stdbool.h>
#include <stdint.h>

struct gfx9_swz {
	unsigned sw_mode, elem_log2, blk_log2;
	bool is3d, thick;
	bool z, std, disp, rot, xor_mode, prt;  /* Gfx9Lib::SwizzleModeTable's flags */
	uint32_t blk_w, blk_h, blk_d;       /* block size in texels */
	/* ComputeSurfaceInfoTiled's output the address needs */
	uint32_t pitch, height, num_slices;
	uint32_t chain_pitch, chain_height;
	unsigned levels;
	bool epitch_is_height;   /* the T#'s PITCH holds mipChainHeight - 1 (else
				  * mipChainPitch - 1), as ac_surface writes epitch */
	/* HwlInitGlobalParams from GB_ADDR_CONFIG */
	unsigned pipe_interleave_log2, pipes_log2, se_log2, banks_log2;
	const char *name;
};

/* The layout of a width x height (x depth: a 3D surface's depth, an array's
 * layer count) surface of 2^elem_log2-byte texels with `levels` levels in
 * swizzle mode sw_mode on a gfx9 GPU with gb_addr_config; pitch_in_elem:
 * a one-level surface's pitch in texels if larger than the padded width
 * (0: none; must be a multiple of the block width).  False if the mode is
 * not a gfx9 tiled mode this port holds, or the parameters are outside
 * what addrlib accepts (elem_log2 > 4, a bad pitch, a pipe interleave
 * other than 256 bytes, which addrlib asserts). */
bool gfx9_swz_layout(unsigned sw_mode, unsigned elem_log2, uint32_t gb_addr_config, bool is3d,
		     uint32_t width, uint32_t height, uint32_t depth, unsigned levels,
		     uint32_t pitch_in_elem, struct gfx9_swz *s);

/* Byte offset of texel (x, y) of slice (3D: z) at `level` from the
 * block-aligned surface base, pipe_bank_xor applied as
 * ApplyCustomerPipeBankXor does (an _X mode; the T#'s BASE_ADDRESS bits
 * below the block carry it). */
uint64_t gfx9_swz_offset(const struct gfx9_swz *s, uint32_t x, uint32_t y, uint32_t slice,
			 unsigned level, uint32_t pipe_bank_xor);

/* the pipe + bank XOR bits of the layout's mode (Lib::GetPipeXorBits +
 * Gfx9Lib::GetBankXorBits of its block size; 0 for a mode without XOR) */
unsigned gfx9_swz_xor_bits(const struct gfx9_swz *s);

/* addrlib's name of a gfx9 SW_MODE value */
const char *gfx9_swz_mode_name(unsigned sw_mode);

#endif
