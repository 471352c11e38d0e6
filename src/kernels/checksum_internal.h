/*
 * The amdbare checksum's pieces (definition in amdbare_util.h), shared by
 * the CPU reference (src/kernels/checksum_cpu.c) and the GPU driver (src/kernels/checksum_gpu.c),
 * which finishes the kernel's partial sums with the same code.
 */
#ifndef AB_CHECKSUM_INTERNAL_H
#define AB_CHECKSUM_INTERNAL_H

#include "amdbare.h"

#include <stdint.h>

/* t[i] of one word given its position key. */
uint64_t ab_checksum_term(uint32_t w, uint32_t key);
/* The position key of word index `index`. */
uint32_t ab_checksum_key(uint64_t index);
/* fmix64(sum + (length + 1) * LEN_MUL): the checksum from S and L. */
uint64_t ab_checksum_finish(uint64_t sum, uint64_t length);

#endif
