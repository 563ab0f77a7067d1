/*
 * control — kigend's control socket: the channel for `kigen status` and
 * `kigen reload` that feed subscribers cannot reach.
 *
 * A Unix stream socket created with mode 0660 (so the daemon's group may use
 * it) in a directory others cannot write to.  The protocol is lib/ctl.h's:
 * one request line, one JSON answer line, close.  Requests:
 *
 *   status  {"ok": true, "version", "pid", "started_at" (RFC 3339, UTC),
 *            "uptime_s", ...the fields the status callback adds}
 *
 * kigend's status callback (daemon/service.c and the modules it asks) adds:
 *   "listen": ["127.0.0.1:5545"], "db": path, "config": path or null,
 *   "last_import": {"document", "as_of", "imported_at"} or null,
 *   "reminders": {"planned" (fires within a day), "next" (RFC 3339 or
 *                 null), "in_flight", "pending", "failed"}  (daemon/remind.h)
 * `kigen status` prints those it finds and skips the others.
 *
 *   reload  {"ok": true} or {"ok": false, "error": "FILE:LINE: ..."}
 *
 * The socket is served by the loop given to kg_control_open, without ever
 * blocking it: clients are non-blocking, their bytes are gathered as they
 * come, and each has one deadline for its whole exchange (request line and
 * answer, KG_CONTROL_DEADLINE_MS), after which it is dropped — so a client
 * that sends one byte every 0.45 s costs the loop a few microseconds per
 * byte and then goes away.  At most KG_CONTROL_MAX_CLIENTS are served at
 * once; beyond that a new connection is closed at once.
 */
#ifndef KG_CONTROL_H
#define KG_CONTROL_H

#include <jansson.h>

#include "err.h"
#include "loop.h"

/* The whole exchange of one client, from accept to the last answer byte. */
#define KG_CONTROL_DEADLINE_MS 1000
/* Clients served at once. */
#define KG_CONTROL_MAX_CLIENTS 64

struct kg_control_ops {
	/* Adds the daemon's own fields to a status answer (obj is borrowed). */
	void (*status)(void *arg, json_t *obj);
	/* Reloads the configuration; -1 with err when it is rejected (the old
	 * configuration must then stay in force). */
	int (*reload)(void *arg, struct kg_err *err);
	void *arg;
};

struct kg_control;

/*
 * Creates the socket at path and serves it from loop (a watch on it, and a
 * hook whose tick enforces the clients' deadlines).  A stale socket left
 * by a crashed daemon is replaced; a socket some running daemon still
 * answers on is an error ("control socket '...' is in use (is kigend
 * already running?)"), as is any other file at path or a parent directory
 * writable by others (without the sticky bit).  ops is copied.  *out is
 * released with kg_control_close, after the loop stopped running.
 */
int kg_control_open(const char *path, const struct kg_control_ops *ops,
    struct kg_loop *loop, struct kg_control **out, struct kg_err *err);

/* Clients connected now (for tests). */
size_t kg_control_clients(const struct kg_control *c);

/* Drops the clients, closes the socket and removes its file.  The loop must
 * not run again afterwards (its hook points here).  NULL is fine. */
void kg_control_close(struct kg_control *c);

#endif
