/*
 * `amdbare load FILE...`: the placement plan (before any byte moves), the
 * load with progress, and the proof that the tensors are where the plan
 * said (the kernel's usage deltas and GPU checksums of every tensor).
 */
#include "cmd_load.h"
#include "load_report.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>


void cmd_load_help(FILE *out)
{
	fprintf(out,
		"usage: amdbare [--vgpu PROFILE] [--device N] load FILE... [OPTIONS]\n"
		"\n"
		"Loads the tensors of safetensors / GGUF files (or a sharded\n"
		"*.safetensors.index.json) into VRAM and GTT: prints the placement plan\n"
		"first (refusing, before anything is allocated, a model that does not\n"
		"fit), streams the file bytes straight into GPU memory, then proves where\n"
		"they are: this process's fdinfo and the device's usage counters before\n"
		"and after, and each tensor's checksum computed by the GPU against the\n"
		"bytes read.\n"
		"\n"
		"  --plan-only          print the plan and stop (nothing allocated)\n"
		"  --policy P           vram-then-gtt (default), vram, gtt\n"
		"  --place PAT=DOMAIN   tensors whose name matches the glob go to vram or\n"
		"                       gtt (repeatable; the first match wins)\n"
		"  --vram-limit S       cap the VRAM the model may take (e.g. 2G)\n"
		"  --gtt-limit S        the same for GTT\n"
		"  --no-verify          skip the GPU checksums (the usage proof remains)\n"
		"  --stage-vram         fill VRAM through the GTT ring and SDMA copies\n"
		"  --o-direct           read the files with O_DIRECT\n"
		"  --chunk S            bytes per read (default 4M)\n"
		"  --tensors            list every tensor (default: the first %d)\n"
		"  --json               plan, tensors and proof as one JSON object\n"
		"  --quiet              no progress line on stderr\n"
		"\n"
		"exit codes: 0 loaded and proven, 1 refused or failed, 2 usage error\n",
		LOAD_TENSORS_SHOWN);
}

int cmd_load(const struct cli_globals *g, int argc, char **argv)
{
	amdbare_model_options o;
	struct load_view v;
	const char *place[LOAD_MAX_PLACE];
	int rc = parse_load_options(argc, argv, &o, &v, place, cmd_load_help);
	if (rc < 0)
		return CLI_EXIT_OK;
	if (rc)
		return rc;
	if (optind >= argc) {
		cli_error("load: no model file given (amdbare load FILE...)");
		return CLI_EXIT_USAGE;
	}
	amdbare_device *dev = NULL;
	rc = cmd_model_open_device(g, v.json, &dev);
	if (rc != CLI_EXIT_OK)
		return rc;
	amdbare_model *m = NULL;
	rc = load_and_report(dev, (const char *const *)argv + optind, (size_t)(argc - optind), &o,
			     &v, &m);
	amdbare_model_free(m);
	amdbare_device_close(dev);
	return rc;
}
