/*
 * The diagnostics commands: `trace` (cmd_trace.c), `probe` (cmd_probe.c)
 * and `top` (cmd_top.c); docs/diagnostics.md.
 */
#ifndef AMDBARE_CMD_DIAG_H
#define AMDBARE_CMD_DIAG_H

#include "cli.h"

int cmd_trace(const struct cli_globals *g, int argc, char **argv);
void cmd_trace_help(FILE *out);
int cmd_probe(const struct cli_globals *g, int argc, char **argv);
void cmd_probe_help(FILE *out);
int cmd_top(const struct cli_globals *g, int argc, char **argv);
void cmd_top_help(FILE *out);

/* The global option `--trace FILE`: records this run's submissions into
 * FILE (sets AMDBARE_TRACE before any device is opened).  0, or
 * CLI_EXIT_USAGE with a message. */
int cli_trace_option(const char *file);

#endif
