/*
 * The submission recorder: with AMDBARE_TRACE=FILE in the environment,
 * every CS ioctl this process makes is appended to FILE as one record
 * (submit/trace_format.h), and every fence wait that returns appends when
 * it did.  The file is opened once, on the first submission, with
 * O_APPEND: each record is one write(), so records of several threads or
 * processes sharing the file do not interleave.  A file that cannot be
 * opened or written is reported once on stderr and recording stops; the
 * submission itself never fails because of the trace.
 */
#include "internal.h"
#include "trace_format.h"

#include <amdgpu_drm.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static pthread_once_t trace_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t trace_lock = PTHREAD_MUTEX_INITIALIZER;
/* atomic: a failed write closes it under the lock while other threads
 * test it without */
static _Atomic int trace_fd = -1;
static const char *trace_path;

static void trace_open(void)
{
	const char *path = getenv("AMDBARE_TRACE");
	if (!path || !path[0])
		return;
	trace_path = path;
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "amdbare: AMDBARE_TRACE=%s: cannot open the trace file: %s; "
			"not recording\n", path, strerror(errno));
		return;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && st.st_size == 0) {
		uint8_t head[AB_TRACE_FILE_HEAD] = {0};
		uint32_t version = AB_TRACE_VERSION;
		memcpy(head, AB_TRACE_MAGIC, 8);
		memcpy(head + 8, &version, 4);
		if (write(fd, head, sizeof(head)) != (ssize_t)sizeof(head)) {
			fprintf(stderr, "amdbare: AMDBARE_TRACE=%s: writing the file header failed; "
				"not recording\n", path);
			close(fd);
			return;
		}
	}
	trace_fd = fd;
}

bool ab_trace_enabled(void)
{
	pthread_once(&trace_once, trace_open);
	return trace_fd >= 0;
}

uint64_t ab_trace_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void put_record(const void *rec, size_t bytes)
{
	pthread_mutex_lock(&trace_lock);
	if (trace_fd >= 0 && write(trace_fd, rec, bytes) != (ssize_t)bytes) {
		fprintf(stderr, "amdbare: AMDBARE_TRACE=%s: writing a %zu-byte record failed (%s); "
			"recording stops\n", trace_path, bytes, strerror(errno));
		close(trace_fd);
		trace_fd = -1;
	}
	pthread_mutex_unlock(&trace_lock);
}

int ab_cmdbuf_trace_note(amdbare_cmdbuf *cb, uint32_t kind, const char *name)
{
	if (!ab_trace_enabled())
		return 0;
	if (cb->nnotes == cb->notes_cap) {
		uint32_t cap = cb->notes_cap ? cb->notes_cap * 2 : 8;
		struct ab_trace_note *n = realloc(cb->notes, cap * sizeof(*n));
		if (!n)
			return 0; /* a lost name, never a failed submission */
		cb->notes = n;
		cb->notes_cap = cap;
	}
	struct ab_trace_note *note = &cb->notes[cb->nnotes++];
	memset(note, 0, sizeof(*note));
	note->dword = cb->buf.len;
	note->kind = kind;
	snprintf(note->name, sizeof(note->name), "%s", name ? name : "");
	return 0;
}

void ab_trace_cs(const amdbare_cmdbuf *cb, const amdbare_ctx *ctx,
		 const amdbare_submit_options *opts, amdbare_bo *const *bos, uint32_t nhandles,
		 uint64_t seq, int result, uint64_t submit_ns)
{
	if (!ab_trace_enabled())
		return;
	size_t bytes = sizeof(struct ab_trace_rec_head) + sizeof(struct ab_trace_cs) +
		       (size_t)nhandles * sizeof(struct ab_trace_bo) +
		       (size_t)cb->nnotes * sizeof(struct ab_trace_note) +
		       (size_t)opts->num_wait_syncobjs * 4 + (size_t)cb->buf.len * 4;
	if (bytes > AB_TRACE_MAX_RECORD)
		return;
	uint8_t *rec = calloc(1, bytes);
	if (!rec)
		return;
	struct ab_trace_rec_head h = {AB_TRACE_REC_CS, (uint32_t)bytes};
	struct ab_trace_cs cs;
	memset(&cs, 0, sizeof(cs));
	cs.pid = (uint32_t)getpid();
	cs.ctx_id = ctx->id;
	cs.ip_type = cb->ip_type;
	cs.ring = 0;
	cs.gc_major = cb->dev->info.gc_major;
	cs.gc_minor = cb->dev->info.gc_minor;
	cs.result = result;
	cs.flags = opts->use_bo_list_object ? AB_TRACE_CS_BO_LIST_OBJECT : 0;
	cs.seq = seq;
	cs.submit_ns = submit_ns;
	cs.ib_va = cb->ib_bo->gpu_va;
	cs.ib_dw = cb->buf.len;
	cs.nbos = nhandles;
	cs.nnotes = cb->nnotes;
	cs.nwait = opts->num_wait_syncobjs;
	cs.signal_syncobj = opts->signal_syncobj;
	cs.user_fence_handle = opts->user_fence_bo ? opts->user_fence_bo->handle : 0;
	cs.user_fence_offset = opts->user_fence_offset;
	size_t o = 0;
	memcpy(rec + o, &h, sizeof(h));
	o += sizeof(h);
	memcpy(rec + o, &cs, sizeof(cs));
	o += sizeof(cs);
	/* The BO list in the order the ioctl got it. */
	for (uint32_t i = 0; i < nhandles; i++) {
		const struct amdbare_bo *bo = bos[i];
		struct ab_trace_bo b;
		memset(&b, 0, sizeof(b));
		b.handle = bo->handle;
		b.domains = bo->domains;
		b.actual_domain = bo->placement.actual_domain;
		b.flags = bo->flags;
		b.gpu_va = bo->gpu_va;
		b.size = bo->size;
		memcpy(rec + o, &b, sizeof(b));
		o += sizeof(b);
	}
	if (cb->nnotes)
		memcpy(rec + o, cb->notes, (size_t)cb->nnotes * sizeof(struct ab_trace_note));
	o += (size_t)cb->nnotes * sizeof(struct ab_trace_note);
	for (uint32_t i = 0; i < opts->num_wait_syncobjs; i++) {
		memcpy(rec + o, &opts->wait_syncobjs[i], 4);
		o += 4;
	}
	memcpy(rec + o, cb->buf.dw, (size_t)cb->buf.len * 4);
	put_record(rec, bytes);
	free(rec);
}

void ab_trace_done(const amdbare_fence *f, int result)
{
	if (!ab_trace_enabled())
		return;
	struct {
		struct ab_trace_rec_head h;
		struct ab_trace_done d;
	} rec;
	memset(&rec, 0, sizeof(rec));
	rec.h = (struct ab_trace_rec_head){AB_TRACE_REC_DONE, sizeof(rec)};
	rec.d.pid = (uint32_t)getpid();
	rec.d.ctx_id = f->ctx->id;
	rec.d.ip_type = f->ip_type;
	rec.d.ring = f->ring;
	rec.d.seq = f->seq;
	rec.d.complete_ns = ab_trace_now_ns();
	rec.d.result = result;
	put_record(&rec, sizeof(rec));
}
