/*
 * The pure TLSF core of the sub-allocator: hands out ranges of offsets in
 * [0, size) with O(1) allocate and free, knowing nothing about GEM, domains
 * or devices.
 *
 * Why the metadata lives here and not in the managed memory: the range may
 * be CPU-invisible VRAM (or not mapped at all), so block headers cannot be
 * stored in-band as classic TLSF does.  Blocks are nodes of a growable
 * array addressed by index; a handle is (generation << 32 | index + 1), so
 * a stale handle (double free) or a made-up one is detected by a bounds
 * check and a generation compare, never by dereferencing a bad pointer.
 *
 * Not thread-safe: the arena layer serialises calls.
 */
#ifndef AB_ALLOC_TLSF_H
#define AB_ALLOC_TLSF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Second-level subdivision: 2^5 = 32 lists per power of two, so a block
 * found by the rounded-up search wastes at most 1/32 (~3 %) of the request
 * to class rounding. */
#define AB_TLSF_SL_LOG2 5
#define AB_TLSF_SL_COUNT (1u << AB_TLSF_SL_LOG2)
#define AB_TLSF_FL_COUNT 64

/* Search cost bound: one first-level and at most two second-level bitmap
 * scans per attempt, and at most two attempts (plain, then padded for
 * alignment).  Tests assert the recorded maximum never exceeds this. */
#define AB_TLSF_MAX_SEARCH_STEPS 4

struct ab_tlsf_block;

struct ab_tlsf {
	uint64_t size;          /* bytes managed, a multiple of granularity */
	uint64_t granularity;   /* power of two: every offset/size is a multiple */
	unsigned gran_shift;
	uint64_t align_base;    /* alignment is computed for align_base + offset */
	uint64_t fl_bitmap;
	uint32_t sl_bitmap[AB_TLSF_FL_COUNT];
	uint32_t heads[AB_TLSF_FL_COUNT][AB_TLSF_SL_COUNT]; /* node index, or NIL */
	struct ab_tlsf_block *nodes;
	uint32_t node_cap;      /* allocated entries of nodes[] */
	uint32_t node_top;      /* entries ever used (high-water mark) */
	uint32_t spare;         /* list of released nodes, through free_next */
	uint64_t free_bytes, used_bytes;
	uint32_t free_blocks, used_blocks;
	unsigned max_search_steps; /* largest search cost seen by an allocate */
};

struct ab_tlsf_stats {
	uint64_t size, free_bytes, used_bytes, largest_free;
	uint32_t free_blocks, used_blocks;
	unsigned max_search_steps;
};

/* size: a non-zero multiple of granularity; granularity: a power of two;
 * align_base: a multiple of granularity (the address that offset 0 stands
 * for, so alignment holds for the real address).  -EINVAL / -ENOMEM. */
int ab_tlsf_init(struct ab_tlsf *t, uint64_t size, uint64_t granularity, uint64_t align_base);
void ab_tlsf_fini(struct ab_tlsf *t);

/* Allocates size bytes (rounded up to granularity) whose address
 * (align_base + offset) is a multiple of align (a power of two; values
 * below the granularity mean the granularity).
 * -EINVAL: size 0 or align not a power of two; -ENOMEM: no free block
 * fits (or the metadata array could not grow). */
int ab_tlsf_alloc(struct ab_tlsf *t, uint64_t size, uint64_t align,
		  uint64_t *handle, uint64_t *offset);

/* Frees the block of handle, coalescing with free neighbours.
 * -ENOENT: the handle was never issued by this instance (out of range, or
 * zero); -EALREADY: it was, but is no longer live (double free). */
int ab_tlsf_free(struct ab_tlsf *t, uint64_t handle);

/* The block of a live handle: offset and (rounded) size.  Errors as free. */
int ab_tlsf_lookup(const struct ab_tlsf *t, uint64_t handle, uint64_t *offset, uint64_t *size);

bool ab_tlsf_is_empty(const struct ab_tlsf *t);
void ab_tlsf_get_stats(const struct ab_tlsf *t, struct ab_tlsf_stats *out);

/* Walks every block and list and checks all invariants (blocks tile the
 * range, no two free neighbours, every free block in the right list,
 * bitmaps and counters agree).  0, or -EFAULT with the first violation
 * described in why. */
int ab_tlsf_check(const struct ab_tlsf *t, char *why, size_t cap);

#endif
