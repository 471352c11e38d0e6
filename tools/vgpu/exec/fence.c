/*
 * Fences, context entities and reset status (Linux 6.1 dma-fence.c,
 * amdgpu_ctx.c, amdgpu_gem.c: amdgpu_gem_timeout) for the vgpu's
 * execution side, plus the per-BO "last use" fence that GEM_WAIT_IDLE
 * waits for (the kernel keeps it in the BO's dma_resv).
 *
 * The device's gpu_reset_counter and vram_lost_counter are not here: they
 * live in the instance's shared state (memory/shared.c), so a reset in any
 * process of the instance is seen by every process's contexts.  Guilt
 * stays with the context (this process's) whose job hung or faulted.
 */
#include "internal.h"
#include "memory/internal.h" /* the shared reset counters */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond;
static pthread_once_t cond_once = PTHREAD_ONCE_INIT;
static struct exec_ctx *ctxs;

/* dma_resv of each BO, reduced to its last fence */
struct bo_busy {
	uint32_t gid;
	struct exec_fence *fence;
};
static struct bo_busy *busy;
static size_t nbusy, capbusy;

static void cond_make(void)
{
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&cond, &attr);
	pthread_condattr_destroy(&attr);
}

/* A fork()ed child gets a copy of the condition variable that still
 * counts the parent's waiters (its idle ring threads), which do not exist
 * in the child: the child's first broadcast would wait for them forever.
 * The child has one thread and no waiter, so it starts from a fresh one.
 * (Found by test_fault_multiprocess's forked child.) */
static void cond_fork_child(void)
{
	cond_make();
}

static void cond_init(void)
{
	cond_make();
	pthread_atfork(NULL, NULL, cond_fork_child);
}

void exec_lock(void)
{
	pthread_once(&cond_once, cond_init);
	pthread_mutex_lock(&lock);
}

void exec_unlock(void)
{
	pthread_mutex_unlock(&lock);
}

uint64_t exec_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

bool exec_cond_wait(uint64_t abs_ns)
{
	if (abs_ns == UINT64_MAX) {
		pthread_cond_wait(&cond, &lock);
		return true;
	}
	if (exec_now_ns() >= abs_ns)
		return false;
	struct timespec ts = { .tv_sec = (time_t)(abs_ns / 1000000000ull),
			       .tv_nsec = (long)(abs_ns % 1000000000ull) };
	pthread_cond_timedwait(&cond, &lock, &ts);
	return exec_now_ns() < abs_ns;
}

void exec_broadcast(void)
{
	pthread_cond_broadcast(&cond);
}

struct exec_fence *exec_fence_new(uint64_t seq)
{
	struct exec_fence *fe = calloc(1, sizeof(*fe));
	if (!fe)
		return NULL;
	fe->refs = 1;
	fe->seq = seq;
	return fe;
}

void exec_fence_get(struct exec_fence *fe)
{
	fe->refs++;
}

void exec_fence_put(struct exec_fence *fe)
{
	if (fe && --fe->refs == 0)
		free(fe);
}

void exec_fence_signal(struct exec_fence *fe, int error)
{
	/* dma_fence_set_error only before signaling; the first error stays */
	if (!fe->signaled && error && !fe->error)
		fe->error = error;
	fe->signaled = true;
	exec_broadcast();
}

int exec_fence_wait(struct exec_fence *fe, uint64_t abs_ns)
{
	while (!fe->signaled)
		if (!exec_cond_wait(abs_ns))
			return fe->signaled ? 1 : 0;
	return 1;
}

/* amdgpu_gem_timeout: the ioctls pass an absolute CLOCK_MONOTONIC time
 * in ns; a negative one (as int64) means forever, a past one means 0. */
uint64_t exec_timeout_abs(uint64_t timeout_ns)
{
	if ((int64_t)timeout_ns < 0)
		return UINT64_MAX;
	return timeout_ns;
}

struct exec_ctx *exec_ctx_lookup(struct vgpu_ctl_file *c, uint32_t id)
{
	for (struct exec_ctx *x = ctxs; x; x = x->next)
		if (x->alive && x->owner == c && x->id == id)
			return x;
	return NULL;
}

void exec_ctx_put(struct exec_ctx *ctx)
{
	if (--ctx->refs > 0)
		return;
	for (struct exec_ctx **pp = &ctxs; *pp; pp = &(*pp)->next) {
		if (*pp == ctx) {
			*pp = ctx->next;
			break;
		}
	}
	for (int ip = 0; ip < 3; ip++)
		for (int r = 0; r < EXEC_MAX_ENTITY_RINGS; r++)
			for (int i = 0; i < EXEC_SCHED_JOBS; i++)
				exec_fence_put(ctx->ent[ip][r].fences[i]);
	free(ctx);
}

/* amdgpu_ctx_num_entities */
static const uint32_t num_entities[AMDGPU_HW_IP_NUM] = {
	[AMDGPU_HW_IP_GFX] = 1, [AMDGPU_HW_IP_COMPUTE] = 4, [AMDGPU_HW_IP_DMA] = 2,
	[AMDGPU_HW_IP_UVD] = 1, [AMDGPU_HW_IP_VCE] = 1, [AMDGPU_HW_IP_UVD_ENC] = 1,
	[AMDGPU_HW_IP_VCN_DEC] = 1, [AMDGPU_HW_IP_VCN_ENC] = 1, [AMDGPU_HW_IP_VCN_JPEG] = 1,
};

/* Multimedia entities exist (amdgpu_ctx_init_entity succeeds) but have no
 * run queue on the vgpu; they share this never-used entity, whose
 * sequence stays 1 so WAIT_CS on it is -EINVAL like any future seq. */
static struct exec_entity mm_entity = { .sequence = 1 };

/* amdgpu_ctx_get_entity */
int exec_ctx_entity(struct exec_ctx *ctx, uint32_t ip, uint32_t instance,
		    uint32_t ring, struct exec_entity **out)
{
	if (ip >= AMDGPU_HW_IP_NUM) {
		vgpu_log("unknown HW IP type: %u", ip);
		return -EINVAL;
	}
	/* "Right now all IPs have only one instance - multiple rings." */
	if (instance != 0)
		return -EINVAL;
	if (ring >= num_entities[ip])
		return -EINVAL;
	if (ip > AMDGPU_HW_IP_DMA) {
		*out = &mm_entity;
		return 0;
	}
	struct exec_entity *e = &ctx->ent[ip][ring];
	if (e->sequence == 0)
		e->sequence = 1; /* amdgpu_ctx_init_entity: centity->sequence = 1 */
	*out = e;
	return 0;
}

/* amdgpu_ctx_get_fence */
struct exec_fence *exec_entity_fence(struct exec_entity *e, uint64_t seq, int *err)
{
	*err = 0;
	if (seq == ~0ull)
		seq = e->sequence - 1;
	if (seq >= e->sequence) {
		*err = -EINVAL;
		return NULL;
	}
	if (seq + EXEC_SCHED_JOBS < e->sequence)
		return NULL;
	struct exec_fence *fe = e->fences[seq & (EXEC_SCHED_JOBS - 1)];
	if (fe)
		exec_fence_get(fe);
	return fe;
}

/* amdgpu_device_gpu_recover after amdgpu_job_timedout: the context of
 * the bad job is marked guilty (drm_sched_increase_karma), and
 * atomic_inc(&adev->gpu_reset_counter) moves the instance's counter, so
 * every context of every process sees the reset. */
void exec_gpu_reset(struct exec_ctx *guilty)
{
	if (guilty)
		guilty->guilty = true;
	mem_dev_gpu_reset_inc();
	exec_broadcast();
}

bool exec_ctx_vram_lost(const struct exec_ctx *ctx)
{
	return ctx->vram_lost_counter != mem_dev_vram_lost_counter();
}

int vgpu_exec_ctx_create(struct vgpu_file *f, uint32_t id)
{
	struct exec_ctx *x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	x->refs = 1;
	x->alive = true;
	x->owner = f->ctl;
	x->file = f;
	x->id = id;
	exec_lock();
	/* amdgpu_ctx_init: reset_counter, reset_counter_query and
	 * vram_lost_counter start at the device's current counts */
	x->reset_counter = mem_dev_gpu_reset_counter();
	x->reset_counter_query = (uint32_t)x->reset_counter;
	x->vram_lost_counter = mem_dev_vram_lost_counter();
	x->next = ctxs;
	ctxs = x;
	exec_unlock();
	return 0;
}

void vgpu_exec_ctx_free(struct vgpu_ctl_file *c, uint32_t id)
{
	exec_lock();
	struct exec_ctx *x = exec_ctx_lookup(c, id);
	if (x) {
		x->alive = false;
		exec_ctx_put(x);
	}
	exec_unlock();
}

/* amdgpu_ctx_query2 */
uint32_t vgpu_exec_ctx_query2_flags(struct vgpu_ctl_file *c, uint32_t id)
{
	uint32_t flags = 0;
	exec_lock();
	struct exec_ctx *x = exec_ctx_lookup(c, id);
	if (x) {
		if (x->reset_counter != mem_dev_gpu_reset_counter())
			flags |= AMDGPU_CTX_QUERY2_FLAGS_RESET;
		if (exec_ctx_vram_lost(x))
			flags |= AMDGPU_CTX_QUERY2_FLAGS_VRAMLOST;
		if (x->guilty)
			flags |= AMDGPU_CTX_QUERY2_FLAGS_GUILTY;
	}
	exec_unlock();
	return flags;
}

/* amdgpu_ctx_query */
uint32_t vgpu_exec_ctx_query_reset_status(struct vgpu_ctl_file *c, uint32_t id)
{
	uint32_t st = AMDGPU_CTX_NO_RESET;
	exec_lock();
	struct exec_ctx *x = exec_ctx_lookup(c, id);
	if (x) {
		uint32_t now = mem_dev_gpu_reset_counter();
		if (x->reset_counter_query != now)
			st = AMDGPU_CTX_UNKNOWN_RESET;
		x->reset_counter_query = now;
	}
	exec_unlock();
	return st;
}

/* amdgpu_cs_pass1: a CS on a context created before the last VRAM loss.
 * False for an unknown context (the CS handler refuses it with EINVAL). */
bool vgpu_exec_ctx_vram_lost(struct vgpu_ctl_file *c, uint32_t id)
{
	exec_lock();
	struct exec_ctx *x = exec_ctx_lookup(c, id);
	bool lost = x && !x->guilty && exec_ctx_vram_lost(x);
	exec_unlock();
	return lost;
}

void vgpu_exec_file_fini(struct vgpu_ctl_file *c)
{
	exec_lock();
	exec_ring_flush_owner(c);
	for (struct exec_ctx *x = ctxs, *next; x; x = next) {
		next = x->next;
		if (x->owner == c && x->alive) {
			x->alive = false;
			exec_ctx_put(x);
		}
	}
	exec_unlock();
}

void exec_bo_mark_busy(const uint32_t *gids, uint32_t n, struct exec_fence *fe)
{
	for (uint32_t i = 0; i < n; i++) {
		size_t j;
		for (j = 0; j < nbusy; j++)
			if (busy[j].gid == gids[i])
				break;
		if (j == nbusy) {
			/* drop entries whose fence signaled, then grow */
			size_t k = 0;
			for (size_t m = 0; m < nbusy; m++) {
				if (busy[m].fence->signaled)
					exec_fence_put(busy[m].fence);
				else
					busy[k++] = busy[m];
			}
			nbusy = k;
			j = nbusy;
			if (nbusy == capbusy) {
				size_t cap = capbusy ? 2 * capbusy : 64;
				struct bo_busy *nb = realloc(busy, cap * sizeof(*nb));
				if (!nb)
					continue; /* untracked: waits report idle early */
				busy = nb;
				capbusy = cap;
			}
			busy[nbusy].gid = gids[i];
			busy[nbusy].fence = NULL;
			nbusy++;
		}
		exec_fence_get(fe);
		exec_fence_put(busy[j].fence);
		busy[j].fence = fe;
	}
}

int vgpu_exec_bo_wait(uint32_t gid, uint64_t timeout_ns)
{
	uint64_t abs = exec_timeout_abs(timeout_ns);
	int r = 1;
	exec_lock();
	for (size_t j = 0; j < nbusy; j++) {
		if (busy[j].gid == gid) {
			struct exec_fence *fe = busy[j].fence;
			exec_fence_get(fe);
			r = exec_fence_wait(fe, abs);
			exec_fence_put(fe);
			break;
		}
	}
	exec_unlock();
	return r;
}
