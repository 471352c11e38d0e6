#version 450
#extension GL_GOOGLE_include_directive : require
#include "float_controls.glsl"
// One u32 per workgroup of a 2-D grid: its linear workgroup index, mixed.
layout(local_size_x = 32) in;
layout(std430, binding = 0) writeonly buffer Out { uint o[]; };
void main()
{
	uint wg = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
	if (gl_LocalInvocationID.x == 0)
		o[wg] = wg * 2654435761u + gl_NumWorkGroups.y;
}
