/*
 * gfx10.3's buffer FORMAT codes (the V#'s dword3 FORMAT, bits 18:12, and
 * tbuffer_*'s format field, both 7 bits): LLVM's gfx10 unified format
 * table (SIDefines.h, namespace UfmtGFX10), which numbers the formats
 * differently from gfx11's (UfmtGFX11, shader/mubuf.c's buf_format_of()):
 * gfx10 has every numeric format of 10_11_11, 11_11_10 and 10_10_10_2
 * (gfx11 keeps only FLOAT of the first two and UNORM/SNORM/UINT/SINT of
 * the third), so the later codes are shifted.
 *   1-29   8, 16, 8_8, 32, 16_16: as gfx11
 *   30-36  10_11_11 UNORM SNORM USCALED SSCALED UINT SINT FLOAT
 *   37-43  11_11_10 (same order)
 *   44-49  10_10_10_2 UNORM SNORM USCALED SSCALED UINT SINT
 *   50-55  2_10_10_10 (same order)      = gfx11 36-41
 *   56-61  8_8_8_8                      = gfx11 42-47
 *   62-64  32_32 UINT SINT FLOAT        = gfx11 48-50
 *   65-71  16_16_16_16 (+ FLOAT)        = gfx11 51-57
 *   72-77  32_32_32, 32_32_32_32        = gfx11 58-63
 * The conversions are the shared ones of shader/mubuf.c; a packed field's
 * FLOAT is the unsigned 10/11-bit float.
 */
#include "internal.h"

struct buf_format buf_format_of_gfx103(unsigned code)
{
	static const uint8_t nf7[7] = { NF_UNORM, NF_SNORM, NF_USCALED, NF_SSCALED, NF_UINT,
					NF_SINT, NF_UFLOAT };
	struct buf_format f = { 0, 0, 0, 0 };
	if (code <= 29)
		return buf_format_of(code);
	if (code <= 36) {
		f.ncomp = 3; f.nf = nf7[code - 30]; f.packed = BPK_10_11_11;
	} else if (code <= 43) {
		f.ncomp = 3; f.nf = nf7[code - 37]; f.packed = BPK_11_11_10;
	} else if (code <= 49) {
		f.ncomp = 4; f.nf = nf7[code - 44]; f.packed = BPK_10_10_10_2;
	} else if (code <= 77) {
		return buf_format_of(code - 14);
	}
	return f;
}
