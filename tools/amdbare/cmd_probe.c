/*
 * `amdbare probe`: not built yet; it says so.
 */
#include "cmd_diag.h"

void cmd_probe_help(FILE *out)
{
	fprintf(out, "amdbare probe: not supported yet\n");
}

int cmd_probe(const struct cli_globals *g, int argc, char **argv)
{
	(void)g;
	(void)argc;
	(void)argv;
	cli_error("probe: not supported yet");
	return CLI_EXIT_FAILURE;
}
