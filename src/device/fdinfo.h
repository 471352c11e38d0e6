/*
 * Per-process memory usage from /proc/self/fdinfo/<render fd>
 * (Documentation/gpu/drm-usage-stats.rst; amdgpu_show_fdinfo).
 */
#ifndef AB_FDINFO_H
#define AB_FDINFO_H

#include "amdbare.h"

/* Parses fdinfo text.  Tolerant: unknown keys and malformed lines are
 * skipped, every key is optional, values may carry no unit (bytes), KiB,
 * MiB or GiB.  For each region drm-resident-* wins over drm-memory-*
 * which wins over drm-total-* (resident says where the pages are now,
 * which is what placement needs; drm-memory-* is documented as an alias of
 * drm-total-*).  Returns 0, or -ENODATA when no memory key was found. */
int ab_fdinfo_parse(const char *text, amdbare_process_usage *out);

/* Reads /proc/self/fdinfo/<fd> and parses it.  Errors carry a message
 * naming `node`. */
int ab_fdinfo_read(int fd, const char *node, amdbare_process_usage *out);

#endif
