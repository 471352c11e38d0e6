#version 450
// image_array.comp on an optimally tiled r32ui 3D storage image: phase 0
// stores hash(x, y, z, salt) in every texel; phase 1 loads each texel into o.v,
// adds 5 with imageAtomicAdd (its result into o.v[n + i]) and writes
// imageSize into o.size; phase 2 loads each texel again into o.v[2n + i].
layout(local_size_x = 8, local_size_y = 8) in;
layout(binding = 0, r32ui) uniform coherent uimage3D img;
layout(binding = 1, std430) buffer Out { uvec4 size; uint v[]; } o;
layout(push_constant) uniform P { uint phase, salt; } pc;

uint hash(uvec3 p)
{
	uint h = p.x * 0x9e3779b1u ^ p.y * 0x85ebca77u ^ p.z * 0xc2b2ae3du ^ pc.salt * 0x27d4eb2fu;
	return h ^ (h >> 15);
}

void main()
{
	ivec3 s = imageSize(img);
	ivec3 p = ivec3(gl_GlobalInvocationID);
	if (p.x >= s.x || p.y >= s.y || p.z >= s.z)
		return;
	uint i = uint((p.z * s.y + p.y) * s.x + p.x), n = uint(s.x * s.y * s.z);
	if (pc.phase == 0u) {
		imageStore(img, p, uvec4(hash(uvec3(p))));
		return;
	}
	if (pc.phase == 2u) {
		o.v[2u * n + i] = imageLoad(img, p).x;
		return;
	}
	if (i == 0u)
		o.size = uvec4(s, 0);
	o.v[i] = imageLoad(img, p).x;
	o.v[n + i] = imageAtomicAdd(img, p, 5u);
}
