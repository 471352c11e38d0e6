/* Three-dimensional workgroups and grid: every work-item writes its
 * work-item and workgroup ids, to check the packed v0 ids and the
 * workgroup-id SGPRs. */
__attribute__((reqd_work_group_size(8, 4, 2)))
__kernel void ids3d(__global uint *out)
{
	uint tx = __builtin_amdgcn_workitem_id_x(), ty = __builtin_amdgcn_workitem_id_y(),
	     tz = __builtin_amdgcn_workitem_id_z();
	uint gx = __builtin_amdgcn_workgroup_id_x(), gy = __builtin_amdgcn_workgroup_id_y(),
	     gz = __builtin_amdgcn_workgroup_id_z();
	uint x = gx * 8 + tx, y = gy * 4 + ty, z = gz * 2 + tz;
	uint i = (z * 12 + y) * 24 + x; /* grid of 3 x 3 x 2 groups = 24 x 12 x 4 */
	out[i] = tx | ty << 4 | tz << 8 | gx << 12 | gy << 16 | gz << 20;
}
