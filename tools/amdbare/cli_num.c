/*
 * Command-line numbers and sizes (cli_num.h).
 */
#include "cli_num.h"
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

int cli_parse_u64(const char *opt, const char *text, uint64_t min, uint64_t max, uint64_t *out)
{

	const char *p = text;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '-' || *p == '+' || !isdigit((unsigned char)*p)) {
		cli_error("%s '%s': expected a whole number %" PRIu64 " .. %" PRIu64, opt,
			  text, min, max);
		return -EINVAL;
	}
	char *end;
	errno = 0;
	unsigned long long v = strtoull(p, &end, 10);
	if (*end) {
		cli_error("%s '%s': expected a whole number %" PRIu64 " .. %" PRIu64, opt,
			  text, min, max);
		return -EINVAL;
	}
	if (errno == ERANGE || v > max) {
		cli_error("%s '%s': too large (at most %" PRIu64 ")", opt,
			  text, max);
		return -ERANGE;
	}
	if (v < min) {
		cli_error("%s '%s': below the minimum of %" PRIu64, opt,
			  text, min);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

int cli_parse_u32(const char *opt, const char *text, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v;
	int r = cli_parse_u64(opt, text, min, max, &v);
	if (r == 0)
		*out = (uint32_t)v;
	return r;
}

int cli_parse_size(const char *opt, const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
	char a[48];
	uint64_t v;
	int r = amdbare_parse_size(text, &v);
	if (r == -ERANGE || (r == 0 && v > max)) {
		cli_error("%s '%s': too large (at most %s)", opt, text,
			  cli_format_size_exact(max, a, sizeof(a)));
		return -ERANGE;
	}
	if (r < 0) {
		/* The library's message says what is wrong with the text
		 * (unknown unit, fraction of a byte, no digits); the units are
		 * listed here whatever it was. */
		cli_error("%s '%s': not a size: %s; units: " CLI_SIZE_UNITS, opt,
			  text, amdbare_last_error());
		return -EINVAL;
	}
	if (v < min) {
		cli_error("%s '%s': below the minimum of %s", opt, text,
			  cli_format_size_exact(min, a, sizeof(a)));
		return -EINVAL;
	}
	*out = v;
	return 0;
}

const char *cli_format_size_exact(uint64_t bytes, char *buf, size_t len)
{
	char f[32];
	amdbare_format_size(bytes, f, sizeof(f));
	/* exact when the printed value times its unit gives the bytes back */
	uint64_t back;
	char tmp[40];
	snprintf(tmp, sizeof(tmp), "%s", f);
	char *sp = strchr(tmp, ' ');
	if (sp) {
		/* "4.00 KiB" -> "4.00K" for the parser; "12 B" -> "12" */
		if (sp[1] == 'B')
			*sp = '\0';
		else {
			sp[0] = sp[1];
			sp[1] = '\0';
		}
	}
	if (amdbare_parse_size(tmp, &back) == 0 && back == bytes)
		snprintf(buf, len, "%s", f);
	else
		snprintf(buf, len, "%" PRIu64 " B (%s)", bytes, f);
	return buf;
}
