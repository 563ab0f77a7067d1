/*
 * pool — the render threads: renditions made on request (feeds with query
 * filters, todo views, API listings, pages) are made here, never on the
 * request threads, so that however slow a render, libmicrohttpd's threads
 * go on answering.  A fixed number of threads ([http] render_threads), at
 * a lower scheduling priority than the request threads, take jobs from a
 * bounded queue ([http] render_queue): a job beyond it is refused, and the
 * request gets a 503 (cache.h).
 */
#ifndef KG_POOL_H
#define KG_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* A job: run is true when a thread runs it, false when the pool stops
 * before it started (the job then only finishes: frees, wakes whoever
 * waits).  Either way it is called exactly once. */
typedef void kg_job_fn(void *arg, bool run);

struct kg_pool;

/* threads >= 1 threads, queue >= 0 jobs waiting at most.  -1 with err when
 * a thread cannot start. */
int kg_pool_new(size_t threads, size_t queue, struct kg_pool **out, struct kg_err *err);

/* Stops: no job is taken any more (kg_pool_submit returns false), jobs
 * waiting are called with run false, jobs running finish; then the threads
 * end.  Idempotent. */
void kg_pool_stop(struct kg_pool *p);

/* Stops (if not yet) and frees.  NULL is fine. */
void kg_pool_free(struct kg_pool *p);

/* Queues fn(arg).  False when the queue is full or the pool stops (fn is
 * then not called). */
bool kg_pool_submit(struct kg_pool *p, kg_job_fn *fn, void *arg);

/* The number of threads. */
size_t kg_pool_threads(const struct kg_pool *p);

/* Jobs waiting and running now (for /metrics). */
void kg_pool_load(struct kg_pool *p, size_t *waiting, size_t *running);

#endif
