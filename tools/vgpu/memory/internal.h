/*
 * Memory side of the vgpu (memory/): GEM objects, memory domains, TTM's
 * placement/eviction policy, GPU VA, CPU mmap, PRIME and userptr.
 *
 * Two levels of state:
 *  - device-global, in POSIX shared memory /amdbare-vgpu-<instance> (the
 *    kernel's amdgpu_device + TTM resource managers): heap usage, counters,
 *    and the table of all BOs with their placement, flags, metadata and
 *    which processes hold references.  Protected by a robust process-shared
 *    mutex.  See memory/shared.c.
 *  - per process (this file's `struct mem_bo`, `struct vgpu_mem_file`): the
 *    memfd backing each BO, handles, VM mappings, CPU mappings.  Protected by
 *    one process-wide mutex (mem_local_lock); the shared lock nests inside.
 */
#ifndef VGPU_MEM_INTERNAL_H
#define VGPU_MEM_INTERNAL_H

#include <sys/stat.h> /* vgpu_device.h uses struct stat */

#include "base/file.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- Kernel constants (Linux 6.1) --------------------------------------- */

#define MEM_PAGE_SIZE 4096ULL
#define MEM_PAGE_SHIFT 12
/* amdgpu_vm.h: VRAM the VM code keeps back from user BOs */
#define MEM_VM_RESERVED_VRAM (8ULL << 20)
/* amdgpu_vm.h: AMDGPU_VA_RESERVED_SIZE */
#define MEM_VA_RESERVED_SIZE (2ULL << 20)
/* amdgpu_gmc.h */
#define MEM_GMC_HOLE_START 0x0000800000000000ULL
#define MEM_GMC_HOLE_END 0xffff800000000000ULL
#define MEM_GMC_HOLE_MASK 0x0000ffffffffffffULL
/* gmc_v9/v10/v11: amdgpu_vm_adjust_size(adev, 256 * 1024, 9, 3, 48) */
#define MEM_VM_MAX_PFN (1ULL << 36)
/* drm_gem.c: DRM_FILE_PAGE_OFFSET_START (in pages) */
#define MEM_FILE_PAGE_OFFSET_START 0x100000ULL
/* drm_gem.c: DRM_FILE_PAGE_OFFSET_SIZE (in pages) */
#define MEM_FILE_PAGE_OFFSET_SIZE (0xFFFFFULL * 256)

/* uapi values newer than libdrm 2.4.114's header (include/uapi/drm/amdgpu_drm.h of 6.1) */
#ifndef AMDGPU_GEM_CREATE_DISCARDABLE
#define AMDGPU_GEM_CREATE_DISCARDABLE (1 << 12)
#endif
#ifndef AMDGPU_VM_PAGE_NOALLOC
#define AMDGPU_VM_PAGE_NOALLOC (1 << 9)
#endif

/* TTM memory types (ttm_placement.h, amdgpu_ttm.h) */
enum mem_pl {
	MEM_PL_SYSTEM = 0,
	MEM_PL_TT = 1,
	MEM_PL_VRAM = 2,
	MEM_PL_GDS,
	MEM_PL_GWS,
	MEM_PL_OA,
};

/* ---- Device-global state (shared memory) ------------------------------- */

#define MEM_MAX_BOS 16384
#define MEM_MAX_HOLDERS 16
#define MEM_MAX_DMABUF_FDS 4

/* One process's references to a BO: GEM handles (in any of its files),
 * dma-buf fds it exported and CPU mappings of it.  The kernel's refcount,
 * split by process so that a process that dies without closing can be
 * reclaimed. */
struct mem_holder {
	int32_t pid;               /* 0: free */
	uint32_t handles;
	uint64_t start_time;       /* /proc/<pid>/stat field 22 */
	uint32_t ndmabuf;          /* dma-buf fds exported, tracked or not */
	int32_t dmabuf_fd[MEM_MAX_DMABUF_FDS]; /* -1: untracked/free */
	/* CPU mappings (vmas) of the BO in this process: each holds a
	 * reference (drm_gem_mmap_obj / ttm_bo_vm_open take one,
	 * ttm_bo_vm_close puts it), so a BO closed while mapped lives
	 * until its last piece is unmapped (memory/cpu_map.c) */
	uint32_t cpu_maps;
};

struct mem_gbo {
	uint32_t id;               /* 0: free slot */
	uint32_t mem_type;         /* enum mem_pl of the current resource */
	uint64_t size;             /* amdgpu_bo_size() */
	uint64_t flags;            /* abo->flags */
	uint32_t preferred_domains, allowed_domains;
	uint32_t page_alignment;   /* tbo.page_alignment (pages) */
	uint32_t is_userptr;
	uint64_t vis_bytes, invis_bytes; /* VRAM resource split */
	uint64_t lru;              /* LRU stamp: lower = evicted first */
	uint64_t vma_start;        /* fake mmap offset, in pages */
	uint64_t ino, dev;         /* of the backing memfd */
	uint64_t tiling_flags;
	uint32_t metadata_size;
	uint32_t flink_name;       /* GEM_FLINK name (the gid), 0: none; was padding */
	uint64_t metadata_flags;
	uint8_t metadata[256];
	struct mem_holder holders[MEM_MAX_HOLDERS];
	uint32_t vram_file;        /* 1 + index in mem_shared.vram_file, 0: own memfd */
	uint32_t pad;
};

/* One backing file of the VRAM pool (memory/vram_pool.c): a file in
 * /dev/shm that keeps its pages after the BO it backed is freed, so the
 * next VRAM BO writes into pages the host already has, as real VRAM is
 * there before any BO. */
#define MEM_VRAM_FILES 256
struct mem_vram_file {
	uint32_t gid;              /* BO it backs now, 0: free */
	uint32_t exists;           /* the file was created */
	uint64_t size;             /* its length (pages beyond were given back) */
	uint64_t ino, dev;
};

#define MEM_SHM_MAGIC 0x6d656d76u /* "vmem" */
/* 2: the reset counters and VRAM-lost marks below; 3: the machine name
 * records the kernel version ("780m, kernel 6.1"); 4: the VRAM pool
 * (vram_file, mem_gbo.vram_file); 5: CPU mappings hold
 * references (mem_holder.cpu_maps); 6: the gfx11 GDS GS registers
 * (gs_regs); 7: the chip's GDS memory (gds).  An unused instance of
 * another version is replaced, one in use refused (memory/shared.c), never
 * misread. */
#define MEM_SHM_VERSION 7u

struct mem_shared {
	uint32_t magic, version;
	uint64_t struct_size;
	uint32_t ready;            /* set (atomically) once initialised */
	uint32_t nslots;           /* high-water mark of used slots */
	pthread_mutex_t lock;      /* robust, process-shared */
	char profile[32];
	uint64_t vram_size, vis_vram_size, gtt_size;
	int tmz;                   /* amdgpu_gmc_tmz_set() outcome */
	uint64_t vram_used, vis_used, gtt_used;
	uint64_t num_evictions, num_bytes_moved, num_cpu_faults;
	uint64_t lru_clock;
	uint64_t gen;
	uint64_t vma_next;         /* next free fake-offset page */
	/* adev->gpu_reset_counter and adev->vram_lost_counter: a GPU reset
	 * in any process of the instance moves them for every process
	 * (exec/fence.c, exec/reset.c; docs/fault-injection.md) */
	_Atomic uint32_t gpu_reset_counter;
	_Atomic uint32_t vram_lost_counter;
	/* gfx11's GS registers embedded in GDS (exec/gs_regs.c): one set per
	 * chip, as the hardware has, changed by the shader's
	 * ds_add/sub_gs_reg_rtn and the CP's register writes (shared lock) */
	uint32_t gs_regs[24];
	/* the chip's GDS memory (exec/gds_mem.c): 64 KiB, the largest
	 * gfx_v*_set_gds_init gives (gfx10.x, most gfx9); a job addresses
	 * its VMID partition of it.  Shared by every process of the
	 * instance, as the GDS is one per chip (shared lock) */
	uint8_t gds[0x10000];
	struct mem_gbo bo[MEM_MAX_BOS];
	/* lost_gid[slot] == id of the BO in that slot: it was in VRAM at a
	 * VRAM loss and its contents are not scrambled yet; the first process
	 * holding it that applies the loss scrambles them and clears the mark
	 * (shared lock) */
	uint32_t lost_gid[MEM_MAX_BOS];
	struct mem_vram_file vram_file[MEM_VRAM_FILES];
};

/* Attaches to (creating if needed) the instance's shared state; called from
 * vgpu_mem_file_init.  0 or -errno. */
int mem_shared_attach(void);
/* The attached state, or NULL before mem_shared_attach succeeded. */
struct mem_shared *mem_shared(void);
/* Lock/unlock the shared state (recovers a lock whose owner died). */
void mem_shared_lock(void);
void mem_shared_unlock(void);
/* The shm slot of global id `gid` if that BO is still alive, else NULL. */
struct mem_gbo *mem_gbo_get(uint32_t gid);
/* A new BO slot (id set, zeroed otherwise); NULL if the table is full. */
struct mem_gbo *mem_gbo_alloc(void);
/* Adds/removes one process's references; frees the BO (and its placement)
 * when no process holds any.  Returns true if the BO was freed. */
int mem_gbo_hold(struct mem_gbo *g, int handles, int dmabuf_fd);
bool mem_gbo_release(struct mem_gbo *g, int handles);
/* One CPU mapping's reference of this process (ttm_bo_vm_open /
 * ttm_bo_vm_close); the put frees the BO when it was the last reference.
 * Shared lock held. */
int mem_gbo_map_get(struct mem_gbo *g);
bool mem_gbo_map_put(struct mem_gbo *g);
void mem_gbo_free(struct mem_gbo *g);
/* Drops references of dead processes and closed dma-buf fds; returns the
 * number of BOs freed.  Shared lock held. */
int mem_shared_sweep(void);
/* A range of fake mmap offsets (pages) for a new BO; -ENOSPC when the
 * offset space is full.  Shared lock held. */
int mem_vma_alloc(uint64_t pages, uint64_t *start);
/* This process's start time (for holder records). */
uint64_t mem_self_start_time(void);

/* Device reset counters in the shared state (0 before attaching). */
uint32_t mem_dev_gpu_reset_counter(void);
uint32_t mem_dev_vram_lost_counter(void);
/* atomic_inc(&adev->gpu_reset_counter) */
void mem_dev_gpu_reset_inc(void);
/* amdgpu_inc_vram_lost: marks every BO now in VRAM as lost, then moves
 * the counter.  Takes the shared lock. */
void mem_dev_vram_lost_inc(void);
/* True (once) if BO `gid` was marked lost and not scrambled yet: the
 * caller scrambles it before it drops the shared lock, so no other
 * holder sees the old contents meanwhile.  Shared lock held. */
bool mem_dev_take_lost(uint32_t gid);

/* ---- VRAM pool (memory/vram_pool.c) ------------------------------------ */

/* Smallest VRAM BO that gets a pool file (smaller ones keep a memfd). */
#define MEM_VRAM_POOL_MIN (2ULL << 20)
/* Reserves a pool file for new BO `g` (shared lock held): a free file
 * (the best fit, else the largest) or a new one; 0 when `g` is not in
 * VRAM, is small, or the pool is full. */
uint32_t mem_vram_pool_take(struct mem_gbo *g);
/* Opens pool file `vf` (1 + index) for a BO of `size` bytes: length set to
 * `size`; with `clear`, the pages it already has are zeroed (what
 * amdgpu_fill_buffer / amdgpu_ttm_clear_buffer do to VRAM).  The fd or
 * -errno.  No lock held. */
int mem_vram_pool_open(uint32_t vf, uint64_t size, bool clear, uint64_t *ino, uint64_t *dev);
/* Whether the kernel clears the VRAM of a new user BO with these flags. */
bool mem_vram_clears(uint64_t flags);
/* Gives BO `g`'s pool file back (on free, shared lock held): kept with its
 * pages, or removed when the free files would hold more than the VRAM. */
void mem_vram_pool_put(struct mem_gbo *g);
/* Forgets a reservation whose file could not be opened (shared lock). */
void mem_vram_pool_drop(uint32_t vf);
/* Removes every pool file of the instance (a fresh device). */
void mem_vram_pool_reset(void);
/* "/dev/shm/amdbare-vgpu-<instance>-vram-<index>" */
void mem_vram_pool_path(uint32_t index, char *buf, size_t cap);
/* The BO backed by the pool file at `path` (a readlink of an fd or a maps
 * path), or 0 if `path` is no pool file of this instance.  Shared lock. */
uint32_t mem_vram_pool_gid(const char *path);

/* ---- Placement (memory/placement.c, shared lock held) --------------------- */

struct mem_place {
	int mem_type;
	bool vis_only;     /* lpfn = visible_vram_size (CPU_ACCESS_REQUIRED) */
	bool invis_only;   /* fpfn = visible_vram_size (amdgpu_evict_flags) */
	bool topdown;      /* TTM_PL_FLAG_TOPDOWN */
};
struct mem_res {
	int mem_type;
	uint64_t vis, invis;
};

/* amdgpu_bo_placement_from_domain; returns the number of places. */
int mem_places_from_domain(uint32_t domain, uint64_t flags,
			   struct mem_place *out);
/* ttm_bo_validate: moves `g` to one of `places` (busy: the places that may
 * evict, may be a prefix/other list).  0, -ENOMEM or -EINVAL. */
int mem_validate(struct mem_gbo *g, const struct mem_place *places, int n,
		 const struct mem_place *busy, int nbusy);
/* Releases the BO's current resource (on free). */
void mem_res_release(struct mem_gbo *g);
/* Gives the BO its initial (SYSTEM) resource. */
void mem_res_init_system(struct mem_gbo *g);

/* ---- Per process ------------------------------------------------------- */

struct mem_bo {
	uint32_t gid;
	int memfd;                 /* -1 for userptr */
	uint64_t size;
	bool is_userptr;
	uint64_t userptr;
	uint32_t userptr_flags;
	unsigned refs;             /* handles in this process */
	void *kmap;                /* internal shared mapping (vm translate) */
	struct mem_bo *next;
};

struct mem_mapping {
	uint64_t start, last;      /* GPU pages, inclusive (interval tree) */
	uint64_t offset;           /* bytes into the BO */
	uint32_t flags;            /* AMDGPU_VM_PAGE_* as given */
	struct mem_bo *bo;         /* NULL: PRT mapping (fpriv->prt_va) */
};

struct vgpu_mem_file {
	struct mem_bo **handles;   /* index = handle; [0] unused */
	uint32_t nhandles;         /* array capacity */
	uint32_t first_free;       /* no free handle below this one */
	struct mem_mapping *maps;  /* sorted by start */
	size_t nmaps, capmaps;
	struct vgpu_file *file;
	struct vgpu_mem_file *next_file;
};

/* Process-wide lock of the memory side (handles, local BOs, mappings). */
void mem_local_lock(void);
void mem_local_unlock(void);
/* Local BO for a global id (created on demand with `memfd` if non-NULL). */
struct mem_bo *mem_bo_find(uint32_t gid);
struct mem_bo *mem_bo_new(uint32_t gid, int memfd, uint64_t size);
/* Takes a reference for a new handle in `mf` (drm_gem_handle_create:
 * lowest free handle >= 1); records the holder in the shared table unless
 * the caller already did (`ref_taken`, under the same shared lock that
 * created or found the BO, so no sweep can free it in between). */
int mem_handle_create(struct vgpu_mem_file *mf, struct mem_bo *bo, bool ref_taken,
		      uint32_t *handle);
/* Frees the local BO if no handle of this process refers to it. */
void mem_bo_drop_unreferenced(struct mem_bo *bo);
/* The preferred domains and size in bytes (for GDS/GWS/OA: one page per
 * byte or resource, as amdgpu_bo_create sizes them) of the BO behind
 * `handle`: 0, or -ENOENT. */
int mem_handle_domain(struct vgpu_mem_file *mf, uint32_t handle, uint32_t *preferred,
		      uint64_t *size);
/* The BO of a handle, or NULL. */
struct mem_bo *mem_handle_lookup(struct vgpu_mem_file *mf, uint32_t handle);
/* Existing handle of `bo` in this file, or 0. */
uint32_t mem_handle_of(struct vgpu_mem_file *mf, struct mem_bo *bo);
/* drm_gem_handle_delete: -EINVAL if unknown. */
int mem_handle_delete(struct vgpu_mem_file *mf, uint32_t handle);
/* Name of a BO's memfd: "amdbare-vgpu-bo-<instance>-<gid>". */
void mem_bo_memfd_name(uint32_t gid, char *buf, size_t cap);
const char *mem_instance_name(void);

/* Whether a process this one may inspect maps the shared-state file
 * /dev/shm<shm_name> with inode `ino` (memory/shared_stale.c). */
bool mem_shm_file_in_use(const char *shm_name, unsigned long long ino);
/* All memory files of this process (for reports). */
struct vgpu_mem_file *mem_files_head(void);

/* amdgpu_bo_create for a user BO (shared lock held); on success the BO has
 * one reference held by this process (for the handle to come). */
int mem_bo_create_locked(uint64_t size, int alignment, uint32_t domain, uint64_t flags,
			 struct mem_gbo **out);
/* Gives a just-created BO its memfd (memfd -2: make one; -1: none, for
 * userptr), a local object and a handle in `mf`; undoes all on failure. */
int mem_bo_install(struct vgpu_mem_file *mf, uint32_t gid, uint64_t size, int memfd,
		   uint32_t *handle, struct mem_bo **out);
/* Both of the above (amdgpu_gem_object_create + drm_gem_handle_create). */
int mem_gem_create_handle(struct vgpu_mem_file *mf, uint64_t size, int alignment,
			  uint32_t domain, uint64_t flags, int memfd, uint32_t *handle,
			  struct mem_bo **out);

/* VM teardown for one BO (amdgpu_vm_bo_del) and for the whole file. */
void mem_vm_bo_del(struct vgpu_mem_file *mf, struct mem_bo *bo);
void mem_vm_fini(struct vgpu_mem_file *mf);

/* CPU mapping bookkeeping (memory/cpu_map.c). */
int mem_cpu_map_count(char *buf, size_t cap, size_t *off);
/* After fork: the child's own references for the CPU mappings it
 * inherited (ttm_bo_vm_open on each copied vma).  Local and shared locks
 * held. */
void mem_cpu_maps_adopt(void);
/* A maps file ("/proc/self/maps", "/proc/<pid>/maps") read through the
 * real libc, NUL-terminated; caller frees; NULL on failure.  Used for
 * CPU-mapping reports, the userptr page checks and the stale-instance
 * check (memory/shared_stale.c). */
char *mem_read_maps(const char *path);

/* copy_to_user into this process: -EFAULT for a bad pointer. */
int mem_copy_to_user(uint64_t uptr, const void *src, size_t len);

/* Appends with snprintf semantics to buf at *off (never overflows). */
void mem_appendf(char *buf, size_t cap, size_t *off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif /* VGPU_MEM_INTERNAL_H */
