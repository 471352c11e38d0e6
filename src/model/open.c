/*
 * model_index_open: the file side of the parsers.  Opens the file, checks
 * it is a regular file, reads its head with bounded preads (growing only
 * as far as the parser asks, never past the format's header limit), and
 * for a shard index parses every shard next to it and checks the union
 * against the weight_map.  The index is filled all-or-nothing.
 */
#include "internal.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* First read: enough for most headers in one go. */
#define MODEL_FIRST_READ (1u << 20)

static int open_regular(const char *path, int *fd_out, uint64_t *size)
{
	/* O_NONBLOCK: a FIFO (or a device) given as a model path must not
	 * block the open; fstat then refuses it.  For a regular file the flag
	 * changes nothing. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;
		return ab_set_error(e, "%s: cannot open: %s", path, strerror(e));
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		return ab_set_error(e, "%s: fstat: %s", path, strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return ab_set_error(EINVAL, "%s: not a regular file", path);
	}
	*fd_out = fd;
	*size = (uint64_t)st.st_size;
	return 0;
}

/* Grows *buf to `want` bytes and fills it from offset *have. */
static int read_more(int fd, const char *path, uint8_t **buf, size_t *have, size_t want)
{
	uint8_t *b = realloc(*buf, want ? want : 1);
	if (!b)
		return ab_set_error(ENOMEM, "%s: out of memory for a %zu-byte header", path, want);
	*buf = b;
	while (*have < want) {
		ssize_t got = pread(fd, b + *have, want - *have, (off_t)*have);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;
			return ab_set_error(e, "%s: read: %s", path, strerror(e));
		}
		if (got == 0)
			return ab_set_error(EIO, "%s: file shrank while being read (%zu of %zu bytes)", path,
					    *have, want);
		*have += (size_t)got;
	}
	return 0;
}

typedef int (*parse_fn)(struct model_index *, const char *, const uint8_t *, size_t, uint64_t, size_t *);

/* Reads and parses one safetensors or GGUF file into idx.  `force` is 0
 * (detect by magic) or the format a shard must have. */
static int open_one(struct model_index *idx, const char *path, enum model_format force)
{
	int fd;
	uint64_t size;
	int r = open_regular(path, &fd, &size);
	if (r)
		return r;
	uint8_t *buf = NULL;
	size_t have = 0;
	size_t cap = MODEL_SAFETENSORS_MAX_HEADER + 8;
	r = read_more(fd, path, &buf, &have, (size_t)(size < MODEL_FIRST_READ ? size : MODEL_FIRST_READ));
	if (r)
		goto done;
	parse_fn parse = model_parse_safetensors;
	bool gguf_magic = have >= 4 && memcmp(buf, "GGUF", 4) == 0;
	if (gguf_magic && force != MODEL_FORMAT_SAFETENSORS) {
		parse = model_parse_gguf;
		cap = MODEL_GGUF_MAX_HEADER;
	} else if (!force && !gguf_magic && !(have >= 9 && buf[8] == '{')) {
		/* Neither format's signature: say so, rather than report the
		 * bytes as a broken safetensors header. */
		r = ab_set_error(EINVAL, "%s: not a GGUF or safetensors file (tried GGUF: no "
				 "\"GGUF\" magic at byte 0; safetensors: no JSON header '{' "
				 "at byte 8)", path);
		goto done;
	}
	for (;;) {
		size_t need = 0;
		r = parse(idx, path, buf, have, size, &need);
		if (r != -EAGAIN)
			break;
		/* The parsers bound `need` by the file size and their header
		 * limit; check anyway so a parser bug cannot loop or over-read. */
		if (need <= have || need > size || need > cap) {
			r = ab_set_error(EINVAL, "%s: parser asked for %zu bytes (have %zu, file %llu)", path, need,
					 have, (unsigned long long)size);
			break;
		}
		if ((r = read_more(fd, path, &buf, &have, need)))
			break;
	}
done:
	free(buf);
	close(fd);
	return r;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int open_sharded(struct model_index *idx, const char *path)
{
	int fd;
	uint64_t size;
	int r = open_regular(path, &fd, &size);
	if (r)
		return r;
	if (size > MODEL_SAFETENSORS_MAX_HEADER) {
		close(fd);
		return ab_set_error(EFBIG, "%s: shard index of %llu bytes (limit %u)", path,
				    (unsigned long long)size, MODEL_SAFETENSORS_MAX_HEADER);
	}
	uint8_t *buf = NULL;
	size_t have = 0;
	r = read_more(fd, path, &buf, &have, (size_t)size);
	close(fd);
	char **shards = NULL;
	uint32_t n_shards = 0;
	if (!r)
		r = model_parse_safetensors_index(path, buf, have, &shards, &n_shards);
	struct model_index tmp = { 0 };
	const char *slash = strrchr(path, '/');
	size_t dir_len = slash ? (size_t)(slash - path + 1) : 0;
	for (uint32_t i = 0; !r && i < n_shards; i++) {
		size_t l = dir_len + strlen(shards[i]) + 1;
		char *sp = malloc(l);
		if (!sp) {
			r = ab_set_error(ENOMEM, "%s: out of memory", path);
			break;
		}
		memcpy(sp, path, dir_len);
		strcpy(sp + dir_len, shards[i]);
		r = open_one(&tmp, sp, MODEL_FORMAT_SAFETENSORS);
		if (r)
			ab_append_error(" (shard %u of %u listed in %s)", i + 1, n_shards, path);
		free(sp);
	}
	if (!r)
		r = model_index_check_weight_map(path, buf, have, &tmp);
	if (!r)
		r = model_index_merge(idx, &tmp);
	model_index_free(&tmp);
	for (uint32_t i = 0; i < n_shards; i++)
		free(shards[i]);
	free(shards);
	free(buf);
	return r;
}

int model_index_open(struct model_index *idx, const char *path)
{
	if (!idx || !path)
		return ab_set_error(EINVAL, "model_index_open: NULL argument");
	if (ends_with(path, ".safetensors.index.json"))
		return open_sharded(idx, path);
	return open_one(idx, path, 0);
}
