#!/bin/sh
# The Vulkan compute suite (tests/vulkan): Mesa's RADV, unchanged, runs
# compute shaders on the virtual device; every result is checked bit-exactly
# against a CPU reference.  Runs on both queue families (the graphics family
# submits to the GFX ring, the compute-only family to a compute ring) and on
# every vgpu profile Mesa 22.3 knows (780m = GFX1103_R1, 7900xtx = GFX1100).
#
# RADV is forced (VK_ICD_FILENAMES) so that llvmpipe is never picked by
# accident.  Run by tests/run-tests.sh with LD_PRELOAD and
# AMDBARE_VGPU_INSTANCE set; each profile gets its own instance (an
# instance's profile is fixed when it is created).
#
# Tests that stop at an instruction the shader core does not execute yet
# (the gfx11 VALU/DPP/... work tracked separately) are reported as
# "pending" with the instruction's name, and are not failures, as long as
# that instruction is one of PENDING_SHADER_CORE below; any other failure
# counts.  Once the shader core runs them they simply pass.
#
# Last line: "N passed, N failed"; exit status non-zero on any failure.
set -u
# Instructions ACO emits for the suite that the shader core does not run
# yet (docs/vgpu.md, the RADV table): FLOAT_MODE (RADV's default
# COMPUTE_PGM_RSRC1.FLOAT_MODE 0xc0, vadd_default_float_mode; the other
# tests ask for 0xf0), v_rcp_f32 (integer division),
# DPP forms (subgroup arithmetic, and the wave-reduced atomics),
# v_add_nc_u16 with op_sel (16-bit addressing in the f16 test).
PENDING_SHADER_CORE="FLOAT_MODE v_rcp_f32_e32 v_add_nc_u32_dpp v_add_nc_u16"
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
for prof in 780m 7900xtx; do
	inst=$base-$prof
	for fam in compute gfx; do
		out=$tmp/$prof-$fam.log
		AMDBARE_VGPU_PROFILE=$prof AMDBARE_VGPU_INSTANCE=$inst VK_ICD_FILENAMES=$icd \
			VKC_SPV_DIR=$build/vulkan "$bin" --family "$fam" >"$out" 2>&1
		rc=$?
		# A FAIL right after an illegal-instruction fault naming a pending
		# instruction is pending, not failed.
		pend=$(awk -v list="$PENDING_SHADER_CORE" '
			BEGIN { n = split(list, a, " "); for (i = 1; i <= n; i++) ok[a[i]] = 1 }
			/illegal instruction / {
				s = $0; sub(/.*illegal instruction /, "", s); split(s, w, " "); insn = w[1]; next }
			/RSRC1.FLOAT_MODE .* is not supported/ { insn = "FLOAT_MODE"; next }
			/^(ok  |FAIL) / {
				if ($1 == "FAIL" && insn in ok) print $2 " " insn
				insn = "" }' "$out")
		npend=0
		if [ -n "$pend" ]; then
			npend=$(echo "$pend" | wc -l)
			echo "$pend" | sed "s/^\([^ ]*\) \(.*\)/[$prof] pending \1 ($fam): stops at \2, not yet run by the shader core/"
		fi
		last=$(tail -n 1 "$out")
		p=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
		f=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
		if [ -z "$p" ] || [ -z "$f" ]; then
			p=0 f=1
		fi
		f=$((f - npend))
		[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && [ "$npend" -eq 0 ] && f=1
		pass=$((pass + p)) fail=$((fail + f))
		sed "s/^/[$prof] /" "$out" | grep -v ' passed, .* failed$'
	done
	rm -f "/dev/shm/amdbare-vgpu-$inst" /dev/shm/amdbare-vgpu-"$inst"-* 2>/dev/null
done
finish
