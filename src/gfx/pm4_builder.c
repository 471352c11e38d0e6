/*
 * PM4 packet emitters (see gfx/pm4_builder.h).  Each comment names the kernel
 * code whose layout the packet follows.
 */
#include "pm4_builder.h"

#include "util/error.h"

#include <inttypes.h>

static uint32_t lo32(uint64_t v)
{
	return (uint32_t)v;
}

static uint32_t hi32(uint64_t v)
{
	return (uint32_t)(v >> 32);
}

/* K: nvd.h PACKET3(op, n) = (3 << 30) | ((op & 0xFF) << 8) | ((n & 0x3FFF) << 16),
 * PACKET3_COMPUTE adds 1 << 1; n is the body length minus one. */
uint32_t ab_pm4_header(uint32_t opcode, uint32_t total_dw, bool compute)
{
	return (3u << 30) | (((total_dw - 2) & 0x3fffu) << 16) | ((opcode & 0xffu) << 8) |
	       (compute ? 1u << 1 : 0);
}

static uint32_t *packet(struct ab_pm4 *p, uint32_t opcode, uint32_t total_dw)
{
	uint32_t *d = ab_dw_reserve(p->buf, total_dw);
	if (d)
		d[0] = ab_pm4_header(opcode, total_dw, p->compute);
	return d;
}

static int fail(struct ab_pm4 *p)
{
	return p->buf->err ? p->buf->err : -EINVAL;
}

int ab_pm4_nop(struct ab_pm4 *p, uint32_t total_dw)
{
	if (total_dw == 0)
		return 0;
	if (total_dw == 1) {
		uint32_t *d = ab_dw_reserve(p->buf, 1);
		if (!d)
			return fail(p);
		d[0] = p->gen->pm4_nop_dword;
		return 0;
	}
	while (total_dw) {
		uint32_t n = total_dw > AB_PM4_MAX_PACKET_DW ? AB_PM4_MAX_PACKET_DW : total_dw;
		if (total_dw - n == 1)
			n--; /* never leave a lone dword after a full-size NOP */
		uint32_t *d = packet(p, AB_PM4_NOP, n);
		if (!d)
			return fail(p);
		for (uint32_t i = 1; i < n; i++)
			d[i] = 0;
		total_dw -= n;
	}
	return 0;
}

/* K: nvd.h PACKET3_SET_SH_REG: header, (reg - PACKET3_SET_SH_REG_START), values. */
int ab_pm4_set_sh_reg(struct ab_pm4 *p, uint32_t reg, const uint32_t *values, uint32_t n)
{
	const struct ab_gfx_gen *g = p->gen;
	if (n == 0 || n > AB_PM4_MAX_PACKET_DW - 2 || reg < g->sh_reg_start ||
	    reg >= g->sh_reg_end || n > g->sh_reg_end - reg)
		return p->buf->err = ab_set_error(EINVAL, "PM4 SET_SH_REG of %u register(s) at 0x%x: "
						  "outside the %s SH window [0x%x, 0x%x)", n, reg,
						  g->name, g->sh_reg_start, g->sh_reg_end);
	uint32_t *d = packet(p, AB_PM4_SET_SH_REG, n + 2);
	if (!d)
		return fail(p);
	d[1] = reg - g->sh_reg_start;
	for (uint32_t i = 0; i < n; i++)
		d[2 + i] = values[i];
	return 0;
}

int ab_pm4_set_sh_reg1(struct ab_pm4 *p, uint32_t reg, uint32_t value)
{
	return ab_pm4_set_sh_reg(p, reg, &value, 1);
}

/* K: gfx_v11_0_emit_mem_sync: PACKET3(ACQUIRE_MEM, 6), CP_COHER_CNTL 0,
 * COHER_SIZE 0xffffffff, COHER_SIZE_HI 0xffffff, COHER_BASE 0, BASE_HI 0,
 * POLL_INTERVAL 0xa, GCR_CNTL.
 * K: gfx_v9_0_emit_mem_sync: PACKET3(ACQUIRE_MEM, 5), CP_COHER_CNTL (the
 * cache actions), COHER_SIZE 0xffffffff, COHER_SIZE_HI 0xffffff,
 * COHER_BASE 0, BASE_HI 0, POLL_INTERVAL 0xa. */
int ab_pm4_acquire_mem(struct ab_pm4 *p)
{
	const struct ab_gfx_gen *g = p->gen;
	bool gcr = g->acquire_mem == AB_ACQUIRE_MEM_GCR_CNTL;
	if (!gcr && g->acquire_mem != AB_ACQUIRE_MEM_COHER_CNTL)
		return p->buf->err = ab_set_error(EOPNOTSUPP, "PM4 ACQUIRE_MEM: layout of %s not built",
						  g->name);
	uint32_t *d = packet(p, AB_PM4_ACQUIRE_MEM, gcr ? 8 : 7);
	if (!d)
		return fail(p);
	d[1] = gcr ? 0 : g->acquire_mem_coher_cntl;
	d[2] = 0xffffffffu;
	d[3] = 0x00ffffffu;
	d[4] = 0;
	d[5] = 0;
	d[6] = 0x0000000au;
	if (gcr)
		d[7] = g->acquire_mem_gcr_all;
	return 0;
}

/* K: nvd.h PACKET3_DISPATCH_DIRECT: header, dim x, y, z, DISPATCH_INITIATOR
 * (PACKET3(DISPATCH_DIRECT, 3)). */
int ab_pm4_dispatch_direct(struct ab_pm4 *p, uint32_t x, uint32_t y, uint32_t z,
			   uint32_t initiator)
{
	uint32_t *d = packet(p, AB_PM4_DISPATCH_DIRECT, 5);
	if (!d)
		return fail(p);
	d[1] = x;
	d[2] = y;
	d[3] = z;
	d[4] = initiator;
	return 0;
}

/* K: nvd.h PACKET3_EVENT_WRITE: EVENT_TYPE(x) << 0 | EVENT_INDEX(x) << 8. */
int ab_pm4_event_write(struct ab_pm4 *p, uint32_t event_type, uint32_t event_index)
{
	uint32_t *d = packet(p, AB_PM4_EVENT_WRITE, 2);
	if (!d)
		return fail(p);
	d[1] = (event_type & 0x3fu) | ((event_index & 0xfu) << 8);
	return 0;
}

int ab_pm4_cs_partial_flush(struct ab_pm4 *p)
{
	return ab_pm4_event_write(p, p->gen->event_cs_partial_flush, 4);
}

/* K: gfx_v11_0_ring_emit_fence: PACKET3(RELEASE_MEM, 6), EVENT_CNTL,
 * DATA_SEL(1: 32 bits, 2: 64 bits) << 29 | INT_SEL(0) << 24 | DST_SEL(0:
 * memory) << 16, addr lo, addr hi, data lo, data hi, INT_CTXID 0.
 * gfx_v9_0_ring_emit_fence writes the same dwords; only EVENT_CNTL's cache
 * bits differ (EOP_* actions instead of GCR), and those come from the table. */
int ab_pm4_release_mem(struct ab_pm4 *p, uint64_t addr, uint64_t value, bool write64)
{
	if (addr & (write64 ? 7u : 3u))
		return p->buf->err = ab_set_error(EINVAL, "PM4 RELEASE_MEM: address 0x%" PRIx64
						  " not %s-aligned", addr, write64 ? "8" : "4");
	if (p->gen->release_mem != AB_RELEASE_MEM_GCR && p->gen->release_mem != AB_RELEASE_MEM_GFX9)
		return p->buf->err = ab_set_error(EOPNOTSUPP, "PM4 RELEASE_MEM: layout of %s not built",
						  p->gen->name);
	uint32_t *d = packet(p, AB_PM4_RELEASE_MEM, 8);
	if (!d)
		return fail(p);
	d[1] = p->gen->release_mem_event_cntl_eop;
	d[2] = (write64 ? 2u : 1u) << 29;
	d[3] = lo32(addr);
	d[4] = hi32(addr);
	d[5] = lo32(value);
	d[6] = write64 ? hi32(value) : 0;
	d[7] = 0;
	return 0;
}

/* K: nvd.h PACKET3_WRITE_DATA: control (WRITE_DATA_DST_SEL(5) << 8 = memory,
 * async direct; WR_CONFIRM 1 << 20), addr lo, addr hi, data... */
int ab_pm4_write_data(struct ab_pm4 *p, uint64_t addr, const uint32_t *data, uint32_t n)
{
	if (addr & 3u)
		return p->buf->err = ab_set_error(EINVAL, "PM4 WRITE_DATA: address 0x%" PRIx64
						  " not 4-aligned", addr);
	if (n == 0 || n > AB_PM4_MAX_PACKET_DW - 4)
		return p->buf->err = ab_set_error(EINVAL, "PM4 WRITE_DATA of %u dwords: 1..%u per "
						  "packet", n, AB_PM4_MAX_PACKET_DW - 4);
	uint32_t *d = packet(p, AB_PM4_WRITE_DATA, n + 4);
	if (!d)
		return fail(p);
	d[1] = (5u << 8) | (1u << 20);
	d[2] = lo32(addr);
	d[3] = hi32(addr);
	for (uint32_t i = 0; i < n; i++)
		d[4 + i] = data[i];
	return 0;
}

/* K: gfx_v11_0_wait_reg_mem: PACKET3(WAIT_REG_MEM, 5), MEM_SPACE(1) << 4 |
 * OPERATION(0) << 6 | FUNCTION(f) | ENGINE(0: ME) << 8, addr lo, addr hi,
 * ref, mask, poll interval. */
int ab_pm4_wait_reg_mem(struct ab_pm4 *p, uint64_t addr, uint32_t ref, uint32_t mask,
			uint32_t function, uint32_t poll_interval)
{
	if (addr & 3u || function > 6)
		return p->buf->err = ab_set_error(EINVAL, "PM4 WAIT_REG_MEM: address 0x%" PRIx64
						  " must be 4-aligned and function %u in 0..6",
						  addr, function);
	uint32_t *d = packet(p, AB_PM4_WAIT_REG_MEM, 7);
	if (!d)
		return fail(p);
	d[1] = (1u << 4) | function;
	d[2] = lo32(addr);
	d[3] = hi32(addr);
	d[4] = ref;
	d[5] = mask;
	d[6] = poll_interval;
	return 0;
}

/* K: gfx_v11_0_ring_emit_ib_compute: PACKET3(INDIRECT_BUFFER, 2),
 * addr & 0xFFFFFFFC, upper_32_bits(addr) & 0xFFFF, INDIRECT_BUFFER_VALID
 * (1 << 23) | length_dw (vmid 0: the CP runs it in the submitting VM). */
int ab_pm4_indirect_buffer(struct ab_pm4 *p, uint64_t va, uint32_t ib_dw)
{
	if (va & 3u || va >> 48 || ib_dw == 0 || ib_dw >= (1u << 20))
		return p->buf->err = ab_set_error(EINVAL, "PM4 INDIRECT_BUFFER at 0x%" PRIx64
						  " of %u dwords: needs a 4-aligned 48-bit address "
						  "and 1..2^20-1 dwords", va, ib_dw);
	uint32_t *d = packet(p, AB_PM4_INDIRECT_BUFFER, 4);
	if (!d)
		return fail(p);
	d[1] = lo32(va) & 0xfffffffcu;
	d[2] = hi32(va) & 0xffffu;
	d[3] = (1u << 23) | ib_dw;
	return 0;
}
