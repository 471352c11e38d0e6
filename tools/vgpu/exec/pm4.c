/*
 * The PM4 command processor of a gfx11 or gfx10.3 GFX/COMPUTE ring
 * (packet formats from nvd.h and soc15d.h, which gfx_v11_0.c and
 * gfx_v10_0.c share; registers from gc_11_0_0_offset.h and
 * gc_10_3_0_offset.h, where the COMPUTE_* registers a dispatch reads sit
 * at the same offsets), for the
 * packets a compute user sends (Mesa RADV 22.3's compute command buffers
 * and queue preambles included): NOP, SET_SH_REG(_INDEX), SET_UCONFIG_REG
 * (_INDEX), SET_CONTEXT_REG, CONTEXT_CONTROL and CLEAR_STATE (GFX ring),
 * LOAD_SH_REG_INDEX, SET_BASE, ACQUIRE_MEM, EVENT_WRITE, RELEASE_MEM,
 * WRITE_DATA, COPY_DATA, ATOMIC_MEM, WAIT_REG_MEM, DMA_DATA (copy, fill and
 * the L2 prefetch), PFP_SYNC_ME, INDIRECT_BUFFER, DISPATCH_DIRECT and
 * DISPATCH_INDIRECT.  Registers are kept in a register file (SH, context,
 * UCONFIG); only the COMPUTE_* ones feed a dispatch.  The graphics
 * registers a GFX-ring preamble programs are accepted and kept, because
 * the only packets that would read them (draws) are refused: a draw is a
 * fault naming it.
 * A DISPATCH_DIRECT whose state checks pass (with RSRC2.SCRATCH_EN also
 * the scratch ring: COMPUTE_TMPRING_SIZE and COMPUTE_DISPATCH_SCRATCH_BASE)
 * runs the shader on the vgpu's shader core (shader/dispatch.c,
 * docs/vgpu-shader.md).  Every
 * other packet, a wrong packet size, a register outside the allowed
 * ranges or a field value the vgpu does not model is a fault naming the
 * IB address, the dword offset and the header.
 *
 * What differs on gfx10.3 (job->gc == EXEC_GC_10_3): COMPUTE_TMPRING_SIZE
 * has a 13-bit WAVESIZE in 1 KiB units (bits 25..31 reserved); a
 * SCRATCH_EN dispatch needs no COMPUTE_DISPATCH_SCRATCH_BASE, because
 * gfx10.3 waves have no architected flat scratch: they find their scratch
 * buffer through user SGPRs (the private segment buffer V# and the flat
 * scratch init) plus the wave's byte offset the SPI puts in an SGPR; and
 * the compute block has no COMPUTE_DISPATCH_INTERLEAVE nor
 * COMPUTE_STATIC_THREAD_MGMT_SE4..7 (0x2e2b..0x2e2e are the RELAUNCH and
 * WAVE_RESTORE registers there), so a write to a register the block does
 * not have is a fault.
 *
 * What differs on gfx9 (job->gc == EXEC_GC_9, gfx_v9_0.c with soc15d.h
 * and gc_9_0_offset.h, which gfx_v9_0 uses for every GC 9.x):
 * ACQUIRE_MEM is 7 dwords (count 5: CP_COHER_CNTL, CP_COHER_SIZE,
 * CP_COHER_SIZE_HI, CP_COHER_BASE, CP_COHER_BASE_HI, POLL_INTERVAL;
 * gfx_v9_0_emit_mem_sync) where gfx10+ has 8 with GCR_CNTL, so the gfx10+
 * form is a wrong-size fault, and a CP_COHER_CNTL bit gc_9_0_sh_mask.h
 * does not define faults; RELEASE_MEM keeps gfx10's 8 dwords (dword 1
 * carries the EOP_* cache actions instead of GCR fields; a bit gfx9 does
 * not define there or in dword 2 faults, so gfx10's GCR_SEQ/GLV_INV do;
 * the actions need nothing: memory is coherent here); SET_UCONFIG_REG covers
 * soc15d.h's 0xc000..0xc400 only; SET_SH_REG_INDEX is not a gfx9 packet
 * (soc15d.h has none; Mesa's radeon_set_sh_reg_idx sends SET_SH_REG
 * before gfx10); LOAD_SH_REG_INDEX runs on the GFX ring only (Mesa: it
 * hangs compute queues before gfx10.3); SET_CONFIG_REG is not modelled.
 * A dispatch initiator or RSRC1 with bits gc_9_0_sh_mask.h does not
 * define (gfx10's TUNNEL_ENABLE, WGP_MODE, MEM_ORDERED, FWD_PROGRESS) is
 * a fault.  The compute block
 * is gc_9_0_offset.h's (0x2e00..0x2e24, STATIC_THREAD_MGMT_SE4..7 at
 * 0x2e25..0x2e28 except on GC 9.1, whose gc_9_1_offset.h lacks them,
 * USER_DATA 0x2e40..0x2e4f, COMPUTE_NOWHERE 0x2e7f): no
 * COMPUTE_PGM_RSRC3 except on GC 9.4.2 (gfx90a, mi210: gc_9_4_2_offset.h
 * regCOMPUTE_PGM_RSRC3 0x0e2d, ACCUM_OFFSET 5:0 and TG_SPLIT 16 in
 * gc_9_4_2_sh_mask.h, other bits a fault; 0x2e28 is STATIC_THREAD_MGMT_SE7
 * on every gfx9), no COMPUTE_DISPATCH_INTERLEAVE.
 * COMPUTE_TMPRING_SIZE has gfx10.3's 13-bit WAVESIZE in 1 KiB units
 * (gc_9_0_sh_mask.h WAVESIZE_MASK 0x01FFF000; Mesa and ROCr program bytes
 * per wave >> 10), and as on gfx10.3 waves reach scratch through the
 * private segment buffer in user SGPRs, so no scratch base is needed.
 * The dispatch initiator has no CS_W32_EN (gc_9_0_sh_mask.h): GCN runs
 * wave64 only, so an initiator asking for wave32 is a fault.
 */
#include "cmd.h"
#include "dispatch.h"
#include "gs_regs.h"
#include "base/vgpu_device.h" /* the profile's GC minor (gfx9 register set) */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* nvd.h; the UCONFIG end is Mesa's sid.h SI_UCONFIG_REG_END (gfx11 has
 * UCONFIG registers above nvd.h's 0xc400, e.g. SPI_ATTRIBUTE_RING_BASE
 * at 0xc446, which RADV's GFX preamble writes). */
#define CP_PACKET_GET_TYPE(h) (((h) >> 30) & 3)
#define CP_PACKET_GET_COUNT(h) (((h) >> 16) & 0x3FFF)
#define CP_PACKET3_GET_OPCODE(h) (((h) >> 8) & 0xFF)
/* PACKET3 header bit 0: PREDICATE (executes only under SET_PREDICATION) */
#define CP_PACKET3_PREDICATE(h) ((h) & 1u)
#define PACKET3_NOP 0x10
#define PACKET3_SET_BASE 0x11
#define PACKET3_CLEAR_STATE 0x12
#define PACKET3_DISPATCH_DIRECT 0x15
#define PACKET3_DISPATCH_INDIRECT 0x16
#define PACKET3_ATOMIC_MEM 0x1E
#define PACKET3_SET_PREDICATION 0x20
#define PACKET3_CONTEXT_CONTROL 0x28
#define PACKET3_WRITE_DATA 0x37
#define PACKET3_WAIT_REG_MEM 0x3C
#define PACKET3_INDIRECT_BUFFER 0x3F
#define PACKET3_COPY_DATA 0x40
#define PACKET3_PFP_SYNC_ME 0x42
#define PACKET3_EVENT_WRITE 0x46
#define PACKET3_RELEASE_MEM 0x49
#define PACKET3_DMA_DATA 0x50
#define PACKET3_ACQUIRE_MEM 0x58
#define PACKET3_LOAD_SH_REG_INDEX 0x63
#define PACKET3_SET_CONTEXT_REG 0x69
#define PACKET3_SET_CONTEXT_REG_START 0x0000a000
#define PACKET3_SET_CONTEXT_REG_END 0x0000a400
#define PACKET3_SET_SH_REG 0x76
#define PACKET3_SET_SH_REG_START 0x00002c00
#define PACKET3_SET_SH_REG_END 0x00003000
#define PACKET3_SET_UCONFIG_REG 0x79
#define PACKET3_SET_UCONFIG_REG_INDEX 0x7A
#define PACKET3_SET_UCONFIG_REG_START 0x0000c000
#define PACKET3_SET_UCONFIG_REG_END 0x00010000
/* soc15d.h (gfx9): PACKET3_SET_UCONFIG_REG_END 0x0000c400 */
#define PACKET3_SET_UCONFIG_REG_END_GFX9 0x0000c400
#define PACKET3_SET_CONFIG_REG 0x68
/* gfx9 RELEASE_MEM dword 1 (EVENT_CNTL), the fields Linux 6.12 defines
 * (soc15d.h EOP_*, kfd_pm4_headers_ai.h pm4_mec_release_mem): EVENT_TYPE
 * 5:0, EVENT_INDEX 11:8, TCL1_VOL 12, TC_VOL 13, TC_WB 15, TCL1 16, TC 17,
 * TC_NC 19, TC_WC 20, TC_MD 21, CACHE_POLICY 26:25, EOP_EXEC 28 (soc15d.h;
 * gfx_v9_0_ring_emit_fence sets it), PQ_EXE_STATUS 29 (the kfd header).
 * Reserved: 7:6, 14, 18, 24:22, 27, 31:30 - where gfx10's nvd.h puts
 * GCR_GLV_INV (14), GCR_GL2_RANGE's high bit (18) and GCR_SEQ (23:22). */
#define RELEASE_MEM_EVENT_CNTL_GFX9 0x363bbf3fu
/* dword 2: DST_SEL 17:16, INT_SEL 26:24, DATA_SEL 31:29
 * (pm4_mec_release_mem bitfields3); gfx10's MES_INTR_PIPE/MES_ACTION_ID
 * (23:20) and ADD_DOORBELL_OFFSET (28) are reserved on gfx9 */
#define RELEASE_MEM_DW2_GFX9 0xe7030000u
/* gfx9 ACQUIRE_MEM dword 1: CP_COHER_CNTL [30:0] with gc_9_0_sh_mask.h's
 * fields (= soc15d.h PACKET3_ACQUIRE_MEM_CP_COHER_CNTL_*): TC_NC 3, TC_WC
 * 4, TC_INV_METADATA 5, TCL1_VOL 15, TC_WB 18, TCL1 22, TC 23, CB 25, DB
 * 26, SH_KCACHE 27, SH_KCACHE_VOL 28, SH_ICACHE 29, SH_KCACHE_WB 30; and
 * ENGINE_SEL 31.  gfx8's CBn/DB/DEST_BASE_n_ENA bits (6..14, 19..21, 24)
 * are gone on gfx9. */
#define ACQUIRE_MEM_COHER_CNTL_GFX9 0xfec48038u
#define PACKET3_SET_SH_REG_INDEX 0x9B
/* Opcodes that draw (nvd.h): the vgpu has no rasteriser. */
#define PACKET3_DRAW_INDIRECT 0x24
#define PACKET3_DRAW_INDEX_INDIRECT 0x25
#define PACKET3_DRAW_INDEX_2 0x27
#define PACKET3_DRAW_INDIRECT_MULTI 0x2C
#define PACKET3_DRAW_INDEX_AUTO 0x2D
#define PACKET3_DRAW_INDEX_MULTI_AUTO 0x30
#define PACKET3_DRAW_INDEX_OFFSET_2 0x35
#define PACKET3_DRAW_INDEX_INDIRECT_MULTI 0x38
#define PACKET3_DISPATCH_MESH_INDIRECT_MULTI 0x4C
#define PACKET3_DISPATCH_TASKMESH_GFX 0x4D

/* gc_11_0_0_offset.h (+ the GC segment base 0x1260): the COMPUTE_* block */
#define REG_COMPUTE_FIRST 0x2e00
#define REG_COMPUTE_LAST 0x2e7f
#define REG_COMPUTE_PGM_LO 0x2e0c
#define REG_COMPUTE_PGM_HI 0x2e0d
#define REG_COMPUTE_PGM_RSRC1 0x2e12
#define REG_COMPUTE_PGM_RSRC2 0x2e13
#define REG_COMPUTE_START_X 0x2e04
#define REG_COMPUTE_NUM_THREAD_X 0x2e07
#define REG_COMPUTE_PGM_RSRC3 0x2e28
#define REG_COMPUTE_PGM_RSRC3_GC942 0x2e2d /* gc_9_4_2_offset.h 0x0e2d */
/* gc_9_4_2_sh_mask.h: ACCUM_OFFSET 5:0, TG_SPLIT 16 */
#define RSRC3_GC942_FIELDS 0x0001003fu
#define REG_COMPUTE_DISPATCH_SCRATCH_BASE_LO 0x2e10
#define REG_COMPUTE_DISPATCH_SCRATCH_BASE_HI 0x2e11
#define REG_COMPUTE_TMPRING_SIZE 0x2e18
/* gc_11_0_0_offset.h regCOMPUTE_DISPATCH_INTERLEAVE 0x1bcf (gfx11 only) */
#define REG_COMPUTE_DISPATCH_INTERLEAVE 0x2e2f
/* gc_11_0_0_sh_mask.h: COMPUTE_DISPATCH_SCRATCH_BASE_HI__DATA_MASK */
#define SCRATCH_BASE_HI_MASK 0xffu
#define REG_COMPUTE_USER_DATA_0 0x2e40
#define NUM_USER_DATA 16
/* gc_11_0_0_sh_mask.h: COMPUTE_PGM_RSRC2 fields */
#define RSRC2_SCRATCH_EN(v) ((v) & 1u)
#define RSRC2_USER_SGPR(v) (((v) >> 1) & 0x1f)
#define RSRC2_LDS_SIZE(v) (((v) >> 15) & 0x1ff)
/* LDS_SIZE granule on gfx7..gfx11: 128 dwords; 64 KiB per workgroup */
#define LDS_GRANULE_BYTES 512u
#define LDS_MAX_BYTES 65536u
/* COMPUTE_DISPATCH_INITIATOR.COMPUTE_SHADER_EN, CS_W32_EN */
#define INITIATOR_COMPUTE_SHADER_EN 1u
#define INITIATOR_CS_W32_EN (1u << 15)
/* gc_9_0_sh_mask.h: the COMPUTE_DISPATCH_INITIATOR fields gfx9 has
 * (COMPUTE_SHADER_EN .. ORDER_MODE bits 0..6, SCALAR_L1_INV_VOL 10,
 * VECTOR_L1_INV_VOL 11, RESERVED 12, RESTORE 14) */
#define INITIATOR_GFX9_FIELDS 0x00005c7fu
/* gc_9_0_sh_mask.h: COMPUTE_PGM_RSRC1 ends at FP16_OVFL (bit 26); bits
 * 27..31 are gfx10+'s (WGP_MODE 29, MEM_ORDERED 30, FWD_PROGRESS 31) */
#define RSRC1_GFX9_RESERVED 0xf8000000u
/* The one-dword filler PACKET3(PACKET3_NOP, 0x3FFF) (gfx_v11 ring nop) */
#define NOP_FILLER_COUNT 0x3FFF

#define NUM_SH_REGS (PACKET3_SET_SH_REG_END - PACKET3_SET_SH_REG_START)
#define NUM_CONTEXT_REGS (PACKET3_SET_CONTEXT_REG_END - PACKET3_SET_CONTEXT_REG_START)
#define NUM_UCONFIG_REGS (PACKET3_SET_UCONFIG_REG_END - PACKET3_SET_UCONFIG_REG_START)

/* The CP's register file as far as packets write it. */
struct cp_state {
	uint32_t sh[NUM_SH_REGS];
	bool sh_set[NUM_SH_REGS];
	uint32_t ctx[NUM_CONTEXT_REGS];
	uint32_t uconfig[NUM_UCONFIG_REGS];
	/* SET_BASE BASE_INDEX 1 (the DISPATCH_INDIRECT base on the GFX ring) */
	uint64_t dispatch_base;
	bool dispatch_base_set;
};

struct cp {
	struct exec_job *job;
	struct cp_state *st;
	uint64_t ib_va;
	const uint32_t *dw;
	uint32_t pos;
	int depth;
};

static uint64_t addr64(uint32_t lo, uint32_t hi)
{
	return (uint64_t)lo | ((uint64_t)hi << 32);
}

static int bad(struct cp *c, const char *fmt, const char *what)
{
	char msg[200];
	snprintf(msg, sizeof(msg), fmt, what);
	return exec_fault(c->job, "PM4: %s in IB 0x%llx at dword %u (header 0x%08x)", msg,
			  (unsigned long long)c->ib_va, c->pos, c->dw[c->pos]);
}

static int run_ib(struct exec_job *job, struct cp_state *st, uint64_t va, uint32_t ndw, int depth);


static bool on_gfx_ring(const struct cp *c)
{
	return c->job->ip == AMDGPU_HW_IP_GFX;
}

/* EVENT_WRITE ZPASS_DONE (EVENT_INDEX 1) with an address: every render
 * backend's DB writes its 64-bit occlusion (ZPASS) count, bit 63 set as
 * "written", at ADDRESS + 16 * its index (the layout RADV's occlusion
 * queries read: radv_query.c, a begin/end pair per DB).  RADV emits one
 * before every timestamp event on a gfx9 GFX ring (si_cs_emit_write_event_eop:
 * "must immediately precede every timestamp event to prevent a GPU hang on
 * GFX9").  The count stays 0: the vgpu runs no draws (a draw faults), so no
 * sample ever passes.  Only a GFX ring has DBs.  The kernel headers give
 * no EVENT_WRITE address layout; RADV's gfx9_eop_bug_va is only dword
 * aligned (its upload allocator puts an 8-byte fence first) and runs on
 * Vega as it is, so a dword-aligned address is taken and the counts land at
 * it as given: inside the 16 * num_db bytes RADV allocates for them. */
#define EVENT_TYPE_ZPASS_DONE 0x15u
static int zpass_done(struct cp *c, const uint32_t *p)
{
	if (!on_gfx_ring(c))
		return bad(c, "%s", "EVENT_WRITE ZPASS_DONE on a compute ring (no DB there)");
	if (p[2] & 3u)
		return bad(c, "%s", "EVENT_WRITE ZPASS_DONE to an address not dword aligned");
	uint64_t va = addr64(p[2], p[3] & 0xffffu);
	const struct vgpu_profile *prof = vgpu_profile_get(NULL);
	unsigned rbs = prof ? prof->num_rb_pipes : 0;
	for (unsigned i = 0; i < rbs; i++) {
		uint64_t v = 1ull << 63;
		int r = exec_write(c->job, va + 16u * i, &v, sizeof(v));
		if (r)
			return r;
	}
	return 0;
}

static bool is_gfx11(const struct cp *c)
{
	return c->job->gc == EXEC_GC_11;
}

static bool is_gfx103(const struct cp *c)
{
	return c->job->gc == EXEC_GC_10_3;
}

static bool is_gfx9(const struct cp *c)
{
	return c->job->gc == EXEC_GC_9;
}

/* GC 9.4.2 (gfx90a): the one gfx9 with COMPUTE_PGM_RSRC3 */
static bool is_gc942(void)
{
	const struct vgpu_profile *p = vgpu_profile_get(NULL);
	return p && p->gc_major == 9 && p->gc_minor == 4 && p->gc_rev == 2;
}

/* gc_9_0_offset.h: the COMPUTE_* registers of 0x2e00..0x2e7f that exist
 * (0xe00..0xe24, STATIC_THREAD_MGMT_SE4..7 0xe25..0xe28, USER_DATA
 * 0xe40..0xe4f, COMPUTE_NOWHERE 0xe7f, plus the GC segment base 0x2000).
 * gc_9_1_offset.h (GC 9.1, Raven: one shader engine) has no SE4..7. */
static bool gfx9_compute_reg_exists(uint32_t reg)
{
	uint32_t o = reg - REG_COMPUTE_FIRST;
	if (o == 0x2d) /* gc_9_4_2_offset.h regCOMPUTE_PGM_RSRC3 */
		return is_gc942();
	if (o >= 0x25 && o <= 0x28) {
		const struct vgpu_profile *p = vgpu_profile_get(NULL);
		return !(p && p->gc_major == 9 && p->gc_minor == 1);
	}
	return (o <= 0x24) || (o >= 0x40 && o <= 0x4f) || o == 0x7f;
}

/* gc_10_3_0_offset.h: the COMPUTE_* registers of 0x2e00..0x2e7f that
 * exist (0x1ba0..0x1bc2, 0x1bc4..0x1bce, USER_DATA 0x1be0..0x1bef,
 * DISPATCH_TUNNEL/END/NOWHERE 0x1c1d..0x1c1f, plus the GC segment base
 * 0x1260).  gfx11 adds COMPUTE_DISPATCH_INTERLEAVE at 0x2e2f, which
 * gfx10.3 does not have. */
static bool gfx103_compute_reg_exists(uint32_t reg)
{
	uint32_t o = reg - REG_COMPUTE_FIRST;
	return (o <= 0x22) || (o >= 0x24 && o <= 0x2e) || (o >= 0x40 && o <= 0x4f) ||
	       (o >= 0x7d && o <= 0x7f);
}

/* One SH register write, with the checks of the registers a dispatch
 * reads. */
static int write_sh_reg(struct cp *c, uint32_t reg, uint32_t v)
{
	/* Scratch registers: bits the register does not have are a value
	 * the vgpu does not model. */
	if (reg == REG_COMPUTE_DISPATCH_SCRATCH_BASE_HI && (v & ~SCRATCH_BASE_HI_MASK))
		return bad(c, "%s", "COMPUTE_DISPATCH_SCRATCH_BASE_HI above bit 7 (the address "
			   "has 48 bits)");
	if (reg == REG_COMPUTE_TMPRING_SIZE && c->job->gc == EXEC_GC_11 &&
	    (v & TMPRING_RESERVED_MASK))
		return bad(c, "%s", "COMPUTE_TMPRING_SIZE with reserved bits 27..31 set");
	if (reg == REG_COMPUTE_TMPRING_SIZE && is_gfx103(c) && (v & TMPRING_RESERVED_MASK_GFX103))
		return bad(c, "%s", "COMPUTE_TMPRING_SIZE with bits 25..31 set (gfx10.3's WAVESIZE "
			   "has 13 bits, gc_10_3_0_sh_mask.h)");
	if (reg == REG_COMPUTE_TMPRING_SIZE && is_gfx9(c) && (v & TMPRING_RESERVED_MASK_GFX103))
		return bad(c, "%s", "COMPUTE_TMPRING_SIZE with bits 25..31 set (gfx9's WAVESIZE "
			   "has 13 bits, gc_9_0_sh_mask.h)");
	if (is_gfx9(c) && reg >= REG_COMPUTE_FIRST && reg <= REG_COMPUTE_LAST &&
	    !gfx9_compute_reg_exists(reg)) {
		if (reg == REG_COMPUTE_DISPATCH_INTERLEAVE)
			return bad(c, "%s", "COMPUTE_DISPATCH_INTERLEAVE (0x2e2f) written on gfx9, "
				   "which has no such register (gfx11 only)");
		return bad(c, "%s", "a COMPUTE_* register offset gfx9 does not have "
			   "(gc_9_0_offset.h; COMPUTE_PGM_RSRC3 is GC 9.4.2's only, and GC 9.1 "
			   "has no STATIC_THREAD_MGMT_SE4..7)");
	}
	if (is_gfx9(c) && reg == REG_COMPUTE_PGM_RSRC3_GC942 && (v & ~RSRC3_GC942_FIELDS))
		return bad(c, "%s", "COMPUTE_PGM_RSRC3 with bits other than ACCUM_OFFSET (5:0) and "
			   "TG_SPLIT (16) set on GC 9.4.2 (gc_9_4_2_sh_mask.h)");
	if (is_gfx103(c) && reg >= REG_COMPUTE_FIRST && reg <= REG_COMPUTE_LAST &&
	    !gfx103_compute_reg_exists(reg)) {
		if (reg == REG_COMPUTE_DISPATCH_INTERLEAVE)
			return bad(c, "%s", "COMPUTE_DISPATCH_INTERLEAVE (0x2e2f) written on gfx10.3, "
				   "which has no such register (gfx11 only)");
		return bad(c, "%s", "a COMPUTE_* register offset gfx10.3 does not have "
			   "(gc_10_3_0_offset.h)");
	}
	c->st->sh[reg - PACKET3_SET_SH_REG_START] = v;
	c->st->sh_set[reg - PACKET3_SET_SH_REG_START] = true;
	return 0;
}

/* The SH registers [reg, reg + n) may be written on this ring: every SH
 * register on the GFX ring (the graphics shader registers are kept, read
 * by nothing the vgpu runs), only the COMPUTE_* block on a compute ring
 * (the MEC has no graphics shader stages). */
static int check_sh_range(struct cp *c, uint32_t reg, uint32_t n, const char *what)
{
	char msg[120];
	if (n == 0 || reg + n > PACKET3_SET_SH_REG_END) {
		snprintf(msg, sizeof(msg), "%s outside the SH registers", what);
		return bad(c, "%s", msg);
	}
	if (!on_gfx_ring(c) && (reg < REG_COMPUTE_FIRST || reg + n - 1 > REG_COMPUTE_LAST)) {
		snprintf(msg, sizeof(msg), "%s of a graphics shader register on a compute ring", what);
		return bad(c, "%s", msg);
	}
	return 0;
}

/* SET_SH_REG / SET_SH_REG_INDEX (the INDEX field, bits 28..31 of the
 * offset dword, selects how the CP applies the write, which is the same
 * register value for every index RADV uses) */
static int set_sh_reg(struct cp *c, const uint32_t *p, uint32_t count)
{
	/* count: the values after the offset dword */
	if (count < 1)
		return bad(c, "%s", "SET_SH_REG without a value");
	uint32_t reg = PACKET3_SET_SH_REG_START + (p[1] & 0xffff);
	int r = check_sh_range(c, reg, count, "SET_SH_REG");
	if (r)
		return r;
	for (uint32_t i = 0; i < count; i++) {
		r = write_sh_reg(c, reg + i, p[2 + i]);
		if (r)
			return r;
	}
	return 0;
}

/* LOAD_SH_REG_INDEX (gfx10.3+; RADV loads the dispatch grid size into
 * user SGPRs with it): INDEX 0 (direct address) with DATA_FORMAT 0
 * (OFFSET_AND_SIZE): NUM_DWORDS dwords from memory into consecutive SH
 * registers starting at REG_OFFSET. */
static int load_sh_reg_index(struct cp *c, const uint32_t *p)
{
	uint32_t index = p[1] & 3, fmt = p[3] >> 31, n = p[4] & 0x3fff;
	if (index != 0)
		return bad(c, "%s", "LOAD_SH_REG_INDEX with an INDEX other than a direct address");
	if (fmt != 0)
		return bad(c, "%s", "LOAD_SH_REG_INDEX DATA_FORMAT offset-and-data is not modelled");
	uint32_t reg = PACKET3_SET_SH_REG_START + (p[3] & 0xffff);
	int r = check_sh_range(c, reg, n, "LOAD_SH_REG_INDEX");
	if (r)
		return r;
	uint32_t v[64];
	if (n > 64)
		return bad(c, "%s", "LOAD_SH_REG_INDEX of more than 64 registers is not modelled");
	r = exec_read(c->job, addr64(p[1] & ~3u, p[2]), v, (size_t)n * 4);
	for (uint32_t i = 0; !r && i < n; i++)
		r = write_sh_reg(c, reg + i, v[i]);
	return r;
}

/* SET_CONTEXT_REG: graphics context registers, GFX ring only. */
static int set_context_reg(struct cp *c, const uint32_t *p, uint32_t count)
{
	if (!on_gfx_ring(c))
		return bad(c, "%s", "SET_CONTEXT_REG on a compute ring (the MEC has no graphics context)");
	if (count < 1)
		return bad(c, "%s", "SET_CONTEXT_REG without a value");
	uint32_t reg = PACKET3_SET_CONTEXT_REG_START + (p[1] & 0xffff);
	if (reg + count > PACKET3_SET_CONTEXT_REG_END)
		return bad(c, "%s", "SET_CONTEXT_REG outside the context registers");
	memcpy(&c->st->ctx[reg - PACKET3_SET_CONTEXT_REG_START], &p[2], (size_t)count * 4);
	return 0;
}

/* SET_UCONFIG_REG(_INDEX) */
static int set_uconfig_reg(struct cp *c, const uint32_t *p, uint32_t count)
{
	if (count < 1)
		return bad(c, "%s", "SET_UCONFIG_REG without a value");
	uint32_t reg = PACKET3_SET_UCONFIG_REG_START + (p[1] & 0xffff);
	if (reg + count > PACKET3_SET_UCONFIG_REG_END)
		return bad(c, "%s", "SET_UCONFIG_REG outside the UCONFIG range");
	if (is_gfx9(c) && reg + count > PACKET3_SET_UCONFIG_REG_END_GFX9)
		return bad(c, "%s", "SET_UCONFIG_REG outside gfx9's UCONFIG range (soc15d.h: "
			   "0xc000..0xc400)");
	memcpy(&c->st->uconfig[reg - PACKET3_SET_UCONFIG_REG_START], &p[2], (size_t)count * 4);
	/* gfx11's GDS GS registers are the chip's, not this register file's
	 * (exec/gs_regs.h) */
	uint32_t first = reg > EXEC_GS_REG_FIRST ? reg : EXEC_GS_REG_FIRST;
	uint32_t end = reg + count < EXEC_GS_REG_FIRST + EXEC_GS_REG_COUNT
		       ? reg + count : EXEC_GS_REG_FIRST + EXEC_GS_REG_COUNT;
	if (is_gfx11(c) && first < end)
		exec_gs_regs_write(first, &p[2 + (first - reg)], end - first);
	return 0;
}

static bool reg_set(const struct cp_state *st, uint32_t reg)
{
	return st->sh_set[reg - PACKET3_SET_SH_REG_START];
}

static uint32_t reg_val(const struct cp_state *st, uint32_t reg)
{
	return st->sh[reg - PACKET3_SET_SH_REG_START];
}

/* The shader core DISPATCH_DIRECT runs (exec/dispatch.h). */
static exec_shader_core_fn shader_core;

void exec_set_shader_core(exec_shader_core_fn fn)
{
	__atomic_store_n(&shader_core, fn, __ATOMIC_RELEASE);
}

/* A SCRATCH_EN dispatch: the SPI gives its waves scratch slots only with
 * the ring programmed (COMPUTE_TMPRING_SIZE WAVES and WAVESIZE non-zero;
 * on gfx11 also COMPUTE_DISPATCH_SCRATCH_BASE, the base of the slots it
 * loads into each wave's FLAT_SCRATCH).  On hardware waves wait for a
 * free slot; a workgroup needing more slots than WAVES could never be
 * resident, which the vgpu reports instead of hanging.  gfx10.3 waves
 * get only their slot's byte offset (in an SGPR) and add it to the
 * buffer address of their user SGPRs, so no base is needed there. */
static int scratch_state(struct cp *c, uint32_t initiator, struct exec_dispatch *d)
{
	const struct cp_state *st = c->st;
	if (!RSRC2_SCRATCH_EN(d->rsrc2))
		return 0;
	uint32_t tmpring = reg_val(st, REG_COMPUTE_TMPRING_SIZE);
	if (!reg_set(st, REG_COMPUTE_TMPRING_SIZE) || TMPRING_WAVES(tmpring) == 0 ||
	    TMPRING_WAVESIZE(tmpring) == 0)
		return bad(c, "%s", "DISPATCH_DIRECT with RSRC2.SCRATCH_EN but no scratch ring "
			   "(COMPUTE_TMPRING_SIZE WAVES or WAVESIZE is 0)");
	uint64_t base = 0;
	if (c->job->gc == EXEC_GC_11) {
		if (!reg_set(st, REG_COMPUTE_DISPATCH_SCRATCH_BASE_LO) ||
		    !reg_set(st, REG_COMPUTE_DISPATCH_SCRATCH_BASE_HI))
			return bad(c, "%s", "DISPATCH_DIRECT with RSRC2.SCRATCH_EN before "
				   "COMPUTE_DISPATCH_SCRATCH_BASE_LO/HI were set");
		base = ((uint64_t)reg_val(st, REG_COMPUTE_DISPATCH_SCRATCH_BASE_LO) << 8) |
		       ((uint64_t)reg_val(st, REG_COMPUTE_DISPATCH_SCRATCH_BASE_HI) << 40);
		if (base == 0)
			return bad(c, "%s", "DISPATCH_DIRECT with RSRC2.SCRATCH_EN and a zero "
				   "scratch base");
	}
	uint64_t threads = 1;
	for (int i = 0; i < 3; i++)
		threads *= reg_val(st, REG_COMPUTE_NUM_THREAD_X + i) & 0xffff;
	unsigned lanes = (initiator & INITIATOR_CS_W32_EN) ? 32 : 64;
	if ((threads + lanes - 1) / lanes > TMPRING_WAVES(tmpring))
		return bad(c, "%s", "a workgroup has more waves than COMPUTE_TMPRING_SIZE.WAVES "
			   "scratch slots (it could never be resident)");
	d->scratch_base = base;
	d->tmpring_size = tmpring;
	return 0;
}

/* DISPATCH_DIRECT / DISPATCH_INDIRECT: a grid of dim[] workgroups. */
static int dispatch(struct cp *c, const uint32_t dim[3], uint32_t initiator)
{
	const struct cp_state *st = c->st;
	if (!(initiator & INITIATOR_COMPUTE_SHADER_EN))
		return bad(c, "%s", "DISPATCH_DIRECT without COMPUTE_SHADER_EN in the initiator");
	if (is_gfx9(c) && (initiator & INITIATOR_CS_W32_EN))
		return bad(c, "%s", "DISPATCH_DIRECT with CS_W32_EN (bit 15) on gfx9: GCN runs wave64 "
			   "only and COMPUTE_DISPATCH_INITIATOR has no such field (gc_9_0_sh_mask.h)");
	if (is_gfx9(c) && (initiator & ~INITIATOR_GFX9_FIELDS))
		return bad(c, "%s", "DISPATCH_DIRECT initiator with bits gfx9's "
			   "COMPUTE_DISPATCH_INITIATOR does not have (gc_9_0_sh_mask.h: bits 0..6, "
			   "10..12, 14)");
	if (!reg_set(st, REG_COMPUTE_PGM_LO) || !reg_set(st, REG_COMPUTE_PGM_HI))
		return bad(c, "%s", "DISPATCH_DIRECT before COMPUTE_PGM_LO/HI were set");
	uint64_t pgm = ((uint64_t)reg_val(st, REG_COMPUTE_PGM_LO) << 8) |
		       ((uint64_t)reg_val(st, REG_COMPUTE_PGM_HI) << 40);
	if (pgm == 0)
		return bad(c, "%s", "DISPATCH_DIRECT with a zero program address");
	if (!reg_set(st, REG_COMPUTE_PGM_RSRC1) || !reg_set(st, REG_COMPUTE_PGM_RSRC2))
		return bad(c, "%s", "DISPATCH_DIRECT before COMPUTE_PGM_RSRC1/RSRC2 were set");
	uint32_t rsrc2 = reg_val(st, REG_COMPUTE_PGM_RSRC2);
	if (is_gfx9(c) && (reg_val(st, REG_COMPUTE_PGM_RSRC1) & RSRC1_GFX9_RESERVED))
		return bad(c, "%s", "DISPATCH_DIRECT with COMPUTE_PGM_RSRC1 bits 27..31 set on gfx9 "
			   "(WGP_MODE, MEM_ORDERED, FWD_PROGRESS are gfx10+; gc_9_0_sh_mask.h ends at "
			   "FP16_OVFL, bit 26)");
	if (RSRC2_LDS_SIZE(rsrc2) * LDS_GRANULE_BYTES > LDS_MAX_BYTES)
		return bad(c, "%s", "DISPATCH_DIRECT asks for more than 64 KiB of LDS (RSRC2.LDS_SIZE)");
	uint32_t nsgpr = RSRC2_USER_SGPR(rsrc2);
	if (nsgpr > NUM_USER_DATA)
		return bad(c, "%s", "RSRC2.USER_SGPR above the 16 COMPUTE_USER_DATA registers");
	/* A COMPUTE_USER_DATA register RSRC2.USER_SGPR counts but no packet
	 * wrote is loaded as the hardware does: with whatever the register
	 * holds, which for the vgpu's fresh per-job register file is 0.
	 * RADV declares user SGPRs 0..1 (the scratch ring offsets) in every
	 * compute shader and writes them only when the queue has a scratch
	 * ring; shaders that use no scratch never read them. */
	struct exec_dispatch d = { .pgm = pgm,
				     .rsrc1 = reg_val(st, REG_COMPUTE_PGM_RSRC1),
				     .rsrc2 = rsrc2,
				     /* gfx9 has no RSRC3 (0x2e28 is STATIC_THREAD_MGMT_SE7)
				      * except GC 9.4.2's at 0x2e2d */
				     .rsrc3 = !is_gfx9(c) ? reg_val(st, REG_COMPUTE_PGM_RSRC3)
					      : is_gc942() ? reg_val(st, REG_COMPUTE_PGM_RSRC3_GC942) : 0,
				     .dim = { dim[0], dim[1], dim[2] },
				     .initiator = initiator,
				     .gc = c->job->gc,
				     .wavesize_unit = c->job->gc == EXEC_GC_11
							      ? TMPRING_WAVESIZE_UNIT
							      : TMPRING_WAVESIZE_UNIT_GFX103 };
	for (uint32_t i = 0; i < NUM_USER_DATA; i++)
		d.user_data[i] = reg_val(st, REG_COMPUTE_USER_DATA_0 + i);
	for (uint32_t i = 0; i < 3; i++) {
		if (!reg_set(st, REG_COMPUTE_NUM_THREAD_X + i))
			return bad(c, "%s", "DISPATCH_DIRECT before COMPUTE_NUM_THREAD_X/Y/Z were set");
		d.num_thread[i] = reg_val(st, REG_COMPUTE_NUM_THREAD_X + i);
		/* COMPUTE_START_* left unwritten: the CP's reset value 0 */
		d.start[i] = reg_val(st, REG_COMPUTE_START_X + i);
	}
	int r = scratch_state(c, initiator, &d);
	if (r)
		return r;
	exec_shader_core_fn core = __atomic_load_n(&shader_core, __ATOMIC_ACQUIRE);
	if (!core)
		return bad(c, "%s", "DISPATCH_DIRECT: the device has no shader core installed");
	return core(c->job, &d);
}

static int dispatch_direct(struct cp *c, const uint32_t *p)
{
	return dispatch(c, &p[1], p[4]);
}

/* DISPATCH_INDIRECT: the grid's three dwords from memory.  On a compute
 * ring (count 2) the packet carries the address; on the GFX ring (count 1)
 * it carries an offset from the SET_BASE dispatch base. */
static int dispatch_indirect(struct cp *c, const uint32_t *p, uint32_t count)
{
	uint64_t va;
	uint32_t initiator;
	if (on_gfx_ring(c)) {
		if (count != 1)
			return bad(c, "%s", "DISPATCH_INDIRECT on the GFX ring with a size other than "
				   "offset + initiator");
		if (!c->st->dispatch_base_set)
			return bad(c, "%s", "DISPATCH_INDIRECT before SET_BASE gave the dispatch base");
		va = c->st->dispatch_base + p[1];
		initiator = p[2];
	} else {
		if (count != 2)
			return bad(c, "%s", "DISPATCH_INDIRECT on a compute ring with a size other than "
				   "address + initiator");
		va = addr64(p[1], p[2]);
		initiator = p[3];
	}
	if (va & 3)
		return bad(c, "%s", "DISPATCH_INDIRECT grid at an unaligned address");
	uint32_t dim[3];
	int r = exec_read(c->job, va, dim, sizeof(dim));
	if (r)
		return r;
	if (!dim[0] || !dim[1] || !dim[2])
		return 0; /* an empty grid launches no workgroup */
	return dispatch(c, dim, initiator);
}

/* SET_BASE: BASE_INDEX 1 is the DISPATCH_INDIRECT base (GFX ring). */
static int set_base(struct cp *c, const uint32_t *p)
{
	if ((p[1] & 0xf) != 1)
		return bad(c, "%s", "SET_BASE with a BASE_INDEX other than 1 (dispatch indirect)");
	if (!on_gfx_ring(c))
		return bad(c, "%s", "SET_BASE on a compute ring (its DISPATCH_INDIRECT carries the address)");
	uint64_t base = addr64(p[2], p[3]);
	if (base & 7)
		return bad(c, "%s", "SET_BASE with an address not 8-byte aligned");
	c->st->dispatch_base = base;
	c->st->dispatch_base_set = true;
	return 0;
}

static int release_mem(struct cp *c, const uint32_t *p)
{
	uint32_t data_sel = (p[2] >> 29) & 7, dst_sel = (p[2] >> 16) & 3;
	uint64_t addr = addr64(p[3], p[4]);
	/* gfx9: only the EOP_* cache actions and fields GC 9.x has (see
	 * RELEASE_MEM_EVENT_CNTL_GFX9); a gfx10 GCR field there is a bit
	 * the gfx9 CP does not define */
	char msg[160];
	if (is_gfx9(c) && (p[1] & ~RELEASE_MEM_EVENT_CNTL_GFX9)) {
		snprintf(msg, sizeof(msg), "RELEASE_MEM on gfx9 with EVENT_CNTL bits 0x%08x that gfx9 "
			 "does not define (soc15d.h EOP_*; gfx10's GCR fields are not gfx9's)",
			 p[1] & ~RELEASE_MEM_EVENT_CNTL_GFX9);
		return bad(c, "%s", msg);
	}
	if (is_gfx9(c) && (p[2] & ~RELEASE_MEM_DW2_GFX9)) {
		snprintf(msg, sizeof(msg), "RELEASE_MEM on gfx9 with dword 2 bits 0x%08x outside "
			 "DST_SEL, INT_SEL and DATA_SEL", p[2] & ~RELEASE_MEM_DW2_GFX9);
		return bad(c, "%s", msg);
	}
	if (data_sel == 0)
		return 0; /* discard: only the cache actions and/or interrupt */
	if (dst_sel > 1)
		return bad(c, "%s", "RELEASE_MEM DST_SEL other than memory (MC or TC/L2)");
	uint64_t v;
	switch (data_sel) {
	case 1:
		if (addr & 3)
			return bad(c, "%s", "RELEASE_MEM 32-bit write to an unaligned address");
		return exec_write(c->job, addr, &p[5], 4);
	case 2:
		v = addr64(p[5], p[6]);
		break;
	case 3: /* GPU counter */
	case 4: /* system counter */
		v = exec_gpu_clock();
		break;
	default:
		return bad(c, "%s", "RELEASE_MEM DATA_SEL not modelled");
	}
	if (addr & 7)
		return bad(c, "%s", "RELEASE_MEM 64-bit write to an unaligned address");
	return exec_write(c->job, addr, &v, 8);
}

static int write_data(struct cp *c, const uint32_t *p, uint32_t count)
{
	if (count < 3)
		return bad(c, "%s", "WRITE_DATA without data");
	uint32_t dst_sel = (p[1] >> 8) & 0xf;
	if (dst_sel != 1 && dst_sel != 2 && dst_sel != 5)
		return bad(c, "%s", "WRITE_DATA DST_SEL other than memory (1, 2, 5)");
	uint64_t addr = addr64(p[2], p[3]);
	if (addr & 3)
		return bad(c, "%s", "WRITE_DATA to an unaligned address");
	uint32_t n = count - 2;
	if (p[1] & (1u << 16)) { /* WR_ONE_ADDR: every dword to the same address */
		for (uint32_t i = 0; i < n; i++) {
			int r = exec_write(c->job, addr, &p[4 + i], 4);
			if (r)
				return r;
		}
		return 0;
	}
	return exec_write(c->job, addr, &p[4], (size_t)n * 4);
}

static int wait_reg_mem(struct cp *c, const uint32_t *p)
{
	uint32_t func = p[1] & 7, mem_space = (p[1] >> 4) & 3, op = (p[1] >> 6) & 3;
	if (mem_space != 1)
		return bad(c, "%s", "WAIT_REG_MEM on a register is not supported");
	if (op != 0)
		return bad(c, "%s", "WAIT_REG_MEM operation other than wait_reg_mem");
	if (func == 7)
		return bad(c, "%s", "WAIT_REG_MEM reserved function 7");
	uint64_t addr = addr64(p[2], p[3]);
	if (addr & 3)
		return bad(c, "%s", "WAIT_REG_MEM on an unaligned address");
	return exec_poll_mem(c->job, addr, func, p[4], p[5], UINT32_MAX);
}

static int dma_data(struct cp *c, const uint32_t *p)
{
	uint32_t ctl = p[1], cmd = p[6];
	uint32_t src_sel = (ctl >> 29) & 3, dst_sel = (ctl >> 20) & 3;
	uint32_t bytes = cmd & 0x3ffffff;
	if (cmd & ((1u << 26) | (1u << 27)))
		return bad(c, "%s", "DMA_DATA with a register source or destination (SAS/DAS)");
	if (cmd & ((1u << 28) | (1u << 29)))
		return bad(c, "%s", "DMA_DATA with no-increment addressing (SAIC/DAIC)");
	/* DST_SEL (Mesa sid.h V_411_*): 0 DST_ADDR, 1 GDS, 2 NOWHERE (gfx9+),
	 * 3 DST_ADDR_TC_L2 */
	if (dst_sel == 2) {
		/* DST_SEL NOWHERE: the L2 prefetch (Mesa si_cs_emit_cp_dma with
		 * src == dst on gfx9+).  The CP reads the source through the VM
		 * into L2 and writes nothing; an unmapped source faults as any
		 * read does.  The vgpu has no cache, so it only checks the read. */
		if (src_sel != 0 && src_sel != 3)
			return bad(c, "%s", "DMA_DATA prefetch (DST_SEL NOWHERE) from a non-memory source");
		char buf[4096];
		for (uint32_t done = 0; done < bytes;) {
			uint32_t n = bytes - done < sizeof(buf) ? bytes - done : (uint32_t)sizeof(buf);
			int r = exec_read(c->job, addr64(p[2], p[3]) + done, buf, n);
			if (r)
				return r;
			done += n;
		}
		return 0;
	}
	if (dst_sel != 0 && dst_sel != 3)
		return bad(c, "%s", "DMA_DATA DST_SEL GDS is not modelled");
	uint64_t dst = addr64(p[4], p[5]);
	if (src_sel == 2) { /* DATA: fill with the dword */
		if ((dst & 3) || (bytes & 3))
			return bad(c, "%s", "DMA_DATA fill not dword aligned");
		uint32_t buf[1024];
		for (size_t i = 0; i < 1024; i++)
			buf[i] = p[2];
		for (uint32_t done = 0; done < bytes;) {
			uint32_t n = bytes - done < sizeof(buf) ? bytes - done : (uint32_t)sizeof(buf);
			int r = exec_write(c->job, dst + done, buf, n);
			if (r)
				return r;
			done += n;
		}
		return 0;
	}
	if (src_sel != 0 && src_sel != 3)
		return bad(c, "%s", "DMA_DATA SRC_SEL other than memory or data");
	char *buf = malloc(bytes ? bytes : 1);
	if (!buf)
		return bad(c, "%s", "out of memory for DMA_DATA");
	int r = exec_read(c->job, addr64(p[2], p[3]), buf, bytes);
	if (!r)
		r = exec_write(c->job, dst, buf, bytes);
	free(buf);
	return r;
}

/* A gfx11 GDS GS register range for COPY_DATA: `n` dwords from `reg`. */
static bool gs_reg_range(const struct cp *c, uint32_t reg, unsigned n)
{
	return is_gfx11(c) && exec_gs_reg_is(reg) && exec_gs_reg_is(reg + n - 1);
}

/* COPY_DATA (nvd.h / Mesa sid.h): SRC_SEL 1 memory, 2 TC_L2 (memory
 * through L2), 5 immediate, 9 the GPU timestamp, 0 a register (gfx11's
 * GDS GS registers only: RADV saves and restores the streamout counters
 * GDS_STRMOUT_* this way); DST_SEL 0 a register (the SH registers of the
 * register file, or gfx11's GDS GS registers), 1/2/5 memory.  COUNT_SEL
 * picks 32 or 64 bits. */
static int copy_data(struct cp *c, const uint32_t *p)
{
	uint32_t ctl = p[1], src_sel = ctl & 0xf, dst_sel = (ctl >> 8) & 0xf;
	bool wide = (ctl >> 16) & 1;
	size_t n = wide ? 8 : 4;
	uint64_t v = 0;
	switch (src_sel) {
	case 1:
	case 2: {
		uint64_t src = addr64(p[2], p[3]);
		if (src & (wide ? 7 : 3))
			return bad(c, "%s", "COPY_DATA from an unaligned memory address");
		int r = exec_read(c->job, src, &v, n);
		if (r)
			return r;
		break;
	}
	case 5:
		v = addr64(p[2], wide ? p[3] : 0);
		break;
	case 9:
		v = exec_gpu_clock();
		break;
	case 0: {
		uint32_t reg = p[2] & 0x3ffff;
		if (!gs_reg_range(c, reg, wide ? 2 : 1))
			return bad(c, "%s", "COPY_DATA from a register other than gfx11's GDS GS "
				   "registers (0xc422..0xc439) is not modelled");
		uint32_t d[2] = { 0, 0 };
		exec_gs_regs_read(reg, d, wide ? 2 : 1);
		v = addr64(d[0], d[1]);
		break;
	}
	default:
		return bad(c, "%s", "COPY_DATA SRC_SEL not modelled (GDS, perfcounter, ...)");
	}
	switch (dst_sel) {
	case 0: {
		uint32_t reg = p[4] & 0x3ffff;
		if (gs_reg_range(c, reg, wide ? 2 : 1)) {
			const uint32_t d[2] = { (uint32_t)v, (uint32_t)(v >> 32) };
			exec_gs_regs_write(reg, d, wide ? 2 : 1);
			return 0;
		}
		if (reg < PACKET3_SET_SH_REG_START || reg + (wide ? 2 : 1) > PACKET3_SET_SH_REG_END)
			return bad(c, "%s", "COPY_DATA to a register outside the SH registers");
		int r = check_sh_range(c, reg, wide ? 2 : 1, "COPY_DATA");
		if (!r)
			r = write_sh_reg(c, reg, (uint32_t)v);
		if (!r && wide)
			r = write_sh_reg(c, reg + 1, (uint32_t)(v >> 32));
		return r;
	}
	case 1:
	case 2:
	case 5: {
		uint64_t dst = addr64(p[4], p[5]);
		if (dst & (wide ? 7 : 3))
			return bad(c, "%s", "COPY_DATA to an unaligned memory address");
		return exec_write(c->job, dst, &v, n);
	}
	default:
		return bad(c, "%s", "COPY_DATA DST_SEL not modelled (GDS, perfcounter, ...)");
	}
}

/* ATOMIC_MEM: one atomic on memory, or (COMMAND 1, loop) a compare-swap
 * retried every LOOP_INTERVAL until it succeeds (a lock acquire: RADV's
 * perf-counter lock).  The read-modify-write runs between two packets of
 * this ring thread; like the shader core's atomics it is atomic against
 * this queue's work, not against another ring running at the same
 * instant. */
static int atomic_mem(struct cp *c, const uint32_t *p)
{
	uint32_t op = p[1] & 0x1f, command = (p[1] >> 8) & 0xf;
	bool wide = p[1] & EXEC_TC_OP_64;
	uint64_t addr = addr64(p[2], p[3]), src = addr64(p[4], p[5]), cmp = addr64(p[6], p[7]);
	uint64_t mask = wide ? UINT64_MAX : UINT32_MAX, probe;
	if (!exec_tc_atomic(op, wide, 0, 0, &probe))
		return bad(c, "%s", "ATOMIC_MEM with an ATOMIC op the vgpu does not model (float or cache op)");
	if (command > 1)
		return bad(c, "%s", "ATOMIC_MEM COMMAND other than single pass or loop");
	if (command == 1 && op != EXEC_TC_OP_CMPSWAP)
		return bad(c, "%s", "ATOMIC_MEM COMMAND loop with an op other than compare-swap");
	size_t n = wide ? 8 : 4;
	if (addr & (n - 1))
		return bad(c, "%s", "ATOMIC_MEM on an unaligned address");
	for (;;) {
		uint64_t old = 0, nv;
		int r = exec_read(c->job, addr, &old, n);
		if (r)
			return r;
		if (op != EXEC_TC_OP_CMPSWAP || (old & mask) == (cmp & mask)) {
			exec_tc_atomic(op, wide, old, src, &nv);
			return exec_write(c->job, addr, &nv, n);
		}
		if (command == 0)
			return 0; /* compare failed: memory unchanged */
		/* loop: another agent holds the lock; retry until the watchdog */
		r = exec_check_watchdog(c->job);
		if (r)
			return r;
		struct timespec ts = { 0, 10000 };
		nanosleep(&ts, NULL);
	}
}

/* Expected count field of fixed-size packets; -1 if variable. */
static int fixed_count(uint32_t op, enum exec_gc gc)
{
	/* gfx_v9_0_emit_mem_sync: PACKET3(PACKET3_ACQUIRE_MEM, 5), 7 dwords */
	if (op == PACKET3_ACQUIRE_MEM && gc == EXEC_GC_9)
		return 5;
	switch (op) {
	case PACKET3_DISPATCH_DIRECT: return 3;
	case PACKET3_WAIT_REG_MEM: return 5;
	case PACKET3_INDIRECT_BUFFER: return 2;
	case PACKET3_RELEASE_MEM: return 6;
	case PACKET3_DMA_DATA: return 5;
	case PACKET3_ACQUIRE_MEM: return 6;
	case PACKET3_COPY_DATA: return 4;
	case PACKET3_ATOMIC_MEM: return 7;
	case PACKET3_CONTEXT_CONTROL: return 1;
	case PACKET3_CLEAR_STATE: return 0;
	case PACKET3_PFP_SYNC_ME: return 0;
	case PACKET3_SET_BASE: return 2;
	case PACKET3_LOAD_SH_REG_INDEX: return 3;
	default: return -1;
	}
}

static int exec_packet(struct cp *c, uint32_t op, uint32_t count)
{
	const uint32_t *p = &c->dw[c->pos];
	int fc = fixed_count(op, c->job->gc);
	if (fc >= 0 && count != (uint32_t)fc) {
		if (op == PACKET3_ACQUIRE_MEM && is_gfx9(c))
			return bad(c, "%s", "ACQUIRE_MEM of a size other than gfx9's 7 dwords (count 5: "
				   "CP_COHER_CNTL, SIZE, SIZE_HI, BASE, BASE_HI, POLL_INTERVAL; the "
				   "8-dword GCR_CNTL form is gfx10+)");
		return bad(c, "%s", "wrong packet size (count field)");
	}
	if (CP_PACKET3_PREDICATE(p[0]))
		return bad(c, "%s", "predicated packet (SET_PREDICATION is not modelled)");
	switch (op) {
	case PACKET3_ACQUIRE_MEM: /* cache actions: memory is coherent here */
		if (is_gfx9(c) && (p[1] & ~ACQUIRE_MEM_COHER_CNTL_GFX9)) {
			char msg[120];
			snprintf(msg, sizeof(msg), "ACQUIRE_MEM on gfx9 with CP_COHER_CNTL bits 0x%08x "
				 "that gc_9_0_sh_mask.h does not define",
				 p[1] & ~ACQUIRE_MEM_COHER_CNTL_GFX9);
			return bad(c, "%s", msg);
		}
		return 0;
	case PACKET3_NOP:
		return 0;
	case PACKET3_PFP_SYNC_ME:
		/* PFP waits for ME: the vgpu's CP is one in-order engine */
		if (!on_gfx_ring(c))
			return bad(c, "%s", "PFP_SYNC_ME on a compute ring (the MEC has no PFP)");
		return 0;
	case PACKET3_CONTEXT_CONTROL:
		/* LOAD/SHADOW enables of the context register shadowing: the
		 * vgpu keeps its register file itself and shadows nothing. */
		if (!on_gfx_ring(c))
			return bad(c, "%s", "CONTEXT_CONTROL on a compute ring (GFX ring only)");
		return 0;
	case PACKET3_CLEAR_STATE:
		/* Context registers back to the clear state.  The vgpu reads no
		 * context register (draws are refused), so it zeroes them. */
		if (!on_gfx_ring(c))
			return bad(c, "%s", "CLEAR_STATE on a compute ring (GFX ring only)");
		memset(c->st->ctx, 0, sizeof(c->st->ctx));
		return 0;
	case PACKET3_SET_SH_REG_INDEX:
		if (is_gfx9(c))
			return bad(c, "%s", "SET_SH_REG_INDEX on gfx9 (not a gfx_v9_0 packet: soc15d.h "
				   "has no such opcode; gfx9 sets SH registers with SET_SH_REG)");
		return set_sh_reg(c, p, count);
	case PACKET3_SET_SH_REG:
		return set_sh_reg(c, p, count);
	case PACKET3_LOAD_SH_REG_INDEX:
		/* Mesa RADV: "PKT3_LOAD_SH_REG_INDEX is supported on GFX8+, but it
		 * hangs with compute queues until GFX10.3" - a hang the vgpu
		 * reports as a fault instead of waiting for the watchdog */
		if (is_gfx9(c) && !on_gfx_ring(c))
			return bad(c, "%s", "LOAD_SH_REG_INDEX on a gfx9 compute ring (the MEC hangs on "
				   "it before gfx10.3; the GFX ring takes it)");
		return load_sh_reg_index(c, p);
	case PACKET3_SET_CONFIG_REG:
		return bad(c, "%s", "SET_CONFIG_REG (privileged config registers) is not modelled");
	case PACKET3_SET_CONTEXT_REG:
		return set_context_reg(c, p, count);
	case PACKET3_SET_UCONFIG_REG:
	case PACKET3_SET_UCONFIG_REG_INDEX:
		return set_uconfig_reg(c, p, count);
	case PACKET3_SET_BASE:
		return set_base(c, p);
	case PACKET3_EVENT_WRITE: {
		uint32_t index = (p[1] >> 8) & 0xf;
		if ((p[1] & 0x3fu) == EVENT_TYPE_ZPASS_DONE && index == 1 && count == 2)
			return zpass_done(c, p);
		if (count != 0 || (index != 0 && index != 4)) {
			char what[64];
			snprintf(what, sizeof(what), "EVENT_TYPE 0x%x, EVENT_INDEX %u", p[1] & 0x3fu, index);
			return bad(c, "EVENT_WRITE with a memory result (%s) is not supported", what);
		}
		return 0; /* CS_PARTIAL_FLUSH etc.: work is already complete */
	}
	case PACKET3_RELEASE_MEM:
		return release_mem(c, p);
	case PACKET3_WRITE_DATA:
		return write_data(c, p, count);
	case PACKET3_COPY_DATA:
		return copy_data(c, p);
	case PACKET3_ATOMIC_MEM:
		return atomic_mem(c, p);
	case PACKET3_WAIT_REG_MEM:
		return wait_reg_mem(c, p);
	case PACKET3_DMA_DATA:
		return dma_data(c, p);
	case PACKET3_INDIRECT_BUFFER: {
		if (c->depth >= EXEC_MAX_IB_DEPTH)
			return bad(c, "%s", "INDIRECT_BUFFER nested deeper than IB2");
		uint64_t va = ((uint64_t)(p[2] & 0xffff) << 32) | (p[1] & ~3u);
		uint32_t ndw = p[3] & 0xfffff;
		return run_ib(c->job, c->st, va, ndw, c->depth + 1);
	}
	case PACKET3_DISPATCH_DIRECT:
		return dispatch_direct(c, p);
	case PACKET3_DISPATCH_INDIRECT:
		return dispatch_indirect(c, p, count);
	case PACKET3_SET_PREDICATION:
		return bad(c, "%s", "SET_PREDICATION (conditional rendering) is not modelled");
	case PACKET3_DRAW_INDIRECT:
	case PACKET3_DRAW_INDEX_INDIRECT:
	case PACKET3_DRAW_INDEX_2:
	case PACKET3_DRAW_INDIRECT_MULTI:
	case PACKET3_DRAW_INDEX_AUTO:
	case PACKET3_DRAW_INDEX_MULTI_AUTO:
	case PACKET3_DRAW_INDEX_OFFSET_2:
	case PACKET3_DRAW_INDEX_INDIRECT_MULTI:
	case PACKET3_DISPATCH_MESH_INDIRECT_MULTI:
	case PACKET3_DISPATCH_TASKMESH_GFX:
		return bad(c, "%s", "a draw: the vgpu has no rasteriser (drawing is out of scope)");
	default:
		return bad(c, "%s", "unknown opcode");
	}
}

static int run_ib(struct exec_job *job, struct cp_state *st, uint64_t va, uint32_t ndw, int depth)
{
	uint32_t *dw;
	int r = exec_fetch_ib(job, va, ndw, &dw);
	if (r)
		return r;
	struct cp c = { .job = job, .st = st, .ib_va = va, .dw = dw, .pos = 0, .depth = depth };
	while (c.pos < ndw) {
		uint32_t h = dw[c.pos];
		if (CP_PACKET_GET_TYPE(h) != 3) {
			r = bad(&c, "%s", "packet type other than 3 (type-0/1/2 are not used on gfx9/gfx10.3/gfx11)");
			break;
		}
		uint32_t op = CP_PACKET3_GET_OPCODE(h), count = CP_PACKET_GET_COUNT(h);
		uint32_t len = count + 2;
		if (op == PACKET3_NOP && count == NOP_FILLER_COUNT)
			len = 1;
		else if (len > ndw - c.pos) {
			r = bad(&c, "%s", "packet runs past the end of the IB");
			break;
		}
		if (len > 1 || op != PACKET3_NOP)
			r = exec_packet(&c, op, count);
		if (!r)
			r = exec_check_watchdog(job);
		if (r)
			break;
		c.pos += len;
	}
	free(dw);
	return r;
}

int exec_pm4_run(struct exec_job *job, const struct exec_ib *ib)
{
	/* The CP's registers persist from one IB of a job to the next (the
	 * kernel emits nothing in between that would reset them); the vgpu
	 * starts every job from a clean state, so a job never depends on
	 * another context's leftovers. */
	if (!job->cp_state) {
		job->cp_state = calloc(1, sizeof(struct cp_state));
		if (!job->cp_state)
			return exec_fault(job, "out of memory for the CP state");
	}
	return run_ib(job, job->cp_state, ib->va, ib->length_dw, 1);
}
