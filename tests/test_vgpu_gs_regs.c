/*
 * gfx11's GS registers embedded in GDS on the vgpu (exec/gs_regs.c): the
 * CP writes them with SET_UCONFIG_REG and reads them with COPY_DATA
 * (SRC_SEL register), the shader core's ds_add/sub_gs_reg_rtn change them
 * as the RDNA3 ISA's pseudocode does (32-bit registers 0-7, 64-bit pairs
 * for selects 8-15), from the first active lane only (Mesa's
 * ac_nir_to_llvm.c).  One program is hand-assembled (llvm-mc-19
 * -mcpu=gfx1100, the text next to each dword), the other is what llc-19
 * makes of llvm.amdgcn.ds.add/sub.gs.reg.rtn (tests/shader/gs_regs.ll).
 * Only the vgpu has run them.
 */
#include "vgpu_rig.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <amdgpu.h>
#include <amdgpu_drm.h>

TestSuite(vgpu_gs_regs, .init = vgpu_rig_setup, .fini = vgpu_rig_teardown);

#define PACKET3(op, n) ((3u << 30) | (((n) & 0x3FFFu) << 16) | (((op) & 0xFFu) << 8))
#define PKT3_COPY_DATA 0x40
#define PKT3_SET_UCONFIG_REG 0x79
/* regGDS_STRMOUT_DWORDS_WRITTEN_0 (gc_11_0_0_offset.h 0x2422, BASE_IDX 1) */
#define GS_REG0 0xc422u
#define NUM_GS_REGS 24u
/* COPY_DATA control (Mesa sid.h): SRC_SEL 0 register, DST_SEL 5 memory,
 * COUNT_SEL 64 bits, WR_CONFIRM */
#define COPY_SRC_REG 0u
#define COPY_DST_MEM (5u << 8)
#define COPY_DST_REG (0u << 8)
#define COPY_SRC_IMM 5u
#define COPY_64 (1u << 16)
#define COPY_WR_CONFIRM (1u << 20)

/* The registers' values before each test: 0x1000 + index, except those
 * the programs below use. */
static void initial(uint32_t *v)
{
	for (uint32_t i = 0; i < NUM_GS_REGS; i++)
		v[i] = 0x1000 + i;
	v[1] = 7;                            /* DWORDS_WRITTEN_1 */
	v[2] = 100;                          /* DWORDS_WRITTEN_2 */
	v[3] = 10;                           /* DWORDS_WRITTEN_3 */
	v[8] = 50; v[9] = 1;                 /* PRIMS_NEEDED_0 */
	v[10] = 0xfffffff0u; v[11] = 5;      /* PRIMS_WRITTEN_0 */
	v[22] = 0xfffffff0u; v[23] = 3;      /* PRIMS_WRITTEN_3 */
}

/* One SET_UCONFIG_REG of all 24 registers: 0 or the CS result. */
static int set_regs(uint32_t ctx, const uint32_t *v)
{
	struct rig_buf *ib = vgpu_rig_buf_new(4096);
	uint32_t *p = ib->cpu, n = 0;
	p[n++] = PACKET3(PKT3_SET_UCONFIG_REG, NUM_GS_REGS);
	p[n++] = GS_REG0 - 0xc000u;
	for (uint32_t i = 0; i < NUM_GS_REGS; i++)
		p[n++] = v[i];
	return vgpu_rig_submit_compute(ctx, ib, n);
}

/* COPY_DATA of each register (one dword each) into out[i]. */
static int read_regs(uint32_t ctx, const struct rig_buf *out)
{
	struct rig_buf *ib = vgpu_rig_buf_new(4096);
	uint32_t *p = ib->cpu, n = 0;
	for (uint32_t i = 0; i < NUM_GS_REGS; i++) {
		uint64_t va = out->va + 4u * i;
		p[n++] = PACKET3(PKT3_COPY_DATA, 4);
		p[n++] = COPY_SRC_REG | COPY_DST_MEM | COPY_WR_CONFIRM;
		p[n++] = GS_REG0 + i;
		p[n++] = 0;
		p[n++] = (uint32_t)va;
		p[n++] = (uint32_t)(va >> 32);
	}
	return vgpu_rig_submit_compute(ctx, ib, n);
}

static const uint32_t lanes_prog[] = {
	0x4a0200ff, 0x00000064, /* v_add_nc_u32_e32 v1, 0x64, v0 */
	0x7e0402ff, 0x0000dead, /* v_mov_b32_e32 v2, 0xdead */
	0x7e0602ff, 0x0000dead, /* v_mov_b32_e32 v3, 0xdead */
	0x7e0802ff, 0x0000dead, /* v_mov_b32_e32 v4, 0xdead */
	0x7e0a02ff, 0x0000dead, /* v_mov_b32_e32 v5, 0xdead */
	0x7e0e02ff, 0x0000dead, /* v_mov_b32_e32 v7, 0xdead */
	0x7e1002ff, 0x0000dead, /* v_mov_b32_e32 v8, 0xdead */
	0xd9ea0004, 0x02000100, /* ds_add_gs_reg_rtn v[2:3], v1 offset:4 gds */
	0xbefe00ff, 0xffffffe0, /* s_mov_b32 exec_lo, 0xffffffe0 */
	0xd9ee0020, 0x04000100, /* ds_sub_gs_reg_rtn v[4:5], v1 offset:32 gds */
	0xbefe00ff, 0x00000100, /* s_mov_b32 exec_lo, 0x100 */
	0xd9ea003c, 0x07000100, /* ds_add_gs_reg_rtn v[7:8], v1 offset:60 gds */
	0xbefe00c1, /* s_mov_b32 exec_lo, -1 */
	0xbf89fc07, /* s_waitcnt lgkmcnt(0) */
	0x300c0082, /* v_lshlrev_b32_e32 v6, 2, v0 */
	0xdc6a0000, 0x00000206, /* global_store_b32 v6, v2, s[0:1] */
	0xdc6a0080, 0x00000306, /* global_store_b32 v6, v3, s[0:1] offset:128 */
	0xdc6a0100, 0x00000406, /* global_store_b32 v6, v4, s[0:1] offset:256 */
	0xdc6a0180, 0x00000506, /* global_store_b32 v6, v5, s[0:1] offset:384 */
	0xdc6a0200, 0x00000706, /* global_store_b32 v6, v7, s[0:1] offset:512 */
	0xdc6a0280, 0x00000806, /* global_store_b32 v6, v8, s[0:1] offset:640 */
	0xbfb00000, /* s_endpgm */
};

Test(vgpu_gs_regs, first_active_lane_updates_32_and_64_bit_registers)
{
	uint32_t ctx = vgpu_rig_ctx_new(), v[NUM_GS_REGS];
	initial(v);
	cr_assert_eq(set_regs(ctx, v), 0);
	struct rig_buf *out = vgpu_rig_buf_new(4096), *regs = vgpu_rig_buf_new(4096);
	struct rig_buf *code = vgpu_rig_program(lanes_prog, sizeof(lanes_prog) / 4);
	cr_assert_eq(vgpu_rig_dispatch(ctx, code, 1, 32, 0, false, out), 0);
	const uint32_t *got = out->cpu;
	for (uint32_t lane = 0; lane < 32; lane++) {
		/* sel 1 (32-bit, all lanes active): lane 0 gets the old value in
		 * VDST[0] only; sel 8 (64-bit, lanes 5-31): lane 5; sel 15
		 * (64-bit, lane 8 only): lane 8 */
		uint32_t want[6] = { 0xdead, 0xdead, 0xdead, 0xdead, 0xdead, 0xdead };
		if (lane == 0)
			want[0] = 7;
		if (lane == 5) {
			want[2] = 50;
			want[3] = 1;
		}
		if (lane == 8) {
			want[4] = 0xfffffff0u;
			want[5] = 3;
		}
		for (uint32_t k = 0; k < 6; k++)
			cr_expect_eq(got[32 * k + lane], want[k], "lane %u, value %u: 0x%x, want 0x%x",
				     lane, k, got[32 * k + lane], want[k]);
	}
	cr_assert_eq(read_regs(ctx, regs), 0);
	uint32_t after[NUM_GS_REGS];
	memcpy(after, v, sizeof(after));
	after[1] = 7 + 100;                      /* + lane 0's DATA0 only */
	after[8] = 0xffffffc9u; after[9] = 0;    /* 0x1_00000032 - 105 (lane 5) */
	after[22] = 0x5c; after[23] = 4;         /* 0x3_fffffff0 + 108 (lane 8) */
	vgpu_rig_expect_words(regs, after, NUM_GS_REGS);
}

/* tests/shader/gs_regs.ll, llc-19 -mcpu=gfx1100 (s_code_end padding
 * dropped): lane 0 adds 40 to DWORDS_WRITTEN_2 (offset 8), subtracts 3
 * from DWORDS_WRITTEN_3 (offset 12) and adds 1000 to the 64-bit
 * PRIMS_WRITTEN_0 (offset 36), then stores the three old values. */
static const uint32_t llc_counters[] = {
	0xbe82007e, 0x7d940080, 0xbfa50010, 0x7e0002a8, 0x7e040283, 0x7e080280,
	0xd9ea0008, 0x00000000, 0xbf89fc07, 0xd9ee000c, 0x01000200, 0xbf89fc07,
	0x7e0402ff, 0x000003e8, 0xd9ea0024, 0x02000200, 0xbf89fc07, 0xdc760000,
	0x00000004, 0xbf800000, 0xbfb60003, 0xbfb00000,
};

Test(vgpu_gs_regs, llc_streamout_counters_across_workgroups)
{
	uint32_t ctx = vgpu_rig_ctx_new(), v[NUM_GS_REGS];
	initial(v);
	cr_assert_eq(set_regs(ctx, v), 0);
	struct rig_buf *out = vgpu_rig_buf_new(4096), *regs = vgpu_rig_buf_new(4096);
	struct rig_buf *code = vgpu_rig_program(llc_counters, sizeof(llc_counters) / 4);
	/* one workgroup: the old values */
	cr_assert_eq(vgpu_rig_dispatch(ctx, code, 1, 64, 0, false, out), 0);
	const uint32_t want[] = { 100, 10, 0xfffffff0u, 5 };
	vgpu_rig_expect_words(out, want, 4);
	/* three more workgroups (every one's lane 0 of wave 0 takes part) in a
	 * second dispatch: the registers persist across jobs */
	cr_assert_eq(vgpu_rig_dispatch(ctx, code, 3, 32, 0, false, out), 0);
	cr_assert_eq(read_regs(ctx, regs), 0);
	uint32_t after[NUM_GS_REGS];
	memcpy(after, v, sizeof(after));
	after[2] = 100 + 4 * 40;
	after[3] = 10 - 4 * 3;
	uint64_t w = 0x5fffffff0ull + 4 * 1000;
	after[10] = (uint32_t)w;
	after[11] = (uint32_t)(w >> 32);
	vgpu_rig_expect_words(regs, after, NUM_GS_REGS);
}

Test(vgpu_gs_regs, copy_data_reads_and_writes_64_bits)
{
	uint32_t ctx = vgpu_rig_ctx_new(), v[NUM_GS_REGS];
	initial(v);
	cr_assert_eq(set_regs(ctx, v), 0);
	struct rig_buf *ib = vgpu_rig_buf_new(4096), *out = vgpu_rig_buf_new(4096);
	uint32_t *p = ib->cpu, n = 0;
	/* an immediate into the 64-bit PRIMS_NEEDED_1 pair (regs 12, 13) */
	p[n++] = PACKET3(PKT3_COPY_DATA, 4);
	p[n++] = COPY_SRC_IMM | COPY_DST_REG | COPY_64;
	p[n++] = 0x89abcdefu;
	p[n++] = 0x01234567u;
	p[n++] = GS_REG0 + 12;
	p[n++] = 0;
	/* and both halves back to memory in one 64-bit copy */
	p[n++] = PACKET3(PKT3_COPY_DATA, 4);
	p[n++] = COPY_SRC_REG | COPY_DST_MEM | COPY_64 | COPY_WR_CONFIRM;
	p[n++] = GS_REG0 + 12;
	p[n++] = 0;
	p[n++] = (uint32_t)out->va;
	p[n++] = (uint32_t)(out->va >> 32);
	cr_assert_eq(vgpu_rig_submit_compute(ctx, ib, n), 0);
	const uint32_t want[] = { 0x89abcdefu, 0x01234567u };
	vgpu_rig_expect_words(out, want, 2);
}

Test(vgpu_gs_regs, copy_data_from_another_register_faults)
{
	uint32_t ctx = vgpu_rig_ctx_new();
	struct rig_buf *ib = vgpu_rig_buf_new(4096), *out = vgpu_rig_buf_new(4096);
	uint32_t *p = ib->cpu, n = 0;
	/* one past the last GS register, then a 64-bit read straddling it */
	uint32_t src[2][2] = { { GS_REG0 + NUM_GS_REGS, 0 }, { GS_REG0 + NUM_GS_REGS - 1, COPY_64 } };
	for (int k = 0; k < 2; k++) {
		n = 0;
		p[n++] = PACKET3(PKT3_COPY_DATA, 4);
		p[n++] = COPY_SRC_REG | COPY_DST_MEM | src[k][1];
		p[n++] = src[k][0];
		p[n++] = 0;
		p[n++] = (uint32_t)out->va;
		p[n++] = (uint32_t)(out->va >> 32);
		cr_expect_eq(vgpu_rig_submit_compute(ctx, ib, n), -ECANCELED, "case %d", k);
		ctx = vgpu_rig_ctx_new();
	}
}

/* Forms the guide does not define: no gds bit (LLVM neither assembles nor
 * disassembles it) and offset bits outside OFFSET0[5:2]. */
Test(vgpu_gs_regs, undefined_forms_fault)
{
	static const uint32_t no_gds[] = {
		0xd9e80004, 0x02000100, /* ds_add_gs_reg_rtn v[2:3], v1 offset:4 (gds clear) */
		0xbfb00000,             /* s_endpgm */
	};
	static const uint32_t odd_offset[] = {
		0xd9ea0006, 0x02000100, /* ds_add_gs_reg_rtn v[2:3], v1 offset:6 gds */
		0xbfb00000,             /* s_endpgm */
	};
	struct rig_buf *out = vgpu_rig_buf_new(4096);
	struct rig_buf *a = vgpu_rig_program(no_gds, 3), *b = vgpu_rig_program(odd_offset, 3);
	cr_expect_eq(vgpu_rig_dispatch(vgpu_rig_ctx_new(), a, 1, 32, 0, false, out), -ECANCELED);
	cr_expect_eq(vgpu_rig_dispatch(vgpu_rig_ctx_new(), b, 1, 32, 0, false, out), -ECANCELED);
}
