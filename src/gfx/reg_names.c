/*
 * Register names for decoders (see gfx/reg_names.h).  The offsets are the
 * generation table's own fields, so a name can never point at another
 * offset than the one the builders write.  Field positions: K:
 * drivers/gpu/drm/amd/include/asic_reg/gc/gc_11_0_0_sh_mask.h (the same
 * positions on every GC 10/11 part for the fields listed here).
 */
#include "reg_names.h"

#include <stdio.h>
#include <string.h>

static const struct ab_gfx_reg_field no_fields[] = {{NULL, 0, 0}};

/* COMPUTE_PGM_RSRC1__*__SHIFT / _MASK */
static const struct ab_gfx_reg_field rsrc1_fields[] = {
	{"VGPRS", 0, 6}, {"SGPRS", 6, 4}, {"PRIORITY", 10, 2}, {"FLOAT_MODE", 12, 8},
	{"PRIV", 20, 1}, {"DX10_CLAMP", 21, 1}, {"IEEE_MODE", 23, 1}, {"BULKY", 24, 1},
	{"FP16_OVFL", 26, 1}, {"WGP_MODE", 29, 1}, {"MEM_ORDERED", 30, 1},
	{"FWD_PROGRESS", 31, 1}, {NULL, 0, 0}};
/* COMPUTE_PGM_RSRC2__*__SHIFT / _MASK */
static const struct ab_gfx_reg_field rsrc2_fields[] = {
	{"SCRATCH_EN", 0, 1}, {"USER_SGPR", 1, 5}, {"TRAP_PRESENT", 6, 1},
	{"TGID_X_EN", 7, 1}, {"TGID_Y_EN", 8, 1}, {"TGID_Z_EN", 9, 1}, {"TG_SIZE_EN", 10, 1},
	{"TIDIG_COMP_CNT", 11, 2}, {"EXCP_EN_MSB", 13, 2}, {"LDS_SIZE", 15, 9},
	{"EXCP_EN", 24, 7}, {NULL, 0, 0}};
/* COMPUTE_PGM_RSRC3__SHARED_VGPR_CNT, __INST_PREF_SIZE */
static const struct ab_gfx_reg_field rsrc3_fields[] = {
	{"SHARED_VGPR_CNT", 0, 4}, {"INST_PREF_SIZE", 4, 6}, {NULL, 0, 0}};
/* COMPUTE_TMPRING_SIZE__WAVES (0, 12 bits), __WAVESIZE (12, 15 bits, 256-byte units) */
static const struct ab_gfx_reg_field tmpring_fields[] = {
	{"WAVES", 0, 12}, {"WAVESIZE", 12, 15}, {NULL, 0, 0}};
/* COMPUTE_NUM_THREAD_X__NUM_THREAD_FULL / __NUM_THREAD_PARTIAL */
static const struct ab_gfx_reg_field num_thread_fields[] = {
	{"NUM_THREAD_FULL", 0, 16}, {"NUM_THREAD_PARTIAL", 16, 16}, {NULL, 0, 0}};
/* COMPUTE_DISPATCH_INITIATOR__* */
static const struct ab_gfx_reg_field initiator_fields[] = {
	{"COMPUTE_SHADER_EN", 0, 1}, {"PARTIAL_TG_EN", 1, 1}, {"FORCE_START_AT_000", 2, 1},
	{"ORDERED_APPEND_ENBL", 3, 1}, {"USE_THREAD_DIMENSIONS", 5, 1}, {"ORDER_MODE", 6, 1},
	{"SCALAR_L1_INV_VOL", 10, 1}, {"VECTOR_L1_INV_VOL", 11, 1}, {"TUNNEL_ENABLE", 13, 1},
	{"RESTORE", 14, 1}, {"CS_W32_EN", 15, 1}, {NULL, 0, 0}};
/* COMPUTE_RESOURCE_LIMITS__WAVES_PER_SH, __TG_PER_CU, __LOCK_THRESHOLD, ... */
static const struct ab_gfx_reg_field limits_fields[] = {
	{"WAVES_PER_SH", 0, 10}, {"TG_PER_CU", 12, 4}, {"LOCK_THRESHOLD", 16, 6},
	{"SIMD_DEST_CNTL", 22, 1}, {"FORCE_SIMD_DIST", 23, 1}, {"CU_GROUP_COUNT", 24, 3},
	{NULL, 0, 0}};

struct reg_row {
	size_t field;       /* offsetof the register's offset in struct ab_gfx_gen */
	uint32_t plus;      /* registers after that one (_Y = +1, _HI = +1) */
	const char *name;
	const struct ab_gfx_reg_field *fields;
};

#define ROW(f, plus, name, fields) {offsetof(struct ab_gfx_gen, f), plus, name, fields}
static const struct reg_row rows[] = {
	ROW(compute_dispatch_initiator, 0, "COMPUTE_DISPATCH_INITIATOR", initiator_fields),
	ROW(compute_start_x, 0, "COMPUTE_START_X", no_fields),
	ROW(compute_start_x, 1, "COMPUTE_START_Y", no_fields),
	ROW(compute_start_x, 2, "COMPUTE_START_Z", no_fields),
	ROW(compute_num_thread_x, 0, "COMPUTE_NUM_THREAD_X", num_thread_fields),
	ROW(compute_num_thread_x, 1, "COMPUTE_NUM_THREAD_Y", num_thread_fields),
	ROW(compute_num_thread_x, 2, "COMPUTE_NUM_THREAD_Z", num_thread_fields),
	ROW(compute_pgm_lo, 0, "COMPUTE_PGM_LO", no_fields),
	ROW(compute_pgm_hi, 0, "COMPUTE_PGM_HI", no_fields),
	ROW(compute_dispatch_scratch_base_lo, 0, "COMPUTE_DISPATCH_SCRATCH_BASE_LO", no_fields),
	ROW(compute_dispatch_scratch_base_lo, 1, "COMPUTE_DISPATCH_SCRATCH_BASE_HI", no_fields),
	ROW(compute_pgm_rsrc1, 0, "COMPUTE_PGM_RSRC1", rsrc1_fields),
	ROW(compute_pgm_rsrc2, 0, "COMPUTE_PGM_RSRC2", rsrc2_fields),
	ROW(compute_pgm_rsrc3, 0, "COMPUTE_PGM_RSRC3", rsrc3_fields),
	ROW(compute_resource_limits, 0, "COMPUTE_RESOURCE_LIMITS", limits_fields),
	ROW(compute_static_thread_mgmt_se0, 0, "COMPUTE_STATIC_THREAD_MGMT_SE0", no_fields),
	ROW(compute_tmpring_size, 0, "COMPUTE_TMPRING_SIZE", tmpring_fields),
	ROW(compute_restart_x, 0, "COMPUTE_RESTART_X", no_fields),
	ROW(compute_restart_x, 1, "COMPUTE_RESTART_Y", no_fields),
	ROW(compute_restart_x, 2, "COMPUTE_RESTART_Z", no_fields),
};

bool ab_gfx_reg_describe(const struct ab_gfx_gen *g, uint32_t reg, char *name, size_t cap,
			 const struct ab_gfx_reg_field **fields)
{
	*fields = no_fields;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint32_t base;
		const char *p = (const char *)g + rows[i].field;
		memcpy(&base, p, sizeof(base));
		if (base + rows[i].plus == reg) {
			snprintf(name, cap, "%s", rows[i].name);
			*fields = rows[i].fields;
			return true;
		}
	}
	if (reg >= g->compute_user_data_0 && reg - g->compute_user_data_0 < g->compute_user_data_count) {
		snprintf(name, cap, "COMPUTE_USER_DATA_%u", reg - g->compute_user_data_0);
		return true;
	}
	return false;
}

const char *ab_gfx_event_name(const struct ab_gfx_gen *g, uint32_t event_type)
{
	if (event_type == g->event_cs_partial_flush)
		return "CS_PARTIAL_FLUSH";
	if (event_type == g->event_cache_flush_and_inv_ts)
		return "CACHE_FLUSH_AND_INV_TS_EVENT";
	return NULL;
}
