/*
 * Transfer commands through RADV's own meta shaders: vkCmdFillBuffer,
 * vkCmdUpdateBuffer and vkCmdCopyBuffer, and (gfx11 profiles)
 * vkCmdCopyBufferToImage / vkCmdCopyImageToBuffer (an r32ui optimal image;
 * a linear R32G32B32 one, see its section), with sizes, offsets and
 * extents that are not multiples of the workgroup.  Every byte of every
 * destination is compared with a CPU reference, the bytes around each
 * written range included: they must keep the pattern written before.
 *
 * What RADV (Mesa 22.3, radv_meta_buffer.c / radv_meta_bufimage.c) does
 * with them, and so what the vgpu runs:
 *   - fill and copy of at least 4096 bytes, 4-byte aligned: the compute
 *     meta shader (64-wide groups, 16 bytes an invocation, the last
 *     invocation's offset clamped to size - 16), launched for
 *     DIV_ROUND_UP(size, 16) invocations by radv_unaligned_dispatch: a
 *     DISPATCH_DIRECT with PARTIAL_TG_EN and COMPUTE_NUM_THREAD_X.PARTIAL
 *     = the invocations of the last, smaller group;
 *   - smaller or unaligned ones: CP DMA (DMA_DATA packets);
 *   - vkCmdUpdateBuffer under 1024 bytes: WRITE_DATA; larger: the data
 *     goes to RADV's upload buffer and then through the copy above;
 *   - buffer <-> image: the btoi / itob compute shaders with 8x8 groups,
 *     radv_unaligned_dispatch(width, height): partial groups on X and on
 *     Y.  Those shaders do not check bounds, so a last group run at full
 *     size would write texels or buffer bytes outside the region: the
 *     untouched-byte checks below see that.  (On the graphics queue RADV
 *     copies a buffer to a renderable image with a draw, meta blit2d,
 *     which the vgpu does not run (tried: the job faults at PKT3 0x2F,
 *     NUM_INSTANCES): the image test runs on the compute family and
 *     skips, saying so, on the graphics one.)
 * The fill and buffer-copy shaders clamp instead, so there a last group
 * run at full size would write the same bytes again and pass.
 *
 * That these paths are the ones taken was checked on the vgpu (780m,
 * 7900xtx and 680m profiles, both queue families) with gdb breakpoints on
 * shader_dispatch_run, on the partial-group branch of geometry_of
 * (tools/vgpu/shader/dispatch.c) and on the CP's dma_data / write_data
 * (tools/vgpu/exec/pm4.c): every compute case below is one DISPATCH_DIRECT
 * with initiator 0x47 (COMPUTE_SHADER_EN, FORCE_START_AT_000,
 * ORDER_MODE, PARTIAL_TG_EN) and COMPUTE_NUM_THREAD_X = PARTIAL << 16 |
 * 64, whose last group ran with PARTIAL work-items (1, 4, 63, 55 for the
 * fills; 1 and, for the 65536-byte update, 64 = a full group; 1, 4, 63, 3
 * for the copies); the CP DMA cases are one DMA_DATA each (100, 2052,
 * 5001, 4095 bytes), the small updates one WRITE_DATA each; the image
 * copies are four dispatches of 8x8 groups with partial groups on both
 * axes (NUM_THREAD_X/Y 0x50008/0x30008 for 37x19, 0x50008/0x50008 for
 * 29x13, 0x70008/0x30008 for 23x11).  With PARTIAL_TG_EN cleared from
 * every dispatch (gdb again), image_copy_odd fails (791 and 108 bytes
 * differ) while meta_fill and meta_copy still pass, as said above.
 *
 * On a discrete GPU RADV prefers CP DMA when either side is in GTT, so
 * the buffers here are device-local and host-visible where the device
 * has such a memory type (the BAR), host-visible GTT otherwise.
 */
#include "vk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SKIP 1

/* The bytes a buffer starts with (deterministic per salt, never 0). */
static uint8_t pat(size_t i, uint32_t salt)
{
	uint32_t h = (uint32_t)i * 0x9e3779b1u ^ salt * 0x85ebca77u;
	return (uint8_t)((h ^ (h >> 13)) | 1);
}

static void fill_pat(uint8_t *p, size_t n, uint32_t salt)
{
	for (size_t i = 0; i < n; i++)
		p[i] = pat(i, salt);
}

/* A buffer for transfers, mapped; device-local + host-visible + coherent
 * memory when the device has it (see the top of the file). */
static int mbuf_new(struct vkc *v, VkDeviceSize size, struct vkc_buf *b)
{
	memset(b, 0, sizeof(*b));
	VkBufferCreateInfo bci = {
		.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO, .size = size,
		.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT |
			 VK_BUFFER_USAGE_STORAGE_BUFFER_BIT,
		.sharingMode = VK_SHARING_MODE_CONCURRENT, .queueFamilyIndexCount = 2,
		.pQueueFamilyIndices = (uint32_t[]){ v->fam_gfx, v->fam_comp },
	};
	VKC_CHECK(vkCreateBuffer(v->dev, &bci, NULL, &b->buf));
	VkMemoryRequirements mr;
	vkGetBufferMemoryRequirements(v->dev, b->buf, &mr);
	VkPhysicalDeviceMemoryProperties mp;
	vkGetPhysicalDeviceMemoryProperties(v->phys, &mp);
	const VkMemoryPropertyFlags want = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT |
					   VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
					   VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
	uint32_t type = v->mem_type;
	for (uint32_t i = 0; i < mp.memoryTypeCount; i++)
		if ((mr.memoryTypeBits & (1u << i)) && (mp.memoryTypes[i].propertyFlags & want) == want) {
			type = i;
			break;
		}
	if (!(mr.memoryTypeBits & (1u << type))) {
		fprintf(stderr, "vkmeta: the buffer cannot use a host-visible memory type\n");
		return -1;
	}
	VkMemoryAllocateInfo mai = { .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
				     .allocationSize = mr.size, .memoryTypeIndex = type };
	VKC_CHECK(vkAllocateMemory(v->dev, &mai, NULL, &b->mem));
	VKC_CHECK(vkBindBufferMemory(v->dev, b->buf, b->mem, 0));
	VKC_CHECK(vkMapMemory(v->dev, b->mem, 0, VK_WHOLE_SIZE, 0, &b->map));
	b->size = size;
	return 0;
}

/* Transfer writes visible to the host. */
static void to_host(VkCommandBuffer cb)
{
	VkMemoryBarrier mb = { .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
			       .srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT,
			       .dstAccessMask = VK_ACCESS_HOST_READ_BIT };
	vkCmdPipelineBarrier(cb, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &mb, 0,
			     NULL, 0, NULL);
}

/* Compares n bytes; reports the number of differing bytes and the first
 * few, with `what` and the offset.  0 when equal. */
static int same_bytes(const char *name, const char *what, const uint8_t *got, const uint8_t *want,
		      size_t n)
{
	size_t bad = 0;
	for (size_t i = 0; i < n; i++)
		if (got[i] != want[i]) {
			if (bad < 8)
				fprintf(stderr, "%s: %s byte %zu: 0x%02x, expected 0x%02x\n", name, what, i,
					got[i], want[i]);
			bad++;
		}
	if (bad)
		fprintf(stderr, "%s: %s: %zu of %zu bytes differ\n", name, what, bad, n);
	return bad ? -1 : 0;
}

/* ---- vkCmdFillBuffer ------------------------------------------------------ */

#define FILL_N 40002u /* not a multiple of 4: VK_WHOLE_SIZE leaves 2 bytes */

int vkc_meta_fill(struct vkc *v)
{
	static const struct {
		VkDeviceSize off, size;
		uint32_t data;
	} c[] = {
		{ 12, 4100, 0x11223344u },   /* 257 invocations: 4 groups of 64 and 1 */
		{ 4132, 12340, 0xdeadbeefu },/* 772: 12 groups and 4 */
		{ 16480, 5104, 0x01020304u },/* 319: 4 groups and 63 */
		{ 21600, 100, 0xa5a55a5au }, /* under 4096 bytes: CP DMA */
		/* to the end: (40002 - 21720) & ~3 = 18280 bytes, 1143
		 * invocations (17 groups and 55); bytes 40000, 40001 stay */
		{ 21720, VK_WHOLE_SIZE, 0x89abcdefu },
	};
	struct vkc_buf b;
	memset(&b, 0, sizeof(b));
	uint8_t *want = malloc(FILL_N);
	int r = want ? mbuf_new(v, FILL_N, &b) : -1;
	if (r)
		goto out;
	fill_pat(b.map, FILL_N, 1);
	memcpy(want, b.map, FILL_N);
	VkCommandBuffer cb;
	if ((r = vkc_begin(v, v->pool, &cb)))
		goto out;
	for (size_t k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		vkCmdFillBuffer(cb, b.buf, c[k].off, c[k].size, c[k].data);
		VkDeviceSize n = c[k].size == VK_WHOLE_SIZE ? (FILL_N - c[k].off) & ~3ull : c[k].size;
		for (VkDeviceSize i = 0; i < n; i += 4)
			memcpy(want + c[k].off + i, &c[k].data, 4);
	}
	to_host(cb);
	if ((r = vkc_submit_wait(v, v->q, v->pool, cb)))
		goto out;
	r = same_bytes("meta_fill", "buffer", b.map, want, FILL_N);
out:
	vkc_buf_free(v, &b);
	free(want);
	return r;
}

/* ---- vkCmdUpdateBuffer ---------------------------------------------------- */

#define UPD_N 72903u

int vkc_meta_update(struct vkc *v)
{
	static const struct {
		VkDeviceSize off, size;
	} c[] = {
		{ 4, 4 },          /* WRITE_DATA */
		{ 16, 1020 },      /* WRITE_DATA (under 1024 bytes) */
		{ 1040, 4100 },    /* upload buffer + copy shader: 257 invocations */
		{ 5200, 2052 },    /* upload buffer + CP DMA (under 4096 bytes) */
		{ 7300, 65536 },   /* the largest update: 4096 invocations, 64 full groups */
	};
	struct vkc_buf b;
	memset(&b, 0, sizeof(b));
	uint8_t *want = malloc(UPD_N), *data = malloc(65536);
	int r = want && data ? mbuf_new(v, UPD_N, &b) : -1;
	if (r)
		goto out;
	fill_pat(b.map, UPD_N, 2);
	memcpy(want, b.map, UPD_N);
	VkCommandBuffer cb;
	if ((r = vkc_begin(v, v->pool, &cb)))
		goto out;
	for (size_t k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		/* the data is copied into the command buffer when recorded */
		for (size_t i = 0; i < c[k].size; i++)
			data[i] = (uint8_t)(pat(i, 100 + (uint32_t)k) ^ 0x5a);
		vkCmdUpdateBuffer(cb, b.buf, c[k].off, c[k].size, data);
		memcpy(want + c[k].off, data, c[k].size);
	}
	to_host(cb);
	if ((r = vkc_submit_wait(v, v->q, v->pool, cb)))
		goto out;
	r = same_bytes("meta_update", "buffer", b.map, want, UPD_N);
out:
	vkc_buf_free(v, &b);
	free(want);
	free(data);
	return r;
}

/* ---- vkCmdCopyBuffer ------------------------------------------------------ */

#define CPY_SRC 110000u
#define CPY_DST 100003u

int vkc_meta_copy(struct vkc *v)
{
	static const VkBufferCopy c[] = {
		{ 4, 8, 4100 },         /* copy shader: 257 invocations */
		{ 8192, 4200, 12340 },  /* 772: 12 groups and 4 */
		{ 3, 16600, 5001 },     /* unaligned: CP DMA */
		{ 30000, 21700, 5104 }, /* 319: 4 groups and 63 */
		{ 40000, 26900, 65584 },/* 4099: 64 groups and 3 */
		{ 2, 93001, 4095 },     /* unaligned: CP DMA */
	};
	struct vkc_buf s, d;
	memset(&s, 0, sizeof(s));
	memset(&d, 0, sizeof(d));
	uint8_t *want = malloc(CPY_DST), *want_src = malloc(CPY_SRC);
	int r = want && want_src ? mbuf_new(v, CPY_SRC, &s) : -1;
	if (!r)
		r = mbuf_new(v, CPY_DST, &d);
	if (r)
		goto out;
	fill_pat(s.map, CPY_SRC, 3);
	memcpy(want_src, s.map, CPY_SRC);
	fill_pat(d.map, CPY_DST, 4);
	memcpy(want, d.map, CPY_DST);
	for (size_t k = 0; k < sizeof(c) / sizeof(c[0]); k++)
		memcpy(want + c[k].dstOffset, (uint8_t *)s.map + c[k].srcOffset, c[k].size);
	VkCommandBuffer cb;
	if ((r = vkc_begin(v, v->pool, &cb)))
		goto out;
	vkCmdCopyBuffer(cb, s.buf, d.buf, sizeof(c) / sizeof(c[0]), c);
	to_host(cb);
	if ((r = vkc_submit_wait(v, v->q, v->pool, cb)))
		goto out;
	r = same_bytes("meta_copy", "destination", d.map, want, CPY_DST);
	if (same_bytes("meta_copy", "source (only read)", s.map, want_src, CPY_SRC))
		r = -1;
out:
	vkc_buf_free(v, &s);
	vkc_buf_free(v, &d);
	free(want);
	free(want_src);
	return r;
}

/* ---- vkCmdCopyBufferToImage / vkCmdCopyImageToBuffer ------------------- */

/* An r32ui optimally tiled image of an odd size (RADV picks the swizzle);
 * the meta shaders' groups are 8x8: 37 = 4 x 8 + 5, 19 = 2 x 8 + 3. */
#define IW 37u
#define IH 19u
/* the sub-region written: at (3, 2), 29 x 13 (3 x 8 + 5, 8 + 5), from a
 * buffer with rows of 31 texels, 15 rows an image, at byte 20 */
#define WX 3u
#define WY 2u
#define WW 29u
#define WH 13u
#define W_ROW 31u
#define W_OFF 20u
/* the sub-region read: at (5, 1), 23 x 11 (2 x 8 + 7, 8 + 3), into rows
 * of 27 texels at byte 44 */
#define RX 5u
#define RY 1u
#define RW 23u
#define RH 11u
#define R_ROW 27u
#define R_OFF 44u
#define GUARD 64u

static uint32_t rd32(const uint8_t *p)
{
	uint32_t x;
	memcpy(&x, p, 4);
	return x;
}

int vkc_image_copy_odd(struct vkc *v)
{
	const char *name = "image_copy_odd";
	if (v->fam != v->fam_comp) {
		printf("skip %s: on the graphics queue RADV copies a buffer to a renderable image with a "
		       "draw (meta blit2d); the vgpu runs no draws (it faults at the draw's first packet)\n",
		       name);
		return SKIP;
	}
	VkFormatProperties fp;
	vkGetPhysicalDeviceFormatProperties(v->phys, VK_FORMAT_R32_UINT, &fp);
	VkFormatFeatureFlags need = VK_FORMAT_FEATURE_TRANSFER_SRC_BIT | VK_FORMAT_FEATURE_TRANSFER_DST_BIT;
	if ((fp.optimalTilingFeatures & need) != need) {
		printf("skip %s: r32ui is no optimal transfer format here\n", name);
		return SKIP;
	}
	VkImage img = VK_NULL_HANDLE;
	VkDeviceMemory mem = VK_NULL_HANDLE;
	struct vkc_buf a, w, full, part;
	memset(&a, 0, sizeof(a));
	memset(&w, 0, sizeof(w));
	memset(&full, 0, sizeof(full));
	memset(&part, 0, sizeof(part));
	const size_t a_n = IW * IH * 4, w_n = W_OFF + W_ROW * (WH + 2) * 4,
		     full_n = IW * IH * 4 + GUARD, part_n = R_OFF + R_ROW * RH * 4 + GUARD;
	uint8_t *want_full = malloc(full_n), *want_part = malloc(part_n);
	uint32_t *texels = malloc(a_n);
	int r = -1;
	if (!want_full || !want_part || !texels)
		goto out;
	VkImageCreateInfo ici = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO, .imageType = VK_IMAGE_TYPE_2D,
		.format = VK_FORMAT_R32_UINT, .extent = { IW, IH, 1 }, .mipLevels = 1, .arrayLayers = 1,
		.samples = VK_SAMPLE_COUNT_1_BIT, .tiling = VK_IMAGE_TILING_OPTIMAL,
		.usage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT,
		.sharingMode = VK_SHARING_MODE_EXCLUSIVE, .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
	};
	if (vkCreateImage(v->dev, &ici, NULL, &img) != VK_SUCCESS)
		goto out;
	VkMemoryRequirements mr;
	vkGetImageMemoryRequirements(v->dev, img, &mr);
	uint32_t type = 0;
	while (type < 32 && !(mr.memoryTypeBits & (1u << type)))
		type++;
	VkMemoryAllocateInfo mai = { .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
				     .allocationSize = mr.size, .memoryTypeIndex = type };
	if (type == 32 || vkAllocateMemory(v->dev, &mai, NULL, &mem) != VK_SUCCESS ||
	    vkBindImageMemory(v->dev, img, mem, 0) != VK_SUCCESS)
		goto out;
	if (mbuf_new(v, a_n, &a) || mbuf_new(v, w_n, &w) || mbuf_new(v, full_n, &full) ||
	    mbuf_new(v, part_n, &part))
		goto out;
	/* the image's texels after both buffer-to-image copies */
	fill_pat(a.map, a_n, 5);
	fill_pat(w.map, w_n, 6);
	fill_pat(full.map, full_n, 7);
	fill_pat(part.map, part_n, 8);
	memcpy(texels, a.map, a_n);
	for (uint32_t y = 0; y < WH; y++)
		for (uint32_t x = 0; x < WW; x++)
			texels[(WY + y) * IW + WX + x] = rd32((uint8_t *)w.map + W_OFF + (y * W_ROW + x) * 4);
	memcpy(want_full, full.map, full_n);
	memcpy(want_full, texels, a_n);
	memcpy(want_part, part.map, part_n);
	for (uint32_t y = 0; y < RH; y++)
		for (uint32_t x = 0; x < RW; x++)
			memcpy(want_part + R_OFF + (y * R_ROW + x) * 4, &texels[(RY + y) * IW + RX + x], 4);

	VkCommandBuffer cb;
	if (vkc_begin(v, v->pool, &cb))
		goto out;
	VkImageMemoryBarrier ib = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
		.dstAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT,
		.oldLayout = VK_IMAGE_LAYOUT_UNDEFINED, .newLayout = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
		.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED, .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
		.image = img, .subresourceRange = { VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1 },
	};
	vkCmdPipelineBarrier(cb, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, NULL,
			     0, NULL, 1, &ib);
	const VkImageSubresourceLayers sub = { VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1 };
	VkBufferImageCopy all = { .imageSubresource = sub, .imageExtent = { IW, IH, 1 } };
	vkCmdCopyBufferToImage(cb, a.buf, img, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &all);
	/* the second write lands on the first: write after write */
	ib.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
	ib.oldLayout = ib.newLayout;
	vkCmdPipelineBarrier(cb, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, NULL, 0,
			     NULL, 1, &ib);
	VkBufferImageCopy wr = { .bufferOffset = W_OFF, .bufferRowLength = W_ROW, .bufferImageHeight = WH + 2,
				 .imageSubresource = sub, .imageOffset = { WX, WY, 0 },
				 .imageExtent = { WW, WH, 1 } };
	vkCmdCopyBufferToImage(cb, w.buf, img, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &wr);
	ib.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT;
	ib.newLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
	vkCmdPipelineBarrier(cb, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, NULL, 0,
			     NULL, 1, &ib);
	vkCmdCopyImageToBuffer(cb, img, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, full.buf, 1, &all);
	VkBufferImageCopy rd = { .bufferOffset = R_OFF, .bufferRowLength = R_ROW, .imageSubresource = sub,
				 .imageOffset = { RX, RY, 0 }, .imageExtent = { RW, RH, 1 } };
	vkCmdCopyImageToBuffer(cb, img, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, part.buf, 1, &rd);
	to_host(cb);
	if (vkc_submit_wait(v, v->q, v->pool, cb))
		goto out;
	r = same_bytes(name, "whole image read back (and 64 bytes after)", full.map, want_full, full_n);
	if (same_bytes(name, "23x11 region read into rows of 27 (with the bytes around)", part.map,
		       want_part, part_n))
		r = -1;
out:
	vkc_buf_free(v, &a);
	vkc_buf_free(v, &w);
	vkc_buf_free(v, &full);
	vkc_buf_free(v, &part);
	if (img)
		vkDestroyImage(v->dev, img, NULL);
	if (mem)
		vkFreeMemory(v->dev, mem, NULL);
	free(want_full);
	free(want_part);
	free(texels);
	return r;
}

/* ---- R32G32B32 linear images ----------------------------------------------
 * RADV creates a 96-bit image linear only (radv_formats.c: no optimal
 * tiling for a block size that is not a power of two; one level, one
 * layer).  addrlib lays it out as 32-bit elements three times as wide
 * (ElemLib::GetBitsPerPixel: ADDR_FMT_32_32_32 is ADDR_EXPANDED by 3), so a
 * row is the texels' bytes padded to 256 (Gfx11Lib/Gfx10Lib::
 * HwlComputeSurfaceInfoLinear: PowTwoAlign(3 * width, 64) dwords), which
 * is no whole number of 12-byte texels; RADV's rowPitch is that byte count
 * (radv_GetImageSubresourceLayout).  The copies take RADV's two paths:
 *   - buffer to image: the btoi_r32g32b32 shader, which views the image's
 *     memory as an R32 texel buffer and stores the three components of
 *     each texel at y * surf_pitch + 3 * x (MUBUF format stores);
 *   - image to buffer: the ordinary itob shader, which fetches the texels
 *     through the image's own T# (format 32_32_32, linear): the texture
 *     unit's row pitch for 96-bit texels.
 * The image is host-visible: its bytes are checked directly as well,
 * the row padding and the bytes after the last row included (they keep
 * the pattern written before).  Both queue families take these compute
 * paths: a 96-bit image is not renderable, and radv_meta_copy.c /
 * radv_meta_clear.c use compute then (cs = ... ||
 * !radv_image_is_renderable).  Which paths run is read from Mesa 22.3.6's
 * source; the itob one was seen on the vgpu (before the 96-bit T# rule,
 * its image_load faulted on the row pitch). */
#define TW 37u /* 444 bytes a row, padded to 512 */
#define TH 19u
#define TWX 3u
#define TWY 2u
#define TWW 29u
#define TWH 13u
#define TW_ROW 31u
#define TW_OFF 24u /* a multiple of the 12-byte texel, as Vulkan requires */
#define TRX 5u
#define TRY 1u
#define TRW 23u
#define TRH 11u
#define TR_ROW 27u
#define TR_OFF 48u

/* A linear w x h R32G32B32_UINT image in host-visible, coherent memory,
 * mapped, its bytes filled with pat(salt), in the PREINITIALIZED layout;
 * its layout checked against addrlib's row pitch (see above). */
struct lin96 {
	VkImage img;
	VkDeviceMemory mem;
	uint8_t *map;
	VkDeviceSize size;          /* of the memory */
	VkSubresourceLayout lay;
};

static int lin96_new(struct vkc *v, const char *name, uint32_t w, uint32_t h, uint32_t salt,
		     struct lin96 *li)
{
	memset(li, 0, sizeof(*li));
	VkImageCreateInfo ici = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO, .imageType = VK_IMAGE_TYPE_2D,
		.format = VK_FORMAT_R32G32B32_UINT, .extent = { w, h, 1 }, .mipLevels = 1,
		.arrayLayers = 1, .samples = VK_SAMPLE_COUNT_1_BIT, .tiling = VK_IMAGE_TILING_LINEAR,
		.usage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT,
		.sharingMode = VK_SHARING_MODE_EXCLUSIVE, .initialLayout = VK_IMAGE_LAYOUT_PREINITIALIZED,
	};
	if (vkCreateImage(v->dev, &ici, NULL, &li->img) != VK_SUCCESS) {
		fprintf(stderr, "%s: vkCreateImage of a %ux%u linear r32g32b32ui image failed\n", name, w,
			h);
		return -1;
	}
	VkMemoryRequirements mr;
	vkGetImageMemoryRequirements(v->dev, li->img, &mr);
	VkPhysicalDeviceMemoryProperties mp;
	vkGetPhysicalDeviceMemoryProperties(v->phys, &mp);
	const VkMemoryPropertyFlags hv = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
					 VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
	uint32_t type = 0;
	while (type < mp.memoryTypeCount &&
	       !((mr.memoryTypeBits & (1u << type)) && (mp.memoryTypes[type].propertyFlags & hv) == hv))
		type++;
	VkMemoryAllocateInfo mai = { .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
				     .allocationSize = mr.size, .memoryTypeIndex = type };
	if (type == mp.memoryTypeCount || vkAllocateMemory(v->dev, &mai, NULL, &li->mem) != VK_SUCCESS ||
	    vkBindImageMemory(v->dev, li->img, li->mem, 0) != VK_SUCCESS ||
	    vkMapMemory(v->dev, li->mem, 0, VK_WHOLE_SIZE, 0, (void **)&li->map) != VK_SUCCESS) {
		fprintf(stderr, "%s: no host-visible memory for the linear image\n", name);
		return -1;
	}
	li->size = mr.size;
	VkImageSubresource isr = { VK_IMAGE_ASPECT_COLOR_BIT, 0, 0 };
	vkGetImageSubresourceLayout(v->dev, li->img, &isr, &li->lay);
	/* the layout addrlib gives (see above): the vgpu's T# rule must agree */
	const VkDeviceSize pitch = (w * 12 + 255) & ~(VkDeviceSize)255;
	if (li->lay.rowPitch != pitch || li->lay.size < pitch * (h - 1) + w * 12 ||
	    li->lay.offset + li->lay.size > mr.size) {
		fprintf(stderr, "%s: RADV's layout: offset %llu, rowPitch %llu, size %llu (expected "
			"rowPitch %llu)\n", name, (unsigned long long)li->lay.offset,
			(unsigned long long)li->lay.rowPitch, (unsigned long long)li->lay.size,
			(unsigned long long)pitch);
		return -1;
	}
	fill_pat(li->map, mr.size, salt);
	return 0;
}

static void lin96_free(struct vkc *v, struct lin96 *li)
{
	if (li->img)
		vkDestroyImage(v->dev, li->img, NULL);
	if (li->mem)
		vkFreeMemory(v->dev, li->mem, NULL);
	memset(li, 0, sizeof(*li));
}

int vkc_image_copy_r32g32b32(struct vkc *v)
{
	const char *name = "image_copy_r32g32b32";
	const VkFormat fmt = VK_FORMAT_R32G32B32_UINT;
	VkFormatProperties fp;
	vkGetPhysicalDeviceFormatProperties(v->phys, fmt, &fp);
	VkFormatFeatureFlags need = VK_FORMAT_FEATURE_TRANSFER_SRC_BIT | VK_FORMAT_FEATURE_TRANSFER_DST_BIT;
	if ((fp.linearTilingFeatures & need) != need) {
		printf("skip %s: r32g32b32ui is no linear transfer format here\n", name);
		return SKIP;
	}
	struct lin96 li;
	memset(&li, 0, sizeof(li));
	struct vkc_buf a, w, full, part;
	memset(&a, 0, sizeof(a));
	memset(&w, 0, sizeof(w));
	memset(&full, 0, sizeof(full));
	memset(&part, 0, sizeof(part));
	const size_t a_n = TW * TH * 12, w_n = TW_OFF + TW_ROW * (TWH + 2) * 12,
		     full_n = TW * TH * 12 + GUARD, part_n = TR_OFF + TR_ROW * TRH * 12 + GUARD;
	uint8_t *want_full = malloc(full_n), *want_part = malloc(part_n), *texels = malloc(a_n);
	uint8_t *want_img = NULL;
	int r = -1;
	if (!want_full || !want_part || !texels)
		goto out;
	if (lin96_new(v, name, TW, TH, 9, &li))
		goto out;
	want_img = malloc(li.size);
	if (!want_img)
		goto out;
	memcpy(want_img, li.map, li.size);
	if (mbuf_new(v, a_n, &a) || mbuf_new(v, w_n, &w) || mbuf_new(v, full_n, &full) ||
	    mbuf_new(v, part_n, &part))
		goto out;
	fill_pat(a.map, a_n, 10);
	fill_pat(w.map, w_n, 11);
	fill_pat(full.map, full_n, 12);
	fill_pat(part.map, part_n, 13);
	/* the texels after both buffer-to-image copies, tightly packed */
	memcpy(texels, a.map, a_n);
	for (uint32_t y = 0; y < TWH; y++)
		memcpy(texels + ((TWY + y) * TW + TWX) * 12,
		       (uint8_t *)w.map + TW_OFF + (size_t)y * TW_ROW * 12, TWW * 12);
	for (uint32_t y = 0; y < TH; y++)
		memcpy(want_img + li.lay.offset + y * li.lay.rowPitch, texels + (size_t)y * TW * 12, TW * 12);
	memcpy(want_full, full.map, full_n);
	memcpy(want_full, texels, a_n);
	memcpy(want_part, part.map, part_n);
	for (uint32_t y = 0; y < TRH; y++)
		memcpy(want_part + TR_OFF + (size_t)y * TR_ROW * 12, texels + ((TRY + y) * TW + TRX) * 12,
		       TRW * 12);

	VkCommandBuffer cb;
	if (vkc_begin(v, v->pool, &cb))
		goto out;
	VkImageMemoryBarrier ib = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
		.srcAccessMask = VK_ACCESS_HOST_WRITE_BIT, .dstAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT,
		.oldLayout = VK_IMAGE_LAYOUT_PREINITIALIZED, .newLayout = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
		.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED, .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
		.image = li.img, .subresourceRange = { VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1 },
	};
	vkCmdPipelineBarrier(cb, VK_PIPELINE_STAGE_HOST_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, NULL, 0,
			     NULL, 1, &ib);
	const VkImageSubresourceLayers sub = { VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1 };
	VkBufferImageCopy all = { .imageSubresource = sub, .imageExtent = { TW, TH, 1 } };
	vkCmdCopyBufferToImage(cb, a.buf, li.img, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &all);
	ib.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
	ib.oldLayout = ib.newLayout;
	vkCmdPipelineBarrier(cb, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, NULL, 0,
			     NULL, 1, &ib);
	VkBufferImageCopy wr = { .bufferOffset = TW_OFF, .bufferRowLength = TW_ROW,
				 .bufferImageHeight = TWH + 2, .imageSubresource = sub,
				 .imageOffset = { TWX, TWY, 0 }, .imageExtent = { TWW, TWH, 1 } };
	vkCmdCopyBufferToImage(cb, w.buf, li.img, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &wr);
	ib.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_HOST_READ_BIT;
	ib.newLayout = VK_IMAGE_LAYOUT_GENERAL;
	vkCmdPipelineBarrier(cb, VK_PIPELINE_STAGE_TRANSFER_BIT,
			     VK_PIPELINE_STAGE_TRANSFER_BIT | VK_PIPELINE_STAGE_HOST_BIT, 0, 0, NULL, 0, NULL,
			     1, &ib);
	vkCmdCopyImageToBuffer(cb, li.img, VK_IMAGE_LAYOUT_GENERAL, full.buf, 1, &all);
	VkBufferImageCopy rd = { .bufferOffset = TR_OFF, .bufferRowLength = TR_ROW, .imageSubresource = sub,
				 .imageOffset = { TRX, TRY, 0 }, .imageExtent = { TRW, TRH, 1 } };
	vkCmdCopyImageToBuffer(cb, li.img, VK_IMAGE_LAYOUT_GENERAL, part.buf, 1, &rd);
	to_host(cb);
	if (vkc_submit_wait(v, v->q, v->pool, cb))
		goto out;
	r = same_bytes(name, "image memory (rows of 512 bytes: 444 of texels, 68 of padding)", li.map,
		       want_img, li.size);
	if (same_bytes(name, "whole image read back (and 64 bytes after)", full.map, want_full, full_n))
		r = -1;
	if (same_bytes(name, "23x11 region read into rows of 27 (with the bytes around)", part.map,
		       want_part, part_n))
		r = -1;
out:
	vkc_buf_free(v, &a);
	vkc_buf_free(v, &w);
	vkc_buf_free(v, &full);
	vkc_buf_free(v, &part);
	lin96_free(v, &li);
	free(want_full);
	free(want_part);
	free(texels);
	free(want_img);
	return r;
}

/* vkCmdClearColorImage and vkCmdCopyImage on linear R32G32B32 images: RADV's
 * cleari_r32g32b32 and itoi_r32g32b32 shaders (radv_meta_bufimage.c), which
 * view each image's memory as an R32 texel buffer with the surf_pitch
 * stride (dwords) and store the three components of a texel one by one.
 * A 29x13 image (348 bytes a row, padded to 512) is cleared, then a 20x9
 * region of a 37x19 one, from (3, 2), is copied into it at (5, 1); 8x8
 * groups leave partial ones on both axes.  Every byte of both images is
 * checked: the row padding and the bytes after the last row keep the
 * pattern the host wrote, the source is unchanged. */
#define CW 29u
#define CH 13u
#define CSX 3u
#define CSY 2u
#define CDX 5u
#define CDY 1u
#define CRW 20u
#define CRH 9u

int vkc_image_clear_copy_r32g32b32(struct vkc *v)
{
	const char *name = "image_clear_copy_r32g32b32";
	VkFormatProperties fp;
	vkGetPhysicalDeviceFormatProperties(v->phys, VK_FORMAT_R32G32B32_UINT, &fp);
	VkFormatFeatureFlags need = VK_FORMAT_FEATURE_TRANSFER_SRC_BIT | VK_FORMAT_FEATURE_TRANSFER_DST_BIT;
	if ((fp.linearTilingFeatures & need) != need) {
		printf("skip %s: r32g32b32ui is no linear transfer format here\n", name);
		return SKIP;
	}
	struct lin96 src, dst;
	memset(&src, 0, sizeof(src));
	memset(&dst, 0, sizeof(dst));
	uint8_t *want_src = NULL, *want_dst = NULL;
	int r = -1;
	if (lin96_new(v, name, TW, TH, 20, &src) || lin96_new(v, name, CW, CH, 21, &dst))
		goto out;
	want_src = malloc(src.size);
	want_dst = malloc(dst.size);
	if (!want_src || !want_dst)
		goto out;
	memcpy(want_src, src.map, src.size);
	memcpy(want_dst, dst.map, dst.size);
	const uint32_t color[3] = { 0x11111111u, 0x22222222u, 0x33333333u };
	for (uint32_t y = 0; y < CH; y++)
		for (uint32_t x = 0; x < CW; x++)
			memcpy(want_dst + dst.lay.offset + y * dst.lay.rowPitch + x * 12, color, 12);
	for (uint32_t y = 0; y < CRH; y++)
		memcpy(want_dst + dst.lay.offset + (CDY + y) * dst.lay.rowPitch + CDX * 12,
		       want_src + src.lay.offset + (CSY + y) * src.lay.rowPitch + CSX * 12, CRW * 12);

	VkCommandBuffer cb;
	if (vkc_begin(v, v->pool, &cb))
		goto out;
	const VkImageSubresourceRange range = { VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1 };
	VkImageMemoryBarrier ib[2] = {
		{ .sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
		  .srcAccessMask = VK_ACCESS_HOST_WRITE_BIT, .dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT,
		  .oldLayout = VK_IMAGE_LAYOUT_PREINITIALIZED, .newLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
		  .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
		  .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED, .image = src.img, .subresourceRange = range },
		{ .sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
		  .srcAccessMask = VK_ACCESS_HOST_WRITE_BIT, .dstAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT,
		  .oldLayout = VK_IMAGE_LAYOUT_PREINITIALIZED, .newLayout = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
		  .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
		  .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED, .image = dst.img, .subresourceRange = range },
	};
	vkCmdPipelineBarrier(cb, VK_PIPELINE_STAGE_HOST_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, NULL, 0,
			     NULL, 2, ib);
	VkClearColorValue cv = { .uint32 = { color[0], color[1], color[2], 0 } };
	vkCmdClearColorImage(cb, dst.img, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, &cv, 1, &range);
	/* the copy lands on the clear: write after write */
	ib[1].srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
	ib[1].oldLayout = ib[1].newLayout;
	vkCmdPipelineBarrier(cb, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, NULL, 0,
			     NULL, 1, &ib[1]);
	const VkImageSubresourceLayers sub = { VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1 };
	VkImageCopy ic = { .srcSubresource = sub, .srcOffset = { CSX, CSY, 0 }, .dstSubresource = sub,
			   .dstOffset = { CDX, CDY, 0 }, .extent = { CRW, CRH, 1 } };
	vkCmdCopyImage(cb, src.img, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, dst.img,
		       VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &ic);
	to_host(cb);
	if (vkc_submit_wait(v, v->q, v->pool, cb))
		goto out;
	r = same_bytes(name, "cleared 29x13 image with the 20x9 copy (rows of 512 bytes)", dst.map,
		       want_dst, dst.size);
	if (same_bytes(name, "source image (unchanged)", src.map, want_src, src.size))
		r = -1;
out:
	lin96_free(v, &src);
	lin96_free(v, &dst);
	free(want_src);
	free(want_dst);
	return r;
}
