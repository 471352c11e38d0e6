/* Filling amdbare_device_info once at open (device/info.c). */
#ifndef AB_DEVICE_INFO_H
#define AB_DEVICE_INFO_H

#include "internal.h"

/* Fills dev->info (node_path and drm_* already set by the caller).
 * 0 or -errno with message. */
int ab_device_fill_info(amdbare_device *dev);

#endif
