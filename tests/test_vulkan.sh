#!/bin/sh
# The Vulkan compute suite (tests/vulkan): Mesa's RADV, unchanged, runs
# compute shaders on the virtual device; every result is checked bit-exactly
# against a CPU reference.  Runs on both queue families (the graphics family
# submits to the GFX ring, the compute-only family to a compute ring) and on
# a vgpu profile of each generation Mesa 22.3 knows (780m = GFX1103_R1,
# 7900xtx = GFX1100; 680m = REMBRANDT, gfx1035: the gfx10.3 command
# processor and shader core, wave64 shaders with shared VGPRs, images in
# gfx10's T# and swizzle modes, and the float image atomics RADV exposes
# there only (image_r32f_minmax, linear and tiled); raven = RAVEN, gfx902: the gfx9 command
# processor and shader core, DPP row_bcast/wave reductions and whole-wave
# ds_bpermute, and images in gfx9's T# and addrlib's gfx9 swizzle
# addressing; the MSAA image test runs on 680m in gfx10's RB+ multi-sample
# patterns and is skipped on raven, saying so: gfx9 MSAA images are not
# modelled).  Besides the suite's own shaders, RADV's internal
# (meta) shaders run: vkCmdFillBuffer, vkCmdUpdateBuffer, vkCmdCopyBuffer
# and, on the compute family, buffer<->image copies, all with sizes that
# leave a partial last workgroup, and on both families buffer<->image
# copies, a clear and an image-to-image copy of linear R32G32B32 images
# (RADV's r32g32b32 texel-buffer paths and the 96-bit T#;
# tests/vulkan/vkmeta.c).
#
# RADV is forced (VK_ICD_FILENAMES) so that llvmpipe is never picked by
# accident.  Run by tests/run-tests.sh with LD_PRELOAD and
# AMDBARE_VGPU_INSTANCE set; each profile gets its own instance (an
# instance's profile is fixed when it is created).
#
# Last line: "N passed, N failed"; exit status non-zero on any failure.
set -u
pass=0 fail=0
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}
if [ "${AMDBARE_TEST_MODE:-vgpu}" != vgpu ] || [ -z "${LD_PRELOAD:-}" ]; then
	echo "test_vulkan: needs the virtual device (LD_PRELOAD of the vgpu); skipped"
	finish
fi
build=${AMDBARE_BUILD:-build}
bin=$build/vulkan/vkcompute
icd=/usr/share/vulkan/icd.d/radeon_icd.x86_64.json
if [ ! -x "$bin" ] || [ ! -f "$icd" ]; then
	echo "FAIL test_vulkan: $bin or RADV's ICD $icd missing (tools/install-deps.sh installs mesa-vulkan-drivers, libvulkan-dev, glslang-tools)"
	fail=1
	finish
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
if [ -z "${XDG_RUNTIME_DIR:-}" ]; then
	XDG_RUNTIME_DIR=$tmp/xdg
	mkdir -m 700 "$XDG_RUNTIME_DIR"
	export XDG_RUNTIME_DIR
fi
# Under the ASan build of the vgpu, LeakSanitizer would report Mesa's
# exit-time allocations as the harness's: leak checking stays with the
# tests of our own code.
if [ -n "${ASAN_OPTIONS:-}" ]; then
	ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0"
	export ASAN_OPTIONS
fi
base=${AMDBARE_VGPU_INSTANCE:-vk$$}
for prof in 780m 7900xtx 680m raven; do
	inst=$base-$prof
	for fam in compute gfx; do
		out=$tmp/$prof-$fam.log
		extra=
		# gfx9 MSAA images are not modelled (shader/mimg_gfx9.c faults
		# naming the TYPE)
		[ "$prof" = raven ] && extra="--skip image_msaa_optimal"
		# $extra unquoted on purpose: no word when empty
		AMDBARE_VGPU_PROFILE=$prof AMDBARE_VGPU_INSTANCE=$inst VK_ICD_FILENAMES=$icd \
			VKC_SPV_DIR=$build/vulkan "$bin" --family "$fam" $extra >"$out" 2>&1
		rc=$?
		last=$(tail -n 1 "$out")
		p=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
		f=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
		if [ -z "$p" ] || [ -z "$f" ]; then
			p=0 f=1
		fi
		[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
		pass=$((pass + p)) fail=$((fail + f))
		sed "s/^/[$prof] /" "$out" | grep -v ' passed, .* failed$'
	done
	rm -f "/dev/shm/amdbare-vgpu-$inst" /dev/shm/amdbare-vgpu-"$inst"-* 2>/dev/null
done
finish
