/* vgpu-isa-coverage: what the vgpu knows of each gfx11 encoding class,
 * generated from its tables (make isa-coverage, docs/vgpu-shader.md).
 *   vgpu-isa-coverage [--list] [--gfx103 | --gfx9] | --words
 * --gfx103: the gfx10.3 tables (isa_table_gfx103.h) instead, each
 * mnemonic resolved as a gfx10.3 dispatch resolves it (shader/gfx103.c);
 * --gfx9: the gfx9 tables with gfx906's (isa_table_gfx9.h), resolved as
 * a gfx9 dispatch resolves them (shader/gfx9.c).
 * For every opcode table entry (tools/vgpu/isa: the generated tables and
 * isa_optable_extra.c) the mnemonic is decoded; the shader core says
 * whether it has an executor for it (shader_executes: the plan the
 * dispatch would resolve).  --list prints "CLASS MNEMONIC 0|1" per
 * mnemonic, "-" for one the chip does not have although LLVM 19 decodes
 * it (shader_absent); without it, a table of counts per class, those
 * apart.  tools/isa-coverage.py
 * adds what LLVM knows (its MC test corpus) and what the tests run.
 * --words reads lines of hex instruction dwords ("d6100000 02290100", as
 * Mesa's ACO prints them after each instruction) and prints per line
 * "1 TEXT" or "0 TEXT": whether the shader core has an executor for the
 * decoded instruction (with its DPP and operands as encoded) and the
 * decoder's text; "- <illegal>" for an undecodable line
 * (tests/test_aco.sh). */
#include "isa/isa_table.h"
#include "isa/isa_table_gfx103.h"
#include "isa/isa_table_gfx9.h"
#include "shader/shader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tab {
	enum isa_enc enc;
	const char *cls;
	const struct isa_opdesc *t;
	const unsigned *n;
};

/* --words: see the file comment */
static int words_mode(void)
{
	char line[1024];
	while (fgets(line, sizeof line, stdin)) {
		uint32_t w[8];
		size_t n = 0;
		for (char *p = line; n < 8;) {
			char *end;
			unsigned long v = strtoul(p, &end, 16);
			if (end == p)
				break;
			w[n++] = (uint32_t)v;
			p = end;
		}
		struct isa_inst in;
		char txt[256];
		if (!n || isa_decode(w, n, &in) < 0) {
			printf("- <illegal>\n");
			continue;
		}
		isa_format(&in, txt, sizeof txt);
		printf("%d %s\n", shader_executes(&in) != 0, txt);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--words"))
		return words_mode();
	int list = 0, gfx103 = 0, gfx9 = 0;
	for (int a = 1; a < argc; a++) {
		list |= !strcmp(argv[a], "--list");
		gfx103 |= !strcmp(argv[a], "--gfx103");
		gfx9 |= !strcmp(argv[a], "--gfx9");
	}
	static const struct tab tabs9[] = {
		{ISA_ENC_SOP1, "SOP1", isa_tab9_sop1, &isa_tab9_sop1_n},
		{ISA_ENC_SOP2, "SOP2", isa_tab9_sop2, &isa_tab9_sop2_n},
		{ISA_ENC_SOPC, "SOPC", isa_tab9_sopc, &isa_tab9_sopc_n},
		{ISA_ENC_SOPK, "SOPK", isa_tab9_sopk, &isa_tab9_sopk_n},
		{ISA_ENC_SOPK, "SOPK", isa_tab9_xsopk, &isa_tab9_xsopk_n},
		{ISA_ENC_SOPP, "SOPP", isa_tab9_sopp, &isa_tab9_sopp_n},
		{ISA_ENC_SMEM, "SMEM", isa_tab9_smem, &isa_tab9_smem_n},
		{ISA_ENC_SMEM, "SMEM", isa_tab9_xsmem, &isa_tab9_xsmem_n},
		{ISA_ENC_VOP1, "VOP1", isa_tab9_vop1, &isa_tab9_vop1_n},
		{ISA_ENC_VOP1, "VOP1", isa_tab906_vop1, &isa_tab906_vop1_n},
		{ISA_ENC_VOP2, "VOP2", isa_tab9_vop2, &isa_tab9_vop2_n},
		{ISA_ENC_VOP2, "VOP2", isa_tab906_vop2, &isa_tab906_vop2_n},
		{ISA_ENC_VOPC, "VOPC", isa_tab9_vopc, &isa_tab9_vopc_n},
		{ISA_ENC_VOP3, "VOP3", isa_tab9_vop3, &isa_tab9_vop3_n},
		{ISA_ENC_VOP3, "VOP3", isa_tab906_vop3, &isa_tab906_vop3_n},
		{ISA_ENC_VOP3P, "VOP3P", isa_tab9_vop3p, &isa_tab9_vop3p_n},
		{ISA_ENC_VOP3P, "VOP3P", isa_tab906_vop3p, &isa_tab906_vop3p_n},
		{ISA_ENC_DS, "DS", isa_tab9_ds, &isa_tab9_ds_n},
		{ISA_ENC_DS, "DS", isa_tab9_xds, &isa_tab9_xds_n},
		{ISA_ENC_FLAT, "FLAT", isa_tab9_flat, &isa_tab9_flat_n},
		{ISA_ENC_GLOBAL, "GLOBAL", isa_tab9_global, &isa_tab9_global_n},
		{ISA_ENC_SCRATCH, "SCRATCH", isa_tab9_scratch, &isa_tab9_scratch_n},
		{ISA_ENC_MUBUF, "MUBUF", isa_tab9_mubuf, &isa_tab9_mubuf_n},
		{ISA_ENC_MTBUF, "MTBUF", isa_tab9_xmtbuf, &isa_tab9_xmtbuf_n},
		{ISA_ENC_MIMG, "MIMG", isa_tab9_mimg, &isa_tab9_mimg_n},
	};
	static const struct tab tabs103[] = {
		{ISA_ENC_SOP1, "SOP1", isa_tab103_sop1, &isa_tab103_sop1_n},
		{ISA_ENC_SOP2, "SOP2", isa_tab103_sop2, &isa_tab103_sop2_n},
		{ISA_ENC_SOPC, "SOPC", isa_tab103_sopc, &isa_tab103_sopc_n},
		{ISA_ENC_SOPK, "SOPK", isa_tab103_sopk, &isa_tab103_sopk_n},
		{ISA_ENC_SOPP, "SOPP", isa_tab103_sopp, &isa_tab103_sopp_n},
		{ISA_ENC_SMEM, "SMEM", isa_tab103_smem, &isa_tab103_smem_n},
		{ISA_ENC_VOP1, "VOP1", isa_tab103_vop1, &isa_tab103_vop1_n},
		{ISA_ENC_VOP2, "VOP2", isa_tab103_vop2, &isa_tab103_vop2_n},
		{ISA_ENC_VOPC, "VOPC", isa_tab103_vopc, &isa_tab103_vopc_n},
		{ISA_ENC_VOP3, "VOP3", isa_tab103_vop3, &isa_tab103_vop3_n},
		{ISA_ENC_VOP3P, "VOP3P", isa_tab103_vop3p, &isa_tab103_vop3p_n},
		{ISA_ENC_DS, "DS", isa_tab103_ds, &isa_tab103_ds_n},
		{ISA_ENC_FLAT, "FLAT", isa_tab103_flat, &isa_tab103_flat_n},
		{ISA_ENC_GLOBAL, "GLOBAL", isa_tab103_global, &isa_tab103_global_n},
		{ISA_ENC_SCRATCH, "SCRATCH", isa_tab103_scratch, &isa_tab103_scratch_n},
		{ISA_ENC_MUBUF, "MUBUF", isa_tab103_mubuf, &isa_tab103_mubuf_n},
		{ISA_ENC_MIMG, "MIMG", isa_tab103_xmimg, &isa_tab103_xmimg_n},
	};
	static const struct tab tabs[] = {
		{ISA_ENC_SOP1, "SOP1", isa_tab_sop1, &isa_tab_sop1_n},
		{ISA_ENC_SOP1, "SOP1", isa_xtab_sop1, &isa_xtab_sop1_n},
		{ISA_ENC_SOP2, "SOP2", isa_tab_sop2, &isa_tab_sop2_n},
		{ISA_ENC_SOPC, "SOPC", isa_tab_sopc, &isa_tab_sopc_n},
		{ISA_ENC_SOPK, "SOPK", isa_tab_sopk, &isa_tab_sopk_n},
		{ISA_ENC_SOPK, "SOPK", isa_xtab_sopk, &isa_xtab_sopk_n},
		{ISA_ENC_SOPP, "SOPP", isa_tab_sopp, &isa_tab_sopp_n},
		{ISA_ENC_SMEM, "SMEM", isa_tab_smem, &isa_tab_smem_n},
		{ISA_ENC_SMEM, "SMEM", isa_xtab_smem, &isa_xtab_smem_n},
		{ISA_ENC_VOP1, "VOP1", isa_tab_vop1, &isa_tab_vop1_n},
		{ISA_ENC_VOP2, "VOP2", isa_tab_vop2, &isa_tab_vop2_n},
		{ISA_ENC_VOPC, "VOPC", isa_tab_vopc, &isa_tab_vopc_n},
		{ISA_ENC_VOP3, "VOP3", isa_tab_vop3, &isa_tab_vop3_n},
		{ISA_ENC_VOP3, "VOP3", isa_xtab_vop3, &isa_xtab_vop3_n},
		{ISA_ENC_VOP3P, "VOP3P", isa_tab_vop3p, &isa_tab_vop3p_n},
		{ISA_ENC_VOPD, "VOPD", isa_tab_vopdx, &isa_tab_vopdx_n},
		{ISA_ENC_VOPDY, "VOPD", isa_tab_vopdy, &isa_tab_vopdy_n},
		{ISA_ENC_DS, "DS", isa_tab_ds, &isa_tab_ds_n},
		{ISA_ENC_DS, "DS", isa_xtab_ds, &isa_xtab_ds_n},
		{ISA_ENC_FLAT, "FLAT", isa_tab_flat, &isa_tab_flat_n},
		{ISA_ENC_GLOBAL, "GLOBAL", isa_tab_global, &isa_tab_global_n},
		{ISA_ENC_SCRATCH, "SCRATCH", isa_tab_scratch, &isa_tab_scratch_n},
		{ISA_ENC_MUBUF, "MUBUF", isa_tab_mubuf, &isa_tab_mubuf_n},
		{ISA_ENC_MTBUF, "MTBUF", isa_xtab_mtbuf, &isa_xtab_mtbuf_n},
		{ISA_ENC_MIMG, "MIMG", isa_xtab_mimg, &isa_xtab_mimg_n},
	};
	const char *cls_prev = NULL;
	unsigned nknown = 0, nexec = 0, nabsent = 0;
	if (!list)
		printf("%-8s %8s %8s\n", "class", "decoded", "executed");
	const struct tab *tv = gfx103 ? tabs103 : gfx9 ? tabs9 : tabs;
	size_t nt = gfx103 ? sizeof tabs103 / sizeof tabs103[0]
		    : gfx9 ? sizeof tabs9 / sizeof tabs9[0] : sizeof tabs / sizeof tabs[0];
	for (size_t i = 0; i <= nt; i++) {
		const struct tab *t = i < nt ? &tv[i] : NULL;
		if (!list && cls_prev && (!t || strcmp(t->cls, cls_prev))) {
			printf("%-8s %8u %8u\n", cls_prev, nknown, nexec);
			nknown = nexec = 0;
		}
		if (!t) {
			if (!list && nabsent)
				printf("(and %u decoded that are no instruction of the chip)\n",
				       nabsent);
			break;
		}
		cls_prev = t->cls;
		for (unsigned k = 0; k < *t->n; k++) {
			const struct isa_opdesc *d = &t->t[k];
			/* FLAT/GLOBAL atomics have a glc=0 and a glc=1 entry */
			if (k && !strcmp(t->t[k - 1].name, d->name))
				continue;
			struct isa_inst in;
			memset(&in, 0, sizeof(in));
			in.enc = t->enc;
			in.desc = d;
			in.gen = gfx103 ? ISA_GEN_GFX103 : gfx9 ? ISA_GEN_GFX9 : ISA_GEN_GFX11;
			if (t->enc == ISA_ENC_VOPD) {
				in.desc_y = &isa_tab_vopdy[0];
			} else if (t->enc == ISA_ENC_VOPDY) {
				/* a Y half: with an X half the core runs (v_dual_mov_b32) */
				in.enc = ISA_ENC_VOPD;
				in.desc_y = d;
				in.desc = NULL;
				for (unsigned j = 0; j < isa_tab_vopdx_n; j++)
					if (!strcmp(isa_tab_vopdx[j].name, "v_dual_mov_b32"))
						in.desc = &isa_tab_vopdx[j];
				if (!in.desc)
					in.desc = &isa_tab_vopdx[0];
			}
			if (shader_absent(&in)) {
				/* decoded as LLVM 19 does, but no instruction of the chip */
				nabsent++;
				if (list)
					printf("%s %s -\n", t->cls, d->name);
				continue;
			}
			int ex = shader_executes(&in);
			nknown++;
			nexec += ex != 0;
			if (list)
				printf("%s %s %d\n", t->cls, d->name, ex);
		}
	}
	return 0;
}
