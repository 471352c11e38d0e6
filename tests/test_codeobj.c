/*
 * Code-object loader: the checked-in clang-19 code objects parsed field by
 * field (expected values read with llvm-readelf-19 --notes and
 * llvm-objdump-19 -s -j .rodata), every truncation and byte flip of them
 * rejected cleanly, targeted corruptions rejected with the right reason,
 * the msgpack reader's limits, the target check, and upload to the vgpu.
 */
#include "amdbare.h"
#include "codeobj/msgpack.h"
#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *co_path(const char *name)
{
	static char path[4096];
	const char *top = getenv("AMDBARE_TOP");
	snprintf(path, sizeof(path), "%s/tests/codeobj/%s", top ? top : ".", name);
	return path;
}

static uint8_t *slurp(const char *name, size_t *size)
{
	FILE *f = fopen(co_path(name), "rb");
	cr_assert_not_null(f, "open %s", co_path(name));
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *buf = malloc((size_t)n);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*size = (size_t)n;
	return buf;
}

static amdbare_codeobj *load(const char *name)
{
	amdbare_codeobj *co = NULL;
	int r = amdbare_codeobj_load_file(co_path(name), &co);
	cr_assert_eq(r, 0, "load %s: %s", name, amdbare_last_error());
	cr_assert_not_null(co);
	return co;
}

/* A load of corrupted bytes: must fail with one of the documented errnos
 * and a message, or succeed; returns the result. */
static int load_bad(const uint8_t *data, size_t size, const char *what)
{
	amdbare_codeobj *co = (amdbare_codeobj *)&co; /* poison: must be reset */
	int r = amdbare_codeobj_load_memory(data, size, &co);
	if (r == 0) {
		cr_assert_not_null(co);
		amdbare_codeobj_free(co);
		return 0;
	}
	cr_assert(r == -EINVAL || r == -ENOEXEC || r == -ENOTSUP,
		  "%s: unexpected %d (%s)", what, r, amdbare_last_error());
	cr_assert_null(co, "%s: failed load left a handle", what);
	cr_assert_neq(amdbare_last_error()[0], '\0', "%s: no message", what);
	return r;
}

/* Offset of a byte string in a buffer (the first one), or fails. */
static size_t find(const uint8_t *buf, size_t size, const void *needle, size_t len)
{
	for (size_t i = 0; i + len <= size; i++)
		if (memcmp(buf + i, needle, len) == 0)
			return i;
	cr_assert_fail("pattern not found");
	return 0;
}

Test(codeobj, lds_kernel_descriptor_and_metadata)
{
	amdbare_codeobj *co = load("lds.co");
	cr_assert_str_eq(amdbare_codeobj_target(co), "amdgcn-amd-amdhsa--gfx1103");
	cr_assert_str_eq(amdbare_codeobj_processor(co), "gfx1103");
	cr_assert_eq(amdbare_codeobj_version(co), 5);
	cr_assert_eq(amdbare_codeobj_kernel_count(co), 1);
	const amdbare_kernel_info *k = amdbare_codeobj_kernel_at(co, 0);
	cr_assert_str_eq(k->name, "lds_sum");
	cr_assert_str_eq(k->symbol, "lds_sum.kd");
	cr_assert_eq(k->descriptor_vaddr, 0x540);
	cr_assert_eq(k->group_segment_fixed_size, 256);
	cr_assert_eq(k->lds_size, 256);
	cr_assert_eq(k->private_segment_fixed_size, 0);
	cr_assert_eq(k->kernarg_size, 16);
	cr_assert_eq(k->kernel_code_entry_byte_offset, 0x10c0);
	cr_assert_eq(k->entry_vaddr, 0x1600);
	cr_assert_eq(k->compute_pgm_rsrc1, 0x60af0040);
	cr_assert_eq(k->compute_pgm_rsrc2, 0x84);
	cr_assert_eq(k->compute_pgm_rsrc3, 0);
	cr_assert_eq(k->kernel_code_properties, 0x0408);
	cr_assert_eq(k->kernarg_preload, 0);
	cr_assert_eq(k->user_sgpr_enables, AMDBARE_KCP_KERNARG_SEGMENT_PTR);
	cr_assert_eq(k->user_sgpr_count, 2);
	cr_assert(k->wave32);
	cr_assert(k->workgroup_id_x);
	cr_assert(!k->workgroup_id_y && !k->workgroup_id_z && !k->workgroup_info);
	cr_assert_eq(k->workitem_id_dims, 1);
	cr_assert(!k->private_segment);
	cr_assert_eq(k->kernarg_segment_size, 16);
	cr_assert_eq(k->kernarg_segment_align, 8);
	cr_assert_eq(k->wavefront_size, 32);
	cr_assert_eq(k->sgpr_count, 10);
	cr_assert_eq(k->vgpr_count, 4);
	cr_assert_eq(k->max_flat_workgroup_size, 64);
	cr_assert_eq(k->reqd_workgroup_size[0], 64);
	cr_assert_eq(k->reqd_workgroup_size[1], 1);
	cr_assert_eq(k->reqd_workgroup_size[2], 1);
	cr_assert(!k->uses_dynamic_stack);
	cr_assert_eq(k->arg_count, 2);
	cr_assert_eq(k->args[0].kind, AMDBARE_ARG_GLOBAL_BUFFER);
	cr_assert_eq(k->args[0].address_space, AMDBARE_AS_GLOBAL);
	cr_assert(k->args[0].is_const);
	cr_assert(!k->args[1].is_const);
	cr_assert_eq(k->args[1].offset, 8);
	cr_assert_eq(k->args[1].size, 8);
	cr_assert(!k->has_unknown_arg_kind);
	amdbare_codeobj_free(co);
}

Test(codeobj, several_kernels_and_argument_kinds)
{
	amdbare_codeobj *co = load("args.co");
	cr_assert_eq(amdbare_codeobj_kernel_count(co), 2);
	const amdbare_kernel_info *k = NULL;
	cr_assert_eq(amdbare_codeobj_find_kernel(co, "mixed_args", &k), 0);
	cr_assert_eq(k->descriptor_vaddr, 0x8c0);
	cr_assert_eq(k->entry_vaddr, 0x1a00);
	cr_assert_eq(k->kernarg_size, 64);
	cr_assert_eq(k->kernarg_segment_align, 16);
	cr_assert_eq(k->sgpr_count, 13);
	cr_assert_eq(k->vgpr_count, 6);
	cr_assert_eq(k->max_flat_workgroup_size, 256);
	cr_assert_eq(k->reqd_workgroup_size[0], 0, "absent reqd_workgroup_size is 0");
	cr_assert_eq(k->arg_count, 7);
	static const struct { uint32_t off, size; enum amdbare_arg_kind kind;
			      enum amdbare_addr_space as; const char *type; } want[] = {
		{ 0, 8, AMDBARE_ARG_GLOBAL_BUFFER, AMDBARE_AS_GLOBAL, "float*" },
		{ 8, 8, AMDBARE_ARG_GLOBAL_BUFFER, AMDBARE_AS_GLOBAL, "float*" },
		{ 16, 4, AMDBARE_ARG_BY_VALUE, AMDBARE_AS_NONE, "float" },
		{ 32, 16, AMDBARE_ARG_BY_VALUE, AMDBARE_AS_NONE, "int4" },
		{ 48, 8, AMDBARE_ARG_BY_VALUE, AMDBARE_AS_NONE, "pair_t" },
		{ 56, 4, AMDBARE_ARG_DYNAMIC_SHARED_POINTER, AMDBARE_AS_LOCAL, "float*" },
		{ 60, 4, AMDBARE_ARG_BY_VALUE, AMDBARE_AS_NONE, "uint" },
	};
	for (int i = 0; i < 7; i++) {
		cr_assert_eq(k->args[i].offset, want[i].off, "arg %d", i);
		cr_assert_eq(k->args[i].size, want[i].size, "arg %d", i);
		cr_assert_eq(k->args[i].kind, want[i].kind, "arg %d", i);
		cr_assert_eq(k->args[i].address_space, want[i].as, "arg %d", i);
		cr_assert_str_eq(k->args[i].type_name, want[i].type, "arg %d", i);
		cr_assert(!k->args[i].hidden);
		cr_assert_null(k->args[i].name, "clang-19 emits no .name for OpenCL args here");
	}
	cr_assert(k->args[1].is_const && !k->args[0].is_const);
	cr_assert_eq(k->args[5].pointee_align, 4);
	cr_assert_str_eq(k->args[5].value_kind_name, "dynamic_shared_pointer");

	cr_assert_eq(amdbare_codeobj_find_kernel(co, "fill.kd", &k), 0, "by symbol");
	cr_assert_str_eq(k->name, "fill");
	cr_assert_eq(k->descriptor_vaddr, 0x900);
	cr_assert_eq(k->entry_vaddr, 0x1b00);
	cr_assert_eq(k->kernarg_size, 12);
	cr_assert_eq(k->compute_pgm_rsrc1, 0x60af0000);
	cr_assert_eq(k->arg_count, 2);

	cr_assert_eq(amdbare_codeobj_find_kernel(co, "nope", &k), -ENOENT);
	cr_assert_null(k);
	cr_assert(strstr(amdbare_last_error(), "mixed_args fill"), "%s", amdbare_last_error());
	cr_assert_null(amdbare_codeobj_kernel_at(co, 2));
	amdbare_codeobj_free(co);
}

Test(codeobj, wave64_v4_gfx1100_and_generic)
{
	amdbare_codeobj *co = load("copy_w64.co");
	const amdbare_kernel_info *k = amdbare_codeobj_kernel_at(co, 0);
	cr_assert(!k->wave32);
	cr_assert_eq(k->wavefront_size, 64);
	cr_assert_eq(k->kernel_code_properties, 0x0008);
	amdbare_codeobj_free(co);

	co = load("copy_v4.co");
	cr_assert_eq(amdbare_codeobj_version(co), 4);
	k = amdbare_codeobj_kernel_at(co, 0);
	cr_assert_eq(k->descriptor_vaddr, 0x500);
	cr_assert_eq(k->kernel_code_entry_byte_offset, 0x1100);
	cr_assert_eq(k->entry_vaddr, 0x1600);
	cr_assert(k->wave32);
	amdbare_codeobj_free(co);

	co = load("copy_gfx1100.co");
	cr_assert_str_eq(amdbare_codeobj_target(co), "amdgcn-amd-amdhsa--gfx1100");
	k = amdbare_codeobj_kernel_at(co, 0);
	/* gfx1100-1102 initialise 16 user SGPRs (LLVM's UserSGPRInit16Bug). */
	cr_assert_eq(k->user_sgpr_count, 15);
	cr_assert_eq(k->compute_pgm_rsrc2, 0x9e);
	cr_assert_eq(k->sgpr_count, 18);
	amdbare_codeobj_free(co);

	co = load("copy_generic.co");
	cr_assert_eq(amdbare_codeobj_version(co), 6);
	cr_assert_str_eq(amdbare_codeobj_processor(co), "gfx11-generic");
	amdbare_codeobj_free(co);
}

static void check(const char *file, const char *gfx, int want, const char *msg)
{
	amdbare_codeobj *co = load(file);
	amdbare_device_info info;
	memset(&info, 0, sizeof(info));
	snprintf(info.gfx_target, sizeof(info.gfx_target), "%s", gfx);
	int r = amdbare_codeobj_check_device(co, &info);
	cr_assert_eq(r, want, "%s on %s: %d %s", file, gfx, r, amdbare_last_error());
	if (msg)
		cr_assert(strstr(amdbare_last_error(), msg), "%s", amdbare_last_error());
	amdbare_codeobj_free(co);
}

Test(codeobj, target_check)
{
	check("lds.co", "gfx1103", 0, NULL);
	check("copy_gfx1100.co", "gfx1103", -ENOTSUP, "code object is for gfx1100, device is gfx1103");
	check("lds.co", "gfx1100", -ENOTSUP, "code object is for gfx1103, device is gfx1100");
	check("copy_generic.co", "gfx1103", 0, NULL);
	check("copy_generic.co", "gfx1100", 0, NULL);
	check("copy_generic.co", "gfx1151", 0, NULL);
	check("copy_generic.co", "gfx1030", -ENOTSUP, "gfx11-generic, device is gfx1030");
	check("copy_generic.co", "gfx1200", -ENOTSUP, NULL);
	check("lds.co", "", -EINVAL, "unknown");
	cr_assert_eq(amdbare_codeobj_check_device(NULL, NULL), -EINVAL);
}

Test(codeobj, every_truncation_is_rejected)
{
	size_t size;
	uint8_t *buf = slurp("args.co", &size);
	for (size_t n = 0; n < size; n++) {
		char what[64];
		snprintf(what, sizeof(what), "truncated to %zu", n);
		/* The section headers sit at the end, so every cut loses
		 * something the loader needs. */
		int r = load_bad(n ? buf : NULL, n, what);
		cr_assert_neq(r, 0, "%s loaded", what);
	}
	free(buf);
}

Test(codeobj, every_byte_flip_is_handled)
{
	size_t size;
	uint8_t *buf = slurp("lds.co", &size);
	uint8_t *copy = malloc(size);
	int rejected = 0;
	for (size_t i = 0; i < size; i++) {
		memcpy(copy, buf, size);
		copy[i] ^= 0xa5;
		char what[64];
		snprintf(what, sizeof(what), "byte %zu flipped", i);
		if (load_bad(copy, size, what))
			rejected++;
	}
	/* Code and padding bytes may change freely; headers, note,
	 * descriptor and symbols may not. */
	cr_assert_gt(rejected, 500, "only %d of %zu flips rejected", rejected, size);
	free(copy);
	free(buf);
}

/* Loads lds.co with one change and expects errno and a message part. */
static void corrupt(size_t off, const void *bytes, size_t len, int want, const char *msg)
{
	size_t size;
	uint8_t *buf = slurp("lds.co", &size);
	cr_assert_leq(off + len, size);
	memcpy(buf + off, bytes, len);
	int r = load_bad(buf, size, msg);
	cr_assert_eq(r, want, "%s: got %d (%s)", msg, r, amdbare_last_error());
	cr_assert(strstr(amdbare_last_error(), msg), "wanted \"%s\" in: %s", msg,
		  amdbare_last_error());
	cr_assert(strstr(amdbare_last_error(), "<memory>"), "names the source: %s",
		  amdbare_last_error());
	free(buf);
}

Test(codeobj, targeted_corruptions_say_what_and_where)
{
	const uint8_t x86[2] = { 62, 0 }, osabi = 0, abiv1 = 1, abiv9 = 9, cls32 = 1;
	const uint8_t mach1102[1] = { 0x47 }, rel[2] = { 1 /* ET_REL */, 0 };
	corrupt(18, x86, 2, -ENOEXEC, "e_machine 62");
	corrupt(7, &osabi, 1, -ENOEXEC, "OS ABI 0");
	corrupt(8, &abiv1, 1, -ENOEXEC, "ABI version 1");
	corrupt(8, &abiv9, 1, -ENOEXEC, "ABI version 9");
	corrupt(4, &cls32, 1, -ENOEXEC, "64-bit");
	corrupt(16, rel, 2, -ENOEXEC, "ET_REL");
	/* e_flags mach says gfx1102, the metadata gfx1103. */
	corrupt(48, mach1102, 1, -EINVAL, "does not match the ELF header's");

	/* The descriptor (lds_sum.kd at vaddr = file offset 0x540). */
	const uint8_t ka[4] = { 17, 0, 0, 0 };
	corrupt(0x540 + 8, ka, 4, -EINVAL, "descriptor kernarg_size 17, metadata .kernarg_segment_size 16");
	const uint8_t lds[4] = { 0, 2, 0, 0 };
	corrupt(0x540, lds, 4, -EINVAL, "512 LDS");
	const uint8_t entry[8] = { 0xc4, 0x10, 0, 0, 0, 0, 0, 0 };
	corrupt(0x540 + 16, entry, 8, -EINVAL, "256-byte aligned");
	const uint8_t far[8] = { 0xc0, 0x10, 0, 0, 1, 0, 0, 0 };
	corrupt(0x540 + 16, far, 8, -EINVAL, "not inside an executable LOAD segment");
	const uint8_t reserved = 1;
	corrupt(0x540 + 30, &reserved, 1, -EINVAL, "reserved descriptor bytes");
	const uint8_t w64[2] = { 0x08, 0x00 };
	corrupt(0x540 + 56, w64, 2, -EINVAL, "wavefront_size is 32");
	const uint8_t nsgpr[1] = { 0x80 };   /* RSRC2.USER_SGPR_COUNT = 0 */
	corrupt(0x540 + 52, nsgpr, 1, -EINVAL, "USER_SGPR_COUNT 0");
}

Test(codeobj, metadata_corruptions)
{
	size_t size;
	uint8_t *buf = slurp("lds.co", &size);
	size_t t = find(buf, size, "amdgcn-amd-amdhsa--gfx1103", 26);
	size_t kss = find(buf, size, "\xb5.kernarg_segment_size", 22);
	size_t note_type = find(buf, size, "AMDGPU\0", 7) - 4;  /* n_type */
	free(buf);

	corrupt(t + 25, "2", 1, -EINVAL, "amdhsa.target \"amdgcn-amd-amdhsa--gfx1102\"");
	/* .kernarg_segment_size 16 (fixint 0x10) becomes 8: arg 1 ends past it,
	 * and the descriptor disagrees first. */
	corrupt(kss + 22, "\x08", 1, -EINVAL, ".kernarg_segment_size 8");
	/* The value becomes a string header (0xa1) that runs into the next key. */
	corrupt(kss + 22, "\xc1", 1, -EINVAL, "type byte 0xc1");
	corrupt(kss + 22, "\xca", 1, -EINVAL, "type byte 0xca");  /* float32 */
	corrupt(kss + 1, "X", 1, -EINVAL, "required key .kernarg_segment_size is missing");
	const uint8_t nt[4] = { 33, 0, 0, 0 };
	corrupt(note_type, nt, 4, -EINVAL, "no NT_AMDGPU_METADATA note");
	const uint8_t huge[4] = { 0xff, 0xff, 0, 0 };
	corrupt(note_type - 4, huge, 4, -EINVAL, "runs past its segment");
}

Test(codeobj, msgpack_limits)
{
	ab_mp_doc doc;
	/* {"a": [1, -1, 256]} */
	static const uint8_t good[] = { 0x81, 0xa1, 'a', 0x93, 0x01, 0xd0, 0xff, 0xcd, 0x01, 0x00 };
	cr_assert_eq(ab_mp_parse(good, sizeof(good), &doc), 0, "%s", amdbare_last_error());
	cr_assert_eq(doc.n_nodes, 6);
	int64_t v = ab_mp_map_get(&doc, 0, "a");
	cr_assert_eq(v, 2);
	cr_assert_eq(doc.nodes[v].type, AB_MP_ARRAY);
	cr_assert_eq(doc.nodes[ab_mp_child(&doc, 2, 1)].v.i, -1);
	cr_assert_eq(doc.nodes[ab_mp_child(&doc, 2, 2)].v.u, 256);
	cr_assert_eq(doc.nodes[0].end, 6);
	ab_mp_free(&doc);

	uint8_t deep[64];
	memset(deep, 0x91, sizeof(deep));  /* [[[[...]]]] */
	deep[63] = 0xc0;
	cr_assert_eq(ab_mp_parse(deep, sizeof(deep), &doc), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "nesting deeper than 32"), "%s", amdbare_last_error());
	cr_assert_null(doc.nodes);
	cr_assert_eq(ab_mp_parse(deep + 32, 32, &doc), 0, "depth 31 is fine: %s", amdbare_last_error());
	ab_mp_free(&doc);

	static const uint8_t lying_array[] = { 0xdd, 0xff, 0xff, 0xff, 0xff, 0xc0 };
	cr_assert_eq(ab_mp_parse(lying_array, sizeof(lying_array), &doc), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "cannot fit"), "%s", amdbare_last_error());
	static const uint8_t lying_str[] = { 0xdb, 0x7f, 0xff, 0xff, 0xff, 'x' };
	cr_assert_eq(ab_mp_parse(lying_str, sizeof(lying_str), &doc), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "runs past the end"), "%s", amdbare_last_error());
	static const uint8_t trailing[] = { 0xc0, 0xc0 };
	cr_assert_eq(ab_mp_parse(trailing, sizeof(trailing), &doc), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "trailing"), "%s", amdbare_last_error());
	static const uint8_t bin[] = { 0xc4, 0x01, 0x00 };
	cr_assert_eq(ab_mp_parse(bin, sizeof(bin), &doc), -EINVAL);
	static const uint8_t ext[] = { 0xd4, 0x01, 0x00 };
	cr_assert_eq(ab_mp_parse(ext, sizeof(ext), &doc), -EINVAL);
	static const uint8_t cut_u64[] = { 0xcf, 0x01, 0x02 };
	cr_assert_eq(ab_mp_parse(cut_u64, sizeof(cut_u64), &doc), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "truncated unsigned integer at offset 0"), "%s",
		  amdbare_last_error());
	static const uint8_t neg64[] = { 0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0 };
	cr_assert_eq(ab_mp_parse(neg64, sizeof(neg64), &doc), 0);
	cr_assert_eq(doc.nodes[0].v.i, INT64_MIN);
	ab_mp_free(&doc);
	cr_assert_eq(ab_mp_parse(NULL, 0, &doc), -EINVAL);
}

Test(codeobj, file_errors)
{
	amdbare_codeobj *co = NULL;
	cr_assert_eq(amdbare_codeobj_load_file("/nonexistent/k.co", &co), -ENOENT);
	cr_assert(strstr(amdbare_last_error(), "/nonexistent/k.co"));
	cr_assert_eq(amdbare_codeobj_load_file(co_path("lds.cl"), &co), -ENOEXEC);
	cr_assert(strstr(amdbare_last_error(), "lds.cl: not an ELF"), "%s", amdbare_last_error());
	cr_assert_null(co);
	cr_assert_eq(amdbare_codeobj_load_memory(NULL, 10, &co), -EINVAL);
	amdbare_codeobj_free(NULL);
}

Test(codeobj, upload_to_the_vgpu)
{
	vgpu_test_use_profile("780m", NULL);
	amdbare_device *dev = NULL;
	cr_assert_eq(amdbare_device_open(0, &dev), 0, "%s", amdbare_last_error());
	size_t size;
	uint8_t *file = slurp("args.co", &size);
	amdbare_codeobj *co = NULL;
	cr_assert_eq(amdbare_codeobj_load_memory(file, size, &co), 0, "%s", amdbare_last_error());

	amdbare_bo *bo = NULL;
	uint64_t va = 0;
	int r = amdbare_codeobj_upload(co, dev, &bo, &va);
	cr_assert_eq(r, 0, "upload: %s", amdbare_last_error());
	cr_assert_not_null(bo);
	cr_assert_neq(va, 0);
	cr_assert_eq(va % 256, 0, "code VA 0x%llx", (unsigned long long)va);
	cr_assert_eq(amdbare_bo_gpu_va(bo), va);
	cr_assert_geq(amdbare_bo_size(bo), 0x2d00 + 0x300);
	void *cpu = NULL;
	cr_assert_eq(amdbare_bo_cpu_map(bo, &cpu), 0);
	for (uint32_t i = 0; i < amdbare_codeobj_kernel_count(co); i++) {
		const amdbare_kernel_info *k = amdbare_codeobj_kernel_at(co, i);
		cr_assert_eq((va + k->entry_vaddr) % 256, 0);
		/* .text at vaddr 0x1a00 is file offset 0xa00, .rodata (the
		 * descriptors) at 0x8c0 is file offset 0x8c0. */
		cr_assert_eq(memcmp((uint8_t *)cpu + k->entry_vaddr,
				    file + k->entry_vaddr - 0x1000, 64), 0, "%s code", k->name);
		cr_assert_eq(memcmp((uint8_t *)cpu + k->descriptor_vaddr,
				    file + k->descriptor_vaddr, 64), 0, "%s descriptor", k->name);
	}
	/* The object outlives nothing: free it first, the buffer stays. */
	amdbare_codeobj_free(co);
	cr_assert_eq(((uint8_t *)cpu)[0x1a00], file[0xa00]);
	cr_assert_eq(amdbare_bo_free(bo), 0);

	/* Wrong target: refused before anything is allocated. */
	amdbare_codeobj *other = load("copy_gfx1100.co");
	bo = (amdbare_bo *)&bo;
	cr_assert_eq(amdbare_codeobj_upload(other, dev, &bo, &va), -ENOTSUP);
	cr_assert_null(bo);
	cr_assert(strstr(amdbare_last_error(), "code object is for gfx1100, device is gfx1103"),
		  "%s", amdbare_last_error());
	amdbare_codeobj_free(other);
	free(file);

	amdbare_device_close(dev);
	char desc[512];
	cr_assert_eq(vgpu_test_open_objects(desc, sizeof(desc)), 0, "left: %s", desc);
	vgpu_test_cleanup();
}

Test(codeobj, relocation_applied_on_upload)
{
	/* reloc.co: .rela.dyn at file offset 0x4f0 holds one
	 * R_AMDGPU_RELATIVE64 patching vaddr 0x38c0 (file 0x8c0) with
	 * B + 0x38b8, the address of table[2] (llvm-readelf-19 -r). */
	vgpu_test_use_profile("780m", NULL);
	amdbare_device *dev = NULL;
	cr_assert_eq(amdbare_device_open(0, &dev), 0, "%s", amdbare_last_error());
	amdbare_codeobj *co = load("reloc.co");
	amdbare_bo *bo = NULL;
	uint64_t va = 0;
	cr_assert_eq(amdbare_codeobj_upload(co, dev, &bo, &va), 0, "%s", amdbare_last_error());
	void *cpu = NULL;
	cr_assert_eq(amdbare_bo_cpu_map(bo, &cpu), 0);
	uint64_t patched;
	memcpy(&patched, (uint8_t *)cpu + 0x38c0, sizeof(patched));
	cr_assert_eq(patched, va + 0x38b8, "patched 0x%llx, base 0x%llx",
		     (unsigned long long)patched, (unsigned long long)va);
	int32_t table2;
	memcpy(&table2, (uint8_t *)cpu + 0x38b8, sizeof(table2));
	cr_assert_eq(table2, 3, "table[2] copied from .data");
	cr_assert_eq(amdbare_bo_free(bo), 0);
	amdbare_codeobj_free(co);

	/* The same object with the type changed to R_AMDGPU_REL32 (4). */
	size_t size;
	uint8_t *buf = slurp("reloc.co", &size);
	buf[0x4f8] = 4;
	co = (amdbare_codeobj *)&co;
	cr_assert_eq(amdbare_codeobj_load_memory(buf, size, &co), -ENOTSUP);
	cr_assert_null(co);
	cr_assert(strstr(amdbare_last_error(), "has type 4"), "%s", amdbare_last_error());
	/* ...and patching outside every segment. */
	buf[0x4f8] = 13;
	buf[0x4f0 + 3] = 0x10;
	cr_assert_eq(amdbare_codeobj_load_memory(buf, size, &co), -EINVAL);
	cr_assert(strstr(amdbare_last_error(), "outside every LOAD segment"), "%s",
		  amdbare_last_error());
	free(buf);

	amdbare_device_close(dev);
	char desc[512];
	cr_assert_eq(vgpu_test_open_objects(desc, sizeof(desc)), 0, "left: %s", desc);
	vgpu_test_cleanup();
}
