/*
 * DS (LDS) instructions of the shader core, on the workgroup's LDS, as
 * the RDNA3 ISA's DS opcode table defines them: loads and stores of 1-16
 * bytes (also 2addr / stride64 and the sub-dword and d16 forms), every
 * 32- and 64-bit integer and float atomic (with and without _rtn, the
 * 2addr exchanges), ds_permute/bpermute/swizzle, ds_append/consume,
 * ds_load/store_addtid, ds_condxchg32_rtn_b64, ds_nop, the GWS
 * operations (ds_gws_*, for a job with a GWS partition), gfx11's GS
 * register ops (ds_add/sub_gs_reg_rtn) and the loads, stores and atomics
 * on GDS memory (the gds bit, for a job with a GDS partition: ds_gds).
 * ds_ordered_count and ds_bvh_stack raise a fault naming what is not
 * modelled and why.
 * Lanes run in order, one access at a time, so every access is complete
 * (and atomic with respect to the other lanes) before the next.
 */
#include "internal.h"
#include "exec/gds_mem.h"
#include "exec/gs_regs.h"

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

/* LDS bounds (RDNA3 ISA, "LDS access"): an access past the workgroup's
 * allocation reads 0 and its write is dropped. */
static uint32_t lds_read32(const struct shader_core *c, uint32_t a)
{
	uint32_t v = 0;
	if ((uint64_t)a + 4 <= c->lds_size)
		memcpy(&v, c->lds + a, 4);
	return v;
}

static void lds_write32(struct shader_core *c, uint32_t a, uint32_t v)
{
	if ((uint64_t)a + 4 <= c->lds_size)
		memcpy(c->lds + a, &v, 4);
}

/* Sub-dword LDS accesses: `n` (1 or 2) bytes, out of range as above (the
 * whole access reads 0 / is dropped). */
static uint32_t lds_read_small(const struct shader_core *c, uint32_t a, unsigned n)
{
	uint32_t v = 0;
	if ((uint64_t)a + n <= c->lds_size)
		memcpy(&v, c->lds + a, n); /* little-endian host, as the GPU */
	return v;
}

static void lds_write_small(struct shader_core *c, uint32_t a, uint32_t v, unsigned n)
{
	if ((uint64_t)a + n <= c->lds_size)
		memcpy(c->lds + a, &v, n);
}

/* A 32- or 64-bit LDS value (a 64-bit one as two dwords, each checked) */
uint64_t shader_lds_read(const struct shader_core *c, uint32_t a, bool wide)
{
	uint64_t v = lds_read32(c, a);
	if (wide)
		v |= (uint64_t)lds_read32(c, a + 4) << 32;
	return v;
}

void shader_lds_write(struct shader_core *c, uint32_t a, uint64_t v, bool wide)
{
	lds_write32(c, a, (uint32_t)v);
	if (wide)
		lds_write32(c, a + 4, (uint32_t)(v >> 32));
}

static uint64_t vread(struct shader_wave *w, unsigned reg, unsigned lane, bool wide)
{
	uint64_t v = *vreg(w, reg, lane);
	if (wide)
		v |= (uint64_t)*vreg(w, reg + 1, lane) << 32;
	return v;
}

static void vwrite(struct shader_wave *w, unsigned reg, unsigned lane, uint64_t v, bool wide)
{
	*vreg(w, reg, lane) = (uint32_t)v;
	if (wide)
		*vreg(w, reg + 1, lane) = (uint32_t)(v >> 32);
}

/*
 * ds_store_b8/b16 (the low byte/half of DATA0; _d16_hi: bits 23:16 or
 * 31:16), ds_load_u8/i8/u16/i16 (zero or sign extended to 32 bits) and
 * ds_load_{u8,i8,u16}_d16{,_hi} (extended to 16 bits into the low or high
 * half of VDST, the other half kept).  `rest` is the name after "ds_";
 * false if it is not one of these.
 */
static bool ds_subdword_resolve(const char *rest, struct shader_mem_plan *p)
{
	bool load = starts(rest, "load_");
	if (!load && !starts(rest, "store_"))
		return false;
	const char *t = rest + (load ? 5 : 6);
	unsigned bytes = 0;
	bool sext = t[0] == 'i';
	if (load ? (starts(t, "u8") || starts(t, "i8")) : starts(t, "b8"))
		bytes = 1, t += 2;
	else if (load ? (starts(t, "u16") || starts(t, "i16")) : starts(t, "b16"))
		bytes = 2, t += 3;
	else
		return false;
	/* loads: "", "_d16", "_d16_hi"; stores: "", "_d16_hi" */
	bool d16 = false, hi = false;
	if (!strcmp(t, "_d16") && load)
		d16 = true;
	else if (!strcmp(t, "_d16_hi"))
		d16 = hi = true;
	else if (*t)
		return false;
	if (load && d16 && bytes == 2 && sext)
		return false; /* there is no ds_load_i16_d16 */
	p->kind = load ? MEM_SUB_LOAD : MEM_SUB_STORE;
	p->bytes = (uint8_t)bytes;
	p->sext = sext;
	p->d16 = d16;
	p->d16_hi = hi;
	return true;
}

static int ds_subdword(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
		       const struct shader_mem_plan *p)
{
	bool load = p->kind == MEM_SUB_LOAD, sext = p->sext, d16 = p->d16, hi = p->d16_hi;
	unsigned bytes = p->bytes;
	const struct isa_operand *addr = inst_op(in, ISA_FLD_ADDR);
	const struct isa_operand *val = inst_op(in, load ? ISA_FLD_VDST : ISA_FLD_DATA0);
	if (!addr || !val)
		return shader_illegal(c);
	if (vmem_check_vgprs(c, w, addr) || vmem_check_vgprs(c, w, val))
		return -ECANCELED;
	uint64_t exec = wave_exec(c, w);
	for (unsigned lane = 0; lane < c->lanes; lane++) {
		if (!((exec >> lane) & 1))
			continue;
		uint32_t a = *vreg(w, addr->reg, lane) + (uint32_t)in->offset;
		uint32_t *v = vreg(w, val->reg, lane);
		if (!load) {
			lds_write_small(c, a, hi ? *v >> 16 : *v, bytes);
			continue;
		}
		uint32_t x = lds_read_small(c, a, bytes);
		if (sext)
			x = bytes == 1 ? (uint32_t)(int32_t)(int8_t)x : (uint32_t)(int32_t)(int16_t)x;
		if (!d16)
			*v = x;
		else if (hi)
			*v = (*v & 0xffffu) | (x << 16);
		else
			*v = (*v & 0xffff0000u) | (x & 0xffffu);
	}
	return 0;
}

/* Names the core knows but does not model: the fault says why.  The GWS
 * operations are executed (ds_gws below) for a job whose BO list holds a
 * GWS BO, GDS memory (ds_gds) for one that holds a GDS BO.
 * ds_ordered_count: the RDNA3 ISA ("Ordered Count") says the GDS
 * "processes them in the order the waves were created", one request per
 * wave, the increment from the first valid lane, the target one of the 16
 * GS registers at OFFSET0[5:2], OFFSET1 [0] wave_release / [1] wave_done /
 * [5:4] add, exchange or wrap, and M0 = {orderedCntBase[15:0] (dwords),
 * waveCrawlerInc[2:0], logicalWaveID[12:0]}; but which logical wave id the
 * ordering starts at, how waveCrawlerInc advances it, what
 * wave_release/wave_done do to the order, and "how the GDS counters are
 * initialized with their config registers" (count vs ring-buffer alloc)
 * are given nowhere; LLVM's llvm.amdgcn.ds.ordered.add only passes the
 * caller's M0 and offset bits through, and the CP-side ordered-append
 * setup of a dispatch is undocumented.  AMD's rocJITsu simulator
 * (ROCm/rocm-systems, emulation/rocjitsu, executors generated from AMD's
 * ISA XML) throws UnimplementedInst for it on RDNA2 and RDNA3 and models
 * no GDS, so it gives no order either.  An order the vgpu would invent
 * could be wrong, so the instruction faults. */
static const struct { const char *prefix, *why; } ds_unmodelled[] = {
	{ "ds_ordered_count", "ds_ordered_count: GDS ordered count is not modelled (the ISA "
			      "guides order requests by wave creation through M0's "
			      "logicalWaveID/waveCrawlerInc but define neither the wave id the "
			      "order starts at, nor how the crawler advances it, nor what "
			      "wave_release/wave_done do, nor the counters' config registers; "
			      "AMD's rocJITsu simulator does not execute it either)" },
	/* the RDNA3 guide's pseudocode pushes DATA1[0..2] and returns
	 * DATA1[3] or pops, but leaves DECODE_ADDR/ENCODE_ADDR (the packed
	 * stack address), INVALID_NODE and DATA_VALID undefined; its section
	 * 12.5.3 says the stack "wraps around and overwrites older items",
	 * but puts the stack size both in ADDR[17:16] (index in [15:0]) and
	 * in OFFSET1[5:4], and gives no per-lane layout, while RADV's
	 * radv_build_bvh_stack_rtn_addr puts the index in bits 0-17 and a
	 * 128-byte (32-entry) per-index stride: no two sources agree on where
	 * an entry lives in LDS.  AMD's rocJITsu simulator throws
	 * UnimplementedInst for it (RDNA3, RDNA3.5, and RDNA4's push/pop
	 * forms), and its audit of AMD's ISA XML (RDNA3-XML-004) finds the
	 * ADDR packing, DATA_VALID and the wrap rule in prose only */
	{ "ds_bvh_stack_rtn_b32", "ds_bvh_stack_rtn_b32: the ray-tracing LDS stack is not "
				  "modelled (the RDNA3 guide leaves the packed stack address's "
				  "decoding and the invalid-node value undefined and places the stack "
				  "size in two fields; RADV's layout differs from it; AMD's rocJITsu "
				  "simulator does not execute it either)" },
};

/* ds_*: what the mnemonic selects (see the file comment). */
void shader_ds_resolve(struct shader_icache_entry *e)
{
	const char *n = e->base;
	struct shader_mem_plan *p = &e->plan.mem;
	memset(p, 0, sizeof(*p));
	if (!starts(n, "ds_")) {
		p->kind = MEM_UNNAMED;
		return;
	}
	for (size_t i = 0; i < sizeof(ds_unmodelled) / sizeof(ds_unmodelled[0]); i++) {
		if (starts(n, ds_unmodelled[i].prefix)) {
			p->kind = MEM_UNMODELLED;
			p->why = ds_unmodelled[i].why;
			return;
		}
	}
	if (!strcmp(n, "ds_add_gs_reg_rtn") || !strcmp(n, "ds_sub_gs_reg_rtn")) {
		p->kind = MEM_DS_GS_REG;
		p->aop = n[3] == 's';
		return;
	}
	static const char *const gws[] = { "ds_gws_init", "ds_gws_barrier", "ds_gws_sema_v",
					   "ds_gws_sema_br", "ds_gws_sema_p",
					   "ds_gws_sema_release_all" };
	for (size_t i = 0; i < sizeof(gws) / sizeof(gws[0]); i++) {
		if (!strcmp(n, gws[i])) {
			p->kind = MEM_DS_GWS;
			p->aop = (uint8_t)i;
			return;
		}
	}
	static const struct { const char *name; uint8_t kind; } special[] = {
		{ "ds_nop", MEM_DS_NOP }, { "ds_permute_b32", MEM_DS_PERMUTE },
		{ "ds_bpermute_b32", MEM_DS_BPERMUTE }, { "ds_swizzle_b32", MEM_DS_SWIZZLE },
		{ "ds_append", MEM_DS_APPEND }, { "ds_consume", MEM_DS_CONSUME },
		{ "ds_load_addtid_b32", MEM_DS_LOAD_ADDTID },
		{ "ds_store_addtid_b32", MEM_DS_STORE_ADDTID },
		{ "ds_condxchg32_rtn_b64", MEM_DS_CONDXCHG },
	};
	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++) {
		if (!strcmp(n, special[i].name)) {
			p->kind = special[i].kind;
			return;
		}
	}
	if (e->inst.gen == ISA_GEN_GFX9 && strstr(n, "_src2_")) {
		p->kind = shader_gfx9_ds_src2_resolve(n, &p->aop, &p->wide) ? MEM_DS_SRC2_GFX9
									     : MEM_BAD;
		return;
	}
	const char *rest = n + 3;
	if (ds_subdword_resolve(rest, p))
		return;
	p->kind = MEM_BAD;
	p->two = strstr(rest, "2addr") != NULL;
	p->st64 = strstr(rest, "stride64") != NULL;
	p->rtn = strstr(rest, "_rtn_") != NULL;
	const char *us = strrchr(rest, '_');
	if (!us)
		return;
	const char *suffix = us + 1;
	if (starts(rest, "load_") || starts(rest, "store_")) {
		if (!strcmp(suffix, "b32")) p->ndw = 1;
		else if (!strcmp(suffix, "b64")) p->ndw = 2;
		else if (!strcmp(suffix, "b96")) p->ndw = 3;
		else if (!strcmp(suffix, "b128")) p->ndw = 4;
		else return;
		p->kind = rest[0] == 'l' ? MEM_LOAD : MEM_STORE;
		return;
	}
	/* atomics: ds_add_u32, ds_add_rtn_u64, ds_cmpstore_rtn_f32,
	 * ds_storexchg_2addr_stride64_rtn_b64 ... */
	char name[48];
	snprintf(name, sizeof(name), "%s", rest);
	static const char *const drop[] = { "_rtn", "_2addr", "_stride64" };
	for (size_t i = 0; i < 3; i++) {
		char *q = strstr(name, drop[i]);
		if (q)
			memmove(q, q + strlen(drop[i]), strlen(q + strlen(drop[i])) + 1);
	}
	bool wide = false;
	uint8_t aop = shader_atomic_parse(name, &wide);
	if (aop == AOP_NONE || aop == AOP_CSUB)
		return;
	if (p->two && aop != AOP_SWAP)
		return;
	p->aop = aop;
	p->wide = wide;
	p->ndw = wide ? 2 : 1;
	p->kind = MEM_ATOMIC;
}

/* ds_permute_b32 (forward: lane i writes DATA0 to lane ADDR/4) and
 * ds_bpermute_b32 (backward: lane i reads DATA0 of lane ADDR/4), with
 * the instruction offset added to ADDR.  The lane index is taken modulo
 * 32: in wave64 each half permutes within itself (RDNA3 ISA; why LLPC and
 * ACO use v_permlane64 around two ds_bpermute for a wave64 shuffle); on
 * gfx9 the whole wave64 (modulo 64).
 * Only active lanes send (permute) or receive (both); a lane nobody sent
 * to receives 0; of several senders to one lane the highest wins. */
static int ds_permute(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
		      bool backward)
{
	const struct isa_operand *vdst = inst_op(in, ISA_FLD_VDST);
	const struct isa_operand *addr = inst_op(in, ISA_FLD_ADDR);
	const struct isa_operand *d0 = inst_op(in, ISA_FLD_DATA0);
	if (!vdst || !addr || !d0)
		return shader_illegal(c);
	if (vmem_check_vgprs(c, w, vdst) || vmem_check_vgprs(c, w, addr) ||
	    vmem_check_vgprs(c, w, d0))
		return -ECANCELED;
	uint32_t tmp[64] = { 0 };
	uint64_t exec = wave_exec(c, w);
	for (unsigned lane = 0; lane < c->lanes; lane++) {
		if (!((exec >> lane) & 1))
			continue;
		/* gfx9 (GCN) permutes across the whole wave64: lane index =
		 * address / 4 modulo 64 (Vega ISA, DS_BPERMUTE_B32) */
		unsigned idx = (*vreg(w, addr->reg, lane) + (uint32_t)in->offset) / 4u;
		unsigned other = c->gen == ISA_GEN_GFX9 ? idx & 63u : (lane & 32u) | (idx & 31u);
		if (backward)
			tmp[lane] = *vreg(w, d0->reg, other);
		else
			tmp[other] = *vreg(w, d0->reg, lane);
	}
	for (unsigned lane = 0; lane < c->lanes; lane++)
		if ((exec >> lane) & 1)
			*vreg(w, vdst->reg, lane) = tmp[lane];
	return 0;
}

/*
 * ds_swizzle_b32: lanes exchange DATA0 by the 16-bit offset (RDNA3 ISA,
 * DS_SWIZZLE_B32; the offset:swizzle(...) forms LLVM prints):
 *   offset[15:8] = 0x80: QDMode, within each group of 4 lanes lane j
 *     reads lane offset[2j+1:2j] of its group;
 *   offset[15] = 0: BitMode, within each group of 32 lanes, with
 *     and_mask = offset[4:0], or_mask = offset[9:5], xor_mask =
 *     offset[14:10], lane i reads ((i & and) | or) ^ xor.
 * Inactive lanes are written nothing; reading an inactive lane gives 0.
 * Other offsets with bit 15 set (modes LLVM prints as a plain number)
 * fault as not modelled.
 */
static int ds_swizzle(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in)
{
	const struct isa_operand *vdst = inst_op(in, ISA_FLD_VDST);
	const struct isa_operand *d0 = inst_op(in, ISA_FLD_DATA0);
	if (!d0)
		d0 = inst_op(in, ISA_FLD_ADDR); /* the decoder's name for the one VGPR source */
	if (!vdst || !d0)
		return shader_illegal(c);
	if (vmem_check_vgprs(c, w, vdst) || vmem_check_vgprs(c, w, d0))
		return -ECANCELED;
	uint32_t off = (uint32_t)in->offset & 0xffffu, tmp[64] = { 0 };
	if ((off & 0x8000u) && (off & 0xff00u) != 0x8000u)
		return shader_fault(c, "ds_swizzle_b32 with an offset mode other than QDMode "
				       "(0x80xx) or BitMode (bit 15 clear) is not modelled");
	uint64_t exec = wave_exec(c, w);
	for (unsigned lane = 0; lane < c->lanes; lane++) {
		unsigned src;
		if (off & 0x8000u) {
			src = (lane & ~3u) | ((off >> (2 * (lane & 3u))) & 3u);
		} else {
			unsigned and_m = off & 31u, or_m = (off >> 5) & 31u, xor_m = (off >> 10) & 31u;
			src = (lane & 32u) | ((((lane & 31u) & and_m) | or_m) ^ xor_m);
		}
		tmp[lane] = (exec >> src) & 1 ? *vreg(w, d0->reg, src) : 0;
	}
	for (unsigned lane = 0; lane < c->lanes; lane++)
		if ((exec >> lane) & 1)
			*vreg(w, vdst->reg, lane) = tmp[lane];
	return 0;
}

/*
 * ds_append / ds_consume on LDS: one counter at M0[15:0] + offset, which
 * the wave increments (decrements) by the number of active lanes; every
 * active lane receives the value before (RDNA3 ISA, DS_APPEND; LLVM sets
 * M0 to the LDS pointer for llvm.amdgcn.ds.append).
 * ds_load/store_addtid_b32: lane i accesses M0[15:0] + offset + 4 * i.
 */
static int ds_m0_based(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
		       uint8_t kind)
{
	const struct isa_operand *vdst = inst_op(in, ISA_FLD_VDST);
	const struct isa_operand *d0 = inst_op(in, ISA_FLD_DATA0);
	const struct isa_operand *v = kind == MEM_DS_STORE_ADDTID ? d0 : vdst;
	if (!v)
		return shader_illegal(c);
	if (vmem_check_vgprs(c, w, v))
		return -ECANCELED;
	uint32_t base = (w->s[SREG_M0] & 0xffffu) + ((uint32_t)in->offset & 0xffffu);
	uint64_t exec = wave_exec(c, w);
	if (kind == MEM_DS_APPEND || kind == MEM_DS_CONSUME) {
		uint32_t old = lds_read32(c, base), n = (uint32_t)__builtin_popcountll(exec);
		lds_write32(c, base, kind == MEM_DS_APPEND ? old + n : old - n);
		for (unsigned lane = 0; lane < c->lanes; lane++)
			if ((exec >> lane) & 1)
				*vreg(w, v->reg, lane) = old;
		return 0;
	}
	for (unsigned lane = 0; lane < c->lanes; lane++) {
		if (!((exec >> lane) & 1))
			continue;
		if (kind == MEM_DS_LOAD_ADDTID)
			*vreg(w, v->reg, lane) = lds_read32(c, base + 4 * lane);
		else
			lds_write32(c, base + 4 * lane, *vreg(w, v->reg, lane));
	}
	return 0;
}

/* One lane's atomic at `a`: DATA0 (and DATA1) are the instruction's
 * data operands in gfx11 order: ds_cmpstore DATA0 = new value, DATA1 =
 * compare value (the reverse of gfx10's ds_cmpst, which LLVM's
 * DSInstructions.td notes); ds_mskor DATA0 = mask, DATA1 = OR value;
 * ds_wrap DATA0 = limit, DATA1 = add-back.  Returns the old value. */
static uint64_t ds_atomic_lane(struct shader_core *c, struct shader_wave *w,
			       const struct shader_mem_plan *p, unsigned lane, uint32_t a,
			       const struct isa_operand *d0, const struct isa_operand *d1)
{
	bool wide = p->wide;
	uint64_t old = shader_lds_read(c, a, wide), nv = old;
	uint64_t data = vread(w, d0->reg, lane, wide);
	uint64_t data2 = d1 ? vread(w, d1->reg, lane, wide) : 0;
	shader_atomic_apply(p->aop, wide, old, data, data2, &nv);
	shader_lds_write(c, a, nv, wide);
	return old;
}

/* ds_condxchg32_rtn_b64 (RDNA3 ISA opcode table): two conditional
 * exchanges on the 8-byte aligned pair at (ADDR + offset) & ~7: dword k
 * (k = 0, 1) returns the LDS dword, and is replaced by DATA's dword k with
 * bit 31 cleared iff that DATA dword has bit 31 set. */
static int ds_condxchg(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in)
{
	const struct isa_operand *vdst = inst_op(in, ISA_FLD_VDST);
	const struct isa_operand *addr = inst_op(in, ISA_FLD_ADDR);
	const struct isa_operand *d0 = inst_op(in, ISA_FLD_DATA0);
	if (!vdst || !addr || !d0)
		return shader_illegal(c);
	if (vmem_check_vgprs(c, w, vdst) || vmem_check_vgprs(c, w, addr) ||
	    vmem_check_vgprs(c, w, d0))
		return -ECANCELED;
	uint64_t exec = wave_exec(c, w);
	for (unsigned lane = 0; lane < c->lanes; lane++) {
		if (!((exec >> lane) & 1))
			continue;
		uint32_t a = (*vreg(w, addr->reg, lane) + (uint32_t)in->offset) & ~7u;
		uint32_t ret[2];
		for (unsigned k = 0; k < 2; k++) {
			uint32_t d = *vreg(w, d0->reg + k, lane);
			ret[k] = lds_read32(c, a + 4 * k);
			if (d >> 31)
				lds_write32(c, a + 4 * k, d & 0x7fffffffu);
		}
		*vreg(w, vdst->reg, lane) = ret[0];
		*vreg(w, vdst->reg + 1, lane) = ret[1];
	}
	return 0;
}

/*
 * Global Wave Sync (RDNA3 ISA, DS opcodes DS_GWS_*; the same in the
 * gfx10.3 and Vega guides).  The resource is
 * rid = (M0[21:16] + OFFSET0) & 63 (LLVM's llvm.amdgcn.ds.gws.* put the
 * resource id in OFFSET and/or M0[21:16]), counted from the start of the
 * job's GWS partition (GDS_GWS_VMID.BASE); a rid at or past the
 * partition's size (GDS_GWS_VMID.SIZE, the GWS BO's resources) is a fault
 * naming it.  The value an operation takes is the ADDR VGPR of the first
 * active lane (lane 0 when EXEC is 0: GWS ignores EXEC).
 *   init:        counter = value.
 *   barrier:     counter > 0: counter -= 1 and the wave waits; counter 0
 *                (the last wave): every waiting wave is released and
 *                counter = value.  llvm.amdgcn.ds.gws.init/barrier take
 *                "the total number of waves that will wait on this
 *                barrier, minus 1".
 *   sema_v:      counter += 1;  sema_br: counter += value.
 *   sema_p:      counter > 0: counter -= 1; else the wave waits until it is.
 *   release_all: counter = the number of waves waiting in sema_p.
 * The barrier counts waves across the whole dispatch, so a dispatch with
 * a GWS partition keeps every workgroup resident (shader/dispatch.c); a
 * waiting wave yields to the others.  GWS state lives for the dispatch.
 */
enum { GWS_INIT, GWS_BARRIER, GWS_SEMA_V, GWS_SEMA_BR, GWS_SEMA_P, GWS_RELEASE_ALL };

static int ds_gws(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
		  unsigned op)
{
	static const char *const names[] = { "ds_gws_init", "ds_gws_barrier", "ds_gws_sema_v",
					     "ds_gws_sema_br", "ds_gws_sema_p",
					     "ds_gws_sema_release_all" };
	char why[200];
	if (!c->gws || c->job->gws_size == 0)
		return shader_fault(c, "ds_gws_* (global wave sync): the job's VMID has no GWS "
				    "partition (GDS_GWS_VMID size 0: the submission's BO list holds "
				    "no GWS BO)");
	unsigned rid = (((w->s[SREG_M0] >> 16) & 0x3fu) + in->offset0) & 0x3fu;
	if (rid >= c->job->gws_size) {
		snprintf(why, sizeof(why), "%s: GWS resource %u (M0[21:16] %u + offset %u) is "
			 "outside the job's GWS partition of %u resources", names[op], rid,
			 (w->s[SREG_M0] >> 16) & 0x3fu, in->offset0, c->job->gws_size);
		return shader_fault(c, why);
	}
	uint32_t value = 0;
	if (op == GWS_INIT || op == GWS_BARRIER || op == GWS_SEMA_BR) {
		const struct isa_operand *addr = inst_op(in, ISA_FLD_ADDR);
		if (!addr)
			return shader_illegal(c);
		if (vmem_check_vgprs(c, w, addr))
			return -ECANCELED;
		uint64_t exec = wave_exec(c, w);
		unsigned lane = exec ? (unsigned)__builtin_ctzll(exec) : 0;
		value = *vreg(w, addr->reg, lane);
	}
	struct shader_gws *g = c->gws;
	switch (op) {
	case GWS_INIT:
		g->counter[rid] = value;
		break;
	case GWS_BARRIER:
		if (g->counter[rid] > 0) {
			g->counter[rid]--;
			w->gws_rid = (uint8_t)rid;
			w->gws_gen = g->gen[rid];
			w->state = WAVE_GWS_BARRIER;
		} else {
			g->gen[rid]++;
			g->counter[rid] = value;
		}
		break;
	case GWS_SEMA_V:
		g->counter[rid]++;
		break;
	case GWS_SEMA_BR:
		g->counter[rid] += value;
		break;
	case GWS_SEMA_P:
		if (g->counter[rid] > 0) {
			g->counter[rid]--;
		} else {
			w->gws_rid = (uint8_t)rid;
			w->state = WAVE_GWS_P;
			g->p_waiting[rid]++;
		}
		break;
	default: /* GWS_RELEASE_ALL */
		g->counter[rid] = g->p_waiting[rid];
		break;
	}
	return 0;
}

/* ds_add_gs_reg_rtn / ds_sub_gs_reg_rtn (gfx11): an atomic add or
 * subtract of DATA0 on one of the GS registers embedded in GDS, selected
 * by OFFSET0[5:2], returning the value before into VDST (64 bits for the
 * 64-bit registers 8-15, VDST[0] only for the 32-bit ones): the RDNA3
 * ISA's pseudocode, on the chip's register set (exec/gs_regs.h).  Only
 * the first active lane takes part: Mesa's ac_nir_to_llvm.c ("Gfx11 GDS
 * instructions only operate on the first active lane. All other lanes
 * are ignored."), which is why it calls them from a single lane; the
 * other lanes' VDST is left as it was, and with no lane active nothing
 * happens.  The guide defines neither the form without the gds bit nor
 * offset bits outside [5:2] (LLVM and Mesa emit the byte offset 4 * sel):
 * both fault. */
static int ds_gs_reg(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
		     bool sub)
{
	const char *name = sub ? "ds_sub_gs_reg_rtn" : "ds_add_gs_reg_rtn";
	char msg[200];
	if (!in->gds) {
		snprintf(msg, sizeof(msg), "%s without the gds bit is not modelled (the RDNA3 "
			 "ISA defines it on the GS registers embedded in GDS only)", name);
		return shader_fault(c, msg);
	}
	if ((uint32_t)in->offset & ~0x3cu) {
		snprintf(msg, sizeof(msg), "%s offset:%u: bits outside OFFSET0[5:2] (the register "
			 "select) are not modelled", name, (unsigned)in->offset);
		return shader_fault(c, msg);
	}
	const struct isa_operand *vdst = inst_op(in, ISA_FLD_VDST);
	const struct isa_operand *d0 = inst_op(in, ISA_FLD_DATA0);
	if (!vdst || !d0)
		return shader_illegal(c);
	if (vmem_check_vgprs(c, w, vdst) || vmem_check_vgprs(c, w, d0))
		return -ECANCELED;
	uint64_t exec = wave_exec(c, w);
	if (!exec)
		return 0;
	unsigned lane = (unsigned)__builtin_ctzll(exec);
	bool wide = false;
	uint64_t old = exec_gs_reg_update((uint32_t)in->offset >> 2, *vreg(w, d0->reg, lane), sub,
					  &wide);
	*vreg(w, vdst->reg, lane) = (uint32_t)old;
	if (wide)
		*vreg(w, vdst->reg + 1, lane) = (uint32_t)(old >> 32);
	return 0;
}

/* The DS data-share operations on c->lds / c->lds_size: the workgroup's
 * LDS, or (ds_gds) the wave's GDS window. */
static int ds_share(struct shader_core *c, struct shader_wave *w,
		    const struct shader_icache_entry *e)
{
	const struct isa_inst *in = &e->inst;
	const struct shader_mem_plan *p = &e->plan.mem;
	switch (p->kind) {
	case MEM_UNNAMED:
		return shader_illegal(c);
	case MEM_SUB_LOAD: case MEM_SUB_STORE:
		return ds_subdword(c, w, in, p);
	case MEM_DS_NOP:
		return 0;
	case MEM_DS_CONDXCHG:
		return ds_condxchg(c, w, in);
	case MEM_DS_SRC2_GFX9:
		return shader_gfx9_exec_ds_src2(c, w, in, p);
	case MEM_DS_PERMUTE: case MEM_DS_BPERMUTE:
		return ds_permute(c, w, in, p->kind == MEM_DS_BPERMUTE);
	case MEM_DS_SWIZZLE:
		return ds_swizzle(c, w, in);
	case MEM_DS_APPEND: case MEM_DS_CONSUME: case MEM_DS_LOAD_ADDTID: case MEM_DS_STORE_ADDTID:
		return ds_m0_based(c, w, in, p->kind);
	default:
		break;
	}
	const struct isa_operand *addr = inst_op(in, ISA_FLD_ADDR);
	const struct isa_operand *vdst = inst_op(in, ISA_FLD_VDST);
	const struct isa_operand *d0 = inst_op(in, ISA_FLD_DATA0);
	const struct isa_operand *d1 = inst_op(in, ISA_FLD_DATA1);
	if (!addr || vmem_check_vgprs(c, w, addr) || vmem_check_vgprs(c, w, vdst) ||
	    vmem_check_vgprs(c, w, d0) || vmem_check_vgprs(c, w, d1))
		return addr ? -ECANCELED : shader_illegal(c);
	if (p->kind == MEM_BAD)
		return shader_illegal(c);
	bool two = p->two, st64 = p->st64;
	unsigned ndw = p->ndw;
	enum shader_mem_kind kind = p->kind;
	if (kind != MEM_LOAD && !d0)
		return shader_illegal(c);
	if (kind == MEM_ATOMIC && (two || shader_atomic_two_data(p->aop)) && !d1)
		return shader_illegal(c);
	if (kind == MEM_LOAD && !vdst)
		return shader_illegal(c);
	uint64_t exec = wave_exec(c, w);
	for (unsigned lane = 0; lane < c->lanes; lane++) {
		if (!((exec >> lane) & 1))
			continue;
		uint32_t base = *vreg(w, addr->reg, lane);
		if (two) {
			/* offset0/offset1 in units of the element (x64 for stride64) */
			uint32_t unit = ndw * 4 * (st64 ? 64 : 1);
			uint32_t a0 = base + in->offset0 * unit, a1 = base + in->offset1 * unit;
			if (kind == MEM_ATOMIC) {
				/* ds_storexchg_2addr_rtn: two swaps, DATA0 at a0 and
				 * DATA1 at a1, the old values into VDST's two halves */
				bool wide = p->wide;
				uint64_t o0 = shader_lds_read(c, a0, wide), o1 = shader_lds_read(c, a1, wide);
				shader_lds_write(c, a0, vread(w, d0->reg, lane, wide), wide);
				shader_lds_write(c, a1, vread(w, d1->reg, lane, wide), wide);
				if (vdst) {
					vwrite(w, vdst->reg, lane, o0, wide);
					vwrite(w, vdst->reg + ndw, lane, o1, wide);
				}
				continue;
			}
			for (unsigned i = 0; i < ndw; i++) {
				if (kind == MEM_LOAD) {
					*vreg(w, vdst->reg + i, lane) = lds_read32(c, a0 + 4 * i);
					*vreg(w, vdst->reg + ndw + i, lane) = lds_read32(c, a1 + 4 * i);
				} else {
					lds_write32(c, a0 + 4 * i, *vreg(w, d0->reg + i, lane));
					lds_write32(c, a1 + 4 * i, *vreg(w, d1->reg + i, lane));
				}
			}
			continue;
		}
		uint32_t a = base + (uint32_t)in->offset;
		if (kind == MEM_LOAD) {
			for (unsigned i = 0; i < ndw; i++)
				*vreg(w, vdst->reg + i, lane) = lds_read32(c, a + 4 * i);
		} else if (kind == MEM_STORE) {
			for (unsigned i = 0; i < ndw; i++)
				lds_write32(c, a + 4 * i, *vreg(w, d0->reg + i, lane));
		} else {
			uint64_t old = ds_atomic_lane(c, w, p, lane, a, d0,
						      shader_atomic_two_data(p->aop) ? d1 : NULL);
			if (p->rtn && vdst)
				vwrite(w, vdst->reg, lane, old, p->wide);
		}
	}
	return 0;
}

/*
 * GDS (the gds bit) for the loads, stores and atomics, on the chip's GDS
 * memory (exec/gds_mem.h).  Addressing, from the RDNA3 ISA's table of the
 * GDS instruction fields ("Global Wave Sync & Atomic Ordered Count",
 * column "Normal GDS"): M0[15:0] is gds_size and M0[31:16] gds_base, both
 * in bytes; ADDR and the offsets are used as for LDS.  The window
 * [gds_base, gds_base + gds_size) lies in the job's VMID partition
 * (GDS_VMID0_BASE/SIZE of its VMID, gfx_v*_ring_emit_gds_switch), whose
 * start is GDS byte 0 for the shader.  LLVM 19 sets M0 to the kernel's
 * GDS size (glueCopyToM0LDSInit for REGION_ADDRESS), i.e. base 0.
 * What the sources leave open faults, naming it: a job without a GDS
 * partition (GDS_VMID size 0), a window reaching past the partition, a
 * lane's access reaching past gds_size (clamped, dropped or an error on
 * the chip: no guide says), the LDS-only opcodes (ds_permute,
 * ds_bpermute, ds_swizzle, ds_load/store_addtid: "LDS only" in the
 * guide's opcode table) and ds_append/ds_consume (the guide gives their
 * GDS counter's address nowhere).  Every lane's addresses are checked
 * before any access, so a faulting instruction changes nothing.
 * Lanes: on gfx11 "GDS / GWS is now only a single lane wide": only the
 * least significant EXEC lane takes part (the other lanes' VDST is left
 * as it was), and with EXEC 0 nothing is sent (RDNA3 ISA, "EXEC
 * Handling"; Mesa's ac_nir_to_llvm.c: "Gfx11 GDS instructions only
 * operate on the first active lane").  gfx10.3 and gfx9 take every active
 * lane, in order, as for LDS.
 */
static int ds_gds_fault(struct shader_core *c, const char *name, const char *what)
{
	char msg[320];
	snprintf(msg, sizeof(msg), "%s with the gds bit: %s", name, what);
	return shader_fault(c, msg);
}

/* The byte ranges one lane accesses, its ADDR being `base`: one or two
 * (start, length); the count is returned. */
static unsigned ds_gds_ranges(const struct shader_mem_plan *p, const struct isa_inst *in,
			      uint32_t base, uint32_t start[2], uint32_t len[2])
{
	if (p->kind == MEM_SUB_LOAD || p->kind == MEM_SUB_STORE) {
		start[0] = base + (uint32_t)in->offset;
		len[0] = p->bytes;
		return 1;
	}
	if (p->kind == MEM_DS_CONDXCHG) {
		start[0] = (base + (uint32_t)in->offset) & ~7u;
		len[0] = 8;
		return 1;
	}
	uint32_t bytes = p->ndw * 4u;
	if (!p->two) {
		start[0] = base + (uint32_t)in->offset;
		len[0] = bytes;
		return 1;
	}
	uint32_t unit = bytes * (p->st64 ? 64u : 1u);
	start[0] = base + in->offset0 * unit;
	start[1] = base + in->offset1 * unit;
	len[0] = len[1] = bytes;
	return 2;
}

static int ds_gds(struct shader_core *c, struct shader_wave *w,
		  const struct shader_icache_entry *e)
{
	const struct isa_inst *in = &e->inst;
	const struct shader_mem_plan *p = &e->plan.mem;
	const char *name = e->base;
	char why[240];
	switch (p->kind) {
	case MEM_UNNAMED: case MEM_BAD:
		return shader_illegal(c);
	case MEM_DS_NOP:
		return 0;
	case MEM_DS_PERMUTE: case MEM_DS_BPERMUTE: case MEM_DS_SWIZZLE:
	case MEM_DS_LOAD_ADDTID: case MEM_DS_STORE_ADDTID:
		return ds_gds_fault(c, name, "the opcode is LDS only (RDNA3 ISA, LDS & GDS "
				    "opcode table); its GDS form is not defined");
	case MEM_DS_APPEND: case MEM_DS_CONSUME:
		return ds_gds_fault(c, name, "GDS append/consume is not modelled (the guides "
				    "give M0 as GDS base/size but not the counter's GDS address)");
	case MEM_DS_SRC2_GFX9:
		return ds_gds_fault(c, name, "the gfx9 _src2 forms on GDS are not modelled (the "
				    "Vega guide's address rule is given for LDS)");
	default:
		break;
	}
	if (!c->job || c->job->gds_size == 0)
		return ds_gds_fault(c, name, "the job's VMID has no GDS partition (GDS_VMID size "
				    "0: the submission's BO list holds no GDS BO)");
	uint32_t m0 = w->s[SREG_M0], wsize = m0 & 0xffffu, wbase = m0 >> 16;
	uint32_t part = c->job->gds_size;
	if ((uint64_t)wbase + wsize > part ||
	    (uint64_t)c->job->gds_base + part > EXEC_GDS_MEM_BYTES) {
		snprintf(why, sizeof(why), "M0's GDS window (base %u, size %u bytes) reaches past "
			 "the job's GDS partition of %u bytes; what the GDS does then is not "
			 "defined by the ISA guides", wbase, wsize, part);
		return ds_gds_fault(c, name, why);
	}
	/* every operand check ds_share makes, made here, so that nothing
	 * faults while the shared lock is held */
	const struct isa_operand *addr = inst_op(in, ISA_FLD_ADDR);
	const struct isa_operand *vdst = inst_op(in, ISA_FLD_VDST);
	const struct isa_operand *d0 = inst_op(in, ISA_FLD_DATA0);
	const struct isa_operand *d1 = inst_op(in, ISA_FLD_DATA1);
	bool load = p->kind == MEM_LOAD || p->kind == MEM_SUB_LOAD;
	if (!addr || (load && !vdst) || (!load && !d0) ||
	    (p->kind == MEM_DS_CONDXCHG && !vdst) || (p->kind == MEM_STORE && p->two && !d1) ||
	    (p->kind == MEM_ATOMIC && (p->two || shader_atomic_two_data(p->aop)) && !d1))
		return shader_illegal(c);
	if (vmem_check_vgprs(c, w, addr) || vmem_check_vgprs(c, w, vdst) ||
	    vmem_check_vgprs(c, w, d0) || vmem_check_vgprs(c, w, d1))
		return -ECANCELED;
	uint64_t exec = wave_exec(c, w), use = exec;
	if (c->gen == ISA_GEN_GFX11)
		use = exec & (~exec + 1); /* the least significant active lane */
	if (!use)
		return 0;
	for (unsigned lane = 0; lane < c->lanes; lane++) {
		if (!((use >> lane) & 1))
			continue;
		uint32_t start[2], len[2];
		unsigned n = ds_gds_ranges(p, in, *vreg(w, addr->reg, lane), start, len);
		for (unsigned i = 0; i < n; i++) {
			if ((uint64_t)start[i] + len[i] <= wsize)
				continue;
			snprintf(why, sizeof(why), "lane %u accesses GDS bytes [%u, %llu), outside "
				 "M0's GDS size of %u bytes (base %u); out-of-range GDS accesses "
				 "are not defined by the ISA guides", lane, start[i],
				 (unsigned long long)start[i] + len[i], wsize, wbase);
			return ds_gds_fault(c, name, why);
		}
	}
	uint8_t *gds = exec_gds_mem_lock();
	uint8_t *lds = c->lds;
	uint32_t lds_size = c->lds_size;
	c->lds = gds + c->job->gds_base + wbase;
	c->lds_size = wsize;
	if (use != exec)
		wave_set_exec(c, w, use);
	int r = ds_share(c, w, e);
	if (use != exec)
		wave_set_exec(c, w, exec);
	c->lds = lds;
	c->lds_size = lds_size;
	exec_gds_mem_unlock();
	return r;
}

int shader_exec_ds(struct shader_core *c, struct shader_wave *w,
		   const struct shader_icache_entry *e)
{
	const struct isa_inst *in = &e->inst;
	const struct shader_mem_plan *p = &e->plan.mem;
	if (p->kind == MEM_UNMODELLED)
		return shader_fault(c, p->why);
	if (p->kind == MEM_DS_GWS)
		return ds_gws(c, w, in, p->aop);
	if (p->kind == MEM_DS_GS_REG)
		return ds_gs_reg(c, w, in, p->aop);
	if (in->gds)
		return ds_gds(c, w, e);
	return ds_share(c, w, e);
}
