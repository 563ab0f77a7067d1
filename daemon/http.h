/*
 * http — kigend's HTTP server (GNU libmicrohttpd): iCalendar feeds, the JSON
 * API, /healthz and /metrics, all answered from an immutable in-memory view.
 *
 *   GET /feed.ics                 every milestone ([feed] section)
 *   GET /feeds/NAME.ics           a [feed:NAME] section
 *       ?owner= &kind= &status= &measure=   (repeatable; values of one key
 *                                 OR'd, keys AND'd, on top of the feed's own)
 *       ?view=todo                VTODOs instead of VEVENTs
 *   GET /api/v1/milestones        {"as_of", "milestones": [...]}, same filters
 *   GET /api/v1/upcoming?days=N   open milestones due today .. today+N (30)
 *   GET /api/v1/measures          {"measures": [...]}
 *   GET /healthz, GET /metrics    (Prometheus text format)
 *
 * Tokens: when [http] feed_token (or a feed's own token) is set, feeds and
 * the API need it, either as a path prefix (/t/TOKEN/feed.ics) or as
 * ?token=TOKEN.  A wrong or missing token gets the same 404 as an unknown
 * path; tokens are compared as SHA-256 digests with CRYPTO_memcmp and never
 * logged (paths are logged with the token replaced by "***").
 *
 * Threads: libmicrohttpd runs its own threads (a pool of KG_HTTP_THREADS per
 * listen address).  Everything they read is in a refcounted, immutable view
 * that kg_http_publish() swaps under a mutex; they never touch SQLite.  The
 * default and named feeds are rendered (plain and gzip) once per publish,
 * their todo views once on first request; only feeds with query filters
 * are rendered per request.
 */
#ifndef KG_HTTP_H
#define KG_HTTP_H

#include <stdint.h>
#include <stdio.h>

#include "conf.h"
#include "err.h"
#include "model.h"

#define KG_HTTP_THREADS 2

struct kg_http;

/*
 * Binds every conf->listen address ("127.0.0.1:5545", "[::1]:5545";
 * port 0 picks a free port, see kg_http_port) and starts serving: 503 until
 * the first kg_http_publish.  conf is borrowed until kg_http_set_conf or
 * kg_http_free.  -1 with "cannot listen on '<addr>': <why>" on failure.
 */
int kg_http_start(const struct kg_conf *conf, struct kg_http **out, struct kg_err *err);

/* Stops the server threads (in-flight requests finish) and frees; NULL ok. */
void kg_http_free(struct kg_http *http);

/* Stops accepting connections (closes the listening sockets; a graceful
 * stop has begun); requests on open connections are still answered. */
void kg_http_quiesce(struct kg_http *http);

/* The port the first listen address is bound to. */
unsigned kg_http_port(const struct kg_http *http);

/* Uses conf (borrowed) from the next kg_http_publish on: feed names,
 * tokens, filters, refresh, alarms.  Listen addresses are not re-bound. */
void kg_http_set_conf(struct kg_http *http, const struct kg_conf *conf);

/*
 * Builds a new view from the data and the current conf — renders every
 * configured feed — and makes it the one requests see.  Takes the contents
 * of milestones and measures (they are left empty); the milestones keep the
 * store's order (by due date).  Called from the loop thread.  On failure
 * (an unknown time zone, ENOMEM) the previous view stays.
 */
int kg_http_publish(struct kg_http *http, struct kg_milestone_list *milestones,
    struct kg_measure_list *measures, int64_t data_version, struct kg_err *err);

/*
 * Adds lines to /metrics: fn writes complete Prometheus families (# HELP,
 * # TYPE, samples) to out.  fn runs in an HTTP thread, concurrently with
 * everything else: read only atomics or data under your own lock.  At most 8.
 */
typedef void kg_http_metrics_fn(FILE *out, void *arg);
int kg_http_add_metrics(struct kg_http *http, kg_http_metrics_fn *fn, void *arg,
    struct kg_err *err);

#endif
