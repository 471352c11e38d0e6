/*
 * libFuzzer target: the strict JSON reader (tree invariants) and the
 * shard-index parser on the same bytes.  Every shard name handed back must
 * be a plain file name (no '/', no "..", no NUL), distinct, and the
 * weight_map check must run against an empty index without crashing.
 */
#include "model/json.h"
#include "model/format.h"
#include "amdbare.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_tree(const struct json_doc *d)
{
	for (uint32_t i = 0; i < d->n_nodes; i++) {
		const struct json_node *n = &d->nodes[i];
		if (n->end <= i || n->end > d->n_nodes)
			abort();
		if (n->type == JSON_STRING && strlen(n->str) > n->str_len)
			abort();
		if (n->type == JSON_ARRAY || n->type == JSON_OBJECT) {
			uint32_t want = n->type == JSON_OBJECT ? 2 * n->count : n->count, c = i + 1;
			for (uint32_t k = 0; k < want; k++) {
				if (c >= n->end)
					abort();
				if (n->type == JSON_OBJECT && k % 2 == 0 && d->nodes[c].type != JSON_STRING)
					abort();
				c = d->nodes[c].end;
			}
			if (c != n->end)
				abort();
		} else if (n->end != i + 1) {
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_doc doc;
	if (json_parse("fuzz.json", data, size, &doc) == 0) {
		check_tree(&doc);
		json_free(&doc);
	} else if (doc.nodes || amdbare_last_error()[0] == '\0') {
		abort();
	}

	char **shards = NULL;
	uint32_t n = 0;
	if (model_parse_safetensors_index("fuzz.index.json", data, size, &shards, &n) == 0) {
		for (uint32_t i = 0; i < n; i++) {
			if (!shards[i][0] || strchr(shards[i], '/') || strstr(shards[i], ".."))
				abort();
			for (uint32_t j = 0; j < i; j++)
				if (strcmp(shards[i], shards[j]) == 0)
					abort();
		}
		for (uint32_t i = 0; i < n; i++)
			free(shards[i]);
		free(shards);
		struct model_index empty = { 0 };
		(void)model_index_check_weight_map("fuzz.index.json", data, size, &empty);
	} else if (shards || amdbare_last_error()[0] == '\0') {
		abort();
	}
	return 0;
}
