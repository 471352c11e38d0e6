/*
 * Test support shared by the Criterion suites.
 *
 * Every test runs in its own process (Criterion forks), and every test gets
 * its own vgpu instance (its own device-global state) so that usage deltas
 * asserted by one test are never blurred by another.  Call
 * vgpu_test_use_profile() from a test's .init (or at the top of the test)
 * before anything opens the device.
 */
#ifndef VGPU_TEST_H
#define VGPU_TEST_H

#include <stdbool.h>
#include <stddef.h>

/* True when the virtual device is preloaded in this process. */
bool vgpu_active(void);

/* Selects a vgpu profile and a fresh instance for this process ("780m"
 * becomes the profile AMDBARE_TEST_GFX11_PROFILE names, if set).  Extra
 * environment overrides may follow as NAME, VALUE pairs, NULL-terminated:
 *   vgpu_test_use_profile("7900xtx", "AMDBARE_VGPU_VRAM_SIZE", "64M", NULL);
 * On real hardware (check-hw) it does nothing. */
void vgpu_test_use_profile(const char *profile, ...);

/* Skips the current test unless running on the vgpu (for tests that need a
 * vgpu-only feature: profiles, size overrides, fault injection). */
void vgpu_test_require(void);

/* Objects still open in the virtual device for this process (files, GEM
 * handles, mappings, contexts...), or 0 on real hardware.  If `desc` is
 * non-NULL it receives a description. */
int vgpu_test_open_objects(char *desc, size_t cap);

/* Removes this process's vgpu instance state (shared memory). */
void vgpu_test_cleanup(void);

#endif
