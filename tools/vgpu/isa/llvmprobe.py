"""Disassembles many probe encodings at once with llvm-objdump-19.

The probes are laid out one after another in the .text of an object made
by llvm-mc-19 from .long directives; each is followed by a filler dword
(0x12345678, which decodes as an ordinary VOP2 instruction, or serves as
the literal) and two s_nop, so a probe that eats a literal or is invalid
never disturbs the next one.  llvm-objdump prints every instruction with
its address and raw dwords, so what each probe decoded to (and how many
dwords it consumed) is read off exactly.
"""
import os
import re
import subprocess
import tempfile

FILLER = 0x12345678
PAD = [FILLER, 0xBF800000, 0xBF800000]
# Target probed: gfx1100 for the gfx11 tables; gen_optable_gfx103.py sets
# gfx1030 (s_nop is 0xBF800000 in both).
MCPU = "gfx1100"
LINE = re.compile(r"^\s+(.*?)\s*// ([0-9A-F]+): ([0-9A-F ]+?)(?:\s+<.*>)?\s*$")


def disassemble(probes):
    """probes: list of dword lists.  Returns per probe (text, ndwords) or None."""
    res = []
    for lines in disassemble_all(probes):
        t = lines[0] if lines and lines[0][0] == 0 else None
        res.append(None if t is None or t[1].startswith(".long") else t[1:])
    return res


def disassemble_all(probes):
    """Per probe, every (dword offset, text, ndwords) llvm-objdump printed
    from the probe's start up to (excluding) its padding; invalid encodings
    appear as ".long ..." texts."""
    starts = []
    words = []
    for p in probes:
        starts.append(4 * len(words))
        words.extend(list(p) + PAD)
    d = tempfile.mkdtemp()
    src, obj = os.path.join(d, "p.s"), os.path.join(d, "p.o")
    with open(src, "w") as f:
        f.write(".text\n")
        for i in range(0, len(words), 8):
            f.write(".long " + ",".join("0x%08x" % w for w in words[i:i + 8]) + "\n")
    subprocess.run(["llvm-mc-19", "-arch=amdgcn", "-mcpu=" + MCPU,
                    "-filetype=obj", src, "-o", obj], check=True)
    r = subprocess.run(["llvm-objdump-19", "-d", "--mcpu=" + MCPU, obj],
                       capture_output=True, text=True, check=True)
    at = {}
    for ln in r.stdout.splitlines():
        m = LINE.match(ln)
        if m:
            at[int(m.group(2), 16)] = (m.group(1), len(m.group(3).split()))
    os.unlink(src)
    os.unlink(obj)
    os.rmdir(d)
    res = []
    for s, p in zip(starts, probes):
        lines, off = [], s
        while off < s + 4 * len(p):
            t = at.get(off)
            if t is None:
                break
            lines.append(((off - s) // 4, t[0], t[1]))
            off += 4 * t[1]
        res.append(lines)
    return res
