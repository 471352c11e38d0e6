/*
 * gfx9 (Vega) image descriptors for the MIMG storage-image instructions
 * of shader/mimg.c, which executes them with the texel code it shares with
 * gfx10.3/gfx11 once this file has decoded the T# and addresses the texel.
 * The T# (SQ_IMG_RSRC_WORD0..7, Linux 6.12 gc_9_0_sh_mask.h; filled as
 * Mesa 22.3.6's radv_image.c si_make_texture_descriptor /
 * radv_set_mutable_tex_desc_fields do for gfx9):
 *   word0  BASE_ADDRESS >> 8 (an _X swizzle mode: the pipe/bank XOR,
 *          tile_swizzle, in the bits below the block)
 *   word1  BASE_ADDRESS_HI 7:0, MIN_LOD 19:8 (not used: no sampling),
 *          DATA_FORMAT 25:20, NUM_FORMAT 29:26
 *   word2  WIDTH-1 13:0, HEIGHT-1 27:14 (of level 0)
 *   word3  DST_SEL_X/Y/Z/W 11:0, BASE_LEVEL 15:12, LAST_LEVEL 19:16,
 *          SW_MODE 24:20, TYPE 31:28
 *   word4  DEPTH 12:0 (3D: depth - 1; otherwise the last layer the view
 *          reaches), PITCH 28:13 (addrlib's epitch: mipChainPitch - 1, or
 *          mipChainHeight - 1 when epitchIsHeight)
 *   word5  BASE_ARRAY 12:0, MAX_MIP 31:28 (levels - 1)
 *   word6  COMPRESSION_EN 21 (DCC/HTILE metadata: not modelled, a fault)
 * DATA_FORMAT 1-14 with NUM_FORMAT UNORM, SNORM, USCALED, SSCALED, UINT,
 * SINT or FLOAT are the pairs gfx9 buffers have (shader/mubuf_gfx9.c's
 * buf_format_of_gfx9, whose conversions mimg.c applies); the others
 * (5_6_5, SRGB, block-compressed, ...) fault.
 * Coordinates: gfx9 MIMG has no dim, only da (declare array).  x; y for
 * every TYPE but 1D and 1D_ARRAY; z for 3D; then the layer when da is set
 * (cube: the face; a cube TYPE needs da, 3D refuses it).  An array TYPE
 * addressed without da reads layer BASE_ARRAY (RADV gives an arrayed
 * image's 2D views TYPE 2D_ARRAY).  Then the _mip forms' level.
 * Layout (addrlib gfx9, Gfx9Lib):
 *   linear (SW_MODE 0, HwlComputeSurfaceInfoLinear / ComputeSurfaceLinear-
 *     Padding): rows padded to 256 bytes; one level: pitch PITCH + 1 (at
 *     least the padded width); several: every level with level 0's padded
 *     pitch, one under the other (PITCH + 1 must then be the chain's rows);
 *     a slice (array layer, 3D z) holds the whole chain;
 *   tiled: shader/swizzle_gfx9.c (HwlComputeSurfaceAddrFromCoordTiled),
 *     with PITCH + 1 as the pitch of a one-level surface and checked
 *     against addrlib's epitch for a mip chain; 1D types are linear only
 *     (ValidateSwModeParams).
 * Not modelled (faults): MSAA types, tfe/lwe, META/COMPRESSION_EN, the
 * swizzle cases swizzle_gfx9.c refuses, a PITCH addrlib would not write.
 * The executor is checked only on the vgpu against addrlib's addresses.
 */
#include "mimg_image.h"
#include "base/vgpu_device.h"

#include <stdio.h>

/* A linear image of 96-bit texels (32_32_32: Vulkan's R32G32B32_*, which
 * RADV creates linear only).  addrlib lays it out as 32-bit elements three
 * times as wide (Lib::ComputeSurfaceInfo: ElemLib::GetBitsPerPixel makes
 * ADDR_FMT_32_32_32 ADDR_EXPANDED by 3, AdjustSurfaceInfo triples the
 * width), so Gfx9Lib::ComputeSurfaceLinearPadding pads the row to
 * PowTwoAlign(3 * width, 64) dwords, and ac_surface's epitch (the T#
 * PITCH) is that dword count - 1: a row is (PITCH + 1) * 4 bytes, no whole
 * number of texels.  Not modelled (a fault): several levels (RADV allows
 * one for these formats) and a PITCH addrlib would not write. */
static int image_linear96_gfx9(struct shader_core *c, struct image *im, uint32_t pitch)
{
	char msg[200];
	if (im->levels > 1)
		return shader_fault(c, "gfx9 linear image of 12-byte texels with several levels is "
				       "not modelled (addrlib's expanded 32-bit mip chain; RADV creates "
				       "R32G32B32 images with one level)");
	uint32_t padded = (3u * im->width + 63u) & ~63u;
	if (pitch < padded || pitch % 64u) {
		snprintf(msg, sizeof(msg), "gfx9 linear image of 12-byte texels with PITCH %u (width "
			 "%u): addrlib's expanded row is %u dwords; another pitch is not modelled",
			 pitch - 1, im->width, padded);
		return shader_fault(c, msg);
	}
	im->pitch = 0;
	im->row_bytes = pitch * 4u;
	im->slice_bytes = (uint64_t)im->row_bytes * im->height;
	return 0;
}

int image_of_gfx9(struct shader_core *c, const struct shader_wave *w, const struct isa_inst *in,
		  struct image *im)
{
	const struct isa_operand *r = &in->ops[2];
	if (r->kind != ISA_OPK_SREG || r->reg + 8u > SHADER_NUM_SREGS)
		return shader_illegal(c);
	const uint32_t *d = &w->s[r->reg];
	char msg[224];
	unsigned dfmt = (d[1] >> 20) & 0x3f, nfmt = (d[1] >> 26) & 0xf;
	unsigned sw_mode = (d[3] >> 20) & 0x1f, type = d[3] >> 28;
	if (type < 8 || type > 13) {
		snprintf(msg, sizeof(msg), "gfx9 image TYPE %u is not modelled (MSAA or not an image)",
			 type);
		return shader_fault(c, msg);
	}
	if (in->tfe || in->lwe)
		return shader_fault(c, "MIMG tfe/lwe is not modelled");
	if ((d[6] >> 21) & 1)
		return shader_fault(c, "gfx9 image with COMPRESSION_EN (DCC/HTILE metadata) is not "
				       "modelled");
	/* the coordinates as a gfx10 dim (see the file comment) */
	static const uint8_t dim_plain[6] = { 0, 1, 2, 3, 0, 1 }, dim_da[6] = { 4, 5, 0xff, 3, 4, 5 };
	unsigned dim = in->da ? dim_da[type - 8] : dim_plain[type - 8];
	if (dim == 0xff || (type == 11 && !in->da)) {
		snprintf(msg, sizeof(msg), "gfx9 image TYPE %u with da %u is not modelled", type, in->da);
		return shader_fault(c, msg);
	}
	im->f = dfmt <= 14 ? buf_format_of_gfx9(dfmt, nfmt) : (struct buf_format){ 0, 0, 0, 0 };
	if (!im->f.ncomp) {
		snprintf(msg, sizeof(msg), "gfx9 image DATA_FORMAT %u NUM_FORMAT %u is invalid or not "
			 "modelled", dfmt, nfmt);
		return shader_fault(c, msg);
	}
	im->gfx9 = true;
	im->dim = dim;
	im->type = type;
	im->samples = 1;
	im->array = type >= 11;
	im->base = ((uint64_t)d[0] | (uint64_t)(d[1] & 0xffu) << 32) << 8;
	im->width = (d[2] & 0x3fffu) + 1;
	im->height = (type == 8 || type == 12) ? 1 : ((d[2] >> 14) & 0x3fffu) + 1;
	im->bytes = buf_format_bytes(&im->f);
	im->dst_sel = d[3] & 0xfffu;
	im->base_level = (d[3] >> 12) & 0xfu;
	im->last_level = (d[3] >> 16) & 0xfu;
	im->levels = (d[5] >> 28) + 1;
	im->depth = d[4] & 0x1fffu;
	im->base_array = d[5] & 0x1fffu;
	im->tiled = sw_mode != 0;
	uint32_t pitch = ((d[4] >> 13) & 0xffffu) + 1;
	bool is3d = type == 10;
	/* the slices the layout spans: 3D its depth, arrays up to DEPTH */
	uint32_t slices = is3d ? im->depth + 1 : im->array ? im->depth + 1 : 1;
	if (im->tiled) {
		const struct vgpu_profile *prof = vgpu_profile_get(NULL);
		bool ok = !(im->bytes & (im->bytes - 1)) && prof && type != 8 && type != 12 &&
			  gfx9_swz_layout(sw_mode, (unsigned)__builtin_ctz(im->bytes),
					  prof->gb_addr_config, is3d, im->width, im->height, slices,
					  im->levels, im->levels == 1 ? pitch : 0, &im->swz9);
		if (!ok) {
			snprintf(msg, sizeof(msg), "gfx9 image TYPE %u with SW_MODE %u (%s) of %u-byte "
				 "texels, %u levels, PITCH %u: this swizzle is not modelled", type,
				 sw_mode, gfx9_swz_mode_name(sw_mode), im->bytes, im->levels, pitch);
			return shader_fault(c, msg);
		}
		const struct gfx9_swz *s = &im->swz9;
		uint32_t epitch = s->epitch_is_height ? s->chain_height : s->chain_pitch;
		if (im->levels > 1 && pitch != epitch) {
			snprintf(msg, sizeof(msg), "gfx9 tiled mip chain with PITCH %u where addrlib's epitch "
				 "is %u: not modelled", pitch - 1, epitch - 1);
			return shader_fault(c, msg);
		}
		/* ApplyCustomerPipeBankXor: the XOR bits above the 256-byte
		 * pipe interleave (ExtractPipeBankXor refuses more bits than
		 * the mode's pipe + bank bits; so does the vgpu) */
		uint64_t blk_mask = ((uint64_t)1 << s->blk_log2) - 1;
		im->pbx = s->xor_mode ? (uint32_t)((im->base & blk_mask) >> 8) : 0;
		uint32_t pb = gfx9_swz_xor_bits(s);
		if (s->xor_mode && im->pbx >> pb) {
			snprintf(msg, sizeof(msg), "gfx9 image base 0x%llx: pipe/bank XOR 0x%x has more than "
				 "the %u bits of %s: not modelled", (unsigned long long)im->base, im->pbx,
				 pb, s->name);
			return shader_fault(c, msg);
		}
		return 0;
	}
	/* linear (the file comment) */
	if (im->bytes == 12)
		return image_linear96_gfx9(c, im, pitch);
	if (256u % im->bytes) {
		snprintf(msg, sizeof(msg), "gfx9 linear image of %u-byte texels: the row pitch rule is "
			 "not modelled", im->bytes);
		return shader_fault(c, msg);
	}
	uint32_t align = 256u / im->bytes;
	uint32_t padded = (im->width + align - 1) & ~(align - 1);
	uint64_t rows = 0;
	for (unsigned i = 0; i < im->levels; i++) {
		uint32_t h = im->height >> i;
		rows += h ? h : 1;
	}
	if (im->levels == 1) {
		if (pitch < padded || pitch % align) {
			snprintf(msg, sizeof(msg), "gfx9 linear image with PITCH %u (width %u): a pitch "
				 "below the 256-byte padded width or not a multiple of it is not "
				 "modelled", pitch - 1, im->width);
			return shader_fault(c, msg);
		}
		im->pitch = pitch;
	} else {
		if (pitch != rows) {
			snprintf(msg, sizeof(msg), "gfx9 linear mip chain with PITCH %u where addrlib's "
				 "epitch (the chain's rows - 1) is %llu: not modelled", pitch - 1,
				 (unsigned long long)rows - 1);
			return shader_fault(c, msg);
		}
		im->pitch = padded;
	}
	im->slice_bytes = (uint64_t)im->pitch * rows * im->bytes;
	return 0;
}

bool texel_offset_gfx9(const struct image *im, uint32_t x, uint32_t y, uint32_t slice,
		       unsigned level, uint64_t *off)
{
	if (level > im->last_level || level >= im->levels)
		return false;
	/* DEPTH: the last layer the view reaches (non-array TYPEs: 0) */
	if (im->type != 10 && slice > im->depth)
		return false;
	if (im->type == 10) {
		uint32_t dl = (im->depth + 1) >> level;
		if (slice >= (dl ? dl : 1))
			return false;
	}
	uint32_t w = im->width >> level, h = im->height >> level;
	if (x >= (w ? w : 1) || y >= (h ? h : 1))
		return false;
	if (im->tiled) {
		/* the base's bits below the block are the pipe/bank XOR the
		 * offset already carries */
		uint64_t blk_mask = ((uint64_t)1 << im->swz9.blk_log2) - 1;
		uint64_t o = gfx9_swz_offset(&im->swz9, x, y, slice, level, im->pbx);
		*off = o - (im->swz9.xor_mode ? im->base & blk_mask : 0);
		return true;
	}
	if (im->bytes == 12) {
		*off = (uint64_t)slice * im->slice_bytes + (uint64_t)y * im->row_bytes + (uint64_t)x * 12u;
		return true;
	}
	/* linear: level i under the levels before it, level 0's pitch */
	uint64_t row = 0;
	for (unsigned i = 0; i < level; i++) {
		uint32_t lh = im->height >> i;
		row += lh ? lh : 1;
	}
	*off = (uint64_t)slice * im->slice_bytes + ((row + y) * im->pitch + x) * im->bytes;
	return true;
}
