/*
 * Data tables: GC IP version → gfx target, and family/revision → GC
 * version.  See device/gfx_target.h for the sources.
 */
#include "gfx_target.h"

#include <errno.h>
#include <stddef.h>

/* amdkfd/kfd_device.c (gfx_target_version), extended with the GC 11.5 and
 * 12.0 parts later kernels add. */
static const struct {
	uint8_t major, minor, rev;
	const char *target;
} gc_targets[] = {
	{ 9, 0, 1, "gfx900" },   /* Vega 10 */
	{ 9, 1, 0, "gfx902" },   /* Raven */
	{ 9, 2, 1, "gfx904" },   /* Vega 12 */
	{ 9, 2, 2, "gfx902" },   /* Raven2: kfd reports it as gfx902 */
	{ 9, 3, 0, "gfx90c" },   /* Renoir / Cezanne */
	{ 9, 4, 0, "gfx906" },   /* Vega 20 */
	{ 9, 4, 1, "gfx908" },   /* Arcturus */
	{ 9, 4, 2, "gfx90a" },   /* Aldebaran */
	{ 9, 4, 3, "gfx942" },
	{ 10, 1, 10, "gfx1010" }, /* Navi 10 */
	{ 10, 1, 2, "gfx1011" },  /* Navi 12 */
	{ 10, 1, 1, "gfx1012" },  /* Navi 14 */
	{ 10, 1, 3, "gfx1013" },  /* Cyan Skillfish */
	{ 10, 1, 4, "gfx1013" },
	{ 10, 3, 0, "gfx1030" },  /* Navi 21 */
	{ 10, 3, 2, "gfx1031" },  /* Navi 22 */
	{ 10, 3, 4, "gfx1032" },  /* Navi 23 */
	{ 10, 3, 1, "gfx1033" },  /* Van Gogh */
	{ 10, 3, 5, "gfx1034" },  /* Navi 24 */
	{ 10, 3, 3, "gfx1035" },  /* Rembrandt (680M) */
	{ 10, 3, 6, "gfx1036" },  /* Raphael */
	{ 10, 3, 7, "gfx1036" },  /* Mendocino: kfd reports gfx1036 */
	{ 11, 0, 0, "gfx1100" },  /* Navi 31 */
	{ 11, 0, 1, "gfx1103" },  /* Phoenix (780M) */
	{ 11, 0, 2, "gfx1102" },  /* Navi 33 */
	{ 11, 0, 3, "gfx1101" },  /* Navi 32 */
	{ 11, 0, 4, "gfx1103" },  /* Phoenix2 */
	{ 11, 5, 0, "gfx1150" },  /* Strix Point (890M) */
	{ 11, 5, 1, "gfx1151" },  /* Strix Halo (8060S) */
	{ 11, 5, 2, "gfx1152" },  /* Krackan Point (860M/840M) */
	{ 11, 5, 3, "gfx1153" },
	{ 12, 0, 0, "gfx1200" },
	{ 12, 0, 1, "gfx1201" },
};

const char *ab_gfx_target_for_gc(uint32_t major, uint32_t minor, uint32_t rev)
{
	for (size_t i = 0; i < sizeof(gc_targets) / sizeof(gc_targets[0]); i++)
		if (gc_targets[i].major == major && gc_targets[i].minor == minor &&
		    gc_targets[i].rev == rev)
			return gc_targets[i].target;
	return NULL;
}

/* Family ids from amdgpu_drm.h; the newer ones are missing from libdrm
 * 2.4.114's header. */
enum {
	FAMILY_AI = 141, FAMILY_RV = 142, FAMILY_NV = 143, FAMILY_VGH = 144,
	FAMILY_GC_11_0_0 = 145, FAMILY_YC = 146, FAMILY_GC_11_0_1 = 148,
	FAMILY_GC_10_3_6 = 149, FAMILY_GC_11_5_0 = 150, FAMILY_GC_10_3_7 = 151,
};

/* External revision ranges [first, end) per family: Mesa's
 * amdgpu_asic_addr.h. */
static const struct {
	uint32_t family;
	uint32_t rev_first, rev_end;
	uint8_t major, minor, rev;
} family_ranges[] = {
	{ FAMILY_AI, 0x01, 0x14, 9, 0, 1 },
	{ FAMILY_AI, 0x14, 0x28, 9, 2, 1 },
	{ FAMILY_AI, 0x28, 0x32, 9, 4, 0 },
	{ FAMILY_AI, 0x32, 0x3C, 9, 4, 1 },
	{ FAMILY_AI, 0x3C, 0x46, 9, 4, 2 },
	{ FAMILY_RV, 0x01, 0x81, 9, 1, 0 },
	{ FAMILY_RV, 0x81, 0x91, 9, 2, 2 },
	{ FAMILY_RV, 0x91, 0xFF, 9, 3, 0 },
	{ FAMILY_NV, 0x01, 0x0A, 10, 1, 10 },
	{ FAMILY_NV, 0x0A, 0x14, 10, 1, 2 },
	{ FAMILY_NV, 0x14, 0x28, 10, 1, 1 },
	{ FAMILY_NV, 0x28, 0x32, 10, 3, 0 },
	{ FAMILY_NV, 0x32, 0x3C, 10, 3, 2 },
	{ FAMILY_NV, 0x3C, 0x46, 10, 3, 4 },
	{ FAMILY_NV, 0x46, 0x50, 10, 3, 5 },
	{ FAMILY_VGH, 0x01, 0xFF, 10, 3, 1 },
	{ FAMILY_YC, 0x01, 0xFF, 10, 3, 3 },
	{ FAMILY_GC_10_3_6, 0x01, 0xFF, 10, 3, 6 },
	{ FAMILY_GC_10_3_7, 0x01, 0xFF, 10, 3, 7 },
	{ FAMILY_GC_11_0_0, 0x01, 0x10, 11, 0, 0 },
	{ FAMILY_GC_11_0_0, 0x10, 0x20, 11, 0, 2 },
	{ FAMILY_GC_11_0_0, 0x20, 0xFF, 11, 0, 3 },
	{ FAMILY_GC_11_0_1, 0x01, 0x80, 11, 0, 1 },  /* Phoenix1 */
	{ FAMILY_GC_11_0_1, 0x80, 0xC0, 11, 0, 4 },  /* Phoenix2 */
	{ FAMILY_GC_11_0_1, 0xC0, 0xF0, 11, 0, 1 },  /* Hawk Point1 */
	{ FAMILY_GC_11_0_1, 0xF0, 0xFF, 11, 0, 4 },  /* Hawk Point2 */
	{ FAMILY_GC_11_5_0, 0x01, 0x40, 11, 5, 0 },  /* Strix Point */
	{ FAMILY_GC_11_5_0, 0x40, 0x50, 11, 5, 2 },  /* Krackan Point: rev_id + 0x40 (soc21.c) */
	{ FAMILY_GC_11_5_0, 0xC0, 0xFF, 11, 5, 1 },  /* Strix Halo */
};

int ab_gc_from_family(uint32_t family, uint32_t external_rev, uint32_t *major,
		      uint32_t *minor, uint32_t *rev)
{
	for (size_t i = 0; i < sizeof(family_ranges) / sizeof(family_ranges[0]); i++) {
		if (family_ranges[i].family != family || external_rev < family_ranges[i].rev_first ||
		    external_rev >= family_ranges[i].rev_end)
			continue;
		*major = family_ranges[i].major;
		*minor = family_ranges[i].minor;
		*rev = family_ranges[i].rev;
		return 0;
	}
	return -ENOENT;
}
