#!/bin/sh
# Builds the code-object fuzzers with clang-19's libFuzzer, ASan and UBSan
# and runs each for the given number of seconds (default 30) on a copy of
# its seed corpus (the checked-in seeds are not modified).
#   tests/fuzz/run-fuzz.sh [seconds] [target...]
#   targets: codeobj msgpack safetensors gguf safetensors_index
# Crash inputs are left in $OUT (default build/fuzz); the exit status is
# non-zero when any target found something.
set -u
secs=${1:-30}
[ $# -gt 0 ] && shift
targets=${*:-codeobj msgpack safetensors gguf safetensors_index}
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${OUT:-$top/build/fuzz}
mkdir -p "$out"
CC=${FUZZ_CC:-clang-19}
flags="-std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
inc="-I$top/include -I$top/src $(pkg-config --cflags libelf)"
lib_src="$top/src/codeobj_load.c $top/src/codeobj_elf.c $top/src/codeobj_metadata.c
	 $top/src/codeobj_descriptor.c $top/src/codeobj_target.c $top/src/msgpack.c $top/src/error.c"
# Added by the model-parser helper: the model-file targets need only the
# parsers (no libelf).
model_src="$top/src/dtype.c $top/src/json.c $top/src/model_index.c $top/src/model_safetensors.c
	 $top/src/model_gguf.c $top/src/model_shards.c $top/src/model_open.c $top/src/error.c"
status=0
for t in $targets; do
	bin=$out/fuzz_$t
	case $t in
	safetensors|gguf|safetensors_index) src=$model_src; libs= ;;
	*) src=$lib_src; libs=$(pkg-config --libs libelf) ;;
	esac
	# shellcheck disable=SC2086
	if ! $CC $flags $inc -o "$bin" "$top/tests/fuzz/fuzz_$t.c" $src $libs; then
		echo "run-fuzz: building fuzz_$t failed" >&2
		exit 2
	fi
	corpus=$out/corpus_$t
	mkdir -p "$corpus"
	cp "$top/tests/fuzz/corpus_$t"/* "$corpus"/ 2>/dev/null
	echo "== fuzz_$t for ${secs}s"
	if ASAN_OPTIONS=detect_leaks=1 "$bin" -max_total_time="$secs" -max_len=65536 \
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
