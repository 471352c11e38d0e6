/*
 * libFuzzer target: the strict msgpack reader alone.  A parse either
 * fails with a message or yields a node tree whose links (subtree ends,
 * counts, string spans) stay inside the node array and the input.
 */
#include "msgpack.h"
#include "amdbare.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ab_mp_doc doc;
	if (ab_mp_parse(data, size, &doc) != 0) {
		if (doc.nodes || amdbare_last_error()[0] == '\0')
			abort();
		return 0;
	}
	for (uint32_t i = 0; i < doc.n_nodes; i++) {
		const ab_mp_node *n = &doc.nodes[i];
		if (n->end <= i || n->end > doc.n_nodes || n->offset >= size)
			abort();
		if (n->type == AB_MP_STR &&
		    ((const uint8_t *)n->v.str < data ||
		     (const uint8_t *)n->v.str + n->str_len > data + size))
			abort();
		if (n->type == AB_MP_ARRAY || n->type == AB_MP_MAP) {
			uint32_t want = n->type == AB_MP_MAP ? 2 * n->count : n->count;
			uint32_t c = i + 1;
			for (uint32_t k = 0; k < want; k++) {
				if (c >= n->end)
					abort();
				c = doc.nodes[c].end;
			}
			if (c != n->end)
				abort();
			if (n->type == AB_MP_MAP)
				(void)ab_mp_map_get(&doc, i, ".name");
		}
	}
	ab_mp_free(&doc);
	return 0;
}
