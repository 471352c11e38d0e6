#version 450
#extension GL_GOOGLE_include_directive : require
#include "float_controls.glsl"
#extension GL_EXT_shader_atomic_float2 : require
// image_r32f_minmax on an optimally tiled r32f image the CPU cannot map:
// each invocation stores its texel's value before (raw bits from o.v[i]),
// takes imageAtomicMin with o.v[n + i] and imageAtomicMax with
// o.v[2n + i], and loads the texel back; the two returned values replace
// the operands and the loaded value the one before.  One invocation per
// texel, so its store, atomics and load are ordered on that texel.
layout(local_size_x = 8, local_size_y = 8) in;
layout(binding = 0, r32f) uniform coherent image2D img;
layout(binding = 1, std430) buffer Out { uvec2 size; uint v[]; } o;

void main()
{
	ivec2 p = ivec2(gl_GlobalInvocationID.xy);
	ivec2 s = imageSize(img);
	if (p == ivec2(0))
		o.size = uvec2(s);
	if (p.x >= s.x || p.y >= s.y)
		return;
	uint i = uint(p.y * s.x + p.x), n = uint(s.x * s.y);
	imageStore(img, p, vec4(uintBitsToFloat(o.v[i])));
	float a = uintBitsToFloat(o.v[n + i]), b = uintBitsToFloat(o.v[2u * n + i]);
	o.v[n + i] = floatBitsToUint(imageAtomicMin(img, p, a));
	o.v[2u * n + i] = floatBitsToUint(imageAtomicMax(img, p, b));
	o.v[i] = floatBitsToUint(imageLoad(img, p).x);
}
