// The library's utility kernels (module "util"): checksum of a buffer
// range, fill with a 32-bit pattern, copy.  Built by `make kernels` for each
// gfx11, gfx10.3 and gfx9 target (kernels/build.sh) and embedded in libamdbare.
//
// No device library (-nogpulib): work-item ids, barriers and fences come
// from clang builtins.  Every kernel runs 1-D with workgroups of 256
// work-items (8 wave32 waves).
//
// The checksum is defined in include/amdbare_util.h and docs/kernel-
// objects.md; src/kernels/checksum_cpu.c is the reference this kernel must match
// bit for bit.

#define WG 256

#define LID() ((uint)__builtin_amdgcn_workitem_id_x())
#define GRP() ((uint)__builtin_amdgcn_workgroup_id_x())
#define NGRP() ((uint)__builtin_amdgcn_grid_size_x() / WG)
#define BARRIER() do { \
		__builtin_amdgcn_fence(__ATOMIC_RELEASE, "workgroup"); \
		__builtin_amdgcn_s_barrier(); \
		__builtin_amdgcn_fence(__ATOMIC_ACQUIRE, "workgroup"); \
	} while (0)

// A uint4 that is only 4-byte aligned: the range may start at any dword,
// and gfx11, gfx10.3 and gfx9 global loads of 16 bytes need only dword alignment.
typedef uint uint4_a4 __attribute__((ext_vector_type(4), aligned(4)));

#define CK_POS_LO 0x9E3779B1u   // word index bits 0-31 -> position key
#define CK_POS_HI 0x85EBCA77u   // word index bits 32-63 -> position key

// One word's term: injective in w for a fixed position, so any change of
// one word changes the sum.  `key` is the position key of the word.
static inline ulong ck_term(uint w, uint key)
{
	uint a = w ^ key;
	a ^= a >> 15;
	return (ulong)a * (ulong)(key | 1u);
}

// Word t (0-3) of the 16 bytes starting `shift` bytes into d0..d4.
static inline uint ck_word(uint lo, uint hi, uint shift_bits)
{
	// v_alignbit_b32: (hi:lo >> shift) low 32 bits; lo itself for shift 0.
	return __builtin_amdgcn_alignbit(hi, lo, shift_bits);
}

// checksum_partial: the sum of the terms of the words of one range, one
// 64-bit partial sum per workgroup (partials[group]); the library adds the
// partials and finishes (length, final mix) on the CPU.
//
//   src    the range's first byte rounded down to a dword (dword-aligned)
//   shift  bytes between src and the range's first byte (0-3)
//   len    the range's length in bytes
//   word0  the word index of the range's first word (0 for a whole range)
//
// Words are grouped in chunks of 4 (16 bytes).  Chunk q of the body is
// read by one work-item as one 16-byte load plus, when shift != 0, the next
// dword; consecutive work-items read consecutive chunks (grid-stride loop).
// The last, partial chunk (len % 16 bytes) is read dword by dword, never
// past the range's last dword, so a range ending at the end of its buffer
// is safe.
kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void checksum_partial(global const uint *src, uint shift, ulong len, ulong word0,
		      global ulong *partials)
{
	local ulong lds[WG];
	uint lid = LID();
	ulong stride = (ulong)NGRP() * WG;
	ulong chunks = len >> 4;
	uint sb = shift * 8u;
	ulong acc = 0;

	ulong first = (ulong)GRP() * WG + lid;
	if (shift == 0) {
		// A dword-aligned range (the usual case): the words are the
		// dwords, one 16-byte load per chunk and nothing to realign.
		for (ulong q = first; q < chunks; q += stride) {
			uint4_a4 d = *(global const uint4_a4 *)(src + q * 4);
			ulong i = word0 + q * 4;
			uint key = (uint)i * CK_POS_LO + (uint)(i >> 32) * CK_POS_HI;
			// The 4 words' keys step by CK_POS_LO (i's low word
			// cannot wrap inside a chunk: word0 is a multiple of 4).
			acc += ck_term(d.x, key);
			acc += ck_term(d.y, key + CK_POS_LO);
			acc += ck_term(d.z, key + 2u * CK_POS_LO);
			acc += ck_term(d.w, key + 3u * CK_POS_LO);
		}
	} else {
		// Each word straddles two dwords: one more dword per chunk
		// (inside the range: a whole chunk ends at least 1 byte into
		// it), and v_alignbit_b32 per word.
		for (ulong q = first; q < chunks; q += stride) {
			uint4_a4 d = *(global const uint4_a4 *)(src + q * 4);
			uint d4 = src[q * 4 + 4];
			ulong i = word0 + q * 4;
			uint key = (uint)i * CK_POS_LO + (uint)(i >> 32) * CK_POS_HI;
			acc += ck_term(ck_word(d.x, d.y, sb), key);
			acc += ck_term(ck_word(d.y, d.z, sb), key + CK_POS_LO);
			acc += ck_term(ck_word(d.z, d.w, sb), key + 2u * CK_POS_LO);
			acc += ck_term(ck_word(d.w, d4, sb), key + 3u * CK_POS_LO);
		}
	}

	// The tail: up to 3 whole words and one partial word, one per
	// work-item of group 0.
	uint rest = (uint)(len & 15u);
	if (GRP() == 0 && lid < 4 && lid * 4u < rest) {
		ulong j = chunks * 4 + lid;              // dword index from src
		ulong end = len + shift;                 // bytes from src
		uint lo = src[j];
		uint hi = (shift && (j + 1) * 4 < end) ? src[j + 1] : 0u;
		uint w = ck_word(lo, hi, sb);
		uint have = rest - lid * 4u;             // bytes of this word in range
		if (have < 4u)
			w &= (1u << (have * 8u)) - 1u;
		ulong i = word0 + j;
		uint key = (uint)i * CK_POS_LO + (uint)(i >> 32) * CK_POS_HI;
		acc += ck_term(w, key);
	}

	lds[lid] = acc;
	BARRIER();
	for (uint n = WG / 2; n > 0; n >>= 1) {
		if (lid < n)
			lds[lid] += lds[lid + n];
		BARRIER();
	}
	if (lid == 0)
		partials[GRP()] = lds[0];
}

// fill_u32: dst[0..count) = value (dst dword-aligned).  Grid-stride; each
// work-item stores 16 bytes at a time where it can.
kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void fill_u32(global uint *dst, ulong count, uint value)
{
	ulong stride = (ulong)NGRP() * WG;
	ulong first = (ulong)GRP() * WG + LID();
	ulong quads = count >> 2;
	uint4_a4 v = (uint4_a4)(value, value, value, value);
	for (ulong q = first; q < quads; q += stride)
		*(global uint4_a4 *)(dst + q * 4) = v;
	ulong t = quads * 4 + first;
	if (t < count)
		dst[t] = value;
}

// copy_u32: dst[0..count) = src[0..count) (both dword-aligned, not
// overlapping).  Grid-stride, 16 bytes per work-item and step.
kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void copy_u32(global uint *restrict dst, global const uint *restrict src, ulong count)
{
	ulong stride = (ulong)NGRP() * WG;
	ulong first = (ulong)GRP() * WG + LID();
	ulong quads = count >> 2;
	for (ulong q = first; q < quads; q += stride)
		*(global uint4_a4 *)(dst + q * 4) = *(global const uint4_a4 *)(src + q * 4);
	ulong t = quads * 4 + first;
	if (t < count)
		dst[t] = src[t];
}
