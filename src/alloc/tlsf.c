/*
 * Two-Level Segregated Fit over an offset range (see alloc/tlsf.h).
 *
 * Free blocks are kept in AB_TLSF_FL_COUNT x AB_TLSF_SL_COUNT doubly linked
 * lists, one per size class; two bitmaps say which lists are non-empty, so
 * finding a fitting list is a couple of find-first-set instructions and
 * never a walk.  Sizes are handled in units of the granularity.  Classes:
 * units below 2^SL_LOG2 map linearly into first level 0; above that the
 * first level is the power of two and the second level the next SL_LOG2
 * bits.  An allocation searches from the class rounded UP from its size,
 * so any block of the first non-empty list found is big enough: that is
 * what makes allocation O(1) (a "good fit", not a best fit).
 *
 * Invariants (checked by ab_tlsf_check): blocks tile [0, size) in physical
 * order; no two physically adjacent blocks are both free (free coalesces
 * immediately), hence a new free fragment made by a split never needs a
 * merge.
 */
#include "tlsf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX

enum block_state { NODE_SPARE = 0, BLOCK_FREE, BLOCK_USED };

struct ab_tlsf_block {
	uint64_t offset, size;          /* bytes */
	uint32_t phys_prev, phys_next;  /* neighbours in address order */
	uint32_t free_prev, free_next;  /* size-class list (spare list too) */
	uint32_t gen;                   /* bumped at every free: stale handles fail */
	uint8_t state;
};

static unsigned fls64_index(uint64_t v) /* index of the highest set bit, v != 0 */
{
	return 63u - (unsigned)__builtin_clzll(v);
}

static unsigned ffs32_index(uint32_t v) /* index of the lowest set bit, v != 0 */
{
	return (unsigned)__builtin_ctz(v);
}

static unsigned ffs64_index(uint64_t v)
{
	return (unsigned)__builtin_ctzll(v);
}

/* The class a block of `units` belongs to. */
static void mapping_insert(uint64_t units, unsigned *fl, unsigned *sl)
{
	if (units < AB_TLSF_SL_COUNT) {
		*fl = 0;
		*sl = (unsigned)units;
		return;
	}
	unsigned top = fls64_index(units);
	*fl = top - AB_TLSF_SL_LOG2 + 1;
	*sl = (unsigned)((units >> (top - AB_TLSF_SL_LOG2)) ^ AB_TLSF_SL_COUNT);
}

/* The first class whose every block holds `units`: round up to the next
 * class boundary, then map.  False if that overflows the table. */
static bool mapping_search(uint64_t units, unsigned *fl, unsigned *sl)
{
	if (units >= AB_TLSF_SL_COUNT) {
		uint64_t round = (UINT64_C(1) << (fls64_index(units) - AB_TLSF_SL_LOG2)) - 1;
		if (units + round < units)
			return false;
		units += round;
	}
	mapping_insert(units, fl, sl);
	return *fl < AB_TLSF_FL_COUNT;
}

static uint64_t to_units(const struct ab_tlsf *t, uint64_t bytes)
{
	return bytes >> t->gran_shift;
}

static void list_insert(struct ab_tlsf *t, uint32_t i)
{
	struct ab_tlsf_block *b = &t->nodes[i];
	unsigned fl, sl;
	mapping_insert(to_units(t, b->size), &fl, &sl);
	uint32_t head = t->heads[fl][sl];
	b->free_prev = NIL;
	b->free_next = head;
	if (head != NIL)
		t->nodes[head].free_prev = i;
	t->heads[fl][sl] = i;
	t->fl_bitmap |= UINT64_C(1) << fl;
	t->sl_bitmap[fl] |= 1u << sl;
	b->state = BLOCK_FREE;
	t->free_bytes += b->size;
	t->free_blocks++;
}

static void list_remove(struct ab_tlsf *t, uint32_t i)
{
	struct ab_tlsf_block *b = &t->nodes[i];
	unsigned fl, sl;
	mapping_insert(to_units(t, b->size), &fl, &sl);
	if (b->free_prev != NIL)
		t->nodes[b->free_prev].free_next = b->free_next;
	else
		t->heads[fl][sl] = b->free_next;
	if (b->free_next != NIL)
		t->nodes[b->free_next].free_prev = b->free_prev;
	if (t->heads[fl][sl] == NIL) {
		t->sl_bitmap[fl] &= ~(1u << sl);
		if (!t->sl_bitmap[fl])
			t->fl_bitmap &= ~(UINT64_C(1) << fl);
	}
	b->free_prev = b->free_next = NIL;
	t->free_bytes -= b->size;
	t->free_blocks--;
}

/* Head of the first non-empty list at or above class (fl, sl), or NIL.
 * Adds the bitmap scans made to *steps. */
static uint32_t find_suitable(const struct ab_tlsf *t, unsigned fl, unsigned sl, unsigned *steps)
{
	(*steps)++;
	uint32_t sl_map = sl < AB_TLSF_SL_COUNT ? t->sl_bitmap[fl] & (~0u << sl) : 0;
	if (!sl_map) {
		(*steps)++;
		uint64_t fl_map = fl + 1 < AB_TLSF_FL_COUNT ? t->fl_bitmap & (~UINT64_C(0) << (fl + 1)) : 0;
		if (!fl_map)
			return NIL;
		fl = ffs64_index(fl_map);
		sl_map = t->sl_bitmap[fl];
	}
	return t->heads[fl][ffs32_index(sl_map)];
}

/* Makes room for `n` more nodes so that a split can never fail halfway. */
static int reserve_nodes(struct ab_tlsf *t, uint32_t n)
{
	uint32_t avail = t->node_cap - t->node_top;
	for (uint32_t i = t->spare; i != NIL && avail < n; i = t->nodes[i].free_next)
		avail++;
	if (avail >= n)
		return 0;
	if (t->node_cap > UINT32_MAX / 2 - n)
		return -ENOMEM;
	/* Doubling keeps growth amortised O(1) per allocation. */
	uint32_t cap = t->node_cap * 2 + n;
	struct ab_tlsf_block *grown = realloc(t->nodes, (size_t)cap * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	t->nodes = grown;
	t->node_cap = cap;
	return 0;
}

static uint32_t node_get(struct ab_tlsf *t)
{
	uint32_t i;
	if (t->spare != NIL) {
		i = t->spare;
		t->spare = t->nodes[i].free_next;
	} else {
		i = t->node_top++;
		t->nodes[i].gen = 1;
	}
	struct ab_tlsf_block *b = &t->nodes[i];
	b->phys_prev = b->phys_next = b->free_prev = b->free_next = NIL;
	b->state = BLOCK_FREE;
	return i;
}

static void node_put(struct ab_tlsf *t, uint32_t i)
{
	struct ab_tlsf_block *b = &t->nodes[i];
	b->state = NODE_SPARE;
	b->size = 0;
	b->free_next = t->spare;
	t->spare = i;
}

int ab_tlsf_init(struct ab_tlsf *t, uint64_t size, uint64_t granularity, uint64_t align_base)
{
	memset(t, 0, sizeof(*t));
	if (!granularity || (granularity & (granularity - 1)) || !size ||
	    size % granularity || align_base % granularity)
		return -EINVAL;
	t->size = size;
	t->granularity = granularity;
	t->gran_shift = (unsigned)ffs64_index(granularity);
	t->align_base = align_base;
	t->spare = NIL;
	for (unsigned f = 0; f < AB_TLSF_FL_COUNT; f++)
		for (unsigned s = 0; s < AB_TLSF_SL_COUNT; s++)
			t->heads[f][s] = NIL;
	t->node_cap = 64;
	t->nodes = calloc(t->node_cap, sizeof(*t->nodes));
	if (!t->nodes)
		return -ENOMEM;
	uint32_t i = node_get(t);
	t->nodes[i].offset = 0;
	t->nodes[i].size = size;
	list_insert(t, i);
	return 0;
}

void ab_tlsf_fini(struct ab_tlsf *t)
{
	free(t->nodes);
	memset(t, 0, sizeof(*t));
}

/* Bytes to skip at the start of block i so that the address is aligned. */
static uint64_t align_pad(const struct ab_tlsf *t, uint32_t i, uint64_t align)
{
	uint64_t addr = t->align_base + t->nodes[i].offset;
	return (align - (addr & (align - 1))) & (align - 1);
}

/* Carves [pad, pad + size) out of free block i (already off its list):
 * the leading and trailing remainders go back as free blocks.  Their
 * outer neighbours are used (no two free neighbours), so no merge. */
static void carve(struct ab_tlsf *t, uint32_t i, uint64_t pad, uint64_t size)
{
	if (pad) {
		uint32_t l = node_get(t);
		struct ab_tlsf_block *b = &t->nodes[i], *lb = &t->nodes[l];
		lb->offset = b->offset;
		lb->size = pad;
		lb->phys_prev = b->phys_prev;
		lb->phys_next = i;
		if (b->phys_prev != NIL)
			t->nodes[b->phys_prev].phys_next = l;
		b->phys_prev = l;
		b->offset += pad;
		b->size -= pad;
		list_insert(t, l);
	}
	struct ab_tlsf_block *b = &t->nodes[i];
	if (b->size > size) {
		uint32_t r = node_get(t);
		b = &t->nodes[i];
		struct ab_tlsf_block *rb = &t->nodes[r];
		rb->offset = b->offset + size;
		rb->size = b->size - size;
		rb->phys_prev = i;
		rb->phys_next = b->phys_next;
		if (b->phys_next != NIL)
			t->nodes[b->phys_next].phys_prev = r;
		b->phys_next = r;
		b->size = size;
		list_insert(t, r);
	}
	b = &t->nodes[i];
	b->state = BLOCK_USED;
	t->used_bytes += b->size;
	t->used_blocks++;
}

int ab_tlsf_alloc(struct ab_tlsf *t, uint64_t size, uint64_t align,
		  uint64_t *handle, uint64_t *offset)
{
	if (!size || !align || (align & (align - 1)))
		return -EINVAL;
	if (size > t->size || align > t->size)
		return -ENOMEM;
	if (align < t->granularity)
		align = t->granularity;
	uint64_t units = to_units(t, size + t->granularity - 1);
	uint64_t bytes = units << t->gran_shift;
	unsigned steps = 0, fl, sl;
	uint32_t i = NIL;
	uint64_t pad = 0;

	/* First attempt: the class of the size itself.  Without an alignment
	 * above the granularity its head always fits; with one, it fits when
	 * the head happens to be aligned well enough (often: fresh arenas
	 * and blocks freed by same-aligned users). */
	if (mapping_search(units, &fl, &sl))
		i = find_suitable(t, fl, sl, &steps);
	if (i != NIL && align > t->granularity) {
		pad = align_pad(t, i, align);
		if (pad + bytes > t->nodes[i].size)
			i = NIL;
	}
	/* Second attempt: room for the worst-case padding, so any block of
	 * the class found fits after aligning (bounded, never a list walk). */
	if (i == NIL && align > t->granularity) {
		uint64_t padded = units + to_units(t, align) - 1;
		if (mapping_search(padded, &fl, &sl))
			i = find_suitable(t, fl, sl, &steps);
		if (i != NIL)
			pad = align_pad(t, i, align);
	}
	if (steps > t->max_search_steps)
		t->max_search_steps = steps;
	if (i == NIL)
		return -ENOMEM;
	/* Up to two fragments (lead pad, tail) may need nodes: reserve first
	 * so that failure leaves everything as it was. */
	if (reserve_nodes(t, 2) < 0)
		return -ENOMEM;
	list_remove(t, i);
	carve(t, i, pad, bytes);
	*offset = t->nodes[i].offset;
	*handle = ((uint64_t)t->nodes[i].gen << 32) | ((uint64_t)i + 1);
	return 0;
}

static int resolve(const struct ab_tlsf *t, uint64_t handle, uint32_t *index)
{
	uint64_t low = handle & 0xffffffffu;
	if (!low || low > t->node_top)
		return -ENOENT;
	uint32_t i = (uint32_t)(low - 1);
	const struct ab_tlsf_block *b = &t->nodes[i];
	if (b->state != BLOCK_USED || b->gen != (uint32_t)(handle >> 32))
		return -EALREADY;
	*index = i;
	return 0;
}

int ab_tlsf_lookup(const struct ab_tlsf *t, uint64_t handle, uint64_t *offset, uint64_t *size)
{
	uint32_t i;
	int r = resolve(t, handle, &i);
	if (r < 0)
		return r;
	*offset = t->nodes[i].offset;
	*size = t->nodes[i].size;
	return 0;
}

int ab_tlsf_free(struct ab_tlsf *t, uint64_t handle)
{
	uint32_t i;
	int r = resolve(t, handle, &i);
	if (r < 0)
		return r;
	struct ab_tlsf_block *b = &t->nodes[i];
	/* Every handle ever issued for this node carried the old value; skip
	 * 0 on wrap so that a zeroed handle never matches. */
	if (++b->gen == 0)
		b->gen = 1;
	t->used_bytes -= b->size;
	t->used_blocks--;
	uint32_t prev = b->phys_prev, next = b->phys_next;
	if (next != NIL && t->nodes[next].state == BLOCK_FREE) {
		list_remove(t, next);
		b = &t->nodes[i];
		b->size += t->nodes[next].size;
		b->phys_next = t->nodes[next].phys_next;
		if (b->phys_next != NIL)
			t->nodes[b->phys_next].phys_prev = i;
		node_put(t, next);
	}
	if (prev != NIL && t->nodes[prev].state == BLOCK_FREE) {
		list_remove(t, prev);
		struct ab_tlsf_block *p = &t->nodes[prev];
		b = &t->nodes[i];
		p->size += b->size;
		p->phys_next = b->phys_next;
		if (p->phys_next != NIL)
			t->nodes[p->phys_next].phys_prev = prev;
		node_put(t, i);
		i = prev;
	}
	list_insert(t, i);
	return 0;
}

bool ab_tlsf_is_empty(const struct ab_tlsf *t)
{
	return t->used_blocks == 0;
}

void ab_tlsf_get_stats(const struct ab_tlsf *t, struct ab_tlsf_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->size = t->size;
	out->free_bytes = t->free_bytes;
	out->used_bytes = t->used_bytes;
	out->free_blocks = t->free_blocks;
	out->used_blocks = t->used_blocks;
	out->max_search_steps = t->max_search_steps;
	if (!t->fl_bitmap)
		return;
	/* The largest free block is in the highest non-empty list; within
	 * that list sizes differ, so walk it (statistics, not the hot path). */
	unsigned fl = fls64_index(t->fl_bitmap);
	unsigned sl = 31u - (unsigned)__builtin_clz(t->sl_bitmap[fl]);
	for (uint32_t i = t->heads[fl][sl]; i != NIL; i = t->nodes[i].free_next)
		if (t->nodes[i].size > out->largest_free)
			out->largest_free = t->nodes[i].size;
}

#define CHECK(cond, ...)                                     \
	do {                                                  \
		if (!(cond)) {                                \
			if (why && cap)                       \
				snprintf(why, cap, __VA_ARGS__); \
			return -EFAULT;                       \
		}                                             \
	} while (0)

int ab_tlsf_check(const struct ab_tlsf *t, char *why, size_t cap)
{
	/* Find the block at offset 0: the one live node without a prev. */
	uint32_t first = NIL;
	for (uint32_t i = 0; i < t->node_top; i++)
		if (t->nodes[i].state != NODE_SPARE && t->nodes[i].phys_prev == NIL) {
			CHECK(first == NIL, "two blocks without a physical predecessor (%u, %u)", first, i);
			first = i;
		}
	CHECK(first != NIL, "no first block");
	uint64_t expect = 0, free_bytes = 0, used_bytes = 0;
	uint32_t free_blocks = 0, used_blocks = 0, prev = NIL;
	bool prev_free = false;
	for (uint32_t i = first; i != NIL; i = t->nodes[i].phys_next) {
		const struct ab_tlsf_block *b = &t->nodes[i];
		CHECK(b->state == BLOCK_FREE || b->state == BLOCK_USED, "block %u in the chain is a spare node", i);
		CHECK(b->offset == expect, "block %u at %llu, expected %llu", i,
		      (unsigned long long)b->offset, (unsigned long long)expect);
		CHECK(b->size && b->size % t->granularity == 0, "block %u has size %llu", i,
		      (unsigned long long)b->size);
		CHECK(b->phys_prev == prev, "block %u has a wrong back link", i);
		bool is_free = b->state == BLOCK_FREE;
		CHECK(!(is_free && prev_free), "free blocks %u and %u are adjacent (not coalesced)", prev, i);
		if (is_free) {
			free_bytes += b->size;
			free_blocks++;
			unsigned fl, sl;
			mapping_insert(to_units(t, b->size), &fl, &sl);
			bool found = false;
			for (uint32_t j = t->heads[fl][sl]; j != NIL; j = t->nodes[j].free_next)
				if (j == i)
					found = true;
			CHECK(found, "free block %u (size %llu) missing from list [%u][%u]", i,
			      (unsigned long long)b->size, fl, sl);
		} else {
			used_bytes += b->size;
			used_blocks++;
		}
		expect += b->size;
		prev_free = is_free;
		prev = i;
		CHECK(free_blocks + used_blocks <= t->node_top, "physical chain loops");
	}
	CHECK(expect == t->size, "blocks cover %llu of %llu bytes", (unsigned long long)expect,
	      (unsigned long long)t->size);
	CHECK(free_bytes == t->free_bytes && used_bytes == t->used_bytes,
	      "byte counters disagree (free %llu/%llu, used %llu/%llu)",
	      (unsigned long long)free_bytes, (unsigned long long)t->free_bytes,
	      (unsigned long long)used_bytes, (unsigned long long)t->used_bytes);
	CHECK(free_blocks == t->free_blocks && used_blocks == t->used_blocks, "block counters disagree");
	uint32_t listed = 0;
	for (unsigned fl = 0; fl < AB_TLSF_FL_COUNT; fl++) {
		CHECK(!!(t->fl_bitmap & (UINT64_C(1) << fl)) == !!t->sl_bitmap[fl],
		      "first-level bit %u disagrees with its second-level bitmap", fl);
		for (unsigned sl = 0; sl < AB_TLSF_SL_COUNT; sl++) {
			bool nonempty = t->heads[fl][sl] != NIL;
			CHECK(nonempty == !!(t->sl_bitmap[fl] & (1u << sl)), "bitmap bit [%u][%u] is wrong", fl, sl);
			for (uint32_t j = t->heads[fl][sl]; j != NIL; j = t->nodes[j].free_next) {
				CHECK(t->nodes[j].state == BLOCK_FREE, "used block %u on a free list", j);
				CHECK(++listed <= free_blocks, "free lists hold more entries than free blocks");
			}
		}
	}
	CHECK(listed == free_blocks, "free lists hold %u entries, %u free blocks", listed, free_blocks);
	return 0;
}
