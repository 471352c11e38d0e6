/*
 * The vgpu's shader core: real clang-19 code objects (the .co files in tests/shader,
 * rebuilt by tests/shader/rebuild.sh) dispatched with hand-written PM4,
 * results compared bit for bit with the same computation in C.  The
 * kernel descriptor (.kd) is read from the ELF here, and the kernarg
 * segment and user SGPRs are built from it, as a runtime would.  Also: an
 * instruction the core does not implement faults with its PC, an endless
 * shader trips the watchdog, and in both cases the process survives and a
 * new context works.  No library code: raw ioctls and libdrm_amdgpu.
 */
#include "half_float.h"
#include "vgpu_rig.h"

#include <criterion/criterion.h>
#include <elf.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <amdgpu.h>
#include <amdgpu_drm.h>

/* nvd.h */
#define PACKET3(op, n) ((3u << 30) | (((n) & 0x3FFFu) << 16) | (((op) & 0xFFu) << 8))
#define PKT3_DISPATCH_DIRECT 0x15
#define PKT3_RELEASE_MEM 0x49
#define PKT3_SET_SH_REG 0x76
/* SH register offsets (from PACKET3_SET_SH_REG_START) of COMPUTE_* */
#define SH_COMPUTE_START_X 0x204
#define SH_COMPUTE_NUM_THREAD_X 0x207
#define SH_COMPUTE_PGM_LO 0x20c
#define SH_COMPUTE_PGM_RSRC1 0x212
#define SH_COMPUTE_PGM_RSRC3 0x228
#define SH_COMPUTE_USER_DATA_0 0x240
/* COMPUTE_DISPATCH_INITIATOR */
#define INIT_COMPUTE_SHADER_EN 1u
#define INIT_CS_W32_EN (1u << 15)
/* AMDGPUUsage "Kernel Descriptor" (64 bytes) */
#define KD_GROUP_SEGMENT_SIZE 0
#define KD_KERNARG_SIZE 8
#define KD_ENTRY_OFFSET 16
#define KD_RSRC3 44
#define KD_RSRC1 48
#define KD_RSRC2 52
#define KD_PROPERTIES 56
#define KCP_PRIVATE_SEGMENT_BUFFER (1u << 0)
#define KCP_DISPATCH_PTR (1u << 1)
#define KCP_QUEUE_PTR (1u << 2)
#define KCP_KERNARG_SEGMENT_PTR (1u << 3)
#define KCP_DISPATCH_ID (1u << 4)
#define KCP_FLAT_SCRATCH_INIT (1u << 5)
#define KCP_PRIVATE_SEGMENT_SIZE (1u << 6)
#define KCP_WAVEFRONT_SIZE32 (1u << 10)
/* COMPUTE_PGM_RSRC1.FLOAT_MODE = 0xf0: nearest even, denormals kept */
#define RSRC1_FLOAT_MODE_DEFAULT (0xf0u << 12)

#define LO(x) ((uint32_t)(x))
#define HI(x) ((uint32_t)((uint64_t)(x) >> 32))

TestSuite(vgpu_shader, .init = vgpu_rig_setup, .fini = vgpu_rig_teardown);

/* ---- code objects ------------------------------------------------------ */

struct kernel {
	uint8_t kd[64];
	uint64_t code_va;     /* entry point */
	uint32_t kernarg_size, group_size, rsrc1, rsrc2, rsrc3;
	uint16_t props;
};

static void *slurp(const char *name, size_t *len)
{
	const char *top = getenv("AMDBARE_TOP");
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/shader/%s", top ? top : ".", name);
	FILE *fp = fopen(path, "rb");
	cr_assert_not_null(fp, "cannot open %s (AMDBARE_TOP set by the test runner)", path);
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	void *p = malloc((size_t)n);
	cr_assert_not_null(p);
	cr_assert_eq(fread(p, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return p;
}

/* Loads the PT_LOAD segments of a code object into a fresh buffer and
 * finds `<name>.kd` in its symbol table. */
static struct kernel load_kernel(const char *file, const char *name)
{
	size_t len;
	uint8_t *img = slurp(file, &len);
	const Elf64_Ehdr *eh = (const void *)img;
	cr_assert(len > sizeof(*eh) && !memcmp(eh->e_ident, ELFMAG, SELFMAG));
	cr_assert_eq(eh->e_machine, EM_AMDGPU);
	uint64_t span = 0;
	const Elf64_Phdr *ph = (const void *)(img + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_vaddr + ph[i].p_memsz > span)
			span = ph[i].p_vaddr + ph[i].p_memsz;
	struct rig_buf *code = vgpu_rig_buf_new(span);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD) {
			cr_assert_leq(ph[i].p_offset + ph[i].p_filesz, len);
			memcpy((uint8_t *)code->cpu + ph[i].p_vaddr, img + ph[i].p_offset,
			       ph[i].p_filesz);
		}
	char want[128];
	snprintf(want, sizeof(want), "%s.kd", name);
	const Elf64_Shdr *sh = (const void *)(img + eh->e_shoff);
	struct kernel k;
	memset(&k, 0, sizeof(k));
	bool found = false;
	for (int i = 0; i < eh->e_shnum && !found; i++) {
		if (sh[i].sh_type != SHT_SYMTAB && sh[i].sh_type != SHT_DYNSYM)
			continue;
		const Elf64_Sym *sym = (const void *)(img + sh[i].sh_offset);
		const char *str = (const char *)img + sh[sh[i].sh_link].sh_offset;
		for (size_t j = 0; j < sh[i].sh_size / sizeof(*sym); j++)
			if (!strcmp(str + sym[j].st_name, want)) {
				cr_assert_leq(sym[j].st_value + 64, span);
				memcpy(k.kd, (uint8_t *)code->cpu + sym[j].st_value, 64);
				int64_t entry;
				memcpy(&entry, k.kd + KD_ENTRY_OFFSET, 8);
				k.code_va = code->va + sym[j].st_value + (uint64_t)entry;
				found = true;
				break;
			}
	}
	free(img);
	cr_assert(found, "%s not in %s", want, file);
	memcpy(&k.group_size, k.kd + KD_GROUP_SEGMENT_SIZE, 4);
	memcpy(&k.kernarg_size, k.kd + KD_KERNARG_SIZE, 4);
	memcpy(&k.rsrc3, k.kd + KD_RSRC3, 4);
	memcpy(&k.rsrc1, k.kd + KD_RSRC1, 4);
	memcpy(&k.rsrc2, k.kd + KD_RSRC2, 4);
	memcpy(&k.props, k.kd + KD_PROPERTIES, 2);
	cr_assert_eq(k.code_va & 255, 0, "entry point must be 256-byte aligned");
	return k;
}

/* User SGPRs in the order AMDGPUUsage gives ("Initial Kernel Execution
 * State"); only the kernarg pointer is meaningful here, the others (not
 * used by these kernels) are zero. */
static uint32_t user_sgprs(const struct kernel *k, uint64_t kernarg_va, uint32_t *s)
{
	uint32_t n = 0;
	if (k->props & KCP_PRIVATE_SEGMENT_BUFFER)
		for (int i = 0; i < 4; i++) s[n++] = 0;
	if (k->props & KCP_DISPATCH_PTR) { s[n++] = 0; s[n++] = 0; }
	if (k->props & KCP_QUEUE_PTR) { s[n++] = 0; s[n++] = 0; }
	if (k->props & KCP_KERNARG_SEGMENT_PTR) { s[n++] = LO(kernarg_va); s[n++] = HI(kernarg_va); }
	if (k->props & KCP_DISPATCH_ID) { s[n++] = 0; s[n++] = 0; }
	if (k->props & KCP_FLAT_SCRATCH_INIT) { s[n++] = 0; s[n++] = 0; }
	if (k->props & KCP_PRIVATE_SEGMENT_SIZE) s[n++] = 0;
	cr_assert_eq(n, (k->rsrc2 >> 1) & 0x1f, "RSRC2.USER_SGPR disagrees with the properties");
	return n;
}

/* Dispatches `groups` workgroups of `threads` work-items with the kernarg
 * bytes given; returns vgpu_rig_submit_compute's result. */
static int dispatch_3d(uint32_t ctx, const struct kernel *k, const void *args, size_t args_len,
		       const uint32_t groups[3], const uint32_t threads[3])
{
	cr_assert_leq(args_len, k->kernarg_size ? (k->kernarg_size + 7u) & ~7u : args_len);
	struct rig_buf *ka = vgpu_rig_buf_new(4096);
	if (args_len)
		memcpy(ka->cpu, args, args_len);
	struct rig_buf *ib = vgpu_rig_buf_new(4096);
	uint32_t *p = ib->cpu, n = 0, s[16];
	uint32_t ns = user_sgprs(k, ka->va, s);
	uint32_t rsrc2 = k->rsrc2 | (((k->group_size + 511) / 512) << 15); /* LDS_SIZE */
	p[n++] = PACKET3(PKT3_SET_SH_REG, 6);
	p[n++] = SH_COMPUTE_START_X;
	p[n++] = 0; p[n++] = 0; p[n++] = 0;
	p[n++] = threads[0]; p[n++] = threads[1]; p[n++] = threads[2];
	p[n++] = PACKET3(PKT3_SET_SH_REG, 2);
	p[n++] = SH_COMPUTE_PGM_LO; p[n++] = (uint32_t)(k->code_va >> 8);
	p[n++] = (uint32_t)(k->code_va >> 40);
	p[n++] = PACKET3(PKT3_SET_SH_REG, 2);
	p[n++] = SH_COMPUTE_PGM_RSRC1; p[n++] = k->rsrc1; p[n++] = rsrc2;
	p[n++] = PACKET3(PKT3_SET_SH_REG, 1);
	p[n++] = SH_COMPUTE_PGM_RSRC3; p[n++] = k->rsrc3;
	if (ns) {
		p[n++] = PACKET3(PKT3_SET_SH_REG, ns);
		p[n++] = SH_COMPUTE_USER_DATA_0;
		for (uint32_t i = 0; i < ns; i++)
			p[n++] = s[i];
	}
	p[n++] = PACKET3(PKT3_DISPATCH_DIRECT, 3);
	p[n++] = groups[0]; p[n++] = groups[1]; p[n++] = groups[2];
	p[n++] = INIT_COMPUTE_SHADER_EN | ((k->props & KCP_WAVEFRONT_SIZE32) ? INIT_CS_W32_EN : 0);
	return vgpu_rig_submit_compute(ctx, ib, n);
}

static int dispatch_n(uint32_t ctx, const struct kernel *k, const void *args, size_t args_len,
		      uint32_t groups, uint32_t threads)
{
	const uint32_t g[3] = { groups, 1, 1 }, t[3] = { threads, 1, 1 };
	return dispatch_3d(ctx, k, args, args_len, g, t);
}

static int dispatch(uint32_t ctx, const struct kernel *k, const void *args, size_t args_len,
		    uint32_t groups)
{
	return dispatch_n(ctx, k, args, args_len, groups, 64);
}

static uint32_t rnd_state = 12345;

static uint32_t rnd(void)
{
	rnd_state = rnd_state * 1664525u + 1013904223u;
	return rnd_state;
}

struct args3 {
	uint64_t a, b, out;
	uint32_t k, n;
};

static void saxpy(const char *file, bool f32)
{
	const uint32_t n = 1000; /* 16 groups; the last one has 40 work-items */
	struct kernel k = load_kernel(file, f32 ? "saxpy_f32" : "saxpy_i32");
	struct rig_buf *a = vgpu_rig_buf_new(n * 4), *b = vgpu_rig_buf_new(n * 4),
		       *out = vgpu_rig_buf_new(n * 4 + 4096);
	uint32_t *ua = a->cpu, *ub = b->cpu, *uo = out->cpu;
	for (uint32_t i = 0; i < n; i++) {
		if (f32) {
			float x = (float)(int32_t)rnd() / 65536.0f, y = (float)(int32_t)rnd() / 8192.0f;
			memcpy(&ua[i], &x, 4);
			memcpy(&ub[i], &y, 4);
		} else {
			ua[i] = rnd();
			ub[i] = rnd();
		}
	}
	for (uint32_t i = n; i < n + 1024; i++)
		uo[i] = 0xdeadbeef;
	float kf = 1.75f;
	int32_t ki = -12345;
	struct args3 args = { a->va, b->va, out->va, 0, n };
	memcpy(&args.k, f32 ? (const void *)&kf : (const void *)&ki, 4);
	cr_assert_eq(dispatch(vgpu_rig_ctx_new(), &k, &args, sizeof(args), (n + 63) / 64), 0);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t want;
		if (f32) {
			float x, y, r;
			memcpy(&x, &ua[i], 4);
			memcpy(&y, &ub[i], 4);
			/* clang contracts a * k + b into v_fmac_f32 (OpenCL
			 * allows it): the reference is the fused operation */
			r = fmaf(x, kf, y);
			memcpy(&want, &r, 4);
		} else {
			want = ua[i] * (uint32_t)ki + ub[i];
		}
		cr_assert_eq(uo[i], want, "out[%u] = 0x%08x, expected 0x%08x", i, uo[i], want);
	}
	for (uint32_t i = n; i < n + 1024; i++)
		cr_assert_eq(uo[i], 0xdeadbeef, "out[%u] written past n (bounds check)", i);
}

Test(vgpu_shader, saxpy_f32_wave32_partial_group)
{
	saxpy("saxpy.co", true);
}

Test(vgpu_shader, saxpy_i32_wave32_partial_group)
{
	saxpy("saxpy.co", false);
}

Test(vgpu_shader, saxpy_f32_wave64)
{
	saxpy("saxpy-w64.co", true);
}

Test(vgpu_shader, saxpy_i32_wave64)
{
	saxpy("saxpy-w64.co", false);
}

static void reduce(const char *file)
{
	const uint32_t groups = 8;
	struct kernel k = load_kernel(file, "reduce_sum");
	cr_assert_geq(k.group_size, 256, "the kernel's __local array");
	struct rig_buf *in = vgpu_rig_buf_new(groups * 64 * 4), *out = vgpu_rig_buf_new(4096);
	uint32_t *ui = in->cpu, *uo = out->cpu;
	for (uint32_t i = 0; i < groups * 64; i++)
		ui[i] = rnd() >> 4;
	uint64_t args[2] = { in->va, out->va };
	cr_assert_eq(dispatch(vgpu_rig_ctx_new(), &k, args, sizeof(args), groups), 0);
	for (uint32_t g = 0; g < groups; g++) {
		uint32_t want = 0;
		for (uint32_t i = 0; i < 64; i++)
			want += ui[g * 64 + i];
		cr_assert_eq(uo[g], want, "group %u: 0x%x, expected 0x%x", g, uo[g], want);
	}
}

Test(vgpu_shader, lds_reduction_with_barriers_wave32)
{
	reduce("reduce.co");
}

Test(vgpu_shader, lds_reduction_with_barriers_wave64)
{
	reduce("reduce-w64.co");
}

Test(vgpu_shader, divergent_if_else_and_loops)
{
	const uint32_t n = 300;
	struct kernel k = load_kernel("saxpy.co", "diverge");
	struct rig_buf *a = vgpu_rig_buf_new(n * 4), *out = vgpu_rig_buf_new(n * 4);
	int32_t *ia = a->cpu, *io = out->cpu;
	for (uint32_t i = 0; i < n; i++)
		ia[i] = (int32_t)rnd();
	struct { uint64_t a, out; uint32_t n; } args = { a->va, out->va, n };
	cr_assert_eq(dispatch(vgpu_rig_ctx_new(), &k, &args, sizeof(args), (n + 63) / 64), 0);
	for (uint32_t i = 0; i < n; i++) {
		int32_t v = ia[i];
		uint32_t acc = 0;
		if (v & 1)
			for (int32_t j = 0; j < (v & 15); j++)
				acc += (uint32_t)j * (uint32_t)v;
		else
			acc = (uint32_t)((v >> 1) ^ 0x55);
		cr_assert_eq((uint32_t)io[i], acc, "out[%u] for %d", i, v);
	}
}

Test(vgpu_shader, conversions_i32_f32)
{
	const uint32_t n = 130;
	struct kernel k = load_kernel("saxpy.co", "convert");
	struct rig_buf *a = vgpu_rig_buf_new(n * 4), *f = vgpu_rig_buf_new(n * 4),
		       *back = vgpu_rig_buf_new(n * 4);
	int32_t *ia = a->cpu, *ib = back->cpu;
	float *ff = f->cpu;
	for (uint32_t i = 0; i < n; i++)
		ia[i] = (int32_t)(rnd() % 2001) - 1000;
	ia[7] = 0x7fffff01; /* not exact in f32: rounding of v_cvt_f32_i32 */
	struct { uint64_t a, f, back; uint32_t n; } args = { a->va, f->va, back->va, n };
	cr_assert_eq(dispatch(vgpu_rig_ctx_new(), &k, &args, sizeof(args), (n + 63) / 64), 0);
	for (uint32_t i = 0; i < n; i++) {
		float x = (float)ia[i] * 0.5f;
		int32_t want = x > 100.0f ? (int32_t)x : -(int32_t)x;
		cr_assert_eq(memcmp(&ff[i], &x, 4), 0, "f[%u] = %a, expected %a", i, ff[i], x);
		cr_assert_eq(ib[i], want, "back[%u] = %d, expected %d", i, ib[i], want);
	}
}

/* After a faulted or hung job: the context is guilty, the process lives
 * on and a new context runs a kernel correctly. */
static void expect_guilty_then_recover(uint32_t ctx)
{
	uint32_t fl = vgpu_rig_ctx_flags(ctx);
	cr_assert(fl & AMDGPU_CTX_QUERY2_FLAGS_GUILTY, "flags 0x%x", fl);
	saxpy("saxpy.co", false);
}

/* The vgpu reports faults on stderr, like the kernel's log: capture them
 * around one submission. */
static int saved_stderr = -1;
static FILE *captured;

static void capture_begin(void)
{
	fflush(stderr);
	captured = tmpfile();
	cr_assert_not_null(captured);
	saved_stderr = dup(STDERR_FILENO);
	cr_assert_geq(saved_stderr, 0);
	cr_assert_geq(dup2(fileno(captured), STDERR_FILENO), 0);
}

static char *capture_end(void)
{
	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	static char text[8192];
	rewind(captured);
	size_t n = fread(text, 1, sizeof(text) - 1, captured);
	text[n] = 0;
	fclose(captured);
	fputs(text, stderr); /* still visible in the test's output */
	return text;
}

/* A hand-made wave32 program of the given dwords at a fresh buffer. */
static struct kernel blob_kernel(const uint32_t *words, uint32_t n, uint64_t *va)
{
	struct rig_buf *code = vgpu_rig_buf_new(4096);
	memcpy(code->cpu, words, n * 4);
	struct kernel k;
	memset(&k, 0, sizeof(k));
	k.code_va = code->va;
	k.props = KCP_WAVEFRONT_SIZE32;
	k.rsrc1 = RSRC1_FLOAT_MODE_DEFAULT;
	*va = code->va;
	return k;
}

Test(vgpu_shader, decodable_but_unimplemented_instruction_names_itself)
{
	static const uint32_t prog[] = {
		0xbf800000, /* s_nop 0 */
		0xbb000002, /* s_subvector_loop_begin s0, 2 (subvector mode: not modelled) */
		0xbfb00000, /* s_endpgm */
	};
	uint64_t va;
	struct kernel k = blob_kernel(prog, 3, &va);
	uint32_t ctx = vgpu_rig_ctx_new();
	capture_begin();
	int r = dispatch(ctx, &k, NULL, 0, 1);
	char *log = capture_end();
	cr_assert_eq(r, -ECANCELED);
	char want[96];
	snprintf(want, sizeof(want), "at PC 0x%llx", (unsigned long long)(va + 4));
	cr_assert(strstr(log, "s_subvector_loop_begin runs wave64 code in two wave32 halves") != NULL &&
		  strstr(log, "rocJITsu simulator does not execute it either") != NULL,
		  "log: %s", log);
	cr_assert(strstr(log, want) != NULL, "no \"%s\" in: %s", want, log);
	cr_assert(strstr(log, "bb000002") != NULL, "encoding missing: %s", log);
	expect_guilty_then_recover(ctx);
}

/* One hand-made wave32 program: the dispatch's result and its log. */
static int run_blob(const uint32_t *prog, uint32_t n, uint32_t *ctx, char **log, uint64_t *va)
{
	struct kernel k = blob_kernel(prog, n, va);
	*ctx = vgpu_rig_ctx_new();
	capture_begin();
	int r = dispatch(*ctx, &k, NULL, 0, 1);
	*log = capture_end();
	return r;
}

/* RDNA3 ISA: s_setkill kills the wave when SIMM16[0] is 1 (it ends as at
 * s_endpgm) and does nothing otherwise; s_code_end is end-of-shader
 * padding that raises an illegal-instruction exception when reached;
 * s_sendmsghalt halts after its message, and a halted wave never ends. */
Test(vgpu_shader, setkill_code_end_and_sendmsghalt)
{
	static const uint32_t kill0[] = {
		0xbf810000, /* s_setkill 0 */
		0xbf9f0000, /* s_code_end */
	};
	static const uint32_t kill1[] = {
		0xbf810001, /* s_setkill 1 */
		0xbf9f0000, /* s_code_end */
	};
	static const uint32_t halt[] = {
		0xbfb70003, /* s_sendmsghalt sendmsg(MSG_DEALLOC_VGPRS) */
		0xbfb00000, /* s_endpgm */
	};
	uint32_t ctx;
	char *log;
	uint64_t va;
	cr_assert_eq(run_blob(kill0, 2, &ctx, &log, &va), -ECANCELED, "s_setkill 0 ended the wave");
	cr_assert(strstr(log, "s_code_end reached") != NULL, "log: %s", log);
	cr_assert(vgpu_rig_ctx_flags(ctx) & AMDGPU_CTX_QUERY2_FLAGS_GUILTY);
	cr_assert_eq(run_blob(kill1, 2, &ctx, &log, &va), 0, "s_setkill 1 did not end the wave: %s", log);
	cr_assert_eq(run_blob(halt, 2, &ctx, &log, &va), -ECANCELED);
	cr_assert(strstr(log, "s_sendmsghalt (a halted wave never finishes)") != NULL, "log: %s", log);
	expect_guilty_then_recover(ctx);
}

/* What the vgpu does not model faults saying why: s_rfe_b64 returns from
 * a trap handler, s_endpgm_saved ends a wave context save has stored. */
Test(vgpu_shader, trap_handler_instructions_fault_saying_why)
{
	static const uint32_t rfe[] = {
		0xbe804a00, /* s_rfe_b64 s[0:1] */
		0xbfb00000, /* s_endpgm */
	};
	static const uint32_t saved[] = {
		0xbfb10000, /* s_endpgm_saved */
		0xbfb00000, /* s_endpgm */
	};
	uint32_t ctx;
	char *log;
	uint64_t va;
	cr_assert_eq(run_blob(rfe, 2, &ctx, &log, &va), -ECANCELED);
	cr_assert(strstr(log, "s_rfe_b64 returns from a trap handler") != NULL &&
		  strstr(log, "only within a trap handler") != NULL &&
		  strstr(log, "rocJITsu simulator runs it as a no-op") != NULL, "log: %s", log);
	cr_assert(vgpu_rig_ctx_flags(ctx) & AMDGPU_CTX_QUERY2_FLAGS_GUILTY);
	cr_assert_eq(run_blob(saved, 2, &ctx, &log, &va), -ECANCELED);
	cr_assert(strstr(log, "s_endpgm_saved ends a wave and signals that the context-switch trap "
			      "handler has saved it") != NULL &&
		  strstr(log, "rocJITsu simulator ends the wave as s_endpgm") != NULL,
		  "log: %s", log);
	expect_guilty_then_recover(ctx);
}

/* ds_bvh_stack_rtn_b32 faults naming why: the sources leave the packed
 * stack address undefined, and AMD's rocJITsu simulator does not execute
 * it either (docs/vgpu-shader.md). */
Test(vgpu_shader, bvh_stack_faults_saying_why)
{
	static const uint32_t bvh[] = {
		0x7e000280,             /* v_mov_b32 v0, 0 */
		0xdab40000, 0x01040200, /* ds_bvh_stack_rtn_b32 v1, v0, v2, v[4:7] */
		0xbfb00000,             /* s_endpgm */
	};
	uint32_t ctx;
	char *log;
	uint64_t va;
	cr_assert_eq(run_blob(bvh, 4, &ctx, &log, &va), -ECANCELED);
	cr_assert(strstr(log, "ds_bvh_stack_rtn_b32: the ray-tracing LDS stack is not modelled") !=
			  NULL &&
		  strstr(log, "rocJITsu simulator does not execute it either") != NULL,
		  "log: %s", log);
	expect_guilty_then_recover(ctx);
}

Test(vgpu_shader, store_to_unmapped_address_is_a_vm_fault)
{
	const uint32_t n = 64;
	struct kernel k = load_kernel("saxpy.co", "saxpy_i32");
	struct rig_buf *a = vgpu_rig_buf_new(n * 4), *b = vgpu_rig_buf_new(n * 4);
	struct args3 args = { a->va, b->va, 0x7f0000000ull, 3, n };
	uint32_t ctx = vgpu_rig_ctx_new();
	capture_begin();
	int r = dispatch(ctx, &k, &args, sizeof(args), 1);
	char *log = capture_end();
	cr_assert_eq(r, -ECANCELED);
	cr_assert(strstr(log, "page fault") != NULL, "log: %s", log);
	cr_assert(strstr(log, "0x7f0000000") != NULL, "log: %s", log);
	expect_guilty_then_recover(ctx);
}

Test(vgpu_shader, unimplemented_instruction_faults_with_pc)
{
	/* image_sample v[0:3], v0, s[0:7], s[8:11] dmask:0xf dim:1D
	 * (llvm-mc-19; filtered sampling is not decoded), at the second
	 * instruction of a hand-made program */
	struct rig_buf *code = vgpu_rig_buf_new(4096);
	uint32_t *c = code->cpu;
	c[0] = 0xbf800000; /* s_nop 0 */
	c[1] = 0xf06c0f00; c[2] = 0x08000000;
	c[3] = 0xbfb00000; /* s_endpgm */
	struct kernel k;
	memset(&k, 0, sizeof(k));
	k.code_va = code->va;
	k.props = KCP_WAVEFRONT_SIZE32;
	k.rsrc1 = RSRC1_FLOAT_MODE_DEFAULT;
	uint32_t ctx = vgpu_rig_ctx_new();
	capture_begin();
	int r = dispatch(ctx, &k, NULL, 0, 1);
	char *log = capture_end();
	cr_assert_eq(r, -ECANCELED);
	char want[96];
	snprintf(want, sizeof(want), "illegal instruction (encoding f06c0f00 not decodable) at PC 0x%llx",
		 (unsigned long long)(code->va + 4));
	cr_assert(strstr(log, want) != NULL, "no \"%s\" in: %s", want, log);
	expect_guilty_then_recover(ctx);
}

Test(vgpu_shader, endless_shader_trips_the_watchdog)
{
	struct kernel k = load_kernel("spin.co", "spin");
	struct rig_buf *flag = vgpu_rig_buf_new(4096), *out = vgpu_rig_buf_new(4096);
	uint64_t args[2] = { flag->va, out->va };
	uint32_t ctx = vgpu_rig_ctx_new();
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(dispatch(ctx, &k, args, sizeof(args), 1), -ECANCELED);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	cr_assert_lt(s, 20.0, "the 2 s watchdog stopped the shader (took %.1f s)", s);
	cr_assert_eq(((uint32_t *)out->cpu)[0], 0);
	expect_guilty_then_recover(ctx);
}

/* ---- 64-bit, f16/bf16, atomics (tests/shader/wide.cl) ------------------ */

struct args_ptr3n {
	uint64_t a, b, out;
	uint32_t n;
};

static uint64_t rnd64(void)
{
	uint64_t hi = rnd();
	return hi << 32 | rnd();
}

static void int64_ops(const char *file)
{
	const uint32_t n = 100;
	struct kernel k = load_kernel(file, "int64_ops");
	struct rig_buf *a = vgpu_rig_buf_new(n * 8), *b = vgpu_rig_buf_new(n * 8),
		       *out = vgpu_rig_buf_new(n * 32);
	uint64_t *ua = a->cpu, *ub = b->cpu, *uo = out->cpu;
	for (uint32_t i = 0; i < n; i++) {
		ua[i] = rnd64();
		ub[i] = i % 3 ? rnd64() : ua[i] + (i & 4 ? 1 : 0) - (i & 8 ? 1 : 0);
	}
	struct args_ptr3n args = { a->va, b->va, out->va, n };
	cr_assert_eq(dispatch(vgpu_rig_ctx_new(), &k, &args, sizeof(args), (n + 63) / 64), 0);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t x = ua[i], y = ub[i];
		uint64_t want[4] = {
			x * y + (x >> 7),
			(uint64_t)((int64_t)x >> (y & 63)) ^ (y << 3),
			x < y ? x - y : y + 12345678901ull,
			(int64_t)x < (int64_t)y,
		};
		for (int j = 0; j < 4; j++)
			cr_assert_eq(uo[4 * i + j], want[j], "out[%u][%d] = 0x%llx, expected 0x%llx", i,
				     j, (unsigned long long)uo[4 * i + j], (unsigned long long)want[j]);
	}
}

Test(vgpu_shader, int64_arithmetic_wave32)
{
	int64_ops("wide.co");
}

Test(vgpu_shader, int64_arithmetic_wave64)
{
	int64_ops("wide-w64.co");
}

Test(vgpu_shader, f64_arithmetic_and_conversions)
{
	const uint32_t n = 100;
	struct kernel k = load_kernel("wide.co", "f64_ops");
	struct rig_buf *a = vgpu_rig_buf_new(n * 8), *b = vgpu_rig_buf_new(n * 8),
		       *out = vgpu_rig_buf_new(n * 24);
	double *da = a->cpu, *db = b->cpu, *dout = out->cpu;
	for (uint32_t i = 0; i < n; i++) {
		da[i] = ((double)(int32_t)rnd()) / 4096.0 + 1e-9 * (double)i;
		db[i] = ((double)(int32_t)rnd()) / 3000.0;
	}
	struct args_ptr3n args = { a->va, b->va, out->va, n };
	cr_assert_eq(dispatch(vgpu_rig_ctx_new(), &k, &args, sizeof(args), (n + 63) / 64), 0);
	for (uint32_t i = 0; i < n; i++) {
		double x = da[i], y = db[i];
		/* clang contracts x + y * 3.0 into v_fma_f64 */
		double want[3] = { fma(x, y, 1.5), fma(y, 3.0, x),
				   x < y ? (double)(int32_t)x : (double)(i * 7u) };
		for (int j = 0; j < 3; j++)
			cr_assert_eq(memcmp(&dout[3 * i + j], &want[j], 8), 0,
				     "out[%u][%d] = %a, expected %a", i, j, dout[3 * i + j], want[j]);
	}
}

Test(vgpu_shader, f16_and_bf16_conversions)
{
	const uint32_t n = 70;
	struct kernel k = load_kernel("wide.co", "halves");
	struct rig_buf *a = vgpu_rig_buf_new(n * 4), *h = vgpu_rig_buf_new(n * 2 + 64),
		       *back = vgpu_rig_buf_new(n * 4), *bf = vgpu_rig_buf_new(n * 2 + 64);
	float *fa = a->cpu, *fb = back->cpu;
	uint16_t *uh = h->cpu, *ubf = bf->cpu;
	for (uint32_t i = 0; i < n; i++)
		fa[i] = ldexpf((float)(int32_t)rnd(), -(int)(rnd() % 60));
	fa[0] = 65520.0f;        /* rounds to f16 infinity */
	fa[1] = 3.0e-6f;         /* an f16 denormal */
	fa[2] = -0.0f;
	fa[3] = 1.0f + 1.0f / 2048.0f; /* a tie: rounds to even */
	fa[4] = INFINITY;
	uh[n] = 0xabcd;
	ubf[n] = 0xabcd;
	struct { uint64_t a, h, back, bf; uint32_t n; } args = { a->va, h->va, back->va, bf->va, n };
	cr_assert_eq(dispatch(vgpu_rig_ctx_new(), &k, &args, sizeof(args), (n + 63) / 64), 0);
	for (uint32_t i = 0; i < n; i++) {
		uint16_t xb = f32_to_f16(fa[i]);
		float xf = f16_to_f32(xb);
		cr_assert_eq(uh[i], xb, "h[%u] = 0x%04x, expected 0x%04x (%a)", i, uh[i], xb, fa[i]);
		cr_assert_eq(memcmp(&fb[i], &xf, 4), 0, "back[%u] = %a, expected %a", i, fb[i], xf);
		cr_assert_eq(ubf[i], f32_to_bf16(fa[i]), "bf[%u] = 0x%04x, expected 0x%04x", i, ubf[i],
			     f32_to_bf16(fa[i]));
	}
	cr_assert_eq(uh[n], 0xabcd, "16-bit store wrote past its element");
	cr_assert_eq(ubf[n], 0xabcd);
}

static void atomics(const char *file)
{
	const uint32_t n = 200;
	struct kernel k = load_kernel(file, "atomics");
	struct rig_buf *a = vgpu_rig_buf_new(n * 4), *acc = vgpu_rig_buf_new((8 + n) * 4);
	int32_t *ia = a->cpu, *ic = acc->cpu;
	for (uint32_t i = 0; i < n; i++)
		ia[i] = (int32_t)rnd();
	ic[1] = INT32_MAX;
	ic[2] = INT32_MIN;
	struct { uint64_t a, acc; uint32_t n; } args = { a->va, acc->va, n };
	cr_assert_eq(dispatch(vgpu_rig_ctx_new(), &k, &args, sizeof(args), (n + 63) / 64), 0);
	uint32_t sum = 0, umax = 0, bits = 0;
	int32_t mn = INT32_MAX, mx = INT32_MIN;
	for (uint32_t i = 0; i < n; i++) {
		sum += (uint32_t)ia[i];
		mn = ia[i] < mn ? ia[i] : mn;
		mx = ia[i] > mx ? ia[i] : mx;
		umax = (uint32_t)ia[i] > umax ? (uint32_t)ia[i] : umax;
		bits |= 1u << (i & 31);
	}
	cr_assert_eq((uint32_t)ic[0], sum, "atomic add");
	cr_assert_eq(ic[1], mn, "atomic min");
	cr_assert_eq(ic[2], mx, "atomic max");
	cr_assert_eq(ic[3], 7, "atomic swap");
	cr_assert_eq((uint32_t)ic[5], umax, "atomic umax");
	cr_assert_eq((uint32_t)ic[6], bits, "atomic or");
	cr_assert_eq(ic[7], (int32_t)n, "tickets");
	uint32_t winners = 0, winner = 0;
	for (uint32_t i = 0; i < n; i++) {
		cr_assert(ic[8 + i] & 1, "ticket of %u out of range", i);
		if (ic[8 + i] & 2) {
			winners++;
			winner = i;
		}
	}
	cr_assert_eq(winners, 1, "exactly one compare-and-swap succeeds");
	cr_assert_eq(ic[4], (int32_t)winner + 1);
}

Test(vgpu_shader, global_atomics_wave32)
{
	atomics("wide.co");
}

Test(vgpu_shader, global_atomics_wave64)
{
	atomics("wide-w64.co");
}

/* ---- WMMA (tests/shader/wmma.cl) --------------------------------------- */

static void wmma(const char *name, bool bf16)
{
	struct kernel k = load_kernel("wmma.co", name);
	cr_assert(k.props & KCP_WAVEFRONT_SIZE32, "WMMA kernels are wave32");
	struct rig_buf *a = vgpu_rig_buf_new(512), *b = vgpu_rig_buf_new(512),
		       *c = vgpu_rig_buf_new(1024), *d = vgpu_rig_buf_new(1024);
	uint16_t *ua = a->cpu, *ub = b->cpu;
	float *fc = c->cpu, *fdst = d->cpu;
	float A[16][16], B[16][16];
	/* small integers and halves: every product and sum is exact in f32,
	 * so the result does not depend on the order of the additions */
	for (int i = 0; i < 16; i++)
		for (int j = 0; j < 16; j++) {
			A[i][j] = (float)((int)(rnd() % 17) - 8) * 0.5f;
			B[i][j] = (float)((int)(rnd() % 9) - 4);
			fc[i * 16 + j] = (float)((int)(rnd() % 101) - 50);
			float pair[2] = { A[i][j], B[i][j] };
			uint16_t bits[2];
			for (int t = 0; t < 2; t++) {
				if (bf16) {
					uint32_t u;
					memcpy(&u, &pair[t], 4);
					bits[t] = (uint16_t)(u >> 16); /* exact: few mantissa bits */
				} else {
					bits[t] = f32_to_f16(pair[t]);
				}
			}
			ua[i * 16 + j] = bits[0];
			ub[i * 16 + j] = bits[1];
		}
	uint64_t args[4] = { a->va, b->va, c->va, d->va };
	cr_assert_eq(dispatch_n(vgpu_rig_ctx_new(), &k, args, sizeof(args), 1, 32), 0);
	for (int i = 0; i < 16; i++)
		for (int j = 0; j < 16; j++) {
			float want = fc[i * 16 + j];
			for (int t = 0; t < 16; t++)
				want += A[i][t] * B[t][j];
			cr_assert_eq(memcmp(&fdst[i * 16 + j], &want, 4), 0, "D[%d][%d] = %g, expected %g",
				     i, j, fdst[i * 16 + j], want);
		}
}

Test(vgpu_shader, wmma_f32_16x16x16_f16)
{
	wmma("wmma_f16", false);
}

Test(vgpu_shader, wmma_f32_16x16x16_bf16)
{
	wmma("wmma_bf16", true);
}

/* ---- 3-D geometry (tests/shader/grid3d.cl) ----------------------------- */

static void ids3d(const char *file)
{
	struct kernel k = load_kernel(file, "ids3d");
	cr_assert(k.rsrc2 & (1u << 8) && k.rsrc2 & (1u << 9), "TGID_Y/Z_EN");
	struct rig_buf *out = vgpu_rig_buf_new(24 * 12 * 4 * 4);
	uint32_t *uo = out->cpu;
	memset(uo, 0xff, 24 * 12 * 4 * 4);
	uint64_t args[1] = { out->va };
	const uint32_t groups[3] = { 3, 3, 2 }, threads[3] = { 8, 4, 2 };
	cr_assert_eq(dispatch_3d(vgpu_rig_ctx_new(), &k, args, sizeof(args), groups, threads), 0);
	for (uint32_t z = 0; z < 4; z++)
		for (uint32_t y = 0; y < 12; y++)
			for (uint32_t x = 0; x < 24; x++) {
				uint32_t want = (x % 8) | (y % 4) << 4 | (z % 2) << 8 | (x / 8) << 12 |
						(y / 4) << 16 | (z / 2) << 20;
				uint32_t got = uo[(z * 12 + y) * 24 + x];
				cr_assert_eq(got, want, "(%u,%u,%u): 0x%x, expected 0x%x", x, y, z, got,
					     want);
			}
}

Test(vgpu_shader, three_dimensional_ids_wave32)
{
	ids3d("grid3d.co");
}

Test(vgpu_shader, three_dimensional_ids_wave64)
{
	ids3d("grid3d-w64.co");
}

/* FLOAT_MODE sets the wave's MODE: 0xc1 flushes f32 denormals (inputs
 * and results) and rounds f32 toward +inf; 0xf0 keeps denormals and
 * rounds to nearest even. */
Test(vgpu_shader, float_mode_flushes_and_rounds)
{
	/* hand-assembled with llvm-mc-19 (gfx1103) */
	static const uint32_t prog[] = {
		0xf4040000, 0xf8000000, /* s_load_b64 s[0:1], s[0:1], 0x0 */
		0xbf89fc07,             /* s_waitcnt lgkmcnt(0) */
		0x7e020281,             /* v_mov_b32_e32 v1, 1 (the smallest denormal) */
		0x06040301,             /* v_add_f32_e32 v2, v1, v1 */
		0x7e0602ff, 0x3f800001, /* v_mov_b32_e32 v3, 0x3f800001 */
		0x100606ff, 0x3f800001, /* v_mul_f32_e32 v3, 0x3f800001, v3 */
		0x7e000280,             /* v_mov_b32_e32 v0, 0 */
		0xdc6a0000, 0x00000200, /* global_store_b32 v0, v2, s[0:1] */
		0xdc6a0004, 0x00000300, /* global_store_b32 v0, v3, s[0:1] offset:4 */
		0xbfb00000,             /* s_endpgm */
	};
	uint64_t va;
	struct kernel k = blob_kernel(prog, sizeof(prog) / 4, &va);
	k.props |= KCP_KERNARG_SEGMENT_PTR;
	k.rsrc2 = 2u << 1; /* USER_SGPR = 2: the kernarg pointer */
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	uint32_t *uo = out->cpu;
	uint64_t args[1] = { out->va };
	k.rsrc1 = 0xc1u << 12;
	cr_assert_eq(dispatch_n(vgpu_rig_ctx_new(), &k, args, sizeof(args), 1, 1), 0);
	cr_assert_eq(uo[0], 0, "denormal input flushed: 0x%08x", uo[0]);
	/* (1 + 2^-23)^2 = 1 + 2^-22 + 2^-46, rounded up */
	cr_assert_eq(uo[1], 0x3f800003u, "rounded toward +inf: 0x%08x", uo[1]);
	k.rsrc1 = RSRC1_FLOAT_MODE_DEFAULT;
	cr_assert_eq(dispatch_n(vgpu_rig_ctx_new(), &k, args, sizeof(args), 1, 1), 0);
	cr_assert_eq(uo[0], 2, "denormals kept: 0x%08x", uo[0]);
	cr_assert_eq(uo[1], 0x3f800002u, "nearest even: 0x%08x", uo[1]);
}

/* FP_ROUND per precision: FLOAT_MODE 0xfc rounds f64 toward zero while
 * f32 stays nearest even, 0xf3 the other way round; 1 + 0.75 ulp is 1
 * toward zero and 1 + 1 ulp to nearest. */
Test(vgpu_shader, float_mode_rounds_f64_by_its_own_field)
{
	/* hand-assembled with llvm-mc-19 (gfx1103) */
	static const uint32_t prog[] = {
		0xf4040000, 0xf8000000, /* s_load_b64 s[0:1], s[0:1], 0x0 */
		0xbf89fc07,             /* s_waitcnt lgkmcnt(0) */
		0x7e080280,             /* v_mov_b32_e32 v4, 0 */
		0x7e0a02ff, 0x3ff00000, /* v_mov_b32_e32 v5, 0x3ff00000 (v[4:5] = 1.0) */
		0x7e0c0280,             /* v_mov_b32_e32 v6, 0 */
		0x7e0e02ff, 0x3ca80000, /* v_mov_b32_e32 v7, 0x3ca80000 (1.5 * 2^-53) */
		0xd7270002, 0x00020d04, /* v_add_f64 v[2:3], v[4:5], v[6:7] */
		0x7e000280,             /* v_mov_b32_e32 v0, 0 */
		0xdc6e0000, 0x00000200, /* global_store_b64 v0, v[2:3], s[0:1] */
		0xbfb00000,             /* s_endpgm */
	};
	uint64_t va;
	struct kernel k = blob_kernel(prog, sizeof(prog) / 4, &va);
	k.props |= KCP_KERNARG_SEGMENT_PTR;
	k.rsrc2 = 2u << 1; /* USER_SGPR = 2: the kernarg pointer */
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	uint64_t *uo = out->cpu;
	uint64_t args[1] = { out->va };
	static const struct { uint32_t mode; uint64_t want; } cases[] = {
		{ 0xfc, 0x3ff0000000000000ull },   /* f64 toward zero */
		{ 0xf3, 0x3ff0000000000001ull },   /* f32 toward zero, f64 nearest */
		{ 0xf0, 0x3ff0000000000001ull },
	};
	for (unsigned i = 0; i < 3; i++) {
		k.rsrc1 = cases[i].mode << 12;
		uo[0] = 0;
		cr_assert_eq(dispatch_n(vgpu_rig_ctx_new(), &k, args, sizeof(args), 1, 1), 0);
		cr_assert_eq(uo[0], cases[i].want, "FLOAT_MODE 0x%02x: 0x%016llx", cases[i].mode,
			     (unsigned long long)uo[0]);
	}
}

Test(vgpu_shader, lds_access_out_of_range_reads_zero_and_drops_writes)
{
	/* hand-assembled with llvm-mc-19 (gfx1103); 512 bytes of LDS */
	static const uint32_t prog[] = {
		0xf4040000, 0xf8000000, /* s_load_b64 s[0:1], s[0:1], 0x0 */
		0x7e0202ff, 0x00001000, /* v_mov_b32_e32 v1, 0x1000 (past the LDS) */
		0x7e0402ff, 0x00001234, /* v_mov_b32_e32 v2, 0x1234 */
		0xd8340000, 0x00000201, /* ds_store_b32 v1, v2 */
		0xd8d80000, 0x03000001, /* ds_load_b32 v3, v1 */
		0x7e0802c0,             /* v_mov_b32_e32 v4, 64 */
		0xd8340000, 0x00000204, /* ds_store_b32 v4, v2 */
		0xd8d80000, 0x05000004, /* ds_load_b32 v5, v4 */
		0xbf89fc07,             /* s_waitcnt lgkmcnt(0) */
		0x7e000280,             /* v_mov_b32_e32 v0, 0 */
		0xdc6a0000, 0x00000300, /* global_store_b32 v0, v3, s[0:1] */
		0xdc6a0004, 0x00000500, /* global_store_b32 v0, v5, s[0:1] offset:4 */
		0xbfb00000,             /* s_endpgm */
	};
	uint64_t va;
	struct kernel k = blob_kernel(prog, sizeof(prog) / 4, &va);
	k.props |= KCP_KERNARG_SEGMENT_PTR;
	k.rsrc2 = 2u << 1; /* USER_SGPR = 2: the kernarg pointer */
	k.group_size = 512;
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	uint32_t *uo = out->cpu;
	uo[0] = uo[1] = 0xdeadbeef;
	uint64_t args[1] = { out->va };
	cr_assert_eq(dispatch_n(vgpu_rig_ctx_new(), &k, args, sizeof(args), 1, 1), 0);
	cr_assert_eq(uo[0], 0, "an out-of-range DS load returns 0");
	cr_assert_eq(uo[1], 0x1234, "an in-range DS store/load round-trips");
}

Test(vgpu_shader, lds_byte_and_half_loads_and_stores)
{
	/* hand-assembled with llvm-mc-19 (gfx1103); 512 bytes of LDS, which
	 * starts zeroed; one lane */
	static const uint32_t prog[] = {
		0xf4040000, 0xf8000000, /* s_load_b64 s[0:1], s[0:1], 0x0 */
		0x7e020280,             /* v_mov_b32_e32 v1, 0 */
		0x7e0402ff, 0x8281f0e1, /* v_mov_b32_e32 v2, 0x8281f0e1 */
		0xd8780001, 0x00000201, /* ds_store_b8 v1, v2 offset:1 */
		0xd87c0002, 0x00000201, /* ds_store_b16 v1, v2 offset:2 */
		0xda800004, 0x00000201, /* ds_store_b8_d16_hi v1, v2 offset:4 */
		0xda840006, 0x00000201, /* ds_store_b16_d16_hi v1, v2 offset:6 */
		0xd8d80000, 0x03000001, /* ds_load_b32 v3, v1 */
		0xd8d80004, 0x04000001, /* ds_load_b32 v4, v1 offset:4 */
		0xd8e80001, 0x05000001, /* ds_load_u8 v5, v1 offset:1 */
		0xd8e40001, 0x06000001, /* ds_load_i8 v6, v1 offset:1 */
		0xd8f00002, 0x07000001, /* ds_load_u16 v7, v1 offset:2 */
		0xd8ec0006, 0x08000001, /* ds_load_i16 v8, v1 offset:6 */
		0x7e1202ff, 0x12345678, /* v_mov_b32_e32 v9, 0x12345678 */
		0x7e1402ff, 0x12345678, /* v_mov_b32_e32 v10, 0x12345678 */
		0x7e1602ff, 0x12345678, /* v_mov_b32_e32 v11, 0x12345678 */
		0x7e1802ff, 0x12345678, /* v_mov_b32_e32 v12, 0x12345678 */
		0xda980002, 0x09000001, /* ds_load_u16_d16 v9, v1 offset:2 */
		0xda9c0002, 0x0a000001, /* ds_load_u16_d16_hi v10, v1 offset:2 */
		0xda940001, 0x0b000001, /* ds_load_i8_d16_hi v11, v1 offset:1 */
		0xda880004, 0x0c000001, /* ds_load_u8_d16 v12, v1 offset:4 */
		0x7e1a02ff, 0x00001000, /* v_mov_b32_e32 v13, 0x1000 (past the LDS) */
		0x7e1c02ff, 0x0000dead, /* v_mov_b32_e32 v14, 0xdead */
		0xd87c0000, 0x0000020d, /* ds_store_b16 v13, v2 */
		0xd8f00000, 0x0e00000d, /* ds_load_u16 v14, v13 */
		0xbf89fc07,             /* s_waitcnt lgkmcnt(0) */
		0x7e000280,             /* v_mov_b32_e32 v0, 0 */
		0xdc6a0000, 0x00000300, /* global_store_b32 v0, v3, s[0:1] */
		0xdc6a0004, 0x00000400, /* global_store_b32 v0, v4, s[0:1] offset:4 */
		0xdc6a0008, 0x00000500, /* global_store_b32 v0, v5, s[0:1] offset:8 */
		0xdc6a000c, 0x00000600, /* global_store_b32 v0, v6, s[0:1] offset:12 */
		0xdc6a0010, 0x00000700, /* global_store_b32 v0, v7, s[0:1] offset:16 */
		0xdc6a0014, 0x00000800, /* global_store_b32 v0, v8, s[0:1] offset:20 */
		0xdc6a0018, 0x00000900, /* global_store_b32 v0, v9, s[0:1] offset:24 */
		0xdc6a001c, 0x00000a00, /* global_store_b32 v0, v10, s[0:1] offset:28 */
		0xdc6a0020, 0x00000b00, /* global_store_b32 v0, v11, s[0:1] offset:32 */
		0xdc6a0024, 0x00000c00, /* global_store_b32 v0, v12, s[0:1] offset:36 */
		0xdc6a0028, 0x00000e00, /* global_store_b32 v0, v14, s[0:1] offset:40 */
		0xbfb00000,             /* s_endpgm */
	};
	static const uint32_t want[] = {
		0xf0e1e100, /* b8 at 1, b16 at 2 */
		0x82810081, /* b8_d16_hi at 4, b16_d16_hi at 6 */
		0x000000e1, 0xffffffe1, 0x0000f0e1, 0xffff8281, /* u8, i8, u16, i16 */
		0x1234f0e1, 0xf0e15678, /* u16_d16, u16_d16_hi: the other half kept */
		0xffe15678, 0x12340081, /* i8_d16_hi (16-bit sign extension), u8_d16 */
		0,                      /* out of range: load 0, store dropped */
	};
	uint64_t va;
	struct kernel k = blob_kernel(prog, sizeof(prog) / 4, &va);
	k.props |= KCP_KERNARG_SEGMENT_PTR;
	k.rsrc1 |= 1; /* VGPRS = 1: 16 VGPRs in wave32 */
	k.rsrc2 = 2u << 1; /* USER_SGPR = 2: the kernarg pointer */
	k.group_size = 512;
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	uint32_t *uo = out->cpu;
	memset(uo, 0xee, 64);
	uint64_t args[1] = { out->va };
	cr_assert_eq(dispatch_n(vgpu_rig_ctx_new(), &k, args, sizeof(args), 1, 1), 0);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cr_assert_eq(uo[i], want[i], "result %zu: 0x%08x, expected 0x%08x", i, uo[i],
			     want[i]);
}

/* Replaces buffer b's mapping by one of its first `bytes` with `flags`. */
static void remap(struct rig_buf *b, uint64_t bytes, uint32_t flags)
{
	amdgpu_device_handle dev = vgpu_rig_device();
	cr_assert_eq(amdgpu_bo_va_op_raw(dev, b->bo, 0, b->size, b->va, 0, AMDGPU_VA_OP_UNMAP), 0);
	cr_assert_eq(amdgpu_bo_va_op_raw(dev, b->bo, 0, bytes, b->va, flags, AMDGPU_VA_OP_MAP), 0);
}

/* The lanes of one instruction share one translation of the VM (the
 * memory lock is held across them): the fault must still be the first
 * lane that leaves the mapping, at its own address, after every earlier
 * lane's store and before any later one. */
Test(vgpu_shader, vector_store_faults_at_the_first_lane_leaving_the_mapping)
{
	/* hand-assembled with llvm-mc-19 (gfx1103): lane l stores l + 1 at
	 * s[0:1] + l * 256 */
	static const uint32_t prog[] = {
		0xf4040000, 0xf8000000, /* s_load_b64 s[0:1], s[0:1], 0x0 */
		0x30020088,             /* v_lshlrev_b32_e32 v1, 8, v0 */
		0x4a040081,             /* v_add_nc_u32_e32 v2, 1, v0 */
		0xbf89fc07,             /* s_waitcnt lgkmcnt(0) */
		0xdc6a0000, 0x00000201, /* global_store_b32 v1, v2, s[0:1] */
		0xbfb00000,             /* s_endpgm */
	};
	uint64_t va;
	struct kernel k = blob_kernel(prog, sizeof(prog) / 4, &va);
	k.props |= KCP_KERNARG_SEGMENT_PTR;
	k.rsrc2 = 2u << 1; /* USER_SGPR = 2: the kernarg pointer */
	struct rig_buf *out = vgpu_rig_buf_new(8192);
	remap(out, 4096, AMDGPU_VM_PAGE_READABLE | AMDGPU_VM_PAGE_WRITEABLE); /* lanes 0-15 */
	uint64_t args[1] = { out->va };
	uint32_t ctx = vgpu_rig_ctx_new();
	capture_begin();
	int r = dispatch_n(ctx, &k, args, sizeof(args), 1, 32);
	char *log = capture_end();
	cr_assert_eq(r, -ECANCELED);
	char want[96];
	snprintf(want, sizeof(want), "write access to 0x%llx: no mapping",
		 (unsigned long long)(out->va + 4096));
	cr_assert(strstr(log, want) != NULL, "expected \"%s\" in the log: %s", want, log);
	const uint32_t *u = out->cpu;
	for (uint32_t l = 0; l < 32; l++)
		cr_assert_eq(u[l * 64], l < 16 ? l + 1 : 0, "lane %u's word: %u", l, u[l * 64]);
	expect_guilty_then_recover(ctx);
}

/* Strict BO-list mode (the default): a mapped, writeable buffer that is
 * not in the submission's BO list is still a VM fault for a shader. */
Test(vgpu_shader, vector_store_to_a_bo_missing_from_the_list_faults)
{
	static const uint32_t prog[] = {
		0xf4040000, 0xf8000000, /* s_load_b64 s[0:1], s[0:1], 0x0 */
		0x30020088,             /* v_lshlrev_b32_e32 v1, 8, v0 */
		0x4a040081,             /* v_add_nc_u32_e32 v2, 1, v0 */
		0xbf89fc07,             /* s_waitcnt lgkmcnt(0) */
		0xdc6a0000, 0x00000201, /* global_store_b32 v1, v2, s[0:1] */
		0xbfb00000,             /* s_endpgm */
	};
	uint64_t va;
	struct kernel k = blob_kernel(prog, sizeof(prog) / 4, &va);
	k.props |= KCP_KERNARG_SEGMENT_PTR;
	k.rsrc2 = 2u << 1;
	/* made like vgpu_rig_buf_new but kept out of the rig, so out of the BO list */
	amdgpu_device_handle dev = vgpu_rig_device();
	amdgpu_bo_handle bo;
	amdgpu_va_handle vah;
	uint64_t bva;
	void *cpu;
	struct amdgpu_bo_alloc_request req = { .alloc_size = 8192, .phys_alignment = 4096,
					       .preferred_heap = AMDGPU_GEM_DOMAIN_GTT };
	cr_assert_eq(amdgpu_bo_alloc(dev, &req, &bo), 0);
	cr_assert_eq(amdgpu_va_range_alloc(dev, amdgpu_gpu_va_range_general, 8192, 4096, 0, &bva,
					   &vah, 0), 0);
	cr_assert_eq(amdgpu_bo_va_op_raw(dev, bo, 0, 8192, bva,
					 AMDGPU_VM_PAGE_READABLE | AMDGPU_VM_PAGE_WRITEABLE,
					 AMDGPU_VA_OP_MAP), 0);
	cr_assert_eq(amdgpu_bo_cpu_map(bo, &cpu), 0);
	memset(cpu, 0, 8192);
	uint64_t args[1] = { bva };
	uint32_t ctx = vgpu_rig_ctx_new();
	capture_begin();
	int r = dispatch_n(ctx, &k, args, sizeof(args), 1, 32);
	char *log = capture_end();
	cr_assert_eq(r, -ECANCELED);
	char want[128];
	snprintf(want, sizeof(want), "write access to 0x%llx: BO not in the submission's BO list",
		 (unsigned long long)bva);
	cr_assert(strstr(log, want) != NULL, "expected \"%s\" in the log: %s", want, log);
	cr_assert_eq(((const uint32_t *)cpu)[0], 0, "lane 0 must not have stored");
	cr_assert_eq(amdgpu_bo_cpu_unmap(bo), 0);
	cr_assert_eq(amdgpu_bo_va_op_raw(dev, bo, 0, 8192, bva, 0, AMDGPU_VA_OP_UNMAP), 0);
	cr_assert_eq(amdgpu_va_range_free(vah), 0);
	cr_assert_eq(amdgpu_bo_free(bo), 0);
	expect_guilty_then_recover(ctx);
}

/* An atomic reads, then writes: on a READABLE-only mapping its read
 * passes and its write is the VM fault, even though the read has just
 * translated the same page. */
Test(vgpu_shader, atomic_on_a_read_only_mapping_is_a_write_fault)
{
	/* hand-assembled with llvm-mc-19 (gfx1103): lane l adds l + 1 at
	 * s[0:1] + l * 4 */
	static const uint32_t prog[] = {
		0xf4040000, 0xf8000000, /* s_load_b64 s[0:1], s[0:1], 0x0 */
		0x30020082,             /* v_lshlrev_b32_e32 v1, 2, v0 */
		0x4a040081,             /* v_add_nc_u32_e32 v2, 1, v0 */
		0xbf89fc07,             /* s_waitcnt lgkmcnt(0) */
		0xdcd60000, 0x00000201, /* global_atomic_add_u32 v1, v2, s[0:1] */
		0xbfb00000,             /* s_endpgm */
	};
	uint64_t va;
	struct kernel k = blob_kernel(prog, sizeof(prog) / 4, &va);
	k.props |= KCP_KERNARG_SEGMENT_PTR;
	k.rsrc2 = 2u << 1;
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	remap(out, 4096, AMDGPU_VM_PAGE_READABLE);
	uint64_t args[1] = { out->va };
	uint32_t ctx = vgpu_rig_ctx_new();
	capture_begin();
	int r = dispatch_n(ctx, &k, args, sizeof(args), 1, 32);
	char *log = capture_end();
	cr_assert_eq(r, -ECANCELED);
	char want[96];
	snprintf(want, sizeof(want), "write access to 0x%llx: write to a mapping without WRITEABLE",
		 (unsigned long long)out->va);
	cr_assert(strstr(log, want) != NULL, "expected \"%s\" in the log: %s", want, log);
	const uint32_t *u = out->cpu;
	for (uint32_t l = 0; l < 32; l++)
		cr_assert_eq(u[l], 0, "word %u changed: %u", l, u[l]);
	expect_guilty_then_recover(ctx);
}

/* MUBUF through hand-built V#s (gfx11 layout: dword1 STRIDE 29:16, dword3
 * OOB_SELECT 29:28 with 1 = structured, 3 = raw). */
static void vsharp(uint32_t *d, uint64_t base, uint32_t stride, uint32_t num_records,
		   uint32_t oob_select)
{
	d[0] = (uint32_t)base;
	d[1] = (uint32_t)(base >> 32) | stride << 16;
	d[2] = num_records;
	d[3] = oob_select << 28;
}

Test(vgpu_shader, mubuf_raw_and_structured_buffers_with_range_checks)
{
	/* hand-assembled with llvm-mc-19 (gfx1103), wave32 */
	static const uint32_t prog[] = {
		0xf4040200, 0xf8000000, /* s_load_b64 s[8:9], s[0:1], 0x0 */
		0xf4040280, 0xf8000008, /* s_load_b64 s[10:11], s[0:1], 0x8 */
		0xf4080100, 0xf8000010, /* s_load_b128 s[4:7], s[0:1], 0x10 */
		0xf4080300, 0xf8000020, /* s_load_b128 s[12:15], s[0:1], 0x20 */
		0xbf89fc07,             /* s_waitcnt lgkmcnt(0) */
		0x30020082,             /* v_lshlrev_b32_e32 v1, 2, v0 */
		0xe05000c8, 0x80410301, /* buffer_load_b32 v3, v1, s[4:7], 0 offen offset:200 */
		0xbe9000b8,             /* s_mov_b32 s16, 56 */
		0xe06800c8, 0x10410301, /* buffer_store_b32 v3, v1, s[4:7], s16 offen offset:200 */
		0xe05c0000, 0x80830400, /* buffer_load_b128 v[4:7], v0, s[12:15], 0 idxen */
		0x30040084,             /* v_lshlrev_b32_e32 v2, 4, v0 */
		0xbf8903f7,             /* s_waitcnt vmcnt(0) */
		0xdc6a0000, 0x00080301, /* global_store_b32 v1, v3, s[8:9] */
		0xdc760000, 0x000a0402, /* global_store_b128 v2, v[4:7], s[10:11] */
		0xbfb00000,             /* s_endpgm */
	};
	uint64_t va;
	struct kernel k = blob_kernel(prog, sizeof(prog) / 4, &va);
	k.props |= KCP_KERNARG_SEGMENT_PTR;
	k.rsrc2 = 2u << 1; /* USER_SGPR = 2: the kernarg pointer */
	struct rig_buf *raw = vgpu_rig_buf_new(4096), *rec = vgpu_rig_buf_new(4096),
		       *out = vgpu_rig_buf_new(4096), *out4 = vgpu_rig_buf_new(4096);
	uint32_t *ur = raw->cpu, *uc = rec->cpu, *uo = out->cpu, *u4 = out4->cpu;
	for (uint32_t i = 0; i < 128; i++) {
		ur[i] = 0x1000 + i;
		uc[i] = 0x2000 + i;
		uo[i] = u4[i] = 0xdeadbeef;
	}
	/* raw: 320 bytes; structured: 20 records of 16 bytes */
	uint32_t args[12] = {0};
	memcpy(&args[0], &out->va, 8);
	memcpy(&args[2], &out4->va, 8);
	vsharp(&args[4], raw->va, 0, 320, 3);
	vsharp(&args[8], rec->va, 16, 20, 1);
	cr_assert_eq(dispatch_n(vgpu_rig_ctx_new(), &k, args, sizeof(args), 1, 32), 0);
	for (uint32_t l = 0; l < 32; l++) {
		/* load at 200 + 4l: inside the 320 bytes for l <= 29 */
		uint32_t want = l <= 29 ? 0x1000 + 50 + l : 0;
		cr_assert_eq(uo[l], want, "raw load lane %u: %#x, want %#x", l, uo[l], want);
		/* store at 256 + 4l (soffset 56): kept for l <= 15, dropped after */
		uint32_t kept = l <= 15 ? 0x1000 + 50 + l : 0x1000 + 64 + l;
		cr_assert_eq(ur[64 + l], kept, "raw store lane %u: %#x, want %#x", l, ur[64 + l],
			     kept);
		for (uint32_t i = 0; i < 4; i++) {
			uint32_t w4 = l < 20 ? 0x2000 + 4 * l + i : 0;
			cr_assert_eq(u4[4 * l + i], w4, "structured load lane %u dword %u: %#x", l, i,
				     u4[4 * l + i]);
		}
	}
}
