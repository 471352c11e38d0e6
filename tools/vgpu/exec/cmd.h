/*
 * Helpers both command processors use: fetching an IB through the VM,
 * the memory-compare functions of WAIT_REG_MEM / POLL_REGMEM, polling
 * with the watchdog, and the GPU timestamp counter.
 */
#ifndef VGPU_EXEC_CMD_H
#define VGPU_EXEC_CMD_H

#include "internal.h"

/* Reads an IB's dwords (malloc'd into *out); a fetch fault is reported. */
int exec_fetch_ib(struct exec_job *job, uint64_t va, uint32_t ndw, uint32_t **out);
/* WAIT_REG_MEM_FUNCTION / SDMA POLL_REGMEM func: 0 always, 1 <, 2 <=,
 * 3 ==, 4 !=, 5 >=, 6 >; 7 is reserved (false). */
bool exec_compare(uint32_t func, uint32_t value, uint32_t ref);
/* Polls the dword at va until (mem & mask) func ref holds.  retries:
 * UINT32_MAX for "until the watchdog", else the number of re-reads after
 * which the poll gives up (returns 0 anyway, as the engine does).
 * 0, or -ECANCELED after a fault or the watchdog. */
int exec_poll_mem(struct exec_job *job, uint64_t va, uint32_t func, uint32_t ref,
		  uint32_t mask, uint32_t retries);
/* The 64-bit GPU clock counter (100 MHz on gfx11) */
uint64_t exec_gpu_clock(void);

/* TC_OP atomic codes (the gfx9+ TC_OP enum; Mesa sid.h names
 * TC_OP_ATOMIC_CMPSWAP_32 0x48): bits 0..4 the operation, bit 5 the
 * 64-bit form, bit 6 set for the forms without a return value.  The
 * returning forms only also latch the old value for COPY_DATA's
 * atomic-return source, which the vgpu does not model; the memory effect
 * is the same. */
enum {
	EXEC_TC_OP_SWAP = 0x07,
	EXEC_TC_OP_CMPSWAP = 0x08,
	EXEC_TC_OP_ADD = 0x0f,
	EXEC_TC_OP_SUB = 0x10,
	EXEC_TC_OP_SMIN = 0x11,
	EXEC_TC_OP_UMIN = 0x12,
	EXEC_TC_OP_SMAX = 0x13,
	EXEC_TC_OP_UMAX = 0x14,
	EXEC_TC_OP_AND = 0x15,
	EXEC_TC_OP_OR = 0x16,
	EXEC_TC_OP_XOR = 0x17,
	EXEC_TC_OP_INC = 0x18,
	EXEC_TC_OP_DEC = 0x19,
	EXEC_TC_OP_64 = 0x20,
	EXEC_TC_OP_NO_RETURN = 0x40,
};

/* One integer atomic of TC_OP code `op` (bits 0..4; the 64-bit and
 * no-return bits stripped): the new memory value from old and src in
 * *out.  EXEC_TC_OP_CMPSWAP stores src (the caller compares).  False for
 * an op the vgpu does not model (the float ones, cache operations).
 * Used by PM4 ATOMIC_MEM and the SDMA ATOMIC packet. */
bool exec_tc_atomic(uint32_t op, bool wide, uint64_t old, uint64_t src, uint64_t *out);

#endif /* VGPU_EXEC_CMD_H */
