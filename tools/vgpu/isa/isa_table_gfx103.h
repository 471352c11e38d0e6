/* gfx10.3 opcode tables (generated data in isa_optable_gfx103.c by
 * gen_optable_gfx103.py), one per encoding, and the hooks through which
 * the generation-independent decoder (isa_decode.c) reaches the gfx10.3
 * field layout (isa_decode_gfx103.c). */
#ifndef VGPU_ISA_TABLE_GFX103_H
#define VGPU_ISA_TABLE_GFX103_H

#include "isa.h"

#define ISA_TAB103(n) extern const struct isa_opdesc isa_tab103_##n[]; \
	extern const unsigned isa_tab103_##n##_n;
ISA_TAB103(sop2) ISA_TAB103(sop1) ISA_TAB103(sopc) ISA_TAB103(sopk) ISA_TAB103(sopp)
ISA_TAB103(smem) ISA_TAB103(vop1) ISA_TAB103(vop2) ISA_TAB103(vopc) ISA_TAB103(vop3)
ISA_TAB103(ds) ISA_TAB103(flat) ISA_TAB103(scratch) ISA_TAB103(global)
ISA_TAB103(vop3p) ISA_TAB103(mubuf)
/* hand-written entries (isa_optable_gfx103_extra.c) */
ISA_TAB103(xsopk) ISA_TAB103(xsmem) ISA_TAB103(xds) ISA_TAB103(xmtbuf) ISA_TAB103(xvop3)
ISA_TAB103(xmimg)
#undef ISA_TAB103

/* Table entry of opcode op in gfx10.3 encoding enc, or NULL. */
const struct isa_opdesc *isa_lookup_gfx103(enum isa_enc enc, unsigned op);

/* Encoding, opcode and base length (dwords) of the gfx10.3 instruction
 * at words; -EILSEQ for encodings not covered. */
int isa_classify_gfx103(const uint32_t *words, size_t nwords, enum isa_enc *enc,
			unsigned *op, unsigned *len);

/* Value of an instruction field (gfx10.3 bit positions); scalar register
 * codes come back in gfx11 numbering (m0 125, null 124). */
unsigned isa_field_value_gfx103(const struct isa_inst *in, uint8_t f);

/* gfx11's field values: the encodings whose layout gfx10.3 shares. */
unsigned isa_field_value_gfx11(const struct isa_inst *in, uint8_t f);

/* The fields beyond the operand list for the encodings whose layout
 * differs from gfx11 (SMEM, FLAT/SCRATCH/GLOBAL, MUBUF, SDWA); 1 when
 * the common (gfx11) code applies, else 0 or -EILSEQ. */
int isa_decode_extra_gfx103(struct isa_inst *in);

/* SDWA (src0 = 249 in an e32 VOP1/VOP2/VOPC): reads the SDWA dword at
 * words[*len] into in's SDWA fields, and gives the source code src0
 * stands for (a VGPR as 256 + n, or a scalar code in gfx11 numbering). */
int isa_decode_sdwa_gfx103(struct isa_inst *in, const uint32_t *words, size_t nwords,
			   unsigned *len, unsigned *src0);

/* SDWA: the source modifiers of the SDWA dword, S1 and VOPC's SGPR
 * destination (gfx10.3 and gfx9 share the layout); 0 or -EILSEQ. */
int isa_sdwa_extra_gfx103(struct isa_inst *in);

/* MIMG's fields in the gfx10 layout (isa_decode.c's decode_mimg reads
 * the operands, which sit where gfx11 has them): sets in's modifier
 * fields and *nsa_dwords (the NSA address dwords word 0 announces);
 * -EILSEQ for an encoding LLVM rejects. */
int isa_mimg_fields_gfx103(struct isa_inst *in, const uint32_t *words, unsigned *nsa_dwords);

/* gfx10 -> gfx11 scalar register numbering: m0 124 <-> 125 null. */
static inline unsigned isa_sreg_gfx103(unsigned code)
{
	return code == 124 ? 125u : code == 125 ? 124u : code;
}

/* isa_decode.c's register decoders, shared by the generations. */
int isa_decode_vgpr(struct isa_operand *o, unsigned reg);
int isa_decode_sreg(struct isa_operand *o, unsigned code);

/* isa_decode.c's opcode lookup, shared by the generations' isa_lookup*:
 * isa_find_op gives the first entry of opcode op in tab[0..n), a table
 * sorted by opcode (binary search; of the two entries of an atomic, the
 * glc=0 form, which comes first), or NULL; isa_scan_op the entry of op
 * in the hand-written (unsorted) tables of encoding enc among x[0..nx),
 * scanned in order, or NULL. */
struct isa_xtab {
	enum isa_enc enc;
	const struct isa_opdesc *tab;
	const unsigned *n;
};
const struct isa_opdesc *isa_find_op(const struct isa_opdesc *tab, unsigned n, unsigned op);
const struct isa_opdesc *isa_scan_op(const struct isa_xtab *x, unsigned nx, enum isa_enc enc,
				     unsigned op);

#endif
