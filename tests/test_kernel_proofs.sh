#!/bin/sh
# The proof tests on every kernel version the vgpu models besides the
# default (6.1, on which `make check` runs the whole suite): the device
# and its memory queries (test_device), buffer placement proven by fdinfo
# and usage deltas (test_bo), the model loader with its proof
# (test_model_load), and `amdbare alloc` / `info` from the command line,
# each on AMDBARE_VGPU_KERNEL=6.8, 6.12 and 6.18.  Ends with "N passed, N
# failed" (tests counted across programs).
set -u
top=${AMDBARE_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
build=${AMDBARE_BUILD:-$top/build}
if [ "${AMDBARE_TEST_MODE:-vgpu}" = hw ]; then
	echo "test_kernel_proofs.sh: the kernel version is a vgpu setting; skipped on hardware"
	echo "0 passed, 0 failed"
	exit 0
fi
vgpu=${LD_PRELOAD:-$build/libamdbare-vgpu.so}
base=${AMDBARE_VGPU_INSTANCE:-kproofs-$$}
unset AMDBARE_VGPU AMDBARE_VGPU_PROFILE AMDBARE_VGPU_PARAMS AMDBARE_VGPU_DKMS LD_PRELOAD
log=$(mktemp)
trap 'rm -f "$log" /dev/shm/amdbare-vgpu-"$base"-*' EXIT
passed=0 failed=0
for k in 6.8 6.12 6.18; do
	for t in test_device test_bo test_model_load; do
		inst=$base-$k-$t
		AMDBARE_VGPU_KERNEL=$k AMDBARE_VGPU_INSTANCE=$inst LD_PRELOAD=$vgpu \
			"$build/tests/$t" --jobs 1 >"$log" 2>&1
		rc=$?
		rm -f /dev/shm/amdbare-vgpu-"$inst"*
		set -- $(sed -n 's/.*Synthesis: Tested: \([0-9]*\) | Passing: \([0-9]*\) | Failing: \([0-9]*\) | Crashing: \([0-9]*\).*/\1 \2 \3 \4/p' "$log" | tail -n 1)
		p=${2:-0} f=$((${3:-0} + ${4:-0}))
		[ $rc -ne 0 ] && [ $f -eq 0 ] && f=1
		passed=$((passed + p)) failed=$((failed + f))
		if [ $f -eq 0 ]; then
			echo "ok   $k $t ($p)"
		else
			echo "FAIL $k $t (exit $rc)"
			sed 's/^/    /' "$log"
		fi
	done
	inst=$base-$k-cli
	out=$(AMDBARE_VGPU_KERNEL=$k AMDBARE_VGPU_INSTANCE=$inst LD_PRELOAD=$vgpu \
		"$build/amdbare" alloc --size 64M --domain vram 2>&1)
	rc=$?
	if [ $rc = 0 ] && echo "$out" | grep -q "this process.*fdinfo"; then
		passed=$((passed + 1)); echo "ok   $k amdbare alloc (placement from fdinfo)"
	else
		failed=$((failed + 1)); echo "FAIL $k amdbare alloc (exit $rc)"; echo "$out" | sed 's/^/    /'
	fi
	out=$(AMDBARE_VGPU_KERNEL=$k AMDBARE_VGPU_INSTANCE=$inst LD_PRELOAD=$vgpu \
		"$build/amdbare" info 2>&1)
	rc=$?
	if [ $rc = 0 ] && echo "$out" | grep -q "GTT ceiling" && echo "$out" | grep -q "this process (fdinfo): vram"; then
		passed=$((passed + 1)); echo "ok   $k amdbare info"
	else
		failed=$((failed + 1)); echo "FAIL $k amdbare info (exit $rc)"; echo "$out" | sed 's/^/    /'
	fi
	rm -f /dev/shm/amdbare-vgpu-"$inst"*
done
# One instance is one machine: a process asking for another kernel is refused.
inst=$base-mixed
AMDBARE_VGPU_KERNEL=6.1 AMDBARE_VGPU_INSTANCE=$inst LD_PRELOAD=$vgpu "$build/amdbare" info >/dev/null 2>&1
out=$(AMDBARE_VGPU_KERNEL=6.12 AMDBARE_VGPU_INSTANCE=$inst LD_PRELOAD=$vgpu "$build/amdbare" info 2>&1)
rc=$?
rm -f /dev/shm/amdbare-vgpu-"$inst"*
if [ $rc = 1 ] && echo "$out" | grep -q "already runs profile 780m, kernel 6.1.*asks for 780m, kernel 6.12"; then
	passed=$((passed + 1)); echo "ok   an instance keeps its kernel version"
else
	failed=$((failed + 1)); echo "FAIL an instance keeps its kernel version (exit $rc)"; echo "$out" | sed 's/^/    /'
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
