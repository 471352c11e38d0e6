/*
 * `amdbare top`: not built yet; it says so.
 */
#include "cmd_diag.h"

void cmd_top_help(FILE *out)
{
	fprintf(out, "amdbare top: not supported yet\n");
}

int cmd_top(const struct cli_globals *g, int argc, char **argv)
{
	(void)g;
	(void)argc;
	(void)argv;
	cli_error("top: not supported yet");
	return CLI_EXIT_FAILURE;
}
