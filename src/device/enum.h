/*
 * Finding amdgpu render nodes (drmGetDevices2 + the driver name of each).
 */
#ifndef AB_DEVICE_ENUM_H
#define AB_DEVICE_ENUM_H

#include <stddef.h>

#define AB_NODE_PATH_MAX 64
#define AB_MAX_DEVICES 32

/* Fills nodes[] with the render nodes driven by amdgpu, in drmGetDevices2
 * order, and returns how many (>= 1).  Errors (with message): -ENOENT no
 * /dev/dri, -ENODEV no amdgpu among the DRM devices (naming the drivers
 * found), -EACCES/-EPERM when no amdgpu device was found but some node
 * could not be opened to ask its driver. */
int ab_enum_amdgpu_nodes(char nodes[][AB_NODE_PATH_MAX], int max);

/* Sets the message for an open(2) of `node` that failed with `err`,
 * explaining permissions (the owning group and the usermod fix) when err
 * is EACCES/EPERM, and returns -err. */
int ab_open_error(const char *node, int err);

/* The driver of an open DRM fd (drmGetVersion), copied into name;
 * 0 or -errno. */
int ab_driver_name(int fd, char *name, size_t cap);

#endif
