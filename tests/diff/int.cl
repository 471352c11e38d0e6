// Differential kernels: 32-bit integer ALU.  Each work-item i computes
// o[i] = f(a[i], b[i]); tests/test_diff_kernels.c does the same in C.
#include "prelude.h"
#define K(name, expr) \
	kernel void name(global uint *o, global const uint *ua, global const uint *ub) \
	{ uint i = GID(); uint a = ua[i], b = ub[i]; int sa = (int)a, sb = (int)b; \
	  (void)sa; (void)sb; o[i] = (uint)(expr); }
K(i_add, a + b)
K(i_sub, a - b)
K(i_mul, a * b)
K(i_mulhi_u, (uint)(((ulong)a * b) >> 32))
K(i_mulhi_s, (uint)(((long)sa * sb) >> 32))
// Division by zero is undefined in OpenCL C: the kernel guards it and
// yields all-ones (the same guard is in the reference).
K(i_div_u, b ? a / b : 0xffffffffu)
K(i_rem_u, b ? a % b : a)
K(i_div_s, (b == 0 || (sa == INT_MIN && sb == -1)) ? -1 : sa / sb)
K(i_rem_s, (b == 0 || (sa == INT_MIN && sb == -1)) ? 0 : sa % sb)
K(i_shl, a << (b & 31))
K(i_shr_u, a >> (b & 31))
K(i_shr_s, sa >> (b & 31))
K(i_bitops, (a & b) ^ (~a | (b >> 3)))
K(i_popcount, __builtin_popcount(a) + (__builtin_popcount(b) << 8))
K(i_clz, __builtin_clzg(a, 32) | (__builtin_clzg(b, 32) << 8))
K(i_ctz, __builtin_ctzg(a, 32) | (__builtin_ctzg(b, 32) << 8))
K(i_minmax_s, (uint)(sa < sb ? sa : sb) ^ ((uint)(sa > sb ? sa : sb) << 1))
K(i_minmax_u, (a < b ? a : b) + 3u * (a > b ? a : b))
K(i_abs, (sa < 0 ? 0u - a : a) ^ (sa > sb ? a - b : b - a))
K(i_mad24, ((sa << 8) >> 8) * ((sb << 8) >> 8) + sa)
K(i_mul24_u, (a & 0xffffffu) * (b & 0xffu))
K(i_rotate, ((a << (b & 31)) | (a >> ((32 - (b & 31)) & 31))))
K(i_addsat, (uint)__builtin_elementwise_add_sat(sa, sb) ^ __builtin_elementwise_sub_sat(a, b))
