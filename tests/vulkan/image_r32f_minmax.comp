#version 450
#extension GL_GOOGLE_include_directive : require
#include "float_controls.glsl"
#extension GL_EXT_shader_atomic_float2 : require
// imageAtomicMin then imageAtomicMax on an r32f storage image
// (VK_EXT_shader_atomic_float2: image_atomic_fmin/fmax on gfx10.3): the
// operands come as raw bits from o.v (min's at i, max's at n + i), the
// values each atomic returned go back there.
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
	float a = uintBitsToFloat(o.v[i]), b = uintBitsToFloat(o.v[n + i]);
	o.v[i] = floatBitsToUint(imageAtomicMin(img, p, a));
	o.v[n + i] = floatBitsToUint(imageAtomicMax(img, p, b));
}
