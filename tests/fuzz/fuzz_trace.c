/*
 * libFuzzer target: the trace decoder (`amdbare trace show`) on arbitrary
 * bytes, as text and as JSON.  A trace file is untrusted input: the
 * decoder either shows it or stops with -EINVAL at the first record that
 * does not hold what it states, never reading outside the input.  The
 * input's first byte picks the output form; the output goes to a memory
 * stream that is checked to end with the summary (text) or a closing
 * brace (JSON).
 */
#include "amdbare.h"
#include "amdbare_trace.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	bool json = data[0] & 1;
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	if (!f)
		return 0;
	amdbare_trace_summary s;
	int r = amdbare_trace_show(data + 1, size - 1, json, f, &s);
	fclose(f);
	if (r != 0 && r != -22)
		abort();
	if (s.unknown_packets > s.packets || s.named_dispatches > s.dispatches)
		abort();
	if (n == 0 || text[n - 1] != '\n' || (json && (n < 2 || text[n - 2] != '}')))
		abort();
	free(text);
	return 0;
}
