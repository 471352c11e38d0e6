/*
 * Strict JSON reader: see model/json.h for what it accepts and why.
 */
#include "json.h"
#include "util/error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct json_parser {
	const char *what;
	const uint8_t *p;
	size_t len, pos;
	struct json_doc doc;
	uint32_t cap;
	size_t arena_used;
};

static int fail(struct json_parser *ps, size_t at, const char *msg)
{
	return ab_set_error(EINVAL, "%s: JSON: %s at byte %zu", ps->what, msg, at);
}

static void skip_ws(struct json_parser *ps)
{
	while (ps->pos < ps->len) {
		uint8_t c = ps->p[ps->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		ps->pos++;
	}
}

/* Appends a node; containers get their count and end later. */
static int new_node(struct json_parser *ps, enum json_type t, uint32_t *out)
{
	struct json_doc *d = &ps->doc;
	if (d->n_nodes == ps->cap) {
		if (ps->cap >= JSON_MAX_NODES)
			return ab_set_error(EFBIG, "%s: JSON: more than %u values", ps->what, JSON_MAX_NODES);
		/* A value takes at least one byte of text, so the node count is
		 * bounded by the length too. */
		uint64_t ncap = ps->cap ? (uint64_t)ps->cap * 2 : 64;
		if (ncap > JSON_MAX_NODES)
			ncap = JSON_MAX_NODES;
		if (ncap > ps->len + 1)
			ncap = ps->len + 1;
		if (ncap <= ps->cap) /* cannot happen (see above); never write past the table */
			return ab_set_error(EINVAL, "%s: JSON: more values than bytes", ps->what);
		struct json_node *n = realloc(d->nodes, ncap * sizeof(*n));
		if (!n)
			return ab_set_error(ENOMEM, "%s: JSON: out of memory for %llu values", ps->what,
					    (unsigned long long)ncap);
		d->nodes = n;
		ps->cap = (uint32_t)ncap;
	}
	struct json_node *n = &d->nodes[d->n_nodes];
	memset(n, 0, sizeof(*n));
	n->type = (uint8_t)t;
	n->offset = (uint32_t)ps->pos;
	n->end = d->n_nodes + 1;
	*out = d->n_nodes++;
	return 0;
}

static int hex4(const uint8_t *s, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		uint8_t c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static size_t put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Length of the well-formed UTF-8 sequence at s (Unicode table 3-7), or 0. */
static size_t utf8_seq(const uint8_t *s, size_t avail)
{
	uint8_t c = s[0];
	size_t n;
	uint8_t lo = 0x80, hi = 0xbf;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0; /* overlong */
		if (c == 0xed)
			hi = 0x9f; /* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90; /* overlong */
		if (c == 0xf4)
			hi = 0x8f; /* above U+10FFFF */
	} else
		return 0;
	if (avail < n)
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/* The string starting at the opening quote; decoded into the arena. */
static int parse_string(struct json_parser *ps, uint32_t node)
{
	size_t start = ps->pos;
	ps->pos++; /* opening quote */
	char *out = ps->doc.arena + ps->arena_used;
	size_t o = 0;
	for (;;) {
		if (ps->pos >= ps->len)
			return fail(ps, start, "unterminated string");
		uint8_t c = ps->p[ps->pos];
		if (c == '"') {
			ps->pos++;
			break;
		}
		if (c < 0x20)
			return fail(ps, ps->pos, "unescaped control character in string");
		if (c == '\\') {
			if (ps->len - ps->pos < 2)
				return fail(ps, start, "unterminated string");
			uint8_t e = ps->p[ps->pos + 1];
			const char *simple = strchr("\"\\/bfnrt", e);
			if (e != 0 && simple) {
				static const char map[] = "\"\\/\b\f\n\r\t";
				out[o++] = map[simple - "\"\\/bfnrt"];
				ps->pos += 2;
				continue;
			}
			if (e != 'u')
				return fail(ps, ps->pos, "invalid escape in string");
			uint32_t cp, lo;
			if (ps->len - ps->pos < 6 || hex4(ps->p + ps->pos + 2, &cp) != 0)
				return fail(ps, ps->pos, "invalid \\u escape");
			if (cp >= 0xdc00 && cp <= 0xdfff)
				return fail(ps, ps->pos, "lone low surrogate in \\u escape");
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (ps->len - ps->pos < 12 || ps->p[ps->pos + 6] != '\\' ||
				    ps->p[ps->pos + 7] != 'u' || hex4(ps->p + ps->pos + 8, &lo) != 0 ||
				    lo < 0xdc00 || lo > 0xdfff)
					return fail(ps, ps->pos, "high surrogate not followed by a low surrogate");
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				ps->pos += 12;
			} else {
				ps->pos += 6;
			}
			o += put_utf8(out + o, cp);
			continue;
		}
		if (c < 0x80) {
			out[o++] = (char)c;
			ps->pos++;
			continue;
		}
		size_t n = utf8_seq(ps->p + ps->pos, ps->len - ps->pos);
		if (n == 0)
			return fail(ps, ps->pos, "invalid UTF-8 in string");
		memcpy(out + o, ps->p + ps->pos, n);
		o += n;
		ps->pos += n;
	}
	/* Decoded text never outgrows its escaped form, and the two quotes
	 * pay for the NUL: the arena (len + 1 bytes) cannot overflow. */
	out[o] = '\0';
	ps->arena_used += o + 1;
	ps->doc.nodes[node].str = out;
	ps->doc.nodes[node].str_len = (uint32_t)o;
	return 0;
}

static int parse_number(struct json_parser *ps, uint32_t node)
{
	size_t start = ps->pos;
	const uint8_t *p = ps->p;
	bool neg = false, integral = true, fits = true;
	uint64_t v = 0;
	if (p[ps->pos] == '-') {
		neg = true;
		ps->pos++;
	}
	if (ps->pos >= ps->len || p[ps->pos] < '0' || p[ps->pos] > '9')
		return fail(ps, start, "invalid number");
	if (p[ps->pos] == '0') {
		ps->pos++;
		if (ps->pos < ps->len && p[ps->pos] >= '0' && p[ps->pos] <= '9')
			return fail(ps, start, "number with a leading zero");
	} else {
		while (ps->pos < ps->len && p[ps->pos] >= '0' && p[ps->pos] <= '9') {
			unsigned d = (unsigned)(p[ps->pos] - '0');
			if (v > (UINT64_MAX - d) / 10)
				fits = false;
			else
				v = v * 10 + d;
			ps->pos++;
		}
	}
	if (ps->pos < ps->len && p[ps->pos] == '.') {
		integral = false;
		ps->pos++;
		if (ps->pos >= ps->len || p[ps->pos] < '0' || p[ps->pos] > '9')
			return fail(ps, start, "digits expected after '.'");
		while (ps->pos < ps->len && p[ps->pos] >= '0' && p[ps->pos] <= '9')
			ps->pos++;
	}
	if (ps->pos < ps->len && (p[ps->pos] == 'e' || p[ps->pos] == 'E')) {
		integral = false;
		ps->pos++;
		if (ps->pos < ps->len && (p[ps->pos] == '+' || p[ps->pos] == '-'))
			ps->pos++;
		if (ps->pos >= ps->len || p[ps->pos] < '0' || p[ps->pos] > '9')
			return fail(ps, start, "digits expected in exponent");
		while (ps->pos < ps->len && p[ps->pos] >= '0' && p[ps->pos] <= '9')
			ps->pos++;
	}
	struct json_node *n = &ps->doc.nodes[node];
	n->is_u64 = !neg && integral && fits;
	n->u64 = n->is_u64 ? v : 0;
	return 0;
}

static int parse_literal(struct json_parser *ps, uint32_t node)
{
	static const struct { const char *text; enum json_type t; bool b; } lits[] = {
		{ "true", JSON_BOOL, true }, { "false", JSON_BOOL, false }, { "null", JSON_NULL, false },
	};
	for (size_t i = 0; i < 3; i++) {
		size_t l = strlen(lits[i].text);
		if (ps->len - ps->pos >= l && memcmp(ps->p + ps->pos, lits[i].text, l) == 0) {
			ps->doc.nodes[node].type = (uint8_t)lits[i].t;
			ps->doc.nodes[node].b = lits[i].b;
			ps->pos += l;
			return 0;
		}
	}
	return fail(ps, ps->pos, "unexpected character");
}

static int key_cmp(const void *a, const void *b, void *ctx)
{
	const struct json_node *nodes = ctx;
	const struct json_node *x = &nodes[*(const uint32_t *)a], *y = &nodes[*(const uint32_t *)b];
	if (x->str_len != y->str_len)
		return x->str_len < y->str_len ? -1 : 1;
	int c = memcmp(x->str, y->str, x->str_len);
	if (c)
		return c;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* Called when an object closes: no key may appear twice.  Sorting makes
 * this O(n log n) for headers with a million tensors. */
static int check_duplicate_keys(struct json_parser *ps, uint32_t obj)
{
	const struct json_node *nodes = ps->doc.nodes;
	uint32_t n = nodes[obj].count;
	if (n < 2)
		return 0;
	uint32_t *keys = malloc((size_t)n * sizeof(*keys));
	if (!keys)
		return ab_set_error(ENOMEM, "%s: JSON: out of memory checking %u keys", ps->what, n);
	uint32_t k = obj + 1;
	for (uint32_t i = 0; i < n; i++) {
		keys[i] = k;
		k = nodes[k + 1].end;
	}
	qsort_r(keys, n, sizeof(*keys), key_cmp, (void *)nodes);
	int r = 0;
	for (uint32_t i = 1; i < n && r == 0; i++) {
		const struct json_node *a = &nodes[keys[i - 1]], *b = &nodes[keys[i]];
		if (a->str_len == b->str_len && memcmp(a->str, b->str, a->str_len) == 0)
			r = ab_set_error(EINVAL, "%s: JSON: duplicate key \"%.200s\" at byte %u", ps->what,
					 b->str, b->offset);
	}
	free(keys);
	return r;
}

static int parse_doc(struct json_parser *ps)
{
	uint32_t stack[JSON_MAX_DEPTH];
	uint32_t depth = 0;
	bool want_key = false, allow_close = false;
	struct json_node *nodes;
	uint32_t idx;
	int r;

	for (;;) {
		skip_ws(ps);
		if (ps->pos >= ps->len)
			return fail(ps, ps->pos, depth ? "unexpected end inside a container" : "no value");
		uint8_t c = ps->p[ps->pos];
		uint32_t top = depth ? stack[depth - 1] : JSON_NONE;

		if (want_key) {
			if (c == '}' && allow_close) {
				ps->pos++;
				goto close_container;
			}
			if (c != '"')
				return fail(ps, ps->pos, "expected a string key");
			if ((r = new_node(ps, JSON_STRING, &idx)) || (r = parse_string(ps, idx)))
				return r;
			ps->doc.nodes[top].count++;
			skip_ws(ps);
			if (ps->pos >= ps->len || ps->p[ps->pos] != ':')
				return fail(ps, ps->pos, "expected ':' after a key");
			ps->pos++;
			want_key = false;
			allow_close = false;
			continue;
		}
		if (c == ']' && allow_close && top != JSON_NONE &&
		    ps->doc.nodes[top].type == JSON_ARRAY) {
			ps->pos++;
			goto close_container;
		}

		/* A value. */
		if (c == '{' || c == '[') {
			if (depth == JSON_MAX_DEPTH)
				return fail(ps, ps->pos, "nesting deeper than 64");
			if ((r = new_node(ps, c == '{' ? JSON_OBJECT : JSON_ARRAY, &idx)))
				return r;
			if (top != JSON_NONE && ps->doc.nodes[top].type == JSON_ARRAY)
				ps->doc.nodes[top].count++;
			ps->pos++;
			stack[depth++] = idx;
			want_key = c == '{';
			allow_close = true;
			continue;
		}
		if ((r = new_node(ps, JSON_NULL, &idx)))
			return r;
		if (top != JSON_NONE && ps->doc.nodes[top].type == JSON_ARRAY)
			ps->doc.nodes[top].count++;
		if (c == '"') {
			ps->doc.nodes[idx].type = JSON_STRING;
			r = parse_string(ps, idx);
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			ps->doc.nodes[idx].type = JSON_NUMBER;
			r = parse_number(ps, idx);
		} else {
			r = parse_literal(ps, idx);
		}
		if (r)
			return r;
		goto after_value;

close_container:
		idx = stack[--depth];
		nodes = ps->doc.nodes;
		nodes[idx].end = ps->doc.n_nodes;
		if (nodes[idx].type == JSON_OBJECT && (r = check_duplicate_keys(ps, idx)))
			return r;
after_value:
		if (depth == 0)
			break;
		skip_ws(ps);
		if (ps->pos >= ps->len)
			return fail(ps, ps->pos, "unexpected end inside a container");
		c = ps->p[ps->pos];
		top = stack[depth - 1];
		bool is_obj = ps->doc.nodes[top].type == JSON_OBJECT;
		if (c == ',') {
			ps->pos++;
			want_key = is_obj;
			allow_close = false;
			continue;
		}
		if (c == (is_obj ? '}' : ']')) {
			ps->pos++;
			goto close_container;
		}
		return fail(ps, ps->pos, is_obj ? "expected ',' or '}'" : "expected ',' or ']'");
	}
	skip_ws(ps);
	if (ps->pos != ps->len)
		return fail(ps, ps->pos, "trailing characters after the value");
	return 0;
}

int json_parse(const char *what, const uint8_t *text, size_t len, struct json_doc *doc)
{
	memset(doc, 0, sizeof(*doc));
	if (len >= UINT32_MAX)
		return ab_set_error(EFBIG, "%s: JSON text of %zu bytes is too large", what, len);
	struct json_parser ps = { .what = what, .p = text, .len = len };
	ps.doc.arena = malloc(len + 1);
	if (!ps.doc.arena)
		return ab_set_error(ENOMEM, "%s: JSON: out of memory for %zu bytes", what, len);
	int r = parse_doc(&ps);
	if (r) {
		json_free(&ps.doc);
		return r;
	}
	*doc = ps.doc;
	return 0;
}

void json_free(struct json_doc *doc)
{
	free(doc->nodes);
	free(doc->arena);
	memset(doc, 0, sizeof(*doc));
}

uint32_t json_object_get(const struct json_doc *doc, uint32_t obj, const char *key)
{
	if (obj >= doc->n_nodes || doc->nodes[obj].type != JSON_OBJECT)
		return JSON_NONE;
	uint32_t k = obj + 1;
	for (uint32_t i = 0; i < doc->nodes[obj].count; i++) {
		if (json_str_eq(doc, k, key))
			return k + 1;
		k = doc->nodes[k + 1].end;
	}
	return JSON_NONE;
}

bool json_str_eq(const struct json_doc *doc, uint32_t i, const char *s)
{
	const struct json_node *n = &doc->nodes[i];
	return n->type == JSON_STRING && n->str_len == strlen(s) && memcmp(n->str, s, n->str_len) == 0;
}

const char *json_type_name(enum json_type t)
{
	switch (t) {
	case JSON_NULL: return "null";
	case JSON_BOOL: return "a boolean";
	case JSON_NUMBER: return "a number";
	case JSON_STRING: return "a string";
	case JSON_ARRAY: return "an array";
	case JSON_OBJECT: return "an object";
	}
	return "?";
}
