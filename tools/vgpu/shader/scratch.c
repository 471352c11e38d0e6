/*
 * Scratch (the private segment) of the shader core.  gfx10.3 waves reach
 * it through MUBUF with the private segment buffer V# (shader/mubuf.c,
 * swizzled) or through scratch_* once their prolog set FLAT_SCRATCH with
 * s_setreg (shader/sreg.c); the slot layout below is the same.  gfx9
 * waves the same way, except that FLAT_SCRATCH is the SGPR pair
 * s[102:103] the prolog writes with s_add_u32/s_addc_u32 (read at each
 * access, shader/gfx9.c).  gfx11
 * architected
 * flat scratch (AMDGPUUsage, "Flat Scratch" / "Private Segment Buffer"):
 * the SPI gives every wave of a SCRATCH_EN dispatch a slot of
 * COMPUTE_TMPRING_SIZE.WAVESIZE x 256 bytes in the buffer at
 * COMPUTE_DISPATCH_SCRATCH_BASE and loads the slot's address into the
 * wave's FLAT_SCRATCH; scratch_load/store address lane-private memory
 * relative to it.
 *
 * Per lane, the address is SADDR (an SGPR, or off) + VADDR (a VGPR when
 * SVE, or off) + the 13-bit signed instruction offset, 32 bits.  The slot
 * is laid out swizzled, dword elements with a stride of the wave's lanes
 * (AMDGPUUsage, "Non-Kernel Functions": "swizzled with dword element size
 * and stride of wavefront size elements"): byte o of lane l is at
 * FLAT_SCRATCH + (o / 4) * 4 * lanes + l * 4 + o % 4.  So a lane owns
 * WAVESIZE x 256 / lanes bytes, rounded down to dwords, and an access
 * beyond that (or a scratch access by a wave without scratch) is a fault
 * naming the lane, offset and slot size.  Every byte goes through the
 * job's VM like any other access (exec_read/exec_write): a slot outside
 * the buffer's mapping, or a buffer missing from the BO list, is a VM
 * fault.
 *
 * Slots: waves of a workgroup run together (shader/dispatch.c), so wave i
 * of workgroup g gets slot (g * waves per group + i) mod WAVES; with
 * WAVES >= waves per group (exec/pm4.c checks) the waves of a group never
 * share a slot, and successive workgroups walk the whole buffer, so a
 * buffer smaller than WAVES slots faults instead of passing by luck.
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define RSRC2_SCRATCH_EN(v) ((v) & 1u)
#define SADDR_OFF 124 /* the null SGPR code: no scalar address */

uint64_t shader_scratch_wave_init(const struct shader_core *c, struct shader_wave *w, uint64_t wg,
				  unsigned index, unsigned nwaves)
{
	const struct exec_dispatch *d = c->d;
	w->scratch_base = 0;
	if (!RSRC2_SCRATCH_EN(d->rsrc2) || TMPRING_WAVES(d->tmpring_size) == 0)
		return 0;
	uint64_t slot = (wg * nwaves + index) % TMPRING_WAVES(d->tmpring_size);
	uint64_t off = slot * TMPRING_WAVESIZE(d->tmpring_size) * d->wavesize_unit;
	if (c->gen == ISA_GEN_GFX11)
		w->scratch_base = d->scratch_base + off;
	return off;
}

/* The wave's FLAT_SCRATCH: gfx9's SGPR pair, or the register the SPI
 * (gfx11) or s_setreg (gfx10.3) loaded. */
static uint64_t flat_scratch(const struct shader_core *c, const struct shader_wave *w)
{
	return c->gen == ISA_GEN_GFX9 ? shader_gfx9_flat_scratch(w) : w->scratch_base;
}

/* Bytes each lane owns in the wave's slot. */
static uint32_t lane_bytes(const struct shader_core *c)
{
	uint32_t wave = TMPRING_WAVESIZE(c->d->tmpring_size) * c->d->wavesize_unit;
	return wave / (4u * c->lanes) * 4u;
}

/* Copies `n` bytes between buf and lane `lane`'s private offset `off`,
 * one dword element at a time (each lands at its swizzled address). */
static int lane_access(struct shader_core *c, const struct shader_wave *w, unsigned lane,
		       uint32_t off, uint8_t *buf, unsigned n, bool store)
{
	for (unsigned done = 0; done < n;) {
		uint32_t o = off + done;
		unsigned part = 4 - (o & 3);
		if (part > n - done)
			part = n - done;
		uint64_t va = flat_scratch(c, w) + (uint64_t)(o >> 2) * 4u * c->lanes + lane * 4u +
			      (o & 3);
		int r = exec_vm_window_copy(&c->vm, va, buf + done, part, store);
		if (r)
			return r;
		done += part;
	}
	return 0;
}

static int no_scratch(struct shader_core *c)
{
	exec_vm_window_close(&c->vm); /* faults are reported without the memory lock */
	return shader_fault(c, c->gen == ISA_GEN_GFX103
			    ? "scratch access with FLAT_SCRATCH 0 (RSRC2.SCRATCH_EN is 0, or the "
			      "kernel did not set FLAT_SCR_LO/HI with s_setreg)"
			    : c->gen == ISA_GEN_GFX9
			    ? "scratch access with FLAT_SCRATCH (s[102:103]) 0 (the kernel did not "
			      "set it from its flat scratch init SGPRs)"
			    : "scratch access by a wave without scratch (RSRC2.SCRATCH_EN is 0 or "
			      "COMPUTE_TMPRING_SIZE was not programmed)");
}

int shader_scratch_access(struct shader_core *c, const struct shader_wave *w, unsigned lane,
			  uint32_t off, void *buf, unsigned n, bool store)
{
	if (!flat_scratch(c, w))
		return no_scratch(c);
	uint32_t limit = lane_bytes(c);
	if ((uint64_t)off + n > limit) {
		char why[200];
		snprintf(why, sizeof(why), "scratch access outside the wave's slot: lane %u, "
			 "private offset 0x%x + %u bytes, a lane owns 0x%x bytes "
			 "(COMPUTE_TMPRING_SIZE.WAVESIZE %u x %u / %u lanes)", lane, off, n, limit,
			 TMPRING_WAVESIZE(c->d->tmpring_size), c->d->wavesize_unit, c->lanes);
		exec_vm_window_close(&c->vm); /* faults are reported without the memory lock */
		return shader_fault(c, why);
	}
	return lane_access(c, w, lane, off, buf, n, store);
}

static uint32_t *vreg(struct shader_wave *w, unsigned reg, unsigned lane)
{
	return &w->v[(size_t)reg * 64 + lane];
}

/* scratch_load_* / scratch_store_* (with d16 forms), parsed once */
void shader_scratch_resolve(struct shader_icache_entry *e)
{
	const char *n = e->base;
	struct shader_mem_plan *p = &e->plan.mem;
	memset(p, 0, sizeof(*p));
	p->kind = MEM_BAD;
	if (strncmp(n, "scratch_", 8) != 0)
		return;
	const char *rest = n + 8;
	bool load = strncmp(rest, "load_", 5) == 0, store = strncmp(rest, "store_", 6) == 0;
	if (!load && !store)
		return;
	rest += load ? 5 : 6;
	/* d16: a 16-bit half of the VGPR (hi: the upper one); a load keeps
	 * the other half */
	bool d16 = strncmp(rest, "d16_", 4) == 0, d16_hi = false;
	if (d16) {
		rest += 4;
		if (strncmp(rest, "hi_", 3) == 0) {
			d16_hi = true;
			rest += 3;
		}
	}
	unsigned bytes = 0;
	bool sext = false;
	if (vmem_width_of(rest, &bytes, &sext) || (d16 && bytes > 2))
		return;
	p->kind = load ? MEM_LOAD : MEM_STORE;
	p->bytes = (uint8_t)bytes;
	p->sext = sext;
	p->d16 = d16;
	p->d16_hi = d16_hi;
}

static int scratch_inst(struct shader_core *c, struct shader_wave *w,
			const struct shader_icache_entry *e)
{
	const struct isa_inst *in = &e->inst;
	const struct shader_mem_plan *p = &e->plan.mem;
	if (p->kind != MEM_LOAD && p->kind != MEM_STORE)
		return shader_illegal(c);
	bool load = p->kind == MEM_LOAD, sext = p->sext, d16 = p->d16, d16_hi = p->d16_hi;
	unsigned bytes = p->bytes;
	const struct isa_operand *addr = inst_op(in, ISA_FLD_ADDR);
	const struct isa_operand *saddr = inst_op(in, ISA_FLD_SADDR);
	const struct isa_operand *vdst = inst_op(in, ISA_FLD_VDST);
	const struct isa_operand *data = inst_op(in, ISA_FLD_DATA0);
	const struct isa_operand *val = load ? vdst : data;
	if (!val || vmem_check_vgprs(c, w, val) ||
	    (in->sve && (!addr || vmem_check_vgprs(c, w, addr))))
		return val ? -ECANCELED : shader_illegal(c);
	if (!flat_scratch(c, w))
		return no_scratch(c);
	uint32_t sbase = 0;
	if (saddr && saddr->kind == ISA_OPK_SREG && saddr->reg != SADDR_OFF) {
		uint64_t v = 0;
		int r = sop_read(c, w, saddr, &v);
		if (r)
			return r;
		sbase = (uint32_t)v;
	}
	uint64_t exec = wave_exec(c, w);
	for (unsigned lane = 0; lane < c->lanes; lane++) {
		if (!((exec >> lane) & 1))
			continue;
		uint32_t off = sbase + (uint32_t)in->offset;
		if (in->sve)
			off += *vreg(w, addr->reg, lane);
		uint32_t buf[4] = { 0 };
		int r;
		if (load) {
			if ((r = shader_scratch_access(c, w, lane, off, buf, bytes, false)))
				return r;
			if (bytes == 1)
				buf[0] = sext ? (uint32_t)(int32_t)(int8_t)buf[0] : (buf[0] & 0xff);
			else if (bytes == 2)
				buf[0] = sext ? (uint32_t)(int32_t)(int16_t)buf[0] : (buf[0] & 0xffff);
			if (d16) {
				uint32_t *d = vreg(w, vdst->reg, lane);
				*d = d16_hi ? (*d & 0xffffu) | (buf[0] << 16)
					    : (*d & 0xffff0000u) | (buf[0] & 0xffffu);
				continue;
			}
			for (unsigned i = 0; i < (bytes + 3) / 4; i++)
				*vreg(w, vdst->reg + i, lane) = buf[i];
		} else {
			for (unsigned i = 0; i < (bytes + 3) / 4; i++)
				buf[i] = *vreg(w, data->reg + i, lane);
			if (d16_hi)
				buf[0] >>= 16;
			if ((r = shader_scratch_access(c, w, lane, off, buf, bytes, true)))
				return r;
		}
	}
	return 0;
}

/* The lanes' accesses share one VM window (exec/window.h). */
int shader_exec_scratch(struct shader_core *c, struct shader_wave *w,
			const struct shader_icache_entry *e)
{
	exec_vm_window_open(&c->vm, c->job);
	int r = scratch_inst(c, w, e);
	exec_vm_window_close(&c->vm);
	return r;
}
