/* gfx11 instruction decoder: word 0 picks the encoding, the encoding's
 * table (isa_optable.c) must know the opcode, and every operand field is
 * checked and expanded into struct isa_operand.  Strict: what the table
 * does not know, or an operand the hardware/LLVM rejects, is -EILSEQ.
 * gfx10.3 goes through the same code with its own classifier, tables and
 * field layout from isa_decode_gfx103.c, gfx9 from isa_decode_gfx9.c
 * (inst.gen says which). */
#include <errno.h>
#include <string.h>

#include "isa_table.h"
#include "isa_table_gfx103.h"
#include "isa_table_gfx9.h"

static const struct {
	const struct isa_opdesc *tab;
	const unsigned *n;
} tables[ISA_ENC_COUNT] = {
	[ISA_ENC_SOP2] = {isa_tab_sop2, &isa_tab_sop2_n},
	[ISA_ENC_SOP1] = {isa_tab_sop1, &isa_tab_sop1_n},
	[ISA_ENC_SOPC] = {isa_tab_sopc, &isa_tab_sopc_n},
	[ISA_ENC_SOPK] = {isa_tab_sopk, &isa_tab_sopk_n},
	[ISA_ENC_SOPP] = {isa_tab_sopp, &isa_tab_sopp_n},
	[ISA_ENC_SMEM] = {isa_tab_smem, &isa_tab_smem_n},
	[ISA_ENC_VOP1] = {isa_tab_vop1, &isa_tab_vop1_n},
	[ISA_ENC_VOP2] = {isa_tab_vop2, &isa_tab_vop2_n},
	[ISA_ENC_VOPC] = {isa_tab_vopc, &isa_tab_vopc_n},
	[ISA_ENC_VOP3] = {isa_tab_vop3, &isa_tab_vop3_n},
	[ISA_ENC_DS] = {isa_tab_ds, &isa_tab_ds_n},
	[ISA_ENC_FLAT] = {isa_tab_flat, &isa_tab_flat_n},
	[ISA_ENC_SCRATCH] = {isa_tab_scratch, &isa_tab_scratch_n},
	[ISA_ENC_GLOBAL] = {isa_tab_global, &isa_tab_global_n},
	[ISA_ENC_VOP3P] = {isa_tab_vop3p, &isa_tab_vop3p_n},
	[ISA_ENC_MUBUF] = {isa_tab_mubuf, &isa_tab_mubuf_n},
	[ISA_ENC_VOPD] = {isa_tab_vopdx, &isa_tab_vopdx_n},
	[ISA_ENC_VOPDY] = {isa_tab_vopdy, &isa_tab_vopdy_n},
	[ISA_ENC_MTBUF] = {isa_xtab_mtbuf, &isa_xtab_mtbuf_n},
	[ISA_ENC_MIMG] = {isa_xtab_mimg, &isa_xtab_mimg_n},
};

static const char *const enc_names[ISA_ENC_COUNT] = {
	"SOP2", "SOP1", "SOPC", "SOPK", "SOPP", "SMEM", "VOP1", "VOP2",
	"VOPC", "VOP3", "DS", "FLAT", "SCRATCH", "GLOBAL", "VOP3P", "MUBUF", "VOPD",
	"VOPD(Y)", "MTBUF", "MIMG", "EXP", "VINTRP",
};

const char *isa_enc_name(enum isa_enc enc)
{
	return (unsigned)enc < ISA_ENC_COUNT ? enc_names[enc] : "?";
}

static const struct isa_opdesc *isa_first(enum isa_enc enc)
{
	return tables[enc].tab;
}

const struct isa_opdesc *isa_find_op(const struct isa_opdesc *tab, unsigned n, unsigned op)
{
	unsigned lo = 0, hi = n;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (tab[mid].op == op) {
			/* atomics: the glc=0 form comes first */
			while (mid > 0 && tab[mid - 1].op == op)
				mid--;
			return &tab[mid];
		}
		if (tab[mid].op < op)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct isa_opdesc *isa_scan_op(const struct isa_xtab *x, unsigned nx, enum isa_enc enc,
				     unsigned op)
{
	for (unsigned i = 0; i < nx; i++)
		if (x[i].enc == enc)
			for (unsigned j = 0; j < *x[i].n; j++)
				if (x[i].tab[j].op == op)
					return &x[i].tab[j];
	return NULL;
}

const struct isa_opdesc *isa_lookup(enum isa_enc enc, unsigned op)
{
	if ((unsigned)enc >= ISA_ENC_COUNT)
		return NULL;
	/* VOP3 entries that replace generated ones (isa_optable_extra.c) */
	static const struct isa_xtab first = {ISA_ENC_VOP3, isa_xtab_vop3, &isa_xtab_vop3_n};
	const struct isa_opdesc *d = isa_scan_op(&first, 1, enc, op);
	if (d)
		return d;
	/* tables sorted by opcode, then the hand-written entries
	 * (isa_optable_extra.c) */
	d = tables[enc].tab ? isa_find_op(tables[enc].tab, *tables[enc].n, op) : NULL;
	if (d)
		return d;
	static const struct isa_xtab extra[] = {
		{ISA_ENC_SOP1, isa_xtab_sop1, &isa_xtab_sop1_n},
		{ISA_ENC_SOPK, isa_xtab_sopk, &isa_xtab_sopk_n},
		{ISA_ENC_SMEM, isa_xtab_smem, &isa_xtab_smem_n},
		{ISA_ENC_DS, isa_xtab_ds, &isa_xtab_ds_n},
	};
	return isa_scan_op(extra, sizeof extra / sizeof extra[0], enc, op);
}

/* Encoding of word 0 (gfx11 layout; checked against llvm-mc-19). */
static int classify(uint32_t w, enum isa_enc *enc, unsigned *op, unsigned *len)
{
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
	case 0x32: *enc = ISA_ENC_VOPD; *op = (w >> 22) & 0xf; return 0;
	case 0x38: *enc = ISA_ENC_MUBUF; *op = (w >> 18) & 0xff; return 0;
	case 0x3a: *enc = ISA_ENC_MTBUF; *op = (w >> 15) & 0xf; return 0;
	case 0x3c: *enc = ISA_ENC_MIMG; *op = (w >> 18) & 0xff; return 0;
	case 0x3d: *enc = ISA_ENC_SMEM; *op = (w >> 18) & 0xff; return 0;
	case 0x36: *enc = ISA_ENC_DS; *op = (w >> 18) & 0xff; return 0;
	case 0x37:
		switch ((w >> 16) & 3) {
		case 0: *enc = ISA_ENC_FLAT; break;
		case 1: *enc = ISA_ENC_SCRATCH; break;
		case 2: *enc = ISA_ENC_GLOBAL; break;
		default: return -EILSEQ;
		}
		*op = (w >> 18) & 0x7f;
		return 0;
	}
	/* VOP3P, VOPD, DPP, MUBUF, MTBUF, MIMG, EXP, LDSDIR, VINTERP: not
	 * covered (docs/vgpu-isa.md). */
	return -EILSEQ;
}

/* Inline float constants 240..248 as f16/f32/f64 bit patterns. */
static const uint16_t inl_f16[9] = {0x3800, 0xb800, 0x3c00, 0xbc00, 0x4000,
				    0xc000, 0x4400, 0xc400, 0x3118};
static const uint32_t inl_f32[9] = {0x3f000000, 0xbf000000, 0x3f800000,
				    0xbf800000, 0x40000000, 0xc0000000,
				    0x40800000, 0xc0800000, 0x3e22f983};
static const uint64_t inl_f64[9] = {
	0x3fe0000000000000ull, 0xbfe0000000000000ull, 0x3ff0000000000000ull,
	0xbff0000000000000ull, 0x4000000000000000ull, 0xc000000000000000ull,
	0x4010000000000000ull, 0xc010000000000000ull, 0x3fc45f306dc9c882ull};

static unsigned lit_width(uint8_t lit, uint8_t bits)
{
	switch (lit) {
	case ISA_LIT_16F: case ISA_LIT_16I: case ISA_LIT_16X: return 16;
	case ISA_LIT_64F: case ISA_LIT_64I: return 64;
	case ISA_LIT_32F: case ISA_LIT_32I: case ISA_LIT_32H: case ISA_LIT_32X:
		return 32;
	default: return bits;
	}
}

/* A register must fit the register file: SGPR ranges stay below 106 (or
 * within ttmp), VGPR ranges below 256. */
int isa_decode_sreg(struct isa_operand *o, unsigned code)
{
	unsigned n = o->bits > 32 ? o->bits / 32 : 1;
	o->kind = ISA_OPK_SREG;
	o->code = (uint16_t)code;
	if (code < 106) {
		/* Multi-dword SGPR operands are aligned down (the decoder of
		 * LLVM does the same with an odd number). */
		unsigned align = n >= 4 ? 4 : n;
		code -= code % align;
		if (code + n > 106)
			return -EILSEQ;
	} else if (code >= 108 && code <= 123) {
		/* ttmp tuples are aligned down the same way (LLVM's
		 * getTTmpIdx then the tuple's shift: code 109 as a 64-bit
		 * operand is ttmp[0:1], 110 as 128 bits ttmp[0:3]) */
		unsigned align = n >= 4 ? 4 : n;
		code -= (code - 108) % align;
		if (code + n > 124)
			return -EILSEQ;
	} else if (n > 1 && code != 106 && code != 126 && code != 124) {
		return -EILSEQ;
	}
	o->reg = (uint16_t)code;
	return 0;
}

/* gfx10.3: LLVM aligns a multi-dword ttmp range down as it does an SGPR
 * one (gfx11's rejects it); o->code keeps the encoded code.  gfx11
 * operands go to isa_decode_sreg unchanged. */
static int decode_sreg_gen(const struct isa_inst *in, struct isa_operand *o, unsigned code)
{
	unsigned n = o->bits > 32 ? o->bits / 32 : 1;
	/* gfx9 has no null register (124 here is its code 125); an absent
	 * FLAT saddr or SMEM soffset arrives as 124 and is not a register */
	if (in->gen == ISA_GEN_GFX9 && code == 124 && o->field != ISA_FLD_SADDR &&
	    o->field != ISA_FLD_SOFFSET)
		return -EILSEQ;
	/* gfx9: a multi-dword operand does not start at the odd half of
	 * flat_scratch or xnack_mask (LLVM aligns odd SGPRs down, not these) */
	if (in->gen == ISA_GEN_GFX9 && n > 1 && (code == 103 || code == 105))
		return -EILSEQ;
	/* gfx10.3: a 128/256-bit scalar operand is SGPRs or ttmps only (LLVM:
	 * vcc, exec, m0 and null are invalid register classes there) */
	if (in->gen != ISA_GEN_GFX11 && n >= 4 && code >= 106 && !(code >= 108 && code <= 123))
		return -EILSEQ;
	if (in->gen != ISA_GEN_GFX11 && code >= 108 && code <= 123 && n > 1) {
		unsigned align = n >= 4 ? 4 : n;
		int rc = isa_decode_sreg(o, code - (code - 108) % align);
		o->code = (uint16_t)code;
		return rc;
	}
	return isa_decode_sreg(o, code);
}

int isa_decode_vgpr(struct isa_operand *o, unsigned reg)
{
	unsigned n = o->bits > 32 ? o->bits / 32 : 1;
	o->kind = ISA_OPK_VGPR;
	o->code = (uint16_t)(256 + reg);
	o->reg = (uint16_t)reg;
	return reg + n > 256 ? -EILSEQ : 0;
}

/* A 9-bit (or 8-bit scalar) source operand. */
static int decode_src(struct isa_inst *in, struct isa_operand *o, unsigned code,
		      const uint32_t *words, size_t nwords, unsigned *len)
{
	unsigned w = lit_width(o->lit, o->bits);
	o->code = (uint16_t)code;
	if (code >= 256)
		return isa_decode_vgpr(o, code - 256);
	if (code < 128)
		return decode_sreg_gen(in, o, code);
	if (o->lit == ISA_LIT_NONE)
		return -EILSEQ;
	if (code <= 208) {
		int64_t v = code <= 192 ? (int64_t)code - 128 : 192 - (int64_t)code;
		o->kind = ISA_OPK_INLINE;
		o->value = (uint64_t)v;
		if (w == 16)
			o->value &= 0xffff;
		else if (w == 32)
			o->value &= 0xffffffffu;
		return 0;
	}
	if (code >= 240 && code <= 248) {
		o->kind = ISA_OPK_INLINE;
		o->value = w == 16 ? inl_f16[code - 240] :
			   w == 64 ? inl_f64[code - 240] : inl_f32[code - 240];
		return 0;
	}
	if (code == 254 &&
	    !((in->half ? in->desc_y : in->desc)->lds & ISA_MBZ(o->field)))
		return -EILSEQ;   /* src_lds_direct: only where LLVM takes it */
	if ((code >= 235 && code <= 239) || (code >= 251 && code <= 254)) {
		o->kind = ISA_OPK_SPECIAL;
		return 0;
	}
	if (code != 255 || o->lit == ISA_LIT_NOLIT)
		return -EILSEQ;   /* DPP/SDWA markers, reserved codes */
	if (!in->has_literal) {
		if (*len >= nwords)
			return -EOVERFLOW;
		in->has_literal = 1;
		in->literal = words[*len];
		(*len)++;
	}
	o->kind = ISA_OPK_LITERAL;
	o->value = in->literal;
	if (o->lit == ISA_LIT_64F)
		o->value = (uint64_t)in->literal << 32;
	else if (w == 16)
		o->value &= 0xffff;
	return 0;
}

unsigned isa_field_value_gfx11(const struct isa_inst *in, uint8_t f)
{
	uint32_t w0 = in->words[0], w1 = in->words[1];
	switch (in->enc) {
	case ISA_ENC_SOP2: case ISA_ENC_SOP1: case ISA_ENC_SOPC: case ISA_ENC_SOPK:
		if (f == ISA_FLD_SDST) return (w0 >> 16) & 0x7f;
		if (f == ISA_FLD_SSRC0) return w0 & 0xff;
		if (f == ISA_FLD_SSRC1) return (w0 >> 8) & 0xff;
		break;
	case ISA_ENC_VOP1: case ISA_ENC_VOP2: case ISA_ENC_VOPC:
		if (f == ISA_FLD_VDST || f == ISA_FLD_VDST_SGPR) return (w0 >> 17) & 0xff;
		if (f == ISA_FLD_SRC0) return w0 & 0x1ff;
		if (f == ISA_FLD_VSRC1) return (w0 >> 9) & 0xff;
		break;
	case ISA_ENC_MUBUF: case ISA_ENC_MTBUF:
		if (f == ISA_FLD_ADDR) return w1 & 0xff;
		if (f == ISA_FLD_DATA0) return (w1 >> 8) & 0xff;
		if (f == ISA_FLD_SRSRC) return ((w1 >> 16) & 0x1f) * 4;
		if (f == ISA_FLD_MSOFF) return w1 >> 24;
		if (f == ISA_FLD_MUBUF_TFE) return (w1 >> 21) & 1;
		if (f == ISA_FLD_MUBUF_IDX) return (w1 >> 22) & 3;
		if (f == ISA_FLD_MUBUF_CACHE) return (w0 >> 13) & 3;
		break;
	case ISA_ENC_VOP3P:
		if (f == ISA_FLD_VDST) return w0 & 0xff;
		if (f == ISA_FLD_SRC0) return w1 & 0x1ff;
		if (f == ISA_FLD_SRC1) return (w1 >> 9) & 0x1ff;
		if (f == ISA_FLD_SRC2) return (w1 >> 18) & 0x1ff;
		break;
	case ISA_ENC_VOP3:
		if (f == ISA_FLD_VDST || f == ISA_FLD_VDST_SGPR) return w0 & 0xff;
		if (f == ISA_FLD_SDST3) return (w0 >> 8) & 0x7f;
		if (f == ISA_FLD_SRC0) return w1 & 0x1ff;
		if (f == ISA_FLD_SRC1) return (w1 >> 9) & 0x1ff;
		if (f == ISA_FLD_SRC2) return (w1 >> 18) & 0x1ff;
		break;
	case ISA_ENC_VOPD:
		if (!in->half) {
			if (f == ISA_FLD_VDST) return w1 >> 24;
			if (f == ISA_FLD_SRC0) return w0 & 0x1ff;
			if (f == ISA_FLD_VSRC1) return (w0 >> 9) & 0xff;
		} else {
			/* vdsty holds bits 7:1; bit 0 is the opposite of vdstx's */
			if (f == ISA_FLD_VDST)
				return ((w1 >> 17) & 0x7f) << 1 | (((w1 >> 24) & 1) ^ 1);
			if (f == ISA_FLD_SRC0) return w1 & 0x1ff;
			if (f == ISA_FLD_VSRC1) return (w1 >> 9) & 0xff;
		}
		break;
	case ISA_ENC_SMEM:
		if (f == ISA_FLD_SDATA) return (w0 >> 6) & 0x7f;
		if (f == ISA_FLD_SBASE) return (w0 & 0x3f) << 1;
		if (f == ISA_FLD_SOFFSET) return w1 >> 25;
		if (f == ISA_FLD_SMEM_W1) return w1;
		if (f == ISA_FLD_SMEM_CACHE) return (w0 >> 13) & 3;
		break;
	case ISA_ENC_DS:
		if (f == ISA_FLD_ADDR) return w1 & 0xff;
		if (f == ISA_FLD_DATA0) return (w1 >> 8) & 0xff;
		if (f == ISA_FLD_DATA1) return (w1 >> 16) & 0xff;
		if (f == ISA_FLD_VDST) return w1 >> 24;
		if (f == ISA_FLD_DS_GDS) return (w0 >> 17) & 1;
		break;
	case ISA_ENC_FLAT: case ISA_ENC_SCRATCH: case ISA_ENC_GLOBAL:
		if (f == ISA_FLD_ADDR) return w1 & 0xff;
		if (f == ISA_FLD_DATA0) return (w1 >> 8) & 0xff;
		if (f == ISA_FLD_SADDR) return (w1 >> 16) & 0x7f;
		if (f == ISA_FLD_VDST) return w1 >> 24;
		break;
	default:
		break;
	}
	return 0;
}

static unsigned field_value(const struct isa_inst *in, uint8_t f)
{
	if (in->gen == ISA_GEN_GFX103)
		return isa_field_value_gfx103(in, f);
	if (in->gen == ISA_GEN_GFX9)
		return isa_field_value_gfx9(in, f);
	return isa_field_value_gfx11(in, f);
}

/* Fields an opcode does not use must be zero where LLVM says so (found
 * by probing; the generator records them). */
static int check_mbz(const struct isa_inst *in, uint32_t mbz)
{
	if ((mbz & ISA_MBZ(ISA_FLD_SIMM16)) && (in->words[0] & 0xffff))
		return -EILSEQ;
	for (unsigned f = ISA_FLD_SDST; f <= ISA_FLD_MUBUF_CACHE; f++)
		if (f != ISA_FLD_SIMM16 && (mbz & ISA_MBZ(f)) && field_value(in, (uint8_t)f))
			return -EILSEQ;
	return 0;
}

/* A source code in a class the slot's rules deny (ISA_SRC_DENY_*: what
 * LLVM marks invalid there, e.g. a VGPR or a constant as a lane mask). */
static int src_denied(uint16_t rules, unsigned code)
{
	uint16_t cls;
	if (code >= 256) cls = ISA_SRC_DENY_VGPR;
	else if (code < 106) cls = ISA_SRC_DENY_SGPR;
	else if (code < 108) cls = ISA_SRC_DENY_VCC;
	else if (code < 124) cls = ISA_SRC_DENY_TTMP;
	else if (code == 124) cls = ISA_SRC_DENY_NULL;
	else if (code == 125) cls = ISA_SRC_DENY_M0;
	else if (code < 128) cls = ISA_SRC_DENY_EXEC;
	else if (code <= 208) cls = ISA_SRC_DENY_ICONST;
	else if (code >= 240 && code <= 248) cls = ISA_SRC_DENY_FCONST;
	else if (code == 254) cls = ISA_SRC_DENY_LDS;
	else if (code == 255) cls = ISA_SRC_DENY_LIT;
	else cls = ISA_SRC_DENY_SPECIAL;   /* reserved codes fail later */
	return (rules & cls) != 0;
}

/* Sources that take abs/neg/op_sel: the SRC fields, except scalar-only
 * ones (lane masks, lane selects), whose modifier bits LLVM treats as
 * those of an absent source. */
static unsigned modifiable_sources(const struct isa_inst *in)
{
	unsigned srcmask = 0;
	for (unsigned i = 0; i < in->nops; i++) {
		uint8_t f = in->ops[i].field;
		if (f >= ISA_FLD_SRC0 && f <= ISA_FLD_SRC2 &&
		    !(in->desc->slot[i].rules & ISA_SRC_DENY_VGPR))
			srcmask |= 1u << (f - ISA_FLD_SRC0);
	}
	return srcmask;
}

static int is_vop3b(const struct isa_opdesc *d)
{
	for (unsigned i = 0; i < d->nslots; i++)
		if (d->slot[i].field == ISA_FLD_SDST3)
			return 1;
	return 0;
}

/* Applies two DPP16 modifier bits (neg, abs) as the table says. */
static void set_dpp_mods(struct isa_operand *o, const char *st, uint32_t bits)
{
	if ((bits & 1) && st[0] != 'I') {
		if (st[0] == 'S')
			o->sext = 1;
		else
			o->neg = 1;
	}
	if ((bits & 2) && st[1] != 'I')
		o->abs = 1;
}

/* DPP: src0 = 250 (DPP16) or 233/234 (DPP8, 234 = fetch inactive) and a
 * second dword holding the real src0 VGPR and the lane pattern. */
/* gfx90a's DP ALU DPP (LLVM's isDPALU_DPP): the VOP1/VOP2 opcodes with a
 * 64-bit operand (v_*_f64, the f64 conversions, v_fmac_f64) take DPP16
 * with row_newbcast only (llvm-objdump-19 --mcpu=gfx90a prints "DP ALU
 * dpp only supports row_newbcast" for any other control).  neg/abs of a
 * source apply to the floating-point ones (the table of the opcode's
 * DPP modifiers: "..XX" for one source, "...." for two; v_cvt_f64_i32
 * and v_cvt_f64_u32 take none). */
static const char *dpalu_mods_gfx90a(const struct isa_inst *in)
{
	const struct isa_opdesc *d = in->desc;
	int wide = 0, two = 0;
	if (in->target != ISA_GEN_GFX90A || (in->enc != ISA_ENC_VOP1 && in->enc != ISA_ENC_VOP2))
		return NULL;
	for (unsigned i = 0; i < d->nslots; i++) {
		wide |= d->slot[i].bits == 64;
		two |= d->slot[i].field == ISA_FLD_VSRC1;
	}
	if (!wide)
		return NULL;
	/* the source type ends the name (before "_e32") */
	size_t n = strlen(d->name);
	if (n > 4 && !strcmp(d->name + n - 4, "_e32"))
		n -= 4;
	int fp = n > 4 && (!strncmp(d->name + n - 4, "_f64", 4) || !strncmp(d->name + n - 4, "_f32", 4));
	return !fp ? "XXXX" : two ? "...." : "..XX";
}

static int decode_dpp(struct isa_inst *in, struct isa_operand *o, unsigned code,
		      const uint32_t *words, size_t nwords, unsigned *len)
{
	uint32_t fl = in->desc->flags;
	const char *mods = in->desc->dpp_mods, *dpalu = NULL;
	if (!(fl & (code == 250 ? ISA_OPF_DPP16 : ISA_OPF_DPP8))) {
		dpalu = code == 250 ? dpalu_mods_gfx90a(in) : NULL;
		if (!dpalu)
			return -EILSEQ;
		mods = dpalu;
	}
	if (*len >= nwords)
		return -EOVERFLOW;
	uint32_t dw = words[*len];
	in->words[*len] = dw;
	(*len)++;
	if ((in->desc->lo128 & ISA_MBZ(ISA_FLD_SRC0)) && (dw & 0x80))
		return -EILSEQ;
	if (code == 250) {
		unsigned c = (dw >> 8) & 0x1ff;
		/* quad_perm, row_shl/shr/ror 1..15, row_mirror,
		 * row_half_mirror, row_share, row_xmask; the rest
		 * (wave_*, row_bcast) is gone since gfx10 (gfx9 has those
		 * and no row_share/row_xmask, nor fi: bit 18 is ignored) */
		int newbcast = in->target == ISA_GEN_GFX90A && c >= 0x150 && c <= 0x15f;
		if (in->gen == ISA_GEN_GFX9 ? !isa_dpp_ctrl_ok_gfx9(c) && !newbcast :
		    !(c <= 0xff || (c >= 0x101 && c <= 0x10f) ||
		      (c >= 0x111 && c <= 0x11f) || (c >= 0x121 && c <= 0x12f) ||
		      c == 0x140 || c == 0x141 || (c >= 0x150 && c <= 0x16f)))
			return -EILSEQ;
		/* gfx90a row_newbcast:N (0x150-0x15f, where gfx10 has
		 * row_share): the only control of the DP ALU forms */
		if (dpalu && !newbcast)
			return -EILSEQ;
		in->dpp = 16;
		in->dpp_ctrl = (uint16_t)c;
		in->fi = (uint8_t)(in->gen == ISA_GEN_GFX9 ? 0 : (dw >> 18) & 1);
		in->bound_ctrl = (uint8_t)((dw >> 19) & 1);
		in->row_mask = (uint8_t)(dw >> 28);
		in->bank_mask = (uint8_t)((dw >> 24) & 15);
		for (unsigned b = 0; b < 4; b++)
			if (((dw >> (20 + b)) & 1) && mods[b] == 'X')
				return -EILSEQ;
		set_dpp_mods(o, mods, dw >> 20);
	} else {
		in->dpp = 8;
		in->fi = code == 234;
		in->dpp8_sel = dw >> 8;
	}
	o->code = (uint16_t)code;
	return isa_decode_vgpr(o, dw & 0xff);
}

/* VOP3-DPP (gfx11): src0 = 250 (DPP16) or 233/234 (DPP8) in a VOP3 or
 * VOP3P encoding, the DPP dword after the two VOP3(P) dwords; the source
 * modifiers stay in the VOP3 fields.  Taken for the opcodes llvm-mc-19
 * assembles as _e64_dpp: no 64-bit operand, no literal, not the
 * lane-access and v_div_scale forms. */
static int vop3_dpp_ok(const struct isa_inst *in)
{
	const struct isa_opdesc *d = in->desc;
	/* VOP3P-DPP: the four opcodes llvm-mc-19 assembles and decodes as
	 * _e64_dpp (its gfx11_dasm_vop3p_dpp16/dpp8 tests); every other
	 * VOP3P opcode with src0 = DPP is an invalid encoding there */
	if (in->enc == ISA_ENC_VOP3P && strcmp(d->name, "v_dot2_f32_f16") &&
	    strcmp(d->name, "v_fma_mix_f32") && strcmp(d->name, "v_fma_mixlo_f16") &&
	    strcmp(d->name, "v_fma_mixhi_f16"))
		return 0;
	static const char *const no[] = { "v_div_scale", "v_readlane", "v_writelane",
					  "v_permlane", "v_readfirstlane" };
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (!strncmp(d->name, no[i], strlen(no[i])))
			return 0;
	for (unsigned i = 0; i < d->nslots; i++) {
		const struct isa_slot *sl = &d->slot[i];
		if (sl->bits > 32)
			return 0;
		/* src1/src2 may be VGPRs, SGPRs or inline constants (LLVM's gfx11
		 * disassembler tests print s105, vcc_hi, -1, 0.5 there); not a
		 * literal, which would need the dword the DPP control takes */
		if (sl->field == ISA_FLD_SRC1 || sl->field == ISA_FLD_SRC2) {
			unsigned v = field_value(in, sl->field);
			if (v == 255 && !(sl->rules & ISA_SRC_LANEMASK))
				return 0;
		}
	}
	return 1;
}

static int decode_vop3_dpp(struct isa_inst *in, struct isa_operand *o, unsigned code,
			   const uint32_t *words, size_t nwords, unsigned *len)
{
	if (!vop3_dpp_ok(in))
		return -EILSEQ;
	if (*len >= nwords)
		return -EOVERFLOW;
	uint32_t dw = words[*len];
	in->words[*len] = dw;
	(*len)++;
	if (code == 250) {
		unsigned c = (dw >> 8) & 0x1ff;
		if (!(c <= 0xff || (c >= 0x101 && c <= 0x10f) ||
		      (c >= 0x111 && c <= 0x11f) || (c >= 0x121 && c <= 0x12f) ||
		      c == 0x140 || c == 0x141 || (c >= 0x150 && c <= 0x16f)))
			return -EILSEQ;
		/* bits 20..23 (the DPP word's own src0/src1 neg/abs): the
		 * modifiers live in the VOP3 fields and llvm-mc-19 ignores
		 * these */
		in->dpp = 16;
		in->dpp_ctrl = (uint16_t)c;
		in->fi = (uint8_t)((dw >> 18) & 1);
		in->bound_ctrl = (uint8_t)((dw >> 19) & 1);
		in->row_mask = (uint8_t)(dw >> 28);
		in->bank_mask = (uint8_t)((dw >> 24) & 15);
	} else {
		in->dpp = 8;
		in->fi = code == 234;
		in->dpp8_sel = dw >> 8;
	}
	o->code = (uint16_t)code;
	return isa_decode_vgpr(o, dw & 0xff);
}

static int decode_operand(struct isa_inst *in, struct isa_operand *o,
			  const uint32_t *words, size_t nwords, unsigned *len)
{
	unsigned v = field_value(in, o->field);
	uint32_t w0 = in->words[0];
	/* a register field holding an immediate (s_sendmsg_rtn's message,
	 * s_atc_probe's probe bits): printed as the table's ISA_SIMM_* */
	if (o->lit >= ISA_SIMM_HEX && (o->field == ISA_FLD_SSRC0 || o->field == ISA_FLD_SDATA ||
				       o->field == ISA_FLD_SSRC1)) {
		o->kind = ISA_OPK_IMM;
		/* gfx10.3: the field value came renumbered as a register */
		o->value = in->gen != ISA_GEN_GFX11 ? isa_sreg_gfx103(v) : v;
		return 0;
	}
	if (o->field == ISA_FLD_SRC0 && (v == 250 || v == 233 || v == 234) &&
	    (in->enc == ISA_ENC_VOP1 || in->enc == ISA_ENC_VOP2 || in->enc == ISA_ENC_VOPC))
		return decode_dpp(in, o, v, words, nwords, len);
	if (o->field == ISA_FLD_SRC0 && (v == 250 || v == 233 || v == 234) &&
	    (in->enc == ISA_ENC_VOP3 || in->enc == ISA_ENC_VOP3P) && in->gen == ISA_GEN_GFX11)
		return decode_vop3_dpp(in, o, v, words, nwords, len);
	if (in->gen != ISA_GEN_GFX11 && (in->enc == ISA_ENC_VOP1 || in->enc == ISA_ENC_VOP2 ||
					 in->enc == ISA_ENC_VOPC)) {
		/* gfx10.3 and gfx9 SDWA (the same layout and m0 renumbering): src0 from the SDWA dword; with S1 (bit 31 of
		 * that dword) src1 is a scalar source code */
		if (o->field == ISA_FLD_SRC0 && v == 249) {
			unsigned code;
			int rc = isa_decode_sdwa_gfx103(in, words, nwords, len, &code);
			if (rc)
				return rc;
			if (code == 255)
				return -EILSEQ;   /* no literal with SDWA */
			rc = decode_src(in, o, code, words, nwords, len);
			o->code = (uint16_t)code;
			return rc;
		}
		if (o->field == ISA_FLD_VSRC1 && in->sdwa && (in->words[1] >> 31)) {
			unsigned code = isa_sreg_gfx103(v);
			if (code == 255)
				return -EILSEQ;
			/* constants as src0's class (the VGPR-only slot has none) */
			o->lit = ISA_LIT_32F;
			for (unsigned i = 0; i < in->desc->nslots; i++)
				if (in->desc->slot[i].field == ISA_FLD_SRC0 &&
				    in->desc->slot[i].lit != ISA_LIT_NONE &&
				    in->desc->slot[i].lit != ISA_LIT_NOLIT)
					o->lit = in->desc->slot[i].lit;
			return decode_src(in, o, code, words, nwords, len);
		}
	}
	switch (o->field) {
	case ISA_FLD_SSRC0: case ISA_FLD_SSRC1: case ISA_FLD_SRC0:
	case ISA_FLD_SRC1: case ISA_FLD_SRC2: case ISA_FLD_MSOFF:
		return decode_src(in, o, v, words, nwords, len);
	case ISA_FLD_SDST: case ISA_FLD_SDST3: case ISA_FLD_VDST_SGPR:
	case ISA_FLD_SDATA: case ISA_FLD_SBASE: case ISA_FLD_SOFFSET:
	case ISA_FLD_SRSRC:
		if (v > 127)
			return -EILSEQ;
		return decode_sreg_gen(in, o, v);
	case ISA_FLD_SADDR:
		if (o->bits == 0) {
			o->kind = ISA_OPK_OFF;
			return v == 124 ? 0 : -EILSEQ;
		}
		return decode_sreg_gen(in, o, v);
	case ISA_FLD_VDST: case ISA_FLD_VSRC1: case ISA_FLD_DATA0:
	case ISA_FLD_DATA1:
		return isa_decode_vgpr(o, v);
	case ISA_FLD_ADDR:
		if (in->enc == ISA_ENC_MUBUF || in->enc == ISA_ENC_MTBUF) {
			/* idxen and offen each bring a VGPR: v, v[n:n+1] or off */
			unsigned idx = field_value(in, ISA_FLD_MUBUF_IDX);
			unsigned n = (idx & 1) + ((idx >> 1) & 1);
			o->bits = (uint16_t)(32 * n);
		}
		if (in->enc == ISA_ENC_SCRATCH) {
			/* scratch: the VGPR address is used only with SVE (gfx11)
			 * or without a scalar address (gfx10.3) */
			unsigned saddr = (in->words[1] >> 16) & 0x7f;
			if (in->gen == ISA_GEN_GFX103 ? saddr != 125 /* gfx10 null */
			    : in->gen == ISA_GEN_GFX9 ? saddr != 0x7f /* gfx9 off */
			    : !((in->words[1] >> 23) & 1)) {
				o->kind = ISA_OPK_OFF;
				o->bits = 0;
				return 0;
			}
			o->bits = 32;
		}
		if (o->bits == 0) {
			o->kind = ISA_OPK_OFF;
			return 0;
		}
		return isa_decode_vgpr(o, v);
	case ISA_FLD_VCC:
		o->kind = ISA_OPK_SREG;
		o->code = o->reg = 106;
		return 0;
	case ISA_FLD_LITK:
		/* always a trailing literal (shared with a literal src0) */
		return decode_src(in, o, 255, words, nwords, len);
	case ISA_FLD_SIMM16:
		o->kind = ISA_OPK_IMM;
		o->value = w0 & 0xffff;
		return 0;
	default:
		return -EILSEQ;
	}
}

/* Per-encoding fields beyond the operand list. */
static int decode_extra(struct isa_inst *in)
{
	uint32_t w0 = in->words[0], w1 = in->words[1];
	if (in->gen != ISA_GEN_GFX11) {
		int rc = in->gen == ISA_GEN_GFX103 ? isa_decode_extra_gfx103(in)
						   : isa_decode_extra_gfx9(in);
		if (rc <= 0)
			return rc;
	}
	switch (in->enc) {
	case ISA_ENC_VOP3: {
		uint16_t fl = in->desc->flags;
		unsigned srcmask = modifiable_sources(in), absbits = 0, negbits = w1 >> 29;
		in->clamp = (uint8_t)((w0 >> 15) & 1);
		in->omod = (uint8_t)((w1 >> 27) & 3);
		if (!is_vop3b(in->desc)) {
			absbits = (w0 >> 8) & 7;
			in->opsel = (uint8_t)((w0 >> 11) & 0xf);
		}
		/* Modifier bits of absent sources, or modifiers an opcode does
		 * not take, make the encoding invalid (as LLVM decides). */
		if (in->desc->flags & ISA_OPF_MODS_SRC0)
			srcmask &= 1u;
		if (in->desc->flags & ISA_OPF_OPSEL_SRC2_DST)
			in->opsel &= 0xcu;
		if (in->desc->flags & ISA_OPF_OPSEL_FI_BC) {
			/* op_sel bits 0 and 1: FI and BOUND_CTRL; LLVM ignores
			 * bits 2 and 3 here */
			in->opsel &= 3u;
			srcmask |= 3u;
		}
		if (((absbits & ~srcmask) && !(fl & ISA_OPF_ABS_IGNORE)) ||
		    ((negbits & ~srcmask) && !(fl & ISA_OPF_NEG_IGNORE)) ||
		    ((in->opsel & ~(srcmask | 8)) && !(fl & ISA_OPF_OPSEL_IGNORE)))
			return -EILSEQ;
		if ((absbits && !(fl & (ISA_OPF_ABS_PRINT | ISA_OPF_ABS_IGNORE))) ||
		    (negbits && !(fl & (ISA_OPF_NEG_PRINT | ISA_OPF_NEG_IGNORE))) ||
		    (in->clamp && !(fl & (ISA_OPF_CLAMP_PRINT | ISA_OPF_CLAMP_IGNORE))) ||
		    (in->omod && !(fl & (ISA_OPF_OMOD_PRINT | ISA_OPF_OMOD_IGNORE))) ||
		    (in->opsel && !(fl & (ISA_OPF_OPSEL_PRINT | ISA_OPF_OPSEL_IGNORE))))
			return -EILSEQ;
		for (unsigned i = 0; i < in->nops; i++) {
			struct isa_operand *o = &in->ops[i];
			if (o->field < ISA_FLD_SRC0 || o->field > ISA_FLD_SRC2 ||
			    !((srcmask >> (o->field - ISA_FLD_SRC0)) & 1))
				continue;
			o->abs = (uint8_t)((absbits >> (o->field - ISA_FLD_SRC0)) & 1);
			o->neg = (uint8_t)((negbits >> (o->field - ISA_FLD_SRC0)) & 1);
			if (in->desc->slot[i].rules & ISA_SRC_ABS_IGNORE)
				o->abs = 0;
			if (in->desc->slot[i].rules & ISA_SRC_NEG_IGNORE)
				o->neg = 0;
		}
		return 0;
	}
	case ISA_ENC_MUBUF: case ISA_ENC_MTBUF:
		if (in->enc == ISA_ENC_MTBUF)
			in->format = (uint8_t)((w0 >> 19) & 0x7f);
		in->tfe = (uint8_t)((w1 >> 21) & 1);
		in->offset = (int32_t)(w0 & 0xfff);
		in->glc = (uint8_t)((w0 >> 14) & 1);
		in->dlc = (uint8_t)((w0 >> 13) & 1);
		in->slc = (uint8_t)((w0 >> 12) & 1);
		in->offen = (uint8_t)((w1 >> 22) & 1);
		in->idxen = (uint8_t)((w1 >> 23) & 1);
		return 0;
	case ISA_ENC_VOP1: case ISA_ENC_VOP2: case ISA_ENC_VOPC:
		if (in->dpp == 16) {
			/* the table's DPP modifiers, or gfx90a's DP ALU ones */
			const char *m = (in->desc->flags & ISA_OPF_DPP16) ? in->desc->dpp_mods
					: dpalu_mods_gfx90a(in);
			for (unsigned i = 0; i < in->nops; i++) {
				if (in->ops[i].field != ISA_FLD_VSRC1)
					continue;
				set_dpp_mods(&in->ops[i], m + 2, (w1 >> 22) & 3);
			}
		}
		return 0;
	case ISA_ENC_VOP3P: {
		uint32_t fl = in->desc->flags;
		unsigned srcmask = 0;
		for (unsigned i = 0; i < in->nops; i++) {
			uint8_t f = in->ops[i].field;
			if (f >= ISA_FLD_SRC0 && f <= ISA_FLD_SRC2)
				srcmask |= 1u << (f - ISA_FLD_SRC0);
		}
		in->clamp = (uint8_t)((w0 >> 15) & 1);
		in->neg_lo = (uint8_t)(w1 >> 29);
		in->neg_hi = (uint8_t)((w0 >> 8) & 7);
		in->opsel = (uint8_t)((w0 >> 11) & 7);
		in->opsel_hi = (uint8_t)(((w0 >> 14) & 1) << 2 | ((w1 >> 27) & 3));
		unsigned hi_default = (fl & ISA_OPF_OPSELHI_DEF0) ? 0 : srcmask;
		/* bits of absent sources: invalid, except op_sel_hi's */
		if (((in->neg_lo & ~srcmask) && !(fl & ISA_OPF_NEG_IGNORE)) ||
		    ((in->neg_hi & ~srcmask) && !(fl & ISA_OPF_NEGHI_IGNORE)) ||
		    ((in->opsel & ~srcmask) && !(fl & ISA_OPF_OPSEL_IGNORE)))
			return -EILSEQ;
		if ((in->neg_lo && !(fl & (ISA_OPF_NEG_PRINT | ISA_OPF_NEG_IGNORE))) ||
		    (in->neg_hi && !(fl & (ISA_OPF_NEGHI_PRINT | ISA_OPF_NEGHI_IGNORE))) ||
		    (in->opsel && !(fl & (ISA_OPF_OPSEL_PRINT | ISA_OPF_OPSEL_IGNORE))) ||
		    ((in->opsel_hi & srcmask) != hi_default &&
		     !(fl & (ISA_OPF_OPSELHI_PRINT | ISA_OPF_OPSELHI_IGNORE))) ||
		    (in->clamp && !(fl & (ISA_OPF_CLAMP_PRINT | ISA_OPF_CLAMP_IGNORE))))
			return -EILSEQ;
		if (fl & ISA_OPF_OPSELHI_DEF0) {
			/* v_fma_mix*: neg_lo/neg_hi are the sources' neg/abs */
			for (unsigned i = 0; i < in->nops; i++) {
				struct isa_operand *o = &in->ops[i];
				if (o->field < ISA_FLD_SRC0 || o->field > ISA_FLD_SRC2)
					continue;
				o->neg = (uint8_t)((in->neg_lo >> (o->field - ISA_FLD_SRC0)) & 1);
				o->abs = (uint8_t)((in->neg_hi >> (o->field - ISA_FLD_SRC0)) & 1);
			}
		}
		return 0;
	}
	case ISA_ENC_SMEM:
		in->glc = (uint8_t)((w0 >> 14) & 1);
		in->dlc = (uint8_t)((w0 >> 13) & 1);
		in->offset = (int32_t)((w1 & 0x1fffff) << 11) >> 11;
		return 0;
	case ISA_ENC_DS:
		in->offset0 = (uint8_t)(w0 & 0xff);
		in->offset1 = (uint8_t)((w0 >> 8) & 0xff);
		in->gds = (uint8_t)((w0 >> 17) & 1);
		in->offset = in->offset0 | in->offset1 << 8;
		return 0;
	case ISA_ENC_FLAT: case ISA_ENC_SCRATCH: case ISA_ENC_GLOBAL:
		in->sve = (uint8_t)((w1 >> 23) & 1);
		/* sve selects a VGPR address only for scratch; flat has no
		 * SADDR (must be null). */
		if (in->sve && in->enc != ISA_ENC_SCRATCH)
			return -EILSEQ;
		if (in->enc == ISA_ENC_FLAT && ((w1 >> 16) & 0x7f) != 124)
			return -EILSEQ;
		in->offset = (int32_t)((w0 & 0x1fff) << 19) >> 19;
		in->dlc = (uint8_t)((w0 >> 13) & 1);
		in->glc = (uint8_t)((w0 >> 14) & 1);
		in->slc = (uint8_t)((w0 >> 15) & 1);
		return 0;
	default:
		return 0;
	}
}

/* MIMG (gfx11 layout): word0 NSA 0, DIM 4:2, UNORM 7, DMASK 11:8, SLC 12,
 * DLC 13, GLC 14, R128 15, A16 16, D16 17, OP 25:18; word1 VADDR 7:0,
 * VDATA 15:8, SRSRC 20:16 (x4), TFE 21, LWE 22, SSAMP 30:26 (x4, unused
 * by these opcodes); with NSA, address VGPRs 1.. as bytes of the next
 * dword.  Sets the operands and returns the length in dwords. */
static int decode_mimg(struct isa_inst *in, const uint32_t *words, size_t nwords)
{
	static const uint8_t coords[8] = {1, 2, 3, 3, 2, 3, 3, 4};
	uint32_t w0 = words[0], w1 = words[1];
	uint32_t fl = in->desc->flags;
	unsigned nsa_dwords = 0;
	if (in->gen == ISA_GEN_GFX9)
		return isa_decode_mimg_gfx9(in, words, nwords);   /* its own layout */
	if (in->gen == ISA_GEN_GFX103) {
		/* gfx10's layout (isa_decode_gfx103.c); the operands below
		 * sit where gfx11 has them */
		if (isa_mimg_fields_gfx103(in, words, &nsa_dwords) ||
		    (in->d16 && (fl & ISA_OPF_MIMG_NO_D16)))
			return -EILSEQ;
		goto operands;
	}
	in->nsa = (uint8_t)(w0 & 1);
	in->dim = (uint8_t)((w0 >> 2) & 7);
	in->unorm = (uint8_t)((w0 >> 7) & 1);
	in->dmask = (uint8_t)((w0 >> 8) & 0xf);
	in->slc = (uint8_t)((w0 >> 12) & 1);
	in->dlc = (uint8_t)((w0 >> 13) & 1);
	in->glc = (uint8_t)((w0 >> 14) & 1);
	in->r128 = (uint8_t)((w0 >> 15) & 1);
	in->a16 = (uint8_t)((w0 >> 16) & 1);
	in->d16 = (uint8_t)((w0 >> 17) & 1);
	in->tfe = (uint8_t)((w1 >> 21) & 1);
	in->lwe = (uint8_t)((w1 >> 22) & 1);
	/* bit 1, SSAMP (no sampler for these opcodes), and d16 where the
	 * opcode has no 16-bit form make the encoding invalid (as LLVM) */
	if ((w0 & 2) || ((w1 >> 26) & 0x1f) || (in->d16 && (fl & ISA_OPF_MIMG_NO_D16)))
		return -EILSEQ;
operands:;
	unsigned naddr = (fl & ISA_OPF_MIMG_RESINFO) ? 1u
			 : coords[in->dim] + ((fl & ISA_OPF_MIMG_MIP) ? 1u : 0u);
	unsigned nregs = in->a16 ? (naddr + 1) / 2 : naddr;
	unsigned ndata = (fl & ISA_OPF_MIMG_4COMP) ? 4u : (unsigned)__builtin_popcount(in->dmask);
	if (!ndata)
		ndata = 1;
	if (in->d16)
		ndata = (ndata + 1) / 2;
	ndata += in->tfe;
	/* atomics: 32-bit (dmask 0x1; cmpswap 0x3) or 64-bit (0x3; cmpswap
	 * 0xf) only; for other masks LLVM 19 prints a fallback operand size
	 * that means nothing, so they are rejected here */
	if (!strncmp(in->desc->name, "image_atomic_", 13)) {
		int cmpswap = !strcmp(in->desc->name, "image_atomic_cmpswap") ||
			      !strcmp(in->desc->name, "image_atomic_fcmpswap");
		/* gfx10 (llvm-objdump-19 --mcpu=gfx1030): a cmpswap with dmask
		 * 0x1 decodes too, its data the two dwords of the 32-bit form */
		int cmp1 = cmpswap && in->gen == ISA_GEN_GFX103 && in->dmask == 0x1 && !in->tfe;
		if (cmp1)
			ndata = 2;
		else if (cmpswap ? (in->dmask != 0x3 && in->dmask != 0xf)
				 : (in->dmask != 0x1 && in->dmask != 0x3))
			return -EILSEQ;
		if (in->tfe && in->dmask != (cmpswap ? 0x3 : 0x1))
			return -EILSEQ;   /* no 64-bit atomic form with tfe either */
	}
	unsigned len = 2;
	if (in->nsa && nregs < 2)
		return -EILSEQ;   /* NSA of a single address (LLVM prints no sensible form) */
	if (in->nsa) {
		len += (nregs - 1 + 3) / 4;
		/* gfx10 announces the NSA dwords in word 0 */
		if (in->gen == ISA_GEN_GFX103 && len != 2 + nsa_dwords)
			return -EILSEQ;
		if (len > nwords)
			return -EOVERFLOW;
		in->nsa_reg[0] = (uint8_t)(w1 & 0xff);
		for (unsigned i = 1; i < nregs; i++)
			in->nsa_reg[i] = (uint8_t)(words[2 + (i - 1) / 4] >> (8 * ((i - 1) % 4)));
	}
	in->nops = 3;
	struct isa_operand *d = &in->ops[0], *a = &in->ops[1], *r = &in->ops[2];
	d->field = ISA_FLD_DATA0;
	d->bits = (uint16_t)(32 * ndata);
	if (isa_decode_vgpr(d, (w1 >> 8) & 0xff))
		return -EILSEQ;
	a->field = ISA_FLD_ADDR;
	a->bits = (uint16_t)(32 * (in->nsa ? 1 : nregs));
	if (isa_decode_vgpr(a, w1 & 0xff))
		return -EILSEQ;
	a->bits = (uint16_t)(32 * nregs);   /* NSA: nsa_reg[0..nregs-1] */
	r->field = ISA_FLD_SRSRC;
	r->bits = 256;
	if (isa_decode_sreg(r, ((w1 >> 16) & 0x1f) * 4))
		return -EILSEQ;
	for (unsigned i = 0; i < len; i++)
		in->words[i] = words[i];
	in->nwords = (uint8_t)len;
	return (int)len;
}

/* The decoder of both generations: gen picks the encoding classifier,
 * the opcode tables and the field layout (field_value); the rest is
 * shared. */
static int decode_gen(enum isa_gen gen, const uint32_t *words, size_t nwords,
		      struct isa_inst *out)
{
	enum isa_enc enc;
	unsigned op, len;
	int rc;

	if (!words || !out)
		return -EINVAL;
	if (nwords == 0)
		return -EOVERFLOW;
	memset(out, 0, sizeof(*out));
	out->gen = (uint8_t)(gen == ISA_GEN_GFX906 || gen == ISA_GEN_GFX90A ? ISA_GEN_GFX9 : gen);
	out->target = (uint8_t)gen;
	rc = gen == ISA_GEN_GFX103 ? isa_classify_gfx103(words, nwords, &enc, &op, &len)
	     : out->gen == ISA_GEN_GFX9 ? isa_classify_gfx9(words, nwords, &enc, &op, &len)
				   : classify(words[0], &enc, &op, &len);
	if (rc)
		return rc;
	if (len > nwords)
		return -EOVERFLOW;
	out->enc = enc;
	out->desc = gen == ISA_GEN_GFX103 ? isa_lookup_gfx103(enc, op)
		    : out->gen == ISA_GEN_GFX9 ? isa_lookup_gfx9(enc, op, gen)
		    : isa_lookup(enc, op);
	if (!out->desc)
		return -EILSEQ;
	if (enc == ISA_ENC_MIMG)
		return gen == ISA_GEN_GFX90A ? isa_decode_mimg_gfx90a(out, words, nwords)
					     : decode_mimg(out, words, nwords);
	/* gfx9 graphics: EXP, VINTRP and the VOP3 v_interp_* forms have
	 * their own operand layouts (isa_decode_gfx9.c) */
	if (out->gen == ISA_GEN_GFX9 &&
	    (enc == ISA_ENC_EXP || enc == ISA_ENC_VINTRP || (enc == ISA_ENC_VOP3 && op >= 0x270 && op <= 0x277)))
		return isa_decode_graphics_gfx9(out, words, nwords);
	if (out->desc->flags & (ISA_OPF_GLC0 | ISA_OPF_GLC1)) {
		/* Atomics: the glc=1 form returns the old value (has a VDST);
		 * the two forms are adjacent table entries (gfx10.3 and gfx9:
		 * glc is bit 16, and the lookup gives the glc=0 form). */
		const struct isa_opdesc *d = out->desc;
		unsigned want = (words[0] >> (gen != ISA_GEN_GFX11 ? 16 : 14)) & 1
				? ISA_OPF_GLC1 : ISA_OPF_GLC0;
		if (!(d->flags & want))
			d = gen != ISA_GEN_GFX11 ? d + 1
			    : (d > isa_first(enc) && d[-1].op == op) ? d - 1 : d + 1;
		out->desc = d;
	}
	for (unsigned i = 0; i < len; i++)
		out->words[i] = words[i];
	/* gfx90a: MUBUF/MTBUF word 1 bit 23 is acc (AccVGPR data), not tfe */
	rc = check_mbz(out, out->desc->mbz & (gen == ISA_GEN_GFX90A ? ~ISA_MBZ(ISA_FLD_MUBUF_TFE) : ~0u));
	if (rc)
		return rc;
	if ((out->desc->flags & ISA_OPF_DS_GDS_REQ) && !field_value(out, ISA_FLD_DS_GDS))
		return -EILSEQ;
	for (unsigned f = ISA_FLD_VDST; f <= ISA_FLD_VSRC1; f++) {
		unsigned v = field_value(out, (uint8_t)f);
		if ((out->desc->lo128 & ISA_MBZ(f)) &&
		    (f == ISA_FLD_SRC0 ? v >= 256 + 128 : v >= 128))
			return -EILSEQ;
	}
	out->nops = out->desc->nslots;
	for (unsigned i = 0; i < out->nops; i++) {
		struct isa_operand *o = &out->ops[i];
		o->field = out->desc->slot[i].field;
		o->bits = out->desc->slot[i].bits;
		/* MUBUF tfe: the data register range grows by the status dword */
		if ((enc == ISA_ENC_MUBUF || enc == ISA_ENC_MTBUF) && o->field == ISA_FLD_DATA0 &&
		    field_value(out, ISA_FLD_MUBUF_TFE) && gen != ISA_GEN_GFX90A /* acc there */)
			o->bits = (uint16_t)(o->bits + 32);
		/* global_*: without SADDR (null) the VGPR address is 64-bit */
		if (enc == ISA_ENC_GLOBAL && o->field == ISA_FLD_ADDR &&
		    field_value(out, ISA_FLD_SADDR) == 124)
			o->bits = 64;
		o->lit = out->desc->slot[i].lit;
		uint16_t rules = out->desc->slot[i].rules;
		o->lanemask = (rules & ISA_SRC_LANEMASK) != 0;
		if (rules && src_denied(rules, field_value(out, o->field)))
			return -EILSEQ;
		rc = decode_operand(out, o, words, nwords, &len);
		if (rc)
			return rc;
	}
	if (enc == ISA_ENC_VOPD) {
		out->desc_y = isa_lookup(ISA_ENC_VOPDY, (words[0] >> 17) & 0x1f);
		if (!out->desc_y)
			return -EILSEQ;
		out->half = 1;
		rc = check_mbz(out, out->desc_y->mbz);
		if (rc)
			return rc;
		out->nops_y = out->desc_y->nslots;
		for (unsigned i = 0; i < out->nops_y; i++) {
			struct isa_operand *o = &out->ops_y[i];
			o->field = out->desc_y->slot[i].field;
			o->bits = out->desc_y->slot[i].bits;
			o->lit = out->desc_y->slot[i].lit;
			rc = decode_operand(out, o, words, nwords, &len);
			if (rc)
				return rc;
		}
		out->half = 0;
	}
	if (out->has_literal)
		out->words[len - 1] = out->literal;
	rc = decode_extra(out);
	if (!rc && gen == ISA_GEN_GFX90A)
		rc = isa_decode_acc_gfx90a(out);   /* AccVGPR data, scc */
	if (rc)
		return rc;
	out->nwords = (uint8_t)len;
	return (int)len;
}

int isa_decode(const uint32_t *words, size_t nwords, struct isa_inst *out)
{
	return decode_gen(ISA_GEN_GFX11, words, nwords, out);
}

int isa_decode_gen(enum isa_gen gen, const uint32_t *words, size_t nwords, struct isa_inst *out)
{
	if ((unsigned)gen >= ISA_GEN_COUNT)
		return -EINVAL;
	return decode_gen(gen, words, nwords, out);
}
