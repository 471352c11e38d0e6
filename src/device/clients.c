/*
 * The processes with an open render node (amdbare_gpu_clients, for
 * `amdbare top`): every /proc/<pid>/fd/<n> that links to /dev/dri/renderD*,
 * and that file's /proc/<pid>/fdinfo/<n> parsed by the fdinfo parser
 * (device/fdinfo.c), as the kernel's drm-usage-stats describe.  Processes
 * of other users are skipped where /proc does not let us look (the kernel
 * allows fd and fdinfo of a process only to its owner or with
 * CAP_SYS_PTRACE).
 */
#include "util/api.h"
#include "fdinfo.h"
#include "util/error.h"
#include "amdbare_diag.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static ssize_t read_small(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t got = 0;
	while (got < cap - 1) {
		ssize_t n = read(fd, buf + got, cap - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = 0;
	return (ssize_t)got;
}

/* utime + stime (fields 14, 15 of /proc/<pid>/stat) in ns. */
static uint64_t cpu_time_ns(int pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_small(path, buf, sizeof(buf)) <= 0)
		return 0;
	char *p = strrchr(buf, ')');
	if (!p)
		return 0;
	unsigned long long ut = 0, st = 0;
	/* after ") ": state(3) ppid pgrp session tty tpgid flags minflt cminflt
	 * majflt cmajflt utime(14) stime(15) */
	if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return 0;
	long hz = sysconf(_SC_CLK_TCK);
	return hz > 0 ? (ut + st) * (1000000000ull / (unsigned long long)hz) : 0;
}

/* The program's name: argv[0]'s last component (a program re-executed
 * through /proc/self/exe has "exe" as its comm), else comm. */
static void comm_of(int pid, char *out, size_t cap)
{
	char path[64], buf[256];
	out[0] = 0;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	const char *name = buf;
	if (read_small(path, buf, sizeof(buf)) > 0 && buf[0]) {
		const char *slash = strrchr(buf, '/');
		name = slash ? slash + 1 : buf;
	} else {
		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		if (read_small(path, buf, sizeof(buf)) <= 0)
			return;
	}
	memmove(buf, name, strlen(name) + 1);
	size_t k = 0;
	for (size_t i = 0; buf[i] && buf[i] != '\n' && k < cap - 1; i++)
		out[k++] = isprint((unsigned char)buf[i]) ? buf[i] : '?';
	out[k] = 0;
}

/* A driver other than amdgpu named in fdinfo: not ours to list. */
static bool foreign_driver(const char *text)
{
	const char *d = strstr(text, "drm-driver:");
	if (!d)
		return false;
	d += strlen("drm-driver:");
	while (*d == ' ' || *d == '\t')
		d++;
	return strncmp(d, "amdgpu", 6) != 0 || (d[6] != '\n' && d[6] != 0);
}

AB_API int amdbare_gpu_clients(amdbare_gpu_client *out, uint32_t cap)
{
	if (cap && !out)
		return ab_set_error(EINVAL, "gpu clients: NULL output");
	DIR *proc = opendir("/proc");
	if (!proc)
		return ab_set_error(errno, "gpu clients: /proc: %s", strerror(errno));
	uint32_t n = 0;
	struct dirent *pe;
	while ((pe = readdir(proc))) {
		char *end;
		long pid = strtol(pe->d_name, &end, 10);
		if (*end || pid <= 0 || pid > 0x7fffffff)
			continue;
		char path[96];
		snprintf(path, sizeof(path), "/proc/%ld/fd", pid);
		DIR *fds = opendir(path);
		if (!fds)
			continue; /* gone, or another user's */
		struct dirent *fe;
		while ((fe = readdir(fds))) {
			long fd = strtol(fe->d_name, &end, 10);
			if (*end || fd < 0 || fe->d_name[0] == '.')
				continue;
			char link[96], target[128];
			snprintf(link, sizeof(link), "/proc/%ld/fd/%ld", pid, fd);
			ssize_t tl = readlink(link, target, sizeof(target) - 1);
			if (tl <= 0)
				continue;
			target[tl] = 0;
			if (strncmp(target, "/dev/dri/renderD", 16) != 0)
				continue;
			char info[4096];
			snprintf(link, sizeof(link), "/proc/%ld/fdinfo/%ld", pid, fd);
			ssize_t il = read_small(link, info, sizeof(info));
			if (il > 0 && foreign_driver(info))
				continue;
			/* dup()ed fds are one file: the kernel's drm-client-id
			 * (else fdinfo's ino) tells files apart; a dup is not
			 * listed again */
			uint64_t key_client = 0, key_ino = 0;
			if (il > 0) {
				const char *ci = strstr(info, "drm-client-id:");
				const char *in = strncmp(info, "ino:", 4) == 0 ? info : strstr(info, "\nino:");
				key_client = ci ? strtoull(ci + 14, NULL, 10) : 0;
				key_ino = in ? strtoull(in + (in[0] == '\n' ? 5 : 4), NULL, 10) : 0;
			}
			bool dup = false;
			for (uint32_t k = 0; k < n && k < cap && (key_client || key_ino); k++)
				if (out[k].pid == (int)pid &&
				    (key_client ? out[k].client_key == key_client
						: out[k].ino_key == key_ino))
					dup = true;
			if (dup)
				continue;
			if (n < cap) {
				amdbare_gpu_client *c = &out[n];
				memset(c, 0, sizeof(*c));
				c->pid = (int)pid;
				c->fd = (int)fd;
				snprintf(c->node, sizeof(c->node), "%.63s", target);
				comm_of((int)pid, c->comm, sizeof(c->comm));
				c->has_usage = il > 0 && ab_fdinfo_parse(info, &c->usage) == 0;
				c->cpu_time_ns = cpu_time_ns((int)pid);
				c->client_key = key_client;
				c->ino_key = key_ino;
			}
			n++;
		}
		closedir(fds);
	}
	closedir(proc);
	return (int)(n > 0x7fffffffu ? 0x7fffffffu : n);
}
