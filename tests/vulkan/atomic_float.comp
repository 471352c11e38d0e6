#version 450
#extension GL_GOOGLE_include_directive : require
#include "float_controls.glsl"
#extension GL_EXT_shader_atomic_float : require
// Float atomic add into a buffer (VK_EXT_shader_atomic_float).
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer In { float x[]; };
layout(std430, binding = 1) buffer Acc { float acc[]; };
void main()
{
	uint i = gl_GlobalInvocationID.x;
	atomicAdd(acc[i & 7u], x[i]);
}
