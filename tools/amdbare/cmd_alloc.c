/*
 * `amdbare alloc`: allocate one buffer and say where it really is.
 *
 * The kernel may quietly place a "VRAM" buffer in GTT (amdgpu_gem_create_
 * ioctl retries with VRAM|GTT when VRAM is full) and moves buffers out of
 * CPU-invisible VRAM on the first CPU fault.  This command shows both, with
 * the usage deltas that prove it, then frees the buffer and checks that the
 * usage went back to where it was.
 */
#include "cli.h"
#include "cli_num.h"
#include "text_safe.h"

#include <amdbare_diag.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TOUCH_PATTERN 0xA5

struct alloc_options {
	uint64_t size;
	uint32_t domains;
	uint32_t flags;
	bool touch, gpu_map, strict, json;
	double hold_s;        /* --hold: keep the buffer this long before the free */
};

/* A failed step: what was being done and the library's message. */
struct step_error {
	int rc;
	char message[320];
};

struct alloc_result {
	int device_index;
	amdbare_device_info info;
	/* before the creation, while the buffer is live (just before the
	 * free), after the free */
	amdbare_memory_info mem_before, mem_live, mem_after;
	bool have_mem_before, have_mem_live, have_mem_after;
	amdbare_process_usage usage_before, usage_live, usage_after;
	bool have_usage_before, have_usage_live, have_usage_after;
	bool created, touched, freed;
	uint32_t handle;
	uint64_t bo_size;
	amdbare_placement at_create, at_touch;
	uint64_t gpu_va;
	struct step_error error; /* the first failure, rc 0 if none */
};

static void record_error(struct alloc_result *r, int rc, const char *what)
{
	if (r->error.rc)
		return;
	const char *msg = amdbare_last_error();
	r->error.rc = rc;
	if (msg && msg[0])
		snprintf(r->error.message, sizeof(r->error.message), "%s", msg);
	else
		snprintf(r->error.message, sizeof(r->error.message), "%s: %s", what, strerror(-rc));
}

/* ---- option parsing ----------------------------------------------------- */

static int parse_options(int argc, char **argv, struct alloc_options *o)
{
	static const struct option opts[] = {
		{"domain", required_argument, NULL, 'D'},
		{"size", required_argument, NULL, 's'},
		{"flags", required_argument, NULL, 'f'},
		{"touch", no_argument, NULL, 't'},
		{"gpu-map", no_argument, NULL, 'g'},
		{"strict", no_argument, NULL, 'S'},
		{"json", no_argument, NULL, 'j'},
		{"hold", required_argument, NULL, 'H'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool have_domain = false, have_size = false;
	char bad[64];
	int c, rc;
	memset(o, 0, sizeof(*o));
	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (c) {
		case 'D':
			if (amdbare_parse_domains(optarg, &o->domains) < 0) {
				cli_error("alloc: --domain '%s': expected vram, gtt or vram,gtt", optarg);
				return CLI_EXIT_USAGE;
			}
			have_domain = true;
			break;
		case 's':
			rc = cli_parse_size("alloc: --size", optarg, 1, UINT64_MAX, &o->size);
			if (rc < 0)
				return CLI_EXIT_USAGE;
			have_size = true;
			break;
		case 'f':
			if (report_parse_flags(optarg, &o->flags, bad, sizeof(bad)) < 0) {
				cli_error("alloc: --flags: unknown flag '%s' (flags: cpu-access, "
					  "no-cpu-access, uswc, cleared, vm-always-valid)", bad);
				return CLI_EXIT_USAGE;
			}
			break;
		case 't': o->touch = true; break;
		case 'g': o->gpu_map = true; break;
		case 'S': o->strict = true; break;
		case 'j': o->json = true; break;
		case 'H': {
			char *end;
			errno = 0;
			o->hold_s = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(o->hold_s >= 0 && o->hold_s <= 86400)) {
				cli_error("alloc: --hold '%s': expected seconds from 0 to 86400", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		}
		case 'h':
			cli_print_command_help(stdout, "alloc");
			return -1;
		case ':':
			cli_error("alloc: option '%s' needs a value", argv[optind - 1]);
			return CLI_EXIT_USAGE;
		default:
			cli_error("alloc: unknown option '%s' (see amdbare alloc --help)", argv[optind - 1]);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_error("alloc: unexpected argument '%s'", argv[optind]);
		return CLI_EXIT_USAGE;
	}
	if (!have_domain || !have_size) {
		cli_error("alloc: --domain and --size are required (e.g. alloc --domain vram --size 1G)");
		return CLI_EXIT_USAGE;
	}
	if ((o->flags & AMDBARE_BO_CPU_ACCESS) && (o->flags & AMDBARE_BO_NO_CPU_ACCESS)) {
		cli_error("alloc: --flags cpu-access and no-cpu-access contradict each other");
		return CLI_EXIT_USAGE;
	}
	/* amdgpu_gem_create_ioctl takes USWC for GTT only (the library says
	 * so too, as a runtime error): a command line asking for it without
	 * GTT is a usage error. */
	if ((o->flags & AMDBARE_BO_USWC) && !(o->domains & AMDBARE_DOMAIN_GTT)) {
		cli_error("alloc: --flags uswc (write-combined GTT mapping) needs --domain gtt or "
			  "vram,gtt");
		return CLI_EXIT_USAGE;
	}
	if (o->touch && (o->flags & AMDBARE_BO_NO_CPU_ACCESS)) {
		cli_error("alloc: --touch writes from the CPU, which no-cpu-access forbids");
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}

/* ---- the experiment ----------------------------------------------------- */

static void run(amdbare_device *dev, const struct alloc_options *o, struct alloc_result *r)
{
	amdbare_device_get_info(dev, &r->info);
	/* Baselines first: every delta and the final "back to baseline" check
	 * compare with these. */
	r->have_mem_before = amdbare_device_query_memory(dev, &r->mem_before) == 0;
	r->have_usage_before = amdbare_device_query_process_usage(dev, &r->usage_before) == 0;

	amdbare_bo_create_info ci = {.size = o->size, .domains = o->domains, .flags = o->flags};
	amdbare_bo *bo = NULL;
	int rc = amdbare_bo_create(dev, &ci, &bo);
	if (rc < 0) {
		record_error(r, rc, "creating the buffer");
		return;
	}
	r->created = true;
	amdbare_bo_set_name(bo, "amdbare alloc");
	r->handle = amdbare_bo_handle(bo);
	r->bo_size = amdbare_bo_size(bo);
	rc = amdbare_bo_get_placement(bo, &r->at_create);
	if (rc < 0)
		record_error(r, rc, "measuring the placement");

	if (o->gpu_map && !r->error.rc) {
		rc = amdbare_bo_gpu_map(bo, AMDBARE_VA_READ | AMDBARE_VA_WRITE, &r->gpu_va);
		if (rc < 0)
			record_error(r, rc, "mapping the buffer on the GPU");
	}
	if (o->touch && !r->error.rc) {
		rc = amdbare_bo_touch(bo, TOUCH_PATTERN);
		if (rc < 0) {
			record_error(r, rc, "touching every page");
		} else {
			r->touched = true;
			rc = amdbare_bo_get_placement(bo, &r->at_touch);
			if (rc < 0)
				record_error(r, rc, "measuring the placement after the touch");
		}
	}

	/* What `info` (or rocm-smi) would show while the buffer exists. */
	r->have_mem_live = amdbare_device_query_memory(dev, &r->mem_live) == 0;
	r->have_usage_live = amdbare_device_query_process_usage(dev, &r->usage_live) == 0;

	/* --hold: the buffer stays for others to see (`amdbare top`); the
	 * line on stderr says from when, so a watcher knows it exists. */
	if (o->hold_s > 0 && !r->error.rc) {
		fprintf(stderr, "amdbare: alloc: holding buffer %u (%" PRIu64 " bytes) for %g s, "
			"pid %d\n", r->handle, r->bo_size, o->hold_s, (int)getpid());
		fflush(stderr);
		struct timespec left = {(time_t)o->hold_s,
					(long)((o->hold_s - (double)(time_t)o->hold_s) * 1e9)};
		while (nanosleep(&left, &left) != 0 && errno == EINTR)
			;
	}

	rc = amdbare_bo_free(bo);
	if (rc < 0)
		record_error(r, rc, "freeing the buffer");
	r->freed = true;
	r->have_mem_after = amdbare_device_query_memory(dev, &r->mem_after) == 0;
	r->have_usage_after = amdbare_device_query_process_usage(dev, &r->usage_after) == 0;
}

static bool fell_back(const struct alloc_result *r)
{
	return (r->created && r->at_create.fell_back_to_gtt) ||
	       (r->touched && r->at_touch.fell_back_to_gtt);
}

/* The process's own fdinfo usage is exact: it must be back where it was. */
static bool process_back(const struct alloc_result *r)
{
	const amdbare_process_usage *a = &r->usage_before, *b = &r->usage_after;
	return a->vram == b->vram && a->gtt == b->gtt && a->cpu == b->cpu;
}

/* Device-wide usage includes every other process on the GPU, so a
 * difference is reported, not treated as a leak of ours. */
static bool device_back(const struct alloc_result *r)
{
	return r->mem_before.vram.used == r->mem_after.vram.used &&
	       r->mem_before.gtt.used == r->mem_after.gtt.used;
}

/* ---- text report -------------------------------------------------------- */

static const char *placed_name(uint32_t domain)
{
	return domain ? amdbare_domain_name(domain) : "unknown";
}

/* "VRAM (CPU-invisible part)", "GTT", "unknown". */
static const char *where(const amdbare_placement *p, char *buf, size_t len)
{
	if (p->actual_domain == AMDBARE_DOMAIN_VRAM)
		snprintf(buf, len, "VRAM (%s)", p->cpu_visible ? "CPU-visible part" : "CPU-invisible part");
	else
		snprintf(buf, len, "%s", placed_name(p->actual_domain));
	return buf;
}

/* `before` is the placement at creation when `p` is the one after the
 * touch (so a migration can say from where), NULL otherwise. */
static void print_placement(FILE *out, const amdbare_placement *p, const amdbare_placement *before)
{
	char w1[64], w2[64];
	char a[32], b[32], c[32];
	fprintf(out, "  placed in     %s   confidence: %s\n", where(p, w1, sizeof(w1)),
		report_confidence_name((int)p->confidence));
	fprintf(out, "  requested     %s\n", amdbare_domain_name(p->requested_domains));
	fprintf(out, "  fallback      %s\n",
		p->fell_back_to_gtt ? "YES: asked for VRAM only, landed in GTT" : "no");
	if (p->migrated && before)
		fprintf(out, "  migrated      yes: from %s to %s\n", where(before, w2, sizeof(w2)), w1);
	else
		fprintf(out, "  migrated      %s\n", p->migrated ? "yes (moved since creation)" : "no");
	fprintf(out, "  this process  vram %s, gtt %s, cpu %s   (fdinfo)\n",
		report_signed_size(p->proc_vram_delta, a, sizeof(a)),
		report_signed_size(p->proc_gtt_delta, b, sizeof(b)),
		report_signed_size(p->proc_cpu_delta, c, sizeof(c)));
	fprintf(out, "  device-wide   vram %s (visible %s), gtt %s\n",
		report_signed_size(p->global_vram_delta, a, sizeof(a)),
		report_signed_size(p->global_visible_vram_delta, b, sizeof(b)),
		report_signed_size(p->global_gtt_delta, c, sizeof(c)));
	fprintf(out, "  kernel        evictions +%" PRIu64 ", CPU page faults on VRAM +%" PRIu64 "\n",
		p->evictions_delta, p->cpu_page_faults_delta);
	fprintf(out, "  evidence      %s\n", p->evidence);
}

static void print_fallback_warning(FILE *out)
{
	fprintf(out, "\n"
		"  ******************************************************************\n"
		"  WARNING: asked for VRAM, the kernel placed it in GTT\n"
		"  (amdgpu retries a failed VRAM allocation as VRAM|GTT: the buffer\n"
		"  works, but the GPU reads it from system memory)\n"
		"  ******************************************************************\n\n");
}

static void print_text(FILE *out, const struct alloc_options *o, const struct alloc_result *r)
{
	char s1[32], s2[32], s3[32], s4[32], flags[96];
	const amdbare_device_info *in = &r->info;
	if (in->is_virtual) {
		char banner[192];
		vgpu_banner(banner, sizeof(banner), in->virtual_profile);
		fprintf(out, "%s\n", banner);
	}
	char name[160];
	fprintf(out, "device %d: %s, %s (%s, %s)\n", r->device_index, in->node_path,
		text_safe(in->marketing_name, name, sizeof(name)), in->gfx_target[0] ? in->gfx_target : "unknown gfx target",
		in->is_apu ? "APU" : "dGPU");
	char exact[64];
	fprintf(out, "request: %s in %s, flags %s\n", cli_format_size_exact(o->size, exact, sizeof(exact)),
		amdbare_domain_name(o->domains), report_flag_names(o->flags, flags, sizeof(flags)));
	if (r->have_usage_before)
		report_process_usage(out, "before:  this process ", &r->usage_before);
	if (r->have_mem_before)
		fprintf(out, "before:  device-wide vram %s used, gtt %s used\n",
			amdbare_format_size(r->mem_before.vram.used, s1, sizeof(s1)),
			amdbare_format_size(r->mem_before.gtt.used, s2, sizeof(s2)));
	if (!r->created)
		return;
	fprintf(out, "created: GEM handle %u, %s; deltas of the creation:\n", r->handle,
		cli_format_size_exact(r->bo_size, exact, sizeof(exact)));
	if (r->at_create.fell_back_to_gtt)
		print_fallback_warning(out);
	print_placement(out, &r->at_create, NULL);
	if (o->gpu_map && r->gpu_va)
		fprintf(out, "gpu map: VA 0x%" PRIx64 " (read/write)\n", r->gpu_va);
	if (r->touched) {
		fprintf(out, "touched: wrote every page from the CPU (pattern 0x%02x); deltas of the touch:\n",
			TOUCH_PATTERN);
		if (r->at_touch.fell_back_to_gtt && !r->at_create.fell_back_to_gtt)
			print_fallback_warning(out);
		print_placement(out, &r->at_touch, &r->at_create);
	}
	if (r->have_mem_live) {
		fprintf(out, "while allocated: ");
		report_memory(out, &r->mem_live);
	}
	if (r->have_usage_live)
		report_process_usage(out, "  this process  ", &r->usage_live);
	if (!r->freed)
		return;
	fprintf(out, "freed:\n");
	if (r->have_usage_before && r->have_usage_after)
		fprintf(out, "  this process  vram %s, gtt %s (before: %s, %s): %s\n",
			amdbare_format_size(r->usage_after.vram, s1, sizeof(s1)),
			amdbare_format_size(r->usage_after.gtt, s2, sizeof(s2)),
			amdbare_format_size(r->usage_before.vram, s3, sizeof(s3)),
			amdbare_format_size(r->usage_before.gtt, s4, sizeof(s4)),
			process_back(r) ? "back to the baseline"
					: "NOT back to the baseline (memory still held)");
	if (r->have_mem_before && r->have_mem_after)
		fprintf(out, "  device-wide   vram %s used, gtt %s used: %s\n",
			amdbare_format_size(r->mem_after.vram.used, s1, sizeof(s1)),
			amdbare_format_size(r->mem_after.gtt.used, s2, sizeof(s2)),
			device_back(r) ? "back to the baseline"
				       : "differs from the baseline (other processes use the GPU too)");
}

/* ---- JSON report -------------------------------------------------------- */

static void json_placement(struct json_out *j, const char *key, const amdbare_placement *p)
{
	json_object_begin(j, key);
	json_string(j, "requested_domains", amdbare_domain_name(p->requested_domains));
	json_string(j, "actual_domain", p->actual_domain ? amdbare_domain_name(p->actual_domain) : NULL);
	json_bool(j, "fell_back_to_gtt", p->fell_back_to_gtt);
	json_bool(j, "cpu_visible", p->cpu_visible);
	json_bool(j, "migrated", p->migrated);
	json_i64(j, "proc_vram_delta", p->proc_vram_delta);
	json_i64(j, "proc_gtt_delta", p->proc_gtt_delta);
	json_i64(j, "proc_cpu_delta", p->proc_cpu_delta);
	json_i64(j, "global_vram_delta", p->global_vram_delta);
	json_i64(j, "global_visible_vram_delta", p->global_visible_vram_delta);
	json_i64(j, "global_gtt_delta", p->global_gtt_delta);
	json_u64(j, "evictions_delta", p->evictions_delta);
	json_u64(j, "cpu_page_faults_delta", p->cpu_page_faults_delta);
	json_string(j, "confidence", report_confidence_name((int)p->confidence));
	json_string(j, "evidence", p->evidence);
	json_object_end(j);
}

static void json_snapshot(struct json_out *j, const char *key, bool have_mem,
			  const amdbare_memory_info *m, bool have_usage,
			  const amdbare_process_usage *u)
{
	json_object_begin(j, key);
	if (have_mem)
		cli_json_memory(j, "memory", m);
	else
		json_null(j, "memory");
	if (have_usage)
		cli_json_process_usage(j, "process", u);
	else
		json_null(j, "process");
	json_object_end(j);
}

static int print_json(FILE *out, const struct alloc_options *o, const struct alloc_result *r)
{
	struct json_out j;
	char flags[96];
	json_init(&j, out);
	json_object_begin(&j, NULL);
	cli_json_header(&j, &r->info);
	json_object_begin(&j, "device");
	cli_json_device_identity(&j, r->device_index, &r->info);
	json_object_end(&j);

	json_object_begin(&j, "request");
	json_u64(&j, "size", o->size);
	json_string(&j, "domains", amdbare_domain_name(o->domains));
	json_string(&j, "flags", report_flag_names(o->flags, flags, sizeof(flags)));
	json_bool(&j, "touch", o->touch);
	json_bool(&j, "gpu_map", o->gpu_map);
	json_bool(&j, "strict", o->strict);
	json_object_end(&j);

	json_snapshot(&j, "baseline", r->have_mem_before, &r->mem_before, r->have_usage_before,
		      &r->usage_before);
	if (r->created) {
		json_object_begin(&j, "created");
		json_u64(&j, "handle", r->handle);
		json_u64(&j, "size", r->bo_size);
		json_placement(&j, "placement", &r->at_create);
		json_object_end(&j);
	} else {
		json_null(&j, "created");
	}
	if (r->gpu_va)
		json_u64(&j, "gpu_va", r->gpu_va);
	else
		json_null(&j, "gpu_va");
	if (r->touched) {
		json_object_begin(&j, "touched");
		json_u64(&j, "pattern", TOUCH_PATTERN);
		json_placement(&j, "placement", &r->at_touch);
		json_object_end(&j);
	} else {
		json_null(&j, "touched");
	}
	if (r->created)
		json_snapshot(&j, "while_allocated", r->have_mem_live, &r->mem_live,
			      r->have_usage_live, &r->usage_live);
	else
		json_null(&j, "while_allocated");
	if (r->freed) {
		json_snapshot(&j, "after_free", r->have_mem_after, &r->mem_after,
			      r->have_usage_after, &r->usage_after);
		if (r->have_usage_before && r->have_usage_after)
			json_bool(&j, "process_back_to_baseline", process_back(r));
		else
			json_null(&j, "process_back_to_baseline");
		if (r->have_mem_before && r->have_mem_after)
			json_bool(&j, "device_back_to_baseline", device_back(r));
		else
			json_null(&j, "device_back_to_baseline");
	} else {
		json_null(&j, "after_free");
		json_null(&j, "process_back_to_baseline");
		json_null(&j, "device_back_to_baseline");
	}
	json_bool(&j, "fallback", fell_back(r));
	json_string(&j, "error", r->error.rc ? r->error.message : NULL);
	json_object_end(&j);
	return json_finish(&j);
}

int cmd_alloc(const struct cli_globals *g, int argc, char **argv)
{
	struct alloc_options o;
	int rc = parse_options(argc, argv, &o);
	if (rc < 0)
		return CLI_EXIT_OK; /* --help */
	if (rc != CLI_EXIT_OK)
		return rc;

	struct alloc_result *r = calloc(1, sizeof(*r));
	if (!r) {
		cli_error("out of memory");
		return CLI_EXIT_FAILURE;
	}
	r->device_index = g->device_index >= 0 ? g->device_index : 0;
	amdbare_device *dev = NULL;
	rc = amdbare_device_open(r->device_index, &dev);
	if (rc < 0) {
		free(r);
		return cli_report_open_failure(rc);
	}
	run(dev, &o, r);
	amdbare_device_close(dev);

	int exit_code = CLI_EXIT_OK;
	if (o.json) {
		if (print_json(stdout, &o, r) < 0) {
			cli_error("writing the JSON output failed");
			exit_code = CLI_EXIT_FAILURE;
		}
	} else {
		print_text(stdout, &o, r);
		fflush(stdout);
	}
	if (r->error.rc) {
		cli_error("%s", r->error.message);
		exit_code = CLI_EXIT_FAILURE;
	} else if (fell_back(r) && o.strict) {
		cli_error("--strict: the buffer asked for VRAM ended up in GTT");
		exit_code = CLI_EXIT_FAILURE;
	} else if (r->have_usage_before && r->have_usage_after && !process_back(r)) {
		cli_error("this process's usage did not return to the baseline after the free");
		exit_code = CLI_EXIT_FAILURE;
	}
	free(r);
	return exit_code;
}
