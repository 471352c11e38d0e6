/*
 * gfx9 tiled-surface addressing (see swizzle_gfx9.h), ported function by
 * function from Mesa 22.3.6's addrlib (src/amd/addrlib; Copyright Advanced
 * Micro Devices, Inc., MIT licence: "Permission is hereby granted, free of
 * charge, to any person obtaining a copy of this software ... The above
 * copyright notice and this permission notice shall be included in all
 * copies or substantial portions of the Software.").  Each function below
 * names the addrlib function it mirrors; the port keeps addrlib's 32-bit
 * arithmetic.  Checked against addrlib itself: tests/shader/gfx9_addrlib.txt
 * (addresses computed by running addrlib's Addr2ComputeSurfaceAddrFromCoord,
 * see tools/gfx9-addrlib-harness.cpp) and tests/test_vgpu_gfx9_image.c.
 */
#include "swizzle_gfx9.h"

#include <stddef.h>

/* Gfx9Lib::SwizzleModeTable: block size, Z, Std, Disp, Rot, XOR, T */
static const struct {
	uint8_t blk_log2, z, std, disp, rot, xr, t;
	const char *name;
} modes[32] = {
	[1] = { 8, 0, 1, 0, 0, 0, 0, "SW_256B_S" },
	[2] = { 8, 0, 0, 1, 0, 0, 0, "SW_256B_D" },
	[3] = { 8, 0, 0, 0, 1, 0, 0, "SW_256B_R" },
	[4] = { 12, 1, 0, 0, 0, 0, 0, "SW_4KB_Z" },
	[5] = { 12, 0, 1, 0, 0, 0, 0, "SW_4KB_S" },
	[6] = { 12, 0, 0, 1, 0, 0, 0, "SW_4KB_D" },
	[7] = { 12, 0, 0, 0, 1, 0, 0, "SW_4KB_R" },
	[8] = { 16, 1, 0, 0, 0, 0, 0, "SW_64KB_Z" },
	[9] = { 16, 0, 1, 0, 0, 0, 0, "SW_64KB_S" },
	[10] = { 16, 0, 0, 1, 0, 0, 0, "SW_64KB_D" },
	[11] = { 16, 0, 0, 0, 1, 0, 0, "SW_64KB_R" },
	[16] = { 16, 1, 0, 0, 0, 1, 1, "SW_64KB_Z_T" },
	[17] = { 16, 0, 1, 0, 0, 1, 1, "SW_64KB_S_T" },
	[18] = { 16, 0, 0, 1, 0, 1, 1, "SW_64KB_D_T" },
	[19] = { 16, 0, 0, 0, 1, 1, 1, "SW_64KB_R_T" },
	[20] = { 12, 1, 0, 0, 0, 1, 0, "SW_4KB_Z_X" },
	[21] = { 12, 0, 1, 0, 0, 1, 0, "SW_4KB_S_X" },
	[22] = { 12, 0, 0, 1, 0, 1, 0, "SW_4KB_D_X" },
	[23] = { 12, 0, 0, 0, 1, 1, 0, "SW_4KB_R_X" },
	[24] = { 16, 1, 0, 0, 0, 1, 0, "SW_64KB_Z_X" },
	[25] = { 16, 0, 1, 0, 0, 1, 0, "SW_64KB_S_X" },
	[26] = { 16, 0, 0, 1, 0, 1, 0, "SW_64KB_D_X" },
	[27] = { 16, 0, 0, 0, 1, 1, 0, "SW_64KB_R_X" },
};

const char *gfx9_swz_mode_name(unsigned m)
{
	if (m == 0)
		return "SW_LINEAR";
	return m < 32 && modes[m].name ? modes[m].name : "reserved";
}

/* Lib::Block256_2d, Lib::Block1K_3d */
static const uint32_t b256w[5] = { 16, 16, 8, 8, 4 }, b256h[5] = { 16, 8, 8, 4, 4 };
static const uint32_t k3w[5] = { 16, 8, 8, 8, 4 }, k3h[5] = { 8, 8, 8, 4, 4 },
		      k3d[5] = { 8, 8, 4, 4, 4 };
/* Gfx9Lib::MipTailOffset256B */
static const uint32_t mip_tail_offset_256b[16] = { 2048, 1024, 512, 256, 128, 64, 32, 16,
						   8, 6, 5, 4, 3, 2, 1, 0 };

static uint32_t bit(uint32_t v, unsigned pos)
{
	return (v >> pos) & 1u;
}

/* GetBits */
static uint32_t bits(uint32_t src, unsigned start, unsigned num, unsigned dst)
{
	return ((src >> start) << (32 - num)) >> (32 - num - dst);
}

/* MortonGen2d */
static uint32_t morton2(uint32_t x, uint32_t y, unsigned num)
{
	uint32_t m = 0;
	for (unsigned i = 0; i < num; i++) {
		m |= bit(y, i) << (2 * i);
		m |= bit(x, i) << (2 * i + 1);
	}
	return m;
}

/* MortonGen3d */
static uint32_t morton3(uint32_t x, uint32_t y, uint32_t z, unsigned num)
{
	uint32_t m = 0;
	for (unsigned i = 0; i < num; i++) {
		m |= bit(z, i) << (3 * i);
		m |= bit(y, i) << (3 * i + 1);
		m |= bit(x, i) << (3 * i + 2);
	}
	return m;
}

/* ReverseBitVector */
static uint32_t reverse(uint32_t v, unsigned num)
{
	uint32_t r = 0;
	for (unsigned i = 0; i < num; i++)
		r |= bit(v, num - 1 - i) << i;
	return r;
}

/* DeMort */
static uint32_t demort(uint32_t v, unsigned num)
{
	uint32_t d = 0;
	for (unsigned i = 0; i < num; i++)
		d |= (v & (1u << (i << 1))) >> i;
	return d;
}

/* FoldXor2d */
static uint32_t fold_xor2(uint32_t v, unsigned num)
{
	return (v & ((1u << num) - 1)) ^ reverse(v >> num, num);
}

/* FoldXor3d */
static uint32_t fold_xor3(uint32_t v, unsigned num)
{
	uint32_t t = v & ((1u << num) - 1);
	t ^= reverse(demort(v >> num, num), num);
	t ^= reverse(demort(v >> (num + 1), num), num);
	return t;
}

/* RoundHalf */
static uint32_t round_half(uint32_t x)
{
	return (x >> 1) + (x & 1);
}

static uint32_t pow2_align(uint32_t x, uint32_t a)
{
	return (x + a - 1) & ~(a - 1);
}

struct dim3 {
	uint32_t w, h, d;
};

/* Lib::GetMipTailDim (gfx9: log2 block size always even for thin) */
static struct dim3 mip_tail_dim(const struct gfx9_swz *s)
{
	struct dim3 o = { s->blk_w, s->blk_h, s->blk_d };
	if (s->thick) {
		unsigned dim = s->blk_log2 % 3;
		if (dim == 0)
			o.h >>= 1;
		else if (dim == 1)
			o.w >>= 1;
		else
			o.d >>= 1;
	} else {
		o.w >>= 1;
	}
	return o;
}

/* Gfx9Lib::IsInMipTail */
static bool in_mip_tail(const struct gfx9_swz *s, struct dim3 t, uint32_t w, uint32_t h, uint32_t d)
{
	return w <= t.w && h <= t.h && (!s->thick || d <= t.d);
}

/* Gfx9Lib::GetMajorMode: 0 X, 1 Y, 2 Z */
static unsigned major_mode(const struct gfx9_swz *s, uint32_t w, uint32_t h, uint32_t d)
{
	bool ymaj = w < h, xmaj = !ymaj;
	if (s->thick) {
		ymaj = ymaj && h >= d;
		xmaj = xmaj && w >= d;
	}
	return xmaj ? 0 : ymaj ? 1 : 2;
}

/* Gfx9Lib::GetMipChainInfo: the first level in the mip tail */
static unsigned first_mip_in_tail(const struct gfx9_swz *s, uint32_t width, uint32_t height,
				  uint32_t depth)
{
	struct dim3 t = mip_tail_dim(s);
	uint32_t mp = width, mh = height, md = s->is3d ? depth : 1;
	for (unsigned i = 0; i < s->levels; i++) {
		if (in_mip_tail(s, t, mp, mh, md))
			return i;
		mp = pow2_align(mp, s->blk_w);
		mh = pow2_align(mh, s->blk_h);
		if (s->thick)
			md = pow2_align(md, s->blk_d);
		mp = mp >> 1 ? mp >> 1 : 1;
		mh = mh >> 1 ? mh >> 1 : 1;
		if (s->is3d)
			md = md >> 1 ? md >> 1 : 1;
	}
	return s->levels;
}

bool gfx9_swz_layout(unsigned sw_mode, unsigned elem_log2, uint32_t gb_addr_config, bool is3d,
		     uint32_t width, uint32_t height, uint32_t depth, unsigned levels,
		     uint32_t pitch_in_elem, struct gfx9_swz *s)
{
	if (sw_mode == 0 || sw_mode >= 32 || !modes[sw_mode].name || elem_log2 > 4 || levels < 1 ||
	    levels > 16 || !width || !height || !depth)
		return false;
	s->sw_mode = sw_mode;
	s->elem_log2 = elem_log2;
	s->blk_log2 = modes[sw_mode].blk_log2;
	s->z = modes[sw_mode].z;
	s->std = modes[sw_mode].std;
	s->disp = modes[sw_mode].disp;
	s->rot = modes[sw_mode].rot;
	s->xor_mode = modes[sw_mode].xr;
	s->prt = modes[sw_mode].t;
	s->name = modes[sw_mode].name;
	s->is3d = is3d;
	/* HwlIsThick / HwlIsThin */
	s->thick = is3d && (s->z || s->std);
	s->levels = levels;
	/* refused: a 3D surface in a 256-byte S/Z mode (thick, but
	 * ComputeThickBlockDimension's 1 KiB micro block does not fit the
	 * block: addrlib's arithmetic wraps) and a Z mode mip chain of 16-byte
	 * texels (the mip tail offset overlaps the texel offset: addrlib
	 * asserts (blockOffset | mipTailBytesOffset) == their sum there) */
	if ((s->thick && s->blk_log2 < 12) || (s->z && elem_log2 == 4 && levels > 1))
		return false;
	/* Gfx9Lib::HwlInitGlobalParams: GB_ADDR_CONFIG_GFX9 NUM_PIPES 2:0,
	 * PIPE_INTERLEAVE_SIZE 5:3 (256 bytes, which addrlib asserts),
	 * NUM_BANKS 14:12, NUM_SHADER_ENGINES 20:19 */
	unsigned pipes = gb_addr_config & 7, il = (gb_addr_config >> 3) & 7;
	unsigned banks = (gb_addr_config >> 12) & 7, se = (gb_addr_config >> 19) & 3;
	if (pipes > 5 || il != 0 || banks > 4)
		return false;
	s->pipes_log2 = pipes;
	s->pipe_interleave_log2 = 8 + il;
	s->banks_log2 = banks;
	s->se_log2 = se;
	/* Lib::ComputeBlockDimensionForSurf */
	if (s->thick) {
		/* Lib::ComputeThickBlockDimension */
		unsigned in1k = s->blk_log2 - 10, avg = in1k / 3, rest = in1k % 3;
		s->blk_w = k3w[elem_log2] << avg;
		s->blk_h = k3h[elem_log2] << (avg + rest / 2);
		s->blk_d = k3d[elem_log2] << (avg + (rest ? 1 : 0));
	} else {
		/* Gfx9Lib::ComputeThinBlockDimension (one sample) */
		unsigned in256 = s->blk_log2 - 8, wamp = in256 / 2, hamp = in256 - wamp;
		s->blk_w = b256w[elem_log2] << wamp;
		s->blk_h = b256h[elem_log2] << hamp;
		s->blk_d = 1;
	}
	/* Gfx9Lib::HwlComputeSurfaceInfoTiled (no display/stereo flags: a
	 * storage image) */
	s->pitch = pow2_align(width, s->blk_w);
	if (levels <= 1 && pitch_in_elem > 0) {
		if (pitch_in_elem % s->blk_w || pitch_in_elem < s->pitch)
			return false;
		s->pitch = pitch_in_elem;
	}
	s->height = pow2_align(height, s->blk_h);
	s->num_slices = pow2_align(depth, s->blk_d);
	s->chain_pitch = s->pitch;
	s->chain_height = s->height;
	s->epitch_is_height = false;
	if (levels > 1) {
		unsigned first = first_mip_in_tail(s, width, height, depth);
		unsigned ending = first < levels - 1 ? first : levels - 1;
		if (ending == 0) {
			struct dim3 t = mip_tail_dim(s);
			s->pitch = t.w;
			s->height = t.h;
			s->num_slices = s->thick ? t.d : depth;
			s->epitch_is_height = true;
		} else {
			uint32_t w0 = s->pitch / s->blk_w, h0 = s->height / s->blk_h;
			if (major_mode(s, w0, h0, s->num_slices / s->blk_d) == 1) {
				uint32_t w1 = round_half(w0);
				if (w1 == 1 && ending > 2)
					w1++;
				s->chain_pitch += w1 * s->blk_w;
			} else {
				uint32_t h1 = round_half(h0);
				if (h1 == 1 && ending > 2)
					h1++;
				s->chain_height += h1 * s->blk_h;
				s->epitch_is_height = true;
			}
		}
	}
	return true;
}

/* Gfx9Lib::GetMipStartPos: the level's start in blocks, and its offset
 * inside the mip tail block */
static struct dim3 mip_start_pos(const struct gfx9_swz *s, unsigned mip, uint32_t *tail_off)
{
	struct dim3 pos = { 0, 0, 0 }, t = mip_tail_dim(s);
	bool in_tail = in_mip_tail(s, t, s->pitch, s->height, s->num_slices);
	unsigned idx_in_tail = mip;
	if (!in_tail) {
		uint32_t wb = s->pitch / s->blk_w, hb = s->height / s->blk_h, db = s->num_slices / s->blk_d;
		unsigned major = major_mode(s, wb, hb, db), ending = mip + 1;
		for (unsigned i = 1; i <= mip; i++) {
			if (i == 1 || i == 3) {
				if (major == 1)
					pos.w += wb;
				else
					pos.h += hb;
			} else {
				if (major == 0)
					pos.w += wb;
				else if (major == 1)
					pos.h += hb;
				else
					pos.d += db;
			}
			bool tail;
			if (s->thick) {
				unsigned dim = s->blk_log2 % 3;
				if (dim == 0)
					tail = wb <= 2 && hb == 1 && db <= 2;
				else if (dim == 1)
					tail = wb == 1 && hb <= 2 && db <= 2;
				else
					tail = wb <= 2 && hb <= 2 && db == 1;
			} else if (s->blk_log2 & 1) {
				tail = wb <= 2 && hb == 1;
			} else {
				tail = wb == 1 && hb <= 2;
			}
			if (tail) {
				ending = i;
				break;
			}
			wb = round_half(wb);
			hb = round_half(hb);
			db = round_half(db);
		}
		if (mip >= ending) {
			in_tail = true;
			idx_in_tail = mip - ending;
		}
	}
	*tail_off = 0;
	if (in_tail) {
		unsigned index = idx_in_tail + 20 - s->blk_log2;   /* MaxMacroBits 20 */
		*tail_off = index < 16 ? mip_tail_offset_256b[index] << 8 : 0;
	}
	return pos;
}

/* Lib::ComputeSurface2DMicroBlockOffset */
static uint32_t micro_2d(const struct gfx9_swz *s, uint32_t x, uint32_t y)
{
	unsigned e = s->elem_log2;
	uint32_t m = 0;
	bool std = s->std || (s->is3d && s->disp);      /* HwlIsStandardSwizzle */
	bool disp = !s->is3d && s->disp;                /* HwlIsDisplaySwizzle */
	if (std) {
		uint32_t xb = x << e;
		m = (xb & 0xf) | ((y & 0x3) << 4);
		if (e < 3) {
			m |= (y & 0x4) << 4;
			if (e == 0)
				m |= (y & 0x8) << 4;
			else
				m |= (xb & 0x10) << 3;
		} else {
			m |= (xb & 0x30) << 2;
		}
	} else if (disp) {
		if (e == 4) {
			m = (bit(x, 0) << 4) | (bit(y, 0) << 5) | (bit(x, 1) << 6) | (bit(y, 1) << 7);
		} else {
			m = bits(x, 0, 3, e) | bits(y, 1, 2, 3 + e) | bits(x, 3, 1, 5 + e) |
			    bits(y, 3, 1, 6 + e);
			m = bits(m, 0, 4, 0) | (bit(y, 0) << 4) | bits(m, 4, 3, 5);
		}
	} else if (s->rot) {
		m = bits(y, 0, 3, e) | bits(x, 1, 2, 3 + e) | bits(x, 3, 1, 5 + e) | bits(y, 3, 1, 6 + e);
		m = bits(m, 0, 4, 0) | (bit(x, 0) << 4) | bits(m, 4, 3, 5);
		if (e == 3)
			m = bits(m, 0, 6, 0) | bits(x, 1, 2, 6);
	}
	return m;
}

/* Lib::ComputeSurface3DMicroBlockOffset */
static uint32_t micro_3d(const struct gfx9_swz *s, uint32_t x, uint32_t y, uint32_t z)
{
	unsigned e = s->elem_log2;
	uint32_t m = 0;
	if (s->std || s->disp) {
		if (e == 0 || e == 1)
			m = ((z & 4) >> 2) | ((y & 4) >> 1);
		else if (e == 2)
			m = ((y & 4) >> 2) | ((x & 4) >> 1);
		else if (e == 3)
			m = (x & 6) >> 1;
		else
			m = x & 3;
		m <<= 8;
		uint32_t xb = x << e;
		m |= (xb & 0xf) | ((y & 0x3) << 4) | ((z & 0x3) << 6);
	} else if (s->z) {
		uint32_t xh, yh, zh;
		if (e == 0) {
			m = (x & 1) | ((y & 1) << 1) | ((x & 2) << 1) | ((y & 2) << 2);
			m = m | ((z & 3) << 4) | ((x & 4) << 4);
			xh = x >> 3, yh = y >> 2, zh = z >> 2;
		} else if (e == 1) {
			m = (x & 1) | ((y & 1) << 1) | ((x & 2) << 1) | ((y & 2) << 2);
			m = (m << 1) | ((z & 3) << 5);
			xh = x >> 2, yh = y >> 2, zh = z >> 2;
		} else if (e == 2) {
			m = (x & 1) | ((y & 1) << 1) | ((x & 2) << 1) | ((z & 1) << 3);
			m = (m << 2) | ((y & 2) << 5);
			xh = x >> 2, yh = y >> 2, zh = z >> 1;
		} else if (e == 3) {
			m = (x & 1) | ((y & 1) << 1) | ((z & 1) << 2) | ((x & 2) << 2);
			m <<= 3;
			xh = x >> 2, yh = y >> 1, zh = z >> 1;
		} else {
			m = ((x & 1) | ((y & 1) << 1) | ((z & 1) << 2)) << 4;
			xh = x >> 1, yh = y >> 1, zh = z >> 1;
		}
		m |= (morton3(xh, yh, zh, 1) << 7) & 0x380;
	}
	return m;
}

/* the pipe/bank XOR of an _X mode (the body shared by the thin and thick
 * paths of HwlComputeSurfaceAddrFromCoordTiled); Lib::GetPipeXorBits,
 * Gfx9Lib::GetBankXorBits */
static uint32_t pipe_bank_fold(const struct gfx9_swz *s, uint32_t off, bool thick,
			       unsigned *pipe_bits, unsigned *bank_bits)
{
	unsigned il = s->pipe_interleave_log2, xb = s->blk_log2 - il;
	unsigned pb = xb < s->pipes_log2 + s->se_log2 ? xb : s->pipes_log2 + s->se_log2;
	unsigned rest = s->blk_log2 - pb - il;
	unsigned bb = rest < s->banks_log2 ? rest : s->banks_log2;
	*pipe_bits = pb;
	*bank_bits = bb;
	if (s->prt)
		off &= (1u << s->blk_log2) - 1;
	uint32_t inter = off & ((1u << il) - 1);
	off >>= il;
	uint32_t px = thick ? fold_xor3(off, pb) : fold_xor2(off, pb);
	off >>= pb;
	uint32_t bx = thick ? fold_xor3(off, bb) : fold_xor2(off, bb);
	off >>= bb;
	off <<= bb;
	off |= bx;
	off <<= pb;
	off |= px;
	off <<= il;
	off |= inter;
	return off;
}

unsigned gfx9_swz_xor_bits(const struct gfx9_swz *s)
{
	unsigned pb = 0, bb = 0;
	if (s->xor_mode)
		(void)pipe_bank_fold(s, 0, s->thick, &pb, &bb);
	return pb + bb;
}

/* Gfx9Lib::HwlComputeSurfaceAddrFromCoordTiled (one sample) */
uint64_t gfx9_swz_offset(const struct gfx9_swz *s, uint32_t x, uint32_t y, uint32_t slice,
			 unsigned level, uint32_t pbx)
{
	struct dim3 start = { 0, 0, 0 };
	uint32_t tail = 0;
	if (s->levels > 1)
		start = mip_start_pos(s, level, &tail);
	unsigned pipe_bits = 0, bank_bits = 0, il = s->pipe_interleave_log2;
	uint32_t off;
	if (!s->thick) {
		unsigned e = s->elem_log2;
		if (s->z) {
			if (e == 0 || e == 2) {
				unsigned low = 6 - e, mort = low / 2;
				off = morton2(y, x, mort) | (morton2(x >> mort, y >> mort, 9) << low);
			} else {
				off = morton2(y, x, 13);
			}
			off <<= e;
		} else {
			off = micro_2d(s, x, y);
			off |= morton2(x / b256w[e], y / b256h[e], 12) << 8;
			/* no sample bits: a non-PRT XOR mode keeps the bits
			 * above the block, the others drop them */
			if (!(s->xor_mode && !s->prt))
				off %= 1u << s->blk_log2;
		}
		if (s->xor_mode)
			off = pipe_bank_fold(s, off, false, &pipe_bits, &bank_bits);
		off |= tail;
		if (s->xor_mode && !s->prt) {
			/* the slice XOR (not MSAA/PRT) */
			off ^= reverse(slice, pipe_bits) << il;
			off ^= reverse(slice >> pipe_bits, bank_bits) << (il + pipe_bits);
		}
	} else {
		unsigned e = s->elem_log2;
		off = morton3(x / k3w[e], y / k3h[e], slice / k3d[e], 8) << 10;
		off |= micro_3d(s, x, y, slice);
		if (s->xor_mode)
			off = pipe_bank_fold(s, off, true, &pipe_bits, &bank_bits);
		off |= tail;
	}
	/* Lib::ApplyCustomerPipeBankXor (ExtractPipeBankXor refuses a value
	 * of more bits; the caller checks, gfx9_swz_xor_bits) */
	if (s->xor_mode && pbx < (1u << (pipe_bits + bank_bits))) {
		off ^= (pbx % (1u << pipe_bits)) << il;
		off ^= (pbx >> pipe_bits) << (il + pipe_bits);
	}
	off %= 1u << s->blk_log2;
	uint64_t pitch_blk = s->chain_pitch / s->blk_w;
	uint64_t slice_blk = (uint64_t)(s->chain_height / s->blk_h) * pitch_blk;
	uint64_t idx;
	if (!s->thick)
		idx = (uint64_t)(slice + start.d) * slice_blk + (uint64_t)(y / s->blk_h + start.h) * pitch_blk +
		      x / s->blk_w + start.w;
	else
		idx = (uint64_t)(slice / s->blk_d + start.d) * slice_blk +
		      (uint64_t)(y / s->blk_h + start.h) * pitch_blk + x / s->blk_w + start.w;
	return off | (idx << s->blk_log2);
}
