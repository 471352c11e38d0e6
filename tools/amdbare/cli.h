/*
 * The amdbare command-line tool: what the files of tools/amdbare/ share.
 *
 *   main.c          global options, subcommand dispatch, help, --version
 *   cmd_info.c      `amdbare info`: device identity and memory usage
 *   cmd_alloc.c     `amdbare alloc`: one buffer, where it really landed
 *   vgpu_launch.c   `--vgpu PROFILE`: re-exec on the virtual device
 *   report_bars.c   text rendering shared by the commands (bars, deltas)
 *   json_out.c      a small streaming JSON writer with proper escaping
 *   text_safe.c     escaping of strings from files for text output
 *   input_file.c    regular files only, checked before and after the open
 *   cli_num.c       numbers and sizes with per-option ranges
 *   progress.c      progress lines on a terminal
 */
#ifndef AMDBARE_CLI_H
#define AMDBARE_CLI_H

#include <amdbare.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes of every subcommand. */
enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAILURE = 1,  /* the device or the kernel said no */
	CLI_EXIT_USAGE = 2,    /* the command line is wrong */
};

/* Options given before the subcommand. */
struct cli_globals {
	int device_index;      /* -1: not given */
	const char *vgpu;      /* --vgpu / AMDBARE_VGPU, NULL if none */
};

/* ---- main.c ----------------------------------------------------------- */

/* "amdbare: <fmt>" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* True when the subcommand was given --json: a failure then still prints
 * one JSON document with an "error" member (main.c). */
bool cli_json_mode(void);
/* Reports a failed amdbare call: "amdbare: <amdbare_last_error()>" (or
 * "<what>: <errno text>" when the library left no message).  Returns
 * CLI_EXIT_FAILURE. */
int cli_report_failure(int err, const char *what);
/* The same for a failure to count or open devices, plus, for -ENOENT/
 * -ENODEV, the hint that explains how to run on the virtual device (or,
 * when already on it, that the vgpu refused and said why). */
int cli_report_open_failure(int err);
/* Prints the help of one subcommand ("info", "alloc") to `out`. */
void cli_print_command_help(FILE *out, const char *command);

/* ---- subcommands -------------------------------------------------------- */

int cmd_info(const struct cli_globals *g, int argc, char **argv);
int cmd_alloc(const struct cli_globals *g, int argc, char **argv);
int cmd_gemm(const struct cli_globals *g, int argc, char **argv); /* gemm, gemv (cmd_gemm.c) */
int cmd_doctor(const struct cli_globals *g, int argc, char **argv);
void cmd_doctor_help(FILE *out);

struct json_out;
/* JSON pieces both commands print the same way (cmd_info.c), so that the
 * key names are the same in `info --json` and `alloc --json`. */
/* "notice" (the vgpu banner, or null), "virtual", "amdbare_version". */
void cli_json_header(struct json_out *j, const amdbare_device_info *in);
void cli_json_device_identity(struct json_out *j, int index, const amdbare_device_info *in);
void cli_json_memory(struct json_out *j, const char *key, const amdbare_memory_info *m);
void cli_json_process_usage(struct json_out *j, const char *key, const amdbare_process_usage *u);
/* "GTT ceiling   38.00 GiB, from default (...)" (cmd_info.c; doctor too). */
void cli_print_gtt_ceiling(FILE *out, const char *indent, const amdbare_gtt_ceiling *c);

/* ---- vgpu_launch.c ---------------------------------------------------- */

/* The profiles `--vgpu` accepts, for messages: "780m, 890m, 8060s, 860m, 7900xtx; gfx10.3 ...". */
const char *vgpu_profile_list(void);
/* True when `name` is a profile --vgpu accepts (including "none"). */
bool vgpu_profile_known(const char *name);
/* False for the profiles that model "no usable GPU" (none, foreign). */
bool vgpu_profile_has_device(const char *name);
/* True when the virtual device library is loaded in this process. */
bool vgpu_preloaded(void);
/* Makes this process run on profile `profile`: if the vgpu is already
 * preloaded, selects the profile (the vgpu reads it lazily at the first
 * device open) and returns CLI_EXIT_OK; otherwise re-executes this program
 * with the vgpu preloaded and only returns on failure (CLI_EXIT_FAILURE,
 * or CLI_EXIT_USAGE for an unknown profile). */
int vgpu_launch(const char *profile, char **argv);
/* "Radeon 780M" for "780m"; the profile name itself when unknown. */
const char *vgpu_display_name(const char *profile);
/* The one line every output made on the vgpu starts with (no newline). */
void vgpu_banner(char *buf, size_t len, const char *profile);

/* ---- report_bars.c ---------------------------------------------------- */

/* "[#######.............]": `width` characters between the brackets. */
void report_bar(char *buf, size_t len, uint64_t used, uint64_t total, int width);
/* "+64.00 MiB", "-4.00 KiB", "+0 B". */
const char *report_signed_size(int64_t bytes, char *buf, size_t len);
/* The rocm-smi-like heap table: VRAM, visible VRAM, GTT, then counters. */
void report_memory(FILE *out, const amdbare_memory_info *m);
/* This process's fdinfo usage on one line (only the keys the kernel gave). */
void report_process_usage(FILE *out, const char *indent, const amdbare_process_usage *u);
/* "none" or "cpu-access,uswc" for amdbare_bo_flag bits. */
const char *report_flag_names(uint32_t flags, char *buf, size_t len);
/* Parses "cpu-access,uswc" (the names above, case-insensitive) into
 * amdbare_bo_flag bits; -EINVAL with the offending word copied to `bad`. */
int report_parse_flags(const char *text, uint32_t *flags, char *bad, size_t bad_len);
/* "exact", "likely", "unknown". */
const char *report_confidence_name(int confidence);

/* ---- json_out.c ------------------------------------------------------- */

#define JSON_MAX_DEPTH 16

struct json_out {
	FILE *f;
	int depth;
	bool has_members[JSON_MAX_DEPTH]; /* per level: something written yet */
	bool overflow;                    /* nesting deeper than JSON_MAX_DEPTH */
};

/* Writes indented JSON to f.  `key` is the member name inside an object
 * and must be NULL inside an array or at the top level. */
void json_init(struct json_out *j, FILE *f);
void json_object_begin(struct json_out *j, const char *key);
void json_object_end(struct json_out *j);
void json_array_begin(struct json_out *j, const char *key);
void json_array_end(struct json_out *j);
void json_string(struct json_out *j, const char *key, const char *value); /* NULL → null */
void json_u64(struct json_out *j, const char *key, uint64_t value);
void json_i64(struct json_out *j, const char *key, int64_t value);
void json_bool(struct json_out *j, const char *key, bool value);
void json_null(struct json_out *j, const char *key);
/* Ends the document with a newline; returns 0, or -EIO if a write failed
 * or the nesting was unbalanced. */
int json_finish(struct json_out *j);
/* Writes `s` as a JSON string literal (quotes included), escaping quotes,
 * backslashes and control characters and replacing invalid UTF-8 by
 * U+FFFD, so any C string gives valid JSON. */
void json_write_escaped(FILE *f, const char *s);
/* Set by json_finish: a JSON document went to the output. */
extern bool json_document_written;

#include "cmd_load.h" /* `load`, `demo`: cmd_model_dispatch */

#endif /* AMDBARE_CLI_H */
