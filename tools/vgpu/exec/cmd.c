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
