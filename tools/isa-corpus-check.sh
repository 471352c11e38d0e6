#!/bin/sh
# make isa-corpus-check: the vgpu's gfx11 decoder (build/vgpu-disasm)
# against LLVM 19's own disassembler test corpus, per encoding class.
#   tools/isa-corpus-check.sh [--gfx103|--gfx9] [WORKDIR]
# --gfx103 (make isa-corpus-check-gfx103): the gfx10.3 decoder against
# the gfx10 corpus (gfx10_*.txt, gfx10-*.txt, gfx1030_new.txt; default
# WORKDIR build/llvm-corpus103), both run with -mcpu=gfx1030 in wave32:
# and, for the files whose RUN lines have it, in wave64 too (rows "w64",
# vgpu-disasm --wave64); the RUN lines name gfx1010 (and gfx1011/1012 for a few lines),
# and an encoding llvm-mc-19 rejects for gfx1030 (gfx1010/1011-only
# instructions) is not counted, as below.  The gfx1011-only files
# (gfx1011_dlops, gfx1011-xdl-insts) are left out.  Graphics classes
# there: exp, mimg.
# --gfx9 (make isa-corpus-check-gfx9): the gfx9 decoder against the gfx9
# corpus (gfx9_*.txt, gfx9-*.txt; default WORKDIR build/llvm-corpus9), run
# with -mcpu=gfx900 as their RUN lines say (wave64, vgpu-disasm --mcpu=gfx900).
# Graphics classes there: exp, mimg, vintrp (and v_interp_* in vop3); the
# gfx9 decoder covers them (decode only), so for --gfx9 they must agree
# fully as well (the exit status counts them).
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
# to agree (gfx9: they are, see above).  The first differences of each
# class are written to WORKDIR/diffs.txt.  Exit status 0 when every
# non-graphics class (gfx9: every class) agrees fully, 1 otherwise, 2 when
# the corpus cannot be fetched.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
gen=gfx11
if [ "${1:-}" = "--gfx103" ]; then
	gen=gfx103
	shift
elif [ "${1:-}" = "--gfx9" ]; then
	gen=gfx9
	shift
fi
if [ $gen = gfx9 ]; then
	work=${1:-$top/build/llvm-corpus9}
	pattern='gfx9[_-]*.txt gfx908-dl-insts.txt mad_mix.txt gfx90a[_-]*.txt'
	extract="*/llvm/test/MC/Disassembler/AMDGPU/gfx9[_-]*.txt */llvm/test/MC/Disassembler/AMDGPU/gfx908-dl-insts.txt */llvm/test/MC/Disassembler/AMDGPU/mad_mix.txt */llvm/test/MC/Disassembler/AMDGPU/gfx90a[_-]*.txt"
elif [ $gen = gfx103 ]; then
	work=${1:-$top/build/llvm-corpus103}
	pattern='gfx10[_-]*.txt gfx1030_new.txt'
	extract="*/llvm/test/MC/Disassembler/AMDGPU/gfx10[_-]*.txt */llvm/test/MC/Disassembler/AMDGPU/gfx1030_new.txt"
else
	work=${1:-$top/build/llvm-corpus}
	pattern='gfx11_dasm_*.txt'
	extract='*/llvm/test/MC/Disassembler/AMDGPU/gfx11_dasm_*.txt'
fi
disasm=${AMDBARE_BUILD:-$top/build}/vgpu-disasm
unset LD_PRELOAD
[ -x "$disasm" ] || { echo "isa-corpus-check: $disasm not built (make all)"; exit 2; }
command -v llvm-mc-19 >/dev/null || { echo "isa-corpus-check: llvm-mc-19 missing (apt-get install llvm-19)"; exit 2; }
mkdir -p "$work"
missing=0
for p in $pattern; do
	ls "$work"/$p >/dev/null 2>&1 || missing=1
done
if [ $missing = 1 ]; then
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
	echo "isa-corpus-check: extracting $pattern from $(basename "$orig")"
	# shellcheck disable=SC2086  # $extract: several patterns
	(set -f; tar -xJf "$orig" -C "$work" --wildcards --no-anchored \
		$extract --transform 's,.*/,,')
fi
PYTHON=${PYTHON:-python3}
"$PYTHON" - "$work" "$disasm" "$gen" <<'EOF'
import glob, os, re, subprocess, sys
work, disasm, gen = sys.argv[1], sys.argv[2], sys.argv[3]
if gen == "gfx9":
    # s_nop 0x1234: the separator (gfx9 has no s_code_end)
    SEP, SEP_TEXT = "0x34,0x12,0x80,0xbf", "s_nop 0x1234"
    GRAPHICS = ("exp", "mimg", "vintrp")
    GRAPHICS_MN = ("v_interp_", "image_")
    MCPU, PREFIX = "gfx900", "gfx9"
    STRICT = True   # the graphics classes count too
    paths = sorted(glob.glob(os.path.join(work, "gfx9[_-]*.txt")))
    # gfx906's opcodes (vgpu-disasm --mcpu=gfx906): the dot products of
    # gfx908-dl-insts.txt and the fma_mix of mad_mix.txt, whose RUN lines
    # name gfx906 (mad_mix.txt: gfx900 too); rows "gfx906 <file>"
    paths += [(p, "gfx906") for p in (os.path.join(work, "gfx908-dl-insts.txt"),
                                       os.path.join(work, "mad_mix.txt"))
              if os.path.exists(p)] + [(os.path.join(work, "mad_mix.txt"), "gfx900")]
    # gfx90a (vgpu-disasm --mcpu=gfx90a, as their RUN lines say): MFMA and
    # v_accvgpr_* (gfx90a_mai.txt), the AccVGPR data of DS/FLAT/MUBUF/MTBUF/
    # MIMG (gfx90a_ldst_acc.txt), gfx90a's MIMG with VGPR data
    # (gfx90a_mimg.txt), its other features (row_newbcast, packed fp32,
    # scc: gfx90a_features.txt) and the 64-bit DPP forms
    # (gfx90a-dpp64.txt); rows "gfx90a <file>"
    paths += [(os.path.join(work, f), "gfx90a")
              for f in ("gfx90a_mai.txt", "gfx90a_ldst_acc.txt", "gfx90a_mimg.txt",
                        "gfx90a_features.txt", "gfx90a-dpp64.txt")
              if os.path.exists(os.path.join(work, f))]
elif gen == "gfx103":
    # s_code_end: the separator (gfx10 has no s_ttracedata_imm)
    SEP, SEP_TEXT = "0x00,0x00,0x9f,0xbf", "s_code_end"
    GRAPHICS = ("exp", "mimg")
    GRAPHICS_MN = ("v_interp_", "image_")
    MCPU, PREFIX = "gfx1030", "gfx10"
    STRICT = False
    paths = sorted(glob.glob(os.path.join(work, "gfx10[_-]*.txt")) +
                   glob.glob(os.path.join(work, "gfx1030_new.txt")))
else:
    SEP = "0x34,0x12,0xbb,0xbf"      # s_ttracedata_imm 0x1234: the separator
    SEP_TEXT = "s_ttracedata_imm 0x1234"
    GRAPHICS = ("exp", "ldsdir", "vinterp", "mimg")
    GRAPHICS_MN = ()
    MCPU, PREFIX = "gfx1100", "gfx11_dasm_"
    STRICT = False
    paths = sorted(glob.glob(os.path.join(work, "gfx11_dasm_*.txt")))
norm = lambda t: " ".join(t.replace("\t", " ").split())
rows, failed, diffs = [], False, []
for path in paths:
    path, mcpu = path if isinstance(path, tuple) else (path, MCPU)
    cls = os.path.basename(path)[:-4]
    if mcpu != MCPU:
        cls = mcpu + " " + cls
    cls = cls[len(PREFIX):].lstrip("_-") if cls.startswith(PREFIX + "_") or PREFIX.endswith("_") else cls
    enc = []
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.split("#")[0].split("//")[0].strip()
        if re.match(r"^0x[0-9a-fA-F]{2}(\s*,\s*0x[0-9a-fA-F]{2})*$", line):
            b = ",".join(x.strip().lower() for x in line.split(","))
            if b != SEP:
                enc.append(b)
    if not enc:
        continue
    # gfx10.3: also in wave64 where the file's RUN lines have it (the
    # gfx11 check stays wave32)
    waves = ["64"] if gen == "gfx9" else ["32"]
    if gen == "gfx103" and "wavefrontsize64" in open(path, encoding="utf-8", errors="replace").read():
        waves.append("64")
    base_cls = cls
    for wave in waves:
        cls = base_cls if wave == "32" or gen == "gfx9" else base_cls + " w64"
        # LLVM: all encodings in one llvm-mc run, the separator between them
        text = "\n".join(e + "\n" + SEP for e in enc) + "\n"
        r = subprocess.run(["llvm-mc-19", "-disassemble", "-triple=amdgcn", "-mcpu=" + mcpu,
                            "-mattr=+wavefrontsize" + wave], input=text, capture_output=True, text=True)
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
        # llvm-mc warns "<stdin>:LINE:1: invalid instruction encoding" when it
        # rejects the first dword of a line (then decodes what follows): that
        # encoding counts as rejected by LLVM
        bad1 = set(int(m.group(1)) for m in
                   re.finditer(r"<stdin>:(\d+):1: warning: invalid instruction encoding", r.stderr))
        outs = ["" if 2 * i + 1 in bad1 else o for i, o in enumerate(outs)]
        if len(outs) != len(enc):
            # an invalid encoding made llvm-mc swallow a separator (its
            # leftover dword began a 64-bit instruction): one run per line
            outs = []
            for e in enc:
                r = subprocess.run(["llvm-mc-19", "-disassemble", "-triple=amdgcn", "-mcpu=" + mcpu,
                                    "-mattr=+wavefrontsize" + wave], input=e + "\n",
                                   capture_output=True, text=True)
                ls = [norm(l.split(";")[0]) for l in r.stdout.splitlines()
                      if l.strip() and not l.strip().startswith((";", ".text", ".amdgcn"))]
                rejected = "<stdin>:1:1: warning: invalid instruction encoding" in r.stderr
                outs.append("" if rejected else " ;; ".join(ls))
        ours = subprocess.run([disasm, "--mcpu=" + mcpu, "--lines"] + (["--wave64"] if wave == "64" else []), input="\n".join(enc) + "\n",
                              capture_output=True, text=True).stdout.splitlines()
        if len(outs) != len(enc) or len(ours) != len(enc):
            print("%-28s cannot align the outputs (llvm %d, ours %d, inputs %d)"
                  % (cls, len(outs), len(ours), len(enc)))
            failed = True
            continue
        # per class, and (gfx10.3) the graphics instructions inside a
        # non-graphics file (v_interp_* in VOP3, image_* in gfx1030_new) in a
        # row of their own
        tally = {}
        for e, a, b in zip(enc, outs, ours):
            if not a or "v_illegal" in a or "/*Invalid register" in a:
                continue        # LLVM rejects it or marks it invalid: not counted
            sub = cls + " (graphics)" if a.startswith(GRAPHICS_MN) and not cls.startswith(GRAPHICS) else cls
            t = tally.setdefault(sub, [0, 0, 0, 0, 0])
            t[0] += 1
            t[1] += 1
            b = norm(b)
            if a == b:
                t[2] += 1
            elif b == "<illegal>" or b.startswith("<illegal>"):
                t[4] += 1
                if len([d for d in diffs if d[0] == sub]) < 20:
                    diffs.append((sub, e, a, b))
            else:
                t[3] += 1
                if len([d for d in diffs if d[0] == sub]) < 20:
                    diffs.append((sub, e, a, b))
        tally.setdefault(cls, [0, 0, 0, 0, 0])[0] = len(enc) - sum(
            v[0] for k, v in tally.items() if k != cls)
        for sub in sorted(tally):
            n, acc, same, diff, ill = tally[sub]
            graphics = sub.startswith(GRAPHICS) or sub.endswith("(graphics)")
            if (STRICT or not graphics) and same != acc:
                failed = True
            rows.append((sub, n, acc, same, diff, ill, graphics))
print("%-28s %7s %7s %7s %7s %7s %7s" % ("class", "lines", "llvm", "same", "differ", "illegal", "agree"))
tot = [0, 0, 0, 0, 0]
for cls, n, acc, same, diff, ill, graphics in rows:
    pct = 100.0 * same / acc if acc else 100.0
    print("%-28s %7d %7d %7d %7d %7d %6.2f%%%s" % (cls, n, acc, same, diff, ill, pct,
          "  (graphics)" if graphics and not cls.endswith("(graphics)") else ""))
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
