/*
 * Fault injection from tests: wrappers around the vgpu's exported
 * amdbare_vgpu_fault_* functions (looked up with dlsym, as vgpu_test.c
 * does for its exports).  docs/fault-injection.md has the grammar and
 * what each fault mirrors.  Counts start when a fault is armed; armed faults,
 * their counts and the heap-full flags are per process, while resets and
 * VRAM loss are device-wide (every process of the vgpu instance sees them).
 */
#ifndef VGPU_FAULT_H_TEST
#define VGPU_FAULT_H_TEST

#include <stdbool.h>
#include <stdint.h>

/* True when the preloaded vgpu has fault injection. */
bool vgpu_fault_available(void);
/* Skips the current test unless fault injection is available. */
void vgpu_fault_require(void);

/* Arms the items of a spec ("ioctl=AMDGPU_CS:3:EIO,hang=sdma0").  0, or
 * -EINVAL (the vgpu prints why) / -ENOSYS without the vgpu. */
int vgpu_fault_add(const char *spec);
/* printf-style vgpu_fault_add; asserts (Criterion) that it was accepted. */
void vgpu_fault_arm(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Disarms everything and makes the heaps normal again. */
void vgpu_fault_clear(void);

/* The n-th call (from now) of `ioctl` ("any", a name, or a number) fails
 * with `err` before it has any effect; `every`: that call and all later. */
void vgpu_fault_ioctl(const char *ioctl, uint64_t n, bool every, int err);
/* From the (after+1)-th GEM_CREATE on, the heap ("vram" or "gtt") is full. */
void vgpu_fault_heap_full(const char *heap, uint64_t after);
/* The n-th job from now on `ring` hangs / raises a VM fault. */
void vgpu_fault_hang(const char *ring, uint64_t n);
void vgpu_fault_vm_fault(const char *ring, uint64_t n);
/* A GPU reset now that blames no context; optionally VRAM is lost. */
void vgpu_exec_gpu_reset(bool vram_lost);

/* Injections fired so far, and ioctl calls made so far ("any" or a name). */
uint64_t vgpu_fault_hits(void);
uint64_t vgpu_fault_ioctl_calls(const char *ioctl);

/* The errno's name for messages ("EIO"). */
const char *vgpu_fault_errno_name(int err);

#endif
