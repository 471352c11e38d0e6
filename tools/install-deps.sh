#!/bin/sh
# Installs what amdbare needs to build and test on Debian 12 (bookworm).
# Runs apt-get as root, or through sudo for a normal user.
set -eu
if [ "$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi
# libclang-rt-19-dev: clang-19's libFuzzer runtime, for tests/fuzz and
# tests/test_fuzz_short.sh.
# valgrind: callgrind instruction counts in tests/bench/bench_dispatch.sh
# (make bench).
# python3-numpy, python3-pytest: the Python package (python/amdbare) and its
# tests (tests/test_python.sh), for Debian's /usr/bin/python3.
# libclc-19, libclc-19-dev: the OpenCL builtins tests/diff/clc.cl links
# (rebuilding it: make diff-kernels, tests/test_diff_kernels_fresh.sh).
# mesa-vulkan-drivers (RADV), libvulkan-dev, glslang-tools: the Vulkan
# compute suite (tests/vulkan, tests/test_vulkan.sh) runs Mesa's RADV on
# the vgpu; its GLSL shaders are compiled by glslangValidator at build
# time.  vulkan-tools: vulkaninfo, to look at what RADV sees.
PKGS="build-essential pkg-config libdrm-dev libelf-dev libcriterion-dev
      libdrm-tests radeontop python3 clang-19 lld-19 llvm-19
      libclang-rt-19-dev valgrind python3-numpy python3-pytest
      libclc-19 libclc-19-dev mesa-vulkan-drivers libvulkan-dev
      glslang-tools vulkan-tools"
# Skip apt entirely when everything is already there (fast re-runs).
missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "install-deps: installing$missing"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
