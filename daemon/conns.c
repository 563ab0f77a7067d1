/*
 * conns — see conns.h.  The open connections are a doubly linked list
 * under one mutex, which also orders every shutdown against
 * libmicrohttpd's removal of the connection; whether and since when a
 * connection waits for a head is an atomic of its own.
 */
#include "conns.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "loop.h"

#define NOT_WAITING (-1)
#define SWEEP_MAX_MS 1000

struct kg_conns {
	pthread_mutex_t lock;
	pthread_cond_t wake;      /* the sweeper: stop */
	pthread_t thread;
	bool has_thread, stop;
	size_t max;
	int64_t head_timeout_ms;
	struct kg_conn *head;     /* open connections */
	size_t live;              /* open and not closing */
	struct kg_conns_stats st;
};

/* Shuts c down (under the lock); libmicrohttpd removes it later. */
static void
shut(struct kg_conns *cs, struct kg_conn *c)
{
	atomic_store_explicit(&c->waiting_since_ms, NOT_WAITING, memory_order_relaxed);
	if (c->closing)
		return;
	c->closing = true;
	cs->live--;
	shutdown(c->fd, SHUT_RDWR);
}

/* The connection other than skip that has waited longest for its head,
 * or NULL.  Under the lock. */
static struct kg_conn *
longest_waiting(struct kg_conns *cs, const struct kg_conn *skip)
{
	struct kg_conn *c, *oldest = NULL;
	int64_t since, oldest_since = 0;

	for (c = cs->head; c != NULL; c = c->next) {
		since = atomic_load_explicit(&c->waiting_since_ms, memory_order_relaxed);
		if (c == skip || c->closing || since == NOT_WAITING)
			continue;
		if (oldest == NULL || since < oldest_since) {
			oldest = c;
			oldest_since = since;
		}
	}
	return oldest;
}

bool
kg_conns_add(struct kg_conns *cs, struct kg_conn *c, int fd, int64_t now_ms)
{
	struct kg_conn *victim;
	bool ok = true;

	memset(c, 0, sizeof(*c));
	c->fd = fd;
	atomic_init(&c->waiting_since_ms, now_ms);
	pthread_mutex_lock(&cs->lock);
	c->next = cs->head;
	if (cs->head != NULL)
		cs->head->prev = c;
	cs->head = c;
	cs->st.open++;
	cs->live++;
	if (cs->live > cs->max) {
		if ((victim = longest_waiting(cs, c)) != NULL) {
			cs->st.evicted++;
			shut(cs, victim);
		} else {
			cs->st.refused++;
			shut(cs, c);
			ok = false;
		}
	}
	pthread_mutex_unlock(&cs->lock);
	return ok;
}

void
kg_conns_remove(struct kg_conns *cs, struct kg_conn *c)
{
	pthread_mutex_lock(&cs->lock);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		cs->head = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	if (!c->closing)
		cs->live--;
	c->closing = true;
	cs->st.open--;
	pthread_mutex_unlock(&cs->lock);
}

void
kg_conns_head_done(struct kg_conns *cs, struct kg_conn *c)
{
	(void)cs;
	atomic_store_explicit(&c->waiting_since_ms, NOT_WAITING, memory_order_relaxed);
}

void
kg_conns_wait(struct kg_conns *cs, struct kg_conn *c, int64_t now_ms)
{
	(void)cs;
	/* A connection already shut may be marked: the sweeper skips it. */
	atomic_store_explicit(&c->waiting_since_ms, now_ms, memory_order_relaxed);
}

/* Under the lock. */
static int64_t
sweep_locked(struct kg_conns *cs, int64_t now_ms)
{
	struct kg_conn *c;
	int64_t since, left, next = -1;

	for (c = cs->head; c != NULL; c = c->next) {
		since = atomic_load_explicit(&c->waiting_since_ms, memory_order_relaxed);
		if (c->closing || since == NOT_WAITING)
			continue;
		left = since + cs->head_timeout_ms - now_ms;
		if (left <= 0) {
			cs->st.overdue++;
			shut(cs, c);
		} else if (next < 0 || left < next)
			next = left;
	}
	return next;
}

int64_t
kg_conns_sweep(struct kg_conns *cs, int64_t now_ms)
{
	int64_t next;

	pthread_mutex_lock(&cs->lock);
	next = sweep_locked(cs, now_ms);
	pthread_mutex_unlock(&cs->lock);
	return next;
}

void
kg_conns_stats(struct kg_conns *cs, struct kg_conns_stats *out)
{
	pthread_mutex_lock(&cs->lock);
	*out = cs->st;
	pthread_mutex_unlock(&cs->lock);
}

/* Scans every period (a quarter of head_timeout, at most a second) and at
 * the earliest deadline it knows of. */
static void *
sweeper(void *arg)
{
	struct kg_conns *cs = arg;
	int64_t period = cs->head_timeout_ms / 4, next;
	struct timespec until;

	if (period > SWEEP_MAX_MS)
		period = SWEEP_MAX_MS;
	if (period < 1)
		period = 1;
	pthread_mutex_lock(&cs->lock);
	while (!cs->stop) {
		next = sweep_locked(cs, kg_loop_mono_ms());
		if (next < 0 || next > period)
			next = period;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += next / 1000;
		until.tv_nsec += (next % 1000) * 1000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&cs->wake, &cs->lock, &until);
	}
	pthread_mutex_unlock(&cs->lock);
	return NULL;
}

int
kg_conns_new(size_t max, int64_t head_timeout_ms, bool with_sweeper, struct kg_conns **out,
    struct kg_err *err)
{
	struct kg_conns *cs;
	pthread_condattr_t ca;
	int rc;

	*out = NULL;
	if ((cs = calloc(1, sizeof(*cs))) == NULL)
		return kg_err_set(err, "out of memory");
	cs->max = max > 0 ? max : 1;
	cs->head_timeout_ms = head_timeout_ms;
	pthread_mutex_init(&cs->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&cs->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (with_sweeper) {
		if ((rc = pthread_create(&cs->thread, NULL, sweeper, cs)) != 0) {
			kg_conns_free(cs);
			return kg_err_set(err, "cannot start the connection sweeper: %s", strerror(rc));
		}
		cs->has_thread = true;
		pthread_setname_np(cs->thread, "kg-conns");
	}
	*out = cs;
	return 0;
}

void
kg_conns_free(struct kg_conns *cs)
{
	if (cs == NULL)
		return;
	if (cs->has_thread) {
		pthread_mutex_lock(&cs->lock);
		cs->stop = true;
		pthread_cond_signal(&cs->wake);
		pthread_mutex_unlock(&cs->lock);
		pthread_join(cs->thread, NULL);
	}
	pthread_cond_destroy(&cs->wake);
	pthread_mutex_destroy(&cs->lock);
	free(cs);
}
