/*
 * ctl_client — the client side of kigend's control socket (protocol in
 * lib/ctl.h), for `kigen status` and `kigen reload`.
 */
#ifndef KG_CLI_CTL_CLIENT_H
#define KG_CLI_CTL_CLIENT_H

#include <jansson.h>

#include "ctl.h"
#include "err.h"

/*
 * Sends `command` to the daemon listening at socket_path and waits at most
 * timeout_ms for its answer.  On success *reply is a new JSON object with
 * "ok": true, owned by the caller (json_decref).  Fails with -1 when nobody
 * listens ("kigend is not running (no control socket at '...')"), on a
 * permission error, a timeout, a malformed answer, or an answer with
 * "ok": false (its "error" becomes the message).
 *
 * Nothing is sent to, nor believed from, a socket someone else could have
 * put there: the socket file's owner must be this process's user, root or
 * service_user (may be NULL or unknown: then only the first two), and so
 * must the process serving it (SO_PEERCRED) — or be the socket's owner.
 */
int cli_ctl_request(const char *socket_path, const char *command, int timeout_ms,
    const char *service_user, json_t **reply, struct kg_err *err);

#endif
