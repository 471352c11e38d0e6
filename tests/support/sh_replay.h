/*
 * Replays the SET_SH_REG and DISPATCH_DIRECT packets of a PM4 stream the
 * library built into a register file, so a test can check what a dispatch
 * programs from the packet layout alone (PM4 type-3 headers as the
 * kernel's nvd.h / soc15d.h define them; SET_SH_REG 0x76, DISPATCH_DIRECT
 * 0x15), not from the library's tables.
 */
#ifndef SH_REPLAY_H
#define SH_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

struct sh_replay {
	uint32_t reg[0x400];       /* by SET_SH_REG offset */
	bool set[0x400];
	uint32_t initiator;        /* of the last DISPATCH_DIRECT */
};

/* SET_SH_REG offset of an absolute register (SET_SH_REG_START 0x2c00). */
#define SH(r) ((r) - 0x2c00u)

/* cr_asserts every header is type 3 and every register in range. */
void sh_replay(struct sh_replay *st, const uint32_t *dw, uint32_t len);

#endif
