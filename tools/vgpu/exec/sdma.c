/*
 * The SDMA engine of a gfx11 part (sdma_v6_0, packet layouts from
 * sdma_v6_0_0_pkt_open.h) and of a gfx10.3 part (sdma_v5_2, layouts from
 * navi10_sdma_pkt_open.h: the same ops and dword layouts, but COPY
 * LINEAR's and CONST_FILL's byte counts have 22 bits, 4 MiB per packet,
 * where SDMA v6 has 30; sdma_v5_2_buffer_funcs copy_max_bytes 0x400000)
 * and of a gfx9 part (sdma_v4_0 for SDMA 4.0/4.1/4.2, i.e. raven 4.1.0,
 * cezanne 4.1.2 and vega20/mi50 4.2.0; layouts from
 * vega10_sdma_pkt_open.h: again the same ops and dword layouts as SDMA
 * 5.2, with the 22-bit COPY LINEAR and CONST_FILL counts, bytes - 1;
 * sdma_v4_0_buffer_funcs copy_max_bytes and fill_max_bytes 0x400000).
 * Linear packets only: NOP, COPY LINEAR,
 * WRITE LINEAR, FENCE, TRAP, POLL_REGMEM (memory), ATOMIC (the integer
 * TC_OP operations, single pass or loop), CONST_FILL and TIMESTAMP.  Anything else - another op or sub-op, a packet running past
 * the IB, a register poll - stops the job with a fault naming the IB
 * address, the dword offset and the header.
 */
#include "cmd.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* sdma_v6_0_0_pkt_open.h */
#define SDMA_OP_NOP 0
#define SDMA_OP_COPY 1
#define SDMA_OP_WRITE 2
#define SDMA_OP_FENCE 5
#define SDMA_OP_TRAP 6
#define SDMA_OP_POLL_REGMEM 8
#define SDMA_OP_ATOMIC 10
#define SDMA_OP_CONST_FILL 11
#define SDMA_OP_TIMESTAMP 13
#define SDMA_SUBOP_COPY_LINEAR 0
#define SDMA_SUBOP_WRITE_LINEAR 0
#define SDMA_SUBOP_TIMESTAMP_SET 0
#define SDMA_SUBOP_TIMESTAMP_GET 1
#define SDMA_SUBOP_TIMESTAMP_GET_GLOBAL 2

#define HDR_OP(h) ((h) & 0xff)
#define HDR_SUB_OP(h) (((h) >> 8) & 0xff)
#define NOP_COUNT(h) (((h) >> 16) & 0x3fff)
#define COPY_LINEAR_BROADCAST(h) (((h) >> 27) & 1)
#define COPY_LINEAR_COUNT(d) ((d) & 0x3fffffff)         /* bytes - 1 */
/* navi10_sdma_pkt_open.h and vega10_sdma_pkt_open.h:
 * SDMA_PKT_COPY_LINEAR_COUNT_count_mask and
 * SDMA_PKT_CONSTANT_FILL_COUNT_count_mask 0x003FFFFF; bits 22..31 of the
 * count dword are reserved on SDMA 5.2 and SDMA 4.x */
#define COUNT_RESERVED_V52 0xffc00000u
#define WRITE_COUNT(d) ((d) & 0x000fffff)               /* dwords - 1 */
#define CONST_FILL_FILLSIZE(h) (((h) >> 30) & 3)        /* 0 byte, 2 dword */
#define CONST_FILL_COUNT(d) ((d) & 0x3fffffff)          /* bytes - 1 */
#define POLL_HDP_FLUSH(h) (((h) >> 26) & 1)
#define POLL_FUNC(h) (((h) >> 28) & 7)
#define POLL_MEM_POLL(h) (((h) >> 31) & 1)
#define POLL_RETRY_COUNT(d) (((d) >> 16) & 0xfff)
/* SDMA_PKT_ATOMIC: HEADER loop bit 16, tmz bit 18, atomic_op bits 25..31
 * (a TC_OP code); DW7 loop_interval bits 0..12 */
#define ATOMIC_LOOP(h) (((h) >> 16) & 1)
#define ATOMIC_TMZ(h) (((h) >> 18) & 1)
#define ATOMIC_OP(h) (((h) >> 25) & 0x7f)

/* Bytes moved per step of a copy or fill (keeps the watchdog responsive). */
#define SDMA_CHUNK (1u << 20)

struct sdma {
	struct exec_job *job;
	const struct exec_ib *ib;
	const uint32_t *dw;
	uint32_t pos;         /* dword offset of the current packet */
};

static uint64_t addr64(uint32_t lo, uint32_t hi)
{
	return (uint64_t)lo | ((uint64_t)hi << 32);
}

static int bad(struct sdma *s, const char *what)
{
	return exec_fault(s->job, "SDMA: %s in IB 0x%llx at dword %u (header 0x%08x)", what,
			  (unsigned long long)s->ib->va, s->pos, s->dw[s->pos]);
}

/* One bounce buffer per ring thread, kept for the thread's life: a fresh
 * 1 MiB malloc per packet is a fresh mmap whose every page faults on first
 * use, which dominated the emulated engine's time on hosts where page
 * faults are expensive.  Freed by the key's destructor at thread exit. */
static pthread_key_t bounce_key;
static pthread_once_t bounce_once = PTHREAD_ONCE_INIT;

static void bounce_key_init(void)
{
	if (pthread_key_create(&bounce_key, free) != 0)
		bounce_key = (pthread_key_t)-1;
}

/* SDMA_CHUNK + 4 bytes (const_fill's spare dword), or NULL. */
static char *bounce_buffer(void)
{
	pthread_once(&bounce_once, bounce_key_init);
	if (bounce_key == (pthread_key_t)-1)
		return NULL;
	char *b = pthread_getspecific(bounce_key);
	if (!b) {
		b = malloc(SDMA_CHUNK + 4);
		if (b && pthread_setspecific(bounce_key, b) != 0) {
			free(b);
			b = NULL;
		}
	}
	return b;
}

static int copy_linear(struct sdma *s, uint64_t src, uint64_t dst, uint64_t bytes)
{
	char *buf = bounce_buffer();
	if (!buf)
		return bad(s, "out of memory for COPY LINEAR");
	int r = 0;
	/* a forward copy, chunk by chunk, as the engine streams it */
	for (uint64_t done = 0; done < bytes && !r;) {
		size_t n = bytes - done < SDMA_CHUNK ? (size_t)(bytes - done) : SDMA_CHUNK;
		r = exec_read(s->job, src + done, buf, n);
		if (!r)
			r = exec_write(s->job, dst + done, buf, n);
		if (!r)
			r = exec_check_watchdog(s->job);
		done += n;
	}
	return r;
}

static int const_fill(struct sdma *s, uint64_t dst, uint32_t data, uint32_t fillsize,
		      uint64_t bytes)
{
	size_t chunk = bytes < SDMA_CHUNK ? (size_t)bytes : SDMA_CHUNK;
	uint8_t *buf = (uint8_t *)bounce_buffer();
	if (!buf)
		return bad(s, "out of memory for CONST_FILL");
	/* Whole dwords cover the chunk's bytes; the 4 spare bytes take the
	 * last one when chunk is not a multiple of 4 (found by fuzz_vgpu_cmd:
	 * the bound used to be chunk + 4, a write past the buffer). */
	for (size_t i = 0; i < chunk; i += 4) {
		if (fillsize == 0)
			memset(buf + i, (int)(data & 0xff), 4);
		else
			memcpy(buf + i, &data, 4);
	}
	int r = 0;
	for (uint64_t done = 0; done < bytes && !r;) {
		size_t n = bytes - done < chunk ? (size_t)(bytes - done) : chunk;
		r = exec_write(s->job, dst + done, buf, n);
		if (!r)
			r = exec_check_watchdog(s->job);
		done += n;
	}
	return r;
}

/* Length in dwords of the packet at s->pos, or 0 if its op/sub-op is not
 * one the vgpu's SDMA executes. */
static uint32_t packet_len(const struct sdma *s, uint32_t avail)
{
	uint32_t h = s->dw[s->pos];
	switch (HDR_OP(h)) {
	case SDMA_OP_NOP:
		return HDR_SUB_OP(h) == 0 ? 1 + NOP_COUNT(h) : 0;
	case SDMA_OP_COPY:
		return HDR_SUB_OP(h) == SDMA_SUBOP_COPY_LINEAR ? 7 : 0;
	case SDMA_OP_WRITE:
		if (HDR_SUB_OP(h) != SDMA_SUBOP_WRITE_LINEAR)
			return 0;
		if (avail < 4)
			return 4; /* reported as running past the IB */
		return 4 + WRITE_COUNT(s->dw[s->pos + 3]) + 1;
	case SDMA_OP_FENCE:
		return HDR_SUB_OP(h) == 0 ? 4 : 0;
	case SDMA_OP_TRAP:
		return HDR_SUB_OP(h) == 0 ? 2 : 0;
	case SDMA_OP_POLL_REGMEM:
		return HDR_SUB_OP(h) == 0 ? 6 : 0;
	case SDMA_OP_CONST_FILL:
		return HDR_SUB_OP(h) == 0 ? 5 : 0;
	case SDMA_OP_ATOMIC:
		return HDR_SUB_OP(h) == 0 ? 8 : 0;
	case SDMA_OP_TIMESTAMP:
		return HDR_SUB_OP(h) <= SDMA_SUBOP_TIMESTAMP_GET_GLOBAL ? 3 : 0;
	default:
		return 0;
	}
}

/* ATOMIC: one integer atomic on memory, or (loop) a compare-swap retried
 * until it succeeds.  The read-modify-write is atomic against this
 * ring's own work (as PM4 ATOMIC_MEM and the shader core's atomics). */
static int atomic(struct sdma *s, const uint32_t *p)
{
	uint32_t h = p[0], op = ATOMIC_OP(h) & 0x1f;
	bool wide = ATOMIC_OP(h) & EXEC_TC_OP_64;
	uint64_t addr = addr64(p[1], p[2]), src = addr64(p[3], p[4]), cmp = addr64(p[5], p[6]);
	uint64_t mask = wide ? UINT64_MAX : UINT32_MAX, probe;
	if (ATOMIC_TMZ(h))
		return bad(s, "ATOMIC with TMZ (trusted memory) is not modelled");
	if (!exec_tc_atomic(op, wide, 0, 0, &probe))
		return bad(s, "ATOMIC with an atomic_op the vgpu does not model (float or cache op)");
	if (ATOMIC_LOOP(h) && op != EXEC_TC_OP_CMPSWAP)
		return bad(s, "ATOMIC loop with an op other than compare-swap");
	size_t n = wide ? 8 : 4;
	if (addr & (n - 1))
		return bad(s, "ATOMIC address not naturally aligned");
	for (;;) {
		uint64_t old = 0, nv;
		int r = exec_read(s->job, addr, &old, n);
		if (r)
			return r;
		if (op != EXEC_TC_OP_CMPSWAP || (old & mask) == (cmp & mask)) {
			exec_tc_atomic(op, wide, old, src, &nv);
			return exec_write(s->job, addr, &nv, n);
		}
		if (!ATOMIC_LOOP(h))
			return 0;
		r = exec_check_watchdog(s->job);
		if (r)
			return r;
		struct timespec ts = { 0, 10000 };
		nanosleep(&ts, NULL);
	}
}

static int exec_packet(struct sdma *s)
{
	const uint32_t *p = &s->dw[s->pos];
	uint32_t h = p[0];
	switch (HDR_OP(h)) {
	case SDMA_OP_NOP:
	case SDMA_OP_TRAP: /* the interrupt goes nowhere on the vgpu */
		return 0;
	case SDMA_OP_COPY:
		if (COPY_LINEAR_BROADCAST(h))
			return bad(s, "COPY LINEAR broadcast is not supported");
		if (s->job->gc != EXEC_GC_11 && (p[1] & COUNT_RESERVED_V52))
			return bad(s, s->job->gc == EXEC_GC_9
					      ? "COPY LINEAR count above SDMA 4.x's 22-bit field (4 MiB per packet)"
					      : "COPY LINEAR count above SDMA 5.2's 22-bit field (4 MiB per packet)");
		return copy_linear(s, addr64(p[3], p[4]), addr64(p[5], p[6]),
				   (uint64_t)COPY_LINEAR_COUNT(p[1]) + 1);
	case SDMA_OP_WRITE:
		return exec_write(s->job, addr64(p[1], p[2]), &p[4],
				  ((size_t)WRITE_COUNT(p[3]) + 1) * 4);
	case SDMA_OP_FENCE:
		if (p[1] & 3)
			return bad(s, "FENCE address not dword aligned");
		return exec_write(s->job, addr64(p[1], p[2]), &p[3], 4);
	case SDMA_OP_POLL_REGMEM: {
		if (!POLL_MEM_POLL(h)) {
			if (POLL_HDP_FLUSH(h))
				return 0; /* HDP flush: caches are coherent here */
			return bad(s, "POLL_REGMEM on a register is not supported");
		}
		if (p[1] & 3)
			return bad(s, "POLL_REGMEM address not dword aligned");
		uint32_t retry = POLL_RETRY_COUNT(p[5]);
		/* retry_count 0xfff: poll until the condition holds */
		return exec_poll_mem(s->job, addr64(p[1], p[2]), POLL_FUNC(h), p[3], p[4],
				     retry == 0xfff ? UINT32_MAX : retry);
	}
	case SDMA_OP_CONST_FILL: {
		uint32_t fs = CONST_FILL_FILLSIZE(h);
		if (fs != 0 && fs != 2)
			return bad(s, "CONST_FILL fillsize must be byte (0) or dword (2)");
		if (s->job->gc != EXEC_GC_11 && (p[4] & COUNT_RESERVED_V52))
			return bad(s, s->job->gc == EXEC_GC_9
					      ? "CONST_FILL count above SDMA 4.x's 22-bit field (4 MiB per packet)"
					      : "CONST_FILL count above SDMA 5.2's 22-bit field (4 MiB per packet)");
		return const_fill(s, addr64(p[1], p[2]), p[3], fs,
				  (uint64_t)CONST_FILL_COUNT(p[4]) + 1);
	}
	case SDMA_OP_ATOMIC:
		return atomic(s, p);
	case SDMA_OP_TIMESTAMP: {
		if (HDR_SUB_OP(h) == SDMA_SUBOP_TIMESTAMP_SET)
			return 0; /* the vgpu's counter is the host clock */
		if (p[1] & 7)
			return bad(s, "TIMESTAMP address not qword aligned");
		uint64_t t = exec_gpu_clock();
		return exec_write(s->job, addr64(p[1], p[2]), &t, 8);
	}
	default:
		return bad(s, "unknown op");
	}
}

int exec_sdma_run(struct exec_job *job, const struct exec_ib *ib)
{
	/* sdma_v6_0_ring_emit_ib, sdma_v5_2_ring_emit_ib and
	 * sdma_v4_0_ring_emit_ib: "base must be 32 byte aligned" - the ring
	 * masks the low 5 bits off, so the engine would fetch from an earlier
	 * address; the vgpu stops there instead of running the wrong dwords. */
	if (ib->va & 0x1f)
		return exec_fault(job, "SDMA: IB address 0x%llx is not 32-byte aligned",
				  (unsigned long long)ib->va);
	uint32_t *dw;
	int r = exec_fetch_ib(job, ib->va, ib->length_dw, &dw);
	if (r)
		return r;
	struct sdma s = { .job = job, .ib = ib, .dw = dw, .pos = 0 };
	while (s.pos < ib->length_dw) {
		uint32_t avail = ib->length_dw - s.pos;
		uint32_t len = packet_len(&s, avail);
		if (len == 0) {
			r = bad(&s, "unknown op/sub-op");
			break;
		}
		if (len > avail) {
			r = bad(&s, "packet runs past the end of the IB");
			break;
		}
		r = exec_packet(&s);
		if (!r)
			r = exec_check_watchdog(job);
		if (r)
			break;
		s.pos += len;
	}
	free(dw);
	return r;
}
