#!/bin/sh
# The gfx9 command processor (gfx_v9_0's PM4) and SDMA 4.x of the vgpu:
# the raw-ioctl CP/SDMA suite (test_vgpu_cs) and the library's submission
# and PM4 suites (test_submit, test_pm4), written against the gfx11 780M,
# run unchanged on the gfx9 profiles cezanne (GC 9.3.0, SDMA 4.1.2), raven
# (GC 9.1.0, SDMA 4.1.0) and mi50 (GC 9.4.0, two SDMA 4.2.0 engines).
# test_vgpu_cs's vgpu_cs suite dispatches no shader that runs (its one
# dispatch faults in the command processor on purpose); the one test
# left out sends the 8-dword gfx10+ ACQUIRE_MEM, which gfx9 refuses.  The
# gfx9 suites of test_vgpu_cs (vgpu_cs_gfx9*) check where gfx9 differs.
# AMDBARE_TEST_GFX11_PROFILE (tests/support/vgpu_test.c) swaps the profile.
# Ends with "N passed, N failed".
set -u
mode=${AMDBARE_TEST_MODE:-vgpu}
top=${AMDBARE_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
build=${AMDBARE_BUILD:-$top/build}
vgpu_preload=${LD_PRELOAD:-}
base=${AMDBARE_VGPU_INSTANCE:-gfx9cp-$$}
unset AMDBARE_VGPU AMDBARE_VGPU_PROFILE
if [ "$mode" != vgpu ] || [ -z "$vgpu_preload" ]; then
	echo "skip: the gfx9 profiles exist on the vgpu only"
	echo "0 passed, 0 failed"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; rm -f /dev/shm/amdbare-vgpu-"$base"-* 2>/dev/null' EXIT
passed=0 failed=0 n=0
suite() {
	prof=$1 prog=$2 filter=$3
	n=$((n + 1))
	env LD_PRELOAD="$vgpu_preload" AMDBARE_VGPU_INSTANCE="$base-$n" \
		AMDBARE_TEST_GFX11_PROFILE="$prof" AMDBARE_TOP="$top" \
		"$build/tests/$prog" --jobs 1 --filter "$filter" >"$tmp/out" 2>&1
	rc=$?
	line=$(grep 'Synthesis: Tested' "$tmp/out" | tail -n 1)
	tested=$(echo "$line" | sed -n 's/.*Tested: \([0-9]*\).*/\1/p')
	passing=$(echo "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
	if [ $rc -eq 0 ] && [ -n "$tested" ] && [ "$tested" -gt 0 ] && [ "$tested" = "$passing" ]; then
		passed=$((passed + 1))
		echo "ok   $prog on $prof ($passing tests)"
	else
		failed=$((failed + 1))
		echo "FAIL $prog on $prof (exit $rc)"
		grep -v '^amdgpu-vgpu' "$tmp/out" | grep -i 'fail\|assert\|synthesis' | head -n 30 | sed 's/^/  | /'
	fi
}
# test_vgpu_cs's vgpu_cs test that sends a gfx10+ form (the 8-dword
# ACQUIRE_MEM; vgpu_cs_gfx9/acquire_mem_has_7_dwords runs ACQUIRE_MEM and
# WRITE_DATA in gfx9's form, and the suite's other tests its other packets)
CS_SKIP=pm4_write_data_release_mem_dma_data
suite cezanne test_vgpu_cs "vgpu_cs/!($CS_SKIP)"
suite cezanne test_vgpu_cs "vgpu_cs_gfx9*/*"
suite cezanne test_submit "*/*"
suite cezanne test_pm4 "*/*"
suite raven test_vgpu_cs "vgpu_cs/!($CS_SKIP)"
suite raven test_submit "*/*"
suite mi50 test_vgpu_cs "vgpu_cs/!($CS_SKIP)"
suite mi50 test_submit "*/*"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
