/*
 * Whether an instance's shared-state file is still in use, so that a file
 * left by an older vgpu build (another layout) can be replaced instead of
 * refusing every open of the device until someone removes it by hand.
 *
 * "In use" means mapped by some process: every process attached to an
 * instance keeps its shared state mapped for as long as it lives
 * (memory/shared.c), so a file no process maps has no users, and nothing
 * else holds a reference worth keeping (BO contents live in each
 * process's memfds, not in this file).  The scan reads /proc/<pid>/maps
 * of every process it may read; one it may not read (another user's, or
 * pid 1 in a container that denies even root) is not counted.  That is
 * safe because a build of another layout can never share the device with
 * this one anyway, and replacing the file takes nothing from a process
 * still using it: unlinking keeps its mapping, and its device, intact.
 * What a missed user loses is only that processes of its own (older)
 * build started afterwards cannot join it under the same name.
 */
#include "internal.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Whether a maps text has a mapping of inode `ino` named /dev/shm<name>
 * (a line "addr perms offset dev inode path", path maybe " (deleted)"). */
static bool maps_have(const char *maps, const char *path, unsigned long long ino)
{
	size_t plen = strlen(path);
	for (const char *line = maps; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		const char *p = memmem(line, len, path, plen);
		if (p && (p + plen == line + len || p[plen] == ' ')) {
			/* the inode is the fifth field */
			const char *f = line;
			for (int field = 1; field < 5 && f; field++) {
				f = memchr(f, ' ', len - (size_t)(f - line));
				while (f && *f == ' ')
					f++;
			}
			if (f && strtoull(f, NULL, 10) == ino)
				return true;
		}
		line = end ? end + 1 : NULL;
	}
	return false;
}

bool mem_shm_file_in_use(const char *shm_name, unsigned long long ino)
{
	char path[200];
	snprintf(path, sizeof(path), "/dev/shm%s", shm_name);
	int dfd = vgpu_real_open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (dfd < 0)
		return true;
	bool in_use = false;
	char dents[8192];
	for (;;) {
		long n = syscall(SYS_getdents64, dfd, dents, sizeof(dents));
		if (n <= 0) {
			if (n < 0)
				in_use = true; /* could not list the processes */
			break;
		}
		for (long off = 0; off < n && !in_use;) {
			struct dirent64 *d = (struct dirent64 *)(dents + off);
			off += d->d_reclen;
			char *endp;
			long pid = strtol(d->d_name, &endp, 10);
			if (*endp || pid <= 0)
				continue;
			char maps_path[64];
			snprintf(maps_path, sizeof(maps_path), "/proc/%ld/maps", pid);
			char *maps = mem_read_maps(maps_path);
			if (!maps)
				continue; /* gone meanwhile, or not ours to read */
			in_use = maps_have(maps, path, ino);
			free(maps);
		}
		if (in_use)
			break;
	}
	vgpu_real_close(dfd);
	return in_use;
}
