/*
 * `amdbare load` and `amdbare demo`: the model loader on the command line
 * (cmd_load.c, cmd_demo.c; what they share is in load_report.h).
 */
#ifndef AMDBARE_CMD_LOAD_H
#define AMDBARE_CMD_LOAD_H

#include "cli.h"

#include <stdio.h>

int cmd_load(const struct cli_globals *g, int argc, char **argv);
int cmd_demo(const struct cli_globals *g, int argc, char **argv);
void cmd_load_help(FILE *out);
void cmd_demo_help(FILE *out);

#endif
