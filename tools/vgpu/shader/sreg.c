/*
 * Hardware registers of a wave (s_getreg_b32 / s_setreg_b32 /
 * s_setreg_imm32_b32), the returning messages (s_sendmsg_rtn_b32/b64)
 * and the MODE shortcuts s_round_mode / s_denorm_mode, as the RDNA3 ISA
 * describes them.  The hwreg operand: ID in bits 5:0, OFFSET in 10:6,
 * SIZE-1 in 15:11; s_getreg returns the field right-aligned, s_setreg
 * writes the low SIZE bits of its source into it.
 *
 * Registers the core models (reads): MODE, STATUS (SCC, EXECZ, VCCZ,
 * IN_WG, VALID), TRAPSTS, HW_ID1 (WAVE_ID = the wave's index in its
 * workgroup; SIMD, WGP, SA and SE are 0: one virtual compute unit),
 * HW_ID2 (all 0: queue, pipe, ME, VMID 0), FLAT_SCR_LO/HI (the wave's
 * scratch slot) and SHADER_CYCLES (20 bits of a 1 GHz count of
 * CLOCK_MONOTONIC).  Writes: MODE and TRAPSTS.  Any other register, or a
 * write to a read-only one, faults naming it.
 */
#include "internal.h"
#include "base/vgpu_device.h" /* the profile: s_memrealtime's reference clock */

#include <stdio.h>
#include <string.h>
#include <time.h>

enum {
	HWREG_MODE = 1, HWREG_STATUS = 2, HWREG_TRAPSTS = 3, HWREG_FLAT_SCR_LO = 20,
	HWREG_FLAT_SCR_HI = 21, HWREG_HW_ID1 = 23, HWREG_HW_ID2 = 24, HWREG_SHADER_CYCLES = 29,
	HWREG_GFX9_HW_ID = 4  /* gfx9's HW_ID (gfx10 split it into HW_ID1/2) */
};

/* the shader clock: a 1 GHz count of CLOCK_MONOTONIC */
static uint64_t clock_1ghz(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* the REALTIME counter: the 100 MHz reference clock (CLOCK_MONOTONIC in
 * 10 ns units) */
static uint64_t clock_100mhz(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 100000000ull + (uint64_t)ts.tv_nsec / 10u;
}

/* MODE bits */
#define MODE_ROUND_DENORM 0xffu    /* FP_ROUND 3:0, FP_DENORM 7:4 */
#define MODE_DX10_CLAMP (1u << 8)
#define MODE_IEEE (1u << 9)
#define MODE_FP16_OVFL (1u << 23)

/* COMPUTE_PGM_RSRC1 bits */
#define RSRC1_FLOAT_MODE(v) (((v) >> 12) & 0xffu)
#define RSRC1_DX10_CLAMP (1u << 21)
#define RSRC1_IEEE_MODE (1u << 23)
#define RSRC1_FP16_OVFL (1u << 26)

uint32_t shader_mode_from_rsrc1(uint32_t rsrc1)
{
	uint32_t m = RSRC1_FLOAT_MODE(rsrc1);
	if (rsrc1 & RSRC1_DX10_CLAMP)
		m |= MODE_DX10_CLAMP;
	if (rsrc1 & RSRC1_IEEE_MODE)
		m |= MODE_IEEE;
	if (rsrc1 & RSRC1_FP16_OVFL)
		m |= MODE_FP16_OVFL;
	return m;
}

/* The VALU computes with round-to-nearest-even and denormals kept (the
 * one FLOAT_MODE the dispatch accepts, shader/dispatch.c): a MODE whose
 * FP_ROUND/FP_DENORM say otherwise would give results the VALU does not
 * produce, so setting one faults instead. */
/* Every FP_ROUND/FP_DENORM value runs: the VALU reads w->mode on each
 * float operation (shader/float_mode.c). */
static int set_mode(struct shader_core *c, struct shader_wave *w, uint32_t mode)
{
	(void)c;
	w->mode = mode;
	return 0;
}

static int unmodelled(struct shader_core *c, const char *what, unsigned id)
{
	char msg[120];
	snprintf(msg, sizeof(msg), "%s of hardware register %u is not modelled", what, id);
	return shader_fault(c, msg);
}

static int hwreg_read(struct shader_core *c, const struct shader_wave *w, unsigned id,
		      uint32_t *v)
{
	/* gfx9's ids (SIDefines.h ID_GFX9): MODE, STATUS and TRAPSTS as
	 * gfx10's; HW_ID 4, its WAVE_ID (3:0) the wave's index in the
	 * workgroup as HW_ID1's is below; FLAT_SCR_LO/HI, HW_ID1/2 and
	 * SHADER_CYCLES do not exist there (FLAT_SCRATCH is an SGPR pair). */
	if (c->gen == ISA_GEN_GFX9 && id == HWREG_GFX9_HW_ID) {
		*v = w->wave_id & 0xfu;
		return 0;
	}
	if (c->gen == ISA_GEN_GFX9 && id > HWREG_TRAPSTS)
		return unmodelled(c, "s_getreg", id);
	switch (id) {
	case HWREG_MODE: *v = w->mode; return 0;
	case HWREG_STATUS: {
		uint64_t exec = wave_exec(c, w), vcc = wave_vcc(c, w);
		*v = (uint32_t)w->scc | (exec == 0) << 9 | (vcc == 0) << 10 | 1u << 16;
		return 0;
	}
	case HWREG_TRAPSTS: *v = w->trapsts; return 0;
	case HWREG_HW_ID1: *v = w->wave_id & 0x1fu; return 0;
	case HWREG_HW_ID2: *v = 0; return 0;
	case HWREG_FLAT_SCR_LO: *v = (uint32_t)w->scratch_base; return 0;
	case HWREG_FLAT_SCR_HI: *v = (uint32_t)(w->scratch_base >> 32); return 0;
	case HWREG_SHADER_CYCLES:
		*v = (uint32_t)clock_1ghz() & 0xfffffu;
		return 0;
	default:
		return unmodelled(c, "s_getreg", id);
	}
}

/* s_setreg: `mask` selects the written bits of the register */
static int hwreg_write(struct shader_core *c, struct shader_wave *w, unsigned id, uint32_t mask,
		       uint32_t bits)
{
	if (c->gen == ISA_GEN_GFX9 && id > HWREG_TRAPSTS)
		return unmodelled(c, "s_setreg", id);
	switch (id) {
	case HWREG_MODE: return set_mode(c, w, (w->mode & ~mask) | (bits & mask));
	case HWREG_TRAPSTS: w->trapsts = (w->trapsts & ~mask) | (bits & mask); return 0;
	case HWREG_FLAT_SCR_LO:
	case HWREG_FLAT_SCR_HI: {
		/* gfx10.3 has no architected flat scratch: the kernel's prolog
		 * writes FLAT_SCRATCH (its scratch buffer + wave offset) here.
		 * On gfx11 the SPI owns it and s_setreg of it is not modelled. */
		if (c->gen != ISA_GEN_GFX103)
			return unmodelled(c, "s_setreg", id);
		unsigned sh = id == HWREG_FLAT_SCR_HI ? 32 : 0;
		uint32_t cur = (uint32_t)(w->scratch_base >> sh);
		uint64_t v = (cur & ~mask) | (bits & mask);
		w->scratch_base = (w->scratch_base & ~(0xffffffffull << sh)) | (v << sh);
		return 0;
	}
	default: return unmodelled(c, "s_setreg", id);
	}
}

/* MSG_RTN_GET_REALTIME: the 100 MHz reference clock the GPU's
 * REALTIME counter counts (here CLOCK_MONOTONIC in 10 ns units);
 * MSG_RTN_GET_TMA / _TBA: 0, no trap handler is installed. */
static int sendmsg_rtn(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in)
{
	const struct isa_operand *dst = &in->ops[0];
	unsigned msg = (unsigned)in->ops[1].value & 0xffu;
	uint64_t v;
	switch (msg) {
	case 131: /* MSG_RTN_GET_REALTIME */
		v = clock_100mhz();
		break;
	case 130: case 133: /* MSG_RTN_GET_TMA, MSG_RTN_GET_TBA */
		v = 0;
		break;
	default: {
		char m[96];
		snprintf(m, sizeof(m), "s_sendmsg_rtn message %u is not modelled", msg);
		return shader_fault(c, m);
	}
	}
	return sop_write(c, w, dst, v);
}

/* s_memtime reads the shader clock, s_memrealtime the REALTIME counter:
 * the reference clock DEV_INFO's gpu_counter_freq reports (drm/info.c):
 * 25 MHz on Raven/Picasso (GC 9.1.0, 9.2.2: soc15_get_xclk's reference
 * / 4), 100 MHz on every other profile. */
int shader_exec_memtime(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
			bool real)
{
	const struct isa_operand *dst = inst_op(in, ISA_FLD_SDATA);
	if (!dst || dst->kind != ISA_OPK_SREG || dst->bits != 64)
		return shader_illegal(c);
	uint64_t v = clock_1ghz();
	if (real) {
		const struct vgpu_profile *p = vgpu_profile_get(NULL);
		bool raven = p && p->gc_major == 9 &&
			     (p->gc_minor == 1 || (p->gc_minor == 2 && p->gc_rev == 2));
		v = raven ? v / 40u : clock_100mhz();
	}
	return sop_write(c, w, dst, v);
}

int shader_exec_sreg(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
		     const char *name)
{
	if (!strcmp(name, "s_round_mode") || !strcmp(name, "s_denorm_mode")) {
		/* MODE.FP_ROUND = imm[3:0] / MODE.FP_DENORM = imm[3:0] */
		uint32_t imm = (uint32_t)in->ops[0].value & 0xfu;
		if (name[2] == 'r')
			return set_mode(c, w, (w->mode & ~0xfu) | imm);
		return set_mode(c, w, (w->mode & ~0xf0u) | imm << 4);
	}
	if (!strncmp(name, "s_sendmsg_rtn_", 14))
		return in->nops == 2 ? sendmsg_rtn(c, w, in) : shader_illegal(c);
	bool get = !strcmp(name, "s_getreg_b32");
	bool set = !strcmp(name, "s_setreg_b32"), set_imm = !strcmp(name, "s_setreg_imm32_b32");
	if ((!get && !set && !set_imm) || in->nops != 2)
		return shader_illegal(c);
	const struct isa_operand *hw = &in->ops[get ? 1 : 0];
	unsigned id = (unsigned)hw->value & 0x3fu, off = ((unsigned)hw->value >> 6) & 0x1fu;
	unsigned size = (((unsigned)hw->value >> 11) & 0x1fu) + 1;
	uint32_t field = size >= 32 ? ~0u : (1u << size) - 1;
	if (get) {
		uint32_t v = 0;
		int r = hwreg_read(c, w, id, &v);
		return r ? r : sop_write(c, w, &in->ops[0], (v >> off) & field);
	}
	uint64_t src;
	int r = sop_read(c, w, &in->ops[1], &src);
	if (r)
		return r;
	return hwreg_write(c, w, id, field << off, (uint32_t)src << off);
}
