#version 450
// imageSize, imageLoad, imageStore and imageAtomicAdd on an r32ui storage
// image: each texel v becomes v * 3 + 1, then + 5 (the atomic returns the
// stored value); the loaded values and the atomic's results go to o.
layout(local_size_x = 8, local_size_y = 8) in;
layout(binding = 0, r32ui) uniform coherent uimage2D img;
layout(binding = 1, std430) buffer Out { uvec2 size; uint v[]; } o;

void main()
{
	ivec2 p = ivec2(gl_GlobalInvocationID.xy);
	ivec2 s = imageSize(img);
	if (p == ivec2(0))
		o.size = uvec2(s);
	if (p.x >= s.x || p.y >= s.y)
		return;
	uint i = uint(p.y * s.x + p.x);
	uint v = imageLoad(img, p).x;
	o.v[i] = v;
	imageStore(img, p, uvec4(v * 3u + 1u));
	o.v[uint(s.x * s.y) + i] = imageAtomicAdd(img, p, 5u);
}
