#!/bin/sh
# Ordinary programs see the virtual device: Debian's drmdevice (libdrm's
# device enumeration) and radeontop 1.4 (amdgpu INFO ioctls for VRAM/GTT).
#
# Run by tests/run-tests.sh with LD_PRELOAD and AMDBARE_VGPU_INSTANCE set.
# A helper process (python3 + ctypes over libdrm_amdgpu, no amdbare code)
# holds 96 MiB of VRAM and 40 MiB of GTT in the same vgpu instance while
# radeontop runs; radeontop's figures must match what the device reports in
# sysfs (mem_info_*_used / _total), read by that helper.
#
# Last line: "N passed, N failed"; exit status non-zero on any failure.
t_base=clients
holder_pid=
# the memory-holding helper, if still running, stops with the test
t_exit_hook='[ -n "$holder_pid" ] && kill "$holder_pid" 2>/dev/null'
. "$(dirname "$0")/lib/common.sh"
t_need_preload "test_clients: needs the virtual device (LD_PRELOAD of the vgpu); skipped"

# ---- drmdevice --------------------------------------------------------------
if command -v drmdevice >/dev/null 2>&1; then
	AMDBARE_VGPU_PROFILE=780m drmdevice >"$tmp/drmdevice" 2>&1
	check "drmdevice exits 0" test $? -eq 0
	check "drmdevice reports one device" grep -q -- "--- Devices reported 1 ---" "$tmp/drmdevice"
	check "drmdevice: vendor 0x1002" grep -q "vendor_id *1002" "$tmp/drmdevice"
	check "drmdevice: device 0x15bf (Radeon 780M)" grep -q "device_id *15bf" "$tmp/drmdevice"
	check "drmdevice: PCI bus c4" grep -q "bus *c4" "$tmp/drmdevice"
	check "drmdevice: render node" grep -q "nodes\[2\] /dev/dri/renderD128" "$tmp/drmdevice"
	check "drmdevice: primary node" grep -q "nodes\[0\] /dev/dri/card0" "$tmp/drmdevice"
	check "drmdevice: revision read with DRM_DEVICE_GET_PCI_REVISION" \
		grep -q "revision_id *c1" "$tmp/drmdevice"
	AMDBARE_VGPU_PROFILE=none drmdevice >"$tmp/drmdevice-none" 2>&1
	check "drmdevice finds nothing with profile none" \
		grep -q "has not found any devices" "$tmp/drmdevice-none"
else
	t_fail "drmdevice not installed (package libdrm-tests)"
fi

# ---- radeontop ----------------------------------------------------------------
if ! command -v radeontop >/dev/null 2>&1; then
	t_fail "radeontop not installed (package radeontop)"
	t_finish
fi
if ! command -v python3 >/dev/null 2>&1; then
	t_fail "python3 not installed (needed for the memory-holding helper)"
	t_finish
fi

cat >"$tmp/hold.py" <<'EOF'
import ctypes, os, sys
lib = ctypes.CDLL("libdrm_amdgpu.so.1")
class Req(ctypes.Structure):
    _fields_ = [("alloc_size", ctypes.c_uint64), ("phys_alignment", ctypes.c_uint64),
                ("preferred_heap", ctypes.c_uint32), ("flags", ctypes.c_uint64)]
fd = os.open("/dev/dri/renderD128", os.O_RDWR | os.O_CLOEXEC)
major, minor, dev = ctypes.c_uint32(), ctypes.c_uint32(), ctypes.c_void_p()
r = lib.amdgpu_device_initialize(fd, ctypes.byref(major), ctypes.byref(minor), ctypes.byref(dev))
if r:
    sys.exit("amdgpu_device_initialize: %d" % r)
bos = []
for mib, heap in ((96, 4), (40, 2)):   # AMDGPU_GEM_DOMAIN_VRAM, _GTT
    bo = ctypes.c_void_p()
    r = lib.amdgpu_bo_alloc(dev, ctypes.byref(Req(mib << 20, 4096, heap, 0)), ctypes.byref(bo))
    if r:
        sys.exit("amdgpu_bo_alloc %d MiB heap %d: %d" % (mib, heap, r))
    bos.append(bo)
d = "/sys/class/drm/renderD128/device/"
vals = []
for a in ("mem_info_vram_used", "mem_info_vram_total", "mem_info_gtt_used", "mem_info_gtt_total"):
    with open(d + a) as f:
        vals.append(f.read().strip())
print("ready", *vals, flush=True)
sys.stdin.read()
EOF

mkfifo "$tmp/ctl"
AMDBARE_VGPU_PROFILE=780m python3 "$tmp/hold.py" <"$tmp/ctl" >"$tmp/hold.out" 2>&1 &
holder_pid=$!
exec 7>"$tmp/ctl"   # the helper holds its buffers until this closes
i=0
while ! grep -q '^ready' "$tmp/hold.out" 2>/dev/null && [ $i -lt 100 ]; do
	kill -0 "$holder_pid" 2>/dev/null || break
	sleep 0.1
	i=$((i + 1))
done
if ! grep -q '^ready' "$tmp/hold.out"; then
	t_fail "helper allocating VRAM/GTT through libdrm_amdgpu"
	sed 's/^/    /' "$tmp/hold.out"
	t_finish
fi
ok "helper holds 96 MiB VRAM + 40 MiB GTT"
set -- $(sed -n 's/^ready //p' "$tmp/hold.out")
vram_used=$1 vram_total=$2 gtt_used=$3 gtt_total=$4
echo "     sysfs: vram used $vram_used of $vram_total, gtt used $gtt_used of $gtt_total"
check "sysfs mem_info_vram_used counts the held VRAM" test "$vram_used" -ge $((96 << 20))
check "sysfs mem_info_gtt_used counts the held GTT" test "$gtt_used" -ge $((40 << 20))

AMDBARE_VGPU_PROFILE=780m timeout 30 radeontop -d - -l 1 >"$tmp/rt" 2>&1
check "radeontop -d - -l 1 exits 0" test $? -eq 0
line=$(grep ': bus ' "$tmp/rt" | tail -n 1)
echo "     radeontop: $line"
check "radeontop found the card on bus c4" sh -c 'case "$1" in *"bus c4,"*) exit 0;; esac; exit 1' - "$line"

# "vram 0.59% 96.00mb, gtt 0.10% 40.00mb" against the device's own numbers
rt_vram=$(echo "$line" | sed -n 's/.*, vram \([0-9.]*\)% \([0-9.]*\)mb.*/\1 \2/p')
rt_gtt=$(echo "$line" | sed -n 's/.*, gtt \([0-9.]*\)% \([0-9.]*\)mb.*/\1 \2/p')
check "radeontop reports VRAM" test -n "$rt_vram"
check "radeontop reports GTT" test -n "$rt_gtt"
cmp_fig() { # cmp_fig "pct mb" used total
	python3 - "$@" <<'EOF'
import sys
pct, mb = map(float, sys.argv[1].split())
used, total = int(sys.argv[2]), int(sys.argv[3])
ok = abs(mb - used / 2**20) < 0.01 and abs(pct - 100.0 * used / total) < 0.01
print("     radeontop %.2f%% %.2fmb, device %.2f%% %.2fmb" % (pct, mb, 100.0 * used / total, used / 2**20))
sys.exit(0 if ok else 1)
EOF
}
[ -n "$rt_vram" ] && check "radeontop VRAM figures equal the device's" cmp_fig "$rt_vram" "$vram_used" "$vram_total"
[ -n "$rt_gtt" ] && check "radeontop GTT figures equal the device's" cmp_fig "$rt_gtt" "$gtt_used" "$gtt_total"

exec 7>&-
wait "$holder_pid" 2>/dev/null
holder_pid=
t_finish
