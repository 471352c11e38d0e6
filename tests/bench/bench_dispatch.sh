#!/bin/sh
# Benchmark (not a test): the library's CPU cost per dispatch, in
# instructions counted by callgrind, and CS ioctls per N dispatches, for a
# batch (one submission) against one dispatch per submission, both
# measured in this run.
#
# Callgrind collects only while bench_measured_{batch,single} (the bench's
# loop over the library's dispatcher calls) is on the stack, and
# --toggle-collect=ioctl switches collection off again inside ioctl(): what
# the kernel, or the preloaded vgpu, does for an ioctl is not the library's
# cost.  The vgpu's ring thread (the shader core) never enters the measured
# functions, so it is not counted either.
#
#   sh tests/bench/bench_dispatch.sh [BUILD_DIR] [N]
# Run from the top directory; uses the vgpu unless AMDBARE_BENCH_HW=1.
set -eu
BUILD=${1:-build}
N=${2:-256}
BIN=$BUILD/bench/bench_dispatch
case $BUILD in /*) VGPU=$BUILD/libamdbare-vgpu.so ;; *) VGPU=$(pwd)/$BUILD/libamdbare-vgpu.so ;; esac
[ -x "$BIN" ] || { echo "bench_dispatch.sh: $BIN not built (make bench)" >&2; exit 1; }
if ! command -v valgrind >/dev/null 2>&1; then
	echo "bench_dispatch.sh: valgrind not installed; instruction counts skipped" >&2
	exit 0
fi
TMP=$(mktemp -d)
INST=bench-dispatch-$$
cleanup() { rm -rf "$TMP"; rm -f /dev/shm/amdbare-vgpu-$INST*; }
trap cleanup EXIT

# run MODE -> prints "<instructions> <cs ioctls>"
run() {
	if [ "${AMDBARE_BENCH_HW:-0}" = 1 ]; then PRE=; else PRE=$VGPU; fi
	# The vgpu's job watchdog (10 s like the kernel's lockup timeout) is
	# too short for N shader dispatches simulated under valgrind.
	AMDBARE_VGPU_TIMEOUT_MS=600000 AMDBARE_VGPU_INSTANCE=$INST-$1 LD_PRELOAD=$PRE \
	valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.$1" \
		--toggle-collect=bench_measured_$1 --toggle-collect=ioctl \
		"$BIN" --mode "$1" --n "$N" >"$TMP/out.$1" 2>"$TMP/err.$1" || {
		echo "bench_dispatch.sh: $1 mode failed:" >&2
		cat "$TMP/out.$1" "$TMP/err.$1" >&2
		exit 1
	}
	ins=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$TMP/cg.$1")
	ioc=$(sed -n 's/.* \([0-9]*\) CS ioctls.*/\1/p' "$TMP/out.$1")
	echo "$ins $ioc"
}

B=$(run batch) && S=$(run single) || exit 1
set -- $B $S
awk -v n="$N" -v bi="$1" -v bc="$2" -v si="$3" -v sc="$4" 'BEGIN {
	printf "dispatches: %d of tests/isa add (256 work-items), each one reading what the previous wrote\n", n
	printf "instructions per dispatch (library, callgrind): batch %.0f, single %.0f, single/batch %.2fx\n", bi / n, si / n, si / bi
	printf "CS ioctls per %d dispatches: batch %d, single %d, single/batch %.0fx\n", n, bc, sc, sc / bc
}'
