#version 450
#extension GL_GOOGLE_include_directive : require
#include "float_controls.glsl"
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
// u64 arithmetic (shaderInt64)
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer In { uint64_t x[]; };
layout(std430, binding = 1) writeonly buffer Out { uint64_t o[]; };
layout(push_constant) uniform P { uint n; } pc;
void main()
{
	uint i = gl_GlobalInvocationID.x;
	if (i >= pc.n)
		return;
	uint64_t a = x[2 * i], b = x[2 * i + 1];
	o[4 * i + 0] = a + b;
	o[4 * i + 1] = a * b;
	o[4 * i + 2] = (a >> (b & 63ul)) ^ (b << 7);
	o[4 * i + 3] = a - (b | 1ul);
}
