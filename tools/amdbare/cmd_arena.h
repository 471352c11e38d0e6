/*
 * `amdbare arena-stats`: runs a sub-allocator workload on a device and
 * prints the allocator's budgets and statistics (cmd_arena.c).
 */
#ifndef AMDBARE_CMD_ARENA_H
#define AMDBARE_CMD_ARENA_H

#include <amdbare.h>

#include <stdio.h>

/* argv[0] is the command name ("arena-stats"); options follow.  The caller
 * opened dev and closes it afterwards.  Returns a CLI exit code: 0 ok,
 * 1 the device or the allocator failed, 2 bad command line. */
int amdbare_cmd_arena(amdbare_device *dev, int argc, char **argv);

/* The command's help text. */
void amdbare_cmd_arena_help(FILE *out);

#endif
