#version 450
// An optimally tiled multisampled r32ui storage image: gl_GlobalInvocationID
// z is the sample.  Phase 0 stores hash(x, y, sample) in every sample;
// phase 1 loads each sample into o.v, adds 5 with imageAtomicAdd (its
// result into o.v[n + i]) and writes imageSize and imageSamples into
// o.size; phase 2 loads each sample again into o.v[2n + i].
layout(local_size_x = 8, local_size_y = 8) in;
layout(binding = 0, r32ui) uniform coherent uimage2DMS img;
layout(binding = 1, std430) buffer Out { uvec4 size; uint v[]; } o;
layout(push_constant) uniform P { uint phase, salt; } pc;

uint hash(uvec3 p)
{
	uint h = p.x * 0x9e3779b1u ^ p.y * 0x85ebca77u ^ p.z * 0xc2b2ae3du ^ pc.salt * 0x27d4eb2fu;
	return h ^ (h >> 15);
}

void main()
{
	ivec2 s = imageSize(img);
	int ns = imageSamples(img);
	ivec3 p = ivec3(gl_GlobalInvocationID);
	if (p.x >= s.x || p.y >= s.y || p.z >= ns)
		return;
	uint i = uint((p.z * s.y + p.y) * s.x + p.x), n = uint(s.x * s.y * ns);
	if (pc.phase == 0u) {
		imageStore(img, p.xy, p.z, uvec4(hash(uvec3(p))));
		return;
	}
	if (pc.phase == 2u) {
		o.v[2u * n + i] = imageLoad(img, p.xy, p.z).x;
		return;
	}
	if (i == 0u)
		o.size = uvec4(s, ns, 0);
	o.v[i] = imageLoad(img, p.xy, p.z).x;
	o.v[n + i] = imageAtomicAdd(img, p.xy, p.z, 5u);
}
