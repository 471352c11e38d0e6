/* gfx10.3 (RDNA2) field extraction for the decoder of isa_decode.c: the
 * encodings, their opcode tables (isa_optable_gfx103.c) and the bit
 * positions that differ from gfx11.  Layouts were read off llvm-mc-19
 * -mcpu=gfx1030 -show-encoding and are checked by the gfx10 corpus
 * (tools/isa-corpus-check.sh --gfx103):
 *   SMEM   dlc 14, glc 16 (gfx11: 13, 14)
 *   FLAT   offset 11:0, dlc 12, lds 13, seg 15:14, glc 16, slc 17; no SVE
 *          bit: SADDR = null means "no scalar address"
 *   MUBUF  offen 12, idxen 13, glc 14, dlc 15, lds 16; slc and tfe in
 *          word 1 (bits 22, 23)
 *   SDWA   VOP1/VOP2/VOPC with src0 = 249 (gfx11 removed it)
 *   scalar registers: m0 is 124 and null 125 (gfx11: null 124, m0 125);
 *          every scalar field value is given in gfx11 numbering.
 * Not covered (-EILSEQ, docs/vgpu-isa.md): MTBUF, MIMG, EXP, VINTRP and
 * the lds forms of MUBUF/FLAT loads. */
#include <errno.h>
#include <string.h>

#include "isa_table_gfx103.h"

static const struct {
	const struct isa_opdesc *tab;
	const unsigned *n;
} tables[ISA_ENC_COUNT] = {
	[ISA_ENC_SOP2] = {isa_tab103_sop2, &isa_tab103_sop2_n},
	[ISA_ENC_SOP1] = {isa_tab103_sop1, &isa_tab103_sop1_n},
	[ISA_ENC_SOPC] = {isa_tab103_sopc, &isa_tab103_sopc_n},
	[ISA_ENC_SOPK] = {isa_tab103_sopk, &isa_tab103_sopk_n},
	[ISA_ENC_SOPP] = {isa_tab103_sopp, &isa_tab103_sopp_n},
	[ISA_ENC_SMEM] = {isa_tab103_smem, &isa_tab103_smem_n},
	[ISA_ENC_VOP1] = {isa_tab103_vop1, &isa_tab103_vop1_n},
	[ISA_ENC_VOP2] = {isa_tab103_vop2, &isa_tab103_vop2_n},
	[ISA_ENC_VOPC] = {isa_tab103_vopc, &isa_tab103_vopc_n},
	[ISA_ENC_VOP3] = {isa_tab103_vop3, &isa_tab103_vop3_n},
	[ISA_ENC_DS] = {isa_tab103_ds, &isa_tab103_ds_n},
	[ISA_ENC_FLAT] = {isa_tab103_flat, &isa_tab103_flat_n},
	[ISA_ENC_SCRATCH] = {isa_tab103_scratch, &isa_tab103_scratch_n},
	[ISA_ENC_GLOBAL] = {isa_tab103_global, &isa_tab103_global_n},
	[ISA_ENC_VOP3P] = {isa_tab103_vop3p, &isa_tab103_vop3p_n},
	[ISA_ENC_MUBUF] = {isa_tab103_mubuf, &isa_tab103_mubuf_n},
};

const struct isa_opdesc *isa_lookup_gfx103(enum isa_enc enc, unsigned op)
{
	if ((unsigned)enc >= ISA_ENC_COUNT || !tables[enc].tab)
		return NULL;
	/* sorted by opcode: binary search */
	const struct isa_opdesc *t = tables[enc].tab;
	unsigned lo = 0, hi = *tables[enc].n;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (t[mid].op == op) {
			/* atomics: the glc=0 form comes first */
			while (mid > 0 && t[mid - 1].op == op)
				mid--;
			return &t[mid];
		}
		if (t[mid].op < op)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int isa_classify_gfx103(const uint32_t *words, size_t nwords, enum isa_enc *enc,
			unsigned *op, unsigned *len)
{
	uint32_t w = words[0];
	(void)nwords;
	*len = 1;
	if ((w >> 23) == 0x17d) { *enc = ISA_ENC_SOP1; *op = (w >> 8) & 0xff; return 0; }
	if ((w >> 23) == 0x17e) { *enc = ISA_ENC_SOPC; *op = (w >> 16) & 0x7f; return 0; }
	if ((w >> 23) == 0x17f) { *enc = ISA_ENC_SOPP; *op = (w >> 16) & 0x7f; return 0; }
	if ((w >> 28) == 0xb) { *enc = ISA_ENC_SOPK; *op = (w >> 23) & 0x1f; return 0; }
	if ((w >> 30) == 0x2) { *enc = ISA_ENC_SOP2; *op = (w >> 23) & 0x7f; return 0; }
	if ((w >> 25) == 0x3f) { *enc = ISA_ENC_VOP1; *op = (w >> 9) & 0xff; return 0; }
	if ((w >> 25) == 0x3e) { *enc = ISA_ENC_VOPC; *op = (w >> 17) & 0xff; return 0; }
	if ((w >> 31) == 0) { *enc = ISA_ENC_VOP2; *op = (w >> 25) & 0x3f; return 0; }
	*len = 2;
	if ((w >> 24) == 0xcc) { *enc = ISA_ENC_VOP3P; *op = (w >> 16) & 0x7f; return 0; }
	switch (w >> 26) {
	case 0x35: *enc = ISA_ENC_VOP3; *op = (w >> 16) & 0x3ff; return 0;
	case 0x38: *enc = ISA_ENC_MUBUF; *op = (w >> 18) & 0xff; return 0;
	case 0x3d: *enc = ISA_ENC_SMEM; *op = (w >> 18) & 0xff; return 0;
	case 0x36: *enc = ISA_ENC_DS; *op = (w >> 18) & 0xff; return 0;
	case 0x37:
		switch ((w >> 14) & 3) {
		case 0: *enc = ISA_ENC_FLAT; break;
		case 1: *enc = ISA_ENC_SCRATCH; break;
		case 2: *enc = ISA_ENC_GLOBAL; break;
		default: return -EILSEQ;
		}
		*op = (w >> 18) & 0x7f;
		return 0;
	}
	/* MTBUF (0x3a), MIMG (0x3c), EXP (0x3e), VINTRP (0x32): not covered */
	return -EILSEQ;
}

/* Fields that hold a scalar register code (renumbered m0/null). */
static int scalar_field(const struct isa_inst *in, uint8_t f, unsigned v)
{
	switch (f) {
	case ISA_FLD_SDST: case ISA_FLD_SSRC0: case ISA_FLD_SSRC1:
	case ISA_FLD_SDST3: case ISA_FLD_VDST_SGPR: case ISA_FLD_SDATA:
	case ISA_FLD_SOFFSET: case ISA_FLD_SADDR: case ISA_FLD_MSOFF:
		return 1;
	case ISA_FLD_SRC0: case ISA_FLD_SRC1: case ISA_FLD_SRC2:
		return v < 128 && in->enc != ISA_ENC_SMEM;
	default:
		return 0;
	}
}

unsigned isa_field_value_gfx103(const struct isa_inst *in, uint8_t f)
{
	uint32_t w0 = in->words[0], w1 = in->words[1];
	unsigned v;
	switch (in->enc) {
	case ISA_ENC_SMEM:
		if (f == ISA_FLD_SMEM_CACHE)
			return ((w0 >> 14) & 1) | ((w0 >> 16) & 1) << 1;   /* dlc, glc */
		v = isa_field_value_gfx11(in, f);
		break;
	case ISA_ENC_FLAT: case ISA_ENC_SCRATCH: case ISA_ENC_GLOBAL:
		v = isa_field_value_gfx11(in, f);
		break;
	case ISA_ENC_MUBUF:
		if (f == ISA_FLD_MUBUF_TFE) return (w1 >> 23) & 1;
		if (f == ISA_FLD_MUBUF_IDX) return (w0 >> 12) & 3;        /* offen, idxen */
		if (f == ISA_FLD_MUBUF_CACHE)
			return ((w0 >> 15) & 1) | ((w0 >> 14) & 1) << 1;   /* dlc, glc */
		v = isa_field_value_gfx11(in, f);
		break;
	default:
		v = isa_field_value_gfx11(in, f);
		break;
	}
	return scalar_field(in, f, v) ? isa_sreg_gfx103(v) : v;
}

int isa_decode_sdwa_gfx103(struct isa_inst *in, const uint32_t *words, size_t nwords,
			   unsigned *len, unsigned *src0)
{
	if (!(in->desc->flags & ISA_OPF_SDWA))
		return -EILSEQ;
	if (*len >= nwords)
		return -EOVERFLOW;
	uint32_t dw = words[*len];
	in->words[*len] = dw;
	(*len)++;
	in->sdwa = 1;
	in->src0_sel = (uint8_t)((dw >> 16) & 7);
	in->src1_sel = (uint8_t)((dw >> 24) & 7);
	in->src0_sext = (uint8_t)((dw >> 19) & 1);
	in->src1_sext = (uint8_t)((dw >> 27) & 1);
	if (in->src0_sel > 6 || in->src1_sel > 6)
		return -EILSEQ;
	if (in->enc != ISA_ENC_VOPC) {
		in->dst_sel = (uint8_t)((dw >> 8) & 7);
		in->dst_unused = (uint8_t)((dw >> 11) & 3);
		in->clamp = (uint8_t)((dw >> 13) & 1);
		in->omod = (uint8_t)((dw >> 14) & 3);
		if (in->dst_sel > 6 || in->dst_unused > 2)
			return -EILSEQ;
	} else {
		in->dst_sel = 6;
	}
	*src0 = (dw >> 23) & 1 ? isa_sreg_gfx103(dw & 0xff) : 256 + (dw & 0xff);
	return 0;
}

/* SDWA: the source modifiers of the SDWA dword (neg, abs, sext per
 * source), the S1 scalar src1, and VOPC's SGPR destination. */
static int sdwa_extra(struct isa_inst *in)
{
	uint32_t dw = in->words[1];
	for (unsigned i = 0; i < in->nops; i++) {
		struct isa_operand *o = &in->ops[i];
		unsigned sh;
		if (o->field == ISA_FLD_SRC0)
			sh = 19;
		else if (o->field == ISA_FLD_VSRC1)
			sh = 27;
		else if (o->field == ISA_FLD_VCC && in->enc == ISA_ENC_VOPC) {
			/* SD (bit 15): bits 14:8 name the SGPR, else vcc */
			if ((dw >> 15) & 1) {
				o->kind = ISA_OPK_SREG;
				o->code = (uint16_t)((dw >> 8) & 0x7f);
				if (isa_decode_sreg(o, isa_sreg_gfx103((dw >> 8) & 0x7f)))
					return -EILSEQ;
			}
			continue;
		} else
			continue;
		o->sext = (uint8_t)((dw >> sh) & 1);
		o->neg = (uint8_t)((dw >> (sh + 1)) & 1);
		o->abs = (uint8_t)((dw >> (sh + 2)) & 1);
	}
	return 0;
}

int isa_decode_extra_gfx103(struct isa_inst *in)
{
	uint32_t w0 = in->words[0], w1 = in->words[1];
	switch (in->enc) {
	case ISA_ENC_VOP1: case ISA_ENC_VOP2: case ISA_ENC_VOPC:
		return in->sdwa ? sdwa_extra(in) : 1;
	case ISA_ENC_SMEM:
		in->glc = (uint8_t)((w0 >> 16) & 1);
		in->dlc = (uint8_t)((w0 >> 14) & 1);
		in->offset = (int32_t)((w1 & 0x1fffff) << 11) >> 11;
		return 0;
	case ISA_ENC_FLAT: case ISA_ENC_SCRATCH: case ISA_ENC_GLOBAL:
		if ((w0 >> 13) & 1)
			return -EILSEQ;   /* lds forms: not covered */
		/* flat takes no scalar address (null) */
		if (in->enc == ISA_ENC_FLAT && ((w1 >> 16) & 0x7f) != 125)
			return -EILSEQ;
		/* scratch: the VGPR address is in use when SADDR is null */
		in->sve = in->enc == ISA_ENC_SCRATCH && ((w1 >> 16) & 0x7f) == 125;
		in->offset = in->enc == ISA_ENC_FLAT ? (int32_t)(w0 & 0xfff)
			     : (int32_t)((w0 & 0xfff) << 20) >> 20;
		in->dlc = (uint8_t)((w0 >> 12) & 1);
		in->glc = (uint8_t)((w0 >> 16) & 1);
		in->slc = (uint8_t)((w0 >> 17) & 1);
		return 0;
	case ISA_ENC_MUBUF:
		if ((w0 >> 16) & 1)
			return -EILSEQ;   /* lds forms: not covered */
		in->tfe = (uint8_t)((w1 >> 23) & 1);
		in->offset = (int32_t)(w0 & 0xfff);
		in->offen = (uint8_t)((w0 >> 12) & 1);
		in->idxen = (uint8_t)((w0 >> 13) & 1);
		in->glc = (uint8_t)((w0 >> 14) & 1);
		in->dlc = (uint8_t)((w0 >> 15) & 1);
		in->slc = (uint8_t)((w1 >> 22) & 1);
		/* atomics take glc (the returning form) but not dlc, as LLVM
		 * decides (gen_optable_gfx103.py asserts that by probing) */
		if (in->dlc && !strncmp(in->desc->name, "buffer_atomic", 13))
			return -EILSEQ;
		return 0;
	default:
		return 1;
	}
}
