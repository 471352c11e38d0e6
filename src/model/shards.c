/*
 * Sharded safetensors: model.safetensors.index.json
 *   {"metadata": {...}, "weight_map": {"tensor name": "shard file", ...}}
 * The shard names are file names in the index's directory: anything that
 * could name another directory ('/', "..") is refused.  After the shards
 * are parsed, the union of their tensors must equal the weight_map
 * exactly: a tensor missing from its shard, a tensor in another shard than
 * the map says, or a tensor the map does not list is an error naming it.
 */
#include "internal.h"
#include "json.h"
#include "util/error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int check_shard_name(const char *path, const struct json_doc *doc, uint32_t v, const char *tensor)
{
	const struct json_node *n = &doc->nodes[v];
	if (n->type != JSON_STRING)
		return ab_set_error(EINVAL, "%s: weight_map entry \"%s\" is %s, expected a file name", path,
				    tensor, json_type_name(n->type));
	if (n->str_len == 0 || n->str_len > MODEL_MAX_SHARD_NAME || memchr(n->str, '\0', n->str_len) ||
	    strchr(n->str, '/') || strstr(n->str, ".."))
		return ab_set_error(EINVAL,
				    "%s: tensor \"%s\": shard name \"%.300s\" must be a plain file name in the index's directory "
				    "(no '/', no \"..\", no NUL, 1..%u bytes)",
				    path, tensor, n->str, MODEL_MAX_SHARD_NAME);
	return 0;
}

/* Parses and checks the index; *map is the weight_map object's node. */
static int load_index(const char *path, const uint8_t *buf, size_t len, struct json_doc *doc,
		      uint32_t *map)
{
	int r = json_parse(path, buf, len, doc);
	if (r)
		return r;
	const struct json_node *n = doc->nodes;
	if (n[0].type != JSON_OBJECT) {
		r = ab_set_error(EINVAL, "%s: the index is %s, expected an object", path, json_type_name(n[0].type));
		goto fail;
	}
	uint32_t k = 1;
	for (uint32_t i = 0; i < n[0].count; i++, k = n[k + 1].end)
		if (!json_str_eq(doc, k, "weight_map") && !json_str_eq(doc, k, "metadata")) {
			r = ab_set_error(EINVAL, "%s: unknown key \"%.200s\" (expected \"metadata\" and \"weight_map\")",
					 path, n[k].str);
			goto fail;
		}
	uint32_t meta = json_object_get(doc, 0, "metadata");
	if (meta != JSON_NONE && n[meta].type != JSON_OBJECT) {
		r = ab_set_error(EINVAL, "%s: \"metadata\" is %s, expected an object", path, json_type_name(n[meta].type));
		goto fail;
	}
	*map = json_object_get(doc, 0, "weight_map");
	if (*map == JSON_NONE || n[*map].type != JSON_OBJECT) {
		r = ab_set_error(EINVAL, "%s: no \"weight_map\" object", path);
		goto fail;
	}
	if (n[*map].count > MODEL_MAX_TENSORS) {
		r = ab_set_error(EFBIG, "%s: weight_map lists %u tensors (limit %u)", path, n[*map].count,
				 MODEL_MAX_TENSORS);
		goto fail;
	}
	k = *map + 1;
	for (uint32_t i = 0; i < n[*map].count; i++, k = n[k + 1].end) {
		if ((r = model_check_name(path, n[k].str, n[k].str_len)) ||
		    (r = check_shard_name(path, doc, k + 1, n[k].str)))
			goto fail;
	}
	return 0;
fail:
	json_free(doc);
	return r;
}

static int by_string(const void *a, const void *b, void *ctx)
{
	const struct json_doc *doc = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int c = strcmp(doc->nodes[x].str, doc->nodes[y].str);
	if (c)
		return c;
	return x < y ? -1 : x > y;
}

static int by_index(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

int model_parse_safetensors_index(const char *path, const uint8_t *buf, size_t len, char ***shards,
				  uint32_t *n_shards)
{
	if (!path || (!buf && len) || !shards || !n_shards)
		return ab_set_error(EINVAL, "model_parse_safetensors_index: NULL argument");
	struct json_doc doc;
	uint32_t map;
	int r = load_index(path, buf, len, &doc, &map);
	if (r)
		return r;
	const struct json_node *n = doc.nodes;
	uint32_t count = n[map].count;
	/* Distinct shard names in first-seen order: sort the value nodes by
	 * name (then position), keep the first of each run, restore order. */
	uint32_t *v = malloc((count ? count : 1) * sizeof(*v));
	char **out = NULL;
	uint32_t distinct = 0;
	if (!v) {
		r = ab_set_error(ENOMEM, "%s: out of memory", path);
		goto done;
	}
	uint32_t k = map + 1;
	for (uint32_t i = 0; i < count; i++, k = n[k + 1].end)
		v[i] = k + 1;
	qsort_r(v, count, sizeof(*v), by_string, &doc);
	for (uint32_t i = 0; i < count; i++)
		if (i == 0 || strcmp(n[v[i]].str, n[v[distinct - 1]].str) != 0)
			v[distinct++] = v[i];
	if (distinct > MODEL_MAX_SHARDS) {
		r = ab_set_error(EFBIG, "%s: %u shard files (limit %u)", path, distinct, MODEL_MAX_SHARDS);
		goto done;
	}
	qsort(v, distinct, sizeof(*v), by_index);
	out = calloc(distinct ? distinct : 1, sizeof(*out));
	if (!out) {
		r = ab_set_error(ENOMEM, "%s: out of memory", path);
		goto done;
	}
	for (uint32_t i = 0; i < distinct; i++)
		if (!(out[i] = strdup(n[v[i]].str))) {
			r = ab_set_error(ENOMEM, "%s: out of memory", path);
			goto done;
		}
	*shards = out;
	*n_shards = distinct;
	out = NULL;
done:
	if (out) {
		for (uint32_t i = 0; i < distinct; i++)
			free(out[i]);
		free(out);
	}
	free(v);
	json_free(&doc);
	return r;
}

static int tensor_by_name(const void *a, const void *b)
{
	const struct model_tensor *x = *(const struct model_tensor *const *)a;
	const struct model_tensor *y = *(const struct model_tensor *const *)b;
	return strcmp(x->name, y->name);
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

int model_index_check_weight_map(const char *path, const uint8_t *buf, size_t len, const struct model_index *idx)
{
	if (!path || (!buf && len) || !idx)
		return ab_set_error(EINVAL, "model_index_check_weight_map: NULL argument");
	struct json_doc doc;
	uint32_t map;
	int r = load_index(path, buf, len, &doc, &map);
	if (r)
		return r;
	const struct json_node *n = doc.nodes;
	uint32_t nt = idx->n_tensors;
	const struct model_tensor **sorted = malloc((nt ? nt : 1) * sizeof(*sorted));
	bool *seen = calloc(nt ? nt : 1, sizeof(*seen));
	if (!sorted || !seen) {
		r = ab_set_error(ENOMEM, "%s: out of memory", path);
		goto done;
	}
	for (uint32_t i = 0; i < nt; i++)
		sorted[i] = &idx->tensors[i];
	qsort(sorted, nt, sizeof(*sorted), tensor_by_name);
	for (uint32_t i = 1; i < nt; i++)
		if (strcmp(sorted[i - 1]->name, sorted[i]->name) == 0) {
			r = ab_set_error(EINVAL, "%s: tensor \"%s\" is in two shards: %s and %s", path,
					 sorted[i]->name, idx->files[sorted[i - 1]->file_index].path,
					 idx->files[sorted[i]->file_index].path);
			goto done;
		}
	uint32_t k = map + 1;
	for (uint32_t i = 0; i < n[map].count; i++, k = n[k + 1].end) {
		struct model_tensor key = { .name = (char *)n[k].str };
		const struct model_tensor *kp = &key;
		const struct model_tensor **hit = bsearch(&kp, sorted, nt, sizeof(*sorted), tensor_by_name);
		if (!hit) {
			r = ab_set_error(EINVAL, "%s: tensor \"%s\" is listed in shard %s but that shard does not hold it",
					 path, n[k].str, n[k + 1].str);
			goto done;
		}
		const char *file = idx->files[(*hit)->file_index].path;
		if (strcmp(base_name(file), n[k + 1].str) != 0) {
			r = ab_set_error(EINVAL, "%s: tensor \"%s\" is in %s, but the weight_map says %s", path,
					 n[k].str, file, n[k + 1].str);
			goto done;
		}
		seen[*hit - idx->tensors] = true;
	}
	for (uint32_t i = 0; i < nt; i++)
		if (!seen[i]) {
			r = ab_set_error(EINVAL, "%s: tensor \"%s\" in %s is not listed in the weight_map", path,
					 idx->tensors[i].name, idx->files[idx->tensors[i].file_index].path);
			goto done;
		}
done:
	free(sorted);
	free(seen);
	json_free(&doc);
	return r;
}
