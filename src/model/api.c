/*
 * The model object: open (parse every path, merge into one index, refuse a
 * name twice, plan), lookups and free.
 */
#include "util/api.h"
#include "util/error.h"
#include "internal.h"
#include "loader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

AB_API void amdbare_model_options_init(amdbare_model_options *o)
{
	if (!o)
		return;
	memset(o, 0, sizeof(*o));
	o->policy = AMDBARE_MODEL_VRAM_THEN_GTT;
	o->vram_headroom = AMDBARE_ALLOC_HEADROOM_AUTO;
	o->gtt_headroom = AMDBARE_ALLOC_HEADROOM_AUTO;
	o->alignment = AMDBARE_ALLOC_GRANULARITY;
	o->chunk_size = MODEL_DEFAULT_CHUNK;
	o->staging_size = MODEL_DEFAULT_STAGING;
}

static int check_options(amdbare_model_options *o)
{
	if (o->policy > AMDBARE_MODEL_GTT_ONLY)
		return ab_set_error(EINVAL, "model: unknown placement policy %u", o->policy);
	if (o->alignment == 0)
		o->alignment = AMDBARE_ALLOC_GRANULARITY;
	if (o->alignment < AMDBARE_ALLOC_GRANULARITY || o->alignment > AMDBARE_ALLOC_MAX_ALIGNMENT ||
	    (o->alignment & (o->alignment - 1)))
		return ab_set_error(EINVAL, "model: tensor alignment %u is not a power of two "
				    "between 256 and 65536", o->alignment);
	if (o->flags & ~(uint32_t)(AMDBARE_MODEL_NO_VERIFY | AMDBARE_MODEL_STAGE_VRAM |
				   AMDBARE_MODEL_O_DIRECT))
		return ab_set_error(EINVAL, "model: unknown flag bits 0x%x", o->flags);
	if (o->chunk_size == 0)
		o->chunk_size = MODEL_DEFAULT_CHUNK;
	/* Reads stay page-aligned in the destination (O_DIRECT needs it) and
	 * bounded: the chunk is the only per-read working set. */
	if (o->chunk_size < 4096 || o->chunk_size > (UINT64_C(256) << 20))
		return ab_set_error(EINVAL, "model: chunk size %llu outside 4 KiB .. 256 MiB",
				    (unsigned long long)o->chunk_size);
	o->chunk_size &= ~(uint64_t)4095;
	if (o->staging_size == 0)
		o->staging_size = MODEL_DEFAULT_STAGING;
	if (o->staging_size < MODEL_STAGING_SLOTS * 4096ull ||
	    o->staging_size > (UINT64_C(1) << 30))
		return ab_set_error(EINVAL, "model: staging size %llu outside 16 KiB .. 1 GiB",
				    (unsigned long long)o->staging_size);
	if (o->n_placements && !o->placements)
		return ab_set_error(EINVAL, "model: %zu placements but no array", o->n_placements);
	return 0;
}

/* One name, one tensor, across all the model's files (each file's parser
 * has already refused a name twice inside that file).  The index's name
 * table (model/index.c) noticed the first clash as the files were merged. */
static int check_unique_names(const amdbare_model *m)
{
	const struct model_tensor *t = model_index_first_duplicate(&m->idx);
	if (!t)
		return 0;
	const struct model_tensor *o = model_index_find(&m->idx, t->name);
	if (strcmp(m->idx.files[o->file_index].path, m->idx.files[t->file_index].path) == 0)
		return ab_set_error(EEXIST, "model: %s is given twice (tensor '%s' twice)",
				    m->idx.files[t->file_index].path, t->name);
	return ab_set_error(EEXIST, "model: tensor '%s' is in both %s and %s", t->name,
			    m->idx.files[o->file_index].path, m->idx.files[t->file_index].path);
}

/* Moves the files and tensors of `sub` to the end of m->idx (and into its
 * name table); sub is left empty, or unchanged on failure. */
static int merge_index(amdbare_model *m, struct model_index *sub)
{
	uint64_t nt = (uint64_t)m->idx.n_tensors + sub->n_tensors;
	if (nt > MODEL_MAX_TENSORS)
		return ab_set_error(E2BIG, "model: more than %u tensors in all files",
				    MODEL_MAX_TENSORS);
	return model_index_merge(&m->idx, sub);
}

static int stamp_files(amdbare_model *m)
{
	m->stamps = calloc(m->idx.n_files ? m->idx.n_files : 1, sizeof(*m->stamps));
	if (!m->stamps)
		return ab_set_error(ENOMEM, "model: out of memory");
	for (uint32_t i = 0; i < m->idx.n_files; i++) {
		struct stat st;
		if (stat(m->idx.files[i].path, &st) != 0) {
			int e = errno;
			return ab_set_error(e, "model: %s: %s", m->idx.files[i].path, strerror(e));
		}
		if ((uint64_t)st.st_size != m->idx.files[i].size)
			return ab_set_error(EIO, "model: %s changed while it was parsed (%lld bytes, "
					    "parsed as %llu)", m->idx.files[i].path,
					    (long long)st.st_size,
					    (unsigned long long)m->idx.files[i].size);
		m->stamps[i] = (struct model_file_stamp){
			.dev = st.st_dev, .ino = st.st_ino, .size = st.st_size, .mtime = st.st_mtim};
	}
	return 0;
}

static int open_model(amdbare_model *m, const char *const *paths, size_t n_paths)
{
	amdbare_allocator_config cfg;
	amdbare_allocator_config_init(&cfg);
	cfg.arena_size = MODEL_ARENA_SIZE;
	cfg.vram_headroom = m->opt.vram_headroom;
	cfg.gtt_headroom = m->opt.gtt_headroom;
	cfg.vram_limit = m->opt.vram_limit;
	cfg.gtt_limit = m->opt.gtt_limit;
	int r = amdbare_allocator_create(m->dev, &cfg, &m->alloc);
	if (r < 0)
		return r;
	m->idx.alignment = 1;
	for (size_t i = 0; i < n_paths; i++) {
		if (!paths[i])
			return ab_set_error(EINVAL, "model: path %zu is NULL", i);
		struct model_index sub;
		memset(&sub, 0, sizeof(sub));
		r = model_index_open(&sub, paths[i]);
		if (r < 0)
			return r;
		r = merge_index(m, &sub);
		if (r < 0) {
			model_index_free(&sub);
			return r;
		}
	}
	if (m->idx.n_tensors == 0)
		return ab_set_error(EINVAL, "model: %s%s holds no tensor", paths[0],
				    n_paths > 1 ? " (and the other files)" : "");
	m->ts = calloc(m->idx.n_tensors, sizeof(*m->ts));
	if (!m->ts)
		return ab_set_error(ENOMEM, "model: out of memory for %u tensors", m->idx.n_tensors);
	r = stamp_files(m);
	if (r < 0)
		return r;
	r = check_unique_names(m);
	if (r < 0)
		return r;
	r = model_plan_parse_overrides(m);
	if (r < 0)
		return r;
	return model_plan_make(m);
}

AB_API int amdbare_model_open(amdbare_device *dev, const char *const *paths, size_t n_paths,
			      const amdbare_model_options *opt, amdbare_model **out)
{
	if (out)
		*out = NULL;
	if (!dev || !paths || !out || n_paths == 0)
		return ab_set_error(EINVAL, "model open: NULL argument or no path");
	amdbare_model *m = calloc(1, sizeof(*m));
	if (!m)
		return ab_set_error(ENOMEM, "model open: out of memory");
	m->dev = dev;
	if (opt)
		m->opt = *opt;
	else
		amdbare_model_options_init(&m->opt);
	int r = check_options(&m->opt);
	/* The caller's array may go away after open: m->overrides is a copy. */
	m->opt.placements = NULL;
	if (r == 0 && opt && opt->n_placements) {
		m->overrides = calloc(opt->n_placements, sizeof(*m->overrides));
		if (!m->overrides)
			r = ab_set_error(ENOMEM, "model open: out of memory");
		for (size_t i = 0; r == 0 && i < opt->n_placements; i++) {
			if (!opt->placements[i]) {
				r = ab_set_error(EINVAL, "model: placement %zu is NULL", i);
				break;
			}
			m->overrides[i].pattern = strdup(opt->placements[i]);
			if (!m->overrides[i].pattern)
				r = ab_set_error(ENOMEM, "model open: out of memory");
			m->n_overrides = i + 1;
		}
	}
	if (r == 0)
		r = open_model(m, paths, n_paths);
	if (r < 0) {
		amdbare_model_free(m);
		return r;
	}
	*out = m;
	return 0;
}

AB_API int amdbare_model_get_plan(const amdbare_model *m, amdbare_model_plan *out)
{
	if (!m || !out)
		return ab_set_error(EINVAL, "model plan: NULL argument");
	*out = m->plan;
	return 0;
}

AB_API int amdbare_model_get_proof(const amdbare_model *m, amdbare_model_proof *out)
{
	if (!m || !out)
		return ab_set_error(EINVAL, "model proof: NULL argument");
	*out = m->proof;
	return 0;
}

AB_API size_t amdbare_model_tensor_count(const amdbare_model *m)
{
	return m ? m->idx.n_tensors : 0;
}

static void describe(const amdbare_model *m, uint32_t i, amdbare_tensor_info *out)
{
	const struct model_tensor *t = &m->idx.tensors[i];
	const struct model_tensor_state *s = &m->ts[i];
	memset(out, 0, sizeof(*out));
	out->name = t->name;
	out->dtype = t->dtype;
	out->n_dims = t->n_dims;
	memcpy(out->shape, t->shape, sizeof(out->shape));
	out->nbytes = t->nbytes;
	out->file = m->idx.files[t->file_index].path;
	out->file_offset = t->offset;
	out->domain = model_dom_bit(s->dom);
	out->placed_by = s->override_index >= 0 ? m->overrides[s->override_index].pattern : NULL;
	out->checksum = s->checksum;
	out->verified = s->verified;
	if (!s->loaded || t->nbytes == 0)
		return;
	const amdbare_suballoc *sa = &m->slabs[s->slab].sa;
	out->domain = sa->domain;
	out->bo = sa->bo;
	out->bo_offset = sa->offset + s->slab_offset;
	out->gpu_va = sa->gpu_va + s->slab_offset;
	out->cpu_ptr = sa->cpu_ptr ? (uint8_t *)sa->cpu_ptr + s->slab_offset : NULL;
}

AB_API int amdbare_model_tensor(const amdbare_model *m, size_t index, amdbare_tensor_info *out)
{
	if (!m || !out)
		return ab_set_error(EINVAL, "model tensor: NULL argument");
	if (index >= m->idx.n_tensors)
		return ab_set_error(ERANGE, "model tensor: index %zu out of range (%u tensors)",
				    index, m->idx.n_tensors);
	describe(m, (uint32_t)index, out);
	return 0;
}

AB_API int amdbare_model_find(const amdbare_model *m, const char *name, amdbare_tensor_info *out)
{
	if (!m || !name || !out)
		return ab_set_error(EINVAL, "model find: NULL argument");
	const struct model_tensor *t = model_index_find(&m->idx, name);
	if (!t)
		return ab_set_error(ENOENT, "model: no tensor named '%s' (%u tensors)", name,
				    m->idx.n_tensors);
	describe(m, (uint32_t)(t - m->idx.tensors), out);
	return 0;
}

AB_API amdbare_allocator *amdbare_model_allocator(const amdbare_model *m)
{
	return m ? m->alloc : NULL;
}

AB_API void amdbare_model_free(amdbare_model *m)
{
	if (!m)
		return;
	model_release_slabs(m);
	free(m->slabs);
	if (m->alloc)
		amdbare_allocator_destroy(m->alloc);
	for (size_t i = 0; i < m->n_overrides; i++)
		free(m->overrides[i].pattern);
	free(m->overrides);
	free(m->ts);
	free(m->stamps);
	model_index_free(&m->idx);
	free(m);
}
