// Differential kernels: conversions (OpenCL default rounding: to-zero for
// float->int with saturation via convert_*_sat; to-nearest-even for
// int->float) and half/bf16.
#include "prelude.h"
kernel void c_f2i(global uint *o, global const uint *ua, global const uint *ub)
{
	uint i = GID();
	float a = as_float(ua[i]);
	o[i] = (uint)(a != a ? 0 : a >= 2147483648.0f ? 2147483647 : a < -2147483648.0f ? (int)0x80000000 : (int)a);
}
static uint sat_u(float a)
{
	return a != a || a <= 0.0f ? 0u : a >= 4294967296.0f ? 0xffffffffu : (uint)a;
}
kernel void c_f2u(global uint *o, global const uint *ua, global const uint *ub)
{
	uint i = GID();
	o[i] = sat_u(as_float(ua[i]));
}
kernel void c_i2f(global uint *o, global const uint *ua, global const uint *ub)
{
	uint i = GID();
	o[i] = as_uint((float)(int)ua[i]);
}
kernel void c_u2f(global uint *o, global const uint *ua, global const uint *ub)
{
	uint i = GID();
	o[i] = as_uint((float)ua[i]);
}
kernel void c_f2d2f(global uint *o, global const uint *ua, global const uint *ub)
{
	uint i = GID();
	double d = (double)as_float(ua[i]) * 3.0;
	o[i] = as_uint((float)d);
}
#pragma OPENCL EXTENSION cl_khr_fp16 : enable
// f32 -> f16 (round to nearest even), the half's bits in the low 16.
kernel void c_f2h(global uint *o, global const uint *ua, global const uint *ub)
{
	uint i = GID();
	o[i] = as_ushort((half)as_float(ua[i]));
}
// f16 -> f32 (exact), from the low 16 bits.
kernel void c_h2f(global uint *o, global const uint *ua, global const uint *ub)
{
	uint i = GID();
	o[i] = as_uint((float)as_half((ushort)ua[i]));
}
// bf16 by bit manipulation: the f32 rounded to nearest even into the low
// 16 bits, and b's low 16 bits widened back to an f32's high half.
kernel void c_bf16(global uint *o, global const uint *ua, global const uint *ub)
{
	uint i = GID();
	uint x = ua[i];
	uint r = (x + 0x7fffu + ((x >> 16) & 1u)) >> 16;
	o[i] = r | (ub[i] << 16);
}
