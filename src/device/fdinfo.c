/* fdinfo parsing: see device/fdinfo.h. */
#include "fdinfo.h"

#include "util/api.h"
#include "internal.h"
#include "util/error.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How much a key is trusted for a region: a later, better key overrides an
 * earlier one whatever the line order. */
enum key_rank { RANK_NONE, RANK_TOTAL, RANK_MEMORY, RANK_RESIDENT };

struct region_slot {
	bool *has;
	uint64_t *value;
	enum key_rank rank;
};

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
	else
		return false;
	if (n > UINT64_MAX / mult)
		return false;
	*bytes = n * mult;
	return true;
}

static void set_ranked(struct region_slot *slot, enum key_rank rank, uint64_t value)
{
	if (rank < slot->rank)
		return;
	slot->rank = rank;
	*slot->has = true;
	*slot->value = value;
}

static void set_plain(bool *has, uint64_t *field, uint64_t value)
{
	*has = true;
	*field = value;
}

int ab_fdinfo_parse(const char *text, amdbare_process_usage *out)
{
	memset(out, 0, sizeof(*out));
	struct region_slot vram = { &out->has_vram, &out->vram, RANK_NONE };
	struct region_slot gtt = { &out->has_gtt, &out->gtt, RANK_NONE };
	struct region_slot cpu = { &out->has_cpu, &out->cpu, RANK_NONE };
	static const struct {
		const char *prefix;
		enum key_rank rank;
	} prefixes[] = {
		{ "drm-resident-", RANK_RESIDENT },
		{ "drm-memory-", RANK_MEMORY },
		{ "drm-total-", RANK_TOTAL },
	};

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
				const char *key = buf, *val = colon + 1;
				uint64_t bytes;
				if (strcmp(key, "drm-client-id") == 0) {
					char *end;
					unsigned long long id = strtoull(val, &end, 10);
					if (end != val)
						out->client_id = id;
				} else if (parse_value(val, &bytes)) {
					for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
						size_t pl = strlen(prefixes[i].prefix);
						if (strncmp(key, prefixes[i].prefix, pl) != 0)
							continue;
						const char *region = key + pl;
						if (strcmp(region, "vram") == 0)
							set_ranked(&vram, prefixes[i].rank, bytes);
						else if (strcmp(region, "gtt") == 0)
							set_ranked(&gtt, prefixes[i].rank, bytes);
						else if (strcmp(region, "cpu") == 0)
							set_ranked(&cpu, prefixes[i].rank, bytes);
					}
					if (strcmp(key, "amd-memory-visible-vram") == 0)
						set_plain(&out->has_visible_vram, &out->visible_vram, bytes);
					else if (strcmp(key, "amd-evicted-vram") == 0)
						set_plain(&out->has_evicted_vram, &out->evicted_vram, bytes);
					else if (strcmp(key, "amd-requested-vram") == 0)
						set_plain(&out->has_requested_vram, &out->requested_vram, bytes);
					else if (strcmp(key, "amd-requested-gtt") == 0)
						set_plain(&out->has_requested_gtt, &out->requested_gtt, bytes);
				}
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	if (!out->has_vram && !out->has_gtt && !out->has_cpu && !out->has_visible_vram &&
	    !out->has_evicted_vram && !out->has_requested_vram && !out->has_requested_gtt)
		return -ENODATA;
	return 0;
}

int ab_fdinfo_read(int fd, const char *node, amdbare_process_usage *out)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	int pfd = open(path, O_RDONLY | O_CLOEXEC);
	if (pfd < 0) {
		int e = errno;
		return ab_set_error(e, "%s: cannot read %s: %s", node, path, strerror(e));
	}
	size_t cap = 4096, used = 0;
	char *text = malloc(cap);
	if (!text) {
		close(pfd);
		return ab_set_error(ENOMEM, "%s: out of memory reading %s", node, path);
	}
	for (;;) {
		if (used + 1 >= cap) {
			char *bigger = cap < (1u << 20) ? realloc(text, cap * 2) : NULL;
			if (!bigger) {
				free(text);
				close(pfd);
				return ab_set_error(ENOMEM, "%s: %s is too large", node, path);
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
			return ab_set_error(e, "%s: reading %s: %s", node, path, strerror(e));
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(pfd);
	text[used] = '\0';
	int r = ab_fdinfo_parse(text, out);
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
