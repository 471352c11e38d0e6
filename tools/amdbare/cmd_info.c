/*
 * `amdbare info`: which device this is and how its memory is used, in one
 * screen (what `rocm-smi --showmeminfo vram gtt` plus `rocminfo` would
 * tell, without ROCm).
 */
#include "cli.h"
#include "text_safe.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Everything gathered about one device before anything is printed: the
 * first line of the output must already know whether this is the vgpu. */
struct device_report {
	int index;
	amdbare_device_info info;
	int mem_rc;
	amdbare_memory_info mem;
	char mem_error[256];
	int usage_rc;
	amdbare_process_usage usage;
	char usage_error[256];
	int ceiling_rc;
	amdbare_gtt_ceiling ceiling;
};

static int gather(int index, struct device_report *r)
{
	amdbare_device *dev = NULL;
	memset(r, 0, sizeof(*r));
	r->index = index;
	int rc = amdbare_device_open(index, &dev);
	if (rc < 0)
		return rc;
	amdbare_device_get_info(dev, &r->info);
	r->mem_rc = amdbare_device_query_memory(dev, &r->mem);
	if (r->mem_rc < 0)
		snprintf(r->mem_error, sizeof(r->mem_error), "%s", amdbare_last_error());
	r->ceiling_rc = amdbare_device_query_gtt_ceiling(dev, &r->ceiling);
	r->usage_rc = amdbare_device_query_process_usage(dev, &r->usage);
	if (r->usage_rc < 0)
		snprintf(r->usage_error, sizeof(r->usage_error), "%s", amdbare_last_error());
	amdbare_device_close(dev);
	return 0;
}

static void print_text(FILE *out, const struct device_report *r)
{
	const amdbare_device_info *in = &r->info;
	fprintf(out, "device %d: %s", r->index, in->node_path);
	if (in->is_virtual)
		fprintf(out, "  (virtual device (vgpu profile %s))", in->virtual_profile);
	fputc('\n', out);
	/* the name comes from amdgpu.ids (or the kernel): shown escaped */
	char name[256];
	fprintf(out, "  name          %s\n", text_safe(in->marketing_name, name, sizeof(name)));
	fprintf(out, "  PCI           %04x:%04x rev %02x, bus %s\n", in->pci_vendor,
		in->pci_device, in->pci_revision, in->pci_bus);
	fprintf(out, "  gfx target    %s (GC %u.%u.%u, family %u, external rev 0x%x)\n",
		in->gfx_target[0] ? in->gfx_target : "unknown", in->gc_major, in->gc_minor,
		in->gc_revision, in->family_id, in->chip_external_rev);
	fprintf(out, "  kind          %s\n",
		in->is_apu ? "APU (VRAM is a carve-out of system RAM)" : "dGPU (own VRAM)");
	fprintf(out, "  compute       %u CUs in %u shader engine%s, wave%u%s\n", in->cu_count,
		in->num_shader_engines, in->num_shader_engines == 1 ? "" : "s", in->wave_size,
		in->wave64_supported && in->wave_size != 64 ? " (wave64 too)" : "");
	fprintf(out, "  clocks        engine %u MHz, memory %u MHz, %u-bit memory bus\n",
		in->max_engine_clock_mhz, in->max_memory_clock_mhz, in->vram_bit_width);
	fprintf(out, "  kernel driver amdgpu %u.%u.%u\n", in->drm_major, in->drm_minor,
		in->drm_patchlevel);
	if (r->mem_rc == 0)
		report_memory(out, &r->mem);
	else
		fprintf(out, "memory: not available (%s)\n", r->mem_error);
	if (r->ceiling_rc == 0)
		cli_print_gtt_ceiling(out, "  ", &r->ceiling);
	if (r->usage_rc == 0) {
		report_process_usage(out, "this process (fdinfo): ", &r->usage);
	} else if (r->usage_rc == -ENODATA) {
		fprintf(out, "this process (fdinfo): no memory keys (the kernel is older than 5.19)\n");
	} else {
		fprintf(out, "this process (fdinfo): not available (%s)\n", r->usage_error);
	}
}

static void json_heap(struct json_out *j, const char *key, const amdbare_heap_info *h)
{
	json_object_begin(j, key);
	json_u64(j, "total", h->total);
	json_u64(j, "usable", h->usable);
	json_u64(j, "used", h->used);
	json_u64(j, "max_allocation", h->max_allocation);
	json_object_end(j);
}

/* A fdinfo key the kernel did not print is null, not 0: 0 would claim a
 * measurement that was never made. */
static void json_usage_key(struct json_out *j, const char *key, bool has, uint64_t v)
{
	if (has)
		json_u64(j, key, v);
	else
		json_null(j, key);
}

void cli_json_process_usage(struct json_out *j, const char *key, const amdbare_process_usage *u)
{
	json_object_begin(j, key);
	json_usage_key(j, "vram", u->has_vram, u->vram);
	json_usage_key(j, "visible_vram", u->has_visible_vram, u->visible_vram);
	json_usage_key(j, "gtt", u->has_gtt, u->gtt);
	json_usage_key(j, "cpu", u->has_cpu, u->cpu);
	json_usage_key(j, "evicted_vram", u->has_evicted_vram, u->evicted_vram);
	json_usage_key(j, "requested_vram", u->has_requested_vram, u->requested_vram);
	json_usage_key(j, "requested_gtt", u->has_requested_gtt, u->requested_gtt);
	json_u64(j, "client_id", u->client_id);
	json_object_end(j);
}

void cli_json_memory(struct json_out *j, const char *key, const amdbare_memory_info *m)
{
	json_object_begin(j, key);
	json_heap(j, "vram", &m->vram);
	json_heap(j, "visible_vram", &m->visible_vram);
	json_heap(j, "gtt", &m->gtt);
	json_u64(j, "num_evictions", m->num_evictions);
	json_u64(j, "num_bytes_moved", m->num_bytes_moved);
	json_u64(j, "num_vram_cpu_page_faults", m->num_vram_cpu_page_faults);
	json_object_end(j);
}

void cli_json_device_identity(struct json_out *j, int index, const amdbare_device_info *in)
{
	char buf[64];
	json_u64(j, "index", (uint64_t)index);
	json_string(j, "node", in->node_path);
	json_string(j, "marketing_name", in->marketing_name);
	snprintf(buf, sizeof(buf), "%04x:%04x", in->pci_vendor, in->pci_device);
	json_string(j, "pci_id", buf);
	json_u64(j, "pci_vendor", in->pci_vendor);
	json_u64(j, "pci_device", in->pci_device);
	json_u64(j, "pci_revision", in->pci_revision);
	json_string(j, "pci_bus", in->pci_bus);
	json_string(j, "gfx_target", in->gfx_target[0] ? in->gfx_target : NULL);
	snprintf(buf, sizeof(buf), "%u.%u.%u", in->gc_major, in->gc_minor, in->gc_revision);
	json_string(j, "gc_version", buf);
	json_u64(j, "family_id", in->family_id);
	json_u64(j, "chip_external_rev", in->chip_external_rev);
	json_string(j, "kind", in->is_apu ? "apu" : "dgpu");
	json_bool(j, "is_apu", in->is_apu);
	json_bool(j, "is_virtual", in->is_virtual);
	json_string(j, "virtual_profile", in->is_virtual ? in->virtual_profile : NULL);
}

static void print_json_device(struct json_out *j, const struct device_report *r)
{
	const amdbare_device_info *in = &r->info;
	char buf[64];
	json_object_begin(j, NULL);
	cli_json_device_identity(j, r->index, in);
	json_u64(j, "cu_count", in->cu_count);
	json_u64(j, "num_shader_engines", in->num_shader_engines);
	json_u64(j, "wave_size", in->wave_size);
	json_bool(j, "wave64_supported", in->wave64_supported);
	json_u64(j, "max_engine_clock_mhz", in->max_engine_clock_mhz);
	json_u64(j, "max_memory_clock_mhz", in->max_memory_clock_mhz);
	json_u64(j, "vram_bit_width", in->vram_bit_width);
	snprintf(buf, sizeof(buf), "%u.%u.%u", in->drm_major, in->drm_minor, in->drm_patchlevel);
	json_string(j, "driver_version", buf);
	if (r->mem_rc == 0) {
		cli_json_memory(j, "memory", &r->mem);
		json_null(j, "memory_error");
	} else {
		json_null(j, "memory");
		json_string(j, "memory_error", r->mem_error);
	}
	if (r->ceiling_rc == 0) {
		json_object_begin(j, "gtt_ceiling");
		json_u64(j, "limit_bytes", r->ceiling.limit_bytes);
		json_string(j, "limit_source", r->ceiling.source_name);
		json_object_end(j);
	} else {
		json_null(j, "gtt_ceiling");
	}
	if (r->usage_rc == 0) {
		cli_json_process_usage(j, "process", &r->usage);
		json_null(j, "process_error");
	} else {
		json_null(j, "process");
		json_string(j, "process_error", r->usage_rc == -ENODATA
				    ? "no memory keys in fdinfo (kernel older than 5.19)"
				    : r->usage_error);
	}
	json_object_end(j);
}

void cli_print_gtt_ceiling(FILE *out, const char *indent, const amdbare_gtt_ceiling *c)
{
	char size[32];
	snprintf(size, sizeof(size), "%.2f GiB", (double)c->limit_bytes / (1024.0 * 1024 * 1024));
	fprintf(out, "%sGTT ceiling   %s, from %s", indent, size, c->source_name);
	switch (c->source) {
	case AMDBARE_GTT_LIMIT_AMDGPU_GTTSIZE:
		fprintf(out, " (amdgpu.gttsize=%lld MiB)\n", (long long)c->gttsize_mib);
		break;
	case AMDBARE_GTT_LIMIT_TTM_PAGES_LIMIT:
		fprintf(out, " (%s.pages_limit=%" PRIu64 " pages of 4 KiB)\n",
			c->amdttm ? "amdttm" : "ttm", c->pages_limit);
		break;
	default:
		fprintf(out, " (%s)\n", c->gtt_follows_pages_limit
			? "ttm.pages_limit's default, half of system RAM"
			: "max(3 GiB, half of system RAM)");
		break;
	}
}

void cli_json_header(struct json_out *j, const amdbare_device_info *in)
{
	char banner[192];
	if (in && in->is_virtual) {
		vgpu_banner(banner, sizeof(banner), in->virtual_profile);
		json_string(j, "notice", banner);
	} else {
		json_null(j, "notice");
	}
	json_bool(j, "virtual", in && in->is_virtual);
	char ver[16];
	snprintf(ver, sizeof(ver), "%d.%d", AMDBARE_VERSION_MAJOR, AMDBARE_VERSION_MINOR);
	json_string(j, "amdbare_version", ver);
}

int cmd_info(const struct cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool json = false;
	int c;
	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			cli_print_command_help(stdout, "info");
			return CLI_EXIT_OK;
		default:
			cli_error("info: unknown option '%s' (see amdbare info --help)", argv[optind - 1]);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_error("info: unexpected argument '%s'", argv[optind]);
		return CLI_EXIT_USAGE;
	}

	int count = amdbare_device_count();
	if (count < 0)
		return cli_report_open_failure(count);
	if (g->device_index >= count) {
		cli_error("--device %d: there %s %d amdgpu device%s (0..%d)", g->device_index,
			  count == 1 ? "is" : "are", count, count == 1 ? "" : "s", count - 1);
		return CLI_EXIT_FAILURE;
	}
	int first = g->device_index >= 0 ? g->device_index : 0;
	int last = g->device_index >= 0 ? g->device_index : count - 1;
	int n = last - first + 1;
	struct device_report *reports = calloc((size_t)n, sizeof(*reports));
	if (!reports) {
		cli_error("out of memory");
		return CLI_EXIT_FAILURE;
	}
	int exit_code = CLI_EXIT_OK, shown = 0;
	for (int i = first; i <= last; i++) {
		int rc = gather(i, &reports[shown]);
		if (rc < 0) {
			exit_code = cli_report_open_failure(rc);
			continue;
		}
		if (reports[shown].mem_rc < 0) {
			cli_error("%s", reports[shown].mem_error);
			exit_code = CLI_EXIT_FAILURE;
		}
		shown++;
	}
	if (shown == 0) {
		free(reports);
		return exit_code;
	}

	const amdbare_device_info *virt = NULL;
	for (int i = 0; i < shown; i++)
		if (reports[i].info.is_virtual)
			virt = &reports[i].info;
	if (json) {
		struct json_out j;
		json_init(&j, stdout);
		json_object_begin(&j, NULL);
		cli_json_header(&j, virt ? virt : &reports[0].info);
		json_array_begin(&j, "devices");
		for (int i = 0; i < shown; i++)
			print_json_device(&j, &reports[i]);
		json_array_end(&j);
		json_object_end(&j);
		if (json_finish(&j) < 0) {
			cli_error("writing the JSON output failed");
			exit_code = CLI_EXIT_FAILURE;
		}
	} else {
		if (virt) {
			char banner[192];
			vgpu_banner(banner, sizeof(banner), virt->virtual_profile);
			printf("%s\n", banner);
		}
		for (int i = 0; i < shown; i++) {
			if (i)
				putchar('\n');
			print_text(stdout, &reports[i]);
		}
		if (fflush(stdout) != 0) {
			cli_error("writing the output failed");
			exit_code = CLI_EXIT_FAILURE;
		}
	}
	free(reports);
	return exit_code;
}
