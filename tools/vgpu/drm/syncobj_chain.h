/*
 * What a DRM syncobj holds (Linux 6.1 drm_syncobj.c, dma-fence-chain.c),
 * on top of the execution side's fences: a plain fence, or a timeline of
 * points (a dma_fence_chain: each point contains a fence and signals when
 * it and every earlier point have signaled).
 *
 * A "fence" here is a struct sync_target: the set of exec_fences that must
 * all signal.  That covers a job's fence (one), an already-signalled
 * fence (none: the kernel's dma_fence_get_stub) and a chain node taken
 * from a timeline (its own fence and all earlier ones), so a syncobj can be handed whatever drm_syncobj_find_fence found.
 *
 * Every function needs exec_lock held (fence refcounts and states).
 */
#ifndef VGPU_SYNCOBJ_CHAIN_H
#define VGPU_SYNCOBJ_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct exec_fence;

/* A fence as a set of exec_fences that must all signal; empty = an
 * already-signalled fence (the kernel's dma_fence_get_stub). */
struct sync_target {
	struct exec_fence **f;
	uint32_t n;
};

/* struct dma_fence_chain */
struct sync_node {
	uint64_t seqno;        /* the point */
	uint64_t prev_seqno;   /* the previous node's point in the same context, else 0 */
	uint64_t context;      /* a new one for a point not above the previous */
	struct sync_target fence;
};

/* syncobj->fence: the newest chain node if there is a chain, else `base`
 * (a plain fence, or none). */
struct sync_payload {
	bool has_base;
	struct sync_target base;    /* the fence the first chain node was put on */
	struct sync_node *nodes;    /* oldest first */
	size_t n, cap;
};

/* A target of one fence (a job's); adds a reference. */
int sync_target_of(struct exec_fence *fe, struct sync_target *out);
/* A copy with its own references. */
int sync_target_dup(const struct sync_target *t, struct sync_target *out);
/* Adds every fence of `from` to `to` (references taken). */
int sync_target_merge(struct sync_target *to, const struct sync_target *from);
/* dma_fence_is_signaled: every fence signaled. */
bool sync_target_signaled(const struct sync_target *t);
void sync_target_free(struct sync_target *t);

/* drm_syncobj_fence_get != NULL */
bool sync_payload_has_fence(const struct sync_payload *p);
/* drm_syncobj_replace_fence (t NULL: no fence, as SYNCOBJ_RESET) */
int sync_payload_replace(struct sync_payload *p, const struct sync_target *t);
/* drm_syncobj_add_point + dma_fence_chain_init */
int sync_payload_add_point(struct sync_payload *p, const struct sync_target *t, uint64_t point);
/* drm_syncobj_fence_get + dma_fence_chain_find_seqno: the fence to wait
 * for to see `point` (0: the syncobj's fence); -EINVAL if there is no
 * fence or the timeline has not reached the point yet. */
int sync_payload_find(const struct sync_payload *p, uint64_t point, struct sync_target *out);
/* drm_syncobj_query_ioctl's per-syncobj value */
uint64_t sync_payload_query(const struct sync_payload *p, bool last_submitted);
void sync_payload_clear(struct sync_payload *p);

#endif
