/*
 * conns — the limits on the connections kigend's HTTP server holds, kept
 * by the server from libmicrohttpd's connection notifications:
 *
 *   - a request head (request line and headers) has an absolute deadline:
 *     head_timeout after the connection opened, or after the previous
 *     response on a kept-alive connection.  A client that drips a header
 *     line now and then keeps libmicrohttpd's inactivity timeout from
 *     ever firing; this deadline does not move;
 *   - at most max connections are open: one more, and the connection that
 *     has waited longest for its head is closed to make room (or the new
 *     one, when every other is busy with a request).  A flood of idle
 *     connections so displaces only idle connections, and a client that
 *     sends its request at once is always answered.
 *
 * Closing is shutdown(2) of the socket: libmicrohttpd sees the end of the
 * stream in its own thread and cleans up as for any closed connection.
 * The socket stays the connection's until libmicrohttpd reports it closed
 * (kg_conns_remove, which it calls before close(2)), and every shutdown
 * happens under the same lock, so a descriptor number reused by a newer
 * connection is never shut by mistake.
 *
 * Times are kg_loop_mono_ms() (loop.h).  Per request, marking a head done
 * or a connection waiting again is one atomic store (no lock: the request
 * threads never wait for each other here); the lock is taken per
 * connection (added, removed) and by the sweeper, a thread that scans the
 * connections every quarter of head_timeout (at most every second) and
 * closes overdue heads — so a head may live up to that much longer than
 * head_timeout.  A scan is linear in the open connections: 10^4 atomic
 * loads, a few microseconds.
 */
#ifndef KG_CONNS_H
#define KG_CONNS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* One connection; the caller owns the memory (it usually embeds this). */
struct kg_conn {
	struct kg_conn *prev, *next; /* among the open connections */
	int fd;
	_Atomic int64_t waiting_since_ms; /* for a request head; -1: not waiting */
	bool closing;                /* shut down, not yet removed */
};

struct kg_conns_stats {
	size_t open;                 /* added and not yet removed */
	uint64_t overdue;            /* closed: head deadline passed */
	uint64_t evicted;            /* closed to make room for a new one */
	uint64_t refused;            /* new ones closed: no room, nobody waiting */
};

struct kg_conns;

/* Limits max (>= 1) connections and heads of head_timeout_ms; with
 * sweeper, a thread closes overdue heads (tests call kg_conns_sweep
 * themselves).  -1 with err on failure. */
int kg_conns_new(size_t max, int64_t head_timeout_ms, bool sweeper, struct kg_conns **out,
    struct kg_err *err);

/* Stops the sweeper and frees; connections still added are forgotten (the
 * server stops libmicrohttpd first).  NULL is fine. */
void kg_conns_free(struct kg_conns *cs);

/*
 * A new connection on socket fd, waiting for its head from now_ms.  When
 * that makes more than max: the longest-waiting other connection is shut
 * down (evicted), or c itself when no other one waits (refused; false).
 */
bool kg_conns_add(struct kg_conns *cs, struct kg_conn *c, int fd, int64_t now_ms);

/* c is closed (libmicrohttpd's notification, before it closes the socket). */
void kg_conns_remove(struct kg_conns *cs, struct kg_conn *c);

/* c's request head is complete: its deadline no longer applies. */
void kg_conns_head_done(struct kg_conns *cs, struct kg_conn *c);

/* c answered a request and waits for the next head from now_ms. */
void kg_conns_wait(struct kg_conns *cs, struct kg_conn *c, int64_t now_ms);

/* Shuts down the connections whose head is overdue at now_ms.  Returns the
 * milliseconds until the next deadline, or -1 when nobody waits. */
int64_t kg_conns_sweep(struct kg_conns *cs, int64_t now_ms);

void kg_conns_stats(struct kg_conns *cs, struct kg_conns_stats *out);

#endif
