/*
 * The vgpu's scalar memory: s_buffer_load_b32..b256 through hand-built
 * buffer resources (V#), from the assembled kernel tests/shader/
 * smem_buffer.s (checked in as smem_buffer.co; tests/shader/rebuild_asm.sh
 * rebuilds it with llvm-mc-19 and ld.lld-19).  Checks the V# fields the
 * scalar unit uses (base, STRIDE, NUM_RECORDS), the instruction offset and
 * soffset, the per-dword range check (an out-of-range dword reads 0), and
 * that in-range dwords go through the VM (an unmapped base faults, while a
 * buffer of 0 records touches no memory).  Raw ioctls and libdrm_amdgpu.
 */
#include "vgpu_rig.h"

#include <criterion/criterion.h>
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <amdgpu.h>
#include <amdgpu_drm.h>

/* nvd.h */
#define PACKET3(op, n) ((3u << 30) | (((n) & 0x3FFFu) << 16) | (((op) & 0xFFu) << 8))
#define PKT3_DISPATCH_DIRECT 0x15
#define PKT3_SET_SH_REG 0x76
/* SH register offsets (from PACKET3_SET_SH_REG_START) of COMPUTE_* */
#define SH_COMPUTE_START_X 0x204
#define SH_COMPUTE_PGM_LO 0x20c
#define SH_COMPUTE_PGM_RSRC1 0x212
#define SH_COMPUTE_USER_DATA_0 0x240
#define INIT_COMPUTE_SHADER_EN 1u
#define INIT_CS_W32_EN (1u << 15)
/* AMDGPUUsage "Kernel Descriptor" */
#define KD_ENTRY_OFFSET 16
#define KD_RSRC1 48
#define KD_RSRC2 52

#define UNMAPPED_VA 0x7f0000000ull

TestSuite(vgpu_smem, .init = vgpu_rig_setup, .fini = vgpu_rig_teardown);

/* The code object's PT_LOAD image in a fresh buffer; entry VA, RSRC1/2. */
struct kernel {
	uint64_t code_va;
	uint32_t rsrc1, rsrc2;
};

static struct kernel load_smem_kernel(void)
{
	const char *top = getenv("AMDBARE_TOP");
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/shader/smem_buffer.co", top ? top : ".");
	FILE *fp = fopen(path, "rb");
	cr_assert_not_null(fp, "cannot open %s (AMDBARE_TOP set by the test runner)", path);
	static uint8_t img[65536];
	size_t len = fread(img, 1, sizeof(img), fp);
	fclose(fp);
	const Elf64_Ehdr *eh = (const void *)img;
	cr_assert(len > sizeof(*eh) && !memcmp(eh->e_ident, ELFMAG, SELFMAG));
	const Elf64_Phdr *ph = (const void *)(img + eh->e_phoff);
	uint64_t span = 0;
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_vaddr + ph[i].p_memsz > span)
			span = ph[i].p_vaddr + ph[i].p_memsz;
	struct rig_buf *code = vgpu_rig_buf_new(span);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD)
			memcpy((uint8_t *)code->cpu + ph[i].p_vaddr, img + ph[i].p_offset,
			       ph[i].p_filesz);
	const Elf64_Shdr *sh = (const void *)(img + eh->e_shoff);
	for (int i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB)
			continue;
		const Elf64_Sym *sym = (const void *)(img + sh[i].sh_offset);
		const char *str = (const char *)img + sh[sh[i].sh_link].sh_offset;
		for (size_t j = 0; j < sh[i].sh_size / sizeof(*sym); j++) {
			if (strcmp(str + sym[j].st_name, "smem_buffer.kd"))
				continue;
			const uint8_t *kd = (const uint8_t *)code->cpu + sym[j].st_value;
			struct kernel k;
			int64_t entry;
			memcpy(&entry, kd + KD_ENTRY_OFFSET, 8);
			memcpy(&k.rsrc1, kd + KD_RSRC1, 4);
			memcpy(&k.rsrc2, kd + KD_RSRC2, 4);
			k.code_va = code->va + sym[j].st_value + (uint64_t)entry;
			return k;
		}
	}
	cr_assert_fail("smem_buffer.kd not found in %s", path);
	return (struct kernel){ 0 };
}

/* Kernarg of smem_buffer.s: out pointer, then two V#s. */
struct smem_args {
	uint64_t out, pad;
	uint32_t a[4], b[4];
};

/* gfx11 buffer resource: base 47:0, STRIDE dword1 29:16, NUM_RECORDS. */
static void vsharp(uint32_t *d, uint64_t base, uint32_t stride, uint32_t num_records)
{
	d[0] = (uint32_t)base;
	d[1] = (uint32_t)(base >> 32) | stride << 16;
	d[2] = num_records;
	d[3] = 3u << 28; /* OOB_SELECT raw: not used by the scalar unit */
}

/* One wave32 work-item of smem_buffer; 0 or the fence's error. */
static int run(uint32_t ctx, const struct kernel *k, const struct smem_args *args)
{
	struct rig_buf *ka = vgpu_rig_buf_new(4096), *ib = vgpu_rig_buf_new(4096);
	memcpy(ka->cpu, args, sizeof(*args));
	uint32_t *p = ib->cpu, n = 0;
	p[n++] = PACKET3(PKT3_SET_SH_REG, 6);
	p[n++] = SH_COMPUTE_START_X;
	p[n++] = 0; p[n++] = 0; p[n++] = 0;
	p[n++] = 1; p[n++] = 1; p[n++] = 1; /* NUM_THREAD_X/Y/Z */
	p[n++] = PACKET3(PKT3_SET_SH_REG, 2);
	p[n++] = SH_COMPUTE_PGM_LO; p[n++] = (uint32_t)(k->code_va >> 8);
	p[n++] = (uint32_t)(k->code_va >> 40);
	p[n++] = PACKET3(PKT3_SET_SH_REG, 2);
	p[n++] = SH_COMPUTE_PGM_RSRC1; p[n++] = k->rsrc1; p[n++] = k->rsrc2;
	p[n++] = PACKET3(PKT3_SET_SH_REG, 2);
	p[n++] = SH_COMPUTE_USER_DATA_0; p[n++] = (uint32_t)ka->va;
	p[n++] = (uint32_t)(ka->va >> 32);
	p[n++] = PACKET3(PKT3_DISPATCH_DIRECT, 3);
	p[n++] = 1; p[n++] = 1; p[n++] = 1;
	p[n++] = INIT_COMPUTE_SHADER_EN | INIT_CS_W32_EN;
	return vgpu_rig_submit_compute(ctx, ib, n);
}

Test(vgpu_smem, buffer_loads_use_base_stride_num_records_and_zero_out_of_range_dwords)
{
	struct kernel k = load_smem_kernel();
	struct rig_buf *a = vgpu_rig_buf_new(4096), *b = vgpu_rig_buf_new(4096),
		       *out = vgpu_rig_buf_new(4096);
	uint32_t *ua = a->cpu, *ub = b->cpu, *uo = out->cpu;
	for (uint32_t i = 0; i < 256; i++) {
		ua[i] = 0xa000 + i;
		ub[i] = 0xb000 + i;
		uo[i] = 0xdeadbeef;
	}
	struct smem_args args = { .out = out->va };
	vsharp(args.a, a->va, 0, 60);  /* raw: 60 bytes = dwords 0..14 */
	vsharp(args.b, b->va, 8, 4);   /* 4 records of 8 bytes = dwords 0..7 */
	cr_assert_eq(run(vgpu_rig_ctx_new(), &k, &args), 0);
	static const uint32_t want[24] = {
		0xa000,                 /* b32 at 0 */
		0,                      /* b32 at 0x100: past the end */
		0xa00e, 0,              /* b64 at 56: the second dword is out */
		0xa00d, 0xa00e, 0, 0,   /* b128 at soffset 48 + offset 4 */
		0xa008, 0xa009, 0xa00a, 0xa00b, 0xa00c, 0xa00d, 0xa00e, 0, /* b256 at 32 */
		0xb004, 0xb005, 0xb006, 0xb007, 0, 0, 0, 0, /* b256 at 16, STRIDE 8 */
	};
	for (int i = 0; i < 24; i++)
		cr_assert_eq(uo[i], want[i], "out[%d] = %#x, want %#x", i, uo[i], want[i]);
	cr_assert_eq(uo[24], 0xdeadbeef, "nothing written past the 24 dwords");
}

Test(vgpu_smem, in_range_dword_at_an_unmapped_base_is_a_vm_fault)
{
	struct kernel k = load_smem_kernel();
	struct rig_buf *b = vgpu_rig_buf_new(4096), *out = vgpu_rig_buf_new(4096);
	struct smem_args args = { .out = out->va };
	vsharp(args.a, UNMAPPED_VA, 0, 256);
	vsharp(args.b, b->va, 0, 64);
	uint32_t ctx = vgpu_rig_ctx_new();
	cr_assert_eq(run(ctx, &k, &args), -ECANCELED);
	cr_assert(vgpu_rig_ctx_flags(ctx) & AMDGPU_CTX_QUERY2_FLAGS_GUILTY);
}

Test(vgpu_smem, zero_records_read_zero_without_touching_memory)
{
	struct kernel k = load_smem_kernel();
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	uint32_t *uo = out->cpu;
	for (uint32_t i = 0; i < 32; i++)
		uo[i] = 0xdeadbeef;
	struct smem_args args = { .out = out->va };
	vsharp(args.a, UNMAPPED_VA, 0, 0);
	vsharp(args.b, UNMAPPED_VA, 16, 0);
	uint32_t ctx = vgpu_rig_ctx_new();
	cr_assert_eq(run(ctx, &k, &args), 0, "no access is made for out-of-range dwords");
	for (int i = 0; i < 24; i++)
		cr_assert_eq(uo[i], 0, "out[%d] = %#x", i, uo[i]);
	cr_assert_eq(vgpu_rig_ctx_flags(ctx) & AMDGPU_CTX_QUERY2_FLAGS_GUILTY, 0);
}
