/*
 * hosts — which Host header values kigend answers (DNS rebinding: a page
 * on a name the attacker controls, resolved to 127.0.0.1, would otherwise
 * read a token-less feed and API from the victim's browser).
 *
 * The list is [http] allowed_hosts, or by default: the host of each listen
 * address, "localhost", and the host of [http] base_url.  "*" allows any.
 * A Host value matches when, without its port and a trailing dot, it
 * equals an entry, case-insensitively; IPv6 addresses are written in
 * brackets ("[::1]") in both.  Pure.
 */
#ifndef KG_HOSTS_H
#define KG_HOSTS_H

#include <stdbool.h>

#include "conf.h"
#include "err.h"
#include "model.h"

/* The allowed hosts of c into out (cleared first, lowercase).  -1 with err
 * on ENOMEM. */
int kg_hosts_from_conf(const struct kg_conf *c, struct kg_strv *out, struct kg_err *err);

/* Does the Host header value host name an entry of allowed? */
bool kg_hosts_allow(const struct kg_strv *allowed, const char *host);

#endif
