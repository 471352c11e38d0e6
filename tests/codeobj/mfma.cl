/* MFMA and AccVGPR kernels for gfx90a (tests/test_gfx9.c, gfx9_vgpu/mfma_*):
 * each lane passes its own A, B and C register values and stores D, so
 * the test checks the register layout and arithmetic against a CPU
 * reference written from AMD's matrix instruction calculator.  clang-19
 * keeps C and D in AccVGPRs (global_load/store with the acc bit). */
#pragma OPENCL EXTENSION cl_khr_fp16 : enable
typedef float v4f __attribute__((ext_vector_type(4)));
typedef float v16f __attribute__((ext_vector_type(16)));
typedef float v32f __attribute__((ext_vector_type(32)));
typedef half v4h __attribute__((ext_vector_type(4)));
typedef short v2s __attribute__((ext_vector_type(2)));
typedef short v4s __attribute__((ext_vector_type(4)));
typedef int v4i __attribute__((ext_vector_type(4)));
typedef int v16i __attribute__((ext_vector_type(16)));
typedef double v4d __attribute__((ext_vector_type(4)));

__kernel __attribute__((reqd_work_group_size(64, 1, 1))) void f32_32x32x8f16(global const v4h *a, global const v4h *b, global const v16f *c, global v16f *d)
{ uint l = __builtin_amdgcn_workitem_id_x(); d[l] = __builtin_amdgcn_mfma_f32_32x32x8f16(a[l], b[l], c[l], 0, 0, 0); }
__kernel __attribute__((reqd_work_group_size(64, 1, 1))) void f32_16x16x16f16(global const v4h *a, global const v4h *b, global const v4f *c, global v4f *d)
{ uint l = __builtin_amdgcn_workitem_id_x(); d[l] = __builtin_amdgcn_mfma_f32_16x16x16f16(a[l], b[l], c[l], 0, 0, 0); }
__kernel __attribute__((reqd_work_group_size(64, 1, 1))) void f32_32x32x1f32(global const float *a, global const float *b, global const v32f *c, global v32f *d)
{ uint l = __builtin_amdgcn_workitem_id_x(); d[l] = __builtin_amdgcn_mfma_f32_32x32x1f32(a[l], b[l], c[l], 0, 0, 0); }
__kernel __attribute__((reqd_work_group_size(64, 1, 1))) void f32_32x32x2f32(global const float *a, global const float *b, global const v16f *c, global v16f *d)
{ uint l = __builtin_amdgcn_workitem_id_x(); d[l] = __builtin_amdgcn_mfma_f32_32x32x2f32(a[l], b[l], c[l], 0, 0, 0); }
__kernel __attribute__((reqd_work_group_size(64, 1, 1))) void f32_16x16x4f32(global const float *a, global const float *b, global const v4f *c, global v4f *d)
{ uint l = __builtin_amdgcn_workitem_id_x(); d[l] = __builtin_amdgcn_mfma_f32_16x16x4f32(a[l], b[l], c[l], 0, 0, 0); }
__kernel __attribute__((reqd_work_group_size(64, 1, 1))) void f32_4x4x1f32_cbsz2_abid3(global const float *a, global const float *b, global const v4f *c, global v4f *d)
{ uint l = __builtin_amdgcn_workitem_id_x(); d[l] = __builtin_amdgcn_mfma_f32_4x4x1f32(a[l], b[l], c[l], 2, 3, 0); }
__kernel __attribute__((reqd_work_group_size(64, 1, 1))) void f32_4x4x1f32_blgp3(global const float *a, global const float *b, global const v4f *c, global v4f *d)
{ uint l = __builtin_amdgcn_workitem_id_x(); d[l] = __builtin_amdgcn_mfma_f32_4x4x1f32(a[l], b[l], c[l], 0, 0, 3); }
__kernel __attribute__((reqd_work_group_size(64, 1, 1))) void f32_16x16x4f16_blgp5(global const v4h *a, global const v4h *b, global const v16f *c, global v16f *d)
{ uint l = __builtin_amdgcn_workitem_id_x(); d[l] = __builtin_amdgcn_mfma_f32_16x16x4f16(a[l], b[l], c[l], 1, 1, 5); }
__kernel __attribute__((reqd_work_group_size(64, 1, 1))) void i32_32x32x8i8(global const int *a, global const int *b, global const v16i *c, global v16i *d)
{ uint l = __builtin_amdgcn_workitem_id_x(); d[l] = __builtin_amdgcn_mfma_i32_32x32x8i8(a[l], b[l], c[l], 0, 0, 0); }
__kernel __attribute__((reqd_work_group_size(64, 1, 1))) void i32_16x16x16i8(global const int *a, global const int *b, global const v4i *c, global v4i *d)
{ uint l = __builtin_amdgcn_workitem_id_x(); d[l] = __builtin_amdgcn_mfma_i32_16x16x16i8(a[l], b[l], c[l], 0, 0, 0); }
__kernel __attribute__((reqd_work_group_size(64, 1, 1))) void f32_16x16x16bf16_1k(global const v4s *a, global const v4s *b, global const v4f *c, global v4f *d)
{ uint l = __builtin_amdgcn_workitem_id_x(); d[l] = __builtin_amdgcn_mfma_f32_16x16x16bf16_1k(a[l], b[l], c[l], 0, 0, 0); }
__kernel __attribute__((reqd_work_group_size(64, 1, 1))) void f32_32x32x4bf16(global const v2s *a, global const v2s *b, global const v16f *c, global v16f *d)
{ uint l = __builtin_amdgcn_workitem_id_x(); d[l] = __builtin_amdgcn_mfma_f32_32x32x4bf16(a[l], b[l], c[l], 0, 0, 0); }
__kernel __attribute__((reqd_work_group_size(64, 1, 1))) void f64_16x16x4f64(global const double *a, global const double *b, global const v4d *c, global v4d *d)
{ uint l = __builtin_amdgcn_workitem_id_x(); d[l] = __builtin_amdgcn_mfma_f64_16x16x4f64(a[l], b[l], c[l], 0, 0, 0); }
__kernel __attribute__((reqd_work_group_size(64, 1, 1))) void f64_4x4x4f64(global const double *a, global const double *b, global const double *c, global double *d)
{ uint l = __builtin_amdgcn_workitem_id_x(); d[l] = __builtin_amdgcn_mfma_f64_4x4x4f64(a[l], b[l], c[l], 0, 0, 0); }
__kernel __attribute__((reqd_work_group_size(64, 1, 1))) void f32_32x32x8f16_zero(global const v4h *a, global const v4h *b, global const v16f *c, global v16f *d)
{ uint l = __builtin_amdgcn_workitem_id_x(); d[l] = __builtin_amdgcn_mfma_f32_32x32x8f16(a[l], b[l], (v16f)0.0f, 0, 0, 0); }
/* v_accvgpr_write/mov/read: x + 1 through a0 and a1, and an SGPR and an
 * inline constant written to AccVGPRs */
__kernel __attribute__((reqd_work_group_size(64, 1, 1))) void accvgpr(global const int *a, global int *d, int s)
{
	uint l = __builtin_amdgcn_workitem_id_x();
	int r, q, k;
	__asm__ volatile("v_accvgpr_write_b32 a0, %3\n\tv_accvgpr_mov_b32 a1, a0\n\t"
			 "v_accvgpr_write_b32 a2, %4\n\tv_accvgpr_write_b32 a3, -7\n\t"
			 "v_accvgpr_read_b32 %0, a1\n\tv_accvgpr_read_b32 %1, a2\n\tv_accvgpr_read_b32 %2, a3"
			 : "=v"(r), "=v"(q), "=v"(k) : "v"(a[l] + 1), "s"(s) : "a0", "a1", "a2", "a3");
	d[3 * l] = r;
	d[3 * l + 1] = q;
	d[3 * l + 2] = k;
}
