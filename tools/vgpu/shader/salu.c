/*
 * Scalar ALU (SOP1/SOP2/SOPK/SOPC/SOPP) and scalar memory (SMEM) of the
 * shader core.  Semantics from the RDNA3 ISA: SCC as each opcode defines
 * it, branches relative to the next instruction, s_waitcnt/s_delay_alu/
 * s_clause/s_nop as no-ops (every access completes before the next
 * instruction here).  An opcode not listed is an illegal instruction.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

static bool is(const char *name, const char *want)
{
	return strcmp(name, want) == 0;
}

static bool starts(const char *name, const char *prefix)
{
	return strncmp(name, prefix, strlen(prefix)) == 0;
}

/*
 * Operation ids, resolved from the mnemonic once per decoded instruction
 * (shader_salu_resolve) by the same tests, in the same order, as the
 * executors once made on every execution.
 */
enum salu_op {
	SALU_ILLEGAL,
	/* SOPP */
	SALU_ENDPGM, SALU_BARRIER, SALU_NOP, SALU_SENDMSG, SALU_TRAP, SALU_SETHALT,
	SALU_SETKILL, SALU_SENDMSGHALT, SALU_CODE_END,
	SALU_NOT_TAKEN,             /* s_cbranch_cdbg*: no debugger, never taken */
	SALU_SREG,                  /* shader/sreg.c: getreg/setreg/sendmsg_rtn/modes */
	SALU_UNMODELLED,            /* faults naming the instruction */
	SALU_BRANCH, SALU_CBRANCH_SCC0, SALU_CBRANCH_SCC1, SALU_CBRANCH_VCCZ,
	SALU_CBRANCH_VCCNZ, SALU_CBRANCH_EXECZ, SALU_CBRANCH_EXECNZ,
	/* SOPC */
	SALU_BITCMP, SALU_CMP,
	/* SOP1/SOP2/SOPK before the two-source table */
	SALU_WAITCNT_K, SALU_SAVEEXEC, SALU_GETPC, SALU_SETPC, SALU_SWAPPC, SALU_CMPK,
	SALU_CALL, SALU_WREXEC, SALU_MOVRELS, SALU_MOVRELD, SALU_MOVRELSD_2, SALU_BITSET,
	/* salu_op(): writes a result */
	SALU_MOV, SALU_MOVK, SALU_CMOV, SALU_CMOVK, SALU_ADD_U32, SALU_ADDC_U32, SALU_SUB_U32,
	SALU_SUBB_U32, SALU_ADD_I32, SALU_ADDK_I32, SALU_SUB_I32, SALU_MUL_I32, SALU_MULK_I32,
	SALU_MUL_HI_U32, SALU_MUL_HI_I32, SALU_MIN_I32, SALU_MAX_I32, SALU_MIN_U32,
	SALU_MAX_U32, SALU_CSELECT,
	/* bitwise: SCC = result != 0 */
	SALU_AND_NOT1, SALU_OR_NOT1, SALU_AND, SALU_OR, SALU_XOR, SALU_NAND, SALU_NOR,
	SALU_XNOR, SALU_NOT, SALU_LSHL, SALU_LSHR, SALU_ASHR_I32, SALU_ASHR_I64,
	SALU_LSHLN_ADD_U32, SALU_BFE_U32, SALU_BFE_I32, SALU_BFM_B32, SALU_SEXT_I8,
	SALU_SEXT_I16, SALU_BREV_B32, SALU_BCNT1, SALU_CTZ_B32, SALU_CTZ_B64, SALU_PACK_LL,
	SALU_PACK_LH, SALU_PACK_HH, SALU_PACK_HL, SALU_ABSDIFF_I32, SALU_BFE_U64, SALU_BFE_I64,
	SALU_BFM_B64, SALU_BREV_B64, SALU_CLZ, SALU_CLS, SALU_BITREPLICATE, SALU_ABS_I32,
	SALU_BCNT0, SALU_QUADMASK, SALU_WQM, SALU_FF0_B32, SALU_FF0_B64,
	/* SALU_OTHER: a SOP1/SOP2/SOPK name the table does not know (illegal
	 * once its operands were read, as before) */
	SALU_OTHER,
	/* SMEM */
	SALU_S_LOAD, SALU_S_BUFFER_LOAD, SALU_SMEM_NOP,
	SALU_MEMTIME, SALU_MEMREALTIME, /* gfx10.3 and gfx9 s_memtime / s_memrealtime */
	SALU_SMEM_GFX9_WRITE,          /* gfx9 s_store/s_atomic/s_scratch: shader/smem_gfx9.c */
	SALU_GPR_IDX_GFX9              /* gfx9 s_set_gpr_idx_*: shader/gfx9.c */
};

/* compare operations of s_cmp_* / s_cmpk_*, and saveexec's */
enum { CMP_NONE, CMP_EQ, CMP_LG, CMP_GT, CMP_GE, CMP_LT, CMP_LE };
enum { SX_NONE, SX_AND_NOT1, SX_OR_NOT1, SX_AND_NOT0, SX_OR_NOT0, SX_AND, SX_OR, SX_XOR,
       SX_NAND, SX_NOR, SX_XNOR };

static uint8_t cmp_of(const char *op)
{
	if (starts(op, "eq")) return CMP_EQ;
	if (starts(op, "lg")) return CMP_LG;
	if (starts(op, "gt")) return CMP_GT;
	if (starts(op, "ge")) return CMP_GE;
	if (starts(op, "lt")) return CMP_LT;
	if (starts(op, "le")) return CMP_LE;
	return CMP_NONE;
}

static enum salu_op resolve_sopp(const char *n)
{
	if (is(n, "s_endpgm")) return SALU_ENDPGM;
	if (is(n, "s_barrier")) return SALU_BARRIER;
	/* scheduling hints, waits (every access completes before the next
	 * instruction here), cache invalidation (memory is coherent), trace
	 * and performance hints: no architectural effect */
	if (is(n, "s_nop") || starts(n, "s_waitcnt") || is(n, "s_delay_alu") ||
	    is(n, "s_clause") || is(n, "s_setprio") || is(n, "s_sleep") ||
	    is(n, "s_icache_inv") || starts(n, "s_wait_idle") || is(n, "s_inst_prefetch") ||
	    is(n, "s_set_inst_prefetch_distance") || is(n, "s_wait_event") ||
	    is(n, "s_wakeup") || is(n, "s_incperflevel") || is(n, "s_decperflevel") ||
	    starts(n, "s_ttracedata"))
		return SALU_NOP;
	if (is(n, "s_round_mode") || is(n, "s_denorm_mode")) return SALU_SREG;
	if (starts(n, "s_cbranch_cdbg")) return SALU_NOT_TAKEN;
	if (is(n, "s_setkill")) return SALU_SETKILL;
	if (is(n, "s_sendmsghalt")) return SALU_SENDMSGHALT;
	if (is(n, "s_code_end")) return SALU_CODE_END;
	if (is(n, "s_endpgm_saved")) return SALU_UNMODELLED;
	if (is(n, "s_sendmsg")) return SALU_SENDMSG;
	if (is(n, "s_trap")) return SALU_TRAP;
	if (is(n, "s_sethalt")) return SALU_SETHALT;
	if (is(n, "s_branch")) return SALU_BRANCH;
	if (is(n, "s_cbranch_scc0")) return SALU_CBRANCH_SCC0;
	if (is(n, "s_cbranch_scc1")) return SALU_CBRANCH_SCC1;
	if (is(n, "s_cbranch_vccz")) return SALU_CBRANCH_VCCZ;
	if (is(n, "s_cbranch_vccnz")) return SALU_CBRANCH_VCCNZ;
	if (is(n, "s_cbranch_execz")) return SALU_CBRANCH_EXECZ;
	if (is(n, "s_cbranch_execnz")) return SALU_CBRANCH_EXECNZ;
	return SALU_ILLEGAL;
}

static void resolve_sopc(const char *n, struct shader_salu_plan *p)
{
	const char *op = n + 6; /* after "s_cmp_" / "s_bitc" */
	if (starts(n, "s_bitcmp")) {
		p->op = SALU_BITCMP;
		p->wide = strstr(n, "b64") != NULL;
		p->shift = n[8] == '0'; /* s_bitcmp0: SCC = !bit */
		return;
	}
	if (!starts(n, "s_cmp_")) {
		p->op = SALU_ILLEGAL;
		return;
	}
	p->op = SALU_CMP;
	p->wide = strstr(op, "u64") != NULL;
	p->sgn = strstr(op, "_i32") != NULL;
	p->sub = cmp_of(op);
}

static uint8_t saveexec_of(const char *n)
{
	if (starts(n, "s_and_not1_saveexec")) return SX_AND_NOT1;
	if (starts(n, "s_or_not1_saveexec")) return SX_OR_NOT1;
	if (starts(n, "s_and_not0_saveexec")) return SX_AND_NOT0;
	if (starts(n, "s_or_not0_saveexec")) return SX_OR_NOT0;
	if (starts(n, "s_and_saveexec")) return SX_AND;
	if (starts(n, "s_or_saveexec")) return SX_OR;
	if (starts(n, "s_xor_saveexec")) return SX_XOR;
	if (starts(n, "s_nand_saveexec")) return SX_NAND;
	if (starts(n, "s_nor_saveexec")) return SX_NOR;
	if (starts(n, "s_xnor_saveexec")) return SX_XNOR;
	return SX_NONE;
}

/* The two-source (or one-source) table of salu_op. */
static enum salu_op resolve_table(const char *n, struct shader_salu_plan *p)
{
	if (is(n, "s_mov_b32") || is(n, "s_mov_b64")) return SALU_MOV;
	if (is(n, "s_movk_i32")) return SALU_MOVK;
	if (is(n, "s_cmov_b32") || is(n, "s_cmov_b64")) return SALU_CMOV;
	if (is(n, "s_cmovk_i32")) return SALU_CMOVK;
	if (is(n, "s_add_u32")) return SALU_ADD_U32;
	if (is(n, "s_addc_u32")) return SALU_ADDC_U32;
	if (is(n, "s_sub_u32")) return SALU_SUB_U32;
	if (is(n, "s_subb_u32")) return SALU_SUBB_U32;
	if (is(n, "s_add_i32")) return SALU_ADD_I32;
	if (is(n, "s_addk_i32")) return SALU_ADDK_I32;
	if (is(n, "s_sub_i32")) return SALU_SUB_I32;
	if (is(n, "s_mul_i32")) return SALU_MUL_I32;
	if (is(n, "s_mulk_i32")) return SALU_MULK_I32;
	if (is(n, "s_mul_hi_u32")) return SALU_MUL_HI_U32;
	if (is(n, "s_mul_hi_i32")) return SALU_MUL_HI_I32;
	if (is(n, "s_min_i32")) return SALU_MIN_I32;
	if (is(n, "s_max_i32")) return SALU_MAX_I32;
	if (is(n, "s_min_u32")) return SALU_MIN_U32;
	if (is(n, "s_max_u32")) return SALU_MAX_U32;
	if (starts(n, "s_cselect_")) return SALU_CSELECT;
	if (starts(n, "s_and_not1_b")) return SALU_AND_NOT1;
	if (starts(n, "s_or_not1_b")) return SALU_OR_NOT1;
	if (starts(n, "s_and_b")) return SALU_AND;
	if (starts(n, "s_or_b")) return SALU_OR;
	if (starts(n, "s_xor_b")) return SALU_XOR;
	if (starts(n, "s_nand_b")) return SALU_NAND;
	if (starts(n, "s_nor_b")) return SALU_NOR;
	if (starts(n, "s_xnor_b")) return SALU_XNOR;
	if (starts(n, "s_not_b")) return SALU_NOT;
	if (starts(n, "s_lshl_b")) return SALU_LSHL;
	if (starts(n, "s_lshr_b")) return SALU_LSHR;
	if (is(n, "s_ashr_i32")) return SALU_ASHR_I32;
	if (is(n, "s_ashr_i64")) return SALU_ASHR_I64;
	if (starts(n, "s_lshl") && n[6] >= '1' && n[6] <= '4' && strstr(n, "_add_u32")) {
		p->shift = (uint8_t)(n[6] - '0');
		return SALU_LSHLN_ADD_U32;
	}
	if (is(n, "s_bfe_u32")) return SALU_BFE_U32;
	if (is(n, "s_bfe_i32")) return SALU_BFE_I32;
	if (is(n, "s_bfm_b32")) return SALU_BFM_B32;
	if (is(n, "s_sext_i32_i8")) return SALU_SEXT_I8;
	if (is(n, "s_sext_i32_i16")) return SALU_SEXT_I16;
	if (is(n, "s_brev_b32")) return SALU_BREV_B32;
	if (is(n, "s_bcnt1_i32_b32") || is(n, "s_bcnt1_i32_b64")) return SALU_BCNT1;
	if (is(n, "s_ctz_i32_b32")) return SALU_CTZ_B32;
	if (is(n, "s_ctz_i32_b64")) return SALU_CTZ_B64;
	/* gfx10.3 s_ff0_i32_b32/b64: the first zero bit, -1 if none */
	if (is(n, "s_ff0_i32_b32")) return SALU_FF0_B32;
	if (is(n, "s_ff0_i32_b64")) return SALU_FF0_B64;
	if (is(n, "s_pack_ll_b32_b16")) return SALU_PACK_LL;
	if (is(n, "s_pack_lh_b32_b16")) return SALU_PACK_LH;
	if (is(n, "s_pack_hh_b32_b16")) return SALU_PACK_HH;
	if (is(n, "s_pack_hl_b32_b16")) return SALU_PACK_HL;
	if (is(n, "s_absdiff_i32")) return SALU_ABSDIFF_I32;
	if (is(n, "s_bfe_u64")) return SALU_BFE_U64;
	if (is(n, "s_bfe_i64")) return SALU_BFE_I64;
	if (is(n, "s_bfm_b64")) return SALU_BFM_B64;
	if (is(n, "s_brev_b64")) return SALU_BREV_B64;
	if (starts(n, "s_clz_i32_")) return SALU_CLZ;
	if (starts(n, "s_cls_i32")) return SALU_CLS;
	if (is(n, "s_bitreplicate_b64_b32")) return SALU_BITREPLICATE;
	if (is(n, "s_abs_i32")) return SALU_ABS_I32;
	if (starts(n, "s_bcnt0_i32_")) return SALU_BCNT0;
	if (starts(n, "s_quadmask_")) return SALU_QUADMASK;
	if (starts(n, "s_wqm_")) return SALU_WQM;
	return SALU_OTHER;
}

void shader_salu_resolve(struct shader_icache_entry *e)
{
	const char *n = e->base;
	struct shader_salu_plan *p = &e->plan.salu;
	memset(p, 0, sizeof(*p));
	if (e->inst.gen == ISA_GEN_GFX9 && starts(n, "s_set_gpr_idx_")) {
		p->op = SALU_GPR_IDX_GFX9;   /* VGPR index mode, any of SOP1/SOPC/SOPP */
		return;
	}
	switch (e->inst.enc) {
	case ISA_ENC_SOPP:
		p->op = resolve_sopp(n);
		return;
	case ISA_ENC_SOPC:
		resolve_sopc(n, p);
		return;
	case ISA_ENC_SMEM:
		/* s_dcache_inv / s_gl1_inv: memory is coherent here; s_atc_probe*:
		 * a translation prefetch hint */
		p->op = starts(n, "s_buffer_load_b") ? SALU_S_BUFFER_LOAD
		      : starts(n, "s_load_b") ? SALU_S_LOAD
		      : (is(n, "s_dcache_inv") || is(n, "s_gl1_inv") || starts(n, "s_atc_probe"))
		      ? SALU_SMEM_NOP
		      : is(n, "s_memtime") ? SALU_MEMTIME
		      : is(n, "s_memrealtime") ? SALU_MEMREALTIME : SALU_ILLEGAL;
		if (p->op == SALU_ILLEGAL && e->inst.gen == ISA_GEN_GFX9) {
			/* sub: SHADER_SMEM9_*, shift: the atomic operation */
			int k = shader_gfx9_smem_resolve(n, &p->shift, &p->wide);
			if (k != SHADER_SMEM9_NONE) {
				p->op = SALU_SMEM_GFX9_WRITE;
				p->sub = (uint8_t)k;
			}
		}
		return;
	default:
		break;
	}
	if (starts(n, "s_waitcnt_") || is(n, "s_version")) {
		/* SOPK s_waitcnt_vscnt etc. and s_version: no-ops */
		p->op = SALU_WAITCNT_K;
	} else if (starts(n, "s_getreg_") || starts(n, "s_setreg_") || starts(n, "s_sendmsg_rtn_")) {
		p->op = SALU_SREG;
	} else if (is(n, "s_call_b64")) {
		p->op = SALU_CALL;
	} else if (strstr(n, "_wrexec_")) {
		p->op = SALU_WREXEC;
		p->sub = starts(n, "s_and_not0_") ? SX_AND_NOT0 : SX_AND_NOT1;
	} else if (starts(n, "s_movrels_") || starts(n, "s_movreld_") || is(n, "s_movrelsd_2_b32")) {
		p->op = n[8] == 's' ? (n[9] == 'd' ? SALU_MOVRELSD_2 : SALU_MOVRELS) : SALU_MOVRELD;
		p->wide = strstr(n, "b64") != NULL;
	} else if (starts(n, "s_bitset")) {
		p->op = SALU_BITSET;
		p->shift = n[8] == '1';
		p->wide = strstr(n, "b64") != NULL;
	} else if (is(n, "s_rfe_b64") || starts(n, "s_subvector_loop_")) {
		p->op = SALU_UNMODELLED;
	} else if (strstr(n, "saveexec")) {
		p->op = SALU_SAVEEXEC;
		p->sub = saveexec_of(n);
	} else if (is(n, "s_getpc_b64")) {
		p->op = SALU_GETPC;
	} else if (is(n, "s_setpc_b64")) {
		p->op = SALU_SETPC;
	} else if (is(n, "s_swappc_b64")) {
		p->op = SALU_SWAPPC;
	} else if (starts(n, "s_cmpk_")) {
		p->op = SALU_CMPK;
		p->sgn = strstr(n, "_i32") != NULL;
		p->sub = cmp_of(n + 7);
	} else {
		p->op = resolve_table(n, p);
		p->wide = strstr(n, "b64") || strstr(n, "i64") || strstr(n, "u64");
	}
}

/* The mnemonic of the instruction being executed (resolved once; used
 * by the rare paths that dispatch on it again). */
static const char *p_name(const struct shader_core *c)
{
	return c->cur ? c->cur->base : "";
}

/* Instructions the core knows but does not model, each fault saying why:
 * what they define only makes sense with a trap handler, context
 * save/restore or the subvector mode, none of which the vgpu has.  AMD's
 * rocJITsu simulator (ROCm/rocm-systems, emulation/rocjitsu) settles none
 * of them: its s_rfe_b64 calls an empty function (a no-op its own audit
 * lists as a gap), its s_endpgm_saved is s_endpgm (no saved signal), and
 * its s_subvector_loop_* throw UnimplementedInst on RDNA1/2 and are not
 * decoded for RDNA3, whose ISA XML omits them. */
static int salu_unmodelled(struct shader_core *c)
{
	const char *n = p_name(c), *why = "is not modelled";
	if (is(n, "s_rfe_b64"))
		why = "returns from a trap handler (PRIV = 0, PC = S0); the RDNA3 guide allows it "
		      "only within a trap handler and none runs on the vgpu (AMD's rocJITsu "
		      "simulator runs it as a no-op, a gap its audit lists)";
	else if (is(n, "s_endpgm_saved"))
		why = "ends a wave and signals that the context-switch trap handler has saved it "
		      "(RDNA3 guide); the vgpu has no context save/restore (AMD's rocJITsu "
		      "simulator ends the wave as s_endpgm, dropping the signal)";
	else if (starts(n, "s_subvector_loop_"))
		why = "runs wave64 code in two wave32 halves (subvector mode), which the vgpu "
		      "does not model; the RDNA3 guide's SOPK list omits it, Mesa's ACO "
		      "notes the ISA text is unclear on its addressing, and AMD's rocJITsu "
		      "simulator does not execute it either";
	char msg[400];
	snprintf(msg, sizeof(msg), "%s %s", n, why);
	return shader_fault(c, msg);
}

static int sopp(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
		const struct shader_salu_plan *p)
{
	int16_t simm = (int16_t)(in->nops ? in->ops[0].value : 0);
	uint64_t target = w->pc + (int64_t)simm * 4;
	bool take;
	switch (p->op) {
	case SALU_ENDPGM:
		w->state = WAVE_DONE;
		return 0;
	case SALU_BARRIER:
		w->state = WAVE_BARRIER;
		return 0;
	case SALU_NOP:
	case SALU_NOT_TAKEN:
		return 0;
	case SALU_SREG:
		return shader_exec_sreg(c, w, in, p_name(c));
	case SALU_UNMODELLED:
		return salu_unmodelled(c);
	case SALU_SENDMSG:
		/* MSG_DEALLOC_VGPRS (3) only tells the SPI the wave is ending */
		if ((in->ops[0].value & 0xff) == 3)
			return 0;
		return shader_fault(c, "s_sendmsg with a message other than MSG_DEALLOC_VGPRS");
	case SALU_TRAP:
		return shader_fault(c, "s_trap (no trap handler is installed)");
	case SALU_SETHALT:
		return shader_fault(c, "s_sethalt (a halted wave never finishes)");
	case SALU_SETKILL:
		/* RDNA3 ISA: kill the wave if SIMM16[0] is 1; it ends as at
		 * s_endpgm (the kill-wave host command's effect) */
		if (in->nops && (in->ops[0].value & 1))
			w->state = WAVE_DONE;
		return 0;
	case SALU_SENDMSGHALT:
		/* s_sendmsg, then halt: the halt is s_sethalt's */
		if ((in->ops[0].value & 0xff) != 3)
			return shader_fault(c, "s_sendmsghalt with a message other than MSG_DEALLOC_VGPRS");
		return shader_fault(c, "s_sendmsghalt (a halted wave never finishes)");
	case SALU_CODE_END:
		/* RDNA3 ISA: end-of-shader padding; executing it raises an
		 * illegal-instruction exception */
		return shader_fault(c, "s_code_end reached (end-of-shader padding: an illegal-instruction "
				       "exception on hardware)");
	case SALU_BRANCH: take = true; break;
	case SALU_CBRANCH_SCC0: take = !w->scc; break;
	case SALU_CBRANCH_SCC1: take = w->scc; break;
	case SALU_CBRANCH_VCCZ: take = wave_vcc(c, w) == 0; break;
	case SALU_CBRANCH_VCCNZ: take = wave_vcc(c, w) != 0; break;
	case SALU_CBRANCH_EXECZ: take = wave_exec(c, w) == 0; break;
	case SALU_CBRANCH_EXECNZ: take = wave_exec(c, w) != 0; break;
	default:
		return shader_illegal(c);
	}
	if (take)
		w->pc = target;
	return 0;
}

static int sopc(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
		const struct shader_salu_plan *p)
{
	uint64_t a, b;
	int r = sop_read(c, w, &in->ops[0], &a);
	if (!r)
		r = sop_read(c, w, &in->ops[1], &b);
	if (r)
		return r;
	if (p->op == SALU_BITCMP) {
		bool bit = (a >> (b & (p->wide ? 63 : 31))) & 1;
		w->scc = p->shift ? !bit : bit;
		return 0;
	}
	if (p->op != SALU_CMP)
		return shader_illegal(c);
	bool u64 = p->wide, sgn = p->sgn;
	if (!u64) {
		a = (uint32_t)a;
		b = (uint32_t)b;
	}
	int64_t sa = sgn ? (int32_t)a : (int64_t)a, sb = sgn ? (int32_t)b : (int64_t)b;
	bool lt = sgn ? sa < sb : a < b, eq = a == b;
	switch (p->sub) {
	case CMP_EQ: w->scc = eq; break;
	case CMP_LG: w->scc = !eq; break;
	case CMP_GT: w->scc = !lt && !eq; break;
	case CMP_GE: w->scc = !lt; break;
	case CMP_LT: w->scc = lt; break;
	case CMP_LE: w->scc = lt || eq; break;
	default: return shader_illegal(c);
	}
	return 0;
}

/* SOP2 / SOPK / SOP1 result of a two-source (or one-source) operation. */
static int salu_op(struct shader_core *c, struct shader_wave *w, const struct shader_salu_plan *p,
		   uint64_t a, uint64_t b, uint64_t d_old, uint64_t *res, bool *write)
{
	bool wide = p->wide;
	uint64_t m = wide ? ~0ull : 0xffffffffull;
	uint32_t a32 = (uint32_t)a, b32 = (uint32_t)b;
	uint64_t t;
	*write = true;
	switch (p->op) {
	case SALU_MOV: case SALU_MOVK: *res = a; return 0;
	case SALU_CMOV: case SALU_CMOVK: *res = w->scc ? a : d_old; return 0;
	case SALU_ADD_U32: t = (uint64_t)a32 + b32; w->scc = t >> 32; *res = (uint32_t)t; return 0;
	case SALU_ADDC_U32: t = (uint64_t)a32 + b32 + w->scc; w->scc = t >> 32; *res = (uint32_t)t; return 0;
	case SALU_SUB_U32: w->scc = b32 > a32; *res = (uint32_t)(a32 - b32); return 0;
	case SALU_SUBB_U32: {
		/* D = S0 - S1 - SCC with the incoming SCC (it was once taken
		 * after being overwritten by the borrow out) */
		uint32_t borrow_in = w->scc;
		w->scc = (uint64_t)b32 + borrow_in > a32;
		*res = (uint32_t)(a32 - b32 - borrow_in);
		return 0;
	}
	case SALU_ADD_I32: case SALU_ADDK_I32: {
		int64_t s = (int64_t)(int32_t)a32 + (int32_t)b32;
		if (p->op == SALU_ADDK_I32)
			s = (int64_t)(int32_t)(uint32_t)d_old + (int16_t)a32;
		w->scc = s != (int32_t)s; *res = (uint32_t)s; return 0;
	}
	case SALU_SUB_I32: {
		int64_t s = (int64_t)(int32_t)a32 - (int32_t)b32;
		w->scc = s != (int32_t)s; *res = (uint32_t)s; return 0;
	}
	case SALU_MUL_I32: *res = (uint32_t)(a32 * b32); return 0;
	case SALU_MULK_I32: *res = (uint32_t)((uint32_t)d_old * (uint32_t)(int32_t)(int16_t)a32); return 0;
	case SALU_MUL_HI_U32: *res = (uint32_t)(((uint64_t)a32 * b32) >> 32); return 0;
	case SALU_MUL_HI_I32: *res = (uint32_t)(((int64_t)(int32_t)a32 * (int32_t)b32) >> 32); return 0;
	case SALU_MIN_I32: w->scc = (int32_t)a32 < (int32_t)b32; *res = w->scc ? a32 : b32; return 0;
	case SALU_MAX_I32: w->scc = (int32_t)a32 > (int32_t)b32; *res = w->scc ? a32 : b32; return 0;
	case SALU_MIN_U32: w->scc = a32 < b32; *res = w->scc ? a32 : b32; return 0;
	case SALU_MAX_U32: w->scc = a32 > b32; *res = w->scc ? a32 : b32; return 0;
	case SALU_CSELECT: *res = w->scc ? a : b; return 0;
	/* bitwise: SCC = result != 0 */
	case SALU_AND_NOT1: t = a & ~b; break;
	case SALU_OR_NOT1: t = a | ~b; break;
	case SALU_AND: t = a & b; break;
	case SALU_OR: t = a | b; break;
	case SALU_XOR: t = a ^ b; break;
	case SALU_NAND: t = ~(a & b); break;
	case SALU_NOR: t = ~(a | b); break;
	case SALU_XNOR: t = ~(a ^ b); break;
	case SALU_NOT: t = ~a; break;
	case SALU_LSHL: t = a << (b & (wide ? 63 : 31)); break;
	case SALU_LSHR: t = (a & m) >> (b & (wide ? 63 : 31)); break;
	case SALU_ASHR_I32: t = (uint32_t)((int32_t)a32 >> (b32 & 31)); break;
	case SALU_ASHR_I64: t = (uint64_t)((int64_t)a >> (b & 63)); break;
	case SALU_LSHLN_ADD_U32:
		t = ((uint64_t)a32 << p->shift) + b32;
		w->scc = t >> 32;
		*res = (uint32_t)t;
		return 0;
	case SALU_BFE_U32: case SALU_BFE_I32: {
		uint32_t off = b32 & 31, width = (b32 >> 16) & 0x7f;
		uint32_t v = width ? (a32 >> off) & (width >= 32 ? ~0u : ((1u << width) - 1)) : 0;
		if (p->op == SALU_BFE_I32 && width && width < 32 && (v >> (width - 1)) & 1)
			v |= ~0u << width;
		t = v;
		break;
	}
	/* s_bfm writes no SCC (RDNA3 ISA S_BFM_B32/B64) */
	case SALU_BFM_B32: *res = (uint32_t)(((1ull << (a32 & 31)) - 1) << (b32 & 31)); return 0;
	case SALU_BFM_B64: *res = ((a & 63) ? (~0ull >> (64 - (a & 63))) : 0) << (b & 63); return 0;
	case SALU_BFE_U64: case SALU_BFE_I64: {
		/* S1[5:0] offset, S1[22:16] width */
		unsigned off = b32 & 63, width = (b32 >> 16) & 0x7f;
		uint64_t v = width ? (a >> off) & (width >= 64 ? ~0ull : ((1ull << width) - 1)) : 0;
		if (p->op == SALU_BFE_I64 && width && width < 64 && (v >> (width - 1)) & 1)
			v |= ~0ull << width;
		t = v;
		break;
	}
	case SALU_ABSDIFF_I32: {
		int64_t d = (int64_t)(int32_t)a32 - (int32_t)b32;
		t = (uint32_t)(d < 0 ? -d : d);
		break;
	}
	case SALU_ABS_I32: t = (uint32_t)((int32_t)a32 < 0 ? -(uint32_t)a32 : a32); break;
	case SALU_BCNT0: t = (uint64_t)__builtin_popcountll(~a & m); break;
	case SALU_QUADMASK: {
		/* one bit per 4-bit group of the source: any bit set */
		uint64_t v = 0;
		for (unsigned i = 0; i < (wide ? 16u : 8u); i++)
			v |= (uint64_t)(((a >> (4 * i)) & 0xf) != 0) << i;
		t = v;
		break;
	}
	case SALU_WQM: {
		/* each 4-bit group: all ones if any bit of it is set */
		uint64_t v = 0;
		for (unsigned i = 0; i < (wide ? 16u : 8u); i++)
			if ((a >> (4 * i)) & 0xf)
				v |= 0xfull << (4 * i);
		t = v;
		break;
	}
	case SALU_BREV_B64: {
		uint64_t v = 0;
		for (int i = 0; i < 64; i++) v |= ((a >> i) & 1) << (63 - i);
		*res = v; return 0;
	}
	case SALU_CLZ: {
		/* leading zeros; -1 for a zero source */
		uint64_t v = a & m;
		*res = v ? (uint32_t)(__builtin_clzll(v) - (wide ? 0 : 32)) : ~0u;
		return 0;
	}
	case SALU_CLS: {
		/* leading bits equal to the sign bit, after it; -1 for 0 and -1 */
		uint64_t v = a & m;
		if (v == 0 || v == m) { *res = ~0u; return 0; }
		if (v >> (wide ? 63 : 31)) v = ~v & m;
		*res = (uint32_t)(__builtin_clzll(v) - (wide ? 0 : 32));
		return 0;
	}
	case SALU_BITREPLICATE: {
		uint64_t v = 0;
		for (int i = 0; i < 32; i++) v |= (uint64_t)((a32 >> i) & 1) * 3u << (2 * i);
		*res = v; return 0;
	}
	case SALU_PACK_HL: *res = (a32 >> 16) | (b32 << 16); return 0;
	case SALU_SEXT_I8: *res = (uint32_t)(int32_t)(int8_t)a32; return 0;
	case SALU_SEXT_I16: *res = (uint32_t)(int32_t)(int16_t)a32; return 0;
	case SALU_BREV_B32: {
		uint32_t v = 0;
		for (int i = 0; i < 32; i++) v |= ((a32 >> i) & 1) << (31 - i);
		*res = v; return 0;
	}
	case SALU_BCNT1: t = (uint64_t)__builtin_popcountll(a & m); break;
	case SALU_CTZ_B32: *res = a32 ? (uint32_t)__builtin_ctz(a32) : ~0u; return 0;
	case SALU_CTZ_B64: *res = a ? (uint32_t)__builtin_ctzll(a) : ~0u; return 0;
	case SALU_FF0_B32: *res = ~a32 ? (uint32_t)__builtin_ctz(~a32) : ~0u; return 0;
	case SALU_FF0_B64: *res = ~a ? (uint32_t)__builtin_ctzll(~a) : ~0u; return 0;
	case SALU_PACK_LL: *res = (a32 & 0xffff) | (b32 << 16); return 0;
	case SALU_PACK_LH: *res = (a32 & 0xffff) | (b32 & 0xffff0000u); return 0;
	case SALU_PACK_HH: *res = (a32 >> 16) | (b32 & 0xffff0000u); return 0;
	default:
		return shader_illegal(c);
	}
	*res = t & m;
	w->scc = *res != 0;
	return 0;
}

/*
 * s_movrels_b32/b64: D = SGPR[S0 + M0]; s_movreld: SGPR[D + M0] = S0;
 * s_movrelsd_2_b32: SGPR[D + M0[25:16]] = SGPR[S0 + M0[9:0]] (RDNA3 ISA).
 * The indexed register must stay within s0..s105 (b64: an even pair), as
 * it does on hardware; outside is a fault here.
 */
static int movrel(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
		  const struct shader_salu_plan *p)
{
	const struct isa_operand *d = &in->ops[0], *s = &in->ops[1];
	uint32_t m0 = w->s[SREG_M0];
	unsigned n = p->wide ? 2 : 1;
	if (d->kind != ISA_OPK_SREG || (p->op != SALU_MOVRELD && s->kind != ISA_OPK_SREG))
		return shader_illegal(c);
	uint64_t src = s->reg, dst = d->reg;   /* 64-bit: M0 cannot wrap them */
	if (p->op == SALU_MOVRELS)
		src += m0;
	else if (p->op == SALU_MOVRELD)
		dst += m0;
	else {
		src += m0 & 0x3ffu;
		dst += (m0 >> 16) & 0x3ffu;
	}
	if ((p->op != SALU_MOVRELD && src + n > SREG_VCC_LO) || dst + n > SREG_VCC_LO)
		return shader_fault(c, "s_movrel: M0-indexed SGPR outside s0..s105");
	uint64_t v;
	if (p->op == SALU_MOVRELD) {
		int r = sop_read(c, w, s, &v);
		if (r)
			return r;
	} else {
		v = w->s[src] | (p->wide ? (uint64_t)w->s[src + 1] << 32 : 0);
	}
	w->s[dst] = (uint32_t)v;
	if (p->wide)
		w->s[dst + 1] = (uint32_t)(v >> 32);
	return 0;
}

/* s_<op>_saveexec_b32/b64: d = exec; exec = op(src, exec); SCC = exec != 0 */
static int saveexec(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
		    const struct shader_salu_plan *p)
{
	uint64_t s;
	int r = sop_read(c, w, &in->ops[1], &s);
	if (r)
		return r;
	uint64_t e = wave_exec(c, w), ne;
	switch (p->sub) {
	case SX_AND_NOT1: ne = s & ~e; break;
	case SX_OR_NOT1: ne = s | ~e; break;
	case SX_AND_NOT0: ne = ~s & e; break;
	case SX_OR_NOT0: ne = ~s | e; break;
	case SX_AND: ne = s & e; break;
	case SX_OR: ne = s | e; break;
	case SX_XOR: ne = s ^ e; break;
	case SX_NAND: ne = ~(s & e); break;
	case SX_NOR: ne = ~(s | e); break;
	case SX_XNOR: ne = ~(s ^ e); break;
	default: return shader_illegal(c);
	}
	if (c->lanes == 32)
		ne &= 0xffffffffull;
	r = sop_write(c, w, &in->ops[0], e);
	wave_set_exec(c, w, ne);
	w->scc = ne != 0;
	return r;
}

int shader_exec_salu(struct shader_core *c, struct shader_wave *w,
		     const struct shader_icache_entry *e)
{
	const struct isa_inst *in = &e->inst;
	const struct shader_salu_plan *p = &e->plan.salu;
	if (p->op == SALU_GPR_IDX_GFX9)
		return shader_gfx9_set_gpr_idx(c, w, in, e->base);
	switch (in->enc) {
	case ISA_ENC_SOPP:
		return sopp(c, w, in, p);
	case ISA_ENC_SOPC:
		return sopc(c, w, in, p);
	default:
		break;
	}
	switch (p->op) {
	case SALU_WAITCNT_K:
		return 0;
	case SALU_SREG:
		return shader_exec_sreg(c, w, in, p_name(c));
	case SALU_UNMODELLED:
		return salu_unmodelled(c);
	case SALU_CALL: {
		/* s_call_b64: D = address of the next instruction; branch by
		 * the signed 16-bit immediate in dwords, from there */
		int r = sop_write(c, w, &in->ops[0], w->pc);
		w->pc += (int64_t)(int16_t)in->ops[1].value * 4;
		return r;
	}
	case SALU_WREXEC: {
		/* s_and_not{0,1}_wrexec: EXEC = ~S0 & EXEC (not0) or S0 & ~EXEC
		 * (not1); D = the new EXEC; SCC = EXEC != 0 */
		uint64_t s0;
		int r = sop_read(c, w, &in->ops[1], &s0);
		if (r)
			return r;
		uint64_t e0 = wave_exec(c, w);
		uint64_t ne = p->sub == SX_AND_NOT0 ? ~s0 & e0 : s0 & ~e0;
		if (c->lanes == 32)
			ne &= 0xffffffffull;
		wave_set_exec(c, w, ne);
		w->scc = ne != 0;
		return sop_write(c, w, &in->ops[0], ne);
	}
	case SALU_MOVRELS: case SALU_MOVRELD: case SALU_MOVRELSD_2:
		return movrel(c, w, in, p);
	case SALU_BITSET: {
		/* s_bitset0/1: D[S0[4:0] (b64: 5:0)] = 0 / 1, the rest kept */
		uint64_t s0, d;
		int r = sop_read(c, w, &in->ops[1], &s0);
		if (!r)
			r = sop_read(c, w, &in->ops[0], &d);
		if (r)
			return r;
		uint64_t bit = 1ull << (s0 & (p->wide ? 63 : 31));
		return sop_write(c, w, &in->ops[0], p->shift ? d | bit : d & ~bit);
	}
	case SALU_SAVEEXEC:
		return saveexec(c, w, in, p);
	case SALU_GETPC:
		return sop_write(c, w, &in->ops[0], w->pc);
	case SALU_SETPC: case SALU_SWAPPC: {
		uint64_t t;
		int r = sop_read(c, w, &in->ops[p->op == SALU_SETPC ? 0 : 1], &t);
		if (!r && p->op == SALU_SWAPPC)
			r = sop_write(c, w, &in->ops[0], w->pc);
		w->pc = t;
		return r;
	}
	case SALU_CMPK: {
		/* SOPK compare: sdst against the 16-bit immediate */
		uint64_t a;
		int r = sop_read(c, w, &in->ops[0], &a);
		if (r)
			return r;
		bool sgn = p->sgn;
		int64_t sa = sgn ? (int32_t)(uint32_t)a : (int64_t)(uint32_t)a;
		int64_t sb = sgn ? (int16_t)in->ops[1].value : (int64_t)(uint16_t)in->ops[1].value;
		switch (p->sub) {
		case CMP_EQ: w->scc = sa == sb; break;
		case CMP_LG: w->scc = sa != sb; break;
		case CMP_GT: w->scc = sa > sb; break;
		case CMP_GE: w->scc = sa >= sb; break;
		case CMP_LT: w->scc = sa < sb; break;
		case CMP_LE: w->scc = sa <= sb; break;
		default: return shader_illegal(c);
		}
		return 0;
	}
	default:
		break;
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
	bool k_form = p->op == SALU_MOVK || p->op == SALU_CMOVK || p->op == SALU_ADDK_I32 ||
		      p->op == SALU_MULK_I32;
	if (!r && in->enc == ISA_ENC_SOPK && !k_form)
		return shader_illegal(c);
	if (!r && (p->op == SALU_MOVK || p->op == SALU_CMOVK))
		a = (uint32_t)(int32_t)(int16_t)a;
	bool write;
	if (!r)
		r = salu_op(c, w, p, a, b, d_old, &res, &write);
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
/* gfx9 s_memtime: the 64-bit shader clock; the vgpu models no core clock,
 * so it counts nanoseconds of CLOCK_MONOTONIC (a 1 GHz clock, never going
 * back).  s_memrealtime: the REFCLK counter at the rate DEV_INFO's
 * gpu_counter_freq gives (drm/info.c: 25 MHz on Raven, GC 9.1.0 and
 * 9.2.2; 100 MHz otherwise), from CLOCK_MONOTONIC too. */
int shader_exec_smem(struct shader_core *c, struct shader_wave *w,
		     const struct shader_icache_entry *e)
{
	const struct isa_inst *in = &e->inst;
	if (e->plan.salu.op == SALU_SMEM_NOP)
		return 0;
	if (e->plan.salu.op == SALU_MEMTIME || e->plan.salu.op == SALU_MEMREALTIME)
		return shader_exec_memtime(c, w, in, e->plan.salu.op == SALU_MEMREALTIME);
	if (e->plan.salu.op == SALU_SMEM_GFX9_WRITE)
		return shader_gfx9_exec_smem_write(c, w, e, e->plan.salu.sub, e->plan.salu.shift,
						   e->plan.salu.wide);
	bool buffer = e->plan.salu.op == SALU_S_BUFFER_LOAD;
	if (e->plan.salu.op != SALU_S_LOAD && !buffer)
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

bool shader_salu_executes(const struct shader_icache_entry *e)
{
	uint8_t op = e->plan.salu.op;
	if (e->inst.enc == ISA_ENC_SOPK && op >= SALU_MOV && op < SALU_OTHER)
		return op == SALU_MOVK || op == SALU_CMOVK || op == SALU_ADDK_I32 ||
		       op == SALU_MULK_I32;
	if (op == SALU_SMEM_GFX9_WRITE)
		return e->plan.salu.sub != SHADER_SMEM9_SCRATCH;
	return op != SALU_ILLEGAL && op != SALU_OTHER && op != SALU_UNMODELLED;
}
