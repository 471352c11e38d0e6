// Differential kernels built with -cl-denorms-are-zero (ftz.flags): clang
// sets FLOAT_MODE 0xc0 (f32 denormals flushed, inputs and results; f64
// and f16 kept), so the vgpu's MODE flush is checked against C references
// that flush the same way.
#include "prelude.h"
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#define K(name, expr) \
	kernel void name(global uint *o, global const uint *ua, global const uint *ub) \
	{ uint i = GID(); float a = as_float(ua[i]), b = as_float(ub[i]); \
	  o[i] = as_uint((float)(expr)); }
#define KD(name, expr) \
	kernel void name(global ulong *o, global const ulong *ua, global const ulong *ub) \
	{ uint i = GID(); double a = as_double(ua[i]), b = as_double(ub[i]); \
	  o[i] = as_ulong((double)(expr)); }
K(z_add, a + b)
K(z_mul, a * b)
K(z_fma, __builtin_fmaf(a, b, a))
K(z_div, a / b)
K(z_sqrt, __builtin_sqrtf(a))
K(z_min, __builtin_fminf(a, b))
KD(z_d_mul, a * b)
