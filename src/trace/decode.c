/*
 * `amdbare trace show`: decodes the records of an AMDBARE_TRACE file
 * (submit/trace_format.h) and the packets of every IB in them.  Packet
 * layouts are those the library's builders write (gfx/pm4_builder.c,
 * gfx/sdma_builder.c, after K: amdgpu/nvd.h and sdma_v6_0_0_pkt_open.h);
 * register offsets, names and fields come from the generation tables
 * (gfx/regs_gen.h, gfx/reg_names.c).  Nothing here is the virtual
 * device's decoder, which shares no code with the library.
 *
 * The file is untrusted: every record size, count and packet length is
 * checked against the bytes that hold it before it is read.  A packet the
 * tables do not describe is printed as "unknown" and counted.
 */
#include "util/api.h"
#include "util/error.h"
#include "gfx/regs_gen.h"
#include "gfx/reg_names.h"
#include "gfx/pm4_builder.h"
#include "gfx/sdma_builder.h"
#include "submit/trace_format.h"
#include "dispatch/internal.h"
#include "amdbare_trace.h"

#include <amdgpu_drm.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 48

struct field {
	char key[64];
	uint64_t v;
	const char *s;   /* a string value instead of v */
	bool dec;        /* print v in decimal */
};

struct packet {
	uint32_t at, ndw;
	char name[48];
	bool unknown;
	uint32_t nf, dropped;
	struct field f[MAX_FIELDS];
};

/* What the SET_SH_REGs of an IB set so far, to describe its dispatches. */
struct sh_state {
	uint32_t num_thread[3], rsrc2, tmpring, pgm_lo, pgm_hi;
};

struct out {
	FILE *f;
	bool json;
	amdbare_trace_summary *sum;
	bool first_pkt;      /* JSON: no comma before the next packet */
	/* text: a run of one-dword pad NOPs is printed as one line */
	uint32_t pad_at, pad_len;
};

static void flush_pads(struct out *o)
{
	if (o->pad_len == 1)
		fprintf(o->f, "    [%5u] %-18s pad=1\n", o->pad_at, "NOP");
	else if (o->pad_len > 1)
		fprintf(o->f, "    [%5u] %-18s pad=1, x %u (dwords %u..%u)\n", o->pad_at, "NOP",
			o->pad_len, o->pad_at, o->pad_at + o->pad_len - 1);
	o->pad_len = 0;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static void json_str(FILE *f, const char *s, size_t max)
{
	fputc('"', f);
	for (size_t i = 0; i < max && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c); /* bytes outside ASCII: escaped, never trusted as UTF-8 */
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* Text output of a name from the file: printable ASCII only. */
static void text_str(FILE *f, const char *s, size_t max)
{
	for (size_t i = 0; i < max && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		fputc(c >= 0x20 && c < 0x7f ? c : '?', f);
	}
}

static void add(struct packet *p, const char *key, uint64_t v, bool dec)
{
	if (p->nf == MAX_FIELDS) {
		p->dropped++;
		return;
	}
	struct field *f = &p->f[p->nf++];
	snprintf(f->key, sizeof(f->key), "%s", key);
	f->v = v;
	f->s = NULL;
	f->dec = dec;
}

static void add_str(struct packet *p, const char *key, const char *s)
{
	add(p, key, 0, false);
	if (p->nf && !p->dropped)
		p->f[p->nf - 1].s = s;
}

static void begin(struct packet *p, uint32_t at, uint32_t ndw, const char *name)
{
	p->at = at;
	p->ndw = ndw;
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->unknown = false;
	p->nf = p->dropped = 0;
}

static void emit(struct out *o, const struct packet *p)
{
	o->sum->packets++;
	if (p->unknown)
		o->sum->unknown_packets++;
	FILE *f = o->f;
	if (o->json) {
		fprintf(f, "%s{\"dword\":%u,\"dwords\":%u,\"name\":", o->first_pkt ? "" : ",", p->at,
			p->ndw);
		json_str(f, p->name, sizeof(p->name));
		fprintf(f, ",\"unknown\":%s,\"fields\":{", p->unknown ? "true" : "false");
		for (uint32_t i = 0; i < p->nf; i++) {
			fprintf(f, "%s", i ? "," : "");
			json_str(f, p->f[i].key, sizeof(p->f[i].key));
			if (p->f[i].s) {
				fputc(':', f);
				json_str(f, p->f[i].s, 64);
			} else {
				fprintf(f, ":%" PRIu64, p->f[i].v);
			}
		}
		fprintf(f, "}");
		if (p->dropped)
			fprintf(f, ",\"fields_not_shown\":%u", p->dropped);
		fprintf(f, "}");
		o->first_pkt = false;
		return;
	}
	bool pad = p->ndw == 1 && p->nf == 1 && strcmp(p->f[0].key, "pad") == 0;
	if (pad && o->pad_len && o->pad_at + o->pad_len == p->at) {
		o->pad_len++;
		return;
	}
	flush_pads(o);
	if (pad) {
		o->pad_at = p->at;
		o->pad_len = 1;
		return;
	}
	fprintf(f, "    [%5u] %-18s", p->at, p->name);
	for (uint32_t i = 0; i < p->nf; i++) {
		/* A register's fields ("REG.FIELD") follow the register: the
		 * text shows the non-zero ones as ".FIELD=v". */
		const char *dot = strchr(p->f[i].key, '.');
		if (dot && !p->f[i].s) {
			if (p->f[i].v)
				fprintf(f, " %s=%" PRIu64, dot, p->f[i].v);
			continue;
		}
		if (p->f[i].s)
			fprintf(f, " %s=%s", p->f[i].key, p->f[i].s);
		else if (p->f[i].dec)
			fprintf(f, " %s=%" PRIu64, p->f[i].key, p->f[i].v);
		else
			fprintf(f, " %s=0x%" PRIx64, p->f[i].key, p->f[i].v);
	}
	if (p->dropped)
		fprintf(f, " (+%u more not shown)", p->dropped);
	fputc('\n', f);
}

static void unknown(struct out *o, struct packet *p, uint32_t at, uint32_t ndw, const char *why,
		    uint32_t header)
{
	begin(p, at, ndw, "unknown");
	p->unknown = true;
	add_str(p, "reason", why);
	add(p, "header", header, false);
	emit(o, p);
}

/* ---- dispatches --------------------------------------------------------- */

struct notes {
	const uint8_t *p;    /* nnotes x struct ab_trace_note, unaligned */
	uint32_t n;
	uint32_t next;       /* first note not yet given to a dispatch */
};

static void dispatch_line(struct out *o, const struct ab_gfx_gen *g, const struct sh_state *s,
			  struct notes *nt, uint32_t at, const uint32_t grid[3])
{
	char name[AB_TRACE_NOTE_NAME + 1] = "";
	/* The note names the dispatch whose packets start at its dword: the
	 * last note at or before this DISPATCH_DIRECT. */
	bool named = false;
	while (nt->next < nt->n) {
		struct ab_trace_note note;
		memcpy(&note, nt->p + (size_t)nt->next * sizeof(note), sizeof(note));
		if (note.dword > at)
			break;
		if (note.kind == AB_TRACE_NOTE_DISPATCH) {
			memcpy(name, note.name, AB_TRACE_NOTE_NAME);
			name[AB_TRACE_NOTE_NAME] = 0;
			named = true;
		}
		nt->next++;
	}
	o->sum->dispatches++;
	if (named)
		o->sum->named_dispatches++;
	uint32_t block[3];
	for (int i = 0; i < 3; i++)
		block[i] = s->num_thread[i] & 0xffffu;
	uint64_t lds = (uint64_t)((s->rsrc2 >> 15) & 0x1ffu) * AB_LDS_ENCODE_BYTES;
	uint64_t wave_scratch = (uint64_t)((s->tmpring >> AB_TMPRING_WAVESIZE_SHIFT) & 0x7fffu) *
				g->tmpring_wavesize_unit; /* 256 B on gfx11, 1 KiB on gfx10.3 */
	uint64_t entry = ((uint64_t)s->pgm_lo << 8) | ((uint64_t)(s->pgm_hi & 0xffffu) << 40);
	if (o->json) {
		fprintf(o->f, "%s{\"dispatch\":{\"dword\":%u,\"kernel\":", o->first_pkt ? "" : ",", at);
		if (named)
			json_str(o->f, name, sizeof(name));
		else
			fputs("null", o->f);
		fprintf(o->f, ",\"grid\":[%u,%u,%u],\"block\":[%u,%u,%u],\"lds_bytes\":%" PRIu64
			",\"scratch_bytes_per_wave\":%" PRIu64 ",\"code_va\":%" PRIu64 "}}",
			grid[0], grid[1], grid[2], block[0], block[1], block[2], lds, wave_scratch,
			entry);
		o->first_pkt = false;
		return;
	}
	fprintf(o->f, "            dispatch of kernel ");
	if (named) {
		fputc('"', o->f);
		text_str(o->f, name, sizeof(name));
		fputc('"', o->f);
	} else {
		fputs("(no name recorded)", o->f);
	}
	fprintf(o->f, ": grid %ux%ux%u workgroups, block %ux%ux%u, LDS %" PRIu64 " B, scratch %"
		PRIu64 " B/wave, code at 0x%" PRIx64 "\n", grid[0], grid[1], grid[2], block[0],
		block[1], block[2], lds, wave_scratch, entry);
}

/* ---- PM4 ---------------------------------------------------------------- */

static void reg_fields(struct packet *p, const char *reg, uint32_t v,
		       const struct ab_gfx_reg_field *fl)
{
	for (; fl->name; fl++) {
		char key[64];
		uint32_t m = fl->width >= 32 ? 0xffffffffu : (1u << fl->width) - 1;
		snprintf(key, sizeof(key), "%s.%s", reg, fl->name);
		add(p, key, (v >> fl->shift) & m, true);
	}
}

static void set_sh_reg(struct out *o, struct packet *p, const struct ab_gfx_gen *g,
		       struct sh_state *s, const uint32_t *b, uint32_t nb)
{
	if (nb < 2) {
		p->unknown = true;
		add_str(p, "reason", "no register in the packet");
		return;
	}
	uint64_t first = (uint64_t)g->sh_reg_start + b[0];
	add(p, "first_reg", first, false);
	for (uint32_t j = 1; j < nb; j++) {
		uint64_t reg64 = first + j - 1;
		uint32_t v = b[j];
		char name[48];
		const struct ab_gfx_reg_field *fl;
		if (reg64 >= g->sh_reg_end ||
		    !ab_gfx_reg_describe(g, (uint32_t)reg64, name, sizeof(name), &fl)) {
			/* a register outside the library's table: the packet
			 * is not one the builders write */
			snprintf(name, sizeof(name), "reg_0x%" PRIx64, reg64);
			p->unknown = true;
			add(p, name, v, false);
			continue;
		}
		add(p, name, v, false);
		reg_fields(p, name, v, fl);
		uint32_t reg = (uint32_t)reg64;
		for (int i = 0; i < 3; i++)
			if (reg == g->compute_num_thread_x + (uint32_t)i)
				s->num_thread[i] = v;
		if (reg == g->compute_pgm_rsrc2)
			s->rsrc2 = v;
		else if (reg == g->compute_tmpring_size)
			s->tmpring = v;
		else if (reg == g->compute_pgm_lo)
			s->pgm_lo = v;
		else if (reg == g->compute_pgm_hi)
			s->pgm_hi = v;
	}
	(void)o;
}

static const char *wait_function(uint32_t f)
{
	static const char *const n[8] = {"always", "less", "less_equal", "equal",
					 "not_equal", "greater_equal", "greater", "reserved"};
	return n[f & 7];
}

static void decode_pm4(struct out *o, const struct ab_gfx_gen *g, const uint32_t *dw, uint32_t n,
		       struct notes *nt)
{
	struct packet *p = malloc(sizeof(*p));
	if (!p)
		return;
	struct sh_state s;
	memset(&s, 0, sizeof(s));
	uint32_t i = 0;
	while (i < n) {
		uint32_t h = dw[i];
		uint32_t type = h >> 30;
		if (type == 2) { /* K: nvd.h PACKET2: a one-dword filler */
			begin(p, i, 1, "TYPE2_NOP");
			emit(o, p);
			i++;
			continue;
		}
		if (type != 3) {
			unknown(o, p, i, n - i, "type-0/1 packet: the library writes type 3 only", h);
			break;
		}
		uint32_t count = (h >> 16) & 0x3fffu, op = (h >> 8) & 0xffu;
		if (h == g->pm4_nop_dword) {
			/* PACKET3(NOP, 0x3FFF): the kernel's one-dword pad */
			begin(p, i, 1, "NOP");
			add(p, "pad", 1, true);
			emit(o, p);
			i++;
			continue;
		}
		uint64_t total = (uint64_t)count + 2;
		if (total > n - i) {
			unknown(o, p, i, n - i, "packet longer than the rest of the IB", h);
			break;
		}
		const uint32_t *b = dw + i + 1;
		uint32_t nb = count + 1;
		begin(p, i, (uint32_t)total, "");
		bool shape_ok = true;
		switch (op) {
		case AB_PM4_NOP:
			snprintf(p->name, sizeof(p->name), "NOP");
			add(p, "body_dwords", nb, true);
			break;
		case AB_PM4_SET_SH_REG:
			snprintf(p->name, sizeof(p->name), "SET_SH_REG");
			set_sh_reg(o, p, g, &s, b, nb);
			break;
		case AB_PM4_ACQUIRE_MEM:
			snprintf(p->name, sizeof(p->name), "ACQUIRE_MEM");
			/* gfx10+: 7 body dwords ending in GCR_CNTL; gfx9: 6, the
			 * cache actions in COHER_CNTL (gfx/regs_gen.h). */
			if (!(g->acquire_mem == AB_ACQUIRE_MEM_GCR_CNTL && nb == 7) &&
			    !(g->acquire_mem == AB_ACQUIRE_MEM_COHER_CNTL && nb == 6)) {
				shape_ok = false;
				break;
			}
			add(p, "COHER_CNTL", b[0], false);
			add(p, "COHER_SIZE", b[1] | (uint64_t)(b[2] & 0xffffffu) << 32, false);
			add(p, "COHER_BASE", b[3] | (uint64_t)(b[4] & 0xffffffu) << 32, false);
			add(p, "POLL_INTERVAL", b[5], true);
			if (nb == 7)
				add(p, "GCR_CNTL", b[6], false);
			break;
		case AB_PM4_DISPATCH_DIRECT: {
			snprintf(p->name, sizeof(p->name), "DISPATCH_DIRECT");
			if (nb != 4) {
				shape_ok = false;
				break;
			}
			add(p, "DIM_X", b[0], true);
			add(p, "DIM_Y", b[1], true);
			add(p, "DIM_Z", b[2], true);
			char name[48];
			const struct ab_gfx_reg_field *fl;
			if (ab_gfx_reg_describe(g, g->compute_dispatch_initiator, name, sizeof(name), &fl)) {
				add(p, name, b[3], false);
				reg_fields(p, name, b[3], fl);
			}
			emit(o, p);
			dispatch_line(o, g, &s, nt, i, b);
			i += (uint32_t)total;
			continue;
		}
		case AB_PM4_EVENT_WRITE: {
			snprintf(p->name, sizeof(p->name), "EVENT_WRITE");
			if (nb < 1) {
				shape_ok = false;
				break;
			}
			const char *ev = ab_gfx_event_name(g, b[0] & 0x3fu);
			if (ev)
				add_str(p, "EVENT_TYPE", ev);
			else {
				add(p, "EVENT_TYPE", b[0] & 0x3fu, false);
				p->unknown = true;
			}
			add(p, "EVENT_INDEX", (b[0] >> 8) & 0xfu, true);
			break;
		}
		case AB_PM4_RELEASE_MEM: {
			snprintf(p->name, sizeof(p->name), "RELEASE_MEM");
			if ((g->release_mem != AB_RELEASE_MEM_GCR &&
			     g->release_mem != AB_RELEASE_MEM_GFX9) || nb != 7) {
				shape_ok = false;
				break;
			}
			const char *ev = ab_gfx_event_name(g, b[0] & 0x3fu);
			if (ev)
				add_str(p, "EVENT_TYPE", ev);
			else
				add(p, "EVENT_TYPE", b[0] & 0x3fu, false);
			add(p, "EVENT_INDEX", (b[0] >> 8) & 0xfu, true);
			add(p, "EVENT_CNTL", b[0], false);
			add(p, "DATA_SEL", (b[1] >> 29) & 7u, true);
			add(p, "INT_SEL", (b[1] >> 24) & 7u, true);
			add(p, "DST_SEL", (b[1] >> 16) & 3u, true);
			add(p, "ADDR", b[2] | (uint64_t)b[3] << 32, false);
			add(p, "DATA", b[4] | (uint64_t)b[5] << 32, false);
			add(p, "INT_CTXID", b[6], false);
			break;
		}
		case AB_PM4_WRITE_DATA:
			snprintf(p->name, sizeof(p->name), "WRITE_DATA");
			if (nb < 4) {
				shape_ok = false;
				break;
			}
			add(p, "DST_SEL", (b[0] >> 8) & 0xfu, true);
			add(p, "WR_CONFIRM", (b[0] >> 20) & 1u, true);
			add(p, "ADDR", b[1] | (uint64_t)b[2] << 32, false);
			add(p, "DWORDS", nb - 3, true);
			for (uint32_t k = 3; k < nb && k < 3 + 8; k++) {
				char key[16];
				snprintf(key, sizeof(key), "DATA%u", k - 3);
				add(p, key, b[k], false);
			}
			break;
		case AB_PM4_WAIT_REG_MEM:
			snprintf(p->name, sizeof(p->name), "WAIT_REG_MEM");
			if (nb != 6) {
				shape_ok = false;
				break;
			}
			add_str(p, "FUNCTION", wait_function(b[0]));
			add(p, "MEM_SPACE", (b[0] >> 4) & 3u, true);
			add(p, "OPERATION", (b[0] >> 6) & 3u, true);
			add(p, "ENGINE", (b[0] >> 8) & 3u, true);
			add(p, "ADDR", b[1] | (uint64_t)b[2] << 32, false);
			add(p, "REFERENCE", b[3], false);
			add(p, "MASK", b[4], false);
			add(p, "POLL_INTERVAL", b[5], true);
			break;
		case AB_PM4_INDIRECT_BUFFER:
			snprintf(p->name, sizeof(p->name), "INDIRECT_BUFFER");
			if (nb != 3) {
				shape_ok = false;
				break;
			}
			add(p, "ADDR", (b[0] & 0xfffffffcu) | (uint64_t)(b[1] & 0xffffu) << 32, false);
			add(p, "IB_SIZE", b[2] & 0xfffffu, true);
			add(p, "VALID", (b[2] >> 23) & 1u, true);
			break;
		default:
			snprintf(p->name, sizeof(p->name), "unknown");
			p->unknown = true;
			add(p, "opcode", op, false);
			add(p, "header", h, false);
			break;
		}
		if (!shape_ok) {
			p->unknown = true;
			add_str(p, "reason", "body length differs from the builder's");
			add(p, "body_dwords", nb, true);
		}
		emit(o, p);
		i += (uint32_t)total;
	}
	free(p);
}

/* ---- SDMA --------------------------------------------------------------- */

static void decode_sdma(struct out *o, const uint32_t *dw, uint32_t n)
{
	struct packet *p = malloc(sizeof(*p));
	if (!p)
		return;
	uint32_t i = 0;
	while (i < n) {
		uint32_t h = dw[i], op = h & 0xffu, sub = (h >> 8) & 0xffu;
		uint64_t total;
		const uint32_t *b = dw + i;
		uint32_t left = n - i;
		if (op == AB_SDMA_OP_NOP && sub == 0) {
			/* SDMA_PKT_NOP_HEADER_count (bits 16..29): extra dwords */
			total = 1 + ((h >> 16) & 0x3fffu);
			if (total > left) {
				unknown(o, p, i, left, "NOP longer than the rest of the IB", h);
				break;
			}
			begin(p, i, (uint32_t)total, "NOP");
			if (total == 1)
				add(p, "pad", 1, true);
			else
				add(p, "dwords", total, true);
		} else if (op == AB_SDMA_OP_COPY && sub == 0) {
			total = 7;
			if (total > left) {
				unknown(o, p, i, left, "COPY_LINEAR longer than the rest of the IB", h);
				break;
			}
			begin(p, i, 7, "COPY_LINEAR");
			add(p, "BYTES", (uint64_t)(b[1] & 0x3fffffffu) + 1, true);
			add(p, "PARAMETER", b[2], false);
			add(p, "SRC", b[3] | (uint64_t)b[4] << 32, false);
			add(p, "DST", b[5] | (uint64_t)b[6] << 32, false);
		} else if (op == AB_SDMA_OP_WRITE && sub == 0) {
			if (left < 4) {
				unknown(o, p, i, left, "WRITE_LINEAR longer than the rest of the IB", h);
				break;
			}
			uint64_t ndw = (uint64_t)(b[3] & 0xfffffu) + 1;
			total = 4 + ndw;
			if (total > left) {
				unknown(o, p, i, left, "WRITE_LINEAR longer than the rest of the IB", h);
				break;
			}
			begin(p, i, (uint32_t)total, "WRITE_LINEAR");
			add(p, "DST", b[1] | (uint64_t)b[2] << 32, false);
			add(p, "DWORDS", ndw, true);
			for (uint32_t k = 0; k < ndw && k < 8; k++) {
				char key[16];
				snprintf(key, sizeof(key), "DATA%u", k);
				add(p, key, b[4 + k], false);
			}
		} else if (op == AB_SDMA_OP_FENCE && sub == 0) {
			total = 4;
			if (total > left) {
				unknown(o, p, i, left, "FENCE longer than the rest of the IB", h);
				break;
			}
			begin(p, i, 4, "FENCE");
			add(p, "MTYPE", (h >> 16) & 7u, true);
			add(p, "ADDR", b[1] | (uint64_t)b[2] << 32, false);
			add(p, "DATA", b[3], false);
		} else if (op == AB_SDMA_OP_CONST_FILL && sub == 0) {
			total = 5;
			if (total > left) {
				unknown(o, p, i, left, "CONST_FILL longer than the rest of the IB", h);
				break;
			}
			begin(p, i, 5, "CONST_FILL");
			add(p, "FILLSIZE", h >> 30, true);
			add(p, "DST", b[1] | (uint64_t)b[2] << 32, false);
			add(p, "DATA", b[3], false);
			add(p, "BYTES", (uint64_t)(b[4] & 0x3fffffffu) + 1, true);
		} else {
			/* SDMA packets carry no generic length: the rest of the
			 * IB cannot be walked past one the tables do not know. */
			unknown(o, p, i, left, "SDMA op/sub-op the library does not write; rest of "
				"the IB not decoded", h);
			break;
		}
		emit(o, p);
		i += (uint32_t)total;
	}
	free(p);
}

/* ---- records ------------------------------------------------------------ */

/* The text of a -errno read from the file, whatever number it holds. */
static const char *errno_text(int32_t r)
{
	return r < 0 && r > -4096 ? strerror(-r) : "not an errno value";
}

static const char *domain_name(uint32_t d)
{
	switch (d) {
	case AMDGPU_GEM_DOMAIN_VRAM: return "VRAM";
	case AMDGPU_GEM_DOMAIN_GTT: return "GTT";
	case AMDGPU_GEM_DOMAIN_VRAM | AMDGPU_GEM_DOMAIN_GTT: return "VRAM|GTT";
	case AMDGPU_GEM_DOMAIN_CPU: return "CPU";
	case 0: return "unknown";
	default: return "other";
	}
}

static const char *engine_name(uint32_t ip)
{
	return ip == AMDGPU_HW_IP_COMPUTE ? "compute" : ip == AMDGPU_HW_IP_DMA ? "sdma" :
	       ip == AMDGPU_HW_IP_GFX ? "gfx" : "other";
}

struct done_ref {
	const uint8_t *p;   /* struct ab_trace_done, unaligned */
};

/* The first wait for this submission's fence: the first DONE record after
 * the CS record (in file order) with the same process, context, ring and
 * sequence number.  A context id and its sequence numbers start again
 * after a context is destroyed, so an earlier record is never the one. */
static int find_done(const struct done_ref *d, size_t nd, const struct ab_trace_cs *cs,
		     const uint8_t *cs_at, struct ab_trace_done *out)
{
	for (size_t i = 0; i < nd; i++) {
		struct ab_trace_done x;
		if (d[i].p < cs_at)
			continue;
		memcpy(&x, d[i].p, sizeof(x));
		if (x.pid == cs->pid && x.ctx_id == cs->ctx_id && x.ip_type == cs->ip_type &&
		    x.ring == cs->ring && x.seq == cs->seq && x.complete_ns >= cs->submit_ns) {
			*out = x;
			return 1;
		}
	}
	return 0;
}

static void show_cs(struct out *o, const struct ab_trace_cs *cs, const uint8_t *body,
		    uint64_t index, uint64_t t0, const struct done_ref *dones, size_t nd)
{
	FILE *f = o->f;
	const uint8_t *bos = body;
	const uint8_t *notes = bos + (size_t)cs->nbos * sizeof(struct ab_trace_bo);
	const uint8_t *waits = notes + (size_t)cs->nnotes * sizeof(struct ab_trace_note);
	const uint8_t *ibp = waits + (size_t)cs->nwait * 4;
	struct ab_trace_done done;
	int has_done = cs->result == 0 && find_done(dones, nd, cs, body, &done);
	const struct ab_gfx_gen *g = ab_gfx_gen_lookup(cs->gc_major, cs->gc_minor);
	double t_sub = (double)(cs->submit_ns - t0) / 1e9;
	if (o->json) {
		fprintf(f, "%s{\"index\":%" PRIu64 ",\"pid\":%u,\"context\":%u,\"engine\":\"%s\","
			"\"ring\":%u,\"fence_seq\":%" PRIu64 ",\"result\":%d,\"submit_ns\":%" PRIu64
			",\"complete_ns\":", index ? "," : "", index, cs->pid, cs->ctx_id,
			engine_name(cs->ip_type), cs->ring, cs->seq, cs->result, cs->submit_ns);
		if (has_done)
			fprintf(f, "%" PRIu64 ",\"wait_result\":%d", done.complete_ns, done.result);
		else
			fputs("null,\"wait_result\":null", f);
		fprintf(f, ",\"gc\":\"%u.%u\",\"generation\":", cs->gc_major, cs->gc_minor);
		if (g)
			json_str(f, g->name, 16);
		else
			fputs("null", f);
		fprintf(f, ",\"ib_va\":%" PRIu64 ",\"ib_dwords\":%u,\"bo_list_object\":%s,"
			"\"signal_syncobj\":%u,\"user_fence_handle\":%u,\"wait_syncobjs\":[",
			cs->ib_va, cs->ib_dw, cs->flags & AB_TRACE_CS_BO_LIST_OBJECT ? "true" : "false",
			cs->signal_syncobj, cs->user_fence_handle);
		for (uint32_t i = 0; i < cs->nwait; i++)
			fprintf(f, "%s%u", i ? "," : "", rd32(waits + (size_t)i * 4));
		fputs("],\"bos\":[", f);
	} else {
		fprintf(f, "submission %" PRIu64 ": pid %u, context %u, %s ring %u, fence seq %" PRIu64
			", %s%s\n", index, cs->pid, cs->ctx_id, engine_name(cs->ip_type), cs->ring,
			cs->seq, cs->result ? "CS failed: " : "CS ok",
			cs->result ? errno_text(cs->result) : "");
		fprintf(f, "  submitted at +%.6f s", t_sub);
		if (has_done && done.result == 0)
			fprintf(f, ", fence seen signalled at +%.6f s (%.1f us after submit)\n",
				(double)(done.complete_ns - t0) / 1e9,
				(double)(done.complete_ns - cs->submit_ns) / 1e3);
		else if (has_done)
			fprintf(f, ", its fence wait failed at +%.6f s: %s\n",
				(double)(done.complete_ns - t0) / 1e9, errno_text(done.result));
		else
			fprintf(f, ", completion not recorded (no fence wait returned for it)\n");
		fprintf(f, "  IB at 0x%" PRIx64 ": %u dwords (%u bytes), GC %u.%u (%s tables)\n",
			cs->ib_va, cs->ib_dw, cs->ib_dw * 4, cs->gc_major, cs->gc_minor,
			g ? g->name : "no");
		if (cs->nwait || cs->signal_syncobj || cs->user_fence_handle)
			fprintf(f, "  fences: %u syncobj(s) waited, signal syncobj %u, user fence BO %u\n",
				cs->nwait, cs->signal_syncobj, cs->user_fence_handle);
		fprintf(f, "  buffers (%u%s):\n", cs->nbos,
			cs->flags & AB_TRACE_CS_BO_LIST_OBJECT ? ", as a BO list object" : "");
	}
	for (uint32_t i = 0; i < cs->nbos; i++) {
		struct ab_trace_bo b;
		memcpy(&b, bos + (size_t)i * sizeof(b), sizeof(b));
		if (o->json)
			fprintf(f, "%s{\"handle\":%u,\"gpu_va\":%" PRIu64 ",\"size\":%" PRIu64
				",\"domains\":\"%s\",\"placed\":\"%s\",\"flags\":%u}", i ? "," : "",
				b.handle, b.gpu_va, b.size, domain_name(b.domains),
				domain_name(b.actual_domain), b.flags);
		else
			fprintf(f, "    handle %-4u va 0x%012" PRIx64 " %10" PRIu64 " bytes  asked %s, "
				"placed %s\n", b.handle, b.gpu_va, b.size, domain_name(b.domains),
				domain_name(b.actual_domain));
	}
	if (o->json)
		fputs("],\"packets\":[", f);
	else
		fprintf(f, "  packets:\n");
	/* The IB: 4-byte aligned in a copy, so the decoders read dwords. */
	uint32_t *ib = malloc((size_t)cs->ib_dw * 4 + 4);
	struct notes nt = {notes, cs->nnotes, 0};
	o->first_pkt = true;
	if (ib) {
		memcpy(ib, ibp, (size_t)cs->ib_dw * 4);
		if (!g) {
			struct packet p;
			if (cs->ib_dw)
				unknown(o, &p, 0, cs->ib_dw, "no packet tables for this GC version", 0);
		} else if (cs->ip_type == AMDGPU_HW_IP_DMA) {
			decode_sdma(o, ib, cs->ib_dw);
		} else {
			decode_pm4(o, g, ib, cs->ib_dw, &nt);
		}
		free(ib);
	}
	flush_pads(o);
	if (o->json)
		fputs("]}", f);
	else
		fputc('\n', f);
}

AB_API int amdbare_trace_show(const void *data, size_t len, bool json, FILE *out,
			      amdbare_trace_summary *summary)
{
	amdbare_trace_summary local;
	if (!summary)
		summary = &local;
	memset(summary, 0, sizeof(*summary));
	if (!out || (!data && len))
		return ab_set_error(EINVAL, "trace show: NULL output or data");
	struct out o = {out, json, summary, true, 0, 0};
	const uint8_t *d = data;
	int err = 0;
	char why[160] = "";
	if (len < AB_TRACE_FILE_HEAD || memcmp(d, AB_TRACE_MAGIC, 8) != 0) {
		snprintf(why, sizeof(why), "not an amdbare trace (no \"%s\" header in the first %u "
			 "bytes)", AB_TRACE_MAGIC, AB_TRACE_FILE_HEAD);
		err = EINVAL;
	} else if (rd32(d + 8) != AB_TRACE_VERSION) {
		snprintf(why, sizeof(why), "trace version %u; this decoder reads version %u",
			 rd32(d + 8), AB_TRACE_VERSION);
		err = EINVAL;
	}
	/* First pass: the records' bounds, the DONE records, the first time. */
	struct done_ref *dones = NULL;
	size_t nd = 0, cap = 0;
	uint64_t t0 = UINT64_MAX;
	size_t end = 0, pos = AB_TRACE_FILE_HEAD; /* end: after the last record that is whole */
	while (!err && pos < len) {
		struct ab_trace_rec_head h;
		if (len - pos < sizeof(h)) {
			snprintf(why, sizeof(why), "offset %zu: %zu bytes left, less than a record head",
				 pos, len - pos);
			err = EINVAL;
			break;
		}
		memcpy(&h, d + pos, sizeof(h));
		if (h.bytes < sizeof(h) || h.bytes % 4 || h.bytes > AB_TRACE_MAX_RECORD ||
		    h.bytes > len - pos) {
			snprintf(why, sizeof(why), "offset %zu: record of %u bytes (%zu left in the file)",
				 pos, h.bytes, len - pos);
			err = EINVAL;
			break;
		}
		const uint8_t *body = d + pos + sizeof(h);
		size_t blen = h.bytes - sizeof(h);
		if (h.type == AB_TRACE_REC_DONE && blen >= sizeof(struct ab_trace_done)) {
			if (nd == cap) {
				size_t nc = cap ? cap * 2 : 64;
				struct done_ref *nr = realloc(dones, nc * sizeof(*nr));
				if (!nr) {
					free(dones);
					return ab_set_error(ENOMEM, "trace show: out of memory");
				}
				dones = nr;
				cap = nc;
			}
			dones[nd++].p = body;
		} else if (h.type == AB_TRACE_REC_CS && blen >= sizeof(struct ab_trace_cs)) {
			struct ab_trace_cs cs;
			memcpy(&cs, body, sizeof(cs));
			if (cs.submit_ns < t0)
				t0 = cs.submit_ns;
		}
		pos += h.bytes;
		end = pos;
	}
	if (t0 == UINT64_MAX)
		t0 = 0;

	if (json)
		fputs("{\"submissions\":[", out);
	pos = AB_TRACE_FILE_HEAD;
	uint64_t index = 0;
	while (pos < end) {
		struct ab_trace_rec_head h;
		memcpy(&h, d + pos, sizeof(h));
		const uint8_t *body = d + pos + sizeof(h);
		size_t blen = h.bytes - sizeof(h);
		if (h.type == AB_TRACE_REC_CS) {
			struct ab_trace_cs cs;
			uint64_t need = sizeof(cs);
			if (blen >= sizeof(cs)) {
				memcpy(&cs, body, sizeof(cs));
				need += (uint64_t)cs.nbos * sizeof(struct ab_trace_bo) +
					(uint64_t)cs.nnotes * sizeof(struct ab_trace_note) +
					(uint64_t)cs.nwait * 4 + (uint64_t)cs.ib_dw * 4;
			}
			if (blen < sizeof(cs) || need != blen || cs.submit_ns < t0) {
				snprintf(why, sizeof(why), "offset %zu: submission record of %u bytes "
					 "does not hold the counts it states", pos, h.bytes);
				err = EINVAL;
				break;
			}
			summary->submissions++;
			show_cs(&o, &cs, body + sizeof(cs), index++, t0, dones, nd);
		} else if (h.type == AB_TRACE_REC_DONE) {
			if (blen != sizeof(struct ab_trace_done)) {
				snprintf(why, sizeof(why), "offset %zu: completion record of %u bytes",
					 pos, h.bytes);
				err = EINVAL;
				break;
			}
			summary->fence_waits++;
		} else {
			snprintf(why, sizeof(why), "offset %zu: record type %u is not one this decoder "
				 "knows", pos, h.type);
			err = EINVAL;
			break;
		}
		pos += h.bytes;
	}
	free(dones);
	if (json) {
		fprintf(out, "],\"summary\":{\"submissions\":%" PRIu64 ",\"fence_waits\":%" PRIu64
			",\"packets\":%" PRIu64 ",\"unknown_packets\":%" PRIu64 ",\"dispatches\":%"
			PRIu64 ",\"named_dispatches\":%" PRIu64 "},\"error\":",
			summary->submissions, summary->fence_waits, summary->packets,
			summary->unknown_packets, summary->dispatches, summary->named_dispatches);
		if (err)
			json_str(out, why, sizeof(why));
		else
			fputs("null", out);
		fputs("}\n", out);
	} else {
		fprintf(out, "%" PRIu64 " submissions, %" PRIu64 " fence_waits, %" PRIu64
			" packets (%" PRIu64 " unknown), %" PRIu64 " dispatches (%" PRIu64
			" with a kernel name)\n", summary->submissions, summary->fence_waits,
			summary->packets, summary->unknown_packets, summary->dispatches,
			summary->named_dispatches);
	}
	if (err)
		return ab_set_error(err, "trace: %s", why);
	return 0;
}
