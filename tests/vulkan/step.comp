#version 450
#extension GL_GOOGLE_include_directive : require
#include "float_controls.glsl"
// One step of a chain: y[i] = x[i] * MUL + ADD (push constants); the
// first invocation also writes the next step's indirect dispatch
// arguments (ceil(n / 64), 1, 1) to args.
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer X { uint x[]; };
layout(std430, binding = 1) writeonly buffer Y { uint y[]; };
layout(std430, binding = 2) writeonly buffer A { uint args[3]; };
layout(push_constant) uniform P { uint n; uint mul; uint add; } pc;
void main()
{
	uint i = gl_GlobalInvocationID.x;
	if (i < pc.n)
		y[i] = x[i] * pc.mul + pc.add;
	if (i == 0) {
		args[0] = (pc.n + 63u) / 64u;
		args[1] = 1u;
		args[2] = 1u;
	}
}
