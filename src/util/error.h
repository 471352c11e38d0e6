/*
 * The thread-local "last error" message behind amdbare_last_error().
 *
 * Every failing path in the library goes through ab_set_error() so that the
 * returned negative errno and the message always agree.
 */
#ifndef AB_ERROR_H
#define AB_ERROR_H

/* Formats the message for this thread and returns -err (err is a positive
 * errno), so a failing path can be written `return ab_set_error(...)`. */
int ab_set_error(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends to the current message (used to add a hint to a lower layer's
 * message without losing it). */
void ab_append_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
