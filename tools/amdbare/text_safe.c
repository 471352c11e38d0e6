/*
 * Escaping of untrusted strings for text output (see text_safe.h).
 */
#include "text_safe.h"

#include <stdint.h>
#include <string.h>

/* Length of the valid, printable UTF-8 sequence at s (2..4), or 0 when the
 * byte at s starts no such sequence (invalid, overlong, surrogate, beyond
 * U+10FFFF, or a C1 control). */
static size_t utf8_printable_len(const unsigned char *s)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t cp;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1fu;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0fu;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07u;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return n;
}

/* Calls emit(piece, len) for the escaped form of s. */
static void escape(const char *s, void (*emit)(const char *, size_t, void *), void *user)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		if (*p == '\\') {
			emit("\\\\", 2, user);
			p++;
		} else if (*p >= 0x20 && *p < 0x7f) {
			emit((const char *)p, 1, user);
			p++;
		} else {
			size_t n = *p >= 0x80 ? utf8_printable_len(p) : 0;
			if (n) {
				emit((const char *)p, n, user);
				p += n;
			} else {
				char hex[5];
				static const char digits[] = "0123456789abcdef";
				hex[0] = '\\';
				hex[1] = 'x';
				hex[2] = digits[*p >> 4];
				hex[3] = digits[*p & 15];
				emit(hex, 4, user);
				p++;
			}
		}
	}
}

struct sink {
	char *buf;
	size_t len, used;
	int truncated;
};

static void to_buf(const char *piece, size_t n, void *user)
{
	struct sink *k = user;
	if (k->truncated)
		return;
	/* A piece is never split: "\x1b" stays whole or goes. */
	if (k->used + n + 1 > k->len) {
		k->truncated = 1;
		return;
	}
	memcpy(k->buf + k->used, piece, n);
	k->used += n;
}

const char *text_safe(const char *s, char *buf, size_t len)
{
	if (!buf || len == 0)
		return buf;
	if (!s)
		s = "(null)";
	struct sink k = {.buf = buf, .len = len};
	escape(s, to_buf, &k);
	if (k.truncated) {
		/* Room for "..." at the end, on a piece boundary or not: the
		 * pieces before were complete, so cut back to fit. */
		size_t keep = len > 4 ? len - 4 : 0;
		if (k.used > keep)
			k.used = keep;
		/* never leave half a \xNN or a partial UTF-8 sequence */
		while (k.used > 0 && ((unsigned char)buf[k.used] & 0xc0) == 0x80)
			k.used--;
		for (size_t i = k.used >= 3 ? k.used - 3 : 0; i < k.used; i++)
			if (buf[i] == '\\') {
				k.used = i;
				break;
			}
		const char *dots = "...";
		size_t d = strlen(dots) < len - 1 - k.used ? strlen(dots) : len - 1 - k.used;
		memcpy(buf + k.used, dots, d);
		k.used += d;
	}
	buf[k.used] = '\0';
	return buf;
}

static void to_file(const char *piece, size_t n, void *user)
{
	fwrite(piece, 1, n, (FILE *)user);
}

void text_safe_fputs(const char *s, FILE *out)
{
	escape(s ? s : "(null)", to_file, out);
}

static void check_only(const char *piece, size_t n, void *user)
{
	(void)n;
	int *changed = user;
	/* escape() emits the input itself for safe bytes and a new piece
	 * starting with a backslash for everything it rewrites */
	if (piece[0] == '\\')
		*changed = 1;
}

int text_is_safe(const char *s)
{
	int changed = 0;
	if (s)
		escape(s, check_only, &changed);
	return !changed;
}
