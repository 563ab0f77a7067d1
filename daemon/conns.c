/*
 * conns — see conns.h.  The waiting list is a doubly linked list, oldest
 * first; counters are under the one mutex, which also orders every
 * shutdown against libmicrohttpd's removal of the connection.
 */
#include "conns.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "loop.h"

struct kg_conns {
	pthread_mutex_t lock;
	pthread_cond_t wake;      /* the sweeper: a first waiter, or stop */
	pthread_t thread;
	bool has_thread, stop;
	size_t max;
	int64_t head_timeout_ms;
	struct kg_conn *head, *tail; /* waiting, oldest first */
	size_t live;              /* open and not closing */
	struct kg_conns_stats st;
};

static void
unlink_waiting(struct kg_conns *cs, struct kg_conn *c)
{
	if (!c->waiting)
		return;
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		cs->head = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	else
		cs->tail = c->prev;
	c->prev = c->next = NULL;
	c->waiting = false;
}

static void
link_waiting(struct kg_conns *cs, struct kg_conn *c, int64_t now_ms)
{
	bool was_empty = cs->head == NULL;

	c->waiting_since_ms = now_ms;
	c->waiting = true;
	c->next = NULL;
	c->prev = cs->tail;
	if (cs->tail != NULL)
		cs->tail->next = c;
	else
		cs->head = c;
	cs->tail = c;
	if (was_empty)
		pthread_cond_signal(&cs->wake);
}

/* Shuts c down (under the lock); libmicrohttpd removes it later. */
static void
shut(struct kg_conns *cs, struct kg_conn *c)
{
	unlink_waiting(cs, c);
	if (c->closing)
		return;
	c->closing = true;
	cs->live--;
	shutdown(c->fd, SHUT_RDWR);
}

bool
kg_conns_add(struct kg_conns *cs, struct kg_conn *c, int fd, int64_t now_ms)
{
	bool ok = true;

	memset(c, 0, sizeof(*c));
	c->fd = fd;
	pthread_mutex_lock(&cs->lock);
	cs->st.open++;
	cs->live++;
	if (cs->live > cs->max) {
		if (cs->head != NULL) {
			cs->st.evicted++;
			shut(cs, cs->head);
		} else {
			cs->st.refused++;
			shut(cs, c);
			ok = false;
		}
	}
	if (ok)
		link_waiting(cs, c, now_ms);
	pthread_mutex_unlock(&cs->lock);
	return ok;
}

void
kg_conns_remove(struct kg_conns *cs, struct kg_conn *c)
{
	pthread_mutex_lock(&cs->lock);
	unlink_waiting(cs, c);
	if (!c->closing)
		cs->live--;
	c->closing = true;
	cs->st.open--;
	pthread_mutex_unlock(&cs->lock);
}

void
kg_conns_head_done(struct kg_conns *cs, struct kg_conn *c)
{
	pthread_mutex_lock(&cs->lock);
	unlink_waiting(cs, c);
	pthread_mutex_unlock(&cs->lock);
}

void
kg_conns_wait(struct kg_conns *cs, struct kg_conn *c, int64_t now_ms)
{
	pthread_mutex_lock(&cs->lock);
	unlink_waiting(cs, c);
	if (!c->closing)
		link_waiting(cs, c, now_ms);
	pthread_mutex_unlock(&cs->lock);
}

/* Under the lock. */
static int64_t
sweep_locked(struct kg_conns *cs, int64_t now_ms)
{
	while (cs->head != NULL && now_ms - cs->head->waiting_since_ms >= cs->head_timeout_ms) {
		cs->st.overdue++;
		shut(cs, cs->head);
	}
	if (cs->head == NULL)
		return -1;
	return cs->head->waiting_since_ms + cs->head_timeout_ms - now_ms;
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

/* Sleeps until the oldest head is due (or a first one starts waiting),
 * closes what is overdue, again. */
static void *
sweeper(void *arg)
{
	struct kg_conns *cs = arg;
	struct timespec until;
	int64_t next;

	pthread_mutex_lock(&cs->lock);
	while (!cs->stop) {
		next = sweep_locked(cs, kg_loop_mono_ms());
		if (next < 0) {
			pthread_cond_wait(&cs->wake, &cs->lock);
			continue;
		}
		next += 1; /* kg_loop_mono_ms rounds down */
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
