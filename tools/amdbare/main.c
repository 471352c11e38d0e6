/*
 * amdbare: the command-line face of the library.
 *
 *   amdbare [--vgpu PROFILE] [--device N] info  [--json]
 *   amdbare [--vgpu PROFILE] [--device N] alloc --domain D --size S [...]
 *   amdbare [--vgpu PROFILE] [--device N] arena-stats [...]
 *   amdbare [--vgpu PROFILE] [--device N] run CODEOBJ KERNEL --grid G --block B ARG...
 *   amdbare help [COMMAND] | --help | --version
 *
 * Exit codes: 0 ok, 1 runtime failure, 2 usage error.
 */
#include "cli.h"
#include "cmd_arena.h"
#include "cmd_diag.h"
#include "cmd_run.h"
#include "text_safe.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The first error message of this run, kept for the JSON document a
 * failing `--json` command still prints (see main). */
static char first_error[1024];
static bool json_mode;

/* The library's advice is written for programs that call it; on the
 * command line the same recovery is a new run. */
#define LIBRARY_HINT "re-create the context (amdbare_ctx_recreate) to submit again"
#define CLI_HINT "run the command again (each run gets a new context); if it fails the same " \
	"way, the job itself faults or hangs"

/* msg with LIBRARY_HINT replaced by CLI_HINT, in out (len bytes). */
static const char *cli_terms(const char *msg, char *out, size_t len)
{
	const char *at = strstr(msg, LIBRARY_HINT);
	if (!at)
		return msg;
	snprintf(out, len, "%.*s" CLI_HINT "%s", (int)(at - msg), msg, at + strlen(LIBRARY_HINT));
	return out;
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	char stack[1024];
	va_start(ap, fmt);
	int n = vsnprintf(stack, sizeof(stack), fmt, ap);
	va_end(ap);
	char *msg = stack;
	if (n >= (int)sizeof(stack)) {
		char *big = malloc((size_t)n + 1);
		if (big) {
			va_start(ap, fmt);
			vsnprintf(big, (size_t)n + 1, fmt, ap);
			va_end(ap);
			msg = big;
		}
	}
	char rewritten[1200];
	const char *text = cli_terms(msg, rewritten, sizeof(rewritten));
	if (!first_error[0])
		snprintf(first_error, sizeof(first_error), "%.1000s", text);
	fflush(stdout); /* keep stdout and stderr in order on a terminal */
	fputs("amdbare: ", stderr);
	/* Messages quote file contents (tensor names, paths, kernel names):
	 * every non-printable byte is shown escaped, never sent raw. */
	text_safe_fputs(text, stderr);
	fputc('\n', stderr);
	if (msg != stack)
		free(msg);
}

bool cli_json_mode(void)
{
	return json_mode;
}

int cli_report_failure(int err, const char *what)
{
	const char *msg = amdbare_last_error();
	if (msg && msg[0]) {
		cli_error("%s", msg);
	} else {
		cli_error("%s: %s", what, strerror(-err));
	}
	return CLI_EXIT_FAILURE;
}

int cli_report_open_failure(int err)
{
	cli_report_failure(err, "opening the device");
	if (err != -ENOENT && err != -ENODEV)
		return CLI_EXIT_FAILURE;
	const char *profile = getenv("AMDBARE_VGPU_PROFILE");
	if (!profile || !profile[0])
		profile = "780m"; /* the vgpu's default */
	if (vgpu_preloaded() && vgpu_profile_has_device(profile)) {
		/* Already on the vgpu with a GPU profile: suggesting the vgpu
		 * would be no help; it refused to come up and said why. */
		fprintf(stderr, "amdbare: the virtual device (profile %s) did not come up; "
			"see the vgpu's message above\n", profile);
	} else {
		/* The most common reason to meet this: a laptop or container
		 * without an amdgpu GPU.  Everything still runs on the vgpu. */
		fprintf(stderr,
			"amdbare: no amdgpu GPU is usable here; run on the virtual device instead:\n"
			"amdbare:     amdbare --vgpu 780m info\n"
			"amdbare: profiles: 780m, 890m, 8060s, 860m, 7900xtx "
			"(or set AMDBARE_VGPU=PROFILE)\n");
	}
	return CLI_EXIT_FAILURE;
}

static void print_main_help(FILE *out)
{
	fprintf(out,
		"usage: amdbare [--vgpu PROFILE] [--device N] COMMAND [OPTIONS]\n"
		"\n"
		"AMD GPU memory at the lowest level: where your buffers really are.\n"
		"\n"
		"commands:\n"
		"  info        the device and its memory usage (VRAM, visible VRAM, GTT)\n"
		"  alloc       allocate one buffer and report where the kernel placed it\n"
		"  arena-stats run a sub-allocator workload, print its budgets and statistics\n"
		"  run         dispatch one kernel of a code object on buffers made from files\n"
		"  gemm        time a GEMM on the GPU, --check against a CPU reference\n"
		"  gemv        time a GEMV (y = W x, W stored [N, K]) likewise\n"
		"  load        load model files (safetensors, GGUF) into VRAM/GTT: plan and proof\n"
		"  demo        generate a small model, load it, prove it, run a GEMV on it\n"
		"  doctor      what the kernel lets you have (VRAM, GTT ceiling), will a model fit\n"
		"  trace show  decode the submissions a --trace / AMDBARE_TRACE run recorded\n"
		"  probe       CPU, shader and SDMA bandwidth and latency per memory domain\n"
		"  top         every process on the GPU: VRAM, GTT, CPU and its buffers\n"
		"  help [CMD]  this help, or the help of one command\n"
		"\n"
		"global options:\n"
		"  --vgpu PROFILE  run on amdbare's virtual device (no GPU needed);\n"
		"                  profiles: 780m, 890m, 8060s, 860m, 7900xtx; 680m, deck,\n"
		"                  6800xt (gfx10.3: device facts and memory, no command\n"
		"                  execution); raven, cezanne, mi50, mi210 (gfx9:\n"
		"                  likewise);\n"
		"                  none and foreign show what a machine\n"
		"                  without an amdgpu GPU looks like.\n"
		"                  Same as the environment variable AMDBARE_VGPU=PROFILE.\n"
		"  --device N      use the N-th amdgpu device (default 0; `info` without it\n"
		"                  shows every device)\n"
		"  --trace FILE    record every command submission into FILE\n"
		"                  (`amdbare trace show FILE`); same as AMDBARE_TRACE=FILE\n"
		"  --help, -h      this help\n"
		"  --version       the program and library API version\n"
		"\n"
		"exit codes: 0 ok, 1 runtime failure, 2 usage error\n");
}

void cli_print_command_help(FILE *out, const char *command)
{
	if (strcmp(command, "info") == 0) {
		fprintf(out,
			"usage: amdbare [--vgpu PROFILE] [--device N] info [--json]\n"
			"\n"
			"Shows the device (render node, PCI id and bus, marketing name, gfx target\n"
			"and GC version, APU or dGPU, compute units, wave size, clocks, kernel\n"
			"driver version) and its memory: for VRAM, CPU-visible VRAM and GTT a\n"
			"usage bar, used / total, usable and the largest allowed allocation, all\n"
			"device-wide; then this process's own usage from fdinfo and the kernel's\n"
			"eviction, bytes-moved and CPU page-fault counters.\n"
			"\n"
			"  --json   the same as one JSON object (sizes in bytes)\n");
	} else if (strcmp(command, "alloc") == 0) {
		fprintf(out,
			"usage: amdbare [--vgpu PROFILE] [--device N] alloc --domain D --size S\n"
			"                [--flags F[,F...]] [--touch] [--gpu-map] [--strict] [--json]\n"
			"                [--hold SECONDS]\n"
			"\n"
			"Allocates one buffer, reports where the kernel really placed it (the\n"
			"fdinfo and device-wide usage deltas behind that answer), optionally\n"
			"touches every page from the CPU (which migrates buffers out of\n"
			"CPU-invisible VRAM) and maps it on the GPU, frees it and checks that\n"
			"usage returned to where it was.\n"
			"\n"
			"  --domain D    vram, gtt or vram,gtt\n"
			"  --size S      bytes, or with a binary unit: 64K, 256M, 4G, 1.5G\n"
			"  --flags F     cpu-access, no-cpu-access, uswc, cleared, vm-always-valid\n"
			"  --touch       write every page, then report the placement again\n"
			"  --gpu-map     map the buffer into the GPU address space\n"
			"  --strict      exit 1 when VRAM was asked for and the kernel used GTT\n"
			"                (by default that fallback is a loud warning, exit 0)\n"
			"  --json        the report as one JSON object (sizes in bytes)\n"
			"  --hold S      keep the buffer S seconds before freeing it (for watching\n"
			"                the rest of the system, e.g. `amdbare top`)\n");
	}
}

static int parse_device_index(const char *text, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (end != text && !*end && (errno == ERANGE || v > 1024)) {
		cli_error("--device: '%s': too large (at most 1024)", text);
		return -EINVAL;
	}
	if (errno || end == text || *end || v < 0) {
		cli_error("--device: '%s' is not a device index (0, 1, ...)", text);
		return -EINVAL;
	}
	*out = (int)v;
	return 0;
}

static bool has_option(int argc, char **argv, const char *opt)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], opt) == 0)
			return true;
	return false;
}

/* arena-stats (cmd_arena.c) works on a device this dispatcher opens. */
static int run_arena(const struct cli_globals *g, int argc, char **argv)
{
	if (has_option(argc, argv, "--help") || has_option(argc, argv, "-h")) {
		amdbare_cmd_arena_help(stdout);
		return CLI_EXIT_OK;
	}
	amdbare_device *dev = NULL;
	int rc = amdbare_device_open(g->device_index >= 0 ? g->device_index : 0, &dev);
	if (rc < 0)
		return cli_report_open_failure(rc);
	amdbare_device_info info;
	amdbare_device_get_info(dev, &info);
	/* The text report's first line says when this is the vgpu; the JSON
	 * document is the command's own and stays one object. */
	if (info.is_virtual && !has_option(argc, argv, "--json")) {
		char banner[192];
		vgpu_banner(banner, sizeof(banner), info.virtual_profile);
		printf("%s\n", banner);
	}
	rc = amdbare_cmd_arena(dev, argc, argv);
	amdbare_device_close(dev);
	return rc;
}

/* One row per subcommand: how to run it and how to print its help. */
struct command {
	const char *name;
	int (*run)(const struct cli_globals *g, int argc, char **argv);
	void (*help)(const struct cli_globals *g, const char *name);
};

static void help_generic(const struct cli_globals *g, const char *name)
{
	(void)g;
	cli_print_command_help(stdout, name);
}
static void help_doctor(const struct cli_globals *g, const char *name)
{
	(void)g;
	(void)name;
	cmd_doctor_help(stdout);
}
static void help_arena(const struct cli_globals *g, const char *name)
{
	(void)g;
	(void)name;
	amdbare_cmd_arena_help(stdout);
}
static void help_run(const struct cli_globals *g, const char *name)
{
	(void)g;
	(void)name;
	cmd_run_help(stdout);
}
static void help_load(const struct cli_globals *g, const char *name)
{
	(void)g;
	(void)name;
	cmd_load_help(stdout);
}
static void help_demo(const struct cli_globals *g, const char *name)
{
	(void)g;
	(void)name;
	cmd_demo_help(stdout);
}
/* cmd_gemm.c prints its help for --help (gemm and gemv differ). */
static void help_gemm(const struct cli_globals *g, const char *name)
{
	char *argv[] = {(char *)name, (char *)"--help", NULL};
	cmd_gemm(g, 2, argv);
}

static void help_diag(const struct cli_globals *g, const char *name)
{
	(void)g;
	if (strcmp(name, "trace") == 0)
		cmd_trace_help(stdout);
	else if (strcmp(name, "probe") == 0)
		cmd_probe_help(stdout);
	else
		cmd_top_help(stdout);
}

static const struct command commands[] = {
	{"info", cmd_info, help_generic},
	{"alloc", cmd_alloc, help_generic},
	{"arena-stats", run_arena, help_arena},
	{"run", cmd_run, help_run},
	{"gemm", cmd_gemm, help_gemm},
	{"gemv", cmd_gemm, help_gemm},
	{"load", cmd_load, help_load},
	{"demo", cmd_demo, help_demo},
	{"doctor", cmd_doctor, help_doctor},
	{"trace", cmd_trace, help_diag},
	{"probe", cmd_probe, help_diag},
	{"top", cmd_top, help_diag},
};
#define COMMAND_NAMES "info, alloc, arena-stats, run, gemm, gemv, load, demo, doctor, trace, probe, top"

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int run_command(const struct cli_globals *g, int argc, char **argv)
{
	const char *cmd = argv[0];
	if (strcmp(cmd, "help") == 0) {
		if (argc < 2) {
			print_main_help(stdout);
			return CLI_EXIT_OK;
		}
		if (strcmp(argv[1], "help") == 0) {
			/* `help help`: the help is the main help */
			print_main_help(stdout);
			return CLI_EXIT_OK;
		}
		const struct command *c = find_command(argv[1]);
		if (!c) {
			cli_error("help: no command '%s' (commands: " COMMAND_NAMES ")", argv[1]);
			return CLI_EXIT_USAGE;
		}
		c->help(g, c->name);
		return CLI_EXIT_OK;
	}
	const struct command *c = find_command(cmd);
	if (c)
		return c->run(g, argc, argv);
	cli_error("unknown command '%s' (commands: " COMMAND_NAMES ", help)", cmd);
	return CLI_EXIT_USAGE;
}

/* A `--json` command that failed before writing its document (a usage
 * error, no device) still gives one JSON object, with the error. */
static void print_json_failure(const char *command)
{
	struct json_out j;
	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	const char *profile = getenv("AMDBARE_VGPU_PROFILE");
	amdbare_device_info in;
	memset(&in, 0, sizeof(in));
	if (vgpu_preloaded()) {
		in.is_virtual = true;
		snprintf(in.virtual_profile, sizeof(in.virtual_profile), "%s",
			 profile && profile[0] ? profile : "780m");
	}
	cli_json_header(&j, &in);
	json_string(&j, "command", command);
	json_string(&j, "error", first_error[0] ? first_error : "failed (no message)");
	json_object_end(&j);
	json_finish(&j);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"vgpu", required_argument, NULL, 'V'},
		{"device", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'v'},
		{"trace", required_argument, NULL, 'T'},
		{NULL, 0, NULL, 0},
	};
	struct cli_globals g = {.device_index = -1, .vgpu = getenv("AMDBARE_VGPU")};
	if (g.vgpu && !g.vgpu[0])
		g.vgpu = NULL;

	opterr = 0;
	int c;
	/* '+': stop at the subcommand, whose options are its own; ':': tell a
	 * missing value apart from an unknown option. */
	while ((c = getopt_long(argc, argv, "+:hd:", opts, NULL)) != -1) {
		switch (c) {
		case 'V':
			g.vgpu = optarg;
			break;
		case 'd':
			if (parse_device_index(optarg, &g.device_index) < 0)
				return CLI_EXIT_USAGE;
			break;
		case 'T': {
			int rc = cli_trace_option(optarg);
			if (rc != CLI_EXIT_OK)
				return rc;
			break;
		}
		case 'h':
			print_main_help(stdout);
			return CLI_EXIT_OK;
		case 'v':
			printf("amdbare %d.%d (library API %d.%d)\n", AMDBARE_VERSION_MAJOR,
			       AMDBARE_VERSION_MINOR, AMDBARE_VERSION_MAJOR, AMDBARE_VERSION_MINOR);
			return CLI_EXIT_OK;
		case ':':
			cli_error("option %s needs a value", argv[optind - 1]);
			return CLI_EXIT_USAGE;
		default:
			if (optopt)
				cli_error("unknown option '-%c' (see amdbare --help)", optopt);
			else
				cli_error("unknown option '%s' (see amdbare --help)", argv[optind - 1]);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		print_main_help(stderr);
		return CLI_EXIT_USAGE;
	}
	if (g.vgpu) {
		int rc = vgpu_launch(g.vgpu, argv);
		if (rc != CLI_EXIT_OK)
			return rc;
	}
	/* Each subcommand parses its own options from a fresh getopt state. */
	int sub_argc = argc - optind;
	char **sub_argv = argv + optind;
	json_mode = has_option(sub_argc, sub_argv, "--json");
	optind = 0;
	int rc = run_command(&g, sub_argc, sub_argv);
	if (json_mode && rc != CLI_EXIT_OK && !json_document_written)
		print_json_failure(sub_argv[0]);
	return rc;
}
