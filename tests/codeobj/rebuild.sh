#!/bin/sh
# Rebuilds the checked-in code objects used by tests/test_codeobj.c and as
# fuzz seeds (needs clang-19 and lld-19).  Each one exercises something the
# loader must handle:
#   lds.co          gfx1103, v5, LDS (group segment) use
#   args.co         gfx1103, v5, two kernels, args of many kinds
#   copy_w64.co     gfx1103, v5, wave64
#   copy_v4.co      gfx1103, code object v4
#   copy_gfx1100.co gfx1100, v5
#   copy_generic.co gfx11-generic, v6 (generic targets need v6)
#   reloc.co        gfx1103, v5, one R_AMDGPU_RELATIVE64 (a global pointer)
#   scratch_gfx1035.co, scratch_gfx1035_w64.co
#                   gfx1035 (gfx10.3), v5, scratch through the private
#                   segment buffer and flat scratch init, wave32 and wave64
#   scratch_gfx900.co, scratch_gfx90a.co
#                   gfx9 (wave64 only), v5, the same scratch kernel; gfx90a's
#                   descriptor has COMPUTE_PGM_RSRC3 (ACCUM_OFFSET)
#   mfma_gfx90a.co  gfx90a, MFMA of every input type (C and D in AccVGPRs,
#                   global_load/store with the acc bit) and v_accvgpr_*
#   scratch_gfx90c_xnackoff.co, scratch_gfx906_sramecc.co
#                   target-id features in e_flags: gfx90c:xnack- and
#                   gfx906:sramecc+:xnack-
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build() { # out.co src.cl mcpu extra-flags...
	out=$1 src=$2 cpu=$3
	shift 3
	clang-19 -x cl -cl-std=CL2.0 -target amdgcn-amd-amdhsa -mcpu="$cpu" -O3 \
		-nogpulib "$@" -c "$src" -o "$tmp/${out%.co}.o"
	ld.lld-19 -shared "$tmp/${out%.co}.o" -o "$out"
}
build lds.co lds.cl gfx1103
build args.co args.cl gfx1103
build copy_w64.co copy.cl gfx1103 -mwavefrontsize64
build copy_v4.co copy.cl gfx1103 -mcode-object-version=4
build copy_gfx1100.co copy.cl gfx1100
build copy_generic.co copy.cl gfx11-generic -mcode-object-version=6
build reloc.co reloc.cl gfx1103
build scratch_gfx1035.co scratch.cl gfx1035 -mcode-object-version=5
build scratch_gfx1035_w64.co scratch.cl gfx1035 -mcode-object-version=5 -mwavefrontsize64
build scratch_gfx900.co scratch.cl gfx900 -mcode-object-version=5
build scratch_gfx90a.co scratch.cl gfx90a -mcode-object-version=5
build mfma_gfx90a.co mfma.cl gfx90a
build scratch_gfx90c_xnackoff.co scratch.cl gfx90c:xnack- -mcode-object-version=5
build scratch_gfx906_sramecc.co scratch.cl gfx906:sramecc+:xnack- -mcode-object-version=5
