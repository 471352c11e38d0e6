/*
 * SDMA v6 packet emitters (see gfx/sdma_builder.h).
 */
#include "sdma_builder.h"

#include "util/error.h"

#include <inttypes.h>

/* Header: op in bits 0-7, sub-op in bits 8-15
 * (SDMA_PKT_COPY_LINEAR_HEADER_op_shift 0, _sub_op_shift 8). */
static uint32_t header(uint32_t op, uint32_t sub_op)
{
	return (op & 0xffu) | ((sub_op & 0xffu) << 8);
}

static int stream_err(struct ab_dwbuf *b)
{
	return b->err ? b->err : -EINVAL;
}

/* K: sdma_v6_0_emit_copy_buffer: header, byte_count - 1, 0 (endian swap),
 * src lo, src hi, dst lo, dst hi. */
int ab_sdma_copy_linear(struct ab_dwbuf *b, uint64_t dst, uint64_t src, uint32_t bytes)
{
	if (bytes == 0 || bytes > AB_SDMA_COPY_MAX_BYTES)
		return b->err = ab_set_error(EINVAL, "SDMA COPY_LINEAR of %u bytes: 1..%u per packet",
					     bytes, AB_SDMA_COPY_MAX_BYTES);
	uint32_t *d = ab_dw_reserve(b, 7);
	if (!d)
		return stream_err(b);
	d[0] = header(AB_SDMA_OP_COPY, 0);
	d[1] = bytes - 1;
	d[2] = 0;
	d[3] = (uint32_t)src;
	d[4] = (uint32_t)(src >> 32);
	d[5] = (uint32_t)dst;
	d[6] = (uint32_t)(dst >> 32);
	return 0;
}

uint64_t ab_sdma_copy_packets(uint64_t bytes)
{
	return (bytes + AB_SDMA_COPY_MAX_BYTES - 1) / AB_SDMA_COPY_MAX_BYTES;
}

uint64_t ab_sdma_fill_packets(uint64_t bytes)
{
	return (bytes + AB_SDMA_FILL_MAX_BYTES - 1) / AB_SDMA_FILL_MAX_BYTES;
}

int ab_sdma_copy(struct ab_dwbuf *b, uint64_t dst, uint64_t src, uint64_t bytes)
{
	if (bytes == 0)
		return b->err = ab_set_error(EINVAL, "SDMA copy of 0 bytes");
	while (bytes) {
		uint32_t n = bytes > AB_SDMA_COPY_MAX_BYTES ? AB_SDMA_COPY_MAX_BYTES : (uint32_t)bytes;
		int r = ab_sdma_copy_linear(b, dst, src, n);
		if (r < 0)
			return r;
		dst += n;
		src += n;
		bytes -= n;
	}
	return 0;
}

/* K: sdma_v6_0_emit_fill_buffer: header, dst lo, dst hi, data, byte_count - 1.
 * The kernel leaves FILLSIZE (header bits 30-31,
 * SDMA_PKT_CONSTANT_FILL_HEADER_fillsize_shift 30) at 0; we set 2 (a dword
 * pattern, as libdrm's SDMA const-fill test does) so a non-repeating
 * 32-bit value is replicated whole. */
int ab_sdma_const_fill(struct ab_dwbuf *b, uint64_t dst, uint32_t bytes, uint32_t value)
{
	if ((dst & 3u) || (bytes & 3u) || bytes == 0 || bytes > AB_SDMA_FILL_MAX_BYTES)
		return b->err = ab_set_error(EINVAL, "SDMA CONST_FILL of %u bytes at 0x%" PRIx64
					     ": address and size must be multiples of 4, size "
					     "4..%u per packet", bytes, dst, AB_SDMA_FILL_MAX_BYTES);
	uint32_t *d = ab_dw_reserve(b, 5);
	if (!d)
		return stream_err(b);
	d[0] = header(AB_SDMA_OP_CONST_FILL, 0) | (2u << 30);
	d[1] = (uint32_t)dst;
	d[2] = (uint32_t)(dst >> 32);
	d[3] = value;
	d[4] = bytes - 1;
	return 0;
}

int ab_sdma_fill(struct ab_dwbuf *b, uint64_t dst, uint64_t bytes, uint32_t value)
{
	if (bytes == 0 || (bytes & 3u) || (dst & 3u))
		return b->err = ab_set_error(EINVAL, "SDMA fill of %" PRIu64 " bytes at 0x%" PRIx64
					     ": address and size must be non-zero multiples of 4",
					     bytes, dst);
	while (bytes) {
		uint32_t n = bytes > AB_SDMA_FILL_MAX_BYTES ? AB_SDMA_FILL_MAX_BYTES : (uint32_t)bytes;
		int r = ab_sdma_const_fill(b, dst, n, value);
		if (r < 0)
			return r;
		dst += n;
		bytes -= n;
	}
	return 0;
}

/* K: sdma_v6_0_vm_write_pte: header(WRITE, WRITE_LINEAR), dst lo, dst hi,
 * ndw - 1, data... */
int ab_sdma_write(struct ab_dwbuf *b, uint64_t dst, const uint32_t *data, uint32_t n)
{
	if ((dst & 3u) || n == 0 || n > AB_SDMA_WRITE_MAX_DW)
		return b->err = ab_set_error(EINVAL, "SDMA WRITE of %u dwords at 0x%" PRIx64
					     ": address 4-aligned, 1..%u dwords", n, dst,
					     AB_SDMA_WRITE_MAX_DW);
	uint32_t *d = ab_dw_reserve(b, 4 + n);
	if (!d)
		return stream_err(b);
	d[0] = header(AB_SDMA_OP_WRITE, 0);
	d[1] = (uint32_t)dst;
	d[2] = (uint32_t)(dst >> 32);
	d[3] = n - 1;
	for (uint32_t i = 0; i < n; i++)
		d[4 + i] = data[i];
	return 0;
}

/* K: sdma_v6_0_ring_emit_fence: header(FENCE) | MTYPE(3: uncached) << 16,
 * addr lo, addr hi, value. */
int ab_sdma_fence(struct ab_dwbuf *b, uint64_t dst, uint32_t value)
{
	if (dst & 3u)
		return b->err = ab_set_error(EINVAL, "SDMA FENCE at 0x%" PRIx64 ": not 4-aligned", dst);
	uint32_t *d = ab_dw_reserve(b, 4);
	if (!d)
		return stream_err(b);
	d[0] = header(AB_SDMA_OP_FENCE, 0) | (3u << 16);
	d[1] = (uint32_t)dst;
	d[2] = (uint32_t)(dst >> 32);
	d[3] = value;
	return 0;
}

/* K: sdma_v6_0_ring_pad_ib without burst NOPs: SDMA_OP_NOP dwords (0). */
int ab_sdma_pad(struct ab_dwbuf *b, uint32_t align_dw)
{
	if (align_dw == 0 || (align_dw & (align_dw - 1)))
		return b->err = ab_set_error(EINVAL, "SDMA pad to %u dwords: not a power of two",
					     align_dw);
	uint32_t n = (0u - b->len) & (align_dw - 1);
	if (n == 0)
		return 0;
	uint32_t *d = ab_dw_reserve(b, n);
	if (!d)
		return stream_err(b);
	for (uint32_t i = 0; i < n; i++)
		d[i] = header(AB_SDMA_OP_NOP, 0);
	return 0;
}
