/*
 * amdbare utility kernels: a checksum of a buffer range, computed on the
 * GPU by the library's embedded "util" kernels and on the CPU by the same
 * definition (bit for bit), so data put into VRAM/GTT can be proven equal
 * to the file it came from without reading it back.
 *
 * THE CHECKSUM (amdbare checksum v1; docs/kernel-objects.md says why)
 *
 * Over a byte range of length L:
 *   - the range is cut into n = ceil(L / 4) 32-bit words, little-endian,
 *     w[i] = bytes 4i..4i+3 of the range; the last word, when L is not a
 *     multiple of 4, is zero-padded at its high end;
 *   - each word is mixed with its index i (0-based, from the range's start,
 *     64-bit) — all arithmetic on 32-bit values is mod 2^32:
 *         key  = lo32(i) * 0x9E3779B1 + hi32(i) * 0x85EBCA77
 *         a    = w[i] XOR key
 *         a    = a XOR (a >> 15)
 *         t[i] = (uint64) a * (uint64)(key | 1)        (full 64-bit product)
 *   - S = sum of t[i] mod 2^64;
 *   - the checksum is fmix64(S + (L + 1) * 0x9E3779B97F4A7C15 mod 2^64),
 *     with fmix64(x) = MurmurHash3's finaliser:
 *         x ^= x >> 33; x *= 0xFF51AFD7ED558CCD; x ^= x >> 33;
 *         x *= 0xC4CEB9FE1A85EC53; x ^= x >> 33.
 *
 * t[i] is injective in w[i] for a fixed i, so changing any one word (a
 * single flipped bit, a corrupted dword) always changes S; the index in
 * the key makes swapped or shifted words change it too; the length
 * separates ranges that differ only by trailing zero bytes.  It is NOT a
 * cryptographic hash: it detects accidents, not adversaries.
 *
 * The sum is a plain sum over words, so it streams: feed a file in chunks
 * of any size (amdbare_checksum_update) and the result equals the one-shot
 * value and the GPU's value of the same bytes wherever they lie in a
 * buffer (the word index counts from the range's start, not the buffer's).
 *
 * Kernel-based fill and copy are in the embedded module too but are not
 * exposed: amdbare_fill/amdbare_copy (SDMA, amdbare_cmd.h) do the same
 * without occupying the shader cores; see docs/kernel-objects.md.
 *
 * Included by amdbare.h.
 */
#ifndef AMDBARE_UTIL_H
#define AMDBARE_UTIL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct amdbare_device amdbare_device;
typedef struct amdbare_bo amdbare_bo;

/* The constants of the definition above. */
#define AMDBARE_CHECKSUM_POS_LO 0x9E3779B1u
#define AMDBARE_CHECKSUM_POS_HI 0x85EBCA77u
#define AMDBARE_CHECKSUM_LEN_MUL 0x9E3779B97F4A7C15ull

/* Streaming state of the CPU checksum.  Plain data: copy it to fork a
 * stream.  Fields are read-only for callers. */
typedef struct amdbare_checksum_state {
	uint64_t sum;          /* S over the whole words fed so far */
	uint64_t length;       /* bytes fed so far */
	uint32_t pending;      /* the bytes of an incomplete word, little-endian */
	uint32_t pending_len;  /* how many (0-3) */
} amdbare_checksum_state;

void amdbare_checksum_init(amdbare_checksum_state *st);
/* Feeds `size` bytes (any size, including 0; data may be NULL when size
 * is 0). */
void amdbare_checksum_update(amdbare_checksum_state *st, const void *data, size_t size);
/* The checksum of everything fed so far; the state is not changed, so
 * feeding may go on. */
uint64_t amdbare_checksum_final(const amdbare_checksum_state *st);

/* One shot: init, update, final. */
uint64_t amdbare_checksum(const void *data, size_t size);

/* The checksum of bytes [offset, offset + size) of a buffer, computed on
 * the device by the embedded "util" kernels (any offset, any size, VRAM
 * or GTT, CPU-visible or not).  Synchronous: dispatches, waits, adds the
 * workgroups' partial sums.  The buffer is GPU-mapped READ|WRITE if it is
 * not yet, and stays mapped.  Work on the buffer must be finished before
 * the call (amdbare_copy/amdbare_fill are synchronous; a dispatcher must
 * have been run).
 *   -EINVAL  NULL argument, or the range is not inside the buffer (the
 *            message gives offset, size and the buffer's size); nothing
 *            is submitted;
 *   -ENOTSUP the device's gfx target has no embedded kernels (the message
 *            names it);
 *   else the errno of buffer creation or of the dispatch.
 * size 0 gives the checksum of the empty range without touching the GPU. */
int amdbare_checksum_gpu(amdbare_device *dev, amdbare_bo *bo, uint64_t offset, uint64_t size,
			 uint64_t *out);

#ifdef __cplusplus
}
#endif

#endif /* AMDBARE_UTIL_H */
