/*
 * MIMG storage-image instructions the way a compute shader uses them on a
 * Vulkan storage image: image_load, image_store and the 32-bit
 * image_atomic_* with integer texel coordinates, on a linear image
 * (SW_MODE 0) of type 1D or 2D.  The image resource (T#, 8 SGPRs, gfx11
 * layout as the ROCr/Mesa descriptor definitions give it):
 *   dword0     BASE_ADDRESS >> 8
 *   dword1     BASE_ADDRESS_HI [7:0], FORMAT [27:20], WIDTH-1 [1:0] in 31:30
 *   dword2     WIDTH-1 [13:2] in 11:0, HEIGHT-1 in 27:14
 *   dword3     DST_SEL_X/Y/Z/W 11:0, SW_MODE 24:20, TYPE 31:28
 *   dword4     PITCH-1 (texels) in 13:0 (1D, 2D)
 * The texel at (x, y) is at base + (y * pitch + x) * texel size; FORMAT is
 * the unified format code (shader/mubuf.c's conversions).  A load returns
 * the channels dmask selects (after DST_SEL), in order, d16-packed with
 * d16; a store writes the dmask channels and keeps the texel's others; a
 * coordinate outside the image reads 0 and drops the store or atomic.
 * a16 coordinates are the 16-bit halves of the address VGPRs.
 * Not modelled (a fault naming it): tiled images (SW_MODE != 0), 3D,
 * cube, array and MSAA images, the _mip, _pck, get_resinfo and msaa_load
 * forms, tfe/lwe, 64-bit image atomics.
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
	p->why = "this MIMG form (mip, pck, get_resinfo, msaa_load) is not modelled";
	if (!strcmp(n, "image_load")) {
		p->kind = MEM_LOAD;
	} else if (!strcmp(n, "image_store")) {
		p->kind = MEM_STORE;
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
	struct buf_format f;
};

static int image_of(struct shader_core *c, const struct shader_wave *w, const struct isa_inst *in,
		    struct image *im)
{
	const struct isa_operand *r = &in->ops[2];
	if (r->kind != ISA_OPK_SREG || r->reg + 8u > SHADER_NUM_SREGS)
		return shader_illegal(c);
	const uint32_t *d = &w->s[r->reg];
	char msg[128];
	unsigned sw_mode = (d[3] >> 20) & 0x1f, type = d[3] >> 28, code = (d[1] >> 20) & 0xff;
	if (sw_mode) {
		snprintf(msg, sizeof(msg), "image with SW_MODE %u (tiled) is not modelled", sw_mode);
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
	im->pitch = (d[4] & 0x3fffu) + 1;
	im->bytes = buf_format_bytes(&im->f);
	im->dst_sel = d[3] & 0xfffu;
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

/* the texel's components as VGPR values (d16: 16-bit), 0/1 for missing */
static void texel_read(const struct image *im, const uint8_t *buf, bool d16, uint32_t comp[4])
{
	bool fp = im->f.nf != NF_UINT && im->f.nf != NF_SINT;
	for (unsigned i = 0; i < 4; i++) {
		if (i >= im->f.ncomp) {
			comp[i] = i < 3 ? 0 : fp ? (d16 ? 0x3c00u : 0x3f800000u) : 1;
			continue;
		}
		struct buf_format fi = im->f;
		uint32_t raw;
		if (im->f.packed) {
			uint32_t word;
			memcpy(&word, buf, 4);
			raw = i < 3 ? (word >> (10 * i)) & 0x3ffu : word >> 30;
			if (i == 3)
				fi.bits = 2;
		} else {
			raw = 0;
			memcpy(&raw, buf + i * (im->f.bits / 8u), im->f.bits / 8u);
		}
		comp[i] = fmt_to_reg(&fi, raw, d16);
	}
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
	if (p->kind == MEM_ATOMIC && (im.bytes != 4 || im.f.ncomp != 1 || in->dmask != 1) &&
	    !(p->aop == AOP_CMPSWAP && in->dmask == 3 && im.bytes == 4))
		return shader_fault(c, "image atomics other than 32-bit on a one-channel 32-bit "
				       "format are not modelled");
	uint64_t exec = wave_exec(c, w);
	for (unsigned lane = 0; lane < c->lanes; lane++) {
		if (!((exec >> lane) & 1))
			continue;
		uint32_t x = coord(w, in, 0, lane), y = in->dim == 1 ? coord(w, in, 1, lane) : 0;
		bool inside = x < im.width && y < im.height;
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
		texel_read(&im, buf, in->d16, comp);
		if (p->kind == MEM_LOAD) {
			bool fp = im.f.nf != NF_UINT && im.f.nf != NF_SINT;
			uint32_t one = fp ? (in->d16 ? 0x3c00u : 0x3f800000u) : 1;
			unsigned k = 0;
			for (unsigned ch = 0; ch < 4; ch++) {
				if (!((in->dmask >> ch) & 1))
					continue;
				unsigned sel = (im.dst_sel >> (3 * ch)) & 7u;
				uint32_t v = !inside ? 0 : sel >= 4 ? comp[sel - 4] : sel == 1 ? one : 0;
				if (!in->d16) {
					*vreg(w, vdata->reg + k, lane) = v;
				} else {
					uint32_t *d = vreg(w, vdata->reg + k / 2, lane);
					*d = k & 1 ? (*d & 0xffffu) | (v << 16) : (*d & 0xffff0000u) | (v & 0xffffu);
				}
				k++;
			}
			continue;
		}
		if (!inside)
			continue;
		/* store: the dmask channels from the VGPRs, the others kept */
		unsigned k = 0;
		uint32_t raw[4];
		for (unsigned ch = 0; ch < im.f.ncomp; ch++) {
			struct buf_format fi = im.f;
			if (im.f.packed && ch == 3)
				fi.bits = 2;
			uint32_t v = comp[ch];
			if ((in->dmask >> ch) & 1) {
				v = in->d16 ? (k & 1 ? *vreg(w, vdata->reg + k / 2, lane) >> 16
						     : *vreg(w, vdata->reg + k / 2, lane) & 0xffffu)
					    : *vreg(w, vdata->reg + k, lane);
				k++;
			}
			raw[ch] = reg_to_fmt(&fi, v, in->d16);
		}
		if (im.f.packed) {
			uint32_t word = raw[0] | raw[1] << 10 | raw[2] << 20 | raw[3] << 30;
			memcpy(buf, &word, 4);
		} else {
			for (unsigned ch = 0; ch < im.f.ncomp; ch++)
				memcpy(buf + ch * (im.f.bits / 8u), &raw[ch], im.f.bits / 8u);
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
	/* The image descriptor (T#) and its FORMAT codes are gfx11's here;
	 * gfx10.3's differ, and are not modelled. */
	if (c->gen == ISA_GEN_GFX103)
		return shader_fault(c, "image instructions (MIMG) on gfx10.3 are not modelled "
				    "(gfx10.3 image descriptor and formats)");
	exec_vm_window_open(&c->vm, c->job);
	int r = mimg_inst(c, w, e);
	exec_vm_window_close(&c->vm);
	return r;
}
