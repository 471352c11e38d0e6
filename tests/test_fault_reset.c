/*
 * GPU reset and hang recovery, with faults injected into the vgpu
 * (tests/support/vgpu_fault.h): a hung or faulting job makes its context
 * guilty and only that one; an innocent context on the same device says
 * so and names the guilty one; a fresh or re-created context works; a
 * VRAM loss refuses the old contexts, scrambles VRAM and is reported; and
 * long dispatch loops survive a reset midway with the right final data.
 */
#include "amdbare.h"
#include "vgpu_fault.h"
#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static amdbare_device *dev;
static char last_msg[512]; /* the last fill_on's message */

static void setup(void)
{
	/* a hang becomes a reset after 300 ms instead of the kernel's 10 s */
	vgpu_test_use_profile("780m", "AMDBARE_VGPU_TIMEOUT_MS", "300", NULL);
	int r = amdbare_device_open(0, &dev);
	cr_assert_eq(r, 0, "open: %s", amdbare_last_error());
}

static void teardown(void)
{
	amdbare_device_close(dev);
	char desc[512];
	int left = vgpu_test_open_objects(desc, sizeof(desc));
	vgpu_test_cleanup();
	cr_expect_eq(left, 0, "objects left in the device: %s", desc);
}

TestSuite(fault_reset, .init = setup, .fini = teardown, .timeout = 60);

static amdbare_bo *make_bo(uint32_t domain, uint64_t size, uint32_t **cpu)
{
	amdbare_bo_create_info ci = {.size = size, .domains = domain,
				     .flags = AMDBARE_BO_CPU_ACCESS};
	amdbare_bo *bo = NULL;
	cr_assert_eq(amdbare_bo_create(dev, &ci, &bo), 0, "create: %s", amdbare_last_error());
	void *p = NULL;
	cr_assert_eq(amdbare_bo_cpu_map(bo, &p), 0, "map: %s", amdbare_last_error());
	*cpu = p;
	return bo;
}

/* One SDMA fill of `bo` on `ctx`, waited for. */
static int fill_on(amdbare_ctx *ctx, amdbare_bo *bo, uint32_t value)
{
	amdbare_batch *b = NULL;
	int r = amdbare_batch_create(dev, AMDBARE_ENGINE_DMA, &b);
	cr_assert_eq(r, 0, "%s", amdbare_last_error());
	r = amdbare_batch_fill(b, bo, 0, amdbare_bo_size(bo), value);
	if (r == 0)
		r = amdbare_batch_run(b, ctx);
	char msg[512];
	snprintf(msg, sizeof(msg), "%s", amdbare_last_error());
	amdbare_batch_free(b);
	/* keep the operation's message, not the free's */
	if (r < 0)
		cr_log_info("fill on ctx %u: %s", amdbare_ctx_id(ctx), msg);
	snprintf(last_msg, sizeof(last_msg), "%s", msg);
	return r;
}

static bool all_equal(const uint32_t *p, size_t n, uint32_t v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

static amdbare_ctx *new_ctx(void)
{
	amdbare_ctx *c = NULL;
	cr_assert_eq(amdbare_ctx_create(dev, AMDBARE_PRIORITY_NORMAL, &c), 0, "%s",
		     amdbare_last_error());
	return c;
}

static void check_hang_or_fault(bool hang)
{
	vgpu_fault_require();
	uint32_t *p;
	amdbare_bo *bo = make_bo(AMDBARE_DOMAIN_GTT, 64 * 1024, &p);
	amdbare_ctx *guilty = new_ctx(), *innocent = new_ctx();

	if (hang)
		vgpu_fault_hang("sdma0", 1);
	else
		vgpu_fault_vm_fault("sdma", 1);
	int r = fill_on(guilty, bo, 0x11111111u);
	cr_assert_eq(r, -ECANCELED, "the %s job: %d %s", hang ? "hung" : "faulting", r, last_msg);
	char want[64];
	snprintf(want, sizeof(want), "context %u was reset: guilty", amdbare_ctx_id(guilty));
	cr_expect(strstr(last_msg, want), "message names the guilty context: %s", last_msg);
	cr_expect(!all_equal(p, 16384, 0x11111111u), "the cancelled fill must not have completed");

	amdbare_ctx_reset_info ri;
	cr_assert_eq(amdbare_ctx_query_reset(guilty, &ri), 0, "%s", amdbare_last_error());
	cr_expect_eq(ri.state, AMDBARE_RESET_GUILTY);
	cr_expect(!ri.vram_lost);
	cr_assert_eq(amdbare_ctx_query_reset(innocent, &ri), 0, "%s", amdbare_last_error());
	cr_expect_eq(ri.state, AMDBARE_RESET_INNOCENT);
	cr_expect(ri.reset && !ri.guilty && !ri.vram_lost);
	cr_expect_eq(ri.guilty_ctx_id, amdbare_ctx_id(guilty), "innocent names the guilty one");

	/* The guilty context refuses work (amdgpu_cs_parser_init); the
	 * innocent one keeps working (no VRAM lost); a fresh one works. */
	r = fill_on(guilty, bo, 0x22222222u);
	cr_expect_eq(r, -ECANCELED, "guilty context must refuse: %d", r);
	cr_expect(strstr(last_msg, "command submission refused"), "%s", last_msg);
	cr_expect_eq(fill_on(innocent, bo, 0x33333333u), 0, "innocent: %s", last_msg);
	cr_expect(all_equal(p, 16384, 0x33333333u));
	amdbare_ctx *fresh = new_ctx();
	cr_assert_eq(amdbare_ctx_query_reset(fresh, &ri), 0);
	cr_expect_eq(ri.state, AMDBARE_RESET_NONE, "a context made after the reset saw none");
	cr_expect_eq(fill_on(fresh, bo, 0x44444444u), 0, "fresh: %s", last_msg);
	cr_expect(all_equal(p, 16384, 0x44444444u));

	/* Re-creating the guilty context gives it a clean slate. */
	uint32_t old = amdbare_ctx_id(guilty);
	cr_assert_eq(amdbare_ctx_recreate(guilty), 0, "%s", amdbare_last_error());
	cr_expect_neq(amdbare_ctx_id(guilty), old);
	cr_assert_eq(amdbare_ctx_query_reset(guilty, &ri), 0);
	cr_expect_eq(ri.state, AMDBARE_RESET_NONE);
	cr_expect_eq(fill_on(guilty, bo, 0x55555555u), 0, "recreated: %s", last_msg);
	cr_expect(all_equal(p, 16384, 0x55555555u));

	amdbare_ctx_free(fresh);
	amdbare_ctx_free(innocent);
	amdbare_ctx_free(guilty);
	amdbare_bo_free(bo);
}

Test(fault_reset, hang_makes_only_its_context_guilty)
{
	check_hang_or_fault(true);
}

Test(fault_reset, vm_fault_makes_only_its_context_guilty)
{
	check_hang_or_fault(false);
}

Test(fault_reset, stale_fence_after_recreate_is_cancelled)
{
	vgpu_fault_require();
	uint32_t *p;
	amdbare_bo *bo = make_bo(AMDBARE_DOMAIN_GTT, 4096, &p);
	amdbare_ctx *ctx = new_ctx();
	amdbare_batch *b = NULL;
	cr_assert_eq(amdbare_batch_create(dev, AMDBARE_ENGINE_DMA, &b), 0);
	cr_assert_eq(amdbare_batch_fill(b, bo, 0, 4096, 7), 0);
	amdbare_fence f;
	cr_assert_eq(amdbare_batch_submit(b, ctx, &f), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_fence_wait(&f, AMDBARE_TIMEOUT_INFINITE), 0);
	cr_assert_eq(amdbare_ctx_recreate(ctx), 0, "%s", amdbare_last_error());
	cr_expect_eq(amdbare_fence_wait(&f, 0), -ECANCELED);
	cr_expect(strstr(amdbare_last_error(), "before context"), "%s", amdbare_last_error());
	/* the batch goes on with the re-created context */
	cr_assert_eq(amdbare_batch_fill(b, bo, 0, 4096, 9), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_batch_run(b, ctx), 0, "%s", amdbare_last_error());
	cr_expect(all_equal(p, 1024, 9));
	amdbare_batch_free(b);
	amdbare_ctx_free(ctx);
	amdbare_bo_free(bo);
}

Test(fault_reset, vram_loss_refuses_old_contexts_and_loses_contents)
{
	vgpu_fault_require();
	uint32_t *pv, *pg;
	amdbare_bo *vram = make_bo(AMDBARE_DOMAIN_VRAM, 64 * 1024, &pv);
	amdbare_bo *gtt = make_bo(AMDBARE_DOMAIN_GTT, 64 * 1024, &pg);
	for (int i = 0; i < 16384; i++)
		pv[i] = pg[i] = (uint32_t)i;
	amdbare_ctx *old = new_ctx();
	cr_assert_eq(fill_on(old, gtt, 1), 0, "%s", last_msg);
	for (int i = 0; i < 16384; i++)
		pg[i] = (uint32_t)i;

	vgpu_exec_gpu_reset(true);

	bool vram_same = true, gtt_same = true;
	for (int i = 0; i < 16384; i++) {
		vram_same &= pv[i] == (uint32_t)i;
		gtt_same &= pg[i] == (uint32_t)i;
	}
	cr_expect(!vram_same, "VRAM contents must be gone");
	cr_expect(gtt_same, "GTT contents survive a VRAM loss");

	amdbare_ctx_reset_info ri;
	cr_assert_eq(amdbare_ctx_query_reset(old, &ri), 0);
	cr_expect_eq(ri.state, AMDBARE_RESET_INNOCENT);
	cr_expect(ri.vram_lost && ri.reset && !ri.guilty);
	cr_expect_eq(ri.guilty_ctx_id, 0u, "a reset that blamed no job names no context");
	int r = fill_on(old, gtt, 2);
	cr_expect_eq(r, -ECANCELED, "a context older than the VRAM loss is refused: %d", r);
	cr_expect(strstr(last_msg, "VRAM contents were lost"), "%s", last_msg);
	cr_expect(strstr(last_msg, "no context of this process was guilty"), "%s", last_msg);

	cr_assert_eq(amdbare_ctx_recreate(old), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_ctx_query_reset(old, &ri), 0);
	cr_expect_eq(ri.state, AMDBARE_RESET_NONE);
	cr_expect_eq(fill_on(old, vram, 3), 0, "%s", last_msg);
	cr_expect(all_equal(pv, 16384, 3), "re-uploaded VRAM data is right again");
	amdbare_ctx_free(old);
	amdbare_bo_free(vram);
	amdbare_bo_free(gtt);
}

Test(fault_reset, reset_without_vram_loss_leaves_contexts_usable)
{
	vgpu_fault_require();
	uint32_t *p;
	amdbare_bo *bo = make_bo(AMDBARE_DOMAIN_VRAM, 4096, &p);
	amdbare_ctx *ctx = new_ctx();
	vgpu_fault_arm("reset-at-cs=1");
	cr_assert_eq(fill_on(ctx, bo, 0xabcdu), 0, "%s", last_msg);
	cr_expect(all_equal(p, 1024, 0xabcdu));
	amdbare_ctx_reset_info ri;
	cr_assert_eq(amdbare_ctx_query_reset(ctx, &ri), 0);
	cr_expect_eq(ri.state, AMDBARE_RESET_INNOCENT, "the reset is seen");
	cr_expect(!ri.vram_lost);
	cr_expect_eq(vgpu_fault_hits(), 1u);
	amdbare_ctx_free(ctx);
	amdbare_bo_free(bo);
}

/* ---- long dispatch loops with a reset midway ------------------------------- */

#define LOOP_N 4096u      /* elements */
#define LOOP_ITERS 24u

struct loop {
	amdbare_codeobj *co;
	const amdbare_kernel_info *k;
	amdbare_bo *code;
	uint64_t code_va;
	amdbare_bo *buf[2], *inc;
	uint32_t *p[2], *pinc;
};

static void loop_init(struct loop *L, uint32_t domain)
{
	char path[4096];
	const char *top = getenv("AMDBARE_TOP");
	snprintf(path, sizeof(path), "%s/tests/diff/int.co", top ? top : ".");
	cr_assert_eq(amdbare_codeobj_load_file(path, &L->co), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_codeobj_find_kernel(L->co, "i_add", &L->k), 0, "%s",
		     amdbare_last_error());
	cr_assert_eq(amdbare_codeobj_upload(L->co, dev, &L->code, &L->code_va), 0, "%s",
		     amdbare_last_error());
	for (int i = 0; i < 2; i++)
		L->buf[i] = make_bo(domain, LOOP_N * 4, &L->p[i]);
	L->inc = make_bo(domain, LOOP_N * 4, &L->pinc);
}

static void loop_upload(struct loop *L, const uint32_t *state, uint32_t at)
{
	memcpy(L->p[at % 2], state, LOOP_N * 4);
	for (uint32_t i = 0; i < LOOP_N; i++)
		L->pinc[i] = i * 3u + 1u;
}

static void loop_fini(struct loop *L)
{
	for (int i = 0; i < 2; i++)
		amdbare_bo_free(L->buf[i]);
	amdbare_bo_free(L->inc);
	amdbare_bo_free(L->code);
	amdbare_codeobj_free(L->co);
}

/* iteration it: buf[(it+1)%2] = buf[it%2] + inc, on `ctx` */
static int loop_step(struct loop *L, amdbare_dispatcher *d, amdbare_ctx *ctx, uint32_t it)
{
	amdbare_karg args[3] = {amdbare_karg_buffer(L->buf[(it + 1) % 2], 0),
				amdbare_karg_buffer(L->buf[it % 2], 0),
				amdbare_karg_buffer(L->inc, 0)};
	amdbare_dispatch_info di = {.kernel = L->k, .code_bo = L->code, .code_va = L->code_va,
				    .grid = {LOOP_N / 64, 1, 1}, .block = {64, 1, 1},
				    .args = args, .arg_count = 3};
	int r = amdbare_dispatcher_add(d, &di);
	if (r == 0)
		r = amdbare_dispatcher_run(d, ctx);
	return r;
}

enum midway { MIDWAY_HANG, MIDWAY_VRAM_LOSS, MIDWAY_VM_FAULT };

static void run_loop(enum midway what, uint32_t domain)
{
	vgpu_fault_require();
	struct loop L;
	loop_init(&L, domain);
	static uint32_t checkpoint[LOOP_N];
	for (uint32_t i = 0; i < LOOP_N; i++)
		checkpoint[i] = i ^ 0x5a5a0000u;
	loop_upload(&L, checkpoint, 0);

	amdbare_ctx *ctx = new_ctx();
	amdbare_dispatcher *d = NULL;
	cr_assert_eq(amdbare_dispatcher_create(dev, &d), 0, "%s", amdbare_last_error());
	uint32_t resets = 0;
	for (uint32_t it = 0; it < LOOP_ITERS;) {
		if (it == LOOP_ITERS / 2 && resets == 0) {
			if (what == MIDWAY_HANG)
				vgpu_fault_hang("compute", 1);
			else if (what == MIDWAY_VM_FAULT)
				vgpu_fault_vm_fault("comp_1.0.0", 1);
			else
				vgpu_exec_gpu_reset(true);
		}
		int r = loop_step(&L, d, ctx, it);
		if (r == 0) {
			memcpy(checkpoint, L.p[(it + 1) % 2], sizeof(checkpoint));
			it++;
			continue;
		}
		cr_assert_eq(r, -ECANCELED, "iteration %u: %d %s", it, r, amdbare_last_error());
		cr_assert_lt(resets, 1u, "only one reset was injected: %s", amdbare_last_error());
		resets++;
		amdbare_ctx_reset_info ri;
		cr_assert_eq(amdbare_ctx_query_reset(ctx, &ri), 0);
		if (what == MIDWAY_VRAM_LOSS) {
			cr_expect_eq(ri.state, AMDBARE_RESET_INNOCENT);
			cr_expect(ri.vram_lost);
			cr_expect(strstr(amdbare_last_error(), "VRAM contents were lost"), "%s",
				  amdbare_last_error());
		} else {
			cr_expect_eq(ri.state, AMDBARE_RESET_GUILTY);
		}
		cr_assert_eq(amdbare_ctx_recreate(ctx), 0, "%s", amdbare_last_error());
		/* VRAM was lost: upload the last good state again (the code
		 * object and kernargs are in GTT and need nothing) */
		if (ri.vram_lost || domain == AMDBARE_DOMAIN_VRAM)
			loop_upload(&L, checkpoint, it);
	}
	cr_expect_eq(resets, 1u, "the injected fault must have been met");
	for (uint32_t i = 0; i < LOOP_N; i++) {
		uint32_t want = (i ^ 0x5a5a0000u) + LOOP_ITERS * (i * 3u + 1u);
		cr_assert_eq(L.p[LOOP_ITERS % 2][i], want, "element %u: %u != %u", i,
			     L.p[LOOP_ITERS % 2][i], want);
	}
	cr_expect_eq(amdbare_dispatcher_free(d), 0, "%s", amdbare_last_error());
	amdbare_ctx_free(ctx);
	loop_fini(&L);
}

Test(fault_reset, dispatch_loop_survives_a_hang)
{
	run_loop(MIDWAY_HANG, AMDBARE_DOMAIN_GTT);
}

Test(fault_reset, dispatch_loop_survives_a_vm_fault)
{
	run_loop(MIDWAY_VM_FAULT, AMDBARE_DOMAIN_GTT);
}

Test(fault_reset, dispatch_loop_survives_vram_loss)
{
	run_loop(MIDWAY_VRAM_LOSS, AMDBARE_DOMAIN_VRAM);
}
