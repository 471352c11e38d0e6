// Differential kernels: private arrays indexed at run time, which clang
// places in scratch (the private segment: scratch_load/store), wave32
// (gfx1103's default).  private64.cl builds the same kernels for wave64.
#include "prelude.h"
#define KNAME(n) n
#include "private.h"
