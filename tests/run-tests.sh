#!/bin/sh
# Runs every test program in $BUILD/tests and every tests/test_*.sh.
#   run-tests.sh vgpu   on the virtual device (LD_PRELOAD of the vgpu)
#   run-tests.sh hw     on a real amdgpu device, without the vgpu; tests that
#                       need a vgpu-only feature skip themselves.
# Ends with one line "N passed, N failed" (tests counted across programs).
set -u
mode=${1:-vgpu}
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
build_abs=$top/$BUILD
vgpu_so=$build_abs/libamdbare-vgpu.so
export AMDBARE_BUILD="$build_abs" AMDBARE_TOP="$top"

if [ "$mode" = hw ]; then
	found=
	for n in /dev/dri/renderD*; do
		[ -e "$n" ] || continue
		drv=$(basename "$(readlink -f "/sys/class/drm/$(basename "$n")/device/driver" 2>/dev/null)" 2>/dev/null)
		[ "$drv" = amdgpu ] && found=$n
	done
	if [ -z "$found" ]; then
		echo "check-hw: no amdgpu render node on this machine (looked at /dev/dri/renderD*)."
		echo "check-hw: nothing was run; use 'make check' for the virtual device."
		echo "0 passed, 0 failed"
		exit 0
	fi
	echo "check-hw: running on the real device $found"
	unset LD_PRELOAD
else
	[ -f "$vgpu_so" ] || { echo "run-tests: $vgpu_so not built" >&2; exit 2; }
	export AMDBARE_VGPU_LIB="$vgpu_so"
fi

case "${SANITIZE:-}" in
*address*) export ASAN_OPTIONS="${ASAN_OPTIONS:-verify_asan_link_order=0:detect_leaks=1:abort_on_error=1}" ;;
esac
case "${SANITIZE:-}" in
*undefined*) export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" ;;
esac

passed=0 failed=0 failed_names=
log=$(mktemp)
for t in "$build_abs"/tests/test_* "$top"/tests/test_*.sh; do
	case "$(basename "$t")" in *"${ONLY:-}"*) ;; *) continue ;; esac
	[ -f "$t" ] || continue
	name=$(basename "$t")
	# Each program gets its own vgpu instance (device-global state), so
	# programs never see each other's memory usage.
	inst="check-$$-$name"
	if [ "$mode" = vgpu ]; then
		set -- env AMDBARE_VGPU_INSTANCE="$inst" LD_PRELOAD="$vgpu_so"
	else
		set -- env
	fi
	case "$t" in
	*.sh) "$@" AMDBARE_TEST_MODE="$mode" sh "$t" >"$log" 2>&1; rc=$? ;;
	*) "$@" AMDBARE_TEST_MODE="$mode" "$t" --jobs 1 >"$log" 2>&1; rc=$? ;;
	esac
	rm -f "/dev/shm/amdbare-vgpu-$inst" /dev/shm/amdbare-vgpu-"$inst"-* 2>/dev/null
	synth=$(sed -n 's/.*Synthesis: Tested: \([0-9]*\) | Passing: \([0-9]*\) | Failing: \([0-9]*\) | Crashing: \([0-9]*\).*/\1 \2 \3 \4/p' "$log" | tail -n 1)
	if [ -n "$synth" ]; then
		set -- $synth
		p=$2 f=$(($3 + $4))
	else
		# A shell test, or a program that died before Criterion's summary.
		p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' "$log" | tail -n 1)
		f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' "$log" | tail -n 1)
		if [ -z "$p" ]; then
			if [ $rc -eq 0 ]; then p=1 f=0; else p=0 f=1; fi
		fi
	fi
	[ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
	passed=$((passed + p)) failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		echo "FAIL $name (exit $rc)"
		sed 's/^/    /' "$log"
		failed_names="$failed_names $name"
	else
		echo "ok   $name ($p)"
	fi
done
rm -f "$log"
[ -n "$failed_names" ] && echo "failed:$failed_names"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
