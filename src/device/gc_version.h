/* Detecting the GC IP version of an open device (device/gc_version.c). */
#ifndef AB_GC_VERSION_H
#define AB_GC_VERSION_H

#include <stdint.h>

/* Fills major/minor/rev and returns a short name of the source used, or
 * NULL (and zeros) when no source knew. */
const char *ab_detect_gc_version(int fd, const char *node_path, uint32_t family,
				 uint32_t external_rev, uint32_t *major, uint32_t *minor,
				 uint32_t *rev);

#endif
