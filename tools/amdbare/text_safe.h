/*
 * Terminal safety for strings the CLI did not write itself: tensor names,
 * dtypes, file names, kernel and argument names from code objects, and the
 * library's messages that quote them.  A model file must not be able to
 * forge an output line ("\r\n"), clear the screen or set the window title
 * (escape sequences), so text output shows every byte that is not
 * printable as \xNN (text_safe.c).  JSON output escapes on its own
 * (json_out.c).
 */
#ifndef AMDBARE_TEXT_SAFE_H
#define AMDBARE_TEXT_SAFE_H

#include <stddef.h>
#include <stdio.h>

/* Copies `s` into buf (always NUL-terminated, truncated to len - 1 bytes
 * with "..." when it does not fit) with every non-printable byte written
 * as \xNN: ASCII controls, DEL, bytes that are not part of valid UTF-8, and
 * the UTF-8 encodings of the C1 controls U+0080..U+009F (which some
 * terminals obey like ESC [).  Printable ASCII and other valid UTF-8 pass
 * unchanged.  A backslash is written as \\ so an escape cannot be forged
 * either.  NULL gives "(null)".  Returns buf. */
const char *text_safe(const char *s, char *buf, size_t len);

/* The same, written to `out` without a length limit. */
void text_safe_fputs(const char *s, FILE *out);

/* True when text_safe() would change nothing. */
int text_is_safe(const char *s);

#endif
