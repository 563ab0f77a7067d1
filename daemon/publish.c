/*
 * publish — see publish.h.
 */
#include "publish.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "store.h"

struct kg_publisher {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;        /* a request, the end of one, or stop */
	bool has_thread;

	struct kg_store *st;        /* this thread's own, read-only */
	struct kg_pool *pool;       /* render threads helping with parts */
	kg_publish_fn *publish;
	void *arg;

	struct kg_view *pending;    /* the newest request, not yet started */
	int64_t pending_version;
	bool running, stop;
	int last_rc;
	struct kg_err last_err;

	struct kg_view *last;       /* the last view published: prev of the next */
	struct kg_store_marks marks; /* what last was read at */
	struct kg_change_list slips; /* last's moved windows (web.h) */
};

/* What one publication read, in one read transaction. */
struct load {
	struct kg_store_marks marks;
	struct kg_milestone_list ms;   /* all of them, or those changed */
	struct kg_measure_list measures;
	struct kg_change_list slips;
	struct kg_id_list ids;         /* a delta: every milestone written */
	bool delta;
};

static void
load_clear(struct load *l)
{
	kg_milestone_list_clear(&l->ms);
	kg_measure_list_clear(&l->measures);
	kg_change_list_clear(&l->slips);
	kg_id_list_clear(&l->ids);
}

/*
 * The data of one state of the database: only the milestones written
 * since the last publication when the marks prove that is all that changed
 * (kg_store_marks: nothing reshaped), else everything — milestones,
 * measures and the windows reports moved.
 */
static int
load(struct kg_publisher *p, struct load *l, struct kg_err *err)
{
	sqlite3 *db = kg_store_db(p->st);
	struct kg_query q;
	int rc;

	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return kg_err_set(err, "cannot read the database: %s", sqlite3_errmsg(db));
	kg_query_init(&q);
	rc = kg_store_marks(p->st, &l->marks, err);
	l->delta = rc == 0 && p->last != NULL && l->marks.reshaped == p->marks.reshaped;
	if (rc == 0 && l->delta)
		rc = kg_store_milestones_since(p->st, p->marks.rev, &l->ms, &l->ids, err);
	else if (rc == 0)
		rc = kg_store_milestones(p->st, &q, &l->ms, err) < 0 ||
		    kg_store_measures(p->st, &l->measures, err) < 0 ||
		    kg_store_slipped(p->st, 0, &l->slips, err) < 0 ? -1 : 0;
	sqlite3_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* One publication of skeleton v: load, render, hand over. */
static int
publish_one(struct kg_publisher *p, struct kg_view *v, int64_t version, struct kg_err *err)
{
	struct load l = {0};
	struct kg_view *old;
	struct timespec t0;
	int rc = -1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (load(p, &l, err) < 0) {
		kg_view_unref(v);
		goto out;
	}
	v->milestones_read = l.delta ? l.ids.n : l.ms.n;
	if (l.delta ? kg_view_fill_delta(v, p->last, &l.ms, &l.ids, &p->slips, version,
	    p->pool, err) < 0 : kg_view_fill(v, &l.ms, &l.measures, &l.slips, version,
	    p->last, p->pool, err) < 0) {
		kg_view_unref(v);
		goto out;
	}
	if (l.delta) {
		kg_view_hand_over(p->last, v);
	} else {
		/* the next delta's moved windows: they change only with what reshapes */
		kg_change_list_clear(&p->slips);
		p->slips = l.slips;
		memset(&l.slips, 0, sizeof(l.slips));
	}
	p->marks = l.marks;
	v->publication_seconds = seconds_since(&t0);
	old = p->last;
	p->last = kg_view_ref(v);
	p->publish(p->arg, v);
	kg_view_unref(old);
	rc = 0;
out:
	load_clear(&l);
	return rc;
}

static void *
publisher_main(void *arg)
{
	struct kg_publisher *p = arg;
	struct kg_view *v;
	struct kg_err err;
	int64_t version;
	int rc;

	/* Serving requests comes first: publications yield the CPU to them. */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 5);
	pthread_mutex_lock(&p->lock);
	while (!p->stop) {
		if (p->pending == NULL) {
			pthread_cond_wait(&p->cond, &p->lock);
			continue;
		}
		v = p->pending;
		version = p->pending_version;
		p->pending = NULL;
		p->running = true;
		pthread_mutex_unlock(&p->lock);
		err.msg[0] = '\0';
		if ((rc = publish_one(p, v, version, &err)) < 0)
			log_err("publication failed, the previous one stays: %s", err.msg);
		pthread_mutex_lock(&p->lock);
		p->running = false;
		p->last_rc = rc;
		p->last_err = err;
		pthread_cond_broadcast(&p->cond);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

int
kg_publisher_new(const char *db, struct kg_pool *pool, kg_publish_fn *publish, void *arg,
    struct kg_publisher **out, struct kg_err *err)
{
	struct kg_publisher *p;
	int rc;

	*out = NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return kg_err_set(err, "out of memory");
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	p->publish = publish;
	p->arg = arg;
	p->pool = pool;
	if (kg_store_open(db, KG_STORE_READONLY, &p->st, err) < 0) {
		kg_publisher_free(p);
		return -1;
	}
	if ((rc = pthread_create(&p->thread, NULL, publisher_main, p)) != 0) {
		kg_publisher_free(p);
		return kg_err_set(err, "cannot start the publisher: %s", strerror(rc));
	}
	p->has_thread = true;
	pthread_setname_np(p->thread, "kg-publish");
	*out = p;
	return 0;
}

void
kg_publisher_free(struct kg_publisher *p)
{
	if (p == NULL)
		return;
	if (p->has_thread) {
		pthread_mutex_lock(&p->lock);
		p->stop = true;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
		pthread_join(p->thread, NULL);
	}
	kg_view_unref(p->pending);
	kg_view_unref(p->last);
	kg_change_list_clear(&p->slips);
	kg_store_close(p->st);
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

void
kg_publisher_request(struct kg_publisher *p, struct kg_view *skeleton, int64_t data_version)
{
	struct kg_view *old;

	pthread_mutex_lock(&p->lock);
	old = p->pending;
	p->pending = skeleton;
	p->pending_version = data_version;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	kg_view_unref(old);
}

int
kg_publisher_wait(struct kg_publisher *p, struct kg_err *err)
{
	int rc;

	pthread_mutex_lock(&p->lock);
	while (p->pending != NULL || p->running)
		pthread_cond_wait(&p->cond, &p->lock);
	rc = p->last_rc;
	if (rc < 0)
		*err = p->last_err;
	pthread_mutex_unlock(&p->lock);
	return rc;
}
