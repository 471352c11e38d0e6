/*
 * SDMA v6 packets (GC 11's DMA engine), written into a dword stream.
 * K: drivers/gpu/drm/amd/amdgpu/sdma_v6_0_0_pkt_open.h for the fields and
 * amdgpu/sdma_v6_0.c for how the kernel itself emits them.
 *
 * SDMA 5.2 (GC 10.3) takes the same forms for everything built here:
 * sdma_v5_2_emit_copy_buffer, _emit_fill_buffer, _ring_emit_fence
 * (MTYPE 3) and _ring_pad_ib (to 8 dwords) write the same dwords, with the
 * same 0x400000-byte copy_max_bytes/fill_max_bytes; its COUNT fields are
 * 22 bits (navi10_sdma_pkt_open.h SDMA_PKT_COPY_LINEAR_COUNT_count_mask
 * 0x003FFFFF) instead of 30, which that limit never reaches.
 *
 * SDMA 4.x (GC 9: sdma_v4_0.c, vega10_sdma_pkt_open.h) likewise: the same
 * COPY_LINEAR, CONST_FILL (FILLSIZE at header bit 30), WRITE_UNTILED and
 * NOP padding to 8 dwords, 22-bit counts, copy_max_bytes/fill_max_bytes
 * 0x400000.  Its FENCE differs: sdma_v4_0_ring_emit_fence writes the bare
 * header without MTYPE (bits 16..18); ab_sdma_fence writes the v6 form, and
 * the library's submissions emit no SDMA fence on any generation.
 */
#ifndef AB_SDMA_BUILDER_H
#define AB_SDMA_BUILDER_H

#include "ib_dwbuf.h"

#include <stdint.h>

/* Opcodes (K: sdma_v6_0_0_pkt_open.h SDMA_OP_*). */
enum {
	AB_SDMA_OP_NOP = 0,
	AB_SDMA_OP_COPY = 1,       /* sub-op SDMA_SUBOP_COPY_LINEAR 0 */
	AB_SDMA_OP_WRITE = 2,      /* sub-op SDMA_SUBOP_WRITE_LINEAR 0 */
	AB_SDMA_OP_FENCE = 5,
	AB_SDMA_OP_CONST_FILL = 11,
};

/* Bytes per COPY_LINEAR / CONST_FILL packet.  The COUNT fields are 30 bits
 * (SDMA_PKT_COPY_LINEAR_COUNT_count_mask and _CONSTANT_FILL_COUNT_count_mask
 * 0x3FFFFFFF, holding bytes - 1), but the kernel itself never puts more
 * than 0x400000 bytes in one packet (sdma_v6_0_buffer_funcs copy_max_bytes
 * and fill_max_bytes); we keep to the kernel's proven limit. */
#define AB_SDMA_COPY_MAX_BYTES 0x400000u
#define AB_SDMA_FILL_MAX_BYTES 0x400000u
/* WRITE_UNTILED count is 20 bits holding dwords - 1 (SDMA_PKT_WRITE_UNTILED_DW_3_count_mask). */
#define AB_SDMA_WRITE_MAX_DW (1u << 20)
/* The kernel pads SDMA IBs to 8 dwords (sdma_v6_0_ring_pad_ib). */
#define AB_SDMA_PAD_DW 8u

/* One COPY_LINEAR of 1..AB_SDMA_COPY_MAX_BYTES bytes. */
int ab_sdma_copy_linear(struct ab_dwbuf *b, uint64_t dst, uint64_t src, uint32_t bytes);
/* Any size: as many COPY_LINEAR packets as needed. */
int ab_sdma_copy(struct ab_dwbuf *b, uint64_t dst, uint64_t src, uint64_t bytes);
/* One CONST_FILL of a dword pattern (dst and bytes 4-aligned, bytes in
 * 4..AB_SDMA_FILL_MAX_BYTES). */
int ab_sdma_const_fill(struct ab_dwbuf *b, uint64_t dst, uint32_t bytes, uint32_t value);
/* Any 4-aligned size: as many CONST_FILL packets as needed. */
int ab_sdma_fill(struct ab_dwbuf *b, uint64_t dst, uint64_t bytes, uint32_t value);
/* WRITE_LINEAR of n dwords (dst 4-aligned). */
int ab_sdma_write(struct ab_dwbuf *b, uint64_t dst, const uint32_t *data, uint32_t n);
/* FENCE: write a 32-bit value to dst (4-aligned) when reached. */
int ab_sdma_fence(struct ab_dwbuf *b, uint64_t dst, uint32_t value);
/* Single-dword NOPs until the length is a multiple of align_dw (a power of two). */
int ab_sdma_pad(struct ab_dwbuf *b, uint32_t align_dw);

/* Number of packets ab_sdma_copy / ab_sdma_fill emit for a size. */
uint64_t ab_sdma_copy_packets(uint64_t bytes);
uint64_t ab_sdma_fill_packets(uint64_t bytes);

#endif
