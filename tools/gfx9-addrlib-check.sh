#!/bin/sh
# Builds tools/gfx9-addrlib-harness.cpp against Mesa's addrlib (a throwaway
# build in a temporary directory; nothing of it is linked into the vgpu or
# the tests) and compares the vgpu's gfx9 swizzle port with addrlib over
# every texel of the harness's surfaces.  --samples prints sample addresses
# in the format of tests/shader/gfx9_addrlib.txt instead.
#   sh tools/gfx9-addrlib-check.sh MESA_SRC [--samples]
# (MESA_SRC: an unpacked Mesa 22.3.6 source tree, e.g. `apt-get source mesa`.)
set -e
MESA=${1:?usage: gfx9-addrlib-check.sh MESA_SRC [--samples]}
shift
HERE=$(cd "$(dirname "$0")/.." && pwd)
. "$HERE/tools/addrlib-build.sh"
gcc -std=c11 -O1 -I"$HERE/tools/vgpu" -c "$HERE/tools/vgpu/shader/swizzle_gfx9.c" -o "$T/port.o"
g++ -O1 -DPORT -I$A/inc -I"$HERE/tools/vgpu" "$HERE/tools/gfx9-addrlib-harness.cpp" $T/*.o -o "$T/harness"
"$T/harness" "$@"
