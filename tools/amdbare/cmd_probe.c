/*
 * `amdbare probe [--domain D] [--size S] [--json] [--svg FILE]`: bandwidth
 * and latency of the device's memory domains, measured from three sides:
 *
 *   - the CPU through a buffer's mapping: read (sum of 64-bit words),
 *     write (memset), memcpy (buffer to host memory), and the latency of a
 *     dependent-load chain (a random cycle over 64-byte slots);
 *   - the shaders: the embedded bandwidth kernels (kernels/bandwidth.cl,
 *     amdbare_gpu_bandwidth): read, write, copy within the domain, and
 *     the same dependent-load chain walked by one work-item
 *     (amdbare_gpu_chase);
 *   - the DMA engine: amdbare_copy between every ordered pair of domains.
 *
 * Domains: vram (CPU-visible VRAM, AMDBARE_BO_CPU_ACCESS), gtt (cached
 * system memory) and gtt-uswc (write-combined).  Each figure is shown
 * beside the device's theoretical DRAM bandwidth (an estimate from
 * DEV_INFO, as `amdbare gemv` uses) where that is the limit; on the
 * virtual device every figure is the CPU emulating the GPU and is marked
 * emulated.
 */
#include "cmd_diag.h"

#include <amdbare_cmd.h>
#include <amdbare_diag.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void cmd_probe_help(FILE *out)
{
	fprintf(out,
		"usage: amdbare [--vgpu PROFILE] [--device N] probe [--domain D[,D...]]\n"
		"                [--size S] [--json] [--svg FILE]\n"
		"\n"
		"Measures each memory domain: CPU read, write and memcpy through the\n"
		"buffer's mapping and the latency of a dependent-load chain; shader read,\n"
		"write and copy (the embedded bandwidth kernels) and the same chain walked\n"
		"by one shader work-item; SDMA copies between every\n"
		"pair of domains.  GB/s are shown beside the device's theoretical DRAM\n"
		"bandwidth where that is the limit (an estimate from the memory clock and\n"
		"bus width).  On the virtual device every figure is emulated (the CPU\n"
		"plays the GPU) and says so.\n"
		"\n"
		"  --domain D   vram (CPU-visible VRAM), gtt, gtt-uswc; default all three\n"
		"  --size S     bytes per measurement (default 64M; 1M on the vgpu, whose\n"
		"               shaders are interpreted)\n"
		"  --json       one JSON object (sizes in bytes, rates in GB/s = 1e9 B/s)\n"
		"  --svg FILE   also write a bar chart, one bar per measurement\n"
		"\n"
		"exit codes: 0 every measurement ran, 1 one failed (the others are still\n"
		"reported), 2 usage\n");
}

struct domain {
	const char *name;
	uint32_t domains, flags;
	amdbare_bo *bo, *bo2;   /* two buffers: copies within a domain */
	void *map;
	const char *error;      /* creation failed: every measurement on it says so */
	uint64_t chain_steps;   /* cpu_tests left a dependent-load chain in bo, walked this often */
	char error_text[256];
};

enum unit { GBPS, NS };

struct meas {
	char what[24];          /* "cpu-read", "sdma-copy", ... */
	char domain[32];        /* "vram", "gtt->vram" */
	enum unit unit;
	double value;           /* GB/s or ns */
	uint64_t bytes;
	double seconds;
	double peak_gbps;       /* 0: no theoretical figure applies */
	bool ok;
	char error[256];
};

#define MAX_MEAS 64

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Transfers per memory clock: 2 on APUs (DDR4/DDR5/LPDDR5(x)) and on
 * HBM, the only memory with a bus of 1024 bits or more (gfx9 dGPUs: Vega
 * 10/20, MI50/MI100); 16 on the gfx11 and gfx10.3 dGPUs (GDDR6). */
static int dram_per_clock(const amdbare_device_info *in)
{
	return in->is_apu || in->vram_bit_width >= 1024 ? 2 : 16;
}

/* The DRAM bandwidth estimate of `amdbare gemv` (cmd_gemm.c
 * peak_bandwidth): bus bytes x memory clock x transfers per clock. */
static double peak_dram(const amdbare_device_info *in)
{
	double rate = dram_per_clock(in);
	return in->vram_bit_width / 8.0 * in->max_memory_clock_mhz * 1e6 * rate;
}

/* The peak a measurement is held against: on an APU every domain is the
 * same DRAM; on a dGPU VRAM is, and GTT traffic crosses the PCIe link,
 * whose speed DEV_INFO does not give (0: no figure). */
static double peak_for(const amdbare_device_info *in, bool gtt_involved)
{
	if (!in->is_apu && gtt_involved)
		return 0;
	return peak_dram(in) / 1e9;
}

static struct meas *add(struct meas *m, int *n, const char *what, const char *domain, enum unit u)
{
	if (*n >= MAX_MEAS)
		return NULL;
	struct meas *x = &m[(*n)++];
	memset(x, 0, sizeof(*x));
	snprintf(x->what, sizeof(x->what), "%s", what);
	snprintf(x->domain, sizeof(x->domain), "%s", domain);
	x->unit = u;
	return x;
}

static void fail(struct meas *x, const char *msg)
{
	x->ok = false;
	snprintf(x->error, sizeof(x->error), "%s", msg && msg[0] ? msg : "failed");
}

static void done_rate(struct meas *x, uint64_t bytes, double secs, double peak)
{
	x->bytes = bytes;
	x->seconds = secs;
	x->value = secs > 0 ? (double)bytes / secs / 1e9 : 0;
	x->peak_gbps = peak;
	x->ok = true;
}

/* Runs fn until at least 20 ms (or 1000 rounds) have passed, after one
 * untimed round; the time per round. */
#define TIMED(body)                                                          \
	do {                                                                 \
		body;                                                        \
		int rounds_ = 0;                                             \
		double t0_ = now_s(), el_ = 0;                               \
		do {                                                         \
			body;                                                \
			rounds_++;                                           \
			el_ = now_s() - t0_;                                 \
		} while (el_ < 0.02 && rounds_ < 1000);                      \
		secs = el_ / rounds_;                                        \
	} while (0)

static volatile uint64_t sink64;

static void cpu_tests(const amdbare_device_info *in, struct domain *d, uint64_t size,
		      struct meas *m, int *n)
{
	struct meas *r = add(m, n, "cpu-read", d->name, GBPS);
	struct meas *w = add(m, n, "cpu-write", d->name, GBPS);
	struct meas *c = add(m, n, "cpu-memcpy", d->name, GBPS);
	struct meas *l = add(m, n, "cpu-latency", d->name, NS);
	if (!r || !w || !c || !l)
		return;
	if (d->error) {
		fail(r, d->error);
		fail(w, d->error);
		fail(c, d->error);
		fail(l, d->error);
		return;
	}
	double peak = peak_for(in, d->domains == AMDBARE_DOMAIN_GTT);
	double secs;
	volatile const uint64_t *src = d->map;
	uint64_t words = size / 8;
	TIMED({
		uint64_t s = 0;
		for (uint64_t i = 0; i < words; i++)
			s += src[i];
		sink64 = s;
	});
	done_rate(r, size, secs, peak);
	TIMED(memset(d->map, 0x5a, size));
	done_rate(w, size, secs, peak);
	void *host = malloc(size);
	if (!host) {
		fail(c, "out of memory for the host buffer");
	} else {
		TIMED(memcpy(host, d->map, size));
		done_rate(c, 2 * size, secs, peak); /* read from the buffer, written to host memory */
		free(host);
	}
	/* The chain: slot i holds the offset of the next slot in a random
	 * cycle (Sattolo's algorithm), so every load waits for the last. */
	uint64_t slots = size / 64;
	if (slots < 2) {
		fail(l, "--size below 128 bytes leaves no chain");
		return;
	}
	uint32_t *order = malloc(slots * sizeof(*order));
	if (!order) {
		fail(l, "out of memory for the chain");
		return;
	}
	for (uint64_t i = 0; i < slots; i++)
		order[i] = (uint32_t)i;
	uint64_t x = 0x9E3779B97F4A7C15ull;
	for (uint64_t i = slots - 1; i > 0; i--) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		uint64_t j = x % i;
		uint32_t t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	uint8_t *base = d->map;
	for (uint64_t i = 0; i < slots; i++) {
		uint64_t next = (uint64_t)order[i] * 64;
		memcpy(base + (uint64_t)i * 64, &next, 8);
	}
	free(order);
	uint64_t steps = slots < 100000 ? slots * 4 : 400000;
	volatile uint64_t *chain = d->map;
	uint64_t p = 0;
	double t0 = now_s();
	for (uint64_t i = 0; i < steps; i++)
		p = chain[p / 8];
	double el = now_s() - t0;
	sink64 = p;
	d->chain_steps = steps;
	l->ok = true;
	l->bytes = steps * 8;
	l->seconds = el;
	l->value = el / (double)steps * 1e9;
}

static void gpu_tests(amdbare_device *dev, const amdbare_device_info *in, struct domain *d,
		      uint64_t size, struct meas *m, int *n)
{
	static const struct { const char *what; enum amdbare_bw_op op; } ops[] = {
		{"gpu-read", AMDBARE_BW_READ}, {"gpu-write", AMDBARE_BW_WRITE},
		{"gpu-copy", AMDBARE_BW_COPY}};
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		struct meas *x = add(m, n, ops[i].what, d->name, GBPS);
		if (!x)
			return;
		if (d->error) {
			fail(x, d->error);
			continue;
		}
		double secs;
		int r = amdbare_gpu_bandwidth(dev, ops[i].op, d->bo2, d->bo, size, &secs);
		if (r < 0) {
			fail(x, amdbare_last_error());
			continue;
		}
		/* a copy moves every byte twice: read and write */
		uint64_t moved = ops[i].op == AMDBARE_BW_COPY ? 2 * size : size;
		done_rate(x, moved, secs, peak_for(in, d->domains == AMDBARE_DOMAIN_GTT));
	}
	/* The dependent-load chain, seen by one wave: the chain cpu_tests
	 * left in d->bo, followed for as many steps as the CPU walked it
	 * (fewer on the vgpu, which interprets every load), its end checked
	 * against the CPU's walk. */
	struct meas *l = add(m, n, "gpu-latency", d->name, NS);
	if (!l)
		return;
	if (d->error || !d->chain_steps) {
		fail(l, d->error ? d->error : "no chain was built (see cpu-latency)");
		return;
	}
	uint64_t steps = in->is_virtual && d->chain_steps > 4096 ? 4096 : d->chain_steps;
	uint64_t want = 0;
	const volatile uint64_t *chain = d->map;
	for (uint64_t i = 0; i < steps; i++)
		want = chain[want / 8];
	double secs;
	uint64_t end;
	int r = amdbare_gpu_chase(dev, d->bo, steps, &secs, &end);
	if (r < 0) {
		fail(l, amdbare_last_error());
		return;
	}
	if (end != want) {
		char msg[128];
		snprintf(msg, sizeof(msg), "the GPU's walk ended at offset %" PRIu64 ", the CPU's at %"
			 PRIu64, end, want);
		fail(l, msg);
		return;
	}
	l->ok = true;
	l->bytes = steps * 8;
	l->seconds = secs;
	l->value = secs / (double)steps * 1e9;
}

static void sdma_tests(amdbare_device *dev, const amdbare_device_info *in, struct domain *ds,
		       int nd, uint64_t size, struct meas *m, int *n)
{
	for (int a = 0; a < nd; a++)
		for (int b = 0; b < nd; b++) {
			char pair[32];
			snprintf(pair, sizeof(pair), "%s->%s", ds[a].name, ds[b].name);
			struct meas *x = add(m, n, "sdma-copy", pair, GBPS);
			if (!x)
				return;
			if (ds[a].error || ds[b].error) {
				fail(x, ds[a].error ? ds[a].error : ds[b].error);
				continue;
			}
			amdbare_bo *dst = a == b ? ds[b].bo2 : ds[b].bo;
			double t0 = now_s();
			int r = amdbare_copy(dev, dst, 0, ds[a].bo, 0, size);
			t0 = now_s();
			if (r == 0)
				r = amdbare_copy(dev, dst, 0, ds[a].bo, 0, size);
			double secs = now_s() - t0;
			if (r < 0) {
				fail(x, amdbare_last_error());
				continue;
			}
			bool gtt = ds[a].domains == AMDBARE_DOMAIN_GTT || ds[b].domains == AMDBARE_DOMAIN_GTT;
			done_rate(x, 2 * size, secs, peak_for(in, gtt));
		}
}

/* ---- output ------------------------------------------------------------- */

static void print_text(const amdbare_device_info *in, uint64_t size, const struct meas *m, int n)
{
	if (in->is_virtual) {
		char banner[192];
		vgpu_banner(banner, sizeof(banner), in->virtual_profile);
		printf("%s\n", banner);
	}
	const char *emu = in->is_virtual ? "  (emulated)" : "";
	printf("probe of %s (%s): %" PRIu64 " bytes per measurement\n", in->marketing_name,
	       in->node_path, size);
	printf("theoretical DRAM bandwidth %.1f GB/s (%u-bit bus x %u MHz x %d per clock, %s "
	       "estimate)%s\n", peak_dram(in) / 1e9, in->vram_bit_width, in->max_memory_clock_mhz,
	       dram_per_clock(in), in->is_apu ? "APU" : "dGPU", emu);
	printf("\n  %-12s %-20s %12s  %s\n", "measurement", "domain", "result", "of peak");
	for (int i = 0; i < n; i++) {
		const struct meas *x = &m[i];
		if (!x->ok) {
			printf("  %-12s %-20s FAILED: %s\n", x->what, x->domain, x->error);
			continue;
		}
		char peak[32] = "-";
		if (x->unit == GBPS && x->peak_gbps > 0)
			snprintf(peak, sizeof(peak), "%.1f %%", 100 * x->value / x->peak_gbps);
		else if (x->unit == GBPS)
			snprintf(peak, sizeof(peak), "(PCIe: no peak known)");
		if (x->unit == GBPS)
			printf("  %-12s %-20s %7.2f GB/s  %s%s\n", x->what, x->domain, x->value, peak, emu);
		else
			printf("  %-12s %-20s %7.1f ns    per dependent load%s\n", x->what, x->domain,
			       x->value, emu);
	}
	printf("\nGB/s count bytes read plus bytes written (a copy moves each byte twice); "
	       "times are the CPU's clock around each operation.\n");
}

static void print_json(const amdbare_device_info *in, uint64_t size, const struct meas *m, int n)
{
	struct json_out j;
	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	cli_json_header(&j, in);
	json_u64(&j, "bytes_per_measurement", size);
	json_u64(&j, "theoretical_dram_bytes_per_s", (uint64_t)peak_dram(in));
	json_array_begin(&j, "measurements");
	for (int i = 0; i < n; i++) {
		const struct meas *x = &m[i];
		json_object_begin(&j, NULL);
		json_string(&j, "what", x->what);
		json_string(&j, "domain", x->domain);
		json_bool(&j, "ok", x->ok);
		json_bool(&j, "emulated", in->is_virtual);
		if (x->ok) {
			char v[32];
			json_string(&j, "unit", x->unit == GBPS ? "GB/s" : "ns");
			/* a number with a fraction: written by hand, the writer
			 * has integers only */
			snprintf(v, sizeof(v), "%.4f", x->value);
			json_string(&j, "value_text", v);
			json_u64(&j, "value_milli", (uint64_t)(x->value * 1000 + 0.5));
			json_u64(&j, "bytes", x->bytes);
			json_u64(&j, "nanoseconds", (uint64_t)(x->seconds * 1e9));
			if (x->unit == GBPS && x->peak_gbps > 0)
				json_u64(&j, "peak_milli_gbps", (uint64_t)(x->peak_gbps * 1000 + 0.5));
			else
				json_null(&j, "peak_milli_gbps");
		} else {
			json_string(&j, "error", x->error);
		}
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_finish(&j);
}

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f)
			fputc(*s, f);
	}
}

/* A horizontal bar chart: one <rect class="bar"> per measurement (a failed
 * one has width 0 and says FAILED), GB/s bars scaled to the largest GB/s
 * figure, latency bars to the largest latency. */
static int write_svg(const char *path, const amdbare_device_info *in, const struct meas *m, int n)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		cli_error("probe: --svg %s: %s", path, strerror(errno));
		return -1;
	}
	double max_rate = 0, max_ns = 0;
	for (int i = 0; i < n; i++)
		if (m[i].ok && m[i].unit == GBPS && m[i].value > max_rate)
			max_rate = m[i].value;
		else if (m[i].ok && m[i].unit == NS && m[i].value > max_ns)
			max_ns = m[i].value;
	const int row = 22, top = 50, left = 260, width = 480;
	int h = top + n * row + 30;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"font-family=\"monospace\" font-size=\"12\">\n", left + width + 160, h);
	fprintf(f, "<text x=\"10\" y=\"20\" font-size=\"14\">amdbare probe: ");
	xml_text(f, in->marketing_name);
	fprintf(f, "%s</text>\n", in->is_virtual ? " (virtual device: every figure emulated)" : "");
	fprintf(f, "<text x=\"10\" y=\"38\">bars: GB/s (scaled to %.2f) or ns per dependent load "
		"(scaled to %.1f)</text>\n", max_rate, max_ns);
	for (int i = 0; i < n; i++) {
		const struct meas *x = &m[i];
		int y = top + i * row;
		double scale = x->unit == GBPS ? max_rate : max_ns;
		int w = x->ok && scale > 0 ? (int)(x->value / scale * width + 0.5) : 0;
		fprintf(f, "<text x=\"10\" y=\"%d\">", y + 14);
		xml_text(f, x->what);
		fputc(' ', f);
		xml_text(f, x->domain);
		fprintf(f, "</text>\n<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
			"fill=\"%s\"/>\n", left, y + 3, w, row - 6,
			x->unit == GBPS ? "#3a7bd5" : "#d5803a");
		fprintf(f, "<text x=\"%d\" y=\"%d\">", left + w + 6, y + 14);
		if (!x->ok)
			fputs("FAILED", f);
		else if (x->unit == GBPS)
			fprintf(f, "%.2f GB/s%s", x->value, in->is_virtual ? " (emulated)" : "");
		else
			fprintf(f, "%.1f ns%s", x->value, in->is_virtual ? " (emulated)" : "");
		fputs("</text>\n", f);
	}
	fputs("</svg>\n", f);
	if (fclose(f) != 0) {
		cli_error("probe: writing %s failed", path);
		return -1;
	}
	return 0;
}

/* ---- the command -------------------------------------------------------- */

static int parse_domains(const char *text, bool want[3])
{
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", text);
	want[0] = want[1] = want[2] = false;
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (strcmp(t, "vram") == 0)
			want[0] = true;
		else if (strcmp(t, "gtt") == 0)
			want[1] = true;
		else if (strcmp(t, "gtt-uswc") == 0)
			want[2] = true;
		else
			return -1;
	}
	return want[0] || want[1] || want[2] ? 0 : -1;
}

static void make_domain(amdbare_device *dev, struct domain *d, uint64_t size)
{
	amdbare_bo_create_info ci = {.size = size, .domains = d->domains, .flags = d->flags};
	int r = amdbare_bo_create(dev, &ci, &d->bo);
	if (r == 0)
		r = amdbare_bo_create(dev, &ci, &d->bo2);
	if (r == 0)
		r = amdbare_bo_cpu_map(d->bo, &d->map);
	if (r == 0) {
		char name[48];
		snprintf(name, sizeof(name), "probe %s", d->name);
		amdbare_bo_set_name(d->bo, name);
		amdbare_bo_set_name(d->bo2, name);
		memset(d->map, 0x11, size);
	}
	if (r < 0) {
		snprintf(d->error_text, sizeof(d->error_text), "%s buffers: %s", d->name,
			 amdbare_last_error());
		d->error = d->error_text;
	}
}

int cmd_probe(const struct cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"domain", required_argument, NULL, 'D'},
		{"size", required_argument, NULL, 's'},
		{"json", no_argument, NULL, 'j'},
		{"svg", required_argument, NULL, 'S'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool want[3] = {true, true, true}, json = false;
	uint64_t size = 0;
	const char *svg = NULL;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'D':
			if (parse_domains(optarg, want) < 0) {
				cli_error("probe: --domain '%s': expected vram, gtt, gtt-uswc or a "
					  "comma list of them", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 's':
			if (amdbare_parse_size(optarg, &size) < 0 || size < 4096 || size > (1ull << 34)) {
				cli_error("probe: --size '%s': expected 4K to 16G", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'j': json = true; break;
		case 'S': svg = optarg; break;
		case 'h':
			cmd_probe_help(stdout);
			return CLI_EXIT_OK;
		case ':':
			cli_error("probe: option '%s' needs a value", argv[optind - 1]);
			return CLI_EXIT_USAGE;
		default:
			cli_error("probe: unknown option '%s' (see amdbare help probe)", argv[optind - 1]);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_error("probe: unexpected argument '%s'", argv[optind]);
		return CLI_EXIT_USAGE;
	}
	amdbare_device *dev = NULL;
	int rc = amdbare_device_open(g->device_index >= 0 ? g->device_index : 0, &dev);
	if (rc < 0)
		return cli_report_open_failure(rc);
	amdbare_device_info in;
	amdbare_device_get_info(dev, &in);
	if (size == 0)
		size = in.is_virtual ? (1ull << 20) : (64ull << 20);
	size = (size + 4095) & ~4095ull;

	struct domain all[3] = {
		{.name = "vram", .domains = AMDBARE_DOMAIN_VRAM, .flags = AMDBARE_BO_CPU_ACCESS},
		{.name = "gtt", .domains = AMDBARE_DOMAIN_GTT, .flags = 0},
		{.name = "gtt-uswc", .domains = AMDBARE_DOMAIN_GTT, .flags = AMDBARE_BO_USWC},
	};
	struct domain ds[3];
	int nd = 0;
	for (int i = 0; i < 3; i++)
		if (want[i])
			ds[nd++] = all[i];
	for (int i = 0; i < nd; i++)
		make_domain(dev, &ds[i], size);

	struct meas *m = calloc(MAX_MEAS, sizeof(*m));
	if (!m) {
		amdbare_device_close(dev);
		cli_error("probe: out of memory");
		return CLI_EXIT_FAILURE;
	}
	int n = 0;
	for (int i = 0; i < nd; i++)
		cpu_tests(&in, &ds[i], size, m, &n);
	for (int i = 0; i < nd; i++)
		gpu_tests(dev, &in, &ds[i], size, m, &n);
	sdma_tests(dev, &in, ds, nd, size, m, &n);
	for (int i = 0; i < nd; i++) {
		amdbare_bo_free(ds[i].bo);
		amdbare_bo_free(ds[i].bo2);
	}
	amdbare_device_close(dev);

	if (json)
		print_json(&in, size, m, n);
	else
		print_text(&in, size, m, n);
	fflush(stdout);
	int exit_code = CLI_EXIT_OK;
	if (svg && write_svg(svg, &in, m, n) < 0)
		exit_code = CLI_EXIT_FAILURE;
	for (int i = 0; i < n; i++)
		if (!m[i].ok) {
			cli_error("probe: %s on %s failed: %s", m[i].what, m[i].domain, m[i].error);
			exit_code = CLI_EXIT_FAILURE;
		}
	free(m);
	return exit_code;
}
