#version 450
#extension GL_GOOGLE_include_directive : require
#include "float_controls.glsl"
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_ballot : require
#extension GL_KHR_shader_subgroup_shuffle : require
#extension GL_KHR_shader_subgroup_arithmetic : require
// Subgroup ballot, shuffle and arithmetic; o[8*i..] per invocation.
layout(local_size_x = 128) in;
layout(std430, binding = 0) readonly buffer In { uint x[]; };
layout(std430, binding = 1) writeonly buffer Out { uint o[]; };
void main()
{
	uint i = gl_GlobalInvocationID.x;
	uint v = x[i];
	uvec4 b = subgroupBallot((v & 1u) != 0u);
	o[8 * i + 0] = b.x;
	o[8 * i + 1] = b.y;
	o[8 * i + 2] = subgroupShuffle(v, (gl_SubgroupInvocationID * 5u + 3u) % gl_SubgroupSize);
	o[8 * i + 3] = subgroupAdd(v);
	o[8 * i + 4] = subgroupMax(v);
	o[8 * i + 5] = subgroupInclusiveAdd(v);
	o[8 * i + 6] = subgroupBallotBitCount(b);
	o[8 * i + 7] = gl_SubgroupSize;
}
