/*
 * The raw DRM_IOCTL_AMDGPU_INFO ioctl on the device's own render fd.
 * libdrm_amdgpu's amdgpu_query_info() would go through the fd libdrm keeps
 * (shared between all handles opened on one device); asking on our fd keeps
 * every query on the file description our buffers live on.
 */
#ifndef AB_INFO_QUERY_H
#define AB_INFO_QUERY_H

#include <stdint.h>

struct amdbare_device;

/* Runs INFO `query` into out[size] (zeroed first).  Returns 0 or -errno;
 * sets no message (callers know what they asked for). */
int ab_info_query(int fd, uint32_t query, void *out, uint32_t size);

/* A single-u64 INFO query (VRAM_USAGE, NUM_EVICTIONS...), with a message
 * naming `what` and the device on failure; EINVAL from the kernel (query
 * unknown to it) becomes -EOPNOTSUPP naming the KMS version. */
int ab_info_u64(struct amdbare_device *dev, uint32_t query, const char *what, uint64_t *value);

/* The message for a query the kernel refused (EINVAL → EOPNOTSUPP). */
int ab_info_error(struct amdbare_device *dev, const char *what, int err);

#endif
