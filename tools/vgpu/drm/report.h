/*
 * The vgpu's exported reporting interface (visibility "default"; the rest
 * of the preload library is hidden) and the hook drm/file.c calls.
 */
#ifndef VGPU_DEV_REPORT_H
#define VGPU_DEV_REPORT_H

#include <stddef.h>

/* Name of the active profile ("780m", ...), or "invalid" when the
 * environment names no valid profile.  Its mere presence (dlsym) tells a
 * program that it runs on the vgpu. */
const char *amdbare_vgpu_profile_name(void);

/* Objects still open in this process (files, GEM handles, mappings,
 * contexts, BO lists, syncobjs); a description goes into buf. */
int amdbare_vgpu_open_objects(char *buf, size_t cap);

/* Called on every successful open: remembers the opening process. */
void vgpu_report_note_open(void);

#endif /* VGPU_DEV_REPORT_H */
