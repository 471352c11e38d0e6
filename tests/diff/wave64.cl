// Cross-lane kernels in wave64 (wave64.flags: -mwavefrontsize64): DPP row
// masks over four rows, v_permlane64_b32, readfirstlane of a 64-lane wave.
#include "prelude.h"
#define KU(name, expr) \
	kernel void name(global uint *o, global const uint *ua, global const uint *ub) \
	{ uint i = GID(); uint ia = ua[i], ib = ub[i]; (void)ia; (void)ib; \
	  o[i] = (uint)(expr); }
KU(w_dpp_rowmask, __builtin_amdgcn_update_dpp(0x5555u ^ ib, ia, 0x111, 0x5, 0xf, false))
KU(w_dpp_bank, __builtin_amdgcn_update_dpp(0x7777u ^ ib, ia, 0x121, 0xf, 0x6, false))
#ifndef AMDBARE_GFX103 /* v_permlane64_b32: gfx11 (rebuild.sh defines this for gfx1035) */
KU(w_permlane64, __builtin_amdgcn_permlane64(ia))
#endif
KU(w_rfl, __builtin_amdgcn_readfirstlane(ia) ^ ib)
