#!/bin/sh
# The checked-in kernel objects (kernels/bin/*.co) are what their sources
# build to: rebuilds every kernels/<module>.cl for every target with
# kernels/build.sh into a temporary directory and compares byte for byte;
# also every checked-in object must have a source (no stale leftovers).
# The fresh build runs in another directory, at another time, than the one
# that made the checked-in copies, so equality also shows the build embeds
# no paths or dates.
# Skips, saying so, when clang-19 or ld.lld-19 is missing.
set -u
top=${AMDBARE_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
# The compiler is an ordinary program: never run it with the vgpu.
unset LD_PRELOAD
if ! command -v clang-19 >/dev/null 2>&1 || ! command -v ld.lld-19 >/dev/null 2>&1; then
	echo "SKIP: clang-19/ld.lld-19 not installed (apt-get install clang-19 lld-19): the checked-in kernels/bin/*.co were not compared with a fresh build"
	echo "0 passed, 0 failed"
	exit 0
fi
passed=0 failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/a"
if ! sh "$top/kernels/build.sh" "$tmp/a"; then
	echo "FAIL: kernels/build.sh"
	failed=$((failed + 1))
fi
for co in "$tmp"/a/*.co; do
	[ -f "$co" ] || continue
	n=$(basename "$co")
	if [ ! -f "$top/kernels/bin/$n" ]; then
		echo "FAIL: kernels/bin/$n is not checked in (run make kernels)"
		failed=$((failed + 1))
	elif cmp -s "$co" "$top/kernels/bin/$n"; then
		passed=$((passed + 1))
	else
		echo "FAIL: kernels/bin/$n differs from a fresh build (run make kernels)"
		failed=$((failed + 1))
	fi
done
for co in "$top"/kernels/bin/*.co; do
	[ -f "$co" ] || continue
	n=$(basename "$co")
	if [ ! -f "$tmp/a/$n" ]; then
		echo "FAIL: kernels/bin/$n has no source in kernels/ (remove it)"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
