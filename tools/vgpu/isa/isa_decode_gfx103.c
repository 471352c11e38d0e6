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
 *   MTBUF  format 25:19, opcode 18:16 and bit 21 of word 1; else as MUBUF
 *   MIMG   opcode 24:18 and bit 0 (opcode bit 7), NSA dwords 2:1, DIM 5:3,
 *          DLC 7, DMASK 11:8, UNORM 12, GLC 13, R128 15, TFE 16, LWE 17,
 *          SLC 25; word 1 VADDR 7:0, VDATA 15:8, SRSRC 20:16, SSAMP
 *          25:21, A16 30, D16 31 (the storage-image opcodes only)
 * Not covered (-EILSEQ, docs/vgpu-isa.md): EXP, VINTRP, the sampling MIMG
 * opcodes. */
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
	[ISA_ENC_MTBUF] = {isa_tab103_xmtbuf, &isa_tab103_xmtbuf_n},
	[ISA_ENC_MIMG] = {isa_tab103_xmimg, &isa_tab103_xmimg_n},
};

const struct isa_opdesc *isa_lookup_gfx103(enum isa_enc enc, unsigned op)
{
	if ((unsigned)enc >= ISA_ENC_COUNT || !tables[enc].tab)
		return NULL;
	/* VOP3 entries that replace generated ones */
	static const struct isa_xtab first = {ISA_ENC_VOP3, isa_tab103_xvop3, &isa_tab103_xvop3_n};
	const struct isa_opdesc *d = isa_scan_op(&first, 1, enc, op);
	if (d)
		return d;
	/* sorted by opcode: binary search, then the hand-written entries
	 * (isa_optable_gfx103_extra.c) */
	d = isa_find_op(tables[enc].tab, *tables[enc].n, op);
	if (d)
		return d;
	static const struct isa_xtab extra[] = {
		{ISA_ENC_SOPK, isa_tab103_xsopk, &isa_tab103_xsopk_n},
		{ISA_ENC_SMEM, isa_tab103_xsmem, &isa_tab103_xsmem_n},
		{ISA_ENC_DS, isa_tab103_xds, &isa_tab103_xds_n},
	};
	return isa_scan_op(extra, sizeof extra / sizeof extra[0], enc, op);
}

int isa_classify_gfx103(const uint32_t *words, size_t nwords, enum isa_enc *enc,
			unsigned *op, unsigned *len)
{
	uint32_t w = words[0];
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
	if ((w >> 23) == 0x198) { *enc = ISA_ENC_VOP3P; *op = (w >> 16) & 0x7f; return 0; }
	switch (w >> 26) {
	case 0x35: *enc = ISA_ENC_VOP3; *op = (w >> 16) & 0x3ff; return 0;
	case 0x38: *enc = ISA_ENC_MUBUF; *op = (w >> 18) & 0xff; return 0;
	case 0x3a:
		/* MTBUF: opcode bits 2:0 in word 0, bit 3 in word 1 */
		if (nwords < 2)
			return -EOVERFLOW;
		*enc = ISA_ENC_MTBUF;
		*op = ((w >> 16) & 7) | ((words[1] >> 21) & 1) << 3;
		return 0;
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
	if ((w >> 26) == 0x3c) {
		*enc = ISA_ENC_MIMG;
		*op = ((w >> 18) & 0x7f) | (w & 1) << 7;
		return 0;
	}
	/* EXP (0x3e), VINTRP (0x32): not covered */
	return -EILSEQ;
}

int isa_mimg_fields_gfx103(struct isa_inst *in, const uint32_t *words, unsigned *nsa_dwords)
{
	uint32_t w0 = words[0], w1 = words[1];
	*nsa_dwords = (w0 >> 1) & 3;
	in->nsa = (uint8_t)(*nsa_dwords != 0);
	in->dim = (uint8_t)((w0 >> 3) & 7);
	in->dlc = (uint8_t)((w0 >> 7) & 1);
	in->dmask = (uint8_t)((w0 >> 8) & 0xf);
	in->unorm = (uint8_t)((w0 >> 12) & 1);
	in->glc = (uint8_t)((w0 >> 13) & 1);
	in->r128 = (uint8_t)((w0 >> 15) & 1);
	in->tfe = (uint8_t)((w0 >> 16) & 1);
	in->lwe = (uint8_t)((w0 >> 17) & 1);
	in->slc = (uint8_t)((w0 >> 25) & 1);
	in->a16 = (uint8_t)((w1 >> 30) & 1);
	in->d16 = (uint8_t)((w1 >> 31) & 1);
	/* SSAMP (no sampler for these opcodes) must be 0, as gfx11's */
	if ((w1 >> 21) & 0x1f)
		return -EILSEQ;
	return 0;
}

/* Fields that hold a scalar register code (renumbered m0/null). */
static int scalar_field(const struct isa_inst *in, uint8_t f, unsigned v)
{
	switch (f) {
	case ISA_FLD_SDST: case ISA_FLD_SSRC0: case ISA_FLD_SSRC1:
	case ISA_FLD_SDST3: case ISA_FLD_VDST_SGPR: case ISA_FLD_SDATA:
	case ISA_FLD_SOFFSET: case ISA_FLD_SADDR: case ISA_FLD_MSOFF:
	case ISA_FLD_SBASE: case ISA_FLD_SRSRC:
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
		/* scratch: SADDR 0x7f is "off" as well (no scalar and no
		 * VGPR address: the offset alone), as LLVM decodes it */
		if (in->enc == ISA_ENC_SCRATCH && f == ISA_FLD_SADDR && v == 0x7f)
			return 124;
		break;
	case ISA_ENC_MUBUF: case ISA_ENC_MTBUF:
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
	/* VOP1 has no src1: its select, modifiers and S1 must be zero */
	if (in->enc == ISA_ENC_VOP1 && (dw & 0xbf000000u))
		return -EILSEQ;
	/* the modifiers the opcode takes (gen_optable_gfx103.py probe_sdwa):
	 * 'X' set is invalid, 'I' set has no effect */
	const char *m = in->desc->dpp_mods;
	if (!m || strlen(m) < 12)
		return -EILSEQ;
	m += 4;
	static const uint8_t bit[8] = {19, 20, 21, 27, 28, 29, 13, 14};
	for (unsigned i = 0; i < 8; i++) {
		unsigned set = i == 7 ? (dw >> 14) & 3 : (dw >> bit[i]) & 1;
		if (set && m[i] == 'X')
			return -EILSEQ;
	}
	if (in->enc != ISA_ENC_VOPC) {
		in->dst_sel = (uint8_t)((dw >> 8) & 7);
		in->dst_unused = (uint8_t)((dw >> 11) & 3);
		in->clamp = (uint8_t)(m[6] == 'P' ? (dw >> 13) & 1 : 0);
		in->omod = (uint8_t)(m[7] == 'P' ? (dw >> 14) & 3 : 0);
		if (in->dst_sel > 6)
			return -EILSEQ;
		/* dst_unused 3 is reserved; LLVM 19 decodes and prints it as
		 * UNUSED_PAD, and so does this decoder */
		if (in->dst_unused == 3)
			in->dst_unused = 0;
	} else {
		in->dst_sel = 6;
		/* v_cmpx_*: no SGPR destination to name (SD must be clear) */
		int has_dst = 0;
		for (unsigned i = 0; i < in->desc->nslots; i++)
			if (in->desc->slot[i].field == ISA_FLD_VCC)
				has_dst = 1;
		if (!has_dst && ((dw >> 15) & 1))
			return -EILSEQ;
	}
	*src0 = (dw >> 23) & 1 ? isa_sreg_gfx103(dw & 0xff) : 256 + (dw & 0xff);
	return 0;
}

/* SDWA: the source modifiers of the SDWA dword (neg, abs, sext per
 * source), the S1 scalar src1, and VOPC's SGPR destination. */
int isa_sdwa_extra_gfx103(struct isa_inst *in)
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
		const char *m = in->desc->dpp_mods + 4 + (sh == 19 ? 0 : 3);
		o->sext = (uint8_t)(m[0] == 'P' && ((dw >> sh) & 1));
		o->neg = (uint8_t)(m[1] == 'P' && ((dw >> (sh + 1)) & 1));
		o->abs = (uint8_t)(m[2] == 'P' && ((dw >> (sh + 2)) & 1));
	}
	return 0;
}

/* The lds bit (MUBUF bit 16, FLAT bit 13): the load goes to LDS, and
 * the data register is not an operand (LLVM ignores its field).  Only
 * these opcodes take it, as llvm-objdump-19 --mcpu=gfx1030 decides
 * (probed): buffer_load_format_x, and the ubyte, sbyte, ushort, sshort
 * and dword loads of MUBUF, GLOBAL and SCRATCH (opcodes 8..12). */
static int take_lds(struct isa_inst *in, uint8_t data_field)
{
	unsigned op = in->desc->op;
	if (!((op >= 8 && op <= 12) || (in->enc == ISA_ENC_MUBUF && op == 0)) ||
	    in->enc == ISA_ENC_FLAT)
		return -EILSEQ;
	unsigned j = 0;
	for (unsigned i = 0; i < in->nops; i++)
		if (in->ops[i].field != data_field)
			in->ops[j++] = in->ops[i];
	in->nops = (uint8_t)j;
	in->lds = 1;
	return 0;
}

int isa_decode_extra_gfx103(struct isa_inst *in)
{
	uint32_t w0 = in->words[0], w1 = in->words[1];
	switch (in->enc) {
	case ISA_ENC_VOP1: case ISA_ENC_VOP2: case ISA_ENC_VOPC:
		return in->sdwa ? isa_sdwa_extra_gfx103(in) : 1;
	case ISA_ENC_SMEM:
		/* only the loads take glc/dlc; the other SMEM opcodes ignore
		 * the bits, as LLVM does (gen_optable_gfx103.py asserts it) */
		if (!strncmp(in->desc->name, "s_load_", 7) ||
		    !strncmp(in->desc->name, "s_buffer_load_", 14)) {
			in->glc = (uint8_t)((w0 >> 16) & 1);
			in->dlc = (uint8_t)((w0 >> 14) & 1);
		}
		in->offset = (int32_t)((w1 & 0x1fffff) << 11) >> 11;
		return 0;
	case ISA_ENC_FLAT: case ISA_ENC_SCRATCH: case ISA_ENC_GLOBAL:
		if (((w0 >> 13) & 1) && take_lds(in, ISA_FLD_VDST))
			return -EILSEQ;
		if ((w1 >> 23) & 1)
			return -EILSEQ;   /* NV (non-volatile): LLVM 19 rejects it */
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
	case ISA_ENC_MUBUF: case ISA_ENC_MTBUF:
		if (in->enc == ISA_ENC_MTBUF)
			in->format = (uint8_t)((w0 >> 19) & 0x7f);
		else if (((w0 >> 16) & 1) && (take_lds(in, ISA_FLD_DATA0) || ((w1 >> 23) & 1)))
			return -EILSEQ;   /* (no tfe with lds) */
		in->tfe = (uint8_t)((w1 >> 23) & 1);
		in->offset = (int32_t)(w0 & 0xfff);
		in->offen = (uint8_t)((w0 >> 12) & 1);
		in->idxen = (uint8_t)((w0 >> 13) & 1);
		in->glc = (uint8_t)((w0 >> 14) & 1);
		in->dlc = (uint8_t)((w0 >> 15) & 1);
		in->slc = (uint8_t)((w1 >> 22) & 1);
		/* buffer_gl0_inv/gl1_inv take no operand: LLVM ignores their
		 * offset, index and address fields */
		if (in->desc->nslots == 0)
			in->offset = in->offen = in->idxen = in->slc = in->tfe = 0;
		/* atomics take glc (the returning form) but not dlc, as LLVM
		 * decides (gen_optable_gfx103.py asserts that by probing) */
		if (in->dlc && !strncmp(in->desc->name, "buffer_atomic", 13))
			return -EILSEQ;
		return 0;
	default:
		return 1;
	}
}
