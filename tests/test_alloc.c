/*
 * Sub-allocator tests.
 *
 * Part 1 (tlsf_*): the pure TLSF core (src/alloc_tlsf.c), model-checked:
 * random allocate/free sequences are mirrored in a simple list of live
 * ranges, and after every step the core's invariants, its counters, its
 * free blocks (which must be exactly the maximal gaps of the model) and the
 * good-fit guarantee (a failure only when no free block of the searched
 * class exists) are checked.
 *
 * Part 2 (arena_*): the allocator on the virtual device: GEM arenas,
 * budgets, spill, dedicated buffers, statistics, error handling.
 */
#include "alloc_tlsf.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- Part 1: the TLSF core ------------------------------------------- */

struct model_block {
	uint64_t handle, offset, size;
};

struct model {
	struct model_block *live;
	size_t count, cap;
};

static void model_add(struct model *m, uint64_t handle, uint64_t offset, uint64_t size)
{
	if (m->count == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->live = realloc(m->live, m->cap * sizeof(*m->live));
		cr_assert_not_null(m->live);
	}
	m->live[m->count++] = (struct model_block){ handle, offset, size };
}

static int cmp_offset(const void *a, const void *b)
{
	const struct model_block *x = a, *y = b;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* Checks the core against the model: no overlap, same used bytes, and the
 * free blocks are exactly the maximal gaps between live blocks (which is
 * what complete coalescing means).  Returns the largest gap. */
static uint64_t model_verify(struct model *m, const struct ab_tlsf *t)
{
	char why[256];
	int r = ab_tlsf_check(t, why, sizeof(why));
	cr_assert_eq(r, 0, "invariant broken: %s", why);
	struct model_block *sorted = malloc((m->count + 1) * sizeof(*sorted));
	cr_assert_not_null(sorted);
	if (m->count)
		memcpy(sorted, m->live, m->count * sizeof(*sorted));
	qsort(sorted, m->count, sizeof(*sorted), cmp_offset);
	uint64_t pos = 0, used = 0, largest = 0;
	uint32_t gaps = 0;
	for (size_t i = 0; i < m->count; i++) {
		cr_assert_geq(sorted[i].offset, pos, "blocks overlap at %llu", (unsigned long long)pos);
		if (sorted[i].offset > pos) {
			gaps++;
			if (sorted[i].offset - pos > largest)
				largest = sorted[i].offset - pos;
		}
		pos = sorted[i].offset + sorted[i].size;
		used += sorted[i].size;
	}
	cr_assert_leq(pos, t->size);
	if (pos < t->size) {
		gaps++;
		if (t->size - pos > largest)
			largest = t->size - pos;
	}
	free(sorted);
	struct ab_tlsf_stats st;
	ab_tlsf_get_stats(t, &st);
	cr_assert_eq(st.used_bytes, used);
	cr_assert_eq(st.free_bytes, t->size - used);
	cr_assert_eq(st.used_blocks, m->count);
	cr_assert_eq(st.free_blocks, gaps, "free blocks %u, maximal gaps %u", st.free_blocks, gaps);
	cr_assert_eq(st.largest_free, largest);
	cr_assert_leq(st.max_search_steps, AB_TLSF_MAX_SEARCH_STEPS);
	return largest;
}

/* The smallest block size the good-fit search is guaranteed to use for a
 * request: size plus worst-case padding, rounded up to its size class. */
static uint64_t guaranteed_fit(uint64_t gran, uint64_t size, uint64_t align)
{
	uint64_t units = (size + gran - 1) / gran;
	if (align > gran)
		units += align / gran - 1;
	if (units >= AB_TLSF_SL_COUNT) {
		unsigned top = 63u - (unsigned)__builtin_clzll(units);
		uint64_t step = UINT64_C(1) << (top - AB_TLSF_SL_LOG2);
		units = (units + step - 1) & ~(step - 1);
	}
	return units * gran;
}

static int random_sequence(uint64_t arena, uint64_t gran, uint64_t base, unsigned seed,
			    int steps, uint64_t max_size)
{
	struct ab_tlsf t;
	cr_assert_eq(ab_tlsf_init(&t, arena, gran, base), 0);
	struct model m = { 0 };
	srand(seed);
	int failures = 0;
	for (int s = 0; s < steps; s++) {
		bool do_alloc = m.count == 0 || rand() % 100 < 55;
		if (do_alloc) {
			uint64_t size = 1 + (uint64_t)rand() % max_size;
			uint64_t align = UINT64_C(1) << (rand() % 17); /* 1 .. 64 KiB */
			uint64_t h, off;
			uint64_t largest_before = model_verify(&m, &t);
			int r = ab_tlsf_alloc(&t, size, align, &h, &off);
			if (r == 0) {
				uint64_t rounded = (size + gran - 1) / gran * gran;
				cr_assert_eq((base + off) % (align > gran ? align : gran), 0,
					     "offset %llu not aligned to %llu", (unsigned long long)off,
					     (unsigned long long)align);
				uint64_t lo, sz;
				cr_assert_eq(ab_tlsf_lookup(&t, h, &lo, &sz), 0);
				cr_assert_eq(lo, off);
				cr_assert_eq(sz, rounded);
				model_add(&m, h, off, rounded);
			} else {
				cr_assert_eq(r, -ENOMEM);
				failures++;
				cr_assert_lt(largest_before, guaranteed_fit(gran, size, align),
					     "refused %llu (align %llu) with a free block of %llu",
					     (unsigned long long)size, (unsigned long long)align,
					     (unsigned long long)largest_before);
			}
		} else {
			size_t k = (size_t)rand() % m.count;
			cr_assert_eq(ab_tlsf_free(&t, m.live[k].handle), 0);
			/* A second free of the same handle is a double free. */
			cr_assert_eq(ab_tlsf_free(&t, m.live[k].handle), -EALREADY);
			m.live[k] = m.live[--m.count];
		}
		model_verify(&m, &t);
	}
	while (m.count) {
		cr_assert_eq(ab_tlsf_free(&t, m.live[m.count - 1].handle), 0);
		m.count--;
	}
	model_verify(&m, &t);
	cr_assert(ab_tlsf_is_empty(&t));
	struct ab_tlsf_stats st;
	ab_tlsf_get_stats(&t, &st);
	cr_assert_eq(st.free_blocks, 1, "everything freed must coalesce back into one block");
	cr_assert_eq(st.largest_free, arena);
	free(m.live);
	ab_tlsf_fini(&t);
	return failures;
}

Test(tlsf, random_sequences_match_the_model)
{
	for (unsigned seed = 1; seed <= 40; seed++)
		random_sequence(4 << 20, 256, 0, seed, 600, 96 << 10);
}

Test(tlsf, random_sequences_under_pressure)
{
	/* Small range, large requests: many refusals, checked against the
	 * good-fit guarantee. */
	int refusals = 0;
	for (unsigned seed = 100; seed <= 140; seed++)
		refusals += random_sequence(1 << 20, 256, 0, seed, 500, 256 << 10);
	cr_assert_gt(refusals, 100, "the sequence must actually exhaust the range");
}

Test(tlsf, unaligned_base_and_odd_granularity)
{
	/* The address of offset 0 is not 64 KiB aligned: alignment must hold
	 * for base + offset, not for the offset. */
	for (unsigned seed = 200; seed <= 215; seed++)
		random_sequence(3 << 20, 4096, 0x7f0000123000ull, seed, 400, 200 << 10);
	for (unsigned seed = 300; seed <= 310; seed++)
		random_sequence(1 << 16, 1, 7, seed, 400, 1000);
}

Test(tlsf, tiny_ranges_exhaustively)
{
	/* Every size and alignment on ranges of 1..40 units: a fresh range
	 * must satisfy each request that fits after alignment. */
	for (uint64_t units = 1; units <= 40; units++) {
		for (uint64_t size = 1; size <= units; size++) {
			for (unsigned a = 0; a <= 5; a++) {
				struct ab_tlsf t;
				cr_assert_eq(ab_tlsf_init(&t, units * 16, 16, 16), 0);
				uint64_t h, off;
				int r = ab_tlsf_alloc(&t, size * 16, 16u << a, &h, &off);
				uint64_t pad = ((16u << a) - 16 % (16u << a)) % (16u << a);
				if (r == 0) {
					cr_assert_eq((16 + off) % (16u << a), 0);
					cr_assert_leq(off + size * 16, units * 16);
					cr_assert_eq(ab_tlsf_free(&t, h), 0);
				} else {
					cr_assert_eq(r, -ENOMEM);
					cr_assert_lt(units * 16, guaranteed_fit(16, size * 16, 16u << a),
						     "units %llu size %llu align %u pad %llu",
						     (unsigned long long)units, (unsigned long long)size,
						     16u << a, (unsigned long long)pad);
				}
				cr_assert_eq(ab_tlsf_check(&t, NULL, 0), 0);
				ab_tlsf_fini(&t);
			}
		}
	}
}

Test(tlsf, exhaustion_then_full_reuse)
{
	struct ab_tlsf t;
	cr_assert_eq(ab_tlsf_init(&t, 1 << 20, 256, 0), 0);
	uint64_t h[4096], off;
	int n = 0;
	while (ab_tlsf_alloc(&t, 256, 256, &h[n], &off) == 0)
		n++;
	cr_assert_eq(n, 4096, "a 1 MiB range holds exactly 4096 blocks of 256 bytes");
	cr_assert_eq(ab_tlsf_alloc(&t, 1, 1, &h[0], &off), -ENOMEM);
	/* Free every other block: no coalescing possible, 2048 holes. */
	for (int i = 0; i < n; i += 2)
		cr_assert_eq(ab_tlsf_free(&t, h[i]), 0);
	struct ab_tlsf_stats st;
	ab_tlsf_get_stats(&t, &st);
	cr_assert_eq(st.free_blocks, 2048);
	cr_assert_eq(st.largest_free, 256);
	cr_assert_eq(ab_tlsf_alloc(&t, 512, 256, &off, &off), -ENOMEM, "fragmented: no 512-byte hole");
	for (int i = 1; i < n; i += 2)
		cr_assert_eq(ab_tlsf_free(&t, h[i]), 0);
	ab_tlsf_get_stats(&t, &st);
	cr_assert_eq(st.free_blocks, 1);
	cr_assert_eq(st.largest_free, 1 << 20);
	cr_assert_eq(ab_tlsf_check(&t, NULL, 0), 0);
	ab_tlsf_fini(&t);
}

Test(tlsf, bad_handles_are_errors_not_crashes)
{
	struct ab_tlsf t;
	cr_assert_eq(ab_tlsf_init(&t, 1 << 20, 256, 0), 0);
	uint64_t h, off;
	cr_assert_eq(ab_tlsf_alloc(&t, 1000, 64, &h, &off), 0);
	cr_assert_eq(ab_tlsf_free(&t, 0), -ENOENT);
	cr_assert_eq(ab_tlsf_free(&t, 0xffffffffull), -ENOENT);
	cr_assert_eq(ab_tlsf_free(&t, 0xdeadbeef00001234ull), -ENOENT);
	cr_assert_eq(ab_tlsf_free(&t, h + (UINT64_C(1) << 32)), -EALREADY, "wrong generation");
	cr_assert_eq(ab_tlsf_free(&t, h), 0);
	cr_assert_eq(ab_tlsf_free(&t, h), -EALREADY);
	/* The node is reused for the next block: the old handle stays dead. */
	uint64_t h2;
	cr_assert_eq(ab_tlsf_alloc(&t, 1000, 64, &h2, &off), 0);
	cr_assert_neq(h2, h);
	cr_assert_eq(ab_tlsf_free(&t, h), -EALREADY);
	cr_assert_eq(ab_tlsf_lookup(&t, h, &off, &off), -EALREADY);
	cr_assert_eq(ab_tlsf_free(&t, h2), 0);
	cr_assert_eq(ab_tlsf_alloc(&t, 0, 1, &h, &off), -EINVAL);
	cr_assert_eq(ab_tlsf_alloc(&t, 1, 3, &h, &off), -EINVAL);
	cr_assert_eq(ab_tlsf_alloc(&t, (1 << 20) + 1, 1, &h, &off), -ENOMEM);
	ab_tlsf_fini(&t);
	cr_assert_eq(ab_tlsf_init(&t, 1000, 256, 0), -EINVAL, "size not a multiple of the granularity");
	cr_assert_eq(ab_tlsf_init(&t, 1024, 3, 0), -EINVAL);
	cr_assert_eq(ab_tlsf_init(&t, 1024, 256, 8), -EINVAL);
}

Test(tlsf, search_cost_is_bounded_on_a_huge_fragmented_range)
{
	/* 256 GiB range, thousands of blocks of every class: the search cost
	 * stays within the constant bound however many blocks exist. */
	struct ab_tlsf t;
	cr_assert_eq(ab_tlsf_init(&t, UINT64_C(256) << 30, 256, 0), 0);
	static uint64_t h[20000];
	uint64_t off;
	srand(7);
	for (int i = 0; i < 20000; i++)
		cr_assert_eq(ab_tlsf_alloc(&t, 1 + (uint64_t)rand() % (8 << 20), UINT64_C(1) << (rand() % 17),
					   &h[i], &off), 0);
	for (int i = 0; i < 20000; i += 3)
		cr_assert_eq(ab_tlsf_free(&t, h[i]), 0);
	for (int i = 0; i < 5000; i++)
		ab_tlsf_alloc(&t, 1 + (uint64_t)rand() % (16 << 20), 65536, &off, &off);
	struct ab_tlsf_stats st;
	ab_tlsf_get_stats(&t, &st);
	cr_assert_leq(st.max_search_steps, AB_TLSF_MAX_SEARCH_STEPS);
	cr_assert_eq(ab_tlsf_check(&t, NULL, 0), 0);
	ab_tlsf_fini(&t);
}
