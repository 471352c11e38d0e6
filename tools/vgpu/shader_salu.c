/*
 * Scalar ALU (SOP1/SOP2/SOPK/SOPC/SOPP) and scalar memory (SMEM) of the
 * shader core.  Semantics from the RDNA3 ISA: SCC as each opcode defines
 * it, branches relative to the next instruction, s_waitcnt/s_delay_alu/
 * s_clause/s_nop as no-ops (every access completes before the next
 * instruction here).  An opcode not listed is an illegal instruction.
 */
#include "shader_internal.h"

#include <string.h>

static bool is(const char *name, const char *want)
{
	return strcmp(name, want) == 0;
}

static bool starts(const char *name, const char *prefix)
{
	return strncmp(name, prefix, strlen(prefix)) == 0;
}

static int sopp(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
		const char *n)
{
	int16_t simm = (int16_t)(in->nops ? in->ops[0].value : 0);
	uint64_t target = w->pc + (int64_t)simm * 4;
	if (is(n, "s_endpgm")) {
		w->state = WAVE_DONE;
		return 0;
	}
	if (is(n, "s_barrier")) {
		w->state = WAVE_BARRIER;
		return 0;
	}
	if (is(n, "s_nop") || starts(n, "s_waitcnt") || is(n, "s_delay_alu") ||
	    is(n, "s_clause") || is(n, "s_setprio") || is(n, "s_sleep") ||
	    is(n, "s_icache_inv") || starts(n, "s_wait_idle") || is(n, "s_inst_prefetch") ||
	    is(n, "s_set_inst_prefetch_distance"))
		return 0;
	if (is(n, "s_sendmsg")) {
		/* MSG_DEALLOC_VGPRS (3) only tells the SPI the wave is ending */
		if ((in->ops[0].value & 0xff) == 3)
			return 0;
		return shader_fault(c, "s_sendmsg with a message other than MSG_DEALLOC_VGPRS");
	}
	if (is(n, "s_trap"))
		return shader_fault(c, "s_trap (no trap handler is installed)");
	if (is(n, "s_sethalt"))
		return shader_fault(c, "s_sethalt (a halted wave never finishes)");
	bool take;
	if (is(n, "s_branch"))
		take = true;
	else if (is(n, "s_cbranch_scc0"))
		take = !w->scc;
	else if (is(n, "s_cbranch_scc1"))
		take = w->scc;
	else if (is(n, "s_cbranch_vccz"))
		take = wave_vcc(c, w) == 0;
	else if (is(n, "s_cbranch_vccnz"))
		take = wave_vcc(c, w) != 0;
	else if (is(n, "s_cbranch_execz"))
		take = wave_exec(c, w) == 0;
	else if (is(n, "s_cbranch_execnz"))
		take = wave_exec(c, w) != 0;
	else
		return shader_illegal(c);
	if (take)
		w->pc = target;
	return 0;
}

static int sopc(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
		const char *n)
{
	uint64_t a, b;
	int r = sop_read(c, w, &in->ops[0], &a);
	if (!r)
		r = sop_read(c, w, &in->ops[1], &b);
	if (r)
		return r;
	const char *op = n + 6; /* after "s_cmp_" / "s_bitc" */
	if (starts(n, "s_bitcmp")) {
		bool wide = strstr(n, "b64") != NULL;
		bool bit = (a >> (b & (wide ? 63 : 31))) & 1;
		w->scc = n[8] == '0' ? !bit : bit;
		return 0;
	}
	if (!starts(n, "s_cmp_"))
		return shader_illegal(c);
	bool u64 = strstr(op, "u64") != NULL, sgn = strstr(op, "_i32") != NULL;
	if (!u64) {
		a = (uint32_t)a;
		b = (uint32_t)b;
	}
	int64_t sa = sgn ? (int32_t)a : (int64_t)a, sb = sgn ? (int32_t)b : (int64_t)b;
	bool lt = sgn ? sa < sb : a < b, eq = a == b;
	if (starts(op, "eq")) w->scc = eq;
	else if (starts(op, "lg")) w->scc = !eq;
	else if (starts(op, "gt")) w->scc = !lt && !eq;
	else if (starts(op, "ge")) w->scc = !lt;
	else if (starts(op, "lt")) w->scc = lt;
	else if (starts(op, "le")) w->scc = lt || eq;
	else return shader_illegal(c);
	return 0;
}

/* SOP2 / SOPK / SOP1 result of a two-source (or one-source) operation. */
static int salu_op(struct shader_core *c, struct shader_wave *w, const char *n, uint64_t a,
		   uint64_t b, uint64_t d_old, uint64_t *res, bool *write)
{
	bool wide = strstr(n, "b64") || strstr(n, "i64") || strstr(n, "u64");
	uint64_t m = wide ? ~0ull : 0xffffffffull;
	uint32_t a32 = (uint32_t)a, b32 = (uint32_t)b;
	uint64_t t;
	*write = true;
	if (is(n, "s_mov_b32") || is(n, "s_mov_b64") || is(n, "s_movk_i32")) { *res = a; return 0; }
	if (is(n, "s_cmov_b32") || is(n, "s_cmov_b64") || is(n, "s_cmovk_i32")) {
		*res = w->scc ? a : d_old; return 0;
	}
	if (is(n, "s_add_u32")) { t = (uint64_t)a32 + b32; w->scc = t >> 32; *res = (uint32_t)t; return 0; }
	if (is(n, "s_addc_u32")) { t = (uint64_t)a32 + b32 + w->scc; w->scc = t >> 32; *res = (uint32_t)t; return 0; }
	if (is(n, "s_sub_u32")) { w->scc = b32 > a32; *res = (uint32_t)(a32 - b32); return 0; }
	if (is(n, "s_subb_u32")) {
		w->scc = (uint64_t)b32 + w->scc > a32; *res = (uint32_t)(a32 - b32 - w->scc); return 0;
	}
	if (is(n, "s_add_i32") || is(n, "s_addk_i32")) {
		int64_t s = (int64_t)(int32_t)a32 + (int32_t)b32;
		if (is(n, "s_addk_i32"))
			s = (int64_t)(int32_t)(uint32_t)d_old + (int16_t)a32;
		w->scc = s != (int32_t)s; *res = (uint32_t)s; return 0;
	}
	if (is(n, "s_sub_i32")) {
		int64_t s = (int64_t)(int32_t)a32 - (int32_t)b32;
		w->scc = s != (int32_t)s; *res = (uint32_t)s; return 0;
	}
	if (is(n, "s_mul_i32")) { *res = (uint32_t)(a32 * b32); return 0; }
	if (is(n, "s_mulk_i32")) { *res = (uint32_t)((uint32_t)d_old * (uint32_t)(int32_t)(int16_t)a32); return 0; }
	if (is(n, "s_mul_hi_u32")) { *res = (uint32_t)(((uint64_t)a32 * b32) >> 32); return 0; }
	if (is(n, "s_mul_hi_i32")) { *res = (uint32_t)(((int64_t)(int32_t)a32 * (int32_t)b32) >> 32); return 0; }
	if (is(n, "s_min_i32")) { w->scc = (int32_t)a32 < (int32_t)b32; *res = w->scc ? a32 : b32; return 0; }
	if (is(n, "s_max_i32")) { w->scc = (int32_t)a32 > (int32_t)b32; *res = w->scc ? a32 : b32; return 0; }
	if (is(n, "s_min_u32")) { w->scc = a32 < b32; *res = w->scc ? a32 : b32; return 0; }
	if (is(n, "s_max_u32")) { w->scc = a32 > b32; *res = w->scc ? a32 : b32; return 0; }
	if (starts(n, "s_cselect_")) { *res = w->scc ? a : b; return 0; }
	/* bitwise: SCC = result != 0 */
	bool logic = true;
	if (starts(n, "s_and_not1_b")) t = a & ~b;
	else if (starts(n, "s_or_not1_b")) t = a | ~b;
	else if (starts(n, "s_and_b")) t = a & b;
	else if (starts(n, "s_or_b")) t = a | b;
	else if (starts(n, "s_xor_b")) t = a ^ b;
	else if (starts(n, "s_nand_b")) t = ~(a & b);
	else if (starts(n, "s_nor_b")) t = ~(a | b);
	else if (starts(n, "s_xnor_b")) t = ~(a ^ b);
	else if (starts(n, "s_not_b")) t = ~a;
	else if (starts(n, "s_lshl_b")) t = a << (b & (wide ? 63 : 31));
	else if (starts(n, "s_lshr_b")) t = (a & m) >> (b & (wide ? 63 : 31));
	else if (is(n, "s_ashr_i32")) t = (uint32_t)((int32_t)a32 >> (b32 & 31));
	else if (is(n, "s_ashr_i64")) t = (uint64_t)((int64_t)a >> (b & 63));
	else if (starts(n, "s_lshl") && n[6] >= '1' && n[6] <= '4' && strstr(n, "_add_u32")) {
		t = ((uint64_t)a32 << (n[6] - '0')) + b32;
		w->scc = t >> 32;
		*res = (uint32_t)t;
		return 0;
	} else if (is(n, "s_bfe_u32") || is(n, "s_bfe_i32")) {
		uint32_t off = b32 & 31, width = (b32 >> 16) & 0x7f;
		uint32_t v = width ? (a32 >> off) & (width >= 32 ? ~0u : ((1u << width) - 1)) : 0;
		if (n[6] == 'i' && width && width < 32 && (v >> (width - 1)) & 1)
			v |= ~0u << width;
		t = v;
	} else if (is(n, "s_bfm_b32")) t = (uint32_t)(((1ull << (a32 & 31)) - 1) << (b32 & 31));
	else if (is(n, "s_sext_i32_i8")) { *res = (uint32_t)(int32_t)(int8_t)a32; return 0; }
	else if (is(n, "s_sext_i32_i16")) { *res = (uint32_t)(int32_t)(int16_t)a32; return 0; }
	else if (is(n, "s_brev_b32")) {
		uint32_t v = 0;
		for (int i = 0; i < 32; i++) v |= ((a32 >> i) & 1) << (31 - i);
		*res = v; return 0;
	} else if (is(n, "s_bcnt1_i32_b32") || is(n, "s_bcnt1_i32_b64")) {
		t = (uint64_t)__builtin_popcountll(a & m);
	} else if (is(n, "s_ctz_i32_b32")) { *res = a32 ? (uint32_t)__builtin_ctz(a32) : ~0u; return 0; }
	else if (is(n, "s_ctz_i32_b64")) { *res = a ? (uint32_t)__builtin_ctzll(a) : ~0u; return 0; }
	else if (is(n, "s_pack_ll_b32_b16")) { *res = (a32 & 0xffff) | (b32 << 16); return 0; }
	else if (is(n, "s_pack_lh_b32_b16")) { *res = (a32 & 0xffff) | (b32 & 0xffff0000u); return 0; }
	else if (is(n, "s_pack_hh_b32_b16")) { *res = (a32 >> 16) | (b32 & 0xffff0000u); return 0; }
	else logic = false;
	if (!logic)
		return shader_illegal(c);
	*res = t & m;
	w->scc = *res != 0;
	return 0;
}

/* s_<op>_saveexec_b32/b64: d = exec; exec = op(src, exec); SCC = exec != 0 */
static int saveexec(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
		    const char *n)
{
	uint64_t s;
	int r = sop_read(c, w, &in->ops[1], &s);
	if (r)
		return r;
	uint64_t e = wave_exec(c, w), ne;
	if (starts(n, "s_and_not1_saveexec")) ne = s & ~e;
	else if (starts(n, "s_or_not1_saveexec")) ne = s | ~e;
	else if (starts(n, "s_and_not0_saveexec")) ne = ~s & e;
	else if (starts(n, "s_or_not0_saveexec")) ne = ~s | e;
	else if (starts(n, "s_and_saveexec")) ne = s & e;
	else if (starts(n, "s_or_saveexec")) ne = s | e;
	else if (starts(n, "s_xor_saveexec")) ne = s ^ e;
	else if (starts(n, "s_nand_saveexec")) ne = ~(s & e);
	else if (starts(n, "s_nor_saveexec")) ne = ~(s | e);
	else if (starts(n, "s_xnor_saveexec")) ne = ~(s ^ e);
	else return shader_illegal(c);
	if (c->lanes == 32)
		ne &= 0xffffffffull;
	r = sop_write(c, w, &in->ops[0], e);
	wave_set_exec(c, w, ne);
	w->scc = ne != 0;
	return r;
}

int shader_exec_salu(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
		     const char *n)
{
	switch (in->enc) {
	case ISA_ENC_SOPP:
		return sopp(c, w, in, n);
	case ISA_ENC_SOPC:
		return sopc(c, w, in, n);
	default:
		break;
	}
	if (starts(n, "s_waitcnt_")) /* SOPK s_waitcnt_vscnt etc.: no-ops */
		return 0;
	if (strstr(n, "saveexec"))
		return saveexec(c, w, in, n);
	if (is(n, "s_getpc_b64"))
		return sop_write(c, w, &in->ops[0], w->pc);
	if (is(n, "s_setpc_b64") || is(n, "s_swappc_b64")) {
		uint64_t t;
		int r = sop_read(c, w, &in->ops[is(n, "s_setpc_b64") ? 0 : 1], &t);
		if (!r && is(n, "s_swappc_b64"))
			r = sop_write(c, w, &in->ops[0], w->pc);
		w->pc = t;
		return r;
	}
	if (starts(n, "s_cmpk_")) {
		/* SOPK compare: sdst against the 16-bit immediate */
		uint64_t a;
		int r = sop_read(c, w, &in->ops[0], &a);
		if (r)
			return r;
		bool sgn = strstr(n, "_i32") != NULL;
		int64_t sa = sgn ? (int32_t)(uint32_t)a : (int64_t)(uint32_t)a;
		int64_t sb = sgn ? (int16_t)in->ops[1].value : (int64_t)(uint16_t)in->ops[1].value;
		const char *op = n + 7;
		if (starts(op, "eq")) w->scc = sa == sb;
		else if (starts(op, "lg")) w->scc = sa != sb;
		else if (starts(op, "gt")) w->scc = sa > sb;
		else if (starts(op, "ge")) w->scc = sa >= sb;
		else if (starts(op, "lt")) w->scc = sa < sb;
		else if (starts(op, "le")) w->scc = sa <= sb;
		else return shader_illegal(c);
		return 0;
	}
	/* ops[0] is the destination; sources follow (SOPK: the immediate) */
	if (in->nops < 2)
		return shader_illegal(c);
	uint64_t a = 0, b = 0, d_old = 0, res = 0;
	int r = sop_read(c, w, &in->ops[1], &a);
	if (!r && in->nops > 2)
		r = sop_read(c, w, &in->ops[2], &b);
	if (!r && in->ops[0].kind == ISA_OPK_SREG)
		r = sop_read(c, w, &in->ops[0], &d_old);
	if (!r && in->enc == ISA_ENC_SOPK && !is(n, "s_movk_i32") && !is(n, "s_cmovk_i32") &&
	    !is(n, "s_addk_i32") && !is(n, "s_mulk_i32"))
		return shader_illegal(c);
	if (!r && (is(n, "s_movk_i32") || is(n, "s_cmovk_i32")))
		a = (uint32_t)(int32_t)(int16_t)a;
	bool write;
	if (!r)
		r = salu_op(c, w, n, a, b, d_old, &res, &write);
	if (!r && write)
		r = sop_write(c, w, &in->ops[0], res);
	return r;
}

/* s_buffer_load_b32..b512: the SBASE field names a 4-SGPR buffer
 * resource (V#) instead of an address.  RDNA3 ISA, scalar memory: of the
 * V# only the base address (dword0 | dword1[15:0] << 32), STRIDE
 * (dword1[29:16]) and NUM_RECORDS (dword2) are used; the byte offset is
 * the 21-bit signed instruction offset plus soffset, and the access is
 * range-checked per dword against the buffer size, NUM_RECORDS bytes
 * (NUM_RECORDS * STRIDE when STRIDE is not 0): a dword outside reads as
 * 0, with no memory access and no fault.  In-range dwords are read
 * through the job's VM like every other access (unmapped: VM fault). */
static int smem_buffer_load(struct shader_core *c, struct shader_wave *w,
			    const struct isa_operand *dst, const struct isa_operand *rsrc,
			    uint32_t soffset, int32_t offset)
{
	if (rsrc->kind != ISA_OPK_SREG || rsrc->bits != 128)
		return shader_illegal(c);
	const uint32_t *v = &w->s[rsrc->reg & 127];
	if ((rsrc->reg & 127) + 4u > 128u)
		return shader_illegal(c);
	uint64_t base = v[0] | (uint64_t)(v[1] & 0xffff) << 32;
	uint64_t stride = (v[1] >> 16) & 0x3fff, records = v[2];
	uint64_t size = stride ? records * stride : records;
	/* the offset is dword aligned, as for s_load (the low bits are
	 * ignored by the hardware's scalar cache) */
	int64_t off = ((int64_t)offset + soffset) & ~(int64_t)3;
	unsigned ndw = dst->bits / 32;
	uint32_t buf[16];
	if (ndw == 0 || ndw > 16 || dst->reg + ndw > SREG_VCC_LO)
		return shader_fault(c, "s_buffer_load destination outside s0..s105");
	for (unsigned i = 0; i < ndw; i++) {
		int64_t o = off + 4 * (int64_t)i;
		buf[i] = 0;
		if (o < 0 || (uint64_t)o + 4 > size)
			continue;
		int r = exec_read(c->job, (base + (uint64_t)o) & ((1ull << 48) - 1), &buf[i], 4);
		if (r)
			return r;
	}
	memcpy(&w->s[dst->reg], buf, ndw * 4u);
	return 0;
}

/* s_load_b32..b512: base s[2n:2n+1] + 21-bit signed offset + soffset;
 * s_buffer_load_*: smem_buffer_load */
int shader_exec_smem(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
		     const char *n)
{
	bool buffer = starts(n, "s_buffer_load_b");
	if (!starts(n, "s_load_b") && !buffer)
		return shader_illegal(c);
	const struct isa_operand *dst = inst_op(in, ISA_FLD_SDATA);
	const struct isa_operand *base = inst_op(in, ISA_FLD_SBASE);
	const struct isa_operand *soff = inst_op(in, ISA_FLD_SOFFSET);
	if (!dst || !base)
		return shader_illegal(c);
	uint64_t addr = 0, off = 0;
	int r = soff ? sop_read(c, w, soff, &off) : 0;
	if (!r && buffer)
		return smem_buffer_load(c, w, dst, base, (uint32_t)off, in->offset);
	if (!r)
		r = sop_read(c, w, base, &addr);
	if (r)
		return r;
	addr = (addr + (int64_t)in->offset + (uint32_t)off) & ~3ull;
	unsigned ndw = dst->bits / 32;
	uint32_t buf[16];
	if (ndw == 0 || ndw > 16 || dst->reg + ndw > SREG_VCC_LO)
		return shader_fault(c, "s_load destination outside s0..s105");
	r = exec_read(c->job, addr, buf, ndw * 4u);
	if (r)
		return r;
	memcpy(&w->s[dst->reg], buf, ndw * 4u);
	return 0;
}
