#include "vgpu_fault.h"

#include <criterion/criterion.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

static void *sym(const char *name)
{
	return dlsym(RTLD_DEFAULT, name);
}

bool vgpu_fault_available(void)
{
	return sym("amdbare_vgpu_fault_add") != NULL;
}

void vgpu_fault_require(void)
{
	if (!vgpu_fault_available())
		cr_skip_test("needs the virtual device's fault injection");
}

int vgpu_fault_add(const char *spec)
{
	int (*fn)(const char *) = (int (*)(const char *))sym("amdbare_vgpu_fault_add");
	return fn ? fn(spec) : -ENOSYS;
}

void vgpu_fault_arm(const char *fmt, ...)
{
	char spec[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(spec, sizeof(spec), fmt, ap);
	va_end(ap);
	int r = vgpu_fault_add(spec);
	cr_assert_eq(r, 0, "fault spec \"%s\" refused: %d", spec, r);
}

void vgpu_fault_clear(void)
{
	void (*fn)(void) = (void (*)(void))sym("amdbare_vgpu_fault_clear");
	if (fn)
		fn();
}

const char *vgpu_fault_errno_name(int err)
{
	switch (err) {
	case ENOMEM: return "ENOMEM";
	case EINTR: return "EINTR";
	case EAGAIN: return "EAGAIN";
	case EIO: return "EIO";
	case ECANCELED: return "ECANCELED";
	case ETIME: return "ETIME";
	case ENODEV: return "ENODEV";
	default: return "?";
	}
}

void vgpu_fault_ioctl(const char *ioctl, uint64_t n, bool every, int err)
{
	vgpu_fault_arm("ioctl=%s:%llu%s:%s", ioctl, (unsigned long long)n, every ? "+" : "",
		       vgpu_fault_errno_name(err));
}

void vgpu_fault_heap_full(const char *heap, uint64_t after)
{
	vgpu_fault_arm("%s-full-after=%llu", heap, (unsigned long long)after);
}

void vgpu_fault_hang(const char *ring, uint64_t n)
{
	vgpu_fault_arm("hang=%s:%llu", ring, (unsigned long long)n);
}

void vgpu_fault_vm_fault(const char *ring, uint64_t n)
{
	vgpu_fault_arm("vm-fault=%s:%llu", ring, (unsigned long long)n);
}

void vgpu_exec_gpu_reset(bool vram_lost)
{
	int (*fn)(int) = (int (*)(int))sym("amdbare_vgpu_fault_gpu_reset");
	cr_assert(fn, "the vgpu has no fault injection");
	fn(vram_lost ? 1 : 0);
}

uint64_t vgpu_fault_hits(void)
{
	uint64_t (*fn)(void) = (uint64_t (*)(void))sym("amdbare_vgpu_fault_hits");
	return fn ? fn() : 0;
}

uint64_t vgpu_fault_ioctl_calls(const char *ioctl)
{
	uint64_t (*fn)(const char *) = (uint64_t (*)(const char *))sym("amdbare_vgpu_fault_ioctl_calls");
	return fn ? fn(ioctl) : 0;
}
