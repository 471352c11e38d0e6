/*
 * libFuzzer target: the whole code-object loader on arbitrary bytes.
 * Every input must either load (and then every accessor must return
 * in-bounds data) or fail with a negative errno and a message.  Built by
 * tests/fuzz/run-fuzz.sh with -fsanitize=fuzzer,address,undefined.
 */
#include "amdbare.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	amdbare_codeobj *co = NULL;
	int r = amdbare_codeobj_load_memory(data, size, &co);
	if (r < 0) {
		if (co || amdbare_last_error()[0] == '\0')
			abort(); /* a failure must leave no handle and say why */
		return 0;
	}
	/* Touch everything a caller could read. */
	size_t sum = strlen(amdbare_codeobj_target(co)) + strlen(amdbare_codeobj_processor(co));
	for (uint32_t i = 0; i < amdbare_codeobj_kernel_count(co); i++) {
		const amdbare_kernel_info *k = amdbare_codeobj_kernel_at(co, i);
		const amdbare_kernel_info *f = NULL;
		sum += strlen(k->name) + strlen(k->symbol);
		if (amdbare_codeobj_find_kernel(co, k->name, &f) != 0 || !f)
			abort();
		for (uint32_t a = 0; a < k->arg_count; a++) {
			const amdbare_kernel_arg *arg = &k->args[a];
			sum += strlen(arg->value_kind_name);
			if (arg->name)
				sum += strlen(arg->name);
			if (arg->type_name)
				sum += strlen(arg->type_name);
			if ((uint64_t)arg->offset + arg->size > k->kernarg_segment_size)
				abort();
		}
		if (k->entry_vaddr % 256 || k->descriptor_vaddr % 64)
			abort();
	}
	amdbare_device_info info;
	memset(&info, 0, sizeof(info));
	strcpy(info.gfx_target, "gfx1103");
	(void)amdbare_codeobj_check_device(co, &info);
	amdbare_codeobj_free(co);
	return sum == (size_t)-1;
}
