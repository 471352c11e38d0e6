/* gfx9 (GCN 5, Vega) field extraction for the decoder of isa_decode.c:
 * the encodings, their opcode tables (isa_optable_gfx9.c) and the bit
 * positions that differ from gfx11.  Layouts were read off llvm-mc-19
 * -mcpu=gfx900 -show-encoding and are checked by the gfx9 corpus
 * (tools/isa-corpus-check.sh --gfx9):
 *   SMEM   prefix 110000; op 25:18, imm 17, glc 16, nv 15 (ignored), soe
 *          14, sdata 12:6, sbase 5:0; word 1: offset 20:0 (signed, with
 *          imm) or an SGPR code (without imm and soe), soffset 31:25 (soe)
 *   VOP3   prefix 110100; no literal constant; VOP3P 110100111, op 22:16
 *   DS     op 24:17, gds 16
 *   FLAT   offset 12:0 (flat: 12 bits unsigned, global/scratch: 13 bits
 *          signed), lds 13, seg 15:14, glc 16, slc 17, op 24:18; saddr
 *          0x7f = off (flat: saddr 0), nv (word 1 bit 23) ignored
 *   MUBUF  offset 11:0, offen 12, idxen 13, glc 14, lds 16, slc 17, op
 *          24:18 (bit 25 ignored); word 1: tfe 23
 *   MTBUF  op 18:15, dfmt 22:19, nfmt 25:23; else as MUBUF
 *   SDWA   as gfx10.3 (VOPC: sdst 14:8 with sd 15)
 *   DPP    no fi bit (bit 18 ignored); wave_* and row_bcast controls
 *          (gfx90a adds row_newbcast 0x150-0x15f: isa_decode.c)
 *   MIMG   op 24:18 and bit 0 (opcode bit 7), dmask 11:8, unorm 12, glc
 *          13, da 14, a16 15, tfe 16, lwe 17, slc 25 (bits 7:1 ignored);
 *          word 1: vaddr 7:0, vdata 15:8, srsrc 20:16, ssamp 25:21, d16
 *          31 (30:26 ignored); gfx90a: bit 16 acc, bit 7 scc, opcodes
 *          0-32 (isa_decode_mimg_gfx90a)
 *   scalar registers: flat_scratch 102:103, xnack_mask 104:105 (codes
 *          kept), m0 124 (given as gfx11's 125), no null register.
 *   EXP    en 3:0, target 9:4, compr 10, done 11, vm 12 (25:13 ignored);
 *          word 1: vsrc0..3, one byte each
 *   VINTRP prefix 110101: vsrc 7:0 (v_interp_mov: the parameter), chan
 *          9:8, attr 15:10, op 17:16, vdst 25:18
 *   VOP3 v_interp_* (0x270-0x277): src0 = attr 5:0, chan 7:6, high 8;
 *          src1 the VGPR (mov: the parameter), src2 the f16 forms' VGPR */
#include <errno.h>
#include <string.h>

#include "isa_table_gfx9.h"
#include "isa_table_gfx103.h"

static const struct {
	const struct isa_opdesc *tab;
	const unsigned *n;
} tables[ISA_ENC_COUNT] = {
	[ISA_ENC_SOP2] = {isa_tab9_sop2, &isa_tab9_sop2_n},
	[ISA_ENC_SOP1] = {isa_tab9_sop1, &isa_tab9_sop1_n},
	[ISA_ENC_SOPC] = {isa_tab9_sopc, &isa_tab9_sopc_n},
	[ISA_ENC_SOPK] = {isa_tab9_sopk, &isa_tab9_sopk_n},
	[ISA_ENC_SOPP] = {isa_tab9_sopp, &isa_tab9_sopp_n},
	[ISA_ENC_SMEM] = {isa_tab9_smem, &isa_tab9_smem_n},
	[ISA_ENC_VOP1] = {isa_tab9_vop1, &isa_tab9_vop1_n},
	[ISA_ENC_VOP2] = {isa_tab9_vop2, &isa_tab9_vop2_n},
	[ISA_ENC_VOPC] = {isa_tab9_vopc, &isa_tab9_vopc_n},
	[ISA_ENC_VOP3] = {isa_tab9_vop3, &isa_tab9_vop3_n},
	[ISA_ENC_DS] = {isa_tab9_ds, &isa_tab9_ds_n},
	[ISA_ENC_FLAT] = {isa_tab9_flat, &isa_tab9_flat_n},
	[ISA_ENC_SCRATCH] = {isa_tab9_scratch, &isa_tab9_scratch_n},
	[ISA_ENC_GLOBAL] = {isa_tab9_global, &isa_tab9_global_n},
	[ISA_ENC_VOP3P] = {isa_tab9_vop3p, &isa_tab9_vop3p_n},
	[ISA_ENC_MUBUF] = {isa_tab9_mubuf, &isa_tab9_mubuf_n},
	[ISA_ENC_MTBUF] = {isa_tab9_xmtbuf, &isa_tab9_xmtbuf_n},
	[ISA_ENC_MIMG] = {isa_tab9_mimg, &isa_tab9_mimg_n},
	[ISA_ENC_EXP] = {isa_tab9_xexp, &isa_tab9_xexp_n},
	[ISA_ENC_VINTRP] = {isa_tab9_xvintrp, &isa_tab9_xvintrp_n},
};

static const struct {
	const struct isa_opdesc *tab;
	const unsigned *n;
} tables906[ISA_ENC_COUNT] = {
	[ISA_ENC_SOP2] = {isa_tab906_sop2, &isa_tab906_sop2_n},
	[ISA_ENC_SOP1] = {isa_tab906_sop1, &isa_tab906_sop1_n},
	[ISA_ENC_SOPC] = {isa_tab906_sopc, &isa_tab906_sopc_n},
	[ISA_ENC_SOPK] = {isa_tab906_sopk, &isa_tab906_sopk_n},
	[ISA_ENC_SOPP] = {isa_tab906_sopp, &isa_tab906_sopp_n},
	[ISA_ENC_SMEM] = {isa_tab906_smem, &isa_tab906_smem_n},
	[ISA_ENC_VOP1] = {isa_tab906_vop1, &isa_tab906_vop1_n},
	[ISA_ENC_VOP2] = {isa_tab906_vop2, &isa_tab906_vop2_n},
	[ISA_ENC_VOPC] = {isa_tab906_vopc, &isa_tab906_vopc_n},
	[ISA_ENC_VOP3] = {isa_tab906_vop3, &isa_tab906_vop3_n},
	[ISA_ENC_DS] = {isa_tab906_ds, &isa_tab906_ds_n},
	[ISA_ENC_FLAT] = {isa_tab906_flat, &isa_tab906_flat_n},
	[ISA_ENC_SCRATCH] = {isa_tab906_scratch, &isa_tab906_scratch_n},
	[ISA_ENC_GLOBAL] = {isa_tab906_global, &isa_tab906_global_n},
	[ISA_ENC_VOP3P] = {isa_tab906_vop3p, &isa_tab906_vop3p_n},
	[ISA_ENC_MUBUF] = {isa_tab906_mubuf, &isa_tab906_mubuf_n},
};

static const struct {
	const struct isa_opdesc *tab;
	const unsigned *n;
} tables90a[ISA_ENC_COUNT] = {
	[ISA_ENC_SOP2] = {isa_tab90a_sop2, &isa_tab90a_sop2_n},
	[ISA_ENC_SOP1] = {isa_tab90a_sop1, &isa_tab90a_sop1_n},
	[ISA_ENC_SOPC] = {isa_tab90a_sopc, &isa_tab90a_sopc_n},
	[ISA_ENC_SOPK] = {isa_tab90a_sopk, &isa_tab90a_sopk_n},
	[ISA_ENC_SOPP] = {isa_tab90a_sopp, &isa_tab90a_sopp_n},
	[ISA_ENC_SMEM] = {isa_tab90a_smem, &isa_tab90a_smem_n},
	[ISA_ENC_VOP1] = {isa_tab90a_vop1, &isa_tab90a_vop1_n},
	[ISA_ENC_VOP2] = {isa_tab90a_vop2, &isa_tab90a_vop2_n},
	[ISA_ENC_VOPC] = {isa_tab90a_vopc, &isa_tab90a_vopc_n},
	[ISA_ENC_VOP3] = {isa_tab90a_vop3, &isa_tab90a_vop3_n},
	[ISA_ENC_DS] = {isa_tab90a_ds, &isa_tab90a_ds_n},
	[ISA_ENC_FLAT] = {isa_tab90a_flat, &isa_tab90a_flat_n},
	[ISA_ENC_SCRATCH] = {isa_tab90a_scratch, &isa_tab90a_scratch_n},
	[ISA_ENC_GLOBAL] = {isa_tab90a_global, &isa_tab90a_global_n},
	[ISA_ENC_VOP3P] = {isa_tab90a_vop3p, &isa_tab90a_vop3p_n},
	[ISA_ENC_MUBUF] = {isa_tab90a_mubuf, &isa_tab90a_mubuf_n},
};

const struct isa_opdesc *isa_lookup_gfx9(enum isa_enc enc, unsigned op, enum isa_gen target)
{
	if ((unsigned)enc >= ISA_ENC_COUNT || !tables[enc].tab)
		return NULL;
	/* gfx90a's MIMG keeps gfx900's loads, stores, atomics, get_resinfo
	 * and image_sample (opcodes 0-32; llvm-objdump-19 --mcpu=gfx90a
	 * refuses every other sampling opcode); its layout differs
	 * (isa_decode_mimg_gfx90a) */
	if (enc == ISA_ENC_MIMG && target == ISA_GEN_GFX90A && op > 32)
		return NULL;
	/* gfx90a has no EXP, VINTRP or v_interp_* (llvm-objdump-19
	 * --mcpu=gfx90a refuses them) */
	if (target == ISA_GEN_GFX90A && (enc == ISA_ENC_EXP || enc == ISA_ENC_VINTRP ||
					 (enc == ISA_ENC_VOP3 && op >= 0x270 && op <= 0x277)))
		return NULL;
	/* gfx906's or gfx90a's own entry (a NULL name: no such opcode there) */
	const struct isa_opdesc *dt = target == ISA_GEN_GFX906 ? tables906[enc].tab
				      : target == ISA_GEN_GFX90A ? tables90a[enc].tab : NULL;
	if (target == ISA_GEN_GFX90A) {
		const struct isa_opdesc *m = isa_lookup_mai_gfx90a(enc, op);
		if (m)
			return m;
	}
	if (dt) {
		const unsigned *dn = target == ISA_GEN_GFX906 ? tables906[enc].n : tables90a[enc].n;
		const struct isa_opdesc *d = isa_find_op(dt, *dn, op);
		if (d)
			return d->name ? d : NULL;
	}
	/* sorted by opcode: binary search, then the hand-written entries
	 * (isa_optable_gfx9_extra.c) */
	const struct isa_opdesc *d = isa_find_op(tables[enc].tab, *tables[enc].n, op);
	if (d)
		return d;
	static const struct isa_xtab extra[] = {
		{ISA_ENC_SOPC, isa_tab9_xsopc, &isa_tab9_xsopc_n},
		{ISA_ENC_SOPK, isa_tab9_xsopk, &isa_tab9_xsopk_n},
		{ISA_ENC_SMEM, isa_tab9_xsmem, &isa_tab9_xsmem_n},
		{ISA_ENC_DS, isa_tab9_xds, &isa_tab9_xds_n},
		{ISA_ENC_MUBUF, isa_tab9_xmubuf, &isa_tab9_xmubuf_n},
		{ISA_ENC_VOP3, isa_tab9_xinterp, &isa_tab9_xinterp_n},
	};
	return isa_scan_op(extra, sizeof extra / sizeof extra[0], enc, op);
}

int isa_classify_gfx9(const uint32_t *words, size_t nwords, enum isa_enc *enc,
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
	if ((w >> 23) == 0x1a7) { *enc = ISA_ENC_VOP3P; *op = (w >> 16) & 0x7f; return 0; }
	switch (w >> 26) {
	case 0x34: *enc = ISA_ENC_VOP3; *op = (w >> 16) & 0x3ff; return 0;
	case 0x38: *enc = ISA_ENC_MUBUF; *op = (w >> 18) & 0x7f; return 0;
	case 0x3a: *enc = ISA_ENC_MTBUF; *op = (w >> 15) & 0xf; return 0;
	case 0x30: *enc = ISA_ENC_SMEM; *op = (w >> 18) & 0xff; return 0;
	case 0x36: *enc = ISA_ENC_DS; *op = (w >> 17) & 0xff; return 0;
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
	if ((w >> 26) == 0x31) { *enc = ISA_ENC_EXP; *op = 0; return 0; }
	if ((w >> 26) == 0x35) { *enc = ISA_ENC_VINTRP; *op = (w >> 16) & 3; *len = 1; return 0; }
	return -EILSEQ;
}

/* Fields that hold a scalar register code (renumbered m0). */
static int scalar_field(const struct isa_inst *in, uint8_t f, unsigned v)
{
	switch (f) {
	case ISA_FLD_SDST: case ISA_FLD_SSRC0: case ISA_FLD_SSRC1:
	case ISA_FLD_SDST3: case ISA_FLD_VDST_SGPR: case ISA_FLD_SDATA:
	case ISA_FLD_MSOFF: case ISA_FLD_SBASE: case ISA_FLD_SRSRC:
		return 1;
	case ISA_FLD_SRC0: case ISA_FLD_SRC1: case ISA_FLD_SRC2:
		return v < 128 && in->enc != ISA_ENC_SMEM;
	default:
		return 0;
	}
}

unsigned isa_field_value_gfx9(const struct isa_inst *in, uint8_t f)
{
	uint32_t w0 = in->words[0], w1 = in->words[1];
	unsigned v;
	switch (in->enc) {
	case ISA_ENC_SMEM: {
		unsigned imm = (w0 >> 17) & 1, soe = (w0 >> 14) & 1;
		if (f == ISA_FLD_SDATA) v = (w0 >> 6) & 0x7f;
		else if (f == ISA_FLD_SBASE) return (w0 & 0x3f) << 1;
		else if (f == ISA_FLD_SMEM_W1) return imm;   /* what must be clear */
		else if (f == ISA_FLD_SMEM_CACHE) return (w0 >> 16) & 1;
		else if (f == ISA_FLD_SOFFSET)
			return soe ? isa_sreg_gfx9(w1 >> 25) : imm ? 124u : isa_sreg_gfx9(w1 & 0x7f);
		else return 0;
		break;
	}
	case ISA_ENC_DS:
		if (f == ISA_FLD_DS_GDS) return (w0 >> 16) & 1;
		return isa_field_value_gfx11(in, f);
	case ISA_ENC_FLAT: case ISA_ENC_SCRATCH: case ISA_ENC_GLOBAL:
		if (f == ISA_FLD_SADDR) {
			v = (w1 >> 16) & 0x7f;
			return v == 0x7f ? 124u : isa_sreg_gfx9(v);
		}
		return isa_field_value_gfx11(in, f);
	case ISA_ENC_MUBUF: case ISA_ENC_MTBUF:
		if (f == ISA_FLD_MUBUF_TFE) return (w1 >> 23) & 1;
		if (f == ISA_FLD_MUBUF_IDX) return (w0 >> 12) & 3;        /* offen, idxen */
		if (f == ISA_FLD_MUBUF_CACHE)
			return ((w0 >> 17) & 1) | ((w0 >> 14) & 1) << 1;   /* slc, glc */
		v = isa_field_value_gfx11(in, f);
		break;
	default:
		v = isa_field_value_gfx11(in, f);
		break;
	}
	return scalar_field(in, f, v) ? isa_sreg_gfx9(v) : v;
}

int isa_dpp_ctrl_ok_gfx9(unsigned c)
{
	return c <= 0xff || (c >= 0x101 && c <= 0x10f) || (c >= 0x111 && c <= 0x11f) ||
	       (c >= 0x121 && c <= 0x12f) || c == 0x130 || c == 0x134 || c == 0x138 ||
	       c == 0x13c || (c >= 0x140 && c <= 0x143);
}

/* The lds bit (MUBUF bit 16, GLOBAL/SCRATCH bit 13): the load goes to
 * LDS and the data register is not an operand.  Only these opcodes take
 * it, as llvm-objdump-19 --mcpu=gfx900 decides: buffer_load_format_x and
 * the ubyte, sbyte, ushort, sshort and dword loads (opcodes 16..20). */
static int take_lds(struct isa_inst *in, uint8_t data_field)
{
	unsigned op = in->desc->op;
	if (!((op >= 16 && op <= 20) || (in->enc == ISA_ENC_MUBUF && op == 0)) ||
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

static const char *const smem_glc[] = {"s_load_", "s_buffer_load_", "s_store_",
				       "s_buffer_store_", "s_scratch_", "s_atomic_",
				       "s_buffer_atomic_"};

int isa_decode_extra_gfx9(struct isa_inst *in)
{
	uint32_t w0 = in->words[0], w1 = in->words[1];
	int rc = isa_decode_extra_gfx90a(in);   /* MFMA, v_accvgpr_* */
	if (rc != 1)
		return rc;
	switch (in->enc) {
	case ISA_ENC_VOP1: case ISA_ENC_VOP2: case ISA_ENC_VOPC:
		return in->sdwa ? isa_sdwa_extra_gfx103(in) : 1;
	case ISA_ENC_VOP3:
		/* a lane mask is an SGPR pair: LLVM takes an odd SGPR or ttmp
		 * (aligned down) but not the high half of flat_scratch,
		 * xnack_mask, vcc or exec, nor m0 */
		for (unsigned i = 0; i < in->nops; i++) {
			const struct isa_operand *o = &in->ops[i];
			int mask = o->lanemask || o->field == ISA_FLD_SDST3 ||
				   (o->field == ISA_FLD_VDST_SGPR && !strncmp(in->desc->name, "v_cmp", 5));
			if (mask && o->kind == ISA_OPK_SREG &&
			    (o->code == 103 || o->code == 105 || o->code == 107 ||
			     o->code == 125 || o->code == 127))
				return -EILSEQ;
		}
		return 1;
	case ISA_ENC_SMEM:
		/* glc: printed by LLVM for the loads, stores and atomics, ignored
		 * by the other opcodes (gen_optable_gfx9.py asserts it) */
		for (size_t i = 0; i < sizeof smem_glc / sizeof smem_glc[0]; i++)
			if (!strncmp(in->desc->name, smem_glc[i], strlen(smem_glc[i])))
				in->glc = (uint8_t)((w0 >> 16) & 1);
		/* imm: a 21-bit signed byte offset; without imm the offset
		 * field is a register (or unused, with soe) */
		in->offset = ((w0 >> 17) & 1) ? (int32_t)((w1 & 0x1fffff) << 11) >> 11 : 0;
		for (unsigned i = 0; i < in->nops; i++) {
			if (in->ops[i].field != ISA_FLD_SOFFSET)
				continue;
			unsigned imm = (w0 >> 17) & 1, soe = (w0 >> 14) & 1;
			/* the register code as encoded: 125 is no register on
			 * gfx9 (it arrives as 124, the "none" of imm alone) */
			if ((soe ? w1 >> 25 : imm ? 0 : w1 & 0x7f) == 125)
				return -EILSEQ;
			if (imm && !soe)
				in->ops[i].kind = ISA_OPK_OFF;   /* the offset alone */
		}
		return 0;
	case ISA_ENC_DS:
		in->offset0 = (uint8_t)(w0 & 0xff);
		in->offset1 = (uint8_t)((w0 >> 8) & 0xff);
		in->gds = (uint8_t)((w0 >> 16) & 1);
		in->offset = in->offset0 | in->offset1 << 8;
		return 0;
	case ISA_ENC_FLAT: case ISA_ENC_SCRATCH: case ISA_ENC_GLOBAL: {
		unsigned saddr = (w1 >> 16) & 0x7f;
		/* lds: not with nv (word 1 bit 23), which LLVM otherwise ignores */
		if (((w0 >> 13) & 1) && (take_lds(in, ISA_FLD_VDST) || ((w1 >> 23) & 1)))
			return -EILSEQ;
		/* flat takes no scalar address (saddr 0); gfx9 has no null */
		if (in->enc == ISA_ENC_FLAT ? saddr != 0 : saddr == 125)
			return -EILSEQ;
		/* flat: a 12-bit unsigned offset (bit 12 must be clear) */
		if (in->enc == ISA_ENC_FLAT && ((w0 >> 12) & 1))
			return -EILSEQ;
		in->sve = in->enc == ISA_ENC_SCRATCH && saddr == 0x7f;
		in->offset = in->enc == ISA_ENC_FLAT ? (int32_t)(w0 & 0xfff)
			     : (int32_t)((w0 & 0x1fff) << 19) >> 19;
		in->glc = (uint8_t)((w0 >> 16) & 1);
		in->slc = (uint8_t)((w0 >> 17) & 1);
		return 0;
	}
	case ISA_ENC_MUBUF: case ISA_ENC_MTBUF:
		if (in->enc == ISA_ENC_MTBUF)
			in->format = (uint8_t)((w0 >> 19) & 0x7f);   /* dfmt | nfmt << 4 */
		else if (!strcmp(in->desc->name, "buffer_store_lds_dword")) {
			if (!((w0 >> 16) & 1))
				return -EILSEQ;   /* only with lds */
			in->lds = 1;
		} else if (((w0 >> 16) & 1) && (take_lds(in, ISA_FLD_DATA0) || ((w1 >> 23) & 1)))
			return -EILSEQ;   /* (no tfe with lds) */
		in->tfe = (uint8_t)((w1 >> 23) & 1);
		in->offset = (int32_t)(w0 & 0xfff);
		in->offen = (uint8_t)((w0 >> 12) & 1);
		in->idxen = (uint8_t)((w0 >> 13) & 1);
		in->glc = (uint8_t)((w0 >> 14) & 1);
		in->slc = (uint8_t)((in->enc == ISA_ENC_MTBUF ? w1 >> 22 : w0 >> 17) & 1);
		/* cache invalidations take no operand: LLVM ignores their
		 * offset, address and slc fields, and refuses offen, idxen,
		 * glc, bit 15, lds and tfe */
		if (in->desc->nslots == 0) {
			if (((w0 >> 12) & 0x1f) || in->tfe)
				return -EILSEQ;
			in->offset = in->offen = in->idxen = in->slc = in->tfe = 0;
		}
		return 0;
	default:
		return 1;
	}
}

/* MIMG.  The data register count is what llvm-objdump-19 prints: the
 * data size (dmask components, or four for gather4; halved, rounded up,
 * by d16; plus the tfe dword) through the opcode's table of printed
 * counts (dpp_mods, probed: the atomics print odd counts for odd sizes),
 * and the opcode's own count (slot 0) when that size has no form or runs
 * past v255.  The address count is the opcode's own (slot 1): LLVM's
 * gfx9 disassembler does not derive it from da or a16. */
static int decode_mimg(struct isa_inst *in, const uint32_t *words, size_t nwords, int gfx90a)
{
	const struct isa_opdesc *d = in->desc;
	uint32_t w0 = words[0], w1 = words[1];
	if (nwords < 2)
		return -EOVERFLOW;
	in->dmask = (uint8_t)((w0 >> 8) & 0xf);
	in->unorm = (uint8_t)((w0 >> 12) & 1);
	in->glc = (uint8_t)((w0 >> 13) & 1);
	in->da = (uint8_t)((w0 >> 14) & 1);
	in->a16 = (uint8_t)((w0 >> 15) & 1);
	/* gfx90a: bit 16 selects AccVGPR data (no tfe), bit 7 is scc */
	in->tfe = (uint8_t)(gfx90a ? 0 : (w0 >> 16) & 1);
	in->scc = (uint8_t)(gfx90a ? (w0 >> 7) & 1 : 0);
	in->lwe = (uint8_t)((w0 >> 17) & 1);
	in->slc = (uint8_t)((w0 >> 25) & 1);
	in->d16 = (uint8_t)((w1 >> 31) & 1);
	if (in->d16 && (d->flags & ISA_OPF_MIMG_NO_D16))
		return -EILSEQ;
	unsigned size = (d->flags & ISA_OPF_MIMG_4COMP) ? 4u
			: in->dmask ? (unsigned)__builtin_popcount(in->dmask) : 1u;
	if (in->d16)
		size = (size + 1) / 2;
	size += in->tfe;
	unsigned fallback = d->slot[0].bits / 32, vdata = (w1 >> 8) & 0xff;
	unsigned n = d->dpp_mods && d->dpp_mods[size - 1] != '0'
		     ? (unsigned)(d->dpp_mods[size - 1] - '0') : fallback;
	if (vdata + n > 256)
		n = fallback;
	unsigned srsrc = ((w1 >> 16) & 0x1f) * 4, ssamp = ((w1 >> 21) & 0x1f) * 4;
	int sampler = d->nslots == 4;
	/* no sampler: the ssamp field must be clear; a resource at m0/exec
	 * (field 31) is no register tuple */
	if ((!sampler && ssamp) || srsrc >= 124 || (sampler && ssamp >= 124))
		return -EILSEQ;
	in->nops = d->nslots;
	static const uint8_t fld[4] = {ISA_FLD_DATA0, ISA_FLD_ADDR, ISA_FLD_SRSRC, ISA_FLD_SSAMP};
	for (unsigned i = 0; i < in->nops; i++) {
		struct isa_operand *o = &in->ops[i];
		o->field = fld[i];
		o->bits = d->slot[i].bits;
	}
	in->ops[0].bits = (uint16_t)(32 * n);
	if (isa_decode_vgpr(&in->ops[0], vdata) || isa_decode_vgpr(&in->ops[1], w1 & 0xff) ||
	    isa_decode_sreg(&in->ops[2], srsrc) || (sampler && isa_decode_sreg(&in->ops[3], ssamp)))
		return -EILSEQ;
	if (gfx90a && ((w0 >> 16) & 1))
		in->ops[0].kind = ISA_OPK_AGPR;
	in->words[0] = w0;
	in->words[1] = w1;
	in->nwords = 2;
	return 2;
}

int isa_decode_mimg_gfx9(struct isa_inst *in, const uint32_t *words, size_t nwords)
{
	return decode_mimg(in, words, nwords, 0);
}

/* gfx90a's MIMG: gfx900's layout with word 0 bit 16 selecting AccVGPR
 * data (vdata an ISA_OPK_AGPR range; gfx90a has no tfe) and bit 7 the
 * scc cache bit, printed after slc (read off llvm-mc-19 -mcpu=gfx90a and
 * -disassemble of every single-bit change of a valid word) */
int isa_decode_mimg_gfx90a(struct isa_inst *in, const uint32_t *words, size_t nwords)
{
	return decode_mimg(in, words, nwords, 1);
}

/* A VOP3 v_interp_* source: a VGPR or a special source code, else
 * -EILSEQ. */
static int interp_src(struct isa_operand *o, unsigned code)
{
	if (code >= 256)
		return isa_decode_vgpr(o, code - 256);
	if ((code >= 235 && code <= 239) || (code >= 251 && code <= 253)) {
		o->kind = ISA_OPK_SPECIAL;
		o->code = (uint16_t)code;
		return 0;
	}
	return -EILSEQ;
}

/* EXP, VINTRP and the VOP3 v_interp_* forms (graphics: decoded and
 * printed as llvm-objdump-19 --mcpu=gfx900 does, not executed). */
int isa_decode_graphics_gfx9(struct isa_inst *in, const uint32_t *words, size_t nwords)
{
	const struct isa_opdesc *d = in->desc;
	uint32_t w0 = words[0];
	unsigned len = in->enc == ISA_ENC_VINTRP ? 1u : 2u;
	if (nwords < len)
		return -EOVERFLOW;
	uint32_t w1 = len > 1 ? words[1] : 0;
	in->nops = d->nslots;
	for (unsigned i = 0; i < in->nops; i++) {
		in->ops[i].field = d->slot[i].field;
		in->ops[i].bits = 32;
	}
	if (in->enc == ISA_ENC_EXP) {
		in->exp_en = (uint8_t)(w0 & 0xf);
		in->exp_target = (uint8_t)((w0 >> 4) & 0x3f);
		in->compr = (uint8_t)((w0 >> 10) & 1);
		in->done = (uint8_t)((w0 >> 11) & 1);
		in->vm = (uint8_t)((w0 >> 12) & 1);
		for (unsigned i = 0; i < 4; i++) {
			/* compr: LLVM prints vsrc0 twice, then vsrc1 twice */
			unsigned src = in->compr ? i / 2 : i;
			isa_decode_vgpr(&in->ops[i], (w1 >> (8 * src)) & 0xff);
			if (!((in->exp_en >> i) & 1))
				in->ops[i].kind = ISA_OPK_OFF;
		}
	} else if (in->enc == ISA_ENC_VINTRP) {
		in->attr = (uint8_t)((w0 >> 10) & 0x3f);
		in->attr_chan = (uint8_t)((w0 >> 8) & 3);
		isa_decode_vgpr(&in->ops[0], (w0 >> 18) & 0xff);
		if (d->slot[1].bits == 8) {   /* v_interp_mov: the parameter */
			in->ops[1].kind = ISA_OPK_IMM;
			in->ops[1].value = w0 & 0xff;
		} else {
			isa_decode_vgpr(&in->ops[1], w0 & 0xff);
		}
		in->ops[2].kind = ISA_OPK_IMM;
		in->ops[2].value = (w0 >> 8) & 0xff;
	} else {
		/* VOP3: abs 10:8, op_sel 14:11 (ignored, as LLVM does), clamp
		 * 15; src0 8:0, src1 17:9, src2 26:18, omod 28:27, neg 31:29 */
		unsigned abs = (w0 >> 8) & 7, neg = (w1 >> 29) & 7, omod = (w1 >> 27) & 3;
		unsigned src0 = w1 & 0x1ff, src1 = (w1 >> 9) & 0x1ff, src2 = (w1 >> 18) & 0x1ff;
		int mov = d->slot[1].bits == 9, three = d->nslots == 4;
		int f16 = strstr(d->name, "_f16") != NULL;
		/* the attribute takes no modifier; mov's parameter neither; a
		 * two-source form's SRC2 field and its modifiers must be clear;
		 * high only for the f16 forms; omod only where it prints */
		unsigned mods_ok = mov ? 0u : three ? 6u : 2u;
		if (((abs | neg) & ~mods_ok) || (!three && src2) || (!f16 && (src0 & 0x100)) ||
		    (omod && !(d->flags & ISA_OPF_OMOD_PRINT)))
			return -EILSEQ;
		/* VGPR sources, or the special ones (src_shared_base ..
		 * src_pops_exiting_wave_id, src_vccz, src_execz, src_scc), which
		 * LLVM prints plainly; it prints an SGPR or a constant there with
		 * an "Invalid register" remark */
		if ((!mov && interp_src(&in->ops[1], src1)) || (three && interp_src(&in->ops[3], src2)))
			return -EILSEQ;
		in->attr = (uint8_t)(src0 & 0x3f);
		in->attr_chan = (uint8_t)((src0 >> 6) & 3);
		in->high = (uint8_t)((src0 >> 8) & 1);
		in->clamp = (uint8_t)((w0 >> 15) & 1);
		in->omod = (uint8_t)omod;
		isa_decode_vgpr(&in->ops[0], w0 & 0xff);
		if (mov) {
			in->ops[1].kind = ISA_OPK_IMM;
			in->ops[1].value = src1;
		} else {
			in->ops[1].abs = (uint8_t)((abs >> 1) & 1);
			in->ops[1].neg = (uint8_t)((neg >> 1) & 1);
		}
		in->ops[2].kind = ISA_OPK_IMM;
		in->ops[2].value = src0 & 0xff;
		if (three) {
			in->ops[3].abs = (uint8_t)((abs >> 2) & 1);
			in->ops[3].neg = (uint8_t)((neg >> 2) & 1);
		}
	}
	in->words[0] = w0;
	in->words[1] = w1;
	in->nwords = (uint8_t)len;
	return (int)len;
}
