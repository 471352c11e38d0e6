// Differential kernels for the VALU operations reached only through
// builtins or inline assembly: v_dot2_f16_f16 / v_dot2_bf16_bf16 (with
// op_sel picking S2's half and D's half), v_pk_fmac_f16, v_mullit_f32,
// v_mqsad_u32_u8 and the 16-bit-result WMMA forms.
#include "prelude.h"
#pragma OPENCL EXTENSION cl_khr_fp16 : enable
#define KU(name, body) \
	kernel void name(global uint *o, global const uint *ua, global const uint *ub) \
	{ uint i = GID(); uint a = ua[i], b = ub[i]; \
	  uint x = (a & 0xffffu) | b << 16, y = (b & 0xffffu) | (a ^ 0x8000u) << 16; \
	  uint r = x ^ y; body; o[i] = r; }
// D.f16 = x.lo*y.lo + x.hi*y.hi + a.lo, into the low half (high half 0)
KU(a3_hdot2, r = (uint)as_ushort(__builtin_amdgcn_fdot2_f16_f16(as_half2(x), as_half2(y), as_half((ushort)a))))
// S2 = the high half of y, D = the high half of r (the low half kept)
KU(a3_hdot2_sel, __asm__("v_dot2_f16_f16 %0, %1, %2, %3 op_sel:[0,0,1,1]" : "+v"(r) : "v"(x), "v"(y), "v"(y)))
// neg on a packed source negates both halves, abs on S2
KU(a3_hdot2_mods, __asm__("v_dot2_f16_f16 %0, -%1, %2, |%3|" : "+v"(r) : "v"(x), "v"(y), "v"(a)))
KU(a3_bdot2, r = (uint)(ushort)__builtin_amdgcn_fdot2_bf16_bf16(as_short2(x), as_short2(y), (short)a))
KU(a3_bdot2_sel, __asm__("v_dot2_bf16_bf16 %0, %1, -%2, %3 op_sel:[0,0,1,1]" : "+v"(r) : "v"(x), "v"(y), "v"(y)))
// D.f16[i] = fma(x.f16[i], y.f16[i], D.f16[i]), D starting as x ^ y
KU(a3_pkfmac, __asm__("v_pk_fmac_f16 %0, %1, %2" : "+v"(r) : "v"(x), "v"(y)))
KU(a3_mullit, __asm__("v_mullit_f32 %0, %1, %2, %3" : "=v"(r) : "v"(a), "v"(b), "v"(a ^ b)))
// 128-bit D and S2: the four sums folded into one word
kernel void a3_mqsad(global ulong *o, global const ulong *ua, global const ulong *ub)
{
	uint i = GID();
	ulong a = ua[i], b = ub[i];
	uint4 d = (uint4)((uint)b, (uint)(b >> 32), (uint)a, 0xfffffff0u);
	__asm__("v_mqsad_u32_u8 %0, %1, %2, %0" : "+v"(d) : "v"(a), "v"((uint)(b >> 7)));
	o[i] = ((ulong)(d.x ^ (d.y << 8) ^ (d.y >> 24)) << 32 | (d.z ^ (d.w << 16) ^ (d.w >> 16))) +
	       ((ulong)d.y << 7);
}
kernel void a3_mqsad_clamp(global ulong *o, global const ulong *ua, global const ulong *ub)
{
	uint i = GID();
	ulong a = ua[i], b = ub[i];
	uint4 d = (uint4)(0xffffff00u | (uint)b, (uint)(b >> 32), 0xffffffffu, (uint)a);
	__asm__("v_mqsad_u32_u8 %0, %1, %2, %0 clamp" : "+v"(d) : "v"(a), "v"((uint)(b >> 3)));
	o[i] = ((ulong)(d.x ^ (d.y << 8) ^ (d.y >> 24)) << 32 | (d.z ^ (d.w << 16) ^ (d.w >> 16))) +
	       ((ulong)d.y << 7);
}
// WMMA with f16/bf16 results (as wmma.cl): D = A*B into the low halves
// (op_sel 0), then A*B + that into the high halves (op_sel 1); each
// output word holds the low half | the high half << 16.
typedef half v16h __attribute__((ext_vector_type(16)));
typedef short v16s __attribute__((ext_vector_type(16)));
kernel __attribute__((reqd_work_group_size(32, 1, 1)))
void a3_w_f16f16(global uint *o, global const half *a, global const half *b)
{
	uint l = LID(), r = l % 16;
	v16h av, bv;
	for (int k = 0; k < 16; k++) {
		av[k] = a[r * 16 + k];
		bv[k] = b[k * 16 + r];
	}
	v16h c = 0;
	c = __builtin_amdgcn_wmma_f16_16x16x16_f16_w32(av, bv, c, false);
	for (int v = 0; v < 8; v++)
		c[2 * v + 1] = c[2 * v];
	c = __builtin_amdgcn_wmma_f16_16x16x16_f16_w32(av, bv, c, true);
	for (int v = 0; v < 8; v++)
		o[(2 * v + l / 16) * 16 + r] = (uint)as_ushort(c[2 * v]) | (uint)as_ushort(c[2 * v + 1]) << 16;
}
kernel __attribute__((reqd_work_group_size(32, 1, 1)))
void a3_w_bf16bf16(global uint *o, global const short *a, global const short *b)
{
	uint l = LID(), r = l % 16;
	v16s av, bv;
	for (int k = 0; k < 16; k++) {
		av[k] = a[r * 16 + k];
		bv[k] = b[k * 16 + r];
	}
	v16s c = 0;
	c = __builtin_amdgcn_wmma_bf16_16x16x16_bf16_w32(av, bv, c, false);
	for (int v = 0; v < 8; v++)
		c[2 * v + 1] = c[2 * v];
	c = __builtin_amdgcn_wmma_bf16_16x16x16_bf16_w32(av, bv, c, true);
	for (int v = 0; v < 8; v++)
		o[(2 * v + l / 16) * 16 + r] = (uint)(ushort)c[2 * v] | (uint)(ushort)c[2 * v + 1] << 16;
}
// VOP3P-DPP: src0 read from another lane.  quad_perm:[1,0,3,2] (lane
// i ^ 1), row_shr:1 with bound_ctrl (0 for the first lane of a row of
// 16), dpp8:[7,6,5,4,3,2,1,0] (lane i ^ 7)
KU(a3_mix_dpp, __asm__("v_fma_mix_f32 %0, %1, %2, %3 op_sel_hi:[1,1,0] quad_perm:[1,0,3,2] row_mask:0xf bank_mask:0xf"
		       : "=v"(r) : "v"(x), "v"(y), "v"(y)))
KU(a3_dot2_dpp, __asm__("v_dot2_f32_f16 %0, %1, %2, %3 row_shr:1 row_mask:0xf bank_mask:0xf bound_ctrl:1"
			: "=v"(r) : "v"(x), "v"(y), "v"(y)))
KU(a3_mixlo_dpp8, __asm__("v_fma_mixlo_f16 %0, %1, %2, %3 op_sel_hi:[1,1,1] dpp8:[7,6,5,4,3,2,1,0]"
			  : "+v"(r) : "v"(x), "v"(y), "v"(a)))
