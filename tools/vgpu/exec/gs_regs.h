/*
 * gfx11's GS registers "embedded in GDS" (RDNA3 ISA, DS_ADD_GS_REG_RTN):
 * GDS_STRMOUT_DWORDS_WRITTEN_0..3 (the guide's BUFFER_FILLED_SIZE_0..3),
 * GDS_GS_0..3 and the 64-bit GDS_STRMOUT_PRIMS_NEEDED_n /
 * PRIMS_WRITTEN_n pairs: 24 consecutive UCONFIG dwords from
 * regGDS_STRMOUT_DWORDS_WRITTEN_0 (gc_11_0_0_offset.h 0x2422, BASE_IDX 1,
 * so register 0xc422).  One set per chip, kept in the instance's shared
 * state: Mesa calls them "general-purpose global registers" that
 * mid-command-buffer preemption saves and restores.  The shader core's
 * ds_add/sub_gs_reg_rtn and the CP's SET_UCONFIG_REG / COPY_DATA reach
 * them through these functions.
 */
#ifndef VGPU_EXEC_GS_REGS_H
#define VGPU_EXEC_GS_REGS_H
#include <stdbool.h>
#include <stdint.h>

#define EXEC_GS_REG_FIRST 0xc422u
#define EXEC_GS_REG_COUNT 24u

/* Whether dword register `reg` is one of them. */
bool exec_gs_reg_is(uint32_t reg);
/* Read / write the `n` registers from `reg` (each exec_gs_reg_is) as one
 * access: a 64-bit COPY_DATA sees both halves of one moment. */
void exec_gs_regs_read(uint32_t reg, uint32_t *v, unsigned n);
void exec_gs_regs_write(uint32_t reg, const uint32_t *v, unsigned n);
/* DS_ADD_GS_REG_RTN / DS_SUB_GS_REG_RTN with OFFSET0[5:2] = `sel`
 * (0..15): selects 0-7 are the 32-bit registers 0-7, 8-15 the 64-bit
 * pair at dword (sel - 8) * 2 + 8; `data` (32 bits) is added to or
 * subtracted from it, atomically.  Returns the value before, and in
 * *wide whether the register is a 64-bit one. */
uint64_t exec_gs_reg_update(unsigned sel, uint32_t data, bool sub, bool *wide);
#endif /* VGPU_EXEC_GS_REGS_H */
