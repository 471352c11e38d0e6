/* gfx9 (GCN 5, Vega) opcode tables (generated data in isa_optable_gfx9.c
 * by gen_optable_gfx9.py, hand entries in isa_optable_gfx9_extra.c) and
 * the hooks through which the generation-independent decoder
 * (isa_decode.c) reaches the gfx9 field layout (isa_decode_gfx9.c). */
#ifndef VGPU_ISA_TABLE_GFX9_H
#define VGPU_ISA_TABLE_GFX9_H

#include "isa.h"

#define ISA_TAB9(n) extern const struct isa_opdesc isa_tab9_##n[]; \
	extern const unsigned isa_tab9_##n##_n;
ISA_TAB9(sop2) ISA_TAB9(sop1) ISA_TAB9(sopc) ISA_TAB9(sopk) ISA_TAB9(sopp)
ISA_TAB9(smem) ISA_TAB9(vop1) ISA_TAB9(vop2) ISA_TAB9(vopc) ISA_TAB9(vop3)
ISA_TAB9(ds) ISA_TAB9(flat) ISA_TAB9(scratch) ISA_TAB9(global)
ISA_TAB9(vop3p) ISA_TAB9(mubuf)
/* hand-written entries (isa_optable_gfx9_extra.c) */
ISA_TAB9(xsopc) ISA_TAB9(xsopk) ISA_TAB9(xsmem) ISA_TAB9(xds) ISA_TAB9(xmtbuf)
ISA_TAB9(xmubuf)
/* MIMG (isa_optable_gfx9_mimg.c, gen_optable_gfx9.py --mimg) */
ISA_TAB9(mimg)
/* graphics, hand-written (isa_optable_gfx9_extra.c): EXP, VINTRP, the VOP3
 * v_interp_* forms */
ISA_TAB9(xexp) ISA_TAB9(xvintrp) ISA_TAB9(xinterp)
#undef ISA_TAB9
/* gfx906's differences (isa_optable_gfx906.c) */
#define ISA_TAB906(n) extern const struct isa_opdesc isa_tab906_##n[]; \
	extern const unsigned isa_tab906_##n##_n;
ISA_TAB906(sop2) ISA_TAB906(sop1) ISA_TAB906(sopc) ISA_TAB906(sopk) ISA_TAB906(sopp)
ISA_TAB906(smem) ISA_TAB906(vop1) ISA_TAB906(vop2) ISA_TAB906(vopc) ISA_TAB906(vop3)
ISA_TAB906(ds) ISA_TAB906(flat) ISA_TAB906(scratch) ISA_TAB906(global)
ISA_TAB906(vop3p) ISA_TAB906(mubuf)
#undef ISA_TAB906
/* gfx90a's differences from gfx900 (isa_optable_gfx90a.c) */
#define ISA_TAB90A(n) extern const struct isa_opdesc isa_tab90a_##n[]; \
	extern const unsigned isa_tab90a_##n##_n;
ISA_TAB90A(sop2) ISA_TAB90A(sop1) ISA_TAB90A(sopc) ISA_TAB90A(sopk) ISA_TAB90A(sopp)
ISA_TAB90A(smem) ISA_TAB90A(vop1) ISA_TAB90A(vop2) ISA_TAB90A(vopc) ISA_TAB90A(vop3)
ISA_TAB90A(ds) ISA_TAB90A(flat) ISA_TAB90A(scratch) ISA_TAB90A(global)
ISA_TAB90A(vop3p) ISA_TAB90A(mubuf)
#undef ISA_TAB90A

/* Table entry of opcode op in gfx9 encoding enc, or NULL; target
 * ISA_GEN_GFX906 / ISA_GEN_GFX90A: with that target's differences
 * (isa_optable_gfx906.c / isa_optable_gfx90a.c), else gfx900's. */
const struct isa_opdesc *isa_lookup_gfx9(enum isa_enc enc, unsigned op, enum isa_gen target);

/* Encoding, opcode and base length (dwords) of the gfx9 instruction at
 * words; -EILSEQ for encodings not covered. */
int isa_classify_gfx9(const uint32_t *words, size_t nwords, enum isa_enc *enc,
		      unsigned *op, unsigned *len);

/* Value of an instruction field (gfx9 bit positions); scalar register
 * codes come back in gfx11 numbering (m0 124 -> 125; the code 125, which
 * gfx9 does not have, -> 124, refused by the decoder), and an absent
 * scalar address or offset (FLAT saddr 0x7f, SMEM without soffset) as
 * 124 ("null": none). */
unsigned isa_field_value_gfx9(const struct isa_inst *in, uint8_t f);

/* The fields beyond the operand list (SMEM, DS, FLAT/GLOBAL/SCRATCH,
 * MUBUF/MTBUF, SDWA); 1 when the common (gfx11) code applies, else 0 or
 * -EILSEQ. */
int isa_decode_extra_gfx9(struct isa_inst *in);

/* MIMG: the fields (isa_inst dmask .. d16, da) and the operands of an
 * instruction whose desc is set; its length (2) or -EILSEQ. */
int isa_decode_mimg_gfx9(struct isa_inst *in, const uint32_t *words, size_t nwords);
int isa_decode_mimg_gfx90a(struct isa_inst *in, const uint32_t *words, size_t nwords);

/* EXP, VINTRP and VOP3 v_interp_* (desc set): fields and operands; the
 * length (1 or 2) or -EILSEQ. */
int isa_decode_graphics_gfx9(struct isa_inst *in, const uint32_t *words, size_t nwords);

/* DPP control values gfx9 has (quad_perm, row_shl/shr/ror, wave_shl/
 * rol/shr/ror, row_mirror, row_half_mirror, row_bcast:15/31). */
int isa_dpp_ctrl_ok_gfx9(unsigned c);

/* gfx90a's AccVGPR forms (isa_decode_gfx90a.c): the VOP3P-MAI and
 * v_accvgpr_* table entries (NULL for other opcodes); the MAI fields and
 * AccVGPR operands of an instruction decoded from those entries (1 when
 * the instruction is not one of them, else 0 or -EILSEQ); the acc bit
 * (AccVGPR data) and scc bit of gfx90a DS/FLAT/MUBUF/MTBUF. */
const struct isa_opdesc *isa_lookup_mai_gfx90a(enum isa_enc enc, unsigned op);
int isa_decode_extra_gfx90a(struct isa_inst *in);
int isa_decode_acc_gfx90a(struct isa_inst *in);

/* gfx9 -> gfx11 scalar register numbering: m0 124 -> 125 (and 125 -> 124,
 * which the decoder refuses: gfx9 has no null register). */
static inline unsigned isa_sreg_gfx9(unsigned code)
{
	return code == 124 ? 125u : code == 125 ? 124u : code;
}

#endif
