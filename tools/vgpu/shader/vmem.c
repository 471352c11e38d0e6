/*
 * Vector memory of the shader core: GLOBAL and FLAT loads, stores and
 * 32/64-bit integer, f32 and csub atomics (shader/atomic.c) through the
 * job's VM (exec_read/exec_write: a bad address is a VM fault and the
 * context becomes guilty, as for the command processor).  DS (LDS) is
 * shader/ds.c's, MUBUF and MTBUF shader/mubuf.c's.  FLAT addresses in the
 * LDS or private aperture go to the workgroup's LDS or the lane's scratch
 * (shader/aperture.c); scratch_* instructions are shader/scratch.c's.
 * Lanes run in order, one access at a time, so every access is complete
 * (and atomic with respect to the other lanes) before the next.
 */
#include "internal.h"

#include <errno.h>
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

int vmem_check_vgprs(struct shader_core *c, const struct shader_wave *w,
		     const struct isa_operand *o)
{
	if (o && o->kind == ISA_OPK_VGPR && (uint32_t)o->reg + (o->bits + 31u) / 32u > w->nvgpr)
		return shader_fault(c, "VGPR operand beyond the RSRC1.VGPRS allocation");
	return 0;
}

/* Width in bytes and sign extension of a load/store suffix (b32, u8...) */
int vmem_width_of(const char *suffix, unsigned *bytes, bool *sext)
{
	*sext = suffix[0] == 'i';
	if (!strcmp(suffix, "b32")) *bytes = 4;
	else if (!strcmp(suffix, "b64")) *bytes = 8;
	else if (!strcmp(suffix, "b96")) *bytes = 12;
	else if (!strcmp(suffix, "b128")) *bytes = 16;
	else if (!strcmp(suffix, "u8") || !strcmp(suffix, "i8") || !strcmp(suffix, "b8")) *bytes = 1;
	else if (!strcmp(suffix, "u16") || !strcmp(suffix, "i16") || !strcmp(suffix, "b16")) *bytes = 2;
	else return -1;
	return 0;
}

/* GLOBAL addresses are always VM addresses; FLAT ones go by aperture
 * (shader/aperture.c: LDS, the lane's scratch, or the VM). */
static int vmem_rw(struct shader_core *c, const struct shader_wave *w, unsigned lane, bool flat,
		   uint64_t va, void *buf, unsigned n, bool store)
{
	if (flat)
		return shader_flat_access(c, w, lane, va, buf, n, store);
	return exec_vm_window_copy(&c->vm, va, buf, n, store);
}

/* global_* / flat_*: load, store (both with d16 forms) or integer atomic */
void shader_vmem_resolve(struct shader_icache_entry *e)
{
	const char *n = e->base;
	struct shader_mem_plan *p = &e->plan.mem;
	memset(p, 0, sizeof(*p));
	const char *rest = starts(n, "global_") ? n + 7 : starts(n, "flat_") ? n + 5 : NULL;
	if (!rest) {
		p->kind = MEM_UNNAMED;
		return;
	}
	p->flat = rest == n + 5;
	unsigned bytes = 0;
	bool sext = false, wide = false;
	p->kind = MEM_BAD;
	/* d16: a 16-bit half of the VGPR (hi: the upper one); loads keep the
	 * other half */
	if (starts(rest, "load_d16_") || starts(rest, "store_d16_")) {
		p->d16 = true;
		const char *t = strstr(rest, "d16_") + 4;
		if (starts(t, "hi_")) {
			p->d16_hi = true;
			t += 3;
		}
		if (vmem_width_of(t, &bytes, &sext) || bytes > 2)
			return;
		p->kind = rest[0] == 'l' ? MEM_LOAD : MEM_STORE;
	} else if (!p->flat && (!strcmp(rest, "load_addtid_b32") || !strcmp(rest, "store_addtid_b32"))) {
		/* RDNA3 ISA: the address is SADDR + offset + lane id * 4, no VGPR */
		p->addtid = true;
		bytes = 4;
		p->kind = rest[0] == 'l' ? MEM_LOAD : MEM_STORE;
	} else if (starts(rest, "load_")) {
		if (vmem_width_of(rest + 5, &bytes, &sext))
			return;
		p->kind = MEM_LOAD;
	} else if (starts(rest, "store_")) {
		if (vmem_width_of(rest + 6, &bytes, &sext))
			return;
		p->kind = MEM_STORE;
	} else if (starts(rest, "atomic_") &&
		   (p->aop = shader_atomic_parse(rest + 7, &wide)) != AOP_NONE &&
		   p->aop != AOP_RSUB && p->aop != AOP_MSKOR && p->aop != AOP_WRAP) {
		p->kind = MEM_ATOMIC;
		bytes = wide ? 8 : 4;
	} else {
		return;
	}
	p->bytes = (uint8_t)bytes;
	p->sext = sext;
	p->wide = wide;
}

static int vmem_inst(struct shader_core *c, struct shader_wave *w,
		     const struct shader_icache_entry *e)
{
	const struct isa_inst *in = &e->inst;
	const struct shader_mem_plan *p = &e->plan.mem;
	if (p->kind == MEM_UNNAMED)
		return shader_illegal(c);
	bool flat = p->flat;
	const struct isa_operand *addr = inst_op(in, ISA_FLD_ADDR);
	const struct isa_operand *saddr = inst_op(in, ISA_FLD_SADDR);
	const struct isa_operand *vdst = inst_op(in, ISA_FLD_VDST);
	const struct isa_operand *data = inst_op(in, ISA_FLD_DATA0);
	bool use_saddr = saddr && saddr->kind == ISA_OPK_SREG && saddr->reg != SREG_NULL;
	uint64_t sbase = 0;
	if (use_saddr) {
		int r = sop_read(c, w, saddr, &sbase);
		if (r)
			return r;
	}
	if ((!addr && !(p->addtid && use_saddr)) || vmem_check_vgprs(c, w, addr) ||
	    vmem_check_vgprs(c, w, vdst) || vmem_check_vgprs(c, w, data))
		return addr || p->addtid ? -ECANCELED : shader_illegal(c);
	if (p->kind == MEM_BAD)
		return shader_illegal(c);
	/* gfx10.3's lds bit (global_load_dword/ubyte/sbyte/ushort/sshort ...
	 * lds): no VGPR destination, the loaded value goes to LDS (below) */
	bool lds = in->lds;
	if (lds && (p->kind != MEM_LOAD || p->d16 || p->bytes > 4 || flat))
		return shader_illegal(c);
	if (!lds && p->kind == MEM_LOAD && !vdst)
		return shader_illegal(c);
	enum shader_mem_kind kind = p->kind;
	unsigned bytes = p->bytes;
	bool sext = p->sext, wide = p->wide, d16 = p->d16, d16_hi = p->d16_hi;
	uint8_t aop = p->aop;
	uint64_t exec = wave_exec(c, w);
	for (unsigned lane = 0; lane < c->lanes; lane++) {
		if (!((exec >> lane) & 1))
			continue;
		uint64_t va;
		if (p->addtid)
			va = sbase + 4u * lane;
		else if (use_saddr)
			va = sbase + *vreg(w, addr->reg, lane);
		else
			va = *vreg(w, addr->reg, lane) | (uint64_t)*vreg(w, addr->reg + 1, lane) << 32;
		va += (int64_t)in->offset;
		uint32_t buf[4] = { 0 };
		int r;
		if (kind == MEM_LOAD) {
			r = vmem_rw(c, w, lane, flat, va, buf, bytes, false);
			if (r)
				return r;
			if (bytes == 1)
				buf[0] = sext ? (uint32_t)(int32_t)(int8_t)buf[0] : (buf[0] & 0xff);
			else if (bytes == 2)
				buf[0] = sext ? (uint32_t)(int32_t)(int16_t)buf[0] : (buf[0] & 0xffff);
			if (lds) {
				/* as MUBUF lds (shader/mubuf.c): the dword to LDS at
				 * M0 + instruction offset + lane x 4, dropped past the
				 * allocation */
				uint64_t la = (uint64_t)w->s[SREG_M0] + (uint32_t)in->offset +
					      (uint64_t)lane * 4u;
				if (la + 4 <= c->lds_size)
					memcpy(c->lds + la, &buf[0], 4);
				continue;
			}
			if (d16) {
				uint32_t *d = vreg(w, vdst->reg, lane);
				*d = d16_hi ? (*d & 0xffffu) | (buf[0] << 16)
					    : (*d & 0xffff0000u) | (buf[0] & 0xffffu);
				continue;
			}
			for (unsigned i = 0; i < (bytes + 3) / 4; i++)
				*vreg(w, vdst->reg + i, lane) = buf[i];
		} else if (kind == MEM_STORE) {
			for (unsigned i = 0; i < (bytes + 3) / 4; i++)
				buf[i] = *vreg(w, data->reg + i, lane);
			if (d16_hi)
				buf[0] >>= 16;
			r = vmem_rw(c, w, lane, flat, va, buf, bytes, true);
			if (r)
				return r;
		} else {
			uint64_t old = 0, d = *vreg(w, data->reg, lane), cmp = 0, nv;
			unsigned dw = wide ? 2 : 1;
			if (wide)
				d |= (uint64_t)*vreg(w, data->reg + 1, lane) << 32;
			if (aop == AOP_CMPSWAP || aop == AOP_CMPSWAP_F) {
				/* RDNA3 ISA, *_ATOMIC_CMPSWAP: DATA = {new value
				 * (source), compare value}, the source first */
				cmp = *vreg(w, data->reg + dw, lane);
				if (wide)
					cmp |= (uint64_t)*vreg(w, data->reg + dw + 1, lane) << 32;
			}
			r = vmem_rw(c, w, lane, flat, va, &old, bytes, false);
			if (r)
				return r;
			if (shader_atomic_apply(aop, wide, old, d, cmp, &nv)) {
				exec_vm_window_close(&c->vm); /* fault without the memory lock */
				return shader_illegal(c);
			}
			r = vmem_rw(c, w, lane, flat, va, &nv, bytes, true);
			if (r)
				return r;
			if (vdst) {
				*vreg(w, vdst->reg, lane) = (uint32_t)old;
				if (wide)
					*vreg(w, vdst->reg + 1, lane) = (uint32_t)(old >> 32);
			}
		}
	}
	return 0;
}

/* All lanes' VM accesses of one instruction share one window: one hold of
 * the memory lock, and the last mapping translated is reused by the lanes
 * that fall in it (exec/window.h; faults are unchanged). */
int shader_exec_vmem(struct shader_core *c, struct shader_wave *w,
		     const struct shader_icache_entry *e)
{
	exec_vm_window_open(&c->vm, c->job);
	int r = vmem_inst(c, w, e);
	exec_vm_window_close(&c->vm);
	return r;
}
