/*
 * MIMG storage-image instructions the way a compute shader uses them on a
 * Vulkan storage image: image_load(_mip), image_store(_mip), their _pck
 * forms, image_get_resinfo and the 32-bit image_atomic_* with integer
 * texel coordinates, on 1D, 2D, 1D-array and 2D-array images, linear or
 * tiled.  The image resource (T#, 8 SGPRs, gfx11 layout as Mesa 22.3's
 * register database gfx11-rsrc.json gives it):
 *   dword0     BASE_ADDRESS >> 8 (a tiled _X mode: the pipe/bank XOR in
 *              the bits below the block size)
 *   dword1     BASE_ADDRESS_HI [7:0], MAX_MIP 19:16, FORMAT [27:20],
 *              WIDTH-1 [1:0] in 31:30
 *   dword2     WIDTH-1 [13:2] in 11:0, HEIGHT-1 in 27:14
 *   dword3     DST_SEL_X/Y/Z/W 11:0, BASE_LEVEL 15:12, LAST_LEVEL 19:16,
 *              SW_MODE 24:20, TYPE 31:28 (8 1D, 9 2D, 12 1D array, 13 2D array)
 *   dword4     DEPTH 12:0 (arrays: the last layer; 1D/2D: a custom
 *              PITCH-1), BASE_ARRAY 28:16
 * FORMAT is the unified format code (shader/mubuf.c's conversions, every
 * code 1-63).  Coordinates, by the instruction's dim: x, y (2D), the
 * layer (array dims), then for the _mip forms the level; slice =
 * BASE_ARRAY + layer (an array TYPE: inside up to DEPTH; RADV gives a
 * one-layer array view TYPE 2D, and a 2D view of layer k BASE_ARRAY k);
 * level = BASE_LEVEL (+ the level coordinate), inside up to LAST_LEVEL
 * and MAX_MIP; the level's size is the image's >> level, at least 1.
 * Outside: a load reads 0, a store or atomic is dropped.
 * Layouts, as Mesa's addrlib computes them for gfx11:
 *   linear (SW_MODE 0, Gfx11Lib::HwlComputeSurfaceInfoLinear): rows padded
 *     to 256 bytes; one level: that pitch or a larger custom one in DEPTH
 *     (1D/2D non-array; Mesa sets it on GFX10.3+ for imported images, RADV
 *     leaves DEPTH 0 for one it creates), a slice is pitch x height;
 *     several levels: the smallest level first, each with its own padded
 *     pitch (level sizes rounded up, as addrlib's GetMipSize), a slice
 *     holds the whole chain;
 *   tiled (the thin 2D modes of shader/swizzle_gfx11.c): the addrlib
 *     swizzle pattern of the mode, texel size and the profile's
 *     GB_ADDR_CONFIG pipes/packers, blocks row-major, a mip chain with its
 *     mip tail block first and the other levels from the smallest up,
 *     slices whole chains; an _X mode XORs the base address's low bits
 *     into the offset within the block;
 *   linear of 96-bit texels (32_32_32, image_linear96): rows of
 *     align(12 * width, 256) bytes (addrlib's 3x-expanded 32-bit layout),
 *     one level.
 * A load returns the channels dmask selects (after DST_SEL), in order,
 * d16-packed with d16; a store writes the dmask channels and keeps the
 * texel's others.  a16 coordinates are the 16-bit halves of the address
 * VGPRs.  _pck (no format conversion): executed for formats of 32-bit
 * components, where it is the raw dword; other formats fault.
 * image_get_resinfo (integers, channel by dmask, at level BASE_LEVEL +
 * the lod in VADDR): x = max(1, WIDTH >> level), y = max(1, HEIGHT >>
 * level), z (2D array) = DEPTH - BASE_ARRAY + 1, w = LAST_LEVEL -
 * BASE_LEVEL + 1; z of other types and y of a 1D array fault.
 * 3D (TYPE 10, dim 3D: x, y, z; the slice is z, inside the level's depth
 * (DEPTH + 1) >> level): linear like an array, tiled Z/R modes thin slice
 * by slice, S/D modes thick (one level).
 * Not modelled (a fault naming it): the tiled modes swizzle_gfx11.c does
 * not hold (the _T modes, S/Z/R without _X in 2D, a 256-byte mode with
 * several levels, a thick 3D mode with several), tfe/lwe, 64-bit image
 * atomics, and image_msaa_load where no source defines it (see
 * image_msaa_load below).
 * MSAA (TYPE 14 2D_MSAA / 15 2D_MSAA_ARRAY, dim 2D_MSAA / 2D_MSAA_ARRAY:
 * x, y, [layer,] sample): samples = 1 << LAST_LEVEL, one level, tiled in
 * addrlib's multi-sample Z_X/R_X patterns (swizzle_gfx11.c; gfx10.3:
 * swizzle_gfx10.c's 64 KiB ones; addrlib
 * allows no linear MSAA surface); a sample index past the image's samples,
 * resinfo and the _mip forms on MSAA fault.
 * Cube (TYPE 11, dim cube: x, y, face): a 2D array of faces, the face
 * coordinate is the slice (BASE_ARRAY + face, inside up to DEPTH; a cube
 * array's cubes are six consecutive faces each, as RADV's DEPTH/BASE_ARRAY
 * count faces).
 * gfx10.3 (SQ_IMG_RSRC_WORD* of gfx10, as ROCr's resource_nv.h lays them
 * out): word 1 MIN_LOD 19:8 and FORMAT 28:20 (9 bits; codes 1-77 are the
 * gfx10 unified formats of shader/mubuf_gfx103.c, the others (SRGB,
 * compressed, ...) fault), MAX_MIP in word 5 bits 7:4, a 1D/2D custom
 * pitch - 1 in word 4 bits 13:0; words 0, 2, 3 and DEPTH/BASE_ARRAY as
 * gfx11.  Linear images are laid out as on gfx11 (Gfx10Lib::
 * HwlComputeSurfaceInfoLinear has the same 256-byte pitch and the same mip
 * chain, smallest level first); tiled ones take addrlib's gfx10 RB+
 * tables (shader/swizzle_gfx10.c: thin 2D modes with mip chains, thick 3D
 * with one level, MSAA in 64 KiB Z_X/R_X); the modes the tables do not
 * hold fault.
 */
#include "internal.h"
#include "mimg_image.h"
#include "swizzle_gfx10.h"
#include "swizzle_gfx11.h"
#include "base/vgpu_device.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static uint32_t *vreg(struct shader_wave *w, unsigned reg, unsigned lane)
{
	return &w->v[(size_t)reg * 64 + lane];
}

void shader_mimg_resolve(struct shader_icache_entry *e)
{
	const char *n = e->base;
	struct shader_mem_plan *p = &e->plan.mem;
	memset(p, 0, sizeof(*p));
	p->kind = MEM_UNMODELLED;
	p->why = "this MIMG instruction is not modelled";
	static const struct { const char *name; uint8_t kind; bool mip, pck; } forms[] = {
		{ "image_load", MEM_LOAD, false, false },
		{ "image_load_mip", MEM_LOAD, true, false },
		{ "image_load_pck", MEM_LOAD, false, true },
		{ "image_load_pck_sgn", MEM_LOAD, false, true },
		{ "image_load_mip_pck", MEM_LOAD, true, true },
		{ "image_load_mip_pck_sgn", MEM_LOAD, true, true },
		{ "image_store", MEM_STORE, false, false },
		{ "image_store_mip", MEM_STORE, true, false },
		{ "image_store_pck", MEM_STORE, false, true },
		{ "image_store_mip_pck", MEM_STORE, true, true },
		{ "image_get_resinfo", MEM_IMG_RESINFO, false, false },
	};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		if (!strcmp(n, forms[i].name)) {
			p->kind = forms[i].kind;
			p->mip = forms[i].mip;
			p->pck = forms[i].pck;
			return;
		}
	if (!strncmp(n, "image_sample", 12) || !strncmp(n, "image_gather4", 13) ||
	    !strcmp(n, "image_get_lod"))
		p->why = "image sampling, gather4 and get_lod (filtered reads through a "
			 "sampler) are not modelled";
	if (!strcmp(n, "image_msaa_load")) {
		if (e->inst.gen == ISA_GEN_GFX11)
			p->kind = MEM_IMG_MSAA_LOAD;
		else
			p->why = "image_msaa_load on gfx10.3 is not modelled (LLVM: it only works "
				 "correctly with single-channel formats there, and returns "
				 "popcount(dmask) dwords, not four samples)";
	} else if (!strncmp(n, "image_atomic_", 13)) {
		static const struct { const char *name; uint8_t aop; } ops[] = {
			{ "swap", AOP_SWAP }, { "cmpswap", AOP_CMPSWAP }, { "add", AOP_ADD },
			{ "sub", AOP_SUB }, { "smin", AOP_MIN_I }, { "umin", AOP_MIN_U },
			{ "smax", AOP_MAX_I }, { "umax", AOP_MAX_U }, { "and", AOP_AND },
			{ "or", AOP_OR }, { "xor", AOP_XOR }, { "inc", AOP_INC }, { "dec", AOP_DEC },
			/* gfx10.3's float atomics (only its decoder has them;
			 * gfx9 and gfx11 dropped them): the f32 operations of
			 * buffer_atomic_fcmpswap/fmin/fmax (shader/atomic.c) */
			{ "fcmpswap", AOP_CMPSWAP_F }, { "fmin", AOP_MIN_F }, { "fmax", AOP_MAX_F },
		};
		for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
			if (!strcmp(n + 13, ops[i].name)) {
				p->kind = MEM_ATOMIC;
				p->aop = ops[i].aop;
			}
	}
}


/* A 2D MSAA (TYPE 14) or 2D MSAA array (TYPE 15) T#, addressed with dim
 * 2D_MSAA or 2D_MSAA_ARRAY.  LAST_LEVEL holds log2(samples) (as RADV's and
 * radeonsi's gfx10+ descriptors write it; an MSAA image has one level:
 * addrlib's ValidateNonSwModeParams refuses MSAA with mips).  addrlib's
 * ValidateSwModeParams refuses a linear MSAA surface, and only the 64 KiB
 * and 256 KiB Z_X/R_X modes have multi-sample patterns
 * (Gfx11Lib::GetSwizzlePatternInfo); anything else faults.  gfx10.3 (the
 * gfx10 T#: 9-bit FORMAT of gfx10 codes; TYPE, LAST_LEVEL, SW_MODE, DEPTH
 * and BASE_ARRAY where gfx11 has them, and RADV writes LAST_LEVEL the same
 * way): addrlib's gfx10 RB+ numFrag patterns, which only the 64 KiB Z_X
 * (up to 32-bit texels: Gfx10Lib::ValidateSwModeParams) and R_X modes
 * have (shader/swizzle_gfx10.c). */
static int image_msaa_of(struct shader_core *c, const struct shader_wave *w,
			 const struct isa_inst *in, struct image *im)
{
	const uint32_t *d = &w->s[in->ops[2].reg];
	char msg[256];
	unsigned sw_mode = (d[3] >> 20) & 0x1f, type = d[3] >> 28, code = (d[1] >> 20) & 0xff;
	if (in->dim != 6 && in->dim != 7) {
		snprintf(msg, sizeof(msg), "image TYPE %u with dim %u is not modelled", type, in->dim);
		return shader_fault(c, msg);
	}
	if (in->tfe || in->lwe)
		return shader_fault(c, "MIMG tfe/lwe is not modelled");
	bool gfx103 = c->gen == ISA_GEN_GFX103;
	if (gfx103) {
		/* gfx10.3's 9-bit FORMAT and gfx10 codes (as image_of) */
		static const struct buf_format none = { 0, 0, 0, 0 };
		code = (d[1] >> 20) & 0x1ffu;
		im->f = code <= 77 ? buf_format_of_gfx103(code) : none;
	} else {
		im->f = buf_format_of(code);
	}
	if (!im->f.ncomp) {
		snprintf(msg, sizeof(msg), "image FORMAT %u is invalid or not modelled", code);
		return shader_fault(c, msg);
	}
	im->type = type;
	im->dim = in->dim;
	im->array = type == 15;
	im->base = ((uint64_t)d[0] | (uint64_t)(d[1] & 0xffu) << 32) << 8;
	im->width = ((d[1] >> 30) | (d[2] & 0xfffu) << 2) + 1;
	im->height = ((d[2] >> 14) & 0x3fffu) + 1;
	im->bytes = buf_format_bytes(&im->f);
	im->dst_sel = d[3] & 0xfffu;
	im->base_level = im->last_level = 0;
	im->levels = 1;
	im->depth = d[4] & 0x1fffu;
	im->base_array = (d[4] >> 16) & 0x1fffu;
	im->tiled = true;
	unsigned log2s = (d[3] >> 16) & 0xfu;
	im->samples = 1u << log2s;
	const struct vgpu_profile *prof = vgpu_profile_get(NULL);
	bool ok = log2s >= 1 && log2s <= 3 && sw_mode != 0 && !(im->bytes & (im->bytes - 1)) && prof;
	unsigned elem_log2 = (unsigned)__builtin_ctz(im->bytes);
	if (ok && gfx103)
		ok = gfx10_swz_layout_msaa(sw_mode, elem_log2, prof->gb_addr_config, im->width,
					   im->height, im->samples, &im->swz);
	else if (ok)
		ok = gfx11_swz_layout_msaa(sw_mode, elem_log2, prof->gb_addr_config, im->width,
					   im->height, im->samples, &im->swz);
	if (!ok) {
		snprintf(msg, sizeof(msg), "MSAA image of %u samples (LAST_LEVEL %u) with SW_MODE %u "
			 "(%s) of %u-byte texels is not modelled (addrlib has multi-sample "
			 "patterns for 2, 4, 8 samples in the %s modes only)",
			 im->samples, log2s, sw_mode, gfx11_swz_mode_name(sw_mode), im->bytes,
			 gfx103 ? "gfx10 RB+ 64KB Z_X (up to 32-bit texels)/R_X"
				: "64KB/256KB Z_X/R_X");
		return shader_fault(c, msg);
	}
	return 0;
}

/* A linear image of 96-bit texels (FORMAT 32_32_32: Vulkan's
 * R32G32B32_*, which RADV creates linear only).  addrlib does not lay it
 * out in 12-byte elements: ElemLib::GetBitsPerPixel makes ADDR_FMT_32_32_32
 * ADDR_EXPANDED by 3, so Lib::ComputeSurfaceInfo sizes it as 32-bit
 * elements three times as wide, and Gfx11Lib/Gfx10Lib::
 * HwlComputeSurfaceInfoLinear pads that row to 256 bytes
 * (PowTwoAlign(3 * width, 64) dwords): the row pitch is
 * align(12 * width, 256) bytes, no whole number of texels (ac_surface's
 * surf_pitch, in dwords, is what RADV's r32g32b32 meta shaders multiply y
 * by; radv_GetImageSubresourceLayout's rowPitch is surf_pitch * 4).  A
 * slice (array layer or 3D slice) is height rows.  Not modelled (a
 * fault): several levels (the expanded mip chain; RADV allows one level
 * for these formats) and a custom pitch in word 4 (Mesa 22.3 writes none
 * for them; its unit for 96-bit texels is not defined by a source the
 * vgpu has). */
static int image_linear96(struct shader_core *c, struct image *im, uint32_t custom)
{
	if (im->levels > 1)
		return shader_fault(c, "linear image of 12-byte texels with several levels is not "
				       "modelled (addrlib's expanded 32-bit mip chain; RADV creates "
				       "R32G32B32 images with one level)");
	if (!im->array && im->type != 10 && custom > 1)
		return shader_fault(c, "linear image of 12-byte texels with a custom pitch in word 4 "
				       "is not modelled");
	im->pitch = 0;
	im->row_bytes = (im->width * 12u + 255u) & ~255u;
	return 0;
}

static int image_of(struct shader_core *c, const struct shader_wave *w, const struct isa_inst *in,
		    struct image *im)
{
	const struct isa_operand *r = &in->ops[2];
	if (r->kind != ISA_OPK_SREG || r->reg + 8u > SHADER_NUM_SREGS)
		return shader_illegal(c);
	if (c->gen == ISA_GEN_GFX9)
		return image_of_gfx9(c, w, in, im);
	im->gfx9 = false;
	const uint32_t *d = &w->s[r->reg];
	char msg[192];
	unsigned sw_mode = (d[3] >> 20) & 0x1f, type = d[3] >> 28, code = (d[1] >> 20) & 0xff;
	/* gfx10.3's T# (see the gfx10.3 note at the end of the file
	 * comment): FORMAT is word 1 bits 28:20 with gfx10's codes */
	bool gfx103 = c->gen == ISA_GEN_GFX103;
	if (gfx103)
		code = (d[1] >> 20) & 0x1ffu;
	/* MSAA: addrlib's multi-sample patterns, gfx11's or gfx10's RB+ ones
	 * (image_msaa_of) */
	if (type == 14 || type == 15)
		return image_msaa_of(c, w, in, im);
	/* gfx11 3D in an S or D swizzle mode is "thick" (HwlIsThick: blocks
	 * spanning several slices); Z and R modes are thin, slice by slice */
	unsigned mode4 = sw_mode & 3;
	bool thick = type == 10 && sw_mode && (mode4 == 1 || mode4 == 2);
	/* the instruction's dim gives the coordinates, the T#'s TYPE the
	 * layout: a 1D type with a 1D or 1D-array dim, a 2D type with a 2D or
	 * 2D-array dim (RADV gives a one-layer 2D-array view TYPE 2D), a 3D
	 * type with dim 3D, a cube type with dim cube */
	bool dim_2d = in->dim == 1 || in->dim == 5, dim_1d = in->dim == 0 || in->dim == 4;
	bool type_2d = type == 9 || type == 13;
	if (type < 8 || type > 13 ||
	    (type == 10 ? in->dim != 2 : type == 11 ? in->dim != 3 : !(type_2d ? dim_2d : dim_1d))) {
		snprintf(msg, sizeof(msg), "image TYPE %u with dim %u is not modelled", type, in->dim);
		return shader_fault(c, msg);
	}
	if (in->tfe || in->lwe)
		return shader_fault(c, "MIMG tfe/lwe is not modelled");
	if (gfx103) {
		static const struct buf_format none = { 0, 0, 0, 0 };
		im->f = code <= 77 ? buf_format_of_gfx103(code) : none;
	} else {
		im->f = buf_format_of(code);
	}
	if (!im->f.ncomp) {
		snprintf(msg, sizeof(msg), "image FORMAT %u is invalid or not modelled", code);
		return shader_fault(c, msg);
	}
	im->type = type;
	im->dim = in->dim;
	im->samples = 1;
	/* a cube (TYPE 11) is laid out as a 2D array of faces: the face
	 * coordinate is the slice (BASE_ARRAY + face, up to DEPTH), a cube
	 * array's faces following one another six per cube */
	im->array = type >= 11;
	im->base = ((uint64_t)d[0] | (uint64_t)(d[1] & 0xffu) << 32) << 8;
	im->width = ((d[1] >> 30) | (d[2] & 0xfffu) << 2) + 1;
	im->height = (type == 9 || type == 10 || type == 11 || type == 13) ? ((d[2] >> 14) & 0x3fffu) + 1 : 1;
	im->bytes = buf_format_bytes(&im->f);
	im->dst_sel = d[3] & 0xfffu;
	im->base_level = (d[3] >> 12) & 0xfu;
	im->last_level = (d[3] >> 16) & 0xfu;
	im->levels = ((gfx103 ? d[5] >> 4 : d[1] >> 16) & 0xfu) + 1;
	im->depth = d[4] & 0x1fffu;
	im->base_array = (d[4] >> 16) & 0x1fffu;
	im->tiled = sw_mode != 0;
	if (gfx103) {
		/* gfx10.3: linear with one level, or tiled in a mode of
		 * shader/swizzle_gfx10.c (addrlib's gfx10 RB+ tables) */
		const struct vgpu_profile *prof = vgpu_profile_get(NULL);
		unsigned elem_log2 = (unsigned)__builtin_ctz(im->bytes);
		if (im->tiled && ((im->bytes & (im->bytes - 1)) || !prof ||
				  !gfx10_swz_layout(sw_mode, elem_log2, prof->gb_addr_config,
						    im->width, im->height, im->levels, thick,
						    &im->swz))) {
			snprintf(msg, sizeof(msg), "gfx10.3 image TYPE %u with SW_MODE %u (%s) of %u-byte "
				 "texels and %u levels%s: this swizzle is not modelled", type, sw_mode,
				 gfx11_swz_mode_name(sw_mode), im->bytes, im->levels,
				 thick ? " (3D thick)" : "");
			return shader_fault(c, msg);
		}
		if (im->tiled)
			return 0;
	}
	if (im->tiled) {
		unsigned elem_log2 = (unsigned)__builtin_ctz(im->bytes);
		const struct vgpu_profile *prof = vgpu_profile_get(NULL);
		if ((im->bytes & (im->bytes - 1)) || !prof ||
		    !gfx11_swz_layout(sw_mode, elem_log2, prof->gb_addr_config, im->width, im->height,
				      im->levels, thick, &im->swz)) {
			snprintf(msg, sizeof(msg), "image with SW_MODE %u (%s) of %u-byte texels and %u "
				 "levels%s: this swizzle is not modelled", sw_mode,
				 gfx11_swz_mode_name(sw_mode), im->bytes, im->levels,
				 thick ? " (3D thick)" : "");
			return shader_fault(c, msg);
		}
		return 0;
	}
	/* Linear (Gfx11Lib::HwlComputeSurfaceInfoLinear): rows padded to 256
	 * bytes (PowTwoAlign(width, 256 / bytes per texel)).  One level:
	 * that pitch, or a larger custom one in DEPTH for a 1D/2D non-array
	 * image (GFX10.3+: Mesa sets it for imported linear images, a
	 * multiple of 256 bytes; RADV leaves DEPTH 0 for an image it
	 * creates). */
	/* gfx10.3: that custom pitch - 1 is 14 bits, bit 13 in word 4 bit 13 */
	uint32_t custom = gfx103 ? (d[4] & 0x3fffu) + 1 : im->depth + 1;
	if (im->bytes == 12)
		return image_linear96(c, im, custom);
	if (256u % im->bytes) {
		snprintf(msg, sizeof(msg), "linear image of %u-byte texels: the row pitch rule is "
			 "not modelled", im->bytes);
		return shader_fault(c, msg);
	}
	uint32_t align = 256u / im->bytes;
	im->pitch = (im->width + align - 1) & ~(align - 1);
	if (!im->array && type != 10 && im->levels == 1 && custom > im->pitch)
		im->pitch = custom;
	im->row_bytes = im->pitch * im->bytes;
	return 0;
}

/* The byte offset of texel (x, y) of `slice` at `level` from the base;
 * false if outside the image. */
static bool texel_offset(const struct image *im, uint32_t x, uint32_t y, uint32_t slice,
			 unsigned level, uint32_t sample, uint64_t *off)
{
	if (im->gfx9)
		return texel_offset_gfx9(im, x, y, slice, level, off);
	if (im->samples > 1) {
		/* the slice inside DEPTH for both MSAA types (RADV writes the
		 * view's last layer there; a TYPE 14 view has DEPTH 0) */
		if (x >= im->width || y >= im->height || slice > im->depth)
			return false;
		uint64_t blk_mask = ((uint64_t)1 << im->swz.blk_log2) - 1;
		uint64_t o = gfx11_swz_offset_msaa(&im->swz, x, y, slice, sample);
		*off = ((o & ~blk_mask) | ((o & blk_mask) ^ (im->base & blk_mask))) -
		       (im->base & blk_mask);
		return true;
	}
	if (level > im->last_level || level >= im->levels)
		return false;
	if (im->array && slice > im->depth)
		return false;
	if (im->type == 10) {           /* 3D: z inside the level's depth */
		uint32_t dl = (im->depth + 1) >> level;
		if (slice >= (dl ? dl : 1))
			return false;
	}
	uint32_t w = im->width >> level, h = im->height >> level;
	w = w ? w : 1;
	h = h ? h : 1;
	if (x >= w || y >= h)
		return false;
	if (im->tiled) {
		/* an _X mode XORs the base address's low bits (Mesa ORs the
		 * pipe/bank XOR, tile_swizzle, into BASE_ADDRESS) into the
		 * offset within the block */
		uint64_t blk_mask = ((uint64_t)1 << im->swz.blk_log2) - 1;
		uint64_t o = gfx11_swz_offset(&im->swz, x, y, slice, level);
		uint64_t xr = im->swz.xor_mode ? im->base & blk_mask : 0;
		*off = ((o & ~blk_mask) | ((o & blk_mask) ^ xr)) - (im->base & blk_mask);
		return true;
	}
	if (im->levels == 1) {
		*off = ((uint64_t)slice * im->height + y) * im->row_bytes + (uint64_t)x * im->bytes;
		return true;
	}
	uint32_t align = 256u / im->bytes;
	/* several levels: the smallest first, each its own padded pitch, the
	 * level sizes rounded up (GetMipSize: ShiftCeil); a slice holds the
	 * whole chain */
	uint64_t chain = 0, at = 0;
	for (int i = (int)im->levels - 1; i >= 0; i--) {
		uint32_t lw = (im->width + (1u << i) - 1) >> i, lh = (im->height + (1u << i) - 1) >> i;
		uint64_t lp = (lw + align - 1) & ~(uint64_t)(align - 1);
		if ((unsigned)i == level)
			at = chain + ((uint64_t)y * lp + x) * im->bytes;
		chain += lp * lh * im->bytes;
	}
	*off = (uint64_t)slice * chain + at;
	return true;
}

/* coordinate k of lane `lane` (NSA list, a range, or a16 halves) */
static uint32_t coord(struct shader_wave *w, const struct isa_inst *in, unsigned k, unsigned lane)
{
	unsigned idx = in->a16 ? k / 2 : k;
	unsigned reg = in->nsa ? in->nsa_reg[idx] : in->ops[1].reg + idx;
	uint32_t v = *vreg(w, reg, lane);
	return in->a16 ? (k & 1 ? v >> 16 : v & 0xffffu) : v;
}

/* the texel's components as VGPR values (d16: 16-bit), 0/1 for missing;
 * pck: the raw component bits */
static void texel_read(const struct image *im, const uint8_t *buf, bool d16, bool pck,
		       uint32_t comp[4])
{
	bool fp = im->f.nf != NF_UINT && im->f.nf != NF_SINT;
	for (unsigned i = 0; i < 4; i++) {
		if (i >= im->f.ncomp) {
			comp[i] = i < 3 ? 0 : fp ? (d16 ? 0x3c00u : 0x3f800000u) : 1;
			continue;
		}
		struct buf_format fi;
		uint32_t raw = buf_comp_get(&im->f, buf, i, &fi);
		comp[i] = pck ? raw : fmt_to_reg(&fi, raw, d16);
	}
}

/* Channel `ch` of a texel as a load returns it: the component its
 * DST_SEL picks (comp from texel_read), or DST_SEL's constant 1 or 0. */
static uint32_t dst_sel_value(const struct image *im, unsigned ch, const uint32_t comp[4], bool d16)
{
	unsigned sel = (im->dst_sel >> (3 * ch)) & 7u;
	bool fp = im->f.nf != NF_UINT && im->f.nf != NF_SINT;
	uint32_t one = fp ? (d16 ? 0x3c00u : 0x3f800000u) : 1;
	return sel >= 4 ? comp[sel - 4] : sel == 1 ? one : 0;
}

/* Element k of a load's result into VDATA: dword k, or (d16) the low or
 * high half of dword k / 2, the other half kept. */
static void vdata_put(struct shader_wave *w, unsigned reg, unsigned k, unsigned lane, uint32_t v,
		      bool d16)
{
	if (!d16) {
		*vreg(w, reg + k, lane) = v;
		return;
	}
	uint32_t *dd = vreg(w, reg + k / 2, lane);
	*dd = k & 1 ? (*dd & 0xffffu) | (v << 16) : (*dd & 0xffff0000u) | (v & 0xffffu);
}

/* image_get_resinfo (see the file comment) */
static int image_resinfo(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
			 const struct image *im)
{
	const struct isa_operand *vdata = &in->ops[0];
	if ((in->dmask & 4) && im->type != 13 && im->type != 10)
		return shader_fault(c, "image_get_resinfo z of a 1D/2D/1D-array image is not modelled "
				       "(only a 2D array's layers and a 3D image's depth)");
	if ((in->dmask & 2) && im->type == 12)
		return shader_fault(c, "image_get_resinfo y of a 1D array is not modelled");
	uint64_t exec = wave_exec(c, w);
	for (unsigned lane = 0; lane < c->lanes; lane++) {
		if (!((exec >> lane) & 1))
			continue;
		uint32_t lod = coord(w, in, 0, lane);
		uint32_t level = lod > 15 ? 31u : im->base_level + lod;
		uint32_t wd = level > 31 ? 0 : im->width >> level, ht = level > 31 ? 0 : im->height >> level;
		uint32_t dp = level > 31 ? 0 : (im->depth + 1) >> level;
		uint32_t v[4] = { wd ? wd : 1, ht ? ht : 1,
				  im->type == 10 ? (dp ? dp : 1)
				  : im->depth >= im->base_array ? im->depth - im->base_array + 1 : 0,
				  im->last_level >= im->base_level ? im->last_level - im->base_level + 1 : 0 };
		unsigned k = 0;
		for (unsigned ch = 0; ch < 4; ch++)
			if ((in->dmask >> ch) & 1)
				*vreg(w, vdata->reg + k++, lane) = v[ch];
	}
	return 0;
}

/* image_msaa_load: one component of four consecutive samples.  The RDNA3
 * guide only says "Load up to 4 samples of 1 component from an MSAA
 * resource with a user-specified fragment ID"; what it returns is pinned
 * down by LLVM's AMDGPUImageIntrinsicOptimizer, which on gfx11 parts
 * without FeatureMSAALoadDstSelBug (GC 11.5: llc-19 -mcpu=gfx1150/1151/
 * 1152 emit it, gfx1100-1103 do not) replaces image loads of samples
 * 4g..4g+3 of one texel, each with the same one-channel dmask, by one
 * image_msaa_load with that dmask and fragment id 4g, whose element k is
 * sample 4g + k (d16: four halves, two per VGPR).  So: dmask has one bit,
 * the channel as image_load returns it (after DST_SEL); VDATA[k] is that
 * channel of sample F + k.  What no source defines faults: a dmask with
 * several bits, a fragment id that is not a multiple of 4, another dim, a
 * non-MSAA image, gfx10.3 (shader_mimg_resolve: LLVM says its msaa_load
 * "only works correctly with single-channel texture formats"), and on GC 11.0 (the DstSel bug: "MSAA
 * loads not honoring dst_sel") a DST_SEL of the channel other than the
 * channel itself, where honoring it or not would differ.  Samples past
 * the image's, like texels outside it, read 0 (LLVM merges loads of
 * samples 0 and 1 of a 2-sample image into one msaa_load and never uses
 * the other two). */
static int image_msaa_load(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
			   const struct image *im)
{
	char msg[200];
	if (im->samples < 2 || (in->dim != 6 && in->dim != 7))
		return shader_fault(c, "image_msaa_load of a non-MSAA image or dim is not modelled");
	if (__builtin_popcount(in->dmask) != 1) {
		snprintf(msg, sizeof(msg), "image_msaa_load with dmask 0x%x is not modelled (one "
			 "component only)", in->dmask);
		return shader_fault(c, msg);
	}
	unsigned ch = (unsigned)__builtin_ctz(in->dmask);
	unsigned sel = (im->dst_sel >> (3 * ch)) & 7u;
	const struct vgpu_profile *prof = vgpu_profile_get(NULL);
	if (prof && prof->gc_major == 11 && prof->gc_minor == 0 && sel != 4 + ch) {
		snprintf(msg, sizeof(msg), "image_msaa_load of channel %u with DST_SEL %u on GC 11.0 "
			 "is not modelled (LLVM's MSAALoadDstSelBug: these parts do not honor "
			 "dst_sel)", ch, sel);
		return shader_fault(c, msg);
	}
	const struct isa_operand *vdata = &in->ops[0];
	bool d16 = in->d16;
	unsigned nc = in->dim == 7 ? 3 : 2;   /* x, y, [layer,] fragment id */
	uint64_t exec = wave_exec(c, w);
	for (unsigned lane = 0; lane < c->lanes; lane++) {
		if (!((exec >> lane) & 1))
			continue;
		uint32_t x = coord(w, in, 0, lane), y = coord(w, in, 1, lane);
		uint32_t layer = nc == 3 ? coord(w, in, 2, lane) : 0;
		uint32_t frag = coord(w, in, nc, lane);
		if (frag % 4) {
			snprintf(msg, sizeof(msg), "image_msaa_load with fragment id %u (not a multiple "
				 "of 4) is not modelled", frag);
			return shader_fault(c, msg);
		}
		uint32_t slice = layer > 0x1fffu ? 0x2000u : im->base_array + layer;
		for (unsigned k = 0; k < 4; k++) {
			uint32_t v = 0;
			uint64_t off = 0;
			uint32_t sample = frag + k;
			if (sample >= frag && sample < im->samples &&
			    texel_offset(im, x, y, slice, im->base_level, sample, &off)) {
				uint8_t buf[16] = { 0 };
				int r = exec_vm_window_copy(&c->vm, im->base + off, buf, im->bytes, false);
				if (r)
					return r;
				uint32_t comp[4];
				texel_read(im, buf, d16, false, comp);
				v = dst_sel_value(im, ch, comp, d16);
			}
			vdata_put(w, vdata->reg, k, lane, v, d16);
		}
	}
	return 0;
}

static int mimg_inst(struct shader_core *c, struct shader_wave *w,
		     const struct shader_icache_entry *e)
{
	const struct isa_inst *in = &e->inst;
	const struct shader_mem_plan *p = &e->plan.mem;
	if (p->kind == MEM_UNMODELLED)
		return shader_fault(c, p->why);
	const struct isa_operand *vdata = &in->ops[0], *vaddr = &in->ops[1];
	if (vmem_check_vgprs(c, w, vdata) || (!in->nsa && vmem_check_vgprs(c, w, vaddr)))
		return -ECANCELED;
	if (in->nsa)
		for (unsigned i = 0; i < vaddr->bits / 32u; i++)
			if (in->nsa_reg[i] >= w->nvgpr)
				return shader_fault(c, "VGPR operand beyond the RSRC1.VGPRS allocation");
	struct image im;
	int r = image_of(c, w, in, &im);
	if (r)
		return r;
	if (im.samples > 1 && p->kind == MEM_IMG_RESINFO)
		return shader_fault(c, "image_get_resinfo of an MSAA image is not modelled");
	if (im.samples > 1 && p->mip)
		return shader_illegal(c);      /* an MSAA image has no levels */
	if (p->kind == MEM_IMG_RESINFO)
		return image_resinfo(c, w, in, &im);
	if (p->kind == MEM_IMG_MSAA_LOAD)
		return image_msaa_load(c, w, in, &im);
	if (p->pck && (im.f.packed || im.f.bits != 32)) {
		char msg[128];
		snprintf(msg, sizeof(msg), "image _pck access to a format of %u-bit components: "
			 "the packing is not modelled, only 32-bit components",
			 im.f.packed ? 10u : im.f.bits);
		return shader_fault(c, msg);
	}
	if (p->kind == MEM_ATOMIC && (im.bytes != 4 || im.f.ncomp != 1 || in->dmask != 1) &&
	    !(p->aop == AOP_CMPSWAP && in->dmask == 3 && im.bytes == 4) &&
	    !(p->aop == AOP_CMPSWAP_F && in->dmask == 3 && im.bytes == 4 && im.f.ncomp == 1))
		return shader_fault(c, "image atomics other than 32-bit on a one-channel 32-bit "
				       "format are not modelled");
	bool d16 = in->d16 && !p->pck;
	/* coordinates: x, y (2D, 3D, cube, MSAA), the layer (arrays; 3D: z;
	 * cube: the face), then the level (_mip) or the sample (MSAA) */
	bool has_y = im.dim == 1 || im.dim == 2 || im.dim == 3 || im.dim >= 5;
	bool has_layer = im.dim == 2 || im.dim == 3 || im.dim == 4 || im.dim == 5 || im.dim == 7;
	unsigned ncoord = 1 + has_y + has_layer;
	uint64_t exec = wave_exec(c, w);
	for (unsigned lane = 0; lane < c->lanes; lane++) {
		if (!((exec >> lane) & 1))
			continue;
		uint32_t x = coord(w, in, 0, lane), y = has_y ? coord(w, in, 1, lane) : 0;
		/* the layer: BASE_ARRAY + the layer coordinate, up to DEPTH */
		uint32_t layer = has_layer ? coord(w, in, 1 + has_y, lane) : 0;
		/* 3D: the slice is z (DEPTH is the depth - 1, BASE_ARRAY unused) */
		uint32_t slice = layer > 0x1fffu ? 0x2000u : im.type == 10 ? layer : im.base_array + layer;
		/* the level: BASE_LEVEL, plus the _mip forms' level coordinate */
		uint32_t lod = p->mip ? coord(w, in, ncoord, lane) : 0;
		unsigned level = lod > 15 ? 16 : im.base_level + lod;
		/* MSAA: the sample index; past the image's samples the access
		 * is not defined by a source the vgpu has */
		uint32_t sample = im.samples > 1 ? coord(w, in, ncoord, lane) : 0;
		if (sample >= im.samples) {
			char msg[128];
			snprintf(msg, sizeof(msg), "MSAA image access to sample %u of a %u-sample "
				 "image is not modelled", sample, im.samples);
			return shader_fault(c, msg);
		}
		uint64_t off = 0;
		bool inside = texel_offset(&im, x, y, slice, level, sample, &off);
		uint64_t va = im.base + off;
		uint8_t buf[16] = { 0 };
		if (p->kind == MEM_ATOMIC) {
			uint64_t old = 0, nv;
			uint64_t src = *vreg(w, vdata->reg, lane);
			/* cmpswap: DATA = {new value (source), compare value},
			 * as buffer_atomic_(f)cmpswap */
			bool two = p->aop == AOP_CMPSWAP || p->aop == AOP_CMPSWAP_F;
			uint64_t cmp = two ? *vreg(w, vdata->reg + 1, lane) : 0;
			if (inside) {
				if ((r = exec_vm_window_copy(&c->vm, va, &old, 4, false)))
					return r;
				shader_atomic_apply(p->aop, false, old, src, cmp, &nv);
				if ((r = exec_vm_window_copy(&c->vm, va, &nv, 4, true)))
					return r;
			}
			if (in->glc)
				*vreg(w, vdata->reg, lane) = (uint32_t)old;
			continue;
		}
		if (inside && (r = exec_vm_window_copy(&c->vm, va, buf, im.bytes, false)))
			return r;
		uint32_t comp[4];
		texel_read(&im, buf, d16, p->pck, comp);
		if (p->kind == MEM_LOAD) {
			unsigned k = 0;
			for (unsigned ch = 0; ch < 4; ch++)
				if ((in->dmask >> ch) & 1)
					vdata_put(w, vdata->reg, k++, lane,
						  inside ? dst_sel_value(&im, ch, comp, d16) : 0, d16);
			continue;
		}
		if (!inside)
			continue;
		/* store: the dmask channels from the VGPRs, the others kept */
		unsigned k = 0;
		for (unsigned ch = 0; ch < im.f.ncomp; ch++) {
			if (!((in->dmask >> ch) & 1))
				continue;
			uint32_t v = d16 ? (k & 1 ? *vreg(w, vdata->reg + k / 2, lane) >> 16
						  : *vreg(w, vdata->reg + k / 2, lane) & 0xffffu)
					 : *vreg(w, vdata->reg + k, lane);
			k++;
			struct buf_format fi;
			(void)buf_comp_get(&im.f, buf, ch, &fi);
			buf_comp_put(&im.f, buf, ch, p->pck ? v : reg_to_fmt(&fi, v, d16));
		}
		if ((r = exec_vm_window_copy(&c->vm, va, buf, im.bytes, true)))
			return r;
	}
	return 0;
}

/* One VM window for all lanes, as shader_exec_vmem. */
int shader_exec_mimg(struct shader_core *c, struct shader_wave *w,
		     const struct shader_icache_entry *e)
{
	exec_vm_window_open(&c->vm, c->job);
	int r = mimg_inst(c, w, e);
	exec_vm_window_close(&c->vm);
	return r;
}
