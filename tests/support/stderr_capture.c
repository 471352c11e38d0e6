/* Captures fd 2 into a temporary file (stderr_capture.h). */
#include "stderr_capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void stderr_capture_begin(struct stderr_capture *c)
{
	c->saved_fd = -1;
	c->file_fd = -1;
	char path[] = "/tmp/amdbare-stderr-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return;
	unlink(path);
	fflush(stderr);
	int saved = dup(2);
	if (saved < 0 || dup2(fd, 2) < 0) {
		if (saved >= 0)
			close(saved);
		close(fd);
		return;
	}
	c->saved_fd = saved;
	c->file_fd = fd;
}

void stderr_capture_end(struct stderr_capture *c, char *buf, size_t cap)
{
	if (cap)
		buf[0] = '\0';
	if (c->saved_fd < 0)
		return;
	fflush(stderr);
	dup2(c->saved_fd, 2);
	close(c->saved_fd);
	size_t got = 0;
	if (lseek(c->file_fd, 0, SEEK_SET) == 0 && cap > 1) {
		ssize_t n;
		while (got < cap - 1 && (n = read(c->file_fd, buf + got, cap - 1 - got)) > 0)
			got += (size_t)n;
		buf[got] = '\0';
	}
	/* what was captured still reaches the real stderr */
	if (got && write(2, buf, got) < 0)
		got = 0;
	close(c->file_fd);
	c->saved_fd = c->file_fd = -1;
}
