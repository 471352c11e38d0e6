/* The buffer registry's writer side (bo/registry.c): every buffer from its
 * listing on the device to its removal, and changes of its placement or
 * GPU address in between.  No-ops when the registry is off. */
#ifndef AB_BO_REGISTRY_H
#define AB_BO_REGISTRY_H

#include "device/internal.h"

void ab_registry_add(const struct amdbare_bo *bo);
void ab_registry_update(const struct amdbare_bo *bo);
void ab_registry_remove(const struct amdbare_bo *bo);

#endif
