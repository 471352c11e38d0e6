#!/usr/bin/env python3
"""Derives the vgpu's gfx9 (GCN 5, Vega) opcode tables by probing llvm-mc-19.

The method of gen_optable.py and gen_optable_gfx103.py, whose probes and
table writer this script imports: every opcode number of every covered
encoding is disassembled by llvm-objdump-19 --mcpu=gfx900 with distinct
register numbers in each field, and the printed text says which fields
the opcode uses, how wide each operand is and how constants print.  Only
the probe builders are gfx9's own (the bit layouts below, read off
llvm-mc-19 -mcpu=gfx900 -show-encoding).  Nothing of LLVM's tables is
read, only the disassembler's text.

gfx9 layouts (gfx10 differences):
  SMEM   op 25:18, imm 17, glc 16, nv 15, soe 14, sdata 12:6, sbase 5:0;
         word 1: offset 20:0 (signed) or an SGPR code, soffset 31:25
  VOP3   prefix 110100 (0xd0000000); no literal constant
  VOP3P  prefix 110100111 (0xd3800000)
  DS     op 24:17, gds 16
  FLAT   offset 12:0, lds 13, seg 15:14, glc 16, slc 17, op 24:18; saddr
         0x7f = off
  MUBUF  offset 11:0, offen 12, idxen 13, glc 14, lds 16, slc 17, op 24:18;
         word 1: vaddr, vdata, srsrc 20:16, tfe 23, soffset 31:24

The gfx9 targets were compared the same way (--compare gfx906 etc.):
docs/vgpu-isa.md lists what differs.

Run:  python3 tools/vgpu/isa/gen_optable_gfx9.py > tools/vgpu/isa/isa_optable_gfx9.c
      python3 tools/vgpu/isa/gen_optable_gfx9.py --corpus > tests/isa/corpus_gfx9.s
      python3 tools/vgpu/isa/gen_optable_gfx9.py --compare gfx906 > /tmp/t906.c
      python3 tools/vgpu/isa/gen_optable_gfx9.py --delta tools/vgpu/isa/isa_optable_gfx9.c \
          /tmp/t906.c gfx906 > tools/vgpu/isa/isa_optable_gfx906.c
      (gfx90a the same way: --compare gfx90a > /tmp/t90a.c, then --delta
      ... /tmp/t90a.c gfx90a > tools/vgpu/isa/isa_optable_gfx90a.c)
      python3 tools/vgpu/isa/gen_optable_gfx9.py --mimg > tools/vgpu/isa/isa_optable_gfx9_mimg.c
      python3 tools/vgpu/isa/gen_optable_gfx9.py --graphics-corpus > tests/isa/corpus_gfx9_graphics.s
"""
import re
import sys

import gen_optable as g
import gen_optable_gfx103 as g103
import llvmprobe

llvmprobe.MCPU = "gfx900"


class SOPK(g.SOPK):
    """Opcodes 29-31 would be the SOP1, SOPC and SOPP prefixes (0xbe8,
    0xbf0, 0xbf8): words built with them are other encodings."""
    ops = range(0, 29)


class SMEM(g.SMEM):
    """W1 set: imm and soe, soffset s10 and offset 0x10 ("s10
    offset:0x10"); W1 clear: imm and soe clear and word 1 zero.  CACHE
    bit 0 or 1 sets glc (bit 16)."""

    def build(self, op, f):
        w1 = f["W1"]
        return [0xc0000000 | op << 18 | (w1 and 1) << 17 | (1 if f["CACHE"] else 0) << 16 |
                (w1 and 1) << 14 | f["SDATA"] << 6 | f["SBASE"] >> 1,
                (0x0a << 25 | 0x10) if w1 else 0]


class VOP3(g.VOP3):
    # 0x380 up: VOP3P (its 9-bit prefix 110100111 overlaps VOP3's)
    ops = range(0, 0x380)

    def build(self, op, f):
        w = g.VOP3.build(self, op, f)
        return [(w[0] & 0x03ffffff) | 0xd0000000, w[1]]


class VOP3P(g.VOP3P):
    def build(self, op, f):
        w = g.VOP3P.build(self, op, f)
        return [(w[0] & 0x007fffff) | 0xd3800000, w[1]]


class DS(g.DS):
    def build(self, op, f):
        return [0xd8000000 | op << 17 | f["GDS"] << 16 | 0x0201,
                f["VDST"] << 24 | f["DATA1"] << 16 | f["DATA0"] << 8 | f["ADDR"]]


class FLAT(g.FLAT):
    """saddr s10 for global/scratch; a zeroed SADDR is off (0x7f); flat
    takes saddr 0."""
    glc_bit = 16

    def build(self, op, f):
        saddr = (f["SADDR"] or 0x7f) if self.seg else 0
        return [0xdc000000 | op << 18 | self.seg << 14 | 0x10,
                f["VDST"] << 24 | saddr << 16 | f["DATA"] << 8 | f["ADDR"]]


class MUBUF(g.MUBUF):
    """MCACHE bit 0 = slc (bit 17), bit 1 = glc (bit 14)."""
    ops = range(0, 128)

    def build(self, op, f):
        c = f.get("MCACHE", 0)
        return [0xe0000000 | op << 18 | (c & 1) << 17 | (c >> 1 & 1) << 14 |
                f["IDX"] << 12 | 16,
                f["MSOFF"] << 24 | f.get("TFE", 0) << 23 |
                (f["SRSRC"] // 4) << 16 | f["DATA"] << 8 | f["ADDR"]]


ENCODINGS = [g.SOP2(), g.SOP1(), g.SOPC(), SOPK(), g.SOPP(), SMEM(), g.VOP1(),
             g.VOP2(), g.VOPC(), VOP3(), DS(), FLAT(0), FLAT(1), FLAT(2),
             VOP3P(), MUBUF()]


def probe_mubuf_cache(enc, table):
    """MUBUF opcodes that LLVM rejects with glc or slc set (the cache
    invalidations): both bits must be zero."""
    if enc.name != "MUBUF":
        return
    ops = sorted(op for op, e in table.items() if "slots" in e)
    probes = []
    for op in ops:
        for bits in (1, 2):   # slc, glc
            f = g.entry_fields(enc, table[op])
            f["MCACHE"] = bits
            probes.append(enc.build(op, f))
    res = llvmprobe.disassemble(probes)
    for i, op in enumerate(ops):
        bad = [not r or "/*" in r[0] for r in res[2 * i:2 * i + 2]]
        if bad[0] or bad[1]:
            table[op]["mbz"] = tuple(table[op]["mbz"]) + ("MCACHE",)


SMEM_GLC = ("s_load_", "s_buffer_load_", "s_store_", "s_buffer_store_", "s_scratch_",
            "s_atomic_", "s_buffer_atomic_")


def check_smem_cache(enc, table):
    """The SMEM base probe sets glc: LLVM prints it for the loads, stores
    and atomics and ignores it elsewhere, the rule isa_decode_gfx9.c
    applies by name."""
    if enc.name != "SMEM":
        return
    for op, e in table.items():
        if "slots" in e:
            assert e["name"].startswith(SMEM_GLC) == ("glc" in e["mods"]), (op, e["text"])


# gfx9 is wave64 only: LLVM prints the lane masks as SGPR pairs (vcc,
# s[0:1]).  The tables keep gfx10.3's wave32 shape (a 32-bit lane-mask
# operand that isa_format_wave64 widens, ISA_SRC_LANEMASK on the mask
# sources), so the probe texts' pairs are read as their first register.
# The scalar-source probes use even SGPRs (an odd one would be aligned
# down in a pair).
g.SCALAR_PROBE.update({"SRC0": 42, "SRC1": 62, "SRC2": 82})
# probe_src_rules' classes with even codes only: the lane masks are SGPR
# pairs, and LLVM takes an odd SGPR or ttmp there (aligned down, with a
# warning) but not vcc_hi, exec_hi or the odd halves of flat_scratch and
# xnack_mask (isa_decode_gfx9.c checks those by code)
g.RULE_CLASSES = (("SGPR", (6, 100)), ("VCC", (106,)), ("TTMP", (108,)),
                  ("NULL", (124,)), ("M0", (125,)), ("EXEC", (126,)),
                  ("ICONST", (128, 133, 193)), ("FCONST", (240, 242)),
                  ("SPECIAL", (235, 251, 253)), ("LDS", (254,)), ("LIT", (255,)),
                  ("VGPR", (261,)))
g103.CONST_CLASSES = tuple((cls, code) for cls, codes in g.RULE_CLASSES
                           if cls not in ("LIT", "VGPR") for code in codes)


def probe_encoding(enc):
    t = g.probe_encoding(enc)
    for e in t.values():
        if "slots" not in e:
            continue
        sl = []
        for fld, bits in e["slots"]:
            if fld == "TOK:vcc" and enc.name in ("VOP1", "VOP2", "VOPC"):
                fld = "TOK:vcc_lo"
            elif fld == "TOK:s[0:1]" and enc.name == "VOP3":
                fld = "TOK:s0"
            elif fld == "VDST_SGPR" and enc.name == "VOP3" and e["name"].startswith("v_cmp"):
                bits = 32
            sl.append((fld, bits))
        e["slots"] = sl
    return t


def lanemask_srcs(enc, table):
    """VOP3 scalar sources probed as SGPR pairs (v_cndmask_b32_e64's mask,
    the carry-ins): 32-bit lane masks, as in the gfx10.3 tables."""
    if enc.name != "VOP3":
        return
    for e in table.values():
        if "scalar_srcs" not in e:
            continue
        sl = []
        for fld, bits in e["slots"]:
            if fld in e["scalar_srcs"] and bits == 64:
                bits = 32
                e.setdefault("rules", {}).setdefault(fld, set()).add("LANEMASK")
            sl.append((fld, bits))
        e["slots"] = sl


def gfx103_vop3_classes():
    """name -> {field: constant class} of the gfx10.3 VOP3 table (in the
    tree: isa_optable_gfx103.c), where the literal probes could tell the
    classes apart."""
    import os
    import re
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "isa_optable_gfx103.c")
    out, cur = {}, None
    for ln in open(path):
        if ln.startswith("const struct isa_opdesc isa_tab103_"):
            cur = ln.split("isa_tab103_")[1].split("[")[0]
        m = re.match(r'\t\{\d+, "([^"]+)"', ln)
        if m and cur == "vop3":
            out[m.group(1)] = {f: "L" + c for f, c in
                               re.findall(r"\{ISA_FLD_(SRC\d), \d+, ISA_LIT_(\w+)", ln)
                               if c not in ("NONE", "NOLIT")}
    return out


SUFFIX_CLASS = {"f16": "L16F", "f32": "L32F", "f64": "L64F", "i16": "L16I", "u16": "L16I",
                "b16": "L16I", "i32": "L32I", "u32": "L32I", "b32": "L32I", "i64": "L64I",
                "u64": "L64I", "b64": "L64I", "i24": "L32I", "u24": "L32I"}


def vop3_const_classes(enc, table, e32_classes):
    """gfx9 VOP3 takes no literal, so probe_literals finds every source
    NOLIT; how its inline constants expand (f16/f32/f64 patterns) is the
    class of the same opcode in gfx10.3's VOP3 table, else of its e32
    form's src0, else the operand type of the mnemonic.  Each source then
    denies the literal (ISA_SRC_DENY_LIT).  Checked: LLVM's text for the
    constants 1.0 and 1/(2*pi) must be what that class prints."""
    if enc.name != "VOP3":
        return
    c103 = gfx103_vop3_classes()
    checks = []
    for op, e in sorted(table.items()):
        if "slots" not in e:
            continue
        for fld, bits in e["slots"]:
            if e.get("lit", {}).get(fld) != "NOLIT":
                continue
            if "DENY_ICONST" in e.get("rules", {}).get(fld, ()):
                continue
            name = e["name"]
            cls = c103.get(name, {}).get(fld)
            if cls is None:
                cls = e32_classes.get(name[:-4] + "_e32") if name.endswith("_e64") else None
            if cls is None:
                for tok in reversed(name.replace("_e64", "").split("_")):
                    if tok in SUFFIX_CLASS:
                        cls = SUFFIX_CLASS[tok]
                        break
            if cls is None:
                cls = "L32F"
            if bits == 64 and cls[1:3] != "64":
                cls = "L64F" if cls.endswith("F") else "L64I"
            if bits == 32 and cls[1:3] == "64":
                cls = "L32" + cls[-1]
            e["lit"][fld] = cls
            e.setdefault("rules", {}).setdefault(fld, set()).add("DENY_LIT")
            for code in (242, 248):
                f = g.entry_fields(enc, e)
                f[fld] = code
                checks.append((op, fld, code, cls, enc.build(op, f)))
    res = llvmprobe.disassemble([c[4] for c in checks])
    bad = 0
    for (op, fld, code, cls, _), r in zip(checks, res):
        if not r or "/*" in r[0]:
            continue
        e = table[op]
        idx = [x[0] for x in e["slots"]].index(fld)
        got = g.split_ops(r[0])[1][idx]
        want = ("0x3c00" if code == 242 else "0x3118") if cls == "L16I" else \
               ("1.0" if code == 242 else
                "0.15915494309189532" if cls in ("L64F", "L64I") else "0.15915494")
        if got.lstrip("-|") != want:
            bad += 1
            sys.stderr.write("VOP3 %s %s: constant %d prints %s, class %s\n" %
                             (e["name"], fld, code, got, cls))
    return bad


CLASS_E64 = re.compile(r"^v_cmpx?_class_f(16|32|64)_e64$")


def class_src0_mods(enc, table):
    """v_cmp(x)_class_*_e64 take abs/neg on src0 only (src1 is the class
    mask), which the all-sources modifier probe cannot say: probed here
    with src0's bits alone, they become ISA_OPF_MODS_SRC0 entries."""
    if enc.name != "VOP3":
        return
    todo = []
    for op, e in sorted(table.items()):
        if "slots" in e and CLASS_E64.match(e["name"]):
            for i, m in ((0, (1, 0, 0, 0, 0)), (1, (0, 0, 0, 0, 1))):
                f = g.entry_fields(enc, e)
                f["MODS"] = m
                todo.append((op, i, enc.build(op, f)))
    for (op, i, _), r in zip(todo, llvmprobe.disassemble([t[2] for t in todo])):
        e = table[op]
        if r and "/*" not in r[0] and r[0] != e["text"]:
            e["modst"][i] = "P"
            e["src0_mods"] = True


def per_source_mods(enc, table):
    """VOP3 opcodes whose abs/neg print: each source's bit alone.  Where
    LLVM ignores it (an integer source of v_cvt_pk_u8_f32, ...) the slot
    gets ISA_SRC_ABS_IGNORE / ISA_SRC_NEG_IGNORE; a bit invalid on one
    source only is reported (the decoder has no rule for it)."""
    if enc.name != "VOP3":
        return
    todo = []
    for op, e in sorted(table.items()):
        if "slots" not in e or e.get("src0_mods"):
            continue
        st = e.get("modst", "XX")
        for fld in ("SRC0", "SRC1", "SRC2"):
            if fld not in [x[0] for x in e["slots"]] or fld in e.get("scalar_srcs", ()):
                continue
            bit = 1 << int(fld[3])
            for kind, m in (("ABS", (bit, 0, 0, 0, 0)), ("NEG", (0, 0, 0, 0, bit))):
                if st[0 if kind == "ABS" else 1] != "P" or (kind == "ABS" and e.get("vop3b")):
                    continue
                f = g.entry_fields(enc, e)
                f["MODS"] = m
                todo.append((op, fld, kind, enc.build(op, f)))
    for (op, fld, kind, _), r in zip(todo, llvmprobe.disassemble([t[3] for t in todo])):
        e = table[op]
        if not r or "/*" in r[0]:
            sys.stderr.write("VOP3 %s: %s invalid on %s alone\n" % (e["name"], kind, fld))
        elif r[0] == e["text"]:
            e.setdefault("rules", {}).setdefault(fld, set()).add(kind + "_IGNORE")


def tables():
    g.LEFT_OUT.update({"s_getreg_b32", "s_setreg_b32", "s_setreg_imm32_b32"})
    # its mode bits print as gpr_idx(SRC0,...) (isa_format.c)
    g.SPECIAL_SIMM["s_set_gpr_idx_mode"] = "ISA_SIMM_GPR_IDX"
    out = []
    e32_classes = {}
    for enc in ENCODINGS:
        t = probe_encoding(enc)
        check_smem_cache(enc, t)
        g.probe_vop3_scalar_srcs(enc, t)
        g.probe_src_rules(enc, t)
        lanemask_srcs(enc, t)
        g103.swap_null_m0(t)
        g.probe_literals(enc, t)
        g103.probe_const_srcs(enc, t)
        if enc.name in ("VOP1", "VOP2", "VOPC"):
            e32_classes.update({e["name"]: e["lit"]["SRC0"] for e in t.values()
                                if e.get("lit", {}).get("SRC0") not in (None, "NOLIT")})
        vop3_const_classes(enc, t, e32_classes)
        g.probe_simm(enc, t)
        g.probe_vop3_mods(enc, t)
        class_src0_mods(enc, t)
        per_source_mods(enc, t)
        g.probe_vop3p_mods(enc, t)
        g.probe_hi_vgprs(enc, t)
        g.probe_dpp(enc, t)
        g103.probe_sdwa(enc, t)
        g.probe_tfe(enc, t)
        probe_mubuf_cache(enc, t)
        g.probe_flat_glc(enc, t)
        g.probe_ds_gds(enc, t)
        rows, dropped = [], []
        for op in sorted(t):
            e = t[op]
            row = None
            extra = ("ISA_OPF_SDWA" if e.get("sdwa") else
                     "ISA_OPF_MODS_SRC0" if e.get("src0_mods") else None)
            if "skip" not in e and e["name"] not in g.LEFT_OUT:
                row = g103.c_entry(enc, op, e, extra)
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


CORPUS_SKIP = {"v_interp_p1_f32_e64", "v_interp_p2_f32_e64", "v_interp_mov_f32_e64",
               "v_interp_p1ll_f16", "v_interp_p1lv_f16", "v_interp_p2_f16",
               "v_interp_p2_legacy_f16", "v_interp_p1_f32", "v_interp_p2_f32",
               "v_interp_mov_f32"}


def corpus():
    """tests/isa/corpus_gfx9.s: one instruction per opcode of every
    generated table (the probe that defined the entry)."""
    print("// Generated by tools/vgpu/isa/gen_optable_gfx9.py --corpus: one")
    print("// instruction per opcode of the gfx9 tables (the probe that defined")
    print("// the entry); tests/test_isa_llvm_gfx9.sh disassembles it with")
    print("// llvm-objdump-19 --mcpu=gfx900 and vgpu-disasm --mcpu=gfx900.")
    print(".text")
    for enc in ENCODINGS:
        t = probe_encoding(enc)
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


def parse_tables(path):
    """{table: {(op, row without op): row}} of a generated table file."""
    import re
    out, cur = {}, None
    for ln in open(path):
        m = re.match(r"const struct isa_opdesc isa_tab9_(\w+)\[\]", ln)
        if m:
            cur = out.setdefault(m.group(1), [])
            continue
        if ln.startswith("};"):
            cur = None
        elif cur is not None and ln.startswith("\t{"):
            cur.append(ln.rstrip("\n"))
    return out


def delta(base, other, target):
    """The rows of other's tables (another target's, from --compare) that
    base's do not hold, as isa_tab906_* tables that isa_lookup_gfx9
    consults first for that target; an opcode base has and other lacks
    gets a row with a NULL name (not an instruction there)."""
    import re
    b, o = parse_tables(base), parse_tables(other)
    print("/* Generated by tools/vgpu/isa/gen_optable_gfx9.py --delta: the entries in")
    print(" * which llvm-objdump-19 --mcpu=%s differs from --mcpu=gfx900 (new or" % target)
    print(" * renamed opcodes; a NULL name: not an instruction on %s)." % target)
    print(" * isa_lookup_gfx9 consults these before isa_optable_gfx9.c for that")
    print(" * target; regenerate rather than edit. */")
    print("#include \"isa_table_gfx9.h\"\n")
    opnum = lambda r: int(re.match(r"\t\{(\d+),", r).group(1))
    for t in b:
        rows = [r for r in o.get(t, []) if r not in b[t]]
        gone = sorted(set(opnum(r) for r in b[t]) - set(opnum(r) for r in o.get(t, [])))
        rows += ["\t{%d, NULL, 0, 0, 0, 0, 0, {{0, 0, 0, 0}}, NULL, NULL}," % op for op in gone]
        rows.sort(key=opnum)
        print("/* %s: %d entries */" % (t.upper(), len(rows)))
        print("const struct isa_opdesc isa_tab%s_%s[] = {" % (target[3:], t))
        print("\n".join(rows) if rows else "\t{0, NULL, 0, 0, 0, 0, 0, {{0, 0, 0, 0}}, NULL, NULL},")
        print("};")
        print("const unsigned isa_tab%s_%s_n = %d;\n" % (target[3:], t, len(rows)))


def mimg_w0(op, dmask, extra=0):
    """MIMG word 0 (gfx9): prefix 111100, op 24:18 (bit 7 of the opcode
    in bit 0), dmask 11:8, unorm 12, glc 13, da 14, a16 15, tfe 16, lwe
    17, slc 25."""
    return 0xf0000000 | (op & 0x7f) << 18 | (op >> 7) | dmask << 8 | extra


def mimg_w1(vdata=0, vaddr=4, srsrc=2, ssamp=0, d16=0):
    """MIMG word 1: vaddr 7:0, vdata 15:8, srsrc 20:16 (x4), ssamp 25:21
    (x4), d16 31."""
    return vaddr | vdata << 8 | srsrc << 16 | ssamp << 21 | d16 << 31


def mimg_count(text, i):
    """Number of registers of the i-th operand of a printed instruction."""
    ops = text.split(None, 1)[1].split(", ")
    m = re.match(r"[vs]\[(\d+):(\d+)\]", ops[i])
    return int(m.group(2)) - int(m.group(1)) + 1 if m else 1


def mimg():
    """The MIMG table (isa_tab9_mimg): every opcode llvm-objdump-19 knows,
    its name, its address register count (fixed per opcode: gfx9 has no
    dim, LLVM prints the opcode's own vaddr size whatever da and a16 say),
    whether it takes a sampler (a fourth operand), the data register count
    it prints for each data size 1..5 (dmask components, halved by d16,
    plus the tfe dword), and the count it falls back to when that size has
    no form or runs past v255 (slot 0's width)."""
    base = [[mimg_w0(op, 1), mimg_w1(ssamp=0)] for op in range(256)]
    res = llvmprobe.disassemble(base)
    ops = [op for op in range(256) if res[op]]
    probes = []
    for op in ops:
        for k in range(1, 6):
            dm = 0xf if k == 5 else (1 << k) - 1
            probes.append([mimg_w0(op, dm, (k == 5) << 16), mimg_w1()])
        probes.append([mimg_w0(op, 0xf, 1 << 16), mimg_w1(vdata=252)])   # fallback
        probes.append([mimg_w0(op, 1), mimg_w1(d16=1)])                      # d16
        probes.append([mimg_w0(op, 1, 1 << 16), mimg_w1(d16=1)])             # d16 tfe
    r2 = llvmprobe.disassemble(probes)
    print("/* Generated by tools/vgpu/isa/gen_optable_gfx9.py --mimg by probing")
    print(" * llvm-objdump-19 (%s); our own data, regenerate rather than edit." % llvmprobe.MCPU)
    print(" * MIMG (image) opcodes: operand slots vdata (width: the register count")
    print(" * LLVM falls back to), vaddr (the opcode's address registers), srsrc")
    print(" * and, for the sampling opcodes, ssamp; dpp_mods holds the data")
    print(" * register count printed for each data size 1..5 ('0': the fallback)")
    print(" * (isa_decode_gfx9.c decode_mimg_gfx9). */")
    print("#include \"isa_table_gfx9.h\"\n")
    rows = []
    for i, op in enumerate(ops):
        text = res[op][0]
        name = text.split()[0]
        r = r2[8 * i:8 * i + 8]
        counts = [mimg_count(x[0], 0) if x else 0 for x in r[:5]]
        fb = mimg_count(r[5][0], 0) if r[5] else 0
        flags = []
        if counts[0] == 4 and counts[1] == 4:
            # gather4: four components whatever dmask; d16 makes them two
            # (sizes 2 and 3 with tfe), size 1 does not occur
            flags.append("ISA_OPF_MIMG_4COMP")
            counts = [fb, mimg_count(r[6][0], 0), mimg_count(r[7][0], 0), 4, 5]
        if not r[6]:
            flags.append("ISA_OPF_MIMG_NO_D16")
        assert fb, text
        cmap = "".join(str(c) if c != fb else "0" for c in counts)
        nops = len(text.split(None, 1)[1].split(", "))
        slots = ["{ISA_FLD_DATA0, %d, ISA_LIT_NONE, 0}" % (32 * fb),
                 "{ISA_FLD_ADDR, %d, ISA_LIT_NONE, 0}" % (32 * mimg_count(text, 1)),
                 "{ISA_FLD_SRSRC, 256, ISA_LIT_NONE, 0}"]
        if nops == 4:
            slots.append("{ISA_FLD_SSAMP, 128, ISA_LIT_NONE, 0}")
        rows.append("\t{%d, \"%s\", %d, %s, 0, 0, 0, {%s}, NULL, \"%s\"}," % (
            op, name, len(slots), "|".join(flags) or "0", ", ".join(slots), cmap))
    print("/* MIMG: %d opcodes */" % len(rows))
    print("const struct isa_opdesc isa_tab9_mimg[] = {")
    print("\n".join(rows))
    print("};")
    print("const unsigned isa_tab9_mimg_n = %d;" % len(rows))


def graphics_corpus():
    """tests/isa/corpus_gfx9_graphics.s: every MIMG opcode llvm-objdump-19
    knows (plain, with every modifier bit and the ttmp resources, and with
    d16 where the opcode takes it), every EXP target (plain, and compr
    with done and vm), every VINTRP opcode and mov parameter, and every
    VOP3 v_interp_* opcode with and without its modifiers."""
    print("// Generated by tools/vgpu/isa/gen_optable_gfx9.py --graphics-corpus:")
    print("// the gfx9 graphics encodings (MIMG, EXP, VINTRP, VOP3 v_interp_*);")
    print("// tests/test_isa_llvm_gfx9.sh disassembles it with llvm-objdump-19")
    print("// --mcpu=gfx900 and vgpu-disasm --mcpu=gfx900.")
    print(".text")
    probes = []
    base = llvmprobe.disassemble([[mimg_w0(op, 1), mimg_w1()] for op in range(256)])
    for op in range(256):
        if not base[op]:
            continue
        samp = len(base[op][0].split(None, 1)[1].split(", ")) == 4
        ss = 27 if samp else 0
        probes.append([mimg_w0(op, 1), mimg_w1(vdata=1, vaddr=2, srsrc=3, ssamp=ss and 5)])
        probes.append([mimg_w0(op, 0xf, 0x0203f000), mimg_w1(vdata=10, vaddr=20, srsrc=27, ssamp=ss)])
        probes.append([mimg_w0(op, 0x7), mimg_w1(vdata=30, vaddr=40, srsrc=4, ssamp=ss and 6, d16=1)])
    for t in range(64):
        probes.append([0xc400000f | t << 4, 0x04030201])
        probes.append([0xc4001c05 | t << 4, 0x08070605])
    for op in range(3):
        for v in range(4 if op == 2 else 1):
            probes.append([0xd4000000 | op << 16 | 7 << 18 | (t % 64) << 10 | (op + v) % 4 << 8 |
                           (v if op == 2 else 9)])
    for op in range(0x270, 0x278):
        three = op >= 0x275
        src1 = 1 if op == 0x272 else 256 + 2
        src2 = 256 + 3 if three else 0
        probes.append([0xd0000000 | op << 16 | 5, 0x03 | src1 << 9 | src2 << 18])
        # abs/neg of the sources (not mov's parameter), clamp, omod where
        # it prints, high for the f16 forms
        mods = 0 if op == 0x272 else 3 if three else 1
        probes.append([0xd0000000 | op << 16 | 5 | 0x8000 | mods << 9,
                       0xc5 | (0x100 if op >= 0x274 else 0) | src1 << 9 | src2 << 18 |
                       (1 << 27 if op in (0x270, 0x271, 0x272, 0x274, 0x275) else 0) |
                       mods << 30])
    for p, r in zip(probes, llvmprobe.disassemble(probes)):
        if r and "/*" not in r[0]:
            print(".long " + ", ".join("0x%08x" % x for x in p) + "  // " + r[0])


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--graphics-corpus":
        graphics_corpus()
        return
    if len(sys.argv) == 2 and sys.argv[1] == "--mimg":
        mimg()
        return
    if len(sys.argv) == 5 and sys.argv[1] == "--delta":
        delta(sys.argv[2], sys.argv[3], sys.argv[4])
        return
    if len(sys.argv) == 2 and sys.argv[1] == "--corpus":
        corpus()
        return
    if len(sys.argv) == 3 and sys.argv[1] == "--compare":
        llvmprobe.MCPU = sys.argv[2]
    g103.write_tables("gen_optable_gfx9.py", "isa_table_gfx9.h", "9", tables())


if __name__ == "__main__":
    main()
