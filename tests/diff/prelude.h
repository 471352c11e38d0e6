/* Shared by the differential kernels: with -nogpulib there is no OpenCL
 * builtin library, so work-item ids, barriers and atomics come from clang
 * builtins (all kernels run 1-D with workgroups of 64, or 32 for WMMA). */
#define GID() ((uint)(__builtin_amdgcn_workgroup_id_x() * __builtin_amdgcn_workgroup_size_x() + \
		      __builtin_amdgcn_workitem_id_x()))
#define LID() ((uint)__builtin_amdgcn_workitem_id_x())
#define GRP() ((uint)__builtin_amdgcn_workgroup_id_x())
#define BARRIER() do { \
		__builtin_amdgcn_fence(__ATOMIC_RELEASE, "workgroup"); \
		__builtin_amdgcn_s_barrier(); \
		__builtin_amdgcn_fence(__ATOMIC_ACQUIRE, "workgroup"); \
	} while (0)
