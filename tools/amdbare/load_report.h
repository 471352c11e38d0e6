/*
 * What `load` and `demo` share (load_report.c): their options, opening the
 * device, and the load with its plan, progress and proof.
 */
#ifndef AMDBARE_LOAD_REPORT_H
#define AMDBARE_LOAD_REPORT_H

#include "cli.h"

#include <stdio.h>

#define LOAD_MAX_PLACE 64     /* --place patterns */
#define LOAD_TENSORS_SHOWN 16 /* tensors listed without --tensors */

struct load_view {
	bool json, quiet, list_all, plan_only;
};
/* Opens, plans, prints the plan, loads (unless plan_only) and prints the
 * proof, leaving the model open in *out for the caller (NULL on failure).
 * Text goes to stdout, progress to stderr (TTY only, not quiet).  Returns
 * a CLI exit code. */
int load_and_report(amdbare_device *dev, const char *const *paths, size_t n_paths,
		    const amdbare_model_options *o, const struct load_view *v,
		    amdbare_model **out);

/* Options both commands take (place: room for 64 patterns).  Returns 0,
 * CLI_EXIT_USAGE, or -1 after printing the help for --help. */
int parse_load_options(int argc, char **argv, amdbare_model_options *o, struct load_view *v,
		       const char **place, void (*help)(FILE *));
/* Opens the device and prints the vgpu banner (text output only). */
int cmd_model_open_device(const struct cli_globals *g, bool json, amdbare_device **dev);

#endif
