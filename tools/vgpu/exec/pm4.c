/*
 * The PM4 command processor of a gfx11 GFX/COMPUTE ring (packet formats
 * from nvd.h and soc15d.h, registers from gc_11_0_0_offset.h), for the
 * packets a compute user sends: NOP, SET_SH_REG(_INDEX) on the COMPUTE_*
 * registers, SET_UCONFIG_REG, ACQUIRE_MEM, EVENT_WRITE, RELEASE_MEM,
 * WRITE_DATA, WAIT_REG_MEM, DMA_DATA, INDIRECT_BUFFER and DISPATCH_DIRECT.
 * A DISPATCH_DIRECT whose state checks pass (with RSRC2.SCRATCH_EN also
 * the scratch ring: COMPUTE_TMPRING_SIZE and COMPUTE_DISPATCH_SCRATCH_BASE)
 * runs the shader on the vgpu's shader core (shader/dispatch.c,
 * docs/vgpu-shader.md).  Every
 * other packet, a wrong packet size, a register outside the allowed
 * ranges or a field value the vgpu does not model is a fault naming the
 * IB address, the dword offset and the header.
 */
#include "cmd.h"
#include "dispatch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* nvd.h */
#define CP_PACKET_GET_TYPE(h) (((h) >> 30) & 3)
#define CP_PACKET_GET_COUNT(h) (((h) >> 16) & 0x3FFF)
#define CP_PACKET3_GET_OPCODE(h) (((h) >> 8) & 0xFF)
#define PACKET3_NOP 0x10
#define PACKET3_DISPATCH_DIRECT 0x15
#define PACKET3_WRITE_DATA 0x37
#define PACKET3_WAIT_REG_MEM 0x3C
#define PACKET3_INDIRECT_BUFFER 0x3F
#define PACKET3_EVENT_WRITE 0x46
#define PACKET3_RELEASE_MEM 0x49
#define PACKET3_DMA_DATA 0x50
#define PACKET3_ACQUIRE_MEM 0x58
#define PACKET3_SET_SH_REG 0x76
#define PACKET3_SET_SH_REG_START 0x00002c00
#define PACKET3_SET_SH_REG_END 0x00003000
#define PACKET3_SET_UCONFIG_REG 0x79
#define PACKET3_SET_UCONFIG_REG_START 0x0000c000
#define PACKET3_SET_UCONFIG_REG_END 0x0000c400
#define PACKET3_SET_SH_REG_INDEX 0x9B

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
#define REG_COMPUTE_DISPATCH_SCRATCH_BASE_LO 0x2e10
#define REG_COMPUTE_DISPATCH_SCRATCH_BASE_HI 0x2e11
#define REG_COMPUTE_TMPRING_SIZE 0x2e18
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
/* The one-dword filler PACKET3(PACKET3_NOP, 0x3FFF) (gfx_v11 ring nop) */
#define NOP_FILLER_COUNT 0x3FFF

struct cp_state {
	uint32_t reg[REG_COMPUTE_LAST - REG_COMPUTE_FIRST + 1];
	bool set[REG_COMPUTE_LAST - REG_COMPUTE_FIRST + 1];
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

/* SET_SH_REG / SET_SH_REG_INDEX: only the COMPUTE_* registers */
static int set_sh_reg(struct cp *c, const uint32_t *p, uint32_t count)
{
	if (count < 1)
		return bad(c, "%s", "SET_SH_REG without a register offset");
	uint32_t reg = PACKET3_SET_SH_REG_START + (p[1] & 0xffff);
	uint32_t n = count;
	if (reg < REG_COMPUTE_FIRST || reg + n - 1 > REG_COMPUTE_LAST || reg + n - 1 >= PACKET3_SET_SH_REG_END)
		return bad(c, "%s", "SET_SH_REG outside the COMPUTE_* registers");
	for (uint32_t i = 0; i < n; i++) {
		/* Scratch registers: bits the register does not have are a
		 * value the vgpu does not model. */
		if (reg + i == REG_COMPUTE_DISPATCH_SCRATCH_BASE_HI && (p[2 + i] & ~SCRATCH_BASE_HI_MASK))
			return bad(c, "%s", "COMPUTE_DISPATCH_SCRATCH_BASE_HI above bit 7 (the address "
				   "has 48 bits)");
		if (reg + i == REG_COMPUTE_TMPRING_SIZE && (p[2 + i] & TMPRING_RESERVED_MASK))
			return bad(c, "%s", "COMPUTE_TMPRING_SIZE with reserved bits 27..31 set");
		c->st->reg[reg - REG_COMPUTE_FIRST + i] = p[2 + i];
		c->st->set[reg - REG_COMPUTE_FIRST + i] = true;
	}
	return 0;
}

static bool reg_set(const struct cp_state *st, uint32_t reg)
{
	return st->set[reg - REG_COMPUTE_FIRST];
}

static uint32_t reg_val(const struct cp_state *st, uint32_t reg)
{
	return st->reg[reg - REG_COMPUTE_FIRST];
}

/* The shader core DISPATCH_DIRECT runs (exec/dispatch.h). */
static exec_shader_core_fn shader_core;

void exec_set_shader_core(exec_shader_core_fn fn)
{
	__atomic_store_n(&shader_core, fn, __ATOMIC_RELEASE);
}

/* A SCRATCH_EN dispatch: the SPI gives its waves scratch slots only with
 * the ring programmed (COMPUTE_TMPRING_SIZE WAVES and WAVESIZE non-zero,
 * COMPUTE_DISPATCH_SCRATCH_BASE written).  On hardware waves wait for a
 * free slot; a workgroup needing more slots than WAVES could never be
 * resident, which the vgpu reports instead of hanging. */
static int scratch_state(struct cp *c, const uint32_t *p, struct exec_dispatch *d)
{
	const struct cp_state *st = c->st;
	if (!RSRC2_SCRATCH_EN(d->rsrc2))
		return 0;
	uint32_t tmpring = reg_val(st, REG_COMPUTE_TMPRING_SIZE);
	if (!reg_set(st, REG_COMPUTE_TMPRING_SIZE) || TMPRING_WAVES(tmpring) == 0 ||
	    TMPRING_WAVESIZE(tmpring) == 0)
		return bad(c, "%s", "DISPATCH_DIRECT with RSRC2.SCRATCH_EN but no scratch ring "
			   "(COMPUTE_TMPRING_SIZE WAVES or WAVESIZE is 0)");
	if (!reg_set(st, REG_COMPUTE_DISPATCH_SCRATCH_BASE_LO) ||
	    !reg_set(st, REG_COMPUTE_DISPATCH_SCRATCH_BASE_HI))
		return bad(c, "%s", "DISPATCH_DIRECT with RSRC2.SCRATCH_EN before "
			   "COMPUTE_DISPATCH_SCRATCH_BASE_LO/HI were set");
	uint64_t base = ((uint64_t)reg_val(st, REG_COMPUTE_DISPATCH_SCRATCH_BASE_LO) << 8) |
			((uint64_t)reg_val(st, REG_COMPUTE_DISPATCH_SCRATCH_BASE_HI) << 40);
	if (base == 0)
		return bad(c, "%s", "DISPATCH_DIRECT with RSRC2.SCRATCH_EN and a zero scratch base");
	uint64_t threads = 1;
	for (int i = 0; i < 3; i++)
		threads *= reg_val(st, REG_COMPUTE_NUM_THREAD_X + i) & 0xffff;
	unsigned lanes = (p[4] & INITIATOR_CS_W32_EN) ? 32 : 64;
	if ((threads + lanes - 1) / lanes > TMPRING_WAVES(tmpring))
		return bad(c, "%s", "a workgroup has more waves than COMPUTE_TMPRING_SIZE.WAVES "
			   "scratch slots (it could never be resident)");
	d->scratch_base = base;
	d->tmpring_size = tmpring;
	return 0;
}

static int dispatch_direct(struct cp *c, const uint32_t *p)
{
	const struct cp_state *st = c->st;
	if (!(p[4] & INITIATOR_COMPUTE_SHADER_EN))
		return bad(c, "%s", "DISPATCH_DIRECT without COMPUTE_SHADER_EN in the initiator");
	if (!reg_set(st, REG_COMPUTE_PGM_LO) || !reg_set(st, REG_COMPUTE_PGM_HI))
		return bad(c, "%s", "DISPATCH_DIRECT before COMPUTE_PGM_LO/HI were set");
	uint64_t pgm = ((uint64_t)reg_val(st, REG_COMPUTE_PGM_LO) << 8) |
		       ((uint64_t)reg_val(st, REG_COMPUTE_PGM_HI) << 40);
	if (pgm == 0)
		return bad(c, "%s", "DISPATCH_DIRECT with a zero program address");
	if (!reg_set(st, REG_COMPUTE_PGM_RSRC1) || !reg_set(st, REG_COMPUTE_PGM_RSRC2))
		return bad(c, "%s", "DISPATCH_DIRECT before COMPUTE_PGM_RSRC1/RSRC2 were set");
	uint32_t rsrc2 = reg_val(st, REG_COMPUTE_PGM_RSRC2);
	if (RSRC2_LDS_SIZE(rsrc2) * LDS_GRANULE_BYTES > LDS_MAX_BYTES)
		return bad(c, "%s", "DISPATCH_DIRECT asks for more than 64 KiB of LDS (RSRC2.LDS_SIZE)");
	uint32_t nsgpr = RSRC2_USER_SGPR(rsrc2);
	if (nsgpr > NUM_USER_DATA)
		return bad(c, "%s", "RSRC2.USER_SGPR above the 16 COMPUTE_USER_DATA registers");
	for (uint32_t i = 0; i < nsgpr; i++)
		if (!reg_set(st, REG_COMPUTE_USER_DATA_0 + i))
			return bad(c, "%s", "RSRC2.USER_SGPR counts a COMPUTE_USER_DATA register never written");
	struct exec_dispatch d = { .pgm = pgm,
				     .rsrc1 = reg_val(st, REG_COMPUTE_PGM_RSRC1),
				     .rsrc2 = rsrc2,
				     .rsrc3 = reg_val(st, REG_COMPUTE_PGM_RSRC3),
				     .dim = { p[1], p[2], p[3] },
				     .initiator = p[4] };
	for (uint32_t i = 0; i < NUM_USER_DATA; i++)
		d.user_data[i] = reg_val(st, REG_COMPUTE_USER_DATA_0 + i);
	for (uint32_t i = 0; i < 3; i++) {
		if (!reg_set(st, REG_COMPUTE_NUM_THREAD_X + i))
			return bad(c, "%s", "DISPATCH_DIRECT before COMPUTE_NUM_THREAD_X/Y/Z were set");
		d.num_thread[i] = reg_val(st, REG_COMPUTE_NUM_THREAD_X + i);
		/* COMPUTE_START_* left unwritten: the CP's reset value 0 */
		d.start[i] = reg_val(st, REG_COMPUTE_START_X + i);
	}
	int r = scratch_state(c, p, &d);
	if (r)
		return r;
	exec_shader_core_fn core = __atomic_load_n(&shader_core, __ATOMIC_ACQUIRE);
	if (!core)
		return bad(c, "%s", "DISPATCH_DIRECT: the device has no shader core installed");
	return core(c->job, &d);
}

static int release_mem(struct cp *c, const uint32_t *p)
{
	uint32_t data_sel = (p[2] >> 29) & 7, dst_sel = (p[2] >> 16) & 3;
	uint64_t addr = addr64(p[3], p[4]);
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
	if (dst_sel != 0 && dst_sel != 3)
		return bad(c, "%s", "DMA_DATA DST_SEL other than memory");
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

/* Expected count field of fixed-size packets; -1 if variable. */
static int fixed_count(uint32_t op)
{
	switch (op) {
	case PACKET3_DISPATCH_DIRECT: return 3;
	case PACKET3_WAIT_REG_MEM: return 5;
	case PACKET3_INDIRECT_BUFFER: return 2;
	case PACKET3_RELEASE_MEM: return 6;
	case PACKET3_DMA_DATA: return 5;
	case PACKET3_ACQUIRE_MEM: return 6;
	default: return -1;
	}
}

static int exec_packet(struct cp *c, uint32_t op, uint32_t count)
{
	const uint32_t *p = &c->dw[c->pos];
	int fc = fixed_count(op);
	if (fc >= 0 && count != (uint32_t)fc)
		return bad(c, "%s", "wrong packet size (count field)");
	switch (op) {
	case PACKET3_NOP:
	case PACKET3_ACQUIRE_MEM: /* cache actions: memory is coherent here */
		return 0;
	case PACKET3_SET_SH_REG:
	case PACKET3_SET_SH_REG_INDEX:
		return set_sh_reg(c, p, count);
	case PACKET3_SET_UCONFIG_REG: {
		if (count < 1)
			return bad(c, "%s", "SET_UCONFIG_REG without a register offset");
		uint32_t reg = PACKET3_SET_UCONFIG_REG_START + (p[1] & 0xffff);
		if (reg + count - 1 > PACKET3_SET_UCONFIG_REG_END - 1)
			return bad(c, "%s", "SET_UCONFIG_REG outside the UCONFIG range");
		return 0; /* no UCONFIG register affects what the vgpu executes */
	}
	case PACKET3_EVENT_WRITE: {
		uint32_t index = (p[1] >> 8) & 0xf;
		if (count != 0 || (index != 0 && index != 4))
			return bad(c, "%s", "EVENT_WRITE with a memory result is not supported");
		return 0; /* CS_PARTIAL_FLUSH etc.: work is already complete */
	}
	case PACKET3_RELEASE_MEM:
		return release_mem(c, p);
	case PACKET3_WRITE_DATA:
		return write_data(c, p, count);
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
			r = bad(&c, "%s", "packet type other than 3 (type-0/1/2 are not used on gfx11)");
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
