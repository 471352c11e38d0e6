// Differential kernels: the VALU operations behind division, frexp/ldexp,
// exp2/log2, f64 rounding and division, 16-bit and packed math, integer
// med3, 64-bit integer division and cross-lane moves (DPP, permlanex16).
// Inputs arrive as bit patterns and the result leaves as one.
#include "prelude.h"
#pragma OPENCL EXTENSION cl_khr_fp16 : enable
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#define K(name, expr) \
	kernel void name(global uint *o, global const uint *ua, global const uint *ub) \
	{ uint i = GID(); float a = as_float(ua[i]), b = as_float(ub[i]); \
	  uint ia = ua[i], ib = ub[i]; (void)ia; (void)ib; \
	  o[i] = as_uint((float)(expr)); }
#define KU(name, expr) \
	kernel void name(global uint *o, global const uint *ua, global const uint *ub) \
	{ uint i = GID(); float a = as_float(ua[i]), b = as_float(ub[i]); \
	  uint ia = ua[i], ib = ub[i]; (void)a; (void)b; (void)ia; (void)ib; \
	  o[i] = (uint)(expr); }
#define KD(name, expr) \
	kernel void name(global ulong *o, global const ulong *ua, global const ulong *ub) \
	{ uint i = GID(); double a = as_double(ua[i]), b = as_double(ub[i]); \
	  ulong la = ua[i], lb = ub[i]; (void)a; (void)b; (void)la; (void)lb; \
	  o[i] = as_ulong((double)(expr)); }
#define KL(name, expr) \
	kernel void name(global ulong *o, global const ulong *ua, global const ulong *ub) \
	{ uint i = GID(); ulong la = ua[i], lb = ub[i]; \
	  o[i] = (ulong)(expr); }

K(m_fdiv, a / b)
K(m_exp2, __builtin_exp2f(a))
K(m_log2, __builtin_log2f(a))
static uint frexp_bits(float a)
{
	int e;
	float m = __builtin_frexpf(a, &e);
	return as_uint(m) ^ ((uint)e * 0x9e3779b9u);
}
KU(m_frexp, frexp_bits(a))
K(m_ldexp, __builtin_ldexpf(a, (int)(ib & 0xffu) - 128))
K(m_fract, __builtin_amdgcn_fractf(a))
KU(m_med3_i, __builtin_elementwise_max(__builtin_elementwise_min((int)ia, 1000), -(int)(ib & 0xffff)))
KU(m_med3_u, __builtin_elementwise_max(__builtin_elementwise_min(ia, ib | 0x10000u), ib & 0xffffu))
KU(m_h_fma, as_ushort(__builtin_fmaf16(as_half((ushort)ia), as_half((ushort)ib), as_half((ushort)(ia >> 16)))))
KU(m_h_minmax, as_ushort(__builtin_fminf16(as_half((ushort)ia), as_half((ushort)ib))) |
	((uint)as_ushort(__builtin_fmaxf16(as_half((ushort)ia), as_half((ushort)ib))) << 16))
KU(m_h_pk, as_uint(as_half2(ia) * as_half2(ib) + as_half2(ib)))
KU(m_s16, (uint)(ushort)((ushort)ia >> (ib & 15)) | ((uint)(ushort)((short)ia >> (ib & 15)) << 16))
KU(m_s16_mul, (uint)(ushort)((ushort)ia * (ushort)ib) ^ ((uint)(ushort)__builtin_elementwise_max((short)ia, (short)ib) << 16))
K(m_fmed3, __builtin_amdgcn_fmed3f(a, b, a * 0.5f))
KU(m_hmed3, as_ushort(__builtin_amdgcn_fmed3h(as_half((ushort)ia), as_half((ushort)ib), as_half((ushort)(ia >> 16)))))
KU(m_perm, __builtin_amdgcn_perm(ia, ib, ib ^ (ia >> 3)))
KU(m_alignbyte, __builtin_amdgcn_alignbyte(ia, ib, ib >> 7))
KU(m_dpp_shr, __builtin_amdgcn_update_dpp(0x5555u, ia, 0x111, 0xf, 0xf, true))
KU(m_dpp_qperm, __builtin_amdgcn_update_dpp(0u, ia, 0x1b, 0xf, 0xf, false) + __builtin_amdgcn_mov_dpp(ib, 0x141, 0xf, 0xf, true))
#ifndef AMDBARE_GFX9 /* v_permlanex16_b32: gfx10+ (rebuild.sh defines this for gfx9) */
KU(m_permlanex16, __builtin_amdgcn_permlanex16(0u, ia, 0x76543210u, 0xfedcba98u, false, false))
#endif
KU(m_rfl, __builtin_amdgcn_readfirstlane(ia) + ib)
KD(m_d_div, a / b)
KD(m_d_floor, __builtin_floor(a))
KD(m_d_ceil, __builtin_ceil(a))
KD(m_d_trunc, __builtin_trunc(a))
KD(m_d_rint, __builtin_rint(a))
KD(m_d_ldexp, __builtin_ldexp(a, (int)(lb & 0x7ffu) - 1024))
KD(m_d_fract, __builtin_amdgcn_fract(a))
KL(m_l_divu, la / (lb | 1))
KL(m_l_rems, (long)la % ((long)lb | 1))
