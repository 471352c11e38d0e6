/*
 * Picking the per-generation table for a device: gfx11 (GC 11.x), gfx10.3
 * (GC 10.3.x) and gfx9 (GC 9.0-9.4.2, with gfx90a's own table).  GC 10.1
 * (RDNA1) and GC 9.4.3+ (gfx942, several XCCs per device) have no table
 * and get a clear "not supported".
 */
#include "device/internal.h"
#include "util/error.h"
#include "regs_gen.h"

#include <errno.h>
#include <stddef.h>

const struct ab_gfx_gen *ab_gfx_gen_lookup(uint32_t gc_major, uint32_t gc_minor)
{
	if (gc_major == 11)
		return &ab_gfx_gen_gfx11; /* every GC 11.x shares the compute register map */
	if (gc_major == 10 && gc_minor == 3)
		return &ab_gfx_gen_gfx103;
	if (gc_major == 9)
		return &ab_gfx_gen_gfx9;
	return NULL;
}

const struct ab_gfx_gen *ab_gfx_gen_lookup_ip(uint32_t gc_major, uint32_t gc_minor,
					      uint32_t gc_rev)
{
	if (gc_major == 9 && gc_minor == 4 && gc_rev == 2)
		return &ab_gfx_gen_gfx90a;
	if (gc_major == 9 && (gc_minor > 4 || (gc_minor == 4 && gc_rev > 2)))
		return NULL;
	return ab_gfx_gen_lookup(gc_major, gc_minor);
}

int ab_gfx_gen_for_device(struct amdbare_device *dev, const struct ab_gfx_gen **out)
{
	*out = ab_gfx_gen_lookup_ip(dev->info.gc_major, dev->info.gc_minor, dev->info.gc_revision);
	if (!*out)
		return ab_set_error(EOPNOTSUPP, "%s: GC %u.%u.%u (%s): the library has PM4/SDMA "
				    "packet tables for gfx11, gfx10.3 and gfx9 (GC 9.0-9.4.2) only; "
				    "this generation is not "
				    "supported for command submission", ab_node(dev), dev->info.gc_major,
				    dev->info.gc_minor, dev->info.gc_revision,
				    dev->info.gfx_target[0] ? dev->info.gfx_target : "unknown target");
	return 0;
}
