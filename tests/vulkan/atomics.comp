#version 450
#extension GL_GOOGLE_include_directive : require
#include "float_controls.glsl"
// Buffer atomics on a few counters and a shared-memory histogram written
// out per workgroup.
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer In { uint x[]; };
layout(std430, binding = 1) buffer Ctr { uint sum; uint mx; uint xr; uint mn; uint hist[16]; } c;
layout(std430, binding = 2) writeonly buffer Wg { uint w[]; };
shared uint sh[4];
void main()
{
	uint l = gl_LocalInvocationID.x, v = x[gl_GlobalInvocationID.x];
	if (l < 4)
		sh[l] = 0;
	barrier();
	atomicAdd(c.sum, v);
	atomicMax(c.mx, v);
	atomicXor(c.xr, v);
	atomicMin(c.mn, v);
	atomicAdd(c.hist[v & 15u], 1u);
	atomicAdd(sh[v & 3u], v >> 4);
	barrier();
	if (l < 4)
		w[4 * gl_WorkGroupID.x + l] = sh[l];
}
