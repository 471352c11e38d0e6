/*
 * Measuring where a buffer lies from usage deltas around an event
 * (creation, first CPU touch).  Nothing in the amdgpu UAPI says where one
 * GEM object is, so the library infers it from what changed: this
 * process's fdinfo counters (exact, but blurred by the process's other
 * activity) and the device-global usage counters (blurred by every
 * process).
 */
#ifndef AB_BO_PLACEMENT_H
#define AB_BO_PLACEMENT_H

#include "device/internal.h"

struct ab_usage_snapshot {
	bool proc_ok;                  /* fdinfo had vram/gtt keys */
	amdbare_process_usage proc;
	bool global_ok;                /* the INFO usage queries worked */
	uint64_t vram, vis_vram, gtt;  /* AMDGPU_INFO_*_USAGE */
	uint64_t evictions, cpu_page_faults;
};

/* Takes a snapshot; never fails (missing sources are flagged). */
void ab_snapshot_take(amdbare_device *dev, struct ab_usage_snapshot *s);

/* Placement of a new buffer of `size` bytes from the snapshots taken
 * around its creation. */
void ab_placement_from_creation(const struct ab_usage_snapshot *before,
				const struct ab_usage_snapshot *after, uint64_t size,
				uint32_t requested_domains, amdbare_placement *out);

/* Updates `p` from the snapshots around a CPU touch of a buffer of `size`
 * bytes: detects a move VRAM→GTT or invisible→visible VRAM. */
void ab_placement_after_touch(const struct ab_usage_snapshot *before,
			      const struct ab_usage_snapshot *after, uint64_t size,
			      amdbare_placement *p);

#endif
