/*
 * Names and fields of the registers a generation table lists
 * (gfx/regs_gen.h), for decoders of what the builders wrote: the trace
 * decoder names every SET_SH_REG from here, so a register the library
 * writes and this list lacks shows up as unnamed in `amdbare trace show`.
 */
#ifndef AB_GFX_REG_NAMES_H
#define AB_GFX_REG_NAMES_H

#include "regs_gen.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ab_gfx_reg_field {
	const char *name;
	uint8_t shift, width;
};

/* Writes the name of absolute register `reg` of generation g into name
 * (e.g. "COMPUTE_PGM_RSRC2", "COMPUTE_USER_DATA_3") and points *fields at
 * its field list (ending with a NULL name; an empty list when the library
 * keeps none).  False when the table has no such register. */
bool ab_gfx_reg_describe(const struct ab_gfx_gen *g, uint32_t reg, char *name, size_t cap,
			 const struct ab_gfx_reg_field **fields);

/* The event name for an EVENT_WRITE / RELEASE_MEM event type of g, or NULL. */
const char *ab_gfx_event_name(const struct ab_gfx_gen *g, uint32_t event_type);

#endif
