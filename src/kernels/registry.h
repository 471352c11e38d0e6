/* src/kernels/registry.h - the library's own precompiled kernels.
 *
 * kernels/<module>.cl is compiled by `make kernels` for every supported
 * gfx11, gfx10.3 and gfx9 target into kernels/bin/<module>-<target>.co (checked in) and the
 * binaries are embedded in the library at build time, so an installed
 * library needs no kernel files.  Modules: "gemm", "gemv", "util"
 * (checksum, fill, copy).
 *
 * A module is loaded for a device once (parsed, checked against the device,
 * uploaded) and cached on the device until amdbare_device_close. */
#ifndef AMDBARE_KERNEL_REGISTRY_H
#define AMDBARE_KERNEL_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "amdbare.h"
#include "amdbare_codeobj.h"

/* The embedded code object of `module` for gfx target `target` ("gfx1103").
 * -ENOTSUP ("not supported on gfxNNNN") when none is embedded, -ENOENT for
 * an unknown module. */
int kernel_registry_blob(const char *module, const char *target,
			 const void **data, size_t *size);

/* A module's kernels, loaded and uploaded for `dev` (cached).  The result is
 * owned by the device: do not free.  Thread-safe. */
struct kernel_module {
	amdbare_codeobj *codeobj;
	amdbare_bo *code_bo;
	uint64_t code_va;
};
int kernel_registry_module(amdbare_device *dev, const char *module,
			   const struct kernel_module **out);

/* Finds `kernel` in a loaded module: fills the three kernel fields of a
 * dispatch info (kernel, code_bo, code_va).  -ENOENT with a message. */
int kernel_registry_kernel(const struct kernel_module *m, const char *kernel,
			   amdbare_dispatch_info *info);

/* Whether a loaded module holds a kernel of that ".name" (no message). */
bool kernel_registry_has(const struct kernel_module *m, const char *kernel);

/* Called by amdbare_device_close: frees every cached module of dev. */
void kernel_registry_release(amdbare_device *dev);

#endif /* AMDBARE_KERNEL_REGISTRY_H */
