#!/usr/bin/env python3
"""Derives the vgpu's gfx11 opcode tables by probing llvm-mc-19.

For every opcode number of every covered encoding, an instruction with
distinct register numbers in each field is disassembled; the printed operand
list tells which fields the opcode uses, in which order, and how wide each
register operand is.  Literal probes tell how each source prints constants
(16/32/64-bit, float or integer).  The output, isa_optable.c, is our own
data: nothing of LLVM's tables is read, only the disassembler's text.

Run:  python3 tools/vgpu/isa/gen_optable.py > tools/vgpu/isa/isa_optable.c
"""
import re
import sys

import llvmprobe

F32 = {0x3f000000: "0.5", 0xbf000000: "-0.5", 0x3f800000: "1.0",
       0xbf800000: "-1.0", 0x40000000: "2.0", 0xc0000000: "-2.0",
       0x40800000: "4.0", 0xc0800000: "-4.0", 0x3e22f983: "0.15915494"}
F16 = {0x3800: "0.5", 0xb800: "-0.5", 0x3c00: "1.0", 0xbc00: "-1.0",
       0x4000: "2.0", 0xc000: "-2.0", 0x4400: "4.0", 0xc400: "-4.0",
       0x3118: "0.15915494"}
F64H = {0x3fe00000: "0.5", 0xbfe00000: "-0.5", 0x3ff00000: "1.0",
        0xbff00000: "-1.0", 0x40000000: "2.0", 0xc0000000: "-2.0",
        0x40100000: "4.0", 0xc0100000: "-4.0"}
LITS = [0x3f000000, 0x40, 0xfffffff0, 0x3800, 0x3fe00000, 0x3e22f983,
        0x3118, 0x12345678, 0x3c00, 0xc0800000, 0xfff0, 0x0]


def sx(v, bits):
    return v - (1 << bits) if v & (1 << (bits - 1)) else v


def lit_text(cls, v):
    """How each literal class prints value v (the python twin of C code)."""
    if cls == "L16F":
        h = v & 0xffff
        if -16 <= sx(h, 16) <= 64:
            return str(sx(h, 16))
        if h in F16:
            return F16[h]
        return "0x%x" % h
    if cls == "L16I":
        # integer 16-bit sources: judged on the whole dword, printed low half
        if -16 <= sx(v, 32) <= 64:
            return str(sx(v, 32))
        if v in F32:
            return F32[v]
        return "0x%x" % (v & 0xffff)
    if cls == "L32H":
        # packed / dot sources: f16 constants recognised in the whole dword
        if -16 <= sx(v, 32) <= 64:
            return str(sx(v, 32))
        if v in F16:
            return F16[v]
        return "0x%x" % v
    if cls in ("L32F", "L32I"):
        if -16 <= sx(v, 32) <= 64:
            return str(sx(v, 32))
        if cls == "L32F" and v in F32:
            return F32[v]
        return "0x%x" % v
    if cls == "L32X":
        return "0x%x" % v
    if cls == "L16X":
        return "0x%x" % (v & 0xffff)
    if cls == "L64F":
        if v == 0:
            return "0"
        return F64H.get(v, "0x%x" % v)
    if cls == "L64I":
        # zero-extended to 64 bits, so only 0..64 print as integers
        if v <= 64:
            return str(v)
        return "0x%x" % v
    raise ValueError(cls)


LITCLASSES = ["L32F", "L32I", "L16F", "L16I", "L32H", "L64F", "L64I", "L32X", "L16X"]

REG = re.compile(r"^([sv])(?:(\d+)|\[(\d+):(\d+)\])$")


def split_ops(text):
    """'mnem a, b, c mod mod' -> (mnem, [ops], [mods])."""
    parts = text.split(None, 1)
    mn = parts[0]
    if len(parts) == 1:
        return mn, [], []
    rest = parts[1]
    ops, cur, depth = [], "", 0
    i = 0
    while i < len(rest):
        c = rest[i]
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        if c == "," and depth == 0:
            ops.append(cur.strip())
            cur = ""
            i += 1
            continue
        cur += c
        i += 1
    ops.append(cur.strip())
    mods = []
    last = ops[-1].split(" ")
    ops[-1] = last[0]
    mods = last[1:]
    return mn, ops, mods


def reg_of(tok):
    m = REG.match(tok)
    if not m:
        return None
    if m.group(2) is not None:
        return m.group(1), int(m.group(2)), 32
    lo, hi = int(m.group(3)), int(m.group(4))
    return m.group(1), lo, 32 * (hi - lo + 1)


class Enc:
    """One encoding: how to build a probe and which fields to probe."""
    name = None
    ops = range(0)
    # field -> (register file, probe register number)
    fields = {}
    srcs = ()          # fields that accept the 9/8-bit source encoding
    nwords = 1

    def part(self, text):
        """The part of the printed text this encoding's table describes."""
        return text

    def build(self, op, f):
        raise NotImplementedError


def scode(f, name):
    return f[name]


class SOP2(Enc):
    name, ops, nwords = "SOP2", range(0, 0x60), 1
    fields = {"SDST": ("s", 20), "SSRC0": ("s", 40), "SSRC1": ("s", 60)}
    srcs = ("SSRC0", "SSRC1")

    def build(self, op, f):
        return [0x80000000 | op << 23 | f["SDST"] << 16 | f["SSRC1"] << 8 | f["SSRC0"]]


class SOP1(Enc):
    name, ops = "SOP1", range(0, 256)
    fields = {"SDST": ("s", 20), "SSRC0": ("s", 40)}
    srcs = ("SSRC0",)

    def build(self, op, f):
        return [0xbe800000 | f["SDST"] << 16 | op << 8 | f["SSRC0"]]


class SOPC(Enc):
    name, ops = "SOPC", range(0, 128)
    fields = {"SSRC0": ("s", 40), "SSRC1": ("s", 60)}
    srcs = ("SSRC0", "SSRC1")

    def build(self, op, f):
        return [0xbf000000 | op << 16 | f["SSRC1"] << 8 | f["SSRC0"]]


class SOPK(Enc):
    name, ops = "SOPK", range(0, 0x1d)
    fields = {"SDST": ("s", 20)}

    def build(self, op, f):
        return [0xb0000000 | op << 23 | f["SDST"] << 16 | f.get("SIMM", 0x1234)]


class SOPP(Enc):
    name, ops = "SOPP", range(0, 128)
    fields = {}

    def build(self, op, f):
        return [0xbf800000 | op << 16 | f.get("SIMM", 0x1234)]


class VOP1(Enc):
    name, ops = "VOP1", range(0, 256)
    fields = {"VDST": ("v", 20), "SRC0": ("v", 40)}
    srcs = ("SRC0",)

    def build(self, op, f):
        return [0x7e000000 | f["VDST"] << 17 | op << 9 | f["SRC0"]]


class VOP2(Enc):
    name, ops = "VOP2", range(0, 0x3e)
    fields = {"VDST": ("v", 20), "SRC0": ("v", 40), "VSRC1": ("v", 60)}
    srcs = ("SRC0",)

    def build(self, op, f):
        return [op << 25 | f["VDST"] << 17 | f["VSRC1"] << 9 | f["SRC0"]]


class VOPC(Enc):
    name, ops = "VOPC", range(0, 256)
    fields = {"SRC0": ("v", 40), "VSRC1": ("v", 60)}
    srcs = ("SRC0",)

    def build(self, op, f):
        return [0x7c000000 | op << 17 | f["VSRC1"] << 9 | f["SRC0"]]


class VOP3(Enc):
    name, ops, nwords = "VOP3", range(0, 1024), 2
    fields = {"VDST": ("v", 20), "SRC0": ("v", 40), "SRC1": ("v", 60),
              "SRC2": ("v", 80)}
    srcs = ("SRC0", "SRC1", "SRC2")

    def build(self, op, f):
        m = f.get("MODS", (0, 0, 0, 0, 0))  # abs, opsel, clamp, omod, neg
        return [0xd4000000 | op << 16 | m[2] << 15 | m[1] << 11 | m[0] << 8 | f["VDST"],
                m[4] << 29 | m[3] << 27 | f["SRC2"] << 18 | f["SRC1"] << 9 | f["SRC0"]]


class VOPDX(Enc):
    """Dual issue, X half probed with Y = v_dual_mov_b32 v21, v71."""
    name, ops, nwords = "VOPDX", range(0, 16), 2
    fields = {"VDST": ("v", 20), "SRC0": ("v", 40), "VSRC1": ("v", 61)}
    srcs = ("SRC0",)

    def build(self, op, f):
        return [0xc8000000 | op << 22 | 8 << 17 | f["VSRC1"] << 9 | f["SRC0"],
                f["VDST"] << 24 | 10 << 17 | (256 + 71)]

    def part(self, text):
        return text.split(" :: ")[0]


class VOPDY(Enc):
    """Y half, with X = v_dual_mov_b32 v20, v40.  The printed Y
    destination is 2 * field + 1 when X's is even."""
    name, ops, nwords = "VOPDY", range(0, 32), 2
    fields = {"VDST": ("v", 21), "SRC0": ("v", 71), "VSRC1": ("v", 82)}
    srcs = ("SRC0",)

    def build(self, op, f):
        return [0xc8000000 | 8 << 22 | op << 17 | (256 + 40),
                20 << 24 | (f["VDST"] >> 1) << 17 | f["VSRC1"] << 9 | f["SRC0"]]

    def part(self, text):
        return text.split(" :: ")[1]


class VOP3P(Enc):
    """Packed math, dot products, fma_mix and WMMA.  MODS = (neg_lo,
    neg_hi, op_sel, op_sel_hi, clamp); the base probe has op_sel_hi all
    ones, as the assembler writes it by default."""
    name, ops, nwords = "VOP3P", range(0, 128), 2
    fields = {"VDST": ("v", 20), "SRC0": ("v", 40), "SRC1": ("v", 60),
              "SRC2": ("v", 80)}
    srcs = ("SRC0", "SRC1", "SRC2")

    def build(self, op, f):
        m = f.get("MODS", (0, 0, 0, 7, 0))
        return [0xcc000000 | op << 16 | m[4] << 15 | ((m[3] >> 2) & 1) << 14 |
                m[2] << 11 | m[1] << 8 | f["VDST"],
                m[0] << 29 | (m[3] & 3) << 27 | f["SRC2"] << 18 | f["SRC1"] << 9 | f["SRC0"]]


class MUBUF(Enc):
    """Buffer loads/stores/atomics, probed with offen (a VGPR offset),
    soffset s10 and offset:16 (tfe clear: it only widens the data)."""
    name, ops, nwords = "MUBUF", range(0, 256), 2
    # IDX: the offen bit (zeroed for buffer_gl0_inv/gl1_inv, which take no
    # address: then offen/idxen must be zero)
    fields = {"DATA": ("v", 20), "ADDR": ("v", 40), "SRSRC": ("s", 40),
              "MSOFF": ("s", 10), "IDX": ("-", 1)}
    srcs = ("MSOFF",)

    def build(self, op, f):
        return [0xe0000000 | op << 18 | f.get("MCACHE", 0) << 13 | 16,
                f["MSOFF"] << 24 | f["IDX"] << 22 | f.get("TFE", 0) << 21 |
                (f["SRSRC"] // 4) << 16 | f["DATA"] << 8 | f["ADDR"]]


def probe_tfe(enc, table):
    """MUBUF opcodes that LLVM rejects with tfe set: tfe must be zero."""
    if enc.name != "MUBUF":
        return
    ops = sorted(op for op, e in table.items() if "slots" in e)
    probes = []
    for op in ops:
        f = entry_fields(enc, table[op])
        f["TFE"] = 1
        probes.append(enc.build(op, f))
    for op, r in zip(ops, llvmprobe.disassemble(probes)):
        if not r or "/*" in r[0]:
            table[op]["mbz"] = tuple(table[op]["mbz"]) + ("TFE",)


def probe_mubuf_cache(enc, table):
    """MUBUF opcodes that LLVM rejects with glc or dlc set (the cache
    invalidations): both bits must be zero."""
    if enc.name != "MUBUF":
        return
    ops = sorted(op for op, e in table.items() if "slots" in e)
    probes = []
    for op in ops:
        for bits in (1, 2):   # dlc, glc
            f = entry_fields(enc, table[op])
            f["MCACHE"] = bits
            probes.append(enc.build(op, f))
    res = llvmprobe.disassemble(probes)
    for i, op in enumerate(ops):
        bad = [not r or "/*" in r[0] for r in res[2 * i:2 * i + 2]]
        assert bad[0] == bad[1], (op, res[2 * i:2 * i + 2])
        if bad[0]:
            table[op]["mbz"] = tuple(table[op]["mbz"]) + ("MCACHE",)


class SMEM(Enc):
    name, ops, nwords = "SMEM", range(0, 256), 2
    fields = {"SDATA": ("s", 20), "SBASE": ("s", 40), "W1": ("-", 1),
              "CACHE": ("-", 3)}

    def build(self, op, f):
        return [0xf4000000 | op << 18 | f["CACHE"] << 13 | f["SDATA"] << 6 | f["SBASE"] >> 1,
                (0x0a << 25 | 0x10) if f["W1"] else 0]


class DS(Enc):
    name, ops, nwords = "DS", range(0, 256), 2
    fields = {"VDST": ("v", 20), "ADDR": ("v", 40), "DATA0": ("v", 60),
              "DATA1": ("v", 80), "GDS": ("-", 1)}

    def build(self, op, f):
        return [0xd8000000 | op << 18 | f["GDS"] << 17 | 0x0201,
                f["VDST"] << 24 | f["DATA1"] << 16 | f["DATA0"] << 8 | f["ADDR"]]


class FLAT(Enc):
    """seg 0 flat, 1 scratch, 2 global; saddr probed as s10."""
    nwords = 2
    fields = {"VDST": ("v", 20), "ADDR": ("v", 40), "DATA": ("v", 60),
              "SADDR": ("s", 10)}
    ops = range(0, 128)

    def __init__(self, seg):
        self.seg = seg
        self.name = ["FLAT", "SCRATCH", "GLOBAL"][seg]

    def build(self, op, f):
        saddr = f["SADDR"] if self.seg else 0x7c
        return [0xdc000000 | op << 18 | self.seg << 16 | 0x10,
                f["VDST"] << 24 | saddr << 16 | f["DATA"] << 8 | f["ADDR"]]


def field_code(enc, fname, regfile, num):
    if fname in getattr(enc, "srcs", ()) and enc.name.startswith("VOP") and regfile == "v":
        return 256 + num
    return num


def base_fields(enc):
    return {k: field_code(enc, k, rf, n) for k, (rf, n) in enc.fields.items()}


def entry_fields(enc, e):
    """The probe fields of a table entry: its must-be-zero fields cleared,
    its scalar-only sources (probe_vop3_scalar_srcs) holding an SGPR."""
    f = base_fields(enc)
    for z in e.get("mbz", ()):
        f[z] = 0
    f.update(e.get("sfields", {}))
    return f


def classify_ops(enc, ops_text):
    """Map printed operands to fields.  Returns list of (field, bits) or None."""
    slots = []
    for tok in ops_text:
        r = reg_of(tok)
        hit = None
        if r:
            rf, num, bits = r
            for k, (frf, fnum) in enc.fields.items():
                if frf == rf and fnum == num:
                    hit = (k, bits)
            if enc.name in ("VOP1", "VOP3") and rf == "s" and num == 20:
                hit = ("VDST_SGPR", bits)  # compare results go to an SGPR
        if hit is None:
            hit = ("TOK:" + tok, 0)
        slots.append(hit)
    return slots


def variants(enc):
    """Field sets to zero, fewest first: LLVM rejects some opcodes when a
    field they do not use is non-zero, so those fields must be zero."""
    import itertools
    opt = [k for k in enc.fields if k != "SDST"]
    out = []
    for n in range(len(opt) + 1):
        out.extend(itertools.combinations(opt, n))
    return out


def probe_encoding(enc):
    ops = list(enc.ops)
    out = {}
    for zs in variants(enc):
        todo = [op for op in ops if op not in out]
        if not todo:
            break
        probes = []
        for op in todo:
            f = base_fields(enc)
            for z in zs:
                f[z] = 0
            probes.append(enc.build(op, f))
        res = llvmprobe.disassemble(probes)
        for op, r in zip(todo, res):
            if not r or "/*Invalid" in r[0]:
                continue
            text, n = r
            mn, optext, mods = split_ops(enc.part(text))
            slots = classify_ops(enc, optext)
            if n != enc.nwords:
                # v_fmamk/v_fmaak: a literal constant K is part of the opcode
                if n == enc.nwords + 1 and ("TOK:0x%x" % llvmprobe.FILLER, 0) in slots:
                    slots = [("KLIT", 32) if x[0] == "TOK:0x%x" % llvmprobe.FILLER else x
                             for x in slots]
                else:
                    out[op] = {"text": text, "skip": "needs a literal by itself"}
                    continue
            out[op] = {"text": text, "name": mn, "mbz": zs, "slots": slots,
                       "mods": mods}
            if enc.name == "VOPDX" and n == enc.nwords + 1:
                out[op]["text"] = text
    return out


# probe_vop3_scalar_srcs: the SGPR each zeroed source field gets, distinct
# from every register of the base probe.
SCALAR_PROBE = {"SRC0": 43, "SRC1": 63, "SRC2": 83}
# probe_src_rules: the source-code classes (isa.h ISA_DENY_*) and the
# codes that stand for each; a class is denied when LLVM marks any of its
# codes invalid.  LIT is the trailing literal (probed with one).
RULE_CLASSES = (("SGPR", (6, 7, 105)), ("VCC", (106, 107)), ("TTMP", (108,)),
                ("NULL", (124,)), ("M0", (125,)), ("EXEC", (126, 127)),
                ("ICONST", (128, 133, 193)), ("FCONST", (240, 242)),
                ("SPECIAL", (235, 251, 253)), ("LDS", (254,)), ("LIT", (255,)),
                ("VGPR", (261,)))


def probe_vop3_scalar_srcs(enc, table):
    """VOP3 sources that take no VGPR (the lane mask of v_cndmask_b32_e64,
    the carry-in of v_add/sub/subrev_co_ci_u32_e64, the lane select of
    v_readlane/v_writelane_b32): the base probe's VGPR there is invalid,
    so probe_encoding zeroed the field and LLVM printed it as s0, which
    looks like the SDST of a VOP3b opcode.  Each zeroed source field is
    probed again, alone, with a distinct SGPR: where that SGPR appears in
    the text the field is a scalar source in that position."""
    if enc.name != "VOP3":
        return
    todo = []
    for op, e in sorted(table.items()):
        if "slots" not in e or not any(x[0] == "TOK:s0" for x in e["slots"]):
            continue
        for fld in SCALAR_PROBE:
            if fld in e["mbz"]:
                f = entry_fields(enc, e)
                f[fld] = SCALAR_PROBE[fld]
                todo.append((op, fld, enc.build(op, f)))
    found = {}
    for (op, fld, _), r in zip(todo, llvmprobe.disassemble([t[2] for t in todo])):
        if not r or "/*" in r[0]:
            continue
        for i, tok in enumerate(split_ops(r[0])[1]):
            reg = reg_of(tok)
            if reg and reg[0] == "s" and reg[1] == SCALAR_PROBE[fld]:
                found.setdefault(op, {})[fld] = (i, reg[2])
    for op, flds in found.items():
        e = table[op]
        slots = list(e["slots"])
        for fld, (i, bits) in flds.items():
            assert slots[i][0] == "TOK:s0", (op, e["text"], fld)
            slots[i] = (fld, bits)
        e["slots"] = slots
        e["mbz"] = tuple(z for z in e["mbz"] if z not in flds)
        e["sfields"] = {fld: SCALAR_PROBE[fld] for fld in flds}
        r = llvmprobe.disassemble([enc.build(op, entry_fields(enc, e))])[0]
        assert r and "/*" not in r[0], (op, r)
        e["text"] = r[0]
        e["scalar_srcs"] = sorted(flds)


def probe_src_rules(enc, table):
    """For the sources of the opcodes probe_vop3_scalar_srcs changed: which
    classes of source codes LLVM rejects, and whether the source is a lane
    mask (LLVM names the register class SReg_1_XEXEC: one bit per lane)."""
    if enc.name != "VOP3":
        return
    todo = []
    for op, e in sorted(table.items()):
        if "scalar_srcs" not in e:
            continue
        for fld in ("SRC0", "SRC1", "SRC2"):
            if fld not in [x[0] for x in e["slots"]]:
                continue
            for cls, codes in RULE_CLASSES:
                for code in codes:
                    f = entry_fields(enc, e)
                    f[fld] = code
                    todo.append((op, fld, cls, enc.build(op, f) + ([0x1234] if code == 255 else [])))
    res = llvmprobe.disassemble([t[3] for t in todo])
    for (op, fld, cls, _), r in zip(todo, res):
        e = table[op]
        rules = e.setdefault("rules", {}).setdefault(fld, set())
        if not r or "/*" in r[0]:
            rules.add("DENY_" + cls)
        if r and "SReg_1_XEXEC" in r[0]:
            rules.add("LANEMASK")


def probe_simm(enc, table):
    """SOPP/SOPK: ops that reject 0x1234 are probed with 0; hex immediates
    are probed with 1 to see whether small values print in decimal."""
    if enc.name not in ("SOPP", "SOPK"):
        return
    f = base_fields(enc)
    f["SIMM"] = 0
    missing = [op for op in enc.ops if op not in table]
    res = llvmprobe.disassemble([enc.build(op, f) for op in missing])
    for op, r in zip(missing, res):
        if r and r[1] == 1 and "/*Invalid" not in r[0]:
            mn, optext, mods = split_ops(r[0])
            table[op] = {"text": r[0], "name": mn, "mbz": ("SIMM",),
                         "slots": classify_ops(enc, optext), "mods": mods}
    f["SIMM"] = 1
    ops = sorted(table)
    res = llvmprobe.disassemble([enc.build(op, f) for op in ops])
    for op, r in zip(ops, res):
        if r and split_ops(r[0])[1][-1:] == ["1"]:
            table[op]["small_dec"] = True


MODNAMES = ("ABS", "NEG", "CLAMP", "OMOD", "OPSEL")


def probe_vop3_mods(enc, table):
    """Per VOP3 opcode and modifier: invalid (X), ignored (I) or printed (P)
    when set on the sources the opcode has."""
    if enc.name != "VOP3":
        return
    ops = sorted(op for op, e in table.items() if "slots" in e)
    variants = []
    for op in ops:
        e = table[op]
        # scalar-only sources (lane masks, lane selects) take no modifier:
        # their bits count as those of an absent source (as in isa_decode.c)
        srcs = [x[0] for x in e["slots"] if x[0] in ("SRC0", "SRC1", "SRC2") and
                "DENY_VGPR" not in e.get("rules", {}).get(x[0], ())]
        mask = sum(1 << int(x[3]) for x in srcs)
        vop3b = any(x[0] == "TOK:s0" for x in e["slots"])
        f = entry_fields(enc, e)
        e["vop3b"] = vop3b
        for i, m in enumerate(((mask, 0, 0, 0, 0), (0, 0, 0, 0, mask), (0, 0, 1, 0, 0),
                               (0, 0, 0, 1, 0), (0, mask | 8, 0, 0, 0))):
            if vop3b and i in (0, 4):
                continue  # bits 14:8 hold the SDST
            if "scalar_srcs" in e and i in (0, 1) and not mask:
                continue  # nothing to probe: abs/neg stay invalid
            ff = dict(f)
            ff["MODS"] = m
            variants.append((op, i, enc.build(op, ff)))
    res = llvmprobe.disassemble([v[2] for v in variants])
    for (op, i, _), r in zip(variants, res):
        e = table[op]
        st = e.setdefault("modst", ["X"] * 5)
        if r and "/*" not in r[0]:
            st[i] = "I" if r[0] == e["text"] else "P"


P_MODNAMES = ("NEG", "NEGHI", "OPSEL", "OPSELHI", "CLAMP")


def probe_vop3p_mods(enc, table):
    """Like probe_vop3_mods for VOP3P; also which op_sel_hi value is the
    default (not printed): all ones, or zero (fma_mix)."""
    if enc.name != "VOP3P":
        return
    ops = sorted(op for op, e in table.items() if "slots" in e)
    variants = []
    for op in ops:
        e = table[op]
        srcs = [x[0] for x in e["slots"] if x[0] in ("SRC0", "SRC1", "SRC2")]
        mask = sum(1 << int(x[3]) for x in srcs)
        f = entry_fields(enc, e)
        e["opselhi_default0"] = "op_sel_hi" in e["text"]
        hi = 0 if e["opselhi_default0"] else 7
        if e["opselhi_default0"]:
            ff = dict(f)
            ff["MODS"] = (0, 0, 0, 0, 0)
            variants.append((op, "base", enc.build(op, ff)))
        for i, m in enumerate(((mask, 0, 0, hi, 0), (0, mask, 0, hi, 0),
                               (0, 0, mask, hi, 0), (0, 0, 0, hi ^ mask, 0),
                               (0, 0, 0, hi, 1))):
            ff = dict(f)
            ff["MODS"] = m
            variants.append((op, i, enc.build(op, ff)))
    res = llvmprobe.disassemble([v[2] for v in variants])
    for (op, i, _), r in zip(variants, res):
        e = table[op]
        if i == "base":
            e["text"] = r[0]
            continue
        st = e.setdefault("modst", ["X"] * 5)
        if r and "/*" not in r[0]:
            st[i] = "I" if r[0] == e["text"] else "P"


def probe_hi_vgprs(enc, table):
    """e32 encodings of 16-bit opcodes only take v0..v127 in LLVM 19 (the
    top bit would pick a 16-bit half): find which VGPR fields reject 128+."""
    if enc.name not in ("VOP1", "VOP2", "VOPC"):
        return
    variants = []
    for op, e in sorted(table.items()):
        if "slots" not in e:
            continue
        for fld, _ in e["slots"]:
            if fld in enc.fields and enc.fields[fld][0] == "v":
                f = entry_fields(enc, e)
                f[fld] = 200 + (256 if fld == "SRC0" else 0)
                variants.append((op, fld, enc.build(op, f)))
    res = llvmprobe.disassemble([v[2] for v in variants])
    for (op, fld, _), r in zip(variants, res):
        if not r or "/*" in r[0]:
            table[op].setdefault("lo128", []).append(fld)


def probe_dpp(enc, table):
    """e32 VOP1/VOP2/VOPC: does the opcode take DPP16 (src0 = 250) and
    DPP8 (233), under which mnemonic, and are the DPP16 source neg/abs
    bits printed, ignored or invalid?"""
    if enc.name not in ("VOP1", "VOP2", "VOPC"):
        return
    ops = sorted(op for op, e in table.items()
                 if "slots" in e and any(x[0] == "SRC0" for x in e["slots"]))
    probes = []
    bits = (20, 21, 22, 23)   # src0 neg, src0 abs, src1 neg, src1 abs
    for op in ops:
        f = entry_fields(enc, table[op])
        f["SRC0"] = 250
        w0 = enc.build(op, f)[0]
        probes.append([w0, 0xff00e400 | 40])            # quad_perm identity
        for b in bits:
            probes.append([w0, 0xff00e400 | 40 | 1 << b])
        f["SRC0"] = 233
        probes.append([enc.build(op, f)[0], 0xfac688 << 8 | 40])
    res = llvmprobe.disassemble(probes)
    n = 2 + len(bits)
    for i, op in enumerate(ops):
        e = table[op]
        r16, rmods, r8 = res[n * i], res[n * i + 1:n * i + 5], res[n * i + 5]
        if r16 and "/*" not in r16[0]:
            e["dpp_name"] = r16[0].split()[0]
            st = ""
            for r in rmods:
                st += ("X" if not r or "/*" in r[0] else
                       "I" if r[0] == r16[0] else
                       "S" if "sext(" in r[0] else "P")
            e["dpp_mods"] = st
        if r8 and "/*" not in r8[0] and "dpp_name" in e:
            e["dpp8"] = True


def probe_flat_glc(enc, table):
    """FLAT/GLOBAL/SCRATCH atomics print a destination only with glc set:
    probe glc=1 and keep that form as a second entry when it differs."""
    if enc.name not in ("FLAT", "SCRATCH", "GLOBAL"):
        return
    ops = sorted(op for op, e in table.items() if "slots" in e)
    probes = []
    for op in ops:
        f = entry_fields(enc, table[op])
        w = enc.build(op, f)
        w[0] |= 1 << getattr(enc, "glc_bit", 14)
        probes.append(w)
    for op, r in zip(ops, llvmprobe.disassemble(probes)):
        if not r or "/*" in r[0]:
            continue
        mn, optext, mods = split_ops(r[0])
        slots = classify_ops(enc, optext)
        if slots != table[op]["slots"]:
            table[op]["glc_slots"] = slots


def probe_ds_gds(enc, table):
    """DS opcodes LLVM decodes only with the gds bit set (the GS register
    ops): the probes above set it, so probe each entry with it clear."""
    if enc.name != "DS":
        return
    ops = [op for op, e in table.items() if "slots" in e]
    probes = []
    for op in ops:
        f = entry_fields(enc, table[op])
        f["GDS"] = 0
        probes.append(enc.build(op, f))
    for op, r in zip(ops, llvmprobe.disassemble(probes)):
        if not r or "/*" in r[0]:
            table[op]["gds_req"] = True


def probe_literals(enc, table):
    """For each source field, find the literal class from LITS probes."""
    for fld in tuple(getattr(enc, "srcs", ())) + ("KLIT",):
        todo = [op for op, e in table.items()
                if "slots" in e and any(s[0] == fld for s in e["slots"])]
        probes = []
        for op in todo:
            for v in LITS:
                f = entry_fields(enc, table[op])
                if fld != "KLIT":
                    f[fld] = 255
                probes.append(enc.build(op, f) + [v])
        lds = []
        for op in todo:
            if fld == "KLIT":
                continue
            f = entry_fields(enc, table[op])
            f[fld] = 254
            lds.append(enc.build(op, f))
        for op, r in zip(todo, llvmprobe.disassemble(lds)):
            if r and "/*" not in r[0] and "src_lds_direct" in enc.part(r[0]):
                table[op].setdefault("ldsok", []).append(fld)
        res = llvmprobe.disassemble(probes)
        for i, op in enumerate(todo):
            e = table[op]
            idx = [s[0] for s in e["slots"]].index(fld)
            got = []
            for j, v in enumerate(LITS):
                r = res[i * len(LITS) + j]
                if not r or r[1] != enc.nwords + 1:
                    got.append(None)
                    continue
                got.append(split_ops(enc.part(r[0]))[1][idx])
            cls = None
            if all(g is None or "/*Invalid" in g for g in got):
                cls = "NOLIT"
            else:
                for c in LITCLASSES:
                    if all(g == lit_text(c, v) for g, v in zip(got, LITS)):
                        cls = c
                        break
            if cls is None:
                e["skip"] = "literal print of %s not understood: %s" % (fld, got)
            e.setdefault("lit", {})[fld] = cls


FIELD_C = {"SDST": "ISA_FLD_SDST", "SSRC0": "ISA_FLD_SSRC0",
           "SSRC1": "ISA_FLD_SSRC1", "VDST": "ISA_FLD_VDST",
           "SRC0": "ISA_FLD_SRC0", "SRC1": "ISA_FLD_SRC1",
           "SRC2": "ISA_FLD_SRC2", "VSRC1": "ISA_FLD_VSRC1",
           "SDATA": "ISA_FLD_SDATA", "SBASE": "ISA_FLD_SBASE",
           "ADDR": "ISA_FLD_ADDR", "DATA": "ISA_FLD_DATA0",
           "DATA0": "ISA_FLD_DATA0", "DATA1": "ISA_FLD_DATA1",
           "SADDR": "ISA_FLD_SADDR", "W1": "ISA_FLD_SMEM_W1", "CACHE": "ISA_FLD_SMEM_CACHE", "GDS": "ISA_FLD_DS_GDS", "VDST_SGPR": "ISA_FLD_VDST_SGPR",
           "KLIT": "ISA_FLD_LITK",
           "SRSRC": "ISA_FLD_SRSRC", "MSOFF": "ISA_FLD_MSOFF",
           "TFE": "ISA_FLD_MUBUF_TFE", "IDX": "ISA_FLD_MUBUF_IDX",
           "MCACHE": "ISA_FLD_MUBUF_CACHE"}
SPECIAL_SIMM = {"s_waitcnt": "ISA_SIMM_WAITCNT", "s_delay_alu": "ISA_SIMM_DELAY_ALU",
                "s_sendmsg": "ISA_SIMM_SENDMSG", "s_sendmsghalt": "ISA_SIMM_SENDMSG",
                "s_waitcnt_depctr": "ISA_SIMM_DEPCTR"}
# Left out on purpose: their immediates print symbolically (hwreg(...),
# swizzle(...), UC_VERSION_*); isa_optable_extra.c has them by hand.  (s_waitcnt_depctr is in: the
# compiler emits it after transcendental ops; isa_format.c prints its
# depctr_*(...) fields.)
LEFT_OUT = {"s_getreg_b32", "s_setreg_b32", "s_setreg_imm32_b32",
            "v_dot2_bf16_bf16",
            "ds_swizzle_b32", "s_version"}  # offset:swizzle(...) is symbolic too


def c_entry(enc, op, e, extra_flag=None):
    slots, flags = [], []
    if extra_flag:
        flags.append(extra_flag)
    for (fld, bits) in e["slots"]:
        if fld.startswith("TOK:"):
            tok = fld[4:]
            if tok == "vcc_lo":
                slots.append("{ISA_FLD_VCC, 32, ISA_LIT_NONE}")
            elif enc.name == "VOP3" and tok == "s0":
                slots.append("{ISA_FLD_SDST3, 32, ISA_LIT_NONE}")
            elif enc.name == "SCRATCH" and tok == "off":
                slots.append("{ISA_FLD_ADDR, 0, ISA_LIT_NONE}")
            elif enc.name == "SMEM" and tok == "s10":
                slots.append("{ISA_FLD_SOFFSET, 32, ISA_LIT_NONE}")
            elif enc.name in ("SOPP", "SOPK"):
                kind = SPECIAL_SIMM.get(e["name"])
                if kind is None:
                    if tok == "0x1234":
                        kind = ("ISA_SIMM_HEX_SMALLDEC" if e.get("small_dec")
                                else "ISA_SIMM_HEX")
                    elif tok == "4660":
                        kind = ("ISA_SIMM_BRANCH" if "branch" in e["name"]
                                else "ISA_SIMM_DEC")
                    else:
                        return None
                slots.append("{ISA_FLD_SIMM16, 16, %s}" % kind)
            else:
                return None
            continue
        lit = e.get("lit", {}).get(fld)
        rules = sorted(e.get("rules", {}).get(fld, ()))
        slots.append("{%s, %d, ISA_LIT_%s%s}" % (FIELD_C[fld], bits,
                                                   lit[1:] if lit and lit != "NOLIT" else
                                                   ("NOLIT" if lit else "NONE"),
                                                   ", " + "|".join("ISA_SRC_" + r for r in rules)
                                                   if rules else ""))
    # every slot names its rules (0 for most), for -Wmissing-field-initializers
    slots = [x if x.count(",") == 3 else x[:-1] + ", 0}" for x in slots]
    mbz = []
    for z in e["mbz"]:
        if z == "SIMM":
            mbz.append("ISA_MBZ(ISA_FLD_SIMM16)")
        elif z not in [x[0] for x in e["slots"]]:
            mbz.append("ISA_MBZ(%s)" % FIELD_C[z])
    lo = ["ISA_MBZ(%s)" % FIELD_C[x] for x in e.get("lo128", [])]
    if "dpp_name" in e:
        flags.append("ISA_OPF_DPP16")
        if e.get("dpp8"):
            flags.append("ISA_OPF_DPP8")
    if e.get("opselhi_default0"):
        flags.append("ISA_OPF_OPSELHI_DEF0")
    if "modst" in e:
        for name, st in zip(P_MODNAMES if enc.name == "VOP3P" else MODNAMES, e["modst"]):
            if st != "X":
                flags.append("ISA_OPF_%s_%s" % (name, "PRINT" if st == "P" else "IGNORE"))
    if "offset0:1" in e["mods"]:
        flags.append("ISA_OPF_DS_2OFF")
    if e.get("gds_req"):
        flags.append("ISA_OPF_DS_GDS_REQ")
    if enc.name == "SOPP" and not slots:
        flags.append("ISA_OPF_SIMM_OPTIONAL")
    if e["name"].endswith("_e32"):
        flags.append("ISA_OPF_E32")
    lds = ["ISA_MBZ(%s)" % FIELD_C[x] for x in e.get("ldsok", [])]
    dpp = ('"%s", "%s"' % (e["dpp_name"], e["dpp_mods"]) if "dpp_name" in e
           else "NULL, NULL")
    return "\t{%d, \"%s\", %d, %s, %s, %s, %s, {%s}, %s}," % (
        op, e["name"], len(slots), "|".join(flags) or "0",
        "|".join(mbz) or "0", "|".join(lo) or "0", "|".join(lds) or "0",
        ", ".join(slots), dpp)


ENCODINGS = [SOP2(), SOP1(), SOPC(), SOPK(), SOPP(), SMEM(), VOP1(), VOP2(),
             VOPC(), VOP3(), DS(), FLAT(0), FLAT(1), FLAT(2), VOPDX(), VOPDY(),
             VOP3P(), MUBUF()]


def tables():
    """[(enc, rows, dropped)], rows = [(op, probe entry, C initializer)]."""
    out = []
    for enc in ENCODINGS:
        t = probe_encoding(enc)
        probe_vop3_scalar_srcs(enc, t)
        probe_src_rules(enc, t)
        probe_literals(enc, t)
        probe_simm(enc, t)
        probe_vop3_mods(enc, t)
        probe_vop3p_mods(enc, t)
        probe_hi_vgprs(enc, t)
        probe_dpp(enc, t)
        probe_tfe(enc, t)
        probe_mubuf_cache(enc, t)
        probe_flat_glc(enc, t)
        probe_ds_gds(enc, t)
        rows, dropped = [], []
        for op in sorted(t):
            e = t[op]
            row = None
            if "skip" not in e and e["name"] not in LEFT_OUT:
                row = c_entry(enc, op, e)
                if row and "glc_slots" in e:
                    e2 = dict(e)
                    e2["slots"] = e["glc_slots"]
                    row2 = c_entry(enc, op, e2, "ISA_OPF_GLC1")
                    row = c_entry(enc, op, e, "ISA_OPF_GLC0")
                    row = row and row2 and row + "\n" + row2
            if row is None:
                dropped.append(e.get("name", e["text"].split()[0]))
            else:
                rows.append((op, e, row))
        out.append((enc, rows, dropped))
    return out


def main():
    print("/* Generated by tools/vgpu/isa/gen_optable.py by probing llvm-mc-19 /")
    print(" * llvm-objdump-19 (gfx1100); our own data, regenerate rather than edit.")
    print(" * Each entry: opcode, mnemonic, number of operands, flags, operand")
    print(" * slots in printed order {encoding field, width in bits, constant")
    print(" * class}. */")
    print("#include \"isa_table.h\"\n")
    for enc, rows, dropped in tables():
        print("/* %s: %d opcodes; left out: %s */" % (enc.name, len(rows),
                                                      ", ".join(dropped) or "none"))
        print("const struct isa_opdesc isa_tab_%s[] = {" % enc.name.lower())
        print("\n".join(r[2] for r in rows))
        print("};")
        print("const unsigned isa_tab_%s_n = %d;\n" % (
            enc.name.lower(), sum(r[2].count("\n") + 1 for r in rows)))


if __name__ == "__main__":
    main()
