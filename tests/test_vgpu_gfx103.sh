#!/bin/sh
# The gfx10.3 command processor (gfx_v10_0's PM4), SDMA 5.2 and shader
# core of the vgpu: the raw-ioctl CP/SDMA suite (test_vgpu_cs) and the
# library's submission and PM4 suites (test_submit, test_pm4), written
# against the gfx11 780M, run unchanged on the gfx10.3 profiles 680m (GC
# 10.3.3, gfx1035) and deck (GC 10.3.1, gfx1033); 6800xt (GC 10.3.0) runs
# the CP suite.  AMDBARE_TEST_GFX11_PROFILE (tests/support/vgpu_test.c)
# swaps the profile.  Then a subset of the differential kernels
# (tests/diff, built by clang-19 for gfx1035 in wave32 and wave64) on the
# 680m: every fourth wave32 kernel and every eighth wave64 one (the whole
# corpus: AMDBARE_DIFF_TARGET=gfx1035[-w64] build/tests/test_diff_kernels).
# Ends with "N passed, N failed".
set -u
mode=${AMDBARE_TEST_MODE:-vgpu}
top=${AMDBARE_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
build=${AMDBARE_BUILD:-$top/build}
vgpu_preload=${LD_PRELOAD:-}
base=${AMDBARE_VGPU_INSTANCE:-gfx103test-$$}
unset AMDBARE_VGPU AMDBARE_VGPU_PROFILE
if [ "$mode" != vgpu ] || [ -z "$vgpu_preload" ]; then
	echo "skip: the gfx10.3 profiles exist on the vgpu only"
	echo "0 passed, 0 failed"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; rm -f /dev/shm/amdbare-vgpu-"$base"-* 2>/dev/null' EXIT
passed=0 failed=0 n=0
suite() {
	prof=$1 prog=$2
	shift 2
	n=$((n + 1))
	env LD_PRELOAD="$vgpu_preload" AMDBARE_VGPU_INSTANCE="$base-$n" \
		AMDBARE_TEST_GFX11_PROFILE="$prof" AMDBARE_TOP="$top" "$@" \
		"$build/tests/$prog" --jobs 1 >"$tmp/out" 2>&1
	rc=$?
	line=$(grep 'Synthesis: Tested' "$tmp/out" | tail -n 1)
	tested=$(echo "$line" | sed -n 's/.*Tested: \([0-9]*\).*/\1/p')
	passing=$(echo "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
	if [ $rc -eq 0 ] && [ -n "$tested" ] && [ "$tested" -gt 0 ] && [ "$tested" = "$passing" ]; then
		passed=$((passed + 1))
		echo "ok   $prog on $prof $* ($passing tests)"
	else
		failed=$((failed + 1))
		echo "FAIL $prog on $prof (exit $rc)"
		grep -v '^amdgpu-vgpu' "$tmp/out" | grep -i 'fail\|assert\|synthesis' | head -n 30 | sed 's/^/  | /'
	fi
}
suite 680m test_vgpu_cs
suite 680m test_submit
suite 680m test_pm4
suite deck test_vgpu_cs
suite deck test_submit
suite 6800xt test_vgpu_cs
suite 680m test_diff_kernels AMDBARE_DIFF_TARGET=gfx1035 AMDBARE_DIFF_EVERY=4
suite 680m test_diff_kernels AMDBARE_DIFF_TARGET=gfx1035-w64 AMDBARE_DIFF_EVERY=8
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
