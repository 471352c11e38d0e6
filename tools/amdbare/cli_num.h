/*
 * Numbers and sizes on the command line (cli_num.c): one parser for every
 * command, so that every option refuses the same things the same way with
 * one line naming the option: a sign where none belongs, a value below the
 * option's minimum ("below the minimum"), above its maximum or 64 bits
 * ("too large"), and an unknown unit (listing the units accepted).
 */
#ifndef AMDBARE_CLI_NUM_H
#define AMDBARE_CLI_NUM_H

#include <stddef.h>
#include <stdint.h>

/* The units a size accepts, for messages. */
#define CLI_SIZE_UNITS "B, K (KB, KiB), M (MB, MiB), G (GB, GiB), T (TB, TiB); binary, any case"

/* A decimal integer in [min, max]; prints one line and returns -EINVAL
 * (malformed, negative, below min) or -ERANGE (above max). */
int cli_parse_u64(const char *opt, const char *text, uint64_t min, uint64_t max, uint64_t *out);
/* The same for a uint32_t. */
int cli_parse_u32(const char *opt, const char *text, uint32_t min, uint32_t max, uint32_t *out);
/* A size (amdbare_parse_size: 4096, 64K, 1.5G) in [min, max]. */
int cli_parse_size(const char *opt, const char *text, uint64_t min, uint64_t max, uint64_t *out);

/* "4.00 KiB" when that is exactly `bytes`, else "4097 B (4.00 KiB)": a
 * size the user gave is never shown rounded. */
const char *cli_format_size_exact(uint64_t bytes, char *buf, size_t len);

#endif
