// Differential kernels: the private-array kernels of private.h built for
// wave64 (rebuild.sh takes -mwavefrontsize64 from private64.flags), so
// each scratch access spreads over 64 lanes and a wave's slot is twice
// the wave32 one.  Names end in 64.
#include "prelude.h"
#define KNAME(n) n##64
#include "private.h"
