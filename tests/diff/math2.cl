// Differential kernels for the VALU operations reached through AMDGPU
// builtins: dot products (v_dot4, v_dot2acc in a VOPD pair), packed
// conversions, sums of absolute differences, v_lerp_u8, v_permlane16,
// f16 rcp/sqrt/rsq/sin/fract/frexp, packed 16-bit max and shifts.
#include "prelude.h"
#pragma OPENCL EXTENSION cl_khr_fp16 : enable
#define KU(name, expr) \
	kernel void name(global uint *o, global const uint *ua, global const uint *ub) \
	{ uint i = GID(); uint x = ua[i], y = ub[i]; half2 hx = as_half2(x), hy = as_half2(y); \
	  (void)hx; (void)hy; o[i] = (uint)(expr); }
#define H(v) as_half((ushort)(v))
#define U(h) ((uint)as_ushort(h))
#ifndef AMDBARE_GFX9_NO_DOT /* v_dot4_u32_u8: dot7-insts, gfx906 only among the gfx9 targets built (rebuild.sh defines this for gfx902 and gfx90c) */
KU(m2_udot4, __builtin_amdgcn_udot4(x, y, x ^ y, false))
#endif
#ifndef AMDBARE_GFX103 /* v_dot4_i32_iu8: gfx11 (rebuild.sh defines this for gfx1035) */
KU(m2_sudot4, __builtin_amdgcn_sudot4(true, x, false, y, x, false))
#endif
#ifndef AMDBARE_GFX9_NO_DOT /* v_dot2_f32_f16: dot10-insts, gfx906 only among the gfx9 targets built (rebuild.sh defines this for gfx902 and gfx90c) */
KU(m2_fdot2, as_uint(__builtin_amdgcn_fdot2(hx, hy, as_float(x), false)))
#endif
KU(m2_pknorm, as_uint(__builtin_amdgcn_cvt_pknorm_i16(as_float(x), as_float(y))) ^
	as_uint(__builtin_amdgcn_cvt_pknorm_u16(as_float(y), as_float(x))))
KU(m2_pk16, as_uint(__builtin_amdgcn_cvt_pk_u16(x, y)) ^ as_uint(__builtin_amdgcn_cvt_pk_i16((int)y, (int)x)))
KU(m2_sad, __builtin_amdgcn_sad_u8(x, y, 3) ^ __builtin_amdgcn_msad_u8(x, y, 7) ^ __builtin_amdgcn_lerp(x, y, x))
KU(m2_sad2, __builtin_amdgcn_sad_hi_u8(x, y, 3) ^ __builtin_amdgcn_sad_u16(x, y, 5))
#ifndef AMDBARE_GFX9 /* v_permlane16_b32: gfx10+ (rebuild.sh defines this for gfx9) */
KU(m2_permlane16, __builtin_amdgcn_permlane16(0u, x, 0x01234567u, 0x89abcdefu, false, false))
#endif
KU(m2_h_rcp_sqrt, U(__builtin_amdgcn_rcph(H(x))) | (U(__builtin_amdgcn_sqrth(H(y))) << 16))
KU(m2_h_fract, U(__builtin_amdgcn_fracth(H(x))) | (U(__builtin_amdgcn_frexp_manth(H(y))) << 16))
KU(m2_h_rsq, U(__builtin_amdgcn_rsqh(H(x))))
KU(m2_s16x2, as_uint(__builtin_elementwise_max(as_short2(x), as_short2(y))) +
	as_uint(as_ushort2(x) << (as_ushort2(y) & (ushort)15)))
// a DPP move the compiler folds into a VOP3 (v_add3_u32_e64_dpp), and a
// VOP2 DPP with neg/abs source modifiers (v_mul_f32_dpp -|v|)
KU(m2_v3dpp, __builtin_amdgcn_mov_dpp(x, 0x111, 0xf, 0xf, true) + (y >> 3) + (x ^ y))
KU(m2_dpp_mods, as_uint(-__builtin_fabsf(as_float(__builtin_amdgcn_mov_dpp(x, 0x141, 0xf, 0xf, true))) * as_float(y)))
kernel void m2_qsad(global ulong *o, global const ulong *ua, global const ulong *ub)
{
	uint i = GID();
	ulong a = ua[i], b = ub[i];
	o[i] = __builtin_amdgcn_qsad_pk_u16_u8(a, (uint)b, a ^ b) ^
	       __builtin_amdgcn_mqsad_pk_u16_u8(b, (uint)(a >> 32), a);
}
