/*
 * Per-process side of GEM objects: the memfd behind each BO this process
 * references, the handle table of each open file (drm_file.object_idr),
 * and file open/release (amdgpu_driver_open_kms / postclose_kms for memory).
 */
#include "internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static pthread_mutex_t local_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mem_bo *by_slot[MEM_MAX_BOS];
static struct vgpu_mem_file *files;
static pid_t local_pid;

/* After fork() the child inherits this process's files and handles (the
 * kernel would share the drm_file between both) and its CPU mappings.  The
 * child takes its own references on the BOs it inherited, so each process's references are
 * dropped when that process goes. */
/* Set in the child by pthread_atfork, so the common path (every GPU memory
 * access of every lane takes mem_local_lock) costs no getpid() system call:
 * that call was over half of the shader core's time. */
static volatile int forked_since_adopt;

static void mark_forked(void)
{
	forked_since_adopt = 1;
}

__attribute__((constructor)) static void register_fork_mark(void)
{
	pthread_atfork(NULL, NULL, mark_forked);
}

static void adopt_after_fork(void)
{
	if (local_pid != 0 && !forked_since_adopt)
		return;
	forked_since_adopt = 0;
	pid_t me = getpid();
	if (local_pid == me)
		return;
	bool had = local_pid != 0;
	local_pid = me;
	if (!had || !mem_shared())
		return;
	mem_shared_lock();
	for (uint32_t i = 0; i < MEM_MAX_BOS; i++) {
		struct mem_bo *bo = by_slot[i];
		if (!bo || !bo->refs)
			continue;
		struct mem_gbo *g = mem_gbo_get(bo->gid);
		if (g)
			mem_gbo_hold(g, (int)bo->refs, -1);
	}
	mem_cpu_maps_adopt();
	mem_shared_unlock();
}

void mem_local_lock(void)
{
	pthread_mutex_lock(&local_lock);
	adopt_after_fork();
}

void mem_local_unlock(void)
{
	pthread_mutex_unlock(&local_lock);
}

struct vgpu_mem_file *mem_files_head(void)
{
	return files;
}

void mem_bo_memfd_name(uint32_t gid, char *buf, size_t cap)
{
	snprintf(buf, cap, "amdbare-vgpu-bo-%s-%u", mem_instance_name(), gid);
}

void mem_appendf(char *buf, size_t cap, size_t *off, const char *fmt, ...)
{
	if (!buf || *off >= cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + *off, cap - *off, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off = (*off + (size_t)n < cap) ? *off + (size_t)n : cap - 1;
}

struct mem_bo *mem_bo_find(uint32_t gid)
{
	struct mem_bo *bo = by_slot[(gid - 1) % MEM_MAX_BOS];
	return bo && bo->gid == gid ? bo : NULL;
}

struct mem_bo *mem_bo_new(uint32_t gid, int memfd, uint64_t size)
{
	struct mem_bo *bo = calloc(1, sizeof(*bo));
	if (!bo)
		return NULL;
	bo->gid = gid;
	bo->memfd = memfd;
	bo->size = size;
	by_slot[(gid - 1) % MEM_MAX_BOS] = bo;
	return bo;
}

/* Last local reference gone: the process's memfd and internal mapping go;
 * the BO itself lives on while another process or a dma-buf holds it. */
static void bo_local_free(struct mem_bo *bo)
{
	if (by_slot[(bo->gid - 1) % MEM_MAX_BOS] == bo)
		by_slot[(bo->gid - 1) % MEM_MAX_BOS] = NULL;
	if (bo->kmap)
		vgpu_real_munmap(bo->kmap, bo->size);
	if (bo->memfd >= 0)
		vgpu_real_close(bo->memfd);
	free(bo);
}

int mem_handle_create(struct vgpu_mem_file *mf, struct mem_bo *bo, bool ref_taken,
		      uint32_t *handle)
{
	/* drm_gem_handle_create_tail: idr_alloc(..., 1, 0) takes the lowest free id */
	uint32_t h;
	for (h = mf->first_free ? mf->first_free : 1; h < mf->nhandles; h++)
		if (!mf->handles[h])
			break;
	if (h >= mf->nhandles) {
		uint32_t ncap = mf->nhandles ? mf->nhandles * 2 : 64;
		struct mem_bo **n = realloc(mf->handles, ncap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		memset(n + mf->nhandles, 0, (ncap - mf->nhandles) * sizeof(*n));
		mf->handles = n;
		mf->nhandles = ncap;
	}
	if (!ref_taken) {
		mem_shared_lock();
		struct mem_gbo *g = mem_gbo_get(bo->gid);
		int r = g ? mem_gbo_hold(g, 1, -1) : -ENOENT;
		mem_shared_unlock();
		if (r)
			return r;
	}
	mf->handles[h] = bo;
	mf->first_free = h + 1;
	bo->refs++;
	*handle = h;
	return 0;
}

struct mem_bo *mem_handle_lookup(struct vgpu_mem_file *mf, uint32_t handle)
{
	if (!mf || handle == 0 || handle >= mf->nhandles)
		return NULL;
	return mf->handles[handle];
}

uint32_t mem_handle_of(struct vgpu_mem_file *mf, struct mem_bo *bo)
{
	for (uint32_t h = 1; h < mf->nhandles; h++)
		if (mf->handles[h] == bo)
			return h;
	return 0;
}

void mem_bo_drop_unreferenced(struct mem_bo *bo)
{
	if (bo->refs == 0)
		bo_local_free(bo);
}

int mem_handle_delete(struct vgpu_mem_file *mf, uint32_t handle)
{
	/* drm_gem_handle_delete */
	struct mem_bo *bo = mem_handle_lookup(mf, handle);
	if (!bo)
		return -EINVAL;
	/* drm_gem_object_release_handle -> amdgpu_gem_object_close ->
	 * amdgpu_vm_bo_del: the file's mappings of this BO go with it. */
	mem_vm_bo_del(mf, bo);
	mf->handles[handle] = NULL;
	if (handle < mf->first_free)
		mf->first_free = handle;
	bo->refs--;
	mem_shared_lock();
	struct mem_gbo *g = mem_gbo_get(bo->gid);
	if (g)
		mem_gbo_release(g, 1);
	mem_shared_unlock();
	mem_bo_drop_unreferenced(bo);
	return 0;
}

int vgpu_mem_file_init(struct vgpu_file *f)
{
	int r = mem_shared_attach();
	if (r)
		return r;
	struct vgpu_mem_file *mf = calloc(1, sizeof(*mf));
	if (!mf)
		return -ENOMEM;
	mf->file = f;
	mem_local_lock();
	mf->next_file = files;
	files = mf;
	mem_local_unlock();
	f->mem = mf;
	return 0;
}

void vgpu_mem_file_fini(struct vgpu_file *f)
{
	struct vgpu_mem_file *mf = f->mem;
	if (!mf)
		return;
	mem_local_lock();
	/* drm_gem_release: every handle goes, with its VA mappings */
	for (uint32_t h = 1; h < mf->nhandles; h++)
		if (mf->handles[h])
			mem_handle_delete(mf, h);
	mem_vm_fini(mf);
	for (struct vgpu_mem_file **p = &files; *p; p = &(*p)->next_file)
		if (*p == mf) {
			*p = mf->next_file;
			break;
		}
	mem_local_unlock();
	free(mf->handles);
	free(mf->maps);
	free(mf);
	f->mem = NULL;
}

bool vgpu_mem_handle_valid(struct vgpu_file *f, uint32_t handle)
{
	mem_local_lock();
	bool ok = mem_handle_lookup(f->mem, handle) != NULL;
	mem_local_unlock();
	return ok;
}
