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

gfx1031..gfx1036 were probed the same way (see docs/vgpu-isa.md): their
tables equal gfx1030's except that gfx1034/gfx1036... differ only where
this script's --compare output says; the decoder uses gfx1030's table for
every gfx10.3 target.

Run:  python3 tools/vgpu/isa/gen_optable_gfx103.py > tools/vgpu/isa/isa_optable_gfx103.c
      python3 tools/vgpu/isa/gen_optable_gfx103.py --compare gfx1036
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
# src0 = v40 and every select DWORD (6).
SDWA_DWORD = 40 | 6 << 8 | 6 << 16 | 6 << 24


def probe_sdwa(enc, table):
    """e32 VOP1/VOP2/VOPC: does the opcode take SDWA (src0 = 249)?"""
    if enc.name not in ("VOP1", "VOP2", "VOPC"):
        return
    ops = sorted(op for op, e in table.items()
                 if "slots" in e and any(x[0] == "SRC0" for x in e["slots"]))
    probes = []
    for op in ops:
        f = g.entry_fields(enc, table[op])
        f["SRC0"] = 249
        probes.append([enc.build(op, f)[0], SDWA_DWORD])
    for op, r in zip(ops, llvmprobe.disassemble(probes)):
        if r and "/*" not in r[0] and r[0].split()[0].endswith("_sdwa"):
            table[op]["sdwa"] = True


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


def tables():
    g.LEFT_OUT.update({"s_getreg_b32", "s_setreg_b32", "s_setreg_imm32_b32"})
    out = []
    for enc in ENCODINGS:
        t = g.probe_encoding(enc)
        g.probe_vop3_scalar_srcs(enc, t)
        g.probe_src_rules(enc, t)
        g.probe_literals(enc, t)
        g.probe_simm(enc, t)
        g.probe_vop3_mods(enc, t)
        g.probe_vop3p_mods(enc, t)
        g.probe_hi_vgprs(enc, t)
        g.probe_dpp(enc, t)
        probe_sdwa(enc, t)
        g.probe_tfe(enc, t)
        probe_mubuf_cache(enc, t)
        g.probe_flat_glc(enc, t)
        rows, dropped = [], []
        for op in sorted(t):
            e = t[op]
            row = None
            extra = "ISA_OPF_SDWA" if e.get("sdwa") else None
            if "skip" not in e and e["name"] not in g.LEFT_OUT:
                row = g.c_entry(enc, op, e, extra)
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


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--compare":
        # the tables of another gfx10.3 target, as text, for a diff
        llvmprobe.MCPU = sys.argv[2]
    print("/* Generated by tools/vgpu/isa/gen_optable_gfx103.py by probing llvm-mc-19 /")
    print(" * llvm-objdump-19 (%s); our own data, regenerate rather than edit." % llvmprobe.MCPU)
    print(" * Each entry: opcode, mnemonic, number of operands, flags, operand")
    print(" * slots in printed order {encoding field, width in bits, constant")
    print(" * class}, as in isa_optable.c. */")
    print("#include \"isa_table_gfx103.h\"\n")
    for enc, rows, dropped in tables():
        print("/* %s: %d opcodes; left out: %s */" % (enc.name, len(rows),
                                                      ", ".join(dropped) or "none"))
        print("const struct isa_opdesc isa_tab103_%s[] = {" % enc.name.lower())
        print("\n".join(r[2] for r in rows))
        print("};")
        print("const unsigned isa_tab103_%s_n = %d;\n" % (
            enc.name.lower(), sum(r[2].count("\n") + 1 for r in rows)))


if __name__ == "__main__":
    main()
