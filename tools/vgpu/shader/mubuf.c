/*
 * MUBUF (and MTBUF) through a buffer resource (V#, 4 SGPRs, gfx11 layout
 * as in the RDNA3 ISA "Buffer resource" table):
 *   dword0      base address [31:0]
 *   dword1      base [47:32] in 15:0, STRIDE 29:16, SWIZZLE_ENABLE 31:30
 *   dword2      NUM_RECORDS (bytes for a raw buffer, records otherwise)
 *   dword3      DST_SEL_X/Y/Z/W 11:0, FORMAT 17:12, INDEX_STRIDE 22:21,
 *               ADD_TID_ENABLE 23, OOB_SELECT 29:28, TYPE 31:30
 * index = VGPR index (idxen) + lane id (ADD_TID_ENABLE); offset = VGPR
 * offset (offen) + instruction offset.  Linear: address = base + soffset
 * + index * stride + offset.  Swizzled (SWIZZLE_ENABLE 1/2/3: elements of
 * 4/8/16 bytes, as Mesa's GFX11 descriptors use it; INDEX_STRIDE 0-3: 8,
 * 16, 32 or 64 indices), the GCN/RDNA swizzled-buffer formula, soffset
 * outside it:
 *   address = base + soffset + (index / istride * stride + offset / esize
 *             * esize) * istride + index % istride * esize + offset % esize
 * Out of range (by OOB_SELECT, on index and offset + soffset) loads give 0
 * and stores are dropped; a raw buffer is checked per dword, a typed
 * (format) access per element.
 *
 * Executed: buffer_load/store of 1-16 bytes (also the d16 and d16_hi
 * sub-dword forms), the typed forms buffer_load/store_(d16_)(hi_)format_*
 * with the V#'s FORMAT (tbuffer_*: the instruction's) converted as the
 * RDNA3 ISA's buffer formats define: every code of gfx11's unified
 * buffer format table (LLVM's BUF_FMT_*, codes 1-63: 8/16/32-bit UNORM,
 * SNORM, USCALED, SSCALED, UINT, SINT, FLOAT, 10_11_11 / 11_11_10 FLOAT,
 * 10_10_10_2 and 2_10_10_10; gfx11 has no SRGB buffer format), every
 * buffer_atomic_* (shader/atomic.c), tfe on loads (the status dword after
 * the data is 0: the vgpu has no partially resident memory, so no access
 * fails), and the cache invalidations (no-ops: memory is coherent here).
 * On gfx10.3 the swizzle bit is dword1 bit 31 with 4-byte elements, the
 * FORMAT field is dword3 bits 18:12 with gfx10's codes
 * (shader/mubuf_gfx103.c).  On gfx10.3 and gfx9 a load with the lds bit
 * writes each lane's dword to LDS instead of VGPRs (mubuf_lds below: the
 * GCN and RDNA2 guides' LDS_ADDR = LDSbase + LDS_offset (M0) +
 * inst_offset + TID * 4, the same on both).
 * buffer_load_lds_* (MUBUF opcodes 45-50) are not gfx11 instructions:
 * LLVM 19 decodes them, but the RDNA3 guide's MUBUF opcode table jumps
 * from 44 to 51 over them, LLVM removed them from gfx11 because "according
 * to the shader manual there are not buffer load lds instructions of
 * gfx11" (llvm-project pull request 132916, 2025), and its loads-to-LDS
 * feature is gfx9/gfx10 only (pull request 133055: "only available on
 * gfx9/10"; llc-19 cannot select llvm.amdgcn.raw.buffer.load.lds for
 * gfx1100).  They raise the illegal-instruction fault, saying so
 * (MEM_ABSENT), and make isa-coverage counts them apart.  AMD's RDNA3.5
 * ISA XML does name them, with no LDS address.
 */
#include "internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static bool starts(const char *name, const char *prefix)
{
	return strncmp(name, prefix, strlen(prefix)) == 0;
}

static uint32_t *vreg(struct shader_wave *w, unsigned reg, unsigned lane)
{
	return &w->v[(size_t)reg * 64 + lane];
}

#define VSHARP_STRIDE(d1) (((d1) >> 16) & 0x3fffu)
#define VSHARP_SWIZZLE(d1) ((d1) >> 30)
#define VSHARP_INDEX_STRIDE(d3) (((d3) >> 21) & 3u)
#define VSHARP_FORMAT(d3) (((d3) >> 12) & 0x3fu)
#define VSHARP_ADD_TID(d3) (((d3) >> 23) & 1u)
#define VSHARP_OOB_SELECT(d3) (((d3) >> 28) & 3u)
enum { OOB_STRUCTURED_WITH_OFFSET, OOB_STRUCTURED, OOB_DISABLED, OOB_RAW };

/* Whether bytes [from, from + n) of the element at (index, offset) are
 * inside the buffer. */
static bool buffer_in_range(uint32_t oob, uint32_t num_records, uint32_t stride,
			    uint64_t index, uint64_t offset, unsigned from, unsigned n)
{
	switch (oob) {
	case OOB_STRUCTURED_WITH_OFFSET:
		return index < num_records && offset + from + n <= stride;
	case OOB_STRUCTURED:
		return index < num_records;
	case OOB_DISABLED:
		return true;
	default: /* raw: the byte offset (index * stride + offset) */
		return index * stride + offset + from + n <= num_records;
	}
}

/* ---- buffer formats (gfx11 FORMAT codes, as LLVM's BUF_FMT_* names) --- */

/* FORMAT code -> layout; ncomp 0: invalid or not modelled */
struct buf_format buf_format_of(unsigned code)
{
	static const uint8_t nf6[6] = { NF_UNORM, NF_SNORM, NF_USCALED, NF_SSCALED, NF_UINT,
					NF_SINT };
	static const uint8_t nf4[4] = { NF_UNORM, NF_SNORM, NF_UINT, NF_SINT };
	struct buf_format f = { 0, 0, 0, 0 };
	if (code >= 1 && code <= 6) { f.ncomp = 1; f.bits = 8; f.nf = nf6[code - 1]; }
	else if (code >= 7 && code <= 13) { f.ncomp = 1; f.bits = 16; f.nf = code == 13 ? NF_FLOAT : nf6[code - 7]; }
	else if (code >= 14 && code <= 19) { f.ncomp = 2; f.bits = 8; f.nf = nf6[code - 14]; }
	else if (code >= 20 && code <= 22) { f.ncomp = 1; f.bits = 32; f.nf = (uint8_t)(NF_UINT + code - 20); }
	else if (code >= 23 && code <= 29) { f.ncomp = 2; f.bits = 16; f.nf = code == 29 ? NF_FLOAT : nf6[code - 23]; }
	else if (code == 30) { f.ncomp = 3; f.nf = NF_UFLOAT; f.packed = BPK_10_11_11; }
	else if (code == 31) { f.ncomp = 3; f.nf = NF_UFLOAT; f.packed = BPK_11_11_10; }
	else if (code >= 32 && code <= 35) { f.ncomp = 4; f.nf = nf4[code - 32]; f.packed = BPK_10_10_10_2; }
	else if (code >= 36 && code <= 41) { f.ncomp = 4; f.bits = 10; f.nf = nf6[code - 36]; f.packed = BPK_2_10_10_10; }
	else if (code >= 42 && code <= 47) { f.ncomp = 4; f.bits = 8; f.nf = nf6[code - 42]; }
	else if (code >= 48 && code <= 50) { f.ncomp = 2; f.bits = 32; f.nf = (uint8_t)(NF_UINT + code - 48); }
	else if (code >= 51 && code <= 57) { f.ncomp = 4; f.bits = 16; f.nf = code == 57 ? NF_FLOAT : nf6[code - 51]; }
	else if (code >= 58 && code <= 60) { f.ncomp = 3; f.bits = 32; f.nf = (uint8_t)(NF_UINT + code - 58); }
	else if (code >= 61 && code <= 63) { f.ncomp = 4; f.bits = 32; f.nf = (uint8_t)(NF_UINT + code - 61); }
	return f;
}

unsigned buf_format_bytes(const struct buf_format *f)
{
	return f->packed ? 4u : f->ncomp * f->bits / 8u;
}

/* The fields of the packed layouts, x first: shift and width.  The format
 * name lists them from bit 31 down (Mesa maps R11G11B10_FLOAT, x in bits
 * 10:0, to 10_11_11 and R10G10B10A2, x in 9:0, to 2_10_10_10). */
static void packed_field(unsigned layout, unsigned i, unsigned *shift, unsigned *bits)
{
	static const uint8_t sh[5][4] = { { 0 }, { 0, 10, 20, 30 }, { 0, 2, 12, 22 },
					  { 0, 11, 22, 0 }, { 0, 10, 21, 0 } };
	static const uint8_t w[5][4] = { { 0 }, { 10, 10, 10, 2 }, { 2, 10, 10, 10 },
					 { 11, 11, 10, 0 }, { 10, 11, 11, 0 } };
	*shift = sh[layout][i];
	*bits = w[layout][i];
}

uint32_t buf_comp_get(const struct buf_format *f, const uint8_t *texel, unsigned i,
		      struct buf_format *fi)
{
	*fi = *f;
	uint32_t raw = 0;
	if (f->packed) {
		unsigned shift, bits;
		uint32_t word;
		memcpy(&word, texel, 4);
		packed_field(f->packed, i, &shift, &bits);
		fi->bits = (uint8_t)bits;
		return (word >> shift) & ((1u << bits) - 1);
	}
	memcpy(&raw, texel + i * (f->bits / 8u), f->bits / 8u);
	return raw;
}

void buf_comp_put(const struct buf_format *f, uint8_t *texel, unsigned i, uint32_t raw)
{
	if (f->packed) {
		unsigned shift, bits;
		uint32_t word;
		memcpy(&word, texel, 4);
		packed_field(f->packed, i, &shift, &bits);
		uint32_t mask = ((1u << bits) - 1) << shift;
		word = (word & ~mask) | ((raw << shift) & mask);
		memcpy(texel, &word, 4);
		return;
	}
	memcpy(texel + i * (f->bits / 8u), &raw, f->bits / 8u);
}

static float f32_of(uint32_t u)
{
	float f;
	memcpy(&f, &u, 4);
	return f;
}

static uint32_t bits_of(float f)
{
	uint32_t u;
	memcpy(&u, &f, 4);
	return u;
}

/* IEEE half <-> single, round to nearest even, denormals kept */
static float half_to_float(uint16_t h)
{
	uint32_t sign = (uint32_t)(h >> 15) << 31, e = (h >> 10) & 0x1f, m = h & 0x3ff;
	if (e == 0x1f)
		return f32_of(sign | 0x7f800000u | m << 13);
	if (e == 0)
		return (h >> 15 ? -1.0f : 1.0f) * ldexpf((float)m, -24);
	return f32_of(sign | (e + 112) << 23 | m << 13);
}

static uint16_t float_to_half(float f)
{
	uint32_t u = bits_of(f), sign = (u >> 16) & 0x8000u;
	uint32_t e = (u >> 23) & 0xff, m = u & 0x7fffffu;
	if (e == 0xff)
		return (uint16_t)(sign | 0x7c00u | (m ? 0x200u | (m >> 13) : 0));
	float a = fabsf(f);
	if (a >= 65520.0f)
		return (uint16_t)(sign | 0x7c00u);
	if (a < 6.103515625e-05f) /* below the smallest normal: a multiple of 2^-24 */
		return (uint16_t)(sign | (uint32_t)nearbyintf(a * 16777216.0f));
	/* normal: round the 23-bit mantissa to 10 bits, nearest even */
	uint32_t r = u & 0x7fffffffu, lsb = (r >> 13) & 1u;
	r += 0xfffu + lsb;
	return (uint16_t)(sign | (((r >> 13) - (112u << 10)) & 0x7fffu));
}

/* Unsigned 10/11-bit floats (5-bit exponent, bias 15, 5/6-bit mantissa,
 * no sign; infinity and NaN at exponent 31, denormals at 0) to f32, exact */
static float ufloat_to_float(uint32_t raw, unsigned n)
{
	unsigned m = n - 5;
	uint32_t e = raw >> m, mant = raw & ((1u << m) - 1);
	if (e == 31)
		return f32_of(0x7f800000u | mant << (23 - m));
	if (e == 0)
		return ldexpf((float)mant, -14 - (int)m);
	return f32_of((e + 112) << 23 | mant << (23 - m));
}

/* f32 to an unsigned 10/11-bit float: round to nearest even (denormals
 * kept), a result above the largest finite value becomes infinity (as the
 * f16 conversion here), negative values and -inf become 0, NaN stays a
 * (quiet) NaN with its payload's top bits. */
static uint32_t float_to_ufloat(float v, unsigned n)
{
	unsigned m = n - 5, shift = 23 - m;
	uint32_t u = bits_of(v), inf = 31u << m;
	if ((u & 0x7f800000u) == 0x7f800000u && (u & 0x7fffffu))
		return inf | 1u << (m - 1) | ((u & 0x7fffffu) >> shift);
	if (u >> 31)
		return 0;
	if (u == 0x7f800000u)
		return inf;
	if (v < 6.103515625e-05f) /* below 2^-14: a multiple of 2^(-14 - m) */
		return (uint32_t)nearbyintf(ldexpf(v, 14 + (int)m));
	uint32_t r = (u + (1u << (shift - 1)) - 1 + ((u >> shift) & 1u)) >> shift;
	r -= 112u << m;
	return r >= inf ? inf : r;
}

/* Component raw bits -> the 32-bit VGPR value (d16: the 16-bit one) */
uint32_t fmt_to_reg(const struct buf_format *f, uint32_t raw, bool d16)
{
	unsigned n = f->bits;
	uint32_t mask = n >= 32 ? ~0u : (1u << n) - 1;
	raw &= mask;
	int32_t s = n >= 32 ? (int32_t)raw : (int32_t)(raw << (32 - n)) >> (32 - n);
	float v;
	switch (f->nf) {
	case NF_UINT: return d16 ? raw & 0xffffu : raw;
	case NF_SINT: return d16 ? (uint32_t)s & 0xffffu : (uint32_t)s;
	case NF_FLOAT:
		if (n == 16)
			return d16 ? raw : bits_of(half_to_float((uint16_t)raw));
		return d16 ? float_to_half(f32_of(raw)) : raw;
	case NF_UFLOAT:
		v = ufloat_to_float(raw, n);
		return d16 ? float_to_half(v) : bits_of(v);
	case NF_UNORM: v = (float)raw / (float)mask; break;
	case NF_SNORM: v = (float)s / (float)(mask >> 1); if (v < -1.0f) v = -1.0f; break;
	case NF_USCALED: v = (float)raw; break;
	default: v = (float)s; break; /* NF_SSCALED */
	}
	return d16 ? float_to_half(v) : bits_of(v);
}

/* The VGPR value (d16: 16 bits) -> component raw bits */
uint32_t reg_to_fmt(const struct buf_format *f, uint32_t reg, bool d16)
{
	unsigned n = f->bits;
	uint32_t mask = n >= 32 ? ~0u : (1u << n) - 1;
	float v = d16 ? half_to_float((uint16_t)reg) : f32_of(reg);
	switch (f->nf) {
	case NF_UINT: case NF_SINT: return reg & mask;
	case NF_FLOAT:
		if (n == 16)
			return d16 ? reg & 0xffffu : float_to_half(v);
		return bits_of(v);
	case NF_UFLOAT:
		return float_to_ufloat(v, n);
	case NF_UNORM:
		v = v != v ? 0.0f : v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v;
		return (uint32_t)nearbyintf(v * (float)mask) & mask;
	case NF_SNORM: {
		float mx = (float)(mask >> 1);
		v = v != v ? 0.0f : v < -1.0f ? -1.0f : v > 1.0f ? 1.0f : v;
		return (uint32_t)(int32_t)nearbyintf(v * mx) & mask;
	}
	case NF_USCALED:
		return (uint32_t)(v != v || v < 0.0f ? 0.0f : v > (float)mask ? (float)mask : nearbyintf(v)) & mask;
	default: { /* NF_SSCALED */
		float lo = -(float)(mask >> 1) - 1.0f, hi = (float)(mask >> 1);
		return (uint32_t)(int32_t)(v != v ? 0.0f : v < lo ? lo : v > hi ? hi : nearbyintf(v)) & mask;
	}
	}
}

/* ---- resolution ------------------------------------------------------- */

/* buffer_* / tbuffer_* names: what they select (see the file comment). */
void shader_mubuf_resolve(struct shader_icache_entry *e)
{
	const char *n = e->base;
	struct shader_mem_plan *p = &e->plan.mem;
	memset(p, 0, sizeof(*p));
	if (!strcmp(n, "buffer_gl0_inv") || !strcmp(n, "buffer_gl1_inv")) {
		p->kind = MEM_INV;
		return;
	}
	p->kind = MEM_BAD;
	bool typed = starts(n, "tbuffer_");
	const char *rest = typed ? n + 8 : starts(n, "buffer_") ? n + 7 : NULL;
	if (!rest)
		return;
	if (starts(rest, "load_lds_")) {
		p->kind = MEM_ABSENT;
		p->why = "not a gfx11 instruction: the RDNA3 guide's MUBUF table skips opcodes "
			 "45-50 and LLVM removed them from gfx11 (llvm-project PR 132916)";
		return;
	}
	if (starts(rest, "atomic_")) {
		bool wide = false;
		p->aop = shader_atomic_parse(rest + 7, &wide);
		if (p->aop == AOP_NONE || p->aop == AOP_RSUB || p->aop == AOP_MSKOR ||
		    p->aop == AOP_WRAP)
			return;
		p->kind = MEM_ATOMIC;
		p->wide = wide;
		p->bytes = wide ? 8 : 4;
		return;
	}
	bool load = starts(rest, "load_");
	if (!load && !starts(rest, "store_"))
		return;
	const char *t = rest + (load ? 5 : 6);
	if (starts(t, "d16_")) {
		p->d16 = true;
		t += 4;
		if (starts(t, "hi_")) {
			p->d16_hi = true;
			t += 3;
		}
	}
	if (starts(t, "format_")) {
		/* format_x / xy / xyz / xyzw: 1-4 components */
		const char *c = t + 7;
		size_t k = strlen(c);
		if (k < 1 || k > 4 || strncmp(c, "xyzw", k))
			return;
		p->fmt = (uint8_t)k;
		p->kind = load ? MEM_LOAD : MEM_STORE;
		return;
	}
	if (typed)
		return;
	unsigned bytes;
	bool sext;
	if (vmem_width_of(t, &bytes, &sext) || (p->d16 && bytes > 2))
		return;
	p->kind = load ? MEM_LOAD : MEM_STORE;
	p->bytes = (uint8_t)bytes;
	p->sext = sext;
}

/* ---- execution -------------------------------------------------------- */

/* How a V# maps (index, offset) to addresses (see the file comment) */
struct buf_map {
	uint64_t base, soffset;
	uint32_t stride, esize, istride; /* esize 0: not swizzled */
};

struct buf_lane {
	uint64_t index, offset;        /* offset: VGPR + instruction offset */
};

/* Copies n bytes at byte `from` of the lane's element to/from buf; a
 * swizzled buffer splits the access at element boundaries. */
static int buf_copy(struct shader_core *c, const struct buf_map *m, const struct buf_lane *l,
		    unsigned from, void *buf, unsigned n, bool store)
{
	if (!m->esize) {
		uint64_t va = m->base + m->soffset + l->index * m->stride + l->offset + from;
		return exec_vm_window_copy(&c->vm, va, buf, n, store);
	}
	uint8_t *b = buf;
	while (n) {
		uint64_t off = l->offset + from;
		uint64_t in_el = off % m->esize;
		unsigned part = (unsigned)(m->esize - in_el) < n ? (unsigned)(m->esize - in_el) : n;
		uint64_t va = m->base + m->soffset +
			      (l->index / m->istride * m->stride + off / m->esize * m->esize) *
				      m->istride +
			      l->index % m->istride * m->esize + in_el;
		int r = exec_vm_window_copy(&c->vm, va, b, part, store);
		if (r)
			return r;
		b += part;
		from += part;
		n -= part;
	}
	return 0;
}

/* One typed element: `nc` components from/to VGPRs at `reg` (d16: two
 * per VGPR, d16_hi: the one component in the high half). */
static int typed_lane(struct shader_core *c, struct shader_wave *w, const struct shader_mem_plan *p,
		      const struct buf_format *f, uint32_t dst_sel, bool load, unsigned reg,
		      unsigned lane, const struct buf_map *m, const struct buf_lane *l,
		      bool in_range)
{
	unsigned nc = p->fmt;
	unsigned ebytes = buf_format_bytes(f);
	uint8_t buf[16] = { 0 };
	if (load) {
		if (in_range) {
			int r = buf_copy(c, m, l, 0, buf, ebytes, false);
			if (r)
				return r;
		}
		/* the format's components, 0 for the missing x/y/z and 1 (1.0
		 * for a float-valued format) for w; then DST_SEL per channel */
		uint32_t comp[4];
		bool fp = f->nf != NF_UINT && f->nf != NF_SINT;
		for (unsigned i = 0; i < 4; i++) {
			if (i < f->ncomp) {
				struct buf_format fi;
				uint32_t raw = buf_comp_get(f, buf, i, &fi);
				comp[i] = fmt_to_reg(&fi, raw, p->d16);
			} else {
				comp[i] = i < 3 ? 0 : fp ? (p->d16 ? 0x3c00u : 0x3f800000u) : 1;
			}
		}
		for (unsigned i = 0; i < nc; i++) {
			unsigned sel = (dst_sel >> (3 * i)) & 7u;
			uint32_t one = fp ? (p->d16 ? 0x3c00u : 0x3f800000u) : 1;
			uint32_t v = sel >= 4 ? comp[sel - 4] : sel == 1 ? one : 0;
			if (!p->d16) {
				*vreg(w, reg + i, lane) = v;
			} else {
				uint32_t *d = vreg(w, reg + i / 2, lane);
				bool hi = p->d16_hi || (i & 1);
				*d = hi ? (*d & 0xffffu) | (v << 16) : (*d & 0xffff0000u) | (v & 0xffffu);
			}
		}
		return 0;
	}
	if (!in_range)
		return 0;
	/* store: the components the instruction names; the format's others
	 * are written as 0 (a packed format: the whole dword is written) */
	for (unsigned i = 0; i < f->ncomp; i++) {
		uint32_t v = 0;
		if (i < nc) {
			if (!p->d16)
				v = *vreg(w, reg + i, lane);
			else
				v = (p->d16_hi || (i & 1)) ? *vreg(w, reg + i / 2, lane) >> 16
							   : *vreg(w, reg + i / 2, lane) & 0xffffu;
		}
		struct buf_format fi;
		(void)buf_comp_get(f, buf, i, &fi);
		buf_comp_put(f, buf, i, i < nc ? reg_to_fmt(&fi, v, p->d16) : 0);
	}
	/* only the named components' bytes are written */
	unsigned nbytes = f->packed ? 4 : (nc < f->ncomp ? nc : f->ncomp) * (f->bits / 8u);
	return buf_copy(c, m, l, 0, buf, nbytes, true);
}

/* gfx10.3 and gfx9 MUBUF lds (buffer_load_dword/ubyte/sbyte/ushort/sshort/
 * format_x with the lds bit): the lane's loaded value, as it would reach
 * a VGPR (zero or sign extended, format_x converted), is written as one
 * dword to LDS at M0 + instruction offset + lane * 4 (the GCN/RDNA ISA's
 * "LDS_ADDR = LDSbase + LDS_offset + inst_offset + TID * 4", M0 holding
 * the LDS byte offset as LLVM's llvm.amdgcn.*.buffer.load.lds lowering
 * puts it there; the instruction offset applies to both addresses).  An
 * out-of-range load writes 0; an LDS address beyond the allocation drops
 * the write, as DS stores do. */
static int mubuf_lds(struct shader_core *c, struct shader_wave *w,
		     const struct shader_mem_plan *p, const struct buf_format *f,
		     const struct buf_map *m, const struct buf_lane *l, unsigned lane,
		     uint32_t inst_offset, bool in_range)
{
	uint32_t v = 0;
	int r;
	if (p->fmt) {
		uint8_t buf[16] = { 0 };
		if (in_range && (r = buf_copy(c, m, l, 0, buf, buf_format_bytes(f), false)))
			return r;
		struct buf_format fi;
		uint32_t raw = buf_comp_get(f, buf, 0, &fi);
		v = fmt_to_reg(&fi, raw, false);
	} else {
		if (in_range && (r = buf_copy(c, m, l, 0, &v, p->bytes, false)))
			return r;
		if (p->bytes == 1)
			v = p->sext ? (uint32_t)(int32_t)(int8_t)v : (v & 0xff);
		else if (p->bytes == 2)
			v = p->sext ? (uint32_t)(int32_t)(int16_t)v : (v & 0xffff);
	}
	uint64_t a = (uint64_t)w->s[SREG_M0] + inst_offset + (uint64_t)lane * 4u;
	if (a + 4 <= c->lds_size)
		memcpy(c->lds + a, &v, 4);
	return 0;
}

static int mubuf_inst(struct shader_core *c, struct shader_wave *w,
		      const struct shader_icache_entry *e)
{
	const struct isa_inst *in = &e->inst;
	const struct shader_mem_plan *p = &e->plan.mem;
	if (p->kind == MEM_INV)
		return 0; /* cache invalidations: memory is coherent here */
	if (p->kind == MEM_UNMODELLED)
		return shader_fault(c, p->why);
	if (p->kind == MEM_ABSENT)
		return shader_illegal_why(c, p->why);
	if (p->kind != MEM_LOAD && p->kind != MEM_STORE && p->kind != MEM_ATOMIC)
		return shader_illegal(c);
	/* the lds bit: gfx10.3 and gfx9 loads (mubuf_lds) */
	if (in->lds && ((c->gen != ISA_GEN_GFX103 && c->gen != ISA_GEN_GFX9) ||
			p->kind != MEM_LOAD))
		return shader_illegal(c);
	bool gfx103 = c->gen == ISA_GEN_GFX103;
	bool load = p->kind == MEM_LOAD;
	if (in->tfe && !load)
		return shader_fault(c, "MUBUF tfe on a store or atomic is not modelled");
	unsigned bytes = p->bytes;
	const struct isa_operand *vaddr = inst_op(in, ISA_FLD_ADDR);
	/* the decoder names the loaded or stored VGPRs DATA0 (vdata) */
	const struct isa_operand *vdata = inst_op(in, ISA_FLD_DATA0);
	const struct isa_operand *srsrc = inst_op(in, ISA_FLD_SRSRC);
	const struct isa_operand *soff = inst_op(in, ISA_FLD_MSOFF);
	if ((!vdata && !in->lds) || !srsrc || !soff || srsrc->kind != ISA_OPK_SREG ||
	    srsrc->reg + 4u > SHADER_NUM_SREGS)
		return shader_illegal(c);
	if ((in->offen || in->idxen) && (!vaddr || vmem_check_vgprs(c, w, vaddr)))
		return vaddr ? -ECANCELED : shader_illegal(c);
	if (vdata && vmem_check_vgprs(c, w, vdata))
		return -ECANCELED;
	uint64_t soffset = 0;
	int r = sop_read(c, w, soff, &soffset);
	if (r)
		return r;
	const uint32_t *d = &w->s[srsrc->reg];
	struct buf_map m;
	m.base = d[0] | (uint64_t)(d[1] & 0xffffu) << 32;
	m.soffset = (uint32_t)soffset;
	m.stride = VSHARP_STRIDE(d[1]);
	m.esize = VSHARP_SWIZZLE(d[1]) ? 2u << VSHARP_SWIZZLE(d[1]) : 0;
	/* gfx10.3: SWIZZLE_ENABLE is dword1 bit 31 alone (bit 30 is
	 * CACHE_SWIZZLE, a cache policy) and the element size is 4 bytes:
	 * the private segment buffer of its scratch (shader/scratch.c) */
	if (c->gen == ISA_GEN_GFX103)
		m.esize = (d[1] >> 31) ? 4u : 0u;
	m.istride = 8u << VSHARP_INDEX_STRIDE(d[3]);
	uint32_t num_records = d[2];
	uint32_t oob = VSHARP_OOB_SELECT(d[3]);
	/* gfx9 (SQ_BUF_RSRC_WORD1/3, gc_9_0_sh_mask.h): SWIZZLE_ENABLE is
	 * dword1 bit 31, the element size 2 << dword3 bits 19..20 (ROCr's
	 * ELEMENT_SIZE; 1 = 4 bytes in the scratch V#, src/gfx/regs_gfx9.c),
	 * and there is no OOB_SELECT: the Vega ISA's range check ("Range
	 * Checking") has no check for a private buffer (ADD_TID_ENABLE, no
	 * idxen), checks the index against NUM_RECORDS for a structured one
	 * (STRIDE != 0, idxen), and otherwise the offset without the SGPR
	 * offset ("the SGPR offset is not used for range checking"). */
	bool gfx9 = c->gen == ISA_GEN_GFX9;
	if (gfx9) {
		m.esize = (d[1] >> 31) ? 2u << ((d[3] >> 19) & 3u) : 0u;
		oob = VSHARP_ADD_TID(d[3]) && !in->idxen ? OOB_DISABLED
		      : m.stride && in->idxen ? OOB_STRUCTURED : OOB_RAW;
	}
	struct buf_format f = { 0, 0, 0, 0 };
	if (p->fmt) {
		unsigned code = in->enc != ISA_ENC_MUBUF ? in->format
				: gfx103 ? (d[3] >> 12) & 0x7fu : VSHARP_FORMAT(d[3]);
		/* gfx9: DATA_FORMAT and NUM_FORMAT, in the V# (dword3 bits
		 * 18:15 and 14:12) or the MTBUF instruction (dfmt | nfmt << 4) */
		unsigned dfmt = in->enc != ISA_ENC_MUBUF ? in->format & 0xfu : (d[3] >> 15) & 0xfu;
		unsigned nfmt = in->enc != ISA_ENC_MUBUF ? (in->format >> 4) & 7u : (d[3] >> 12) & 7u;
		f = gfx9 ? buf_format_of_gfx9(dfmt, nfmt)
		    : gfx103 ? buf_format_of_gfx103(code) : buf_format_of(code);
		if (!f.ncomp) {
			char msg[112];
			if (gfx9)
				snprintf(msg, sizeof(msg), "buffer DATA_FORMAT %u NUM_FORMAT %u is "
					 "invalid or not modelled", dfmt, nfmt);
			else
				snprintf(msg, sizeof(msg), "buffer FORMAT %u is invalid or not modelled",
					 code);
			return shader_fault(c, msg);
		}
	}
	/* tfe: the status dword follows the loaded data */
	unsigned ndata = p->fmt ? (p->d16 ? (p->fmt + 1u) / 2u : p->fmt)
				: (p->d16 ? 1u : (bytes + 3u) / 4u);
	uint64_t exec = wave_exec(c, w);
	for (unsigned lane = 0; lane < c->lanes; lane++) {
		if (!((exec >> lane) & 1))
			continue;
		struct buf_lane l;
		l.index = in->idxen ? *vreg(w, vaddr->reg, lane) : 0;
		l.offset = in->offen ? *vreg(w, vaddr->reg + (in->idxen ? 1 : 0), lane) : 0;
		if (VSHARP_ADD_TID(d[3]))
			l.index += lane;
		l.offset += (uint32_t)in->offset;
		/* the range check sees offset + soffset (gfx9: offset) */
		uint64_t roff = l.offset + (gfx9 ? 0 : m.soffset);
		if (in->tfe)
			*vreg(w, vdata->reg + ndata, lane) = 0;
		if (in->lds) {
			r = mubuf_lds(c, w, p, &f, &m, &l, lane, (uint32_t)in->offset,
				      p->fmt ? buffer_in_range(oob, num_records, m.stride, l.index,
							       roff, 0, buf_format_bytes(&f))
					     : buffer_in_range(oob, num_records, m.stride, l.index,
							       roff, 0, bytes));
			if (r)
				return r;
			continue;
		}
		if (p->fmt) {
			bool ok = buffer_in_range(oob, num_records, m.stride, l.index, roff, 0,
						  buf_format_bytes(&f));
			r = typed_lane(c, w, p, &f, d[3] & 0xfffu, load, vdata->reg, lane, &m, &l, ok);
			if (r)
				return r;
			continue;
		}
		if (p->kind == MEM_ATOMIC) {
			/* DATA = {source, compare} for cmpswap; glc returns the
			 * old value in the first DATA register(s) */
			bool wide = p->wide;
			unsigned dw = wide ? 2 : 1;
			uint64_t old = 0, nv, s0 = *vreg(w, vdata->reg, lane), s1 = 0;
			if (wide)
				s0 |= (uint64_t)*vreg(w, vdata->reg + 1, lane) << 32;
			if (shader_atomic_two_data(p->aop)) {
				s1 = *vreg(w, vdata->reg + dw, lane);
				if (wide)
					s1 |= (uint64_t)*vreg(w, vdata->reg + dw + 1, lane) << 32;
			}
			if (buffer_in_range(oob, num_records, m.stride, l.index, roff, 0, bytes)) {
				if ((r = buf_copy(c, &m, &l, 0, &old, bytes, false)))
					return r;
				shader_atomic_apply(p->aop, wide, old, s0, s1, &nv);
				if ((r = buf_copy(c, &m, &l, 0, &nv, bytes, true)))
					return r;
			}
			if (in->glc) {
				*vreg(w, vdata->reg, lane) = (uint32_t)old;
				if (wide)
					*vreg(w, vdata->reg + 1, lane) = (uint32_t)(old >> 32);
			}
			continue;
		}
		unsigned ndw = (bytes + 3) / 4;
		for (unsigned i = 0; i < ndw; i++) {
			unsigned part = bytes < 4 ? bytes : 4;
			bool in_range = buffer_in_range(oob, num_records, m.stride, l.index, roff,
							i * 4, part);
			uint32_t v = 0;
			if (load) {
				if (in_range && (r = buf_copy(c, &m, &l, 4 * i, &v, part, false)))
					return r;
				if (bytes == 1)
					v = p->sext ? (uint32_t)(int32_t)(int8_t)v : (v & 0xff);
				else if (bytes == 2)
					v = p->sext ? (uint32_t)(int32_t)(int16_t)v : (v & 0xffff);
				uint32_t *dst = vreg(w, vdata->reg + i, lane);
				if (!p->d16)
					*dst = v;
				else if (p->d16_hi)
					*dst = (*dst & 0xffffu) | (v << 16);
				else
					*dst = (*dst & 0xffff0000u) | (v & 0xffffu);
			} else if (in_range) {
				v = *vreg(w, vdata->reg + i, lane);
				if (p->d16_hi)
					v >>= 16;
				if ((r = buf_copy(c, &m, &l, 4 * i, &v, part, true)))
					return r;
			}
		}
	}
	return 0;
}

/* All lanes' VM accesses of one instruction share one window: one hold of
 * the memory lock (exec/window.h), as shader_exec_vmem. */
int shader_exec_mubuf(struct shader_core *c, struct shader_wave *w,
		      const struct shader_icache_entry *e)
{
	exec_vm_window_open(&c->vm, c->job);
	int r = mubuf_inst(c, w, e);
	exec_vm_window_close(&c->vm);
	return r;
}
