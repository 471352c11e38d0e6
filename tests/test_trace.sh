#!/bin/sh
# `amdbare --trace FILE` / AMDBARE_TRACE=FILE and `amdbare trace show` on
# the vgpu: the trace of `amdbare demo` decodes every packet (none
# unknown) and names every dispatch, on a profile with CPU-visible VRAM
# (compute only) and on the 7900 XTX (whose load streams through SDMA);
# the JSON form parses; a damaged file is refused.  Ends with "N passed,
# N failed".
t_base=tracetest
t_show_out='tail -n 30'
. "$(dirname "$0")/lib/common.sh"
unset AMDBARE_TRACE
# show FILE [--json]: the decoder needs no device, so nothing is preloaded.
show() { run env -u LD_PRELOAD "$CLI" trace show "$@"; }

t_need_vgpu "SKIP: the trace tests compare against vgpu runs"

for profile in 780m 7900xtx; do
	trace=$tmp/demo-$profile.trace
	cli "$CLI" --vgpu "$profile" --trace "$trace" demo --quiet
	if [ $rc -eq 0 ] && [ -s "$trace" ]; then ok "demo-$profile-records"; else bad "demo-$profile-records" "demo failed or no trace written"; fi
	show "$trace"
	# the summary line: N submissions, ..., P packets (0 unknown), D dispatches (D with a kernel name)
	if [ $rc -eq 0 ] && out_has ' packets (0 unknown), ' &&
	   env -u LD_PRELOAD tail -n 1 "$tmp/out" | env -u LD_PRELOAD grep -Eq ' ([1-9][0-9]*) dispatches \(\1 with a kernel name\)' &&
	   out_has 'dispatch of kernel "' && out_has 'fence seen signalled at' && out_has 'asked VRAM, placed VRAM'; then
		ok "demo-$profile-decodes-all"
	else
		bad "demo-$profile-decodes-all" "unknown packets, unnamed dispatches or missing lines"
	fi
	show "$trace" --json
	if [ $rc -eq 0 ] && [ "$(json 'd["summary"]["unknown_packets"] == 0 and d["error"] is None and len(d["submissions"]) == d["summary"]["submissions"] > 0 and all(b["gpu_va"] > 0 for s in d["submissions"] for b in s["bos"])')" = True ]; then
		ok "demo-$profile-json"
	else
		bad "demo-$profile-json" "JSON summary wrong"
	fi
done
# the 7900 XTX has no CPU-visible VRAM for the load: its trace holds SDMA copies
show "$tmp/demo-7900xtx.trace"
if out_has 'sdma ring 0' && out_has 'COPY_LINEAR .*BYTES='; then ok sdma-decoded; else bad sdma-decoded "no decoded SDMA copy"; fi

# AMDBARE_TRACE for any program linked with libamdbare (here the CLI's gemv)
cli env AMDBARE_TRACE="$tmp/env.trace" "$CLI" --vgpu 780m gemv --n 64 --k 64 --iters 1
show "$tmp/env.trace"
if [ $rc -eq 0 ] && out_has 'dispatch of kernel "gemv'; then ok env-trace; else bad env-trace "no gemv dispatch recorded"; fi

# a damaged file: cut inside a record
head -c 100 "$tmp/demo-780m.trace" >"$tmp/cut.trace"
show "$tmp/cut.trace"
if [ $rc -eq 1 ] && env -u LD_PRELOAD grep -q 'trace: offset 16: record of' "$tmp/err"; then ok damaged; else bad damaged "a cut file was not refused"; fi
show
if [ $rc -eq 2 ]; then ok usage; else bad usage "no FILE is not a usage error"; fi

t_finish
