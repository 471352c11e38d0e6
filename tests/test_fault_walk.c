/*
 * The exhaustive ioctl-failure walk.  A "path" is one whole user-level
 * operation, from opening the device to closing it.  For each errno of
 * interest the walker makes ioctl call 1 of the path fail, runs it, then
 * call 2, call 3, ... until the path completes without meeting the
 * injected failure.  After every step it asserts:
 *
 *  - a failure is a clear error: a negative errno and a non-empty message;
 *  - EINTR and EAGAIN are retried (libdrm's drmIoctl repeats the call;
 *    every ioctl of the library and of libdrm_amdgpu goes through it), so
 *    the path succeeds;
 *  - nothing is left open in the device once the path has cleaned up;
 *  - a path that reports success produced the right output (the path
 *    function checks its output before it returns 0).
 *
 * Adding a path is one function `static int path_x(char *why, size_t cap)`
 * that runs the operation, cleans up whatever happened, returns 0 only
 * after checking the result (or a negative errno, with the message it got
 * in `why`), plus one Test calling walk().  Four paths exist: kernel
 * dispatch, SDMA copy, the model loader (a small safetensors file
 * opened, planned, streamed into VRAM/GTT, checked byte for byte, freed),
 * and reset recovery (a job faults, the context is re-created, the work
 * is done again).
 */
#include "amdbare.h"
#include "util/error.h"
#include "vgpu_fault.h"
#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

TestSuite(fault_walk, .timeout = 600);

static void setup_instance(void)
{
	vgpu_test_use_profile("780m", "AMDBARE_VGPU_TIMEOUT_MS", "2000", NULL);
	vgpu_fault_require();
}

/* Keeps the message of the first failure (later cleanup may overwrite it). */
static int fail(char *why, size_t cap, int r)
{
	snprintf(why, cap, "%s", amdbare_last_error());
	return r;
}

/* ---- path: upload a code object, dispatch, wait, read back --------------- */

#define DISPATCH_N 256u

static amdbare_codeobj *walk_co;
static const amdbare_kernel_info *walk_kernel;

static void load_code_object(void)
{
	if (walk_co)
		return;
	char path[4096];
	const char *top = getenv("AMDBARE_TOP");
	snprintf(path, sizeof(path), "%s/tests/diff/int.co", top ? top : ".");
	cr_assert_eq(amdbare_codeobj_load_file(path, &walk_co), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_codeobj_find_kernel(walk_co, "i_add", &walk_kernel), 0, "%s",
		     amdbare_last_error());
}

static int make_buffer(amdbare_device *dev, uint32_t domain, amdbare_bo **bo, uint32_t **cpu)
{
	amdbare_bo_create_info ci = {.size = DISPATCH_N * 4, .domains = domain,
				     .flags = AMDBARE_BO_CPU_ACCESS};
	int r = amdbare_bo_create(dev, &ci, bo);
	void *p = NULL;
	if (r == 0)
		r = amdbare_bo_cpu_map(*bo, &p);
	*cpu = p;
	return r;
}

static int path_dispatch(char *why, size_t cap)
{
	amdbare_device *dev = NULL;
	amdbare_bo *code = NULL, *o = NULL, *a = NULL, *b = NULL;
	uint32_t *po = NULL, *pa = NULL, *pb = NULL;
	uint64_t va = 0;
	int r = amdbare_device_open(0, &dev);
	if (r < 0)
		return fail(why, cap, r);
	if ((r = amdbare_codeobj_upload(walk_co, dev, &code, &va)) < 0 ||
	    (r = make_buffer(dev, AMDBARE_DOMAIN_GTT, &o, &po)) < 0 ||
	    (r = make_buffer(dev, AMDBARE_DOMAIN_VRAM, &a, &pa)) < 0 ||
	    (r = make_buffer(dev, AMDBARE_DOMAIN_GTT, &b, &pb)) < 0) {
		r = fail(why, cap, r);
		goto out;
	}
	for (uint32_t i = 0; i < DISPATCH_N; i++) {
		pa[i] = i * 7u;
		pb[i] = 1000u + i;
		po[i] = 0xffffffffu;
	}
	amdbare_karg args[3] = {amdbare_karg_buffer(o, 0), amdbare_karg_buffer(a, 0),
				amdbare_karg_buffer(b, 0)};
	amdbare_dispatch_info di = {.kernel = walk_kernel, .code_bo = code, .code_va = va,
				    .grid = {DISPATCH_N / 64, 1, 1}, .block = {64, 1, 1},
				    .args = args, .arg_count = 3};
	r = amdbare_dispatch(dev, &di);
	if (r < 0) {
		r = fail(why, cap, r);
		goto out;
	}
	/* success: the output must be right */
	for (uint32_t i = 0; i < DISPATCH_N; i++)
		cr_assert_eq(po[i], i * 7u + 1000u + i, "dispatch reported success but element %u "
			     "is %u", i, po[i]);
out:
	amdbare_bo_free(b);
	amdbare_bo_free(a);
	amdbare_bo_free(o);
	amdbare_bo_free(code);
	amdbare_device_close(dev);
	return r;
}

/* ---- path: SDMA copy GTT -> VRAM, read back --------------------------------- */

static int path_sdma_copy(char *why, size_t cap)
{
	amdbare_device *dev = NULL;
	amdbare_bo *src = NULL, *dst = NULL;
	uint32_t *ps = NULL, *pd = NULL;
	int r = amdbare_device_open(0, &dev);
	if (r < 0)
		return fail(why, cap, r);
	if ((r = make_buffer(dev, AMDBARE_DOMAIN_GTT, &src, &ps)) < 0 ||
	    (r = make_buffer(dev, AMDBARE_DOMAIN_VRAM, &dst, &pd)) < 0) {
		r = fail(why, cap, r);
		goto out;
	}
	for (uint32_t i = 0; i < DISPATCH_N; i++) {
		ps[i] = 0x12340000u + i;
		pd[i] = 0;
	}
	r = amdbare_copy(dev, dst, 0, src, 0, DISPATCH_N * 4);
	if (r < 0) {
		r = fail(why, cap, r);
		goto out;
	}
	for (uint32_t i = 0; i < DISPATCH_N; i++)
		cr_assert_eq(pd[i], 0x12340000u + i, "copy reported success but element %u is "
			     "0x%x", i, pd[i]);
out:
	amdbare_bo_free(dst);
	amdbare_bo_free(src);
	amdbare_device_close(dev);
	return r;
}

/* ---- path: load a small safetensors model ----------------------------------- */

static char model_path[64];
static uint8_t model_data[1536];

/* Two tensors: "a" F32[256] and "b" U8[512], data right after the header. */
static void write_model(void)
{
	if (model_path[0])
		return;
	snprintf(model_path, sizeof(model_path), "/tmp/amdbare-fault-walk-%d.safetensors",
		 (int)getpid());
	char hdr[256];
	int n = snprintf(hdr, sizeof(hdr),
			 "{\"a\":{\"dtype\":\"F32\",\"shape\":[256],\"data_offsets\":[0,1024]},"
			 "\"b\":{\"dtype\":\"U8\",\"shape\":[512],\"data_offsets\":[1024,1536]}}");
	while (n % 8)
		hdr[n++] = ' ';
	for (size_t i = 0; i < sizeof(model_data); i++)
		model_data[i] = (uint8_t)(i * 37u + 11u);
	FILE *f = fopen(model_path, "wb");
	cr_assert(f, "cannot write %s", model_path);
	uint64_t len = (uint64_t)n;
	fwrite(&len, 8, 1, f);
	fwrite(hdr, 1, (size_t)n, f);
	fwrite(model_data, 1, sizeof(model_data), f);
	cr_assert_eq(fclose(f), 0);
}

static void check_tensor(amdbare_model *m, const char *name, const uint8_t *want, size_t n)
{
	amdbare_tensor_info ti;
	cr_assert_eq(amdbare_model_find(m, name, &ti), 0, "%s", amdbare_last_error());
	cr_assert_eq(ti.nbytes, n);
	cr_assert(ti.bo, "load reported success but tensor %s has no buffer", name);
	if (ti.cpu_ptr)
		cr_assert(memcmp(ti.cpu_ptr, want, n) == 0, "load reported success but tensor %s "
			  "differs from the file", name);
	else
		cr_assert(ti.verified, "tensor %s neither mapped nor verified", name);
}

static int path_model_load(char *why, size_t cap)
{
	amdbare_device *dev = NULL;
	amdbare_model *m = NULL;
	int r = amdbare_device_open(0, &dev);
	if (r < 0)
		return fail(why, cap, r);
	amdbare_model_options opt;
	amdbare_model_options_init(&opt);
	const char *paths[1] = {model_path};
	if ((r = amdbare_model_open(dev, paths, 1, &opt, &m)) < 0 ||
	    (r = amdbare_model_load(m)) < 0) {
		r = fail(why, cap, r);
		goto out;
	}
	amdbare_model_proof pr;
	cr_assert_eq(amdbare_model_get_proof(m, &pr), 0);
	cr_assert(pr.loaded && pr.mismatched == 0, "load reported success with %u mismatches",
		  pr.mismatched);
	check_tensor(m, "a", model_data, 1024);
	check_tensor(m, "b", model_data + 1024, 512);
out:
	amdbare_model_free(m);
	amdbare_device_close(dev);
	return r;
}

/* The injection the walker armed for the current step (see walk_errno):
 * a path can tell whether it was met inside one of its own steps. */
static char walk_target[8];
static uint64_t walk_j, walk_base;

/* Calls of the walked ioctl the current path has made so far. */
static uint64_t walk_calls_so_far(void)
{
	return walk_target[0] ? vgpu_fault_ioctl_calls(walk_target) - walk_base : 0;
}

/* Whether call number walk_j (the injected one) fell in (from, to]. */
static bool walk_injection_between(uint64_t from, uint64_t to)
{
	return walk_target[0] && walk_j > from && walk_j <= to;
}

/* ---- path: a job faults, the context is re-created, the fill is redone ----- */

static int fill_on(amdbare_device *dev, amdbare_ctx *ctx, amdbare_bo *bo, uint32_t v)
{
	amdbare_batch *b = NULL;
	int r = amdbare_batch_create(dev, AMDBARE_ENGINE_DMA, &b);
	if (r == 0)
		r = amdbare_batch_fill(b, bo, 0, DISPATCH_N * 4, v);
	if (r == 0)
		r = amdbare_batch_run(b, ctx);
	char msg[512];
	snprintf(msg, sizeof(msg), "%s", amdbare_last_error());
	amdbare_batch_free(b);
	if (r < 0)
		ab_set_error(-r, "%s", msg); /* the operation's message, not the free's */
	return r;
}

static int path_reset_recovery(char *why, size_t cap)
{
	amdbare_device *dev = NULL;
	amdbare_ctx *ctx = NULL;
	amdbare_bo *bo = NULL;
	uint32_t *p = NULL;
	int r = amdbare_device_open(0, &dev);
	if (r < 0)
		return fail(why, cap, r);
	if ((r = make_buffer(dev, AMDBARE_DOMAIN_GTT, &bo, &p)) < 0 ||
	    (r = amdbare_ctx_create(dev, AMDBARE_PRIORITY_NORMAL, &ctx)) < 0) {
		r = fail(why, cap, r);
		goto out;
	}
	vgpu_fault_vm_fault("sdma", 1);
	uint64_t calls_before = walk_calls_so_far();
	r = fill_on(dev, ctx, bo, 0x1111u);
	/* An injected ioctl failure met during the fill (e.g. WAIT_CS failing
	 * with ECANCELED before the job ran) is the error reported; the job
	 * may still run and fault afterwards, so the message need not name a
	 * reset then. */
	bool injected_during_fill = walk_injection_between(calls_before, walk_calls_so_far());
	cr_assert_neq(r, 0, "the faulting fill reported success");
	char first[1024];
	snprintf(first, sizeof(first), "%s", amdbare_last_error());
	/* Did the job run and fault?  Only then is there a reset to recover
	 * from; otherwise an injected failure came first: a clean error. */
	amdbare_ctx_reset_info ri;
	if (amdbare_ctx_query_reset(ctx, &ri) < 0 || ri.state != AMDBARE_RESET_GUILTY) {
		snprintf(why, cap, "%s", first);
		goto out;
	}
	if (r == -ECANCELED && !injected_during_fill)
		cr_assert(strstr(first, "was reset") || strstr(first, "could not be queried"),
			  "a cancelled job's message names the reset: %s", first);
	if ((r = amdbare_ctx_recreate(ctx)) < 0 || (r = fill_on(dev, ctx, bo, 0x2222u)) < 0) {
		r = fail(why, cap, r);
		goto out;
	}
	for (uint32_t i = 0; i < DISPATCH_N; i++)
		cr_assert_eq(p[i], 0x2222u, "recovery reported success but element %u is 0x%x", i,
			     p[i]);
out:
	amdbare_ctx_free(ctx);
	amdbare_bo_free(bo);
	amdbare_device_close(dev);
	return r;
}

/* ---- the walker ------------------------------------------------------------- */

typedef int (*walk_path)(char *why, size_t cap);

struct walk_totals {
	unsigned steps, failures, retried, skipped;
};

#define NR_VERSION 0x00u /* DRM_IOCTL_VERSION */

/* Calls the walk must not fail, and why.  libdrm_amdgpu 2.4.114's
 * amdgpu_device_initialize dereferences drmGetVersion()'s result without
 * checking it, so a failing VERSION there crashes inside libdrm (found by
 * this walk).  In a path that opens the device once, VERSION calls 1-2 are
 * the enumeration's, 3-4 the library's own check, 5-6 libdrm_amdgpu's. */
static bool known_libdrm_crash(unsigned nr, uint64_t j)
{
	return nr == NR_VERSION && (j == 5 || j == 6);
}

static void check_nothing_open(const char *name, const char *what)
{
	char desc[1024];
	int left = vgpu_test_open_objects(desc, sizeof(desc));
	cr_assert_eq(left, 0, "%s, %s: %d object(s) left open: %s", name, what, left, desc);
}

/* Fails call j of ioctl nr, for j = 1, 2, ... until the path no longer
 * meets the injection. */
static void walk_ioctl(const char *name, walk_path path, unsigned nr, int err,
		       struct walk_totals *t)
{
	char why[1024], what[96];
	for (uint64_t j = 1;; j++) {
		cr_assert_lt(j, 10000u, "%s: the walk does not end", name);
		snprintf(what, sizeof(what), "%s on call %llu of ioctl 0x%02x",
			 vgpu_fault_errno_name(err), (unsigned long long)j, nr);
		if (known_libdrm_crash(nr, j)) {
			t->skipped++;
			continue;
		}
		vgpu_fault_clear();
		char target[8];
		snprintf(target, sizeof(target), "0x%02x", nr);
		vgpu_fault_ioctl(target, j, false, err);
		/* met iff the path made at least j calls of the ioctl (a path
		 * may inject faults of its own, so the hit count would not do) */
		uint64_t calls = vgpu_fault_ioctl_calls(target);
		snprintf(walk_target, sizeof(walk_target), "%s", target);
		walk_j = j;
		walk_base = calls;
		why[0] = '\0';
		int r = path(why, sizeof(why));
		walk_target[0] = '\0';
		bool hit = vgpu_fault_ioctl_calls(target) - calls >= j;
		vgpu_fault_clear();
		check_nothing_open(name, what);
		if (!hit) {
			cr_assert_eq(r, 0, "%s: a run without injection failed: %s", name, why);
			return;
		}
		t->steps++;
		if (err == EINTR || err == EAGAIN) {
			/* drmIoctl repeats the call: the path must not notice */
			cr_assert_eq(r, 0, "%s, %s: not retried: %d %s", name, what, r, why);
			t->retried++;
			continue;
		}
		if (r == 0)
			continue; /* an optional call failed; the output was checked */
		t->failures++;
		cr_assert(r < 0 && r > -4096, "%s, %s: %d is not a negative errno", name, what, r);
		cr_assert(why[0], "%s, %s: error %d without a message", name, what, r);
	}
}

static void walk(const char *name, walk_path path)
{
	static const int errs[] = {ENOMEM, EINTR, EAGAIN, EIO, ECANCELED, ETIME, ENODEV};
	/* A clean run first: the path works, and which ioctls it makes. */
	uint64_t before[256];
	char nr_name[8], why[1024] = "";
	for (unsigned nr = 0; nr < 256; nr++) {
		snprintf(nr_name, sizeof(nr_name), "0x%02x", nr);
		before[nr] = vgpu_fault_ioctl_calls(nr_name);
	}
	uint64_t any = vgpu_fault_ioctl_calls("any");
	cr_assert_eq(path(why, sizeof(why)), 0, "%s without faults: %s", name, why);
	uint64_t calls = vgpu_fault_ioctl_calls("any") - any;
	check_nothing_open(name, "clean run");
	cr_assert_gt(calls, 10u, "%s made only %llu ioctls", name, (unsigned long long)calls);
	for (size_t e = 0; e < sizeof(errs) / sizeof(errs[0]); e++) {
		struct walk_totals t = {0};
		for (unsigned nr = 0; nr < 256; nr++) {
			snprintf(nr_name, sizeof(nr_name), "0x%02x", nr);
			if (vgpu_fault_ioctl_calls(nr_name) != before[nr])
				walk_ioctl(name, path, nr, errs[e], &t);
		}
		cr_log_info("%s, %s: %u steps (%llu ioctls in a clean run), %u failed cleanly, "
			    "%u retried, %u skipped (libdrm)", name, vgpu_fault_errno_name(errs[e]),
			    t.steps, (unsigned long long)calls, t.failures, t.retried, t.skipped);
		cr_expect_geq(t.steps + t.skipped, calls, "%s, %s: every ioctl of the clean run was "
			      "failed once", name, vgpu_fault_errno_name(errs[e]));
	}
}

Test(fault_walk, dispatch_path, .init = setup_instance, .fini = vgpu_test_cleanup)
{
	load_code_object();
	walk("dispatch", path_dispatch);
	amdbare_codeobj_free(walk_co);
	walk_co = NULL;
}

Test(fault_walk, sdma_copy_path, .init = setup_instance, .fini = vgpu_test_cleanup)
{
	walk("sdma copy", path_sdma_copy);
}

Test(fault_walk, reset_recovery_path, .init = setup_instance, .fini = vgpu_test_cleanup)
{
	walk("reset recovery", path_reset_recovery);
}

Test(fault_walk, model_load_path, .init = setup_instance, .fini = vgpu_test_cleanup)
{
	write_model();
	walk("model load", path_model_load);
	unlink(model_path);
}
