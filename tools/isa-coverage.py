#!/usr/bin/env python3
"""make isa-coverage: per gfx11 encoding class, the mnemonics
  known     LLVM 19 knows (its MC disassembler tests gfx11_dasm_*.txt, when
            make isa-corpus-check has fetched them into build/llvm-corpus;
            otherwise "-"), less those the chip does not have (listed
            apart: LLVM 19 decodes them, the hardware has no such
            instruction, shader_absent)
  decoded   the vgpu's opcode tables hold (tools/vgpu/isa)
  executed  the shader core has an executor for (shader_executes: neither
            the illegal-instruction fault nor a "not modelled" one)
  tested    executed and run by a test: named in a hand-assembled test
            program (tests/*.c, the text after each encoding) or present in
            a code object the tests dispatch (tests/diff, tests/shader,
            kernels)
Usage: isa-coverage.py BUILD/vgpu-isa-coverage [--missing]
--missing also lists, per class, the decoded mnemonics not executed."""
import glob
import os
import re
import subprocess
import sys

top = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
tool = sys.argv[1]
build = os.path.dirname(os.path.abspath(tool))
disasm = os.path.join(build, "vgpu-disasm")
CLASSES = ["SOP1", "SOP2", "SOPC", "SOPK", "SOPP", "SMEM", "VOP1", "VOP2", "VOPC", "VOP3",
           "VOP3P", "VOPD", "DS", "FLAT", "GLOBAL", "SCRATCH", "MUBUF", "MTBUF", "MIMG",
           "EXP", "LDSDIR", "VINTERP"]

decoded, executed = {c: set() for c in CLASSES}, {c: set() for c in CLASSES}
absent = {c: set() for c in CLASSES}
for line in subprocess.run([tool, "--list"], capture_output=True, text=True,
                           check=True).stdout.splitlines():
    cls, name, ex = line.split()
    if ex == "-":
        absent[cls].add(name)
        continue
    decoded[cls].add(name)
    if ex == "1":
        executed[cls].add(name)

# what the tests run
run = set()
for path in glob.glob(os.path.join(top, "tests", "*.c")):
    for m in re.finditer(r"0x[0-9a-f]{8},\s*(?:0x[0-9a-f]{8},\s*)*/\*\s*([a-z][a-z0-9_]+)",
                         open(path, encoding="utf-8", errors="replace").read()):
        run.add(m.group(1))
for pattern in ("tests/diff/*.co", "tests/shader/*.co", "kernels/*.co"):
    for co in glob.glob(os.path.join(top, pattern)):
        out = subprocess.run([disasm, co], capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            words = [p for p in parts[1:] if re.fullmatch(r"[0-9A-F]{8}", p)]
            if len(parts) > 1 + len(words):
                run.add(parts[1 + len(words)])

# what LLVM knows: the mnemonics its gfx11 MC tests print, by the class of
# the test file (the _e32/_e64/_dpp suffixes name forms, not mnemonics:
# VOP3 forms of VOP1/VOP2/VOPC opcodes count under VOP3 as the tables do)
FILE_CLASS = [("sop1", "SOP1"), ("sop2", "SOP2"), ("sopc", "SOPC"), ("sopk", "SOPK"),
              ("sopp", "SOPP"), ("smem", "SMEM"), ("vop3p", "VOP3P"), ("wmma", "VOP3P"),
              ("vop3", "VOP3"), ("vop1", "VOP1"), ("vop2", "VOP2"), ("vopcx", "VOPC"),
              ("vopc", "VOPC"), ("vopd", "VOPD"), ("ds", "DS"), ("mubuf", "MUBUF"),
              ("mtbuf", "MTBUF"), ("mimg", "MIMG"), ("exp", "EXP"), ("ldsdir", "LDSDIR"),
              ("vinterp", "VINTERP")]
known = None
corpus = os.path.join(build, "llvm-corpus")
files = sorted(glob.glob(os.path.join(corpus, "gfx11_dasm_*.txt")))
if files:
    known = {c: set() for c in CLASSES}
    for path in files:
        stem = os.path.basename(path)[len("gfx11_dasm_"):-4]
        cls = next((c for p, c in FILE_CLASS if stem.startswith(p)), None)
        for m in re.finditer(r"^#\s*[A-Z0-9_,-]+:\s+([a-z][a-z0-9_]+)", open(path).read(), re.M):
            name = m.group(1)
            name = re.sub(r"_e64_dpp$|_dpp$", "", name)
            if stem == "flat":
                c = name.split("_")[0].upper()
                c = c if c in ("FLAT", "GLOBAL", "SCRATCH") else None
            else:
                c = cls
            if c == "VOP3" and not name.endswith("_e64") and name + "_e64" in decoded["VOP3"]:
                name += "_e64"
            if c in ("VOP1", "VOP2", "VOPC") and not name.endswith("_e32") \
                    and name + "_e32" in decoded[c]:
                name += "_e32"
            if c and name not in absent[c]:
                known[c].add(name)

print("%-8s %7s %8s %9s %7s" % ("class", "known", "decoded", "executed", "tested"))
tot = [0, 0, 0, 0]
for c in CLASSES:
    k = len(known[c] | decoded[c]) if known is not None else None
    d, e = len(decoded[c]), len(executed[c])
    t = len(executed[c] & run)
    if not k and not d:
        continue
    print("%-8s %7s %8d %9d %7d" % (c, "-" if k is None else k, d, e, t))
    for i, v in enumerate((k or 0, d, e, t)):
        tot[i] += v
print("%-8s %7s %8d %9d %7d" % ("total", tot[0] if known is not None else "-", tot[1], tot[2],
                                tot[3]))
if known is None:
    print("(known: run make isa-corpus-check once to fetch LLVM's gfx11 MC tests)")
gone = sorted(n for c in CLASSES for n in absent[c])
if gone:
    print("not counted: %d that LLVM 19 decodes but the chip does not have: %s"
          % (len(gone), " ".join(gone)))
if "--missing" in sys.argv:
    for c in CLASSES:
        miss = sorted(decoded[c] - executed[c])
        if miss:
            print("%s not executed: %s" % (c, " ".join(miss)))
