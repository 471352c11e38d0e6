/*
 * gfx9's buffer formats: a 4-bit DATA_FORMAT and a 3-bit NUM_FORMAT, in
 * the V#'s dword3 (NUM_FORMAT bits 14:12, DATA_FORMAT bits 18:15;
 * SQ_BUF_RSRC_WORD3, see src/gfx/regs_gfx9.c) and in the MTBUF
 * instruction (dfmt, nfmt).  The codes are LLVM's (SIDefines.h, the
 * names llvm-objdump-19 --mcpu=gfx900 prints as BUF_DATA_FORMAT_* /
 * BUF_NUM_FORMAT_*):
 *   DATA_FORMAT 1 8, 2 16, 3 8_8, 4 32, 5 16_16, 6 10_11_11, 7 11_11_10,
 *               8 10_10_10_2, 9 2_10_10_10, 10 8_8_8_8, 11 32_32,
 *               12 16_16_16_16, 13 32_32_32, 14 32_32_32_32 (0, 15: none)
 *   NUM_FORMAT  0 UNORM, 1 SNORM, 2 USCALED, 3 SSCALED, 4 UINT, 5 SINT,
 *               7 FLOAT (6: reserved)
 * gfx10's unified FORMAT (shader/mubuf_gfx103.c) numbers the same pairs
 * in this order, only the pairs that exist: each DATA_FORMAT with UNORM
 * .. SINT, the 32-bit ones with UINT, SINT, FLOAT only, FLOAT also for
 * 16, 16_16, 16_16_16_16, 10_11_11 and 11_11_10, none for 8-bit and
 * 10_10_10_2/2_10_10_10 components.  A pair maps to that code and takes
 * the shared layout and conversions; a pair without one is refused.
 */
#include "internal.h"

struct buf_format buf_format_of_gfx9(unsigned dfmt, unsigned nfmt)
{
	/* the first gfx10 code of each DATA_FORMAT, whether it has the six
	 * UNORM..SINT formats (else UINT, SINT, FLOAT), and whether FLOAT */
	static const struct { uint8_t first; bool six, flt; } t[15] = {
		[1] = { 1, true, false },   [2] = { 7, true, true },   [3] = { 14, true, false },
		[4] = { 20, false, true },  [5] = { 23, true, true },  [6] = { 30, true, true },
		[7] = { 37, true, true },   [8] = { 44, true, false }, [9] = { 50, true, false },
		[10] = { 56, true, false }, [11] = { 62, false, true },
		[12] = { 65, true, true },  [13] = { 72, false, true }, [14] = { 75, false, true },
	};
	struct buf_format none = { 0, 0, 0, 0 };
	if (dfmt == 0 || dfmt >= 15 || nfmt == 6 || nfmt > 7)
		return none;
	unsigned code;
	if (t[dfmt].six) {
		if (nfmt == 7 && !t[dfmt].flt)
			return none;
		code = t[dfmt].first + (nfmt == 7 ? 6u : nfmt);
	} else {
		if (nfmt < 4)
			return none;
		code = t[dfmt].first + (nfmt == 7 ? 2u : nfmt - 4u);
	}
	return buf_format_of_gfx103(code);
}
