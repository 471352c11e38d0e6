// Throwaway harness: runs Mesa's addrlib (gfx9) to compute texel addresses
// of tiled gfx9 surfaces, for checking the vgpu's port
// (tools/vgpu/shader/swizzle_gfx9.c).  Not part of the build, not linked
// into the vgpu or the tests.  tools/gfx9-addrlib-check.sh builds it
// against an unpacked Mesa 22.3.6 source tree and
//  - with PORT defined, also links the port and compares every texel of
//    every surface it lists (exit status 1 on any difference);
//  - prints sample addresses in the format of tests/shader/gfx9_addrlib.txt.
#include "addrinterface.h"
#include "addrlib-harness-client.h"
#include <cstdio>
#include <cstdlib>
#include <cstring>

#ifdef PORT
extern "C" {
#include "shader/swizzle_gfx9.h"
}
#endif

static bool addr_of(ADDR_HANDLE h, unsigned mode, unsigned elog2, bool is3d, unsigned w, unsigned hh,
		    unsigned d, unsigned levels, unsigned x, unsigned y, unsigned s, unsigned mip,
		    unsigned pbx, unsigned long long *out)
{
	ADDR2_COMPUTE_SURFACE_ADDRFROMCOORD_INPUT in = {};
	ADDR2_COMPUTE_SURFACE_ADDRFROMCOORD_OUTPUT o = {};
	in.size = sizeof(in);
	o.size = sizeof(o);
	in.x = x;
	in.y = y;
	in.slice = s;
	in.mipId = mip;
	in.swizzleMode = (AddrSwizzleMode)mode;
	in.flags.texture = 1;
	in.resourceType = is3d ? ADDR_RSRC_TEX_3D : ADDR_RSRC_TEX_2D;
	in.bpp = 8u << elog2;
	in.unalignedWidth = w;
	in.unalignedHeight = hh;
	in.numSlices = d;
	in.numMipLevels = levels;
	in.numSamples = 1;
	in.numFrags = 1;
	in.pipeBankXor = pbx;
	if (Addr2ComputeSurfaceAddrFromCoord(h, &in, &o) != ADDR_OK)
		return false;
	*out = o.addr;
	return true;
}

struct prof { const char *name; unsigned family, rev, gb; };
static const prof profs[] = {
	{ "raven", 0x8E, 0x01, 0x24000042 },
	{ "cezanne", 0x8E, 0x91, 0x22010042 },
	{ "mi50", 0x8D, 0x28, 0x22014042 },
};
struct surf { unsigned w, h, d, levels; bool is3d; };
static const surf surfs[] = {
	{ 37, 19, 1, 1, false }, { 64, 64, 3, 7, false }, { 300, 70, 2, 9, false },
	{ 16, 16, 1, 5, false }, { 5, 200, 1, 8, false }, { 17, 9, 5, 1, true },
	{ 40, 24, 20, 4, true }, { 8, 8, 8, 4, true },
};
static const unsigned modes_list[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19,
				       20, 21, 22, 23, 24, 25, 26, 27 };

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--addr")) {
		/* stdin lines: profile mode elem_log2 is3d w h d levels x y z mip pbx;
		 * prints each with addrlib's address (the test data of
		 * tests/test_vgpu_gfx9_image.c) */
		char name[32];
		unsigned v[12];
		while (scanf("%31s %u %u %u %u %u %u %u %u %u %u %u %u", name, &v[0], &v[1], &v[2], &v[3],
			     &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10], &v[11]) == 13) {
			const prof *p = NULL;
			for (const prof &q : profs)
				if (!strcmp(q.name, name))
					p = &q;
			if (!p)
				return 2;
			ADDR_HANDLE h = create(p->family, p->rev, p->gb);
			unsigned long long a = 0;
			bool ok = addr_of(h, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10],
					  v[11], &a);
			/* and the surface's epitch as ac_surface.c writes it */
			ADDR2_COMPUTE_SURFACE_INFO_INPUT si = {};
			ADDR2_COMPUTE_SURFACE_INFO_OUTPUT so = {};
			si.size = sizeof(si);
			so.size = sizeof(so);
			si.swizzleMode = (AddrSwizzleMode)v[0];
			si.flags.texture = 1;
			si.resourceType = v[2] ? ADDR_RSRC_TEX_3D : ADDR_RSRC_TEX_2D;
			si.bpp = 8u << v[1];
			si.width = v[3];
			si.height = v[4];
			si.numSlices = v[5];
			si.numMipLevels = v[6];
			si.numSamples = 1;
			si.numFrags = 1;
			unsigned epitch = 0;
			if (Addr2ComputeSurfaceInfo(h, &si, &so) == ADDR_OK)
				epitch = so.epitchIsHeight ? so.mipChainHeight - 1 : so.mipChainPitch - 1;
			printf("%s %u %u %u %u %u %u %u %u %u %u %u %u %s0x%llx epitch %u\n", name, v[0], v[1],
			       v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11],
			       ok ? "" : "refused ", a, epitch);
			AddrDestroy(h);
		}
		return 0;
	}
	bool samples = argc > 1 && !strcmp(argv[1], "--samples");
	unsigned long bad = 0, checked = 0, refused = 0;
	for (const prof &p : profs) {
		ADDR_HANDLE h = create(p.family, p.rev, p.gb);
		for (unsigned mode : modes_list)
			for (unsigned e = 0; e < 5; e++)
				for (const surf &s : surfs) {
					unsigned long long a;
					if (!addr_of(h, mode, e, s.is3d, s.w, s.h, s.d, s.levels, 0, 0, 0, 0, 0, &a))
						continue;   /* a combination addrlib refuses */
#ifdef PORT
					struct gfx9_swz sw;
					if (!gfx9_swz_layout(mode, e, p.gb, s.is3d, s.w, s.h, s.d, s.levels, 0, &sw)) {
						refused++;   /* the port's documented refusals */
						continue;
					}
#endif
					for (unsigned l = 0; l < s.levels; l++) {
						unsigned lw = s.w >> l ? s.w >> l : 1, lh = s.h >> l ? s.h >> l : 1;
						unsigned ld = s.is3d ? (s.d >> l ? s.d >> l : 1) : s.d;
						for (unsigned z = 0; z < ld; z++)
							for (unsigned y = 0; y < lh; y++)
								for (unsigned x = 0; x < lw; x++) {
									unsigned pbx = (x + z) % 3 == 0 && mode >= 20 ? 1 : 0;
									if (!addr_of(h, mode, e, s.is3d, s.w, s.h, s.d, s.levels,
										     x, y, z, l, pbx, &a))
										continue;
									checked++;
#ifdef PORT
									unsigned long long b = gfx9_swz_offset(&sw, x, y, z, l, pbx);
									if (a != b && bad++ < 20)
										printf("%s %s e%u %ux%ux%u l%u: (%u,%u,%u) mip %u pbx %u: addrlib 0x%llx port 0x%llx\n",
										       p.name, gfx9_swz_mode_name(mode), e, s.w, s.h, s.d,
										       s.levels, x, y, z, l, pbx, a, b);
#endif
									if (samples && mode >= 20 && ((x * 7 + y * 13 + z * 5 + l) % 997) == 0)
										printf("%s %u %u %u %u %u %u %u %u %u %u %u %u 0x%llx\n",
										       p.name, mode, e, s.is3d, s.w, s.h, s.d,
										       s.levels, x, y, z, l, pbx, a);
								}
					}
				}
		AddrDestroy(h);
	}
	fprintf(stderr, "%lu addresses checked, %lu differ; %lu surfaces the port refuses\n",
		checked, bad, refused);
	return bad ? 1 : 0;
}
