/*
 * `amdbare gemm` and `amdbare gemv`: one GEMM (or GEMV) of random inputs
 * on the device with the library's embedded kernels, timed, optionally
 * checked against a CPU reference, and set against the profile's peak.
 *
 *   amdbare gemm --m M --n N --k K [--dtype f16|bf16|f32] [--trans-a]
 *                [--trans-b] [--check] [--iters N] [--domain vram|gtt]
 *   amdbare gemv --n N --k K [--dtype f16|bf16|f32|q8_0] [--check] [--iters N]
 *                [--domain ...]
 *
 * gemv --dtype q8_0 runs on GGUF Q8_0 weight blocks (random scales and
 * quants) with f32 x and y; K must be a multiple of 32.
 *
 * On the vgpu the time measures the CPU interpreter, not a GPU: the output
 * says "emulated" wherever a number would otherwise look like hardware.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct gemm_opts {
	bool gemv;
	uint32_t m, n, k, iters;
	amdbare_dtype dtype;
	bool ta, tb, check;
	uint32_t domain;
};

static void gemm_help(FILE *out, bool gemv)
{
	if (gemv)
		fprintf(out,
			"usage: amdbare [--vgpu PROFILE] [--device N] gemv --n N --k K\n"
			"                [--dtype f16|bf16|f32|q8_0] [--check] [--iters I]\n"
			"                [--domain vram|gtt]\n"
			"\n"
			"y = W x with W an N x K row-major matrix and x of DTYPE, y f32, random\n"
			"inputs, on the library's embedded GEMV kernel.  Prints the time per GEMV,\n"
			"the bandwidth reached (W's bytes / time) and its share of the device's\n"
			"estimated DRAM bandwidth.  With --dtype q8_0, W is GGUF Q8_0 blocks (32\n"
			"int8 quants and an f16 scale in 34 bytes per block, K a multiple of 32)\n"
			"and x is f32.\n");
	else
		fprintf(out,
			"usage: amdbare [--vgpu PROFILE] [--device N] gemm --m M --n N --k K\n"
			"                [--dtype f16|bf16|f32] [--trans-a] [--trans-b] [--check]\n"
			"                [--iters I] [--domain vram|gtt]\n"
			"\n"
			"C = A B (row-major; A stored K x M with --trans-a, B stored N x K with\n"
			"--trans-b), A and B of DTYPE (default f16), C f32, random inputs, on the\n"
			"library's embedded GEMM kernel.  Prints the time per GEMM, GFLOP/s and\n"
			"the share of the device's peak (CUs x clock x FLOPs per clock per CU).\n");
	fprintf(out,
		"\n"
		"  --check     compare with a CPU reference (double accumulation) within\n"
		"              the tolerance of docs/kernels.md; exit 1 on a mismatch\n"
		"  --iters I   operations timed, all in one submission (default 1; one\n"
		"              more runs first, untimed, to load the kernels)\n"
		"  --domain D  where the buffers live: vram (default) or gtt\n"
		"\n"
		"On the virtual device (--vgpu) the time is the CPU interpreter's and is\n"
		"marked \"emulated\": it says nothing about a GPU.\n");
}

static int parse_u32(const char *opt, const char *text, uint32_t *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(text, &end, 10);
	if (errno || end == text || *end || text[0] == '-' || v == 0 || v > UINT32_MAX) {
		cli_error("%s: '%s' is not a positive integer", opt, text);
		return -EINVAL;
	}
	*out = (uint32_t)v;
	return 0;
}

static int parse_opts(int argc, char **argv, struct gemm_opts *o)
{
	static const struct option opts[] = {
		{"m", required_argument, NULL, 'm'}, {"n", required_argument, NULL, 'n'},
		{"k", required_argument, NULL, 'k'}, {"dtype", required_argument, NULL, 't'},
		{"trans-a", no_argument, NULL, 'A'}, {"trans-b", no_argument, NULL, 'B'},
		{"check", no_argument, NULL, 'c'}, {"iters", required_argument, NULL, 'i'},
		{"domain", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	*o = (struct gemm_opts){.gemv = strcmp(argv[0], "gemv") == 0, .iters = 1,
				.dtype = AMDBARE_DTYPE_F16, .domain = AMDBARE_DOMAIN_VRAM};
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		int r = 0;
		switch (c) {
		case 'm': r = parse_u32("--m", optarg, &o->m); break;
		case 'n': r = parse_u32("--n", optarg, &o->n); break;
		case 'k': r = parse_u32("--k", optarg, &o->k); break;
		case 'i': r = parse_u32("--iters", optarg, &o->iters); break;
		case 'A': o->ta = true; break;
		case 'B': o->tb = true; break;
		case 'c': o->check = true; break;
		case 't':
			if (amdbare_dtype_from_name(optarg, &o->dtype) < 0 ||
			    (o->dtype != AMDBARE_DTYPE_F16 && o->dtype != AMDBARE_DTYPE_BF16 &&
			     o->dtype != AMDBARE_DTYPE_F32 &&
			     !(o->gemv && o->dtype == AMDBARE_DTYPE_Q8_0))) {
				cli_error(o->gemv ? "--dtype: '%s' is not f16, bf16, f32 or q8_0"
						  : "--dtype: '%s' is not f16, bf16 or f32", optarg);
				r = -EINVAL;
			}
			break;
		case 'd':
			if (strcmp(optarg, "vram") == 0) {
				o->domain = AMDBARE_DOMAIN_VRAM;
			} else if (strcmp(optarg, "gtt") == 0) {
				o->domain = AMDBARE_DOMAIN_GTT;
			} else {
				cli_error("--domain: '%s' is not vram or gtt", optarg);
				r = -EINVAL;
			}
			break;
		case 'h':
			gemm_help(stdout, o->gemv);
			return 1;
		case ':':
			cli_error("option %s needs a value", argv[optind - 1]);
			return -EINVAL;
		default:
			cli_error("%s: unknown option '%s' (see amdbare %s --help)", argv[0],
				  argv[optind - 1], argv[0]);
			return -EINVAL;
		}
		if (r)
			return r;
	}
	if (optind < argc) {
		cli_error("%s: unexpected argument '%s'", argv[0], argv[optind]);
		return -EINVAL;
	}
	if (o->gemv) {
		if (o->m || o->ta || o->tb) {
			cli_error("gemv: --m, --trans-a and --trans-b are gemm options");
			return -EINVAL;
		}
		o->m = 1;
	}
	if (!o->m || !o->n || !o->k) {
		cli_error("%s: %s are required", argv[0], o->gemv ? "--n and --k" : "--m, --n and --k");
		return -EINVAL;
	}
	if (o->dtype == AMDBARE_DTYPE_Q8_0 && o->k % 32) {
		cli_error("gemv: --k %u is not a multiple of 32 (q8_0 stores blocks of 32)", o->k);
		return -EINVAL;
	}
	return 0;
}

/* ---- host data --------------------------------------------------------------- */

static uint16_t to_bf16(float f)
{
	uint32_t u;
	memcpy(&u, &f, 4);
	u += 0x7fffu + ((u >> 16) & 1);
	return (uint16_t)(u >> 16);
}

static void put(void *p, size_t i, amdbare_dtype t, float v)
{
	if (t == AMDBARE_DTYPE_F32) {
		((float *)p)[i] = v;
	} else if (t == AMDBARE_DTYPE_F16) {
		_Float16 h = (_Float16)v;
		memcpy((uint16_t *)p + i, &h, 2);
	} else {
		((uint16_t *)p)[i] = to_bf16(v);
	}
}

static double get(const void *p, size_t i, amdbare_dtype t)
{
	if (t == AMDBARE_DTYPE_F32)
		return ((const float *)p)[i];
	uint16_t u = ((const uint16_t *)p)[i];
	if (t == AMDBARE_DTYPE_F16) {
		_Float16 h;
		memcpy(&h, &u, 2);
		return h;
	}
	uint32_t w = (uint32_t)u << 16;
	float f;
	memcpy(&f, &w, 4);
	return f;
}

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static float rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (float)((double)(rng_state >> 11) / (double)(1ull << 53) * 2.0 - 1.0);
}

/* GGUF Q8_0: blocks of {f16 scale, int8 q[32]}, 34 bytes, element = scale *
 * q.  Random scales of either sign in [2^-8, 2^-6) (weight-like magnitudes)
 * and quants over all of [-128, 127]. */
#define Q8_BYTES 34u

static void q8_fill(uint8_t *w, uint64_t blocks)
{
	for (uint64_t b = 0; b < blocks; b++, w += Q8_BYTES) {
		float d = ldexpf(1.5f + 0.5f * rnd(), -7);
		_Float16 h = (_Float16)(rnd() < 0 ? -d : d);
		memcpy(w, &h, 2);
		for (int i = 0; i < 32; i++) {
			rnd();
			w[2 + i] = (uint8_t)(rng_state >> 8);
		}
	}
}

/* Element k of W's row j (K / 32 blocks per row). */
static double q8_get(const void *w, uint32_t K, uint32_t j, uint32_t k)
{
	const uint8_t *b = (const uint8_t *)w + ((size_t)j * (K / 32) + k / 32) * Q8_BYTES;
	_Float16 h;
	memcpy(&h, b, 2);
	return (double)h * (int8_t)b[2 + k % 32];
}

struct mat {
	amdbare_bo *bo;
	void *cpu;
};

static int mat_new(amdbare_device *dev, uint32_t domain, uint64_t bytes, struct mat *m)
{
	amdbare_bo_create_info ci = {.size = bytes, .domains = domain,
				     .flags = AMDBARE_BO_CPU_ACCESS};
	int r = amdbare_bo_create(dev, &ci, &m->bo);
	if (!r)
		r = amdbare_bo_cpu_map(m->bo, &m->cpu);
	return r;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- peaks ------------------------------------------------------------------- */

/* FLOPs per clock per CU on gfx11, from AMD's published RX 7900 XTX
 * figures (96 CUs at 2.5 GHz): f16/bf16 WMMA 122.8 TFLOPS = 512 (one
 * 16x16x16 WMMA, 8192 FLOPs, per 32 clocks on each of a CU's 2 SIMDs);
 * f32 61.4 TFLOPS = 256, which needs dual issue (VOPD), 128 without. */
static double peak_flops(const amdbare_device_info *in, amdbare_dtype t)
{
	double per_cu = t == AMDBARE_DTYPE_F32 ? 256.0 : 512.0;
	return in->cu_count * (double)in->max_engine_clock_mhz * 1e6 * per_cu;
}

/* DRAM bandwidth estimate: bus bytes x transfers per second.  DEV_INFO
 * gives the memory clock, not the type: APUs (DDR5/LPDDR5x) transfer twice
 * per clock, gfx11 dGPUs (GDDR6) sixteen times. */
static double peak_bandwidth(const amdbare_device_info *in)
{
	double rate = in->is_apu ? 2.0 : 16.0;
	return in->vram_bit_width / 8.0 * in->max_memory_clock_mhz * 1e6 * rate;
}

/* ---- the command ------------------------------------------------------------- */

/* Roundings on the path of one q8_0 GEMV output (docs/kernels.md,
 * "Tolerances"): 32 in a block's FMA chain, 1 scaling it into the lane's
 * sum, ceil(B/32) lane accumulations, min(B, 32) non-zero lane sums added,
 * 3 for alpha/beta; 1 % for the second-order terms. */
static double q8_rounds(uint32_t K)
{
	uint32_t blocks = K / 32;
	return 1.01 * (36 + (blocks + 31) / 32 + (blocks < 32 ? blocks : 32));
}

static int run(amdbare_device *dev, const struct gemm_opts *o)
{
	amdbare_device_info info;
	amdbare_device_get_info(dev, &info);
	if (info.is_virtual) {
		char banner[192];
		vgpu_banner(banner, sizeof(banner), info.virtual_profile);
		printf("%s\n", banner);
	}
	amdbare_dtype t = o->dtype;
	bool q8 = t == AMDBARE_DTYPE_Q8_0;
	/* with q8_0 weights (gemv only) x is f32 */
	amdbare_dtype xt = q8 ? AMDBARE_DTYPE_F32 : t;
	size_t es = xt == AMDBARE_DTYPE_F32 ? 4 : 2;
	uint64_t na = (uint64_t)o->m * o->k, nb = (uint64_t)o->k * o->n, nc = (uint64_t)o->m * o->n;
	uint64_t b_bytes = q8 ? nb / 32 * Q8_BYTES : nb * es;
	struct mat a = {0}, b = {0}, c = {0};
	int rc = CLI_EXIT_FAILURE, r;
	if ((r = mat_new(dev, o->domain, na * es, &a)) || (r = mat_new(dev, o->domain, b_bytes, &b)) ||
	    (r = mat_new(dev, o->domain, nc * 4, &c))) {
		cli_report_failure(r, "allocating the matrices");
		goto out;
	}
	for (uint64_t i = 0; i < na; i++)
		put(a.cpu, i, xt, rnd());
	if (q8)
		q8_fill(b.cpu, nb / 32);
	else
		for (uint64_t i = 0; i < nb; i++)
			put(b.cpu, i, t, rnd());
	memset(c.cpu, 0, nc * 4);
	/* GEMV: a = x (K), b = W (N x K); GEMM: a = A, b = B as stored */
	amdbare_gemm_desc g = {
		.m = o->m, .n = o->n, .k = o->k, .trans_a = o->ta, .trans_b = o->tb,
		.alpha = 1, .beta = 0,
		.a = amdbare_tensor(a.bo, 0, t), .b = amdbare_tensor(b.bo, 0, t),
		.c = amdbare_tensor(c.bo, 0, AMDBARE_DTYPE_F32),
	};
	amdbare_gemv_desc v = {
		.n = o->n, .k = o->k, .alpha = 1, .beta = 0,
		.w = amdbare_tensor(b.bo, 0, t), .x = amdbare_tensor(a.bo, 0, xt),
		.y = amdbare_tensor(c.bo, 0, AMDBARE_DTYPE_F32),
	};
	/* untimed first run: loads and uploads the kernel module */
	r = o->gemv ? amdbare_gemv(dev, &v) : amdbare_gemm(dev, &g);
	if (r) {
		cli_report_failure(r, o->gemv ? "gemv" : "gemm");
		goto out;
	}
	amdbare_dispatcher *d = NULL;
	if ((r = amdbare_dispatcher_create(dev, &d))) {
		cli_report_failure(r, "creating a dispatcher");
		goto out;
	}
	for (uint32_t i = 0; i < o->iters && !r; i++)
		r = o->gemv ? amdbare_gemv_enqueue(dev, d, &v) : amdbare_gemm_enqueue(dev, d, &g);
	double t0 = now_s();
	if (!r)
		r = amdbare_dispatcher_run(d, NULL);
	double secs = (now_s() - t0) / o->iters;
	amdbare_dispatcher_free(d);
	if (r) {
		cli_report_failure(r, "running");
		goto out;
	}
	const char *tn = amdbare_dtype_name(t);
	if (o->gemv)
		printf("gemv %ux%u %s weights%s, f32 y, on %s (%s, %s)\n", o->n, o->k, tn,
		       q8 ? ", f32 x" : " and x", info.gfx_target, info.marketing_name,
		       amdbare_domain_name(o->domain));
	else
		printf("gemm %ux%ux%u %s%s%s -> f32 on %s (%s, %s)\n", o->m, o->n, o->k, tn,
		       o->ta ? ", A transposed" : "", o->tb ? ", B transposed" : "",
		       info.gfx_target, info.marketing_name, amdbare_domain_name(o->domain));
	const char *emu = info.is_virtual ? " [emulated]" : "";
	printf("time      %.3f ms per %s (%u in one submission)%s\n", secs * 1e3,
	       o->gemv ? "GEMV" : "GEMM", o->iters, emu);
	double flops = 2.0 * o->m * (double)o->n * o->k;
	/* the q8_0 kernel multiplies in f32 (v_fmac_f32), like f32 */
	bool f32_alu = t == AMDBARE_DTYPE_F32 || q8;
	double peak = peak_flops(&info, f32_alu ? AMDBARE_DTYPE_F32 : t);
	printf("rate      %.3f GFLOP/s = %.4f %% of %.1f TFLOPS (%s peak: %u CUs x %u MHz x %d)%s\n",
	       flops / secs * 1e-9, 100.0 * flops / secs / peak, peak * 1e-12,
	       f32_alu ? "f32 FMA" : "WMMA", info.cu_count,
	       info.max_engine_clock_mhz, f32_alu ? 256 : 512, emu);
	if (o->gemv) {
		double bytes = (double)b_bytes, bw = peak_bandwidth(&info);
		printf("bandwidth %.3f GB/s of W = %.4f %% of %.1f GB/s (estimated DRAM peak)%s\n",
		       bytes / secs * 1e-9, 100.0 * bytes / secs / bw, bw * 1e-9, emu);
	}
	if (info.is_virtual)
		printf("note      emulated: the vgpu interprets every instruction on the CPU; "
		       "these times say nothing about a GPU\n");
	rc = CLI_EXIT_OK;
	if (o->check) {
		/* tolerance of docs/kernels.md: f32 accumulation over K terms */
		double worst = 0;
		uint64_t bad = 0;
		for (uint32_t i = 0; i < o->m; i++)
			for (uint32_t j = 0; j < o->n; j++) {
				double s = 0, mag = 0;
				for (uint32_t k = 0; k < o->k; k++) {
					double x, y;
					if (o->gemv) {
						x = get(a.cpu, k, xt);
						y = q8 ? q8_get(b.cpu, o->k, j, k)
						       : get(b.cpu, (size_t)j * o->k + k, t);
					} else {
						x = get(a.cpu, o->ta ? (size_t)k * o->m + i : (size_t)i * o->k + k, t);
						y = get(b.cpu, o->tb ? (size_t)j * o->k + k : (size_t)k * o->n + j, t);
					}
					s += x * y;
					mag += fabs(x * y);
				}
				double got = ((float *)c.cpu)[(size_t)i * o->n + j];
				double tol = (q8 ? q8_rounds(o->k) : o->k + 4) * ldexp(1, -24) * mag +
					     1e-30;
				double ratio = fabs(got - s) / tol;
				if (ratio > worst)
					worst = ratio;
				if (!(ratio <= 1.0))
					bad++;
			}
		if (bad) {
			printf("check     FAILED: %llu of %llu elements outside the tolerance "
			       "(worst %.2fx)\n", (unsigned long long)bad, (unsigned long long)nc, worst);
			rc = CLI_EXIT_FAILURE;
		} else {
			printf("check     ok: %llu elements within tolerance (worst error %.3f of "
			       "the bound %s 2^-24 sum|a b|)\n", (unsigned long long)nc, worst,
			       q8 ? "(36 + ceil(B/32) + min(B,32))*1.01, B = K/32 blocks," : "(K+4)");
		}
	}
out:
	amdbare_bo_free(a.bo);
	amdbare_bo_free(b.bo);
	amdbare_bo_free(c.bo);
	return rc;
}

int cmd_gemm(const struct cli_globals *g, int argc, char **argv)
{
	struct gemm_opts o;
	int r = parse_opts(argc, argv, &o);
	if (r)
		return r > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	amdbare_device *dev = NULL;
	r = amdbare_device_open(g->device_index >= 0 ? g->device_index : 0, &dev);
	if (r < 0)
		return cli_report_open_failure(r);
	int rc = run(dev, &o);
	amdbare_device_close(dev);
	return rc;
}
