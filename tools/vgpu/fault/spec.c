/*
 * The fault-spec grammar (docs/fault-injection.md), parsed strictly: any
 * item that does not match exactly is an error naming the item, never a
 * fault silently dropped, because a test that believes it injected a
 * fault and did not would pass for the wrong reason.
 *
 *   spec  := item { "," item }
 *   item  := "ioctl=" target ":" n ["+"] ":" errno
 *          | "vram-full-after=" n0 | "gtt-full-after=" n0
 *          | "hang=" ring [":" n] | "vm-fault=" ring [":" n]
 *          | "reset-at-cs=" n [":vram-lost"]
 */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The errnos a kernel ioctl can fail with early and that callers must
 * handle: allocation (ENOMEM), signals (EINTR, and EAGAIN from
 * -ERESTARTSYS paths), hardware trouble (EIO, ENODEV after unplug),
 * resets (ECANCELED) and timeouts (ETIME). */
static const struct {
	const char *name;
	int err;
} errnos[] = {
	{ "ENOMEM", ENOMEM }, { "EINTR", EINTR }, { "EAGAIN", EAGAIN }, { "EIO", EIO },
	{ "ECANCELED", ECANCELED }, { "ETIME", ETIME }, { "ENODEV", ENODEV },
};

const char *fault_errno_name(int err)
{
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].err == err)
			return errnos[i].name;
	return NULL;
}

/* Always printed (like the profile errors): a malformed spec must be seen. */
static int spec_error(const char *origin, const char *item, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int spec_error(const char *origin, const char *item, const char *fmt, ...)
{
	char why[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	char line[768];
	int n = snprintf(line, sizeof(line), "vgpu: %s: item \"%s\": %s\n", origin, item, why);
	if (n > 0) {
		ssize_t w = write(STDERR_FILENO, line, (size_t)n < sizeof(line) ? (size_t)n
								  : sizeof(line) - 1);
		(void)w;
	}
	return -EINVAL;
}

/* A decimal count: digits only, no sign, no spaces, fits 32 bits. */
static bool parse_count(const char *s, uint64_t min, uint64_t *out)
{
	if (!*s)
		return false;
	uint64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT32_MAX)
			return false;
	}
	if (v < min)
		return false;
	*out = v;
	return true;
}

/* An ioctl target: "any", a table name (with or without its prefix), or
 * a table nr in decimal or 0x hex. */
static int parse_target(const char *s, unsigned int *nr, const char *origin, const char *item)
{
	if (strcmp(s, "any") == 0) {
		*nr = FAULT_IOCTL_ANY;
		return 0;
	}
	if (s[0] >= '0' && s[0] <= '9') {
		/* decimal, or hex with 0x; not strtoul's octal for a leading 0 */
		bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
		char *end;
		unsigned long v = strtoul(hex ? s + 2 : s, &end, hex ? 16 : 10);
		if (*end || v > 0xff || (hex && !isxdigit((unsigned char)s[2])))
			return spec_error(origin, item, "ioctl number \"%s\" is not a number 0..0xff "
					  "(the nr of the request, e.g. 0x44 for AMDGPU_CS)", s);
		const struct vgpu_fault_hooks *h = vgpu_fault_hooks();
		if (!h->ioctl_name_of || !h->ioctl_name_of((unsigned int)v))
			return spec_error(origin, item, "no ioctl has number 0x%02lx", v);
		*nr = (unsigned int)v;
		return 0;
	}
	const struct vgpu_fault_hooks *h = vgpu_fault_hooks();
	int r = h->ioctl_nr_by_name ? h->ioctl_nr_by_name(s, nr) : -ENOENT;
	if (r == -EINVAL)
		return spec_error(origin, item, "ioctl name \"%s\" is ambiguous: give it with its "
				  "DRM_IOCTL_ or DRM_IOCTL_AMDGPU_ prefix", s);
	if (r)
		return spec_error(origin, item, "unknown ioctl \"%s\" (use a name like AMDGPU_CS, "
				  "GEM_CREATE or DRM_IOCTL_GEM_CLOSE, a number, or any)", s);
	return 0;
}

static int parse_errno(const char *s, int *err, const char *origin, const char *item)
{
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++) {
		if (strcmp(s, errnos[i].name) == 0) {
			*err = errnos[i].err;
			return 0;
		}
	}
	return spec_error(origin, item, "errno \"%s\" is not one of ENOMEM, EINTR, EAGAIN, EIO, "
			  "ECANCELED, ETIME, ENODEV", s);
}

/* ioctl=<target>:<n>[+]:<errno> */
static int parse_ioctl(char *v, struct fault_rule *r, const char *origin, const char *item)
{
	char *c1 = strchr(v, ':');
	char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c1 || !c2 || strchr(c2 + 1, ':'))
		return spec_error(origin, item, "expected ioctl=<ioctl>:<n>[+]:<errno>");
	*c1 = *c2 = '\0';
	char *n = c1 + 1;
	size_t len = strlen(n);
	if (len && n[len - 1] == '+') {
		r->every = true;
		n[len - 1] = '\0';
	}
	if (!parse_count(n, 1, &r->n))
		return spec_error(origin, item, "call number \"%s\" must be a count from 1", n);
	int e = parse_target(v, &r->nr, origin, item);
	if (e == 0)
		e = parse_errno(c2 + 1, &r->err, origin, item);
	r->kind = FAULT_IOCTL;
	return e;
}

/* <ring>[:<n>] for hang= and vm-fault= */
static int parse_ring_item(char *v, struct fault_rule *r, const char *origin, const char *item)
{
	char *c = strchr(v, ':');
	r->n = 1;
	if (c) {
		*c = '\0';
		if (!parse_count(c + 1, 1, &r->n))
			return spec_error(origin, item, "job number \"%s\" must be a count from 1", c + 1);
	}
	if (strlen(v) >= sizeof(r->ring) || !vgpu_fault_ring_known(v))
		return spec_error(origin, item, "unknown ring \"%s\" (gfx_0.0.0, comp_1.0.0 .. "
				  "comp_1.3.0, sdma0, sdma1, or the groups compute, sdma, any)", v);
	strcpy(r->ring, v);
	return 0;
}

static int parse_item(char *item, struct fault_rule *r, const char *origin)
{
	char copy[256];
	snprintf(copy, sizeof(copy), "%s", item);
	memset(r, 0, sizeof(*r));
	char *eq = strchr(item, '=');
	if (!eq)
		return spec_error(origin, copy, "expected <kind>=<value>");
	*eq = '\0';
	char *key = item, *v = eq + 1;
	if (strcmp(key, "ioctl") == 0)
		return parse_ioctl(v, r, origin, copy);
	if (strcmp(key, "vram-full-after") == 0 || strcmp(key, "gtt-full-after") == 0) {
		r->kind = FAULT_HEAP_FULL;
		r->heap = key[0] == 'v' ? FAULT_HEAP_VRAM : FAULT_HEAP_GTT;
		if (!parse_count(v, 0, &r->n))
			return spec_error(origin, copy, "\"%s\" must be a count of GEM_CREATE calls "
					  "(0: full from the next one)", v);
		return 0;
	}
	if (strcmp(key, "hang") == 0 || strcmp(key, "vm-fault") == 0) {
		r->kind = key[0] == 'h' ? FAULT_HANG : FAULT_VM_FAULT;
		return parse_ring_item(v, r, origin, copy);
	}
	if (strcmp(key, "reset-at-cs") == 0) {
		r->kind = FAULT_RESET;
		char *c = strchr(v, ':');
		if (c) {
			*c = '\0';
			if (strcmp(c + 1, "vram-lost") != 0)
				return spec_error(origin, copy, "\"%s\": the only option is vram-lost",
						  c + 1);
			r->vram_lost = true;
		}
		if (!parse_count(v, 1, &r->n))
			return spec_error(origin, copy, "CS call number \"%s\" must be a count from 1", v);
		return 0;
	}
	return spec_error(origin, copy, "unknown kind \"%s\" (ioctl, vram-full-after, "
			  "gtt-full-after, hang, vm-fault, reset-at-cs)", key);
}

int fault_parse(const char *spec, const char *origin, struct fault_rule *out, int cap)
{
	size_t len = strlen(spec);
	char *buf = malloc(len + 1);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, spec, len + 1);
	int n = 0, r = 0;
	char *p = buf;
	for (;;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (!*p) {
			r = spec_error(origin, p, "empty item (stray comma?)");
			break;
		}
		if (n == cap) {
			r = spec_error(origin, p, "more than %d faults armed", cap);
			break;
		}
		r = parse_item(p, &out[n], origin);
		if (r)
			break;
		n++;
		if (!comma)
			break;
		p = comma + 1;
	}
	free(buf);
	return r ? r : n;
}
