/*
 * The vgpu's gfx11 shader core: runs the compute shader a DISPATCH_DIRECT
 * launches, on the CPU, wave by wave, with every memory access going
 * through the job's VM (exec/mem.c).  See docs/vgpu-shader.md.
 */
#ifndef VGPU_SHADER_H
#define VGPU_SHADER_H

#include "exec/dispatch.h"
#include "isa/isa.h"

#include <stdbool.h>
#include <stdint.h>

/* Runs every workgroup: 0, or -ECANCELED after a fault (already
 * reported through exec_fault / exec_vm_fault / the watchdog).  The
 * device hands it to the command processor with exec_set_shader_core. */
int shader_dispatch_run(struct exec_job *job, const struct exec_dispatch *d);

/* Whether the core has an executor for a decoded instruction (neither the
 * illegal-instruction fault nor a "not modelled" one): make isa-coverage. */
bool shader_executes(const struct isa_inst *in);

/* Why a decoded instruction is not an instruction of the chip at all (its
 * encoding is one LLVM 19 decodes but the hardware has none), or NULL:
 * make isa-coverage counts these apart. */
const char *shader_absent(const struct isa_inst *in);

#endif /* VGPU_SHADER_H */
