/*
 * gfx10.3 (RDNA2) mnemonics onto the shader core's semantics.
 *
 * The decoder (tools/vgpu/isa, isa_decode_gen(ISA_GEN_GFX103, ...)) gives
 * the gfx10.3 mnemonic as llvm-objdump-19 --mcpu=gfx1030 prints it.  Where
 * an instruction behaves as a gfx11 one that only has another name (the
 * RDNA3 ISA renamed the memory instructions by type, s_andn2 to
 * s_and_not1, v_ffbh_u32 to v_clz_i32_u32, ...), the core runs it through
 * the gfx11 name's semantics: this file maps the name, nothing more.  No
 * encoding table is shared; the semantic code is.  A name with no gfx11
 * counterpart stays as it is and reaches the family's resolver, which
 * either knows it (a few gfx10.3-only forms are resolved there) or gives
 * the illegal-instruction fault naming it.
 *
 * Renames from LLVM's AMDGPU tables (the gfx11 "Renamed" aliases of
 * SOPInstructions.td, SMInstructions.td, DSInstructions.td,
 * FLATInstructions.td, BUFInstructions.td, VOP1/2/3Instructions.td).
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

struct rename {
	const char *from, *to;
};

/* Whole-name renames (after the _e32/_e64/_sdwa/_dpp suffix is gone). */
static const struct rename names[] = {
	/* SOP */
	{ "s_andn2_b32", "s_and_not1_b32" }, { "s_andn2_b64", "s_and_not1_b64" },
	{ "s_orn2_b32", "s_or_not1_b32" }, { "s_orn2_b64", "s_or_not1_b64" },
	{ "s_andn2_saveexec_b32", "s_and_not1_saveexec_b32" },
	{ "s_andn2_saveexec_b64", "s_and_not1_saveexec_b64" },
	{ "s_orn2_saveexec_b32", "s_or_not1_saveexec_b32" },
	{ "s_orn2_saveexec_b64", "s_or_not1_saveexec_b64" },
	{ "s_andn1_saveexec_b32", "s_and_not0_saveexec_b32" },
	{ "s_andn1_saveexec_b64", "s_and_not0_saveexec_b64" },
	{ "s_orn1_saveexec_b32", "s_or_not0_saveexec_b32" },
	{ "s_orn1_saveexec_b64", "s_or_not0_saveexec_b64" },
	{ "s_andn1_wrexec_b32", "s_and_not0_wrexec_b32" },
	{ "s_andn1_wrexec_b64", "s_and_not0_wrexec_b64" },
	{ "s_andn2_wrexec_b32", "s_and_not1_wrexec_b32" },
	{ "s_andn2_wrexec_b64", "s_and_not1_wrexec_b64" },
	{ "s_ff1_i32_b32", "s_ctz_i32_b32" }, { "s_ff1_i32_b64", "s_ctz_i32_b64" },
	{ "s_flbit_i32_b32", "s_clz_i32_u32" }, { "s_flbit_i32_b64", "s_clz_i32_u64" },
	{ "s_flbit_i32", "s_cls_i32" }, { "s_flbit_i32_i64", "s_cls_i32_i64" },
	{ "s_inst_prefetch", "s_set_inst_prefetch_distance" },
	/* SMEM */
	{ "s_load_dword", "s_load_b32" }, { "s_load_dwordx2", "s_load_b64" },
	{ "s_load_dwordx4", "s_load_b128" }, { "s_load_dwordx8", "s_load_b256" },
	{ "s_load_dwordx16", "s_load_b512" },
	{ "s_buffer_load_dword", "s_buffer_load_b32" },
	{ "s_buffer_load_dwordx2", "s_buffer_load_b64" },
	{ "s_buffer_load_dwordx4", "s_buffer_load_b128" },
	{ "s_buffer_load_dwordx8", "s_buffer_load_b256" },
	{ "s_buffer_load_dwordx16", "s_buffer_load_b512" },
	/* VALU */
	{ "v_ffbh_u32", "v_clz_i32_u32" }, { "v_ffbl_b32", "v_ctz_i32_b32" },
	{ "v_ffbh_i32", "v_cls_i32" },
	{ "v_cvt_pkrtz_f16_f32", "v_cvt_pk_rtz_f16_f32" },
	{ "v_cvt_pknorm_i16_f32", "v_cvt_pk_norm_i16_f32" },
	{ "v_cvt_pknorm_u16_f32", "v_cvt_pk_norm_u16_f32" },
	{ "v_cvt_pknorm_i16_f16", "v_cvt_pk_norm_i16_f16" },
	{ "v_cvt_pknorm_u16_f16", "v_cvt_pk_norm_u16_f16" },
	{ "v_mul_legacy_f32", "v_mul_dx9_zero_f32" },
	{ "v_fma_legacy_f32", "v_fma_dx9_zero_f32" },
	{ "v_fmac_legacy_f32", "v_fmac_dx9_zero_f32" },
	{ "v_dot2c_f32_f16", "v_dot2acc_f32_f16" },
	{ "v_cvt_rpi_i32_f32", "v_cvt_nearest_i32_f32" },
	{ "v_cvt_flr_i32_f32", "v_cvt_floor_i32_f32" },
	/* GLOBAL */
	{ "global_load_dword_addtid", "global_load_addtid_b32" },
	{ "global_store_dword_addtid", "global_store_addtid_b32" },
	/* DS */
	{ "ds_write_b8", "ds_store_b8" }, { "ds_write_b16", "ds_store_b16" },
	{ "ds_write_b32", "ds_store_b32" }, { "ds_write_b64", "ds_store_b64" },
	{ "ds_write_b96", "ds_store_b96" }, { "ds_write_b128", "ds_store_b128" },
	{ "ds_write_b8_d16_hi", "ds_store_b8_d16_hi" },
	{ "ds_write_b16_d16_hi", "ds_store_b16_d16_hi" },
	{ "ds_write2_b32", "ds_store_2addr_b32" }, { "ds_write2_b64", "ds_store_2addr_b64" },
	{ "ds_write2st64_b32", "ds_store_2addr_stride64_b32" },
	{ "ds_write2st64_b64", "ds_store_2addr_stride64_b64" },
	{ "ds_read_u8", "ds_load_u8" }, { "ds_read_i8", "ds_load_i8" },
	{ "ds_read_u16", "ds_load_u16" }, { "ds_read_i16", "ds_load_i16" },
	{ "ds_read_b32", "ds_load_b32" }, { "ds_read_b64", "ds_load_b64" },
	{ "ds_read_b96", "ds_load_b96" }, { "ds_read_b128", "ds_load_b128" },
	{ "ds_read_u8_d16", "ds_load_u8_d16" }, { "ds_read_u8_d16_hi", "ds_load_u8_d16_hi" },
	{ "ds_read_i8_d16", "ds_load_i8_d16" }, { "ds_read_i8_d16_hi", "ds_load_i8_d16_hi" },
	{ "ds_read_u16_d16", "ds_load_u16_d16" }, { "ds_read_u16_d16_hi", "ds_load_u16_d16_hi" },
	{ "ds_read2_b32", "ds_load_2addr_b32" }, { "ds_read2_b64", "ds_load_2addr_b64" },
	{ "ds_read2st64_b32", "ds_load_2addr_stride64_b32" },
	{ "ds_read2st64_b64", "ds_load_2addr_stride64_b64" },
	{ "ds_read_addtid_b32", "ds_load_addtid_b32" },
	{ "ds_write_addtid_b32", "ds_store_addtid_b32" },
	{ "ds_wrxchg_rtn_b32", "ds_storexchg_rtn_b32" }, { "ds_wrxchg_rtn_b64", "ds_storexchg_rtn_b64" },
	{ "ds_wrxchg2_rtn_b32", "ds_storexchg_2addr_rtn_b32" },
	{ "ds_wrxchg2_rtn_b64", "ds_storexchg_2addr_rtn_b64" },
	{ "ds_wrxchg2st64_rtn_b32", "ds_storexchg_2addr_stride64_rtn_b32" },
	{ "ds_wrxchg2st64_rtn_b64", "ds_storexchg_2addr_stride64_rtn_b64" },
	{ "ds_cmpst_b32", "ds_cmpstore_b32" }, { "ds_cmpst_b64", "ds_cmpstore_b64" },
	{ "ds_cmpst_f32", "ds_cmpstore_f32" }, { "ds_cmpst_f64", "ds_cmpstore_f64" },
	{ "ds_cmpst_rtn_b32", "ds_cmpstore_rtn_b32" }, { "ds_cmpst_rtn_b64", "ds_cmpstore_rtn_b64" },
	{ "ds_cmpst_rtn_f32", "ds_cmpstore_rtn_f32" }, { "ds_cmpst_rtn_f64", "ds_cmpstore_rtn_f64" },
};

/* Memory-access suffixes of GLOBAL/FLAT/scratch/MUBUF loads and stores
 * (after "<family>_load_" / "<family>_store_"). */
static const struct rename mem_types[] = {
	{ "dword", "b32" }, { "dwordx2", "b64" }, { "dwordx3", "b96" }, { "dwordx4", "b128" },
	{ "ubyte", "u8" }, { "sbyte", "i8" }, { "ushort", "u16" }, { "sshort", "i16" },
	{ "byte", "b8" }, { "short", "b16" },
	{ "ubyte_d16", "d16_u8" }, { "ubyte_d16_hi", "d16_hi_u8" },
	{ "sbyte_d16", "d16_i8" }, { "sbyte_d16_hi", "d16_hi_i8" },
	{ "short_d16", "d16_b16" }, { "short_d16_hi", "d16_hi_b16" },
	{ "byte_d16_hi", "d16_hi_b8" },
};

/* Atomic operations (after "<family>_atomic_"): 32-bit and _x2 forms. */
static const struct rename atomics[] = {
	{ "swap", "swap_b32" }, { "cmpswap", "cmpswap_b32" }, { "add", "add_u32" },
	{ "sub", "sub_u32" }, { "smin", "min_i32" }, { "umin", "min_u32" },
	{ "smax", "max_i32" }, { "umax", "max_u32" }, { "and", "and_b32" },
	{ "or", "or_b32" }, { "xor", "xor_b32" }, { "inc", "inc_u32" }, { "dec", "dec_u32" },
	{ "fcmpswap", "cmpswap_f32" }, { "fmin", "min_f32" }, { "fmax", "max_f32" },
	{ "csub", "csub_u32" },
	{ "swap_x2", "swap_b64" }, { "cmpswap_x2", "cmpswap_b64" }, { "add_x2", "add_u64" },
	{ "sub_x2", "sub_u64" }, { "smin_x2", "min_i64" }, { "umin_x2", "min_u64" },
	{ "smax_x2", "max_i64" }, { "umax_x2", "max_u64" }, { "and_x2", "and_b64" },
	{ "or_x2", "or_b64" }, { "xor_x2", "xor_b64" }, { "inc_x2", "inc_u64" },
	{ "dec_x2", "dec_u64" }, { "fcmpswap_x2", "cmpswap_f64" }, { "fmin_x2", "min_f64" },
	{ "fmax_x2", "max_f64" },
};

static const char *lookup(const struct rename *t, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].from, s))
			return t[i].to;
	return NULL;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* "<family>_<kind>_<rest>" with family global/flat/scratch/buffer and
 * kind load/store/atomic: the gfx11 name, or false if it is not one. */
static bool mem_name(const char *n, char *out, size_t cap)
{
	static const char *const fams[] = { "global_", "flat_", "scratch_", "buffer_" };
	for (size_t f = 0; f < COUNT(fams); f++) {
		size_t fl = strlen(fams[f]);
		if (strncmp(n, fams[f], fl))
			continue;
		const char *k = n + fl, *to = NULL;
		const char *kind = NULL;
		if (!strncmp(k, "load_", 5)) {
			kind = "load_";
			to = lookup(mem_types, COUNT(mem_types), k + 5);
		} else if (!strncmp(k, "store_", 6)) {
			kind = "store_";
			to = lookup(mem_types, COUNT(mem_types), k + 6);
		} else if (!strncmp(k, "atomic_", 7)) {
			kind = "atomic_";
			to = lookup(atomics, COUNT(atomics), k + 7);
		}
		if (!to)
			return false;
		snprintf(out, cap, "%s%s%s", fams[f], kind, to);
		return true;
	}
	return false;
}

void shader_gfx103_base_name(struct shader_icache_entry *e)
{
	char *b = e->base;
	size_t n = strlen(b);
	/* the SDWA and DPP forms: the operation of the plain name, with the
	 * source/destination selects (inst.sdwa) or the lane shuffle
	 * (inst.dpp) that the VALU applies */
	if (n > 5 && !strcmp(b + n - 5, "_sdwa"))
		b[n - 5] = 0;
	else if (n > 4 && !strcmp(b + n - 4, "_dpp"))
		b[n - 4] = 0;
	n = strlen(b);
	if (n > 4 && (!strcmp(b + n - 4, "_e32") || !strcmp(b + n - 4, "_e64")))
		b[n - 4] = 0;
	char out[sizeof(e->base)];
	const char *to = lookup(names, COUNT(names), b);
	const char *fd16 = strstr(b, "_format_d16_");
	if (to) {
		snprintf(b, sizeof(e->base), "%s", to);
	} else if (mem_name(b, out, sizeof(out))) {
		snprintf(b, sizeof(e->base), "%s", out);
	} else if (fd16 && (!strncmp(b, "buffer_", 7) || !strncmp(b, "tbuffer_", 8))) {
		/* the typed d16 forms: gfx10's <load|store>_format_d16_[hi_]x..
		 * is gfx11's <load|store>_d16_[hi_]format_x.. */
		const char *rest = fd16 + 12;
		bool hi = !strncmp(rest, "hi_", 3);
		snprintf(out, sizeof(out), "%.*s_d16_%sformat_%s", (int)(fd16 - b), b,
			 hi ? "hi_" : "", hi ? rest + 3 : rest);
		snprintf(b, sizeof(e->base), "%s", out);
	}
	/* gfx10's ds_cmpst_* take DATA0 = the compare value, DATA1 = the new
	 * value; gfx11's ds_cmpstore_* the reverse (ds.c reads gfx11's order):
	 * swap the roles of the two operands in the cached copy. */
	if (!strncmp(e->inst.desc->name, "ds_cmpst_", 9)) {
		for (unsigned i = 0; i < e->inst.nops; i++) {
			if (e->inst.ops[i].field == ISA_FLD_DATA0)
				e->inst.ops[i].field = ISA_FLD_DATA1;
			else if (e->inst.ops[i].field == ISA_FLD_DATA1)
				e->inst.ops[i].field = ISA_FLD_DATA0;
		}
	}
}

/* SDWA selects (SDWA_SEL_*): 0..3 BYTE_0..3, 4..5 WORD_0..1, 6 DWORD. */
uint32_t shader_sdwa_select(uint32_t v, uint8_t sel, bool sext)
{
	if (sel < 4) {
		uint32_t b = (v >> (8 * sel)) & 0xffu;
		return sext ? (uint32_t)(int32_t)(int8_t)b : b;
	}
	if (sel < 6) {
		uint32_t h = (v >> (16 * (sel - 4))) & 0xffffu;
		return sext ? (uint32_t)(int32_t)(int16_t)h : h;
	}
	return v;
}

/* The SDWA destination: the result's low byte/word at dst_sel; the other
 * bits 0 (UNUSED_PAD), the field's sign above it and 0 below
 * (UNUSED_SEXT), or the register's old bits (UNUSED_PRESERVE). */
uint32_t shader_sdwa_place(uint32_t res, uint32_t old, uint8_t sel, uint8_t unused)
{
	if (sel >= 6)
		return res;
	unsigned bits = sel < 4 ? 8 : 16, sh = sel < 4 ? 8u * sel : 16u * (sel - 4u);
	uint32_t fmask = (bits == 8 ? 0xffu : 0xffffu) << sh;
	uint32_t v = (res << sh) & fmask;
	switch (unused) {
	case 1: /* UNUSED_SEXT */
		if (sh + bits < 32 && ((res >> (bits - 1)) & 1))
			v |= ~0u << (sh + bits);
		return v;
	case 2: /* UNUSED_PRESERVE */
		return v | (old & ~fmask);
	default: /* UNUSED_PAD */
		return v;
	}
}
