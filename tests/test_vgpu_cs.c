/*
 * The vgpu's execution side through raw ioctls and libdrm_amdgpu (never
 * the amdbare library): AMDGPU_CS validation and its errnos, fences and
 * WAIT_CS/WAIT_FENCES, GEM_WAIT_IDLE, the SDMA engine and the PM4
 * command processor, VM faults, guilty contexts and the watchdog.  The
 * packets are written here dword by dword from the kernel's definitions
 * (nvd.h, sdma_v6_0_0_pkt_open.h), independently of the library's
 * packet builders and of the vgpu's decoders.
 */
#include "stderr_capture.h"
#include "vgpu_rig.h"
#include "vgpu_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>
#include <amdgpu.h>
#include <amdgpu_drm.h>

/* nvd.h */
#define PACKET3(op, n) ((3u << 30) | (((n) & 0x3FFFu) << 16) | (((op) & 0xFFu) << 8))
#define PKT3_NOP 0x10
#define PKT3_DISPATCH_DIRECT 0x15
#define PKT3_WRITE_DATA 0x37
#define PKT3_WAIT_REG_MEM 0x3C
#define PKT3_INDIRECT_BUFFER 0x3F
#define PKT3_EVENT_WRITE 0x46
#define PKT3_RELEASE_MEM 0x49
#define PKT3_DMA_DATA 0x50
#define PKT3_ACQUIRE_MEM 0x58
#define PKT3_SET_SH_REG 0x76
#define WRITE_DATA_DST_SEL(x) ((x) << 8)
#define WR_CONFIRM (1u << 20)
#define WAIT_REG_MEM_FUNCTION(x) ((x) << 0)
#define WAIT_REG_MEM_MEM_SPACE(x) ((x) << 4)
#define RELEASE_MEM_DATA_SEL(x) ((unsigned)(x) << 29)
#define RELEASE_MEM_EVENT_TYPE(x) ((x) << 0)
#define RELEASE_MEM_EVENT_INDEX(x) ((x) << 8)
#define CACHE_FLUSH_AND_INV_TS_EVENT 0x14
#define CS_PARTIAL_FLUSH 0x7
#define DMA_DATA_SRC_SEL(x) ((unsigned)(x) << 29)
#define DMA_DATA_DST_SEL(x) ((x) << 20)
/* sdma_v6_0_0_pkt_open.h */
#define SDMA_HDR(op, sub) ((op) | ((sub) << 8))
#define SDMA_OP_NOP 0
#define SDMA_OP_COPY 1
#define SDMA_OP_WRITE 2
#define SDMA_OP_FENCE 5
#define SDMA_OP_TRAP 6
#define SDMA_OP_POLL_REGMEM 8
#define SDMA_OP_CONST_FILL 11
#define SDMA_OP_TIMESTAMP 13
#define SDMA_CONST_FILL_FILLSIZE_DW (2u << 30)

#define LO(x) ((uint32_t)(x))
#define HI(x) ((uint32_t)((uint64_t)(x) >> 32))

static amdgpu_device_handle dev;
static int fd;

/* The shared raw-libdrm rig (tests/support/vgpu_rig.h) opens the device:
 * a fresh 780M instance with a 2 s job watchdog, skipped off the vgpu.
 * Contexts come from the rig too.  Buffers stay this suite's own: their
 * domains, VM flags and BO lists vary per test, and the rig lists every
 * buffer in every submission (one test, pm4_chained_indirect_buffer,
 * fits that and uses the rig's buffers and compute submit). */
static void setup(void)
{
	vgpu_rig_setup();
	dev = vgpu_rig_device();
	fd = amdgpu_device_get_fd(dev);
}

struct buf;
static void bufs_free_all(void);

static void teardown(void)
{
	bufs_free_all(); /* before the rig closes the device */
	vgpu_rig_teardown();
	dev = NULL;
}

TestSuite(vgpu_cs, .init = setup, .fini = teardown);

static int xioctl(unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) == 0 ? 0 : -errno;
}

struct buf {
	amdgpu_bo_handle bo;
	amdgpu_va_handle vah;
	uint32_t handle;
	uint64_t va, size;
	void *cpu;
};

/* every buffer a test made, released at teardown */
static struct buf *all_bufs[32];
static int num_bufs;

static void bufs_free_all(void)
{
	for (int i = 0; i < num_bufs; i++) {
		struct buf *b = all_bufs[i];
		amdgpu_bo_cpu_unmap(b->bo);
		amdgpu_bo_va_op(b->bo, 0, b->size, b->va, 0, AMDGPU_VA_OP_UNMAP);
		amdgpu_va_range_free(b->vah);
		amdgpu_bo_free(b->bo);
		free(b);
	}
	num_bufs = 0;
}

static struct buf buf_new_create(uint64_t size, uint32_t domain, uint64_t vm_flags,
				  uint64_t create_flags)
{
	struct buf b = { .size = size };
	struct amdgpu_bo_alloc_request req = { .alloc_size = size, .phys_alignment = 4096,
					       .preferred_heap = domain, .flags = create_flags };
	cr_assert_eq(amdgpu_bo_alloc(dev, &req, &b.bo), 0);
	cr_assert_eq(amdgpu_bo_export(b.bo, amdgpu_bo_handle_type_kms, &b.handle), 0);
	cr_assert_eq(amdgpu_va_range_alloc(dev, amdgpu_gpu_va_range_general, size, 4096, 0,
					   &b.va, &b.vah, 0), 0);
	cr_assert_eq(amdgpu_bo_va_op_raw(dev, b.bo, 0, size, b.va, vm_flags, AMDGPU_VA_OP_MAP), 0);
	cr_assert_eq(amdgpu_bo_cpu_map(b.bo, &b.cpu), 0);
	memset(b.cpu, 0, size);
	cr_assert_lt(num_bufs, 32);
	struct buf *keep = malloc(sizeof(*keep));
	cr_assert_not_null(keep);
	*keep = b;
	all_bufs[num_bufs++] = keep;
	return b;
}

static struct buf buf_new_flags(uint64_t size, uint32_t domain, uint64_t vm_flags)
{
	return buf_new_create(size, domain, vm_flags, 0);
}

static struct buf buf_new(uint64_t size, uint32_t domain)
{
	return buf_new_flags(size, domain, AMDGPU_VM_PAGE_READABLE | AMDGPU_VM_PAGE_WRITEABLE |
				     AMDGPU_VM_PAGE_EXECUTABLE);
}

/* One IB chunk plus a BO_HANDLES chunk listing `bos` (none if nbos < 0). */
static int submit(uint32_t ctx, uint32_t ip, uint32_t ring, uint64_t ib_va, uint32_t ndw,
		  const struct buf *const *bos, int nbos, uint64_t *seq)
{
	struct drm_amdgpu_cs_chunk_ib ib = { .ip_type = ip, .ring = ring, .va_start = ib_va,
					     .ib_bytes = ndw * 4 };
	struct drm_amdgpu_bo_list_entry ent[8];
	for (int i = 0; i < nbos; i++)
		ent[i] = (struct drm_amdgpu_bo_list_entry){ .bo_handle = bos[i]->handle };
	struct drm_amdgpu_bo_list_in list = { .bo_number = nbos > 0 ? (uint32_t)nbos : 0,
					      .bo_info_size = sizeof(ent[0]),
					      .bo_info_ptr = (uintptr_t)ent };
	struct drm_amdgpu_cs_chunk chunks[2] = {
		{ .chunk_id = AMDGPU_CHUNK_ID_IB, .length_dw = sizeof(ib) / 4,
		  .chunk_data = (uintptr_t)&ib },
		{ .chunk_id = AMDGPU_CHUNK_ID_BO_HANDLES, .length_dw = sizeof(list) / 4,
		  .chunk_data = (uintptr_t)&list },
	};
	uint64_t ptrs[2] = { (uintptr_t)&chunks[0], (uintptr_t)&chunks[1] };
	union drm_amdgpu_cs cs;
	memset(&cs, 0, sizeof(cs));
	cs.in.ctx_id = ctx;
	cs.in.num_chunks = nbos >= 0 ? 2 : 1;
	cs.in.chunks = (uintptr_t)ptrs;
	int r = xioctl(DRM_IOCTL_AMDGPU_CS, &cs);
	if (r == 0 && seq)
		*seq = cs.out.handle;
	return r;
}

static uint64_t abs_timeout(uint64_t ns)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec + ns;
}

/* WAIT_CS: 0 or -errno; *busy = out.status */
static int wait_cs(uint32_t ctx, uint32_t ip, uint32_t ring, uint64_t seq, uint64_t timeout,
		   uint64_t *busy)
{
	union drm_amdgpu_wait_cs w;
	memset(&w, 0, sizeof(w));
	w.in.handle = seq;
	w.in.timeout = timeout;
	w.in.ip_type = ip;
	w.in.ring = ring;
	w.in.ctx_id = ctx;
	int r = xioctl(DRM_IOCTL_AMDGPU_WAIT_CS, &w);
	if (busy)
		*busy = w.out.status;
	return r;
}

static int run_and_wait(uint32_t ctx, uint32_t ip, const struct buf *ibbuf, uint32_t ndw,
			const struct buf *const *bos, int nbos)
{
	uint64_t seq = 0, busy = 7;
	int r = submit(ctx, ip, 0, ibbuf->va, ndw, bos, nbos, &seq);
	if (r)
		return r;
	r = wait_cs(ctx, ip, 0, seq, abs_timeout(10ull * 1000000000ull), &busy);
	if (r == 0)
		cr_assert_eq(busy, 0, "job not done after the wait");
	return r;
}

/* ---- SDMA -------------------------------------------------------------- */

Test(vgpu_cs, sdma_copy_fill_write_fence_timestamp)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf src = buf_new(65536, AMDGPU_GEM_DOMAIN_VRAM);
	struct buf dst = buf_new(65536, AMDGPU_GEM_DOMAIN_VRAM);
	for (uint32_t i = 0; i < 65536 / 4; i++)
		((uint32_t *)src.cpu)[i] = i * 2654435761u;
	uint32_t *p = ib.cpu, n = 0;
	/* COPY LINEAR: 40000 bytes src -> dst */
	p[n++] = SDMA_HDR(SDMA_OP_COPY, 0);
	p[n++] = 40000 - 1;
	p[n++] = 0;
	p[n++] = LO(src.va); p[n++] = HI(src.va);
	p[n++] = LO(dst.va); p[n++] = HI(dst.va);
	/* CONST_FILL 1024 bytes of 0xdeadbeef at dst+48K */
	p[n++] = SDMA_HDR(SDMA_OP_CONST_FILL, 0) | SDMA_CONST_FILL_FILLSIZE_DW;
	p[n++] = LO(dst.va + 49152); p[n++] = HI(dst.va + 49152);
	p[n++] = 0xdeadbeef;
	p[n++] = 1024 - 1;
	/* WRITE LINEAR 3 dwords at dst+60K */
	p[n++] = SDMA_HDR(SDMA_OP_WRITE, 0);
	p[n++] = LO(dst.va + 61440); p[n++] = HI(dst.va + 61440);
	p[n++] = 3 - 1;
	p[n++] = 0x11111111; p[n++] = 0x22222222; p[n++] = 0x33333333;
	/* NOP with 2 payload dwords, TRAP */
	p[n++] = SDMA_HDR(SDMA_OP_NOP, 0) | (2u << 16);
	p[n++] = 0xffffffff; p[n++] = 0xffffffff;
	p[n++] = SDMA_HDR(SDMA_OP_TRAP, 0);
	p[n++] = 0;
	/* TIMESTAMP GET_GLOBAL at dst+62K */
	p[n++] = SDMA_HDR(SDMA_OP_TIMESTAMP, 2);
	p[n++] = LO(dst.va + 63488); p[n++] = HI(dst.va + 63488);
	/* FENCE 0xfe11ce at dst+64K-4 */
	p[n++] = SDMA_HDR(SDMA_OP_FENCE, 0);
	p[n++] = LO(dst.va + 65532); p[n++] = HI(dst.va + 65532);
	p[n++] = 0xfe11ce;
	const struct buf *bos[] = { &ib, &src, &dst };
	cr_assert_eq(run_and_wait(vgpu_rig_ctx_new(), AMDGPU_HW_IP_DMA, &ib, n, bos, 3), 0);
	cr_assert_eq(memcmp(dst.cpu, src.cpu, 40000), 0, "COPY LINEAR result differs");
	cr_assert_eq(((uint8_t *)dst.cpu)[40000], 0, "COPY LINEAR wrote past its count");
	for (int i = 0; i < 256; i++)
		cr_assert_eq(((uint32_t *)dst.cpu)[49152 / 4 + i], 0xdeadbeef);
	cr_assert_eq(((uint32_t *)dst.cpu)[49152 / 4 + 256], 0);
	cr_assert_eq(((uint32_t *)dst.cpu)[61440 / 4 + 0], 0x11111111);
	cr_assert_eq(((uint32_t *)dst.cpu)[61440 / 4 + 2], 0x33333333);
	cr_assert_neq(*(uint64_t *)((char *)dst.cpu + 63488), 0, "TIMESTAMP not written");
	cr_assert_eq(((uint32_t *)dst.cpu)[65532 / 4], 0xfe11ce);
}

Test(vgpu_cs, amdgpu_seq_numbers_start_at_one_and_grow)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	((uint32_t *)ib.cpu)[0] = SDMA_HDR(SDMA_OP_NOP, 0);
	const struct buf *bos[] = { &ib };
	uint32_t ctx = vgpu_rig_ctx_new();
	uint64_t s1, s2;
	cr_assert_eq(submit(ctx, AMDGPU_HW_IP_DMA, 0, ib.va, 1, bos, 1, &s1), 0);
	cr_assert_eq(submit(ctx, AMDGPU_HW_IP_DMA, 0, ib.va, 1, bos, 1, &s2), 0);
	cr_assert_eq(s1, 1);
	cr_assert_eq(s2, 2);
	/* a seq not emitted yet: amdgpu_ctx_get_fence -> -EINVAL */
	cr_assert_eq(wait_cs(ctx, AMDGPU_HW_IP_DMA, 0, 3, 0, NULL), -EINVAL);
	uint64_t busy;
	cr_assert_eq(wait_cs(ctx, AMDGPU_HW_IP_DMA, 0, 2, abs_timeout(5000000000ull), &busy), 0);
	cr_assert_eq(busy, 0);
}

/* ---- PM4 --------------------------------------------------------------- */

static uint32_t emit_write_data(uint32_t *p, uint64_t va, const uint32_t *v, uint32_t nv)
{
	uint32_t n = 0;
	p[n++] = PACKET3(PKT3_WRITE_DATA, 2 + nv);
	p[n++] = WRITE_DATA_DST_SEL(5) | WR_CONFIRM;
	p[n++] = LO(va);
	p[n++] = HI(va);
	for (uint32_t i = 0; i < nv; i++)
		p[n++] = v[i];
	return n;
}

static uint32_t emit_release_mem(uint32_t *p, uint64_t va, uint32_t data_sel, uint64_t value)
{
	uint32_t n = 0;
	p[n++] = PACKET3(PKT3_RELEASE_MEM, 6);
	p[n++] = RELEASE_MEM_EVENT_TYPE(CACHE_FLUSH_AND_INV_TS_EVENT) | RELEASE_MEM_EVENT_INDEX(5);
	p[n++] = RELEASE_MEM_DATA_SEL(data_sel);
	p[n++] = LO(va);
	p[n++] = HI(va);
	p[n++] = LO(value);
	p[n++] = HI(value);
	p[n++] = 0;
	return n;
}

Test(vgpu_cs, pm4_write_data_release_mem_dma_data)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf out = buf_new(8192, AMDGPU_GEM_DOMAIN_VRAM);
	uint32_t *p = ib.cpu, n = 0;
	static const uint32_t v[3] = { 0xa1, 0xb2, 0xc3 };
	/* ACQUIRE_MEM (8 dwords on gfx11) */
	p[n++] = PACKET3(PKT3_ACQUIRE_MEM, 6);
	for (int i = 0; i < 7; i++)
		p[n++] = 0;
	n += emit_write_data(p + n, out.va, v, 3);
	p[n++] = PACKET3(PKT3_EVENT_WRITE, 0);
	p[n++] = CS_PARTIAL_FLUSH | (4 << 8);
	n += emit_release_mem(p + n, out.va + 16, 2, 0x1122334455667788ull);
	n += emit_release_mem(p + n, out.va + 32, 1, 0xcafe);
	/* DMA_DATA fill 64 bytes of 0x5a5a5a5a at +4096, then copy them to +6144 */
	p[n++] = PACKET3(PKT3_DMA_DATA, 5);
	p[n++] = DMA_DATA_SRC_SEL(2) | DMA_DATA_DST_SEL(0);
	p[n++] = 0x5a5a5a5a; p[n++] = 0;
	p[n++] = LO(out.va + 4096); p[n++] = HI(out.va + 4096);
	p[n++] = 64;
	p[n++] = PACKET3(PKT3_DMA_DATA, 5);
	p[n++] = DMA_DATA_SRC_SEL(0) | DMA_DATA_DST_SEL(0);
	p[n++] = LO(out.va + 4096); p[n++] = HI(out.va + 4096);
	p[n++] = LO(out.va + 6144); p[n++] = HI(out.va + 6144);
	p[n++] = 64;
	/* the one-dword gfx11 filler NOP */
	p[n++] = 0xffff1000;
	const struct buf *bos[] = { &ib, &out };
	cr_assert_eq(run_and_wait(vgpu_rig_ctx_new(), AMDGPU_HW_IP_COMPUTE, &ib, n, bos, 2), 0);
	uint32_t *o = out.cpu;
	cr_assert_eq(o[0], 0xa1);
	cr_assert_eq(o[2], 0xc3);
	cr_assert_eq(*(uint64_t *)(o + 4), 0x1122334455667788ull);
	cr_assert_eq(o[8], 0xcafe);
	cr_assert_eq(o[9], 0, "DATA_SEL 1 writes only the low 32 bits");
	cr_assert_eq(o[6144 / 4 + 15], 0x5a5a5a5a);
	cr_assert_eq(o[6144 / 4 + 16], 0);
}

/* HW_IP_INFO advertises one GFX ring: the same CP runs compute-style
 * packets there; GFX ring 1 does not exist (amdgpu_ctx_num_entities). */
Test(vgpu_cs, gfx_ring_runs_the_same_packets)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf out = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	static const uint32_t v[2] = { 0x9f, 0xa0 };
	uint32_t n = emit_write_data(ib.cpu, out.va, v, 2);
	n += emit_release_mem((uint32_t *)ib.cpu + n, out.va + 8, 1, 0x77);
	const struct buf *bos[] = { &ib, &out };
	uint32_t ctx = vgpu_rig_ctx_new();
	cr_assert_eq(run_and_wait(ctx, AMDGPU_HW_IP_GFX, &ib, n, bos, 2), 0);
	cr_assert_eq(((uint32_t *)out.cpu)[1], 0xa0);
	cr_assert_eq(((uint32_t *)out.cpu)[2], 0x77);
	cr_assert_eq(submit(ctx, AMDGPU_HW_IP_GFX, 1, ib.va, n, bos, 2, NULL), -EINVAL);
	/* an absolute timeout already past is a poll: done, status 0 */
	cr_assert_eq(wait_cs(ctx, AMDGPU_HW_IP_GFX, 0, 1, 1, NULL), 0);
}

Test(vgpu_cs, pm4_chained_indirect_buffer)
{
	/* GTT, mapped RWX, both listed, compute ring: the rig's own case */
	struct rig_buf *ib = vgpu_rig_buf_new(8192);
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	uint32_t *ib2 = (uint32_t *)ib->cpu + 1024;
	static const uint32_t v[1] = { 0x1b2 };
	uint32_t n2 = emit_write_data(ib2, out->va + 4, v, 1);
	uint32_t *p = ib->cpu, n = 0;
	p[n++] = PACKET3(PKT3_INDIRECT_BUFFER, 2);
	p[n++] = LO(ib->va + 4096);
	p[n++] = HI(ib->va + 4096) & 0xffff;
	p[n++] = n2;
	static const uint32_t w[1] = { 0x1b1 };
	n += emit_write_data(p + n, out->va, w, 1);
	cr_assert_eq(vgpu_rig_submit_compute(vgpu_rig_ctx_new(), ib, n), 0);
	cr_assert_eq(((uint32_t *)out->cpu)[0], 0x1b1);
	cr_assert_eq(((uint32_t *)out->cpu)[1], 0x1b2);
}

Test(vgpu_cs, wait_cs_timeout_zero_sees_unfinished_job)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf mem = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	volatile uint32_t *m = mem.cpu;
	uint32_t *p = ib.cpu, n = 0;
	/* wait until mem[0] == 1, then write 0x77 to mem[1] */
	p[n++] = PACKET3(PKT3_WAIT_REG_MEM, 5);
	p[n++] = WAIT_REG_MEM_FUNCTION(3) | WAIT_REG_MEM_MEM_SPACE(1);
	p[n++] = LO(mem.va); p[n++] = HI(mem.va);
	p[n++] = 1; p[n++] = 0xffffffff; p[n++] = 4;
	static const uint32_t v[1] = { 0x77 };
	n += emit_write_data(p + n, mem.va + 4, v, 1);
	const struct buf *bos[] = { &ib, &mem };
	uint32_t ctx = vgpu_rig_ctx_new();
	uint64_t seq, busy = 0;
	cr_assert_eq(submit(ctx, AMDGPU_HW_IP_COMPUTE, 0, ib.va, n, bos, 2, &seq), 0);
	cr_assert_eq(wait_cs(ctx, AMDGPU_HW_IP_COMPUTE, 0, seq, 0, &busy), 0);
	cr_assert_eq(busy, 1, "timeout 0 on a waiting job must report busy");
	cr_assert_eq(m[1], 0, "result visible before the job could run");
	union drm_amdgpu_gem_wait_idle wi;
	memset(&wi, 0, sizeof(wi));
	wi.in.handle = mem.handle;
	wi.in.timeout = 0;
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_GEM_WAIT_IDLE, &wi), 0);
	cr_assert_eq(wi.out.status, 1, "GEM_WAIT_IDLE: the BO is in use by the job");
	m[0] = 1;
	cr_assert_eq(wait_cs(ctx, AMDGPU_HW_IP_COMPUTE, 0, seq, abs_timeout(5000000000ull), &busy), 0);
	cr_assert_eq(busy, 0);
	cr_assert_eq(m[1], 0x77);
	memset(&wi, 0, sizeof(wi));
	wi.in.handle = mem.handle;
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_GEM_WAIT_IDLE, &wi), 0);
	cr_assert_eq(wi.out.status, 0);
	/* WAIT_FENCES, all and any, on the finished job */
	struct drm_amdgpu_fence fe = { .ctx_id = ctx, .ip_type = AMDGPU_HW_IP_COMPUTE, .seq_no = seq };
	union drm_amdgpu_wait_fences wf;
	memset(&wf, 0, sizeof(wf));
	wf.in.fences = (uintptr_t)&fe;
	wf.in.fence_count = 1;
	wf.in.wait_all = 1;
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_WAIT_FENCES, &wf), 0);
	cr_assert_eq(wf.out.status, 1);
	memset(&wf, 0, sizeof(wf));
	wf.in.fences = (uintptr_t)&fe;
	wf.in.fence_count = 1;
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_WAIT_FENCES, &wf), 0);
	cr_assert_eq(wf.out.status, 1);
	cr_assert_eq(wf.out.first_signaled, 0);
}

struct waiter {
	uint32_t ctx;
	uint64_t seq;
	int r;
	uint64_t busy;
};

static void *wait_thread(void *arg)
{
	struct waiter *w = arg;
	w->r = wait_cs(w->ctx, AMDGPU_HW_IP_COMPUTE, 0, w->seq, abs_timeout(10000000000ull), &w->busy);
	return NULL;
}

/* The kernel runs ioctls of one file concurrently: a thread blocked in
 * WAIT_CS must not keep another from submitting the job that releases it. */
Test(vgpu_cs, submit_while_another_thread_waits_on_the_same_file)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf mem = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	uint32_t *p = ib.cpu, n = 0;
	p[n++] = PACKET3(PKT3_WAIT_REG_MEM, 5);
	p[n++] = WAIT_REG_MEM_FUNCTION(3) | WAIT_REG_MEM_MEM_SPACE(1);
	p[n++] = LO(mem.va); p[n++] = HI(mem.va);
	p[n++] = 0x600d; p[n++] = 0xffffffff; p[n++] = 4;
	uint32_t *q = (uint32_t *)ib.cpu + 512, m = 0;
	q[m++] = SDMA_HDR(SDMA_OP_FENCE, 0);
	q[m++] = LO(mem.va); q[m++] = HI(mem.va);
	q[m++] = 0x600d;
	const struct buf *bos[] = { &ib, &mem };
	struct waiter w = { .ctx = vgpu_rig_ctx_new(), .r = 1 };
	cr_assert_eq(submit(w.ctx, AMDGPU_HW_IP_COMPUTE, 0, ib.va, n, bos, 2, &w.seq), 0);
	pthread_t t;
	cr_assert_eq(pthread_create(&t, NULL, wait_thread, &w), 0);
	struct timespec ts = { 0, 50000000 };
	nanosleep(&ts, NULL);
	uint32_t dma_ctx = vgpu_rig_ctx_new();
	uint64_t s2;
	cr_assert_eq(submit(dma_ctx, AMDGPU_HW_IP_DMA, 0, ib.va + 2048, m, bos, 2, &s2), 0);
	pthread_join(t, NULL);
	cr_assert_eq(w.r, 0);
	cr_assert_eq(w.busy, 0, "the compute job finished once the SDMA job released it");
}

/* ---- faults and guilty contexts ---------------------------------------- */

static void expect_guilty_after(uint32_t ip, const struct buf *ib, uint32_t ndw,
				const struct buf *const *bos, int nbos)
{
	uint32_t ctx = vgpu_rig_ctx_new(), other = vgpu_rig_ctx_new();
	uint64_t seq;
	cr_assert_eq(submit(ctx, ip, 0, ib->va, ndw, bos, nbos, &seq), 0);
	cr_assert_eq(wait_cs(ctx, ip, 0, seq, abs_timeout(10000000000ull), NULL), -ECANCELED,
		     "WAIT_CS on a faulted job reports the fence error");
	uint32_t fl = vgpu_rig_ctx_flags(ctx);
	cr_assert(fl & AMDGPU_CTX_QUERY2_FLAGS_GUILTY, "flags 0x%x", fl);
	cr_assert(fl & AMDGPU_CTX_QUERY2_FLAGS_RESET, "flags 0x%x", fl);
	/* an innocent context sees the reset, but is not guilty */
	fl = vgpu_rig_ctx_flags(other);
	cr_assert(fl & AMDGPU_CTX_QUERY2_FLAGS_RESET);
	cr_assert_not(fl & AMDGPU_CTX_QUERY2_FLAGS_GUILTY);
	/* amdgpu_cs_parser_init: a guilty context's submissions are cancelled */
	cr_assert_eq(submit(ctx, ip, 0, ib->va, ndw, bos, nbos, NULL), -ECANCELED);
	/* a new context works */
	struct buf ib2 = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf out = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	uint32_t *p = ib2.cpu, n = 0;
	if (ip == AMDGPU_HW_IP_DMA) {
		p[n++] = SDMA_HDR(SDMA_OP_FENCE, 0);
		p[n++] = LO(out.va); p[n++] = HI(out.va);
		p[n++] = 5;
	} else {
		n = emit_release_mem(p, out.va, 1, 5);
	}
	const struct buf *bos2[] = { &ib2, &out };
	uint32_t fresh = vgpu_rig_ctx_new();
	cr_assert_eq(run_and_wait(fresh, ip, &ib2, n, bos2, 2), 0);
	cr_assert_eq(((uint32_t *)out.cpu)[0], 5);
	cr_assert_eq(vgpu_rig_ctx_flags(fresh), 0);
}

Test(vgpu_cs, sdma_write_to_unmapped_address_is_a_vm_fault)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	uint32_t *p = ib.cpu, n = 0;
	p[n++] = SDMA_HDR(SDMA_OP_WRITE, 0);
	p[n++] = LO(0x7f0000000ull); p[n++] = HI(0x7f0000000ull);
	p[n++] = 0;
	p[n++] = 1;
	const struct buf *bos[] = { &ib };
	expect_guilty_after(AMDGPU_HW_IP_DMA, &ib, n, bos, 1);
}

Test(vgpu_cs, sdma_unknown_op_faults)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	((uint32_t *)ib.cpu)[0] = SDMA_HDR(SDMA_OP_COPY, 1); /* tiled copy: not modelled */
	const struct buf *bos[] = { &ib };
	expect_guilty_after(AMDGPU_HW_IP_DMA, &ib, 13, bos, 1);
}

/* sdma_v6_0_ring_emit_ib masks the IB address to 32 bytes */
Test(vgpu_cs, sdma_ib_not_32_byte_aligned_faults)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	((uint32_t *)ib.cpu)[1] = SDMA_HDR(SDMA_OP_NOP, 0);
	struct buf shifted = ib;
	shifted.va += 4;
	const struct buf *bos[] = { &ib };
	expect_guilty_after(AMDGPU_HW_IP_DMA, &shifted, 1, bos, 1);
}

Test(vgpu_cs, pm4_unknown_opcode_faults)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	((uint32_t *)ib.cpu)[0] = PACKET3(0x7f, 0);
	const struct buf *bos[] = { &ib };
	expect_guilty_after(AMDGPU_HW_IP_COMPUTE, &ib, 2, bos, 1);
}

Test(vgpu_cs, pm4_wrong_packet_size_faults)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	((uint32_t *)ib.cpu)[0] = PACKET3(PKT3_RELEASE_MEM, 5);
	const struct buf *bos[] = { &ib };
	expect_guilty_after(AMDGPU_HW_IP_COMPUTE, &ib, 7, bos, 1);
}

Test(vgpu_cs, write_to_read_only_mapping_faults)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf ro = buf_new_flags(4096, AMDGPU_GEM_DOMAIN_GTT, AMDGPU_VM_PAGE_READABLE);
	static const uint32_t v[1] = { 1 };
	uint32_t n = emit_write_data(ib.cpu, ro.va, v, 1);
	const struct buf *bos[] = { &ib, &ro };
	expect_guilty_after(AMDGPU_HW_IP_COMPUTE, &ib, n, bos, 2);
	cr_assert_eq(((uint32_t *)ro.cpu)[0], 0);
}

/* A dispatch whose state is incomplete (no COMPUTE_NUM_THREAD_X/Y/Z ever
 * written) must fault before any shader runs. */
Test(vgpu_cs, dispatch_with_incomplete_state_faults)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	uint32_t *p = ib.cpu, n = 0;
	/* COMPUTE_PGM_LO/HI (SH offset 0x20c), RSRC1/2 (0x212), USER_DATA_0..1 */
	p[n++] = PACKET3(PKT3_SET_SH_REG, 2);
	p[n++] = 0x20c; p[n++] = (uint32_t)(ib.va >> 8); p[n++] = (uint32_t)(ib.va >> 40);
	p[n++] = PACKET3(PKT3_SET_SH_REG, 2);
	p[n++] = 0x212; p[n++] = 0; p[n++] = 2u << 1; /* USER_SGPR = 2 */
	p[n++] = PACKET3(PKT3_SET_SH_REG, 2);
	p[n++] = 0x240; p[n++] = 0; p[n++] = 0;
	p[n++] = PACKET3(PKT3_DISPATCH_DIRECT, 3);
	p[n++] = 1; p[n++] = 1; p[n++] = 1; p[n++] = 1;
	const struct buf *bos[] = { &ib };
	expect_guilty_after(AMDGPU_HW_IP_COMPUTE, &ib, n, bos, 1);
}

Test(vgpu_cs, set_sh_reg_outside_compute_registers_faults)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	uint32_t *p = ib.cpu;
	p[0] = PACKET3(PKT3_SET_SH_REG, 1);
	p[1] = 0x0c; /* SPI_SHADER_PGM_LO_PS-ish: a graphics register */
	p[2] = 0;
	const struct buf *bos[] = { &ib };
	expect_guilty_after(AMDGPU_HW_IP_COMPUTE, &ib, 3, bos, 1);
}

Test(vgpu_cs, strict_bo_list_faults_on_unlisted_bo)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf out = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	uint32_t *p = ib.cpu, n = 0;
	p[n++] = SDMA_HDR(SDMA_OP_FENCE, 0);
	p[n++] = LO(out.va); p[n++] = HI(out.va);
	p[n++] = 9;
	const struct buf *bos[] = { &ib };
	expect_guilty_after(AMDGPU_HW_IP_DMA, &ib, n, bos, 1);
	cr_assert_eq(((uint32_t *)out.cpu)[0], 0);
	const struct buf *both[] = { &ib, &out };
	cr_assert_eq(run_and_wait(vgpu_rig_ctx_new(), AMDGPU_HW_IP_DMA, &ib, n, both, 2), 0);
	cr_assert_eq(((uint32_t *)out.cpu)[0], 9);
	/* a VM_ALWAYS_VALID BO needs no list entry */
	struct buf av = buf_new_create(4096, AMDGPU_GEM_DOMAIN_GTT,
				       AMDGPU_VM_PAGE_READABLE | AMDGPU_VM_PAGE_WRITEABLE,
				       AMDGPU_GEM_CREATE_VM_ALWAYS_VALID);
	uint32_t *p2 = (uint32_t *)ib.cpu + 256, n2 = 0;
	p2[n2++] = SDMA_HDR(SDMA_OP_FENCE, 0);
	p2[n2++] = LO(av.va); p2[n2++] = HI(av.va);
	p2[n2++] = 10;
	uint64_t seq, busy = 1;
	uint32_t c2 = vgpu_rig_ctx_new();
	cr_assert_eq(submit(c2, AMDGPU_HW_IP_DMA, 0, ib.va + 1024, n2, bos, 1, &seq), 0);
	cr_assert_eq(wait_cs(c2, AMDGPU_HW_IP_DMA, 0, seq, abs_timeout(5000000000ull), &busy), 0);
	cr_assert_eq(busy, 0);
	cr_assert_eq(((uint32_t *)av.cpu)[0], 10);
}

Test(vgpu_cs, watchdog_turns_a_hang_into_a_guilty_context)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf mem = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	uint32_t *p = ib.cpu, n = 0;
	/* POLL_REGMEM mem[0] == 1 forever (retry count 0xfff) */
	p[n++] = SDMA_HDR(SDMA_OP_POLL_REGMEM, 0) | (3u << 28) | (1u << 31);
	p[n++] = LO(mem.va); p[n++] = HI(mem.va);
	p[n++] = 1; p[n++] = 0xffffffff; p[n++] = (0xfffu << 16) | 10;
	const struct buf *bos[] = { &ib, &mem };
	expect_guilty_after(AMDGPU_HW_IP_DMA, &ib, n, bos, 2);
}

/* ---- CS validation (amdgpu_cs_parser_init / pass1 / pass2) ------------- */

Test(vgpu_cs, cs_rejects_like_the_kernel)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	((uint32_t *)ib.cpu)[0] = SDMA_HDR(SDMA_OP_NOP, 0);
	const struct buf *bos[] = { &ib };
	uint32_t ctx = vgpu_rig_ctx_new();
	/* unknown context */
	cr_assert_eq(submit(ctx + 100, AMDGPU_HW_IP_DMA, 0, ib.va, 1, bos, 1, NULL), -EINVAL);
	/* ip type out of range, bad ring, bad instance, an IP without rings */
	cr_assert_eq(submit(ctx, AMDGPU_HW_IP_NUM, 0, ib.va, 1, bos, 1, NULL), -EINVAL);
	cr_assert_eq(submit(ctx, AMDGPU_HW_IP_COMPUTE, 4, ib.va, 1, bos, 1, NULL), -EINVAL);
	cr_assert_eq(submit(ctx, AMDGPU_HW_IP_DMA, 2, ib.va, 1, bos, 1, NULL), -EINVAL);
	cr_assert_eq(submit(ctx, AMDGPU_HW_IP_VCN_DEC, 0, ib.va, 1, bos, 1, NULL), -EINVAL);
	/* num_chunks == 0 */
	union drm_amdgpu_cs cs;
	memset(&cs, 0, sizeof(cs));
	cs.in.ctx_id = ctx;
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_CS, &cs), -EINVAL);
	/* an unknown chunk id, a short IB chunk, no IB at all */
	struct drm_amdgpu_cs_chunk_ib ibc = { .ip_type = AMDGPU_HW_IP_DMA, .va_start = ib.va, .ib_bytes = 4 };
	struct drm_amdgpu_cs_chunk ch = { .chunk_id = 0x42, .length_dw = sizeof(ibc) / 4,
					  .chunk_data = (uintptr_t)&ibc };
	uint64_t ptr = (uintptr_t)&ch;
	cs.in.num_chunks = 1;
	cs.in.chunks = (uintptr_t)&ptr;
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_CS, &cs), -EINVAL);
	ch.chunk_id = AMDGPU_CHUNK_ID_IB;
	ch.length_dw = 2;
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_CS, &cs), -EINVAL);
	struct drm_amdgpu_bo_list_entry ent = { .bo_handle = ib.handle };
	struct drm_amdgpu_bo_list_in list = { .bo_number = 1, .bo_info_size = sizeof(ent),
					      .bo_info_ptr = (uintptr_t)&ent };
	ch.chunk_id = AMDGPU_CHUNK_ID_BO_HANDLES;
	ch.length_dw = sizeof(list) / 4;
	ch.chunk_data = (uintptr_t)&list;
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_CS, &cs), -EINVAL, "no IB: gang_size 0");
	/* a BO_HANDLES chunk naming an unknown handle: drm_gem_object_lookup */
	ent.bo_handle = 999;
	struct drm_amdgpu_cs_chunk chs[2] = {
		{ .chunk_id = AMDGPU_CHUNK_ID_IB, .length_dw = sizeof(ibc) / 4, .chunk_data = (uintptr_t)&ibc },
		{ .chunk_id = AMDGPU_CHUNK_ID_BO_HANDLES, .length_dw = sizeof(list) / 4, .chunk_data = (uintptr_t)&list },
	};
	uint64_t ptrs[2] = { (uintptr_t)&chs[0], (uintptr_t)&chs[1] };
	cs.in.num_chunks = 2;
	cs.in.chunks = (uintptr_t)ptrs;
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_CS, &cs), -ENOENT);
	/* BO_HANDLES chunk and a bo_list_handle together */
	ent.bo_handle = ib.handle;
	union drm_amdgpu_bo_list bl;
	memset(&bl, 0, sizeof(bl));
	bl.in.operation = AMDGPU_BO_LIST_OP_CREATE;
	bl.in.bo_number = 1;
	bl.in.bo_info_size = sizeof(ent);
	bl.in.bo_info_ptr = (uintptr_t)&ent;
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_BO_LIST, &bl), 0);
	cs.in.bo_list_handle = bl.out.list_handle;
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_CS, &cs), -EINVAL);
	/* the list alone works; an unknown list handle is -ENOENT */
	cs.in.num_chunks = 1;
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_CS, &cs), 0);
	cr_assert_eq(cs.out.handle, 1);
	memset(&cs.out, 0, sizeof(cs.out));
	cs.in.ctx_id = ctx;
	cs.in.num_chunks = 1;
	cs.in.chunks = (uintptr_t)ptrs;
	cs.in.bo_list_handle = 77;
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_CS, &cs), -ENOENT);
	/* two user fence chunks; a user fence BO that is not one page */
	struct drm_amdgpu_cs_chunk_fence fc = { .handle = ib.handle, .offset = 0 };
	struct drm_amdgpu_cs_chunk fch[3] = {
		{ .chunk_id = AMDGPU_CHUNK_ID_IB, .length_dw = sizeof(ibc) / 4, .chunk_data = (uintptr_t)&ibc },
		{ .chunk_id = AMDGPU_CHUNK_ID_FENCE, .length_dw = sizeof(fc) / 4, .chunk_data = (uintptr_t)&fc },
		{ .chunk_id = AMDGPU_CHUNK_ID_FENCE, .length_dw = sizeof(fc) / 4, .chunk_data = (uintptr_t)&fc },
	};
	uint64_t fptrs[3] = { (uintptr_t)&fch[0], (uintptr_t)&fch[1], (uintptr_t)&fch[2] };
	memset(&cs, 0, sizeof(cs));
	cs.in.ctx_id = ctx;
	cs.in.num_chunks = 3;
	cs.in.chunks = (uintptr_t)fptrs;
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_CS, &cs), -EINVAL);
	struct buf big = buf_new(8192, AMDGPU_GEM_DOMAIN_GTT);
	fc.handle = big.handle;
	cs.in.num_chunks = 2;
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_CS, &cs), -EINVAL);
	fc.handle = 999;
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_CS, &cs), -EINVAL);
	/* WAIT_CS on an unknown context, a bad ring */
	cr_assert_eq(wait_cs(ctx + 100, AMDGPU_HW_IP_DMA, 0, 1, 0, NULL), -EINVAL);
	cr_assert_eq(wait_cs(ctx, AMDGPU_HW_IP_DMA, 5, 1, 0, NULL), -EINVAL);
}

/* A DMA job depending (DEPENDENCIES chunk) on a compute job that waits
 * for the CPU: the DMA job cannot finish first. */
Test(vgpu_cs, dependency_on_another_ring_orders_jobs)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf mem = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	volatile uint32_t *m = mem.cpu;
	uint32_t *p = ib.cpu, n = 0;
	p[n++] = PACKET3(PKT3_WAIT_REG_MEM, 5);
	p[n++] = WAIT_REG_MEM_FUNCTION(3) | WAIT_REG_MEM_MEM_SPACE(1);
	p[n++] = LO(mem.va); p[n++] = HI(mem.va);
	p[n++] = 1; p[n++] = 0xffffffff; p[n++] = 4;
	uint32_t *q = (uint32_t *)ib.cpu + 512, k = 0;
	q[k++] = SDMA_HDR(SDMA_OP_FENCE, 0);
	q[k++] = LO(mem.va + 8); q[k++] = HI(mem.va + 8);
	q[k++] = 0xd0e;
	const struct buf *bos[] = { &ib, &mem };
	uint32_t ctx = vgpu_rig_ctx_new();
	uint64_t sa, sb, busy = 0;
	cr_assert_eq(submit(ctx, AMDGPU_HW_IP_COMPUTE, 0, ib.va, n, bos, 2, &sa), 0);

	struct drm_amdgpu_cs_chunk_ib ibc = { .ip_type = AMDGPU_HW_IP_DMA, .va_start = ib.va + 2048,
					      .ib_bytes = k * 4 };
	struct drm_amdgpu_cs_chunk_dep dep = { .ip_type = AMDGPU_HW_IP_COMPUTE, .ctx_id = ctx,
					       .handle = sa };
	struct drm_amdgpu_bo_list_entry ent[2] = { { .bo_handle = ib.handle }, { .bo_handle = mem.handle } };
	struct drm_amdgpu_bo_list_in list = { .bo_number = 2, .bo_info_size = sizeof(ent[0]),
					      .bo_info_ptr = (uintptr_t)ent };
	struct drm_amdgpu_cs_chunk ch[3] = {
		{ .chunk_id = AMDGPU_CHUNK_ID_IB, .length_dw = sizeof(ibc) / 4, .chunk_data = (uintptr_t)&ibc },
		{ .chunk_id = AMDGPU_CHUNK_ID_DEPENDENCIES, .length_dw = sizeof(dep) / 4, .chunk_data = (uintptr_t)&dep },
		{ .chunk_id = AMDGPU_CHUNK_ID_BO_HANDLES, .length_dw = sizeof(list) / 4, .chunk_data = (uintptr_t)&list },
	};
	uint64_t ptrs[3] = { (uintptr_t)&ch[0], (uintptr_t)&ch[1], (uintptr_t)&ch[2] };
	union drm_amdgpu_cs cs;
	memset(&cs, 0, sizeof(cs));
	cs.in.ctx_id = ctx;
	cs.in.num_chunks = 3;
	cs.in.chunks = (uintptr_t)ptrs;
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_CS, &cs), 0);
	sb = cs.out.handle;
	struct timespec ts = { 0, 30000000 };
	nanosleep(&ts, NULL);
	cr_assert_eq(wait_cs(ctx, AMDGPU_HW_IP_DMA, 0, sb, 0, &busy), 0);
	cr_assert_eq(busy, 1, "the DMA job ran before its dependency");
	cr_assert_eq(m[2], 0);
	/* another context's DMA job on the same ring is not held up by it */
	uint32_t *q2 = (uint32_t *)ib.cpu + 768, k2 = 0;
	q2[k2++] = SDMA_HDR(SDMA_OP_FENCE, 0);
	q2[k2++] = LO(mem.va + 12); q2[k2++] = HI(mem.va + 12);
	q2[k2++] = 0xf1;
	uint32_t other = vgpu_rig_ctx_new();
	uint64_t so;
	cr_assert_eq(submit(other, AMDGPU_HW_IP_DMA, 0, ib.va + 3072, k2, bos, 2, &so), 0);
	cr_assert_eq(wait_cs(other, AMDGPU_HW_IP_DMA, 0, so, abs_timeout(5000000000ull), &busy), 0);
	cr_assert_eq(busy, 0, "a blocked entity held up another one on its ring");
	cr_assert_eq(m[3], 0xf1);
	cr_assert_eq(m[2], 0);
	/* a dependency on a seq not submitted yet: amdgpu_ctx_get_fence */
	dep.handle = sa + 5;
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_CS, &cs), -EINVAL);
	m[0] = 1;
	cr_assert_eq(wait_cs(ctx, AMDGPU_HW_IP_DMA, 0, sb, abs_timeout(5000000000ull), &busy), 0);
	cr_assert_eq(busy, 0);
	cr_assert_eq(m[2], 0xd0e);
	/* FENCE_TO_HANDLE of the finished job: a signaled syncobj */
	union drm_amdgpu_fence_to_handle fth;
	memset(&fth, 0, sizeof(fth));
	fth.in.fence = (struct drm_amdgpu_fence){ .ctx_id = ctx, .ip_type = AMDGPU_HW_IP_DMA, .seq_no = sb };
	fth.in.what = AMDGPU_FENCE_TO_HANDLE_GET_SYNCOBJ;
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_FENCE_TO_HANDLE, &fth), 0);
	uint32_t h = fth.out.handle;
	cr_assert_eq(drmSyncobjWait(fd, &h, 1, 0, 0, NULL), 0);
	cr_assert_eq(drmSyncobjDestroy(fd, h), 0);
	fth.in.what = 77;
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_FENCE_TO_HANDLE, &fth), -EINVAL);
	/* BO_HANDLES with more than AMDGPU_BO_LIST_MAX_ENTRIES entries */
	dep.handle = sa;
	list.bo_number = 128 * 1024 + 1;
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_CS, &cs), -EINVAL);
}

Test(vgpu_cs, user_fence_gets_the_sequence_number)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf uf = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	((uint32_t *)ib.cpu)[0] = SDMA_HDR(SDMA_OP_NOP, 0);
	struct drm_amdgpu_cs_chunk_ib ibc = { .ip_type = AMDGPU_HW_IP_DMA, .va_start = ib.va, .ib_bytes = 4 };
	struct drm_amdgpu_cs_chunk_fence fc = { .handle = uf.handle, .offset = 64 };
	struct drm_amdgpu_bo_list_entry ent = { .bo_handle = ib.handle };
	struct drm_amdgpu_bo_list_in list = { .bo_number = 1, .bo_info_size = sizeof(ent),
					      .bo_info_ptr = (uintptr_t)&ent };
	struct drm_amdgpu_cs_chunk ch[3] = {
		{ .chunk_id = AMDGPU_CHUNK_ID_IB, .length_dw = sizeof(ibc) / 4, .chunk_data = (uintptr_t)&ibc },
		{ .chunk_id = AMDGPU_CHUNK_ID_FENCE, .length_dw = sizeof(fc) / 4, .chunk_data = (uintptr_t)&fc },
		{ .chunk_id = AMDGPU_CHUNK_ID_BO_HANDLES, .length_dw = sizeof(list) / 4, .chunk_data = (uintptr_t)&list },
	};
	uint64_t ptrs[3] = { (uintptr_t)&ch[0], (uintptr_t)&ch[1], (uintptr_t)&ch[2] };
	uint32_t ctx = vgpu_rig_ctx_new();
	for (int i = 0; i < 3; i++) {
		union drm_amdgpu_cs cs;
		memset(&cs, 0, sizeof(cs));
		cs.in.ctx_id = ctx;
		cs.in.num_chunks = 3;
		cs.in.chunks = (uintptr_t)ptrs;
		cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_CS, &cs), 0);
	}
	cr_assert_eq(wait_cs(ctx, AMDGPU_HW_IP_DMA, 0, 3, abs_timeout(5000000000ull), NULL), 0);
	cr_assert_eq(*(uint64_t *)((char *)uf.cpu + 64), 3);
}

/* ---- syncobjs holding job fences (SYNCOBJ_IN/OUT, timelines) ----------- */

/* A CS of one IB plus `extra` chunks (syncobj chunks) and the BO list. */
static int submit_with(uint32_t ctx, uint32_t ip, uint64_t ib_va, uint32_t ndw,
		       const struct buf *const *bos, int nbos,
		       const struct drm_amdgpu_cs_chunk *extra, int nextra, uint64_t *seq)
{
	struct drm_amdgpu_cs_chunk_ib ib = { .ip_type = ip, .va_start = ib_va, .ib_bytes = ndw * 4 };
	struct drm_amdgpu_bo_list_entry ent[8];
	for (int i = 0; i < nbos; i++)
		ent[i] = (struct drm_amdgpu_bo_list_entry){ .bo_handle = bos[i]->handle };
	struct drm_amdgpu_bo_list_in list = { .bo_number = (uint32_t)nbos,
					      .bo_info_size = sizeof(ent[0]),
					      .bo_info_ptr = (uintptr_t)ent };
	struct drm_amdgpu_cs_chunk ch[8] = {
		{ .chunk_id = AMDGPU_CHUNK_ID_IB, .length_dw = sizeof(ib) / 4, .chunk_data = (uintptr_t)&ib },
		{ .chunk_id = AMDGPU_CHUNK_ID_BO_HANDLES, .length_dw = sizeof(list) / 4,
		  .chunk_data = (uintptr_t)&list },
	};
	uint64_t ptrs[8];
	cr_assert_leq(nextra, 6);
	for (int i = 0; i < nextra; i++)
		ch[2 + i] = extra[i];
	for (int i = 0; i < 2 + nextra; i++)
		ptrs[i] = (uintptr_t)&ch[i];
	union drm_amdgpu_cs cs;
	memset(&cs, 0, sizeof(cs));
	cs.in.ctx_id = ctx;
	cs.in.num_chunks = 2 + (uint32_t)nextra;
	cs.in.chunks = (uintptr_t)ptrs;
	int r = xioctl(DRM_IOCTL_AMDGPU_CS, &cs);
	if (r == 0 && seq)
		*seq = cs.out.handle;
	return r;
}

static struct drm_amdgpu_cs_chunk sem_chunk(uint32_t id, const struct drm_amdgpu_cs_chunk_sem *s,
					    uint32_t n)
{
	return (struct drm_amdgpu_cs_chunk){ .chunk_id = id, .length_dw = n * (uint32_t)sizeof(*s) / 4,
					     .chunk_data = (uintptr_t)s };
}

static struct drm_amdgpu_cs_chunk tl_chunk(uint32_t id, const struct drm_amdgpu_cs_chunk_syncobj *s,
					   uint32_t n)
{
	return (struct drm_amdgpu_cs_chunk){ .chunk_id = id, .length_dw = n * (uint32_t)sizeof(*s) / 4,
					     .chunk_data = (uintptr_t)s };
}

/* A compute IB that waits until mem[0] == 1 (the CPU releases it), then
 * writes `mark` to mem[1]; at ib dword 0.  Returns its size. */
static uint32_t emit_gated_job(uint32_t *p, const struct buf *mem, uint32_t mark)
{
	uint32_t n = 0;
	p[n++] = PACKET3(PKT3_WAIT_REG_MEM, 5);
	p[n++] = WAIT_REG_MEM_FUNCTION(3) | WAIT_REG_MEM_MEM_SPACE(1);
	p[n++] = LO(mem->va); p[n++] = HI(mem->va);
	p[n++] = 1; p[n++] = 0xffffffff; p[n++] = 4;
	n += emit_write_data(p + n, mem->va + 4, &mark, 1);
	return n;
}

/* An SDMA IB that copies mem[1] to mem[dst] and writes `mark` to
 * mem[dst + 1]: run after the gated job it sees that job's mark. */
static uint32_t emit_dma_follower(uint32_t *q, const struct buf *mem, uint32_t dst, uint32_t mark)
{
	uint32_t k = 0;
	q[k++] = SDMA_HDR(SDMA_OP_COPY, 0);
	q[k++] = 3;   /* COUNT: bytes - 1 */
	q[k++] = 0;
	q[k++] = LO(mem->va + 4); q[k++] = HI(mem->va + 4);
	q[k++] = LO(mem->va + 4 * dst); q[k++] = HI(mem->va + 4 * dst);
	q[k++] = SDMA_HDR(SDMA_OP_FENCE, 0);
	q[k++] = LO(mem->va + 4 * (dst + 1)); q[k++] = HI(mem->va + 4 * (dst + 1));
	q[k++] = mark;
	return k;
}

static int64_t abs_i64(uint64_t ns)
{
	return (int64_t)abs_timeout(ns);
}

Test(vgpu_cs, syncobj_out_signals_when_the_job_ends_and_orders_a_waiting_cs)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf mem = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	volatile uint32_t *m = mem.cpu;
	uint32_t n = emit_gated_job(ib.cpu, &mem, 0xa);
	uint32_t k = emit_dma_follower((uint32_t *)ib.cpu + 512, &mem, 4, 0xb);
	const struct buf *bos[] = { &ib, &mem };
	uint32_t ctx = vgpu_rig_ctx_new(), s = 0;
	cr_assert_eq(drmSyncobjCreate(fd, 0, &s), 0);
	struct drm_amdgpu_cs_chunk_sem sem = { .handle = s };
	struct drm_amdgpu_cs_chunk out = sem_chunk(AMDGPU_CHUNK_ID_SYNCOBJ_OUT, &sem, 1);
	uint64_t sa, sb, busy = 0;
	cr_assert_eq(submit_with(ctx, AMDGPU_HW_IP_COMPUTE, ib.va, n, bos, 2, &out, 1, &sa), 0);
	/* the syncobj holds the pending job fence */
	cr_assert_eq(drmSyncobjWait(fd, &s, 1, 0, 0, NULL), -ETIME);
	cr_assert_eq(drmSyncobjWait(fd, &s, 1, abs_i64(20000000), 0, NULL), -ETIME);
	/* a second CS, on another ring, waits for it (SYNCOBJ_IN) */
	struct drm_amdgpu_cs_chunk in = sem_chunk(AMDGPU_CHUNK_ID_SYNCOBJ_IN, &sem, 1);
	uint32_t other = vgpu_rig_ctx_new();
	cr_assert_eq(submit_with(other, AMDGPU_HW_IP_DMA, ib.va + 2048, k, bos, 2, &in, 1, &sb), 0);
	struct timespec ts = { 0, 30000000 };
	nanosleep(&ts, NULL);
	cr_assert_eq(wait_cs(other, AMDGPU_HW_IP_DMA, 0, sb, 0, &busy), 0);
	cr_assert_eq(busy, 1, "the waiting CS ran before the job it waits for");
	cr_assert_eq(m[5], 0);
	m[0] = 1;
	cr_assert_eq(drmSyncobjWait(fd, &s, 1, INT64_MAX, 0, NULL), 0, "the out-syncobj signals");
	cr_assert_eq(m[1], 0xa, "signaled only after the job's last packet");
	cr_assert_eq(wait_cs(other, AMDGPU_HW_IP_DMA, 0, sb, abs_timeout(5000000000ull), &busy), 0);
	cr_assert_eq(busy, 0);
	cr_assert_eq(m[4], 0xa, "the waiting job saw the first job's result");
	cr_assert_eq(m[5], 0xb);
	/* SYNCOBJ_RESET takes the fence away again: SYNCOBJ_IN is -EINVAL */
	cr_assert_eq(drmSyncobjReset(fd, &s, 1), 0);
	cr_assert_eq(submit_with(other, AMDGPU_HW_IP_DMA, ib.va + 2048, k, bos, 2, &in, 1, NULL), -EINVAL);
	cr_assert_eq(drmSyncobjDestroy(fd, s), 0);
}

Test(vgpu_cs, syncobj_wait_any_all_and_fence_to_handle_with_a_pending_job)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf mem = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	volatile uint32_t *m = mem.cpu;
	uint32_t n = emit_gated_job(ib.cpu, &mem, 0xa);
	const struct buf *bos[] = { &ib, &mem };
	uint32_t ctx = vgpu_rig_ctx_new(), h[2];
	cr_assert_eq(drmSyncobjCreate(fd, 0, &h[0]), 0);
	cr_assert_eq(drmSyncobjCreate(fd, DRM_SYNCOBJ_CREATE_SIGNALED, &h[1]), 0);
	struct drm_amdgpu_cs_chunk_sem sem = { .handle = h[0] };
	struct drm_amdgpu_cs_chunk out = sem_chunk(AMDGPU_CHUNK_ID_SYNCOBJ_OUT, &sem, 1);
	uint64_t seq;
	cr_assert_eq(submit_with(ctx, AMDGPU_HW_IP_COMPUTE, ib.va, n, bos, 2, &out, 1, &seq), 0);
	uint32_t first = 99;
	cr_assert_eq(drmSyncobjWait(fd, h, 2, 0, 0, &first), 0, "any: the signaled one is enough");
	cr_assert_eq(first, 1);
	cr_assert_eq(drmSyncobjWait(fd, h, 2, 0, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, &first), -ETIME);
	/* FENCE_TO_HANDLE of the pending job: a syncobj holding its fence */
	union drm_amdgpu_fence_to_handle fth;
	memset(&fth, 0, sizeof(fth));
	fth.in.fence = (struct drm_amdgpu_fence){ .ctx_id = ctx, .ip_type = AMDGPU_HW_IP_COMPUTE,
						  .seq_no = seq };
	fth.in.what = AMDGPU_FENCE_TO_HANDLE_GET_SYNCOBJ;
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_FENCE_TO_HANDLE, &fth), 0);
	uint32_t fh = fth.out.handle;
	cr_assert_eq(drmSyncobjWait(fd, &fh, 1, 0, 0, NULL), -ETIME);
	/* (out.handle overlaid the input) */
	memset(&fth, 0, sizeof(fth));
	fth.in.fence = (struct drm_amdgpu_fence){ .ctx_id = ctx, .ip_type = AMDGPU_HW_IP_COMPUTE,
						  .seq_no = seq };
	fth.in.what = AMDGPU_FENCE_TO_HANDLE_GET_SYNC_FILE_FD;
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_FENCE_TO_HANDLE, &fth), 0);
	int sf = (int)fth.out.handle;
	cr_assert_geq(sf, 0);
	cr_assert(fcntl(sf, F_GETFD) & FD_CLOEXEC, "a sync_file fd is O_CLOEXEC");
	struct pollfd pfd = { .fd = sf, .events = POLLIN };
	cr_assert_eq(poll(&pfd, 1, 0), 0, "the sync_file of a pending job is not ready");
	m[0] = 1;
	cr_assert_eq(poll(&pfd, 1, 10000), 1, "poll() waits for the job's fence");
	cr_assert_eq(pfd.revents, POLLIN);
	cr_assert_eq(close(sf), 0);
	cr_assert_eq(drmSyncobjWait(fd, h, 2, INT64_MAX, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, &first), 0);
	cr_assert_eq(drmSyncobjWait(fd, &fh, 1, INT64_MAX, 0, NULL), 0);
	cr_assert_eq(m[1], 0xa);
	cr_assert_eq(drmSyncobjDestroy(fd, fh), 0);
	cr_assert_eq(drmSyncobjDestroy(fd, h[0]), 0);
	cr_assert_eq(drmSyncobjDestroy(fd, h[1]), 0);
}

struct sync_waiter {
	uint32_t handle;
	int r;
};

static void *syncobj_wait_thread(void *arg)
{
	struct sync_waiter *w = arg;
	w->r = drmSyncobjWait(fd, &w->handle, 1, abs_i64(10000000000ull),
			      DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL);
	return NULL;
}

/* WAIT_FOR_SUBMIT on a syncobj without a fence, in one thread, while
 * another thread of the same file submits the CS that attaches one: the
 * waiter must not block the submission and must see the job end. */
Test(vgpu_cs, wait_for_submit_sees_a_later_cs_on_the_same_file)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf mem = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	volatile uint32_t *m = mem.cpu;
	uint32_t n = emit_gated_job(ib.cpu, &mem, 0xc);
	const struct buf *bos[] = { &ib, &mem };
	struct sync_waiter w = { 0 };
	cr_assert_eq(drmSyncobjCreate(fd, 0, &w.handle), 0);
	pthread_t t;
	cr_assert_eq(pthread_create(&t, NULL, syncobj_wait_thread, &w), 0);
	struct timespec ts = { 0, 20000000 };
	nanosleep(&ts, NULL);
	struct drm_amdgpu_cs_chunk_sem sem = { .handle = w.handle };
	struct drm_amdgpu_cs_chunk out = sem_chunk(AMDGPU_CHUNK_ID_SYNCOBJ_OUT, &sem, 1);
	cr_assert_eq(submit_with(vgpu_rig_ctx_new(), AMDGPU_HW_IP_COMPUTE, ib.va, n, bos, 2, &out, 1, NULL), 0);
	nanosleep(&ts, NULL);
	cr_assert_eq(m[1], 0, "the job is still gated");
	m[0] = 1;
	pthread_join(t, NULL);
	cr_assert_eq(w.r, 0);
	cr_assert_eq(m[1], 0xc, "the waiter returned only after the job ended");
}

static uint64_t query_point(uint32_t h, uint32_t flags)
{
	uint64_t point = 0xdead;
	cr_assert_eq(drmSyncobjQuery2(fd, &h, &point, 1, flags), 0);
	return point;
}

Test(vgpu_cs, timeline_points_from_cs_and_host_wait_query_transfer)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf mem = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	volatile uint32_t *m = mem.cpu;
	uint32_t n = emit_gated_job(ib.cpu, &mem, 0xa);
	uint32_t k = emit_dma_follower((uint32_t *)ib.cpu + 512, &mem, 4, 0xb);
	const struct buf *bos[] = { &ib, &mem };
	uint32_t ctx = vgpu_rig_ctx_new(), tl = 0, bin = 0, tl2 = 0;
	cr_assert_eq(drmSyncobjCreate(fd, 0, &tl), 0);
	cr_assert_eq(drmSyncobjCreate(fd, 0, &bin), 0);
	cr_assert_eq(drmSyncobjCreate(fd, 0, &tl2), 0);
	/* the gated job signals point 5 */
	struct drm_amdgpu_cs_chunk_syncobj sig = { .handle = tl, .point = 5 };
	struct drm_amdgpu_cs_chunk c = tl_chunk(AMDGPU_CHUNK_ID_SYNCOBJ_TIMELINE_SIGNAL, &sig, 1);
	cr_assert_eq(submit_with(ctx, AMDGPU_HW_IP_COMPUTE, ib.va, n, bos, 2, &c, 1, NULL), 0);
	uint64_t p5 = 5, p6 = 6, p3 = 3;
	uint32_t first;
	cr_assert_eq(drmSyncobjTimelineWait(fd, &tl, &p5, 1, 0, 0, &first), -ETIME);
	cr_assert_eq(drmSyncobjTimelineWait(fd, &tl, &p5, 1, 0,
					    DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE, &first), 0,
		     "point 5 is submitted");
	cr_assert_eq(drmSyncobjTimelineWait(fd, &tl, &p6, 1, 0, 0, &first), -EINVAL,
		     "point 6 does not exist");
	cr_assert_eq(drmSyncobjTimelineWait(fd, &tl, &p6, 1, 0,
					    DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, &first), -ETIME);
	cr_assert_eq(query_point(tl, 0), 0, "nothing signaled yet");
	cr_assert_eq(query_point(tl, DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED), 5);
	/* a DMA job waits for point 3 (reached with point 5) and signals 7 */
	struct drm_amdgpu_cs_chunk_syncobj wt = { .handle = tl, .point = 3 };
	struct drm_amdgpu_cs_chunk_syncobj s7 = { .handle = tl, .point = 7 };
	struct drm_amdgpu_cs_chunk two[2] = {
		tl_chunk(AMDGPU_CHUNK_ID_SYNCOBJ_TIMELINE_WAIT, &wt, 1),
		tl_chunk(AMDGPU_CHUNK_ID_SYNCOBJ_TIMELINE_SIGNAL, &s7, 1),
	};
	uint32_t other = vgpu_rig_ctx_new();
	uint64_t sb, busy = 0;
	cr_assert_eq(submit_with(other, AMDGPU_HW_IP_DMA, ib.va + 2048, k, bos, 2, two, 2, &sb), 0);
	struct timespec ts = { 0, 30000000 };
	nanosleep(&ts, NULL);
	cr_assert_eq(wait_cs(other, AMDGPU_HW_IP_DMA, 0, sb, 0, &busy), 0);
	cr_assert_eq(busy, 1, "the DMA job ran before point 3 signaled");
	cr_assert_eq(query_point(tl, DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED), 7);
	m[0] = 1;
	uint64_t p7 = 7;
	cr_assert_eq(drmSyncobjTimelineWait(fd, &tl, &p7, 1, INT64_MAX, 0, &first), 0);
	cr_assert_eq(m[4], 0xa);
	cr_assert_eq(m[5], 0xb);
	cr_assert_eq(query_point(tl, 0), 7);
	/* host points: signal 9, then an unordered 8 (kept at 9) */
	uint64_t p9 = 9, p8 = 8;
	cr_assert_eq(drmSyncobjTimelineSignal(fd, &tl, &p9, 1), 0);
	cr_assert_eq(query_point(tl, 0), 9);
	cr_assert_eq(drmSyncobjTimelineSignal(fd, &tl, &p8, 1), 0);
	cr_assert_eq(query_point(tl, DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED), 9);
	/* transfer: point 3 to a binary syncobj, point 9 to point 1 of another */
	cr_assert_eq(drmSyncobjTransfer(fd, bin, 0, tl, p3, 0), 0);
	cr_assert_eq(drmSyncobjWait(fd, &bin, 1, 0, 0, NULL), 0);
	cr_assert_eq(drmSyncobjTransfer(fd, tl2, 1, tl, p9, 0), 0);
	cr_assert_eq(query_point(tl2, 0), 1);
	/* a point the source has not reached: -EINVAL */
	struct drm_syncobj_transfer tr = { .src_handle = tl, .dst_handle = bin, .src_point = 10 };
	cr_assert_eq(xioctl(DRM_IOCTL_SYNCOBJ_TRANSFER, &tr), -EINVAL);
	/* a pending transfer: the gated job's fence reaches the binary one */
	m[0] = 0;
	struct drm_amdgpu_cs_chunk_syncobj s12 = { .handle = tl, .point = 12 };
	c = tl_chunk(AMDGPU_CHUNK_ID_SYNCOBJ_TIMELINE_SIGNAL, &s12, 1);
	cr_assert_eq(submit_with(ctx, AMDGPU_HW_IP_COMPUTE, ib.va, n, bos, 2, &c, 1, NULL), 0);
	cr_assert_eq(drmSyncobjTransfer(fd, bin, 0, tl, 12, 0), 0);
	cr_assert_eq(drmSyncobjWait(fd, &bin, 1, 0, 0, NULL), -ETIME);
	cr_assert_eq(query_point(tl, 0), 9, "9 signaled, 12 pending");
	m[0] = 1;
	cr_assert_eq(drmSyncobjWait(fd, &bin, 1, INT64_MAX, 0, NULL), 0);
	cr_assert_eq(query_point(tl, 0), 12);
	drmSyncobjDestroy(fd, tl);
	drmSyncobjDestroy(fd, bin);
	drmSyncobjDestroy(fd, tl2);
}

Test(vgpu_cs, syncobj_errors_like_the_kernel)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	((uint32_t *)ib.cpu)[0] = SDMA_HDR(SDMA_OP_NOP, 0);
	const struct buf *bos[] = { &ib };
	uint32_t ctx = vgpu_rig_ctx_new(), empty = 0, sig = 0, bad = 4242;
	cr_assert_eq(drmSyncobjCreate(fd, 0, &empty), 0);
	cr_assert_eq(drmSyncobjCreate(fd, DRM_SYNCOBJ_CREATE_SIGNALED, &sig), 0);
	/* CS: SYNCOBJ_IN unknown -ENOENT, without fence -EINVAL
	 * (drm_syncobj_find_fence); SYNCOBJ_OUT/TIMELINE_SIGNAL unknown -EINVAL
	 * (drm_syncobj_find); a second out chunk -EINVAL (p->post_deps) */
	struct drm_amdgpu_cs_chunk_sem sb = { .handle = bad }, se = { .handle = empty },
				       ss = { .handle = sig };
	struct drm_amdgpu_cs_chunk c = sem_chunk(AMDGPU_CHUNK_ID_SYNCOBJ_IN, &sb, 1);
	cr_assert_eq(submit_with(ctx, AMDGPU_HW_IP_DMA, ib.va, 1, bos, 1, &c, 1, NULL), -ENOENT);
	c = sem_chunk(AMDGPU_CHUNK_ID_SYNCOBJ_IN, &se, 1);
	cr_assert_eq(submit_with(ctx, AMDGPU_HW_IP_DMA, ib.va, 1, bos, 1, &c, 1, NULL), -EINVAL);
	c = sem_chunk(AMDGPU_CHUNK_ID_SYNCOBJ_OUT, &sb, 1);
	cr_assert_eq(submit_with(ctx, AMDGPU_HW_IP_DMA, ib.va, 1, bos, 1, &c, 1, NULL), -EINVAL);
	struct drm_amdgpu_cs_chunk_syncobj tb = { .handle = bad, .point = 1 };
	c = tl_chunk(AMDGPU_CHUNK_ID_SYNCOBJ_TIMELINE_SIGNAL, &tb, 1);
	cr_assert_eq(submit_with(ctx, AMDGPU_HW_IP_DMA, ib.va, 1, bos, 1, &c, 1, NULL), -EINVAL);
	struct drm_amdgpu_cs_chunk twice[2] = { sem_chunk(AMDGPU_CHUNK_ID_SYNCOBJ_OUT, &ss, 1),
						sem_chunk(AMDGPU_CHUNK_ID_SYNCOBJ_OUT, &ss, 1) };
	cr_assert_eq(submit_with(ctx, AMDGPU_HW_IP_DMA, ib.va, 1, bos, 1, twice, 2, NULL), -EINVAL);
	/* TIMELINE_WAIT on a point not submitted: -EINVAL */
	struct drm_amdgpu_cs_chunk_syncobj tw = { .handle = sig, .point = 3 };
	c = tl_chunk(AMDGPU_CHUNK_ID_SYNCOBJ_TIMELINE_WAIT, &tw, 1);
	cr_assert_eq(submit_with(ctx, AMDGPU_HW_IP_DMA, ib.va, 1, bos, 1, &c, 1, NULL), -EINVAL);
	/* the good chunks still go through */
	c = sem_chunk(AMDGPU_CHUNK_ID_SYNCOBJ_IN, &ss, 1);
	cr_assert_eq(submit_with(ctx, AMDGPU_HW_IP_DMA, ib.va, 1, bos, 1, &c, 1, NULL), 0);
	/* ioctls: unknown handles -ENOENT, bad flags / counts -EINVAL */
	cr_assert_eq(drmSyncobjWait(fd, &bad, 1, 0, 0, NULL), -ENOENT);
	uint64_t pt = 1;
	cr_assert_eq(drmSyncobjTimelineWait(fd, &bad, &pt, 1, 0, 0, NULL), -ENOENT);
	struct drm_syncobj_timeline_array qa = { .handles = (uintptr_t)&bad,
						 .points = (uintptr_t)&pt, .count_handles = 1 };
	cr_assert_eq(xioctl(DRM_IOCTL_SYNCOBJ_QUERY, &qa), -ENOENT);
	cr_assert_eq(xioctl(DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &qa), -ENOENT);
	cr_assert_eq(drmSyncobjWait(fd, &sig, 1, 0, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_AVAILABLE, NULL),
		     -EINVAL, "WAIT_AVAILABLE is for timeline waits only");
	cr_assert_eq(drmSyncobjTimelineWait(fd, &sig, &pt, 1, 0, 0x10, NULL), -EINVAL);
	cr_assert_eq(drmSyncobjWait(fd, &sig, 0, 0, 0, NULL), -EINVAL);
	struct drm_syncobj_timeline_array ta = { .handles = (uintptr_t)&sig,
						 .points = (uintptr_t)&pt, .count_handles = 1,
						 .flags = 1 };
	cr_assert_eq(xioctl(DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &ta), -EINVAL);
	ta.flags = 2;
	cr_assert_eq(xioctl(DRM_IOCTL_SYNCOBJ_QUERY, &ta), -EINVAL);
	/* transfer: pad -EINVAL, unknown dst or src -ENOENT, no fence -EINVAL */
	struct drm_syncobj_transfer tr = { .src_handle = sig, .dst_handle = empty, .pad = 1 };
	cr_assert_eq(xioctl(DRM_IOCTL_SYNCOBJ_TRANSFER, &tr), -EINVAL);
	tr.pad = 0;
	tr.dst_handle = bad;
	cr_assert_eq(xioctl(DRM_IOCTL_SYNCOBJ_TRANSFER, &tr), -ENOENT);
	tr.dst_handle = empty;
	tr.src_handle = bad;
	cr_assert_eq(xioctl(DRM_IOCTL_SYNCOBJ_TRANSFER, &tr), -ENOENT);
	uint32_t none = 0;
	cr_assert_eq(drmSyncobjCreate(fd, 0, &none), 0);
	tr.src_handle = none;
	cr_assert_eq(xioctl(DRM_IOCTL_SYNCOBJ_TRANSFER, &tr), -EINVAL);
	/* export: bad flags -EINVAL, the opaque syncobj fd is not built */
	struct drm_syncobj_handle hf = { .handle = sig, .flags = 4 };
	cr_assert_eq(xioctl(DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &hf), -EINVAL);
	hf.flags = 0;
	cr_assert_eq(xioctl(DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &hf), -EOPNOTSUPP,
		     "opaque syncobj fds are not built in the vgpu");
	/* sync_file export: no syncobj -ENOENT, no fence -EINVAL; a
	 * signalled syncobj gives a sync_file that polls ready */
	hf.flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE;
	hf.handle = bad;
	cr_assert_eq(xioctl(DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &hf), -ENOENT);
	hf.handle = none;
	cr_assert_eq(xioctl(DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &hf), -EINVAL);
	hf.handle = sig;
	cr_assert_eq(xioctl(DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &hf), 0);
	struct pollfd pfd = { .fd = hf.fd, .events = POLLIN };
	cr_assert_eq(poll(&pfd, 1, 10000), 1);
	cr_assert_eq(pfd.revents, POLLIN);
	/* sync_file import: into `none`, which then holds a signalled fence;
	 * an fd that is no sync_file -EINVAL; a missing syncobj -ENOENT */
	struct drm_syncobj_handle imp = { .handle = none, .fd = hf.fd,
					  .flags = DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE };
	cr_assert_eq(drmSyncobjWait(fd, &none, 1, 0, 0, NULL), -EINVAL, "no fence yet");
	cr_assert_eq(xioctl(DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &imp), 0);
	cr_assert_eq(drmSyncobjWait(fd, &none, 1, 0, 0, NULL), 0, "the imported fence is signalled");
	imp.handle = bad;
	cr_assert_eq(xioctl(DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &imp), -ENOENT);
	int pp[2];
	cr_assert_eq(pipe(pp), 0);
	imp.handle = none;
	imp.fd = pp[0];
	cr_assert_eq(xioctl(DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &imp), -EINVAL, "a plain pipe is no sync_file");
	imp.fd = -1;
	cr_assert_eq(xioctl(DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &imp), -EINVAL);
	close(pp[0]);
	close(pp[1]);
	cr_assert_eq(close(hf.fd), 0);
	cr_assert_eq(drmSyncobjDestroy(fd, none), 0);
	cr_assert_eq(drmSyncobjDestroy(fd, empty), 0);
	cr_assert_eq(drmSyncobjDestroy(fd, sig), 0);
}

struct cs_thread {
	uint32_t ctx;
	const struct buf *ib, *mem;
	uint32_t ndw;
	struct drm_amdgpu_cs_chunk chunk;
	int r;
	uint64_t seq;
};

static void *cs_thread_fn(void *arg)
{
	struct cs_thread *t = arg;
	const struct buf *bos[] = { t->ib, t->mem };
	t->r = submit_with(t->ctx, AMDGPU_HW_IP_DMA, t->ib->va + 2048, t->ndw, bos, 2, &t->chunk, 1,
			   &t->seq);
	return NULL;
}

/* TIMELINE_WAIT with WAIT_FOR_SUBMIT on a point nobody has signaled yet:
 * the CS waits (drm_syncobj_find_fence, up to 5 s) until another thread of
 * the same file adds the point, then submits; the job runs after it. */
Test(vgpu_cs, cs_wait_for_submit_waits_for_the_point)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf mem = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	volatile uint32_t *m = mem.cpu;
	m[1] = 0x5;
	uint32_t tl = 0;
	cr_assert_eq(drmSyncobjCreate(fd, 0, &tl), 0);
	struct drm_amdgpu_cs_chunk_syncobj w = { .handle = tl, .point = 2,
						 .flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT };
	struct cs_thread t = { .ctx = vgpu_rig_ctx_new(), .ib = &ib, .mem = &mem,
			       .ndw = emit_dma_follower((uint32_t *)ib.cpu + 512, &mem, 4, 0xb),
			       .chunk = tl_chunk(AMDGPU_CHUNK_ID_SYNCOBJ_TIMELINE_WAIT, &w, 1),
			       .r = 1 };
	pthread_t th;
	uint64_t t0 = abs_timeout(0);
	cr_assert_eq(pthread_create(&th, NULL, cs_thread_fn, &t), 0);
	struct timespec ts = { 0, 50000000 };
	nanosleep(&ts, NULL);
	cr_assert_eq(m[5], 0, "the CS went through before its point existed");
	uint64_t p2 = 2;
	cr_assert_eq(drmSyncobjTimelineSignal(fd, &tl, &p2, 1), 0,
		     "the file stays usable while the CS waits");
	pthread_join(th, NULL);
	cr_assert_eq(t.r, 0);
	cr_assert_lt(abs_timeout(0) - t0, 4000000000ull, "released by the signal, not the timeout");
	uint64_t pt = 2;
	cr_assert_eq(drmSyncobjTimelineWait(fd, &tl, &pt, 1, INT64_MAX, 0, NULL), 0);
	uint64_t busy = 1;
	cr_assert_eq(wait_cs(t.ctx, AMDGPU_HW_IP_DMA, 0, t.seq, abs_timeout(5000000000ull), &busy), 0);
	cr_assert_eq(busy, 0);
	cr_assert_eq(m[5], 0xb);
	cr_assert_eq(m[4], 0x5);
	drmSyncobjDestroy(fd, tl);
}

/* ---- packets Mesa RADV 22.3 sends (si_cmd_buffer.c, radv_device.c) ----- */

#define PKT3_CLEAR_STATE 0x12
#define PKT3_DISPATCH_INDIRECT 0x16
#define PKT3_ATOMIC_MEM 0x1E
#define PKT3_DRAW_INDEX_AUTO 0x2D
#define PKT3_CONTEXT_CONTROL 0x28
#define PKT3_COPY_DATA 0x40
#define PKT3_SET_CONTEXT_REG 0x69
#define SDMA_OP_ATOMIC 10
/* TC_OP codes: ADD_RTN_64 0x2f, CMPSWAP_32 0x48, UMAX_32 0x54 */
#define TC_OP_ADD_RTN_64 0x2f
#define TC_OP_CMPSWAP_32 0x48
#define TC_OP_UMAX_32 0x54

/* SDMA ATOMIC: a 64-bit add, a 32-bit compare-swap that matches and one
 * that does not, and a loop compare-swap that succeeds at once. */
Test(vgpu_cs, sdma_atomic)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf m = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	uint64_t *m64 = m.cpu;
	uint32_t *m32 = m.cpu;
	m64[0] = 0xfffffffffull;
	m32[4] = 7;
	m32[5] = 7;
	m32[6] = 0;
	uint32_t *p = ib.cpu, n = 0;
	struct { uint32_t op; bool loop; uint64_t off, src, cmp; } a[] = {
		{ TC_OP_ADD_RTN_64, false, 0, 0x100000001ull, 0 },
		{ TC_OP_CMPSWAP_32, false, 16, 9, 7 },
		{ TC_OP_CMPSWAP_32, false, 20, 9, 8 },
		{ TC_OP_CMPSWAP_32, true, 24, 1, 0 },
	};
	for (int i = 0; i < 4; i++) {
		p[n++] = SDMA_HDR(SDMA_OP_ATOMIC, 0) | (a[i].loop ? 1u << 16 : 0) | (a[i].op << 25);
		p[n++] = LO(m.va + a[i].off); p[n++] = HI(m.va + a[i].off);
		p[n++] = LO(a[i].src); p[n++] = HI(a[i].src);
		p[n++] = LO(a[i].cmp); p[n++] = HI(a[i].cmp);
		p[n++] = 10;
	}
	const struct buf *bos[] = { &ib, &m };
	cr_assert_eq(run_and_wait(vgpu_rig_ctx_new(), AMDGPU_HW_IP_DMA, &ib, n, bos, 2), 0);
	cr_assert_eq(m64[0], 0xfffffffffull + 0x100000001ull);
	cr_assert_eq(m32[4], 9, "compare matched: swapped");
	cr_assert_eq(m32[5], 7, "compare failed: unchanged");
	cr_assert_eq(m32[6], 1, "loop compare-swap took the lock");
}

Test(vgpu_cs, sdma_atomic_float_op_faults)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf m = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	uint32_t *p = ib.cpu;
	p[0] = SDMA_HDR(SDMA_OP_ATOMIC, 0) | (0x42u << 25); /* FMIN_32 */
	p[1] = LO(m.va); p[2] = HI(m.va);
	for (int i = 3; i < 8; i++)
		p[i] = 0;
	const struct buf *bos[] = { &ib, &m };
	expect_guilty_after(AMDGPU_HW_IP_DMA, &ib, 8, bos, 2);
}

/* PM4 ATOMIC_MEM (umax, a compare-swap that fails), COPY_DATA (immediate
 * to memory, memory to memory 64-bit) and the DMA_DATA L2 prefetch
 * (DST_SEL NOWHERE: reads, writes nothing) on a compute ring. */
Test(vgpu_cs, pm4_atomic_mem_copy_data_prefetch)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf m = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	uint32_t *mm = m.cpu;
	mm[0] = 5;
	mm[1] = 3;
	mm[8] = 0x11111111;
	mm[9] = 0x22222222;
	uint32_t *p = ib.cpu, n = 0;
	p[n++] = PACKET3(PKT3_ATOMIC_MEM, 7);
	p[n++] = TC_OP_UMAX_32;
	p[n++] = LO(m.va); p[n++] = HI(m.va);
	p[n++] = 40; p[n++] = 0; p[n++] = 0; p[n++] = 0; p[n++] = 0;
	p[n++] = PACKET3(PKT3_ATOMIC_MEM, 7);
	p[n++] = TC_OP_CMPSWAP_32;
	p[n++] = LO(m.va + 4); p[n++] = HI(m.va + 4);
	p[n++] = 99; p[n++] = 0; p[n++] = 4; p[n++] = 0; p[n++] = 0;
	/* COPY_DATA immediate -> memory (32-bit) */
	p[n++] = PACKET3(PKT3_COPY_DATA, 4);
	p[n++] = 5 | (5 << 8) | WR_CONFIRM;
	p[n++] = 0xabcdef01; p[n++] = 0;
	p[n++] = LO(m.va + 16); p[n++] = HI(m.va + 16);
	/* COPY_DATA memory -> memory, COUNT_SEL 64-bit */
	p[n++] = PACKET3(PKT3_COPY_DATA, 4);
	p[n++] = 2 | (2 << 8) | (1u << 16) | WR_CONFIRM;
	p[n++] = LO(m.va + 32); p[n++] = HI(m.va + 32);
	p[n++] = LO(m.va + 64); p[n++] = HI(m.va + 64);
	/* DMA_DATA prefetch of the whole buffer: src == dst, DST_SEL 2 */
	p[n++] = PACKET3(PKT3_DMA_DATA, 5);
	p[n++] = DMA_DATA_SRC_SEL(3) | DMA_DATA_DST_SEL(2);
	p[n++] = LO(m.va); p[n++] = HI(m.va);
	p[n++] = LO(m.va); p[n++] = HI(m.va);
	p[n++] = 4096;
	const struct buf *bos[] = { &ib, &m };
	cr_assert_eq(run_and_wait(vgpu_rig_ctx_new(), AMDGPU_HW_IP_COMPUTE, &ib, n, bos, 2), 0);
	cr_assert_eq(mm[0], 40);
	cr_assert_eq(mm[1], 3, "compare-swap with a wrong compare value changed memory");
	cr_assert_eq(mm[4], 0xabcdef01);
	cr_assert_eq(mm[5], 0, "32-bit COPY_DATA wrote a second dword");
	cr_assert_eq(mm[16], 0x11111111);
	cr_assert_eq(mm[17], 0x22222222);
}

/* A prefetch of an unmapped range is a VM fault like any read. */
Test(vgpu_cs, pm4_prefetch_of_unmapped_memory_faults)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	uint32_t *p = ib.cpu, n = 0;
	uint64_t va = 0x7f0000000000ull;
	p[n++] = PACKET3(PKT3_DMA_DATA, 5);
	p[n++] = DMA_DATA_SRC_SEL(3) | DMA_DATA_DST_SEL(2);
	p[n++] = LO(va); p[n++] = HI(va);
	p[n++] = LO(va); p[n++] = HI(va);
	p[n++] = 256;
	const struct buf *bos[] = { &ib };
	expect_guilty_after(AMDGPU_HW_IP_COMPUTE, &ib, n, bos, 1);
}

/* RADV's GFX preamble: CONTEXT_CONTROL, CLEAR_STATE, SET_CONTEXT_REG run on
 * the GFX ring. */
Test(vgpu_cs, gfx_ring_context_packets)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf out = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	uint32_t *p = ib.cpu, n = 0;
	p[n++] = PACKET3(PKT3_CONTEXT_CONTROL, 1);
	p[n++] = 1u << 31;
	p[n++] = 1u << 31;
	p[n++] = PACKET3(PKT3_CLEAR_STATE, 0);
	p[n++] = 0;
	p[n++] = PACKET3(PKT3_SET_CONTEXT_REG, 2);
	p[n++] = 0x100; /* two context registers at 0xa100 */
	p[n++] = 1;
	p[n++] = 2;
	n += emit_release_mem(p + n, out.va, 1, 0x5e7);
	const struct buf *bos[] = { &ib, &out };
	cr_assert_eq(run_and_wait(vgpu_rig_ctx_new(), AMDGPU_HW_IP_GFX, &ib, n, bos, 2), 0);
	cr_assert_eq(((uint32_t *)out.cpu)[0], 0x5e7);
}

/* The MEC has no graphics context: CONTEXT_CONTROL on a compute ring
 * faults. */
Test(vgpu_cs, context_control_on_a_compute_ring_faults)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	uint32_t *p = ib.cpu, n = 0;
	p[n++] = PACKET3(PKT3_CONTEXT_CONTROL, 1);
	p[n++] = 1u << 31;
	p[n++] = 1u << 31;
	const struct buf *bos[] = { &ib };
	expect_guilty_after(AMDGPU_HW_IP_COMPUTE, &ib, n, bos, 1);
}

/* Drawing is out of scope: a draw packet is a fault naming it. */
Test(vgpu_cs, draw_on_the_gfx_ring_faults)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	uint32_t *p = ib.cpu, n = 0;
	p[n++] = PACKET3(PKT3_DRAW_INDEX_AUTO, 1);
	p[n++] = 3;
	p[n++] = 2;
	const struct buf *bos[] = { &ib };
	expect_guilty_after(AMDGPU_HW_IP_GFX, &ib, n, bos, 1);
}

/* ---- GEM_VA unmap ordering (amdgpu_vm_update_range) -------------------- */

struct delayed_store {
	volatile uint32_t *where;
	uint32_t value;
	unsigned ms;
};

static void *delayed_store_fn(void *arg)
{
	struct delayed_store *d = arg;
	usleep(d->ms * 1000);
	*d->where = d->value;
	return NULL;
}

/* A job still waiting when its output buffer is unmapped: the kernel
 * orders the unmap behind the VM's submitted jobs ("Implicitly sync to
 * command submissions in the same VM before unmapping"), so the job
 * writes through the old mapping and completes without a fault. */
Test(vgpu_cs, gem_va_unmap_waits_for_the_vms_jobs)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf gate = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf out = buf_new(4096, AMDGPU_GEM_DOMAIN_VRAM);
	uint32_t *p = ib.cpu, n = 0;
	p[n++] = PACKET3(PKT3_WAIT_REG_MEM, 5);
	p[n++] = WAIT_REG_MEM_FUNCTION(3) | WAIT_REG_MEM_MEM_SPACE(1);
	p[n++] = LO(gate.va); p[n++] = HI(gate.va);
	p[n++] = 1; p[n++] = 0xffffffff; p[n++] = 4;
	static const uint32_t v[1] = { 0x600d };
	n += emit_write_data(p + n, out.va, v, 1);
	const struct buf *bos[] = { &ib, &gate, &out };
	uint32_t ctx = vgpu_rig_ctx_new();
	uint64_t seq, busy = 0;
	cr_assert_eq(submit(ctx, AMDGPU_HW_IP_COMPUTE, 0, ib.va, n, bos, 3, &seq), 0);
	cr_assert_eq(wait_cs(ctx, AMDGPU_HW_IP_COMPUTE, 0, seq, 0, &busy), 0);
	cr_assert_eq(busy, 1, "the job waits for the gate");
	struct delayed_store d = { .where = gate.cpu, .value = 1, .ms = 200 };
	pthread_t th;
	cr_assert_eq(pthread_create(&th, NULL, delayed_store_fn, &d), 0);
	struct drm_amdgpu_gem_va va = { .handle = out.handle, .operation = AMDGPU_VA_OP_UNMAP,
					.va_address = out.va, .map_size = out.size };
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_GEM_VA, &va), 0);
	pthread_join(th, NULL);
	cr_assert_eq(wait_cs(ctx, AMDGPU_HW_IP_COMPUTE, 0, seq, abs_timeout(10000000000ull), &busy), 0,
		     "the job finished without a fault");
	cr_assert_eq(busy, 0);
	cr_assert_eq(((uint32_t *)out.cpu)[0], 0x600d, "the job wrote through the old mapping");
	cr_assert_eq(vgpu_rig_ctx_flags(ctx), 0, "not guilty");
	/* the mapping is gone now: mapping it again at the same VA works */
	va.operation = AMDGPU_VA_OP_MAP;
	va.flags = AMDGPU_VM_PAGE_READABLE | AMDGPU_VM_PAGE_WRITEABLE;
	cr_assert_eq(xioctl(DRM_IOCTL_AMDGPU_GEM_VA, &va), 0);
}

/* debugfs amdgpu_gpu_recover: reading it resets the GPU (gpu_recover_get
 * prints reset_res, 0); every context sees the reset, none is guilty, and
 * new work runs. */
Test(vgpu_cs, debugfs_gpu_recover_resets_the_gpu)
{
	uint32_t before = vgpu_rig_ctx_new();
	cr_assert_eq(vgpu_rig_ctx_flags(before), 0);
	FILE *fp = fopen("/sys/kernel/debug/dri/0/amdgpu_gpu_recover", "r");
	cr_assert_not_null(fp, "amdgpu_gpu_recover: %s", strerror(errno));
	char line[32] = "";
	cr_assert_not_null(fgets(line, sizeof(line), fp));
	fclose(fp);
	cr_assert_str_eq(line, "0\n");
	uint32_t fl = vgpu_rig_ctx_flags(before);
	cr_assert(fl & AMDGPU_CTX_QUERY2_FLAGS_RESET, "flags 0x%x", fl);
	cr_assert_not(fl & AMDGPU_CTX_QUERY2_FLAGS_GUILTY, "flags 0x%x", fl);
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf out = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	uint32_t n = emit_release_mem(ib.cpu, out.va, 1, 0x4ec);
	const struct buf *bos[] = { &ib, &out };
	uint32_t fresh = vgpu_rig_ctx_new();
	cr_assert_eq(run_and_wait(fresh, AMDGPU_HW_IP_COMPUTE, &ib, n, bos, 2), 0);
	cr_assert_eq(((uint32_t *)out.cpu)[0], 0x4ec);
	cr_assert_eq(vgpu_rig_ctx_flags(fresh), 0);
}

/* ---- gfx10.3: the command processor of gfx_v10_0 and SDMA 5.2 ---------------
 * The same suite's packets on the 680m profile (GC 10.3.3) run through
 * tests/test_vgpu_gfx103.sh; these are the points where gfx10.3 differs
 * from gfx11, each checked on both generations. */

static void setup_gfx103(void)
{
	setenv("AMDBARE_TEST_GFX11_PROFILE", "680m", 1);
	setup();
}

TestSuite(vgpu_cs_gfx103, .init = setup_gfx103, .fini = teardown);

/* The gfx11 side of each difference: the 780M whatever the run swaps in. */
static void setup_gfx11(void)
{
	unsetenv("AMDBARE_TEST_GFX11_PROFILE");
	setup();
}

TestSuite(vgpu_cs_gfx11, .init = setup_gfx11, .fini = teardown);

/* One SET_SH_REG of `v` at SH offset `reg` (from 0x2c00), then a
 * RELEASE_MEM of 0x600d to out: the job's result. */
static int set_one_sh_reg(uint32_t reg, uint32_t v)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf out = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	uint32_t *p = ib.cpu, n = 0;
	p[n++] = PACKET3(PKT3_SET_SH_REG, 1);
	p[n++] = reg - 0x2c00;
	p[n++] = v;
	n += emit_release_mem(p + n, out.va, 1, 0x600d);
	const struct buf *bos[] = { &ib, &out };
	uint32_t ctx = vgpu_rig_ctx_new();
	uint64_t seq;
	cr_assert_eq(submit(ctx, AMDGPU_HW_IP_COMPUTE, 0, ib.va, n, bos, 2, &seq), 0);
	int r = wait_cs(ctx, AMDGPU_HW_IP_COMPUTE, 0, seq, abs_timeout(10000000000ull), NULL);
	if (r == 0)
		cr_assert_eq(((uint32_t *)out.cpu)[0], 0x600d);
	return r;
}

/* gc_10_3_0_sh_mask.h: COMPUTE_TMPRING_SIZE.WAVESIZE is bits 12..24;
 * gc_11_0_0_sh_mask.h: bits 12..26. */
Test(vgpu_cs_gfx103, tmpring_size_has_a_13_bit_wavesize)
{
	cr_assert_eq(set_one_sh_reg(0x2e18, 64u | (0x1fffu << 12)), 0);
	cr_assert_eq(set_one_sh_reg(0x2e18, 64u | (1u << 25)), -ECANCELED);
}

Test(vgpu_cs_gfx11, tmpring_size_has_a_15_bit_wavesize)
{
	cr_assert_eq(set_one_sh_reg(0x2e18, 64u | (1u << 25) | (1u << 26)), 0);
	cr_assert_eq(set_one_sh_reg(0x2e18, 64u | (1u << 27)), -ECANCELED);
}

/* COMPUTE_DISPATCH_INTERLEAVE (0x2e2f) is gfx11's; gfx10.3's compute
 * block has a hole there, and COMPUTE_STATIC_THREAD_MGMT_SE0 (0x2e16)
 * and COMPUTE_DISPATCH_TUNNEL (0x2e7d, which RADV's gfx10.3 preamble
 * writes) on both. */
Test(vgpu_cs_gfx103, registers_gfx103_does_not_have_fault)
{
	cr_assert_eq(set_one_sh_reg(0x2e16, 0xffffffff), 0);
	cr_assert_eq(set_one_sh_reg(0x2e7d, 0), 0);
	cr_assert_eq(set_one_sh_reg(0x2e2f, 0), -ECANCELED);
}

Test(vgpu_cs_gfx11, dispatch_interleave_is_a_gfx11_register)
{
	cr_assert_eq(set_one_sh_reg(0x2e2f, 0), 0);
}

/* SDMA 5.2 (navi10_sdma_pkt_open.h): COPY LINEAR and CONST_FILL counts
 * have 22 bits (sdma_v5_2_buffer_funcs: 4 MiB per packet). */
static int sdma_count_job(bool fill, uint32_t count)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf a = buf_new(65536, AMDGPU_GEM_DOMAIN_GTT);
	struct buf b = buf_new(65536, AMDGPU_GEM_DOMAIN_GTT);
	for (uint32_t i = 0; i < 65536 / 4; i++)
		((uint32_t *)a.cpu)[i] = i ^ 0x5a5a0000u;
	uint32_t *p = ib.cpu, n = 0;
	if (fill) {
		p[n++] = SDMA_HDR(SDMA_OP_CONST_FILL, 0) | SDMA_CONST_FILL_FILLSIZE_DW;
		p[n++] = LO(b.va); p[n++] = HI(b.va);
		p[n++] = 0x0ddba11;
		p[n++] = count;
	} else {
		p[n++] = SDMA_HDR(SDMA_OP_COPY, 0);
		p[n++] = count;
		p[n++] = 0;
		p[n++] = LO(a.va); p[n++] = HI(a.va);
		p[n++] = LO(b.va); p[n++] = HI(b.va);
	}
	const struct buf *bos[] = { &ib, &a, &b };
	uint32_t ctx = vgpu_rig_ctx_new();
	uint64_t seq;
	cr_assert_eq(submit(ctx, AMDGPU_HW_IP_DMA, 0, ib.va, n, bos, 3, &seq), 0);
	int r = wait_cs(ctx, AMDGPU_HW_IP_DMA, 0, seq, abs_timeout(10000000000ull), NULL);
	if (r == 0) {
		uint32_t want = fill ? 0x0ddba11 : (65536 / 4 - 1) ^ 0x5a5a0000u;
		cr_assert_eq(((uint32_t *)b.cpu)[65536 / 4 - 1], want);
	}
	return r;
}

Test(vgpu_cs_gfx103, sdma52_copy_and_fill_counts_have_22_bits)
{
	cr_assert_eq(sdma_count_job(false, 65536 - 1), 0);
	cr_assert_eq(sdma_count_job(true, 65536 - 1), 0);
	/* bit 22 set: reserved on SDMA 5.2 (a count of 4 MiB + 64 KiB) */
	cr_assert_eq(sdma_count_job(false, (1u << 22) | (65536 - 1)), -ECANCELED);
	cr_assert_eq(sdma_count_job(true, (1u << 22) | (65536 - 1)), -ECANCELED);
}

/* ---- gfx9: the command processor of gfx_v9_0 and SDMA 4.x ------------------
 * The points where gfx9 differs from gfx10.3/gfx11, on cezanne (GC 9.3.0,
 * SDMA 4.1.2), raven (GC 9.1.0) and mi50 (GC 9.4.0, two SDMA 4.2.0
 * engines); the suite's other packets run on them through
 * tests/test_vgpu_gfx9_cp.sh. */

static void setup_cezanne(void)
{
	setenv("AMDBARE_TEST_GFX11_PROFILE", "cezanne", 1);
	setup();
}

static void setup_raven(void)
{
	setenv("AMDBARE_TEST_GFX11_PROFILE", "raven", 1);
	setup();
}

static void setup_mi50(void)
{
	setenv("AMDBARE_TEST_GFX11_PROFILE", "mi50", 1);
	setup();
}

TestSuite(vgpu_cs_gfx9, .init = setup_cezanne, .fini = teardown);
TestSuite(vgpu_cs_gfx9_raven, .init = setup_raven, .fini = teardown);
TestSuite(vgpu_cs_gfx9_mi50, .init = setup_mi50, .fini = teardown);

static void setup_mi210(void)
{
	setenv("AMDBARE_TEST_GFX11_PROFILE", "mi210", 1);
	setup();
}

TestSuite(vgpu_cs_gfx9_mi210, .init = setup_mi210, .fini = teardown);

/* ACQUIRE_MEM of `dwords` dwords (CP_COHER_CNTL `cntl` first), then
 * WRITE_DATA of 0x5eed to out: the job's result. */
static int acquire_mem_job_in(uint32_t ip, uint32_t dwords, uint32_t cntl, struct buf ib,
			      struct buf out)
{
	uint32_t *p = ib.cpu, n = 0;
	((uint32_t *)out.cpu)[0] = 0;
	static const uint32_t v[1] = { 0x5eed };
	p[n++] = PACKET3(PKT3_ACQUIRE_MEM, dwords - 2);
	/* gfx_v9_0_emit_mem_sync: CP_COHER_CNTL, SIZE 0xffffffff, SIZE_HI
	 * 0xffffff, BASE 0, BASE_HI 0, POLL_INTERVAL 10 */
	p[n++] = cntl;
	p[n++] = 0xffffffffu;
	p[n++] = 0xffffffu;
	for (uint32_t i = 4; i < dwords - 1; i++)
		p[n++] = 0;
	p[n++] = 10;
	n += emit_write_data(p + n, out.va, v, 1);
	const struct buf *bos[] = { &ib, &out };
	uint32_t ctx = vgpu_rig_ctx_new();
	int r = run_and_wait(ctx, ip, &ib, n, bos, 2);
	if (r == 0)
		cr_assert_eq(((uint32_t *)out.cpu)[0], 0x5eed);
	else
		cr_assert_eq(((uint32_t *)out.cpu)[0], 0);
	return r;
}

/* gfx_v9_0_emit_mem_sync's CP_COHER_CNTL: SH_ICACHE 1<<29 | SH_KCACHE
 * 1<<27 | TC 1<<23 | TCL1 1<<22 | TC_WB 1<<18 */
static int acquire_mem_job(uint32_t ip, uint32_t dwords)
{
	return acquire_mem_job_in(ip, dwords, 0x28c40000u, buf_new(4096, AMDGPU_GEM_DOMAIN_GTT),
				  buf_new(4096, AMDGPU_GEM_DOMAIN_GTT));
}

/* gfx9's ACQUIRE_MEM has 7 dwords (soc15d.h, gfx_v9_0_emit_mem_sync);
 * the gfx10+ 8-dword form with GCR_CNTL is a wrong-size fault, and
 * the other way round on gfx11. */
Test(vgpu_cs_gfx9, acquire_mem_has_7_dwords)
{
	cr_assert_eq(acquire_mem_job(AMDGPU_HW_IP_COMPUTE, 7), 0);
	cr_assert_eq(acquire_mem_job(AMDGPU_HW_IP_GFX, 7), 0);
	cr_assert_eq(acquire_mem_job(AMDGPU_HW_IP_COMPUTE, 8), -ECANCELED);
}

Test(vgpu_cs_gfx11, acquire_mem_has_8_dwords)
{
	cr_assert_eq(acquire_mem_job(AMDGPU_HW_IP_COMPUTE, 8), 0);
	cr_assert_eq(acquire_mem_job(AMDGPU_HW_IP_COMPUTE, 7), -ECANCELED);
}

/* gfx9's CP_COHER_CNTL (gc_9_0_sh_mask.h, soc15d.h
 * PACKET3_ACQUIRE_MEM_CP_COHER_CNTL_*): every field it defines runs, on
 * both rings, with ENGINE_SEL (bit 31); a bit it does not define (gfx8's
 * CB0_DEST_BASE_ENA, bit 6; DEST_BASE_0_ENA, bit 19; bits 0..2) faults,
 * and the same bit is not checked on gfx11 (its ACQUIRE_MEM takes the
 * caches from GCR_CNTL). */
Test(vgpu_cs_gfx9, acquire_mem_coher_cntl_bits_gfx9_has)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf out = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	static const unsigned defined[] = { 3, 4, 5, 15, 18, 22, 23, 25, 26, 27, 28, 29, 30 };
	for (size_t i = 0; i < sizeof(defined) / sizeof(defined[0]); i++)
		cr_assert_eq(acquire_mem_job_in(AMDGPU_HW_IP_COMPUTE, 7, 1u << defined[i], ib, out), 0,
			     "CP_COHER_CNTL bit %u", defined[i]);
	cr_assert_eq(acquire_mem_job_in(AMDGPU_HW_IP_GFX, 7, 0xfec48038u, ib, out), 0);
	static const unsigned undefined[] = { 0, 1, 2, 6, 14, 19, 24 };
	for (size_t i = 0; i < sizeof(undefined) / sizeof(undefined[0]); i++)
		cr_assert_eq(acquire_mem_job_in(AMDGPU_HW_IP_COMPUTE, 7, 0x28c40000u | 1u << undefined[i],
						ib, out),
			     -ECANCELED, "CP_COHER_CNTL bit %u", undefined[i]);
}

Test(vgpu_cs_gfx11, acquire_mem_coher_cntl_is_not_checked)
{
	cr_assert_eq(acquire_mem_job_in(AMDGPU_HW_IP_COMPUTE, 8, 1u << 6,
					buf_new(4096, AMDGPU_GEM_DOMAIN_GTT),
					buf_new(4096, AMDGPU_GEM_DOMAIN_GTT)), 0);
}

/* RELEASE_MEM with EVENT_CNTL `cntl` and dword 2 `dw2` (DATA_SEL 1
 * added), writing 0x7e1e to out: the job's result. */
static struct buf rm_ib, rm_out;

static int release_mem_job(uint32_t ip, uint32_t cntl, uint32_t dw2)
{
	struct buf ib = rm_ib, out = rm_out;
	uint32_t *p = ib.cpu, n = 0;
	((uint32_t *)out.cpu)[0] = 0;
	p[n++] = PACKET3(PKT3_RELEASE_MEM, 6);
	p[n++] = cntl;
	p[n++] = dw2 | RELEASE_MEM_DATA_SEL(1);
	p[n++] = LO(out.va);
	p[n++] = HI(out.va);
	p[n++] = 0x7e1e;
	p[n++] = 0;
	p[n++] = 0;
	const struct buf *bos[] = { &ib, &out };
	int r = run_and_wait(vgpu_rig_ctx_new(), ip, &ib, n, bos, 2);
	cr_assert_eq(((uint32_t *)out.cpu)[0], r == 0 ? 0x7e1eu : 0u);
	return r;
}

/* gfx9's RELEASE_MEM carries the EOP_* cache actions (soc15d.h,
 * kfd_pm4_headers_ai.h).  The kernel's own fences
 * (gfx_v9_0_ring_emit_fence: CACHE_FLUSH_AND_INV_TS_EVENT, EVENT_INDEX 5,
 * TC_WB with TC_NC for a writeback fence or TCL1 | TC | TC_MD otherwise,
 * EOP_EXEC, INT_SEL 2) and Mesa's TC_WC (bit 20) run; gfx10's fence
 * (gfx_v10_0_ring_emit_fence: GCR_SEQ 1<<22 | GL2_WB 1<<21 | GLM_INV 1<<13
 * | GLM_WB 1<<12, CACHE_POLICY 3) and single bits gfx9 reserves fault; so
 * do dword-2 bits outside DST_SEL/INT_SEL/DATA_SEL (gfx10's
 * MES_INTR_PIPE, bit 20).  The same gfx10 fence runs on gfx11's CP. */
Test(vgpu_cs_gfx9, release_mem_eop_bits_gfx9_has)
{
	rm_ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	rm_out = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	const uint32_t ev = 0x14u | 5u << 8; /* CACHE_FLUSH_AND_INV_TS_EVENT, index 5 */
	const uint32_t wb = 1u << 19 | 1u << 15, inv = 1u << 16 | 1u << 17 | 1u << 21 | 1u << 15;
	const uint32_t int_sel2 = 2u << 24;
	cr_assert_eq(release_mem_job(AMDGPU_HW_IP_GFX, ev | wb, int_sel2), 0);
	cr_assert_eq(release_mem_job(AMDGPU_HW_IP_GFX, ev | inv | 1u << 28, int_sel2), 0);
	cr_assert_eq(release_mem_job(AMDGPU_HW_IP_COMPUTE, ev | inv, int_sel2), 0);
	cr_assert_eq(release_mem_job(AMDGPU_HW_IP_COMPUTE, ev | 1u << 20 | 3u << 25 | 1u << 29, 0), 0);
	cr_assert_eq(release_mem_job(AMDGPU_HW_IP_COMPUTE, ev | 1u << 12 | 1u << 13, 1u << 16), 0);
	const uint32_t gfx10_fence = ev | 1u << 22 | 1u << 21 | 1u << 13 | 1u << 12 | 3u << 25;
	cr_assert_eq(release_mem_job(AMDGPU_HW_IP_COMPUTE, gfx10_fence, int_sel2), -ECANCELED);
	static const unsigned reserved[] = { 6, 7, 14, 18, 22, 23, 24, 27, 30, 31 };
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		cr_assert_eq(release_mem_job(AMDGPU_HW_IP_COMPUTE, ev | 1u << reserved[i], 0),
			     -ECANCELED, "EVENT_CNTL bit %u", reserved[i]);
	cr_assert_eq(release_mem_job(AMDGPU_HW_IP_COMPUTE, ev, 1u << 20), -ECANCELED);
	cr_assert_eq(release_mem_job(AMDGPU_HW_IP_COMPUTE, ev, 1u << 0), -ECANCELED);
}

/* RADV puts EVENT_WRITE ZPASS_DONE (EVENT_INDEX 1, an address) before
 * every timestamp event on a gfx9 GFX ring (si_cs_emit_write_event_eop),
 * at a dword-aligned address.  Each render backend's DB writes its 64-bit
 * count, bit 63 set, 16 bytes apart; no draw ever ran, so the counts are
 * 0.  A compute ring has no DB: it faults. */
static int zpass_job(uint32_t ip, uint32_t off)
{
	struct buf ib = rm_ib, out = rm_out;
	uint32_t *p = ib.cpu, n = 0;
	memset(out.cpu, 0xab, 4096);
	p[n++] = PACKET3(PKT3_EVENT_WRITE, 2);
	p[n++] = 0x15u | 1u << 8;
	p[n++] = LO(out.va + off);
	p[n++] = HI(out.va + off);
	const struct buf *bos[] = { &ib, &out };
	return run_and_wait(vgpu_rig_ctx_new(), ip, &ib, n, bos, 2);
}

Test(vgpu_cs_gfx9, zpass_done_writes_every_db_count)
{
	rm_ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	rm_out = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct amdgpu_gpu_info gi;
	cr_assert_eq(amdgpu_query_gpu_info(vgpu_rig_device(), &gi), 0);
	uint32_t rbs = gi.rb_pipes;
	cr_assert_gt(rbs, 0);
	cr_assert_eq(zpass_job(AMDGPU_HW_IP_GFX, 12), 0);
	const uint8_t *o = (const uint8_t *)rm_out.cpu;
	for (uint32_t i = 0; i < rbs; i++) {
		uint64_t v;
		memcpy(&v, o + 12 + 16 * i, 8);
		cr_assert_eq(v, 1ull << 63, "DB %u", i);
		memcpy(&v, o + 12 + 16 * i + 8, 8);
		cr_assert_eq(v, 0xababababababababull, "DB %u: only its count is written", i);
	}
	cr_assert_eq(o[11], 0xab);
	cr_assert_eq(o[12 + 16 * rbs], 0xab);
	cr_assert_eq(zpass_job(AMDGPU_HW_IP_GFX, 14), -ECANCELED);
	cr_assert_eq(zpass_job(AMDGPU_HW_IP_COMPUTE, 16), -ECANCELED);
}

Test(vgpu_cs_gfx11, release_mem_gcr_fence_runs)
{
	rm_ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	rm_out = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	const uint32_t ev = 0x14u | 5u << 8;
	cr_assert_eq(release_mem_job(AMDGPU_HW_IP_COMPUTE, ev | 1u << 22 | 1u << 21 | 1u << 13 |
						       1u << 12 | 3u << 25, 2u << 24), 0);
}

/* gc_9_0_sh_mask.h: COMPUTE_TMPRING_SIZE.WAVESIZE is bits 12..24. */
Test(vgpu_cs_gfx9, tmpring_size_has_a_13_bit_wavesize)
{
	cr_assert_eq(set_one_sh_reg(0x2e18, 64u | (0x1fffu << 12)), 0);
	cr_assert_eq(set_one_sh_reg(0x2e18, 64u | (1u << 25)), -ECANCELED);
}

/* gc_9_0_offset.h's compute block: STATIC_THREAD_MGMT_SE0 (0x2e16),
 * RESTART_X (0x2e1b), SE7 (0x2e28) and USER_DATA_15 (0x2e4f) exist; gfx11's
 * DISPATCH_INTERLEAVE (0x2e2f), gfx90a's RSRC3 (0x2e2d) and gfx10's
 * DISPATCH_TUNNEL (0x2e7d) do not. */
Test(vgpu_cs_gfx9, registers_gfx9_does_not_have_fault)
{
	cr_assert_eq(set_one_sh_reg(0x2e16, 0xffffffff), 0);
	cr_assert_eq(set_one_sh_reg(0x2e1b, 0), 0);
	cr_assert_eq(set_one_sh_reg(0x2e28, 0xffffffff), 0);
	cr_assert_eq(set_one_sh_reg(0x2e4f, 0x1234), 0);
	cr_assert_eq(set_one_sh_reg(0x2e2f, 0), -ECANCELED);
	cr_assert_eq(set_one_sh_reg(0x2e2d, 0), -ECANCELED);
	cr_assert_eq(set_one_sh_reg(0x2e7d, 0), -ECANCELED);
}

/* gc_9_1_offset.h (Raven, one shader engine) has no
 * COMPUTE_STATIC_THREAD_MGMT_SE4..7. */
Test(vgpu_cs_gfx9_raven, no_static_thread_mgmt_se4_to_se7)
{
	cr_assert_eq(set_one_sh_reg(0x2e1a, 0xffffffff), 0); /* SE3 */
	cr_assert_eq(set_one_sh_reg(0x2e25, 0xffffffff), -ECANCELED);
	cr_assert_eq(set_one_sh_reg(0x2e28, 0xffffffff), -ECANCELED);
}

Test(vgpu_cs_gfx9_mi50, static_thread_mgmt_se4_to_se7_exist)
{
	cr_assert_eq(set_one_sh_reg(0x2e25, 0xffffffff), 0);
	cr_assert_eq(set_one_sh_reg(0x2e28, 0xffffffff), 0);
	/* GC 9.4.0 has no COMPUTE_PGM_RSRC3 */
	cr_assert_eq(set_one_sh_reg(0x2e2d, 0), -ECANCELED);
}

/* GC 9.4.2 (gc_9_4_2_offset.h): COMPUTE_PGM_RSRC3 at 0x2e2d with
 * ACCUM_OFFSET (5:0) and TG_SPLIT (16) only (gc_9_4_2_sh_mask.h); 0x2e28
 * is still STATIC_THREAD_MGMT_SE7. */
Test(vgpu_cs_gfx9_mi210, compute_pgm_rsrc3_exists_on_gc_9_4_2)
{
	cr_assert_eq(set_one_sh_reg(0x2e2d, 0x3fu | (1u << 16)), 0);
	cr_assert_eq(set_one_sh_reg(0x2e2d, 1u << 6), -ECANCELED);
	cr_assert_eq(set_one_sh_reg(0x2e28, 0xffffffff), 0);
	cr_assert_eq(set_one_sh_reg(0x2e2f, 0), -ECANCELED);
}

/* One packet (header + body) then a RELEASE_MEM of 0x600d: the result;
 * `extra`, if not NULL, is listed too (a buffer the packet reads). */
static int one_packet_job_with(uint32_t ip, const uint32_t *pkt, uint32_t ndw,
			       const struct buf *extra)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf out = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	uint32_t *p = ib.cpu, n = 0;
	for (uint32_t i = 0; i < ndw; i++)
		p[n++] = pkt[i];
	n += emit_release_mem(p + n, out.va, 1, 0x600d);
	const struct buf *bos[] = { &ib, &out, extra };
	int r = run_and_wait(vgpu_rig_ctx_new(), ip, &ib, n, bos, extra ? 3 : 2);
	cr_assert_eq(((uint32_t *)out.cpu)[0], r == 0 ? 0x600du : 0u);
	return r;
}

static int one_packet_job(uint32_t ip, const uint32_t *pkt, uint32_t ndw)
{
	return one_packet_job_with(ip, pkt, ndw, NULL);
}

/* SET_SH_REG_INDEX (0x9B) is not a gfx9 packet (soc15d.h has none;
 * gfx10+ only); SET_SH_REG of the same register runs.  SET_UCONFIG_REG
 * ends at soc15d.h's 0xc400 on gfx9.  LOAD_SH_REG_INDEX (0x63) of one
 * dword into COMPUTE_USER_DATA_0 runs on the GFX ring and faults on a
 * compute ring (Mesa: it hangs compute queues before gfx10.3). */
Test(vgpu_cs_gfx9, gfx10_packets_and_ranges_fault)
{
	const uint32_t idx[] = { PACKET3(0x9B, 1), 0x216, 0xffffffff };
	const uint32_t sh[] = { PACKET3(PKT3_SET_SH_REG, 1), 0x216, 0xffffffff };
	const uint32_t uc_in[] = { PACKET3(0x79, 1), 0x3ff, 0 };
	const uint32_t uc_out[] = { PACKET3(0x79, 1), 0x446, 0 };
	cr_assert_eq(one_packet_job(AMDGPU_HW_IP_COMPUTE, idx, 3), -ECANCELED);
	cr_assert_eq(one_packet_job(AMDGPU_HW_IP_COMPUTE, sh, 3), 0);
	cr_assert_eq(one_packet_job(AMDGPU_HW_IP_GFX, uc_in, 3), 0);
	cr_assert_eq(one_packet_job(AMDGPU_HW_IP_GFX, uc_out, 3), -ECANCELED);
	/* the source dword: the first of a mapped buffer */
	struct buf src = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	const uint32_t load[] = { PACKET3(0x63, 3), LO(src.va), HI(src.va), 0x240, 1 };
	cr_assert_eq(one_packet_job_with(AMDGPU_HW_IP_GFX, load, 5, &src), 0);
	cr_assert_eq(one_packet_job_with(AMDGPU_HW_IP_COMPUTE, load, 5, &src), -ECANCELED);
}

/* A dispatch's state (gfx9 register map) with `rsrc1`; `initiator`
 * decides the rest. */
static int gfx9_dispatch_job_rsrc1(uint32_t initiator, uint32_t rsrc1)
{
	struct buf ib = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	struct buf code = buf_new(4096, AMDGPU_GEM_DOMAIN_GTT);
	((uint32_t *)code.cpu)[0] = 0xbf810000u; /* s_endpgm (gfx9) */
	uint32_t *p = ib.cpu, n = 0;
	p[n++] = PACKET3(PKT3_SET_SH_REG, 2);
	p[n++] = 0x20c; p[n++] = (uint32_t)(code.va >> 8); p[n++] = (uint32_t)(code.va >> 40);
	p[n++] = PACKET3(PKT3_SET_SH_REG, 2);
	p[n++] = 0x212; p[n++] = rsrc1; p[n++] = 0;
	p[n++] = PACKET3(PKT3_SET_SH_REG, 3);
	p[n++] = 0x207; p[n++] = 64; p[n++] = 1; p[n++] = 1;
	p[n++] = PACKET3(PKT3_DISPATCH_DIRECT, 3);
	p[n++] = 1; p[n++] = 1; p[n++] = 1; p[n++] = initiator;
	const struct buf *bos[] = { &ib, &code };
	return run_and_wait(vgpu_rig_ctx_new(), AMDGPU_HW_IP_COMPUTE, &ib, n, bos, 2);
}

static int gfx9_dispatch_job(uint32_t initiator)
{
	return gfx9_dispatch_job_rsrc1(initiator, 0);
}

/* COMPUTE_DISPATCH_INITIATOR has no CS_W32_EN on gfx9 (wave64 only): the
 * command processor refuses a wave32 dispatch before the shader layer;
 * so it does gfx10.3's TUNNEL_ENABLE (bit 13), a field gc_9_0_sh_mask.h
 * does not have, and RSRC1's gfx10 WGP_MODE (bit 29): no WGP mode on
 * GCN.  Each is checked against the same dispatch that passes the CP. */
static void expect_cp_refusal(uint32_t initiator, uint32_t rsrc1)
{
	struct stderr_capture cap;
	char log[4096];
	stderr_capture_begin(&cap);
	int r = gfx9_dispatch_job_rsrc1(initiator, rsrc1);
	stderr_capture_end(&cap, log, sizeof(log));
	cr_assert_eq(r, -ECANCELED);
	cr_assert(strstr(log, "PM4: DISPATCH_DIRECT") != NULL, "not refused by the CP: %s", log);
}

Test(vgpu_cs_gfx9, wave32_tunnel_and_wgp_mode_dispatches_fault)
{
	expect_cp_refusal(1u | (1u << 15), 0);
	expect_cp_refusal(1u | (1u << 13), 0);
	expect_cp_refusal(1u, 1u << 29);
}

/* A complete wave64 dispatch passes the command processor's checks and
 * goes to the shader layer marked gfx9, which runs it as gfx9 code. */
Test(vgpu_cs_gfx9, wave64_dispatch_reaches_the_shader_layer)
{
	struct stderr_capture cap;
	char log[4096];
	stderr_capture_begin(&cap);
	int r = gfx9_dispatch_job(1u);
	stderr_capture_end(&cap, log, sizeof(log));
	cr_assert(strstr(log, "PM4:") == NULL, "the CP refused the dispatch: %s", log);
	cr_assert_eq(r, 0, "dispatch returned %d: %s", r, log);
}

/* SDMA 4.x (vega10_sdma_pkt_open.h): COPY LINEAR and CONST_FILL counts
 * have 22 bits (sdma_v4_0_buffer_funcs: 4 MiB per packet), on SDMA 4.1.2
 * (cezanne) and 4.2.0 (mi50, both engines). */
Test(vgpu_cs_gfx9, sdma4_copy_and_fill_counts_have_22_bits)
{
	cr_assert_eq(sdma_count_job(false, 65536 - 1), 0);
	cr_assert_eq(sdma_count_job(true, 65536 - 1), 0);
	cr_assert_eq(sdma_count_job(false, (1u << 22) | (65536 - 1)), -ECANCELED);
	cr_assert_eq(sdma_count_job(true, (1u << 22) | (65536 - 1)), -ECANCELED);
}

Test(vgpu_cs_gfx9_mi50, sdma4_copy_and_fill_counts_have_22_bits)
{
	cr_assert_eq(sdma_count_job(false, 65536 - 1), 0);
	cr_assert_eq(sdma_count_job(true, 65536 - 1), 0);
	cr_assert_eq(sdma_count_job(true, (1u << 22) | (65536 - 1)), -ECANCELED);
}
