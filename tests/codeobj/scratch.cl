/* A kernel with a private array indexed at run time: LLVM puts it in
 * scratch.  Built for gfx1035 (RDNA2, no architected flat scratch) to
 * show the user SGPRs such a kernel expects from the dispatcher. */
__kernel __attribute__((reqd_work_group_size(64, 1, 1)))
void scratch_index(__global const int *in, __global int *out, int n)
{
	uint g = __builtin_amdgcn_workgroup_id_x() * 64 + __builtin_amdgcn_workitem_id_x();
	volatile int a[65];
	for (int i = 0; i < 65; i++)
		a[i] = in[i] * n;
	out[g] = a[(n + g) % 65];
}
