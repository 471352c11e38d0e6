/*
 * Storage images through RADV: a 2D image of VK_IMAGE_TILING_LINEAR in
 * host-visible memory (so the CPU fills and checks its texels at the row
 * pitch RADV reports), bound as a storage image next to an output buffer,
 * and one dispatch of a shader that uses imageSize, imageLoad, imageStore
 * (and imageAtomicAdd on r32ui).  Every texel and every returned value is
 * compared bit-exactly with a CPU reference.
 *
 * Linear tiling is what the vgpu's shader core models (SW_MODE 0); an
 * optimally tiled image (what RADV picks otherwise, and for arrays, 3D
 * images and mip chains) stops with a fault naming its swizzle mode.
 */
#include "vk.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SKIP 1

/* An odd width, so that RADV's linear row pitch (aligned) differs from it */
#define IMG_W 13u
#define IMG_H 5u

struct vkc_img {
	VkImage img;
	VkDeviceMemory mem;
	VkImageView view;
	uint8_t *map;          /* texel (x, y) at map + offset + y * pitch + x * 4 */
	VkDeviceSize offset, pitch;
};

static void img_free(struct vkc *v, struct vkc_img *im)
{
	if (im->view)
		vkDestroyImageView(v->dev, im->view, NULL);
	if (im->img)
		vkDestroyImage(v->dev, im->img, NULL);
	if (im->mem)
		vkFreeMemory(v->dev, im->mem, NULL);
	memset(im, 0, sizeof(*im));
}

/* A linear IMG_W x IMG_H image of `fmt` (4-byte texels); SKIP when the
 * format cannot be a linear storage image (with atomics if `atomic`). */
static int img_new(struct vkc *v, VkFormat fmt, bool atomic, struct vkc_img *im)
{
	memset(im, 0, sizeof(*im));
	VkFormatProperties fp;
	vkGetPhysicalDeviceFormatProperties(v->phys, fmt, &fp);
	VkFormatFeatureFlags need = VK_FORMAT_FEATURE_STORAGE_IMAGE_BIT |
				    (atomic ? VK_FORMAT_FEATURE_STORAGE_IMAGE_ATOMIC_BIT : 0);
	if ((fp.linearTilingFeatures & need) != need) {
		fprintf(stderr, "vkimage: format %d is not a linear storage image here (features 0x%x)\n",
			fmt, fp.linearTilingFeatures);
		return SKIP;
	}
	VkImageCreateInfo ici = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO, .imageType = VK_IMAGE_TYPE_2D,
		.format = fmt, .extent = { IMG_W, IMG_H, 1 }, .mipLevels = 1, .arrayLayers = 1,
		.samples = VK_SAMPLE_COUNT_1_BIT, .tiling = VK_IMAGE_TILING_LINEAR,
		.usage = VK_IMAGE_USAGE_STORAGE_BIT, .sharingMode = VK_SHARING_MODE_CONCURRENT,
		.queueFamilyIndexCount = 2, .pQueueFamilyIndices = (uint32_t[]){ v->fam_gfx, v->fam_comp },
		.initialLayout = VK_IMAGE_LAYOUT_PREINITIALIZED,
	};
	VKC_CHECK(vkCreateImage(v->dev, &ici, NULL, &im->img));
	VkMemoryRequirements mr;
	vkGetImageMemoryRequirements(v->dev, im->img, &mr);
	if (!(mr.memoryTypeBits & (1u << v->mem_type))) {
		fprintf(stderr, "vkimage: the linear image cannot use the host-visible memory type\n");
		return -1;
	}
	VkMemoryAllocateInfo mai = { .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
				     .allocationSize = mr.size, .memoryTypeIndex = v->mem_type };
	VKC_CHECK(vkAllocateMemory(v->dev, &mai, NULL, &im->mem));
	VKC_CHECK(vkBindImageMemory(v->dev, im->img, im->mem, 0));
	void *map;
	VKC_CHECK(vkMapMemory(v->dev, im->mem, 0, VK_WHOLE_SIZE, 0, &map));
	im->map = map;
	VkImageSubresource sub = { .aspectMask = VK_IMAGE_ASPECT_COLOR_BIT };
	VkSubresourceLayout lay;
	vkGetImageSubresourceLayout(v->dev, im->img, &sub, &lay);
	im->offset = lay.offset;
	im->pitch = lay.rowPitch;
	VkImageViewCreateInfo vci = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO, .image = im->img,
		.viewType = VK_IMAGE_VIEW_TYPE_2D, .format = fmt,
		.subresourceRange = { VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1 },
	};
	VKC_CHECK(vkCreateImageView(v->dev, &vci, NULL, &im->view));
	return 0;
}

static uint32_t *texel(struct vkc_img *im, uint32_t x, uint32_t y)
{
	return (uint32_t *)(im->map + im->offset + y * im->pitch + x * 4);
}

/* The pipeline of `shader`: binding 0 the storage image, binding 1 the
 * output buffer. */
static int img_pipe_new(struct vkc *v, const char *shader, struct vkc_img *im, struct vkc_buf *out,
			uint32_t push_size, struct vkc_pipe *p)
{
	memset(p, 0, sizeof(*p));
	p->push_size = push_size;
	VkDescriptorSetLayoutBinding bind[2] = {
		{ .binding = 0, .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, .descriptorCount = 1,
		  .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT },
		{ .binding = 1, .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, .descriptorCount = 1,
		  .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT },
	};
	VkDescriptorSetLayoutCreateInfo dli = { .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO,
						.bindingCount = 2, .pBindings = bind };
	VKC_CHECK(vkCreateDescriptorSetLayout(v->dev, &dli, NULL, &p->dsl));
	VkPushConstantRange pr = { .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT, .size = push_size };
	VkPipelineLayoutCreateInfo pli = { .sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
					   .setLayoutCount = 1, .pSetLayouts = &p->dsl,
					   .pushConstantRangeCount = push_size ? 1 : 0, .pPushConstantRanges = &pr };
	VKC_CHECK(vkCreatePipelineLayout(v->dev, &pli, NULL, &p->layout));
	char path[512];
	snprintf(path, sizeof(path), "%s/%s.spv", v->spv_dir, shader);
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint32_t *code = malloc(n > 0 ? (size_t)n : 4);
	if (!code || n <= 0 || fread(code, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "vkimage: cannot read %s\n", path);
		fclose(f);
		free(code);
		return -1;
	}
	fclose(f);
	VkShaderModuleCreateInfo smi = { .sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
					 .codeSize = (size_t)n, .pCode = code };
	VkShaderModule mod;
	VkResult r = vkCreateShaderModule(v->dev, &smi, NULL, &mod);
	free(code);
	VKC_CHECK(r);
	VkComputePipelineCreateInfo cpi = {
		.sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO,
		.stage = { .sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
			   .stage = VK_SHADER_STAGE_COMPUTE_BIT, .module = mod, .pName = "main" },
		.layout = p->layout,
	};
	r = vkCreateComputePipelines(v->dev, VK_NULL_HANDLE, 1, &cpi, NULL, &p->pipe);
	vkDestroyShaderModule(v->dev, mod, NULL);
	VKC_CHECK(r);
	VkDescriptorPoolSize ps[2] = { { VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, 1 },
				       { VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1 } };
	VkDescriptorPoolCreateInfo dpi = { .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
					   .maxSets = 1, .poolSizeCount = 2, .pPoolSizes = ps };
	VKC_CHECK(vkCreateDescriptorPool(v->dev, &dpi, NULL, &p->dpool));
	VkDescriptorSetAllocateInfo dai = { .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
					    .descriptorPool = p->dpool, .descriptorSetCount = 1,
					    .pSetLayouts = &p->dsl };
	VKC_CHECK(vkAllocateDescriptorSets(v->dev, &dai, &p->set));
	VkDescriptorImageInfo ii = { .imageView = im->view, .imageLayout = VK_IMAGE_LAYOUT_GENERAL };
	VkDescriptorBufferInfo bi = { .buffer = out->buf, .range = VK_WHOLE_SIZE };
	VkWriteDescriptorSet w[2] = {
		{ .sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET, .dstSet = p->set, .dstBinding = 0,
		  .descriptorCount = 1, .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_IMAGE, .pImageInfo = &ii },
		{ .sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET, .dstSet = p->set, .dstBinding = 1,
		  .descriptorCount = 1, .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, .pBufferInfo = &bi },
	};
	vkUpdateDescriptorSets(v->dev, 2, w, 0, NULL);
	return 0;
}

/* PREINITIALIZED -> GENERAL (host writes visible to the shader), the
 * dispatch, then shader writes visible to the host. */
static int img_run(struct vkc *v, struct vkc_img *im, const struct vkc_pipe *p)
{
	VkCommandBuffer cb;
	if (vkc_begin(v, v->pool, &cb))
		return -1;
	VkImageMemoryBarrier ib = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER, .srcAccessMask = VK_ACCESS_HOST_WRITE_BIT,
		.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT,
		.oldLayout = VK_IMAGE_LAYOUT_PREINITIALIZED, .newLayout = VK_IMAGE_LAYOUT_GENERAL,
		.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED, .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
		.image = im->img, .subresourceRange = { VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1 },
	};
	vkCmdPipelineBarrier(cb, VK_PIPELINE_STAGE_HOST_BIT, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, 0, 0,
			     NULL, 0, NULL, 1, &ib);
	vkc_bind(cb, p, NULL);
	vkCmdDispatch(cb, (IMG_W + 7) / 8, (IMG_H + 7) / 8, 1);
	VkMemoryBarrier mb = { .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
			       .srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT,
			       .dstAccessMask = VK_ACCESS_HOST_READ_BIT };
	vkCmdPipelineBarrier(cb, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &mb,
			     0, NULL, 0, NULL);
	return vkc_submit_wait(v, v->q, v->pool, cb);
}

/* Sets up the image, the output buffer (16 + out_bytes: imageSize, then
 * the shader's array, at 8 for uint[] and 16 for vec4[] in std430) and the pipeline,
 * lets `fill` write the texels, and runs the shader once. */
static int img_case(struct vkc *v, const char *shader, VkFormat fmt, bool atomic, size_t out_bytes,
		    void (*fill)(struct vkc_img *), struct vkc_img *im, struct vkc_buf *out,
		    struct vkc_pipe *p)
{
	int r = img_new(v, fmt, atomic, im);
	if (r)
		return r;
	if (vkc_buf_new(v, 16 + out_bytes, 0, out))
		return -1;
	fill(im);
	if (img_pipe_new(v, shader, im, out, 0, p) || img_run(v, im, p))
		return -1;
	const uint32_t *size = out->map;
	if (size[0] != IMG_W || size[1] != IMG_H) {
		fprintf(stderr, "%s: imageSize %u x %u, expected %u x %u\n", shader, size[0], size[1], IMG_W,
			IMG_H);
		return -1;
	}
	return 0;
}

static uint32_t f32_bits(float f)
{
	uint32_t u;
	memcpy(&u, &f, 4);
	return u;
}

static uint32_t img_rng = 0x2468aceu;
static uint32_t img_rnd(void)
{
	uint32_t x = img_rng;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return img_rng = x;
}

/* ---- the linear 2D format cases: one table ----------------------------------
 * Each case: the shader (also the test's name) and its format, whether it
 * needs atomics or shaderStorageImageExtendedFormats, the texels before
 * (`init`, from the case's own random sequence), the output words the
 * shader writes after imageSize (at word `out_at`: 2 for uint[], 4 for
 * vec4[] in std430) and the check of one texel: the values the shader
 * returned for it and what it left in the image. */

static uint32_t img_before[IMG_W * IMG_H];

static void fill_before(struct vkc_img *im)
{
	for (uint32_t y = 0; y < IMG_H; y++)
		for (uint32_t x = 0; x < IMG_W; x++)
			*texel(im, x, y) = img_before[y * IMG_W + x];
}

struct img_fmt_case {
	const char *name;
	VkFormat fmt;
	bool atomic, ext_formats;
	uint32_t seed;
	void (*init)(uint32_t *before);
	size_t out_bytes;
	uint32_t out_at;
	/* 0, or -1 after printing what differs at (x, y), whose texel was b */
	int (*check)(struct vkc_img *im, const uint32_t *o, uint32_t x, uint32_t y, uint32_t b);
};

/* r32ui: load, store, atomic add, size */
static void init_r32ui(uint32_t *before)
{
	for (uint32_t i = 0; i < IMG_W * IMG_H; i++)
		before[i] = img_rnd() >> 4;
}

static int check_r32ui(struct vkc_img *im, const uint32_t *o, uint32_t x, uint32_t y, uint32_t b)
{
	uint32_t i = y * IMG_W + x;
	if (o[i] != b || o[IMG_W * IMG_H + i] != b * 3 + 1 || *texel(im, x, y) != b * 3 + 6) {
		fprintf(stderr, "image_r32ui (%u, %u): loaded %u, atomic returned %u, texel %u; "
			"expected %u, %u, %u\n", x, y, o[i], o[IMG_W * IMG_H + i],
			*texel(im, x, y), b, b * 3 + 1, b * 3 + 6);
		return -1;
	}
	return 0;
}

/* rgb10a2: UNORM 10/10/10/2, x in the low bits */
static void init_rgb10a2(uint32_t *before)
{
	for (uint32_t i = 0; i < IMG_W * IMG_H; i++)
		before[i] = img_rnd();
	before[0] = 0xffffffffu;  /* every channel 1.0 */
	before[1] = 0;            /* every channel 0 */
}

static int check_rgb10a2(struct vkc_img *im, const uint32_t *o, uint32_t x, uint32_t y, uint32_t b)
{
	int r = 0;
	uint32_t i = y * IMG_W + x;
	uint32_t ch[4] = { b & 0x3ff, (b >> 10) & 0x3ff, (b >> 20) & 0x3ff, b >> 30 };
	/* UNORM: v / (2^n - 1), correctly rounded */
	uint32_t want_c[4] = { f32_bits((float)ch[0] / 1023.0f), f32_bits((float)ch[1] / 1023.0f),
			       f32_bits((float)ch[2] / 1023.0f), f32_bits((float)ch[3] / 3.0f) };
	/* stored (b, g, r, 1 - a): the raw channels swapped, 3 - a */
	uint32_t want_t = ch[2] | ch[1] << 10 | ch[0] << 20 | (3 - ch[3]) << 30;
	for (int k = 0; k < 4; k++)
		if (o[4 * i + k] != want_c[k]) {
			fprintf(stderr, "image_rgb10a2 (%u, %u) channel %d: 0x%08x, expected 0x%08x\n",
				x, y, k, o[4 * i + k], want_c[k]);
			r = -1;
		}
	if (*texel(im, x, y) != want_t) {
		fprintf(stderr, "image_rgb10a2 (%u, %u): texel 0x%08x, expected 0x%08x (was 0x%08x)\n",
			x, y, *texel(im, x, y), want_t, b);
		r = -1;
	}
	return r;
}

/* r11g11b10: unsigned 11/11/10-bit floats, R in bits 10:0 */

/* An unsigned float of 5 exponent and m mantissa bits, as f32 */
static float ufloat(uint32_t raw, unsigned m)
{
	uint32_t e = raw >> m, mant = raw & ((1u << m) - 1);
	if (e == 31)
		return mant ? NAN : INFINITY;
	return e ? ldexpf(1.0f + (float)mant / (float)(1u << m), (int)e - 15)
		 : ldexpf((float)mant, -14 - (int)m);
}

/* A random 10/11-bit field whose exponent is at most 29 (so 2x stays
 * finite), denormals included */
static uint32_t rnd_field(unsigned m)
{
	uint32_t e = img_rnd() % 30, mant = img_rnd() & ((1u << m) - 1);
	return e << m | mant;
}

static void init_r11g11b10(uint32_t *before)
{
	for (uint32_t i = 0; i < IMG_W * IMG_H; i++)
		before[i] = rnd_field(6) | rnd_field(6) << 11 | rnd_field(5) << 22;
	before[0] = 0x3c0u | 0x3c0u << 11 | 0x1e0u << 22; /* 1.0, 1.0, 1.0 */
	before[1] = 0x001u | 0x03fu << 11 | 0x01fu << 22; /* denormals */
}

static int check_r11g11b10(struct vkc_img *im, const uint32_t *o, uint32_t x, uint32_t y, uint32_t b)
{
	int r = 0;
	uint32_t i = y * IMG_W + x;
	uint32_t rr = b & 0x7ff, gg = (b >> 11) & 0x7ff, bb = b >> 22;
	uint32_t want_c[4] = { f32_bits(ufloat(rr, 6)), f32_bits(ufloat(gg, 6)),
			       f32_bits(ufloat(bb, 5)), f32_bits(1.0f) };
	/* stored (g, r, 2 b): 2 b is exact (a denormal doubles its field, a
	 * normal adds one to the exponent) */
	uint32_t b2 = (bb >> 5) ? bb + 32 : bb * 2;
	uint32_t want_t = gg | rr << 11 | b2 << 22;
	for (int k = 0; k < 4; k++)
		if (o[4 * i + k] != want_c[k]) {
			fprintf(stderr, "image_r11g11b10 (%u, %u) channel %d: 0x%08x, expected 0x%08x\n",
				x, y, k, o[4 * i + k], want_c[k]);
			r = -1;
		}
	if (*texel(im, x, y) != want_t) {
		fprintf(stderr, "image_r11g11b10 (%u, %u): texel 0x%08x, expected 0x%08x (was 0x%08x)\n",
			x, y, *texel(im, x, y), want_t, b);
		r = -1;
	}
	return r;
}

static const struct img_fmt_case img_fmt_cases[] = {
	{ "image_r32ui", VK_FORMAT_R32_UINT, true, false, 0x13579bdu, init_r32ui,
	  2 * sizeof(img_before), 2, check_r32ui },
	{ "image_rgb10a2", VK_FORMAT_A2B10G10R10_UNORM_PACK32, false, true, 0x9abcdefu, init_rgb10a2,
	  IMG_W * IMG_H * 16, 4, check_rgb10a2 },
	{ "image_r11g11b10", VK_FORMAT_B10G11R11_UFLOAT_PACK32, false, true, 0x55aa33ccu,
	  init_r11g11b10, IMG_W * IMG_H * 16, 4, check_r11g11b10 },
};

/* One case of the table: the image, the output buffer and the pipeline,
 * one dispatch, every texel checked (up to the first that differs). */
static int img_fmt_run(struct vkc *v, const struct img_fmt_case *c)
{
	struct vkc_img im;
	struct vkc_buf out;
	struct vkc_pipe p;
	memset(&im, 0, sizeof(im));
	memset(&out, 0, sizeof(out));
	memset(&p, 0, sizeof(p));
	if (c->ext_formats && !v->image_ext_formats) {
		fprintf(stderr, "%s: the device lacks shaderStorageImageExtendedFormats\n", c->name);
		return SKIP;
	}
	img_rng = c->seed;
	c->init(img_before);
	int r = img_case(v, c->name, c->fmt, c->atomic, c->out_bytes, fill_before, &im, &out, &p);
	if (r)
		goto out;
	const uint32_t *o = (const uint32_t *)out.map + c->out_at;
	for (uint32_t y = 0; y < IMG_H && !r; y++)
		for (uint32_t x = 0; x < IMG_W && !r; x++)
			r = c->check(&im, o, x, y, img_before[y * IMG_W + x]);
out:
	vkc_pipe_free(v, &p);
	vkc_buf_free(v, &out);
	img_free(v, &im);
	return r;
}

int vkc_image_tests_r32ui(struct vkc *v)
{
	return img_fmt_run(v, &img_fmt_cases[0]);
}

int vkc_image_tests_rgb10a2(struct vkc *v)
{
	return img_fmt_run(v, &img_fmt_cases[1]);
}

int vkc_image_tests_r11g11b10(struct vkc *v)
{
	return img_fmt_run(v, &img_fmt_cases[2]);
}

/* ---- float min/max on an r32f image (VK_EXT_shader_atomic_float2) -------
 * Texel i (row-major) holds vals[i % K] and takes imageAtomicMin with
 * vals[(i % K + i / K) % K], then imageAtomicMax with vals[(i % K + K -
 * i / K) % K]: over the 65 texels every value meets itself and its
 * neighbours in the table, in both orders (+0/-0, -0/+0, NaN against a
 * number and a number against NaN, denormals of both signs, infinities).
 * The reference is IEEE minNum/maxNum as the float atomics of the AMD
 * ISAs define them: a NaN operand loses, of operands that compare equal
 * (-0.0 and +0.0) the value in the image stays, the result is one
 * operand's bits (denormals kept). */
static const uint32_t minmax_vals[] = {
	0x00000000u, 0x80000000u, 0x3f800000u, 0xbf800000u, 0x40200000u, 0xc0400000u,
	0x7fc00000u, 0x00000001u, 0x807fffffu, 0x7f800000u, 0xff800000u, 0x3f800001u,
	0x00800000u,
};
#define MINMAX_K (sizeof(minmax_vals) / sizeof(minmax_vals[0]))

static float f32_of(uint32_t u)
{
	float f;
	memcpy(&f, &u, 4);
	return f;
}

static uint32_t ref_minmax(uint32_t mem, uint32_t data, bool max)
{
	float m = f32_of(mem), d = f32_of(data);
	if (isnan(m))
		return data;
	if (isnan(d))
		return mem;
	return (max ? d > m : d < m) ? data : mem;
}

/* Texel i's case: its value before, the operands of the min and then
 * the max (d = i / MINMAX_K pairs each value with every other one), and
 * the reference texel after each. */
struct minmax_case {
	uint32_t before, a, b, mid, after;
};

static struct minmax_case minmax_case(uint32_t i)
{
	uint32_t k = i % MINMAX_K, d = (i / MINMAX_K) % MINMAX_K;
	struct minmax_case c = { minmax_vals[k], minmax_vals[(k + d) % MINMAX_K],
				 minmax_vals[(k + MINMAX_K - d) % MINMAX_K], 0, 0 };
	c.mid = ref_minmax(c.before, c.a, false);
	c.after = ref_minmax(c.mid, c.b, true);
	return c;
}

/* Whether texel i's three observed values (before the atomics, what the
 * min returned, the texel after both) are what minmax_case(i) expects;
 * a mismatch is printed, `after_what` naming where the last came from. */
static bool minmax_ok(const char *name, uint32_t i, uint32_t before, uint32_t mid,
		      uint32_t after, const char *after_what)
{
	struct minmax_case c = minmax_case(i);
	if (before == c.before && mid == c.mid && after == c.after)
		return true;
	fprintf(stderr, "%s texel %u: 0x%08x min 0x%08x max 0x%08x: returned 0x%08x, 0x%08x, "
		"%s 0x%08x; expected 0x%08x, 0x%08x, 0x%08x\n", name, i, c.before, c.a, c.b,
		before, mid, after_what, after, c.before, c.mid, c.after);
	return false;
}

int vkc_image_tests_r32f_minmax(struct vkc *v)
{
	if (!v->image_float_minmax) {
		printf("skip image_r32f_minmax: the device reports no shaderImageFloat32AtomicMinMax "
		       "(VK_EXT_shader_atomic_float2)\n");
		return SKIP;
	}
	struct vkc_img im;
	struct vkc_buf out;
	struct vkc_pipe p;
	memset(&out, 0, sizeof(out));
	memset(&p, 0, sizeof(p));
	const uint32_t n = IMG_W * IMG_H;
	int r = img_new(v, VK_FORMAT_R32_SFLOAT, true, &im);
	if (r)
		return r;
	r = -1;
	if (vkc_buf_new(v, 8 + 8 * n, 0, &out))
		goto out;
	uint32_t *o = (uint32_t *)out.map + 2;
	for (uint32_t i = 0; i < n; i++) {
		struct minmax_case c = minmax_case(i);
		*texel(&im, i % IMG_W, i / IMG_W) = c.before;
		o[i] = c.a;
		o[n + i] = c.b;
	}
	if (img_pipe_new(v, "image_r32f_minmax", &im, &out, 0, &p) || img_run(v, &im, &p))
		goto out;
	const uint32_t *size = out.map;
	if (size[0] != IMG_W || size[1] != IMG_H) {
		fprintf(stderr, "image_r32f_minmax: imageSize %u x %u, expected %u x %u\n", size[0],
			size[1], IMG_W, IMG_H);
		goto out;
	}
	r = 0;
	for (uint32_t i = 0; i < n; i++)
		if (!minmax_ok("image_r32f_minmax", i, o[i], o[n + i],
			       *texel(&im, i % IMG_W, i / IMG_W), "texel"))
			r = -1;
out:
	vkc_pipe_free(v, &p);
	vkc_buf_free(v, &out);
	img_free(v, &im);
	return r;
}

/* The same table on a 48 x 32 VK_IMAGE_TILING_OPTIMAL r32f image (RADV's
 * choice of swizzle; device memory the CPU never maps): the shader stores
 * each texel's value before, runs the two atomics and loads the texel
 * back (image_r32f_minmax_tiled.comp). */
#define MMT_W 48u
#define MMT_H 32u

static int img_new_optimal(struct vkc *v, const VkImageCreateInfo *ici, struct vkc_img *im);

int vkc_image_tests_r32f_minmax_tiled(struct vkc *v)
{
	const char *name = "image_r32f_minmax_tiled";
	if (!v->image_float_minmax) {
		printf("skip %s: the device reports no shaderImageFloat32AtomicMinMax "
		       "(VK_EXT_shader_atomic_float2)\n", name);
		return SKIP;
	}
	struct vkc_img im;
	struct vkc_buf out;
	struct vkc_pipe p;
	memset(&im, 0, sizeof(im));
	memset(&out, 0, sizeof(out));
	memset(&p, 0, sizeof(p));
	const uint32_t n = MMT_W * MMT_H;
	int r = -1;
	VkImageCreateInfo ici = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO, .imageType = VK_IMAGE_TYPE_2D,
		.format = VK_FORMAT_R32_SFLOAT, .extent = { MMT_W, MMT_H, 1 }, .mipLevels = 1,
		.arrayLayers = 1, .samples = VK_SAMPLE_COUNT_1_BIT, .tiling = VK_IMAGE_TILING_OPTIMAL,
		.usage = VK_IMAGE_USAGE_STORAGE_BIT, .sharingMode = VK_SHARING_MODE_CONCURRENT,
		.queueFamilyIndexCount = 2, .pQueueFamilyIndices = (uint32_t[]){ v->fam_gfx, v->fam_comp },
		.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
	};
	if (img_new_optimal(v, &ici, &im))
		goto out;
	VkImageViewCreateInfo vci = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO, .image = im.img,
		.viewType = VK_IMAGE_VIEW_TYPE_2D, .format = VK_FORMAT_R32_SFLOAT,
		.subresourceRange = { VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1 },
	};
	if (vkCreateImageView(v->dev, &vci, NULL, &im.view) != VK_SUCCESS)
		goto out;
	if (vkc_buf_new(v, 8 + 12 * n, 0, &out))
		goto out;
	uint32_t *o = (uint32_t *)out.map + 2;
	for (uint32_t i = 0; i < n; i++) {
		struct minmax_case c = minmax_case(i);
		o[i] = c.before;
		o[n + i] = c.a;
		o[2 * n + i] = c.b;
	}
	if (img_pipe_new(v, name, &im, &out, 0, &p))
		goto out;
	VkCommandBuffer cb;
	if (vkc_begin(v, v->pool, &cb))
		goto out;
	VkImageMemoryBarrier ib = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
		.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT,
		.oldLayout = VK_IMAGE_LAYOUT_UNDEFINED, .newLayout = VK_IMAGE_LAYOUT_GENERAL,
		.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED, .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
		.image = im.img, .subresourceRange = { VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1 },
	};
	vkCmdPipelineBarrier(cb, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, 0, 0,
			     NULL, 0, NULL, 1, &ib);
	vkc_bind(cb, &p, NULL);
	vkCmdDispatch(cb, (MMT_W + 7) / 8, (MMT_H + 7) / 8, 1);
	VkMemoryBarrier mb = { .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
			       .srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT,
			       .dstAccessMask = VK_ACCESS_HOST_READ_BIT };
	vkCmdPipelineBarrier(cb, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &mb,
			     0, NULL, 0, NULL);
	if (vkc_submit_wait(v, v->q, v->pool, cb))
		goto out;
	const uint32_t *size = out.map;
	if (size[0] != MMT_W || size[1] != MMT_H) {
		fprintf(stderr, "%s: imageSize %u x %u, expected %u x %u\n", name, size[0], size[1],
			MMT_W, MMT_H);
		goto out;
	}
	r = 0;
	for (uint32_t i = 0; i < n; i++)
		if (!minmax_ok(name, i, o[n + i], o[2 * n + i], o[i], "loaded"))
			r = -1;
out:
	vkc_pipe_free(v, &p);
	vkc_buf_free(v, &out);
	img_free(v, &im);
	return r;
}

/* ---- an optimally tiled 2D array: RADV's own choice of swizzle ----------- */

#define ARR_W 48u
#define ARR_H 32u
#define ARR_L 3u

static uint32_t arr_hash(uint32_t x, uint32_t y, uint32_t z, uint32_t salt)
{
	uint32_t h = x * 0x9e3779b1u ^ y * 0x85ebca77u ^ z * 0xc2b2ae3du ^ salt * 0x27d4eb2fu;
	return h ^ (h >> 15);
}

/* An optimally tiled image as `ici` describes it, in memory of the first
 * type it allows (device memory: the CPU never maps it); -1 on failure. */
static int img_new_optimal(struct vkc *v, const VkImageCreateInfo *ici, struct vkc_img *im)
{
	if (vkCreateImage(v->dev, ici, NULL, &im->img) != VK_SUCCESS)
		return -1;
	VkMemoryRequirements mr;
	vkGetImageMemoryRequirements(v->dev, im->img, &mr);
	uint32_t type = 0;
	while (type < 32 && !(mr.memoryTypeBits & (1u << type)))
		type++;
	VkMemoryAllocateInfo mai = { .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
				     .allocationSize = mr.size, .memoryTypeIndex = type };
	if (type == 32 || vkAllocateMemory(v->dev, &mai, NULL, &im->mem) != VK_SUCCESS ||
	    vkBindImageMemory(v->dev, im->img, im->mem, 0) != VK_SUCCESS)
		return -1;
	return 0;
}

/* A 48x32x3 r32ui VK_IMAGE_TILING_OPTIMAL storage image (the swizzle mode
 * is RADV's choice: SW_4KB_D_X on the 780m profile): the shader fills it
 * (imageStore), reads it back (imageLoad, imageAtomicAdd, imageSize) and
 * reads it again; every value is checked, so two texels sharing an address
 * would show.  (RADV's copy shaders, vkCmdCopyImageToBuffer and
 * vkCmdCopyBufferToImage, are tested in tests/vulkan/vkmeta.c.) */
static int tiled_3d_or_array(struct vkc *v, bool is3d)
{
	const char *name = is3d ? "image_3d_optimal" : "image_array_optimal";
	struct vkc_img im;
	struct vkc_buf out;
	struct vkc_pipe p;
	memset(&im, 0, sizeof(im));
	memset(&out, 0, sizeof(out));
	memset(&p, 0, sizeof(p));
	const uint32_t n = ARR_W * ARR_H * ARR_L;
	int r = -1;
	VkFormatProperties fp;
	vkGetPhysicalDeviceFormatProperties(v->phys, VK_FORMAT_R32_UINT, &fp);
	VkFormatFeatureFlags need = VK_FORMAT_FEATURE_STORAGE_IMAGE_BIT |
				    VK_FORMAT_FEATURE_STORAGE_IMAGE_ATOMIC_BIT;
	if ((fp.optimalTilingFeatures & need) != need) {
		fprintf(stderr, "%s: r32ui lacks optimal storage/atomics\n", name);
		return SKIP;
	}
	VkImageCreateInfo ici = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
		.imageType = is3d ? VK_IMAGE_TYPE_3D : VK_IMAGE_TYPE_2D,
		.format = VK_FORMAT_R32_UINT, .extent = { ARR_W, ARR_H, is3d ? ARR_L : 1 }, .mipLevels = 1,
		.arrayLayers = is3d ? 1 : ARR_L, .samples = VK_SAMPLE_COUNT_1_BIT,
		.tiling = VK_IMAGE_TILING_OPTIMAL,
		.usage = VK_IMAGE_USAGE_STORAGE_BIT,
		.sharingMode = VK_SHARING_MODE_CONCURRENT, .queueFamilyIndexCount = 2,
		.pQueueFamilyIndices = (uint32_t[]){ v->fam_gfx, v->fam_comp },
		.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
	};
	if (img_new_optimal(v, &ici, &im))
		goto out;
	VkImageViewCreateInfo vci = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO, .image = im.img,
		.viewType = is3d ? VK_IMAGE_VIEW_TYPE_3D : VK_IMAGE_VIEW_TYPE_2D_ARRAY,
		.format = VK_FORMAT_R32_UINT,
		.subresourceRange = { VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, is3d ? 1 : ARR_L },
	};
	if (vkCreateImageView(v->dev, &vci, NULL, &im.view) != VK_SUCCESS)
		goto out;
	if (vkc_buf_new(v, 16 + 3 * n * 4, 0, &out))
		goto out;
	if (img_pipe_new(v, is3d ? "image_3d" : "image_array", &im, &out, 8, &p))
		goto out;
	VkCommandBuffer cb;
	if (vkc_begin(v, v->pool, &cb))
		goto out;
	VkImageMemoryBarrier ib = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
		.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT,
		.oldLayout = VK_IMAGE_LAYOUT_UNDEFINED, .newLayout = VK_IMAGE_LAYOUT_GENERAL,
		.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED, .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
		.image = im.img,
		.subresourceRange = { VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, is3d ? 1 : ARR_L },
	};
	vkCmdPipelineBarrier(cb, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, 0, 0,
			     NULL, 0, NULL, 1, &ib);
	for (uint32_t phase = 0; phase < 3; phase++) {
		uint32_t push[2] = { phase, 0 };
		vkc_bind(cb, &p, push);
		vkCmdDispatch(cb, (ARR_W + 7) / 8, (ARR_H + 7) / 8, ARR_L);
		VkMemoryBarrier mb = { .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
				       .srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT,
				       .dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT |
							VK_ACCESS_HOST_READ_BIT };
		vkCmdPipelineBarrier(cb, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
				     VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &mb,
				     0, NULL, 0, NULL);
	}
	if (vkc_submit_wait(v, v->q, v->pool, cb))
		goto out;
	const uint32_t *size = out.map, *o = (const uint32_t *)out.map + 4, *c = o + 2 * n;
	r = 0;
	if (size[0] != ARR_W || size[1] != ARR_H || size[2] != ARR_L) {
		fprintf(stderr, "%s: imageSize %u x %u x %u, expected %u x %u x %u\n", name, size[0],
			size[1], size[2], ARR_W, ARR_H, ARR_L);
		r = -1;
	}
	for (uint32_t z = 0; z < ARR_L && !r; z++)
		for (uint32_t y = 0; y < ARR_H && !r; y++)
			for (uint32_t x = 0; x < ARR_W && !r; x++) {
				uint32_t i = (z * ARR_H + y) * ARR_W + x, h = arr_hash(x, y, z, 0);
				if (o[i] != h || o[n + i] != h || c[i] != h + 5) {
					fprintf(stderr, "%s (%u, %u, %u): loaded 0x%08x, atomic 0x%08x, then "
						"0x%08x; expected 0x%08x, 0x%08x, 0x%08x\n", name, x, y, z,
						o[i], o[n + i], c[i], h, h, h + 5);
					r = -1;
				}
			}
out:
	vkc_pipe_free(v, &p);
	vkc_buf_free(v, &out);
	img_free(v, &im);
	return r;
}

int vkc_image_tests_array_optimal(struct vkc *v)
{
	return tiled_3d_or_array(v, false);
}

/* The same on a 48x32x3 3D image (a 3D view, z the third coordinate). */
int vkc_image_tests_3d_optimal(struct vkc *v)
{
	return tiled_3d_or_array(v, true);
}

/* ---- a multisampled storage image ----------------------------------------- */

#define MS_W 48u
#define MS_H 32u
#define MS_S 4u

/* A 48x32 r32ui VK_IMAGE_TILING_OPTIMAL storage image with 4 samples
 * (shaderStorageImageMultisample; RADV's choice of swizzle and T#): the
 * shader fills every sample (imageStore), reads it back (imageLoad,
 * imageAtomicAdd, imageSize, imageSamples) and reads it again.  Every
 * value is checked, so two samples sharing an address would show; the
 * layout itself is addrlib's as the vgpu holds it (the hand-assembled
 * test checks addresses). */
int vkc_image_tests_msaa_optimal(struct vkc *v)
{
	const char *name = "image_msaa_optimal";
	struct vkc_img im;
	struct vkc_buf out;
	struct vkc_pipe p;
	memset(&im, 0, sizeof(im));
	memset(&out, 0, sizeof(out));
	memset(&p, 0, sizeof(p));
	const uint32_t n = MS_W * MS_H * MS_S;
	int r = -1;
	if (!v->image_ms) {
		fprintf(stderr, "%s: the device has no shaderStorageImageMultisample\n", name);
		return SKIP;
	}
	VkImageFormatProperties ifp;
	if (vkGetPhysicalDeviceImageFormatProperties(v->phys, VK_FORMAT_R32_UINT, VK_IMAGE_TYPE_2D,
						     VK_IMAGE_TILING_OPTIMAL, VK_IMAGE_USAGE_STORAGE_BIT,
						     0, &ifp) != VK_SUCCESS ||
	    !(ifp.sampleCounts & VK_SAMPLE_COUNT_4_BIT)) {
		fprintf(stderr, "%s: no 4-sample r32ui storage image\n", name);
		return SKIP;
	}
	VkImageCreateInfo ici = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO, .imageType = VK_IMAGE_TYPE_2D,
		.format = VK_FORMAT_R32_UINT, .extent = { MS_W, MS_H, 1 }, .mipLevels = 1,
		.arrayLayers = 1, .samples = VK_SAMPLE_COUNT_4_BIT, .tiling = VK_IMAGE_TILING_OPTIMAL,
		.usage = VK_IMAGE_USAGE_STORAGE_BIT,
		.sharingMode = VK_SHARING_MODE_CONCURRENT, .queueFamilyIndexCount = 2,
		.pQueueFamilyIndices = (uint32_t[]){ v->fam_gfx, v->fam_comp },
		.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
	};
	if (img_new_optimal(v, &ici, &im))
		goto out;
	VkImageViewCreateInfo vci = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO, .image = im.img,
		.viewType = VK_IMAGE_VIEW_TYPE_2D, .format = VK_FORMAT_R32_UINT,
		.subresourceRange = { VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1 },
	};
	if (vkCreateImageView(v->dev, &vci, NULL, &im.view) != VK_SUCCESS)
		goto out;
	if (vkc_buf_new(v, 16 + 3 * n * 4, 0, &out))
		goto out;
	if (img_pipe_new(v, "image_msaa", &im, &out, 8, &p))
		goto out;
	VkCommandBuffer cb;
	if (vkc_begin(v, v->pool, &cb))
		goto out;
	VkImageMemoryBarrier ib = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
		.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT,
		.oldLayout = VK_IMAGE_LAYOUT_UNDEFINED, .newLayout = VK_IMAGE_LAYOUT_GENERAL,
		.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED, .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
		.image = im.img, .subresourceRange = { VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1 },
	};
	vkCmdPipelineBarrier(cb, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, 0, 0,
			     NULL, 0, NULL, 1, &ib);
	for (uint32_t phase = 0; phase < 3; phase++) {
		uint32_t push[2] = { phase, 0 };
		vkc_bind(cb, &p, push);
		vkCmdDispatch(cb, (MS_W + 7) / 8, (MS_H + 7) / 8, MS_S);
		VkMemoryBarrier mb = { .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
				       .srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT,
				       .dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT |
							VK_ACCESS_HOST_READ_BIT };
		vkCmdPipelineBarrier(cb, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
				     VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &mb,
				     0, NULL, 0, NULL);
	}
	if (vkc_submit_wait(v, v->q, v->pool, cb))
		goto out;
	const uint32_t *size = out.map, *o = (const uint32_t *)out.map + 4, *c = o + 2 * n;
	r = 0;
	if (size[0] != MS_W || size[1] != MS_H || size[2] != MS_S) {
		fprintf(stderr, "%s: imageSize %u x %u, imageSamples %u, expected %u x %u, %u\n", name,
			size[0], size[1], size[2], MS_W, MS_H, MS_S);
		r = -1;
	}
	for (uint32_t s = 0; s < MS_S && !r; s++)
		for (uint32_t y = 0; y < MS_H && !r; y++)
			for (uint32_t x = 0; x < MS_W && !r; x++) {
				uint32_t i = (s * MS_H + y) * MS_W + x, h = arr_hash(x, y, s, 0);
				if (o[i] != h || o[n + i] != h || c[i] != h + 5) {
					fprintf(stderr, "%s (%u, %u) sample %u: loaded 0x%08x, atomic 0x%08x, "
						"then 0x%08x; expected 0x%08x, 0x%08x, 0x%08x\n", name, x, y, s,
						o[i], o[n + i], c[i], h, h, h + 5);
					r = -1;
				}
			}
out:
	vkc_pipe_free(v, &p);
	vkc_buf_free(v, &out);
	img_free(v, &im);
	return r;
}

/* ---- an optimally tiled mip chain ---------------------------------------- */

#define MIP_W 48u
#define MIP_H 32u
#define MIP_N 6u /* 48x32 .. 1x1 */

/* A 48x32 r32ui VK_IMAGE_TILING_OPTIMAL image with all 6 levels, one
 * storage view (and pipeline) per level: every level is filled with
 * hash(x, y, 0, level) first, then each is read back, atomically
 * incremented and read again; a level overlapping another (the mip tail
 * holds the small ones) would show. */
int vkc_image_tests_mips_optimal(struct vkc *v)
{
	struct vkc_img im;
	struct vkc_buf out[MIP_N];
	struct vkc_pipe p[MIP_N];
	VkImageView views[MIP_N];
	memset(&im, 0, sizeof(im));
	memset(out, 0, sizeof(out));
	memset(p, 0, sizeof(p));
	memset(views, 0, sizeof(views));
	int r = -1;
	VkImageCreateInfo ici = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO, .imageType = VK_IMAGE_TYPE_2D,
		.format = VK_FORMAT_R32_UINT, .extent = { MIP_W, MIP_H, 1 }, .mipLevels = MIP_N,
		.arrayLayers = 1, .samples = VK_SAMPLE_COUNT_1_BIT, .tiling = VK_IMAGE_TILING_OPTIMAL,
		.usage = VK_IMAGE_USAGE_STORAGE_BIT, .sharingMode = VK_SHARING_MODE_CONCURRENT,
		.queueFamilyIndexCount = 2, .pQueueFamilyIndices = (uint32_t[]){ v->fam_gfx, v->fam_comp },
		.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
	};
	if (img_new_optimal(v, &ici, &im))
		goto out;
	for (uint32_t l = 0; l < MIP_N; l++) {
		uint32_t w = MIP_W >> l ? MIP_W >> l : 1, h = MIP_H >> l ? MIP_H >> l : 1;
		VkImageViewCreateInfo vci = {
			.sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO, .image = im.img,
			.viewType = VK_IMAGE_VIEW_TYPE_2D_ARRAY, .format = VK_FORMAT_R32_UINT,
			.subresourceRange = { VK_IMAGE_ASPECT_COLOR_BIT, l, 1, 0, 1 },
		};
		if (vkCreateImageView(v->dev, &vci, NULL, &views[l]) != VK_SUCCESS)
			goto out;
		struct vkc_img lv = im;
		lv.view = views[l];
		if (vkc_buf_new(v, 16 + 3 * w * h * 4, 0, &out[l]) ||
		    img_pipe_new(v, "image_array", &lv, &out[l], 8, &p[l]))
			goto out;
	}
	VkCommandBuffer cb;
	if (vkc_begin(v, v->pool, &cb))
		goto out;
	VkImageMemoryBarrier ib = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
		.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT,
		.oldLayout = VK_IMAGE_LAYOUT_UNDEFINED, .newLayout = VK_IMAGE_LAYOUT_GENERAL,
		.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED, .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
		.image = im.img, .subresourceRange = { VK_IMAGE_ASPECT_COLOR_BIT, 0, MIP_N, 0, 1 },
	};
	vkCmdPipelineBarrier(cb, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, 0, 0,
			     NULL, 0, NULL, 1, &ib);
	for (uint32_t phase = 0; phase < 3; phase++) {
		for (uint32_t l = 0; l < MIP_N; l++) {
			uint32_t w = MIP_W >> l ? MIP_W >> l : 1, h = MIP_H >> l ? MIP_H >> l : 1;
			uint32_t push[2] = { phase, l };
			vkc_bind(cb, &p[l], push);
			vkCmdDispatch(cb, (w + 7) / 8, (h + 7) / 8, 1);
		}
		VkMemoryBarrier mb = { .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
				       .srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT,
				       .dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT |
							VK_ACCESS_HOST_READ_BIT };
		vkCmdPipelineBarrier(cb, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
				     VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &mb,
				     0, NULL, 0, NULL);
	}
	if (vkc_submit_wait(v, v->q, v->pool, cb))
		goto out;
	r = 0;
	for (uint32_t l = 0; l < MIP_N && !r; l++) {
		uint32_t w = MIP_W >> l ? MIP_W >> l : 1, h = MIP_H >> l ? MIP_H >> l : 1, n = w * h;
		const uint32_t *size = out[l].map, *o = (const uint32_t *)out[l].map + 4;
		if (size[0] != w || size[1] != h || size[2] != 1) {
			fprintf(stderr, "image_mips_optimal level %u: imageSize %u x %u x %u, expected %u x %u x 1\n",
				l, size[0], size[1], size[2], w, h);
			r = -1;
		}
		for (uint32_t y = 0; y < h && !r; y++)
			for (uint32_t x = 0; x < w && !r; x++) {
				uint32_t i = y * w + x, hv = arr_hash(x, y, 0, l);
				if (o[i] != hv || o[n + i] != hv || o[2 * n + i] != hv + 5) {
					fprintf(stderr, "image_mips_optimal level %u (%u, %u): loaded 0x%08x, "
						"atomic 0x%08x, then 0x%08x; expected 0x%08x, 0x%08x, 0x%08x\n", l, x,
						y, o[i], o[n + i], o[2 * n + i], hv, hv, hv + 5);
					r = -1;
				}
			}
	}
out:
	for (uint32_t l = 0; l < MIP_N; l++) {
		vkc_pipe_free(v, &p[l]);
		vkc_buf_free(v, &out[l]);
		if (views[l])
			vkDestroyImageView(v->dev, views[l], NULL);
	}
	img_free(v, &im);
	return r;
}
