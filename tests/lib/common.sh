# Setup shared by the shell tests of the command-line tool (tests/test_cli*.sh,
# test_doctor.sh, test_probe.sh, test_trace.sh, test_top.sh) and of the
# ordinary programs run on the vgpu (test_clients.sh, test_amdgpu_stress.sh).
# POSIX sh;
# sourced, never run, and not a test itself (tests/run-tests.sh runs
# tests/test_*.sh only).  A test sources it from its own directory, so it is
# found whatever the working directory:
#
#   t_base=clitest                # vgpu instance prefix when none is given
#   . "$(dirname "$0")/lib/common.sh"
#
# Environment, as tests/run-tests.sh sets it: AMDBARE_TEST_MODE (vgpu|hw),
# AMDBARE_TOP, AMDBARE_BUILD (absolute), LD_PRELOAD=<vgpu> and a
# per-program AMDBARE_VGPU_INSTANCE; each has a default for a test run by
# hand (`sh tests/test_cli.sh` after `make all tests`).
#
# Sets: mode top build CLI PY vgpu_preload base tmp, the counters passed
# failed skipped, n (runs so far: each run gets instance "$base-$n").
# Defines:
#   ok NAME / bad NAME WHY / skip NAME WHY   one "ok   NAME", "FAIL NAME: WHY"
#       (with the exit code, stdout and stderr of the last run) or
#       "skip NAME: WHY" line, counted
#   check DESC CMD...   runs CMD as it is (nothing captured): "ok   DESC"
#       when it succeeds, "FAIL DESC" when not, counted
#   t_fail DESC     one "FAIL DESC" line, counted, without bad()'s dump
#   run CMD...      runs CMD, stdout/stderr to $tmp/out, $tmp/err; sets rc
#   cli [NAME=VALUE...] CMD...   run on the preloaded vgpu, fresh instance
#   bare [NAME=VALUE...] CMD...  run with nothing preloaded, fresh instance
#   out_has RE / err_has RE / first_line_has RE   grep the last run's output
#   json EXPR       prints a Python expression over the JSON stdout `d`
#   t_need_vgpu MSG / t_need_preload MSG   skip the whole test (MSG, then
#       "0 passed, 0 failed", exit 0) unless on the vgpu (and, for
#       t_need_preload, with the vgpu preloaded)
#   t_finish        the last line "N passed, N failed"; exit status 0 only
#       when nothing failed
# Optional settings, read when used:
#   t_show_out, t_show_err  command filtering stdout / stderr in bad()'s
#       dump (default cat; e.g. 'head -n 40', 'tail -n 30')
#   t_more_err      further files shown under stderr in bad()'s dump
#   t_exit_hook     command run first at exit (e.g. stopping a background
#       process the test started)
#   t_report_skips  when 1, t_finish says "(N skipped)" after the counts
#
# out_has, err_has, first_line_has and json run grep, head and python3
# with LD_PRELOAD removed: they are not under test, and a sanitizer-built
# vgpu does not belong in python3.  The test script itself runs as started
# (tests/run-tests.sh preloads the vgpu into it).
set -u
mode=${AMDBARE_TEST_MODE:-vgpu}
top=${AMDBARE_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
build=${AMDBARE_BUILD:-$top/build}
CLI=$build/amdbare
PY=/usr/bin/python3
vgpu_preload=${LD_PRELOAD:-}
base=${AMDBARE_VGPU_INSTANCE:-${t_base:-shtest}-$$}
# The profile comes from each command line, never from outside.
unset AMDBARE_VGPU AMDBARE_VGPU_PROFILE

t_show_out=${t_show_out:-cat}
t_show_err=${t_show_err:-cat}
t_more_err=${t_more_err:-}
t_exit_hook=${t_exit_hook:-}
t_report_skips=${t_report_skips:-0}

tmp=$(mktemp -d)
t_cleanup() {
	[ -n "$t_exit_hook" ] && eval "$t_exit_hook"
	rm -rf "$tmp"
	rm -f /dev/shm/amdbare-vgpu-"$base"-* 2>/dev/null
}
trap t_cleanup EXIT
# an interrupted test cleans up too (exit runs the EXIT trap)
trap 'exit 130' INT TERM

passed=0 failed=0 skipped=0 n=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
skip() { skipped=$((skipped + 1)); echo "skip $1: $2"; }
# t_dump FILE FILTER: FILE through FILTER, each line prefixed "  | ".
t_dump() {
	[ -f "$1" ] || return 0
	# shellcheck disable=SC2086
	$2 <"$1" | sed 's/^/  | /'
}
t_fail() { failed=$((failed + 1)); echo "FAIL $1"; }
check() {
	t_d=$1
	shift
	if "$@"; then ok "$t_d"; else t_fail "$t_d"; fi
}
bad() {
	failed=$((failed + 1))
	echo "FAIL $1: $2"
	echo "  --- exit code ${rc:-(nothing run)}, stdout:"
	t_dump "$tmp/out" "$t_show_out"
	echo "  --- stderr:"
	t_dump "$tmp/err" "$t_show_err"
	for t_f in $t_more_err; do
		t_dump "$t_f" "$t_show_err"
	done
}

# run CMD...: runs CMD with stdout and stderr captured; sets rc.
run() { "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }
# cli [NAME=VALUE...] PROGRAM ARGS...: on the preloaded vgpu, fresh instance.
cli() {
	n=$((n + 1))
	run env LD_PRELOAD="$vgpu_preload" AMDBARE_VGPU_INSTANCE="$base-$n" "$@"
}
# bare [NAME=VALUE...] PROGRAM ARGS...: nothing preloaded (the CLI's own
# --vgpu re-exec path, or the machine as it is), fresh instance.
bare() {
	n=$((n + 1))
	run env -u LD_PRELOAD AMDBARE_VGPU_INSTANCE="$base-$n" "$@"
}
out_has() { env -u LD_PRELOAD grep -q -e "$1" "$tmp/out"; }
err_has() { env -u LD_PRELOAD grep -q -e "$1" "$tmp/err"; }
first_line_has() { env -u LD_PRELOAD head -n 1 "$tmp/out" | env -u LD_PRELOAD grep -q -e "$1"; }
# json EXPR: evaluates a Python expression over the parsed stdout `d`.
json() {
	env -u LD_PRELOAD "$PY" -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$tmp/out" "$1" 2>>"$tmp/err"
}

t_finish() {
	if [ "$t_report_skips" = 1 ]; then
		echo "$passed passed, $failed failed ($skipped skipped)"
	else
		echo "$passed passed, $failed failed"
	fi
	[ "$failed" -eq 0 ]
	exit
}
t_need_vgpu() {
	[ "$mode" = vgpu ] && return 0
	echo "$1"
	echo "0 passed, 0 failed"
	exit 0
}
t_need_preload() {
	[ -n "$vgpu_preload" ] && t_need_vgpu "$1" && return 0
	echo "$1"
	echo "0 passed, 0 failed"
	exit 0
}
