#!/bin/sh
# Benchmark (not a test): `amdbare load` of a generated ~1 GiB safetensors
# file on the vgpu, twice per round: on a fresh device (its instance just
# created: the host has to allocate every page of the VRAM pool, see
# docs/vgpu-memory.md) and again on the same device (the VRAM pool's pages
# exist, as real VRAM exists before any BO: the steady state of a machine
# that loads models), against two baselines measured on the same file in
# the same run:
#   cp FILE /dev/shm/       the kernel copying page cache into fresh tmpfs
#                           pages (read + write, no checksum)
#   numpy.fromfile          /usr/bin/python3 reading the tensor bytes into
#                           one anonymous array (what "load into system RAM"
#                           means for most users)
# Each is run ROUNDS times, alternating, and the best time counts (the
# machine is shared; the best run is the least disturbed one).  Peak
# memory: getrusage's maxrss (which counts the vgpu's shared BO pages too)
# and, for the load, the peak anonymous RSS sampled from /proc.
#
# The load runs with --no-verify: the GPU checksum runs on the vgpu's
# emulated shader core (minutes for 1 GiB); the CPU checksum of every
# tensor is still computed while streaming.
#
#   sh tests/bench/bench_load.sh [BUILD_DIR] [SIZE_MIB] [ROUNDS]
set -eu
BUILD=${1:-build}
MIB=${2:-1024}
ROUNDS=${3:-3}
CLI=$BUILD/amdbare
case $BUILD in /*) VGPU=$BUILD/libamdbare-vgpu.so ;; *) VGPU=$(pwd)/$BUILD/libamdbare-vgpu.so ;; esac
PY=/usr/bin/python3
[ -x "$CLI" ] || { echo "bench_load.sh: $CLI not built (make)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench_load.sh: /usr/bin/time missing; skipped" >&2; exit 0; }
TMP=$(mktemp -d)
INST=bench-load-$$
SHM=/dev/shm/amdbare-bench-load-$$
cleanup() { rm -rf "$TMP"; rm -f "$SHM" /dev/shm/amdbare-vgpu-$INST*; }
trap cleanup EXIT
FILE=$TMP/model.safetensors

# 8 f16 tensors; contents do not matter for the speed, only their size.
env -u LD_PRELOAD "$PY" - "$FILE" "$MIB" <<'EOF'
import json, struct, sys
path, mib = sys.argv[1], int(sys.argv[2])
n = 8
per = (mib << 20) // n
hdr, off = {"__metadata__": {"writer": "bench_load"}}, 0
for i in range(n):
    hdr["layer.%d.weight" % i] = {"dtype": "F16", "shape": [per // 2], "data_offsets": [off, off + per]}
    off += per
h = json.dumps(hdr).encode()
h += b" " * ((8 - (len(h) + 8) % 8) % 8)
block = bytes((i * 7 + 3) & 0xFF for i in range(1 << 20))
with open(path, "wb") as f:
    f.write(struct.pack("<Q", len(h)))
    f.write(h)
    left = off
    while left:
        k = min(left, len(block))
        f.write(block[:k])
        left -= k

EOF
HDR=$(env -u LD_PRELOAD "$PY" -c "import struct,sys; print(8 + struct.unpack('<Q', open(sys.argv[1],'rb').read(8))[0])" "$FILE")
BYTES=$(($(stat -c %s "$FILE") - HDR))
cat "$FILE" >/dev/null # page cache warm for everyone

# best_of VAR-PREFIX: runs "$@" under /usr/bin/time, keeps the smallest
# elapsed time and the largest maxrss.
c_load= c_cp= c_np= c_staged= c_fresh=
t_load= t_cp= t_np= t_staged= t_fresh= r_load= r_cp= r_np= r_staged= r_fresh= anon_load=0 stream_load= stream_fresh=
keep_best() { # name elapsed maxrss user sys
	eval "cur=\${t_$1}"
	if [ -z "$cur" ] || [ "$(echo "$2 < $cur" | env -u LD_PRELOAD awk '{print ($1 < $3)}')" = 1 ]; then
		eval "t_$1=$2"
	fi
	# CPU seconds (user + sys): what the run cost, whatever else the
	# shared machine was running meanwhile; the smallest counts
	c=$(echo "$4 $5" | env -u LD_PRELOAD awk '{printf "%.2f", $1 + $2}')
	eval "cur=\${c_$1}"
	if [ -z "$cur" ] || [ "$(echo "$c < $cur" | env -u LD_PRELOAD awk '{print ($1 < $3)}')" = 1 ]; then
		eval "c_$1=$c"
	fi
	eval "curr=\${r_$1}"
	if [ -z "$curr" ] || [ "$3" -gt "$curr" ]; then eval "r_$1=$3"; fi
}

# Samples the peak RssAnon (KiB) of the child of pid $1 (the program
# /usr/bin/time runs) until $1 is a zombie or gone.
sample_anon() {
	peak=0
	while :; do
		st=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null || true)
		case "$st" in "" | Z) break ;; esac
		for c in $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
			a=$(sed -n 's/^RssAnon:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$c/status" 2>/dev/null || true)
			[ -n "$a" ] && [ "$a" -gt "$peak" ] && peak=$a
		done
		sleep 0.02
	done
	echo "$peak"
}

i=0
while [ $i -lt "$ROUNDS" ]; do
	i=$((i + 1))
	# amdbare load (on the vgpu, whose VRAM BOs are pages of its VRAM
	# pool in /dev/shm): first on a fresh device, then again on it
	rm -f /dev/shm/amdbare-vgpu-$INST*
	for dev in fresh load; do
		env AMDBARE_VGPU_INSTANCE=$INST LD_PRELOAD="$VGPU" /usr/bin/time -f "%e %M %U %S" -o "$TMP/time" \
			"$CLI" load "$FILE" --no-verify --quiet --json >"$TMP/load.json" &
		pid=$!
		anon=$(sample_anon $pid)
		wait $pid || { echo "bench_load.sh: the load failed:" >&2; cat "$TMP/load.json" >&2; exit 1; }
		set -- $(cat "$TMP/time")
		keep_best $dev "$1" "$2" "$3" "$4"
		[ "$anon" -gt "$anon_load" ] && anon_load=$anon
		s=$(sed -n 's/.*"stream_us": \([0-9]*\).*/\1/p' "$TMP/load.json")
		eval "cur=\${stream_$dev}"
		if [ -z "$cur" ] || [ "$s" -lt "$cur" ]; then eval "stream_$dev=$s"; fi
	done

	# the same load with VRAM filled by the copy engine (GTT staging ring +
	# SDMA): the path for CPU-invisible VRAM; on the vgpu the emulated
	# engine writes BO pages through the kernel (pwrite), not CPU faults;
	# on the device the loads above used
	env AMDBARE_VGPU_INSTANCE=$INST LD_PRELOAD="$VGPU" /usr/bin/time -f "%e %M %U %S" -o "$TMP/time" \
		"$CLI" load "$FILE" --no-verify --quiet --stage-vram --chunk 1M >/dev/null ||
		{ echo "bench_load.sh: the staged load failed" >&2; exit 1; }
	set -- $(cat "$TMP/time")
	keep_best staged "$1" "$2" "$3" "$4"

	# cp into tmpfs
	rm -f "$SHM"
	/usr/bin/time -f "%e %M %U %S" -o "$TMP/time" cp "$FILE" "$SHM"
	set -- $(cat "$TMP/time")
	keep_best cp "$1" "$2" "$3" "$4"
	rm -f "$SHM"

	# numpy.fromfile of the tensor bytes
	if env -u LD_PRELOAD "$PY" -c "import numpy" 2>/dev/null; then
		env -u LD_PRELOAD /usr/bin/time -f "%e %M %U %S" -o "$TMP/time" "$PY" -c "
import numpy as np, sys
a = np.fromfile(sys.argv[1], dtype=np.uint8, offset=int(sys.argv[2]))
assert a.size == int(sys.argv[3])" "$FILE" "$HDR" "$BYTES"
		set -- $(cat "$TMP/time")
		keep_best np "$1" "$2" "$3" "$4"
	fi
done

env -u LD_PRELOAD awk -v bytes="$BYTES" -v tl="$t_load" -v tc="$t_cp" -v tn="${t_np:-0}" \
	-v rl="$r_load" -v rc="$r_cp" -v rn="${r_np:-0}" -v al="$anon_load" -v sl="$stream_load" \
	-v rounds="$ROUNDS" -v ts="$t_staged" -v rs="$r_staged" \
	-v tf="$t_fresh" -v rf="$r_fresh" -v sf="$stream_fresh" \
	-v load="$(cut -d' ' -f1-3 /proc/loadavg)" -v cl="$c_load" -v cf="$c_fresh" -v cs="$c_staged" -v cc="$c_cp" -v cn="${c_np:-0}" 'BEGIN {
	gb = bytes / 1e9
	printf "file: %.2f GiB of tensor data, page cache warm; best of %d runs each\n", bytes / 1073741824, rounds
	printf "%-34s %9s %9s %14s\n", "", "seconds", "GB/s", "peak RSS"
	printf "%-34s %9.2f %9.2f %11d KiB   (anonymous: %d KiB)\n", "amdbare load (vgpu, whole process)", tl, gb / tl, rl, al
	printf "%-34s %9.2f %9.2f\n", "  of which streaming", sl / 1e6, gb / (sl / 1e6)
	printf "%-34s %9.2f %9.2f %11d KiB\n", "  same, first load on a fresh device", tf, gb / tf, rf
	printf "%-34s %9.2f %9.2f\n", "    of which streaming", sf / 1e6, gb / (sf / 1e6)
	printf "%-34s %9.2f %9.2f %11d KiB\n", "amdbare load --stage-vram (SDMA)", ts, gb / ts, rs
	printf "%-34s %9.2f %9.2f %11d KiB\n", "cp FILE /dev/shm/", tc, gb / tc, rc
	if (tn > 0)
		printf "%-34s %9.2f %9.2f %11d KiB\n", "numpy.fromfile", tn, gb / tn, rn
	printf "ratio: load / cp = %.2fx the speed", tc / tl
	if (tn > 0)
		printf ", load / numpy = %.2fx", tn / tl
	printf "  (streaming alone: %.2fx cp; staged through SDMA: %.2fx cp)\n", tc / (sl / 1e6), tc / ts
	printf "first load on a fresh device: %.2fx cp (streaming alone: %.2fx cp)\n", tc / tf, tc / (sf / 1e6)
	printf "CPU seconds (user + sys, best run): load %.2f, fresh device %.2f, staged %.2f, cp %.2f",
		cl, cf, cs, cc
	if (tn > 0)
		printf ", numpy %.2f", cn
	printf "\n  load / cp by CPU time: %.2fx (fresh device: %.2fx); wall-clock ratios\n", cc / cl, cc / cf
	printf "  suffer more than CPU ones when other work shares the cores (load average %s)\n", load
	printf "(the load runs on a device whose VRAM pool pages exist, as real VRAM does; on a fresh\n"
	printf " device the host first allocates and zeroes every page the load writes)\n"
	printf "(the load maxrss counts the BO pages it filled: they are the vgpu'\''s VRAM pool files, not anonymous memory)\n"
}'

# Where the load's CPU time goes, per GB: the library's own work (checksum,
# copies, its pread of the file) apart from what the vgpu's memory costs
# (allocating, zeroing and freeing the BO pages: the MADV_POPULATE_WRITE,
# page faults, munmap and close of the memfds).  CPU seconds come from
# /usr/bin/time (user + sys) of one more load; the split from a perf
# profile of another, by the inclusive share of those entry points.  Both
# run on a device that has loaded the file once already (the measured
# load's case).  Needs perf with permission to profile this user's
# processes; skipped otherwise.
if command -v perf >/dev/null 2>&1 &&
	perf record -q -o "$TMP/probe.data" -- true >/dev/null 2>&1; then
	rm -f /dev/shm/amdbare-vgpu-$INST*
	env AMDBARE_VGPU_INSTANCE=$INST LD_PRELOAD="$VGPU" "$CLI" load "$FILE" --no-verify --quiet >/dev/null
	env AMDBARE_VGPU_INSTANCE=$INST LD_PRELOAD="$VGPU" /usr/bin/time -f "%U %S" -o "$TMP/cpu" \
		"$CLI" load "$FILE" --no-verify --quiet >/dev/null
	env AMDBARE_VGPU_INSTANCE=$INST LD_PRELOAD="$VGPU" perf record -q -g -o "$TMP/perf.data" \
		"$CLI" load "$FILE" --no-verify --quiet >/dev/null 2>&1
	rm -f /dev/shm/amdbare-vgpu-$INST*
	perf report -i "$TMP/perf.data" --children --sort sym --stdio -g none 2>/dev/null |
		env -u LD_PRELOAD awk -v bytes="$BYTES" -v cpu="$(cat "$TMP/cpu")" '
	function pct(s) { sub(/%/, "", s); return s + 0 }
	/^#/ || NF < 4 { next }
	{ name = $NF; c = pct($1) }
	name == "amdbare_checksum_update" { sum_ck = c }
	name ~ /^__memmove|^__memcpy/ { if (c > sum_mv) sum_mv = c }
	name == "__x64_sys_pread64" { sum_rd = c }
	name == "__x64_sys_madvise" { v_pop = c }
	name == "asm_exc_page_fault" { v_flt = c }
	name == "__x64_sys_munmap" { v_unmap = c }
	name == "__x64_sys_close" { v_close = c }
	END {
		split(cpu, t, " "); total = t[1] + t[2]; gb = bytes / 1e9
		lib = sum_ck + sum_mv + sum_rd; dev = v_pop + v_flt + v_unmap + v_close
		printf "CPU time of one load: %.2f s (user %.2f, sys %.2f), %.2f s per GB\n", total, t[1], t[2], total / gb
		printf "  library (checksum %.0f%%, copies %.0f%%, file reads %.0f%%): %.2f s per GB\n",
			sum_ck, sum_mv, sum_rd, total * lib / 100 / gb
		printf "  vgpu memory (populate %.0f%%, faults %.0f%%, munmap %.0f%%, close %.0f%%): %.2f s per GB\n",
			v_pop, v_flt, v_unmap, v_close, total * dev / 100 / gb
		printf "  (shares of perf samples, inclusive; the rest is process setup and the vgpu'\''s ioctls)\n"
	}'
else
	echo "(CPU split of the load: perf not available or not permitted here; skipped)"
fi
