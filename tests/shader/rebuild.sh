#!/bin/sh
# Rebuilds the code objects tests/test_vgpu_shader.c runs, from the OpenCL
# C sources next to this script (clang-19 + ld.lld-19, gfx1103).  The .co
# files are checked in so the tests need no compiler.
set -eu
cd "$(dirname "$0")"
build() { # source output extra-flags...
	src=$1 out=$2
	shift 2
	clang-19 -x cl -cl-std=CL2.0 -target amdgcn-amd-amdhsa -mcpu=gfx1103 -O3 -nogpulib \
		"$@" -c "$src" -o "$out.o"
	ld.lld-19 -shared "$out.o" -o "$out"
	rm -f "$out.o"
}
build saxpy.cl saxpy.co
build saxpy.cl saxpy-w64.co -mwavefrontsize64
build reduce.cl reduce.co
build reduce.cl reduce-w64.co -mwavefrontsize64
build spin.cl spin.co
build wide.cl wide.co
build wide.cl wide-w64.co -mwavefrontsize64
build wmma.cl wmma.co
build grid3d.cl grid3d.co
build grid3d.cl grid3d-w64.co -mwavefrontsize64
