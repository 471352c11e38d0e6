/* The command processor's entry points the shader core's objects refer
 * to.  vgpu-isa-coverage links the ISA and shader objects only (never the
 * libc interposers) and only resolves plans: it never executes, so each of
 * these aborts if reached. */
#include "base/vgpu_device.h"
#include "exec/gds_mem.h"
#include "exec/gs_regs.h"
#include "exec/window.h"

#include <stdio.h>
#include <stdlib.h>

static _Noreturn void never(const char *what)
{
	fprintf(stderr, "vgpu-isa-coverage: %s called (the tool never executes)\n", what);
	abort();
}

int exec_fault(struct exec_job *job, const char *fmt, ...)
{
	(void)job;
	never(fmt);
}

int exec_check_watchdog(struct exec_job *job)
{
	(void)job;
	never("exec_check_watchdog");
}

int exec_read(struct exec_job *job, uint64_t va, void *dst, size_t len)
{
	(void)job; (void)va; (void)dst; (void)len;
	never("exec_read");
}

void exec_vm_window_open(struct exec_vm_window *win, struct exec_job *job)
{
	(void)win; (void)job;
	never("exec_vm_window_open");
}

int exec_vm_window_copy(struct exec_vm_window *win, uint64_t va, void *buf, size_t len,
			bool write)
{
	(void)win; (void)va; (void)buf; (void)len; (void)write;
	never("exec_vm_window_copy");
}

void exec_vm_window_close(struct exec_vm_window *win)
{
	(void)win;
	never("exec_vm_window_close");
}

const struct vgpu_profile *vgpu_profile_get(int *err)
{
	(void)err;
	never("vgpu_profile_get");
}

uint64_t exec_gs_reg_update(unsigned sel, uint32_t data, bool sub, bool *wide)
{
	(void)sel; (void)data; (void)sub; (void)wide;
	never("exec_gs_reg_update");
}

uint8_t *exec_gds_mem_lock(void)
{
	never("exec_gds_mem_lock");
}

void exec_gds_mem_unlock(void)
{
	never("exec_gds_mem_unlock");
}
