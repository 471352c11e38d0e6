/*
 * gfx90a (MI200, CDNA2) AccVGPRs and matrix instructions.
 *
 * The register file is unified (AMDGPUUsage, "AMDGPU_ACCUM_OFFSET" and
 * COMPUTE_PGM_RSRC3.ACCUM_OFFSET): a wave's allocation is its
 * architectural VGPRs v0..v(ACCUM_OFFSET-1), then its AccVGPRs a0..;
 * shader/dispatch.c gives the wave nvgpr = ACCUM_OFFSET and nagpr = the
 * rest, a[n] being v[nvgpr + n].  Every AccVGPR operand is checked against
 * nagpr (a fault names the register and the allocation).
 *
 *  - v_accvgpr_read_b32 (v = a), v_accvgpr_write_b32 (a = v, an SGPR or a
 *    constant), v_accvgpr_mov_b32 (a = a): per lane under EXEC.
 *  - DS/FLAT/GLOBAL/SCRATCH/MUBUF/MTBUF/MIMG with the acc bit: the data
 *    registers are AccVGPRs; the instruction runs through its normal
 *    executor on a copy whose AccVGPR operands name v[nvgpr + n] (the
 *    address VGPRs are checked against nvgpr first).
 *  - v_mfma_*: D = A x B + C per block, with the register layout of AMD's
 *    matrix instruction calculator (github.com/ROCm/
 *    amd_matrix_instruction_calculator, CDNA2: __get_input_reg_lanes,
 *    __get_output_reg_lanes, the CBSZ/ABID block and BLGP lane
 *    transforms):
 *      A[i][k] of block b: element k % E of lane b*M + (k / E)*M*B + i,
 *        E = M*K*B/64 elements per lane (f32/i32 one per VGPR, f16/bf16
 *        two, i8 four, f64 one per pair); with CBSZ/ABID block b reads A
 *        from block (b >> CBSZ << CBSZ) + ABID;
 *      B[k][j]: the same with N and j, the lane then moved by BLGP (1: lanes
 *        0-31 to both halves, 2: 32-63 to both, 3: rotated by 16, 4-7: one
 *        group of 16 lanes to all);
 *      D[i][j] of block b (32-bit results, in groups of 4 rows; f64 in
 *        groups of 1): register b*(M*N/64) + (i / (h*64/N))*h + i % h,
 *        lane (b % R)*N + ((i / h) % (64/N))*R*N + j, h = 4 (f64: 1),
 *        R = ceil(64 / (M*N/h)) blocks per register.
 *    Arithmetic: i8 -> i32 is exact (32-bit wrap-around sum of the
 *    products and C); f32/f16/bf16 -> f32: the products (exact in binary64)
 *    and C summed in binary64 and rounded once to f32 (round to nearest
 *    even); the hardware's summation order and intermediate rounding are
 *    not documented, so a real MI200 may differ from this by the rounding
 *    of a K-term f32 sum: |d - exact| <= K * 2^-24 * (|C| + sum |a*b|)
 *    bounds both.  f64: fma(A[i][k], B[k][j], acc) in k order from C.
 *    Denormals are kept (inputs and results; MODE is not consulted).
 *    EXEC must be all ones (MFMA does not mask lanes).
 *  - Faults (not modelled): CBSZ/ABID on a one-block MFMA or an ABID
 *    beyond the broadcast group, CBSZ/ABID/BLGP on v_mfma_f64_* (gfx940
 *    reads those bits as negations), special sources (src_*) of MFMA and
 *    v_accvgpr_*.
 *
 * Only ever run on the vgpu: no MI200 has executed this code.
 */
#include "internal.h"
#include "valu_fp.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct mfma {
	const char *name;
	uint8_t m, n, k, blocks;
	char type;   /* 'f' f32, 'h' f16, 'b' bf16, 'i' i8, 'd' f64 */
};

/* M, N, K and blocks of the gfx90a MFMA opcodes (the calculator's cdna2
 * table) */
static const struct mfma mfmas[] = {
	{"v_mfma_f32_32x32x1f32", 32, 32, 1, 2, 'f'},
	{"v_mfma_f32_16x16x1f32", 16, 16, 1, 4, 'f'},
	{"v_mfma_f32_4x4x1f32", 4, 4, 1, 16, 'f'},
	{"v_mfma_f32_32x32x2f32", 32, 32, 2, 1, 'f'},
	{"v_mfma_f32_16x16x4f32", 16, 16, 4, 1, 'f'},
	{"v_mfma_f32_32x32x4f16", 32, 32, 4, 2, 'h'},
	{"v_mfma_f32_16x16x4f16", 16, 16, 4, 4, 'h'},
	{"v_mfma_f32_4x4x4f16", 4, 4, 4, 16, 'h'},
	{"v_mfma_f32_32x32x8f16", 32, 32, 8, 1, 'h'},
	{"v_mfma_f32_16x16x16f16", 16, 16, 16, 1, 'h'},
	{"v_mfma_i32_32x32x4i8", 32, 32, 4, 2, 'i'},
	{"v_mfma_i32_16x16x4i8", 16, 16, 4, 4, 'i'},
	{"v_mfma_i32_4x4x4i8", 4, 4, 4, 16, 'i'},
	{"v_mfma_i32_32x32x8i8", 32, 32, 8, 1, 'i'},
	{"v_mfma_i32_16x16x16i8", 16, 16, 16, 1, 'i'},
	{"v_mfma_f32_32x32x4bf16_1k", 32, 32, 4, 2, 'b'},
	{"v_mfma_f32_16x16x4bf16_1k", 16, 16, 4, 4, 'b'},
	{"v_mfma_f32_4x4x4bf16_1k", 4, 4, 4, 16, 'b'},
	{"v_mfma_f32_32x32x8bf16_1k", 32, 32, 8, 1, 'b'},
	{"v_mfma_f32_16x16x16bf16_1k", 16, 16, 16, 1, 'b'},
	{"v_mfma_f32_32x32x2bf16", 32, 32, 2, 2, 'b'},
	{"v_mfma_f32_16x16x2bf16", 16, 16, 2, 4, 'b'},
	{"v_mfma_f32_4x4x2bf16", 4, 4, 2, 16, 'b'},
	{"v_mfma_f32_32x32x4bf16", 32, 32, 4, 1, 'b'},
	{"v_mfma_f32_16x16x8bf16", 16, 16, 8, 1, 'b'},
	{"v_mfma_f64_16x16x4f64", 16, 16, 4, 1, 'd'},
	{"v_mfma_f64_4x4x4f64", 4, 4, 4, 4, 'd'},
};

bool shader_gfx90a_acc(const struct isa_inst *in)
{
	if (in->mai)
		return true;
	for (unsigned i = 0; i < in->nops; i++)
		if (in->ops[i].kind == ISA_OPK_AGPR)
			return true;
	return false;
}

static int fault_reg(struct shader_core *c, const struct isa_operand *o, uint32_t have)
{
	char why[160], reg[24];
	unsigned n = o->bits > 32 ? o->bits / 32 : 1;
	const char *p = o->kind == ISA_OPK_AGPR ? "a" : "v";
	if (n > 1)
		snprintf(reg, sizeof(reg), "%s[%u:%u]", p, o->reg, o->reg + n - 1);
	else
		snprintf(reg, sizeof(reg), "%s%u", p, o->reg);
	snprintf(why, sizeof(why), "%s beyond the wave's %u %s (RSRC1.VGPRS, "
		 "RSRC3.ACCUM_OFFSET)", reg, have, o->kind == ISA_OPK_AGPR ? "AccVGPRs" : "VGPRs");
	return shader_fault(c, why);
}

/* The first dword of register operand o (VGPR or AccVGPR) in the wave's
 * block, after the bounds check; NULL (fault raised) when out of range. */
static uint32_t *reg_base(struct shader_core *c, struct shader_wave *w,
			  const struct isa_operand *o, int *rc)
{
	unsigned n = o->bits > 32 ? o->bits / 32 : 1;
	uint32_t have = o->kind == ISA_OPK_AGPR ? w->nagpr : w->nvgpr;
	if ((uint32_t)o->reg + n > have) {
		*rc = fault_reg(c, o, have);
		return NULL;
	}
	return &w->v[((size_t)o->reg + (o->kind == ISA_OPK_AGPR ? w->nvgpr : 0)) * 64];
}

static int not_modelled(struct shader_core *c, const struct isa_inst *in, const char *what)
{
	char why[160];
	snprintf(why, sizeof(why), "%s: %s on gfx90a: not modelled", in->desc->name, what);
	return shader_fault(c, why);
}

/* v_accvgpr_read/write/mov_b32 */
static int exec_accvgpr(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in)
{
	const struct isa_operand *d = &in->ops[0], *s = &in->ops[1];
	int rc = 0;
	uint32_t *dv = reg_base(c, w, d, &rc);
	if (!dv)
		return rc;
	uint64_t scal = 0;
	const uint32_t *sv = NULL;
	if (s->kind == ISA_OPK_VGPR || s->kind == ISA_OPK_AGPR) {
		sv = reg_base(c, w, s, &rc);
		if (!sv)
			return rc;
	} else if (s->kind == ISA_OPK_SPECIAL) {
		return not_modelled(c, in, "a special source (src_*)");
	} else {
		rc = sop_read(c, w, s, &scal);
		if (rc)
			return rc;
	}
	uint64_t exec = wave_exec(c, w);
	for (uint64_t m = exec; m; m &= m - 1) {
		unsigned l = (unsigned)__builtin_ctzll(m);
		dv[l] = sv ? sv[l] : (uint32_t)scal;
	}
	return 0;
}

/* A memory instruction with AccVGPR data: its executor on a copy whose
 * AccVGPR operands name v[nvgpr + n], the wave's view widened to the
 * whole block for that one instruction. */
static int exec_acc_mem(struct shader_core *c, struct shader_wave *w,
			struct shader_icache_entry *e)
{
	struct shader_icache_entry tmp = *e;
	int rc = 0;
	for (unsigned i = 0; i < tmp.inst.nops; i++) {
		struct isa_operand *o = &tmp.inst.ops[i];
		if (o->kind != ISA_OPK_AGPR && o->kind != ISA_OPK_VGPR)
			continue;
		if (!reg_base(c, w, o, &rc))
			return rc;
		if (o->kind == ISA_OPK_AGPR) {
			o->kind = ISA_OPK_VGPR;
			o->reg = (uint16_t)(o->reg + w->nvgpr);
		}
	}
	uint32_t nvgpr = w->nvgpr;
	w->nvgpr += w->nagpr;
	c->cur = &tmp;
	switch (tmp.inst.enc) {
	case ISA_ENC_GLOBAL: case ISA_ENC_FLAT:
		rc = shader_exec_vmem(c, w, &tmp);
		break;
	case ISA_ENC_DS:
		rc = shader_exec_ds(c, w, &tmp);
		break;
	case ISA_ENC_MUBUF: case ISA_ENC_MTBUF:
		rc = shader_exec_mubuf(c, w, &tmp);
		break;
	case ISA_ENC_SCRATCH:
		rc = shader_exec_scratch(c, w, &tmp);
		break;
	case ISA_ENC_MIMG:   /* image_* with word 0 bit 16 (AccVGPR vdata) */
		rc = shader_exec_mimg(c, w, &tmp);
		break;
	default:
		rc = shader_illegal(c);
		break;
	}
	w->nvgpr = nvgpr;
	c->cur = e;
	return rc;
}

static unsigned blgp_lane(unsigned lane, unsigned blgp)
{
	switch (blgp) {
	case 1: return lane % 32;
	case 2: return lane % 32 + 32;
	case 3: return (lane + 16) % 64;
	default: return blgp >= 4 ? lane % 16 + 16 * (blgp - 4) : lane;
	}
}

static double bf16_to_d(uint16_t h)
{
	uint32_t u = (uint32_t)h << 16;
	float f;
	memcpy(&f, &u, 4);
	return f;
}

/* Input element e (of E per lane) of an A/B operand at lane l, as a
 * double (or the sign-extended integer for i8) */
static double in_elem(const uint32_t *base, char type, unsigned e, unsigned l, int64_t *iv)
{
	switch (type) {
	case 'f': {
		float f;
		uint32_t u = base[(size_t)e * 64 + l];
		memcpy(&f, &u, 4);
		return f;
	}
	case 'h':
		return vf16_to_f32((uint16_t)(base[(size_t)(e / 2) * 64 + l] >> (16 * (e % 2))));
	case 'b':
		return bf16_to_d((uint16_t)(base[(size_t)(e / 2) * 64 + l] >> (16 * (e % 2))));
	case 'i':
		*iv = (int8_t)(base[(size_t)(e / 4) * 64 + l] >> (8 * (e % 4)));
		return 0;
	default: {   /* 'd': one f64 in a register pair */
		uint64_t u = (uint64_t)base[l] | (uint64_t)base[64 + l] << 32;
		double x;
		memcpy(&x, &u, 8);
		return x;
	}
	}
}

static int exec_mfma(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in)
{
	const struct mfma *f = NULL;
	for (size_t i = 0; i < sizeof(mfmas) / sizeof(mfmas[0]); i++)
		if (!strcmp(mfmas[i].name, in->desc->name))
			f = &mfmas[i];
	if (!f)
		return not_modelled(c, in, "this matrix instruction");
	if (wave_exec(c, w) != ~0ull)
		return shader_fault(c, "MFMA with EXEC not all ones (matrix instructions do not "
				    "mask lanes)");
	const unsigned M = f->m, N = f->n, K = f->k, B = f->blocks;
	const unsigned E = M * K * B / 64;   /* input elements per lane */
	const bool wide = f->type == 'd', integer = f->type == 'i';
	if (wide && (in->cbsz || in->abid || in->blgp))
		return not_modelled(c, in, "CBSZ/ABID/BLGP of an f64 MFMA");
	if ((in->cbsz || in->abid) && (B == 1 || (1u << in->cbsz) > B || in->abid >= (1u << in->cbsz)))
		return not_modelled(c, in, "CBSZ/ABID outside the instruction's blocks");
	const struct isa_operand *od = &in->ops[0], *oa = &in->ops[1], *ob = &in->ops[2],
				 *oc = &in->ops[3];
	if (oa->kind == ISA_OPK_SPECIAL || ob->kind == ISA_OPK_SPECIAL || oc->kind == ISA_OPK_SPECIAL)
		return not_modelled(c, in, "a special source (src_*)");
	int rc = 0;
	const uint32_t *av = reg_base(c, w, oa, &rc), *bv = av ? reg_base(c, w, ob, &rc) : NULL;
	uint32_t *dv = bv ? reg_base(c, w, od, &rc) : NULL;
	if (!dv)
		return rc;
	const uint32_t *cv = NULL;
	if (oc->kind == ISA_OPK_VGPR || oc->kind == ISA_OPK_AGPR) {
		cv = reg_base(c, w, oc, &rc);
		if (!cv)
			return rc;
	} else if (oc->kind != ISA_OPK_INLINE) {
		return not_modelled(c, in, "this C operand");
	}
	/* results first (D may overlap A, B or C), then written */
	const unsigned h = wide ? 1 : 4, rows_per_reg = 64 / N;
	const unsigned R = (64 + M * N / h - 1) / (M * N / h);
	const unsigned nd = od->bits / 32;
	uint32_t out[32 * 64];
	for (unsigned b = 0; b < B; b++) {
		unsigned ab = (in->cbsz || in->abid) ? (b >> in->cbsz << in->cbsz) + in->abid : b;
		for (unsigned i = 0; i < M; i++)
			for (unsigned j = 0; j < N; j++) {
				unsigned reg = b * (M * N / 64) + (i / (h * rows_per_reg)) * h + i % h;
				unsigned lane = (b % R) * N + ((i / h) % rows_per_reg) * R * N + j;
				unsigned dw = wide ? 2 * reg : reg;
				uint64_t cbits = cv ? (uint64_t)cv[(size_t)dw * 64 + lane] |
						      (wide ? (uint64_t)cv[(size_t)(dw + 1) * 64 + lane] << 32 : 0)
						    : oc->value;
				uint64_t res;
				if (integer) {
					uint32_t acc = (uint32_t)cbits;
					for (unsigned k = 0; k < K; k++) {
						int64_t x = 0, y = 0;
						in_elem(av, 'i', k % E, ab * M + (k / E) * M * B + i, &x);
						in_elem(bv, 'i', k % E,
							blgp_lane(b * N + (k / E) * N * B + j, in->blgp), &y);
						acc += (uint32_t)(x * y);
					}
					res = acc;
				} else if (wide) {
					double acc;
					memcpy(&acc, &cbits, 8);
					for (unsigned k = 0; k < K; k++) {
						int64_t unused;
						double x = in_elem(av, 'd', 0, ab * M + (k / E) * M * B + i, &unused);
						double y = in_elem(bv, 'd', 0, b * N + (k / E) * N * B + j, &unused);
						acc = fma(x, y, acc);
					}
					memcpy(&res, &acc, 8);
				} else {
					float cf;
					uint32_t cu = (uint32_t)cbits;
					memcpy(&cf, &cu, 4);
					double acc = cf;
					for (unsigned k = 0; k < K; k++) {
						int64_t unused;
						double x = in_elem(av, f->type, k % E,
								   ab * M + (k / E) * M * B + i, &unused);
						double y = in_elem(bv, f->type, k % E,
								   blgp_lane(b * N + (k / E) * N * B + j, in->blgp),
								   &unused);
						acc += x * y;
					}
					float r = (float)acc;
					uint32_t ru;
					memcpy(&ru, &r, 4);
					res = ru;
				}
				out[(size_t)dw * 64 + lane] = (uint32_t)res;
				if (wide)
					out[(size_t)(dw + 1) * 64 + lane] = (uint32_t)(res >> 32);
			}
	}
	memcpy(dv, out, (size_t)nd * 64 * sizeof(uint32_t));
	return 0;
}

int shader_exec_acc_gfx90a(struct shader_core *c, struct shader_wave *w,
			   struct shader_icache_entry *e)
{
	const struct isa_inst *in = &e->inst;
	if (in->mai)
		return exec_mfma(c, w, in);
	if (!strncmp(in->desc->name, "v_accvgpr_", 10))
		return exec_accvgpr(c, w, in);
	return exec_acc_mem(c, w, e);
}
