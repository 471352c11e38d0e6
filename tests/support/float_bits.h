/*
 * The bits of an f32, for expected values written as floats in tests
 * that compare raw dwords.  Header-only (static inline).
 */
#ifndef FLOAT_BITS_H
#define FLOAT_BITS_H

#include <stdint.h>
#include <string.h>

static inline uint32_t f32_bits(float f)
{
	uint32_t u;
	memcpy(&u, &f, 4);
	return u;
}

#endif
