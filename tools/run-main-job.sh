#!/bin/sh
# The README's main job (`make run`): put a model into VRAM and GTT and
# prove it is there.
#   tools/run-main-job.sh BUILD_DIR
# Shows the device and its memory (`amdbare info`), then `amdbare demo`:
# a small generated safetensors model is planned, streamed into VRAM/GTT,
# proven (fdinfo and device usage deltas, GPU checksums of every tensor
# against the file's bytes) and used by a GEMV checked against the CPU.
# On a machine with an amdgpu render node it runs on that real GPU; without
# one it says so and runs on amdbare's virtual Radeon 780M (the vgpu).
set -u
# With the vgpu already preloaded even this script would see its fake node
# and call it real: start over without it.
case "${LD_PRELOAD:-}" in
*libamdbare-vgpu*) exec env -u LD_PRELOAD sh "$0" "$@" ;;
esac
build=${1:-build}
cli=$build/amdbare
if [ ! -x "$cli" ]; then
	echo "run-main-job: $cli is not built (run make first)" >&2
	exit 2
fi

# A render node counts only when its driver is amdgpu: an Intel or NVIDIA
# node next to it is not our device.
real=
for node in /dev/dri/renderD*; do
	[ -e "$node" ] || continue
	drv=$(readlink -f "/sys/class/drm/$(basename "$node")/device/driver" 2>/dev/null)
	if [ "$(basename "${drv:-none}")" = amdgpu ]; then
		real=$node
		break
	fi
done

# A vgpu selection in the environment would hijack the "real GPU" run.
unset AMDBARE_VGPU
if [ -n "$real" ]; then
	echo "running on the real GPU $real"
	echo
	"$cli" info || exit $?
	echo
	echo "\$ amdbare demo"
	exec "$cli" demo
fi

echo "no amdgpu GPU found: running on the virtual Radeon 780M (vgpu)"
echo
"$cli" --vgpu 780m info || exit $?
echo
echo "\$ amdbare --vgpu 780m demo"
exec "$cli" --vgpu 780m demo
