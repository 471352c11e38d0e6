#!/bin/sh
# Debian's amdgpu_stress (package libdrm-tests) runs its SDMA copy mode on
# the virtual device: libdrm_amdgpu allocates and maps the BOs, builds
# sdma COPY LINEAR IBs itself, submits them with AMDGPU_CS and waits for
# the fences.  The vgpu's debug log must show every job executed on an
# SDMA ring without a fault; a copy larger than its destination must end
# in a VM fault that the program sees as a cancelled submission.
#
# Run by tests/run-tests.sh with LD_PRELOAD and AMDBARE_VGPU_INSTANCE set.
# Last line: "N passed, N failed"; exit status non-zero on any failure.
t_base=stress
. "$(dirname "$0")/lib/common.sh"
t_need_preload "test_amdgpu_stress: needs the virtual device (LD_PRELOAD of the vgpu); skipped"
if ! command -v amdgpu_stress >/dev/null 2>&1; then
	t_fail "amdgpu_stress not installed (package libdrm-tests)"
	t_finish
fi

# ---- 20 copies of 1 MiB, GTT -> VRAM ------------------------------------------
AMDBARE_VGPU_INSTANCE=$base-copy AMDBARE_VGPU_DEBUG=1 AMDBARE_VGPU_REPORT= \
	timeout 120 amdgpu_stress -b v 2m -b g 2m -b v 2m -c 1 2 1m 20 >"$tmp/out" 2>"$tmp/err"
check "amdgpu_stress copy exits 0" test $? -eq 0
check "amdgpu_stress reports 20 submitted IBs" grep -q "^Submitted 20 IBs to copy" "$tmp/out"
check "no submission failed" sh -c "! grep -q 'submission failed' '$tmp/out' '$tmp/err'"
n=$(grep -c "ring sdma[01]: ctx [0-9]* seq [0-9]* done (1 IBs) -> 0$" "$tmp/err")
check "the vgpu ran all 20 jobs on an SDMA ring ($n)" test "$n" -eq 20
check "no page fault and no ring timeout" \
	sh -c "! grep -q 'page fault\|timeout, signaled\|SDMA:' '$tmp/err'"

# ---- a copy past the end of its destination -----------------------------------
AMDBARE_VGPU_INSTANCE=$base-fault AMDBARE_VGPU_REPORT= \
	timeout 120 amdgpu_stress -b v 1m -b g 1m -c 1 2 2m 1 >"$tmp/out2" 2>"$tmp/err2"
check "an oversized copy is a VM fault" grep -q "\[gfxhub\] page fault" "$tmp/err2"
check "the fault names the first unmapped page" \
	grep -q "in page starting at address 0x0000000100400000" "$tmp/err2"
check "amdgpu_stress sees the job cancelled (-ECANCELED)" \
	grep -q "submission failed with -125" "$tmp/out2" "$tmp/err2"

t_finish
