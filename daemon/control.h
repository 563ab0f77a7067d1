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
 * The socket is served from the caller's loop: poll kg_control_fd() for
 * input and call kg_control_serve().  Each connection is answered at once;
 * a client that sends nothing is dropped after a short timeout, so a member
 * of the group can stall the loop for at most that long.
 */
#ifndef KG_CONTROL_H
#define KG_CONTROL_H

#include <jansson.h>

#include "err.h"

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
 * Creates the socket at path.  A stale socket left by a crashed daemon is
 * replaced; a socket some running daemon still answers on is an error
 * ("control socket '...' is in use (is kigend already running?)"), as is
 * any other file at path or a parent directory writable by others (without
 * the sticky bit).  ops is copied.  *out is released with kg_control_close.
 */
int kg_control_open(const char *path, const struct kg_control_ops *ops,
    struct kg_control **out, struct kg_err *err);

/* The listening descriptor (non-blocking), readable when a client waits. */
int kg_control_fd(const struct kg_control *c);

/* Answers every connection waiting now; never fails (errors are logged). */
void kg_control_serve(struct kg_control *c);

/* Closes the socket and removes its file.  NULL is fine. */
void kg_control_close(struct kg_control *c);

#endif
