#!/bin/sh
# `amdbare probe` on the vgpu: the matrix is complete on every profile
# (CPU read/write/memcpy/latency and shader read/write/copy/latency per
# domain, SDMA copies between every ordered pair: 33 measurements for
# three domains, none failed; the shader's chain walk ends where the
# CPU's does), every figure is marked emulated, the SVG parses
# as XML with one bar per measurement, and --domain narrows the matrix.
# Ends with "N passed, N failed".
t_base=probetest
t_show_out='head -c 4000'
. "$(dirname "$0")/lib/common.sh"
py() { env -u LD_PRELOAD "$PY" -c "$1" "$tmp/out" "$tmp/chart.svg" 2>>"$tmp/err"; }

t_need_vgpu "SKIP: the probe tests check the vgpu's profiles"

for profile in 780m 890m 8060s 7900xtx 860m; do
	rm -f "$tmp/chart.svg"
	cli "$CLI" --vgpu "$profile" probe --size 64K --json --svg "$tmp/chart.svg"
	if [ $rc -eq 0 ] && [ "$(py 'import json,sys
d = json.load(open(sys.argv[1])); m = d["measurements"]
kinds = {(x["what"], x["domain"]) for x in m}
want = {(w, dm) for w in ("cpu-read", "cpu-write", "cpu-memcpy", "cpu-latency", "gpu-read", "gpu-write", "gpu-copy", "gpu-latency") for dm in ("vram", "gtt", "gtt-uswc")}
want |= {("sdma-copy", a + "->" + b) for a in ("vram", "gtt", "gtt-uswc") for b in ("vram", "gtt", "gtt-uswc")}
print(len(m) == 33 and kinds == want and all(x["ok"] and x["emulated"] and x["value_milli"] > 0 for x in m) and d["virtual"] is True)')" = True ]; then
		ok "matrix-$profile"
	else
		bad "matrix-$profile" "incomplete or failed measurements"
	fi
	if [ "$(py 'import sys, json
import xml.etree.ElementTree as ET
t = ET.parse(sys.argv[2])
bars = [r for r in t.iter("{http://www.w3.org/2000/svg}rect") if r.get("class") == "bar"]
m = json.load(open(sys.argv[1]))["measurements"]
print(len(bars) == len(m) == 33 and all(int(b.get("width")) >= 0 for b in bars) and "emulated" in ET.tostring(t.getroot(), encoding="unicode"))')" = True ]; then
		ok "svg-$profile"
	else
		bad "svg-$profile" "the SVG does not parse or has not one bar per measurement"
	fi
done

cli "$CLI" --vgpu 780m probe --size 64K --domain gtt
if [ $rc -eq 0 ] && [ "$(env -u LD_PRELOAD grep -Ec '^  (cpu|gpu|sdma)-.*\(emulated\)$' "$tmp/out")" -eq 9 ] &&
   env -u LD_PRELOAD grep -q 'sdma-copy *gtt->gtt ' "$tmp/out" && ! env -u LD_PRELOAD grep -q 'vram' "$tmp/out"; then
	ok domain-gtt
else
	bad domain-gtt "--domain gtt: not 9 emulated measurements (4 CPU, 4 shader, 1 SDMA) on gtt only"
fi
cli "$CLI" --vgpu 780m probe --domain hbm
if [ $rc -eq 2 ]; then ok usage; else bad usage "an unknown domain is not a usage error"; fi

t_finish
