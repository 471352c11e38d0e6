#!/bin/sh
# Every source file includes only its own layer's headers and those of the
# layers below it (tools/check-layers.sh holds the order).
top=${AMDBARE_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
if sh "$top/tools/check-layers.sh" "$top"; then
	echo "1 passed, 0 failed"
else
	echo "0 passed, 1 failed"
	exit 1
fi
