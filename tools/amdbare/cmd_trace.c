/*
 * `amdbare trace show FILE [--json]`: decodes a trace that AMDBARE_TRACE=FILE
 * (or `amdbare --trace FILE COMMAND`) recorded; the decoder is the
 * library's (amdbare_trace_show), the file is read whole, up to a limit.
 */
#include "cmd_diag.h"

#include <amdbare_trace.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A trace bigger than this is refused rather than read into memory. */
#define TRACE_MAX_FILE (1ull << 30)

void cmd_trace_help(FILE *out)
{
	fprintf(out,
		"usage: amdbare trace show FILE [--json]\n"
		"       amdbare --trace FILE COMMAND ...   (record a command's submissions)\n"
		"       AMDBARE_TRACE=FILE program ...      (any program using libamdbare)\n"
		"\n"
		"Shows every command submission recorded in FILE: context, ring, fence, the\n"
		"submit time and when its fence was seen signalled, the BO list with each\n"
		"buffer's GPU address, size and domain, and every PM4/SDMA packet of the\n"
		"IB with register names and fields from the library's own generation\n"
		"tables; dispatches are named with kernel, grid, block, LDS and scratch.\n"
		"\n"
		"  --json   one JSON object: {\"submissions\": [...], \"summary\": {...}}\n"
		"\n"
		"exit codes: 0 decoded, 1 the file is unreadable or malformed (what came\n"
		"before the bad record is shown), 2 usage\n");
}

int cli_trace_option(const char *file)
{
	if (!file[0]) {
		cli_error("--trace: needs a file name");
		return CLI_EXIT_USAGE;
	}
	if (setenv("AMDBARE_TRACE", file, 1) != 0) {
		cli_error("--trace %s: %s", file, strerror(errno));
		return CLI_EXIT_FAILURE;
	}
	return CLI_EXIT_OK;
}

static int read_file(const char *path, uint8_t **data, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		cli_error("trace show: cannot open %s: %s", path, strerror(errno));
		return CLI_EXIT_FAILURE;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > TRACE_MAX_FILE) {
		cli_error("trace show: %s is not a regular file of at most 1 GiB", path);
		close(fd);
		return CLI_EXIT_FAILURE;
	}
	size_t n = (size_t)st.st_size, got = 0;
	uint8_t *buf = malloc(n ? n : 1);
	if (!buf) {
		cli_error("trace show: out of memory for %zu bytes", n);
		close(fd);
		return CLI_EXIT_FAILURE;
	}
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			cli_error("trace show: reading %s failed: %s", path,
				  r < 0 ? strerror(errno) : "file shrank");
			free(buf);
			close(fd);
			return CLI_EXIT_FAILURE;
		}
		got += (size_t)r;
	}
	close(fd);
	*data = buf;
	*len = n;
	return CLI_EXIT_OK;
}

int cmd_trace(const struct cli_globals *g, int argc, char **argv)
{
	(void)g;
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool json = false;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			cmd_trace_help(stdout);
			return CLI_EXIT_OK;
		default:
			cli_error("trace: unknown option '%s' (see amdbare help trace)", argv[optind - 1]);
			return CLI_EXIT_USAGE;
		}
	}
	if (argc - optind != 2 || strcmp(argv[optind], "show") != 0) {
		cli_error("trace: usage: amdbare trace show FILE [--json]");
		return CLI_EXIT_USAGE;
	}
	uint8_t *data;
	size_t len;
	int rc = read_file(argv[optind + 1], &data, &len);
	if (rc != CLI_EXIT_OK)
		return rc;
	amdbare_trace_summary sum;
	int r = amdbare_trace_show(data, len, json, stdout, &sum);
	free(data);
	fflush(stdout);
	if (r < 0)
		return cli_report_failure(r, "trace show");
	return CLI_EXIT_OK;
}
