// Differential kernels: f64 and 64-bit integers (8-byte elements).
#include "prelude.h"
#define KD(name, expr) \
	kernel void name(global ulong *o, global const ulong *ua, global const ulong *ub) \
	{ uint i = GID(); double a = as_double(ua[i]), b = as_double(ub[i]); \
	  o[i] = as_ulong((double)(expr)); }
#define KL(name, expr) \
	kernel void name(global ulong *o, global const ulong *ua, global const ulong *ub) \
	{ uint i = GID(); ulong a = ua[i], b = ub[i]; long sa = (long)a, sb = (long)b; \
	  (void)sa; (void)sb; o[i] = (ulong)(expr); }
KD(d_add, a + b)
KD(d_mul, a * b)
KD(d_fma, __builtin_fma(a, b, a))
kernel void d_compare(global ulong *o, global const ulong *ua, global const ulong *ub)
{
	uint i = GID();
	double a = as_double(ua[i]), b = as_double(ub[i]);
	o[i] = (a < b) | ((a == b) << 1) | ((a > b) << 2) | (__builtin_isunordered(a, b) << 3);
}
KL(l_add, a + b - (a >> 7))
KL(l_mul, a * b)
KL(l_shift, (a << (b & 63)) ^ (a >> (b & 63)) ^ (ulong)(sa >> (b & 63)))
KL(l_compare, (sa < sb) | ((a < b) << 1) | ((a == b) << 2) | ((ulong)(sa > sb ? sa : sb) & ~7ul))
