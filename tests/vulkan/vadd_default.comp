#version 450
// The vector add without float_controls.glsl: RADV's default FLOAT_MODE
// 0xc0 (f32 denormals flushed, f16/f64 kept).  The inputs have no
// denormals, so the result equals the 0xf0 one.
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) writeonly buffer C { float c[]; };
layout(push_constant) uniform P { uint n; } pc;
void main()
{
	uint i = gl_GlobalInvocationID.x;
	if (i < pc.n)
		c[i] = a[i] + b[i];
}
