/*
 * gfx9 scalar memory writes: s_store_dword*, s_buffer_store_dword*,
 * s_atomic_* and s_buffer_atomic_* (Vega ISA, "Scalar Memory
 * Operations"; gfx10+ have none of them in gfx11, so they are gfx9 only
 * here).
 *
 * Address: as the scalar loads (shader/salu.c): s_store / s_atomic take
 * the 64-bit address in s[SBASE:SBASE+1] plus the instruction offset plus
 * SOFFSET, dword aligned (the low two bits are ignored, as the scalar
 * cache does for the loads); the s_buffer_ forms take a V# in
 * s[SBASE:SBASE+3], of which only base, stride and NUM_RECORDS count, and
 * a dword outside the buffer is not written (the loads read it as 0).
 *
 * Atomics (Vega ISA opcode table for S_ATOMIC_*): SDATA is the source
 * (cmpswap: SDATA[0] the source, SDATA[1] the compare value, the order of
 * the vector atomics); with GLC = 1 the pre-op memory value is returned
 * into SDATA[0] (SDATA[0:1] for the _x2 forms).  smin/smax compare
 * signed, umin/umax unsigned; inc/dec wrap at the source as the vector
 * ones do (shader/atomic.c).  The read-modify-write holds the memory lock
 * across both accesses (exec/window.h), so it is atomic against the other
 * waves.
 *
 * s_scratch_load/store_*: not executed.  Their address is relative to the
 * wave's scratch (private) segment, and the vgpu has no source text here
 * precise enough to model how SBASE, the offset and the wave's slot
 * combine, so they fault saying so.
 */
#include "internal.h"
#include "exec/window.h"

#include <stdio.h>
#include <string.h>

static bool starts(const char *name, const char *prefix)
{
	return strncmp(name, prefix, strlen(prefix)) == 0;
}

/* "s_atomic_umin_x2" -> AOP_MIN_U, wide; AOP_NONE if not an atomic name */
static uint8_t smem_aop(const char *n, bool *wide)
{
	const char *t = starts(n, "s_atomic_") ? n + 9
		      : starts(n, "s_buffer_atomic_") ? n + 16 : NULL;
	*wide = false;
	if (!t)
		return AOP_NONE;
	char op[24];
	size_t len = strlen(t);
	if (len >= 3 && !strcmp(t + len - 3, "_x2")) {
		*wide = true;
		len -= 3;
	}
	if (len >= sizeof(op))
		return AOP_NONE;
	memcpy(op, t, len);
	op[len] = 0;
	static const struct { const char *name; uint8_t aop; } ops[] = {
		{ "swap", AOP_SWAP }, { "cmpswap", AOP_CMPSWAP }, { "add", AOP_ADD },
		{ "sub", AOP_SUB }, { "smin", AOP_MIN_I }, { "umin", AOP_MIN_U },
		{ "smax", AOP_MAX_I }, { "umax", AOP_MAX_U }, { "and", AOP_AND },
		{ "or", AOP_OR }, { "xor", AOP_XOR }, { "inc", AOP_INC }, { "dec", AOP_DEC },
	};
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(op, ops[i].name))
			return ops[i].aop;
	return AOP_NONE;
}

int shader_gfx9_smem_resolve(const char *n, uint8_t *aop, bool *wide)
{
	*aop = AOP_NONE;
	*wide = false;
	if (starts(n, "s_store_dword"))
		return SHADER_SMEM9_STORE;
	if (starts(n, "s_buffer_store_dword"))
		return SHADER_SMEM9_BUFFER_STORE;
	if (starts(n, "s_scratch_"))
		return SHADER_SMEM9_SCRATCH;
	*aop = smem_aop(n, wide);
	if (*aop == AOP_NONE)
		return SHADER_SMEM9_NONE;
	return starts(n, "s_buffer_") ? SHADER_SMEM9_BUFFER_ATOMIC : SHADER_SMEM9_ATOMIC;
}

/* The byte address of dword i of the access, or false when an s_buffer_
 * access leaves the buffer (size: NUM_RECORDS bytes, NUM_RECORDS * STRIDE
 * with a stride, as smem_buffer_load in shader/salu.c). */
struct smem_addr {
	bool buffer;
	uint64_t base;             /* address, or the V#'s base */
	int64_t off;               /* s_buffer_: byte offset into the buffer */
	uint64_t size;             /* s_buffer_: buffer size in bytes */
};

static bool smem_dword(const struct smem_addr *a, unsigned i, uint64_t *va)
{
	if (!a->buffer) {
		*va = a->base + 4u * i;
		return true;
	}
	int64_t o = a->off + 4 * (int64_t)i;
	if (o < 0 || (uint64_t)o + 4 > a->size)
		return false;
	*va = (a->base + (uint64_t)o) & ((1ull << 48) - 1);
	return true;
}

int shader_gfx9_exec_smem_write(struct shader_core *c, struct shader_wave *w,
				const struct shader_icache_entry *e, int kind, uint8_t aop,
				bool wide)
{
	const struct isa_inst *in = &e->inst;
	if (kind == SHADER_SMEM9_SCRATCH)
		return shader_fault(c, "s_scratch_load/s_scratch_store are not executed: the "
				       "vgpu does not model the scalar unit's scratch-relative "
				       "addressing");
	const struct isa_operand *data = inst_op(in, ISA_FLD_SDATA);
	const struct isa_operand *base = inst_op(in, ISA_FLD_SBASE);
	const struct isa_operand *soff = inst_op(in, ISA_FLD_SOFFSET);
	if (!data || !base || data->kind != ISA_OPK_SREG)
		return shader_illegal(c);
	bool buffer = kind == SHADER_SMEM9_BUFFER_STORE || kind == SHADER_SMEM9_BUFFER_ATOMIC;
	bool atomic = kind == SHADER_SMEM9_ATOMIC || kind == SHADER_SMEM9_BUFFER_ATOMIC;
	unsigned ndw = data->bits / 32;
	if (ndw == 0 || ndw > 4 || data->reg + ndw > SREG_VCC_LO)
		return shader_fault(c, "scalar store/atomic data outside s0..s105");
	uint64_t off = 0;
	int r = soff ? sop_read(c, w, soff, &off) : 0;
	if (r)
		return r;
	struct smem_addr a = { .buffer = buffer };
	if (buffer) {
		if (base->kind != ISA_OPK_SREG || base->bits != 128 || (base->reg & 127) + 4u > 128u)
			return shader_illegal(c);
		const uint32_t *v = &w->s[base->reg & 127];
		uint64_t stride = (v[1] >> 16) & 0x3fff;
		a.base = v[0] | (uint64_t)(v[1] & 0xffff) << 32;
		a.size = stride ? (uint64_t)v[2] * stride : v[2];
		a.off = ((int64_t)in->offset + (uint32_t)off) & ~(int64_t)3;
	} else {
		uint64_t addr;
		if ((r = sop_read(c, w, base, &addr)))
			return r;
		a.base = (addr + (int64_t)in->offset + (uint32_t)off) & ~3ull;
	}
	uint32_t d[4];
	memcpy(d, &w->s[data->reg], 4u * ndw);
	uint64_t va;
	if (!atomic) {
		exec_vm_window_open(&c->vm, c->job);
		for (unsigned i = 0; i < ndw && !r; i++)
			if (smem_dword(&a, i, &va))
				r = exec_vm_window_copy(&c->vm, va, &d[i], 4, true);
		exec_vm_window_close(&c->vm);
		return r;
	}
	/* the atomic: one (wide: two) dwords of memory; cmpswap's SDATA holds
	 * two values */
	unsigned vdw = wide ? 2 : 1;
	if (ndw != (aop == AOP_CMPSWAP ? 2 * vdw : vdw))
		return shader_illegal(c);
	uint64_t src = d[0] | (wide ? (uint64_t)d[1] << 32 : 0), cmp = 0, old = 0, nv;
	if (aop == AOP_CMPSWAP)
		cmp = d[vdw] | (wide ? (uint64_t)d[vdw + 1] << 32 : 0);
	bool in_range = smem_dword(&a, 0, &va) && (!wide || smem_dword(&a, 1, &va));
	smem_dword(&a, 0, &va);
	if (in_range) {
		exec_vm_window_open(&c->vm, c->job);
		r = exec_vm_window_copy(&c->vm, va, &old, 4u * vdw, false);
		if (!r && shader_atomic_apply(aop, wide, old, src, cmp, &nv)) {
			exec_vm_window_close(&c->vm); /* fault without the memory lock */
			return shader_illegal(c);
		}
		if (!r)
			r = exec_vm_window_copy(&c->vm, va, &nv, 4u * vdw, true);
		exec_vm_window_close(&c->vm);
		if (r)
			return r;
	}
	if (in->glc) {
		w->s[data->reg] = (uint32_t)old;
		if (wide)
			w->s[data->reg + 1] = (uint32_t)(old >> 32);
	}
	return 0;
}
