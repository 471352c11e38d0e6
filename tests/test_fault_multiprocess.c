/*
 * A GPU reset reaches every process of the device, as on real hardware:
 * adev->gpu_reset_counter and adev->vram_lost_counter are the device's, so
 * a reset caused in one process (an injected reset, a hang) is seen by the
 * contexts of every other process (docs/fault-injection.md, "One device,
 * many processes").
 *
 * The other process ("B") is this test binary started again with fork +
 * exec: a constructor runs its role before Criterion's main when
 * FMP_ROLE is set.  A and B talk through two pipes, one line per step from
 * B ("ready", "done", or "FAIL <why>") and one byte per step from A, so
 * every step is ordered without sleeps.  B inherits the vgpu instance
 * (AMDBARE_VGPU_INSTANCE) from A's environment.  One test runs B as a
 * plain fork() of A instead, which inherits A's vgpu state.
 */
#include "amdbare.h"
#include "vgpu_fault.h"
#include "vgpu_test.h"

#include <amdgpu_drm.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xf86drm.h>

#define BO_SIZE (64u * 1024u)
#define BO_DWORDS (BO_SIZE / 4u)

/* ---- shared by both sides ------------------------------------------------- */

static uint32_t info_u32(amdbare_device *dev, uint32_t query)
{
	uint32_t v = 0xffffffffu;
	struct drm_amdgpu_info req;
	memset(&req, 0, sizeof(req));
	req.return_pointer = (uintptr_t)&v;
	req.return_size = 4;
	req.query = query;
	if (drmIoctl(amdbare_device_fd(dev), DRM_IOCTL_AMDGPU_INFO, &req) != 0)
		return 0xfffffffeu;
	return v;
}

/* QUERY_STATE (reset_status) or QUERY_STATE2 (flags); UINT32_MAX on error. */
static uint32_t ctx_query(amdbare_device *dev, uint32_t ctx, uint32_t op)
{
	union drm_amdgpu_ctx req;
	memset(&req, 0, sizeof(req));
	req.in.op = op;
	req.in.ctx_id = ctx;
	if (drmIoctl(amdbare_device_fd(dev), DRM_IOCTL_AMDGPU_CTX, &req) != 0)
		return UINT32_MAX;
	return op == AMDGPU_CTX_OP_QUERY_STATE ? req.out.state.reset_status
					       : (uint32_t)req.out.state.flags;
}

/* One SDMA fill of the whole BO on ctx, waited for. */
static int fill_on(amdbare_device *dev, amdbare_ctx *ctx, amdbare_bo *bo, uint32_t value)
{
	amdbare_batch *b = NULL;
	int r = amdbare_batch_create(dev, AMDBARE_ENGINE_DMA, &b);
	if (r == 0)
		r = amdbare_batch_fill(b, bo, 0, amdbare_bo_size(bo), value);
	if (r == 0)
		r = amdbare_batch_run(b, ctx);
	amdbare_batch_free(b);
	return r;
}

static bool all_equal(const uint32_t *p, size_t n, uint32_t v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

/* ---- process B ------------------------------------------------------------- */

static int b_in = -1, b_out = -1;

static void b_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void b_say(const char *fmt, ...)
{
	char line[400];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		_exit(4);
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	if (write(b_out, line, (size_t)n) != n)
		_exit(5);
}

/* A failed check in B: A reports the message and fails the test. */
#define B_CHECK(cond, ...)                                                   \
	do {                                                                 \
		if (!(cond)) {                                               \
			char why_[300];                                      \
			snprintf(why_, sizeof(why_), __VA_ARGS__);           \
			b_say("FAIL line %d: %s (%s)", __LINE__, why_,       \
			      amdbare_last_error());                         \
			_exit(1);                                            \
		}                                                            \
	} while (0)

static void b_wait_go(void)
{
	char c;
	if (read(b_in, &c, 1) != 1)
		_exit(6);
}

struct b_state {
	amdbare_device *dev;
	amdbare_ctx *ctx;
	amdbare_bo *bo;
	uint32_t *cpu;
};

/* Opens the device, makes a context and a VRAM BO filled with `value`
 * through that context, and checks the fill landed. */
static void b_setup(struct b_state *s, uint32_t value)
{
	B_CHECK(amdbare_device_open(0, &s->dev) == 0, "open");
	B_CHECK(amdbare_ctx_create(s->dev, AMDBARE_PRIORITY_NORMAL, &s->ctx) == 0, "ctx");
	amdbare_bo_create_info ci = {.size = BO_SIZE, .domains = AMDBARE_DOMAIN_VRAM,
				     .flags = AMDBARE_BO_CPU_ACCESS};
	B_CHECK(amdbare_bo_create(s->dev, &ci, &s->bo) == 0, "VRAM BO");
	amdbare_placement pl;
	B_CHECK(amdbare_bo_get_placement(s->bo, &pl) == 0 && !pl.fell_back_to_gtt,
		"the BO is in VRAM");
	void *p = NULL;
	B_CHECK(amdbare_bo_cpu_map(s->bo, &p) == 0, "map");
	s->cpu = p;
	B_CHECK(fill_on(s->dev, s->ctx, s->bo, value) == 0, "fill before the reset");
	B_CHECK(all_equal(s->cpu, BO_DWORDS, value), "contents before the reset");
	B_CHECK(info_u32(s->dev, AMDGPU_INFO_VRAM_LOST_COUNTER) == 0, "no VRAM loss yet");
}

static void b_teardown(struct b_state *s)
{
	amdbare_bo_free(s->bo);
	amdbare_ctx_free(s->ctx);
	amdbare_device_close(s->dev);
}

/* (1) A resets with VRAM loss while B holds a context and a VRAM BO. */
static void role_vram_lost(void)
{
	struct b_state s;
	b_setup(&s, 0x12345678u);
	uint32_t id = amdbare_ctx_id(s.ctx);
	b_say("ready");
	b_wait_go();

	/* The first ioctl after the loss: the counter is the device's. */
	B_CHECK(info_u32(s.dev, AMDGPU_INFO_VRAM_LOST_COUNTER) == 1, "VRAM_LOST_COUNTER %u",
		info_u32(s.dev, AMDGPU_INFO_VRAM_LOST_COUNTER));
	uint32_t flags = ctx_query(s.dev, id, AMDGPU_CTX_OP_QUERY_STATE2);
	B_CHECK(flags == (AMDGPU_CTX_QUERY2_FLAGS_RESET | AMDGPU_CTX_QUERY2_FLAGS_VRAMLOST),
		"QUERY_STATE2 flags 0x%x: want RESET|VRAMLOST, not GUILTY", flags);
	amdbare_ctx_reset_info ri;
	B_CHECK(amdbare_ctx_query_reset(s.ctx, &ri) == 0, "query reset");
	B_CHECK(ri.state == AMDBARE_RESET_INNOCENT && ri.vram_lost && !ri.guilty,
		"library: state %d vram_lost %d guilty %d", ri.state, ri.vram_lost, ri.guilty);
	B_CHECK(ri.guilty_ctx_id == 0, "no context of B is to blame (%u)", ri.guilty_ctx_id);
	/* B's VRAM contents are gone, without B having asked for the reset */
	B_CHECK(all_equal(s.cpu, BO_DWORDS, 0xdeadbeefu), "B's VRAM BO is scrambled (0x%08x)",
		s.cpu[0]);
	/* amdgpu_cs_pass1: the context predates the loss */
	int r = fill_on(s.dev, s.ctx, s.bo, 0x0badf00du);
	B_CHECK(r == -ECANCELED, "CS on the old context: %d, want -ECANCELED", r);
	B_CHECK(all_equal(s.cpu, BO_DWORDS, 0xdeadbeefu), "the refused fill wrote nothing");

	/* Recovering: a re-created context works and sees no reset. */
	B_CHECK(amdbare_ctx_recreate(s.ctx) == 0, "recreate");
	B_CHECK(amdbare_ctx_id(s.ctx) != id, "a new kernel context");
	B_CHECK(ctx_query(s.dev, amdbare_ctx_id(s.ctx), AMDGPU_CTX_OP_QUERY_STATE2) == 0,
		"the re-created context is clean");
	B_CHECK(fill_on(s.dev, s.ctx, s.bo, 0x9abcdef0u) == 0, "fill after recreate");
	B_CHECK(all_equal(s.cpu, BO_DWORDS, 0x9abcdef0u), "re-uploaded contents");
	b_teardown(&s);
	b_say("done");
}

/* (2) A resets without VRAM loss. */
static void role_reset_only(void)
{
	struct b_state s;
	b_setup(&s, 0x01020304u);
	uint32_t id = amdbare_ctx_id(s.ctx);
	b_say("ready");
	b_wait_go();

	uint32_t flags = ctx_query(s.dev, id, AMDGPU_CTX_OP_QUERY_STATE2);
	B_CHECK(flags == AMDGPU_CTX_QUERY2_FLAGS_RESET, "QUERY_STATE2 flags 0x%x: want RESET only",
		flags);
	/* amdgpu_ctx_query: UNKNOWN_RESET once per context */
	B_CHECK(ctx_query(s.dev, id, AMDGPU_CTX_OP_QUERY_STATE) == AMDGPU_CTX_UNKNOWN_RESET,
		"QUERY_STATE: UNKNOWN_RESET first");
	B_CHECK(ctx_query(s.dev, id, AMDGPU_CTX_OP_QUERY_STATE) == AMDGPU_CTX_NO_RESET,
		"QUERY_STATE: then NO_RESET");
	B_CHECK(info_u32(s.dev, AMDGPU_INFO_VRAM_LOST_COUNTER) == 0, "no VRAM lost");
	B_CHECK(all_equal(s.cpu, BO_DWORDS, 0x01020304u), "VRAM contents kept");
	amdbare_ctx_reset_info ri;
	B_CHECK(amdbare_ctx_query_reset(s.ctx, &ri) == 0, "query reset");
	B_CHECK(ri.state == AMDBARE_RESET_INNOCENT && !ri.vram_lost, "library: innocent");
	/* 6.1 refuses CS only for a guilty context or after a VRAM loss */
	B_CHECK(fill_on(s.dev, s.ctx, s.bo, 0x05060708u) == 0, "the innocent context works");
	B_CHECK(all_equal(s.cpu, BO_DWORDS, 0x05060708u), "its fill landed");
	b_teardown(&s);
	b_say("done");
}

/* (3) A's job hangs: B only sees an innocent reset. */
static void role_innocent_of_a_hang(void)
{
	struct b_state s;
	b_setup(&s, 0x0a0b0c0du);
	uint32_t id = amdbare_ctx_id(s.ctx);
	b_say("ready");
	b_wait_go();

	uint32_t flags = ctx_query(s.dev, id, AMDGPU_CTX_OP_QUERY_STATE2);
	B_CHECK(flags == AMDGPU_CTX_QUERY2_FLAGS_RESET,
		"QUERY_STATE2 flags 0x%x: want RESET, innocent (the guilty job is A's)", flags);
	amdbare_ctx_reset_info ri;
	B_CHECK(amdbare_ctx_query_reset(s.ctx, &ri) == 0, "query reset");
	B_CHECK(ri.state == AMDBARE_RESET_INNOCENT && ri.guilty_ctx_id == 0,
		"library: innocent, culprit not in this process (state %d, guilty ctx %u)",
		ri.state, ri.guilty_ctx_id);
	B_CHECK(all_equal(s.cpu, BO_DWORDS, 0x0a0b0c0du), "VRAM contents kept");
	B_CHECK(fill_on(s.dev, s.ctx, s.bo, 0x11223344u) == 0, "B's context keeps working");
	B_CHECK(all_equal(s.cpu, BO_DWORDS, 0x11223344u), "its fill landed");
	b_teardown(&s);
	b_say("done");
}

/* (4) A process started after a VRAM-lost reset: a clean context and the
 * device's counter. */
static void role_started_after(void)
{
	amdbare_device *dev = NULL;
	amdbare_ctx *ctx = NULL;
	B_CHECK(amdbare_device_open(0, &dev) == 0, "open");
	B_CHECK(info_u32(dev, AMDGPU_INFO_VRAM_LOST_COUNTER) == 1, "the device's counter (%u)",
		info_u32(dev, AMDGPU_INFO_VRAM_LOST_COUNTER));
	B_CHECK(amdbare_ctx_create(dev, AMDBARE_PRIORITY_NORMAL, &ctx) == 0, "ctx");
	uint32_t id = amdbare_ctx_id(ctx);
	B_CHECK(ctx_query(dev, id, AMDGPU_CTX_OP_QUERY_STATE2) == 0, "a new context has no flags");
	B_CHECK(ctx_query(dev, id, AMDGPU_CTX_OP_QUERY_STATE) == AMDGPU_CTX_NO_RESET,
		"QUERY_STATE: NO_RESET");
	amdbare_bo_create_info ci = {.size = BO_SIZE, .domains = AMDBARE_DOMAIN_VRAM,
				     .flags = AMDBARE_BO_CPU_ACCESS};
	amdbare_bo *bo = NULL;
	void *p = NULL;
	B_CHECK(amdbare_bo_create(dev, &ci, &bo) == 0 && amdbare_bo_cpu_map(bo, &p) == 0, "BO");
	B_CHECK(fill_on(dev, ctx, bo, 0x76543210u) == 0, "the new context works");
	B_CHECK(all_equal(p, BO_DWORDS, 0x76543210u), "its fill landed");
	amdbare_bo_free(bo);
	amdbare_ctx_free(ctx);
	amdbare_device_close(dev);
	b_say("done");
}

/* (5) B has a hung job and one queued behind it when A loses VRAM: both
 * end with -ECANCELED (the hang stops, amdgpu_job_run skips the other)
 * and B's context is not blamed. */
static void role_jobs_cancelled(void)
{
	struct b_state s;
	b_setup(&s, 0x13579bdfu);
	B_CHECK(vgpu_fault_add("hang=sdma:1") == 0, "arm the hang");
	amdbare_batch *hung = NULL, *queued = NULL;
	amdbare_fence f1, f2;
	B_CHECK(amdbare_batch_create(s.dev, AMDBARE_ENGINE_DMA, &hung) == 0 &&
		amdbare_batch_create(s.dev, AMDBARE_ENGINE_DMA, &queued) == 0, "batches");
	B_CHECK(amdbare_batch_fill(hung, s.bo, 0, BO_SIZE, 1) == 0 &&
		amdbare_batch_fill(queued, s.bo, 0, BO_SIZE, 2) == 0, "fills");
	B_CHECK(amdbare_batch_submit(hung, s.ctx, &f1) == 0, "submit the hung job");
	B_CHECK(amdbare_batch_submit(queued, s.ctx, &f2) == 0, "submit the queued job");
	B_CHECK(amdbare_fence_wait(&f1, 20 * 1000 * 1000ull) == -ETIME, "the first job hangs");
	b_say("ready");
	b_wait_go();

	int r1 = amdbare_fence_wait(&f1, AMDBARE_TIMEOUT_INFINITE);
	int r2 = amdbare_fence_wait(&f2, AMDBARE_TIMEOUT_INFINITE);
	B_CHECK(r1 == -ECANCELED, "the hung job: %d, want -ECANCELED", r1);
	B_CHECK(r2 == -ECANCELED, "the queued job: %d, want -ECANCELED (skipped)", r2);
	uint32_t flags = ctx_query(s.dev, amdbare_ctx_id(s.ctx), AMDGPU_CTX_OP_QUERY_STATE2);
	B_CHECK(flags == (AMDGPU_CTX_QUERY2_FLAGS_RESET | AMDGPU_CTX_QUERY2_FLAGS_VRAMLOST),
		"QUERY_STATE2 flags 0x%x: the loss is not B's fault", flags);
	B_CHECK(all_equal(s.cpu, BO_DWORDS, 0xdeadbeefu), "neither fill ran (0x%08x)", s.cpu[0]);
	amdbare_batch_free(queued);
	amdbare_batch_free(hung);
	b_teardown(&s);
	b_say("done");
}

static const struct {
	const char *name;
	void (*fn)(void);
} roles[] = {
	{ "vram-lost", role_vram_lost },
	{ "reset-only", role_reset_only },
	{ "innocent", role_innocent_of_a_hang },
	{ "started-after", role_started_after },
	{ "jobs-cancelled", role_jobs_cancelled },
};

static void run_role_named(const char *role)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		if (strcmp(role, roles[i].name) == 0) {
			roles[i].fn();
			_exit(0);
		}
	}
	b_say("FAIL unknown role %s", role);
	_exit(8);
}

/* B's entry: before Criterion's main, when this binary was exec'd as B. */
__attribute__((constructor)) static void run_role(void)
{
	const char *role = getenv("FMP_ROLE"), *fds = getenv("FMP_FDS");
	if (!role || !fds)
		return;
	if (sscanf(fds, "%d,%d", &b_in, &b_out) != 2)
		_exit(7);
	run_role_named(role);
}

/* ---- process A (the test) -------------------------------------------------- */

struct child {
	pid_t pid;
	int to, from; /* A's ends of the pipes */
};

extern char **environ;

/* Starts B with `role`; `timeout_ms` (or NULL) replaces the watchdog. */
static struct child spawn_with(const char *role, const char *timeout_ms)
{
	int down[2], up[2];
	cr_assert_eq(pipe(down), 0, "pipe: %s", strerror(errno));
	cr_assert_eq(pipe(up), 0, "pipe: %s", strerror(errno));
	/* B's environment is A's (the preload, the instance) plus its role;
	 * built before fork, so the child only execs. */
	static char role_var[64], fds_var[64], timeout_var[64];
	snprintf(role_var, sizeof(role_var), "FMP_ROLE=%s", role);
	snprintf(fds_var, sizeof(fds_var), "FMP_FDS=%d,%d", down[0], up[1]);
	snprintf(timeout_var, sizeof(timeout_var), "AMDBARE_VGPU_TIMEOUT_MS=%s",
		 timeout_ms ? timeout_ms : "");
	size_t n = 0, total = 0;
	while (environ[total])
		total++;
	char **envp = calloc(total + 4, sizeof(*envp));
	cr_assert(envp);
	for (size_t i = 0; i < total; i++)
		if (!timeout_ms || strncmp(environ[i], "AMDBARE_VGPU_TIMEOUT_MS=", 24) != 0)
			envp[n++] = environ[i];
	envp[n++] = role_var;
	envp[n++] = fds_var;
	if (timeout_ms)
		envp[n++] = timeout_var;
	char *argv[] = { (char *)"test_fault_multiprocess", NULL };
	pid_t pid = fork();
	cr_assert_geq(pid, 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		close(down[1]);
		close(up[0]);
		execve("/proc/self/exe", argv, envp);
		_exit(127);
	}
	free(envp);
	close(down[0]);
	close(up[1]);
	return (struct child){ .pid = pid, .to = down[1], .from = up[0] };
}

static struct child spawn(const char *role)
{
	return spawn_with(role, NULL);
}

/* B as a plain fork() of A, without exec: it inherits A's mapping of the
 * instance, A's vgpu state and A's open device (which it leaves alone). */
static struct child spawn_forked(const char *role)
{
	int down[2], up[2];
	cr_assert_eq(pipe(down), 0, "pipe: %s", strerror(errno));
	cr_assert_eq(pipe(up), 0, "pipe: %s", strerror(errno));
	pid_t pid = fork();
	cr_assert_geq(pid, 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		close(down[1]);
		close(up[0]);
		b_in = down[0];
		b_out = up[1];
		run_role_named(role);
	}
	close(down[0]);
	close(up[1]);
	return (struct child){ .pid = pid, .to = down[1], .from = up[0] };
}

/* Reads B's next line and fails the test unless it is `want`. */
static void expect_line(struct child *c, const char *want)
{
	char line[400];
	size_t n = 0;
	while (n < sizeof(line) - 1) {
		ssize_t r = read(c->from, &line[n], 1);
		if (r != 1)
			break;
		if (line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	cr_assert_str_eq(line, want, "process B said \"%s\", expected \"%s\"", line, want);
}

static void go(struct child *c)
{
	cr_assert_eq(write(c->to, "g", 1), 1);
}

static void reap(struct child *c)
{
	int st = 0;
	cr_assert_eq(waitpid(c->pid, &st, 0), c->pid);
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "process B ended with status 0x%x", st);
	close(c->to);
	close(c->from);
}

static void setup(void)
{
	/* a hang becomes a reset after 300 ms instead of the kernel's 10 s */
	vgpu_test_use_profile("780m", "AMDBARE_VGPU_TIMEOUT_MS", "300", NULL);
}

static void teardown(void)
{
	vgpu_test_cleanup();
}

TestSuite(fault_multiprocess, .init = setup, .fini = teardown, .timeout = 60);

static amdbare_device *open_dev(void)
{
	amdbare_device *dev = NULL;
	cr_assert_eq(amdbare_device_open(0, &dev), 0, "open: %s", amdbare_last_error());
	return dev;
}

Test(fault_multiprocess, vram_loss_in_a_reaches_b)
{
	vgpu_fault_require();
	struct child b = spawn("vram-lost");
	expect_line(&b, "ready");
	/* A's own context and VRAM BO see the same thing */
	amdbare_device *dev = open_dev();
	amdbare_ctx *ctx = NULL;
	cr_assert_eq(amdbare_ctx_create(dev, AMDBARE_PRIORITY_NORMAL, &ctx), 0);
	vgpu_exec_gpu_reset(true);
	cr_expect_eq(info_u32(dev, AMDGPU_INFO_VRAM_LOST_COUNTER), 1u);
	cr_expect_eq(ctx_query(dev, amdbare_ctx_id(ctx), AMDGPU_CTX_OP_QUERY_STATE2),
		     (uint32_t)(AMDGPU_CTX_QUERY2_FLAGS_RESET | AMDGPU_CTX_QUERY2_FLAGS_VRAMLOST));
	go(&b);
	expect_line(&b, "done");
	reap(&b);
	amdbare_ctx_free(ctx);
	amdbare_device_close(dev);
}

Test(fault_multiprocess, reset_without_vram_loss_leaves_b_working)
{
	vgpu_fault_require();
	struct child b = spawn("reset-only");
	expect_line(&b, "ready");
	vgpu_exec_gpu_reset(false);
	go(&b);
	expect_line(&b, "done");
	reap(&b);
}

Test(fault_multiprocess, hang_in_a_is_guilty_in_a_only)
{
	vgpu_fault_require();
	struct child b = spawn("innocent");
	expect_line(&b, "ready");

	amdbare_device *dev = open_dev();
	amdbare_ctx *ctx = NULL;
	cr_assert_eq(amdbare_ctx_create(dev, AMDBARE_PRIORITY_NORMAL, &ctx), 0);
	amdbare_batch *batch = NULL;
	cr_assert_eq(amdbare_batch_create(dev, AMDBARE_ENGINE_COMPUTE, &batch), 0);
	cr_assert_eq(amdbare_batch_barrier(batch), 0, "%s", amdbare_last_error());
	vgpu_fault_hang("compute", 1);
	int r = amdbare_batch_run(batch, ctx);
	cr_assert_eq(r, -ECANCELED, "the hung compute job: %d %s", r, amdbare_last_error());
	amdbare_ctx_reset_info ri;
	cr_assert_eq(amdbare_ctx_query_reset(ctx, &ri), 0, "%s", amdbare_last_error());
	cr_expect_eq(ri.state, AMDBARE_RESET_GUILTY, "A's context is the guilty one");
	cr_expect(!ri.vram_lost);

	go(&b);
	expect_line(&b, "done");
	reap(&b);
	amdbare_batch_free(batch);
	amdbare_ctx_free(ctx);
	amdbare_device_close(dev);
}

Test(fault_multiprocess, process_started_after_a_vram_loss_is_clean)
{
	vgpu_fault_require();
	amdbare_device *dev = open_dev();
	vgpu_exec_gpu_reset(true);
	cr_expect_eq(info_u32(dev, AMDGPU_INFO_VRAM_LOST_COUNTER), 1u);
	struct child c = spawn("started-after");
	expect_line(&c, "done");
	reap(&c);
	amdbare_device_close(dev);
}

Test(fault_multiprocess, vram_loss_in_a_cancels_b_jobs_without_blaming_b)
{
	vgpu_fault_require();
	/* B's hang must outlive A's reset: a long watchdog for B only */
	struct child b = spawn_with("jobs-cancelled", "60000");
	expect_line(&b, "ready");
	vgpu_exec_gpu_reset(true);
	go(&b);
	expect_line(&b, "done");
	reap(&b);
}

Test(fault_multiprocess, forked_child_shares_the_reset_and_the_loss)
{
	vgpu_fault_require();
	/* A holds a VRAM BO before the fork: the child inherits it too */
	amdbare_device *dev = open_dev();
	amdbare_ctx *ctx = NULL;
	cr_assert_eq(amdbare_ctx_create(dev, AMDBARE_PRIORITY_NORMAL, &ctx), 0);
	amdbare_bo_create_info ci = {.size = BO_SIZE, .domains = AMDBARE_DOMAIN_VRAM,
				     .flags = AMDBARE_BO_CPU_ACCESS};
	amdbare_bo *bo = NULL;
	void *p = NULL;
	cr_assert_eq(amdbare_bo_create(dev, &ci, &bo), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_bo_cpu_map(bo, &p), 0, "%s", amdbare_last_error());
	cr_assert_eq(fill_on(dev, ctx, bo, 0x2468ace0u), 0, "%s", amdbare_last_error());

	struct child b = spawn_forked("vram-lost");
	expect_line(&b, "ready");
	vgpu_exec_gpu_reset(true);
	go(&b);
	expect_line(&b, "done");
	reap(&b);
	cr_expect(all_equal(p, BO_DWORDS, 0xdeadbeefu), "A's VRAM BO is lost too");
	cr_expect_eq(fill_on(dev, ctx, bo, 1), -ECANCELED, "A's old context is refused");
	amdbare_bo_free(bo);
	amdbare_ctx_free(ctx);
	amdbare_device_close(dev);
}
