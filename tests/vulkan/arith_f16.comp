#version 450
#extension GL_GOOGLE_include_directive : require
#include "float_controls.glsl"
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require
#extension GL_EXT_shader_16bit_storage : require
// f16 arithmetic on f16 storage (shaderFloat16, storageBuffer16BitAccess)
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer In { float16_t x[]; };
layout(std430, binding = 1) writeonly buffer Out { float16_t o[]; };
layout(push_constant) uniform P { uint n; } pc;
void main()
{
	uint i = gl_GlobalInvocationID.x;
	if (i >= pc.n)
		return;
	float16_t a = x[3 * i], b = x[3 * i + 1], c = x[3 * i + 2];
	precise float16_t s = a + b;
	precise float16_t m = a * b;
	precise float16_t d = b - c;
	o[4 * i + 0] = s;
	o[4 * i + 1] = m;
	o[4 * i + 2] = d;
	precise float16_t ac = a * c;
	o[4 * i + 3] = ac;
}
