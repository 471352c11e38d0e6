/*
 * A small Vulkan compute harness: one instance, the first RADV physical
 * device, one logical device with a queue of the graphics family and one
 * of the compute-only family, host-visible buffers, compute pipelines
 * built from the SPIR-V files in $VKC_SPV_DIR, and one-shot submissions.
 *
 * Every failing Vulkan call is reported with the call and its VkResult;
 * the tests compare results against CPU references computed in C.
 */
#ifndef VKC_VK_H
#define VKC_VK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vulkan/vulkan.h>

struct vkc {
	VkInstance inst;
	VkPhysicalDevice phys;
	VkDevice dev;
	uint32_t fam_gfx, fam_comp;   /* queue family indices */
	VkQueue q_gfx, q_comp;
	uint32_t fam;                 /* the family the tests submit to */
	VkQueue q;
	VkCommandPool pool;           /* for `fam` */
	VkCommandPool pool_other;     /* for the other family */
	uint32_t mem_type;            /* host-visible, coherent */
	uint32_t subgroup_size;
	bool f16, i64, float_atomic_add, shared_float_atomic_add;
	bool image_ext_formats;       /* shaderStorageImageExtendedFormats */
	bool image_ms;                /* shaderStorageImageMultisample */
	bool image_float_minmax;      /* shaderImageFloat32AtomicMinMax (VK_EXT_shader_atomic_float2) */
	const char *spv_dir;
	char name[256];
};

struct vkc_buf {
	VkBuffer buf;
	VkDeviceMemory mem;
	void *map;
	VkDeviceSize size;
};

struct vkc_pipe {
	VkDescriptorSetLayout dsl;
	VkPipelineLayout layout;
	VkPipeline pipe;
	VkDescriptorPool dpool;
	VkDescriptorSet set;
	uint32_t push_size;
};

/* A specialization constant: constant_id and its 32-bit value */
struct vkc_spec {
	uint32_t id;
	uint32_t value;
};

#define VKC_CHECK(call)                                                          \
	do {                                                                     \
		VkResult vkc_r_ = (call);                                        \
		if (vkc_r_ != VK_SUCCESS) {                                      \
			vkc_fail_call(#call, vkc_r_, __FILE__, __LINE__);        \
			return -1;                                               \
		}                                                                \
	} while (0)

void vkc_fail_call(const char *call, VkResult r, const char *file, int line);
/* family: "gfx" or "compute" (the family the tests submit to) */
int vkc_init(struct vkc *v, const char *family);
void vkc_fini(struct vkc *v);
int vkc_buf_new(struct vkc *v, VkDeviceSize size, VkBufferUsageFlags extra, struct vkc_buf *b);
void vkc_buf_free(struct vkc *v, struct vkc_buf *b);
/* Compute pipeline of $spv_dir/<shader>.spv with `nbufs` storage buffers
 * at bindings 0..nbufs-1 (bound to bufs), push_size bytes of push
 * constants, and the given specialization constants. */
int vkc_pipe_new(struct vkc *v, const char *shader, struct vkc_buf *bufs, uint32_t nbufs,
		 uint32_t push_size, const struct vkc_spec *spec, uint32_t nspec, struct vkc_pipe *p);
void vkc_pipe_free(struct vkc *v, struct vkc_pipe *p);
/* Command buffer recording on `pool`, then submit to `q` and wait. */
int vkc_begin(struct vkc *v, VkCommandPool pool, VkCommandBuffer *cb);
int vkc_submit_wait(struct vkc *v, VkQueue q, VkCommandPool pool, VkCommandBuffer cb);
void vkc_bind(VkCommandBuffer cb, const struct vkc_pipe *p, const void *push);
/* A compute->compute (shader write -> shader/indirect read) barrier */
void vkc_barrier(VkCommandBuffer cb);
/* One dispatch of p with push constants, submitted on v->q and waited for */
int vkc_run(struct vkc *v, const struct vkc_pipe *p, const void *push, uint32_t gx, uint32_t gy,
	    uint32_t gz);

/* The storage-image tests (tests/vulkan/vkimage.c): 0 pass, -1 fail, 1
 * (SKIP) when the device lacks what the test needs. */
int vkc_image_tests_r32ui(struct vkc *v);
int vkc_image_tests_rgb10a2(struct vkc *v);
int vkc_image_tests_r11g11b10(struct vkc *v);
int vkc_image_tests_array_optimal(struct vkc *v);
int vkc_image_tests_msaa_optimal(struct vkc *v);
int vkc_image_tests_mips_optimal(struct vkc *v);
int vkc_image_tests_3d_optimal(struct vkc *v);
int vkc_image_tests_r32f_minmax(struct vkc *v);
int vkc_image_tests_r32f_minmax_tiled(struct vkc *v);

/* Transfer commands through RADV's meta shaders (tests/vulkan/vkmeta.c):
 * 0 pass, -1 fail, 1 (SKIP, said on stdout) when not run here. */
int vkc_meta_fill(struct vkc *v);
int vkc_meta_update(struct vkc *v);
int vkc_meta_copy(struct vkc *v);
int vkc_image_copy_odd(struct vkc *v);
int vkc_image_copy_r32g32b32(struct vkc *v);
int vkc_image_clear_copy_r32g32b32(struct vkc *v);

#endif /* VKC_VK_H */
