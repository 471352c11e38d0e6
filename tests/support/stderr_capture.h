/*
 * Captures what this process writes to stderr (fd 2) between begin and
 * end: the vgpu, preloaded in the process, reports a faulting job there
 * (the library only sees the context reset).  A test reads why a job
 * faulted, e.g. to tell "the vgpu does not model this generation" from a
 * wrong kernel.  What was captured is also written to the real stderr.
 */
#ifndef STDERR_CAPTURE_H_TEST
#define STDERR_CAPTURE_H_TEST

#include <stddef.h>

struct stderr_capture {
	int saved_fd;   /* the real stderr, -1 when capturing failed */
	int file_fd;    /* the temporary file fd 2 points to meanwhile */
};

/* Starts capturing; on failure (no temporary file) nothing is captured
 * and end returns an empty string. */
void stderr_capture_begin(struct stderr_capture *c);
/* Stops capturing and puts up to cap - 1 bytes of what was written, NUL
 * terminated, in buf. */
void stderr_capture_end(struct stderr_capture *c, char *buf, size_t cap);

#endif /* STDERR_CAPTURE_H_TEST */
