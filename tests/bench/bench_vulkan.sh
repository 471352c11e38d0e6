#!/bin/sh
# Benchmark (not a test): Mesa RADV's vector add of 2^20 floats on the vgpu,
# on both queue families; prints the time from vkQueueSubmit to the fence
# (the result is checked bit-exactly).  The goal is under 2 s per run.
#   sh tests/bench/bench_vulkan.sh [BUILD]
set -u
build=${1:-build}
vgpu=$(cd "$build" && pwd)/libamdbare-vgpu.so
icd=/usr/share/vulkan/icd.d/radeon_icd.x86_64.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; rm -f /dev/shm/amdbare-vgpu-benchvk-$$*' EXIT INT TERM
[ -n "${XDG_RUNTIME_DIR:-}" ] || { XDG_RUNTIME_DIR=$tmp; export XDG_RUNTIME_DIR; }
rc=0
for fam in compute gfx; do
	AMDBARE_VGPU_INSTANCE=benchvk-$$ LD_PRELOAD=$vgpu VK_ICD_FILENAMES=$icd \
		VKC_SPV_DIR=$build/vulkan "$build/vulkan/vkcompute" --family "$fam" --bench || rc=1
done
exit $rc
