/*
 * A small safetensors writer for `amdbare demo` (and the CLI tests): the
 * format is an 8-byte little-endian header length, a JSON object naming
 * each tensor's dtype, shape and [begin, end) data offsets, then the data.
 * Data is produced by each tensor's fill callback in 1 MiB pieces, so a
 * file of any size is written in bounded memory.
 */
#include "safetensors_writer.h"

#include <stdio.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PIECE (1u << 20)

uint32_t st_dtype_size(const char *dtype)
{
	if (strcmp(dtype, "F32") == 0 || strcmp(dtype, "I32") == 0)
		return 4;
	if (strcmp(dtype, "F16") == 0 || strcmp(dtype, "BF16") == 0)
		return 2;
	if (strcmp(dtype, "U8") == 0 || strcmp(dtype, "I8") == 0)
		return 1;
	return 0;
}

static uint64_t elements(const struct st_tensor *t)
{
	uint64_t n = 1;
	for (uint32_t d = 0; d < t->n_dims; d++)
		n *= t->shape[d];
	return n;
}

static int fail(FILE *f, const char *path, const char *what)
{
	int e = errno ? errno : EIO;
	fprintf(stderr, "amdbare: writing %s: %s: %s\n", path, what, strerror(e));
	if (f)
		fclose(f);
	return -e;
}

int st_write(const char *path, const struct st_tensor *t, size_t n)
{
	/* Header first: its length decides where the data starts. */
	size_t cap = 256 + n * 384, len = 0;
	char *hdr = malloc(cap);
	if (!hdr)
		return fail(NULL, path, "out of memory");
	uint64_t off = 0;
	len += (size_t)snprintf(hdr, cap, "{\"__metadata__\":{\"format\":\"pt\",\"writer\":\"amdbare demo\"}");
	for (size_t i = 0; i < n; i++) {
		uint64_t bytes = elements(&t[i]) * st_dtype_size(t[i].dtype);
		len += (size_t)snprintf(hdr + len, cap - len, ",\"%s\":{\"dtype\":\"%s\",\"shape\":[",
					t[i].name, t[i].dtype);
		for (uint32_t d = 0; d < t[i].n_dims; d++)
			len += (size_t)snprintf(hdr + len, cap - len, "%s%llu", d ? "," : "",
						(unsigned long long)t[i].shape[d]);
		len += (size_t)snprintf(hdr + len, cap - len, "],\"data_offsets\":[%llu,%llu]}",
					(unsigned long long)off, (unsigned long long)(off + bytes));
		off += bytes;
	}
	len += (size_t)snprintf(hdr + len, cap - len, "}");
	/* Pad with spaces to 8 bytes, as the reference writer does, so the
	 * data region starts aligned. */
	while ((8 + len) % 8)
		hdr[len++] = ' ';
	errno = 0;
	FILE *f = fopen(path, "wb");
	if (!f) {
		free(hdr);
		return fail(NULL, path, "open");
	}
	uint8_t le[8];
	for (int i = 0; i < 8; i++)
		le[i] = (uint8_t)((uint64_t)len >> (8 * i));
	if (fwrite(le, 1, 8, f) != 8 || fwrite(hdr, 1, len, f) != len) {
		free(hdr);
		return fail(f, path, "header");
	}
	free(hdr);
	uint8_t *buf = malloc(PIECE);
	if (!buf)
		return fail(f, path, "out of memory");
	for (size_t i = 0; i < n; i++) {
		uint32_t es = st_dtype_size(t[i].dtype);
		uint64_t total = elements(&t[i]), per = PIECE / es;
		for (uint64_t first = 0; first < total; first += per) {
			uint64_t count = total - first < per ? total - first : per;
			t[i].fill(&t[i], first, count, buf);
			if (fwrite(buf, es, count, f) != count) {
				free(buf);
				return fail(f, path, t[i].name);
			}
		}
	}
	free(buf);
	if (fclose(f) != 0)
		return fail(NULL, path, "close");
	return 0;
}

uint16_t st_f32_to_f16(float f)
{
	uint32_t x;
	memcpy(&x, &f, 4);
	uint32_t sign = (x >> 16) & 0x8000u;
	int32_t exp = (int32_t)((x >> 23) & 0xff) - 127 + 15;
	uint32_t mant = x & 0x7fffffu;
	if (((x >> 23) & 0xff) == 0xff) /* inf / nan */
		return (uint16_t)(sign | 0x7c00u | (mant ? 0x200u : 0));
	if (exp >= 31)
		return (uint16_t)(sign | 0x7c00u);
	if (exp <= 0) {
		if (exp < -10)
			return (uint16_t)sign;
		mant |= 0x800000u;
		uint32_t shift = (uint32_t)(14 - exp);
		uint32_t h = mant >> shift, rem = mant & ((1u << shift) - 1), half = 1u << (shift - 1);
		if (rem > half || (rem == half && (h & 1)))
			h++;
		return (uint16_t)(sign | h);
	}
	uint32_t h = ((uint32_t)exp << 10) | (mant >> 13);
	uint32_t rem = mant & 0x1fffu;
	if (rem > 0x1000u || (rem == 0x1000u && (h & 1)))
		h++; /* may carry into the exponent: still correct, up to inf */
	return (uint16_t)(sign | h);
}

float st_f16_to_f32(uint16_t h)
{
	uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
	uint32_t exp = (h >> 10) & 0x1f, mant = h & 0x3ffu;
	float v;
	if (exp == 0)
		v = ldexpf((float)mant, -24);
	else if (exp == 31)
		v = mant ? NAN : INFINITY;
	else
		v = ldexpf((float)(mant | 0x400u), (int)exp - 25);
	uint32_t x;
	memcpy(&x, &v, 4);
	x |= sign;
	memcpy(&v, &x, 4);
	return v;
}
