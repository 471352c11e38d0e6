/*
 * The vgpu's fault injection itself (docs/fault-injection.md): the strict
 * grammar (a malformed AMDBARE_VGPU_FAULTS makes the open fail with a
 * message), the n-th / every-from-n ioctl failures with no effect, full
 * heaps with the kernel's VRAM -> GTT fallback, EINTR/EAGAIN retried by
 * drmIoctl (counted on both sides), VRAM_LOST_COUNTER and QUERY_STATE
 * after a reset, and a hung job cancelled by a VRAM loss.
 */
#include "amdbare.h"
#include "submit/internal.h"
#include "vgpu_fault.h"
#include "vgpu_test.h"

#include <amdgpu_drm.h>
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <criterion/redirect.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>

static amdbare_device *dev;

static void open_dev(void)
{
	int r = amdbare_device_open(0, &dev);
	cr_assert_eq(r, 0, "open: %s", amdbare_last_error());
}

static void setup(void)
{
	vgpu_test_use_profile("780m", "AMDBARE_VGPU_TIMEOUT_MS", "2000", NULL);
	vgpu_fault_require();
	open_dev();
}

static void teardown(void)
{
	amdbare_device_close(dev);
	dev = NULL;
	char desc[512];
	int left = vgpu_test_open_objects(desc, sizeof(desc));
	vgpu_test_cleanup();
	cr_expect_eq(left, 0, "objects left in the device: %s", desc);
}

static int create(uint32_t domains, amdbare_bo **bo)
{
	amdbare_bo_create_info ci = {.size = 1 << 20, .domains = domains};
	return amdbare_bo_create(dev, &ci, bo);
}

/* ---- grammar ------------------------------------------------------------- */

struct bad_spec {
	char spec[64];
	char why[48];
};

ParameterizedTestParameters(fault_spec, malformed_env_fails_the_open)
{
	static struct bad_spec specs[] = {
		{"ioctl=NOPE:1:EIO", "unknown ioctl"},
		{"ioctl=AMDGPU_CS:0:EIO", "count from 1"},
		{"ioctl=AMDGPU_CS:1:EPERM", "is not one of"},
		{"ioctl=AMDGPU_CS:1", "expected ioctl="},
		{"ioctl=0x99:1:EIO", "no ioctl has number"},
		{"ioctl=0x:1:EIO", "is not a number"},
		{"ioctl=0x 4:1:EIO", "is not a number"},
		{"ioctl=AMDGPU_CS:x+:EIO", "count from 1"},
		{"hang=sdma7", "unknown ring"},
		{"vm-fault=any:0", "count from 1"},
		{"vram-full-after=-1", "count of GEM_CREATE"},
		{"reset-at-cs=2:vram", "only option"},
		{"ioctl=any:1:EIO,,hang=any", "empty item"},
		{"frobnicate=1", "unknown kind"},
		{" hang=any", "unknown kind"},
	};
	return cr_make_param_array(struct bad_spec, specs, sizeof(specs) / sizeof(specs[0]));
}

ParameterizedTest(struct bad_spec *p, fault_spec, malformed_env_fails_the_open)
{
	vgpu_test_use_profile("780m", "AMDBARE_VGPU_FAULTS", p->spec, NULL);
	vgpu_fault_require();
	cr_redirect_stderr();
	int fd = open("/dev/dri/renderD128", O_RDWR | O_CLOEXEC);
	int err = errno;
	cr_assert_eq(fd, -1, "\"%s\" must make the open fail", p->spec);
	cr_expect_eq(err, EINVAL);
	amdbare_device *d = NULL;
	cr_expect_lt(amdbare_device_open(0, &d), 0, "the library open fails too");
	fflush(stderr);
	char out[2048] = "";
	FILE *f = cr_get_redirected_stderr();
	size_t n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	cr_expect(strstr(out, "AMDBARE_VGPU_FAULTS"), "message names the variable: %s", out);
	cr_expect(strstr(out, p->why), "message for \"%s\" says \"%s\": %s", p->spec, p->why, out);
	vgpu_test_cleanup();
}

Test(fault_spec, api_refuses_a_bad_spec_and_arms_nothing)
{
	vgpu_test_use_profile("780m", NULL);
	vgpu_fault_require();
	cr_redirect_stderr();
	cr_expect_eq(vgpu_fault_add("ioctl=GEM_CREATE:1:EIO,hang=nowhere"), -EINVAL);
	open_dev();
	amdbare_bo *bo = NULL;
	cr_expect_eq(create(AMDBARE_DOMAIN_GTT, &bo), 0, "the valid first item was not armed "
		     "either: %s", amdbare_last_error());
	cr_expect_eq(vgpu_fault_hits(), 0u);
	amdbare_bo_free(bo);
	teardown();
}

Test(fault_spec, env_spec_counts_from_the_start)
{
	vgpu_test_use_profile("780m", "AMDBARE_VGPU_FAULTS", "ioctl=GEM_CREATE:2:ENOMEM", NULL);
	vgpu_fault_require();
	open_dev();
	amdbare_bo *a = NULL, *b = NULL, *c = NULL;
	cr_expect_eq(create(AMDBARE_DOMAIN_GTT, &a), 0, "%s", amdbare_last_error());
	cr_expect_eq(create(AMDBARE_DOMAIN_GTT, &b), -ENOMEM, "the second GEM_CREATE fails");
	cr_expect(amdbare_last_error()[0]);
	cr_expect_eq(create(AMDBARE_DOMAIN_GTT, &c), 0, "one shot: %s", amdbare_last_error());
	cr_expect_eq(vgpu_fault_hits(), 1u);
	amdbare_bo_free(a);
	amdbare_bo_free(c);
	teardown();
}

/* ---- ioctl failures -------------------------------------------------------- */

TestSuite(fault_inject, .init = setup, .fini = teardown, .timeout = 60);

Test(fault_inject, nth_call_fails_without_effect)
{
	amdbare_bo *a = NULL, *b = NULL;
	cr_assert_eq(create(AMDBARE_DOMAIN_GTT, &a), 0);
	char before[1024];
	int nbefore = vgpu_test_open_objects(before, sizeof(before));
	/* by number: 0x40 is DRM_AMDGPU_GEM_CREATE */
	vgpu_fault_arm("ioctl=0x40:1:EIO");
	cr_expect_eq(create(AMDBARE_DOMAIN_GTT, &b), -EIO);
	cr_expect_null(b);
	cr_expect_eq(vgpu_test_open_objects(NULL, 0), nbefore, "the failed call created nothing");
	cr_assert_eq(create(AMDBARE_DOMAIN_GTT, &b), 0, "%s", amdbare_last_error());
	amdbare_bo_free(a);
	amdbare_bo_free(b);
}

Test(fault_inject, every_call_from_the_nth)
{
	amdbare_bo *bo[4] = {0};
	vgpu_fault_ioctl("DRM_IOCTL_AMDGPU_GEM_CREATE", 2, true, ENODEV);
	cr_expect_eq(create(AMDBARE_DOMAIN_GTT, &bo[0]), 0);
	cr_expect_eq(create(AMDBARE_DOMAIN_GTT, &bo[1]), -ENODEV);
	cr_expect_eq(create(AMDBARE_DOMAIN_GTT, &bo[2]), -ENODEV);
	cr_expect_eq(vgpu_fault_hits(), 2u);
	vgpu_fault_clear();
	cr_expect_eq(create(AMDBARE_DOMAIN_GTT, &bo[3]), 0, "cleared: %s", amdbare_last_error());
	for (int i = 0; i < 4; i++)
		amdbare_bo_free(bo[i]);
}

Test(fault_inject, call_counts_by_name_and_number)
{
	uint64_t n0 = vgpu_fault_ioctl_calls("AMDGPU_GEM_CREATE");
	cr_assert_eq(vgpu_fault_ioctl_calls("0x40"), n0);
	amdbare_bo *bo = NULL;
	cr_assert_eq(create(AMDBARE_DOMAIN_GTT, &bo), 0);
	cr_expect_eq(vgpu_fault_ioctl_calls("GEM_CREATE"), n0 + 1);
	cr_expect_eq(vgpu_fault_ioctl_calls("NO_SUCH_IOCTL"), UINT64_MAX);
	amdbare_bo_free(bo);
}

/* EINTR and EAGAIN: libdrm's drmIoctl repeats the call, so the library's
 * operation succeeds while the vgpu saw one call more. */
static void check_retry(const char *ioctl, int err)
{
	uint32_t *p;
	amdbare_bo_create_info ci = {.size = 4096, .domains = AMDBARE_DOMAIN_GTT,
				     .flags = AMDBARE_BO_CPU_ACCESS};
	amdbare_bo *bo = NULL;
	cr_assert_eq(amdbare_bo_create(dev, &ci, &bo), 0);
	cr_assert_eq(amdbare_bo_cpu_map(bo, (void **)&p), 0);
	uint64_t lib_cs = ab_cs_ioctl_count();
	uint64_t vgpu_cs = vgpu_fault_ioctl_calls("AMDGPU_CS");
	uint64_t vgpu_calls = vgpu_fault_ioctl_calls(ioctl);
	vgpu_fault_ioctl(ioctl, 1, false, err);
	cr_assert_eq(amdbare_fill(dev, bo, 0, 4096, 0x1234u), 0, "%s %s: %s", ioctl,
		     vgpu_fault_errno_name(err), amdbare_last_error());
	cr_expect_eq(vgpu_fault_hits(), 1u);
	cr_expect_eq(p[1023], 0x1234u);
	cr_expect_eq(ab_cs_ioctl_count() - lib_cs, 1u, "the library submitted once");
	uint64_t extra = strstr(ioctl, "CS") && !strstr(ioctl, "WAIT") ? 1 : 0;
	cr_expect_eq(vgpu_fault_ioctl_calls("AMDGPU_CS") - vgpu_cs, 1u + extra,
		     "the vgpu saw the retried CS");
	cr_expect_geq(vgpu_fault_ioctl_calls(ioctl) - vgpu_calls, 2u, "%s was called again", ioctl);
	amdbare_bo_free(bo);
}

Test(fault_inject, cs_eintr_is_retried)
{
	check_retry("AMDGPU_CS", EINTR);
}

Test(fault_inject, cs_eagain_is_retried)
{
	check_retry("AMDGPU_CS", EAGAIN);
}

Test(fault_inject, wait_cs_eintr_is_retried)
{
	check_retry("WAIT_CS", EINTR);
}

Test(fault_inject, ctx_eagain_is_retried)
{
	check_retry("AMDGPU_CTX", EAGAIN);
}

/* ---- heaps ------------------------------------------------------------------- */

Test(fault_inject, vram_full_falls_back_to_gtt)
{
	amdbare_bo *a = NULL, *b = NULL;
	amdbare_placement pl;
	vgpu_fault_heap_full("vram", 1);
	cr_assert_eq(create(AMDBARE_DOMAIN_VRAM, &a), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_bo_get_placement(a, &pl), 0);
	cr_expect_eq(pl.actual_domain, (uint32_t)AMDBARE_DOMAIN_VRAM, "the first fits: %s",
		     pl.evidence);
	/* amdgpu_gem_create_ioctl retries a VRAM-only request with GTT */
	cr_assert_eq(create(AMDBARE_DOMAIN_VRAM, &b), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_bo_get_placement(b, &pl), 0);
	cr_expect_eq(pl.actual_domain, (uint32_t)AMDBARE_DOMAIN_GTT, "%s", pl.evidence);
	cr_expect(pl.fell_back_to_gtt);
	cr_expect_eq(pl.evictions_delta, 0u, "a full heap evicts nothing");
	amdbare_bo_free(a);
	amdbare_bo_free(b);
}

Test(fault_inject, full_gtt_and_vram_give_enomem)
{
	amdbare_bo *a = NULL, *b = NULL;
	vgpu_fault_heap_full("gtt", 0);
	cr_expect_eq(create(AMDBARE_DOMAIN_GTT, &a), -ENOMEM);
	cr_expect(amdbare_last_error()[0], "a message comes with the error");
	cr_assert_eq(create(AMDBARE_DOMAIN_GTT | AMDBARE_DOMAIN_VRAM, &b), 0, "VRAM is left: %s",
		     amdbare_last_error());
	amdbare_bo_free(b);
	b = NULL;
	vgpu_fault_heap_full("vram", 0);
	cr_expect_eq(create(AMDBARE_DOMAIN_VRAM, &b), -ENOMEM, "both heaps full");
	amdbare_bo_free(a);
	amdbare_bo_free(b);
}

/* ---- resets -------------------------------------------------------------------- */

static uint32_t info_u32(uint32_t query)
{
	uint32_t v = 0xffffffffu;
	struct drm_amdgpu_info req;
	memset(&req, 0, sizeof(req));
	req.return_pointer = (uintptr_t)&v;
	req.return_size = 4;
	req.query = query;
	cr_assert_eq(drmIoctl(amdbare_device_fd(dev), DRM_IOCTL_AMDGPU_INFO, &req), 0);
	return v;
}

static uint32_t query_state(uint32_t ctx)
{
	union drm_amdgpu_ctx req;
	memset(&req, 0, sizeof(req));
	req.in.op = AMDGPU_CTX_OP_QUERY_STATE;
	req.in.ctx_id = ctx;
	cr_assert_eq(drmIoctl(amdbare_device_fd(dev), DRM_IOCTL_AMDGPU_CTX, &req), 0);
	return req.out.state.reset_status;
}

Test(fault_inject, vram_lost_counter_and_query_state)
{
	amdbare_ctx *ctx = NULL;
	cr_assert_eq(amdbare_ctx_create(dev, 0, &ctx), 0);
	cr_expect_eq(info_u32(AMDGPU_INFO_VRAM_LOST_COUNTER), 0u);
	cr_expect_eq(query_state(amdbare_ctx_id(ctx)), (uint32_t)AMDGPU_CTX_NO_RESET);
	vgpu_exec_gpu_reset(false);
	cr_expect_eq(info_u32(AMDGPU_INFO_VRAM_LOST_COUNTER), 0u, "no VRAM lost");
	/* amdgpu_ctx_query: UNKNOWN_RESET once, then NO_RESET */
	cr_expect_eq(query_state(amdbare_ctx_id(ctx)), (uint32_t)AMDGPU_CTX_UNKNOWN_RESET);
	cr_expect_eq(query_state(amdbare_ctx_id(ctx)), (uint32_t)AMDGPU_CTX_NO_RESET);
	vgpu_exec_gpu_reset(true);
	cr_expect_eq(info_u32(AMDGPU_INFO_VRAM_LOST_COUNTER), 1u);
	amdbare_ctx_free(ctx);
}

Test(fault_inject, vram_loss_cancels_a_hung_job_without_blaming_it)
{
	amdbare_bo_create_info ci = {.size = 4096, .domains = AMDBARE_DOMAIN_GTT};
	amdbare_bo *bo = NULL;
	cr_assert_eq(amdbare_bo_create(dev, &ci, &bo), 0);
	amdbare_ctx *ctx = NULL;
	cr_assert_eq(amdbare_ctx_create(dev, 0, &ctx), 0);
	amdbare_batch *b = NULL;
	cr_assert_eq(amdbare_batch_create(dev, AMDBARE_ENGINE_DMA, &b), 0);
	cr_assert_eq(amdbare_batch_fill(b, bo, 0, 4096, 1), 0);
	vgpu_fault_hang("sdma0", 1);
	amdbare_fence f;
	cr_assert_eq(amdbare_batch_submit(b, ctx, &f), 0, "%s", amdbare_last_error());
	cr_expect_eq(amdbare_fence_wait(&f, 50 * 1000 * 1000ull), -ETIME, "hangs: %s",
		     amdbare_last_error());
	vgpu_exec_gpu_reset(true);
	cr_expect_eq(amdbare_fence_wait(&f, AMDBARE_TIMEOUT_INFINITE), -ECANCELED);
	amdbare_ctx_reset_info ri;
	cr_assert_eq(amdbare_ctx_query_reset(ctx, &ri), 0);
	cr_expect_eq(ri.state, AMDBARE_RESET_INNOCENT, "cancelled by the loss, not blamed");
	cr_expect(ri.vram_lost);
	amdbare_batch_free(b);
	amdbare_ctx_free(ctx);
	amdbare_bo_free(bo);
}

Test(fault_spec, at_most_64_faults_armed)
{
	vgpu_test_use_profile("780m", NULL);
	vgpu_fault_require();
	cr_redirect_stderr();
	for (int i = 0; i < 64; i++)
		cr_assert_eq(vgpu_fault_add("hang=gfx_0.0.0:1000"), 0, "fault %d", i);
	cr_expect_eq(vgpu_fault_add("hang=gfx_0.0.0:1000"), -EINVAL, "the 65th is refused");
	vgpu_fault_clear();
	cr_expect_eq(vgpu_fault_add("hang=gfx_0.0.0:1000"), 0, "cleared: room again");
	vgpu_fault_clear();
}
