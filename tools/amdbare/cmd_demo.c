/*
 * `amdbare demo [FILE]`: the whole story in one command.  Without FILE it
 * writes a small safetensors model (a few f16/f32 weight matrices with
 * deterministic contents, about 2 MiB, so the vgpu's emulated GPU work
 * stays short), then: the placement plan, the load, the proof (usage
 * deltas, GPU checksums), and one GEMV on the GPU with a weight matrix
 * straight from where it was loaded, compared with a CPU reference computed
 * from the file's own bytes.
 */
#include "cmd_load.h"
#include "load_report.h"
#include "text_safe.h"
#include "safetensors_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void cmd_demo_help(FILE *out)
{
	fprintf(out,
		"usage: amdbare [--vgpu PROFILE] [--device N] demo [FILE...] [OPTIONS]\n"
		"\n"
		"Loads a model into VRAM/GTT, shows the plan and the proof (as `amdbare\n"
		"load`), then runs one GEMV (y = W x) on the GPU with a weight matrix where\n"
		"it was loaded and checks it against a CPU reference computed from the\n"
		"file's bytes.  Without FILE a small safetensors model is generated in a\n"
		"temporary directory (removed afterwards) and its embedding is placed in\n"
		"GTT, the rest in VRAM, so both domains show.\n"
		"\n"
		"Options: those of `amdbare load` (--policy, --place, --no-verify, --json\n"
		"is not available here, --quiet, ...), and\n"
		"  --keep     keep the generated model (its path is printed)\n"
		"\n"
		"exit codes: 0 loaded, proven and the GEMV matched, 1 otherwise, 2 usage\n");
}

/* ---- the generated model ------------------------------------------------- */

/* Small multiples of 1/16 in [-0.5, 0.5]: exact in f16, so the reference
 * and the GPU agree to f32 rounding. */
static float weight_value(uint32_t seed, uint64_t i)
{
	uint64_t x = (i + 1) * 0x9E3779B97F4A7C15ull + seed * 0xD1B54A32D192ED03ull;
	x ^= x >> 31;
	return (float)((int)(x % 17) - 8) / 16.0f;
}

static uint32_t seed_of(const struct st_tensor *t)
{
	uint32_t h = 5381;
	for (const char *p = t->name; *p; p++)
		h = h * 33 + (uint8_t)*p;
	return h;
}

static void fill_f16(const struct st_tensor *t, uint64_t first, uint64_t count, void *dst)
{
	uint8_t *d = dst;
	uint32_t s = seed_of(t);
	for (uint64_t i = 0; i < count; i++) {
		uint16_t h = st_f32_to_f16(weight_value(s, first + i));
		d[2 * i] = (uint8_t)h;
		d[2 * i + 1] = (uint8_t)(h >> 8);
	}
}

static void fill_f32(const struct st_tensor *t, uint64_t first, uint64_t count, void *dst)
{
	uint32_t s = seed_of(t);
	for (uint64_t i = 0; i < count; i++) {
		float f = weight_value(s, first + i);
		memcpy((uint8_t *)dst + 4 * i, &f, 4); /* x86-64: little-endian */
	}
}

static const struct st_tensor demo_model[] = {
	{"demo.embed_tokens.weight", "F16", 2, {512, 256}, fill_f16},
	{"demo.layers.0.attn.qkv.weight", "F16", 2, {768, 256}, fill_f16},
	{"demo.layers.0.mlp.up.weight", "F32", 2, {512, 256}, fill_f32},
	{"demo.layers.0.mlp.down.weight", "F16", 2, {256, 512}, fill_f16},
	{"demo.norm.weight", "F32", 1, {256}, fill_f32},
	{"demo.lm_head.weight", "F16", 2, {1024, 256}, fill_f16},
};
#define DEMO_GEMV_TENSOR "demo.layers.0.mlp.down.weight"

/* ---- GEMV ------------------------------------------------------------------ */

static bool gemv_dtype(amdbare_dtype t)
{
	return t == AMDBARE_DTYPE_F16 || t == AMDBARE_DTYPE_BF16 || t == AMDBARE_DTYPE_F32;
}

/* The weight to multiply: the demo's, or the smallest 2-D f16/bf16/f32
 * tensor of a given model. */
static int pick_weight(const amdbare_model *m, bool generated, amdbare_tensor_info *w)
{
	if (generated)
		return amdbare_model_find(m, DEMO_GEMV_TENSOR, w);
	int found = -ENOENT;
	for (size_t i = 0; i < amdbare_model_tensor_count(m); i++) {
		amdbare_tensor_info t;
		amdbare_model_tensor(m, i, &t);
		if (t.n_dims != 2 || !gemv_dtype(t.dtype) || !t.bo || t.shape[0] > UINT32_MAX ||
		    t.shape[1] > UINT32_MAX)
			continue;
		if (found < 0 || t.nbytes < w->nbytes) {
			*w = t;
			found = 0;
		}
	}
	return found;
}

static double element(amdbare_dtype t, const uint8_t *p)
{
	if (t == AMDBARE_DTYPE_F32) {
		float f;
		memcpy(&f, p, 4);
		return f;
	}
	uint16_t h = (uint16_t)(p[0] | p[1] << 8);
	if (t == AMDBARE_DTYPE_F16)
		return st_f16_to_f32(h);
	uint32_t bits = (uint32_t)h << 16;
	float f;
	memcpy(&f, &bits, 4);
	return f;
}

struct gemv_run {
	amdbare_bo *x, *y;
	uint8_t *row;
	int fd;
};

static void gemv_free(struct gemv_run *r)
{
	amdbare_bo_free(r->x);
	amdbare_bo_free(r->y);
	free(r->row);
	if (r->fd >= 0)
		close(r->fd);
}

/* y = W x on the GPU, against the CPU in double from the file's bytes. */
static int run_gemv(amdbare_device *dev, const amdbare_tensor_info *w)
{
	uint32_t n = (uint32_t)w->shape[0], k = (uint32_t)w->shape[1];
	uint32_t es = w->dtype == AMDBARE_DTYPE_F32 ? 4 : 2;
	struct gemv_run r = {.fd = -1};
	amdbare_bo_create_info xi = {.size = (uint64_t)k * 4, .domains = AMDBARE_DOMAIN_GTT};
	amdbare_bo_create_info yi = {.size = (uint64_t)n * 4, .domains = AMDBARE_DOMAIN_GTT};
	void *xp, *yp;
	int rc = amdbare_bo_create(dev, &xi, &r.x);
	if (rc == 0)
		rc = amdbare_bo_create(dev, &yi, &r.y);
	if (rc == 0)
		rc = amdbare_bo_cpu_map(r.x, &xp);
	if (rc == 0)
		rc = amdbare_bo_cpu_map(r.y, &yp);
	if (rc < 0) {
		gemv_free(&r);
		return cli_report_failure(rc, "gemv buffers");
	}
	float *x = xp, *y = yp;
	for (uint32_t j = 0; j < k; j++)
		x[j] = (float)((int)((j * 5) % 11) - 5) / 8.0f;
	for (uint32_t i = 0; i < n; i++)
		y[i] = NAN; /* beta = 0 must not read it */
	amdbare_gemv_desc d = {
		.n = n, .k = k, .alpha = 1.0f, .beta = 0.0f,
		.w = amdbare_tensor(w->bo, w->bo_offset, w->dtype),
		.x = amdbare_tensor(r.x, 0, AMDBARE_DTYPE_F32),
		.y = amdbare_tensor(r.y, 0, AMDBARE_DTYPE_F32),
	};
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = amdbare_gemv(dev, &d);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc < 0) {
		gemv_free(&r);
		return cli_report_failure(rc, "gemv");
	}
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	/* The reference reads W from the file, not from GPU memory. */
	r.fd = open(w->file, O_RDONLY | O_CLOEXEC);
	r.row = malloc((size_t)k * es);
	if (r.fd < 0 || !r.row) {
		cli_error("gemv reference: cannot read %s: %s", w->file, strerror(errno));
		gemv_free(&r);
		return CLI_EXIT_FAILURE;
	}
	double max_err = 0, max_scale = 0;
	uint32_t worst = 0;
	for (uint32_t i = 0; i < n; i++) {
		off_t at = (off_t)(w->file_offset + (uint64_t)i * k * es);
		if (pread(r.fd, r.row, (size_t)k * es, at) != (ssize_t)((size_t)k * es)) {
			cli_error("gemv reference: short read of %s (row %u of %s)", w->file, i, w->name);
			gemv_free(&r);
			return CLI_EXIT_FAILURE;
		}
		double ref = 0, scale = 0;
		for (uint32_t j = 0; j < k; j++) {
			double prod = element(w->dtype, r.row + (size_t)j * es) * x[j];
			ref += prod;
			scale += fabs(prod);
		}
		double err = fabs((double)y[i] - ref);
		if (!(err <= max_err)) { /* NaN counts as the worst */
			max_err = err;
			worst = i;
		}
		if (scale > max_scale)
			max_scale = scale;
	}
	/* f32 accumulation over k terms: a few ulps of the magnitude sum. */
	double tol = 1e-6 * (max_scale + 1) * sqrt((double)k) + 1e-6;
	bool ok = max_err <= tol;
	char va[32];
	snprintf(va, sizeof(va), "0x%" PRIx64, w->gpu_va);
	char name[256];
	printf("gemv: y = W x on the GPU with %s (%u x %u %s, in %s at %s), %u outputs in %.1f ms\n",
	       text_safe(w->name, name, sizeof(name)), n, k, amdbare_dtype_name(w->dtype), amdbare_domain_name(w->domain), va, n, ms);
	printf("      against a CPU reference from the file's bytes: max |error| %.3g "
	       "(tolerance %.3g, row %u) %s\n", max_err, tol, worst, ok ? "ok" : "MISMATCH");
	gemv_free(&r);
	if (!ok) {
		cli_error("gemv: GPU result differs from the CPU reference (row %u: error %.3g)", worst,
			  max_err);
		return CLI_EXIT_FAILURE;
	}
	return CLI_EXIT_OK;
}

/* ---- the command ------------------------------------------------------------- */

int cmd_demo(const struct cli_globals *g, int argc, char **argv)
{
	bool keep = false;
	/* --keep is the demo's own; the rest are load's options. */
	char **args = calloc((size_t)argc + 1, sizeof(char *));
	if (!args) {
		cli_error("out of memory");
		return CLI_EXIT_FAILURE;
	}
	int n = 0;
	for (int i = 0; i < argc; i++) {
		if (i > 0 && strcmp(argv[i], "--keep") == 0)
			keep = true;
		else
			args[n++] = argv[i];
	}
	amdbare_model_options o;
	struct load_view v;
	const char *place[LOAD_MAX_PLACE];
	int rc = parse_load_options(n, args, &o, &v, place, cmd_demo_help);
	if (rc < 0 || rc) {
		free(args);
		return rc < 0 ? CLI_EXIT_OK : rc;
	}
	if (v.json || v.plan_only) {
		free(args);
		cli_error("demo: --json and --plan-only belong to `amdbare load`");
		return CLI_EXIT_USAGE;
	}
	/* The device first: on the vgpu the banner must be the first line. */
	amdbare_device *dev = NULL;
	rc = cmd_model_open_device(g, false, &dev);
	if (rc != CLI_EXIT_OK) {
		free(args);
		return rc;
	}
	char dir[256] = "", path[300];
	const char *gen_path[1];
	const char *const *paths = (const char *const *)args + optind;
	size_t n_paths = (size_t)(n - optind);
	bool generated = n_paths == 0;
	if (generated) {
		const char *tmp = getenv("TMPDIR");
		snprintf(dir, sizeof(dir), "%s/amdbare-demo-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
		if (!mkdtemp(dir)) {
			cli_error("demo: cannot create a temporary directory %s: %s", dir, strerror(errno));
			amdbare_device_close(dev);
			free(args);
			return CLI_EXIT_FAILURE;
		}
		snprintf(path, sizeof(path), "%s/demo.safetensors", dir);
		if (st_write(path, demo_model, sizeof(demo_model) / sizeof(demo_model[0])) < 0) {
			rmdir(dir);
			amdbare_device_close(dev);
			free(args);
			return CLI_EXIT_FAILURE;
		}
		gen_path[0] = path;
		paths = gen_path;
		n_paths = 1;
		if (o.n_placements == 0) {
			place[0] = "*embed*=gtt";
			o.n_placements = 1;
		}
		printf("generated %s: %zu tensors (f16/f32 weights, deterministic contents)\n", path,
		       sizeof(demo_model) / sizeof(demo_model[0]));
	}
	amdbare_model *m = NULL;
	rc = load_and_report(dev, paths, n_paths, &o, &v, &m);
	if (rc == CLI_EXIT_OK) {
		amdbare_tensor_info w;
		if (pick_weight(m, generated, &w) < 0) {
			/* the demo promises a GEMV: without one it did not do
			 * what it says (exit 1, as its help states) */
			printf("gemv: no 2-D f16/bf16/f32 tensor in the model; skipped\n");
			cli_error("demo: the GEMV was skipped (no 2-D f16/bf16/f32 tensor to run it on); "
				  "the model was loaded and proven");
			rc = CLI_EXIT_FAILURE;
		} else {
			rc = run_gemv(dev, &w);
		}
	}
	amdbare_model_free(m);
	amdbare_device_close(dev);
	if (generated) {
		if (keep) {
			printf("kept %s\n", path);
		} else {
			unlink(path);
			rmdir(dir);
		}
	}
	free(args);
	return rc;
}
