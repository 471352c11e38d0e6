/*
 * The CPU side of the amdbare checksum (definition in amdbare_util.h):
 * the reference the GPU kernel (kernels/util.cl checksum_partial) must
 * match bit for bit, and the streaming form model loaders feed a file
 * through in chunks of any size.
 */
#include "util/api.h"
#include "checksum_internal.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

uint64_t ab_checksum_term(uint32_t w, uint32_t key)
{
	uint32_t a = w ^ key;
	a ^= a >> 15;
	return (uint64_t)a * (uint64_t)(key | 1u);
}

uint32_t ab_checksum_key(uint64_t index)
{
	return (uint32_t)index * AMDBARE_CHECKSUM_POS_LO +
	       (uint32_t)(index >> 32) * AMDBARE_CHECKSUM_POS_HI;
}

uint64_t ab_checksum_finish(uint64_t sum, uint64_t length)
{
	uint64_t x = sum + (length + 1) * AMDBARE_CHECKSUM_LEN_MUL;
	x ^= x >> 33;
	x *= 0xFF51AFD7ED558CCDull;
	x ^= x >> 33;
	x *= 0xC4CEB9FE1A85EC53ull;
	x ^= x >> 33;
	return x;
}

/* The terms of `n` words whose keys step by POS_LO from `key`; *p
 * advances past them. */
static uint64_t sum_run_scalar(const unsigned char **pp, uint32_t key, size_t n)
{
	const unsigned char *p = *pp;
	uint64_t sum = 0;
	for (size_t k = 0; k < n; k++, p += 4, key += AMDBARE_CHECKSUM_POS_LO) {
		uint32_t w = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			     (uint32_t)p[3] << 24;
		sum += ab_checksum_term(w, key);
	}
	*pp = p;
	return sum;
}

#if defined(__SSE2__)
/* The same sum four words at a time (every x86-64 CPU has SSE2): the
 * loader checksums every byte it streams, and the scalar loop, at about a
 * third of memcpy's speed, was most of the library's CPU time per GB.
 * The terms are added mod 2^64 in another order, which gives the same
 * sum; little-endian loads as the scalar loop's byte assembly. */
static uint64_t sum_run(const unsigned char **pp, uint32_t key, size_t n)
{
	const unsigned char *p = *pp;
	const uint32_t lo = AMDBARE_CHECKSUM_POS_LO;
	__m128i k = _mm_add_epi32(_mm_set1_epi32((int)key),
				  _mm_setr_epi32(0, (int)lo, (int)(2 * lo), (int)(3 * lo)));
	const __m128i step = _mm_set1_epi32((int)(4 * lo));
	const __m128i one = _mm_set1_epi32(1);
	__m128i even = _mm_setzero_si128(), odd = _mm_setzero_si128();
	size_t quads = n / 4;
	for (size_t i = 0; i < quads; i++, p += 16) {
		__m128i a = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)p), k);
		a = _mm_xor_si128(a, _mm_srli_epi32(a, 15));
		__m128i m = _mm_or_si128(k, one);
		/* 32 x 32 -> 64-bit products of lanes 0/2, then 1/3 */
		even = _mm_add_epi64(even, _mm_mul_epu32(a, m));
		odd = _mm_add_epi64(odd, _mm_mul_epu32(_mm_srli_epi64(a, 32), _mm_srli_epi64(m, 32)));
		k = _mm_add_epi32(k, step);
	}
	uint64_t lanes[2];
	_mm_storeu_si128((__m128i *)(void *)lanes, _mm_add_epi64(even, odd));
	*pp = p;
	return lanes[0] + lanes[1] +
	       sum_run_scalar(pp, key + (uint32_t)(quads * 4) * lo, n - quads * 4);
}
#else
#define sum_run sum_run_scalar
#endif

/* Adds the terms of `count` whole words starting at word index `index`. */
static uint64_t sum_words(const unsigned char *p, uint64_t index, size_t count)
{
	uint64_t sum = 0;
	while (count) {
		/* Within a run that does not cross a multiple of 2^32 words
		 * the key just steps by POS_LO, saving a multiply per word. */
		uint64_t to_wrap = (1ull << 32) - (uint32_t)index;
		size_t run = count < to_wrap ? count : (size_t)to_wrap;
		sum += sum_run(&p, ab_checksum_key(index), run);
		index += run;
		count -= run;
	}
	return sum;
}

AB_API void amdbare_checksum_init(amdbare_checksum_state *st)
{
	if (st)
		memset(st, 0, sizeof(*st));
}

AB_API void amdbare_checksum_update(amdbare_checksum_state *st, const void *data, size_t size)
{
	if (!st || !data || !size)
		return;
	const unsigned char *p = data;
	/* The word index of the next whole word (length counts the pending
	 * bytes too, which belong to that word). */
	uint64_t index = st->length / 4;
	st->length += size;
	if (st->pending_len) {
		while (st->pending_len < 4 && size) {
			st->pending |= (uint32_t)*p++ << (8 * st->pending_len++);
			size--;
		}
		if (st->pending_len < 4)
			return;
		st->sum += ab_checksum_term(st->pending, ab_checksum_key(index));
		index++;
		st->pending = 0;
		st->pending_len = 0;
	}
	size_t words = size / 4;
	st->sum += sum_words(p, index, words);
	p += words * 4;
	size -= words * 4;
	while (size--)
		st->pending |= (uint32_t)*p++ << (8 * st->pending_len++);
}

AB_API uint64_t amdbare_checksum_final(const amdbare_checksum_state *st)
{
	if (!st)
		return ab_checksum_finish(0, 0);
	uint64_t sum = st->sum;
	if (st->pending_len)
		/* The incomplete last word, zero-padded: index length/4. */
		sum += ab_checksum_term(st->pending, ab_checksum_key(st->length / 4));
	return ab_checksum_finish(sum, st->length);
}

AB_API uint64_t amdbare_checksum(const void *data, size_t size)
{
	amdbare_checksum_state st;
	amdbare_checksum_init(&st);
	amdbare_checksum_update(&st, data, size);
	return amdbare_checksum_final(&st);
}
