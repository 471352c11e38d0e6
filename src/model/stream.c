/*
 * Streaming file bytes into GPU memory.
 *
 * Every chunk is read with pread() into one page-aligned, reused bounce
 * buffer (the only anonymous memory of the load: one chunk, whatever the
 * model's size), checksummed there while it is in the cache, and copied to
 * its destination: the CPU-mapped slab, whose pages are populated in one
 * call first (MADV_POPULATE_WRITE; faulting fresh pages one by one inside
 * the copy costs more than the copy, see docs/loader.md).  Reading the
 * file straight into the slab would save that copy, but the checksum
 * would then read the slab back, and CPU mappings of VRAM are
 * write-combined (uncached reads) on real hardware.
 *
 * VRAM the CPU cannot map is filled through a ring of GTT staging slots:
 * bounce → slot, SDMA copy to the slab; a slot is reused once its copy's
 * fence has signalled, so reading overlaps the copies.
 *
 * With AMDBARE_MODEL_O_DIRECT reads bypass the page cache; O_DIRECT needs
 * block-aligned file offsets, lengths and buffers: the bounce buffer is
 * aligned, and reads start at the block below the tensor's offset.
 *
 * A file that changes under the load is detected three ways: its identity
 * and size/mtime against the stamp taken at open, a read that ends early,
 * and the same comparison again after its last tensor.
 */
#include "util/error.h"
#include "loader.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif

#define DIRECT_ALIGN 4096u

struct staging_slot {
	amdbare_batch *batch;
	amdbare_fence fence;
	bool pending;
};

struct stream {
	amdbare_model *m;
	uint64_t chunk;
	/* the file being read */
	int fd;
	int32_t file;
	bool direct;
	void *bounce;           /* one chunk + alignment slack, page-aligned */
	bool populate_ok;       /* MADV_POPULATE_WRITE works on these mappings */
	/* staging */
	amdbare_ctx *ctx;
	amdbare_suballoc ring;
	struct staging_slot slots[MODEL_STAGING_SLOTS];
	uint64_t slot_size;
	uint32_t next_slot;
	/* progress */
	amdbare_model_progress prog;
	struct timespec t0;
};

static double since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) * 1e-9;
}

static const char *file_path(const struct stream *st)
{
	return st->m->idx.files[st->file].path;
}

static bool stamp_matches(const struct model_file_stamp *s, const struct stat *st)
{
	return s->dev == st->st_dev && s->ino == st->st_ino && s->size == st->st_size &&
	       s->mtime.tv_sec == st->st_mtim.tv_sec && s->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

static int check_unchanged(struct stream *st, const char *when, const char *tensor)
{
	struct stat sb;
	if (fstat(st->fd, &sb) != 0) {
		int e = errno;
		return ab_set_error(e, "model: %s: fstat failed %s: %s", file_path(st), when,
				    strerror(e));
	}
	const struct model_file_stamp *s = &st->m->stamps[st->file];
	if (!stamp_matches(s, &sb))
		return ab_set_error(EIO, "model: %s changed %s%s%s%s (size %lld bytes, planned with "
				    "%lld%s)", file_path(st), when, tensor ? " (tensor '" : "",
				    tensor ? tensor : "", tensor ? "')" : "", (long long)sb.st_size,
				    (long long)s->size,
				    s->size == sb.st_size ? "; modification time differs" : "");
	return 0;
}

static void close_file(struct stream *st)
{
	if (st->fd >= 0)
		close(st->fd);
	st->fd = -1;
	st->file = -1;
}

static int open_file(struct stream *st, uint32_t file, const char *tensor)
{
	close_file(st);
	st->file = (int32_t)file;
	const char *path = st->m->idx.files[file].path;
	st->direct = false;
	if (st->m->opt.flags & AMDBARE_MODEL_O_DIRECT) {
		st->fd = open(path, O_RDONLY | O_CLOEXEC | O_DIRECT | O_NONBLOCK);
		st->direct = st->fd >= 0;
		/* tmpfs and some FUSE file systems refuse O_DIRECT: read buffered. */
	}
	/* O_NONBLOCK: a path swapped for a FIFO since it was parsed must not
	 * block here (the file's identity is checked against its stamp). */
	if (st->fd < 0)
		st->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (st->fd < 0) {
		int e = errno;
		return ab_set_error(e, "model: cannot open %s (tensor '%s'): %s", path, tensor,
				    strerror(e));
	}
	if (st->direct)
		st->m->proof.used_o_direct = true;
	int r = check_unchanged(st, "since it was planned", tensor);
	if (r < 0)
		return r;
	/* Tell the kernel to read ahead aggressively and drop behind. */
	posix_fadvise(st->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	return 0;
}

static int short_read(struct stream *st, const struct model_tensor *t, uint64_t at)
{
	return ab_set_error(EIO, "model: %s ended at byte %" PRIu64 " while reading tensor '%s' "
			    "(bytes %" PRIu64 "..%" PRIu64 "): the file shrank during the load",
			    file_path(st), at, t->name, t->offset, t->offset + t->nbytes);
}

/* Reads up to n bytes of the file at `off` into the bounce buffer and
 * returns where they start in it and how many there are (at least 1).
 * Buffered reads fill exactly min(n, chunk) bytes; O_DIRECT reads whole
 * aligned blocks and skips the head of the first one. */
static int read_chunk(struct stream *st, const struct model_tensor *t, uint64_t n, uint64_t off,
		      const uint8_t **data, uint64_t *got_out)
{
	uint64_t start = off, skip = 0, len = n < st->chunk ? n : st->chunk;
	if (st->direct) {
		start = off & ~(uint64_t)(DIRECT_ALIGN - 1);
		skip = off - start;
		if (skip + len > st->chunk)
			len = st->chunk - skip;
		len = (skip + len + DIRECT_ALIGN - 1) & ~(uint64_t)(DIRECT_ALIGN - 1);
	} else {
		/* Start the read-ahead of what follows this chunk. */
		posix_fadvise(st->fd, (off_t)(off + len), (off_t)(st->chunk * 2),
			      POSIX_FADV_WILLNEED);
	}
	uint8_t *p = st->bounce;
	uint64_t have = 0;
	while (have < len) {
		ssize_t got = pread(st->fd, p + have, len - have, (off_t)(start + have));
		if (got < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			return ab_set_error(e, "model: reading %s%s at byte %" PRIu64 " (tensor '%s') "
					    "failed: %s", file_path(st), st->direct ? " (O_DIRECT)" : "",
					    start + have, t->name, strerror(e));
		}
		if (got == 0)
			break;
		have += (uint64_t)got;
	}
	if (have <= skip)
		return short_read(st, t, start + have);
	uint64_t use = have - skip;
	if (use > n)
		use = n;
	if (!st->direct && use < len)
		return short_read(st, t, start + have);
	*data = p + skip;
	*got_out = use;
	return 0;
}

/* Makes the destination pages present in one call before they are
 * written: faulting them one by one inside the copy costs far more. */
static void populate(struct stream *st, void *dst, uint64_t n)
{
	if (!st->populate_ok)
		return;
	uintptr_t a = (uintptr_t)dst & ~(uintptr_t)4095;
	uintptr_t b = ((uintptr_t)dst + n + 4095) & ~(uintptr_t)4095;
	/* Mappings that cannot be populated (VRAM apertures on a real
	 * kernel are PFN maps) say EINVAL/EFAULT: stop trying. */
	if (madvise((void *)a, b - a, MADV_POPULATE_WRITE) != 0)
		st->populate_ok = false;
}

static int report(struct stream *st, const char *tensor, uint32_t dom, uint64_t n)
{
	amdbare_model_progress *p = &st->prog;
	p->bytes_done += n;
	if (dom == MODEL_DOM_VRAM)
		p->vram_done += n;
	else
		p->gtt_done += n;
	if (!st->m->opt.progress)
		return 0;
	p->elapsed_s = since(&st->t0);
	p->file = file_path(st);
	p->tensor = tensor;
	if (st->m->opt.progress(p, st->m->opt.progress_user) != 0)
		return ab_set_error(ECANCELED, "model: load cancelled by the progress callback "
				    "(at tensor '%s' of %s)", tensor, file_path(st));
	return 0;
}

static int slot_wait(struct staging_slot *s, const char *tensor)
{
	if (!s->pending)
		return 0;
	int r = amdbare_fence_wait(&s->fence, AMDBARE_TIMEOUT_INFINITE);
	s->pending = false;
	if (r < 0)
		ab_append_error(" (model: staging copy for tensor '%s')", tensor);
	return r;
}

static int staging_open(struct stream *st)
{
	amdbare_model *m = st->m;
	amdbare_alloc_request req = {
		.size = m->plan.staging_bytes,
		.alignment = 4096,
		.policy = AMDBARE_ALLOC_GTT_ONLY,
	};
	int r = amdbare_alloc(m->alloc, &req, &st->ring);
	if (r < 0) {
		memset(&st->ring, 0, sizeof(st->ring));
		ab_append_error(" (model: the GTT staging ring)");
		return r;
	}
	st->slot_size = (m->plan.staging_bytes / MODEL_STAGING_SLOTS) & ~(uint64_t)4095;
	r = amdbare_ctx_create(m->dev, AMDBARE_PRIORITY_NORMAL, &st->ctx);
	if (r < 0)
		return r;
	for (uint32_t i = 0; i < MODEL_STAGING_SLOTS; i++) {
		r = amdbare_batch_create(m->dev, AMDBARE_ENGINE_DMA, &st->slots[i].batch);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Waits for every copy in flight and frees the ring.  Returns the first
 * wait error (the buffers are freed regardless). */
static int staging_close(struct stream *st)
{
	int first = 0;
	for (uint32_t i = 0; i < MODEL_STAGING_SLOTS; i++) {
		struct staging_slot *s = &st->slots[i];
		if (s->pending) {
			int r = amdbare_fence_wait(&s->fence, AMDBARE_TIMEOUT_INFINITE);
			if (r < 0 && !first)
				first = r;
			s->pending = false;
		}
		amdbare_batch_free(s->batch);
		s->batch = NULL;
	}
	amdbare_ctx_free(st->ctx);
	st->ctx = NULL;
	if (st->ring.id)
		amdbare_alloc_free(st->m->alloc, st->ring.id);
	memset(&st->ring, 0, sizeof(st->ring));
	return first;
}

static int stream_staged(struct stream *st, const struct model_tensor *t,
			 struct model_tensor_state *ts, amdbare_checksum_state *cs)
{
	const amdbare_suballoc *sa = &st->m->slabs[ts->slab].sa;
	uint64_t chunk = st->chunk < st->slot_size ? st->chunk : st->slot_size;
	for (uint64_t done = 0; done < t->nbytes;) {
		uint64_t want = t->nbytes - done < chunk ? t->nbytes - done : chunk, n;
		const uint8_t *data;
		int r = read_chunk(st, t, want, t->offset + done, &data, &n);
		if (r < 0)
			return r;
		amdbare_checksum_update(cs, data, n);
		struct staging_slot *s = &st->slots[st->next_slot];
		uint64_t slot_off = st->ring.offset + st->next_slot * st->slot_size;
		uint8_t *slot_ptr = (uint8_t *)st->ring.cpu_ptr + st->next_slot * st->slot_size;
		st->next_slot = (st->next_slot + 1) % MODEL_STAGING_SLOTS;
		r = slot_wait(s, t->name);
		if (r < 0)
			return r;
		memcpy(slot_ptr, data, n);
		r = amdbare_batch_copy(s->batch, sa->bo, sa->offset + ts->slab_offset + done,
				       st->ring.bo, slot_off, n);
		if (r == 0)
			r = amdbare_batch_submit(s->batch, st->ctx, &s->fence);
		if (r < 0) {
			ab_append_error(" (model: staging copy of tensor '%s')", t->name);
			return r;
		}
		s->pending = true;
		st->m->proof.bytes_staged += n;
		done += n;
		r = report(st, t->name, ts->dom, n);
		if (r < 0)
			return r;
	}
	return 0;
}

/* File → bounce buffer (cached, reused: the checksum reads it while it is
 * hot) → destination.  Reading the destination back for the checksum
 * instead would be slow where it matters: CPU mappings of VRAM are
 * write-combined on real hardware. */
static int stream_direct(struct stream *st, const struct model_tensor *t,
			 struct model_tensor_state *ts, amdbare_checksum_state *cs)
{
	const amdbare_suballoc *sa = &st->m->slabs[ts->slab].sa;
	uint8_t *dst = (uint8_t *)sa->cpu_ptr + ts->slab_offset;
	for (uint64_t done = 0; done < t->nbytes;) {
		uint64_t want = t->nbytes - done, n;
		const uint8_t *data;
		int r = read_chunk(st, t, want, t->offset + done, &data, &n);
		if (r < 0)
			return r;
		amdbare_checksum_update(cs, data, n);
		populate(st, dst + done, n);
		memcpy(dst + done, data, n);
		done += n;
		r = report(st, t->name, ts->dom, n);
		if (r < 0)
			return r;
	}
	return 0;
}

static int stream_tensor(struct stream *st, uint32_t i)
{
	amdbare_model *m = st->m;
	const struct model_tensor *t = &m->idx.tensors[i];
	struct model_tensor_state *ts = &m->ts[i];
	amdbare_checksum_state cs;
	amdbare_checksum_init(&cs);
	int r = 0;
	if (t->nbytes) {
		if ((int32_t)t->file_index != st->file)
			r = open_file(st, t->file_index, t->name);
		if (r == 0 && m->slabs[ts->slab].staged)
			r = stream_staged(st, t, ts, &cs);
		else if (r == 0)
			r = stream_direct(st, t, ts, &cs);
	}
	ts->checksum = amdbare_checksum_final(&cs);
	if (r < 0)
		return r;
	m->proof.bytes_read += t->nbytes;
	st->prog.tensors_done++;
	/* Last tensor of this file: did it change while we read it? */
	bool last_of_file = i + 1 == m->idx.n_tensors ||
			    m->idx.tensors[i + 1].file_index != t->file_index;
	if (t->nbytes && last_of_file && st->fd >= 0)
		r = check_unchanged(st, "during the load", t->name);
	return r;
}

int model_stream_all(amdbare_model *m)
{
	struct stream st;
	memset(&st, 0, sizeof(st));
	st.m = m;
	st.fd = -1;
	st.file = -1;
	st.chunk = m->opt.chunk_size;
	st.populate_ok = true;
	st.prog.tensors_total = m->idx.n_tensors;
	st.prog.bytes_total = m->plan.bytes;
	st.prog.vram_total = m->plan.vram.bytes;
	st.prog.gtt_total = m->plan.gtt.bytes;
	clock_gettime(CLOCK_MONOTONIC, &st.t0);
	int r = 0;
	/* One chunk plus a block of slack for O_DIRECT's alignment: the only
	 * anonymous memory the load uses, whatever the model's size. */
	if (posix_memalign(&st.bounce, DIRECT_ALIGN, st.chunk + DIRECT_ALIGN) != 0)
		return ab_set_error(ENOMEM, "model: out of memory for the read buffer");
	if (m->plan.vram_staged)
		r = staging_open(&st);
	for (uint32_t i = 0; r == 0 && i < m->idx.n_tensors; i++)
		r = stream_tensor(&st, i);
	close_file(&st);
	int rc = m->plan.vram_staged ? staging_close(&st) : 0;
	free(st.bounce);
	if (r == 0)
		r = rc;
	m->proof.stream_seconds = since(&st.t0);
	return r;
}
