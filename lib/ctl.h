/*
 * ctl — the client side of kigend's control socket, and where that socket is.
 *
 * `kigen status` and `kigen reload` reach the running daemon over a Unix
 * socket (never over HTTP, which feed subscribers can reach).  The protocol
 * is one request line — "status" or "reload" — answered by one line holding
 * a JSON object, after which the daemon closes the connection:
 *
 *   {"ok": true, ...fields...}         or   {"ok": false, "error": "..."}
 *
 * The fields of a status answer are listed in daemon/control.h.
 */
#ifndef KG_CTL_H
#define KG_CTL_H

#include <jansson.h>
#include <stddef.h>

#include "err.h"

/* Longest request line, newline included, and longest answer. */
#define KG_CTL_REQUEST_MAX 64
#define KG_CTL_REPLY_MAX (64 * 1024)

/*
 * The socket path: `configured` ([control] socket) when set and not empty,
 * else the database path with ".sock" appended — so every database has its
 * own daemon socket and a user's run needs no root-owned directory.  Writes
 * into buf (size bytes); -1 when the path does not fit a Unix socket address
 * ("control socket path '...' too long (max 107 bytes)").
 */
int kg_ctl_socket_path(const char *configured, const char *db_path, char *buf,
    size_t size, struct kg_err *err);

/*
 * Sends `command` to the daemon listening at socket_path and waits at most
 * timeout_ms for its answer.  On success *reply is a new JSON object with
 * "ok": true, owned by the caller (json_decref).  Fails with -1 when nobody
 * listens ("kigend is not running (no control socket at '...')"), on a
 * permission error, a timeout, a malformed answer, or an answer with
 * "ok": false (its "error" becomes the message).
 */
int kg_ctl_request(const char *socket_path, const char *command, int timeout_ms,
    json_t **reply, struct kg_err *err);

#endif
