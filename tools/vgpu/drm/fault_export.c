/*
 * The fault-injection test API: symbols exported from the preload
 * library (visibility "default"), found by tests with
 * dlsym(RTLD_DEFAULT, ...) as tests/support/vgpu_fault.c does.  Their
 * presence is also how a test knows injection is available.
 */
#include "ctl.h"
#include "exec/exec.h"
#include "fault/fault.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))

/* Exported: prototypes here only to satisfy -Wmissing-prototypes; tests
 * declare them through function pointers. */
EXPORT int amdbare_vgpu_fault_add(const char *spec);
EXPORT void amdbare_vgpu_fault_clear(void);
EXPORT int amdbare_vgpu_fault_gpu_reset(int vram_lost);
EXPORT uint64_t amdbare_vgpu_fault_hits(void);
EXPORT uint64_t amdbare_vgpu_fault_ioctl_calls(const char *ioctl);

/* Arms the items of `spec` (the AMDBARE_VGPU_FAULTS grammar); counts start
 * now.  0, or -EINVAL with a message on stderr. */
EXPORT int amdbare_vgpu_fault_add(const char *spec)
{
	vgpu_fault_hooks_install();
	return vgpu_fault_add_spec(spec, "amdbare_vgpu_fault_add");
}

/* Disarms everything; both heaps behave normally again.  Resets that
 * happened stay happened. */
EXPORT void amdbare_vgpu_fault_clear(void)
{
	vgpu_fault_clear();
}

/* A GPU reset now, blaming no context; vram_lost != 0 also loses VRAM.
 * It reaches every process of the instance.  0, or -errno when the
 * instance's shared state cannot be attached. */
EXPORT int amdbare_vgpu_fault_gpu_reset(int vram_lost)
{
	vgpu_fault_hooks_install();
	return vgpu_exec_gpu_reset(vram_lost != 0);
}

/* Injections that fired in this process so far. */
EXPORT uint64_t amdbare_vgpu_fault_hits(void)
{
	return vgpu_fault_hits();
}

/* Calls of an ioctl (name or number as in the grammar, or "any") this process made
 * so far; UINT64_MAX for an unknown name. */
EXPORT uint64_t amdbare_vgpu_fault_ioctl_calls(const char *ioctl)
{
	unsigned int nr;
	if (!ioctl)
		return UINT64_MAX;
	if (strcmp(ioctl, "any") == 0)
		return vgpu_fault_ioctl_calls(0x100);
	if (ioctl[0] >= '0' && ioctl[0] <= '9') {
		/* as the grammar: decimal, or hex with 0x */
		bool hex = ioctl[0] == '0' && (ioctl[1] == 'x' || ioctl[1] == 'X');
		char *end;
		unsigned long v = strtoul(hex ? ioctl + 2 : ioctl, &end, hex ? 16 : 10);
		if (*end || v > 0xff || (hex && !isxdigit((unsigned char)ioctl[2])))
			return UINT64_MAX;
		return vgpu_fault_ioctl_calls((unsigned int)v);
	}
	if (vgpu_ioctl_nr_by_name(ioctl, &nr) != 0)
		return UINT64_MAX;
	return vgpu_fault_ioctl_calls(nr);
}
