/*
 * The seam inside the vgpu between the libc boundary (boundary/:
 * which paths and fds are ours, what stat/readdir/readlink say) and the
 * device model (drm/: what the amdgpu kernel driver of the configured
 * Linux version does: 6.1 by default, 6.8, 6.12 or 6.18).
 *
 * The boundary never interprets an ioctl; the device model never touches a
 * libc entry point it would itself interpose (it calls the real ones through
 * vgpu_real_* below).  Everything here returns 0 or a negative errno, as the
 * kernel's file_operations do; the boundary turns that into -1/errno.
 */
#ifndef VGPU_DEVICE_H
#define VGPU_DEVICE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- Profile (data; see base/profiles.c) ---------------------------------- */

struct vgpu_profile {
	const char *name;            /* "780m", "890m", "8060s", "860m", "7900xtx" */
	const char *marketing_name;  /* as amdgpu.ids would name it */
	uint16_t pci_vendor, pci_device, subsys_vendor, subsys_device;
	uint8_t pci_revision;
	const char *pci_slot;        /* "0000:c4:00.0" */
	uint32_t pci_class;          /* 0x030000 or 0x038000 */
	uint32_t family;             /* AMDGPU_FAMILY_* */
	uint32_t external_rev, chip_rev;
	uint32_t gc_major, gc_minor, gc_rev;
	int is_apu;
	uint32_t num_se, num_sh_per_se, cu_per_sh, cu_active;
	uint32_t max_engine_clock_khz, max_memory_clock_khz;
	uint32_t vram_type, vram_bit_width;
	uint32_t gb_addr_config;
	/* VRAM sizes: defaults, env-overridable.  gtt_size: resolved from the
	 * kernel's formula on the profile's machine (profiles.c) or forced by
	 * AMDBARE_VGPU_GTT_SIZE; a profile's own value is what that formula
	 * gives with the defaults, kept as data next to the other heaps. */
	uint64_t vram_size, vis_vram_size, gtt_size;
	/* What the control side reports (only base/profiles.c initialises
	 * profiles, by field name). */
	const char *driver_name;     /* "amdgpu"; "i915" for "foreign"; NULL for "none" */
	uint32_t num_rb_pipes, num_tcc_blocks, num_sdma;
	uint32_t num_vgprs;          /* num_shader_visible_vgprs of DEV_INFO */
	/* The machine around the device: MemTotal as Linux reports it (the
	 * RAM left after the carve-out and firmware reservations).  The GTT
	 * size follows from it and the kernel's parameters (profiles.c). */
	uint64_t system_ram;

	/* ---- Resolved configuration (profiles.c; never set in a profile) ---- */
	unsigned int kernel;         /* VGPU_KERNEL_6_1 ... (AMDBARE_VGPU_KERNEL) */
	const char *kernel_name;     /* "6.1", "6.8", "6.12", "6.18" */
	uint64_t ram_used;           /* MemTotal - MemAvailable (AMDBARE_VGPU_RAM_USED) */
	uint64_t swap_total, swap_used; /* AMDBARE_VGPU_SWAP, AMDBARE_VGPU_SWAP_USED */
	/* Module parameters (AMDBARE_VGPU_PARAMS, a kernel command line):
	 * the values /sys/module/<mod>/parameters/<name> shows. */
	uint64_t ttm_pages_limit;    /* pages; ttm_global_init's default if not given */
	uint64_t ttm_dma32_pages_limit;
	int ttm_pages_limit_given;   /* ttm.pages_limit= was on the command line */
	int amdttm;                  /* the DKMS amdttm module serves amdgpu instead of ttm */
	uint64_t amdttm_pages_limit; /* pages (amdttm.pages_limit= or its default) */
	int amdttm_pages_limit_given;
	long long amdgpu_gttsize;    /* MiB, -1 = auto (amdgpu.gttsize=) */
	int gtt_size_forced;         /* AMDBARE_VGPU_GTT_SIZE overrode the kernel's formula */
	char cmdline[384];           /* /proc/cmdline */
};

/* Kernel versions the vgpu models (AMDBARE_VGPU_KERNEL). */
#define VGPU_KERNEL_6_1 601u
#define VGPU_KERNEL_6_8 608u
#define VGPU_KERNEL_6_12 612u
#define VGPU_KERNEL_6_18 618u

/* The active profile (AMDBARE_VGPU_PROFILE, default "780m", with the size
 * overrides AMDBARE_VGPU_VRAM_SIZE / _VIS_VRAM_SIZE / _GTT_SIZE applied,
 * and the kernel version and machine of AMDBARE_VGPU_KERNEL / _PARAMS /
 * _DKMS / _SYSTEM_RAM / _RAM_USED / _SWAP / _SWAP_USED resolved).
 * Resolved lazily on first use; NULL with *err set if the name is unknown. */
const struct vgpu_profile *vgpu_profile_get(int *err);
const struct vgpu_profile *vgpu_profile_find(const char *name);
/* NULL-terminated list of all built-in profiles. */
const struct vgpu_profile *const *vgpu_profile_all(void);

/* ---- Open files of the device node ------------------------------------ */

/* One open file description of /dev/dri/renderD128 or card0: the
 * `struct drm_file` of the kernel.  dup()ed fds share one. */
struct vgpu_file;

#define VGPU_MINOR_PRIMARY 0
#define VGPU_MINOR_RENDER 128

/* open(2) of the node: -ENOENT/-EACCES/-EINVAL (bad profile) etc. */
int vgpu_dev_open(int minor, int open_flags, struct vgpu_file **out);
/* Last close of the description (all dup()s gone): frees handles, VM,
 * contexts, like drm_file release + amdgpu_driver_postclose_kms. */
void vgpu_dev_release(struct vgpu_file *f);
/* ioctl(2) on the node. */
int vgpu_dev_ioctl(struct vgpu_file *f, unsigned long request, void *arg);
/* mmap(2) on the node at byte `offset` (the fake offset GEM_MMAP gave):
 * resolves to a backing fd and an offset within it, and applies the
 * kernel's checks and side effects (CPU-fault migration out of invisible
 * VRAM happens here: see dev_gem_mmap.c for how that approximates the
 * fault-time behaviour).  The boundary then maps backing_fd itself. */
int vgpu_dev_mmap(struct vgpu_file *f, uint64_t offset, size_t len, int prot,
		  int flags, int *backing_fd, off_t *backing_offset);
/* After the boundary mapped backing_fd at `addr`: maps the pages the
 * backing file already holds at once (what TTM's 16-page prefault per CPU
 * fault costs; memory/cpu_map.c).  Allocates nothing. */
void vgpu_dev_mmap_done(void *addr, size_t len, int prot, int backing_fd, off_t backing_offset);
/* munmap(2) of a range that came from vgpu_dev_mmap (bookkeeping only). */
void vgpu_dev_munmap(void *addr, size_t len);
/* Text of /proc/self/fdinfo/<fd> after the generic pos/flags/mnt_id/ino
 * lines, in the configured kernel's format (amdgpu_show_fdinfo, and
 * drm_show_fdinfo from 6.5 on).  Returns the length written (<= cap) or
 * -errno. */
int vgpu_dev_fdinfo(struct vgpu_file *f, char *buf, size_t cap);
/* The same for a render file of another process of this instance, which
 * has `files` render files open.  Memory keys are that process's sums
 * (vgpu_mem_pid_usage), printed only when it has exactly one file: the
 * shared state does not split them per file, and a guess would be a
 * number the kernel never showed (with more files the text holds no
 * memory keys, as a kernel before 5.19 prints none).  pasid and
 * drm-client-id are the other process's and not known here: left out. */
int vgpu_dev_fdinfo_other(int pid, int files, char *buf, size_t cap);

/* ---- dma-buf fds ------------------------------------------------------ */

/* A dma-buf fd produced by PRIME_HANDLE_TO_FD is a real fd (on the BO's
 * memfd), mmappable as is.  The boundary asks whether an fd it is about to
 * close/stat is one, so fstat can answer like the kernel's anon inode. */
int vgpu_dev_is_dmabuf_fd(int fd);

/* ---- Reporting -------------------------------------------------------- */

/* Counts (and, when `out` is non-NULL, describes) the objects still open in
 * this process: files, GEM handles, VA mappings, contexts, BO lists,
 * syncobjs, CPU mappings.  Used by the exit report and by tests. */
int vgpu_dev_open_objects(char *out, size_t cap);

/* ---- Real libc entry points (resolved with dlsym(RTLD_NEXT)) ---------- */

int vgpu_real_open(const char *path, int flags, mode_t mode);
int vgpu_real_close(int fd);
int vgpu_real_ioctl(int fd, unsigned long request, void *arg);
void *vgpu_real_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int vgpu_real_munmap(void *addr, size_t len);
int vgpu_real_fcntl(int fd, int cmd, long arg);
struct stat; /* control side: forward declaration so the header stands alone */
int vgpu_real_fstat(int fd, struct stat *st);

/* Diagnostics to stderr when AMDBARE_VGPU_DEBUG is set ("vgpu: ..."). */
void vgpu_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* VGPU_DEVICE_H */
