#version 450
#extension GL_GOOGLE_include_directive : require
#include "float_controls.glsl"
// Specialization constants (a multiplier, a workgroup size) and push
// constants (an offset and a count).
layout(constant_id = 0) const uint MUL = 1;
layout(constant_id = 1) const uint WG = 64;
layout(local_size_x_id = 1) in;
layout(std430, binding = 0) writeonly buffer Out { uint o[]; };
layout(push_constant) uniform P { uint n; uint add; uint add2; } pc;
void main()
{
	uint i = gl_GlobalInvocationID.x;
	if (i < pc.n)
		o[i] = i * MUL + pc.add + (pc.add2 << 8) + WG * 1000000u;
}
