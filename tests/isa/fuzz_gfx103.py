#!/usr/bin/env python3
"""Random gfx10.3 encodings (fixed seed): vgpu-disasm --mcpu=gfx1030 must
reject what llvm-objdump-19 --mcpu=gfx1030 rejects at the first dword and
print what it prints otherwise (encodings LLVM prints with an "/*Invalid
...*/" remark are skipped).  Used by tests/test_isa_llvm_gfx103.sh; prints
"fuzz: N same, N differ" and the first differences, exit 1 on any.
With MCPU gfx900 (tests/test_isa_llvm_gfx9.sh): the same for gfx9, with
gfx9's encoding prefixes.
With a fifth argument "graphics" (gfx9 only): random MIMG, EXP, VINTRP
and VOP3 v_interp_* encodings instead, which are then compared too
(gfx90a: its MIMG opcodes weighted up).
Usage: fuzz_gfx103.py VGPU_DISASM [COUNT] [SEED] [MCPU] [graphics]"""
import os
import random
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools", "vgpu", "isa"))
import llvmprobe  # noqa: E402

MCPU = sys.argv[4] if len(sys.argv) > 4 else "gfx1030"
llvmprobe.MCPU = MCPU
disasm = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 103)
# (mask, value) of the encodings the decoder covers
PREFIX = [(0xff800000, 0xbe800000), (0xff800000, 0xbf000000), (0xff800000, 0xbf800000),
          (0xf0000000, 0xb0000000), (0xc0000000, 0x80000000), (0xfe000000, 0x7e000000),
          (0xfe000000, 0x7c000000), (0x80000000, 0x00000000), (0xff800000, 0xcc000000),
          (0xfc000000, 0xd4000000), (0xfc000000, 0xe0000000), (0xfc000000, 0xe8000000),
          (0xfc000000, 0xf4000000), (0xfc000000, 0xd8000000), (0xfc000000, 0xdc000000)]
if MCPU.startswith("gfx9"):
    # gfx9: VOP3P 0xd38, VOP3 0xd0, SMEM 0xc0
    PREFIX = [x for x in PREFIX if x[1] not in (0xcc000000, 0xd4000000, 0xf4000000)] + [
        (0xff800000, 0xd3800000), (0xfc000000, 0xd0000000), (0xfc000000, 0xc0000000)]
if MCPU == "gfx90a":
    # gfx90a: MFMA and v_accvgpr_read/write (VOP3P opcodes 0x40 up) three
    # times as often, and v_accvgpr_mov_b32 (VOP1 0x52)
    PREFIX += [(0xffc00000, 0xd3c00000)] * 3 + [(0xfe01fe00, 0x7e00a400)]
    # and VOP1/VOP2 DPP (src0 250), half of it row_newbcast (below)
    PREFIX += [(0xfe0001ff, 0x7e0000fa), (0x800001ff, 0x000000fa)] * 2
GFX = len(sys.argv) > 5 and sys.argv[5] == "graphics"
if GFX:
    # gfx9: MIMG 111100, EXP 110001, VINTRP 110010; VOP3 0xd0 with the
    # v_interp opcodes (0x270-0x277) in bits 25:16
    PREFIX = [(0xfc000000, 0xf0000000), (0xfc000000, 0xc4000000), (0xfc000000, 0xc8000000),
              (0xfff80000, 0xd2700000)]
    if MCPU == "gfx90a":
        # gfx90a keeps MIMG opcodes 0-32 only (and no EXP/VINTRP/
        # v_interp): MIMG with opcode bits 6:5 clear three times as often
        PREFIX += [(0xfd800000, 0xf0000000)] * 3
SPECIAL = [249, 250, 233, 234, 255, 254, 124, 125, 126, 106, 107, 108, 123, 128, 193, 240, 248]
probes = []
for _ in range(count):
    m, v = rng.choice(PREFIX)
    ws = [(rng.getrandbits(32) & ~m & 0xffffffff) | v, rng.getrandbits(32), rng.getrandbits(32)]
    if v in (0x7e000000, 0x7c000000, 0) and rng.random() < 0.4:
        ws[0] = (ws[0] & ~0x1ff) | rng.choice(SPECIAL)
    if rng.random() < 0.3:
        ws[1] &= 0x00ffffff   # small registers, no NV/tfe/high bits
    if GFX and MCPU == "gfx90a" and v == 0xf0000000 and rng.random() < 0.6:
        ws[1] &= 0x800fffff   # MIMG: no sampler, srsrc below s64, d16 kept
    if MCPU == "gfx90a" and (ws[0] & 0x1ff) == 250 and v in (0x7e0000fa, 0xfa) and rng.random() < 0.5:
        # gfx90a DPP row_newbcast:N (0x150-0x15f), the only control of
        # the 64-bit (DP ALU) DPP forms
        ws[1] = (ws[1] & ~0x1ff00) | (0x150 + rng.randrange(16)) << 8
    probes.append(ws)


# llvmprobe's line pattern, also taking the "; Warning: ... isn't
# aligned" comment LLVM appends after the words for an odd SGPR pair
LINE = re.compile(r"^\s+(.*?)\s*// ([0-9A-F]+): ([0-9A-F ]+?)(?:\s+<.*>)?(?:\s*; Warning: .*)?\s*$")


def disassemble(ps):
    """Per probe: (text, ndwords) of what llvm-objdump-19 decodes at its
    first dword, or None when it rejects that dword."""
    words, starts = [], []
    for p in ps:
        starts.append(4 * len(words))
        words.extend(list(p) + llvmprobe.PAD)
    d = tempfile.mkdtemp()
    src, obj = os.path.join(d, "p.s"), os.path.join(d, "p.o")
    try:
        with open(src, "w") as f:
            f.write(".text\n")
            for i in range(0, len(words), 8):
                f.write(".long " + ",".join("0x%08x" % w for w in words[i:i + 8]) + "\n")
        subprocess.run(["llvm-mc-19", "-arch=amdgcn", "-mcpu=" + MCPU, "-filetype=obj", src,
                        "-o", obj], check=True)
        r = subprocess.run(["llvm-objdump-19", "-d", "--mcpu=" + MCPU, obj],
                           capture_output=True, text=True, check=True)
    finally:
        for x in (src, obj):
            if os.path.exists(x):
                os.unlink(x)
        os.rmdir(d)
    at = {}
    for ln in r.stdout.splitlines():
        m = LINE.match(ln)
        if m:
            at[int(m.group(2), 16)] = (m.group(1), len(m.group(3).split()))
    out = []
    for st in starts:
        t = at.get(st)
        out.append(None if t is None or t[0].startswith(".long") else t)
    return out


def llvm_dis(ps):
    """disassemble(), halving the batch around an encoding that crashes
    llvm-objdump-19 (it happens on random words); such a probe gets
    "crash" and is skipped."""
    try:
        return disassemble(ps)
    except subprocess.CalledProcessError:
        if len(ps) == 1:
            return ["crash"]
        h = len(ps) // 2
        return llvm_dis(ps[:h]) + llvm_dis(ps[h:])


llvm = llvm_dis(probes)
lines = "\n".join(",".join("0x%02x" % ((w >> (8 * k)) & 0xff) for w in p for k in range(4))
                  for p in probes) + "\n"
ours = subprocess.run([disasm, "--mcpu=" + MCPU, "--lines"], input=lines,
                      capture_output=True, text=True, check=True).stdout.splitlines()
norm = lambda t: " ".join(t.split())
# graphics instructions (not covered) and operands LLVM marks invalid
GRAPHICS = lambda t: t.startswith(("v_interp", "exp ", "image_")) or "invalid" in t or "/*" in t
# gfx9 has no null register: its code 125 is reserved, which the decoder
# refuses, while llvm-objdump-19 --mcpu=gfx900 prints it as "null"
# (docs/vgpu-isa.md); such encodings are not counted
NO_NULL = lambda t: MCPU.startswith("gfx9") and re.search(r"\bnull\b", t) is not None
same = differ = 0
for p, r, full in zip(probes, llvm, ours):
    o = norm(full.split(" ;; ")[0])
    if r == "crash":
        continue
    if r is not None and ("/*" in r[0] or (not GFX and r[0].startswith(("v_interp", "exp ", "image_")))):
        continue   # marked invalid by LLVM, or graphics (not covered)
    if r is not None and NO_NULL(r[0]):
        continue   # gfx9: code 125, which LLVM prints as null (see NO_NULL)
    want = "<illegal>" if r is None else norm(r[0])
    if o == want:
        same += 1
        continue
    if r is None:
        # llvm-objdump printed nothing we could read at the probe start
        # (a line of another shape): ask llvm-mc about the probe alone.
        # Where llvm-mc refuses the first dword it warns and decodes from
        # 4 bytes on, and `vgpu-disasm --lines` does the same: then the
        # first instructions both decode after the skip must agree.
        b = ",".join("0x%02x" % ((w >> (8 * k)) & 0xff) for w in p for k in range(4))
        m = subprocess.run(["llvm-mc-19", "-disassemble", "-triple=amdgcn", "-mcpu=" + MCPU],
                           input=b + "\n", capture_output=True, text=True)
        first = [norm(x.split(";")[0]) for x in m.stdout.splitlines()
                 if x.strip() and not x.strip().startswith((";", ".text", ".amdgcn"))]
        if ("<stdin>:1:1: warning: invalid instruction encoding" not in m.stderr and first and
                first[0] == o):
            same += 1
            continue
        mine = [norm(x) for x in full.split(" ;; ")] if full != "<illegal>" else []
        if "<stdin>:1:1: warning: invalid instruction encoding" in m.stderr:
            if first and (GRAPHICS(first[0]) or NO_NULL(first[0])):
                continue   # what follows the skip is graphics: not covered
            if first[:1] == mine[:1]:
                same += 1
                continue
    differ += 1
    if differ <= 20:
        print("  %s\n    llvm: %s\n    ours: %s" % (" ".join("%08x" % w for w in p), want, o))
print("fuzz: %d same, %d differ" % (same, differ))
sys.exit(1 if differ else 0)
