/*
 * Text rendering shared by `info` and `alloc`: usage bars in the spirit of
 * `rocm-smi --showmeminfo vram gtt`, signed size deltas, flag names.
 */
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <strings.h>

void report_bar(char *buf, size_t len, uint64_t used, uint64_t total, int width)
{
	if (len < 3 || width <= 0) {
		if (len)
			buf[0] = '\0';
		return;
	}
	if ((size_t)width > len - 3)
		width = (int)(len - 3);
	int filled = 0;
	if (total > 0) {
		/* Round up so that any usage at all shows at least one mark:
		 * "something is there" is the point of the bar. */
		long double frac = (long double)used / (long double)total;
		if (frac > 1.0L)
			frac = 1.0L;
		filled = (int)(frac * width);
		if (used > 0 && filled == 0)
			filled = 1;
	}
	buf[0] = '[';
	for (int i = 0; i < width; i++)
		buf[1 + i] = i < filled ? '#' : '.';
	buf[1 + width] = ']';
	buf[2 + width] = '\0';
}

const char *report_signed_size(int64_t bytes, char *buf, size_t len)
{
	char mag[32];
	/* Negate in unsigned arithmetic: INT64_MIN has no positive twin. */
	uint64_t abs = bytes < 0 ? (uint64_t)0 - (uint64_t)bytes : (uint64_t)bytes;
	amdbare_format_size(abs, mag, sizeof(mag));
	snprintf(buf, len, "%c%s", bytes < 0 ? '-' : '+', mag);
	return buf;
}

static void heap_line(FILE *out, const char *label, const amdbare_heap_info *h)
{
	char bar[40], used[32], total[32], usable[32], maxa[32];
	report_bar(bar, sizeof(bar), h->used, h->total, 24);
	unsigned pct = h->total ? (unsigned)((long double)h->used * 100.0L / h->total) : 0;
	fprintf(out, "  %-13s %s %3u%%  %s / %s   usable %s   max allocation %s\n",
		label, bar, pct,
		amdbare_format_size(h->used, used, sizeof(used)),
		amdbare_format_size(h->total, total, sizeof(total)),
		amdbare_format_size(h->usable, usable, sizeof(usable)),
		amdbare_format_size(h->max_allocation, maxa, sizeof(maxa)));
}

void report_memory(FILE *out, const amdbare_memory_info *m)
{
	char moved[32];
	fprintf(out, "memory (device-wide, all processes):\n");
	heap_line(out, "VRAM", &m->vram);
	heap_line(out, "visible VRAM", &m->visible_vram);
	heap_line(out, "GTT", &m->gtt);
	fprintf(out, "  counters      evictions %" PRIu64 ", bytes moved %s, "
		"CPU page faults on invisible VRAM %" PRIu64 "\n",
		m->num_evictions, amdbare_format_size(m->num_bytes_moved, moved, sizeof(moved)),
		m->num_vram_cpu_page_faults);
}

static void usage_item(FILE *out, bool *first, bool has, const char *name, uint64_t v)
{
	char s[32];
	if (!has)
		return;
	fprintf(out, "%s%s %s", *first ? "" : ", ", name, amdbare_format_size(v, s, sizeof(s)));
	*first = false;
}

void report_process_usage(FILE *out, const char *indent, const amdbare_process_usage *u)
{
	bool first = true;
	fputs(indent, out);
	usage_item(out, &first, u->has_vram, "vram", u->vram);
	usage_item(out, &first, u->has_visible_vram, "visible vram", u->visible_vram);
	usage_item(out, &first, u->has_gtt, "gtt", u->gtt);
	usage_item(out, &first, u->has_cpu, "cpu", u->cpu);
	usage_item(out, &first, u->has_evicted_vram, "evicted vram", u->evicted_vram);
	usage_item(out, &first, u->has_requested_vram, "requested vram", u->requested_vram);
	usage_item(out, &first, u->has_requested_gtt, "requested gtt", u->requested_gtt);
	if (first)
		fputs("no memory keys in fdinfo", out);
	if (u->client_id)
		fprintf(out, "  (drm-client-id %" PRIu64 ")", u->client_id);
	fputc('\n', out);
}

static const struct {
	uint32_t bit;
	const char *name;
} flag_names[] = {
	{AMDBARE_BO_CPU_ACCESS, "cpu-access"},
	{AMDBARE_BO_NO_CPU_ACCESS, "no-cpu-access"},
	{AMDBARE_BO_USWC, "uswc"},
	{AMDBARE_BO_CLEARED, "cleared"},
	{AMDBARE_BO_VM_ALWAYS_VALID, "vm-always-valid"},
};

const char *report_flag_names(uint32_t flags, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++) {
		if (!(flags & flag_names[i].bit))
			continue;
		int n = snprintf(buf + used, len - used, "%s%s", used ? "," : "", flag_names[i].name);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
	if (!used)
		snprintf(buf, len, "none");
	return buf;
}

const char *report_confidence_name(int confidence)
{
	switch (confidence) {
	case AMDBARE_PLACEMENT_EXACT: return "exact";
	case AMDBARE_PLACEMENT_LIKELY: return "likely";
	default: return "unknown";
	}
}

int report_parse_flags(const char *text, uint32_t *flags, char *bad, size_t bad_len)
{
	*flags = 0;
	const char *p = text;
	for (;;) {
		size_t n = strcspn(p, ",");
		bool found = false;
		for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++) {
			if (strlen(flag_names[i].name) == n && strncasecmp(p, flag_names[i].name, n) == 0) {
				*flags |= flag_names[i].bit;
				found = true;
				break;
			}
		}
		if (!found) {
			snprintf(bad, bad_len, "%.*s", (int)n, p);
			return -EINVAL;
		}
		if (p[n] == '\0')
			return 0;
		p += n + 1;
	}
}
