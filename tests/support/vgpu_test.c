#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char instance[64];

bool vgpu_active(void)
{
	return dlsym(RTLD_DEFAULT, "amdbare_vgpu_profile_name") != NULL;
}

void vgpu_test_use_profile(const char *profile, ...)
{
	if (!vgpu_active())
		return;
	const char *base = getenv("AMDBARE_VGPU_INSTANCE");
	snprintf(instance, sizeof(instance), "%s-%d", base ? base : "t", (int)getpid());
	setenv("AMDBARE_VGPU_INSTANCE", instance, 1);
	/* AMDBARE_TEST_GFX11_PROFILE replaces the suites' default gfx11
	 * profile (780m) by another, so that a suite written against it runs
	 * on another generation's command processor (tests/test_vgpu_gfx103.sh) */
	const char *alt = getenv("AMDBARE_TEST_GFX11_PROFILE");
	if (alt && *alt && !strcmp(profile, "780m"))
		profile = alt;
	setenv("AMDBARE_VGPU_PROFILE", profile, 1);
	va_list ap;
	va_start(ap, profile);
	for (;;) {
		const char *name = va_arg(ap, const char *);
		if (!name)
			break;
		const char *value = va_arg(ap, const char *);
		setenv(name, value, 1);
	}
	va_end(ap);
}

void vgpu_test_require(void)
{
	if (!vgpu_active())
		cr_skip_test("needs the virtual device (vgpu-only feature)");
}

int vgpu_test_open_objects(char *desc, size_t cap)
{
	int (*fn)(char *, size_t) =
		(int (*)(char *, size_t))dlsym(RTLD_DEFAULT, "amdbare_vgpu_open_objects");
	if (!fn) {
		if (desc && cap)
			desc[0] = '\0';
		return 0;
	}
	return fn(desc, cap);
}

void vgpu_test_cleanup(void)
{
	if (!instance[0])
		return;
	char path[128];
	snprintf(path, sizeof(path), "/dev/shm/amdbare-vgpu-%s", instance);
	unlink(path);
	/* and the files of its VRAM pool, which keep their pages until the
	 * instance goes (tools/vgpu/memory/vram_pool.c: 256 at most) */
	for (int n = 0; n < 256; n++) {
		snprintf(path, sizeof(path), "/dev/shm/amdbare-vgpu-%s-vram-%d", instance, n);
		unlink(path);
	}
}
