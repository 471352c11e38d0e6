#version 450
// imageLoad/imageStore on an r11f_g11f_b10f (B10G11R11_UFLOAT) storage
// image: the loaded channels go to o; the texel becomes (g, r, 2 b).
layout(local_size_x = 8, local_size_y = 8) in;
layout(binding = 0, r11f_g11f_b10f) uniform image2D img;
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
	imageStore(img, p, vec4(c.g, c.r, 2.0 * c.b, 0.0));
}
