/*
 * Loading a code object: copy the bytes, validate the ELF, parse the
 * metadata, read and check every kernel's descriptor.  Also the simple
 * accessors.
 */
#include "util/api.h"
#include "internal.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

AB_API void amdbare_codeobj_free(amdbare_codeobj *co)
{
	if (!co)
		return;
	free(co->image);
	free(co->relocs);
	free(co->kernels);
	free(co->args);
	free(co->strings);
	free(co);
}

/* Takes ownership of `image` (malloc'ed) whatever happens. */
static int load_image(uint8_t *image, size_t size, const char *source, amdbare_codeobj **out)
{
	amdbare_codeobj *co = calloc(1, sizeof(*co));
	if (!co) {
		free(image);
		return ab_set_error(ENOMEM, "%s: out of memory", source);
	}
	co->image = image;
	co->size = size;
	snprintf(co->source, sizeof(co->source), "%s", source);

	ab_elf_view v = { 0 };
	int r = ab_codeobj_read_elf(co, &v);
	if (!r)
		r = ab_codeobj_parse_metadata(co, &v);
	for (uint32_t i = 0; !r && i < co->n_kernels; i++) {
		r = ab_codeobj_read_descriptor(co, &v, &co->kernels[i]);
		if (!r)
			r = ab_codeobj_check_kernel(co, &co->kernels[i]);
	}
	if (!r)
		r = ab_codeobj_read_relocs(co, &v);
	/* Nothing keeps pointers into libelf's structures past this point. */
	if (v.elf)
		elf_end(v.elf);
	if (r) {
		amdbare_codeobj_free(co);
		return r;
	}
	*out = co;
	return 0;
}

AB_API int amdbare_codeobj_load_memory(const void *data, size_t size, amdbare_codeobj **out)
{
	if (!out)
		return ab_set_error(EINVAL, "codeobj_load_memory: NULL output");
	*out = NULL;
	if (!data || size == 0)
		return ab_set_error(EINVAL, "<memory>: empty code object");
	if (size > AB_CODEOBJ_MAX_SIZE)
		return ab_set_error(EINVAL, "<memory>: %zu bytes is larger than the %u MiB limit",
				    size, AB_CODEOBJ_MAX_SIZE >> 20);
	uint8_t *copy = malloc(size);
	if (!copy)
		return ab_set_error(ENOMEM, "<memory>: out of memory for %zu bytes", size);
	memcpy(copy, data, size);
	return load_image(copy, size, "<memory>", out);
}

AB_API int amdbare_codeobj_load_file(const char *path, amdbare_codeobj **out)
{
	if (!out || !path)
		return ab_set_error(EINVAL, "codeobj_load_file: NULL argument");
	*out = NULL;
	/* O_NONBLOCK: a FIFO must not block the open; fstat refuses it. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return ab_set_error(errno, "%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return ab_set_error(EINVAL, "%s: not a regular file", path);
	}
	if (st.st_size == 0 || (uint64_t)st.st_size > AB_CODEOBJ_MAX_SIZE) {
		close(fd);
		return ab_set_error(EINVAL, "%s: %lld bytes (must be 1..%u MiB)", path,
				    (long long)st.st_size, AB_CODEOBJ_MAX_SIZE >> 20);
	}
	size_t size = (size_t)st.st_size, got = 0;
	uint8_t *buf = malloc(size);
	if (!buf) {
		close(fd);
		return ab_set_error(ENOMEM, "%s: out of memory for %zu bytes", path, size);
	}
	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;
			close(fd);
			free(buf);
			return ab_set_error(e, "%s: read failed after %zu of %zu bytes", path, got, size);
		}
		got += (size_t)n;
	}
	close(fd);
	return load_image(buf, size, path, out);
}

AB_API const char *amdbare_codeobj_target(const amdbare_codeobj *co)
{
	return co ? co->target : "";
}

AB_API const char *amdbare_codeobj_processor(const amdbare_codeobj *co)
{
	return co ? co->processor : "";
}

AB_API uint32_t amdbare_codeobj_version(const amdbare_codeobj *co)
{
	return co ? co->version : 0;
}

AB_API uint32_t amdbare_codeobj_kernel_count(const amdbare_codeobj *co)
{
	return co ? co->n_kernels : 0;
}

AB_API const amdbare_kernel_info *amdbare_codeobj_kernel_at(const amdbare_codeobj *co,
							     uint32_t index)
{
	return co && index < co->n_kernels ? &co->kernels[index] : NULL;
}

AB_API int amdbare_codeobj_find_kernel(const amdbare_codeobj *co, const char *name,
				       const amdbare_kernel_info **out)
{
	if (!co || !name || !out)
		return ab_set_error(EINVAL, "codeobj_find_kernel: NULL argument");
	*out = NULL;
	for (uint32_t i = 0; i < co->n_kernels; i++)
		if (strcmp(co->kernels[i].name, name) == 0 ||
		    strcmp(co->kernels[i].symbol, name) == 0) {
			*out = &co->kernels[i];
			return 0;
		}
	ab_set_error(ENOENT, "%s: no kernel \"%s\"; it has:", co->source, name);
	for (uint32_t i = 0; i < co->n_kernels; i++)
		ab_append_error(" %s", co->kernels[i].name);
	return -ENOENT;
}
