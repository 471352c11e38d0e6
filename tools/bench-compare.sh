#!/bin/sh
# Benchmark comparison (not a test): bench_gemm of a base revision against
# bench_gemm of the current tree, measured in the same run on this machine.
#
#   sh tools/bench-compare.sh BASE_REV [--runs N] [--instr] [--keep DIR]
#
# BASE_REV is checked out into a temporary detached `git worktree` (removed
# on exit, error or interrupt; the current tree is never stashed or
# touched beyond its build/ directory).  In both trees only what bench_gemm
# needs is built: `make -j2 build/bench/bench_gemm build/libamdbare-vgpu.so`
# (the same targets before and after the layer-folder restructuring).  The
# current tree is measured as it is on disk, uncommitted changes included.
#
# Wall clock: the two bench_gemm binaries run alternately N times each
# (default 9; the order is swapped every round so that a drift in the
# machine's load does not favour one side), each with its own tree's vgpu
# preloaded.  Per metric: median of each side, ratio new/base of the
# medians, the median of each round's own new/base (its two runs follow
# each other, so share the machine's load), the ratio of each side's best
# run (the one least disturbed by other load), min..max.  Besides the times bench_gemm prints, each run's
# process CPU time (user+sys of all its threads, from wait4()) is
# reported.  It leaves out time spent waiting for a core but not a slower
# core (a busy SMT sibling, a lower clock, shared caches), so on a shared
# machine it can be as noisy as wall time.  It covers the whole process
# (3 GEMMs, 2 GEMVs, the CPU reference GEMM and set-up), not the GEMM
# alone.
#
# --instr: a deterministic measure.  Each tree's bench_gemm runs once under
# valgrind --tool=callgrind, collecting only inside the vgpu's
# shader_dispatch_run (the shader core's execution of one dispatch: decode,
# waves, memory accesses; present under this name at every revision since
# the shader core exists) and dumping after each call, so each dump holds
# the instructions (Ir) of exactly one dispatch.  Callgrind's collection
# state is per thread: the library's thread waiting for the fence is not
# counted.  bench_gemm makes 5 dispatches: GEMM (warm-up, fills the
# icache), GEMM, GEMM, GEMV (warm-up), GEMV.  Ir per lane multiply-add of
# the timed GEMM and GEMV is the noise-free speed proxy (Ir is not time:
# cache misses and branch mispredictions are not in it).
# --keep DIR keeps each run's numbers (DIR/base.dat, DIR/new.dat: one run
# a line, the columns of the table below in its order) and, with --instr,
# the callgrind dumps (DIR/base/cg.out.N, DIR/new/..., for
# callgrind_annotate).
#
# Exit status: 0 after printing the comparison, 2 (with one line on
# stderr) on a bad revision, a failed build or a failed run.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
me=bench-compare

die() { echo "$me: $*" >&2; exit 2; }

usage="usage: sh tools/bench-compare.sh BASE_REV [--runs N] [--instr] [--keep DIR]"
rev='' runs=9 instr=0 keep=''
while [ $# -gt 0 ]; do
	case $1 in
	--runs)
		[ $# -ge 2 ] || die "$usage"
		runs=$2
		shift 2
		;;
	--runs=*) runs=${1#--runs=}; shift ;;
	--instr) instr=1; shift ;;
	--keep)
		[ $# -ge 2 ] || die "$usage"
		keep=$2
		shift 2
		;;
	-h | --help) echo "$usage"; exit 0 ;;
	-*) die "unknown option $1 ($usage)" ;;
	*)
		[ -z "$rev" ] || die "one BASE_REV only ($usage)"
		rev=$1
		shift
		;;
	esac
done
[ -n "$rev" ] || die "$usage"
case $runs in '' | *[!0-9]* | 0) die "--runs needs a positive integer, not '$runs'" ;; esac

base=$(git -C "$top" rev-parse --verify --quiet "$rev^{commit}") ||
	die "'$rev' is not a commit of the repository at $top"
base_short=$(git -C "$top" rev-parse --short "$base")
new_short=$(git -C "$top" rev-parse --short HEAD)
if [ -n "$(git -C "$top" status --porcelain --untracked-files=no)" ]; then
	new_label="$new_short + uncommitted changes (working tree)"
else
	new_label="$new_short (working tree)"
fi
if [ "$instr" = 1 ] && ! command -v valgrind >/dev/null 2>&1; then
	die "--instr needs valgrind, which is not installed"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-compare.XXXXXX") || die "mktemp failed"
inst=bench-compare-$$
wt=$tmp/base
cleanup() {
	if [ -d "$wt" ]; then
		git -C "$top" worktree remove --force "$wt" >/dev/null 2>&1
	fi
	git -C "$top" worktree prune >/dev/null 2>&1
	rm -rf "$tmp"
	rm -f /dev/shm/amdbare-vgpu-"$inst"*
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

git -C "$top" worktree add --detach "$wt" "$base" >"$tmp/worktree.log" 2>&1 ||
	die "git worktree add of $base_short failed: $(tail -n 1 "$tmp/worktree.log")"

# build TREE LABEL: the two targets bench_gemm needs.  A failed build's log
# is kept in ${TMPDIR:-/tmp} (the temporary directory is removed on exit).
targets="build/bench/bench_gemm build/libamdbare-vgpu.so"
build() {
	log=$tmp/build-$2.log
	# Default flags at both trees: a SANITIZE/OPT/CFLAGS/BUILD of the
	# caller's environment would make the two builds differ from `make`.
	# shellcheck disable=SC2086 # $targets is a list
	if ! (cd "$1" && env -u SANITIZE -u OPT -u CFLAGS -u BUILD \
		nice -n 10 make -j2 $targets) >"$log" 2>&1; then
		kept=${TMPDIR:-/tmp}/$me-build-$2-$$.log
		cp "$log" "$kept"
		die "build of $2 failed (make -j2 $targets; log: $kept)"
	fi
	for t in $targets; do
		[ -f "$1/$t" ] || die "build of $2 made no $t (make target names changed?)"
	done
}
build "$wt" "base-$base_short"
build "$top" "new-$new_short"

# bench_gemm's source and the 780M's (gfx1103) GEMM/GEMV kernel objects it
# runs: when they differ, the comparison measures them too.
notes=
for f in tests/bench/bench_gemm.c kernels/bin/gemm-gfx1103.co kernels/bin/gemv-gfx1103.co; do
	if ! git -C "$top" diff --quiet "$base" -- "$f" 2>/dev/null; then
		notes="$notes $f"
	fi
done

# The wall-clock and CPU-time wrapper: runs argv[2..], writes
# "<user us> <sys us> <wall us>" of that process (its threads included) to
# argv[1] and exits with its status.
cat >"$tmp/rusage.c" <<'EOF'
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	int st;
	struct rusage ru;
	if (wait4(pid, &st, 0, &ru) < 0) {
		perror("wait4");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	FILE *f = fopen(argv[1], "w");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	fprintf(f, "%lld %lld %lld\n",
		(long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec,
		(long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec,
		((long long)t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000);
	fclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
EOF
${CC:-cc} -O2 -std=c11 -D_GNU_SOURCE -o "$tmp/rusage" "$tmp/rusage.c" 2>"$tmp/rusage.log" ||
	die "the CPU-time wrapper did not compile: $(head -n 1 "$tmp/rusage.log")"

# parse OUT: bench_gemm's output -> "<GEMM lane-MACs> <GEMM ms> <CPU ref ms>
# <GEMV lane-ops> <GEMV ms>" (the times bench_gemm prints with 0.1 ms
# resolution; the rates are derived from them, which keeps more digits
# than the rates it prints).
parse() {
	awk '
	/\(amdbare_gemm, total\)/ {
		split($1, s, "x"); gm = s[1] * s[2] * s[3]
		for (i = 2; i <= NF; i++) if ($i == "ms") gt = $(i - 1)
	}
	/CPU reference GEMM, same shape/ { for (i = 2; i <= NF; i++) if ($i == "ms") ct = $(i - 1) }
	$1 == "GEMV" && $2 ~ /^[0-9]+x[0-9]+$/ { split($2, s, "x"); vm = s[1] * s[2]; vt = $4 }
	END {
		if (gm == "" || gt == "" || ct == "" || vm == "" || vt == "" || gt <= 0 || vt <= 0) exit 1
		print gm, gt, ct, vm, vt
	}' "$1"
}

# run TREE SIDE I: one bench_gemm run; appends a line to $tmp/SIDE.dat:
# GEMM ms, GEMM lane-MACs/s, GEMV ms, GEMV lane-ops/s, CPU ref ms,
# process CPU s, process wall s.
run() {
	out=$tmp/out-$2-$3
	AMDBARE_VGPU_INSTANCE=$inst-$2 nice -n 10 "$tmp/rusage" "$out.ru" \
		env LD_PRELOAD="$1/build/libamdbare-vgpu.so" "$1/build/bench/bench_gemm" \
		>"$out" 2>"$out.err" ||
		die "$2 bench_gemm run $3 failed: $(cat "$out.err" "$out" | head -n 1)"
	rm -f /dev/shm/amdbare-vgpu-"$inst-$2"*
	p=$(parse "$out") || die "$2 bench_gemm run $3: output not understood ($(head -n 2 "$out" | tail -n 1))"
	# shellcheck disable=SC2046,SC2086 # split into the numbers
	set -- $p $(cat "$out.ru")
	awk -v gm="$1" -v gt="$2" -v ct="$3" -v vm="$4" -v vt="$5" -v u="$6" -v s="$7" -v w="$8" \
		'BEGIN { printf "%s %.6g %s %.6g %s %.6f %.6f\n", gt, gm / gt * 1e3, vt, vm / vt * 1e3, ct, (u + s) / 1e6, w / 1e6 }'
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$tmp/base.dat"
: >"$tmp/new.dat"
i=1
while [ "$i" -le "$runs" ]; do
	if [ $((i % 2)) = 1 ]; then
		run "$wt" base "$i" >>"$tmp/base.dat" || exit 2
		run "$top" new "$i" >>"$tmp/new.dat" || exit 2
	else
		run "$top" new "$i" >>"$tmp/new.dat" || exit 2
		run "$wt" base "$i" >>"$tmp/base.dat" || exit 2
	fi
	i=$((i + 1))
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
shape=$(parse "$tmp/out-new-1")
# shellcheck disable=SC2086 # split into the numbers
set -- $shape
gemm_shape=$(sed -n 's/^ *\([0-9]*x[0-9]*x[0-9]*\) f16 GEMM.*/\1/p' "$tmp/out-new-1")
gemv_shape=$(sed -n 's/^ *GEMV \([0-9]*x[0-9]*\) f16.*/\1/p' "$tmp/out-new-1")

# stat SIDE COLUMN -> "<median> <min> <max>"
stat() {
	cut -d' ' -f"$2" "$tmp/$1.dat" | sort -g | awk '{ a[NR] = $1 }
	END { m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; print m, a[1], a[NR] }'
}
# paired COLUMN -> median over the rounds of new/base of the round's two
# runs (run back to back, so under much the same load)
paired() {
	paste -d' ' "$tmp/base.dat" "$tmp/new.dat" | awk -v c="$1" '{ print $(c + 7) / $c }' |
		sort -g | awk '{ a[NR] = $1 }
	END { print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
row() { # COLUMN LABEL HIGHER_IS_BETTER(0 or 1)
	# shellcheck disable=SC2046 # split into the numbers
	set -- "$2" "$3" $(stat base "$1") $(stat new "$1") $(paired "$1")
	awk -v l="$1" -v hib="$2" -v bm="$3" -v b0="$4" -v b1="$5" -v nm="$6" -v n0="$7" -v n1="$8" \
		-v pr="$9" 'BEGIN {
		printf "  %-46s %11.4g %11.4g %8.3f %8.3f %8.3f   %.4g..%.4g / %.4g..%.4g\n", l, bm, nm,
			nm / bm, pr, hib ? n1 / b1 : n0 / b0, b0, b1, n0, n1 }'
}

echo "bench_gemm, base $base_short ($(git -C "$top" log -1 --format=%cs "$base")) against new $new_label"
echo "$runs runs of each, alternating (order swapped every round), nice -n 10, each with its own tree's vgpu (780M profile)"
echo "this machine: $(nproc) cores, load average $load_start at the start, $load_end at the end"
if [ -n "$notes" ]; then
	echo "note: differs between the two trees (so it is measured too):$notes"
else
	echo "tests/bench/bench_gemm.c and the gfx1103 gemm/gemv code objects are the same in both trees"
fi
echo "wall clock as bench_gemm measures it (per call, after a warm-up call); process CPU = user+sys of the whole bench_gemm process"
printf "  %-46s %11s %11s %8s %8s %8s   %s\n" metric "base median" "new median" new/base paired \
	best-run "min..max base / new"
row 1 "GEMM $gemm_shape f16, ms per call (wall)" 0
row 2 "GEMM lane-MACs/s (wall)" 1
row 3 "GEMV $gemv_shape f16, ms (wall)" 0
row 4 "GEMV lane-ops/s (wall)" 1
row 5 "CPU reference GEMM, ms (same C code)" 0
row 6 "process CPU s (user+sys, whole run)" 0
row 7 "process wall s (whole run)" 0
echo "(new/base: of the medians; paired: median of each round's new/base (the two runs of a round"
echo " follow each other, so share the machine's load); best-run: of each side's fastest run, the"
echo " least disturbed by other load; rates: > 1 = new faster; times: < 1 = new faster)"
if [ -n "$keep" ]; then
	if ! { mkdir -p "$keep" && cp "$tmp/base.dat" "$tmp/new.dat" "$keep/"; }; then
		die "could not copy the runs' numbers to $keep"
	fi
fi
[ "$instr" = 1 ] || exit 0

# cg TREE SIDE: one callgrind run; prints the Ir of each dispatch.
cg() {
	so=$1/build/libamdbare-vgpu.so
	nm "$so" 2>/dev/null | grep -q ' [Tt] shader_dispatch_run$' ||
		die "$2: the vgpu ($so) has no shader_dispatch_run to measure"
	mkdir -p "$tmp/cg-$2"
	# The vgpu's job watchdog (10 s like the kernel's lockup timeout) is
	# too short for a dispatch simulated under valgrind.
	AMDBARE_VGPU_TIMEOUT_MS=600000 AMDBARE_VGPU_INSTANCE=$inst-cg-$2 LD_PRELOAD=$so \
		nice -n 10 valgrind --tool=callgrind --callgrind-out-file="$tmp/cg-$2/cg.out" \
		--toggle-collect=shader_dispatch_run --dump-after=shader_dispatch_run \
		"$1/build/bench/bench_gemm" >"$tmp/cg-$2.out" 2>"$tmp/cg-$2.err" ||
		die "$2 bench_gemm under callgrind failed: $(grep -v '^==' "$tmp/cg-$2.err" | head -n 1)"
	rm -f /dev/shm/amdbare-vgpu-"$inst-cg-$2"*
	n=1
	while [ -f "$tmp/cg-$2/cg.out.$n" ]; do
		sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$tmp/cg-$2/cg.out.$n"
		n=$((n + 1))
	done
	if [ -n "$keep" ]; then
		if ! { mkdir -p "$keep/$2" && cp "$tmp/cg-$2"/cg.out* "$keep/$2/"; }; then
			die "could not copy the callgrind dumps to $keep/$2"
		fi
	fi
}
cg "$wt" base >"$tmp/ir-base" || exit 2
cg "$top" new >"$tmp/ir-new" || exit 2
for side in base new; do
	[ "$(wc -l <"$tmp/ir-$side")" = 5 ] ||
		die "$side: expected 5 dispatches (3 GEMM, 2 GEMV) under callgrind, got $(wc -l <"$tmp/ir-$side")"
done
echo
echo "instructions (callgrind Ir, one run each), inclusive in the vgpu's shader_dispatch_run, per dispatch"
echo "of the $gemm_shape f16 GEMM and the $gemv_shape f16 GEMV:"
printf "  %-46s %14s %14s %8s\n" metric base new new/base
paste "$tmp/ir-base" "$tmp/ir-new" | awk -v gm="$1" -v vm="$4" '
	{ b[NR] = $1; n[NR] = $2 }
	function row(l, x, y, f) { printf "  %-46s " f " " f " %8.4f\n", l, x, y, y / x }
	END {
		row("GEMM dispatch 1 (warm-up, icache fill)", b[1], n[1], "%14d")
		row("GEMM dispatch 2 (timed)", b[2], n[2], "%14d")
		row("GEMM Ir per lane-MAC (dispatch 2)", b[2] / gm, n[2] / gm, "%14.3f")
		row("GEMV dispatch 1 (warm-up)", b[4], n[4], "%14d")
		row("GEMV dispatch 2 (timed)", b[5], n[5], "%14d")
		row("GEMV Ir per lane-op (dispatch 2)", b[5] / vm, n[5] / vm, "%14.3f")
		if (b[2] != b[3] || n[2] != n[3])
			print "  note: GEMM dispatches 2 and 3 differ (" b[2] "/" b[3] " base, " n[2] "/" n[3] " new)"
		else
			print "  (GEMM dispatches 2 and 3 count the same at each side: the measure repeats exactly)"
	}'
echo "(Ir: new/base < 1 = fewer instructions in the shader core)"
