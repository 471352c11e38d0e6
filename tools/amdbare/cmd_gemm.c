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
#include "cli_num.h"
#include "progress.h"
#include "text_safe.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
	return cli_parse_u32(opt, text, 1, UINT32_MAX, out);
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
	const char *name;      /* "A", "W", ... */
	uint64_t bytes;
	amdbare_bo *bo;
	void *cpu;
	amdbare_placement pl;  /* measured at creation and after the CPU touch */
};

/* Creates the buffer, then writes every page from the CPU once
 * (amdbare_bo_touch) before the data goes in: that first CPU access is
 * where the kernel moves a buffer out of CPU-invisible VRAM, and the touch
 * measures it, so m->pl says where the buffer is when the GPU reads it. */
static int mat_new(amdbare_device *dev, uint32_t domain, struct mat *m)
{
	amdbare_bo_create_info ci = {.size = m->bytes, .domains = domain,
				     .flags = AMDBARE_BO_CPU_ACCESS};
	int r = amdbare_bo_create(dev, &ci, &m->bo);
	if (!r)
		r = amdbare_bo_touch(m->bo, 0);
	if (!r)
		r = amdbare_bo_cpu_map(m->bo, &m->cpu);
	if (!r)
		r = amdbare_bo_get_placement(m->bo, &m->pl);
	return r;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- peaks ------------------------------------------------------------------- */

/* FLOPs per clock per CU of what the kernel multiplies with, and its name.
 * gfx11, from AMD's published RX 7900 XTX figures (96 CUs at 2.5 GHz):
 * f16/bf16 WMMA 122.8 TFLOPS = 512 (one 16x16x16 WMMA, 8192 FLOPs, per 32
 * clocks on each of a CU's 2 SIMDs); f32 61.4 TFLOPS = 256, which needs
 * dual issue (VOPD), 128 without.  gfx10.3 (no WMMA, no VOPD), from the RX
 * 6800 XT's (72 CUs at 2.25 GHz): f32 20.7 TFLOPS = 128 (64 lanes x one
 * FMA); f16 41.5 TFLOPS = 256, the packed-f16 rate, which v_dot2_f32_f16
 * (2 products and 2 adds per lane) is taken to run at; bf16 has no dot
 * instruction there and runs as widened f32 FMAs: 128. */
static int flops_per_clock_cu(const amdbare_device_info *in, amdbare_dtype t, bool f32_alu,
			      const char **what)
{
	/* gfx9 (GCN 5: 4 SIMD16 per CU, no WMMA), from the MI50's published
	 * figures (60 CUs at 1.725 GHz): f32 13.3 TFLOPS = 128; f16 26.5
	 * TFLOPS = 256, the packed rate, which v_dot2_f32_f16 is taken to run
	 * at where the target has it (gfx906/908/90a); elsewhere f16, and bf16
	 * everywhere, run as widened f32 FMAs: 128.  gfx90a's f16 GEMM runs on
	 * the matrix cores (gemm_f16_mfma, v_mfma_f32_32x32x8f16), from the
	 * MI210's published figures (104 CUs at 1.7 GHz, 181 TFLOPS f16
	 * matrix): 1024. */
	if (in->gc_major == 9) {
		if (!f32_alu && t == AMDBARE_DTYPE_F16 && !strcmp(in->gfx_target, "gfx90a")) {
			*what = "v_mfma_f32_32x32x8f16";
			return 1024;
		}
		bool dot = !strcmp(in->gfx_target, "gfx906") || !strcmp(in->gfx_target, "gfx908") ||
			   !strcmp(in->gfx_target, "gfx90a");
		if (f32_alu || t == AMDBARE_DTYPE_BF16 || !dot) {
			*what = f32_alu ? "f32 FMA" : "f32 FMA, 16-bit widened";
			return 128;
		}
		*what = "v_dot2_f32_f16";
		return 256;
	}
	bool gfx10 = in->gc_major == 10;
	if (f32_alu || (gfx10 && t == AMDBARE_DTYPE_BF16)) {
		*what = gfx10 && !f32_alu ? "f32 FMA, bf16 widened" : "f32 FMA";
		return gfx10 ? 128 : 256;
	}
	*what = gfx10 ? "v_dot2_f32_f16" : "WMMA";
	return gfx10 ? 256 : 512;
}

static double peak_flops(const amdbare_device_info *in, int per_cu)
{
	return in->cu_count * (double)in->max_engine_clock_mhz * 1e6 * per_cu;
}

/* DRAM bandwidth estimate: bus bytes x transfers per second.  DEV_INFO
 * gives the memory clock, not the type: APUs (DDR4/DDR5/LPDDR5x) and HBM
 * (a bus of 1024 bits or more: the gfx9 dGPUs) transfer twice per clock,
 * gfx11 and gfx10.3 dGPUs (GDDR6) sixteen times. */
static double peak_bandwidth(const amdbare_device_info *in)
{
	double rate = in->is_apu || in->vram_bit_width >= 1024 ? 2.0 : 16.0;
	return in->vram_bit_width / 8.0 * in->max_memory_clock_mhz * 1e6 * rate;
}

/* The GPU's peak for reading a buffer where it really is.  On an APU, VRAM
 * and GTT are the same DRAM.  On a dGPU, GTT is system memory read across
 * PCIe: gfx11 and gfx10.3 dGPUs are PCIe 4.0 x16, 16 GT/s x 16 lanes x
 * 128/130, 31.5 GB/s per direction (the kernel's DEV_INFO does not give
 * the link). */
#define PCIE4_X16_BYTES_PER_S 31.5e9

static double domain_bandwidth(const amdbare_device_info *in, uint32_t domain, const char **what)
{
	if (in->is_apu || domain != AMDBARE_DOMAIN_GTT) {
		*what = in->is_apu ? "estimated DRAM peak" : "estimated VRAM peak";
		return peak_bandwidth(in);
	}
	*what = "estimated PCIe 4.0 x16 peak, GTT";
	return PCIE4_X16_BYTES_PER_S;
}

/* Where the operand is: the measured domain, or the asked one when the
 * measurement could not tell (then said as "unknown"). */
static uint32_t mat_domain(const struct mat *m, uint32_t asked)
{
	return m->pl.actual_domain ? m->pl.actual_domain : asked;
}

static const char *mat_where(const struct mat *m, char *buf, size_t len)
{
	if (m->pl.actual_domain == AMDBARE_DOMAIN_VRAM)
		snprintf(buf, len, "VRAM (%s)", m->pl.cpu_visible ? "CPU-visible" : "CPU-invisible");
	else if (m->pl.actual_domain)
		snprintf(buf, len, "%s", amdbare_domain_name(m->pl.actual_domain));
	else
		snprintf(buf, len, "unknown");
	return buf;
}

/* ---- what fits ---------------------------------------------------------------- */

/* MemAvailable from /proc/meminfo in bytes, 0 when unknown. */
static uint64_t host_available(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	if (!f)
		return 0;
	char line[128];
	unsigned long long kib = 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1)
			break;
	fclose(f);
	return (uint64_t)kib * 1024;
}

static uint64_t heap_free(const amdbare_heap_info *h)
{
	return h->usable > h->used ? h->usable - h->used : 0;
}

/* Before anything is allocated or written: refuses (exit 1) operands the
 * heaps cannot hold, says which will land in GTT though VRAM was asked
 * for, and refuses a CPU fill larger than the memory the host has
 * available (the vgpu and an APU hold every buffer in host RAM; GTT is
 * host RAM everywhere). */
static int check_fits(amdbare_device *dev, const amdbare_device_info *in, uint32_t domain,
		      struct mat *ms, int n)
{
	amdbare_memory_info mem;
	int r = amdbare_device_query_memory(dev, &mem);
	if (r == -EOPNOTSUPP)
		return 0; /* no heap sizes to check against: the kernel judges */
	if (r < 0)
		return cli_report_failure(r, "querying the memory heaps");
	char a[32], b[32], c[32];
	uint64_t total = 0;
	for (int i = 0; i < n; i++) {
		const struct mat *m = &ms[i];
		total += m->bytes;
		bool vram_ok = m->bytes <= mem.vram.max_allocation;
		bool gtt_ok = m->bytes <= mem.gtt.max_allocation;
		if (domain == AMDBARE_DOMAIN_GTT ? !gtt_ok : !vram_ok && !gtt_ok) {
			cli_error("%s (%s) is larger than the largest buffer the kernel allows "
				  "(VRAM %s, GTT %s); refused before allocating anything", m->name,
				  amdbare_format_size(m->bytes, a, sizeof(a)),
				  amdbare_format_size(mem.vram.max_allocation, b, sizeof(b)),
				  amdbare_format_size(mem.gtt.max_allocation, c, sizeof(c)));
			return CLI_EXIT_FAILURE;
		}
		if (domain == AMDBARE_DOMAIN_VRAM && !vram_ok) {
			fflush(stdout);
			fprintf(stderr, "amdbare: warning: %s (%s) is larger than the largest VRAM "
				"buffer (%s): the kernel will place it in GTT\n", m->name,
				amdbare_format_size(m->bytes, a, sizeof(a)),
				amdbare_format_size(mem.vram.max_allocation, b, sizeof(b)));
		}
	}
	uint64_t room = heap_free(&mem.gtt) + (domain == AMDBARE_DOMAIN_VRAM ? heap_free(&mem.vram) : 0);
	if (total > room) {
		cli_error("the operands take %s; %s free is %s; refused before allocating anything",
			  amdbare_format_size(total, a, sizeof(a)),
			  domain == AMDBARE_DOMAIN_VRAM ? "VRAM + GTT" : "GTT",
			  amdbare_format_size(room, b, sizeof(b)));
		return CLI_EXIT_FAILURE;
	}
	uint64_t host = host_available();
	if ((in->is_virtual || in->is_apu || domain == AMDBARE_DOMAIN_GTT) && host && total > host) {
		cli_error("the operands take %s, filled from the CPU, and this machine has %s of "
			  "memory available (MemAvailable)%s; refused before allocating anything",
			  amdbare_format_size(total, a, sizeof(a)), amdbare_format_size(host, b, sizeof(b)),
			  in->is_virtual ? ": the virtual device keeps every buffer in host memory" : "");
		return CLI_EXIT_FAILURE;
	}
	return 0;
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
	/* GEMV: a = x (K), b = W (N x K), c = y; GEMM: A, B, C as stored */
	struct mat ms[3] = {
		{.name = o->gemv ? "x" : "A", .bytes = na * es},
		{.name = o->gemv ? "W" : "B", .bytes = b_bytes},
		{.name = o->gemv ? "y" : "C", .bytes = nc * 4},
	};
	struct mat *a = &ms[0], *b = &ms[1], *c = &ms[2];
	int rc = check_fits(dev, &info, o->domain, ms, 3), r = 0;
	if (rc)
		return rc;
	/* The vgpu interprets every instruction: some 2^28 multiply-adds
	 * already take longer than its default 10 s lockup timeout. */
	double macs = (double)o->m * o->n * o->k * (o->iters + 1);
	if (info.is_virtual && macs > 268435456.0) {
		fflush(stdout);
		fprintf(stderr, "amdbare: warning: %.3g multiply-adds on the virtual device, which "
			"interprets every instruction on the CPU: this takes long and may pass the "
			"vgpu's lockup timeout (AMDBARE_VGPU_TIMEOUT_MS, default 10 s)\n", macs);
	}
	rc = CLI_EXIT_FAILURE;
	/* W first for GEMV: the big operand gets the asked domain's room */
	int order[3] = {1, 0, 2};
	for (int i = 0; i < 3; i++) {
		struct mat *m = &ms[order[i]];
		if ((r = mat_new(dev, o->domain, m))) {
			char what[64];
			snprintf(what, sizeof(what), "allocating %s", m->name);
			cli_report_failure(r, what);
			goto out;
		}
	}
	struct progress pg;
	progress_begin(&pg, "filling the operands from the CPU", na + nb + nc);
	for (uint64_t i = 0; i < na; i++) {
		put(a->cpu, i, xt, rnd());
		if ((i & 0xffff) == 0)
			progress_update(&pg, i);
	}
	if (q8) {
		for (uint64_t blk = 0; blk < nb / 32; blk += 2048) {
			uint64_t cnt = nb / 32 - blk < 2048 ? nb / 32 - blk : 2048;
			q8_fill((uint8_t *)b->cpu + blk * Q8_BYTES, cnt);
			progress_update(&pg, na + blk * 32);
		}
	} else {
		for (uint64_t i = 0; i < nb; i++) {
			put(b->cpu, i, t, rnd());
			if ((i & 0xffff) == 0)
				progress_update(&pg, na + i);
		}
	}
	memset(c->cpu, 0, nc * 4);
	progress_end(&pg);
	amdbare_gemm_desc g = {
		.m = o->m, .n = o->n, .k = o->k, .trans_a = o->ta, .trans_b = o->tb,
		.alpha = 1, .beta = 0,
		.a = amdbare_tensor(a->bo, 0, t), .b = amdbare_tensor(b->bo, 0, t),
		.c = amdbare_tensor(c->bo, 0, AMDBARE_DTYPE_F32),
	};
	amdbare_gemv_desc v = {
		.n = o->n, .k = o->k, .alpha = 1, .beta = 0,
		.w = amdbare_tensor(b->bo, 0, t), .x = amdbare_tensor(a->bo, 0, xt),
		.y = amdbare_tensor(c->bo, 0, AMDBARE_DTYPE_F32),
	};
	/* This process's usage before the runs: a change by the end means the
	 * kernel moved an operand while the GPU used it. */
	amdbare_process_usage u0, u1;
	bool have_u = amdbare_device_query_process_usage(dev, &u0) == 0;
	progress_status(&pg, info.is_virtual ? "running on the virtual device (emulated)"
					     : "running on the GPU");
	/* untimed first run: loads and uploads the kernel module */
	r = o->gemv ? amdbare_gemv(dev, &v) : amdbare_gemm(dev, &g);
	if (r) {
		progress_end(&pg);
		cli_report_failure(r, o->gemv ? "gemv" : "gemm");
		goto out;
	}
	amdbare_dispatcher *d = NULL;
	if ((r = amdbare_dispatcher_create(dev, &d))) {
		progress_end(&pg);
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
	progress_end(&pg);
	if (r) {
		cli_report_failure(r, "running");
		goto out;
	}
	have_u = have_u && amdbare_device_query_process_usage(dev, &u1) == 0;
	const char *tn = amdbare_dtype_name(t);
	char gfx[32], name[160];
	text_safe(info.gfx_target, gfx, sizeof(gfx));
	text_safe(info.marketing_name, name, sizeof(name));
	if (o->gemv)
		printf("gemv %ux%u %s weights%s, f32 y, on %s (%s), %s asked for\n", o->n, o->k, tn,
		       q8 ? ", f32 x" : " and x", gfx, name, amdbare_domain_name(o->domain));
	else
		printf("gemm %ux%ux%u %s%s%s -> f32 on %s (%s), %s asked for\n", o->m, o->n, o->k, tn,
		       o->ta ? ", A transposed" : "", o->tb ? ", B transposed" : "", gfx, name,
		       amdbare_domain_name(o->domain));
	/* Where each operand really is, as `alloc` measures it. */
	bool moved = false;
	for (int i = 0; i < 3; i++) {
		struct mat *m = &ms[order[i]];
		char sz[32], w[48];
		printf("placed    %-2s %10s in %-19s confidence %s\n", m->name,
		       amdbare_format_size(m->bytes, sz, sizeof(sz)), mat_where(m, w, sizeof(w)),
		       report_confidence_name((int)m->pl.confidence));
		if (m->pl.actual_domain && m->pl.actual_domain != o->domain) {
			moved = true;
			fflush(stdout);
			fprintf(stderr, "amdbare: warning: %s was asked for %s and is in %s (%s)\n",
				m->name, amdbare_domain_name(o->domain), w,
				m->pl.migrated ? "moved out when the CPU first wrote it"
					       : "the kernel placed it there at creation");
		}
	}
	/* The runs only add buffers of their own (the kernel module, the
	 * dispatcher's); usage going down in a heap means something of
	 * this process left it while the GPU worked. */
	if (have_u && (u1.vram < u0.vram || u1.gtt < u0.gtt)) {
		char dv[32], dg[32];
		printf("note      the kernel moved memory of this process during the runs (vram %s, "
		       "gtt %s): the placements above are from before them\n",
		       report_signed_size((int64_t)(u1.vram - u0.vram), dv, sizeof(dv)),
		       report_signed_size((int64_t)(u1.gtt - u0.gtt), dg, sizeof(dg)));
	}
	const char *emu = info.is_virtual ? " [emulated]" : "";
	printf("time      %.3f ms per %s (%u in one submission)%s\n", secs * 1e3,
	       o->gemv ? "GEMV" : "GEMM", o->iters, emu);
	double flops = 2.0 * o->m * (double)o->n * o->k;
	/* the q8_0 kernel multiplies in f32 (v_fmac_f32), like f32 */
	bool f32_alu = t == AMDBARE_DTYPE_F32 || q8;
	const char *alu;
	int per_cu = flops_per_clock_cu(&info, t, f32_alu, &alu);
	double peak = peak_flops(&info, per_cu);
	printf("rate      %.3f GFLOP/s = %.4f %% of %.1f TFLOPS (%s peak: %u CUs x %u MHz x %d)%s\n",
	       flops / secs * 1e-9, 100.0 * flops / secs / peak, peak * 1e-12,
	       alu, info.cu_count, info.max_engine_clock_mhz, per_cu, emu);
	if (o->gemv) {
		const char *what;
		double bytes = (double)b_bytes;
		double bw = domain_bandwidth(&info, mat_domain(b, o->domain), &what);
		printf("bandwidth %.3f GB/s of W = %.4f %% of %.1f GB/s (%s, where W is)%s\n",
		       bytes / secs * 1e-9, 100.0 * bytes / secs / bw, bw * 1e-9, what, emu);
	}
	/* The roofline: the least time the operands' bytes take to move, each
	 * at the peak of the memory it is really in, or the FLOPs at peak. */
	double t_mem = 0;
	for (int i = 0; i < 3; i++) {
		const char *what;
		t_mem += (double)ms[i].bytes / domain_bandwidth(&info, mat_domain(&ms[i], o->domain), &what);
	}
	double t_flop = flops / peak, t_min = t_mem > t_flop ? t_mem : t_flop;
	printf("roofline  %.3f ms (%s-bound: each operand at the peak of where it is) = %.4f %% "
	       "reached%s\n", t_min * 1e3, t_mem > t_flop ? "memory" : "compute",
	       100.0 * t_min / secs, emu);
	if (moved)
		printf("note      an operand is not where it was asked for (warning on stderr); the "
		       "numbers above use where it is\n");
	if (info.is_virtual)
		printf("note      emulated: the vgpu interprets every instruction on the CPU; "
		       "these times say nothing about a GPU\n");
	rc = CLI_EXIT_OK;
	if (o->check) {
		/* tolerance of docs/kernels.md: f32 accumulation over K terms */
		double worst = 0;
		uint64_t bad = 0;
		progress_begin(&pg, "checking against the CPU reference", (uint64_t)o->m * o->n);
		for (uint32_t i = 0; i < o->m; i++)
			for (uint32_t j = 0; j < o->n; j++) {
				double s = 0, mag = 0;
				for (uint32_t k = 0; k < o->k; k++) {
					double x, y;
					if (o->gemv) {
						x = get(a->cpu, k, xt);
						y = q8 ? q8_get(b->cpu, o->k, j, k)
						       : get(b->cpu, (size_t)j * o->k + k, t);
					} else {
						x = get(a->cpu, o->ta ? (size_t)k * o->m + i : (size_t)i * o->k + k, t);
						y = get(b->cpu, o->tb ? (size_t)j * o->k + k : (size_t)k * o->n + j, t);
					}
					s += x * y;
					mag += fabs(x * y);
				}
				double got = ((float *)c->cpu)[(size_t)i * o->n + j];
				double tol = (q8 ? q8_rounds(o->k) : o->k + 4) * ldexp(1, -24) * mag +
					     1e-30;
				double ratio = fabs(got - s) / tol;
				if (ratio > worst)
					worst = ratio;
				if (!(ratio <= 1.0))
					bad++;
				progress_update(&pg, (uint64_t)i * o->n + j);
			}
		progress_end(&pg);
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
	amdbare_bo_free(a->bo);
	amdbare_bo_free(b->bo);
	amdbare_bo_free(c->bo);
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
