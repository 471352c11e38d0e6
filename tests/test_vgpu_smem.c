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
#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>
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

static amdgpu_device_handle dev;
static int fd;

struct buf {
	amdgpu_bo_handle bo;
	amdgpu_va_handle vah;
	uint32_t handle;
	uint64_t va, size;
	void *cpu;
};
static struct buf bufs[8];
static int nbufs;

static void setup(void)
{
	vgpu_test_use_profile("780m", "AMDBARE_VGPU_TIMEOUT_MS", "2000", NULL);
	vgpu_test_require();
	int f = open("/dev/dri/renderD128", O_RDWR | O_CLOEXEC);
	cr_assert_geq(f, 0);
	uint32_t maj, min;
	cr_assert_eq(amdgpu_device_initialize(f, &maj, &min, &dev), 0);
	fd = amdgpu_device_get_fd(dev);
	close(f);
}

static void teardown(void)
{
	for (int i = 0; i < nbufs; i++) {
		amdgpu_bo_cpu_unmap(bufs[i].bo);
		amdgpu_bo_va_op(bufs[i].bo, 0, bufs[i].size, bufs[i].va, 0, AMDGPU_VA_OP_UNMAP);
		amdgpu_va_range_free(bufs[i].vah);
		amdgpu_bo_free(bufs[i].bo);
	}
	nbufs = 0;
	if (dev)
		amdgpu_device_deinitialize(dev);
	dev = NULL;
	vgpu_test_cleanup();
}

TestSuite(vgpu_smem, .init = setup, .fini = teardown);

static struct buf *buf_new(uint64_t size)
{
	cr_assert_lt(nbufs, 8);
	struct buf *b = &bufs[nbufs];
	b->size = (size + 4095) & ~4095ull;
	struct amdgpu_bo_alloc_request req = { .alloc_size = b->size, .phys_alignment = 4096,
					       .preferred_heap = AMDGPU_GEM_DOMAIN_GTT };
	cr_assert_eq(amdgpu_bo_alloc(dev, &req, &b->bo), 0);
	cr_assert_eq(amdgpu_bo_export(b->bo, amdgpu_bo_handle_type_kms, &b->handle), 0);
	cr_assert_eq(amdgpu_va_range_alloc(dev, amdgpu_gpu_va_range_general, b->size, 4096, 0,
					   &b->va, &b->vah, 0), 0);
	cr_assert_eq(amdgpu_bo_va_op_raw(dev, b->bo, 0, b->size, b->va,
					 AMDGPU_VM_PAGE_READABLE | AMDGPU_VM_PAGE_WRITEABLE |
						 AMDGPU_VM_PAGE_EXECUTABLE,
					 AMDGPU_VA_OP_MAP), 0);
	cr_assert_eq(amdgpu_bo_cpu_map(b->bo, &b->cpu), 0);
	memset(b->cpu, 0, b->size);
	nbufs++;
	return b;
}

static uint32_t ctx_new(void)
{
	union drm_amdgpu_ctx a;
	memset(&a, 0, sizeof(a));
	a.in.op = AMDGPU_CTX_OP_ALLOC_CTX;
	cr_assert_eq(drmIoctl(fd, DRM_IOCTL_AMDGPU_CTX, &a), 0);
	return a.out.alloc.ctx_id;
}

static uint32_t ctx_flags(uint32_t ctx)
{
	union drm_amdgpu_ctx a;
	memset(&a, 0, sizeof(a));
	a.in.op = AMDGPU_CTX_OP_QUERY_STATE2;
	a.in.ctx_id = ctx;
	cr_assert_eq(drmIoctl(fd, DRM_IOCTL_AMDGPU_CTX, &a), 0);
	return a.out.state.flags;
}

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
	struct buf *code = buf_new(span);
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
	struct buf *ka = buf_new(4096), *ib = buf_new(4096);
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

	struct drm_amdgpu_cs_chunk_ib ibc = { .ip_type = AMDGPU_HW_IP_COMPUTE, .va_start = ib->va,
					      .ib_bytes = n * 4 };
	struct drm_amdgpu_bo_list_entry ent[8];
	for (int i = 0; i < nbufs; i++)
		ent[i] = (struct drm_amdgpu_bo_list_entry){ .bo_handle = bufs[i].handle };
	struct drm_amdgpu_bo_list_in list = { .bo_number = (uint32_t)nbufs,
					      .bo_info_size = sizeof(ent[0]),
					      .bo_info_ptr = (uintptr_t)ent };
	struct drm_amdgpu_cs_chunk chunks[2] = {
		{ .chunk_id = AMDGPU_CHUNK_ID_IB, .length_dw = sizeof(ibc) / 4,
		  .chunk_data = (uintptr_t)&ibc },
		{ .chunk_id = AMDGPU_CHUNK_ID_BO_HANDLES, .length_dw = sizeof(list) / 4,
		  .chunk_data = (uintptr_t)&list },
	};
	uint64_t ptrs[2] = { (uintptr_t)&chunks[0], (uintptr_t)&chunks[1] };
	union drm_amdgpu_cs cs;
	memset(&cs, 0, sizeof(cs));
	cs.in.ctx_id = ctx;
	cs.in.num_chunks = 2;
	cs.in.chunks = (uintptr_t)ptrs;
	if (drmIoctl(fd, DRM_IOCTL_AMDGPU_CS, &cs))
		return -errno;
	union drm_amdgpu_wait_cs w;
	memset(&w, 0, sizeof(w));
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	w.in.handle = cs.out.handle;
	w.in.timeout = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec + 30000000000ull;
	w.in.ip_type = AMDGPU_HW_IP_COMPUTE;
	w.in.ctx_id = ctx;
	if (drmIoctl(fd, DRM_IOCTL_AMDGPU_WAIT_CS, &w))
		return -errno;
	cr_assert_eq(w.out.status, 0, "job not done after the wait");
	return 0;
}

Test(vgpu_smem, buffer_loads_use_base_stride_num_records_and_zero_out_of_range_dwords)
{
	struct kernel k = load_smem_kernel();
	struct buf *a = buf_new(4096), *b = buf_new(4096), *out = buf_new(4096);
	uint32_t *ua = a->cpu, *ub = b->cpu, *uo = out->cpu;
	for (uint32_t i = 0; i < 256; i++) {
		ua[i] = 0xa000 + i;
		ub[i] = 0xb000 + i;
		uo[i] = 0xdeadbeef;
	}
	struct smem_args args = { .out = out->va };
	vsharp(args.a, a->va, 0, 60);  /* raw: 60 bytes = dwords 0..14 */
	vsharp(args.b, b->va, 8, 4);   /* 4 records of 8 bytes = dwords 0..7 */
	cr_assert_eq(run(ctx_new(), &k, &args), 0);
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
	struct buf *b = buf_new(4096), *out = buf_new(4096);
	struct smem_args args = { .out = out->va };
	vsharp(args.a, UNMAPPED_VA, 0, 256);
	vsharp(args.b, b->va, 0, 64);
	uint32_t ctx = ctx_new();
	cr_assert_eq(run(ctx, &k, &args), -ECANCELED);
	cr_assert(ctx_flags(ctx) & AMDGPU_CTX_QUERY2_FLAGS_GUILTY);
}

Test(vgpu_smem, zero_records_read_zero_without_touching_memory)
{
	struct kernel k = load_smem_kernel();
	struct buf *out = buf_new(4096);
	uint32_t *uo = out->cpu;
	for (uint32_t i = 0; i < 32; i++)
		uo[i] = 0xdeadbeef;
	struct smem_args args = { .out = out->va };
	vsharp(args.a, UNMAPPED_VA, 0, 0);
	vsharp(args.b, UNMAPPED_VA, 16, 0);
	uint32_t ctx = ctx_new();
	cr_assert_eq(run(ctx, &k, &args), 0, "no access is made for out-of-range dwords");
	for (int i = 0; i < 24; i++)
		cr_assert_eq(uo[i], 0, "out[%d] = %#x", i, uo[i]);
	cr_assert_eq(ctx_flags(ctx) & AMDGPU_CTX_QUERY2_FLAGS_GUILTY, 0);
}
