/*
 * MODE's float environment for the VALU (RDNA3 ISA, "MODE" and "Denormals
 * and rounding"): FP_DENORM flushes denormal inputs and results to a
 * signed zero per precision (f32; f64 and f16 share the other field), and
 * FP_ROUND selects the rounding of the f32 and of the f64/f16 operations.
 * The arithmetic itself is the host's: the rounding mode is set in the
 * host's float environment (fesetround) around an instruction whose
 * MODE asks for a directed rounding, and put back after it.  With
 * FLOAT_MODE 0xf0 (nearest even, denormals kept) none of this runs.
 */
#include "internal.h"
#include "valu_fp.h"

#include <fenv.h>

static uint64_t flush_one(uint64_t v, char type)
{
	switch (type) {
	case 'f':
		return (v & 0x7f800000u) ? v : v & ~0x7fffffull;
	case 'h':
		return (v & 0x7c00u) ? v : v & ~0x3ffull;
	case 'd':
		return (v & 0x7ff0000000000000ull) ? v : v & (1ull << 63);
	case 'p':   /* two f16 */
		return flush_one(v & 0xffff, 'h') | flush_one((v >> 16) & 0xffff, 'h') << 16 |
		       (v & ~0xffffffffull);
	default:
		return v;
	}
}

void shader_fmode_flush_col(uint64_t *col, unsigned lanes, char type, uint32_t mode)
{
	unsigned den = type == 'f' ? MODE_DENORM32(mode) : MODE_DENORM64(mode);
	if ((den & 1) || (type != 'f' && type != 'h' && type != 'd' && type != 'p'))
		return;   /* denormal inputs kept */
	for (unsigned l = 0; l < lanes; l++)
		col[l] = flush_one(col[l], type);
}

void shader_fmode_flush_results(struct shader_valu_half *r, uint64_t exec, int kind, uint32_t mode)
{
	char type = kind == VEXT_K_F32 ? 'f' : kind == VEXT_K_F16 ? 'h' : kind == VEXT_K_F64 ? 'd'
		  : kind == VEXT_K_PK_F16 ? 'p' : 0;
	if (!type)
		return;
	unsigned den = type == 'f' ? MODE_DENORM32(mode) : MODE_DENORM64(mode);
	if (den & 2)
		return;   /* denormal results kept */
	for (uint64_t m = exec; m; m &= m - 1) {
		unsigned l = (unsigned)__builtin_ctzll(m);
		r->val[l] = flush_one(r->val[l], type);
	}
}

/* FP_ROUND value -> <fenv.h> mode */
static const int host_round[4] = { FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO };

int shader_fmode_round_begin(uint32_t mode, int kind)
{
	unsigned rm = kind == VEXT_K_F32 ? MODE_ROUND32(mode) : MODE_ROUND64(mode);
	if (rm == 0)
		return -1;
	int saved = fegetround();
	fesetround(host_round[rm]);
	return saved;
}

void shader_fmode_round_end(int saved)
{
	if (saved >= 0)
		fesetround(saved);
}
