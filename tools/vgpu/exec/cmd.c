/*
 * Shared pieces of the two command processors (see exec/cmd.h).
 */
#include "cmd.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

int exec_fetch_ib(struct exec_job *job, uint64_t va, uint32_t ndw, uint32_t **out)
{
	uint32_t *buf = malloc(ndw ? (size_t)ndw * 4 : 4);
	if (!buf)
		return exec_fault(job, "out of memory fetching an IB of %u dwords", ndw);
	if (va & 3) {
		free(buf);
		return exec_fault(job, "IB address 0x%llx is not dword aligned", (unsigned long long)va);
	}
	int r = exec_read(job, va, buf, (size_t)ndw * 4);
	if (r) {
		free(buf);
		return r;
	}
	*out = buf;
	return 0;
}

bool exec_compare(uint32_t func, uint32_t value, uint32_t ref)
{
	switch (func) {
	case 0: return true;
	case 1: return value < ref;
	case 2: return value <= ref;
	case 3: return value == ref;
	case 4: return value != ref;
	case 5: return value >= ref;
	case 6: return value > ref;
	default: return false;
	}
}

int exec_poll_mem(struct exec_job *job, uint64_t va, uint32_t func, uint32_t ref,
		  uint32_t mask, uint32_t retries)
{
	for (uint32_t n = 0;; n++) {
		uint32_t v;
		int r = exec_read(job, va, &v, 4);
		if (r)
			return r;
		if (exec_compare(func, v & mask, ref))
			return 0;
		if (retries != UINT32_MAX && n >= retries)
			return 0;
		r = exec_check_watchdog(job);
		if (r)
			return r;
		struct timespec ts = { 0, 50000 }; /* 50 us between reads */
		nanosleep(&ts, NULL);
	}
}

uint64_t exec_gpu_clock(void)
{
	return exec_now_ns() / 10;
}

/* One integer atomic: the new memory value from old and src; false for
 * an op the vgpu does not model (the float ones, cache ops). */
bool exec_tc_atomic(uint32_t op, bool wide, uint64_t old, uint64_t src, uint64_t *out)
{
	uint64_t mask = wide ? UINT64_MAX : UINT32_MAX;
	int64_t so = wide ? (int64_t)old : (int32_t)old, ss = wide ? (int64_t)src : (int32_t)src;
	old &= mask;
	src &= mask;
	switch (op) {
	case EXEC_TC_OP_SWAP: case EXEC_TC_OP_CMPSWAP: *out = src; break;
	case EXEC_TC_OP_SMIN: *out = (uint64_t)(so < ss ? so : ss); break;
	case EXEC_TC_OP_UMIN: *out = old < src ? old : src; break;
	case EXEC_TC_OP_SMAX: *out = (uint64_t)(so > ss ? so : ss); break;
	case EXEC_TC_OP_UMAX: *out = old > src ? old : src; break;
	case EXEC_TC_OP_AND: *out = old & src; break;
	case EXEC_TC_OP_OR: *out = old | src; break;
	case EXEC_TC_OP_XOR: *out = old ^ src; break;
	case EXEC_TC_OP_ADD: *out = old + src; break;
	case EXEC_TC_OP_SUB: *out = old - src; break;
	/* inc/dec wrap at src, as buffer_atomic_inc/dec do */
	case EXEC_TC_OP_INC: *out = old >= src ? 0 : old + 1; break;
	case EXEC_TC_OP_DEC: *out = (old == 0 || old > src) ? src : old - 1; break;
	default: return false;
	}
	*out &= mask;
	return true;
}
