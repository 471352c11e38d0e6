#!/bin/sh
# The Python package's pytest suite (tests/python), on the vgpu.
#
# Run by tests/run-tests.sh with LD_PRELOAD=<vgpu> and its own
# AMDBARE_VGPU_INSTANCE, so the interpreter runs on the virtual device as a
# script after amdbare.use_vgpu() would.  Uses Debian's /usr/bin/python3
# (python3-numpy, python3-pytest; tools/install-deps.sh).  Ends with "N
# passed, N failed".
set -u
top=${AMDBARE_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
build=${AMDBARE_BUILD:-$top/build}
PY=/usr/bin/python3

# Python loads the plain build's libamdbare.so: a sanitizer build of the
# library (or of the preloaded vgpu) cannot be loaded into an uninstrumented
# interpreter, so those passes leave this suite to `make check`.
case "${SANITIZE:-}" in
?*)
	echo "python: not run under SANITIZE=$SANITIZE (the interpreter is not instrumented); make check runs it"
	echo "0 passed, 0 failed"
	exit 0
	;;
esac

if ! env -u LD_PRELOAD "$PY" -c 'import numpy, pytest' 2>/dev/null; then
	echo "FAIL python: $PY lacks numpy or pytest (apt-get install python3-numpy python3-pytest; tools/install-deps.sh)"
	echo "0 passed, 1 failed"
	exit 1
fi
if [ ! -f "$build/libamdbare.so" ]; then
	echo "FAIL python: $build/libamdbare.so is not built"
	echo "0 passed, 1 failed"
	exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
AMDBARE_LIBRARY="$build/libamdbare.so" AMDBARE_BUILD="$build" PYTHONPATH="$top/python" \
	PYTHONDONTWRITEBYTECODE=1 \
	"$PY" -m pytest -q -p no:cacheprovider "$top/tests/python" >"$log" 2>&1
rc=$?
cat "$log"
# pytest's last line: "== 3 failed, 40 passed, 1 error in 6.2s ==" (any order).
summary=" $(env -u LD_PRELOAD tail -n 1 "$log")"
p=$(echo "$summary" | env -u LD_PRELOAD sed -n 's/.*[^0-9]\([0-9][0-9]*\) passed.*/\1/p')
f=$(echo "$summary" | env -u LD_PRELOAD sed -n 's/.*[^0-9]\([0-9][0-9]*\) failed.*/\1/p')
e=$(echo "$summary" | env -u LD_PRELOAD sed -n 's/.*[^0-9]\([0-9][0-9]*\) error.*/\1/p')
p=${p:-0} f=${f:-0} e=${e:-0}
f=$((f + e))
[ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
