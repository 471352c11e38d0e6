#!/bin/sh
# The checked-in differential-test code objects (tests/diff/*.co) are what
# their sources build to: rebuilds them into a temporary directory with
# tests/diff/rebuild.sh (clang-19 + ld.lld-19) and compares byte for byte.
# Skips, saying so, when clang-19 or ld.lld-19 is missing.
set -u
top=${AMDBARE_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
# The compiler is an ordinary program: never run it with the vgpu.
unset LD_PRELOAD
if ! command -v clang-19 >/dev/null 2>&1 || ! command -v ld.lld-19 >/dev/null 2>&1; then
	echo "SKIP: clang-19/ld.lld-19 not installed (apt-get install clang-19 lld-19)"
	echo "0 passed, 0 failed"
	exit 0
fi
passed=0 failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! sh "$top/tests/diff/rebuild.sh" "$tmp"; then
	echo "FAIL: tests/diff/rebuild.sh"
	failed=$((failed + 1))
fi
for cl in "$top"/tests/diff/*.cl; do
	n=$(basename "$cl" .cl)
	if [ ! -f "$top/tests/diff/$n.co" ]; then
		echo "FAIL: tests/diff/$n.co is not checked in"
		failed=$((failed + 1))
	elif cmp -s "$tmp/$n.co" "$top/tests/diff/$n.co"; then
		passed=$((passed + 1))
	else
		echo "FAIL: tests/diff/$n.co differs from a fresh build of $n.cl (run make diff-kernels)"
		failed=$((failed + 1))
	fi
	# the gfx1035 builds (wave32, wave64) and the gfx9 ones (gfx902,
	# gfx906, gfx90c): present exactly when the
	# source builds for gfx1035, and equal to a fresh build
	for d in gfx1035 gfx1035-w64 gfx902 gfx906 gfx90c; do
		if [ -f "$tmp/$d/$n.co" ] && cmp -s "$tmp/$d/$n.co" "$top/tests/diff/$d/$n.co"; then
			passed=$((passed + 1))
		elif [ ! -f "$tmp/$d/$n.co" ] && [ ! -f "$top/tests/diff/$d/$n.co" ]; then
			passed=$((passed + 1))
		else
			echo "FAIL: tests/diff/$d/$n.co differs from a fresh $d build of $n.cl (run make diff-kernels)"
			failed=$((failed + 1))
		fi
	done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
