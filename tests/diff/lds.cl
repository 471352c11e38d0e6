// Differential kernels: LDS and barriers, workgroups of 64.
#include "prelude.h"
kernel __attribute__((reqd_work_group_size(64, 1, 1)))
void s_reduce(global uint *o, global const uint *ua, global const uint *ub)
{
	local uint t[64];
	uint l = LID(), g = GRP();
	t[l] = ua[GID()] ^ ub[GID()];
	BARRIER();
	for (uint s = 32; s > 0; s >>= 1) {
		if (l < s)
			t[l] += t[l + s];
		BARRIER();
	}
	o[GID()] = t[0] + (uint)g;
}
// 8x8 transpose through local memory: element (r, c) of each group's
// tile goes to (c, r).
kernel __attribute__((reqd_work_group_size(64, 1, 1)))
void s_transpose(global uint *o, global const uint *ua, global const uint *ub)
{
	local uint t[64];
	uint l = LID(), base = GRP() * 64;
	t[l] = ua[base + l];
	BARRIER();
	o[base + l] = t[(l % 8) * 8 + l / 8];
}
// Inclusive prefix sum (Hillis-Steele) within each group.
kernel __attribute__((reqd_work_group_size(64, 1, 1)))
void s_scan(global uint *o, global const uint *ua, global const uint *ub)
{
	local uint t[64];
	uint l = LID();
	t[l] = ua[GID()] & 0xffffu;
	BARRIER();
	for (uint d = 1; d < 64; d <<= 1) {
		uint v = l >= d ? t[l - d] : 0;
		BARRIER();
		t[l] += v;
		BARRIER();
	}
	o[GID()] = t[l];
}
// LDS atomics: a per-group histogram of the low 3 bits.
kernel __attribute__((reqd_work_group_size(64, 1, 1)))
void s_histogram(global uint *o, global const uint *ua, global const uint *ub)
{
	local uint h[8];
	uint l = LID();
	if (l < 8)
		h[l] = 0;
	BARRIER();
	__atomic_fetch_add(&h[ua[GID()] & 7], 1u, __ATOMIC_RELAXED);
	BARRIER();
	o[GID()] = h[l & 7];
}
