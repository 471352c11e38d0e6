/*
 * `amdbare run CODEOBJ KERNEL --grid G --block B [--domain D] ARG...`
 *
 * The ARGs are the kernel's explicit arguments in order.  Everything is
 * checked against the code object's metadata (count, kinds, sizes) before
 * the device is opened, so a wrong command line never runs anything; then
 * buffers are made from the files, the kernel is dispatched and waited
 * for, and the output buffers are written to their files.
 */
#include "cmd_run.h"
#include "cli_num.h"
#include "input_file.h"
#include "text_safe.h"

#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum run_arg_kind { RA_IN, RA_OUT, RA_INOUT, RA_LDS, RA_U32, RA_I32, RA_U64, RA_F32, RA_F64 };

struct run_arg {
	enum run_arg_kind kind;
	const char *opt;       /* "--in", for messages */
	const char *text;      /* the option's value as given */
	const char *file;      /* IN/OUT/INOUT */
	uint64_t bytes;        /* OUT: buffer size; IN/INOUT: file size; LDS: bytes */
	uint8_t value[8];      /* by-value bytes */
	uint32_t size;         /* by-value size */
	amdbare_bo *bo;
};

void cmd_run_help(FILE *out)
{
	fprintf(out,
		"usage: amdbare [--vgpu PROFILE] [--device N] run CODEOBJ KERNEL\n"
		"                --grid GX[,GY,GZ] --block BX[,BY,BZ] [--domain vram|gtt] ARG...\n"
		"\n"
		"Loads any AMDGPU code object, dispatches one kernel, waits for it and\n"
		"writes the output buffers to their files.  --grid counts workgroups;\n"
		"--block is the workgroup size in work-items.\n"
		"\n"
		"ARGs, one per explicit kernel argument, in the kernel's order:\n"
		"  --in FILE          a buffer holding FILE's bytes\n"
		"  --out FILE:BYTES   a zeroed buffer of BYTES (64K, 1M, ... accepted),\n"
		"                     written to FILE after completion\n"
		"  --inout FILE       a buffer read from FILE and written back to it\n"
		"  --lds BYTES        LDS for a __local pointer argument\n"
		"  --u32 N  --i32 N  --u64 N  --f32 X  --f64 X   by-value scalars\n"
		"\n"
		"  --domain D         where the buffers live: gtt (default) or vram\n"
		"\n"
		"The argument count, kinds and sizes are checked against the code\n"
		"object's metadata before anything runs (exit 2 when they do not match).\n"
		"A kernel that faults exits 1 with the device's and the library's report.\n");
}

static int parse_dims(const char *opt, const char *text, uint32_t out[3])
{
	out[0] = out[1] = out[2] = 1;
	const char *p = text;
	for (int i = 0; i < 3; i++) {
		char *end;
		errno = 0;
		unsigned long long v = strtoull(p, &end, 10);
		if (end != p && *p != '-' && (errno == ERANGE || v > UINT32_MAX)) {
			cli_error("%s: '%s': too large (each at most 4294967295)", opt, text);
			return -EINVAL;
		}
		if (errno || end == p || v == 0 || *p == '-') {
			cli_error("%s: '%s' is not a size (GX[,GY,GZ], each 1..2^32-1)", opt, text);
			return -EINVAL;
		}
		out[i] = (uint32_t)v;
		if (*end == 0)
			return 0;
		if (*end != ',' || i == 2) {
			cli_error("%s: '%s' is not a size (GX[,GY,GZ], each 1..2^32-1)", opt, text);
			return -EINVAL;
		}
		p = end + 1;
	}
	return 0;
}

static int parse_value(struct run_arg *a)
{
	char *end;
	const char *t = a->text;
	errno = 0;
	switch (a->kind) {
	case RA_U32:
	case RA_U64: {
		if (strchr(t, '-'))
			break;
		unsigned long long v = strtoull(t, &end, 0);
		if (errno || end == t || *end || (a->kind == RA_U32 && v > UINT32_MAX))
			break;
		a->size = a->kind == RA_U32 ? 4 : 8;
		uint32_t v32 = (uint32_t)v;
		uint64_t v64 = v;
		memcpy(a->value, a->kind == RA_U32 ? (void *)&v32 : (void *)&v64, a->size);
		return 0;
	}
	case RA_I32: {
		long long v = strtoll(t, &end, 0);
		if (errno || end == t || *end || v < INT32_MIN || v > INT32_MAX)
			break;
		int32_t v32 = (int32_t)v;
		a->size = 4;
		memcpy(a->value, &v32, 4);
		return 0;
	}
	case RA_F32: {
		/* parsed as a double: a value beyond f32's range would become
		 * inf silently, and is refused instead (an explicit "inf" is
		 * taken as written) */
		double d = strtod(t, &end);
		if (end == t || *end)
			break;
		if (isfinite(d) && fabs(d) > FLT_MAX) {
			cli_error("%s '%s': out of the range of f32 (largest %g)", a->opt, t, FLT_MAX);
			return -ERANGE;
		}
		float v = (float)d;
		a->size = 4;
		memcpy(a->value, &v, 4);
		return 0;
	}
	case RA_F64: {
		double v = strtod(t, &end);
		if (end == t || *end)
			break;
		if (errno == ERANGE && isinf(v)) {
			cli_error("%s '%s': out of the range of f64 (largest %g)", a->opt, t, DBL_MAX);
			return -ERANGE;
		}
		a->size = 8;
		memcpy(a->value, &v, 8);
		return 0;
	}
	default:
		return 0;
	}
	cli_error("%s '%s': not a valid %s", a->opt, t,
		  a->kind == RA_F32 || a->kind == RA_F64 ? "number"
		  : a->kind == RA_I32 ? "integer (-2147483648 .. 2147483647)"
		  : a->kind == RA_U32 ? "integer (0 .. 4294967295)" : "integer (0 .. 2^64-1)");
	return -EINVAL;
}

static const struct { const char *opt; enum run_arg_kind kind; } arg_opts[] = {
	{"--in", RA_IN}, {"--out", RA_OUT}, {"--inout", RA_INOUT}, {"--lds", RA_LDS},
	{"--u32", RA_U32}, {"--i32", RA_I32}, {"--u64", RA_U64}, {"--f32", RA_F32},
	{"--f64", RA_F64},
};

static int parse_out_spec(struct run_arg *a)
{
	const char *colon = strrchr(a->text, ':');
	if (!colon || colon == a->text || !colon[1]) {
		cli_error("--out: '%s' is not FILE:BYTES", a->text);
		return -EINVAL;
	}
	size_t n = (size_t)(colon - a->text);
	char *file = malloc(n + 1);
	if (!file) {
		cli_error("--out: out of memory");
		return -ENOMEM;
	}
	memcpy(file, a->text, n);
	file[n] = 0;
	a->file = file;
	if (cli_parse_size("--out", colon + 1, 1, UINT64_MAX, &a->bytes) < 0)
		return -EINVAL;
	return 0;
}

/* --in / --inout: a regular file, checked now (before the device is
 * opened); its bytes are read later straight into the buffer's mapping. */
static int check_input(struct run_arg *a)
{
	return input_file_check(a->opt, a->file, &a->bytes);
}

static const char *arg_name(const amdbare_kernel_arg *k)
{
	return k->name ? k->name : "unnamed";
}

/* The command line against the metadata: count, buffer vs value vs LDS,
 * value sizes.  Messages name the argument by index and name. */
static int match_metadata(const amdbare_kernel_info *k, struct run_arg *args, uint32_t n)
{
	uint32_t explicit_count = 0;
	for (uint32_t i = 0; i < k->arg_count; i++)
		explicit_count += !k->args[i].hidden;
	if (n != explicit_count) {
		cli_error("kernel '%s' takes %u argument%s, %u given:", k->name, explicit_count,
			  explicit_count == 1 ? "" : "s", n);
		for (uint32_t i = 0, j = 0; i < k->arg_count; i++)
			if (!k->args[i].hidden)
				cli_error("  %u: %s %s (%s, %u bytes)", j++,
					  k->args[i].type_name ? k->args[i].type_name : "",
					  arg_name(&k->args[i]), k->args[i].value_kind_name,
					  k->args[i].size);
		return -EINVAL;
	}
	for (uint32_t i = 0, j = 0; i < k->arg_count; i++) {
		const amdbare_kernel_arg *m = &k->args[i];
		if (m->hidden)
			continue;
		struct run_arg *a = &args[j];
		bool is_buf = a->kind == RA_IN || a->kind == RA_OUT || a->kind == RA_INOUT;
		if (m->kind == AMDBARE_ARG_GLOBAL_BUFFER && !is_buf) {
			cli_error("argument %u (%s) of kernel '%s' is a global buffer: give --in, "
				  "--out or --inout, not %s", j, arg_name(m), k->name, a->opt);
			return -EINVAL;
		}
		if (m->kind == AMDBARE_ARG_DYNAMIC_SHARED_POINTER && a->kind != RA_LDS) {
			cli_error("argument %u (%s) of kernel '%s' is a __local pointer: give --lds "
				  "BYTES, not %s", j, arg_name(m), k->name, a->opt);
			return -EINVAL;
		}
		if (m->kind == AMDBARE_ARG_BY_VALUE && (is_buf || a->kind == RA_LDS)) {
			cli_error("argument %u (%s) of kernel '%s' is a %u-byte value: give --u32, "
				  "--i32, --u64, --f32 or --f64, not %s", j, arg_name(m), k->name,
				  m->size, a->opt);
			return -EINVAL;
		}
		if (m->kind == AMDBARE_ARG_BY_VALUE && m->size != a->size) {
			cli_error("argument %u (%s%s%s) of kernel '%s' takes %u bytes; %s %s gives %u",
				  j, m->type_name ? m->type_name : "", m->type_name ? " " : "",
				  arg_name(m), k->name, m->size, a->opt, a->text, a->size);
			return -EINVAL;
		}
		j++;
	}
	return 0;
}

static int write_file(const char *path, const void *data, uint64_t bytes)
{
	FILE *f = fopen(path, "wb");
	if (!f) {
		cli_error("writing %s: %s", path, strerror(errno));
		return -errno;
	}
	size_t w = fwrite(data, 1, bytes, f);
	int r = fclose(f);
	if (w != bytes || r != 0) {
		cli_error("writing %s: %s", path, strerror(errno ? errno : EIO));
		return -EIO;
	}
	return 0;
}

static int make_buffers(amdbare_device *dev, uint32_t domain, struct run_arg *args, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		struct run_arg *a = &args[i];
		if (a->kind != RA_IN && a->kind != RA_OUT && a->kind != RA_INOUT)
			continue;
		amdbare_bo_create_info ci = {.size = a->bytes ? a->bytes : 4, .domains = domain,
					     .flags = AMDBARE_BO_CPU_ACCESS};
		void *p = NULL;
		int r = amdbare_bo_create(dev, &ci, &a->bo);
		if (r == 0)
			r = amdbare_bo_cpu_map(a->bo, &p);
		if (r < 0) {
			/* one line naming the argument and the library's reason */
			cli_error("%s %s: no buffer of %" PRIu64 " bytes: %s", a->opt, a->file, a->bytes,
				  amdbare_last_error());
			return CLI_EXIT_FAILURE;
		}
		/* Zero the whole buffer: the page-rounded tail too, so a kernel
		 * reading past the file's end sees zeros. */
		memset(p, 0, amdbare_bo_size(a->bo));
		if (a->kind == RA_IN || a->kind == RA_INOUT) {
			uint64_t size = 0;
			int fd = input_file_open(a->opt, a->file, &size);
			if (fd < 0)
				return CLI_EXIT_FAILURE;
			if (size != a->bytes) {
				cli_error("%s %s: the file changed size since it was checked (%" PRIu64
					  " bytes, then %" PRIu64 ")", a->opt, a->file, a->bytes, size);
				close(fd);
				return CLI_EXIT_FAILURE;
			}
			r = input_file_read(fd, a->opt, a->file, p, a->bytes);
			close(fd);
			if (r < 0)
				return CLI_EXIT_FAILURE;
		}
	}
	return CLI_EXIT_OK;
}

static int write_outputs(struct run_arg *args, uint32_t n)
{
	int rc = CLI_EXIT_OK;
	for (uint32_t i = 0; i < n; i++) {
		struct run_arg *a = &args[i];
		if (a->kind != RA_OUT && a->kind != RA_INOUT)
			continue;
		void *p = NULL;
		if (amdbare_bo_cpu_map(a->bo, &p) < 0 || write_file(a->file, p, a->bytes) < 0) {
			rc = CLI_EXIT_FAILURE;
			continue;
		}
		char safe[512];
		printf("wrote %s (%" PRIu64 " bytes)\n", text_safe(a->file, safe, sizeof(safe)),
		       a->bytes);
	}
	return rc;
}

static int run_on_device(const struct cli_globals *g, amdbare_codeobj *co,
			 const amdbare_kernel_info *k, const uint32_t grid[3],
			 const uint32_t block[3], uint32_t domain, struct run_arg *args, uint32_t n)
{
	amdbare_device *dev = NULL;
	int r = amdbare_device_open(g->device_index >= 0 ? g->device_index : 0, &dev);
	if (r < 0)
		return cli_report_open_failure(r);
	amdbare_device_info info;
	amdbare_device_get_info(dev, &info);
	if (info.is_virtual) {
		char banner[192];
		vgpu_banner(banner, sizeof(banner), info.virtual_profile);
		printf("%s\n", banner);
	}
	amdbare_bo *code = NULL;
	uint64_t code_va = 0;
	amdbare_karg *kargs = calloc(n ? n : 1, sizeof(*kargs));
	int rc = CLI_EXIT_OK;
	if (!kargs) {
		cli_error("run: out of memory");
		rc = CLI_EXIT_FAILURE;
	}
	if (rc == CLI_EXIT_OK) {
		r = amdbare_codeobj_upload(co, dev, &code, &code_va);
		if (r < 0)
			rc = cli_report_failure(r, "uploading the code object");
	}
	if (rc == CLI_EXIT_OK)
		rc = make_buffers(dev, domain, args, n);
	if (rc == CLI_EXIT_OK) {
		for (uint32_t i = 0; i < n; i++) {
			if (args[i].bo)
				kargs[i] = amdbare_karg_buffer(args[i].bo, 0);
			else if (args[i].kind == RA_LDS)
				kargs[i] = amdbare_karg_lds((uint32_t)args[i].bytes);
			else
				kargs[i] = amdbare_karg_value(args[i].value, args[i].size);
		}
		amdbare_dispatch_info di = {.kernel = k, .code_bo = code, .code_va = code_va,
					    .grid = {grid[0], grid[1], grid[2]},
					    .block = {block[0], block[1], block[2]},
					    .args = kargs, .arg_count = n};
		r = amdbare_dispatch(dev, &di);
		if (r < 0) {
			cli_report_failure(r, "running the kernel");
			if (r == -ECANCELED)
				cli_error("kernel '%s' did not complete (the device's report is above); "
					  "no output was written", k->name);
			rc = r == -EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAILURE;
		} else {
			char safe[256];
			printf("ran %s: %ux%ux%u workgroups of %ux%ux%u work-items\n",
			       text_safe(k->name, safe, sizeof(safe)),
			       grid[0], grid[1], grid[2], block[0], block[1], block[2]);
			rc = write_outputs(args, n);
		}
	}
	for (uint32_t i = 0; i < n; i++)
		amdbare_bo_free(args[i].bo);
	amdbare_bo_free(code);
	free(kargs);
	amdbare_device_close(dev);
	return rc;
}

int cmd_run(const struct cli_globals *g, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cmd_run_help(stdout);
			return CLI_EXIT_OK;
		}
	if (argc < 3) {
		cli_error("run: needs CODEOBJ and KERNEL (see amdbare help run)");
		return CLI_EXIT_USAGE;
	}
	const char *co_path = argv[1], *kname = argv[2];
	uint32_t grid[3] = {0, 0, 0}, block[3] = {0, 0, 0};
	uint32_t domain = AMDBARE_DOMAIN_GTT;
	struct run_arg *args = calloc((size_t)argc, sizeof(*args));
	if (!args) {
		cli_error("run: out of memory");
		return CLI_EXIT_FAILURE;
	}
	uint32_t n = 0;
	int rc = CLI_EXIT_OK;
	for (int i = 3; i < argc && rc == CLI_EXIT_OK; i++) {
		const char *opt = argv[i];
		if (i + 1 >= argc) {
			cli_error("run: %s needs a value", opt);
			rc = CLI_EXIT_USAGE;
			break;
		}
		const char *val = argv[++i];
		if (strcmp(opt, "--grid") == 0) {
			rc = parse_dims(opt, val, grid) < 0 ? CLI_EXIT_USAGE : rc;
		} else if (strcmp(opt, "--block") == 0) {
			rc = parse_dims(opt, val, block) < 0 ? CLI_EXIT_USAGE : rc;
		} else if (strcmp(opt, "--domain") == 0) {
			if (strcasecmp(val, "vram") == 0)
				domain = AMDBARE_DOMAIN_VRAM;
			else if (strcasecmp(val, "gtt") == 0)
				domain = AMDBARE_DOMAIN_GTT;
			else {
				cli_error("--domain: '%s' is not vram or gtt", val);
				rc = CLI_EXIT_USAGE;
			}
		} else {
			size_t j = 0;
			while (j < sizeof(arg_opts) / sizeof(arg_opts[0]) && strcmp(opt, arg_opts[j].opt))
				j++;
			if (j == sizeof(arg_opts) / sizeof(arg_opts[0])) {
				cli_error("run: unknown option '%s' (see amdbare help run)", opt);
				rc = CLI_EXIT_USAGE;
				break;
			}
			struct run_arg *a = &args[n++];
			a->kind = arg_opts[j].kind;
			a->opt = arg_opts[j].opt;
			a->text = val;
			if (a->kind == RA_IN || a->kind == RA_INOUT) {
				a->file = val;
				/* a path that is not a readable regular file: the
				 * command line is wrong, nothing was run */
				rc = check_input(a) < 0 ? CLI_EXIT_USAGE : rc;
			} else if (a->kind == RA_OUT) {
				rc = parse_out_spec(a) < 0 ? CLI_EXIT_USAGE : rc;
			} else if (a->kind == RA_LDS) {
				if (cli_parse_size("--lds", val, 0, 65536, &a->bytes) < 0)
					rc = CLI_EXIT_USAGE;
			} else {
				rc = parse_value(a) < 0 ? CLI_EXIT_USAGE : rc;
			}
		}
	}
	if (rc == CLI_EXIT_OK && (!grid[0] || !block[0])) {
		cli_error("run: --grid and --block are required (see amdbare help run)");
		rc = CLI_EXIT_USAGE;
	}
	amdbare_codeobj *co = NULL;
	const amdbare_kernel_info *k = NULL;
	if (rc == CLI_EXIT_OK && input_file_check("code object", co_path, NULL) < 0)
		rc = CLI_EXIT_USAGE;
	if (rc == CLI_EXIT_OK) {
		int r = amdbare_codeobj_load_file(co_path, &co);
		if (r < 0)
			rc = cli_report_failure(r, "loading the code object");
	}
	if (rc == CLI_EXIT_OK) {
		/* a kernel name the code object does not have: a wrong command
		 * line (the message lists the kernels it has) */
		int r = amdbare_codeobj_find_kernel(co, kname, &k);
		if (r < 0)
			rc = r == -ENOENT ? (cli_report_failure(r, "finding the kernel"), CLI_EXIT_USAGE)
					  : cli_report_failure(r, "finding the kernel");
	}
	if (rc == CLI_EXIT_OK && match_metadata(k, args, n) < 0)
		rc = CLI_EXIT_USAGE;
	if (rc == CLI_EXIT_OK)
		rc = run_on_device(g, co, k, grid, block, domain, args, n);
	for (uint32_t i = 0; i < n; i++) {
		if (args[i].kind == RA_OUT)
			free((char *)args[i].file);
	}
	free(args);
	amdbare_codeobj_free(co);
	return rc;
}
