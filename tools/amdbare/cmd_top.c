/*
 * `amdbare top [--once] [--json]`: every process with an amdgpu render node
 * open, its VRAM/GTT/CPU memory from fdinfo (amdbare_gpu_clients), the
 * device totals, and for processes using libamdbare their buffers from the
 * registry they publish (amdbare_registry_read; untrusted, checked by the
 * library).  On a terminal it redraws every second until interrupted; with
 * --once, or when stdout is not a terminal, it prints once.
 */
#include "cmd_diag.h"

#include <amdbare_diag.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 512
#define MAX_BUFFERS 256

void cmd_top_help(FILE *out)
{
	fprintf(out,
		"usage: amdbare [--device N] top [--once] [--json]\n"
		"\n"
		"Lists every process with an amdgpu render node open: its VRAM, GTT and\n"
		"CPU-domain memory from /proc/<pid>/fdinfo (per open file), its CPU time,\n"
		"and the device totals.  Processes using libamdbare also show their\n"
		"buffers (name, domain, size) from the registry the library publishes in\n"
		"shared memory (AMDBARE_REGISTRY=0 turns it off in a process); the\n"
		"registry is only read, and a malformed or stale one is reported as such.\n"
		"Other users' processes are visible only as far as /proc allows.\n"
		"\n"
		"  --once   print once and exit (the default when stdout is not a terminal)\n"
		"  --json   one JSON object (implies --once; sizes in bytes)\n"
		"\n"
		"On a terminal it redraws every second; Ctrl-C ends it.\n"
		"exit codes: 0 ok, 1 the device or /proc could not be read, 2 usage\n");
}

static volatile sig_atomic_t stop;
static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static const char *size_text(uint64_t b, char *buf, size_t len)
{
	if (b >= (1ull << 30))
		snprintf(buf, len, "%.2f GiB", (double)b / (1ull << 30));
	else if (b >= (1ull << 20))
		snprintf(buf, len, "%.1f MiB", (double)b / (1ull << 20));
	else if (b >= 1024)
		snprintf(buf, len, "%.1f KiB", (double)b / 1024);
	else
		snprintf(buf, len, "%" PRIu64 " B", b);
	return buf;
}

static const char *domain_text(uint32_t d)
{
	return amdbare_domain_name(d);
}

struct proc_row {
	int pid;
	char comm[32];
	uint32_t nfiles;
	bool has_usage;
	uint64_t vram, gtt, cpu, cpu_time_ns;
	int reg_rc;                 /* count, or -errno */
	uint32_t reg_total;
	bool reg_truncated;
	char reg_error[160];
	amdbare_registry_buffer *bufs;
};

/* Groups the render files by process (their fdinfo sums: each file is
 * its own VM) and reads each process's registry. */
static int collect(amdbare_gpu_client *cl, int ncl, struct proc_row *rows, int maxrows,
		   amdbare_registry_buffer *bufpool)
{
	int nr = 0;
	for (int i = 0; i < ncl; i++) {
		int k;
		for (k = 0; k < nr && rows[k].pid != cl[i].pid; k++)
			;
		if (k == nr) {
			if (nr == maxrows)
				continue;
			memset(&rows[nr], 0, sizeof(rows[nr]));
			rows[nr].pid = cl[i].pid;
			snprintf(rows[nr].comm, sizeof(rows[nr].comm), "%s", cl[i].comm);
			rows[nr].cpu_time_ns = cl[i].cpu_time_ns;
			rows[nr].bufs = bufpool + (size_t)nr * MAX_BUFFERS;
			nr++;
		}
		struct proc_row *r = &rows[k];
		r->nfiles++;
		if (cl[i].has_usage) {
			r->has_usage = true;
			r->vram += cl[i].usage.vram;
			r->gtt += cl[i].usage.gtt;
			r->cpu += cl[i].usage.cpu;
		}
	}
	for (int k = 0; k < nr; k++) {
		struct proc_row *r = &rows[k];
		r->reg_rc = amdbare_registry_read(r->pid, r->bufs, MAX_BUFFERS, &r->reg_total,
						  &r->reg_truncated);
		if (r->reg_rc < 0)
			snprintf(r->reg_error, sizeof(r->reg_error), "%s", amdbare_last_error());
	}
	return nr;
}

static const char *reg_state(const struct proc_row *r)
{
	switch (r->reg_rc) {
	case -ENOENT: return "absent";
	case -EACCES: return "no access";
	case -ESTALE: return "stale";
	case -EBADMSG: return "malformed";
	case -EAGAIN: return "changing";
	default: return r->reg_rc < 0 ? "unreadable" : "ok";
	}
}

static void print_json(const amdbare_device_info *info, const amdbare_memory_info *m,
		       bool have_mem, const struct proc_row *rows, int nr, int nclients)
{
	struct json_out j;
	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	cli_json_header(&j, info);
	json_object_begin(&j, "device");
	json_string(&j, "node", info->node_path);
	json_string(&j, "name", info->marketing_name);
	if (have_mem) {
		json_u64(&j, "vram_total", m->vram.total);
		json_u64(&j, "vram_used", m->vram.used);
		json_u64(&j, "visible_vram_total", m->visible_vram.total);
		json_u64(&j, "visible_vram_used", m->visible_vram.used);
		json_u64(&j, "gtt_total", m->gtt.total);
		json_u64(&j, "gtt_used", m->gtt.used);
	}
	json_object_end(&j);
	json_u64(&j, "render_files", (uint64_t)nclients);
	json_array_begin(&j, "processes");
	for (int k = 0; k < nr; k++) {
		const struct proc_row *r = &rows[k];
		json_object_begin(&j, NULL);
		json_i64(&j, "pid", r->pid);
		json_string(&j, "command", r->comm);
		json_u64(&j, "render_files", r->nfiles);
		json_bool(&j, "fdinfo_memory", r->has_usage);
		if (r->has_usage) {
			json_u64(&j, "vram", r->vram);
			json_u64(&j, "gtt", r->gtt);
			json_u64(&j, "cpu", r->cpu);
		} else {
			json_null(&j, "vram");
			json_null(&j, "gtt");
			json_null(&j, "cpu");
		}
		json_u64(&j, "cpu_time_ns", r->cpu_time_ns);
		json_object_begin(&j, "registry");
		json_string(&j, "state", reg_state(r));
		if (r->reg_rc >= 0) {
			json_u64(&j, "buffers_live", r->reg_total);
			json_bool(&j, "truncated", r->reg_truncated);
			json_array_begin(&j, "buffers");
			for (int b = 0; b < r->reg_rc; b++) {
				const amdbare_registry_buffer *x = &r->bufs[b];
				json_object_begin(&j, NULL);
				json_u64(&j, "handle", x->handle);
				json_string(&j, "name", x->name);
				json_string(&j, "domain", domain_text(x->domains));
				json_string(&j, "placed", x->placed_domain ? domain_text(x->placed_domain)
								   : NULL);
				json_u64(&j, "size", x->size);
				json_u64(&j, "gpu_va", x->gpu_va);
				json_object_end(&j);
			}
			json_array_end(&j);
		} else if (r->reg_rc != -ENOENT) {
			json_string(&j, "error", r->reg_error);
		}
		json_object_end(&j);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_finish(&j);
}

static void print_text(const amdbare_device_info *info, const amdbare_memory_info *m,
		       bool have_mem, const struct proc_row *rows, int nr, const struct proc_row *prev,
		       int nprev, double interval_s)
{
	char a[32], b[32], c[32];
	if (info->is_virtual) {
		char banner[192];
		vgpu_banner(banner, sizeof(banner), info->virtual_profile);
		printf("%s\n", banner);
	}
	printf("%s (%s)\n", info->marketing_name, info->node_path);
	if (have_mem) {
		printf("  VRAM %s / %s", size_text(m->vram.used, a, sizeof(a)),
		       size_text(m->vram.total, b, sizeof(b)));
		printf("   visible %s / %s", size_text(m->visible_vram.used, a, sizeof(a)),
		       size_text(m->visible_vram.total, b, sizeof(b)));
		printf("   GTT %s / %s\n", size_text(m->gtt.used, a, sizeof(a)),
		       size_text(m->gtt.total, b, sizeof(b)));
	}
	printf("\n%8s  %-16s %5s %11s %11s %11s %9s\n", "PID", "COMMAND", "FILES", "VRAM", "GTT",
	       "CPU-DOMAIN", prev ? "CPU%" : "CPU-TIME");
	for (int k = 0; k < nr; k++) {
		const struct proc_row *r = &rows[k];
		char cpu[16];
		const struct proc_row *p = NULL;
		for (int i = 0; prev && i < nprev; i++)
			if (prev[i].pid == r->pid)
				p = &prev[i];
		if (prev && p && interval_s > 0)
			snprintf(cpu, sizeof(cpu), "%.1f",
				 (double)(r->cpu_time_ns - p->cpu_time_ns) / 1e9 / interval_s * 100);
		else if (prev)
			snprintf(cpu, sizeof(cpu), "-");
		else
			snprintf(cpu, sizeof(cpu), "%.2fs", (double)r->cpu_time_ns / 1e9);
		if (r->has_usage)
			printf("%8d  %-16s %5u %11s %11s %11s %9s\n", r->pid, r->comm, r->nfiles,
			       size_text(r->vram, a, sizeof(a)), size_text(r->gtt, b, sizeof(b)),
			       size_text(r->cpu, c, sizeof(c)), cpu);
		else
			printf("%8d  %-16s %5u %11s %11s %11s %9s\n", r->pid, r->comm, r->nfiles,
			       "n/a", "n/a", "n/a", cpu);
		if (r->reg_rc > 0 || (r->reg_rc == 0 && r->reg_total == 0)) {
			for (int i = 0; i < r->reg_rc; i++) {
				const amdbare_registry_buffer *x = &r->bufs[i];
				printf("%10s buffer %-5u %-24s %-8s %11s  va 0x%" PRIx64 "\n", "",
				       x->handle, x->name[0] ? x->name : "(unnamed)",
				       domain_text(x->placed_domain ? x->placed_domain : x->domains),
				       size_text(x->size, a, sizeof(a)), x->gpu_va);
			}
			if (r->reg_truncated)
				printf("%10s (%u live buffers, %d listed)\n", "", r->reg_total, r->reg_rc);
		} else if (r->reg_rc < 0 && r->reg_rc != -ENOENT) {
			printf("%10s registry %s: %s\n", "", reg_state(r), r->reg_error);
		}
	}
	if (nr == 0)
		printf("%8s  (no process has an amdgpu render node open)\n", "");
}

int cmd_top(const struct cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"once", no_argument, NULL, 'o'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool once = false, json = false;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': once = true; break;
		case 'j': json = true; break;
		case 'h':
			cmd_top_help(stdout);
			return CLI_EXIT_OK;
		default:
			cli_error("top: unknown option '%s' (see amdbare help top)", argv[optind - 1]);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_error("top: unexpected argument '%s'", argv[optind]);
		return CLI_EXIT_USAGE;
	}
	if (json || !isatty(STDOUT_FILENO))
		once = true;
	amdbare_device *dev = NULL;
	int rc = amdbare_device_open(g->device_index >= 0 ? g->device_index : 0, &dev);
	if (rc < 0)
		return cli_report_open_failure(rc);
	amdbare_device_info info;
	amdbare_device_get_info(dev, &info);

	amdbare_gpu_client *cl = calloc(MAX_CLIENTS, sizeof(*cl));
	struct proc_row *rows = calloc(2 * MAX_CLIENTS, sizeof(*rows));
	amdbare_registry_buffer *pool = calloc(2 * (size_t)MAX_CLIENTS * MAX_BUFFERS, sizeof(*pool));
	if (!cl || !rows || !pool) {
		free(cl);
		free(rows);
		free(pool);
		amdbare_device_close(dev);
		cli_error("top: out of memory");
		return CLI_EXIT_FAILURE;
	}
	if (!once) {
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
	}
	int exit_code = CLI_EXIT_OK;
	int cur = 0, nprev = -1;
	struct timespec t_prev = {0, 0};
	while (!stop) {
		amdbare_memory_info m;
		bool have_mem = amdbare_device_query_memory(dev, &m) == 0;
		int n = amdbare_gpu_clients(cl, MAX_CLIENTS);
		if (n < 0) {
			exit_code = cli_report_failure(n, "listing the processes");
			break;
		}
		if (n > MAX_CLIENTS)
			n = MAX_CLIENTS;
		struct proc_row *now = rows + cur * MAX_CLIENTS;
		struct proc_row *prev = rows + (1 - cur) * MAX_CLIENTS;
		int nr = collect(cl, n, now, MAX_CLIENTS,
				 pool + (size_t)cur * MAX_CLIENTS * MAX_BUFFERS);
		struct timespec t;
		clock_gettime(CLOCK_MONOTONIC, &t);
		double dt = (double)(t.tv_sec - t_prev.tv_sec) + (double)(t.tv_nsec - t_prev.tv_nsec) / 1e9;
		if (json) {
			print_json(&info, &m, have_mem, now, nr, n);
		} else {
			if (!once)
				fputs("\033[H\033[2J", stdout);
			print_text(&info, &m, have_mem, now, nr, once ? NULL : (nprev >= 0 ? prev : now),
				   nprev >= 0 ? nprev : 0, dt);
		}
		fflush(stdout);
		if (once)
			break;
		nprev = nr;
		cur = 1 - cur;
		t_prev = t;
		struct timespec one = {1, 0};
		while (!stop && nanosleep(&one, &one) != 0 && errno == EINTR)
			;
	}
	free(cl);
	free(rows);
	free(pool);
	amdbare_device_close(dev);
	return exit_code;
}
