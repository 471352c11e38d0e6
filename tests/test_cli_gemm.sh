#!/bin/sh
# Tests of `amdbare gemm` / `amdbare gemv` (POSIX sh), on the vgpu: --check
# against the CPU reference for every dtype (gemv also q8_0 weights) and
# both transposes, the "emulated" marking of every timing line, the peak
# figures of the profile, and usage errors (exit 2).
# Ends with "N passed, N failed".
t_base=cligemm
. "$(dirname "$0")/lib/common.sh"
t_need_preload "skip: test_cli_gemm.sh runs on the vgpu only (mode $mode)"

# every line with a time or a rate says it was emulated
all_marked() {
	env -u LD_PRELOAD grep -E '^(time|rate|bandwidth) ' "$tmp/out" | env -u LD_PRELOAD grep -v -q 'emulated' && return 1
	out_has '^time .*\[emulated\]'
}

for dt in f16 bf16 f32; do
	# the 780M profile: 12 CUs x 2700 MHz x 512 (WMMA) or 256 (f32 FMA)
	peak="of 16.6 TFLOPS"; [ "$dt" = f32 ] && peak="of 8.3 TFLOPS"
	cli "$CLI" --vgpu 780m gemm --m 70 --n 33 --k 45 --dtype "$dt" --check --iters 2
	if [ $rc -eq 0 ] && out_has "^gemm 70x33x45 $dt" && out_has '^check     ok: 2310 elements' &&
	   out_has "$peak" && all_marked && out_has '^virtual device: Radeon 780M'
	then ok "gemm $dt --check"; else bad "gemm $dt --check" "expected a passing check, marked emulated"; fi
done

cli "$CLI" --vgpu 8060s gemm --m 40 --n 50 --k 60 --dtype bf16 --trans-a --trans-b --check --domain gtt
if [ $rc -eq 0 ] && out_has 'A transposed, B transposed' && out_has 'gfx1151' && out_has 'GTT' &&
   out_has '^check     ok: 2000 elements' && all_marked
then ok "gemm transposes on 8060s"; else bad "gemm transposes on 8060s" "expected a passing check"; fi

cli "$CLI" --vgpu 7900xtx gemv --n 100 --k 300 --dtype f16 --check
if [ $rc -eq 0 ] && out_has '^gemv 100x300 f16' && out_has '^bandwidth .*GB/s of W' &&
   out_has 'of 959.2 GB/s' && out_has '^check     ok: 100 elements' && all_marked
then ok "gemv f16 --check on 7900xtx"; else bad "gemv f16 --check on 7900xtx" "expected a passing check with a bandwidth line"; fi

# GGUF Q8_0 weights: 34-byte blocks, W's bytes = N * K / 32 * 34; K = 1056
# gives lane 0 two blocks per row; the f32 FMA peak of the 890M (16 x 2900
# x 256)
cli "$CLI" --vgpu 890m gemv --n 37 --k 1056 --dtype q8_0 --check --iters 2
if [ $rc -eq 0 ] && out_has '^gemv 37x1056 q8_0 weights, f32 x, f32 y' && out_has 'gfx1150' &&
   out_has 'of 11.9 TFLOPS (f32 FMA' && out_has '^bandwidth .*GB/s of W' &&
   out_has '^check     ok: 37 elements' && all_marked
then ok "gemv q8_0 --check on 890m"; else bad "gemv q8_0 --check on 890m" "expected a passing check"; fi

# gfx10.3 (no WMMA): the f16 GEMM runs gemm.cl's v_dot2_f32_f16 kernel, its
# peak 12 CUs x 2400 MHz x 256 on the 680M; bf16 runs widened f32 FMAs (x
# 128).  A vgpu that does not execute gfx10.3 jobs faults the first one,
# naming the missing command processor: then the command must fail on
# that (exit 1), and the check is skipped, saying so.
for dt in f16:'of 7.4 TFLOPS (v_dot2_f32_f16' bf16:'of 3.7 TFLOPS (f32 FMA, bf16 widened'; do
	t=${dt%%:*} peak=${dt#*:}
	cli "$CLI" --vgpu 680m gemm --m 70 --n 33 --k 45 --dtype "$t" --check --iters 2
	if [ $rc -ne 0 ] && err_has 'gfx10.3 command processor not modelled'; then
		if [ $rc -eq 1 ] && err_has 'guilty'; then
			ok "gemm $t on 680m: SKIP, the vgpu does not execute gfx10.3 jobs yet (the job's fault reported)"
		else
			bad "gemm $t on 680m" "expected exit 1 with the reset of the faulting job"
		fi
	elif [ $rc -eq 0 ] && out_has "^gemm 70x33x45 $t" && out_has 'gfx1035' &&
	     out_has '^check     ok: 2310 elements' && out_has "$peak" && all_marked; then
		ok "gemm $t --check on 680m (gfx1035)"
	else
		bad "gemm $t on 680m" "expected a passing check against the gfx10.3 peak"
	fi
done

cli "$CLI" --vgpu 780m gemv --n 4 --k 48 --dtype q8_0
if [ $rc -eq 2 ] && err_has 'not a multiple of 32'; then ok "gemv q8_0 --k 48"; else bad "gemv q8_0 --k 48" "expected exit 2"; fi

cli "$CLI" --vgpu 780m gemm --m 4 --n 4 --k 32 --dtype q8_0
if [ $rc -eq 2 ] && err_has 'is not f16, bf16 or f32'; then ok "gemm --dtype q8_0"; else bad "gemm --dtype q8_0" "expected exit 2 (q8_0 is a gemv weight type)"; fi

cli "$CLI" --vgpu 780m gemm --m 0 --n 4 --k 4
if [ $rc -eq 2 ] && err_has "'0': below the minimum of 1"; then ok "gemm --m 0"; else bad "gemm --m 0" "expected exit 2"; fi

cli "$CLI" --vgpu 780m gemm --m 4 --n 4
if [ $rc -eq 2 ] && err_has 'are required'; then ok "gemm without --k"; else bad "gemm without --k" "expected exit 2"; fi

cli "$CLI" --vgpu 780m gemm --m 4 --n 4 --k 4 --dtype q4_0
if [ $rc -eq 2 ] && err_has 'is not f16, bf16 or f32'; then ok "gemm --dtype q4_0"; else bad "gemm --dtype q4_0" "expected exit 2"; fi

cli "$CLI" --vgpu 780m gemv --m 4 --n 4 --k 4
if [ $rc -eq 2 ] && err_has 'gemm options'; then ok "gemv --m"; else bad "gemv --m" "expected exit 2"; fi

cli "$CLI" gemm --help
if [ $rc -eq 0 ] && out_has '^usage: amdbare .* gemm --m M' && out_has 'emulated'; then ok "gemm --help"; else bad "gemm --help" "expected the usage"; fi

t_finish
