/*
 * The read-modify-write of one lane's memory atomic, shared by DS (LDS),
 * GLOBAL/FLAT and MUBUF: the operation named by the mnemonic, applied to
 * the old memory value and the instruction's data, as the RDNA3 ISA's
 * opcode tables define it.  Operand order (gfx11): the first data
 * operand is the source, the second one the compare value (cmpswap /
 * cmpstore), the OR-ed value (mskor) or the add-back value (wrap).
 */
#include "internal.h"

#include <math.h>
#include <string.h>

static float f32_of(uint64_t v)
{
	float f;
	uint32_t u = (uint32_t)v;
	memcpy(&f, &u, 4);
	return f;
}

static uint64_t bits_of_f32(float f)
{
	uint32_t u;
	memcpy(&u, &f, 4);
	return u;
}

static double f64_of(uint64_t v)
{
	double d;
	memcpy(&d, &v, 8);
	return d;
}

static uint64_t bits_of_f64(double d)
{
	uint64_t u;
	memcpy(&u, &d, 8);
	return u;
}

/* "add_u32" -> AOP_ADD, *wide false; "min_i64" -> AOP_MIN_I, true;
 * "cmpstore_f32" -> AOP_CMPSWAP_F ... ; AOP_NONE for anything else. */
uint8_t shader_atomic_parse(const char *n, bool *wide)
{
	const char *t = strrchr(n, '_');
	*wide = false;
	if (!t || strlen(t) != 4)
		return AOP_NONE;
	char ty = t[1];
	if (strcmp(t + 2, "32") && strcmp(t + 2, "64"))
		return AOP_NONE;
	if (ty != 'u' && ty != 'i' && ty != 'b' && ty != 'f')
		return AOP_NONE;
	*wide = t[2] == '6';
	size_t len = (size_t)(t - n);
	static const struct { const char *name; uint8_t op, fop; } ops[] = {
		{ "add", AOP_ADD, AOP_ADD_F }, { "sub", AOP_SUB, AOP_NONE },
		{ "rsub", AOP_RSUB, AOP_NONE }, { "swap", AOP_SWAP, AOP_NONE },
		{ "storexchg", AOP_SWAP, AOP_NONE }, { "cmpswap", AOP_CMPSWAP, AOP_CMPSWAP_F },
		{ "cmpstore", AOP_CMPSWAP, AOP_CMPSWAP_F }, { "and", AOP_AND, AOP_NONE },
		{ "or", AOP_OR, AOP_NONE }, { "xor", AOP_XOR, AOP_NONE },
		{ "min", AOP_MIN_U, AOP_MIN_F }, { "max", AOP_MAX_U, AOP_MAX_F },
		{ "inc", AOP_INC, AOP_NONE }, { "dec", AOP_DEC, AOP_NONE },
		{ "mskor", AOP_MSKOR, AOP_NONE }, { "wrap", AOP_WRAP, AOP_NONE },
		{ "csub", AOP_CSUB, AOP_NONE },
	};
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (strlen(ops[i].name) != len || strncmp(n, ops[i].name, len))
			continue;
		if (ty == 'f')
			return ops[i].fop;
		if (ops[i].op == AOP_MIN_U && ty == 'i')
			return AOP_MIN_I;
		if (ops[i].op == AOP_MAX_U && ty == 'i')
			return AOP_MAX_I;
		return ops[i].op;
	}
	return AOP_NONE;
}

bool shader_atomic_two_data(uint8_t op)
{
	return op == AOP_CMPSWAP || op == AOP_CMPSWAP_F || op == AOP_MSKOR || op == AOP_WRAP;
}

/*
 * f32/f64 min/max: IEEE minNum/maxNum (a NaN operand loses, as the float
 * atomics of the RDNA3 ISA define them; two NaNs give the data's), and of
 * two operands that compare equal (-0.0 and +0.0) the one in memory stays
 * (minNum leaves that choice open; written out here rather than left to
 * the C library's fmin, which does not define it).  Denormals are kept:
 * the result is one of the operands, bit for bit.  add rounds to nearest
 * even with denormals kept (the host's default); cmpswap compares as
 * floats (-0 == +0, a NaN equals nothing).
 */
static bool min_num_takes_data(double old, double data, bool max)
{
	if (isnan(old))
		return true;
	if (isnan(data))
		return false;
	return max ? data > old : data < old;
}

int shader_atomic_apply(uint8_t op, bool wide, uint64_t old, uint64_t data, uint64_t data2,
			uint64_t *out)
{
	uint64_t m = wide ? ~0ull : 0xffffffffull;
	old &= m;
	data &= m;
	data2 &= m;
	int64_t so = wide ? (int64_t)old : (int32_t)old, sd = wide ? (int64_t)data : (int32_t)data;
	switch (op) {
	case AOP_ADD: *out = old + data; break;
	case AOP_SUB: *out = old - data; break;
	case AOP_RSUB: *out = data - old; break;
	case AOP_SWAP: *out = data; break;
	case AOP_CMPSWAP: *out = old == data2 ? data : old; break;
	case AOP_AND: *out = old & data; break;
	case AOP_OR: *out = old | data; break;
	case AOP_XOR: *out = old ^ data; break;
	case AOP_MIN_U: *out = old < data ? old : data; break;
	case AOP_MAX_U: *out = old > data ? old : data; break;
	case AOP_MIN_I: *out = so < sd ? old : data; break;
	case AOP_MAX_I: *out = so > sd ? old : data; break;
	case AOP_INC: *out = old >= data ? 0 : old + 1; break;
	case AOP_DEC: *out = (old == 0 || old > data) ? data : old - 1; break;
	case AOP_MSKOR: *out = (old & ~data) | data2; break;
	case AOP_WRAP: *out = old >= data ? old - data : old + data2; break;
	case AOP_CSUB: *out = old >= data ? old - data : old; break;
	case AOP_ADD_F:
		*out = wide ? bits_of_f64(f64_of(old) + f64_of(data))
			    : bits_of_f32(f32_of(old) + f32_of(data));
		break;
	case AOP_MIN_F:
	case AOP_MAX_F: {
		/* the chosen operand's bits, unchanged (an f32 compares the
		 * same widened to double) */
		double o = wide ? f64_of(old) : f32_of(old), d = wide ? f64_of(data) : f32_of(data);
		*out = min_num_takes_data(o, d, op == AOP_MAX_F) ? data : old;
		break;
	}
	case AOP_CMPSWAP_F: {
		bool eq = wide ? f64_of(old) == f64_of(data2) : f32_of(old) == f32_of(data2);
		*out = eq ? data : old;
		break;
	}
	default:
		return -1;
	}
	*out &= m;
	return 0;
}
