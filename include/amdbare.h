/*
 * amdbare — AMD GPU memory and compute at the lowest level that still runs
 * as a normal user: libdrm, libdrm_amdgpu, libelf and libc, nothing else.
 *
 * Conventions (they hold for every function below):
 *   - Functions that can fail return 0 (or a non-negative count) on success
 *     and a negative errno on failure.  On failure a human-readable message
 *     with context (device node, sizes, what the kernel said) is left in a
 *     thread-local buffer; read it with amdbare_last_error().
 *   - Handles are opaque.  A failed call leaves its output handle NULL and
 *     allocates nothing.  Freeing functions accept NULL.
 *   - A device handle may be used from several threads; a buffer handle is
 *     owned by one thread at a time unless stated otherwise.
 */
#ifndef AMDBARE_H
#define AMDBARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AMDBARE_VERSION_MAJOR 0
#define AMDBARE_VERSION_MINOR 1

/* ------------------------------------------------------------------------ */
/* Errors                                                                    */
/* ------------------------------------------------------------------------ */

/* The message left by the last failed amdbare call on this thread ("" if
 * none).  The pointer stays valid until the next amdbare call on this
 * thread. */
const char *amdbare_last_error(void);

/* ------------------------------------------------------------------------ */
/* Devices                                                                   */
/* ------------------------------------------------------------------------ */

typedef struct amdbare_device amdbare_device;

/* Counts the amdgpu devices that have a render node.
 * Returns the count (>= 0 only when at least one exists: 0 is never
 * returned; no device is an error) or:
 *   -ENOENT  no /dev/dri at all (no DRM driver loaded, or a container
 *            without the device passed through);
 *   -ENODEV  DRM devices exist but none is driven by amdgpu (the message
 *            names the drivers found). */
int amdbare_device_count(void);

/* Opens the index-th amdgpu device (0-based, in drmGetDevices2 order),
 * opens its render node and initialises libdrm_amdgpu on it.
 * Errors: -ENOENT/-ENODEV as above, -EINVAL index out of range,
 * -EACCES/-EPERM the node exists but may not be opened (the message names
 * the node and the group that owns it, usually "render"), or the errno of
 * the failing kernel query. */
int amdbare_device_open(int index, amdbare_device **out);

/* Opens a specific node (e.g. "/dev/dri/renderD129").  A node of another
 * driver gives -ENODEV naming that driver. */
int amdbare_device_open_path(const char *node_path, amdbare_device **out);

/* Closes the device.  Buffers still open on it are freed first (and the
 * count of such leaked buffers is left in amdbare_last_error()).  NULL is
 * accepted. */
void amdbare_device_close(amdbare_device *dev);

/* The render node's file descriptor (owned by the device; do not close). */
int amdbare_device_fd(const amdbare_device *dev);

/* The libdrm_amdgpu device handle (amdgpu_device_handle), for callers who
 * want to use libdrm_amdgpu directly alongside amdbare. */
void *amdbare_device_libdrm_handle(const amdbare_device *dev);

typedef struct amdbare_device_info {
	char node_path[64];        /* "/dev/dri/renderD128" */
	char pci_bus[32];          /* "0000:c4:00.0" */
	uint16_t pci_vendor;       /* 0x1002 */
	uint16_t pci_device;       /* e.g. 0x15bf */
	uint8_t pci_revision;
	char marketing_name[128];  /* from amdgpu.ids, or "AMD Radeon Graphics" */
	uint32_t family_id;        /* AMDGPU_FAMILY_* */
	uint32_t chip_external_rev;
	uint32_t gc_major, gc_minor, gc_revision; /* GC IP version, 11.0.1 */
	char gfx_target[16];       /* "gfx1103"; "" when unknown */
	bool is_apu;               /* VRAM is a carve-out of system RAM */
	uint32_t cu_count;         /* active compute units */
	uint32_t num_shader_engines;
	uint32_t wave_size;        /* native wavefront size (32 on gfx10+, 64 on gfx9) */
	bool wave64_supported;     /* gfx10+ run wave64 too */
	uint32_t max_engine_clock_mhz;
	uint32_t max_memory_clock_mhz;
	uint32_t vram_bit_width;
	uint32_t drm_major, drm_minor, drm_patchlevel; /* amdgpu KMS version */
	bool is_virtual;           /* served by amdbare's virtual device (vgpu) */
	char virtual_profile[32];  /* vgpu profile name when is_virtual */
} amdbare_device_info;

/* Fills *info.  Never fails on a successfully opened device. */
void amdbare_device_get_info(const amdbare_device *dev, amdbare_device_info *info);

/* One memory heap as the kernel reports it (AMDGPU_INFO_MEMORY). */
typedef struct amdbare_heap_info {
	uint64_t total;            /* bytes */
	uint64_t usable;           /* what the kernel lets user space use */
	uint64_t used;             /* current device-global usage (all processes) */
	uint64_t max_allocation;   /* largest single allocation the kernel allows */
} amdbare_heap_info;

typedef struct amdbare_memory_info {
	amdbare_heap_info vram;          /* all of VRAM */
	amdbare_heap_info visible_vram;  /* the CPU-visible part of VRAM */
	amdbare_heap_info gtt;           /* system memory the GPU maps */
	uint64_t num_evictions;          /* AMDGPU_INFO_NUM_EVICTIONS */
	uint64_t num_bytes_moved;        /* AMDGPU_INFO_NUM_BYTES_MOVED */
	uint64_t num_vram_cpu_page_faults;
} amdbare_memory_info;

/* Device-global memory: sizes and current usage.
 * -EOPNOTSUPP (with the kernel's amdgpu version in the message) when the
 * kernel is too old for AMDGPU_INFO_MEMORY. */
int amdbare_device_query_memory(amdbare_device *dev, amdbare_memory_info *out);

/* This process's own usage, parsed from /proc/self/fdinfo/<render fd>.
 * Only the keys the kernel printed are filled; has_* says which. */
typedef struct amdbare_process_usage {
	bool has_vram, has_gtt, has_cpu, has_visible_vram, has_evicted_vram;
	bool has_requested_vram, has_requested_gtt;
	uint64_t vram;             /* bytes (the kernel prints KiB) */
	uint64_t gtt;
	uint64_t cpu;
	uint64_t visible_vram;
	uint64_t evicted_vram;
	uint64_t requested_vram;
	uint64_t requested_gtt;
	uint64_t client_id;        /* drm-client-id, 0 if absent */
} amdbare_process_usage;

/* -ENOENT/-EACCES when fdinfo cannot be read; -ENODATA when it holds no
 * memory key at all (kernel older than 5.19). */
int amdbare_device_query_process_usage(amdbare_device *dev, amdbare_process_usage *out);

/* Everything amdgpu's fdinfo says about one DRM file, in the format of
 * whichever kernel printed it (Documentation/gpu/drm-usage-stats.rst):
 *  - AMDBARE_FDINFO_MEMORY: 5.19-6.2, drm-memory-{vram,gtt,cpu} only;
 *  - AMDBARE_FDINFO_AMD_STATS: 6.3-6.12, plus amd-memory-visible-vram,
 *    amd-evicted-(visible-)vram, amd-requested-(visible-)vram/gtt;
 *  - AMDBARE_FDINFO_MEMORY_STATS: 6.13+, drm_print_memory_stats
 *    (drm-total-, drm-shared-, drm-resident-, drm-purgeable-, drm-active-
 *    per region), drm-memory-* kept as aliases of resident, the amd-*
 *    visible keys gone.
 * Every key is optional (has_*); values are bytes whatever unit the
 * kernel printed.  For `top`-like readers of other processes' fdinfo. */
typedef enum amdbare_fdinfo_format {
	AMDBARE_FDINFO_NONE = 0,        /* no amdgpu memory key at all */
	AMDBARE_FDINFO_MEMORY,
	AMDBARE_FDINFO_AMD_STATS,
	AMDBARE_FDINFO_MEMORY_STATS,
} amdbare_fdinfo_format;

typedef struct amdbare_fdinfo_region {
	bool has_total, has_shared, has_resident, has_purgeable, has_active, has_memory;
	uint64_t total, shared, resident, purgeable, active;
	uint64_t memory;                 /* drm-memory-<region> (legacy) */
} amdbare_fdinfo_region;

#define AMDBARE_FDINFO_MAX_ENGINES 16
typedef struct amdbare_fdinfo {
	amdbare_fdinfo_format format;
	char driver[32];                 /* drm-driver, "" if absent */
	char pdev[32];                   /* drm-pdev */
	char client_name[64];            /* drm-client-name (6.12+, when set) */
	bool has_client_id, has_pasid;
	uint64_t client_id;
	uint32_t pasid;
	amdbare_fdinfo_region vram, gtt, cpu;
	bool has_visible_vram, has_evicted_vram, has_evicted_visible_vram;
	bool has_requested_vram, has_requested_visible_vram, has_requested_gtt;
	uint64_t visible_vram, evicted_vram, evicted_visible_vram;
	uint64_t requested_vram, requested_visible_vram, requested_gtt;
	uint32_t n_engines;              /* drm-engine-<name>: busy time */
	struct {
		char name[24];
		uint64_t busy_ns;
		uint32_t capacity;           /* drm-engine-capacity-<name>, 0 if absent */
	} engines[AMDBARE_FDINFO_MAX_ENGINES];
} amdbare_fdinfo;

/* Parses fdinfo text (tolerant: unknown keys and malformed lines are
 * skipped).  0, or -ENODATA when it holds no amdgpu memory key (not a DRM
 * file, or a kernel older than 5.19). */
int amdbare_fdinfo_parse(const char *text, amdbare_fdinfo *out);
/* Reads and parses a fdinfo file ("/proc/1234/fdinfo/5").  -errno with a
 * message naming the file when it cannot be read; -ENODATA as above. */
int amdbare_fdinfo_read(const char *path, amdbare_fdinfo *out);

/* Where the GTT heap's size comes from, and the machine's RAM around it.
 * Read from /proc/meminfo, /proc/cmdline, /sys/module/{ttm,amdttm}/
 * parameters/pages_limit and /sys/module/amdgpu/parameters/gttsize, and
 * matched against the GTT total the kernel reports.  Every has_* says
 * whether that file could be read (gttsize is root-only on a real kernel). */
typedef enum amdbare_gtt_limit_source {
	AMDBARE_GTT_LIMIT_DEFAULT = 0,       /* the kernel's own formula */
	AMDBARE_GTT_LIMIT_TTM_PAGES_LIMIT,   /* ttm.pages_limit (or amdttm's) */
	AMDBARE_GTT_LIMIT_AMDGPU_GTTSIZE,    /* amdgpu.gttsize (deprecated) */
} amdbare_gtt_limit_source;

typedef struct amdbare_gtt_ceiling {
	uint64_t limit_bytes;              /* the GTT heap's total (AMDGPU_INFO_MEMORY) */
	amdbare_gtt_limit_source source;
	const char *source_name;           /* "default", "ttm.pages_limit", "amdgpu.gttsize" */
	/* This kernel sizes GTT from the TTM page limit ("drm/amdgpu: Set GTT
	 * size equal to TTM mem limit", 6.5; measured when possible, else
	 * taken from amdgpu KMS >= 3.54); older ones use max(3 GiB, RAM / 2)
	 * unless amdgpu.gttsize is given. */
	bool gtt_follows_pages_limit;
	bool has_meminfo;
	uint64_t mem_total, mem_available, swap_total, swap_free; /* bytes */
	bool has_pages_limit;
	uint64_t pages_limit;              /* pages of 4 KiB, of the module amdgpu uses */
	bool pages_limit_given;            /* on the command line or not the default */
	bool amdttm;                       /* the DKMS amdttm module is loaded */
	bool has_gttsize;
	int64_t gttsize_mib;               /* -1 = auto */
	bool has_cmdline;
	char cmdline[512];
} amdbare_gtt_ceiling;

/* Fills *out (never fails on an open device whose memory query works;
 * -errno with a message when AMDGPU_INFO_MEMORY fails). */
int amdbare_device_query_gtt_ceiling(amdbare_device *dev, amdbare_gtt_ceiling *out);

/* ------------------------------------------------------------------------ */
/* GEM buffers                                                               */
/* ------------------------------------------------------------------------ */

typedef struct amdbare_bo amdbare_bo;

/* Domains: the same bit values as the kernel's AMDGPU_GEM_DOMAIN_*. */
enum amdbare_domain {
	AMDBARE_DOMAIN_GTT = 0x2,
	AMDBARE_DOMAIN_VRAM = 0x4,
};

/* Creation flags: the same bit values as AMDGPU_GEM_CREATE_*. */
enum amdbare_bo_flag {
	AMDBARE_BO_CPU_ACCESS = 1u << 0,      /* must be CPU-mappable (visible VRAM) */
	AMDBARE_BO_NO_CPU_ACCESS = 1u << 1,   /* never mapped by the CPU */
	AMDBARE_BO_USWC = 1u << 2,            /* write-combined CPU mapping of GTT */
	AMDBARE_BO_CLEARED = 1u << 3,         /* VRAM zeroed before use */
	AMDBARE_BO_VM_ALWAYS_VALID = 1u << 6, /* per-VM BO: never needs a BO list */
};

typedef struct amdbare_bo_create_info {
	uint64_t size;       /* bytes, > 0; rounded up to 4 KiB */
	uint64_t alignment;  /* 0 = 4 KiB; else a power of two <= 1 GiB */
	uint32_t domains;    /* AMDBARE_DOMAIN_VRAM, _GTT or both */
	uint32_t flags;      /* amdbare_bo_flag bits */
} amdbare_bo_create_info;

/* Creates a buffer with the raw GEM_CREATE ioctl and measures where it
 * landed (see amdbare_bo_get_placement).  Sizes, alignment, domains and
 * flag combinations are validated first: -EINVAL for zero sizes, unknown
 * bits, CPU_ACCESS with NO_CPU_ACCESS, USWC without GTT, alignment not a
 * power of two or above 1 GiB; -E2BIG for sizes above the heap's
 * max_allocation or that overflow when rounded.  The limit for VRAM-only
 * requests is the larger of VRAM's and GTT's max_allocation, because the
 * kernel falls back to GTT (the placement then says fell_back_to_gtt).
 * A kernel refusal (e.g. -ENOMEM) comes with the heaps' usage in the
 * message. */
int amdbare_bo_create(amdbare_device *dev, const amdbare_bo_create_info *ci,
		      amdbare_bo **out);

/* Unmaps (CPU and GPU) and frees.  NULL is accepted.  Returns 0 or the
 * first error met while tearing down (the buffer is freed regardless). */
int amdbare_bo_free(amdbare_bo *bo);

uint64_t amdbare_bo_size(const amdbare_bo *bo);
uint32_t amdbare_bo_handle(const amdbare_bo *bo);  /* GEM handle */
amdbare_device *amdbare_bo_device(const amdbare_bo *bo);

/* Maps the whole buffer for the CPU (GEM_MMAP + mmap on the render node).
 * Idempotent: a second call returns the same pointer.  -EPERM for a
 * buffer created with NO_CPU_ACCESS.  For a userptr buffer the mapping is
 * the wrapped user memory itself (the kernel refuses GEM_MMAP on those). */
int amdbare_bo_cpu_map(amdbare_bo *bo, void **ptr);
int amdbare_bo_cpu_unmap(amdbare_bo *bo);

/* GPU virtual-address permissions. */
enum amdbare_va_perm {
	AMDBARE_VA_READ = 1u << 0,
	AMDBARE_VA_WRITE = 1u << 1,
	AMDBARE_VA_EXECUTE = 1u << 2,
};

/* Maps the buffer into this device's GPU virtual address space (a range
 * from libdrm_amdgpu's VA manager, GEM_VA MAP).  -EBUSY if already mapped. */
int amdbare_bo_gpu_map(amdbare_bo *bo, uint32_t perms, uint64_t *gpu_va);
int amdbare_bo_gpu_unmap(amdbare_bo *bo);
/* The GPU address, or 0 when not mapped. */
uint64_t amdbare_bo_gpu_va(const amdbare_bo *bo);

/* Where a buffer really is.  Measured from per-process fdinfo deltas and
 * device-global usage deltas around the event (creation, first CPU touch);
 * other activity in this process or on the device at the same moment can
 * blur the deltas, which `confidence` reports. */
typedef struct amdbare_placement {
	uint32_t requested_domains;   /* what the caller asked for */
	uint32_t actual_domain;       /* AMDBARE_DOMAIN_VRAM or _GTT; 0 = unknown */
	bool fell_back_to_gtt;        /* asked VRAM only, landed in GTT */
	bool cpu_visible;             /* VRAM placement lies in the CPU-visible part */
	bool migrated;                /* moved since creation (CPU fault on invisible VRAM) */
	int64_t proc_vram_delta;      /* fdinfo deltas, bytes */
	int64_t proc_gtt_delta;
	int64_t proc_cpu_delta;
	int64_t global_vram_delta;    /* AMDGPU_INFO_*_USAGE deltas, bytes */
	int64_t global_visible_vram_delta;
	int64_t global_gtt_delta;
	uint64_t evictions_delta;     /* other buffers moved out to make room */
	uint64_t cpu_page_faults_delta;
	enum { AMDBARE_PLACEMENT_EXACT, AMDBARE_PLACEMENT_LIKELY,
	       AMDBARE_PLACEMENT_UNKNOWN } confidence;
	char evidence[160];           /* one line: what the deltas said */
} amdbare_placement;

/* The placement measured at creation, updated by amdbare_bo_touch(). */
int amdbare_bo_get_placement(const amdbare_bo *bo, amdbare_placement *out);

/* Maps the buffer for the CPU if needed, writes every page (a byte per 4
 * KiB, value `pattern`), and re-measures the placement: this is where the
 * kernel migrates a buffer out of CPU-invisible VRAM.  -EPERM for a
 * NO_CPU_ACCESS buffer.  After a touch the placement's deltas and evidence
 * ("touch: ...") describe the touch; `migrated` says whether it moved. */
int amdbare_bo_touch(amdbare_bo *bo, uint8_t pattern);

/* dma-buf: export gives a new fd the caller owns (close it); import takes
 * a dma-buf fd (not consumed) from this or another process/device. */
int amdbare_bo_export_dmabuf(amdbare_bo *bo, int *dmabuf_fd);
int amdbare_bo_import_dmabuf(amdbare_device *dev, int dmabuf_fd, amdbare_bo **out);

/* Wraps user memory as a GTT buffer (GEM_USERPTR).  ptr and size must be
 * page-aligned; the memory must stay valid until the buffer is freed.
 * `read_only` asks the kernel for a read-only mapping. */
int amdbare_bo_from_userptr(amdbare_device *dev, void *ptr, uint64_t size,
			    bool read_only, amdbare_bo **out);

/* ------------------------------------------------------------------------ */
/* Helpers for reporting                                                     */
/* ------------------------------------------------------------------------ */

/* "VRAM", "GTT", "VRAM|GTT", "none". */
const char *amdbare_domain_name(uint32_t domains);

/* Parses "vram", "gtt", "vram,gtt" (case-insensitive).  -EINVAL otherwise. */
int amdbare_parse_domains(const char *text, uint32_t *domains);

/* Parses "4096", "64K", "256M", "4G", "1.5G" (binary units).  -EINVAL for
 * junk, -ERANGE for overflow. */
int amdbare_parse_size(const char *text, uint64_t *bytes);

/* Formats bytes as "1.50 GiB" into buf; returns buf. */
const char *amdbare_format_size(uint64_t bytes, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

/* The sub-allocator: arenas over large GEM buffers, with budgets. */
#include "amdbare_alloc.h"
/* Code objects: AMDGPU ELF kernels, their descriptors and metadata. */
#include "amdbare_codeobj.h"
/* Command submission: contexts, command buffers, fences, copy/fill. */
#include "amdbare_cmd.h"
/* Kernel dispatch: kernargs, user SGPRs, PM4 launch of a code object kernel. */
#include "amdbare_dispatch.h"
/* Element types of tensors (model files, GEMM/GEMV). */
#include "amdbare_dtype.h"
/* GEMM/GEMV on gfx11 with the library's embedded kernels. */
#include "amdbare_linalg.h"
/* Utility kernels: GPU checksum of a buffer range. */
#include "amdbare_util.h"
/* Model files (safetensors, GGUF) loaded into VRAM/GTT with a plan and proof. */
#include "amdbare_model.h"

#endif /* AMDBARE_H */
