/*
 * metrics — what operators poll: the counters the server keeps (requests by
 * route label and status code, publications, per-request renders) and the
 * two routes that show them with the view's figures:
 *
 *   GET /healthz   {"status": "ok", "data_version", "milestones", "published_at",
 *                  "loop_silent_ms"}; 503 with "status": "stalled" when
 *                  the main loop's heartbeat is older than [http]
 *                  stall_limit (server.h)
 *   GET /metrics   Prometheus text format (kigend_http_requests_total,
 *                  kigend_http_connections*, kigend_feed_*,
 *                  kigend_publication_seconds and _milestones_read,
 *                  kigend_milestones, kigend_data_version, ...)
 *
 * /metrics needs no token, so it names no private feed: a feed behind a
 * token is labelled "private-N" (N counting the private feeds in order).
 *
 * Counters are atomics: request threads count, any thread reads.
 */
#ifndef KG_METRICS_H
#define KG_METRICS_H

#include <microhttpd.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

struct kg_request;
struct kg_conns;

#define KG_METRICS_LABELS 16       /* distinct route labels, "other" included */
#define KG_METRICS_CODES 10        /* the status codes counted (metrics.c) */
#define KG_METRICS_MODULES 4       /* other modules' families (kg_metrics_add) */

/* Writes a module's own families (# HELP, # TYPE, samples) to out.  Runs
 * in a request thread, concurrently with everything else: it reads only
 * atomics or data under the module's own lock. */
typedef void kg_metrics_fn(FILE *out, void *arg);

struct kg_metrics {
	const char *labels[KG_METRICS_LABELS]; /* borrowed (the route table's) */
	size_t nlabels;
	atomic_uint_fast64_t requests[KG_METRICS_LABELS][KG_METRICS_CODES];
	atomic_uint_fast64_t renders;          /* publications */
	atomic_uint_fast64_t request_renders;  /* feeds rendered for one request */
	int64_t started_at;
	struct kg_conns *conns;                /* borrowed; NULL: none */
	struct {
		kg_metrics_fn *fn;
		void *arg;
	} modules[KG_METRICS_MODULES];
	atomic_size_t nmodules;
};

/* Zeroes m and takes the labels of the route table (routes.h); the last
 * is KG_ROUTE_OTHER.  -1 when the table has too many labels. */
int kg_metrics_init(struct kg_metrics *m, const char *const *labels, size_t nlabels);

/* The connections to report (conns.h), borrowed for m's life. */
void kg_metrics_set_conns(struct kg_metrics *m, struct kg_conns *conns);

/* One answer with code under labels[label] (codes not counted are ignored). */
void kg_metrics_count(struct kg_metrics *m, size_t label, unsigned code);

/* One publication, one feed rendered for a single request. */
void kg_metrics_publication(struct kg_metrics *m);
void kg_metrics_request_render(struct kg_metrics *m);

/* Adds a module's families to /metrics (watched sources: source.h), after
 * the server's.  Call before requests can see them (at start); fn and arg
 * must outlive the server.  -1 beyond KG_METRICS_MODULES. */
int kg_metrics_add(struct kg_metrics *m, kg_metrics_fn *fn, void *arg, struct kg_err *err);

/* The two routes' handlers. */
enum MHD_Result kg_metrics_healthz(struct kg_request *rq);
enum MHD_Result kg_metrics_serve(struct kg_request *rq);

#endif
