/* Thread-local last-error message (see util/error.h). */
#include "error.h"

#include "amdbare.h"
#include "api.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define AB_ERROR_CAP 1024

static _Thread_local char last_error[AB_ERROR_CAP];

int ab_set_error(int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return -err;
}

void ab_append_error(const char *fmt, ...)
{
	size_t used = strlen(last_error);
	if (used + 1 >= sizeof(last_error))
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_error + used, sizeof(last_error) - used, fmt, ap);
	va_end(ap);
}

AB_API
const char *amdbare_last_error(void)
{
	return last_error;
}
