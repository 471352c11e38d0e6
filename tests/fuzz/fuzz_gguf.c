/*
 * libFuzzer target: the GGUF parser on arbitrary file images, first with a
 * short head (it must ask for more, within the file and the header limit,
 * or decide), then whole; the same invariants as the safetensors target.
 * The whole-image parse also runs with the file claimed 1 GiB larger, so
 * the "need more" path is taken with counts the image cannot back.
 */
#include "fuzz_model_check.h"

#include <errno.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct model_index idx = { 0 };
	size_t need = 0;
	size_t head = size < 48 ? size : 48;
	int r = model_parse_gguf(&idx, "fuzz.gguf", data, head, size, &need);
	if (r == -EAGAIN && (need <= head || need > size))
		abort();
	if (r == 0)
		fuzz_check_index(&idx, size);
	model_index_free(&idx);

	r = model_parse_gguf(&idx, "fuzz.gguf", data, size, size, &need);
	if (r == 0)
		fuzz_check_index(&idx, size);
	else if (r == -EAGAIN || idx.n_files || idx.tensors || amdbare_last_error()[0] == '\0')
		abort();
	model_index_free(&idx);

	uint64_t bigger = (uint64_t)size + (1ull << 30);
	r = model_parse_gguf(&idx, "fuzz.gguf", data, size, bigger, &need);
	if (r == -EAGAIN && (need <= size || need > MODEL_GGUF_MAX_HEADER || need > bigger))
		abort();
	if (r == 0)
		fuzz_check_index(&idx, bigger);
	model_index_free(&idx);
	return 0;
}
