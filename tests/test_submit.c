/*
 * Command submission end to end on the virtual device: contexts, copy and
 * fill through the SDMA engine read back through CPU maps, big copies,
 * batches (one CS ioctl for many operations), fences and waits, syncobjs,
 * a user fence, PM4 packets on the compute engine, and a deliberately
 * faulting job that must leave its context guilty while a new context
 * keeps working.
 *
 * When the device (kernel or vgpu) has no command submission, the tests
 * that submit skip themselves, saying so.
 */
#include "amdbare.h"
#include "submit/internal.h"
#include "gfx/pm4_builder.h"
#include "gfx/sdma_builder.h"
#include "vgpu_fault.h"
#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <linux/capability.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <xf86drm.h>

#define KiB (1ull << 10)
#define MiB (1ull << 20)

static amdbare_device *dev;

static void setup(void)
{
	vgpu_test_use_profile("780m", NULL);
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

TestSuite(ctx, .init = setup, .fini = teardown);
TestSuite(submit, .init = setup, .fini = teardown);

/* Skips the test when the device cannot submit at all. */
static void skip_if_no_cs(int r)
{
	if (r == -EOPNOTSUPP && strstr(amdbare_last_error(), "not supported"))
		cr_skip_test("command submission not supported by this kernel/device: %s",
			     amdbare_last_error());
}

static amdbare_bo *make_bo(uint64_t size, uint32_t domains, uint32_t flags)
{
	amdbare_bo_create_info ci = { .size = size, .domains = domains, .flags = flags };
	amdbare_bo *bo = NULL;
	cr_assert_eq(amdbare_bo_create(dev, &ci, &bo), 0, "create: %s", amdbare_last_error());
	return bo;
}

static void *map(amdbare_bo *bo)
{
	void *p = NULL;
	cr_assert_eq(amdbare_bo_cpu_map(bo, &p), 0, "map: %s", amdbare_last_error());
	return p;
}

/* ---- contexts ------------------------------------------------------------- */

Test(ctx, create_query_free)
{
	amdbare_ctx *a = NULL, *b = NULL;
	cr_assert_eq(amdbare_ctx_create(dev, AMDBARE_PRIORITY_NORMAL, &a), 0, "%s",
		     amdbare_last_error());
	cr_assert_eq(amdbare_ctx_create(dev, AMDBARE_PRIORITY_LOW, &b), 0, "%s",
		     amdbare_last_error());
	cr_expect_neq(amdbare_ctx_id(a), 0);
	cr_expect_neq(amdbare_ctx_id(a), amdbare_ctx_id(b));
	amdbare_ctx_reset_info ri;
	cr_assert_eq(amdbare_ctx_query_reset(a, &ri), 0, "%s", amdbare_last_error());
	cr_expect_eq(ri.state, AMDBARE_RESET_NONE);
	cr_expect(!ri.guilty && !ri.reset);
	cr_expect_eq(amdbare_ctx_free(a), 0);
	cr_expect_eq(amdbare_ctx_free(b), 0);
	cr_expect_eq(amdbare_ctx_free(NULL), 0);
}

Test(ctx, unknown_priority_is_einval)
{
	amdbare_ctx *c = (amdbare_ctx *)1;
	cr_expect_eq(amdbare_ctx_create(dev, 100, &c), -EINVAL);
	cr_expect_null(c);
	cr_expect(strstr(amdbare_last_error(), "priority 100"), "%s", amdbare_last_error());
}

/* Drops CAP_SYS_NICE from the effective set (this test process only). */
static void drop_sys_nice(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	cr_assert_eq(syscall(SYS_capget, &hdr, data), 0);
	data[CAP_SYS_NICE / 32].effective &= ~(1u << (CAP_SYS_NICE % 32));
	cr_assert_eq(syscall(SYS_capset, &hdr, data), 0);
}

Test(ctx, high_priority_needs_cap_sys_nice)
{
	amdbare_ctx *c = NULL;
	drop_sys_nice();
	cr_expect_eq(amdbare_ctx_create(dev, AMDBARE_PRIORITY_HIGH, &c), -EACCES);
	cr_expect(strstr(amdbare_last_error(), "CAP_SYS_NICE"), "%s", amdbare_last_error());
	cr_expect_null(c);
	cr_expect_eq(amdbare_ctx_create(dev, AMDBARE_PRIORITY_NORMAL, &c), 0, "normal still works");
	amdbare_ctx_free(c);
}

/* ---- copy / fill ---------------------------------------------------------- */

Test(submit, fill_then_copy_read_back)
{
	amdbare_bo *a = make_bo(1 * MiB, AMDBARE_DOMAIN_GTT, 0);
	amdbare_bo *b = make_bo(1 * MiB, AMDBARE_DOMAIN_VRAM, AMDBARE_BO_CPU_ACCESS);
	uint32_t *pa = map(a), *pb = map(b);
	memset(pb, 0, 1 * MiB);
	int r = amdbare_fill(dev, a, 4096, 64 * KiB, 0xa5a5f00du);
	skip_if_no_cs(r);
	cr_assert_eq(r, 0, "fill: %s", amdbare_last_error());
	cr_expect_eq(pa[4096 / 4 - 1], 0, "before the range untouched");
	for (uint64_t i = 4096 / 4; i < (4096 + 64 * KiB) / 4; i++)
		cr_assert_eq(pa[i], 0xa5a5f00du, "dword %llu", (unsigned long long)i);
	cr_expect_eq(pa[(4096 + 64 * KiB) / 4], 0, "after the range untouched");

	r = amdbare_copy(dev, b, 12, a, 4096, 64 * KiB);
	cr_assert_eq(r, 0, "copy: %s", amdbare_last_error());
	uint8_t *bb = (uint8_t *)pb;
	cr_expect_eq(bb[11], 0);
	cr_expect_eq(memcmp(bb + 12, (uint8_t *)pa + 4096, 64 * KiB), 0, "copied bytes match");
	cr_expect_eq(bb[12 + 64 * KiB], 0);
	cr_expect_neq(amdbare_bo_gpu_va(a), 0, "copy/fill mapped the buffer on the GPU");

	/* COPY_LINEAR is byte-granular: odd offsets and an odd size. */
	for (int i = 0; i < 2000; i++)
		((uint8_t *)pa)[512 * KiB + i] = (uint8_t)(i * 7 + 1);
	memset(bb + 256 * KiB, 0, 4096);
	r = amdbare_copy(dev, b, 256 * KiB + 3, a, 512 * KiB + 5, 1001);
	cr_assert_eq(r, 0, "odd copy: %s", amdbare_last_error());
	cr_expect_eq(bb[256 * KiB + 2], 0);
	cr_expect_eq(memcmp(bb + 256 * KiB + 3, (uint8_t *)pa + 512 * KiB + 5, 1001), 0);
	cr_expect_eq(bb[256 * KiB + 3 + 1001], 0);
	amdbare_bo_free(a);
	amdbare_bo_free(b);
}

Test(submit, bad_ranges_submit_nothing)
{
	amdbare_bo *a = make_bo(64 * KiB, AMDBARE_DOMAIN_GTT, 0);
	amdbare_bo *b = make_bo(64 * KiB, AMDBARE_DOMAIN_GTT, 0);
	uint64_t before = ab_cs_ioctl_count();
	cr_expect_eq(amdbare_fill(dev, a, 60 * KiB, 8 * KiB, 0), -ERANGE);
	cr_expect(strstr(amdbare_last_error(), "outside buffer"), "%s", amdbare_last_error());
	cr_expect_eq(amdbare_fill(dev, a, UINT64_MAX - 3, 8, 0), -ERANGE, "no wrap-around");
	cr_expect_eq(amdbare_copy(dev, a, 0, b, 1, 64 * KiB), -ERANGE);
	cr_expect_eq(amdbare_copy(dev, a, 0, b, 0, 0), -EINVAL);
	cr_expect_eq(amdbare_fill(dev, a, 2, 8, 0), -EINVAL, "fill offset not 4-aligned");
	cr_expect_eq(amdbare_fill(dev, a, 0, 6, 0), -EINVAL, "fill size not 4-aligned");
	cr_expect_eq(amdbare_copy(dev, a, 0, a, 16, 64), -EINVAL, "overlapping copy");
	cr_expect_eq(ab_cs_ioctl_count(), before, "no CS ioctl for a rejected call");
	cr_expect_eq(amdbare_bo_gpu_va(a), 0, "nothing was mapped either");
	amdbare_bo_free(a);
	amdbare_bo_free(b);
}

Test(submit, big_copy_is_split_correctly)
{
	/* 9 MiB + 12 bytes: three COPY_LINEAR packets (4 MiB, 4 MiB, 1 MiB + 12). */
	const uint64_t size = 9 * MiB + 12;
	amdbare_bo *src = make_bo(10 * MiB, AMDBARE_DOMAIN_GTT, 0);
	amdbare_bo *dst = make_bo(10 * MiB, AMDBARE_DOMAIN_GTT, 0);
	uint32_t *ps = map(src);
	uint8_t *pd = map(dst);
	for (uint64_t i = 0; i < 10 * MiB / 4; i++)
		ps[i] = (uint32_t)(i * 2654435761u);
	memset(pd, 0xee, 10 * MiB);
	int r = amdbare_copy(dev, dst, 4, src, 8, size);
	skip_if_no_cs(r);
	cr_assert_eq(r, 0, "copy: %s", amdbare_last_error());
	cr_expect_eq(memcmp(pd + 4, (uint8_t *)ps + 8, size), 0, "all %llu bytes copied",
		     (unsigned long long)size);
	cr_expect_eq(pd[3], 0xee);
	cr_expect_eq(pd[4 + size], 0xee, "nothing past the end");
	amdbare_bo_free(src);
	amdbare_bo_free(dst);
}

Test(submit, batch_of_fills_is_one_cs_ioctl)
{
	enum { N = 64 };
	amdbare_bo *bo = make_bo(N * 4 * KiB, AMDBARE_DOMAIN_VRAM, AMDBARE_BO_CPU_ACCESS);
	uint32_t *p = map(bo);
	amdbare_batch *b = NULL;
	int r = amdbare_batch_create(dev, AMDBARE_ENGINE_DMA, &b);
	skip_if_no_cs(r);
	cr_assert_eq(r, 0, "%s", amdbare_last_error());
	for (uint32_t i = 0; i < N; i++)
		cr_assert_eq(amdbare_batch_fill(b, bo, i * 4 * KiB, 4 * KiB, 0x1000 + i), 0, "%s",
			     amdbare_last_error());
	cr_expect_eq(amdbare_batch_count(b), N);
	cr_expect_eq(amdbare_batch_barrier(b), 0, "a DMA barrier is a no-op");
	uint64_t before = ab_cs_ioctl_count();
	r = amdbare_batch_run(b, NULL);
	skip_if_no_cs(r);
	cr_assert_eq(r, 0, "run: %s", amdbare_last_error());
	cr_expect_eq(ab_cs_ioctl_count() - before, 1, "one submission for %d fills", N);
	for (uint32_t i = 0; i < N; i++) {
		cr_expect_eq(p[i * 1024], 0x1000 + i);
		cr_expect_eq(p[i * 1024 + 1023], 0x1000 + i);
	}
	/* Reuse: a dependent copy after a fill in the same batch sees the fill
	 * (the SDMA engine runs an IB's packets in order). */
	cr_assert_eq(amdbare_batch_fill(b, bo, 0, 4 * KiB, 0xabcdef01u), 0);
	cr_assert_eq(amdbare_batch_copy(b, bo, 8 * KiB, bo, 0, 4 * KiB), 0);
	cr_expect_eq(amdbare_batch_count(b), 2);
	cr_assert_eq(amdbare_batch_run(b, NULL), 0, "%s", amdbare_last_error());
	cr_expect_eq(p[2 * 1024 + 5], 0xabcdef01u, "copy saw the fill before it");
	cr_expect_eq(amdbare_batch_free(b), 0);
	amdbare_bo_free(bo);
}

Test(submit, fences_and_waits)
{
	amdbare_ctx *ctx = NULL;
	cr_assert_eq(amdbare_ctx_create(dev, AMDBARE_PRIORITY_NORMAL, &ctx), 0);
	amdbare_bo *bo = make_bo(4 * MiB, AMDBARE_DOMAIN_GTT, 0);
	uint32_t *p = map(bo);
	amdbare_batch *b = NULL;
	int r = amdbare_batch_create(dev, AMDBARE_ENGINE_DMA, &b);
	skip_if_no_cs(r);
	cr_assert_eq(r, 0);
	cr_assert_eq(amdbare_batch_fill(b, bo, 0, 4 * MiB, 7), 0);
	amdbare_fence f1, f2;
	r = amdbare_batch_submit(b, ctx, &f1);
	skip_if_no_cs(r);
	cr_assert_eq(r, 0, "%s", amdbare_last_error());
	cr_expect_eq(f1.ctx, ctx);
	cr_expect_eq(f1.ip_type, AMDBARE_ENGINE_DMA);
	cr_expect_neq(f1.seq, 0);
	cr_assert_eq(amdbare_fence_wait(&f1, 5000000000ull), 0, "%s", amdbare_last_error());
	cr_expect_eq(p[0], 7);
	cr_expect_eq(p[MiB - 1], 7);
	cr_expect_eq(amdbare_fence_wait(&f1, 0), 0, "a signalled fence stays signalled");
	cr_assert_eq(amdbare_batch_fill(b, bo, 0, 4, 8), 0);
	cr_assert_eq(amdbare_batch_submit(b, ctx, &f2), 0, "%s", amdbare_last_error());
	cr_expect_gt(f2.seq, f1.seq, "sequence numbers grow on a ring");
	cr_assert_eq(amdbare_fence_wait(&f2, AMDBARE_TIMEOUT_INFINITE), 0);
	cr_expect_eq(p[0], 8);
	cr_expect_eq(amdbare_batch_submit(b, ctx, &f2), -EINVAL, "nothing queued");
	amdbare_batch_free(b);
	amdbare_ctx_free(ctx);
	amdbare_bo_free(bo);
}

/* A DMA command buffer holding one hand-built SDMA v6 CONST_FILL (op 11,
 * FILLSIZE 2 << 30) of `bytes` at va. */
static amdbare_cmdbuf *fill_cmdbuf(amdbare_bo *bo, uint64_t offset, uint32_t bytes, uint32_t value)
{
	amdbare_cmdbuf *cb = NULL;
	int r = amdbare_cmdbuf_create(dev, AMDBARE_ENGINE_DMA, &cb);
	skip_if_no_cs(r);
	cr_assert_eq(r, 0, "%s", amdbare_last_error());
	uint64_t va = amdbare_bo_gpu_va(bo) + offset;
	const uint32_t fill[] = { 0x8000000bu, (uint32_t)va, (uint32_t)(va >> 32), value, bytes - 1 };
	cr_assert_eq(amdbare_cmdbuf_emit_array(cb, fill, 5), 0);
	cr_assert_eq(amdbare_cmdbuf_use_bo(cb, bo), 0);
	cr_assert_eq(amdbare_cmdbuf_use_bo(cb, bo), 0, "duplicates are ignored");
	return cb;
}

Test(submit, options_bo_list_object_user_fence_syncobj_in)
{
	amdbare_ctx *ctx = NULL;
	cr_assert_eq(amdbare_ctx_create(dev, AMDBARE_PRIORITY_NORMAL, &ctx), 0);
	amdbare_bo *bo = make_bo(64 * KiB, AMDBARE_DOMAIN_GTT, 0);
	amdbare_bo *uf = make_bo(4 * KiB, AMDBARE_DOMAIN_GTT, 0);
	uint32_t *p = map(bo);
	uint64_t *pu = map(uf);
	cr_assert_eq(amdbare_bo_gpu_map(bo, AMDBARE_VA_READ | AMDBARE_VA_WRITE, NULL), 0);
	amdbare_cmdbuf *cb = fill_cmdbuf(bo, 0, 256, 0x5eed);

	uint32_t s1 = 0;
	cr_assert_eq(drmSyncobjCreate(amdbare_device_fd(dev), DRM_SYNCOBJ_CREATE_SIGNALED, &s1), 0);
	amdbare_submit_options o = { .use_bo_list_object = true, .wait_syncobjs = &s1,
				     .num_wait_syncobjs = 1, .user_fence_bo = uf,
				     .user_fence_offset = 64 };
	amdbare_fence f;
	int r = amdbare_cmdbuf_submit(cb, ctx, &o, &f);
	skip_if_no_cs(r);
	cr_assert_eq(r, 0, "%s", amdbare_last_error());
	cr_expect_eq(amdbare_cmdbuf_length(cb) % 8, 0, "padded to the IB alignment");
	cr_assert_eq(amdbare_fence_wait(&f, AMDBARE_TIMEOUT_INFINITE), 0, "%s",
		     amdbare_last_error());
	cr_expect_eq(p[0], 0x5eed);
	cr_expect_eq(p[63], 0x5eed);
	cr_expect_eq(p[64], 0, "exactly 256 bytes");
	cr_expect_eq(pu[8], f.seq, "the kernel wrote the sequence number to the user fence");
	o.user_fence_offset = 4;
	cr_expect_eq(amdbare_cmdbuf_submit(cb, ctx, &o, &f), -EINVAL, "user fence misaligned");
	drmSyncobjDestroy(amdbare_device_fd(dev), s1);
	amdbare_cmdbuf_free(cb);
	amdbare_ctx_free(ctx);
	amdbare_bo_free(bo);
	amdbare_bo_free(uf);
}

/* Job A (compute) waits until the CPU writes 1, then writes 0xa11;
 * SYNCOBJ_OUT gives its fence to a syncobj.  Job B (DMA, another ring)
 * waits on that syncobj (SYNCOBJ_IN) and copies A's word: B cannot run
 * before A, and what it copies shows the order in memory. */
Test(submit, syncobj_out_of_job_a_orders_job_b)
{
	amdbare_bo *bo = make_bo(4 * KiB, AMDBARE_DOMAIN_GTT, 0);
	volatile uint32_t *p = map(bo);
	p[0] = 0;
	p[8] = 0;
	p[16] = 0;
	cr_assert_eq(amdbare_bo_gpu_map(bo, AMDBARE_VA_READ | AMDBARE_VA_WRITE, NULL), 0);
	uint64_t va = amdbare_bo_gpu_va(bo);
	amdbare_cmdbuf *a = NULL, *b = NULL;
	int r = amdbare_cmdbuf_create(dev, AMDBARE_ENGINE_COMPUTE, &a);
	skip_if_no_cs(r);
	cr_assert_eq(r, 0, "%s", amdbare_last_error());
	struct ab_pm4 pm4 = { &a->buf, &ab_gfx_gen_gfx11, true };
	cr_assert_eq(ab_pm4_wait_reg_mem(&pm4, va, 1, 0xffffffffu, AB_PM4_WAIT_EQ, 0xa), 0);
	const uint32_t mark = 0xa11;
	cr_assert_eq(ab_pm4_write_data(&pm4, va + 32, &mark, 1), 0);
	cr_assert_eq(amdbare_cmdbuf_use_bo(a, bo), 0);
	cr_assert_eq(amdbare_cmdbuf_create(dev, AMDBARE_ENGINE_DMA, &b), 0, "%s",
		     amdbare_last_error());
	cr_assert_eq(ab_sdma_copy_linear(&b->buf, va + 64, va + 32, 4), 0);
	cr_assert_eq(amdbare_cmdbuf_use_bo(b, bo), 0);

	int fd = amdbare_device_fd(dev);
	uint32_t s = 0;
	cr_assert_eq(drmSyncobjCreate(fd, 0, &s), 0);
	amdbare_ctx *ctx = NULL;
	cr_assert_eq(amdbare_ctx_create(dev, AMDBARE_PRIORITY_NORMAL, &ctx), 0);
	amdbare_submit_options oa = { .signal_syncobj = s };
	amdbare_fence fa, fb;
	r = amdbare_cmdbuf_submit(a, ctx, &oa, &fa);
	cr_assert_eq(r, 0, "SYNCOBJ_OUT: %s", amdbare_last_error());
	cr_assert_eq(drmSyncobjWait(fd, &s, 1, 0, 0, NULL), -ETIME, "A is still waiting");
	amdbare_submit_options ob = { .wait_syncobjs = &s, .num_wait_syncobjs = 1 };
	cr_assert_eq(amdbare_cmdbuf_submit(b, ctx, &ob, &fb), 0, "SYNCOBJ_IN: %s",
		     amdbare_last_error());
	cr_expect_eq(amdbare_fence_wait(&fb, 50000000ull), -ETIME, "B must wait for A: %s",
		     amdbare_last_error());
	cr_expect_eq(p[16], 0, "B ran before A");
	p[0] = 1;
	cr_assert_eq(amdbare_fence_wait(&fb, 10000000000ull), 0, "%s", amdbare_last_error());
	cr_expect_eq(p[8], 0xa11);
	cr_expect_eq(p[16], 0xa11, "B copied what A wrote");
	cr_assert_eq(drmSyncobjWait(fd, &s, 1, 0, 0, NULL), 0, "the out-syncobj signaled");
	cr_assert_eq(amdbare_fence_wait(&fa, 0), 0, "%s", amdbare_last_error());
	drmSyncobjDestroy(fd, s);
	amdbare_cmdbuf_free(a);
	amdbare_cmdbuf_free(b);
	amdbare_ctx_free(ctx);
	amdbare_bo_free(bo);
}

Test(submit, command_buffer_grows)
{
	amdbare_bo *bo = make_bo(64 * KiB, AMDBARE_DOMAIN_GTT, 0);
	uint32_t *p = map(bo);
	cr_assert_eq(amdbare_bo_gpu_map(bo, AMDBARE_VA_READ | AMDBARE_VA_WRITE, NULL), 0);
	amdbare_cmdbuf *cb = NULL;
	int r = amdbare_cmdbuf_create(dev, AMDBARE_ENGINE_DMA, &cb);
	skip_if_no_cs(r);
	cr_assert_eq(r, 0);
	/* 20000 NOP dwords (80 KB, several growths), then one fill. */
	for (int i = 0; i < 20000; i++)
		cr_assert_eq(amdbare_cmdbuf_emit(cb, 0), 0);
	uint64_t va = amdbare_bo_gpu_va(bo);
	const uint32_t fill[] = { 0x8000000bu, (uint32_t)va, (uint32_t)(va >> 32), 0x77, 4095 };
	cr_assert_eq(amdbare_cmdbuf_emit_array(cb, fill, 5), 0);
	cr_assert_eq(amdbare_cmdbuf_length(cb), 20005);
	cr_assert_eq(amdbare_cmdbuf_use_bo(cb, bo), 0);
	amdbare_ctx *ctx = NULL;
	cr_assert_eq(amdbare_ctx_create(dev, AMDBARE_PRIORITY_NORMAL, &ctx), 0);
	amdbare_fence f;
	r = amdbare_cmdbuf_submit(cb, ctx, NULL, &f);
	skip_if_no_cs(r);
	cr_assert_eq(r, 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_fence_wait(&f, AMDBARE_TIMEOUT_INFINITE), 0, "%s",
		     amdbare_last_error());
	cr_expect_eq(p[1023], 0x77);
	cr_expect_eq(amdbare_cmdbuf_free(cb), 0);
	amdbare_ctx_free(ctx);
	amdbare_bo_free(bo);
}

Test(submit, pm4_write_data_and_release_mem_on_compute)
{
	amdbare_bo *bo = make_bo(4 * KiB, AMDBARE_DOMAIN_GTT, 0);
	uint32_t *p = map(bo);
	memset(p, 0, 4 * KiB);
	cr_assert_eq(amdbare_bo_gpu_map(bo, AMDBARE_VA_READ | AMDBARE_VA_WRITE, NULL), 0);
	uint64_t va = amdbare_bo_gpu_va(bo);
	amdbare_batch *b = NULL;
	int r = amdbare_batch_create(dev, AMDBARE_ENGINE_COMPUTE, &b);
	skip_if_no_cs(r);
	cr_assert_eq(r, 0, "%s", amdbare_last_error());
	amdbare_cmdbuf *cb = amdbare_batch_cmdbuf(b);
	/* the device's own packet forms: RELEASE_MEM's EVENT_CNTL carries
	 * gfx10+'s GCR fields or gfx9's EOP_* actions, and the vgpu's gfx9
	 * CP refuses the gfx10+ ones */
	const struct ab_gfx_gen *gen = NULL;
	cr_assert_eq(ab_gfx_gen_for_device(dev, &gen), 0, "%s", amdbare_last_error());
	struct ab_pm4 pm4 = { &cb->buf, gen, true };
	const uint32_t v[3] = { 11, 22, 33 };
	cr_assert_eq(ab_pm4_write_data(&pm4, va + 16, v, 3), 0);
	cr_assert_eq(amdbare_batch_barrier(b), 0);
	cr_assert_eq(ab_pm4_release_mem(&pm4, va + 64, 0x123456789abcull, true), 0);
	cr_assert_eq(amdbare_cmdbuf_use_bo(cb, bo), 0);
	cr_expect_eq(amdbare_batch_copy(b, bo, 0, bo, 128, 4), -EINVAL, "no copies on compute");
	r = amdbare_batch_run(b, NULL);
	skip_if_no_cs(r);
	cr_assert_eq(r, 0, "%s", amdbare_last_error());
	cr_expect_eq(p[4], 11);
	cr_expect_eq(p[5], 22);
	cr_expect_eq(p[6], 33);
	cr_expect_eq(p[16], 0x56789abcu);
	cr_expect_eq(p[17], 0x1234u);
	amdbare_batch_free(b);
	amdbare_bo_free(bo);
}

Test(submit, faulting_job_makes_context_guilty)
{
	amdbare_ctx *ctx = NULL;
	cr_assert_eq(amdbare_ctx_create(dev, AMDBARE_PRIORITY_NORMAL, &ctx), 0);
	amdbare_bo *src = make_bo(64 * KiB, AMDBARE_DOMAIN_GTT, 0);
	cr_assert_eq(amdbare_bo_gpu_map(src, AMDBARE_VA_READ | AMDBARE_VA_WRITE, NULL), 0);
	amdbare_cmdbuf *cb = NULL;
	int r = amdbare_cmdbuf_create(dev, AMDBARE_ENGINE_DMA, &cb);
	skip_if_no_cs(r);
	cr_assert_eq(r, 0);
	/* COPY_LINEAR by hand: header (op 1, sub-op 0), count - 1, 0, src, dst
	 * at a GPU address nothing is mapped at. */
	uint64_t s = amdbare_bo_gpu_va(src), d = 0x00007f0000000000ull;
	const uint32_t copy[] = { 1, 4095, 0, (uint32_t)s, (uint32_t)(s >> 32), (uint32_t)d,
				  (uint32_t)(d >> 32) };
	cr_assert_eq(amdbare_cmdbuf_emit_array(cb, copy, 7), 0);
	cr_assert_eq(amdbare_cmdbuf_use_bo(cb, src), 0);
	amdbare_fence f;
	r = amdbare_cmdbuf_submit(cb, ctx, NULL, &f);
	skip_if_no_cs(r);
	cr_assert_eq(r, 0, "%s", amdbare_last_error());
	r = amdbare_fence_wait(&f, 10000000000ull);
	cr_expect_eq(r, -ECANCELED, "wait: %d %s", r, amdbare_last_error());
	cr_expect(strstr(amdbare_last_error(), "was reset: guilty (the job faulted or hung)"), "%s",
		  amdbare_last_error());

	amdbare_ctx_reset_info ri;
	cr_assert_eq(amdbare_ctx_query_reset(ctx, &ri), 0);
	cr_expect_eq(ri.state, AMDBARE_RESET_GUILTY);
	cr_expect(ri.guilty && ri.reset);

	/* The guilty context takes no more work (amdgpu_cs_ioctl: -ECANCELED). */
	amdbare_cmdbuf_reset(cb);
	amdbare_bo *ok = make_bo(4 * KiB, AMDBARE_DOMAIN_GTT, 0);
	uint32_t *p = map(ok);
	cr_assert_eq(amdbare_bo_gpu_map(ok, AMDBARE_VA_READ | AMDBARE_VA_WRITE, NULL), 0);
	uint64_t va = amdbare_bo_gpu_va(ok);
	const uint32_t fill[] = { 0x8000000bu, (uint32_t)va, (uint32_t)(va >> 32), 0x600d, 4095 };
	cr_assert_eq(amdbare_cmdbuf_emit_array(cb, fill, 5), 0);
	cr_assert_eq(amdbare_cmdbuf_use_bo(cb, ok), 0);
	cr_expect_eq(amdbare_cmdbuf_submit(cb, ctx, NULL, &f), -ECANCELED);
	cr_expect(strstr(amdbare_last_error(), "guilty"), "%s", amdbare_last_error());

	/* A new context works. */
	amdbare_ctx *fresh = NULL;
	cr_assert_eq(amdbare_ctx_create(dev, AMDBARE_PRIORITY_NORMAL, &fresh), 0);
	cr_assert_eq(amdbare_cmdbuf_submit(cb, fresh, NULL, &f), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_fence_wait(&f, AMDBARE_TIMEOUT_INFINITE), 0, "%s",
		     amdbare_last_error());
	cr_expect_eq(p[0], 0x600d);
	cr_expect_eq(p[1023], 0x600d);
	cr_assert_eq(amdbare_ctx_query_reset(fresh, &ri), 0);
	cr_expect_eq(ri.state, AMDBARE_RESET_NONE, "the new context is clean");
	amdbare_cmdbuf_free(cb);
	amdbare_ctx_free(ctx);
	amdbare_ctx_free(fresh);
	amdbare_bo_free(src);
	amdbare_bo_free(ok);
}

Test(submit, wait_times_out_while_the_job_polls_memory)
{
	amdbare_bo *bo = make_bo(4 * KiB, AMDBARE_DOMAIN_GTT, 0);
	volatile uint32_t *p = map(bo);
	p[0] = 0;
	p[8] = 0;
	cr_assert_eq(amdbare_bo_gpu_map(bo, AMDBARE_VA_READ | AMDBARE_VA_WRITE, NULL), 0);
	uint64_t va = amdbare_bo_gpu_va(bo);
	amdbare_cmdbuf *cb = NULL;
	int r = amdbare_cmdbuf_create(dev, AMDBARE_ENGINE_COMPUTE, &cb);
	skip_if_no_cs(r);
	cr_assert_eq(r, 0, "%s", amdbare_last_error());
	/* The job waits until the CPU writes 1, then writes 0xd0e. */
	struct ab_pm4 pm4 = { &cb->buf, &ab_gfx_gen_gfx11, true };
	cr_assert_eq(ab_pm4_wait_reg_mem(&pm4, va, 1, 0xffffffffu, AB_PM4_WAIT_EQ, 0xa), 0);
	const uint32_t done = 0xd0e;
	cr_assert_eq(ab_pm4_write_data(&pm4, va + 32, &done, 1), 0);
	cr_assert_eq(amdbare_cmdbuf_use_bo(cb, bo), 0);
	amdbare_ctx *ctx = NULL;
	cr_assert_eq(amdbare_ctx_create(dev, AMDBARE_PRIORITY_NORMAL, &ctx), 0);
	amdbare_fence f;
	r = amdbare_cmdbuf_submit(cb, ctx, NULL, &f);
	skip_if_no_cs(r);
	cr_assert_eq(r, 0, "%s", amdbare_last_error());
	cr_expect_eq(amdbare_fence_wait(&f, 50000000ull), -ETIME, "%s", amdbare_last_error());
	cr_expect(strstr(amdbare_last_error(), "still busy"), "%s", amdbare_last_error());
	cr_expect_eq(p[8], 0, "the job has not passed its wait");
	p[0] = 1;
	cr_assert_eq(amdbare_fence_wait(&f, 10000000000ull), 0, "%s", amdbare_last_error());
	cr_expect_eq(p[8], 0xd0e);
	amdbare_cmdbuf_free(cb);
	amdbare_ctx_free(ctx);
	amdbare_bo_free(bo);
}

Test(submit, command_buffer_limit_is_the_ib_size_field)
{
	amdbare_cmdbuf *cb = NULL;
	int r = amdbare_cmdbuf_create(dev, AMDBARE_ENGINE_DMA, &cb);
	skip_if_no_cs(r);
	cr_assert_eq(r, 0, "%s", amdbare_last_error());
	uint32_t *zeros = calloc(AB_IB_MAX_DW, 4);
	cr_assert_not_null(zeros);
	cr_expect_eq(amdbare_cmdbuf_emit_array(cb, zeros, AB_IB_MAX_DW + 1), -E2BIG);
	cr_assert_eq(amdbare_cmdbuf_reset(cb), 0);
	cr_assert_eq(amdbare_cmdbuf_emit_array(cb, zeros, AB_IB_MAX_DW - 2), 0, "%s",
		     amdbare_last_error());
	cr_expect_eq(amdbare_cmdbuf_emit_array(cb, zeros, 3), -E2BIG, "2^20 dwords is one too many");
	cr_expect(strstr(amdbare_last_error(), "IB limit"), "%s", amdbare_last_error());
	cr_expect_eq(amdbare_cmdbuf_emit(cb, 0), -E2BIG, "the error is sticky");
	amdbare_ctx *ctx = NULL;
	cr_assert_eq(amdbare_ctx_create(dev, AMDBARE_PRIORITY_NORMAL, &ctx), 0);
	uint64_t before = ab_cs_ioctl_count();
	cr_expect_eq(amdbare_cmdbuf_submit(cb, ctx, NULL, NULL), -E2BIG);
	cr_expect_eq(ab_cs_ioctl_count(), before, "a broken command buffer is not submitted");
	cr_assert_eq(amdbare_cmdbuf_reset(cb), 0);
	cr_expect_eq(amdbare_cmdbuf_length(cb), 0);
	cr_expect_eq(amdbare_cmdbuf_emit(cb, 0), 0, "usable again after reset");
	free(zeros);
	amdbare_cmdbuf_free(cb);
	amdbare_ctx_free(ctx);
}

/* ---- the device's cached copy/fill context ---------------------------------- */

static void setup_fault(void)
{
	/* a hang becomes a reset after 300 ms instead of the kernel's 10 s */
	vgpu_test_use_profile("780m", "AMDBARE_VGPU_TIMEOUT_MS", "300", NULL);
	vgpu_fault_require();
	int r = amdbare_device_open(0, &dev);
	cr_assert_eq(r, 0, "open: %s", amdbare_last_error());
}

TestSuite(copy_cache, .init = setup_fault, .fini = teardown, .timeout = 60);

#define CC_WORDS 1024u /* 4 KiB: small copies are where the per-call cost showed */

static uint64_t ctx_ioctls(void)
{
	return vgpu_fault_ioctl_calls("AMDGPU_CTX");
}

/* Writes a pattern for `tag` into src, copies it to dst with amdbare_copy
 * and returns the call's result; on success dst must hold the pattern. */
static int copy_tagged(amdbare_bo *dst, uint32_t *pd, amdbare_bo *src, uint32_t *ps, uint32_t tag)
{
	for (uint32_t i = 0; i < CC_WORDS; i++)
		ps[i] = tag * 0x10001u + i;
	int r = amdbare_copy(dev, dst, 0, src, 0, CC_WORDS * 4);
	if (r == 0)
		for (uint32_t i = 0; i < CC_WORDS; i++)
			cr_assert_eq(pd[i], tag * 0x10001u + i, "copy %u: word %u is 0x%x", tag, i,
				     pd[i]);
	return r;
}

Test(copy_cache, many_copies_and_fills_use_one_context)
{
	amdbare_bo *src = make_bo(CC_WORDS * 4, AMDBARE_DOMAIN_GTT, 0);
	amdbare_bo *dst = make_bo(CC_WORDS * 4, AMDBARE_DOMAIN_VRAM, AMDBARE_BO_CPU_ACCESS);
	uint32_t *ps = map(src), *pd = map(dst);
	uint64_t ctx0 = ctx_ioctls(), gem0 = vgpu_fault_ioctl_calls("AMDGPU_GEM_CREATE");
	uint64_t cs0 = ab_cs_ioctl_count();
	enum { N = 200 };
	for (uint32_t i = 0; i < N; i++) {
		if (i % 2) {
			int r = amdbare_fill(dev, dst, 0, CC_WORDS * 4, 0xf0000000u + i);
			cr_assert_eq(r, 0, "fill %u: %s", i, amdbare_last_error());
			cr_assert_eq(pd[0], 0xf0000000u + i);
			cr_assert_eq(pd[CC_WORDS - 1], 0xf0000000u + i);
		} else {
			int r = copy_tagged(dst, pd, src, ps, i);
			skip_if_no_cs(r);
			cr_assert_eq(r, 0, "copy %u: %s", i, amdbare_last_error());
		}
	}
	cr_expect_eq(ctx_ioctls() - ctx0, 1, "%d copies/fills made %llu CTX ioctls: one ALLOC_CTX "
		     "expected", N, (unsigned long long)(ctx_ioctls() - ctx0));
	cr_expect_eq(vgpu_fault_ioctl_calls("AMDGPU_GEM_CREATE") - gem0, 1,
		     "one command buffer (its IB) for all calls");
	cr_expect_eq(ab_cs_ioctl_count() - cs0, N, "one CS ioctl per call");
	amdbare_bo_free(src);
	amdbare_bo_free(dst);
}

Test(copy_cache, copy_after_gpu_reset_with_vram_loss_recovers)
{
	amdbare_bo *src = make_bo(CC_WORDS * 4, AMDBARE_DOMAIN_GTT, 0);
	amdbare_bo *dst = make_bo(CC_WORDS * 4, AMDBARE_DOMAIN_VRAM, AMDBARE_BO_CPU_ACCESS);
	uint32_t *ps = map(src), *pd = map(dst);
	int r = copy_tagged(dst, pd, src, ps, 1);
	skip_if_no_cs(r);
	cr_assert_eq(r, 0, "%s", amdbare_last_error());

	/* The cached context is now older than a VRAM loss: the kernel
	 * refuses CS on it (amdgpu_cs_pass1), and the copy must re-create it
	 * and submit again, as a copy with a fresh context would succeed. */
	vgpu_exec_gpu_reset(true);
	uint64_t ctx0 = ctx_ioctls(), cs0 = ab_cs_ioctl_count();
	r = copy_tagged(dst, pd, src, ps, 2);
	cr_assert_eq(r, 0, "the copy after the reset: %s", amdbare_last_error());
	cr_expect_eq(ab_cs_ioctl_count() - cs0, 2, "refused once, then submitted on the "
		     "re-created context");
	cr_expect_gt(ctx_ioctls() - ctx0, 0, "the context was re-created");

	/* Recovered for good: the next calls need no CTX ioctl at all. */
	ctx0 = ctx_ioctls();
	cs0 = ab_cs_ioctl_count();
	cr_assert_eq(copy_tagged(dst, pd, src, ps, 3), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_fill(dev, dst, 0, CC_WORDS * 4, 0x5eed), 0, "%s", amdbare_last_error());
	cr_expect_eq(pd[CC_WORDS - 1], 0x5eed);
	cr_expect_eq(ctx_ioctls() - ctx0, 0);
	cr_expect_eq(ab_cs_ioctl_count() - cs0, 2);
	amdbare_bo_free(src);
	amdbare_bo_free(dst);
}

Test(copy_cache, copy_after_hang_reports_it_then_next_works)
{
	amdbare_bo *src = make_bo(CC_WORDS * 4, AMDBARE_DOMAIN_GTT, 0);
	amdbare_bo *dst = make_bo(CC_WORDS * 4, AMDBARE_DOMAIN_GTT, AMDBARE_BO_CPU_ACCESS);
	uint32_t *ps = map(src), *pd = map(dst);
	int r = copy_tagged(dst, pd, src, ps, 1);
	skip_if_no_cs(r);
	cr_assert_eq(r, 0, "%s", amdbare_last_error());

	/* This copy's own job hangs: the call says so, in the kernel's terms
	 * (the fence error and the context's GUILTY state). */
	vgpu_fault_hang("sdma0", 1);
	r = copy_tagged(dst, pd, src, ps, 2);
	cr_assert_eq(r, -ECANCELED, "the hung copy: %d %s", r, amdbare_last_error());
	const char *msg = amdbare_last_error();
	cr_expect(strstr(msg, "was reset: guilty (the job faulted or hung)"), "%s", msg);
	cr_expect(strstr(msg, "re-create their own context on the next call"), "%s", msg);
	cr_expect_neq(pd[CC_WORDS - 1], 2u * 0x10001u + CC_WORDS - 1, "the hung copy did not "
		      "complete");

	/* The next calls work on a re-created context. */
	uint64_t ctx0 = ctx_ioctls(), cs0 = ab_cs_ioctl_count();
	r = copy_tagged(dst, pd, src, ps, 3);
	cr_assert_eq(r, 0, "the copy after the hang: %s", amdbare_last_error());
	cr_expect_gt(ctx_ioctls() - ctx0, 0, "the guilty context was re-created");
	cr_expect_eq(ab_cs_ioctl_count() - cs0, 1, "re-created before submitting: no refused CS");
	cr_assert_eq(amdbare_fill(dev, dst, 0, CC_WORDS * 4, 0xfeed), 0, "%s", amdbare_last_error());
	cr_expect_eq(pd[7], 0xfeed);
	amdbare_bo_free(src);
	amdbare_bo_free(dst);
}

Test(copy_cache, close_frees_the_cached_context)
{
	amdbare_bo *bo = make_bo(CC_WORDS * 4, AMDBARE_DOMAIN_GTT, 0);
	int r = amdbare_fill(dev, bo, 0, CC_WORDS * 4, 1);
	skip_if_no_cs(r);
	cr_assert_eq(r, 0, "%s", amdbare_last_error());
	amdbare_bo_free(bo);
	char desc[1024];
	cr_expect_gt(vgpu_test_open_objects(desc, sizeof(desc)), 0);
	cr_expect(strstr(desc, "context "), "the cached context is open until close: %s", desc);
	uint64_t ctx0 = ctx_ioctls();
	amdbare_device_close(dev);
	dev = NULL; /* teardown's close is then a no-op; it checks what is left */
	cr_expect_eq(ctx_ioctls() - ctx0, 1, "close freed the context itself (FREE_CTX), not "
		     "the file close");
	cr_expect(!strstr(amdbare_last_error(), "still open"), "the cached IB is not counted as "
		  "the caller's leak: %s", amdbare_last_error());
	cr_expect_eq(vgpu_test_open_objects(desc, sizeof(desc)), 0, "left open: %s", desc);
}

struct cc_thread {
	amdbare_bo *src, *dst;
	uint32_t *ps, *pd;
	uint32_t base;
	int bad;
};

static void *cc_thread_main(void *arg)
{
	struct cc_thread *t = arg;
	for (uint32_t n = 0; n < 50 && !t->bad; n++) {
		for (uint32_t i = 0; i < CC_WORDS; i++)
			t->ps[i] = t->base + n * CC_WORDS + i;
		if (amdbare_copy(dev, t->dst, 0, t->src, 0, CC_WORDS * 4) < 0 ||
		    t->pd[CC_WORDS - 1] != t->base + n * CC_WORDS + CC_WORDS - 1)
			t->bad = 1;
	}
	return NULL;
}

Test(copy_cache, concurrent_callers_get_their_own_context)
{
	struct cc_thread t[2];
	for (int i = 0; i < 2; i++) {
		t[i] = (struct cc_thread){.base = 0x01000000u * (uint32_t)(i + 1)};
		t[i].src = make_bo(CC_WORDS * 4, AMDBARE_DOMAIN_GTT, 0);
		t[i].dst = make_bo(CC_WORDS * 4, AMDBARE_DOMAIN_GTT, 0);
		t[i].ps = map(t[i].src);
		t[i].pd = map(t[i].dst);
	}
	int r = amdbare_copy(dev, t[0].dst, 0, t[0].src, 0, 4);
	skip_if_no_cs(r);
	cr_assert_eq(r, 0, "%s", amdbare_last_error());
	uint64_t ctx0 = ctx_ioctls();
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		cr_assert_eq(pthread_create(&th[i], NULL, cc_thread_main, &t[i]), 0);
	for (int i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		cr_expect_eq(t[i].bad, 0, "thread %d: a copy failed or was wrong: %s", i,
			     amdbare_last_error());
	}
	/* The idle slot is taken first; a second context only when both
	 * threads copy at the same moment. */
	cr_expect_leq(ctx_ioctls() - ctx0, 1, "two callers need at most two contexts");
	ctx0 = ctx_ioctls();
	cr_assert_eq(amdbare_copy(dev, t[1].dst, 0, t[1].src, 0, 4), 0, "%s",
		     amdbare_last_error());
	cr_expect_eq(ctx_ioctls() - ctx0, 0, "the slots stay cached");
	for (int i = 0; i < 2; i++) {
		amdbare_bo_free(t[i].src);
		amdbare_bo_free(t[i].dst);
	}
}
