/*
 * Inside the shader core: the state of one wave and of the workgroup it
 * belongs to, and the executors of each instruction family.  Every
 * executor returns 0, or -ECANCELED after reporting a fault.
 */
#ifndef VGPU_SHADER_INTERNAL_H
#define VGPU_SHADER_INTERNAL_H

#include "shader.h"
#include "exec/window.h"
#include "isa/isa.h"

#include <stdbool.h>
#include <stdint.h>

/* Scalar register file codes (gfx11 operand encoding) */
#define SREG_VCC_LO 106
#define SREG_VCC_HI 107
#define SREG_NULL 124
#define SREG_M0 125
#define SREG_EXEC_LO 126
#define SREG_EXEC_HI 127
#define SHADER_NUM_SREGS 128
/* gfx9: FLAT_SCRATCH is the SGPR pair 102/103 (the decoder keeps the raw
 * codes; gfx10+ have s102/s103 there and FLAT_SCRATCH as a hardware
 * register) */
#define SREG_FLAT_SCRATCH_LO 102
/* Special sources */
#define SRC_VCCZ 251
#define SRC_EXECZ 252
#define SRC_SCC 253

/* WAVE_GWS_BARRIER / WAVE_GWS_P: waiting in ds_gws_barrier or
 * ds_gws_sema_p on resource gws_rid (shader/ds.c, shader/dispatch.c) */
enum wave_state { WAVE_RUN, WAVE_BARRIER, WAVE_DONE, WAVE_GWS_BARRIER, WAVE_GWS_P };

struct shader_wave {
	uint32_t s[SHADER_NUM_SREGS];  /* indexed by operand code; exec/vcc inside */
	uint32_t *v;                   /* v[reg * 64 + lane] */
	uint32_t nvgpr;
	/* gfx90a: the AccVGPRs a0.. that follow the nvgpr architectural
	 * VGPRs in the unified register file (a[n] is v[nvgpr + n]); 0
	 * elsewhere */
	uint32_t nagpr;
	bool scc;
	uint64_t pc;
	enum wave_state state;
	/* FLAT_SCRATCH: the address of the wave's scratch slot, which the SPI
	 * loads for a SCRATCH_EN wave (architected flat scratch); 0 without */
	uint64_t scratch_base;
	/* The MODE hardware register (FP_ROUND 3:0, FP_DENORM 7:4,
	 * DX10_CLAMP 8, IEEE 9, ..., FP16_OVFL 23; the float fields' layout is
	 * in shader/valu_fp.h), loaded from RSRC1 at wave launch, changed by
	 * s_setreg, s_round_mode and s_denorm_mode (shader/sreg.c), and read
	 * by every VALU float operation. */
	uint32_t mode;
	uint32_t trapsts;              /* TRAPSTS as s_setreg left it (0 at start) */
	uint8_t wave_id;               /* index of the wave in its workgroup */
	uint8_t gws_rid;               /* the GWS resource it waits on */
	uint32_t gws_gen;              /* WAVE_GWS_BARRIER: the barrier's round */
};

/* The GWS resources of a dispatch whose job has a GWS partition (RDNA3
 * ISA, "Global Wave Sync"): one counter each, the round of a barrier
 * (bumped when the last wave arrives, which releases the waves of the
 * round before it) and the number of waves waiting in ds_gws_sema_p. */
#define SHADER_GWS_RESOURCES 64
struct shader_gws {
	int64_t counter[SHADER_GWS_RESOURCES];
	uint32_t gen[SHADER_GWS_RESOURCES];
	uint32_t p_waiting[SHADER_GWS_RESOURCES];
};

/*
 * What an instruction's mnemonic selects, resolved once when the
 * instruction is decoded into the cache (shader_*_resolve), so executing
 * it compares no strings.  Each family's ids are private to its file; a
 * name the core has no executor for gets an id that raises the
 * illegal-instruction fault (docs/vgpu-shader.md), at the same point as a
 * failed name match did before.
 */
struct shader_valu_plan {          /* one VALU half (X, or VOPD's Y) */
	int16_t op;                    /* VOP_* (shader/valu.c) */
	uint8_t cmp, cmp_type;         /* v_cmp(x): comparison and type; 0: none */
	bool cmpx;                     /* the name has "cmpx_": writes EXEC */
	int16_t ext;                   /* VEXT_* when op is VOP_EXT (shader/valu_ext.c) */
	uint8_t kind;                  /* result kind (VEXT_K_*) */
	uint8_t nsrc_types;            /* strlen(srcs) */
	const char *srcs;              /* source types (VALU_EXT_OPS' notation) */
	bool zero_hi16;                /* gfx9: a 16-bit result zeroes the high half */
};

struct shader_salu_plan {
	uint8_t op;                    /* SALU_* (shader/salu.c) */
	uint8_t sub;                   /* comparison / saveexec operation */
	bool wide;                     /* b64/i64/u64 form */
	bool sgn;                      /* signed compare */
	uint8_t shift;                 /* s_lshl<n>_add_u32, s_bitcmp0/1 */
};

/* GLOBAL/FLAT, DS, MUBUF, scratch: what the name says, or that it was
 * not understood (where in the executor that becomes a fault is kept) */
enum shader_mem_kind {
	MEM_UNNAMED,                   /* not the family's prefix */
	MEM_BAD,                       /* the prefix, in a form the core rejects as illegal */
	MEM_LOAD, MEM_STORE, MEM_ATOMIC,
	MEM_SUB_LOAD, MEM_SUB_STORE,   /* DS sub-dword forms */
	MEM_INV,                       /* buffer_gl0_inv / buffer_gl1_inv */
	/* DS forms beyond load/store/atomic (shader/ds.c) */
	MEM_DS_NOP, MEM_DS_PERMUTE, MEM_DS_BPERMUTE, MEM_DS_SWIZZLE, MEM_DS_APPEND,
	MEM_DS_CONSUME, MEM_DS_LOAD_ADDTID, MEM_DS_STORE_ADDTID, MEM_DS_CONDXCHG,
	MEM_IMG_RESINFO,               /* image_get_resinfo */
	MEM_IMG_MSAA_LOAD,             /* image_msaa_load (shader/mimg.c) */
	MEM_DS_GWS,                    /* ds_gws_*: aop is the GWS_* operation (shader/ds.c) */
	MEM_DS_GS_REG,                 /* ds_add/sub_gs_reg_rtn: aop 1 for sub (shader/ds.c) */
	MEM_DS_SRC2_GFX9,              /* gfx9 ds_*_src2_*: aop, wide (shader/ds_src2_gfx9.c) */
	MEM_UNMODELLED,                /* named, known, and faulting with a reason */
	MEM_ABSENT                     /* decoded (LLVM 19 does) but not an instruction of
					* the chip: the illegal-instruction fault, with why */
};

struct shader_mem_plan {
	uint8_t kind;                  /* enum shader_mem_kind */
	uint8_t bytes;                 /* access width */
	uint8_t aop;                   /* atomic operation (shader/vmem.c) */
	bool flat, sext, wide, d16, d16_hi;
	bool two, st64, rtn;           /* DS: 2addr, stride64, _rtn_ */
	bool addtid;                   /* global_*_addtid_b32: SADDR + offset + 4 * lane */
	uint8_t ndw;                   /* DS: dwords per element */
	uint8_t fmt;                   /* MUBUF/MTBUF typed forms: components */
	bool mip, pck;                 /* MIMG: _mip (a level coordinate), _pck (no conversion) */
	const char *why;               /* MEM_UNMODELLED: what is not modelled;
					* MEM_ABSENT: why it is no instruction */
};

/* The VALU operations of shader/valu_ext.c: X(id, mnemonic without "v_",
 * result kind (VEXT_K_*), source types (one character per source: 'f'
 * f32, 'h' f16, 'd' f64, 'w' other 16-bit, 'p' two packed f16, 'b' two
 * packed bf16 (abs/neg act on both halves, as LLVM folds fabs/fneg of a
 * v2f16 into them),
 * '.' other; the float ones take MODE's input denormal flush, the 16-bit
 * ones op_sel), flags).
 * Names "" are variants the core picks itself (MODE.IEEE off). */
/* VEXT_K_PK_F16: two f16 results in 32 bits (MODE's f16 rounding and
 * denormal flush apply to each half) */
enum { VEXT_K_I32, VEXT_K_F32, VEXT_K_F16, VEXT_K_F64, VEXT_K_I16, VEXT_K_PK_F16 };
#define VEXTF_CLAMP 1u   /* integer clamp saturates */
#define VEXTF_OLD 2u     /* reads its destination (v_fmac forms) */
#define VEXTF_VCC 4u     /* reads VCC per lane (v_div_fmas) */
#define VEXTF_PACKED_SRC 8u /* packed 16-bit sources: their inline constants follow the
			     * packed rules (shader/valu.c packed_inline_const) */
#define VALU_EXT_OPS(X) \
	X(RCP_F32, "rcp_f32", 1, "f", 0) X(RSQ_F32, "rsq_f32", 1, "f", 0) \
	X(LOG_F32, "log_f32", 1, "f", 0) X(EXP_F32, "exp_f32", 1, "f", 0) \
	X(SIN_F32, "sin_f32", 1, "f", 0) X(COS_F32, "cos_f32", 1, "f", 0) \
	X(FRACT_F32, "fract_f32", 1, "f", 0) X(FREXP_MANT_F32, "frexp_mant_f32", 1, "f", 0) \
	X(FREXP_EXP_I32_F32, "frexp_exp_i32_f32", 0, "f", 0) \
	X(CVT_FLOOR_I32_F32, "cvt_floor_i32_f32", 0, "f", 0) \
	X(CVT_NEAREST_I32_F32, "cvt_nearest_i32_f32", 0, "f", 0) \
	X(CVT_F32_UBYTE0, "cvt_f32_ubyte0", 1, ".", 0) X(CVT_F32_UBYTE1, "cvt_f32_ubyte1", 1, ".", 0) \
	X(CVT_F32_UBYTE2, "cvt_f32_ubyte2", 1, ".", 0) X(CVT_F32_UBYTE3, "cvt_f32_ubyte3", 1, ".", 0) \
	X(CVT_OFF_F32_I4, "cvt_off_f32_i4", 1, ".", 0) \
	X(MIN3_F32, "min3_f32", 1, "fff", 0) X(MAX3_F32, "max3_f32", 1, "fff", 0) \
	X(MED3_F32, "med3_f32", 1, "fff", 0) X(MAXMIN_F32, "maxmin_f32", 1, "fff", 0) \
	X(MINMAX_F32, "minmax_f32", 1, "fff", 0) \
	X(MIN_F32_NI, "", 1, "ff", 0) X(MAX_F32_NI, "", 1, "ff", 0) \
	X(DIV_SCALE_F32, "div_scale_f32", 1, "fff", 0) \
	X(DIV_FMAS_F32, "div_fmas_f32", 1, "fff", VEXTF_VCC) \
	X(DIV_FIXUP_F32, "div_fixup_f32", 1, "fff", 0) \
	X(MUL_DX9_ZERO_F32, "mul_dx9_zero_f32", 1, "ff", 0) \
	X(FMA_DX9_ZERO_F32, "fma_dx9_zero_f32", 1, "fff", 0) \
	X(FMAC_DX9_ZERO_F32, "fmac_dx9_zero_f32", 1, "ff", VEXTF_OLD) \
	X(DOT2ACC_F32_F16, "dot2acc_f32_f16", 1, "..", VEXTF_OLD | VEXTF_PACKED_SRC) \
	X(DOT4C_I32_I8, "dot4c_i32_i8", 0, "..", VEXTF_OLD) \
	X(MAD_LEGACY_F32, "mad_legacy_f32", 1, "fff", 0) \
	X(FLOOR_F64, "floor_f64", 3, "d", 0) X(CEIL_F64, "ceil_f64", 3, "d", 0) \
	X(TRUNC_F64, "trunc_f64", 3, "d", 0) X(RNDNE_F64, "rndne_f64", 3, "d", 0) \
	X(FRACT_F64, "fract_f64", 3, "d", 0) X(LDEXP_F64, "ldexp_f64", 3, "d.", 0) \
	X(FREXP_MANT_F64, "frexp_mant_f64", 3, "d", 0) \
	X(FREXP_EXP_I32_F64, "frexp_exp_i32_f64", 0, "d", 0) \
	X(RCP_F64, "rcp_f64", 3, "d", 0) X(RSQ_F64, "rsq_f64", 3, "d", 0) \
	X(SQRT_F64, "sqrt_f64", 3, "d", 0) \
	X(DIV_SCALE_F64, "div_scale_f64", 3, "ddd", 0) \
	X(DIV_FMAS_F64, "div_fmas_f64", 3, "ddd", VEXTF_VCC) \
	X(DIV_FIXUP_F64, "div_fixup_f64", 3, "ddd", 0) \
	X(TRIG_PREOP_F64, "trig_preop_f64", 3, "d.", 0) \
	X(MIN_F64_NI, "", 3, "dd", 0) X(MAX_F64_NI, "", 3, "dd", 0) \
	X(SUBREV_F16, "subrev_f16", 2, "hh", 0) X(FMA_F16, "fma_f16", 2, "hhh", 0) \
	X(FMAC_F16, "fmac_f16", 2, "hh", VEXTF_OLD) X(FMAAK_F16, "fmaak_f16", 2, "hhh", 0) \
	X(FMAMK_F16, "fmamk_f16", 2, "hhh", 0) \
	X(MAD_F16, "mad_f16", 2, "hhh", 0) X(MAC_F16, "mac_f16", 2, "hh", VEXTF_OLD) \
	X(MADAK_F16, "madak_f16", 2, "hhh", 0) X(MADMK_F16, "madmk_f16", 2, "hhh", 0) \
	X(MIN_F16, "min_f16", 2, "hh", 0) X(MAX_F16, "max_f16", 2, "hh", 0) \
	X(MIN3_F16, "min3_f16", 2, "hhh", 0) X(MAX3_F16, "max3_f16", 2, "hhh", 0) \
	X(MED3_F16, "med3_f16", 2, "hhh", 0) X(MAXMIN_F16, "maxmin_f16", 2, "hhh", 0) \
	X(MINMAX_F16, "minmax_f16", 2, "hhh", 0) X(LDEXP_F16, "ldexp_f16", 2, "hw", 0) \
	X(RCP_F16, "rcp_f16", 2, "h", 0) X(RSQ_F16, "rsq_f16", 2, "h", 0) \
	X(SQRT_F16, "sqrt_f16", 2, "h", 0) X(LOG_F16, "log_f16", 2, "h", 0) \
	X(EXP_F16, "exp_f16", 2, "h", 0) X(SIN_F16, "sin_f16", 2, "h", 0) \
	X(COS_F16, "cos_f16", 2, "h", 0) X(FLOOR_F16, "floor_f16", 2, "h", 0) \
	X(CEIL_F16, "ceil_f16", 2, "h", 0) X(TRUNC_F16, "trunc_f16", 2, "h", 0) \
	X(RNDNE_F16, "rndne_f16", 2, "h", 0) X(FRACT_F16, "fract_f16", 2, "h", 0) \
	X(FREXP_MANT_F16, "frexp_mant_f16", 2, "h", 0) \
	X(FREXP_EXP_I16_F16, "frexp_exp_i16_f16", 4, "h", 0) \
	X(CVT_F16_I16, "cvt_f16_i16", 2, "w", 0) X(CVT_F16_U16, "cvt_f16_u16", 2, "w", 0) \
	X(CVT_I16_F16, "cvt_i16_f16", 4, "h", 0) X(CVT_U16_F16, "cvt_u16_f16", 4, "h", 0) \
	X(CVT_NORM_I16_F16, "cvt_norm_i16_f16", 4, "h", 0) \
	X(CVT_NORM_U16_F16, "cvt_norm_u16_f16", 4, "h", 0) \
	X(DIV_FIXUP_F16, "div_fixup_f16", 2, "hhh", 0) \
	X(MIN_F16_NI, "", 2, "hh", 0) X(MAX_F16_NI, "", 2, "hh", 0) \
	X(PACK_B32_F16, "pack_b32_f16", 0, "hh", 0) \
	X(CVT_PK_RTZ_F16_F32, "cvt_pk_rtz_f16_f32", 0, "ff", 0) \
	X(CVT_PK_NORM_I16_F32, "cvt_pk_norm_i16_f32", 0, "ff", 0) \
	X(CVT_PK_NORM_U16_F32, "cvt_pk_norm_u16_f32", 0, "ff", 0) \
	X(CVT_PK_NORM_I16_F16, "cvt_pk_norm_i16_f16", 0, "hh", 0) \
	X(CVT_PK_NORM_U16_F16, "cvt_pk_norm_u16_f16", 0, "hh", 0) \
	X(CVT_PK_I16_F32, "cvt_pk_i16_f32", 0, "ff", 0) \
	X(CVT_PK_U16_F32, "cvt_pk_u16_f32", 0, "ff", 0) \
	X(CVT_PK_I16_I32, "cvt_pk_i16_i32", 0, "..", 0) \
	X(CVT_PK_U16_U32, "cvt_pk_u16_u32", 0, "..", 0) \
	X(CVT_PK_U8_F32, "cvt_pk_u8_f32", 0, "f..", 0) \
	X(CVT_PKACCUM_U8_F32, "cvt_pkaccum_u8_f32", 0, "f.", VEXTF_OLD) \
	X(MIN3_I32, "min3_i32", 0, "...", 0) X(MAX3_I32, "max3_i32", 0, "...", 0) \
	X(MED3_I32, "med3_i32", 0, "...", 0) X(MIN3_U32, "min3_u32", 0, "...", 0) \
	X(MAX3_U32, "max3_u32", 0, "...", 0) X(MED3_U32, "med3_u32", 0, "...", 0) \
	X(MAXMIN_I32, "maxmin_i32", 0, "...", 0) X(MINMAX_I32, "minmax_i32", 0, "...", 0) \
	X(MAXMIN_U32, "maxmin_u32", 0, "...", 0) X(MINMAX_U32, "minmax_u32", 0, "...", 0) \
	X(PERM_B32, "perm_b32", 0, "...", 0) X(ALIGNBYTE_B32, "alignbyte_b32", 0, "...", 0) \
	X(BFM_B32, "bfm_b32", 0, "..", 0) X(CLS_I32, "cls_i32", 0, ".", 0) \
	X(SAD_U8, "sad_u8", 0, "...", VEXTF_CLAMP) X(SAD_HI_U8, "sad_hi_u8", 0, "...", VEXTF_CLAMP) \
	X(SAD_U16, "sad_u16", 0, "...", VEXTF_CLAMP) X(SAD_U32, "sad_u32", 0, "...", VEXTF_CLAMP) \
	X(MSAD_U8, "msad_u8", 0, "...", VEXTF_CLAMP) X(LERP_U8, "lerp_u8", 0, "...", 0) \
	X(ADD_NC_U16, "add_nc_u16", 4, "ww", VEXTF_CLAMP) X(SUB_NC_U16, "sub_nc_u16", 4, "ww", VEXTF_CLAMP) \
	X(ADD_NC_I16, "add_nc_i16", 4, "ww", VEXTF_CLAMP) X(SUB_NC_I16, "sub_nc_i16", 4, "ww", VEXTF_CLAMP) \
	X(MAD_U16, "mad_u16", 4, "www", VEXTF_CLAMP) X(MAD_I16, "mad_i16", 4, "www", VEXTF_CLAMP) \
	X(MUL_LO_U16, "mul_lo_u16", 4, "ww", 0) X(LSHLREV_B16, "lshlrev_b16", 4, "ww", 0) \
	X(LSHRREV_B16, "lshrrev_b16", 4, "ww", 0) X(ASHRREV_I16, "ashrrev_i16", 4, "ww", 0) \
	X(MIN_I16, "min_i16", 4, "ww", 0) X(MAX_I16, "max_i16", 4, "ww", 0) \
	X(MIN_U16, "min_u16", 4, "ww", 0) X(MAX_U16, "max_u16", 4, "ww", 0) \
	X(MIN3_I16, "min3_i16", 4, "www", 0) X(MAX3_I16, "max3_i16", 4, "www", 0) \
	X(MED3_I16, "med3_i16", 4, "www", 0) X(MIN3_U16, "min3_u16", 4, "www", 0) \
	X(MAX3_U16, "max3_u16", 4, "www", 0) X(MED3_U16, "med3_u16", 4, "www", 0) \
	X(AND_B16, "and_b16", 4, "ww", 0) X(OR_B16, "or_b16", 4, "ww", 0) \
	X(XOR_B16, "xor_b16", 4, "ww", 0) X(NOT_B16, "not_b16", 4, "w", 0) \
	X(CNDMASK_B16, "cndmask_b16", 4, "ww.", 0) \
	X(MAD_U32_U16, "mad_u32_u16", 0, "ww.", VEXTF_CLAMP) \
	X(MAD_I32_I16, "mad_i32_i16", 0, "ww.", VEXTF_CLAMP) \
	X(CVT_I32_I16, "cvt_i32_i16", 0, "w", 0) X(CVT_U32_U16, "cvt_u32_u16", 0, "w", 0) \
	X(SAT_PK_U8_I16, "sat_pk_u8_i16", 4, ".", 0) \
	X(CUBEID_F32, "cubeid_f32", 1, "fff", 0) X(CUBESC_F32, "cubesc_f32", 1, "fff", 0) \
	X(CUBETC_F32, "cubetc_f32", 1, "fff", 0) X(CUBEMA_F32, "cubema_f32", 1, "fff", 0) \
	X(QSAD_PK_U16_U8, "qsad_pk_u16_u8", 0, "...", VEXTF_CLAMP) \
	X(MQSAD_PK_U16_U8, "mqsad_pk_u16_u8", 0, "...", VEXTF_CLAMP) \
	X(DOT2_F16_F16, "dot2_f16_f16", 2, "pph", VEXTF_PACKED_SRC) \
	X(DOT2_BF16_BF16, "dot2_bf16_bf16", 4, "bbw", VEXTF_PACKED_SRC) \
	X(MULLIT_F32, "mullit_f32", 1, "fff", 0) \
	X(PK_FMAC_F16, "pk_fmac_f16", 5, "pp", VEXTF_OLD | VEXTF_PACKED_SRC)

enum valu_ext_op {
	VEXT_NONE = 0,
#define X(id, name, kind, srcs, flags) VEXT_##id,
	VALU_EXT_OPS(X)
#undef X
	VEXT_COUNT
};

struct shader_valu_ext_info {
	const char *name;
	uint8_t kind;                  /* VEXT_K_* */
	const char *srcs;
	uint8_t flags;                 /* VEXTF_* */
};

/* Memory atomic operations (shader/atomic.c) */
enum shader_aop {
	AOP_NONE, AOP_ADD, AOP_SUB, AOP_RSUB, AOP_SWAP, AOP_CMPSWAP, AOP_AND, AOP_OR, AOP_XOR,
	AOP_MIN_U, AOP_MAX_U, AOP_MIN_I, AOP_MAX_I, AOP_INC, AOP_DEC, AOP_MSKOR, AOP_WRAP,
	AOP_CSUB, AOP_ADD_F, AOP_MIN_F, AOP_MAX_F, AOP_CMPSWAP_F
};
/* "add_u32", "cmpstore_f64", "min_i32"...: the operation (AOP_NONE if not
 * one) and whether it is 64-bit */
uint8_t shader_atomic_parse(const char *name, bool *wide);
/* Whether the operation takes a second data operand (compare value of
 * cmpswap, OR value of mskor, add-back value of wrap). */
bool shader_atomic_two_data(uint8_t op);
/* New memory value from the old one, data (the source) and data2 (the
 * second data operand); -1 for AOP_NONE. */
int shader_atomic_apply(uint8_t op, bool wide, uint64_t old, uint64_t data, uint64_t data2,
			uint64_t *out);

/* One decoded instruction, cached by address for the dispatch (the code
 * is not expected to change while it runs). */
struct shader_icache_entry {
	uint64_t pc;
	uint64_t gen;                  /* valid while equal to the core's gen */
	struct isa_inst inst;
	char base[48];                 /* mnemonic without _e32/_e64 */
	union {
		struct { struct shader_valu_plan x, y; } valu;
		struct shader_salu_plan salu;
		struct shader_mem_plan mem;
	} plan;
};

/* One VALU instruction (or VOPD half) computed but not yet written: the
 * per-lane results and the lane-mask result (shader/valu.c). */
struct shader_valu_half {
	int op;
	const struct isa_operand *vdst, *sdst;   /* VGPR result, SGPR mask result */
	bool cmpx;
	bool half16;                             /* 16-bit result: keep the other half */
	bool hi16;                               /* ... written to the high half (op_sel[3]) */
	bool zero_hi16;                          /* ... the high half zeroed (gfx9) */
	bool sdwa;                               /* gfx10.3 SDWA: dst_sel/dst_unused below */
	uint8_t dst_sel, dst_unused;
	uint64_t wmask;                          /* lanes written: EXEC, less DPP's disabled lanes */
	uint64_t val[64];
	uint64_t mask;
};

/* The sources of one VALU instruction, lane by lane (column k: source k,
 * the modifiers applied; unused columns 0), and v_fmac's old destination. */
struct shader_valu_inputs {
	uint64_t src[4][64];
	uint64_t old[64];
	unsigned zero_cols;            /* bit k: src[k] is all zero (all 64 lanes) */
};

/* Slots of the instruction cache (by dword address, direct mapped). */
#define SHADER_ICACHE_SLOTS 4096u

/* The calling thread's dispatch memory (shader/arena.c), grown to fit:
 * SHADER_ICACHE_SLOTS entries under a new generation, `nwaves` zeroed
 * waves whose v points at nvgpr x 64 VGPRs each (contents undefined until
 * init_wave), and at least lds_size bytes of LDS (undefined until the
 * workgroup clears it).  NULL when out of memory.  shader_arena_put ends
 * the dispatch's use. */
struct shader_arena {
	struct shader_icache_entry *icache;
	uint64_t gen;                  /* of the dispatch using it */
	uint8_t *lds;
	size_t lds_cap;
	struct shader_wave *waves;
	size_t waves_cap;
	uint32_t *vgprs;
	size_t vgprs_cap;
	bool busy, temporary;
};
struct shader_arena *shader_arena_get(unsigned nwaves, uint32_t nvgpr, uint32_t lds_size);
void shader_arena_put(struct shader_arena *a);

struct shader_grid;

struct shader_core {
	struct exec_job *job;
	const struct exec_dispatch *d;
	const struct shader_grid *grid;       /* the workgroup ids it launches (dispatch.c) */
	enum isa_gen gen;              /* the ISA the dispatch's code is decoded as */
	enum isa_gen decode_gen;       /* the decoder's input selector: gen, or
	                                  ISA_GEN_GFX906 / ISA_GEN_GFX90A for those gfx9s */
	unsigned lanes;                /* 32 or 64 */
	/* gfx10.3 wave64 shared VGPRs (RSRC3.SHARED_VGPR_CNT): registers
	 * [shared_first, shared_first + shared_count), one register per
	 * lane pair l / l + 32 (shader/dispatch.c keeps the pair equal);
	 * shared_old holds them before the instruction */
	uint32_t shared_first, shared_count;
	uint32_t *shared_old;
	uint8_t *lds;
	uint32_t lds_size;
	/* GWS state; NULL unless the job has a GWS partition (the dispatch
	 * then keeps every workgroup resident, shader/dispatch.c) */
	struct shader_gws *gws;
	struct shader_icache_entry *icache;
	uint64_t icache_gen;           /* this dispatch's generation (>= 1) */
	uint64_t pc;                   /* of the instruction being executed */
	struct shader_icache_entry *cur;
	/* The VM accesses of the vector-memory instruction being executed,
	 * under one hold of the memory lock (exec/window.h); opened and
	 * closed by each GLOBAL/FLAT/MUBUF/scratch executor */
	struct exec_vm_window vm;
	/* VALU working space (shader/valu.c), here rather than thread-local:
	 * a preloaded library's TLS costs a call per access */
	struct shader_valu_half valu_x, valu_y;
	struct shader_valu_inputs valu_in;
};

/* LDS (or, for a GDS access, the wave's GDS window: c->lds/c->lds_size)
 * dword or 64-bit access by byte address; each dword out of range reads
 * 0 and its write is dropped (shader/ds.c). */
uint64_t shader_lds_read(const struct shader_core *c, uint32_t a, bool wide);
void shader_lds_write(struct shader_core *c, uint32_t a, uint64_t v, bool wide);

/* Mask of the lanes that take part (wave32 only uses the low half). */
uint64_t wave_exec(const struct shader_core *c, const struct shader_wave *w);
void wave_set_exec(const struct shader_core *c, struct shader_wave *w, uint64_t m);
uint64_t wave_vcc(const struct shader_core *c, const struct shader_wave *w);
void wave_set_vcc(const struct shader_core *c, struct shader_wave *w, uint64_t m);
/* A lane mask stored in scalar registers at `code` (1 or 2 registers). */
uint64_t wave_mask_read(const struct shader_core *c, const struct shader_wave *w, uint16_t code);
void wave_mask_write(const struct shader_core *c, struct shader_wave *w, uint16_t code, uint64_t m);

/* gfx10.3: e->base (the gfx10.3 mnemonic without its _e32/_e64/_sdwa/_dpp
 * suffix) becomes the name of the gfx11 instruction with the same
 * semantics where the two differ only by name; ds_cmpst_* also get their
 * data operands in gfx11's order (shader/gfx103.c). */
void shader_gfx103_base_name(struct shader_icache_entry *e);
/* gfx9: as gfx10.3, plus the names only gfx9 has for a gfx11 operation
 * (v_add_u32 -> v_add_nc_u32, v_addc_co_u32 -> v_add_co_ci_u32, ...;
 * shader/gfx9.c).  shader_gfx9_flat_scratch: FLAT_SCRATCH (s[102:103]). */
void shader_gfx9_base_name(struct shader_icache_entry *e);
uint64_t shader_gfx9_flat_scratch(const struct shader_wave *w);
/* gfx9: whether the instruction (its gfx9 mnemonic) zeroes the high half
 * of its VGPR when it writes a 16-bit result to the low half. */
bool shader_gfx9_zeroes_hi16(const char *name);
/* GCN's v_mad_f32 (shader/valu.c): the product rounded, then the sum,
 * denormals flushed; with `legacy` gfx9's v_mad_legacy_f32, whose DX9
 * product is +0.0 when a factor is zero, whatever the other. */
uint32_t shader_mad_f32(uint32_t a, uint32_t b, uint32_t c, bool legacy);
/* gfx9 VGPR index mode (shader/gfx9.c): s_set_gpr_idx_on/off/mode/idx
 * set MODE.gpr_idx_en (bit 27) and M0's index (7:0) and operand mask
 * (15:12); while it is on, shader_gfx9_exec_indexed runs a VALU
 * instruction with the index added to its enabled VGPR operands. */
#define SHADER_GFX9_MODE_GPR_IDX_EN (1u << 27)
int shader_gfx9_set_gpr_idx(struct shader_core *c, struct shader_wave *w,
			    const struct isa_inst *in, const char *name);
int shader_gfx9_exec_indexed(struct shader_core *c, struct shader_wave *w,
			     const struct shader_icache_entry *e);
/* gfx9 DS _src2 forms (shader/ds_src2_gfx9.c): the operation of the
 * name (ds_add_src2_u32 -> AOP_ADD ...; false if not one) and its
 * execution. */
bool shader_gfx9_ds_src2_resolve(const char *name, uint8_t *aop, bool *wide);
int shader_gfx9_exec_ds_src2(struct shader_core *c, struct shader_wave *w,
			     const struct isa_inst *in, const struct shader_mem_plan *p);
/* gfx9 scalar memory writes (shader/smem_gfx9.c): which kind the SMEM
 * mnemonic is (SHADER_SMEM9_NONE: not one), and for the atomics the
 * operation and whether it is an _x2 form; then its execution. */
enum { SHADER_SMEM9_NONE, SHADER_SMEM9_STORE, SHADER_SMEM9_BUFFER_STORE, SHADER_SMEM9_ATOMIC,
       SHADER_SMEM9_BUFFER_ATOMIC, SHADER_SMEM9_SCRATCH };
int shader_gfx9_smem_resolve(const char *n, uint8_t *aop, bool *wide);
/* gfx900 v_mad_mix_f32 / v_mad_mixlo_f16 / v_mad_mixhi_f16
 * (shader/mix_gfx9.c): unfused, f32 denormals flushed. */
enum { SHADER_MADMIX9_F32, SHADER_MADMIX9_LO, SHADER_MADMIX9_HI };
int shader_gfx9_mad_mix(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
			int form);
int shader_gfx9_exec_smem_write(struct shader_core *c, struct shader_wave *w,
				const struct shader_icache_entry *e, int kind, uint8_t aop,
				bool wide);
/* gfx10.3 SDWA: source select (byte/word of v, zero- or sign-extended)
 * and destination placement (dst_sel, dst_unused PAD/SEXT/PRESERVE). */
uint32_t shader_sdwa_select(uint32_t v, uint8_t sel, bool sext);
uint32_t shader_sdwa_place(uint32_t res, uint32_t old, uint8_t sel, uint8_t unused);

/* Fault naming the current PC and encoding. */
int shader_fault(struct shader_core *c, const char *why);
/* "illegal instruction <text> [<class>, not supported by the vgpu]": an
 * encoding the core has no executor for. */
int shader_illegal(struct shader_core *c);
/* The same fault with `note` in place of "not supported by the vgpu"
 * (MEM_ABSENT: why the chip has no such instruction). */
int shader_illegal_why(struct shader_core *c, const char *note);

/* Operand access (scalar side; VGPR operands are read per lane). */
int sop_read(struct shader_core *c, struct shader_wave *w, const struct isa_operand *op,
	     uint64_t *val);
int sop_write(struct shader_core *c, struct shader_wave *w, const struct isa_operand *op,
	      uint64_t val);
const struct isa_operand *inst_op(const struct isa_inst *in, enum isa_field f);

/* Whether a resolved plan has an executor (for shader_executes, shader.h) */
bool shader_salu_executes(const struct shader_icache_entry *e);
bool shader_valu_executes(const struct shader_icache_entry *e);
/* Resolvers: fill e->plan from e->base / e->inst, once per decode. */
void shader_salu_resolve(struct shader_icache_entry *e);
void shader_valu_resolve(struct shader_icache_entry *e);
void shader_vmem_resolve(struct shader_icache_entry *e);
void shader_ds_resolve(struct shader_icache_entry *e);
void shader_mubuf_resolve(struct shader_icache_entry *e);
void shader_scratch_resolve(struct shader_icache_entry *e);

int shader_exec_salu(struct shader_core *c, struct shader_wave *w,
		     const struct shader_icache_entry *e);
/* Hardware registers, messages and mode changes (shader/sreg.c):
 * s_getreg_b32, s_setreg_b32, s_setreg_imm32_b32, s_sendmsg_rtn_b32/b64,
 * s_round_mode, s_denorm_mode; `name` is the mnemonic. */
int shader_exec_sreg(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
		     const char *name);
/* gfx10.3 s_memtime (the 64-bit shader clock, the 1 GHz count
 * SHADER_CYCLES takes its low bits from) / s_memrealtime (the 100 MHz
 * REALTIME counter) into SDATA */
int shader_exec_memtime(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
			bool real);
/* MODE from COMPUTE_PGM_RSRC1 (FLOAT_MODE, DX10_CLAMP, IEEE_MODE,
 * FP16_OVFL), as the SPI loads it into a new wave. */
uint32_t shader_mode_from_rsrc1(uint32_t rsrc1);
int shader_exec_smem(struct shader_core *c, struct shader_wave *w,
		     const struct shader_icache_entry *e);
int shader_exec_valu(struct shader_core *c, struct shader_wave *w,
		     const struct shader_icache_entry *e);
/* shader/valu_ext.c: the VEXT_* id of a name without "v_" (VEXT_NONE if
 * none), its description, and one operation over the lanes in exec
 * (-1: not an operation it has) */
int shader_valu_ext_resolve(const char *name);
const struct shader_valu_ext_info *shader_valu_ext_info(int ext);
int shader_valu_ext_lanes(int op, const struct shader_valu_inputs *in, uint64_t exec,
			  uint64_t vcc, bool clamp, uint32_t mode, struct shader_valu_half *r);
/* shader/valu_pk.c: VOP3P (packed 16-bit, dot products, v_fma_mix*);
 * -ENOENT for a name it does not run */
int shader_exec_vop3p(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
		      const char *name);
/* shader/valu_lane.c: cross-lane moves (v_permlane*, v_movrel*, v_swap*)
 * by name; -ENOENT for another name */
int shader_exec_valu_lane(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
			  const char *name);
/* Whether those two run a name (make isa-coverage): shader_exec_vop3p,
 * and shader_exec_valu_lane with or without DPP. */
bool shader_vop3p_known(const char *name);
bool shader_valu_lane_known(const char *name, bool dpp);
/* The DPP16/DPP8 source lane of each destination lane (shader/valu_lane.c):
 * src[l] the lane whose src0 lane l reads; *wmask the lanes written
 * (row/bank masks, and lanes without a valid source unless bound_ctrl),
 * *zero the lanes that read 0 instead */
void shader_dpp_lanes(const struct isa_inst *in, unsigned lanes, uint64_t exec, uint8_t *src,
		      uint64_t *wmask, uint64_t *zero);
/* shader/float_mode.c: MODE's denormal flush of one source column or of
 * the results, and the host rounding mode for MODE's FP_ROUND */
void shader_fmode_flush_col(uint64_t *col, unsigned lanes, char type, uint32_t mode);
void shader_fmode_flush_results(struct shader_valu_half *r, uint64_t exec, int kind, uint32_t mode);
int shader_fmode_round_begin(uint32_t mode, int kind);
void shader_fmode_round_end(int saved);
int shader_exec_vmem(struct shader_core *c, struct shader_wave *w,
		     const struct shader_icache_entry *e);
/* MUBUF buffer_load/store through a V#. */
int shader_exec_mubuf(struct shader_core *c, struct shader_wave *w,
		      const struct shader_icache_entry *e);
/* scratch_load/store through the wave's slot (shader/scratch.c) */
int shader_exec_scratch(struct shader_core *c, struct shader_wave *w,
			const struct shader_icache_entry *e);
/* Gives wave `index` of workgroup number `wg` (linear, from 0) its scratch
 * slot and returns the slot's byte offset in the scratch buffer (0 when
 * the dispatch has no scratch).  gfx11: sets w->scratch_base to the
 * slot's address (architected flat scratch); gfx10.3: w->scratch_base
 * (FLAT_SCRATCH) is 0, the kernel sets it with s_setreg. */
uint64_t shader_scratch_wave_init(const struct shader_core *c, struct shader_wave *w, uint64_t wg,
			      unsigned index, unsigned nwaves);
/* `n` bytes at lane `lane`'s private offset `off` in the wave's scratch
 * slot (a fault when the wave has no scratch or the access leaves the
 * lane's share) */
int shader_scratch_access(struct shader_core *c, const struct shader_wave *w, unsigned lane,
			  uint32_t off, void *buf, unsigned n, bool store);
/* Flat apertures (shader/aperture.c): the value of src_shared_base/
 * _limit and src_private_base/_limit (0, or -1 for another code), and a
 * FLAT access by lane `lane` at `va`: into LDS, the lane's scratch or
 * the VM by the aperture it falls in. */
int shader_aperture_source(uint16_t code, uint64_t *val);
int shader_flat_access(struct shader_core *c, const struct shader_wave *w, unsigned lane,
		       uint64_t va, void *buf, unsigned n, bool store);
/* shared by the vector-memory executors (shader/vmem.c) */
int vmem_width_of(const char *suffix, unsigned *bytes, bool *sext);
int vmem_check_vgprs(struct shader_core *c, const struct shader_wave *w,
		     const struct isa_operand *o);
/* gfx90a AccVGPR instructions (shader/mai_gfx90a.c): whether `in` is one
 * (MFMA, v_accvgpr_*, or a memory instruction with AccVGPR data), and its
 * executor. */
bool shader_gfx90a_acc(const struct isa_inst *in);
int shader_exec_acc_gfx90a(struct shader_core *c, struct shader_wave *w,
			   struct shader_icache_entry *e);
int shader_exec_ds(struct shader_core *c, struct shader_wave *w,
		   const struct shader_icache_entry *e);

/* gfx11 unified formats (buffer and image FORMAT codes 1-63) and their
 * conversions (shader/mubuf.c) */
enum { NF_UNORM, NF_SNORM, NF_USCALED, NF_SSCALED, NF_UINT, NF_SINT, NF_FLOAT,
       NF_UFLOAT /* unsigned 10/11-bit float: 5-bit exponent, no sign */ };
/* packed layouts (one dword; the name lists the fields from bit 31 down) */
enum { BPK_NONE, BPK_2_10_10_10, BPK_10_10_10_2, BPK_10_11_11, BPK_11_11_10 };
struct buf_format {
	uint8_t ncomp, bits, nf;       /* components of `bits` bits each (packed: see comp) */
	uint8_t packed;                /* BPK_*: the components share one dword */
};
/* FORMAT code -> layout; ncomp 0: invalid or not modelled */
struct buf_format buf_format_of(unsigned code);
/* the same for gfx10.3's FORMAT codes (shader/mubuf_gfx103.c) */
struct buf_format buf_format_of_gfx103(unsigned code);
/* gfx9's DATA_FORMAT / NUM_FORMAT pair (shader/mubuf_gfx9.c) */
struct buf_format buf_format_of_gfx9(unsigned dfmt, unsigned nfmt);
unsigned buf_format_bytes(const struct buf_format *f);
/* component i of a texel: its raw bits (and, in *fi, the one-component
 * format that converts them); storing raw bits of component i */
uint32_t buf_comp_get(const struct buf_format *f, const uint8_t *texel, unsigned i,
		      struct buf_format *fi);
void buf_comp_put(const struct buf_format *f, uint8_t *texel, unsigned i, uint32_t raw);
/* component raw bits <-> VGPR value (d16: the 16-bit one) */
uint32_t fmt_to_reg(const struct buf_format *f, uint32_t raw, bool d16);
uint32_t reg_to_fmt(const struct buf_format *f, uint32_t reg, bool d16);
/* MIMG storage-image instructions (shader/mimg.c) */
void shader_mimg_resolve(struct shader_icache_entry *e);
int shader_exec_mimg(struct shader_core *c, struct shader_wave *w,
		     const struct shader_icache_entry *e);

#endif /* VGPU_SHADER_INTERNAL_H */
