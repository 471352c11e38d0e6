/*
 * `amdbare doctor [--model FILE...] [--json]`: what this machine's kernel
 * lets this process have (VRAM, GTT and where the GTT ceiling comes from),
 * whether the given models fit and where the loader would put their
 * tensors (its own plan), the exact change that would make one fit, and
 * the pitfalls it can see (the DKMS amdttm module, a 512 MiB carve-out, a
 * GTT smaller than the model, swap pressure).
 */
#include "cli.h"

#include <amdbare_model.h>

#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#define GiB (1024.0 * 1024.0 * 1024.0)
#define MAX_ADVICE 32
#define MAX_MODELS 16

struct advice {
	const char *kind;   /* machine-readable */
	char text[400];
};

struct model_report {
	const char *path;
	int rc;
	char error[300];
	amdbare_model_plan plan;
};

struct doctor {
	amdbare_device_info info;
	amdbare_memory_info mem;
	amdbare_gtt_ceiling ceil;
	uint64_t vram_free, gtt_free, gtt_obtainable;
	bool has_carveout_options;
	char carveout[64], carveout_options[512];
	struct model_report models[MAX_MODELS];
	size_t n_models;
	struct advice advice[MAX_ADVICE];
	size_t n_advice;
};

static void add_advice(struct doctor *d, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_advice(struct doctor *d, const char *kind, const char *fmt, ...)
{
	if (d->n_advice >= MAX_ADVICE)
		return;
	struct advice *a = &d->advice[d->n_advice++];
	a->kind = kind;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->text, sizeof(a->text), fmt, ap);
	va_end(ap);
}

static bool read_small(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	size_t n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return true;
}

static uint64_t sub0(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

/* The GTT size that leaves room for `need` more bytes, rounded up to a GiB. */
static uint64_t gtt_target(const struct doctor *d, uint64_t need)
{
	uint64_t t = d->mem.gtt.total + (need > d->gtt_free ? need - d->gtt_free : 0) + (1ull << 30);
	return (t + (1ull << 30) - 1) & ~((1ull << 30) - 1);
}

/* What would make a model of `bytes` that does not fit, fit. */
static void advise_model(struct doctor *d, const struct model_report *m)
{
	uint64_t bytes = m->plan.bytes;
	const char *name = m->path;
	uint64_t room = d->vram_free + d->gtt_free;
	if (bytes > d->mem.gtt.total)
		add_advice(d, "gtt_smaller_than_model",
			   "%s: the model (%.2f GiB) is larger than the whole GTT (%.2f GiB)", name,
			   bytes / GiB, d->mem.gtt.total / GiB);
	if (m->plan.fits)
		return;
	uint64_t need_gtt = bytes > d->vram_free ? bytes - d->vram_free : 0;
	uint64_t target = gtt_target(d, need_gtt);
	uint64_t ram = d->ceil.has_meminfo ? d->ceil.mem_total : 0;
	if (ram && target > ram - (ram / 8)) {
		add_advice(d, "quantisation",
			   "%s: %.2f GiB of tensors do not fit in %.2f GiB of VRAM and GTT, and this "
			   "machine's RAM (%.2f GiB) cannot hold a GTT large enough: use a smaller "
			   "quantisation (e.g. Q8_0 halves an F16 model)",
			   name, bytes / GiB, room / GiB, ram / GiB);
		return;
	}
	if (d->ceil.gtt_follows_pages_limit) {
		const char *mod = d->ceil.amdttm ? "amdttm" : "ttm";
		add_advice(d, "kernel_cmdline",
			   "%s: add %s.pages_limit=%" PRIu64 " to the kernel command line "
			   "(GTT %.0f GiB instead of %.2f GiB; pages of 4 KiB) and reboot", name, mod,
			   target >> 12, target / GiB, d->mem.gtt.total / GiB);
	} else {
		add_advice(d, "kernel_cmdline",
			   "%s: add amdgpu.gttsize=%" PRIu64 " to the kernel command line (GTT %.0f GiB "
			   "instead of %.2f GiB; this kernel sizes GTT from amdgpu.gttsize, not from "
			   "ttm.pages_limit) and reboot", name, target >> 20, target / GiB,
			   d->mem.gtt.total / GiB);
	}
	if (d->info.is_apu && bytes > d->mem.vram.total) {
		uint64_t uma = 1ull << 30;
		while (uma < bytes && uma < (1ull << 40))
			uma <<= 1;
		add_advice(d, "bios_uma",
			   "%s: or raise the UMA frame buffer size (carve-out) in the BIOS to %.0f GiB "
			   "so that the model fits in VRAM (now %.2f GiB)", name, uma / GiB,
			   d->mem.vram.total / GiB);
	}
}

static void gather_models(struct doctor *d, amdbare_device *dev)
{
	for (size_t i = 0; i < d->n_models; i++) {
		struct model_report *m = &d->models[i];
		amdbare_model *model = NULL;
		m->rc = amdbare_model_open(dev, &m->path, 1, NULL, &model);
		if (m->rc < 0) {
			snprintf(m->error, sizeof(m->error), "%s", amdbare_last_error());
			continue;
		}
		amdbare_model_get_plan(model, &m->plan);
		amdbare_model_free(model);
		advise_model(d, m);
		if (m->plan.fits && m->plan.gtt.tensors > 0 && d->info.is_apu)
			add_advice(d, "place",
				   "%s: %u of %u tensors go to GTT (VRAM holds %.2f GiB); to choose which, "
				   "load with --place 'PATTERN=gtt' (e.g. --place '*embed*=gtt')", m->path,
				   m->plan.gtt.tensors, m->plan.tensors, d->vram_free / GiB);
	}
}

static void pitfalls(struct doctor *d)
{
	const amdbare_gtt_ceiling *c = &d->ceil;
	if (c->amdttm)
		add_advice(d, "amdttm",
			   "the DKMS driver's amdttm module is loaded: amdgpu takes its page limit from "
			   "amdttm.pages_limit, and ttm.pages_limit on the command line does nothing for it");
	if (d->info.is_apu && d->mem.vram.total <= (512ull << 20))
		add_advice(d, "small_carveout",
			   "the carve-out is only %.0f MiB: almost everything lands in GTT; raise the UMA "
			   "frame buffer size in the BIOS%s", d->mem.vram.total / (1024.0 * 1024.0),
			   d->has_carveout_options ? " or through uma/carveout (options above)" : "");
	if (c->source == AMDBARE_GTT_LIMIT_AMDGPU_GTTSIZE && c->gtt_follows_pages_limit)
		add_advice(d, "gttsize_deprecated",
			   "amdgpu.gttsize is deprecated on this kernel: use ttm.pages_limit=%" PRIu64
			   " for the same %.2f GiB", c->limit_bytes >> 12, c->limit_bytes / GiB);
	if (c->has_meminfo && c->swap_total) {
		uint64_t used = c->swap_total - c->swap_free;
		if (used > c->swap_total / 4 || c->mem_available < c->mem_total / 10)
			add_advice(d, "swap_pressure",
				   "swap pressure: %.2f GiB of %.2f GiB swap in use, %.2f GiB of RAM "
				   "available; GTT pages compete with it and a large load will thrash",
				   used / GiB, c->swap_total / GiB, c->mem_available / GiB);
	}
	if (c->has_meminfo && d->mem.gtt.total > c->mem_total)
		add_advice(d, "gtt_beyond_ram",
			   "the GTT ceiling (%.2f GiB) is larger than the system RAM (%.2f GiB): "
			   "filling it would exhaust the machine", d->mem.gtt.total / GiB,
			   c->mem_total / GiB);
}

static void print_text(const struct doctor *d)
{
	const amdbare_gtt_ceiling *c = &d->ceil;
	struct utsname u;
	printf("device        %s (%s)%s\n", d->info.marketing_name, d->info.gfx_target,
	       d->info.is_apu ? ", APU" : ", dGPU");
	printf("kernel        amdgpu KMS %u.%u.%u", d->info.drm_major, d->info.drm_minor,
	       d->info.drm_patchlevel);
	if (uname(&u) == 0)
		printf(", uname %s%s", u.release, d->info.is_virtual ? " (the host's; the vgpu "
		       "models its kernel through the KMS version and files)" : "");
	printf("\n");
	printf("command line  %s\n", c->has_cmdline ? c->cmdline : "(unreadable)");
	printf("parameters    %s.pages_limit %s", c->amdttm ? "amdttm" : "ttm",
	       c->has_pages_limit ? "" : "(unreadable)");
	if (c->has_pages_limit)
		printf("%" PRIu64 " pages (%.2f GiB)%s", c->pages_limit, (c->pages_limit << 12) / GiB,
		       c->pages_limit_given ? ", set" : ", default");
	if (c->has_gttsize)
		printf("; amdgpu.gttsize %lld%s", (long long)c->gttsize_mib,
		       c->gttsize_mib == -1 ? " (auto)" : " MiB");
	else
		printf("; amdgpu.gttsize unreadable");
	printf("\n");
	if (c->has_meminfo)
		printf("system RAM    %.2f GiB, %.2f GiB available; swap %.2f GiB, %.2f GiB used\n",
		       c->mem_total / GiB, c->mem_available / GiB, c->swap_total / GiB,
		       (c->swap_total - c->swap_free) / GiB);
	if (d->info.is_apu) {
		printf("carve-out     %.2f GiB VRAM (set in the BIOS)", d->mem.vram.total / GiB);
		if (d->has_carveout_options)
			printf("; uma/carveout = %s, options:\n%s\n", d->carveout,
			       d->carveout_options);
		else
			printf("; this kernel has no uma/carveout files\n");
	} else {
		printf("VRAM          %.2f GiB on the card, %.2f GiB of it CPU-visible\n",
		       d->mem.vram.total / GiB, d->mem.visible_vram.total / GiB);
	}
	printf("\nthis process can get\n");
	printf("  VRAM        %.2f GiB free of %.2f GiB usable (largest buffer %.2f GiB)\n",
	       d->vram_free / GiB, d->mem.vram.usable / GiB, d->mem.vram.max_allocation / GiB);
	printf("  GTT         %.2f GiB free of %.2f GiB", d->gtt_free / GiB, d->mem.gtt.usable / GiB);
	if (d->gtt_obtainable < d->gtt_free)
		printf(", but only %.2f GiB of RAM is available", d->gtt_obtainable / GiB);
	printf("\n");
	cli_print_gtt_ceiling(stdout, "  ", c);
	for (size_t i = 0; i < d->n_models; i++) {
		const struct model_report *m = &d->models[i];
		printf("\nmodel %s\n", m->path);
		if (m->rc < 0) {
			printf("  not readable: %s\n", m->error);
			continue;
		}
		const amdbare_model_plan *p = &m->plan;
		printf("  %u tensors, %.2f GiB: %s\n", p->tensors, p->bytes / GiB,
		       p->fits ? "fits" : "does NOT fit");
		printf("  plan        VRAM %u tensors %.2f GiB, GTT %u tensors %.2f GiB%s\n",
		       p->vram.tensors, p->vram.bytes / GiB, p->gtt.tensors, p->gtt.bytes / GiB,
		       p->vram_staged ? " (VRAM filled through GTT + SDMA)" : "");
		if (!p->fits)
			printf("  why         %s\n", p->refusal);
	}
	printf("\n%s\n", d->n_advice ? "advice" : "advice: none, nothing to change");
	for (size_t i = 0; i < d->n_advice; i++)
		printf("  [%s] %s\n", d->advice[i].kind, d->advice[i].text);
}

static void print_json(const struct doctor *d)
{
	const amdbare_gtt_ceiling *c = &d->ceil;
	struct json_out j;
	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	cli_json_header(&j, &d->info);
	json_object_begin(&j, "device");
	json_string(&j, "name", d->info.marketing_name);
	json_string(&j, "gfx_target", d->info.gfx_target);
	json_bool(&j, "is_apu", d->info.is_apu);
	char ver[32];
	snprintf(ver, sizeof(ver), "%u.%u.%u", d->info.drm_major, d->info.drm_minor,
		 d->info.drm_patchlevel);
	json_string(&j, "driver_version", ver);
	json_object_end(&j);
	json_object_begin(&j, "kernel");
	json_string(&j, "cmdline", c->has_cmdline ? c->cmdline : NULL);
	json_bool(&j, "gtt_follows_pages_limit", c->gtt_follows_pages_limit);
	json_bool(&j, "amdttm", c->amdttm);
	if (c->has_pages_limit)
		json_u64(&j, "pages_limit", c->pages_limit);
	else
		json_null(&j, "pages_limit");
	json_bool(&j, "pages_limit_given", c->pages_limit_given);
	if (c->has_gttsize)
		json_i64(&j, "gttsize_mib", c->gttsize_mib);
	else
		json_null(&j, "gttsize_mib");
	json_object_end(&j);
	json_object_begin(&j, "system");
	json_u64(&j, "mem_total_bytes", c->mem_total);
	json_u64(&j, "mem_available_bytes", c->mem_available);
	json_u64(&j, "swap_total_bytes", c->swap_total);
	json_u64(&j, "swap_used_bytes", c->swap_total - c->swap_free);
	json_object_end(&j);
	json_object_begin(&j, "vram");
	json_u64(&j, "total_bytes", d->mem.vram.total);
	json_u64(&j, "usable_bytes", d->vram_free);
	json_u64(&j, "max_allocation_bytes", d->mem.vram.max_allocation);
	json_string(&j, "carveout", d->has_carveout_options ? d->carveout : NULL);
	json_string(&j, "carveout_options", d->has_carveout_options ? d->carveout_options : NULL);
	json_object_end(&j);
	json_object_begin(&j, "gtt");
	json_u64(&j, "limit_bytes", c->limit_bytes);
	json_string(&j, "limit_source", c->source_name);
	json_u64(&j, "usable_bytes", d->gtt_obtainable);
	json_object_end(&j);
	json_array_begin(&j, "models");
	for (size_t i = 0; i < d->n_models; i++) {
		const struct model_report *m = &d->models[i];
		json_object_begin(&j, NULL);
		json_string(&j, "path", m->path);
		json_string(&j, "error", m->rc < 0 ? m->error : NULL);
		json_bool(&j, "fits", m->rc == 0 && m->plan.fits);
		json_u64(&j, "bytes", m->plan.bytes);
		json_u64(&j, "tensors", m->plan.tensors);
		json_u64(&j, "vram_tensors", m->plan.vram.tensors);
		json_u64(&j, "vram_bytes", m->plan.vram.bytes);
		json_u64(&j, "gtt_tensors", m->plan.gtt.tensors);
		json_u64(&j, "gtt_bytes", m->plan.gtt.bytes);
		json_string(&j, "refusal", m->rc == 0 && !m->plan.fits ? m->plan.refusal : NULL);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_array_begin(&j, "advice");
	for (size_t i = 0; i < d->n_advice; i++) {
		json_object_begin(&j, NULL);
		json_string(&j, "kind", d->advice[i].kind);
		json_string(&j, "text", d->advice[i].text);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	/* json_finish also tells main that this command wrote its document, so
	 * a "does not fit" exit does not add an error document after it. */
	json_finish(&j);
}

void cmd_doctor_help(FILE *out)
{
	fputs("usage: amdbare [--vgpu PROFILE] [--device N] doctor [--model FILE]... [--json]\n"
	      "\n"
	      "What this machine's kernel lets this process have: free VRAM and GTT, the GTT\n"
	      "ceiling and where it comes from (ttm.pages_limit, amdgpu.gttsize or the\n"
	      "kernel's default), the carve-out, system RAM and swap.  For each --model (a\n"
	      "safetensors, GGUF or shard index file): whether it fits and where the loader's\n"
	      "own plan puts its tensors.  Then advice, each with a kind: the kernel command\n"
	      "line change (ttm.pages_limit=N with N computed), a BIOS UMA size, --place, a\n"
	      "smaller quantisation, and the pitfalls found (amdttm, a 512 MiB carve-out, a\n"
	      "GTT smaller than a model, swap pressure).  Nothing is allocated.\n"
	      "\n"
	      "  --model FILE   a model to check (repeatable, at most 16)\n"
	      "  --json         machine-readable output (vram.usable_bytes, gtt.limit_bytes,\n"
	      "                 gtt.limit_source, models[].fits, advice[].kind/text)\n"
	      "\n"
	      "Exit status: 0 when every model fits (or none was given), 1 when one does not\n"
	      "fit or cannot be read, 2 for a usage error.\n",
	      out);
}

int cmd_doctor(const struct cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"model", required_argument, NULL, 'm'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct doctor *d = calloc(1, sizeof(*d));
	if (!d) {
		cli_error("out of memory");
		return CLI_EXIT_FAILURE;
	}
	bool json = false;
	int c;
	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (d->n_models >= MAX_MODELS) {
				cli_error("doctor: at most %d --model options", MAX_MODELS);
				free(d);
				return CLI_EXIT_USAGE;
			}
			d->models[d->n_models++].path = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			cmd_doctor_help(stdout);
			free(d);
			return CLI_EXIT_OK;
		case ':':
			cli_error("doctor: option '%s' needs a value", argv[optind - 1]);
			free(d);
			return CLI_EXIT_USAGE;
		default:
			cli_error("doctor: unknown option '%s' (see amdbare doctor --help)",
				  argv[optind - 1]);
			free(d);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_error("doctor: unexpected argument '%s' (models are given with --model)",
			  argv[optind]);
		free(d);
		return CLI_EXIT_USAGE;
	}
	amdbare_device *dev = NULL;
	int rc = amdbare_device_open(g->device_index >= 0 ? g->device_index : 0, &dev);
	if (rc < 0) {
		free(d);
		return cli_report_open_failure(rc);
	}
	amdbare_device_get_info(dev, &d->info);
	rc = amdbare_device_query_memory(dev, &d->mem);
	if (rc == 0)
		rc = amdbare_device_query_gtt_ceiling(dev, &d->ceil);
	if (rc < 0) {
		int e = cli_report_failure(rc, "doctor: memory query");
		amdbare_device_close(dev);
		free(d);
		return e;
	}
	d->vram_free = sub0(d->mem.vram.usable, d->mem.vram.used);
	d->gtt_free = sub0(d->mem.gtt.usable, d->mem.gtt.used);
	d->gtt_obtainable = d->gtt_free;
	if (d->ceil.has_meminfo && d->ceil.mem_available < d->gtt_obtainable)
		d->gtt_obtainable = d->ceil.mem_available;
	char path[160];
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/uma/carveout", d->info.pci_bus);
	if (read_small(path, d->carveout, sizeof(d->carveout))) {
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/uma/carveout_options",
			 d->info.pci_bus);
		d->has_carveout_options =
			read_small(path, d->carveout_options, sizeof(d->carveout_options));
	}
	gather_models(d, dev);
	pitfalls(d);
	amdbare_device_close(dev);
	if (json) {
		print_json(d);
	} else {
		if (d->info.is_virtual) {
			char banner[192];
			vgpu_banner(banner, sizeof(banner), d->info.virtual_profile);
			printf("%s\n", banner);
		}
		print_text(d);
	}
	int exit_code = CLI_EXIT_OK;
	for (size_t i = 0; i < d->n_models; i++)
		if (d->models[i].rc < 0 || !d->models[i].plan.fits)
			exit_code = CLI_EXIT_FAILURE;
	free(d);
	return exit_code;
}
