/*
 * amdbare trace files: what AMDBARE_TRACE=FILE records (every command
 * submission of a process using libamdbare, see docs/diagnostics.md), and
 * the decoder behind `amdbare trace show`.  The decoder names PM4 and SDMA
 * packets, registers and fields from the library's own generation tables
 * (the ones its builders write with), never from the virtual device's.
 * A trace file is untrusted input: every count is checked against the
 * bytes that hold it.
 */
#ifndef AMDBARE_TRACE_H
#define AMDBARE_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct amdbare_trace_summary {
	uint64_t submissions;      /* CS records */
	uint64_t fence_waits;      /* DONE records: fence waits that returned */
	uint64_t packets;          /* packets decoded, all IBs */
	uint64_t unknown_packets;  /* packets (or IB tails) no table names */
	uint64_t dispatches;       /* DISPATCH_DIRECT packets */
	uint64_t named_dispatches; /* of those, with a kernel name recorded */
} amdbare_trace_summary;

/* Decodes the trace held in data[0..len) and prints it to out: as text,
 * or with json one JSON object {"submissions": [...], "summary": {...}}.
 * summary (may be NULL) receives the counts.  0, or -EINVAL with a message
 * (amdbare_last_error) naming the offset where the file stops making sense;
 * what came before it is printed either way (JSON output stays one valid
 * object, with "error" set). */
int amdbare_trace_show(const void *data, size_t len, bool json, FILE *out,
		       amdbare_trace_summary *summary);

#ifdef __cplusplus
}
#endif

#endif
