/*
 * cache — see cache.h.  One mutex per view's cache guards its entries,
 * their states and their waiters.  Lock order: the cache's mutex, then
 * libmicrohttpd's own (suspending and resuming connections happen under
 * the cache's mutex, so a render that ends cannot resume a connection
 * before it is suspended).  A linear search over at most
 * KG_CACHE_ENTRIES_MAX keys is cheaper than any render.
 */
#include "cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "feeds.h"
#include "hash.h"
#include "log.h"
#include "pool.h"
#include "server.h"
#include "view.h"

enum state { PENDING, READY, FAILED };

struct kg_cached {
	atomic_int refs;
	struct kg_cached *prev, *next;  /* in the cache, most recently used first */
	bool linked;
	char key[2 * KG_SHA256_LEN + 1];
	enum state state;
	struct kg_rendered r;
	struct MHD_Connection **waiters;
	size_t nwaiters, capwaiters;
};

struct kg_cache {
	pthread_mutex_t lock;
	struct kg_cached *head, *tail;
	size_t entries, bytes;
};

/* A render on its way: the entry, its view (which owns the cache), the
 * spec (its arg). */
struct job {
	struct kg_cached *e;
	struct kg_view *view;
	struct kg_cache_spec spec;
	size_t keep_bytes;
};

int
kg_cache_key(struct kg_cache_spec *spec, const char *kind, const char *context,
    const struct kg_args *a)
{
	unsigned char md[KG_SHA256_LEN];
	struct kg_sha256_ctx ctx;
	size_t len;
	char *canon = kg_args_canonical(a, &len);

	if (canon == NULL)
		return -1;
	if (context == NULL)
		context = "";
	kg_sha256_init(&ctx);
	kg_sha256_update(&ctx, kind, strlen(kind) + 1);
	kg_sha256_update(&ctx, context, strlen(context) + 1);
	kg_sha256_update(&ctx, canon, len);
	kg_sha256_final(&ctx, md);
	kg_hex(md, sizeof(md), spec->key);
	free(canon);
	return 0;
}

struct kg_cache *
kg_cache_new(void)
{
	struct kg_cache *c = calloc(1, sizeof(*c));

	if (c != NULL)
		pthread_mutex_init(&c->lock, NULL);
	return c;
}

void
kg_cached_unref(struct kg_cached *e)
{
	if (e == NULL || atomic_fetch_sub(&e->refs, 1) != 1)
		return;
	kg_rendered_release(&e->r);
	free(e->waiters);
	free(e);
}

static struct kg_cached *
cached_ref(struct kg_cached *e)
{
	atomic_fetch_add(&e->refs, 1);
	return e;
}

/* Under c's lock. */
static void
unlink_entry(struct kg_cache *c, struct kg_cached *e)
{
	if (!e->linked)
		return;
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		c->head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		c->tail = e->prev;
	e->prev = e->next = NULL;
	e->linked = false;
	c->entries--;
	c->bytes -= e->r.bytes;
}

static void
link_front(struct kg_cache *c, struct kg_cached *e)
{
	e->prev = NULL;
	e->next = c->head;
	if (c->head != NULL)
		c->head->prev = e;
	else
		c->tail = e;
	c->head = e;
	e->linked = true;
	c->entries++;
	c->bytes += e->r.bytes;
}

void
kg_cache_free(struct kg_cache *c)
{
	struct kg_cached *e;

	if (c == NULL)
		return;
	while ((e = c->head) != NULL) {
		unlink_entry(c, e);
		kg_cached_unref(e);
	}
	pthread_mutex_destroy(&c->lock);
	free(c);
}

static struct kg_cached *
find(struct kg_cache *c, const char *key)
{
	struct kg_cached *e;

	for (e = c->head; e != NULL; e = e->next)
		if (strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

/* Drops least recently used finished entries until c fits its limits. */
static void
evict(struct kg_cache *c, size_t keep_bytes)
{
	struct kg_cached *e = c->tail, *prev;

	while (e != NULL && (c->bytes > keep_bytes || c->entries > KG_CACHE_ENTRIES_MAX)) {
		prev = e->prev;
		if (e->state != PENDING) {
			unlink_entry(c, e);
			kg_cached_unref(e);
		}
		e = prev;
	}
}

static int
add_waiter(struct kg_cached *e, struct MHD_Connection *conn)
{
	if (kg_array_grow((void **)&e->waiters, &e->capwaiters, e->nwaiters + 1,
	    sizeof(*e->waiters)) < 0)
		return -1;
	e->waiters[e->nwaiters++] = conn;
	return 0;
}

/* The render thread's job (pool.h); run false: the pool stops. */
static void
job_run(void *arg, bool run)
{
	struct job *j = arg;
	struct kg_cache *c = j->view->cache;
	struct kg_rendered r;
	struct kg_err err;
	size_t i;
	int rc = -1;

	memset(&r, 0, sizeof(r));
	kg_err_set(&err, "kigend is stopping");
	if (run && (rc = j->spec.make(j->spec.arg, &r, &err)) < 0)
		log_err("render: %s", err.msg);
	if (rc < 0)
		kg_rendered_release(&r);
	if (j->spec.free_arg != NULL)
		j->spec.free_arg(j->spec.arg);
	pthread_mutex_lock(&c->lock);
	unlink_entry(c, j->e);
	j->e->r = r;
	j->e->state = rc == 0 ? READY : FAILED;
	link_front(c, j->e);
	evict(c, j->keep_bytes);
	for (i = 0; i < j->e->nwaiters; i++)
		MHD_resume_connection(j->e->waiters[i]);
	j->e->nwaiters = 0;
	pthread_mutex_unlock(&c->lock);
	kg_cached_unref(j->e);
	kg_view_unref(j->view);
	free(j);
}

static enum MHD_Result
busy(struct kg_request *rq, const char *why)
{
	return kg_reply_text(rq, 503, "text/plain; charset=utf-8", why, strlen(why),
	    MHD_HTTP_HEADER_RETRY_AFTER, KG_CACHE_RETRY_AFTER);
}

/* Waits for e (pending), or 503 when it cannot.  Under c's lock. */
static enum MHD_Result
wait_for(struct kg_request *rq, struct kg_cached *e)
{
	if (add_waiter(e, rq->conn) < 0)
		return kg_reply_error(rq, 500, "out of memory");
	kg_request_wait(rq, cached_ref(e));
	return MHD_YES;
}

enum MHD_Result
kg_reply_cached(struct kg_request *rq, struct kg_cache_spec *spec)
{
	struct kg_cache *c = rq->view->cache;
	struct kg_pool *pool;
	size_t max_bytes;
	struct kg_cached *e;
	struct job *j = NULL;
	enum MHD_Result ret;

	kg_server_renders(rq->server, &pool, &max_bytes);
	pthread_mutex_lock(&c->lock);
	if ((e = find(c, spec->key)) != NULL) {
		unlink_entry(c, e);
		link_front(c, e);
		if (e->state == PENDING) {
			ret = wait_for(rq, e);
		} else {
			cached_ref(e);
			pthread_mutex_unlock(&c->lock);
			ret = e->state == READY ? kg_feeds_reply(rq, &e->r) :
			    kg_reply_error(rq, 500, "cannot render");
			kg_cached_unref(e);
			goto out;
		}
	} else if (kg_rendition_bytes() > max_bytes) {
		ret = busy(rq, "busy: renditions fill [http] render_memory; retry later\n");
	} else if ((e = calloc(1, sizeof(*e))) == NULL || (j = calloc(1, sizeof(*j))) == NULL) {
		free(e);
		ret = kg_reply_error(rq, 500, "out of memory");
	} else {
		atomic_init(&e->refs, 2); /* the cache's and the job's */
		memcpy(e->key, spec->key, sizeof(e->key));
		e->state = PENDING;
		j->e = e;
		j->view = kg_view_ref(rq->view);
		j->spec = *spec;
		j->keep_bytes = max_bytes / 2;
		link_front(c, e);
		if (kg_pool_submit(pool, job_run, j)) {
			spec->arg = NULL; /* the job's now */
			kg_metrics_request_render(rq->metrics);
			ret = wait_for(rq, e);
		} else {
			unlink_entry(c, e);
			kg_view_unref(j->view);
			free(j);
			free(e);
			ret = busy(rq, "busy: every render thread and queue slot is taken; retry later\n");
		}
	}
	pthread_mutex_unlock(&c->lock);
out:
	if (spec->arg != NULL && spec->free_arg != NULL)
		spec->free_arg(spec->arg);
	spec->arg = NULL;
	return ret;
}

enum MHD_Result
kg_cache_reply_waited(struct kg_request *rq, struct kg_cached *e)
{
	enum MHD_Result ret = e->state == READY ? kg_feeds_reply(rq, &e->r) :
	    kg_reply_error(rq, 500, "cannot render");

	kg_cached_unref(e);
	return ret;
}
