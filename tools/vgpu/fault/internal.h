/*
 * Inside the fault-injection module: one armed fault ("rule"), as the
 * parser (fault/spec.c) produces it and the hooks (fault/state.c) count
 * and fire it.
 */
#ifndef VGPU_FAULT_INTERNAL_H
#define VGPU_FAULT_INTERNAL_H

#include "fault.h"

#include <stdbool.h>
#include <stdint.h>

/* Matches every ioctl (the "any" target). */
#define FAULT_IOCTL_ANY 0x100u

enum fault_kind {
	FAULT_IOCTL,       /* ioctl=<target>:<n>[+]:<errno> */
	FAULT_HEAP_FULL,   /* vram-full-after=<n>, gtt-full-after=<n> */
	FAULT_HANG,        /* hang=<ring>[:<n>] */
	FAULT_VM_FAULT,    /* vm-fault=<ring>[:<n>] */
	FAULT_RESET,       /* reset-at-cs=<n>[:vram-lost] */
};

enum fault_heap { FAULT_HEAP_VRAM, FAULT_HEAP_GTT };

struct fault_rule {
	enum fault_kind kind;
	unsigned int nr;       /* FAULT_IOCTL: table nr or FAULT_IOCTL_ANY */
	uint64_t n;            /* the n-th matching event (1-based); heap: calls allowed */
	bool every;            /* FAULT_IOCTL "+": the n-th and every later call */
	int err;               /* FAULT_IOCTL: positive errno */
	enum fault_heap heap;  /* FAULT_HEAP_FULL */
	char ring[16];         /* FAULT_HANG / FAULT_VM_FAULT */
	bool vram_lost;        /* FAULT_RESET */
	uint64_t seen;         /* matching events since the rule was armed */
	bool spent;            /* a one-shot rule that fired */
};

/* Parses `spec` into at most `cap` rules; returns the count or -EINVAL
 * after printing "vgpu: <origin>: ..." on stderr. */
int fault_parse(const char *spec, const char *origin, struct fault_rule *out, int cap);

/* errno name of the injectable errnos ("EIO"), NULL for others. */
const char *fault_errno_name(int err);

#endif /* VGPU_FAULT_INTERNAL_H */
