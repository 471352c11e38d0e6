/*
 * Pure parsing: sizes, domains, size formatting, and the fdinfo parser on
 * texts as the kernels print them.  No device needed.
 */
#include "amdbare.h"
#include "device/fdinfo.h"
#include "device/gfx_target.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

Test(parse_size, plain_and_units)
{
	uint64_t v;
	cr_assert_eq(amdbare_parse_size("4096", &v), 0);
	cr_assert_eq(v, 4096);
	cr_assert_eq(amdbare_parse_size("64K", &v), 0);
	cr_assert_eq(v, 64 * 1024);
	cr_assert_eq(amdbare_parse_size("256M", &v), 0);
	cr_assert_eq(v, 256ull << 20);
	cr_assert_eq(amdbare_parse_size("4G", &v), 0);
	cr_assert_eq(v, 4ull << 30);
	cr_assert_eq(amdbare_parse_size("1.5G", &v), 0);
	cr_assert_eq(v, 3ull << 29);
	cr_assert_eq(amdbare_parse_size("2 MiB", &v), 0);
	cr_assert_eq(v, 2ull << 20);
	cr_assert_eq(amdbare_parse_size("  8kb ", &v), 0);
	cr_assert_eq(v, 8192);
	cr_assert_eq(amdbare_parse_size("1t", &v), 0);
	cr_assert_eq(v, 1ull << 40);
	cr_assert_eq(amdbare_parse_size("0", &v), 0);
	cr_assert_eq(v, 0);
}

Test(parse_size, junk_is_einval)
{
	uint64_t v = 77;
	const char *bad[] = { "", "abc", "-1", "4X", "4 G B", "1.", ".5G", "1.5", "12K3", "0x10" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(amdbare_parse_size(bad[i], &v), -EINVAL, "\"%s\" accepted", bad[i]);
		cr_assert_neq(amdbare_last_error()[0], '\0');
	}
	cr_assert_eq(v, 77, "output touched on failure");
	cr_assert_eq(amdbare_parse_size(NULL, &v), -EINVAL);
}

Test(parse_size, overflow_is_erange)
{
	uint64_t v;
	cr_assert_eq(amdbare_parse_size("18446744073709551615", &v), 0);
	cr_assert_eq(v, UINT64_MAX);
	cr_assert_eq(amdbare_parse_size("18446744073709551616", &v), -ERANGE);
	cr_assert_eq(amdbare_parse_size("99999999999999999999999", &v), -ERANGE);
	cr_assert_eq(amdbare_parse_size("16777216T", &v), -ERANGE);
	cr_assert_eq(amdbare_parse_size("16777215.9999T", &v), 0);
}

Test(parse_domains, accepted_forms)
{
	uint32_t d;
	cr_assert_eq(amdbare_parse_domains("vram", &d), 0);
	cr_assert_eq(d, AMDBARE_DOMAIN_VRAM);
	cr_assert_eq(amdbare_parse_domains("GTT", &d), 0);
	cr_assert_eq(d, AMDBARE_DOMAIN_GTT);
	cr_assert_eq(amdbare_parse_domains("vram,gtt", &d), 0);
	cr_assert_eq(d, AMDBARE_DOMAIN_VRAM | AMDBARE_DOMAIN_GTT);
	cr_assert_eq(amdbare_parse_domains("Gtt , VRAM", &d), 0);
	cr_assert_eq(d, AMDBARE_DOMAIN_VRAM | AMDBARE_DOMAIN_GTT);
}

Test(parse_domains, rejected_forms)
{
	uint32_t d = 99;
	const char *bad[] = { "", "cpu", "vram,", ",gtt", "vramgtt", "vram;gtt", "gds" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(amdbare_parse_domains(bad[i], &d), -EINVAL, "\"%s\" accepted", bad[i]);
	cr_assert_eq(d, 99);
}

Test(format, sizes_and_domain_names)
{
	char buf[32];
	cr_assert_str_eq(amdbare_format_size(0, buf, sizeof(buf)), "0 B");
	cr_assert_str_eq(amdbare_format_size(1023, buf, sizeof(buf)), "1023 B");
	cr_assert_str_eq(amdbare_format_size(1024, buf, sizeof(buf)), "1.00 KiB");
	cr_assert_str_eq(amdbare_format_size(3ull << 29, buf, sizeof(buf)), "1.50 GiB");
	cr_assert_str_eq(amdbare_format_size(16ull << 30, buf, sizeof(buf)), "16.00 GiB");
	cr_assert_str_eq(amdbare_format_size(UINT64_MAX, buf, sizeof(buf)), "16.00 EiB");
	char tiny[4];
	cr_assert_str_eq(amdbare_format_size(1ull << 20, tiny, sizeof(tiny)), "1.0");
	cr_assert_str_eq(amdbare_domain_name(AMDBARE_DOMAIN_VRAM), "VRAM");
	cr_assert_str_eq(amdbare_domain_name(AMDBARE_DOMAIN_GTT), "GTT");
	cr_assert_str_eq(amdbare_domain_name(AMDBARE_DOMAIN_VRAM | AMDBARE_DOMAIN_GTT), "VRAM|GTT");
	cr_assert_str_eq(amdbare_domain_name(0), "none");
}

/* As Linux 6.1's amdgpu_show_fdinfo prints it (note the space before the
 * tab on the gtt/cpu lines). */
static const char fdinfo_61[] =
	"pos:\t0\n"
	"flags:\t02100002\n"
	"mnt_id:\t23\n"
	"ino:\t9\n"
	"pasid:\t32770\n"
	"drm-driver:\tamdgpu\n"
	"drm-pdev:\t0000:c4:00.0\n"
	"drm-client-id:\t77\n"
	"drm-memory-vram:\t16384 KiB\n"
	"drm-memory-gtt: \t2048 KiB\n"
	"drm-memory-cpu: \t0 KiB\n"
	"drm-engine-gfx:\t1234 ns\n";

Test(fdinfo, linux_6_1_text)
{
	amdbare_process_usage u;
	cr_assert_eq(ab_fdinfo_parse(fdinfo_61, &u), 0);
	cr_assert(u.has_vram && u.has_gtt && u.has_cpu);
	cr_assert_eq(u.vram, 16384ull * 1024);
	cr_assert_eq(u.gtt, 2048ull * 1024);
	cr_assert_eq(u.cpu, 0);
	cr_assert_eq(u.client_id, 77);
	cr_assert_not(u.has_visible_vram || u.has_evicted_vram || u.has_requested_vram ||
		      u.has_requested_gtt);
}

/* A newer kernel: drm-total/drm-resident per region (units chosen per value,
 * bytes when not divisible), drm-memory-* kept as aliases of total, and the
 * amd-* keys.  resident must win over memory/total whatever the order. */
static const char fdinfo_new[] =
	"drm-driver:\tamdgpu\n"
	"drm-client-id:\t5\n"
	"drm-resident-vram:\t8 MiB\n"
	"drm-memory-vram:\t12288 KiB\n"
	"drm-total-vram:\t12 MiB\n"
	"drm-total-gtt:\t3 MiB\n"
	"drm-memory-gtt:\t3072 KiB\n"
	"drm-resident-gtt:\t7340032\n"
	"drm-total-cpu:\t0\n"
	"drm-resident-cpu:\t0\n"
	"amd-memory-visible-vram:\t4096 KiB\n"
	"amd-evicted-vram:\t4 MiB\n"
	"amd-requested-vram:\t12 MiB\n"
	"amd-requested-gtt:\t1 GiB\n"
	"drm-cycles-gfx:\t1000\n";

Test(fdinfo, newer_kernel_text)
{
	amdbare_process_usage u;
	cr_assert_eq(ab_fdinfo_parse(fdinfo_new, &u), 0);
	cr_assert_eq(u.vram, 8ull << 20, "resident-vram must win: got %llu", (unsigned long long)u.vram);
	cr_assert_eq(u.gtt, 7340032ull, "resident-gtt (bytes, no unit) must win");
	cr_assert(u.has_cpu);
	cr_assert_eq(u.cpu, 0);
	cr_assert(u.has_visible_vram && u.has_evicted_vram && u.has_requested_vram &&
		  u.has_requested_gtt);
	cr_assert_eq(u.visible_vram, 4ull << 20);
	cr_assert_eq(u.evicted_vram, 4ull << 20);
	cr_assert_eq(u.requested_vram, 12ull << 20);
	cr_assert_eq(u.requested_gtt, 1ull << 30);
	cr_assert_eq(u.client_id, 5);
}

Test(fdinfo, total_only_is_used)
{
	amdbare_process_usage u;
	cr_assert_eq(ab_fdinfo_parse("drm-total-vram:\t2 MiB\ndrm-total-gtt:\t0\n", &u), 0);
	cr_assert(u.has_vram && u.has_gtt && !u.has_cpu);
	cr_assert_eq(u.vram, 2ull << 20);
}

Test(fdinfo, no_memory_keys_is_enodata)
{
	amdbare_process_usage u;
	const char *old = "pos:\t0\nflags:\t02\ndrm-driver:\tamdgpu\ndrm-client-id:\t3\n"
			  "drm-engine-gfx:\t5 ns\n";
	cr_assert_eq(ab_fdinfo_parse(old, &u), -ENODATA);
	cr_assert_eq(ab_fdinfo_parse("", &u), -ENODATA);
}

Test(fdinfo, malformed_lines_are_skipped)
{
	amdbare_process_usage u;
	const char *text = "garbage without colon\n"
			   "drm-memory-vram:\tlots KiB\n"
			   "drm-memory-vram:\t12 furlongs\n"
			   "drm-memory-gtt:\t4 KiB\r\n"
			   ":\t\n"
			   "drm-memory-vram:\t99999999999999999999999 KiB\n";
	cr_assert_eq(ab_fdinfo_parse(text, &u), 0);
	cr_assert_not(u.has_vram);
	cr_assert(u.has_gtt);
	cr_assert_eq(u.gtt, 4096);
}

Test(gfx_target, gc_versions_map_like_kfd)
{
	struct { uint32_t ma, mi, rv; const char *target; } cases[] = {
		{ 11, 0, 0, "gfx1100" }, { 11, 0, 1, "gfx1103" }, { 11, 0, 2, "gfx1102" },
		{ 11, 0, 3, "gfx1101" }, { 11, 0, 4, "gfx1103" }, { 11, 5, 0, "gfx1150" },
		{ 11, 5, 1, "gfx1151" }, { 11, 5, 2, "gfx1152" }, { 10, 3, 0, "gfx1030" },
		{ 10, 3, 3, "gfx1035" },
		{ 10, 3, 7, "gfx1036" }, { 9, 3, 0, "gfx90c" }, { 9, 4, 2, "gfx90a" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *t = ab_gfx_target_for_gc(cases[i].ma, cases[i].mi, cases[i].rv);
		cr_assert_not_null(t, "%u.%u.%u unknown", cases[i].ma, cases[i].mi, cases[i].rv);
		cr_assert_str_eq(t, cases[i].target);
	}
	cr_assert_null(ab_gfx_target_for_gc(11, 9, 9));
	cr_assert_null(ab_gfx_target_for_gc(0, 0, 0));
}

Test(gfx_target, family_and_revision_fallback)
{
	struct { uint32_t family, rev, ma, mi, rv; } cases[] = {
		{ 148, 0x01, 11, 0, 1 },  /* Phoenix1 */
		{ 148, 0x80, 11, 0, 4 },  /* Phoenix2 */
		{ 145, 0x01, 11, 0, 0 },  /* Navi 31 */
		{ 145, 0x10, 11, 0, 2 },  /* Navi 33 */
		{ 145, 0x20, 11, 0, 3 },  /* Navi 32 */
		{ 150, 0x01, 11, 5, 0 },  /* Strix Point */
		{ 150, 0xC1, 11, 5, 1 },  /* Strix Halo */
		{ 150, 0x40, 11, 5, 2 },  /* Krackan Point: rev_id + 0x40 */
		{ 150, 0x4F, 11, 5, 2 },
		{ 143, 0x28, 10, 3, 0 },  /* Navi 21 */
		{ 146, 0x01, 10, 3, 3 },  /* Rembrandt */
		{ 142, 0x91, 9, 3, 0 },   /* Renoir */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t ma = 0, mi = 0, rv = 0;
		cr_assert_eq(ab_gc_from_family(cases[i].family, cases[i].rev, &ma, &mi, &rv), 0,
			     "family %u rev 0x%x", cases[i].family, cases[i].rev);
		cr_assert(ma == cases[i].ma && mi == cases[i].mi && rv == cases[i].rv,
			  "family %u rev 0x%x gave %u.%u.%u", cases[i].family, cases[i].rev, ma, mi, rv);
	}
	uint32_t ma, mi, rv;
	cr_assert_eq(ab_gc_from_family(150, 0x50, &ma, &mi, &rv), -ENOENT);
	cr_assert_eq(ab_gc_from_family(999, 1, &ma, &mi, &rv), -ENOENT);
}
