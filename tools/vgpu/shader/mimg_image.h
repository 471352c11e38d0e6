/*
 * The image a MIMG instruction addresses, as shader/mimg.c (gfx11,
 * gfx10.3) and shader/mimg_gfx9.c (gfx9) decode it from the T#: the
 * per-lane texel code of mimg.c (formats, DST_SEL, d16, bounds, atomics)
 * works on it for every generation; only the descriptor and the layout
 * (texel_offset) differ.
 */
#ifndef VGPU_SHADER_MIMG_IMAGE_H
#define VGPU_SHADER_MIMG_IMAGE_H

#include "internal.h"
#include "swizzle_gfx11.h"
#include "swizzle_gfx9.h"

struct image {
	uint64_t base;
	uint32_t width, height, bytes, dst_sel;
	unsigned type, levels;             /* TYPE; MAX_MIP + 1 */
	unsigned base_level, last_level;
	uint32_t depth, base_array;        /* DEPTH, BASE_ARRAY */
	bool array, tiled;
	unsigned samples;                  /* MSAA (TYPE 14/15): 1 << LAST_LEVEL; else 1 */
	uint32_t pitch;                    /* linear, one level: the row pitch */
	uint32_t row_bytes;                /* linear, one level: the row pitch in bytes */
	struct gfx11_swz swz;              /* tiled */
	struct buf_format f;
	/* the coordinates, as a gfx10+ dim (SQ_RSRC_IMG_* - 8): gfx10+ take
	 * the instruction's; gfx9, which has none, derives it from TYPE and
	 * the da bit */
	unsigned dim;
	/* gfx9 (shader/mimg_gfx9.c) */
	bool gfx9;
	struct gfx9_swz swz9;              /* tiled */
	uint32_t pbx;                      /* an _X mode's pipe/bank XOR (BASE_ADDRESS bits 15:8) */
	uint64_t slice_bytes;              /* linear: one slice (the whole mip chain) */
};

/* gfx9: the image of T# in_ops[2] (faults on what is not modelled) and
 * the byte offset of a texel (false outside the image) */
int image_of_gfx9(struct shader_core *c, const struct shader_wave *w, const struct isa_inst *in,
		  struct image *im);
bool texel_offset_gfx9(const struct image *im, uint32_t x, uint32_t y, uint32_t slice,
		       unsigned level, uint64_t *off);

#endif
