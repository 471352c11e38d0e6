/* 64-bit address math, float compare/select and an int conversion. */
__kernel void scale(__global float *x, __global const long *idx, float a, ulong n)
{
	ulong i = (ulong)__builtin_amdgcn_workgroup_id_x() * 256 + __builtin_amdgcn_workitem_id_x();
	if (i >= n)
		return;
	float v = x[idx[i]] * a + 1.0f;
	x[i] = v > 0.5f ? v : (float)(int)v;
}
