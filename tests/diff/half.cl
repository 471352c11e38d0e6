// Differential kernels: f16 arithmetic (cl_khr_fp16) on the low 16 bits
// of a and b.
#include "prelude.h"
#pragma OPENCL EXTENSION cl_khr_fp16 : enable
kernel void h_addmul(global uint *o, global const uint *ua, global const uint *ub)
{
	uint i = GID();
	half a = as_half((ushort)ua[i]), b = as_half((ushort)ub[i]);
	o[i] = (uint)as_ushort(a + b) | ((uint)as_ushort(a * b) << 16);
}
kernel void h_sub(global uint *o, global const uint *ua, global const uint *ub)
{
	uint i = GID();
	half a = as_half((ushort)ua[i]), b = as_half((ushort)ub[i]);
	o[i] = (uint)as_ushort(a - b);
}
