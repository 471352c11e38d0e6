/*
 * vgpu_log: one line on stderr, "vgpu: ...", when AMDBARE_VGPU_DEBUG is set
 * and not "0".  It formats into a stack buffer and write(2)s once, so it
 * takes no stdio lock and may be called from any interposer.
 */
#include <sys/stat.h>  /* vgpu_device.h uses struct stat */

#include "vgpu_device.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void vgpu_log(const char *fmt, ...)
{
	const char *dbg = getenv("AMDBARE_VGPU_DEBUG");
	if (!dbg || !dbg[0] || strcmp(dbg, "0") == 0)
		return;
	char line[1024];
	int n = snprintf(line, sizeof(line), "vgpu[%d]: ", (int)getpid());
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	size_t len = (size_t)n + ((size_t)m < sizeof(line) - (size_t)n - 1 ? (size_t)m
					: sizeof(line) - (size_t)n - 2);
	line[len++] = '\n';
	ssize_t w = write(STDERR_FILENO, line, len);
	(void)w;
}
