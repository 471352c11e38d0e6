// The addrlib client both throwaway harnesses create
// (tools/gfx9-addrlib-harness.cpp, tools/gfx10-msaa-addrlib-harness.cpp):
// malloc/free callbacks and an ADDR_HANDLE for a chip family, revision
// and GB_ADDR_CONFIG, as Mesa's ac_surface.c creates one.  Include after
// addrinterface.h.
#ifndef ADDRLIB_HARNESS_CLIENT_H
#define ADDRLIB_HARNESS_CLIENT_H
#include <cstdio>
#include <cstdlib>

#define CIASICIDGFXENGINE_ARCTICISLAND 0x0000000D /* addrlib.h, as ac_surface.c defines it */

static void *alloc_cb(const ADDR_ALLOCSYSMEM_INPUT *in) { return malloc(in->sizeInBytes); }
static ADDR_E_RETURNCODE free_cb(const ADDR_FREESYSMEM_INPUT *in) { free(in->pVirtAddr); return ADDR_OK; }

static ADDR_HANDLE create(unsigned family, unsigned rev, unsigned gb)
{
	ADDR_CREATE_INPUT ci = {};
	ADDR_CREATE_OUTPUT co = {};
	ci.size = sizeof(ci);
	co.size = sizeof(co);
	ci.chipEngine = CIASICIDGFXENGINE_ARCTICISLAND;
	ci.chipFamily = family;
	ci.chipRevision = rev;
	ci.regValue.gbAddrConfig = gb;
	ci.callbacks.allocSysMem = alloc_cb;
	ci.callbacks.freeSysMem = free_cb;
	if (AddrCreate(&ci, &co) != ADDR_OK) {
		fprintf(stderr, "AddrCreate failed\n");
		exit(2);
	}
	return co.hLib;
}
#endif
