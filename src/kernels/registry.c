/*
 * The library's embedded kernels (src/kernels/registry.h): finding a module's
 * code object for a gfx target in the table the build embeds
 * (kernels/gen-blobs.sh), and loading each module once per device.
 *
 * The per-device cache is a short list hanging off the device, guarded by
 * one process-wide mutex: a module is loaded at most once per device, and
 * the first load (parse, check, upload: a GEM buffer and a map) is rare
 * enough that serialising it across devices costs nothing worth a lock
 * per device (which amdbare_device_open would have to initialise).
 */
#include "registry.h"

#include "util/api.h"
#include "device/internal.h"
#include "util/error.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One embedded code object; the table ends with a NULL module.  Laid out
 * by kernels/gen-blobs.sh (four quads per entry). */
struct ab_kernel_blob {
	const char *module;
	const char *target;
	const unsigned char *data;
	unsigned long long size;
};
extern const struct ab_kernel_blob ab_kernel_blobs[] __attribute__((visibility("hidden")));

/* A module loaded for one device. */
struct kernel_cache_entry {
	struct kernel_module m;
	char module[32];
	struct kernel_cache_entry *next;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

/* "gfx1100, gfx1101, ..." : the targets `module` is embedded for. */
static void list_targets(const char *module, char *buf, size_t cap)
{
	size_t used = 0;
	buf[0] = '\0';
	for (const struct ab_kernel_blob *b = ab_kernel_blobs; b->module; b++) {
		if (strcmp(b->module, module) != 0)
			continue;
		int n = snprintf(buf + used, cap - used, "%s%s", used ? ", " : "", b->target);
		if (n < 0 || (size_t)n >= cap - used)
			break;
		used += (size_t)n;
	}
}

/* "gemm, util": the embedded modules, each once. */
static void list_modules(char *buf, size_t cap)
{
	size_t used = 0;
	buf[0] = '\0';
	for (const struct ab_kernel_blob *b = ab_kernel_blobs; b->module; b++) {
		bool seen = false;
		for (const struct ab_kernel_blob *p = ab_kernel_blobs; p != b; p++)
			if (strcmp(p->module, b->module) == 0)
				seen = true;
		if (seen)
			continue;
		int n = snprintf(buf + used, cap - used, "%s%s", used ? ", " : "", b->module);
		if (n < 0 || (size_t)n >= cap - used)
			break;
		used += (size_t)n;
	}
}

int kernel_registry_blob(const char *module, const char *target,
			 const void **data, size_t *size)
{
	if (!module || !target || !data || !size)
		return ab_set_error(EINVAL, "kernel registry: NULL argument");
	*data = NULL;
	*size = 0;
	bool known = false;
	for (const struct ab_kernel_blob *b = ab_kernel_blobs; b->module; b++) {
		if (strcmp(b->module, module) != 0)
			continue;
		known = true;
		if (strcmp(b->target, target) == 0) {
			*data = b->data;
			*size = (size_t)b->size;
			return 0;
		}
	}
	if (!known) {
		char mods[256];
		list_modules(mods, sizeof(mods));
		return ab_set_error(ENOENT, "no kernel module \"%s\" is built into amdbare (modules: %s)",
				    module, mods[0] ? mods : "none");
	}
	char targets[256];
	list_targets(module, targets, sizeof(targets));
	return ab_set_error(ENOTSUP,
			    "kernel module \"%s\" is not supported on %s: amdbare embeds it for %s only",
			    module, target[0] ? target : "this device (unknown gfx target)", targets);
}

/* Parses, checks and uploads `module` for dev (the caller holds cache_lock). */
static int load_module(amdbare_device *dev, const char *module, struct kernel_cache_entry **out)
{
	const void *data;
	size_t size;
	const char *target = dev->info.gfx_target;
	int r = kernel_registry_blob(module, target, &data, &size);
	if (r < 0) {
		if (r == -ENOTSUP)
			ab_append_error(" (device %s, %s)", ab_node(dev), dev->info.marketing_name);
		return r;
	}
	struct kernel_cache_entry *e = calloc(1, sizeof(*e));
	if (!e)
		return ab_set_error(ENOMEM, "kernel module \"%s\": out of memory", module);
	snprintf(e->module, sizeof(e->module), "%s", module);
	r = amdbare_codeobj_load_memory(data, size, &e->m.codeobj);
	if (r == 0)
		r = amdbare_codeobj_upload(e->m.codeobj, dev, &e->m.code_bo, &e->m.code_va);
	if (r < 0) {
		/* An embedded object that does not load is a build defect:
		 * say which one. */
		ab_append_error(" (embedded kernel module \"%s\" for %s)", module, target);
		amdbare_codeobj_free(e->m.codeobj);
		free(e);
		return r;
	}
	*out = e;
	return 0;
}

int kernel_registry_module(amdbare_device *dev, const char *module,
			   const struct kernel_module **out)
{
	if (!dev || !module || !out)
		return ab_set_error(EINVAL, "kernel registry: NULL argument");
	*out = NULL;
	if (strlen(module) >= sizeof(((struct kernel_cache_entry *)0)->module))
		return ab_set_error(ENOENT, "no kernel module \"%s\" is built into amdbare", module);
	pthread_mutex_lock(&cache_lock);
	struct kernel_cache_entry *e = dev->kernel_modules;
	while (e && strcmp(e->module, module) != 0)
		e = e->next;
	int r = 0;
	if (!e) {
		r = load_module(dev, module, &e);
		if (r == 0) {
			ab_device_on_close(AB_TEARDOWN_KERNELS, kernel_registry_release);
			e->next = dev->kernel_modules;
			dev->kernel_modules = e;
		}
	}
	pthread_mutex_unlock(&cache_lock);
	if (r == 0)
		*out = &e->m;
	return r;
}

int kernel_registry_kernel(const struct kernel_module *m, const char *kernel,
			   amdbare_dispatch_info *info)
{
	if (!m || !kernel || !info)
		return ab_set_error(EINVAL, "kernel registry: NULL argument");
	const amdbare_kernel_info *k;
	int r = amdbare_codeobj_find_kernel(m->codeobj, kernel, &k);
	if (r < 0)
		return r;
	info->kernel = k;
	info->code_bo = m->code_bo;
	info->code_va = m->code_va;
	return 0;
}

bool kernel_registry_has(const struct kernel_module *m, const char *kernel)
{
	if (!m || !kernel)
		return false;
	uint32_t n = amdbare_codeobj_kernel_count(m->codeobj);
	for (uint32_t i = 0; i < n; i++) {
		const amdbare_kernel_info *k = amdbare_codeobj_kernel_at(m->codeobj, i);
		if (k && k->name && !strcmp(k->name, kernel))
			return true;
	}
	return false;
}

void kernel_registry_release(amdbare_device *dev)
{
	if (!dev)
		return;
	pthread_mutex_lock(&cache_lock);
	struct kernel_cache_entry *e = dev->kernel_modules;
	dev->kernel_modules = NULL;
	pthread_mutex_unlock(&cache_lock);
	while (e) {
		struct kernel_cache_entry *next = e->next;
		amdbare_bo_free(e->m.code_bo);
		amdbare_codeobj_free(e->m.codeobj);
		free(e);
		e = next;
	}
}
