/*
 * Kernel dispatch: argument checks against the metadata (nothing is
 * submitted when they fail), the kernarg layout with hidden arguments and
 * the dispatch packet, the PM4 state (LDS granule, user SGPRs, wave32),
 * and runs on the vgpu.  Until the vgpu's shader core exists, a dispatch
 * there must pass the vgpu's PM4 state checks and stop at "shader
 * execution not built yet"; tests that need results skip saying so.
 */
#include "amdbare.h"
#include "submit/internal.h"
#include "dispatch/internal.h"
#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

TestSuite(dispatch, .init = setup, .fini = teardown);

static const char *path_of(const char *rel)
{
	static char path[4096];
	const char *top = getenv("AMDBARE_TOP");
	snprintf(path, sizeof(path), "%s/tests/%s", top ? top : ".", rel);
	return path;
}

static amdbare_codeobj *load(const char *rel)
{
	amdbare_codeobj *co = NULL;
	int r = amdbare_codeobj_load_file(path_of(rel), &co);
	cr_assert_eq(r, 0, "load %s: %s", rel, amdbare_last_error());
	return co;
}

static const amdbare_kernel_info *kernel(amdbare_codeobj *co, const char *name)
{
	const amdbare_kernel_info *k = NULL;
	cr_assert_eq(amdbare_codeobj_find_kernel(co, name, &k), 0, "%s", amdbare_last_error());
	return k;
}

static amdbare_bo *make_bo(uint64_t size)
{
	amdbare_bo_create_info ci = {.size = size, .domains = AMDBARE_DOMAIN_GTT,
				     .flags = AMDBARE_BO_CPU_ACCESS};
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

struct loaded {
	amdbare_codeobj *co;
	amdbare_bo *code;
	uint64_t va;
};

static struct loaded upload(const char *rel)
{
	struct loaded l = {load(rel), NULL, 0};
	cr_assert_eq(amdbare_codeobj_upload(l.co, dev, &l.code, &l.va), 0, "upload: %s",
		     amdbare_last_error());
	return l;
}

static void unload(struct loaded *l)
{
	amdbare_bo_free(l->code);
	amdbare_codeobj_free(l->co);
}

static amdbare_dispatch_info info_for(const struct loaded *l, const amdbare_kernel_info *k,
				      uint32_t gx, uint32_t bx, const amdbare_karg *args,
				      uint32_t n)
{
	amdbare_dispatch_info di = {.kernel = k, .code_bo = l->code, .code_va = l->va,
				    .grid = {gx, 1, 1}, .block = {bx, 1, 1},
				    .args = args, .arg_count = n};
	return di;
}

/* Runs the dispatcher's job with stderr captured (the vgpu logs faults
 * there); returns the wait's result and the log in log (static). */
static int run_captured(amdbare_dispatcher *d, const char **log)
{
	static char text[8192];
	fflush(stderr);
	FILE *tmp = tmpfile();
	cr_assert_not_null(tmp);
	int saved = dup(2);
	dup2(fileno(tmp), 2);
	int r = amdbare_dispatcher_run(d, NULL);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	size_t n = fread(text, 1, sizeof(text) - 1, tmp);
	text[n] = 0;
	fclose(tmp);
	fputs(text, stderr); /* keep it visible in the test log */
	*log = text;
	return r;
}

#define NOT_BUILT "shader execution not built yet"

/* The job failed only because the vgpu cannot run shaders yet: its PM4
 * state checks passed.  Skip (after freeing) with that message. */
static bool shader_not_built(int r, const char *log)
{
	return r == -ECANCELED && strstr(log, NOT_BUILT);
}

/* ---- argument checks ------------------------------------------------------ */

Test(dispatch, wrong_argument_count_names_the_arguments)
{
	struct loaded l = upload("dispatch/geometry.co");
	const amdbare_kernel_info *k = kernel(l.co, "geometry");
	uint64_t before = ab_cs_ioctl_count();
	amdbare_dispatch_info di = info_for(&l, k, 1, 64, NULL, 0);
	cr_assert_eq(amdbare_dispatch(dev, &di), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "takes 1 argument (out), got 0"), "%s",
		  amdbare_last_error());
	cr_assert_eq(ab_cs_ioctl_count(), before, "nothing may be submitted");
	unload(&l);
}

Test(dispatch, wrong_argument_size_and_type)
{
	struct loaded l = upload("dispatch/geometry.co");
	const amdbare_kernel_info *k = kernel(l.co, "fault");
	amdbare_bo *out = make_bo(4096);
	uint64_t n64 = 1;
	uint32_t n32 = 1;
	uint64_t before = ab_cs_ioctl_count();

	amdbare_karg a[2] = {amdbare_karg_buffer(out, 0), amdbare_karg_value(&n64, 8)};
	amdbare_dispatch_info di = info_for(&l, k, 1, 64, a, 2);
	cr_assert_eq(amdbare_dispatch(dev, &di), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "argument 1 (n: uint) takes 4 bytes, got 8"), "%s",
		  amdbare_last_error());

	a[0] = amdbare_karg_value(&n32, 4);
	a[1] = amdbare_karg_value(&n32, 4);
	cr_assert_eq(amdbare_dispatch(dev, &di), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "argument 0 (out) is a global buffer"), "%s",
		  amdbare_last_error());

	a[0] = amdbare_karg_buffer(out, 4096);
	cr_assert_eq(amdbare_dispatch(dev, &di), -ERANGE, "%s", amdbare_last_error());
	cr_assert_eq(ab_cs_ioctl_count(), before, "nothing may be submitted");
	amdbare_bo_free(out);
	unload(&l);
}

Test(dispatch, workgroup_and_grid_limits)
{
	struct loaded l = upload("codeobj/lds.co");   /* reqd_work_group_size(64,1,1) */
	const amdbare_kernel_info *k = kernel(l.co, "lds_sum");
	amdbare_bo *b = make_bo(4096);
	amdbare_karg a[2] = {amdbare_karg_buffer(b, 0), amdbare_karg_buffer(b, 0)};
	amdbare_dispatch_info di = info_for(&l, k, 1, 32, a, 2);
	cr_assert_eq(amdbare_dispatch_check(&di), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "requires 64x1x1"), "%s", amdbare_last_error());
	di.block[0] = 64;
	cr_assert_eq(amdbare_dispatch_check(&di), 0, "%s", amdbare_last_error());
	di.grid[1] = 0;
	cr_assert_eq(amdbare_dispatch_check(&di), -EINVAL);
	di.grid[1] = 1;
	di.grid[0] = 0x4000000; /* 2^26 groups of 64 = 2^32 work-items */
	cr_assert_eq(amdbare_dispatch_check(&di), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "2^32-1"), "%s", amdbare_last_error());
	amdbare_bo_free(b);
	unload(&l);

	l = upload("dispatch/geometry.co");           /* max_flat_workgroup_size 256 */
	k = kernel(l.co, "geometry");
	b = make_bo(4096);
	amdbare_karg one = amdbare_karg_buffer(b, 0);
	di = info_for(&l, k, 1, 512, &one, 1);
	cr_assert_eq(amdbare_dispatch_check(&di), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "max_flat_workgroup_size"), "%s",
		  amdbare_last_error());
	amdbare_bo_free(b);
	unload(&l);
}

Test(dispatch, scratch_kernel_runs)
{
	struct loaded l = upload("dispatch/geometry.co");
	const amdbare_kernel_info *k = kernel(l.co, "private_mem");
	cr_assert_gt(k->private_segment_fixed_size, 0);
	cr_assert(k->private_segment, "RSRC2.ENABLE_PRIVATE_SEGMENT");
	amdbare_bo *b = make_bo(4096);
	uint32_t *out = map(b);
	memset(out, 0xee, 4096);
	uint32_t v = 3;
	amdbare_karg a[2] = {amdbare_karg_buffer(b, 0), amdbare_karg_value(&v, 4)};
	amdbare_dispatch_info di = info_for(&l, k, 1, 64, a, 2);
	cr_assert_eq(amdbare_dispatch(dev, &di), 0, "%s", amdbare_last_error());
	/* tmp[i] = i * k, read back at (k + lid) & 63 */
	for (uint32_t i = 0; i < 64; i++)
		cr_assert_eq(out[i], ((v + i) & 63u) * v, "lane %u", i);
	cr_assert_eq(out[64], 0xeeeeeeeeu, "past the work-items: untouched");
	amdbare_bo_free(b);
	unload(&l);
}

Test(dispatch, scratch_limits_are_refused)
{
	struct loaded l = upload("dispatch/geometry.co");
	amdbare_kernel_info k = *kernel(l.co, "private_mem");
	amdbare_bo *b = make_bo(4096);
	uint32_t v = 3;
	amdbare_karg a[2] = {amdbare_karg_buffer(b, 0), amdbare_karg_value(&v, 4)};
	amdbare_dispatch_info di = info_for(&l, &k, 1, 64, a, 2);
	uint64_t before = ab_cs_ioctl_count();
	/* A dynamic stack has no size known at dispatch. */
	k.uses_dynamic_stack = true;
	cr_assert_eq(amdbare_dispatch(dev, &di), -ENOTSUP);
	cr_assert(strstr(amdbare_last_error(), "dynamic stack"), "%s", amdbare_last_error());
	k.uses_dynamic_stack = false;
	/* Scratch SGPRs of targets without architected flat scratch. */
	k.user_sgpr_enables |= AMDBARE_KCP_FLAT_SCRATCH_INIT;
	cr_assert_eq(amdbare_dispatch(dev, &di), -ENOTSUP);
	cr_assert(strstr(amdbare_last_error(), "flat scratch init"), "%s", amdbare_last_error());
	k.user_sgpr_enables &= ~(uint32_t)AMDBARE_KCP_FLAT_SCRATCH_INIT;
	k.user_sgpr_enables |= AMDBARE_KCP_PRIVATE_SEGMENT_BUFFER;
	cr_assert_eq(amdbare_dispatch(dev, &di), -ENOTSUP);
	cr_assert(strstr(amdbare_last_error(), "private segment buffer"), "%s",
		  amdbare_last_error());
	k.user_sgpr_enables &= ~(uint32_t)AMDBARE_KCP_PRIVATE_SEGMENT_BUFFER;
	/* More per wave than COMPUTE_TMPRING_SIZE.WAVESIZE holds (wave32:
	 * 0x7fff x 256 / 32 lanes = 262136 bytes per lane). */
	k.private_segment_fixed_size = 262136 + 4;
	cr_assert_eq(amdbare_dispatch(dev, &di), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "WAVESIZE"), "%s", amdbare_last_error());
	k.private_segment_fixed_size = 262136;
	struct ab_dispatch_plan plan;
	cr_assert_eq(ab_dispatch_plan(&di, &plan), 0, "%s", amdbare_last_error());
	cr_assert_eq(plan.scratch_wave_bytes, 0x7fffu * 256u);
	cr_assert_eq(ab_cs_ioctl_count(), before, "nothing may be submitted");
	amdbare_bo_free(b);
	unload(&l);
}

Test(dispatch, unsupported_hidden_kind_is_named)
{
	struct loaded l = upload("dispatch/geometry.co");
	const amdbare_kernel_info *k = kernel(l.co, "geometry");
	/* A copy of the kernel whose last hidden argument is a kind the
	 * dispatcher does not fill. */
	amdbare_kernel_info kk = *k;
	amdbare_kernel_arg args[64];
	cr_assert_leq(k->arg_count, 64);
	memcpy(args, k->args, k->arg_count * sizeof(args[0]));
	args[k->arg_count - 1].kind = AMDBARE_ARG_HIDDEN_HOSTCALL_BUFFER;
	args[k->arg_count - 1].value_kind_name = "hidden_hostcall_buffer";
	kk.args = args;
	amdbare_bo *b = make_bo(4096);
	amdbare_karg one = amdbare_karg_buffer(b, 0);
	amdbare_dispatch_info di = info_for(&l, &kk, 1, 64, &one, 1);
	cr_assert_eq(amdbare_dispatch_check(&di), -ENOTSUP);
	cr_assert(strstr(amdbare_last_error(), "hidden argument 'hidden_hostcall_buffer'"), "%s",
		  amdbare_last_error());
	kk.args = k->args;
	kk.user_sgpr_enables |= AMDBARE_KCP_QUEUE_PTR;
	cr_assert_eq(amdbare_dispatch_check(&di), -ENOTSUP);
	cr_assert(strstr(amdbare_last_error(), "queue pointer"), "%s", amdbare_last_error());
	amdbare_bo_free(b);
	unload(&l);
}

/* ---- kernarg layout --------------------------------------------------------- */

static uint64_t get(const uint8_t *p, uint32_t size)
{
	uint64_t v = 0;
	for (uint32_t i = 0; i < size; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

Test(dispatch, hidden_arguments_and_dispatch_packet)
{
	struct loaded l = upload("dispatch/geometry.co");
	const amdbare_kernel_info *k = kernel(l.co, "geometry");
	amdbare_bo *b = make_bo(65536);
	cr_assert_eq(amdbare_bo_gpu_map(b, AMDBARE_VA_READ | AMDBARE_VA_WRITE, NULL), 0);
	amdbare_karg one = amdbare_karg_buffer(b, 16);
	amdbare_dispatch_info di = info_for(&l, k, 5, 64, &one, 1);
	struct ab_dispatch_plan plan;
	cr_assert_eq(ab_dispatch_plan(&di, &plan), 0, "%s", amdbare_last_error());
	/* __builtin_amdgcn_grid_size_x reads the dispatch packet. */
	cr_assert(k->user_sgpr_enables & AMDBARE_KCP_DISPATCH_PTR);
	cr_assert_eq(plan.kernarg_offset, 64);
	cr_assert_eq(plan.grid_dims, 1);
	uint8_t region[512];
	memset(region, 0xcc, sizeof(region));
	cr_assert_leq(plan.region_bytes, sizeof(region));
	uint64_t rva = 0x123400000ull;
	ab_dispatch_fill_region(&di, &plan, region, rva);
	/* hsa_kernel_dispatch_packet_t */
	cr_assert_eq(get(region + 0, 2), 2);              /* KERNEL_DISPATCH */
	cr_assert_eq(get(region + 2, 2), 1);              /* dimensions */
	cr_assert_eq(get(region + 4, 2), 64);
	cr_assert_eq(get(region + 6, 2), 1);
	cr_assert_eq(get(region + 12, 4), 320);           /* 5 groups of 64 work-items */
	cr_assert_eq(get(region + 16, 4), 1);
	cr_assert_eq(get(region + 32, 8), l.va + k->descriptor_vaddr);
	cr_assert_eq(get(region + 40, 8), rva + 64);
	const uint8_t *ka = region + 64;
	cr_assert_eq(get(ka, 8), amdbare_bo_gpu_va(b) + 16);
	for (uint32_t i = 0; i < k->arg_count; i++) {
		const amdbare_kernel_arg *a = &k->args[i];
		uint64_t v = get(ka + a->offset, a->size), want = 0;
		switch (a->kind) {
		case AMDBARE_ARG_HIDDEN_BLOCK_COUNT_X: want = 5; break;
		case AMDBARE_ARG_HIDDEN_BLOCK_COUNT_Y: want = 1; break;
		case AMDBARE_ARG_HIDDEN_BLOCK_COUNT_Z: want = 1; break;
		case AMDBARE_ARG_HIDDEN_GROUP_SIZE_X: want = 64; break;
		case AMDBARE_ARG_HIDDEN_GROUP_SIZE_Y: want = 1; break;
		case AMDBARE_ARG_HIDDEN_GROUP_SIZE_Z: want = 1; break;
		case AMDBARE_ARG_HIDDEN_GRID_DIMS: want = 1; break;
		case AMDBARE_ARG_GLOBAL_BUFFER: want = amdbare_bo_gpu_va(b) + 16; break;
		default: want = 0; break; /* remainders, global offsets */
		}
		cr_assert_eq(v, want, "%s at %u: 0x%llx, want 0x%llx", a->value_kind_name, a->offset,
			     (unsigned long long)v, (unsigned long long)want);
	}
	/* The bytes between the explicit and the hidden arguments are zeroed. */
	cr_assert_eq(get(ka + 32, 8), 0);

	di.grid[1] = 3;
	cr_assert_eq(ab_dispatch_plan(&di, &plan), 0);
	cr_assert_eq(plan.grid_dims, 2);
	amdbare_bo_free(b);
	unload(&l);
}

Test(dispatch, dynamic_lds_follows_static)
{
	struct loaded l = upload("codeobj/args.co");
	const amdbare_kernel_info *k = kernel(l.co, "mixed_args");
	amdbare_bo *b = make_bo(4096);
	cr_assert_eq(amdbare_bo_gpu_map(b, AMDBARE_VA_READ | AMDBARE_VA_WRITE, NULL), 0);
	float scale = 2.0f;
	int32_t offs[4] = {0, 1, 2, 3};
	struct { int32_t a; float b; } p = {1, 0.5f};
	uint32_t n = 64;
	amdbare_karg a[7] = {amdbare_karg_buffer(b, 0), amdbare_karg_buffer(b, 256),
			     amdbare_karg_value(&scale, 4), amdbare_karg_value(offs, 16),
			     amdbare_karg_value(&p, 8), amdbare_karg_lds(256),
			     amdbare_karg_value(&n, 4)};
	amdbare_dispatch_info di = info_for(&l, k, 1, 64, a, 7);
	struct ab_dispatch_plan plan;
	cr_assert_eq(ab_dispatch_plan(&di, &plan), 0, "%s", amdbare_last_error());
	uint32_t al = ab_dispatch_dyn_lds_align(&k->args[5]);
	uint32_t lds_at = (k->group_segment_fixed_size + al - 1) / al * al;
	cr_assert_eq(plan.lds_bytes, lds_at + 256);
	uint8_t region[512];
	ab_dispatch_fill_region(&di, &plan, region, 0x1000);
	cr_assert_eq(get(region + k->args[5].offset, 4), lds_at);
	cr_assert_eq(get(region + k->args[3].offset + 4, 4), 1);  /* offs.y */
	cr_assert_eq(get(region + k->args[6].offset, 4), 64);
	/* Passing a value where the __local pointer goes is refused. */
	a[5] = amdbare_karg_value(&n, 4);
	cr_assert_eq(amdbare_dispatch_check(&di), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "__local pointer"), "%s", amdbare_last_error());
	/* More than 64 KiB of LDS. */
	a[5] = amdbare_karg_lds(65536 + 4);
	cr_assert_eq(amdbare_dispatch_check(&di), -EINVAL);
	amdbare_bo_free(b);
	unload(&l);
}

/* ---- PM4 state ----------------------------------------------------------------- */

struct sh_state {
	uint32_t reg[0x400];
	bool set[0x400];
	uint32_t grid[3], initiator;
	int dispatches;
};

/* Walks the packets of a stream, recording SET_SH_REG values. */
static void replay(const uint32_t *dw, uint32_t len, struct sh_state *st)
{
	memset(st, 0, sizeof(*st));
	for (uint32_t i = 0; i < len;) {
		uint32_t h = dw[i], op = (h >> 8) & 0xff, n = ((h >> 16) & 0x3fff) + 2;
		cr_assert_eq(h >> 30, 3u, "type-3 header at %u", i);
		cr_assert(h & 2u, "compute shader type bit");
		if (op == 0x76) {
			uint32_t reg = 0x2c00 + dw[i + 1];
			for (uint32_t j = 0; j + 2 < n; j++) {
				st->reg[reg - 0x2c00 + j] = dw[i + 2 + j];
				st->set[reg - 0x2c00 + j] = true;
			}
		} else if (op == 0x15) {
			st->grid[0] = dw[i + 1];
			st->grid[1] = dw[i + 2];
			st->grid[2] = dw[i + 3];
			st->initiator = dw[i + 4];
			st->dispatches++;
		}
		i += n;
	}
}

#define R(st, r) ((st)->reg[(r) - 0x2c00])

static void emit_scratch_and_replay(const amdbare_dispatch_info *di,
				    const struct ab_dispatch_scratch *scratch, struct sh_state *st)
{
	static uint32_t store[1024];
	struct ab_dwbuf buf;
	ab_dwbuf_init_fixed(&buf, store, 1024);
	struct ab_pm4 p = {&buf, &ab_gfx_gen_gfx11, true};
	struct ab_dispatch_plan plan;
	cr_assert_eq(ab_dispatch_plan(di, &plan), 0, "%s", amdbare_last_error());
	cr_assert_eq(ab_dispatch_emit(&p, di, &plan, 0x2000000, scratch), 0, "%s",
		     amdbare_last_error());
	replay(store, buf.len, st);
}

static void emit_and_replay(const amdbare_dispatch_info *di, struct sh_state *st)
{
	emit_scratch_and_replay(di, NULL, st);
}

Test(dispatch, pm4_state_lds_sgprs_wave)
{
	struct loaded l = upload("codeobj/lds.co");
	const amdbare_kernel_info *k = kernel(l.co, "lds_sum");
	amdbare_bo *b = make_bo(4096);
	cr_assert_eq(amdbare_bo_gpu_map(b, AMDBARE_VA_READ | AMDBARE_VA_WRITE, NULL), 0);
	amdbare_karg a[2] = {amdbare_karg_buffer(b, 0), amdbare_karg_buffer(b, 0)};
	amdbare_dispatch_info di = info_for(&l, k, 7, 64, a, 2);
	struct sh_state st;
	emit_and_replay(&di, &st);
	cr_assert_eq(st.dispatches, 1);
	cr_assert_eq(st.grid[0], 7);
	uint64_t entry = l.va + k->entry_vaddr;
	cr_assert_eq(R(&st, 0x2e0c), (uint32_t)(entry >> 8));
	cr_assert_eq(R(&st, 0x2e0d), (uint32_t)(entry >> 40));
	cr_assert_eq(R(&st, 0x2e12), k->compute_pgm_rsrc1);
	/* 256 bytes of static LDS: rounded to the 1 KiB allocation granule,
	 * encoded in 512-byte units = 2. */
	cr_assert_eq(k->group_segment_fixed_size, 256);
	cr_assert_eq((R(&st, 0x2e13) >> 15) & 0x1ff, 2);
	cr_assert_eq(R(&st, 0x2e13) & ~0x00ff8000u, k->compute_pgm_rsrc2 & ~0x00ff8000u);
	cr_assert_eq(R(&st, 0x2e07), 64);
	/* Every user SGPR the RSRC2 count names is written; the kernarg
	 * pointer is where the enable bits put it. */
	cr_assert_gt(k->user_sgpr_count, 0);
	for (uint32_t i = 0; i < k->user_sgpr_count; i++)
		cr_assert(st.set[0x2e40 - 0x2c00 + i], "USER_DATA_%u", i);
	uint32_t s = 0;
	if (k->user_sgpr_enables & AMDBARE_KCP_DISPATCH_PTR)
		s += 2;
	cr_assert(k->user_sgpr_enables & AMDBARE_KCP_KERNARG_SEGMENT_PTR);
	uint64_t ka = 0x2000000 + ((k->user_sgpr_enables & AMDBARE_KCP_DISPATCH_PTR) ? 64 : 0);
	cr_assert_eq(R(&st, 0x2e40 + s), (uint32_t)ka);
	cr_assert_eq(R(&st, 0x2e41 + s), (uint32_t)(ka >> 32));
	cr_assert(k->wave32);
	cr_assert_eq(st.initiator, 1u | 4u | (1u << 15));
	amdbare_bo_free(b);
	unload(&l);

	l = upload("codeobj/copy_w64.co");
	k = kernel(l.co, "copy");
	cr_assert(!k->wave32);
	b = make_bo(4096);
	cr_assert_eq(amdbare_bo_gpu_map(b, AMDBARE_VA_READ | AMDBARE_VA_WRITE, NULL), 0);
	a[0] = amdbare_karg_buffer(b, 0);
	a[1] = amdbare_karg_buffer(b, 0);
	di = info_for(&l, k, 1, 64, a, 2);
	emit_and_replay(&di, &st);
	cr_assert_eq(st.initiator, 1u | 4u, "wave64: no CS_W32_EN");
	cr_assert_eq((R(&st, 0x2e13) >> 15) & 0x1ff, 0, "no LDS");
	amdbare_bo_free(b);
	unload(&l);
}

/* ---- scratch ---------------------------------------------------------------------- */

/* Kernels of tests/diff/private.cl (wave32) and private64.cl (wave64). */
static const amdbare_kernel_info *private_kernel(struct loaded *l, const char *co,
						 const char *name)
{
	*l = upload(co);
	return kernel(l->co, name);
}

Test(dispatch, scratch_sizes_and_registers)
{
	struct loaded l;
	const amdbare_kernel_info *k = private_kernel(&l, "diff/private.co", "p_index");
	cr_assert_eq(k->private_segment_fixed_size, 132);
	cr_assert(k->private_segment && k->wave32);
	amdbare_bo *b = make_bo(4096);
	cr_assert_eq(amdbare_bo_gpu_map(b, AMDBARE_VA_READ | AMDBARE_VA_WRITE, NULL), 0);
	amdbare_karg a[3] = {amdbare_karg_buffer(b, 0), amdbare_karg_buffer(b, 0),
			     amdbare_karg_buffer(b, 0)};
	amdbare_dispatch_info di = info_for(&l, k, 8, 64, a, 3);
	struct ab_dispatch_plan plan;
	cr_assert_eq(ab_dispatch_plan(&di, &plan), 0, "%s", amdbare_last_error());
	/* 132 bytes per lane x 32 lanes = 4224, in 256-byte units: 4352 */
	cr_assert_eq(plan.scratch_lane_bytes, 132);
	cr_assert_eq(plan.scratch_wave_bytes, 4352);

	/* TMPRING_SIZE: WAVES bits 0..11, WAVESIZE (256-byte units) 12..26 */
	uint32_t waves = ab_scratch_waves(12, 1, 4352);
	cr_assert_eq(waves, 384, "780M: 32 waves x 12 CUs in its one shader engine");
	cr_assert_eq(ab_scratch_tmpring(waves, 4352), 384u | (17u << 12));
	cr_assert_eq(ab_scratch_buffer_bytes(waves, 1, 4352), 384ull * 4352);
	cr_assert_eq(ab_scratch_waves(96, 6, 4352), 512, "per shader engine: 16 CUs x 32");
	cr_assert_eq(ab_scratch_waves(12, 1, 1u << 20), 64, "1 MiB waves: the buffer stays at 64 MiB");
	cr_assert_eq(ab_scratch_waves(12, 1, 0x7fffu * 256u), 32,
		     "never fewer slots than a 1024-item wave32 workgroup needs");
	cr_assert_eq(ab_scratch_waves(1000, 1, 256), 0xfff, "WAVES has 12 bits");

	struct ab_dispatch_scratch sc = {0x7f1234560000ull, ab_scratch_tmpring(waves, 4352),
					384ull * 4352};
	struct sh_state st;
	emit_scratch_and_replay(&di, &sc, &st);
	cr_assert(st.set[0x2e10 - 0x2c00] && st.set[0x2e11 - 0x2c00], "DISPATCH_SCRATCH_BASE_LO/HI");
	cr_assert_eq(R(&st, 0x2e10), (uint32_t)(0x7f1234560000ull >> 8));
	cr_assert_eq(R(&st, 0x2e11), 0x7fu, "HI holds address bits 40..47");
	cr_assert_eq(R(&st, 0x2e18), 384u | (17u << 12));
	cr_assert_eq(R(&st, 0x2e13) & 1u, 1u, "RSRC2.SCRATCH_EN from the descriptor");
	/* Without a buffer the dispatch cannot be emitted. */
	uint32_t store[256];
	struct ab_dwbuf buf;
	ab_dwbuf_init_fixed(&buf, store, 256);
	struct ab_pm4 p = {&buf, &ab_gfx_gen_gfx11, true};
	cr_assert_eq(ab_dispatch_emit(&p, &di, &plan, 0x2000000, NULL), -EINVAL);
	amdbare_codeobj_free(l.co);
	amdbare_bo_free(l.code);

	/* wave64: twice the lanes, twice the wave */
	k = private_kernel(&l, "diff/private64.co", "p_index64");
	cr_assert(!k->wave32);
	di = info_for(&l, k, 8, 64, a, 3);
	cr_assert_eq(ab_dispatch_plan(&di, &plan), 0, "%s", amdbare_last_error());
	cr_assert_eq(plan.scratch_wave_bytes, 132u * 64u);
	unload(&l);

	/* A kernel without scratch: TMPRING_SIZE 0, no base written. */
	l = upload("codeobj/lds.co");
	k = kernel(l.co, "lds_sum");
	cr_assert(!k->private_segment);
	di = info_for(&l, k, 1, 64, a, 2);
	emit_scratch_and_replay(&di, &sc, &st);
	cr_assert(st.set[0x2e18 - 0x2c00]);
	cr_assert_eq(R(&st, 0x2e18), 0);
	cr_assert(!st.set[0x2e10 - 0x2c00] && !st.set[0x2e11 - 0x2c00]);
	amdbare_bo_free(b);
	unload(&l);
}

/* Scratch registers at each DISPATCH_DIRECT of a stream. */
struct scratch_regs { uint32_t lo, hi, tmpring; };

static int scratch_per_dispatch(const uint32_t *dw, uint32_t len, struct scratch_regs *out,
				int max)
{
	struct scratch_regs cur = {0, 0, 0};
	int n = 0;
	for (uint32_t i = 0; i < len;) {
		uint32_t h = dw[i], op = (h >> 8) & 0xff, cnt = ((h >> 16) & 0x3fff) + 2;
		if (op == 0x76) {
			for (uint32_t j = 0; j + 2 < cnt; j++) {
				uint32_t reg = 0x2c00 + dw[i + 1] + j, v = dw[i + 2 + j];
				if (reg == 0x2e10) cur.lo = v;
				if (reg == 0x2e11) cur.hi = v;
				if (reg == 0x2e18) cur.tmpring = v;
			}
		} else if (op == 0x15 && n < max) {
			out[n++] = cur;
		}
		i += cnt;
	}
	return n;
}

static bool in_bo_list(const amdbare_cmdbuf *cb, const amdbare_bo *bo)
{
	for (uint32_t i = 0; i < cb->nbos; i++)
		if (cb->bos[i] == bo)
			return true;
	return false;
}

Test(dispatch, scratch_buffer_grows_and_old_ones_retire)
{
	struct loaded small, big;
	const amdbare_kernel_info *ks = private_kernel(&small, "diff/private.co", "p_index");
	const amdbare_kernel_info *kb = private_kernel(&big, "diff/private.co", "p_wide");
	cr_assert_eq(kb->private_segment_fixed_size, 304);
	amdbare_bo *o1 = make_bo(4096), *o2 = make_bo(4096), *o3 = make_bo(4096), *in = make_bo(4096);
	uint32_t *pin = map(in);
	for (uint32_t i = 0; i < 1024; i++)
		pin[i] = i * 2654435761u;
	amdbare_karg a1[3] = {amdbare_karg_buffer(o1, 0), amdbare_karg_buffer(in, 0),
			      amdbare_karg_buffer(in, 0)};
	amdbare_karg a2[3] = {amdbare_karg_buffer(o2, 0), amdbare_karg_buffer(in, 0),
			      amdbare_karg_buffer(in, 0)};
	amdbare_karg a3[3] = {amdbare_karg_buffer(o3, 0), amdbare_karg_buffer(in, 0),
			      amdbare_karg_buffer(in, 0)};
	amdbare_dispatch_info d1 = info_for(&small, ks, 4, 64, a1, 3);
	amdbare_dispatch_info d2 = info_for(&big, kb, 4, 64, a2, 3);
	amdbare_dispatch_info d3 = info_for(&small, ks, 4, 64, a3, 3);

	amdbare_device_info devinfo;
	amdbare_device_get_info(dev, &devinfo);
	amdbare_dispatcher *d;
	cr_assert_eq(amdbare_dispatcher_create(dev, &d), 0, "%s", amdbare_last_error());
	const struct ab_scratch_ring *ring = ab_dispatcher_scratch(d);
	cr_assert_null(ring->cur.bo, "no scratch before a scratch kernel");
	cr_assert_eq(amdbare_dispatcher_add(d, &d1), 0, "%s", amdbare_last_error());
	cr_assert_eq(ring->cur.wave_bytes, 4352);
	uint32_t waves = ab_scratch_waves(devinfo.cu_count, devinfo.num_shader_engines, 4352);
	cr_assert_eq(ring->cur.waves, waves);
	cr_assert_geq(amdbare_bo_size(ring->cur.bo),
		      ab_scratch_buffer_bytes(waves, devinfo.num_shader_engines, 4352));
	uint64_t first_va = ring->cur.va;
	amdbare_bo *first_bo = ring->cur.bo;

	/* 304 bytes per lane x 32 = 9728: a bigger buffer; the first stays
	 * alive (the job being built uses it). */
	cr_assert_eq(amdbare_dispatcher_add(d, &d2), 0, "%s", amdbare_last_error());
	cr_assert_eq(ring->cur.wave_bytes, 9728);
	cr_assert_eq(ring->nold, 1);
	cr_assert_eq(ring->old[0].bo, first_bo);
	uint64_t second_va = ring->cur.va;
	cr_assert_neq(second_va, first_va);
	/* A smaller kernel afterwards keeps the bigger buffer and its WAVESIZE. */
	cr_assert_eq(amdbare_dispatcher_add(d, &d3), 0, "%s", amdbare_last_error());
	cr_assert_eq(ring->cur.wave_bytes, 9728);
	cr_assert_eq(ring->nold, 1);

	amdbare_cmdbuf *cb = ab_dispatcher_cmdbuf(d);
	cr_assert(in_bo_list(cb, first_bo) && in_bo_list(cb, ring->cur.bo),
		  "both scratch buffers are in the job's BO list");
	struct scratch_regs r[4];
	cr_assert_eq(scratch_per_dispatch(cb->buf.dw, cb->buf.len, r, 4), 3);
	cr_assert_eq(r[0].lo, (uint32_t)(first_va >> 8));
	cr_assert_eq(r[0].hi, (uint32_t)(first_va >> 40));
	cr_assert_eq(r[0].tmpring, ab_scratch_tmpring(waves, 4352));
	uint32_t waves2 = ab_scratch_waves(devinfo.cu_count, devinfo.num_shader_engines, 9728);
	for (int i = 1; i < 3; i++) {
		cr_assert_eq(r[i].lo, (uint32_t)(second_va >> 8), "dispatch %d", i);
		cr_assert_eq(r[i].tmpring, ab_scratch_tmpring(waves2, 9728), "dispatch %d", i);
	}

	const char *log;
	int rr = run_captured(d, &log);
	cr_assert_eq(rr, 0, "%s", amdbare_last_error());
	/* All three ran with scratch: p_index and p_wide results differ per
	 * work-item, and the small kernel gave the same answer in both
	 * buffers. */
	uint32_t *p1 = map(o1), *p3 = map(o3), *p2 = map(o2);
	cr_assert_eq(memcmp(p1, p3, 256 * 4), 0, "same kernel, same inputs, other buffer");
	cr_assert_neq(p1[1], p1[2]);
	cr_assert_neq(p2[1], p2[2]);
	/* The next job starts after the first finished: the outgrown buffer
	 * is freed. */
	cr_assert_eq(amdbare_dispatcher_add(d, &d1), 0, "%s", amdbare_last_error());
	cr_assert_eq(ring->nold, 0);
	cr_assert_eq(ring->cur.wave_bytes, 9728);
	cr_assert_eq(amdbare_dispatcher_run(d, NULL), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_dispatcher_free(d), 0, "%s", amdbare_last_error());
	amdbare_bo_free(o1);
	amdbare_bo_free(o2);
	amdbare_bo_free(o3);
	amdbare_bo_free(in);
	unload(&small);
	unload(&big);
}

/* ---- on the vgpu ---------------------------------------------------------------- */

Test(dispatch, vgpu_accepts_the_pm4_state)
{
	struct loaded l = upload("dispatch/geometry.co");
	const amdbare_kernel_info *k = kernel(l.co, "geometry");
	amdbare_bo *out = make_bo(4096);
	uint32_t *o = map(out);
	amdbare_karg one = amdbare_karg_buffer(out, 0);
	amdbare_dispatch_info di = info_for(&l, k, 3, 64, &one, 1);
	amdbare_dispatcher *d = NULL;
	cr_assert_eq(amdbare_dispatcher_create(dev, &d), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_dispatcher_add(d, &di), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_dispatcher_count(d), 1);
	const char *log;
	int r = run_captured(d, &log);
	bool not_built = shader_not_built(r, log);
	if (!not_built) {
		cr_assert_eq(r, 0, "dispatch failed: %s\n%s", amdbare_last_error(), log);
		cr_assert_eq(o[0], 64, "hidden_group_size_x");
		cr_assert_eq(o[1], 192, "grid size from the dispatch packet");
		cr_assert_eq(o[2], 3, "hidden_block_count_x");
		cr_assert_eq(o[3], 1, "hidden_grid_dims");
		for (uint32_t i = 0; i < 192; i++)
			cr_assert_eq(o[4 + i], i, "global id %u", i);
	} else {
		cr_assert(strstr(amdbare_last_error(), "guilty"), "%s", amdbare_last_error());
	}
	amdbare_dispatcher_free(d);
	amdbare_bo_free(out);
	unload(&l);
	if (not_built)
		cr_skip_test("the vgpu validated the dispatch state, but cannot check results: %s",
			     NOT_BUILT);
}

Test(dispatch, batch_of_dispatches_is_one_ioctl)
{
	struct loaded l = upload("isa/k_add.co");
	const amdbare_kernel_info *k = kernel(l.co, "add");
	enum { N = 8, ELEMS = 256 };
	amdbare_bo *a = make_bo(ELEMS * 4), *b = make_bo(ELEMS * 4);
	float *pa = map(a), *pb = map(b);
	for (int i = 0; i < ELEMS; i++) {
		pa[i] = (float)i;
		pb[i] = 0.25f * (float)(i % 7);
	}
	uint32_t n = ELEMS - 3; /* the guard leaves the last three alone */
	amdbare_karg args[3] = {amdbare_karg_buffer(a, 0), amdbare_karg_buffer(b, 0),
				amdbare_karg_value(&n, 4)};
	amdbare_dispatch_info di = info_for(&l, k, ELEMS / 64, 64, args, 3);
	amdbare_dispatcher *d = NULL;
	cr_assert_eq(amdbare_dispatcher_create(dev, &d), 0, "%s", amdbare_last_error());
	for (int i = 0; i < N; i++) {
		cr_assert_eq(amdbare_dispatcher_add(d, &di), 0, "%s", amdbare_last_error());
		/* each dispatch reads what the previous one wrote */
		cr_assert_eq(amdbare_dispatcher_barrier(d), 0, "%s", amdbare_last_error());
	}
	cr_assert_eq(amdbare_dispatcher_count(d), N);
	uint64_t before = ab_cs_ioctl_count();
	const char *log;
	int r = run_captured(d, &log);
	cr_assert_eq(ab_cs_ioctl_count() - before, 1, "a batch of %d dispatches is one CS ioctl", N);
	bool not_built = shader_not_built(r, log);
	if (!not_built) {
		cr_assert_eq(r, 0, "batch failed: %s\n%s", amdbare_last_error(), log);
		for (int i = 0; i < ELEMS; i++) {
			float want = (float)i;
			if ((uint32_t)i < n)
				for (int j = 0; j < N; j++)
					want += (0.25f * (float)(i % 7)) * 2.0f;
			cr_assert_eq(pa[i], want, "element %d: %f, want %f", i, pa[i], want);
		}
	}
	amdbare_dispatcher_free(d);
	amdbare_bo_free(a);
	amdbare_bo_free(b);
	unload(&l);
	if (not_built)
		cr_skip_test("one CS ioctl checked; results need the shader core: %s", NOT_BUILT);
}

Test(dispatch, faulting_kernel_reports_guilty)
{
	struct loaded l = upload("dispatch/geometry.co");
	const amdbare_kernel_info *k = kernel(l.co, "fault");
	amdbare_bo *out = make_bo(4096);
	uint32_t v = 7;
	amdbare_karg args[2] = {amdbare_karg_buffer(out, 0), amdbare_karg_value(&v, 4)};
	amdbare_dispatch_info di = info_for(&l, k, 1, 64, args, 2);
	amdbare_dispatcher *d = NULL;
	cr_assert_eq(amdbare_dispatcher_create(dev, &d), 0);
	cr_assert_eq(amdbare_dispatcher_add(d, &di), 0, "%s", amdbare_last_error());
	const char *log;
	int r = run_captured(d, &log);
	bool not_built = shader_not_built(r, log);
	cr_assert_eq(r, -ECANCELED, "%s", amdbare_last_error());
	cr_assert(strstr(amdbare_last_error(), "guilty"), "%s", amdbare_last_error());
	if (!not_built)
		cr_assert(strstr(log, "fault"), "the vgpu reports the fault: %s", log);
	amdbare_dispatcher_free(d);
	amdbare_bo_free(out);
	unload(&l);
	if (not_built)
		cr_skip_test("a fault from the kernel itself needs the shader core: %s", NOT_BUILT);
}

Test(dispatch, dynamic_lds_vector_and_struct_arguments_run)
{
	struct loaded l = upload("codeobj/args.co");
	const amdbare_kernel_info *k = kernel(l.co, "mixed_args");
	enum { ELEMS = 128 };
	amdbare_bo *out = make_bo(ELEMS * 4), *in = make_bo(ELEMS * 4);
	float *po = map(out), *pi = map(in);
	for (int i = 0; i < ELEMS; i++)
		pi[i] = (float)i * 0.5f;
	float scale = 3.0f;
	int32_t offs[4] = {100, 7, 200, 300};
	struct { int32_t a; float b; } p = {2, 0.25f};
	uint32_t n = ELEMS - 5;
	amdbare_karg a[7] = {amdbare_karg_buffer(out, 0), amdbare_karg_buffer(in, 0),
			     amdbare_karg_value(&scale, 4), amdbare_karg_value(offs, 16),
			     amdbare_karg_value(&p, 8), amdbare_karg_lds(64 * 4),
			     amdbare_karg_value(&n, 4)};
	amdbare_dispatch_info di = info_for(&l, k, ELEMS / 64, 64, a, 7);
	amdbare_dispatcher *d = NULL;
	cr_assert_eq(amdbare_dispatcher_create(dev, &d), 0);
	cr_assert_eq(amdbare_dispatcher_add(d, &di), 0, "%s", amdbare_last_error());
	const char *log;
	int r = run_captured(d, &log);
	bool not_built = shader_not_built(r, log);
	if (!not_built) {
		cr_assert_eq(r, 0, "%s\n%s", amdbare_last_error(), log);
		for (int g = 0; g < ELEMS; g++) {
			int grp = g / 64, next = grp * 64 + ((g % 64) + 1) % 64;
			float want = (uint32_t)g < n
				? pi[next] * scale + (float)offs[1] + p.b + (float)p.a : 0.0f;
			cr_assert_eq(po[g], want, "out[%d] = %f, want %f", g, po[g], want);
		}
	}
	amdbare_dispatcher_free(d);
	amdbare_bo_free(out);
	amdbare_bo_free(in);
	unload(&l);
	if (not_built)
		cr_skip_test("results need the shader core: %s", NOT_BUILT);
}

Test(dispatch, wave64_kernel_runs)
{
	struct loaded l = upload("codeobj/copy_w64.co");
	const amdbare_kernel_info *k = kernel(l.co, "copy");
	cr_assert(!k->wave32);
	enum { ELEMS = 256 };
	amdbare_bo *dst = make_bo(ELEMS * 4), *src = make_bo(ELEMS * 4);
	uint32_t *pd = map(dst), *ps = map(src);
	for (uint32_t i = 0; i < ELEMS; i++)
		ps[i] = i * 2654435761u;
	amdbare_karg a[2] = {amdbare_karg_buffer(dst, 0), amdbare_karg_buffer(src, 0)};
	amdbare_dispatch_info di = info_for(&l, k, ELEMS / 64, 64, a, 2);
	amdbare_dispatcher *d = NULL;
	cr_assert_eq(amdbare_dispatcher_create(dev, &d), 0);
	cr_assert_eq(amdbare_dispatcher_add(d, &di), 0, "%s", amdbare_last_error());
	const char *log;
	int r = run_captured(d, &log);
	bool not_built = shader_not_built(r, log);
	if (!not_built) {
		cr_assert_eq(r, 0, "%s\n%s", amdbare_last_error(), log);
		cr_assert_eq(memcmp(pd, ps, ELEMS * 4), 0, "wave64 copy");
	}
	amdbare_dispatcher_free(d);
	amdbare_bo_free(dst);
	amdbare_bo_free(src);
	unload(&l);
	if (not_built)
		cr_skip_test("results need the shader core: %s", NOT_BUILT);
}

Test(dispatch, dispatcher_reused_after_submit)
{
	struct loaded l = upload("isa/k_add.co");
	const amdbare_kernel_info *k = kernel(l.co, "add");
	amdbare_bo *a = make_bo(64 * 4), *b = make_bo(64 * 4);
	float *pa = map(a), *pb = map(b);
	for (int i = 0; i < 64; i++) {
		pa[i] = 1.0f;
		pb[i] = 1.0f;
	}
	uint32_t n = 64;
	amdbare_karg args[3] = {amdbare_karg_buffer(a, 0), amdbare_karg_buffer(b, 0),
				amdbare_karg_value(&n, 4)};
	amdbare_dispatch_info di = info_for(&l, k, 1, 64, args, 3);
	amdbare_dispatcher *d = NULL;
	cr_assert_eq(amdbare_dispatcher_create(dev, &d), 0);
	cr_assert_eq(amdbare_dispatcher_submit(d, NULL, NULL), -EINVAL, "nothing queued");
	bool not_built = false;
	for (int round = 0; round < 3 && !not_built; round++) {
		cr_assert_eq(amdbare_dispatcher_add(d, &di), 0, "%s", amdbare_last_error());
		cr_assert_eq(amdbare_dispatcher_count(d), 1);
		const char *log;
		int r = run_captured(d, &log);
		not_built = shader_not_built(r, log);
		if (!not_built) {
			cr_assert_eq(r, 0, "%s\n%s", amdbare_last_error(), log);
			cr_assert_eq(pa[63], 1.0f + 2.0f * (float)(round + 1), "round %d", round);
		}
	}
	amdbare_dispatcher_free(d);
	amdbare_bo_free(a);
	amdbare_bo_free(b);
	unload(&l);
	if (not_built)
		cr_skip_test("results need the shader core: %s", NOT_BUILT);
}
