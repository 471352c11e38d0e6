/*
 * amdgpu contexts (Linux 6.1 amdgpu_ctx.c: amdgpu_ctx_ioctl), the VM ioctl
 * (amdgpu_vm.c: amdgpu_vm_ioctl), the scheduler-priority ioctl
 * (amdgpu_sched.c).  The command-submission ioctls live in drm/cs.c; a
 * context's execution state (reset counter, guilty flag, fences) lives on
 * the execution side (exec/fence.c), created and freed from here.
 */
#include "ctl.h"
#include "exec/exec.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>

#include <drm.h>
#include <amdgpu_drm.h>

#define AMDGPU_VM_MAX_NUM_CTX 4096        /* amdgpu.h */
#define AMDGPU_VM_MAX_RESERVED_VMID 1     /* amdgpu_vm.h */

/* Device-global power state behind the stable-pstate ops
 * (adev->pm.stable_pstate_ctx and the forced DPM level). */
static uint32_t dpm_level = AMDGPU_CTX_STABLE_PSTATE_NONE;
static struct vgpu_ctl_file *pstate_owner_file;
static uint32_t pstate_owner_ctx;
static uint32_t pstate_owner_saved;
/* id_mgr->reserved_vmid_num of the GFX hub */
static int reserved_vmid_num;

/* amdgpu_ctx_priority_is_valid */
static bool priority_is_valid(int32_t prio)
{
	switch (prio) {
	case AMDGPU_CTX_PRIORITY_VERY_LOW:
	case AMDGPU_CTX_PRIORITY_LOW:
	case AMDGPU_CTX_PRIORITY_NORMAL:
	case AMDGPU_CTX_PRIORITY_HIGH:
	case AMDGPU_CTX_PRIORITY_VERY_HIGH:
		return true;
	default:
		return false;
	}
}

/* amdgpu_ctx_priority_permit */
static int priority_permit(struct vgpu_file *f, int32_t prio)
{
	if (!priority_is_valid(prio))
		return -EINVAL;
	if (prio <= AMDGPU_CTX_PRIORITY_NORMAL)
		return 0;
	if (vgpu_capable(CAP_SYS_NICE))
		return 0;
	if (vgpu_file_is_current_master(f))
		return 0;
	return -EACCES;
}

static struct vgpu_ctx *ctx_find(struct vgpu_ctl_file *c, uint32_t id)
{
	for (size_t i = 0; i < c->num_ctxs; i++)
		if (c->ctxs[i].id == id)
			return &c->ctxs[i];
	return NULL;
}

/* amdgpu_ctx_alloc: the id is taken first (idr_alloc in [1, 4096)), then
 * amdgpu_ctx_init checks the priority and gives the id back on failure. */
static int ctx_alloc(struct vgpu_file *f, int32_t priority, uint32_t *id)
{
	struct vgpu_ctl_file *c = f->ctl;
	uint32_t nid = vgpu_lowest_free_id(c->ctxs, c->num_ctxs,
					   sizeof(struct vgpu_ctx), 1);
	if (!nid || nid >= AMDGPU_VM_MAX_NUM_CTX)
		return -ENOSPC;
	int r = priority_permit(f, priority);
	if (r) {
		*id = 0;
		return r;
	}
	if (c->num_ctxs == c->cap_ctxs) {
		size_t cap = c->cap_ctxs ? 2 * c->cap_ctxs : 8;
		struct vgpu_ctx *n = realloc(c->ctxs, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		c->ctxs = n;
		c->cap_ctxs = cap;
	}
	struct vgpu_ctx *ctx = &c->ctxs[c->num_ctxs++];
	memset(ctx, 0, sizeof(*ctx));
	ctx->id = nid;
	ctx->priority = priority;
	ctx->stable_pstate = AMDGPU_CTX_STABLE_PSTATE_NONE;
	*id = nid;
	return 0;
}

/* amdgpu_ctx_fini: a context owning the stable pstate gives it back. */
static void ctx_release(struct vgpu_ctl_file *c, struct vgpu_ctx *ctx)
{
	vgpu_state_lock();
	if (pstate_owner_file == c && pstate_owner_ctx == ctx->id) {
		dpm_level = pstate_owner_saved;
		pstate_owner_file = NULL;
		pstate_owner_ctx = 0;
	}
	vgpu_state_unlock();
}

/* __amdgpu_ctx_set_stable_pstate */
static int set_stable_pstate(struct vgpu_ctl_file *c, struct vgpu_ctx *ctx,
			     uint32_t pstate)
{
	int r = 0;
	vgpu_state_lock();
	if (pstate_owner_file && (pstate_owner_file != c || pstate_owner_ctx != ctx->id)) {
		r = -EBUSY;
	} else if (dpm_level != pstate) {
		uint32_t before = dpm_level;
		dpm_level = pstate; /* amdgpu_dpm_force_performance_level */
		if (!pstate_owner_file) {
			pstate_owner_file = c;
			pstate_owner_ctx = ctx->id;
			pstate_owner_saved = before;
		}
		ctx->stable_pstate = pstate;
	}
	vgpu_state_unlock();
	return r;
}

/* amdgpu_ctx_ioctl */
int vgpu_amdgpu_ctx(struct vgpu_file *f, void *data)
{
	union drm_amdgpu_ctx *args = data;
	struct vgpu_ctl_file *c = f->ctl;
	uint32_t id = args->in.ctx_id;
	int32_t priority = args->in.priority;
	struct vgpu_ctx *ctx;
	int r;

	/* "For backwards compatibility reasons, we need to accept ioctls with
	 * garbage in the priority field": an invalid one means NORMAL. */
	if (!priority_is_valid(priority))
		priority = AMDGPU_CTX_PRIORITY_NORMAL;

	switch (args->in.op) {
	case AMDGPU_CTX_OP_ALLOC_CTX:
		if (args->in.flags)
			return -EINVAL;
		r = ctx_alloc(f, priority, &id);
		if (r == 0) {
			/* amdgpu_ctx_init: the execution side's part */
			r = vgpu_exec_ctx_create(f, id);
			if (r) {
				c->num_ctxs--;
				id = 0;
			}
		}
		args->out.alloc.ctx_id = id;
		return r;
	case AMDGPU_CTX_OP_FREE_CTX:
		if (args->in.flags)
			return -EINVAL;
		ctx = ctx_find(c, id);
		if (!ctx)
			return -EINVAL;
		ctx_release(c, ctx);
		vgpu_exec_ctx_free(c, id);
		*ctx = c->ctxs[--c->num_ctxs];
		return 0;
	case AMDGPU_CTX_OP_QUERY_STATE:
	case AMDGPU_CTX_OP_QUERY_STATE2:
		if (args->in.flags)
			return -EINVAL;
		if (!ctx_find(c, id))
			return -EINVAL;
		/* amdgpu_ctx_query / amdgpu_ctx_query2: a fault or hang on the
		 * execution side is a GPU reset (every context of every
		 * process of the instance sees RESET) and makes the bad job's
		 * context GUILTY; VRAM loss only comes from an injected reset
		 * (exec/reset.c); no RAS.  The counters compared are the
		 * instance's (exec/fence.c). */
		/* out.state.flags overlays in.op: read the op first, as
		 * amdgpu_ctx_ioctl switches on it before amdgpu_ctx_query
		 * writes the answer */
		if (args->in.op == AMDGPU_CTX_OP_QUERY_STATE) {
			args->out.state.flags = 0;
			args->out.state.hangs = 0;
			args->out.state.reset_status = vgpu_exec_ctx_query_reset_status(c, id);
			return 0;
		}
		args->out.state.flags = vgpu_exec_ctx_query2_flags(c, id);
		args->out.state.hangs = 0;
		return 0;
	case AMDGPU_CTX_OP_GET_STABLE_PSTATE:
		if (args->in.flags)
			return -EINVAL;
		if (!ctx_find(c, id))
			return -EINVAL;
		vgpu_state_lock();
		args->out.pstate.flags = dpm_level; /* amdgpu_ctx_get_stable_pstate */
		vgpu_state_unlock();
		return 0;
	case AMDGPU_CTX_OP_SET_STABLE_PSTATE: {
		if (args->in.flags & ~AMDGPU_CTX_STABLE_PSTATE_FLAGS_MASK)
			return -EINVAL;
		uint32_t pstate = args->in.flags & AMDGPU_CTX_STABLE_PSTATE_FLAGS_MASK;
		if (pstate > AMDGPU_CTX_STABLE_PSTATE_PEAK)
			return -EINVAL;
		ctx = ctx_find(c, id);
		if (!ctx)
			return -EINVAL;
		return set_stable_pstate(c, ctx, pstate);
	}
	default:
		return -EINVAL;
	}
}

void vgpu_ctx_file_fini(struct vgpu_ctl_file *c)
{
	/* amdgpu_ctx_mgr_entity_flush/fini: the file's jobs finish first */
	vgpu_exec_file_fini(c);
	for (size_t i = 0; i < c->num_ctxs; i++)
		ctx_release(c, &c->ctxs[i]);
	free(c->ctxs);
	c->ctxs = NULL;
	c->num_ctxs = c->cap_ctxs = 0;
	/* amdgpu_vm_fini -> amdgpu_vmid_free_reserved */
	vgpu_state_lock();
	if (c->vmid_reserved) {
		reserved_vmid_num--;
		c->vmid_reserved = false;
	}
	vgpu_state_unlock();
}

/* amdgpu_vm_ioctl */
int vgpu_amdgpu_vm(struct vgpu_file *f, void *data)
{
	union drm_amdgpu_vm *args = data;
	struct vgpu_ctl_file *c = f->ctl;
	int r = 0;
	if (args->in.flags)
		return -EINVAL;
	switch (args->in.op) {
	case AMDGPU_VM_OP_RESERVE_VMID:
		/* amdgpu_vmid_alloc_reserved: one reserved VMID device-wide */
		vgpu_state_lock();
		if (!c->vmid_reserved) {
			if (reserved_vmid_num + 1 > AMDGPU_VM_MAX_RESERVED_VMID) {
				vgpu_log("RESERVE_VMID: over limitation of reserved vmid -> EINVAL");
				r = -EINVAL;
			} else {
				reserved_vmid_num++;
				c->vmid_reserved = true;
			}
		}
		vgpu_state_unlock();
		return r;
	case AMDGPU_VM_OP_UNRESERVE_VMID:
		/* the VM is idle (nothing runs): amdgpu_vmid_free_reserved */
		vgpu_state_lock();
		if (c->vmid_reserved) {
			reserved_vmid_num--;
			c->vmid_reserved = false;
		}
		vgpu_state_unlock();
		return 0;
	default:
		return -EINVAL;
	}
}

/* amdgpu_sched_ioctl: op and priority are checked as the kernel does;
 * the override itself needs another file named by fd, which the device
 * model cannot resolve (the boundary owns fds): not built. */
int vgpu_amdgpu_sched(struct vgpu_file *f, void *data)
{
	(void)f;
	union drm_amdgpu_sched *args = data;
	switch (args->in.op) {
	case AMDGPU_SCHED_OP_PROCESS_PRIORITY_OVERRIDE:
	case AMDGPU_SCHED_OP_CONTEXT_PRIORITY_OVERRIDE:
		break;
	default:
		return -EINVAL;
	}
	if (!priority_is_valid(args->in.priority))
		return -EINVAL;
	vgpu_log("AMDGPU_SCHED priority override is not built in the vgpu -> EOPNOTSUPP");
	return -EOPNOTSUPP;
}
