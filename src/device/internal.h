/*
 * What an amdbare_device and an amdbare_bo are inside the library, shared
 * by the device layer (src/device) and the layers above it.
 */
#ifndef AB_DEVICE_INTERNAL_H
#define AB_DEVICE_INTERNAL_H

#include "amdbare.h"

#include <amdgpu.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct amdbare_device {
	int fd;                        /* render node, O_RDWR|O_CLOEXEC */
	amdgpu_device_handle amd;      /* libdrm_amdgpu handle on fd */
	amdbare_device_info info;      /* filled once at open */
	/* Protects `bos` (the list of live buffers, so close can free
	 * leftovers and count them). */
	pthread_mutex_t bo_list_lock;
	struct amdbare_bo *bos;
	/* Serialises buffer creation and touch measurements on this device:
	 * two creations in flight at once would blur each other's usage
	 * deltas. */
	pthread_mutex_t measure_lock;
	/* State that layers above keep per device, opaque here: the embedded
	 * kernel modules loaded for it (src/kernels/registry.c) and the reusable
	 * batches + contexts of amdbare_copy/amdbare_fill (submit/copy.c).
	 * Each is guarded by its owner's lock and released by the teardown
	 * its owner registers (ab_device_on_close). */
	struct kernel_cache_entry *kernel_modules;
	struct ab_copy_slot *copy_slots;
};

struct amdbare_bo {
	amdbare_device *dev;
	uint32_t handle;               /* GEM handle on dev->fd */
	uint64_t size;                 /* bytes, page-rounded */
	uint32_t domains, flags;       /* as requested (0/0 for imports) */
	bool imported;                 /* from a dma-buf */
	bool userptr;                  /* wraps user memory */
	void *user_ptr;                /* the wrapped memory when userptr */
	void *cpu_ptr;                 /* CPU mapping, NULL when unmapped */
	uint64_t gpu_va;               /* 0 when not GPU-mapped */
	amdgpu_va_handle va_range;     /* the VA range backing gpu_va */
	amdbare_placement placement;
	struct amdbare_bo *prev, *next; /* dev->bos */
};

/* The node path for messages ("/dev/dri/renderD128"). */
static inline const char *ab_node(const amdbare_device *dev)
{
	return dev->info.node_path;
}

/* Buffer list of a device (bo/list.c). */
void ab_bo_list_add(amdbare_device *dev, struct amdbare_bo *bo);
void ab_bo_list_remove(amdbare_device *dev, struct amdbare_bo *bo);

/* Allocates the bookkeeping for a GEM handle already created on dev
 * and links it in the device's list (bo/list.c). NULL on ENOMEM. */
struct amdbare_bo *ab_bo_wrap_handle(amdbare_device *dev, uint32_t handle, uint64_t size);

/* Closes a GEM handle (DRM_IOCTL_GEM_CLOSE); 0 or -errno with message. */
int ab_gem_close(amdbare_device *dev, uint32_t handle);

/* Frees a buffer; used by amdbare_bo_free and by device close. */
int ab_bo_destroy(struct amdbare_bo *bo);

/* Teardown at amdbare_device_close, for state that the layers above the
 * device keep per device.  The device layer cannot call up into them, so
 * each owner registers its release function when it first attaches state
 * to a device; close runs the registered ones in this order.  The
 * library's own buffers (kernel code, cached copy batches) go before the
 * leftover buffers are counted, so they are not reported as the caller's
 * leaks. */
enum ab_device_teardown {
	AB_TEARDOWN_KERNELS,     /* src/kernels/registry.c: embedded kernel modules */
	AB_TEARDOWN_COPY_CACHE,  /* submit/copy.c: cached copy/fill batches */
	AB_TEARDOWN_BUFFERS,     /* bo/list.c: buffers the caller left open */
	AB_TEARDOWN_COUNT
};
/* Registers fn for `stage` (process-wide; registering again is a no-op). */
void ab_device_on_close(enum ab_device_teardown stage, void (*fn)(amdbare_device *dev));

#endif
