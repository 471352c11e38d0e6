/*
 * What `load` and `demo` share: their options, opening the device, and
 * the load itself with its report (the placement plan before any byte
 * moves, the progress, and the proof of where the tensors are).
 */
#include "load_report.h"
#include "cli_num.h"
#include "input_file.h"
#include "text_safe.h"

#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

static int parse_policy(const char *s, uint32_t *out)
{
	if (strcmp(s, "vram-then-gtt") == 0)
		*out = AMDBARE_MODEL_VRAM_THEN_GTT;
	else if (strcmp(s, "vram") == 0)
		*out = AMDBARE_MODEL_VRAM_ONLY;
	else if (strcmp(s, "gtt") == 0)
		*out = AMDBARE_MODEL_GTT_ONLY;
	else
		return -EINVAL;
	return 0;
}

static const char *policy_name(uint32_t p)
{
	return p == AMDBARE_MODEL_VRAM_ONLY ? "vram" : p == AMDBARE_MODEL_GTT_ONLY ? "gtt"
										 : "vram-then-gtt";
}

/* --vram-limit / --gtt-limit: the library reads 0 as "no limit", the
 * opposite of what 0 says, so 0 is refused with what to do instead. */
static bool parse_limit_opt(const char *opt, const char *text, const char *instead, uint64_t *out)
{
	if (cli_parse_size(opt, text, 0, UINT64_C(1) << 50, out) < 0)
		return false;
	if (*out == 0) {
		cli_error("%s 0 would leave the model no room there; %s (without %s there is no "
			  "limit)", opt, instead, opt);
		return false;
	}
	return true;
}

/* ---- progress ------------------------------------------------------------ */

struct progress_state {
	double last;
	bool shown;
};

static int show_progress(const amdbare_model_progress *p, void *user)
{
	struct progress_state *s = user;
	bool done = p->bytes_done == p->bytes_total;
	if (!done && p->elapsed_s - s->last < 0.1)
		return 0;
	s->last = p->elapsed_s;
	s->shown = true;
	double rate = p->elapsed_s > 0 ? (double)p->bytes_done / p->elapsed_s : 0;
	double eta = rate > 0 ? (double)(p->bytes_total - p->bytes_done) / rate : 0;
	char a[32], b[32], v1[32], v2[32], g1[32], g2[32];
	fprintf(stderr, "\r  %3.0f%%  %s / %s  %.2f GB/s  ETA %.0fs  VRAM %s/%s  GTT %s/%s   ",
		p->bytes_total ? 100.0 * (double)p->bytes_done / (double)p->bytes_total : 100.0,
		amdbare_format_size(p->bytes_done, a, sizeof(a)),
		amdbare_format_size(p->bytes_total, b, sizeof(b)), rate / 1e9, eta,
		amdbare_format_size(p->vram_done, v1, sizeof(v1)),
		amdbare_format_size(p->vram_total, v2, sizeof(v2)),
		amdbare_format_size(p->gtt_done, g1, sizeof(g1)),
		amdbare_format_size(p->gtt_total, g2, sizeof(g2)));
	fflush(stderr);
	return 0;
}

/* ---- text ---------------------------------------------------------------- */

static void shape_text(const amdbare_tensor_info *t, char *buf, size_t len)
{
	size_t used = (size_t)snprintf(buf, len, "[");
	for (uint32_t d = 0; d < t->n_dims && used < len; d++)
		used += (size_t)snprintf(buf + used, len - used, "%s%" PRIu64, d ? "," : "", t->shape[d]);
	if (used < len)
		snprintf(buf + used, len - used, "]");
}

static void print_plan(const amdbare_model *m, const amdbare_model_plan *p)
{
	char a[32], b[32], c[32], d[32], e[32];
	printf("plan: %u file%s, %u tensors, %s, policy %s", p->files, p->files == 1 ? "" : "s",
	       p->tensors, amdbare_format_size(p->bytes, a, sizeof(a)), policy_name(p->policy));
	if (p->overridden)
		printf(", %u placed by --place", p->overridden);
	printf("\n");
	printf("  %-6s %8s %12s %8s %12s %12s %12s\n", "domain", "tensors", "bytes", "buffers",
	       "reserved", "room", "budget");
	const amdbare_model_domain_plan *dp[2] = {&p->vram, &p->gtt};
	const char *names[2] = {"VRAM", "GTT"};
	for (int i = 0; i < 2; i++)
		printf("  %-6s %8u %12s %8u %12s %12s %12s\n", names[i], dp[i]->tensors,
		       amdbare_format_size(dp[i]->bytes, a, sizeof(a)), dp[i]->buffers,
		       amdbare_format_size(dp[i]->reserved, b, sizeof(b)),
		       amdbare_format_size(dp[i]->room, c, sizeof(c)),
		       amdbare_format_size(dp[i]->budget, d, sizeof(d)));
	if (p->vram_staged)
		printf("  VRAM is filled through a %s GTT staging ring and SDMA copies "
		       "(the CPU cannot map all of it)\n",
		       amdbare_format_size(p->staging_bytes, e, sizeof(e)));
	(void)m;
}

static void print_tensors(const amdbare_model *m, bool all)
{
	size_t n = amdbare_model_tensor_count(m), shown = all || n <= LOAD_TENSORS_SHOWN ? n : LOAD_TENSORS_SHOWN;
	printf("  %-40s %-6s %-16s %11s %-5s %-18s %s\n", "tensor", "dtype", "shape", "size",
	       "where", "GPU address", "checked");
	for (size_t i = 0; i < shown; i++) {
		amdbare_tensor_info t;
		if (amdbare_model_tensor(m, i, &t) < 0)
			break;
		char shape[64], sz[32], va[32];
		shape_text(&t, shape, sizeof(shape));
		if (t.bo)
			snprintf(va, sizeof(va), "0x%012" PRIx64, t.gpu_va);
		else
			snprintf(va, sizeof(va), "-");
		char note[96] = "", pat[80], name[256], dtype[32];
		if (t.placed_by)
			snprintf(note, sizeof(note), "  (--place %s)",
				 text_safe(t.placed_by, pat, sizeof(pat)));
		/* names and dtypes come from the file: escaped, so that no
		 * byte of a name can forge a line or drive the terminal */
		printf("  %-40s %-6s %-16s %11s %-5s %-18s %s%s\n", text_safe(t.name, name, sizeof(name)),
		       text_safe(amdbare_dtype_name(t.dtype), dtype, sizeof(dtype)), shape, amdbare_format_size(t.nbytes, sz, sizeof(sz)),
		       amdbare_domain_name(t.domain), va, t.verified ? "gpu checksum ok" : "-", note);
	}
	if (shown < n)
		printf("  ... %zu more (--tensors lists them all)\n", n - shown);
}

/* The process's growth must cover the model's buffers: exactly equal on
 * the vgpu; on a real kernel it may be larger (page tables the new GPU
 * mappings needed are charged to the same file), never smaller. */
static bool usage_covers(const amdbare_model_proof *pr)
{
	return pr->proc_vram_delta >= (int64_t)pr->held_vram &&
	       pr->proc_gtt_delta >= (int64_t)pr->held_gtt;
}

static const char *usage_verdict(const amdbare_model_proof *pr)
{
	if (pr->usage_matches)
		return "ok (exactly the model's buffers)";
	if (usage_covers(pr))
		return "ok (the model's buffers and more: page tables or other allocations)";
	return "LESS than the model's buffers";
}

static void print_proof(const amdbare_model_proof *pr)
{
	char a[32], b[32], c[32], d[32];
	double gbs = pr->stream_seconds > 0 ? (double)pr->bytes_read / pr->stream_seconds / 1e9 : 0;
	printf("load: %s read in %.3f s (%.2f GB/s)", amdbare_format_size(pr->bytes_read, a, sizeof(a)),
	       pr->stream_seconds, gbs);
	if (pr->bytes_staged)
		printf(", %s through the staging ring", amdbare_format_size(pr->bytes_staged, b, sizeof(b)));
	if (pr->used_o_direct)
		printf(", O_DIRECT");
	printf("\n");
	printf("proof:\n");
	printf("  model buffers hold       VRAM %10s   GTT %10s\n",
	       amdbare_format_size(pr->held_vram, a, sizeof(a)),
	       amdbare_format_size(pr->held_gtt, b, sizeof(b)));
	if (pr->have_process_usage)
		printf("  this process (fdinfo)    VRAM %10s   GTT %10s   %s\n",
		       report_signed_size(pr->proc_vram_delta, c, sizeof(c)),
		       report_signed_size(pr->proc_gtt_delta, d, sizeof(d)), usage_verdict(pr));
	else
		printf("  this process (fdinfo)    not available on this kernel\n");
	printf("  device-wide (INFO)       VRAM %10s   GTT %10s\n",
	       report_signed_size(pr->global_vram_delta, c, sizeof(c)),
	       report_signed_size(pr->global_gtt_delta, d, sizeof(d)));
	char note[512];
	if (pr->verify_skipped)
		printf("  integrity                GPU checksums skipped: %s\n",
		       text_safe(pr->verify_note, note, sizeof(note)));
	else
		printf("  integrity                %u tensor%s: GPU checksum == checksum of the file "
		       "bytes, %u mismatch%s (%.2f s)\n", pr->verified, pr->verified == 1 ? "" : "s",
		       pr->mismatched, pr->mismatched == 1 ? "" : "es", pr->verify_seconds);
}

/* ---- JSON ---------------------------------------------------------------- */

static void json_domain_plan(struct json_out *j, const char *key, const amdbare_model_domain_plan *d)
{
	json_object_begin(j, key);
	json_u64(j, "tensors", d->tensors);
	json_u64(j, "bytes", d->bytes);
	json_u64(j, "buffers", d->buffers);
	json_u64(j, "reserved", d->reserved);
	json_u64(j, "room", d->room);
	json_u64(j, "budget", d->budget);
	json_u64(j, "headroom", d->headroom);
	json_object_end(j);
}

static void json_report(const amdbare_device_info *info, const amdbare_model *m,
			const amdbare_model_plan *p, bool loaded, const char *error)
{
	struct json_out j;
	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	cli_json_header(&j, info);
	json_object_begin(&j, "device");
	cli_json_device_identity(&j, 0, info);
	json_object_end(&j);
	json_object_begin(&j, "plan");
	json_string(&j, "policy", policy_name(p->policy));
	json_u64(&j, "files", p->files);
	json_u64(&j, "tensors", p->tensors);
	json_u64(&j, "bytes", p->bytes);
	json_u64(&j, "overridden", p->overridden);
	json_bool(&j, "vram_staged", p->vram_staged);
	json_u64(&j, "staging_bytes", p->staging_bytes);
	json_domain_plan(&j, "vram", &p->vram);
	json_domain_plan(&j, "gtt", &p->gtt);
	json_bool(&j, "fits", p->fits);
	json_string(&j, "refusal", p->fits ? NULL : p->refusal);
	json_object_end(&j);
	json_array_begin(&j, "tensors");
	for (size_t i = 0; m && i < amdbare_model_tensor_count(m); i++) {
		amdbare_tensor_info t;
		if (amdbare_model_tensor(m, i, &t) < 0)
			break;
		json_object_begin(&j, NULL);
		json_string(&j, "name", t.name);
		json_string(&j, "dtype", amdbare_dtype_name(t.dtype));
		json_array_begin(&j, "shape");
		for (uint32_t d = 0; d < t.n_dims; d++)
			json_u64(&j, NULL, t.shape[d]);
		json_array_end(&j);
		json_u64(&j, "bytes", t.nbytes);
		json_string(&j, "file", t.file);
		json_u64(&j, "file_offset", t.file_offset);
		json_string(&j, "domain", amdbare_domain_name(t.domain));
		json_string(&j, "placed_by", t.placed_by);
		if (t.bo) {
			json_u64(&j, "gpu_va", t.gpu_va);
			json_u64(&j, "bo_handle", amdbare_bo_handle(t.bo));
			json_u64(&j, "bo_offset", t.bo_offset);
			char cs[24];
			snprintf(cs, sizeof(cs), "%016" PRIx64, t.checksum);
			json_string(&j, "checksum", cs);
			json_bool(&j, "verified", t.verified);
		}
		json_object_end(&j);
	}
	json_array_end(&j);
	if (loaded) {
		amdbare_model_proof pr;
		amdbare_model_get_proof(m, &pr);
		json_object_begin(&j, "proof");
		json_u64(&j, "bytes_read", pr.bytes_read);
		json_u64(&j, "bytes_staged", pr.bytes_staged);
		json_u64(&j, "stream_us", (uint64_t)(pr.stream_seconds * 1e6));
		json_bool(&j, "o_direct", pr.used_o_direct);
		json_u64(&j, "held_vram", pr.held_vram);
		json_u64(&j, "held_gtt", pr.held_gtt);
		json_u64(&j, "loaded_vram", pr.loaded_vram);
		json_u64(&j, "loaded_gtt", pr.loaded_gtt);
		json_bool(&j, "have_process_usage", pr.have_process_usage);
		json_i64(&j, "proc_vram_delta", pr.proc_vram_delta);
		json_i64(&j, "proc_gtt_delta", pr.proc_gtt_delta);
		json_i64(&j, "global_vram_delta", pr.global_vram_delta);
		json_i64(&j, "global_gtt_delta", pr.global_gtt_delta);
		json_bool(&j, "usage_matches", pr.usage_matches);
		json_bool(&j, "verify_skipped", pr.verify_skipped);
		json_string(&j, "verify_note", pr.verify_skipped ? pr.verify_note : NULL);
		json_u64(&j, "verified", pr.verified);
		json_u64(&j, "mismatched", pr.mismatched);
		json_object_end(&j);
	} else {
		json_null(&j, "proof");
	}
	json_string(&j, "error", error);
	json_object_end(&j);
	json_finish(&j);
}

/* ---- the shared flow ------------------------------------------------------- */

/* A --place pattern that matches no tensor name is most likely a typo:
 * said on stderr (the plan shows what was placed where). */
static void warn_unmatched_places(const amdbare_model *m, const amdbare_model_options *o)
{
	size_t n = amdbare_model_tensor_count(m);
	for (size_t i = 0; i < o->n_placements; i++) {
		const char *spec = o->placements[i];
		const char *eq = strrchr(spec, '=');
		if (!eq)
			continue;
		char pattern[512];
		snprintf(pattern, sizeof(pattern), "%.*s", (int)(eq - spec), spec);
		bool hit = false;
		for (size_t k = 0; k < n && !hit; k++) {
			amdbare_tensor_info t;
			if (amdbare_model_tensor(m, k, &t) == 0 && fnmatch(pattern, t.name, 0) == 0)
				hit = true;
		}
		if (!hit) {
			fflush(stdout);
			fputs("amdbare: warning: --place '", stderr);
			text_safe_fputs(spec, stderr);
			fprintf(stderr, "' matches no tensor of the model (%zu tensors); it placed "
				"nothing\n", n);
		}
	}
}

int load_and_report(amdbare_device *dev, const char *const *paths, size_t n_paths,
		    const amdbare_model_options *opt, const struct load_view *v,
		    amdbare_model **out)
{
	*out = NULL;
	amdbare_device_info info;
	amdbare_device_get_info(dev, &info);
	amdbare_model_options o = *opt;
	struct progress_state ps = {0};
	if (!v->quiet && !v->json && isatty(STDERR_FILENO)) {
		o.progress = show_progress;
		o.progress_user = &ps;
	}
	/* Every path a regular file, refused before it is opened (a FIFO
	 * would block the open), and no file given twice. */
	struct stat *seen = calloc(n_paths ? n_paths : 1, sizeof(*seen));
	if (!seen) {
		cli_error("out of memory");
		return CLI_EXIT_FAILURE;
	}
	for (size_t i = 0; i < n_paths; i++) {
		if (input_file_check("model file", paths[i], NULL) < 0) {
			free(seen);
			return CLI_EXIT_FAILURE;
		}
		if (stat(paths[i], &seen[i]) != 0) {
			cli_error("model file %s: %s", paths[i], strerror(errno));
			free(seen);
			return CLI_EXIT_FAILURE;
		}
		for (size_t k = 0; k < i; k++)
			if (seen[k].st_dev == seen[i].st_dev && seen[k].st_ino == seen[i].st_ino) {
				if (strcmp(paths[k], paths[i]) == 0)
					cli_error("model file %s is given twice", paths[i]);
				else
					cli_error("model files %s and %s are the same file (given twice)",
						  paths[k], paths[i]);
				free(seen);
				return CLI_EXIT_USAGE;
			}
	}
	free(seen);
	amdbare_model *m = NULL;
	int rc = amdbare_model_open(dev, paths, n_paths, &o, &m);
	if (rc < 0) {
		if (v->json) {
			amdbare_model_plan empty;
			memset(&empty, 0, sizeof(empty));
			empty.policy = o.policy;
			json_report(&info, NULL, &empty, false, amdbare_last_error());
		}
		return cli_report_failure(rc, "opening the model");
	}
	warn_unmatched_places(m, &o);
	amdbare_model_plan p;
	amdbare_model_get_plan(m, &p);
	if (!v->json) {
		print_plan(m, &p);
		if (!p.fits) {
			char safe[sizeof(p.refusal) * 2];
			printf("  refused: %s\n", text_safe(p.refusal, safe, sizeof(safe)));
		}
	}
	if (v->plan_only || !p.fits) {
		if (v->json)
			json_report(&info, m, &p, false, p.fits ? NULL : p.refusal);
		else
			print_tensors(m, v->list_all);
		fflush(stdout);
		amdbare_model_free(m);
		if (!p.fits) {
			cli_error("%s", p.refusal);
			return CLI_EXIT_FAILURE;
		}
		return CLI_EXIT_OK;
	}
	rc = amdbare_model_load(m);
	if (ps.shown)
		fputc('\n', stderr);
	char err[512] = "";
	if (rc < 0)
		snprintf(err, sizeof(err), "%s", amdbare_last_error());
	/* The plan as executed (re-made at load time with the heaps as they were). */
	amdbare_model_get_plan(m, &p);
	if (v->json) {
		json_report(&info, m, &p, rc == 0, rc < 0 ? err : NULL);
	} else {
		print_tensors(m, v->list_all);
		if (rc == 0) {
			amdbare_model_proof pr;
			amdbare_model_get_proof(m, &pr);
			print_proof(&pr);
		}
	}
	fflush(stdout);
	if (rc < 0) {
		cli_error("%s", err);
		amdbare_model_free(m);
		return CLI_EXIT_FAILURE;
	}
	amdbare_model_proof pr;
	amdbare_model_get_proof(m, &pr);
	if (pr.have_process_usage && !usage_covers(&pr)) {
		cli_error("this process's usage grew by VRAM %" PRId64 " / GTT %" PRId64 " bytes, less "
			  "than the %" PRIu64 " / %" PRIu64 " bytes of the model's buffers: the kernel "
			  "does not count them where they were placed", pr.proc_vram_delta,
			  pr.proc_gtt_delta, pr.held_vram, pr.held_gtt);
		amdbare_model_free(m);
		return CLI_EXIT_FAILURE;
	}
	*out = m;
	return CLI_EXIT_OK;
}

/* ---- options ---------------------------------------------------------------- */

int parse_load_options(int argc, char **argv, amdbare_model_options *o,
			      struct load_view *v, const char **place, void (*help)(FILE *))
{
	static const struct option opts[] = {
		{"plan-only", no_argument, NULL, 'P'},
		{"policy", required_argument, NULL, 'p'},
		{"place", required_argument, NULL, 'l'},
		{"vram-limit", required_argument, NULL, 'V'},
		{"gtt-limit", required_argument, NULL, 'G'},
		{"no-verify", no_argument, NULL, 'n'},
		{"stage-vram", no_argument, NULL, 's'},
		{"o-direct", no_argument, NULL, 'D'},
		{"chunk", required_argument, NULL, 'c'},
		{"tensors", no_argument, NULL, 't'},
		{"json", no_argument, NULL, 'j'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	amdbare_model_options_init(o);
	memset(v, 0, sizeof(*v));
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":hqj", opts, NULL)) != -1) {
		switch (c) {
		case 'P': v->plan_only = true; break;
		case 'p':
			if (parse_policy(optarg, &o->policy) < 0) {
				cli_error("--policy: '%s' is not vram-then-gtt, vram or gtt", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'l':
			if (o->n_placements == LOAD_MAX_PLACE) {
				cli_error("--place: at most %d patterns", LOAD_MAX_PLACE);
				return CLI_EXIT_USAGE;
			}
			{
				const char *eq = strrchr(optarg, '=');
				if (!eq || eq == optarg) {
					cli_error("--place: '%s' is not PATTERN=DOMAIN (e.g. '*embed*=gtt')",
						  optarg);
					return CLI_EXIT_USAGE;
				}
				if (strcasecmp(eq + 1, "vram") && strcasecmp(eq + 1, "gtt")) {
					cli_error("--place: '%s': domain '%s' is not vram or gtt",
						  optarg, eq + 1);
					return CLI_EXIT_USAGE;
				}
			}
			place[o->n_placements++] = optarg;
			break;
		case 'V':
			if (!parse_limit_opt("--vram-limit", optarg,
					     "to keep the model out of VRAM use --policy gtt",
					     &o->vram_limit))
				return CLI_EXIT_USAGE;
			break;
		case 'G':
			if (!parse_limit_opt("--gtt-limit", optarg,
					     "to keep the model out of GTT use --policy vram",
					     &o->gtt_limit))
				return CLI_EXIT_USAGE;
			break;
		case 'n': o->flags |= AMDBARE_MODEL_NO_VERIFY; break;
		case 's': o->flags |= AMDBARE_MODEL_STAGE_VRAM; break;
		case 'D': o->flags |= AMDBARE_MODEL_O_DIRECT; break;
		case 'c':
			/* the library's range (amdbare_model_open), refused here as
			 * a usage error; 0 would silently mean the default */
			if (cli_parse_size("--chunk", optarg, 4096, UINT64_C(256) << 20,
					   &o->chunk_size) < 0)
				return CLI_EXIT_USAGE;
			if (o->chunk_size % 4096) {
				cli_error("--chunk '%s': not a multiple of 4 KiB (reads stay page-aligned)",
					  optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 't': v->list_all = true; break;
		case 'j': v->json = true; break;
		case 'q': v->quiet = true; break;
		case 'h': help(stdout); return -1;
		case ':':
			cli_error("option %s needs a value", argv[optind - 1]);
			return CLI_EXIT_USAGE;
		default:
			cli_error("unknown option '%s' (see amdbare help %s)", argv[optind - 1], argv[0]);
			return CLI_EXIT_USAGE;
		}
	}
	o->placements = place;
	return 0;
}

int cmd_model_open_device(const struct cli_globals *g, bool json, amdbare_device **dev)
{
	int rc = amdbare_device_open(g->device_index >= 0 ? g->device_index : 0, dev);
	if (rc < 0)
		return cli_report_open_failure(rc);
	amdbare_device_info info;
	amdbare_device_get_info(*dev, &info);
	if (info.is_virtual && !json) {
		char banner[192];
		vgpu_banner(banner, sizeof(banner), info.virtual_profile);
		printf("%s\n", banner);
	}
	return CLI_EXIT_OK;
}
