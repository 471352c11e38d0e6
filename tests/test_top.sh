#!/bin/sh
# `amdbare top` and `amdbare alloc --hold` on the vgpu: a second process
# holding 64 MiB of VRAM shows up in `top --once --json` within one second
# of saying it holds the buffer, with that VRAM from fdinfo and its buffer
# from the registry; with AMDBARE_REGISTRY=0 it still shows, without
# buffers.  Ends with "N passed, N failed".
t_base=toptest
holder=
t_exit_hook='[ -z "$holder" ] || stop_holder'
. "$(dirname "$0")/lib/common.sh"
t_more_err=$tmp/hold.err
# one instance for the holder and the watcher: they must see one device
inst=$base-top
unset AMDBARE_REGISTRY
json() {
	env -u LD_PRELOAD "$PY" -c 'import json,sys
d = json.load(open(sys.argv[1]))
pid = int(sys.argv[3])
p = [x for x in d["processes"] if x["pid"] == pid]
print(eval(sys.argv[2]))' "$tmp/out" "$1" "$2" 2>>"$tmp/err"
}
now_ms() { env -u LD_PRELOAD date +%s%3N; }

t_need_vgpu "SKIP: the top tests start their own processes on one vgpu instance"

# start_holder [ENV...]: alloc --hold in the background; waits (up to 20 s)
# for its "holding" line; sets holder and t_hold (ms).
start_holder() {
	: >"$tmp/hold.err"
	env LD_PRELOAD="$vgpu_preload" AMDBARE_VGPU_INSTANCE="$inst" "$@" \
		"$CLI" --vgpu 780m alloc --domain vram --size 64M --hold 20 >/dev/null 2>"$tmp/hold.err" &
	holder=$!
	i=0
	while [ $i -lt 200 ] && ! env -u LD_PRELOAD grep -q 'holding buffer' "$tmp/hold.err"; do
		env -u LD_PRELOAD sleep 0.1
		i=$((i + 1))
	done
	t_hold=$(now_ms)
	hpid=$(env -u LD_PRELOAD sed -n 's/.*pid \([0-9]*\)$/\1/p' "$tmp/hold.err")
}
stop_holder() { kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null; holder=; }
watch() {
	env LD_PRELOAD="$vgpu_preload" AMDBARE_VGPU_INSTANCE="$inst" "$CLI" --vgpu 780m top "$@" \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
}

start_holder
if [ -n "$hpid" ]; then ok holder-started; else bad holder-started "alloc --hold never said it holds"; fi
watch --once --json
t_seen=$(now_ms)
if [ $rc -eq 0 ] && [ "$(json 'len(p) == 1 and p[0]["vram"] >= 64 << 20 and p[0]["fdinfo_memory"] and p[0]["render_files"] == 1' "$hpid")" = True ] &&
   [ $((t_seen - t_hold)) -lt 1000 ]; then
	ok "second-process-64MiB-within-1s ($((t_seen - t_hold)) ms)"
else
	bad second-process-64MiB-within-1s "holder $hpid not shown with 64 MiB VRAM, or after $((t_seen - t_hold)) ms"
fi
if [ "$(json 'p[0]["registry"]["state"] == "ok" and any(b["name"] == "amdbare alloc" and b["size"] == 64 << 20 and b["domain"] == "VRAM" for b in p[0]["registry"]["buffers"])' "$hpid")" = True ]; then
	ok holder-buffers
else
	bad holder-buffers "the registry did not list the 64 MiB buffer"
fi
if [ "$(json 'd["device"]["vram_used"] >= 64 << 20 and d["virtual"] is True' "$hpid")" = True ]; then
	ok device-totals
else
	bad device-totals "device VRAM used below 64 MiB"
fi
watch --once
if [ $rc -eq 0 ] && env -u LD_PRELOAD grep -q "^ *$hpid  amdbare .*64.0 MiB" "$tmp/out" &&
   env -u LD_PRELOAD grep -q 'buffer 1 .*amdbare alloc *VRAM *64.0 MiB' "$tmp/out"; then
	ok text
else
	bad text "no row for the holder with its buffer"
fi
stop_holder

start_holder AMDBARE_REGISTRY=0
watch --once --json
if [ $rc -eq 0 ] && [ "$(json 'len(p) == 1 and p[0]["vram"] >= 64 << 20 and p[0]["registry"]["state"] == "absent"' "$hpid")" = True ]; then
	ok registry-off
else
	bad registry-off "AMDBARE_REGISTRY=0: holder missing or registry still published"
fi
stop_holder

watch --once --bogus
if [ $rc -eq 2 ]; then ok usage; else bad usage "an unknown option is not a usage error"; fi

t_finish
