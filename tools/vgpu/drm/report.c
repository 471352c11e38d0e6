/*
 * What the vgpu tells the outside world about itself: the two exported
 * symbols (amdbare_vgpu_profile_name, whose presence says "running on the
 * vgpu", and amdbare_vgpu_open_objects, for leak checks in tests) and the
 * exit report of AMDBARE_VGPU_REPORT.
 */
#include "ctl.h"
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

/* The process that first opened the device: a fork()ed child inherits
 * the parent's bookkeeping but not the duty to close it, so the exit report
 * runs only in the process that did the opening. */
static pid_t opener_pid;

void vgpu_report_note_open(void)
{
	if (!opener_pid)
		opener_pid = getpid();
}

/* Appends printf-style text to buf (NUL-terminated, truncating). */
static void appendf(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void appendf(char *buf, size_t cap, const char *fmt, ...)
{
	if (!buf || cap == 0)
		return;
	size_t len = strnlen(buf, cap);
	if (len + 1 >= cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + len, cap - len, fmt, ap);
	va_end(ap);
}

struct ctl_count {
	char *buf;
	size_t cap;
	int count;
};

static void count_ctl(struct vgpu_file *f, void *arg)
{
	struct ctl_count *cc = arg;
	struct vgpu_ctl_file *c = f->ctl;
	if (!c)
		return;
	pthread_mutex_lock(&f->lock);
	for (size_t i = 0; i < c->num_ctxs; i++)
		appendf(cc->buf, cc->cap, "context %u (client %llu)\n", c->ctxs[i].id,
			(unsigned long long)f->client_id);
	for (size_t i = 0; i < c->num_bo_lists; i++)
		appendf(cc->buf, cc->cap, "BO list %u of %u entries (client %llu)\n",
			c->bo_lists[i].handle, c->bo_lists[i].num_entries,
			(unsigned long long)f->client_id);
	for (size_t i = 0; i < c->num_syncobjs; i++)
		appendf(cc->buf, cc->cap, "syncobj %u (client %llu)\n", c->syncobjs[i].handle,
			(unsigned long long)f->client_id);
	cc->count += (int)(c->num_ctxs + c->num_bo_lists + c->num_syncobjs);
	pthread_mutex_unlock(&f->lock);
}

int vgpu_ctl_open_objects(char *buf, size_t cap)
{
	struct ctl_count cc = { .buf = buf, .cap = cap };
	vgpu_files_foreach(count_ctl, &cc);
	return cc.count;
}

static void describe_file(struct vgpu_file *f, void *arg)
{
	struct ctl_count *cc = arg;
	appendf(cc->buf, cc->cap, "open file %s (client %llu, pasid %u)\n",
		f->minor == VGPU_MINOR_RENDER ? "/dev/dri/renderD128" : "/dev/dri/card0",
		(unsigned long long)f->client_id, f->pasid);
	cc->count++;
}

int vgpu_dev_open_objects(char *out, size_t cap)
{
	if (out && cap)
		out[0] = '\0';
	/* In a forked child the files belong to the parent. */
	if (opener_pid && opener_pid != getpid())
		return 0;
	struct ctl_count files = { .buf = out, .cap = cap };
	vgpu_files_foreach(describe_file, &files);
	int n = files.count;
	n += vgpu_ctl_open_objects(out, cap);
	n += vgpu_mem_open_objects(out, cap);
	return n;
}

EXPORT const char *amdbare_vgpu_profile_name(void)
{
	int err = 0;
	const struct vgpu_profile *p = vgpu_profile_get(&err);
	return p ? p->name : "invalid";
}

EXPORT int amdbare_vgpu_open_objects(char *buf, size_t cap)
{
	return vgpu_dev_open_objects(buf, cap);
}

/* AMDBARE_VGPU_REPORT=1: list what is still open at exit on stderr;
 * =fatal: also make the exit status 99 if anything is.  Runs only in the
 * process that opened the device, so Criterion's runner (or any parent of
 * forked children) reports only its own leaks. */
__attribute__((destructor)) static void vgpu_exit_report(void)
{
	const char *mode = getenv("AMDBARE_VGPU_REPORT");
	if (!mode || !mode[0] || strcmp(mode, "0") == 0)
		return;
	if (!opener_pid || opener_pid != getpid())
		return;
	static char desc[8192];
	int n = vgpu_dev_open_objects(desc, sizeof(desc));
	if (n == 0)
		return;
	fprintf(stderr, "vgpu: %d object(s) still open at exit:\n%s", n, desc);
	if (strcmp(mode, "fatal") == 0) {
		fprintf(stderr, "vgpu: AMDBARE_VGPU_REPORT=fatal: exit status 99\n");
		fflush(NULL);
		_exit(99);
	}
}
