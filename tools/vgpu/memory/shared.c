/*
 * Device-global memory state shared by every process using one vgpu
 * instance: POSIX shm /amdbare-vgpu-<instance>.  It plays the part of the
 * kernel's amdgpu_device (counters), TTM's resource managers (heap usage)
 * and the set of live GEM objects, so that eviction, PRIME sharing and the
 * usage queries agree across processes as they do on a real device.
 *
 * References are recorded per process (struct mem_holder) with the
 * process's start time, so a process that died without closing its files
 * (the kernel would have run its file release) is detected and its
 * references dropped: when space is short and when usage is queried.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static struct mem_shared *shared;
static pthread_mutex_t attach_lock = PTHREAD_MUTEX_INITIALIZER;
static char instance[128];

struct mem_shared *mem_shared(void)
{
	return shared;
}

const char *mem_instance_name(void)
{
	return instance;
}

/* Start time of a process in clock ticks since boot (field 22 of
 * /proc/<pid>/stat), and whether it is a zombie.  0 if it is gone. */
static uint64_t proc_start_time(pid_t pid, bool *zombie)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = vgpu_real_open(path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	vgpu_real_close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* The command name may contain spaces and parentheses: fields start
	 * after the last ')'. */
	char *p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return 0;
	p += 2;
	if (zombie)
		*zombie = (*p == 'Z' || *p == 'X');
	/* p is at field 3 (state); skip to field 22. */
	for (int field = 3; field < 22; field++) {
		p = strchr(p, ' ');
		if (!p)
			return 0;
		p++;
	}
	return strtoull(p, NULL, 10);
}

uint64_t mem_self_start_time(void)
{
	static uint64_t cached;
	static pid_t cached_pid;
	pid_t me = getpid();
	if (cached_pid != me) {
		cached = proc_start_time(me, NULL);
		cached_pid = me;
	}
	return cached;
}

static bool process_alive(int32_t pid, uint64_t start_time)
{
	if (pid == getpid())
		return start_time == mem_self_start_time();
	if (kill(pid, 0) != 0 && errno != EPERM)
		return false;
	bool zombie = false;
	uint64_t st = proc_start_time(pid, &zombie);
	return st != 0 && st == start_time && !zombie;
}

/* Whether `fd` of process `pid` still refers to the BO's memfd inode. */
static bool dmabuf_fd_alive(int32_t pid, int fd, const struct mem_gbo *g)
{
	struct stat st;
	if (pid == getpid()) {
		if (vgpu_real_fstat(fd, &st) != 0)
			return false;
	} else {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
		if (syscall(SYS_newfstatat, AT_FDCWD, path, &st, 0) != 0)
			return false;
	}
	return (uint64_t)st.st_ino == g->ino && (uint64_t)st.st_dev == g->dev;
}

/* Recomputes the heap usage from the BO table: after recovering the lock
 * of a process that died in the middle of an update. */
static void recount_usage(void)
{
	shared->vram_used = shared->vis_used = shared->gtt_used = 0;
	for (uint32_t i = 0; i < shared->nslots; i++) {
		struct mem_gbo *g = &shared->bo[i];
		if (!g->id)
			continue;
		if (g->mem_type == MEM_PL_VRAM) {
			shared->vram_used += g->vis_bytes + g->invis_bytes;
			shared->vis_used += g->vis_bytes;
		} else if (g->mem_type == MEM_PL_TT) {
			shared->gtt_used += g->size;
		}
	}
}

void mem_shared_lock(void)
{
	int r = pthread_mutex_lock(&shared->lock);
	if (r == EOWNERDEAD) {
		vgpu_log("vgpu: mem: a process died holding the device lock; recovering");
		pthread_mutex_consistent(&shared->lock);
		recount_usage();
		mem_shared_sweep();
	}
}

void mem_shared_unlock(void)
{
	pthread_mutex_unlock(&shared->lock);
}

/* "780m, kernel 6.12": processes of one instance are one machine, so they
 * must agree on the kernel too (its fdinfo format, DRM version, flags). */
static void machine_name(const struct vgpu_profile *p, char *out, size_t cap)
{
	snprintf(out, cap, "%s, kernel %s", p->name, p->kernel_name ? p->kernel_name : "?");
}

static int init_fresh(const struct vgpu_profile *p)
{
	memset(shared, 0, offsetof(struct mem_shared, bo));
	/* version before magic: a process that reads the header while this
	 * one creates it and sees the magic sees the version too (stores
	 * become visible in order on x86; another reader waits for `ready`) */
	shared->version = MEM_SHM_VERSION;
	__atomic_store_n(&shared->magic, MEM_SHM_MAGIC, __ATOMIC_RELEASE);
	shared->struct_size = sizeof(*shared);
	machine_name(p, shared->profile, sizeof(shared->profile));
	shared->vram_size = p->vram_size;
	shared->vis_vram_size = p->vis_vram_size < p->vram_size ? p->vis_vram_size : p->vram_size;
	shared->gtt_size = p->gtt_size;
	/* amdgpu_gmc_tmz_set: TMZ on by default for these GC versions only */
	uint32_t gc = p->gc_major << 16 | p->gc_minor << 8 | p->gc_rev;
	shared->tmz = gc == 0x090202 || gc == 0x090100 || gc == 0x090300 ||
		      gc == 0x0a0307 || gc == 0x0b0001;
	shared->vma_next = MEM_FILE_PAGE_OFFSET_START;
	shared->gen = 1;
	/* a fresh device: no VRAM pool file of an earlier one survives */
	memset(shared->vram_file, 0, sizeof(shared->vram_file));
	mem_vram_pool_reset();

	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	int r = pthread_mutex_init(&shared->lock, &a);
	pthread_mutexattr_destroy(&a);
	if (r)
		return -r;
	atomic_store_explicit((_Atomic uint32_t *)&shared->ready, 1, memory_order_release);
	return 0;
}

static int check_compatible(const struct vgpu_profile *p, const char *shm_name)
{
	if (shared->magic != MEM_SHM_MAGIC || shared->version != MEM_SHM_VERSION ||
	    shared->struct_size != sizeof(*shared)) {
		fprintf(stderr, "vgpu: instance %s (/dev/shm%s) was created by an "
			"incompatible vgpu build; remove it or use another "
			"AMDBARE_VGPU_INSTANCE\n", instance, shm_name);
		return -EINVAL;
	}
	uint64_t vis = p->vis_vram_size < p->vram_size ? p->vis_vram_size : p->vram_size;
	char name[sizeof(shared->profile)];
	machine_name(p, name, sizeof(name));
	if (strcmp(shared->profile, name) != 0 || shared->vram_size != p->vram_size ||
	    shared->vis_vram_size != vis || shared->gtt_size != p->gtt_size) {
		fprintf(stderr, "vgpu: instance %s already runs profile %s "
			"(VRAM %llu, visible %llu, GTT %llu bytes); this process "
			"asks for %s (VRAM %llu, visible %llu, GTT %llu): use the "
			"same AMDBARE_VGPU_PROFILE/KERNEL/size overrides or another "
			"AMDBARE_VGPU_INSTANCE\n", instance, shared->profile,
			(unsigned long long)shared->vram_size,
			(unsigned long long)shared->vis_vram_size,
			(unsigned long long)shared->gtt_size, name,
			(unsigned long long)p->vram_size, (unsigned long long)vis,
			(unsigned long long)p->gtt_size);
		return -EINVAL;
	}
	return 0;
}

/* Every BO holds an fd (its memfd): lift the soft fd limit once. */
static void raise_nofile_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int attach_locked(void)
{
	int err = 0;
	const struct vgpu_profile *p = vgpu_profile_get(&err);
	if (!p)
		return err < 0 ? err : (err ? -err : -EINVAL);

	const char *inst = getenv("AMDBARE_VGPU_INSTANCE");
	if (inst && *inst)
		snprintf(instance, sizeof(instance), "%s", inst);
	else
		snprintf(instance, sizeof(instance), "default-%u", (unsigned)getuid());
	if (strchr(instance, '/')) {
		fprintf(stderr, "vgpu: AMDBARE_VGPU_INSTANCE must not contain '/': %s\n", instance);
		return -EINVAL;
	}
	char name[160];
	snprintf(name, sizeof(name), "/amdbare-vgpu-%s", instance);
	bool replaced_stale = false;

retry:;
	bool creator = true;
	int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST) {
		creator = false;
		fd = shm_open(name, O_RDWR | O_CLOEXEC, 0600);
	}
	if (fd < 0) {
		int e = errno;
		fprintf(stderr, "vgpu: cannot open shared state /dev/shm%s: %s\n", name, strerror(e));
		return -e;
	}
	if (creator) {
		if (ftruncate(fd, sizeof(struct mem_shared)) != 0) {
			int e = errno;
			vgpu_real_close(fd);
			shm_unlink(name);
			fprintf(stderr, "vgpu: cannot size /dev/shm%s: %s\n", name, strerror(e));
			return -e;
		}
	} else {
		/* The creator may still be sizing it. */
		struct stat st;
		for (int i = 0; i < 500; i++) {
			if (vgpu_real_fstat(fd, &st) == 0 && (size_t)st.st_size >= sizeof(struct mem_shared))
				break;
			nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
		}
		/* The header: magic, then the shared-state version. */
		uint32_t head[2] = { 0, 0 };
		bool sized = vgpu_real_fstat(fd, &st) == 0 && (size_t)st.st_size == sizeof(struct mem_shared);
		bool ours = pread(fd, head, sizeof(head), 0) == (ssize_t)sizeof(head) &&
			    head[0] == MEM_SHM_MAGIC;
		/* A creator that has sized the file but not yet written the
		 * header is not another layout: check_compatible waits for
		 * `ready` and judges it then. */
		if (!sized || (ours && head[1] != MEM_SHM_VERSION)) {
			/* Another layout: say which, from its header, rather than
			 * map and misread it. */
			vgpu_real_close(fd);
			/* Left by an older (or newer) vgpu build and used by no
			 * process: replace it, as a new boot gives a new device,
			 * rather than make every user remove it by hand after an
			 * upgrade.  Once; and only if the name still names the
			 * file looked at (another process may have replaced it
			 * already: then attach to that one). */
			if (ours && !replaced_stale &&
			    !mem_shm_file_in_use(name, (unsigned long long)st.st_ino)) {
				char path[200];
				struct stat now;
				snprintf(path, sizeof(path), "/dev/shm%s", name);
				replaced_stale = true;
				if (syscall(SYS_newfstatat, AT_FDCWD, path, &now, 0) == 0 &&
				    now.st_ino == st.st_ino && now.st_dev == st.st_dev) {
					shm_unlink(name);
					fprintf(stderr, "vgpu: /dev/shm%s held shared-state version %u "
						"of another vgpu build and no process used it: "
						"replaced by a fresh device (version %u)\n", name,
						head[1], MEM_SHM_VERSION);
				}
				goto retry;
			}
			if (ours)
				fprintf(stderr, "vgpu: /dev/shm%s holds vgpu shared-state version %u "
					"(%llu bytes) and a running process uses it; this build "
					"uses version %u (%zu bytes): stop that process, or use "
					"another AMDBARE_VGPU_INSTANCE\n", name,
					head[1], (unsigned long long)st.st_size, MEM_SHM_VERSION,
					sizeof(struct mem_shared));
			else
				fprintf(stderr, "vgpu: /dev/shm%s has the wrong size (another vgpu "
					"build?); remove it or use another AMDBARE_VGPU_INSTANCE\n", name);
			return -EINVAL;
		}
	}
	void *m = vgpu_real_mmap(NULL, sizeof(struct mem_shared), PROT_READ | PROT_WRITE,
				 MAP_SHARED, fd, 0);
	vgpu_real_close(fd);
	if (m == MAP_FAILED) {
		int e = errno;
		fprintf(stderr, "vgpu: cannot map /dev/shm%s: %s\n", name, strerror(e));
		return -e;
	}
	shared = m;
	int r;
	if (creator) {
		r = init_fresh(p);
	} else {
		for (int i = 0; i < 500 &&
		     !atomic_load_explicit((_Atomic uint32_t *)&shared->ready, memory_order_acquire); i++)
			nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
		r = shared->ready ? check_compatible(p, name) : -ETIMEDOUT;
	}
	if (r) {
		vgpu_real_munmap(m, sizeof(struct mem_shared));
		shared = NULL;
		return r;
	}
	raise_nofile_limit();
	return 0;
}

int mem_shared_attach(void)
{
	pthread_mutex_lock(&attach_lock);
	int r = shared ? 0 : attach_locked();
	pthread_mutex_unlock(&attach_lock);
	return r;
}

struct mem_gbo *mem_gbo_get(uint32_t gid)
{
	if (!shared || gid == 0)
		return NULL;
	struct mem_gbo *g = &shared->bo[(gid - 1) % MEM_MAX_BOS];
	return g->id == gid ? g : NULL;
}

struct mem_gbo *mem_gbo_alloc(void)
{
	for (uint32_t i = 0; i < MEM_MAX_BOS; i++) {
		struct mem_gbo *g = &shared->bo[i];
		if (g->id)
			continue;
		memset(g, 0, sizeof(*g));
		/* The id encodes the slot; the generation makes it unique over
		 * time so a stale id never names a new BO. */
		uint64_t gen = shared->gen++ % ((UINT32_MAX / MEM_MAX_BOS) - 1);
		g->id = (uint32_t)(gen * MEM_MAX_BOS + i + 1);
		for (int h = 0; h < MEM_MAX_HOLDERS; h++)
			for (int k = 0; k < MEM_MAX_DMABUF_FDS; k++)
				g->holders[h].dmabuf_fd[k] = -1;
		if (i + 1 > shared->nslots)
			shared->nslots = i + 1;
		g->lru = 0; /* never placed yet: see move_to() */
		return g;
	}
	return NULL;
}

void mem_gbo_free(struct mem_gbo *g)
{
	mem_res_release(g);
	mem_vram_pool_put(g);
	g->id = 0;
}

static struct mem_holder *holder_of(struct mem_gbo *g, int32_t pid, bool create)
{
	struct mem_holder *free_h = NULL;
	for (int i = 0; i < MEM_MAX_HOLDERS; i++) {
		struct mem_holder *h = &g->holders[i];
		if (h->pid == pid)
			return h;
		if (!h->pid && !free_h)
			free_h = h;
	}
	if (!create || !free_h)
		return NULL;
	memset(free_h, 0, sizeof(*free_h));
	for (int k = 0; k < MEM_MAX_DMABUF_FDS; k++)
		free_h->dmabuf_fd[k] = -1;
	free_h->pid = pid;
	free_h->start_time = mem_self_start_time();
	return free_h;
}

int mem_gbo_hold(struct mem_gbo *g, int handles, int dmabuf_fd)
{
	struct mem_holder *h = holder_of(g, getpid(), true);
	if (!h) {
		vgpu_log("vgpu: mem: BO %u is shared by more than %d processes", g->id, MEM_MAX_HOLDERS);
		return -ENOMEM;
	}
	h->handles += handles;
	if (dmabuf_fd >= 0) {
		h->ndmabuf++;
		for (int k = 0; k < MEM_MAX_DMABUF_FDS; k++)
			if (h->dmabuf_fd[k] < 0) {
				h->dmabuf_fd[k] = dmabuf_fd;
				break;
			}
	}
	return 0;
}

static bool holder_empty(const struct mem_holder *h)
{
	return h->handles == 0 && h->ndmabuf == 0;
}

static bool gbo_unreferenced(const struct mem_gbo *g)
{
	for (int i = 0; i < MEM_MAX_HOLDERS; i++)
		if (g->holders[i].pid)
			return false;
	return true;
}

/* Drops closed dma-buf fds of holder `h`; untracked exports (beyond
 * MEM_MAX_DMABUF_FDS) live as long as the process. */
static void prune_dmabufs(struct mem_gbo *g, struct mem_holder *h)
{
	uint32_t tracked = 0;
	for (int k = 0; k < MEM_MAX_DMABUF_FDS; k++) {
		if (h->dmabuf_fd[k] < 0)
			continue;
		if (dmabuf_fd_alive(h->pid, h->dmabuf_fd[k], g)) {
			tracked++;
			continue;
		}
		h->dmabuf_fd[k] = -1;
		h->ndmabuf--;
	}
	(void)tracked;
}

bool mem_gbo_release(struct mem_gbo *g, int handles)
{
	struct mem_holder *h = holder_of(g, getpid(), false);
	if (h) {
		h->handles = (uint32_t)handles > h->handles ? 0 : h->handles - handles;
		if (h->handles == 0 && h->ndmabuf)
			prune_dmabufs(g, h);
		if (holder_empty(h))
			h->pid = 0;
	}
	if (gbo_unreferenced(g)) {
		mem_gbo_free(g);
		return true;
	}
	return false;
}

int mem_shared_sweep(void)
{
	/* A few pids cover most holders: remember verdicts within one sweep. */
	struct verdict { int32_t pid; uint64_t st; bool alive; } seen[32];
	int nseen = 0, freed = 0;
	for (uint32_t i = 0; i < shared->nslots; i++) {
		struct mem_gbo *g = &shared->bo[i];
		if (!g->id)
			continue;
		for (int k = 0; k < MEM_MAX_HOLDERS; k++) {
			struct mem_holder *h = &g->holders[k];
			if (!h->pid)
				continue;
			int s;
			for (s = 0; s < nseen; s++)
				if (seen[s].pid == h->pid && seen[s].st == h->start_time)
					break;
			bool alive;
			if (s < nseen) {
				alive = seen[s].alive;
			} else {
				alive = process_alive(h->pid, h->start_time);
				if (nseen < 32)
					seen[nseen++] = (struct verdict){ h->pid, h->start_time, alive };
			}
			if (!alive) {
				vgpu_log("vgpu: mem: reclaiming BO %u references of dead process %d",
					 g->id, (int)h->pid);
				h->pid = 0;
				continue;
			}
			if (h->handles == 0 && h->ndmabuf)
				prune_dmabufs(g, h);
			if (holder_empty(h))
				h->pid = 0;
		}
		if (gbo_unreferenced(g)) {
			mem_gbo_free(g);
			freed++;
		}
	}
	return freed;
}

struct vma_range {
	uint64_t start, end;
};

static int cmp_range(const void *a, const void *b)
{
	const struct vma_range *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

int mem_vma_alloc(uint64_t pages, uint64_t *start)
{
	/* drm_vma_offset_add: [DRM_FILE_PAGE_OFFSET_START, + _SIZE) pages,
	 * 0 pages refused.  Offsets are handed out in increasing order and,
	 * once the end is reached, from the first hole that fits (drm_mm
	 * picks the best hole; any free range is as good to user space). */
	const uint64_t end = MEM_FILE_PAGE_OFFSET_START + MEM_FILE_PAGE_OFFSET_SIZE;
	if (pages == 0 || pages > MEM_FILE_PAGE_OFFSET_SIZE)
		return -ENOSPC;
	if (shared->vma_next + pages <= end) {
		*start = shared->vma_next;
		shared->vma_next += pages;
		return 0;
	}
	struct vma_range *r = malloc((shared->nslots + 1) * sizeof(*r));
	if (!r)
		return -ENOMEM;
	size_t n = 0;
	for (uint32_t i = 0; i < shared->nslots; i++) {
		const struct mem_gbo *g = &shared->bo[i];
		if (g->id && g->vma_start)
			r[n++] = (struct vma_range){ g->vma_start, g->vma_start + (g->size >> MEM_PAGE_SHIFT) };
	}
	qsort(r, n, sizeof(*r), cmp_range);
	uint64_t cur = MEM_FILE_PAGE_OFFSET_START;
	int ret = -ENOSPC;
	for (size_t i = 0; i <= n; i++) {
		uint64_t hole_end = i < n ? r[i].start : end;
		if (hole_end > cur && hole_end - cur >= pages) {
			*start = cur;
			ret = 0;
			break;
		}
		if (i < n && r[i].end > cur)
			cur = r[i].end;
	}
	free(r);
	return ret;
}

/* ---- device reset counters ---------------------------------------------------
 * adev->gpu_reset_counter and adev->vram_lost_counter live here, not in a
 * process, so that a reset caused by any process of the instance (a hang,
 * a VM fault, an injected reset) reaches every process's contexts, as on a
 * real device.  Atomics in the shared mapping: readers need no lock. */

uint32_t mem_dev_gpu_reset_counter(void)
{
	return shared ? atomic_load(&shared->gpu_reset_counter) : 0;
}

uint32_t mem_dev_vram_lost_counter(void)
{
	return shared ? atomic_load(&shared->vram_lost_counter) : 0;
}

void mem_dev_gpu_reset_inc(void)
{
	if (shared)
		atomic_fetch_add(&shared->gpu_reset_counter, 1);
}

void mem_dev_vram_lost_inc(void)
{
	if (!shared)
		return;
	/* The marks are set before the counter moves: a process that sees the
	 * new counter finds every mark of that loss. */
	mem_shared_lock();
	for (uint32_t i = 0; i < shared->nslots; i++) {
		const struct mem_gbo *g = &shared->bo[i];
		if (g->id && g->mem_type == MEM_PL_VRAM)
			shared->lost_gid[i] = g->id;
	}
	atomic_fetch_add(&shared->vram_lost_counter, 1);
	mem_shared_unlock();
}

bool mem_dev_take_lost(uint32_t gid)
{
	if (!shared || gid == 0)
		return false;
	uint32_t slot = (gid - 1) % MEM_MAX_BOS;
	bool lost = shared->lost_gid[slot] == gid;
	if (lost)
		shared->lost_gid[slot] = 0;
	return lost;
}
