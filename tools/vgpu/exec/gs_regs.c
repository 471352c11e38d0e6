/*
 * gfx11's GDS GS registers (exec/gs_regs.h), in the instance's shared
 * state so that every process and ring sees one set, as on the chip.
 */
#include "gs_regs.h"
#include "memory/internal.h"

#include <string.h>

bool exec_gs_reg_is(uint32_t reg)
{
	return reg >= EXEC_GS_REG_FIRST && reg < EXEC_GS_REG_FIRST + EXEC_GS_REG_COUNT;
}

void exec_gs_regs_read(uint32_t reg, uint32_t *v, unsigned n)
{
	mem_shared_lock();
	memcpy(v, &mem_shared()->gs_regs[reg - EXEC_GS_REG_FIRST], n * sizeof(*v));
	mem_shared_unlock();
}

void exec_gs_regs_write(uint32_t reg, const uint32_t *v, unsigned n)
{
	mem_shared_lock();
	memcpy(&mem_shared()->gs_regs[reg - EXEC_GS_REG_FIRST], v, n * sizeof(*v));
	mem_shared_unlock();
}

/* The RDNA3 ISA's pseudocode of DS_ADD_GS_REG_RTN / DS_SUB_GS_REG_RTN:
 *   if OFFSET0[5:2] > 7: addr = (OFFSET0[5:2] - 8) * 2 + 8, a 64-bit
 *     register {GS_REGS(addr + 1), GS_REGS(addr)} += / -= DATA0 (32-bit)
 *   else: addr = OFFSET0[5:2], GS_REGS(addr) += / -= DATA0
 * returning the value before. */
uint64_t exec_gs_reg_update(unsigned sel, uint32_t data, bool sub, bool *wide)
{
	uint32_t *r = mem_shared()->gs_regs;
	sel &= 15;
	*wide = sel > 7;
	mem_shared_lock();
	uint64_t old;
	if (*wide) {
		unsigned a = (sel - 8) * 2 + 8;
		old = (uint64_t)r[a] | (uint64_t)r[a + 1] << 32;
		uint64_t v = sub ? old - data : old + data;
		r[a] = (uint32_t)v;
		r[a + 1] = (uint32_t)(v >> 32);
	} else {
		old = r[sel];
		r[sel] = sub ? (uint32_t)old - data : (uint32_t)old + data;
	}
	mem_shared_unlock();
	return old;
}
