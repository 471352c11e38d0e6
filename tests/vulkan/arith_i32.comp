#version 450
#extension GL_GOOGLE_include_directive : require
#include "float_controls.glsl"
// i32/u32 integer arithmetic, division included
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer In { int x[]; };
layout(std430, binding = 1) writeonly buffer Out { int o[]; };
layout(push_constant) uniform P { uint n; } pc;
void main()
{
	uint i = gl_GlobalInvocationID.x;
	if (i >= pc.n)
		return;
	int a = x[2 * i], b = x[2 * i + 1];
	uint ua = uint(a), ub = uint(b);
	o[8 * i + 0] = a + b;
	o[8 * i + 1] = a * b;
	o[8 * i + 2] = a / b;
	o[8 * i + 3] = a % b;
	o[8 * i + 4] = int(ua / ub);
	o[8 * i + 5] = (a >> (b & 31)) ^ int(ua << 3);
	uint hi, lo;
	umulExtended(ua, ub, hi, lo);
	o[8 * i + 6] = int(hi);
	o[8 * i + 7] = min(a, b) - max(a, b) + int(bitCount(ua)) + findMSB(b);
}
