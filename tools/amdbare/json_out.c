/*
 * A streaming JSON writer: just enough for `--json` output, with correct
 * string escaping (device names come from files we do not control, so a
 * quote, a control character or broken UTF-8 must not break the document).
 */
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

void json_init(struct json_out *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

static void indent(struct json_out *j)
{
	fputc('\n', j->f);
	for (int i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* Separator, indentation and "key": before any value. */
static void member_prefix(struct json_out *j, const char *key)
{
	if (j->depth > 0) {
		bool first = !j->has_members[j->depth - 1];
		if (!first)
			fputc(',', j->f);
		j->has_members[j->depth - 1] = true;
		/* The document's first member shares the line of the opening
		 * brace: on the vgpu that member is the "virtual device" notice,
		 * and every output made there must say so in its first line. */
		if (first && j->depth == 1)
			fputc(' ', j->f);
		else
			indent(j);
	}
	if (key) {
		json_write_escaped(j->f, key);
		fputs(": ", j->f);
	}
}

static void open_level(struct json_out *j, const char *key, char bracket)
{
	member_prefix(j, key);
	fputc(bracket, j->f);
	if (j->depth >= JSON_MAX_DEPTH) {
		j->overflow = true;
		return;
	}
	j->has_members[j->depth] = false;
	j->depth++;
}

static void close_level(struct json_out *j, char bracket)
{
	if (j->depth == 0) {
		j->overflow = true;
		return;
	}
	bool had = j->has_members[j->depth - 1];
	j->depth--;
	if (had)
		indent(j);
	fputc(bracket, j->f);
}

void json_object_begin(struct json_out *j, const char *key) { open_level(j, key, '{'); }
void json_object_end(struct json_out *j) { close_level(j, '}'); }
void json_array_begin(struct json_out *j, const char *key) { open_level(j, key, '['); }
void json_array_end(struct json_out *j) { close_level(j, ']'); }

void json_string(struct json_out *j, const char *key, const char *value)
{
	member_prefix(j, key);
	if (value)
		json_write_escaped(j->f, value);
	else
		fputs("null", j->f);
}

void json_u64(struct json_out *j, const char *key, uint64_t value)
{
	member_prefix(j, key);
	fprintf(j->f, "%" PRIu64, value);
}

void json_i64(struct json_out *j, const char *key, int64_t value)
{
	member_prefix(j, key);
	fprintf(j->f, "%" PRId64, value);
}

void json_bool(struct json_out *j, const char *key, bool value)
{
	member_prefix(j, key);
	fputs(value ? "true" : "false", j->f);
}

void json_null(struct json_out *j, const char *key)
{
	member_prefix(j, key);
	fputs("null", j->f);
}

bool json_document_written;

int json_finish(struct json_out *j)
{
	json_document_written = true;
	fputc('\n', j->f);
	if (fflush(j->f) != 0 || ferror(j->f) || j->depth != 0 || j->overflow)
		return -EIO;
	return 0;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is not one.
 * Rejects overlong forms, surrogates and code points above U+10FFFF, as
 * RFC 3629 requires. */
static int utf8_sequence_length(const unsigned char *s)
{
	unsigned char c = s[0];
	int n;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) /* also stops at the terminating NUL */
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

void json_write_escaped(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	fputc('"', f);
	while (*p) {
		unsigned char c = *p;
		switch (c) {
		case '"': fputs("\\\"", f); p++; continue;
		case '\\': fputs("\\\\", f); p++; continue;
		case '\b': fputs("\\b", f); p++; continue;
		case '\f': fputs("\\f", f); p++; continue;
		case '\n': fputs("\\n", f); p++; continue;
		case '\r': fputs("\\r", f); p++; continue;
		case '\t': fputs("\\t", f); p++; continue;
		default: break;
		}
		if (c < 0x20) {
			fprintf(f, "\\u%04x", c);
			p++;
			continue;
		}
		int n = utf8_sequence_length(p);
		if (n == 0) {
			fputs("\\ufffd", f);
			p++;
			continue;
		}
		fwrite(p, 1, (size_t)n, f);
		p += n;
	}
	fputc('"', f);
}
