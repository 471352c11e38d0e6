// Differential kernels: global atomics.  Every work-item applies its
// operation to o[i % 8] (o is pre-filled with a[0..7] by the test); the
// order-independent final values are compared.  b[i] holds the old-value
// results where the operation's return is order-independent.
#include "prelude.h"
kernel void a_add(global uint *o, global const uint *ua, global const uint *ub)
{ __atomic_fetch_add(&o[GID() % 8], ua[GID()], __ATOMIC_RELAXED); }
kernel void a_minmax(global uint *o, global const uint *ua, global const uint *ub)
{
	uint i = GID();
	__atomic_fetch_min((global int *)&o[i % 8], (int)ua[i], __ATOMIC_RELAXED);
	__atomic_fetch_max(&o[8 + i % 8], ua[i], __ATOMIC_RELAXED);
}
kernel void a_inc_or(global uint *o, global const uint *ua, global const uint *ub)
{
	uint i = GID();
	__atomic_fetch_add(&o[i % 8], 1u, __ATOMIC_RELAXED);
	__atomic_fetch_or(&o[8 + i % 8], ua[i], __ATOMIC_RELAXED);
	__atomic_fetch_and(&o[16 + i % 8], ua[i] | 0x10101u, __ATOMIC_RELAXED);
	__atomic_fetch_xor(&o[24 + i % 8], ua[i], __ATOMIC_RELAXED);
}
// xchg: each element swaps once into its own slot, returning the fill.
kernel void a_xchg(global uint *o, global const uint *ua, global const uint *ub)
{
	uint i = GID();
	uint old = __atomic_exchange_n(&o[i], ua[i], __ATOMIC_RELAXED);
	o[256 + i] = old;
}
// cmpxchg: a spin-free counter increment by compare-and-swap loop.
kernel void a_cmpxchg(global uint *o, global const uint *ua, global const uint *ub)
{
	uint i = GID();
	global uint *p = &o[i % 8];
	uint old = __atomic_load_n(p, __ATOMIC_RELAXED);
	while (!__atomic_compare_exchange_n(p, &old, old + (ua[i] & 0xff), false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}
kernel void a_add64(global ulong *o, global const ulong *ua, global const ulong *ub)
{
	uint i = GID();
	__atomic_fetch_add(&o[i % 8], ua[i], __ATOMIC_RELAXED);
	__atomic_fetch_max(&o[8 + i % 8], ua[i], __ATOMIC_RELAXED);
}
