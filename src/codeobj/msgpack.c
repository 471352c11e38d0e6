/*
 * Strict MessagePack decoder: see codeobj/msgpack.h for what it accepts and why.
 */
#include "msgpack.h"
#include "util/error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct mp_cursor {
	const uint8_t *p;
	size_t size, pos;
} mp_cursor;

/* Reads n big-endian bytes if they are all there. */
static bool read_be(mp_cursor *c, unsigned n, uint64_t *out)
{
	if (c->size - c->pos < n)
		return false;
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v = (v << 8) | c->p[c->pos + i];
	c->pos += n;
	*out = v;
	return true;
}

static int truncated(size_t at, const char *what)
{
	return ab_set_error(EINVAL, "msgpack: truncated %s at offset %zu", what, at);
}

/* Decodes one item's header into *n (containers get their count; their
 * children follow). */
static int read_item(mp_cursor *c, ab_mp_node *n)
{
	size_t at = c->pos;
	uint64_t len = 0, v = 0;
	unsigned lbytes = 0;
	memset(n, 0, sizeof(*n));
	n->offset = at;
	if (c->pos >= c->size)
		return truncated(at, "item");
	uint8_t t = c->p[c->pos++];

	if (t <= 0x7f) {
		n->type = AB_MP_UINT;
		n->v.u = t;
		return 0;
	}
	if (t >= 0xe0) {
		n->type = AB_MP_INT;
		n->v.i = (int8_t)t;
		return 0;
	}
	if ((t & 0xf0) == 0x80) {
		n->type = AB_MP_MAP;
		len = t & 0x0f;
		goto container;
	}
	if ((t & 0xf0) == 0x90) {
		n->type = AB_MP_ARRAY;
		len = t & 0x0f;
		goto container;
	}
	if ((t & 0xe0) == 0xa0) {
		len = t & 0x1f;
		goto string;
	}
	switch (t) {
	case 0xc0: n->type = AB_MP_NIL; return 0;
	case 0xc2: n->type = AB_MP_BOOL; n->v.b = false; return 0;
	case 0xc3: n->type = AB_MP_BOOL; n->v.b = true; return 0;
	case 0xcc: case 0xcd: case 0xce: case 0xcf:
		if (!read_be(c, 1u << (t - 0xcc), &v))
			return truncated(at, "unsigned integer");
		n->type = AB_MP_UINT;
		n->v.u = v;
		return 0;
	case 0xd0: case 0xd1: case 0xd2: case 0xd3: {
		unsigned bytes = 1u << (t - 0xd0);
		if (!read_be(c, bytes, &v))
			return truncated(at, "signed integer");
		/* Sign-extend from `bytes` bytes without shifting into the
		 * sign bit (undefined for signed types). */
		int64_t s;
		if (bytes == 8)
			memcpy(&s, &v, sizeof(s));
		else if (v & (1ull << (bytes * 8 - 1)))
			s = -(int64_t)((1ull << (bytes * 8)) - v);
		else
			s = (int64_t)v;
		if (s >= 0) {
			n->type = AB_MP_UINT;
			n->v.u = (uint64_t)s;
		} else {
			n->type = AB_MP_INT;
			n->v.i = s;
		}
		return 0;
	}
	case 0xd9: lbytes = 1; break;
	case 0xda: lbytes = 2; break;
	case 0xdb: lbytes = 4; break;
	case 0xdc: n->type = AB_MP_ARRAY; lbytes = 2; break;
	case 0xdd: n->type = AB_MP_ARRAY; lbytes = 4; break;
	case 0xde: n->type = AB_MP_MAP; lbytes = 2; break;
	case 0xdf: n->type = AB_MP_MAP; lbytes = 4; break;
	default:
		/* 0xc1 never used; bin, ext, float: not in the metadata. */
		return ab_set_error(EINVAL, "msgpack: type byte 0x%02x at offset %zu is not "
				    "accepted (only nil, bool, int, str, array, map)", t, at);
	}
	if (!read_be(c, lbytes, &len))
		return truncated(at, "length");
	if (t >= 0xdc)
		goto container;
string:
	if (len > c->size - c->pos)
		return ab_set_error(EINVAL, "msgpack: string of %llu bytes at offset %zu "
				    "runs past the end (%zu bytes left)",
				    (unsigned long long)len, at, c->size - c->pos);
	n->type = AB_MP_STR;
	n->str_len = (uint32_t)len;
	n->v.str = (const char *)c->p + c->pos;
	c->pos += len;
	return 0;
container:
	/* Each child takes at least one byte: a count above the bytes left
	 * is a lie, and refusing it here bounds the node array. */
	{
		uint64_t children = n->type == AB_MP_MAP ? len * 2 : len;
		if (children > c->size - c->pos)
			return ab_set_error(EINVAL, "msgpack: %s of %llu entries at offset %zu "
					    "cannot fit in the %zu bytes left",
					    n->type == AB_MP_MAP ? "map" : "array",
					    (unsigned long long)len, at, c->size - c->pos);
		n->count = (uint32_t)len;
	}
	return 0;
}

void ab_mp_free(ab_mp_doc *doc)
{
	if (!doc)
		return;
	free(doc->nodes);
	doc->nodes = NULL;
	doc->n_nodes = 0;
}

int ab_mp_parse(const void *data, size_t size, ab_mp_doc *doc)
{
	memset(doc, 0, sizeof(*doc));
	if (!data || size == 0)
		return ab_set_error(EINVAL, "msgpack: empty buffer");
	if (size > UINT32_MAX)
		return ab_set_error(EINVAL, "msgpack: %zu bytes is too large", size);

	mp_cursor c = { .p = data, .size = size, .pos = 0 };
	/* Open containers: node index and children still expected. */
	struct { uint32_t node; uint64_t left; } stack[AB_MP_MAX_DEPTH];
	unsigned depth = 0;
	uint32_t cap = 0;
	int r;

	do {
		if (doc->n_nodes == cap) {
			uint32_t ncap = cap ? cap * 2 : 64;
			ab_mp_node *nn = realloc(doc->nodes, (size_t)ncap * sizeof(*nn));
			if (!nn) {
				r = ab_set_error(ENOMEM, "msgpack: out of memory at %u nodes", cap);
				goto fail;
			}
			doc->nodes = nn;
			cap = ncap;
		}
		uint32_t idx = doc->n_nodes;
		ab_mp_node *n = &doc->nodes[idx];
		r = read_item(&c, n);
		if (r)
			goto fail;
		doc->n_nodes++;
		if (depth > 0)
			stack[depth - 1].left--;
		n->end = idx + 1;
		if ((n->type == AB_MP_ARRAY || n->type == AB_MP_MAP) && n->count > 0) {
			if (depth == AB_MP_MAX_DEPTH) {
				r = ab_set_error(EINVAL, "msgpack: nesting deeper than %d at offset %zu",
						 AB_MP_MAX_DEPTH, n->offset);
				goto fail;
			}
			stack[depth].node = idx;
			stack[depth].left = n->type == AB_MP_MAP ? 2ull * n->count : n->count;
			depth++;
			continue;
		}
		/* Close every container whose last child this was. */
		while (depth > 0 && stack[depth - 1].left == 0) {
			doc->nodes[stack[depth - 1].node].end = doc->n_nodes;
			depth--;
		}
	} while (depth > 0);

	if (c.pos != size) {
		r = ab_set_error(EINVAL, "msgpack: %zu trailing bytes after the item ending at offset %zu",
				 size - c.pos, c.pos);
		goto fail;
	}
	return 0;
fail:
	ab_mp_free(doc);
	return r;
}

uint32_t ab_mp_child(const ab_mp_doc *doc, uint32_t node, uint32_t i)
{
	uint32_t k = node + 1;
	while (i-- > 0)
		k = doc->nodes[k].end;
	return k;
}

bool ab_mp_str_eq(const ab_mp_node *n, const char *s)
{
	size_t l = strlen(s);
	return n->type == AB_MP_STR && n->str_len == l && memcmp(n->v.str, s, l) == 0;
}

int64_t ab_mp_map_get(const ab_mp_doc *doc, uint32_t map, const char *key)
{
	if (map >= doc->n_nodes || doc->nodes[map].type != AB_MP_MAP)
		return -1;
	uint32_t k = map + 1;
	for (uint32_t i = 0; i < doc->nodes[map].count; i++) {
		uint32_t val = doc->nodes[k].end;
		if (ab_mp_str_eq(&doc->nodes[k], key))
			return val;
		k = doc->nodes[val].end;
	}
	return -1;
}
