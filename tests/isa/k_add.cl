/* Guarded element-wise update: SMEM kernarg loads, VOP3b carries, global memory. */
__kernel void add(__global float *a, __global const float *b, uint n) {
  uint i = __builtin_amdgcn_workgroup_id_x()*64 + __builtin_amdgcn_workitem_id_x();
  if (i < n) a[i] += b[i] * 2.0f;
}
