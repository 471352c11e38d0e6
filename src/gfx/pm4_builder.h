/*
 * PM4 type-3 packets for the compute (MEC) path, written into a dword
 * stream.  Layouts and field positions: K: drivers/gpu/drm/amd/amdgpu/nvd.h
 * (gfx10+), soc15d.h (gfx9, the same opcodes and header) and the emit
 * functions of amdgpu/gfx_v11_0.c and gfx_v9_0.c; register offsets
 * come from the per-generation table (gfx/regs_gen.h), never from here.
 *
 * Every function reserves its whole packet; on failure nothing is written
 * and the stream's sticky error is set (and returned, negative).
 */
#ifndef AB_PM4_BUILDER_H
#define AB_PM4_BUILDER_H

#include "regs_gen.h"
#include "ib_dwbuf.h"

#include <stdbool.h>
#include <stdint.h>

/* Opcodes (K: nvd.h PACKET3_*). */
enum {
	AB_PM4_NOP = 0x10,
	AB_PM4_DISPATCH_DIRECT = 0x15,
	AB_PM4_WRITE_DATA = 0x37,
	AB_PM4_WAIT_REG_MEM = 0x3c,
	AB_PM4_INDIRECT_BUFFER = 0x3f,
	AB_PM4_EVENT_WRITE = 0x46,
	AB_PM4_RELEASE_MEM = 0x49,
	AB_PM4_ACQUIRE_MEM = 0x58,
	AB_PM4_SET_SH_REG = 0x76,
};

/* The count field is 14 bits (K: nvd.h CP_PACKET_GET_COUNT & 0x3FFF). */
#define AB_PM4_MAX_PACKET_DW (0x3fffu + 2)

/* A builder: the stream, the generation's table, and whether packets are
 * for the compute engine (header bit 1, the shader type). */
struct ab_pm4 {
	struct ab_dwbuf *buf;
	const struct ab_gfx_gen *gen;
	bool compute;
};

/* Type-3 header for a packet of total_dw dwords (header included):
 * 3<<30 | (total_dw-2)<<16 | opcode<<8 | compute<<1. */
uint32_t ab_pm4_header(uint32_t opcode, uint32_t total_dw, bool compute);

/* total_dw dwords of padding: one dword is the kernel's one-dword NOP
 * (PACKET3(NOP, 0x3FFF)); more is one NOP packet whose body is zeros. */
int ab_pm4_nop(struct ab_pm4 *p, uint32_t total_dw);

/* SET_SH_REG: n consecutive registers starting at absolute dword offset
 * reg, which must lie in the generation's SH window (-EINVAL otherwise). */
int ab_pm4_set_sh_reg(struct ab_pm4 *p, uint32_t reg, const uint32_t *values, uint32_t n);
int ab_pm4_set_sh_reg1(struct ab_pm4 *p, uint32_t reg, uint32_t value);

/* ACQUIRE_MEM over the whole address range: invalidate/write back every
 * cache level the table lists (gfx10.3/11: gfx_v1x_0_emit_mem_sync's
 * GCR_CNTL, 8 dwords; gfx9: gfx_v9_0_emit_mem_sync's CP_COHER_CNTL, 7). */
int ab_pm4_acquire_mem(struct ab_pm4 *p);

/* DISPATCH_DIRECT: grid in workgroups and the DISPATCH_INITIATOR value. */
int ab_pm4_dispatch_direct(struct ab_pm4 *p, uint32_t x, uint32_t y, uint32_t z,
			   uint32_t initiator);

/* EVENT_WRITE of a non-timestamp event (index 4 for *S_PARTIAL_FLUSH,
 * K: nvd.h EVENT_INDEX). */
int ab_pm4_event_write(struct ab_pm4 *p, uint32_t event_type, uint32_t event_index);

/* EVENT_WRITE CS_PARTIAL_FLUSH: wait for running dispatches to finish. */
int ab_pm4_cs_partial_flush(struct ab_pm4 *p);

/* RELEASE_MEM at end of pipe with cache write-back, writing `value` to
 * addr: 32 bits (DATA_SEL 1, addr 4-aligned) or 64 (DATA_SEL 2, 8-aligned);
 * -EINVAL for a misaligned address. */
int ab_pm4_release_mem(struct ab_pm4 *p, uint64_t addr, uint64_t value, bool write64);

/* WRITE_DATA of n dwords to memory (DST_SEL 5, WR_CONFIRM), addr 4-aligned. */
int ab_pm4_write_data(struct ab_pm4 *p, uint64_t addr, const uint32_t *data, uint32_t n);

/* WAIT_REG_MEM on memory: wait until (*addr & mask) <function> ref.
 * function: 3 equal, 4 not equal, 5 greater or equal (K: nvd.h). */
enum { AB_PM4_WAIT_EQ = 3, AB_PM4_WAIT_NE = 4, AB_PM4_WAIT_GE = 5 };
int ab_pm4_wait_reg_mem(struct ab_pm4 *p, uint64_t addr, uint32_t ref, uint32_t mask,
			uint32_t function, uint32_t poll_interval);

/* INDIRECT_BUFFER: chain to ib_dw dwords at va (4-aligned, 48-bit VA,
 * ib_dw < 2^20). */
int ab_pm4_indirect_buffer(struct ab_pm4 *p, uint64_t va, uint32_t ib_dw);

#endif
