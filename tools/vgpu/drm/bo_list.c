/*
 * BO lists (Linux 6.1 amdgpu_bo_list.c: amdgpu_bo_list_ioctl).  A list
 * records the GEM handles it was built from; the kernel takes references
 * to the objects, the vgpu only validates the handles at creation (a list
 * is consumed by CS, which is not built yet).
 */
#include "ctl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <drm.h>
#include <amdgpu_drm.h>

#define AMDGPU_BO_LIST_MAX_ENTRIES (128 * 1024)   /* amdgpu_bo_list.c */

/* amdgpu_bo_create_list_entry_array: entries may be smaller or larger
 * than the kernel's struct; each is copied up to min(sizes), zero-filled. */
static int copy_entries(const struct drm_amdgpu_bo_list_in *in,
			struct drm_amdgpu_bo_list_entry **out)
{
	const uint32_t info_size = sizeof(struct drm_amdgpu_bo_list_entry);
	if (in->bo_number > AMDGPU_BO_LIST_MAX_ENTRIES)
		return -EINVAL;
	struct drm_amdgpu_bo_list_entry *info =
		calloc(in->bo_number ? in->bo_number : 1, info_size);
	if (!info)
		return -ENOMEM;
	if (in->bo_info_size == info_size) {
		if (vgpu_copy_from_user(info, in->bo_info_ptr,
					(size_t)in->bo_number * info_size)) {
			free(info);
			return -EFAULT;
		}
	} else {
		uint32_t bytes = in->bo_info_size < info_size ? in->bo_info_size : info_size;
		uint64_t uptr = in->bo_info_ptr;
		for (uint32_t i = 0; i < in->bo_number; i++, uptr += in->bo_info_size) {
			if (vgpu_copy_from_user(&info[i], uptr, bytes)) {
				free(info);
				return -EFAULT;
			}
		}
	}
	*out = info;
	return 0;
}

/* amdgpu_bo_list_create: every handle must name a GEM object of the file
 * (drm_gem_object_lookup -> -ENOENT). */
static int list_create(struct vgpu_file *f, const struct drm_amdgpu_bo_list_entry *info,
		       uint32_t n, uint32_t **handles)
{
	uint32_t *h = calloc(n ? n : 1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		if (!vgpu_mem_handle_valid(f, info[i].bo_handle)) {
			vgpu_log("BO_LIST: handle %u is not a GEM object of this file -> ENOENT",
				 info[i].bo_handle);
			free(h);
			return -ENOENT;
		}
		h[i] = info[i].bo_handle;
	}
	*handles = h;
	return 0;
}

static struct vgpu_bo_list *list_find(struct vgpu_ctl_file *c, uint32_t handle)
{
	for (size_t i = 0; i < c->num_bo_lists; i++)
		if (c->bo_lists[i].handle == handle)
			return &c->bo_lists[i];
	return NULL;
}

int vgpu_amdgpu_bo_list(struct vgpu_file *f, void *data)
{
	union drm_amdgpu_bo_list *args = data;
	struct vgpu_ctl_file *c = f->ctl;
	uint32_t handle = args->in.list_handle;
	struct drm_amdgpu_bo_list_entry *info = NULL;
	uint32_t *handles = NULL;
	struct vgpu_bo_list *l;
	int r = copy_entries(&args->in, &info);
	if (r)
		return r;

	switch (args->in.operation) {
	case AMDGPU_BO_LIST_OP_CREATE: {
		r = list_create(f, info, args->in.bo_number, &handles);
		if (r)
			goto out;
		if (c->num_bo_lists == c->cap_bo_lists) {
			size_t cap = c->cap_bo_lists ? 2 * c->cap_bo_lists : 8;
			struct vgpu_bo_list *n = realloc(c->bo_lists, cap * sizeof(*n));
			if (!n) {
				r = -ENOMEM;
				goto out;
			}
			c->bo_lists = n;
			c->cap_bo_lists = cap;
		}
		uint32_t nh = vgpu_lowest_free_id(c->bo_lists, c->num_bo_lists,
						  sizeof(struct vgpu_bo_list), 1);
		if (!nh || nh > INT32_MAX) {
			r = -ENOSPC;
			goto out;
		}
		l = &c->bo_lists[c->num_bo_lists++];
		l->handle = nh;
		l->num_entries = args->in.bo_number;
		l->bo_handles = handles;
		handles = NULL;
		handle = nh;
		break;
	}
	case AMDGPU_BO_LIST_OP_DESTROY:
		/* amdgpu_bo_list_destroy: an unknown handle is silently ignored */
		l = list_find(c, handle);
		if (l) {
			free(l->bo_handles);
			*l = c->bo_lists[--c->num_bo_lists];
		}
		handle = 0;
		break;
	case AMDGPU_BO_LIST_OP_UPDATE:
		r = list_create(f, info, args->in.bo_number, &handles);
		if (r)
			goto out;
		l = list_find(c, handle);
		if (!l) {
			r = -ENOENT; /* idr_replace of a missing id */
			goto out;
		}
		free(l->bo_handles);
		l->bo_handles = handles;
		l->num_entries = args->in.bo_number;
		handles = NULL;
		break;
	default:
		r = -EINVAL;
		goto out;
	}
	memset(args, 0, sizeof(*args));
	args->out.list_handle = handle;
out:
	free(handles);
	free(info);
	return r;
}

void vgpu_bo_list_file_fini(struct vgpu_ctl_file *c)
{
	for (size_t i = 0; i < c->num_bo_lists; i++)
		free(c->bo_lists[i].bo_handles);
	free(c->bo_lists);
	c->bo_lists = NULL;
	c->num_bo_lists = c->cap_bo_lists = 0;
}
