#version 450
// imageLoad/imageStore on an rgb10_a2 (A2B10G10R10_UNORM) storage image:
// the loaded channels go to o; the texel becomes (b, g, r, 1 - a).
layout(local_size_x = 8, local_size_y = 8) in;
layout(binding = 0, rgb10_a2) uniform image2D img;
layout(binding = 1, std430) buffer Out { uvec2 size; vec4 c[]; } o;

void main()
{
	ivec2 p = ivec2(gl_GlobalInvocationID.xy);
	ivec2 s = imageSize(img);
	if (p == ivec2(0))
		o.size = uvec2(s);
	if (p.x >= s.x || p.y >= s.y)
		return;
	vec4 c = imageLoad(img, p);
	o.c[p.y * s.x + p.x] = c;
	imageStore(img, p, vec4(c.b, c.g, c.r, 1.0 - c.a));
}
