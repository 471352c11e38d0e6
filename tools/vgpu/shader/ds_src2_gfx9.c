/*
 * gfx9's DS _src2 forms (ds_add_src2_u32 ... ds_max_src2_f64): an LDS
 * operation between two LDS locations of the same lane, with no data
 * VGPRs and no return.  Vega ISA, DS_ADD_SRC2_U32 and the others:
 *
 *   A = ADDR_BASE;
 *   B = A + 4*(offset1[7] ? {A[31],A[31:17]} :
 *              {offset1[6],offset1[6:0],offset0});
 *   MEM[A] = MEM[A] + MEM[B].
 *
 * A is the ADDR VGPR alone (the offset fields select B instead of adding
 * to A).  The 16-bit value in the parentheses is read as signed (its top
 * bit repeats offset1[6] or A[31], the sign of the field it extends) and
 * the sum wraps at 32 bits.  The 64-bit forms have the same text, so B is
 * 4 times the field from A for them too.  Each operation is the one of the
 * DS atomic with the same name with DATA = MEM[B] (the guide's text for
 * each _src2 form is that atomic's with MEM[B] for DATA: sub MEM[A] -
 * MEM[B], rsub MEM[B] - MEM[A], inc/dec against MEM[B], min/max signed,
 * unsigned or float, ds_write_src2 a copy), through shader/atomic.c.  Out
 * of the LDS allocation a read gives 0 and a write is dropped, as for
 * every DS access (shader/ds.c).
 *
 * The guide gives no order between lanes; the vgpu applies them in lane
 * order but faults when the order would matter: when one active lane's B
 * or A overlaps another active lane's A.
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

bool shader_gfx9_ds_src2_resolve(const char *name, uint8_t *aop, bool *wide)
{
	char op[48];
	const char *s = strstr(name, "_src2_");
	if (strncmp(name, "ds_", 3) || !s || (size_t)(s - name - 3) >= sizeof(op) - 8)
		return false;
	/* "ds_add_src2_u32" -> "add_u32" */
	snprintf(op, sizeof(op), "%.*s%s", (int)(s - name - 3), name + 3, s + 5);
	if (!strcmp(op, "write_b32") || !strcmp(op, "write_b64")) {
		*aop = AOP_SWAP;
		*wide = op[7] == '6';
		return true;
	}
	*aop = shader_atomic_parse(op, wide);
	switch (*aop) {
	case AOP_ADD: case AOP_SUB: case AOP_RSUB: case AOP_INC: case AOP_DEC:
	case AOP_MIN_I: case AOP_MAX_I: case AOP_MIN_U: case AOP_MAX_U:
	case AOP_AND: case AOP_OR: case AOP_XOR: case AOP_MIN_F: case AOP_MAX_F:
		return true;
	case AOP_ADD_F:
		return !*wide;   /* ds_add_src2_f32 only */
	default:
		return false;
	}
}

/* B of the guide's formula */
static uint32_t src2_b(uint32_t a, uint8_t offset0, uint8_t offset1)
{
	uint16_t f;
	if (offset1 & 0x80)
		f = (uint16_t)((a >> 31) << 15 | ((a >> 17) & 0x7fff));
	else
		f = (uint16_t)(((offset1 >> 6) & 1u) << 15 | (offset1 & 0x7fu) << 8 | offset0);
	return a + 4u * (uint32_t)(int32_t)(int16_t)f;
}

static bool overlap(uint32_t x, uint32_t y, unsigned n)
{
	return x < y + n && y < x + n;
}

int shader_gfx9_exec_ds_src2(struct shader_core *c, struct shader_wave *w,
			     const struct isa_inst *in, const struct shader_mem_plan *p)
{
	const struct isa_operand *addr = inst_op(in, ISA_FLD_ADDR);
	if (!addr)
		return shader_illegal(c);
	if (vmem_check_vgprs(c, w, addr))
		return -ECANCELED;
	unsigned n = p->wide ? 8 : 4;
	uint64_t exec = wave_exec(c, w);
	uint32_t a[64], b[64];
	for (unsigned l = 0; l < c->lanes; l++) {
		if (!((exec >> l) & 1))
			continue;
		a[l] = w->v[(size_t)addr->reg * 64 + l];
		b[l] = src2_b(a[l], in->offset0, in->offset1);
	}
	for (unsigned l = 0; l < c->lanes; l++) {
		if (!((exec >> l) & 1))
			continue;
		for (unsigned k = 0; k < c->lanes; k++) {
			if (k == l || !((exec >> k) & 1))
				continue;
			if (overlap(a[k], a[l], n) || overlap(b[k], a[l], n)) {
				char why[200];
				snprintf(why, sizeof(why), "%s: lanes %u and %u overlap (A 0x%x, B 0x%x "
					 "against A 0x%x); the Vega ISA gives no order between lanes",
					 in->desc->name, k, l, a[k], b[k], a[l]);
				return shader_fault(c, why);
			}
		}
	}
	for (unsigned l = 0; l < c->lanes; l++) {
		if (!((exec >> l) & 1))
			continue;
		uint64_t old = shader_lds_read(c, a[l], p->wide), nv = old;
		shader_atomic_apply(p->aop, p->wide, old, shader_lds_read(c, b[l], p->wide), 0, &nv);
		shader_lds_write(c, a[l], nv, p->wide);
	}
	return 0;
}
