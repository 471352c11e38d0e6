// Shared by private.cl (wave32) and private64.cl (wave64): every kernel
// keeps a per-work-item array in private memory and reads it back at
// indices known only at run time.  The C references in
// tests/test_diff_kernels.c repeat the same computations.

// 32 dwords, written in order, read at data-dependent indices.
kernel void KNAME(p_index)(global uint *o, global const uint *ua, global const uint *ub)
{
	uint i = GID();
	uint a = ua[i], b = ub[i];
	uint t[32];
	for (uint k = 0; k < 32; k++)
		t[k] = (a ^ (k * 0x9e3779b9u)) + b * k;
	// GRP() is uniform: that index can come from an SGPR (saddr form)
	o[i] = t[a & 31u] + 3u * t[b & 31u] + (t[(a >> 5) & 31u] ^ t[(b >> 27) & 31u]) +
	       t[(GRP() * 5u) & 31u];
}

// Insertion sort of 40 values: reads and writes at moving indices.
kernel void KNAME(p_sort)(global uint *o, global const uint *ua, global const uint *ub)
{
	uint i = GID();
	uint a = ua[i], b = ub[i];
	uint t[40];
	for (uint k = 0; k < 40; k++)
		t[k] = (a * (2u * k + 1u)) ^ (b >> (k & 7u)) ^ (k << 27);
	for (uint k = 1; k < 40; k++) {
		uint v = t[k];
		int j = (int)k - 1;
		while (j >= 0 && t[j] > v) {
			t[j + 1] = t[j];
			j--;
		}
		t[j + 1] = v;
	}
	o[i] = t[a % 40u] ^ (t[39] - t[0]) ^ (t[b % 40u] << 1);
}

// Bytes and halves, signed and unsigned (scratch b8/b16 stores, u8/i8/
// u16/i16 loads; volatile keeps every access in memory).
kernel void KNAME(p_bytes)(global uint *o, global const uint *ua, global const uint *ub)
{
	uint i = GID();
	uint a = ua[i], b = ub[i];
	volatile uchar u8[16];
	volatile char s8[16];
	volatile ushort u16[8];
	volatile short s16[8];
	for (uint k = 0; k < 16; k++) {
		u8[k] = (uchar)((k < 8 ? a : b) >> (4u * (k & 7u)));
		s8[k] = (char)((k & 1u ? a : b) >> (k * 2u));
	}
	for (uint k = 0; k < 8; k++) {
		u16[k] = (ushort)((a >> k) ^ (b << k));
		s16[k] = (short)((b >> (2u * k)) + a);
	}
	uint x = (uint)u8[a & 15u] | ((uint)u8[b & 15u] << 8);
	int y = (int)s8[(a >> 4) & 15u] * 1000 + (int)s16[b & 7u];
	o[i] = x ^ (uint)y ^ ((uint)u16[(a >> 8) & 7u] << 16);
}

// 64-bit elements and a 4-dword vector per element (b64/b128 accesses).
kernel void KNAME(p_wide)(global uint *o, global const uint *ua, global const uint *ub)
{
	uint i = GID();
	uint a = ua[i], b = ub[i];
	ulong w[24];
	uint4 v[6];
	for (uint k = 0; k < 24; k++)
		w[k] = ((ulong)a << (k + 1)) ^ ((ulong)b * (k + 3));
	for (uint k = 0; k < 6; k++)
		v[k] = (uint4)(a + k, b ^ k, a * k, b - k);
	ulong x = w[a % 24u] + w[b % 24u];
	uint4 y = v[(a >> 3) % 6u];
	o[i] = (uint)x ^ (uint)(x >> 32) ^ y.x ^ (y.y << 1) ^ (y.z << 2) ^ (y.w << 3);
}

// A private histogram: data-dependent increments.
kernel void KNAME(p_histogram)(global uint *o, global const uint *ua, global const uint *ub)
{
	uint i = GID();
	uint a = ua[i], b = ub[i];
	uint h[48];
	for (uint k = 0; k < 48; k++)
		h[k] = 0;
	for (uint k = 0; k < 32; k++)
		h[((a >> k) ^ (b >> (k / 2u)) ^ k) % 48u]++;
	uint s = 0;
	for (uint k = 0; k < 48; k++)
		s = s * 31u + h[k];
	o[i] = s;
}

// A private array handed to a function that is not inlined: the callee
// gets a generic pointer and reads and writes it with flat_* through the
// private aperture (src_private_base); the call itself uses the stack in
// scratch.
__attribute__((noinline)) static uint flat_pick(uint *p, uint a, uint b)
{
	p[(a + b) % 100u] = a ^ 0x5a5a5a5au;
	return p[a % 100u] + 7u * p[b % 100u];
}
kernel void KNAME(p_generic)(global uint *o, global const uint *ua, global const uint *ub)
{
	uint i = GID();
	uint a = ua[i], b = ub[i];
	uint t[100];
	for (uint k = 0; k < 100; k++)
		t[k] = (a * k) ^ b;
	uint r = flat_pick(t, a, b);
	o[i] = r ^ t[(a + b) % 100u] ^ t[(a >> 7) % 100u];
}

// The same with LDS: a __local array through a generic pointer (flat_*
// through the shared aperture, src_shared_base); the callee also gets a
// global pointer, so it cannot be specialised to one address space.
__attribute__((noinline)) static uint flat_sum(uint *p, uint n, uint k)
{
	uint s = 0;
	for (uint j = 0; j < n; j++)
		s += p[(j * k) % n] * (j + 1u);
	return s;
}
kernel __attribute__((reqd_work_group_size(64, 1, 1)))
void KNAME(p_generic_local)(global uint *o, global const uint *ua, global const uint *ub)
{
	local uint t[64];
	uint i = GID(), l = LID();
	t[l] = ua[i] ^ ub[i];
	BARRIER();
	o[i] = flat_sum(t, 64u, (ub[i] | 1u) + l) ^ flat_sum((uint *)ua + GRP() * 64u, 64u, l);
}
