/*
 * The command-submission ioctls (Linux 6.1 amdgpu_cs.c): AMDGPU_CS with
 * the parser's two passes over the chunks, WAIT_CS, WAIT_FENCES and
 * FENCE_TO_HANDLE.  A submission becomes a job on the ring its context
 * entity is bound to (exec/ring.c); its fence is the context's next
 * sequence number for that (ip, ring).
 */
#include "ctl.h"
#include "exec/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define AMDGPU_CS_GANG_SIZE 4              /* amdgpu_cs.h */
#define AMDGPU_BO_LIST_MAX_ENTRIES (128 * 1024) /* amdgpu_bo_list.c */
#define CS_PAGE_SIZE 4096u

struct cs_chunk {
	uint32_t chunk_id;
	uint32_t length_dw;
	void *kdata;
};

/* struct amdgpu_cs_parser, reduced to one job (gang size 1) */
struct cs_parser {
	struct vgpu_file *f;
	struct exec_ctx *ctx;
	struct cs_chunk *chunks;
	uint32_t nchunks;
	struct exec_entity *entity;
	struct exec_ring *ring;
	uint32_t ip, ring_idx;
	uint32_t num_ibs;
	bool has_uf;
	uint32_t uf_gid;
	uint64_t uf_offset;
	bool has_bo_list;
	uint32_t *bo_handles;
	uint32_t num_bo_handles;
	struct exec_fence **deps;
	uint32_t num_deps, cap_deps;
	/* p->post_deps: syncobjs that get the job's fence */
	bool has_post_deps;
	struct cs_post_dep { uint32_t handle; uint64_t point; } *post_deps;
	uint32_t num_post_deps;
};

static bool strict_bo_list(void)
{
	const char *s = getenv("AMDBARE_VGPU_STRICT_BO_LIST");
	return !(s && strcmp(s, "0") == 0);
}

static void parser_fini(struct cs_parser *p)
{
	for (uint32_t i = 0; i < p->nchunks; i++)
		free(p->chunks[i].kdata);
	free(p->chunks);
	free(p->bo_handles);
	free(p->post_deps);
	if (p->deps) {
		exec_lock();
		for (uint32_t i = 0; i < p->num_deps; i++)
			exec_fence_put(p->deps[i]);
		exec_unlock();
		free(p->deps);
	}
	if (p->ctx) {
		exec_lock();
		exec_ctx_put(p->ctx);
		exec_unlock();
	}
}

/* amdgpu_cs_job_idx: the entity of an IB; one entity per submission on
 * the vgpu (gang submission across entities is not built). */
static int cs_job_idx(struct cs_parser *p, const struct drm_amdgpu_cs_chunk_ib *ib)
{
	struct exec_entity *e;
	exec_lock();
	int r = exec_ctx_entity(p->ctx, ib->ip_type, ib->ip_instance, ib->ring, &e);
	struct exec_ring *ring = r ? NULL : exec_ring_pick(p->f->ctl->prof, ib->ip_type, ib->ring);
	if (ring && r == 0 && e->ring == NULL)
		e->ring = ring;
	exec_unlock();
	if (r)
		return r;
	/* "Abort if there is no run queue associated with this entity." */
	if (!ring)
		return -EINVAL;
	if (p->entity && p->entity != e) {
		vgpu_log("CS: gang submission (IBs for several entities) is not built in the vgpu -> EOPNOTSUPP");
		return -EOPNOTSUPP;
	}
	p->entity = e;
	p->ring = e->ring;
	p->ip = ib->ip_type;
	p->ring_idx = ib->ring;
	return 0;
}

/* amdgpu_cs_p1_user_fence */
static int p1_user_fence(struct cs_parser *p, const struct drm_amdgpu_cs_chunk_fence *data)
{
	uint64_t size;
	bool userptr;
	if (exec_handle_gid(p->f, data->handle, &p->uf_gid, &size, &userptr))
		return -EINVAL;
	p->has_uf = true;
	if (size != CS_PAGE_SIZE || data->offset > size - 8)
		return -EINVAL;
	if (userptr)
		return -EINVAL;
	p->uf_offset = data->offset;
	return 0;
}

/* amdgpu_bo_create_list_entry_array + amdgpu_bo_list_create */
static int p1_bo_handles(struct cs_parser *p, const struct drm_amdgpu_bo_list_in *in)
{
	const uint32_t info_size = sizeof(struct drm_amdgpu_bo_list_entry);
	if (in->bo_number > AMDGPU_BO_LIST_MAX_ENTRIES)
		return -EINVAL;
	struct drm_amdgpu_bo_list_entry *info = calloc(in->bo_number ? in->bo_number : 1,
						       sizeof(*info));
	if (!info)
		return -ENOMEM;
	int r = 0;
	if (in->bo_info_size == info_size) {
		if (vgpu_copy_from_user(info, in->bo_info_ptr, (size_t)in->bo_number * info_size))
			r = -EFAULT;
	} else {
		size_t bytes = in->bo_info_size < info_size ? in->bo_info_size : info_size;
		uint64_t uptr = in->bo_info_ptr;
		for (uint32_t i = 0; i < in->bo_number && !r; i++) {
			if (vgpu_copy_from_user(&info[i], uptr, bytes))
				r = -EFAULT;
			uptr += in->bo_info_size;
		}
	}
	if (!r) {
		p->bo_handles = malloc((in->bo_number ? in->bo_number : 1) * sizeof(uint32_t));
		if (!p->bo_handles)
			r = -ENOMEM;
	}
	for (uint32_t i = 0; i < in->bo_number && !r; i++) {
		uint32_t gid;
		if (exec_handle_gid(p->f, info[i].bo_handle, &gid, NULL, NULL))
			r = -ENOENT; /* drm_gem_object_lookup failed */
		else
			p->bo_handles[p->num_bo_handles++] = info[i].bo_handle;
	}
	free(info);
	if (!r)
		p->has_bo_list = true;
	return r;
}

/* amdgpu_cs_pass1: copy the chunks in and check them the first time */
static int cs_pass1(struct cs_parser *p, union drm_amdgpu_cs *cs)
{
	uint64_t *chunk_array = malloc((size_t)cs->in.num_chunks * sizeof(uint64_t));
	if (!chunk_array)
		return -ENOMEM;
	int ret = 0;
	if (vgpu_copy_from_user(chunk_array, cs->in.chunks,
				(size_t)cs->in.num_chunks * sizeof(uint64_t))) {
		ret = -EFAULT;
		goto out;
	}
	p->chunks = calloc(cs->in.num_chunks, sizeof(*p->chunks));
	if (!p->chunks) {
		ret = -ENOMEM;
		goto out;
	}
	p->nchunks = cs->in.num_chunks;
	for (uint32_t i = 0; i < p->nchunks; i++) {
		struct drm_amdgpu_cs_chunk uc;
		if (vgpu_copy_from_user(&uc, chunk_array[i], sizeof(uc))) {
			ret = -EFAULT;
			goto out;
		}
		struct cs_chunk *ch = &p->chunks[i];
		ch->chunk_id = uc.chunk_id;
		ch->length_dw = uc.length_dw;
		size_t size = (size_t)uc.length_dw * sizeof(uint32_t);
		ch->kdata = malloc(size ? size : 1);
		if (!ch->kdata) {
			ret = -ENOMEM;
			goto out;
		}
		if (vgpu_copy_from_user(ch->kdata, uc.chunk_data, size)) {
			ret = -EFAULT;
			goto out;
		}
		/* "Assume the worst on the following checks" */
		ret = -EINVAL;
		switch (ch->chunk_id) {
		case AMDGPU_CHUNK_ID_IB:
			if (size < sizeof(struct drm_amdgpu_cs_chunk_ib))
				goto out;
			ret = cs_job_idx(p, ch->kdata);
			if (ret)
				goto out;
			p->num_ibs++;
			break;
		case AMDGPU_CHUNK_ID_FENCE:
			if (size < sizeof(struct drm_amdgpu_cs_chunk_fence))
				goto out;
			/* "Only a single user fence is allowed" */
			if (p->has_uf)
				goto out;
			ret = p1_user_fence(p, ch->kdata);
			if (ret)
				goto out;
			break;
		case AMDGPU_CHUNK_ID_BO_HANDLES:
			if (size < sizeof(struct drm_amdgpu_bo_list_in))
				goto out;
			/* "Only a single BO list is allowed" */
			if (p->has_bo_list)
				goto out;
			ret = p1_bo_handles(p, ch->kdata);
			if (ret)
				goto out;
			break;
		case AMDGPU_CHUNK_ID_DEPENDENCIES:
		case AMDGPU_CHUNK_ID_SYNCOBJ_IN:
		case AMDGPU_CHUNK_ID_SYNCOBJ_OUT:
		case AMDGPU_CHUNK_ID_SCHEDULED_DEPENDENCIES:
		case AMDGPU_CHUNK_ID_SYNCOBJ_TIMELINE_WAIT:
		case AMDGPU_CHUNK_ID_SYNCOBJ_TIMELINE_SIGNAL:
			ret = 0;
			break;
		default:
			goto out;
		}
	}
	/* no IB at all: gang_size == 0 */
	if (!p->entity)
		ret = -EINVAL;
out:
	free(chunk_array);
	return ret;
}

static int add_dep(struct cs_parser *p, struct exec_fence *fe)
{
	if (p->num_deps == p->cap_deps) {
		uint32_t cap = p->cap_deps ? 2 * p->cap_deps : 8;
		struct exec_fence **n = realloc(p->deps, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		p->deps = n;
		p->cap_deps = cap;
	}
	p->deps[p->num_deps++] = fe;
	return 0;
}

/* amdgpu_cs_p2_dependencies */
static int p2_dependencies(struct cs_parser *p, const struct cs_chunk *ch)
{
	const struct drm_amdgpu_cs_chunk_dep *deps = ch->kdata;
	uint32_t n = ch->length_dw * 4 / sizeof(*deps);
	int r = 0;
	exec_lock();
	for (uint32_t i = 0; i < n && !r; i++) {
		struct exec_ctx *ctx = exec_ctx_lookup(p->f->ctl, deps[i].ctx_id);
		struct exec_entity *e;
		if (!ctx) {
			r = -EINVAL;
			break;
		}
		r = exec_ctx_entity(ctx, deps[i].ip_type, deps[i].ip_instance, deps[i].ring, &e);
		if (r)
			break;
		struct exec_fence *fe = exec_entity_fence(e, deps[i].handle, &r);
		if (r || !fe)
			continue;
		r = add_dep(p, fe);
		if (r)
			exec_fence_put(fe);
	}
	exec_unlock();
	return r;
}

/* amdgpu_syncobj_lookup_and_add: drm_syncobj_find_fence, then the job
 * waits for every fence it found (amdgpu_sync_fence). */
static int syncobj_lookup_and_add(struct cs_parser *p, uint32_t handle, uint64_t point,
				  uint64_t flags)
{
	struct sync_target t;
	int r = vgpu_syncobj_find_fence(p->f, handle, point, flags, &t);
	if (r) {
		vgpu_log("CS: syncobj %u failed to find fence @ %llu (%d)", handle,
			 (unsigned long long)point, r);
		return r;
	}
	exec_lock();
	for (uint32_t i = 0; i < t.n && !r; i++) {
		if (t.f[i]->signaled)
			continue;
		exec_fence_get(t.f[i]);
		r = add_dep(p, t.f[i]);
		if (r)
			exec_fence_put(t.f[i]);
	}
	sync_target_free(&t);
	exec_unlock();
	return r;
}

/* amdgpu_cs_p2_syncobj_in */
static int p2_syncobj_in(struct cs_parser *p, const struct cs_chunk *ch)
{
	const struct drm_amdgpu_cs_chunk_sem *deps = ch->kdata;
	uint32_t n = ch->length_dw * 4 / sizeof(*deps);
	for (uint32_t i = 0; i < n; i++) {
		int r = syncobj_lookup_and_add(p, deps[i].handle, 0, 0);
		if (r)
			return r;
	}
	return 0;
}

/* amdgpu_cs_p2_syncobj_timeline_wait */
static int p2_syncobj_timeline_wait(struct cs_parser *p, const struct cs_chunk *ch)
{
	const struct drm_amdgpu_cs_chunk_syncobj *deps = ch->kdata;
	uint32_t n = ch->length_dw * 4 / sizeof(*deps);
	for (uint32_t i = 0; i < n; i++) {
		int r = syncobj_lookup_and_add(p, deps[i].handle, deps[i].point, deps[i].flags);
		if (r)
			return r;
	}
	return 0;
}

static bool syncobj_exists(struct vgpu_ctl_file *c, uint32_t handle)
{
	for (size_t i = 0; i < c->num_syncobjs; i++)
		if (c->syncobjs[i].handle == handle)
			return true;
	return false;
}

/* amdgpu_cs_p2_syncobj_out (points 0) and
 * amdgpu_cs_p2_syncobj_timeline_signal: one such chunk per submission
 * ("if (p->post_deps) return -EINVAL"), every syncobj must exist
 * (drm_syncobj_find, -EINVAL). */
static int p2_post_deps(struct cs_parser *p, const struct cs_chunk *ch, bool timeline)
{
	size_t each = timeline ? sizeof(struct drm_amdgpu_cs_chunk_syncobj)
			       : sizeof(struct drm_amdgpu_cs_chunk_sem);
	uint32_t n = (uint32_t)(ch->length_dw * 4 / each);
	if (p->has_post_deps)
		return -EINVAL;
	p->has_post_deps = true;
	p->post_deps = calloc(n ? n : 1, sizeof(*p->post_deps));
	if (!p->post_deps)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct cs_post_dep d;
		if (timeline) {
			const struct drm_amdgpu_cs_chunk_syncobj *sd = ch->kdata;
			d = (struct cs_post_dep){ sd[i].handle, sd[i].point };
		} else {
			const struct drm_amdgpu_cs_chunk_sem *sd = ch->kdata;
			d = (struct cs_post_dep){ sd[i].handle, 0 };
		}
		if (!syncobj_exists(p->f->ctl, d.handle))
			return -EINVAL;
		p->post_deps[p->num_post_deps++] = d;
	}
	return 0;
}

/* amdgpu_cs_post_dependencies: after the job is pushed, each syncobj gets
 * its fence (drm_syncobj_add_point with a point, else
 * drm_syncobj_replace_fence). */
static void cs_post_dependencies(struct cs_parser *p, struct exec_fence *fence)
{
	/* -EINVAL: the syncobj was destroyed while a WAIT_FOR_SUBMIT lookup
	 * slept without the file lock; the kernel's reference keeps it for
	 * the fence, but no handle can reach it any more: nothing to do. */
	for (uint32_t i = 0; i < p->num_post_deps; i++)
		if (vgpu_syncobj_attach(p->f, p->post_deps[i].handle, p->post_deps[i].point,
					fence) == -ENOMEM)
			vgpu_log("CS: out of memory attaching the fence to syncobj %u",
				 p->post_deps[i].handle);
}

/* amdgpu_cs_pass2 */
static int cs_pass2(struct cs_parser *p, struct exec_ib *ibs)
{
	unsigned int ce_preempt = 0, de_preempt = 0, nib = 0;
	for (uint32_t i = 0; i < p->nchunks; i++) {
		const struct cs_chunk *ch = &p->chunks[i];
		int r = 0;
		switch (ch->chunk_id) {
		case AMDGPU_CHUNK_ID_IB: {
			/* amdgpu_cs_p2_ib */
			const struct drm_amdgpu_cs_chunk_ib *ib = ch->kdata;
			if (ib->ip_type == AMDGPU_HW_IP_GFX && (ib->flags & AMDGPU_IB_FLAG_PREEMPT)) {
				if (ib->flags & AMDGPU_IB_FLAG_CE)
					ce_preempt++;
				else
					de_preempt++;
				/* one preemptible IB max for CE and for DE */
				if (ce_preempt > 1 || de_preempt > 1)
					return -EINVAL;
			}
			ibs[nib].va = ib->va_start;
			ibs[nib].length_dw = ib->ib_bytes / 4;
			ibs[nib].flags = ib->flags;
			nib++;
			break;
		}
		case AMDGPU_CHUNK_ID_DEPENDENCIES:
		case AMDGPU_CHUNK_ID_SCHEDULED_DEPENDENCIES:
			r = p2_dependencies(p, ch);
			break;
		case AMDGPU_CHUNK_ID_SYNCOBJ_IN:
			r = p2_syncobj_in(p, ch);
			break;
		case AMDGPU_CHUNK_ID_SYNCOBJ_OUT:
			r = p2_post_deps(p, ch, false);
			break;
		case AMDGPU_CHUNK_ID_SYNCOBJ_TIMELINE_WAIT:
			r = p2_syncobj_timeline_wait(p, ch);
			break;
		case AMDGPU_CHUNK_ID_SYNCOBJ_TIMELINE_SIGNAL:
			r = p2_post_deps(p, ch, true);
			break;
		}
		if (r)
			return r;
	}
	return 0;
}

/* amdgpu_cs_parser_bos: the list comes from the BO_HANDLES chunk or the
 * bo_list_handle, never both; none means an empty list. */
static int cs_parser_bos(struct cs_parser *p, const union drm_amdgpu_cs *cs)
{
	if (!cs->in.bo_list_handle)
		return 0;
	if (p->has_bo_list)
		return -EINVAL;
	struct vgpu_ctl_file *c = p->f->ctl;
	for (size_t i = 0; i < c->num_bo_lists; i++) {
		if (c->bo_lists[i].handle != cs->in.bo_list_handle)
			continue;
		uint32_t n = c->bo_lists[i].num_entries;
		p->bo_handles = malloc((n ? n : 1) * sizeof(uint32_t));
		if (!p->bo_handles)
			return -ENOMEM;
		memcpy(p->bo_handles, c->bo_lists[i].bo_handles, n * sizeof(uint32_t));
		p->num_bo_handles = n;
		p->has_bo_list = true;
		return 0;
	}
	return -ENOENT; /* amdgpu_bo_list_get */
}

/* amdgpu_cs_ioctl */
int vgpu_amdgpu_cs(struct vgpu_file *f, void *data)
{
	union drm_amdgpu_cs *cs = data;
	struct cs_parser p;
	memset(&p, 0, sizeof(p));
	p.f = f;

	/* amdgpu_cs_parser_init */
	if (cs->in.num_chunks == 0)
		return -EINVAL;
	exec_lock();
	p.ctx = exec_ctx_lookup(f->ctl, cs->in.ctx_id);
	int r = 0;
	if (!p.ctx)
		r = -EINVAL;
	else if (p.ctx->guilty)
		r = -ECANCELED;
	else
		p.ctx->refs++;
	exec_unlock();
	if (r) {
		p.ctx = NULL;
		return r;
	}

	struct exec_job *job = NULL;
	struct exec_ib *ibs = NULL;
	r = cs_pass1(&p, cs);
	if (r)
		goto out;
	ibs = calloc(p.num_ibs, sizeof(*ibs));
	if (!ibs) {
		r = -ENOMEM;
		goto out;
	}
	r = cs_pass2(&p, ibs);
	if (r)
		goto out;
	r = cs_parser_bos(&p, cs);
	if (r)
		goto out;

	job = calloc(1, sizeof(*job));
	if (!job) {
		r = -ENOMEM;
		goto out;
	}
	job->file = f;
	job->ip = p.ip;
	job->ring_idx = p.ring_idx;
	job->ibs = ibs;
	ibs = NULL;
	job->num_ibs = p.num_ibs;
	job->strict = strict_bo_list();
	job->has_user_fence = p.has_uf;
	job->uf_gid = p.uf_gid;
	job->uf_offset = p.uf_offset;
	job->bo_gids = malloc((p.num_bo_handles ? p.num_bo_handles : 1) * sizeof(uint32_t));
	if (!job->bo_gids) {
		r = -ENOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < p.num_bo_handles; i++)
		if (exec_handle_gid(f, p.bo_handles[i], &job->bo_gids[job->num_bos], NULL, NULL) == 0)
			job->num_bos++;
	/* amdgpu_cs_parser_bos: validation into the on-chip ranges, then
	 * amdgpu_job_set_resources (drm/gds.c) */
	r = vgpu_cs_on_chip_bos(f, p.bo_handles, p.num_bo_handles, job);
	if (r)
		goto out;
	job->deps = p.deps;
	job->num_deps = p.num_deps;
	p.deps = NULL;
	p.num_deps = 0;

	/* amdgpu_cs_submit: the entity's next seq; amdgpu_ctx_wait_prev_fence
	 * first waits until the fence that slot held has signaled. */
	exec_lock();
	struct exec_entity *e = p.entity;
	struct exec_fence **slot = &e->fences[e->sequence & (EXEC_SCHED_JOBS - 1)];
	if (*slot)
		exec_fence_wait(*slot, UINT64_MAX);
	job->fence = exec_fence_new(e->sequence);
	if (!job->fence) {
		exec_unlock();
		r = -ENOMEM;
		goto out;
	}
	exec_fence_put(*slot);
	exec_fence_get(job->fence);
	*slot = job->fence;
	cs->out.handle = e->sequence++;
	job->ctx = p.ctx;
	p.ctx->refs++;
	/* amdgpu_cs_submit -> amdgpu_cs_post_dependencies/ttm_eu_fence_buffer_objects */
	exec_bo_mark_busy(job->bo_gids, job->num_bos, job->fence);
	struct exec_fence *fence = job->fence;
	exec_fence_get(fence);
	r = exec_ring_push(p.ring, job);
	if (r) {
		/* the fence was published: complete it with the error */
		exec_fence_signal(job->fence, r);
		exec_job_free(job);
		exec_fence_put(fence);
		exec_unlock();
		job = NULL;
		goto out;
	}
	exec_unlock();
	job = NULL;
	cs_post_dependencies(&p, fence);
	exec_lock();
	exec_fence_put(fence);
	exec_unlock();
out:
	if (job) {
		exec_lock();
		exec_job_free(job);
		exec_unlock();
	}
	free(ibs);
	parser_fini(&p);
	return r;
}

/* amdgpu_cs_get_fence */
static int cs_get_fence(struct vgpu_file *f, const struct drm_amdgpu_fence *user,
			struct exec_fence **out)
{
	int r;
	struct exec_entity *e;
	*out = NULL;
	struct exec_ctx *ctx = exec_ctx_lookup(f->ctl, user->ctx_id);
	if (!ctx)
		return -EINVAL;
	r = exec_ctx_entity(ctx, user->ip_type, user->ip_instance, user->ring, &e);
	if (r)
		return r;
	*out = exec_entity_fence(e, user->seq_no, &r);
	return r;
}

/* amdgpu_cs_wait_ioctl */
int vgpu_amdgpu_wait_cs(struct vgpu_file *f, void *data)
{
	union drm_amdgpu_wait_cs *wait = data;
	uint64_t abs = exec_timeout_abs(wait->in.timeout);
	struct drm_amdgpu_fence user = {
		.ctx_id = wait->in.ctx_id, .ip_type = wait->in.ip_type,
		.ip_instance = wait->in.ip_instance, .ring = wait->in.ring,
		.seq_no = wait->in.handle,
	};
	struct exec_fence *fe;
	long r;
	exec_lock();
	r = cs_get_fence(f, &user, &fe);
	if (r == 0) {
		if (fe) {
			r = exec_fence_wait(fe, abs);
			if (r > 0 && fe->error)
				r = fe->error;
			exec_fence_put(fe);
		} else {
			r = 1;
		}
	}
	exec_unlock();
	if (r < 0)
		return (int)r;
	memset(wait, 0, sizeof(*wait));
	wait->out.status = (r == 0);
	return 0;
}

/* amdgpu_cs_wait_fences_ioctl (all / any) */
int vgpu_amdgpu_wait_fences(struct vgpu_file *f, void *data)
{
	union drm_amdgpu_wait_fences *wait = data;
	uint32_t count = wait->in.fence_count;
	struct drm_amdgpu_fence *fences = calloc(count ? count : 1, sizeof(*fences));
	if (!fences)
		return -ENOMEM;
	if (vgpu_copy_from_user(fences, wait->in.fences, (size_t)count * sizeof(*fences))) {
		free(fences);
		return -EFAULT;
	}
	uint64_t abs = exec_timeout_abs(wait->in.timeout_ns);
	long r = 1;
	uint32_t first = ~0u;
	int ferr = 0;
	exec_lock();
	if (wait->in.wait_all) {
		/* amdgpu_cs_wait_all_fences */
		for (uint32_t i = 0; i < count; i++) {
			struct exec_fence *fe;
			int e = cs_get_fence(f, &fences[i], &fe);
			if (e) {
				r = e;
				break;
			}
			if (!fe)
				continue;
			r = exec_fence_wait(fe, abs);
			if (r > 0 && fe->error)
				r = fe->error;
			exec_fence_put(fe);
			if (r <= 0)
				break;
		}
	} else {
		/* amdgpu_cs_wait_any_fence */
		struct exec_fence **array = calloc(count ? count : 1, sizeof(*array));
		if (!array) {
			r = -ENOMEM;
			goto unlock;
		}
		for (uint32_t i = 0; i < count && r > 0 && first == ~0u; i++) {
			int e = cs_get_fence(f, &fences[i], &array[i]);
			if (e)
				r = e;
			else if (!array[i])
				first = i; /* already signaled and forgotten */
		}
		if (r > 0 && first == ~0u) {
			if (count == 0) {
				r = -EINVAL; /* dma_fence_wait_any_timeout WARN_ON(!count) */
			} else {
				for (;;) {
					for (uint32_t i = 0; i < count && first == ~0u; i++)
						if (array[i]->signaled)
							first = i;
					if (first != ~0u)
						break;
					if (!exec_cond_wait(abs)) {
						r = 0;
						break;
					}
				}
			}
		}
		if (r >= 0 && first < count && array[first])
			ferr = array[first]->error;
		for (uint32_t i = 0; i < count; i++)
			exec_fence_put(array[i]);
		free(array);
		if (r >= 0) {
			memset(wait, 0, sizeof(*wait));
			wait->out.status = (r > 0);
			wait->out.first_signaled = first;
			r = ferr;
			goto unlock;
		}
	}
	if (r >= 0 && wait->in.wait_all) {
		memset(wait, 0, sizeof(*wait));
		wait->out.status = (r > 0);
		r = 0;
	}
unlock:
	exec_unlock();
	free(fences);
	return (int)r;
}

/* amdgpu_cs_fence_to_handle_ioctl */
int vgpu_amdgpu_fence_to_handle(struct vgpu_file *f, void *data)
{
	union drm_amdgpu_fence_to_handle *info = data;
	struct exec_fence *fe;
	exec_lock();
	int r = cs_get_fence(f, &info->in.fence, &fe);
	exec_unlock();
	if (r)
		return r;
	switch (info->in.what) {
	case AMDGPU_FENCE_TO_HANDLE_GET_SYNCOBJ:
		/* drm_syncobj_create with the fence, or an already-signalled fence when it is
		 * too old to be kept (amdgpu_cs_get_fence gave NULL) */
		r = vgpu_syncobj_create_with(f, fe, &info->out.handle);
		break;
	case AMDGPU_FENCE_TO_HANDLE_GET_SYNC_FILE_FD: {
		/* sync_file_create(fence) + fd_install */
		int fd = -1;
		r = vgpu_sync_file_export_fence(fe, &fd);
		if (!r)
			info->out.handle = (uint32_t)fd;
		break;
	}
	case AMDGPU_FENCE_TO_HANDLE_GET_SYNCOBJ_FD:
		vgpu_log("FENCE_TO_HANDLE: opaque syncobj fds are not built in the vgpu -> EOPNOTSUPP");
		r = -EOPNOTSUPP;
		break;
	default:
		r = -EINVAL;
		break;
	}
	exec_lock();
	exec_fence_put(fe);
	exec_unlock();
	return r;
}
