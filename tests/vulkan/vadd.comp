#version 450
#extension GL_GOOGLE_include_directive : require
#include "float_controls.glsl"
// c[i] = a[i] + b[i] over n floats (push constant n).
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) writeonly buffer C { float c[]; };
layout(push_constant) uniform P { uint n; } pc;
void main()
{
	uint i = gl_GlobalInvocationID.x;
	if (i < pc.n)
		c[i] = a[i] + b[i];
}
