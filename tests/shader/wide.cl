/* 64-bit integer and f64 arithmetic, f16/bf16 conversions and global
 * atomics. */
#pragma OPENCL EXTENSION cl_khr_fp16 : enable
#pragma OPENCL EXTENSION cl_khr_fp64 : enable

__attribute__((reqd_work_group_size(64, 1, 1)))
__kernel void int64_ops(__global const ulong *a, __global const ulong *b, __global ulong *out,
			uint n)
{
	uint i = __builtin_amdgcn_workgroup_id_x() * 64 + __builtin_amdgcn_workitem_id_x();
	if (i >= n)
		return;
	ulong x = a[i], y = b[i];
	out[4 * i + 0] = x * y + (x >> 7);
	out[4 * i + 1] = (ulong)((long)x >> (y & 63)) ^ (y << 3);
	out[4 * i + 2] = x < y ? x - y : y + 12345678901ul;
	out[4 * i + 3] = (ulong)((long)x < (long)y);
}

__attribute__((reqd_work_group_size(64, 1, 1)))
__kernel void f64_ops(__global const double *a, __global const double *b, __global double *out,
		      uint n)
{
	uint i = __builtin_amdgcn_workgroup_id_x() * 64 + __builtin_amdgcn_workitem_id_x();
	if (i >= n)
		return;
	double x = a[i], y = b[i];
	out[3 * i + 0] = __builtin_fma(x, y, 1.5);
	out[3 * i + 1] = x + y * 3.0;
	out[3 * i + 2] = x < y ? (double)(int)x : (double)(uint)(i * 7);
}

__attribute__((reqd_work_group_size(64, 1, 1)))
__kernel void halves(__global const float *a, __global half *h, __global float *back,
		     __global ushort *bf, uint n)
{
	uint i = __builtin_amdgcn_workgroup_id_x() * 64 + __builtin_amdgcn_workitem_id_x();
	if (i >= n)
		return;
	half x = (half)a[i];
	h[i] = x;
	back[i] = (float)x;
	__bf16 b16 = (__bf16)a[i];
	bf[i] = __builtin_bit_cast(ushort, b16);
}

__attribute__((reqd_work_group_size(64, 1, 1)))
__kernel void atomics(__global const int *a, __global int *acc, uint n)
{
	uint i = __builtin_amdgcn_workgroup_id_x() * 64 + __builtin_amdgcn_workitem_id_x();
	if (i >= n)
		return;
	int v = a[i];
	/* -nogpulib: no library atomic_*(); clang's builtins lower the same */
	__atomic_fetch_add(&acc[0], v, __ATOMIC_RELAXED);
	__atomic_fetch_min(&acc[1], v, __ATOMIC_RELAXED);
	__atomic_fetch_max(&acc[2], v, __ATOMIC_RELAXED);
	__atomic_exchange_n(&acc[3], 7, __ATOMIC_RELAXED);
	int expect = 0; /* only one work-item wins: acc[4] = winner + 1 */
	bool won = __atomic_compare_exchange_n(&acc[4], &expect, (int)i + 1, false,
					       __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	__atomic_fetch_max((__global uint *)&acc[5], (uint)v, __ATOMIC_RELAXED);
	__atomic_fetch_or(&acc[6], 1 << (i & 31), __ATOMIC_RELAXED);
	int ticket = __atomic_fetch_add(&acc[7], 1, __ATOMIC_RELAXED);
	acc[8 + i] = (ticket < (int)n ? 1 : 0) | (won ? 2 : 0);
}
