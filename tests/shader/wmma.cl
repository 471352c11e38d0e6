/* One 16x16x16 matrix multiply-accumulate per wave32 with the RDNA3 WMMA
 * instructions: D = A * B + C, A row-major, B row-major, C/D row-major
 * 16x16.  Lane l (0..15) loads row l of A and column l of B; lanes 16..31
 * load the same (the hardware wants the copy).  C/D: lane l, element v of
 * the float8 is D[2v + l/16][l % 16]. */
#pragma OPENCL EXTENSION cl_khr_fp16 : enable

typedef half half16 __attribute__((ext_vector_type(16)));
typedef short short16 __attribute__((ext_vector_type(16)));
typedef float float8 __attribute__((ext_vector_type(8)));

__attribute__((reqd_work_group_size(32, 1, 1)))
__kernel void wmma_f16(__global const half *a, __global const half *b, __global const float *c,
		       __global float *d)
{
	uint l = __builtin_amdgcn_workitem_id_x(), r = l % 16, hi = l / 16;
	half16 va, vb;
	for (int k = 0; k < 16; k++) {
		va[k] = a[r * 16 + k];
		vb[k] = b[k * 16 + r];
	}
	float8 vc;
	for (int v = 0; v < 8; v++)
		vc[v] = c[(2 * v + hi) * 16 + r];
	float8 vd = __builtin_amdgcn_wmma_f32_16x16x16_f16_w32(va, vb, vc);
	for (int v = 0; v < 8; v++)
		d[(2 * v + hi) * 16 + r] = vd[v];
}

__attribute__((reqd_work_group_size(32, 1, 1)))
__kernel void wmma_bf16(__global const ushort *a, __global const ushort *b,
			__global const float *c, __global float *d)
{
	uint l = __builtin_amdgcn_workitem_id_x(), r = l % 16, hi = l / 16;
	short16 va, vb;
	for (int k = 0; k < 16; k++) {
		va[k] = (short)a[r * 16 + k];
		vb[k] = (short)b[k * 16 + r];
	}
	float8 vc;
	for (int v = 0; v < 8; v++)
		vc[v] = c[(2 * v + hi) * 16 + r];
	float8 vd = __builtin_amdgcn_wmma_f32_16x16x16_bf16_w32(va, vb, vc);
	for (int v = 0; v < 8; v++)
		d[(2 * v + hi) * 16 + r] = vd[v];
}
