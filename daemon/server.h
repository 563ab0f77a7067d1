/*
 * server — kigend's HTTP server (GNU libmicrohttpd): listening, limits,
 * threads, the life of a request up to the routing table (routes.h, which
 * dispatches it); handlers answer through request.h.  What is served is in
 * feeds.c, api.c, web.c and metrics.c; the data they read is the current
 * view (view.h), which the publisher (publish.h) builds on its own thread
 * and swaps in when kg_server_changed asks.
 *
 * Threads: libmicrohttpd runs a pool of [http] threads per listen
 * address, in epoll mode.  Everything they read is in the refcounted,
 * immutable view that the publisher swaps under a mutex.
 *
 * Connections: at most [http] max_connections (RLIMIT_NOFILE is raised to
 * fit them, or the limit lowered with a warning), each request head due
 * within [http] head_timeout, silence beyond [http] idle_timeout closing
 * a connection (conns.h says how a flood is shed).
 *
 * A request: only methods some route answers get further (others: 405
 * without reading a body; a GET with a body: 400); a NUL in the target (raw
 * or %00) is a 400, never a shorter path; HTTP/1.1 needs exactly one Host
 * header (400), and its host must be one [http] allowed_hosts names (421,
 * hosts.h); the path is at most 1024 bytes (else 414); before the first
 * view: 503.  A /t/TOKEN/ prefix is taken off (a token can also be
 * ?token=); then the first matching row of the table decides: its access
 * rule (a refusal is a 404, like an unknown path, so a wrong token tells
 * nothing), bad query arguments (400), its handler.  Tokens are compared as
 * SHA-256 digests in constant time (kg_memeq_secret) and never logged (targets are logged
 * at debug level through kg_redact, redact.h).  Every response says
 * X-Content-Type-Options: nosniff.
 *
 * Keep-alive: libmicrohttpd answers "Connection: close" when a response is
 * queued during the very first access-handler call of a request (it cannot
 * know yet whether a body follows), so a request is only marked on that
 * call and answered on the second.
 */
#ifndef KG_SERVER_H
#define KG_SERVER_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

#include "args.h"
#include "conf.h"
#include "err.h"
#include "metrics.h"
#include "model.h"
#include "readers.h"
#include "request.h"
#include "routes.h"
#include "view.h"

struct kg_server;

/* One request as handlers and access rules see it. */
struct kg_request {
	struct MHD_Connection *conn;
	struct kg_server *server;
	struct kg_metrics *metrics;
	struct kg_view *view;          /* a reference held for the request */
	const struct kg_route *route;  /* NULL until routed */
	const char *method;
	const char *rest;              /* what the route's '*' matched, or NULL */
	const char *token;             /* /t/TOKEN/ or ?token=, NULL: none */
	bool private_reply;            /* a token was required: Cache-Control:
	                                  private, no-store on text replies */
	void *state;                   /* the server's, for kg_request_wait */
	struct kg_args args;           /* query arguments (routes with access) */
	size_t label;                  /* the metrics label counted */
};

struct addrinfo;

/* Resolves a listen address as kg_server_start does (the one resolver, so
 * `kigend --check-config` accepts exactly what a start can bind to): *res
 * for freeaddrinfo, or -1 with "cannot listen on '<addr>': <why>". */
int kg_server_resolve(const char *addr, struct addrinfo **res, struct kg_err *err);

/*
 * Binds every conf->listen address ("127.0.0.1:5545", "[::1]:5545";
 * port 0 picks a free port), starts the publisher on conf->db and starts
 * serving: 503 until the first publication.  conf is borrowed until
 * kg_server_set_conf or kg_server_free.  -1 with "cannot listen on
 * '<addr>': <why>" on failure.
 */
int kg_server_start(const struct kg_conf *conf, struct kg_server **out, struct kg_err *err);

/* Stops the server threads (in-flight requests finish) and frees; NULL ok. */
void kg_server_free(struct kg_server *s);

/* Stops accepting connections (closes the listening sockets; a graceful
 * stop has begun); requests on open connections are still answered. */
void kg_server_quiesce(struct kg_server *s);

/* The read-only connections of [general] db for what the view does not
 * hold (readers.h); borrowed, thread-safe. */
struct kg_readers *kg_server_readers(const struct kg_server *s);

/* Whether conf can be put into force: views under it render (see
 * kg_view_check_conf).  A reload asks before it commits to anything.  -1
 * with err when not. */
int kg_server_check_conf(const struct kg_conf *conf, struct kg_err *err);

/* Uses conf (borrowed) from the next kg_server_changed on: feed names,
 * tokens, filters, refresh, alarms, hosts.  Listen addresses and connection
 * limits are not changed. */
void kg_server_set_conf(struct kg_server *s, const struct kg_conf *conf);

/*
 * The data may have changed (the loop's changed() hook): asks the
 * publisher for a new view under the current conf, and returns at once —
 * but for the first call, which waits for that publication and returns
 * its outcome (start-up may fail; READY means the feeds are rendered).
 * Loop thread.  Later failures are logged by the publisher; the previous
 * view stays.
 */
int kg_server_changed(struct kg_server *s, int64_t data_version, struct kg_err *err);

/* Adds a module's families to /metrics (kg_metrics_add). */
int kg_server_add_metrics(struct kg_server *s, kg_metrics_fn *fn, void *arg,
    struct kg_err *err);

/* The loop's heartbeat (mono_ms: kg_loop_mono_ms()), from every loop
 * iteration; /healthz fails when it is older than [http] stall_limit. */
void kg_server_heartbeat(struct kg_server *s, int64_t mono_ms);

/* Milliseconds since the last heartbeat at mono_ms (any thread). */
int64_t kg_server_loop_silence_ms(struct kg_server *s, int64_t mono_ms);

/* ---- renditions made on request (cache.h) ---- */

struct kg_pool;
struct kg_cached;

/* The render threads and the bytes renditions may hold ([http]
 * render_memory). */
void kg_server_renders(struct kg_server *s, struct kg_pool **pool, size_t *max_bytes);

/* Suspends rq's connection until the rendition e (a reference taken over)
 * is made; libmicrohttpd then calls the access handler again, which
 * answers from e (kg_cache_reply_waited).  Returns nothing to queue. */
void kg_request_wait(struct kg_request *rq, struct kg_cached *e);

#endif
