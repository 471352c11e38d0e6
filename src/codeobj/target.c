/*
 * AMDGPU processors as the ELF header names them (EF_AMDGPU_MACH_* in
 * e_flags), and which processors a generic target covers.  Values are
 * LLVM's (llvm/BinaryFormat/ELF.h, AMDGPUUsage "AMDGPU ELF Header"), and
 * were checked against clang-19's output for each -mcpu.
 */
#include "internal.h"
#include "util/api.h"
#include "util/error.h"

#include <errno.h>

#include <string.h>

static const struct { uint32_t mach; const char *name; } machs[] = {
	{ 0x020, "gfx600" }, { 0x021, "gfx601" }, { 0x022, "gfx700" },
	{ 0x023, "gfx701" }, { 0x024, "gfx702" }, { 0x025, "gfx703" },
	{ 0x026, "gfx704" }, { 0x028, "gfx801" }, { 0x029, "gfx802" },
	{ 0x02a, "gfx803" }, { 0x02b, "gfx810" }, { 0x02c, "gfx900" },
	{ 0x02d, "gfx902" }, { 0x02e, "gfx904" }, { 0x02f, "gfx906" },
	{ 0x030, "gfx908" }, { 0x031, "gfx909" }, { 0x032, "gfx90c" },
	{ 0x033, "gfx1010" }, { 0x034, "gfx1011" }, { 0x035, "gfx1012" },
	{ 0x036, "gfx1030" }, { 0x037, "gfx1031" }, { 0x038, "gfx1032" },
	{ 0x039, "gfx1033" }, { 0x03a, "gfx602" }, { 0x03b, "gfx705" },
	{ 0x03c, "gfx805" }, { 0x03d, "gfx1035" }, { 0x03e, "gfx1034" },
	{ 0x03f, "gfx90a" }, { 0x040, "gfx940" }, { 0x041, "gfx1100" },
	{ 0x042, "gfx1013" }, { 0x043, "gfx1150" }, { 0x044, "gfx1103" },
	{ 0x045, "gfx1036" }, { 0x046, "gfx1101" }, { 0x047, "gfx1102" },
	{ 0x048, "gfx1200" }, { 0x04a, "gfx1151" }, { 0x04b, "gfx941" },
	{ 0x04c, "gfx942" }, { 0x04e, "gfx1201" },
	{ 0x051, "gfx9-generic" }, { 0x052, "gfx10-1-generic" },
	{ 0x053, "gfx10-3-generic" }, { 0x054, "gfx11-generic" },
	{ 0x055, "gfx1152" }, { 0x059, "gfx12-generic" },
};

const char *ab_codeobj_mach_name(uint32_t mach)
{
	for (size_t i = 0; i < sizeof(machs) / sizeof(machs[0]); i++)
		if (machs[i].mach == mach)
			return machs[i].name;
	return NULL;
}

/* AMDGPUUsage, "Generic processors": the processors each generic target's
 * code runs on unchanged. */
static const struct { const char *generic; const char *members[10]; } generics[] = {
	{ "gfx9-generic", { "gfx900", "gfx902", "gfx904", "gfx906", "gfx909", "gfx90c" } },
	{ "gfx10-1-generic", { "gfx1010", "gfx1011", "gfx1012", "gfx1013" } },
	{ "gfx10-3-generic", { "gfx1030", "gfx1031", "gfx1032", "gfx1033", "gfx1034",
			       "gfx1035", "gfx1036" } },
	{ "gfx11-generic", { "gfx1100", "gfx1101", "gfx1102", "gfx1103", "gfx1150",
			     "gfx1151", "gfx1152", "gfx1153" } },
	{ "gfx12-generic", { "gfx1200", "gfx1201" } },
};

bool ab_codeobj_generic_covers(const char *generic, const char *processor)
{
	for (size_t i = 0; i < sizeof(generics) / sizeof(generics[0]); i++) {
		if (strcmp(generics[i].generic, generic) != 0)
			continue;
		for (size_t j = 0; j < 10 && generics[i].members[j]; j++)
			if (strcmp(generics[i].members[j], processor) == 0)
				return true;
		return false;
	}
	return false;
}

AB_API int amdbare_codeobj_check_device(const amdbare_codeobj *co, const amdbare_device_info *info)
{
	if (!co || !info)
		return ab_set_error(EINVAL, "codeobj_check_device: NULL argument");
	if (!info->gfx_target[0])
		return ab_set_error(EINVAL, "%s: the device's gfx target is unknown "
				    "(PCI 0x%04x); cannot tell whether code for %s runs on it",
				    co->source, info->pci_device, co->processor);
	if (co->xnack_on || co->sramecc_on)
		return ab_set_error(ENOTSUP, "%s: code object requires %s on; amdbare cannot "
				    "tell the device's mode, rebuild with the feature unset",
				    co->source, co->xnack_on ? "xnack" : "sramecc");
	if (strcmp(co->processor, info->gfx_target) == 0 ||
	    ab_codeobj_generic_covers(co->processor, info->gfx_target))
		return 0;
	return ab_set_error(ENOTSUP, "%s: code object is for %s, device is %s",
			    co->source, co->processor, info->gfx_target);
}
