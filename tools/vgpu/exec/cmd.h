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

#endif /* VGPU_EXEC_CMD_H */
