/*
 * `amdbare arena-stats`: what the sub-allocator does on this device.
 *
 * A process's allocator lives and dies with the process, so there is no
 * other process's allocator to inspect: the command creates one, runs a
 * reproducible workload (many blocks of log-uniform sizes, then frees a
 * share of them at random, which is what leaves holes), and prints the
 * budgets and the statistics the API gives (amdbare_allocator_get_stats),
 * then frees everything and checks that nothing is left.
 */
#include "cli.h"
#include "cli_num.h"
#include "cmd_arena.h"
#include "text_safe.h"

#include <amdbare_alloc.h>

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct arena_options {
	uint64_t count;
	uint64_t max_size;
	uint64_t arena_size;
	uint32_t policy;
	uint32_t flags;
	unsigned free_percent;
	unsigned seed;
	bool json;
};

void amdbare_cmd_arena_help(FILE *out)
{
	fprintf(out,
		"usage: amdbare [--vgpu PROFILE] [--device N] arena-stats [OPTIONS]\n"
		"\n"
		"Runs a sub-allocator workload and prints its budgets and statistics:\n"
		"per domain the bytes held in GEM buffers, requested, used and free, the\n"
		"largest free block, fragmentation, and the GEM buffer count.\n"
		"\n"
		"options:\n"
		"  --count N           blocks to allocate (default 2000)\n"
		"  --max-size S        largest block, sizes are log-uniform from 256 B\n"
		"                      (default 1M)\n"
		"  --arena-size S      arena size (default 256M)\n"
		"  --policy P          vram-then-gtt (default), vram, gtt\n"
		"  --flags F           buffer flags: cpu-access, no-cpu-access, uswc,\n"
		"                      cleared, vm-always-valid\n"
		"  --free PERCENT      share of the blocks freed at random before the\n"
		"                      statistics are taken (default 50)\n"
		"  --seed N            workload seed (default 1)\n"
		"  --json              machine-readable output\n");
}

static int usage_error(const char *fmt, const char *arg)
{
	char msg[256];
	snprintf(msg, sizeof(msg), fmt, arg);
	cli_error("arena-stats: %s", msg);
	return CLI_EXIT_USAGE;
}

/* The workload's smallest block (workload_size): --max-size below it
 * would describe a workload that cannot be run. */
#define ARENA_MIN_BLOCK 256

static int parse_size_opt(const char *arg, const char *name, uint64_t min, uint64_t *out)
{
	char opt[48];
	snprintf(opt, sizeof(opt), "arena-stats: %s", name);
	/* 1 TiB: far beyond any heap; keeps the arithmetic in range */
	if (cli_parse_size(opt, arg, min, UINT64_C(1) << 40, out) < 0)
		return CLI_EXIT_USAGE;
	return CLI_EXIT_OK;
}

static int parse_options(int argc, char **argv, struct arena_options *o)
{
	static const struct option opts[] = {
		{"count", required_argument, NULL, 'n'},
		{"max-size", required_argument, NULL, 'm'},
		{"arena-size", required_argument, NULL, 'a'},
		{"policy", required_argument, NULL, 'p'},
		{"flags", required_argument, NULL, 'f'},
		{"free", required_argument, NULL, 'F'},
		{"seed", required_argument, NULL, 's'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	*o = (struct arena_options){ .count = 2000, .max_size = 1u << 20,
				     .arena_size = AMDBARE_ALLOC_DEFAULT_ARENA_SIZE,
				     .free_percent = 50, .seed = 1 };
	char bad[64];
	int c;
	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (cli_parse_u64("arena-stats: --count", optarg, 1, 10000000, &o->count) < 0)
				return CLI_EXIT_USAGE;
			break;
		case 'm':
			if (parse_size_opt(optarg, "--max-size", ARENA_MIN_BLOCK, &o->max_size))
				return CLI_EXIT_USAGE;
			break;
		case 'a':
			if (parse_size_opt(optarg, "--arena-size", 1, &o->arena_size))
				return CLI_EXIT_USAGE;
			break;
		case 'p':
			if (!strcmp(optarg, "vram-then-gtt"))
				o->policy = AMDBARE_ALLOC_VRAM_THEN_GTT;
			else if (!strcmp(optarg, "vram"))
				o->policy = AMDBARE_ALLOC_VRAM_ONLY;
			else if (!strcmp(optarg, "gtt"))
				o->policy = AMDBARE_ALLOC_GTT_ONLY;
			else
				return usage_error("--policy '%s': expected vram-then-gtt, vram or gtt", optarg);
			break;
		case 'f':
			if (report_parse_flags(optarg, &o->flags, bad, sizeof(bad)) < 0)
				return usage_error("--flags: unknown flag '%s'", bad);
			break;
		case 'F': {
			uint32_t v;
			if (cli_parse_u32("arena-stats: --free", optarg, 0, 100, &v) < 0)
				return CLI_EXIT_USAGE;
			o->free_percent = v;
			break;
		}
		case 's': {
			uint32_t v;
			if (cli_parse_u32("arena-stats: --seed", optarg, 0, UINT32_MAX, &v) < 0)
				return CLI_EXIT_USAGE;
			o->seed = v;
			break;
		}
		case 'j':
			o->json = true;
			break;
		case 'h':
			amdbare_cmd_arena_help(stdout);
			return -1;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s' (see amdbare help arena-stats)",
					   argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	/* What the library would refuse at the first allocation is a usage
	 * error here, said before anything is allocated. */
	if ((o->flags & AMDBARE_BO_CPU_ACCESS) && (o->flags & AMDBARE_BO_NO_CPU_ACCESS)) {
		cli_error("arena-stats: --flags cpu-access and no-cpu-access contradict each other");
		return CLI_EXIT_USAGE;
	}
	if ((o->flags & AMDBARE_BO_USWC) && o->policy == AMDBARE_ALLOC_VRAM_ONLY) {
		cli_error("arena-stats: --flags uswc is a GTT mapping mode; --policy vram has no GTT");
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Log-uniform in [256, max]: many small blocks, a few large ones. */
static uint64_t workload_size(unsigned *seed, uint64_t max)
{
	unsigned top = 63u - (unsigned)__builtin_clzll(max < 256 ? 256 : max);
	unsigned shift = 8 + (top > 8 ? (unsigned)rand_r(seed) % (top - 7) : 0);
	uint64_t size = (UINT64_C(1) << shift) + (uint64_t)rand_r(seed) % (UINT64_C(1) << shift);
	return size > max ? max : size;
}

static const char *policy_name(uint32_t p)
{
	return p == AMDBARE_ALLOC_VRAM_ONLY ? "vram" : p == AMDBARE_ALLOC_GTT_ONLY ? "gtt" : "vram-then-gtt";
}

static void print_domain_row(const char *label, uint64_t v, uint64_t g)
{
	char a[32], b[32];
	printf("  %-16s %14s %14s\n", label, amdbare_format_size(v, a, sizeof(a)),
	       amdbare_format_size(g, b, sizeof(b)));
}

static void print_text(const struct arena_options *o, const amdbare_alloc_stats *s,
		       uint64_t allocated, uint64_t refused, double alloc_s, double free_s,
		       uint64_t freed)
{
	const amdbare_alloc_domain_stats *v = &s->vram, *g = &s->gtt;
	char a[32], fl[64];
	printf("workload: %llu blocks of 256 B .. %s (log-uniform), policy %s, flags %s, "
	       "%u %% freed at random (seed %u)\n",
	       (unsigned long long)o->count, amdbare_format_size(o->max_size, a, sizeof(a)),
	       policy_name(o->policy), report_flag_names(o->flags, fl, sizeof(fl)),
	       o->free_percent, o->seed);
	printf("arena size: %s\n\n", amdbare_format_size(s->arena_size, a, sizeof(a)));
	printf("  %-16s %14s %14s\n", "", "VRAM", "GTT");
	print_domain_row("heap usable", v->heap_usable, g->heap_usable);
	print_domain_row("headroom", v->headroom, g->headroom);
	print_domain_row("budget", v->budget, g->budget);
	print_domain_row("held (GEM)", v->held, g->held);
	print_domain_row("requested", v->requested, g->requested);
	print_domain_row("used", v->used, g->used);
	print_domain_row("free in arenas", v->free, g->free);
	print_domain_row("largest free", v->largest_free, g->largest_free);
	printf("  %-16s %13.1f%% %13.1f%%\n", "fragmentation", v->fragmentation * 100.0,
	       g->fragmentation * 100.0);
	printf("  %-16s %14u %14u\n", "GEM buffers", v->gem_buffers, g->gem_buffers);
	printf("  %-16s %14u %14u\n", "  arenas", v->arenas, g->arenas);
	printf("  %-16s %14u %14u\n", "  dedicated", v->dedicated, g->dedicated);
	printf("  %-16s %14llu %14llu\n", "live blocks", (unsigned long long)v->live,
	       (unsigned long long)g->live);
	printf("  %-16s %14llu %14llu\n", "spilled here", (unsigned long long)v->spills,
	       (unsigned long long)g->spills);
	printf("  %-16s %14llu %14llu\n", "refusals", (unsigned long long)v->refusals,
	       (unsigned long long)g->refusals);
	printf("\n%llu allocated (%llu refused) in %.2f ms, %llu freed in %.2f ms\n",
	       (unsigned long long)allocated, (unsigned long long)refused, alloc_s * 1e3,
	       (unsigned long long)freed, free_s * 1e3);
}

static void json_domain(struct json_out *j, const char *key, const amdbare_alloc_domain_stats *d)
{
	json_object_begin(j, key);
	json_u64(j, "heap_usable", d->heap_usable);
	json_u64(j, "headroom", d->headroom);
	json_u64(j, "budget", d->budget);
	json_u64(j, "held", d->held);
	json_u64(j, "requested", d->requested);
	json_u64(j, "used", d->used);
	json_u64(j, "free", d->free);
	json_u64(j, "largest_free", d->largest_free);
	/* Per mille as an integer: the JSON writer has no floating point. */
	json_u64(j, "fragmentation_permille", (uint64_t)(d->fragmentation * 1000.0 + 0.5));
	json_u64(j, "gem_buffers", d->gem_buffers);
	json_u64(j, "arenas", d->arenas);
	json_u64(j, "dedicated", d->dedicated);
	json_u64(j, "live", d->live);
	json_u64(j, "allocs", d->allocs);
	json_u64(j, "frees", d->frees);
	json_u64(j, "spills", d->spills);
	json_u64(j, "refusals", d->refusals);
	json_object_end(j);
}

static int print_json(const amdbare_device_info *info, const struct arena_options *o,
		      const amdbare_alloc_stats *s, uint64_t allocated, uint64_t refused)
{
	struct json_out j;
	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	cli_json_header(&j, info);
	json_object_begin(&j, "workload");
	json_u64(&j, "count", o->count);
	json_u64(&j, "max_size", o->max_size);
	json_string(&j, "policy", policy_name(o->policy));
	json_u64(&j, "flags", o->flags);
	json_u64(&j, "free_percent", o->free_percent);
	json_u64(&j, "seed", o->seed);
	json_u64(&j, "allocated", allocated);
	json_u64(&j, "refused", refused);
	json_object_end(&j);
	json_u64(&j, "arena_size", s->arena_size);
	json_domain(&j, "vram", &s->vram);
	json_domain(&j, "gtt", &s->gtt);
	json_object_end(&j);
	return json_finish(&j) < 0 ? CLI_EXIT_FAILURE : CLI_EXIT_OK;
}

int amdbare_cmd_arena(amdbare_device *dev, int argc, char **argv)
{
	struct arena_options o;
	int rc = parse_options(argc, argv, &o);
	if (rc)
		return rc < 0 ? CLI_EXIT_OK : rc;

	amdbare_allocator_config cfg;
	amdbare_allocator_config_init(&cfg);
	cfg.arena_size = o.arena_size;
	amdbare_allocator *a;
	int r = amdbare_allocator_create(dev, &cfg, &a);
	if (r < 0)
		return cli_report_failure(r, "allocator create");
	uint64_t *ids = calloc(o.count, sizeof(*ids));
	if (!ids) {
		amdbare_allocator_destroy(a);
		cli_error("arena-stats: out of memory for %llu ids", (unsigned long long)o.count);
		return CLI_EXIT_FAILURE;
	}

	unsigned seed = o.seed;
	uint64_t n = 0, refused = 0, freed = 0;
	char first_refusal[512] = "";
	double t0 = now();
	for (uint64_t i = 0; i < o.count; i++) {
		amdbare_alloc_request q = { .size = workload_size(&seed, o.max_size),
					    .policy = o.policy, .flags = o.flags };
		amdbare_suballoc s;
		r = amdbare_alloc(a, &q, &s);
		if (r == -ENOMEM) {
			/* Budget refusals are part of what this command shows. */
			if (!refused++)
				snprintf(first_refusal, sizeof(first_refusal), "%s", amdbare_last_error());
			continue;
		}
		if (r < 0) {
			rc = cli_report_failure(r, "alloc");
			goto out;
		}
		ids[n++] = s.id;
	}
	double t1 = now();
	for (uint64_t i = 0; i < n; i++) {
		if ((unsigned)rand_r(&seed) % 100 >= o.free_percent)
			continue;
		r = amdbare_alloc_free(a, ids[i]);
		if (r < 0) {
			rc = cli_report_failure(r, "free");
			goto out;
		}
		ids[i] = 0;
		freed++;
	}
	double t2 = now();

	amdbare_alloc_stats st;
	r = amdbare_allocator_get_stats(a, &st);
	if (r < 0) {
		rc = cli_report_failure(r, "stats");
		goto out;
	}
	if (o.json) {
		amdbare_device_info info;
		amdbare_device_get_info(dev, &info);
		rc = print_json(&info, &o, &st, n, refused);
	} else {
		print_text(&o, &st, n, refused, t1 - t0, t2 - t1, freed);
		if (refused) {
			char safe[600];
			printf("first refusal: %s\n", text_safe(first_refusal, safe, sizeof(safe)));
		}
	}
out:
	for (uint64_t i = 0; i < n; i++)
		if (ids[i])
			amdbare_alloc_free(a, ids[i]);
	free(ids);
	int live = amdbare_allocator_destroy(a);
	if (live > 0 && rc == CLI_EXIT_OK) {
		cli_error("arena-stats: %d blocks were still live at teardown", live);
		rc = CLI_EXIT_FAILURE;
	}
	return rc;
}
