/*
 * Regular files only, checked before and after the open (input_file.h).
 */
#include "input_file.h"
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind_name(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO (named pipe)";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

static int check_mode(const char *what, const char *path, const struct stat *st)
{
	if (S_ISREG(st->st_mode))
		return 0;
	cli_error("%s %s: is %s, not a regular file; refused without reading it", what,
		  path, kind_name(st->st_mode));
	return -EINVAL;
}

int input_file_check(const char *what, const char *path, uint64_t *size)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		int e = errno;
		cli_error("%s %s: %s", what, path, strerror(e));
		return -e;
	}
	int r = check_mode(what, path, &st);
	if (r == 0 && size)
		*size = (uint64_t)st.st_size;
	return r;
}

int input_file_open(const char *what, const char *path, uint64_t *size)
{
	int r = input_file_check(what, path, NULL);
	if (r < 0)
		return r;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		cli_error("%s %s: %s", what, path, strerror(e));
		return -e;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		cli_error("%s %s: fstat: %s", what, path, strerror(e));
		close(fd);
		return -e;
	}
	if ((r = check_mode(what, path, &st)) < 0) {
		close(fd);
		return r;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	if (size)
		*size = (uint64_t)st.st_size;
	return fd;
}

int input_file_read(int fd, const char *what, const char *path, void *buf, uint64_t bytes)
{
	uint64_t done = 0;
	while (done < bytes) {
		size_t want = bytes - done > (1u << 30) ? (1u << 30) : (size_t)(bytes - done);
		ssize_t got = pread(fd, (char *)buf + done, want, (off_t)done);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;
			cli_error("%s %s: read: %s", what, path,
				  strerror(e));
			return -e;
		}
		if (got == 0) {
			cli_error("%s %s: the file shrank while being read (%llu of %llu bytes)", what,
				  path, (unsigned long long)done,
				  (unsigned long long)bytes);
			return -EIO;
		}
		done += (uint64_t)got;
	}
	return 0;
}
