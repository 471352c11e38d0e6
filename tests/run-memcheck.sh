#!/bin/sh
# Runs the library's test programs under valgrind memcheck, on the vgpu.
#   tests/run-memcheck.sh [test_name...]     (default: the list below)
# Every invalid read/write, use of uninitialised memory in a branch or a
# syscall, bad free or overlap in any process (Criterion runs each test in
# a forked worker; valgrind follows forks) makes the program fail
# (--error-exitcode), and a failing program fails the run.  Leaks are
# LeakSanitizer's job in the ASan run (`make SANITIZE=address,undefined
# check`): here they would also report memory a forked child inherits and
# never frees before _exit, which is not a leak.
#
# The shader-heavy programs (differential kernels, GEMM shapes, the vgpu's
# own suites) are left out: they exercise the vgpu, not the library, and
# would take hours under memcheck.  Ends with "N passed, N failed"
# (programs, not tests).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
build_abs=$top/$BUILD
vgpu_so=$build_abs/libamdbare-vgpu.so
export AMDBARE_BUILD="$build_abs" AMDBARE_TOP="$top" AMDBARE_VGPU_LIB="$vgpu_so"
# The vgpu's watchdog counts wall time; memcheck slows the shader core
# down ~50x, so give jobs the kernel's default 10 s and more.
export AMDBARE_VGPU_TIMEOUT_MS=${AMDBARE_VGPU_TIMEOUT_MS:-60000}

command -v valgrind >/dev/null 2>&1 || { echo "run-memcheck: valgrind is not installed" >&2; exit 2; }
[ -f "$vgpu_so" ] || { echo "run-memcheck: $vgpu_so not built (make all tests)" >&2; exit 2; }

default="test_parse test_device test_bo test_alloc test_codeobj test_pm4 test_submit
	test_dispatch test_kernels test_model_format test_model_load test_submit_thread
	test_alloc_thread test_multiprocess"
names=${*:-$default}

passed=0 failed=0 failed_names=
log=$(mktemp)
for name in $names; do
	t=$build_abs/tests/$name
	if [ ! -x "$t" ]; then
		echo "run-memcheck: $name not built, skipped"
		continue
	fi
	inst="memcheck-$$-$name"
	case "$name" in
	*thread*) args= ;;           # plain programs (see test_alloc_thread.c)
	*) args="--jobs 1" ;;
	esac
	start=$(date +%s)
	# shellcheck disable=SC2086
	env AMDBARE_VGPU_INSTANCE="$inst" LD_PRELOAD="$vgpu_so" \
		valgrind --tool=memcheck --error-exitcode=42 --leak-check=no \
		--child-silent-after-fork=no -q "$t" $args >"$log" 2>&1
	rc=$?
	rm -f "/dev/shm/amdbare-vgpu-$inst" /dev/shm/amdbare-vgpu-"$inst"-* 2>/dev/null
	secs=$(( $(date +%s) - start ))
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
		echo "memcheck $name: ok (${secs}s)"
	else
		failed=$((failed + 1))
		failed_names="$failed_names $name"
		echo "memcheck $name: FAILED (exit $rc, ${secs}s)"
		grep -E "==[0-9]+== (Invalid|Conditional|Syscall param|Mismatched|Source and destination|  at|  by)|\[FAIL\]|Synthesis" "$log" | head -n 40
	fi
done
rm -f "$log"
[ -n "$failed_names" ] && echo "memcheck failures:$failed_names"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
