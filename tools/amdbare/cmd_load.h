/*
 * `amdbare load` and `amdbare demo`: the model loader on the command line
 * (cmd_load.c, cmd_demo.c), and the small safetensors writer the demo uses
 * to make a model when none is given (safetensors_writer.c).
 */
#ifndef AMDBARE_CMD_LOAD_H
#define AMDBARE_CMD_LOAD_H

#include "cli.h"

#include <stdio.h>

/* Runs `load`, `demo`, or `help load|demo` when argv[0] names one of them:
 * returns true and sets *exit_code; false for any other command (main.c
 * then goes on with its own). */
bool cmd_model_dispatch(const struct cli_globals *g, int argc, char **argv, int *exit_code);

int cmd_load(const struct cli_globals *g, int argc, char **argv);
int cmd_demo(const struct cli_globals *g, int argc, char **argv);
void cmd_load_help(FILE *out);
void cmd_demo_help(FILE *out);

/* Shared by load and demo. */
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

/* ---- safetensors_writer.c ---------------------------------------------- */

struct st_tensor {
	const char *name;
	const char *dtype;       /* "F16", "F32", "BF16", "U8" */
	uint32_t n_dims;
	uint64_t shape[4];
	/* Fills `count` elements starting at element `first` into dst (the
	 * file's little-endian layout). */
	void (*fill)(const struct st_tensor *t, uint64_t first, uint64_t count, void *dst);
};

/* Writes a safetensors file (8-byte header size, JSON header, data) in
 * bounded memory.  0 or -errno with a message on stderr naming the file. */
int st_write(const char *path, const struct st_tensor *t, size_t n);
/* Bytes per element of the dtypes above (0 for unknown). */
uint32_t st_dtype_size(const char *dtype);
/* IEEE half <-> float, round to nearest even. */
uint16_t st_f32_to_f16(float f);
float st_f16_to_f32(uint16_t h);

#endif
