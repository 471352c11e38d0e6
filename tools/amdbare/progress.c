/*
 * Progress lines on a terminal (progress.h).
 */
#include "progress.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double delay_seconds(void)
{
	const char *e = getenv("AMDBARE_PROGRESS_AFTER_MS");
	if (e && e[0]) {
		char *end;
		unsigned long ms = strtoul(e, &end, 10);
		if (!*end && ms <= 3600000)
			return (double)ms / 1000.0;
	}
	return 1.0;
}

static void init(struct progress *p, const char *what, uint64_t total)
{
	memset(p, 0, sizeof(*p));
	p->what = what;
	p->total = total;
	p->start = now();
	p->last = p->start;
	p->delay = delay_seconds();
	p->tty = isatty(STDERR_FILENO) == 1;
}

void progress_begin(struct progress *p, const char *what, uint64_t total)
{
	init(p, what, total);
}

void progress_update(struct progress *p, uint64_t done)
{
	if (!p->tty)
		return;
	double t = now();
	if (t - p->start < p->delay || (p->shown && t - p->last < 0.1))
		return;
	p->last = t;
	p->shown = true;
	double pct = p->total ? 100.0 * (double)done / (double)p->total : 100.0;
	double rate = (double)done / (t - p->start);
	double eta = rate > 0 && p->total > done ? (double)(p->total - done) / rate : 0;
	fprintf(stderr, "\r  %s: %3.0f%%  %.0fs elapsed, about %.0fs left   ", p->what, pct,
		t - p->start, eta);
	fflush(stderr);
}

static void *status_thread(void *arg)
{
	struct progress *p = arg;
	pthread_mutex_lock(&p->lock);
	double wake_at = p->start + p->delay;
	while (!p->cancel) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		double wait = wake_at - now();
		if (wait > 0) {
			ts.tv_sec += (time_t)wait;
			ts.tv_nsec += (long)((wait - (double)(time_t)wait) * 1e9);
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			int r = pthread_cond_timedwait(&p->wake, &p->lock, &ts);
			if (r != ETIMEDOUT || p->cancel)
				continue;
		}
		p->shown = true;
		fprintf(stderr, "\r  %s: %.0fs elapsed   ", p->what, now() - p->start);
		fflush(stderr);
		wake_at = now() + 1.0;
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

void progress_status(struct progress *p, const char *what)
{
	init(p, what, 0);
	if (!p->tty)
		return;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->wake, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&p->lock, NULL);
	if (pthread_create(&p->thread, NULL, status_thread, p) == 0) {
		p->thread_running = true;
	} else {
		pthread_cond_destroy(&p->wake);
		pthread_mutex_destroy(&p->lock);
	}
}

void progress_end(struct progress *p)
{
	if (p->thread_running) {
		pthread_mutex_lock(&p->lock);
		p->cancel = true;
		pthread_cond_signal(&p->wake);
		pthread_mutex_unlock(&p->lock);
		pthread_join(p->thread, NULL);
		p->thread_running = false;
		pthread_cond_destroy(&p->wake);
		pthread_mutex_destroy(&p->lock);
	}
	if (p->shown) {
		fputc('\n', stderr);
		p->shown = false;
	}
}
