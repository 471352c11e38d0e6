/* A plain copy; built several ways (wave64, code object v4, gfx1100). */
__kernel __attribute__((reqd_work_group_size(64, 1, 1)))
void copy(__global uint *dst, __global const uint *src)
{
	uint g = __builtin_amdgcn_workgroup_id_x() * 64 + __builtin_amdgcn_workitem_id_x();
	dst[g] = src[g];
}
