/*
 * request — what handlers and access rules do with a request (struct
 * kg_request, server.h): check its token, read its headers, answer it.
 * Every reply is counted in /metrics under the request's route label and
 * status code.  The server (server.c) owns the request's life; the routing
 * table (routes.h) says which handler gets it.
 */
#ifndef KG_REQUEST_H
#define KG_REQUEST_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

#include "hash.h"

struct kg_request;

/* ---- tokens ---- */

/* The access rule of routes behind [http] feed_token (the API): when any
 * feed has a token (its own or [http] feed_token), the request needs
 * [http] feed_token — and without one, nothing opens them. */
bool kg_server_token_access(struct kg_request *rq);

/* Does given (NULL: none) match a token whose SHA-256 is want, when
 * required?  Constant-time in the token's content and length. */
bool kg_server_token_ok(bool required, const unsigned char want[KG_SHA256_LEN],
    const char *given);

/* ---- answering (every reply is counted under rq's label and code) ---- */

/* Adds the headers every response carries (X-Content-Type-Options). */
int kg_response_common(struct MHD_Response *r);

/* Queues r (a shared response is fine: libmicrohttpd refcounts it). */
enum MHD_Result kg_reply(struct kg_request *rq, unsigned code, struct MHD_Response *r);

/* A response built for this request only (body copied), with one extra
 * header when extra_name is not NULL. */
enum MHD_Result kg_reply_text(struct kg_request *rq, unsigned code, const char *type,
    const char *body, size_t len, const char *extra_name, const char *extra_value);

/* "msg\n" as text/plain. */
enum MHD_Result kg_reply_error(struct kg_request *rq, unsigned code, const char *msg);

/* code (200…) with j as compact JSON; takes j (NULL: a 500). */
enum MHD_Result kg_reply_json(struct kg_request *rq, unsigned code, json_t *j);

/* ---- reading ---- */

/* A request header, or NULL. */
const char *kg_request_header(const struct kg_request *rq, const char *name);

#endif
