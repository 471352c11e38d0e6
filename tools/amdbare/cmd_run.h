/*
 * `amdbare run`: loads a code object, dispatches one kernel with buffers
 * made from files and by-value arguments, and writes the results out
 * (cmd_run.c).
 */
#ifndef AMDBARE_CMD_RUN_H
#define AMDBARE_CMD_RUN_H

#include "cli.h"

#include <stdio.h>

/* argv[0] is "run".  Returns a CLI exit code: 0 ok, 1 the device, the
 * code object or the kernel failed (a fault included), 2 bad command line
 * or arguments that do not match the kernel's metadata. */
int cmd_run(const struct cli_globals *g, int argc, char **argv);

/* The command's help text. */
void cmd_run_help(FILE *out);

#endif
