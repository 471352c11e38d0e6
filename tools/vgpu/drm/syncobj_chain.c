/*
 * Syncobj payloads: plain fences and timelines (Linux 6.1 drm_syncobj.c
 * drm_syncobj_replace_fence / drm_syncobj_add_point / query, and
 * dma-fence-chain.c dma_fence_chain_init / _walk / _find_seqno /
 * _signaled), see drm/syncobj_chain.h.  exec_lock is held by every caller.
 */
#include "syncobj_chain.h"

#include "exec/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* dma_fence_context_alloc, for chain nodes */
static uint64_t next_context = 1;

int sync_target_of(struct exec_fence *fe, struct sync_target *out)
{
	out->f = malloc(sizeof(*out->f));
	if (!out->f)
		return -ENOMEM;
	exec_fence_get(fe);
	out->f[0] = fe;
	out->n = 1;
	return 0;
}

int sync_target_merge(struct sync_target *to, const struct sync_target *from)
{
	if (!from->n)
		return 0;
	struct exec_fence **f = realloc(to->f, (to->n + from->n) * sizeof(*f));
	if (!f)
		return -ENOMEM;
	to->f = f;
	for (uint32_t i = 0; i < from->n; i++) {
		exec_fence_get(from->f[i]);
		to->f[to->n++] = from->f[i];
	}
	return 0;
}

int sync_target_dup(const struct sync_target *t, struct sync_target *out)
{
	*out = (struct sync_target){ 0 };
	return sync_target_merge(out, t);
}

bool sync_target_signaled(const struct sync_target *t)
{
	for (uint32_t i = 0; i < t->n; i++)
		if (!t->f[i]->signaled)
			return false;
	return true;
}

void sync_target_free(struct sync_target *t)
{
	for (uint32_t i = 0; i < t->n; i++)
		exec_fence_put(t->f[i]);
	free(t->f);
	*t = (struct sync_target){ 0 };
}

bool sync_payload_has_fence(const struct sync_payload *p)
{
	return p->n > 0 || p->has_base;
}

void sync_payload_clear(struct sync_payload *p)
{
	for (size_t i = 0; i < p->n; i++)
		sync_target_free(&p->nodes[i].fence);
	free(p->nodes);
	sync_target_free(&p->base);
	*p = (struct sync_payload){ 0 };
}

int sync_payload_replace(struct sync_payload *p, const struct sync_target *t)
{
	struct sync_target copy = { 0 };
	if (t && sync_target_dup(t, &copy))
		return -ENOMEM;
	sync_payload_clear(p);
	p->has_base = t != NULL;
	p->base = copy;
	return 0;
}

/* dma_fence_chain_signaled for node k: its fence and every earlier one,
 * down to the plain fence under the chain. */
static bool node_signaled(const struct sync_payload *p, size_t k)
{
	if (p->has_base && !sync_target_signaled(&p->base))
		return false;
	for (size_t i = 0; i <= k; i++)
		if (!sync_target_signaled(&p->nodes[i].fence))
			return false;
	return true;
}

/* dma_fence_chain_walk from node k: the next older node whose own fence
 * has not signaled (the kernel unlinks signaled ones as it walks), -1 for
 * the plain fence under the chain when it has not signaled, -2 when
 * nothing unsignaled is left. */
static long walk(const struct sync_payload *p, size_t k)
{
	for (long j = (long)k - 1; j >= 0; j--)
		if (!sync_target_signaled(&p->nodes[j].fence))
			return j;
	return p->has_base && !sync_target_signaled(&p->base) ? -1 : -2;
}

/* The fence of node k as a waiter sees it: every fence up to it. */
static int node_target(const struct sync_payload *p, size_t k, struct sync_target *out)
{
	*out = (struct sync_target){ 0 };
	int r = p->has_base ? sync_target_merge(out, &p->base) : 0;
	for (size_t i = 0; i <= k && !r; i++)
		r = sync_target_merge(out, &p->nodes[i].fence);
	if (r)
		sync_target_free(out);
	return r;
}

/* Drops the oldest nodes once they and the fence under them signaled:
 * what dma_fence_chain_walk's garbage collection does, so a timeline
 * signaled again and again stays small.  walk() skips them anyway, and
 * the next node keeps their point as prev_seqno. */
static void collect(struct sync_payload *p)
{
	while (p->n >= 2 && (!p->has_base || sync_target_signaled(&p->base)) &&
	       sync_target_signaled(&p->nodes[0].fence)) {
		sync_target_free(&p->base);
		p->has_base = false;
		sync_target_free(&p->nodes[0].fence);
		memmove(&p->nodes[0], &p->nodes[1], (p->n - 1) * sizeof(p->nodes[0]));
		p->n--;
	}
}

int sync_payload_add_point(struct sync_payload *p, const struct sync_target *t, uint64_t point)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 4;
		struct sync_node *n = realloc(p->nodes, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		p->nodes = n;
		p->cap = cap;
	}
	struct sync_node node = { .seqno = point };
	if (sync_target_dup(t, &node.fence))
		return -ENOMEM;
	const struct sync_node *prev = p->n ? &p->nodes[p->n - 1] : NULL;
	/* dma_fence_chain_init: "Try to reuse the context of the previous
	 * chain node"; an unordered point gets a new context and at least the
	 * previous seqno ("You are adding an unorder point to timeline",
	 * drm_syncobj_add_point). */
	if (prev && point > prev->seqno) {
		node.context = prev->context;
		node.prev_seqno = prev->seqno;
	} else {
		node.context = next_context++;
		if (prev && prev->seqno > node.seqno)
			node.seqno = prev->seqno;
	}
	p->nodes[p->n++] = node;
	collect(p);
	return 0;
}

int sync_payload_find(const struct sync_payload *p, uint64_t point, struct sync_target *out)
{
	*out = (struct sync_target){ 0 };
	if (!sync_payload_has_fence(p))
		return -EINVAL;
	if (point == 0) {
		/* the syncobj's fence itself */
		if (p->n)
			return node_target(p, p->n - 1, out);
		return sync_target_dup(&p->base, out);
	}
	/* dma_fence_chain_find_seqno */
	if (!p->n || p->nodes[p->n - 1].seqno < point)
		return -EINVAL;
	const struct sync_node *newest = &p->nodes[p->n - 1];
	long k = (long)p->n - 1;
	for (;;) {
		if (p->nodes[k].context != newest->context || p->nodes[k].prev_seqno < point)
			return node_target(p, (size_t)k, out);
		k = walk(p, (size_t)k);
		if (k == -1)
			return sync_target_dup(&p->base, out); /* a plain fence: another context */
		if (k == -2)
			return 0;   /* all passed: an already-signalled fence (dma_fence_get_stub) */
	}
}

uint64_t sync_payload_query(const struct sync_payload *p, bool last_submitted)
{
	if (!p->n)
		return 0;   /* not a chain */
	const struct sync_node *newest = &p->nodes[p->n - 1];
	if (last_submitted)
		return newest->seqno;
	/* dma_fence_chain_for_each down the same context: the oldest node
	 * reached; its point if it signaled, else the point before it. */
	size_t last = p->n - 1;
	for (long k = walk(p, last); k >= 0; k = walk(p, (size_t)k)) {
		if (p->nodes[k].context != newest->context)
			break;
		last = (size_t)k;
	}
	return node_signaled(p, last) ? p->nodes[last].seqno : p->nodes[last].prev_seqno;
}
