/*
 * A strict, bounded MessagePack reader for the AMDGPU code-object metadata
 * note (NT_AMDGPU_METADATA).
 *
 * It decodes the whole buffer into a flat array of nodes (pre-order), with
 * no recursion: an explicit stack bounded by AB_MP_MAX_DEPTH.  Only the
 * types the metadata uses are accepted (nil, bool, integers, str, array,
 * map); bin, ext and floats are rejected with a message that names the
 * byte offset.  Every length is checked against the bytes that remain, so
 * a malformed note can never make the reader look outside the buffer or
 * allocate more nodes than it has bytes.  Strings point into the caller's
 * buffer (not NUL-terminated): the buffer must outlive the document.
 */
#ifndef AB_MSGPACK_H
#define AB_MSGPACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AB_MP_MAX_DEPTH 32

enum ab_mp_type {
	AB_MP_NIL,
	AB_MP_BOOL,
	AB_MP_UINT,   /* non-negative integer (any encoding) */
	AB_MP_INT,    /* negative integer */
	AB_MP_STR,
	AB_MP_ARRAY,
	AB_MP_MAP,    /* `count` pairs: 2*count children, key then value */
};

typedef struct ab_mp_node {
	enum ab_mp_type type;
	uint32_t count;      /* array elements or map pairs */
	uint32_t end;        /* index just past this node's subtree */
	uint32_t str_len;
	size_t offset;       /* where the item starts in the buffer */
	union {
		bool b;
		uint64_t u;
		int64_t i;
		const char *str;
	} v;
} ab_mp_node;

typedef struct ab_mp_doc {
	ab_mp_node *nodes;   /* nodes[0] is the root */
	uint32_t n_nodes;
} ab_mp_doc;

/* Decodes exactly one top-level item filling the whole buffer (trailing
 * bytes are an error).  0, or -EINVAL/-ENOMEM with the message set through
 * ab_set_error ("msgpack: ... at offset N").  On failure *doc is empty. */
int ab_mp_parse(const void *data, size_t size, ab_mp_doc *doc);
void ab_mp_free(ab_mp_doc *doc);

/* The value for a string key in the map at node index `map` (keys that are
 * not strings are skipped); -1 when absent or when `map` is not a map. */
int64_t ab_mp_map_get(const ab_mp_doc *doc, uint32_t map, const char *key);

/* Index of the i-th child of an array (i < count), or of the i-th key of a
 * map when i counts keys and values alike (2*pairs children). */
uint32_t ab_mp_child(const ab_mp_doc *doc, uint32_t node, uint32_t i);

/* True when node is a string equal to s. */
bool ab_mp_str_eq(const ab_mp_node *n, const char *s);

#endif
