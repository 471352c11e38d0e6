// Differential kernels: WMMA 16x16x16 on one wave32.  a and b hold 16x16
// f16/bf16 matrices (row-major); the result is the 16x16 f32 D = A*B.
// Lane l holds A row (l % 16) and B column (l % 16) (16 halves each);
// result element v of lane l is D[2v + l/16][l % 16].
#include "prelude.h"
typedef half v16h __attribute__((ext_vector_type(16)));
typedef short v16s __attribute__((ext_vector_type(16)));
typedef float v8f __attribute__((ext_vector_type(8)));
#pragma OPENCL EXTENSION cl_khr_fp16 : enable
kernel __attribute__((reqd_work_group_size(32, 1, 1)))
void w_f16(global float *o, global const half *a, global const half *b)
{
	uint l = LID(), r = l % 16;
	v16h av, bv;
	for (int k = 0; k < 16; k++) {
		av[k] = a[r * 16 + k];
		bv[k] = b[k * 16 + r];
	}
	v8f c = 0;
	c = __builtin_amdgcn_wmma_f32_16x16x16_f16_w32(av, bv, c);
	for (int v = 0; v < 8; v++)
		o[(2 * v + l / 16) * 16 + r] = c[v];
}
kernel __attribute__((reqd_work_group_size(32, 1, 1)))
void w_bf16(global float *o, global const short *a, global const short *b)
{
	uint l = LID(), r = l % 16;
	v16s av, bv;
	for (int k = 0; k < 16; k++) {
		av[k] = a[r * 16 + k];
		bv[k] = b[k * 16 + r];
	}
	v8f c = 0;
	c = __builtin_amdgcn_wmma_f32_16x16x16_bf16_w32(av, bv, c);
	for (int v = 0; v < 8; v++)
		o[(2 * v + l / 16) * 16 + r] = c[v];
}
// v_wmma_i32_16x16x16_iu8, A signed and B unsigned bytes (row-major in a
// and b): lane l packs A row (l % 16) and B column (l % 16), 4 per dword.
typedef int v4i __attribute__((ext_vector_type(4)));
typedef int v8i __attribute__((ext_vector_type(8)));
kernel __attribute__((reqd_work_group_size(32, 1, 1)))
void w_iu8(global int *o, global const uchar *a, global const uchar *b)
{
	uint l = LID(), r = l % 16;
	v4i av = 0, bv = 0;
	for (int k = 0; k < 16; k++) {
		av[k / 4] |= (int)a[r * 16 + k] << (8 * (k % 4));
		bv[k / 4] |= (int)b[k * 16 + r] << (8 * (k % 4));
	}
	v8i c = 0;
	c = __builtin_amdgcn_wmma_i32_16x16x16_iu8_w32(true, av, false, bv, c, false);
	for (int v = 0; v < 8; v++)
		o[(2 * v + l / 16) * 16 + r] = c[v];
}
