#!/bin/sh
# ACO as an oracle for the shader core and the decoder: the Vulkan compute
# suite (tests/vulkan) runs once with RADV's default wave64 compute shaders
# and once with RADV_PERFTEST=cswave32, with RADV_DEBUG=shaders (no shader
# cache), so Mesa prints every ACO-compiled shader with its disassembly:
# one instruction a line, LLVM's text then the encoding's dwords.  Every
# instruction must
#   - decode and have an executor in the shader core (vgpu-isa-coverage
#     --words: not in the illegal-instruction / "not modelled" set), and
#   - print as ACO (through Mesa 22.3's LLVM) prints it.  Three kinds of
#     line are compared more loosely, each counted: branches (ACO prints
#     labels, the decoder the offset: the mnemonic is compared); lane masks
#     of wave64 shaders (the decoder prints wave32's vcc_lo / s6 where LLVM
#     prints vcc / s[6:7] in wave64; those tokens are mapped); and lines
#     where Mesa's LLVM (15) prints differently from llvm-mc-19, which the
#     decoder follows (the line must then equal llvm-mc-19's text).
# Needs the virtual device (run by tests/run-tests.sh with LD_PRELOAD);
# last line "N passed, N failed".
set -u
pass=0 fail=0
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}
if [ "${AMDBARE_TEST_MODE:-vgpu}" != vgpu ] || [ -z "${LD_PRELOAD:-}" ]; then
	echo "test_aco: needs the virtual device (LD_PRELOAD of the vgpu); skipped"
	finish
fi
build=${AMDBARE_BUILD:-build}
bin=$build/vulkan/vkcompute
words=$build/vgpu-isa-coverage
icd=/usr/share/vulkan/icd.d/radeon_icd.x86_64.json
for f in "$bin" "$words"; do
	if [ ! -x "$f" ]; then
		echo "FAIL test_aco: $f missing (make tests)"
		fail=1
		finish
	fi
done
if [ ! -f "$icd" ]; then
	echo "FAIL test_aco: RADV's ICD $icd missing (tools/install-deps.sh installs mesa-vulkan-drivers)"
	fail=1
	finish
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
if [ -z "${XDG_RUNTIME_DIR:-}" ]; then
	XDG_RUNTIME_DIR=$tmp/xdg
	mkdir -m 700 "$XDG_RUNTIME_DIR"
	export XDG_RUNTIME_DIR
fi
if [ -n "${ASAN_OPTIONS:-}" ]; then
	ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0"
	export ASAN_OPTIONS
fi
inst=${AMDBARE_VGPU_INSTANCE:-aco$$}-aco
for mode in wave64 wave32; do
	perf=
	[ "$mode" = wave32 ] && perf=cswave32
	MESA_SHADER_CACHE_DISABLE=true RADV_DEBUG=shaders,nocache RADV_PERFTEST=$perf \
		AMDBARE_VGPU_PROFILE=780m AMDBARE_VGPU_INSTANCE=$inst VK_ICD_FILENAMES=$icd \
		VKC_SPV_DIR=$build/vulkan "$bin" --family compute >"$tmp/$mode.log" 2>&1
	last=$(tail -n 1 "$tmp/$mode.log")
	case "$last" in
	*" passed, 0 failed") pass=$((pass + 1)) ;;
	*) echo "FAIL test_aco: the Vulkan suite ($mode) ended with: $last"; fail=$((fail + 1)) ;;
	esac
done
rm -f "/dev/shm/amdbare-vgpu-$inst" /dev/shm/amdbare-vgpu-"$inst"-* 2>/dev/null
unset LD_PRELOAD
out=$(python3 - "$words" "$tmp/wave64.log" "$tmp/wave32.log" <<'EOF'
import re, subprocess, sys
words = sys.argv[1]
norm = lambda t: " ".join(t.replace("\t", " ").split())
insts = []
for path in sys.argv[2:]:
    d = False
    for l in open(path, errors="replace"):
        l = l.rstrip("\n")
        if l.startswith("disasm:"):
            d = True
            continue
        if d and not l.strip():
            d = False
            continue
        if d and l.startswith("\t") and ";" in l:
            t, h = l.rsplit(";", 1)
            if re.fullmatch(r"(\s*[0-9a-f]{8})+\s*", h):
                insts.append((norm(t), h.split()))
ours = subprocess.run([words, "--words"], input="\n".join(" ".join(h) for _, h in insts) + "\n",
                      capture_output=True, text=True, check=True).stdout.splitlines()
assert len(ours) == len(insts)
def llvm19(hexwords):
    b = ",".join("0x%02x" % ((int(w, 16) >> (8 * k)) & 0xff) for w in hexwords for k in range(4))
    r = subprocess.run(["llvm-mc-19", "-disassemble", "-triple=amdgcn", "-mcpu=gfx1100",
                        "-mattr=+wavefrontsize32"], input=b + "\n", capture_output=True, text=True)
    return " ;; ".join(norm(l.split(";")[0]) for l in r.stdout.splitlines()
                       if norm(l) and not norm(l).startswith(".text"))
def wave64_same(a, o):
    ta, to = a.replace(",", " ,").split(), o.replace(",", " ,").split()
    if len(ta) != len(to):
        return False
    for x, y in zip(ta, to):
        if x == y or (x == "vcc" and y == "vcc_lo"):
            continue
        m = re.fullmatch(r"s\[(\d+):(\d+)\]", x)
        if m and int(m.group(2)) == int(m.group(1)) + 1 and y == "s" + m.group(1):
            continue
        return False
    return True
n = len(insts)
names, notexec, same, branch, w64, v19, bad = set(), [], 0, 0, 0, 0, []
for (a, h), o in zip(insts, ours):
    ex, text = o.split(" ", 1)
    names.add(text.split()[0] if text else "?")
    if ex != "1":
        notexec.append(a)
    if a == text:
        same += 1
    elif re.search(r"\bBB\d+\b", a) and a.split()[0] == text.split()[0]:
        branch += 1
    elif wave64_same(a, text):
        w64 += 1
    elif text == llvm19(h):
        v19 += 1
    else:
        bad.append("aco: %s | ours: %s | %s" % (a, text, " ".join(h)))
print("instructions %d (%d mnemonics): %d print as ACO prints them, %d branches (mnemonic), "
      "%d wave64 lane masks, %d as llvm-mc-19 (Mesa's LLVM prints them differently)"
      % (n, len(names), same, branch, w64, v19))
for x in sorted(set(notexec)):
    print("NOTEXEC " + x)
for x in sorted(set(bad)):
    print("DIFF " + x)
print("RESULT %d %d %d" % (n, len(notexec), len(bad)))
EOF
)
echo "$out" | grep -v '^RESULT'
res=$(echo "$out" | sed -n 's/^RESULT //p')
set -- $res
if [ "$#" -ne 3 ]; then
	echo "FAIL test_aco: the comparison did not finish"
	fail=$((fail + 1))
	finish
fi
if [ "$1" -ge 500 ]; then
	pass=$((pass + 1))
else
	echo "FAIL test_aco: only $1 ACO instructions found (RADV_DEBUG=shaders output changed?)"
	fail=$((fail + 1))
fi
if [ "$2" -eq 0 ]; then
	pass=$((pass + 1))
else
	echo "FAIL test_aco: $2 ACO instructions the shader core does not execute"
	fail=$((fail + 1))
fi
if [ "$3" -eq 0 ]; then
	pass=$((pass + 1))
else
	echo "FAIL test_aco: $3 ACO instructions the decoder prints differently"
	fail=$((fail + 1))
fi
finish
