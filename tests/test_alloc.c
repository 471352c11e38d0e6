/*
 * Sub-allocator tests.
 *
 * Part 1 (tlsf_*): the pure TLSF core (src/alloc/tlsf.c), model-checked:
 * random allocate/free sequences are mirrored in a simple list of live
 * ranges, and after every step the core's invariants, its counters, its
 * free blocks (which must be exactly the maximal gaps of the model) and the
 * good-fit guarantee (a failure only when no free block of the searched
 * class exists) are checked.
 *
 * Part 2 (arena_*): the allocator on the virtual device: GEM arenas,
 * budgets, spill, dedicated buffers, statistics, error handling.
 */
#include "alloc/tlsf.h"

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

/* ---- Part 2: the allocator on the virtual device -------------------- */

#include "amdbare_alloc.h"
#include "vgpu_test.h"

#define MiB (UINT64_C(1) << 20)

static amdbare_device *dev;
static amdbare_allocator *alloc;

/* Opens the device and an allocator; `vram` non-NULL shrinks the vgpu's
 * VRAM (and GTT to `gtt`) for budget, exhaustion and spill tests. */
static void open_with(const char *vram, const char *gtt, const amdbare_allocator_config *cfg)
{
	if (vram)
		vgpu_test_use_profile("780m", "AMDBARE_VGPU_VRAM_SIZE", vram, "AMDBARE_VGPU_GTT_SIZE",
				      gtt, NULL);
	else
		vgpu_test_use_profile("780m", NULL);
	int r = amdbare_device_open(0, &dev);
	cr_assert_eq(r, 0, "device open: %s", amdbare_last_error());
	r = amdbare_allocator_create(dev, cfg, &alloc);
	cr_assert_eq(r, 0, "allocator create: %s", amdbare_last_error());
}

/* Teardown: everything freed by the test, so destroy reports nothing
 * live, and the vgpu holds no object of this process afterwards. */
static void close_all(void)
{
	int live = amdbare_allocator_destroy(alloc);
	cr_assert_eq(live, 0, "%d sub-allocations left: %s", live, amdbare_last_error());
	amdbare_device_close(dev);
	char desc[512];
	cr_assert_eq(vgpu_test_open_objects(desc, sizeof(desc)), 0, "left in the vgpu: %s", desc);
	vgpu_test_cleanup();
}

static amdbare_alloc_stats stats(void)
{
	amdbare_alloc_stats s;
	cr_assert_eq(amdbare_allocator_get_stats(alloc, &s), 0);
	return s;
}

static amdbare_alloc_request req(uint64_t size, uint64_t align, uint32_t policy)
{
	return (amdbare_alloc_request){ .size = size, .alignment = align, .policy = policy };
}

Test(arena, small_allocations_share_one_mapped_arena)
{
	open_with(NULL, NULL, NULL);
	amdbare_suballoc s[16];
	for (int i = 0; i < 16; i++) {
		amdbare_alloc_request q = req(1000 + 4096 * (uint64_t)i, 0, AMDBARE_ALLOC_VRAM_THEN_GTT);
		cr_assert_eq(amdbare_alloc(alloc, &q, &s[i]), 0, "%s", amdbare_last_error());
		cr_assert_neq(s[i].id, 0);
		cr_assert_eq(s[i].domain, AMDBARE_DOMAIN_VRAM);
		cr_assert_not_null(s[i].bo);
		cr_assert_eq(s[i].bo, s[0].bo, "small requests share the arena");
		cr_assert_not(s[i].dedicated);
		cr_assert_not(s[i].spilled);
		cr_assert_not_null(s[i].cpu_ptr);
		cr_assert_eq(s[i].gpu_va, amdbare_bo_gpu_va(s[i].bo) + s[i].offset);
		cr_assert_eq(s[i].gpu_va % AMDBARE_ALLOC_GRANULARITY, 0);
		cr_assert_leq(s[i].offset + s[i].size, amdbare_bo_size(s[i].bo));
		memset(s[i].cpu_ptr, 0x40 + i, s[i].size);
	}
	for (int i = 0; i < 16; i++) {
		const unsigned char *p = s[i].cpu_ptr;
		cr_assert_eq(p[0], 0x40 + i, "neighbours must not overlap");
		cr_assert_eq(p[s[i].size - 1], 0x40 + i);
		amdbare_suballoc again;
		cr_assert_eq(amdbare_alloc_get(alloc, s[i].id, &again), 0);
		cr_assert_eq(memcmp(&again, &s[i], sizeof(again)), 0);
	}
	amdbare_alloc_stats st = stats();
	cr_assert_eq(st.arena_size, AMDBARE_ALLOC_DEFAULT_ARENA_SIZE);
	cr_assert_eq(st.vram.gem_buffers, 1);
	cr_assert_eq(st.vram.arenas, 1);
	cr_assert_eq(st.vram.held, AMDBARE_ALLOC_DEFAULT_ARENA_SIZE);
	cr_assert_eq(st.vram.live, 16);
	cr_assert_eq(st.gtt.gem_buffers, 0);
	uint64_t requested = 0;
	for (int i = 0; i < 16; i++)
		requested += s[i].size;
	cr_assert_eq(st.vram.requested, requested);
	cr_assert_geq(st.vram.used, requested);
	cr_assert_eq(st.vram.used + st.vram.free, st.vram.held);
	for (int i = 0; i < 16; i++)
		cr_assert_eq(amdbare_alloc_free(alloc, s[i].id), 0);
	st = stats();
	cr_assert_eq(st.vram.live, 0);
	cr_assert_eq(st.vram.requested, 0);
	cr_assert_eq(st.vram.arenas, 1, "the last arena is kept for reuse");
	cr_assert_eq(st.vram.largest_free, st.vram.held, "freed blocks coalesce");
	cr_assert_eq(st.vram.fragmentation, 0.0);
	cr_assert_eq(st.vram.allocs, 16);
	cr_assert_eq(st.vram.frees, 16);
	close_all();
}

Test(arena, every_alignment_up_to_64k)
{
	open_with(NULL, NULL, NULL);
	amdbare_suballoc s[17 * 3];
	int n = 0;
	for (int round = 0; round < 3; round++)
		for (unsigned k = 0; k <= 16; k++) {
			uint64_t align = UINT64_C(1) << k;
			amdbare_alloc_request q = req(100 + 777 * (uint64_t)k, align, AMDBARE_ALLOC_GTT_ONLY);
			cr_assert_eq(amdbare_alloc(alloc, &q, &s[n]), 0, "%s", amdbare_last_error());
			cr_assert_eq(s[n].gpu_va % align, 0, "align %llu: va 0x%llx", (unsigned long long)align,
				     (unsigned long long)s[n].gpu_va);
			cr_assert_eq(s[n].domain, AMDBARE_DOMAIN_GTT);
			n++;
		}
	amdbare_suballoc bad;
	amdbare_alloc_request q = req(4096, 128 << 10, AMDBARE_ALLOC_GTT_ONLY);
	cr_assert_eq(amdbare_alloc(alloc, &q, &bad), -EINVAL);
	cr_assert_not_null(strstr(amdbare_last_error(), "alignment"));
	q = req(4096, 3000, AMDBARE_ALLOC_GTT_ONLY);
	cr_assert_eq(amdbare_alloc(alloc, &q, &bad), -EINVAL);
	cr_assert_eq(bad.id, 0, "a failed call describes nothing");
	q = req(0, 0, AMDBARE_ALLOC_GTT_ONLY);
	cr_assert_eq(amdbare_alloc(alloc, &q, &bad), -EINVAL);
	q = req(64, 0, 7);
	cr_assert_eq(amdbare_alloc(alloc, &q, &bad), -EINVAL);
	q = req(64, 0, 0);
	q.flags = AMDBARE_BO_CPU_ACCESS | AMDBARE_BO_NO_CPU_ACCESS;
	cr_assert_eq(amdbare_alloc(alloc, &q, &bad), -EINVAL);
	q.flags = 1u << 20;
	cr_assert_eq(amdbare_alloc(alloc, &q, &bad), -EINVAL);
	for (int i = 0; i < n; i++)
		cr_assert_eq(amdbare_alloc_free(alloc, s[i].id), 0);
	close_all();
}

struct live_block {
	amdbare_suballoc s;
	uint32_t stamp;
};

/* Writes a stamp at both ends of a block; a block overlapping another
 * would overwrite a neighbour's stamp. */
static void stamp(struct live_block *b, uint32_t value)
{
	b->stamp = value;
	memcpy(b->s.cpu_ptr, &value, sizeof(value) < b->s.size ? sizeof(value) : b->s.size);
	if (b->s.size >= 8)
		memcpy((char *)b->s.cpu_ptr + b->s.size - 4, &value, 4);
}

static void check_stamp(const struct live_block *b)
{
	uint32_t v = 0;
	memcpy(&v, b->s.cpu_ptr, sizeof(v) < b->s.size ? sizeof(v) : b->s.size);
	uint32_t expect = b->stamp;
	if (b->s.size < 4)
		expect &= (UINT32_C(1) << (8 * b->s.size)) - 1;
	cr_assert_eq(v, expect, "block %llx overwritten", (unsigned long long)b->s.id);
	if (b->s.size >= 8) {
		memcpy(&v, (char *)b->s.cpu_ptr + b->s.size - 4, 4);
		cr_assert_eq(v, b->stamp);
	}
}

Test(arena, random_sequences_match_the_model)
{
	/* Small arenas so that many are made and released; sizes up to half
	 * an arena plus some dedicated ones. */
	amdbare_allocator_config cfg;
	amdbare_allocator_config_init(&cfg);
	cfg.arena_size = 4 * MiB;
	open_with(NULL, NULL, &cfg);
	enum { N = 400 };
	static struct live_block live[N];
	size_t count = 0;
	uint64_t requested = 0;
	srand(42);
	for (int step = 0; step < 4000; step++) {
		if (count < N && (count == 0 || rand() % 100 < 52)) {
			uint64_t size = rand() % 10 == 0 ? 1 + (uint64_t)rand() % (3 * MiB)
							 : 1 + (uint64_t)rand() % (64 << 10);
			uint64_t align = UINT64_C(1) << (rand() % 17);
			amdbare_alloc_request q = req(size, align, (uint32_t)(rand() % 3));
			struct live_block *b = &live[count];
			cr_assert_eq(amdbare_alloc(alloc, &q, &b->s), 0, "%s", amdbare_last_error());
			cr_assert_eq(b->s.gpu_va % align, 0);
			cr_assert_eq(b->s.size, size);
			cr_assert_eq(b->s.dedicated, size > cfg.arena_size / 2);
			if (q.policy == AMDBARE_ALLOC_GTT_ONLY)
				cr_assert_eq(b->s.domain, AMDBARE_DOMAIN_GTT);
			else
				cr_assert_eq(b->s.domain, AMDBARE_DOMAIN_VRAM, "16 GiB VRAM never spills here");
			stamp(b, (uint32_t)rand());
			requested += size;
			count++;
		} else {
			size_t k = (size_t)rand() % count;
			check_stamp(&live[k]);
			cr_assert_eq(amdbare_alloc_free(alloc, live[k].s.id), 0, "%s", amdbare_last_error());
			requested -= live[k].s.size;
			live[k] = live[--count];
		}
		if (step % 97 == 0) {
			amdbare_alloc_stats st = stats();
			cr_assert_eq(st.vram.live + st.gtt.live, count);
			cr_assert_eq(st.vram.requested + st.gtt.requested, requested);
			/* Held GEM bytes are either handed out or free in an arena
			 * (a dedicated buffer counts as used whole). */
			cr_assert_eq(st.vram.used + st.vram.free, st.vram.held);
			cr_assert_eq(st.gtt.used + st.gtt.free, st.gtt.held);
			cr_assert_geq(st.vram.used, st.vram.requested);
			cr_assert_leq(st.vram.largest_free, st.vram.free);
			for (size_t i = 0; i < count; i++)
				check_stamp(&live[i]);
		}
	}
	for (size_t i = 0; i < count; i++) {
		check_stamp(&live[i]);
		cr_assert_eq(amdbare_alloc_free(alloc, live[i].s.id), 0);
	}
	amdbare_alloc_stats st = stats();
	cr_assert_eq(st.vram.live + st.gtt.live, 0);
	cr_assert_eq(st.vram.dedicated + st.gtt.dedicated, 0, "dedicated buffers go at once");
	cr_assert_leq(st.vram.arenas, 1, "at most the last arena of each kind stays");
	cr_assert_leq(st.gtt.arenas, 1);
	cr_assert_eq(st.vram.used + st.gtt.used, 0);
	close_all();
}

static size_t fill(uint64_t size, uint32_t policy, amdbare_suballoc *out, size_t cap, int *last_error)
{
	size_t n = 0;
	*last_error = 0;
	while (n < cap) {
		amdbare_alloc_request q = req(size, 0, policy);
		int r = amdbare_alloc(alloc, &q, &out[n]);
		if (r < 0) {
			*last_error = r;
			break;
		}
		n++;
	}
	return n;
}

static void free_all(amdbare_suballoc *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(amdbare_alloc_free(alloc, s[i].id), 0, "%s", amdbare_last_error());
}

Test(arena, default_budget_is_usable_minus_headroom)
{
	open_with("512M", "1G", NULL);
	amdbare_memory_info mem;
	cr_assert_eq(amdbare_device_query_memory(dev, &mem), 0);
	amdbare_alloc_stats st = stats();
	cr_assert_eq(st.vram.heap_usable, mem.vram.usable);
	cr_assert_eq(st.gtt.heap_usable, mem.gtt.usable);
	/* 5 % of ~512 MiB is below the 64 MiB floor. */
	cr_assert_eq(st.vram.headroom, 64 * MiB);
	cr_assert_eq(st.vram.budget, mem.vram.usable - 64 * MiB);
	cr_assert_eq(st.gtt.budget, mem.gtt.usable - st.gtt.headroom);
	amdbare_allocator_destroy(alloc);

	amdbare_allocator_config cfg;
	amdbare_allocator_config_init(&cfg);
	cfg.vram_headroom = 0;
	cfg.gtt_limit = 100 * MiB;
	cr_assert_eq(amdbare_allocator_create(dev, &cfg, &alloc), 0);
	st = stats();
	cr_assert_eq(st.vram.budget, mem.vram.usable);
	cr_assert_eq(st.gtt.budget, 100 * MiB);
	close_all();
}

Test(arena, exhaustion_spills_vram_to_gtt_then_refuses)
{
	amdbare_allocator_config cfg;
	amdbare_allocator_config_init(&cfg);
	cfg.arena_size = 64 * MiB;
	open_with("512M", "1G", &cfg);
	static amdbare_suballoc s[256];
	int err;
	size_t n = fill(16 * MiB, AMDBARE_ALLOC_VRAM_THEN_GTT, s, 256, &err);
	cr_assert_eq(err, -ENOMEM, "both heaps end up refused");
	cr_assert_not_null(strstr(amdbare_last_error(), "VRAM"), "%s", amdbare_last_error());
	cr_assert_not_null(strstr(amdbare_last_error(), "GTT"), "%s", amdbare_last_error());
	amdbare_alloc_stats st = stats();
	size_t in_vram = 0, spilled = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i].domain == AMDBARE_DOMAIN_VRAM) {
			cr_assert_eq(spilled, 0, "once spilled, VRAM stays full");
			cr_assert_not(s[i].spilled);
			in_vram++;
		} else {
			cr_assert(s[i].spilled);
			spilled++;
		}
	}
	cr_assert_gt(in_vram, 0);
	cr_assert_gt(spilled, 0);
	cr_assert_leq(st.vram.held, st.vram.budget, "never past the VRAM budget");
	cr_assert_leq(st.gtt.held, st.gtt.budget, "never past the GTT budget");
	cr_assert_gt(st.vram.held + 16 * MiB, st.vram.budget, "VRAM used up to the budget");
	cr_assert_eq(st.gtt.spills, spilled);
	cr_assert_geq(st.vram.refusals, 1);
	cr_assert_eq(in_vram * 16 * MiB, st.vram.requested);

	/* Strict VRAM now fails with a message naming VRAM and the budget. */
	amdbare_suballoc x;
	amdbare_alloc_request q = req(16 * MiB, 0, AMDBARE_ALLOC_VRAM_ONLY);
	cr_assert_eq(amdbare_alloc(alloc, &q, &x), -ENOMEM);
	cr_assert_not_null(strstr(amdbare_last_error(), "VRAM"), "%s", amdbare_last_error());
	cr_assert_not_null(strstr(amdbare_last_error(), "budget"), "%s", amdbare_last_error());
	cr_assert_null(strstr(amdbare_last_error(), "then"), "VRAM only: one reason");

	/* Freeing one VRAM block makes room again in VRAM. */
	cr_assert_eq(amdbare_alloc_free(alloc, s[0].id), 0);
	cr_assert_eq(amdbare_alloc(alloc, &q, &s[0]), 0, "%s", amdbare_last_error());
	cr_assert_eq(s[0].domain, AMDBARE_DOMAIN_VRAM);
	free_all(s, n);
	st = stats();
	cr_assert_eq(st.vram.arenas + st.gtt.arenas, 2, "one arena kept per kind");
	cr_assert_eq(amdbare_allocator_trim(alloc), 2);
	st = stats();
	cr_assert_eq(st.vram.held + st.gtt.held, 0);
	close_all();
}

Test(arena, configured_budget_refuses_with_a_clear_message)
{
	amdbare_allocator_config cfg;
	amdbare_allocator_config_init(&cfg);
	cfg.arena_size = 32 * MiB;
	cfg.vram_limit = 100 * MiB;
	open_with(NULL, NULL, &cfg);
	amdbare_suballoc s[16];
	int err;
	size_t n = fill(16 * MiB, AMDBARE_ALLOC_VRAM_ONLY, s, 16, &err);
	/* Three 32 MiB arenas of two blocks each; the 4 MiB left cannot hold
	 * a fourth arena for a 16 MiB block. */
	cr_assert_eq(n, 6);
	cr_assert_eq(err, -ENOMEM);
	const char *msg = amdbare_last_error();
	cr_assert_not_null(strstr(msg, "VRAM budget exceeded"), "%s", msg);
	cr_assert_not_null(strstr(msg, "16.00 MiB"), "names the request: %s", msg);
	cr_assert_not_null(strstr(msg, "100.00 MiB"), "names the budget: %s", msg);
	amdbare_alloc_stats st = stats();
	cr_assert_eq(st.vram.held, 96 * MiB);
	cr_assert_eq(st.vram.refusals, 1);
	cr_assert_eq(st.gtt.held, 0, "VRAM only never touches GTT");
	/* A small block still fits in the remaining budget as a small arena. */
	amdbare_suballoc small;
	amdbare_alloc_request q = req(1 * MiB, 0, AMDBARE_ALLOC_VRAM_ONLY);
	cr_assert_eq(amdbare_alloc(alloc, &q, &small), 0, "%s", amdbare_last_error());
	st = stats();
	cr_assert_eq(st.vram.held, 100 * MiB, "the last arena shrinks to the budget left");
	cr_assert_eq(amdbare_alloc_free(alloc, small.id), 0);
	free_all(s, n);
	close_all();
}

Test(arena, device_wide_usage_counts_too)
{
	/* Another allocator on the same device fills VRAM: this one, with an
	 * empty budget of its own, must still refuse rather than push the
	 * kernel into eviction. */
	open_with("512M", "1G", NULL);
	amdbare_allocator *first = alloc;
	static amdbare_suballoc s[64];
	int err;
	size_t n = fill(16 * MiB, AMDBARE_ALLOC_VRAM_ONLY, s, 64, &err);
	cr_assert_eq(err, -ENOMEM);
	cr_assert_gt(n, 10);
	amdbare_allocator *second;
	cr_assert_eq(amdbare_allocator_create(dev, NULL, &second), 0);
	amdbare_suballoc x;
	amdbare_alloc_request q = req(16 * MiB, 0, AMDBARE_ALLOC_VRAM_ONLY);
	cr_assert_eq(amdbare_alloc(second, &q, &x), -ENOMEM);
	cr_assert_not_null(strstr(amdbare_last_error(), "device-wide"), "%s", amdbare_last_error());
	q.policy = AMDBARE_ALLOC_VRAM_THEN_GTT;
	cr_assert_eq(amdbare_alloc(second, &q, &x), 0, "%s", amdbare_last_error());
	cr_assert_eq(x.domain, AMDBARE_DOMAIN_GTT);
	cr_assert(x.spilled);
	/* Ids of one allocator mean nothing to the other. */
	cr_assert_eq(amdbare_alloc_free(first, x.id), -EINVAL);
	cr_assert_not_null(strstr(amdbare_last_error(), "not issued by this allocator"));
	cr_assert_eq(amdbare_alloc_free(second, s[0].id), -EINVAL);
	cr_assert_eq(amdbare_alloc_free(second, x.id), 0);
	cr_assert_eq(amdbare_allocator_destroy(second), 0);
	free_all(s, n);
	close_all();
}

Test(arena, large_requests_get_a_dedicated_buffer)
{
	amdbare_allocator_config cfg;
	amdbare_allocator_config_init(&cfg);
	cfg.arena_size = 8 * MiB;
	open_with(NULL, NULL, &cfg);
	amdbare_suballoc small, big, huge;
	amdbare_alloc_request q = req(4096, 0, AMDBARE_ALLOC_VRAM_ONLY);
	cr_assert_eq(amdbare_alloc(alloc, &q, &small), 0);
	q = req(4 * MiB + 1, 64 << 10, AMDBARE_ALLOC_VRAM_ONLY);
	cr_assert_eq(amdbare_alloc(alloc, &q, &big), 0, "%s", amdbare_last_error());
	cr_assert(big.dedicated);
	cr_assert_eq(big.offset, 0);
	cr_assert_neq(big.bo, small.bo);
	cr_assert_eq(big.gpu_va % (64 << 10), 0);
	cr_assert_geq(amdbare_bo_size(big.bo), 4 * MiB + 1);
	q = req(100 * MiB, 0, AMDBARE_ALLOC_VRAM_ONLY);
	cr_assert_eq(amdbare_alloc(alloc, &q, &huge), 0, "%s", amdbare_last_error());
	cr_assert(huge.dedicated);
	amdbare_alloc_stats st = stats();
	cr_assert_eq(st.vram.dedicated, 2);
	cr_assert_eq(st.vram.arenas, 1);
	cr_assert_eq(st.vram.gem_buffers, 3);
	cr_assert_eq(st.vram.held, 8 * MiB + amdbare_bo_size(big.bo) + 100 * MiB);
	amdbare_bo *bos[4];
	cr_assert_eq(amdbare_allocator_list_bos(alloc, bos, 4), 3);
	cr_assert_eq(amdbare_alloc_free(alloc, big.id), 0);
	cr_assert_eq(amdbare_alloc_free(alloc, huge.id), 0);
	st = stats();
	cr_assert_eq(st.vram.dedicated, 0, "a dedicated buffer is released at once");
	cr_assert_eq(st.vram.held, 8 * MiB);
	cr_assert_eq(amdbare_alloc_free(alloc, small.id), 0);
	close_all();
}

Test(arena, double_free_and_foreign_ids_are_errors)
{
	open_with(NULL, NULL, NULL);
	amdbare_suballoc s;
	amdbare_alloc_request q = req(1000, 0, 0);
	cr_assert_eq(amdbare_alloc(alloc, &q, &s), 0);
	cr_assert_eq(amdbare_alloc_free(alloc, s.id), 0);
	cr_assert_eq(amdbare_alloc_free(alloc, s.id), -EALREADY);
	cr_assert_not_null(strstr(amdbare_last_error(), "already freed"), "%s", amdbare_last_error());
	amdbare_suballoc d;
	cr_assert_eq(amdbare_alloc_get(alloc, s.id, &d), -EALREADY);
	cr_assert_eq(d.id, 0);
	/* The slot is reused by the next allocation: the old id stays dead
	 * and cannot free the new block. */
	amdbare_suballoc t;
	cr_assert_eq(amdbare_alloc(alloc, &q, &t), 0);
	cr_assert_neq(t.id, s.id);
	cr_assert_eq(amdbare_alloc_free(alloc, s.id), -EALREADY);
	cr_assert_eq(amdbare_alloc_get(alloc, t.id, &d), 0, "the new block is untouched");
	uint64_t junk[] = { 0, 1, UINT64_MAX, t.id + 1, t.id ^ (UINT64_C(1) << 60), 0x1234567890abcdefull,
			    t.id & ~UINT64_C(0xffffff) };
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		cr_assert_eq(amdbare_alloc_free(alloc, junk[i]), -EINVAL, "id %llx",
			     (unsigned long long)junk[i]);
		cr_assert_gt(strlen(amdbare_last_error()), 10);
	}
	cr_assert_eq(amdbare_alloc_free(NULL, t.id), -EINVAL);
	cr_assert_eq(amdbare_alloc_free(alloc, t.id), 0);
	cr_assert_eq(amdbare_allocator_destroy(NULL), 0);
	close_all();
}

Test(arena, no_cpu_access_requests_use_their_own_arena)
{
	open_with(NULL, NULL, NULL);
	amdbare_suballoc a1, a2, b1;
	amdbare_alloc_request q = req(4096, 0, AMDBARE_ALLOC_VRAM_ONLY);
	cr_assert_eq(amdbare_alloc(alloc, &q, &a1), 0);
	q.flags = AMDBARE_BO_NO_CPU_ACCESS;
	cr_assert_eq(amdbare_alloc(alloc, &q, &b1), 0, "%s", amdbare_last_error());
	cr_assert_null(b1.cpu_ptr);
	cr_assert_eq(b1.flags, AMDBARE_BO_NO_CPU_ACCESS);
	cr_assert_neq(b1.bo, a1.bo);
	q.flags = 0;
	cr_assert_eq(amdbare_alloc(alloc, &q, &a2), 0);
	cr_assert_eq(a2.bo, a1.bo);
	uint64_t ids[] = { a1.id, b1.id, a2.id };
	amdbare_bo *bos[3] = { 0 };
	cr_assert_eq(amdbare_alloc_collect_bos(alloc, ids, 3, bos, 3), 2, "two distinct parents");
	cr_assert_eq(bos[0], a1.bo);
	cr_assert_eq(bos[1], b1.bo);
	cr_assert_eq(amdbare_alloc_collect_bos(alloc, ids, 1, bos, 3), 1);
	cr_assert_eq(stats().vram.arenas, 2);
	free_all((amdbare_suballoc[]){ a1, a2, b1 }, 3);
	cr_assert_eq(amdbare_alloc_collect_bos(alloc, ids, 3, bos, 3), -EALREADY);
	close_all();
}

Test(arena, empty_arenas_are_released_except_the_last)
{
	amdbare_allocator_config cfg;
	amdbare_allocator_config_init(&cfg);
	cfg.arena_size = 1 * MiB;
	open_with(NULL, NULL, &cfg);
	static amdbare_suballoc s[8];
	for (int i = 0; i < 8; i++) {
		amdbare_alloc_request q = req(512 << 10, 0, AMDBARE_ALLOC_GTT_ONLY);
		cr_assert_eq(amdbare_alloc(alloc, &q, &s[i]), 0);
	}
	cr_assert_eq(stats().gtt.arenas, 4, "two half-arena blocks per 1 MiB arena");
	/* Empty the arenas one by one. */
	free_all(s, 2);
	cr_assert_eq(stats().gtt.arenas, 3);
	free_all(s + 2, 4);
	cr_assert_eq(stats().gtt.arenas, 1);
	free_all(s + 6, 2);
	amdbare_alloc_stats st = stats();
	cr_assert_eq(st.gtt.arenas, 1, "the last one is kept");
	cr_assert_eq(st.gtt.free, 1 * MiB);
	cr_assert_eq(amdbare_allocator_trim(alloc), 1);
	cr_assert_eq(stats().gtt.gem_buffers, 0);
	close_all();
}

Test(arena, destroy_frees_what_the_caller_forgot)
{
	open_with(NULL, NULL, NULL);
	amdbare_suballoc s;
	for (int i = 0; i < 5; i++) {
		amdbare_alloc_request q = req(i == 4 ? 200 * MiB : 4096, 0, (uint32_t)(i % 3));
		cr_assert_eq(amdbare_alloc(alloc, &q, &s), 0);
	}
	cr_assert_eq(amdbare_allocator_destroy(alloc), 5);
	cr_assert_not_null(strstr(amdbare_last_error(), "5 sub-allocations"), "%s", amdbare_last_error());
	cr_assert_eq(amdbare_allocator_create(dev, NULL, &alloc), 0);
	close_all();
}
