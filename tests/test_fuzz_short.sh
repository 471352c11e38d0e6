#!/bin/sh
# Short libFuzzer runs of the code-object loader, the msgpack reader and
# the model-file parsers (safetensors, GGUF, shard index + JSON) and the
# trace decoder, ~15 s each (FUZZ_SECONDS to change), and of the vgpu's command processors
# (PM4 and SDMA decoders directly, both through the CS ioctl), ~8 s each
# (FUZZ_VGPU_SECONDS).  Needs clang-19 with its libFuzzer
# runtime (Debian: libclang-rt-19-dev); skips, saying so, when missing.
# Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${FUZZ_SECONDS:-15}
vgpu_secs=${FUZZ_VGPU_SECONDS:-8}
# fuzz_vgpu_cmd's watchdog (its ring thread): a hanging input costs this.
export AMDBARE_VGPU_TIMEOUT_MS=${AMDBARE_VGPU_TIMEOUT_MS:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The fuzzers must not run with the vgpu preloaded: they touch no device,
# and libFuzzer/ASan do not want a foreign interposer in the process.
unset LD_PRELOAD

probe=$out/probe.c
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$probe"
if ! command -v clang-19 >/dev/null 2>&1 ||
   ! clang-19 -fsanitize=fuzzer,address,undefined "$probe" -o "$out/probe" >/dev/null 2>&1; then
	echo "SKIP: clang-19 with the libFuzzer runtime is not installed (apt-get install clang-19 libclang-rt-19-dev)"
	echo "0 passed, 0 failed"
	exit 0
fi

passed=0 failed=0
for t in codeobj msgpack safetensors gguf safetensors_index trace vgpu_pm4 vgpu_sdma vgpu_cmd; do
	s=$secs
	case $t in vgpu_*) s=$vgpu_secs ;; esac
	if OUT=$out sh "$top/tests/fuzz/run-fuzz.sh" "$s" "$t"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
