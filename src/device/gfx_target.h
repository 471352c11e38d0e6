/*
 * Which GC (graphics/compute) IP version a device is, and the LLVM target
 * name ("gfx1103") that goes with it.
 */
#ifndef AB_GFX_TARGET_H
#define AB_GFX_TARGET_H

#include <stdint.h>

/* GC version → "gfxNNNN" as amdkfd's kfd_device.c assigns
 * gfx_target_version; NULL when unknown. */
const char *ab_gfx_target_for_gc(uint32_t major, uint32_t minor, uint32_t rev);

/* Best-effort GC version from family + external revision, for kernels that
 * report neither ip_discovery_version nor the sysfs ip_discovery tree.
 * Ranges follow Mesa's amdgpu_asic_addr.h.  0 when found, -ENOENT not. */
int ab_gc_from_family(uint32_t family, uint32_t external_rev, uint32_t *major,
		      uint32_t *minor, uint32_t *rev);

#endif
