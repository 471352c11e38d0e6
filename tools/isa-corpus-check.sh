#!/bin/sh
# make isa-corpus-check: the vgpu's gfx11 decoder (build/vgpu-disasm)
# against LLVM 19's own disassembler test corpus, per encoding class.
#
# The corpus is llvm/test/MC/Disassembler/AMDGPU/gfx11_dasm_*.txt of
# Debian's llvm-toolchain-19 source package, fetched with
# `apt-get source --download-only` (needs a deb-src line for the Debian
# suite that has llvm-toolchain-19, e.g. bookworm) into WORKDIR (default
# build/llvm-corpus) and extracted there; nothing of it enters the tree.
# Every encoding line of every file is disassembled by llvm-mc-19
# (-mcpu=gfx1100, wave32) and by vgpu-disasm --lines, one instruction at a
# time; per file (= class) the script counts the encodings LLVM accepts
# (not those it prints with an "Invalid register" remark),
# those vgpu-disasm prints identically, those it prints differently and
# those it calls illegal, and prints the agreement in percent.  Graphics
# classes (exp, ldsdir, vinterp, mimg) are reported but are not expected
# to agree.  The first differences of each class are written to
# WORKDIR/diffs.txt.  Exit status 0 when every non-graphics class agrees
# fully, 1 otherwise, 2 when the corpus cannot be fetched.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$top/build/llvm-corpus}
disasm=${AMDBARE_BUILD:-$top/build}/vgpu-disasm
unset LD_PRELOAD
[ -x "$disasm" ] || { echo "isa-corpus-check: $disasm not built (make all)"; exit 2; }
command -v llvm-mc-19 >/dev/null || { echo "isa-corpus-check: llvm-mc-19 missing (apt-get install llvm-19)"; exit 2; }
mkdir -p "$work"
if ! ls "$work"/gfx11_dasm_*.txt >/dev/null 2>&1; then
	if ! ls "$work"/llvm-toolchain-19_*.orig.tar.xz >/dev/null 2>&1; then
		echo "isa-corpus-check: fetching Debian's llvm-toolchain-19 source into $work"
		if ! (cd "$work" && apt-get source --download-only llvm-toolchain-19); then
			echo "isa-corpus-check: apt-get source failed: add a deb-src line, e.g."
			echo "  Types: deb-src / URIs: http://deb.debian.org/debian / Suites: bookworm / Components: main"
			echo "  in /etc/apt/sources.list.d/, then apt-get update"
			exit 2
		fi
	fi
	orig=$(ls "$work"/llvm-toolchain-19_*.orig.tar.xz | head -n 1)
	echo "isa-corpus-check: extracting gfx11_dasm_*.txt from $(basename "$orig")"
	tar -xJf "$orig" -C "$work" --wildcards --no-anchored \
		'*/llvm/test/MC/Disassembler/AMDGPU/gfx11_dasm_*.txt' --transform 's,.*/,,'
fi
PYTHON=${PYTHON:-python3}
"$PYTHON" - "$work" "$disasm" <<'EOF'
import glob, os, re, subprocess, sys
work, disasm = sys.argv[1], sys.argv[2]
SEP = "0x34,0x12,0xbb,0xbf"          # s_ttracedata_imm 0x1234: the separator
SEP_TEXT = "s_ttracedata_imm 0x1234"
GRAPHICS = ("exp", "ldsdir", "vinterp", "mimg")
norm = lambda t: " ".join(t.replace("\t", " ").split())
rows, failed, diffs = [], False, []
for path in sorted(glob.glob(os.path.join(work, "gfx11_dasm_*.txt"))):
    cls = os.path.basename(path)[len("gfx11_dasm_"):-4]
    enc = []
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.split("#")[0].split("//")[0].strip()
        if re.match(r"^0x[0-9a-fA-F]{2}(\s*,\s*0x[0-9a-fA-F]{2})*$", line):
            b = ",".join(x.strip().lower() for x in line.split(","))
            if b != SEP:
                enc.append(b)
    if not enc:
        continue
    # LLVM: all encodings in one llvm-mc run, the separator between them
    text = "\n".join(e + "\n" + SEP for e in enc) + "\n"
    r = subprocess.run(["llvm-mc-19", "-disassemble", "-triple=amdgcn", "-mcpu=gfx1100",
                        "-mattr=+wavefrontsize32"], input=text, capture_output=True, text=True)
    outs, cur = [], []
    for l in r.stdout.splitlines():
        l = norm(l.split(";")[0]) if not l.strip().startswith(";") else ""
        if not l or l.startswith(".text") or l.startswith(".amdgcn"):
            continue
        if l == SEP_TEXT:
            outs.append(" ;; ".join(cur))
            cur = []
        else:
            cur.append(l)
    ours = subprocess.run([disasm, "--lines"], input="\n".join(enc) + "\n",
                          capture_output=True, text=True).stdout.splitlines()
    if len(outs) != len(enc) or len(ours) != len(enc):
        print("%-28s cannot align the outputs (llvm %d, ours %d, inputs %d)"
              % (cls, len(outs), len(ours), len(enc)))
        failed = True
        continue
    acc = same = diff = ill = 0
    for e, a, b in zip(enc, outs, ours):
        if not a or "v_illegal" in a or "/*Invalid register" in a:
            continue        # LLVM rejects it or marks it invalid: not counted
        acc += 1
        b = norm(b)
        if a == b:
            same += 1
        elif b == "<illegal>" or b.startswith("<illegal>"):
            ill += 1
            if len([d for d in diffs if d[0] == cls]) < 20:
                diffs.append((cls, e, a, b))
        else:
            diff += 1
            if len([d for d in diffs if d[0] == cls]) < 20:
                diffs.append((cls, e, a, b))
    graphics = cls.startswith(GRAPHICS)
    if not graphics and same != acc:
        failed = True
    rows.append((cls, len(enc), acc, same, diff, ill, graphics))
print("%-28s %7s %7s %7s %7s %7s %7s" % ("class", "lines", "llvm", "same", "differ", "illegal", "agree"))
tot = [0, 0, 0, 0, 0]
for cls, n, acc, same, diff, ill, graphics in rows:
    pct = 100.0 * same / acc if acc else 100.0
    print("%-28s %7d %7d %7d %7d %7d %6.2f%%%s" % (cls, n, acc, same, diff, ill, pct,
          "  (graphics)" if graphics else ""))
    for i, v in enumerate((n, acc, same, diff, ill)):
        tot[i] += v
print("%-28s %7d %7d %7d %7d %7d %6.2f%%" % ("total", tot[0], tot[1], tot[2], tot[3], tot[4],
      100.0 * tot[2] / tot[1] if tot[1] else 100.0))
with open(os.path.join(work, "diffs.txt"), "w") as f:
    for cls, e, a, b in diffs:
        f.write("%s: %s\n  llvm: %s\n  ours: %s\n" % (cls, e, a, b))
print("first differences per class: %s" % os.path.join(work, "diffs.txt"))
sys.exit(1 if failed else 0)
EOF
