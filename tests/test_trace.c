/*
 * The trace decoder (src/trace/decode.c) against the library's own
 * builders: every packet form gfx/pm4_builder.c and gfx/sdma_builder.c
 * write is wrapped in a trace record, decoded, and must come out named,
 * with the fields the builder was given; malformed files are refused with
 * -EINVAL and what came before the bad record is still shown.
 */
#include "gfx/regs_gen.h"
#include "gfx/ib_dwbuf.h"
#include "gfx/pm4_builder.h"
#include "gfx/sdma_builder.h"
#include "submit/trace_format.h"
#include "amdbare.h"
#include "amdbare_trace.h"

#include <amdgpu_drm.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t ib[512];
static struct ab_dwbuf buf;
static struct ab_pm4 pm4;

static void setup(void)
{
	memset(ib, 0, sizeof(ib));
	ab_dwbuf_init_fixed(&buf, ib, 512);
	pm4 = (struct ab_pm4){&buf, &ab_gfx_gen_gfx11, true};
}

TestSuite(trace, .init = setup);

/* The GC version the next make_trace records (11.0 unless a test says). */
static uint32_t trace_gc_major = 11, trace_gc_minor = 0;

/* A trace file of one CS record holding ib[0..buf.len), with one BO and,
 * when name is given, a dispatch note at dword note_at. */
static uint8_t *make_trace(uint32_t ip_type, const char *name, uint32_t note_at, size_t *len)
{
	uint32_t nnotes = name ? 1 : 0;
	size_t rec = sizeof(struct ab_trace_rec_head) + sizeof(struct ab_trace_cs) +
		     sizeof(struct ab_trace_bo) + nnotes * sizeof(struct ab_trace_note) +
		     (size_t)buf.len * 4;
	size_t done = sizeof(struct ab_trace_rec_head) + sizeof(struct ab_trace_done);
	uint8_t *t = calloc(1, AB_TRACE_FILE_HEAD + rec + done);
	cr_assert(t);
	memcpy(t, AB_TRACE_MAGIC, 8);
	uint32_t v = AB_TRACE_VERSION;
	memcpy(t + 8, &v, 4);
	size_t o = AB_TRACE_FILE_HEAD;
	struct ab_trace_rec_head h = {AB_TRACE_REC_CS, (uint32_t)rec};
	memcpy(t + o, &h, sizeof(h));
	o += sizeof(h);
	struct ab_trace_cs cs = {.pid = 42, .ctx_id = 3, .ip_type = ip_type,
				 .gc_major = trace_gc_major, .gc_minor = trace_gc_minor, .seq = 7, .submit_ns = 1000, .ib_va = 0x100000,
				 .ib_dw = buf.len, .nbos = 1, .nnotes = nnotes};
	memcpy(t + o, &cs, sizeof(cs));
	o += sizeof(cs);
	struct ab_trace_bo bo = {.handle = 5, .domains = AMDGPU_GEM_DOMAIN_VRAM,
				 .actual_domain = AMDGPU_GEM_DOMAIN_VRAM, .gpu_va = 0x200000,
				 .size = 65536};
	memcpy(t + o, &bo, sizeof(bo));
	o += sizeof(bo);
	if (name) {
		struct ab_trace_note note = {.dword = note_at, .kind = AB_TRACE_NOTE_DISPATCH};
		snprintf(note.name, sizeof(note.name), "%s", name);
		memcpy(t + o, &note, sizeof(note));
		o += sizeof(note);
	}
	memcpy(t + o, ib, (size_t)buf.len * 4);
	o += (size_t)buf.len * 4;
	struct ab_trace_rec_head dh = {AB_TRACE_REC_DONE, (uint32_t)done};
	memcpy(t + o, &dh, sizeof(dh));
	o += sizeof(dh);
	struct ab_trace_done d = {.pid = 42, .ctx_id = 3, .ip_type = ip_type, .seq = 7,
				  .complete_ns = 251000};
	memcpy(t + o, &d, sizeof(d));
	o += sizeof(d);
	*len = o;
	return t;
}

static char *show(const uint8_t *t, size_t len, bool json, int *ret, amdbare_trace_summary *s)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	cr_assert(f);
	*ret = amdbare_trace_show(t, len, json, f, s);
	fclose(f);
	return text;
}

Test(trace, every_pm4_builder_packet_is_named)
{
	const struct ab_gfx_gen *g = &ab_gfx_gen_gfx11;
	cr_assert_eq(ab_pm4_acquire_mem(&pm4), 0);
	uint32_t note_at = buf.len;
	uint32_t pgm[2] = {0x12345, 0};
	ab_pm4_set_sh_reg(&pm4, g->compute_pgm_lo, pgm, 2);
	/* LDS_SIZE 8 (x 512 = 4096 bytes), USER_SGPR 2 */
	uint32_t rsrc[2] = {0x60af00c3, (8u << 15) | (2u << 1)};
	ab_pm4_set_sh_reg(&pm4, g->compute_pgm_rsrc1, rsrc, 2);
	/* WAVES 32, WAVESIZE 4 (x 256 = 1024 bytes per wave) */
	ab_pm4_set_sh_reg1(&pm4, g->compute_tmpring_size, 32u | (4u << 12));
	uint32_t ud[2] = {0xaaaa0000, 0x1};
	ab_pm4_set_sh_reg(&pm4, g->compute_user_data_0, ud, 2);
	uint32_t threads[3] = {64, 2, 1};
	ab_pm4_set_sh_reg(&pm4, g->compute_num_thread_x, threads, 3);
	ab_pm4_dispatch_direct(&pm4, 10, 20, 3, 0x8005);
	ab_pm4_cs_partial_flush(&pm4);
	ab_pm4_release_mem(&pm4, 0x300008, 0x1122334455667788ull, true);
	uint32_t data[2] = {0xdead, 0xbeef};
	ab_pm4_write_data(&pm4, 0x400000, data, 2);
	ab_pm4_wait_reg_mem(&pm4, 0x500000, 9, 0xff, AB_PM4_WAIT_GE, 4);
	ab_pm4_indirect_buffer(&pm4, 0x600000, 32);
	ab_pm4_nop(&pm4, 1);
	ab_pm4_nop(&pm4, 4);
	cr_assert_eq(buf.err, 0);

	size_t len;
	uint8_t *t = make_trace(AMDGPU_HW_IP_COMPUTE, "my_kernel", note_at, &len);
	amdbare_trace_summary s;
	int r;
	char *text = show(t, len, false, &r, &s);
	cr_assert_eq(r, 0, "%s", amdbare_last_error());
	cr_expect_eq(s.submissions, 1);
	cr_expect_eq(s.fence_waits, 1);
	cr_expect_eq(s.packets, 14, "packets %llu\n%s", (unsigned long long)s.packets, text);
	cr_expect_eq(s.unknown_packets, 0, "%s", text);
	cr_expect_eq(s.dispatches, 1);
	cr_expect_eq(s.named_dispatches, 1);
	const char *want[] = {
		"ACQUIRE_MEM", "GCR_CNTL=0xc3b1", "COMPUTE_PGM_LO=0x12345", "COMPUTE_PGM_RSRC2=",
		".LDS_SIZE=8", ".USER_SGPR=2", "COMPUTE_TMPRING_SIZE=", ".WAVES=32", ".WAVESIZE=4",
		"COMPUTE_USER_DATA_0=0xaaaa0000", "COMPUTE_USER_DATA_1=0x1",
		"COMPUTE_NUM_THREAD_Y=0x2", "DISPATCH_DIRECT", "DIM_X=10", "DIM_Y=20", "DIM_Z=3",
		".CS_W32_EN=1",
		"dispatch of kernel \"my_kernel\": grid 10x20x3 workgroups, block 64x2x1, LDS 4096 B, "
		"scratch 1024 B/wave, code at 0x1234500",
		"EVENT_WRITE", "EVENT_TYPE=CS_PARTIAL_FLUSH", "RELEASE_MEM",
		"EVENT_TYPE=CACHE_FLUSH_AND_INV_TS_EVENT", "DATA_SEL=2", "ADDR=0x300008",
		"DATA=0x1122334455667788", "WRITE_DATA", "ADDR=0x400000", "DWORDS=2", "DATA0=0xdead",
		"DATA1=0xbeef", "WAIT_REG_MEM", "FUNCTION=greater_equal", "REFERENCE=0x9",
		"MASK=0xff", "INDIRECT_BUFFER", "ADDR=0x600000", "IB_SIZE=32", "VALID=1",
		"NOP                pad=1", "NOP                body_dwords=3",
		"pid 42, context 3, compute ring 0, fence seq 7", "250.0 us after submit",
		"handle 5    va 0x000000200000      65536 bytes  asked VRAM, placed VRAM",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cr_expect(strstr(text, want[i]), "missing \"%s\" in:\n%s", want[i], text);
	cr_expect(!strstr(text, "] unknown"), "%s", text);
	free(text);

	text = show(t, len, true, &r, &s);
	cr_assert_eq(r, 0);
	cr_expect(strstr(text, "\"kernel\":\"my_kernel\",\"grid\":[10,20,3],\"block\":[64,2,1],"
			       "\"lds_bytes\":4096,\"scratch_bytes_per_wave\":1024"), "%s", text);
	cr_expect(strstr(text, "\"error\":null"), "%s", text);
	free(text);
	free(t);
}

/* A gfx9 (GC 9.x) submission: its 6-dword ACQUIRE_MEM (COHER_CNTL, no
 * GCR_CNTL), RELEASE_MEM with EOP cache actions and the gfx9 register map
 * (RSRC1 at 0x2000 + 0xe12, gc_9_0_offset.h) are named, nothing unknown. */
Test(trace, gfx9_packets_are_named)
{
	pm4.gen = &ab_gfx_gen_gfx9;
	cr_assert_eq(ab_pm4_acquire_mem(&pm4), 0);
	ab_pm4_set_sh_reg1(&pm4, 0x2000 + 0x0e12, 0x002c0041);
	ab_pm4_dispatch_direct(&pm4, 2, 1, 1, 0x5);
	ab_pm4_release_mem(&pm4, 0x300008, 7, false);
	cr_assert_eq(buf.err, 0);
	trace_gc_major = 9, trace_gc_minor = 3;
	size_t len;
	uint8_t *t = make_trace(AMDGPU_HW_IP_COMPUTE, NULL, 0, &len);
	trace_gc_major = 11, trace_gc_minor = 0;
	amdbare_trace_summary s;
	int r;
	char *text = show(t, len, false, &r, &s);
	cr_assert_eq(r, 0, "%s", amdbare_last_error());
	cr_expect_eq(s.packets, 4, "%s", text);
	cr_expect_eq(s.unknown_packets, 0, "%s", text);
	/* soc15d.h: SH_ICACHE 1<<29 | SH_KCACHE 1<<27 | TC 1<<23 | TCL1 1<<22 | TC_WB 1<<18 */
	const char *want[] = {"GC 9.3 (gfx9 tables)", "ACQUIRE_MEM", "COHER_CNTL=0x28c40000",
			      "COMPUTE_PGM_RSRC1=0x2c0041", "DISPATCH_DIRECT", "RELEASE_MEM",
			      "EVENT_TYPE=CACHE_FLUSH_AND_INV_TS_EVENT", "DATA_SEL=1"};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cr_expect(strstr(text, want[i]), "missing \"%s\" in:\n%s", want[i], text);
	cr_expect(!strstr(text, "GCR_CNTL"), "%s", text);
	free(text);
	free(t);
}

Test(trace, every_sdma_builder_packet_is_named)
{
	ab_sdma_copy_linear(&buf, 0x2000, 0x1000, 4096);
	ab_sdma_const_fill(&buf, 0x3000, 256, 0xcafe);
	uint32_t data[3] = {1, 2, 3};
	ab_sdma_write(&buf, 0x4000, data, 3);
	ab_sdma_fence(&buf, 0x5000, 77);
	ab_sdma_pad(&buf, 8);
	cr_assert_eq(buf.err, 0);
	uint32_t pads = buf.len - (7 + 5 + 7 + 4);
	size_t len;
	uint8_t *t = make_trace(AMDGPU_HW_IP_DMA, NULL, 0, &len);
	amdbare_trace_summary s;
	int r;
	char *text = show(t, len, false, &r, &s);
	cr_assert_eq(r, 0, "%s", amdbare_last_error());
	cr_expect_eq(s.packets, 4 + pads, "%s", text);
	cr_expect_eq(s.unknown_packets, 0, "%s", text);
	const char *want[] = {
		"sdma ring 0", "COPY_LINEAR", "BYTES=4096", "SRC=0x1000", "DST=0x2000", "CONST_FILL",
		"FILLSIZE=2", "DST=0x3000", "DATA=0xcafe", "BYTES=256", "WRITE_LINEAR", "DST=0x4000",
		"DWORDS=3", "DATA2=0x3", "FENCE", "MTYPE=3", "ADDR=0x5000", "DATA=0x4d",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cr_expect(strstr(text, want[i]), "missing \"%s\" in:\n%s", want[i], text);
	free(text);
	free(t);
}

Test(trace, a_packet_no_table_knows_is_unknown)
{
	uint32_t dw[3] = {(3u << 30) | (1u << 16) | (0x99u << 8), 0, 0}; /* opcode 0x99 */
	for (int i = 0; i < 3; i++)
		*ab_dw_reserve(&buf, 1) = dw[i];
	/* SET_SH_REG of a register the table lacks (SH window offset 0) */
	ab_pm4_set_sh_reg1(&pm4, ab_gfx_gen_gfx11.sh_reg_start, 1);
	size_t len;
	uint8_t *t = make_trace(AMDGPU_HW_IP_COMPUTE, NULL, 0, &len);
	amdbare_trace_summary s;
	int r;
	char *text = show(t, len, false, &r, &s);
	cr_assert_eq(r, 0);
	cr_expect_eq(s.packets, 2);
	cr_expect_eq(s.unknown_packets, 2, "%s", text);
	cr_expect(strstr(text, "opcode=0x99"), "%s", text);
	cr_expect(strstr(text, "reg_0x2c00=0x1"), "%s", text);
	free(text);
	free(t);
}

Test(trace, malformed_files_are_refused)
{
	ab_pm4_nop(&pm4, 4);
	size_t len;
	uint8_t *t = make_trace(AMDGPU_HW_IP_COMPUTE, NULL, 0, &len);
	amdbare_trace_summary s;
	int r;
	char *text;
	/* not a trace */
	text = show((const uint8_t *)"hello world, no trace here", 26, false, &r, &s);
	cr_expect_eq(r, -EINVAL);
	cr_expect(strstr(amdbare_last_error(), "not an amdbare trace"), "%s", amdbare_last_error());
	free(text);
	/* cut in the middle of the DONE record: the CS before it still shows */
	text = show(t, len - 8, false, &r, &s);
	cr_expect_eq(r, -EINVAL);
	cr_expect_eq(s.submissions, 1, "%s", text);
	free(text);
	/* a CS record claiming more BOs than it holds */
	struct ab_trace_cs cs;
	size_t at = AB_TRACE_FILE_HEAD + sizeof(struct ab_trace_rec_head);
	memcpy(&cs, t + at, sizeof(cs));
	cs.nbos = 0x40000000u;
	memcpy(t + at, &cs, sizeof(cs));
	text = show(t, len, true, &r, &s);
	cr_expect_eq(r, -EINVAL);
	cr_expect_eq(s.submissions, 0);
	cr_expect(strstr(text, "\"error\":\"offset 16: submission record"), "%s", text);
	free(text);
	/* an IB count that overflows 32-bit byte arithmetic */
	cs.nbos = 1;
	cs.ib_dw = 0x40000001u;
	memcpy(t + at, &cs, sizeof(cs));
	text = show(t, len, false, &r, &s);
	cr_expect_eq(r, -EINVAL);
	free(text);
	free(t);
}
