/*
 * Scratch (the private segment).  gfx11 targets use architected flat
 * scratch (AMDGPUUsage, "Flat Scratch"): the kernel has no scratch SGPRs
 * at all; the SPI gives each wave a slot of WAVESIZE bytes in the buffer
 * at COMPUTE_DISPATCH_SCRATCH_BASE and loads the slot's address into the
 * wave's FLAT_SCRATCH, which scratch_* instructions add to.  The
 * dispatcher owns one buffer big enough for WAVES slots per shader engine
 * (COMPUTE_TMPRING_SIZE), as Mesa's radv/radeonsi do for compute.
 *
 * gfx10.3 has no architected flat scratch: the SPI only hands each wave
 * its slot's byte offset (an SGPR, with RSRC2.SCRATCH_EN) and the kernel
 * adds it to the private segment buffer V# and the flat scratch init
 * address the dispatcher puts in its user SGPRs (dispatch/pm4.c).  WAVES
 * counts slots of the whole device there, and WAVESIZE is in 1 KiB units
 * (the generation table says which).
 */
#include "internal.h"
#include "util/error.h"

#include <inttypes.h>
#include <stdlib.h>

uint32_t ab_scratch_waves(uint32_t cus, uint32_t ses, uint32_t wave_bytes)
{
	if (ses == 0)
		ses = 1;
	/* Every scratch wave the shader engine's CUs can hold: waves never
	 * wait for a slot.  gfx11 counts WAVES per shader engine. */
	uint64_t waves = (uint64_t)AB_SCRATCH_WAVES_PER_CU * ((cus + ses - 1) / ses);
	/* Big waves: fewer in flight rather than a huge buffer (the SPI
	 * holds back waves until a slot is free, so this only costs speed),
	 * but always room for the largest workgroup. */
	if (wave_bytes) {
		uint64_t fit = AB_SCRATCH_TARGET_BYTES / ((uint64_t)ses * wave_bytes);
		if (waves > fit)
			waves = fit;
	}
	if (waves < AB_SCRATCH_MIN_WAVES)
		waves = AB_SCRATCH_MIN_WAVES;
	if (waves > AB_SCRATCH_WAVES_MAX)
		waves = AB_SCRATCH_WAVES_MAX;
	return (uint32_t)waves;
}

uint64_t ab_scratch_buffer_bytes(uint32_t waves, uint32_t ses, uint32_t wave_bytes)
{
	return (uint64_t)waves * (ses ? ses : 1) * wave_bytes;
}

uint32_t ab_scratch_tmpring_gen(const struct ab_gfx_gen *gen, uint32_t waves, uint32_t wave_bytes)
{
	return (waves & AB_SCRATCH_WAVES_MAX) |
	       (((wave_bytes / gen->tmpring_wavesize_unit) & gen->tmpring_wavesize_max)
		<< AB_TMPRING_WAVESIZE_SHIFT);
}

uint32_t ab_scratch_tmpring(uint32_t waves, uint32_t wave_bytes)
{
	return ab_scratch_tmpring_gen(&ab_gfx_gen_gfx11, waves, wave_bytes);
}

static int keep_old(struct ab_scratch_ring *r)
{
	if (r->nold == r->cap_old) {
		uint32_t cap = r->cap_old ? r->cap_old * 2 : 4;
		struct ab_scratch_buf *n = realloc(r->old, cap * sizeof(*n));
		if (!n)
			return ab_set_error(ENOMEM, "dispatch: out of memory for the scratch buffers");
		r->old = n;
		r->cap_old = cap;
	}
	r->old[r->nold++] = r->cur;
	r->cur = (struct ab_scratch_buf){0};
	return 0;
}

static int grow(struct ab_scratch_ring *r, amdbare_device *dev, const struct ab_gfx_gen *gen,
		uint32_t wave_bytes)
{
	amdbare_device_info di;
	amdbare_device_get_info(dev, &di);
	uint32_t ses = di.num_shader_engines ? di.num_shader_engines : 1;
	if (!gen->tmpring_waves_per_se)
		ses = 1; /* WAVES counts the whole device's slots */
	uint32_t waves = ab_scratch_waves(di.cu_count, ses, wave_bytes);
	struct ab_scratch_buf b = {.wave_bytes = wave_bytes, .waves = waves,
				   .bytes = ab_scratch_buffer_bytes(waves, ses, wave_bytes)};
	/* Only the GPU touches scratch: VRAM (the kernel falls back to GTT). */
	amdbare_bo_create_info ci = {.size = b.bytes, .domains = AMDBARE_DOMAIN_VRAM,
				     .flags = AMDBARE_BO_NO_CPU_ACCESS};
	int ret = amdbare_bo_create(dev, &ci, &b.bo);
	if (ret == 0)
		ret = amdbare_bo_gpu_map(b.bo, AMDBARE_VA_READ | AMDBARE_VA_WRITE, &b.va);
	if (ret < 0) {
		amdbare_bo_free(b.bo);
		return ab_set_error(-ret, "dispatch: scratch buffer of %" PRIu64 " bytes (%u waves x "
				    "%u SEs x %u bytes): %s", b.bytes, waves, ses, wave_bytes,
				    amdbare_last_error());
	}
	if (r->cur.bo && (ret = keep_old(r)) < 0) {
		amdbare_bo_free(b.bo);
		return ret;
	}
	r->cur = b;
	return 0;
}

int ab_scratch_ring_get(struct ab_scratch_ring *r, amdbare_device *dev, uint32_t wave_bytes,
			struct ab_dispatch_scratch *scratch, amdbare_bo **bo)
{
	const struct ab_gfx_gen *gen = NULL;
	int gr = ab_gfx_gen_for_device(dev, &gen);
	if (gr < 0)
		return gr;
	if (!r->cur.bo || r->cur.wave_bytes < wave_bytes) {
		int ret = grow(r, dev, gen, wave_bytes);
		if (ret < 0)
			return ret;
	}
	/* The buffer's own WAVESIZE, not the kernel's: a smaller kernel
	 * keeps the layout the buffer was sized for. */
	scratch->va = r->cur.va;
	scratch->tmpring_size = ab_scratch_tmpring_gen(gen, r->cur.waves, r->cur.wave_bytes);
	scratch->bytes = r->cur.bytes;
	*bo = r->cur.bo;
	return 0;
}

int ab_scratch_ring_retire(struct ab_scratch_ring *r)
{
	int ret = 0;
	for (uint32_t i = 0; i < r->nold; i++) {
		int r2 = amdbare_bo_free(r->old[i].bo);
		if (ret == 0)
			ret = r2;
	}
	r->nold = 0;
	return ret;
}

int ab_scratch_ring_free(struct ab_scratch_ring *r)
{
	int ret = ab_scratch_ring_retire(r);
	int r2 = amdbare_bo_free(r->cur.bo);
	free(r->old);
	*r = (struct ab_scratch_ring){0};
	return ret ? ret : r2;
}
