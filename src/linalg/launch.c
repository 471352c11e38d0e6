/* linalg/launch.c - puts a GEMM/GEMV kernel of the embedded modules on a
 * dispatcher: the kernel for the device's gfx target comes from the
 * kernel registry (-ENOTSUP when none is embedded for it). */
#include "amdbare.h"
#include "kernels/registry.h"
#include "internal.h"

int ab_linalg_enqueue(amdbare_device *dev, amdbare_dispatcher *d, const char *module,
		      const char *kernel, const uint32_t grid[2], uint32_t block,
		      const amdbare_karg *args, uint32_t nargs)
{
	const struct kernel_module *m;
	int r = kernel_registry_module(dev, module, &m);
	if (r)
		return r;
	amdbare_dispatch_info info = {0};
	if ((r = kernel_registry_kernel(m, kernel, &info)))
		return r;
	info.grid[0] = grid[0];
	info.grid[1] = grid[1];
	info.grid[2] = 1;
	info.block[0] = block;
	info.block[1] = 1;
	info.block[2] = 1;
	info.args = args;
	info.arg_count = nargs;
	/* add checks everything first and queues nothing when it fails */
	if ((r = amdbare_dispatcher_add(d, &info)))
		return r;
	/* a later GEMM/GEMV of the same batch may read this one's output */
	return amdbare_dispatcher_barrier(d);
}

const char *ab_linalg_variant(amdbare_device *dev, const char *module, const char *kernel,
			      const char *variant)
{
	const struct kernel_module *m;
	/* a module that does not load is reported by the enqueue that follows */
	if (kernel_registry_module(dev, module, &m))
		return kernel;
	return kernel_registry_has(m, variant) ? variant : kernel;
}

int ab_linalg_run(amdbare_device *dev, const char *module, const char *kernel,
		  const uint32_t grid[2], uint32_t block, const amdbare_karg *args,
		  uint32_t nargs)
{
	/* look the kernel up before creating anything, so that an
	 * unsupported device costs no dispatcher */
	const struct kernel_module *m;
	int r = kernel_registry_module(dev, module, &m);
	if (r)
		return r;
	amdbare_dispatcher *d = NULL;
	if ((r = amdbare_dispatcher_create(dev, &d)))
		return r;
	r = ab_linalg_enqueue(dev, d, module, kernel, grid, block, args, nargs);
	if (!r)
		r = amdbare_dispatcher_run(d, NULL);
	int f = amdbare_dispatcher_free(d);
	return r ? r : f;
}
