/* gfx90a (MI200, CDNA2) AccVGPR forms for the gfx9 decoder: the
 * VOP3P-MAI encoding (v_mfma_*), v_accvgpr_read/write_b32 (VOP3P),
 * v_accvgpr_mov_b32 (VOP1) and the acc and scc bits of DS/FLAT/GLOBAL/
 * SCRATCH/MUBUF/MTBUF.  Layouts and validity were read off
 * llvm-mc-19 -mcpu=gfx90a (-show-encoding, and -disassemble of every
 * single-bit change of a valid word) and are checked by the gfx90a MC
 * corpus files (tools/isa-corpus-check.sh --gfx9: gfx90a_mai.txt,
 * gfx90a_ldst_acc.txt) and tests/test_isa_llvm_gfx9.sh:
 *   VOP3P-MAI  vdst 7:0, cbsz 10:8, abid 14:11, acc_cd 15 (vdst and src2
 *              are AccVGPRs), op 22:16, src0 40:32, src1 49:41 (VGPR
 *              fields: 256 + n), src2 58:50, acc(src0) 59, acc(src1) 60,
 *              blgp 63:61.  src0/src1 take registers only, src2 a
 *              register tuple or an inline constant/special, no literal.
 *   v_accvgpr_read/write  VOP3P op 0x58/0x59 with op_sel 13:8, neg
 *              63:61 and src1/src2 58:41 clear; op_sel_hi 14, 59, 60 and
 *              clamp 15 ignored.  read: src0 an AccVGPR (the VGPR field);
 *              write: vdst an AccVGPR, src0 anything but a literal.
 *   v_accvgpr_mov_b32  VOP1 op 0x52, both operands AccVGPRs.
 *   DS gds     ignored (gfx90a has no GDS), but required by ds_gws_*.
 *   acc bit    DS word 0 bit 25; FLAT/GLOBAL/SCRATCH word 1 bit 23 (gfx9's
 *              nv); MUBUF/MTBUF word 1 bit 23 (gfx9's tfe: gfx90a has no
 *              tfe).  The data registers (vdst, data0, data1) are
 *              AccVGPRs when it is set.
 *   scc        FLAT word 0 bit 25, MUBUF word 0 bit 15, MTBUF word 1 bit
 *              21; printed after glc and slc. */
#include <errno.h>
#include <string.h>

#include "isa_table_gfx9.h"

/* src0/src1 of MFMA and v_accvgpr_read: registers; LLVM also prints the
 * special sources (src_shared_base.., src_vccz, src_execz, src_scc) there
 * without remark (the executor faults on them) */
#define AV_SRC (REG_ONLY & ~ISA_SRC_DENY_SPECIAL)
#define REG_ONLY (ISA_SRC_DENY_SGPR | ISA_SRC_DENY_VCC | ISA_SRC_DENY_TTMP | ISA_SRC_DENY_NULL | \
		  ISA_SRC_DENY_M0 | ISA_SRC_DENY_EXEC | ISA_SRC_DENY_ICONST | ISA_SRC_DENY_FCONST | \
		  ISA_SRC_DENY_SPECIAL | ISA_SRC_DENY_LDS | ISA_SRC_DENY_LIT)
/* src2: a register tuple, an inline constant or a special source */
#define SRC2_RULES (ISA_SRC_DENY_SGPR | ISA_SRC_DENY_VCC | ISA_SRC_DENY_TTMP | ISA_SRC_DENY_NULL | \
		    ISA_SRC_DENY_M0 | ISA_SRC_DENY_EXEC | ISA_SRC_DENY_LDS | ISA_SRC_DENY_LIT)

/* One MFMA: op, name, D/C width, A/B width (bits), src2 constant class */
#define MFMA(op, name, dc, ab, lit) \
	{op, name, 4, 0, 0, 0, 0, {{ISA_FLD_VDST, dc, ISA_LIT_NONE, 0}, \
				  {ISA_FLD_SRC0, ab, ISA_LIT_32I, AV_SRC}, \
				  {ISA_FLD_SRC1, ab, ISA_LIT_32I, AV_SRC}, \
				  {ISA_FLD_SRC2, dc, lit, SRC2_RULES}}, NULL, NULL}

/* VOP3P opcodes 0x40 up on gfx90a (llvm-objdump-19 --mcpu=gfx90a),
 * sorted by opcode */
static const struct isa_opdesc mai[] = {
	MFMA(0x40, "v_mfma_f32_32x32x1f32", 1024, 32, ISA_LIT_32F),
	MFMA(0x41, "v_mfma_f32_16x16x1f32", 512, 32, ISA_LIT_32F),
	MFMA(0x42, "v_mfma_f32_4x4x1f32", 128, 32, ISA_LIT_32F),
	MFMA(0x44, "v_mfma_f32_32x32x2f32", 512, 32, ISA_LIT_32F),
	MFMA(0x45, "v_mfma_f32_16x16x4f32", 128, 32, ISA_LIT_32F),
	MFMA(0x48, "v_mfma_f32_32x32x4f16", 1024, 64, ISA_LIT_32F),
	MFMA(0x49, "v_mfma_f32_16x16x4f16", 512, 64, ISA_LIT_32F),
	MFMA(0x4a, "v_mfma_f32_4x4x4f16", 128, 64, ISA_LIT_32F),
	MFMA(0x4c, "v_mfma_f32_32x32x8f16", 512, 64, ISA_LIT_32F),
	MFMA(0x4d, "v_mfma_f32_16x16x16f16", 128, 64, ISA_LIT_32F),
	MFMA(0x50, "v_mfma_i32_32x32x4i8", 1024, 32, ISA_LIT_32I),
	MFMA(0x51, "v_mfma_i32_16x16x4i8", 512, 32, ISA_LIT_32I),
	MFMA(0x52, "v_mfma_i32_4x4x4i8", 128, 32, ISA_LIT_32I),
	MFMA(0x54, "v_mfma_i32_32x32x8i8", 512, 32, ISA_LIT_32I),
	MFMA(0x55, "v_mfma_i32_16x16x16i8", 128, 32, ISA_LIT_32I),
	{0x58, "v_accvgpr_read_b32", 2, 0, 0, 0, 0,
	 {{ISA_FLD_VDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC0, 32, ISA_LIT_NONE, REG_ONLY}}, NULL, NULL},
	{0x59, "v_accvgpr_write_b32", 2, 0, 0, 0, ISA_MBZ(ISA_FLD_SRC0),
	 {{ISA_FLD_VDST, 32, ISA_LIT_NONE, 0}, {ISA_FLD_SRC0, 32, ISA_LIT_32I, ISA_SRC_DENY_LIT}},
	 NULL, NULL},
	MFMA(0x63, "v_mfma_f32_32x32x4bf16_1k", 1024, 64, ISA_LIT_32F),
	MFMA(0x64, "v_mfma_f32_16x16x4bf16_1k", 512, 64, ISA_LIT_32F),
	MFMA(0x65, "v_mfma_f32_4x4x4bf16_1k", 128, 64, ISA_LIT_32F),
	MFMA(0x66, "v_mfma_f32_32x32x8bf16_1k", 512, 64, ISA_LIT_32F),
	MFMA(0x67, "v_mfma_f32_16x16x16bf16_1k", 128, 64, ISA_LIT_32F),
	MFMA(0x68, "v_mfma_f32_32x32x2bf16", 1024, 32, ISA_LIT_32F),
	MFMA(0x69, "v_mfma_f32_16x16x2bf16", 512, 32, ISA_LIT_32F),
	MFMA(0x6b, "v_mfma_f32_4x4x2bf16", 128, 32, ISA_LIT_32F),
	MFMA(0x6c, "v_mfma_f32_32x32x4bf16", 512, 32, ISA_LIT_32F),
	MFMA(0x6d, "v_mfma_f32_16x16x8bf16", 128, 32, ISA_LIT_32F),
	MFMA(0x6e, "v_mfma_f64_16x16x4f64", 256, 64, ISA_LIT_64F),
	MFMA(0x6f, "v_mfma_f64_4x4x4f64", 64, 64, ISA_LIT_64F),
};

/* v_accvgpr_mov_b32: only an AccVGPR source, though LLVM also prints the
 * special sources (src_shared_base.., src_vccz, src_execz, src_scc) */
static const struct isa_opdesc accmov = {
	0x52, "v_accvgpr_mov_b32", 2, 0, 0, 0, 0,
	{{ISA_FLD_VDST, 32, ISA_LIT_NONE, 0},
	 {ISA_FLD_SRC0, 32, ISA_LIT_32I, AV_SRC}}, NULL, NULL};

const struct isa_opdesc *isa_lookup_mai_gfx90a(enum isa_enc enc, unsigned op)
{
	if (enc == ISA_ENC_VOP1)
		return op == accmov.op ? &accmov : NULL;
	if (enc != ISA_ENC_VOP3P)
		return NULL;
	for (size_t i = 0; i < sizeof mai / sizeof mai[0]; i++)
		if (mai[i].op == op)
			return &mai[i];
	return NULL;
}

static int is_ours(const struct isa_opdesc *d)
{
	return d == &accmov || (d >= mai && d < mai + sizeof mai / sizeof mai[0]);
}

static void set_acc(struct isa_operand *o)
{
	if (o->kind == ISA_OPK_VGPR)
		o->kind = ISA_OPK_AGPR;
}

int isa_decode_extra_gfx90a(struct isa_inst *in)
{
	uint32_t w0 = in->words[0], w1 = in->words[1];
	if (!is_ours(in->desc))
		return 1;
	if (in->enc == ISA_ENC_VOP1) {
		set_acc(&in->ops[0]);
		set_acc(&in->ops[1]);
		return 0;
	}
	unsigned op = in->desc->op;
	if (op == 0x58 || op == 0x59) {
		/* op_sel (bits 8-13), neg (61-63), src1 and src2 must be clear */
		if ((w0 & 0x3f00) || (w1 & 0xe7fffe00u))
			return -EILSEQ;
		set_acc(&in->ops[op == 0x58 ? 1 : 0]);
		return 0;
	}
	/* MFMA: every bit is a field */
	in->mai = 1;
	in->cbsz = (uint8_t)((w0 >> 8) & 7);
	in->abid = (uint8_t)((w0 >> 11) & 15);
	in->blgp = (uint8_t)(w1 >> 29);
	for (unsigned i = 0; i < in->nops; i++) {
		struct isa_operand *o = &in->ops[i];
		if (o->field == ISA_FLD_VDST || o->field == ISA_FLD_SRC2) {
			if ((w0 >> 15) & 1)
				set_acc(o);
		} else if (o->field == ISA_FLD_SRC0 ? (w1 >> 27) & 1 : (w1 >> 28) & 1) {
			set_acc(o);
		}
	}
	return 0;
}

int isa_decode_acc_gfx90a(struct isa_inst *in)
{
	uint32_t w0 = in->words[0], w1 = in->words[1];
	unsigned acc;
	switch (in->enc) {
	case ISA_ENC_DS:
		acc = (w0 >> 25) & 1;
		break;
	case ISA_ENC_FLAT: case ISA_ENC_SCRATCH: case ISA_ENC_GLOBAL:
		acc = (w1 >> 23) & 1;
		in->scc = (uint8_t)((w0 >> 25) & 1);
		break;
	case ISA_ENC_MUBUF: case ISA_ENC_MTBUF:
		/* word 1 bit 23 is acc, not tfe (decode_gen did not grow the
		 * data operand for it on gfx90a) */
		acc = (w1 >> 23) & 1;
		in->scc = (uint8_t)((in->enc == ISA_ENC_MTBUF ? w1 >> 21 : w0 >> 15) & 1);
		in->tfe = 0;
		break;
	default:
		return 0;
	}
	/* the floating-point atomics (add_f32, pk_add_f16, add/min/max_f64)
	 * take no scc: LLVM's assembler drops it and its disassembler
	 * refuses the bit */
	if (in->scc && strstr(in->desc->name, "_atomic_") &&
	    (strstr(in->desc->name, "_f64") || strstr(in->desc->name, "_f32") ||
	     strstr(in->desc->name, "_f16")))
		return -EILSEQ;
	/* gfx90a has no GDS: LLVM ignores the gds bit, except for the GWS
	 * operations, which require it */
	if (in->enc == ISA_ENC_DS && strncmp(in->desc->name, "ds_gws_", 7))
		in->gds = 0;
	if (acc)
		for (unsigned i = 0; i < in->nops; i++) {
			uint8_t f = in->ops[i].field;
			/* the GWS operations take their data in the address
			 * field (ds_gws_init/sema_br/barrier) */
			if (f == ISA_FLD_VDST || f == ISA_FLD_DATA0 || f == ISA_FLD_DATA1 ||
			    (f == ISA_FLD_ADDR && !strncmp(in->desc->name, "ds_gws_", 7)))
				set_acc(&in->ops[i]);
		}
	return 0;
}
