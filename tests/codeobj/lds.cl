/* LDS use: a work-group reduction through a __local array (group segment). */
__kernel __attribute__((reqd_work_group_size(64, 1, 1)))
void lds_sum(__global const int *in, __global int *out)
{
	__local int tmp[64];
	uint l = __builtin_amdgcn_workitem_id_x();
	uint g = __builtin_amdgcn_workgroup_id_x() * 64 + l;
	tmp[l] = in[g];
	__builtin_amdgcn_s_barrier();
	for (uint s = 32; s > 0; s >>= 1) {
		if (l < s)
			tmp[l] += tmp[l + s];
		__builtin_amdgcn_s_barrier();
	}
	if (l == 0)
		out[__builtin_amdgcn_workgroup_id_x()] = tmp[0];
}
