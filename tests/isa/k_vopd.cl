/* float4 arithmetic: independent VALU pairs the compiler issues as VOPD. */
__kernel void axpby4(__global float4 *y, __global const float4 *x, float a, float b)
{
	uint i = __builtin_amdgcn_workgroup_id_x() * 64 + __builtin_amdgcn_workitem_id_x();
	float4 v = x[i];
	float4 w = y[i];
	w = w * a + v * b;
	w.x = w.x > 0.0f ? w.x : w.y;
	w.z = fmax(w.z, w.w) + 3.0f;
	y[i] = w;
}
