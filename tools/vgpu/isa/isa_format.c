/* LLVM-style text for a decoded gfx11, gfx10.3 or gfx9 instruction (what llvm-objdump-19
 * prints, so tests/test_isa_llvm.sh can compare the two line by line). */
#include <errno.h>
#include <string.h>

#include "isa_table.h"
#include "isa_table_gfx103.h"

struct out {
	char *buf;
	size_t cap, len;
};

static void put(struct out *o, const char *s)
{
	for (; *s; s++, o->len++)
		if (o->len + 1 < o->cap)
			o->buf[o->len] = *s;
}

static void put_u(struct out *o, unsigned long long v)
{
	char t[24];
	int i = 23;
	t[i] = 0;
	do {
		t[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(o, t + i);
}

static void put_d(struct out *o, long long v)
{
	if (v < 0) {
		put(o, "-");
		put_u(o, (unsigned long long)(-v));
	} else {
		put_u(o, (unsigned long long)v);
	}
}

static void put_x(struct out *o, unsigned long long v)
{
	char t[24];
	int i = 23;
	t[i] = 0;
	do {
		t[--i] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	put(o, "0x");
	put(o, t + i);
}

/* Signed hex: "-0x10" */
static void put_sx(struct out *o, long long v)
{
	if (v < 0) {
		put(o, "-");
		v = -v;
	}
	put_x(o, (unsigned long long)v);
}

static void put_range(struct out *o, const char *p, unsigned first, unsigned n)
{
	put(o, p);
	if (n == 1) {
		put_u(o, first);
		return;
	}
	put(o, "[");
	put_u(o, first);
	put(o, ":");
	put_u(o, first + n - 1);
	put(o, "]");
}

static void put_sreg(struct out *o, unsigned code, unsigned bits)
{
	unsigned n = bits > 32 ? bits / 32 : 1;
	if (code < 106) {
		put_range(o, "s", code, n);
	} else if (code >= 108 && code <= 123) {
		put_range(o, "ttmp", code - 108, n);
	} else if (n > 1) {
		put(o, code == 106 ? "vcc" : code == 126 ? "exec" : "null");
	} else {
		static const char *const names[] = {
			"vcc_lo", "vcc_hi", NULL, NULL, NULL, NULL, NULL, NULL,
			NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
			"null", "m0", "exec_lo", "exec_hi"};
		put(o, names[code - 106]);
	}
}

/* gfx9's flat_scratch (102:103) and xnack_mask (104:105), by name as
 * llvm-objdump-19 --mcpu=gfx900 prints them */
static void put_sreg_gfx9(struct out *o, unsigned code, unsigned bits)
{
	static const char *const names[] = {"flat_scratch_lo", "flat_scratch_hi",
					    "xnack_mask_lo", "xnack_mask_hi"};
	if (bits == 64 && !(code & 1))
		put(o, code == 102 ? "flat_scratch" : "xnack_mask");
	else if (bits <= 32)
		put(o, names[code - 102]);
	else
		put_range(o, "s", code, bits / 32);
}

static const char *const fconst[9] = {"0.5", "-0.5", "1.0", "-1.0", "2.0",
				      "-2.0", "4.0", "-4.0", "0.15915494"};
static const uint32_t f32c[9] = {0x3f000000, 0xbf000000, 0x3f800000,
				 0xbf800000, 0x40000000, 0xc0000000,
				 0x40800000, 0xc0800000, 0x3e22f983};
static const uint16_t f16c[9] = {0x3800, 0xb800, 0x3c00, 0xbc00, 0x4000,
				 0xc000, 0x4400, 0xc400, 0x3118};
static const uint32_t f64h[8] = {0x3fe00000, 0xbfe00000, 0x3ff00000,
				 0xbff00000, 0x40000000, 0xc0000000,
				 0x40100000, 0xc0100000};

static int find32(const uint32_t *t, unsigned n, uint32_t v)
{
	for (unsigned i = 0; i < n; i++)
		if (t[i] == v)
			return (int)i;
	return -1;
}

static int find16(uint32_t v)
{
	for (unsigned i = 0; i < 9; i++)
		if (f16c[i] == v)
			return (int)i;
	return -1;
}

/* A trailing literal prints as the constant it equals when it equals one
 * (llvm-objdump does so); the rules per class were found by probing. */
static void put_literal(struct out *o, uint8_t lit, uint32_t v)
{
	int32_t s = (int32_t)v;
	int i;
	switch (lit) {
	case ISA_LIT_16F: {
		int16_t h = (int16_t)(v & 0xffff);
		if (h >= -16 && h <= 64) { put_d(o, h); return; }
		if ((i = find16(v & 0xffff)) >= 0) { put(o, fconst[i]); return; }
		put_x(o, v & 0xffff);
		return;
	}
	case ISA_LIT_16I:
		if (s >= -16 && s <= 64) { put_d(o, s); return; }
		if ((i = find32(f32c, 9, v)) >= 0) { put(o, fconst[i]); return; }
		put_x(o, v & 0xffff);
		return;
	case ISA_LIT_32H:
		if (s >= -16 && s <= 64) { put_d(o, s); return; }
		if ((i = find16(v)) >= 0) { put(o, fconst[i]); return; }
		put_x(o, v);
		return;
	case ISA_LIT_64F:
		if (v == 0) { put(o, "0"); return; }
		if ((i = find32(f64h, 8, v)) >= 0) { put(o, fconst[i]); return; }
		put_x(o, v);
		return;
	case ISA_LIT_64I:
		if (v <= 64) { put_u(o, v); return; }
		put_x(o, v);
		return;
	case ISA_LIT_32X:
		put_x(o, v);
		return;
	case ISA_LIT_16X:
		put_x(o, v & 0xffff);
		return;
	case ISA_LIT_32I:
		if (s >= -16 && s <= 64) { put_d(o, s); return; }
		put_x(o, v);
		return;
	default: /* ISA_LIT_32F */
		if (s >= -16 && s <= 64) { put_d(o, s); return; }
		if ((i = find32(f32c, 9, v)) >= 0) { put(o, fconst[i]); return; }
		put_x(o, v);
		return;
	}
}

static void put_special(struct out *o, unsigned code)
{
	switch (code) {
	case 235: put(o, "src_shared_base"); break;
	case 236: put(o, "src_shared_limit"); break;
	case 237: put(o, "src_private_base"); break;
	case 238: put(o, "src_private_limit"); break;
	case 239: put(o, "src_pops_exiting_wave_id"); break;
	case 251: put(o, "src_vccz"); break;
	case 252: put(o, "src_execz"); break;
	case 254: put(o, "src_lds_direct"); break;
	default: put(o, "src_scc"); break;
	}
}

/* s_waitcnt: gfx11 vmcnt 15:10, expcnt 2:0, lgkmcnt 9:4; gfx10.3 vmcnt
 * 3:0 and 15:14, expcnt 6:4, lgkmcnt 13:8; gfx9 as gfx10.3 with lgkmcnt
 * 11:8 (4 bits) */
static void put_waitcnt(struct out *o, unsigned v, uint8_t gen)
{
	unsigned vm = (v >> 10) & 63, exp = v & 7, lgkm = (v >> 4) & 63, lgkm_max = 63;
	if (gen != ISA_GEN_GFX11) {
		vm = (v & 15) | ((v >> 14) & 3) << 4;
		exp = (v >> 4) & 7;
		lgkm = (v >> 8) & 63;
	}
	if (gen == ISA_GEN_GFX9) {
		lgkm = (v >> 8) & 15;
		lgkm_max = 15;
	}
	int any = 0;
	if (vm != 63) { put(o, "vmcnt("); put_u(o, vm); put(o, ")"); any = 1; }
	if (exp != 7) { put(o, any ? " " : ""); put(o, "expcnt("); put_u(o, exp); put(o, ")"); any = 1; }
	if (lgkm != lgkm_max) { put(o, any ? " " : ""); put(o, "lgkmcnt("); put_u(o, lgkm); put(o, ")"); any = 1; }
	if (!any) {
		put(o, "vmcnt(63) expcnt(7) lgkmcnt(");
		put_u(o, lgkm_max);
		put(o, ")");
	}
}

static void put_dep(struct out *o, unsigned id)
{
	static const char *const n[] = {
		"NO_DEP", "VALU_DEP_1", "VALU_DEP_2", "VALU_DEP_3", "VALU_DEP_4",
		"TRANS32_DEP_1", "TRANS32_DEP_2", "TRANS32_DEP_3",
		"FMA_ACCUM_CYCLE_1", "SALU_CYCLE_1", "SALU_CYCLE_2",
		"SALU_CYCLE_3"};
	put(o, id < 12 ? n[id] : "/* invalid instid value */");
}

/* s_delay_alu: instid0 [3:0], instskip [6:4], instid1 [10:7]; the bits
 * above are ignored; zero fields are not printed. */
static void put_delay_alu(struct out *o, unsigned v)
{
	unsigned id0 = v & 15, skip = (v >> 4) & 7, id1 = (v >> 7) & 15;
	static const char *const sk[] = {"SAME", "NEXT", "SKIP_1", "SKIP_2",
					 "SKIP_3", "SKIP_4"};
	int any = 0;
	if (id0) { put(o, "instid0("); put_dep(o, id0); put(o, ")"); any = 1; }
	if (skip) {
		put(o, any ? " | " : "");
		put(o, "instskip(");
		put(o, skip < 6 ? sk[skip] : "/* invalid instskip value */");
		put(o, ")");
		any = 1;
	}
	if (id1) { put(o, any ? " | " : ""); put(o, "instid1("); put_dep(o, id1); put(o, ")"); any = 1; }
	if (!any)
		put(o, "0");
}

/* s_sendmsg: message id in bits 7:0.  Known ids print by name whatever
 * the upper byte holds; other ids print as (id, 0, 0) when the upper
 * byte is zero, else the whole value in decimal (llvm-objdump-19). */
/* gfx10.3 s_sendmsg: message id 3:0, operation 6:4, stream 9:8 (LLVM's
 * pre-gfx11 layout).  By name when id, operation and stream are valid
 * for the message (other bits are then ignored); else (id, op, stream)
 * when those fields hold the whole value; else the value in decimal. */
static void put_sendmsg_gfx103(struct out *o, unsigned v, uint8_t gen)
{
	static const char *const msgs[16] = {
		NULL, "MSG_INTERRUPT", "MSG_GS", "MSG_GS_DONE", "MSG_SAVEWAVE",
		"MSG_STALL_WAVE_GEN", "MSG_HALT_WAVES", "MSG_ORDERED_PS_DONE",
		"MSG_EARLY_PRIM_DEALLOC", "MSG_GS_ALLOC_REQ", "MSG_GET_DOORBELL",
		"MSG_GET_DDID", NULL, NULL, NULL, "MSG_SYSMSG"};
	static const char *const gsop[4] = {"GS_OP_NOP", "GS_OP_CUT", "GS_OP_EMIT",
					    "GS_OP_EMIT_CUT"};
	static const char *const sysop[5] = {NULL, "SYSMSG_OP_ECC_ERR_INTERRUPT",
					     "SYSMSG_OP_REG_RD", "SYSMSG_OP_HOST_TRAP_ACK",
					     "SYSMSG_OP_TTRACE_PC"};
	unsigned id = v & 15, op = (v >> 4) & 7, st = (v >> 8) & 3;
	int gs = id == 2 || id == 3, sys = id == 15;
	int fields_only = (v & ~0x37fu) == 0;
	/* gfx9: no MSG_GET_DDID */
	int ok = msgs[id] != NULL && !(gen == ISA_GEN_GFX9 && id == 11);   /* bits outside the fields: ignored */
	if (ok && gs)
		ok = op <= 3 && (op != 0 || id == 3) && (op != 0 || st == 0);
	else if (ok && sys)
		ok = op >= 1 && op <= 4 && op != 3 && st == 0;
	else if (ok)
		ok = op == 0 && st == 0;
	if (ok) {
		put(o, "sendmsg(");
		put(o, msgs[id]);
		if (gs || sys) {
			put(o, ", ");
			put(o, gs ? gsop[op] : sysop[op]);
		}
		if (gs && op != 0) {
			put(o, ", ");
			put_u(o, st);
		}
		put(o, ")");
		return;
	}
	if (fields_only) {
		put(o, "sendmsg(");
		put_u(o, id);
		put(o, ", ");
		put_u(o, op);
		put(o, ", ");
		put_u(o, st);
		put(o, ")");
		return;
	}
	put_u(o, v);
}

static void put_sendmsg(struct out *o, unsigned v)
{
	static const struct { uint8_t id; const char *name; } msgs[] = {
		{1, "MSG_INTERRUPT"}, {2, "MSG_HS_TESSFACTOR"},
		{3, "MSG_DEALLOC_VGPRS"}, {5, "MSG_STALL_WAVE_GEN"},
		{6, "MSG_HALT_WAVES"}, {9, "MSG_GS_ALLOC_REQ"},
		{128, "MSG_RTN_GET_DOORBELL"}, {129, "MSG_RTN_GET_DDID"},
		{130, "MSG_RTN_GET_TMA"}, {131, "MSG_RTN_GET_REALTIME"},
		{132, "MSG_RTN_SAVE_WAVE"}, {133, "MSG_RTN_GET_TBA"},
		{134, "MSG_RTN_GET_TBA_TO_PC"},
	};
	for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
		if (msgs[i].id == (v & 0xff)) {
			put(o, "sendmsg(");
			put(o, msgs[i].name);
			put(o, ")");
			return;
		}
	}
	if (v < 256) {
		put(o, "sendmsg(");
		put_u(o, v);
		put(o, ", 0, 0)");
		return;
	}
	put_u(o, v);
}

/* s_waitcnt_depctr as llvm-objdump-19 prints it for gfx11: hex when a
 * bit outside the named fields (6:5) is set; otherwise the fields that
 * differ from their "no wait" value (all ones), in llvm's order, or every
 * field when none differs. */
static void put_depctr(struct out *o, unsigned v)
{
	static const struct { const char *name; unsigned shift, width; } f[] = {
		{ "hold_cnt", 7, 1 }, { "sa_sdst", 0, 1 }, { "va_vdst", 12, 4 },
		{ "va_sdst", 9, 3 }, { "va_ssrc", 8, 1 }, { "va_vcc", 1, 1 },
		{ "vm_vsrc", 2, 3 },
	};
	if (v & 0x60) {
		put_x(o, v);
		return;
	}
	int all = (v & 0xffffu) == 0xff9fu, first = 1;
	for (unsigned i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		unsigned m = (1u << f[i].width) - 1, x = (v >> f[i].shift) & m;
		if (x == m && !all)
			continue;
		if (!first)
			put(o, " ");
		first = 0;
		put(o, "depctr_");
		put(o, f[i].name);
		put(o, "(");
		put_u(o, x);
		put(o, ")");
	}
}

/* MTBUF format:[BUF_FMT_*] (gfx11 unified formats, LLVM's names);
 * nothing for 1 (BUF_FMT_8_UNORM, the default), the number above 63 */
/* gfx10.3's unified formats (LLVM's UfmtGFX10 names), 0..77 */
static void put_buf_format_gfx103(struct out *o, unsigned f)
{
	static const char *const nf[] = { "UNORM", "SNORM", "USCALED", "SSCALED", "UINT", "SINT",
					   "FLOAT" };
	static const struct { uint8_t first, last; const char *size; uint8_t nf0; } g[] = {
		{0, 0, "INVALID", 255}, {1, 6, "8", 0}, {7, 13, "16", 0}, {14, 19, "8_8", 0},
		{20, 22, "32", 4}, {23, 29, "16_16", 0}, {30, 35, "10_11_11", 0},
		{36, 36, "10_11_11_FLOAT", 255}, {37, 42, "11_11_10", 0},
		{43, 43, "11_11_10_FLOAT", 255}, {44, 49, "10_10_10_2", 0},
		{50, 55, "2_10_10_10", 0}, {56, 61, "8_8_8_8", 0}, {62, 64, "32_32", 4},
		{65, 71, "16_16_16_16", 0}, {72, 74, "32_32_32", 4}, {75, 77, "32_32_32_32", 4},
	};
	if (f == 1)
		return;
	put(o, " format:");
	for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) {
		if (f < g[i].first || f > g[i].last)
			continue;
		put(o, "[BUF_FMT_");
		put(o, g[i].size);
		if (g[i].nf0 != 255) {
			put(o, "_");
			put(o, nf[g[i].nf0 + f - g[i].first]);
		}
		put(o, "]");
		return;
	}
	put_u(o, f);
}

static void put_buf_format(struct out *o, unsigned f)
{
	static const char *const nf[] = { "UNORM", "SNORM", "USCALED", "SSCALED", "UINT", "SINT",
					   "FLOAT" };
	static const struct { uint8_t first, last; const char *size; uint8_t nf0; } g[] = {
		{0, 0, "INVALID", 255}, {1, 6, "8", 0}, {7, 13, "16", 0}, {14, 19, "8_8", 0},
		{20, 22, "32", 4}, {23, 29, "16_16", 0}, {30, 30, "10_11_11_FLOAT", 255},
		{31, 31, "11_11_10_FLOAT", 255}, {32, 33, "10_10_10_2", 0},
		{34, 35, "10_10_10_2", 4}, {36, 41, "2_10_10_10", 0}, {42, 47, "8_8_8_8", 0},
		{48, 50, "32_32", 4}, {51, 57, "16_16_16_16", 0}, {58, 60, "32_32_32", 4},
		{61, 63, "32_32_32_32", 4},
	};
	if (f == 1)
		return;
	put(o, " format:");
	if (f > 63) {
		put_u(o, f);
		return;
	}
	for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) {
		if (f < g[i].first || f > g[i].last)
			continue;
		put(o, "[BUF_FMT_");
		put(o, g[i].size);
		if (g[i].nf0 != 255) {
			put(o, "_");
			put(o, nf[g[i].nf0 + f - g[i].first]);
		}
		put(o, "]");
		return;
	}
}

/* gfx9 MTBUF: format:[BUF_DATA_FORMAT_*,BUF_NUM_FORMAT_*] from dfmt (bits
 * 3:0 of format) and nfmt (6:4), each left out at its default (dfmt 1,
 * nfmt 0), nothing when both are (llvm-objdump-19 --mcpu=gfx900) */
static void put_buf_format_gfx9(struct out *o, unsigned f)
{
	static const char *const df[16] = {
		"INVALID", "8", "16", "8_8", "32", "16_16", "10_11_11", "11_11_10",
		"10_10_10_2", "2_10_10_10", "8_8_8_8", "32_32", "16_16_16_16", "32_32_32",
		"32_32_32_32", "RESERVED_15"};
	static const char *const nf[8] = {"UNORM", "SNORM", "USCALED", "SSCALED", "UINT",
					  "SINT", "RESERVED_6", "FLOAT"};
	unsigned d = f & 15, n = (f >> 4) & 7;
	if (d == 1 && n == 0)
		return;
	put(o, " format:[");
	if (d != 1) {
		put(o, "BUF_DATA_FORMAT_");
		put(o, df[d]);
	}
	if (n != 0) {
		put(o, d != 1 ? ",BUF_NUM_FORMAT_" : "BUF_NUM_FORMAT_");
		put(o, nf[n]);
	}
	put(o, "]");
}

/* hwreg(id[, offset, size]) as llvm-objdump-19 prints it for gfx11: the
 * register's name where gfx11 has one, the bare id otherwise; offset
 * and size only when not the whole register (0, 32). */
static void put_hwreg(struct out *o, unsigned v, uint8_t gen)
{
	/* gfx10.3's registers (llvm-objdump-19 --mcpu=gfx1030 names) */
	static const struct { uint8_t id; const char *name; } regs103[] = {
		{1, "HW_REG_MODE"}, {2, "HW_REG_STATUS"}, {3, "HW_REG_TRAPSTS"},
		{5, "HW_REG_GPR_ALLOC"}, {6, "HW_REG_LDS_ALLOC"}, {7, "HW_REG_IB_STS"},
		{15, "HW_REG_SH_MEM_BASES"}, {16, "HW_REG_TBA_LO"}, {17, "HW_REG_TBA_HI"},
		{18, "HW_REG_TMA_LO"}, {19, "HW_REG_TMA_HI"}, {20, "HW_REG_FLAT_SCR_LO"},
		{21, "HW_REG_FLAT_SCR_HI"}, {23, "HW_REG_HW_ID1"}, {24, "HW_REG_HW_ID2"},
		{25, "HW_REG_POPS_PACKER"}, {29, "HW_REG_SHADER_CYCLES"},
	};
	/* gfx9's (llvm-objdump-19 --mcpu=gfx900 names) */
	static const struct { uint8_t id; const char *name; } regs9[] = {
		{1, "HW_REG_MODE"}, {2, "HW_REG_STATUS"}, {3, "HW_REG_TRAPSTS"},
		{4, "HW_REG_HW_ID"}, {5, "HW_REG_GPR_ALLOC"}, {6, "HW_REG_LDS_ALLOC"},
		{7, "HW_REG_IB_STS"}, {15, "HW_REG_SH_MEM_BASES"}, {16, "HW_REG_TBA_LO"},
		{17, "HW_REG_TBA_HI"}, {18, "HW_REG_TMA_LO"}, {19, "HW_REG_TMA_HI"},
	};
	static const struct { uint8_t id; const char *name; } regs[] = {
		{1, "HW_REG_MODE"}, {2, "HW_REG_STATUS"}, {3, "HW_REG_TRAPSTS"},
		{5, "HW_REG_GPR_ALLOC"}, {6, "HW_REG_LDS_ALLOC"}, {7, "HW_REG_IB_STS"},
		{15, "HW_REG_SH_MEM_BASES"}, {18, "HW_REG_PERF_SNAPSHOT_PC_LO"},
		{19, "HW_REG_PERF_SNAPSHOT_PC_HI"}, {20, "HW_REG_FLAT_SCR_LO"},
		{21, "HW_REG_FLAT_SCR_HI"}, {23, "HW_REG_HW_ID1"}, {24, "HW_REG_HW_ID2"},
		{27, "HW_REG_PERF_SNAPSHOT_DATA"}, {29, "HW_REG_SHADER_CYCLES"},
	};
	unsigned id = v & 0x3f, off = (v >> 6) & 0x1f, size = ((v >> 11) & 0x1f) + 1;
	put(o, "hwreg(");
	const char *name = NULL;
	if (gen == ISA_GEN_GFX103) {
		for (size_t i = 0; i < sizeof regs103 / sizeof regs103[0]; i++)
			if (regs103[i].id == id)
				name = regs103[i].name;
	} else if (gen == ISA_GEN_GFX9) {
		for (size_t i = 0; i < sizeof regs9 / sizeof regs9[0]; i++)
			if (regs9[i].id == id)
				name = regs9[i].name;
	} else {
		for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++)
			if (regs[i].id == id)
				name = regs[i].name;
	}
	if (name)
		put(o, name);
	else
		put_u(o, id);
	if (off != 0 || size != 32) {
		put(o, ", ");
		put_u(o, off);
		put(o, ", ");
		put_u(o, size);
	}
	put(o, ")");
}

/* s_version: the gfx version code (bits 7:0) by name where LLVM has one,
 * OR-ed with the W64/W32/MDP bits (13, 14, 15) as nested expressions;
 * any other bit set: the plain hex value (LLVM's decodeVersionImm). */
static void put_version(struct out *o, unsigned v)
{
	if (v & 0x1f00) {
		put_x(o, v);
		return;
	}
	static const char *const bits[] = {"UC_VERSION_W64_BIT", "UC_VERSION_W32_BIT",
					   "UC_VERSION_MDP_BIT"};
	unsigned nbits = 0;
	for (unsigned i = 0; i < 3; i++)
		nbits += (v >> (13 + i)) & 1;
	for (unsigned i = 1; i < nbits; i++)
		put(o, "(");
	const char *name = NULL;
	switch (v & 0xff) {
	case 0: name = "UC_VERSION_GFX7"; break;
	case 4: name = "UC_VERSION_GFX10"; break;
	case 6: name = "UC_VERSION_GFX11"; break;
	case 9: name = "UC_VERSION_GFX12"; break;
	default: break;
	}
	if (name)
		put(o, name);
	else
		put_u(o, v & 0xff);
	unsigned done = 0;
	for (unsigned i = 0; i < 3; i++) {
		if (!((v >> (13 + i)) & 1))
			continue;
		put(o, "|");
		put(o, bits[i]);
		if (++done < nbits)
			put(o, ")");
	}
}

/* ds_swizzle_b32's offset (LLVM's printSwizzle): nothing for 0;
 * swizzle(QUAD_PERM,...) for 0x80xx; for bit 15 clear the SWAP, REVERSE
 * and BROADCAST shorthands of the and/or/xor masks where they apply,
 * else BITMASK_PERM with one of 0 1 p i per lane-id bit (4 to 0); any
 * other value in decimal. */
static void put_swizzle(struct out *o, unsigned v)
{
	if (v == 0)
		return;
	put(o, " offset:");
	if ((v & 0xff00) == 0x8000) {
		put(o, "swizzle(QUAD_PERM");
		for (unsigned i = 0; i < 4; i++) {
			put(o, ",");
			put_u(o, (v >> (2 * i)) & 3);
		}
		put(o, ")");
		return;
	}
	if (v & 0x8000) {
		put_u(o, v);
		return;
	}
	unsigned and_m = v & 0x1f, or_m = (v >> 5) & 0x1f, xor_m = (v >> 10) & 0x1f;
	if (and_m == 0x1f && or_m == 0 && xor_m && !(xor_m & (xor_m - 1))) {
		put(o, "swizzle(SWAP,");
		put_u(o, xor_m);
		put(o, ")");
		return;
	}
	if (and_m == 0x1f && or_m == 0 && xor_m && !((xor_m + 1) & xor_m)) {
		put(o, "swizzle(REVERSE,");
		put_u(o, xor_m + 1);
		put(o, ")");
		return;
	}
	unsigned group = 0x1f - and_m + 1;
	if (group > 1 && !(group & (group - 1)) && or_m < group && xor_m == 0) {
		put(o, "swizzle(BROADCAST,");
		put_u(o, group);
		put(o, ",");
		put_u(o, or_m);
		put(o, ")");
		return;
	}
	put(o, "swizzle(BITMASK_PERM,\"");
	unsigned p0 = or_m ^ xor_m, p1 = ((0x1f & and_m) | or_m) ^ xor_m;
	for (unsigned m = 0x10; m; m >>= 1) {
		unsigned a = p0 & m, b = p1 & m;
		put(o, a == b ? (a ? "1" : "0") : (a ? "i" : "p"));
	}
	put(o, "\")");
}

static void put_simm(struct out *o, uint8_t kind, unsigned v, uint8_t gen)
{
	switch (kind) {
	case ISA_SIMM_HEX_SMALLDEC:
		if (v <= 64) put_u(o, v); else put_x(o, v);
		return;
	case ISA_SIMM_HEX:
		put_x(o, v);
		return;
	case ISA_SIMM_WAITCNT: put_waitcnt(o, v, gen); return;
	case ISA_SIMM_DELAY_ALU: put_delay_alu(o, v); return;
	case ISA_SIMM_SENDMSG:
		if (gen != ISA_GEN_GFX11)
			put_sendmsg_gfx103(o, v, gen);
		else
			put_sendmsg(o, v);
		return;
	case ISA_SIMM_DEPCTR: put_depctr(o, v); return;
	case ISA_SIMM_HWREG: put_hwreg(o, v, gen); return;
	case ISA_SIMM_VERSION: put_version(o, v); return;
	case ISA_SIMM_GPR_IDX:
		/* gfx9 s_set_gpr_idx_on: the mode bits by name, else hex */
		if (v > 15) {
			put_x(o, v);
			return;
		}
		put(o, "gpr_idx(");
		for (unsigned b = 0, n = 0; b < 4; b++)
			if ((v >> b) & 1) {
				put(o, n++ ? "," : "");
				put(o, (const char *const[]){"SRC0", "SRC1", "SRC2", "DST"}[b]);
			}
		put(o, ")");
		return;
	default: put_u(o, v); return;
	}
}

static void put_operand(struct out *o, const struct isa_inst *in,
			const struct isa_operand *op)
{
	uint32_t fl = in->desc->flags;
	int mix = in->enc == ISA_ENC_VOP3P;   /* ops carry neg/abs only for fma_mix */
	int neg = op->neg && (in->dpp || in->sdwa || (fl & ISA_OPF_NEG_PRINT));
	int abs = op->abs && (in->dpp || in->sdwa ||
			      (fl & (mix ? ISA_OPF_NEGHI_PRINT : ISA_OPF_ABS_PRINT)));
	if (op->sext) put(o, "sext(");
	/* A negated constant without abs prints as neg(c), so that "-1"
	 * is never mistaken for the constant -1. */
	int negfn = neg && !abs && (op->kind == ISA_OPK_INLINE || op->kind == ISA_OPK_LITERAL);
	if (negfn) put(o, "neg(");
	else if (neg) put(o, "-");
	if (abs) put(o, "|");
	switch (op->kind) {
	case ISA_OPK_SREG:
		if (in->gen == ISA_GEN_GFX9 && op->reg >= 102 && op->reg < 106)
			put_sreg_gfx9(o, op->reg, op->bits);
		else
			put_sreg(o, op->reg, op->bits);
		break;
	case ISA_OPK_VGPR: put_range(o, "v", op->reg, op->bits > 32 ? op->bits / 32 : 1); break;
	case ISA_OPK_AGPR: put_range(o, "a", op->reg, op->bits > 32 ? op->bits / 32 : 1); break;
	case ISA_OPK_OFF: put(o, "off"); break;
	case ISA_OPK_SPECIAL: put_special(o, op->code); break;
	case ISA_OPK_INLINE:
		if (op->code <= 208)
			put_d(o, op->code <= 192 ? (int)op->code - 128 : 192 - (int)op->code);
		else if (op->lit == ISA_LIT_16I)
			put_x(o, op->value);   /* integer 16-bit: the f16 bits */
		else if (op->code == 248 && (op->lit == ISA_LIT_64F || op->lit == ISA_LIT_64I))
			put(o, "0.15915494309189532");
		else
			put(o, fconst[op->code - 240]);
		break;
	case ISA_OPK_LITERAL: put_literal(o, op->lit, in->literal); break;
	case ISA_OPK_IMM: put_simm(o, op->lit, (unsigned)op->value, in->gen); break;
	default: put(o, "?"); break;
	}
	if (abs) put(o, "|");
	if (negfn) put(o, ")");
	if (op->sext) put(o, ")");
}

static void put_dpp_ctrl(struct out *o, unsigned c);

/* The DPP8/DPP16 modifiers (VOP1/VOP2/VOPC and VOP3-DPP). */
static void put_dpp(struct out *o, const struct isa_inst *in)
{
	if (in->dpp == 8) {
		put(o, " dpp8:[");
		for (unsigned i = 0; i < 8; i++) {
			put(o, i ? "," : "");
			put_u(o, (in->dpp8_sel >> (3 * i)) & 7);
		}
		put(o, "]");
		if (in->fi) put(o, " fi:1");
	} else if (in->dpp == 16) {
		if (in->gen == ISA_GEN_GFX9 && (in->dpp_ctrl & ~0xfu) == 0x150) {
			/* gfx90a's row_newbcast (gfx10's row_share code) */
			put(o, " row_newbcast:");
			put_u(o, in->dpp_ctrl & 15);
		} else {
			put_dpp_ctrl(o, in->dpp_ctrl);
		}
		put(o, " row_mask:");
		put_x(o, in->row_mask);
		put(o, " bank_mask:");
		put_x(o, in->bank_mask);
		if (in->bound_ctrl) put(o, " bound_ctrl:1");
		if (in->fi) put(o, " fi:1");
	}
}

static void put_dpp_ctrl(struct out *o, unsigned c)
{
	if (c <= 0xff) {
		put(o, " quad_perm:[");
		for (unsigned i = 0; i < 4; i++) {
			put(o, i ? "," : "");
			put_u(o, (c >> (2 * i)) & 3);
		}
		put(o, "]");
		return;
	}
	static const struct { unsigned base; const char *name; } r[] = {
		{0x100, " row_shl:"}, {0x110, " row_shr:"}, {0x120, " row_ror:"},
		{0x150, " row_share:"}, {0x160, " row_xmask:"}};
	if (c == 0x140) { put(o, " row_mirror"); return; }
	/* gfx9 only (the decoder refuses them elsewhere) */
	if (c == 0x130) { put(o, " wave_shl:1"); return; }
	if (c == 0x134) { put(o, " wave_rol:1"); return; }
	if (c == 0x138) { put(o, " wave_shr:1"); return; }
	if (c == 0x13c) { put(o, " wave_ror:1"); return; }
	if (c == 0x142) { put(o, " row_bcast:15"); return; }
	if (c == 0x143) { put(o, " row_bcast:31"); return; }
	if (c == 0x141) { put(o, " row_half_mirror"); return; }
	for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
		if ((c & ~0xfu) == r[i].base) {
			put(o, r[i].name);
			put_u(o, c & 15);
			return;
		}
	}
}

/* gfx10.3 SDWA: clamp, omod, then the selects (dst_sel and dst_unused
 * not for VOPC; src1_sel only with a second source) */
static void put_sdwa(struct out *o, const struct isa_inst *in)
{
	static const char *const sel[7] = {"BYTE_0", "BYTE_1", "BYTE_2", "BYTE_3",
					   "WORD_0", "WORD_1", "DWORD"};
	static const char *const unused[3] = {"UNUSED_PAD", "UNUSED_SEXT", "UNUSED_PRESERVE"};
	static const char *const om[] = {"", " mul:2", " mul:4", " div:2"};
	int src1 = 0;
	for (unsigned i = 0; i < in->nops; i++)
		if (in->ops[i].field == ISA_FLD_VSRC1)
			src1 = 1;
	if (in->clamp) put(o, " clamp");
	put(o, om[in->omod & 3]);
	if (in->enc != ISA_ENC_VOPC) {
		put(o, " dst_sel:");
		put(o, sel[in->dst_sel % 7]);
		put(o, " dst_unused:");
		put(o, unused[in->dst_unused % 3]);
	}
	put(o, " src0_sel:");
	put(o, sel[in->src0_sel % 7]);
	if (src1) {
		put(o, " src1_sel:");
		put(o, sel[in->src1_sel % 7]);
	}
}

/* " name[b0,b1,...]" with n entries */
static void put_bits(struct out *o, const char *name, unsigned bits, unsigned n)
{
	put(o, name);
	for (unsigned i = 0; i < n; i++) {
		put(o, i ? "," : "");
		put(o, (bits >> i) & 1 ? "1" : "0");
	}
	put(o, "]");
}

static void put_mods(struct out *o, const struct isa_inst *in)
{
	const struct isa_opdesc *d = in->desc;
	switch (in->enc) {
	case ISA_ENC_VOP3:
		if (in->opsel && (d->flags & ISA_OPF_OPSEL_FI_BC)) {
			put(o, in->opsel & 1 ? " op_sel:[1," : " op_sel:[0,");
			put(o, in->opsel & 2 ? "1]" : "0]");
		} else if (in->opsel && (d->flags & ISA_OPF_OPSEL_PRINT)) {
			/* one entry per source, then the destination */
			put(o, " op_sel:[");
			for (unsigned i = 0, n = 0; i < in->nops; i++) {
				uint8_t fl = in->ops[i].field;
				if (fl < ISA_FLD_SRC0 || fl > ISA_FLD_SRC2)
					continue;
				put(o, n++ ? "," : "");
				put(o, (in->opsel >> (fl - ISA_FLD_SRC0)) & 1 ? "1" : "0");
			}
			put(o, in->opsel & 8 ? ",1]" : ",0]");
		}
		if (in->clamp && (d->flags & ISA_OPF_CLAMP_PRINT)) put(o, " clamp");
		if (in->omod && (d->flags & ISA_OPF_OMOD_PRINT)) {
			static const char *const om[] = {"", " mul:2", " mul:4", " div:2"};
			put(o, om[in->omod]);
		}
		put_dpp(o, in);   /* VOP3-DPP */
		break;
	case ISA_ENC_MUBUF: case ISA_ENC_MTBUF:
		if (in->enc == ISA_ENC_MTBUF && in->gen == ISA_GEN_GFX103)
			put_buf_format_gfx103(o, in->format);
		else if (in->enc == ISA_ENC_MTBUF && in->gen == ISA_GEN_GFX9)
			put_buf_format_gfx9(o, in->format);
		else if (in->enc == ISA_ENC_MTBUF)
			put_buf_format(o, in->format);
		if (in->idxen) put(o, " idxen");
		if (in->offen) put(o, " offen");
		if (in->offset) { put(o, " offset:"); put_u(o, (unsigned)in->offset); }
		/* gfx9 buffer_store_lds_dword: lds is part of its syntax and
		 * comes before the cache bits */
		int lds_first = in->lds && !strcmp(d->name, "buffer_store_lds_dword");
		if (lds_first) put(o, " lds");
		if (in->glc) put(o, " glc");
		if (in->slc) put(o, " slc");
		if (in->dlc) put(o, " dlc");
		if (in->scc) put(o, " scc");
		if (in->tfe) put(o, " tfe");
		if (in->lds && !lds_first) put(o, " lds");
		break;
	case ISA_ENC_VOP1: case ISA_ENC_VOP2: case ISA_ENC_VOPC:
		put_dpp(o, in);
		if (in->sdwa)
			put_sdwa(o, in);
		break;
	case ISA_ENC_VOP3P: {
		if (in->mai) {   /* gfx90a MFMA */
			if (in->cbsz) { put(o, " cbsz:"); put_u(o, in->cbsz); }
			if (in->abid) { put(o, " abid:"); put_u(o, in->abid); }
			if (in->blgp) { put(o, " blgp:"); put_u(o, in->blgp); }
			break;
		}
		unsigned srcmask = 0, n = 0;
		for (unsigned i = 0; i < in->nops; i++) {
			uint8_t fl = in->ops[i].field;
			if (fl >= ISA_FLD_SRC0 && fl <= ISA_FLD_SRC2)
				srcmask |= 1u << (fl - ISA_FLD_SRC0), n++;
		}
		unsigned hi_default = (d->flags & ISA_OPF_OPSELHI_DEF0) ? 0 : srcmask;
		if (in->opsel && (d->flags & ISA_OPF_OPSEL_PRINT))
			put_bits(o, " op_sel:[", in->opsel, n);
		if ((in->opsel_hi & srcmask) != hi_default && (d->flags & ISA_OPF_OPSELHI_PRINT))
			put_bits(o, " op_sel_hi:[", in->opsel_hi, n);
		if (!(d->flags & ISA_OPF_OPSELHI_DEF0)) {
			if (in->neg_lo && (d->flags & ISA_OPF_NEG_PRINT))
				put_bits(o, " neg_lo:[", in->neg_lo, n);
			if (in->neg_hi && (d->flags & ISA_OPF_NEGHI_PRINT))
				put_bits(o, " neg_hi:[", in->neg_hi, n);
		}
		if (in->clamp && (d->flags & ISA_OPF_CLAMP_PRINT)) put(o, " clamp");
		put_dpp(o, in);   /* VOP3P-DPP */
		break;
	}
	case ISA_ENC_SMEM:
		if (in->glc) put(o, " glc");
		if (in->dlc) put(o, " dlc");
		break;
	case ISA_ENC_DS:
		if (d->flags & ISA_OPF_DS_SWIZZLE) {
			put_swizzle(o, (unsigned)in->offset);
		} else if (d->flags & ISA_OPF_DS_2OFF) {
			if (in->offset0) { put(o, " offset0:"); put_u(o, in->offset0); }
			if (in->offset1) { put(o, " offset1:"); put_u(o, in->offset1); }
		} else if (in->offset) {
			put(o, " offset:");
			put_u(o, (unsigned)in->offset);
		}
		if (in->gds) put(o, " gds");
		break;
	case ISA_ENC_FLAT: case ISA_ENC_SCRATCH: case ISA_ENC_GLOBAL:
		if (in->offset) {
			put(o, " offset:");
			/* flat: 12-bit unsigned; global/scratch: 13-bit signed */
			put_d(o, in->enc == ISA_ENC_FLAT ? in->offset & 0x1fff : in->offset);
		}
		if (in->glc) put(o, " glc");
		if (in->slc) put(o, " slc");
		if (in->dlc) put(o, " dlc");
		if (in->scc) put(o, " scc");
		if (in->lds) put(o, " lds");
		break;
	default:
		break;
	}
}

/* MIMG: vdata, vaddr (a range, or [v, v, ...] with NSA), srsrc, then
 * dmask dim unorm glc slc dlc r128 a16 tfe lwe d16, as LLVM's gfx11 asm
 * string orders them */
static void put_mimg(struct out *o, const struct isa_inst *in)
{
	static const char *const dims[8] = {"1D", "2D", "3D", "CUBE", "1D_ARRAY", "2D_ARRAY",
					    "2D_MSAA", "2D_MSAA_ARRAY"};
	put(o, in->desc->name);
	put(o, " ");
	put_operand(o, in, &in->ops[0]);
	put(o, ", ");
	if (in->gen == ISA_GEN_GFX9) {
		/* gfx9 (LLVM's gfx6-9 asm string): vdata, vaddr, srsrc[, ssamp]
		 * dmask unorm glc slc scc (gfx90a) a16 tfe lwe da d16; no dim */
		for (unsigned i = 1; i < in->nops; i++) {
			put(o, i > 1 ? ", " : "");
			put_operand(o, in, &in->ops[i]);
		}
		if (in->dmask) {
			put(o, " dmask:");
			put_x(o, in->dmask);
		}
		if (in->unorm) put(o, " unorm");
		if (in->glc) put(o, " glc");
		if (in->slc) put(o, " slc");
		if (in->scc) put(o, " scc");   /* gfx90a */
		if (in->a16) put(o, " a16");
		if (in->tfe) put(o, " tfe");
		if (in->lwe) put(o, " lwe");
		if (in->da) put(o, " da");
		if (in->d16) put(o, " d16");
		return;
	}
	unsigned n = in->ops[1].bits / 32;
	if (in->nsa && n > 1) {
		put(o, "[");
		for (unsigned i = 0; i < n; i++) {
			put(o, i ? ", v" : "v");
			put_u(o, in->nsa_reg[i]);
		}
		put(o, "]");
	} else {
		put_operand(o, in, &in->ops[1]);
	}
	put(o, ", ");
	put_operand(o, in, &in->ops[2]);
	if (in->dmask) {
		put(o, " dmask:");
		put_x(o, in->dmask);
	}
	put(o, " dim:SQ_RSRC_IMG_");
	put(o, dims[in->dim & 7]);
	if (in->unorm) put(o, " unorm");
	if (in->glc) put(o, " glc");
	if (in->slc) put(o, " slc");
	if (in->dlc) put(o, " dlc");
	if (in->r128) put(o, " r128");
	if (in->a16) put(o, " a16");
	if (in->tfe) put(o, " tfe");
	if (in->lwe) put(o, " lwe");
	if (in->d16) put(o, " d16");
}

/* gfx9 graphics: EXP (target, four sources or off, done compr vm),
 * VINTRP and VOP3 v_interp_* (vdst, source or parameter, attrN.c[,
 * source], high clamp omod), as llvm-objdump-19 --mcpu=gfx900 prints them */
static void put_graphics_gfx9(struct out *o, const struct isa_inst *in)
{
	put(o, in->desc->name);
	put(o, " ");
	if (in->enc == ISA_ENC_EXP) {
		unsigned t = in->exp_target;
		if (t < 8) { put(o, "mrt"); put_u(o, t); }
		else if (t == 8) put(o, "mrtz");
		else if (t == 9) put(o, "null");
		else if (t >= 12 && t < 16) { put(o, "pos"); put_u(o, t - 12); }
		else if (t >= 32) { put(o, "param"); put_u(o, t - 32); }
		else { put(o, "invalid_target_"); put_u(o, t); }
		for (unsigned i = 0; i < 4; i++) {
			put(o, i ? ", " : " ");
			put_operand(o, in, &in->ops[i]);
		}
		if (in->done) put(o, " done");
		if (in->compr) put(o, " compr");
		if (in->vm) put(o, " vm");
		return;
	}
	static const char *const params[3] = {"p10", "p20", "p0"};
	put_operand(o, in, &in->ops[0]);
	put(o, ", ");
	if (in->ops[1].kind == ISA_OPK_IMM) {
		unsigned p = (unsigned)in->ops[1].value;
		if (p < 3) {
			put(o, params[p]);
		} else {
			put(o, "invalid_param_");
			put_u(o, p);
		}
	} else {
		put_operand(o, in, &in->ops[1]);
	}
	put(o, ", attr");
	put_u(o, in->attr);
	put(o, ".");
	put(o, (const char *[]){"x", "y", "z", "w"}[in->attr_chan & 3]);
	if (in->nops > 3) {
		put(o, ", ");
		put_operand(o, in, &in->ops[3]);
	}
	if (in->high) put(o, " high");
	if (in->clamp) put(o, " clamp");
	if (in->omod) put(o, (const char *[]){"", " mul:2", " mul:4", " div:2"}[in->omod & 3]);
}

/* Mnemonic and operands of one table entry (VOPD prints two). */
static void put_inst(struct out *o, const struct isa_inst *in,
		     const struct isa_opdesc *d, const struct isa_operand *ops,
		     unsigned nops)
{
	if (in->dpp && (in->enc == ISA_ENC_VOP3 || in->enc == ISA_ENC_VOP3P)) {
		/* VOP3(P)-DPP: <name>_e64_dpp */
		size_t n = strlen(d->name);
		put(o, d->name);
		if (n < 4 || strcmp(d->name + n - 4, "_e64"))
			put(o, "_e64");
		put(o, "_dpp");
	} else if (in->sdwa || (in->dpp && !d->dpp_name)) {
		/* gfx10.3 SDWA: <e32 name without _e32>_sdwa; gfx90a's DP ALU
		 * DPP forms (no table DPP name): <e32 name without _e32>_dpp */
		size_t n = strlen(d->name);
		if (n > 4 && !strcmp(d->name + n - 4, "_e32"))
			n -= 4;
		for (size_t i = 0; i < n; i++) {
			char c[2] = {d->name[i], 0};
			put(o, c);
		}
		put(o, in->sdwa ? "_sdwa" : "_dpp");
	} else {
		put(o, in->dpp && d->dpp_name ? d->dpp_name : d->name);
	}
	unsigned printed = 0;
	for (unsigned i = 0; i < nops; i++) {
		const struct isa_operand *op = &ops[i];
		if (op->field == ISA_FLD_SIMM16 && in->enc == ISA_ENC_SOPP &&
		    op->value == 0 && !strcmp(d->name, "s_endpgm"))
			continue;   /* "s_endpgm", not "s_endpgm 0" */
		put(o, printed ? ", " : " ");
		printed++;
		if (in->enc == ISA_ENC_SMEM && op->field == ISA_FLD_SOFFSET) {
			/* soffset null prints the offset alone (or null; gfx9:
			 * the offset alone, even 0) */
			if (op->reg == 124) {
				if (in->offset || in->gen == ISA_GEN_GFX9) put_sx(o, in->offset);
				else put(o, "null");
				continue;
			}
			put_operand(o, in, op);
			/* gfx9: with imm and soe the offset prints even when 0 */
			if (in->offset || (in->gen == ISA_GEN_GFX9 && ((in->words[0] >> 17) & 1))) {
				put(o, " offset:");
				put_sx(o, in->offset);
			}
			continue;
		}
		if ((in->enc == ISA_ENC_GLOBAL || in->enc == ISA_ENC_SCRATCH) &&
		    op->field == ISA_FLD_SADDR && op->reg == 124) {
			put(o, "off");
			continue;
		}
		put_operand(o, in, op);
	}
}

int isa_format(const struct isa_inst *in, char *buf, size_t cap)
{
	struct out o = {buf, cap, 0};
	if (!in || !in->desc || (!buf && cap))
		return -EINVAL;
	if (in->gen == ISA_GEN_GFX9 && (in->enc == ISA_ENC_EXP || in->enc == ISA_ENC_VINTRP ||
					(in->enc == ISA_ENC_VOP3 && !strncmp(in->desc->name, "v_interp_", 9)))) {
		put_graphics_gfx9(&o, in);
		if (cap)
			buf[o.len < cap ? o.len : cap - 1] = 0;
		return (int)o.len;
	}
	if (in->enc == ISA_ENC_MIMG) {
		put_mimg(&o, in);
		if (cap)
			buf[o.len < cap ? o.len : cap - 1] = 0;
		return (int)o.len;
	}
	put_inst(&o, in, in->desc, in->ops, in->nops);   /* (DPP: dpp_name) */
	if (in->enc == ISA_ENC_VOPD && in->desc_y) {
		put(&o, " :: ");
		put_inst(&o, in, in->desc_y, in->ops_y, in->nops_y);
	}
	put_mods(&o, in);
	if (cap)
		buf[o.len < cap ? o.len : cap - 1] = 0;
	return (int)o.len;
}

/* A lane-mask operand: one bit per lane, an SGPR pair in wave64. */
static int is_lanemask(const struct isa_inst *in, const struct isa_opdesc *d,
		       const struct isa_operand *op)
{
	if (op->kind != ISA_OPK_SREG || op->bits != 32)
		return 0;
	switch (op->field) {
	case ISA_FLD_VCC: case ISA_FLD_SDST3:
		return 1;
	case ISA_FLD_VDST_SGPR:
		return !strncmp(d->name, "v_cmp", 5);   /* not v_readlane's */
	default:
		return op->lanemask || (in->sdwa && in->enc == ISA_ENC_VOPC &&
					op->field == ISA_FLD_VCC);
	}
}

int isa_format_wave64(const struct isa_inst *in, char *buf, size_t cap)
{
	struct isa_inst w;
	if (!in || !in->desc)
		return -EINVAL;
	w = *in;
	for (unsigned i = 0; i < w.nops; i++) {
		struct isa_operand *op = &w.ops[i];
		if (!is_lanemask(in, in->desc, op))
			continue;
		struct isa_operand wide = *op;
		wide.bits = 64;
		if (isa_decode_sreg(&wide, op->reg) == 0)
			*op = wide;
	}
	return isa_format(&w, buf, cap);
}
