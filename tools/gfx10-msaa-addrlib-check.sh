#!/bin/sh
# Builds tools/gfx10-msaa-addrlib-harness.cpp against Mesa's addrlib (a
# throwaway build in a temporary directory; nothing of it is linked into
# the vgpu or the tests) and compares the vgpu's gfx10.3 MSAA swizzle
# (shader/swizzle_gfx10.c) with addrlib over every sample of the harness's
# surfaces on the 680m, deck and 6800xt GB_ADDR_CONFIGs.  Not run by
# `make check` (it compiles addrlib: minutes).
#   sh tools/gfx10-msaa-addrlib-check.sh MESA_SRC
# (MESA_SRC: an unpacked Mesa 22.3.6 source tree, e.g. `apt-get source mesa`.)
set -e
MESA=${1:?usage: gfx10-msaa-addrlib-check.sh MESA_SRC}
HERE=$(cd "$(dirname "$0")/.." && pwd)
. "$HERE/tools/addrlib-build.sh"
for f in swizzle_gfx10 swizzle_gfx10_tables swizzle_gfx11 swizzle_gfx11_tables; do
	gcc -std=c11 -O1 -I"$HERE/tools/vgpu" -I"$HERE/tools/vgpu/shader" \
	    -c "$HERE/tools/vgpu/shader/$f.c" -o "$T/port_$f.o"
done
g++ -O1 -I$A/inc -I"$HERE/tools/vgpu" "$HERE/tools/gfx10-msaa-addrlib-harness.cpp" $T/*.o -o "$T/harness"
"$T/harness"
