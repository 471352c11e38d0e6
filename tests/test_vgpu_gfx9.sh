#!/bin/sh
# The gfx9 (GCN 5, Vega) vgpu profiles through the CLI and the library
# (POSIX sh): raven (gfx902 APU), cezanne (gfx90c APU, 512 MiB carve-out)
# and mi50 (gfx906 dGPU).  The vgpu runs gfx9 jobs (the gfx9 command
# processor, SDMA 4 and the shader core's gfx9 executor): info, alloc,
# doctor, load, the probe's shader and SDMA rows, the demo end to end with
# its proof on each profile, GEMM/GEMV and the util kernels with each
# profile's own code objects, and a subset of the differential kernels
# (the whole corpus: AMDBARE_DIFF_TARGET=gfx902|gfx906|gfx90c
# build/tests/test_diff_kernels).  A representative subset: the whole
# suite runs on the gfx11 profiles.
# Ends with "N passed, N failed".
set -u
mode=${AMDBARE_TEST_MODE:-vgpu}
top=${AMDBARE_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
build=${AMDBARE_BUILD:-$top/build}
CLI=$build/amdbare
PY=/usr/bin/python3
vgpu_preload=${LD_PRELOAD:-}
base=${AMDBARE_VGPU_INSTANCE:-gfx9-$$}
unset AMDBARE_VGPU AMDBARE_VGPU_PROFILE AMDBARE_VGPU_VRAM_SIZE AMDBARE_VGPU_GTT_SIZE

if [ "$mode" != vgpu ] || [ -z "$vgpu_preload" ]; then
	echo "skip: test_vgpu_gfx9.sh runs on the vgpu only (mode $mode)"
	echo "0 passed, 0 failed"
	exit 0
fi

tmp=$(mktemp -d)
cleanup() {
	rm -rf "$tmp"
	rm -f /dev/shm/amdbare-vgpu-"$base"-* 2>/dev/null
}
trap cleanup EXIT

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() {
	failed=$((failed + 1))
	echo "FAIL $1: $2"
	echo "  --- exit code $rc, stdout:"
	sed 's/^/  | /' "$tmp/out"
	echo "  --- stderr:"
	sed 's/^/  | /' "$tmp/err"
}
n=0
cli() {
	n=$((n + 1))
	p=$1
	shift
	env LD_PRELOAD="$vgpu_preload" AMDBARE_VGPU_INSTANCE="$base-$n" AMDBARE_VGPU_PROFILE="$p" \
		"$CLI" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
}
out_has() { env -u LD_PRELOAD grep -q -e "$1" "$tmp/out"; }
err_has() { env -u LD_PRELOAD grep -q -e "$1" "$tmp/err"; }

# ---- info: the facts of each profile ---------------------------------------
# target from the GC version (kfd_device.c), family (amdgpu_drm.h RV 142,
# AI 141), wave64, CUs, bus width, heaps.
for c in "raven:gfx902 (GC 9.1.0, family 142, external rev 0x1):11 CUs in 1 shader engine, wave64:128-bit:2.00 GiB" \
	 "cezanne:gfx90c (GC 9.3.0, family 142, external rev 0xa1):8 CUs in 1 shader engine, wave64:128-bit:512.00 MiB" \
	 "mi50:gfx906 (GC 9.4.0, family 141, external rev 0x28):60 CUs in 4 shader engines, wave64:4096-bit:32.00 GiB" \
	 "mi210:gfx90a (GC 9.4.2, family 141, external rev 0x3c):104 CUs in 8 shader engines, wave64:4096-bit:64.00 GiB"; do
	prof=${c%%:*} rest=${c#*:}
	target=${rest%%:*} rest=${rest#*:}
	cus=${rest%%:*} rest=${rest#*:}
	bus=${rest%%:*} vram=${rest#*:}
	cli "$prof" info
	if [ $rc -eq 0 ] && out_has "gfx target    $target" && out_has "compute       $cus" &&
		out_has "$bus memory bus" && out_has "VRAM .* / $vram"; then
		ok "info on $prof: $target, $cus"
	else
		bad "info $prof" "expected $target, $cus, $bus, VRAM $vram"
	fi
done
cli raven info
if out_has "APU (VRAM is a carve-out" && out_has "name          AMD Radeon Vega 11 Graphics"; then
	ok "raven is an APU named by amdgpu.ids (1002:15dd rev c1)"
else
	bad "raven kind" "expected an APU named AMD Radeon Vega 11 Graphics"
fi
cli mi50 info
if out_has "dGPU (own VRAM)" && out_has "visible VRAM .* / 32.00 GiB"; then
	ok "mi50 is a dGPU with a large BAR (all 32 GiB CPU-visible)"
else
	bad "mi50 kind" "expected a dGPU whose visible VRAM is all 32 GiB"
fi

cli mi210 demo
if [ $rc -eq 0 ] && out_has "AMD Instinct MI210" && out_has "max |error| .* ok"; then
	ok "mi210 demo: gfx90a gemv against the CPU reference"
else
	bad "mi210 demo" "rc $rc; expected the gemv line ending ok"
fi

# ---- memory: alloc, doctor ---------------------------------------------------
cli cezanne alloc --domain gtt --size 64M
if [ $rc -eq 0 ] && out_has "gtt 64.00 MiB" && out_has "back to the baseline"; then
	ok "alloc 64 MiB of GTT on cezanne, placed and freed"
else
	bad "alloc cezanne" "expected 64 MiB in GTT and back to the baseline"
fi
cli cezanne doctor
if [ $rc -eq 0 ] && out_has "small_carveout" && out_has "GTT  *31.75 GiB free"; then
	ok "doctor on cezanne: the 512 MiB carve-out and the 31.75 GiB GTT"
else
	bad "doctor cezanne" "expected the small-carve-out advice and 31.75 GiB of GTT"
fi

# ---- load without GPU verification ------------------------------------------
M=$tmp/m.safetensors
env -u LD_PRELOAD "$PY" - "$M" <<'EOF'
import json, struct, sys
n = 64 * 32
h = json.dumps({"w": {"dtype": "F16", "shape": [64, 32], "data_offsets": [0, 2 * n]}}).encode()
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<Q", len(h)) + h)
    f.write(struct.pack("<%de" % n, *[((i * 7) % 17 - 8) / 16.0 for i in range(n)]))
EOF
cli cezanne load "$M" --no-verify
if [ $rc -eq 0 ] && out_has "Vega 8 (Cezanne) profile" && out_has "^proof:"; then
	ok "load --no-verify on cezanne (CPU writes, no GPU job)"
else
	bad "load cezanne" "expected a load without GPU verification"
fi

# ---- probe: every row measured, the shader rows included --------------------
cli mi50 probe --domain gtt
if [ $rc -eq 0 ] && out_has "cpu-read     gtt  *[0-9.]* GB/s" && out_has "gpu-read     gtt  *[0-9.]* GB/s" &&
	out_has "sdma-copy    gtt->gtt  *[0-9.]* GB/s" && ! out_has "FAILED"; then
	ok "probe on mi50: CPU, shader and SDMA 4 rows measured"
else
	bad "probe mi50" "expected every row measured"
fi

# ---- the demo end to end on each profile, with its proof ---------------------
# load, fdinfo and device deltas, GPU checksums with the profile's own
# gfx90x util object (0 mismatches), a GEMV against the CPU.
for p in raven:gfx902 cezanne:gfx90c mi50:gfx906; do
	prof=${p%%:*} target=${p#*:}
	cli "$prof" demo
	if [ $rc -eq 0 ] && out_has "integrity *6 tensors.*0 mismatches" &&
		out_has "^gemv: y = W x on the GPU" && out_has "max |error| .* ok$"; then
		ok "demo on $prof ($target): load, prove, GEMV against the CPU"
	else
		bad "demo $prof" "expected the whole story on the $prof profile"
	fi
done

# ---- library suites and the differential kernels -----------------------------
# test_linalg (GEMM/GEMV against the CPU) and test_kernels (checksum, fill,
# copy, bandwidth) on each profile with its own kernels; the differential
# kernels (tests/diff, built by clang-19 for gfx902/gfx906/gfx90c, wave64):
# a subset (AMDBARE_DIFF_EVERY) on each profile; the whole corpus with
# AMDBARE_DIFF_TARGET=gfx902 build/tests/test_diff_kernels.
suite() {
	prof=$1 prog=$2
	shift 2
	filter=
	if [ "${1:-}" = --filter ]; then
		filter="--filter=$2"
		shift 2
	fi
	n=$((n + 1))
	env LD_PRELOAD="$vgpu_preload" AMDBARE_VGPU_INSTANCE="$base-$n" \
		AMDBARE_TEST_GFX11_PROFILE="$prof" AMDBARE_TOP="$top" "$@" \
		"$build/tests/$prog" --jobs 1 $filter >"$tmp/out" 2>&1
	rc=$?
	line=$(env -u LD_PRELOAD grep 'Synthesis: Tested' "$tmp/out" | tail -n 1)
	tested=$(echo "$line" | sed -n 's/.*Tested: \([0-9]*\).*/\1/p')
	passing=$(echo "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
	if [ $rc -eq 0 ] && [ -n "$tested" ] && [ "$tested" -gt 0 ] && [ "$tested" = "$passing" ]; then
		ok "$prog on $prof $filter $* ($passing tests)"
	else
		failed=$((failed + 1))
		echo "FAIL $prog on $prof $filter $* (exit $rc)"
		env -u LD_PRELOAD grep -v '^amdgpu-vgpu' "$tmp/out" | env -u LD_PRELOAD grep -i 'fail\|assert\|synthesis' | head -n 30 | sed 's/^/  | /'
	fi
}
# The whole test_linalg and test_kernels on raven (written against the
# 780m; AMDBARE_TEST_GFX11_PROFILE swaps it), less the three tests that
# assert the 780m's own target; their per-profile tests (linalg_targets/
# gfx90*, profiles/p*) run cezanne and mi50 with their own objects.
suite raven test_linalg --filter '!(linalg_targets/gfx1103_780m)'
suite raven test_kernels --filter '!(profiles/p780m|registry/module_cached_once)'
suite raven test_linalg --filter 'linalg_targets/gfx90*'
suite raven test_kernels --filter 'profiles/p[crm][aei]*'
suite raven test_diff_kernels AMDBARE_DIFF_TARGET=gfx902 AMDBARE_DIFF_EVERY=4
suite mi50 test_diff_kernels AMDBARE_DIFF_TARGET=gfx906 AMDBARE_DIFF_EVERY=8
suite cezanne test_diff_kernels AMDBARE_DIFF_TARGET=gfx90c AMDBARE_DIFF_EVERY=8

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
