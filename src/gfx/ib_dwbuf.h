/*
 * A growable stream of dwords: what the PM4 and SDMA builders write into.
 * A command buffer backs it with a CPU-mapped GTT buffer; unit tests back
 * it with a plain array.  Builders reserve a whole packet at once (growth
 * may move the storage) and fill it; the first error is kept ("sticky"),
 * so a run of emits is checked once.
 */
#ifndef AB_IB_DWBUF_H
#define AB_IB_DWBUF_H

#include <errno.h>
#include <stdint.h>

struct ab_dwbuf {
	uint32_t *dw;
	uint32_t len, cap;   /* in dwords */
	int err;             /* first error (negative errno), sticky */
	/* Makes room for `need` dwords in total; 0 or -errno (with message).
	 * NULL: fixed storage, overflowing is -ENOSPC. */
	int (*grow)(struct ab_dwbuf *b, uint32_t need);
};

static inline void ab_dwbuf_init_fixed(struct ab_dwbuf *b, uint32_t *storage, uint32_t cap)
{
	b->dw = storage;
	b->len = 0;
	b->cap = cap;
	b->err = 0;
	b->grow = 0;
}

/* Reserves n dwords at the end; NULL (and b->err set) on failure. */
static inline uint32_t *ab_dw_reserve(struct ab_dwbuf *b, uint32_t n)
{
	if (b->err)
		return 0;
	if (n > b->cap - b->len) {
		int r = (b->grow && n <= UINT32_MAX - b->len) ? b->grow(b, b->len + n) : -ENOSPC;
		if (r < 0) {
			b->err = r;
			return 0;
		}
	}
	uint32_t *p = b->dw + b->len;
	b->len += n;
	return p;
}

#endif
