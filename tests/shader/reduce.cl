/* Workgroup sum through __local memory and barriers: one result per
 * workgroup of 64 work-items.  Built with -nogpulib, so there is no
 * library barrier(): this is what barrier(CLK_LOCAL_MEM_FENCE) lowers to. */
#define local_barrier() do { \
		__builtin_amdgcn_fence(__ATOMIC_RELEASE, "workgroup"); \
		__builtin_amdgcn_s_barrier(); \
		__builtin_amdgcn_fence(__ATOMIC_ACQUIRE, "workgroup"); \
	} while (0)

__attribute__((reqd_work_group_size(64, 1, 1)))
__kernel void reduce_sum(__global const uint *in, __global uint *out)
{
	__local uint tmp[64];
	uint l = __builtin_amdgcn_workitem_id_x(), g = __builtin_amdgcn_workgroup_id_x();
	tmp[l] = in[g * 64 + l];
	local_barrier();
	for (uint s = 32; s > 0; s >>= 1) {
		if (l < s)
			tmp[l] += tmp[l + s];
		local_barrier();
	}
	if (l == 0)
		out[g] = tmp[0];
}
