/* Several argument kinds: global pointers (const and not), a by-value
 * scalar, a by-value vector, a struct by value, a __local pointer, and two
 * kernels in one code object. */
typedef struct { int a; float b; } pair_t;

__kernel void mixed_args(__global float *out, __global const float *in,
			 float scale, int4 offs, pair_t p,
			 __local float *scratch, uint n)
{
	uint l = __builtin_amdgcn_workitem_id_x();
	uint g = __builtin_amdgcn_workgroup_id_x() * 64 + l;
	scratch[l] = in[g] * scale + (float)offs.y + p.b;
	__builtin_amdgcn_s_barrier();
	if (g < n)
		out[g] = scratch[(l + 1) & 63] + (float)p.a;
}

__kernel void fill(__global uint *out, uint value)
{
	out[__builtin_amdgcn_workgroup_id_x() * 64 + __builtin_amdgcn_workitem_id_x()] = value;
}
