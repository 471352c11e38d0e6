// Differential kernels: LDS compare-and-swap (ds_cmpstore_rtn_b32, whose
// gfx11 operand order is DATA0 = new value, DATA1 = compare value), LDS
// integer, 64-bit and float atomics, and cross-lane exchange through DS
// (ds_bpermute, ds_permute, ds_swizzle) and ds_append.  Workgroups of 64
// (two wave32 waves); every result is independent of the order in which
// lanes and waves run.
#include "prelude.h"
// A CAS loop per lane adding (a & 0xff) into one of 8 LDS counters.
kernel __attribute__((reqd_work_group_size(64, 1, 1)))
void l_cas_loop(global uint *o, global const uint *ua, global const uint *ub)
{
	local uint c[8];
	uint l = LID();
	if (l < 8)
		c[l] = l * 1000u;
	BARRIER();
	local uint *p = &c[l % 8];
	uint old = __atomic_load_n(p, __ATOMIC_RELAXED);
	while (!__atomic_compare_exchange_n(p, &old, old + (ua[GID()] & 0xffu), false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	BARRIER();
	o[GID()] = c[l % 8];
}
// One CAS per slot: lane l swaps b into slot (l + 1) % 64 if the slot
// still holds its initial value (it does when a is odd: the expected
// value is right) and reports the old value and whether it swapped.
kernel __attribute__((reqd_work_group_size(64, 1, 1)))
void l_cas_once(global uint *o, global const uint *ua, global const uint *ub)
{
	local uint t[64];
	uint l = LID(), i = GID();
	t[l] = l * 3u + 7u;
	BARRIER();
	uint s = (l + 1) % 64;
	uint expected = (ua[i] & 1) ? s * 3u + 7u : ua[i];
	bool ok = __atomic_compare_exchange_n(&t[s], &expected, ub[i], false,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	BARRIER();
	o[i] = t[l] ^ (expected << 8) ^ (ok ? 0x80000000u : 0u);
}
// LDS atomics: signed/unsigned min and max, and/or/xor, 64-bit add and
// max, f32 add of 1 + k/256 values (exact in any order).
kernel __attribute__((reqd_work_group_size(64, 1, 1)))
void l_atomics(global uint *o, global const uint *ua, global const uint *ub)
{
	local int smin[4], smax[4];
	local uint umin[4], umax[4], band[4], bor[4], bxor[4];
	local ulong add64[4], max64[4];
	local float fadd[4];
	uint l = LID(), i = GID(), k = l % 4;
	if (l < 4) {
		smin[l] = 0x7fffffff; smax[l] = (int)0x80000000;
		umin[l] = ~0u; umax[l] = 0; band[l] = ~0u; bor[l] = 0; bxor[l] = 0;
		add64[l] = 0xfffffff0ul; max64[l] = 0; fadd[l] = 0.5f;
	}
	BARRIER();
	uint a = ua[i], b = ub[i];
	__atomic_fetch_min(&smin[k], (int)a, __ATOMIC_RELAXED);
	__atomic_fetch_max(&smax[k], (int)a, __ATOMIC_RELAXED);
	__atomic_fetch_min(&umin[k], b, __ATOMIC_RELAXED);
	__atomic_fetch_max(&umax[k], b, __ATOMIC_RELAXED);
	__atomic_fetch_and(&band[k], a | b, __ATOMIC_RELAXED);
	__atomic_fetch_or(&bor[k], a & b, __ATOMIC_RELAXED);
	__atomic_fetch_xor(&bxor[k], a, __ATOMIC_RELAXED);
	__atomic_fetch_add(&add64[k], (ulong)a << 8, __ATOMIC_RELAXED);
	__atomic_fetch_max(&max64[k], (ulong)a << 32 | b, __ATOMIC_RELAXED);
	__atomic_fetch_add(&fadd[k], as_float(0x3f800000u | (b & 0xffu) << 15), __ATOMIC_RELAXED);
	BARRIER();
	uint r;
	switch ((l >> 2) & 15) {
	case 0: r = (uint)smin[k]; break;
	case 1: r = (uint)smax[k]; break;
	case 2: r = umin[k]; break;
	case 3: r = umax[k]; break;
	case 4: r = band[k]; break;
	case 5: r = bor[k]; break;
	case 6: r = bxor[k]; break;
	case 7: r = (uint)add64[k] ^ (uint)(add64[k] >> 32); break;
	case 8: r = (uint)(max64[k] >> 32); break;
	case 9: r = (uint)max64[k]; break;
	default: r = as_uint(fadd[k]); break;
	}
	o[i] = r;
}
// ds_bpermute (lane reads lane a % 32 of its wave), ds_permute (lane
// writes to lane 31 - l), ds_swizzle swap-1 and quad reversal.
kernel __attribute__((reqd_work_group_size(64, 1, 1)))
void l_lanes(global uint *o, global const uint *ua, global const uint *ub)
{
	uint l = LID(), i = GID();
	uint b = ub[i];
	uint bp = (uint)__builtin_amdgcn_ds_bpermute((int)(ua[i] * 4u), (int)b);
	uint pm = (uint)__builtin_amdgcn_ds_permute((int)((31u - l % 32) * 4u), (int)b);
	uint sw = (uint)__builtin_amdgcn_ds_swizzle((int)b, 0x041f);
	uint qp = (uint)__builtin_amdgcn_ds_swizzle((int)b, 0x801b);
	switch (l % 4) {
	case 0: o[i] = bp; break;
	case 1: o[i] = pm; break;
	case 2: o[i] = sw; break;
	default: o[i] = qp; break;
	}
}
