// Bandwidth kernels (module "bandwidth") for `amdbare probe`: read, write
// and copy of a buffer through the shader's global memory path, 16 bytes
// per work-item and step, grid-stride.  Built by `make kernels` for each
// gfx11, gfx10.3 and gfx9 target and embedded in libamdbare (src/kernels/bandwidth.c).
//
// No device library (-nogpulib).  1-D, workgroups of 256 work-items.

#define WG 256

#define LID() ((uint)__builtin_amdgcn_workitem_id_x())
#define GRP() ((uint)__builtin_amdgcn_workgroup_id_x())
#define NGRP() ((uint)__builtin_amdgcn_grid_size_x() / WG)

typedef uint uint4_a16 __attribute__((ext_vector_type(4), aligned(16)));

// bw_read: reads quads x 16 bytes of src; each work-item XORs what it read
// and stores one dword in sink[global id], so no load can be dropped.
kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void bw_read(global const uint4_a16 *src, ulong quads, global uint *sink)
{
	ulong stride = (ulong)NGRP() * WG;
	ulong first = (ulong)GRP() * WG + LID();
	uint4_a16 acc = (uint4_a16)(0, 0, 0, 0);
	for (ulong q = first; q < quads; q += stride)
		acc ^= src[q];
	sink[first] = acc.x ^ acc.y ^ acc.z ^ acc.w;
}

// bw_write: dst[0..quads) = value in every dword.
kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void bw_write(global uint4_a16 *dst, ulong quads, uint value)
{
	ulong stride = (ulong)NGRP() * WG;
	ulong first = (ulong)GRP() * WG + LID();
	uint4_a16 v = (uint4_a16)(value, value, value, value);
	for (ulong q = first; q < quads; q += stride)
		dst[q] = v;
}

// bw_copy: dst[0..quads) = src[0..quads) (not overlapping).
kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void bw_copy(global uint4_a16 *restrict dst, global const uint4_a16 *restrict src, ulong quads)
{
	ulong stride = (ulong)NGRP() * WG;
	ulong first = (ulong)GRP() * WG + LID();
	for (ulong q = first; q < quads; q += stride)
		dst[q] = src[q];
}

// bw_chase: one work-item follows a chain of `steps` dependent loads:
// each 8-byte word at byte offset p of chain holds the offset of the next;
// the last offset reached goes to out[0].  The latency of memory seen by
// one wave whose every load waits for the one before.
kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void bw_chase(global const ulong *chain, ulong steps, global ulong *out)
{
	if (GRP() != 0 || LID() != 0)
		return;
	ulong p = 0;
	for (ulong i = 0; i < steps; i++)
		p = chain[p / 8];
	out[0] = p;
}
