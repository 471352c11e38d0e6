/* gfx11 (RDNA3), gfx10.3 (RDNA2) and gfx9 (GCN 5, Vega) instruction
 * decoder and disassembler of the vgpu (isa_decode_gen picks the
 * generation).
 *
 * Stand-alone: no dependency on the rest of tools/vgpu and no libc call
 * beyond plain memory/string functions, so it links both into the preload
 * library and into build/vgpu-disasm.  The decoded form is what the
 * instruction executor consumes; the text form matches llvm-objdump-19
 * (see docs/vgpu-isa.md for the exact coverage). */
#ifndef VGPU_ISA_H
#define VGPU_ISA_H

#include <stddef.h>
#include <stdint.h>

enum isa_enc {
	ISA_ENC_SOP2, ISA_ENC_SOP1, ISA_ENC_SOPC, ISA_ENC_SOPK, ISA_ENC_SOPP,
	ISA_ENC_SMEM, ISA_ENC_VOP1, ISA_ENC_VOP2, ISA_ENC_VOPC, ISA_ENC_VOP3,
	ISA_ENC_DS, ISA_ENC_FLAT, ISA_ENC_SCRATCH, ISA_ENC_GLOBAL,
	ISA_ENC_VOP3P,
	ISA_ENC_MUBUF,
	ISA_ENC_VOPD,    /* dual issue: desc/ops = X half, desc_y/ops_y = Y */
	ISA_ENC_VOPDY,   /* only names the Y-half table; never an inst's enc */
	ISA_ENC_MTBUF,
	ISA_ENC_MIMG,    /* gfx11/gfx10.3: image load/store/atomic/get_resinfo/
	                    msaa_load only; gfx9: every image opcode */
	ISA_ENC_EXP,     /* gfx9 only: export (graphics; decode only) */
	ISA_ENC_VINTRP,  /* gfx9 only: 32-bit v_interp_* (graphics; decode only) */
	ISA_ENC_COUNT
};

/* Which instruction field an operand comes from. */
enum isa_field {
	ISA_FLD_NONE, ISA_FLD_SDST, ISA_FLD_SSRC0, ISA_FLD_SSRC1,
	ISA_FLD_SIMM16, ISA_FLD_VDST, ISA_FLD_VDST_SGPR, ISA_FLD_SDST3,
	ISA_FLD_SRC0, ISA_FLD_SRC1, ISA_FLD_SRC2, ISA_FLD_VSRC1,
	ISA_FLD_VCC, ISA_FLD_SDATA, ISA_FLD_SBASE, ISA_FLD_SOFFSET,
	ISA_FLD_ADDR, ISA_FLD_DATA0, ISA_FLD_DATA1, ISA_FLD_SADDR,
	ISA_FLD_SMEM_W1,     /* SMEM: the whole offset/soffset dword */
	ISA_FLD_SMEM_CACHE,  /* SMEM: glc/dlc bits */
	ISA_FLD_DS_GDS,      /* DS: the gds bit */
	ISA_FLD_MUBUF_TFE,   /* MUBUF: the tfe bit */
	ISA_FLD_LITK,        /* v_fmamk/v_fmaak: the literal constant K */
	ISA_FLD_SRSRC,       /* MUBUF: buffer resource, s[4n:4n+3] */
	ISA_FLD_MSOFF,       /* MUBUF: soffset (scalar source code) */
	ISA_FLD_MUBUF_IDX,   /* MUBUF: the offen and idxen bits */
	ISA_FLD_MUBUF_CACHE, /* MUBUF: the glc and dlc bits */
	ISA_FLD_SSAMP        /* gfx9 MIMG: sampler resource, s[4n:4n+3] */
};

enum isa_opkind {
	ISA_OPK_NONE,
	ISA_OPK_SREG,     /* scalar register file code 0..127 (s0..s105, vcc,
	                     ttmp, null, m0, exec): reg = first code */
	ISA_OPK_VGPR,     /* reg = first VGPR */
	ISA_OPK_INLINE,   /* inline constant: value = bits as the operand sees
	                     them (f16/f32/f64 pattern or sign-extended int) */
	ISA_OPK_LITERAL,  /* trailing 32-bit literal: value as for INLINE
	                     (f64 sources: literal in the high half) */
	ISA_OPK_SPECIAL,  /* src_shared_base.., src_vccz, src_execz, src_scc:
	                     code = source code */
	ISA_OPK_IMM,      /* 16-bit immediate of SOPP/SOPK: value */
	ISA_OPK_OFF,      /* an address operand that is absent ("off") */
	ISA_OPK_AGPR      /* gfx90a AccVGPR: reg = first a[n] (printed a0,
	                     a[0:3]); MFMA, v_accvgpr_* and the acc bit of
	                     DS/FLAT/MUBUF/MTBUF data */
};

/* Literal/constant class of a source (how constants are expanded). */
enum isa_lit {
	ISA_LIT_NONE,     /* register-only operand */
	ISA_LIT_NOLIT,    /* constants allowed, literal rejected */
	ISA_LIT_32F, ISA_LIT_32I, ISA_LIT_16F, ISA_LIT_16I, ISA_LIT_32H,
	ISA_LIT_64F, ISA_LIT_64I,
	ISA_LIT_32X, ISA_LIT_16X   /* always printed in hex (fmamk/fmaak K) */
};

/* How a SOPP/SOPK 16-bit immediate prints (stored in isa_slot.lit). */
enum isa_simm {
	ISA_SIMM_HEX = 16, ISA_SIMM_HEX_SMALLDEC, ISA_SIMM_DEC, ISA_SIMM_BRANCH, ISA_SIMM_WAITCNT,
	ISA_SIMM_DELAY_ALU, ISA_SIMM_SENDMSG, ISA_SIMM_DEPCTR,
	ISA_SIMM_HWREG,    /* s_getreg/s_setreg: hwreg(id[, offset, size]) */
	ISA_SIMM_VERSION,  /* s_version: UC_VERSION_* */
	ISA_SIMM_GPR_IDX   /* gfx9 s_set_gpr_idx_on: gpr_idx(SRC0,...) */
};

#define ISA_OPF_E32            0x0001u  /* mnemonic carries _e32 */
#define ISA_OPF_DS_2OFF        0x0002u  /* offset0:/offset1: instead of offset: */
#define ISA_OPF_SIMM_OPTIONAL  0x0004u
#define ISA_OPF_GLC0           0x0008u  /* FLAT atomics: entry when glc=0 */
#define ISA_OPF_GLC1           0x0010u  /* ... and the returning form, glc=1 */
/* VOP3 modifiers: without _PRINT or _IGNORE a set modifier is invalid;
 * _IGNORE: accepted and without effect on the text (as LLVM does). */
#define ISA_OPF_ABS_PRINT      0x0020u
#define ISA_OPF_ABS_IGNORE     0x0040u
#define ISA_OPF_NEG_PRINT      0x0080u
#define ISA_OPF_NEG_IGNORE     0x0100u
#define ISA_OPF_CLAMP_PRINT    0x0200u
#define ISA_OPF_CLAMP_IGNORE   0x0400u
#define ISA_OPF_OMOD_PRINT     0x0800u
#define ISA_OPF_OMOD_IGNORE    0x1000u
#define ISA_OPF_OPSEL_PRINT    0x2000u
#define ISA_OPF_OPSEL_IGNORE   0x4000u
/* VOP3P: NEG = neg_lo, and */
#define ISA_OPF_NEGHI_PRINT    0x8000u
#define ISA_OPF_NEGHI_IGNORE   0x10000u
#define ISA_OPF_OPSELHI_PRINT  0x20000u
#define ISA_OPF_OPSELHI_IGNORE 0x40000u
/* v_fma_mix*: op_sel_hi defaults to 0 (selects f16 sources), and
 * neg_lo/neg_hi act as neg/abs of the sources */
#define ISA_OPF_OPSELHI_DEF0   0x80000u
/* e32 VOP1/VOP2/VOPC: DPP forms (mnemonic in dpp_name) */
#define ISA_OPF_DPP16          0x100000u
#define ISA_OPF_DPP8           0x200000u
/* ds_swizzle_b32: the offset prints as swizzle(...) */
#define ISA_OPF_DS_SWIZZLE     0x400000u
/* DS: valid only with the gds bit set (the GWS semaphores) */
#define ISA_OPF_DS_GDS_REQ     0x800000u
/* VOP3: abs/neg (printed) on src0 only (v_cmp(x)_class_*_e64) */
#define ISA_OPF_MODS_SRC0      0x1000000u
/* VOP3: op_sel bits 0 and 1 printed op_sel:[a,b], bits 2-3 ignored
 * (v_permlane16/x16: FI and BOUND_CTRL) */
#define ISA_OPF_OPSEL_FI_BC    0x2000000u
/* MIMG (isa_optable_extra.c): +1 address for the mip level; the
 * address is the mip level alone (get_resinfo) */
#define ISA_OPF_MIMG_MIP       0x8000000u
#define ISA_OPF_MIMG_RESINFO   0x10000000u
/* MIMG: four components returned whatever dmask (image_msaa_load) */
#define ISA_OPF_MIMG_4COMP     0x20000000u
/* MIMG: d16 invalid (atomics, *_pck, get_resinfo) */
#define ISA_OPF_MIMG_NO_D16    0x40000000u
/* VOP3: op_sel bits of src0/src1 ignored (v_dot2_bf16_bf16) */
#define ISA_OPF_OPSEL_SRC2_DST 0x4000000u
/* gfx10.3 e32 VOP1/VOP2/VOPC: takes SDWA (src0 = 249); the mnemonic is
 * the e32 one without _e32, plus _sdwa */
#define ISA_OPF_SDWA           0x80000000u


#define ISA_MBZ(field) (1u << (field))

/* Source rules (isa_slot.rules), probed per opcode where a source takes
 * no VGPR (gen_optable.py probe_src_rules): classes of source codes LLVM
 * marks invalid in that position, and the lane-mask role. */
#define ISA_SRC_DENY_SGPR    0x0001u  /* s0..s105 */
#define ISA_SRC_DENY_VCC     0x0002u  /* vcc_lo, vcc_hi */
#define ISA_SRC_DENY_TTMP    0x0004u
#define ISA_SRC_DENY_NULL    0x0008u
#define ISA_SRC_DENY_M0      0x0010u
#define ISA_SRC_DENY_EXEC    0x0020u  /* exec_lo, exec_hi */
#define ISA_SRC_DENY_ICONST  0x0040u  /* inline integers */
#define ISA_SRC_DENY_FCONST  0x0080u  /* inline floats */
#define ISA_SRC_DENY_SPECIAL 0x0100u  /* src_shared_base.., src_vccz, src_execz, src_scc */
#define ISA_SRC_DENY_LDS     0x0200u  /* src_lds_direct */
#define ISA_SRC_DENY_LIT     0x0400u  /* the trailing literal */
#define ISA_SRC_DENY_VGPR    0x0800u
/* A lane mask (LLVM's SReg_1 class: one bit per lane, an SGPR pair in
 * wave64): the mask of v_cndmask_b32_e64, the carry-in of
 * v_add/sub/subrev_co_ci_u32_e64. */
#define ISA_SRC_LANEMASK     0x1000u
/* VOP3 abs/neg bit of this source accepted and without effect (gfx9:
 * the integer sources of v_cvt_pk_u8_f32 and the like, as LLVM decides) */
#define ISA_SRC_ABS_IGNORE   0x2000u
#define ISA_SRC_NEG_IGNORE   0x4000u

struct isa_slot {
	uint8_t field;  /* enum isa_field */
	uint16_t bits;  /* operand width; 0 for "off" */
	uint8_t lit;    /* enum isa_lit or enum isa_simm */
	uint16_t rules; /* ISA_SRC_* (sources only; 0 for most) */
};

#define ISA_MAX_OPS 5

struct isa_opdesc {
	uint16_t op;
	const char *name;
	uint8_t nslots;
	uint32_t flags;
	uint32_t mbz;   /* ISA_MBZ(field): unused fields that must be zero */
	uint32_t lo128; /* ISA_MBZ(field): VGPR fields limited to v0..v127 */
	uint32_t lds;   /* ISA_MBZ(field): sources that take src_lds_direct */
	struct isa_slot slot[ISA_MAX_OPS];
	const char *dpp_name;   /* mnemonic of the DPP form, or NULL */
	/* DPP16 source modifier bits (src0 neg, src0 abs, src1 neg, src1
	 * abs): 'P' printed, 'S' printed as sext() (integer source),
	 * 'I' ignored, 'X' invalid.  gfx10.3 opcodes with ISA_OPF_SDWA
	 * append eight letters (after "----" when there is no DPP16) for
	 * the SDWA modifiers src0 sext, neg, abs, src1 sext, neg, abs,
	 * clamp, omod: 'P' valid, 'X' invalid, 'I' ignored */
	const char *dpp_mods;
};

struct isa_operand {
	uint8_t field;   /* enum isa_field */
	uint8_t kind;    /* enum isa_opkind */
	uint16_t bits;   /* width in bits */
	uint8_t lit;     /* class from the table */
	uint16_t code;   /* raw source/register code as encoded */
	uint16_t reg;    /* first register (SREG/VGPR) */
	uint8_t neg, abs;
	uint8_t sext;    /* DPP16 integer source: sign-extend modifier */
	uint8_t lanemask; /* a lane-mask source (ISA_SRC_LANEMASK): one bit
	                     per lane of the register (pair in wave64) */
	uint64_t value;  /* constants and immediates */
};

struct isa_inst {
	enum isa_enc enc;
	const struct isa_opdesc *desc;   /* opcode id = desc->op, name */
	uint8_t nwords;                  /* 1..3 */
	uint32_t words[3];
	uint8_t nops;
	struct isa_operand ops[ISA_MAX_OPS];
	int has_literal;
	uint32_t literal;
	/* VOP3 */
	uint8_t clamp, omod;             /* omod: 0 none, 1 *2, 2 *4, 3 /2 */
	uint8_t opsel;                   /* bit i: source i, bit 3: dst */
	/* VOP3P (bit i: source i); opsel above is its op_sel */
	uint8_t opsel_hi, neg_lo, neg_hi;
	/* DPP (e32 VOP1/VOP2/VOPC with src0 = 250/233/234): src0 is the VGPR
	 * of the DPP dword */
	uint8_t dpp;                     /* 0, 16 or 8 */
	uint16_t dpp_ctrl;               /* DPP16: quad_perm, row_shl, ... */
	uint8_t row_mask, bank_mask, bound_ctrl, fi;
	uint32_t dpp8_sel;               /* DPP8: 8 lanes x 3 bits */
	/* memory */
	int32_t offset;                  /* SMEM 21-bit signed, FLAT 13-bit
	                                    signed, DS: offset0|offset1<<8 */
	uint8_t offset0, offset1, gds;
	uint8_t glc, slc, dlc;
	uint8_t sve;                     /* SCRATCH: VGPR address in use */
	uint8_t offen, idxen;            /* MUBUF: VGPR offset / index */
	uint8_t tfe;                     /* MUBUF: extra status dword in data */
	uint8_t format;                  /* MTBUF: buffer FORMAT (BUF_FMT_*) */
	/* MIMG: dim (SQ_RSRC_IMG_*), dmask, unorm, r128, a16, d16, lwe (tfe
	 * above); nsa: the address VGPRs listed one by one (nsa_reg[0..n-1]) */
	uint8_t dim, dmask, unorm, r128, a16, d16, lwe;
	uint8_t nsa, nsa_reg[5];
	/* gfx9 MIMG: the da bit (declare array: the last address is the
	 * slice); gfx9 has no dim, nsa or r128 (see isa_decode_gen) */
	uint8_t da;
	/* gfx9 EXP: target (mrt0-7 0-7, mrtz 8, null 9, pos0-3 12-15,
	 * param0-31 32-63; others print invalid_target_N), en (bit i: ops[i]
	 * is exported, else ops[i] is ISA_OPK_OFF), compr (two 16-bit pairs:
	 * ops[0..1] are both vsrc0, ops[2..3] vsrc1, as LLVM prints them),
	 * done, vm */
	uint8_t exp_target, exp_en, compr, done, vm;
	/* gfx9 VINTRP and VOP3 v_interp_*: the attribute (0-63), its channel
	 * (0-3: x, y, z, w) and, for the f16 forms, high (the high half) */
	uint8_t attr, attr_chan, high;
	/* VOPD: the Y half (X is desc/ops); both read their sources before
	 * either writes (dual issue) */
	const struct isa_opdesc *desc_y;
	uint8_t nops_y;
	struct isa_operand ops_y[ISA_MAX_OPS];
	uint8_t half;                    /* decoder internal: 1 while on Y */
	uint8_t gen;                     /* enum isa_gen that decoded it */
	/* SDWA (gfx10.3 VOP1/VOP2/VOPC with src0 = 249): src0 is the VGPR
	 * of the SDWA dword; selects as SDWA_SEL_* (0-3 BYTE_0..3, 4-5
	 * WORD_0..1, 6 DWORD), dst_unused 0 PAD, 1 SEXT, 2 PRESERVE */
	uint8_t sdwa;
	uint8_t dst_sel, dst_unused, src0_sel, src1_sel;
	uint8_t src0_sext, src1_sext;
	/* MUBUF gfx10.3: the lds bit (load into LDS) */
	uint8_t lds;
	/* gfx90a: MFMA (VOP3P-MAI) with its broadcast controls cbsz, abid
	 * and blgp (isa_decode_gfx90a.c); the scc cache bit of FLAT/MUBUF */
	uint8_t mai, cbsz, abid, blgp;
	uint8_t scc;
	/* the enum isa_gen isa_decode_gen was asked for (gen says
	 * ISA_GEN_GFX9 for gfx906 and gfx90a too) */
	uint8_t target;
};

/* Decodes one instruction: number of dwords consumed (1..3), -EILSEQ for
 * an unknown or invalid encoding, -EOVERFLOW if it runs past nwords.
 * isa_decode is gfx11's. */
int isa_decode(const uint32_t *words, size_t nwords, struct isa_inst *out);

/* The ISA generations the decoder knows.  isa_decode_gen(ISA_GEN_GFX11,..)
 * is isa_decode.  For every generation the decoded form is the same
 * struct: desc->name is the mnemonic as llvm-objdump-19 prints it for that
 * generation (gfx10.3: "s_load_dwordx2", "ds_write_b32", ...), inst.gen
 * says which generation decoded it, ops[].code keeps the raw operand code
 * and ops[].reg / SREG codes use gfx11's scalar register numbering (so
 * gfx10's m0 = 124 and null = 125 arrive as gfx11's 125 and 124), and the
 * memory fields (offset, glc, slc, dlc, offen, idxen, tfe, ...) mean
 * what they mean for gfx11.
 *
 * gfx9 (ISA_GEN_GFX9, wave64 only; inst.gen is ISA_GEN_GFX9):
 *  - names as llvm-objdump-19 --mcpu=gfx900 prints them ("v_add_co_u32_e32",
 *    "global_load_dword", "buffer_load_dword", "v_mad_f32"), with the
 *    _e32/_e64/_sdwa/_dpp handling of gfx10.3; lane masks are 32-bit
 *    operands as in gfx10.3's tables (isa_format_wave64 prints the pairs);
 *  - scalar codes: m0 (gfx9 124) arrives as gfx11's 125; gfx9 has no null
 *    register, so its code 125 is refused (llvm-objdump-19 prints it as
 *    "null"; docs/vgpu-isa.md); flat_scratch_lo/hi (102, 103) and
 *    xnack_mask_lo/hi (104, 105) keep their raw codes in ops[].reg (a
 *    64-bit operand at 102 or 104 is flat_scratch or xnack_mask); vcc
 *    106/107, ttmp0-15 108-123 and exec 126/127 as gfx11;
 *  - an absent address: GLOBAL/SCRATCH saddr "off" (0x7f) and SMEM
 *    without soffset (imm set, soe clear: the offset alone; ops[].kind
 *    ISA_OPK_OFF) come as SREG/OFF code 124, as gfx11's null;
 *  - SMEM: offset = the 21-bit signed immediate (imm set), else 0 and
 *    the soffset operand is the register; glc for the loads, stores and
 *    atomics;
 *  - VOP3 takes no literal (the sources deny it; constants expand by the
 *    operand's type as in gfx10.3);
 *  - DPP: dpp_ctrl holds gfx9's wave_shl/rol/shr/ror (0x130/0x134/0x138/
 *    0x13c) and row_bcast:15/31 (0x142/0x143) too; fi is always 0; no DPP8;
 *  - SDWA, FLAT lds, MUBUF lds/tfe and MTBUF (format = dfmt | nfmt << 4)
 *    in the same fields as gfx10.3; dlc is always 0;
 *  - MIMG (every opcode of gfx900: loads, stores, atomics, get_resinfo,
 *    and the sampling ones, sample/gather4/get_lod, which the executor
 *    does not run): dmask (bits 11:8), unorm (12), glc (13), slc (25),
 *    tfe (16: one status dword after the data), lwe (17), d16 (word 1
 *    bit 31: 16-bit data, two components per VGPR) mean what they mean
 *    for gfx10.3; da (14) replaces gfx10's dim: set for arrays and cube
 *    maps (the address then ends with the slice / face id), dim is 0;
 *    a16 (15: 16-bit addresses, two per VGPR) is gfx10's r128 bit,
 *    which gfx9 reads as a16 (r128 always 0); no NSA.  ops[0] is vdata
 *    (bits: the register count LLVM prints, from dmask, d16 and tfe),
 *    ops[1] vaddr (the opcode's address register count as LLVM prints
 *    it, fixed per opcode: it does not follow da/a16), ops[2] srsrc
 *    (256 bits), ops[3] (sampling opcodes) ssamp (ISA_FLD_SSAMP, 128
 *    bits).  The executor derives the real data and address sizes from
 *    dmask/d16/tfe and the opcode/da/a16;
 *  - graphics (decode only, the executor faults on them): EXP (enc
 *    ISA_ENC_EXP: exp_target .. vm above, ops[0..3] the sources), VINTRP
 *    (ISA_ENC_VINTRP: v_interp_p1/p2/mov_f32_e32) and the VOP3 v_interp_*
 *    forms (ISA_ENC_VOP3, opcodes 0x270-0x277): ops[0] vdst, ops[1] the
 *    VGPR source (SRC1 field, with neg/abs) or, for v_interp_mov_f32,
 *    the parameter (ISA_OPK_IMM: 0 p10, 1 p20, 2 p0, others printed
 *    invalid_param_N), ops[2] the attribute (ISA_OPK_IMM, the raw
 *    attr | chan << 6; attr, attr_chan and high hold it decoded), ops[3]
 *    (p1lv/p2 f16) the second VGPR source (SRC2). */
enum isa_gen {
	ISA_GEN_GFX11 = 0,   /* gfx1100-1103, gfx1150-1152 */
	ISA_GEN_GFX103 = 1,  /* gfx1030-1036 */
	ISA_GEN_GFX9 = 2,    /* gfx900, 902, 904, 909, 90c (see below) */
	/* gfx906 (and the gfx906 opcodes of gfx908/90a): gfx9 plus what
	 * llvm-objdump-19 --mcpu=gfx906 adds or renames (v_fmac_f32,
	 * v_xnor_b32, v_fma_mix*, v_dot*); an input selector only: the
	 * instruction decodes with inst.gen = ISA_GEN_GFX9 */
	ISA_GEN_GFX906 = 3,
	/* gfx90a (MI200, CDNA2): gfx9 plus what llvm-objdump-19 --mcpu=gfx90a
	 * adds or renames (gfx906's opcodes, packed fp32 v_pk_fma/mul/add/
	 * mov; MFMA, v_accvgpr_* and the acc bit of DS/FLAT/MUBUF/MTBUF/
	 * MIMG, whose AccVGPR operands come as ISA_OPK_AGPR; DPP
	 * row_newbcast and the 64-bit DPP forms); an input selector only,
	 * as ISA_GEN_GFX906 (inst.target keeps it) */
	ISA_GEN_GFX90A = 4,
	ISA_GEN_COUNT
};
int isa_decode_gen(enum isa_gen gen, const uint32_t *words, size_t nwords,
		   struct isa_inst *out);

/* LLVM-style text; returns the length written (truncated to cap) or
 * -EINVAL. */
int isa_format(const struct isa_inst *inst, char *buf, size_t cap);

/* isa_format as for a wave64 shader: the lane masks (the SGPR result of
 * v_cmp*_e64 and of VOP3b carries, lane-mask sources, the vcc of e32
 * compares and carries, the SDWA compare destination) print as SGPR
 * pairs, as llvm-objdump-19 -mattr=+wavefrontsize64 prints them.  The
 * decoded form itself does not depend on the wave size (isa_operand
 * lanemask marks such sources). */
int isa_format_wave64(const struct isa_inst *inst, char *buf, size_t cap);

/* Name of an encoding, for messages. */
const char *isa_enc_name(enum isa_enc enc);

#endif
