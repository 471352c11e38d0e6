#!/bin/sh
# Tests of `amdbare run` (POSIX sh), on the vgpu: argument checks against
# the code object's metadata before anything runs, --in/--out/--inout and
# by-value arguments end to end with the files checked against the same
# computation in Python, exit codes, and a faulting kernel.  Tests that need
# kernels to execute skip (saying so) while the vgpu answers "shader
# execution not built yet".  Ends with "N passed, N failed".
t_base=clirun
t_report_skips=1
. "$(dirname "$0")/lib/common.sh"
t_need_preload "skip: test_cli_run.sh runs on the vgpu only (mode $mode)"

py() { env -u LD_PRELOAD "$PY" -c "$@"; }
not_built() { err_has "shader execution not built yet"; }

ADD=$top/tests/isa/k_add.co
GEO=$top/tests/dispatch/geometry.co
LDS=$top/tests/codeobj/lds.co
RUN="$CLI --vgpu 780m run"

# Inputs: a = 0..255, b = (i % 7) / 4, as float32.
py 'import struct,sys
open(sys.argv[1], "wb").write(struct.pack("<256f", *[float(i) for i in range(256)]))
open(sys.argv[2], "wb").write(struct.pack("<256f", *[(i % 7) / 4 for i in range(256)]))' \
	"$tmp/a.bin" "$tmp/b.bin"

# ---- help and usage -----------------------------------------------------
cli $CLI help run
if [ $rc -eq 0 ] && out_has -- "--inout FILE" && out_has "counts workgroups"; then ok help
else bad help "expected exit 0 and the ARG list"; fi

cli $RUN "$ADD" add --block 64 --inout "$tmp/a.bin" --in "$tmp/b.bin" --u32 5
if [ $rc -eq 2 ] && err_has "grid and --block are required"; then ok missing-grid
else bad missing-grid "expected exit 2"; fi

cli $RUN "$ADD" add --grid 4 --block 64 --inout "$tmp/a.bin" --in "$tmp/b.bin"
if [ $rc -eq 2 ] && err_has "takes 3 arguments, 2 given" && err_has "2: uint" &&
   ! out_has "virtual device"; then ok count-mismatch
else bad count-mismatch "expected exit 2 listing the arguments, device never opened"; fi

cli $RUN "$ADD" add --grid 4 --block 64 --inout "$tmp/a.bin" --in "$tmp/b.bin" --u64 5
if [ $rc -eq 2 ] && err_has "argument 2 (uint unnamed) of kernel 'add' takes 4 bytes; --u64 5 gives 8"
then ok size-mismatch; else bad size-mismatch "expected exit 2 naming argument 2"; fi

cli $RUN "$ADD" add --grid 4 --block 64 --u32 1 --in "$tmp/b.bin" --u32 5
if [ $rc -eq 2 ] && err_has "argument 0 (unnamed) of kernel 'add' is a global buffer"
then ok kind-mismatch; else bad kind-mismatch "expected exit 2"; fi

cli $RUN "$ADD" add --grid 4 --block 64 --inout "$tmp/a.bin" --in "$tmp/b.bin" --u32 -1
if [ $rc -eq 2 ] && err_has "'-1': not a valid integer"; then ok bad-value
else bad bad-value "expected exit 2"; fi

cli $RUN "$ADD" add --grid 4 --block 64 --inout "$tmp/nope.bin" --in "$tmp/b.bin" --u32 1
if [ $rc -eq 2 ] && err_has "nope.bin: No such file"; then ok missing-file
else bad missing-file "expected exit 2"; fi

cli $RUN "$ADD" nosuch --grid 1 --block 64
if [ $rc -eq 2 ] && err_has "add"; then ok unknown-kernel
else bad unknown-kernel "expected exit 2 (usage) naming the kernels there are"; fi

cli $RUN "$LDS" lds_sum --grid 1 --block 32 --in "$tmp/a.bin" --out "$tmp/o.bin:256"
if [ $rc -eq 2 ] && err_has "requires 64x1x1" && [ ! -e "$tmp/o.bin" ]; then ok reqd-workgroup
else bad reqd-workgroup "expected exit 2 and no output file"; fi

# ---- end to end ---------------------------------------------------------
cp "$tmp/a.bin" "$tmp/a0.bin"
cli $RUN "$ADD" add --grid 4 --block 64 --inout "$tmp/a.bin" --in "$tmp/b.bin" --u32 250
if not_built; then
	skip add-inout "kernels do not execute yet on the vgpu (shader execution not built yet)"
elif [ $rc -eq 0 ] && out_has "wrote $tmp/a.bin (1024 bytes)" && py 'import struct,sys
a = struct.unpack("<256f", open(sys.argv[1], "rb").read())
b = struct.unpack("<256f", open(sys.argv[2], "rb").read())
a0 = struct.unpack("<256f", open(sys.argv[3], "rb").read())
want = [a0[i] + b[i] * 2.0 if i < 250 else a0[i] for i in range(256)]
sys.exit(0 if list(a) == want else 1)' "$tmp/a.bin" "$tmp/b.bin" "$tmp/a0.bin"
then ok add-inout; else bad add-inout "expected a[i] += b[i]*2 for i < 250, the rest unchanged"; fi

rm -f "$tmp/g.bin"
cli $RUN "$GEO" geometry --grid 3 --block 32 --domain vram --out "$tmp/g.bin:1K"
if not_built; then
	skip out-vram "kernels do not execute yet on the vgpu (shader execution not built yet)"
elif [ $rc -eq 0 ] && py 'import struct,sys
v = struct.unpack("<256I", open(sys.argv[1], "rb").read())
ok = v[:4] == (32, 96, 3, 1) and list(v[4:100]) == list(range(96)) and not any(v[100:])
sys.exit(0 if ok else 1)' "$tmp/g.bin"
then ok out-vram; else bad out-vram "expected group size, grid size, block count, dims, ids"; fi

cli $RUN "$LDS" lds_sum --grid 4 --block 64 --in "$tmp/b.bin" --out "$tmp/s.bin:16"
if not_built; then
	skip lds "kernels do not execute yet on the vgpu (shader execution not built yet)"
elif [ $rc -eq 0 ] && py 'import struct,sys
b = struct.unpack("<256i", open(sys.argv[1], "rb").read())
s = struct.unpack("<4i", open(sys.argv[2], "rb").read())
want = tuple(sum(b[g * 64:(g + 1) * 64]) & 0xffffffff for g in range(4))
want = tuple(x - (1 << 32) if x >= 1 << 31 else x for x in want)
sys.exit(0 if s == want else 1)' "$tmp/b.bin" "$tmp/s.bin"
then ok lds; else bad lds "expected per-workgroup sums"; fi

rm -f "$tmp/f.bin"
cli $RUN "$GEO" fault --grid 1 --block 64 --out "$tmp/f.bin:4K" --u32 5
if not_built; then
	skip fault "a fault from the kernel itself needs the shader core (shader execution not built yet)"
elif [ $rc -eq 1 ] && err_has "page fault" && err_has "guilty" && err_has "no output was written" &&
     [ ! -e "$tmp/f.bin" ]; then ok fault
else bad fault "expected exit 1 with the vgpu's fault report and no output file"; fi

t_finish
