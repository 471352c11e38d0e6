// Differential kernels: f32 ALU, compare/select, classification.
// Inputs arrive as bit patterns and the result leaves as one.
#include "prelude.h"
#define K(name, expr) \
	kernel void name(global uint *o, global const uint *ua, global const uint *ub) \
	{ uint i = GID(); float a = as_float(ua[i]), b = as_float(ub[i]); \
	  o[i] = as_uint((float)(expr)); }
#define KU(name, expr) \
	kernel void name(global uint *o, global const uint *ua, global const uint *ub) \
	{ uint i = GID(); float a = as_float(ua[i]), b = as_float(ub[i]); \
	  o[i] = (uint)(expr); }
K(f_add, a + b)
K(f_sub, a - b)
K(f_mul, a * b)
K(f_fma, __builtin_fmaf(a, b, a))
K(f_min, __builtin_fminf(a, b))
K(f_max, __builtin_fmaxf(a, b))
K(f_fabs_copysign, __builtin_copysignf(__builtin_fabsf(a), b))
K(f_floor, __builtin_floorf(a))
K(f_ceil, __builtin_ceilf(a))
K(f_trunc, __builtin_truncf(a))
K(f_rint, __builtin_rintf(a))
K(f_sqrt, __builtin_sqrtf(a))
K(f_select, a < b ? a : b + 1.0f)
KU(f_compare, (a < b) | ((a <= b) << 1) | ((a == b) << 2) | ((a != b) << 3) |
	((a > b) << 4) | ((a >= b) << 5) | (__builtin_isunordered(a, b) << 6))
KU(f_classify, __builtin_isnan(a) | (__builtin_isinf(a) << 1) | (__builtin_isfinite(a) << 2) | (__builtin_signbit(a) << 3) |
	(__builtin_isnormal(a) << 4))
