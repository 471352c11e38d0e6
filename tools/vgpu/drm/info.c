/*
 * AMDGPU_INFO (Linux 6.1 amdgpu_kms.c: amdgpu_info_ioctl, amdgpu_hw_ip_info,
 * amdgpu_firmware_info; soc21.c: soc21_read_register).  Every answer is
 * copied with min(return_size, sizeof(answer)) as the kernel does.
 */
#include "ctl.h"
#include "exec/exec.h"
#include "fault/fault.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <drm.h>
#include <amdgpu_drm.h>

/* Subqueries 6.1 knows that libdrm 2.4.114's header lacks. */
#ifndef AMDGPU_INFO_FW_CAP
#define AMDGPU_INFO_FW_CAP 0x16
#define AMDGPU_INFO_FW_GFX_RLCP 0x17
#define AMDGPU_INFO_FW_GFX_RLCV 0x18
#define AMDGPU_INFO_FW_MES_KIQ 0x19
#define AMDGPU_INFO_FW_MES 0x1a
#define AMDGPU_INFO_FW_IMU 0x1b
#endif

/* amdgpu_gmc.h / amdgpu_vm.h / amdgpu_gfx.h of 6.1 */
#define AMDGPU_GMC_HOLE_START 0x0000800000000000ull
#define AMDGPU_GMC_HOLE_END 0xffff800000000000ull
#define AMDGPU_VA_RESERVED_SIZE (2ull << 20)
#define AMDGPU_GPU_PAGE_SIZE 4096u
#define AMDGPU_GFX_MAX_SE 4u
#define AMDGPU_GFX_MAX_SH_PER_SE 2u
/* gmc_v11_0_sw_init: amdgpu_vm_adjust_size(adev, 256 * 1024, 9, 3, 48) */
#define VM_SIZE_BITS 48
#define VM_FRAGMENT_SIZE 9
/* amdgpu_ucode.h enum ta_fw_type */
enum { TA_UNKNOWN, TA_ASD, TA_XGMI, TA_RAS, TA_HDCP, TA_DTM, TA_RAP, TA_SECUREDISPLAY };
/* amdgpu_mes.h */
#define AMDGPU_MES_VERSION_MASK 0x00000fffu
#define AMDGPU_MES_FEAT_VERSION_MASK 0x00fff000u
#define AMDGPU_MES_FEAT_VERSION_SHIFT 12

/* Register offsets: the GC (and, inside it, SDMA) segment-0 base of gfx11
 * from IP discovery, plus gc_11_0_0_offset.h. */
#define GC_BASE0 0x1260u
#define REG(x) (GC_BASE0 + (x))
#define regGRBM_STATUS 0x0da4
#define regGRBM_STATUS2 0x0da2
#define regGRBM_STATUS_SE0 0x0da5
#define regGRBM_STATUS_SE1 0x0da6
#define regGRBM_STATUS_SE2 0x0dae
#define regGRBM_STATUS_SE3 0x0daf
#define regSDMA0_STATUS_REG 0x0025
#define regSDMA1_STATUS_REG 0x0625
#define regCP_STAT 0x0f40
#define regCP_STALLED_STAT1 0x0f3d
#define regCP_STALLED_STAT2 0x0f3e
#define regCP_STALLED_STAT3 0x0f3c
#define regCP_CPF_BUSY_STAT 0x0e28
#define regCP_CPF_STALLED_STAT1 0x0e29
#define regCP_CPF_STATUS 0x0e27
#define regCP_CPC_BUSY_STAT 0x0e25
#define regCP_CPC_STALLED_STAT1 0x0e26
#define regCP_CPC_STATUS 0x0e24
#define regGB_ADDR_CONFIG 0x13de

/* Idle values (gc_11_0_0_sh_mask.h fields): the command FIFOs report 8
 * free slots, DB/CB are clean, every SDMA idle bit is set, nothing busy. */
#define GRBM_STATUS_IDLE 0x00003008u   /* CMDFIFO_AVAIL=8, DB_CLEAN, CB_CLEAN */
#define GRBM_STATUS2_IDLE 0x00000008u  /* ME0PIPE1_CMDFIFO_AVAIL=8 */
#define SDMA_STATUS_IDLE 0x465EE557u   /* IDLE, REG_IDLE, RB_EMPTY, ...INT_IDLE */

static const struct vgpu_profile *prof(struct vgpu_file *f)
{
	return f->ctl->prof;
}

/* amdgpu_drm.h of 6.6+, absent from libdrm 2.4.114's header */
#define VGPU_INFO_MAX_IBS 0x22

static int copy_out(const struct drm_amdgpu_info *info, const void *src, size_t len)
{
	size_t n = info->return_size < len ? info->return_size : len;
	return vgpu_copy_to_user(info->return_pointer, src, n);
}

static uint32_t ip_discovery_version(uint32_t maj, uint32_t min, uint32_t rev)
{
	return (maj << 16) | (min << 8) | rev; /* IP_VERSION() */
}

/* The SDMA IP paired with each GC in IP discovery (6.0.x for Navi3x and
 * Phoenix, 6.1.x for Strix, 5.2.x with the same revision for GC 10.3.x:
 * Navi 21 5.2.0, Van Gogh 5.2.1, Yellow Carp 5.2.3, ...). */
static uint32_t sdma_discovery_version(const struct vgpu_profile *p)
{
	/* GC 9: amdgpu_discovery.c's legacy table (Raven SDMA 4.1.0, Vega 20
	 * 4.2.0), Renoir's discovery table (4.1.2) and Aldebaran's (GC 9.4.2:
	 * SDMA 4.4.0). */
	if (p->gc_major == 9)
		return p->gc_minor == 1 ? ip_discovery_version(4, 1, 0)
		       : p->gc_minor == 3 ? ip_discovery_version(4, 1, 2)
		       : p->gc_minor == 4 && p->gc_rev == 2 ? ip_discovery_version(4, 4, 0)
		       : ip_discovery_version(4, 2, 0);
	if (p->gc_major == 10)
		return ip_discovery_version(5, 2, p->gc_rev);
	if (p->gc_minor == 5)
		return ip_discovery_version(6, 1, p->gc_rev);
	return ip_discovery_version(6, 0, p->gc_rev == 1 ? 1 : 0);
}

/* amdgpu_hw_ip_info: GFX (1 ring on gfx11 in 6.1), COMPUTE (min(4, 8
 * rings)), DMA (one ring per SDMA instance, at most 2); the vgpu has no
 * multimedia blocks, so UVD/VCE/VCN/JPEG find no IP block and answer
 * zeros. */
static int hw_ip_info(struct vgpu_file *f, const struct drm_amdgpu_info *info,
		      struct drm_amdgpu_info_hw_ip *r)
{
	const struct vgpu_profile *p = prof(f);
	unsigned int rings;
	memset(r, 0, sizeof(*r));
	if (info->query_hw_ip.ip_instance >= AMDGPU_HW_IP_INSTANCE_MAX_COUNT)
		return -EINVAL;
	switch (info->query_hw_ip.type) {
	case AMDGPU_HW_IP_GFX:
	case AMDGPU_HW_IP_COMPUTE:
		/* gfx_v10_0_early_init: 2 gfx rings on every GC 10.3.x
		 * (GFX10_NUM_GFX_RINGS_Sienna_Cichlid); the IP block's
		 * version is gfx_v10_0_ip_block's / gfx_v11_0_ip_block's. */
		rings = info->query_hw_ip.type == AMDGPU_HW_IP_GFX ? (p->gc_major == 10 ? 2 : 1) : 4;
		/* gfx_v9_0_ip_block: 9.0, one gfx ring (GFX9_NUM_GFX_RINGS) */
		r->hw_ip_version_major = p->gc_major == 9 ? 9 : p->gc_major == 10 ? 10 : 11;
		r->hw_ip_version_minor = 0;
		/* 6.1's ip_discovery_version, named _pad in libdrm 2.4.114 */
		r->_pad = ip_discovery_version(p->gc_major, p->gc_minor, p->gc_rev);
		r->ib_start_alignment = 32;
		r->ib_size_alignment = 32;
		break;
	case AMDGPU_HW_IP_DMA:
		rings = p->num_sdma < 2 ? p->num_sdma : 2;
		/* sdma_v4_0_ip_block (GC 9), sdma_v5_2_ip_block (GC 10.3) or
		 * sdma_v6_0_ip_block */
		r->hw_ip_version_major = p->gc_major == 9 ? 4 : p->gc_major == 10 ? 5 : 6;
		r->hw_ip_version_minor = p->gc_major == 10 ? 2 : 0;
		r->_pad = sdma_discovery_version(p);
		r->ib_start_alignment = 256;
		r->ib_size_alignment = 4;
		break;
	case AMDGPU_HW_IP_UVD:
	case AMDGPU_HW_IP_VCE:
	case AMDGPU_HW_IP_UVD_ENC:
	case AMDGPU_HW_IP_VCN_DEC:
	case AMDGPU_HW_IP_VCN_ENC:
	case AMDGPU_HW_IP_VCN_JPEG:
		return 0;
	default:
		return -EINVAL;
	}
	r->capabilities_flags = 0;
	r->available_rings = (1u << rings) - 1;
	return 0;
}

/* amdgpu_firmware_info, with plausible gfx11 firmware versions (the GFX
 * ones are those of a Navi31 in Mesa's drm-shim table). */
static int firmware_info(struct vgpu_file *f, const struct drm_amdgpu_query_fw *q,
			 struct drm_amdgpu_info_firmware *fw)
{
	const struct vgpu_profile *p = prof(f);
	fw->ver = 0;
	fw->feature = 0;
	switch (q->fw_type) {
	case AMDGPU_INFO_FW_VCE:
	case AMDGPU_INFO_FW_UVD:
	case AMDGPU_INFO_FW_VCN:
	case AMDGPU_INFO_FW_GMC:
	case AMDGPU_INFO_FW_GFX_CE: /* gfx11 has no constant engine */
	case AMDGPU_INFO_FW_GFX_RLC_RESTORE_LIST_CNTL:
	case AMDGPU_INFO_FW_GFX_RLC_RESTORE_LIST_GPM_MEM:
	case AMDGPU_INFO_FW_GFX_RLC_RESTORE_LIST_SRM_MEM:
	case AMDGPU_INFO_FW_GFX_RLCP:
	case AMDGPU_INFO_FW_GFX_RLCV:
	case AMDGPU_INFO_FW_DMCU:   /* DCN has DMCUB, not DMCU */
	case AMDGPU_INFO_FW_CAP:
		break; /* not loaded: the kernel reports 0 */
	case AMDGPU_INFO_FW_GFX_ME:
		fw->ver = 1486;
		fw->feature = 29;
		break;
	case AMDGPU_INFO_FW_GFX_PFP:
		fw->ver = 1525;
		fw->feature = 29;
		break;
	case AMDGPU_INFO_FW_GFX_RLC:
		fw->ver = 98;
		fw->feature = 1;
		break;
	case AMDGPU_INFO_FW_GFX_MEC:
		if (q->index == 0) {
			fw->ver = 494;
			fw->feature = 29;
		} else if (q->index != 1) {
			return -EINVAL; /* index 1 (MEC2): none on gfx11 */
		}
		break;
	case AMDGPU_INFO_FW_SMC:
		fw->ver = p->is_apu ? 0x004c4e00 : 0x004e6300;
		break;
	case AMDGPU_INFO_FW_TA:
		switch (q->index) {
		case TA_XGMI:
		case TA_RAS:
		case TA_RAP:
		case TA_SECUREDISPLAY:
			break;
		case TA_HDCP:
			fw->ver = 0x17000031;
			fw->feature = 0x17000031;
			break;
		case TA_DTM:
			fw->ver = 0x12000012;
			fw->feature = 0x12000012;
			break;
		default:
			return -EINVAL;
		}
		break;
	case AMDGPU_INFO_FW_SDMA:
		if (q->index >= p->num_sdma)
			return -EINVAL;
		fw->ver = 21;
		fw->feature = 60;
		break;
	case AMDGPU_INFO_FW_SOS:
		fw->ver = 0x003a0024;
		fw->feature = 0x003a0024;
		break;
	case AMDGPU_INFO_FW_ASD:
		fw->ver = 0x21000109;
		fw->feature = 0x21000109;
		break;
	case AMDGPU_INFO_FW_DMCUB:
		fw->ver = 0x07002200;
		break;
	case AMDGPU_INFO_FW_TOC:
		fw->ver = 0x0000000a;
		fw->feature = 0x0000000a;
		break;
	case AMDGPU_INFO_FW_MES_KIQ:
	case AMDGPU_INFO_FW_MES: {
		uint32_t v = q->fw_type == AMDGPU_INFO_FW_MES ? 0x00001042u : 0x0000106fu;
		fw->ver = v & AMDGPU_MES_VERSION_MASK;
		fw->feature = (v & AMDGPU_MES_FEAT_VERSION_MASK) >> AMDGPU_MES_FEAT_VERSION_SHIFT;
		break;
	}
	case AMDGPU_INFO_FW_IMU:
		fw->ver = 0x0b1e0100;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

/* soc21_read_register: only soc21_allowed_read_registers. */
static int read_register(struct vgpu_file *f, uint32_t reg, uint32_t *value)
{
	const struct vgpu_profile *p = prof(f);
	*value = 0;
	switch (reg) {
	case REG(regGRBM_STATUS):
		*value = GRBM_STATUS_IDLE;
		return 0;
	case REG(regGRBM_STATUS2):
		*value = GRBM_STATUS2_IDLE;
		return 0;
	case REG(regGRBM_STATUS_SE0):
	case REG(regGRBM_STATUS_SE1):
	case REG(regGRBM_STATUS_SE2):
	case REG(regGRBM_STATUS_SE3):
	case REG(regCP_STAT):
	case REG(regCP_STALLED_STAT1):
	case REG(regCP_STALLED_STAT2):
	case REG(regCP_STALLED_STAT3):
	case REG(regCP_CPF_BUSY_STAT):
	case REG(regCP_CPF_STALLED_STAT1):
	case REG(regCP_CPF_STATUS):
	case REG(regCP_CPC_BUSY_STAT):
	case REG(regCP_CPC_STALLED_STAT1):
	case REG(regCP_CPC_STATUS):
		return 0; /* idle: nothing busy, nothing stalled */
	case REG(regSDMA0_STATUS_REG):
		*value = SDMA_STATUS_IDLE;
		return 0;
	case REG(regSDMA1_STATUS_REG):
		/* the entry is skipped when the IP has no register base, as
		 * on single-SDMA parts */
		if (p->num_sdma < 2)
			return -EINVAL;
		*value = SDMA_STATUS_IDLE;
		return 0;
	case REG(regGB_ADDR_CONFIG):
		*value = p->gb_addr_config; /* adev->gfx.config.gb_addr_config */
		return 0;
	default:
		return -EINVAL;
	}
}

static int read_mmr_reg(struct vgpu_file *f, const struct drm_amdgpu_info *info)
{
	uint32_t se = (info->read_mmr_reg.instance >> AMDGPU_INFO_MMR_SE_INDEX_SHIFT) &
		      AMDGPU_INFO_MMR_SE_INDEX_MASK;
	uint32_t sh = (info->read_mmr_reg.instance >> AMDGPU_INFO_MMR_SH_INDEX_SHIFT) &
		      AMDGPU_INFO_MMR_SH_INDEX_MASK;
	/* all bits set in a field means "broadcast" */
	if (se != AMDGPU_INFO_MMR_SE_INDEX_MASK && se >= AMDGPU_GFX_MAX_SE)
		return -EINVAL;
	if (sh != AMDGPU_INFO_MMR_SH_INDEX_MASK && sh >= AMDGPU_GFX_MAX_SH_PER_SE)
		return -EINVAL;
	if (info->read_mmr_reg.count > 128)
		return -EINVAL;
	uint32_t regs[128];
	for (uint32_t i = 0; i < info->read_mmr_reg.count; i++) {
		if (read_register(f, info->read_mmr_reg.dword_offset + i, &regs[i])) {
			vgpu_log("READ_MMR_REG: unallowed offset %#x -> EFAULT",
				 info->read_mmr_reg.dword_offset + i);
			return -EFAULT; /* what amdgpu_info_ioctl returns */
		}
	}
	return copy_out(info, regs, info->read_mmr_reg.count * sizeof(uint32_t));
}

static void fill_dev_info(struct vgpu_file *f, struct drm_amdgpu_info_device *d)
{
	const struct vgpu_profile *p = prof(f);
	memset(d, 0, sizeof(*d));
	d->device_id = p->pci_device;
	d->chip_rev = p->chip_rev;
	d->external_rev = p->external_rev;
	d->pci_rev = p->pci_revision;
	d->family = p->family;
	d->num_shader_engines = p->num_se;
	d->num_shader_arrays_per_engine = p->num_sh_per_se;
	/* amdgpu_asic_get_xclk (soc21: the 100 MHz reference) * 10, in kHz */
	d->gpu_counter_freq = 100000;
	d->max_engine_clock = p->max_engine_clock_khz;
	d->max_memory_clock = p->max_memory_clock_khz;
	d->cu_active_number = p->cu_active;
	d->cu_ao_mask = 0; /* gfx_v11_0_get_cu_info fills no always-on mask */
	/* bitmap[se % 4][sh + (se / 4) * 2] (gfx_v11_0_get_cu_info) */
	uint32_t left = p->cu_active;
	for (uint32_t se = 0; se < p->num_se; se++) {
		for (uint32_t sh = 0; sh < p->num_sh_per_se; sh++) {
			uint32_t n = left < p->cu_per_sh ? left : p->cu_per_sh;
			d->cu_bitmap[se % 4][sh + (se / 4) * 2] = n >= 32 ? ~0u : (1u << n) - 1;
			left -= n;
		}
	}
	d->enabled_rb_pipes_mask = p->num_rb_pipes >= 32 ? ~0u : (1u << p->num_rb_pipes) - 1;
	d->num_rb_pipes = p->num_rb_pipes;
	d->num_hw_gfx_contexts = 8;
	if (p->is_apu)
		d->ids_flags |= AMDGPU_IDS_FLAGS_FUSION;
	/* amdgpu_gmc_tmz_set: TMZ is on by default only for GC 11.0.1 among
	 * these chips (amdgpu_mcbp is off: no PREEMPTION flag) */
	if (p->gc_major == 11 && p->gc_minor == 0 && p->gc_rev == 1)
		d->ids_flags |= AMDGPU_IDS_FLAGS_TMZ;
	/* ... and for Raven (GC 9.1.0/9.2.2) and Renoir/Cezanne (9.3.0), on
	 * by default in the same function */
	if (p->gc_major == 9 && (p->gc_minor == 1 || p->gc_minor == 3 ||
				 (p->gc_minor == 2 && p->gc_rev == 2)))
		d->ids_flags |= AMDGPU_IDS_FLAGS_TMZ;
	uint64_t vm_size = (1ull << VM_SIZE_BITS) - AMDGPU_VA_RESERVED_SIZE;
	d->virtual_address_offset = AMDGPU_VA_RESERVED_SIZE;
	d->virtual_address_max = vm_size < AMDGPU_GMC_HOLE_START ? vm_size : AMDGPU_GMC_HOLE_START;
	if (vm_size > AMDGPU_GMC_HOLE_START) {
		d->high_va_offset = AMDGPU_GMC_HOLE_END;
		d->high_va_max = AMDGPU_GMC_HOLE_END | vm_size;
	}
	d->virtual_address_alignment = 4096; /* max(PAGE_SIZE, GPU page) */
	d->pte_fragment_size = (1u << VM_FRAGMENT_SIZE) * AMDGPU_GPU_PAGE_SIZE;
	d->gart_page_size = 4096;
	d->ce_ram_size = 0;
	d->vram_type = p->vram_type;
	d->vram_bit_width = p->vram_bit_width;
	d->vce_harvest_config = 0;
	d->gc_double_offchip_lds_buf = 0;
	d->wave_front_size = 32;
	if (p->gc_major == 9) {
		/* gfx9: wave64 only (the gpu_info firmware's gc_wave_size),
		 * gfx_v9_0_sw_init's 32 KiB CE RAM, double off-chip LDS
		 * buffers (gfx_v9_0_gpu_early_init), and for Raven (MP1 10.0.x)
		 * soc15_get_xclk's reference clock / 4: the values Mesa's
		 * drm-shim dumps of Raven and Renoir parts show. */
		d->wave_front_size = 64;
		d->ce_ram_size = 0x8000;
		d->gc_double_offchip_lds_buf = 1;
		if (p->gc_minor == 1 || (p->gc_minor == 2 && p->gc_rev == 2))
			d->gpu_counter_freq = 25000;
	}
	d->num_shader_visible_vgprs = p->num_vgprs;
	d->num_cu_per_sh = p->cu_per_sh;
	d->num_tcc_blocks = p->num_tcc_blocks;
	d->gs_vgt_table_depth = 32;
	d->gs_prim_buffer_depth = 1792;
	d->max_gs_waves_per_vgt = 32;
	d->pa_sc_tile_steering_override = 0;
	d->tcc_disabled_mask = 0;
}

/* amdgpu_dpm_read_sensor through the SMU, converted like
 * amdgpu_info_ioctl does (clocks in MHz, power in W, mV, m°C). */
static int sensor(struct vgpu_file *f, uint32_t type, uint32_t *v)
{
	const struct vgpu_profile *p = prof(f);
	switch (type) {
	case AMDGPU_INFO_SENSOR_GFX_SCLK:
		*v = p->is_apu ? 800 : 500; /* idle clock */
		return 0;
	case AMDGPU_INFO_SENSOR_GFX_MCLK:
		*v = (uint32_t)(p->max_memory_clock_khz / 1000);
		return 0;
	case AMDGPU_INFO_SENSOR_GPU_TEMP:
		*v = 42000;
		return 0;
	case AMDGPU_INFO_SENSOR_GPU_LOAD:
		*v = 0; /* nothing runs */
		return 0;
	case AMDGPU_INFO_SENSOR_GPU_AVG_POWER:
		*v = p->is_apu ? 6 : 18;
		return 0;
	case AMDGPU_INFO_SENSOR_VDDNB:
		/* only APU SMUs report the northbridge rail; a dGPU's
		 * read_sensor says -EOPNOTSUPP and the ioctl -EINVAL */
		if (!p->is_apu)
			return -EINVAL;
		*v = 780;
		return 0;
	case AMDGPU_INFO_SENSOR_VDDGFX:
		*v = 700;
		return 0;
	case AMDGPU_INFO_SENSOR_STABLE_PSTATE_GFX_SCLK:
		*v = (uint32_t)(p->max_engine_clock_khz / 1000 * 2 / 3);
		return 0;
	case AMDGPU_INFO_SENSOR_STABLE_PSTATE_GFX_MCLK:
		*v = (uint32_t)(p->max_memory_clock_khz / 1000);
		return 0;
	default:
		return -EINVAL;
	}
}

/* The VBIOS image: a small synthetic ATOM ROM (0x55AA signature, size in
 * 512-byte blocks at offset 2, the part name) so that tools reading it get
 * something well-formed. */
#define VBIOS_SIZE 4096u
static void make_vbios(const struct vgpu_profile *p, uint8_t *rom)
{
	memset(rom, 0, VBIOS_SIZE);
	rom[0] = 0x55;
	rom[1] = 0xaa;
	rom[2] = VBIOS_SIZE / 512;
	snprintf((char *)rom + 0x30, 16, " 761295520");  /* ATOM signature slot */
	snprintf((char *)rom + 0x80, 64, "ATOMBIOS vgpu %s", p->name);
}

static int vbios(struct vgpu_file *f, const struct drm_amdgpu_info *info)
{
	const struct vgpu_profile *p = prof(f);
	uint32_t bios_size = VBIOS_SIZE;
	switch (info->vbios_info.type) {
	case AMDGPU_INFO_VBIOS_SIZE:
		return copy_out(info, &bios_size, sizeof(bios_size));
	case AMDGPU_INFO_VBIOS_IMAGE: {
		if (info->vbios_info.offset >= bios_size)
			return -EINVAL;
		static uint8_t rom[VBIOS_SIZE];
		make_vbios(p, rom);
		return copy_out(info, rom + info->vbios_info.offset,
				bios_size - info->vbios_info.offset);
	}
	case AMDGPU_INFO_VBIOS_INFO: {
		struct drm_amdgpu_info_vbios vi;
		memset(&vi, 0, sizeof(vi));
		snprintf((char *)vi.name, sizeof(vi.name), "vgpu %s", p->name);
		snprintf((char *)vi.vbios_pn, sizeof(vi.vbios_pn), "113-VGPU-%04x", p->pci_device);
		vi.version = 1;
		snprintf((char *)vi.vbios_ver_str, sizeof(vi.vbios_ver_str), "vgpu.%s", p->name);
		snprintf((char *)vi.date, sizeof(vi.date), "2022/12/11 00:00");
		return copy_out(info, &vi, sizeof(vi));
	}
	default:
		return -EINVAL;
	}
}

static uint64_t gpu_clock_counter(void)
{
	/* amdgpu_gfx_get_gpu_clock_counter: the 100 MHz reference counter */
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 100000000ull + (uint64_t)ts.tv_nsec / 10;
}

int vgpu_amdgpu_info(struct vgpu_file *f, void *data)
{
	struct drm_amdgpu_info *info = data;
	uint32_t ui32 = 0;
	uint64_t ui64 = 0;
	struct vgpu_mem_state st;
	int r;

	if (!info->return_size || !info->return_pointer)
		return -EINVAL;

	switch (info->query) {
	case AMDGPU_INFO_ACCEL_WORKING:
		ui32 = 1;
		return copy_out(info, &ui32, 4);
	case AMDGPU_INFO_CRTC_FROM_ID:
		return -EINVAL; /* no display: no CRTC has that id */
	case AMDGPU_INFO_HW_IP_INFO: {
		struct drm_amdgpu_info_hw_ip ip;
		r = hw_ip_info(f, info, &ip);
		if (r)
			return r;
		return copy_out(info, &ip, sizeof(ip));
	}
	case AMDGPU_INFO_HW_IP_COUNT:
		switch (info->query_hw_ip.type) {
		case AMDGPU_HW_IP_GFX:
		case AMDGPU_HW_IP_COMPUTE:
		case AMDGPU_HW_IP_DMA:
			ui32 = 1; /* one GFX block, one SDMA block */
			break;
		case AMDGPU_HW_IP_UVD:
		case AMDGPU_HW_IP_VCE:
		case AMDGPU_HW_IP_UVD_ENC:
		case AMDGPU_HW_IP_VCN_DEC:
		case AMDGPU_HW_IP_VCN_ENC:
		case AMDGPU_HW_IP_VCN_JPEG:
			ui32 = 0;
			break;
		default:
			return -EINVAL;
		}
		return copy_out(info, &ui32, 4);
	case AMDGPU_INFO_TIMESTAMP:
		ui64 = gpu_clock_counter();
		return copy_out(info, &ui64, 8);
	case AMDGPU_INFO_FW_VERSION: {
		struct drm_amdgpu_info_firmware fw;
		if (info->query_fw.ip_instance != 0)
			return -EINVAL;
		r = firmware_info(f, &info->query_fw, &fw);
		if (r)
			return r;
		return copy_out(info, &fw, sizeof(fw));
	}
	case AMDGPU_INFO_NUM_BYTES_MOVED:
	case AMDGPU_INFO_NUM_EVICTIONS:
	case AMDGPU_INFO_NUM_VRAM_CPU_PAGE_FAULTS:
	case AMDGPU_INFO_VRAM_USAGE:
	case AMDGPU_INFO_VIS_VRAM_USAGE:
	case AMDGPU_INFO_GTT_USAGE:
		r = vgpu_mem_query(&st);
		if (r)
			return r;
		switch (info->query) {
		case AMDGPU_INFO_NUM_BYTES_MOVED: ui64 = st.num_bytes_moved; break;
		case AMDGPU_INFO_NUM_EVICTIONS: ui64 = st.num_evictions; break;
		case AMDGPU_INFO_NUM_VRAM_CPU_PAGE_FAULTS: ui64 = st.num_vram_cpu_page_faults; break;
		case AMDGPU_INFO_VRAM_USAGE: ui64 = st.vram_used; break;
		case AMDGPU_INFO_VIS_VRAM_USAGE: ui64 = st.vis_vram_used; break;
		default: ui64 = st.gtt_used; break;
		}
		return copy_out(info, &ui64, 8);
	case AMDGPU_INFO_GDS_CONFIG: {
		/* amdgpu_info_ioctl: adev->gds as gfx_v*_set_gds_init set it */
		struct drm_amdgpu_info_gds gds;
		memset(&gds, 0, sizeof(gds));
		vgpu_gds_sizes(&gds.gds_total_size, &gds.gws_per_compute_partition,
			       &gds.oa_per_compute_partition);
		gds.compute_partition_size = gds.gds_total_size;
		return copy_out(info, &gds, sizeof(gds));
	}
	case AMDGPU_INFO_VRAM_GTT: {
		struct drm_amdgpu_info_vram_gtt vg;
		r = vgpu_mem_query(&st);
		if (r)
			return r;
		vg.vram_size = st.vram_usable;
		vg.vram_cpu_accessible_size = st.vis_vram_usable < st.vram_usable ?
					      st.vis_vram_usable : st.vram_usable;
		vg.gtt_size = st.gtt_usable;
		return copy_out(info, &vg, sizeof(vg));
	}
	case AMDGPU_INFO_MEMORY: {
		struct drm_amdgpu_memory_info mem;
		r = vgpu_mem_query(&st);
		if (r)
			return r;
		memset(&mem, 0, sizeof(mem));
		mem.vram.total_heap_size = st.vram_size;
		mem.vram.usable_heap_size = st.vram_usable;
		mem.vram.heap_usage = st.vram_used;
		mem.vram.max_allocation = st.vram_max_alloc;
		mem.cpu_accessible_vram.total_heap_size = st.vis_vram_size;
		mem.cpu_accessible_vram.usable_heap_size = st.vis_vram_usable;
		mem.cpu_accessible_vram.heap_usage = st.vis_vram_used;
		mem.cpu_accessible_vram.max_allocation = st.vis_vram_max_alloc;
		mem.gtt.total_heap_size = st.gtt_size;
		mem.gtt.usable_heap_size = st.gtt_usable;
		mem.gtt.heap_usage = st.gtt_used;
		mem.gtt.max_allocation = st.gtt_max_alloc;
		return copy_out(info, &mem, sizeof(mem));
	}
	case AMDGPU_INFO_READ_MMR_REG:
		return read_mmr_reg(f, info);
	case AMDGPU_INFO_DEV_INFO: {
		struct drm_amdgpu_info_device d;
		fill_dev_info(f, &d);
		return copy_out(info, &d, sizeof(d));
	}
	case AMDGPU_INFO_VCE_CLOCK_TABLE: {
		struct drm_amdgpu_info_vce_clock_table t;
		memset(&t, 0, sizeof(t)); /* no VCE: no valid entry */
		return copy_out(info, &t, sizeof(t));
	}
	case AMDGPU_INFO_VBIOS:
		return vbios(f, info);
	case AMDGPU_INFO_NUM_HANDLES:
		/* UVD handles are unlimited since Polaris */
		return info->query_hw_ip.type == AMDGPU_HW_IP_UVD ? -ENODATA : -EINVAL;
	case AMDGPU_INFO_SENSOR:
		r = sensor(f, info->sensor_info.type, &ui32);
		if (r)
			return r;
		return copy_out(info, &ui32, 4);
	case AMDGPU_INFO_VRAM_LOST_COUNTER:
		/* only a VRAM-lost reset moves it (exec/reset.c) */
		ui32 = vgpu_exec_vram_lost_counter();
		return copy_out(info, &ui32, 4);
	case AMDGPU_INFO_RAS_ENABLED_FEATURES:
		return -EINVAL; /* consumer parts: no RAS context */
	case AMDGPU_INFO_VIDEO_CAPS: {
		struct drm_amdgpu_info_video_caps caps;
		if (info->video_cap.type != AMDGPU_INFO_VIDEO_CAPS_DECODE &&
		    info->video_cap.type != AMDGPU_INFO_VIDEO_CAPS_ENCODE)
			return -EINVAL;
		memset(&caps, 0, sizeof(caps)); /* no multimedia block: no codec */
		return copy_out(info, &caps, sizeof(caps));
	}
	case VGPU_INFO_MAX_IBS: {
		/* Linux 6.6+ (amdgpu_kms.c): amdgpu_ring_max_ibs() per IP type,
		 * AMDGPU_HW_IP_NUM entries (10 with VPE); 6.1 has no such query
		 * and falls through to the invalid request below. */
		if (f->ctl->prof->kernel < VGPU_KERNEL_6_8)
			break;
		uint32_t max_ibs[10];
		for (int i = 0; i < 10; i++)
			max_ibs[i] = i == AMDGPU_HW_IP_GFX ? 192 : i == AMDGPU_HW_IP_COMPUTE ? 125 :
				     i == AMDGPU_HW_IP_VCN_JPEG ? 16 : 49;
		return copy_out(info, max_ibs, sizeof(max_ibs));
	}
	default:
		break;
	}
	vgpu_log("AMDGPU_INFO: invalid request %u -> EINVAL", info->query);
	return -EINVAL;
}
