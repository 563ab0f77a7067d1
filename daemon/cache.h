/*
 * cache — renditions made on request (a feed with query filters, a feed's
 * todo view, an API listing; any page of the same kind): made once per
 * view and key, on a render thread (pool.h), kept with the view, and
 * served to every request that asks for the same key while the view lasts.
 *
 * Adding a cached rendition of a new kind is one call in its handler:
 *
 *     struct kg_cache_spec spec = { .make = make_x, .arg = x, .free_arg = free_x };
 *     if (kg_cache_key(&spec, "x", <what else makes the body differ>, &rq->args) < 0)
 *         ... 500, free x
 *     return kg_reply_cached(rq, &spec);
 *
 * where make_x renders and finishes a kg_rendered (rendition.h) from x,
 * which must own what it reads (copies, or a reference to the view), since
 * it runs later, on another thread.
 *
 * A request whose rendition is not ready waits, its connection suspended
 * (the request threads go on with others), and is answered when the
 * render ends.  Limits ([http] render_threads, render_queue,
 * render_memory): a request that would start one render more than the
 * threads and the queue hold, or while renditions hold more than
 * render_memory, gets 503 with Retry-After, and the daemon goes on.  A
 * view's cache keeps at most half of render_memory (least recently used
 * renditions go first) and KG_CACHE_ENTRIES_MAX entries.
 */
#ifndef KG_CACHE_H
#define KG_CACHE_H

#include <microhttpd.h>
#include <stddef.h>

#include "args.h"
#include "err.h"
#include "hash.h"
#include "rendition.h"

#define KG_CACHE_ENTRIES_MAX 256
#define KG_CACHE_RETRY_AFTER "5"   /* seconds, with a 503 */

struct kg_request;
struct kg_cache;
struct kg_cached;

struct kg_cache_spec {
	char key[2 * KG_SHA256_LEN + 1]; /* kg_cache_key */
	/* Renders and finishes r from arg (a render thread); -1 with err. */
	int (*make)(void *arg, struct kg_rendered *r, struct kg_err *err);
	void *arg;                       /* taken by kg_reply_cached */
	void (*free_arg)(void *arg);     /* may be NULL */
};

/* The key of spec: SHA-256, in hex, of the kind, what else makes the body
 * differ (context, e.g. "feed 2 todo"; NULL: nothing) and the canonical
 * parameters of the request (kg_args_canonical).  Two requests with the
 * same key get the same body.  -1 on ENOMEM. */
int kg_cache_key(struct kg_cache_spec *spec, const char *kind, const char *context,
    const struct kg_args *a);

/* A view's cache.  NULL on ENOMEM. */
struct kg_cache *kg_cache_new(void);

/* Frees c and its renditions (those requests still send live on).  Only
 * when no render for c runs: every render holds a reference to c's view. */
void kg_cache_free(struct kg_cache *c);

/* Answers rq with the rendition spec names in rq's view, as the head of
 * this file says.  Takes spec->arg. */
enum MHD_Result kg_reply_cached(struct kg_request *rq, struct kg_cache_spec *spec);

/* Answers rq, resumed, from e (what it waited for), and drops the
 * request's reference to e. */
enum MHD_Result kg_cache_reply_waited(struct kg_request *rq, struct kg_cached *e);

/* Drops a reference a request held (a request that ended without being
 * answered from it). */
void kg_cached_unref(struct kg_cached *e);

#endif
