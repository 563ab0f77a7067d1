/*
 * ctl — the protocol of kigend's control socket, shared by both sides (the
 * server is daemon/control.c, the client cli/ctl_client.c): where the socket
 * is, the limits, and the answer line.
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
 * An answer as the client reads it (text: one line, NUL-terminated; what
 * follows the JSON object is ignored).  On success *reply is the object,
 * with "ok": true, owned by the caller (json_decref).  -1 on a malformed
 * answer ("malformed answer on '<socket_path>': ...") or one with
 * "ok": false (its "error" becomes the message).
 */
int kg_ctl_answer_parse(const char *text, const char *socket_path, json_t **reply,
    struct kg_err *err);

/* An answer as the server sends it: answer as compact JSON and a newline
 * (malloc'd, *len bytes, not NUL-terminated).  NULL on ENOMEM. */
char *kg_ctl_answer_encode(const json_t *answer, size_t *len);

#endif
