// LLVM's constant folder as the oracle: each operation twice, "<name>_rt"
// on values it loads at run time (the vgpu executes the instruction) and
// "<name>_k" on the same values as compile-time constants (clang folds
// the call, the kernel only stores constants).  test_diff_kernels.c runs
// both and compares.  Grids: 32 values, edges first.
#include "prelude.h"
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
constant uint gf[32] = {
	0x00000000u, 0x80000000u, 0x3f800000u, 0xbf800000u, 0x3f000000u, 0x3fc00000u,
	0xc0200000u, 0x00000001u, 0x807fffffu, 0x00800000u, 0x7f7fffffu, 0x7f800000u,
	0xff800000u, 0x7fc00000u, 0x40400000u, 0x4b800001u, 0x3e800000u, 0xbf400000u,
	0x3eaaaaabu, 0xc2c80000u, 0x42f60000u, 0x3dcccccdu, 0xbf7fffffu, 0x3f7fffffu,
	0x4effffffu, 0xcf000000u, 0x33800000u, 0x4479c000u, 0xc479c000u, 0x3f8ccccdu,
	0x40490fdbu, 0xbe99999au };
constant uint gb[32] = {
	0x3f800000u, 0x00000000u, 0x7f800000u, 0x40000000u, 0xbf800000u, 0x3f000000u,
	0x80000000u, 0x00000003u, 0x7fc00000u, 0xff800000u, 0x3f400000u, 0xc0400000u,
	0x00800000u, 0x41200000u, 0xbfc00000u, 0x7f7fffffu, 0x3e800000u, 0x42c80000u,
	0x00000001u, 0xc1200000u, 0x3dcccccdu, 0x3eaaaaabu, 0x4b000000u, 0xcb000000u,
	0x3f7fffffu, 0x40490fdbu, 0xbf000000u, 0x38000000u, 0x477fe000u, 0x33800000u,
	0xbe800000u, 0x3fc00000u };
constant int gi[32] = { 0, 1, -1, 2, -2, 126, -126, 127, -127, 128, -128, 149, -149, 150, -150,
	254, -254, 23, -23, 24, 64, -64, 300, -300, 1000, -1000, 3, 5, 7, -9, 11, -13 };
constant ulong gd[32] = {
	0x0000000000000000ul, 0x8000000000000000ul, 0x3ff0000000000000ul, 0xbff0000000000000ul,
	0x3fe0000000000000ul, 0x3ff8000000000000ul, 0xc004000000000000ul, 0x0000000000000001ul,
	0x800ffffffffffffful, 0x0010000000000000ul, 0x7feffffffffffffful, 0x7ff0000000000000ul,
	0xfff0000000000000ul, 0x7ff8000000000000ul, 0x4008000000000000ul, 0x4340000000000001ul,
	0x3fd0000000000000ul, 0xbfe8000000000000ul, 0x3fd5555555555555ul, 0xc059000000000000ul,
	0x405ec00000000000ul, 0x3fb999999999999aul, 0xbfefffffffffffffull, 0x3fefffffffffffffull,
	0x41dfffffffc00000ul, 0xc1e0000000000000ul, 0x3e70000000000000ul, 0x408f380000000000ul,
	0x4330000000000001ul, 0x3ff199999999999aul, 0x400921fb54442d18ul, 0x7fe0000000000000ul };

#define F(j) as_float(gf[j])
#define B(j) as_float(gb[j])
#define D(j) as_double(gd[j])
/* one uint result per grid index j */
#define PAIR(name, expr) \
	kernel void name##_rt(global uint *o, global const uint *ua, global const uint *ub) \
	{ uint i = GID(); if (i < 32) { uint j = i; o[i] = (uint)(expr); } } \
	kernel void name##_k(global uint *o, global const uint *ua, global const uint *ub) \
	{ if (GID() == 0) { _Pragma("unroll") for (uint j = 0; j < 32; j++) o[j] = (uint)(expr); } }
#define PAIR64(name, expr) \
	kernel void name##_rt(global ulong *o, global const ulong *ua, global const ulong *ub) \
	{ uint i = GID(); if (i < 32) { uint j = i; o[i] = (ulong)(expr); } } \
	kernel void name##_k(global ulong *o, global const ulong *ua, global const ulong *ub) \
	{ if (GID() == 0) { _Pragma("unroll") for (uint j = 0; j < 32; j++) o[j] = (ulong)(expr); } }

PAIR(fd_fract, as_uint(__builtin_amdgcn_fractf(F(j))))
PAIR(fd_frexp_mant, as_uint(__builtin_amdgcn_frexp_mantf(F(j))))
PAIR(fd_frexp_exp, __builtin_amdgcn_frexp_expf(F(j)))
PAIR(fd_ldexp, as_uint(__builtin_ldexpf(F(j), gi[j])))
PAIR(fd_fmed3, as_uint(__builtin_amdgcn_fmed3f(F(j), B(j), F((j + 7) & 31))))
PAIR(fd_pkrtz, as_uint(__builtin_amdgcn_cvt_pkrtz(F(j), B(j))))
PAIR(fd_class, __builtin_amdgcn_classf(F(j), 1u << (j % 10)) | (__builtin_amdgcn_classf(B(j), 0x3ffu ^ (1u << (j % 10))) << 1))
PAIR(fd_sin, as_uint(__builtin_amdgcn_sinf(F(j))))
PAIR(fd_cos, as_uint(__builtin_amdgcn_cosf(F(j))))
PAIR(fd_rcp, as_uint(__builtin_amdgcn_rcpf(F(j))))
PAIR(fd_exp2, as_uint(__builtin_amdgcn_exp2f(F(j))))
PAIR(fd_log, as_uint(__builtin_amdgcn_logf(F(j))))
PAIR(fd_perm, __builtin_amdgcn_perm(gf[j], gb[j], gb[(j + 3) & 31] ^ gf[(j + 5) & 31]))
PAIR(fd_ubfe, __builtin_amdgcn_ubfe(gf[j], gi[j] & 31, gi[(j + 1) & 31] & 31) ^ (uint)__builtin_amdgcn_sbfe((int)gb[j], gi[(j + 2) & 31] & 31, gi[j] & 31))
PAIR64(fd_d_fract, as_ulong(__builtin_amdgcn_fract(D(j))))
PAIR64(fd_d_frexp_mant, as_ulong(__builtin_amdgcn_frexp_mant(D(j))))
PAIR64(fd_d_frexp_exp, (ulong)(long)__builtin_amdgcn_frexp_exp(D(j)))
PAIR64(fd_d_ldexp, as_ulong(__builtin_ldexp(D(j), gi[j] * 4)))
PAIR64(fd_d_trig_preop, as_ulong(__builtin_amdgcn_trig_preop(D(j), j & 3)))
PAIR64(fd_d_class, (ulong)__builtin_amdgcn_class(D(j), 1u << (j % 10)))
PAIR64(fd_d_rcp, as_ulong(__builtin_amdgcn_rcp(D(j))))
PAIR(fd_cubeid, as_uint(__builtin_amdgcn_cubeid(F(j), B(j), F((j + 9) & 31))))
PAIR(fd_cubesc, as_uint(__builtin_amdgcn_cubesc(F(j), B(j), F((j + 9) & 31))))
PAIR(fd_cubetc, as_uint(__builtin_amdgcn_cubetc(F(j), B(j), F((j + 9) & 31))))
PAIR(fd_cubema, as_uint(__builtin_amdgcn_cubema(F(j), B(j), F((j + 9) & 31))))
