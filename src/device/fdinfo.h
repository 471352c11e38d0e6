/*
 * Per-process memory usage from /proc/self/fdinfo/<render fd>
 * (Documentation/gpu/drm-usage-stats.rst; amdgpu_show_fdinfo).
 */
#ifndef AB_FDINFO_H
#define AB_FDINFO_H

#include "amdbare.h"

/* Parses fdinfo text of any kernel's format (amdbare_fdinfo_parse in
 * amdbare.h does the parsing) into this process's usage: for each region
 * drm-resident-* wins over drm-memory-* which wins over drm-total-*
 * (resident says where the pages are now, which is what placement needs;
 * drm-memory-* is resident on 6.13+ and by placement before; drm-total-*
 * counts by preferred placement).  Returns 0, or -ENODATA when no memory
 * key was found. */
int ab_fdinfo_parse(const char *text, amdbare_process_usage *out);

/* Reads /proc/self/fdinfo/<fd> and parses it.  Errors carry a message
 * naming `node`. */
int ab_fdinfo_read(int fd, const char *node, amdbare_process_usage *out);

#endif
