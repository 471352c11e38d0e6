/* out[i] = a[i] * k + b[i] over a grid whose last workgroup is partial:
 * the bounds check keeps the extra work-items from touching memory.
 * reqd_work_group_size keeps the kernel free of hidden arguments. */
__attribute__((reqd_work_group_size(64, 1, 1)))
__kernel void saxpy_f32(__global const float *a, __global const float *b, __global float *out,
			float k, uint n)
{
	uint i = __builtin_amdgcn_workgroup_id_x() * 64 + __builtin_amdgcn_workitem_id_x();
	if (i < n)
		out[i] = a[i] * k + b[i];
}

__attribute__((reqd_work_group_size(64, 1, 1)))
__kernel void saxpy_i32(__global const int *a, __global const int *b, __global int *out, int k,
			uint n)
{
	uint i = __builtin_amdgcn_workgroup_id_x() * 64 + __builtin_amdgcn_workitem_id_x();
	if (i < n)
		out[i] = a[i] * k + b[i];
}

/* Divergent control flow: odd lanes run a data-dependent loop, even lanes
 * take the other branch. */
__attribute__((reqd_work_group_size(64, 1, 1)))
__kernel void diverge(__global const int *a, __global int *out, uint n)
{
	uint i = __builtin_amdgcn_workgroup_id_x() * 64 + __builtin_amdgcn_workitem_id_x();
	if (i >= n)
		return;
	int v = a[i], acc = 0;
	if (v & 1) {
		for (int k = 0; k < (v & 15); k++)
			acc += k * v;
	} else {
		acc = (v >> 1) ^ 0x55;
	}
	out[i] = acc;
}

/* Conversions i32 <-> f32 and a float comparison. */
__attribute__((reqd_work_group_size(64, 1, 1)))
__kernel void convert(__global const int *a, __global float *f, __global int *back, uint n)
{
	uint i = __builtin_amdgcn_workgroup_id_x() * 64 + __builtin_amdgcn_workitem_id_x();
	if (i >= n)
		return;
	float x = (float)a[i] * 0.5f;
	f[i] = x;
	back[i] = x > 100.0f ? (int)x : -(int)x;
}
