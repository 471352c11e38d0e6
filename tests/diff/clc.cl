// Differential kernels with the real OpenCL builtins: linked with libclc-19
// (Debian libclc-19, /usr/lib/clc/amdgcn--amdhsa.bc, options in clc.flags).
// Ordinary user-style code: math builtins in f32 and f64, conversions with
// saturation and rounding modes, char/short vectors, shuffles.  Work-item
// ids come from prelude.h, as in the other kernels.
#include "prelude.h"
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#define K(name, expr) \
	kernel void name(global uint *o, global const uint *ua, global const uint *ub) \
	{ uint i = GID(); float a = as_float(ua[i]), b = as_float(ub[i]); \
	  uint ia = ua[i], ib = ub[i]; (void)a; (void)b; (void)ia; (void)ib; \
	  o[i] = as_uint((float)(expr)); }
#define KU(name, expr) \
	kernel void name(global uint *o, global const uint *ua, global const uint *ub) \
	{ uint i = GID(); float a = as_float(ua[i]), b = as_float(ub[i]); \
	  uint ia = ua[i], ib = ub[i]; (void)a; (void)b; (void)ia; (void)ib; \
	  o[i] = (uint)(expr); }
#define KD(name, expr) \
	kernel void name(global ulong *o, global const ulong *ua, global const ulong *ub) \
	{ uint i = GID(); double a = as_double(ua[i]), b = as_double(ub[i]); \
	  (void)a; (void)b; o[i] = as_ulong((double)(expr)); }

K(c_sin, sin(a))
K(c_cos, cos(a))
K(c_tan, tan(a))
K(c_exp, exp(a))
K(c_exp2, exp2(a))
K(c_exp10, exp10(a))
K(c_log, log(a))
K(c_log2, log2(a))
K(c_log10, log10(a))
K(c_pow, pow(a, b))
K(c_cbrt, cbrt(a))
K(c_tanh, tanh(a))
K(c_atan, atan(a))
K(c_atan2, atan2(a, b))
K(c_asin, asin(a))
K(c_acos, acos(a))
K(c_hypot, hypot(a, b))
K(c_fmod, fmod(a, b))
K(c_div, a / b)
K(c_sqrt, sqrt(a))
KU(c_cvt_sat, as_uint(convert_short2_sat_rte((float2)(a, b))))
KU(c_cvt_uchar, as_uint(convert_uchar4_sat(as_char4(ia))) ^ as_uint(convert_char4_sat(as_uchar4(ib))))
KU(c_cvt_rtn, (uint)convert_int_sat_rtn(a) ^ ((uint)convert_int_sat_rtp(b) << 1))
KU(c_u8_vec, as_uint(add_sat(as_uchar4(ia), as_uchar4(ib)) ^ abs_diff(as_char4(ia), as_char4(ib)) ^ rhadd(as_uchar4(ia), as_uchar4(ib))))
KU(c_s16_vec, as_uint(mad_sat(as_short2(ia), as_short2(ib), as_short2(ia ^ ib))) ^ as_uint(rotate(as_ushort2(ia), as_ushort2(ib))))
KU(c_shuffle, as_uint(shuffle2(as_uchar4(ia), as_uchar4(ib), as_uchar4(ia ^ ib) & (uchar4)7)))
KU(c_clz_pop, as_uint(clz(as_uchar4(ia)) + popcount(as_uchar4(ib))))
KU(c_upsample, (uint)upsample((ushort)(ia >> 16), (ushort)ib) ^ (uint)mul_hi((int)ia, (int)ib))
KD(c_d_sin, sin(a))
KD(c_d_exp, exp(a))
KD(c_d_log, log(a))
KD(c_d_pow, pow(a, b))
KD(c_d_sqrt, sqrt(a))
KD(c_d_div, a / b)
KD(c_d_tanh, tanh(a))
KD(c_d_atan2, atan2(a, b))
KD(c_d_cbrt, cbrt(a))
