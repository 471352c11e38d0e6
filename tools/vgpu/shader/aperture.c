/*
 * The flat apertures: a FLAT instruction's 64-bit address selects LDS,
 * the lane's private (scratch) memory, or the VM by the 4 GiB aperture it
 * falls in.  Clang uses them for generic pointers, e.g. a private array
 * passed to a function that is not inlined: it builds the address from
 * src_private_base and the private offset and accesses it with flat_*.
 *
 * Apertures of the graphics VMIDs (Linux 6.1 gmc_v11_0_sw_init: shared
 * 0x2000000000000000, private 0x1000000000000000, each 4 GiB;
 * gfx_v11_0_constants_init writes them into SH_MEM_BASES for VMIDs
 * 1..15, which the DRM CS jobs run in).  The source operands
 * src_shared_base/_limit and src_private_base/_limit read the aperture's
 * first and last address as 64 bits (LLVM reads them only as 64-bit
 * operands; a 32-bit read gets the low half here).
 */
#include "internal.h"

#include <string.h>

#define APERTURE_SHARED 0x2000000000000000ull
#define APERTURE_PRIVATE 0x1000000000000000ull
#define APERTURE_BYTES (4ull << 30)
/* gfx11 operand codes (AMDGPUOperandSyntax "ival") */
#define SRC_SHARED_BASE 235
#define SRC_SHARED_LIMIT 236
#define SRC_PRIVATE_BASE 237
#define SRC_PRIVATE_LIMIT 238

int shader_aperture_source(uint16_t code, uint64_t *val)
{
	switch (code) {
	case SRC_SHARED_BASE: *val = APERTURE_SHARED; return 0;
	case SRC_SHARED_LIMIT: *val = APERTURE_SHARED + APERTURE_BYTES - 1; return 0;
	case SRC_PRIVATE_BASE: *val = APERTURE_PRIVATE; return 0;
	case SRC_PRIVATE_LIMIT: *val = APERTURE_PRIVATE + APERTURE_BYTES - 1; return 0;
	default: return -1;
	}
}

/* LDS through the shared aperture: the same out-of-range rule as DS
 * instructions (shader/vmem.c), byte by byte: outside the workgroup's
 * allocation a load reads 0 and a store is dropped. */
static void lds_bytes(struct shader_core *c, uint32_t off, uint8_t *buf, unsigned n, bool store)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t a = (uint64_t)off + i;
		bool in = a < c->lds_size;
		if (store) {
			if (in)
				c->lds[a] = buf[i];
		} else {
			buf[i] = in ? c->lds[a] : 0;
		}
	}
}

int shader_flat_access(struct shader_core *c, const struct shader_wave *w, unsigned lane,
		       uint64_t va, void *buf, unsigned n, bool store)
{
	uint64_t base = va & ~(APERTURE_BYTES - 1);
	uint32_t off = (uint32_t)va;
	if (base == APERTURE_PRIVATE)
		return shader_scratch_access(c, w, lane, off, buf, n, store);
	if (base == APERTURE_SHARED) {
		lds_bytes(c, off, buf, n, store);
		return 0;
	}
	return exec_vm_window_copy(&c->vm, va, buf, n, store);
}
