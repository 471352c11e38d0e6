#!/bin/sh
# The CLI tells the truth, on every input (POSIX sh, on the vgpu): one
# section per point of the issue that asked for it.
#   1 gemm/gemv report where each operand really is, and warn when it left
#     the asked domain; the roofline uses that domain
#   2 operands that cannot fit are refused before allocating; progress on a
#     terminal
#   3 a FIFO as a model, code object or run --in is refused, never blocks
#   4 every failure prints a line (run --in DIR, a 30 GiB sparse --in)
#   5 names from files cannot forge lines or send escape sequences
#   6 usage errors exit 2; demo without its GEMV exits 1; help help is 0
#   7 numbers and units: 0 limits, too large, out of range, minimums
#   8 messages: heap limits, not GGUF/safetensors, too-large tensor, the
#     fault line and process name, CLI advice, --place, a file twice
#   9 --json failures print JSON with "error"; arena-stats --json notice
#  10 docs: allocator.md's arena-stats example, SECURITY.md's versions
#  11 --vgpu re-exec of an ASan build needs no ASAN_OPTIONS
# Ends with "N passed, N failed".
t_base=clitruth
t_show_out='head -n 40'
t_show_err='head -n 40'
. "$(dirname "$0")/lib/common.sh"
unset AMDBARE_VGPU_VRAM_SIZE AMDBARE_VGPU_VIS_VRAM_SIZE AMDBARE_VGPU_GTT_SIZE AMDBARE_PROGRESS_AFTER_MS
t_need_preload "skip: test_cli_truth.sh runs on the vgpu only (mode $mode)"

# cli PROFILE ARGS...: one run on its own vgpu instance (LD_PRELOAD), with
# whatever is in $extra_env, stdin closed, a 60 s bound (a FIFO must not
# block: the timeout's exit 124 fails the test instead of hanging it).
extra_env=
cli() {
	n=$((n + 1))
	p=$1
	shift
	env LD_PRELOAD="$vgpu_preload" AMDBARE_VGPU_INSTANCE="$base-$n" AMDBARE_VGPU_PROFILE="$p" \
		AMDBARE_VGPU_TIMEOUT_MS=120000 $extra_env timeout 60 "$CLI" "$@" \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
}
# clix ARGS...: through the --vgpu re-exec (no preload in this process).
clix() {
	n=$((n + 1))
	env -u LD_PRELOAD AMDBARE_VGPU_INSTANCE="$base-$n" AMDBARE_VGPU_TIMEOUT_MS=120000 \
		$extra_env timeout 60 "$CLI" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
}
py() { env -u LD_PRELOAD "$PY" "$@"; }
# one_line: stderr holds at least one "amdbare: " line
err_line() { env -u LD_PRELOAD grep -q '^amdbare: ..*' "$tmp/err"; }

# write_st FILE NAME:DTYPE:ROWS:COLS ...  (safetensors; COLS 0 = 1-D; names
# may hold any byte through Python escapes, e.g. 'a\r\nb')
write_st() {
	py - "$@" <<'EOF'
import json, struct, sys
path, specs = sys.argv[1], sys.argv[2:]
size = {"F32": 4, "F16": 2}
hdr, off, blobs = {}, 0, []
for k, s in enumerate(specs):
    name, dt, rows, cols = s.rsplit(":", 3)
    name = name.encode().decode("unicode_escape")
    rows, cols = int(rows), int(cols)
    shape = [rows, cols] if cols else [rows]
    nb = rows * (cols or 1) * size[dt]
    hdr[name] = {"dtype": dt, "shape": shape, "data_offsets": [off, off + nb]}
    blobs.append(bytes(nb))
    off += nb
h = json.dumps(hdr).encode()
with open(path, "wb") as f:
    f.write(struct.pack("<Q", len(h)) + h)
    for b in blobs:
        f.write(b)
EOF
}

M=$tmp/m.safetensors
write_st "$M" layers.0.w:F32:16:16 norm:F32:7:0
GEO=$top/tests/dispatch/geometry.co
ADD=$top/tests/isa/k_add.co
py -c 'import sys; open(sys.argv[1], "wb").write(bytes(1024))' "$tmp/b.bin"

# ---- 1. placement truth in gemm/gemv ------------------------------------------
# 8 MiB of VRAM: the kernel creates W, x, y in GTT although VRAM was asked.
extra_env="AMDBARE_VGPU_VRAM_SIZE=8M"
cli 780m gemv --n 512 --k 512
extra_env=
if [ $rc -eq 0 ] && out_has "^placed    W .* in GTT" && out_has "^placed    x .* in GTT" &&
	out_has "^placed    y .* in GTT" && err_has "warning: W was asked for VRAM and is in GTT" &&
	out_has "VRAM asked for" && ! out_has "in VRAM"; then
	ok "gemv: operands that fell back to GTT are reported in GTT, with a warning"
else
	bad "gemv fallback" "expected placed ... in GTT and a warning"
fi

# 4 MiB of CPU-visible VRAM on the 7900 XTX: W lands in invisible VRAM, the
# CPU fill moves it to GTT; the bandwidth is then measured against PCIe.
extra_env="AMDBARE_VGPU_VIS_VRAM_SIZE=4M"
cli 7900xtx gemv --n 4096 --k 1024
extra_env=
if [ $rc -eq 0 ] && out_has "^placed    W .* in GTT" &&
	err_has "W was asked for VRAM and is in GTT (moved out when the CPU first wrote it)" &&
	out_has "^bandwidth .* of 31.5 GB/s (estimated PCIe 4.0 x16 peak, GTT, where W is)" &&
	out_has "^roofline"; then
	ok "gemv: W moved out of invisible VRAM by the CPU fill is in GTT, roofline against PCIe"
else
	bad "gemv migration" "expected W in GTT and the PCIe peak"
fi

cli 7900xtx gemm --m 32 --n 32 --k 32
if [ $rc -eq 0 ] && out_has "^placed    A .* in VRAM (CPU-visible)" && out_has "^placed    B " &&
	out_has "^placed    C " && out_has "of 959.2 GB/s\|roofline" && ! err_has "warning"; then
	ok "gemm: A, B, C reported in VRAM when they are, no warning"
else
	bad "gemm placement" "expected A/B/C placed lines in VRAM, no warning"
fi

# ---- 2. huge requests -----------------------------------------------------------
extra_env="AMDBARE_VGPU_GTT_SIZE=4G"
t0=$(date +%s)
cli 780m gemv --n 100000 --k 100000
t1=$(date +%s)
extra_env=
if [ $rc -eq 1 ] && err_has "W (18.63 GiB) is larger than the largest buffer the kernel allows" &&
	err_has "refused before allocating anything" && [ $((t1 - t0)) -lt 30 ]; then
	ok "gemv 100000x100000 refused before anything is allocated or filled"
else
	bad "huge gemv" "expected exit 1, refused before allocating"
fi

extra_env="AMDBARE_VGPU_VRAM_SIZE=64M AMDBARE_VGPU_GTT_SIZE=64M"
cli 780m gemm --m 2800 --n 2800 --k 2800 --dtype f32 --domain gtt
extra_env=
if [ $rc -eq 1 ] && err_has "the operands take 89.72 MiB; GTT free is 64.00 MiB" && err_has "refused before allocating anything"; then
	ok "gemm larger than the free heaps is refused"
else
	bad "gemm too big" "expected exit 1 naming the free memory"
fi

# Progress on a terminal (script(1) gives the CLI one), none off a terminal.
if command -v script >/dev/null 2>&1; then
	n=$((n + 1))
	env LD_PRELOAD="$vgpu_preload" AMDBARE_VGPU_INSTANCE="$base-$n" AMDBARE_VGPU_PROFILE=780m \
		AMDBARE_PROGRESS_AFTER_MS=0 timeout 60 script -qec \
		"$CLI gemv --n 256 --k 256 --check >/dev/null" /dev/null >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	if [ $rc -eq 0 ] && out_has "filling the operands from the CPU" &&
		out_has "running on the virtual device" && out_has "checking against the CPU reference"; then
		ok "gemv shows progress on a terminal"
	else
		bad "progress" "expected progress lines on the terminal"
	fi
else
	ok "progress on a terminal: script(1) not installed, not checked"
fi
extra_env="AMDBARE_PROGRESS_AFTER_MS=0"
cli 780m gemv --n 256 --k 256
extra_env=
if [ $rc -eq 0 ] && ! err_has "filling"; then ok "no progress lines off a terminal"
else bad "no progress off a TTY" "expected a quiet stderr"; fi

# ---- 3. files that are not files ----------------------------------------------------
mkfifo "$tmp/fifo"
cli 780m load "$tmp/fifo"
if [ $rc -eq 1 ] && err_has "fifo: is a FIFO (named pipe), not a regular file"; then
	ok "load: a FIFO is refused, not opened"
else bad "load fifo" "expected exit 1 naming the FIFO (124 = it blocked)"; fi

cli 780m run "$tmp/fifo" add --grid 1 --block 64
if [ $rc -eq 2 ] && err_has "code object .*fifo: is a FIFO"; then ok "run: a FIFO code object is refused"
else bad "run fifo codeobj" "expected exit 2"; fi

cli 780m run "$ADD" add --grid 4 --block 64 --inout "$tmp/fifo" --in "$tmp/b.bin" --u32 1
if [ $rc -eq 2 ] && err_has "inout .*fifo: is a FIFO"; then ok "run --inout FIFO is refused"
else bad "run --in fifo" "expected exit 2"; fi

# A shard named by an index is opened by the library itself: O_NONBLOCK.
ln -s "$tmp/fifo" "$tmp/shard.safetensors"
printf '{"metadata": {}, "weight_map": {"a": "shard.safetensors"}}' >"$tmp/x.safetensors.index.json"
cli 780m load "$tmp/x.safetensors.index.json"
if [ $rc -eq 1 ] && err_has "not a regular file"; then ok "load: a FIFO shard of an index is refused by the library"
else bad "fifo shard" "expected exit 1, not a regular file"; fi

# ---- 4. no silent exits ---------------------------------------------------------------
mkdir "$tmp/dir"
cli 780m run "$ADD" add --grid 4 --block 64 --inout "$tmp/dir" --in "$tmp/b.bin" --u32 1
if [ $rc -eq 2 ] && err_has "dir: is a directory, not a regular file"; then ok "run --inout DIR says why"
else bad "run --in dir" "expected exit 2 and a line"; fi

truncate -s 30G "$tmp/big.bin"
cli 780m run "$ADD" add --grid 4 --block 64 --inout "$tmp/big.bin" --in "$tmp/b.bin" --u32 1
if [ $rc -ne 0 ] && err_has "big.bin" && err_line; then ok "run --inout 30 GiB file fails with a line naming it"
else bad "run 30G" "expected a failure naming the file"; fi

# ---- 5. terminal safety ----------------------------------------------------------------
E=$tmp/evil.safetensors
write_st "$E" 'a\r\n  integrity                99 tensors\x3a GPU checksum == checksum of the file bytes, 0 mismatches:F32:4:4' \
	'b\x1b]0;pwned\x07\x1b[2J\x9b:F32:4:4'
cli 780m load "$E"
if [ $rc -eq 0 ] && py -c '
import sys
out = open(sys.argv[1], "rb").read()
assert b"\r" not in out and b"\x1b" not in out and b"\x07" not in out and b"\xc2\x9b" not in out, out
lines = out.split(b"\n")
assert sum(1 for l in lines if l.startswith(b"  integrity")) == 1, lines
assert b"a\\x0d\\x0a  integrity" in out and b"b\\x1b]0;pwned\\x07\\x1b[2J\\xc2\\x9b" in out
' "$tmp/out"; then
	ok "load: names with CR LF and escape sequences are shown escaped, no forged line"
else
	bad "escape text" "raw control bytes reached stdout"
fi

write_st "$tmp/e2.safetensors" 'b\x1b]0;pwned\x07\x1b[2J\x9b:F32:4:4'
cli 780m load "$E" "$tmp/e2.safetensors"
if [ $rc -eq 1 ] && py -c '
import sys
err = open(sys.argv[1], "rb").read()
assert b"\x1b" not in err and b"\x07" not in err and b"in both" in err, err
' "$tmp/err"; then
	ok "error messages quoting a tensor name are escaped too"
else
	bad "escape stderr" "raw control bytes reached stderr"
fi

# ---- 6. exit codes ----------------------------------------------------------------------
cli 780m load --chunk 1 "$M"
if [ $rc -eq 2 ] && err_has "below the minimum of 4.00 KiB"; then ok "load --chunk 1 exits 2"
else bad "chunk 1" "expected exit 2"; fi
cli 780m load --chunk 0 "$M"
if [ $rc -eq 2 ]; then ok "load --chunk 0 is refused, not taken as 4M"
else bad "chunk 0" "expected exit 2"; fi
cli 780m load --place '*=cpu' "$M"
if [ $rc -eq 2 ] && err_has "domain 'cpu' is not vram or gtt"; then ok "load --place '*=cpu' exits 2"
else bad "place cpu" "expected exit 2"; fi
cli 780m alloc --domain vram --size 4K --flags uswc
if [ $rc -eq 2 ] && err_has "uswc"; then ok "alloc --flags uswc on VRAM exits 2"
else bad "uswc" "expected exit 2"; fi
cli 780m arena-stats --flags no-cpu-access,cpu-access
if [ $rc -eq 2 ] && err_has "^amdbare: arena-stats: --flags cpu-access and no-cpu-access" &&
	! err_has "alloc:"; then ok "arena-stats contradictory flags exit 2, labelled arena-stats"
else bad "arena flags" "expected exit 2 labelled arena-stats"; fi
cli 780m run "$ADD" nosuch --grid 1 --block 64
if [ $rc -eq 2 ] && err_has 'no kernel "nosuch"'; then ok "run with an unknown kernel exits 2"
else bad "unknown kernel" "expected exit 2"; fi
write_st "$tmp/flat.safetensors" only:F32:64:0
cli 780m demo "$tmp/flat.safetensors"
if [ $rc -eq 1 ] && out_has "skipped" && err_has "the GEMV was skipped"; then ok "demo without a GEMV exits 1"
else bad "demo skip" "expected exit 1"; fi
cli 780m help help
if [ $rc -eq 0 ] && out_has "^usage: amdbare"; then ok "help help exits 0 with the help"
else bad "help help" "expected exit 0"; fi

# ---- 7. numbers and units ------------------------------------------------------------
cli 780m load --vram-limit 0 "$M"
if [ $rc -eq 2 ] && err_has "use --policy gtt"; then ok "--vram-limit 0 is refused (not 'no limit')"
else bad "vram-limit 0" "expected exit 2"; fi
cli 780m gemm --m 4294967297 --n 1 --k 1
if [ $rc -eq 2 ] && err_has "too large"; then ok "--m 4294967297: too large"
else bad "m too large" "expected exit 2 too large"; fi
cli 780m run "$ADD" add --grid 4294967297 --block 64
if [ $rc -eq 2 ] && err_has "grid: '4294967297': too large"; then ok "--grid 4294967297: too large"
else bad "grid too large" "expected exit 2 too large"; fi
cli 780m run "$ADD" add --grid 4 --block 64 --inout "$tmp/b.bin" --in "$tmp/b.bin" --f32 1e40
if [ $rc -eq 2 ] && err_has "out of the range of f32"; then ok "--f32 1e40 refused, not inf"
else bad "f32 1e40" "expected exit 2"; fi
cli 780m arena-stats --seed -1
if [ $rc -eq 2 ] && err_has "seed '-1'"; then ok "--seed -1 refused, not wrapped"
else bad "seed -1" "expected exit 2"; fi
cli 780m arena-stats --max-size 100
if [ $rc -eq 2 ] && err_has "below the minimum of 256 B"; then ok "--max-size 100 below the minimum"
else bad "max-size 100" "expected exit 2"; fi
cli 780m alloc --domain gtt --size 4097
if [ $rc -eq 0 ] && out_has "^request: 4097 B (4.00 KiB) in GTT"; then ok "--size 4097 shown exactly"
else bad "size 4097" "expected 4097 B"; fi
cli 780m alloc --domain gtt --size 4Q
if [ $rc -eq 2 ] && err_has "units: B, K (KB, KiB), M (MB, MiB), G (GB, GiB), T (TB, TiB)"; then
	ok "an unknown unit lists the accepted units"
else bad "unit list" "expected the units listed"; fi

# ---- 8. messages that mislead -----------------------------------------------------------
cli 780m alloc --domain vram --size 40G
if [ $rc -eq 1 ] && err_has "allows in VRAM (11.99 GiB) and in GTT (28.50 GiB)"; then
	ok "size limit names VRAM's and GTT's own limits"
else bad "size limit" "expected each heap's limit"; fi
printf 'GGUX\003\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' >"$tmp/bad.gguf"
cli 780m load "$tmp/bad.gguf"
if [ $rc -eq 1 ] && err_has "not a GGUF or safetensors file (tried GGUF" && ! err_has "safetensors header"; then
	ok "bad magic: not a GGUF or safetensors file, both named"
else bad "bad magic" "expected 'not a GGUF or safetensors file'"; fi
# A 128 MiB tensor (sparse file) against 64 MiB heaps.
py - "$tmp/huge.safetensors" <<'EOF'
import json, struct, sys
h = json.dumps({"big": {"dtype": "F32", "shape": [33554432], "data_offsets": [0, 134217728]}}).encode()
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<Q", len(h)) + h)
    f.truncate(8 + len(h) + 134217728)
EOF
extra_env="AMDBARE_VGPU_VRAM_SIZE=64M AMDBARE_VGPU_GTT_SIZE=64M"
cli 780m load --plan-only "$tmp/huge.safetensors"
extra_env=
if [ $rc -eq 1 ] && err_has "(budget [^)]*); tensor 'big' (128.00 MiB) is larger than the largest buffer the kernel allows in [VG][RT][AT]M* ([0-9.]* [KMG]iB)"; then
	ok "too-large tensor: separated, names the largest buffer allowed"
else bad "too-large tensor" "expected '; tensor ... largest buffer ... (SIZE)'"; fi
clix --vgpu 780m run "$GEO" fault --grid 1 --block 64 --out "$tmp/f.bin:4K" --u32 5
if err_has "shader execution not built yet"; then
	ok "fault line: shader core not built, not checked"
elif [ $rc -eq 1 ] && err_has "in process amdbare pid [0-9]* thread amdbare pid [0-9]*\$" &&
	! err_has "in process exe" && ! err_has "amdbare_ctx_recreate" && err_has "run the command again"; then
	ok "fault report: balanced, the real program name under --vgpu, advice in CLI terms"
else bad "fault line" "expected 'in process amdbare pid N thread amdbare pid M' and CLI advice"; fi
cli 780m load "$M" --place 'nomatch*=gtt'
if [ $rc -eq 0 ] && err_has "warning: --place 'nomatch\*=gtt' matches no tensor"; then
	ok "--place pattern matching nothing is warned about"
else bad "place warning" "expected a warning"; fi
cli 780m load "$M" "$M"
if [ $rc -eq 2 ] && err_has "m.safetensors is given twice" && ! err_has "in both"; then
	ok "the same file twice is named as such"
else bad "file twice" "expected 'given twice'"; fi

# ---- 9. JSON everywhere ------------------------------------------------------------
clix --vgpu none info --json
if [ $rc -eq 1 ] && py -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["error"] and "notice" in d and d["virtual"] is True and d["command"] == "info", d
' "$tmp/out"; then ok "--vgpu none info --json prints a JSON error document"
else bad "json none" "expected a JSON document with error"; fi
cli 780m alloc --domain vram --size 4X --json
if [ $rc -eq 2 ] && py -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert "4X" in d["error"] and d["virtual"] is True and d["notice"].startswith("virtual device"), d
' "$tmp/out"; then ok "a usage error with --json prints a JSON error document"
else bad "json usage" "expected a JSON document with error"; fi
cli 780m arena-stats --json --count 50
if [ $rc -eq 0 ] && py -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["notice"].startswith("virtual device") and d["virtual"] is True and d["workload"]["count"] == 50, d
' "$tmp/out"; then ok "arena-stats --json carries notice and virtual"
else bad "arena json" "expected notice/virtual"; fi

# ---- 10. docs match the output -------------------------------------------------------
cli 780m arena-stats
if [ $rc -eq 0 ] && py - "$top/docs/allocator.md" "$tmp/out" <<'EOF'
import sys
doc = open(sys.argv[1]).read().split("\n")
i = doc.index("$ amdbare --vgpu 780m arena-stats")
got = open(sys.argv[2]).read().split("\n")
assert doc[i + 1] == got[0], (doc[i + 1], got[0])
assert doc[i + 2].startswith("workload:") and got[1].startswith("workload:")
EOF
then ok "allocator.md's arena-stats example starts with the banner the CLI prints"
else bad "allocator.md" "the example's first line differs from the output"; fi
versions=$(env -u LD_PRELOAD grep -o 'co->version = [0-9]' "$top/src/codeobj/elf.c" | sed 's/.*= //' | tr '\n' ' ')
docline=$(env -u LD_PRELOAD grep 'code object v[0-9]' "$top/docs/SECURITY.md")
missing=
for v in $versions; do
	case "$docline" in *"v$v"* | *" $v "* | *"$v only"*) ;; *) missing="$missing $v" ;; esac
done
rc=0
if [ -n "$versions" ] && [ -z "$missing" ]; then ok "SECURITY.md names every code object version accepted ($versions)"
else echo "$docline" >"$tmp/out"; : >"$tmp/err"; bad "SECURITY.md versions" "missing:$missing"; fi

# ---- 11. sanitizer builds with --vgpu ------------------------------------------------
# Without verify_asan_link_order=0 (the test runner sets it): the re-exec must
# put the ASan runtime first itself.  In a build without ASan this checks
# that the re-exec works at all.
extra_env="ASAN_OPTIONS=detect_leaks=0"
clix --vgpu 780m info
extra_env=
if [ $rc -eq 0 ] && out_has "^virtual device: Radeon 780M" && ! err_has "does not come first"; then
	if env -u LD_PRELOAD ldd "$CLI" 2>/dev/null | grep -q libasan; then
		ok "ASan build: --vgpu re-exec works without ASAN_OPTIONS"
	else
		ok "--vgpu re-exec works (not an ASan build)"
	fi
else
	bad "asan reexec" "expected the re-exec to come up"
fi

t_finish
