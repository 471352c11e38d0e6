# Sourced by the addrlib comparison scripts (tools/gfx9-addrlib-check.sh,
# tools/gfx10-msaa-addrlib-check.sh): compiles Mesa's addrlib under
# $MESA/src/amd/addrlib into object files in a temporary directory.
# Sets A (the addrlib source directory) and T (the directory, removed at
# exit); the caller has `set -e` and MESA set.
A=$MESA/src/amd/addrlib
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
for f in $A/src/addrinterface.cpp $A/src/core/*.cpp $A/src/gfx9/*.cpp $A/src/gfx10/*.cpp \
	 $A/src/gfx11/*.cpp $A/src/r800/*.cpp; do
	g++ -O1 -w -DNDEBUG -DADDR_FASTCALL= -DLITTLEENDIAN_CPU -I$A/inc -I$A/src -I$A/src/core \
	    -I$A/src/chip/gfx9 -I$A/src/chip/gfx10 -I$A/src/chip/gfx11 -I$A/src/chip/r800 \
	    -c "$f" -o "$T/$(basename "$f" .cpp).o"
done
