/*
 * MIMG storage-image instructions the way a compute shader uses them on a
 * Vulkan storage image: image_load(_mip), image_store(_mip), their _pck
 * forms, image_get_resinfo and the 32-bit image_atomic_* with integer
 * texel coordinates, on a linear image (SW_MODE 0) of type 1D or 2D.  The
 * image resource (T#, 8 SGPRs, gfx11 layout as the ROCr/Mesa descriptor
 * definitions give it):
 *   dword0     BASE_ADDRESS >> 8
 *   dword1     BASE_ADDRESS_HI [7:0], FORMAT [27:20], WIDTH-1 [1:0] in 31:30
 *   dword2     WIDTH-1 [13:2] in 11:0, HEIGHT-1 in 27:14
 *   dword3     DST_SEL_X/Y/Z/W 11:0, BASE_LEVEL 15:12, LAST_LEVEL 19:16,
 *              SW_MODE 24:20, TYPE 31:28
 *   dword4     DEPTH 13:0: a custom PITCH-1 (texels) of a 1D/2D image
 * The texel at (x, y) of mip level 0 is at base + (y * pitch + x) * texel
 * size, pitch = the larger of the width padded to 256 bytes (addrlib's
 * linear pitch, what RADV allocates and leaves DEPTH 0 for) and DEPTH + 1;
 * FORMAT is the unified format code (shader/mubuf.c's conversions, every
 * code 1-63).  A load returns the channels dmask selects (after
 * DST_SEL), in order, d16-packed with d16; a store writes the dmask
 * channels and keeps the texel's others; a coordinate outside the level
 * reads 0 and drops the store or atomic.  a16 coordinates are the 16-bit
 * halves of the address VGPRs.
 * Mip levels: the level accessed is BASE_LEVEL (+ the _mip forms' level
 * coordinate); a level above LAST_LEVEL is outside the image (0 / dropped).
 * Level 0 is at the base address; where addrlib puts the other levels of
 * a linear image is not modelled (a fault naming the level).
 * _pck (load/store without format conversion): executed for formats of
 * 32-bit components, where it is the raw dword; other formats fault.
 * image_get_resinfo (integer results, channel by dmask, at level
 * BASE_LEVEL + the lod in VADDR): x = max(1, WIDTH >> level), y = max(1,
 * HEIGHT >> level), w = LAST_LEVEL - BASE_LEVEL + 1; z (depth/layers) of a
 * 1D/2D image is not modelled (DEPTH holds the linear pitch) and faults.
 * Not modelled (a fault naming it): tiled images (SW_MODE != 0, named as
 * addrlib names the mode), 3D, cube and array images (their slice pitch
 * comes from addrlib), MSAA images and image_msaa_load, tfe/lwe, 64-bit
 * image atomics.
 */
#include "internal.h"

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
	if (!strcmp(n, "image_msaa_load")) {
		p->why = "image_msaa_load: MSAA images are not modelled";
	} else if (!strncmp(n, "image_atomic_", 13)) {
		static const struct { const char *name; uint8_t aop; } ops[] = {
			{ "swap", AOP_SWAP }, { "cmpswap", AOP_CMPSWAP }, { "add", AOP_ADD },
			{ "sub", AOP_SUB }, { "smin", AOP_MIN_I }, { "umin", AOP_MIN_U },
			{ "smax", AOP_MAX_I }, { "umax", AOP_MAX_U }, { "and", AOP_AND },
			{ "or", AOP_OR }, { "xor", AOP_XOR }, { "inc", AOP_INC }, { "dec", AOP_DEC },
		};
		for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
			if (!strcmp(n + 13, ops[i].name)) {
				p->kind = MEM_ATOMIC;
				p->aop = ops[i].aop;
			}
	}
}

struct image {
	uint64_t base;
	uint32_t width, height, pitch, bytes, dst_sel;
	unsigned base_level, last_level;
	struct buf_format f;
};

/* addrlib's AddrSwizzleMode names of the gfx11 SW_MODE values */
static const char *sw_mode_name(unsigned m)
{
	static const char *const names[32] = {
		"LINEAR", "256B_S", "256B_D", "256B_R", "4KB_Z", "4KB_S", "4KB_D", "4KB_R",
		"64KB_Z", "64KB_S", "64KB_D", "64KB_R", "reserved", "reserved", "reserved",
		"reserved", "64KB_Z_T", "64KB_S_T", "64KB_D_T", "64KB_R_T", "4KB_Z_X", "4KB_S_X",
		"4KB_D_X", "4KB_R_X", "64KB_Z_X", "64KB_S_X", "64KB_D_X", "64KB_R_X", "256KB_Z_X",
		"256KB_S_X", "256KB_D_X", "256KB_R_X",
	};
	return names[m & 31];
}

static int image_of(struct shader_core *c, const struct shader_wave *w, const struct isa_inst *in,
		    struct image *im)
{
	const struct isa_operand *r = &in->ops[2];
	if (r->kind != ISA_OPK_SREG || r->reg + 8u > SHADER_NUM_SREGS)
		return shader_illegal(c);
	const uint32_t *d = &w->s[r->reg];
	char msg[160];
	unsigned sw_mode = (d[3] >> 20) & 0x1f, type = d[3] >> 28, code = (d[1] >> 20) & 0xff;
	if (sw_mode) {
		snprintf(msg, sizeof(msg), "image with SW_MODE %u (SW_%s, tiled): the swizzle is "
			 "not modelled, only linear images", sw_mode, sw_mode_name(sw_mode));
		return shader_fault(c, msg);
	}
	if (type == 14 || type == 15) {
		snprintf(msg, sizeof(msg), "MSAA image (TYPE %u) is not modelled", type);
		return shader_fault(c, msg);
	}
	if (type == 10 || type == 11 || type == 12 || type == 13) {
		static const char *const tn[4] = { "3D", "cube", "1D array", "2D array" };
		snprintf(msg, sizeof(msg), "linear %s image (TYPE %u): the slice pitch addrlib "
			 "assigns is not modelled, only 1D and 2D", tn[type - 10], type);
		return shader_fault(c, msg);
	}
	if ((type != 8 && type != 9) || in->dim > 1) {
		snprintf(msg, sizeof(msg), "image TYPE %u / dim %u: only linear 1D and 2D images are "
			 "modelled", type, in->dim);
		return shader_fault(c, msg);
	}
	if (in->tfe || in->lwe)
		return shader_fault(c, "MIMG tfe/lwe is not modelled");
	im->f = buf_format_of(code);
	if (!im->f.ncomp) {
		snprintf(msg, sizeof(msg), "image FORMAT %u is invalid or not modelled", code);
		return shader_fault(c, msg);
	}
	im->base = ((uint64_t)d[0] | (uint64_t)(d[1] & 0xffu) << 32) << 8;
	im->width = ((d[1] >> 30) | (d[2] & 0xfffu) << 2) + 1;
	im->height = type == 9 ? ((d[2] >> 14) & 0x3fffu) + 1 : 1;
	im->bytes = buf_format_bytes(&im->f);
	/* The row pitch: addrlib's linear pitch, the width padded to 256
	 * bytes (Lib::ComputeSurfaceInfoLinear: PowTwoAlign(width, 256 /
	 * bytes per texel)), what RADV allocates for an image it creates and
	 * leaves DEPTH 0 for; or a larger custom pitch in DEPTH (GFX10.3+,
	 * Mesa sets it for imported linear images, a multiple of 256 bytes). */
	if (256u % im->bytes) {
		snprintf(msg, sizeof(msg), "linear image of %u-byte texels: the row pitch rule is "
			 "not modelled", im->bytes);
		return shader_fault(c, msg);
	}
	uint32_t align = 256u / im->bytes, custom = (d[4] & 0x3fffu) + 1;
	im->pitch = (im->width + align - 1) & ~(align - 1);
	if (custom > im->pitch)
		im->pitch = custom;
	im->dst_sel = d[3] & 0xfffu;
	im->base_level = (d[3] >> 12) & 0xfu;
	im->last_level = (d[3] >> 16) & 0xfu;
	return 0;
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

/* image_get_resinfo (see the file comment) */
static int image_resinfo(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
			 const struct image *im)
{
	const struct isa_operand *vdata = &in->ops[0];
	if (in->dmask & 4)
		return shader_fault(c, "image_get_resinfo z (depth/layers) of a 1D/2D image is not "
				       "modelled");
	uint64_t exec = wave_exec(c, w);
	for (unsigned lane = 0; lane < c->lanes; lane++) {
		if (!((exec >> lane) & 1))
			continue;
		uint32_t lod = coord(w, in, 0, lane);
		uint32_t level = im->base_level + lod < im->base_level ? 31u : im->base_level + lod;
		uint32_t wd = level > 31 ? 0 : im->width >> level, ht = level > 31 ? 0 : im->height >> level;
		uint32_t v[4] = { wd ? wd : 1, ht ? ht : 1, 1,
				  im->last_level >= im->base_level ? im->last_level - im->base_level + 1 : 0 };
		unsigned k = 0;
		for (unsigned ch = 0; ch < 4; ch++)
			if ((in->dmask >> ch) & 1)
				*vreg(w, vdata->reg + k++, lane) = v[ch];
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
	if (p->kind == MEM_IMG_RESINFO)
		return image_resinfo(c, w, in, &im);
	if (p->pck && (im.f.packed || im.f.bits != 32)) {
		char msg[128];
		snprintf(msg, sizeof(msg), "image _pck access to a format of %u-bit components: "
			 "the packing is not modelled, only 32-bit components",
			 im.f.packed ? 10u : im.f.bits);
		return shader_fault(c, msg);
	}
	if (p->kind == MEM_ATOMIC && (im.bytes != 4 || im.f.ncomp != 1 || in->dmask != 1) &&
	    !(p->aop == AOP_CMPSWAP && in->dmask == 3 && im.bytes == 4))
		return shader_fault(c, "image atomics other than 32-bit on a one-channel 32-bit "
				       "format are not modelled");
	bool d16 = in->d16 && !p->pck;
	unsigned ncoord = in->dim == 1 ? 2 : 1;
	uint64_t exec = wave_exec(c, w);
	for (unsigned lane = 0; lane < c->lanes; lane++) {
		if (!((exec >> lane) & 1))
			continue;
		uint32_t x = coord(w, in, 0, lane), y = in->dim == 1 ? coord(w, in, 1, lane) : 0;
		/* the level: BASE_LEVEL, plus the _mip forms' level coordinate */
		uint32_t lod = p->mip ? coord(w, in, ncoord, lane) : 0;
		uint32_t level = lod > 15 ? 16 : im.base_level + lod;
		if (level > 0 && level <= im.last_level) {
			char msg[128];
			snprintf(msg, sizeof(msg), "mip level %u of a linear image: where addrlib puts "
				 "levels above 0 is not modelled", level);
			return shader_fault(c, msg);
		}
		bool inside = level <= im.last_level && x < im.width && y < im.height;
		uint64_t va = im.base + ((uint64_t)y * im.pitch + x) * im.bytes;
		uint8_t buf[16] = { 0 };
		if (p->kind == MEM_ATOMIC) {
			uint64_t old = 0, nv;
			uint64_t src = *vreg(w, vdata->reg, lane);
			uint64_t cmp = p->aop == AOP_CMPSWAP ? *vreg(w, vdata->reg + 1, lane) : 0;
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
			bool fp = im.f.nf != NF_UINT && im.f.nf != NF_SINT;
			uint32_t one = fp ? (d16 ? 0x3c00u : 0x3f800000u) : 1;
			unsigned k = 0;
			for (unsigned ch = 0; ch < 4; ch++) {
				if (!((in->dmask >> ch) & 1))
					continue;
				unsigned sel = (im.dst_sel >> (3 * ch)) & 7u;
				uint32_t v = !inside ? 0 : sel >= 4 ? comp[sel - 4] : sel == 1 ? one : 0;
				if (!d16) {
					*vreg(w, vdata->reg + k, lane) = v;
				} else {
					uint32_t *dd = vreg(w, vdata->reg + k / 2, lane);
					*dd = k & 1 ? (*dd & 0xffffu) | (v << 16) : (*dd & 0xffff0000u) | (v & 0xffffu);
				}
				k++;
			}
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
