/*
 * Vector ALU of the shader core: VOP1/VOP2/VOP3/VOPC and the dual-issue
 * VOPD, lane by lane over the lanes EXEC enables.  Operands are taken in
 * the decoder's slot order: the slots before the first source are
 * destinations (VGPR, SGPR mask, carry out), the rest sources (a VCC or
 * SGPR-mask source gives the lane's bit).  f32 arithmetic is the host's
 * IEEE single precision with round-to-nearest-even and denormals kept;
 * fused multiply-adds use fmaf, so results match a C reference that
 * calls fmaf bit for bit.  An opcode not in the table, DPP, or a modifier
 * the core does not apply is an illegal-instruction fault.
 */
#include "internal.h"
#include "valu_fp.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* X(id, mnemonic without "v_", result kind: 0 integer, 1 f32 (clamp and
 * omod apply), 2 f16 in the low half (the high half is kept, as the
 * hardware does with op_sel[3] = 0), 3 f64) */
#define VALU_OPS(X) \
	X(MOV_B32, "mov_b32", 0) X(CNDMASK_B32, "cndmask_b32", 0) \
	X(ADD_NC_U32, "add_nc_u32", 0) X(SUB_NC_U32, "sub_nc_u32", 0) \
	X(SUBREV_NC_U32, "subrev_nc_u32", 0) X(ADD_CO_U32, "add_co_u32", 0) \
	X(SUB_CO_U32, "sub_co_u32", 0) X(SUBREV_CO_U32, "subrev_co_u32", 0) \
	X(ADD_CO_CI_U32, "add_co_ci_u32", 0) X(SUB_CO_CI_U32, "sub_co_ci_u32", 0) \
	X(SUBREV_CO_CI_U32, "subrev_co_ci_u32", 0) \
	X(MUL_LO_U32, "mul_lo_u32", 0) X(MUL_HI_U32, "mul_hi_u32", 0) \
	X(MUL_HI_I32, "mul_hi_i32", 0) X(MUL_U32_U24, "mul_u32_u24", 0) \
	X(MUL_I32_I24, "mul_i32_i24", 0) X(MAD_U32_U24, "mad_u32_u24", 0) \
	X(MUL_HI_U32_U24, "mul_hi_u32_u24", 0) X(MUL_HI_I32_I24, "mul_hi_i32_i24", 0) \
	X(MAD_I32_I24, "mad_i32_i24", 0) X(MAD_U64_U32, "mad_u64_u32", 0) \
	X(MAD_I64_I32, "mad_i64_i32", 0) \
	X(LSHLREV_B32, "lshlrev_b32", 0) X(LSHRREV_B32, "lshrrev_b32", 0) \
	X(ASHRREV_I32, "ashrrev_i32", 0) X(LSHLREV_B64, "lshlrev_b64", 0) \
	X(LSHRREV_B64, "lshrrev_b64", 0) X(ASHRREV_I64, "ashrrev_i64", 0) \
	X(AND_B32, "and_b32", 0) X(OR_B32, "or_b32", 0) X(XOR_B32, "xor_b32", 0) \
	X(XNOR_B32, "xnor_b32", 0) X(NOT_B32, "not_b32", 0) \
	X(LSHL_OR_B32, "lshl_or_b32", 0) X(AND_OR_B32, "and_or_b32", 0) \
	X(OR3_B32, "or3_b32", 0) X(XOR3_B32, "xor3_b32", 0) \
	X(LSHL_ADD_U32, "lshl_add_u32", 0) X(ADD_LSHL_U32, "add_lshl_u32", 0) \
	X(ADD3_U32, "add3_u32", 0) X(XAD_U32, "xad_u32", 0) \
	X(BFE_U32, "bfe_u32", 0) X(BFE_I32, "bfe_i32", 0) X(BFI_B32, "bfi_b32", 0) \
	X(ALIGNBIT_B32, "alignbit_b32", 0) \
	X(MIN_I32, "min_i32", 0) X(MAX_I32, "max_i32", 0) \
	X(MIN_U32, "min_u32", 0) X(MAX_U32, "max_u32", 0) \
	X(ADD_F32, "add_f32", 1) X(SUB_F32, "sub_f32", 1) X(SUBREV_F32, "subrev_f32", 1) \
	X(MUL_F32, "mul_f32", 1) X(FMA_F32, "fma_f32", 1) X(FMAC_F32, "fmac_f32", 1) \
	X(FMAMK_F32, "fmamk_f32", 1) X(FMAAK_F32, "fmaak_f32", 1) \
	X(MAD_F32, "mad_f32", 1) X(MAC_F32, "mac_f32", 1) \
	X(MADMK_F32, "madmk_f32", 1) X(MADAK_F32, "madak_f32", 1) \
	X(MIN_F32, "min_f32", 1) X(MAX_F32, "max_f32", 1) \
	X(CVT_F32_I32, "cvt_f32_i32", 1) X(CVT_F32_U32, "cvt_f32_u32", 1) \
	X(CVT_I32_F32, "cvt_i32_f32", 0) X(CVT_U32_F32, "cvt_u32_f32", 0) \
	X(MBCNT_LO_U32_B32, "mbcnt_lo_u32_b32", 0) X(MBCNT_HI_U32_B32, "mbcnt_hi_u32_b32", 0) \
	X(ADD_F64, "add_f64", 3) X(MUL_F64, "mul_f64", 3) X(FMA_F64, "fma_f64", 3) \
	X(MIN_F64, "min_f64", 3) X(MAX_F64, "max_f64", 3) \
	X(CVT_F64_I32, "cvt_f64_i32", 3) X(CVT_F64_U32, "cvt_f64_u32", 3) \
	X(CVT_F64_F32, "cvt_f64_f32", 3) X(CVT_F32_F64, "cvt_f32_f64", 1) \
	X(CVT_I32_F64, "cvt_i32_f64", 0) X(CVT_U32_F64, "cvt_u32_f64", 0) \
	X(CVT_F16_F32, "cvt_f16_f32", 2) X(CVT_F32_F16, "cvt_f32_f16", 1) \
	X(ADD_NC_I32, "add_nc_i32", 0) X(SUB_NC_I32, "sub_nc_i32", 0) \
	X(BCNT_U32_B32, "bcnt_u32_b32", 0) X(BFREV_B32, "bfrev_b32", 0) \
	X(CLZ_I32_U32, "clz_i32_u32", 0) X(CTZ_I32_B32, "ctz_i32_b32", 0) \
	X(FLOOR_F32, "floor_f32", 1) X(CEIL_F32, "ceil_f32", 1) \
	X(TRUNC_F32, "trunc_f32", 1) X(RNDNE_F32, "rndne_f32", 1) \
	X(LDEXP_F32, "ldexp_f32", 1) X(SQRT_F32, "sqrt_f32", 1) \
	X(RCP_IFLAG_F32, "rcp_iflag_f32", 1) \
	X(ADD_F16, "add_f16", 2) X(SUB_F16, "sub_f16", 2) X(MUL_F16, "mul_f16", 2) \
	X(READFIRSTLANE_B32, "readfirstlane_b32", 0) X(READLANE_B32, "readlane_b32", 0) \
	X(WRITELANE_B32, "writelane_b32", 0) X(CMP, "cmp_", 0)

enum valu_op {
	VOP_UNRESOLVED = 0,
#define X(id, name, f) VOP_##id,
	VALU_OPS(X)
#undef X
	VOP_EXT,        /* shader/valu_ext.c: plan.ext says which */
	VOP_LANE,       /* cross-lane moves, v_nop (shader/valu_lane.c) */
	VOP_UNKNOWN
};

static const struct { const char *name; int kind; } op_info[] = {
	[VOP_UNRESOLVED] = { "", 0 },
#define X(id, name, f) [VOP_##id] = { name, f },
	VALU_OPS(X)
#undef X
	[VOP_EXT] = { "", 0 },
	[VOP_LANE] = { "", 0 },
	[VOP_UNKNOWN] = { "", 0 },
};

/* Names shader/valu_lane.c runs (whole-instruction, not per lane). */
static const char *const lane_names[] = {
	"permlane16_b32", "permlanex16_b32", "permlane64_b32", "movrels_b32", "movreld_b32",
	"movrelsd_b32", "movrelsd_2_b32", "swap_b32", "swaprel_b32", "nop", "pipeflush",
	"mqsad_u32_u8", "illegal", "clrexcp",
};

static int resolve(const char *n, int16_t *ext)
{
	*ext = VEXT_NONE;
	if (strncmp(n, "v_dual_", 7) == 0)
		n += 7;
	else if (strncmp(n, "v_", 2) == 0)
		n += 2;
	else
		return VOP_UNKNOWN;
	if (strncmp(n, "cmp_", 4) == 0 || strncmp(n, "cmpx_", 5) == 0)
		return VOP_CMP;
	for (int i = VOP_UNRESOLVED + 1; i < VOP_EXT; i++)
		if (op_info[i].name[0] && strcmp(n, op_info[i].name) == 0)
			return i;
	*ext = (int16_t)shader_valu_ext_resolve(n);
	if (*ext != VEXT_NONE)
		return VOP_EXT;
	for (size_t i = 0; i < sizeof(lane_names) / sizeof(lane_names[0]); i++)
		if (strcmp(n, lane_names[i]) == 0)
			return VOP_LANE;
	return VOP_UNKNOWN;
}

static bool is_source(uint8_t field)
{
	return field == ISA_FLD_SRC0 || field == ISA_FLD_SRC1 || field == ISA_FLD_SRC2 ||
	       field == ISA_FLD_VSRC1 || field == ISA_FLD_LITK;
}

static float f32(uint64_t v)
{
	float f;
	uint32_t u = (uint32_t)v;
	memcpy(&f, &u, 4);
	return f;
}

/* A denormal f32 as the zero of its sign. */
static uint32_t flush_denorm_f32(uint32_t v)
{
	return (v & 0x7f800000u) == 0 ? v & 0x80000000u : v;
}

/* v_mad_f32 / v_mac_f32 / v_madmk_f32 / v_madak_f32 (GCN, gfx9): not
 * fused: the product is rounded, then the sum ("same result as ADD after
 * MUL_IEEE", Vega ISA), and they "do not support denormals" (LLVM
 * SIISelLowering, which selects them only with f32 denormals flushed):
 * denormal sources, product and result are zeros of their sign.
 * `legacy`: V_MAD_LEGACY_F32 (Vega ISA: "D.f = S0.f * S1.f + S2.f (DX9
 * rules, 0.0 * x = 0.0)"): a zero factor (after the flush) makes the
 * product +0.0 even when the other is an infinity or a NaN, as
 * V_MUL_LEGACY_F32's product is. */
uint32_t shader_mad_f32(uint32_t a, uint32_t b, uint32_t c, bool legacy)
{
	float fa = f32(flush_denorm_f32(a)), fb = f32(flush_denorm_f32(b));
	float p = legacy && (fa == 0.0f || fb == 0.0f) ? 0.0f : fa * fb;
	uint32_t pu;
	memcpy(&pu, &p, 4);
	float r = f32(flush_denorm_f32(pu)) + f32(flush_denorm_f32(c));
	uint32_t ru;
	memcpy(&ru, &r, 4);
	return flush_denorm_f32(ru);
}

static uint32_t u32f(float f)
{
	uint32_t u;
	memcpy(&u, &f, 4);
	return u;
}

/* v_cvt_i32_f32 / v_cvt_u32_f32: truncate, saturate, NaN -> 0 */
static uint32_t cvt_i32(float f)
{
	if (isnan(f)) return 0;
	if (f >= 2147483648.0f) return 0x7fffffff;
	if (f <= -2147483648.0f) return 0x80000000u;
	return (uint32_t)(int32_t)f;
}

static uint32_t cvt_u32(float f)
{
	if (isnan(f) || f <= 0.0f) return 0;
	if (f >= 4294967296.0f) return 0xffffffffu;
	return (uint32_t)f;
}

/* V_CMP_CLASS_F32: the one class bit of the value, in the ISA's order:
 * 0 signaling NaN, 1 quiet NaN, 2 -inf, 3 -normal, 4 -denormal, 5 -0,
 * 6 +0, 7 +denormal, 8 +normal, 9 +inf. */
static uint32_t class_bits_f32(uint32_t v)
{
	uint32_t exp = (v >> 23) & 0xff, man = v & 0x7fffff;
	bool neg = v >> 31;
	if (exp == 0xff && man)
		return (man & 0x400000) ? 1u << 1 : 1u << 0;
	if (exp == 0xff)
		return neg ? 1u << 2 : 1u << 9;
	if (exp == 0 && !man)
		return neg ? 1u << 5 : 1u << 6;
	if (exp == 0)
		return neg ? 1u << 4 : 1u << 7;
	return neg ? 1u << 3 : 1u << 8;
}

/* V_CMP_CLASS_F16: the same bits for a half */
static uint32_t class_bits_f16(uint32_t v)
{
	uint32_t exp = (v >> 10) & 0x1f, man = v & 0x3ff;
	bool neg = (v >> 15) & 1;
	if (exp == 0x1f && man)
		return (man & 0x200) ? 1u << 1 : 1u << 0;
	if (exp == 0x1f)
		return neg ? 1u << 2 : 1u << 9;
	if (exp == 0 && !man)
		return neg ? 1u << 5 : 1u << 6;
	if (exp == 0)
		return neg ? 1u << 4 : 1u << 7;
	return neg ? 1u << 3 : 1u << 8;
}

/* V_CMP_CLASS_F64: the same bits for a double */
static uint32_t class_bits_f64(uint64_t v)
{
	uint64_t exp = (v >> 52) & 0x7ff, man = v & 0xfffffffffffffull;
	bool neg = v >> 63;
	if (exp == 0x7ff && man)
		return (man >> 51) ? 1u << 1 : 1u << 0;
	if (exp == 0x7ff)
		return neg ? 1u << 2 : 1u << 9;
	if (exp == 0 && !man)
		return neg ? 1u << 5 : 1u << 6;
	if (exp == 0)
		return neg ? 1u << 4 : 1u << 7;
	return neg ? 1u << 3 : 1u << 8;
}

/* v_cmp(x)_<op>_<type>: the comparison and the operand type, parsed
 * from the name once (cmp_parse); 0 means the name is not a comparison
 * the core implements (an illegal instruction when a lane runs it). */
enum { CMPOP_NONE, CMPOP_CLASS, CMPOP_F, CMPOP_T, CMPOP_LT, CMPOP_EQ, CMPOP_LE, CMPOP_GT,
       CMPOP_NE, CMPOP_LG, CMPOP_GE, CMPOP_O, CMPOP_U, CMPOP_NEQ, CMPOP_NLT, CMPOP_NLE,
       CMPOP_NGT, CMPOP_NGE, CMPOP_NLG };
enum { CMPT_NONE, CMPT_F32, CMPT_F64, CMPT_I32, CMPT_U32, CMPT_I64, CMPT_U64, CMPT_F16,
       CMPT_I16, CMPT_U16 };

static void cmp_parse(const char *n, struct shader_valu_plan *p)
{
	static const char *const ops[] = {
		[CMPOP_F] = "f", [CMPOP_T] = "t", [CMPOP_LT] = "lt", [CMPOP_EQ] = "eq",
		[CMPOP_LE] = "le", [CMPOP_GT] = "gt", [CMPOP_NE] = "ne", [CMPOP_LG] = "lg",
		[CMPOP_GE] = "ge", [CMPOP_O] = "o", [CMPOP_U] = "u", [CMPOP_NEQ] = "neq",
		[CMPOP_NLT] = "nlt", [CMPOP_NLE] = "nle", [CMPOP_NGT] = "ngt", [CMPOP_NGE] = "nge",
		[CMPOP_NLG] = "nlg",
	};
	p->cmp = p->cmp_type = 0;
	const char *q = strchr(n + 2, '_');   /* after v_cmp / v_cmpx */
	if (!q)
		return;
	q++;
	const char *t = strrchr(q, '_');
	if (!t)
		return;
	size_t oplen = (size_t)(t - q);
	char op[8];
	if (oplen >= sizeof(op))
		return;
	memcpy(op, q, oplen);
	op[oplen] = 0;
	t++;
	uint8_t type;
	if (!strcmp(t, "f32")) type = CMPT_F32;
	else if (!strcmp(t, "f16")) type = CMPT_F16;
	else if (!strcmp(t, "i16")) type = CMPT_I16;
	else if (!strcmp(t, "u16")) type = CMPT_U16;
	else if (!strcmp(t, "f64")) type = CMPT_F64;
	else if (!strcmp(t, "i32")) type = CMPT_I32;
	else if (!strcmp(t, "u32") || !strcmp(t, "b32")) type = CMPT_U32;
	else if (!strcmp(t, "i64")) type = CMPT_I64;
	else if (!strcmp(t, "u64") || !strcmp(t, "b64")) type = CMPT_U64;
	else return;
	if (!strcmp(op, "class")) {
		if (type == CMPT_F32 || type == CMPT_F16 || type == CMPT_F64) {
			p->cmp = CMPOP_CLASS;
			p->cmp_type = type;
		}
		return;
	}
	for (uint8_t i = CMPOP_F; i <= CMPOP_NLG; i++)
		if (!strcmp(op, ops[i])) {
			p->cmp = i;
			p->cmp_type = type;
			return;
		}
}

/* One lane's comparison; -1 for a name cmp_parse did not accept. */
static int compare(uint8_t cmp, uint8_t type, uint64_t a, uint64_t b, bool *out)
{
	if (cmp == CMPOP_CLASS) {
		uint32_t bits = type == CMPT_F32 ? class_bits_f32((uint32_t)a)
			      : type == CMPT_F16 ? class_bits_f16((uint32_t)a)
			      : class_bits_f64(a);
		*out = (bits & (uint32_t)b) != 0;
		return 0;
	}
	int lt, eq, gt, un = 0;
	switch (type) {
	case CMPT_F32: case CMPT_F64: case CMPT_F16: {
		double x, y;
		if (type == CMPT_F32) {
			x = f32(a);
			y = f32(b);
		} else if (type == CMPT_F16) {
			x = vf16_to_f32((uint16_t)a);
			y = vf16_to_f32((uint16_t)b);
		} else {
			memcpy(&x, &a, 8);
			memcpy(&y, &b, 8);
		}
		un = isnan(x) || isnan(y);
		lt = !un && x < y; eq = !un && x == y; gt = !un && x > y;
		break;
	}
	case CMPT_I16:
		lt = (int16_t)a < (int16_t)b; eq = (uint16_t)a == (uint16_t)b; gt = (int16_t)a > (int16_t)b;
		break;
	case CMPT_U16:
		lt = (uint16_t)a < (uint16_t)b; eq = (uint16_t)a == (uint16_t)b; gt = (uint16_t)a > (uint16_t)b;
		break;
	case CMPT_I32:
		lt = (int32_t)a < (int32_t)b; eq = (uint32_t)a == (uint32_t)b; gt = (int32_t)a > (int32_t)b;
		break;
	case CMPT_U32:
		lt = (uint32_t)a < (uint32_t)b; eq = (uint32_t)a == (uint32_t)b; gt = (uint32_t)a > (uint32_t)b;
		break;
	case CMPT_I64:
		lt = (int64_t)a < (int64_t)b; eq = a == b; gt = (int64_t)a > (int64_t)b;
		break;
	case CMPT_U64:
		lt = a < b; eq = a == b; gt = a > b;
		break;
	default:
		return -1;
	}
	switch (cmp) {
	case CMPOP_F: *out = false; break;
	case CMPOP_T: *out = true; break;
	case CMPOP_LT: *out = lt; break;
	case CMPOP_EQ: *out = eq; break;
	case CMPOP_LE: *out = lt || eq; break;
	case CMPOP_GT: *out = gt; break;
	case CMPOP_NE: *out = !eq; break;      /* integer */
	case CMPOP_LG: *out = lt || gt; break; /* float: ordered, not equal */
	case CMPOP_GE: *out = gt || eq; break;
	case CMPOP_O: *out = !un; break;
	case CMPOP_U: *out = un; break;
	case CMPOP_NEQ: *out = !eq; break;
	case CMPOP_NLT: *out = !lt; break;
	case CMPOP_NLE: *out = !(lt || eq); break;
	case CMPOP_NGT: *out = !gt; break;
	case CMPOP_NGE: *out = !(gt || eq); break;
	case CMPOP_NLG: *out = !(lt || gt); break;
	default: return -1;
	}
	return 0;
}

static double f64(uint64_t v)
{
	double d;
	memcpy(&d, &v, 8);
	return d;
}

static uint64_t u64d(double d)
{
	uint64_t u;
	memcpy(&u, &d, 8);
	return u;
}

/* v_cvt_i32_f64 / v_cvt_u32_f64: truncate, saturate, NaN -> 0 */
static uint32_t cvt_i32_d(double f)
{
	if (isnan(f)) return 0;
	if (f >= 2147483647.0) return 0x7fffffff;
	if (f <= -2147483648.0) return 0x80000000u;
	return (uint32_t)(int32_t)f;
}

static uint32_t cvt_u32_d(double f)
{
	if (isnan(f) || f <= 0.0) return 0;
	if (f >= 4294967295.0) return 0xffffffffu;
	return (uint32_t)f;
}

/* f16 <-> f32 through the compiler's _Float16 (round to nearest even,
 * f16 denormals kept) */
static uint16_t f32_to_f16(float f)
{
	_Float16 h = (_Float16)f;
	uint16_t u;
	memcpy(&u, &h, 2);
	return u;
}

static uint16_t f64_to_f16(double d)
{
	_Float16 h = (_Float16)d;
	uint16_t u;
	memcpy(&u, &h, 2);
	return u;
}

/* f16 -> f32 is exact; done on the bits because the compiler's
 * _Float16 conversion is a libgcc call without -mf16c (22% of a GEMM
 * dispatch).  Same results as that conversion for all 65536 inputs
 * (test_vgpu_shader_ops checks them), a signaling NaN quieted as it does. */
static inline __attribute__((always_inline)) float f16_to_f32(uint16_t h)
{
	uint32_t sign = (uint32_t)(h & 0x8000u) << 16, exp = (h >> 10) & 0x1fu, man = h & 0x3ffu;
	uint32_t bits;
	float f;
	if (exp == 0x1f) {
		bits = sign | 0x7f800000u | (man ? 0x400000u : 0) | (man << 13);
	} else if (exp) {
		bits = sign | ((exp + 112) << 23) | (man << 13);
	} else {
		f = (float)man * 0x1p-24f;   /* denormal or zero: exact */
		memcpy(&bits, &f, 4);
		bits |= sign;
	}
	memcpy(&f, &bits, 4);
	return f;
}

/* v_mbcnt_lo/hi: set bits of the mask below this lane, in the low or
 * high 32 lanes */
static uint32_t mbcnt(uint32_t mask, unsigned lane, bool hi)
{
	unsigned base = hi ? 32 : 0;
	if (lane <= base)
		return 0;
	unsigned below = lane - base >= 32 ? 32 : lane - base;
	uint64_t m = below >= 32 ? mask : mask & ((1u << below) - 1);
	return (uint32_t)__builtin_popcountll(m);
}

/* V_MIN_F32 / V_MAX_F32 in IEEE mode (what compute kernels run with):
 * a signaling NaN operand gives it quieted, a quiet NaN yields the other
 * operand, and -0 orders below +0 (the ISA pseudo-code's comparison). */
static uint32_t minmax_f32(uint32_t a, uint32_t b, bool max)
{
	float x = f32(a), y = f32(b);
	if (class_bits_f32(a) & 1u)
		return a | 0x400000u;
	if (class_bits_f32(b) & 1u)
		return b | 0x400000u;
	if (isnan(x))
		return b;
	if (isnan(y))
		return a;
	bool a_lt_b = x < y || (x == 0 && y == 0 && (a >> 31) && !(b >> 31));
	bool b_lt_a = y < x || (x == 0 && y == 0 && (b >> 31) && !(a >> 31));
	if (max)
		return b_lt_a ? a : b;
	return a_lt_b ? a : b;
}

/* V_ADD_NC_I32 / V_SUB_NC_I32 / V_ADD_NC_U32 / V_SUB_NC_U32 with the
 * VOP3 clamp bit: the result saturates instead of wrapping. */
static uint32_t int_addsub(int op, uint32_t a, uint32_t b, bool clamp)
{
	if (op == VOP_ADD_NC_I32 || op == VOP_SUB_NC_I32) {
		int64_t r = op == VOP_ADD_NC_I32 ? (int64_t)(int32_t)a + (int32_t)b
						 : (int64_t)(int32_t)a - (int32_t)b;
		if (clamp)
			r = r > INT32_MAX ? INT32_MAX : r < INT32_MIN ? INT32_MIN : r;
		return (uint32_t)r;
	}
	int64_t r = op == VOP_ADD_NC_U32 ? (int64_t)a + b
		  : op == VOP_SUB_NC_U32 ? (int64_t)a - b : (int64_t)b - a;
	if (clamp)
		r = r > UINT32_MAX ? UINT32_MAX : r < 0 ? 0 : r;
	return (uint32_t)r;
}

static uint32_t bitrev32(uint32_t v)
{
	uint32_t r = 0;
	for (int i = 0; i < 32; i++)
		r |= ((v >> i) & 1u) << (31 - i);
	return r;
}

/* One lane of one operation: result (up to 64 bits) and carry/compare bit. */
/* Always inlined: lane_loop instantiates it with a constant op, so each
 * operation gets its own loop over the lanes with no switch inside. */
static inline __attribute__((always_inline)) int
lane_op(int op, const struct shader_valu_plan *p, const uint64_t *s, uint64_t dst_old,
	unsigned lane, bool clamp, uint64_t *res, bool *bit)
{
	uint32_t a = (uint32_t)s[0], b = (uint32_t)s[1], cc = (uint32_t)s[2];
	uint64_t t;
	switch (op) {
	case VOP_MOV_B32: *res = a; break;
	case VOP_CNDMASK_B32: *res = (s[2] & 1) ? b : a; break;
	case VOP_ADD_NC_U32: case VOP_SUB_NC_U32: case VOP_SUBREV_NC_U32:
	case VOP_ADD_NC_I32: case VOP_SUB_NC_I32:
		*res = int_addsub(op, a, b, clamp);
		break;
	case VOP_BCNT_U32_B32: *res = (uint32_t)__builtin_popcount(a) + b; break;
	case VOP_BFREV_B32: *res = bitrev32(a); break;
	/* no bit set: -1 */
	case VOP_CLZ_I32_U32: *res = a ? (uint32_t)__builtin_clz(a) : 0xffffffffu; break;
	case VOP_CTZ_I32_B32: *res = a ? (uint32_t)__builtin_ctz(a) : 0xffffffffu; break;
	case VOP_FLOOR_F32: *res = u32f(floorf(f32(a))); break;
	case VOP_CEIL_F32: *res = u32f(ceilf(f32(a))); break;
	case VOP_TRUNC_F32: *res = u32f(truncf(f32(a))); break;
	/* round half to even whatever the host's rounding mode (MODE may
	 * have set a directed one); x - trunc(x) is exact */
	case VOP_RNDNE_F32: {
		float x = f32(a), tr = truncf(x), fr = x - tr;
		if (fabsf(fr) > 0.5f || (fabsf(fr) == 0.5f && fmodf(tr, 2.0f) != 0))
			tr += fr < 0 ? -1.0f : 1.0f;
		*res = isnan(x) ? a | 0x400000u : u32f(copysignf(tr, x));
		break;
	}
	/* S0 * 2^S1, S1 a signed integer; the host's ldexpf rounds once */
	case VOP_LDEXP_F32: *res = u32f(ldexpf(f32(a), (int32_t)b)); break;
	/* The ISA allows 1 ULP for these; the core gives the correctly
	 * rounded result, which is within it. */
	case VOP_SQRT_F32: *res = u32f(sqrtf(f32(a))); break;
	case VOP_RCP_IFLAG_F32: *res = u32f(1.0f / f32(a)); break;
	case VOP_ADD_CO_U32: t = (uint64_t)a + b; *res = (uint32_t)t; *bit = t >> 32; break;
	case VOP_SUB_CO_U32: *res = a - b; *bit = b > a; break;
	case VOP_SUBREV_CO_U32: *res = b - a; *bit = a > b; break;
	case VOP_ADD_CO_CI_U32: t = (uint64_t)a + b + (s[2] & 1); *res = (uint32_t)t; *bit = t >> 32; break;
	case VOP_SUB_CO_CI_U32: *res = a - b - (uint32_t)(s[2] & 1); *bit = (uint64_t)b + (s[2] & 1) > a; break;
	case VOP_SUBREV_CO_CI_U32: *res = b - a - (uint32_t)(s[2] & 1); *bit = (uint64_t)a + (s[2] & 1) > b; break;
	case VOP_MUL_LO_U32: *res = a * b; break;
	case VOP_MUL_HI_U32: *res = (uint32_t)(((uint64_t)a * b) >> 32); break;
	case VOP_MUL_HI_I32: *res = (uint32_t)(((int64_t)(int32_t)a * (int32_t)b) >> 32); break;
	case VOP_MUL_U32_U24: *res = (a & 0xffffff) * (b & 0xffffff); break;
	/* the low 32 bits of the 48-bit product (int64: no signed overflow) */
	case VOP_MUL_I32_I24: *res = (uint32_t)((int64_t)((int32_t)(a << 8) >> 8) * ((int32_t)(b << 8) >> 8)); break;
	/* the high 16 bits of the 48-bit product, zero- or sign-extended
	 * (RDNA3 ISA: V_MUL_HI_U32_U24 / V_MUL_HI_I32_I24; clang emits them
	 * for 24-bit products it needs all of) */
	case VOP_MUL_HI_U32_U24: *res = (uint32_t)(((uint64_t)(a & 0xffffff) * (b & 0xffffff)) >> 32); break;
	case VOP_MUL_HI_I32_I24: *res = (uint32_t)((uint64_t)((int64_t)((int32_t)(a << 8) >> 8) * ((int32_t)(b << 8) >> 8)) >> 32); break;
	case VOP_MAD_U32_U24: *res = (a & 0xffffff) * (b & 0xffffff) + cc; break;
	case VOP_MAD_I32_I24: *res = (uint32_t)((int64_t)((int32_t)(a << 8) >> 8) * ((int32_t)(b << 8) >> 8)) + cc; break;
	case VOP_MAD_U64_U32: {
		unsigned __int128 w = (unsigned __int128)((uint64_t)a * b) + s[2];
		*res = (uint64_t)w; *bit = (w >> 64) != 0; break;
	}
	case VOP_MAD_I64_I32: {
		__int128 w = (__int128)((int64_t)(int32_t)a * (int32_t)b) + (int64_t)s[2];
		*res = (uint64_t)w; *bit = w != (int64_t)w; break;
	}
	case VOP_LSHLREV_B32: *res = b << (a & 31); break;
	case VOP_LSHRREV_B32: *res = b >> (a & 31); break;
	case VOP_ASHRREV_I32: *res = (uint32_t)((int32_t)b >> (a & 31)); break;
	case VOP_LSHLREV_B64: *res = s[1] << (a & 63); break;
	case VOP_LSHRREV_B64: *res = s[1] >> (a & 63); break;
	case VOP_ASHRREV_I64: *res = (uint64_t)((int64_t)s[1] >> (a & 63)); break;
	case VOP_AND_B32: *res = a & b; break;
	case VOP_OR_B32: *res = a | b; break;
	case VOP_XOR_B32: *res = a ^ b; break;
	case VOP_XNOR_B32: *res = ~(a ^ b); break;
	case VOP_NOT_B32: *res = (uint32_t)~a; break;
	case VOP_LSHL_OR_B32: *res = (a << (b & 31)) | cc; break;
	case VOP_AND_OR_B32: *res = (a & b) | cc; break;
	case VOP_OR3_B32: *res = a | b | cc; break;
	case VOP_XOR3_B32: *res = a ^ b ^ cc; break;
	case VOP_LSHL_ADD_U32: *res = (a << (b & 31)) + cc; break;
	case VOP_ADD_LSHL_U32: *res = (a + b) << (cc & 31); break;
	case VOP_ADD3_U32: *res = a + b + cc; break;
	case VOP_XAD_U32: *res = (a ^ b) + cc; break;
	case VOP_BFE_U32: case VOP_BFE_I32: {
		/* the signed form shifts arithmetically: a field reaching past
		 * bit 31 takes the sign bit's copies (LLVM's constant folder of
		 * llvm.amdgcn.sbfe agrees) */
		uint32_t off = b & 31, w = cc & 31;
		uint32_t sh = op == VOP_BFE_I32 ? (uint32_t)((int32_t)a >> off) : a >> off;
		uint32_t v = w ? sh & ((1u << w) - 1) : 0;
		if (op == VOP_BFE_I32 && w && ((v >> (w - 1)) & 1))
			v |= ~0u << w;
		*res = v;
		break;
	}
	case VOP_BFI_B32: *res = (a & b) | (~a & cc); break;
	case VOP_ALIGNBIT_B32: *res = (uint32_t)((((uint64_t)a << 32) | b) >> (cc & 31)); break;
	case VOP_MIN_I32: *res = (int32_t)a < (int32_t)b ? a : b; break;
	case VOP_MAX_I32: *res = (int32_t)a > (int32_t)b ? a : b; break;
	case VOP_MIN_U32: *res = a < b ? a : b; break;
	case VOP_MAX_U32: *res = a > b ? a : b; break;
	case VOP_ADD_F32: *res = u32f(f32(a) + f32(b)); break;
	case VOP_SUB_F32: *res = u32f(f32(a) - f32(b)); break;
	case VOP_SUBREV_F32: *res = u32f(f32(b) - f32(a)); break;
	case VOP_MUL_F32: *res = u32f(f32(a) * f32(b)); break;
	case VOP_FMA_F32: case VOP_FMAMK_F32: case VOP_FMAAK_F32:
		*res = u32f(fmaf(f32(a), f32(b), f32(cc))); break;
	case VOP_FMAC_F32: *res = u32f(fmaf(f32(a), f32(b), f32(dst_old))); break;
	case VOP_MAD_F32: case VOP_MADMK_F32: case VOP_MADAK_F32:
		*res = shader_mad_f32(a, b, cc, false); break;
	case VOP_MAC_F32: *res = shader_mad_f32(a, b, (uint32_t)dst_old, false); break;
	case VOP_MIN_F32: *res = minmax_f32(a, b, false); break;
	case VOP_MAX_F32: *res = minmax_f32(a, b, true); break;
	case VOP_CVT_F32_I32: *res = u32f((float)(int32_t)a); break;
	case VOP_CVT_F32_U32: *res = u32f((float)a); break;
	case VOP_CVT_I32_F32: *res = cvt_i32(f32(a)); break;
	case VOP_CVT_U32_F32: *res = cvt_u32(f32(a)); break;
	case VOP_MBCNT_LO_U32_B32: *res = mbcnt(a, lane, false) + b; break;
	case VOP_MBCNT_HI_U32_B32: *res = mbcnt(a, lane, true) + b; break;
	case VOP_ADD_F64: *res = u64d(f64(s[0]) + f64(s[1])); break;
	case VOP_MUL_F64: *res = u64d(f64(s[0]) * f64(s[1])); break;
	case VOP_FMA_F64: *res = u64d(fma(f64(s[0]), f64(s[1]), f64(s[2]))); break;
	case VOP_MIN_F64: *res = vminmax_f64(s[0], s[1], false, true); break;
	case VOP_MAX_F64: *res = vminmax_f64(s[0], s[1], true, true); break;
	case VOP_CVT_F64_I32: *res = u64d((double)(int32_t)a); break;
	case VOP_CVT_F64_U32: *res = u64d((double)a); break;
	case VOP_CVT_F64_F32: *res = u64d((double)f32(a)); break;
	case VOP_CVT_F32_F64: *res = u32f((float)f64(s[0])); break;
	case VOP_CVT_I32_F64: *res = cvt_i32_d(f64(s[0])); break;
	case VOP_CVT_U32_F64: *res = cvt_u32_d(f64(s[0])); break;
	case VOP_CVT_F16_F32: *res = f32_to_f16(f32(a)); break;
	/* f16 add/sub/mul on the low halves: the exact sum or product of two
	 * f16 values fits in a double, so one rounding to f16 follows */
	case VOP_ADD_F16: *res = f64_to_f16((double)f16_to_f32((uint16_t)a) + f16_to_f32((uint16_t)b)); break;
	case VOP_SUB_F16: *res = f64_to_f16((double)f16_to_f32((uint16_t)a) - f16_to_f32((uint16_t)b)); break;
	case VOP_MUL_F16: *res = f64_to_f16((double)f16_to_f32((uint16_t)a) * f16_to_f32((uint16_t)b)); break;
	case VOP_CVT_F32_F16: *res = u32f(f16_to_f32((uint16_t)a)); break;
	case VOP_CMP: return compare(p->cmp, p->cmp_type, s[0], s[1], bit);
	default: return -1;
	}
	return 0;
}

/* The source modifiers the encoding allows (float sign bit), as masks:
 * value = (value & ~abs) ^ neg. */
static void modifier_masks(const struct isa_opdesc *desc, const struct isa_operand *o,
			   char type, bool dpp, uint64_t *abs_mask, uint64_t *neg_mask)
{
	uint64_t sign = o->bits == 64 ? 1ull << 63
		      : (type == 'p' || type == 'b') ? 0x80008000u
		      : (o->bits == 16 || type == 'h' || type == 'w') ? 0x8000 : 0x80000000u;
	/* DPP16 e32 forms: the decoder set abs/neg only where the opcode
	 * takes them (its dpp_mods) */
	*abs_mask = o->abs && ((desc->flags & ISA_OPF_ABS_PRINT) || dpp) ? sign : 0;
	*neg_mask = o->neg && ((desc->flags & ISA_OPF_NEG_PRINT) || dpp) ? sign : 0;
}

/* Runs `op` over the lanes set in exec: results into r, -1 when lane_op
 * refuses (an illegal instruction). */
static inline __attribute__((always_inline)) int
lane_loop(int op, const struct shader_valu_plan *p, const struct shader_valu_inputs *in, uint64_t exec,
	  bool clamp, struct shader_valu_half *r)
{
	for (uint64_t m = exec; m; m &= m - 1) {
		unsigned lane = (unsigned)__builtin_ctzll(m);
		uint64_t s[4] = { in->src[0][lane], in->src[1][lane], in->src[2][lane],
				  in->src[3][lane] };
		uint64_t res = 0;
		bool bit = false;
		if (lane_op(op, p, s, in->old[lane], lane, clamp, &res, &bit))
			return -1;
		r->val[lane] = res;
		r->mask |= (uint64_t)bit << lane;
	}
	return 0;
}

/* One specialised loop per operation (the op is a constant in each). */
static int run_lanes(int op, const struct shader_valu_plan *p, const struct shader_valu_inputs *in,
		     uint64_t exec, bool clamp, struct shader_valu_half *r)
{
	switch (op) {
#define X(id, name, f) case VOP_##id: return lane_loop(VOP_##id, p, in, exec, clamp, r);
	VALU_OPS(X)
#undef X
	default:
		return exec ? -1 : 0;
	}
}

/* The source types of a table operation (one character per source, as
 * VALU_EXT_OPS writes them): which sources MODE's denormal flush and
 * op_sel apply to, and where a 16-bit source's sign bit is. */
static const char *base_srcs(int op, const struct shader_valu_plan *p)
{
	switch (op) {
	case VOP_CMP:
		switch (p->cmp_type) {
		case CMPT_F32: return p->cmp == CMPOP_CLASS ? "f." : "ff";
		case CMPT_F64: return p->cmp == CMPOP_CLASS ? "d." : "dd";
		case CMPT_F16: return p->cmp == CMPOP_CLASS ? "h." : "hh";
		case CMPT_I16: case CMPT_U16: return "ww";
		default: return "";
		}
	case VOP_CVT_F32_I32: case VOP_CVT_F32_U32: case VOP_CVT_F64_I32: case VOP_CVT_F64_U32:
		return "";
	case VOP_CVT_F32_F64: case VOP_CVT_I32_F64: case VOP_CVT_U32_F64:
		return "d";
	case VOP_CVT_F32_F16: return "h";
	case VOP_ADD_F16: case VOP_SUB_F16: case VOP_MUL_F16: return "hh";
	case VOP_LDEXP_F32: return "f.";
	case VOP_CVT_I32_F32: case VOP_CVT_U32_F32: case VOP_CVT_F16_F32: case VOP_CVT_F64_F32:
		return "f";
	default:
		break;
	}
	switch (op_info[op].kind) {
	case 1: return "fff";
	case 3: return "ddd";
	default: return "";
	}
}

/* Inline constants on packed 16-bit sources (ext ops flagged
 * VEXTF_PACKED_SRC), from the RDNA3 guide section 7.5.1 and LLVM 19:
 * - packed f16 ('p': v_dot2_f16_f16, v_pk_fmac_f16): a float constant is
 *   its f16 value in bits 0-15 and 0 in bits 16-31 (the guide: inline
 *   constants "produce a value in only the low 16-bits", an F16 value for
 *   float 16-bit sources; llvm-mc-19 encodes the literal 0x3c00 there as
 *   the inline constant 1.0); 0..64 are that integer; a negative integer
 *   faults (the guide's reading gives 0x0000ffff for -1, LLVM 19's the
 *   32-bit sign-extended value: it encodes 0xffffffff, not 0xffff, as -1
 *   on a packed 16-bit operand);
 * - packed bf16 ('b': v_dot2_bf16_bf16 S0/S1) and v_dot2acc_f32_f16's S0:
 *   the guide takes the upper 16 bits of the FP32 constant, replicated to
 *   both halves for the DOT2 forms ("duplicate lo to hi" for DOT2ACC),
 *   while LLVM 19 places the value in bits 0-15 only (llvm-mc-19 encodes
 *   the literal 0x3f80 / 0x3c00 there as the inline constant 1.0); the two
 *   disagree on bits 16-31, so a constant other than 0 faults. */
static int packed_inline_const(struct shader_core *c, unsigned ext, const char *types,
			       size_t ntypes, const struct isa_operand *const *src, unsigned nsrc,
			       uint64_t *scal)
{
	static const uint16_t f16c[9] = { 0x3800, 0xb800, 0x3c00, 0xbc00, 0x4000,
					  0xc000, 0x4400, 0xc400, 0x3118 };
	for (unsigned k = 0; k < nsrc && k < 2; k++) {
		const struct isa_operand *o = src[k];
		if (o->kind != ISA_OPK_INLINE || o->code == 128)
			continue;
		char t = k < ntypes ? types[k] : '.';
		if (t == 'b' || ext == VEXT_DOT2ACC_F32_F16) {
			char msg[200];
			snprintf(msg, sizeof(msg), "inline constant (source code %u) in a packed %s "
				 "source: the RDNA3 guide and LLVM 19 disagree on its bits 16-31",
				 o->code, t == 'b' ? "bf16" : "f16 dot2acc");
			return shader_fault(c, msg);
		}
		if (t == 'p' && o->code >= 240 && o->code <= 248)
			scal[k] = f16c[o->code - 240];
		if (t == 'p' && o->code > 192 && o->code <= 208)
			return shader_fault(c, "negative integer inline constant in a packed f16 "
					    "source: the RDNA3 guide (bits 0-15 only) and LLVM 19 (both "
					    "halves) disagree on its value");
	}
	return 0;
}

/* Computes one instruction (or one VOPD half) into r without writing. */
static int compute(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
		   const struct isa_opdesc *desc, const struct isa_operand *ops, unsigned nops,
		   const struct shader_valu_plan *p, struct shader_valu_half *r)
{
	const struct isa_operand *src[4] = { NULL };
	unsigned nsrc = 0, i = 0;
	int op = p->op;
	const struct shader_valu_ext_info *xi = op == VOP_EXT ? shader_valu_ext_info(p->ext) : NULL;
	int kind = p->kind;
	const char *types = p->srcs;
	size_t ntypes = p->nsrc_types;
	uint32_t mode = w->mode;
	r->op = op;
	r->vdst = r->sdst = NULL;
	r->cmpx = p->cmpx;
	r->mask = 0;
	for (; i < nops && !is_source(ops[i].field); i++) {
		if (ops[i].kind == ISA_OPK_VGPR && ops[i].field == ISA_FLD_VDST)
			r->vdst = &ops[i];
		else
			r->sdst = &ops[i];
	}
	for (; i < nops && nsrc < 4; i++)
		src[nsrc++] = &ops[i];
	uint64_t scal[4] = { 0 };
	for (unsigned k = 0; k < nsrc; k++) {
		/* a lane mask is read per lane; src_scc and the other specials
		 * that LLVM also takes there are not modelled */
		if (src[k]->lanemask && src[k]->kind != ISA_OPK_SREG)
			return shader_illegal(c);
		if (src[k]->kind == ISA_OPK_VGPR || src[k]->field == ISA_FLD_VCC ||
		    src[k]->lanemask)
			continue;
		int e = sop_read(c, w, src[k], &scal[k]);
		if (e)
			return e;
	}
	if (xi && (xi->flags & VEXTF_PACKED_SRC)) {
		int e = packed_inline_const(c, p->ext, types, ntypes, src, nsrc, scal);
		if (e)
			return e;
	}
	if (r->vdst && (uint32_t)r->vdst->reg + (r->vdst->bits > 32) >= w->nvgpr)
		return shader_fault(c, "VGPR destination beyond the RSRC1.VGPRS allocation");
	for (unsigned k = 0; k < nsrc; k++)
		if (src[k]->kind == ISA_OPK_VGPR && (uint32_t)src[k]->reg + (src[k]->bits > 32) >= w->nvgpr)
			return shader_fault(c, "VGPR source beyond the RSRC1.VGPRS allocation");
	uint64_t exec = wave_exec(c, w);
	bool fres = kind == 1 || kind == 2 || kind == 3;
	r->half16 = kind == VEXT_K_F16 || kind == VEXT_K_I16;
	r->hi16 = false;
	/* gfx9: most 16-bit results zero the high half of the VGPR
	 * (shader/gfx9.c); gfx10+ keep it always */
	r->zero_hi16 = p->zero_hi16 && r->half16;
	/* op_sel bits LLVM ignores for this opcode have no effect */
	uint8_t opsel = (desc->flags & ISA_OPF_OPSEL_PRINT) ? in->opsel : 0;
	/* v_dot2_f16_f16 / v_dot2_bf16_bf16: "OPSEL[1:0] are ignored" (RDNA3
	 * ISA); op_sel[2] picks S2's half, op_sel[3] D's */
	if (xi && (p->ext == VEXT_DOT2_F16_F16 || p->ext == VEXT_DOT2_BF16_BF16))
		opsel &= 0xc;
	/* v_dot2_bf16_bf16's S2 is a bf16 operand: a float inline constant
	 * (240..248) supplies the high 16 bits of its f32 encoding as bf16 in
	 * bits 0-15 (RDNA3 guide 7.5.1: "BF16 uses 32-bit float constants and
	 * then the BF16 operand selects the upper 16 bits of the FP32
	 * constant"; LLVM 19 agrees: AMDGPUBaseInfo isInlinableLiteralBF16,
	 * 0x3F00 0.5 ... 0x3E22 1/(2*pi), and llvm-mc-19 encodes the bf16
	 * literal 0x3f80 in S2 as the inline constant 1.0) */
	if (xi && p->ext == VEXT_DOT2_BF16_BF16 && nsrc > 2 && src[2]->kind == ISA_OPK_INLINE &&
	    src[2]->code >= 240 && src[2]->code <= 248)
		scal[2] = (scal[2] >> 16) & 0xffff;
	/* an integer constant there: the guide's upper 16 bits of the 32-bit
	 * constant (0 for 1..64) and LLVM's 16-bit pattern disagree */
	if (xi && p->ext == VEXT_DOT2_BF16_BF16 && nsrc > 2 && src[2]->kind == ISA_OPK_INLINE &&
	    src[2]->code > 128 && src[2]->code <= 208)
		return shader_fault(c, "integer inline constant in v_dot2_bf16_bf16's bf16 S2: the "
				       "RDNA3 guide and LLVM 19 disagree on its value");
	/* op_sel (VOP3): bit k picks the high half of 16-bit source k, bit 3
	 * writes a 16-bit result to the high half; on other operands it is
	 * not an encoding the core runs */
	if (opsel && in->enc == ISA_ENC_VOP3) {
		for (unsigned k = 0; k < 3; k++)
			if (((opsel >> k) & 1) &&
			    (k >= ntypes || (types[k] != 'h' && types[k] != 'w')))
				return shader_illegal(c);
		if ((opsel & 8) && !r->half16)
			return shader_illegal(c);
		r->hi16 = (opsel & 8) != 0;
	} else if (opsel) {
		return shader_illegal(c);
	}
	/* clamp on the integer add/sub forms saturates (applied in lane_op) */
	bool int_clamp = in->clamp && !in->omod &&
			 (op == VOP_ADD_NC_U32 || op == VOP_SUB_NC_U32 || op == VOP_SUBREV_NC_U32 ||
			  op == VOP_ADD_NC_I32 || op == VOP_SUB_NC_I32 ||
			  (xi && (xi->flags & VEXTF_CLAMP)));
	if ((in->clamp || in->omod) && !fres && op != VOP_CMP && !int_clamp)
		return shader_illegal(c);
	/* DPP: src0 is read from another lane; lanes the row/bank masks or
	 * an invalid source disable are not written */
	r->sdwa = in->sdwa && r->vdst;
	r->dst_sel = in->dst_sel;
	r->dst_unused = in->dst_unused;
	uint8_t dpp_src[64];
	uint64_t dpp_zero = 0;
	if (in->dpp) {
		uint64_t wm;
		if (nsrc == 0 || src[0]->kind != ISA_OPK_VGPR || src[0]->sext)
			return shader_illegal(c);
		shader_dpp_lanes(in, c->lanes, exec, dpp_src, &wm, &dpp_zero);
		exec &= wm;
	}
	/* Gather every source for every lane first: nothing is written before
	 * all sources are read, so this is what reading per lane gives. */
	struct shader_valu_inputs *li = &c->valu_in;
	unsigned lanes = c->lanes;
	for (unsigned k = 0; k < 4; k++) {
		uint64_t *col = li->src[k];
		if (k >= nsrc) {
			/* VOPD v_dual_cndmask_b32: VCC is the implicit mask */
			uint64_t vcc = k == 2 && op == VOP_CNDMASK_B32 && nsrc == 2 ? wave_vcc(c, w) : 0;
			if (vcc) {
				for (unsigned l = 0; l < lanes; l++)
					col[l] = (vcc >> l) & 1;
				li->zero_cols &= ~(1u << k);
			} else if (!(li->zero_cols & (1u << k))) {
				/* a zero column stays zero until a source fills it */
				memset(col, 0, sizeof(li->src[k]));
				li->zero_cols |= 1u << k;
			}
			continue;
		}
		li->zero_cols &= ~(1u << k);
		const struct isa_operand *o = src[k];
		char type = k < ntypes ? types[k] : '.';
		unsigned sh = ((opsel >> k) & 1) && in->enc == ISA_ENC_VOP3 && k < 3 ? 16 : 0;
		uint64_t abs_mask, neg_mask;
		modifier_masks(desc, o, type, in->dpp != 0 || in->sdwa, &abs_mask, &neg_mask);
		if (o->kind == ISA_OPK_VGPR) {
			const uint32_t *lo = &w->v[(size_t)o->reg * 64];
			if (o->bits > 32 && k == 0 && in->dpp) {
				/* gfx90a's DP ALU DPP (row_newbcast): the lane
				 * pattern moves the whole 64-bit value */
				const uint32_t *hi = &w->v[(size_t)(o->reg + 1) * 64];
				for (unsigned l = 0; l < lanes; l++) {
					unsigned sl = dpp_src[l];
					col[l] = ((((dpp_zero >> l) & 1) ? 0
						   : lo[sl] | (uint64_t)hi[sl] << 32) & ~abs_mask) ^ neg_mask;
				}
			} else if (o->bits > 32) {
				const uint32_t *hi = &w->v[(size_t)(o->reg + 1) * 64];
				for (unsigned l = 0; l < lanes; l++)
					col[l] = ((lo[l] | (uint64_t)hi[l] << 32) & ~abs_mask) ^ neg_mask;
			} else if (k == 0 && in->dpp) {
				for (unsigned l = 0; l < lanes; l++)
					col[l] = ((((dpp_zero >> l) & 1) ? 0 : (uint64_t)lo[dpp_src[l]]) &
						  ~abs_mask) ^ neg_mask;
			} else if (sh) {
				for (unsigned l = 0; l < lanes; l++)
					col[l] = ((uint64_t)(lo[l] >> 16) & ~abs_mask) ^ neg_mask;
			} else {
				for (unsigned l = 0; l < lanes; l++)
					col[l] = ((uint64_t)lo[l] & ~abs_mask) ^ neg_mask;
			}
		} else if (o->field == ISA_FLD_VCC || o->lanemask) {
			/* lane masks: VCC of the e32 forms, the decoder's
			 * lanemask sources (v_cndmask_b32_e64's mask, the co_ci
			 * carry-in) */
			uint64_t m = wave_mask_read(c, w, o->kind == ISA_OPK_SREG ? o->reg : SREG_VCC_LO);
			for (unsigned l = 0; l < lanes; l++)
				col[l] = (((m >> l) & 1) & ~abs_mask) ^ neg_mask;
		} else {
			uint64_t sv = o->kind == ISA_OPK_SREG ? scal[k] >> sh : scal[k];
			uint64_t v = (sv & ~abs_mask) ^ neg_mask;
			for (unsigned l = 0; l < lanes; l++)
				col[l] = v;
		}
		/* gfx10.3 SDWA: src0/src1 are a byte or word of the register,
		 * zero- or sign-extended (SEXT), before the float modifiers */
		if (in->sdwa && k < 2 && o->field != ISA_FLD_VCC && !o->lanemask && o->bits <= 32) {
			uint8_t sel = k == 0 ? in->src0_sel : in->src1_sel;
			const uint32_t *lo = o->kind == ISA_OPK_VGPR ? &w->v[(size_t)o->reg * 64] : NULL;
			for (unsigned l = 0; l < lanes; l++) {
				uint32_t raw = lo ? lo[l] : (uint32_t)scal[k];
				col[l] = ((uint64_t)shader_sdwa_select(raw, sel, o->sext) & ~abs_mask) ^
					 neg_mask;
			}
		}
		/* MODE.FP_DENORM: denormal float inputs read as zero */
		if ((mode & 0xf0u) != 0xf0u)
			shader_fmode_flush_col(col, lanes, type, mode);
	}
	/* v_fmac and the other accumulating forms read their destination */
	if ((op == VOP_FMAC_F32 || op == VOP_MAC_F32 || (xi && (xi->flags & VEXTF_OLD))) && r->vdst) {
		const uint32_t *lo = &w->v[(size_t)r->vdst->reg * 64];
		const uint32_t *hi = r->vdst->bits > 32 ? &w->v[(size_t)(r->vdst->reg + 1) * 64] : NULL;
		for (unsigned l = 0; l < lanes; l++)
			li->old[l] = (r->hi16 ? lo[l] >> 16 : lo[l]) | (hi ? (uint64_t)hi[l] << 32 : 0);
		/* the accumulator is a float source like the others */
		if ((mode & 0xf0u) != 0xf0u && (fres || kind == VEXT_K_PK_F16))
			shader_fmode_flush_col(li->old, lanes, kind == 1 ? 'f' : kind == 2 ? 'h'
					       : kind == VEXT_K_PK_F16 ? 'p' : 'd', mode);
	}
	/* MODE.IEEE off: v_min/v_max return the other operand for any NaN */
	int run_op = op, run_ext = p->ext;
	if (!(mode & MODE_IEEE)) {
		if (op == VOP_MIN_F32 || op == VOP_MAX_F32 || op == VOP_MIN_F64 || op == VOP_MAX_F64) {
			run_ext = op == VOP_MIN_F32 ? VEXT_MIN_F32_NI : op == VOP_MAX_F32 ? VEXT_MAX_F32_NI
				: op == VOP_MIN_F64 ? VEXT_MIN_F64_NI : VEXT_MAX_F64_NI;
			run_op = VOP_EXT;
		} else if (op == VOP_EXT && (run_ext == VEXT_MIN_F16 || run_ext == VEXT_MAX_F16)) {
			run_ext = run_ext == VEXT_MIN_F16 ? VEXT_MIN_F16_NI : VEXT_MAX_F16_NI;
		}
	}
	int saved_round = -1;
	if ((mode & 0xfu) && (fres || kind == VEXT_K_PK_F16))
		saved_round = shader_fmode_round_begin(mode, kind);
	int bad;
	if (run_op == VOP_EXT)
		bad = shader_valu_ext_lanes(run_ext, li, exec,
					    xi && (xi->flags & VEXTF_VCC) ? wave_vcc(c, w) : 0,
					    int_clamp, mode, r);
	else
		bad = run_lanes(run_op, p, li, exec, int_clamp, r);
	if (fres && (in->omod || in->clamp)) {
		/* DX10_CLAMP: clamp takes a NaN to 0; without it a NaN stays */
		bool nan0 = (mode & MODE_DX10_CLAMP) != 0;
		for (uint64_t m = exec; m; m &= m - 1) {
			unsigned lane = (unsigned)__builtin_ctzll(m);
			uint64_t res = r->val[lane];
			if (kind == 1) {
				if (in->omod) {
					static const float scale[4] = { 1.0f, 2.0f, 4.0f, 0.5f };
					res = u32f(f32(res) * scale[in->omod & 3]);
				}
				if (in->clamp) {
					float f = f32(res);
					res = f != f ? (nan0 ? 0 : res)
						     : u32f(f < 0.0f ? 0.0f : f > 1.0f ? 1.0f : f);
				}
			} else if (kind == 3) {
				static const double scale[4] = { 1.0, 2.0, 4.0, 0.5 };
				double f = f64(res) * scale[in->omod & 3];
				if (in->clamp)
					f = f != f ? (nan0 ? 0.0 : f) : f < 0.0 ? 0.0 : f > 1.0 ? 1.0 : f;
				res = u64d(f);
			} else {
				static const double scale[4] = { 1.0, 2.0, 4.0, 0.5 };
				bool nan = vnan16((uint32_t)res);
				double f = (double)vf16_to_f32((uint16_t)res) * scale[in->omod & 3];
				if (in->clamp)
					f = nan ? (nan0 ? 0.0 : f) : f < 0.0 ? 0.0 : f > 1.0 ? 1.0 : f;
				res = nan && !(in->clamp && nan0) ? res : vf64_to_f16(f);
			}
			r->val[lane] = res;
		}
	}
	shader_fmode_round_end(saved_round);
	if (bad)
		return shader_illegal(c);
	/* MODE.FP_DENORM: denormal results flushed to zero */
	if ((mode & 0xf0u) != 0xf0u && (fres || kind == VEXT_K_PK_F16))
		shader_fmode_flush_results(r, exec, kind, mode);
	r->wmask = exec;
	return 0;
}

static void commit(struct shader_core *c, struct shader_wave *w, const struct shader_valu_half *r)
{
	uint64_t exec = r->wmask;
	if (r->vdst && r->sdwa && r->vdst->bits <= 32) {
		uint32_t *lo = &w->v[(size_t)r->vdst->reg * 64];
		for (uint64_t m = exec; m; m &= m - 1) {
			unsigned lane = (unsigned)__builtin_ctzll(m);
			uint32_t res = r->half16 ? (uint16_t)r->val[lane] : (uint32_t)r->val[lane];
			lo[lane] = shader_sdwa_place(res, lo[lane], r->dst_sel, r->dst_unused);
		}
	} else if (r->vdst) {
		/* 16-bit results keep the high half on gfx10.3 as on gfx11
		 * (LLVM's zeroesHigh16BitsOfDest: "On gfx10, all 16-bit
		 * instructions preserve the high bits") */
		uint32_t *lo = &w->v[(size_t)r->vdst->reg * 64];
		if (r->vdst->bits > 32) {
			uint32_t *hi = &w->v[(size_t)(r->vdst->reg + 1) * 64];
			for (uint64_t m = exec; m; m &= m - 1) {
				unsigned lane = (unsigned)__builtin_ctzll(m);
				lo[lane] = r->half16 ? (lo[lane] & 0xffff0000u) | (uint16_t)r->val[lane]
						     : (uint32_t)r->val[lane];
				hi[lane] = (uint32_t)(r->val[lane] >> 32);
			}
		} else if (r->half16 && r->hi16) {
			for (uint64_t m = exec; m; m &= m - 1) {
				unsigned lane = (unsigned)__builtin_ctzll(m);
				lo[lane] = (lo[lane] & 0xffffu) | (uint32_t)(uint16_t)r->val[lane] << 16;
			}
		} else if (r->half16) {
			uint32_t keep = r->zero_hi16 ? 0 : 0xffff0000u;
			for (uint64_t m = exec; m; m &= m - 1) {
				unsigned lane = (unsigned)__builtin_ctzll(m);
				lo[lane] = (lo[lane] & keep) | (uint16_t)r->val[lane];
			}
		} else {
			for (uint64_t m = exec; m; m &= m - 1) {
				unsigned lane = (unsigned)__builtin_ctzll(m);
				lo[lane] = (uint32_t)r->val[lane];
			}
		}
	}
	if (r->op == VOP_CMP && r->cmpx) {
		/* gfx9 v_cmpx writes its SGPR destination (VCC for the e32
		 * form) and EXEC; gfx10.3 and gfx11 v_cmpx write EXEC only */
		if (c->gen == ISA_GEN_GFX9)
			wave_mask_write(c, w, r->sdst && r->sdst->kind == ISA_OPK_SREG
					? r->sdst->reg : SREG_VCC_LO, r->mask);
		wave_set_exec(c, w, r->mask);
		return;
	}
	if (r->sdst)
		wave_mask_write(c, w, r->sdst->kind == ISA_OPK_SREG ? r->sdst->reg : SREG_VCC_LO, r->mask);
}

static int readfirstlane(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in)
{
	const struct isa_operand *d = &in->ops[0], *s = &in->ops[1];
	uint64_t exec = wave_exec(c, w), v;
	unsigned lane = exec ? (unsigned)__builtin_ctzll(exec) : 0;
	if (s->kind == ISA_OPK_VGPR) {
		if (s->reg >= w->nvgpr)
			return shader_fault(c, "VGPR source beyond the RSRC1.VGPRS allocation");
		v = w->v[(size_t)s->reg * 64 + lane];
	} else {
		int r = sop_read(c, w, s, &v);
		if (r)
			return r;
	}
	return sop_write(c, w, d, (uint32_t)v);
}

/* v_readlane_b32 sdst, vsrc, lane / v_writelane_b32 vdst, ssrc, lane: the
 * lane number is taken modulo the wave size; EXEC is not consulted. */
static int lane_access(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
		       bool write)
{
	const struct isa_operand *d = &in->ops[0], *s = &in->ops[1], *l = &in->ops[2];
	uint64_t sel, v;
	int r = sop_read(c, w, l, &sel);
	if (r)
		return r;
	unsigned lane = (unsigned)sel & (c->lanes - 1);
	if (write) {
		if (d->kind != ISA_OPK_VGPR || d->reg >= w->nvgpr)
			return shader_fault(c, "VGPR destination beyond the RSRC1.VGPRS allocation");
		r = sop_read(c, w, s, &v);
		if (!r)
			w->v[(size_t)d->reg * 64 + lane] = (uint32_t)v;
		return r;
	}
	if (s->kind != ISA_OPK_VGPR || s->reg >= w->nvgpr)
		return shader_fault(c, "VGPR source beyond the RSRC1.VGPRS allocation");
	return sop_write(c, w, d, w->v[(size_t)s->reg * 64 + lane]);
}

/* f32 -> bf16, round to nearest even (a NaN keeps its top bits, quieted) */
static uint32_t f32_to_bf16(float f)
{
	uint32_t u = u32f(f);
	if ((u & 0x7fffffffu) > 0x7f800000u)
		return ((u >> 16) | 0x40u) & 0xffffu;
	return (u + 0x7fffu + ((u >> 16) & 1)) >> 16;
}

/* v_wmma_f32_16x16x16_f16 / _bf16 and the 16-bit-result forms
 * v_wmma_f16_16x16x16_f16 / v_wmma_bf16_16x16x16_bf16, wave32 (fact sheet
 * §6, GPUOpen's RDNA3 WMMA article): D = A * B + C.  Lane l (0..15) holds
 * row l of A and column l of B, two 16-bit elements per VGPR (element k in
 * VGPR k/2, low half for even k); lanes 16..31 hold copies and are not
 * read.  C and D: lane l, VGPR v is element [2v + l/16][l % 16]; for the
 * 16-bit results op_sel[2] says which half of each VGPR holds C and
 * receives D (the other half of D is kept).  Each product is exact in
 * f32; the sum runs over k in order with f32 rounding; a 16-bit result is
 * that f32 sum rounded once to nearest even.
 * Modifiers (RDNA3 VOP3P WMMA fields, as AMD's matrix instruction
 * calculator documents them): neg_lo[0]/[1] negate the elements of A/B
 * read from bits 0-15 of each VGPR (even k), neg_hi[0]/[1] those from bits
 * 16-31 (odd k); neg_hi[2] takes |C| and neg_lo[2] then negates C.  C may
 * be an inline constant (every element of C is that value): a float
 * constant is the f32 (f32 C) or f16 (f16 C) encoding of 0.5..4.0 and
 * 1/(2*pi), and for bf16 C the high 16 bits of the f32 encoding (RDNA3
 * guide 7.5.1: "BF16 uses 32-bit float constants and then the BF16 operand
 * selects the upper 16 bits of the FP32 constant"; LLVM 19 agrees:
 * AMDGPUBaseInfo isInlinableLiteralBF16, 0x3F80 is 1.0, 0x3E22 1/(2*pi),
 * and llvm-mc-19 encodes the gfx12 WMMA bf16 C literal 0x3f80 as the
 * inline constant 1.0); an integer constant is the integer's bit pattern
 * in that width, as for other VALU float sources, except on bf16 C, where
 * one other than 0 faults (the guide and LLVM disagree). */
enum { WMMA_F32, WMMA_F16, WMMA_BF16 };

/* the value of every element of an inline-constant C (source code 128..208
 * or 240..248); -1 for a bf16 C integer constant other than 0 */
static int wmma_c_const(unsigned code, int res, float *out)
{
	static const float fc[9] = { 0.5f, -0.5f, 1.0f, -1.0f, 2.0f, -2.0f, 4.0f, -4.0f, 0.0f };
	bool isf = code >= 240;
	int32_t iv = code <= 192 ? (int32_t)code - 128 : 192 - (int32_t)code;
	if (res == WMMA_BF16) {
		/* a float constant: the high 16 bits of its f32 encoding (exact
		 * for 0.5..4.0; 1/(2*pi) is bf16 0x3E22); an integer other than
		 * 0: the guide's upper 16 bits of the 32-bit constant and LLVM's
		 * 16-bit pattern disagree */
		if (!isf && iv != 0)
			return -1;
		*out = isf ? f32((code == 248 ? 0x3e22u : vu32f(fc[code - 240]) >> 16) << 16) : 0.0f;
	} else if (res == WMMA_F32)
		*out = !isf ? f32((uint32_t)iv) : code == 248 ? f32(0x3e22f983u) : fc[code - 240];
	else
		*out = !isf ? f16_to_f32((uint16_t)iv) : code == 248 ? f16_to_f32(0x3118) : fc[code - 240];
	return 0;
}
static int wmma(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in, bool bf16,
		int res)
{
	if (c->lanes != 32)
		return shader_fault(c, "WMMA in wave64 is not supported (wave32 only)");
	if (in->clamp || (in->opsel & (res == WMMA_F32 ? 7 : 3)))
		return shader_illegal(c);
	if (wave_exec(c, w) != 0xffffffffull)
		return shader_fault(c, "WMMA with EXEC not all ones (undefined on hardware)");
	const struct isa_operand *d = &in->ops[0], *a = &in->ops[1], *b = &in->ops[2],
				 *cc = &in->ops[3];
	if (a->kind != ISA_OPK_VGPR || b->kind != ISA_OPK_VGPR ||
	    (cc->kind != ISA_OPK_VGPR && cc->kind != ISA_OPK_INLINE))
		return shader_illegal(c);
	float cconst = 0.0f;
	if (cc->kind == ISA_OPK_INLINE && wmma_c_const(cc->code, res, &cconst))
		return shader_fault(c, "WMMA bf16 C integer inline constant other than 0: the RDNA3 "
				       "guide (upper 16 bits of the 32-bit constant) and LLVM 19 (its "
				       "16-bit pattern) disagree on its value");
	const struct isa_operand *regs[4] = { d, a, b, cc };
	for (int i = 0; i < 4; i++)
		if (regs[i]->kind == ISA_OPK_VGPR && (uint32_t)regs[i]->reg + 8 > w->nvgpr)
			return shader_fault(c, "VGPR operand beyond the RSRC1.VGPRS allocation");
	unsigned hsh = (in->opsel & 4) ? 16 : 0;
	float A[16][16], B[16][16], C[16][16];
	/* VGPR kv of lane l holds elements k = 2 kv (bits 0-15) and 2 kv + 1
	 * (bits 16-31): each dword is read once for both */
	const uint32_t *va = &w->v[(size_t)a->reg * 64], *vb = &w->v[(size_t)b->reg * 64];
	for (unsigned kv = 0; kv < 8; kv++)
		for (unsigned l = 0; l < 16; l++) {
			uint32_t xa = va[kv * 64 + l], xb = vb[kv * 64 + l];
			if (bf16) {
				A[l][2 * kv] = f32(xa << 16);
				A[l][2 * kv + 1] = f32(xa & 0xffff0000u);
				B[2 * kv][l] = f32(xb << 16);
				B[2 * kv + 1][l] = f32(xb & 0xffff0000u);
			} else {
				A[l][2 * kv] = f16_to_f32((uint16_t)xa);
				A[l][2 * kv + 1] = f16_to_f32((uint16_t)(xa >> 16));
				B[2 * kv][l] = f16_to_f32((uint16_t)xb);
				B[2 * kv + 1][l] = f16_to_f32((uint16_t)(xb >> 16));
			}
		}
	/* The modifiers are applied in passes of their own, taken only when
	 * one is set: the unmodified form (every GEMM kernel's) then costs no
	 * per-element test (bench_gemm's GEMM, tools/bench-compare.sh). */
	if ((in->neg_lo | in->neg_hi) & 3)
		for (unsigned l = 0; l < 16; l++)
			for (unsigned k = 0; k < 16; k++) {
				/* even k is bits 0-15 (neg_lo), odd k bits 16-31 (neg_hi) */
				uint8_t ng = (k & 1) ? in->neg_hi : in->neg_lo;
				if (ng & 1)
					A[l][k] = -A[l][k];
				if (ng & 2)
					B[k][l] = -B[k][l];
			}
	if (cc->kind != ISA_OPK_VGPR) {
		for (unsigned i = 0; i < 16; i++)
			for (unsigned j = 0; j < 16; j++)
				C[i][j] = cconst;
	} else if (res == WMMA_F32) {
		for (unsigned l = 0; l < 32; l++)
			for (unsigned v = 0; v < 8; v++)
				C[2 * v + l / 16][l % 16] = f32(w->v[(size_t)(cc->reg + v) * 64 + l]);
	} else {
		for (unsigned l = 0; l < 32; l++)
			for (unsigned v = 0; v < 8; v++) {
				uint32_t raw = w->v[(size_t)(cc->reg + v) * 64 + l];
				C[2 * v + l / 16][l % 16] =
					res == WMMA_F16 ? f16_to_f32((uint16_t)(raw >> hsh))
							: f32(((raw >> hsh) & 0xffff) << 16);
			}
	}
	if ((in->neg_lo | in->neg_hi) & 4)
		for (unsigned i = 0; i < 16; i++)
			for (unsigned j = 0; j < 16; j++) {
				if (in->neg_hi & 4)
					C[i][j] = fabsf(C[i][j]);
				if (in->neg_lo & 4)
					C[i][j] = -C[i][j];
			}
	/* row i of D accumulates over k in order for every j at once: the
	 * same operations per element as a k loop inside a j loop, on
	 * contiguous rows */
	float D[16][16];
	for (unsigned i = 0; i < 16; i++) {
		memcpy(D[i], C[i], sizeof(D[i]));
		for (unsigned k = 0; k < 16; k++)
			for (unsigned j = 0; j < 16; j++)
				D[i][j] += A[i][k] * B[k][j];
	}
	if (res == WMMA_F32) {
		for (unsigned l = 0; l < 32; l++)
			for (unsigned v = 0; v < 8; v++)
				w->v[(size_t)(d->reg + v) * 64 + l] = u32f(D[2 * v + l / 16][l % 16]);
		return 0;
	}
	for (unsigned l = 0; l < 32; l++)
		for (unsigned v = 0; v < 8; v++) {
			float dv = D[2 * v + l / 16][l % 16];
			uint32_t *dst = &w->v[(size_t)(d->reg + v) * 64 + l];
			uint32_t h = res == WMMA_F16 ? vf32_to_f16(dv) : f32_to_bf16(dv);
			*dst = (*dst & ~(0xffffu << hsh)) | h << hsh;
		}
	return 0;
}

/* v_fma_mix_f32 (VOP3P; clang-19 fuses an f16-to-f32 conversion into the
 * fma of kernels/gemv.cl's f16 dot product).  RDNA3 ISA: D.f32 = fma(S0, S1, S2) where source i is an f32
 * (op_sel_hi[i] = 0) or the f16 in its low (op_sel[i] = 0) or high half
 * (op_sel[i] = 1), converted exactly to f32; neg_hi[i] takes its absolute
 * value and neg_lo[i] negates it (the decoder has put them in the
 * operands' abs/neg); clamp clamps to [0, 1].  An inline constant or
 * literal as an f16 source is refused (its f16 encoding is not modelled). */
static int fma_mix(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in)
{
	const struct isa_operand *d = &in->ops[0];
	if (in->nops != 4 || d->kind != ISA_OPK_VGPR)
		return shader_illegal(c);
	if (d->reg >= w->nvgpr)
		return shader_fault(c, "VGPR destination beyond the RSRC1.VGPRS allocation");
	uint64_t scal[3] = { 0 };
	for (unsigned k = 0; k < 3; k++) {
		const struct isa_operand *o = &in->ops[1 + k];
		if (o->kind == ISA_OPK_VGPR) {
			if (o->reg >= w->nvgpr)
				return shader_fault(c, "VGPR source beyond the RSRC1.VGPRS allocation");
			continue;
		}
		if (o->kind != ISA_OPK_SREG && ((in->opsel_hi >> k) & 1))
			return shader_illegal(c);
		int e = sop_read(c, w, o, &scal[k]);
		if (e)
			return e;
	}
	uint64_t exec = wave_exec(c, w);
	const unsigned n = c->lanes;
	/* VOP3P-DPP: src0 from the lane the DPP control names (as compute()
	 * does), gathered into a column of its own; src1 must be a VGPR on
	 * gfx1100 */
	uint32_t dpp_col[64];
	if (in->dpp) {
		uint8_t dpp_src[64];
		uint64_t wm, dpp_zero = 0;
		if (in->ops[1].kind != ISA_OPK_VGPR || in->ops[2].kind != ISA_OPK_VGPR)
			return shader_illegal(c);
		shader_dpp_lanes(in, n, exec, dpp_src, &wm, &dpp_zero);
		exec &= wm;
		for (unsigned lane = 0; lane < n; lane++)
			dpp_col[lane] = !((exec >> lane) & 1) || ((dpp_zero >> lane) & 1) ? 0
					: w->v[(size_t)in->ops[1].reg * 64 + dpp_src[lane]];
	}
	/* Each source is converted to f32 for every lane first, its form
	 * (f32 or which f16 half, abs, neg, VGPR or scalar) decided once per
	 * instruction rather than per lane (this is the GEMV kernel's inner
	 * loop); every source is read before any result is written, as DPP
	 * (src0 from another lane, possibly the destination) requires. */
	float s[3][64];
	for (unsigned k = 0; k < 3; k++) {
		const struct isa_operand *o = &in->ops[1 + k];
		const bool f16 = (in->opsel_hi >> k) & 1, ab = o->abs, ng = o->neg;
		const unsigned sh = ((in->opsel >> k) & 1) * 16;
		const uint32_t *col = k == 0 && in->dpp ? dpp_col
				    : o->kind == ISA_OPK_VGPR ? &w->v[(size_t)o->reg * 64] : NULL;
		const uint32_t sc = (uint32_t)scal[k];
		for (unsigned lane = 0; lane < n; lane++) {
			uint32_t v = col ? col[lane] : sc;
			float f = f16 ? f16_to_f32((uint16_t)(v >> sh)) : f32(v);
			if (ab)
				f = fabsf(f);
			if (ng)
				f = -f;
			s[k][lane] = f;
		}
	}
	const bool clamp = in->clamp;
	uint32_t *dst = &w->v[(size_t)d->reg * 64];
	for (unsigned lane = 0; lane < n; lane++) {
		if (!((exec >> lane) & 1))
			continue;
		float r = fmaf(s[0][lane], s[1][lane], s[2][lane]);
		if (clamp)
			r = r < 0.0f ? 0.0f : r > 1.0f ? 1.0f : r != r ? 0.0f : r;
		dst[lane] = u32f(r);
	}
	return 0;
}

/* VOP3P instructions the core runs by name (the rest are illegal). */
enum { VOP3P_OTHER = -1, VOP3P_WMMA_F16 = -2, VOP3P_WMMA_BF16 = -3, VOP3P_FMA_MIX = -4,
       VOP3P_WMMA_F16_F16 = -5, VOP3P_WMMA_BF16_BF16 = -6, VOP3P_MAD_MIX = -7,
       VOP3P_MAD_MIXLO = -8, VOP3P_MAD_MIXHI = -9 };

static void resolve_half(const char *name, struct shader_valu_plan *p)
{
	p->op = (int16_t)resolve(name, &p->ext);
	p->cmpx = strstr(name, "cmpx_") != NULL;
	p->cmp = p->cmp_type = 0;
	if (p->op == VOP_CMP)
		cmp_parse(name, p);
	/* the result kind and source types compute() needs, once */
	if (p->op == VOP_EXT) {
		const struct shader_valu_ext_info *xi = shader_valu_ext_info(p->ext);
		p->kind = xi->kind;
		p->srcs = xi->srcs;
	} else {
		p->kind = (uint8_t)op_info[p->op].kind;
		p->srcs = base_srcs(p->op, p);
	}
	p->nsrc_types = (uint8_t)strlen(p->srcs);
}

void shader_valu_resolve(struct shader_icache_entry *e)
{
	const struct isa_inst *in = &e->inst;
	struct shader_valu_plan *x = &e->plan.valu.x, *y = &e->plan.valu.y;
	memset(y, 0, sizeof(*y));
	if (in->enc == ISA_ENC_VOP3P) {
		memset(x, 0, sizeof(*x));
		x->op = !strcmp(e->base, "v_wmma_f32_16x16x16_f16") ? VOP3P_WMMA_F16
		      : !strcmp(e->base, "v_wmma_f32_16x16x16_bf16") ? VOP3P_WMMA_BF16
		      : !strcmp(e->base, "v_wmma_f16_16x16x16_f16") ? VOP3P_WMMA_F16_F16
		      : !strcmp(e->base, "v_wmma_bf16_16x16x16_bf16") ? VOP3P_WMMA_BF16_BF16
		      : !strcmp(e->base, "v_fma_mix_f32") ? VOP3P_FMA_MIX
		      /* gfx900's unfused forms (shader/mix_gfx9.c) */
		      : in->gen != ISA_GEN_GFX9 ? VOP3P_OTHER
		      : !strcmp(e->base, "v_mad_mix_f32") ? VOP3P_MAD_MIX
		      : !strcmp(e->base, "v_mad_mixlo_f16") ? VOP3P_MAD_MIXLO
		      : !strcmp(e->base, "v_mad_mixhi_f16") ? VOP3P_MAD_MIXHI : VOP3P_OTHER;
		return;
	}
	resolve_half(e->base, x);
	x->zero_hi16 = in->gen == ISA_GEN_GFX9 && shader_gfx9_zeroes_hi16(in->desc->name);
	if (in->enc == ISA_ENC_VOPD)
		resolve_half(in->desc_y->name, y);
}

int shader_exec_valu(struct shader_core *c, struct shader_wave *w,
		     const struct shader_icache_entry *e)
{
	const struct isa_inst *in = &e->inst;
	const struct shader_valu_plan *x = &e->plan.valu.x, *y = &e->plan.valu.y;
	if (in->enc == ISA_ENC_VOP3P) {
		switch (x->op) {
		case VOP3P_WMMA_F16: return wmma(c, w, in, false, WMMA_F32);
		case VOP3P_WMMA_BF16: return wmma(c, w, in, true, WMMA_F32);
		case VOP3P_WMMA_F16_F16: return wmma(c, w, in, false, WMMA_F16);
		case VOP3P_WMMA_BF16_BF16: return wmma(c, w, in, true, WMMA_BF16);
		case VOP3P_FMA_MIX: return fma_mix(c, w, in);
		case VOP3P_MAD_MIX: return shader_gfx9_mad_mix(c, w, in, SHADER_MADMIX9_F32);
		case VOP3P_MAD_MIXLO: return shader_gfx9_mad_mix(c, w, in, SHADER_MADMIX9_LO);
		case VOP3P_MAD_MIXHI: return shader_gfx9_mad_mix(c, w, in, SHADER_MADMIX9_HI);
		default: {
			int r = shader_exec_vop3p(c, w, in, e->base);
			return r == -ENOENT ? shader_illegal(c) : r;
		}
		}
	}
	if (x->op == VOP_UNKNOWN)
		return shader_illegal(c);
	/* VOP3-DPP: src1 is a VGPR on gfx11.0 (llvm-mc-19 -mcpu=gfx1100 refuses
	 * an SGPR or a constant there; src2 may be either).  gfx1150 adds
	 * SGPR src1 (LLVM's DPPSrc1SGPR); the core does not tell the two
	 * apart, so it takes the stricter rule. */
	if (in->dpp && in->enc == ISA_ENC_VOP3)
		for (unsigned i = 0; i < in->nops; i++)
			if (in->ops[i].field == ISA_FLD_SRC1 && in->ops[i].kind != ISA_OPK_VGPR)
				return shader_illegal(c);
	if (x->op == VOP_LANE) {
		int r = shader_exec_valu_lane(c, w, in, e->base);
		return r == -ENOENT ? shader_illegal(c) : r;
	}
	/* DPP runs through compute(); the special forms below do not take it */
	if (in->dpp && (x->op == VOP_READFIRSTLANE_B32 || x->op == VOP_READLANE_B32 ||
			x->op == VOP_WRITELANE_B32))
		return shader_illegal(c);
	if (x->op == VOP_READFIRSTLANE_B32)
		return readfirstlane(c, w, in);
	if (x->op == VOP_READLANE_B32 || x->op == VOP_WRITELANE_B32)
		return lane_access(c, w, in, x->op == VOP_WRITELANE_B32);
	struct shader_valu_half *rx = &c->valu_x, *ry = &c->valu_y;
	int r = compute(c, w, in, in->desc, in->ops, in->nops, x, rx);
	if (r)
		return r;
	if (in->enc == ISA_ENC_VOPD) {
		if (y->op == VOP_UNKNOWN || y->op == VOP_LANE ||
		    (y->op >= VOP_READFIRSTLANE_B32 && y->op <= VOP_WRITELANE_B32))
			return shader_illegal(c);
		/* both halves read their sources before either writes */
		r = compute(c, w, in, in->desc_y, in->ops_y, in->nops_y, y, ry);
		if (r)
			return r;
		commit(c, w, rx);
		commit(c, w, ry);
		return 0;
	}
	commit(c, w, rx);
	return 0;
}

/* make isa-coverage: whether shader_exec_valu has an executor for the plan
 * (DPP forms, an unknown name, a VOPD half outside the table: none) */
bool shader_valu_executes(const struct shader_icache_entry *e)
{
	const struct shader_valu_plan *x = &e->plan.valu.x, *y = &e->plan.valu.y;
	if (e->inst.enc == ISA_ENC_VOP3P)
		return x->op != VOP3P_OTHER || shader_vop3p_known(e->base);
	if (x->op == VOP_UNKNOWN)
		return false;
	if (x->op == VOP_LANE)
		return shader_valu_lane_known(e->base, e->inst.dpp);
	bool reads_lanes = x->op >= VOP_READFIRSTLANE_B32 && x->op <= VOP_WRITELANE_B32;
	if (e->inst.dpp && reads_lanes)
		return false;
	if (e->inst.enc == ISA_ENC_VOPD)
		return y->op != VOP_UNKNOWN && y->op != VOP_LANE &&
		       !(y->op >= VOP_READFIRSTLANE_B32 && y->op <= VOP_WRITELANE_B32);
	return true;
}
