/*
 * Host-side conversions between f32/f64 and the 16-bit float types the
 * GPU kernels read and write (f16: IEEE binary16; bf16: the top half of
 * an f32), for building inputs and expected results in tests and
 * benchmarks.  Header-only (static inline): each user is one program.
 *
 * f16 goes through the compiler's _Float16, whose conversions round to
 * nearest even as V_CVT_F16_F32 does in its default mode.  bf16 is
 * rounded to nearest even by hand; a NaN stays a NaN (forced quiet)
 * instead of being rounded into an infinity.
 */
#ifndef HALF_FLOAT_H
#define HALF_FLOAT_H

#include <stdint.h>
#include <string.h>

static inline uint16_t f32_to_f16(float f)
{
	_Float16 h = (_Float16)f;
	uint16_t u;
	memcpy(&u, &h, 2);
	return u;
}

/* One rounding from double: not the same as f32_to_f16((float)d), which
 * rounds twice. */
static inline uint16_t f64_to_f16(double d)
{
	_Float16 h = (_Float16)d;
	uint16_t u;
	memcpy(&u, &h, 2);
	return u;
}

static inline float f16_to_f32(uint16_t u)
{
	_Float16 h;
	memcpy(&h, &u, 2);
	return (float)h;
}

static inline uint16_t f32_to_bf16(float f)
{
	uint32_t u;
	memcpy(&u, &f, 4);
	if ((u & 0x7fffffffu) > 0x7f800000u)
		return (uint16_t)((u >> 16) | 0x40); /* quiet NaN */
	u += 0x7fffu + ((u >> 16) & 1);
	return (uint16_t)(u >> 16);
}

static inline float bf16_to_f32(uint16_t h)
{
	uint32_t u = (uint32_t)h << 16;
	float f;
	memcpy(&f, &u, 4);
	return f;
}

#endif
