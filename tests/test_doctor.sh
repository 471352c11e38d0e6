#!/bin/sh
# `amdbare doctor` on vgpu configurations that reproduce each situation it
# diagnoses: the default ceiling, a model that needs a larger GTT (on a
# kernel that sizes GTT from ttm.pages_limit and on one that needs
# amdgpu.gttsize; the advised value is then applied and the model must
# fit), the DKMS amdttm module, a 512 MiB carve-out, swap pressure, the
# deprecated amdgpu.gttsize, and a model no GTT of this machine can hold.
# Models are sparse safetensors files: doctor plans, it reads no tensor.
# Ends with "N passed, N failed".
t_base=doctor
. "$(dirname "$0")/lib/common.sh"
t_need_vgpu "test_doctor.sh: needs the vgpu (its configurations); skipped on hardware"
# The vgpu is preloaded only into the runs of doctor below (with the
# settings each gives), also when this test is run by hand.
vgpu=${vgpu_preload:-$build/libamdbare-vgpu.so}
case $vgpu in /*) ;; *) vgpu=$(pwd)/$vgpu ;; esac
unset AMDBARE_VGPU_KERNEL AMDBARE_VGPU_PARAMS \
	AMDBARE_VGPU_DKMS AMDBARE_VGPU_SWAP AMDBARE_VGPU_SWAP_USED AMDBARE_VGPU_VRAM_SIZE \
	AMDBARE_VGPU_GTT_SIZE AMDBARE_VGPU_SYSTEM_RAM AMDBARE_VGPU_RAM_USED LD_PRELOAD

# mk FILE GIB: a sparse safetensors file of 8 F16 tensors, GIB GiB in all.
mk() {
	"$PY" - "$1" "$2" <<'EOF'
import json, struct, sys
path, gib = sys.argv[1], int(sys.argv[2])
per, hdr, off = (gib << 30) // 8, {}, 0
for i in range(8):
    hdr["layer.%d.weight" % i] = {"dtype": "F16", "shape": [per // 2], "data_offsets": [off, off + per]}
    off += per
h = json.dumps(hdr).encode()
h += b" " * ((8 - (len(h) + 8) % 8) % 8)
with open(path, "wb") as f:
    f.write(struct.pack("<Q", len(h)))
    f.write(h)
    f.truncate(8 + len(h) + off)
EOF
}
mk "$tmp/m8.safetensors" 8
mk "$tmp/m60.safetensors" 60
mk "$tmp/m200.safetensors" 200

# doctor ENV... -- ARGS: runs doctor --json on its own vgpu instance.
doctor() {
	n=$((n + 1))
	envs=""
	while [ "$1" != "--" ]; do envs="$envs $1"; shift; done
	shift
	# shellcheck disable=SC2086
	env $envs AMDBARE_VGPU_INSTANCE="$base-$n" LD_PRELOAD="$vgpu" "$CLI" doctor --json "$@" \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	rm -f /dev/shm/amdbare-vgpu-"$base-$n"*
}
# q EXPR: evaluates a Python expression on the JSON document `d`.
q() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$tmp/out" 2>/dev/null; }
# advice KIND: the text of the first advice of that kind ("" if none).
advice() { q "next((a['text'] for a in d['advice'] if a['kind'] == '$1'), '')"; }
check() { # NAME CONDITION-TEXT (shell test on the result)
	if eval "$2"; then ok "$1"; else bad "$1" "$2 (rc=$rc)"; fi
}

# 1. Default machine (780m: 76 GiB RAM, 16 GiB carve-out, kernel 6.1).
doctor -- --model "$tmp/m8.safetensors"
check "default: exit 0, the model fits" '[ $rc = 0 ] && [ "$(q "d[\"models\"][0][\"fits\"]")" = True ]'
check "default: GTT 38 GiB from the default" \
	'[ "$(q "d[\"gtt\"][\"limit_bytes\"]")" = $((38 << 30)) ] && [ "$(q "d[\"gtt\"][\"limit_source\"]")" = default ]'
check "default: vram.usable_bytes is what is free of VRAM" \
	'[ "$(q "d[\"vram\"][\"usable_bytes\"] > 15 * 2**30")" = True ]'
check "default: no advice" '[ "$(q "len(d[\"advice\"])")" = 0 ]'

# 2. 6.12 sizes GTT from ttm.pages_limit: a 60 GiB model needs a bigger one.
doctor AMDBARE_VGPU_KERNEL=6.12 -- --model "$tmp/m60.safetensors"
text=$(advice kernel_cmdline)
pages=$(echo "$text" | sed -n 's/.*ttm\.pages_limit=\([0-9]*\).*/\1/p')
check "6.12: 60 GiB does not fit, exit 1" '[ $rc = 1 ] && [ "$(q "d[\"models\"][0][\"fits\"]")" = False ]'
check "6.12: advice ttm.pages_limit=N" '[ -n "$pages" ]'
doctor AMDBARE_VGPU_KERNEL=6.12 "AMDBARE_VGPU_PARAMS=ttm.pages_limit=$pages" -- --model "$tmp/m60.safetensors"
check "6.12: with ttm.pages_limit=$pages it fits" '[ $rc = 0 ] && [ "$(q "d[\"models\"][0][\"fits\"]")" = True ]'
check "6.12: the source is now ttm.pages_limit" '[ "$(q "d[\"gtt\"][\"limit_source\"]")" = ttm.pages_limit ]'

# 3. 6.1 ignores ttm.pages_limit for the GTT size: amdgpu.gttsize instead.
doctor AMDBARE_VGPU_KERNEL=6.1 -- --model "$tmp/m60.safetensors"
text=$(advice kernel_cmdline)
mib=$(echo "$text" | sed -n 's/.*amdgpu\.gttsize=\([0-9]*\).*/\1/p')
check "6.1: advice amdgpu.gttsize=M" '[ -n "$mib" ]'
doctor AMDBARE_VGPU_KERNEL=6.1 "AMDBARE_VGPU_PARAMS=ttm.pages_limit=$pages" -- --model "$tmp/m60.safetensors"
check "6.1: ttm.pages_limit does not raise the GTT" '[ $rc = 1 ] && [ "$(q "d[\"gtt\"][\"limit_bytes\"]")" = $((38 << 30)) ]'
doctor AMDBARE_VGPU_KERNEL=6.1 "AMDBARE_VGPU_PARAMS=amdgpu.gttsize=$mib" -- --model "$tmp/m60.safetensors"
check "6.1: with amdgpu.gttsize=$mib it fits, source amdgpu.gttsize" \
	'[ $rc = 0 ] && [ "$(q "d[\"gtt\"][\"limit_source\"]")" = amdgpu.gttsize ]'

# 4. The DKMS driver: amdttm, and its own pages_limit in the advice.
doctor AMDBARE_VGPU_KERNEL=6.12 AMDBARE_VGPU_DKMS=1 -- --model "$tmp/m60.safetensors"
check "dkms: amdttm pitfall" '[ -n "$(advice amdttm)" ]'
check "dkms: advice names amdttm.pages_limit" 'advice kernel_cmdline | grep -q "amdttm\.pages_limit="'
doctor AMDBARE_VGPU_KERNEL=6.12 "AMDBARE_VGPU_PARAMS=ttm.pages_limit=$pages" AMDBARE_VGPU_DKMS=1 -- --model "$tmp/m60.safetensors"
check "dkms: ttm.pages_limit does nothing for amdgpu" '[ $rc = 1 ] && [ "$(q "d[\"gtt\"][\"limit_source\"]")" = default ]'

# 5. A 512 MiB carve-out.
doctor AMDBARE_VGPU_VRAM_SIZE=512M -- --model "$tmp/m8.safetensors"
check "512 MiB carve-out: small_carveout" '[ -n "$(advice small_carveout)" ]'

# 6. Swap pressure.
doctor AMDBARE_VGPU_SWAP=8G AMDBARE_VGPU_SWAP_USED=6G -- 
check "swap pressure detected" '[ -n "$(advice swap_pressure)" ]'
doctor AMDBARE_VGPU_SWAP=8G --
check "idle swap is no pressure" '[ -z "$(advice swap_pressure)" ]'

# 7. amdgpu.gttsize on a kernel that deprecates it.
doctor AMDBARE_VGPU_KERNEL=6.18 "AMDBARE_VGPU_PARAMS=amdgpu.gttsize=20480" --
check "6.18: gttsize is the source and is deprecated" \
	'[ "$(q "d[\"gtt\"][\"limit_source\"]")" = amdgpu.gttsize ] && [ -n "$(advice gttsize_deprecated)" ]'

# 8. A model larger than any GTT this machine can have; a GTT smaller than the model.
doctor AMDBARE_VGPU_KERNEL=6.12 -- --model "$tmp/m200.safetensors"
check "200 GiB: quantisation advice, no command line" \
	'[ -n "$(advice quantisation)" ] && [ -z "$(advice kernel_cmdline)" ] && [ -n "$(advice gtt_smaller_than_model)" ]'

# 9. A machine with more RAM (128 GiB) gets a larger default GTT.
doctor AMDBARE_VGPU_KERNEL=6.12 AMDBARE_VGPU_SYSTEM_RAM=128G -- --model "$tmp/m60.safetensors"
check "128 GiB RAM: GTT 64 GiB by default, the model fits" \
	'[ $rc = 0 ] && [ "$(q "d[\"gtt\"][\"limit_bytes\"]")" = $((64 << 30)) ]'

# 10. Text output and usage errors.
n=$((n + 1))
AMDBARE_VGPU_INSTANCE="$base-$n" LD_PRELOAD="$vgpu" "$CLI" doctor >"$tmp/out" 2>"$tmp/err"; rc=$?
rm -f /dev/shm/amdbare-vgpu-"$base-$n"*
check "text: GTT ceiling line" '[ $rc = 0 ] && grep -q "GTT ceiling .*from default" "$tmp/out"'
"$CLI" doctor stray >"$tmp/out" 2>"$tmp/err"; rc=$?
check "a stray argument is a usage error" '[ $rc = 2 ]'

t_finish
