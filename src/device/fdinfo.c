/* fdinfo parsing: see device/fdinfo.h. */
#include "fdinfo.h"

#include "util/api.h"
#include "internal.h"
#include "util/error.h"

#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* "<uint>[ unit]" → bytes.  False for anything else. */
static bool parse_value(const char *v, uint64_t *bytes)
{
	while (*v == ' ' || *v == '\t')
		v++;
	if (!isdigit((unsigned char)*v))
		return false;
	char *end;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 10);
	if (errno)
		return false;
	while (*end == ' ' || *end == '\t')
		end++;
	uint64_t mult;
	if (*end == '\0')
		mult = 1;
	else if (strcmp(end, "KiB") == 0)
		mult = 1ull << 10;
	else if (strcmp(end, "MiB") == 0)
		mult = 1ull << 20;
	else if (strcmp(end, "GiB") == 0)
		mult = 1ull << 30;
	else if (strcmp(end, "ns") == 0)
		mult = 1;
	else
		return false;
	if (n > UINT64_MAX / mult)
		return false;
	*bytes = n * mult;
	return true;
}

static void copy_text(char *dst, size_t cap, const char *v)
{
	while (*v == ' ' || *v == '\t')
		v++;
	snprintf(dst, cap, "%s", v);
}

static amdbare_fdinfo_region *region_of(amdbare_fdinfo *out, const char *name)
{
	if (strcmp(name, "vram") == 0)
		return &out->vram;
	if (strcmp(name, "gtt") == 0)
		return &out->gtt;
	if (strcmp(name, "cpu") == 0)
		return &out->cpu;
	return NULL; /* gds, gws, oa, doorbell, ...: not memory a user sizes */
}

/* One "key:<tab>value" line. */
static void parse_line(amdbare_fdinfo *out, const char *key, const char *val, bool *any_memory)
{
	uint64_t v;
	if (strcmp(key, "drm-driver") == 0) {
		copy_text(out->driver, sizeof(out->driver), val);
		return;
	}
	if (strcmp(key, "drm-pdev") == 0) {
		copy_text(out->pdev, sizeof(out->pdev), val);
		return;
	}
	if (strcmp(key, "drm-client-name") == 0) {
		copy_text(out->client_name, sizeof(out->client_name), val);
		return;
	}
	if (!parse_value(val, &v))
		return;
	if (strcmp(key, "drm-client-id") == 0) {
		out->has_client_id = true;
		out->client_id = v;
		return;
	}
	if (strcmp(key, "pasid") == 0) {
		out->has_pasid = true;
		out->pasid = (uint32_t)v;
		return;
	}
	static const struct {
		const char *prefix;
		size_t has_off, val_off;
	} stats[] = {
#define STAT(p, f) { p, offsetof(amdbare_fdinfo_region, has_##f), offsetof(amdbare_fdinfo_region, f) }
		STAT("drm-total-", total), STAT("drm-shared-", shared),
		STAT("drm-resident-", resident), STAT("drm-purgeable-", purgeable),
		STAT("drm-active-", active), STAT("drm-memory-", memory),
#undef STAT
	};
	for (size_t i = 0; i < sizeof(stats) / sizeof(stats[0]); i++) {
		size_t pl = strlen(stats[i].prefix);
		if (strncmp(key, stats[i].prefix, pl) != 0)
			continue;
		amdbare_fdinfo_region *r = region_of(out, key + pl);
		if (r) {
			*(bool *)((char *)r + stats[i].has_off) = true;
			*(uint64_t *)((char *)r + stats[i].val_off) = v;
			*any_memory = true;
			if (i < 5)
				out->format = AMDBARE_FDINFO_MEMORY_STATS;
		}
		return;
	}
	static const struct {
		const char *key;
		size_t has_off, val_off;
	} amd[] = {
#define AMD(k, f) { k, offsetof(amdbare_fdinfo, has_##f), offsetof(amdbare_fdinfo, f) }
		AMD("amd-memory-visible-vram", visible_vram),
		AMD("amd-evicted-vram", evicted_vram),
		AMD("amd-evicted-visible-vram", evicted_visible_vram),
		AMD("amd-requested-vram", requested_vram),
		AMD("amd-requested-visible-vram", requested_visible_vram),
		AMD("amd-requested-gtt", requested_gtt),
#undef AMD
	};
	for (size_t i = 0; i < sizeof(amd) / sizeof(amd[0]); i++) {
		if (strcmp(key, amd[i].key) != 0)
			continue;
		*(bool *)((char *)out + amd[i].has_off) = true;
		*(uint64_t *)((char *)out + amd[i].val_off) = v;
		*any_memory = true;
		if (out->format != AMDBARE_FDINFO_MEMORY_STATS)
			out->format = AMDBARE_FDINFO_AMD_STATS;
		return;
	}
	bool cap = strncmp(key, "drm-engine-capacity-", 20) == 0;
	if (cap || strncmp(key, "drm-engine-", 11) == 0) {
		const char *name = key + (cap ? 20 : 11);
		uint32_t i;
		for (i = 0; i < out->n_engines; i++)
			if (strcmp(out->engines[i].name, name) == 0)
				break;
		if (i == out->n_engines) {
			if (out->n_engines >= AMDBARE_FDINFO_MAX_ENGINES)
				return;
			out->n_engines++;
			snprintf(out->engines[i].name, sizeof(out->engines[i].name), "%s", name);
		}
		if (cap)
			out->engines[i].capacity = (uint32_t)v;
		else
			out->engines[i].busy_ns = v;
	}
}

AB_API int amdbare_fdinfo_parse(const char *text, amdbare_fdinfo *out)
{
	if (!out)
		return ab_set_error(EINVAL, "fdinfo parse: NULL argument");
	memset(out, 0, sizeof(*out));
	if (!text)
		return -ENODATA;
	bool any_memory = false;
	const char *line = text;
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char buf[256];
		if (len < sizeof(buf)) {
			memcpy(buf, line, len);
			buf[len] = '\0';
			/* Trailing spaces/CR are not part of the value. */
			while (len && isspace((unsigned char)buf[len - 1]))
				buf[--len] = '\0';
			char *colon = strchr(buf, ':');
			if (colon) {
				*colon = '\0';
				/* "drm-memory-gtt: \t" : the key has no trailing blank */
				parse_line(out, buf, colon + 1, &any_memory);
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	if (!any_memory)
		return -ENODATA;
	if (out->format == AMDBARE_FDINFO_NONE)
		out->format = AMDBARE_FDINFO_MEMORY;
	return 0;
}

/* The best figure of a region for placement: resident (where the pages
 * are now), else drm-memory-* (resident on 6.13+, by placement before),
 * else drm-total-*. */
static void usage_region(const amdbare_fdinfo_region *r, bool *has, uint64_t *value)
{
	*has = r->has_resident || r->has_memory || r->has_total;
	*value = r->has_resident ? r->resident : r->has_memory ? r->memory : r->total;
}

int ab_fdinfo_parse(const char *text, amdbare_process_usage *out)
{
	memset(out, 0, sizeof(*out));
	amdbare_fdinfo fi;
	int r = amdbare_fdinfo_parse(text, &fi);
	if (r)
		return r;
	usage_region(&fi.vram, &out->has_vram, &out->vram);
	usage_region(&fi.gtt, &out->has_gtt, &out->gtt);
	usage_region(&fi.cpu, &out->has_cpu, &out->cpu);
	out->has_visible_vram = fi.has_visible_vram;
	out->visible_vram = fi.visible_vram;
	out->has_evicted_vram = fi.has_evicted_vram;
	out->evicted_vram = fi.evicted_vram;
	out->has_requested_vram = fi.has_requested_vram;
	out->requested_vram = fi.requested_vram;
	out->has_requested_gtt = fi.has_requested_gtt;
	out->requested_gtt = fi.requested_gtt;
	out->client_id = fi.has_client_id ? fi.client_id : 0;
	return 0;
}

/* Reads a whole /proc text file into a malloc'd string. */
static int read_proc_text(const char *path, const char *who, char **text_out)
{
	int pfd = open(path, O_RDONLY | O_CLOEXEC);
	if (pfd < 0) {
		int e = errno;
		return ab_set_error(e, "%s: cannot read %s: %s", who, path, strerror(e));
	}
	size_t cap = 4096, used = 0;
	char *text = malloc(cap);
	if (!text) {
		close(pfd);
		return ab_set_error(ENOMEM, "%s: out of memory reading %s", who, path);
	}
	for (;;) {
		if (used + 1 >= cap) {
			char *bigger = cap < (1u << 20) ? realloc(text, cap * 2) : NULL;
			if (!bigger) {
				free(text);
				close(pfd);
				return ab_set_error(ENOMEM, "%s: %s is too large", who, path);
			}
			text = bigger;
			cap *= 2;
		}
		ssize_t n = read(pfd, text + used, cap - used - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			free(text);
			close(pfd);
			return ab_set_error(e, "%s: reading %s: %s", who, path, strerror(e));
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(pfd);
	text[used] = '\0';
	*text_out = text;
	return 0;
}

AB_API int amdbare_fdinfo_read(const char *path, amdbare_fdinfo *out)
{
	if (!path || !out)
		return ab_set_error(EINVAL, "fdinfo read: NULL argument");
	char *text = NULL;
	int r = read_proc_text(path, "fdinfo", &text);
	if (r) {
		memset(out, 0, sizeof(*out));
		return r;
	}
	r = amdbare_fdinfo_parse(text, out);
	free(text);
	if (r == -ENODATA)
		return ab_set_error(ENODATA, "%s has no amdgpu memory keys (not an amdgpu DRM file, "
				    "or a kernel older than 5.19)", path);
	return r;
}

int ab_fdinfo_read(int fd, const char *node, amdbare_process_usage *out)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	char *text = NULL;
	int r = read_proc_text(path, node, &text);
	if (r) {
		memset(out, 0, sizeof(*out));
		return r;
	}
	r = ab_fdinfo_parse(text, out);
	free(text);
	if (r == -ENODATA)
		return ab_set_error(ENODATA,
				    "%s: %s has no drm-memory-*/drm-resident-* keys: per-process usage "
				    "needs a kernel >= 5.19 (amdgpu fdinfo)", node, path);
	return r;
}

AB_API int amdbare_device_query_process_usage(amdbare_device *dev, amdbare_process_usage *out)
{
	if (!dev || !out)
		return ab_set_error(EINVAL, "query process usage: NULL argument");
	return ab_fdinfo_read(dev->fd, ab_node(dev), out);
}
