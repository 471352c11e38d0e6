/*
 * The shader core's dispatcher: turns a DISPATCH_DIRECT into workgroups
 * and waves, gives every wave its initial state (the SPI's job: user
 * SGPRs, workgroup ids, work-item ids, EXEC), and runs the waves of a
 * workgroup round-robin, each until it ends or reaches s_barrier.
 * Workgroups run one after another, except for a job with a GWS
 * partition, whose workgroups are all resident at once (run_resident).  Instructions are fetched through the
 * job's VM, decoded by isa_decode_gen for the dispatch's generation
 * (gfx11, gfx10.3 on a GC 10.3 profile, gfx9 on a GC 9.x one) and cached by address for the
 * length of the dispatch.
 *
 * The initial state differs by generation (AMDGPUUsage, "Initial Kernel
 * Execution State"): gfx11 packs the work-item ids in v0 (10 bits per
 * axis) and has architected flat scratch (the SPI loads FLAT_SCRATCH, no
 * wave offset SGPR); gfx10.3 gives the ids in v0, v1, v2 as
 * COMPUTE_PGM_RSRC2.TIDIG_COMP_CNT asks, and a SCRATCH_EN wave gets its
 * slot's byte offset in the SGPR after the workgroup ids and info (the
 * kernel adds it to the buffer address of its user SGPRs and, for flat
 * scratch, writes FLAT_SCRATCH itself with s_setreg).  gfx9 is wave64
 * only and starts as gfx10.3 does (ids in v0, v1, v2; the wave offset
 * SGPR), except that its prolog writes FLAT_SCRATCH, the SGPR pair
 * s[102:103], with s_add_u32/s_addc_u32 from the flat-scratch-init user
 * SGPRs (AMDGPUUsage, "Flat Scratch", GFX9).  gfx90a, which packs the
 * ids into v0, has no profile and is not modelled.
 */
#include "internal.h"
#include "base/vgpu_device.h" /* the profile's GC version: gfx906's opcodes */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* COMPUTE_PGM_RSRC1 / RSRC2 fields (gc_11_0_0_sh_mask.h) */
#define RSRC1_VGPRS(v) ((v) & 0x3f)
#define RSRC1_FLOAT_MODE(v) (((v) >> 12) & 0xff)
#define RSRC2_USER_SGPR(v) (((v) >> 1) & 0x1f)
#define RSRC2_TGID_EN(v, axis) (((v) >> (7 + (axis))) & 1)
#define RSRC2_TG_SIZE_EN(v) (((v) >> 10) & 1)
#define RSRC2_TIDIG_COMP_CNT(v) (((v) >> 11) & 3)
#define RSRC2_SCRATCH_EN(v) ((v) & 1u)
#define RSRC2_LDS_SIZE(v) (((v) >> 15) & 0x1ff)
#define LDS_GRANULE_BYTES 512u
/* COMPUTE_DISPATCH_INITIATOR */
#define INIT_PARTIAL_TG_EN (1u << 1)
#define INIT_FORCE_START_AT_000 (1u << 2)
#define INIT_USE_THREAD_DIMENSIONS (1u << 5)
#define INIT_CS_W32_EN (1u << 15)
/* gfx11 and gfx90a work-item id packing in v0 (AMDGPUUsage, "Initial Kernel
 * Execution State": 10 bits per axis) */
#define TID_BITS 10
#define MAX_WG_THREADS 1024u
/* The watchdog is looked at every so many instructions. */
#define WATCHDOG_INTERVAL 4096u

uint64_t wave_mask_read(const struct shader_core *c, const struct shader_wave *w, uint16_t code)
{
	uint64_t m = w->s[code & 127];
	if (c->lanes == 64)
		m |= (uint64_t)w->s[(code + 1) & 127] << 32;
	return m;
}

void wave_mask_write(const struct shader_core *c, struct shader_wave *w, uint16_t code, uint64_t m)
{
	if (code == SREG_NULL)
		return;
	w->s[code & 127] = (uint32_t)m;
	if (c->lanes == 64)
		w->s[(code + 1) & 127] = (uint32_t)(m >> 32);
}

uint64_t wave_exec(const struct shader_core *c, const struct shader_wave *w)
{
	return wave_mask_read(c, w, SREG_EXEC_LO);
}

void wave_set_exec(const struct shader_core *c, struct shader_wave *w, uint64_t m)
{
	wave_mask_write(c, w, SREG_EXEC_LO, m);
}

uint64_t wave_vcc(const struct shader_core *c, const struct shader_wave *w)
{
	return wave_mask_read(c, w, SREG_VCC_LO);
}

void wave_set_vcc(const struct shader_core *c, struct shader_wave *w, uint64_t m)
{
	wave_mask_write(c, w, SREG_VCC_LO, m);
}

int shader_fault(struct shader_core *c, const char *why)
{
	char words[40] = "";
	if (c->cur) {
		const struct isa_inst *in = &c->cur->inst;
		int n = 0;
		for (unsigned i = 0; i < in->nwords; i++)
			n += snprintf(words + n, sizeof(words) - (size_t)n, "%s%08x", i ? " " : "",
				      in->words[i]);
	}
	if (!words[0])
		return exec_fault(c->job, "shader: %s at PC 0x%llx", why, (unsigned long long)c->pc);
	return exec_fault(c->job, "shader: %s at PC 0x%llx (%s)", why, (unsigned long long)c->pc,
			  words);
}

int shader_illegal_why(struct shader_core *c, const char *note)
{
	char why[512] = "illegal instruction";
	if (c->cur && c->cur->inst.desc) {
		char text[80];
		if (isa_format(&c->cur->inst, text, sizeof(text)) < 0)
			snprintf(text, sizeof(text), "%s", c->cur->inst.desc->name);
		snprintf(why, sizeof(why), "illegal instruction %s [%s, %s]", text,
			 isa_enc_name(c->cur->inst.enc), note);
	}
	return shader_fault(c, why);
}

int shader_illegal(struct shader_core *c)
{
	return shader_illegal_why(c, "not supported by the vgpu");
}

const struct isa_operand *inst_op(const struct isa_inst *in, enum isa_field f)
{
	for (unsigned i = 0; i < in->nops; i++)
		if (in->ops[i].field == f)
			return &in->ops[i];
	return NULL;
}

int sop_read(struct shader_core *c, struct shader_wave *w, const struct isa_operand *op,
	     uint64_t *val)
{
	switch (op->kind) {
	case ISA_OPK_SREG: {
		uint64_t v = op->reg == SREG_NULL ? 0 : w->s[op->reg & 127];
		if (op->bits > 32)
			v |= (uint64_t)(op->reg == SREG_NULL ? 0 : w->s[(op->reg + 1) & 127]) << 32;
		*val = v;
		return 0;
	}
	case ISA_OPK_INLINE:
	case ISA_OPK_LITERAL:
	case ISA_OPK_IMM:
		*val = op->value;
		return 0;
	case ISA_OPK_SPECIAL:
		switch (op->code) {
		case SRC_VCCZ: *val = wave_vcc(c, w) == 0; return 0;
		case SRC_EXECZ: *val = wave_exec(c, w) == 0; return 0;
		case SRC_SCC: *val = w->scc; return 0;
		default:
			/* src_shared/private_base/limit (shader/aperture.c) */
			if (shader_aperture_source(op->code, val) == 0)
				return 0;
			return shader_fault(c, "unsupported special source");
		}
	case ISA_OPK_OFF:
		*val = 0;
		return 0;
	default:
		return shader_fault(c, "operand kind not readable as a scalar");
	}
}

int sop_write(struct shader_core *c, struct shader_wave *w, const struct isa_operand *op,
	      uint64_t val)
{
	if (op->kind != ISA_OPK_SREG)
		return shader_fault(c, "scalar destination is not a scalar register");
	if (op->reg == SREG_NULL)
		return 0;
	w->s[op->reg & 127] = (uint32_t)val;
	for (unsigned i = 1; i * 32 < op->bits; i++)
		w->s[(op->reg + i) & 127] = (uint32_t)(val >> 32);
	return 0;
}

/* Mnemonic without the encoding suffix, so e32 and e64 forms share code. */
static void base_name(const char *name, char *out, size_t cap)
{
	size_t n = strnlen(name, cap - 1);
	memcpy(out, name, n);
	out[n] = 0;
	if (n > 4 && (!strcmp(out + n - 4, "_e32") || !strcmp(out + n - 4, "_e64")))
		out[n - 4] = 0;
}

/* What the mnemonic selects, once per decoded instruction (the
 * executors then compare no strings). */
static void resolve(struct shader_icache_entry *e)
{
	switch (e->inst.enc) {
	case ISA_ENC_SOP1: case ISA_ENC_SOP2: case ISA_ENC_SOPC: case ISA_ENC_SOPK:
	case ISA_ENC_SOPP: case ISA_ENC_SMEM:
		shader_salu_resolve(e);
		break;
	case ISA_ENC_VOP1: case ISA_ENC_VOP2: case ISA_ENC_VOPC: case ISA_ENC_VOP3:
	case ISA_ENC_VOP3P: case ISA_ENC_VOPD:
		shader_valu_resolve(e);
		break;
	case ISA_ENC_GLOBAL: case ISA_ENC_FLAT:
		shader_vmem_resolve(e);
		break;
	case ISA_ENC_DS:
		shader_ds_resolve(e);
		break;
	case ISA_ENC_MUBUF: case ISA_ENC_MTBUF:
		shader_mubuf_resolve(e);
		break;
	case ISA_ENC_MIMG:
		shader_mimg_resolve(e);
		break;
	case ISA_ENC_SCRATCH:
		shader_scratch_resolve(e);
		break;
	default:
		break;
	}
}

/* The instruction `in` with its plan resolved as for execution (one
 * static entry: make isa-coverage is single-threaded and never runs a
 * dispatch). */
static const struct shader_icache_entry *resolved(const struct isa_inst *in)
{
	static struct shader_icache_entry e;
	memset(&e, 0, sizeof(e));
	e.inst = *in;
	base_name(in->desc->name, e.base, sizeof(e.base));
	if (in->gen == ISA_GEN_GFX103)
		shader_gfx103_base_name(&e);
	else if (in->gen == ISA_GEN_GFX9)
		shader_gfx9_base_name(&e);
	resolve(&e);
	return &e;
}

/* Whether the shader core has an executor for the instruction `in`
 * (make isa-coverage): its plan, resolved as for execution, is not one
 * that raises the illegal-instruction fault or a "not modelled" fault. */
bool shader_executes(const struct isa_inst *in)
{
	const struct shader_icache_entry *e = resolved(in);
	switch (in->enc) {
	case ISA_ENC_SOP1: case ISA_ENC_SOP2: case ISA_ENC_SOPC: case ISA_ENC_SOPK:
	case ISA_ENC_SOPP: case ISA_ENC_SMEM:
		return shader_salu_executes(e);
	case ISA_ENC_VOP1: case ISA_ENC_VOP2: case ISA_ENC_VOPC: case ISA_ENC_VOP3:
	case ISA_ENC_VOP3P: case ISA_ENC_VOPD:
		return shader_valu_executes(e);
	case ISA_ENC_GLOBAL: case ISA_ENC_FLAT: case ISA_ENC_DS: case ISA_ENC_MUBUF:
	case ISA_ENC_MTBUF: case ISA_ENC_SCRATCH: case ISA_ENC_MIMG:
		return e->plan.mem.kind != MEM_UNNAMED && e->plan.mem.kind != MEM_BAD &&
		       e->plan.mem.kind != MEM_UNMODELLED && e->plan.mem.kind != MEM_ABSENT;
	default:
		return false;
	}
}

const char *shader_absent(const struct isa_inst *in)
{
	switch (in->enc) {
	case ISA_ENC_GLOBAL: case ISA_ENC_FLAT: case ISA_ENC_DS: case ISA_ENC_MUBUF:
	case ISA_ENC_MTBUF: case ISA_ENC_SCRATCH: case ISA_ENC_MIMG: {
		const struct shader_icache_entry *e = resolved(in);
		return e->plan.mem.kind == MEM_ABSENT ? e->plan.mem.why : NULL;
	}
	default:
		return NULL;
	}
}

/* Fetches and decodes the instruction at pc, through the cache. */
static int fetch(struct shader_core *c, uint64_t pc, struct shader_icache_entry **out)
{
	struct shader_icache_entry *e = &c->icache[(pc >> 2) % SHADER_ICACHE_SLOTS];
	c->pc = pc;
	c->cur = NULL;
	if (e->gen == c->icache_gen && e->pc == pc) {
		*out = e;
		return 0;
	}
	if (pc & 3)
		return shader_fault(c, "program counter not dword aligned");
	uint32_t words[3];
	/* Read one dword at a time: the last instruction may end at the end
	 * of the mapping, and reading past it would be a false fault. */
	int r = exec_read(c->job, pc, &words[0], 4);
	if (r)
		return r;
	size_t have = 1;
	/* Decoded at this address by an earlier dispatch on this thread: kept
	 * if its dwords are still the same.  They are read exactly as a fresh
	 * decode reads them (the next one only while the ones before match,
	 * which is when the decoder would ask for it), so the reads and their
	 * faults are the same either way. */
	if (e->gen && e->pc == pc && e->inst.gen == (uint8_t)c->gen) {
		while (words[have - 1] == e->inst.words[have - 1] && have < e->inst.nwords) {
			r = exec_read(c->job, pc + 4 * have, &words[have], 4);
			if (r)
				return r;
			have++;
		}
		if (have == e->inst.nwords && words[have - 1] == e->inst.words[have - 1]) {
			e->gen = c->icache_gen;
			*out = e;
			return 0;
		}
	}
	e->gen = 0; /* a partial decode below must never count as cached */
	int n = isa_decode_gen(c->decode_gen, words, have, &e->inst);
	for (; n == -EOVERFLOW && have < 3; have++) {
		r = exec_read(c->job, pc + 4 * have, &words[have], 4);
		if (r)
			return r;
		n = isa_decode_gen(c->decode_gen, words, have + 1, &e->inst);
	}
	if (n < 0) {
		e->gen = 0;
		char why[160];
		/* gfx9's decoder has no MIMG tables: an image instruction
		 * (bits 31:26 = 111100) is named as such */
		if (c->gen == ISA_GEN_GFX9 && (words[0] & 0xfc000000u) == 0xf0000000u)
			snprintf(why, sizeof(why), "image instruction (MIMG, encoding %08x) on gfx9: "
				 "not modelled (gfx9 image descriptor, formats and swizzle modes)",
				 words[0]);
		else
			snprintf(why, sizeof(why), "illegal instruction (encoding %08x not decodable)",
				 words[0]);
		return shader_fault(c, why);
	}
	e->pc = pc;
	e->gen = c->icache_gen;
	base_name(e->inst.desc->name, e->base, sizeof(e->base));
	if (c->gen == ISA_GEN_GFX103)
		shader_gfx103_base_name(e);
	else if (c->gen == ISA_GEN_GFX9)
		shader_gfx9_base_name(e);
	resolve(e);
	*out = e;
	return 0;
}

static int exec_one(struct shader_core *c, struct shader_wave *w)
{
	struct shader_icache_entry *e = NULL;
	int r = fetch(c, w->pc, &e);
	if (r)
		return r;
	c->cur = e;
	const struct isa_inst *in = &e->inst;
	w->pc += 4u * in->nwords;
	if (c->gen == ISA_GEN_GFX9 && (w->mode & SHADER_GFX9_MODE_GPR_IDX_EN) &&
	    (in->enc == ISA_ENC_VOP1 || in->enc == ISA_ENC_VOP2 || in->enc == ISA_ENC_VOPC ||
	     in->enc == ISA_ENC_VOP3 || in->enc == ISA_ENC_VOP3P))
		return shader_gfx9_exec_indexed(c, w, e);   /* VGPR index mode */
	if (c->decode_gen == ISA_GEN_GFX90A && shader_gfx90a_acc(in))
		return shader_exec_acc_gfx90a(c, w, e);   /* AccVGPRs, MFMA */
	switch (in->enc) {
	case ISA_ENC_SOP1: case ISA_ENC_SOP2: case ISA_ENC_SOPC: case ISA_ENC_SOPK:
	case ISA_ENC_SOPP:
		return shader_exec_salu(c, w, e);
	case ISA_ENC_SMEM:
		return shader_exec_smem(c, w, e);
	case ISA_ENC_VOP1: case ISA_ENC_VOP2: case ISA_ENC_VOPC: case ISA_ENC_VOP3:
	case ISA_ENC_VOP3P: case ISA_ENC_VOPD:
		return shader_exec_valu(c, w, e);
	case ISA_ENC_GLOBAL: case ISA_ENC_FLAT:
		return shader_exec_vmem(c, w, e);
	case ISA_ENC_DS:
		return shader_exec_ds(c, w, e);
	case ISA_ENC_MUBUF: case ISA_ENC_MTBUF:
		return shader_exec_mubuf(c, w, e);
	case ISA_ENC_MIMG:
		return shader_exec_mimg(c, w, e);
	case ISA_ENC_SCRATCH: /* lane-private memory, shader/scratch.c */
		return shader_exec_scratch(c, w, e);
	default:
		return shader_illegal(c);
	}
}

/* gfx10.3 wave64 with shared VGPRs: the hardware runs a wave64 as two
 * 32-lane halves, and a shared VGPR is one register for both (lane l and
 * l + 32 are the same storage; ACO's wave64 ds_bpermute moves data
 * between the halves through them).  The core keeps a per-lane copy and
 * makes each pair equal again after every instruction: a lane the
 * instruction changed gives its value to its partner, the high half's
 * write winning when both changed (it runs second). */
static int exec_one_shared(struct shader_core *c, struct shader_wave *w)
{
	uint32_t *base = &w->v[(size_t)c->shared_first * 64];
	size_t n = (size_t)c->shared_count * 64;
	memcpy(c->shared_old, base, n * sizeof(uint32_t));
	int r = exec_one(c, w);
	for (size_t reg = 0; reg < c->shared_count; reg++) {
		uint32_t *v = &base[reg * 64];
		const uint32_t *o = &c->shared_old[reg * 64];
		for (unsigned l = 0; l < 32; l++) {
			if (v[l + 32] != o[l + 32])
				v[l] = v[l + 32];
			else if (v[l] != o[l])
				v[l + 32] = v[l];
		}
	}
	return r;
}

struct wg_geom {
	unsigned nthreads, nwaves;
	uint32_t size[3];
};

/* The workgroups a DISPATCH_DIRECT/INDIRECT launches.  The packet's
 * dimensions are where the grid ends, not how many groups it has: the CP
 * runs ids COMPUTE_START..DIM-1 on each axis (RADV's
 * radv_emit_dispatch_packets adds the base offsets it writes to
 * COMPUTE_START_* to the group counts before DISPATCH_DIRECT, and sets
 * FORCE_START_AT_000 when there are none), or 0..DIM-1 with
 * FORCE_START_AT_000.  With PARTIAL_TG_EN the last group on an axis has
 * COMPUTE_NUM_THREAD_*.NUM_THREAD_PARTIAL work-items there instead of
 * NUM_THREAD_FULL (how RADV and radeonsi launch a grid that is not a
 * multiple of the workgroup size). */
struct shader_grid {
	uint32_t first[3], end[3];
	uint32_t partial[3];           /* 0 without PARTIAL_TG_EN */
};

static void init_wave(struct shader_core *c, struct shader_wave *w, const struct wg_geom *g,
		      unsigned index, const uint32_t tgid[3])
{
	const struct exec_dispatch *d = c->d;
	memset(w->s, 0, sizeof(w->s));
	memset(w->v, 0, (size_t)(w->nvgpr + w->nagpr) * 64 * sizeof(uint32_t));
	w->scc = false;
	w->pc = d->pgm;
	w->state = WAVE_RUN;
	w->mode = shader_mode_from_rsrc1(d->rsrc1);
	w->trapsts = 0;
	w->wave_id = (uint8_t)index;
	unsigned n = RSRC2_USER_SGPR(d->rsrc2), s = 0;
	for (; s < n; s++)
		w->s[s] = d->user_data[s];
	for (int axis = 0; axis < 3; axis++)
		if (RSRC2_TGID_EN(d->rsrc2, axis))
			w->s[s++] = tgid[axis];
	/* Workgroup info (TG_SIZE): waves in the group in bits 0..5, the
	 * wave's index in the group would need ordered-append state the vgpu
	 * does not model; only the count is given. */
	if (RSRC2_TG_SIZE_EN(d->rsrc2))
		w->s[s++] = g->nwaves & 0x3f;
	const struct shader_grid *gr = c->grid;
	uint64_t wg = ((uint64_t)(tgid[2] - gr->first[2]) * (gr->end[1] - gr->first[1]) +
		       (tgid[1] - gr->first[1])) * (gr->end[0] - gr->first[0]) +
		      (tgid[0] - gr->first[0]);
	/* Scratch: gfx11's architected flat scratch has no scratch wave
	 * offset SGPR (LLVM asks for it only without architected flat
	 * scratch); the SPI loads the slot's address into FLAT_SCRATCH.
	 * gfx10.3: the private segment wave byte offset follows, and
	 * FLAT_SCRATCH starts at 0 until the kernel's prolog sets it. */
	uint64_t slot_offset = shader_scratch_wave_init(c, w, wg, index, g->nwaves);
	if (c->gen != ISA_GEN_GFX11 && RSRC2_SCRATCH_EN(d->rsrc2))
		w->s[s++] = (uint32_t)slot_offset;
	uint64_t exec = 0;
	/* work-item t = index * lanes + lane is (x, y, z) with x fastest;
	 * counted up from the wave's first item instead of divided per lane */
	unsigned t = index * c->lanes;
	unsigned x = t % g->size[0], y = (t / g->size[0]) % g->size[1],
		 z = t / (g->size[0] * g->size[1]);
	unsigned tidig = RSRC2_TIDIG_COMP_CNT(d->rsrc2);
	for (unsigned lane = 0; lane < c->lanes && t < g->nthreads; lane++, t++) {
		if (c->gen != ISA_GEN_GFX11 && c->decode_gen != ISA_GEN_GFX90A) {
			w->v[lane] = x;
			if (tidig >= 1 && w->nvgpr > 1)
				w->v[64 + lane] = y;
			if (tidig >= 2 && w->nvgpr > 2)
				w->v[128 + lane] = z;
		} else {
			w->v[lane] = x | (y << TID_BITS) | (z << (2 * TID_BITS));
		}
		exec |= 1ull << lane;
		if (++x == g->size[0]) {
			x = 0;
			if (++y == g->size[1]) {
				y = 0;
				z++;
			}
		}
	}
	wave_set_exec(c, w, exec);
}

/* Runs one workgroup's waves round-robin until all ended. */
static int run_workgroup(struct shader_core *c, struct shader_wave *waves, const struct wg_geom *g,
			 const uint32_t tgid[3], unsigned *budget)
{
	for (unsigned i = 0; i < g->nwaves; i++)
		init_wave(c, &waves[i], g, i, tgid);
	if (c->lds_size)
		memset(c->lds, 0, c->lds_size);
	for (;;) {
		unsigned done = 0, at_barrier = 0;
		for (unsigned i = 0; i < g->nwaves; i++) {
			struct shader_wave *w = &waves[i];
			while (w->state == WAVE_RUN) {
				int r = c->shared_count ? exec_one_shared(c, w) : exec_one(c, w);
				if (r)
					return r;
				if (--*budget == 0) {
					*budget = WATCHDOG_INTERVAL;
					r = exec_check_watchdog(c->job);
					if (r)
						return r;
				}
			}
			done += w->state == WAVE_DONE;
			at_barrier += w->state == WAVE_BARRIER;
		}
		if (done == g->nwaves)
			return 0;
		/* s_barrier: released once every wave still running reached
		 * it; waves that ended no longer count (as on hardware). */
		for (unsigned i = 0; i < g->nwaves; i++)
			if (waves[i].state == WAVE_BARRIER)
				waves[i].state = WAVE_RUN;
		(void)at_barrier;
	}
}

/* GWS dispatches keep every workgroup resident (run_resident): at most
 * this many waves in all, a limit of the model (its register memory), not
 * of the hardware. */
#define GWS_MAX_RESIDENT_WAVES 1024u

struct resident_wg {
	uint32_t tgid[3];
	struct wg_geom g;
	unsigned first;                /* index of its first wave */
	bool done;
};

/* A wave waiting in GWS that can go on: a barrier whose round ended, or a
 * semaphore P that finds the counter above 0 (which it takes). */
static bool gws_wake(struct shader_gws *gws, struct shader_wave *w)
{
	if (w->state == WAVE_GWS_BARRIER && gws->gen[w->gws_rid] != w->gws_gen) {
		w->state = WAVE_RUN;
		return true;
	}
	if (w->state == WAVE_GWS_P && gws->counter[w->gws_rid] > 0) {
		gws->counter[w->gws_rid]--;
		gws->p_waiting[w->gws_rid]--;
		w->state = WAVE_RUN;
		return true;
	}
	return false;
}

/* The workgroups of a dispatch whose job has a GWS partition, all
 * resident at once, as a grid-wide GWS barrier needs: the scheduler runs
 * each runnable wave of each workgroup in turn until it ends or waits (at
 * s_barrier, a GWS barrier or a GWS semaphore), releases s_barrier per
 * workgroup as run_workgroup does and GWS waits as the GWS state allows,
 * and faults when a whole pass made no progress (every remaining wave
 * waits on something no wave can release: a deadlock, reported instead
 * of hanging). */
static int run_resident(struct shader_core *c, struct shader_wave *waves, uint8_t *lds,
			struct resident_wg *wgs, unsigned nwg, unsigned *budget)
{
	for (unsigned k = 0; k < nwg; k++) {
		for (unsigned i = 0; i < wgs[k].g.nwaves; i++)
			init_wave(c, &waves[wgs[k].first + i], &wgs[k].g, i, wgs[k].tgid);
	}
	if (c->lds_size)
		memset(lds, 0, (size_t)c->lds_size * nwg);
	unsigned left = nwg;
	while (left) {
		bool progress = false;
		for (unsigned k = 0; k < nwg; k++) {
			struct resident_wg *wg = &wgs[k];
			if (wg->done)
				continue;
			c->lds = lds + (size_t)c->lds_size * k;
			unsigned done = 0, at_barrier = 0;
			for (unsigned i = 0; i < wg->g.nwaves; i++) {
				struct shader_wave *w = &waves[wg->first + i];
				progress |= gws_wake(c->gws, w);
				while (w->state == WAVE_RUN) {
					progress = true;
					int r = c->shared_count ? exec_one_shared(c, w) : exec_one(c, w);
					if (r)
						return r;
					if (--*budget == 0) {
						*budget = WATCHDOG_INTERVAL;
						r = exec_check_watchdog(c->job);
						if (r)
							return r;
					}
				}
				done += w->state == WAVE_DONE;
				at_barrier += w->state == WAVE_BARRIER;
			}
			if (done == wg->g.nwaves) {
				wg->done = true;
				left--;
				progress = true;
			} else if (at_barrier && done + at_barrier == wg->g.nwaves) {
				for (unsigned i = 0; i < wg->g.nwaves; i++)
					if (waves[wg->first + i].state == WAVE_BARRIER)
						waves[wg->first + i].state = WAVE_RUN;
				progress = true;
			}
		}
		if (!left || progress)
			continue;
		unsigned nb = 0, np = 0, ns = 0;
		for (unsigned k = 0; k < nwg; k++)
			for (unsigned i = 0; !wgs[k].done && i < wgs[k].g.nwaves; i++) {
				enum wave_state st = waves[wgs[k].first + i].state;
				nb += st == WAVE_GWS_BARRIER;
				np += st == WAVE_GWS_P;
				ns += st == WAVE_BARRIER;
			}
		return exec_fault(c->job, "shader: GWS deadlock: no wave can go on (%u waiting in "
				  "ds_gws_barrier, %u in ds_gws_sema_p, %u at s_barrier behind them; "
				  "nothing left to release them)", nb, np, ns);
	}
	return 0;
}

static int check_dispatch(struct exec_job *job, const struct exec_dispatch *d, struct wg_geom *g)
{
	if (d->initiator & INIT_USE_THREAD_DIMENSIONS)
		return exec_fault(job, "shader: DISPATCH_DIRECT with USE_THREAD_DIMENSIONS is not supported");
	/* FLOAT_MODE: every value is run (the wave's MODE register,
	 * shader/float_mode.c) */
	uint64_t n = 1;
	for (int i = 0; i < 3; i++) {
		g->size[i] = d->num_thread[i] & 0xffff;
		if (g->size[i] == 0 || g->size[i] > MAX_WG_THREADS)
			return exec_fault(job, "shader: COMPUTE_NUM_THREAD_%c is %u (1..1024)", 'X' + i,
					  g->size[i]);
		n *= g->size[i];
	}
	if (n > MAX_WG_THREADS)
		return exec_fault(job, "shader: workgroup of %llu threads (at most 1024)",
				  (unsigned long long)n);
	g->nthreads = (unsigned)n;
	return 0;
}

static int grid_of(struct exec_job *job, const struct exec_dispatch *d, struct shader_grid *gr)
{
	for (int i = 0; i < 3; i++) {
		gr->first[i] = (d->initiator & INIT_FORCE_START_AT_000) ? 0 : d->start[i];
		gr->end[i] = d->dim[i] > gr->first[i] ? d->dim[i] : gr->first[i];
		gr->partial[i] = 0;
		if (!(d->initiator & INIT_PARTIAL_TG_EN))
			continue;
		uint32_t full = d->num_thread[i] & 0xffff, part = d->num_thread[i] >> 16;
		/* Clients write the full size where an axis has no partial
		 * group ("not 0", radeonsi and RADV say); what the SPI makes
		 * of 0 or of more than the full size is not modelled. */
		if (part == 0 || part > full)
			return exec_fault(job, "shader: PARTIAL_TG_EN with COMPUTE_NUM_THREAD_%c "
					  "NUM_THREAD_PARTIAL %u (FULL %u) is not modelled: 1..FULL "
					  "only", 'X' + i, part, full);
		gr->partial[i] = part;
	}
	return 0;
}

/* The geometry of workgroup `tgid`: the full one, or smaller on the axes
 * where it is the grid's last group and PARTIAL_TG_EN gives it fewer
 * work-items. */
static void geometry_of(const struct shader_grid *gr, const struct wg_geom *full, unsigned lanes,
			const uint32_t tgid[3], struct wg_geom *g)
{
	*g = *full;
	bool smaller = false;
	for (int i = 0; i < 3; i++)
		if (gr->partial[i] && tgid[i] == gr->end[i] - 1 && gr->partial[i] != full->size[i]) {
			g->size[i] = gr->partial[i];
			smaller = true;
		}
	if (!smaller)
		return;
	g->nthreads = g->size[0] * g->size[1] * g->size[2];
	g->nwaves = (g->nthreads + lanes - 1) / lanes;
}

int shader_dispatch_run(struct exec_job *job, const struct exec_dispatch *d)
{
	struct wg_geom g = { 0 };
	int r = check_dispatch(job, d, &g);
	if (r)
		return r;
	struct shader_grid gr;
	r = grid_of(job, d, &gr);
	if (r)
		return r;
	struct shader_core c = { .job = job, .d = d, .grid = &gr,
				 .gen = d->gc == EXEC_GC_10_3 ? ISA_GEN_GFX103
					: d->gc == EXEC_GC_9 ? ISA_GEN_GFX9 : ISA_GEN_GFX11 };
	c.decode_gen = c.gen;
	/* gfx906 (GC 9.4.0, mi50) has opcodes gfx900/902/90c do not (v_fmac_f32,
	 * v_xnor_b32, v_fma_mix*, v_dot*): its decoder tables; the instructions
	 * decode as gfx9 ones (inst.gen ISA_GEN_GFX9) */
	if (c.gen == ISA_GEN_GFX9) {
		const struct vgpu_profile *prof = vgpu_profile_get(NULL);
		if (prof && prof->gc_major == 9 && prof->gc_minor == 4)
			c.decode_gen = prof->gc_rev == 2 ? ISA_GEN_GFX90A : ISA_GEN_GFX906;
	}
	c.lanes = (d->initiator & INIT_CS_W32_EN) ? 32 : 64;
	/* gfx9 has no wave32: COMPUTE_DISPATCH_INITIATOR has no CS_W32_EN
	 * there (gc_9_0_sh_mask.h ends at RESTORE, bit 14) */
	if (c.gen == ISA_GEN_GFX9 && c.lanes == 32)
		return exec_fault(job, "shader: COMPUTE_DISPATCH_INITIATOR bit 15 (CS_W32_EN) on "
				  "gfx9, which runs wave64 only");
	g.nwaves = (g.nthreads + c.lanes - 1) / c.lanes;
	/* VGPR granule on gfx11 (gfx1103, no 1.5x register file) and on
	 * gfx10.3: 8 in wave32, 4 in wave64; gfx9 (wave64): 4, gfx90a 8
	 * (AMDGPUUsage, GRANULATED_WORKITEM_VGPR_COUNT: the unified file of
	 * VGPRs and AccVGPRs, 512 per lane) */
	bool gfx90a = c.decode_gen == ISA_GEN_GFX90A;
	uint32_t nvgpr = (RSRC1_VGPRS(d->rsrc1) + 1) * (c.lanes == 32 || gfx90a ? 8 : 4);
	/* gfx90a: the AccVGPRs start at COMPUTE_PGM_RSRC3.ACCUM_OFFSET
	 * ((field + 1) * 4, gc_9_4_2_sh_mask.h bits 5:0); the registers below
	 * it are the wave's architectural VGPRs, the rest of the allocation its
	 * AccVGPRs a0.. (AMDGPUUsage, "AMDGPU_ACCUM_OFFSET"; at most 512 in
	 * all, 256 of each kind) */
	uint32_t accum = 0, nagpr = 0;
	if (gfx90a) {
		accum = ((d->rsrc3 & 0x3fu) + 1) * 4;
		if (accum > nvgpr)
			return exec_fault(job, "shader: COMPUTE_PGM_RSRC3.ACCUM_OFFSET puts the "
					  "AccVGPRs at v%u, beyond the %u registers RSRC1.VGPRS "
					  "allocates", accum, nvgpr);
		nagpr = nvgpr - accum > 256 ? 256 : nvgpr - accum;
		nvgpr = accum;
	}
	/* COMPUTE_PGM_RSRC3.SHARED_VGPR_CNT (bits 3:0, AMDGPUUsage: GFX10-11):
	 * a wave64 also gets that many blocks of 8 shared VGPRs (ACO gives
	 * RADV's wave64 shaders some on gfx10.3); a wave32 must have none */
	uint32_t shared = c.gen == ISA_GEN_GFX9 ? 0 : d->rsrc3 & 0xfu;
	if (shared && c.lanes == 64) {
		if (c.gen == ISA_GEN_GFX103) {
			c.shared_first = nvgpr;
			c.shared_count = shared * 8;
		}
		nvgpr += shared * 8;
	} else if (shared && c.gen == ISA_GEN_GFX103)
		return exec_fault(job, "shader: COMPUTE_PGM_RSRC3.SHARED_VGPR_CNT %u in wave32 "
				  "(must be 0)", shared);
	if (nvgpr > 256)
		nvgpr = 256;
	c.lds_size = RSRC2_LDS_SIZE(d->rsrc2) * LDS_GRANULE_BYTES;
	/* A job with a GWS partition: every workgroup resident (run_resident) */
	struct shader_gws gws;
	struct resident_wg *wgs = NULL;
	unsigned nwg = 0, resident_waves = 0;
	if (job->gws_size) {
		memset(&gws, 0, sizeof(gws));
		c.gws = &gws;
		uint64_t n = 1;
		for (int i = 0; i < 3; i++)
			n *= gr.end[i] - gr.first[i];
		if (n * g.nwaves > GWS_MAX_RESIDENT_WAVES)
			return exec_fault(job, "shader: a dispatch with a GWS partition keeps every "
					  "workgroup resident; %llu workgroups of %u waves exceed the "
					  "%u waves the vgpu models at once",
					  (unsigned long long)n, g.nwaves, GWS_MAX_RESIDENT_WAVES);
		nwg = (unsigned)n;
		/* every resident wave needs its own scratch slot (the SPI
		 * launches no more waves than COMPUTE_TMPRING_SIZE.WAVES
		 * has slots; shader/scratch.c gives slot (wg * waves + i) %
		 * WAVES, which would alias here) */
		if (RSRC2_SCRATCH_EN(d->rsrc2) && n * g.nwaves > TMPRING_WAVES(d->tmpring_size))
			return exec_fault(job, "shader: a dispatch with a GWS partition keeps "
					  "%llu waves resident but COMPUTE_TMPRING_SIZE.WAVES gives "
					  "scratch slots for %u: the hardware would not launch them "
					  "all (not modelled)", (unsigned long long)(n * g.nwaves),
					  TMPRING_WAVES(d->tmpring_size));
		wgs = calloc(nwg ? nwg : 1, sizeof(*wgs));
		if (!wgs)
			return exec_fault(job, "shader: out of memory for the dispatch");
		unsigned k = 0;
		for (uint32_t z = gr.first[2]; z < gr.end[2]; z++)
			for (uint32_t y = gr.first[1]; y < gr.end[1]; y++)
				for (uint32_t x = gr.first[0]; x < gr.end[0]; x++, k++) {
					wgs[k].tgid[0] = x;
					wgs[k].tgid[1] = y;
					wgs[k].tgid[2] = z;
					geometry_of(&gr, &g, c.lanes, wgs[k].tgid, &wgs[k].g);
					wgs[k].first = resident_waves;
					resident_waves += wgs[k].g.nwaves;
				}
	}
	/* the thread's memory from its last dispatch (shader/arena.c): fresh
	 * pages for every dispatch cost more than small dispatches run */
	struct shader_arena *arena = wgs ? shader_arena_get(resident_waves ? resident_waves : 1,
							    nvgpr + nagpr, c.lds_size * (nwg ? nwg : 1))
					 : shader_arena_get(g.nwaves, nvgpr + nagpr, c.lds_size);
	struct shader_wave *waves = NULL;
	if (arena) {
		c.icache = arena->icache;
		c.icache_gen = arena->gen;
		c.lds = arena->lds;
		waves = arena->waves;
		/* gfx90a: each wave's block is its VGPRs, then its AccVGPRs */
		unsigned nw = wgs && resident_waves > g.nwaves ? resident_waves : g.nwaves;
		for (unsigned i = 0; i < nw; i++) {
			waves[i].nvgpr = nvgpr;
			waves[i].nagpr = nagpr;
		}
	} else {
		r = exec_fault(job, "shader: out of memory for the dispatch");
	}
	if (!r && c.shared_count) {
		if (c.shared_first + c.shared_count > nvgpr)
			c.shared_count = nvgpr > c.shared_first ? nvgpr - c.shared_first : 0;
		c.shared_old = malloc((size_t)c.shared_count * 64 * sizeof(uint32_t));
		if (!c.shared_old)
			r = exec_fault(job, "shader: out of memory for the shared VGPRs");
	}
	unsigned budget = WATCHDOG_INTERVAL;
	/* A grid with a zero dimension launches nothing (the CP counts
	 * X x Y x Z workgroups); without this the loops below would spin
	 * through up to 2^64 empty Y/Z iterations with no watchdog check
	 * (found by fuzz_vgpu_cmd: DISPATCH_DIRECT 0 x 65536 x 65536). */
	for (int i = 0; i < 3; i++)
		if (gr.end[i] == gr.first[i])
			budget = 0;
	if (wgs && !r) {
		if (nwg)
			r = run_resident(&c, waves, c.lds, wgs, nwg, &budget);
		budget = 0;
	}
	for (uint32_t z = gr.first[2]; budget && !r && z < gr.end[2]; z++)
		for (uint32_t y = gr.first[1]; !r && y < gr.end[1]; y++)
			for (uint32_t x = gr.first[0]; !r && x < gr.end[0]; x++) {
				uint32_t tgid[3] = { x, y, z };
				struct wg_geom wg;
				geometry_of(&gr, &g, c.lanes, tgid, &wg);
				r = run_workgroup(&c, waves, &wg, tgid, &budget);
				/* Also between workgroups: a huge grid of waves
				 * that end at once costs its setup, not
				 * instructions. */
				if (!r)
					r = exec_check_watchdog(job);
			}
	shader_arena_put(arena);
	free(c.shared_old);
	free(wgs);
	return r;
}
