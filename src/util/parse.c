/*
 * Text helpers for reporting and command lines: sizes with binary units,
 * memory domain names.
 */
#include "amdbare.h"
#include "api.h"
#include "error.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Unit suffix → multiplier.  Binary units only: "1G" means GiB here, as in
 * the kernel's own memparse(). */
static int unit_multiplier(const char *unit, size_t len, uint64_t *mult)
{
	static const struct {
		const char *names[3];
		uint64_t mult;
	} units[] = {
		{ { "b", NULL, NULL }, 1 },
		{ { "k", "kb", "kib" }, 1ull << 10 },
		{ { "m", "mb", "mib" }, 1ull << 20 },
		{ { "g", "gb", "gib" }, 1ull << 30 },
		{ { "t", "tb", "tib" }, 1ull << 40 },
	};
	if (len == 0) {
		*mult = 1;
		return 0;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		for (size_t j = 0; j < 3 && units[i].names[j]; j++)
			if (strlen(units[i].names[j]) == len &&
			    strncasecmp(unit, units[i].names[j], len) == 0) {
				*mult = units[i].mult;
				return 0;
			}
	return -EINVAL;
}

AB_API int amdbare_parse_size(const char *text, uint64_t *bytes)
{
	if (!text || !bytes)
		return ab_set_error(EINVAL, "parse size: NULL argument");
	const char *p = text;
	while (isspace((unsigned char)*p))
		p++;
	if (!isdigit((unsigned char)*p))
		return ab_set_error(EINVAL, "size \"%s\": expected a number such as 4096, 64K, 256M, 1.5G", text);

	/* Integer part, checked for overflow as we go. */
	unsigned __int128 whole = 0;
	while (isdigit((unsigned char)*p)) {
		whole = whole * 10 + (unsigned)(*p - '0');
		if (whole > UINT64_MAX)
			return ab_set_error(ERANGE, "size \"%s\" does not fit in 64 bits", text);
		p++;
	}
	/* Fraction: kept as digits/10^n; more than 12 digits add nothing. */
	uint64_t frac = 0, frac_div = 1;
	bool has_point = false;
	if (*p == '.') {
		has_point = true;
		p++;
		if (!isdigit((unsigned char)*p))
			return ab_set_error(EINVAL, "size \"%s\": digits expected after '.'", text);
		while (isdigit((unsigned char)*p)) {
			if (frac_div < 1000000000000ull) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				frac_div *= 10;
			}
			p++;
		}
	}
	while (isspace((unsigned char)*p))
		p++;
	const char *unit = p;
	while (isalpha((unsigned char)*p))
		p++;
	size_t unit_len = (size_t)(p - unit);
	while (isspace((unsigned char)*p))
		p++;
	uint64_t mult;
	if (*p != '\0' || unit_multiplier(unit, unit_len, &mult) < 0)
		return ab_set_error(EINVAL, "size \"%s\": unknown unit (use K, M, G or T, binary)", text);
	if (has_point && mult == 1)
		return ab_set_error(EINVAL, "size \"%s\": a fraction of a byte makes no sense", text);

	unsigned __int128 total = whole * mult + (unsigned __int128)frac * mult / frac_div;
	if (total > UINT64_MAX)
		return ab_set_error(ERANGE, "size \"%s\" does not fit in 64 bits", text);
	*bytes = (uint64_t)total;
	return 0;
}

AB_API int amdbare_parse_domains(const char *text, uint32_t *domains)
{
	if (!text || !domains)
		return ab_set_error(EINVAL, "parse domains: NULL argument");
	uint32_t result = 0;
	const char *p = text;
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		const char *word = p;
		while (isalpha((unsigned char)*p))
			p++;
		size_t len = (size_t)(p - word);
		if (len == 4 && strncasecmp(word, "vram", 4) == 0)
			result |= AMDBARE_DOMAIN_VRAM;
		else if (len == 3 && strncasecmp(word, "gtt", 3) == 0)
			result |= AMDBARE_DOMAIN_GTT;
		else
			return ab_set_error(EINVAL, "domains \"%s\": expected vram, gtt or vram,gtt", text);
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		if (*p != ',' && *p != '|' && *p != '+')
			return ab_set_error(EINVAL, "domains \"%s\": expected vram, gtt or vram,gtt", text);
		p++;
	}
	*domains = result;
	return 0;
}

AB_API const char *amdbare_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *const names[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	if (!buf || len == 0)
		return buf;
	if (bytes < 1024) {
		snprintf(buf, len, "%llu B", (unsigned long long)bytes);
		return buf;
	}
	int i = 0;
	uint64_t div = 1024;
	while (i + 1 < (int)(sizeof(names) / sizeof(names[0])) && bytes / div >= 1024) {
		div *= 1024;
		i++;
	}
	snprintf(buf, len, "%.2f %s", (double)bytes / (double)div, names[i]);
	return buf;
}

AB_API const char *amdbare_domain_name(uint32_t domains)
{
	switch (domains) {
	case 0:
		return "none";
	case AMDBARE_DOMAIN_VRAM:
		return "VRAM";
	case AMDBARE_DOMAIN_GTT:
		return "GTT";
	case AMDBARE_DOMAIN_VRAM | AMDBARE_DOMAIN_GTT:
		return "VRAM|GTT";
	case 0x1:
		return "CPU";
	default:
		return "other";
	}
}
