// Throwaway harness: runs Mesa's addrlib (gfx10, RB+) to compute the
// addresses of every sample of multi-sample 2D surfaces, and compares them
// with the vgpu's port (tools/vgpu/shader/swizzle_gfx10.c:
// gfx10_swz_layout_msaa, addressed by swizzle_gfx11.c's
// gfx11_swz_offset_msaa, with the pipe/bank XOR applied as shader/mimg.c
// does).  Not part of the build, not linked into the vgpu or the tests;
// tools/gfx10-msaa-addrlib-check.sh builds it against an unpacked Mesa
// 22.3.6 source tree.  Exit status 1 on any difference, in an address, a
// slice size, or in which surfaces are refused (addrlib's
// Addr2ComputeSurfaceInfo against the port's layout function).
#include "addrinterface.h"
#include "addrlib-harness-client.h"
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern "C" {
#include "shader/swizzle_gfx10.h"
}

struct surf { unsigned w, h, slices; };

/* a texture (not a colour target: addrlib refuses Z_X MSAA colour
 * surfaces, a flag the T# does not carry), numSamples = numFrags */
static void fill(ADDR2_COMPUTE_SURFACE_INFO_INPUT *si, unsigned mode, unsigned e, unsigned frags,
		 const surf &s)
{
	si->size = sizeof(*si);
	si->swizzleMode = (AddrSwizzleMode)mode;
	si->flags.texture = 1;
	si->resourceType = ADDR_RSRC_TEX_2D;
	si->bpp = 8u << e;
	si->width = s.w;
	si->height = s.h;
	si->numSlices = s.slices;
	si->numMipLevels = 1;
	si->numSamples = frags;
	si->numFrags = frags;
}

struct prof { const char *name; unsigned family, rev, gb; };
static const prof profs[] = {
	{ "680m", 0x92, 0x20, 0x243 },  /* FAMILY_RMB (YC), Rembrandt */
	{ "deck", 0x90, 0x01, 0x142 },  /* FAMILY_VGH */
	{ "6800xt", 0x8F, 0x28, 0x444 }, /* FAMILY_NV, Navi 21 */
};
static const surf surfs[] = { { 48, 32, 1 }, { 130, 40, 1 }, { 16, 130, 2 }, { 300, 70, 3 } };
static const unsigned modes[] = { 0, 1, 2, 5, 6, 9, 10, 21, 22, 24, 25, 26, 27 };

int main()
{
	unsigned long bad = 0, checked = 0, surfaces = 0, both_refuse = 0, mismatch_refuse = 0;
	for (const prof &p : profs) {
		ADDR_HANDLE h = create(p.family, p.rev, p.gb);
		for (unsigned mode : modes)
			for (unsigned e = 0; e < 5; e++)
				for (unsigned frags = 2; frags <= 8; frags *= 2)
					for (const surf &s : surfs) {
						ADDR2_COMPUTE_SURFACE_INFO_INPUT si = {};
						ADDR2_COMPUTE_SURFACE_INFO_OUTPUT so = {};
						so.size = sizeof(so);
						fill(&si, mode, e, frags, s);
						bool a_ok = Addr2ComputeSurfaceInfo(h, &si, &so) == ADDR_OK;
						struct gfx11_swz sw;
						bool p_ok = gfx10_swz_layout_msaa(mode, e, p.gb, s.w, s.h, frags, &sw);
						if (a_ok != p_ok) {
							if (mismatch_refuse++ < 20)
								printf("%s mode %u e%u %ux%ux%u %ux: addrlib %s, port %s\n",
								       p.name, mode, e, s.w, s.h, s.slices, frags,
								       a_ok ? "accepts" : "refuses",
								       p_ok ? "accepts" : "refuses");
							continue;
						}
						if (!a_ok) {
							both_refuse++;
							continue;
						}
						surfaces++;
						if (so.sliceSize != sw.slice_bytes && bad++ < 20)
							printf("%s mode %u e%u %ux%u %ux: slice addrlib 0x%llx port 0x%llx\n",
							       p.name, mode, e, s.w, s.h, frags,
							       (unsigned long long)so.sliceSize,
							       (unsigned long long)sw.slice_bytes);
						uint64_t blk_mask = ((uint64_t)1 << sw.blk_log2) - 1;
						for (unsigned z = 0; z < s.slices; z++)
							for (unsigned y = 0; y < s.h; y++)
								for (unsigned x = 0; x < s.w; x++)
									for (unsigned smp = 0; smp < frags; smp++) {
										/* a pipe XOR inside the pipe bits
										 * (Addr2ComputePipeBankXor gives no
										 * other; addrlib masks the rest) */
										unsigned pbx = (x + y + smp) % (1u << (p.gb & 7));
										ADDR2_COMPUTE_SURFACE_ADDRFROMCOORD_INPUT in = {};
										ADDR2_COMPUTE_SURFACE_ADDRFROMCOORD_OUTPUT o = {};
										in.size = sizeof(in);
										o.size = sizeof(o);
										in.x = x;
										in.y = y;
										in.slice = z;
										in.sample = smp;
										in.swizzleMode = si.swizzleMode;
										in.flags = si.flags;
										in.resourceType = si.resourceType;
										in.bpp = si.bpp;
										in.unalignedWidth = s.w;
										in.unalignedHeight = s.h;
										in.numSlices = s.slices;
										in.numMipLevels = 1;
										in.numSamples = frags;
										in.numFrags = frags;
										in.pipeBankXor = pbx;
										if (Addr2ComputeSurfaceAddrFromCoord(h, &in, &o) != ADDR_OK) {
											if (bad++ < 20)
												printf("%s: addrlib refuses (%u,%u,%u) s%u\n",
												       p.name, x, y, z, smp);
											continue;
										}
										/* shader/mimg.c: the base's bits below the
										 * block (pbx << 8, Mesa's tile_swizzle) XOR
										 * the offset inside the block */
										uint64_t b = gfx11_swz_offset_msaa(&sw, x, y, z, smp);
										b = (b & ~blk_mask) | ((b & blk_mask) ^ ((uint64_t)pbx << 8));
										checked++;
										if (o.addr != b && bad++ < 20)
											printf("%s mode %u e%u %ux%ux%u %ux: (%u,%u,%u) s%u pbx %u: addrlib 0x%llx port 0x%llx\n",
											       p.name, mode, e, s.w, s.h, s.slices, frags,
											       x, y, z, smp, pbx, (unsigned long long)o.addr,
											       (unsigned long long)b);
									}
					}
		AddrDestroy(h);
	}
	printf("%lu sample addresses of %lu surfaces checked, %lu differ; %lu combinations both refuse, "
	       "%lu refused by one side only\n", checked, surfaces, bad, both_refuse, mismatch_refuse);
	return bad || mismatch_refuse ? 1 : 0;
}
