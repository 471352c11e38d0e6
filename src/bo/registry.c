/*
 * The buffer registry (include/amdbare_diag.h): this process's live buffers
 * in POSIX shared memory /amdbare-registry-<pid>, for `amdbare top` in
 * another process.  One writer (this process, under a mutex), any number
 * of readers in other processes; a sequence counter (odd while an update
 * is in progress) lets a reader see a consistent copy without a lock it
 * would have to share with the writer.  The segment has a fixed capacity;
 * more live buffers than it holds are counted but not listed.  It is
 * removed at exit; a child after fork starts its own.
 */
#include "util/api.h"
#include "device/internal.h"
#include "util/error.h"
#include "registry.h"
#include "amdbare_diag.h"

#include <ctype.h>
#include <dirent.h>
#include <signal.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define REG_MAGIC "ABREG01"
#define REG_VERSION 1u
#define REG_CAP 1024u

struct reg_entry {
	uint32_t handle, domains, placed_domain, pad;
	uint64_t size, gpu_va;
	char name[AMDBARE_REGISTRY_NAME];
};

struct reg_shm {
	char magic[8];
	uint32_t version, cap;
	int32_t pid;
	uint32_t pad;
	uint64_t start_time;            /* /proc/<pid>/stat field 22 */
	_Atomic uint32_t seq;           /* odd while the writer changes the entries */
	uint32_t count;                 /* entries in use (<= cap) */
	uint32_t total;                 /* live buffers, listed or not */
	uint32_t pad2;
	struct reg_entry e[REG_CAP];
};

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct reg_shm *reg;         /* NULL: not (yet) published */
static const void *reg_key[REG_CAP]; /* the amdbare_bo behind each entry */
static int reg_state;               /* 0 untried, 1 on, -1 off or failed */
static pid_t reg_pid;

/* Field 22 of /proc/<pid>/stat, the process's start time: a pid reused by
 * another process has another.  0 when unreadable. */
static uint64_t start_time_of(int pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	/* comm may hold spaces and parentheses: fields count from the last ')' */
	char *p = strrchr(buf, ')');
	if (!p)
		return 0;
	p++;
	for (int field = 3; field < 22 && p; field++) {
		p = strchr(p + 1, ' ');
	}
	return p ? strtoull(p + 1, NULL, 10) : 0;
}

static void shm_name(int pid, char *out, size_t cap)
{
	snprintf(out, cap, "/amdbare-registry-%d", pid);
}

static void reg_remove_at_exit(void)
{
	if (reg && reg_pid == getpid()) {
		char name[64];
		shm_name(reg_pid, name, sizeof(name));
		shm_unlink(name);
	}
}

/* After fork the child must not write into its parent's segment. */
static void reg_after_fork_child(void)
{
	if (reg)
		munmap(reg, sizeof(*reg));
	reg = NULL;
	reg_state = 0;
	memset(reg_key, 0, sizeof(reg_key));
	pthread_mutex_init(&reg_lock, NULL);
}

/* Segments whose process died without reaching exit (killed) are left in
 * /dev/shm; each new writer removes those of processes that no longer
 * exist, so they do not pile up.  A live process's segment is never
 * touched. */
static void sweep_dead(void)
{
	DIR *d = opendir("/dev/shm");
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *prefix = "amdbare-registry-";
		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
			continue;
		char *end;
		long pid = strtol(e->d_name + strlen(prefix), &end, 10);
		if (*end || pid <= 0 || pid > 0x7fffffff)
			continue;
		if (kill((pid_t)pid, 0) != 0 && errno == ESRCH) {
			char name[64];
			shm_name((int)pid, name, sizeof(name));
			shm_unlink(name);
		}
	}
	closedir(d);
}

/* Called with reg_lock held. */
static bool reg_ready(void)
{
	if (reg_state)
		return reg_state > 0;
	reg_state = -1;
	const char *env = getenv("AMDBARE_REGISTRY");
	if (env && strcmp(env, "0") == 0)
		return false;
	static bool hooks;
	if (!hooks) {
		hooks = true;
		atexit(reg_remove_at_exit);
		pthread_atfork(NULL, NULL, reg_after_fork_child);
	}
	reg_pid = getpid();
	char name[64];
	shm_name(reg_pid, name, sizeof(name));
	int fd = shm_open(name, O_CREAT | O_RDWR | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return false; /* a diagnostic aid only: the buffers work without it */
	if (ftruncate(fd, sizeof(struct reg_shm)) != 0) {
		close(fd);
		shm_unlink(name);
		return false;
	}
	void *p = mmap(NULL, sizeof(struct reg_shm), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		shm_unlink(name);
		return false;
	}
	reg = p;
	reg->version = REG_VERSION;
	reg->cap = REG_CAP;
	reg->pid = reg_pid;
	reg->start_time = start_time_of(reg_pid);
	memcpy(reg->magic, REG_MAGIC, 8); /* last: a reader checks it first */
	reg_state = 1;
	sweep_dead();
	return true;
}

static void fill(struct reg_entry *e, const struct amdbare_bo *bo)
{
	e->handle = bo->handle;
	e->domains = bo->domains;
	e->placed_domain = bo->placement.actual_domain;
	e->size = bo->size;
	e->gpu_va = bo->gpu_va;
}

static int find(const void *key)
{
	for (uint32_t i = 0; reg && i < reg->count; i++)
		if (reg_key[i] == key)
			return (int)i;
	return -1;
}

static void begin_update(void)
{
	atomic_fetch_add_explicit(&reg->seq, 1, memory_order_acq_rel);
}

static void end_update(void)
{
	atomic_fetch_add_explicit(&reg->seq, 1, memory_order_release);
}

void ab_registry_add(const struct amdbare_bo *bo)
{
	pthread_mutex_lock(&reg_lock);
	if (reg_ready()) {
		begin_update();
		reg->total++;
		if (reg->count < reg->cap) {
			struct reg_entry *e = &reg->e[reg->count];
			memset(e, 0, sizeof(*e));
			fill(e, bo);
			reg_key[reg->count++] = bo;
		}
		end_update();
	}
	pthread_mutex_unlock(&reg_lock);
}

void ab_registry_update(const struct amdbare_bo *bo)
{
	pthread_mutex_lock(&reg_lock);
	int i = find(bo);
	if (i >= 0) {
		begin_update();
		fill(&reg->e[i], bo);
		end_update();
	}
	pthread_mutex_unlock(&reg_lock);
}

void ab_registry_remove(const struct amdbare_bo *bo)
{
	pthread_mutex_lock(&reg_lock);
	if (reg) {
		int i = find(bo);
		begin_update();
		if (reg->total)
			reg->total--;
		if (i >= 0) {
			uint32_t last = reg->count - 1;
			reg->e[i] = reg->e[last];
			reg_key[i] = reg_key[last];
			reg_key[last] = NULL;
			reg->count--;
		}
		end_update();
	}
	pthread_mutex_unlock(&reg_lock);
}

AB_API int amdbare_bo_set_name(amdbare_bo *bo, const char *name)
{
	if (!bo)
		return ab_set_error(EINVAL, "bo set name: NULL buffer");
	pthread_mutex_lock(&reg_lock);
	int i = find(bo);
	if (i >= 0) {
		begin_update();
		memset(reg->e[i].name, 0, sizeof(reg->e[i].name));
		if (name)
			snprintf(reg->e[i].name, sizeof(reg->e[i].name), "%s", name);
		end_update();
	}
	pthread_mutex_unlock(&reg_lock);
	return 0;
}

/* ---- the reader (another process's segment: untrusted) ---------------- */

AB_API int amdbare_registry_read(int pid, amdbare_registry_buffer *out, uint32_t cap,
				 uint32_t *total, bool *truncated)
{
	if (pid <= 0 || (cap && !out))
		return ab_set_error(EINVAL, "registry read: bad pid %d or NULL output", pid);
	if (total)
		*total = 0;
	if (truncated)
		*truncated = false;
	char name[64];
	shm_name(pid, name, sizeof(name));
	int fd = shm_open(name, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return ab_set_error(errno == EACCES ? EACCES : ENOENT, "registry of pid %d: %s: %s",
				    pid, name, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || (uint64_t)st.st_size != sizeof(struct reg_shm)) {
		close(fd);
		return ab_set_error(EBADMSG, "registry of pid %d: segment of %lld bytes, expected %zu",
				    pid, (long long)st.st_size, sizeof(struct reg_shm));
	}
	const struct reg_shm *s = mmap(NULL, sizeof(*s), PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (s == MAP_FAILED)
		return ab_set_error(errno, "registry of pid %d: mmap: %s", pid, strerror(errno));
	int ret = 0;
	struct reg_entry *copy = malloc(sizeof(s->e));
	if (!copy) {
		munmap((void *)s, sizeof(*s));
		return ab_set_error(ENOMEM, "registry of pid %d: out of memory", pid);
	}
	if (memcmp(s->magic, REG_MAGIC, 8) != 0 || s->version != REG_VERSION ||
	    s->cap != REG_CAP || s->pid != pid) {
		ret = ab_set_error(EBADMSG, "registry of pid %d: header does not match "
				   "(magic, version, capacity or pid)", pid);
		goto out;
	}
	uint64_t st_now = start_time_of(pid);
	if (st_now == 0 || st_now != s->start_time) {
		ret = ab_set_error(ESTALE, "registry of pid %d: the process that wrote it is gone", pid);
		goto out;
	}
	uint32_t count = 0, all = 0;
	bool consistent = false;
	for (int tries = 0; tries < 1000 && !consistent; tries++) {
		uint32_t s1 = atomic_load_explicit(&((struct reg_shm *)s)->seq, memory_order_acquire);
		if (s1 & 1)
			continue;
		count = s->count;
		all = s->total;
		if (count > REG_CAP)
			count = REG_CAP + 1; /* refused below, if the copy was consistent */
		else
			memcpy(copy, s->e, (size_t)count * sizeof(*copy));
		atomic_thread_fence(memory_order_acquire);
		uint32_t s2 = atomic_load_explicit(&((struct reg_shm *)s)->seq, memory_order_relaxed);
		consistent = s1 == s2;
	}
	if (!consistent) {
		ret = ab_set_error(EAGAIN, "registry of pid %d: it changed on every one of 1000 reads",
				   pid);
		goto out;
	}
	if (count > REG_CAP || all < count) {
		ret = ab_set_error(EBADMSG, "registry of pid %d: %u entries listed of %u live, "
				   "capacity %u", pid, count, all, REG_CAP);
		goto out;
	}
	uint32_t n = 0;
	for (uint32_t i = 0; i < count && n < cap; i++) {
		amdbare_registry_buffer *b = &out[n++];
		b->handle = copy[i].handle;
		b->domains = copy[i].domains;
		b->placed_domain = copy[i].placed_domain;
		b->size = copy[i].size;
		b->gpu_va = copy[i].gpu_va;
		/* a name is shown only as far as it is printable ASCII */
		size_t k = 0;
		for (; k < sizeof(b->name) - 1 && copy[i].name[k]; k++) {
			unsigned char c = (unsigned char)copy[i].name[k];
			b->name[k] = c >= 0x20 && c < 0x7f ? (char)c : '?';
		}
		b->name[k] = 0;
	}
	if (total)
		*total = all;
	if (truncated)
		*truncated = all > count || count > cap;
	ret = (int)n;
out:
	free(copy);
	munmap((void *)s, sizeof(*s));
	return ret;
}
