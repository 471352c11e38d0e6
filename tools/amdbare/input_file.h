/*
 * Opening a file the user named for reading (input_file.c): only a regular
 * file is accepted, checked before the open (so a FIFO, a device or a
 * directory is refused without blocking in openat or reading from it) and
 * again on the open descriptor (so a path swapped in between is refused
 * too).  The open uses O_NONBLOCK, which keeps even that swapped-in FIFO
 * from blocking; the flag is cleared afterwards, it means nothing for a
 * regular file.
 */
#ifndef AMDBARE_INPUT_FILE_H
#define AMDBARE_INPUT_FILE_H

#include <stdint.h>

/* Checks that `path` names a regular file; on failure prints one line
 * "amdbare: WHAT PATH: <reason>" and returns a negative errno (-EINVAL for
 * "not a regular file", with its kind: directory, FIFO, ...).  *size gets
 * the file's size when size is not NULL. */
int input_file_check(const char *what, const char *path, uint64_t *size);

/* input_file_check, then open it read-only (O_NONBLOCK, O_CLOEXEC) and
 * fstat the descriptor; returns the fd (>= 0) or a negative errno after
 * printing one line. */
int input_file_open(const char *what, const char *path, uint64_t *size);

/* Reads exactly `bytes` from fd into buf; prints one line and returns a
 * negative errno on a failure or a file that shrank. */
int input_file_read(int fd, const char *what, const char *path, void *buf, uint64_t bytes);

#endif
