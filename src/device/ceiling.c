/*
 * The GTT ceiling: how large the GTT heap is and which knob decided it
 * (amdbare_device_query_gtt_ceiling in amdbare.h).
 *
 * The kernel's rule (amdgpu_ttm_init): before "drm/amdgpu: Set GTT size
 * equal to TTM mem limit" (6.5), max(3 GiB, totalram / 2) unless
 * amdgpu.gttsize is given; from then on ttm_tt_pages_limit() pages unless
 * amdgpu.gttsize is given.  Which rule a kernel follows is measured when
 * the two differ (a pages_limit that is not the default and matches the
 * GTT size, or a RAM under 6 GiB); otherwise the amdgpu KMS version
 * decides (3.54 and later are taken as 6.5 and later: approximate, the
 * KMS minor is not tied to a release).
 * ttm.pages_limit defaults to half of totalram (ttm_global_init), so on a
 * default system both rules give the same size.  With AMD's DKMS driver,
 * amdgpu uses the amdttm module and its pages_limit instead of ttm's.
 */
#include "internal.h"

#include "util/api.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Reads a small text file; false when it cannot be opened or read. */
static bool read_text(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	size_t used = 0;
	while (used + 1 < cap) {
		ssize_t n = read(fd, buf + used, cap - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	buf[used] = '\0';
	return used > 0;
}

static bool read_int(const char *path, long long *out)
{
	char buf[64];
	if (!read_text(path, buf, sizeof(buf)))
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(buf, &end, 10);
	if (errno || end == buf)
		return false;
	*out = v;
	return true;
}

/* "Key:   123 kB" of /proc/meminfo in bytes. */
static bool meminfo_value(const char *text, const char *key, uint64_t *out)
{
	size_t kl = strlen(key);
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, key, kl) == 0 && l[kl] == ':') {
			unsigned long long kb = strtoull(l + kl + 1, NULL, 10);
			*out = (uint64_t)kb * 1024;
			return true;
		}
	}
	return false;
}

/* Whether `param` ("ttm.pages_limit") is set on the command line. */
static bool on_cmdline(const char *cmdline, const char *param)
{
	size_t pl = strlen(param);
	for (const char *w = cmdline; (w = strstr(w, param)) != NULL; w += pl)
		if ((w == cmdline || w[-1] == ' ') && w[pl] == '=')
			return true;
	return false;
}

AB_API int amdbare_device_query_gtt_ceiling(amdbare_device *dev, amdbare_gtt_ceiling *out)
{
	if (!dev || !out)
		return ab_set_error(EINVAL, "query GTT ceiling: NULL argument");
	memset(out, 0, sizeof(*out));
	amdbare_memory_info mem;
	int r = amdbare_device_query_memory(dev, &mem);
	if (r < 0)
		return r;
	out->limit_bytes = mem.gtt.total;
	amdbare_device_info info;
	amdbare_device_get_info(dev, &info);
	out->gtt_follows_pages_limit = info.drm_major > 3 || (info.drm_major == 3 && info.drm_minor >= 54);

	char text[4096];
	if (read_text("/proc/meminfo", text, sizeof(text))) {
		out->has_meminfo = meminfo_value(text, "MemTotal", &out->mem_total);
		if (!meminfo_value(text, "MemAvailable", &out->mem_available))
			meminfo_value(text, "MemFree", &out->mem_available);
		meminfo_value(text, "SwapTotal", &out->swap_total);
		meminfo_value(text, "SwapFree", &out->swap_free);
	}
	out->has_cmdline = read_text("/proc/cmdline", out->cmdline, sizeof(out->cmdline));
	size_t cl = strlen(out->cmdline);
	while (cl && (out->cmdline[cl - 1] == '\n' || out->cmdline[cl - 1] == ' '))
		out->cmdline[--cl] = '\0';
	long long v;
	out->amdttm = access("/sys/module/amdttm", F_OK) == 0;
	const char *mod = out->amdttm ? "amdttm" : "ttm";
	char path[96];
	snprintf(path, sizeof(path), "/sys/module/%s/parameters/pages_limit", mod);
	if (read_int(path, &v) && v >= 0) {
		out->has_pages_limit = true;
		out->pages_limit = (uint64_t)v;
		uint64_t def = out->has_meminfo ? (out->mem_total >> 12) / 2 : out->pages_limit;
		char param[32];
		snprintf(param, sizeof(param), "%s.pages_limit", mod);
		out->pages_limit_given = on_cmdline(out->cmdline, param) || out->pages_limit != def;
	}
	if (read_int("/sys/module/amdgpu/parameters/gttsize", &v)) {
		out->has_gttsize = true;
		out->gttsize_mib = v;
	} else {
		out->gttsize_mib = -1;
	}

	/* Measured: a limit that is not the default and is the GTT size, or
	 * a GTT of half the RAM where the old rule gives 3 GiB. */
	if (out->has_pages_limit && out->pages_limit_given &&
	    out->pages_limit << 12 == out->limit_bytes)
		out->gtt_follows_pages_limit = true;
	if (out->has_meminfo && out->mem_total / 2 < (3ull << 30) &&
	    (out->gttsize_mib == -1 || !out->has_gttsize))
		out->gtt_follows_pages_limit = out->limit_bytes != (3ull << 30);

	/* Which knob explains the size the kernel reports. */
	out->source = AMDBARE_GTT_LIMIT_DEFAULT;
	if (out->has_gttsize && out->gttsize_mib > 0 &&
	    (uint64_t)out->gttsize_mib << 20 == out->limit_bytes)
		out->source = AMDBARE_GTT_LIMIT_AMDGPU_GTTSIZE;
	else if (out->gtt_follows_pages_limit && out->has_pages_limit && out->pages_limit_given &&
		 out->pages_limit << 12 == out->limit_bytes)
		out->source = AMDBARE_GTT_LIMIT_TTM_PAGES_LIMIT;
	static const char *const names[] = { "default", "ttm.pages_limit", "amdgpu.gttsize" };
	out->source_name = names[out->source];
	return 0;
}
