/* A program-scope pointer to a program-scope variable: the linked object
 * carries an R_AMDGPU_RELATIVE64 the loader must apply. */
__global int table[4] = { 1, 2, 3, 4 };
__global int *__global table_ptr = &table[2];

__kernel void read_table(__global int *out)
{
	out[__builtin_amdgcn_workitem_id_x()] = *table_ptr;
}
