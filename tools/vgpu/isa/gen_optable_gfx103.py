#!/usr/bin/env python3
"""Derives the vgpu's gfx10.3 (RDNA2) opcode tables by probing llvm-mc-19.

The same method as gen_optable.py (whose probes and table writer this
script reuses): for every opcode number of every covered encoding an
instruction with distinct register numbers in each field is disassembled
by llvm-objdump-19 --mcpu=gfx1030, and the printed text says which fields
the opcode uses, how wide each operand is and how constants print.  Only
the encodings whose bit layout differs from gfx11 get their own probe
builders here (SMEM cache bits, FLAT/GLOBAL/SCRATCH, MUBUF); gfx10 has no
VOPD.  Nothing of LLVM's tables is read, only the disassembler's text.

gfx1031..gfx1036 were probed the same way: the base probe of every
opcode of every encoding prints identically for gfx1030..gfx1036 with
LLVM 19 (docs/vgpu-isa.md), so the decoder uses gfx1030's tables for every
gfx10.3 target; --compare writes another target's tables for a diff.

Run:  python3 tools/vgpu/isa/gen_optable_gfx103.py > tools/vgpu/isa/isa_optable_gfx103.c
      python3 tools/vgpu/isa/gen_optable_gfx103.py --corpus > tests/isa/corpus_gfx103.s
      python3 tools/vgpu/isa/gen_optable_gfx103.py --compare gfx1036 (the tables
      as another gfx10.3 target's disassembler gives them, for a diff)
"""
import sys

import gen_optable as g
import llvmprobe

llvmprobe.MCPU = "gfx1030"


class SMEM(g.SMEM):
    """gfx10: glc is bit 16, dlc bit 14 (gfx11: 14 and 13).  CACHE bit 0
    is dlc, bit 1 glc, as ISA_FLD_SMEM_CACHE reads them."""

    def build(self, op, f):
        c = f["CACHE"]
        return [0xf4000000 | op << 18 | (c >> 1 & 1) << 16 | (c & 1) << 14 |
                f["SDATA"] << 6 | f["SBASE"] >> 1,
                (0x0a << 25 | 0x10) if f["W1"] else 0]


class FLAT(g.FLAT):
    """gfx10: offset 11:0, dlc 12, lds 13, seg 15:14, glc 16, slc 17, op
    24:18; SADDR null (125) means no scalar address: global_* then take a
    64-bit VGPR address, scratch_* the VGPR one; with an SGPR address,
    scratch has no VGPR address ("off")."""
    glc_bit = 16

    def build(self, op, f):
        saddr = f["SADDR"] if self.seg else 0x7d
        if self.seg and saddr == 0:
            saddr = 0x7d
        return [0xdc000000 | op << 18 | self.seg << 14 | 0x10,
                f["VDST"] << 24 | saddr << 16 | f["DATA"] << 8 | f["ADDR"]]


class MUBUF(g.MUBUF):
    """gfx10: offset 11:0, offen 12, idxen 13, glc 14, dlc 15, lds 16, op
    25:18 (bit 25 = OPM); word 1: vaddr, vdata, srsrc 20:16, slc 22, tfe
    23, soffset 31:24.  MCACHE bit 0 = dlc, bit 1 = glc."""

    def build(self, op, f):
        c = f.get("MCACHE", 0)
        return [0xe0000000 | op << 18 | (c & 1) << 15 | (c >> 1 & 1) << 14 |
                f["IDX"] << 12 | 16,
                f["MSOFF"] << 24 | f.get("TFE", 0) << 23 |
                (f["SRSRC"] // 4) << 16 | f["DATA"] << 8 | f["ADDR"]]


class VOP2(g.VOP2):
    pass


ENCODINGS = [g.SOP2(), g.SOP1(), g.SOPC(), g.SOPK(), g.SOPP(), SMEM(), g.VOP1(),
             VOP2(), g.VOPC(), g.VOP3(), g.DS(), FLAT(0), FLAT(1), FLAT(2),
             g.VOP3P(), MUBUF()]

# SDWA (gfx10 VOP1/VOP2/VOPC with src0 = 249): the default SDWA dword,
# src0 = v40 and every select DWORD (6); VOP1 has no src1 select (its
# bits 29:24 must be zero), VOPC no dst_sel/dst_unused.
def sdwa_dword(enc):
    d = 40 | 6 << 16
    if enc.name != "VOP1":
        d |= 6 << 24
    if enc.name != "VOPC":
        d |= 6 << 8
    return d


# SDWA modifier bits probed one by one: src0 sext, neg, abs, src1 sext,
# neg, abs, clamp, omod (bit 14).  Each is valid (P), invalid (X) or
# ignored (I); the string goes after the 4 DPP16 letters of dpp_mods.
SDWA_BITS = (19, 20, 21, 27, 28, 29, 13, 14)


def probe_sdwa(enc, table):
    """e32 VOP1/VOP2/VOPC: does the opcode take SDWA (src0 = 249), and
    which SDWA modifiers are valid for it?"""
    if enc.name not in ("VOP1", "VOP2", "VOPC"):
        return
    ops = sorted(op for op, e in table.items()
                 if "slots" in e and any(x[0] == "SRC0" for x in e["slots"]))
    probes = []
    for op in ops:
        f = g.entry_fields(enc, table[op])
        f["SRC0"] = 249
        w0 = enc.build(op, f)[0]
        probes.append([w0, sdwa_dword(enc)])
        for b in SDWA_BITS:
            probes.append([w0, sdwa_dword(enc) | 1 << b])
    res = llvmprobe.disassemble(probes)
    n = len(SDWA_BITS) + 1
    for i, op in enumerate(ops):
        r = res[n * i:n * i + n]
        if not r[0] or "/*" in r[0][0] or not r[0][0].split()[0].endswith("_sdwa"):
            continue
        table[op]["sdwa"] = "".join("X" if not x or "/*" in x[0] else
                                    "I" if x[0] == r[0][0] else "P" for x in r[1:])


def c_entry(enc, op, e, extra_flag=None):
    """gen_optable.c_entry, and for SDWA opcodes the SDWA modifier letters
    after the DPP16 ones in dpp_mods ("----" without DPP16)."""
    row = g.c_entry(enc, op, e, extra_flag)
    if row and e.get("sdwa"):
        if "dpp_name" in e:
            old = '"%s"},' % e["dpp_mods"]
            assert row.endswith(old), row
            row = row[:-len(old)] + '"%s%s"},' % (e["dpp_mods"], e["sdwa"])
        else:
            assert row.endswith("NULL, NULL},"), row
            row = row[:-len("NULL},")] + '"----%s"},' % e["sdwa"]
    return row


def probe_mubuf_cache(enc, table):
    """MUBUF opcodes that LLVM rejects with glc and dlc set (the cache
    invalidations): both bits must be zero.  The atomics reject dlc
    alone (glc selects the returning form there); isa_decode_gfx103.c
    knows them by name, which this asserts."""
    if enc.name != "MUBUF":
        return
    ops = sorted(op for op, e in table.items() if "slots" in e)
    probes = []
    for op in ops:
        for bits in (1, 2):   # dlc, glc
            f = g.entry_fields(enc, table[op])
            f["MCACHE"] = bits
            probes.append(enc.build(op, f))
    res = llvmprobe.disassemble(probes)
    for i, op in enumerate(ops):
        bad = [not r or "/*" in r[0] for r in res[2 * i:2 * i + 2]]
        atomic = table[op]["name"].startswith("buffer_atomic")
        assert bad[0] == atomic or bad[1], (op, res[2 * i:2 * i + 2])
        if bad[1]:
            assert bad[0], (op, res[2 * i:2 * i + 2])
            table[op]["mbz"] = tuple(table[op]["mbz"]) + ("MCACHE",)


# probe_const_srcs: gen_optable.py's source-code classes (a class is
# denied when LLVM rejects one of its codes or marks it /*Invalid ...*/),
# but the literal (the NOLIT constant class says it) and VGPRs
CONST_CLASSES = tuple((cls, code) for cls, codes in g.RULE_CLASSES
                      if cls not in ("LIT", "VGPR") for code in codes)


def probe_const_srcs(enc, table):
    """Source fields that take fewer kinds of operand than their encoding
    allows (v_movrel*'s src0: a VGPR index base, LLVM prints "/*Invalid
    immediate*/" for a constant; v_readfirstlane_b32's src0; s_rfe_b64's
    source): the classes LLVM rejects become the slot's ISA_SRC_DENY_*
    rules, as probe_src_rules does for the scalar-only VOP3 sources."""
    if enc.name not in ("VOP1", "VOP2", "VOPC", "VOP3", "VOP3P", "SOP1", "SOP2", "SOPC"):
        return
    todo = []
    for op, e in sorted(table.items()):
        if "slots" not in e:
            continue
        for fld in ("SRC0", "SRC1", "SRC2", "SSRC0", "SSRC1"):
            if fld not in [x[0] for x in e["slots"]] or e.get("lit", {}).get(fld) is None:
                continue
            bits = dict(e["slots"])[fld]
            for cls, code in CONST_CLASSES:
                if bits > 32 and 106 > code and (code % 2 or code + bits // 32 > 106):
                    continue   # an SGPR that cannot start a range that wide
                if bits > 32 and code in (107, 127):
                    continue
                f = g.entry_fields(enc, e)
                # the classes are in gfx11 numbering (null 124, m0 125):
                # the probe encodes gfx10's (m0 124, null 125)
                f[fld] = {124: 125, 125: 124}.get(code, code)
                todo.append((op, fld, cls, enc.build(op, f)))
    res = llvmprobe.disassemble([t[3] for t in todo])
    for (op, fld, cls, _), r in zip(todo, res):
        if not r or "/*" in enc.part(r[0]):
            table[op].setdefault("rules", {}).setdefault(fld, set()).add("DENY_" + cls)


def swap_null_m0(table):
    """gen_optable.probe_src_rules encodes its NULL class as 124 and M0 as
    125, gfx11's numbers; on gfx10 those codes are m0 and null, so the two
    results trade names (the decoder checks rules in gfx11 numbering)."""
    for e in table.values():
        for fld, rules in e.get("rules", {}).items():
            n, m = "DENY_NULL" in rules, "DENY_M0" in rules
            rules.discard("DENY_NULL")
            rules.discard("DENY_M0")
            if n:
                rules.add("DENY_M0")
            if m:
                rules.add("DENY_NULL")


def check_smem_cache(enc, table):
    """The SMEM base probe sets glc and dlc: LLVM prints them for the loads
    and ignores them on every other opcode, the rule isa_decode_gfx103.c
    applies by name."""
    if enc.name != "SMEM":
        return
    for op, e in table.items():
        if "slots" in e:
            load = e["name"].startswith(("s_load_", "s_buffer_load_"))
            assert load == ("glc" in e["mods"] and "dlc" in e["mods"]), (op, e["text"])


def tables():
    g.LEFT_OUT.update({"s_getreg_b32", "s_setreg_b32", "s_setreg_imm32_b32"})
    out = []
    for enc in ENCODINGS:
        t = g.probe_encoding(enc)
        check_smem_cache(enc, t)
        g.probe_vop3_scalar_srcs(enc, t)
        g.probe_src_rules(enc, t)
        swap_null_m0(t)
        g.probe_literals(enc, t)
        probe_const_srcs(enc, t)
        g.probe_simm(enc, t)
        g.probe_vop3_mods(enc, t)
        g.probe_vop3p_mods(enc, t)
        g.probe_hi_vgprs(enc, t)
        g.probe_dpp(enc, t)
        probe_sdwa(enc, t)
        g.probe_tfe(enc, t)
        probe_mubuf_cache(enc, t)
        g.probe_flat_glc(enc, t)
        g.probe_ds_gds(enc, t)
        rows, dropped = [], []
        for op in sorted(t):
            e = t[op]
            row = None
            extra = "ISA_OPF_SDWA" if e.get("sdwa") else None
            if "skip" not in e and e["name"] not in g.LEFT_OUT:
                row = c_entry(enc, op, e, extra)
                if row and "glc_slots" in e:
                    e2 = dict(e)
                    e2["slots"] = e["glc_slots"]
                    row2 = g.c_entry(enc, op, e2, "ISA_OPF_GLC1")
                    row = g.c_entry(enc, op, e, "ISA_OPF_GLC0")
                    row = row and row2 and row + "\n" + row2
            if row is None:
                dropped.append(e.get("name", e["text"].split()[0]))
            else:
                rows.append((op, e, row))
        out.append((enc, rows, dropped))
    return out


# not in the tables (graphics); the opcodes left out of the generated
# tables for their symbolic operands are in by hand and stay in the corpus
CORPUS_SKIP = {"v_interp_p1_f32_e64", "v_interp_p2_f32_e64", "v_interp_mov_f32_e64",
               "v_interp_p1ll_f16", "v_interp_p1lv_f16", "v_interp_p2_f16"}


def corpus():
    """tests/isa/corpus_gfx103.s: one instruction per opcode of every
    generated table, the probe encoding that defined the entry (as .long
    words with the mnemonic llvm-objdump-19 printed for it)."""
    print("// Generated by tools/vgpu/isa/gen_optable_gfx103.py --corpus: one")
    print("// instruction per opcode of the gfx10.3 tables (the probe that defined")
    print("// the entry); tests/test_isa_llvm_gfx103.sh disassembles it with")
    print("// llvm-objdump-19 --mcpu=gfx1030 and vgpu-disasm --mcpu=gfx1030.")
    print(".text")
    for enc in ENCODINGS:
        t = g.probe_encoding(enc)
        g.probe_vop3_scalar_srcs(enc, t)
        g.probe_simm(enc, t)
        for op in sorted(t):
            e = t[op]
            if "slots" not in e or e["name"] in CORPUS_SKIP:
                continue
            w = enc.build(op, g.entry_fields(enc, e))
            if any(x[0] == "KLIT" for x in e["slots"]):
                w.append(llvmprobe.FILLER)
            r = llvmprobe.disassemble([w])[0] if enc.name in ("SOPP", "SOPK") else (e["text"], len(w))
            if not r or "/*" in r[0] or r[1] != len(w):
                continue
            print(".long " + ", ".join("0x%08x" % x for x in w) + "  // " + r[0])


def write_tables(script, header, suffix, tabs):
    """A generated table file (isa_optable_gfx103.c, isa_optable_gfx9.c):
    per encoding of tabs (tables()' (enc, rows, dropped) list) the array
    isa_tab<suffix>_<enc> of the rows and its length."""
    print("/* Generated by tools/vgpu/isa/%s by probing llvm-mc-19 /" % script)
    print(" * llvm-objdump-19 (%s); our own data, regenerate rather than edit." % llvmprobe.MCPU)
    print(" * Each entry: opcode, mnemonic, number of operands, flags, operand")
    print(" * slots in printed order {encoding field, width in bits, constant")
    print(" * class}, as in isa_optable.c. */")
    print("#include \"%s\"\n" % header)
    for enc, rows, dropped in tabs:
        print("/* %s: %d opcodes; left out: %s */" % (enc.name, len(rows),
                                                      ", ".join(dropped) or "none"))
        print("const struct isa_opdesc isa_tab%s_%s[] = {" % (suffix, enc.name.lower()))
        print("\n".join(r[2] for r in rows))
        print("};")
        print("const unsigned isa_tab%s_%s_n = %d;\n" % (
            suffix, enc.name.lower(), sum(r[2].count("\n") + 1 for r in rows)))


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--corpus":
        corpus()
        return
    if len(sys.argv) == 3 and sys.argv[1] == "--compare":
        # the tables of another gfx10.3 target, as text, for a diff
        llvmprobe.MCPU = sys.argv[2]
    write_tables("gen_optable_gfx103.py", "isa_table_gfx103.h", "103", tables())


if __name__ == "__main__":
    main()
