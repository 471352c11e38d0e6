/*
 * ioctl(2) on the device node, dispatched the way drm_ioctl() (Linux 6.1
 * drm_ioctl.c) does it: decode type/nr/size/direction, pick the core table
 * or the driver table (amdgpu_ioctls_kms in amdgpu_drv.c), copy the
 * argument in with the kernel's size rules, check permissions
 * (drm_ioctl_permit), run the handler, copy back.
 */
#include "ctl.h"
#include "exec/exec.h"
#include "fault/fault.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>

#include <drm.h>
#include <amdgpu_drm.h>

/* include/drm/drm_ioctl.h */
#define DRM_IOCTL_NR(n) _IOC_NR(n)
#define DRM_IOCTL_TYPE(n) _IOC_TYPE(n)
/* enum drm_ioctl_flags */
#define F_AUTH          0x1u
#define F_MASTER        0x2u
#define F_ROOT_ONLY     0x4u
#define F_UNLOCKED      0x10u
#define F_RENDER_ALLOW  0x20u
/* vgpu-only: the handler takes the file lock itself (it may sleep). */
#define V_NOLOCK        0x1u
/* vgpu-only: the handler belongs to the memory side (GEM objects). */
#define V_MEM           0x2u

typedef int (*handler_fn)(struct vgpu_file *f, void *data);

struct ioctl_desc {
	unsigned int cmd;
	unsigned int flags;
	handler_fn func;
	const char *name;
	unsigned int vflags;
};

#define DEF(ioctl, fn, fl) \
	[DRM_IOCTL_NR(ioctl)] = { .cmd = ioctl, .flags = (fl), .func = (fn), .name = #ioctl }
#define DEFV(ioctl, fn, fl, vfl) \
	[DRM_IOCTL_NR(ioctl)] = { .cmd = ioctl, .flags = (fl), .func = (fn), .name = #ioctl, .vflags = (vfl) }
/* Without CONFIG_DRM_LEGACY (Debian's 6.1) every legacy entry is
 * drm_invalid_op with its original flags: DRM_LEGACY_IOCTL_DEF. */
#define LEGACY(ioctl, fl) DEF(ioctl, vgpu_core_invalid_op, fl)
/* KMS: the vgpu has no display; see vgpu_core_no_modeset. */
#define KMS(ioctl, fl) DEF(ioctl, vgpu_core_no_modeset, fl)

#define AMR (F_AUTH | F_MASTER | F_ROOT_ONLY)

/* drm_ioctls[] of Linux 6.1, entry for entry (flags included). */
static const struct ioctl_desc core_ioctls[] = {
	DEF(DRM_IOCTL_VERSION, vgpu_core_version, F_RENDER_ALLOW),
	DEF(DRM_IOCTL_GET_UNIQUE, vgpu_core_get_unique, 0),
	DEF(DRM_IOCTL_GET_MAGIC, vgpu_core_get_magic, 0),
	LEGACY(DRM_IOCTL_IRQ_BUSID, F_MASTER | F_ROOT_ONLY),
	LEGACY(DRM_IOCTL_GET_MAP, 0),
	DEF(DRM_IOCTL_GET_CLIENT, vgpu_core_get_client, 0),
	DEF(DRM_IOCTL_GET_STATS, vgpu_core_get_stats, 0),
	DEF(DRM_IOCTL_GET_CAP, vgpu_core_get_cap, F_RENDER_ALLOW),
	DEF(DRM_IOCTL_SET_CLIENT_CAP, vgpu_core_set_client_cap, 0),
	DEF(DRM_IOCTL_SET_VERSION, vgpu_core_set_version, F_MASTER),
	DEF(DRM_IOCTL_SET_UNIQUE, vgpu_core_invalid_op, AMR),
	DEF(DRM_IOCTL_BLOCK, vgpu_core_noop, AMR),
	DEF(DRM_IOCTL_UNBLOCK, vgpu_core_noop, AMR),
	DEFV(DRM_IOCTL_AUTH_MAGIC, vgpu_core_auth_magic, F_MASTER, V_NOLOCK),
	LEGACY(DRM_IOCTL_ADD_MAP, AMR),
	LEGACY(DRM_IOCTL_RM_MAP, F_AUTH),
	LEGACY(DRM_IOCTL_SET_SAREA_CTX, AMR),
	LEGACY(DRM_IOCTL_GET_SAREA_CTX, F_AUTH),
	DEF(DRM_IOCTL_SET_MASTER, vgpu_core_set_master, 0),
	DEF(DRM_IOCTL_DROP_MASTER, vgpu_core_drop_master, 0),
	LEGACY(DRM_IOCTL_ADD_CTX, F_AUTH | F_ROOT_ONLY),
	LEGACY(DRM_IOCTL_RM_CTX, AMR),
	LEGACY(DRM_IOCTL_MOD_CTX, AMR),
	LEGACY(DRM_IOCTL_GET_CTX, F_AUTH),
	LEGACY(DRM_IOCTL_SWITCH_CTX, AMR),
	LEGACY(DRM_IOCTL_NEW_CTX, AMR),
	LEGACY(DRM_IOCTL_RES_CTX, F_AUTH),
	DEF(DRM_IOCTL_ADD_DRAW, vgpu_core_noop, AMR),
	DEF(DRM_IOCTL_RM_DRAW, vgpu_core_noop, AMR),
	LEGACY(DRM_IOCTL_LOCK, F_AUTH),
	LEGACY(DRM_IOCTL_UNLOCK, F_AUTH),
	DEF(DRM_IOCTL_FINISH, vgpu_core_noop, F_AUTH),
	LEGACY(DRM_IOCTL_ADD_BUFS, AMR),
	LEGACY(DRM_IOCTL_MARK_BUFS, AMR),
	LEGACY(DRM_IOCTL_INFO_BUFS, F_AUTH),
	LEGACY(DRM_IOCTL_MAP_BUFS, F_AUTH),
	LEGACY(DRM_IOCTL_FREE_BUFS, F_AUTH),
	LEGACY(DRM_IOCTL_DMA, F_AUTH),
	LEGACY(DRM_IOCTL_CONTROL, AMR),
	/* CONFIG_AGP=y on Debian's x86-64 kernels */
	LEGACY(DRM_IOCTL_AGP_ACQUIRE, AMR),
	LEGACY(DRM_IOCTL_AGP_RELEASE, AMR),
	LEGACY(DRM_IOCTL_AGP_ENABLE, AMR),
	LEGACY(DRM_IOCTL_AGP_INFO, F_AUTH),
	LEGACY(DRM_IOCTL_AGP_ALLOC, AMR),
	LEGACY(DRM_IOCTL_AGP_FREE, AMR),
	LEGACY(DRM_IOCTL_AGP_BIND, AMR),
	LEGACY(DRM_IOCTL_AGP_UNBIND, AMR),
	LEGACY(DRM_IOCTL_SG_ALLOC, AMR),
	LEGACY(DRM_IOCTL_SG_FREE, AMR),
	KMS(DRM_IOCTL_WAIT_VBLANK, F_UNLOCKED),
	KMS(DRM_IOCTL_MODESET_CTL, 0),
	DEF(DRM_IOCTL_UPDATE_DRAW, vgpu_core_noop, AMR),
	DEFV(DRM_IOCTL_GEM_CLOSE, vgpu_ioctl_gem_close, F_RENDER_ALLOW, V_MEM),
	/* flink names are global across processes; the vgpu's memory side
	 * does not provide them (docs/vgpu.md). */
	DEFV(DRM_IOCTL_GEM_FLINK, vgpu_ioctl_gem_flink, F_AUTH, V_MEM),
	DEFV(DRM_IOCTL_GEM_OPEN, vgpu_ioctl_gem_open, F_AUTH, V_MEM),
	KMS(DRM_IOCTL_MODE_GETRESOURCES, 0),
	DEFV(DRM_IOCTL_PRIME_HANDLE_TO_FD, vgpu_ioctl_prime_handle_to_fd, F_RENDER_ALLOW, V_MEM),
	DEFV(DRM_IOCTL_PRIME_FD_TO_HANDLE, vgpu_ioctl_prime_fd_to_handle, F_RENDER_ALLOW, V_MEM),
	KMS(DRM_IOCTL_MODE_GETPLANERESOURCES, 0),
	KMS(DRM_IOCTL_MODE_GETCRTC, 0),
	KMS(DRM_IOCTL_MODE_SETCRTC, F_MASTER),
	KMS(DRM_IOCTL_MODE_GETPLANE, 0),
	KMS(DRM_IOCTL_MODE_SETPLANE, F_MASTER),
	KMS(DRM_IOCTL_MODE_CURSOR, F_MASTER),
	KMS(DRM_IOCTL_MODE_GETGAMMA, 0),
	KMS(DRM_IOCTL_MODE_SETGAMMA, F_MASTER),
	KMS(DRM_IOCTL_MODE_GETENCODER, 0),
	KMS(DRM_IOCTL_MODE_GETCONNECTOR, 0),
	DEF(DRM_IOCTL_MODE_ATTACHMODE, vgpu_core_noop, F_MASTER),
	DEF(DRM_IOCTL_MODE_DETACHMODE, vgpu_core_noop, F_MASTER),
	KMS(DRM_IOCTL_MODE_GETPROPERTY, 0),
	KMS(DRM_IOCTL_MODE_SETPROPERTY, F_MASTER),
	KMS(DRM_IOCTL_MODE_GETPROPBLOB, 0),
	KMS(DRM_IOCTL_MODE_GETFB, 0),
	KMS(DRM_IOCTL_MODE_GETFB2, 0),
	KMS(DRM_IOCTL_MODE_ADDFB, 0),
	KMS(DRM_IOCTL_MODE_ADDFB2, 0),
	KMS(DRM_IOCTL_MODE_RMFB, 0),
	KMS(DRM_IOCTL_MODE_PAGE_FLIP, F_MASTER),
	KMS(DRM_IOCTL_MODE_DIRTYFB, F_MASTER),
	KMS(DRM_IOCTL_MODE_CREATE_DUMB, 0),
	KMS(DRM_IOCTL_MODE_MAP_DUMB, 0),
	KMS(DRM_IOCTL_MODE_DESTROY_DUMB, 0),
	KMS(DRM_IOCTL_MODE_OBJ_GETPROPERTIES, 0),
	KMS(DRM_IOCTL_MODE_OBJ_SETPROPERTY, F_MASTER),
	KMS(DRM_IOCTL_MODE_CURSOR2, F_MASTER),
	KMS(DRM_IOCTL_MODE_ATOMIC, F_MASTER),
	KMS(DRM_IOCTL_MODE_CREATEPROPBLOB, 0),
	KMS(DRM_IOCTL_MODE_DESTROYPROPBLOB, 0),
	DEF(DRM_IOCTL_SYNCOBJ_CREATE, vgpu_syncobj_create, F_RENDER_ALLOW),
	DEF(DRM_IOCTL_SYNCOBJ_DESTROY, vgpu_syncobj_destroy, F_RENDER_ALLOW),
	/* fd export/import check their arguments before -EOPNOTSUPP */
	DEF(DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, vgpu_syncobj_handle_to_fd, F_RENDER_ALLOW),
	DEF(DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, vgpu_syncobj_fd_to_handle, F_RENDER_ALLOW),
	DEF(DRM_IOCTL_SYNCOBJ_TRANSFER, vgpu_syncobj_transfer, F_RENDER_ALLOW),
	DEFV(DRM_IOCTL_SYNCOBJ_WAIT, vgpu_syncobj_wait, F_RENDER_ALLOW, V_NOLOCK),
	DEFV(DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, vgpu_syncobj_timeline_wait, F_RENDER_ALLOW, V_NOLOCK),
	DEF(DRM_IOCTL_SYNCOBJ_RESET, vgpu_syncobj_reset, F_RENDER_ALLOW),
	DEF(DRM_IOCTL_SYNCOBJ_SIGNAL, vgpu_syncobj_signal, F_RENDER_ALLOW),
	DEF(DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, vgpu_syncobj_timeline_signal, F_RENDER_ALLOW),
	DEF(DRM_IOCTL_SYNCOBJ_QUERY, vgpu_syncobj_query, F_RENDER_ALLOW),
	KMS(DRM_IOCTL_CRTC_GET_SEQUENCE, 0),
	KMS(DRM_IOCTL_CRTC_QUEUE_SEQUENCE, 0),
	KMS(DRM_IOCTL_MODE_CREATE_LEASE, F_MASTER),
	KMS(DRM_IOCTL_MODE_LIST_LESSEES, F_MASTER),
	KMS(DRM_IOCTL_MODE_GET_LEASE, F_MASTER),
	KMS(DRM_IOCTL_MODE_REVOKE_LEASE, F_MASTER),
};
#define CORE_IOCTL_COUNT (sizeof(core_ioctls) / sizeof(core_ioctls[0]))

#define DRV(ioctl, fn, fl) \
	[DRM_IOCTL_NR(ioctl) - DRM_COMMAND_BASE] = { .cmd = ioctl, .flags = (fl), .func = (fn), .name = #ioctl }
#define DRVV(ioctl, fn, fl, vfl) \
	[DRM_IOCTL_NR(ioctl) - DRM_COMMAND_BASE] = { .cmd = ioctl, .flags = (fl), .func = (fn), .name = #ioctl, .vflags = (vfl) }
#define AR (F_AUTH | F_RENDER_ALLOW)

/* amdgpu_ioctls_kms[] of Linux 6.1 (amdgpu_drv.c). */
static const struct ioctl_desc amdgpu_ioctls[] = {
	DRVV(DRM_IOCTL_AMDGPU_GEM_CREATE, vgpu_ioctl_gem_create, AR, V_MEM),
	DRV(DRM_IOCTL_AMDGPU_CTX, vgpu_amdgpu_ctx, AR),
	DRV(DRM_IOCTL_AMDGPU_VM, vgpu_amdgpu_vm, AR),
	DRV(DRM_IOCTL_AMDGPU_SCHED, vgpu_amdgpu_sched, F_MASTER),
	DRV(DRM_IOCTL_AMDGPU_BO_LIST, vgpu_amdgpu_bo_list, AR),
	DRV(DRM_IOCTL_AMDGPU_FENCE_TO_HANDLE, vgpu_amdgpu_fence_to_handle, AR),
	DRVV(DRM_IOCTL_AMDGPU_GEM_MMAP, vgpu_ioctl_gem_mmap, AR, V_MEM),
	DRVV(DRM_IOCTL_AMDGPU_GEM_WAIT_IDLE, vgpu_ioctl_gem_wait_idle, AR, V_MEM),
	DRV(DRM_IOCTL_AMDGPU_CS, vgpu_amdgpu_cs, AR),
	DRV(DRM_IOCTL_AMDGPU_INFO, vgpu_amdgpu_info, AR),
	DRVV(DRM_IOCTL_AMDGPU_WAIT_CS, vgpu_amdgpu_wait_cs, AR, V_NOLOCK),
	DRVV(DRM_IOCTL_AMDGPU_WAIT_FENCES, vgpu_amdgpu_wait_fences, AR, V_NOLOCK),
	DRVV(DRM_IOCTL_AMDGPU_GEM_METADATA, vgpu_ioctl_gem_metadata, AR, V_MEM),
	DRVV(DRM_IOCTL_AMDGPU_GEM_VA, vgpu_amdgpu_gem_va, AR, V_MEM),
	DRVV(DRM_IOCTL_AMDGPU_GEM_OP, vgpu_ioctl_gem_op, AR, V_MEM),
	DRVV(DRM_IOCTL_AMDGPU_GEM_USERPTR, vgpu_ioctl_gem_userptr, AR, V_MEM),
};
#define AMDGPU_IOCTL_COUNT (sizeof(amdgpu_ioctls) / sizeof(amdgpu_ioctls[0]))

/* drm_ioctl_permit */
static int ioctl_permit(unsigned int flags, struct vgpu_file *f)
{
	bool render = f->minor == VGPU_MINOR_RENDER;
	if ((flags & F_ROOT_ONLY) && !vgpu_capable(CAP_SYS_ADMIN))
		return -EACCES;
	if ((flags & F_AUTH) && !render && !(f->ctl && f->ctl->authenticated))
		return -EACCES;
	if ((flags & F_MASTER) && !vgpu_file_is_current_master(f))
		return -EACCES;
	if (!(flags & F_RENDER_ALLOW) && render)
		return -EACCES;
	return 0;
}

static bool is_amdgpu(const struct vgpu_file *f)
{
	return f->ctl && f->ctl->prof->driver_name &&
	       strcmp(f->ctl->prof->driver_name, "amdgpu") == 0;
}

/* ---- fault injection (fault/spec.c resolves ioctl names here) ---------- */

static const struct ioctl_desc *desc_of(unsigned int nr)
{
	if (nr >= DRM_COMMAND_BASE && nr < DRM_COMMAND_END)
		return nr - DRM_COMMAND_BASE < AMDGPU_IOCTL_COUNT ? &amdgpu_ioctls[nr - DRM_COMMAND_BASE]
								 : NULL;
	return nr < CORE_IOCTL_COUNT ? &core_ioctls[nr] : NULL;
}

const char *vgpu_ioctl_name_of(unsigned int nr)
{
	const struct ioctl_desc *d = desc_of(nr);
	return d && d->func ? d->name : NULL;
}

int vgpu_ioctl_nr_by_name(const char *name, unsigned int *nr)
{
	static const char *const prefixes[] = { "", "DRM_IOCTL_", "DRM_IOCTL_AMDGPU_" };
	int found = 0;
	for (unsigned int i = 0; i < 0x100; i++) {
		const char *full = vgpu_ioctl_name_of(i);
		if (!full)
			continue;
		for (size_t p = 0; p < sizeof(prefixes) / sizeof(prefixes[0]); p++) {
			size_t len = strlen(prefixes[p]);
			if (strncmp(full, prefixes[p], len) == 0 && strcmp(full + len, name) == 0) {
				if (found++ == 0)
					*nr = i;
				break;
			}
		}
	}
	return found == 0 ? -ENOENT : found > 1 ? -EINVAL : 0;
}

/* drm_ioctl */
int vgpu_dev_ioctl(struct vgpu_file *f, unsigned long request, void *arg)
{
	unsigned int cmd = (unsigned int)request; /* drm_ioctl takes an unsigned int */
	unsigned int nr = DRM_IOCTL_NR(cmd);
	const struct ioctl_desc *ioctl = NULL;
	int retcode = -EINVAL;

	if (DRM_IOCTL_TYPE(cmd) != DRM_IOCTL_BASE)
		return -ENOTTY;

	bool is_driver_ioctl = nr >= DRM_COMMAND_BASE && nr < DRM_COMMAND_END;
	if (is_driver_ioctl) {
		unsigned int index = nr - DRM_COMMAND_BASE;
		/* The foreign (i915) node: none of amdgpu's numbers are ours to
		 * answer; treat every driver ioctl as one past its table. */
		if (!is_amdgpu(f) || index >= AMDGPU_IOCTL_COUNT) {
			vgpu_log("ioctl 0x%08x: driver nr 0x%02x unknown -> EINVAL", cmd, nr);
			return -EINVAL;
		}
		ioctl = &amdgpu_ioctls[index];
	} else {
		if (nr >= CORE_IOCTL_COUNT) {
			vgpu_log("ioctl 0x%08x: core nr 0x%02x unknown -> EINVAL", cmd, nr);
			return -EINVAL;
		}
		ioctl = &core_ioctls[nr];
	}

	unsigned int drv_size = _IOC_SIZE(ioctl->cmd);
	unsigned int in_size = _IOC_SIZE(cmd), out_size = _IOC_SIZE(cmd);
	if ((cmd & ioctl->cmd & IOC_IN) == 0)
		in_size = 0;
	if ((cmd & ioctl->cmd & IOC_OUT) == 0)
		out_size = 0;
	unsigned int ksize = in_size > out_size ? in_size : out_size;
	if (drv_size > ksize)
		ksize = drv_size;

	if (!ioctl->func) {
		vgpu_log("ioctl 0x%08x: nr 0x%02x has no function -> EINVAL", cmd, nr);
		return -EINVAL;
	}

	/* fault injection: an injected failure happens before the argument is
	 * read, as a kernel failing early (fault/state.c) */
	retcode = vgpu_fault_ioctl_enter(nr, ioctl->name);
	if (retcode)
		return retcode;

	char stack_kdata[128];
	char *kdata = stack_kdata;
	if (ksize > sizeof(stack_kdata)) {
		kdata = malloc(ksize);
		if (!kdata)
			return -ENOMEM;
	}
	uint64_t uarg = (uint64_t)(uintptr_t)arg;
	if (vgpu_copy_from_user(kdata, uarg, in_size) != 0) {
		retcode = -EFAULT;
		goto out;
	}
	if (ksize > in_size)
		memset(kdata + in_size, 0, ksize - in_size);

	/* drm_ioctl_kernel */
	retcode = ioctl_permit(ioctl->flags, f);
	if (retcode == 0 && is_amdgpu(f)) /* fault injection: CS after a VRAM loss (exec/reset.c) */
		retcode = vgpu_exec_reset_ioctl_check(f, nr, kdata);
	if (retcode == 0) {
		if ((ioctl->vflags & V_MEM) && !is_amdgpu(f)) {
			/* foreign node: it has no amdgpu GEM objects to name */
			retcode = -EINVAL;
		} else if (ioctl->vflags & V_NOLOCK) {
			retcode = ioctl->func(f, kdata);
		} else {
			pthread_mutex_lock(&f->lock);
			retcode = ioctl->func(f, kdata);
			pthread_mutex_unlock(&f->lock);
		}
	}
	if (vgpu_copy_to_user(uarg, kdata, out_size) != 0)
		retcode = -EFAULT;
	if (retcode)
		vgpu_log("%s -> %d (%s)", ioctl->name, retcode, strerror(-retcode));
out:
	if (kdata != stack_kdata)
		free(kdata);
	return retcode;
}
