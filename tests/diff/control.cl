// Differential kernels: divergent control flow.
#include "prelude.h"
kernel void x_nested_if(global uint *o, global const uint *ua, global const uint *ub)
{
	uint i = GID();
	uint a = ua[i], b = ub[i], r;
	if (a & 1) {
		if (b & 2)
			r = a + b;
		else
			r = a ^ 0x5555u;
	} else if (a > b) {
		r = a - b;
	} else {
		r = b * 3u;
	}
	o[i] = r;
}
// Collatz steps, capped: a data-dependent trip count per lane.
kernel void x_loop(global uint *o, global const uint *ua, global const uint *ub)
{
	uint i = GID();
	uint n = (ua[i] & 0xfffu) + 1u, steps = 0;
	while (n != 1u && steps < 500u) {
		n = (n & 1u) ? 3u * n + 1u : n >> 1;
		steps++;
	}
	o[i] = steps;
}
kernel void x_early_return(global uint *o, global const uint *ua, global const uint *ub)
{
	uint i = GID();
	uint a = ua[i];
	o[i] = 7u;
	if (a % 3u == 0u)
		return;
	uint acc = 0;
	for (uint k = 0; k < (a & 15u); k++) {
		if (((a >> k) & 3u) == 3u)
			return;
		acc += k * a;
	}
	o[i] = acc;
}
kernel void x_switch(global uint *o, global const uint *ua, global const uint *ub)
{
	uint i = GID();
	uint a = ua[i], b = ub[i], r;
	switch (a % 7u) {
	case 0: r = b; break;
	case 1: r = a + b; break;
	case 2: r = a << 3; break;
	case 3: r = ~b; /* fall through */
	case 4: r = (a % 7u == 3u ? ~b : a) ^ 0xdeadu; break;
	case 5: r = a < b ? a : b; break;
	default: r = 42u; break;
	}
	o[i] = r;
}
