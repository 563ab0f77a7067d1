/*
 * loop — kigend's main loop: one thread that notices database changes, runs
 * the modules hooked into it, and waits on their file descriptors and timers.
 *
 * One iteration:
 *   1. At most once a second (monotonic clock), kg_store_data_version().
 *      When it differs from the last value seen — and on the first
 *      iteration, and after kg_loop_recheck() — every hook's changed()
 *      runs, in registration order.  The HTTP module's hook reloads the
 *      milestones and re-renders the feeds there, so feed requests never
 *      touch SQLite.
 *   2. Every hook's tick(now) runs.  It does its due work (fire reminders,
 *      retry deliveries) and returns how many milliseconds it can sleep
 *      before it must run again (-1: no deadline of its own).
 *   3. poll() on every watched fd, for at most the smallest tick timeout
 *      and never past the next data_version check.
 *   4. The callbacks of ready fds run; caught signals run their handlers.
 *
 * How modules plug in:
 *
 *   - changed(loop, arg, err): "the data may have changed".  Read what you
 *     need through kg_loop_store(loop) (borrowed; use it only from the loop
 *     thread).  Return 0, or -1 with err filled: the loop logs it, goes on
 *     and runs the changed() hooks again at the next check (a second
 *     later), except on the first run, where kg_loop_run() fails (start-up
 *     may die, a running daemon survives).
 *
 *   - tick(loop, arg, now): now = wall-clock unix seconds (time(); follows
 *     faketime).  Return a timeout in ms, or -1.  Ticks also run after every
 *     wakeup, so they must be cheap when nothing is due.
 *
 *   - fds: kg_loop_watch(loop, fd, POLLIN|POLLOUT, cb, arg) adds a watch or
 *     changes the events and callback of an existing one; kg_loop_unwatch()
 *     drops it.  Both may be called from callbacks and hooks.  This is
 *     exactly what libcurl's multi "socket" interface wants:
 *       CURLMOPT_SOCKETFUNCTION  -> kg_loop_watch / kg_loop_unwatch
 *         (CURL_POLL_IN -> POLLIN, CURL_POLL_OUT -> POLLOUT, REMOVE -> unwatch)
 *       fd callback              -> curl_multi_socket_action(multi, fd, mask, ...)
 *       CURLMOPT_TIMERFUNCTION   -> remember kg_loop_mono_ms() + timeout_ms,
 *         and return the remaining ms from tick (calling
 *         curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, ...) when due).
 *     The control socket (listening fd + clients) plugs in the same way.
 *
 *   - signals: kg_loop_on_signal(loop, SIGHUP, cb, arg).  The C handler only
 *     writes the signal number into a pipe; cb runs later in the loop
 *     thread, where anything is allowed.  main.c routes SIGINT and SIGTERM
 *     to kg_loop_stop().
 *
 *   - other threads (HTTP, the watched sources' workers) may call
 *     kg_loop_wakeup(), kg_loop_recheck() and kg_loop_stop(); those three
 *     are thread- and async-signal-safe.
 *
 * Every callback runs in the loop thread, one at a time.
 */
#ifndef KG_LOOP_H
#define KG_LOOP_H

#include <poll.h>
#include <stdint.h>

#include "err.h"

struct kg_loop;
struct kg_store;

struct kg_loop_hook {
	const char *name; /* for log messages: "feeds", "reminders" */
	void *arg;
	/* May be NULL.  See above. */
	int (*changed)(struct kg_loop *loop, void *arg, struct kg_err *err);
	/* May be NULL.  See above. */
	int64_t (*tick)(struct kg_loop *loop, void *arg, int64_t now);
};

typedef void kg_loop_fd_cb(struct kg_loop *loop, int fd, short revents, void *arg);
typedef void kg_loop_signal_cb(struct kg_loop *loop, int signo, void *arg);

/* A loop over st (borrowed, may be NULL: no change detection, for tests).
 * Only one loop per process (it owns the signal pipe).  -1 on failure. */
int kg_loop_new(struct kg_store *st, struct kg_loop **out, struct kg_err *err);

/* Restores the signal dispositions it changed and frees the loop; NULL ok. */
void kg_loop_free(struct kg_loop *loop);

/* Appends a hook (copied).  At most 16; -1 beyond. */
int kg_loop_add_hook(struct kg_loop *loop, const struct kg_loop_hook *hook,
    struct kg_err *err);

/* Adds a watch on fd, or replaces the events/cb/arg of fd's watch.
 * events: POLLIN and/or POLLOUT.  -1 on ENOMEM. */
int kg_loop_watch(struct kg_loop *loop, int fd, short events, kg_loop_fd_cb *cb, void *arg,
    struct kg_err *err);
/* Drops fd's watch (no-op when there is none).  Does not close fd. */
void kg_loop_unwatch(struct kg_loop *loop, int fd);

/* Runs cb in the loop thread after signo arrives (replaces an earlier
 * handler for signo).  -1 if sigaction fails. */
int kg_loop_on_signal(struct kg_loop *loop, int signo, kg_loop_signal_cb *cb, void *arg,
    struct kg_err *err);

/* Runs iterations until kg_loop_stop().  Returns 0 after a stop, -1 when a
 * changed() hook fails on the first iteration (err says which and why). */
int kg_loop_run(struct kg_loop *loop, struct kg_err *err);

/* Thread- and async-signal-safe. */
void kg_loop_stop(struct kg_loop *loop);
/* Makes the loop run its ticks now (a worker thread has a result). */
void kg_loop_wakeup(struct kg_loop *loop);
/* Makes the next iteration run the changed() hooks (after a config reload). */
void kg_loop_recheck(struct kg_loop *loop);

/* The store given to kg_loop_new (borrowed). */
struct kg_store *kg_loop_store(struct kg_loop *loop);
/* The data_version seen at the last check (0 before the first). */
int64_t kg_loop_data_version(const struct kg_loop *loop);

/* Milliseconds of CLOCK_MONOTONIC, for deadlines that must not follow the
 * wall clock. */
int64_t kg_loop_mono_ms(void);

#endif
