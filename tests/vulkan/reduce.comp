#version 450
#extension GL_GOOGLE_include_directive : require
#include "float_controls.glsl"
// Per-workgroup sum of 256 u32 through shared memory, a tree with a
// barrier per level.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer In { uint x[]; };
layout(std430, binding = 1) writeonly buffer Out { uint o[]; };
shared uint s[256];
void main()
{
	uint l = gl_LocalInvocationID.x;
	s[l] = x[gl_GlobalInvocationID.x];
	barrier();
	for (uint w = 128; w > 0; w >>= 1) {
		if (l < w)
			s[l] += s[l + w];
		barrier();
	}
	if (l == 0)
		o[gl_WorkGroupID.x] = s[0];
}
