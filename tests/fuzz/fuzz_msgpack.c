/*
 * libFuzzer target: the strict msgpack reader, then the metadata walker
 * on the same bytes.  A parse either fails with a message or yields a
 * node tree whose links (subtree ends, counts, string spans) stay inside
 * the node array and the input.  The seeds are real NT_AMDGPU_METADATA
 * notes, so mutations reach the amdhsa.* checks the ELF fuzzer rarely
 * gets to (it must first get past the ELF structure).
 */
#include "codeobj/internal.h"
#include "codeobj/msgpack.h"
#include "amdbare.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The metadata as if it came from a gfx1103 v5 object, and each parsed
 * kernel through the metadata-vs-descriptor checks with a descriptor
 * that agrees on sizes. */
static void fuzz_metadata(const uint8_t *data, size_t size)
{
	static amdbare_codeobj co;
	memset(&co, 0, sizeof(co));
	strcpy(co.source, "<fuzz>");
	strcpy(co.processor, "gfx1103");
	strcpy(co.target, "amdgcn-amd-amdhsa--gfx1103");
	co.version = 5;
	ab_elf_view v = { .note_desc = data, .note_size = size };
	if (ab_codeobj_parse_metadata(&co, &v) == 0) {
		for (uint32_t i = 0; i < co.n_kernels; i++) {
			amdbare_kernel_info *k = &co.kernels[i];
			k->kernarg_size = k->kernarg_segment_size;
			k->wave32 = k->wavefront_size == 32;
			k->user_sgpr_enables = 0x8;
			k->user_sgpr_count = 2;
			(void)ab_codeobj_check_kernel(&co, k);
			if (!k->name || !k->symbol)
				abort();
		}
	} else if (amdbare_last_error()[0] == '\0') {
		abort();
	}
	free(co.kernels);
	free(co.args);
	free(co.strings);
}

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
	fuzz_metadata(data, size);
	return 0;
}
