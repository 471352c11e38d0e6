/*
 * The model loader on the vgpu: plan (policies, overrides, spill, refusal),
 * load + lookup + data equal to the file bytes, the proof's numbers, the
 * staging path for VRAM the CPU cannot map, bad input and files that change
 * during the load (every buffer freed afterwards), and the bound on
 * anonymous memory during a 256 MiB load.
 *
 * Model files are written here by a small safetensors writer (and GGUF
 * writer) with deterministic contents.
 */
#include <amdbare.h>

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vgpu_test.h"

/* ---- fixtures ------------------------------------------------------------ */

struct fx_tensor {
	const char *name;
	const char *dtype;   /* safetensors name: "F32", "F16", "U8" */
	uint64_t rows, cols; /* cols == 0: 1-D of `rows` elements */
	uint32_t elem;       /* bytes per element */
};

static char tmpdir[64];

static void make_tmpdir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/amdbare-model-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	cr_assert_eq(system(cmd), 0);
}

/* Byte i of tensor `seed`: every tensor and offset distinct. */
static uint8_t fx_byte(uint32_t seed, uint64_t i)
{
	uint64_t x = (i + 1) * 0x9E3779B97F4A7C15ull ^ (uint64_t)(seed + 1) * 0xC2B2AE3D27D4EB4Full;
	x ^= x >> 29;
	return (uint8_t)(x ^ (x >> 17));
}

static uint64_t fx_bytes(const struct fx_tensor *t)
{
	return t->rows * (t->cols ? t->cols : 1) * t->elem;
}

/* Writes a safetensors file: 8-byte header length, JSON header, data.
 * `pad` extra bytes of header padding make data offsets odd-aligned. */
static void write_safetensors(const char *path, const struct fx_tensor *t, size_t n)
{
	char *hdr = malloc(65536);
	cr_assert_not_null(hdr);
	size_t len = 0;
	uint64_t off = 0;
	len += (size_t)sprintf(hdr + len, "{\"__metadata__\":{\"writer\":\"test\"}");
	for (size_t i = 0; i < n; i++) {
		uint64_t b = fx_bytes(&t[i]);
		if (t[i].cols)
			len += (size_t)sprintf(hdr + len, ",\"%s\":{\"dtype\":\"%s\",\"shape\":[%llu,%llu],"
					       "\"data_offsets\":[%llu,%llu]}", t[i].name, t[i].dtype,
					       (unsigned long long)t[i].rows, (unsigned long long)t[i].cols,
					       (unsigned long long)off, (unsigned long long)(off + b));
		else
			len += (size_t)sprintf(hdr + len, ",\"%s\":{\"dtype\":\"%s\",\"shape\":[%llu],"
					       "\"data_offsets\":[%llu,%llu]}", t[i].name, t[i].dtype,
					       (unsigned long long)t[i].rows, (unsigned long long)off,
					       (unsigned long long)(off + b));
		off += b;
	}
	len += (size_t)sprintf(hdr + len, "}");
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f, "%s", path);
	uint8_t le[8];
	for (int i = 0; i < 8; i++)
		le[i] = (uint8_t)((uint64_t)len >> (8 * i));
	cr_assert_eq(fwrite(le, 1, 8, f), 8);
	cr_assert_eq(fwrite(hdr, 1, len, f), len);
	uint8_t *buf = malloc(1 << 20);
	cr_assert_not_null(buf);
	for (size_t i = 0; i < n; i++) {
		uint64_t b = fx_bytes(&t[i]);
		for (uint64_t done = 0; done < b;) {
			size_t k = b - done < (1u << 20) ? (size_t)(b - done) : (1u << 20);
			for (size_t j = 0; j < k; j++)
				buf[j] = fx_byte((uint32_t)i, done + j);
			cr_assert_eq(fwrite(buf, 1, k, f), k);
			done += k;
		}
	}
	free(buf);
	free(hdr);
	cr_assert_eq(fclose(f), 0);
}

static char *fx_path(const char *name)
{
	static char p[4][128];
	static int k;
	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", tmpdir, name);
	return p[k];
}

/* Four tensors: 1 MiB, 64 KiB + 3 bytes of u8 (odd size), 2 MiB f16, 1 MiB f32. */
static const struct fx_tensor small_model[] = {
	{"model.embed_tokens.weight", "F32", 512, 512, 4},
	{"model.layers.0.odd", "U8", 65539, 0, 1},
	{"model.layers.0.mlp.weight", "F16", 1024, 1024, 2},
	{"lm_head.weight", "F32", 256, 1024, 4},
};
#define N_SMALL (sizeof(small_model) / sizeof(small_model[0]))

static amdbare_device *dev;

static void open_dev(void)
{
	cr_assert_eq(amdbare_device_open(0, &dev), 0, "%s", amdbare_last_error());
}

static void close_dev_and_check(void)
{
	amdbare_device_close(dev);
	dev = NULL;
	char desc[512];
	cr_assert_eq(vgpu_test_open_objects(desc, sizeof(desc)), 0, "left in the vgpu: %s", desc);
	vgpu_test_cleanup();
	remove_tmpdir();
}

/* The GPU checksums run on the vgpu's emulated shader core; under the
 * sanitizers on a busy machine one 2 MiB job can pass the vgpu's 10 s
 * lockup watchdog (the kernel's value), which says nothing about the loader. */
#define SLOW_EMULATION "AMDBARE_VGPU_TIMEOUT_MS", "120000"

static void setup_780m(void)
{
	vgpu_test_use_profile("780m", SLOW_EMULATION, NULL);
	make_tmpdir();
	open_dev();
}

static void setup_7900xtx(void)
{
	vgpu_test_use_profile("7900xtx", SLOW_EMULATION, NULL);
	make_tmpdir();
	open_dev();
}

/* 64 MiB VRAM, 128 MiB GTT: budgets small enough to exhaust. */
static void setup_tiny(void)
{
	vgpu_test_use_profile("780m", "AMDBARE_VGPU_VRAM_SIZE", "64M", "AMDBARE_VGPU_GTT_SIZE",
			      "128M", SLOW_EMULATION, NULL);
	make_tmpdir();
	open_dev();
}

static amdbare_model_options opts(uint32_t policy)
{
	amdbare_model_options o;
	amdbare_model_options_init(&o);
	o.policy = policy;
	/* The GPU checksum runs on the vgpu's shader core; tests that check
	 * it turn it back on. */
	o.flags |= AMDBARE_MODEL_NO_VERIFY;
	return o;
}

static amdbare_model *open_model(const char *path, const amdbare_model_options *o)
{
	amdbare_model *m = NULL;
	const char *paths[] = {path};
	cr_assert_eq(amdbare_model_open(dev, paths, 1, o, &m), 0, "%s", amdbare_last_error());
	return m;
}

/* Every tensor's loaded bytes equal the fixture's, read through the CPU
 * mapping or, for memory the CPU cannot see, after an SDMA copy to GTT. */
static void check_data(amdbare_model *m, const struct fx_tensor *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		amdbare_tensor_info ti;
		cr_assert_eq(amdbare_model_find(m, t[i].name, &ti), 0, "%s", amdbare_last_error());
		uint64_t b = fx_bytes(&t[i]);
		cr_assert_eq(ti.nbytes, b);
		cr_assert_not_null(ti.bo);
		cr_assert_eq(ti.gpu_va % 256, 0, "tensor GPU addresses are 256-byte aligned");
		cr_assert_eq(ti.gpu_va, amdbare_bo_gpu_va(ti.bo) + ti.bo_offset);
		cr_assert_leq(ti.bo_offset + b, amdbare_bo_size(ti.bo));
		const uint8_t *p = ti.cpu_ptr;
		amdbare_bo *tmp = NULL;
		if (!p) {
			amdbare_bo_create_info ci = {.size = b, .domains = AMDBARE_DOMAIN_GTT};
			cr_assert_eq(amdbare_bo_create(dev, &ci, &tmp), 0, "%s", amdbare_last_error());
			cr_assert_eq(amdbare_copy(dev, tmp, 0, ti.bo, ti.bo_offset, b), 0, "%s",
				     amdbare_last_error());
			void *q;
			cr_assert_eq(amdbare_bo_cpu_map(tmp, &q), 0);
			p = q;
		}
		for (uint64_t j = 0; j < b; j++)
			if (p[j] != fx_byte((uint32_t)i, j))
				cr_assert_fail("tensor %s byte %llu: %u != %u", t[i].name,
					       (unsigned long long)j, p[j], fx_byte((uint32_t)i, j));
		cr_assert_eq(ti.checksum, amdbare_checksum(p, b), "streamed checksum of %s", t[i].name);
		amdbare_bo_free(tmp);
	}
}

/* ---- plan ------------------------------------------------------------------ */

Test(plan, default_policy_puts_everything_in_vram, .init = setup_780m, .fini = close_dev_and_check)
{
	write_safetensors(fx_path("m.safetensors"), small_model, N_SMALL);
	amdbare_model_options o = opts(AMDBARE_MODEL_VRAM_THEN_GTT);
	amdbare_model *m = open_model(fx_path("m.safetensors"), &o);
	amdbare_model_plan p;
	cr_assert_eq(amdbare_model_get_plan(m, &p), 0);
	uint64_t total = 0;
	for (size_t i = 0; i < N_SMALL; i++)
		total += fx_bytes(&small_model[i]);
	cr_assert(p.fits, "%s", p.refusal);
	cr_assert_eq(p.tensors, N_SMALL);
	cr_assert_eq(p.files, 1);
	cr_assert_eq(p.bytes, total);
	cr_assert_eq(p.vram.tensors, N_SMALL);
	cr_assert_eq(p.vram.bytes, total);
	cr_assert_eq(p.gtt.tensors, 0);
	cr_assert_eq(p.gtt.reserved, 0);
	cr_assert_geq(p.vram.reserved, total);
	cr_assert_lt(p.vram.reserved, total + N_SMALL * 256 + (64 << 10), "only alignment and rounding");
	cr_assert_eq(p.vram.buffers, 1, "a small model is one GEM buffer");
	cr_assert_not(p.vram_staged, "all of the 780M's VRAM is CPU-visible");
	cr_assert_gt(p.vram.room, p.vram.reserved);
	/* Planning allocates nothing. */
	amdbare_alloc_stats st;
	cr_assert_eq(amdbare_allocator_get_stats(amdbare_model_allocator(m), &st), 0);
	cr_assert_eq(st.vram.held + st.gtt.held, 0);
	amdbare_tensor_info ti;
	cr_assert_eq(amdbare_model_find(m, "lm_head.weight", &ti), 0);
	cr_assert_eq(ti.domain, AMDBARE_DOMAIN_VRAM);
	cr_assert_null(ti.bo, "not loaded yet");
	cr_assert_eq(amdbare_model_find(m, "nope", &ti), -ENOENT);
	cr_assert(strstr(amdbare_last_error(), "nope"));
	amdbare_model_free(m);
}

Test(plan, gtt_only_and_overrides, .init = setup_780m, .fini = close_dev_and_check)
{
	write_safetensors(fx_path("m.safetensors"), small_model, N_SMALL);
	amdbare_model_options o = opts(AMDBARE_MODEL_GTT_ONLY);
	amdbare_model *m = open_model(fx_path("m.safetensors"), &o);
	amdbare_model_plan p;
	amdbare_model_get_plan(m, &p);
	cr_assert_eq(p.gtt.tensors, N_SMALL);
	cr_assert_eq(p.vram.tensors, 0);
	amdbare_model_free(m);

	const char *place[] = {"*embed*=gtt", "lm_head.*=GTT", "*=vram"};
	o = opts(AMDBARE_MODEL_VRAM_THEN_GTT);
	o.placements = place;
	o.n_placements = 2;
	m = open_model(fx_path("m.safetensors"), &o);
	amdbare_model_get_plan(m, &p);
	cr_assert_eq(p.overridden, 2);
	cr_assert_eq(p.gtt.tensors, 2);
	cr_assert_eq(p.vram.tensors, 2);
	amdbare_tensor_info ti;
	amdbare_model_find(m, "model.embed_tokens.weight", &ti);
	cr_assert_eq(ti.domain, AMDBARE_DOMAIN_GTT);
	cr_assert_str_eq(ti.placed_by, "*embed*");
	amdbare_model_find(m, "model.layers.0.odd", &ti);
	cr_assert_eq(ti.domain, AMDBARE_DOMAIN_VRAM);
	cr_assert_null(ti.placed_by);
	cr_assert_eq(amdbare_model_load(m), 0, "%s", amdbare_last_error());
	amdbare_model_find(m, "lm_head.weight", &ti);
	cr_assert_eq(ti.domain, AMDBARE_DOMAIN_GTT, "the override holds after the load");
	check_data(m, small_model, N_SMALL);
	amdbare_model_free(m);

	/* An override beats the policy: GTT only, but "*=vram" first. */
	o = opts(AMDBARE_MODEL_GTT_ONLY);
	o.placements = place + 2;
	o.n_placements = 1;
	m = open_model(fx_path("m.safetensors"), &o);
	amdbare_model_get_plan(m, &p);
	cr_assert_eq(p.vram.tensors, N_SMALL);
	amdbare_model_free(m);
}

Test(plan, bad_placements_are_refused, .init = setup_780m, .fini = close_dev_and_check)
{
	write_safetensors(fx_path("m.safetensors"), small_model, N_SMALL);
	const char *paths[] = {fx_path("m.safetensors")};
	const char *bad[][1] = {{"*embed*"}, {"*=cpu"}, {"=gtt"}};
	for (size_t i = 0; i < 3; i++) {
		amdbare_model_options o = opts(0);
		o.placements = bad[i];
		o.n_placements = 1;
		amdbare_model *m = (amdbare_model *)1;
		cr_assert_eq(amdbare_model_open(dev, paths, 1, &o, &m), -EINVAL, "%s", bad[i][0]);
		cr_assert_null(m);
		cr_assert(strstr(amdbare_last_error(), "placement"), "%s", amdbare_last_error());
	}
	amdbare_model_options o = opts(7);
	amdbare_model *m;
	cr_assert_eq(amdbare_model_open(dev, paths, 1, &o, &m), -EINVAL);
	o = opts(0);
	o.alignment = 100;
	cr_assert_eq(amdbare_model_open(dev, paths, 1, &o, &m), -EINVAL);
}

Test(plan, vram_then_gtt_spills_when_vram_is_small, .init = setup_780m,
     .fini = close_dev_and_check)
{
	/* Eight 1 MiB tensors against a VRAM cap of 3 MiB + a bit. */
	struct fx_tensor t[8];
	char names[8][32];
	for (int i = 0; i < 8; i++) {
		snprintf(names[i], sizeof(names[i]), "layer.%d.weight", i);
		t[i] = (struct fx_tensor){names[i], "F32", 512, 512, 4};
	}
	write_safetensors(fx_path("spill.safetensors"), t, 8);
	amdbare_model_options o = opts(AMDBARE_MODEL_VRAM_THEN_GTT);
	o.vram_limit = (3 << 20) + (64 << 10);
	amdbare_model *m = open_model(fx_path("spill.safetensors"), &o);
	amdbare_model_plan p;
	amdbare_model_get_plan(m, &p);
	cr_assert(p.fits, "%s", p.refusal);
	cr_assert_eq(p.vram.tensors, 3);
	cr_assert_eq(p.gtt.tensors, 5);
	cr_assert_eq(p.vram.budget, o.vram_limit);
	cr_assert_eq(amdbare_model_load(m), 0, "%s", amdbare_last_error());
	for (int i = 0; i < 8; i++) {
		amdbare_tensor_info ti;
		amdbare_model_find(m, names[i], &ti);
		cr_assert_eq(ti.domain, i < 3 ? AMDBARE_DOMAIN_VRAM : AMDBARE_DOMAIN_GTT, "%s", names[i]);
	}
	check_data(m, t, 8);
	amdbare_model_proof pr;
	amdbare_model_get_proof(m, &pr);
	cr_assert_eq(pr.held_vram, 3 << 20);
	cr_assert_eq(pr.held_gtt, 5 << 20);
	cr_assert_eq(pr.loaded_vram, 3 << 20);
	cr_assert_eq(pr.proc_vram_delta, 3 << 20);
	cr_assert_eq(pr.proc_gtt_delta, 5 << 20);
	cr_assert(pr.usage_matches);
	amdbare_model_free(m);
}

Test(plan, vram_only_that_cannot_fit_is_refused_before_allocating, .init = setup_tiny,
     .fini = close_dev_and_check)
{
	/* 80 MiB of tensors; the profile has 64 MiB of VRAM. */
	struct fx_tensor t[] = {{"a", "U8", 40 << 20, 0, 1}, {"b", "U8", 40 << 20, 0, 1}};
	write_safetensors(fx_path("big.safetensors"), t, 2);
	amdbare_model_options o = opts(AMDBARE_MODEL_VRAM_ONLY);
	amdbare_model *m = open_model(fx_path("big.safetensors"), &o);
	amdbare_model_plan p;
	amdbare_model_get_plan(m, &p);
	cr_assert_not(p.fits);
	cr_assert(strstr(p.refusal, "VRAM needs 80.00 MiB"), "%s", p.refusal);
	amdbare_memory_info before, after;
	cr_assert_eq(amdbare_device_query_memory(dev, &before), 0);
	cr_assert_eq(amdbare_model_load(m), -ENOSPC);
	cr_assert(strstr(amdbare_last_error(), "does not fit"), "%s", amdbare_last_error());
	cr_assert(strstr(amdbare_last_error(), "room"), "%s", amdbare_last_error());
	cr_assert_eq(amdbare_device_query_memory(dev, &after), 0);
	cr_assert_eq(after.vram.used, before.vram.used, "nothing was allocated");
	cr_assert_eq(after.gtt.used, before.gtt.used);
	amdbare_tensor_info ti;
	amdbare_model_find(m, "a", &ti);
	cr_assert_null(ti.bo);
	amdbare_model_free(m);

	/* VRAM then GTT: the second tensor goes to GTT and it loads. */
	o = opts(AMDBARE_MODEL_VRAM_THEN_GTT);
	m = open_model(fx_path("big.safetensors"), &o);
	amdbare_model_get_plan(m, &p);
	cr_assert(p.fits, "%s", p.refusal);
	cr_assert_eq(p.vram.tensors, 1);
	cr_assert_eq(p.gtt.tensors, 1);
	cr_assert_eq(amdbare_model_load(m), 0, "%s", amdbare_last_error());
	check_data(m, t, 2);
	amdbare_model_free(m);

	/* Neither heap can hold 3 x 50 MiB: refused, nothing allocated. */
	struct fx_tensor h[] = {{"x", "U8", 50 << 20, 0, 1}, {"y", "U8", 50 << 20, 0, 1},
				{"z", "U8", 50 << 20, 0, 1}};
	write_safetensors(fx_path("huge.safetensors"), h, 3);
	m = open_model(fx_path("huge.safetensors"), &o);
	cr_assert_eq(amdbare_model_load(m), -ENOSPC);
	cr_assert(strstr(amdbare_last_error(), "GTT needs"), "%s", amdbare_last_error());
	amdbare_alloc_stats st;
	amdbare_allocator_get_stats(amdbare_model_allocator(m), &st);
	cr_assert_eq(st.vram.held + st.gtt.held, 0);
	cr_assert_eq(st.vram.allocs + st.gtt.allocs, 0, "refused before any allocation");
	amdbare_model_free(m);
}

Test(plan, a_tensor_larger_than_any_buffer_is_refused, .init = setup_tiny,
     .fini = close_dev_and_check)
{
	amdbare_memory_info mem;
	cr_assert_eq(amdbare_device_query_memory(dev, &mem), 0);
	uint64_t too_big = (mem.gtt.max_allocation > mem.vram.max_allocation
				    ? mem.gtt.max_allocation : mem.vram.max_allocation) + 4096;
	struct fx_tensor t[] = {{"small", "U8", 4096, 0, 1}, {"giant", "U8", too_big, 0, 1}};
	write_safetensors(fx_path("g.safetensors"), t, 2);
	amdbare_model_options o = opts(AMDBARE_MODEL_VRAM_THEN_GTT);
	o.gtt_headroom = 0;
	amdbare_model *m = open_model(fx_path("g.safetensors"), &o);
	amdbare_model_plan p;
	amdbare_model_get_plan(m, &p);
	cr_assert_not(p.fits);
	cr_assert(strstr(p.refusal, "'giant'"), "%s", p.refusal);
	cr_assert(strstr(p.refusal, "larger than the largest buffer the kernel allows"), "%s", p.refusal);
	cr_assert_eq(amdbare_model_load(m), -ENOSPC);
	amdbare_model_free(m);
}

/* ---- load ------------------------------------------------------------------ */

Test(load, data_lookup_and_proof, .init = setup_780m, .fini = close_dev_and_check)
{
	write_safetensors(fx_path("m.safetensors"), small_model, N_SMALL);
	amdbare_model_options o = opts(AMDBARE_MODEL_VRAM_THEN_GTT);
	amdbare_model *m = open_model(fx_path("m.safetensors"), &o);
	cr_assert_eq(amdbare_model_load(m), 0, "%s", amdbare_last_error());
	cr_assert_eq(amdbare_model_load(m), -EALREADY);
	cr_assert_eq(amdbare_model_tensor_count(m), N_SMALL);
	check_data(m, small_model, N_SMALL);
	amdbare_model_proof pr;
	amdbare_model_get_proof(m, &pr);
	amdbare_model_plan p;
	amdbare_model_get_plan(m, &p);
	cr_assert(pr.loaded);
	cr_assert_eq(pr.bytes_read, p.bytes);
	cr_assert_eq(pr.loaded_vram, p.bytes);
	cr_assert_eq(pr.held_vram, p.vram.reserved, "the plan's bytes are the kernel's");
	cr_assert(pr.have_process_usage);
	cr_assert_eq(pr.proc_vram_delta, (int64_t)pr.held_vram);
	cr_assert_eq(pr.global_vram_delta, (int64_t)pr.held_vram);
	cr_assert_eq(pr.proc_gtt_delta, 0);
	cr_assert(pr.usage_matches);
	cr_assert(pr.verify_skipped);
	cr_assert_eq(pr.bytes_staged, 0);
	/* Iteration gives every tensor once, in file order. */
	for (size_t i = 0; i < N_SMALL; i++) {
		amdbare_tensor_info ti;
		cr_assert_eq(amdbare_model_tensor(m, i, &ti), 0);
		cr_assert_str_eq(ti.name, small_model[i].name);
		cr_assert(strstr(ti.file, "m.safetensors"));
	}
	amdbare_tensor_info ti;
	cr_assert_eq(amdbare_model_tensor(m, N_SMALL, &ti), -ERANGE);
	amdbare_model_find(m, "model.layers.0.mlp.weight", &ti);
	cr_assert_eq(ti.dtype, AMDBARE_DTYPE_F16);
	cr_assert_eq(ti.n_dims, 2);
	cr_assert_eq(ti.shape[0], 1024);
	cr_assert_eq(ti.shape[1], 1024);
	amdbare_model_free(m);
	/* Freeing gives everything back. */
	amdbare_process_usage u;
	cr_assert_eq(amdbare_device_query_process_usage(dev, &u), 0);
	cr_assert_eq(u.vram, 0);
	cr_assert_eq(u.gtt, 0);
}

Test(load, gpu_checksums_prove_every_tensor, .init = setup_780m, .fini = close_dev_and_check)
{
	write_safetensors(fx_path("m.safetensors"), small_model, N_SMALL);
	amdbare_model_options o = opts(AMDBARE_MODEL_VRAM_THEN_GTT);
	o.flags &= ~(uint32_t)AMDBARE_MODEL_NO_VERIFY;
	const char *place[] = {"lm_head*=gtt"};
	o.placements = place;
	o.n_placements = 1;
	amdbare_model *m = open_model(fx_path("m.safetensors"), &o);
	int r = amdbare_model_load(m);
	if (r == -ENOTSUP || r == -EOPNOTSUPP) {
		amdbare_model_free(m);
		cr_skip_test("GPU checksum not available here: %s", amdbare_last_error());
	}
	cr_assert_eq(r, 0, "%s", amdbare_last_error());
	amdbare_model_proof pr;
	amdbare_model_get_proof(m, &pr);
	cr_assert_not(pr.verify_skipped);
	cr_assert_eq(pr.verified, N_SMALL);
	cr_assert_eq(pr.mismatched, 0);
	for (size_t i = 0; i < N_SMALL; i++) {
		amdbare_tensor_info ti;
		amdbare_model_tensor(m, i, &ti);
		cr_assert(ti.verified, "%s", ti.name);
	}
	amdbare_model_free(m);
}

Test(load, invisible_vram_is_filled_through_the_staging_ring, .init = setup_7900xtx,
     .fini = close_dev_and_check)
{
	/* 40 MiB: more than the 16 MiB ring, so slots are reused. */
	struct fx_tensor t[] = {{"big", "U8", 40 << 20, 0, 1},
				{"small", "F32", 1000, 3, 4},
				{"embed", "F16", 2048, 1024, 2}};
	write_safetensors(fx_path("x.safetensors"), t, 3);
	amdbare_model_options o = opts(AMDBARE_MODEL_VRAM_THEN_GTT);
	const char *place[] = {"embed=gtt"};
	o.placements = place;
	o.n_placements = 1;
	amdbare_model *m = open_model(fx_path("x.safetensors"), &o);
	amdbare_model_plan p;
	amdbare_model_get_plan(m, &p);
	cr_assert(p.vram_staged, "the 7900 XTX profile has a 256 MiB BAR");
	cr_assert_eq(p.staging_bytes, 16 << 20);
	cr_assert_eq(amdbare_model_load(m), 0, "%s", amdbare_last_error());
	amdbare_tensor_info ti;
	amdbare_model_find(m, "big", &ti);
	cr_assert_eq(ti.domain, AMDBARE_DOMAIN_VRAM);
	cr_assert_null(ti.cpu_ptr, "invisible VRAM has no CPU pointer");
	amdbare_model_find(m, "embed", &ti);
	cr_assert_eq(ti.domain, AMDBARE_DOMAIN_GTT);
	cr_assert_not_null(ti.cpu_ptr);
	check_data(m, t, 3);
	amdbare_model_proof pr;
	amdbare_model_get_proof(m, &pr);
	cr_assert_eq(pr.bytes_staged, (40 << 20) + 12000);
	cr_assert_eq(pr.proc_vram_delta, (int64_t)pr.held_vram);
	cr_assert_eq(pr.proc_gtt_delta, (int64_t)pr.held_gtt, "the ring is gone after the load");
	amdbare_memory_info mem;
	amdbare_device_query_memory(dev, &mem);
	cr_assert_eq(mem.num_vram_cpu_page_faults, 0, "the CPU never touched the VRAM");
	amdbare_model_free(m);
}

Test(load, stage_flag_on_an_apu_and_odirect, .init = setup_780m, .fini = close_dev_and_check)
{
	write_safetensors(fx_path("m.safetensors"), small_model, N_SMALL);
	amdbare_model_options o = opts(AMDBARE_MODEL_VRAM_THEN_GTT);
	o.flags |= AMDBARE_MODEL_STAGE_VRAM | AMDBARE_MODEL_O_DIRECT;
	o.chunk_size = 64 << 10; /* many chunks, unaligned tensor offsets */
	o.staging_size = 256 << 10;
	amdbare_model *m = open_model(fx_path("m.safetensors"), &o);
	cr_assert_eq(amdbare_model_load(m), 0, "%s", amdbare_last_error());
	amdbare_model_proof pr;
	amdbare_model_get_proof(m, &pr);
	cr_assert_eq(pr.bytes_staged, pr.bytes_read);
	check_data(m, small_model, N_SMALL);
	amdbare_model_free(m);
}

Test(load, several_files_merge_and_duplicates_are_refused, .init = setup_780m,
     .fini = close_dev_and_check)
{
	write_safetensors(fx_path("a.safetensors"), small_model, 2);
	write_safetensors(fx_path("b.safetensors"), small_model + 2, 2);
	const char *paths[] = {fx_path("a.safetensors"), fx_path("b.safetensors")};
	amdbare_model_options o = opts(0);
	amdbare_model *m;
	cr_assert_eq(amdbare_model_open(dev, paths, 2, &o, &m), 0, "%s", amdbare_last_error());
	amdbare_model_plan p;
	amdbare_model_get_plan(m, &p);
	cr_assert_eq(p.files, 2);
	cr_assert_eq(p.tensors, 4);
	cr_assert_eq(amdbare_model_load(m), 0, "%s", amdbare_last_error());
	amdbare_tensor_info ti;
	amdbare_model_find(m, "lm_head.weight", &ti);
	cr_assert(strstr(ti.file, "b.safetensors"));
	/* fixture byte patterns are per index within a file: check by hand */
	const uint8_t *q = ti.cpu_ptr;
	cr_assert_eq(q[0], fx_byte(1, 0));
	cr_assert_eq(q[ti.nbytes - 1], fx_byte(1, ti.nbytes - 1));
	amdbare_model_free(m);

	const char *dup[] = {fx_path("a.safetensors"), fx_path("a.safetensors")};
	m = (amdbare_model *)1;
	cr_assert_eq(amdbare_model_open(dev, dup, 2, &o, &m), -EEXIST);
	cr_assert_null(m);
	cr_assert(strstr(amdbare_last_error(), "model.embed_tokens.weight"), "%s",
		  amdbare_last_error());
}

/* ---- GGUF and sharded safetensors -------------------------------------------- */

static void put(FILE *f, const void *p, size_t n)
{
	cr_assert_eq(fwrite(p, 1, n, f), n);
}

static void put_u32(FILE *f, uint32_t v)
{
	put(f, &v, 4); /* x86-64: little-endian, as GGUF */
}

static void put_u64(FILE *f, uint64_t v)
{
	put(f, &v, 8);
}

static void put_str(FILE *f, const char *s)
{
	put_u64(f, strlen(s));
	put(f, s, strlen(s));
}

struct gguf_tensor {
	const char *name;
	uint32_t ggml_type;  /* 0 f32, 1 f16, 8 q8_0 */
	uint32_t n_dims;
	uint64_t ne[2];      /* innermost first, as GGUF */
	uint64_t nbytes;
};

/* GGUF v3 with general.alignment = 64; tensor i's bytes are fx_byte(i, j). */
static void write_gguf(const char *path, const struct gguf_tensor *t, size_t n)
{
	const uint64_t align = 64;
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	put(f, "GGUF", 4);
	put_u32(f, 3);
	put_u64(f, n);
	put_u64(f, 1);
	put_str(f, "general.alignment");
	put_u32(f, 4); /* GGUF_TYPE_UINT32 */
	put_u32(f, (uint32_t)align);
	uint64_t off = 0;
	for (size_t i = 0; i < n; i++) {
		put_str(f, t[i].name);
		put_u32(f, t[i].n_dims);
		for (uint32_t d = 0; d < t[i].n_dims; d++)
			put_u64(f, t[i].ne[d]);
		put_u32(f, t[i].ggml_type);
		put_u64(f, off);
		off += (t[i].nbytes + align - 1) / align * align;
	}
	long pos = ftell(f);
	while (pos % (long)align) {
		fputc(0, f);
		pos++;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t padded = (t[i].nbytes + align - 1) / align * align;
		for (uint64_t j = 0; j < padded; j++)
			fputc(j < t[i].nbytes ? fx_byte((uint32_t)i, j) : 0, f);
	}
	cr_assert_eq(fclose(f), 0);
}

static void check_bytes(amdbare_model *m, const char *name, uint32_t seed, uint64_t nbytes)
{
	amdbare_tensor_info ti;
	cr_assert_eq(amdbare_model_find(m, name, &ti), 0, "%s", amdbare_last_error());
	cr_assert_eq(ti.nbytes, nbytes, "%s", name);
	cr_assert_not_null(ti.cpu_ptr, "%s", name);
	const uint8_t *p = ti.cpu_ptr;
	for (uint64_t j = 0; j < nbytes; j++)
		if (p[j] != fx_byte(seed, j))
			cr_assert_fail("%s byte %llu differs", name, (unsigned long long)j);
	cr_assert_eq(ti.checksum, amdbare_checksum(p, nbytes));
}

Test(formats, gguf_with_a_quantized_tensor, .init = setup_780m, .fini = close_dev_and_check)
{
	const struct gguf_tensor t[] = {
		{"token_embd.weight", 8, 2, {64, 8}, 8 * 2 * 34},  /* q8_0: 34 bytes per 32 */
		{"blk.0.ffn_up.weight", 1, 2, {32, 16}, 32 * 16 * 2},
		{"output_norm.weight", 0, 1, {17, 0}, 17 * 4},
	};
	write_gguf(fx_path("m.gguf"), t, 3);
	amdbare_model_options o = opts(0);
	o.flags &= ~(uint32_t)AMDBARE_MODEL_NO_VERIFY;
	const char *place[] = {"token_embd*=gtt"};
	o.placements = place;
	o.n_placements = 1;
	amdbare_model *m = open_model(fx_path("m.gguf"), &o);
	cr_assert_eq(amdbare_model_load(m), 0, "%s", amdbare_last_error());
	amdbare_tensor_info ti;
	amdbare_model_find(m, "token_embd.weight", &ti);
	cr_assert_eq(ti.dtype, AMDBARE_DTYPE_Q8_0);
	cr_assert_eq(ti.n_dims, 2);
	cr_assert_eq(ti.shape[0], 8, "GGUF ne[] is reversed into row-major order");
	cr_assert_eq(ti.shape[1], 64);
	cr_assert_eq(ti.domain, AMDBARE_DOMAIN_GTT);
	cr_assert(ti.verified);
	for (uint32_t i = 0; i < 3; i++)
		check_bytes(m, t[i].name, i, t[i].nbytes);
	amdbare_model_proof pr;
	amdbare_model_get_proof(m, &pr);
	cr_assert_eq(pr.verified, 3);
	cr_assert(pr.usage_matches);
	amdbare_model_free(m);
}

Test(formats, sharded_safetensors_through_the_index, .init = setup_780m,
     .fini = close_dev_and_check)
{
	write_safetensors(fx_path("model-00001-of-00002.safetensors"), small_model, 2);
	write_safetensors(fx_path("model-00002-of-00002.safetensors"), small_model + 2, 2);
	FILE *f = fopen(fx_path("model.safetensors.index.json"), "w");
	cr_assert_not_null(f);
	fprintf(f, "{\"metadata\":{\"total_size\":0},\"weight_map\":{");
	for (size_t i = 0; i < N_SMALL; i++)
		fprintf(f, "%s\"%s\":\"model-0000%zu-of-00002.safetensors\"", i ? "," : "",
			small_model[i].name, i / 2 + 1);
	fprintf(f, "}}");
	fclose(f);
	amdbare_model_options o = opts(0);
	o.vram_limit = 2 << 20; /* the shards spill across domains too */
	amdbare_model *m = open_model(fx_path("model.safetensors.index.json"), &o);
	amdbare_model_plan p;
	amdbare_model_get_plan(m, &p);
	cr_assert_eq(p.files, 2);
	cr_assert_eq(p.tensors, N_SMALL);
	cr_assert_gt(p.gtt.tensors, 0);
	cr_assert_gt(p.vram.tensors, 0);
	cr_assert_eq(amdbare_model_load(m), 0, "%s", amdbare_last_error());
	for (size_t i = 0; i < N_SMALL; i++)
		check_bytes(m, small_model[i].name, (uint32_t)(i % 2), fx_bytes(&small_model[i]));
	amdbare_tensor_info ti;
	amdbare_model_find(m, "lm_head.weight", &ti);
	cr_assert(strstr(ti.file, "model-00002-of-00002.safetensors"), "%s", ti.file);
	amdbare_model_free(m);
}

/* ---- files that change, bad input ------------------------------------------ */

struct shrink_ctx {
	const char *path;
	int calls;
};

static int shrink_after_first_chunk(const amdbare_model_progress *p, void *user)
{
	struct shrink_ctx *c = user;
	if (c->calls++ == 0)
		cr_assert_eq(truncate(c->path, 5 << 20), 0);
	cr_assert_leq(p->bytes_done, p->bytes_total);
	return 0;
}

Test(errors, a_file_that_shrinks_during_the_load, .init = setup_780m, .fini = close_dev_and_check)
{
	struct fx_tensor t[] = {{"first", "U8", 4 << 20, 0, 1}, {"second", "U8", 4 << 20, 0, 1}};
	write_safetensors(fx_path("s.safetensors"), t, 2);
	struct shrink_ctx c = {fx_path("s.safetensors"), 0};
	amdbare_model_options o = opts(0);
	o.chunk_size = 1 << 20;
	o.progress = shrink_after_first_chunk;
	o.progress_user = &c;
	amdbare_model *m = open_model(c.path, &o);
	amdbare_memory_info before;
	amdbare_device_query_memory(dev, &before);
	cr_assert_eq(amdbare_model_load(m), -EIO);
	const char *e = amdbare_last_error();
	cr_assert(strstr(e, "s.safetensors"), "%s", e);
	cr_assert(strstr(e, "'second'"), "%s", e);
	cr_assert(strstr(e, "shrank"), "%s", e);
	amdbare_memory_info after;
	amdbare_device_query_memory(dev, &after);
	cr_assert_eq(after.vram.used, before.vram.used, "every buffer freed");
	cr_assert_eq(after.gtt.used, before.gtt.used);
	amdbare_tensor_info ti;
	amdbare_model_find(m, "first", &ti);
	cr_assert_null(ti.bo);
	amdbare_model_free(m);
}

Test(errors, a_file_changed_between_plan_and_load, .init = setup_7900xtx,
     .fini = close_dev_and_check)
{
	write_safetensors(fx_path("c.safetensors"), small_model, N_SMALL);
	amdbare_model_options o = opts(0);
	amdbare_model *m = open_model(fx_path("c.safetensors"), &o);
	cr_assert_eq(truncate(fx_path("c.safetensors"), 1000), 0);
	cr_assert_eq(amdbare_model_load(m), -EIO);
	const char *e = amdbare_last_error();
	cr_assert(strstr(e, "c.safetensors"), "%s", e);
	cr_assert(strstr(e, "model.embed_tokens.weight"), "%s", e);
	cr_assert(strstr(e, "since it was planned"), "%s", e);
	amdbare_process_usage u;
	amdbare_device_query_process_usage(dev, &u);
	cr_assert_eq(u.vram + u.gtt, 0, "staging ring and slabs freed");
	amdbare_model_free(m);
}

static int cancel_at_once(const amdbare_model_progress *p, void *user)
{
	(void)p;
	(void)user;
	return 1;
}

Test(errors, cancelled_by_the_progress_callback, .init = setup_780m, .fini = close_dev_and_check)
{
	write_safetensors(fx_path("m.safetensors"), small_model, N_SMALL);
	amdbare_model_options o = opts(0);
	o.progress = cancel_at_once;
	amdbare_model *m = open_model(fx_path("m.safetensors"), &o);
	cr_assert_eq(amdbare_model_load(m), -ECANCELED);
	cr_assert(strstr(amdbare_last_error(), "model.embed_tokens.weight"), "%s",
		  amdbare_last_error());
	amdbare_process_usage u;
	amdbare_device_query_process_usage(dev, &u);
	cr_assert_eq(u.vram + u.gtt, 0);
	amdbare_model_free(m);
}

static void write_raw(const char *path, const char *bytes, size_t n)
{
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(bytes, 1, n, f), n);
	fclose(f);
}

static int open_bad(const char *path)
{
	amdbare_model_options o = opts(0);
	const char *paths[] = {path};
	amdbare_model *m = (amdbare_model *)1;
	int r = amdbare_model_open(dev, paths, 1, &o, &m);
	cr_assert_null(m);
	return r;
}

Test(errors, bad_files_are_clear_errors, .init = setup_780m, .fini = close_dev_and_check)
{
	/* Truncated: the header promises more data than the file holds. */
	write_safetensors(fx_path("t.safetensors"), small_model, N_SMALL);
	cr_assert_eq(truncate(fx_path("t.safetensors"), 4096), 0);
	cr_assert_lt(open_bad(fx_path("t.safetensors")), 0);
	cr_assert(strstr(amdbare_last_error(), "t.safetensors"), "%s", amdbare_last_error());

	/* Unsupported dtype, absurd shape, duplicate name. */
	struct {
		const char *file, *json, *word;
	} cases[] = {
		{"dtype.safetensors", "{\"w\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}",
		 "w"},
		{"shape.safetensors",
		 "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4294967296],"
		 "\"data_offsets\":[0,8]}}", "w"},
		{"dup.safetensors", "{\"w\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},"
		 "\"w\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[4,8]}}", "w"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[512];
		size_t len = strlen(cases[i].json);
		for (int k = 0; k < 8; k++)
			buf[k] = (char)((len >> (8 * k)) & 0xff);
		memcpy(buf + 8, cases[i].json, len);
		memset(buf + 8 + len, 0, 8);
		write_raw(fx_path(cases[i].file), buf, 8 + len + 8);
		cr_assert_lt(open_bad(fx_path(cases[i].file)), 0, "%s", cases[i].file);
		cr_assert(strstr(amdbare_last_error(), cases[i].file), "%s: %s", cases[i].file,
			  amdbare_last_error());
	}
	/* Not there at all. */
	cr_assert_eq(open_bad(fx_path("missing.safetensors")), -ENOENT);
}

/* ---- memory bound ----------------------------------------------------------- */

static long status_kib(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	cr_assert_not_null(f);
	char line[256];
	long v = -1;
	size_t kl = strlen(key);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, kl) == 0 && line[kl] == ':')
			v = strtol(line + kl + 1, NULL, 10);
	fclose(f);
	return v;
}

static int sample_rss(const amdbare_model_progress *p, void *user)
{
	(void)p;
	long *peak = user;
	long a = status_kib("RssAnon");
	if (a > *peak)
		*peak = a;
	return 0;
}

Test(memory, anonymous_rss_stays_bounded_on_a_256mib_load, .init = setup_780m,
     .fini = close_dev_and_check, .timeout = 120)
{
	struct fx_tensor t[] = {{"w0", "U8", 96 << 20, 0, 1}, {"w1", "U8", 100 << 20, 0, 1},
				{"w2", "U8", 60 << 20, 0, 1}};
	write_safetensors(fx_path("r.safetensors"), t, 3);
	long base = status_kib("RssAnon");
	long peak = base;
	amdbare_model_options o = opts(0);
	o.progress = sample_rss;
	o.progress_user = &peak;
	amdbare_model *m = open_model(fx_path("r.safetensors"), &o);
	cr_assert_eq(amdbare_model_load(m), 0, "%s", amdbare_last_error());
	sample_rss(NULL, &peak);
	cr_assert_gt(base, 0);
	cr_log_info("RssAnon %ld KiB before, peak %ld KiB during a 256 MiB load", base, peak);
	cr_assert_leq(peak - base, 64 * 1024, "anonymous memory grew by %ld KiB", peak - base);
	amdbare_tensor_info ti;
	amdbare_model_find(m, "w1", &ti);
	const uint8_t *q = ti.cpu_ptr;
	for (uint64_t j = 0; j < ti.nbytes; j += 4093)
		cr_assert_eq(q[j], fx_byte(1, j));
	amdbare_model_free(m);
}
