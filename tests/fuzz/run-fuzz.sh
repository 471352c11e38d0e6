#!/bin/sh
# Builds the code-object fuzzers with clang-19's libFuzzer, ASan and UBSan
# and runs each for the given number of seconds (default 30) on a copy of
# its seed corpus (the checked-in seeds are not modified).
#   tests/fuzz/run-fuzz.sh [seconds] [target...]
#   targets: codeobj msgpack safetensors gguf safetensors_index
#            vgpu_pm4 vgpu_sdma vgpu_cmd trace
# Crash inputs are left in $OUT (default build/fuzz); the exit status is
# non-zero when any target found something.
# Long runs (docs/fuzzing.md): FUZZ_RUNS=N stops each target after N
# executions (the seconds stay a cap).
set -u
secs=${1:-30}
[ $# -gt 0 ] && shift
targets=${*:-codeobj msgpack safetensors gguf safetensors_index vgpu_pm4 vgpu_sdma vgpu_cmd trace}
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${OUT:-$top/build/fuzz}
mkdir -p "$out"
CC=${FUZZ_CC:-clang-19}
flags="-std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
inc="-I$top/include -I$top/src $(pkg-config --cflags libelf)"
lib_src="$top/src/codeobj/load.c $top/src/codeobj/elf.c $top/src/codeobj/metadata.c
	 $top/src/codeobj/descriptor.c $top/src/codeobj/target.c $top/src/codeobj/msgpack.c $top/src/util/error.c"
# The model-file targets need only the parsers (no libelf).
model_src="$top/src/util/dtype.c $top/src/model/json.c $top/src/model/index.c $top/src/model/safetensors.c
	 $top/src/model/gguf.c $top/src/model/shards.c $top/src/model/open.c $top/src/util/error.c"
# The trace decoder: itself, the generation tables it names packets from,
# and the error text (regs_select.c needs the libdrm headers to compile).
trace_src="$top/src/trace/decode.c $top/src/gfx/reg_names.c $top/src/gfx/regs_gfx11.c $top/src/gfx/regs_gfx103.c
	 $top/src/gfx/regs_gfx9.c
	 $top/src/gfx/regs_select.c $top/src/util/error.c"
# The vgpu targets (docs/fuzzing.md) link the vgpu's own sources (it shares no code with the library) minus its libc
# interposers, which would interpose libFuzzer's own open/stat/mmap.
vgpu_src=$(ls "$top"/tools/vgpu/*/*.c | grep -v '/boundary/interpose_')
vgpu_inc="-I$top/tools/vgpu -I/usr/include/libdrm"
vgpu_objs=$out/vgpu-obj
# The vgpu's objects, compiled once per $OUT for all three vgpu targets
# (again when a vgpu source changed): two compilers at a time.
vgpu_build() {
	stamp=$vgpu_objs/.built
	if [ -f "$stamp" ] && [ -z "$(find "$top/tools/vgpu" -name '*.[ch]' -newer "$stamp")" ]; then
		return 0
	fi
	rm -rf "$vgpu_objs" && mkdir -p "$vgpu_objs" || return 1
	# shellcheck disable=SC2086
	printf '%s\n' $vgpu_src | xargs -P 2 -I{} sh -c \
		'$0 $1 $2 -c "{}" -o "$3/$(basename "$(dirname "{}")")_$(basename "{}" .c).o"' "$CC" "$flags" "$vgpu_inc" "$vgpu_objs" &&
		touch "$stamp"
}
runs_opt=
[ -n "${FUZZ_RUNS:-}" ] && runs_opt="-runs=$FUZZ_RUNS"
status=0
for t in $targets; do
	bin=$out/fuzz_$t
	tinc=$inc extra= asan=detect_leaks=1
	case $t in
	safetensors|gguf|safetensors_index) src=$model_src; libs= ;;
	trace) src=$trace_src; libs=; tinc="$inc $(pkg-config --cflags libdrm libdrm_amdgpu)" ;;
	vgpu_*)
		if ! vgpu_build; then
			echo "run-fuzz: building the vgpu for fuzz_$t failed" >&2
			exit 2
		fi
		src=$(ls "$vgpu_objs"/*.o); tinc=$vgpu_inc; libs="-ldl -lpthread -lrt -lm"
		# Fault messages go to stderr once per faulting input: closed
		# (libFuzzer keeps its own and the sanitizers' reports).  A
		# single input may not take 10 s (the watchdog ends hangs).
		extra="-close_fd_mask=2 -timeout=10"
		# The shader core allocates ~2 MB per dispatch: a smaller
		# quarantine (freed blocks recycled sooner) halves the cost
		# of each run; a use after free inside one run is still seen.
		asan="$asan:quarantine_size_mb=16" ;;
	*) src=$lib_src; libs=$(pkg-config --libs libelf) ;;
	esac
	# shellcheck disable=SC2086
	if ! $CC $flags $tinc -o "$bin" "$top/tests/fuzz/fuzz_$t.c" $src $libs; then
		echo "run-fuzz: building fuzz_$t failed" >&2
		exit 2
	fi
	corpus=$out/corpus_$t
	mkdir -p "$corpus"
	cp "$top/tests/fuzz/corpus_$t"/* "$corpus"/ 2>/dev/null
	echo "== fuzz_$t for ${secs}s${FUZZ_RUNS:+ or $FUZZ_RUNS runs}"
	# shellcheck disable=SC2086
	if ASAN_OPTIONS=$asan "$bin" -max_total_time="$secs" -max_len=65536 $runs_opt $extra \
		-artifact_prefix="$out/crash-$t-" -print_final_stats=1 "$corpus" >"$out/fuzz_$t.log" 2>&1; then
		grep -E "^stat::number_of_executed_units|^stat::peak_rss|Done [0-9]+ runs" "$out/fuzz_$t.log"
		echo "fuzz_$t: ok"
	else
		tail -n 40 "$out/fuzz_$t.log"
		echo "fuzz_$t: FOUND A PROBLEM (see $out/fuzz_$t.log, crash-$t-*)"
		status=1
	fi
done
exit $status
