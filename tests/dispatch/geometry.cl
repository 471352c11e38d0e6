/* Reads the launch geometry three ways: the hidden group size (implicit
 * arguments), the grid size (through the dispatch packet), and the raw
 * implicit-argument words, so a test can check every value the dispatcher
 * filled.  Also writes each work-item's global id. */
__kernel void geometry(__global uint *out)
{
	uint l = __builtin_amdgcn_workitem_id_x();
	uint g = __builtin_amdgcn_workgroup_id_x();
	uint wg = __builtin_amdgcn_workgroup_size_x();
	const __constant uint *ia = (const __constant uint *)__builtin_amdgcn_implicitarg_ptr();
	const __constant ushort *ia16 = (const __constant ushort *)ia;
	if (g == 0 && l == 0) {
		out[0] = wg;
		out[1] = __builtin_amdgcn_grid_size_x();
		out[2] = ia[0];       /* hidden_block_count_x */
		out[3] = ia16[32];    /* hidden_grid_dims at byte 64 */
	}
	out[4 + g * wg + l] = g * wg + l;
}

/* Stores to an address no buffer maps: the job must fault. */
__kernel void fault(__global uint *out, uint n)
{
	__global uint *bad = (__global uint *)0x100000000000ul;
	bad[__builtin_amdgcn_workitem_id_x()] = n;
	out[0] = n;
}

/* Private memory indexed at run time: the kernel needs scratch. */
__kernel void private_mem(__global uint *out, uint k)
{
	volatile uint tmp[64];
	for (uint i = 0; i < 64; i++)
		tmp[i] = i * k;
	out[__builtin_amdgcn_workitem_id_x()] = tmp[(k + __builtin_amdgcn_workitem_id_x()) & 63];
}
