/*
 * The NT_AMDGPU_METADATA note (code object v3+ msgpack metadata,
 * AMDGPUUsage "Code Object V3 Metadata" and later): amdhsa.version,
 * amdhsa.target and amdhsa.kernels into amdbare_kernel_info.
 *
 * Keys this loader does not use are skipped (newer LLVMs add keys), but
 * the keys it does use are type-checked and the closed sets
 * (.address_space, .access) must hold a known value.  An unknown
 * .value_kind is kept and flagged instead, so that a newer hidden
 * argument makes a kernel undispatchable, not the whole object unloadable.
 */
#include "internal.h"
#include "util/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct md_ctx {
	amdbare_codeobj *co;
	const ab_elf_view *v;
	ab_mp_doc doc;
	const char *kernel;           /* for messages; NULL at the top level */
} md_ctx;

static int md_error(const md_ctx *m, uint32_t node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "<file>: metadata[, kernel K]: <what> (file offset N)". */
static int md_error(const md_ctx *m, uint32_t node, const char *fmt, ...)
{
	char what[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	size_t off = m->v->note_offset + (node < m->doc.n_nodes ? m->doc.nodes[node].offset : 0);
	if (m->kernel)
		return ab_set_error(EINVAL, "%s: metadata, kernel %s: %s (file offset %zu)",
				    m->co->source, m->kernel, what, off);
	return ab_set_error(EINVAL, "%s: metadata: %s (file offset %zu)", m->co->source, what, off);
}

const char *ab_codeobj_intern(amdbare_codeobj *co, const ab_mp_node *n)
{
	if (n->type != AB_MP_STR || co->strings_cap - co->strings_len < (size_t)n->str_len + 1)
		return NULL;
	char *s = co->strings + co->strings_len;
	memcpy(s, n->v.str, n->str_len);
	s[n->str_len] = '\0';
	co->strings_len += (size_t)n->str_len + 1;
	/* An embedded NUL would make the C string differ from the key the
	 * metadata meant; nothing legitimate has one. */
	if (strlen(s) != n->str_len)
		return NULL;
	return s;
}

/* Fetches key from map: -1 absent (an error when required). */
static int64_t get(const md_ctx *m, uint32_t map, const char *key, bool required, int *err)
{
	int64_t k = ab_mp_map_get(&m->doc, map, key);
	if (k < 0 && required && !*err)
		*err = md_error(m, map, "required key %s is missing", key);
	return k;
}

static void get_u32(const md_ctx *m, uint32_t map, const char *key, bool required,
		    uint32_t *out, int *err)
{
	int64_t k = get(m, map, key, required, err);
	if (k < 0 || *err)
		return;
	const ab_mp_node *n = &m->doc.nodes[k];
	if (n->type != AB_MP_UINT || n->v.u > UINT32_MAX)
		*err = md_error(m, (uint32_t)k, "%s is not an unsigned 32-bit integer", key);
	else
		*out = (uint32_t)n->v.u;
}

static void get_bool(const md_ctx *m, uint32_t map, const char *key, bool *out, int *err)
{
	int64_t k = get(m, map, key, false, err);
	if (k < 0 || *err)
		return;
	if (m->doc.nodes[k].type != AB_MP_BOOL)
		*err = md_error(m, (uint32_t)k, "%s is not a boolean", key);
	else
		*out = m->doc.nodes[k].v.b;
}

static void get_str(md_ctx *m, uint32_t map, const char *key, bool required,
		    const char **out, int *err)
{
	int64_t k = get(m, map, key, required, err);
	if (k < 0 || *err)
		return;
	*out = ab_codeobj_intern(m->co, &m->doc.nodes[k]);
	if (!*out)
		*err = md_error(m, (uint32_t)k, "%s is not a string (or holds a NUL byte)", key);
}

static void get_dims(const md_ctx *m, uint32_t map, const char *key, uint32_t dims[3], int *err)
{
	int64_t k = get(m, map, key, false, err);
	if (k < 0 || *err)
		return;
	const ab_mp_node *n = &m->doc.nodes[k];
	if (n->type != AB_MP_ARRAY || n->count != 3) {
		*err = md_error(m, (uint32_t)k, "%s is not an array of 3 integers", key);
		return;
	}
	for (uint32_t i = 0; i < 3; i++) {
		const ab_mp_node *e = &m->doc.nodes[ab_mp_child(&m->doc, (uint32_t)k, i)];
		if (e->type != AB_MP_UINT || e->v.u == 0 || e->v.u > UINT32_MAX) {
			*err = md_error(m, (uint32_t)k, "%s[%u] is not a positive 32-bit integer",
					key, i);
			return;
		}
		dims[i] = (uint32_t)e->v.u;
	}
}

static const char *const kind_names[] = {
	[AMDBARE_ARG_BY_VALUE] = "by_value",
	[AMDBARE_ARG_GLOBAL_BUFFER] = "global_buffer",
	[AMDBARE_ARG_DYNAMIC_SHARED_POINTER] = "dynamic_shared_pointer",
	[AMDBARE_ARG_SAMPLER] = "sampler",
	[AMDBARE_ARG_IMAGE] = "image",
	[AMDBARE_ARG_PIPE] = "pipe",
	[AMDBARE_ARG_QUEUE] = "queue",
	[AMDBARE_ARG_HIDDEN_GLOBAL_OFFSET_X] = "hidden_global_offset_x",
	[AMDBARE_ARG_HIDDEN_GLOBAL_OFFSET_Y] = "hidden_global_offset_y",
	[AMDBARE_ARG_HIDDEN_GLOBAL_OFFSET_Z] = "hidden_global_offset_z",
	[AMDBARE_ARG_HIDDEN_NONE] = "hidden_none",
	[AMDBARE_ARG_HIDDEN_PRINTF_BUFFER] = "hidden_printf_buffer",
	[AMDBARE_ARG_HIDDEN_HOSTCALL_BUFFER] = "hidden_hostcall_buffer",
	[AMDBARE_ARG_HIDDEN_DEFAULT_QUEUE] = "hidden_default_queue",
	[AMDBARE_ARG_HIDDEN_COMPLETION_ACTION] = "hidden_completion_action",
	[AMDBARE_ARG_HIDDEN_MULTIGRID_SYNC_ARG] = "hidden_multigrid_sync_arg",
	[AMDBARE_ARG_HIDDEN_BLOCK_COUNT_X] = "hidden_block_count_x",
	[AMDBARE_ARG_HIDDEN_BLOCK_COUNT_Y] = "hidden_block_count_y",
	[AMDBARE_ARG_HIDDEN_BLOCK_COUNT_Z] = "hidden_block_count_z",
	[AMDBARE_ARG_HIDDEN_GROUP_SIZE_X] = "hidden_group_size_x",
	[AMDBARE_ARG_HIDDEN_GROUP_SIZE_Y] = "hidden_group_size_y",
	[AMDBARE_ARG_HIDDEN_GROUP_SIZE_Z] = "hidden_group_size_z",
	[AMDBARE_ARG_HIDDEN_REMAINDER_X] = "hidden_remainder_x",
	[AMDBARE_ARG_HIDDEN_REMAINDER_Y] = "hidden_remainder_y",
	[AMDBARE_ARG_HIDDEN_REMAINDER_Z] = "hidden_remainder_z",
	[AMDBARE_ARG_HIDDEN_GRID_DIMS] = "hidden_grid_dims",
	[AMDBARE_ARG_HIDDEN_HEAP_V1] = "hidden_heap_v1",
	[AMDBARE_ARG_HIDDEN_DYNAMIC_LDS_SIZE] = "hidden_dynamic_lds_size",
	[AMDBARE_ARG_HIDDEN_PRIVATE_BASE] = "hidden_private_base",
	[AMDBARE_ARG_HIDDEN_SHARED_BASE] = "hidden_shared_base",
	[AMDBARE_ARG_HIDDEN_QUEUE_PTR] = "hidden_queue_ptr",
};

static const char *const as_names[] = {
	[AMDBARE_AS_PRIVATE] = "private", [AMDBARE_AS_GLOBAL] = "global",
	[AMDBARE_AS_CONSTANT] = "constant", [AMDBARE_AS_LOCAL] = "local",
	[AMDBARE_AS_GENERIC] = "generic", [AMDBARE_AS_REGION] = "region",
};

static const char *const access_names[] = {
	[AMDBARE_ACCESS_READ_ONLY] = "read_only", [AMDBARE_ACCESS_WRITE_ONLY] = "write_only",
	[AMDBARE_ACCESS_READ_WRITE] = "read_write",
};

/* Index of s in a table with entry 0 unused; 0 when not found. */
static unsigned lookup(const char *s, const char *const *table, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		if (table[i] && strcmp(table[i], s) == 0)
			return i;
	return 0;
}

static void get_enum(md_ctx *m, uint32_t map, const char *key, const char *const *table,
		     unsigned n, unsigned *out, int *err)
{
	const char *s = NULL;
	get_str(m, map, key, false, &s, err);
	if (!s || *err)
		return;
	*out = lookup(s, table, n);
	if (!*out)
		*err = md_error(m, (uint32_t)ab_mp_map_get(&m->doc, map, key),
				"%s \"%s\" is not a known value", key, s);
}

static int parse_arg(md_ctx *m, uint32_t node, uint32_t index, amdbare_kernel_arg *a)
{
	int err = 0;
	if (m->doc.nodes[node].type != AB_MP_MAP)
		return md_error(m, node, ".args[%u] is not a map", index);
	get_u32(m, node, ".offset", true, &a->offset, &err);
	get_u32(m, node, ".size", true, &a->size, &err);
	get_str(m, node, ".value_kind", true, &a->value_kind_name, &err);
	get_str(m, node, ".name", false, &a->name, &err);
	get_str(m, node, ".type_name", false, &a->type_name, &err);
	unsigned as = 0, acc = 0, actual = 0;
	get_enum(m, node, ".address_space", as_names, sizeof(as_names) / sizeof(*as_names),
		 &as, &err);
	get_enum(m, node, ".access", access_names, sizeof(access_names) / sizeof(*access_names),
		 &acc, &err);
	get_enum(m, node, ".actual_access", access_names,
		 sizeof(access_names) / sizeof(*access_names), &actual, &err);
	get_u32(m, node, ".pointee_align", false, &a->pointee_align, &err);
	get_bool(m, node, ".is_const", &a->is_const, &err);
	get_bool(m, node, ".is_restrict", &a->is_restrict, &err);
	get_bool(m, node, ".is_volatile", &a->is_volatile, &err);
	get_bool(m, node, ".is_pipe", &a->is_pipe, &err);
	if (err)
		return err;
	a->address_space = (enum amdbare_addr_space)as;
	a->access = (enum amdbare_access)acc;
	a->actual_access = (enum amdbare_access)actual;
	a->kind = (enum amdbare_arg_kind)lookup(a->value_kind_name, kind_names,
						sizeof(kind_names) / sizeof(*kind_names));
	a->hidden = strncmp(a->value_kind_name, "hidden_", 7) == 0;
	if (a->pointee_align && (a->pointee_align & (a->pointee_align - 1)))
		return md_error(m, node, ".args[%u] .pointee_align %u is not a power of two",
				index, a->pointee_align);
	return 0;
}

static int parse_kernel(md_ctx *m, uint32_t node, amdbare_kernel_info *k,
			amdbare_kernel_arg *args)
{
	int err = 0;
	if (m->doc.nodes[node].type != AB_MP_MAP)
		return md_error(m, node, "an amdhsa.kernels entry is not a map");
	get_str(m, node, ".name", true, &k->name, &err);
	if (err)
		return err;
	m->kernel = k->name;
	get_str(m, node, ".symbol", true, &k->symbol, &err);
	get_u32(m, node, ".kernarg_segment_size", true, &k->kernarg_segment_size, &err);
	get_u32(m, node, ".kernarg_segment_align", true, &k->kernarg_segment_align, &err);
	get_u32(m, node, ".wavefront_size", true, &k->wavefront_size, &err);
	get_u32(m, node, ".sgpr_count", true, &k->sgpr_count, &err);
	get_u32(m, node, ".vgpr_count", true, &k->vgpr_count, &err);
	get_u32(m, node, ".max_flat_workgroup_size", true, &k->max_flat_workgroup_size, &err);
	get_u32(m, node, ".agpr_count", false, &k->agpr_count, &err);
	get_u32(m, node, ".sgpr_spill_count", false, &k->sgpr_spill_count, &err);
	get_u32(m, node, ".vgpr_spill_count", false, &k->vgpr_spill_count, &err);
	/* The descriptor holds these too; keep the metadata's copies to
	 * compare once the descriptor is read. */
	get_u32(m, node, ".group_segment_fixed_size", true, &k->group_segment_fixed_size, &err);
	get_u32(m, node, ".private_segment_fixed_size", true, &k->private_segment_fixed_size, &err);
	get_dims(m, node, ".reqd_workgroup_size", k->reqd_workgroup_size, &err);
	get_dims(m, node, ".workgroup_size_hint", k->workgroup_size_hint, &err);
	get_bool(m, node, ".uses_dynamic_stack", &k->uses_dynamic_stack, &err);
	if (err)
		return err;
	if (k->wavefront_size != 32 && k->wavefront_size != 64)
		return md_error(m, node, ".wavefront_size %u is neither 32 nor 64", k->wavefront_size);
	if (!k->kernarg_segment_align || (k->kernarg_segment_align & (k->kernarg_segment_align - 1)))
		return md_error(m, node, ".kernarg_segment_align %u is not a power of two",
				k->kernarg_segment_align);
	if (k->max_flat_workgroup_size == 0 || k->max_flat_workgroup_size > 1024)
		return md_error(m, node, ".max_flat_workgroup_size %u is not in 1..1024",
				k->max_flat_workgroup_size);
	if (k->reqd_workgroup_size[0]) {
		uint64_t total = (uint64_t)k->reqd_workgroup_size[0] * k->reqd_workgroup_size[1] *
				 k->reqd_workgroup_size[2];
		if (total > k->max_flat_workgroup_size)
			return md_error(m, node, ".reqd_workgroup_size %ux%ux%u exceeds "
					".max_flat_workgroup_size %u", k->reqd_workgroup_size[0],
					k->reqd_workgroup_size[1], k->reqd_workgroup_size[2],
					k->max_flat_workgroup_size);
	}
	int64_t an = ab_mp_map_get(&m->doc, node, ".args");
	k->args = args;
	if (an >= 0) {
		const ab_mp_node *arr = &m->doc.nodes[an];
		if (arr->type != AB_MP_ARRAY)
			return md_error(m, (uint32_t)an, ".args is not an array");
		for (uint32_t i = 0; i < arr->count; i++) {
			int r = parse_arg(m, ab_mp_child(&m->doc, (uint32_t)an, i), i, &args[i]);
			if (r)
				return r;
			if (args[i].kind == AMDBARE_ARG_UNKNOWN)
				k->has_unknown_arg_kind = true;
		}
		k->arg_count = arr->count;
	}
	return 0;
}

/* Args declared by kernel node `node` (0 if none or malformed: the
 * malformation is reported by parse_kernel). */
static uint32_t count_args(const md_ctx *m, uint32_t node)
{
	int64_t an = ab_mp_map_get(&m->doc, node, ".args");
	if (an < 0 || m->doc.nodes[an].type != AB_MP_ARRAY)
		return 0;
	return m->doc.nodes[an].count;
}

static int check_version_and_target(md_ctx *m)
{
	int err = 0;
	int64_t vn = get(m, 0, "amdhsa.version", true, &err);
	if (err)
		return err;
	const ab_mp_node *v = &m->doc.nodes[vn];
	if (v->type != AB_MP_ARRAY || v->count != 2)
		return md_error(m, (uint32_t)vn, "amdhsa.version is not [major, minor]");
	const ab_mp_node *major = &m->doc.nodes[ab_mp_child(&m->doc, (uint32_t)vn, 0)];
	const ab_mp_node *minor = &m->doc.nodes[ab_mp_child(&m->doc, (uint32_t)vn, 1)];
	if (major->type != AB_MP_UINT || minor->type != AB_MP_UINT || major->v.u != 1)
		return md_error(m, (uint32_t)vn, "amdhsa.version is not 1.x");
	const char *target = NULL;
	get_str(m, 0, "amdhsa.target", true, &target, &err);
	if (err)
		return err;
	if (strcmp(target, m->co->target) != 0)
		return md_error(m, (uint32_t)ab_mp_map_get(&m->doc, 0, "amdhsa.target"),
				"amdhsa.target \"%s\" does not match the ELF header's \"%s\" "
				"(e_flags 0x%x)", target, m->co->target, m->co->e_flags);
	return 0;
}

int ab_codeobj_parse_metadata(amdbare_codeobj *co, const ab_elf_view *v)
{
	md_ctx m = { .co = co, .v = v };
	int r = ab_mp_parse(v->note_desc, v->note_size, &m.doc);
	if (r) {
		/* Copy first: the message buffer is the one being rewritten. */
		char why[256];
		snprintf(why, sizeof(why), "%s", amdbare_last_error());
		return ab_set_error(-r, "%s: NT_AMDGPU_METADATA note at file offset %zu: %s",
				    co->source, v->note_offset, why);
	}
	co->strings_cap = v->note_size + 1;
	co->strings = malloc(co->strings_cap);
	if (!co->strings) {
		r = ab_set_error(ENOMEM, "%s: out of memory for metadata", co->source);
		goto out;
	}
	if (m.doc.nodes[0].type != AB_MP_MAP) {
		r = md_error(&m, 0, "the top level is not a map");
		goto out;
	}
	if ((r = check_version_and_target(&m)))
		goto out;
	int err = 0;
	int64_t kn = get(&m, 0, "amdhsa.kernels", true, &err);
	if ((r = err))
		goto out;
	const ab_mp_node *karr = &m.doc.nodes[kn];
	if (karr->type != AB_MP_ARRAY || karr->count == 0 || karr->count > AB_CODEOBJ_MAX_KERNELS) {
		r = md_error(&m, (uint32_t)kn, "amdhsa.kernels is not an array of 1..%d kernels",
			     AB_CODEOBJ_MAX_KERNELS);
		goto out;
	}
	uint64_t total_args = 0;
	for (uint32_t i = 0; i < karr->count; i++) {
		uint32_t n = count_args(&m, ab_mp_child(&m.doc, (uint32_t)kn, i));
		if (n > AB_CODEOBJ_MAX_ARGS) {
			r = md_error(&m, ab_mp_child(&m.doc, (uint32_t)kn, i),
				     "kernel %u declares %u arguments (limit %d)", i, n,
				     AB_CODEOBJ_MAX_ARGS);
			goto out;
		}
		total_args += n;
	}
	if (total_args > AB_CODEOBJ_MAX_TOTAL_ARGS) {
		r = md_error(&m, (uint32_t)kn, "%llu arguments in all (limit %d)",
			     (unsigned long long)total_args, AB_CODEOBJ_MAX_TOTAL_ARGS);
		goto out;
	}
	co->kernels = calloc(karr->count, sizeof(*co->kernels));
	co->args = calloc(total_args ? total_args : 1, sizeof(*co->args));
	if (!co->kernels || !co->args) {
		r = ab_set_error(ENOMEM, "%s: out of memory for %u kernels", co->source, karr->count);
		goto out;
	}
	co->n_args = (uint32_t)total_args;
	uint32_t arg_at = 0;
	for (uint32_t i = 0; i < karr->count; i++) {
		uint32_t node = ab_mp_child(&m.doc, (uint32_t)kn, i);
		m.kernel = NULL;
		r = parse_kernel(&m, node, &co->kernels[i], co->args + arg_at);
		if (r)
			goto out;
		arg_at += co->kernels[i].arg_count;
		co->n_kernels = i + 1;
		for (uint32_t j = 0; j < i; j++)
			if (strcmp(co->kernels[j].name, co->kernels[i].name) == 0 ||
			    strcmp(co->kernels[j].symbol, co->kernels[i].symbol) == 0) {
				r = md_error(&m, node, "a second kernel with this name or symbol");
				goto out;
			}
	}
out:
	ab_mp_free(&m.doc);
	return r;
}
