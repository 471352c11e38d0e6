/*
 * libFuzzer target: the safetensors parser on arbitrary file images.  The
 * head is first offered short (the parser must ask for more, bounded by
 * the file, or fail), then whole.  A success must yield an index whose
 * ranges lie in the file without overlap (fuzz_model_check.h); a failure
 * must leave the index empty and say why.
 */
#include "fuzz_model_check.h"

#include <errno.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct model_index idx = { 0 };
	size_t need = 0;
	size_t head = size < 64 ? size : 64;
	int r = model_parse_safetensors(&idx, "fuzz.safetensors", data, head, size, &need);
	if (r == -EAGAIN && (need <= head || need > size))
		abort();
	if (r == 0)
		fuzz_check_index(&idx, size); /* the head alone may be enough */
	if (r != 0 && r != -EAGAIN && (idx.n_files || amdbare_last_error()[0] == '\0'))
		abort();
	model_index_free(&idx);

	r = model_parse_safetensors(&idx, "fuzz.safetensors", data, size, size, &need);
	if (r == 0)
		fuzz_check_index(&idx, size);
	else if (r == -EAGAIN || idx.n_files || idx.tensors || amdbare_last_error()[0] == '\0')
		abort();
	model_index_free(&idx);
	return 0;
}
