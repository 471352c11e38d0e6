/* Opcode tables (generated data in isa_optable.c), one per encoding. */
#ifndef VGPU_ISA_TABLE_H
#define VGPU_ISA_TABLE_H

#include "isa.h"

#define ISA_TAB(n) extern const struct isa_opdesc isa_tab_##n[]; \
	extern const unsigned isa_tab_##n##_n;
ISA_TAB(sop2) ISA_TAB(sop1) ISA_TAB(sopc) ISA_TAB(sopk) ISA_TAB(sopp)
ISA_TAB(smem) ISA_TAB(vop1) ISA_TAB(vop2) ISA_TAB(vopc) ISA_TAB(vop3)
ISA_TAB(ds) ISA_TAB(flat) ISA_TAB(scratch) ISA_TAB(global)
ISA_TAB(vopdx) ISA_TAB(vopdy) ISA_TAB(vop3p) ISA_TAB(mubuf)
/* hand-written entries (isa_optable_extra.c) */
#define ISA_XTAB(n) extern const struct isa_opdesc isa_xtab_##n[]; \
	extern const unsigned isa_xtab_##n##_n;
ISA_XTAB(sop1) ISA_XTAB(sopk) ISA_XTAB(smem) ISA_XTAB(ds) ISA_XTAB(mtbuf) ISA_XTAB(vop3) ISA_XTAB(mimg)
#undef ISA_XTAB
#undef ISA_TAB

/* Table entry of opcode op in encoding enc, or NULL. */
const struct isa_opdesc *isa_lookup(enum isa_enc enc, unsigned op);

#endif
