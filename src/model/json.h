/*
 * A strict, bounded JSON (RFC 8259) reader for untrusted model headers
 * (safetensors, model.safetensors.index.json).
 *
 * The whole text is decoded into a flat array of nodes in pre-order, with
 * an explicit stack (depth <= JSON_MAX_DEPTH, no recursion).  Strict means:
 * exactly one value surrounded by optional whitespace; strings are valid
 * UTF-8 (no overlong forms, no surrogate code points, nothing above
 * U+10FFFF), control characters must be escaped, \u escapes that are
 * surrogates must come as a valid high+low pair; numbers follow the RFC
 * grammar (no leading zeros, no '+', no bare '.', no hex, no NaN/Infinity);
 * objects may not repeat a key; no trailing commas, no comments.
 * Strings (values and keys) are decoded into an arena owned by the document
 * and NUL-terminated; a decoded string may itself contain NUL (from \u0000),
 * which str_len shows.
 */
#ifndef AB_JSON_H
#define AB_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 64
#define JSON_MAX_NODES (1u << 24)
#define JSON_NONE UINT32_MAX

enum json_type {
	JSON_NULL,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT, /* `count` members: key (a JSON_STRING node), then value */
};

struct json_node {
	uint8_t type;
	bool is_u64;     /* number: non-negative integer, no fraction/exponent, < 2^64 */
	bool b;          /* bool value */
	uint32_t count;  /* array elements / object members */
	uint32_t end;    /* index just past this node's subtree */
	uint32_t str_len;
	uint32_t offset; /* where the value starts in the text (for messages) */
	const char *str; /* decoded, NUL-terminated (strings and keys) */
	uint64_t u64;    /* when is_u64 */
};

struct json_doc {
	struct json_node *nodes; /* nodes[0] is the root */
	uint32_t n_nodes;
	char *arena;
};

/* Parses `len` bytes.  `what` names the source in messages ("file.json:
 * JSON: ... at byte N").  0, -EINVAL, -EFBIG (too many nodes or a text over
 * 4 GiB) or -ENOMEM; on failure *doc is empty. */
int json_parse(const char *what, const uint8_t *text, size_t len, struct json_doc *doc);
void json_free(struct json_doc *doc);

/* Index of the value for `key` in the object at `obj`, or JSON_NONE. */
uint32_t json_object_get(const struct json_doc *doc, uint32_t obj, const char *key);

/* Iterating children: the first child is node+1 (for an object, a key; its
 * value is key+1); the next sibling of child c is nodes[c].end. */
static inline uint32_t json_next(const struct json_doc *doc, uint32_t i)
{
	return doc->nodes[i].end;
}

/* True when node i is a string equal to s (no embedded NUL). */
bool json_str_eq(const struct json_doc *doc, uint32_t i, const char *s);

const char *json_type_name(enum json_type t);

#endif
