/* Never ends unless *flag becomes non-zero: the watchdog's test. */
__attribute__((reqd_work_group_size(64, 1, 1)))
__kernel void spin(__global volatile uint *flag, __global uint *out)
{
	while (flag[0] == 0)
		;
	out[__builtin_amdgcn_workitem_id_x()] = 1;
}
