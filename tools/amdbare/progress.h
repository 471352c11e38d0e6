/*
 * Progress of anything the CLI does that takes more than a second
 * (progress.c): one line on stderr, rewritten in place, when stderr is a
 * terminal; nothing otherwise (a log or a pipe gets no carriage returns).
 * The delay before the first line is 1 s, or AMDBARE_PROGRESS_AFTER_MS.
 */
#ifndef AMDBARE_PROGRESS_H
#define AMDBARE_PROGRESS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct progress {
	const char *what;
	uint64_t total;
	double start, last, delay;
	bool tty, shown;
	/* progress_status: a thread that says the blocking step is still
	 * running (the caller cannot count its own progress in there) */
	bool thread_running, cancel;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
};

/* Starts counting `total` units of `what` ("filling the operands"). */
void progress_begin(struct progress *p, const char *what, uint64_t total);
/* `done` of the total units are done; prints at most ten times a second,
 * and only once the delay has passed. */
void progress_update(struct progress *p, uint64_t done);
/* A step that blocks (a GPU run): after the delay, a line with `what` and
 * the seconds elapsed, updated every second, until progress_end. */
void progress_status(struct progress *p, const char *what);
/* Ends the line if one was shown (and stops a progress_status thread). */
void progress_end(struct progress *p);

#endif
