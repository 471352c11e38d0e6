#version 450
#extension GL_GOOGLE_include_directive : require
#include "float_controls.glsl"
// Exactly rounded f32 operations; `precise` keeps ACO from fusing a
// multiply and an add that the CPU reference rounds separately.
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer In { float x[]; };
layout(std430, binding = 1) writeonly buffer Out { float o[]; };
layout(push_constant) uniform P { uint n; } pc;
void main()
{
	uint i = gl_GlobalInvocationID.x;
	if (i >= pc.n)
		return;
	float a = x[3 * i], b = x[3 * i + 1], c = x[3 * i + 2];
	precise float m = a * b;
	precise float s = a - b;
	precise float ms = m + c;
	o[8 * i + 0] = m;
	o[8 * i + 1] = s;
	o[8 * i + 2] = fma(a, b, c);
	o[8 * i + 3] = ms;
	o[8 * i + 4] = min(a, c);
	o[8 * i + 5] = max(b, c);
	o[8 * i + 6] = abs(a) * -2.0;
	o[8 * i + 7] = float(int(b) + 1);
}
