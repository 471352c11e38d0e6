/*
 * What the command processor hands to the shader core for a
 * DISPATCH_DIRECT: the COMPUTE_* register state it gathered.  The shader
 * core sits above the command processor (it reads memory through the
 * job's VM, exec/mem.c), so the command processor reaches it through a
 * function the device installs when it starts (exec_set_shader_core):
 * the same seam would let each GPU generation bring its own core.
 */
#ifndef VGPU_EXEC_DISPATCH_H
#define VGPU_EXEC_DISPATCH_H

#include "internal.h"

#include <stdint.h>

/* The COMPUTE_* register state and the packet a dispatch starts from. */
struct exec_dispatch {
	uint64_t pgm;              /* COMPUTE_PGM_LO/HI << 8 */
	uint32_t rsrc1, rsrc2, rsrc3;
	uint32_t user_data[16];    /* COMPUTE_USER_DATA_0.. */
	uint32_t num_thread[3];    /* COMPUTE_NUM_THREAD_X/Y/Z (full groups) */
	uint32_t start[3];         /* COMPUTE_START_X/Y/Z */
	uint32_t dim[3];           /* DISPATCH_DIRECT: workgroups per axis */
	uint32_t initiator;        /* COMPUTE_DISPATCH_INITIATOR */
	/* Scratch, only when RSRC2.SCRATCH_EN (exec/pm4.c checked both were
	 * programmed; 0 otherwise) */
	uint64_t scratch_base;     /* COMPUTE_DISPATCH_SCRATCH_BASE_LO/HI << 8 */
	uint32_t tmpring_size;     /* COMPUTE_TMPRING_SIZE: WAVES, WAVESIZE */
	uint32_t wavesize_unit;    /* bytes per WAVESIZE unit: 256 (gfx11), 1024 (gfx10.3, gfx9) */
	enum exec_gc gc;           /* which generation's shader core runs it */
};

/* COMPUTE_TMPRING_SIZE fields (gc_11_0_0_sh_mask.h: WAVESIZE bits 12..26;
 * gc_10_3_0_sh_mask.h and gc_9_0_sh_mask.h: WAVESIZE_MASK 0x01FFF000,
 * bits 12..24).  WAVESIZE
 * counts 256-byte units on gfx11 (LLVM's gfx11 tests: alignto(size *
 * lanes, 256) / 256) and 1 KiB units on gfx10.3 and gfx9 (alignto(size, 1024) /
 * 1024); exec/pm4.c refuses the bits a generation does not have, so one
 * field macro serves both. */
#define TMPRING_WAVES(v) ((v) & 0xfffu)
#define TMPRING_WAVESIZE(v) (((v) >> 12) & 0x7fffu)
#define TMPRING_RESERVED_MASK 0xf8000000u
#define TMPRING_RESERVED_MASK_GFX103 0xfe000000u
#define TMPRING_WAVESIZE_UNIT 256u
#define TMPRING_WAVESIZE_UNIT_GFX103 1024u

/* The shader core: runs every workgroup of `d`; 0, or -ECANCELED after
 * a fault it already reported. */
typedef int (*exec_shader_core_fn)(struct exec_job *job, const struct exec_dispatch *d);

/* Installs the shader core (idempotent; before the first submission). */
void exec_set_shader_core(exec_shader_core_fn fn);

#endif /* VGPU_EXEC_DISPATCH_H */
