/*
 * DRM core ioctls that are not about memory or syncobjs: VERSION,
 * GET_UNIQUE, GET_MAGIC/AUTH_MAGIC, GET_CLIENT, GET_STATS, GET_CAP,
 * SET_CLIENT_CAP, SET_VERSION, SET/DROP_MASTER (Linux 6.1 drm_ioctl.c and
 * drm_auth.c), plus the master bookkeeping of open/close.
 */
#include "ctl.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <drm.h>

/* amdgpu_drv.c / amdgpu_drv.h of Linux 6.1 */
#define AMDGPU_DRIVER_NAME "amdgpu"
#define AMDGPU_DRIVER_DESC "AMD GPU"
#define AMDGPU_DRIVER_DATE "20150101"
#define AMDGPU_KMS_MAJOR 3
#define AMDGPU_KMS_MINOR 49
#define AMDGPU_KMS_PATCHLEVEL 0
/* KMS_DRIVER_MINOR of the modelled kernel's amdgpu_drv.c: 3.49 in 6.1,
 * 3.57 in 6.8, 3.59 in 6.12, 3.64 ("Userq IP support query") in 6.18. */
static int amdgpu_kms_minor(unsigned int kernel)
{
	switch (kernel) {
	case VGPU_KERNEL_6_8: return 57;
	case VGPU_KERNEL_6_12: return 59;
	case VGPU_KERNEL_6_18: return 64;
	default: return AMDGPU_KMS_MINOR;
	}
}

/* i915_driver.h of Linux 6.1, for the "foreign" node */
#define I915_DRIVER_DESC "Intel Graphics"
#define I915_DRIVER_DATE "20201103"
#define I915_MAJOR 1
#define I915_MINOR 6
#define I915_PATCHLEVEL 0
/* drm_internal.h: DRM_IF_MAJOR / DRM_IF_MINOR */
#define DRM_IF_MAJOR 1
#define DRM_IF_MINOR 4

/* dev->master: the current master of the primary node, if any. */
static struct vgpu_master *dev_master;
static struct vgpu_file *dev_master_file;

static bool foreign(const struct vgpu_file *f)
{
	return strcmp(f->ctl->prof->driver_name, "amdgpu") != 0;
}

/* drm_copy_field: copies at most *buf_len bytes (no NUL), then reports the
 * full length so that userspace can retry with a bigger buffer. */
static int copy_field(char *buf, __kernel_size_t *buf_len, const char *value)
{
	size_t len = strlen(value);
	if (len > *buf_len)
		len = *buf_len;
	*buf_len = strlen(value);
	if (len && buf)
		return vgpu_copy_to_user((uint64_t)(uintptr_t)buf, value, len);
	return 0;
}

/* drm_version */
int vgpu_core_version(struct vgpu_file *f, void *data)
{
	struct drm_version *v = data;
	bool i915 = foreign(f);
	v->version_major = i915 ? I915_MAJOR : AMDGPU_KMS_MAJOR;
	v->version_minor = i915 ? I915_MINOR : amdgpu_kms_minor(f->ctl->prof->kernel);
	v->version_patchlevel = i915 ? I915_PATCHLEVEL : AMDGPU_KMS_PATCHLEVEL;
	int err = copy_field(v->name, &v->name_len, f->ctl->prof->driver_name);
	if (!err)
		err = copy_field(v->date, &v->date_len,
				 i915 ? I915_DRIVER_DATE : AMDGPU_DRIVER_DATE);
	if (!err)
		err = copy_field(v->desc, &v->desc_len,
				 i915 ? I915_DRIVER_DESC : AMDGPU_DRIVER_DESC);
	return err;
}

static void master_unique(const struct vgpu_file *f, char *buf, size_t cap)
{
	/* drm_pci_set_busid: "pci:%04x:%02x:%02x.%d" of the device */
	snprintf(buf, cap, "pci:%s", f->ctl->prof->pci_slot);
}

/* drm_getunique: the master's bus id, empty until SET_VERSION set it. */
int vgpu_core_get_unique(struct vgpu_file *f, void *data)
{
	struct drm_unique *u = data;
	char unique[64] = "";
	vgpu_state_lock();
	struct vgpu_master *m = f->ctl->master;
	if (m && m->unique_set)
		master_unique(f, unique, sizeof(unique));
	vgpu_state_unlock();
	size_t len = strlen(unique);
	if (u->unique_len >= len && len &&
	    vgpu_copy_to_user((uint64_t)(uintptr_t)u->unique, unique, len))
		return -EFAULT;
	u->unique_len = len;
	return 0;
}

/* drm_getmagic */
int vgpu_core_get_magic(struct vgpu_file *f, void *data)
{
	struct drm_auth *auth = data;
	vgpu_state_lock();
	struct vgpu_ctl_file *c = f->ctl;
	if (!c->magic && c->master)
		c->magic = c->master->next_magic++;
	auth->magic = c->magic;
	vgpu_state_unlock();
	return 0;
}

struct magic_search {
	struct vgpu_master *master;
	uint32_t magic;
	struct vgpu_file *found;
};

static void find_magic(struct vgpu_file *f, void *arg)
{
	struct magic_search *s = arg;
	if (f->ctl && f->ctl->master == s->master && f->ctl->magic == s->magic &&
	    s->magic != 0)
		s->found = f;
}

/* drm_authmagic: the master authenticates the file holding `magic`; the
 * magic is consumed (idr_replace with NULL). */
int vgpu_core_auth_magic(struct vgpu_file *f, void *data)
{
	struct drm_auth *auth = data;
	struct magic_search s = { .magic = auth->magic };
	/* Dispatched without the caller's file lock (V_NOLOCK): lock order
	 * is files list -> file -> state, and this scans the file list. */
	vgpu_files_lock();
	vgpu_state_lock();
	s.master = f->ctl->master;
	vgpu_files_foreach(find_magic, &s);
	if (s.found) {
		s.found->ctl->authenticated = true;
		s.found->ctl->magic = UINT32_MAX; /* consumed: never matches again */
	}
	vgpu_state_unlock();
	vgpu_files_unlock();
	return s.found ? 0 : -EINVAL;
}

/* drm_getclient: only index 0, describing the caller. */
int vgpu_core_get_client(struct vgpu_file *f, void *data)
{
	struct drm_client *client = data;
	if (client->idx != 0)
		return -EINVAL;
	client->auth = f->ctl->authenticated;
	client->pid = (unsigned long)getpid();
	client->uid = 65534; /* overflowuid */
	client->magic = 0;
	client->iocs = 0;
	return 0;
}

/* drm_getstats */
int vgpu_core_get_stats(struct vgpu_file *f, void *data)
{
	(void)f;
	memset(data, 0, sizeof(struct drm_stats));
	return 0;
}

/* drm_getcap with amdgpu's mode_config (amdgpu_dm_mode_config_init). */
int vgpu_core_get_cap(struct vgpu_file *f, void *data)
{
	struct drm_get_cap *req = data;
	const struct vgpu_profile *p = f->ctl->prof;
	req->value = 0;
	switch (req->capability) {
	case DRM_CAP_TIMESTAMP_MONOTONIC:
		req->value = 1;
		return 0;
	case DRM_CAP_PRIME:
		req->value = DRM_PRIME_CAP_IMPORT | DRM_PRIME_CAP_EXPORT;
		return 0;
	case DRM_CAP_SYNCOBJ:
	case DRM_CAP_SYNCOBJ_TIMELINE:
		req->value = 1;
		return 0;
	}
	/* The rest only with DRIVER_MODESET, which amdgpu has. */
	switch (req->capability) {
	case DRM_CAP_DUMB_BUFFER:
	case DRM_CAP_VBLANK_HIGH_CRTC:
	case DRM_CAP_PAGE_FLIP_TARGET:
	case DRM_CAP_CRTC_IN_VBLANK_EVENT:
	case DRM_CAP_ASYNC_PAGE_FLIP:
		req->value = 1;
		break;
	case DRM_CAP_DUMB_PREFERRED_DEPTH:
		req->value = 24;
		break;
	case DRM_CAP_DUMB_PREFER_SHADOW:
		req->value = 1; /* all but Hawaii */
		break;
	case DRM_CAP_CURSOR_WIDTH:
	case DRM_CAP_CURSOR_HEIGHT:
		/* dc->caps.max_cursor_size: 256 on the APUs' DCN 3.1.4/3.5,
		 * 64 on Navi3x's DCN 3.2 */
		req->value = p->is_apu || foreign(f) ? 256 : 64;
		break;
	case DRM_CAP_ADDFB2_MODIFIERS:
		req->value = 1; /* fb_modifiers_not_supported is false on gfx9+ */
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

/* drm_setclientcap */
int vgpu_core_set_client_cap(struct vgpu_file *f, void *data)
{
	struct drm_set_client_cap *req = data;
	switch (req->capability) {
	case DRM_CLIENT_CAP_STEREO_3D:
		if (req->value > 1)
			return -EINVAL;
		break;
	case DRM_CLIENT_CAP_UNIVERSAL_PLANES:
		if (req->value > 1)
			return -EINVAL;
		f->cap_universal_planes = req->value;
		break;
	case DRM_CLIENT_CAP_ATOMIC: {
		/* The modesetting DDX check on current->comm (the calling
		 * thread's name), starting with 'X'. */
		char comm[17] = "";
		if (prctl(PR_GET_NAME, comm, 0, 0, 0) != 0)
			comm[0] = '\0';
		if (comm[0] == 'X' && req->value == 1)
			return -EOPNOTSUPP;
		if (req->value > 2)
			return -EINVAL;
		f->cap_atomic = req->value;
		f->cap_universal_planes = req->value;
		break;
	}
	case DRM_CLIENT_CAP_ASPECT_RATIO:
		if (req->value > 1)
			return -EINVAL;
		break;
	case DRM_CLIENT_CAP_WRITEBACK_CONNECTORS:
		if (!f->cap_atomic)
			return -EINVAL;
		if (req->value > 1)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

/* drm_setversion */
int vgpu_core_set_version(struct vgpu_file *f, void *data)
{
	struct drm_set_version *sv = data;
	int major = foreign(f) ? I915_MAJOR : AMDGPU_KMS_MAJOR;
	int minor = foreign(f) ? I915_MINOR : AMDGPU_KMS_MINOR;
	int retcode = 0;
	vgpu_state_lock();
	if (sv->drm_di_major != -1) {
		if (sv->drm_di_major != DRM_IF_MAJOR || sv->drm_di_minor < 0 ||
		    sv->drm_di_minor > DRM_IF_MINOR) {
			retcode = -EINVAL;
			goto done;
		}
		if (sv->drm_di_minor >= 1 && f->ctl->master)
			f->ctl->master->unique_set = true; /* drm_set_busid */
	}
	if (sv->drm_dd_major != -1) {
		if (sv->drm_dd_major != major || sv->drm_dd_minor < 0 ||
		    sv->drm_dd_minor > minor)
			retcode = -EINVAL;
	}
done:
	sv->drm_di_major = DRM_IF_MAJOR;
	sv->drm_di_minor = DRM_IF_MINOR;
	sv->drm_dd_major = major;
	sv->drm_dd_minor = minor;
	vgpu_state_unlock();
	return retcode;
}

bool vgpu_file_is_current_master(struct vgpu_file *f)
{
	vgpu_state_lock();
	bool yes = dev_master_file == f && f->ctl && f->ctl->is_master;
	vgpu_state_unlock();
	return yes;
}

static struct vgpu_master *master_create(void)
{
	struct vgpu_master *m = calloc(1, sizeof(*m));
	if (m) {
		m->refcount = 1;
		m->next_magic = 1;
	}
	return m;
}

static void master_put(struct vgpu_master *m)
{
	if (m && --m->refcount == 0)
		free(m);
}

/* drm_new_set_master */
static int new_set_master(struct vgpu_file *f)
{
	struct vgpu_master *m = master_create();
	if (!m)
		return -ENOMEM;
	struct vgpu_master *old = f->ctl->master;
	f->ctl->master = m;
	f->ctl->is_master = true;
	f->ctl->was_master = true;
	f->ctl->authenticated = true;
	m->refcount++; /* dev->master holds one */
	dev_master = m;
	dev_master_file = f;
	master_put(old);
	return 0;
}

/* drm_master_open: the first opener of the primary node becomes master
 * (in this process: the vgpu does not see other processes' card0 files,
 * so a desktop's compositor is not modelled; docs/vgpu.md). */
int vgpu_master_open(struct vgpu_file *f)
{
	int ret = 0;
	vgpu_state_lock();
	if (!dev_master) {
		ret = new_set_master(f);
	} else {
		f->ctl->master = dev_master;
		dev_master->refcount++;
	}
	vgpu_state_unlock();
	return ret;
}

/* drm_drop_master */
static void drop_master(void)
{
	struct vgpu_master *m = dev_master;
	dev_master = NULL;
	dev_master_file = NULL;
	master_put(m);
}

/* drm_master_release */
void vgpu_master_release(struct vgpu_file *f)
{
	vgpu_state_lock();
	if (f->ctl) {
		if (dev_master_file == f)
			drop_master();
		master_put(f->ctl->master);
		f->ctl->master = NULL;
	}
	vgpu_state_unlock();
}

/* drm_master_check_perm: a file that was master in the same process may
 * come back; otherwise it takes CAP_SYS_ADMIN. */
static int master_check_perm(struct vgpu_file *f)
{
	if (f->ctl->was_master)
		return 0;
	if (!vgpu_capable(CAP_SYS_ADMIN))
		return -EACCES;
	return 0;
}

/* drm_setmaster_ioctl */
int vgpu_core_set_master(struct vgpu_file *f, void *data)
{
	(void)data;
	int ret;
	vgpu_state_lock();
	ret = master_check_perm(f);
	if (ret)
		goto out;
	if (dev_master_file == f && f->ctl->is_master)
		goto out;
	if (dev_master) {
		ret = -EBUSY;
		goto out;
	}
	if (!f->ctl->master) {
		ret = -EINVAL;
		goto out;
	}
	if (!f->ctl->is_master) {
		ret = new_set_master(f);
		goto out;
	}
	/* drm_set_master: this file's own master object comes back */
	dev_master = f->ctl->master;
	dev_master->refcount++;
	dev_master_file = f;
out:
	vgpu_state_unlock();
	return ret;
}

/* drm_dropmaster_ioctl */
int vgpu_core_drop_master(struct vgpu_file *f, void *data)
{
	(void)data;
	int ret;
	vgpu_state_lock();
	ret = master_check_perm(f);
	if (ret)
		goto out;
	if (dev_master_file != f || !f->ctl->is_master || !dev_master) {
		ret = -EINVAL;
		goto out;
	}
	drop_master();
out:
	vgpu_state_unlock();
	return ret;
}

/* drm_noop */
int vgpu_core_noop(struct vgpu_file *f, void *data)
{
	(void)f;
	(void)data;
	return 0;
}

/* drm_invalid_op (also every legacy ioctl without CONFIG_DRM_LEGACY) */
int vgpu_core_invalid_op(struct vgpu_file *f, void *data)
{
	(void)f;
	(void)data;
	return -EINVAL;
}

/* KMS ioctls: the vgpu models no display hardware, so it answers like a
 * driver without DRIVER_MODESET (drm_mode_*: -EOPNOTSUPP). */
int vgpu_core_no_modeset(struct vgpu_file *f, void *data)
{
	(void)f;
	(void)data;
	vgpu_log("KMS ioctl: the vgpu has no display -> EOPNOTSUPP");
	return -EOPNOTSUPP;
}
