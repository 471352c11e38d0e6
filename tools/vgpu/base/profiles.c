/*
 * The vgpu's chip profiles, as data.  Each profile is what a Linux 6.1
 * amdgpu driver would report for one real device: PCI identity, the GC
 * configuration DEV_INFO exposes, and the memory heaps; plus the machine
 * around it (its RAM), and the resolution of the configuration: kernel
 * version, module parameters, and the GTT size they give.
 *
 * Sources (public):
 *  - PCI device/revision ids and marketing names: libdrm's data/amdgpu.ids
 *    (upstream mesa/drm; the Debian 12 copy in /usr/share/libdrm/amdgpu.ids
 *    is older and lists none of these chips, so libdrm 2.4.114 finds no
 *    marketing name for them, as on a real Debian 12 machine).
 *  - Navi31 (7900 XTX) DEV_INFO values, GB_ADDR_CONFIG 0x545, clocks and
 *    the 64 GiB-host GTT size: Mesa's drm-shim device table
 *    (src/amd/drm-shim/amdgpu_devices.c, entry "navi31", a dump from a
 *    real card).
 *  - family ids: amdgpu_drm.h (GC_11_0_0 = 145, GC_11_0_1 = 148) and newer
 *    kernels' header (GC_11_5_0 = 150, absent from 6.1 and libdrm 2.4.114).
 *  - external_rev = rev_id + 1 for GC 11.0.0/11.0.1: soc21_common_early_init
 *    (Linux 6.1 soc21.c).  6.1 does not know GC 11.5.x; for those the
 *    profiles follow Linux 6.12's soc21_common_early_init: GC 11.5.0 gives
 *    0x1 for rev_id 0 (890m), 11.5.1 rev_id + 0xc1 (8060s), 11.5.2
 *    rev_id + 0x40 (860m).
 *  - CU/SE/SH layout: public chip specifications (780M: 12 CUs in 1 SE x 2
 *    SA; 890M: 16 CUs; 860M: 8 CUs; 8060S: 40 CUs in 2 SE; 7900 XTX: 96
 *    CUs in 6 SE).
 *  The APU GB_ADDR_CONFIG values, RB/TCC counts and clocks are plausible
 *  values derived from those specifications, not hardware dumps.
 */
#include "vgpu_device.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amdgpu_drm.h>

/* Newer kernels' family ids, missing from libdrm 2.4.114's header. */
#ifndef AMDGPU_FAMILY_GC_11_0_0
#define AMDGPU_FAMILY_GC_11_0_0 145
#endif
#ifndef AMDGPU_FAMILY_GC_11_0_1
#define AMDGPU_FAMILY_GC_11_0_1 148
#endif
#ifndef AMDGPU_FAMILY_GC_11_5_0
#define AMDGPU_FAMILY_GC_11_5_0 150
#endif
/* amdgpu_drm.h of 6.1 has LPDDR5 = 12; libdrm 2.4.114's lacks it. */
#ifndef AMDGPU_VRAM_TYPE_LPDDR5
#define AMDGPU_VRAM_TYPE_LPDDR5 12
#endif

#define KiB (1024ull)
#define MiB (1024ull * KiB)
#define GiB (1024ull * MiB)

/* Radeon 780M (Phoenix, gfx1103): the user's laptop — 96 GiB DDR5-5600,
 * 16 GiB BIOS carve-out (all CPU-visible, as on every APU), 38 GiB GTT. */
static const struct vgpu_profile p_780m = {
	.name = "780m",
	.marketing_name = "AMD Radeon 780M Graphics",
	.pci_vendor = 0x1002, .pci_device = 0x15bf,
	.subsys_vendor = 0x1002, .subsys_device = 0x0124,
	.pci_revision = 0xc1,
	.pci_slot = "0000:c4:00.0",
	.pci_class = 0x030000,
	.family = AMDGPU_FAMILY_GC_11_0_1,
	.chip_rev = 0x00, .external_rev = 0x01,
	.gc_major = 11, .gc_minor = 0, .gc_rev = 1,
	.is_apu = 1,
	.num_se = 1, .num_sh_per_se = 2, .cu_per_sh = 6, .cu_active = 12,
	.max_engine_clock_khz = 2700000, .max_memory_clock_khz = 2800000,
	.vram_type = AMDGPU_VRAM_TYPE_DDR5, .vram_bit_width = 128,
	.gb_addr_config = 0x00000243,
	.vram_size = 16 * GiB, .vis_vram_size = 16 * GiB, .gtt_size = 38 * GiB,
	.system_ram = 76 * GiB, /* 96 GiB less the carve-out and firmware: GTT 38 GiB */
	.driver_name = "amdgpu",
	.num_rb_pipes = 4, .num_tcc_blocks = 8, .num_sdma = 1,
	.num_vgprs = 1024,
};

/* Radeon 890M (Strix Point, gfx1150): a 32 GiB LPDDR5x-7500 laptop with a
 * 4 GiB carve-out; GTT = half of the remaining RAM (amdgpu_ttm_init). */
static const struct vgpu_profile p_890m = {
	.name = "890m",
	.marketing_name = "AMD Radeon 890M Graphics",
	.pci_vendor = 0x1002, .pci_device = 0x150e,
	.subsys_vendor = 0x1002, .subsys_device = 0x0124,
	.pci_revision = 0xc1,
	.pci_slot = "0000:c5:00.0",
	.pci_class = 0x030000,
	.family = AMDGPU_FAMILY_GC_11_5_0,
	.chip_rev = 0x00, .external_rev = 0x01,
	.gc_major = 11, .gc_minor = 5, .gc_rev = 0,
	.is_apu = 1,
	.num_se = 1, .num_sh_per_se = 2, .cu_per_sh = 8, .cu_active = 16,
	.max_engine_clock_khz = 2900000, .max_memory_clock_khz = 3750000,
	.vram_type = AMDGPU_VRAM_TYPE_LPDDR5, .vram_bit_width = 128,
	.gb_addr_config = 0x00000343,
	.vram_size = 4 * GiB, .vis_vram_size = 4 * GiB, .gtt_size = 14 * GiB,
	.system_ram = 28 * GiB,
	.driver_name = "amdgpu",
	.num_rb_pipes = 4, .num_tcc_blocks = 8, .num_sdma = 1,
	.num_vgprs = 1024,
};

/* Radeon 8060S (Strix Halo, gfx1151): a 128 GiB LPDDR5x-8000 (256-bit)
 * machine with the common 64 GiB carve-out and GTT = half of the remaining
 * 64 GiB (amdgpu_ttm_init's default: max(3 GiB, RAM / 2)). */
static const struct vgpu_profile p_8060s = {
	.name = "8060s",
	.marketing_name = "AMD Radeon 8060S Graphics",
	.pci_vendor = 0x1002, .pci_device = 0x1586,
	.subsys_vendor = 0x1002, .subsys_device = 0x0124,
	.pci_revision = 0xc1,
	.pci_slot = "0000:c5:00.0",
	.pci_class = 0x030000,
	.family = AMDGPU_FAMILY_GC_11_5_0,
	.chip_rev = 0x00, .external_rev = 0xc1,
	.gc_major = 11, .gc_minor = 5, .gc_rev = 1,
	.is_apu = 1,
	.num_se = 2, .num_sh_per_se = 2, .cu_per_sh = 10, .cu_active = 40,
	.max_engine_clock_khz = 2900000, .max_memory_clock_khz = 4000000,
	.vram_type = AMDGPU_VRAM_TYPE_LPDDR5, .vram_bit_width = 256,
	.gb_addr_config = 0x00000444,
	.vram_size = 64 * GiB, .vis_vram_size = 64 * GiB, .gtt_size = 32 * GiB,
	.system_ram = 64 * GiB,
	.driver_name = "amdgpu",
	.num_rb_pipes = 8, .num_tcc_blocks = 16, .num_sdma = 1,
	.num_vgprs = 1536,
};

/* Radeon 860M (Krackan Point, gfx1152, GC 11.5.2): a 32 GiB LPDDR5x-7500
 * (128-bit) laptop with the common 512 MiB carve-out; GTT = half of the
 * remaining 31.5 GiB (amdgpu_ttm_init's default, as for 890m).  8 CUs
 * (512 shaders) in 1 SE x 2 SA; 2 RBs (16 ROPs).  PCI 1002:1114 rev c2 is
 * amdgpu.ids' "AMD Radeon 860M Graphics".  external_rev = rev_id + 0x40
 * and APU: soc21_common_early_init and amdgpu_discovery_set_ip_blocks of
 * Linux 6.12 (6.1 does not know GC 11.5.2, as for 890m/8060s).  Clocks
 * are the 860M's 3.0 GHz boost and LPDDR5x-7500; GB_ADDR_CONFIG is
 * derived from the RB count, not a hardware dump. */
static const struct vgpu_profile p_860m = {
	.name = "860m",
	.marketing_name = "AMD Radeon 860M Graphics",
	.pci_vendor = 0x1002, .pci_device = 0x1114,
	.subsys_vendor = 0x1002, .subsys_device = 0x0124,
	.pci_revision = 0xc2,
	.pci_slot = "0000:c4:00.0",
	.pci_class = 0x030000,
	.family = AMDGPU_FAMILY_GC_11_5_0,
	.chip_rev = 0x00, .external_rev = 0x40,
	.gc_major = 11, .gc_minor = 5, .gc_rev = 2,
	.is_apu = 1,
	.num_se = 1, .num_sh_per_se = 2, .cu_per_sh = 4, .cu_active = 8,
	.max_engine_clock_khz = 3000000, .max_memory_clock_khz = 3750000,
	.vram_type = AMDGPU_VRAM_TYPE_LPDDR5, .vram_bit_width = 128,
	.gb_addr_config = 0x00000142,
	.vram_size = 512 * MiB, .vis_vram_size = 512 * MiB,
	.gtt_size = 15 * GiB + 768 * MiB,
	.system_ram = 31 * GiB + 512 * MiB, /* 32 GiB less the 512 MiB carve-out: GTT half */
	.driver_name = "amdgpu",
	.num_rb_pipes = 2, .num_tcc_blocks = 4, .num_sdma = 1,
	.num_vgprs = 1024,
};

/* Radeon RX 7900 XTX (Navi31, gfx1100): 24 GiB GDDR6 behind a 256 MiB BAR
 * (no resizable BAR), in a 64 GiB host: GTT = totalram / 2 as Mesa's
 * drm-shim navi31 dump shows it (33254252544 bytes). */
static const struct vgpu_profile p_7900xtx = {
	.name = "7900xtx",
	.marketing_name = "AMD Radeon RX 7900 XTX",
	.pci_vendor = 0x1002, .pci_device = 0x744c,
	.subsys_vendor = 0x1002, .subsys_device = 0x0e3b,
	.pci_revision = 0xc8,
	.pci_slot = "0000:03:00.0",
	.pci_class = 0x030000,
	.family = AMDGPU_FAMILY_GC_11_0_0,
	.chip_rev = 0x00, .external_rev = 0x01,
	.gc_major = 11, .gc_minor = 0, .gc_rev = 0,
	.is_apu = 0,
	.num_se = 6, .num_sh_per_se = 2, .cu_per_sh = 8, .cu_active = 96,
	.max_engine_clock_khz = 2371000, .max_memory_clock_khz = 1249000,
	.vram_type = AMDGPU_VRAM_TYPE_GDDR6, .vram_bit_width = 384,
	.gb_addr_config = 0x00000545,
	.vram_size = 24 * GiB, .vis_vram_size = 256 * MiB,
	.gtt_size = 33254252544ull,
	.system_ram = 2 * 33254252544ull,
	.driver_name = "amdgpu",
	.num_rb_pipes = 24, .num_tcc_blocks = 24, .num_sdma = 2,
	.num_vgprs = 1536,
};

/* ---- gfx10.3 (RDNA2) ----------------------------------------------------
 * Jobs run on the vgpu's gfx10.3 command processor and SDMA 5.2
 * (exec/ring.c picks them by gc_major/gc_minor) and gfx10.3 shader core
 * (docs/vgpu-exec.md, docs/vgpu-shader.md say what they cover).
 * external_rev: nv_common_early_init (Linux 6.12 nv.c).  The SE/SA split,
 * RB/TCC counts and GB_ADDR_CONFIG of the two APUs are derived from their
 * CU and ROP counts, not hardware dumps. */

/* Radeon 680M (Rembrandt, gfx1035, GC 10.3.3): a 16 GiB LPDDR5-6400
 * (128-bit) laptop with a 512 MiB carve-out; GTT = half of the remaining
 * 15.5 GiB (as for the other APUs).  12 CUs in 1 SE x 2 SA, 2.4 GHz.
 * PCI 1002:1681 rev c8 is amdgpu.ids' "AMD Radeon 680M"; for device 0x1681
 * nv.c sets external_rev 0x20. */
static const struct vgpu_profile p_680m = {
	.name = "680m",
	.marketing_name = "AMD Radeon 680M",
	.pci_vendor = 0x1002, .pci_device = 0x1681,
	.subsys_vendor = 0x1002, .subsys_device = 0x0124,
	.pci_revision = 0xc8,
	.pci_slot = "0000:e5:00.0",
	.pci_class = 0x030000,
	.family = AMDGPU_FAMILY_YC,
	.chip_rev = 0x00, .external_rev = 0x20,
	.gc_major = 10, .gc_minor = 3, .gc_rev = 3,
	.is_apu = 1,
	.num_se = 1, .num_sh_per_se = 2, .cu_per_sh = 6, .cu_active = 12,
	.max_engine_clock_khz = 2400000, .max_memory_clock_khz = 3200000,
	.vram_type = AMDGPU_VRAM_TYPE_LPDDR5, .vram_bit_width = 128,
	.gb_addr_config = 0x00000243,
	.vram_size = 512 * MiB, .vis_vram_size = 512 * MiB,
	.gtt_size = 7 * GiB + 768 * MiB,
	.system_ram = 15 * GiB + 512 * MiB, /* 16 GiB less the 512 MiB carve-out: GTT half */
	.driver_name = "amdgpu",
	.num_rb_pipes = 4, .num_tcc_blocks = 8, .num_sdma = 1,
	.num_vgprs = 1024,
};

/* Steam Deck (Van Gogh, gfx1033, GC 10.3.1): 16 GiB LPDDR5-5500 on a
 * 128-bit bus, the 1 GiB carve-out SteamOS ships; GTT = half of the
 * remaining 15 GiB.  8 CUs, 1.6 GHz.  PCI 1002:163f rev ae is amdgpu.ids'
 * "AMD Custom GPU 0405"; external_rev = rev_id + 1 (Van Gogh). */
static const struct vgpu_profile p_deck = {
	.name = "deck",
	.marketing_name = "AMD Custom GPU 0405",
	.pci_vendor = 0x1002, .pci_device = 0x163f,
	.subsys_vendor = 0x1002, .subsys_device = 0x0124,
	.pci_revision = 0xae,
	.pci_slot = "0000:04:00.0",
	.pci_class = 0x030000,
	.family = AMDGPU_FAMILY_VGH,
	.chip_rev = 0x00, .external_rev = 0x01,
	.gc_major = 10, .gc_minor = 3, .gc_rev = 1,
	.is_apu = 1,
	.num_se = 1, .num_sh_per_se = 2, .cu_per_sh = 4, .cu_active = 8,
	.max_engine_clock_khz = 1600000, .max_memory_clock_khz = 2750000,
	.vram_type = AMDGPU_VRAM_TYPE_LPDDR5, .vram_bit_width = 128,
	.gb_addr_config = 0x00000142,
	.vram_size = 1 * GiB, .vis_vram_size = 1 * GiB,
	.gtt_size = 7 * GiB + 512 * MiB,
	.system_ram = 15 * GiB, /* 16 GiB less the 1 GiB carve-out: GTT half */
	.driver_name = "amdgpu",
	.num_rb_pipes = 2, .num_tcc_blocks = 4, .num_sdma = 1,
	.num_vgprs = 1024,
};

/* Radeon RX 6800 XT (Navi 21, gfx1030, GC 10.3.0): 16 GiB GDDR6 (16 Gbps,
 * 256-bit) behind a 256 MiB BAR (no resizable BAR), in the same 64 GiB
 * host as 7900xtx.  72 of 80 CUs in 4 SE x 2 SA, 2.25 GHz boost; 4 SDMA
 * engines.  PCI 1002:73bf rev c1 is amdgpu.ids' "AMD Radeon RX 6800 XT";
 * external_rev = rev_id + 0x28 (Sienna Cichlid). */
static const struct vgpu_profile p_6800xt = {
	.name = "6800xt",
	.marketing_name = "AMD Radeon RX 6800 XT",
	.pci_vendor = 0x1002, .pci_device = 0x73bf,
	.subsys_vendor = 0x1002, .subsys_device = 0x0e3a,
	.pci_revision = 0xc1,
	.pci_slot = "0000:03:00.0",
	.pci_class = 0x030000,
	.family = AMDGPU_FAMILY_NV,
	.chip_rev = 0x00, .external_rev = 0x28,
	.gc_major = 10, .gc_minor = 3, .gc_rev = 0,
	.is_apu = 0,
	.num_se = 4, .num_sh_per_se = 2, .cu_per_sh = 9, .cu_active = 72,
	.max_engine_clock_khz = 2250000, .max_memory_clock_khz = 1000000,
	.vram_type = AMDGPU_VRAM_TYPE_GDDR6, .vram_bit_width = 256,
	.gb_addr_config = 0x00000444,
	.vram_size = 16 * GiB, .vis_vram_size = 256 * MiB,
	.gtt_size = 33254252544ull,
	.system_ram = 2 * 33254252544ull, /* the 7900xtx's host: GTT half of it */
	.driver_name = "amdgpu",
	.num_rb_pipes = 16, .num_tcc_blocks = 16, .num_sdma = 4,
	.num_vgprs = 1024,
};

/* gfx9 (GCN 5, Vega; GC 9.x).  Jobs run on gfx9's command processor and
 * SDMA 4.x (exec/pm4.c, exec/sdma.c), dispatches on the shader core's
 * gfx9 executor (shader/gfx9.c); opening, DEV_INFO, memory queries, GEM and VA work as on
 * the others.  Sources: amdgpu.ids (Debian 12's copy lists 15DD and 66A1,
 * not the Cezanne 1638 revision used here); external_rev from
 * soc15_common_early_init (Linux 6.12 soc15.c) and the Green Sardine flag
 * of amdgpu_device_init (every 1638 part); GB_ADDR_CONFIG from
 * gfx_v9_0_gpu_early_init's golden values; RB/TCC counts, gpu counter
 * frequency and 256 VGPRs as in Mesa's drm-shim dumps of Raven and
 * Renoir parts (src/amd/drm-shim/amdgpu_devices.c).  Clocks and CU counts:
 * public product specifications.  Subsystem ids and PCI slots are
 * placeholders, as in the other profiles; the CU bitmap fills SEs in
 * order (the MI50's 60 CUs as 16+16+16+12, where the chip disables one
 * CU per SE). */

/* Radeon Vega 11 (Raven, Ryzen 5 2400G, gfx902, GC 9.1.0): 16 GiB of
 * DDR4-2933 on a 128-bit bus (memory clock 1466 MHz), a 2 GiB carve-out;
 * GTT = half of the remaining 14 GiB (Linux 6.1).  11 CUs in 1 SE x 1 SA,
 * 1.25 GHz.  PCI 1002:15dd rev c1 is amdgpu.ids' "AMD Radeon Vega 11
 * Graphics"; external_rev = rev_id + 1 (Raven, neither Raven2 nor
 * Picasso). */
static const struct vgpu_profile p_raven = {
	.name = "raven",
	.marketing_name = "AMD Radeon Vega 11 Graphics",
	.pci_vendor = 0x1002, .pci_device = 0x15dd,
	.subsys_vendor = 0x1002, .subsys_device = 0x15dd,
	.pci_revision = 0xc1,
	.pci_slot = "0000:09:00.0",
	.pci_class = 0x030000,
	.family = AMDGPU_FAMILY_RV,
	.chip_rev = 0x00, .external_rev = 0x01,
	.gc_major = 9, .gc_minor = 1, .gc_rev = 0,
	.is_apu = 1,
	.num_se = 1, .num_sh_per_se = 1, .cu_per_sh = 11, .cu_active = 11,
	.max_engine_clock_khz = 1250000, .max_memory_clock_khz = 1466000,
	.vram_type = AMDGPU_VRAM_TYPE_DDR4, .vram_bit_width = 128,
	.gb_addr_config = 0x24000042, /* RAVEN_GB_ADDR_CONFIG_GOLDEN */
	.vram_size = 2 * GiB, .vis_vram_size = 2 * GiB,
	.gtt_size = 7 * GiB,
	.system_ram = 14 * GiB, /* 16 GiB less the 2 GiB carve-out: GTT half */
	.driver_name = "amdgpu",
	.num_rb_pipes = 2, .num_tcc_blocks = 4, .num_sdma = 1,
	.num_vgprs = 256,
};

/* Radeon Vega 8 in a Cezanne APU (Ryzen 7 5700G, gfx90c, GC 9.3.0): 64 GiB
 * of DDR4-3200 (128-bit, memory clock 1600 MHz) with the 512 MiB carve-out
 * most BIOSes default to, so a model lives in GTT: half of the remaining
 * 63.5 GiB (Linux 6.1), the large GTT such machines are used for.  8 CUs
 * in 1 SE x 1 SA, 2.0 GHz.  PCI 1002:1638 (Cezanne) rev c8; amdgpu.ids
 * names only rev c9 ("AMD Radeon Vega 7 Graphics"), so libdrm finds no
 * name and the library says "AMD Radeon Graphics"; external_rev = rev_id
 * + 0xa1 (Green Sardine). */
static const struct vgpu_profile p_cezanne = {
	.name = "cezanne",
	.marketing_name = "AMD Radeon Graphics",
	.pci_vendor = 0x1002, .pci_device = 0x1638,
	.subsys_vendor = 0x1002, .subsys_device = 0x1636,
	.pci_revision = 0xc8,
	.pci_slot = "0000:30:00.0",
	.pci_class = 0x030000,
	.family = AMDGPU_FAMILY_RV,
	.chip_rev = 0x00, .external_rev = 0xa1,
	.gc_major = 9, .gc_minor = 3, .gc_rev = 0,
	.is_apu = 1,
	.num_se = 1, .num_sh_per_se = 1, .cu_per_sh = 8, .cu_active = 8,
	.max_engine_clock_khz = 2000000, .max_memory_clock_khz = 1600000,
	.vram_type = AMDGPU_VRAM_TYPE_DDR4, .vram_bit_width = 128,
	.gb_addr_config = 0x22010042, /* gfx_v9_0_gpu_early_init, GC 9.3.0 */
	.vram_size = 512 * MiB, .vis_vram_size = 512 * MiB,
	.gtt_size = 31 * GiB + 768 * MiB,
	.system_ram = 63 * GiB + 512 * MiB, /* 64 GiB less the carve-out: GTT half */
	.driver_name = "amdgpu",
	.num_rb_pipes = 2, .num_tcc_blocks = 4, .num_sdma = 1,
	.num_vgprs = 256,
};

/* Radeon Instinct MI50 32 GB (Vega 20, gfx906, GC 9.4.0): 32 GiB of HBM2
 * (4096-bit, 1 GHz) behind a BAR as large as VRAM (large BAR: all of it
 * CPU-visible), in the 7900xtx's 64 GiB host.  60 CUs in 4 SE x 1 SA,
 * 1.725 GHz; 2 SDMA engines.  PCI 1002:66a1 rev 02 is amdgpu.ids' "AMD
 * Instinct MI60 / MI50"; a display controller (class 0x0380: no display
 * outputs); external_rev = rev_id + 0x28 (Vega 20). */
static const struct vgpu_profile p_mi50 = {
	.name = "mi50",
	.marketing_name = "AMD Instinct MI60 / MI50",
	.pci_vendor = 0x1002, .pci_device = 0x66a1,
	.subsys_vendor = 0x1002, .subsys_device = 0x0834,
	.pci_revision = 0x02,
	.pci_slot = "0000:43:00.0",
	.pci_class = 0x038000,
	.family = AMDGPU_FAMILY_AI,
	.chip_rev = 0x00, .external_rev = 0x28,
	.gc_major = 9, .gc_minor = 4, .gc_rev = 0,
	.is_apu = 0,
	.num_se = 4, .num_sh_per_se = 1, .cu_per_sh = 16, .cu_active = 60,
	.max_engine_clock_khz = 1725000, .max_memory_clock_khz = 1000000,
	.vram_type = AMDGPU_VRAM_TYPE_HBM, .vram_bit_width = 4096,
	.gb_addr_config = 0x22014042, /* gfx_v9_0_gpu_early_init, GC 9.4.0 */
	.vram_size = 32 * GiB, .vis_vram_size = 32 * GiB,
	.gtt_size = 33254252544ull,
	.system_ram = 2 * 33254252544ull, /* the 7900xtx's host: GTT half of it */
	.driver_name = "amdgpu",
	.num_rb_pipes = 16, .num_tcc_blocks = 16, .num_sdma = 2,
	.num_vgprs = 256,
};

/* AMD Instinct MI210 (Aldebaran, gfx90a, GC 9.4.2, CDNA2): 64 GiB of
 * HBM2e (4096-bit, 1.6 GHz) behind a BAR as large as VRAM (large BAR), in
 * the 7900xtx's 64 GiB host.  Sourced: PCI 1002:740f rev 02 is
 * amdgpu.ids' "AMD Instinct MI210" (amdgpu_drv.c lists 0x740F as
 * CHIP_ALDEBARAN); external_rev = rev_id + 0x3c (soc15.c, GC 9.4.2);
 * gb_addr_config carries the 0x22014042 gfx_v9_0_gpu_early_init ORs in
 * for GC 9.4.2 (the register bits it keeps are a placeholder: 0); 104 CUs
 * and 1.7 GHz are the MI210's data sheet; SDMA 4.4.0 (5 instances on
 * Aldebaran; the vgpu exposes 2 rings as for every profile).
 * Placeholders (no source at hand): the 8 SE x 1 SA x 16 CU layout (104
 * active), the subsystem id, num_rb_pipes/num_tcc_blocks, the PCI slot.
 * A display controller (class 0x0380: no display outputs). */
static const struct vgpu_profile p_mi210 = {
	.name = "mi210",
	.marketing_name = "AMD Instinct MI210",
	.pci_vendor = 0x1002, .pci_device = 0x740f,
	.subsys_vendor = 0x1002, .subsys_device = 0x0c34,
	.pci_revision = 0x02,
	.pci_slot = "0000:63:00.0",
	.pci_class = 0x038000,
	.family = AMDGPU_FAMILY_AI,
	.chip_rev = 0x00, .external_rev = 0x3c,
	.gc_major = 9, .gc_minor = 4, .gc_rev = 2,
	.is_apu = 0,
	.num_se = 8, .num_sh_per_se = 1, .cu_per_sh = 16, .cu_active = 104,
	.max_engine_clock_khz = 1700000, .max_memory_clock_khz = 1600000,
	.vram_type = AMDGPU_VRAM_TYPE_HBM, .vram_bit_width = 4096,
	.gb_addr_config = 0x22014042, /* gfx_v9_0_gpu_early_init, GC 9.4.2 */
	.vram_size = 64 * GiB, .vis_vram_size = 64 * GiB,
	.gtt_size = 33254252544ull,
	.system_ram = 2 * 33254252544ull, /* the 7900xtx's host: GTT half of it */
	.driver_name = "amdgpu",
	.num_rb_pipes = 16, .num_tcc_blocks = 16, .num_sdma = 5,
	.num_vgprs = 256,
};

/* A DRM node that is not amdgpu (an Intel iGPU, i915): libraries must
 * notice the driver name and refuse it.  Only VERSION and the generic DRM
 * ioctls answer; every amdgpu ioctl gets what i915 gives for a driver
 * ioctl number it does not implement. */
static const struct vgpu_profile p_foreign = {
	.name = "foreign",
	.marketing_name = "Intel(R) UHD Graphics 770",
	.pci_vendor = 0x8086, .pci_device = 0x4680,
	.subsys_vendor = 0x8086, .subsys_device = 0x4680,
	.pci_revision = 0x0c,
	.pci_slot = "0000:00:02.0",
	.pci_class = 0x030000,
	.driver_name = "i915",
};

/* No device at all: the boundary shows no /dev/dri nodes. */
static const struct vgpu_profile p_none = {
	.name = "none",
	.marketing_name = "",
	.pci_slot = "",
	.driver_name = NULL,
};

static const struct vgpu_profile *const all_profiles[] = {
	&p_780m, &p_890m, &p_8060s, &p_860m, &p_7900xtx,
	&p_680m, &p_deck, &p_6800xt, &p_raven, &p_cezanne, &p_mi50, &p_mi210, &p_foreign, &p_none, NULL,
};

const struct vgpu_profile *const *vgpu_profile_all(void)
{
	return all_profiles;
}

const struct vgpu_profile *vgpu_profile_find(const char *name)
{
	for (size_t i = 0; all_profiles[i]; i++)
		if (strcmp(all_profiles[i]->name, name) == 0)
			return all_profiles[i];
	return NULL;
}

/* "16G", "256M", "4096K", "123456" (bytes); anything else is junk. */
static int parse_size(const char *text, uint64_t *out)
{
	char *end = NULL;
	errno = 0;
	if (!text[0] || text[0] == '-')
		return -EINVAL;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || end == text)
		return -EINVAL;
	uint64_t mult = 1;
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': mult = KiB; end++; break;
	case 'm': case 'M': mult = MiB; end++; break;
	case 'g': case 'G': mult = GiB; end++; break;
	case 't': case 'T': mult = 1024 * GiB; end++; break;
	default: return -EINVAL;
	}
	if (*end == 'i' || *end == 'B') /* accept "16GiB"/"16GB" spellings */
		end += (*end == 'i' && end[1] == 'B') ? 2 : 1;
	if (*end != '\0' || v > UINT64_MAX / mult)
		return -EINVAL;
	*out = v * mult;
	return 0;
}

/* A configuration error must reach the user even without _DEBUG. */
static void config_error(const char *var, const char *value, const char *why)
{
	fprintf(stderr, "vgpu: %s=\"%s\" rejected: %s\n", var, value, why);
}

static int apply_size(const char *var, uint64_t *field)
{
	const char *v = getenv(var);
	if (!v)
		return 0;
	uint64_t n;
	if (parse_size(v, &n) < 0) {
		config_error(var, v, "expected a byte count with an optional K/M/G/T suffix (e.g. 16G)");
		return -EINVAL;
	}
	/* amdgpu needs at least one page in each heap; a zero-sized heap is
	 * not a configuration the driver can come up with. */
	if (n < 4096) {
		config_error(var, v, "must be at least 4096 bytes");
		return -EINVAL;
	}
	*field = n & ~4095ull; /* heaps are page-granular (TTM) */
	return 0;
}

/* ---- Kernel version, machine and module parameters --------------------- */

static const struct {
	const char *name;
	unsigned int id;
} kernels[] = {
	{ "6.1", VGPU_KERNEL_6_1 },   /* Debian 12 */
	{ "6.8", VGPU_KERNEL_6_8 },   /* Ubuntu 24.04 */
	{ "6.12", VGPU_KERNEL_6_12 }, /* Debian 13 */
	{ "6.18", VGPU_KERNEL_6_18 }, /* current */
};

/* A module parameter's value: a decimal integer (the kernel's kstrtoint /
 * kstrtoul family; param_set_int and friends refuse anything else). */
static int parse_param_int(const char *text, long long *out)
{
	char *end = NULL;
	errno = 0;
	long long v = strtoll(text, &end, 0);
	if (errno || end == text || *end != '\0')
		return -EINVAL;
	*out = v;
	return 0;
}

/* AMDBARE_VGPU_PARAMS is the kernel command line's module-parameter part:
 * "ttm.pages_limit=N amdgpu.gttsize=M amdttm.pages_limit=K".  Other
 * words are kept for /proc/cmdline and otherwise ignored, as the kernel
 * ignores parameters of modules it does not load. */
static int apply_params(struct vgpu_profile *p, const char *params)
{
	char buf[sizeof(p->cmdline)];
	if (strlen(params) >= sizeof(buf) - 64) {
		config_error("AMDBARE_VGPU_PARAMS", params, "longer than the vgpu keeps");
		return -EINVAL;
	}
	strcpy(buf, params);
	for (char *save = NULL, *w = strtok_r(buf, " \t", &save); w;
	     w = strtok_r(NULL, " \t", &save)) {
		char *eq = strchr(w, '=');
		if (strncmp(w, "amdttm.", 7) == 0)
			p->amdttm = 1; /* a parameter of the DKMS module implies it */
		if (!eq)
			continue;
		*eq = '\0';
		const char *val = eq + 1;
		long long v;
		bool ttm_limit = strcmp(w, "ttm.pages_limit") == 0;
		bool ttm_dma32 = strcmp(w, "ttm.dma32_pages_limit") == 0;
		bool amdttm_limit = strcmp(w, "amdttm.pages_limit") == 0;
		bool gttsize = strcmp(w, "amdgpu.gttsize") == 0;
		if (!ttm_limit && !ttm_dma32 && !amdttm_limit && !gttsize)
			continue;
		if (parse_param_int(val, &v) < 0 || (!gttsize && v < 0) ||
		    (gttsize && (v < -1 || v > 0x7fffffff))) {
			char why[96];
			snprintf(why, sizeof(why), "%s=%s: not a value the kernel's %s parameter takes",
				 w, val, gttsize ? "int" : "unsigned long");
			config_error("AMDBARE_VGPU_PARAMS", params, why);
			return -EINVAL;
		}
		/* ttm_tt_mgr_init: a limit of 0 means "use the default" */
		if (ttm_limit && v) {
			p->ttm_pages_limit = (uint64_t)v;
			p->ttm_pages_limit_given = 1;
		} else if (ttm_dma32 && v) {
			p->ttm_dma32_pages_limit = (uint64_t)v;
		} else if (amdttm_limit && v) {
			p->amdttm_pages_limit = (uint64_t)v;
			p->amdttm_pages_limit_given = 1;
		} else if (gttsize) {
			p->amdgpu_gttsize = v;
		}
	}
	return 0;
}

/* The kernel version, the machine's RAM and swap, the module parameters,
 * and from them the GTT size the kernel would set up. */
static int resolve_machine(struct vgpu_profile *p)
{
	/* 6.1 is the default: the kernel of the CI machine (Debian 12) and
	 * the one every test was first written against; the others are a
	 * per-run choice (docs/vgpu.md). */
	const char *kv = getenv("AMDBARE_VGPU_KERNEL");
	p->kernel = VGPU_KERNEL_6_1;
	p->kernel_name = "6.1";
	if (kv && kv[0]) {
		size_t i;
		for (i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++)
			if (strcmp(kv, kernels[i].name) == 0)
				break;
		if (i == sizeof(kernels) / sizeof(kernels[0])) {
			config_error("AMDBARE_VGPU_KERNEL", kv, "known kernels: 6.1, 6.8, 6.12, 6.18");
			return -EINVAL;
		}
		p->kernel = kernels[i].id;
		p->kernel_name = kernels[i].name;
	}
	uint64_t ram = p->system_ram;
	if (apply_size("AMDBARE_VGPU_SYSTEM_RAM", &ram) < 0)
		return -EINVAL;
	p->system_ram = ram;
	uint64_t used = 4 * GiB < ram / 2 ? 4 * GiB : ram / 2; /* an idle desktop */
	const char *uv = getenv("AMDBARE_VGPU_RAM_USED");
	if (uv && (parse_size(uv, &used) < 0 || used > ram)) {
		config_error("AMDBARE_VGPU_RAM_USED", uv, "a byte count no larger than the system RAM");
		return -EINVAL;
	}
	p->ram_used = used;
	uint64_t swap = 0, swap_used = 0;
	const char *sv = getenv("AMDBARE_VGPU_SWAP"), *suv = getenv("AMDBARE_VGPU_SWAP_USED");
	if (sv && parse_size(sv, &swap) < 0) {
		config_error("AMDBARE_VGPU_SWAP", sv, "expected a byte count (e.g. 8G)");
		return -EINVAL;
	}
	if (suv && (parse_size(suv, &swap_used) < 0 || swap_used > swap)) {
		config_error("AMDBARE_VGPU_SWAP_USED", suv, "a byte count no larger than AMDBARE_VGPU_SWAP");
		return -EINVAL;
	}
	p->swap_total = swap;
	p->swap_used = swap_used;

	/* ttm_global_init + ttm_tt_mgr_init: half of totalram in pages, the
	 * DMA32 limit at most 2 GiB; the DKMS amdttm module copies them. */
	uint64_t pages = (ram >> 12) / 2;
	p->ttm_pages_limit = pages;
	p->ttm_dma32_pages_limit = pages < (2 * GiB >> 12) ? pages : (2 * GiB >> 12);
	p->amdttm_pages_limit = pages;
	p->amdgpu_gttsize = -1;
	const char *dkms = getenv("AMDBARE_VGPU_DKMS");
	p->amdttm = dkms && dkms[0] && strcmp(dkms, "0") != 0;
	const char *params = getenv("AMDBARE_VGPU_PARAMS");
	if (params && apply_params(p, params) < 0)
		return -EINVAL;
	snprintf(p->cmdline, sizeof(p->cmdline), "BOOT_IMAGE=/boot/vmlinuz-%s root=/dev/vgpu ro%s%s\n",
		 p->kernel_name, params && params[0] ? " " : "", params ? params : "");

	/* The GTT domain's size (amdgpu_ttm_init).  In 6.1:
	 * max(AMDGPU_DEFAULT_GTT_SIZE_MB = 3 GiB, totalram / 2) unless
	 * amdgpu.gttsize is given; ttm.pages_limit only throttles
	 * ttm_tt_populate there.  From "drm/amdgpu: Set GTT size equal to
	 * TTM mem limit" (Mukul Joshi, April 2023, in 6.5):
	 * ttm_tt_pages_limit() << PAGE_SHIFT, amdgpu.gttsize still winning
	 * when given (6.18 warns that it is deprecated).  With the DKMS
	 * driver the limit is amdttm's, not ttm's. */
	uint64_t limit_pages = p->amdttm ? p->amdttm_pages_limit : p->ttm_pages_limit;
	if (p->amdgpu_gttsize != -1)
		p->gtt_size = (uint64_t)p->amdgpu_gttsize << 20;
	else if (p->kernel == VGPU_KERNEL_6_1)
		p->gtt_size = ram / 2 > 3 * GiB ? ram / 2 : 3 * GiB;
	else
		p->gtt_size = limit_pages << 12;
	if (p->gtt_size < 4096) {
		config_error("AMDBARE_VGPU_PARAMS", params ? params : "",
			     "a GTT of 0 bytes: amdgpu_gtt_mgr_init cannot come up with it");
		return -EINVAL;
	}
	return 0;
}

/* One resolved configuration per distinct environment: a process may
 * change AMDBARE_VGPU_* between fork()s (Criterion does, per test), so the
 * answer is keyed by the variables rather than computed once.  Resolved
 * entries live as long as the process; pointers handed out stay valid. */
struct resolved {
	struct resolved *next;
	char *key;
	struct vgpu_profile prof;
	int err;
};
static struct resolved *resolved_list;
static pthread_mutex_t resolved_lock = PTHREAD_MUTEX_INITIALIZER;

static char *env_key(void)
{
	static const char *const vars[] = {
		"AMDBARE_VGPU_PROFILE", "AMDBARE_VGPU_VRAM_SIZE",
		"AMDBARE_VGPU_VIS_VRAM_SIZE", "AMDBARE_VGPU_GTT_SIZE",
		"AMDBARE_VGPU_KERNEL", "AMDBARE_VGPU_PARAMS", "AMDBARE_VGPU_DKMS",
		"AMDBARE_VGPU_SYSTEM_RAM", "AMDBARE_VGPU_RAM_USED",
		"AMDBARE_VGPU_SWAP", "AMDBARE_VGPU_SWAP_USED",
	};
	size_t len = 1;
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		len += (v ? strlen(v) : 0) + 2;
	}
	char *key = malloc(len);
	if (!key)
		return NULL;
	key[0] = '\0';
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		strcat(key, v ? v : "\x01"); /* unset differs from empty */
		strcat(key, "\n");
	}
	return key;
}

static void resolve(struct resolved *r)
{
	const char *name = getenv("AMDBARE_VGPU_PROFILE");
	if (!name || !name[0])
		name = "780m";
	const struct vgpu_profile *base = vgpu_profile_find(name);
	if (!base) {
		char known[192] = "";
		for (size_t i = 0; all_profiles[i]; i++) {
			strcat(known, i ? ", " : "");
			strcat(known, all_profiles[i]->name);
		}
		char why[256];
		snprintf(why, sizeof(why), "unknown profile (known: %s)", known);
		config_error("AMDBARE_VGPU_PROFILE", name, why);
		r->err = -EINVAL;
		return;
	}
	r->prof = *base;
	if (!base->driver_name || strcmp(base->driver_name, "amdgpu") != 0)
		return; /* sizes mean nothing without an amdgpu device */

	uint64_t vram = base->vram_size;
	if (apply_size("AMDBARE_VGPU_VRAM_SIZE", &vram) < 0) {
		r->err = -EINVAL;
		return;
	}
	/* On an APU all of the carve-out is CPU-visible; on a dGPU the BAR
	 * stays 256 MiB unless told otherwise (never more than VRAM). */
	uint64_t vis = base->is_apu ? vram
		: (base->vis_vram_size < vram ? base->vis_vram_size : vram);
	if (apply_size("AMDBARE_VGPU_VIS_VRAM_SIZE", &vis) < 0) {
		r->err = -EINVAL;
		return;
	}
	if (vis > vram) {
		config_error("AMDBARE_VGPU_VIS_VRAM_SIZE",
			     getenv("AMDBARE_VGPU_VIS_VRAM_SIZE"),
			     "larger than VRAM (amdgpu clamps visible VRAM to the VRAM size)");
		r->err = -EINVAL;
		return;
	}
	r->prof.vram_size = vram;
	r->prof.vis_vram_size = vis;
	if (resolve_machine(&r->prof) < 0) {
		r->err = -EINVAL;
		return;
	}
	const char *forced = getenv("AMDBARE_VGPU_GTT_SIZE");
	if (forced) {
		uint64_t gtt = r->prof.gtt_size;
		if (apply_size("AMDBARE_VGPU_GTT_SIZE", &gtt) < 0) {
			r->err = -EINVAL;
			return;
		}
		r->prof.gtt_size = gtt;
		r->prof.gtt_size_forced = 1;
	}
}

const struct vgpu_profile *vgpu_profile_get(int *err)
{
	char *key = env_key();
	if (!key) {
		if (err)
			*err = -ENOMEM;
		return NULL;
	}
	pthread_mutex_lock(&resolved_lock);
	struct resolved *r;
	for (r = resolved_list; r; r = r->next)
		if (strcmp(r->key, key) == 0)
			break;
	if (r) {
		free(key);
	} else {
		r = calloc(1, sizeof(*r));
		if (!r) {
			pthread_mutex_unlock(&resolved_lock);
			free(key);
			if (err)
				*err = -ENOMEM;
			return NULL;
		}
		r->key = key;
		resolve(r);
		r->next = resolved_list;
		resolved_list = r;
	}
	pthread_mutex_unlock(&resolved_lock);
	if (r->err) {
		if (err)
			*err = r->err;
		return NULL;
	}
	if (err)
		*err = 0;
	return &r->prof;
}
