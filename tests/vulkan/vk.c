/*
 * The Vulkan side of the harness (vk.h): instance, device, buffers,
 * pipelines and submissions.
 */
#include "vk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vkc_fail_call(const char *call, VkResult r, const char *file, int line)
{
	fprintf(stderr, "vkcompute: %s:%d: %s failed: VkResult %d\n", file, line, call, (int)r);
}

static int pick_families(struct vkc *v)
{
	uint32_t n = 0;
	vkGetPhysicalDeviceQueueFamilyProperties(v->phys, &n, NULL);
	VkQueueFamilyProperties *qf = calloc(n ? n : 1, sizeof(*qf));
	if (!qf)
		return -1;
	vkGetPhysicalDeviceQueueFamilyProperties(v->phys, &n, qf);
	v->fam_gfx = v->fam_comp = UINT32_MAX;
	for (uint32_t i = 0; i < n; i++) {
		if ((qf[i].queueFlags & VK_QUEUE_GRAPHICS_BIT) && v->fam_gfx == UINT32_MAX)
			v->fam_gfx = i;
		else if ((qf[i].queueFlags & VK_QUEUE_COMPUTE_BIT) &&
			 !(qf[i].queueFlags & VK_QUEUE_GRAPHICS_BIT) && v->fam_comp == UINT32_MAX)
			v->fam_comp = i;
	}
	free(qf);
	if (v->fam_gfx == UINT32_MAX || v->fam_comp == UINT32_MAX) {
		fprintf(stderr, "vkcompute: the device lacks a graphics or a compute-only queue family\n");
		return -1;
	}
	return 0;
}

int vkc_init(struct vkc *v, const char *family)
{
	memset(v, 0, sizeof(*v));
	v->spv_dir = getenv("VKC_SPV_DIR");
	if (!v->spv_dir)
		v->spv_dir = "build/vulkan";
	VkApplicationInfo app = { .sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
				  .pApplicationName = "amdbare-vkcompute",
				  .apiVersion = VK_API_VERSION_1_3 };
	VkInstanceCreateInfo ici = { .sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
				     .pApplicationInfo = &app };
	VKC_CHECK(vkCreateInstance(&ici, NULL, &v->inst));
	uint32_t n = 0;
	VKC_CHECK(vkEnumeratePhysicalDevices(v->inst, &n, NULL));
	VkPhysicalDevice pd[8];
	if (n > 8)
		n = 8;
	VKC_CHECK(vkEnumeratePhysicalDevices(v->inst, &n, pd));
	for (uint32_t i = 0; i < n && !v->phys; i++) {
		VkPhysicalDeviceProperties pp;
		vkGetPhysicalDeviceProperties(pd[i], &pp);
		if (strstr(pp.deviceName, "RADV")) {
			v->phys = pd[i];
			snprintf(v->name, sizeof(v->name), "%s", pp.deviceName);
		}
	}
	if (!v->phys) {
		fprintf(stderr, "vkcompute: no RADV device among %u physical devices\n", n);
		return -1;
	}
	if (pick_families(v))
		return -1;

	VkPhysicalDeviceSubgroupProperties sg = { .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES };
	VkPhysicalDeviceProperties2 pp2 = { .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, .pNext = &sg };
	vkGetPhysicalDeviceProperties2(v->phys, &pp2);
	v->subgroup_size = sg.subgroupSize;

	VkPhysicalDeviceShaderAtomicFloat2FeaturesEXT af2 = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_ATOMIC_FLOAT_2_FEATURES_EXT
	};
	VkPhysicalDeviceShaderAtomicFloatFeaturesEXT af = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_ATOMIC_FLOAT_FEATURES_EXT,
		.pNext = &af2,
	};
	VkPhysicalDeviceVulkan12Features f12 = { .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES,
						 .pNext = &af };
	VkPhysicalDeviceVulkan11Features f11 = { .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES,
						 .pNext = &f12 };
	VkPhysicalDeviceFeatures2 f2 = { .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2, .pNext = &f11 };
	vkGetPhysicalDeviceFeatures2(v->phys, &f2);
	v->f16 = f12.shaderFloat16 && f11.storageBuffer16BitAccess;
	v->i64 = f2.features.shaderInt64;
	v->float_atomic_add = af.shaderBufferFloat32AtomicAdd;
	v->shared_float_atomic_add = af.shaderSharedFloat32AtomicAdd;
	if (!f12.timelineSemaphore) {
		fprintf(stderr, "vkcompute: the device has no timeline semaphores\n");
		return -1;
	}
	/* Enable only what the tests use (and the device has). */
	v->image_float_minmax = af2.shaderImageFloat32AtomicMinMax;
	VkPhysicalDeviceShaderAtomicFloat2FeaturesEXT af2_on = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_ATOMIC_FLOAT_2_FEATURES_EXT,
		.shaderImageFloat32AtomicMinMax = VK_TRUE,
	};
	VkPhysicalDeviceShaderAtomicFloatFeaturesEXT af_on = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_ATOMIC_FLOAT_FEATURES_EXT,
		.shaderBufferFloat32AtomicAdd = af.shaderBufferFloat32AtomicAdd,
		.shaderSharedFloat32AtomicAdd = af.shaderSharedFloat32AtomicAdd,
	};
	VkPhysicalDeviceVulkan12Features f12_on = { .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES,
						    .pNext = af.shaderBufferFloat32AtomicAdd ? &af_on : NULL,
						    .shaderFloat16 = f12.shaderFloat16,
						    .timelineSemaphore = VK_TRUE };
	VkPhysicalDeviceVulkan11Features f11_on = { .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES,
						    .pNext = &f12_on,
						    .storageBuffer16BitAccess = f11.storageBuffer16BitAccess };
	VkPhysicalDeviceFeatures2 f2_on = { .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2,
					    .pNext = &f11_on };
	f2_on.features.shaderInt64 = f2.features.shaderInt64;
	f2_on.features.shaderStorageImageExtendedFormats = f2.features.shaderStorageImageExtendedFormats;
	v->image_ext_formats = f2.features.shaderStorageImageExtendedFormats;
	f2_on.features.shaderStorageImageMultisample = f2.features.shaderStorageImageMultisample;
	v->image_ms = f2.features.shaderStorageImageMultisample;

	float prio = 1.0f;
	VkDeviceQueueCreateInfo qci[2] = {
		{ .sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO, .queueFamilyIndex = v->fam_gfx,
		  .queueCount = 1, .pQueuePriorities = &prio },
		{ .sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO, .queueFamilyIndex = v->fam_comp,
		  .queueCount = 1, .pQueuePriorities = &prio },
	};
	VkDeviceCreateInfo dci = { .sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO, .pNext = &f2_on,
				   .queueCreateInfoCount = 2, .pQueueCreateInfos = qci };
	/* float image min/max: its feature struct first in the chain, and
	 * its extension by name */
	const char *const float2_ext = VK_EXT_SHADER_ATOMIC_FLOAT_2_EXTENSION_NAME;
	if (v->image_float_minmax) {
		af2_on.pNext = f2_on.pNext;
		f2_on.pNext = &af2_on;
		dci.enabledExtensionCount = 1;
		dci.ppEnabledExtensionNames = &float2_ext;
	}
	VKC_CHECK(vkCreateDevice(v->phys, &dci, NULL, &v->dev));
	vkGetDeviceQueue(v->dev, v->fam_gfx, 0, &v->q_gfx);
	vkGetDeviceQueue(v->dev, v->fam_comp, 0, &v->q_comp);
	bool gfx = strcmp(family, "gfx") == 0;
	v->fam = gfx ? v->fam_gfx : v->fam_comp;
	v->q = gfx ? v->q_gfx : v->q_comp;
	VkCommandPoolCreateInfo cpi = { .sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
					.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
					.queueFamilyIndex = v->fam };
	VKC_CHECK(vkCreateCommandPool(v->dev, &cpi, NULL, &v->pool));
	cpi.queueFamilyIndex = gfx ? v->fam_comp : v->fam_gfx;
	VKC_CHECK(vkCreateCommandPool(v->dev, &cpi, NULL, &v->pool_other));

	VkPhysicalDeviceMemoryProperties mp;
	vkGetPhysicalDeviceMemoryProperties(v->phys, &mp);
	const VkMemoryPropertyFlags want = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
	v->mem_type = UINT32_MAX;
	for (uint32_t i = 0; i < mp.memoryTypeCount; i++)
		if ((mp.memoryTypes[i].propertyFlags & want) == want) {
			v->mem_type = i;
			break;
		}
	if (v->mem_type == UINT32_MAX) {
		fprintf(stderr, "vkcompute: no host-visible coherent memory type\n");
		return -1;
	}
	return 0;
}

void vkc_fini(struct vkc *v)
{
	if (v->dev) {
		vkDeviceWaitIdle(v->dev);
		if (v->pool)
			vkDestroyCommandPool(v->dev, v->pool, NULL);
		if (v->pool_other)
			vkDestroyCommandPool(v->dev, v->pool_other, NULL);
		vkDestroyDevice(v->dev, NULL);
	}
	if (v->inst)
		vkDestroyInstance(v->inst, NULL);
}

int vkc_buf_new(struct vkc *v, VkDeviceSize size, VkBufferUsageFlags extra, struct vkc_buf *b)
{
	memset(b, 0, sizeof(*b));
	VkBufferCreateInfo bci = { .sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO, .size = size,
				   .usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | extra,
				   .sharingMode = VK_SHARING_MODE_CONCURRENT,
				   .queueFamilyIndexCount = 2,
				   .pQueueFamilyIndices = (uint32_t[]){ v->fam_gfx, v->fam_comp } };
	VKC_CHECK(vkCreateBuffer(v->dev, &bci, NULL, &b->buf));
	VkMemoryRequirements mr;
	vkGetBufferMemoryRequirements(v->dev, b->buf, &mr);
	if (!(mr.memoryTypeBits & (1u << v->mem_type))) {
		fprintf(stderr, "vkcompute: buffer cannot use the host-visible memory type\n");
		return -1;
	}
	VkMemoryAllocateInfo mai = { .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, .allocationSize = mr.size,
				     .memoryTypeIndex = v->mem_type };
	VKC_CHECK(vkAllocateMemory(v->dev, &mai, NULL, &b->mem));
	VKC_CHECK(vkBindBufferMemory(v->dev, b->buf, b->mem, 0));
	VKC_CHECK(vkMapMemory(v->dev, b->mem, 0, VK_WHOLE_SIZE, 0, &b->map));
	b->size = size;
	memset(b->map, 0, size);
	return 0;
}

void vkc_buf_free(struct vkc *v, struct vkc_buf *b)
{
	if (b->buf)
		vkDestroyBuffer(v->dev, b->buf, NULL);
	if (b->mem)
		vkFreeMemory(v->dev, b->mem, NULL);
	memset(b, 0, sizeof(*b));
}

static int load_spv(struct vkc *v, const char *shader, uint32_t **code, size_t *len)
{
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
	*code = malloc(n > 0 ? (size_t)n : 4);
	if (!*code || n <= 0 || fread(*code, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "vkcompute: cannot read %s\n", path);
		fclose(f);
		free(*code);
		return -1;
	}
	fclose(f);
	*len = (size_t)n;
	return 0;
}

int vkc_pipe_new(struct vkc *v, const char *shader, struct vkc_buf *bufs, uint32_t nbufs,
		 uint32_t push_size, const struct vkc_spec *spec, uint32_t nspec, struct vkc_pipe *p)
{
	memset(p, 0, sizeof(*p));
	p->push_size = push_size;
	VkDescriptorSetLayoutBinding bind[8];
	if (nbufs > 8)
		return -1;
	for (uint32_t i = 0; i < nbufs; i++)
		bind[i] = (VkDescriptorSetLayoutBinding){ .binding = i,
							  .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
							  .descriptorCount = 1,
							  .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT };
	VkDescriptorSetLayoutCreateInfo dli = { .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO,
						.bindingCount = nbufs, .pBindings = bind };
	VKC_CHECK(vkCreateDescriptorSetLayout(v->dev, &dli, NULL, &p->dsl));
	VkPushConstantRange pr = { .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT, .size = push_size };
	VkPipelineLayoutCreateInfo pli = { .sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
					   .setLayoutCount = 1, .pSetLayouts = &p->dsl,
					   .pushConstantRangeCount = push_size ? 1 : 0, .pPushConstantRanges = &pr };
	VKC_CHECK(vkCreatePipelineLayout(v->dev, &pli, NULL, &p->layout));

	uint32_t *code;
	size_t len;
	if (load_spv(v, shader, &code, &len))
		return -1;
	VkShaderModuleCreateInfo smi = { .sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO, .codeSize = len,
					 .pCode = code };
	VkShaderModule mod;
	VkResult r = vkCreateShaderModule(v->dev, &smi, NULL, &mod);
	free(code);
	VKC_CHECK(r);
	VkSpecializationMapEntry me[8];
	uint32_t sdata[8];
	if (nspec > 8)
		return -1;
	for (uint32_t i = 0; i < nspec; i++) {
		me[i] = (VkSpecializationMapEntry){ .constantID = spec[i].id, .offset = 4 * i, .size = 4 };
		sdata[i] = spec[i].value;
	}
	VkSpecializationInfo si = { .mapEntryCount = nspec, .pMapEntries = me, .dataSize = 4 * nspec,
				    .pData = sdata };
	VkComputePipelineCreateInfo cpi = {
		.sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO,
		.stage = { .sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
			   .stage = VK_SHADER_STAGE_COMPUTE_BIT, .module = mod, .pName = "main",
			   .pSpecializationInfo = nspec ? &si : NULL },
		.layout = p->layout,
	};
	r = vkCreateComputePipelines(v->dev, VK_NULL_HANDLE, 1, &cpi, NULL, &p->pipe);
	vkDestroyShaderModule(v->dev, mod, NULL);
	VKC_CHECK(r);

	VkDescriptorPoolSize ps = { .type = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, .descriptorCount = nbufs ? nbufs : 1 };
	VkDescriptorPoolCreateInfo dpi = { .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO, .maxSets = 1,
					   .poolSizeCount = 1, .pPoolSizes = &ps };
	VKC_CHECK(vkCreateDescriptorPool(v->dev, &dpi, NULL, &p->dpool));
	VkDescriptorSetAllocateInfo dai = { .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
					    .descriptorPool = p->dpool, .descriptorSetCount = 1,
					    .pSetLayouts = &p->dsl };
	VKC_CHECK(vkAllocateDescriptorSets(v->dev, &dai, &p->set));
	VkDescriptorBufferInfo bi[8];
	VkWriteDescriptorSet w[8];
	for (uint32_t i = 0; i < nbufs; i++) {
		bi[i] = (VkDescriptorBufferInfo){ .buffer = bufs[i].buf, .range = VK_WHOLE_SIZE };
		w[i] = (VkWriteDescriptorSet){ .sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET, .dstSet = p->set,
					       .dstBinding = i, .descriptorCount = 1,
					       .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
					       .pBufferInfo = &bi[i] };
	}
	vkUpdateDescriptorSets(v->dev, nbufs, w, 0, NULL);
	return 0;
}

void vkc_pipe_free(struct vkc *v, struct vkc_pipe *p)
{
	if (p->pipe)
		vkDestroyPipeline(v->dev, p->pipe, NULL);
	if (p->dpool)
		vkDestroyDescriptorPool(v->dev, p->dpool, NULL);
	if (p->layout)
		vkDestroyPipelineLayout(v->dev, p->layout, NULL);
	if (p->dsl)
		vkDestroyDescriptorSetLayout(v->dev, p->dsl, NULL);
	memset(p, 0, sizeof(*p));
}

int vkc_begin(struct vkc *v, VkCommandPool pool, VkCommandBuffer *cb)
{
	VkCommandBufferAllocateInfo ai = { .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
					   .commandPool = pool, .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
					   .commandBufferCount = 1 };
	VKC_CHECK(vkAllocateCommandBuffers(v->dev, &ai, cb));
	VkCommandBufferBeginInfo bi = { .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
					.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT };
	VKC_CHECK(vkBeginCommandBuffer(*cb, &bi));
	return 0;
}

int vkc_submit_wait(struct vkc *v, VkQueue q, VkCommandPool pool, VkCommandBuffer cb)
{
	VKC_CHECK(vkEndCommandBuffer(cb));
	VkFenceCreateInfo fci = { .sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO };
	VkFence fence;
	VKC_CHECK(vkCreateFence(v->dev, &fci, NULL, &fence));
	VkSubmitInfo si = { .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1,
			    .pCommandBuffers = &cb };
	VkResult r = vkQueueSubmit(q, 1, &si, fence);
	if (r == VK_SUCCESS)
		r = vkWaitForFences(v->dev, 1, &fence, VK_TRUE, 60ull * 1000 * 1000 * 1000);
	vkDestroyFence(v->dev, fence, NULL);
	vkFreeCommandBuffers(v->dev, pool, 1, &cb);
	VKC_CHECK(r);
	return 0;
}

void vkc_bind(VkCommandBuffer cb, const struct vkc_pipe *p, const void *push)
{
	vkCmdBindPipeline(cb, VK_PIPELINE_BIND_POINT_COMPUTE, p->pipe);
	vkCmdBindDescriptorSets(cb, VK_PIPELINE_BIND_POINT_COMPUTE, p->layout, 0, 1, &p->set, 0, NULL);
	if (p->push_size)
		vkCmdPushConstants(cb, p->layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, p->push_size, push);
}

void vkc_barrier(VkCommandBuffer cb)
{
	VkMemoryBarrier mb = { .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
			       .srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT,
			       .dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT |
						VK_ACCESS_INDIRECT_COMMAND_READ_BIT };
	vkCmdPipelineBarrier(cb, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
			     VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_DRAW_INDIRECT_BIT, 0, 1, &mb,
			     0, NULL, 0, NULL);
}

int vkc_run(struct vkc *v, const struct vkc_pipe *p, const void *push, uint32_t gx, uint32_t gy, uint32_t gz)
{
	VkCommandBuffer cb;
	if (vkc_begin(v, v->pool, &cb))
		return -1;
	vkc_bind(cb, p, push);
	vkCmdDispatch(cb, gx, gy, gz);
	return vkc_submit_wait(v, v->q, v->pool, cb);
}
