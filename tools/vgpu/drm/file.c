/*
 * Open files of the device node: what drm_open_helper + drm_file_alloc +
 * amdgpu_driver_open_kms do on open(2), and drm_file_free +
 * amdgpu_driver_postclose_kms on the last close.  Also the process-wide
 * list of open files (for the exit report) and two helpers every handler
 * needs: capable() and the user-pointer checks of copy_{to,from}_user.
 */
#include "ctl.h"
#include "report.h"
#include "exec/dispatch.h"
#include "fault/fault.h"
#include "shader/shader.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct file_node {
	struct file_node *next;
	struct vgpu_file *f;
};

/* Recursive: a handler holding it may call back into a helper that takes
 * it again (e.g. the report while a file is being released). */
static pthread_mutex_t files_mutex = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static struct file_node *files;
static int num_files;
/* Device-global counters: drm-client-ids and the PASID allocator's
 * cursor (amdgpu_pasid_alloc: xa_alloc_cyclic in [1, 2^16 - 1]). */
static uint32_t next_pasid = 1;
static uint64_t next_client_id = 1;

static pthread_mutex_t state_mutex = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

void vgpu_state_lock(void)
{
	pthread_mutex_lock(&state_mutex);
}

void vgpu_state_unlock(void)
{
	pthread_mutex_unlock(&state_mutex);
}

void vgpu_files_lock(void)
{
	pthread_mutex_lock(&files_mutex);
}

void vgpu_files_unlock(void)
{
	pthread_mutex_unlock(&files_mutex);
}

void vgpu_files_foreach(void (*fn)(struct vgpu_file *f, void *arg), void *arg)
{
	vgpu_files_lock();
	for (struct file_node *n = files; n; n = n->next)
		fn(n->f, arg);
	vgpu_files_unlock();
}

int vgpu_files_count(void)
{
	vgpu_files_lock();
	int n = num_files;
	vgpu_files_unlock();
	return n;
}

/* amdgpu_pasid_alloc(16): the next free PASID after the last one handed
 * out, wrapping to 1 (cyclic, so a closed file's PASID is not reused at
 * once). */
static uint32_t alloc_pasid(void)
{
	const uint32_t limit = (1u << 16) - 1;
	for (uint32_t tries = 0; tries < limit; tries++) {
		uint32_t p = next_pasid;
		next_pasid = p == limit ? 1 : p + 1;
		bool used = false;
		for (struct file_node *n = files; n && !used; n = n->next)
			used = n->f->pasid == p;
		if (!used)
			return p;
	}
	return 0; /* "No more PASIDs available!": the kernel carries on with 0 */
}

bool vgpu_capable(int cap)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0,
	};
	struct __user_cap_data_struct data[2];
	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) != 0)
		return false;
	return (data[cap / 32].effective >> (cap % 32)) & 1;
}

int vgpu_copy_to_user(uint64_t uptr, const void *src, size_t len)
{
	if (len == 0)
		return 0;
	/* The zero page is never mapped (vm.mmap_min_addr): a fault there is
	 * what the kernel's copy_to_user reports as -EFAULT. */
	if (uptr < 4096 || uptr + len < uptr)
		return -EFAULT;
	memcpy((void *)(uintptr_t)uptr, src, len);
	return 0;
}

int vgpu_copy_from_user(void *dst, uint64_t uptr, size_t len)
{
	if (len == 0)
		return 0;
	if (uptr < 4096 || uptr + len < uptr)
		return -EFAULT;
	memcpy(dst, (const void *)(uintptr_t)uptr, len);
	return 0;
}

uint32_t vgpu_lowest_free_id(const void *base, size_t n, size_t stride,
			     uint32_t first)
{
	for (uint32_t id = first; id != 0; id++) {
		bool used = false;
		for (size_t i = 0; i < n && !used; i++) {
			uint32_t other;
			memcpy(&other, (const char *)base + i * stride, sizeof(other));
			used = other == id;
		}
		if (!used)
			return id;
	}
	return 0;
}

int vgpu_ctl_file_init(struct vgpu_file *f)
{
	int err = 0;
	const struct vgpu_profile *prof = vgpu_profile_get(&err);
	if (!prof)
		return err ? err : -EINVAL;
	struct vgpu_ctl_file *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->prof = prof;
	vgpu_syncobj_file_init(c);
	f->ctl = c;
	return 0;
}

void vgpu_ctl_file_fini(struct vgpu_file *f)
{
	struct vgpu_ctl_file *c = f->ctl;
	if (!c)
		return;
	/* amdgpu_driver_postclose_kms: contexts, BO lists; drm_file_free:
	 * syncobjs (drm_syncobj_release). */
	vgpu_ctx_file_fini(c);
	vgpu_bo_list_file_fini(c);
	vgpu_syncobj_file_fini(c);
	free(c);
	f->ctl = NULL;
}

/* drm_open + drm_open_helper + amdgpu_driver_open_kms */
int vgpu_dev_open(int minor, int open_flags, struct vgpu_file **out)
{
	int err = 0;
	const struct vgpu_profile *prof = vgpu_profile_get(&err);
	if (!prof)
		return err ? err : -EINVAL;
	if (!prof->driver_name)
		return -ENOENT; /* profile "none": there is no device */
	/* a malformed AMDBARE_VGPU_FAULTS (message already printed) makes
	 * every open fail (fault/state.c) */
	vgpu_fault_hooks_install();
	exec_set_shader_core(shader_dispatch_run);
	err = vgpu_fault_init();
	if (err)
		return err;
	if (minor != VGPU_MINOR_PRIMARY && minor != VGPU_MINOR_RENDER)
		return -ENODEV; /* drm_minor_acquire: no such minor */
	/* drm_open_helper: "No exclusive opens" */
	if (open_flags & O_EXCL)
		return -EBUSY;
	/* AMDBARE_VGPU_DENY_OPEN is the boundary's: the VFS refuses the open
	 * before DRM sees it (vfs_deny_open). */

	struct vgpu_file *f = calloc(1, sizeof(*f));
	struct file_node *node = calloc(1, sizeof(*node));
	if (!f || !node) {
		free(f);
		free(node);
		return -ENOMEM;
	}
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	/* Recursive so that a memory-side helper called under the dispatcher's
	 * lock may take it again without deadlocking. */
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&f->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	f->minor = minor;
	f->open_flags = open_flags;

	vgpu_files_lock();
	f->client_id = next_client_id++;
	f->pasid = alloc_pasid();

	/* The memory side is set up for the foreign node too (i915 is a GEM
	 * driver; its mmap of an unknown offset must fail cleanly), although
	 * the dispatcher never passes it an amdgpu GEM ioctl. */
	err = vgpu_ctl_file_init(f);
	if (!err) {
		err = vgpu_mem_file_init(f);
		if (err)
			vgpu_ctl_file_fini(f);
	}
	if (!err && minor == VGPU_MINOR_PRIMARY) {
		err = vgpu_master_open(f);
		if (err) {
			vgpu_mem_file_fini(f);
			vgpu_ctl_file_fini(f);
		}
	}
	if (err) {
		vgpu_files_unlock();
		pthread_mutex_destroy(&f->lock);
		free(f);
		free(node);
		return err;
	}
	node->f = f;
	node->next = files;
	files = node;
	num_files++;
	vgpu_report_note_open();
	vgpu_files_unlock();
	vgpu_log("opened %s (minor %d, client %llu, pasid %u, profile %s)",
		 minor == VGPU_MINOR_RENDER ? "renderD128" : "card0", minor,
		 (unsigned long long)f->client_id, f->pasid, prof->name);
	*out = f;
	return 0;
}

/* drm_release -> drm_file_free -> amdgpu_driver_postclose_kms */
void vgpu_dev_release(struct vgpu_file *f)
{
	if (!f)
		return;
	vgpu_files_lock();
	struct file_node **pp = &files;
	while (*pp && (*pp)->f != f)
		pp = &(*pp)->next;
	if (*pp) {
		struct file_node *n = *pp;
		*pp = n->next;
		free(n);
		num_files--;
	}
	if (f->minor == VGPU_MINOR_PRIMARY)
		vgpu_master_release(f);
	vgpu_files_unlock();

	pthread_mutex_lock(&f->lock);
	/* drm_file_free releases syncobjs and GEM handles, then calls
	 * amdgpu_driver_postclose_kms (contexts, BO lists, VM).  Nothing here
	 * depends on that order: BO lists hold handle numbers, not objects. */
	vgpu_ctl_file_fini(f);
	vgpu_mem_file_fini(f);
	pthread_mutex_unlock(&f->lock);
	vgpu_log("closed client %llu", (unsigned long long)f->client_id);
	pthread_mutex_destroy(&f->lock);
	free(f);
}
